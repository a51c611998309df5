// tests/faults/faults.mjs: faults under load (scripts/faults runs it on its
// own stack). 32 attendees submit complete pre questionnaires without
// pause while, one after the other: (a) PostgreSQL is stopped and started
// again, (b) a worker is killed with SIGKILL, (c) PostgreSQL's connection
// slots are all taken, (d) nginx is stopped and started again. Every 303
// is an acknowledgement: its participant code (from Set-Cookie) must be in
// the database with the text that was sent. Prints, for each fault:
// acknowledged, stored, lost (must be 0), and the recovery time. Exit
// status 1 on any loss, on a 503 that did not give the answers back, on a
// recovery after PostgreSQL's return slower than 2 s, or if the master died.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  VAR, REPO, startLoad, now, sleep, run, sqlAdmin, children, pidFile, rundir, SlotHolder,
} from './lib.mjs';

const CLIENTS = Number(process.env.FAULTS_CLIENTS || 32);
const HOLD_MS = Number(process.env.FAULTS_OUTAGE_MS || 3000);
const deadline = now() + Number(process.env.FAULTS_MAX_MS || 240000);
const problems = [];
const log = (...a) => console.log(`[${((now() - T0) / 1000).toFixed(1).padStart(5)} s]`, ...a);
const T0 = now();

const stack = (cmd) => run(path.join(REPO, 'scripts/stack'), [cmd], { timeoutMs: 60000 });
const psqlAsync = (sql) => run('psql', [`host=${rundir()}/pgsock port=5432 dbname=enquete user=postgres`, '-X', '-q', '-At', '-c', sql], { timeoutMs: 10000 });

// The first acknowledgement that arrived at or after t (bounded wait).
async function first303After(load, t, maxMs = 20000) {
  const end = now() + maxMs;
  for (;;) {
    const r = load.records.filter((x) => x.status === 303 && x.t1 >= t).sort((a, b) => a.t1 - b.t1)[0];
    if (r) return r.t1;
    if (now() > end || now() > deadline) return null;
    await sleep(20);
  }
}

const master = pidFile('fcgi');
const nworkers = children(master).length;
log(`stack: master ${master}, ${nworkers} workers; ${CLIENTS} clients`);
const load = startLoad({ clients: CLIENTS, maxMs: deadline - now() });
const faults = [];

await sleep(3000);

// (a) PostgreSQL stopped and started again
{
  load.phase = 'a';
  const f = { name: '(a) PostgreSQL restart', phase: 'a' };
  const stop = await stack('pg-stop');
  f.downAt = now();
  if (stop.code !== 0) problems.push(`pg-stop failed: ${stop.stderr}`);
  log('postgres stopped');
  await sleep(HOLD_MS);
  const start = await stack('pg-start');
  f.upAt = now();
  if (start.code !== 0) problems.push(`pg-start failed: ${start.stderr}`);
  log('postgres started');
  const t = await first303After(load, f.upAt);
  f.recoveryMs = t === null ? null : t - f.upAt;
  f.recoveryWhat = 'pg-start returned -> first 303';
  if (f.recoveryMs === null || f.recoveryMs > 2000) problems.push(`(a) recovery ${f.recoveryMs} ms > 2000 ms`);
  await sleep(2000);
  faults.push(f);
}

// (b) a worker killed with SIGKILL
{
  load.phase = 'b';
  const f = { name: '(b) SIGKILL a worker', phase: 'b' };
  const victim = children(master)[0];
  process.kill(victim, 'SIGKILL');
  f.downAt = now();
  log(`worker ${victim} killed`);
  let replaced = null;
  for (const end = now() + 10000; now() < end;) {
    const w = children(master);
    if (w.length === nworkers && !w.includes(victim)) { replaced = now(); break; }
    await sleep(10);
  }
  f.upAt = f.downAt;
  f.replacedMs = replaced === null ? null : replaced - f.downAt;
  if (replaced === null) problems.push('(b) the worker was not replaced within 10 s');
  const t = await first303After(load, f.downAt);
  f.recoveryMs = t === null ? null : t - f.downAt;
  f.recoveryWhat = `kill -> first 303; worker replaced in ${f.replacedMs} ms`;
  await sleep(3000);
  faults.push(f);
}

// (c) every connection slot of PostgreSQL taken
{
  load.phase = 'c';
  const f = { name: '(c) connection slots exhausted', phase: 'c' };
  const max = Number(sqlAdmin('SHOW max_connections')[0][0]);
  const reserved = Number(sqlAdmin('SHOW superuser_reserved_connections')[0][0]);
  const holder = new SlotHolder();
  let held = await holder.fill(max);
  f.downAt = now();
  // the workers keep the connections they have: end them so that they
  // must reconnect, while eight grabbers take every slot that frees up,
  // for HOLD_MS
  let terminated = 0;
  const until = now() + HOLD_MS;
  const grab = async () => { while (now() < until) { if (await holder.open()) held++; else await sleep(5); } };
  const reap = async () => {
    while (now() < until) {
      const r = await psqlAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename IN ('enquete', 'enquete_app') AND application_name <> 'faults-holder' AND pid <> pg_backend_pid()");
      terminated += Number(r.stdout.trim() || 0);
      await sleep(200);
    }
  };
  await Promise.all([reap(), ...Array.from({ length: 8 }, grab)]);
  f.workerConns = Number(sqlAdmin("SELECT count(*) FROM pg_stat_activity WHERE usename IN ('enquete', 'enquete_app') AND application_name <> 'faults-holder'")[0][0]);
  log(`held ${held} of ${max} connections (${reserved} reserved for superusers); ended ${terminated} worker connections; the workers hold ${f.workerConns}`);
  f.detail = `held ${held}/${max} (${reserved} reserved), ${terminated} worker connections ended, ${f.workerConns} left to the workers at the end`;
  holder.release();
  f.upAt = now();
  log('connections released');
  const t = await first303After(load, f.upAt);
  f.recoveryMs = t === null ? null : t - f.upAt;
  f.recoveryWhat = 'release -> first 303';
  if (f.recoveryMs === null || f.recoveryMs > 2000) problems.push(`(c) recovery ${f.recoveryMs} ms > 2000 ms`);
  await sleep(2000);
  faults.push(f);
}

