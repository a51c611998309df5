// export.test.mjs: the exports read back field by field (our parser,
// Python's csv module, R's read.csv) against what was submitted, Arabic,
// accents, commas, quotes and newlines included; excel=1; the CLI's bytes
// equal the HTTP bytes; personal data never exported.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, psql } from './lib.mjs';
import { Client } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `export-${RUN}`;
const USER = `export_${RUN}`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'enquete-export-'));
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
    ] }] },
    post: { title: L('Après'), intro: L('I'), sections: [{ id: 's', title: L('S'), items: [
      { key: 'know_iso', type: 'likert5', analysis: 'knowledge', retro: true, label: L('ISO'), scale: ['a', 'b', 'c', 'd', 'e'].map(L) },
      { key: 'priority', type: 'rank', analysis: 'ranking', top: 2, label: L('Prio'), options: [opt('desk', 'Guichet'), opt('guides', 'Guides')] },
      { key: 'consent', type: 'single', analysis: 'collaboration', consent: true, label: L('Contact'), options: [opt('yes', 'Oui'), opt('no', 'Non')] },
      { key: 'email', type: 'text', analysis: 'contact', personal: true, requires: 'consent', label: L('Courriel') },
      { key: 'comments', type: 'longtext', analysis: 'comment', label: L('Commentaires') },
    ] }] },
  },
};

const TEXTS = ['=SUM(A1:A9)', 'Café, "très" bien\r\nligne 2', 'مرحبا بكم، شكرا\nسطر', '-1 @home +2', 'plain'];
// participant i: pre then post, every tricky text somewhere
const subs = [];
for (let i = 0; i < 5; i++) {
  const code = `E${RUN.slice(-3).toUpperCase().replace(/[ILOU]/g, '0')}${String(i).padStart(4, '0')}`;
  const pre = { org_type: i % 2 ? 'other' : 'chamber', sectors: i % 3 ? ['agri', 'it'] : ['it'], know_iso: String(1 + i), expect: TEXTS[i] };
  if (pre.org_type === 'other') pre['org_type.other'] = TEXTS[(i + 1) % 5];
  const post = { know_iso: String(5 - i), 'know_iso.retro': String(1 + (i % 2)), 'priority.1': 'guides', 'priority.2': 'desk',
    consent: 'yes', comments: TEXTS[(i + 2) % 5] };
  subs.push({ code, pre, post });
}
const rowsOf = (answers) => Object.entries(answers).flatMap(([k, v]) => {
  const m = k.match(/^(.*)\.(\d+)$/);
  if (m) return [{ item: m[1], value: v, rank: Number(m[2]) }];
  const num = /^know_iso/.test(k) ? Number(v) : null;
  return [].concat(v).map((x) => ({ item: k, value: x, num }));
});

// expected csv-long rows (item names as exported)
function expectedLong() {
  const out = [];
  for (const s of subs) for (const inst of ['pre', 'post'])
    for (const [k, v] of Object.entries(s[inst])) for (const x of [].concat(v))
      out.push([`${s.code.slice(0, 4)}-${s.code.slice(4)}`, inst, k, x]);
  return out.map((r) => r.join('\u0000')).sort();
}

// RFC 4180 parser (CRLF records, quoted fields)
function parseCsv(text) {
  const rows = []; let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) { if (c === '"') { if (text[i + 1] === '"') { f += '"'; i++; } else q = false; } else f += c; }
    else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; }
    else f += c;
  }
  assert.equal(f, ''); assert.equal(row.length, 0, 'file ends with CRLF');
  return rows;
}

