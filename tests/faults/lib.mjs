// tests/faults/lib.mjs: what scripts/faults and scripts/soak share: the
// stack's processes from /proc, a bounded load generator of attendees,
// idle PostgreSQL connections that hold slots, and SQL through psql.
// Node 20, no npm dependencies. Everything targets 127.0.0.1 and the
// stack named by ENQUETE_VAR.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VAR = process.env.ENQUETE_VAR || path.join(REPO, 'var');
export const BASE = (process.env.ENQUETE_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const DEF = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
export const SLUG = DEF.event.slug;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const now = () => Number(process.hrtime.bigint() / 1000000n);

export const rundir = () => readFileSync(path.join(VAR, 'run/rundir'), 'utf8').trim();
export const pidFile = (name) => Number(readFileSync(path.join(VAR, 'run', `${name}.pid`), 'utf8').trim());

// The children of pid (the FastCGI master's workers), from /proc.
export function children(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
  }
  return out.sort((a, b) => a - b);
}

// RssAnon (kB) and open file descriptors of a process, or null when gone.
// fds is the least of five readings 20 ms apart: a worker busy with a
// request holds one more (nginx's connection) for the request's duration.
export function procSample(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number((status.match(/^RssAnon:\s+(\d+) kB/m) || [])[1]);
    let fds = Infinity;
    for (let i = 0; i < 5; i++) {
      fds = Math.min(fds, readdirSync(`/proc/${pid}/fd`).length);
      const t = Date.now() + 20;
      while (Date.now() < t); // 20 ms; the load waits on I/O meanwhile
    }
    return { pid, rssAnon: rss, fds };
  } catch { return null; }
}

// Runs a command without blocking the event loop (the load goes on).
export function run(cmd, args, { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
  });
}

