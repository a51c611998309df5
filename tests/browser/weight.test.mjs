// tests/browser/weight.test.mjs: what a phone on a slow link pays for the
// pre questionnaire: its bytes on the wire (HTML + CSS + script, gzipped
// by nginx, under 30 KB), requests to our own origin only, and no layout
// shift while it renders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import {
  BASE, launch, newContext, open, formUrl, foreignRequests,
} from './lib.mjs';

const BUDGET = 30 * 1024;

// GET url asking for gzip; returns the bytes as they came over the wire.
function getRaw(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'Accept-Encoding': 'gzip' }, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
  });
}

test('page weight: pre form + CSS + script under 30 KB gzipped, compressed by nginx', { timeout: 30000 }, async (t) => {
  const page = await getRaw(formUrl('pre', 'fr'));
  assert.equal(page.status, 200);
  const html = zlib.gunzipSync(page.body).toString('utf8');
  const assets = [...html.matchAll(/<(?:link[^>]+href|script[^>]+src)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.includes('/static/enquete.css') && assets.includes('/static/enquete.js'), `assets: ${assets}`);
  const rows = [['page', page]];
  for (const a of assets) {
    const r = await getRaw(new URL(a, BASE).href);
    assert.equal(r.status, 200, a);
    rows.push([a, r]);
  }
  let wire = 0, raw = 0, level6 = 0;
  const lines = [];
  for (const [name, r] of rows) {
    assert.equal(r.headers['content-encoding'], 'gzip', `${name} is gzipped by nginx`);
    const plain = zlib.gunzipSync(r.body);
    const z6 = zlib.gzipSync(plain, { level: 6 }).length;
    wire += r.body.length; raw += plain.length; level6 += z6;
    lines.push(`${name}: ${plain.length} B, ${r.body.length} B gzipped by nginx (zlib -6: ${z6} B)`);
  }
  lines.push(`total: ${raw} B, ${wire} B on the wire (budget ${BUDGET} B)`);
  t.diagnostic(lines.join('; '));
  assert.ok(wire < BUDGET, `${wire} B gzipped is over the ${BUDGET} B budget`);
});

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const lang of ['fr', 'ar']) {
  test(`pre form (${lang}): only same-origin requests, no layout shift on first render`, { timeout: 30000 }, async (t) => {
    const ctx = await newContext(browser);
    try {
      // Installed before any of the page's own code: every shift counts.
      await ctx.addInitScript(() => {
        window.__cls = 0;
        window.__shifts = [];
        try {
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              window.__cls += e.value;
              window.__shifts.push(e.sources?.map((s) => s.node?.nodeName).join(',') || '?');
            }
          }).observe({ type: 'layout-shift', buffered: true });
        } catch (e) { window.__cls = -1; }
      });
      const page = await ctx.newPage();
      await open(page, formUrl('pre', lang));
      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      await page.waitForTimeout(500);
      const { cls, shifts } = await page.evaluate(() => ({ cls: window.__cls, shifts: window.__shifts }));
      assert.notEqual(cls, -1, 'this chromium reports layout-shift entries');
      assert.equal(cls, 0, `layout shift ${cls} (${shifts.join('; ')})`);
      t.diagnostic(`requests: ${ctx.requests.join(' ')}`);
      assert.deepEqual(foreignRequests(ctx.requests), [], 'no third-party request');
      assert.ok(ctx.requests.length >= 3, `page, css and script requested (${ctx.requests.length})`);
    } finally { await ctx.close(); }
  });
}
