// console.test.mjs: the organiser's console (DESIGN.md, "The organiser's
// console", "Definitions: formats and changes"; issue 20): multipart
// bodies, creating an event from a copy or an upload (422 with every
// message and its place, nothing stored), the set-up page (a new
// definition version, attendance, double entry, the event's own texts on
// the dashboard), uploads of new versions (slug, safe changes: 409 in the
// browser, exit 1 in the CLI), the definition downloads reloading to the
// same definition, the preview (stores nothing), windows (now and
// scheduled, in the event's time zone, enforced) and the live monitor.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql, tmpDir } from './lib.mjs';
import { Client, hidden, unescapeHtml, answers } from './client.mjs';

const RUN = Date.now().toString(36);
const tmp = tmpDir('enquete-console-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const BUNDLED = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));

const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
const opt = (value, fr) => ({ value, label: L(fr) });
const small = (slug) => ({
  format: 1,
  event: { slug, title: L('Petit'), dates: { start: '2026-03-12', end: '2026-03-13' },
    place: { city: L('Tunis'), country: 'TN' }, timezone: 'Africa/Tunis',
    languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
  instruments: {
    pre: { title: L('Avant'), intro: L('Merci'), sections: [{ id: 's', title: L('Profil'), items: [
      { key: 'org_type', type: 'single', analysis: 'profile', required: true, label: L('Organisation'),
        options: [opt('chamber', 'Chambre'), opt('agency', 'Agence')] },
      { key: 'know_iso', type: 'likert5', analysis: 'knowledge', required: true, label: L('Connaissance'),
        scale: ['a', 'b', 'c', 'd', 'e'].map(L) },
      { key: 'quiz_a', type: 'quiz', analysis: 'quiz', label: L('Quiz'), correct: 'x',
        options: [opt('x', 'X'), opt('y', 'Y')] },
    ] }] },
    post: { title: L('Après'), intro: L('Merci'), sections: [{ id: 's', title: L('Bilan'), items: [
      { key: 'know_iso', type: 'likert5', analysis: 'knowledge', required: true, label: L('Connaissance'),
        scale: ['a', 'b', 'c', 'd', 'e'].map(L) },
      { key: 'quiz_a', type: 'quiz', analysis: 'quiz', label: L('Quiz'), correct: 'x',
        options: [opt('x', 'X'), opt('y', 'Y')] },
    ] }] },
  },
});
// Applies f to the item key in every instrument of def.
const each = (def, key, f) => Object.values(def.instruments).forEach((i) =>
  i.sections.forEach((s) => s.items.forEach((it) => { if (it.key === key) f(it); })));

let admin;
const count = (sql, p = {}) => Number(psql(sql, p)[0][0]);
const events = (slug) => count('SELECT count(*) FROM event WHERE slug = :\'s\'', { s: slug });
const versions = (slug) => count('SELECT count(*) FROM definition d JOIN event e ON e.id = d.event_id WHERE e.slug = :\'s\'', { s: slug });
const responses = (slug) => count('SELECT count(*) FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = :\'s\'', { s: slug });
const body = (slug) => JSON.parse(psql('SELECT d.body FROM event e JOIN definition d ON d.id = e.definition_id WHERE e.slug = :\'s\'', { s: slug })[0][0]);

// A multipart/form-data body of fields [[name, value]] and files
// [[name, filename, Buffer]].
function multipart(fields, files = [], boundary = `----enq${RUN}`) {
  const parts = [];
  for (const [n, v] of fields)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`));
  for (const [n, f, data] of files)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${n}"; filename="${f}"\r\nContent-Type: application/octet-stream\r\n\r\n`), data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

async function csrfOf(c, p) {
  const page = await c.get(p);
  assert.equal(page.status, 200, `${p}: ${page.status}`);
  return hidden(page.text, '_csrf');
}

async function postMultipart(c, p, fields, files) {
  const csrf = await csrfOf(c, '/admin/events/new');
  const m = multipart([['_csrf', csrf], ...fields], files);
  return c.post(p, m.body, { headers: m.headers });
}

// The messages of a refused console form: [{place, text}].
function messages(html) {
  return [...html.matchAll(/<li>(?:<code class="error-place" dir="ltr">([^<]*)<\/code> )?<span class="error-text">([^<]*)<\/span><\/li>/g)]
    .map((m) => ({ place: unescapeHtml(m[1] || ''), text: unescapeHtml(m[2]) }));
}

async function create(slug, extra = []) {
  return postMultipart(admin, '/admin/events', [['slug', slug], ...extra]);
}

before(async () => {
  const name = `console_${RUN}`;
  ctl(['user', 'del', name]);
  must(ctl(['user', 'add', name, '--role', 'admin'], 'password123\n'), 'user add');
  admin = new Client();
  assert.equal((await admin.login(name, 'password123')).status, 303);
});

test('multipart: a malformed body is 400 with the reason; over 256 KB is 413; an expert gets 403', async () => {
  const csrf = await csrfOf(admin, '/admin/events/new');
  const bad = await admin.post('/admin/events', Buffer.from(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}`),
    { headers: { 'Content-Type': 'multipart/form-data; boundary=b' } });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /closing boundary/);
  const nob = await admin.post('/admin/events', Buffer.from('x'), { headers: { 'Content-Type': 'multipart/form-data' } });
  assert.equal(nob.status, 400);
  assert.match(nob.text, /boundary/);
  const big = multipart([['_csrf', csrf], ['slug', `big-${RUN}`]], [['definition', 'd.json', Buffer.alloc(300 * 1024, 0x20)]]);
  const r = await admin.post('/admin/events', big.body, { headers: big.headers });
  assert.equal(r.status, 413);
  assert.equal(events(`big-${RUN}`), 0);
  // the CSRF token travels in the multipart body like the other fields
  const forged = multipart([['_csrf', 'x'.repeat(64)], ['slug', `forged-${RUN}`], ['copy_from', 'imanor-2017']]);
  assert.equal((await admin.post('/admin/events', forged.body, { headers: forged.headers })).status, 403);
  assert.equal(events(`forged-${RUN}`), 0);
  // the declared keys of any route read multipart fields like urlencoded
  // ones: badge codes asked for in a multipart body
  const codesPage = await admin.get('/admin/e/imanor-2017/codes');
  const before = count('SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = \'imanor-2017\' AND p.preissued');
  const mc = multipart([['_csrf', hidden(codesPage.text, '_csrf')], ['count', '2']]);
  assert.equal((await admin.post('/admin/e/imanor-2017/codes', mc.body, { headers: mc.headers })).status, 303);
  assert.equal(count('SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = \'imanor-2017\' AND p.preissued'), before + 2);
  const expertName = `console_x_${RUN}`;
  must(ctl(['user', 'add', expertName, '--role', 'expert'], 'password123\n'), 'expert');
  const expert = new Client();
  await expert.login(expertName, 'password123');
  assert.equal((await expert.get('/admin/events/new')).status, 403);
  assert.equal((await expert.get('/admin/e/imanor-2017/setup')).status, 403);
});

test('create from a copy: the bundled event for Tunisia in fr,ar, closed, with its own slug, titles, dates, place', async () => {
  const slug = `tunis-${RUN}`;
  const r = await create(slug, [['copy_from', 'imanor-2017'], ['title_fr', 'Atelier de Tunis'],
    ['title_ar', 'ورشة تونس'], ['starts_on', '2026-12-07'], ['ends_on', '2026-12-08'], ['place', 'Tunis'],
    ['place_ar', 'تونس'], ['country', 'TN'], ['timezone', 'Africa/Tunis'], ['languages', 'fr,ar'],
    ['host', 'INNORPI']]);
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.location, `/admin/e/${slug}/setup`);
  const d = body(slug);
  assert.equal(d.event.slug, slug);
  assert.deepEqual(d.event.title, { fr: 'Atelier de Tunis', ar: 'ورشة تونس' });
  assert.deepEqual(d.event.dates, { start: '2026-12-07', end: '2026-12-08' });
  assert.deepEqual(d.event.place, { city: { fr: 'Tunis', ar: 'تونس' }, country: 'TN' });
  assert.equal(d.event.timezone, 'Africa/Tunis');
  assert.deepEqual(d.event.languages, ['fr', 'ar']);
  assert.deepEqual(d.event.host, { fr: 'INNORPI', ar: 'INNORPI' });
  // no English left anywhere; the questionnaires are the bundled ones
  assert.ok(!JSON.stringify(d).includes('"en":'));
  assert.deepEqual(Object.keys(d.instruments), Object.keys(BUNDLED.instruments));
  assert.equal(d.instruments.pre.sections.length, BUNDLED.instruments.pre.sections.length);
  assert.equal((await admin.get(`/e/${slug}/pre`)).status, 410, 'a copy starts closed');
  const setup = await admin.get(`/admin/e/${slug}/setup`);
  assert.equal(setup.status, 200);
  assert.match(setup.text, /value="Atelier de Tunis"/);
  assert.match(setup.text, /value="fr,ar"/);
  // the texts of the event's languages only
  assert.match(setup.text, /name="privacy_ar"/);
  assert.doesNotMatch(setup.text, /name="(title|privacy|collab_title)_en"/);
  // the same slug again: 422, nothing more stored
  const again = await create(slug, [['copy_from', 'imanor-2017']]);
  assert.equal(again.status, 422);
  assert.ok(messages(again.text).some((m) => m.place === 'slug'), again.text);
  assert.equal(versions(slug), 1);
});

test('create: every message with its place, nothing stored', async () => {
  const slug = `bad-${RUN}`;
  // neither a copy nor a file; a bad slug; an unknown event to copy
  let r = await create('Bad Slug!', []);
  assert.equal(r.status, 422);
  let ms = messages(r.text);
  assert.ok(ms.some((m) => m.place === 'slug'), JSON.stringify(ms));
  assert.ok(ms.some((m) => m.place === 'copy_from'), JSON.stringify(ms));
  assert.match(r.text, /id="f-slug"[^>]*aria-invalid="true"/);
  r = await create(slug, [['copy_from', `nothing-${RUN}`]]);
  assert.equal(r.status, 422);
  assert.ok(messages(r.text).some((m) => m.place === 'copy_from'));
  // a definition with three errors: each with its JSON path
  const def = small(slug);
  def.event.dates.start = '2026-13-01';
  def.instruments.pre.sections[0].items[0].type = 'dropdown';
  delete def.instruments.pre.sections[0].items[1].label.ar;
  r = await postMultipart(admin, '/admin/events', [['slug', slug]], [['definition', 'def.json', Buffer.from(JSON.stringify(def))]]);
  assert.equal(r.status, 422);
  ms = messages(r.text);
  const places = ms.map((m) => m.place);
  assert.ok(places.includes('$.event.dates.start'), places.join(' '));
  assert.ok(places.includes('$.instruments.pre.sections[0].items[0].type'), places.join(' '));
  assert.ok(places.includes('$.instruments.pre.sections[0].items[1].label.ar'), places.join(' '));
  // the values typed are given back
  assert.match(r.text, new RegExp(`id="f-slug" name="slug" type="text" value="${slug}"`));
  // a syntax error: its line and column
  r = await postMultipart(admin, '/admin/events', [['slug', slug]], [['definition', 'def.json', Buffer.from('{\n  "format": 1,\n  oops\n}')]]);
  assert.equal(r.status, 422);
  assert.match(r.text, /line 3, column \d+: invalid JSON/);
  // an unknown time zone (the database's list)
  const tz = small(slug);
  tz.event.timezone = 'Africa/Tunisss';
  r = await postMultipart(admin, '/admin/events', [['slug', slug]], [['definition', 'd.json', Buffer.from(JSON.stringify(tz))]]);
  assert.equal(r.status, 422);
  assert.ok(messages(r.text).some((m) => m.place === '$.event.timezone'));
  // a workbook's errors name their cell
  const wb = path.join(tmp, 'bad.xlsx');
  const good = path.join(tmp, 'good.json');
  writeFileSync(good, JSON.stringify(small(`wb-${RUN}`)));
  must(ctl(['load', good]), 'load');
  const x = await admin.get(`/admin/e/wb-${RUN}/definition.xlsx`);
  assert.equal(x.status, 200);
  writeFileSync(wb, x.raw);
  r = await postMultipart(admin, '/admin/events', [['slug', slug], ['languages', 'fr,en,ar,xx']], [['definition', 'd.xlsx', x.raw]]);
  assert.equal(r.status, 422);
  assert.ok(messages(r.text).some((m) => m.place === 'languages'));
  assert.equal(events(slug), 0);
  // fixed: 303, stored, its windows none (closed)
  r = await postMultipart(admin, '/admin/events', [['slug', slug]], [['definition', 'def.json', Buffer.from(JSON.stringify(small('whatever')))]]);
  assert.equal(r.status, 303, r.text);
  assert.equal(body(slug).event.slug, slug);
  // from the workbook too
  r = await postMultipart(admin, '/admin/events', [['slug', `${slug}-x`]], [['definition', 'd.xlsx', x.raw]]);
  assert.equal(r.status, 303, r.text);
  assert.equal(body(`${slug}-x`).instruments.pre.sections[0].items.length, 3);
  assert.equal(body(`${slug}-x`).event.slug, `${slug}-x`);
});

test('set-up: the event\'s texts become a new version; attendance and double entry; the dashboard reads the event\'s heading', async () => {
  const slug = `setup-${RUN}`;
  assert.equal((await create(slug, [['copy_from', 'imanor-2017'], ['languages', 'fr,ar,en']])).status, 303);
  const csrf = await csrfOf(admin, `/admin/e/${slug}/setup`);
  const page = await admin.get(`/admin/e/${slug}/setup`);
  // today's texts of the bundled event came with the copy
  assert.match(page.text, /Collaboration avec l&#39;IMANOR|Collaboration avec l'IMANOR/);
  const form = [['_csrf', csrf], ['title_fr', 'Atelier d\'Amman'], ['country', 'JO'], ['timezone', 'Asia/Amman'],
    ['languages', 'fr,ar,en'], ['attendance', '37'], ['double_entry', '1'],
    ['collab_title_fr', 'Collaboration avec la JSMO'], ['collab_title_en', 'Collaboration with JSMO'],
    ['collab_title_ar', 'التعاون مع مؤسسة المواصفات والمقاييس الأردنية'],
    ['contacts_note_fr', 'Données personnelles : loi jordanienne de 2023.'], ['contacts_note_en', 'Personal data: Jordanian law of 2023.'],
    ['contacts_note_ar', 'معطيات شخصية: القانون الأردني لسنة 2023.'],
    ['privacy_fr', 'Vos réponses restent anonymes (Jordanie).'],
    ['objectives_fr', 'Comprendre ISO\nParticiper aux comités'], ['objectives_en', 'Understand ISO\nTake part in committees'],
    ['objectives_ar', 'فهم الإيزو\nالمشاركة في اللجان']];
  const r = await admin.post(`/admin/e/${slug}/setup`, form);
  assert.equal(r.status, 303, r.text);
  assert.equal(versions(slug), 2);
  const d = body(slug);
  assert.equal(d.event.title.fr, 'Atelier d\'Amman');
  assert.equal(d.event.place.country, 'JO');
  assert.equal(d.event.timezone, 'Asia/Amman');
  assert.equal(d.event.collab_title.en, 'Collaboration with JSMO');
  assert.equal(d.event.privacy.fr, 'Vos réponses restent anonymes (Jordanie).');
  assert.equal(d.event.objectives.fr, 'Comprendre ISO\nParticiper aux comités');
  assert.deepEqual(psql('SELECT attendance, double_entry FROM event WHERE slug = :\'s\'', { s: slug })[0], ['37', 't']);
  // the same form again: no new version
  assert.equal((await admin.post(`/admin/e/${slug}/setup`, form)).status, 303);
  assert.equal(versions(slug), 2);
  // the privacy notice of the forms is the event's
  assert.equal((await admin.post(`/admin/e/${slug}/window`, [['_csrf', csrf], ['instrument', 'post'], ['action', 'open']])).status, 303);
  const post = await new Client().get(`/e/${slug}/post?lang=fr`);
  assert.match(post.text, /Vos réponses restent anonymes \(Jordanie\)\./);
  // the dashboard's heading and note are the event's, not IMANOR's
  const c = new Client();
  const f = answers('post', { collab_interest: 'yes' });
  const pg = await c.get(`/e/${slug}/post?lang=en`);
  const sent = await c.post(`/e/${slug}/post`, [['_token', hidden(pg.text, '_token')], ['_version', hidden(pg.text, '_version')], ['_lang', 'en'], ...f]);
  assert.equal(sent.status, 303, sent.text.slice(0, 400));
  const dash = await admin.get(`/admin/e/${slug}?lang=en`);
  assert.equal(dash.status, 200);
  assert.match(dash.text, /<h2 id="h-collaboration">Collaboration with JSMO<\/h2>/);
  assert.ok(!dash.text.includes('Collaboration with IMANOR'), 'the heading is the event\'s');
  // an invalid attendance: 422, the value kept, nothing changed
  const bad = await admin.post(`/admin/e/${slug}/setup`, [['_csrf', csrf], ['attendance', '0'], ['title_fr', 'Autre titre']]);
  assert.equal(bad.status, 422);
  assert.ok(messages(bad.text).some((m) => m.place === 'attendance'));
  assert.match(bad.text, /value="Autre titre"/);
  assert.equal(body(slug).event.title.fr, 'Atelier d\'Amman');
});

test('definition upload: slug of another event 422; a safe change stored; a destructive one 409 listing each conflict (and exit 1 from the CLI); the downloads reload to the same definition', async () => {
  const slug = `def-${RUN}`;
  const file = path.join(tmp, 'def.json');
  writeFileSync(file, JSON.stringify(small(slug)));
  must(ctl(['load', file]), 'load');
  const csrf = await csrfOf(admin, `/admin/e/${slug}/setup`);
  const up = async (def, name = 'd.json') => {
    const m = multipart([['_csrf', csrf]], [['definition', name, Buffer.isBuffer(def) ? def : Buffer.from(JSON.stringify(def))]]);
    return admin.post(`/admin/e/${slug}/definition`, m.body, { headers: m.headers });
  };
  let r = await up(small(`other-${RUN}`));
  assert.equal(r.status, 422);
  assert.ok(messages(r.text).some((m) => m.place === '$.event.slug'));
  assert.equal(versions(slug), 1);
  r = await up(Buffer.alloc(0), '');
  assert.equal(r.status, 422);
  // answers: open pre, one attendee answers
  assert.equal((await admin.post(`/admin/e/${slug}/window`, [['_csrf', csrf], ['instrument', 'pre'], ['action', 'open']])).status, 303);
  const c = new Client();
  const pg = await c.get(`/e/${slug}/pre`);
  assert.equal(pg.status, 200);
  const sent = await c.post(`/e/${slug}/pre`, [['_token', hidden(pg.text, '_token')], ['_version', hidden(pg.text, '_version')], ['_lang', 'fr'],
    ['org_type', 'chamber'], ['know_iso', '3'], ['quiz_a', 'y']]);
  assert.equal(responses(slug), 1);
  assert.equal(sent.status, 303);
  // safe: wording, order, a new item, a new option
  const safe = small(slug);
  const items = safe.instruments.pre.sections[0].items;
  items[0].label.fr = 'Type d\'organisation';
  items[0].options.push(opt('ngo', 'ONG'));
  items.reverse();
  items.push({ key: 'note', type: 'text', analysis: 'comment', label: L('Remarque') });
  r = await up(safe);
  assert.equal(r.status, 303, r.text);
  assert.equal(versions(slug), 2);
  // destructive: remove an answered option, retype, change analysis and correct, remove an answered item
  const bad = small(slug);
  const bi = bad.instruments.pre.sections[0].items;
  bi[0].options = bi[0].options.filter((o) => o.value !== 'chamber').concat([opt('ngo', 'ONG')]);
  each(bad, 'know_iso', (it) => { it.analysis = 'descriptive'; it.type = 'rating10'; it.scale = [L('0'), L('10')]; });
  each(bad, 'quiz_a', (it) => { it.correct = 'y'; });
  const removed = small(slug);
  removed.instruments.pre.sections[0].items.splice(1, 1);
  removed.instruments.post.sections[0].items.splice(0, 1);
  r = await up(bad);
  assert.equal(r.status, 409, r.text.slice(0, 500));
  const ms = messages(r.text).map((m) => `${m.place}: ${m.text}`);
  assert.ok(ms.some((m) => /pre\.org_type: the answered option "chamber" is removed/.test(m)), ms.join('\n'));
  assert.ok(ms.some((m) => /pre\.know_iso: an answered item's type changes from likert5 to rating10/.test(m)), ms.join('\n'));
  assert.ok(ms.some((m) => /pre\.know_iso: an answered item's analysis changes from knowledge to descriptive/.test(m)), ms.join('\n'));
  assert.ok(ms.some((m) => /pre\.quiz_a: an answered item's correct answer changes from "x" to "y"/.test(m)), ms.join('\n'));
  assert.equal(versions(slug), 2, 'nothing stored');
  r = await up(removed);
  assert.equal(r.status, 409);
  assert.ok(messages(r.text).some((m) => /pre\.know_iso: an answered item is removed/.test(`${m.place}: ${m.text}`)));
  // the CLI refuses the same with exit 1, listing each conflict
  writeFileSync(file, JSON.stringify(bad));
  const cli = ctl(['load', file]);
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stderr, /pre\.org_type: the answered option "chamber" is removed/);
  assert.match(cli.stderr, /pre\.quiz_a: an answered item's correct answer changes/);
  assert.equal(versions(slug), 2);
  // the downloads reload to the same definition: no new version
  const j = await admin.get(`/admin/e/${slug}/definition.json`);
  assert.equal(j.status, 200);
  assert.equal((await up(j.raw)).status, 303);
  const x = await admin.get(`/admin/e/${slug}/definition.xlsx`);
  assert.equal(x.status, 200);
  assert.equal((await up(x.raw, 'd.xlsx')).status, 303);
  assert.equal(versions(slug), 2);
  // the codebook lists every option ever answered: a version stored
  // before the rule (written here straight into the table) that dropped
  // "chamber" still shows it
  const legacy = structuredClone(safe);
  legacy.instruments.pre.sections[0].items.forEach((it) => {
    if (it.key === 'org_type') it.options = it.options.filter((o) => o.value !== 'chamber');
  });
  psql(`WITH d AS (INSERT INTO definition (event_id, version, body, digest) SELECT id, 99, :'b'::jsonb, 'legacy' FROM event WHERE slug = :'s' RETURNING id)
    UPDATE event SET definition_id = (SELECT id FROM d) WHERE slug = :'s'`, { s: slug, b: JSON.stringify(legacy) });
  const cb = must(ctl(['export', '--event', slug, '--format', 'codebook']), 'codebook');
  const row = cb.split('\r\n').find((l) => l.startsWith('org_type,pre,'));
  assert.match(row, /\|chamber=chamber/, row);
  assert.match(row, /ngo=ONG/, row);
});

test('preview: the form in Arabic while closed, under a banner; its POST validates and stores nothing', async () => {
  const slug = `prev-${RUN}`;
  assert.equal((await create(slug, [['copy_from', 'imanor-2017'], ['languages', 'fr,ar']])).status, 303);
  assert.equal((await new Client().get(`/e/${slug}/post`)).status, 410);
  const p = await admin.get(`/admin/e/${slug}/preview/post?lang=ar`);
  assert.equal(p.status, 200);
  assert.match(p.text, /<html lang="ar" dir="rtl">/);
  assert.match(p.text, /id="preview-banner"/);
  assert.match(p.text, new RegExp(`action="/admin/e/${slug}/preview/post"`));
  const csrf = hidden(p.text, '_csrf');
  const before = count('SELECT count(*) FROM response');
  const participants = count('SELECT count(*) FROM participant');
  let r = await admin.post(`/admin/e/${slug}/preview/post`, [['_csrf', csrf], ['_lang', 'ar']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /aria-invalid="true"/);
  assert.match(r.text, /id="preview-banner"/);
  r = await admin.post(`/admin/e/${slug}/preview/post`, [['_csrf', csrf], ['_lang', 'ar'], ...answers('post')]);
  assert.equal(r.status, 200, r.text.slice(0, 600));
  assert.match(r.text, /id="preview-banner"/);
  assert.doesNotMatch(r.text, /id="participant-code"/);
  assert.equal(count('SELECT count(*) FROM response'), before, 'no response stored');
  assert.equal(count('SELECT count(*) FROM participant'), participants, 'no participant stored');
  assert.equal(responses(slug), 0);
  assert.equal((await admin.post(`/admin/e/${slug}/preview/post`, [['_lang', 'ar'], ...answers('post')])).status, 403);
});

test('windows: open and close now; scheduled times in the event\'s time zone, enforced by the server', async () => {
  const slug = `win-${RUN}`;
  const file = path.join(tmp, 'win.json');
  writeFileSync(file, JSON.stringify(small(slug)));
  must(ctl(['load', file]), 'load');
  const csrf = await csrfOf(admin, `/admin/e/${slug}/setup`);
  const win = (f) => admin.post(`/admin/e/${slug}/window`, [['_csrf', csrf], ...f]);
  const state = async () => (await new Client().get(`/e/${slug}/pre`)).status;
  assert.equal(await state(), 410);
  assert.equal((await win([['instrument', 'pre'], ['action', 'open']])).status, 303);
  assert.equal(await state(), 200);
  assert.equal((await win([['instrument', 'pre'], ['action', 'close']])).status, 303);
  assert.equal(await state(), 410);
  const iso = (ms) => new Date(Date.now() + ms).toISOString().slice(0, 16) + 'Z';
  // opened an hour ago, closes in an hour: open
  assert.equal((await win([['instrument', 'pre'], ['opens_at', iso(-3600e3)], ['closes_at', iso(3600e3)]])).status, 303);
  assert.equal(await state(), 200);
  // opens in an hour: closed; closed a minute ago: closed
  assert.equal((await win([['instrument', 'pre'], ['opens_at', iso(3600e3)], ['closes_at', '']])).status, 303);
  assert.equal(await state(), 410);
  assert.equal((await win([['instrument', 'pre'], ['opens_at', iso(-7200e3)], ['closes_at', iso(-60e3)]])).status, 303);
  assert.equal(await state(), 410);
  // the form's POST too: the server refuses outside the window
  // (Tunis is UTC+1 all year): a time without offset is the event's
  assert.equal((await win([['instrument', 'post'], ['opens_at', '2030-01-01T10:00'], ['closes_at', '2030-01-02T10:00:30+03:00']])).status, 303);
  const [o, cl] = psql('SELECT to_char(opens_at AT TIME ZONE \'UTC\', \'YYYY-MM-DD HH24:MI\'), to_char(closes_at AT TIME ZONE \'UTC\', \'YYYY-MM-DD HH24:MI:SS\') FROM instrument_window w JOIN event e ON e.id = w.event_id WHERE e.slug = :\'s\' AND instrument = \'post\'', { s: slug })[0];
  assert.equal(o, '2030-01-01 09:00');
  assert.equal(cl, '2030-01-02 07:00:30');
  // refused: not a time, an unknown instrument, nothing to do
  for (const f of [[['instrument', 'pre'], ['opens_at', 'tomorrow']], [['instrument', 'followup'], ['action', 'open']],
    [['instrument', 'pre']], [['instrument', 'pre'], ['closes_at', '2030-01-01T10:00+1']]]) {
    const r = await win(f);
    assert.equal(r.status, 422, JSON.stringify(f));
    assert.ok(messages(r.text).length >= 1);
  }
});

test('live monitor: counts per instrument, codes, rate against attendance, answers per minute; refreshes itself', async () => {
  const slug = `live-${RUN}`;
  const file = path.join(tmp, 'live.json');
  writeFileSync(file, JSON.stringify(small(slug)));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'attendance', slug, '4']), 'attendance');
  must(ctl(['codes', 'generate', '--event', slug, '--count', '3']), 'codes');
  const before = await admin.get(`/admin/e/${slug}/live`);
  assert.equal(before.status, 200);
  assert.equal(before.headers.refresh, '15');
  assert.match(before.text, /data-live="15"/);
  assert.match(before.text, /<dd data-k="pre">0<\/dd>/);
  assert.match(before.text, /<dd data-k="codes">0\/3<\/dd>/);
  must(ctl(['event', 'open', slug, 'pre']), 'open');
  for (let i = 0; i < 2; i++) {
    const c = new Client();
    const pg = await c.get(`/e/${slug}/pre`);
    const r = await c.post(`/e/${slug}/pre`, [['_token', hidden(pg.text, '_token')], ['_version', hidden(pg.text, '_version')], ['_lang', 'fr'],
      ['org_type', 'agency'], ['know_iso', '2']]);
    assert.equal(r.status, 303);
  }
  const after = await admin.get(`/admin/e/${slug}/live`);
  assert.match(after.text, /<dd data-k="pre">2<\/dd>/);
  assert.match(after.text, /50 %/);
  assert.match(after.text, /<dd data-k="last_minute">2<\/dd>|<rect [^>]*><title>2<\/title>/);
  assert.equal((after.text.match(/<rect /g) || []).length, 30);
});
