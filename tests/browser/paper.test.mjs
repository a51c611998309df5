// paper.test.mjs: paper questionnaires in a real browser: the pre sheet
// printed by Chromium to A4 PDF in Arabic and French (pdftoppm to PNG,
// kept in tests/browser/screenshots; docs/screenshots/paper-pre-ar.png is
// one of them; nothing cut, as few pages as the content needs), two
// sheets typed in one browser (two participants), a pre and a post sheet
// with the same badge code (one pair), a sheet typed twice with one
// difference and resolved by a third person, source=paper in the exports,
// and a 40-item sheet typed with the keyboard only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, REPO, SHOTS, psql, launch, newContext, addAdmin, signIn, axe, formatViolations } from './lib.mjs';
import { tmpDir } from '../integration/lib.mjs';

const RUN = Date.now().toString(36);
const SLUG = `paperb-${RUN}`;
const BIG = `paperk-${RUN}`;
const tmp = tmpDir('enquete-paperb-');
const ctl = (args) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, encoding: 'utf8' });
const T = { timeout: 60000 };

const L = (fr, ar = `ع ${fr}`) => ({ fr, en: `${fr} (en)`, ar });
const opt = (value, fr, ar) => ({ value, label: L(fr, ar) });
const SCALE = [['Aucune', 'لا معرفة'], ['Limitée', 'معرفة محدودة'], ['Moyenne', 'معرفة متوسطة'], ['Bonne', 'معرفة جيدة'], ['Très bonne', 'معرفة جيدة جدا']].map(([f, a]) => L(f, a));
const KNOW = (key, fr, ar) => ({ key, type: 'likert5', analysis: 'knowledge', required: true, label: L(fr, ar), scale: SCALE });
const event = (slug, pre, post) => ({
  format: 1,
  event: { slug, title: L('Atelier national sur les normes', 'الورشة الوطنية حول المعايير'), dates: { start: '2024-03-12', end: '2024-03-13' },
    place: { city: L('Rabat', 'الرباط'), country: 'MA' }, timezone: 'Africa/Casablanca',
    languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Vos réponses sont anonymes.', 'إجاباتكم مجهولة الهوية.') },
  instruments: {
    pre: { title: L('Questionnaire avant l\'atelier', 'استبيان ما قبل الورشة'), intro: L('Cinq minutes, merci.', 'خمس دقائق، شكرا.'), sections: pre },
    post: { title: L('Questionnaire après l\'atelier', 'استبيان ما بعد الورشة'), intro: L('Merci.', 'شكرا.'), sections: post },
  },
});
const DEF = event(SLUG, [
  { id: 'profile', title: L('Votre profil', 'ملفكم'), items: [
    { key: 'org_type', type: 'single', analysis: 'profile', required: true, other: true, label: L('Type d\'organisation', 'نوع المؤسسة'),
      options: [opt('chamber', 'Chambre de commerce', 'غرفة التجارة'), opt('agency', 'Agence publique', 'وكالة عمومية'), opt('company', 'Entreprise', 'مقاولة'), opt('other', 'Autre', 'أخرى')] },
    { key: 'sectors', type: 'multi', analysis: 'descriptive', label: L('Secteurs d\'activité', 'قطاعات النشاط'),
      options: [opt('agri', 'Agriculture', 'الفلاحة'), opt('it', 'Numérique', 'الرقمي'), opt('food', 'Agroalimentaire', 'الصناعات الغذائية'), opt('textile', 'Textile', 'النسيج')] },
    { key: 'staff', type: 'number', analysis: 'descriptive', label: L('Effectif de votre organisation', 'عدد موظفي مؤسستكم') },
  ] },
  { id: 'knowledge', title: L('Vos connaissances', 'معارفكم'), items: [
    KNOW('know_iso', 'Le système ISO', 'منظومة الإيزو'), KNOW('know_tbt', 'L\'accord OTC de l\'OMC', 'اتفاق الحواجز التقنية أمام التجارة'),
    KNOW('know_conf', 'L\'évaluation de la conformité', 'تقييم المطابقة'),
    { key: 'quiz_vol', type: 'quiz', analysis: 'quiz', required: true, label: L('Une norme est en général :', 'المعيار بشكل عام:'),
      options: [opt('voluntary', 'D\'application volontaire', 'اختياري التطبيق'), opt('mandatory', 'Obligatoire', 'إلزامي'), opt('dk', 'Je ne sais pas', 'لا أعرف')], correct: 'voluntary' },
    { key: 'expect', type: 'longtext', analysis: 'comment', label: L('Qu\'attendez-vous de cet atelier ?', 'ماذا تنتظرون من هذه الورشة؟') },
  ] },
], [
  { id: 'knowledge', title: L('Vos connaissances', 'معارفكم'), items: [
    { ...KNOW('know_iso', 'Le système ISO', 'منظومة الإيزو'), retro: true },
    KNOW('know_tbt', 'L\'accord OTC de l\'OMC', 'اتفاق الحواجز التقنية أمام التجارة'),
    KNOW('know_conf', 'L\'évaluation de la conformité', 'تقييم المطابقة'),
    { key: 'quiz_vol', type: 'quiz', analysis: 'quiz', required: true, label: L('Une norme est en général :', 'المعيار بشكل عام:'),
      options: [opt('voluntary', 'D\'application volontaire', 'اختياري التطبيق'), opt('mandatory', 'Obligatoire', 'إلزامي'), opt('dk', 'Je ne sais pas', 'لا أعرف')], correct: 'voluntary' },
    { key: 'nps', type: 'rating10', analysis: 'nps', label: L('Recommanderiez-vous cet atelier ?', 'هل توصون بهذه الورشة؟'), scale: [L('Pas du tout', 'إطلاقا'), L('Tout à fait', 'بالتأكيد')] },
  ] },
]);
// 40 items: what the keyboard test types, in the order of the sheet
const BIGITEMS = [];
for (let i = 1; i <= 40; i++) {
  if (i % 4 === 1) BIGITEMS.push({ key: `q${i}`, type: 'single', analysis: 'descriptive', required: true, label: L(`Question ${i}`), options: [opt('a', 'A'), opt('b', 'B'), opt('c', 'C')] });
  else if (i % 10 === 0) BIGITEMS.push({ key: `q${i}`, type: 'rating10', analysis: 'descriptive', label: L(`Note ${i}`), scale: [L('Bas'), L('Haut')] });
  else BIGITEMS.push({ ...KNOW(`q${i}`, `Connaissance ${i}`), analysis: 'descriptive' });
}
const BIGDEF = event(BIG, [{ id: 'all', title: L('Tout'), items: BIGITEMS }],
  [{ id: 'all', title: L('Tout'), items: [{ ...KNOW('after', 'Après'), analysis: 'descriptive' }] }]);

let browser;
const ctxs = {};
const pages = {};
const user = (n) => `paperb_${n}_${RUN}`;

before(async () => {
  for (const d of [DEF, BIGDEF]) {
    const file = path.join(tmp, `${d.event.slug}.json`);
    writeFileSync(file, JSON.stringify(d));
    const r = ctl(['load', file]);
    assert.equal(r.status, 0, r.stderr);
  }
  browser = await launch();
  for (const n of ['a', 'b', 'c']) {
    addAdmin(user(n), 'password123');
    ctxs[n] = await newContext(browser, { viewport: { width: 1200, height: 900 }, isMobile: false, hasTouch: false });
    pages[n] = await ctxs[n].newPage();
    await signIn(pages[n], user(n), 'password123');
  }
});
after(async () => { await browser?.close(); });

const count = (sql, p = {}) => Number(psql(sql, { s: SLUG, ...p })[0][0]);
const responses = (inst) => count(`SELECT count(*) FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = :'s' AND r.instrument = :'i'`, { i: inst });

async function go(page, url, status = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.equal(res.status(), status, `GET ${url}`);
  return res;
}

// Fills the entry form field by field (by name) and saves; returns the
// status of the POST's final page and its URL.
async function typeSheet(page, kind, fields, slug = SLUG) {
  if (!page.url().includes(`/admin/e/${slug}/entry/${kind}`) || page.url().includes('resolve='))
    await go(page, `${BASE}/admin/e/${slug}/entry/${kind}`);
  // the sheet's language: French unless the sheet says otherwise
  if (!fields.some(([k]) => k === '_lang')) fields = [['_lang', 'fr'], ...fields];
  for (const [name, value] of fields) {
    const el = page.locator(`[name="${name}"]`);
    if (name === '_lang') await el.selectOption(value); else await el.fill(value);
  }
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('#entry-save').click(),
  ]);
  return { status: res.status(), url: page.url() };
}

