// multihost.test.mjs: several application hosts behind one nginx
// (issue 26, DESIGN.md "Beyond one machine"). A stack of its own with
// ENQUETE_MASTERS=2: two FastCGI masters, each with its workers on its own
// socket, in one nginx upstream. Under a load of 32 attendees submitting at
// once (loopback, bounded in count), master 2 and its workers are killed
// with SIGKILL, as a host that dies: every submission acknowledged to its
// client (303) is in the database, exactly once; nginx sends the rest to
// master 1; a POST that failed (a 502: nginx never resends a POST it had
// already handed over) is sent again by its client with the same form
// token and is stored once, never twice. `scripts/stack up` brings master 2
// back, and it serves alone when master 1 is killed in turn.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { ownStack } from './ownstack.mjs';

const CLIENTS = 32, PER_CLIENT = 12, KILL_AFTER = 96;
const s = await ownStack('mh', { ENQUETE_MASTERS: '2', ENQUETE_WORKERS: '2' });
process.env.ENQUETE_BASE_URL = s.base;
const { Client, DEF, answers, hidden, SLUG } = await import('./client.mjs');

// the pre instrument's first free-text item (text or longtext) carries each submission's marker
const MARK = DEF.instruments.pre.sections.flatMap((x) => x.items).find((it) => (it.type === 'text' || it.type === 'longtext') && !it.personal).key;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// bytes the workers of master m have read (their requests, through its
// socket), from /proc/PID/io
function served(m) {
  let n = 0;
  for (const p of s.workerPids(s.masterPid(m))) {
    try { n += Number(readFileSync(`/proc/${p}/io`, 'utf8').match(/^rchar: (\d+)/m)[1]); } catch { /* gone */ }
  }
  return n;
}

function killHost(m) {
  const master = s.masterPid(m);
  const pids = [master, ...s.workerPids(master)];
  for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  return pids;
}

// One attendee: the form, then the POST, sent again (same body, same form
// token) after a failure, at most 10 times. Returns what its client saw.
async function attendee(marker) {
  const c = new Client();
  let form;
  for (let i = 0; i < 10; i++) {
    try { form = await c.get(`/e/${SLUG}/pre`); } catch { form = null; }
    if (form && form.status === 200) break;
    await sleep(300);
  }
  if (!form || form.status !== 200) return { marker, acked: false, form: form ? form.status : 0, tries: [] };
  const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  const body = [...tech, ...answers('pre', { [MARK]: marker })];
  const tries = [];
  for (let i = 0; i < 10; i++) {
    let st;
    try { st = (await c.post(`/e/${SLUG}/pre`, body)).status; } catch { st = 0; }
    tries.push(st);
    if (st === 303) return { marker, acked: true, at: Date.now(), tries };
    await sleep(300);
  }
  return { marker, acked: false, tries };
}

before(() => { s.up(); }, { timeout: 180000 });

test('nginx has both masters in its upstream, each on its own socket', () => {
  const st = s.run('status');
  assert.equal(st.code, 0, st.out);
  assert.match(st.out, /enquete-fcgi 1: +running/);
  assert.match(st.out, /enquete-fcgi 2: +running/);
  assert.notEqual(s.masterPid(1), s.masterPid(2));
});

