// report.test.mjs: the donor's report (DESIGN.md "Reports for the donor")
// on a seeded copy of the bundled event: every section in fr, en and ar
// with the summary API's figures, comments merged with their count and
// language, the limitations from the data, the codebook; the Word document
// (python3-docx reads its headings and the paired table, LibreOffice
// converts it to PDF, Arabic paragraphs right to left); every chart alone
// as a standalone SVG; the dashboard's key figures, profile and menu.
// REPORT_KEEP=dir keeps the documents there.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BASE, REPO, catalog, psql, tmpDir } from './lib.mjs';
import { Client, DEF, unescapeHtml } from './client.mjs';
import { seedReport, items } from './report_seed.mjs';

const RUN = Date.now().toString(36);
const SLUG = `rep-${RUN}`;
const TINY = `rep-tiny-${RUN}`;
const ADMIN = `rep_admin_${RUN}`;
const tmp = process.env.REPORT_KEEP || tmpDir('enquete-report-');
if (!existsSync(tmp)) mkdirSync(tmp, { recursive: true });
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const CAT = Object.fromEntries(['fr', 'en', 'ar'].map((l) => [l, catalog(l)]));
// Every data-k="key">value</...> of a page, unescaped.
function cells(html) {
  const out = new Map();
  for (const m of html.matchAll(/data-k="([^"]+)">([^<]*)</g)) out.set(unescapeHtml(m[1]), unescapeHtml(m[2]));
  return out;
}
const fixed = (x, d) => (x === null || x === undefined ? '—' : (Math.abs(x) < 0.5 * 10 ** -d ? 0 : x).toFixed(d));
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);
const fill = (pattern, vars) => pattern.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
const label = (it, lang) => it.label[lang];
const N = 48;
let admin, sum;

before(async () => {
  seedReport(SLUG, N, 5, tmp);
  seedReport(TINY, 3, 9, tmp);
  must(ctl(['event', 'attendance', SLUG, '50']), 'attendance');
  must(ctl(['user', 'add', ADMIN, '--role', 'admin'], 'password123\n'), 'user add');
  admin = new Client();
  assert.equal((await admin.login(ADMIN, 'password123')).status, 303);
  sum = JSON.parse((await admin.get(`/api/v1/events/${SLUG}/summary`)).text);
  assert.ok(sum.counts.paired > 30);
});

