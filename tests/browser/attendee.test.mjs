// tests/browser/attendee.test.mjs: the attendee's flows in a real browser
// on a phone viewport: pre in French, post in Arabic by typed code, a
// double tap on submit, the 422 path, the draft kept across a reload, and
// the whole flow with JavaScript disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, SLUG, psql, launch, newContext, open, formUrl, fillForm,
  formValues, submitAndReadCode, screenshot, reveal,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const T = { timeout: 60000 };
const bare = (code) => code.replace('-', '');

// The instruments answered by the participant with this code.
function instrumentsOf(code) {
  return psql(`SELECT r.instrument, r.version, r.lang,
      (SELECT count(*) FROM response_history h WHERE h.response_id = r.id)
    FROM response r JOIN participant p ON p.id = r.participant_id
    JOIN event e ON e.id = p.event_id
    WHERE e.slug = :'slug' AND p.code = :'code' ORDER BY r.instrument`,
  { slug: SLUG, code: bare(code) });
}

const countPre = () => Number(psql(`SELECT count(*) FROM response r JOIN event e
  ON e.id = r.event_id WHERE e.slug = :'slug' AND r.instrument = 'pre'`, { slug: SLUG })[0][0]);

let preCode = '';

test('pre in French: every required item, submit, the code XXXX-XXXX', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    // The first Likert section: what most of the questionnaire looks like.
    // (with JavaScript one section at a time: open that one first)
    await reveal(page, 'section:has(.likert) .likert');
    await screenshot(page, 'fr-pre.png', 'section:has(.likert)');
    const set = await fillForm(page, { extra: ['sectors', 'expectations'] });
    assert.ok(Object.keys(set).length >= 10, `answered ${Object.keys(set).length} items`);
    preCode = await submitAndReadCode(page);
    assert.deepEqual(instrumentsOf(preCode).map((r) => r.slice(0, 3)), [['pre', '1', 'fr']]);
  } finally { await ctx.close(); }
});

test('post in Arabic in a new context, by typing the code: one participant, pre and post', T, async () => {
  assert.ok(preCode, 'the pre scenario gave no code');
  const ctx = await newContext(browser, { locale: 'ar-MA' });
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('post', 'ar'));
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    await page.locator('#_code').pressSequentially(preCode.toLowerCase(), { delay: 5 });
    await fillForm(page, { text: 'تجربة' });
    const code = await submitAndReadCode(page);
    assert.equal(code, preCode, 'the thanks page shows the pre code');
    const rows = instrumentsOf(preCode);
    assert.deepEqual(rows.map((r) => [r[0], r[2]]), [['post', 'ar'], ['pre', 'fr']]);
  } finally { await ctx.close(); }
});

test('pre screenshot in Arabic (RTL)', T, async () => {
  const ctx = await newContext(browser, { locale: 'ar-MA' });
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'ar'));
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await reveal(page, 'section:has(.likert) .likert');
    await screenshot(page, 'ar-pre.png', 'section:has(.likert)');
  } finally { await ctx.close(); }
});

// Taps submit twice in quick succession and returns the POSTs sent. The
// second tap may abort the first navigation: wait until the thanks page
// has loaded, whichever request brought it.
async function doubleTap(page, ctx) {
  const posts = [];
  ctx.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
  await reveal(page, '#questionnaire button[type=submit]');
  const box = await page.locator('#questionnaire button[type=submit]').boundingBox();
  const x = box.x + box.width / 2, y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.mouse.click(x, y).catch(() => {});
  const end = Date.now() + 15000;
  for (;;) {
    try {
      await page.waitForURL(/\/thanks$/, { timeout: Math.max(1, end - Date.now()) });
      await page.locator('#participant-code').waitFor({ timeout: Math.max(1, end - Date.now()) });
      return posts;
    } catch (e) {
      if (Date.now() >= end || !/ERR_ABORTED|detached|destroyed/.test(e.message)) throw e;
    }
  }
}