let outcome = [], killedAt = 0;
test(`${CLIENTS} attendees at once, master 2 killed (SIGKILL, with its workers) after ${KILL_AFTER} acknowledged: nothing acknowledged is lost`, { timeout: 300000 }, async () => {
  let acked = 0, before2 = 0;
  const start1 = served(1), start2 = served(2);
  const run = async (k) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const r = await attendee(`mh-${k}-${i}-${Math.random().toString(36).slice(2, 8)}`);
      outcome.push(r);
      if (r.acked && ++acked === KILL_AFTER) {
        before2 = served(2);
        killedAt = Date.now();
        killHost(2);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => run(k)));
  assert.ok(killedAt > 0, 'master 2 was killed under load');
  console.log(`# read by the workers before the kill: master 1 ${served(1) - start1} bytes (until the end), master 2 ${before2 - start2}`);
  assert.ok(before2 - start2 > 20000, `master 2 served before it died (its workers read ${before2 - start2} bytes)`);
  const stored = new Map(s.sql(`SELECT answers->>'${MARK}', count(*) FROM response WHERE answers->>'${MARK}' LIKE 'mh-%' GROUP BY 1`)
    .map(([m, n]) => [m, Number(n)]));
  const ack = outcome.filter((r) => r.acked);
  const lost = ack.filter((r) => !stored.has(r.marker));
  assert.deepEqual(lost, [], `${lost.length} acknowledged submissions are not in the database`);
  const twice = [...stored].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], 'a submission sent again with its token is stored once');
  // nginx went on with master 1: the load after the kill was acknowledged
  const after = ack.filter((r) => r.at > killedAt).length;
  const failed = outcome.filter((r) => !r.acked);
  const retried = outcome.filter((r) => r.tries.length > 1);
  console.log(`# ${outcome.length} attendees, ${ack.length} acknowledged (${after} after the kill), ${retried.length} sent again after a failure (${retried.map((r) => r.tries.join('>')).join(' ')}), ${failed.length} never acknowledged`);
  assert.ok(after >= CLIENTS * PER_CLIENT - KILL_AFTER - CLIENTS, `${after} acknowledged after the kill`);
  assert.deepEqual(failed, [], 'every attendee got through, resending at most 9 times');
  assert.equal(stored.size, ack.length);
});

test('a submission sent again with the same form token (a resend after a 502, by the attendee or the front) is stored once and acknowledged both times', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  assert.equal(form.status, 200);
  const marker = `mh-twice-${Math.random().toString(36).slice(2, 8)}`;
  const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  const body = [...tech, ...answers('pre', { [MARK]: marker })];
  const first = await c.post(`/e/${SLUG}/pre`, body);
  // a second client (no cookie: another host, a browser resending)
  const second = await new Client().post(`/e/${SLUG}/pre`, body);
  assert.equal(first.status, 303);
  assert.equal(second.status, 303, second.text.slice(0, 300));
  assert.equal(second.headers.location, first.headers.location);
  assert.equal(s.sql(`SELECT count(*) FROM response WHERE answers->>'${MARK}' = '${marker}'`)[0][0], '1');
});

test('master 2 rejoins with `scripts/stack up`, and serves alone when master 1 dies in turn', { timeout: 180000 }, async () => {
  const st = s.run('status');
  assert.notEqual(st.code, 0, 'status says master 2 is down');
  assert.match(st.out, /enquete-fcgi 2: +stopped/);
  s.up();
  assert.match(s.run('status').out, /enquete-fcgi 2: +running/);
  // nginx takes master 2 back once its fail_timeout (5 s) is over: it
  // serves requests again
  const back = served(2);
  const until = Date.now() + 20000;
  while (served(2) === back && Date.now() < until) {
    await new Client().get(`/e/${SLUG}/pre`).catch(() => null);
    await sleep(100);
  }
  assert.ok(served(2) > back, 'nginx sends requests to master 2 again');
  killHost(1);
  const res = [];
  for (let i = 0; i < 8; i++) res.push(attendee(`mh-rejoin-${i}-${Math.random().toString(36).slice(2, 8)}`));
  const done = await Promise.all(res);
  assert.deepEqual(done.filter((r) => !r.acked), [], 'master 2 alone acknowledges');
  const stored = Number(s.sql(`SELECT count(*) FROM response WHERE answers->>'${MARK}' LIKE 'mh-rejoin-%'`)[0][0]);
  assert.equal(stored, 8);
  s.up(); // master 1 back too
  assert.equal(s.run('status').code, 0);
});

test('the workers logged no sanitizer report (make test SANITIZE=1)', () => {
  assert.deepEqual(s.sanitizerReports().slice(0, 5), []);
});
