// roles.test.mjs: roles and scopes (DESIGN.md "Roles and what each may
// see"), one's own password, archived events, erasure from the console
// and the audit log ("The organiser's console"), through the real stack.
// The scope sweep reads the route table from the server itself
// (`bin/enquete-fcgi --routes`), so that a route added later cannot
// escape it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, psql, catalog, tmpDir } from './lib.mjs';
import { Client, DEF, hidden, request, answers } from './client.mjs';

const RUN = Date.now().toString(36);
const A = `rola-${RUN}`, B = `rolb-${RUN}`, C = `rolc-${RUN}`;
const PW = 'password-roles-1';
const tmp = tmpDir('enquete-roles-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const OS_USER = os.userInfo().username;
// 1 when html carries the UI string key in one of the languages (escaped
// as the renderer does).
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const says = (html, key) => ['fr', 'en', 'ar'].some((l) => html.includes(esc(catalog(l)[key])));

// The route table as the server has it: [{method, pattern, flags[], events}].
function routeTable() {
  const r = spawnSync(path.join(REPO, 'bin/enquete-fcgi'), ['--routes'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => {
    const [method, pattern, flags, events] = l.split('\t');
    return { method, pattern, flags: flags === '-' ? [] : flags.split(','), events: events === 'events' };
  });
}

const U = {
  admin: `radm_${RUN}`, orgB: `rorgb_${RUN}`, expA: `rexpa_${RUN}`,
  expNone: `rexpn_${RUN}`, expAll: `rexpall_${RUN}`, pw: `rpw_${RUN}`,
};
const clients = {};

async function signIn(name, password = PW) {
  const c = new Client();
  assert.equal((await c.login(name, password)).status, 303, `sign-in ${name}`);
  return c;
}

// The CSRF token of the session (every admin page carries it).
async function csrf(c) {
  const page = await c.get('/admin/');
  assert.equal(page.status, 200);
  return hidden(page.text, '_csrf');
}

const audit = (where, p = {}) => psql(`SELECT actor, coalesce(event_slug, ''), action, detail::text FROM audit_log WHERE ${where} ORDER BY id`, p);

before(async () => {
  for (const slug of [A, B, C]) {
    const file = path.join(tmp, `${slug}.json`);
    writeFileSync(file, JSON.stringify({ ...DEF, event: { ...DEF.event, slug } }));
    must(ctl(['load', file]), `load ${slug}`);
  }
  must(ctl(['user', 'add', U.admin, '--role', 'admin'], `${PW}\n`), 'admin');
  must(ctl(['user', 'add', U.orgB, '--role', 'organiser', '--events', `${B},${C}`], `${PW}\n`), 'organiser');
  must(ctl(['user', 'add', U.expA, '--role', 'expert', '--events', A], `${PW}\n`), 'expert A');
  must(ctl(['user', 'add', U.expNone, '--events', ''], `${PW}\n`), 'expert none');
  must(ctl(['user', 'add', U.expAll], `${PW}\n`), 'expert all');
  for (const k of ['admin', 'orgB', 'expA', 'expNone', 'expAll']) clients[k] = await signIn(U[k]);
});

test('the CLI: roles and scopes as given, an expert without --events reads every event, audited as cli:<os user>', () => {
  const rows = psql(`SELECT name, role, all_events, coalesce((SELECT string_agg(e.slug, ',' ORDER BY e.slug) FROM user_event ue JOIN event e ON e.id = ue.event_id WHERE ue.user_id = u.id), '') FROM app_user u WHERE name LIKE :'p' ORDER BY name`, { p: `r%_${RUN}` });
  const by = Object.fromEntries(rows.map(([n, ...r]) => [n, r]));
  assert.deepEqual(by[U.orgB], ['organiser', 'f', `${B},${C}`]);
  assert.deepEqual(by[U.expA], ['expert', 'f', A]);
  assert.deepEqual(by[U.expNone], ['expert', 'f', '']);
  assert.deepEqual(by[U.expAll], ['expert', 't', '']);
  const add = audit(`action = 'user.add' AND detail->>'name' = :'n'`, { n: U.orgB });
  assert.equal(add.length, 1);
  assert.equal(add[0][0], `cli:${OS_USER}`);
  assert.deepEqual(JSON.parse(add[0][3]), { name: U.orgB, role: 'organiser', events: `${B},${C}` });
  // load audited a new event and its first version
  assert.deepEqual(audit(`event_slug = :'s'`, { s: A }).map((r) => r[2]), ['event.create', 'definition.version']);
  // a bad role, a bad scope, an unknown event: refused, nothing created
  assert.equal(ctl(['user', 'add', `rbad_${RUN}`, '--role', 'boss'], `${PW}\n`).status, 2);
  assert.equal(ctl(['user', 'add', `rbad_${RUN}`, '--events', 'Not A Slug'], `${PW}\n`).status, 2);
  const unknown = ctl(['user', 'add', `rbad_${RUN}`, '--role', 'organiser', '--events', `${A},nosuch-${RUN}`], `${PW}\n`);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, new RegExp(`nosuch-${RUN}`));
  assert.equal(psql(`SELECT count(*) FROM app_user WHERE name = :'n'`, { n: `rbad_${RUN}` })[0][0], '0');
});

test('an organiser of B gets 404 on every route of event A, as the server lists them; their own event answers', async () => {
  const c = clients.orgB;
  const token = await csrf(c);
  const routes = routeTable();
  const scoped = routes.filter((r) => r.pattern.includes('{slug}') && r.flags.includes('session'));
  assert.ok(scoped.length >= 20, `${scoped.length} scoped routes`);
  const at = (r, slug) => r.pattern.replace('{slug}', slug).replace('{inst}', 'pre').replace('{name}', 'likert');
  const codesBefore = psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: A })[0][0];
  for (const r of scoped) {
    const res = r.method === 'POST'
      ? await c.post(at(r, A), [['_csrf', token], ['count', '3'], ['code', 'ABCD-EFGH'], ['confirm', '1'], ['double_entry', '1']])
      : await c.get(at(r, A));
    assert.equal(res.status, 404, `${r.method} ${at(r, A)}: ${res.status}`);
    // the same for an event that does not exist: nothing tells them apart
    const none = r.method === 'POST' ? await c.post(at(r, `nosuch-${RUN}`), [['_csrf', token]]) : await c.get(at(r, `nosuch-${RUN}`));
    assert.equal(none.status, 404);
  }
  // nothing was changed in A
  assert.equal(psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: A })[0][0], codesBefore);
  // their own event answers every GET (the 404s above are the scope's)
  for (const r of scoped.filter((x) => x.method === 'GET')) {
    const res = await c.get(at(r, B));
    assert.notEqual(res.status, 404, `GET ${at(r, B)}`);
    assert.ok(res.status < 500, `GET ${at(r, B)}: ${res.status}`);
  }
  // and what only an admin may do there is 403, not 404
  assert.equal((await c.post(`/admin/e/${B}/archive`, [['_csrf', token], ['confirm', '1']])).status, 403);
  // the routes that take a list of events: one outside the scope is 404
  for (const r of routes.filter((x) => x.events)) {
    assert.equal((await c.get(`${r.pattern}?events=${B},${A}`)).status, 404, r.pattern);
    assert.equal((await c.get(`${r.pattern}?events=${B},${C}`)).status, 200, r.pattern);
  }
  // the API with the organiser's bearer token: the same scope
  const tok = must(ctl(['token', 'add', U.orgB]), 'token').trim();
  const api = (slug) => request('GET', `/api/v1/events/${slug}/summary`, { headers: { Authorization: `Bearer ${tok}` } });
  const outside = await api(A);
  assert.equal(outside.status, 404);
  assert.equal(JSON.parse(outside.text).error, 'Not Found');
  assert.equal((await api(B)).status, 200);
});

