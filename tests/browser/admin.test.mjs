// tests/browser/admin.test.mjs: the expert's side in a real browser: sign
// in through the form, the events overview, the dashboard (with its
// screenshot) and the printable report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, SLUG, launch, newContext, addAdmin, signIn, screenshot,
} from './lib.mjs';

let browser, ctx, page;
const NAME = 'browser-admin', PASSWORD = 'password123';

before(async () => {
  browser = await launch();
  addAdmin(NAME, PASSWORD);
  ctx = await newContext(browser);
  page = await ctx.newPage();
});
after(async () => { await browser?.close(); });

const T = { timeout: 30000 };

// GET url in the signed-in tab: 200 or the test fails (a missing route,
// 404, is a failure like any other).
async function openPage(url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${url}`);
  return res;
}

test('the expert signs in through the form and sees the event with its counts', T, async () => {
  await signIn(page, NAME, PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/admin/');
  const row = page.locator(`a[href="/admin/e/${SLUG}"]`);
  assert.equal(await row.count(), 1, 'the overview links to the dashboard');
  const cookies = await ctx.cookies();
  assert.ok(cookies.some((c) => c.httpOnly && c.sameSite !== 'None'),
    `an HttpOnly session cookie (${cookies.map((c) => `${c.name} httpOnly=${c.httpOnly}`)})`);
});

test('dashboard: charts, fits a phone, screenshot', T, async () => {
  await openPage(`${BASE}/admin/e/${SLUG}`);
  assert.ok(await page.locator('h1').count() >= 1);
  assert.ok(await page.locator('svg').count() >= 1, 'at least one chart');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 390px`);
  await screenshot(page, 'dashboard.png', (await page.locator('.chart').count()) ? '.chart' : null);
});

test('printable report: opens and prints to PDF', T, async () => {
  await openPage(`${BASE}/admin/e/${SLUG}/report`);
  assert.ok(await page.locator('h1').count() >= 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no site header in print');
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF came out');
  await page.emulateMedia({ media: 'screen' });
});
