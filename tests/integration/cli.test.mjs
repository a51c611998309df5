// cli.test.mjs: bin/enquetectl against the test database: migrations
// (idempotent, a failing one changes nothing), loading definitions
// (validation with JSON paths, no-op when unchanged, versions), windows.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { psql, REPO, tmpDir } from './lib.mjs';
import { Client, answers, submit } from './client.mjs';

const ctl = (args, env = {}) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { encoding: 'utf8', cwd: REPO, env: { ...process.env, ...env } });
const bundled = path.join(REPO, 'schema/questionnaires/imanor-2017.json');
const tmp = tmpDir('enq-cli-');

test('migrate is idempotent', () => {
  const r = ctl(['migrate']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /schema up to date/);
  const n = psql('SELECT count(*) FROM schema_migrations')[0][0];
  assert.equal(Number(n), readdirSync(path.join(REPO, 'schema')).filter((f) => /^\d{3}_.*\.sql$/.test(f)).length);
});

test('a failing migration exits non-zero with the SQL error and leaves the database as it was', () => {
  const dir = path.join(tmp, 'schema');
  cpSync(path.join(REPO, 'schema'), dir, { recursive: true });
  writeFileSync(path.join(dir, '999_broken.sql'), 'CREATE TABLE half_done (x int);\nSELECT no_such_function();\n');
  const r = ctl(['migrate'], { ENQUETE_SCHEMA: dir });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no_such_function/);
  assert.equal(psql("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'")[0][0], '0');
  assert.equal(psql("SELECT count(*) FROM schema_migrations WHERE version = '999_broken.sql'")[0][0], '0');
});

test('the bundled definition loads, round-trips, and loading it again is a no-op', () => {
  const r = ctl(['load', bundled]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /unchanged/);
  const stored = JSON.parse(psql(`SELECT d.body FROM event e JOIN definition d ON d.id = e.definition_id WHERE e.slug = 'imanor-2017'`)[0][0]);
  assert.deepEqual(stored, JSON.parse(readFileSync(bundled, 'utf8')));
});

test('a changed definition becomes a new version; responses keep theirs', async () => {
  const def = JSON.parse(readFileSync(bundled, 'utf8'));
  def.event.slug = `versions-${Date.now().toString(36)}`;
  const file = path.join(tmp, `${def.event.slug}.json`);
  writeFileSync(file, JSON.stringify(def));
  assert.match(ctl(['load', file]).stdout, /loaded as version 1/);
  assert.equal(ctl(['event', 'open', def.event.slug, 'pre']).status, 0);
  // one response on version 1 (through the forms of that event)
  const c = new Client();
  const form = await c.get(`/e/${def.event.slug}/pre`);
  const tok = form.text.match(/name="_token" value="([^"]*)"/)[1];
  const v1 = form.text.match(/name="_version" value="([^"]*)"/)[1];
  def.instruments.pre.title.fr += ' (révisé)';
  writeFileSync(file, JSON.stringify(def));
  assert.match(ctl(['load', file]).stdout, /loaded as version 2/);
  // the form rendered from version 1 is refused (#18.9): the form of
  // version 2 comes back with the answers, and is stored against it
  const res = await c.post(`/e/${def.event.slug}/pre`, [['_token', tok], ['_version', v1], ...answers('pre', { expectations: 'reprise' })]);
  assert.equal(res.status, 422);
  assert.ok(res.text.includes('reprise') && res.text.includes('(révisé)'));
  const v2 = res.text.match(/name="_version" value="([^"]*)"/)[1];
  assert.notEqual(v2, v1);
  const again = await c.post(`/e/${def.event.slug}/pre`, [['_token', res.text.match(/name="_token" value="([^"]*)"/)[1]], ['_version', v2], ...answers('pre')]);
  assert.equal(again.status, 303);
  const rows = psql(`SELECT d.version FROM response r JOIN definition d ON d.id = r.definition_id JOIN event e ON e.id = r.event_id WHERE e.slug = :'s'`, { s: def.event.slug });
  assert.deepEqual(rows, [['2']]);
  const now = await new Client().get(`/e/${def.event.slug}/pre`);
  assert.ok(now.text.includes('(révisé)'));
});