test('the pre sheet prints to A4 PDF in Arabic and French: nothing cut, few pages', T, async () => {
  const page = pages.a;
  mkdirSync(SHOTS, { recursive: true });
  const pageCounts = {};
  for (const lang of ['ar', 'fr']) {
    await go(page, `${BASE}/admin/e/${SLUG}/paper/pre?lang=${lang}`);
    assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
    await page.emulateMedia({ media: 'print' });
    // A4 less the 15 mm margins is 180 mm = 680 CSS px wide
    await page.setViewportSize({ width: 680, height: 1000 });
    const overflow = await page.evaluate(() => {
      const sheet = document.querySelector('.paper-sheet').getBoundingClientRect();
      const out = [];
      for (const el of document.querySelectorAll('.paper-sheet *')) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 && b.height === 0) continue;
        if (b.left < sheet.left - 1 || b.right > sheet.right + 1) out.push(`${el.className || el.tagName} ${b.left}-${b.right}`);
      }
      return { out, tools: getComputedStyle(document.querySelector('.paper-tools')).display };
    });
    assert.deepEqual(overflow.out, [], `${lang}: every element inside the sheet`);
    assert.equal(overflow.tools, 'none', 'the admin tools do not print');
    const pdf = path.join(SHOTS, `paper-pre-${lang}.pdf`);
    writeFileSync(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1200, height: 900 });
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.equal(info.status, 0, info.stderr);
    pageCounts[lang] = Number(info.stdout.match(/^Pages:\s+(\d+)/m)[1]);
    assert.match(info.stdout, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    // every question's text reaches the paper
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    const probe = lang === 'fr' ? ['Type d\'organisation', 'Secteurs d\'activité', 'Le système ISO', 'Une norme est en général', 'attendez-vous', 'Code participant', 'N° de feuille']
      : ['قطاعات النشاط', 'النسيج', 'رمز المشارك', 'تقييم المطابقة'];
    for (const p of probe) assert.ok(text.includes(p), `${lang}: "${p}" in the PDF`);
    const png = path.join(SHOTS, `paper-pre-${lang}`);
    const conv = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, png], { encoding: 'utf8' });
    assert.equal(conv.status, 0, conv.stderr);
    assert.ok(readFileSync(`${png}.png`).length > 5000);
  }
  // eight questions, one of them long: one page
  assert.deepEqual(pageCounts, { ar: 1, fr: 1 });
  // the three knowledge items share their anchors: one grid
  assert.equal(await page.locator('.paper-matrix tbody tr').count(), 3);
  // the bundled event's pre sheet (25 questions, 10 of them on one scale,
  // a long privacy notice): three pages
  await go(page, `${BASE}/admin/e/imanor-2017/paper/pre?lang=fr`);
  const big = path.join(SHOTS, 'paper-imanor-pre-fr.pdf');
  writeFileSync(big, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
  const bigInfo = spawnSync('pdfinfo', [big], { encoding: 'utf8' }).stdout;
  assert.ok(Number(bigInfo.match(/^Pages:\s+(\d+)/m)[1]) <= 3, bigInfo);
});

