// export.test.mjs: the exports read back field by field (our parser,
// Python's csv module, R's read.csv) against what was submitted, Arabic,
// accents, commas, quotes and newlines included; excel=1; the CLI's bytes
// equal the HTTP bytes; personal data never exported; numbers as JSON
// numbers; each response's lang and source; the codebook row by row
// against the csv-wide columns; the dashboard links the Excel variants first.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql, tmpDir } from './lib.mjs';
import { Client, hidden } from './client.mjs';
import { parseCsv } from './csv.mjs';

const RUN = Date.now().toString(36);
const SLUG = `export-${RUN}`;
const USER = `export_${RUN}`;
const tmp = tmpDir('enquete-export-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { cwd: REPO, input, maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };

const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
const opt = (value, fr) => ({ value, label: L(fr) });
const DEF = {
  format: 1,
  event: { slug: SLUG, title: L('Export'), dates: { start: '2024-03-12', end: '2024-03-13' },
    place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
    languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
  instruments: {
    pre: { title: L('Avant'), intro: L('I'), sections: [{ id: 's', title: L('S'), items: [
      { key: 'org_type', type: 'single', analysis: 'profile', label: L('Org'), other: true, options: [opt('chamber', 'Chambre'), opt('other', 'Autre')] },
      { key: 'sectors', type: 'multi', analysis: 'descriptive', label: L('Secteurs'), options: [opt('agri', 'Agri'), opt('it', 'IT')] },
      { key: 'know_iso', type: 'likert5', analysis: 'knowledge', label: L('ISO'), scale: ['a', 'b', 'c', 'd', 'e'].map(L) },
      { key: 'expect', type: 'longtext', analysis: 'comment', label: L('Attentes, "tout"') },
      { key: 'staff', type: 'number', analysis: 'descriptive', label: L('Effectif') },
      { key: 'q_std', type: 'quiz', analysis: 'quiz', label: L('Norme'), options: [opt('voluntary', 'Volontaire'), opt('mandatory', 'Obligatoire')], correct: 'voluntary' },
      { key: 'note', type: 'text', analysis: 'comment', label: L('=Note') },
    ] }] },
    post: { title: L('Après'), intro: L('I'), sections: [{ id: 's', title: L('S'), items: [
      { key: 'know_iso', type: 'likert5', analysis: 'knowledge', retro: true, label: L('ISO'), scale: ['a', 'b', 'c', 'd', 'e'].map(L) },
      { key: 'priority', type: 'rank', analysis: 'ranking', top: 3, label: L('Prio'), options: [opt('desk', 'Guichet'), opt('guides', 'Guides'), opt('web', 'Site')] },
      { key: 'q_std', type: 'quiz', analysis: 'quiz', label: L('Norme'), options: [opt('voluntary', 'Volontaire'), opt('mandatory', 'Obligatoire')], correct: 'voluntary' },
      { key: 'recommend', type: 'rating10', analysis: 'descriptive', label: L('Recommander'), scale: [L('Jamais'), L('Certainement')] },
      { key: 'consent', type: 'single', analysis: 'collaboration', consent: true, label: L('Contact'), options: [opt('yes', 'Oui'), opt('no', 'Non')] },
      { key: 'email', type: 'text', analysis: 'contact', personal: true, requires: 'consent', label: L('Courriel') },
      { key: 'comments', type: 'longtext', analysis: 'comment', label: L('Commentaires') },
    ] }] },
  },
};

const TEXTS = ['=SUM(A1:A9)', 'Café, "très" bien\r\nligne 2', 'مرحبا بكم، شكرا\nسطر', '-1 @home +2', 'plain'];
// formulas behind a leading TAB, CR or LF (excel=1 neutralises them too)
const NOTES = ['\t=1+2', '\r=HYPERLINK("http://x")', '\n+A1', 'a\t=1', '@SUM(1)'];
const STAFF = ['12', '2,5', '0', '-3', '1.25'];
const LANGS = { pre: ['fr', 'en', 'ar', 'en', 'fr'], post: ['ar', 'fr', 'en', 'ar', 'en'] };
// participant i: pre then post, every tricky text somewhere
const subs = [];
for (let i = 0; i < 5; i++) {
  const code = `E${RUN.slice(-3).toUpperCase().replace(/[ILOU]/g, '0')}${String(i).padStart(4, '0')}`;
  const pre = { org_type: i % 2 ? 'other' : 'chamber', sectors: i % 3 ? ['agri', 'it'] : ['it'], know_iso: String(1 + i), expect: TEXTS[i],
    staff: STAFF[i], q_std: i % 2 ? 'mandatory' : 'voluntary', note: NOTES[i] };
  if (pre.org_type === 'other') pre['org_type.other'] = TEXTS[(i + 1) % 5];
  const post = { know_iso: String(5 - i), 'know_iso.retro': String(1 + (i % 2)), 'priority.1': 'guides', 'priority.2': 'desk',
    'priority.3': 'web', recommend: String(2 * i), q_std: 'voluntary', consent: 'yes', comments: TEXTS[(i + 2) % 5] };
  // the last participant's post sheet was typed in from paper
  subs.push({ code, pre, post, lang: { pre: LANGS.pre[i], post: LANGS.post[i] },
    source: { pre: 'web', post: i === 4 ? 'paper' : 'web' } });
}
const rowsOf = (answers) => Object.entries(answers).flatMap(([k, v]) => {
  const m = k.match(/^(.*)\.(\d+)$/);
  if (m) return [{ item: m[1], value: v, rank: Number(m[2]) }];
  const num = NUMERIC.has(k) ? Number(v.replace(',', '.')) : null;
  return [].concat(v).map((x) => ({ item: k, value: x, num }));
});

const shown = (code) => `${code.slice(0, 4)}-${code.slice(4)}`;

// expected csv-long rows (item names as exported): participant,
// instrument, item, value, lang, source
function expectedLong() {
  const out = [];
  for (const s of subs) for (const inst of ['pre', 'post'])
    for (const [k, v] of Object.entries(s[inst])) for (const x of [].concat(v))
      out.push([shown(s.code), inst, k, x, s.lang[inst], s.source[inst]]);
  return out.map((r) => r.join('\u0000')).sort();
}

// what export.json gives for answers sent as strings: numbers for the
// likert5, rating10 and number items (and .retro), arrays for multi
const NUMERIC = new Set(['know_iso', 'know_iso.retro', 'staff', 'recommend']);
const typed = (answers) => Object.fromEntries(Object.entries(answers).map(([k, v]) =>
  [k, NUMERIC.has(k) ? Number(v.replace(',', '.')) : v]));


let client;
before(async () => {
  const file = path.join(tmp, 'def.json');
  writeFileSync(file, JSON.stringify(DEF));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', SLUG, 'pre']), 'open');
  must(ctl(['event', 'open', SLUG, 'post']), 'open');
  for (const s of subs) for (const [inst, link] of [['pre', 'new'], ['post', 'code']]) {
    const [[outcome]] = psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'slug'), :'inst',
      (SELECT definition_id FROM event WHERE slug = :'slug'), (:'slug' || :'code' || :'inst')::bytea, :'link', :'code', :'code', :'lang',
      :'answers'::jsonb || '{"email": "secret@example.org"}', :'rows'::jsonb, '{"email": "secret@example.org"}')`,
    { slug: SLUG, inst, link, code: s.code, lang: s.lang[inst], answers: JSON.stringify(s[inst]), rows: JSON.stringify(rowsOf(s[inst])) });
    assert.equal(outcome, 'stored');
    if (s.source[inst] !== 'web')
      psql(`UPDATE response SET source = :'source' WHERE instrument = :'inst' AND participant_id =
        (SELECT id FROM participant WHERE code = :'code' AND event_id = (SELECT id FROM event WHERE slug = :'slug'))`,
      { slug: SLUG, inst, code: s.code, source: s.source[inst] });
  }
  must(ctl(['user', 'add', USER], 'password123\n'), 'user add');
  client = new Client();
  const res = await client.login(USER, 'password123');
  assert.equal(res.status, 303);
});

async function httpExport(p) {
  const res = await client.get(`/admin/e/${SLUG}/${p}`);
  assert.equal(res.status, 200, res.text.slice(0, 300));
  return res;
}
const bodyOf = (res) => res.raw;

test('csv-long: CLI bytes equal HTTP bytes, and every field reads back exactly', async () => {
  const res = await httpExport('export.csv?format=long');
  assert.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(res.headers['content-disposition'], /attachment; filename=".*\.csv"/);
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export');
  assert.ok(cli.equals(bodyOf(res)), 'same bytes');
  const text = cli.toString('utf8');
  assert.ok(!text.includes('secret@example.org'));
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], ['participant', 'instrument', 'submitted_at', 'item', 'value', 'lang', 'source']);
  for (const r of rows.slice(1)) assert.match(r[2], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const got = rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6]].join('\u0000')).sort();
  assert.deepEqual(got, expectedLong());
  assert.ok(rows.some((r) => r[6] === 'paper') && rows.some((r) => r[5] === 'ar'));
  writeFileSync(path.join(tmp, 'long.csv'), cli);
  writeFileSync(path.join(tmp, 'expected.json'), JSON.stringify(expectedLong().map((r) => r.split('\u0000'))));
  // Python's csv module and R's read.csv read the same fields, the
  // appended lang and source included
  const py = spawnSync('python3', ['-c', `
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0] == ['participant', 'instrument', 'submitted_at', 'item', 'value', 'lang', 'source'], rows[0]
got = sorted('\\0'.join([r[0], r[1], r[3], r[4], r[5], r[6]]) for r in rows[1:])
want = sorted('\\0'.join(r) for r in json.load(open(sys.argv[2], encoding='utf-8')))
sys.exit(0 if got == want else 1)`, path.join(tmp, 'long.csv'), path.join(tmp, 'expected.json')], { encoding: 'utf8' });
  if (py.error === undefined) assert.equal(py.status, 0, py.stderr);
  // expected fields written by an independent writer: every field quoted
  const q = (f) => `"${f.replace(/"/g, '""')}"`;
  writeFileSync(path.join(tmp, 'expected.csv'), 'participant,instrument,item,value,lang,source\r\n' +
    expectedLong().map((r) => r.split('\u0000').map(q).join(',') + '\r\n').join(''));
  const r = spawnSync('Rscript', ['-e', `
a <- commandArgs(TRUE)
x <- read.csv(a[1], colClasses = "character", na.strings = character(0), encoding = "UTF-8")
e <- read.csv(a[2], colClasses = "character", na.strings = character(0), encoding = "UTF-8")
key <- function(d) sort(paste(d$participant, d$instrument, d$item, d$value, d$lang, d$source, sep = "\x01"))
quit(status = if (identical(names(x), c("participant", "instrument", "submitted_at", "item", "value", "lang", "source")) &&
  nrow(x) == nrow(e) && identical(key(x), key(e)) && all(x$source %in% c("web", "paper")) &&
  any(x$value == "=SUM(A1:A9)") && any(grepl("\r\nligne 2", x$value, fixed = TRUE))) 0 else 1)`,
  path.join(tmp, 'long.csv'), path.join(tmp, 'expected.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('csv-wide: one row per participant, multi joined by |, ranks as columns, lang and source per instrument', async () => {
  const res = await httpExport('export.csv?format=wide');
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'csv-wide']), 'export');
  assert.ok(cli.equals(bodyOf(res)), 'same bytes');
  const rows = parseCsv(cli.toString('utf8'));
  const h = rows[0];
  assert.equal(h[0], 'participant');
  for (const c of ['pre.org_type', 'pre.org_type.other', 'pre.sectors', 'post.know_iso.retro', 'post.priority.1', 'post.priority.2',
    'post.priority.3', 'post.comments'])
    assert.ok(h.includes(c), c);
  assert.ok(!h.some((c) => c.includes('email')));
  // appended after the item columns, which keep their places
  assert.deepEqual(h.slice(-4), ['pre.lang', 'pre.source', 'post.lang', 'post.source']);
  assert.equal(rows.length, 1 + subs.length);
  for (const s of subs) {
    const row = rows.find((r) => r[0] === shown(s.code));
    const cell = (c) => row[h.indexOf(c)];
    assert.equal(cell('pre.sectors'), s.pre.sectors.slice().sort().join('|'));
    assert.equal(cell('pre.expect'), s.pre.expect);
    assert.equal(cell('post.comments'), s.post.comments);
    assert.equal(cell('post.priority.1'), 'guides');
    assert.equal(cell('post.priority.3'), 'web');
    for (const inst of ['pre', 'post']) {
      assert.equal(cell(`${inst}.lang`), s.lang[inst]);
      assert.equal(cell(`${inst}.source`), s.source[inst]);
    }
  }
});

