// xlsform.test.mjs: questionnaires as XLSForm workbooks (issue 21). The
// workbooks are written by an independent writer (openpyxl, from Debian's
// python3-openpyxl) from a mapping written here again in JavaScript, then
// loaded with bin/enquetectl; the exported workbook is opened by
// LibreOffice (headless) and R (readxl) and loaded back.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { psql, REPO, tmpDir } from './lib.mjs';

const ctl = (args) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, env: process.env, maxBuffer: 64 << 20 });
const text = (r) => ({ status: r.status, signal: r.signal, stdout: r.stdout.toString(), stderr: r.stderr.toString() });
const bundled = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
const tmp = tmpDir('enq-xlsform-');
const uniq = (p) => `${p}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

// Writes a workbook with openpyxl: sheets = [{name, rows: [[cell...]]}].
const PY = `
import json, sys, openpyxl
spec = json.load(sys.stdin)
wb = openpyxl.Workbook()
wb.remove(wb.active)
for s in spec['sheets']:
    ws = wb.create_sheet(s['name'])
    for row in s['rows']:
        ws.append(row)
wb.save(spec['out'])
`;
function xlsx(name, sheets) {
  const out = path.join(tmp, name);
  const r = spawnSync('/usr/bin/python3', ['-c', PY], { input: JSON.stringify({ out, sheets }) });
  assert.equal(r.status, 0, r.stderr.toString());
  return out;
}

// The mapping of docs/questionnaires.md, independently of cgi/domain/xlsform.c.
const LANGS = { fr: 'French (fr)', en: 'English (en)', ar: 'Arabic (ar)' };
function toSheets(def) {
  const langs = def.event.languages;
  const yn = (b) => (b === undefined ? null : b ? 'yes' : 'no');
  const loc = (o) => langs.map((l) => (o ? o[l] ?? null : null));
  const tail = ['required', 'appearance', 'parameters', 'instrument', 'analysis', 'correct', 'retro', 'requires', 'personal', 'consent', 'top', 'max_length', 'min', 'max', 'scale'];
  // objective:: columns after the hint:: ones, only when some item has one
  const objLangs = ['pre', 'post', 'followup'].some((k) => (def.instruments[k]?.sections ?? []).some((s) => s.items.some((it) => it.objective))) ? langs : [];
  const obj = (o) => objLangs.map((l) => (o ? o[l] ?? null : null));
  const survey = [['type', 'name', ...langs.map((l) => `label::${LANGS[l]}`), ...langs.map((l) => `hint::${LANGS[l]}`), ...objLangs.map((l) => `objective::${LANGS[l]}`), ...tail]];
  const choices = [['list_name', 'name', ...langs.map((l) => `label::${LANGS[l]}`), 'exclusive']];
  const lists = new Map(); // JSON of the list -> its name
  const list = (arr, name, rows) => {
    const k = JSON.stringify(arr);
    if (!lists.has(k)) {
      lists.set(k, name);
      rows().forEach((r) => choices.push([name, ...r]));
    }
    return lists.get(k);
  };
  for (const kind of ['pre', 'post', 'followup']) {
    for (const sec of def.instruments[kind]?.sections ?? []) {
      survey.push(['begin group', sec.id, ...loc(sec.title), ...loc(sec.intro), ...obj(null), null, null, null, kind]);
      for (const it of sec.items) {
        const t = { required: yn(it.required), instrument: kind, analysis: it.analysis, correct: it.correct ?? null, retro: yn(it.retro), requires: it.requires ?? null, personal: yn(it.personal), consent: yn(it.consent), top: it.top ?? null, max_length: it.max_length ?? null, min: it.min ?? null, max: it.max ?? null };
        let type;
        const opts = () => list(it.options, `opts_${it.key}`, () => it.options.map((o) => [o.value, ...loc(o.label), yn(o.exclusive)]));
        switch (it.type) {
          case 'single': case 'quiz': type = `select_one ${opts()}${it.other ? ' or_other' : ''}`; break;
          case 'multi': type = `select_multiple ${opts()}${it.other ? ' or_other' : ''}`; break;
          case 'rank': type = `rank ${opts()}`; break;
          case 'likert5': type = `select_one ${list(it.scale, `likert_${it.key}`, () => it.scale.map((s, i) => [i + 1, ...loc(s)]))}`; t.appearance = 'likert'; break;
          case 'rating10': type = 'range'; t.parameters = 'start=0 end=10 step=1'; t.scale = list(it.scale, `ends_${it.key}`, () => it.scale.map((s, i) => [String(i * 10), ...loc(s)])); break;
          case 'number': type = it.integer ? 'integer' : 'decimal'; break;
          case 'text': type = 'text'; break;
          case 'longtext': type = 'text'; t.appearance = 'multiline'; break;
        }
        survey.push([type, it.key, ...loc(it.label), ...loc(it.help), ...obj(it.objective), ...tail.map((c) => t[c] ?? null)]);
      }
      survey.push(['end group']);
    }
  }
  const ev = def.event;
  const event = [['property', 'value', ...langs.map((l) => `label::${LANGS[l]}`)],
    ['slug', ev.slug], ['title', null, ...loc(ev.title)], ['dates.start', ev.dates.start], ['dates.end', ev.dates.end],
    ['place.city', null, ...loc(ev.place.city)], ['place.country', ev.place.country], ['timezone', ev.timezone],
    ['languages', langs.join(', ')], ['default_language', ev.default_language], ['privacy', null, ...loc(ev.privacy)]];
  if (def.$schema) event.push(['$schema', def.$schema]);
  if (ev.place.venue) event.push(['place.venue', null, ...loc(ev.place.venue)]);
  if (ev.host) event.push(['host', null, ...loc(ev.host)]);
  for (const k of ['collab_title', 'contacts_note', 'objectives']) if (ev[k]) event.push([k, null, ...loc(ev[k])]);
  for (const kind of ['pre', 'post', 'followup']) {
    const ins = def.instruments[kind];
    if (!ins) continue;
    event.push([`${kind}.title`, null, ...loc(ins.title)], [`${kind}.intro`, null, ...loc(ins.intro)]);
    if (ins.window?.opens) event.push([`${kind}.window.opens`, ins.window.opens]);
    if (ins.window?.closes) event.push([`${kind}.window.closes`, ins.window.closes]);
  }
  return [{ name: 'survey', rows: survey }, { name: 'choices', rows: choices }, { name: 'event', rows: event }];
}
const storedBody = (slug) => {
  const rows = psql(`SELECT d.body FROM event e JOIN definition d ON d.id = e.definition_id WHERE e.slug = '${slug}'`);
  return rows.length ? JSON.parse(rows[0][0]) : null;
};
const eventCount = (slug) => Number(psql(`SELECT count(*) FROM event WHERE slug = '${slug}'`)[0][0]);
// A refused workbook: exit 1, no crash, nothing stored.
function refused(file, slug) {
  const r = text(ctl(['load', file]));
  assert.equal(r.signal, null);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /invalid definition, not loaded/);
  if (slug) assert.equal(eventCount(slug), 0);
  return r.stderr;
}

test('the bundled questionnaires written by openpyxl load as the same definition', () => {
  assert.equal(ctl(['load', path.join(REPO, 'schema/questionnaires/imanor-2017.json')]).status, 0);
  const same = xlsx('imanor-openpyxl.xlsx', toSheets(bundled));
  const r = text(ctl(['load', same]));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imanor-2017 unchanged/);
  // under a new slug: a new event whose stored definition is the JSON's
  const def = structuredClone(bundled);
  def.event.slug = uniq('xls-bundled');
  const other = xlsx('other.xlsx', toSheets(def));
  const r2 = text(ctl(['load', other]));
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /loaded as version 1/);
  assert.deepEqual(storedBody(def.event.slug), def);
});

test('the small example of the docs in two languages, with a number, a window, a venue and objectives, round-trips', () => {
  const doc = readFileSync(path.join(REPO, 'docs/questionnaires.md'), 'utf8');
  const def = JSON.parse(doc.match(/<!-- example:begin -->\s*```json\n([\s\S]*?)```/)[1]);
  def.event.slug = uniq('xls-small');
  def.event.place.venue = { fr: 'Hôtel', en: 'Hotel' };
  def.instruments.pre.sections[0].items.push({ key: 'staff', type: 'number', analysis: 'descriptive', integer: true, min: 0, max: 5000, label: { fr: 'Effectif', en: 'Staff' }, help: { fr: 'Environ', en: 'About' } });
  // the objective each knowledge item serves (the donor report groups by it)
  const knowledge = ['pre', 'post'].flatMap((k) => def.instruments[k].sections.flatMap((s) => s.items)).filter((it) => it.analysis === 'knowledge');
  assert.ok(knowledge.length > 0, 'the example has knowledge items');
  for (const it of knowledge) it.objective = { fr: 'Comprendre les normes', en: 'Understand standards' };
  const file = xlsx('small.xlsx', toSheets(def));
  const r = text(ctl(['load', file]));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(storedBody(def.event.slug), def);
  const out = ctl(['definition', '--event', def.event.slug, '--format', 'xlsform']);
  assert.equal(out.status, 0, out.stderr.toString());
  const back = path.join(tmp, 'small-back.xlsx');
  writeFileSync(back, out.stdout);
  assert.match(text(ctl(['load', back])).stdout, /unchanged/);
  const js = ctl(['definition', '--event', def.event.slug, '--format', 'json']);
  assert.equal(js.status, 0, js.stderr.toString());
  assert.deepEqual(JSON.parse(js.stdout.toString()), def);
});

test('definition --format xlsform: LibreOffice and R open it, and it loads back to the same definition', () => {
  const out = ctl(['definition', '--event', 'imanor-2017', '--format', 'xlsform']);
  assert.equal(out.status, 0, out.stderr.toString());
  assert.equal(out.stdout.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  const file = path.join(tmp, 'exported.xlsx');
  writeFileSync(file, out.stdout);
  // loading it back changes nothing; the JSON export is the bundled file
  assert.match(text(ctl(['load', file])).stdout, /imanor-2017 unchanged/);
  const json = text(ctl(['definition', '--event', 'imanor-2017', '--format', 'json']));
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), bundled);
  // the Likert scale of knowledge is written once, used by every item
  // that has it (the knowledge items of pre, post and the follow-up)
  const knowScale = JSON.stringify(bundled.instruments.pre.sections[2].items[0].scale);
  const uses = ['pre', 'post', 'followup'].reduce((n, k) => n + (bundled.instruments[k]?.sections ?? []).flatMap((s) => s.items)
    .filter((i) => i.type === 'likert5' && JSON.stringify(i.scale) === knowScale).length, 0);
  const r = spawnSync('Rscript', ['-e', `
    library(readxl); f <- "${file}"
    cat(paste(excel_sheets(f), collapse=","), "\\n")
    s <- read_excel(f, "survey"); c <- read_excel(f, "choices"); e <- read_excel(f, "event")
    cat(nrow(s), sum(s$type == "select_one know_iso_scale", na.rm=TRUE), sum(c$list_name == "know_iso_scale"), "\\n")
    cat(e$value[e$property == "slug"], "\\n")
    cat(utf8ToInt(s[["label::Arabic (ar)"]][s$name == "know_iso" & !is.na(s$name)][1]), "\\n")`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.trim());
  assert.equal(lines[0], 'survey,choices,settings,event');
  const items = ['pre', 'post', 'followup'].reduce((n, k) => n + bundled.instruments[k].sections.reduce((m, s) => m + s.items.length + 2, 0), 0);
  assert.equal(lines[1], `${items} ${uses} 5`);
  assert.equal(lines[2], 'imanor-2017');
  // as code points: R escapes non-ASCII text in a C locale
  assert.equal(lines[3], [...bundled.instruments.pre.sections[2].items[0].label.ar].map((c) => c.codePointAt(0)).join(' '));
  // LibreOffice (headless): the first sheet as UTF-8 CSV
  const lo = path.join(tmp, 'lo');
  const s = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${lo}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', lo, file], { encoding: 'utf8', timeout: 120000 });
  assert.equal(s.status, 0, s.stderr);
  const csv = readFileSync(path.join(lo, 'exported.csv'), 'utf8').split('\n');
  assert.match(csv[0], /^type,name,label::French \(fr\),label::Arabic \(ar\),label::English \(en\),hint::French \(fr\)/);
  assert.ok(csv.some((l) => l.startsWith('select_one know_iso_scale,know_iso,')), 'a Likert row');
  assert.ok(csv.some((l) => l.includes(bundled.instruments.post.sections[2].items[0].label.ar)), 'Arabic survives');
});

// A valid two-language workbook to break one way at a time.
function base(slug) {
  return [
    { name: 'survey', rows: [
      ['type', 'name', 'label::French (fr)', 'label::Arabic (ar)', 'instrument', 'analysis', 'appearance'],
      ['begin group', 'profile', 'Profil', 'الملف', 'pre'],
      ['select_one yn', 'member', 'Membre ?', 'عضو؟', 'pre', 'profile'],
      ['select_one agree', 'useful', 'Utile', 'مفيد', 'pre', 'descriptive', 'likert'],
      ['end group'],
    ] },
    { name: 'choices', rows: [
      ['list_name', 'name', 'label::French (fr)', 'label::Arabic (ar)'],
      ['yn', 'yes', 'Oui', 'نعم'], ['yn', 'no', 'Non', 'لا'],
      ...[1, 2, 3, 4, 5].map((n) => ['agree', n, `p${n}`, `ن${n}`]),
    ] },
    { name: 'event', rows: [
      ['property', 'value', 'label::French (fr)', 'label::Arabic (ar)'],
      ['slug', slug], ['title', null, 'Atelier', 'ورشة'], ['dates.start', '2024-03-12'], ['dates.end', '2024-03-13'],
      ['place.city', null, 'Rabat', 'الرباط'], ['place.country', 'MA'], ['timezone', 'Africa/Casablanca'],
      ['languages', 'fr ar'], ['default_language', 'fr'], ['privacy', null, 'Anonyme.', 'مجهول.'],
      ['pre.title', null, 'Avant', 'قبل'], ['pre.intro', null, 'Merci', 'شكرا'],
    ] },
  ];
}

test('a small workbook loads; each error class is named by its cell, all at once, and nothing is stored', () => {
  const slug = uniq('xls-errors');
  assert.equal(ctl(['load', xlsx('ok.xlsx', base(uniq('xls-ok')))]).status, 0);
  // empty translation, unknown role, an unknown list, an unsupported column
  // and type, a bad boolean, all in one workbook
  const b = base(slug);
  b[0].rows[0].push('relevant', 'required');
  b[0].rows[2] = ['select_one yn', 'member', 'Membre ?', null, 'pre', 'bogus', null, "${x} = 'yes'", 'perhaps'];
  b[0].rows.splice(4, 0, ['calculate', 'c', null, null, 'pre'], ['select_one nolist', 'q2', 'Q', 'س', 'pre', 'profile'],
    ['select_one_from_file towns.csv', 'town', 'Ville', 'مدينة', 'pre', 'profile'], ['begin repeat', 'r', 'R', 'ر', 'pre']);
  b[1].rows[1] = ['yn', 'Yes!', 'Oui', 'نعم'];
  const err = refused(xlsx('errors.xlsx', b), slug);
  for (const want of [
    'survey!D3: label::Arabic (ar) is empty',
    'survey!H3: relevant is not supported by enquete',
    'survey!I3: required: "perhaps" is neither yes nor no',
    'survey!F3: analysis: unknown analysis role "bogus"',
    'survey!A5: type "calculate" is not supported by enquete',
    'survey!A6: list "nolist" is not in the choices sheet',
    'survey!A7: type "select_one_from_file" is not supported by enquete',
    'survey!A8: repeat is not supported by enquete',
    'choices!B2: name: does not match',
  ]) assert.ok(err.includes(want), `missing "${want}" in:\n${err}`);
  // a missing translation column for a declared language
  const m = base(slug);
  m[1].rows = m[1].rows.map((r) => r.slice(0, 3));
  assert.match(refused(xlsx('missing.xlsx', m), slug), /choices!2: label::Arabic \(ar\) is missing/);
  // a translation against the event's languages and a wrong Likert list
  const l = base(slug);
  l[0].rows[3][0] = 'select_one yn';
  l[2].rows[8] = ['languages', 'fr ar en'];
  const e2 = refused(xlsx('langs.xlsx', l), slug);
  assert.match(e2, /survey!3: label::English \(en\) is missing/);
  assert.match(e2, /survey!A4: list "yn" must have exactly the choices 1, 2, 3, 4, 5/);
  // translation check: a list translated differently from the same list
  const t = base(slug);
  t[0].rows.splice(3, 0, ['select_one yn2', 'board', 'Conseil ?', 'مجلس؟', 'pre', 'profile']);
  t[1].rows.push(['yn2', 'yes', 'Oui', 'أجل'], ['yn2', 'no', 'Non', 'لا']);
  assert.ok(refused(xlsx('translation.xlsx', t), slug).includes('choices!D9: label::Arabic (ar): translated differently from the same options of pre item "member" (the fr texts are the same)'));
  // no event sheet
  assert.match(refused(xlsx('noevent.xlsx', base(slug).slice(0, 2)), slug), /the workbook has no event sheet/);
});

test('files that are not workbooks: truncated, a zip bomb, a renamed JSON file; never a crash', () => {
  const good = readFileSync(xlsx('good.xlsx', base(uniq('xls-good'))));
  const cut = path.join(tmp, 'truncated.xlsx');
  writeFileSync(cut, good.subarray(0, Math.floor(good.length / 2)));
  assert.match(refused(cut), /not a readable \.xlsx workbook|damaged|truncated/);
  const renamed = path.join(tmp, 'renamed.xlsx');
  writeFileSync(renamed, JSON.stringify(bundled));
  // not a zip: read as JSON, which it is not a valid one of (bad slug etc. are not the point)
  const r = text(ctl(['load', renamed]));
  assert.equal(r.signal, null);
  const garbage = path.join(tmp, 'garbage.xlsx');
  writeFileSync(garbage, 'PK\x03\x04 this is not a zip at all');
  assert.match(refused(garbage), /not a readable \.xlsx workbook/);
  const notzip = path.join(tmp, 'notzip.xlsx');
  writeFileSync(notzip, 'type,name\nbegin group,x\n');
  assert.match(refused(notzip), /notzip\.xlsx: /);
  // 200 MB of zeros in one part, a few hundred KB once deflated
  const bomb = path.join(tmp, 'bomb.xlsx');
  const py = spawnSync('/usr/bin/python3', ['-c', `