test('two sheets typed in one browser are two participants', T, async () => {
  const before = responses('pre');
  const a = await typeSheet(pages.a, 'pre', [['org_type', '3'], ['sectors', '1 2'], ['know_iso', '2'], ['know_tbt', '1'], ['know_conf', '3'], ['quiz_vol', '1']]);
  assert.equal(a.status, 200);
  const codeA = await pages.a.locator('#saved-code').textContent();
  const b = await typeSheet(pages.a, 'pre', [['org_type', '2'], ['know_iso', '4'], ['know_tbt', '4'], ['know_conf', '5'], ['quiz_vol', '2'], ['_lang', 'ar']]);
  assert.equal(b.status, 200);
  const codeB = await pages.a.locator('#saved-code').textContent();
  assert.notEqual(codeA, codeB);
  assert.equal(responses('pre'), before + 2, 'the pre count rose by 2');
  const langs = psql(`SELECT p.code, r.lang, r.source FROM response r JOIN participant p ON p.id = r.participant_id
    JOIN event e ON e.id = r.event_id WHERE e.slug = :'s' AND p.code IN (:'a', :'b') ORDER BY r.lang`,
  { s: SLUG, a: codeA.replace('-', ''), b: codeB.replace('-', '') });
  assert.deepEqual(langs.map((r) => r.slice(1)), [['ar', 'paper'], ['fr', 'paper']]);
});

