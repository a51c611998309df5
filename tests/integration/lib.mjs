// tests/integration/lib.mjs: helpers for the integration suites, which run
// against the real stack that tests/run-all starts (nginx + workers + a
// throwaway PostgreSQL). Node 20, no npm dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BASE = (process.env.ENQUETE_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const VAR = process.env.ENQUETE_VAR || path.join(REPO, 'var');
export const DATABASE_URL = process.env.ENQUETE_DATABASE_URL || '';
export const ADMIN_PASSWORD = process.env.ENQUETE_ADMIN_PASSWORD || '';

// One HTTP request; redirects are not followed unless asked. Returns
// { status, headers (a Headers), text }.
export async function http(method, urlPath, { headers = {}, body, redirect = 'manual' } = {}) {
  const res = await fetch(BASE + urlPath, { method, headers, body, redirect });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

// Runs constant SQL through psql against ENQUETE_DATABASE_URL and returns
// the rows as arrays of strings. params become psql variables, used in the
// SQL as :'name' (quoted literal) or :name.
export function psql(sql, params = {}) {
  const FS = '\x1f', RS = '\x1e';
  const args = [DATABASE_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-F', FS, '-R', RS];
  for (const [k, v] of Object.entries(params)) args.push('-v', `${k}=${v}`);
  const r = spawnSync('psql', args, { input: sql, encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  const out = r.stdout.replace(/\n$/, '');
  if (out === '') return [];
  return out.split(RS).map((row) => row.split(FS));
}

// Runs scripts/stack CMD with the test environment. Returns { code, stdout, stderr }.
export function stack(cmd, { env = {}, cwd = REPO, timeout = 120000 } = {}) {
  const r = spawnSync(path.join(cwd, 'scripts/stack'), [cmd], {
    cwd, encoding: 'utf8', timeout, env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(r, what) {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr}`);
  return r;
}

// Stops / starts the private PostgreSQL cluster (scripts/stack pg-stop|pg-start).
export const pgStop = () => must(stack('pg-stop'), 'scripts/stack pg-stop');
export const pgStart = () => must(stack('pg-start'), 'scripts/stack pg-start');

// The pid of the FastCGI master, from its pid file.
export function masterPid() {
  return Number(readFileSync(path.join(VAR, 'run/fcgi.pid'), 'utf8').trim());
}

// The pids of the master's children (its workers), read from /proc.
export function workerPids(master = masterPid()) {
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    // pid (comm) state ppid ...: comm may hold spaces, so cut after ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === master) pids.push(Number(d));
  }
  return pids.sort((a, b) => a - b);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn (sync or async) until it returns a truthy value or timeoutMs
// passes; returns that value, or throws with what was last seen.
export async function waitFor(fn, { timeoutMs = 10000, intervalMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await sleep(intervalMs);
  }
}

// A free TCP port on 127.0.0.1.
export async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A fresh temporary folder (mkdtempSync), removed with all it holds when
// the process exits. prefix is a name under parent (os.tmpdir() unless
// given), 'enquete-fold-', or an absolute path prefix, '/tmp/enq-sb-', for
// the suites whose unix socket paths must stay short. The servers may have
// written there as postgres or enquete: the suites run as root, and a
// removal that fails anyway is ignored (an exit handler never throws). A
// folder a suite keeps (REPORT_KEEP=dir...) is its own, never made here.
const tmpDirs = [];
export function tmpDir(prefix, parent = os.tmpdir()) {
  const dir = mkdtempSync(path.isAbsolute(prefix) ? prefix : path.join(parent, prefix));
  if (tmpDirs.length === 0) {
    process.on('exit', () => {
      for (const d of tmpDirs.reverse()) {
        try { rmSync(d, { recursive: true, force: true }); } catch { /* left behind */ }
      }
    });
  }
  tmpDirs.push(dir);
  return dir;
}

// The UI catalog of lang as the server loads it: templates/i18n/LANG.json
// merged with every part templates/i18n/LANG/NAME.json (cgi/core/i18n.c).
export function catalog(lang) {
  const dir = path.join(REPO, 'templates/i18n');
  const cat = JSON.parse(readFileSync(path.join(dir, `${lang}.json`), 'utf8'));
  const sub = path.join(dir, lang);
  if (existsSync(sub))
    for (const f of readdirSync(sub).filter((n) => n.endsWith('.json')).sort())
      Object.assign(cat, JSON.parse(readFileSync(path.join(sub, f), 'utf8')));
  return cat;
}
