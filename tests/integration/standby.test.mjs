// standby.test.mjs: analytics on a PostgreSQL hot standby (issue 26,
// DESIGN.md "Beyond one machine"). Starts its own primary and a streaming
// standby made by `pg_basebackup -R` (private Unix sockets, fsync off) and
// its own enquete stack (its own ENQUETE_VAR and port) with
// ENQUETE_DATABASE_URL on the primary and ENQUETE_ANALYTICS_DATABASE_URL on
// the standby. Both clusters log every statement with the connection's
// application_name, which tells which database ran which named statement.
// Everything it started is stopped at the end, even on failure (test.after
// and a process exit handler).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';


const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const IS_ROOT = process.getuid() === 0;
const PGBIN = (() => {
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const d = r.status === 0 ? r.stdout.trim() : '';
  return d && existsSync(path.join(d, 'initdb')) ? d : '/usr/lib/postgresql/15/bin';
})();

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// ---- the places: a short root under /tmp (socket paths < 107 bytes) ----
const ROOT = mkdtempSync('/tmp/enq-sb-');
chmodSync(ROOT, 0o755);
const SOCK = path.join(ROOT, 'sock');
const PDATA = path.join(ROOT, 'primary');
const SDATA = path.join(ROOT, 'standby');
const PGLOG = path.join(ROOT, 'pglog');
const VAR = path.join(ROOT, 'var');
const PPORT = 5432, SPORT = 5433; // socket names only: no TCP
const PORT = Number(process.env.ENQUETE_STANDBY_PORT || 0) || await freePort();
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = `sb-${Math.random().toString(36).slice(2)}-pw`;
const PRIMARY_URL = `host=${SOCK} port=${PPORT} dbname=enquete user=enquete`;
const STANDBY_URL = `host=${SOCK} port=${SPORT} dbname=enquete user=enquete`;
const LOG = { primary: path.join(PGLOG, 'primary.log'), standby: path.join(PGLOG, 'standby.log') };
const DATA = { primary: PDATA, standby: SDATA };

// client.mjs and lib.mjs read ENQUETE_BASE_URL when loaded: point them at
// this suite's own stack before loading them.
process.env.ENQUETE_BASE_URL = BASE;
// (lib.mjs too: a static import would fix its BASE, and client.mjs's,
// before the line above)
const { catalog } = await import('./lib.mjs');
const { Client, answers, submit, SLUG } = await import('./client.mjs');

const STACK_ENV = {
  ...process.env,
  ENQUETE_VAR: VAR, ENQUETE_PORT: String(PORT), ENQUETE_LISTEN: '127.0.0.1',
  ENQUETE_BASE_URL: BASE, ENQUETE_PUBLIC_URL: BASE, ENQUETE_ADMIN_PASSWORD: PASSWORD,
  ENQUETE_DATABASE_URL: PRIMARY_URL, ENQUETE_MIGRATE_DATABASE_URL: PRIMARY_URL,
  ENQUETE_ANALYTICS_DATABASE_URL: STANDBY_URL, ENQUETE_WORKERS: '2',
};

// Runs a PostgreSQL program as the postgres user when we are root (it
// refuses root), from / (our cwd may be unreachable to that user).
function pg(prog, args, { timeout = 60000 } = {}) {
  const bin = path.join(PGBIN, prog);
  const r = IS_ROOT
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { cwd: '/', encoding: 'utf8', timeout })
    : spawnSync(bin, args, { cwd: '/', encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${prog} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// SQL as the superuser on one cluster; rows of fields.
function sql(which, text) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', SOCK,
    '-p', String(which === 'primary' ? PPORT : SPORT), '-U', 'postgres', '-d', 'enquete', '-c', text],
  { cwd: '/', encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`psql on the ${which} failed: ${r.stderr}`);
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => l.split('|'));
}

const pgStart = (which) => pg('pg_ctl', ['-D', DATA[which], '-l', LOG[which], '-w', '-t', '60', 'start']);
const pgStop = (which) => pg('pg_ctl', ['-D', DATA[which], '-m', 'fast', '-w', '-t', '60', 'stop']);
const pgRunning = (which) => existsSync(path.join(DATA[which], 'postmaster.pid'));