test('the report has every section, in fr, en and ar, with the summary\'s figures', async () => {
  for (const lang of ['fr', 'en', 'ar']) {
    const t = CAT[lang];
    const page = await admin.get(`/admin/e/${SLUG}/report?lang=${lang}`);
    assert.equal(page.status, 200, lang);
    const c = cells(page.text), body = text(page.text);
    if (lang === 'ar') assert.match(page.text, /<html lang="ar" dir="rtl">/);
    // the sections, in order
    const ids = ['cover', 'exec', 'method', 'participants', 'objectives', 'quiz', 'evaluation', 'ranking', 'collaboration', 'comments', 'limits', 'annex'];
    let last = -1;
    for (const id of ids) {
      const at = page.text.indexOf(`id="${id}"`);
      assert.ok(at > last, `${lang}: section ${id} in order`);
      last = at;
    }
    for (const key of ['report_exec_title', 'dash_method_title', 'report_participants_title', 'report_objectives_title',
      'report_limits_title', 'report_annex_title'])
      assert.ok(body.includes(t[key]), `${lang}: ${key}`);
    // cover
    assert.equal(c.get('cover.host'), DEF.event.host[lang]);
    assert.equal(c.get('cover.dates'), `${DEF.event.dates.start} – ${DEF.event.dates.end}`);
    assert.match(c.get('cover.generated_at'), /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const [[asOf]] = psql(`SELECT to_char(max(submitted_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' FROM response
      WHERE event_id = (SELECT id FROM event WHERE slug = :'slug')`, { slug: SLUG });
    assert.equal(c.get('cover.data_as_of'), asOf);
    // executive summary: counts and rates, the knowledge sentence, quiz, agree, NPS, actions
    const participants = sum.counts.pre + sum.counts.post - sum.counts.paired;
    assert.equal(c.get('kf.participants'), String(participants));
    assert.equal(c.get('kf.paired'), String(sum.counts.paired));
    assert.equal(c.get('kf.rate'), pct(sum.counts.pre / 50));
    assert.ok(body.includes(fill(t.report_exec_participation, { participants, pre: sum.counts.pre, post: sum.counts.post,
      paired: sum.counts.paired, retention: pct(sum.counts.paired / sum.counts.pre) })), `${lang}: participation`);
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const kpre = mean(sum.paired.map((p) => p.pre_mean)), kpost = mean(sum.paired.map((p) => p.post_mean));
    const diff = kpost - kpre;
    const sig = sum.paired.filter((p) => p.p_holm !== null && p.p_holm < 0.05 && p.post_mean > p.pre_mean).length;
    assert.equal(c.get('exec.knowledge'), fill(t.report_exec_knowledge, { items: sum.paired.length,
      pairs: Math.max(...sum.paired.map((p) => p.n)), pre: fixed(kpre, 2), post: fixed(kpost, 2),
      diff: (diff > 0 ? '+' : '') + fixed(diff, 2), significant: sig }), lang);
    assert.ok(c.get('exec.quiz').includes(fixed(sum.quiz.normalized_gain, 2)), lang);
    for (const e of sum.evaluation) assert.equal(c.get(`exec.${e.item}.agree`), pct(e.agree.share), e.item);
    assert.ok(c.get('exec.nps').includes(fixed(sum.nps.score, 1)));
    const rank = sum.ranking[0], rit = items(DEF, 'post').find((x) => x.key === rank.item);
    for (let k = 0; k < 3; k++)
      assert.equal(c.get(`exec.action.${k + 1}`), rit.options.find((o) => o.value === rank.options[k].option).label[lang]);
    // method: pairing, tests and why, suppression rule
    for (const key of ['report_method_pairing', 'report_method_why', 'dash_method_suppression'])
      assert.ok(body.includes(t[key]), `${lang}: ${key}`);
    // participants: every profile and descriptive item, counts as the API's
    const profile = items(DEF, 'pre').filter((x) => ['profile', 'descriptive'].includes(x.analysis) && ['single', 'multi'].includes(x.type));
    assert.ok(profile.length >= 5);
    for (const it of profile) {
      const si = sum.items.find((x) => x.item === it.key && x.instrument === 'pre');
      assert.ok(page.text.includes(`id="ch-profile-${it.key.replaceAll('_', '-')}-title"`), `${lang}: chart of ${it.key}`);
      for (const o of it.options)
        assert.equal(c.get(`profile.${it.key}.${o.value}`), String(si.distribution[o.value] ?? 0), `${it.key}.${o.value}`);
    }
    // results per objective: every knowledge item once, with its change
    for (const p of sum.paired) {
      assert.equal(c.get(`${p.item}.n`), String(p.n));
      assert.equal(c.get(`${p.item}.mean_diff`), (p.mean_diff > 0 && fixed(p.mean_diff, 2) !== '0.00' ? '+' : '') + fixed(p.mean_diff, 2));
    }
    // evaluation: % agree with its interval beside the mean
    for (const e of sum.evaluation) {
      assert.equal(c.get(`${e.item}.agree_pct`), pct(e.agree.share));
      assert.equal(c.get(`${e.item}.mean`), fixed(e.mean, 2));
    }
    // limitations from the data: small n is not one here (n >= 30); attrition and unpaired are
    const attr = sum.counts.pre - sum.counts.paired, unp = sum.counts.post - sum.counts.paired;
    assert.equal(c.get('limit.attrition'), fill(t.report_limit_attrition, { a: attr, b: sum.counts.pre, pct: pct(attr / sum.counts.pre) }));
    assert.equal(c.get('limit.unpaired'), fill(t.report_limit_unpaired, { a: unp, b: sum.counts.post, pct: pct(unp / sum.counts.post) }));
    assert.equal(c.get('limit.self_report'), t.report_limit_self_report);
    assert.equal(c.get('limit.same_quiz'), fill(t.report_limit_same_quiz, { a: sum.quiz.items.length }));
    assert.equal(c.get('limit.small_n'), undefined);
    // annex: one codebook row per item that is not personal data
    const n = ['pre', 'post'].reduce((a, k) => a + items(DEF, k).filter((x) => !x.personal).length, 0);
    const annex = page.text.slice(page.text.indexOf('id="annex"'));
    assert.equal((annex.match(/<tr><td>(pre|post)<\/td>/g) || []).length, n);
    // consented contacts are the dashboard's (admins), never the report's
    assert.ok(!page.text.includes('@example.org'), `${lang}: a contact in the report`);
    // nothing is formatted as NaN, no inline style
    assert.ok(!/\bNaN\b|\bInfinity\b/.test(page.text));
    assert.ok(!/ style=/.test(page.text));
  }
});

test('results by sex: each group the summary shows, with its own figures; a group it restricts shows none; in the Word document too', async () => {
  const page = await admin.get(`/admin/e/${SLUG}/report?lang=en`);
  const c = cells(page.text);
  assert.match(page.text, /id="by-sex"/);
  let shown = 0;
  for (const sex of ['female', 'male', 'undisclosed']) {
    const g = JSON.parse((await admin.get(`/api/v1/events/${SLUG}/summary?sex=${sex}`)).text);
    if (g.restricted) {
      assert.ok(c.has(`sex.${sex}.hidden`), `${sex}: hidden`);
      assert.ok(!c.has(`sex.${sex}.paired`), `${sex}: no figure`);
    } else {
      shown++;
      assert.equal(c.get(`sex.${sex}.paired`), String(g.counts.paired), sex);
      assert.equal(c.get(`sex.${sex}.nps`), g.nps ? g.nps.score.toFixed(2) : '\u2014', `${sex} nps`);
    }
  }
  assert.ok(shown >= 1, 'at least one group shown');
  // a filtered report and a tiny event have no such table
  assert.doesNotMatch((await admin.get(`/admin/e/${SLUG}/report?lang=en&sex=female`)).text, /id="by-sex"/);
  assert.doesNotMatch((await admin.get(`/admin/e/${TINY}/report?lang=en`)).text, /id="by-sex"/);
  // the Word document carries the same table
  const docx = await admin.get(`/admin/e/${SLUG}/report.docx?lang=en`);
  assert.equal(docx.status, 200);
  const file = path.join(tmp, 'by-sex.docx');
  writeFileSync(file, docx.raw);
  const py = spawnSync('/usr/bin/python3', ['-c', `import docx,sys
d = docx.Document(sys.argv[1])
print(any(t.rows[0].cells[0].text == sys.argv[2] and t.rows[0].cells[6].text == 'NPS' for t in d.tables))`, file, CAT.en.report_by_sex_group], { encoding: 'utf8' });
  assert.equal(py.stdout.trim(), 'True', py.stderr);
});

test('comments: grouped per question, exact duplicates once with their count and language, capped, escaped', async () => {
  const page = await admin.get(`/admin/e/${SLUG}/report?lang=en`);
  const t = CAT.en;
  const sec = page.text.slice(page.text.indexOf('id="comments"'), page.text.indexOf('id="limits"'));
  const dup = Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 === 0 && i % 8 !== 3).length;
  assert.ok(dup >= 2);
  // once, with its count and language
  assert.equal((sec.match(/>Très utile</g) || []).length, 1);
  assert.match(sec, new RegExp(`lang="fr">Très utile</p><small>${t.report_lang_fr} · <span class="count">×${dup}</span>`));
  assert.match(sec, new RegExp(`lang="ar">مفيد جدا</p><small>${t.report_lang_ar}`));
  assert.ok(sec.includes(fill(t.report_comments_cap, { cap: 40 })));
  assert.ok(sec.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(!page.text.includes('<script>alert'));
  // the question's total counts every answer
  const [[total]] = psql(`SELECT count(*) FROM comment WHERE event_id = (SELECT id FROM event WHERE slug = :'slug') AND item = 'comments'`, { slug: SLUG });
  assert.ok(sec.includes(`(${total} ${t.report_comments_total})`), `total ${total}`);
  // under 5 participants: no free text at all; filtered: none either
  const tiny = await admin.get(`/admin/e/${TINY}/report?lang=en`);
  assert.equal(tiny.status, 200);
  assert.equal(cells(tiny.text).get('comments.small'), t.dash_comments_small);
  assert.ok(!tiny.text.includes('class="report-comments"'));
  const orgs = items(DEF, 'pre').find((x) => x.key === 'org_type').options.map((o) => o.value);
  const big = orgs.map((o) => [o, sum.items.find((x) => x.item === 'org_type' && x.instrument === 'pre').distribution[o] || 0])
    .sort((a, b) => b[1] - a[1])[0][0];
  const filtered = await admin.get(`/admin/e/${SLUG}/report?lang=en&org_type=${big}`);
  assert.equal(filtered.status, 200);
  assert.ok(!filtered.text.includes('class="report-comments"'));
  assert.equal(cells(filtered.text).get('limit.filtered'), t.report_limit_filtered);
});

test('every chart of the report alone, as a standalone SVG; an unknown one is 404', async () => {
  const page = await admin.get(`/admin/e/${SLUG}/report?lang=ar`);
  const links = [...page.text.matchAll(/<a href="(\/admin\/e\/[^"]+\/chart\/([a-z0-9-]+)\.svg)" data-chart/g)];
  const svgs = (page.text.match(/<svg /g) || []).length;
  assert.equal(links.length, svgs, 'one link per chart of the page');
  assert.ok(links.some((m) => m[2] === 'likert') && links.some((m) => m[2] === 'profile-org-type'));
  for (const [, href, name] of links) {
    const r = await admin.get(`${href}?lang=ar`);
    assert.equal(r.status, 200, name);
    assert.match(r.headers['content-type'], /^image\/svg\+xml/);
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(r.text, /viewBox="0 0 [\d.]+ [\d.]+" width="[\d.]+" height="[\d.]+"/);
    assert.ok(!/ style=|<style/.test(r.text), name);
    assert.match(r.text, /direction="rtl"/);
    const f = path.join(tmp, `${name}.svg`);
    writeFileSync(f, r.raw);
    const lint = spawnSync('xmllint', ['--noout', f], { encoding: 'utf8' });
    assert.equal(lint.status, 0, `${name}: ${lint.stderr}`);
  }
  assert.equal((await admin.get(`/admin/e/${SLUG}/chart/no-such-chart.svg`)).status, 404);
  assert.equal((await admin.get(`/admin/e/${SLUG}/chart/Likert.svg`)).status, 404);
  assert.equal((await admin.get(`/admin/e/no-such-event-${RUN}/chart/likert.svg`)).status, 404);
  assert.equal((await new Client().get(`/admin/e/${SLUG}/chart/likert.svg`)).status, 303);
});

// python3-docx from Debian (scripts/deps): /usr/bin/python3, not a
// virtualenv's
const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const DOCX_PY = `
import json, sys, docx
d = docx.Document(sys.argv[1])
heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith('Heading')]
tables = [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]
print(json.dumps({'heads': heads, 'tables': tables, 'images': len(d.inline_shapes)}))
`;

test('report.docx: Word headings, the paired table, charts as images, right to left in Arabic, LibreOffice converts it', async () => {
  for (const lang of ['en', 'ar']) {
    const t = CAT[lang];
    // fetch: every chart is drawn, which takes longer than the client's 15 s
    // on a loaded machine
    const r = await fetch(`${BASE}/admin/e/${SLUG}/report.docx?lang=${lang}`, { headers: { Cookie: admin.cookieHeader() } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.match(r.headers.get('content-disposition'), new RegExp(`attachment; filename="${SLUG}-report-${lang}.docx"`));
    const file = path.join(tmp, `report-${lang}.docx`);
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const py = spawnSync(PY, ['-c', DOCX_PY, file], { encoding: 'utf8', timeout: 60000 });
    assert.equal(py.status, 0, `python3-docx (scripts/deps): ${py.stderr}`);
    const d = JSON.parse(py.stdout);
    const h1 = d.heads.filter(([s]) => s === 'Heading 1').map(([, x]) => x);
    for (const key of ['report_exec_title', 'dash_method_title', 'report_participants_title', 'report_objectives_title',
      'dash_quiz_title', 'dash_eval_title', 'dash_ranking_title', 'comments', 'report_limits_title', 'report_annex_title'])
      assert.ok(h1.includes(t[key]), `${lang}: Heading 1 ${key} in ${JSON.stringify(h1)}`);
    assert.ok(d.heads.some(([s]) => s === 'Heading 2'));
    // the paired table: one row per knowledge item, with its figures
    const paired = d.tables.filter((tb) => tb[0][1] === t.dash_col_n_pairs && tb[0][4] === t.dash_col_change);
    const rows = paired.flatMap((tb) => tb.slice(1));
    assert.equal(rows.length, sum.paired.length);
    for (const p of sum.paired) {
      const it = items(DEF, 'post').find((x) => x.key === p.item);
      const row = rows.find((x) => x[0] === label(it, lang));
      assert.ok(row, `${lang}: row of ${p.item}`);
      assert.equal(row[1], String(p.n));
      assert.equal(row[2], fixed(p.pre_mean, 2));
      assert.equal(row[3], fixed(p.post_mean, 2));
    }
    // charts as images: one per chart of the page
    const page = await admin.get(`/admin/e/${SLUG}/report?lang=${lang}`);
    assert.equal(d.images, (page.text.match(/<svg /g) || []).length);
    // right to left in Arabic only
    const xml = spawnSync(PY, ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode())', file],
      { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    assert.ok(xml.length > 1000, 'python3 reads the document');
    assert.ok(!xml.includes('@example.org'), `${lang}: a contact in the document`);
    if (lang === 'ar') {
      assert.match(xml, /<w:bidi\/>/);
      assert.match(xml, /<w:rtl\/>/);
      assert.match(xml, /<w:bidiVisual\/>/);
    } else {
      // left to right, but for the Arabic comments' own paragraphs
      assert.ok(!/<w:bidiVisual\/>/.test(xml));
      assert.ok(!/<w:sectPr>.*<w:bidi\/>.*<\/w:sectPr>/.test(xml));
    }
    // LibreOffice converts it (a temporary profile, bounded in time)
    const prof = tmpDir('enquete-lo-');
    const lo = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${prof}`, '--convert-to', 'pdf', '--outdir', tmp, file],
      { encoding: 'utf8', timeout: 180000 });
    assert.ok(!lo.error, `soffice (scripts/deps: libreoffice-writer-nogui): ${lo.error}`);
    const pdf = file.replace(/\.docx$/, '.pdf');
    assert.ok(existsSync(pdf), `no PDF: ${lo.stdout} ${lo.stderr}`);
    const txt = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout;
    // the annex's codebook reached the last pages: its type names read the
    // same in every language (Arabic words come out of pdftotext reshaped)
    for (const type of ['likert5', 'rating10', 'longtext', 'quiz', 'rank'])
      assert.match(txt, new RegExp(`\\b${type}\\b`), `${lang}: the PDF's codebook has ${type}`);
    const pages = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout.match(/Pages:\s+(\d+)/);
    assert.ok(pages && Number(pages[1]) >= 10, `${lang}: ${pages && pages[1]} pages`);
    if (lang === 'en') assert.ok(txt.includes(t.report_annex_title));
  }
});

test('the dashboard starts with the key figures, shows the participants\' profile and has a section menu', async () => {
  const page = await admin.get(`/admin/e/${SLUG}?lang=fr`);
  assert.equal(page.status, 200);
  const c = cells(page.text);
  assert.equal(c.get('kf.participants'), String(sum.counts.pre + sum.counts.post - sum.counts.paired));
  assert.equal(c.get('kf.paired'), String(sum.counts.paired));
  assert.equal(c.get('kf.nps'), fixed(sum.nps.score, 1));
  // the key figures come before any section
  assert.ok(page.text.indexOf('data-k="kf.participants"') < page.text.indexOf('id="counts"'));
  // the profile: every profile item's chart and counts
  const si = sum.items.find((x) => x.item === 'org_type' && x.instrument === 'pre');
  for (const [v, n] of Object.entries(si.distribution)) assert.equal(c.get(`profile.org_type.${v}`), String(n));
  assert.ok(page.text.includes('id="ch-profile-org-type-title"'));
  // the menu: every anchor leads to a section of the page
  const menu = page.text.slice(page.text.indexOf('class="dash-menu'), page.text.indexOf('</nav>', page.text.indexOf('class="dash-menu')));
  const anchors = [...menu.matchAll(/href="#([a-z-]+)"/g)].map((m) => m[1]);
  for (const a of ['counts', 'profile', 'knowledge', 'quiz', 'evaluation', 'ranking', 'comments']) assert.ok(anchors.includes(a), a);
  for (const a of anchors) assert.ok(page.text.includes(`id="${a}"`), `#${a}`);
});
