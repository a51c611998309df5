// attendee.test.mjs: the attendee flow through nginx -> FastCGI -> PostgreSQL,
// as the contract says (DESIGN.md "Participants and submissions").
import test from 'node:test';
import assert from 'node:assert/strict';
import { psql, pgStop, pgStart, waitFor, http, stack, tmpDir } from './lib.mjs';
import { Client, SLUG, DEF, answers, submit, hidden, shownCode, items, request, freshAddress } from './client.mjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ctl = (...args) => spawnSync('bin/enquetectl', args, { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });

function responsesOf(code) {
  return psql(`SELECT r.instrument, r.version, (SELECT count(*) FROM answer a WHERE a.response_id = r.id)
    FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'code' ORDER BY r.instrument DESC`, { code: code.replace('-', '') });
}

async function preParticipant(extra = {}) {
  const c = new Client();
  const { res } = await submit(c, 'pre', answers('pre', extra));
  assert.equal(res.status, 303, res.text.slice(0, 400));
  assert.equal(res.headers.location, `/e/${SLUG}/pre/thanks`);
  const thanks = await c.get(`/e/${SLUG}/pre/thanks`);
  const code = shownCode(thanks.text);
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  return { c, code };
}

test('pre then post linked by the cookie; typed rows and raw answers stored', async () => {
  const { c, code } = await preParticipant({ expectations: 'Très bien — مرحبا, "virgule", ligne\nsuivante' });
  const cookie = c.cookies.get('enq_code');
  // the code, then a MAC under the server key (DESIGN.md, #18.1)
  assert.match(cookie, new RegExp(`^${code.replace('-', '')}\\.[0-9a-f]{32}$`));
  const post = await c.get(`/e/${SLUG}/post`);
  assert.equal(post.status, 200);
  assert.ok(!post.text.includes('name="_code"'), 'the post form does not ask for the code when the cookie links it');
  const { res } = await submit(c, 'post', answers('post'));
  assert.equal(res.status, 303);
  const rows = responsesOf(code);
  assert.deepEqual(rows.map((r) => r[0]), ['pre', 'post']);
  assert.ok(Number(rows[0][2]) > 10 && Number(rows[1][2]) > 10);
  const raw = psql(`SELECT r.answers->>'expectations' FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'code' AND r.instrument = 'pre'`, { code: code.replace('-', '') });
  assert.equal(raw[0][0], 'Très bien — مرحبا, "virgule", ligne\r\nsuivante'.replace('\r\n', '\n'));
  const typed = psql(`SELECT a.num FROM answer a JOIN response r ON r.id = a.response_id JOIN participant p
    ON p.id = r.participant_id WHERE p.code = :'code' AND r.instrument = 'post' AND a.item = 'know_iso.retro'`,
  { code: code.replace('-', '') });
  assert.equal(typed[0][0], '2');
});

test('post linked by a typed code in lower case with spaces', async () => {
  const { code } = await preParticipant();
  const other = new Client();
  const form = await other.get(`/e/${SLUG}/post`);
  assert.ok(form.text.includes('name="_code"'), 'the post form asks for the code without a cookie');
  const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
  const { res } = await submit(other, 'post', answers('post'), { extra: [['_code', typed]] });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  assert.deepEqual(responsesOf(code).map((r) => r[0]), ['pre', 'post']);
  // a second answer with only the typed code is refused, answers kept
  const again = new Client();
  const { res: r2 } = await submit(again, 'post', answers('post', { comments: 'seconde fois' }), { extra: [['_code', code]] });
  assert.equal(r2.status, 409);
  assert.ok(r2.text.includes('seconde fois'));
  assert.equal(responsesOf(code).length, 2);
  // O/0 and I/L/1 are the same character
  const fuzzy = code.replace(/0/g, 'o').replace(/1/g, 'l');
  const again2 = new Client();
  const { res: r3 } = await submit(again2, 'post', answers('post'), { extra: [['_code', fuzzy]] });
  assert.equal(r3.status, 409);
});