// a cell a spreadsheet would run: = + - @, or TAB, CR, LF before a formula
const RISKY = /^[=+\-@\t\r\n]/;

test('excel=1: BOM and = + - @ TAB CR LF neutralised; the default keeps exact values', async () => {
  const res = await httpExport('export.csv?format=long&excel=1');
  const b = bodyOf(res);
  assert.deepEqual([...b.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(b.subarray(3).toString('utf8'));
  const values = rows.slice(1).map((r) => r[4]);
  assert.ok(values.includes("'=SUM(A1:A9)") && values.includes("'-1 @home +2"));
  for (const n of NOTES) assert.ok(values.includes(RISKY.test(n) ? `'${n}` : n), JSON.stringify(n));
  assert.ok(!values.some((v) => RISKY.test(v)));
  const wide = parseCsv((await httpExport('export.csv?format=wide&excel=1')).raw.subarray(3).toString('utf8'));
  assert.ok(!wide.flat().some((v) => RISKY.test(v)));
  assert.ok(wide.flat().includes("'\t=1+2"));
  const plain = must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export');
  assert.notEqual(plain[0], 0xef);
  const exact = parseCsv(plain.toString('utf8')).slice(1).map((r) => r[4]);
  for (const n of NOTES) assert.ok(exact.includes(n), JSON.stringify(n));
});

test('export.json: numbers as numbers, multi as arrays, lang and source per response', async () => {
  const res = await httpExport('export.json');
  assert.match(res.headers['content-type'], /^application\/json/);
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'json']), 'export');
  assert.ok(cli.equals(bodyOf(res)), 'same bytes');
  const j = JSON.parse(cli.toString('utf8'));
  assert.equal(j.event, SLUG);
  assert.equal(j.responses.length, 2 * subs.length);
  for (const s of subs) for (const inst of ['pre', 'post']) {
    const r = j.responses.find((x) => x.participant === shown(s.code) && x.instrument === inst);
    assert.deepEqual(r.answers, typed(s[inst]));
    assert.match(r.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(r.lang, s.lang[inst]);
    assert.equal(r.source, s.source[inst]);
  }
  const r0 = j.responses.find((x) => x.instrument === 'pre');
  assert.equal(typeof r0.answers.know_iso, 'number');
  assert.equal(typeof r0.answers.q_std, 'string'); // quiz: an option value
  assert.ok(Array.isArray(r0.answers.sectors));
  assert.ok(j.responses.some((x) => x.answers.staff === 2.5));
  assert.ok(!cli.toString('utf8').includes('secret@example.org'));
});

