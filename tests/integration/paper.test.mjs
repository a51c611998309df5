// paper.test.mjs: the routes of paper questionnaires (DESIGN.md "Paper
// questionnaires"): the printable sheet, batches of codes (CSRF, a resent
// form issues nothing), data entry (CSRF, 404 outside scope, 422 keeps
// what was typed, one participant per sheet, the code written on a sheet,
// source 'paper' and entered_by, whatever the window), double entry
// (agreement, conflict listed per item, resolution by a third person,
// nothing in the analysis before), the exports and the dashboard count.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql, tmpDir } from './lib.mjs';
import { Client, hidden, unescapeHtml, DEF as BUNDLED } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `paper-${RUN}`;
const tmp = tmpDir('enquete-paper-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };

const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
const opt = (value, fr) => ({ value, label: L(fr) });
const KNOW = { key: 'know_iso', type: 'likert5', analysis: 'knowledge', required: true, label: L('Connaissance ISO'), scale: ['a', 'b', 'c', 'd', 'e'].map(L) };
const DEF = {
  format: 1,
  event: { slug: SLUG, title: L('Papier'), dates: { start: '2024-03-12', end: '2024-03-13' },
    place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
    languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
  instruments: {
    pre: { title: L('Avant'), intro: L('Merci'), sections: [{ id: 's', title: L('Profil'), items: [
      { key: 'org_type', type: 'single', analysis: 'profile', required: true, label: L('Organisation'), other: true,
        options: [opt('chamber', 'Chambre'), opt('agency', 'Agence'), opt('other', 'Autre')] },
      { key: 'sectors', type: 'multi', analysis: 'descriptive', label: L('Secteurs'), options: [opt('agri', 'Agri'), opt('it', 'IT'), opt('food', 'Alimentation')] },
      KNOW,
      { key: 'note', type: 'text', analysis: 'comment', label: L('Remarque') },
    ] }] },
    post: { title: L('Après'), intro: L('Merci'), sections: [{ id: 's', title: L('Bilan'), items: [
      { ...KNOW, retro: true },
      { key: 'recommend', type: 'rating10', analysis: 'nps', label: L('Recommander'), scale: [L('Jamais'), L('Certainement')] },
    ] }] },
  },
};

const users = {};
const eventId = () => psql('SELECT id FROM event WHERE slug = :\'s\'', { s: SLUG })[0][0];
const count = (sql, p = {}) => Number(psql(sql, { s: SLUG, ...p })[0][0]);
const responses = (where = 'true') => count(`SELECT count(*) FROM response r JOIN event e ON e.id = r.event_id WHERE e.slug = :'s' AND ${where}`);

async function signedIn(name, role = 'admin') {
  ctl(['user', 'del', name]);
  must(ctl(['user', 'add', name, '--role', role], 'password123\n'), `user add ${name}`);
  const c = new Client();
  assert.equal((await c.login(name, 'password123')).status, 303);
  return c;
}

// The CSRF token of an admin page.
async function csrfOf(c, p) {
  const page = await c.get(p);
  assert.equal(page.status, 200, p);
  return hidden(page.text, '_csrf');
}

async function enter(c, kind, fields) {
  const csrf = await csrfOf(c, `/admin/e/${SLUG}/entry/${kind}`);
  return c.post(`/admin/e/${SLUG}/entry/${kind}`, [['_csrf', csrf], ['_lang', 'fr'], ...fields]);
}

before(async () => {
  const file = path.join(tmp, 'def.json');
  writeFileSync(file, JSON.stringify(DEF));
  must(ctl(['load', file]), 'load');
  // both windows stay closed: data entry works whatever the window
  for (const n of ['a', 'b', 'c']) users[n] = await signedIn(`paper_${n}_${RUN}`);
  users.expert = await signedIn(`paper_x_${RUN}`, 'expert');
});

test('the printable sheet: every question, numbered choices, code boxes, a QR code; Arabic right to left', async () => {
  const fr = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr`);
  assert.equal(fr.status, 200);
  assert.match(fr.text, /<html lang="fr" dir="ltr">/);
  for (const label of ['Organisation', 'Secteurs', 'Connaissance ISO', 'Remarque', 'Chambre', 'Alimentation'])
    assert.ok(fr.text.includes(label), label);
  assert.equal((fr.text.match(/class="paper-sheet"/g) || []).length, 1, 'one blank sheet');
  assert.equal((fr.text.match(/class="cbox"><\/span>/g) || []).length, 8, 'eight empty code boxes');
  assert.match(fr.text, /class="sheetno-box"/, 'a blank sheet has a sheet-number box');
  assert.match(fr.text, /<svg[^>]*role="img"[^>]*aria-label="http:\/\/[^"]*\/e\/paper-[a-z0-9]+\/pre\?lang=fr"/);
  const ar = await users.a.get(`/admin/e/${SLUG}/paper/post?lang=ar`);
  assert.equal(ar.status, 200);
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.ok(ar.text.includes('ع Connaissance ISO'));
  assert.equal((ar.text.match(/class="paper-scale"/g) || []).length, 3, 'likert, its retro rating, and the 0-10 scale');
  // consecutive five-point items with the same anchors share one grid
  const im = await users.a.get('/admin/e/imanor-2017/paper/pre?lang=fr');
  assert.equal((im.text.match(/<table class="paper-matrix">/g) || []).length, 1);
  const knowledge = BUNDLED.instruments.pre.sections.find((s) => s.id === 'knowledge').items;
  assert.ok(knowledge.every((it) => JSON.stringify(it.scale) === JSON.stringify(knowledge[0].scale)));
  assert.equal((im.text.match(/<tr><th scope="row"><span class="qn">\d+\.<\/span>/g) || []).length, knowledge.length);
});

test('numbered sheets without codes: the number printed in its box; bad numbers are 400', async () => {
  const res = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr&sheets=3&first=17`);
  assert.equal(res.status, 200);
  assert.deepEqual([...res.text.matchAll(/<span class="sheetno-box">(\d*)<\/span>/g)].map((m) => m[1]), ['17', '18', '19']);
  assert.match(res.text, /id="numbered-first" name="first" min="1" value="20"/, 'the next batch of numbers follows');
  const blank = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr`);
  assert.deepEqual([...blank.text.matchAll(/<span class="sheetno-box">(\d*)<\/span>/g)].map((m) => m[1]), [''], 'one blank sheet, numbered by hand');
  for (const q of ['sheets=0', 'sheets=501', 'sheets=2&first=0', 'sheets=2&first=x', 'sheets=-1', 'sheets=1.5'])
    assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/pre?${q}`)).status, 400, q);
});