test('invalid definitions are refused with every error and its JSON path; nothing changes', () => {
  const def = JSON.parse(readFileSync(bundled, 'utf8'));
  def.event.slug = 'broken-def';
  def.event.timezone = 'Africa/Casablanca';
  def.instruments.pre.sections[0].items[0].type = 'slider';
  delete def.instruments.post.sections[0].items[0].label.ar;
  const file = path.join(tmp, 'broken.json');
  writeFileSync(file, JSON.stringify(def));
  const before = psql('SELECT count(*) FROM definition')[0][0];
  const r = ctl(['load', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.instruments\.pre\.sections\[0\]\.items\[0\]\.type: /);
  assert.match(r.stderr, /\$\.instruments\.post\.sections\[0\]\.items\[0\]\.label(\.ar)?: /);
  assert.equal(psql('SELECT count(*) FROM definition')[0][0], before);
  // one bad file among good ones: none is loaded
  const good = JSON.parse(readFileSync(bundled, 'utf8'));
  good.event.slug = 'good-but-not-alone';
  writeFileSync(path.join(tmp, 'good.json'), JSON.stringify(good));
  assert.equal(ctl(['load', path.join(tmp, 'good.json'), file]).status, 1);
  assert.equal(psql("SELECT count(*) FROM event WHERE slug = 'good-but-not-alone'")[0][0], '0');
  // a time zone the database does not know
  good.event.timezone = 'Africa/Casablana';
  writeFileSync(path.join(tmp, 'tz.json'), JSON.stringify(good));
  const tz = ctl(['load', path.join(tmp, 'tz.json')]);
  assert.equal(tz.status, 1);
  assert.match(tz.stderr, /\$\.event\.timezone: unknown time zone/);
  // invalid JSON: file, line and column
  writeFileSync(path.join(tmp, 'syntax.json'), '{\n  "format": 1,\n  oops\n}');
  assert.match(ctl(['load', path.join(tmp, 'syntax.json')]).stderr, /syntax\.json:3:/);
});

test('event open|close sets the window; unknown events and usage errors are refused', () => {
  assert.equal(ctl(['event', 'close', 'imanor-2017', 'pre']).status, 0);
  assert.equal(psql(`SELECT enquete_window_open((SELECT id FROM event WHERE slug = 'imanor-2017'), 'pre')`)[0][0], 'f');
  assert.equal(ctl(['event', 'open', 'imanor-2017', 'pre']).status, 0);
  assert.equal(psql(`SELECT enquete_window_open((SELECT id FROM event WHERE slug = 'imanor-2017'), 'pre')`)[0][0], 't');
  assert.equal(ctl(['event', 'open', 'no-such-event', 'pre']).status, 1);
  assert.equal(ctl(['event', 'open', 'imanor-2017', 'during']).status, 2);
  assert.equal(ctl(['nonsense']).status, 2);
});

test('render prints exactly the template output and reports errors with line and column', () => {
  writeFileSync(path.join(tmp, 't.mustache'), 'Hi {{name}}!{{#list}} [{{.}}]{{/list}}');
  writeFileSync(path.join(tmp, 'd.json'), JSON.stringify({ name: '<Ada & "Bob">', list: [1, 2] }));
  const r = ctl(['render', path.join(tmp, 't.mustache'), path.join(tmp, 'd.json')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'Hi &lt;Ada &amp; &quot;Bob&quot;&gt;! [1] [2]');
  writeFileSync(path.join(tmp, 'bad.mustache'), 'line one\n  {{#open}} never closed');
  const e = ctl(['render', path.join(tmp, 'bad.mustache'), path.join(tmp, 'd.json')]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /bad\.mustache:2:\d+: /);
});

// issue 18.8: API tokens expire, are listed and revoked one by one, and end
// with a password change or the user's deletion.
test('token add --days, token list, token revoke NAME ID; a new password or deleting the user ends every token', async () => {
  const name = `tok${Date.now().toString(36)}`, pw = 'token pass 123';
  assert.equal(spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', name], { input: `${pw}\n`, encoding: 'utf8', cwd: REPO }).status, 0);
  const api = async (tok) => (await fetch(`${process.env.ENQUETE_BASE_URL || 'http://127.0.0.1:8080'}/api/v1/events/imanor-2017/summary`,
    { headers: { Authorization: `Bearer ${tok}` } })).status;
  const add = (...extra) => {
    const r = ctl(['token', 'add', name, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[A-Za-z0-9_-]{43}\n$/);
    return r.stdout.trim();
  };
  const t90 = add(), t1 = add('--days', '1'), t2 = add('--days', '2');
  assert.equal(ctl(['token', 'add', name, '--days', '0']).status, 2);
  assert.equal(ctl(['token', 'add', name, '--days', 'x']).status, 2);
  // the default is 90 days, --days N is N days
  const days = psql(`SELECT round(extract(epoch FROM t.expires_at - t.created_at) / 86400) FROM api_token t
    JOIN app_user u ON u.id = t.user_id WHERE u.name = :'n' ORDER BY t.id`, { n: name }).map((r) => r[0]);
  assert.deepEqual(days, ['90', '1', '2']);
  for (const t of [t90, t1, t2]) assert.equal(await api(t), 200);
  // listed: id, created, expires, last used
  const list = ctl(['token', 'list', name]);
  assert.equal(list.status, 0, list.stderr);
  const rows = list.stdout.trim().split('\n');
  assert.equal(rows[0], 'id\tcreated\texpires\tlast_used');
  assert.equal(rows.length, 4);
  const ids = rows.slice(1).map((r) => r.split('\t')[0]);
  for (const r of rows.slice(1)) assert.match(r, /^\d+\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ctl(['token', 'list', 'nosuch' + name]).status, 1);
  // an expired token is refused
  psql(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = :id`, { id: ids[1] });
  assert.equal(await api(t1), 401);
  assert.match(ctl(['token', 'list', name]).stdout, /\(expired\)/);
  // revoked one by one: only that one ends
  assert.equal(ctl(['token', 'revoke', name, ids[2]]).status, 0);
  assert.equal(await api(t2), 401);
  assert.equal(await api(t90), 200);
  assert.equal(ctl(['token', 'revoke', name, ids[2]]).status, 1, 'already revoked');
  assert.equal(ctl(['token', 'revoke', 'nosuch' + name, ids[0]]).status, 1);
  // another user's token id does not revoke it
  const other = `tko${Date.now().toString(36)}`;
  assert.equal(spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', other], { input: `${pw}\n`, encoding: 'utf8', cwd: REPO }).status, 0);
  const to = ctl(['token', 'add', other]).stdout.trim();
  const otherId = ctl(['token', 'list', other]).stdout.trim().split('\n')[1].split('\t')[0];
  assert.equal(ctl(['token', 'revoke', name, otherId]).status, 1);
  assert.equal(await api(to), 200);
  // a new password ends every token of the account
  const t3 = add();
  assert.equal(spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'passwd', name], { input: 'new token pass 456\n', encoding: 'utf8', cwd: REPO }).status, 0);
  assert.equal(await api(t90), 401);
  assert.equal(await api(t3), 401);
  assert.equal(ctl(['token', 'list', name]).stdout.trim().split('\n').length, 1);
  // deleting the user ends its tokens
  assert.equal(ctl(['user', 'del', other]).status, 0);
  assert.equal(await api(to), 401);
  assert.equal(psql(`SELECT count(*) FROM api_token t WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = t.user_id)`)[0][0], '0');
  // revoke NAME still revokes all
  add(); add();
  const all = ctl(['token', 'revoke', name]);
  assert.equal(all.status, 0);
  assert.match(all.stderr, /revoked 2 token/);
});

test('render: a JSON document that ends at the end of the file is complete (bare number, string, true, object, no newline)', () => {
  const t = path.join(tmp, 'dot.mustache');
  writeFileSync(t, '[{{.}}]');
  const cases = [['85', '[85]'], ['-1.5e3', '[-1500]'], ['"texte \\u00e9"', '[texte é]'], ['true', '[true]'], ['false', '[false]'], ['null', '[]']];
  for (const [json, want] of cases) {
    const d = path.join(tmp, 'bare.json');
    writeFileSync(d, json);
    const r = ctl(['render', t, d]);
    assert.equal(r.stderr, '', json);
    assert.equal(r.status, 0, json);
    assert.equal(r.stdout, want, json);
  }
  writeFileSync(path.join(tmp, 'o.mustache'), '{{x}}/{{y}}');
  writeFileSync(path.join(tmp, 'o.json'), '{"x": 85, "y": "z"}');
  const o = ctl(['render', path.join(tmp, 'o.mustache'), path.join(tmp, 'o.json')]);
  assert.equal(o.status, 0, o.stderr);
  assert.equal(o.stdout, '85/z');
  // what is really cut short still is: unexpected end, at the end
  for (const [json, at] of [['{"x": ', '1:7'], ['[1,', '1:4'], ['"abc', '1:5'], ['tru', '1:4'], ['', '1:1']]) {
    const d = path.join(tmp, 'cut.json');
    writeFileSync(d, json);
    const r = ctl(['render', t, d]);
    assert.equal(r.status, 1, json);
    assert.equal(r.stdout, '', json);
    assert.equal(r.stderr, `${d}:${at}: unexpected end of JSON\n`, json);
  }
  // and what follows a complete value is still refused
  const d = path.join(tmp, 'tail.json');
  writeFileSync(d, '85x');
  const r = ctl(['render', t, d]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tail\.json:1:3: invalid JSON: data after the value/);
});

// issue 19.3: one settings table, parsed once at start
test('config prints the effective settings, passwords masked; a bad value stops the start', () => {
  const r = ctl(['config'], { ENQUETE_ANALYTICS_DATABASE_URL: 'postgresql://ro:hunter2@replica/enquete', ENQUETE_WORKERS: '3' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ENQUETE_ANALYTICS_DATABASE_URL=postgresql:\/\/ro:\*\*\*\*\*@replica\/enquete\t\(environment;/m);
  assert.doesNotMatch(r.stdout, /hunter2/);
  assert.match(r.stdout, /^ENQUETE_WORKERS=3\t\(environment; read by enquete-fcgi/m);
  assert.match(r.stdout, /^ENQUETE_SOCKET_GROUP=www-data\t\(default;/m);
  // a bad value of a setting enquetectl reads: every command refuses to start
  const bad = ctl(['event', 'open', 'nope', 'pre'], { ENQUETE_SCHEMA: 'a\x01b' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'enquetectl: invalid value for ENQUETE_SCHEMA: contains a control character\n');
  // the worker's own settings are checked by `config` and by the worker itself
  const w = ctl(['config'], { ENQUETE_FILTER_TIMEOUT_MS: '20s' });
  assert.equal(w.status, 1);
  assert.match(w.stderr, /ENQUETE_FILTER_TIMEOUT_MS: "20s" \(must be an integer between 1 and 3600000\)/);
  const f = spawnSync(path.join(REPO, 'bin/enquete-fcgi'), [], { encoding: 'utf8', cwd: REPO, env: { ...process.env, ENQUETE_WORKERS: '12abc' }, timeout: 5000 });
  assert.equal(f.status, 1);
  assert.equal(f.stderr, 'enquete-fcgi: invalid value for ENQUETE_WORKERS: "12abc" (must be an integer between 1 and 256)\n');
});