// (d) nginx stopped (SIGQUIT: graceful) and started again as scripts/stack does
{
  load.phase = 'd';
  const f = { name: '(d) nginx stop/start', phase: 'd' };
  const pid = pidFile('nginx');
  process.kill(pid, 'SIGQUIT');
  for (const end = now() + 15000; now() < end;) {
    try { process.kill(pid, 0); } catch { break; }
    await sleep(20);
  }
  f.downAt = now();
  log(`nginx ${pid} stopped`);
  await sleep(HOLD_MS);
  const rd = rundir();
  const child = spawn('nginx', ['-c', `${rd}/nginx/nginx.conf`, '-e', path.join(VAR, 'log/nginx-error.log'), '-p', `${rd}/nginx/`],
    { detached: true, stdio: 'ignore', cwd: '/' });
  child.unref();
  writeFileSync(path.join(VAR, 'run/nginx.pid'), `${child.pid}\n`);
  f.upAt = now();
  log(`nginx started (pid ${child.pid})`);
  const t = await first303After(load, f.upAt);
  f.recoveryMs = t === null ? null : t - f.upAt;
  f.recoveryWhat = 'nginx started -> first 303';
  if (f.recoveryMs === null) problems.push('(d) no 303 after nginx came back');
  await sleep(2000);
  faults.push(f);
}

await load.stop();
log(`load stopped: ${load.records.length} attendees`);

// Every acknowledgement against the database.
const acks = load.records.filter((r) => r.status === 303);
const noCode = acks.filter((r) => !r.code);
if (noCode.length) problems.push(`${noCode.length} 303 without an enq_code cookie`);
const codes = [...new Set(acks.map((r) => r.code).filter(Boolean))];
if (codes.length !== acks.length - noCode.length) problems.push('two acknowledgements with the same code');
const stored = new Map(sqlAdmin(`SELECT p.code, r.answers->>'expectations' FROM participant p JOIN response r ON r.participant_id = p.id
  AND r.instrument = 'pre' WHERE p.code = ANY (string_to_array(:'codes', ','))`, { codes: codes.join(',') }));

const rows = [];
for (const phase of ['warmup', 'a', 'b', 'c', 'd']) {
  const recs = load.records.filter((r) => r.phase === phase);
  const ack = recs.filter((r) => r.status === 303);
  const ok = ack.filter((r) => stored.get(r.code) === r.marker);
  const by = {};
  for (const r of recs) { const k = `${r.step}:${r.status || r.error}`; by[k] = (by[k] || 0) + 1; }
  const refusedPosts = recs.filter((r) => r.step === 'post' && r.status === 503);
  const notKept = refusedPosts.filter((r) => !r.kept);
  if (notKept.length) problems.push(`${phase}: ${notKept.length} POST 503 without the answers in the page`);
  // a request in flight on the killed worker gets nginx's 502
  const kill = faults.find((x) => x.phase === 'b')?.downAt ?? 0;
  const killed502 = (r) => r.status === 502 && r.t1 >= kill && r.t1 <= kill + 2000;
  const other5xx = recs.filter((r) => r.status >= 500 && r.status !== 503 && !killed502(r));
  if (other5xx.length) problems.push(`${phase}: unexpected ${[...new Set(other5xx.map((r) => r.status))]} (${other5xx.length})`);
  const f = faults.find((x) => x.phase === phase);
  rows.push({ fault: f ? f.name : 'warm-up (no fault)', acknowledged: ack.length, stored: ok.length, lost: ack.length - ok.length,
    recovery: f ? (f.recoveryMs === null ? 'none' : `${f.recoveryMs} ms`) : '-', 'post 503 (answers kept)': `${refusedPosts.length} (${refusedPosts.length - notKept.length})`,
    statuses: Object.entries(by).sort().map(([k, v]) => `${k}=${v}`).join(' ') });
  if (ack.length !== ok.length) problems.push(`${phase}: ${ack.length - ok.length} acknowledged submissions lost`);
}
const masterAfter = pidFile('fcgi');
let masterAlive = true;
try { process.kill(master, 0); } catch { masterAlive = false; }
if (!masterAlive || masterAfter !== master) problems.push('the FastCGI master died');

console.log('\nfault                            acknowledged  stored  lost  recovery   post 503 (kept)  statuses');
for (const r of rows) {
  console.log(`${r.fault.padEnd(32)} ${String(r.acknowledged).padStart(12)} ${String(r.stored).padStart(7)} ${String(r.lost).padStart(5)}  ${r.recovery.padEnd(9)}  ${r['post 503 (answers kept)'].padEnd(15)}  ${r.statuses}`);
}
for (const f of faults) console.log(`  ${f.name}: recovery = ${f.recoveryWhat}${f.detail ? `; ${f.detail}` : ''}`);
const total = rows.reduce((a, r) => ({ ack: a.ack + r.acknowledged, st: a.st + r.stored }), { ack: 0, st: 0 });
console.log(`\ntotal: ${total.ack} acknowledged, ${total.st} stored, ${total.ack - total.st} lost; master ${master} alive: ${masterAlive}`);
writeFileSync(path.join(VAR, 'faults.json'), JSON.stringify({ rows, faults }, null, 2));
if (problems.length) {
  console.log(`\nFAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('faults: ok');
process.exit(0);
