// ui.test.mjs: what issue 17 found in the pages around the questionnaire,
// through the real stack: response rates against the attendance
// (`enquetectl event attendance`), the badge cards and the room poster
// (/admin/e/{slug}/poster) in the event's languages with a warning when the
// QR codes name this machine only, refused code counts with a message, the
// favicon, the landing page (host, dates in the reader's language, what is
// done and what is next), and the names and captions of every table of the
// dashboard, the report and the comparison.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql, tmpDir } from './lib.mjs';
import { Client, DEF, answers, hidden, unescapeHtml } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `ui-${RUN}`;
const SLUG2 = `ui2-${RUN}`;
const ADMIN = `ui_admin_${RUN}`;
const EXPERT = `ui_expert_${RUN}`;
const PW = 'password123';
const tmp = tmpDir('enquete-ui-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const PUBLIC = (process.env.ENQUETE_PUBLIC_URL || process.env.ENQUETE_BASE_URL || '').replace(/\/$/, '');
const loopback = /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(PUBLIC);

function load(slug) {
  const def = structuredClone(DEF);
  def.event.slug = slug;
  const file = path.join(tmp, `${slug}.json`);
  writeFileSync(file, JSON.stringify(def));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', slug, 'pre']), 'open pre');
  must(ctl(['event', 'open', slug, 'post']), 'open post');
}

// GETs the form of slug and POSTs complete answers; returns the POST.
async function answer(c, slug, kind) {
  const form = await c.get(`/e/${slug}/${kind}`);
  assert.equal(form.status, 200);
  const tech = ['_token', '_version', '_lang'].map((k) => [k, hidden(form.text, k)]);
  const res = await c.post(`/e/${slug}/${kind}`, [...tech, ...answers(kind)]);
  assert.equal(res.status, 303, `${kind}: ${res.status}`);
  return res;
}

// data-k="..." cells of a page: Map key -> text (tags removed).
function cells(html) {
  const out = new Map();
  for (const m of html.matchAll(/data-k="([^"]+)">([\s\S]*?)<\/t[dh]>/g)) {
    out.set(unescapeHtml(m[1]), unescapeHtml(m[2].replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim());
  }
  return out;
}

let admin, expert, attendee;
before(async () => {
  load(SLUG);
  load(SLUG2);
  must(ctl(['user', 'add', ADMIN, '--role', 'admin'], `${PW}\n`), 'user add');
  must(ctl(['user', 'add', EXPERT, '--role', 'expert'], `${PW}\n`), 'user add');
  admin = new Client();
  expert = new Client();
  assert.equal((await admin.login(ADMIN, PW)).status, 303);
  assert.equal((await expert.login(EXPERT, PW)).status, 303);
  // 3 paired participants, 2 who answer only post (own codes, no badge):
  // pre 3, post 5, paired 3; and 12 badge codes nobody used.
  for (let i = 0; i < 3; i++) {
    const c = new Client();
    await answer(c, SLUG, 'pre');
    await answer(c, SLUG, 'post');
  }
  for (let i = 0; i < 2; i++) await answer(new Client(), SLUG, 'post');
  must(ctl(['codes', 'generate', '--event', SLUG, '--count', '12']), 'codes');
  attendee = new Client();
});

test('event attendance: the CLI stores it and refuses what is not a count', () => {
  for (const bad of ['0', '-3', '100001', 'abc', '12x', '']) {
    const r = ctl(['event', 'attendance', SLUG, bad]);
    assert.equal(r.status, 2, `"${bad}": ${r.status}`);
    assert.match(r.stderr, /whole number from 1 to 100000/);
  }
  const none = ctl(['event', 'attendance', `no-such-${RUN}`, '20']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no event/);
  assert.equal(psql(`SELECT attendance IS NULL FROM event WHERE slug = :'s'`, { s: SLUG })[0][0], 't');
});

test('rates without an attendance: no rate of the event, badge codes only counted, never a rate above 100 %', async () => {
  const dash = await admin.get(`/admin/e/${SLUG}?lang=en`);
  assert.equal(dash.status, 200);
  const k = cells(dash.text);
  assert.equal(k.get('counts.pre'), '3');
  assert.equal(k.get('counts.post'), '5');
  assert.equal(k.get('counts.paired'), '3');
  // paired / pre, said as such; no post / pre ratio (it was 167 % here)
  assert.equal(k.get('counts.paired_rate'), '100% (3/3)');
  assert.doesNotMatch(dash.text, /Post \/ pre responses/);
  assert.doesNotMatch(dash.text, /\b(10[1-9]|1[1-9]\d|[2-9]\d\d)%/, 'no rate over 100 %');
  assert.match(dash.text, /<th scope="row">Pre respondents who also answered post \(paired \/ pre responses\)<\/th>/);
  assert.ok(!k.has('counts.pre_att_rate'));
  assert.match(dash.text, /id="attendance-unset"[^>]*>The attendance is not set/);
  // the 12 unused badge codes are counted, not turned into a 0 % rate
  assert.equal(k.get('counts.issued'), '12');
  assert.equal(k.get('counts.issued_pre'), '0/12');
  assert.doesNotMatch(dash.text, /of pre-issued codes/);
  const list = cells((await admin.get('/admin/?lang=en')).text);
  assert.equal(list.get(`${SLUG}.rate`), '— (attendance not set)');
  assert.equal(list.get(`${SLUG}.codes_used`), '0/12');
});

test('rates against the attendance once set: dashboard, report and events list say what they are against', async () => {
  const r = ctl(['event', 'attendance', SLUG, '8']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${SLUG} attendance 8`);
  assert.equal(psql(`SELECT attendance FROM event WHERE slug = :'s'`, { s: SLUG })[0][0], '8');
  for (const p of [`/admin/e/${SLUG}?lang=en`, `/admin/e/${SLUG}/report?lang=en`]) {
    const page = await admin.get(p);
    assert.equal(page.status, 200);
    const k = cells(page.text);
    assert.equal(k.get('counts.attendance'), '8', p);
    assert.equal(k.get('counts.pre_att_rate'), '38% (3/8)', p);
    assert.equal(k.get('counts.post_att_rate'), '62% (5/8)', p); // 62.5, to even
    assert.equal(k.get('counts.paired_att_rate'), '38% (3/8)', p);
    assert.match(page.text, /<th scope="row">Pre responses \/ attendance<\/th>/);
    assert.doesNotMatch(page.text, /id="attendance-unset"/);
  }
  const list = await admin.get('/admin/?lang=en');
  assert.match(list.text, /<th scope="col" class="num">Pre response rate \(of attendance\)<\/th>/);
  assert.equal(cells(list.text).get(`${SLUG}.rate`), '38 % (3/8)');
  // an expert sees the same dashboard figures
  assert.equal(cells((await expert.get(`/admin/e/${SLUG}?lang=en`)).text).get('counts.pre_att_rate'), '38% (3/8)');
});

test('badge cards: print the cards (not the report), the hint in every language of the event, a loopback warning', async () => {
  const sheet = await admin.get(`/admin/e/${SLUG}/codes?lang=en`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.text, /<button type="button" class="secondary print-button" data-print="1">Print the cards<\/button>/);
  assert.doesNotMatch(sheet.text, /Print the report/);
  // the page loads the script that handles data-print
  assert.match(sheet.text, /<script src="\/static\/enquete\.js" defer><\/script>/);
  const badges = sheet.text.split(/<div class="badge(?: used)?">/).slice(1);
  assert.equal(badges.length, 12);
  for (const b of badges) {
    const hints = [...b.matchAll(/<p class="badge-hint" lang="(\w+)" dir="(\w+)">/g)].map((m) => `${m[1]}/${m[2]}`);
    assert.deepEqual(hints, DEF.event.languages.map((l) => `${l}/${l === 'ar' ? 'rtl' : 'ltr'}`));
  }
  assert.match(sheet.text, /lang="ar" dir="rtl">امسحوا الرمز للإجابة/);
  assert.match(sheet.text, /lang="en" dir="ltr">Scan to answer/);
  assert.equal(/class="notice error qr-warning"/.test(sheet.text), loopback, `public URL ${PUBLIC}`);
  if (loopback) assert.match(sheet.text, /QR codes will not work on phones/);
  assert.ok(sheet.text.includes(`href="/admin/e/${SLUG}/poster"`), 'links to the poster');
});

test('badge codes: a count out of 1..1000 is a clear message (web and CLI), what was typed is kept', async () => {
  const sheet = await admin.get(`/admin/e/${SLUG}/codes?lang=en`);
  const before = psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: SLUG })[0][0];
  for (const bad of ['0', '100000', 'abc', '-1', '']) {
    const r = await admin.post(`/admin/e/${SLUG}/codes?lang=en`, [['_csrf', hidden(sheet.text, '_csrf')], ['count', bad]]);
    assert.equal(r.status, 422, bad);
    assert.match(r.text, /<div class="notice error" role="alert" id="count-error"><p>The number of codes must be a whole number from 1 to 1000\.<\/p><\/div>/, bad);
    assert.match(r.text, new RegExp(`name="count" min="1" max="1000" value="${bad}" required aria-invalid="true" aria-describedby="count-error"`), bad);
    assert.match(r.text, /<h1>Participant codes<\/h1>/, 'the sheet itself, not an error page');
  }
  assert.equal(psql(`SELECT count(*) FROM participant p JOIN event e ON e.id = p.event_id WHERE e.slug = :'s'`, { s: SLUG })[0][0], before);
  for (const bad of ['0', '100000', 'abc']) {
    const r = ctl(['codes', 'generate', '--event', SLUG, '--count', bad]);
    assert.equal(r.status, 2, bad);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `enquetectl: --count ${bad}: give a whole number of codes from 1 to 1000 (run the command again for more)\n`);
  }
});

test('the room poster: its own route, QR code of the landing page, the call to action in the event\'s languages', async () => {
  const p = await admin.get(`/admin/e/${SLUG}/poster?lang=fr`);
  assert.equal(p.status, 200);
  assert.match(p.headers['content-type'], /^text\/html/);
  const langs = [...p.text.matchAll(/<div class="poster-lang" lang="(\w+)" dir="(\w+)">\s*<p class="poster-title">([^<]*)<\/p>\s*<p class="poster-call">([^<]*)<\/p>/g)];
  assert.deepEqual(langs.map((m) => m[1]), DEF.event.languages);
  for (const m of langs) {
    assert.equal(unescapeHtml(m[3]), DEF.event.title[m[1]]);
    assert.ok(m[4].length > 20);
  }
  assert.ok(langs.find((m) => m[1] === 'en')[4].startsWith('Scan this code'));
  assert.match(p.text, /data-print="1">Imprimer l&#39;affiche<\/button>/);
  assert.equal(/qr-warning/.test(p.text), loopback);
  // the QR code decodes to the landing page's public address
  const svg = p.text.match(/<div class="poster-qr">(<svg[\s\S]*?<\/svg>)/)[1];
  writeFileSync(path.join(tmp, 'p.svg'), svg);
  assert.equal(spawnSync('rsvg-convert', ['-w', '600', '-o', path.join(tmp, 'p.png'), path.join(tmp, 'p.svg')]).status, 0);
  const z = spawnSync('zbarimg', ['-q', '--raw', path.join(tmp, 'p.png')], { encoding: 'utf8' });
  assert.equal(z.stdout.trim(), `${PUBLIC}/e/${SLUG}/`);
  // admins only, like the codes; unknown events 404; no session: sign-in
  assert.equal((await expert.get(`/admin/e/${SLUG}/poster`)).status, 403);
  assert.equal((await admin.get(`/admin/e/no-such-${RUN}/poster`)).status, 404);
  const anon = await new Client().get(`/admin/e/${SLUG}/poster`);
  assert.equal(anon.status, 303);
  assert.match(anon.headers.location, /^\/admin\/login\?next=/);
  assert.equal((await admin.post(`/admin/e/${SLUG}/poster`, [['_csrf', 'x']])).status, 405);
});

test('favicon: /favicon.ico is an icon, and every page names it', async () => {
  const c = new Client();
  const ico = await c.get('/favicon.ico');
  assert.equal(ico.status, 200);
  assert.equal(ico.headers['content-type'], 'image/x-icon');
  assert.deepEqual([...ico.raw.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header');
  assert.ok(ico.headers['content-security-policy']);
  for (const p of ['/', `/e/${SLUG}/`, `/e/${SLUG}/pre`, '/admin/login']) {
    assert.match((await c.get(p)).text, /<link rel="icon" href="\/favicon\.ico"/, p);
  }
});

test('landing page: the host body, the dates in the reader\'s language', async () => {
  const want = {
    fr: ['Organisé par', DEF.event.host.fr, '31 octobre 2017', '2 novembre 2017'],
    en: ['Hosted by', DEF.event.host.en, '31 October 2017', '2 November 2017'],
    ar: ['من تنظيم', DEF.event.host.ar, '31 أكتوبر 2017', '2 نوفمبر 2017'],
  };
  for (const [lang, [by, host, from, to]] of Object.entries(want)) {
    const p = await new Client().get(`/e/${SLUG}/?lang=${lang}`);
    assert.equal(p.status, 200);
    assert.ok(unescapeHtml(p.text).includes(`<p class="event-host">${by} <bdi>${host}</bdi></p>`), lang);
    assert.ok(p.text.includes(`<time datetime="2017-10-31">${from}</time> – <time datetime="2017-11-02">${to}</time>`), lang);
    assert.doesNotMatch(p.text, /id="landing-status"/);
  }
});

test('landing page: after the pre questionnaire it says so and points to the post one; after both, done', async () => {
  await answer(attendee, SLUG, 'pre');
  let p = await attendee.get(`/e/${SLUG}/?lang=en`);
  assert.match(p.text, /id="landing-status"><p>You have answered the pre-workshop questionnaire\. Thank you!<\/p>\s*<p>One questionnaire is left, after the workshop:<\/p>/);
  assert.ok(p.text.includes(`<a class="button" href="/e/${SLUG}/post?lang=en">`));
  assert.ok(!p.text.includes(`href="/e/${SLUG}/pre?lang=en"`), 'no invitation to answer pre again');
  // post not open yet: come back later
  must(ctl(['event', 'close', SLUG, 'post']), 'close post');
  p = await attendee.get(`/e/${SLUG}/?lang=en`);
  assert.match(p.text, /come back to this page then/);
  assert.ok(!p.text.includes(`/e/${SLUG}/post?lang=en`));
  must(ctl(['event', 'open', SLUG, 'post']), 'open post');
  await answer(attendee, SLUG, 'post');
  p = await attendee.get(`/e/${SLUG}/?lang=en`);
  assert.match(p.text, /id="landing-status"><p>You have answered both questionnaires/);
  // a cookie that is no code of this event changes nothing
  const stranger = new Client();
  stranger.cookies.set('enq_code', 'ZZZZZZZZ');
  assert.doesNotMatch((await stranger.get(`/e/${SLUG}/`)).text, /id="landing-status"/);
});

// Every scrollable table region has a name of its own (its caption) and
// every table a caption.
function checkTables(html, where) {
  const regions = [...html.matchAll(/<div class="table-wrap" tabindex="0" role="region"([^>]*)>\s*<table[^>]*>\s*(<caption id="([^"]+)"[^>]*>([\s\S]*?)<\/caption>)?/g)];
  assert.ok(regions.length >= 1, where);
  // (a layout table, role="presentation", is not a data table)
  const tables = (html.match(/<table\b(?![^>]*role="presentation")/g) || []).length;
  assert.equal(regions.length, tables, `${where}: every table sits in a named region`);
  const names = regions.map((m) => {
    assert.ok(m[2], `${where}: a table without a caption`);
    assert.equal(m[1], ` aria-labelledby="${m[3]}"`, `${where}: the region is named by its caption`);
    return m[4].replace(/<[^>]*>/g, '').trim();
  });
  assert.equal(new Set(names).size, names.length, `${where}: region names ${JSON.stringify(names)}`);
  assert.doesNotMatch(html, /aria-label="Table \(scroll sideways if needed\)"/, where);
  const ids = regions.map((m) => m[3]);
  assert.equal(new Set(ids).size, ids.length, `${where}: caption ids unique`);
}

test('dashboard, report and comparison: each table region is named after its section, each table has a caption', async () => {
  for (const p of [`/admin/e/${SLUG}?lang=en`, `/admin/e/${SLUG}/report?lang=en`,
    `/admin/compare?events=${SLUG},${SLUG2}&lang=en`, '/admin/?lang=en']) {
    const page = await admin.get(p);
    assert.equal(page.status, 200, p);
    checkTables(page.text, p);
  }
  const dash = (await admin.get(`/admin/e/${SLUG}?lang=en`)).text;
  for (const cap of ['Responses and response rates', 'Workshop evaluation: mean and 95 % confidence interval']) {
    assert.ok(dash.includes(`>${cap}</caption>`), cap);
  }
});