test('paper pages: 404 outside scope, 403 for an expert, sign-in first', async () => {
  assert.equal((await users.a.get('/admin/e/no-such-event/paper/pre')).status, 404);
  assert.equal((await users.a.get('/admin/e/no-such-event/entry/pre')).status, 404);
  assert.equal((await users.a.get('/admin/e/no-such-event/entry/conflicts')).status, 404);
  assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/followup`)).status, 404);
  assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/pre?batch=999999`)).status, 404);
  assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/pre?batch=x`)).status, 404);
  assert.equal((await users.expert.get(`/admin/e/${SLUG}/paper/pre`)).status, 403);
  assert.equal((await users.expert.get(`/admin/e/${SLUG}/entry/pre`)).status, 403);
  const anon = await new Client().get(`/admin/e/${SLUG}/entry/pre`);
  assert.equal(anon.status, 303);
  assert.match(anon.headers.location, /^\/admin\/login\?next=/);
  const csrf = await csrfOf(users.a, `/admin/e/${SLUG}/entry/pre`);
  const other = await users.a.post('/admin/e/no-such-event/entry/pre', [['_csrf', csrf], ['_lang', 'fr'], ['org_type', '1'], ['know_iso', '2']]);
  assert.equal(other.status, 404);
});

test('a batch: CSRF-checked, resent form issues nothing, one sheet per code on pre and post', async () => {
  const page = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr`);
  const body = [['count', '3'], ['_token', hidden(page.text, '_token')], ['instrument', 'pre'], ['lang', 'fr']];
  const before = count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`);
  assert.equal((await users.a.post(`/admin/e/${SLUG}/paper/batch`, body)).status, 403, 'no _csrf');
  assert.equal((await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', 'f'.repeat(64)], ...body])).status, 403);
  assert.equal(count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`), before);
  const csrf = hidden(page.text, '_csrf');
  const res = await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ...body]);
  assert.equal(res.status, 303);
  const m = res.headers.location.match(new RegExp(`^/admin/e/${SLUG}/paper/pre\\?lang=fr&batch=(\\d+)$`));
  assert.ok(m, res.headers.location);
  const again = await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ...body]);
  assert.equal(again.status, 303);
  assert.equal(again.headers.location, res.headers.location, 'the same batch');
  assert.equal(count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`), before + 3);
  // a reload of the printable form is a GET: nothing issued either
  const pre = await users.a.get(res.headers.location);
  await users.a.get(res.headers.location);
  assert.equal(count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`), before + 3);
  const codes = [...pre.text.matchAll(/aria-label="http:[^"]*\/pre\?lang=fr&amp;code=([0-9A-Z]{4}-[0-9A-Z]{4})"/g)].map((x) => x[1]);
  assert.equal(codes.length, 3, 'one sheet per code');
  assert.equal((pre.text.match(/class="paper-sheet"/g) || []).length, 3);
  assert.ok(!pre.text.includes('sheetno-box'), 'a coded sheet needs no sheet number');
  const post = await users.a.get(`/admin/e/${SLUG}/paper/post?lang=fr&batch=${m[1]}`);
  const pcodes = [...post.text.matchAll(/\/post\?lang=fr&amp;code=([0-9A-Z]{4}-[0-9A-Z]{4})"/g)].map((x) => x[1]);
  assert.deepEqual(pcodes, codes, 'the pre and post sheets carry the same codes, in the same order');
  // the code is printed in its boxes
  const chars = codes[0].replace('-', '').split('');
  assert.ok(pre.text.includes(chars.map((c, i) => `<span class="cbox">${c}</span>${i === 3 ? '<span class="cdash">-</span>' : ''}`).join('')));
  // a new form (a new key) is a new batch; bad counts are 422
  const fresh = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr`);
  const res2 = await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ['count', '1'], ['_token', hidden(fresh.text, '_token')]]);
  assert.equal(res2.status, 303);
  assert.notEqual(res2.headers.location, res.headers.location);
  for (const bad of ['0', '501', 'abc', '', '1e2'])
    assert.equal((await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ['count', bad]])).status, 422, bad);
  // another event's batch is not found through this one
  assert.equal((await users.a.get(`/admin/e/imanor-2017/paper/pre?batch=${m[1]}`)).status, 404);
  globalThis.BATCH_CODES = codes;
});

test('declared inputs (keys.c): whole-string values within bounds, enums exactly', async () => {
  const page = await users.a.get(`/admin/e/${SLUG}/paper/pre?lang=fr`);
  const csrf = hidden(page.text, '_csrf');
  const res = await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ['count', '1'], ['_token', hidden(page.text, '_token')], ['instrument', 'post']]);
  assert.equal(res.status, 303);
  assert.match(res.headers.location, new RegExp(`^/admin/e/${SLUG}/paper/post\\?lang=fr&batch=\\d+$`));
  const id = res.headers.location.match(/batch=(\d+)$/)[1];
  assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/pre?batch=${id}`)).status, 200);
  for (const b of [`0${id}`, `${id}x`, ` ${id}`, '', '2147483648'])
    assert.equal((await users.a.get(`/admin/e/${SLUG}/paper/pre?batch=${encodeURIComponent(b)}`)).status, 404, `batch=${b}`);
  // an unknown instrument for the next page falls back to pre
  const res2 = await users.a.post(`/admin/e/${SLUG}/paper/batch`, [['_csrf', csrf], ['count', '1'], ['_token', `k${RUN}x`], ['instrument', 'Post']]);
  assert.match(res2.headers.location, new RegExp(`^/admin/e/${SLUG}/paper/pre\\?`));
  for (const v of ['on', '', '01', 'true'])
    assert.equal((await users.a.post(`/admin/e/${SLUG}/entry/mode`, [['_csrf', csrf], ['double_entry', v]])).status, 422, `double_entry=${v}`);
  assert.equal(psql('SELECT double_entry FROM event WHERE slug = :\'s\'', { s: SLUG })[0][0], 'f');
  // _resolve is 1 (or 0) or nothing: another value is refused, nothing stored
  const n0 = responses();
  assert.equal((await enter(users.a, 'pre', [['_resolve', 'yes'], ['_sheet', '5'], ['org_type', '1'], ['know_iso', '2']])).status, 400);
  assert.equal(responses(), n0);
  assert.equal((await users.a.get(`/admin/e/${SLUG}/entry/pre?resolve=${encodeURIComponent('N:1\u0001')}`)).status, 404);
  const lost = await users.a.get(`/admin/e/${SLUG}/entry/pre?state=lost&saved=nonsense`);
  assert.equal(lost.status, 200, 'an unknown state or code after a save is ignored');
});