test('a pre and a post sheet with the same badge code are one pair', T, async () => {
  const page = pages.b;
  await go(page, `${BASE}/admin/e/${SLUG}/paper/pre?lang=fr`);
  await page.locator('#count').fill('2');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#batch-issue').click()]);
  assert.match(page.url(), /\/paper\/pre\?lang=fr&batch=\d+$/);
  const codes = await page.locator('.paper-sheet').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('.cbox')].map((c) => c.textContent).join('')));
  assert.equal(codes.length, 2);
  // reloading the printed batch issues nothing
  const issued = count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`);
  await page.reload({ waitUntil: 'load' });
  assert.equal(count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`), issued);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#other-sheets').click()]);
  const post = await page.locator('.paper-sheet').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('.cbox')].map((c) => c.textContent).join('')));
  assert.deepEqual(post, codes, 'the post sheets carry the same codes');
  const code = codes[0];
  assert.equal((await typeSheet(page, 'pre', [['_code', code], ['org_type', '1'], ['know_iso', '1'], ['know_tbt', '2'], ['know_conf', '2'], ['quiz_vol', '3']])).status, 200);
  assert.equal(await page.locator('#saved-code').textContent(), `${code.slice(0, 4)}-${code.slice(4)}`);
  assert.equal((await typeSheet(page, 'post', [['_code', code], ['know_iso', '4'], ['know_iso.retro', '1'], ['know_tbt', '5'], ['know_conf', '4'], ['quiz_vol', '1'], ['nps', '10']])).status, 200);
  const pairs = count(`SELECT count(*) FROM participant p WHERE p.code = :'c' AND p.event_id = (SELECT id FROM event WHERE slug = :'s')
    AND (SELECT count(*) FROM response r WHERE r.participant_id = p.id) = 2`, { c: code });
  assert.equal(pairs, 1, 'one participant with both sheets');
  await go(page, `${BASE}/admin/e/${SLUG}`);
  assert.equal(await page.locator('[data-k="counts.paired"]').textContent(), '1');
});

test('a sheet typed twice with one difference is listed, kept out, and resolved by a third person', T, async () => {
  const [a, b, c] = [pages.a, pages.b, pages.c];
  await go(a, `${BASE}/admin/e/${SLUG}/entry/pre`);
  await a.locator('#double-entry').selectOption('1');
  await Promise.all([a.waitForNavigation(), a.locator('#double-entry').locator('xpath=ancestor::form').locator('button').click()]);
  const before = responses('pre');
  const sheet = [['_sheet', '42'], ['org_type', '4'], ['org_type.other', 'Association'], ['know_iso', '3'], ['know_tbt', '2'], ['know_conf', '4'], ['quiz_vol', '1']];
  const e1 = await typeSheet(a, 'pre', sheet);
  assert.match(e1.url, /state=pending/);
  const e2 = await typeSheet(b, 'pre', sheet.map(([k, v]) => [k, k === 'know_tbt' ? '3' : v]));
  assert.match(e2.url, /state=differs/);
  assert.equal(responses('pre'), before, 'not in the analysis before resolution');
  await go(c, `${BASE}/admin/e/${SLUG}/entry/conflicts`);
  const row = c.locator('section.conflict[data-sheet="42"] tbody tr');
  assert.equal(await row.count(), 1, 'one difference');
  assert.equal(await row.getAttribute('data-field'), 'know_tbt');
  assert.deepEqual(await row.locator('td').allTextContents(), ['2', '3']);
  await Promise.all([c.waitForNavigation(), c.locator('section.conflict[data-sheet="42"] .resolve-link').click()]);
  assert.equal(await c.locator('[name="know_tbt"]').inputValue(), '');
  assert.equal(await c.locator('[name="know_iso"]').inputValue(), '3');
  await c.locator('[name="know_tbt"]').fill('2');
  const [res] = await Promise.all([c.waitForNavigation(), c.locator('#entry-save').click()]);
  assert.equal(res.status(), 200);
  assert.match(c.url(), /state=resolved/);
  assert.equal(responses('pre'), before + 1);
  await go(c, `${BASE}/admin/e/${SLUG}/entry/conflicts`);
  assert.equal(await c.locator('#no-conflicts').count(), 1);
  const stored = psql(`SELECT r.answers->>'know_tbt', r.answers->>'org_type.other' FROM response r JOIN paper_sheet s ON s.response_id = r.id
    WHERE s.sheet = 'N:42' AND s.event_id = (SELECT id FROM event WHERE slug = :'s')`, { s: SLUG });
  assert.deepEqual(stored, [['2', 'Association']]);
  await go(a, `${BASE}/admin/e/${SLUG}/entry/pre`);
  await a.locator('#double-entry').selectOption('0');
  await Promise.all([a.waitForNavigation(), a.locator('#double-entry').locator('xpath=ancestor::form').locator('button').click()]);
});

