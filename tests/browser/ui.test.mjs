// tests/browser/ui.test.mjs: the attendee's and the organiser's pages of
// issue 17 in a real browser on a phone: the questionnaire one section at a
// time (progress, next and back, answers kept, one POST, the section of
// the first error opened after a 422; the long page without JavaScript),
// the "other (please specify)" box, question titles on several lines, the
// landing page after the pre questionnaire, no 404 (favicon), the print
// buttons of the badge cards and the poster, and cards whose text stays
// inside the cut line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, SLUG, launch, newContext, open, formUrl, fillForm,
  formValues, submitAndReadCode, reveal, addAdmin, signIn, REPO,
} from './lib.mjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const T = { timeout: 60000 };

// Which sections are shown: [true, false, ...].
const shown = (page) => page.$$eval('#questionnaire section.form-section', (ss) => ss.map((s) => !s.hidden && s.offsetHeight > 0));

test('one section at a time: progress, next and back, answers kept, one POST at the end', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await open(page, formUrl('pre', 'en'));
    const s0 = await shown(page);
    assert.ok(s0.length >= 3, `${s0.length} sections`);
    assert.deepEqual(s0, s0.map((_, i) => i === 0), 'only the first section');
    const n = s0.length;
    // the progress bar: in view, n steps, at 1; the submit button waits for the last section
    const bar = page.locator('.form-progress progress');
    assert.ok(await bar.isVisible());
    assert.equal(await bar.getAttribute('max'), String(n));
    assert.equal(await bar.evaluate((b) => b.value), 1);
    assert.equal(await page.locator('.form-progress-text').textContent(), `Section 1 of ${n}`);
    assert.equal(await page.locator('#questionnaire button[type=submit]').isVisible(), false);
    // far shorter than the whole questionnaire on a phone
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 6000, `page height ${height} px`);
    // answer the first section, go forward, then back: the answers are there
    await page.locator('section.form-section:not([hidden]) input[type=radio]').first().check();
    const first = await formValues(page);
    await page.locator('section.form-section:not([hidden]) .page-next').click();
    assert.deepEqual(await shown(page), s0.map((_, i) => i === 1));
    assert.equal(await bar.evaluate((b) => b.value), 2);
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2', 'focus on the new section\'s title');
    await page.locator('section.form-section:not([hidden]) .page-back').click();
    assert.deepEqual(await shown(page), s0);
    assert.deepEqual(await formValues(page), first);
    // the whole questionnaire, section by section (fillForm uses next), one POST
    await fillForm(page);
    await reveal(page, '#questionnaire button[type=submit]');
    assert.deepEqual(await shown(page), s0.map((_, i) => i === n - 1));
    assert.equal(await page.locator('section.form-section:not([hidden]) .page-next').count(), 0);
    await submitAndReadCode(page);
    assert.equal(posts.length, 1, `${posts.length} POSTs`);
  } finally { await ctx.close(); }
});

test('a 422 opens the section holding the first error, the others keep their answers', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'en'));
    // the first required item of the third section or later
    const key = await page.$$eval('#questionnaire section.form-section', (ss) => {
      for (const s of ss.slice(2)) {
        const f = [...s.querySelectorAll('.field')].find((x) => x.querySelector('.required'));
        if (f) return f.querySelector('[name]').name;
      }
      return null;
    });
    assert.ok(key, 'a required item after the second section');
    await fillForm(page, { skip: [key] });
    const before = await formValues(page);
    await reveal(page, '#questionnaire button[type=submit]');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
      page.locator('#questionnaire button[type=submit]').click(),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForLoadState('load');
    const vis = await shown(page);
    const at = await page.$$eval('#questionnaire section.form-section', (ss, k) =>
      ss.findIndex((s) => s.querySelector(`[name="${k}"]`)), key);
    assert.ok(at >= 2);
    assert.deepEqual(vis, vis.map((_, i) => i === at), `the section of ${key} is open`);
    assert.ok(await page.locator(`[name="${key}"]`).first().isVisible());
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
    assert.deepEqual(await formValues(page), before);
  } finally { await ctx.close(); }
});

test('without JavaScript the long page stays: every section, no next button, the submit button', T, async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    const vis = await shown(page);
    assert.ok(vis.length >= 3 && vis.every(Boolean), JSON.stringify(vis));
    assert.equal(await page.locator('.page-next').count(), 0);
    assert.ok(await page.locator('#questionnaire button[type=submit]').isVisible());
    // each section still says where it is
    assert.equal(await page.locator('section.form-section .progress').count(), vis.length);
  } finally { await ctx.close(); }
});

