// tests/browser/report.test.mjs: the donor's report printed by Chromium to
// an A4 PDF in fr, en and ar, the pages measured: nothing runs past the
// text's width (element geometry in the print layout), no page is less
// than a third full unless it is the last one of a section (the PDF's
// named destinations say where each section starts; pdftotext -bbox says
// how far down each page's text goes), every page carries its number and
// the footer with the generation time and data as of. The first page of
// each language is kept as tests/browser/screenshots/report-LANG.png
// (copied by hand to docs/screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, launch, newContext, addAdmin, signIn, SHOTS } from './lib.mjs';
import { tmpDir } from '../integration/lib.mjs';
import { seedReport } from '../integration/report_seed.mjs';

const RUN = Date.now().toString(36);
const SLUG = `rep-print-${RUN}`;
const NAME = 'browser-report', PASSWORD = 'password123';
const tmp = process.env.REPORT_KEEP || tmpDir('enquete-report-print-');
mkdirSync(tmp, { recursive: true });
const T = { timeout: 240000 };
// A4 in points, the report's page margins (14 mm)
const PAGE_H = 841.89, MARGIN = 14 / 25.4 * 72;
let browser, ctx, page;

before(async () => {
  seedReport(SLUG, 40, 3, tmp);
  browser = await launch();
  addAdmin(NAME, PASSWORD);
  // the text's width on A4 (210 - 2 × 14 mm) at 96 px per inch
  ctx = await newContext(browser, { viewport: { width: 688, height: 1000 }, isMobile: false, hasTouch: false });
  page = await ctx.newPage();
  await signIn(page, NAME, PASSWORD);
});
after(async () => { await browser?.close(); });

// The words of each page: [{page, words: [{x0, y0, x1, y1, w}]}].
function words(pdf) {
  const r = spawnSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('<page ').slice(1).map((p, i) => ({
    page: i + 1,
    words: [...p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
      .map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], w: m[5] })),
  }));
}

// The page each section starts on, from the PDF's named destinations.
function starts(pdf) {
  const r = spawnSync('pdfinfo', ['-dests', pdf], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return [...r.stdout.matchAll(/^\s*(\d+) \[ XYZ\s+[\d.]+\s+([\d.]+)[^\]]*\] "([^"]+)"/gm)]
    .map((m) => ({ page: +m[1], y: +m[2], id: m[3] }));
}

for (const lang of ['fr', 'en', 'ar']) {
  test(`the report in ${lang}: nothing cut, no near-empty page, numbered pages with the footer`, T, async () => {
    const res = await page.goto(`${BASE}/admin/e/${SLUG}/report?lang=${lang}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    await page.emulateMedia({ media: 'print' });
    // nothing wider than the text: every table, chart, list and paragraph
    // inside the report's box, no table scrolling sideways
    const cut = await page.evaluate(() => {
      const box = document.querySelector('.report').getBoundingClientRect();
      const out = [];
      for (const el of document.querySelectorAll('.report table, .report figure, .report svg, .report dl, .report p, .report li, .report h1, .report h2, .report h3, .report td, .report th')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1 || el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'svg')
          out.push(`${el.tagName}.${el.className?.baseVal ?? el.className} ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(box.left)}..${Math.round(box.right)} scroll ${el.scrollWidth}/${el.clientWidth}: ${(el.textContent || '').slice(0, 60)}`);
      }
      return out;
    });
    assert.deepEqual(cut, [], `${lang}: cut`);
    const footer = await page.locator('.report-running').textContent();
    const pdfBytes = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pdf = path.join(tmp, `report-${lang}.pdf`);
    writeFileSync(pdf, pdfBytes);
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    assert.match(info, /Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const pages = words(pdf);
    const n = pages.length;
    assert.ok(n >= 8, `${n} pages`);
    const st = starts(pdf);
    for (const id of ['exec', 'method', 'participants', 'objectives', 'quiz', 'evaluation', 'comments', 'limits', 'annex'])
      assert.ok(st.some((s) => s.id === id), `${lang}: section ${id} in the PDF`);
    const time = footer.match(/\d\d:\d\d/g);
    assert.ok(time && time.length === 2, `footer: ${footer}`);
    for (const p of pages) {
      // the page number in the margin: "p / n"
      const num = p.words.filter((w) => w.y0 > PAGE_H - MARGIN - 2).map((w) => w.w).join(' ');
      assert.ok(num.includes(`${p.page} / ${n}`) || num.includes(`${n} / ${p.page}`), `${lang} page ${p.page}: number in "${num}"`);
      // the footer: generation time and data as of
      const fy = p.words.filter((w) => w.w === time[0] || w.w === time[1]).map((w) => w.y0);
      assert.ok(fy.length >= 2, `${lang} page ${p.page}: the footer's times`);
      const footerTop = Math.max(...fy) - 2;
      // how far down the page's own text goes
      const body = p.words.filter((w) => w.y1 < footerTop);
      const bottom = Math.max(MARGIN, ...body.map((w) => w.y1));
      const fill = (bottom - MARGIN) / (PAGE_H - 2 * MARGIN);
      const lastOfSection = p.page === n || st.some((s) => s.page === p.page + 1 && s.y > PAGE_H - MARGIN - 30);
      if (fill < 1 / 3)
        assert.ok(lastOfSection, `${lang}: page ${p.page} is ${Math.round(fill * 100)}% full and not the last of a section`);
    }
    // the first page as an image, kept
    mkdirSync(SHOTS, { recursive: true });
    const png = spawnSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', pdf, path.join(tmp, `report-${lang}`)], { encoding: 'utf8' });
    assert.equal(png.status, 0, png.stderr);
    copyFileSync(path.join(tmp, `report-${lang}.png`), path.join(SHOTS, `report-${lang}.png`));
  });
}

test('the dashboard on a desktop screen: charts use the page\'s width, the menu leads to each section', T, async () => {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const p = await desk.newPage();
    await signIn(p, NAME, PASSWORD);
    const res = await p.goto(`${BASE}/admin/e/${SLUG}?lang=en`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const g = await p.evaluate(() => {
      const main = document.querySelector('main');
      const cs = getComputedStyle(main);
      const inner = main.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const chart = document.querySelector('#knowledge .chart svg').getBoundingClientRect();
      const anchors = [...document.querySelectorAll('.dash-menu a')].map((a) => a.getAttribute('href'));
      const first = document.querySelector('.keyfigs').getBoundingClientRect().top;
      const sections = document.querySelector('#counts').getBoundingClientRect().top;
      return { inner, chart: chart.width, anchors, missing: anchors.filter((h) => !document.querySelector(h)), first, sections };
    });
    assert.ok(g.chart >= 0.95 * g.inner, `the knowledge chart is ${Math.round(g.chart)} px of ${Math.round(g.inner)}`);
    assert.ok(g.anchors.length >= 8, g.anchors.join(' '));
    assert.deepEqual(g.missing, []);
    assert.ok(g.first < g.sections, 'the key figures come first');
    // the menu's links move the page to their section
    await p.locator('.dash-menu a[href="#profile"]').click();
    await p.waitForFunction(() => location.hash === '#profile');
    const top = await p.evaluate(() => document.querySelector('#profile').getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 5, `#profile at ${top}`);
  } finally { await desk.close(); }
});
