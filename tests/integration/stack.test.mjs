// tests/integration/stack.test.mjs: the stack itself: /healthz with and
// without PostgreSQL, workers respawned by the master, idempotent up, and
// a fresh clone under a mode-0700 directory (the CI case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  REPO, http, psql, stack, pgStop, pgStart, masterPid, workerPids, waitFor, freePort,
} from './lib.mjs';

const healthz = async () => (await http('GET', '/healthz')).status;

test('/healthz answers 200 ok in text/plain', async () => {
  const r = await http('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text.split('\n')[0], 'ok');
  assert.match(r.text, /^ok\nstats-lag-ms [0-9]+$/);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
});

test('the private database answers psql', () => {
  assert.deepEqual(psql('SELECT 1, current_user'), [['1', 'enquete']]);
});

test('an unknown path is 404', async () => {
  assert.equal((await http('GET', '/no/such/page')).status, 404);
});

test('a body over 256 KB is 413', async () => {
  const r = await http('POST', '/e/imanor-2017/pre', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'x='.padEnd(300 * 1024, 'a'),
  });
  assert.equal(r.status, 413);
});

test('/healthz is 503 while PostgreSQL is down and 200 once it is back', async () => {
  pgStop();
  try {
    await waitFor(async () => (await healthz()) === 503, { what: '503', timeoutMs: 10000 });
    // The workers keep serving: several requests in a row all get an answer.
    for (let i = 0; i < 5; i++) assert.equal(await healthz(), 503);
  } finally {
    pgStart();
  }
  await waitFor(async () => (await healthz()) === 200, { what: '200 after restart', timeoutMs: 15000 });
});

// What scripts/stack gives the private cluster: a quarter of the memory
// (of the cgroup's limit when lower), from 128 MB to 8 GB.
function quarterOfMemory() {
  let kb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))[1]);
  try {
    const lim = readFileSync('/sys/fs/cgroup/memory.max', 'utf8').trim();
    if (/^\d+$/.test(lim) && Math.floor(Number(lim) / 1024) < kb) kb = Math.floor(Number(lim) / 1024);
  } catch { /* no cgroup v2 limit */ }
  return Math.min(8192, Math.max(128, Math.floor(kb / 4096)));
}
const mb = (setting) => {
  const m = /^(\d+)(kB|MB|GB)$/.exec(setting);
  assert.ok(m, `shared_buffers ${setting}`);
  return Number(m[1]) * { kB: 1 / 1024, MB: 1, GB: 1024 }[m[2]];
};