test('"Other (please specify)": the box appears when Other is chosen, its label is not repeated', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'en'));
    const box = page.locator('#org_type-other');
    assert.equal(await box.isVisible(), false, 'hidden until Other is chosen');
    await page.locator('#o-org_type-other').check();
    assert.ok(await box.isVisible(), 'shown once Other is chosen');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'org_type-other', 'and focused');
    // "Other (please specify)" is written once on screen (the option),
    // the box keeps it as its accessible name
    const lbl = await page.locator('label[for="org_type-other"]').boundingBox();
    assert.ok(!lbl || (lbl.width <= 1 && lbl.height <= 1), `box label ${JSON.stringify(lbl)}`);
    const seen = await page.locator('#org_type').evaluate((f) => [...f.querySelectorAll('label')]
      .filter((l) => l.getBoundingClientRect().width > 1 && /Other/.test(l.textContent)).length);
    assert.equal(seen, 1);
    // typed text is never hidden: another choice keeps the box with its text
    await box.fill('Cluster');
    await page.locator('#o-org_type-chamber').check();
    assert.ok(await box.isVisible());
    await box.fill('');
    assert.equal(await box.isVisible(), false);
  } finally { await ctx.close(); }
});

test('a question title on several lines stays inside its box', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    for (const lang of ['en', 'ar']) {
      await open(page, formUrl('pre', lang));
      const bad = await page.$$eval('#questionnaire fieldset.field', (fs) => fs.map((f) => {
        const l = f.querySelector(':scope > legend');
        if (!l || f.closest('[hidden]')) return null;
        const fr = f.getBoundingClientRect(), lr = l.getBoundingClientRect();
        const lines = Math.round(lr.height / parseFloat(getComputedStyle(l).lineHeight));
        const border = parseFloat(getComputedStyle(f).borderTopWidth);
        return { id: f.id, lines, inside: lr.top >= fr.top + border - 0.5 && lr.left >= fr.left && lr.right <= fr.right };
      }).filter((x) => x));
      const multi = bad.filter((x) => x.lines >= 2);
      assert.ok(multi.length >= 1, `${lang}: a title on several lines is shown`);
      assert.deepEqual(bad.filter((x) => !x.inside).map((x) => x.id), [], `${lang}: titles across the border`);
    }
  } finally { await ctx.close(); }
});

test('landing page after the pre questionnaire: done, and the way to the post one; no 404 on any page', T, async () => {
  const ctx = await newContext(browser, { locale: 'ar-MA' });
  try {
    const page = await ctx.newPage();
    const missing = [];
    page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
    await open(page, `${BASE}/e/${SLUG}/?lang=ar`);
    assert.match(await page.locator('.event-meta').textContent(), /31 أكتوبر 2017 – 2 نوفمبر 2017/);
    assert.match(await page.locator('.event-host').textContent(), /من تنظيم/);
    await page.locator(`a[href="/e/${SLUG}/pre?lang=ar"]`).click();
    await page.waitForURL(/\/pre\?lang=ar/);
    await fillForm(page, { text: 'تجربة' });
    await submitAndReadCode(page);
    await open(page, `${BASE}/e/${SLUG}/?lang=ar`);
    assert.match(await page.locator('#landing-status').textContent(), /لقد أجبتم عن استبيان ما قبل الورشة/);
    assert.equal(await page.locator(`a[href="/e/${SLUG}/pre?lang=ar"]`).count(), 0);
    await Promise.all([page.waitForURL(/\/post\?lang=ar/), page.locator(`a[href="/e/${SLUG}/post?lang=ar"]`).click()]);
    await page.waitForTimeout(300);
    assert.deepEqual(missing, [], 'no 404 (the favicon included)');
  } finally { await ctx.close(); }
});

const ADMIN = 'ui-admin', PASSWORD = 'password123';

test('badge cards and poster: the print buttons print; the text stays inside each card\'s cut line', T, async () => {
  addAdmin(ADMIN, PASSWORD);
  const gen = spawnSync(path.join(REPO, 'bin/enquetectl'), ['codes', 'generate', '--event', SLUG, '--count', '4'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const ctx = await newContext(browser);
  try {
    await ctx.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
    const page = await ctx.newPage();
    await signIn(page, ADMIN, PASSWORD);
    for (const [url, label] of [[`/admin/e/${SLUG}/codes?lang=en`, 'Print the cards'], [`/admin/e/${SLUG}/poster?lang=en`, 'Print the poster']]) {
      await open(page, BASE + url);
      const b = page.locator('[data-print]');
      assert.equal((await b.textContent()).trim(), label);
      await b.click();
      assert.equal(await page.evaluate(() => window.__printed), 1, `${url}: window.print() called`);
    }
    await open(page, `${BASE}/admin/e/${SLUG}/codes?lang=en`);
    for (const media of ['screen', 'print']) {
      await page.emulateMedia({ media });
      const out = await page.$$eval('.badge', (bs) => bs.flatMap((b) => {
        const r = b.getBoundingClientRect();
        return [...b.querySelectorAll('*')].filter((e) => {
          const x = e.getBoundingClientRect();
          return x.width > 0 && (x.top < r.top - 0.5 || x.bottom > r.bottom + 0.5 || x.left < r.left - 0.5 || x.right > r.right + 0.5);
        }).map((e) => `${e.tagName}.${e.className?.baseVal ?? e.className}`);
      }));
      const n = await page.locator('.badge').count();
      assert.ok(n >= 4);
      assert.deepEqual(out, [], `${media}: past the cut line`);
      assert.equal(await page.locator('.badge').first().locator('.badge-hint').count(), 3, 'fr, ar, en');
    }
  } finally { await ctx.close(); }
});