function stack(cmd) {
  const r = spawnSync(path.join(REPO, 'scripts/stack'), [cmd], { cwd: REPO, env: STACK_ENV, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

// ---- cleanup, whatever happens ----
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (existsSync(path.join(VAR, 'run'))) stack('down');
  for (const which of ['standby', 'primary']) {
    if (!pgRunning(which)) continue;
    try { pg('pg_ctl', ['-D', DATA[which], '-m', 'immediate', '-w', '-t', '30', 'stop']); } catch (e) { console.error(String(e)); }
  }
  if (!process.env.ENQUETE_STANDBY_KEEP) rmSync(ROOT, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) process.on(sig, () => { cleanup(); process.exit(128 + n); });
after(cleanup);

// ---- the statements each cluster ran, from its log ----
const offsets = {};
function mark() { for (const w of ['primary', 'standby']) offsets[w] = statSync(LOG[w]).size; }
// [{app, stmt}] for every "execute NAME" logged since mark()
function executed(which) {
  const text = readFileSync(LOG[which]).subarray(offsets[which]).toString('utf8');
  const out = [];
  for (const m of text.matchAll(/^\S+ \S+ \S+ \d+ \[([^\]]*)\] LOG:  execute ([A-Z_0-9]+):/gm))
    out.push({ app: m[1], stmt: m[2] });
  return out;
}
const names = (list) => [...new Set(list.map((e) => e.stmt))].sort();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(fn, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(200);
  }
}

// The number shown in a data-k cell of the dashboard.
function cell(html, key) {
  const m = html.match(new RegExp(`data-k="${key.replace('.', '\\.')}"[^>]*>([^<]*)<`));
  return m ? m[1].trim() : null;
}
// The pre count of the event in the admin events list.
function listedPre(html) {
  const m = html.match(new RegExp(`data-k="${SLUG}\\.pre">(\\d+)</td>`));
  return m ? Number(m[1]) : null;
}
const catalogs = ['fr', 'en', 'ar'].map((l) => catalog(l));
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const saysAnalyticsDown = (html) => catalogs.some((c) => c.text_analytics_down && html.includes(escapeHtml(c.text_analytics_down)));

function masterPid() { return Number(readFileSync(path.join(VAR, 'run/fcgi.pid'), 'utf8').trim()); }
function workerPids(master) {
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) pids.push(Number(d));
  }
  return pids.sort((a, b) => a - b);
}

const countOn = (which) => Number(sql(which, "SELECT count(*) FROM response WHERE instrument = 'pre'")[0][0]);
async function caughtUp() {
  await waitFor(() => countOn('standby') === countOn('primary'), 'the standby to replay the primary');
}

let admin;
async function attendeePre() {
  const c = new Client();
  const { res } = await submit(c, 'pre', answers('pre'));
  return res;
}
// the analytics pages and API under test: [path, expected content type]
const ANALYTICS = [
  [`/admin/e/${SLUG}`, /text\/html/],
  [`/admin/e/${SLUG}/report`, /text\/html/],
  [`/api/v1/events/${SLUG}/summary`, /application\/json/],
  [`/admin/e/${SLUG}/export.csv?format=long`, /text\/csv/],
  [`/admin/e/${SLUG}/export.csv?format=wide`, /text\/csv/],
  [`/admin/e/${SLUG}/export.json`, /application\/json/],
];