test('the events list shows only the events in scope; an organiser manages codes and the poster of their event', async () => {
  const slugsOf = async (c) => [...(await c.get('/admin/')).text.matchAll(/href="\/admin\/e\/([a-z0-9-]+)"/g)].map((m) => m[1]);
  const org = await slugsOf(clients.orgB);
  assert.ok(org.includes(B) && org.includes(C) && !org.includes(A), org.join(' '));
  const exp = await slugsOf(clients.expA);
  assert.deepEqual(exp.filter((s) => s.endsWith(RUN)), [A]);
  const all = await slugsOf(clients.expAll);
  for (const s of [A, B, C]) assert.ok(all.includes(s), s);
  // codes from the console, in the event's languages, audited with the user
  const c = clients.orgB;
  const page = await c.get(`/admin/e/${B}/codes`);
  assert.equal(page.status, 200);
  const made = await c.post(`/admin/e/${B}/codes`, [['_csrf', hidden(page.text, '_csrf')], ['count', '4']]);
  assert.equal(made.status, 303);
  const row = audit(`action = 'codes.generate' AND event_slug = :'s'`, { s: B });
  assert.deepEqual(row.map((r) => [r[0], JSON.parse(r[3])]), [[U.orgB, { count: 4 }]]);
  const poster = await c.get(`/admin/e/${B}/poster`);
  assert.equal(poster.status, 200);
  for (const l of ['fr', 'en', 'ar']) assert.match(poster.text, new RegExp(`lang="${l}"`));
});