test('data entry: CSRF-checked; 422 keeps every typed value and marks the field', async () => {
  const n0 = responses();
  assert.equal((await users.a.post(`/admin/e/${SLUG}/entry/pre`, [['_lang', 'fr'], ['org_type', '1'], ['know_iso', '2']])).status, 403);
  const res = await enter(users.a, 'pre', [['org_type', '2'], ['sectors', '1 3'], ['know_iso', '7'], ['note', 'Écrit à la main, "lisible"']]);
  assert.equal(res.status, 422);
  assert.match(res.text, /name="know_iso" value="7" inputmode="numeric" aria-invalid="true" aria-describedby="err-know_iso"/);
  assert.ok(res.text.includes('name="org_type" value="2"'));
  assert.ok(res.text.includes('name="sectors" value="1 3"'));
  assert.ok(res.text.includes(`value="${'Écrit à la main, &quot;lisible&quot;'}"`), 'the text as typed');
  // a malformed code and a bad sheet number: 422, kept
  const res2 = await enter(users.a, 'pre', [['_code', 'not a code!'], ['org_type', '1'], ['know_iso', '3']]);
  assert.equal(res2.status, 422);
  assert.match(res2.text, /name="_code" value="not a code!"[^>]*aria-invalid="true"/);
  const res3 = await enter(users.a, 'pre', [['_sheet', '12a'], ['org_type', '1'], ['know_iso', '3']]);
  assert.equal(res3.status, 422);
  assert.match(res3.text, /name="_sheet" value="12a"[^>]*aria-invalid="true"/);
  // an unknown (well-formed) code: 422 on the code
  const res4 = await enter(users.a, 'pre', [['_code', 'ZZZZ-ZZZZ'], ['org_type', '1'], ['know_iso', '3']]);
  assert.equal(res4.status, 422);
  assert.match(res4.text, /name="_code" value="ZZZZ-ZZZZ"[^>]*aria-invalid="true"/);
  assert.equal(responses(), n0, 'nothing stored');
});

