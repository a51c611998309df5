// pgbouncer.test.mjs: the workers through pgbouncer in transaction pooling
// (issue 26, DESIGN.md "Beyond one machine"). A stack of its own with
// ENQUETE_PGBOUNCER=1 (scripts/stack starts Debian's pgbouncer 1.18 on a
// Unix socket in the runtime directory, pool_mode=transaction, and gives the
// workers ENQUETE_DB_POOLED=1). Submissions, the form pages, the dashboard
// (filtered too: the time limit is SET LOCAL in its own transaction), the
// exports and the API all work through it; pgbouncer's SHOW POOLS / SHOW
// STATS / SHOW CLIENTS say the traffic went through it, in transaction
// mode, with fewer server connections than worker connections; PostgreSQL
// sees the workers' role only from pgbouncer, and no statement was ever
// prepared by name (pgbouncer 1.18 cannot carry them across transactions:
// with prepared statements every request after the first fails).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { ownStack } from './ownstack.mjs';

const s = await ownStack('pgb', { ENQUETE_PGBOUNCER: '1', ENQUETE_WORKERS: '4' });
process.env.ENQUETE_BASE_URL = s.base;
const { Client, DEF, answers, submit, SLUG } = await import('./client.mjs');

const admin = () => `host=${s.rundir()}/pgbouncer port=6432 dbname=pgbouncer user=enquete`;
// SHOW WHAT on pgbouncer's console: rows as objects keyed by column
function showObjects(what) {
  const r = spawnSync('psql', [admin(), '-X', '-q', '-A', '-F', '\x1f', '-c', `SHOW ${what}`], { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`SHOW ${what}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').filter((l) => !/^\(\d+ rows?\)$/.test(l));
  const head = lines.shift().split('\x1f');
  return lines.map((l) => Object.fromEntries(l.split('\x1f').map((v, i) => [head[i], v])));
}

// the profile items of the bundled event: {key, value} of each one's first option
function profiles() {
  const out = [];
  for (const sec of DEF.instruments.pre.sections)
    for (const it of sec.items)
      if (it.analysis === 'profile' && it.options) out.push({ key: it.key, value: it.options[0].value });
  return out;
}

let org;
before(async () => {
  s.up();
  org = new Client();
  assert.equal((await org.login('admin', s.password)).status, 303);
}, { timeout: 180000 });

test('scripts/stack started pgbouncer in transaction mode and the workers connect through it', () => {
  const pools = showObjects('POOLS').filter((p) => p.database === 'enquete');
  assert.equal(pools.length, 1, JSON.stringify(pools));
  assert.equal(pools[0].user, 'enquete_app');
  assert.equal(pools[0].pool_mode, 'transaction');
  const conf = showObjects('CONFIG');
  assert.equal(conf.find((c) => c.key === 'pool_mode').value, 'transaction');
  assert.equal(conf.find((c) => c.key === 'listen_addr').value, '', 'no TCP');
  const st = s.run('status');
  assert.match(st.out, /pgbouncer: +running/);
});

test('submissions, forms, the dashboard, exports and the API work through pgbouncer', { timeout: 120000 }, async () => {
  const before = Number(showObjects('STATS').find((r) => r.database === 'enquete').total_xact_count);
  const acked = [];
  // 12 attendees, pre and post, 4 at a time
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 4 }, async () => {
      const c = new Client();
      const pre = await submit(c, 'pre', answers('pre'));
      assert.equal(pre.form.status, 200);
      assert.equal(pre.res.status, 303, pre.res.text.slice(0, 300));
      const post = await submit(c, 'post', answers('post'));
      assert.equal(post.res.status, 303, post.res.text.slice(0, 300));
      acked.push(1);
    }));
  }
  assert.equal(acked.length, 12);
  assert.equal(Number(s.sql("SELECT count(*) FROM response WHERE instrument = 'post'")[0][0]), 12);
  for (const [p, type] of [
    [`/admin/e/${SLUG}`, /text\/html/],
    [`/admin/e/${SLUG}?${profiles()[0].key}=${encodeURIComponent(profiles()[0].value)}`, /text\/html/],
    [`/admin/e/${SLUG}/report`, /text\/html/],
    [`/api/v1/events/${SLUG}/summary`, /application\/json/],
    [`/admin/e/${SLUG}/export.csv?format=long`, /text\/csv/],
    [`/admin/e/${SLUG}/export.csv?format=wide`, /text\/csv/],
    [`/admin/e/${SLUG}/export.json`, /application\/json/],
    [`/admin/e/${SLUG}/codebook.csv`, /text\/csv/],
    [`/admin/e/${SLUG}/contacts.csv`, /text\/csv/],
  ]) {
    for (let i = 0; i < 3; i++) { // several workers, several server connections
      const r = await org.get(p);
      assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
      assert.match(r.headers['content-type'], type, p);
    }
  }
  const sum = JSON.parse((await org.get(`/api/v1/events/${SLUG}/summary`)).text);
  assert.equal(sum.counts.post, 12);
  const long = (await org.get(`/admin/e/${SLUG}/export.csv?format=long`)).text.split('\r\n');
  assert.equal(new Set(long.slice(1).filter(Boolean).map((l) => l.split(',')[0])).size, 12, 'every participant exported');
  // combined filters: the limited query (BEGIN, SET LOCAL, query, COMMIT)
  const [a, b] = profiles().slice(0, 2);
  const both = await org.get(`/api/v1/events/${SLUG}/summary?${a.key}=${encodeURIComponent(a.value)}&${b.key}=${encodeURIComponent(b.value)}`);
  assert.equal(both.status, 200, both.text.slice(0, 300));

  const stats = showObjects('STATS').find((r) => r.database === 'enquete');
  assert.ok(Number(stats.total_xact_count) - before >= 24 * 3, `pgbouncer counted ${Number(stats.total_xact_count) - before} transactions`);
  const clients = showObjects('CLIENTS').filter((c) => c.database === 'enquete');
  assert.ok(clients.length >= 2, `the workers are pgbouncer's clients: ${clients.length}`);
});

test('PostgreSQL sees the workers only through pgbouncer, with fewer server connections, and no named prepared statement', () => {
  const servers = showObjects('SERVERS').filter((c) => c.database === 'enquete');
  const clients = showObjects('CLIENTS').filter((c) => c.database === 'enquete');
  assert.ok(servers.length <= 10, `${servers.length} server connections (pool size 10)`);
  // every enquete_app session of the cluster is one of pgbouncer's
  const app = Number(s.sql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'enquete_app'")[0][0]);
  assert.equal(app, servers.length, `${app} enquete_app sessions, ${servers.length} pgbouncer server connections (${clients.length} clients)`);
  // a named prepared statement would have failed on the next transaction
  // ("prepared statement ... does not exist"): none in the workers' log
  const fcgi = readFileSync(`${s.VAR}/log/fcgi.log`, 'utf8');
  assert.doesNotMatch(fcgi, /prepared statement|prepare [A-Z_]+ failed|answered 5\d\d/);
});

test('the statistics folder (enquetectl fold --loop) connects directly, as the owner; no worker LISTENs through the pool', () => {
  const folder = s.sql("SELECT usename, client_addr IS NULL FROM pg_stat_activity WHERE application_name = 'enquete-fold'");
  assert.equal(folder.length, 1, JSON.stringify(folder));
  assert.equal(folder[0][0], 'enquete', 'the owner, not the pooled enquete_app');
  const listening = s.sql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'enquete_app' AND query ILIKE 'LISTEN%'")[0][0];
  assert.equal(Number(listening), 0, 'no worker LISTENs through the pool');
});

test('the workers logged no sanitizer report (make test SANITIZE=1)', () => {
  assert.deepEqual(s.sanitizerReports().slice(0, 5), []);
});