before(async () => {
  for (const d of [SOCK, PDATA, SDATA, PGLOG]) {
    mkdirSync(d, { mode: 0o700 });
    if (IS_ROOT) chownSync(d, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout));
  }
  chmodSync(SOCK, 0o755); // the workers (ENQUETE_RUN_AS) connect here
  chmodSync(PGLOG, 0o755);
  pg('initdb', ['-D', PDATA, '-U', 'postgres', '--auth-local=trust', '--auth-host=reject',
    '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  // every statement logged with its application_name: the workers' primary
  // connection is "enquete", their analytics one "enquete-analytics"
  const conf = `
listen_addresses = ''
unix_socket_directories = '${SOCK}'
port = ${PPORT}
fsync = off
max_connections = 40
shared_buffers = 16MB
log_statement = 'all'
log_line_prefix = '%m %p [%a] '
wal_level = replica
max_wal_senders = 4
`;
  spawnSync(IS_ROOT ? 'runuser' : 'sh', IS_ROOT ? ['-u', 'postgres', '--', 'sh', '-c', `cat >> ${PDATA}/postgresql.conf`] : ['-c', `cat >> ${PDATA}/postgresql.conf`], { input: conf, cwd: '/' });
  pgStart('primary');
}, { timeout: 120000 });

test('setup: a primary, a streaming standby from pg_basebackup -R, and a stack using both', { timeout: 180000 }, async () => {
  // (sql() targets dbname enquete: created here through the postgres database)
  const psqlPg = (text) => {
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', SOCK, '-p', String(PPORT), '-U', 'postgres', '-d', 'postgres', '-c', text], { cwd: '/', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  psqlPg('CREATE ROLE enquete LOGIN');
  psqlPg("CREATE DATABASE enquete OWNER enquete ENCODING 'UTF8' TEMPLATE template0");
  pg('pg_basebackup', ['-h', SOCK, '-p', String(PPORT), '-U', 'postgres', '-D', SDATA, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
  assert.ok(existsSync(path.join(SDATA, 'standby.signal')), 'pg_basebackup -R wrote standby.signal');
  spawnSync(IS_ROOT ? 'runuser' : 'sh', IS_ROOT ? ['-u', 'postgres', '--', 'sh', '-c', `cat >> ${SDATA}/postgresql.conf`] : ['-c', `cat >> ${SDATA}/postgresql.conf`],
    { input: `\nport = ${SPORT}\nhot_standby = on\nhot_standby_feedback = on\n`, cwd: '/' });
  pgStart('standby');
  assert.deepEqual(sql('standby', 'SELECT pg_is_in_recovery()'), [['t']]);
  await waitFor(() => sql('primary', 'SELECT state FROM pg_stat_replication')[0]?.[0] === 'streaming', 'streaming replication');

  const up = stack('up');
  assert.equal(up.code, 0, up.out);
  // the schema and the event were loaded on the primary and replayed
  await waitFor(() => sql('standby', `SELECT count(*) FROM event WHERE slug = '${SLUG}'`)[0][0] === '1', 'the event on the standby');

  // six attendees: free text is shown (and so read) only for groups of 5 or more
  for (let i = 0; i < 6; i++) assert.equal((await attendeePre()).status, 303);
  await caughtUp();
  admin = new Client();
  assert.equal((await admin.login('admin', PASSWORD)).status, 303);
});

test('dashboard, report, summary and exports read on the standby; the primary runs none of their queries', async () => {
  // a first pass opens every worker's connections (their LISTEN and
  // session statements are then out of the way)
  for (const [p] of ANALYTICS) assert.equal((await admin.get(p)).status, 200, p);
  mark();
  for (let round = 0; round < 2; round++) {
    for (const [p, type] of ANALYTICS) {
      const r = await admin.get(p);
      assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
      assert.match(r.headers['content-type'], type, p);
    }
  }
  const summary = JSON.parse((await admin.get(`/api/v1/events/${SLUG}/summary`)).text);
  assert.equal(summary.counts.pre, countOn('primary'));
  await sleep(300); // the logs are written by the servers, asynchronously
  const onPrimary = executed('primary'), onStandby = executed('standby');
  // the analysis ran on the standby, on the analytics connection
  for (const s of ['EVENT_BY_SLUG', 'SUMMARY_STATS', 'DASH_PREISSUED', 'DASH_COMMENTS', 'EXPORT_ANSWERS', 'EXPORT_RESPONSES', 'REPLICA_LAG'])
    assert.ok(names(onStandby).includes(s), `${s} ran on the standby (it ran: ${names(onStandby)})`);
  assert.ok(onStandby.every((e) => e.app === 'enquete-analytics'), JSON.stringify(onStandby.filter((e) => e.app !== 'enquete-analytics')));
  // the primary only checked the session of each request (and, on a
  // worker's first request, read the application key or listened); the
  // statistics folder (enquetectl fold, not a page: its own
  // application_name) writes there too
  assert.ok(names(onPrimary).includes('SESSION_TOUCH'), 'the primary log is read');
  const AUTH = ['SESSION_TOUCH', 'TOKEN_USER', 'SECRET_GET', 'LISTEN_EVENTS'];
  const pages = onPrimary.filter((e) => e.app !== 'enquete-fold');
  assert.deepEqual(names(pages).filter((n) => !AUTH.includes(n)), [], `the primary ran ${JSON.stringify(names(pages))}`);
  assert.ok(!onPrimary.some((e) => e.app === 'enquete-analytics'));
});

test('submissions and the live counts of the events list use the primary; the dashboard shows the standby lag', async () => {
  const before = countOn('primary');
  let dash;
  // caught up: the lag line says 0.0 (each request's session update on the
  // primary may be in flight for a moment)
  await waitFor(async () => {
    dash = await admin.get(`/admin/e/${SLUG}`);
    return cell(dash.text, 'replica.lag') === '0.0';
  }, 'a lag of 0.0 s on the dashboard', 10000);
  assert.equal(cell(dash.text, 'counts.pre'), String(before));

  // the standby stops replaying: whatever is submitted now is on the
  // primary only
  sql('standby', 'SELECT pg_wal_replay_pause()');
  try {
    mark();
    const r = await attendeePre();
    assert.equal(r.status, 303, r.text.slice(0, 300));
    await sleep(300);
    assert.ok(names(executed('primary')).includes('SUBMIT'), 'the submission ran on the primary');
    assert.ok(!names(executed('standby')).includes('SUBMIT'));
    assert.equal(countOn('primary'), before + 1);
    assert.equal(countOn('standby'), before);

    // the organiser's events list: live, from the primary
    const list = await admin.get('/admin/');
    assert.equal(list.status, 200);
    assert.equal(listedPre(list.text), before + 1, 'the events list counts the new submission');
    await sleep(300);
    assert.ok(names(executed('primary')).includes('ADMIN_EVENTS'));
    assert.ok(!names(executed('standby')).includes('ADMIN_EVENTS'));

    // the dashboard: the standby's figures, and how far behind they are
    await sleep(1200);
    dash = await admin.get(`/admin/e/${SLUG}`);
    assert.equal(dash.status, 200);
    assert.equal(cell(dash.text, 'counts.pre'), String(before), 'the dashboard reads the paused standby');
    const lag = Number(cell(dash.text, 'replica.lag'));
    assert.ok(lag >= 1.0, `the dashboard shows a lag of at least 1 s (shows ${cell(dash.text, 'replica.lag')})`);
  } finally {
    sql('standby', 'SELECT pg_wal_replay_resume()');
  }
  // replay resumed: the dashboard catches up and its lag is 0 again
  await waitFor(async () => {
    const d = await admin.get(`/admin/e/${SLUG}`);
    return cell(d.text, 'counts.pre') === String(before + 1) && cell(d.text, 'replica.lag') === '0.0';
  }, 'the dashboard to catch up');
});

test('the standby stopped: analytics pages answer 503 saying why; attendees and the events list are unaffected', async () => {
  // every worker holds an open analytics connection before the stop
  for (let i = 0; i < 4; i++) assert.equal((await admin.get(`/admin/e/${SLUG}`)).status, 200);
  pgStop('standby');
  const before = countOn('primary');
  for (const [p] of ANALYTICS) {
    for (let i = 0; i < 2; i++) { // both workers
      const r = await admin.get(p);
      assert.equal(r.status, 503, `${p} with the standby stopped: ${r.status}`);
      assert.equal(r.headers['retry-after'], '30', p);
      if (p.startsWith('/api/'))
        assert.match(JSON.parse(r.text).error, /analytics database/, p);
      else
        assert.ok(saysAnalyticsDown(r.text), `${p} says the analysis database is unreachable: ${r.text.slice(0, 600)}`);
    }
  }
  // attendees: forms and submissions on the primary still work
  for (let i = 0; i < 2; i++) {
    const r = await attendeePre();
    assert.equal(r.status, 303, r.text.slice(0, 300));
  }
  assert.equal(countOn('primary'), before + 2);
  assert.equal((await new Client().get(`/e/${SLUG}/`)).status, 200);
  const list = await admin.get('/admin/');
  assert.equal(list.status, 200);
  assert.equal(listedPre(list.text), before + 2);
  const health = await new Client().get('/healthz');
  assert.equal(health.status, 200);
});

test('the standby back: the pages recover without restarting the workers', { timeout: 90000 }, async () => {
  const master = masterPid();
  const workers = workerPids(master);
  assert.equal(workers.length, 2);
  pgStart('standby');
  await caughtUp();
  await waitFor(async () => (await admin.get(`/admin/e/${SLUG}`)).status === 200, 'the dashboard to answer 200');
  for (let i = 0; i < 3; i++) {
    for (const [p] of ANALYTICS) assert.equal((await admin.get(p)).status, 200, p);
  }
  const dash = await admin.get(`/admin/e/${SLUG}`);
  assert.equal(cell(dash.text, 'counts.pre'), String(countOn('primary')), 'what was submitted meanwhile is replayed');
  assert.equal(masterPid(), master, 'the master was not restarted');
  assert.deepEqual(workerPids(master), workers, 'no worker was restarted');
});

test('the workers logged no sanitizer report (make test SANITIZE=1)', () => {
  const log = readFileSync(path.join(VAR, 'log/fcgi.log'), 'utf8');
  const bad = log.split('\n').filter((l) => /AddressSanitizer|LeakSanitizer|runtime error/.test(l));
  assert.deepEqual(bad.slice(0, 5), []);
});