test('two sheets typed in one browser are two participants, source paper, entered_by, whatever the window', async () => {
  const n0 = responses("r.instrument = 'pre'");
  const a = await enter(users.a, 'pre', [['org_type', '2'], ['sectors', '1, 3'], ['know_iso', '4']]);
  assert.equal(a.status, 303, a.text);
  const b = await enter(users.a, 'pre', [['org_type', '3'], ['org_type.other', 'ONG'], ['know_iso', ' 2 ']]);
  assert.equal(b.status, 303, b.text);
  const ca = a.headers.location.match(/saved=([0-9A-Z-]{9})/)[1], cb = b.headers.location.match(/saved=([0-9A-Z-]{9})/)[1];
  assert.notEqual(ca, cb);
  assert.equal(responses("r.instrument = 'pre'"), n0 + 2);
  const rows = psql(`SELECT r.answers::text, r.source, u.name, r.lang FROM response r JOIN participant p ON p.id = r.participant_id
    LEFT JOIN app_user u ON u.id = r.entered_by WHERE p.code = :'c' AND r.event_id = (SELECT id FROM event WHERE slug = :'s')`,
  { c: ca.replace('-', ''), s: SLUG });
  assert.deepEqual(JSON.parse(rows[0][0]), { org_type: 'agency', sectors: ['agri', 'food'], know_iso: '4' });
  assert.equal(rows[0][1], 'paper');
  assert.equal(rows[0][2], `paper_a_${RUN}`);
  assert.equal(rows[0][3], 'fr');
  const page = await users.a.get(a.headers.location);
  assert.match(page.text, new RegExp(`id="saved-code" dir="ltr">${ca}<`));
  // the operator's browser got no participant cookie
  assert.ok(![...users.a.cookies.keys()].some((k) => k.startsWith('enq_code')));
});

