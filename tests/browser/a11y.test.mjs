// tests/browser/a11y.test.mjs: accessibility in a real browser. axe-core
// (WCAG 2.0/2.1 A and AA) on every attendee and admin page, a questionnaire
// answered with the keyboard alone, and a visible focus indicator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, SLUG, launch, newContext, open, formUrl, fillForm, reveal,
  submitAndReadCode, axe, formatViolations, addAdmin, signIn,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const T = { timeout: 60000 };

async function assertNoViolations(page, where) {
  const v = await axe(page);
  if (v.length) console.log(formatViolations(where, v));
  assert.equal(v.length, 0, formatViolations(where, v));
}

const attendeePages = [
  ['home', `${BASE}/`],
  ['event landing', `${BASE}/e/${SLUG}/`],
  ...['fr', 'en', 'ar'].flatMap((l) => [
    [`pre form (${l})`, formUrl('pre', l)],
    [`post form (${l})`, formUrl('post', l)],
  ]),
];

// axe is CPU-bound (about 3 s on a long form, far more on a loaded
// machine: the bound is generous): pages are checked three at
// a time, each in its own tab of one context.
test('axe: attendee pages', { ...T, timeout: 300000, concurrency: 3 }, async (t) => {
  const ctx = await newContext(browser);
  try {
    const checks = attendeePages.map(([name, url]) => t.test(name, async () => {
      const page = await ctx.newPage();
      await open(page, url);
      await assertNoViolations(page, name);
      await page.close();
    }));
    for (const lang of ['fr', 'ar']) {
      checks.push(t.test(`the 422 page and the thanks page (${lang})`, async () => {
        const c = await newContext(browser);
        try {
          const page = await c.newPage();
          await open(page, formUrl('pre', lang));
          await fillForm(page, { skip: ['know_iso', 'quiz_voluntary'] });
          await reveal(page, '#questionnaire button[type=submit]');
          const [res] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
            page.locator('#questionnaire button[type=submit]').click(),
          ]);
          assert.equal(res.status(), 422);
          await page.waitForLoadState('load');
          await assertNoViolations(page, `422 page (${lang})`);
          await fillForm(page);
          await submitAndReadCode(page);
          await assertNoViolations(page, `thanks page (${lang})`);
        } finally { await c.close(); }
      }));
    }
    // #17: the form that shows a stored answer, the 409 without the
    // explicit choice, and an unknown code in the link
    checks.push(t.test('the answered form, the 409 page and an unknown code in the link (ar)', async () => {
      const c = await newContext(browser, { locale: 'ar-MA' });
      try {
        const page = await c.newPage();
        await open(page, formUrl('pre', 'ar'));
        await fillForm(page);
        await submitAndReadCode(page);
        await open(page, formUrl('pre', 'ar'));
        assert.equal(await page.locator('#answered').count(), 1);
        await assertNoViolations(page, 'answered form (ar)');
        await reveal(page, '#questionnaire button[type=submit]');
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
          page.locator('#questionnaire button[type=submit]').click(),
        ]);
        assert.equal(res.status(), 409);
        await page.waitForLoadState('load');
        await assertNoViolations(page, '409 page (ar)');
        // a context without the cookie: the code in the link is what links
        const other = await ctx.newPage();
        await open(other, `${BASE}/e/${SLUG}/post?lang=ar&code=ZZZZ-ZZZZ`);
        assert.equal(await other.locator('#_code[aria-invalid="true"]').count(), 1);
        await assertNoViolations(other, 'unknown code in the link (ar)');
        await other.close();
      } finally { await c.close(); }
    }));
    await Promise.all(checks);
  } finally { await ctx.close(); }
});

// The admin pages, signed in as an admin made for this suite.
const ADMIN = 'a11y-admin', PASSWORD = 'password123';
const adminPages = [
  ['/admin/', `${BASE}/admin/`],
  ['/admin/users', `${BASE}/admin/users`],
  ['dashboard', `${BASE}/admin/e/${SLUG}`],
  ['report', `${BASE}/admin/e/${SLUG}/report`],
  ['badge codes', `${BASE}/admin/e/${SLUG}/codes`],
  ['room poster', `${BASE}/admin/e/${SLUG}/poster`],
];