test('an unknown typed code is 422 on _code with the answers kept', async () => {
  const c = new Client();
  const { res } = await submit(c, 'post', answers('post', { comments: 'gardé' }), { extra: [['_code', 'ZZZZ-ZZZZ']] });
  assert.equal(res.status, 422);
  assert.match(res.text, /id="_code"[^>]*aria-invalid="true"/);
  assert.match(res.text, /aria-describedby="_code-hint err-_code"/);
  assert.ok(res.text.includes('id="err-_code"'));
  assert.ok(res.text.includes('gardé'));
  assert.ok(res.text.includes('value="ZZZZ-ZZZZ"'));
  // something that cannot be a code comes back whole
  const { res: r2 } = await submit(new Client(), 'post', answers('post'), { extra: [['_code', 'mon code à moi 123']] });
  assert.equal(r2.status, 422);
  assert.ok(r2.text.includes('value="mon code à moi 123"'));
});

test('a post without any code is a new, unpaired participant', async () => {
  const before = Number(psql(`SELECT count(*) FROM participant`)[0][0]);
  const c = new Client();
  const { res } = await submit(c, 'post', answers('post'));
  assert.equal(res.status, 303);
  assert.equal(Number(psql(`SELECT count(*) FROM participant`)[0][0]), before + 1);
});

test('updating with the cookie keeps the history', async () => {
  const { c, code } = await preParticipant({ expectations: 'première version' });
  const { res } = await submit(c, 'pre', answers('pre', { expectations: 'deuxième version' }), { extra: [['_edit', '1']] });
  assert.equal(res.status, 303);
  const rows = psql(`SELECT r.version, r.answers->>'expectations', h.answers->>'expectations'
    FROM response r JOIN participant p ON p.id = r.participant_id JOIN response_history h ON h.response_id = r.id
    WHERE p.code = :'code'`, { code: code.replace('-', '') });
  assert.deepEqual(rows, [['2', 'deuxième version', 'première version']]);
  assert.equal(psql(`SELECT count(*) FROM answer a JOIN response r ON r.id = a.response_id JOIN participant p
    ON p.id = r.participant_id WHERE p.code = :'code' AND a.item = 'expectations'`, { code: code.replace('-', '') })[0][0], '1');
});

test('replaying the same POST gives the same 303 and stores one response', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  const body = [['_token', hidden(form.text, '_token')], ['_version', hidden(form.text, '_version')], ...answers('pre')];
  const before = Number(psql(`SELECT count(*) FROM response`)[0][0]);
  const first = await request('POST', `/e/${SLUG}/pre`, { body });
  const second = await request('POST', `/e/${SLUG}/pre`, { body });
  const [p1, p2] = await Promise.all([request('POST', `/e/${SLUG}/pre`, { body }), request('POST', `/e/${SLUG}/pre`, { body })]);
  for (const r of [first, second, p1, p2]) {
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `/e/${SLUG}/pre/thanks`);
  }
  const cookieOf = (r) => String(r.headers['set-cookie']).match(/enq_code=([0-9A-Z]{8})/)[1];
  assert.equal(cookieOf(first), cookieOf(second));
  assert.equal(cookieOf(first), cookieOf(p2));
  assert.equal(Number(psql(`SELECT count(*) FROM response`)[0][0]), before + 1);
});

test('a forged or foreign token is 422 with the answers kept and a fresh token', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  const token = hidden(form.text, '_token');
  const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
  for (const bad of [forged, 'nonsense', '']) {
    const res = await c.post(`/e/${SLUG}/pre`, [['_token', bad], ...answers('pre', { expectations: 'ma réponse' })]);
    assert.equal(res.status, 422);
    assert.ok(res.text.includes('ma réponse'));
    const fresh = hidden(res.text, '_token');
    assert.ok(fresh && fresh !== bad && fresh !== token);
  }
  // a token of the pre form does not work for the post
  const res = await c.post(`/e/${SLUG}/post`, [['_token', token], ...answers('post')]);
  assert.equal(res.status, 422);
});

