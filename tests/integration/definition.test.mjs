// definition.test.mjs: GET /admin/e/{slug}/definition.json and
// /definition.xlsx (DESIGN.md "The organiser's console", issue 21): the
// current definition in either format, each loading back with
// `enquetectl load` as unchanged; admins only; 404 for an unknown event;
// sign-in first.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, tmpDir } from './lib.mjs';
import { Client } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `def-${RUN}`;
const tmp = tmpDir('enquete-definition-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8', maxBuffer: 64 << 20 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// the bundled event under a slug of this run, with a second version
// stored, so that "current" is not simply the first one
const DEF = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
DEF.event.slug = SLUG;
const users = {};

async function signedIn(name, role) {
  ctl(['user', 'del', name]);
  must(ctl(['user', 'add', name, '--role', role], 'password123\n'), `user add ${name}`);
  const c = new Client();
  assert.equal((await c.login(name, 'password123')).status, 303);
  return c;
}

before(async () => {
  const file = path.join(tmp, 'def.json');
  writeFileSync(file, JSON.stringify(DEF));
  must(ctl(['load', file]), 'load');
  DEF.event.title.fr += ' (v2)';
  writeFileSync(file, JSON.stringify(DEF));
  must(ctl(['load', file]), 'load v2');
  users.a = await signedIn(`defa${RUN}`, 'admin');
  users.expert = await signedIn(`defx${RUN}`, 'expert');
});

test('definition.json: the current definition as JSON, loading back unchanged', async () => {
  const res = await users.a.get(`/admin/e/${SLUG}/definition.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.equal(res.headers['content-disposition'], `attachment; filename="${SLUG}-definition.json"`);
  assert.deepEqual(JSON.parse(res.text), DEF, 'the current version (v2)');
  // the same bytes as `enquetectl definition --format json`
  assert.equal(res.text, must(ctl(['definition', '--event', SLUG, '--format', 'json']), 'definition'));
  const file = path.join(tmp, 'back.json');
  writeFileSync(file, res.raw);
  assert.match(must(ctl(['load', file]), 'load back'), new RegExp(`${SLUG} unchanged`));
});

test('definition.xlsx: an XLSForm workbook that loads back unchanged', async () => {
  const res = await users.a.get(`/admin/e/${SLUG}/definition.xlsx`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], XLSX);
  assert.equal(res.headers['content-disposition'], `attachment; filename="${SLUG}-definition.xlsx"`);
  assert.equal(res.raw.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip');
  const file = path.join(tmp, 'back.xlsx');
  writeFileSync(file, res.raw);
  assert.match(must(ctl(['load', file]), 'load back'), new RegExp(`${SLUG} unchanged`));
  // the bundled event too
  const imanor = await users.a.get('/admin/e/imanor-2017/definition.xlsx');
  assert.equal(imanor.status, 200);
  writeFileSync(file, imanor.raw);
  assert.match(must(ctl(['load', file]), 'load imanor back'), /imanor-2017 unchanged/);
});

test('definition downloads: 404 for an unknown event, 403 for an expert, sign-in first', async () => {
  for (const ext of ['json', 'xlsx']) {
    assert.equal((await users.a.get(`/admin/e/no-such-event-${RUN}/definition.${ext}`)).status, 404, ext);
    assert.equal((await users.expert.get(`/admin/e/${SLUG}/definition.${ext}`)).status, 403, ext);
    const anon = await new Client().get(`/admin/e/${SLUG}/definition.${ext}`);
    assert.equal(anon.status, 303, ext);
    assert.match(anon.headers.location, /^\/admin\/login\?next=/);
    assert.equal((await users.a.post(`/admin/e/${SLUG}/definition.${ext}`, [])).status, 405, ext);
  }
});
