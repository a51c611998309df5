// console.test.mjs: the organiser's console in a real browser (issue 20):
// an organiser (role organiser, scoped to the bundled event) creates a copy
// of the bundled event for Tunisia in French and Arabic, uploads a
// definition with three errors (every message shown with its place,
// nothing stored), fixes it, previews the post form in Arabic while it is
// closed, opens the pre window, an attendee answers, a destructive change
// is refused (409, each conflict listed), and the live monitor moves by
// itself, and every step is in the audit log. axe-core finds no violation on any new page; each new page is
// at most 30 KB gzipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  BASE, REPO, psql, launch, newContext, signIn, axe, formatViolations, open, fillForm, submitAndReadCode, screenshot,
} from './lib.mjs';

const RUN = Date.now().toString(36);
const SLUG = `tunis-${RUN}`;
const NAME = `organiser_${RUN}`;
const PASS = 'organiser-pass-1';
const BUDGET = 30 * 1024;
const T = { timeout: 90000 };

let browser, ctx, page;
const versions = () => Number(psql('SELECT count(*) FROM definition d JOIN event e ON e.id = d.event_id WHERE e.slug = :\'s\'', { s: SLUG })[0][0]);
const responses = () => Number(psql('SELECT count(*) FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = :\'s\'', { s: SLUG })[0][0]);

// The page's gzipped size as nginx sends it, with the browser's cookies.
async function wire(url) {
  const cookie = (await ctx.cookies(BASE)).map((c) => `${c.name}=${c.value}`).join('; ');
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'Accept-Encoding': 'gzip', Cookie: cookie }, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const gz = res.headers['content-encoding'] === 'gzip' ? body : zlib.gzipSync(body, { level: 6 });
        resolve({ status: res.statusCode, bytes: gz.length });
      });
    }).on('error', reject);
  });
}

// axe on the current page, and its weight.
async function check(where) {
  const v = await axe(page);
  assert.equal(v.length, 0, formatViolations(where, v));
  const w = await wire(page.url());
  assert.ok(w.bytes <= BUDGET, `${where}: ${w.bytes} bytes gzipped (budget ${BUDGET})`);
}

// The messages of a refused form: "place message".
const shown = () => page.locator('#console-errors li').allTextContents();