import zipfile
with zipfile.ZipFile("${bomb}", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", b"<" + b" " * (200 << 20) + b"/>")
    z.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")`]);
  assert.equal(py.status, 0, py.stderr.toString());
  // refused on the declared sizes, before inflating (no timing check:
  // make test holds no time thresholds)
  assert.match(refused(bomb), /uncompressed content over the limit/);
});

test('Kobo and ODK workbooks: label:English headers, upper-case sheets, extra columns and sheets', () => {
  // as Kobo exports it: metadata rows, no enquete columns, no event sheet
  const slug = uniq('xls-kobo');
  const kobo = [
    { name: 'SURVEY', rows: [
      ['type', 'name', 'label:English', 'label:French', 'required', 'relevant', '$kuid', '$autoname', 'constraint'],
      ['start', 'start'], ['end', 'end'],
      ['begin_group', 'g1', 'About you', 'Vous'],
      ['select_one yesno', 'member', 'Member?', 'Membre ?', 'true', null, 'k1', 'member'],
      ['integer', 'age', 'Age', 'Âge', 'false', '${member} = "yes"', 'k2', 'age', '. < 120'],
      ['geopoint', 'where', 'Where', 'Où'],
      ['end_group'],
    ] },
    { name: 'CHOICES', rows: [['list name', 'name', 'label:English', 'label:French'], ['yesno', 'yes', 'Yes', 'Oui'], ['yesno', 'no', 'No', 'Non']] },
    { name: 'SETTINGS', rows: [['form_title', 'form_id', 'version'], ['Survey', 'survey_1', '2024']] },
    { name: 'notes', rows: [['anything']] },
  ];
  const err = refused(xlsx('kobo.xlsx', kobo));
  for (const want of ['the workbook has no event sheet', 'column instrument is missing', 'column analysis is missing',
    'SURVEY!A2: type "start" is not supported', 'SURVEY!A3: type "end" is not supported', 'SURVEY!F6: relevant is not supported',
    'SURVEY!I6: constraint is not supported', 'SURVEY!A7: type "geopoint" is not supported']) assert.ok(err.includes(want), `missing "${want}" in:\n${err}`);
  assert.ok(!/\$kuid/.test(err), 'Kobo bookkeeping columns are not errors');
  // the same with enquete's columns and the event sheet: it loads
  const fixed = [
    { name: 'SURVEY', rows: [
      ['type', 'name', 'label:English', 'label:French', 'required', '$kuid', 'instrument', 'analysis'],
      ['begin_group', 'g1', 'About you', 'Vous', null, 'k0', 'pre'],
      ['select_one yesno', 'member', 'Member?', 'Membre ?', 'true', 'k1', 'pre', 'profile'],
      ['integer', 'age', 'Age', 'Âge', 'false', 'k2', 'pre', 'descriptive'],
      ['end_group'],
    ] },
    kobo[1],
    { name: 'SETTINGS', rows: [['form_title', 'form_id', 'default_language'], ['Survey', slug, 'English']] },
    { name: 'Event', rows: [['property', 'value', 'label:English', 'label:French'],
      ['slug', slug], ['title', null, 'Workshop', 'Atelier'], ['dates.start', '2024-05-02'], ['dates.end', '2024-05-02'],
      ['place.city', null, 'Rabat', 'Rabat'], ['place.country', 'MA'], ['timezone', 'Africa/Casablanca'],
      ['languages', 'en, fr'], ['default_language', 'en'], ['privacy', null, 'Anonymous.', 'Anonyme.'],
      ['pre.title', null, 'Before', 'Avant'], ['pre.intro', null, 'Thanks', 'Merci']] },
    kobo[3],
  ];
  const r = text(ctl(['load', xlsx('kobo-fixed.xlsx', fixed)]));
  assert.equal(r.status, 0, r.stderr);
  const body = storedBody(slug);
  assert.deepEqual(body.event.languages, ['en', 'fr']);
  assert.deepEqual(body.instruments.pre.sections[0].items.map((i) => [i.key, i.type, i.required, i.integer]), [['member', 'single', true, undefined], ['age', 'number', false, true]]);
});