test('invalid answers are 422, every control marked, everything kept', async () => {
  const c = new Client();
  const long = 'x'.repeat(items('pre').find((i) => i.key === 'expectations').max_length ?? 2000);
  const { res } = await submit(c, 'pre', answers('pre', {
    know_iso: '6', know_nm_imanor: null, org_type: 'nonsense', expectations: long + 'y',
  }));
  assert.equal(res.status, 422);
  for (const key of ['know_iso', 'know_nm_imanor', 'org_type', 'expectations']) {
    assert.ok(res.text.includes(`id="err-${key}"`), `error message for ${key}`);
    assert.match(res.text, new RegExp(`aria-describedby="err-${key}"`));
  }
  assert.match(res.text, /<textarea[^>]*name="expectations"[^>]*aria-invalid="true"/);
  assert.ok(res.text.includes(long + 'y'), 'the over-long text is given back');
  assert.ok(res.text.includes('error-summary'));
  // the valid answers are still checked
  assert.match(res.text, /name="know_conformity" value="3" checked/);
  // boundary values are accepted
  const ok = await submit(new Client(), 'pre', answers('pre', { know_iso: '1', know_conformity: '5', expectations: long }));
  assert.equal(ok.res.status, 303);
  const rating = await submit(new Client(), 'post', answers('post', { nps: '0' }));
  assert.equal(rating.res.status, 303);
  const rating10 = await submit(new Client(), 'post', answers('post', { nps: '10' }));
  assert.equal(rating10.res.status, 303);
  const bad = await submit(new Client(), 'post', answers('post', { nps: '11' }));
  assert.equal(bad.res.status, 422);
  const dup = await submit(new Client(), 'post', answers('post', { 'priority.2': items('post').find((i) => i.key === 'priority').options[0].value }));
  assert.equal(dup.res.status, 422);
  assert.ok(dup.res.text.includes('id="err-priority-2"'));
});

test('control characters and invalid UTF-8 are refused with the answers kept', async () => {
  for (const bad of ['a\u0001b', 'a\u0000b', 'x\u0085y']) {
    const { res } = await submit(new Client(), 'pre', answers('pre', { expectations: bad }));
    assert.equal(res.status, 422, JSON.stringify(bad));
    assert.ok(res.text.includes('id="err-expectations"'));
  }
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  const body = new URLSearchParams([['_token', hidden(form.text, '_token')], ...answers('pre', { expectations: null })]).toString()
    + '&expectations=caf%C3%A9%FF%FEend';
  const res = await c.req('POST', `/e/${SLUG}/pre`, { body });
  assert.equal(res.status, 422);
  assert.ok(res.text.includes('café\uFFFD\uFFFDend'));
});

test('bodies over 256 KB are 413', async () => {
  const res = await request('POST', `/e/${SLUG}/pre`, { body: 'expectations=' + 'a'.repeat(300 * 1024) });
  assert.equal(res.status, 413);
});