async function upload(def, expectPath) {
  await page.locator('#f-upload').setInputFiles({ name: 'definition.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(def)) });
  await Promise.all([
    page.waitForURL(expectPath, { timeout: 15000 }),
    page.locator('#definition button[type=submit]').click(),
  ]);
}

// An organiser whose scope is the bundled event: the copy's source.
function addOrganiser(name, password) {
  const r = spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', name, '--role', 'organiser', '--events', 'imanor-2017'],
    { input: `${password}\n`, encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error(`enquetectl user add ${name}: ${r.status} ${r.stderr}`);
}

before(async () => {
  addOrganiser(NAME, PASS);
  browser = await launch();
  ctx = await newContext(browser, { viewport: { width: 1100, height: 900 }, isMobile: false, hasTouch: false });
  page = await ctx.newPage();
  await signIn(page, NAME, PASS);
});

after(async () => { await browser?.close(); });

test('an organiser sets up, previews, opens and monitors a Tunisian workshop', T, async () => {
  // create: a copy of the bundled event for another country, fr and ar
  await open(page, `${BASE}/admin/`);
  await Promise.all([page.waitForURL(/\/admin\/events\/new$/), page.locator('#new-event').click()]);
  await check('create form');
  await page.locator('#f-copy_from').selectOption('imanor-2017');
  for (const [f, v] of [['slug', SLUG], ['title_fr', 'Atelier national de Tunis'], ['title_ar', 'الورشة الوطنية بتونس'],
    ['starts_on', '2026-12-07'], ['ends_on', '2026-12-08'], ['place', 'Tunis'], ['place_ar', 'تونس'],
    ['country', 'TN'], ['timezone', 'Africa/Tunis'], ['languages', 'fr,ar'], ['host', 'INNORPI']])
    await page.locator(`#f-${f}`).fill(v);
  await Promise.all([page.waitForURL(new RegExp(`/admin/e/${SLUG}/setup$`)), page.locator('.console-form button[type=submit]').click()]);
  await check('set-up page');
  assert.equal(versions(), 1);
  const def = JSON.parse(psql('SELECT d.body FROM event e JOIN definition d ON d.id = e.definition_id WHERE e.slug = :\'s\'', { s: SLUG })[0][0]);
  assert.deepEqual(def.event.languages, ['fr', 'ar']);

  // a definition with three errors: each shown with its place, nothing stored
  const bad = structuredClone(def);
  bad.event.dates.end = '2026-02-30';
  bad.instruments.pre.sections[0].items[0].type = 'dropdown';
  delete bad.instruments.post.sections[0].title.ar;
  await upload(bad, new RegExp(`/admin/e/${SLUG}/definition$`));
  const msgs = await shown();
  assert.equal(msgs.length, 3, msgs.join('\n'));
  assert.ok(msgs.some((m) => m.startsWith('$.event.dates.end')), msgs.join('\n'));
  assert.ok(msgs.some((m) => m.startsWith('$.instruments.pre.sections[0].items[0].type')), msgs.join('\n'));
  assert.ok(msgs.some((m) => m.startsWith('$.instruments.post.sections[0].title.ar')), msgs.join('\n'));
  assert.equal(versions(), 1, 'nothing stored');
  await check('refused upload');

  // fixed: a wording change only
  const good = structuredClone(def);
  good.instruments.pre.intro.fr = 'Merci de répondre avant la première session, à Tunis.';
  await upload(good, new RegExp(`/admin/e/${SLUG}/setup$`));
  assert.equal(versions(), 2);

  // the post form in Arabic while it is closed: a preview under a banner
  await Promise.all([page.waitForURL(/\/preview\/post\?lang=ar$/), page.locator('#window-post a.preview-link[lang=ar]').click()]);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.locator('#preview-banner').waitFor();
  await check('preview (ar)');
  await screenshot(page, 'console-preview-ar.png');
  await page.goBack();

  // open the pre window now
  await Promise.all([page.waitForURL(new RegExp(`/admin/e/${SLUG}/setup#windows$`)), page.locator("#window-pre button[value=open]").click()]);
  assert.equal(await page.locator('#window-pre .window-state').getAttribute('data-open'), '1');

  // the live monitor, then an attendee answers: it moves by itself
  await open(page, `${BASE}/admin/e/${SLUG}/live`);
  await check('live monitor');
  assert.equal((await page.locator('[data-k=pre]').textContent()).trim(), '0');
  const attendee = await newContext(browser);
  const ap = await attendee.newPage();
  await open(ap, `${BASE}/e/${SLUG}/pre?lang=ar`);
  await fillForm(ap);
  await submitAndReadCode(ap);
  await attendee.close();
  assert.equal(responses(), 1);
  await page.waitForFunction(() => document.querySelector('[data-k=pre]')?.textContent.trim() === '1', null, { timeout: 20000 });

  // a destructive change: 409, each conflict listed, nothing stored
  await open(page, `${BASE}/admin/e/${SLUG}/setup`);
  const answered = Object.keys(JSON.parse(psql('SELECT r.answers FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = :\'s\'', { s: SLUG })[0][0]));
  const destroy = structuredClone(good);
  const sec = destroy.instruments.pre.sections[0];
  const gone = sec.items.filter((it) => answered.includes(it.key) && !destroy.instruments.post.sections.some((s) => s.items.some((p) => p.key === it.key)));
  assert.ok(gone.length > 0, 'an item answered in pre only');
  sec.items = sec.items.filter((it) => it !== gone[0]);
  const res = page.waitForResponse((r) => r.url().endsWith(`/admin/e/${SLUG}/definition`));
  await upload(destroy, new RegExp(`/admin/e/${SLUG}/definition$`));
  assert.equal((await res).status(), 409);
  const conflicts = await shown();
  assert.ok(conflicts.some((m) => m.includes(`pre.${gone[0].key}`) && m.includes('removed')), conflicts.join('\n'));
  assert.equal(versions(), 2);
  await check('refused change (409)');

  // every step in the audit log, under the organiser's name
  await open(page, `${BASE}/admin/audit?event=${SLUG}`);
  await check('audit log');
  const rows = await page.locator('table tbody tr').allTextContents();
  for (const action of ['event.create', 'definition.version', 'window.open'])
    assert.ok(rows.some((r) => r.includes(action) && r.includes(NAME)), `${action} by ${NAME} in the audit log:\n${rows.join('\n')}`);
  // the refused upload and the refused change stored nothing, so no entry
  assert.equal(rows.filter((r) => r.includes('definition.version')).length, 1, rows.join('\n'));
});
