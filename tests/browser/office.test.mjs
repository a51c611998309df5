// tests/browser/office.test.mjs: the programme view in a real browser
// (DESIGN.md "Reports for the donor"): axe-core finds no violation in
// French and in Arabic (right to left, the forest plot mirrored), and the
// page with its CSS and script weighs under 30 KB gzipped by nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import {
  BASE, REPO, psql, launch, newContext, axe, formatViolations, addAdmin, signIn,
} from './lib.mjs';
import { tmpDir } from '../integration/lib.mjs';

const BUDGET = 30 * 1024;
const RUN = Date.now().toString(36);
const SLUGS = [`prog-a-${RUN}`, `prog-b-${RUN}`, `prog-c-${RUN}`];
const ADMIN = 'office-admin', PASSWORD = 'password123';
const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
const scale = ['a', 'b', 'c', 'd', 'e'].map(L);

// Two knowledge items, an NPS and a quiz; n participants answering both.
function seed(slug, n, shift) {
  const def = {
    format: 1,
    event: { slug, title: L(`Atelier ${slug}`), dates: { start: '2024-03-12', end: '2024-03-13' },
      place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
      languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
    instruments: Object.fromEntries(['pre', 'post'].map((k) => [k, { title: L(k), intro: L('I'), sections: [{ id: 's', title: L('S'), items: [
      { key: 'know_a', type: 'likert5', analysis: 'knowledge', label: L('Connaissance A'), scale },
      { key: 'know_b', type: 'likert5', analysis: 'knowledge', label: L('Connaissance B'), scale },
      ...(k === 'post' ? [{ key: 'nps', type: 'rating10', analysis: 'nps', label: L('Recommander'), scale: [L('Non'), L('Oui')] }] : []),
    ] }] }])),
  };
  const dir = tmpDir('enquete-prog-');
  writeFileSync(path.join(dir, 'def.json'), JSON.stringify(def));
  const ctl = (args) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, encoding: 'utf8' });
  for (const args of [['load', path.join(dir, 'def.json')], ['event', 'open', slug, 'pre'], ['event', 'open', slug, 'post']]) {
    const r = ctl(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  for (let i = 0; i < n; i++) {
    const code = `P${slug.at(-1 - 0).toUpperCase().replace(/[ILOU]/g, '0')}${RUN.slice(-2).toUpperCase().replace(/[ILOU]/g, '0')}${String(i).padStart(4, '0')}`.slice(0, 8);
    const a = 1 + (i % 3), b = Math.min(5, a + ((i + shift) % 3));
    for (const [inst, link, ans] of [['pre', 'new', { know_a: String(a), know_b: String(a) }],
      ['post', 'code', { know_a: String(b), know_b: String(Math.max(1, b - (i % 2))), nps: String((i * 3) % 11) }]]) {
      const rows = Object.entries(ans).map(([k, v]) => ({ item: k, value: v, num: Number(v) }));
      const [[outcome]] = psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'slug'), :'inst',
        (SELECT definition_id FROM event WHERE slug = :'slug'), (:'slug' || :'code' || :'inst')::bytea, :'link', :'code', :'code', 'fr',
        :'answers'::jsonb, :'rows'::jsonb, '{}'::jsonb)`,
      { slug, inst, link, code, answers: JSON.stringify(ans), rows: JSON.stringify(rows) });
      assert.equal(outcome, 'stored', `${slug} ${code} ${inst}`);
    }
  }
}

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

let browser;
before(async () => {
  browser = await launch();
  seed(SLUGS[0], 12, 0);
  seed(SLUGS[1], 9, 1);
  seed(SLUGS[2], 3, 2); // hidden: fewer than 5 participants
  addAdmin(ADMIN, PASSWORD);
});
after(async () => { await browser?.close(); });

const url = (lang) => `${BASE}/admin/programme?events=${SLUGS.join(',')}&lang=${lang}`;

test('programme view: no axe violation in French and Arabic, forest plot drawn', { timeout: 90000 }, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await signIn(page, ADMIN, PASSWORD);
    for (const lang of ['fr', 'ar']) {
      const res = await page.goto(url(lang), { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
      // one dot per shown event and the pooled diamond
      assert.equal(await page.locator('figure.chart svg circle').count(), 2);
      assert.equal(await page.locator('figure.chart svg polygon').count(), 1);
      const v = await axe(page);
      assert.equal(v.length, 0, formatViolations(`programme (${lang})`, v));
    }
  } finally { await ctx.close(); }
});

test('programme view: page + CSS + script under 30 KB gzipped', { timeout: 30000 }, async (t) => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await signIn(page, ADMIN, PASSWORD);
    const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const html = await getRaw(url('ar'), cookie);
    assert.equal(html.status, 200);
    assert.equal(html.headers['content-encoding'], 'gzip');
    const text = zlib.gunzipSync(html.body).toString('utf8');
    let wire = html.body.length;
    for (const [, a] of text.matchAll(/<(?:link[^>]+href|script[^>]+src)="(\/static\/[^"]+)"/g)) {
      const r = await getRaw(new URL(a, BASE).href, cookie);
      assert.equal(r.status, 200, a);
      wire += r.body.length;
    }
    t.diagnostic(`programme view: ${wire} B on the wire`);
    assert.ok(wire < BUDGET, `${wire} B gzipped is over the ${BUDGET} B budget`);
  } finally { await ctx.close(); }
});