test('outside the window: 410 on GET and on POST, answers kept', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/post`);
  assert.equal(ctl('event', 'close', SLUG, 'post').status, 0);
  try {
    const get = await c.get(`/e/${SLUG}/post`);
    assert.equal(get.status, 410);
    const res = await c.post(`/e/${SLUG}/post`, [['_token', hidden(form.text, '_token')], ...answers('post', { comments: 'trop tard' })]);
    assert.equal(res.status, 410);
    assert.ok(res.text.includes('trop tard'));
  } finally {
    assert.equal(ctl('event', 'open', SLUG, 'post').status, 0);
  }
  assert.equal((await c.get(`/e/${SLUG}/post`)).status, 200);
});

test('database down: 503 with the answers in the page; after restart the same POST works', async () => {
  const c = new Client();
  const form = await c.get(`/e/${SLUG}/pre`);
  const body = [['_token', hidden(form.text, '_token')], ...answers('pre', { expectations: 'pendant la panne' })];
  pgStop();
  try {
    const res = await c.post(`/e/${SLUG}/pre`, body);
    assert.equal(res.status, 503);
    assert.ok(res.text.includes('pendant la panne'));
    assert.ok(hidden(res.text, '_token'));
  } finally {
    pgStart();
  }
  await waitFor(async () => (await http('GET', '/healthz')).status === 200, { timeoutMs: 15000, what: 'healthz 200' });
  const res = await c.post(`/e/${SLUG}/pre`, body);
  assert.equal(res.status, 303);
});

test('database down for an event no worker has seen: every field comes back, ready to resend', async () => {
  const def = JSON.parse(JSON.stringify(DEF));
  def.event.slug = `retry-${Date.now().toString(36)}`;
  const file = path.join(tmpDir('enquete-attendee-'), `${def.event.slug}.json`);
  writeFileSync(file, JSON.stringify(def));
  assert.equal(ctl('load', file).status, 0);
  assert.equal(ctl('event', 'open', def.event.slug, 'pre').status, 0);
  const body = answers('pre', { expectations: 'à garder <b>' });
  pgStop();
  let res;
  try {
    res = await request('POST', `/e/${def.event.slug}/pre`, { body });
  } finally {
    pgStart();
  }
  assert.equal(res.status, 503);
  assert.ok(res.text.includes('<input type="hidden" name="expectations" value="à garder &lt;b&gt;">'));
  assert.ok(res.text.includes(`action="/e/${def.event.slug}/pre"`));
  await waitFor(async () => (await http('GET', '/healthz')).status === 200, { timeoutMs: 15000, what: 'healthz 200' });
  // sent again as it is (no form token): the form comes back with everything
  const again = await request('POST', `/e/${def.event.slug}/pre`, { body });
  assert.equal(again.status, 422);
  assert.ok(again.text.includes('à garder &lt;b&gt;'));
});

test('landing and home pages list what is open', async () => {
  const home = await http('GET', '/');
  assert.equal(home.status, 200);
  assert.ok(home.text.includes(`/e/${SLUG}/`));
  const landing = await http('GET', `/e/${SLUG}/`);
  assert.equal(landing.status, 200);
  assert.ok(landing.text.includes(`/e/${SLUG}/pre`) && landing.text.includes(`/e/${SLUG}/post`));
  assert.equal((await http('GET', '/e/no-such-event/')).status, 404);
  const bare = await http('GET', `/e/${SLUG}`);
  assert.equal(bare.status, 303);
  assert.equal(bare.headers.get('location'), `/e/${SLUG}/`);
  assert.equal((await http('GET', '/admin')).headers.get('location'), '/admin/');
  // the router alone answers 405, with one Allow header
  const m = await http('POST', '/healthz');
  assert.equal(m.status, 405);
  assert.equal(m.headers.get('allow'), 'GET, HEAD');
  const del = await http('DELETE', `/e/${SLUG}/pre`);
  assert.equal(del.status, 405);
  assert.equal(del.headers.get('allow'), 'GET, HEAD, POST');
  // nginx refuses the encoded traversal itself (400); never a 5xx
  assert.ok([400, 404].includes((await http('GET', '/e/..%2f../pre')).status));
  assert.equal((await http('GET', '/e/../../etc/passwd')).status, 404);
});

test('languages: ?lang=ar renders right to left, the choice is remembered', async () => {
  const c = new Client();
  const ar = await c.get(`/e/${SLUG}/pre?lang=ar`);
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  const again = await c.get(`/e/${SLUG}/pre`);
  assert.match(again.text, /<html lang="ar" dir="rtl">/);
  const en = await request('GET', `/e/${SLUG}/pre`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
  assert.match(en.text, /<html lang="en" dir="ltr">/);
  const fr = await request('GET', `/e/${SLUG}/pre`);
  assert.match(fr.text, /<html lang="fr" dir="ltr">/);
});

test('no client address or user agent is stored anywhere', async () => {
  await submit(new Client(), 'pre', answers('pre'), { });
  const dump = spawnSync('pg_dump', ['--data-only', process.env.ENQUETE_DATABASE_URL], { encoding: 'utf8', cwd: '/', maxBuffer: 1 << 30 });
  assert.equal(dump.status, 0, dump.stderr);
  assert.ok(!dump.stdout.includes('127.0.0.1'));
  assert.ok(!/node|undici|Mozilla/.test(dump.stdout.replace(/"[a-z_]+": "[^"]*"/g, '')));
});

test('guessing codes is rate limited per client, with the answers kept', async () => {
  const guesser = new Client({ localAddress: freshAddress() });
  let res;
  for (let i = 0; i < 50; i++) { // CODE_GUESS_MAX per client and event
    ({ res } = await submit(guesser, 'post', answers('post'), { extra: [['_code', `ZZZZ-ZZ${String(i).padStart(2, '0')}`.replace(/0/g, 'Z')]] }));
    assert.equal(res.status, 422);
  }
  ({ res } = await submit(guesser, 'post', answers('post', { comments: 'toujours là' }), { extra: [['_code', 'YYYY-YYYY']] }));
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers['retry-after']) > 0);
  assert.ok(res.text.includes('toujours là'));
  assert.ok(res.text.includes('id="err-_code"'));
  // another client is not affected; without a code this one still answers
  const other = new Client({ localAddress: freshAddress() });
  assert.equal((await submit(other, 'post', answers('post'), { extra: [['_code', 'YYYY-YYYY']] })).res.status, 422);
  assert.equal((await submit(guesser, 'post', answers('post'))).res.status, 303);
});