test('the private cluster gets a quarter of the memory as shared buffers, or ENQUETE_PG_SHARED_BUFFERS', async () => {
  const want = process.env.ENQUETE_PG_SHARED_BUFFERS;
  const [[got]] = psql('SHOW shared_buffers');
  if (want) assert.equal(mb(got), mb(want));
  else assert.equal(mb(got), quarterOfMemory());
  pgStop();
  try {
    // a value that is no size never reaches postgres's command line
    const r = stack('pg-start', { env: { ENQUETE_PG_SHARED_BUFFERS: '1GB -c fsync=off' } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /ENQUETE_PG_SHARED_BUFFERS: "1GB -c fsync=off" \(a size such as 512MB or 4GB\)/);
    assert.equal(stack('pg-start', { env: { ENQUETE_PG_SHARED_BUFFERS: '256MB' } }).code, 0);
    assert.deepEqual(psql('SHOW shared_buffers'), [['256MB']]);
    pgStop();
  } finally {
    pgStart();
  }
  await waitFor(async () => (await healthz()) === 200, { what: '200 after restart', timeoutMs: 15000 });
  assert.equal(mb(psql('SHOW shared_buffers')[0][0]), want ? mb(want) : quarterOfMemory());
});

test('the master replaces a worker killed with SIGKILL', async () => {
  const master = masterPid();
  const before = workerPids(master);
  assert.ok(before.length > 0, 'no workers');
  const victim = before[0];
  process.kill(victim, 'SIGKILL');
  const after = await waitFor(() => {
    const now = workerPids(master);
    return !now.includes(victim) && now.length === before.length &&
      now.some((p) => !before.includes(p)) && now;
  }, { what: 'a new worker', timeoutMs: 10000 });
  assert.equal(after.length, before.length);
  for (let i = 0; i < 10; i++) assert.equal(await healthz(), 200);
});

test('scripts/stack up is idempotent and status reports running', async () => {
  const master = masterPid();
  const r = stack('up');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(masterPid(), master, 'up restarted the workers');
  assert.equal(await healthz(), 200);
  const s = stack('status');
  assert.equal(s.code, 0, s.stdout + s.stderr);
  assert.match(s.stdout, /stack: running/);
});

// README: `eval "$(scripts/stack env)"` then bin/enquetectl. The variable
// must be exported: a program started after the eval (a child of the
// shell) sees it, not only the shell itself.
test('eval "$(scripts/stack env)" exports ENQUETE_DATABASE_URL to the programs started after it', () => {
  const want = process.env.ENQUETE_DATABASE_URL;
  assert.ok(want, 'tests/run-all sets ENQUETE_DATABASE_URL from scripts/stack env');
  const env = { ...process.env };
  delete env.ENQUETE_DATABASE_URL;
  const script = [
    'set -e',
    'eval "$(scripts/stack env)"',
    // a child process, not the shell: only an exported variable gets there
    'env | sed -n "s/^ENQUETE_DATABASE_URL=//p"',
    'psql "$ENQUETE_DATABASE_URL" -X -Atc "SELECT 1" >/dev/null',
    'bin/enquetectl migrate',
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], { cwd: REPO, env, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  const [url, ...rest] = r.stdout.split('\n');
  assert.equal(url, want);
  assert.match(rest.join('\n'), /schema up to date/);
  const out = spawnSync(path.join(REPO, 'scripts/stack'), ['env'], { cwd: REPO, env, encoding: 'utf8', timeout: 30000 });
  assert.match(out.stdout, /^export ENQUETE_DATABASE_URL=/m);
});

// A fresh clone of HEAD under a mode-0700 "home", as CI does: neither the
// postgres user nor nginx's workers can reach its var/, so the stack must
// move what they need to a runtime directory they can reach.
test('a clone under a mode-0700 directory comes up and down', {
  timeout: 240000,
}, async () => {
  const top = mkdtempSync('/tmp/enq-0700-');
  const home = path.join(top, 'home');
  mkdirSync(home);
  chmodSync(home, 0o700);
  const dir = path.join(home, 'enquete');
  const port = await freePort();
  const env = {
    ...process.env, ENQUETE_PORT: String(port), ENQUETE_VAR: path.join(dir, 'var'),
    ENQUETE_PUBLIC_URL: `http://127.0.0.1:${port}`, ENQUETE_PG_FAST: '1',
  };
  delete env.ENQUETE_DATABASE_URL;
  delete env.ENQUETE_ANALYTICS_DATABASE_URL;
  delete env.ENQUETE_BASE_URL;
  const run = (cmd, args, cwd, timeout = 180000) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
    assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
    return r;
  };
  try {
    run('git', ['clone', '--quiet', REPO, dir], top);
    run('make', ['-s', 'all'], dir);
    run(path.join(dir, 'scripts/stack'), ['up'], dir, 90000);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
    assert.equal((await res.text()).split('\n')[0], 'ok');
    const rundir = readFileSync(path.join(dir, 'var/run/rundir'), 'utf8').trim();
    if (process.getuid() === 0) {
      // var/ is out of reach for postgres and www-data: the runtime dir moved.
      assert.match(rundir, /^\/tmp\/enquete-0-[0-9a-f]{8}$/);
    }
    run(path.join(dir, 'scripts/stack'), ['down'], dir, 60000);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    assert.ok(existsSync(path.join(rundir, 'pgdata')), 'down keeps the cluster');
    // clean (make test after a passing run): the cluster and the runtime
    // directory go, even out of var/, the logs stay
    run(path.join(dir, 'scripts/stack'), ['clean'], dir, 60000);
    if (rundir === path.join(dir, 'var')) assert.ok(!existsSync(path.join(rundir, 'pgdata')));
    else assert.ok(!existsSync(rundir), `${rundir} deleted`);
    assert.deepEqual(readdirSync(path.join(dir, 'var')), ['log']);
    assert.ok(readdirSync(path.join(dir, 'var/log')).length > 0);
  } finally {
    spawnSync(path.join(dir, 'scripts/stack'), ['purge'], { cwd: dir, env, timeout: 60000 });
    rmSync(top, { recursive: true, force: true });
  }
});