test('codebook.csv: one row per csv-wide column, options in every language, excel=1', async () => {
  const text = (await httpExport('codebook.csv')).text;
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'codebook']), 'export');
  assert.equal(cli.toString('utf8'), text);
  const cb = parseCsv(text);
  assert.deepEqual(cb[0], ['item', 'instrument', 'type', 'label_fr', 'label_en', 'label_ar', 'options', 'correct',
    'options_fr', 'options_en', 'options_ar']);
  const wide = parseCsv((await httpExport('export.csv?format=wide')).text)[0];
  assert.deepEqual(cb.slice(1).map((r) => `${r[1]}.${r[0]}`), wide.slice(1));
  const row = (item, inst) => cb.find((r) => r[0] === item && r[1] === inst);
  assert.deepEqual(row('org_type', 'pre'), ['org_type', 'pre', 'single', 'Org', 'Org (en)', 'ع Org', 'chamber=Chambre|other=Autre', '',
    'chamber=Chambre|other=Autre', 'chamber=Chambre (en)|other=Autre (en)', 'chamber=ع Chambre|other=ع Autre']);
  assert.deepEqual(row('org_type.other', 'pre').slice(0, 3), ['org_type.other', 'pre', 'text']);
  assert.equal(row('expect', 'pre')[3], 'Attentes, "tout"');
  assert.deepEqual(row('q_std', 'pre').slice(6, 8), ['voluntary=Volontaire|mandatory=Obligatoire', 'voluntary']);
  for (const r of [1, 2, 3])
    assert.deepEqual(row(`priority.${r}`, 'post'), [`priority.${r}`, 'post', 'rank', 'Prio', 'Prio (en)', 'ع Prio',
      'desk=Guichet|guides=Guides|web=Site', '', 'desk=Guichet|guides=Guides|web=Site',
      'desk=Guichet (en)|guides=Guides (en)|web=Site (en)', 'desk=ع Guichet|guides=ع Guides|web=ع Site']);
  assert.ok(!row('priority', 'post'));
  assert.deepEqual(row('know_iso.retro', 'post').slice(2, 3), ['likert5']);
  assert.equal(row('know_iso', 'post')[9], '1=a (en)|2=b (en)|3=c (en)|4=d (en)|5=e (en)');
  assert.equal(row('recommend', 'post')[10], '0=ع Jamais|10=ع Certainement');
  const lang = row('lang', 'pre'), source = row('source', 'post');
  assert.equal(lang[2], 'single');
  assert.equal(lang[6], 'fr=français|en=anglais|ar=arabe');
  assert.equal(lang[9], 'fr=French|en=English|ar=Arabic');
  assert.ok(lang[3] && lang[4] && lang[5]);
  assert.equal(source[6].split('|').map((o) => o.split('=')[0]).join(','), 'web,paper');
  assert.ok(source[10].startsWith('web='));
  assert.ok(!cb.some((r) => r[0] === 'email'));
  assert.equal(row('note', 'pre')[3], '=Note');
  // excel=1: a BOM and the same neutralised cells as the other CSVs
  const xl = (await httpExport('codebook.csv?excel=1')).raw;
  assert.deepEqual([...xl.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const xcb = parseCsv(xl.subarray(3).toString('utf8'));
  assert.ok(!xcb.flat().some((v) => RISKY.test(v)));
  assert.equal(xcb.find((r) => r[0] === 'note')[3], "'=Note");
  const xcli = must(ctl(['export', '--event', SLUG, '--format', 'codebook', '--excel']), 'export');
  assert.ok(xcli.equals(xl), 'same bytes with excel');
});