for (const js of [true, false]) {
  test(`double tap on submit stores exactly one response (JavaScript ${js ? 'on: the script guards' : 'off: the _token guards'})`, T, async (t) => {
    const ctx = await newContext(browser, { javaScriptEnabled: js });
    try {
      const page = await ctx.newPage();
      await open(page, formUrl('pre', 'fr'));
      await fillForm(page);
      // The submit button sits at the end of a long form: bring it in view.
      await reveal(page, '#questionnaire button[type=submit]');
      await page.locator('#questionnaire button[type=submit]').scrollIntoViewIfNeeded();
      const n0 = countPre();
      const posts = await doubleTap(page, ctx);
      const code = (await page.locator('#participant-code').textContent()).trim();
      assert.ok(posts.length >= 1, 'a POST was sent');
      t.diagnostic(`${posts.length} POST(s) sent`);
      assert.equal(countPre(), n0 + 1, `one new pre response after ${posts.length} POST(s)`);
      const rows = instrumentsOf(code);
      assert.deepEqual(rows.map((r) => [r[0], r[1], r[3]]), [['pre', '1', '0']],
        'one version, no history');
    } finally { await ctx.close(); }
  });
}

test('422: a required item left out keeps every other answer, marks the item invalid', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    await fillForm(page, { skip: ['know_iso'], extra: ['sectors', 'obstacles', 'expectations', 'experience_years'], pick: 2 });
    await reveal(page, '#expectations');
    await page.locator('#expectations').fill('Garder <ce> texte & « celui-ci »');
    const before = await formValues(page);
    await reveal(page, '#questionnaire button[type=submit]');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
      page.locator('#questionnaire button[type=submit]').click(),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForLoadState('load');
    const summary = page.locator('#error-summary');
    assert.ok(await summary.isVisible(), 'error summary shown');
    assert.equal(await summary.locator('a[href="#know_iso"]').count(), 1, 'the summary links to the item');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the summary has focus');
    // Every control of the item is marked, and describedby points at its message.
    const radios = page.locator('input[name="know_iso"]');
    const n = await radios.count();
    assert.ok(n >= 5);
    for (let i = 0; i < n; i++) {
      assert.equal(await radios.nth(i).getAttribute('aria-invalid'), 'true');
      const ids = (await radios.nth(i).getAttribute('aria-describedby')).split(/\s+/);
      for (const id of ids) {
        const msg = (await page.locator(`[id="${id}"]`).textContent()).trim();
        assert.ok(msg.length > 0, `#${id} holds the message`);
      }
    }
    // No other control is marked invalid, and every answer is still there.
    const marked = await page.locator('#questionnaire [aria-invalid="true"]').evaluateAll(
      (els) => [...new Set(els.map((e) => e.name || e.id))]);
    assert.deepEqual(marked.filter((m) => m !== 'know_iso'), []);
    assert.deepEqual(await formValues(page), before);
  } finally { await ctx.close(); }
});

test('a reload in the middle restores the draft (localStorage)', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    for (const [sel, act] of [['input[name="org_type"] >> nth=2', 'check'], ['input[name="know_iso"] >> nth=3', 'check'],
      ['input[name="sectors"] >> nth=1', 'check'], ['#expectations', 'fill']]) {
      await reveal(page, sel);
      if (act === 'check') await page.locator(sel).check();
      else await page.locator(sel).fill('brouillon à garder');
    }
    const before = await formValues(page);
    const draftKey = `enquete-draft:/e/${SLUG}/pre`;
    assert.ok(await page.evaluate((k) => localStorage.getItem(k), draftKey), 'draft stored');
    await page.reload({ waitUntil: 'load' });
    assert.deepEqual(await formValues(page), before, 'after reload');
    // A fresh navigation too (no browser form restoration there): the script did it.
    const page2 = await ctx.newPage();
    await open(page2, formUrl('pre', 'fr'));
    await page2.waitForFunction(() => document.getElementById('expectations').value !== '', null, { timeout: 5000 });
    assert.deepEqual(await formValues(page2), before, 'in a new tab');
    await page2.close();
    // A stored submission clears it.
    await fillForm(page);
    await submitAndReadCode(page);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), draftKey), null, 'draft cleared after thanks');
  } finally { await ctx.close(); }
});

