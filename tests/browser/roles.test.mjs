// tests/browser/roles.test.mjs: the pages of roles and scopes in a real
// Chromium: the users page (an admin gives a user a role and events), the
// password page (a user changes their own), the audit log and the
// erasure of a participant; each with 0 axe violations (WCAG 2.0/2.1 A
// and AA) in French and Arabic, and at most 30 KB gzipped with what it
// loads (HTML + CSS + script, compressed by nginx).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  BASE, REPO, SLUG, psql, launch, newContext, open, axe, formatViolations,
  addAdmin, signIn,
} from './lib.mjs';

const BUDGET = 30 * 1024;
const RUN = Date.now().toString(36);
const ADMIN = `br-adm-${RUN}`, ORG = `br-org-${RUN}`, PASSWORD = 'password123';
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8', timeout: 10000 });

// GET url with cookies, asking for gzip; the bytes as they came.
function getRaw(url, cookie) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'Accept-Encoding': 'gzip', Cookie: cookie }, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
  });
}

// Bytes on the wire of the page at url and of the CSS and script it loads.
async function wireWeight(url, cookie) {
  const page = await getRaw(url, cookie);
  assert.equal(page.status, 200, url);
  const gz = page.headers['content-encoding'] === 'gzip';
  const html = (gz ? zlib.gunzipSync(page.body) : page.body).toString('utf8');
  let wire = page.body.length;
  for (const m of html.matchAll(/<(?:link[^>]+href|script[^>]+src)="(\/static\/[^"]+)"/g)) {
    const r = await getRaw(new URL(m[1], BASE).href, cookie);
    assert.equal(r.status, 200, m[1]);
    wire += r.body.length;
  }
  return wire;
}

let browser;
before(async () => {
  browser = await launch();
  addAdmin(ADMIN, PASSWORD);
  ctl(['user', 'del', ORG]);
  const r = ctl(['user', 'add', ORG, '--role', 'organiser', '--events', SLUG], `${PASSWORD}\n`);
  assert.equal(r.status, 0, r.stderr);
});
after(async () => { await browser?.close(); });

const pages = [
  ['users', '/admin/users', ADMIN],
  ['password', '/admin/password', ORG],
  ['audit', '/admin/audit', ORG],
  ['audit of one event', `/admin/audit?event=${SLUG}`, ADMIN],
  ['erasure', `/admin/e/${SLUG}/erase`, ORG],
];

for (const lang of ['fr', 'ar']) {
  test(`the roles pages (${lang}): 0 axe violations, at most 30 KB gzipped`, { timeout: 90000 }, async (t) => {
    const ctxs = {};
    try {
      for (const user of [ADMIN, ORG]) {
        ctxs[user] = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'fr-FR' });
        await signIn(await ctxs[user].newPage(), user, PASSWORD);
      }
      const lines = [];
      for (const [name, p, user] of pages) {
        const url = `${BASE}${p}${p.includes('?') ? '&' : '?'}lang=${lang}`;
        const page = await ctxs[user].newPage();
        await open(page, url);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
        const v = await axe(page);
        assert.equal(v.length, 0, formatViolations(`${name} (${lang})`, v));
        const cookie = (await ctxs[user].cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
        const wire = await wireWeight(url, cookie);
        lines.push(`${name}: ${wire} B`);
        assert.ok(wire <= BUDGET, `${name}: ${wire} B gzipped is over ${BUDGET} B`);
        await page.close();
      }
      // the erasure's confirmation step too
      const code = ctl(['codes', 'generate', '--event', SLUG, '--count', '1']).stdout.trim();
      const page = await ctxs[ORG].newPage();
      await open(page, `${BASE}/admin/e/${SLUG}/erase?lang=${lang}`);
      await page.locator('#erase-code').fill(code);
      await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/erase"] button[type=submit]').click()]);
      await page.locator('input[name=confirm]').waitFor({ state: 'attached' });
      const v = await axe(page);
      assert.equal(v.length, 0, formatViolations(`erasure confirmation (${lang})`, v));
      t.diagnostic(lines.join('; '));
    } finally {
      for (const c of Object.values(ctxs)) await c.close();
    }
  });
}

test('an admin gives a user a role and events on the users page; the user changes their own password', { timeout: 60000 }, async () => {
  const name = `br-u-${RUN}`;
  ctl(['user', 'del', name]);
  assert.equal(ctl(['user', 'add', name], `${PASSWORD}\n`).status, 0);
  const admin = await newContext(browser);
  const user = await newContext(browser);
  try {
    const page = await admin.newPage();
    await signIn(page, ADMIN, PASSWORD);
    await open(page, `${BASE}/admin/users`);
    await page.locator(`#role-${name}`).selectOption('organiser');
    await page.locator(`#events-${name}`).fill(SLUG);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/users'),
      page.locator(`form.user-access:has(#role-${name}) button[type=submit]`).click(),
    ]);
    assert.equal(await page.locator(`#role-${name}`).inputValue(), 'organiser');
    assert.equal(await page.locator(`#events-${name}`).inputValue(), SLUG);
    assert.deepEqual(psql(`SELECT role, all_events::text FROM app_user WHERE name = :'n'`, { n: name })[0], ['organiser', 'false']);

    const p = await user.newPage();
    await signIn(p, name, PASSWORD);
    await open(p, `${BASE}/admin/password`);
    await p.locator('#current-password').fill(PASSWORD);
    await p.locator('#new-password').fill('another-password-7');
    await Promise.all([p.waitForLoadState('load'), p.locator('form[action="/admin/password"] button[type=submit]').click()]);
    await p.locator('.notice.ok').waitFor();
    // still signed in: the codes of their event open
    await open(p, `${BASE}/admin/e/${SLUG}/codes`);
    const rows = psql(`SELECT actor, action FROM audit_log WHERE detail->>'name' = :'n' ORDER BY id`, { n: name });
    assert.deepEqual(rows.slice(-3), [[ADMIN, 'user.role'], [ADMIN, 'user.events'], [name, 'user.password']]);
  } finally {
    await admin.close();
    await user.close();
  }
});