test('a sheet with a required item left blank is stored as written; a sheet with no answer is 422', async () => {
  const n0 = responses("r.instrument = 'pre'");
  // org_type and know_iso are required on the web form; the attendee
  // skipped know_iso on paper
  const partial = await enter(users.a, 'pre', [['org_type', '2']]);
  assert.equal(partial.status, 303, partial.text);
  const code = partial.headers.location.match(/saved=([0-9A-Z-]{9})/)[1];
  const rows = psql(`SELECT r.answers::text FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' AND r.event_id = (SELECT id FROM event WHERE slug = :'s')`, { c: code.replace('-', ''), s: SLUG });
  assert.deepEqual(JSON.parse(rows[0][0]), { org_type: 'agency' });
  // an invalid value is still refused, and kept
  const bad = await enter(users.a, 'pre', [['know_iso', '9']]);
  assert.equal(bad.status, 422);
  assert.match(bad.text, /name="know_iso" value="9"[^>]*aria-invalid="true"/);
  // nothing at all: a slip, not a participant
  const empty = await enter(users.a, 'pre', []);
  assert.equal(empty.status, 422);
  assert.match(empty.text, /name="_sheet"[^>]*aria-invalid="true"/);
  assert.equal(responses("r.instrument = 'pre'"), n0 + 1);
});

test('a pre and a post sheet with the same badge code make one pair; a second pre with it is 409, kept', async () => {
  const code = globalThis.BATCH_CODES[0];
  const paired0 = count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = 'pre')
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = 'post')`);
  const pre = await enter(users.b, 'pre', [['_code', code.toLowerCase()], ['org_type', '1'], ['know_iso', '2']]);
  assert.equal(pre.status, 303, pre.text);
  assert.ok(pre.headers.location.includes(`saved=${code}`));
  const post = await enter(users.b, 'post', [['_code', code], ['know_iso', '4'], ['know_iso.retro', '1'], ['recommend', '9']]);
  assert.equal(post.status, 303, post.text);
  const paired = count(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = 'pre')
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = 'post')`);
  assert.equal(paired, paired0 + 1);
  const again = await enter(users.b, 'pre', [['_code', code], ['org_type', '2'], ['know_iso', '5']]);
  assert.equal(again.status, 409);
  assert.ok(again.text.includes('name="know_iso" value="5"'));
  assert.match(again.text, /id="entry-notice"/);
  // the summary counts the pair
  const sum = await users.a.get(`/api/v1/events/${SLUG}/summary`);
  assert.equal(sum.status, 200);
  assert.equal(JSON.parse(sum.text).counts.paired, paired);
});