test('JavaScript disabled: landing page -> pre -> thanks -> code', T, async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await open(page, `${BASE}/`);
    assert.ok(await page.locator(`a[href="/e/${SLUG}/"]`).count() >= 1, 'the home page lists the open event');
    await Promise.all([page.waitForURL(`**/e/${SLUG}/`), page.locator(`a[href="/e/${SLUG}/"]`).first().click()]);
    await Promise.all([page.waitForURL(/\/pre\?lang=/), page.locator(`a[href*="/e/${SLUG}/pre"]`).first().click()]);
    await fillForm(page);
    const code = await submitAndReadCode(page);
    assert.deepEqual(instrumentsOf(code).map((r) => r[0]), ['pre']);
    // The post form, linked by the cookie: no code to type.
    await open(page, formUrl('post', 'fr'));
    await fillForm(page);
    assert.equal(await submitAndReadCode(page), code, 'the post is linked to the same participant');
    assert.deepEqual(instrumentsOf(code).map((r) => r[0]), ['post', 'pre']);
  } finally { await ctx.close(); }
});

// #17: after a 422, reloading sends the same POST again and the server
// gives back the answers as first sent: what was corrected since on that
// page must survive (the draft wins over the re-sent page).
test('after a 422, a reload (the POST sent again) keeps what was corrected since', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    await fillForm(page, { skip: ['know_iso'], extra: ['expectations'] });
    await reveal(page, '#expectations');
    await page.locator('#expectations').fill('avant correction');
    await reveal(page, '#questionnaire button[type=submit]');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
      page.locator('#questionnaire button[type=submit]').click(),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForLoadState('load');
    // corrections on the 422 page
    await reveal(page, page.locator('input[name="know_iso"]').nth(3));
    await page.locator('input[name="know_iso"]').nth(3).check();
    await reveal(page, page.locator('input[name="org_type"]').nth(4));
    await page.locator('input[name="org_type"]').nth(4).check();
    await reveal(page, '#expectations');
    await page.locator('#expectations').fill('après correction');
    const corrected = await formValues(page);
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await page.reload({ waitUntil: 'load' });
    assert.ok(posts.length >= 1, 'the reload sent the POST again');
    assert.match(await page.locator('#questionnaire').getAttribute('data-posted'), /.+/);
    assert.deepEqual(await formValues(page), corrected, 'the corrections survive the reload');
    // and the corrected answers go through
    assert.match(await submitAndReadCode(page), /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  } finally { await ctx.close(); }
});

test('answering again: the stored answers and their date, changed only by the explicit choice', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    await fillForm(page, { extra: ['expectations'] });
    await reveal(page, '#expectations');
    await page.locator('#expectations').fill('première réponse');
    const code = await submitAndReadCode(page);
    await open(page, formUrl('pre', 'fr'));
    assert.match(await page.locator('#answered').textContent(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.equal(await page.locator('#expectations').inputValue(), 'première réponse');
    await reveal(page, '#expectations');
    await page.locator('#expectations').fill('seconde réponse');
    await reveal(page, '#questionnaire button[type=submit]');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
      page.locator('#questionnaire button[type=submit]').click(),
    ]);
    assert.equal(res.status(), 409);
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#expectations').inputValue(), 'seconde réponse', 'the answers are kept');
    await reveal(page, '#_edit');
    await page.locator('#_edit').check();
    assert.equal(await submitAndReadCode(page), code);
    assert.deepEqual(instrumentsOf(code).map((r) => [r[0], r[1], r[3]]), [['pre', '2', '1']]);
  } finally { await ctx.close(); }
});

test('an unknown badge code in the link: said at once, corrected or dropped in the page', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, `${BASE}/e/${SLUG}/pre?lang=fr&code=ZZZZ-ZZZZ`);
    const field = page.locator('#_code');
    assert.ok(await field.isVisible(), 'the code is a field');
    assert.equal(await field.inputValue(), 'ZZZZ-ZZZZ');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await field.fill('');
    await fillForm(page);
    assert.match(await submitAndReadCode(page), /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  } finally { await ctx.close(); }
});
