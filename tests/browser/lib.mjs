// tests/browser/lib.mjs: helpers for the real-browser suites. They drive
// Debian's /usr/bin/chromium through playwright-core (never a downloaded
// browser) against the stack that tests/run-all starts, and run axe-core
// inside the pages. Every wait is bounded.
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync, accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BASE, REPO, psql } from '../integration/lib.mjs';

export { BASE, REPO, psql };

const require = createRequire(import.meta.url);

// Missing node_modules (no registry at hand) or no Chromium: launch()
// throws, saying why, so every test of the suite FAILS. A browser suite
// never skips: a skip would let `make test` pass without a browser.
let pw = null;
let axeSource = null;
let missing = '';
try {
  pw = require('playwright-core');
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  missing = `tests/browser/node_modules missing (npm ci --prefix tests/browser): ${e.message.split('\n')[0]}`;
}

export const CHROMIUM = process.env.ENQUETE_CHROMIUM || '/usr/bin/chromium';
export const SLUG = 'imanor-2017';
export const PHONE = { width: 390, height: 844 };
export const SHOTS = path.join(REPO, 'tests/browser/screenshots');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Launches headless chromium. Playwright's launch() gives it a fresh
// temporary --user-data-dir of its own and deletes it on close(). Throws
// (the suite's before() hook fails, and with it every test) when
// playwright-core, axe-core or Chromium is missing.
export async function launch() {
  if (missing) throw new Error(`the browser suites cannot run: ${missing}`);
  try { accessSync(CHROMIUM, constants.X_OK); } catch {
    throw new Error(`the browser suites cannot run: ${CHROMIUM} is not installed (scripts/deps)`);
  }
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

// A fresh context (own cookies and localStorage) on a phone viewport.
// Every request it makes is recorded in ctx.requests.
export async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    locale: 'fr-FR', ...opts,
  });
  ctx.setDefaultTimeout(10000);
  ctx.setDefaultNavigationTimeout(15000);
  ctx.requests = [];
  ctx.on('request', (r) => ctx.requests.push(r.url()));
  return ctx;
}

export const formUrl = (inst, lang) => `${BASE}/e/${SLUG}/${inst}?lang=${lang}`;

// Opens url and checks the status is what we expect; returns the response.
export async function open(page, url, status = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (res.status() !== status) {
    throw new Error(`GET ${url}: ${res.status()}, expected ${status}`);
  }
  return res;
}

