// admin.test.mjs: expert and organiser access through the real stack:
// sign-in, lockout per account (back-off) and per client, expiry, sign-out,
// CSRF, roles, redirects, API 401, badge codes and erasure.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { psql, REPO, tmpDir } from './lib.mjs';
import { Client, SLUG, answers, submit, hidden, shownCode, freshAddress } from './client.mjs';

const run = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { encoding: 'utf8', input, cwd: REPO });
const uniq = Date.now().toString(36);
const ADMIN = `adm${uniq}`, EXPERT = `exp${uniq}`, PW = 'correct horse 42';

test.before(() => {
  assert.equal(run(['user', 'add', ADMIN, '--role', 'admin'], `${PW}\n`).status, 0);
  assert.equal(run(['user', 'add', EXPERT], `${PW}\n`).status, 0);
});

test('sign-in: success sets a strict session cookie, failure says nothing specific', async () => {
  const c = new Client();
  const page = await c.get('/admin/login');
  assert.equal(page.status, 200);
  for (const f of ['username', 'password', '_csrf']) assert.ok(page.text.includes(`name="${f}"`));
  const bad = await c.post('/admin/login', [['_csrf', hidden(page.text, '_csrf')], ['username', ADMIN], ['password', 'wrong']]);
  assert.equal(bad.status, 401);
  const unknown = await c.post('/admin/login', [['_csrf', hidden(bad.text, '_csrf')], ['username', 'nobody' + uniq], ['password', 'wrong']]);
  assert.equal(unknown.status, 401);
  const msg = (t) => t.match(/<div class="notice error"[^>]*><p>([^<]*)/)[1];
  assert.equal(msg(bad.text), msg(unknown.text));
  const ok = await c.login(ADMIN, PW);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.location, '/admin/');
  const cookie = [].concat(ok.headers['set-cookie']).find((s) => s.startsWith('enq_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/);
  assert.equal((await c.get('/admin/')).status, 200);
  // only the hash of the token is stored
  const tok = c.cookies.get('enq_session');
  assert.equal(psql(`SELECT count(*) FROM session WHERE token_hash = :'t'`, { t: tok })[0][0], '0');
  // a client cannot claim HTTPS: nginx sets X-Forwarded-Proto from its own
  // scheme (the Secure flag itself is covered by tests/unit/test_http.c)
  const s = new Client();
  const p2 = await s.get('/admin/login', { headers: { 'X-Forwarded-Proto': 'https' } });
  const r2 = await s.post('/admin/login', [['_csrf', hidden(p2.text, '_csrf')], ['username', ADMIN], ['password', PW]], { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.doesNotMatch([].concat(r2.headers['set-cookie']).find((x) => x.startsWith('enq_session=')), /Secure/);
});

test('a sign-in without the CSRF token is 403', async () => {
  const c = new Client();
  await c.get('/admin/login');
  assert.equal((await c.post('/admin/login', [['username', ADMIN], ['password', PW]])).status, 403);
  assert.equal((await c.post('/admin/login', [['_csrf', 'f'.repeat(64)], ['username', ADMIN], ['password', PW]])).status, 403);
});

test('lockout: per account whatever the address, with Retry-After; the other accounts behind the address are not locked out', async () => {
  const name = `lock${uniq}`;
  assert.equal(run(['user', 'add', name], `${PW}\n`).status, 0);
  const attacker = new Client({ localAddress: freshAddress() });
  let last;
  for (let i = 0; i < 5; i++) last = await attacker.login(name, 'wrong');
  assert.equal(last.status, 401);
  const locked = await attacker.login(name, PW);
  assert.equal(locked.status, 429);
  const wait = Number(locked.headers['retry-after']);
  assert.ok(wait > 0 && wait <= 30, `Retry-After ${wait}`);
  // spreading guesses over addresses gains nothing: the account waits
  assert.equal((await new Client({ localAddress: freshAddress() }).login(name, PW)).status, 429);
  // unknown names are locked the same way
  for (let i = 0; i < 5; i++) await attacker.login('ghost' + uniq, 'x');
  assert.equal((await attacker.login('ghost' + uniq, 'x')).status, 429);
  // another account behind the same address still signs in
  assert.equal((await attacker.login(ADMIN, PW)).status, 303);
  // no address is stored: the keys are keyed hashes
  const keys = psql(`SELECT key FROM rate_event UNION ALL SELECT key FROM login_backoff`);
  assert.ok(keys.length > 0 && keys.every(([k]) => /^[0-9a-f]{64}$/.test(k)));
  // 20 bad sign-ins on other accounts from one address (a room's NAT):
  // the admin's right password still works from there
  const sprayer = new Client({ localAddress: freshAddress() });
  for (let i = 0; i < 20; i++) assert.equal((await sprayer.login(`spray${i}${uniq}`, 'x')).status, 401);
  assert.equal((await sprayer.login(ADMIN, PW)).status, 303);
});

test('admin pages without a session go to sign-in with next=; the API answers 401', async () => {
  const c = new Client();
  const r = await c.get('/admin/e/imanor-2017/codes?x=1');
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/admin/login?next=%2Fadmin%2Fe%2Fimanor-2017%2Fcodes%3Fx%3D1');
  const api = await c.get(`/api/v1/events/${SLUG}/summary`);
  assert.equal(api.status, 401);
  assert.match(api.headers['www-authenticate'], /^Bearer/);
  assert.ok(JSON.parse(api.text).error);
  const bearer = await c.get(`/api/v1/events/${SLUG}/summary`, { headers: { Authorization: 'Bearer ' + 'x'.repeat(43) } });
  assert.equal(bearer.status, 401);
  // after signing in, next= brings the user back
  const page = await c.get('/admin/login?next=%2Fadmin%2Fusers');
  const ok = await c.post('/admin/login', [['_csrf', hidden(page.text, '_csrf')], ['next', hidden(page.text, 'next')], ['username', ADMIN], ['password', PW]]);
  assert.equal(ok.headers.location, '/admin/users');
  // an outside next= is never followed
  const evil = await new Client().get('/admin/login?next=https%3A%2F%2Fevil.example%2F');
  assert.equal(hidden(evil.text, 'next'), '/admin/');
});

test('roles: an expert gets 403 on admin pages; tokens act with their user role', async () => {
  const e = new Client();
  assert.equal((await e.login(EXPERT, PW)).status, 303);
  assert.equal((await e.get('/admin/users')).status, 403);
  assert.equal((await e.get(`/admin/e/${SLUG}/codes`)).status, 403);
  assert.equal((await e.get('/admin/')).status, 200);
  const tok = run(['token', 'add', EXPERT]).stdout.trim();
  assert.match(tok, /^[A-Za-z0-9_-]{43}$/);
  const api = await new Client().get(`/api/v1/events/${SLUG}/summary`, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal(api.status, 200);
  assert.equal(JSON.parse(api.text).event, SLUG);
  assert.equal(run(['token', 'revoke', EXPERT]).status, 0);
  const after = await new Client().get(`/api/v1/events/${SLUG}/summary`, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal(after.status, 401);
});

test('state changes need the CSRF token; sign-out ends the session', async () => {
  const c = new Client();
  await c.login(ADMIN, PW);
  const users = await c.get('/admin/users');
  const csrf = hidden(users.text, '_csrf');
  assert.match(csrf, /^[0-9a-f]{64}$/);
  assert.equal((await c.post('/admin/users', [['username', 'x' + uniq], ['role', 'expert'], ['password', PW]])).status, 403);
  assert.equal((await c.post('/admin/logout', [['_csrf', 'bad']])).status, 403);
  const add = await c.post('/admin/users', [['_csrf', csrf], ['username', 'new' + uniq], ['role', 'expert'], ['password', PW]]);
  assert.equal(add.status, 303);
  assert.equal(psql(`SELECT role FROM app_user WHERE name = :'n'`, { n: 'new' + uniq })[0][0], 'expert');
  const tok = c.cookies.get('enq_session');
  const out = await c.post('/admin/logout', [['_csrf', csrf]]);
  assert.equal(out.status, 303);
  assert.equal(out.headers.location, '/admin/login');
  const stale = new Client();
  stale.cookies.set('enq_session', tok);
  assert.equal((await stale.get('/admin/')).status, 303);
});

test('sessions expire when idle and after their absolute lifetime', async () => {
  for (const col of ['last_seen', 'created_at']) {
    const c = new Client();
    await c.login(ADMIN, PW);
    assert.equal((await c.get('/admin/')).status, 200);
    psql(`UPDATE session s SET ${col === 'last_seen' ? "last_seen = now() - interval '3 hours'" : "created_at = now() - interval '13 hours'"}
      FROM app_user u WHERE u.id = s.user_id AND u.name = :'n'`, { n: ADMIN });
    assert.equal((await c.get('/admin/')).status, 303, col);
  }
});

test('badge codes: CLI and sheet; the QR codes carry the pre link; a badge code links the pre form', async () => {
  const out = run(['codes', 'generate', '--event', SLUG, '--count', '3']);
  assert.equal(out.status, 0, out.stderr);
  const codes = out.stdout.trim().split('\n');
  assert.equal(codes.length, 3);
  for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  const c = new Client();
  await c.login(ADMIN, PW);
  const sheet = await c.get(`/admin/e/${SLUG}/codes`);
  assert.equal(sheet.status, 200);
  for (const code of codes) assert.ok(sheet.text.includes(code));
  assert.doesNotMatch(sheet.text, /style=/);
  // decode one QR code with zbarimg after rasterising the SVG
  const svgs = sheet.text.match(/<svg[\s\S]*?<\/svg>/g);
  const i = svgs.findIndex((s) => s.includes(`aria-label="${codes[0]}"`));
  assert.ok(i >= 0);
  const dir = tmpDir('qr-');
  writeFileSync(path.join(dir, 'q.svg'), svgs[i]);
  assert.equal(spawnSync('rsvg-convert', ['-w', '400', '-o', path.join(dir, 'q.png'), path.join(dir, 'q.svg')]).status, 0);
  const z = spawnSync('zbarimg', ['-q', '--raw', path.join(dir, 'q.png')], { encoding: 'utf8' });
  assert.equal(z.stdout.trim(), `${process.env.ENQUETE_PUBLIC_URL || process.env.ENQUETE_BASE_URL}/e/${SLUG}/pre?code=${codes[0]}`);
  // the sheet makes more codes (CSRF-checked)
  const more = await c.post(`/admin/e/${SLUG}/codes`, [['_csrf', hidden(sheet.text, '_csrf')], ['count', '2']]);
  assert.equal(more.status, 303);
  assert.equal((await c.post(`/admin/e/${SLUG}/codes`, [['_csrf', hidden(sheet.text, '_csrf')], ['count', '0']])).status, 422);
  // an attendee with a badge: ?code= links the pre form, then the post by cookie
  const a = new Client();
  const { form, res } = await submit(a, 'pre', answers('pre'), { query: `?code=${codes[1]}` });
  assert.equal(hidden(form.text, '_code'), codes[1]);
  assert.equal(res.status, 303);
  assert.equal(shownCode((await a.get(`/e/${SLUG}/pre/thanks`)).text), codes[1]);
  const { res: post } = await submit(a, 'post', answers('post'));
  assert.equal(post.status, 303);
  assert.equal(psql(`SELECT count(*) FROM response r JOIN participant p ON p.id = r.participant_id WHERE p.code = :'c' AND p.preissued`,
    { c: codes[1].replace('-', '') })[0][0], '2');
  // the same badge cannot answer the pre again from another phone
  const b = new Client();
  const { res: again } = await submit(b, 'pre', answers('pre'), { query: `?code=${codes[1]}` });
  assert.equal(again.status, 409);
});

test('participant erase deletes every answer of that participant', async () => {
  const a = new Client();
  await submit(a, 'pre', answers('pre'));
  const code = shownCode((await a.get(`/e/${SLUG}/pre/thanks`)).text);
  await submit(a, 'post', answers('post'));
  const before = Number(psql(`SELECT count(*) FROM answer`)[0][0]);
  const r = run(['participant', 'erase', '--event', SLUG, code.toLowerCase()]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(psql(`SELECT count(*) FROM participant WHERE code = :'c'`, { c: code.replace('-', '') })[0][0], '0');
  assert.ok(Number(psql(`SELECT count(*) FROM answer`)[0][0]) < before);
  assert.equal(psql(`SELECT count(*) FROM response_history h WHERE NOT EXISTS (SELECT 1 FROM response r WHERE r.id = h.response_id)`)[0][0], '0');
  assert.notEqual(run(['participant', 'erase', '--event', SLUG, code]).status, 0);
  // the statistics follow the erasure
  assert.equal(psql(`SELECT count(*) FROM enquete_stats_check((SELECT id FROM event WHERE slug = :'s'))`, { s: SLUG })[0][0], '0');
});

test('consented contacts: a separate admin-only CSV, never in the exports', async () => {
  const a = new Client();
  const contact = `ada.${uniq}@example.org, "bureau" 2`;
  const { res } = await submit(a, 'post', answers('post', { contact_consent: 'yes', contact }));
  assert.equal(res.status, 303, res.text.slice(0, 300));
  // without consent the contact is refused, answers kept
  const { res: no } = await submit(new Client(), 'post', answers('post', { contact_consent: 'no', contact: 'x@example.org' }));
  assert.equal(no.status, 422);
  assert.ok(no.text.includes('x@example.org'));
  const adm = new Client();
  await adm.login(ADMIN, PW);
  const csv = await adm.get(`/admin/e/${SLUG}/contacts.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  assert.ok(csv.text.startsWith('item,contact,interest,submitted_at\r\n'));
  assert.ok(csv.text.includes(`"${contact.replace(/"/g, '""')}"`));
  const exp = new Client();
  await exp.login(EXPERT, PW);
  assert.equal((await exp.get(`/admin/e/${SLUG}/contacts.csv`)).status, 403);
  for (const p of ['/export.csv?format=long', '/export.csv?format=wide', '/export.json']) {
    const e = await adm.get(`/admin/e/${SLUG}${p}`);
    assert.equal(e.status, 200);
    assert.ok(!e.text.includes(`ada.${uniq}`), p);
  }
});

test('the events overview counts badge codes that answered (not a rate: attendees may use their own codes)', async () => {
  const c = new Client();
  await c.login(ADMIN, PW);
  const page = await c.get('/admin/');
  const row = page.text.match(/href="\/admin\/e\/imanor-2017"[\s\S]*?<\/tr>/)[0];
  const m = row.match(/data-k="imanor-2017\.codes_used">(\d+)\/(\d+)<\/td>/);
  assert.ok(m, row);
  const [, answered, issued] = m.map(Number);
  assert.ok(answered <= issued);
  assert.equal(String(issued), psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = 'imanor-2017' AND p.preissued`)[0][0]);
  // pre, post, paired (read from the statistics' counters) = the raw rows
  const nums = ['pre', 'post', 'paired'].map((k) => row.match(new RegExp(`data-k="imanor-2017\\.${k}">(\\d+)</td>`))?.[1]);
  assert.deepEqual(nums, psql(`SELECT count(*) FILTER (WHERE instrument = 'pre'), count(*) FILTER (WHERE instrument = 'post'),
    (SELECT count(*) FROM (SELECT participant_id FROM response r WHERE r.event_id = e.id GROUP BY 1 HAVING count(*) = 2) x)
    FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = 'imanor-2017' GROUP BY e.id`)[0]);
});