test('the exports say source=paper', T, async () => {
  const res = await pages.a.request.get(`${BASE}/admin/e/${SLUG}/export.csv?format=long`);
  assert.equal(res.status(), 200);
  const lines = (await res.text()).trim().split('\r\n');
  assert.ok(lines[0].endsWith(',lang,source'));
  assert.ok(lines.length > 10 && lines.slice(1).every((l) => l.endsWith(',paper')));
  const wide = await (await pages.a.request.get(`${BASE}/admin/e/${SLUG}/export.csv?format=wide`)).text();
  assert.ok(wide.split('\r\n')[0].includes('pre.source'));
  assert.ok(wide.includes(',paper'));
  await go(pages.a, `${BASE}/admin/e/${SLUG}`);
  assert.match(await pages.a.locator('[data-k="counts.paper"]').textContent(), /^\d+ \/ 1$/);
});

test('a 40-item sheet is typed with the keyboard only', T, async () => {
  const page = pages.c;
  await go(page, `${BASE}/admin/e/${BIG}/entry/pre`);
  // the cursor starts in the code box: Tab past the sheet number and the
  // language, then one value per question, Tab between them, Enter saves
  assert.equal(await page.evaluate(() => document.activeElement.name), '_code');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.name), '_lang');
  const expected = {};
  for (const it of BIGITEMS) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), it.key, 'tab order down the sheet');
    const n = Number(it.key.slice(1));
    let typed;
    if (it.type === 'single') { typed = String(1 + (n % 3)); expected[it.key] = ['a', 'b', 'c'][n % 3]; } else if (it.type === 'rating10') { typed = String(n % 11); expected[it.key] = typed; } else { typed = String(1 + (n % 5)); expected[it.key] = typed; }
    await page.keyboard.type(typed);
  }
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(res.status(), 200);
  assert.match(page.url(), /state=stored&saved=/);
  const code = (await page.locator('#saved-code').textContent()).replace('-', '');
  const [[answers]] = psql(`SELECT r.answers::text FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' AND r.event_id = (SELECT id FROM event WHERE slug = :'s')`, { c: code, s: BIG });
  assert.deepEqual(JSON.parse(answers), expected);
});

test('the paper pages pass axe (WCAG 2.1 AA), a refused sheet included', T, async () => {
  const page = pages.a;
  const urls = [`/admin/e/${SLUG}/paper/pre?lang=ar`, `/admin/e/${SLUG}/paper/post?lang=fr`,
    `/admin/e/${SLUG}/entry/post`, `/admin/e/${SLUG}/entry/conflicts`];
  for (const u of urls) {
    await go(page, `${BASE}${u}`);
    const v = await axe(page);
    assert.equal(v.length, 0, formatViolations(u, v));
  }
  const refused = await typeSheet(page, 'pre', [['org_type', '9'], ['know_iso', '7']]);
  assert.equal(refused.status, 422);
  assert.equal(await page.locator('[name="know_iso"]').getAttribute('aria-invalid'), 'true');
  const v = await axe(page);
  assert.equal(v.length, 0, formatViolations('422', v));
});
