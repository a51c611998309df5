// flow.test.mjs: the attendee flow's guarantees beyond the plain contract
// (issues #17 "The attendee flow", #18.1, #18.5, #18.9): an unforgeable
// participant cookie, answering again as an explicit choice, a frozen
// baseline, unknown codes said early, closed forms, named errors, personal
// data outside the raw answers, strict "other" and "_version".
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { psql } from './lib.mjs';
import { Client, SLUG, DEF, answers, submit, hidden, shownCode, items, freshAddress } from './client.mjs';

const ctl = (...args) => spawnSync('bin/enquetectl', args, { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
const bare = (code) => code.replace('-', '');

async function participant(kind = 'pre', extra = {}, opts = {}) {
  const c = new Client(opts);
  const { res } = await submit(c, kind, answers(kind, extra));
  assert.equal(res.status, 303, res.text.slice(0, 400));
  const code = shownCode((await c.get(`/e/${SLUG}/${kind}/thanks`)).text);
  assert.ok(code);
  return { c, code };
}

function stored(code, kind, key) {
  const rows = psql(`SELECT r.answers->>:'k', r.version FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' AND r.instrument = :'i'`, { c: bare(code), i: kind, k: key });
  return rows.length ? { value: rows[0][0], version: Number(rows[0][1]) } : null;
}

// GETs the form, then POSTs it with the enq_code cookie set to cookie (the
// GET would clear a cookie that fails the check, as a browser would obey).
async function submitWithCookie(client, kind, body, cookie, extra = []) {
  client.cookies.delete('enq_code');
  const form = await client.get(`/e/${SLUG}/${kind}`);
  client.cookies.set('enq_code', cookie);
  const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  return client.post(`/e/${SLUG}/${kind}`, [...tech, ...extra, ...body]);
}

const setCookieOf = (res) => [].concat(res.headers['set-cookie'] || []).filter((s) => s.startsWith('enq_code='));

test('#18.1 a forged cookie holding another participant\'s code does not rewrite their response', async () => {
  const { code } = await participant('pre', { expectations: 'la vraie réponse' });
  const attacker = new Client({ localAddress: freshAddress() });
  for (const forged of [bare(code), `${bare(code)}.${'0'.repeat(32)}`, `${bare(code)}.`, code]) {
    attacker.cookies.clear();
    attacker.cookies.set('enq_code', forged);
    const get = await attacker.get(`/e/${SLUG}/pre`);
    assert.ok(!get.text.includes('id="answered"'), `${forged}: the form does not show the victim's answer`);
    assert.ok(!get.text.includes('la vraie réponse'));
    const res = await submitWithCookie(attacker, 'pre', answers('pre', { expectations: 'réécrite' }), forged, [['_edit', '1']]);
    assert.equal(res.status, 303, forged);
    // the cookie set is a new participant's, not the victim's
    const set = setCookieOf(res);
    assert.equal(set.length, 1);
    assert.ok(!set[0].startsWith(`enq_code=${bare(code)}`), set[0]);
  }
  assert.deepEqual(stored(code, 'pre', 'expectations'), { value: 'la vraie réponse', version: 1 });
});

test('#18.1 the Set-Cookie after a forged cookie does not tell whether the code exists', async () => {
  const { code } = await participant('pre');
  const shapes = [];
  for (const forged of [bare(code), 'ZZZZZZZZ']) {
    const c = new Client({ localAddress: freshAddress() });
    const res = await submitWithCookie(c, 'post', answers('post'), forged);
    assert.equal(res.status, 303);
    const set = setCookieOf(res);
    assert.equal(set.length, 1);
    assert.ok(!set[0].includes(bare(code)) && !set[0].includes('ZZZZZZZZ'));
    shapes.push(set[0].replace(/^enq_code=[^;]*/, 'enq_code=X'));
  }
  assert.equal(shapes[0], shapes[1]);
});

// The code-guess limit per client (address, event), as cgi/domain/auth.h sets it.
const GUESS_MAX = Number(readFileSync(new URL('../../cgi/domain/auth.h', import.meta.url), 'utf8').match(/#define CODE_GUESS_MAX (\d+)/)[1]);
const L = 'ABCDEFGHJKMNPQRSTVWXYZ';
const guess = (i) => `ZZZZ-Z${L[Math.floor(i / L.length) % L.length]}${L[i % L.length]}Z`;

test('#18.1 forged cookies and unknown codes in the link count against the code-guess limit', async () => {
  // forged cookies on POST
  const a = new Client({ localAddress: freshAddress() });
  for (let i = 0; i < GUESS_MAX; i++) {
    assert.equal((await submitWithCookie(a, 'post', answers('post'), guess(i).replace('-', ''))).status, 303);
  }
  a.cookies.clear();
  const typed = await submit(a, 'post', answers('post', { comments: 'encore là' }), { extra: [['_code', 'YYYY-YYYY']] });
  assert.equal(typed.res.status, 429);
  assert.ok(typed.res.text.includes('encore là'));
  // unknown ?code= on GET
  const b = new Client({ localAddress: freshAddress() });
  for (let i = 0; i < GUESS_MAX; i++) {
    const g = await b.get(`/e/${SLUG}/pre?code=${guess(i)}`);
    assert.equal(g.status, 200);
    assert.ok(g.text.includes('id="err-_code"'), `guess ${i}`);
    assert.ok(!g.headers['retry-after'], `guess ${i} is not refused yet`);
  }
  const g = await b.get(`/e/${SLUG}/pre?code=YYYY-YYYY`);
  assert.match(g.text, /id="err-_code"/);
  assert.ok(Number(g.headers['retry-after']) > 0, 'the guess past the limit is refused');
  const t2 = await submit(b, 'post', answers('post'), { extra: [['_code', 'YYYY-YYYY']] });
  assert.equal(t2.res.status, 429);
});

test('#17 an unknown badge code in the link is said on the GET, with a field to correct or drop it', async () => {
  const c = new Client({ localAddress: freshAddress() });
  const get = await c.get(`/e/${SLUG}/pre?code=ZZZZ-ZZZZ`);
  assert.equal(get.status, 200);
  assert.match(get.text, /<input type="text" id="_code" name="_code" value="ZZZZ-ZZZZ"[^>]*aria-invalid="true"/);
  assert.ok(get.text.includes('id="err-_code"'));
  assert.ok(get.text.includes('class="notice error"'));
  // a known badge code: carried, no message
  const badge = (await participant('post')).code;
  const ok = await c.get(`/e/${SLUG}/pre?code=${badge}`);
  assert.ok(!ok.text.includes('id="err-_code"'));
  assert.equal(hidden(ok.text, '_code'), badge);
  // on a browser linked to someone else (a shared device), the badge in
  // the link wins: that other person's answers are not shown
  const { c: shared } = await participant('pre', { expectations: 'la réponse de A' });
  const other = await shared.get(`/e/${SLUG}/pre?code=${badge}`);
  assert.ok(!other.text.includes('la réponse de A'));
  assert.ok(!other.text.includes('id="answered"'));
  assert.equal(hidden(other.text, '_code'), badge);
});

test('#18.5 the personal keys of a definition, as migration 011 removes them', () => {
  assert.deepEqual(psql(`SELECT enquete_personal_keys(definition_id) FROM event WHERE slug = :'s'`, { s: SLUG }), [['{contact,followup_email}']]);
});

test('#17 the 422 for an unknown code on the pre form has a field to change or drop it, answers kept', async () => {
  const c = new Client({ localAddress: freshAddress() });
  const form = await c.get(`/e/${SLUG}/pre`);
  const body = [['_token', hidden(form.text, '_token')], ['_version', hidden(form.text, '_version')], ['_code', 'ZZZZ-ZZZZ'],
    ...answers('pre', { expectations: 'à garder' })];
  const res = await c.post(`/e/${SLUG}/pre`, body);
  assert.equal(res.status, 422);
  assert.match(res.text, /<input type="text" id="_code" name="_code" value="ZZZZ-ZZZZ"/);
  assert.ok(res.text.includes('à garder'));
  // dropping the code: stored as a new participant
  const again = await c.post(`/e/${SLUG}/pre`, [['_token', hidden(res.text, '_token')], ['_version', hidden(res.text, '_version')],
    ['_code', ''], ...answers('pre', { expectations: 'à garder' })]);
  assert.equal(again.status, 303);
});

test('#17 answering again: the form shows the stored answer and its date; changing it needs _edit=1', async () => {
  const { c, code } = await participant('pre', { expectations: 'première' });
  const get = await c.get(`/e/${SLUG}/pre`);
  assert.equal(get.status, 200);
  assert.match(get.text, /id="answered"[^]*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  assert.ok(get.text.includes('>première</textarea>'), 'the stored answers are shown');
  assert.match(get.text, /<input type="checkbox" id="_edit" name="_edit" value="1">/);
  // without _edit: 409, answers kept, nothing changed
  const { res } = await submit(c, 'pre', answers('pre', { expectations: 'seconde' }));
  assert.equal(res.status, 409);
  assert.ok(res.text.includes('seconde'));
  assert.ok(res.text.includes('id="_edit"'));
  assert.deepEqual(stored(code, 'pre', 'expectations'), { value: 'première', version: 1 });
  // with _edit=1: updated, history kept
  const ok = await submit(c, 'pre', answers('pre', { expectations: 'seconde' }), { extra: [['_edit', '1']] });
  assert.equal(ok.res.status, 303);
  assert.deepEqual(stored(code, 'pre', 'expectations'), { value: 'seconde', version: 2 });
});

test('#17 a pre answer can no longer change once that participant answered post', async () => {
  const { c, code } = await participant('pre', { expectations: 'base' });
  assert.equal((await submit(c, 'post', answers('post'))).res.status, 303);
  const get = await c.get(`/e/${SLUG}/pre`);
  assert.ok(get.text.includes('id="answered"'));
  assert.ok(!get.text.includes('id="_edit"'), 'no choice to change it');
  const { res } = await submit(c, 'pre', answers('pre', { expectations: 'tardive' }), { extra: [['_edit', '1']] });
  assert.equal(res.status, 409);
  assert.ok(res.text.includes('tardive'));
  assert.ok(res.text.includes('class="notice error"'));
  assert.deepEqual(stored(code, 'pre', 'expectations'), { value: 'base', version: 1 });
});

test('#17 closed: GET shows the notice and no form; a POST after closing gets its answers back', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/post`);
  assert.equal(ctl('event', 'close', SLUG, 'post').status, 0);
  try {
    const get = await c.get(`/e/${SLUG}/post`);
    assert.equal(get.status, 410);
    assert.ok(get.text.includes('class="notice error"'));
    assert.ok(!get.text.includes('<form method="post"'), 'no form');
    assert.ok(!get.text.includes('type="submit"'));
    const res = await c.post(`/e/${SLUG}/post`, [['_token', hidden(form.text, '_token')], ['_version', hidden(form.text, '_version')],
      ...answers('post', { comments: 'trop tard' })]);
    assert.equal(res.status, 410);
    assert.ok(res.text.includes('trop tard'));
    assert.ok(!res.text.includes('type="submit"'));
  } finally {
    assert.equal(ctl('event', 'open', SLUG, 'post').status, 0);
  }
});

test('#17 each entry of the error summary names its question', async () => {
  const { res } = await submit(new Client(), 'pre', []);
  assert.equal(res.status, 422);
  const summary = res.text.match(/<div class="error-summary"[^]*?<\/div>/)[0];
  const entries = [...summary.matchAll(/<li>([^]*?)<\/li>/g)].map((m) => m[1]);
  const required = items('pre').filter((i) => i.required);
  assert.ok(entries.length >= required.length && entries.length > 1);
  assert.equal(new Set(entries).size, entries.length, 'no two entries alike');
  for (const it of required) {
    const label = it.label.fr.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    assert.ok(entries.some((e) => e.includes(label)), `summary names ${it.key}`);
  }
});

test('#17 the post form linked by the cookie does not ask to enter a code', async () => {
  const { c } = await participant('pre');
  const linked = await c.get(`/e/${SLUG}/post?lang=en`);
  assert.ok(!linked.text.includes('name="_code"'));
  assert.ok(linked.text.includes('id="code-linked"'));
  assert.match(linked.text, /id="code-linked">[^<]*no code to enter/);
  const unlinked = await new Client().get(`/e/${SLUG}/post?lang=en`);
  assert.ok(unlinked.text.includes('name="_code"'));
  assert.ok(!unlinked.text.includes('id="code-linked"'));
  // the landing page still answers for a browser that holds the cookie
  const landing = await c.get(`/e/${SLUG}/`);
  assert.equal(landing.status, 200);
  assert.ok(landing.text.includes(`/e/${SLUG}/post`));
  // a participant who answered post only has no pre answer to link to
  const { c: postOnly } = await participant('post');
  const again = await postOnly.get(`/e/${SLUG}/post?lang=en`);
  assert.ok(again.text.includes('id="answered"'));
  assert.ok(!again.text.includes('id="code-linked"'));
  assert.ok(!again.text.includes('name="_code"'));
});

test('#18.5 personal items never reach the raw answers; a withdrawn contact leaves no trace', async () => {
  const { c } = await participant('pre');
  const mail = `contact-${Date.now()}@example.org`;
  const first = await submit(c, 'post', answers('post', { contact_consent: 'yes', contact: mail }));
  assert.equal(first.res.status, 303);
  const code = bare(c.cookies.get('enq_code').slice(0, 8));
  const where = `FROM response r JOIN participant p ON p.id = r.participant_id WHERE p.code = :'c' AND r.instrument = 'post'`;
  assert.equal(psql(`SELECT count(*) FROM contact k JOIN response r ON r.id = k.response_id JOIN participant p
    ON p.id = r.participant_id WHERE p.code = :'c' AND k.value = :'m'`, { c: code, m: mail })[0][0], '1');
  assert.equal(psql(`SELECT r.answers ? 'contact' ${where}`, { c: code })[0][0], 'f');
  // withdrawn: answered again without consent
  const again = await submit(c, 'post', answers('post', { contact_consent: 'no' }), { extra: [['_edit', '1']] });
  assert.equal(again.res.status, 303);
  assert.equal(psql(`SELECT count(*) FROM contact WHERE value = :'m'`, { m: mail })[0][0], '0');
  assert.equal(psql(`SELECT count(*) FROM response WHERE answers::text LIKE '%' || :'m' || '%'`, { m: mail })[0][0], '0');
  assert.equal(psql(`SELECT count(*) FROM response_history WHERE answers::text LIKE '%' || :'m' || '%'`, { m: mail })[0][0], '0');
  assert.equal(psql(`SELECT count(*) FROM response_history h JOIN response r ON r.id = h.response_id
    JOIN participant p ON p.id = r.participant_id WHERE p.code = :'c'`, { c: code })[0][0], '1');
});

test('#18.9 "<key>.other" without the option "other" is refused, answers kept', async () => {
  const c = new Client();
  const { res } = await submit(c, 'pre', answers('pre', { org_type: 'chamber', 'org_type.other': 'mon texte' }));
  assert.equal(res.status, 422);
  assert.ok(res.text.includes('id="err-org_type-other"'));
  assert.match(res.text, /name="org_type\.other" value="mon texte"/);
  assert.match(res.text, /name="org_type" value="chamber" checked/);
  const multi = await submit(new Client(), 'pre', answers('pre', { markets: ['eu'], 'markets.other': 'ailleurs' }));
  assert.equal(multi.res.status, 422);
  assert.ok(multi.res.text.includes('id="err-markets-other"'));
  const ok = await submit(new Client(), 'pre', answers('pre', { org_type: 'other', 'org_type.other': 'mon texte', markets: ['eu', 'other'], 'markets.other': 'ailleurs' }));
  assert.equal(ok.res.status, 303);
});

test('#18.9 _version: only the current version, strictly; else the current form with the answers kept', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  const current = hidden(form.text, '_version');
  assert.match(current, /^[1-9][0-9]*$/);
  const older = String(Number(current) - 1 || Number(current) + 1);
  for (const bad of [`${current}abc`, ` ${current}`, `0${current}`, older, '', '-1']) {
    const res = await c.post(`/e/${SLUG}/pre`, [['_token', hidden(form.text, '_token')], ['_version', bad],
      ...answers('pre', { expectations: 'version gardée' })]);
    assert.equal(res.status, 422, JSON.stringify(bad));
    assert.ok(res.text.includes('version gardée'));
    assert.equal(hidden(res.text, '_version'), current);
    assert.ok(res.text.includes('class="notice error"'));
  }
  const ok = await c.post(`/e/${SLUG}/pre`, [['_token', hidden(form.text, '_token')], ['_version', current], ...answers('pre')]);
  assert.equal(ok.status, 303);
});
