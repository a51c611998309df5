// instruments.test.mjs: the bundled instruments, revised (issue 24;
// DESIGN.md "Bundled instruments: keys that outside clients rely on",
// "Definitions: formats and changes"). imanor-2017 is reloaded by every
// `make run` over databases that hold answers, so each version of the file
// may only gain items: checked here against every earlier version of the
// file in git (and a frozen copy, for shallow clones), and by loading the new version over answers of the previous
// one (answers kept, the summary of the old items unchanged, R agreeing on
// every figure). The reworded and split items live in the programme
// template mena-star-template, where a retired key is never reused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, http, psql, waitFor, catalog, tmpDir } from './lib.mjs';
import { Client, freshAddress, hidden, shownCode } from './client.mjs';

const RUN = Date.now().toString(36);
const tmp = tmpDir('enquete-instruments-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, input, maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
// git, or null when it fails (a shallow clone lacks the older revisions)
const git = (args) => {
  const r = spawnSync('git', args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 ? r.stdout : null;
};

const BUNDLED = 'schema/questionnaires/imanor-2017.json';
const TEMPLATE = 'schema/questionnaires/mena-star-template.json';
const read = (file) => JSON.parse(readFileSync(path.join(REPO, file), 'utf8'));
const CURRENT = read(BUNDLED);
const TPL = read(TEMPLATE);
// the double-barrelled items of 2017, split or reworded in the template
const RETIRED = ['know_iso', 'know_conformity', 'know_wto_tbt', 'know_participation'];

// Every committed version of the bundled file, newest first (the working
// tree's file is CURRENT), and the version frozen in tests/integration/
// fixtures before the revision of issue 24: a shallow clone (CI may make
// one) has only the newest commit, so the frozen copy keeps the rule
// checked there too.
const FROZEN = 'tests/integration/fixtures/imanor-2017.2026-12-06.json';
const HISTORY = [
  ...(git(['log', '--format=%H', '--', BUNDLED]) ?? '').trim().split('\n').filter(Boolean)
    .map((rev) => ({ rev, text: git(['show', `${rev}:${BUNDLED}`]) }))
    .filter((h) => h.text !== null)
    .map(({ rev, text }) => ({ rev, def: JSON.parse(text) })),
  { rev: FROZEN, def: read(FROZEN) },
];
// the version before the current one: the newest that differs
const PREVIOUS = HISTORY.find((h) => JSON.stringify(h.def) !== JSON.stringify(CURRENT));

const itemsOf = (def, kind) => (def.instruments[kind]?.sections ?? []).flatMap((s) => s.items);
const kinds = (def) => Object.keys(def.instruments);
const keyMap = (def, kind) => new Map(itemsOf(def, kind).map((it) => [it.key, it]));

// The change rules: what an item answered under `old` may not lose in `now`.
function conflicts(old, now, what) {
  const out = [];
  for (const kind of kinds(old)) {
    const cur = keyMap(now, kind);
    for (const it of itemsOf(old, kind)) {
      const n = cur.get(it.key);
      const at = `${what} ${kind}.${it.key}`;
      if (!n) { out.push(`${at}: removed`); continue; }
      if (n.type !== it.type) out.push(`${at}: type ${it.type} -> ${n.type}`);
      if (n.analysis !== it.analysis) out.push(`${at}: analysis ${it.analysis} -> ${n.analysis}`);
      if ((n.correct ?? null) !== (it.correct ?? null)) out.push(`${at}: correct ${it.correct} -> ${n.correct}`);
      const values = new Set((n.options ?? []).map((o) => o.value));
      for (const o of it.options ?? []) if (!values.has(o.value)) out.push(`${at}: option ${o.value} removed`);
      if ((it.scale ?? []).length !== (n.scale ?? []).length) out.push(`${at}: scale length`);
      if (it.retro && !n.retro) out.push(`${at}: retro removed`);
      if (it.other && !n.other) out.push(`${at}: other removed`);
      if (it.top && n.top !== it.top) out.push(`${at}: top ${it.top} -> ${n.top}`);
    }
  }
  return out;
}

// Every localized text of a definition: [path, object].
function texts(def) {
  const out = [];
  const walk = (x, p) => {
    if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${p}[${i}]`));
    else if (x && typeof x === 'object') {
      if (['fr', 'en', 'ar'].some((l) => typeof x[l] === 'string')) out.push([p, x]);
      else for (const [k, v] of Object.entries(x)) walk(v, `${p}.${k}`);
    }
  };
  walk(def, '$');
  return out;
}

let token;
async function summary(slug, query = '') {
  const res = await http('GET', `/api/v1/events/${slug}/summary${query}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, res.text);
  return { text: res.text, json: JSON.parse(res.text) };
}

// Answers for one participant of an instrument of def, through the form's
// field names; i varies them. extra: {key: value} added or replacing.
function answersFor(def, kind, i, extra = {}) {
  const out = [];
  for (const it of itemsOf(def, kind)) {
    if (it.personal || it.consent || it.key in extra) continue;
    const pick = (arr) => arr[(i * 7 + it.key.length) % arr.length];
    switch (it.type) {
      case 'single': out.push([it.key, pick(it.options.filter((o) => o.value !== 'other')).value]); break;
      case 'quiz': out.push([it.key, (i + it.key.length + (kind === 'post' ? i % 2 : 0)) % 3 ? it.correct : pick(it.options).value]); break;
      case 'multi': out.push([it.key, it.options[i % (it.options.length - 1)].value]); break;
      case 'likert5':
        out.push([it.key, String(1 + ((i + it.key.length + (kind === 'post' ? 2 : 0)) % 5))]);
        if (it.retro && kind === 'post') out.push([`${it.key}.retro`, String(1 + ((i + it.key.length) % 4))]);
        break;
      case 'rating10': out.push([it.key, String((i * 3) % 11)]); break;
      case 'text': case 'longtext': if (i % 3) out.push([it.key, `${it.key} ${i}`]); break;
      case 'rank': for (let r = 1; r <= it.top; r++) out.push([`${it.key}.${r}`, it.options[(i + r) % it.options.length].value]); break;
      default: break;
    }
  }
  for (const [k, v] of Object.entries(extra)) out.push([k, v]);
  return out;
}

// One participant answering pre then post through the real forms (the
// post linked by the cookie the pre set). Returns the participant code.
async function participant(slug, def, i, extra = {}) {
  const c = new Client({ localAddress: freshAddress() });
  let code = null;
  for (const kind of ['pre', 'post']) {
    const form = await c.get(`/e/${slug}/${kind}?lang=${['fr', 'ar', 'en'][i % 3]}`);
    assert.equal(form.status, 200, `${kind} form`);
    const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
    const res = await c.post(`/e/${slug}/${kind}`, [...tech, ...answersFor(def, kind, i, kind === 'pre' ? extra : {})]);
    assert.equal(res.status, 303, `${kind} of participant ${i}: ${res.status} ${res.text.slice(0, 300)}`);
    if (kind === 'pre') code = shownCode((await c.get(res.headers.location)).text);
  }
  assert.ok(code, 'a participant code');
  return code;
}

// The parts of a summary about the items of def (all that existed before).
function about(s, def) {
  const keys = new Set(kinds(def).flatMap((k) => itemsOf(def, k).map((it) => it.key)));
  // the items of an instrument the previous version had (a follow-up
  // added later re-asks keys of pre and post)
  const own = new Set(kinds(def).flatMap((k) => itemsOf(def, k).map((it) => `${k}.${it.key}`)));
  return {
    counts: s.counts,
    items: s.items.filter((e) => (e.instrument ? own.has(`${e.instrument}.${e.item}`) : keys.has(e.item))),
    paired: s.paired.filter((e) => keys.has(e.item)),
    retro: s.retro.filter((e) => keys.has(e.item)),
    quiz: s.quiz,
    evaluation: s.evaluation.filter((e) => keys.has(e.item)),
    nps: s.nps,
    ranking: s.ranking.filter((e) => keys.has(e.item)),
  };
}

function rCheck(slug, sum, name, filter) {
  writeFileSync(path.join(tmp, `${name}.json`), sum.text);
  writeFileSync(path.join(tmp, 'long.csv'), must(ctl(['export', '--event', slug, '--format', 'csv-long']), 'export'));
  writeFileSync(path.join(tmp, 'codebook.csv'), must(ctl(['export', '--event', slug, '--format', 'codebook']), 'codebook'));
  const args = ['tests/r/summary_check.R', path.join(tmp, 'long.csv'), path.join(tmp, `${name}.json`), path.join(tmp, 'codebook.csv')];
  if (filter) args.push(filter);
  const r = spawnSync('Rscript', args, { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[1-9][0-9]* figures compared, 0 differences/);
}

before(() => {
  assert.ok(PREVIOUS, 'an earlier version of imanor-2017.json (git or the frozen copy)');
  must(ctl(['user', 'add', `instr_${RUN}`], 'password123\n'), 'user add');
  token = must(ctl(['token', 'add', `instr_${RUN}`]), 'token add').trim();
});

test('both bundled definitions load; the template is a normal event, closed', async () => {
  for (const file of [BUNDLED, TEMPLATE]) {
    const out = must(ctl(['load', path.join(REPO, file)]), `load ${file}`);
    assert.match(out, /(unchanged|loaded as version \d+)\n$/);
  }
  // as scripts/stack loaded them: the stored definitions are the files
  for (const def of [CURRENT, TPL]) {
    const json = must(ctl(['definition', '--event', def.event.slug, '--format', 'json']), 'definition');
    assert.deepEqual(JSON.parse(json), def, def.event.slug);
  }
  assert.equal(TPL.event.slug, 'mena-star-template');
  for (const kind of kinds(TPL)) {
    assert.equal(TPL.instruments[kind].window, undefined, `${kind}: no window in the file`);
    assert.equal((await http('GET', `/e/mena-star-template/${kind}`)).status, 410, `${kind} closed`);
  }
  // an admin sees it among the events, as any event
  const a = new Client();
  must(ctl(['user', 'add', `instr_a_${RUN}`, '--role', 'admin'], 'password123\n'), 'user add');
  assert.equal((await a.login(`instr_a_${RUN}`, 'password123')).status, 303);
  assert.equal((await a.get('/admin/e/mena-star-template')).status, 200);
  assert.equal((await a.get('/admin/e/mena-star-template/definition.json')).status, 200);
});

test('imanor-2017 only gains items: every committed version is kept by the current file', () => {
  assert.ok(HISTORY.length >= 1, 'the history of the file');
  const found = [];
  for (const h of HISTORY) found.push(...conflicts(h.def, CURRENT, h.rev === FROZEN ? 'frozen' : h.rev.slice(0, 8)));
  assert.deepEqual(found, []);
  // keys of unchanged items are those of before; the additions are new
  const prev = new Set(kinds(PREVIOUS.def).flatMap((k) => itemsOf(PREVIOUS.def, k).map((it) => `${k}.${it.key}`)));
  const now = kinds(CURRENT).flatMap((k) => itemsOf(CURRENT, k).map((it) => `${k}.${it.key}`));
  for (const k of prev) assert.ok(now.includes(k), k);
  // the keys DESIGN.md promises outside clients
  const sex = keyMap(CURRENT, 'pre').get('sex');
  assert.equal(sex.type, 'single');
  assert.equal(sex.analysis, 'profile');
  assert.deepEqual(sex.options.map((o) => o.value), ['female', 'male', 'undisclosed']);
  // the workbook beside it is the same definition (a unit test compares them
  // cell by cell); the template's too
  for (const f of ['imanor-2017', 'mena-star-template'])
    assert.match(must(ctl(['load', path.join(REPO, `schema/questionnaires/${f}.xlsx`)]), `load ${f}.xlsx`), new RegExp(`${f} unchanged`));
});

test('the template: no retired key reused, shared keys mean the same, split items are new keys', () => {
  const everBundled = new Map();
  for (const def of [CURRENT, ...HISTORY.map((h) => h.def)])
    for (const kind of kinds(def)) for (const it of itemsOf(def, kind)) everBundled.set(`${kind}.${it.key}`, it);
  const tplKeys = new Set(kinds(TPL).flatMap((k) => itemsOf(TPL, k).map((it) => it.key)));
  for (const k of RETIRED) assert.ok(!tplKeys.has(k), `retired key ${k} reused in the template`);
  // a key the template shares with the bundled event means the same there
  const shared = structuredClone(TPL);
  for (const kind of kinds(shared))
    for (const s of shared.instruments[kind].sections) s.items = s.items.filter((it) => everBundled.has(`${kind}.${it.key}`));
  const sameMeaning = [];
  for (const kind of kinds(TPL))
    for (const it of itemsOf(TPL, kind)) {
      const b = everBundled.get(`${kind}.${it.key}`);
      if (b && (b.type !== it.type || b.analysis !== it.analysis || (b.correct ?? null) !== (it.correct ?? null) ||
        JSON.stringify((b.options ?? []).map((o) => o.value)) !== JSON.stringify((it.options ?? []).map((o) => o.value))))
        sameMeaning.push(`${kind}.${it.key}`);
    }
  assert.deepEqual(sameMeaning, []);
  // the replacements are knowledge items asked in pre and post, new keys
  const added = [...tplKeys].filter((k) => ![...everBundled.keys()].some((e) => e.endsWith(`.${k}`)));
  assert.ok(added.length >= RETIRED.length, `new keys: ${added}`);
  for (const k of added) {
    for (const kind of ['pre', 'post']) {
      const it = keyMap(TPL, kind).get(k);
      assert.ok(it && it.analysis === 'knowledge', `${kind}.${k}`);
    }
  }
  // everything the bundled event has besides the retired items is there
  const kept = structuredClone(CURRENT);
  for (const kind of kinds(kept))
    for (const s of kept.instruments[kind].sections) s.items = s.items.filter((it) => !RETIRED.includes(it.key));
  assert.deepEqual(conflicts(kept, TPL, 'template'), []);
});

test('every text in French, English and Arabic; French anchors as strong as en/ar; one Arabic address', () => {
  for (const def of [CURRENT, TPL]) {
    for (const [p, t] of texts(def))
      for (const l of ['fr', 'en', 'ar']) assert.ok(typeof t[l] === 'string' && t[l].trim() !== '', `${def.event.slug} ${p}.${l}`);
    // every agreement scale reads the same strength in each language
    for (const kind of kinds(def))
      for (const it of itemsOf(def, kind).filter((i) => i.scale?.[4]?.en === 'Strongly agree'))
        assert.deepEqual(it.scale.map((s) => s.fr), ["Pas du tout d'accord", "Pas d'accord", "Ni d'accord ni pas d'accord", "D'accord", "Tout à fait d'accord"], `${def.event.slug} ${it.key}`);
  }
  // the interface and the definitions address the reader in the plural
  // (as most of the catalog did): no singular "you" pronoun or possessive
  const singular = /(?<!\p{L})(لك|بك|معك|إليك|لديك|عنك|منك|إجاباتك|هيئتك|معارفك|بياناتك|خدمات هيئتك|موافقتك|اختر|حدِّد|رتِّب|أدخل|استعمل|استخدم|اترك|أعد)(?!\p{L})/u;
  const ar = catalog('ar');
  for (const [k, v] of Object.entries(ar)) assert.ok(!singular.test(v), `templates/i18n ar ${k}: ${v}`);
  for (const def of [CURRENT, TPL])
    for (const [p, t] of texts(def)) assert.ok(!singular.test(t.ar), `${def.event.slug} ${p}.ar: ${t.ar}`);
  assert.equal(ar.retro_label, 'لو سُئلت قبل الورشة لأجبت');
});

test('the new imanor-2017 over answers of the previous one: answers kept, old items summarised as before, R agrees', async () => {
  const slug = `instr-${RUN}`;
  const file = path.join(tmp, 'def.json');
  const prev = structuredClone(PREVIOUS.def);
  prev.event.slug = slug;
  writeFileSync(file, JSON.stringify(prev));
  assert.match(must(ctl(['load', file]), 'load previous'), /loaded as version 1/);
  must(ctl(['event', 'open', slug, 'pre']), 'open pre');
  must(ctl(['event', 'open', slug, 'post']), 'open post');
  const codes = [];
  // (when the previous version already asks sex, its 8 participants leave
  // it blank: the groups counted below are those of the new participants)
  const prevSex = itemsOf(prev, 'pre').some((it) => it.key === 'sex');
  for (let i = 0; i < 8; i++) codes.push(await participant(slug, prev, i, prevSex ? { sex: '' } : {}));
  const export0 = must(ctl(['export', '--event', slug, '--format', 'csv-long']), 'export');
  const before1 = await waitFor(async () => {
    const s = (await summary(slug)).json;
    return s.counts.paired === 8 && s.paired.every((p) => p.n === 8) ? s : null;
  }, { what: 'the 8 pairs in the summary' });
  // the new version, same slug
  const next = structuredClone(CURRENT);
  next.event.slug = slug;
  writeFileSync(file, JSON.stringify(next));
  assert.match(must(ctl(['load', file]), 'load current'), /loaded as version 2/);
  assert.equal(must(ctl(['export', '--event', slug, '--format', 'csv-long']), 'export'), export0, 'the answers, unchanged');
  const after1 = (await summary(slug)).json;
  assert.deepEqual(about(after1, prev), about(before1, prev));
  // the added items are in the summary, with no answers yet (what was
  // added depends on which version PREVIOUS is: git's or the frozen one)
  const had = new Set(kinds(prev).flatMap((k) => itemsOf(prev, k).map((it) => it.key)));
  const addedKnow = itemsOf(CURRENT, 'pre').filter((it) => it.analysis === 'knowledge' && !had.has(it.key)).map((it) => it.key);
  for (const key of addedKnow)
    assert.equal(after1.paired.find((p) => p.item === key)?.n, 0, key);
  if (!had.has('sex')) assert.ok(after1.items.some((e) => e.item === 'sex' && e.n === 0));
  // participants of the new version: sex as a filter, undisclosed a group
  const sexes = [...Array(6).fill('female'), ...Array(6).fill('male'), 'undisclosed', 'undisclosed'];
  for (let i = 0; i < sexes.length; i++) codes.push(await participant(slug, next, 100 + i, { sex: sexes[i] }));
  const whole = await waitFor(async () => {
    const s = await summary(slug);
    return s.json.counts.paired === 8 + sexes.length && s.json.paired.every((p) => p.n >= 8) ? s : null;
  }, { what: 'the new pairs in the summary' });
  rCheck(slug, whole, 'whole');
  const female = await summary(slug, '?sex=female');
  assert.deepEqual(female.json.filters, { sex: 'female' });
  assert.deepEqual(female.json.counts, { pre: 6, post: 6, paired: 6 });
  assert.notEqual(female.json.restricted, true);
  rCheck(slug, female, 'female', 'sex=female');
  const und = (await summary(slug, '?sex=undisclosed')).json;
  assert.equal(und.restricted, true, 'a group of 2: counts only');
  assert.equal(und.items, undefined);
  // the event minus every sex group shown beyond counts never isolates 1-4
  const size = (s) => s.counts.pre + s.counts.post - s.counts.paired;
  let shown = 0;
  for (const v of ['female', 'male', 'undisclosed']) {
    const s = (await summary(slug, `?sex=${v}`)).json;
    if (s.restricted !== true) { assert.ok(size(s) >= 5); shown += size(s); }
  }
  const rest = size(whole.json) - shown;
  assert.ok(rest === 0 || rest >= 5, `the groups shown leave ${rest}`);
  assert.equal((await http('GET', `/api/v1/events/${slug}/summary?sex=unknown`, { headers: { Authorization: `Bearer ${token}` } })).status, 400);
  // the stored raw answers of the first participants are theirs still
  const [[n]] = psql(`SELECT count(*) FROM response r JOIN participant p ON p.id = r.participant_id
    JOIN event e ON e.id = r.event_id JOIN definition d ON d.id = r.definition_id
    WHERE e.slug = :'s' AND d.version = 1`, { s: slug });
  assert.equal(n, '16', 'the 8 pairs answered version 1');
});
