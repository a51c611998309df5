// export-stream.test.mjs: the exports stream (issue 26, DESIGN.md "Beyond
// one machine": a worker's memory stays flat whatever the event's size).
// A stack of its own with ONE worker (so the worker that serves an export
// is known), an event of 20,000 generated participants (about a million
// answer rows); each export (csv-long, csv-wide, export.json, codebook,
// contacts) is read through nginx while the worker's peak RSS is measured
// (its VmHWM reset through /proc/PID/clear_refs before, read after): it
// grows by less than 10 MiB, the response is chunked (no Content-Length:
// the bytes went out before the end was known) and its bytes equal
// `enquetectl export`'s. Before streaming, csv-long alone held the whole
// PGresult and the whole body: hundreds of MiB at this size.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ownStack, bigEvent } from './ownstack.mjs';

const N = Number(process.env.ENQUETE_EXPORT_STREAM_N || 20000);
const LIMIT_KB = 10 * 1024;
const CONTACTS = Math.min(3000, N);
const s = await ownStack('xs', { ENQUETE_WORKERS: '1' });
process.env.ENQUETE_BASE_URL = s.base;
const { Client } = await import('./client.mjs');
const BIG = 'stream-big';

const sanitized = (pid) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libasan');
const status = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (text, field) => Number(text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))[1]);

// GET with the admin's cookies, the body streamed to a hash-free buffer
// list (kept: compared below), the worker's RSS sampled meanwhile.
function fetchMeasured(admin, urlPath, worker) {
  writeFileSync(`/proc/${worker}/clear_refs`, '5'); // VmHWM := VmRSS
  const base = kb(status(worker), 'VmRSS');
  let peak = base;
  const timer = setInterval(() => { try { peak = Math.max(peak, kb(status(worker), 'VmRSS')); } catch { /* gone */ } }, 5);
  return new Promise((resolve, reject) => {
    const req = http.get(`${s.base}${urlPath}`, { headers: { Cookie: admin.cookieHeader() } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearInterval(timer);
        const hwm = kb(status(worker), 'VmHWM');
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), base, peak: Math.max(peak, hwm) });
      });
      res.on('error', (e) => { clearInterval(timer); reject(e); });
    });
    req.on('error', (e) => { clearInterval(timer); reject(e); });
  });
}

let admin, worker;
before(async () => {
  s.up();
  await bigEvent(s, BIG, N);
  admin = new Client();
  assert.equal((await admin.login('admin', s.password)).status, 303);
  const workers = s.workerPids(s.masterPid());
  assert.equal(workers.length, 1, 'one worker');
  [worker] = workers;
}, { timeout: 600000 });

const FORMATS = [
  ['csv-long', `/admin/e/${BIG}/export.csv?format=long`, ['--format', 'csv-long']],
  ['csv-long excel', `/admin/e/${BIG}/export.csv?format=long&excel=1`, ['--format', 'csv-long', '--excel']],
  ['csv-wide', `/admin/e/${BIG}/export.csv?format=wide`, ['--format', 'csv-wide']],
  ['export.json', `/admin/e/${BIG}/export.json`, ['--format', 'json']],
  ['codebook', `/admin/e/${BIG}/codebook.csv`, ['--format', 'codebook']],
];

test(`the event has ${N} participants and about a million answer rows`, () => {
  const [[p, a]] = s.sql(`SELECT (SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = '${BIG}'),
    (SELECT count(*) FROM answer a JOIN response r ON r.id = a.response_id JOIN event e ON e.id = r.event_id WHERE e.slug = '${BIG}')`);
  assert.equal(Number(p), N);
  assert.ok(Number(a) >= N * 20, `${a} answer rows`);
});