// SQL through psql, as the superuser of the private cluster (its socket
// trusts local connections). Returns rows of strings.
export function sqlAdmin(sql, params = {}) {
  const FS = '\x1f', RS = '\x1e';
  const args = [`host=${rundir()}/pgsock port=5432 dbname=enquete user=postgres`, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-F', FS, '-R', RS];
  for (const [k, v] of Object.entries(params)) args.push('-v', `${k}=${v}`);
  const r = spawnSync('psql', args, { input: sql, encoding: 'utf8', cwd: '/', maxBuffer: 256 * 1024 * 1024, timeout: 60000 });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  const out = r.stdout.replace(/\n$/, '');
  return out === '' ? [] : out.split(RS).map((row) => row.split(FS));
}

// One HTTP request on its own connection (no keep-alive: a restarted
// nginx never meets a stale socket). Resolves { status, headers, text };
// status 0 when no connection could be made or it broke.
export function request(method, urlPath, { headers = {}, body, timeoutMs = 20000 } = {}) {
  const url = new URL(BASE + urlPath);
  const h = { ...headers };
  if (body !== undefined) {
    h['Content-Type'] = 'application/x-www-form-urlencoded';
    h['Content-Length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h, agent: false }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, error: e.code || e.message, headers: {}, text: '' }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.code || e.message, headers: {}, text: '' }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function hidden(html, name) {
  const m = html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`));
  return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'") : null;
}

// Complete, valid answers to an instrument (as tests/integration/client.mjs
// builds them): [[field, value], ...] with text = marker.
export function answers(kind, marker) {
  const out = [];
  for (const s of DEF.instruments[kind].sections) {
    for (const it of s.items) {
      if (it.personal || it.consent) continue;
      switch (it.type) {
        case 'single': case 'multi': out.push([it.key, it.options[0].value]); break;
        case 'quiz': out.push([it.key, it.correct]); break;
        case 'likert5': out.push([it.key, '3']); if (it.retro && kind === 'post') out.push([`${it.key}.retro`, '2']); break;
        case 'rating10': out.push([it.key, '9']); break;
        case 'number': out.push([it.key, String(it.min ?? 1)]); break;
        case 'text': case 'longtext': out.push([it.key, marker]); break;
        case 'rank': for (let r = 1; r <= it.top; r++) out.push([`${it.key}.${r}`, it.options[r - 1].value]); break;
        default: break;
      }
    }
  }
  return out;
}

const codeOf = (res) => {
  const c = [].concat(res.headers['set-cookie'] || []).find((s) => s.startsWith('enq_code='));
  return c ? c.slice(9, 17) : null;
};
// The enq_code pair to send back (the code and its MAC: a bare code is not
// a cookie the server accepts).
const cookieOf = (res) => {
  const c = [].concat(res.headers['set-cookie'] || []).find((s) => s.startsWith('enq_code='));
  return c ? c.split(';')[0] : null;
};

// One attendee: GET the pre form (its token), POST complete answers whose
// free texts hold a unique marker. Returns a record of both; phase() is
// read when the request that decides the record is sent.
export async function attendee(id, seq, phaseOf = () => '') {
  let phase = phaseOf();
  const marker = `fault-${id}-${seq}-${Date.now().toString(36)}`;
  const t0 = now();
  const form = await request('GET', `/e/${SLUG}/pre`);
  if (form.status !== 200) return { phase, marker, t0, t1: now(), step: 'get', status: form.status, error: form.error };
  const body = new URLSearchParams([['_token', hidden(form.text, '_token') ?? ''], ['_version', hidden(form.text, '_version') ?? ''], ...answers('pre', marker)]).toString();
  const tp = now();
  phase = phaseOf();
  const res = await request('POST', `/e/${SLUG}/pre`, { body });
  return {
    phase, marker, t0, tp, t1: now(), step: 'post', status: res.status, error: res.error,
    code: res.status === 303 ? codeOf(res) : null,
    cookie: res.status === 303 ? cookieOf(res) : null,
    kept: res.status >= 400 ? res.text.includes(marker) : undefined,
  };
}

// Bounded closed-loop load: `clients` attendees at once, each starting a
// new one as soon as the previous is done, until stop() or maxMs pass or
// maxRequests attendees were run. Records go to load.records, each with
// the load.phase of the moment its POST (or failed GET) was sent.
export function startLoad({ clients = 32, maxMs = 240000, maxRequests = 200000, onRecord } = {}) {
  const load = { records: [], phase: 'warmup', stopped: false };
  const end = now() + maxMs;
  let started = 0;
  const loop = async (id) => {
    let seq = 0;
    while (!load.stopped && now() < end && started < maxRequests) {
      started++;
      const rec = await attendee(id, seq++, () => load.phase);
      load.records.push(rec);
      if (onRecord) onRecord(rec);
      if (rec.status === 0 || rec.status >= 500) await sleep(50); // a refused connection: do not spin
    }
  };
  load.done = Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  load.stop = async () => { load.stopped = true; await load.done; };
  return load;
}

// Holds idle connections to the private PostgreSQL as role enquete (the
// role the workers use), speaking just the startup of the wire protocol
// (trust authentication on the local socket). open() resolves true when
// the server accepted one, false when it refused (no slot left).
export class SlotHolder {
  constructor(user = 'enquete', database = 'enquete') { this.socks = []; this.user = user; this.database = database; }

  open() {
    const sockPath = path.join(rundir(), 'pgsock/.s.PGSQL.5432');
    const params = Buffer.from(`user\0${this.user}\0database\0${this.database}\0application_name\0faults-holder\0\0`);
    const msg = Buffer.alloc(8 + params.length);
    msg.writeInt32BE(msg.length, 0);
    msg.writeInt32BE(196608, 4);
    params.copy(msg, 8);
    return new Promise((resolve) => {
      const s = net.connect(sockPath);
      let buf = Buffer.alloc(0), settled = false;
      const done = (ok) => { if (settled) return; settled = true; clearTimeout(timer); if (ok) this.socks.push(s); else s.destroy(); resolve(ok); };
      const timer = setTimeout(() => done(false), 5000);
      s.on('connect', () => s.write(msg));
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 5) {
          const type = String.fromCharCode(buf[0]), len = buf.readInt32BE(1);
          if (buf.length < 1 + len) break;
          if (type === 'E') return done(false);
          if (type === 'Z') return done(true);
          buf = buf.subarray(1 + len);
        }
      });
      s.on('error', () => done(false));
      s.on('close', () => done(false));
    });
  }

  // Opens connections until refused (at most max). Returns how many.
  async fill(max = 1000) {
    let n = 0;
    while (n < max && await this.open()) n++;
    return n;
  }

  release() {
    for (const s of this.socks) s.destroy();
    const n = this.socks.length;
    this.socks = [];
    return n;
  }
}
