// tests/faults/soak.mjs: a long run of mixed load (scripts/soak runs it on
// its own stack) that samples, every SOAK_SAMPLE_SECONDS, each worker's and
// the master's RssAnon (/proc/PID/status) and open file descriptors
// (/proc/PID/fd), prints a table, and concludes "flat" when the workers'
// summed RssAnon over the last third of the samples after warm-up is within
// +10% of its mean over the first third, the master's too, and the fd
// counts are equal. Exit status 1 when not flat, when a worker was
// replaced, or on any 5xx.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  REPO, VAR, SLUG, now, sleep, run, request, hidden, answers, attendee, children, pidFile, procSample,
} from './lib.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 600);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_SECONDS || 30);
const WARMUP_S = Number(process.env.SOAK_WARMUP_SECONDS || Math.min(60, SECONDS / 3));
const CLIENTS = Number(process.env.SOAK_CLIENTS || 8);
const RSS_TOLERANCE = 0.10;
const T0 = now();
const end = T0 + SECONDS * 1000;

// An expert to read the dashboard, the summary and the exports.
const user = `soak${Date.now().toString(36)}`, pw = 'soak pass 1234';
const add = spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', user], { input: `${pw}\n`, encoding: 'utf8', cwd: REPO });
if (add.status !== 0) { console.error(add.stderr); process.exit(1); }
async function signIn() {
  const page = await request('GET', '/admin/login');
  const jar = [].concat(page.headers['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
  const res = await request('POST', '/admin/login', { headers: { Cookie: jar },
    body: new URLSearchParams([['_csrf', hidden(page.text, '_csrf')], ['username', user], ['password', pw]]).toString() });
  const s = [].concat(res.headers['set-cookie'] || []).find((c) => c.startsWith('enq_session='));
  if (!s) throw new Error(`sign-in failed: ${res.status}`);
  return s.split(';')[0];
}

const counts = {};
const bump = (k) => { counts[k] = (counts[k] || 0) + 1; };
let fivexx = 0;
const note = (what, status) => { bump(`${what} ${status}`); if (status >= 500 || status === 0) fivexx++; };

// One client's mix: half attendees (pre, then their post by cookie on
// every other one), the rest reads: form GETs, home, dashboard, report,
// summary API, exports, static files.
async function client(id) {
  const session = await signIn();
  const reads = [
    ['form', `/e/${SLUG}/pre`], ['form', `/e/${SLUG}/post?lang=ar`], ['home', '/'], ['static', '/static/enquete.css'],
    ['dashboard', `/admin/e/${SLUG}`], ['summary', `/api/v1/events/${SLUG}/summary`], ['report', `/admin/e/${SLUG}/report`],
    ['export', `/admin/e/${SLUG}/export.csv?format=long`], ['export', `/admin/e/${SLUG}/export.json`], ['export', `/admin/e/${SLUG}/export.csv?format=wide`],
  ];
  let seq = 0;
  while (now() < end) {
    const i = seq++;
    if (i % 2 === 0) {
      const rec = await attendee(id, i, () => 'soak');
      note(`submit-${rec.step}`, rec.status);
      if (rec.status === 303 && i % 4 === 0) {
        const cookie = rec.cookie;
        const form = await request('GET', `/e/${SLUG}/post`, { headers: { Cookie: cookie } });
        const body = new URLSearchParams([['_token', hidden(form.text, '_token') ?? ''], ...answers('post', `soak post ${id}-${i}`)]).toString();
        const res = await request('POST', `/e/${SLUG}/post`, { headers: { Cookie: cookie }, body });
        note('submit-post-instrument', res.status);
      }
    } else {
      const [what, p] = reads[(i >> 1) % reads.length];
      const res = await request('GET', p, { headers: what === 'form' || what === 'home' || what === 'static' ? {} : { Cookie: session } });
      note(what, res.status);
    }
  }
}

// Samples: the master and each worker.
const master = pidFile('fcgi');
const samples = [];
function sample() {
  const t = Math.round((now() - T0) / 1000);
  const procs = [procSample(master), ...children(master).map(procSample)].filter(Boolean);
  samples.push({ t, procs });
  const w = procs.slice(1);
  console.log(`[${String(t).padStart(4)} s] master rss ${procs[0].rssAnon} kB fds ${procs[0].fds} | workers rss ${w.map((p) => p.rssAnon).join(' ')} kB | fds ${w.map((p) => p.fds).join(' ')} | requests ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
}

// The dashboard and the exports grow with the data, and so does a
// worker's heap high-water mark: to see leaks rather than data, the oldest
// participants are deleted every 10 s so that at most SOAK_KEEP remain.
const KEEP = Number(process.env.SOAK_KEEP || 300);
const trim = () => run('psql', [process.env.ENQUETE_DATABASE_URL, '-X', '-q', '-c',
  `DELETE FROM participant WHERE id IN (SELECT id FROM participant ORDER BY id DESC OFFSET ${KEEP})`], { timeoutMs: 20000 });

console.log(`soak: ${SECONDS} s, ${CLIENTS} clients, a sample every ${SAMPLE_S} s, warm-up ${WARMUP_S} s, at most ${KEEP} participants kept`);
sample();
const clients = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
let nextSample = now() + SAMPLE_S * 1000;
while (now() < end) {
  await sleep(Math.min(10000, Math.max(0, Math.min(end, nextSample) - now())));
  if (KEEP > 0) await trim();
  if (now() >= nextSample || now() >= end) { sample(); nextSample += SAMPLE_S * 1000; }
}
await clients;

// The first sample at or after warm-up against the last one. A worker's
// RssAnon swings by a megabyte or two with the last response it built
// (glibc gives the top of the heap back): the criterion is on the sum over
// the workers, and the master alone; fds must be equal for every process.
const base = samples.find((s) => s.t >= WARMUP_S) ?? samples[0];
const last = samples[samples.length - 1];
let flat = true;
const problems = [];
console.log('\nprocess          pid   rssAnon kB (after warm-up -> last)   change   fds (after warm-up -> last)');
const sum = { base: 0, last: 0 };
for (const p of last.procs) {
  const b = base.procs.find((x) => x.pid === p.pid);
  const role = p.pid === master ? 'master' : 'worker';
  if (!b) { problems.push(`${role} ${p.pid} appeared after warm-up (a worker was replaced)`); flat = false; continue; }
  const change = (p.rssAnon - b.rssAnon) / b.rssAnon;
  if (role === 'worker') { sum.base += b.rssAnon; sum.last += p.rssAnon; }
  const bad = p.fds !== b.fds || (role === 'master' && change > RSS_TOLERANCE);
  if (bad) flat = false;
  console.log(`${role.padEnd(8)} ${String(p.pid).padStart(9)}   ${String(b.rssAnon).padStart(8)} -> ${String(p.rssAnon).padEnd(8)}            ${(change * 100).toFixed(1).padStart(6)}%   ${b.fds} -> ${p.fds}${bad ? '   NOT FLAT' : ''}`);
}
// A trend, not one sample against another: the workers' summed RssAnon
// swings by +-20 % with the responses they last built, so the mean of the
// first third of the samples after warm-up is compared with the mean of
// the last third.
const after = samples.filter((s) => s.t >= WARMUP_S);
const third = Math.max(1, Math.floor(after.length / 3));
const wsum = (s) => s.procs.filter((p) => p.pid !== master).reduce((a, p) => a + p.rssAnon, 0);
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const early = Math.round(mean(after.slice(0, third).map(wsum)));
const late = Math.round(mean(after.slice(-third).map(wsum)));
const wchange = (late - early) / early;
if (wchange > RSS_TOLERANCE) flat = false;
console.log(`workers (sum)         ${String(sum.base).padStart(8)} -> ${String(sum.last).padEnd(8)}  (first-third mean ${early} -> last-third mean ${late}: ${(wchange * 100).toFixed(1)}%)${wchange > RSS_TOLERANCE ? '   NOT FLAT' : ''}`);
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`\nrequests: ${total} in ${SECONDS} s (${(total / SECONDS).toFixed(1)}/s): ${Object.entries(counts).sort().map(([k, v]) => `${k}=${v}`).join(', ')}`);
if (fivexx) problems.push(`${fivexx} responses were 5xx or had no answer`);
writeFileSync(path.join(VAR, 'soak.json'), JSON.stringify({ seconds: SECONDS, clients: CLIENTS, counts, samples }, null, 2));
console.log(flat ? `flat: the workers' summed RssAnon within +${RSS_TOLERANCE * 100}% (last third against first third), the master's too, the same fds everywhere after warm-up` : 'NOT flat');
if (problems.length) console.log(`problems:\n  ${problems.join('\n  ')}`);
process.exit(flat && !problems.length ? 0 : 1);
