// security.test.mjs: the findings of issue 18 that are this suite's, each
// against the real stack: fair rate limits (check and count in one
// statement, a per-account back-off, code guesses per address and event in
// a sliding window, a room behind one address never locked out), least
// privilege (peer map, socket modes, the workers' user and role), HTTPS
// from ENQUETE_PUBLIC_URL (Secure, __Host-, HSTS), filter values that are
// not options (400), HTTP/0.9 refused, sessions capped per user.
// docs/security.md says which test shows which point.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BASE, REPO, VAR, DATABASE_URL, psql, masterPid, workerPids, sleep, tmpDir } from './lib.mjs';
import { Client, DEF, SLUG, answers, submit, hidden, freshAddress } from './client.mjs';

const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { encoding: 'utf8', input, cwd: REPO });
const uniq = Date.now().toString(36);
const PW = 'security pass 42';
const ADMIN = `sadm${uniq}`;
const isRoot = process.getuid() === 0;
const rundir = () => readFileSync(path.join(VAR, 'run/rundir'), 'utf8').trim();
const tally = (statuses) => statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});

test.before(() => {
  assert.equal(ctl(['user', 'add', ADMIN, '--role', 'admin'], `${PW}\n`).status, 0);
});

// ---- 18.2 rate limits ------------------------------------------------------

test('30 parallel wrong passwords from one address: exactly 5 are checked, the rest 429 at once', async () => {
  const name = `par${uniq}`;
  assert.equal(ctl(['user', 'add', name], `${PW}\n`).status, 0);
  const addr = freshAddress();
  const clients = await Promise.all(Array.from({ length: 30 }, async () => {
    const c = new Client({ localAddress: addr });
    const page = await c.get('/admin/login');
    return { c, csrf: hidden(page.text, '_csrf') };
  }));
  const t0 = Date.now();
  const res = await Promise.all(clients.map(({ c, csrf }) =>
    c.post('/admin/login', [['_csrf', csrf], ['username', name], ['password', 'wrong']])));
  const counts = tally(res.map((r) => r.status));
  assert.deepEqual(counts, { 401: 5, 429: 25 }, JSON.stringify(counts));
  for (const r of res.filter((x) => x.status === 429)) assert.ok(Number(r.headers['retry-after']) > 0);
  // a 429 never waits: the whole burst is about five argon2 checks long
  assert.ok(Date.now() - t0 < 20000);
});

test('per account: after 5 failures the wait doubles with each failure, capped at 15 minutes; success clears it', async () => {
  const name = `bo${uniq}`;
  assert.equal(ctl(['user', 'add', name], `${PW}\n`).status, 0);
  const c = new Client({ localAddress: freshAddress() });
  for (let i = 0; i < 5; i++) assert.equal((await c.login(name, 'wrong')).status, 401);
  const key = psql('SELECT key FROM login_backoff ORDER BY next_at DESC LIMIT 1')[0][0];
  const retry = async () => {
    const r = await c.login(name, PW);
    assert.equal(r.status, 429);
    return Number(r.headers['retry-after']);
  };
  const pass = () => psql(`UPDATE login_backoff SET next_at = now() WHERE key = :'k'`, { k: key });
  let w = await retry();
  assert.ok(w > 0 && w <= 30, `after 5 failures: ${w}`);
  for (const max of [60, 120, 240]) {
    pass(); // as if the wait had passed
    assert.equal((await c.login(name, 'wrong')).status, 401, 'checked once the wait is over');
    w = await retry();
    assert.ok(w > max / 2 && w <= max, `wait ${w}, expected up to ${max}`);
  }
  psql(`UPDATE login_backoff SET next_at = now(), failures = 40 WHERE key = :'k'`, { k: key });
  assert.equal((await c.login(name, 'wrong')).status, 401);
  w = await retry();
  assert.ok(w > 850 && w <= 900, `capped: ${w}`);
  pass();
  assert.equal((await c.login(name, PW)).status, 303);
  assert.equal(psql(`SELECT count(*) FROM login_backoff WHERE key = :'k'`, { k: key })[0][0], '0');
});