let client;
before(async () => {
  const file = path.join(tmp, 'def.json');
  writeFileSync(file, JSON.stringify(DEF));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', SLUG, 'pre']), 'open');
  must(ctl(['event', 'open', SLUG, 'post']), 'open');
  for (const s of subs) for (const [inst, link] of [['pre', 'new'], ['post', 'code']]) {
    const [[outcome]] = psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'slug'), :'inst',
      (SELECT definition_id FROM event WHERE slug = :'slug'), (:'slug' || :'code' || :'inst')::bytea, :'link', :'code', :'code', 'fr',
      :'answers'::jsonb || '{"email": "secret@example.org"}', :'rows'::jsonb, '{"email": "secret@example.org"}')`,
    { slug: SLUG, inst, link, code: s.code, answers: JSON.stringify(s[inst]), rows: JSON.stringify(rowsOf(s[inst])) });
    assert.equal(outcome, 'stored');
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
  assert.deepEqual(rows[0], ['participant', 'instrument', 'submitted_at', 'item', 'value']);
  for (const r of rows.slice(1)) assert.match(r[2], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const got = rows.slice(1).map((r) => [r[0], r[1], r[3], r[4]].join('\u0000')).sort();
  assert.deepEqual(got, expectedLong());
  writeFileSync(path.join(tmp, 'long.csv'), cli);
  writeFileSync(path.join(tmp, 'expected.json'), JSON.stringify(expectedLong().map((r) => r.split('\u0000'))));
  // Python's csv module and R's read.csv read the same fields
  const py = spawnSync('python3', ['-c', `
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))[1:]
got = sorted('\\0'.join([r[0], r[1], r[3], r[4]]) for r in rows)
want = sorted('\\0'.join(r) for r in json.load(open(sys.argv[2], encoding='utf-8')))
sys.exit(0 if got == want else 1)`, path.join(tmp, 'long.csv'), path.join(tmp, 'expected.json')], { encoding: 'utf8' });
  if (py.error === undefined) assert.equal(py.status, 0, py.stderr);
  // expected fields written by an independent writer: every field quoted
  const q = (f) => `"${f.replace(/"/g, '""')}"`;
  writeFileSync(path.join(tmp, 'expected.csv'), 'participant,instrument,item,value\r\n' +
    expectedLong().map((r) => r.split('\u0000').map(q).join(',') + '\r\n').join(''));
  const r = spawnSync('Rscript', ['-e', `
a <- commandArgs(TRUE)
x <- read.csv(a[1], colClasses = "character", na.strings = character(0), encoding = "UTF-8")
e <- read.csv(a[2], colClasses = "character", na.strings = character(0), encoding = "UTF-8")
key <- function(d) sort(paste(d$participant, d$instrument, d$item, d$value, sep = "\x01"))
quit(status = if (nrow(x) == nrow(e) && identical(key(x), key(e)) &&
  any(x$value == "=SUM(A1:A9)") && any(grepl("\r\nligne 2", x$value, fixed = TRUE))) 0 else 1)`,
  path.join(tmp, 'long.csv'), path.join(tmp, 'expected.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('csv-wide: one row per participant, multi joined by |, ranks as columns', async () => {
  const res = await httpExport('export.csv?format=wide');
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'csv-wide']), 'export');
  assert.ok(cli.equals(bodyOf(res)), 'same bytes');
  const rows = parseCsv(cli.toString('utf8'));
  const h = rows[0];
  assert.equal(h[0], 'participant');
  for (const c of ['pre.org_type', 'pre.org_type.other', 'pre.sectors', 'post.know_iso.retro', 'post.priority.1', 'post.priority.2', 'post.comments'])
    assert.ok(h.includes(c), c);
  assert.ok(!h.some((c) => c.includes('email')));
  assert.equal(rows.length, 1 + subs.length);
  for (const s of subs) {
    const row = rows.find((r) => r[0] === `${s.code.slice(0, 4)}-${s.code.slice(4)}`);
    const cell = (c) => row[h.indexOf(c)];
    assert.equal(cell('pre.sectors'), s.pre.sectors.slice().sort().join('|'));
    assert.equal(cell('pre.expect'), s.pre.expect);
    assert.equal(cell('post.comments'), s.post.comments);
    assert.equal(cell('post.priority.1'), 'guides');
  }
});

test('excel=1: BOM and = + - @ neutralised; the default keeps exact values', async () => {
  const res = await httpExport('export.csv?format=long&excel=1');
  const b = bodyOf(res);
  assert.deepEqual([...b.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(b.subarray(3).toString('utf8'));
  const values = rows.slice(1).map((r) => r[4]);
  assert.ok(values.includes("'=SUM(A1:A9)") && values.includes("'-1 @home +2"));
  assert.ok(!values.some((v) => /^[=+\-@]/.test(v)));
  const plain = must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export');
  assert.notEqual(plain[0], 0xef);
});

test('export.json and codebook.csv', async () => {
  const res = await httpExport('export.json');
  assert.match(res.headers['content-type'], /^application\/json/);
  const cli = must(ctl(['export', '--event', SLUG, '--format', 'json']), 'export');
  assert.ok(cli.equals(bodyOf(res)), 'same bytes');
  const j = JSON.parse(cli.toString('utf8'));
  assert.equal(j.event, SLUG);
  assert.equal(j.responses.length, 2 * subs.length);
  for (const s of subs) for (const inst of ['pre', 'post']) {
    const r = j.responses.find((x) => x.participant === `${s.code.slice(0, 4)}-${s.code.slice(4)}` && x.instrument === inst);
    assert.deepEqual(r.answers, s[inst]);
    assert.match(r.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  const cb = parseCsv((await httpExport('codebook.csv')).text);
  assert.deepEqual(cb[0], ['item', 'instrument', 'type', 'label_fr', 'label_en', 'label_ar', 'options', 'correct']);
  const org = cb.find((r) => r[0] === 'org_type');
  assert.deepEqual(org, ['org_type', 'pre', 'single', 'Org', 'Org (en)', 'ع Org', 'chamber=Chambre|other=Autre', '']);
  assert.ok(cb.find((r) => r[0] === 'expect')[3] === 'Attentes, "tout"');
  assert.ok(!cb.some((r) => r[0] === 'email'));
});