test('double entry: agreement stores once; a difference is listed per item, kept out of the analysis, resolved by a third person', async () => {
  const csrf = await csrfOf(users.a, `/admin/e/${SLUG}/entry/pre`);
  assert.equal((await users.a.post(`/admin/e/${SLUG}/entry/mode`, [['double_entry', '1']])).status, 403);
  const mode = await users.a.post(`/admin/e/${SLUG}/entry/mode`, [['_csrf', csrf], ['double_entry', '1'], ['instrument', 'pre']]);
  assert.equal(mode.status, 303);
  assert.equal(psql('SELECT double_entry FROM event WHERE slug = :\'s\'', { s: SLUG })[0][0], 't');
  const pre0 = responses("r.instrument = 'pre'");
  // without a code or a sheet number a sheet cannot be matched
  const none = await enter(users.a, 'pre', [['org_type', '1'], ['know_iso', '3']]);
  assert.equal(none.status, 422);
  assert.match(none.text, /name="_sheet" value=""[^>]*aria-invalid="true"/);
  // agreement (matched by code)
  const code = globalThis.BATCH_CODES[1];
  const s1 = [['_code', code], ['org_type', '2'], ['sectors', '2'], ['know_iso', '3']];
  const e1 = await enter(users.a, 'pre', s1);
  assert.equal(e1.status, 303);
  assert.match(e1.headers.location, /state=pending/);
  assert.equal(responses("r.instrument = 'pre'"), pre0, 'a first entry is not in the analysis');
  assert.equal((await enter(users.a, 'pre', s1)).status, 409, 'the same operator cannot type the second entry');
  const e2 = await enter(users.b, 'pre', s1);
  assert.equal(e2.status, 303);
  assert.match(e2.headers.location, /state=agreed&saved=/);
  assert.equal(responses("r.instrument = 'pre'"), pre0 + 1);
  assert.equal((await enter(users.c, 'pre', s1)).status, 409, 'a confirmed sheet is done');
  // a difference (matched by sheet number)
  const d1 = await enter(users.a, 'pre', [['_sheet', '0017'], ['org_type', '1'], ['sectors', '1 2'], ['know_iso', '4'], ['note', 'ok']]);
  assert.equal(d1.status, 303);
  const d2 = await enter(users.b, 'pre', [['_sheet', '17'], ['org_type', '1'], ['sectors', '1 2'], ['know_iso', '5'], ['note', 'ok']]);
  assert.equal(d2.status, 303);
  assert.match(d2.headers.location, /state=differs/);
  assert.equal(responses("r.instrument = 'pre'"), pre0 + 1, 'a sheet in conflict is not in the analysis');
  const conflicts = await users.c.get(`/admin/e/${SLUG}/entry/conflicts`);
  assert.equal(conflicts.status, 200);
  const sec = conflicts.text.match(/<section class="conflict" data-sheet="17" data-instrument="pre">[\s\S]*?<\/section>/);
  assert.ok(sec, 'sheet 17 listed');
  const diffs = [...sec[0].matchAll(/<tr data-field="([^"]+)"><th scope="row">[^<]*<code>[^<]*<\/code><\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((x) => x.slice(1));
  assert.deepEqual(diffs, [['know_iso', '4', '5']], 'exactly the one difference');
  assert.ok(sec[0].includes(`paper_a_${RUN}`) && sec[0].includes(`paper_b_${RUN}`));
  const url = unescapeHtml(sec[0].match(/class="resolve-link" href="([^"]+)"/)[1]);
  // the resolution form: agreed values filled in, the difference left to type
  const form = await users.c.get(url);
  assert.equal(form.status, 200);
  assert.ok(form.text.includes('name="org_type" value="1"'));
  assert.ok(form.text.includes('name="sectors" value="1 2"'));
  assert.match(form.text, /name="know_iso" value=""/);
  assert.match(form.text, /class="entry-was">1: 4 · 2: 5</);
  const r = (u, v) => u.post(`/admin/e/${SLUG}/entry/pre`, [['_csrf', hidden(form.text, '_csrf')], ['_resolve', '1'], ['_lang', 'fr'], ['_sheet', '17'], ['org_type', '1'], ['sectors', '1 2'], ['know_iso', v], ['note', 'ok']]);
  // an operator of the sheet cannot resolve it
  const csrfA = await csrfOf(users.a, url);
  const byA = await users.a.post(`/admin/e/${SLUG}/entry/pre`, [['_csrf', csrfA], ['_resolve', '1'], ['_lang', 'fr'], ['_sheet', '17'], ['org_type', '1'], ['know_iso', '4']]);
  assert.equal(byA.status, 409);
  const ok = await r(users.c, '5');
  assert.equal(ok.status, 303, ok.text);
  assert.match(ok.headers.location, /state=resolved&saved=/);
  assert.equal(responses("r.instrument = 'pre'"), pre0 + 2);
  const stored = psql(`SELECT r.answers->>'know_iso', r.source, u.name FROM response r JOIN paper_sheet s ON s.response_id = r.id
    JOIN app_user u ON u.id = r.entered_by WHERE s.sheet = 'N:17' AND s.event_id = (SELECT id FROM event WHERE slug = :'s')`, { s: SLUG });
  assert.deepEqual(stored[0], ['5', 'paper', `paper_c_${RUN}`]);
  assert.equal(count(`SELECT count(*) FROM paper_entry WHERE event_id = (SELECT id FROM event WHERE slug = :'s')`), 0,
    'the entries of stored sheets are not kept (the response holds the answers; erasure reaches them there)');
  const after = await users.c.get(`/admin/e/${SLUG}/entry/conflicts`);
  assert.match(after.text, /id="no-conflicts"/);
  assert.equal((await r(users.c, '5')).status, 409, 'resolved once');
  // erasing a participant removes their sheet's waiting entry too
  const code3 = globalThis.BATCH_CODES[2];
  assert.equal((await enter(users.a, 'pre', [['_code', code3], ['org_type', '1'], ['know_iso', '2']])).status, 303);
  const waiting = () => count(`SELECT count(*) FROM paper_entry WHERE sheet = :'k' AND event_id = (SELECT id FROM event WHERE slug = :'s')`, { k: `C:${code3.replace('-', '')}` });
  assert.equal(waiting(), 1);
  must(ctl(['participant', 'erase', '--event', SLUG, code3]), 'erase');
  assert.equal(waiting(), 0);
  await users.a.post(`/admin/e/${SLUG}/entry/mode`, [['_csrf', csrf], ['double_entry', '0']]);
});

test('exports carry source=paper; the dashboard and the report count paper responses', async () => {
  const long = await users.a.get(`/admin/e/${SLUG}/export.csv?format=long`);
  assert.equal(long.status, 200);
  const lines = long.text.trim().split('\r\n');
  assert.equal(lines[0], 'participant,instrument,submitted_at,item,value,lang,source');
  assert.ok(lines.slice(1).length > 0);
  assert.ok(lines.slice(1).every((l) => l.endsWith(',paper')), 'every answer of this event came from paper');
  const json = JSON.parse((await users.a.get(`/admin/e/${SLUG}/export.json`)).text);
  assert.ok(json.responses.every((r) => r.source === 'paper'));
  const pre = responses("r.instrument = 'pre' AND r.source = 'paper'"), post = responses("r.instrument = 'post' AND r.source = 'paper'");
  assert.ok(pre > 0 && post > 0);
  for (const p of [`/admin/e/${SLUG}`, `/admin/e/${SLUG}/report`]) {
    const page = await users.a.get(p);
    assert.equal(page.status, 200, p);
    assert.match(page.text, new RegExp(`data-k="counts.paper">${pre} / ${post}<`), p);
  }
});