test('an expert with a scope reads its analysis and exports, never codes, contacts, erasure or the audit log', async () => {
  const c = clients.expA;
  assert.equal((await c.get(`/admin/e/${A}`)).status, 200);
  assert.equal((await c.get(`/admin/e/${A}/export.csv`)).status, 200);
  assert.equal((await c.get(`/admin/e/${A}/export.json`)).status, 200);
  assert.equal((await c.get(`/api/v1/events/${A}/summary`)).status, 200);
  for (const p of ['codes', 'contacts.csv', 'erase', 'poster', 'paper/pre', 'entry/pre'])
    assert.equal((await c.get(`/admin/e/${A}/${p}`)).status, 403, p);
  assert.equal((await c.get(`/admin/e/${B}`)).status, 404);
  assert.equal((await c.get(`/admin/e/${B}/export.csv`)).status, 404);
  assert.equal((await c.get('/admin/audit')).status, 404);
  assert.equal((await c.get(`/admin/audit?event=${A}`)).status, 404);
  assert.equal((await c.get(`/admin/compare?events=${A},${B}`)).status, 404);
});

test('the console\'s links: an organiser finds creation, set-up, live, paper and entry; an expert the analysis files only; an event an organiser creates joins their scope', async () => {
  const hrefs = (html) => new Set([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')));
  const orgIndex = hrefs((await clients.orgB.get('/admin/')).text);
  assert.ok(orgIndex.has('/admin/events/new'), 'new event');
  assert.ok(orgIndex.has(`/admin/e/${B}/setup`) && orgIndex.has(`/admin/e/${B}/live`), 'set-up and live');
  const expIndex = hrefs((await clients.expA.get('/admin/')).text);
  assert.ok(!expIndex.has('/admin/events/new') && !expIndex.has(`/admin/e/${A}/setup`));
  const orgDash = hrefs((await clients.orgB.get(`/admin/e/${B}`)).text);
  for (const p of ['setup', 'live', 'paper/pre', 'paper/post', 'entry/pre', 'entry/post', 'results.xlsx', 'analysis.R', 'labels.sps']) {
    assert.ok(orgDash.has(`/admin/e/${B}/${p}`), `organiser: ${p}`);
    assert.equal((await clients.orgB.get(`/admin/e/${B}/${p}`)).status, 200, `organiser GET ${p}`);
  }
  const expDash = hrefs((await clients.expA.get(`/admin/e/${A}`)).text);
  for (const p of ['results.xlsx', 'analysis.R', 'labels.sps']) assert.ok(expDash.has(`/admin/e/${A}/${p}`), `expert: ${p}`);
  for (const p of ['setup', 'live', 'paper/pre', 'entry/pre']) assert.ok(!expDash.has(`/admin/e/${A}/${p}`), `expert: no ${p}`);
  // creating from a copy of their own event: the new one is theirs
  const slug = `rnew-${RUN}`;
  const form = await clients.orgB.get('/admin/events/new');
  assert.equal(form.status, 200);
  const made = await clients.orgB.post('/admin/events', [['_csrf', hidden(form.text, '_csrf')], ['slug', slug], ['copy_from', B],
    ['title_fr', 'Atelier'], ['title_en', 'Workshop'], ['title_ar', 'ورشة'], ['starts_on', '2027-03-01'], ['ends_on', '2027-03-02'],
    ['place', 'Tunis'], ['country', 'TN'], ['timezone', 'Africa/Tunis'], ['languages', 'fr,ar,en'], ['host', 'INNORPI']]);
  assert.equal(made.status, 303, made.text.slice(0, 400));
  assert.equal((await clients.orgB.get(`/admin/e/${slug}/setup`)).status, 200);
  assert.equal((await clients.expA.get(`/admin/e/${slug}`)).status, 404);
  assert.deepEqual(audit(`action = 'event.create' AND event_slug = :'s'`, { s: slug }).map((r) => [r[0], JSON.parse(r[3]).copy_from]), [[U.orgB, B]]);
  // copying an event outside the scope is refused like one that does not exist
  const form2 = await clients.orgB.get('/admin/events/new');
  const refused = await clients.orgB.post('/admin/events', [['_csrf', hidden(form2.text, '_csrf')], ['slug', `${slug}-x`], ['copy_from', A],
    ['title_fr', 'Atelier'], ['title_en', 'Workshop'], ['title_ar', 'ورشة'], ['starts_on', '2027-03-01'], ['ends_on', '2027-03-02'],
    ['place', 'Tunis'], ['country', 'TN'], ['timezone', 'Africa/Tunis'], ['languages', 'fr,ar,en'], ['host', 'INNORPI']]);
  assert.equal(refused.status, 422);
  assert.equal(psql(`SELECT count(*) FROM event WHERE slug = :'s'`, { s: `${slug}-x` })[0][0], '0');
});

test('an empty scope sees nothing', async () => {
  const c = clients.expNone;
  const index = await c.get('/admin/');
  assert.equal(index.status, 200);
  assert.doesNotMatch(index.text, /href="\/admin\/e\//);
  for (const s of [A, B, C, 'imanor-2017']) {
    assert.equal((await c.get(`/admin/e/${s}`)).status, 404, s);
    assert.equal((await c.get(`/api/v1/events/${s}/summary`)).status, 404, s);
  }
});

test('`user events` replaces a scope; taking the last event away leaves none, never every event; audited', async () => {
  const name = `revt_${RUN}`;
  must(ctl(['user', 'add', name, '--role', 'organiser', '--events', A], `${PW}\n`), 'add');
  const c = await signIn(name);
  assert.equal((await c.get(`/admin/e/${A}`)).status, 200);
  assert.equal((await c.get(`/admin/e/${B}`)).status, 404);
  assert.match(must(ctl(['user', 'events', name, `${B}`]), 'events B'), new RegExp(`events ${B}`));
  assert.equal((await c.get(`/admin/e/${A}`)).status, 404);
  assert.equal((await c.get(`/admin/e/${B}`)).status, 200);
  must(ctl(['user', 'events', name, '']), 'events none');
  for (const s of [A, B, C]) assert.equal((await c.get(`/admin/e/${s}`)).status, 404, s);
  // an unknown event changes nothing
  assert.equal(ctl(['user', 'events', name, `${A},nosuch-${RUN}`]).status, 1);
  assert.equal((await c.get(`/admin/e/${A}`)).status, 404);
  assert.equal(ctl(['user', 'events', `nobody_${RUN}`, A]).status, 1);
  must(ctl(['user', 'events', name, '*']), 'events all');
  for (const s of [A, B, C]) assert.equal((await c.get(`/admin/e/${s}`)).status, 200, s);
  assert.deepEqual(audit(`action = 'user.events' AND detail->>'name' = :'n'`, { n: name }).map((r) => JSON.parse(r[3]).events), [B, '', '*']);
});

test('the users page: an admin sets a role and a scope (CSRF); nobody else may', async () => {
  const name = `rweb_${RUN}`;
  const c = clients.admin;
  const page = await c.get('/admin/users');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="events"/);
  assert.match(page.text, /value="organiser"/);
  const token = hidden(page.text, '_csrf');
  // created from the page, as an organiser of A
  assert.equal((await c.post('/admin/users', [['_csrf', token], ['username', name], ['role', 'organiser'], ['events', A], ['password', PW]])).status, 303);
  assert.deepEqual(psql(`SELECT role, all_events::text FROM app_user WHERE name = :'n'`, { n: name })[0], ['organiser', 'false']);
  const u = await signIn(name);
  assert.equal((await u.get(`/admin/e/${A}/codes`)).status, 200);
  // without CSRF: 403, nothing changed
  assert.equal((await c.post('/admin/users/access', [['username', name], ['role', 'admin'], ['events', '*']])).status, 403);
  // an organiser may not change roles
  assert.equal((await clients.orgB.post('/admin/users/access', [['_csrf', await csrf(clients.orgB)], ['username', name], ['role', 'admin'], ['events', '*']])).status, 403);
  assert.equal((await clients.orgB.get('/admin/users')).status, 403);
  assert.equal(psql(`SELECT role FROM app_user WHERE name = :'n'`, { n: name })[0][0], 'organiser');
  // an unknown event: 422, nothing changed
  const bad = await c.post('/admin/users/access', [['_csrf', token], ['username', name], ['role', 'expert'], ['events', `nosuch-${RUN}`]]);
  assert.equal(bad.status, 422);
  assert.ok(says(bad.text, 'error_scope_unknown'));
  assert.equal(psql(`SELECT role FROM app_user WHERE name = :'n'`, { n: name })[0][0], 'organiser');
  // the admin makes them an expert of B only
  assert.equal((await c.post('/admin/users/access', [['_csrf', token], ['username', name], ['role', 'expert'], ['events', ` ${B} `]])).status, 303);
  assert.equal((await u.get(`/admin/e/${A}`)).status, 404);
  assert.equal((await u.get(`/admin/e/${B}`)).status, 200);
  assert.equal((await u.get(`/admin/e/${B}/codes`)).status, 403);
  const after = await c.get('/admin/users');
  assert.match(after.text, new RegExp(`id="events-${name}" name="events" value="${B}"`));
  const rows = audit(`action IN ('user.add', 'user.role', 'user.events') AND detail->>'name' = :'n'`, { n: name });
  assert.deepEqual(rows.map((r) => [r[0], r[2]]), [[U.admin, 'user.add'], [U.admin, 'user.role'], [U.admin, 'user.events']]);
  assert.equal(JSON.parse(rows[2][3]).events, B);
  // one's own admin role stays
  assert.equal((await c.post('/admin/users/access', [['_csrf', token], ['username', U.admin], ['role', 'expert'], ['events', '*']])).status, 422);
});

test('every user changes their own password: current one required, sessions and API tokens end, audited', async () => {
  must(ctl(['user', 'add', U.pw, '--role', 'organiser', '--events', B], `${PW}\n`), 'add');
  const c = await signIn(U.pw), other = await signIn(U.pw);
  const tok = must(ctl(['token', 'add', U.pw]), 'token').trim();
  const api = () => request('GET', `/api/v1/events/${B}/summary`, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal((await api()).status, 200);
  const page = await c.get('/admin/password');
  assert.equal(page.status, 200);
  const token = hidden(page.text, '_csrf');
  for (const f of ['current_password', 'password']) assert.match(page.text, new RegExp(`name="${f}"`));
  // without CSRF, with a wrong current password, with a too short new one
  assert.equal((await c.post('/admin/password', [['current_password', PW], ['password', 'new-password-1']])).status, 403);
  assert.equal((await c.post('/admin/password', [['_csrf', token], ['current_password', 'wrong-password'], ['password', 'new-password-1']])).status, 401);
  assert.equal((await c.post('/admin/password', [['_csrf', token], ['current_password', PW], ['password', 'short']])).status, 422);
  assert.equal((await api()).status, 200, 'nothing changed yet');
  const ok = await c.post('/admin/password', [['_csrf', token], ['current_password', PW], ['password', 'new-password-1']]);
  assert.equal(ok.status, 200);
  assert.ok(says(ok.text, 'password_changed'));
  // argon2id in the database
  assert.match(psql(`SELECT password_hash FROM app_user WHERE name = :'n'`, { n: U.pw })[0][0], /^\$argon2id\$/);
  // the token and the other session ended; this browser stays signed in
  assert.equal((await api()).status, 401);
  assert.equal((await other.get('/admin/')).status, 303);
  assert.equal((await c.get('/admin/')).status, 200);
  // the page's new CSRF token works: change it back
  assert.equal((await c.post('/admin/password', [['_csrf', hidden(ok.text, '_csrf')], ['current_password', 'new-password-1'], ['password', PW]])).status, 200);
  assert.equal((await new Client().login(U.pw, 'new-password-1')).status, 401);
  await signIn(U.pw, PW);
  const rows = audit(`action = 'user.password' AND detail->>'name' = :'n'`, { n: U.pw });
  assert.deepEqual(rows.map((r) => r[0]), [U.pw, U.pw]);
});

test('archive: admins only, with a confirmation; hidden from every list, data kept, reachable by URL for admins alone', async () => {
  const c = clients.admin;
  const token = await csrf(c);
  const before = psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: C })[0][0];
  must(ctl(['codes', 'generate', '--event', C, '--count', '2']), 'codes');
  must(ctl(['event', 'open', C, 'pre']), 'open');
  assert.ok((await request('GET', '/')).text.includes(`/e/${C}/`));
  assert.equal((await c.post(`/admin/e/${C}/archive`, [['_csrf', token]])).status, 422);
  assert.equal((await c.post(`/admin/e/${C}/archive`, [['confirm', '1']])).status, 403);
  const done = await c.post(`/admin/e/${C}/archive`, [['_csrf', token], ['confirm', '1']]);
  assert.equal(done.status, 303);
  assert.equal(done.headers.location, '/admin/');
  // hidden from the lists
  assert.ok(!(await c.get('/admin/')).text.includes(`/admin/e/${C}"`));
  assert.ok(!(await clients.orgB.get('/admin/')).text.includes(`/admin/e/${C}"`));
  assert.ok(!(await request('GET', '/')).text.includes(`/e/${C}/`));
  // the admin still reaches it; its organiser and the experts do not
  assert.equal((await c.get(`/admin/e/${C}`)).status, 200);
  assert.equal((await c.get(`/admin/e/${C}/export.csv`)).status, 200);
  assert.equal((await clients.orgB.get(`/admin/e/${C}`)).status, 404);
  assert.equal((await clients.expAll.get(`/admin/e/${C}`)).status, 404);
  assert.equal((await clients.expAll.get(`/api/v1/events/${C}/summary`)).status, 404);
  // its data are kept
  assert.equal(Number(psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: C })[0][0]), Number(before) + 2);
  assert.deepEqual(audit(`action = 'event.archive' AND event_slug = :'s'`, { s: C }).map((r) => r[0]), [U.admin]);
});

