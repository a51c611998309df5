// inputs.test.mjs: the declared inputs (cgi/web/keys.c, issue 19.2) through
// the real stack: each declared key, absent, valid and present-but-invalid,
// gives the status its handler's contract names; unknown inputs are
// ignored; numbers consume the whole string.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { psql, REPO } from './lib.mjs';
import { Client, SLUG, answers, hidden, submit } from './client.mjs';

const run = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { encoding: 'utf8', input, cwd: REPO });
const uniq = Date.now().toString(36);
const ADMIN = `inadm${uniq}`, PW = 'correct horse 42';
const responses = () => Number(psql('SELECT count(*) FROM response')[0][0]);

test.before(() => {
  assert.equal(run(['user', 'add', ADMIN, '--role', 'admin'], `${PW}\n`).status, 0);
});

test('_version must be the whole number as printed: anything else is the form of another version (422, answers kept)', async () => {
  for (const bad of ['12abc', '012', ' 1', '1 ', '+1', '-1', '', 'x'.repeat(30)]) {
    const c = new Client();
    const form = await c.get(`/e/${SLUG}/pre`);
    const version = hidden(form.text, '_version');
    assert.match(version, /^[1-9][0-9]*$/);
    const before = responses();
    const res = await c.post(`/e/${SLUG}/pre`, [['_token', hidden(form.text, '_token')], ['_version', bad === '12abc' ? `${version}abc` : bad === '012' ? `0${version}` : bad === ' 1' ? ` ${version}` : bad === '1 ' ? `${version} ` : bad === '+1' ? `+${version}` : bad],
      ...answers('pre', { expectations: `gardé ${bad}` })]);
    assert.equal(res.status, 422, JSON.stringify(bad));
    assert.ok(res.text.includes('gardé'), JSON.stringify(bad));
    assert.equal(responses(), before, JSON.stringify(bad));
  }
  // absent: taken as the current version (the token is still checked)
  const c = new Client();
  const { res } = await submit(c, 'pre', answers('pre'), { extra: [] });
  assert.equal(res.status, 303);
});

test('unknown inputs are ignored; invalid optional ones are as if absent', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre?utm_source=poster&lang=de`);
  assert.equal(form.status, 200);
  // ?lang= not a language we speak: no lang cookie is set
  assert.ok(![].concat(form.headers['set-cookie'] || []).some((s) => s.startsWith('lang=')));
  const fr = await c.get(`/e/${SLUG}/pre?lang=EN-gb`);
  assert.ok([].concat(fr.headers['set-cookie'] || []).some((s) => s.startsWith('lang=en;')));
  const tech = ['_token', '_version', '_code'].map((k) => [k, hidden(fr.text, k)]).filter(([, v]) => v !== null);
  const res = await c.post(`/e/${SLUG}/pre`, [...tech, ['_lang', 'klingon'], ['_edit', 'yes'], ['utm_campaign', 'x'], ...answers('pre')]);
  assert.equal(res.status, 303);
});

test('a badge code in the link: valid, invalid (kept as typed), empty (absent)', async () => {
  const bad = await new Client().get(`/e/${SLUG}/pre?code=ABCD-12`);
  assert.equal(bad.status, 200);
  assert.equal(hidden(bad.text, '_code') ?? bad.text.match(/name="_code"[^>]*value="([^"]*)"/)?.[1], 'ABCD-12');
  const empty = await new Client().get(`/e/${SLUG}/pre?code=`);
  assert.equal(empty.status, 200);
  assert.doesNotMatch(empty.text, /name="_code"[^>]*aria-invalid="true"/);
});

test('admin inputs: the statuses of the contract for absent and invalid values', async () => {
  const a = new Client();
  assert.equal((await a.login(ADMIN, PW)).status, 303);
  const sheet = await a.get(`/admin/e/${SLUG}/codes`);
  assert.equal(sheet.status, 200);
  const csrf = hidden(sheet.text, '_csrf');
  const codes = () => Number(psql('SELECT count(*) FROM participant')[0][0]);
  const before = codes();
  // count: a whole number in 1..1000, the whole string
  for (const bad of [null, '', '0', '1001', '12abc', ' 5', '+5', '5.0', '1e2', 'x'.repeat(40)]) {
    const body = [['_csrf', csrf]];
    if (bad !== null) body.push(['count', bad]);
    const res = await a.post(`/admin/e/${SLUG}/codes`, body);
    assert.equal(res.status, 422, JSON.stringify(bad));
  }
  assert.equal(codes(), before);
  // exports: format and excel
  assert.equal((await a.get(`/admin/e/${SLUG}/export.csv?format=xlsx`)).status, 400);
  assert.equal((await a.get(`/admin/e/${SLUG}/export.csv?excel=2`)).status, 400);
  assert.equal((await a.get(`/admin/e/${SLUG}/export.csv?excel=1abc`)).status, 400);
  assert.equal((await a.get(`/admin/e/${SLUG}/export.csv?format=wide&excel=0`)).status, 200);
  assert.equal((await a.get(`/admin/e/${SLUG}/export.csv?unknown=1`)).status, 200);
  assert.equal((await a.get(`/admin/e/${SLUG}/codebook.csv?excel=2`)).status, 200);
  assert.equal((await a.get(`/admin/e/${SLUG}/contacts.csv?excel=2`)).status, 200);
  // compare: a list of slugs
  assert.equal((await a.get(`/admin/compare?events=${SLUG},-bad`)).status, 400);
  assert.equal((await a.get(`/admin/compare?events=${SLUG},Upper`)).status, 400);
  assert.equal((await a.get('/admin/compare')).status, 400);
  // users: name, role, password
  const users = await a.get('/admin/users');
  const ucsrf = hidden(users.text, '_csrf');
  for (const body of [[['role', 'expert'], ['password', PW]], [['username', `u${uniq}`], ['role', 'root'], ['password', PW]],
    [['username', `u${uniq}`], ['role', 'expert'], ['password', 'short']], [['username', 'a'.repeat(65)], ['role', 'expert'], ['password', PW]],
    [['username', `u\u0001${uniq}`], ['role', 'expert'], ['password', PW]], [['username', `u${uniq}`], ['role', 'expert']]]) {
    assert.equal((await a.post('/admin/users', [['_csrf', ucsrf], ...body])).status, 422, JSON.stringify(body));
  }
  assert.equal(psql(`SELECT count(*) FROM app_user WHERE name LIKE :'n'`, { n: `%${uniq}` })[0][0], '1');
  assert.equal((await a.post('/admin/users/delete', [['_csrf', ucsrf]])).status, 422);
  // sign-in: absent, empty or over-long name or password: 401, one message
  for (const body of [[], [['username', ADMIN]], [['username', ''], ['password', PW]], [['username', ADMIN], ['password', '']],
    [['username', 'a'.repeat(65)], ['password', PW]], [['username', ADMIN], ['password', 'p'.repeat(1025)]]]) {
    const c = new Client();
    const page = await c.get('/admin/login');
    assert.equal((await c.post('/admin/login', [['_csrf', hidden(page.text, '_csrf')], ...body])).status, 401, JSON.stringify(body).slice(0, 60));
  }
  // next: only a local admin path is followed
  const c = new Client();
  const page = await c.get('/admin/login?next=https://evil.example/');
  assert.equal(hidden(page.text, 'next'), '/admin/');
  const ok = await c.post('/admin/login', [['_csrf', hidden(page.text, '_csrf')], ['username', ADMIN], ['password', PW], ['next', `/admin/e/${SLUG}`]]);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.location, `/admin/e/${SLUG}`);
});