test('the dashboard links the Excel variant of each CSV first', async () => {
  const page = await client.get(`/admin/e/${SLUG}`);
  assert.equal(page.status, 200);
  const nav = page.text.match(/<nav class="dash-links"[\s\S]*?<\/nav>/);
  assert.ok(nav, 'export links');
  const hrefs = [...nav[0].matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  for (const [what, re] of [['long', /export\.csv\?format=long/], ['wide', /export\.csv\?format=wide/], ['codebook', /codebook\.csv/]]) {
    const links = hrefs.filter((h) => re.test(h));
    assert.equal(links.length, 2, what);
    assert.match(links[0], /[?&]excel=1$/, `${what}: Excel first`);
    assert.doesNotMatch(links[1], /excel=1/, what);
  }
});

// Answers through the real form: the page's language is stored and
// exported with the response.
async function answerForm(slug, query, extra) {
  const c = new Client();
  const form = await c.get(`/e/${slug}/pre${query}`);
  assert.equal(form.status, 200);
  const tech = ['_token', '_version', '_lang'].filter((k) => !extra.some(([x]) => x === k))
    .map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  const body = [...tech, ...extra, ['org_type', 'chamber'], ['sectors', 'agri'], ['know_iso', '4'], ['staff', '7,5']];
  const res = await c.post(`/e/${slug}/pre`, body);
  assert.equal(res.status, 303, res.text.slice(0, 500));
  const thanks = await c.get(res.headers.location.replace(/^https?:\/\/[^/]+/, ''));
  const m = thanks.text.match(/id="participant-code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})</);
  assert.ok(m, 'participant code shown');
  return m[1];
}

test('a response through the form carries the language it was answered in', async () => {
  const code = await answerForm(SLUG, '?lang=ar', []);
  const long = parseCsv(must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export').toString('utf8'));
  const mine = long.filter((r) => r[0] === code);
  assert.ok(mine.length >= 4);
  for (const r of mine) assert.deepEqual(r.slice(5), ['ar', 'web']);
  const j = JSON.parse((await httpExport('export.json')).text);
  const r = j.responses.find((x) => x.participant === code);
  assert.equal(r.lang, 'ar');
  assert.equal(r.source, 'web');
  assert.deepEqual(r.answers, { org_type: 'chamber', sectors: ['agri'], know_iso: 4, staff: 7.5 });
});

test('a language the event does not offer is stored as the language the form was shown in', async () => {
  const slug = `${SLUG}-fr-en`;
  const def = JSON.parse(JSON.stringify(DEF));
  def.event.slug = slug;
  def.event.languages = ['fr', 'en'];
  const strip = (v) => {
    if (Array.isArray(v)) return v.forEach(strip);
    if (v && typeof v === 'object') { if ('ar' in v && 'fr' in v) delete v.ar; Object.values(v).forEach(strip); }
  };
  strip(def);
  const file = path.join(tmp, 'def-fr-en.json');
  writeFileSync(file, JSON.stringify(def));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', slug, 'pre']), 'open');
  // the page is French (the default); the POST claims Arabic
  const code = await answerForm(slug, '', [['_lang', 'ar']]);
  const long = parseCsv(must(ctl(['export', '--event', slug, '--format', 'csv-long']), 'export').toString('utf8'));
  const mine = long.filter((r) => r[0] === code);
  assert.ok(mine.length >= 4);
  for (const r of mine) assert.equal(r[5], 'fr');
});