test('erasure from the console: a confirmation step, then every answer gone; the organiser may, an expert not; audited', async () => {
  const c = clients.orgB;
  const code = must(ctl(['codes', 'generate', '--event', B, '--count', '1']), 'code').trim();
  const page = await c.get(`/admin/e/${B}/erase`);
  assert.equal(page.status, 200);
  const token = hidden(page.text, '_csrf');
  // not a code, an unknown code: 422, what was typed kept
  const bad = await c.post(`/admin/e/${B}/erase`, [['_csrf', token], ['code', 'nope!']]);
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="nope!"/);
  assert.equal((await c.post(`/admin/e/${B}/erase`, [['_csrf', token], ['code', 'ABCD-EFGH']])).status, 422);
  // the confirmation step changes nothing
  const confirm = await c.post(`/admin/e/${B}/erase`, [['_csrf', token], ['code', code.toLowerCase()]]);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, new RegExp(`name="code" value="${code}"`));
  assert.match(confirm.text, /name="confirm" value="1"/);
  const exists = () => psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s' AND p.code = :'c'`, { s: B, c: code.replace('-', '') })[0][0];
  assert.equal(exists(), '1');
  // an expert of every event may not
  assert.equal((await clients.expAll.post(`/admin/e/${B}/erase`, [['_csrf', await csrf(clients.expAll)], ['code', code], ['confirm', '1']])).status, 403);
  assert.equal(exists(), '1');
  const done = await c.post(`/admin/e/${B}/erase`, [['_csrf', token], ['code', code], ['confirm', '1']]);
  assert.equal(done.status, 200);
  assert.equal(exists(), '0');
  const rows = audit(`action = 'participant.erase' AND event_slug = :'s'`, { s: B });
  assert.deepEqual(rows.map((r) => [r[0], JSON.parse(r[3]).code]), [[U.orgB, code]]);
});

