// ownstack.mjs: a throwaway enquete stack of a suite's own (its own
// ENQUETE_VAR under a short /tmp root, a free port, a fresh private
// cluster), for the suites that start it with other settings (pgbouncer,
// several masters, one worker). Stopped and deleted at the end, even on
// failure (test.after and a process exit handler).
//
//   const s = await ownStack('pgb', { ENQUETE_PGBOUNCER: '1' });
//   process.env.ENQUETE_BASE_URL = s.base;   // before loading client.mjs
//   s.up(); s.sql('SELECT 1'); s.down();
import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function ownStack(name, env = {}) {
  const root = mkdtempSync(`/tmp/enq-${name}-`);
  chmodSync(root, 0o755);
  const VAR = path.join(root, 'var');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const password = `${name}-${Math.random().toString(36).slice(2)}-pw`;
  const ENV = { ...process.env };
  for (const k of ['ENQUETE_DATABASE_URL', 'ENQUETE_ANALYTICS_DATABASE_URL', 'ENQUETE_MIGRATE_DATABASE_URL',
    'ENQUETE_PGBOUNCER', 'ENQUETE_MASTERS', 'ENQUETE_DB_POOLED', 'ENQUETE_WORKERS']) delete ENV[k];
  Object.assign(ENV, {
    ENQUETE_VAR: VAR, ENQUETE_PORT: String(port), ENQUETE_LISTEN: '127.0.0.1',
    ENQUETE_BASE_URL: base, ENQUETE_PUBLIC_URL: base, ENQUETE_ADMIN_PASSWORD: password,
    ENQUETE_PG_FAST: '1', ...env,
  });
  const run = (cmd, timeout = 180000) => {
    const r = spawnSync(path.join(REPO, 'scripts/stack'), [cmd], { cwd: REPO, env: ENV, encoding: 'utf8', timeout });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const rundir = () => readFileSync(path.join(VAR, 'run/rundir'), 'utf8').trim();
  // the owner's conninfo (direct, never through pgbouncer)
  const dbUrl = () => `host=${rundir()}/pgsock port=5432 dbname=enquete user=enquete`;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    if (existsSync(path.join(VAR, 'run'))) run('down');
    if (!process.env.ENQUETE_KEEP_OWN_STACK) rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  after(cleanup);
  const s = {
    root, VAR, port, base, password, env: ENV,
    up() { const r = run('up'); if (r.code !== 0) throw new Error(`stack up failed: ${r.out}`); return r; },
    down() { return run('down'); },
    run,
    rundir,
    dbUrl,
    cleanup,
    // rows of constant SQL (as arrays of strings) on conninfo (default the
    // owner's direct connection)
    sql(text, conninfo = dbUrl()) {
      const FS = '\x1f', RS = '\x1e';
      const r = spawnSync('psql', [conninfo, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-F', FS, '-R', RS],
        { input: text, encoding: 'utf8', cwd: '/', timeout: 600000, env: { ...ENV, PGOPTIONS: '-c client_min_messages=warning' } });
      if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
      const out = r.stdout.replace(/\n$/, '');
      return out === '' ? [] : out.split(RS).map((row) => row.split(FS));
    },
    ctl(args, input) {
      return spawnSync(path.join(REPO, 'bin/enquetectl'), args,
        { cwd: REPO, input, env: { ...ENV, ENQUETE_DATABASE_URL: dbUrl() }, maxBuffer: 1 << 30 });
    },
    // the sanitizer reports in the workers' logs (make test SANITIZE=1:
    // the workers report to their log, not to a test)
    sanitizerReports() {
      const out = [];
      for (const f of readdirSync(path.join(VAR, 'log')).filter((n) => /^fcgi(-\d+)?\.log$/.test(n)))
        for (const l of readFileSync(path.join(VAR, 'log', f), 'utf8').split('\n'))
          if (/AddressSanitizer|LeakSanitizer|runtime error/.test(l)) out.push(`${f}: ${l}`);
      return out;
    },
    // the pid of master m (1, 2...) and its workers
    masterPid(m = 1) {
      return Number(readFileSync(path.join(VAR, 'run', m === 1 ? 'fcgi.pid' : `fcgi-${m}.pid`), 'utf8').trim());
    },
    workerPids(master) {
      const pids = [];
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        let stat;
        try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) pids.push(Number(d));
      }
      return pids.sort((a, b) => a - b);
    },
  };
  return s;
}

function defaultPair(s) {
  return async () => {
    const { Client, answers, submit } = await import('./client.mjs');
    const c = new Client();
    for (const inst of ['pre', 'post']) {
      const st = (await submit(c, inst, answers(inst))).res.status;
      if (st !== 303) throw new Error(`bigEvent: the ${inst} template answered ${st}`);
    }
    return s.sql("SELECT max(id) FILTER (WHERE instrument = 'pre'), max(id) FILTER (WHERE instrument = 'post') FROM response")[0];
  };
}

// A big event of n generated participants (pre and post each) beside the
// bundled one, from two real submissions taken as templates (the
// benchmark's generator, tests/bench/gen_participants.sql). Deterministic
// for a given seed: codes, answers drawn with setseed, submission times
// set from the codes. Returns the new event's id. submitPair: the two
// templates' response ids; by default a pre and a post through the form
// (client.mjs, imported only now: the suite has set ENQUETE_BASE_URL).
export async function bigEvent(s, slug, n, { submitPair = defaultPair(s), seed = 0.25, batch = 2000 } = {}) {
  const def = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
  def.event.slug = slug;
  const file = path.join(s.root, `${slug}.json`);
  (await import('node:fs')).writeFileSync(file, JSON.stringify(def));
  for (const args of [['load', file], ['event', 'open', slug, 'pre'], ['event', 'open', slug, 'post']]) {
    const r = s.ctl(args);
    if (r.status !== 0) throw new Error(`enquetectl ${args.join(' ')}: ${r.stderr}`);
  }
  const [pre, post] = await submitPair();
  const gen = spawnSync('psql', [s.dbUrl(), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', path.join(REPO, 'tests/bench/gen_participants.sql')],
    { encoding: 'utf8', cwd: '/', env: { ...s.env, PGOPTIONS: '-c client_min_messages=warning' } });
  if (gen.status !== 0) throw new Error(`gen_participants.sql: ${gen.stderr}`);
  const id = Number(s.sql(`SELECT id FROM event WHERE slug = '${slug}'`)[0][0]);
  s.sql(`SELECT bench.take_template(${Number(pre)}, ${Number(post)});
    SELECT setseed(${Number(seed)});
    CALL bench.generate(${id}, ${Number(n)}, ${Number(batch)});
    UPDATE response r SET submitted_at = timestamptz '2026-01-05 08:00:00Z'
      + (SELECT ('x' || p.code)::bit(32)::int FROM participant p WHERE p.id = r.participant_id) * interval '1 minute'
      + CASE WHEN r.instrument = 'post' THEN interval '1 day' ELSE interval '0' END
      WHERE r.event_id = ${id};`);
  return id;
}