// The questionnaire's items as the page shows them: for each field, its
// kind, the control names, the option values and whether it is required.
// Read with locators only, so that it works with JavaScript disabled too.
export async function formItems(page) {
  const html = await page.locator('#questionnaire').innerHTML();
  const items = [];
  // Each item is a <fieldset ... class="field..."> or a <div class="field...">
  // at the top of a section; nested fieldsets (retro) belong to their item.
  const re = /<(fieldset|div) (?:id="([^"]*)" )?class="field[^"]*"[^>]*>/g;
  const starts = [];
  let m;
  while ((m = re.exec(html))) starts.push(m.index);
  for (let i = 0; i < starts.length; i++) {
    const chunk = html.slice(starts[i], starts[i + 1] ?? html.length);
    const head = chunk.slice(0, chunk.search(/<\/(legend|label)>/));
    const required = /class="required"/.test(head);
    const controls = [...chunk.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map((c) => ({
      tag: c[1],
      type: (c[2].match(/type="([^"]*)"/) || [])[1] || c[1],
      name: (c[2].match(/name="([^"]*)"/) || [])[1],
      value: (c[2].match(/value="([^"]*)"/) || [])[1],
      id: (c[2].match(/id="([^"]*)"/) || [])[1],
      decimal: /inputmode="decimal"/.test(c[2]),
    })).filter((c) => c.name && c.type !== 'hidden');
    if (controls.length === 0) continue;
    const key = controls[0].name.replace(/\..*$/, '');
    items.push({ key, required, controls });
  }
  return items;
}

// With JavaScript the questionnaire shows one section at a time: brings
// the section holding the element (or the submit button, shown with the
// last section) into view through the form's own next and back buttons,
// as an attendee would. Without JavaScript nothing is hidden: a no-op.
export async function reveal(page, locator) {
  const el = typeof locator === 'string' ? page.locator(locator) : locator;
  for (let i = 0; i < 30; i++) {
    const dir = await el.first().evaluate((e) => {
      if (!e.closest('[hidden]')) return 0;
      const all = [...document.querySelectorAll('section.form-section')];
      const cur = all.findIndex((s) => !s.hidden);
      const mine = all.indexOf(e.closest('section.form-section'));
      return mine >= 0 && mine < cur ? -1 : 1;
    });
    if (dir === 0) return;
    await page.locator(`section.form-section:not([hidden]) .page-${dir > 0 ? 'next' : 'back'}`).click();
  }
  throw new Error('reveal: the element never came into view');
}

// Answers every required item (and those listed in extra) with the
// browser's own actions. Choices: the option at index pick (default 0)
// that is not "other". Returns {key: value or [values]} of what it set.
export async function fillForm(page, { skip = [], extra = [], pick = 1, text = 'Réponse de test' } = {}) {
  const set = {};
  for (const it of await formItems(page)) {
    if (skip.includes(it.key)) continue;
    if (!it.required && !extra.includes(it.key)) continue;
    const main = it.controls.filter((c) => c.name === it.key || /^[^.]+\.\d+$/.test(c.name));
    const kind = main[0]?.type;
    if (main[0]) await reveal(page, page.locator(`[id="${main[0].id}"]`));
    if (kind === 'radio' || kind === 'checkbox') {
      const opts = main.filter((c) => c.value !== 'other' && c.name === it.key);
      const c = opts[Math.min(pick, opts.length - 1)];
      await page.locator(`[id="${c.id}"]`).check();
      set[it.key] = kind === 'checkbox' ? [c.value] : c.value;
    } else if (kind === 'select') {
      // A ranking: distinct options, first rank first.
      const sel = main.filter((c) => c.tag === 'select');
      for (let r = 0; r < sel.length; r++) {
        const values = await page.locator(`[id="${sel[r].id}"] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
        await page.locator(`[id="${sel[r].id}"]`).selectOption(values[r]);
        set[sel[r].name] = values[r];
      }
    } else if (kind) {
      const v = main[0].decimal ? '3' : text;
      await page.locator(`[id="${main[0].id}"]`).fill(v);
      set[it.key] = v;
    }
  }
  return set;
}

// Every control's current value: {name: [values]} (checked boxes only).
export async function formValues(page) {
  return page.locator('#questionnaire').evaluate((f) => {
    const out = {};
    for (const el of f.elements) {
      if (!el.name || el.name.startsWith('_') || el.type === 'submit') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      if (el.value === '' && el.type !== 'radio' && el.type !== 'checkbox') continue;
      (out[el.name] ||= []).push(el.value);
    }
    return out;
  });
}

// Clicks submit and waits for the thanks page; returns the code shown.
export async function submitAndReadCode(page) {
  await reveal(page, '#questionnaire button[type=submit]');
  await Promise.all([
    page.waitForURL(/\/thanks$/, { timeout: 15000 }),
    page.locator('#questionnaire button[type=submit]').click(),
  ]);
  const code = (await page.locator('#participant-code').textContent()).trim();
  if (!/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(code)) {
    throw new Error(`#participant-code is '${code}', not XXXX-XXXX`);
  }
  return code;
}

// Runs axe-core in the page (WCAG 2.0/2.1 A and AA). Evaluated through the
// DevTools protocol, so the page's CSP (script-src 'self') stays in force.
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(axeSource);
  const r = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }), AXE_TAGS);
  return r.violations;
}

// A readable report of axe violations, one block per rule.
export function formatViolations(where, violations) {
  const lines = [`${where}: ${violations.length} axe violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 6)) {
      lines.push(`    ${n.target.join(' ')}`);
      lines.push(`      ${n.failureSummary.replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 6) lines.push(`    ... and ${v.nodes.length - 6} more`);
  }
  return lines.join('\n');
}

// A viewport-size PNG under tests/browser/screenshots/. With scrollTo, the
// element matching that selector is scrolled to the top first.
export async function screenshot(page, name, scrollTo = null) {
  mkdirSync(SHOTS, { recursive: true });
  if (scrollTo) await page.locator(scrollTo).first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: false });
}

// Creates (or recreates) an account with role admin through enquetectl.
export function addAdmin(name, password) {
  const ctl = path.join(REPO, 'bin/enquetectl');
  spawnSync(ctl, ['user', 'del', name], { encoding: 'utf8', timeout: 10000 });
  const r = spawnSync(ctl, ['user', 'add', name, '--role', 'admin'], {
    input: `${password}\n`, encoding: 'utf8', timeout: 10000,
  });
  if (r.status !== 0) throw new Error(`enquetectl user add ${name}: ${r.status} ${r.stderr}`);
}

// Signs in through the login form; the page ends on /admin/.
export async function signIn(page, name, password) {
  await open(page, `${BASE}/admin/login`);
  await page.locator('#username').fill(name);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/admin/login'), { timeout: 15000 }),
    page.locator('form.login button[type=submit]').click(),
  ]);
}

// Requests made to anything but the stack's origin (data: and about: aside).
export function foreignRequests(urls) {
  const origin = new URL(BASE).origin;
  return urls.filter((u) => !/^(data|about|blob):/.test(u) && new URL(u).origin !== origin);
}