test('paper from the console by the event\'s organiser: a batch, double entry, a typed sheet, each audited', async () => {
  const c = clients.orgB;
  const page = await c.get(`/admin/e/${B}/entry/pre`);
  assert.equal(page.status, 200);
  const token = hidden(page.text, '_csrf');
  assert.equal((await c.post(`/admin/e/${B}/paper/batch`, [['_csrf', token], ['count', '2'], ['_token', `t${RUN}`]])).status, 303);
  assert.equal((await c.post(`/admin/e/${B}/entry/mode`, [['_csrf', token], ['double_entry', '0']])).status, 303);
  const sheet = await c.post(`/admin/e/${B}/entry/pre`, [['_csrf', token], ['_lang', 'fr'], ...answers('pre')]);
  assert.equal(sheet.status, 303, sheet.text.slice(0, 300));
  const rows = audit(`event_slug = :'s' AND actor = :'a' AND action LIKE 'paper.%'`, { s: B, a: U.orgB }).map((r) => [r[2], JSON.parse(r[3])]);
  assert.deepEqual(rows.map((r) => r[0]), ['paper.batch', 'paper.double_entry', 'paper.sheet']);
  assert.equal(rows[0][1].count, 2);
  assert.equal(rows[1][1].double_entry, false);
  assert.equal(rows[2][1].instrument, 'pre');
  assert.match(rows[2][1].code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
});

test('the audit log: admins see all, organisers their events only, filter by event; the CLI and console changes are there', async () => {
  // CLI changes of today's commands
  must(ctl(['event', 'open', B, 'post']), 'open');
  must(ctl(['event', 'close', B, 'post']), 'close');
  must(ctl(['event', 'attendance', B, '25']), 'attendance');
  const t = must(ctl(['token', 'add', U.expAll, '--days', '3']), 'token add');
  assert.ok(t.trim().length > 10);
  must(ctl(['token', 'revoke', U.expAll]), 'token revoke');
  const code = must(ctl(['codes', 'generate', '--event', B, '--count', '1']), 'codes').trim();
  must(ctl(['participant', 'erase', '--event', B, code]), 'erase');
  const cli = audit(`event_slug = :'s' AND actor = :'a'`, { s: B, a: `cli:${OS_USER}` }).map((r) => [r[2], JSON.parse(r[3])]);
  for (const want of [['window.open', { instrument: 'post' }], ['window.close', { instrument: 'post' }],
    ['event.attendance', { attendance: 25 }], ['codes.generate', { count: 1 }], ['participant.erase', { code }]])
    assert.ok(cli.some(([a, d]) => a === want[0] && JSON.stringify(d) === JSON.stringify(want[1])), JSON.stringify(want));
  assert.deepEqual(audit(`action LIKE 'token.%' AND detail->>'name' = :'n'`, { n: U.expAll }).map((r) => r[2]), ['token.add', 'token.revoke']);
  // exports of contacts are recorded
  const exports = () => audit(`action = 'contacts.export' AND event_slug = :'s' AND actor = :'a'`, { s: B, a: U.orgB }).length;
  const n = exports();
  assert.equal((await clients.orgB.get(`/admin/e/${B}/contacts.csv`)).status, 200);
  assert.equal(exports(), n + 1);
  // the admin's page: every entry, accounts included
  const all = await clients.admin.get('/admin/audit');
  assert.equal(all.status, 200);
  for (const s of ['user.add', 'window.open', 'contacts.export', 'event.archive', A, B]) assert.ok(all.text.includes(s), s);
  const onlyB = await clients.admin.get(`/admin/audit?event=${B}`);
  assert.equal(onlyB.status, 200);
  assert.ok(onlyB.text.includes('window.close') && !onlyB.text.includes(`>${A}<`) && !onlyB.text.includes('user.add'));
  // the organiser's: their events only, nothing about accounts
  const org = await clients.orgB.get('/admin/audit');
  assert.equal(org.status, 200);
  assert.ok(org.text.includes('codes.generate') && org.text.includes(`>${B}<`));
  assert.ok(!org.text.includes(`>${A}<`), 'an event outside the scope');
  assert.ok(!org.text.includes('user.add') && !org.text.includes('token.add'), 'accounts are the admins\'');
  assert.equal((await clients.orgB.get(`/admin/audit?event=${A}`)).status, 404);
  assert.equal((await clients.orgB.get('/admin/audit?event=a,b')).status, 400);
  // the workers may add entries, never change or delete one
  const owner = psql(`SELECT has_table_privilege('enquete_app', 'audit_log', 'INSERT')::text, has_table_privilege('enquete_app', 'audit_log', 'UPDATE')::text, has_table_privilege('enquete_app', 'audit_log', 'DELETE')::text`);
  assert.deepEqual(owner[0], ['true', 'false', 'false']);
});