test('axe: sign-in page, and the 401 sign-in page', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, `${BASE}/admin/login`);
    await assertNoViolations(page, 'sign-in');
    await page.locator('#username').fill('nobody-here');
    await page.locator('#password').fill('wrong-password');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15000 }),
      page.locator('form.login button[type=submit]').click(),
    ]);
    assert.equal(res.status(), 401);
    await page.waitForLoadState('load');
    await assertNoViolations(page, 'sign-in (401)');
  } finally { await ctx.close(); }
});

// the dashboard and the donor's report are long pages with many charts:
// axe takes tens of seconds on each on a loaded machine
test('axe: admin pages', { timeout: 180000, concurrency: 2 }, async (t) => {
  addAdmin(ADMIN, PASSWORD);
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await signIn(page, ADMIN, PASSWORD);
    await Promise.all(adminPages.map(([name, url]) => t.test(name, async () => {
      const tab = await ctx.newPage();
      const res = await tab.goto(url, { waitUntil: 'load' });
      assert.equal(res.status(), 200, `GET ${url}`);
      await assertNoViolations(tab, name);
      await tab.close();
    })));
  } finally { await ctx.close(); }
});

test('focus is visible: a focused input has a non-zero outline', T, async () => {
  const ctx = await newContext(browser, { hasTouch: false, isMobile: false });
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    // The first Tab lands on the skip link, which becomes visible.
    await page.keyboard.press('Tab');
    const skipLink = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { cls: a.className, top: r.top, bottom: r.bottom, visible: a.matches(':focus-visible') };
    });
    assert.equal(skipLink.cls, 'skip-link');
    assert.ok(skipLink.top >= 0 && skipLink.bottom > skipLink.top, 'the skip link shows when focused');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.tagName === 'INPUT')) break;
    }
    const s = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { tag: el.tagName, fv: el.matches(':focus-visible'), width: parseFloat(cs.outlineWidth), style: cs.outlineStyle };
    });
    assert.equal(s.tag, 'INPUT');
    assert.ok(s.fv, 'the input matches :focus-visible');
    assert.notEqual(s.style, 'none');
    assert.ok(s.width >= 2, `outline width ${s.width}px`);
  } finally { await ctx.close(); }
});

test('the pre questionnaire answered with the keyboard alone', T, async () => {
  const ctx = await newContext(browser, { hasTouch: false, isMobile: false });
  try {
    const page = await ctx.newPage();
    await open(page, formUrl('pre', 'fr'));
    const seen = new Set();
    let arrows = 0, spaces = 0, typed = 0, reachedSubmit = false;
    for (let i = 0; i < 400 && !reachedSubmit; i++) {
      await page.keyboard.press('Tab');
      const el = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || !a.form) return { tag: a?.tagName };
        const group = a.name ? [...a.form.elements].filter((e) => e.name === a.name) : [];
        return {
          next: a.classList.contains('page-next'),
          tag: a.tagName, type: a.type, name: a.name, value: a.value,
          anyChecked: group.some((e) => e.checked), checked: a.checked,
        };
      });
      if (el.type === 'submit') { reachedSubmit = true; break; }
      // one section at a time: the "next" button leads on
      if (el.next) { await page.keyboard.press('Enter'); continue; }
      if (!el.name || seen.has(el.name)) continue;
      if (el.type === 'radio' && !el.anyChecked) {
        // Likert scales by arrow keys (which move and check), others by Space.
        if (/^know_/.test(el.name)) {
          await page.keyboard.press('ArrowRight');
          await page.keyboard.press('ArrowRight');
          arrows++;
        } else {
          await page.keyboard.press('Space');
          spaces++;
        }
        seen.add(el.name);
      } else if (el.type === 'checkbox' && !el.anyChecked && el.value !== 'other' && el.value !== 'none') {
        await page.keyboard.press('Space');
        spaces++;
        seen.add(el.name);
      } else if ((el.tag === 'TEXTAREA' || el.type === 'text') && !el.name.includes('.')) {
        await page.keyboard.type('Saisi au clavier');
        typed++;
        seen.add(el.name);
      }
    }
    assert.ok(reachedSubmit, 'Tab reaches the submit button');
    assert.ok(arrows >= 8 && spaces >= 7 && typed >= 1, `arrows ${arrows}, spaces ${spaces}, typed ${typed}`);
    assert.equal(await page.locator('input[name="know_iso"]:checked').getAttribute('value'), '3',
      'two ArrowRight from the first option check the third');
    await Promise.all([
      page.waitForURL(/\/thanks$/, { timeout: 15000 }),
      page.keyboard.press('Enter'),
    ]);
    const code = (await page.locator('#participant-code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  } finally { await ctx.close(); }
});