for (const [name, url, args] of FORMATS) {
  test(`${name}: streamed, the worker grows by less than 10 MiB, the bytes equal the CLI's`, { timeout: 300000 }, async () => {
    // a small export first: the worker's caches (definition, templates)
    // are loaded before the measure
    assert.equal((await admin.get(url.replace(BIG, 'imanor-2017'))).status, 200);
    const r = await fetchMeasured(admin, url, worker);
    assert.equal(r.status, 200, r.body.subarray(0, 300).toString());
    const growth = r.peak - r.base;
    console.log(`# ${name}: ${r.body.length} bytes, worker RSS ${r.base} kB -> peak ${r.peak} kB (+${growth} kB)`);
    assert.equal(s.workerPids(s.masterPid())[0], worker, 'the same worker served it');
    if (name !== 'codebook') {
      // the body left before its length was known
      assert.equal(r.headers['content-length'], undefined, JSON.stringify(r.headers));
      assert.equal(r.headers['transfer-encoding'], 'chunked');
      assert.ok(r.body.length > 8 * 65536, `${r.body.length} bytes: several 64 KiB chunks`);
    }
    assert.match(r.headers['content-disposition'], /^attachment; filename="stream-big/);
    // (AddressSanitizer keeps freed memory in quarantine: a sanitized
    // worker's RSS says nothing about the program's own)
    if (!sanitized(worker))
      assert.ok(growth < LIMIT_KB, `${name}: the worker grew by ${growth} kB (limit ${LIMIT_KB} kB)`);
    const cli = s.ctl(['export', '--event', BIG, ...args]);
    assert.equal(cli.status, 0, String(cli.stderr));
    assert.ok(r.body.equals(cli.stdout), `${name}: HTTP ${r.body.length} bytes, CLI ${cli.stdout.length} bytes`);
  });
}

// The text of a statement of cgi/store/db_sql.h as the workers prepare it.
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
function stmtSql(name) {
  const r = spawnSync(path.join(REPO, 'scripts/stmt-sql'), [name], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// Nodes that read all their input before their first row leaves (or, for
// a Gather, mix the rows of several processes): none may have the event's
// participants under it, or the first byte waits for the whole event.
const BLOCKING = new Set(['Sort', 'Incremental Sort', 'Hash', 'Aggregate', 'Materialize',
  'Gather', 'Gather Merge', 'WindowAgg', 'SetOp', 'Recursive Union']);
function nodes(plan, above = [], out = []) {
  out.push({ node: plan, above });
  for (const c of plan.Plans || []) nodes(c, [...above, plan], out);
  return out;
}

test('the whole-event exports stream from an index: no sort, hash or gather above the participants, custom or generic plan', () => {
  // (issue 26: an ORDER BY over the whole event sorted 73M rows at 1M
  // participants before the first left: nginx answered 504.) The plans a
  // worker's prepared statement can have: custom (its first five runs)
  // and generic (after), with the statistics autovacuum would have.
  s.sql('ANALYZE participant; ANALYZE response; ANALYZE answer; ANALYZE stats_item');
  const [[id]] = s.sql(`SELECT id FROM event WHERE slug = '${BIG}'`);
  for (const name of ['EXPORT_ANSWERS', 'EXPORT_RESPONSES']) {
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      const rows = s.sql(`PREPARE q(int) AS ${stmtSql(name)};
        SET plan_cache_mode = ${mode};
        EXPLAIN (FORMAT JSON) EXECUTE q(${Number(id)});`);
      const plan = JSON.parse(rows[0][0])[0].Plan;
      const all = nodes(plan);
      const scans = all.filter((n) => n.node['Relation Name'] === 'participant');
      assert.equal(scans.length, 1, `${name} ${mode}: one scan of participant\n${rows[0][0]}`);
      const [{ node, above }] = scans;
      assert.match(node['Node Type'], /^Index (Only )?Scan$/, `${name} ${mode}: the participants in id order from an index\n${rows[0][0]}`);
      const blocking = above.filter((n) => BLOCKING.has(n['Node Type'])).map((n) => n['Node Type']);
      assert.deepEqual(blocking, [], `${name} ${mode}: above the participants\n${rows[0][0]}`);
    }
  }
});

test('the programme export of several events streams too: the worker grows by less than 10 MiB, the rows are each event\'s csv-long', { timeout: 300000 }, async () => {
  const url = `/admin/programme/export.csv?events=${BIG},imanor-2017`;
  assert.equal((await admin.get('/admin/programme/export.csv?events=imanor-2017')).status, 200);
  const r = await fetchMeasured(admin, url, worker);
  assert.equal(r.status, 200, r.body.subarray(0, 300).toString());
  const growth = r.peak - r.base;
  console.log(`# programme export: ${r.body.length} bytes, worker RSS ${r.base} kB -> peak ${r.peak} kB (+${growth} kB)`);
  assert.equal(r.headers['content-length'], undefined, JSON.stringify(r.headers));
  assert.equal(r.headers['transfer-encoding'], 'chunked');
  assert.match(r.headers['content-disposition'], /^attachment; filename="programme-long\.csv"/);
  if (!sanitized(worker))
    assert.ok(growth < LIMIT_KB, `programme export: the worker grew by ${growth} kB (limit ${LIMIT_KB} kB)`);
  // the header with `event` first, then each event's csv-long rows
  // behind its slug
  const parts = ['event,participant,instrument,submitted_at,item,value,lang,source\r\n'];
  for (const slug of [BIG, 'imanor-2017']) {
    const cli = s.ctl(['export', '--event', slug, '--format', 'csv-long']);
    assert.equal(cli.status, 0, String(cli.stderr));
    const lines = cli.stdout.toString('utf8').split('\r\n');
    lines.shift(); // its header
    for (const line of lines) if (line !== '') parts.push(`${slug},${line}\r\n`);
  }
  assert.ok(r.body.equals(Buffer.from(parts.join(''), 'utf8')), `HTTP ${r.body.length} bytes`);
});

test('contacts.csv: streamed through the same path, the header line and every consented contact', async () => {
  // a few consented contacts on the big event
  s.sql(`INSERT INTO contact (event_id, response_id, item, value, submitted_at)
    SELECT r.event_id, r.id, 'email', 'p' || r.id || '@example.org', r.submitted_at
    FROM response r JOIN event e ON e.id = r.event_id
    WHERE e.slug = '${BIG}' AND r.instrument = 'post' ORDER BY r.id LIMIT ${CONTACTS}`);
  const r = await fetchMeasured(admin, `/admin/e/${BIG}/contacts.csv`, worker);
  assert.equal(r.status, 200);
  const lines = r.body.toString('utf8').split('\r\n');
  assert.equal(lines[0], 'item,contact,interest,submitted_at');
  assert.equal(lines.length, CONTACTS + 2, `header, ${CONTACTS} rows, the empty string after the last CRLF`);
  if (!sanitized(worker)) assert.ok(r.peak - r.base < LIMIT_KB);
});

test('a failure after the first chunk cuts the response: the client never sees it complete', async () => {
  // the worker's analytics connection is ended while csv-long streams
  const done = new Promise((resolve) => {
    const req = http.get(`${s.base}/admin/e/${BIG}/export.csv?format=long`, { headers: { Cookie: admin.cookieHeader() } }, (res) => {
      let got = 0, killed = false;
      res.on('data', (c) => {
        got += c.length;
        if (!killed && got > 1 << 20) {
          killed = true;
          s.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'enquete-analytics' AND state = 'active'");
        }
      });
      res.on('end', () => resolve({ status: res.statusCode, complete: res.complete, aborted: false, got }));
      res.on('aborted', () => resolve({ status: res.statusCode, complete: false, aborted: true, got }));
      res.on('error', () => resolve({ status: res.statusCode, complete: false, aborted: true, got }));
    });
    req.on('error', () => resolve({ status: 0, complete: false, aborted: true, got: 0 }));
  });
  const r = await done;
  assert.equal(r.status, 200, 'the head had gone out');
  assert.equal(r.complete, false, `a truncated export (${r.got} bytes) must not end as complete`);
  // the worker goes on serving
  assert.equal((await admin.get(`/admin/e/imanor-2017/export.csv?format=long`)).status, 200);
});

test('the workers logged no sanitizer report (make test SANITIZE=1)', () => {
  assert.deepEqual(s.sanitizerReports().slice(0, 5), []);
});

// A page under the 256 KB that makes a worker shrink its buffers may still
// have worked on much more (the donor's report: the summary, its model,
// every chart): the worker gives that heap back too (main_fcgi.c, shrink),
// so its footprint after the report is that of a small page (issue 22:
// the workers under 10 MiB after the report; a worker kept 2 MiB more).
test('after the report of the big event, the worker is back to a small page\'s footprint', { timeout: 600000 }, async () => {
  const anon = () => kb(status(worker), 'RssAnon');
  // the generated participants folded first (else every page recomputes
  // their pending difference)
  for (const t0 = Date.now(); Number(s.sql('SELECT count(*) FROM stats_change')[0][0]) > 0;) {
    assert.ok(Date.now() - t0 < 480000, 'the big event folded within 8 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // warm: the definition, templates and summary code paths once; then
  // the dashboard (over 256 KB: the worker trims after it, with or
  // without the rule for small pages) sets the base
  for (const u of [`/admin/e/${BIG}/report?lang=fr`, `/admin/e/${BIG}?lang=fr`]) assert.equal((await admin.get(u)).status, 200);
  const base = anon();
  for (let i = 0; i < 3; i++) {
    const r = await admin.get(`/admin/e/${BIG}/report?lang=${['fr', 'en', 'ar'][i]}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.length < 256 * 1024, `the report is a small page (${r.text.length} bytes)`);
  }
  assert.equal(s.workerPids(s.masterPid())[0], worker, 'the same worker served it');
  const after = anon();
  console.log(`# report: worker RssAnon ${base} kB -> ${after} kB`);
  if (!sanitized(worker))
    assert.ok(after - base < 1024, `the worker kept ${after - base} kB after three reports`);
});