test('per client: 100 sign-in attempts per sliding 15 minutes, whatever the accounts', async () => {
  const addr = freshAddress();
  const statuses = [];
  for (let b = 0; b < 10; b++) {
    statuses.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) =>
      new Client({ localAddress: addr }).login(`many${b}x${i}${uniq}`, 'x')))).map((r) => r.status));
  }
  assert.deepEqual(tally(statuses), { 401: 100 });
  const over = await new Client({ localAddress: addr }).login(ADMIN, PW);
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers['retry-after']) > 0);
  assert.equal((await new Client({ localAddress: freshAddress() }).login(ADMIN, PW)).status, 303);
});

// A copy of the bundled event under another slug, both instruments open.
const OTHER = `sec-${uniq}`;
test.before(() => {
  const dir = tmpDir('enq-sec-');
  const def = JSON.parse(JSON.stringify(DEF));
  def.event.slug = OTHER;
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify(def));
  const l = ctl(['load', path.join(dir, 'other.json')]);
  assert.equal(l.status, 0, l.stderr);
  for (const kind of ['pre', 'post']) assert.equal(ctl(['event', 'open', OTHER, kind]).status, 0);
  rmSync(dir, { recursive: true, force: true });
});

async function typedCode(client, slug, code, body = answers('post')) {
  const form = await client.get(`/e/${slug}/post`);
  const tech = ['_token', '_version', '_lang'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  return client.post(`/e/${slug}/post`, [...tech, ['_code', code], ...body]);
}

const wrong = (i) => `ZZZZ-${String(i).padStart(4, '0').replace(/0/g, 'Z')}`;

test('code guesses: 50 per address and event in a sliding window; another event is not affected', async () => {
  const guesser = new Client({ localAddress: freshAddress() });
  const [[t0]] = psql('SELECT clock_timestamp()');
  for (let i = 0; i < 50; i++) assert.equal((await typedCode(guesser, SLUG, wrong(i))).status, 422, `guess ${i}`);
  const over = await typedCode(guesser, SLUG, wrong(50), answers('post', { comments: 'gardé' }));
  assert.equal(over.status, 429);
  const wait = Number(over.headers['retry-after']);
  assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
  assert.ok(over.text.includes('gardé'), 'the answers are kept');
  // the same address on another event is counted apart
  assert.equal((await typedCode(guesser, OTHER, wrong(0))).status, 422);
  // sliding: when the oldest 25 guesses are more than 15 minutes old, 25
  // more are allowed, not 50 (a fixed window would allow a new 50)
  const aged = psql(`WITH o AS (SELECT ctid FROM rate_event WHERE at >= :'t0' AND at <= (SELECT min(at) FROM rate_event
      WHERE at >= :'t0') + interval '1 hour' ORDER BY at LIMIT 25)
    UPDATE rate_event SET at = at - interval '16 minutes', expires_at = expires_at - interval '16 minutes'
    WHERE ctid IN (SELECT ctid FROM o) RETURNING 1`, { t0 });
  assert.equal(aged.length, 25);
  for (let i = 100; i < 125; i++) assert.equal((await typedCode(guesser, SLUG, wrong(i))).status, 422, `guess ${i}`);
  assert.equal((await typedCode(guesser, SLUG, wrong(125))).status, 429);
  // no address is stored
  const keys = psql('SELECT DISTINCT key FROM rate_event');
  assert.ok(keys.every(([k]) => /^[0-9a-f]{64}$/.test(k)));
});

test('a room of 32 attendees behind one address, a few mistyped codes among them, is never locked out', async () => {
  const addr = freshAddress();
  const issued = ctl(['codes', 'generate', '--event', SLUG, '--count', '2']);
  assert.equal(issued.status, 0, issued.stderr);
  const badges = issued.stdout.trim().split('\n');
  const statuses = [];
  await Promise.all(Array.from({ length: 32 }, async (_, i) => {
    const c = new Client({ localAddress: addr });
    for (let round = 0; round < 2; round++) {
      const pre = await submit(c, round === 0 ? 'pre' : 'post', answers(round === 0 ? 'pre' : 'post'));
      statuses.push(pre.res.status);
      assert.equal(pre.res.status, 303, `attendee ${i} round ${round}: ${pre.res.status}`);
    }
    if (i % 3 === 0) { // 11 mistyped codes (the old limit was 10): 422, never 429
      const r = await typedCode(new Client({ localAddress: addr }), SLUG, wrong(900 + i));
      statuses.push(r.status);
      assert.equal(r.status, 422);
    }
  }));
  assert.ok(!statuses.includes(429));
  // a badge typed afterwards from the same address still works
  for (const b of badges) assert.equal((await typedCode(new Client({ localAddress: addr }), SLUG, b)).status, 303);
});

// ---- 18.3 least privilege --------------------------------------------------

test('the private cluster: peer map, no trust; nobody cannot connect, the workers\' role cannot CREATE TABLE', { skip: !isRoot && 'needs root' }, () => {
  const dir = rundir();
  const sock = path.join(dir, 'pgsock');
  const hba = readFileSync(path.join(dir, 'pgdata/pg_hba.conf'), 'utf8');
  assert.doesNotMatch(hba, /^\s*[^#\s].*\btrust\b/m);
  assert.match(hba, /^local\s+all\s+all\s+peer\s+map=enquete\s*$/m);
  const st = statSync(sock);
  assert.equal(st.mode & 0o777, 0o770, 'socket directory 0770');
  const psqlAs = (user, role, sql) => spawnSync('runuser', ['-u', user, '--', 'psql',
    `host=${sock} port=5432 dbname=enquete user=${role}`, '-X', '-At', '-c', sql], { encoding: 'utf8', cwd: '/' });
  for (const role of ['postgres', 'enquete', 'enquete_app']) {
    const r = psqlAs('nobody', role, 'SELECT 1');
    assert.notEqual(r.status, 0, `nobody as ${role}: ${r.stdout}`);
  }
  // the workers' user gets the workers' role, and nothing more
  assert.notEqual(psqlAs('enquete', 'enquete', 'SELECT 1').status, 0, 'enquete may not be the owner');
  assert.notEqual(psqlAs('enquete', 'postgres', 'SELECT 1').status, 0);
  const ok = psqlAs('enquete', 'enquete_app', 'SELECT count(*) >= 0 FROM response');
  assert.equal(ok.stdout.trim(), 't', ok.stderr);
  for (const ddl of ['CREATE TABLE sec_evil (x int)', 'CREATE TEMP TABLE sec_evil (x int)', 'DROP TABLE response',
    'ALTER TABLE response ADD COLUMN evil int', 'TRUNCATE answer', 'UPDATE app_secret SET key = key',
    'CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS $$SELECT 1$$']) {
    const r = psqlAs('enquete', 'enquete_app', ddl);
    assert.notEqual(r.status, 0, `${ddl} must be refused`);
    assert.match(r.stderr, /permission denied|must be owner/, ddl);
  }
  assert.deepEqual(psql(`SELECT rolsuper, rolcreatedb, rolcreaterole, pg_has_role('enquete_app', 'enquete', 'MEMBER')
    FROM pg_roles WHERE rolname = 'enquete_app'`), [['f', 'f', 'f', 'f']]);
  // tables of later migrations get the grants too (default privileges)
  assert.equal(psql(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
    AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('app_secret', 'schema_migrations')
    AND NOT has_table_privilege('enquete_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')`)[0][0], '0');
});

test('workers run as the system user enquete; the FastCGI socket is 0660 for nginx\'s group', { skip: !isRoot && 'needs root' }, async () => {
  const uid = Number(spawnSync('id', ['-u', 'enquete'], { encoding: 'utf8' }).stdout.trim());
  const workers = workerPids(masterPid());
  assert.ok(workers.length > 0);
  for (const pid of workers) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.match(status, new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));
  }
  const sock = path.join(rundir(), 'fcgi.sock');
  const st = statSync(sock);
  assert.equal(st.mode & 0o777, 0o660);
  const wwwGid = Number(spawnSync('id', ['-g', 'www-data'], { encoding: 'utf8' }).stdout.trim());
  assert.equal(st.gid, wwwGid);
  const connectAs = (user) => spawnSync('runuser', ['-u', user, '--', process.execPath, '-e',
    `require('net').connect(${JSON.stringify(sock)}).on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(3); })`],
  { encoding: 'utf8', cwd: '/' });
  const nobody = connectAs('nobody');
  assert.equal(nobody.status, 3);
  assert.match(nobody.stdout, /EACCES/);
  assert.equal(connectAs('www-data').status, 0, 'nginx\'s workers reach it');
});

// ---- 18.4 HTTPS from ENQUETE_PUBLIC_URL -----------------------------------

// One FastCGI request on socket sock; returns { status, headers: [[name, value]], body }.
function fastcgi(sock, params, stdin) {
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
        if (buf[1] === 3) {
          clearTimeout(timer);
          s.end();
          const text = Buffer.concat(parts).toString('utf8');
          const cut = text.indexOf('\r\n\r\n');
          const headers = text.slice(0, cut).split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
          resolve({ status: Number(headers.find(([k]) => k === 'status')[1].split(' ')[0]), headers, body: text.slice(cut + 4) });
        }
        buf = buf.subarray(total);
      }
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

test('ENQUETE_PUBLIC_URL on https: Secure cookies, __Host- session cookie and HSTS, whatever the request claims', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'enq-https-'));
  const sock = path.join(dir, 'fcgi.sock');
  const master = spawn(path.join(REPO, 'bin/enquete-fcgi'), [], {
    cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ENQUETE_SOCKET: sock, ENQUETE_WORKERS: '1', ENQUETE_PUBLIC_URL: 'https://survey.example',
      ENQUETE_DATABASE_URL: DATABASE_URL.replace(/user=enquete\b/, 'user=enquete_app'),
      ENQUETE_TEMPLATES: path.join(REPO, 'templates'), ENQUETE_SCHEMA: path.join(REPO, 'schema') },
  });
  t.after(async () => { master.kill('SIGTERM'); await sleep(300); rmSync(dir, { recursive: true, force: true }); });
  for (let i = 0; i < 100 && !(() => { try { return statSync(sock).isSocket(); } catch { return false; } })(); i++) await sleep(50);
  const all = (res, name) => res.headers.filter(([k]) => k === name).map(([, v]) => v);
  // plain http as far as the request says, even a forwarded "http"
  const plain = { REQUEST_METHOD: 'GET', REQUEST_URI: '/admin/login', HTTP_X_FORWARDED_PROTO: 'http' };
  const page = await fastcgi(sock, plain);
  assert.equal(page.status, 200);
  assert.deepEqual(all(page, 'strict-transport-security'), ['max-age=31536000']);
  const login = all(page, 'set-cookie').find((c) => c.startsWith('enq_login='));
  assert.match(login, /; Secure$/);
  const csrf = hidden(page.body, '_csrf');
  const body = new URLSearchParams([['_csrf', csrf], ['username', ADMIN], ['password', PW]]).toString();
  const ok = await fastcgi(sock, { REQUEST_METHOD: 'POST', REQUEST_URI: '/admin/login', HTTP_COOKIE: login.split(';')[0],
    CONTENT_TYPE: 'application/x-www-form-urlencoded', CONTENT_LENGTH: String(body.length), HTTP_X_FORWARDED_PROTO: 'http' }, body);
  assert.equal(ok.status, 303, ok.body);
  const sess = all(ok, 'set-cookie').find((c) => c.startsWith('__Host-enq_session='));
  assert.ok(sess, JSON.stringify(all(ok, 'set-cookie')));
  assert.match(sess, /; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
  assert.doesNotMatch(sess, /Domain=/i);
  const tok = sess.split(';')[0].split('=')[1];
  // only the __Host- cookie is a session over https
  const home = (cookie) => fastcgi(sock, { REQUEST_METHOD: 'GET', REQUEST_URI: '/admin/', HTTP_COOKIE: cookie });
  assert.equal((await home(`__Host-enq_session=${tok}`)).status, 200);
  assert.equal((await home(`enq_session=${tok}`)).status, 303);
  // the attendee's cookie is Secure too, and the 404 has HSTS
  const nf = await fastcgi(sock, { REQUEST_METHOD: 'GET', REQUEST_URI: '/nope' });
  assert.equal(nf.status, 404);
  assert.deepEqual(all(nf, 'strict-transport-security'), ['max-age=31536000']);
  const lang = await fastcgi(sock, { REQUEST_METHOD: 'GET', REQUEST_URI: `/e/${SLUG}/pre?lang=en`, QUERY_STRING: 'lang=en' });
  assert.ok(all(lang, 'set-cookie').length > 0);
  for (const c of all(lang, 'set-cookie')) assert.match(c, /; Secure$/);
});

test('over http, a client claiming https gets neither Secure nor HSTS', async () => {
  const c = new Client();
  const p = await c.get('/admin/login', { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.equal(p.headers['strict-transport-security'], undefined);
  const r = await c.post('/admin/login', [['_csrf', hidden(p.text, '_csrf')], ['username', ADMIN], ['password', PW]],
    { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Ssl': 'on' } });
  assert.equal(r.status, 303);
  const s = [].concat(r.headers['set-cookie']).find((x) => x.startsWith('enq_session='));
  assert.doesNotMatch(s, /Secure/);
});

// ---- 18.7 filter values ----------------------------------------------------

test('a filter value that is not one of the item\'s options is 400 on the API, the dashboard and the report', async () => {
  const c = new Client({ localAddress: freshAddress() });
  assert.equal((await c.login(ADMIN, PW)).status, 303);
  for (const q of ['org_type=%ff', 'org_type=%c3%28', 'org_type=ministry', 'org_type=Chamber', 'org_type=chamber&role=%ff%fe']) {
    const api = await c.get(`/api/v1/events/${SLUG}/summary?${q}`);
    assert.equal(api.status, 400, `API ?${q}: ${api.text}`);
    assert.ok(JSON.parse(api.text).error);
    assert.equal((await c.get(`/admin/e/${SLUG}?${q}`)).status, 400, `dashboard ?${q}`);
    assert.equal((await c.get(`/admin/e/${SLUG}/report?${q}`)).status, 400, `report ?${q}`);
  }
  assert.equal((await c.get(`/api/v1/events/${SLUG}/summary?org_type=chamber`)).status, 200);
  assert.equal((await c.get(`/admin/e/${SLUG}?org_type=chamber`)).status, 200);
  assert.equal((await c.get(`/admin/e/${SLUG}/report?org_type=chamber`)).status, 200);
});

// ---- 18.9 ------------------------------------------------------------------

test('nginx refuses HTTP/0.9: the connection closes without an answer', async () => {
  const url = new URL(BASE);
  const got = await new Promise((resolve, reject) => {
    const s = net.connect(Number(url.port), url.hostname, () => s.write('GET /healthz\r\n'));
    let b = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error('no close in 5 s')); }, 5000);
    s.on('data', (d) => { b += d; });
    s.on('close', () => { clearTimeout(timer); resolve(b); });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
  assert.equal(got, '');
  // HTTP/1.0 and 1.1 still answer
  const one = await fetch(`${BASE}/healthz`);
  assert.equal(one.status, 200);
});

test('sessions per user are capped at 10: the oldest is ended', async () => {
  const name = `cap${uniq}`;
  assert.equal(ctl(['user', 'add', name], `${PW}\n`).status, 0);
  const clients = [];
  for (let i = 0; i < 11; i++) {
    const c = new Client({ localAddress: freshAddress() });
    assert.equal((await c.login(name, PW)).status, 303);
    clients.push(c);
  }
  assert.equal(psql(`SELECT count(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.name = :'n'`, { n: name })[0][0], '10');
  assert.equal((await clients[0].get('/admin/')).status, 303, 'the oldest session ended');
  for (const c of clients.slice(1)) assert.equal((await c.get('/admin/')).status, 200);
});
