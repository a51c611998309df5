// invite.test.mjs: the follow-up invitations (issue 24) against a real
// SMTP server on loopback (Debian's python3-aiosmtpd, tests/smtp/sink.py):
// who is mailed (consent, an address, not yet answered, once per kind),
// in which language, with which links; --dry-run; a refusing relay, a
// closed port and a relay that disappears mid-run lose nothing and are
// retried; one-click unsubscribe; erasure; the console's button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, BASE, psql, sleep, waitFor, freePort, catalog } from './lib.mjs';
import { Client, DEF, answers, hidden, items } from './client.mjs';
import { Sink } from '../smtp/sink.mjs';

const RUN = Date.now().toString(36);
const SLUG = `invite-${RUN}`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'enquete-invite-'));
const mails = path.join(tmp, 'mails');
mkdirSync(mails);
const FROM = 'Enquête IMANOR <noreply@enquete.test>';
let port;

const ctl = (args, env = {}) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, env: { ...process.env, ...env } });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}`); return r.stdout; };
const smtpEnv = (p = port) => ({ ENQUETE_SMTP_URL: `smtp://127.0.0.1:${p}`, ENQUETE_SMTP_FROM: FROM });
const invite = (extra = [], env = smtpEnv()) =>
  ctl(['invite', '--event', SLUG, '--instrument', 'followup', ...extra], env);

// The relay: python3 -m aiosmtpd with tests/smtp/sink.py, on its own port.
let relay;
const startSink = (env) => relay.start(env);
const stopSink = () => relay.stop();
const received = () => relay.received();
const mailsTo = (addr) => received().filter((m) => m.rcpt_tos.includes(addr));
const link = (mail, what) => {
  const m = mail.body.match(new RegExp(`https?://\\S+/e/${SLUG}/${what}\\?k=[^\\s&]+&lang=[a-z]{2}`));
  return m ? m[0] : null;
};
const local = (url) => url.replace(/^https?:\/\/[^/]+/, '');
const log = () => psql(`SELECT p.code, l.kind, l.ok, l.result FROM invite_log l JOIN participant p ON p.id = l.participant_id
  JOIN event e ON e.id = l.event_id WHERE e.slug = :'s' ORDER BY l.id`, { s: SLUG });
const addresses = () => psql(`SELECT c.value FROM contact c JOIN event e ON e.id = c.event_id
  WHERE e.slug = :'s' AND c.item = 'followup_email' ORDER BY c.value`, { s: SLUG }).map((r) => r[0]);

// An attendee who answers pre (in lang), then post with these overrides.
async function attendee(lang, post = {}) {
  const c = new Client();
  for (const [kind, over] of [['pre', {}], ['post', post]]) {
    const form = await c.get(`/e/${SLUG}/${kind}?lang=${lang}`);
    assert.equal(form.status, 200, `${kind} form`);
    const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
    const res = await c.post(`/e/${SLUG}/${kind}`, [...tech, ...answers(kind, over)]);
    assert.equal(res.status, 303, `${kind}: ${res.status} ${res.text.slice(0, 300)}`);
  }
  const code = c.cookies.get('enq_code').split('.')[0];
  return { c, code };
}
const consent = (addr) => ({ followup_consent: 'yes', followup_email: addr });

const people = {};
before(async () => {
  const def = JSON.parse(JSON.stringify(DEF));
  def.event.slug = SLUG;
  writeFileSync(path.join(tmp, 'def.json'), JSON.stringify(def));
  must(ctl(['load', path.join(tmp, 'def.json')]), 'load');
  for (const k of ['pre', 'post', 'followup']) must(ctl(['event', 'open', SLUG, k]), `open ${k}`);
  port = await freePort();
  relay = new Sink(port, mails);
  people.fr = await attendee('fr', consent(`fr-${RUN}@example.org`));
  people.ar = await attendee('ar', consent(`ar-${RUN}@example.org`));
  people.en = await attendee('en', consent(`en-${RUN}@example.org`));
  people.no = await attendee('fr', { followup_consent: 'no' });
  people.none = await attendee('fr', {});
  people.bad = await attendee('en', consent('not an address'));
});
after(async () => { await stopSink(); rmSync(tmp, { recursive: true, force: true }); });

test('the post form asks for the consent and the address, kept only with the consent', async () => {
  const page = await new Client().get(`/e/${SLUG}/post?lang=en`);
  const en = catalog('en');
  assert.ok(items('post').some((i) => i.key === 'followup_consent'));
  assert.match(page.text, /name="followup_consent" value="yes"/);
  assert.match(page.text, /name="followup_email"/);
  // the consent's text says what the address is for and how to withdraw
  assert.match(page.text, /linked to your answers for this purpose only/);
  assert.match(page.text, /link to stop receiving them/);
  assert.ok(!page.text.includes(en.mail_followup_body.slice(0, 10)) || true);
  assert.deepEqual(addresses(), [`ar-${RUN}@example.org`, `en-${RUN}@example.org`, `fr-${RUN}@example.org`, 'not an address'],
    'no address without the consent');
  // the collaboration contacts never list it
  assert.equal(psql(`SELECT count(*) FROM contact c JOIN event e ON e.id = c.event_id
    WHERE e.slug = :'s' AND c.item <> 'followup_email'`, { s: SLUG })[0][0], '0');
});

test('--dry-run lists who would be mailed and sends and logs nothing', async () => {
  await startSink();
  const r = invite(['--dry-run'], {});
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /dry run: 4 to mail, 0 sent, 0 failed .*1 invalid address/);
  for (const p of ['fr', 'ar', 'en']) assert.match(r.stdout, new RegExp(`invite ${people[p].code} \\(${p}\\): would be sent`));
  assert.ok(!r.stdout.includes('@'), 'no address printed');
  await sleep(300);
  assert.equal(received().length, 0);
  assert.equal(log().length, 0);
  // enquetectl config shows the relay with its password masked
  const cfg = ctl(['config'], { ENQUETE_SMTP_URL: 'smtps://mailer:s3cret-pw@smtp.example:465', ENQUETE_SMTP_FROM: FROM });
  assert.equal(cfg.status, 0, cfg.stderr);
  assert.match(cfg.stdout, /^ENQUETE_SMTP_URL=smtps:\/\/mailer:\*\*\*\*\*@smtp\.example:465\t/m);
  assert.ok(!cfg.stdout.includes('s3cret-pw'));
  // without a relay nothing is sent
  const n = invite([], { ENQUETE_SMTP_URL: '', ENQUETE_SMTP_FROM: '' });
  assert.equal(n.status, 1);
  assert.match(n.stderr, /ENQUETE_SMTP_URL/);
});

test('each consenting attendee gets one mail in their language with a personal and an unsubscribe link', async () => {
  const r = invite();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /invite: 4 to mail, 3 sent, 0 failed .*1 invalid address/);
  await waitFor(() => received().length === 3, { what: '3 mails' });
  for (const lang of ['fr', 'ar', 'en']) {
    const [m] = mailsTo(`${lang}-${RUN}@example.org`);
    assert.ok(m, `mail ${lang}`);
    const cat = catalog(lang);
    const title = DEF.event.title[lang];
    assert.equal(m.subject, cat.mail_followup_subject.replace('{event}', title));
    assert.equal(m.mail_from, 'noreply@enquete.test');
    assert.equal(m.headers.From, FROM);
    assert.ok(m.body.includes(title));
    const form = link(m, 'followup'), unsub = link(m, 'unsubscribe');
    assert.ok(form && unsub, m.body);
    assert.ok(form.startsWith(BASE) || form.includes(`/e/${SLUG}/`));
    assert.ok(form.endsWith(`&lang=${lang}`));
    assert.equal(m.headers['List-Unsubscribe'], `<${unsub}>`);
    assert.equal(m.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
  }
  assert.equal(mailsTo(`no-${RUN}@example.org`).length, 0, 'no mail without consent');
  const rows = log();
  assert.deepEqual(rows.filter((x) => x[2] === 't').map((x) => [x[0], x[1], x[3]]).sort(),
    ['fr', 'ar', 'en'].map((p) => [people[p].code, 'invite', 'sent']).sort());
  // an invalid address: nothing sent, nothing logged, reported
  assert.deepEqual(rows.filter((x) => x[2] === 'f'), []);
  assert.match(r.stdout, new RegExp(`invite ${people.bad.code}: invalid address, skipped`));
  // the log holds no content: no address, no link
  assert.ok(!JSON.stringify(rows).includes('@') && !JSON.stringify(rows).includes('k='));
  // never twice
  const again = invite();
  assert.equal(again.status, 0);
  assert.match(again.stdout, /0 sent/);
  await sleep(300);
  assert.equal(received().length, 3);
});

test('the personal link links the follow-up to its participant; a forged one does not', async () => {
  const [m] = mailsTo(`fr-${RUN}@example.org`);
  const url = local(link(m, 'followup'));
  const fresh = new Client(); // another browser: no cookie
  const form = await fresh.get(url);
  assert.equal(form.status, 200);
  assert.match(form.text, /id="code-linked"/);
  assert.equal(fresh.cookies.get('enq_code').split('.')[0], people.fr.code);
  const tech = ['_token', '_version', '_lang'].map((k) => [k, hidden(form.text, k)]);
  const res = await fresh.post(`/e/${SLUG}/followup`, [...tech, ...answers('followup')]);
  assert.equal(res.status, 303, res.text.slice(0, 400));
  assert.equal(psql(`SELECT count(*) FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' AND r.instrument IN ('pre', 'post', 'followup')`, { c: people.fr.code })[0][0], '3');
  // a key altered by one character, or another purpose's key
  const forged = url.replace(/k=([0-9A-Z]{8})\.([0-9a-f])/, (all, code, h) => `k=${code}.${h === 'a' ? 'b' : 'a'}`);
  const bad = await new Client().get(forged);
  assert.equal(bad.status, 200);
  assert.ok(bad.text.includes(catalog('fr').followup_link_invalid.replace(/'/g, '&#39;')));
  assert.match(bad.text, /id="_code"/);
  assert.ok(!bad.text.includes('id="code-linked"'));
  const unsubKey = local(link(m, 'unsubscribe')).replace('/unsubscribe?', '/followup?');
  assert.doesNotMatch((await new Client().get(unsubKey)).text, /id="code-linked"/);
});

test('unsubscribe: GET asks, POST deletes the address, and later mails stop', async () => {
  const [m] = mailsTo(`ar-${RUN}@example.org`);
  const url = local(link(m, 'unsubscribe'));
  const c = new Client();
  const page = await c.get(url);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="unsubscribe-confirm"/);
  assert.ok(addresses().includes(`ar-${RUN}@example.org`), 'GET changes nothing');
  const done = await c.post(`/e/${SLUG}/unsubscribe`, [['k', hidden(page.text, 'k')]]);
  assert.equal(done.status, 200);
  assert.match(done.text, /id="unsubscribe-done"/);
  assert.ok(!addresses().includes(`ar-${RUN}@example.org`));
  // RFC 8058's one-click POST: the key in the URL, the body says One-Click
  const [e] = mailsTo(`en-${RUN}@example.org`);
  const one = await new Client().post(local(link(e, 'unsubscribe')), [['List-Unsubscribe', 'One-Click']]);
  assert.equal(one.status, 200);
  assert.ok(!addresses().includes(`en-${RUN}@example.org`));
  // a forged key is refused
  const bad = await new Client().post(`/e/${SLUG}/unsubscribe?k=${people.fr.code}.${'0'.repeat(32)}`, [['List-Unsubscribe', 'One-Click']]);
  assert.equal(bad.status, 400);
  assert.ok(addresses().includes(`fr-${RUN}@example.org`));
  assert.deepEqual(log().filter((x) => x[1] === 'unsubscribe').map((x) => x[0]).sort(), [people.ar.code, people.en.code].sort());
});

test('a reminder goes only to those invited who have not answered (and have not unsubscribed)', async () => {
  people.late = await attendee('en', consent(`late-${RUN}@example.org`));
  must(invite(), 'invite the late one');
  const before1 = received().length;
  const r = invite(['--reminder']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // fr answered, ar and en unsubscribed: only late
  assert.match(r.stdout, /invite: 1 to mail, 1 sent/);
  await waitFor(() => received().length === before1 + 1, { what: 'the reminder' });
  const [rem] = received().slice(-1);
  assert.deepEqual(rem.rcpt_tos, [`late-${RUN}@example.org`]);
  assert.equal(rem.subject, catalog('en').mail_reminder_subject.replace('{event}', DEF.event.title.en));
  assert.match(invite(['--reminder']).stdout, /0 to mail/);
});

test('a relay that refuses, a closed port, a relay that disappears mid-run: nothing lost, retried on the next run', async () => {
  people.r1 = await attendee('fr', consent(`r1-${RUN}@example.org`));
  // the relay refuses every mail (550)
  writeFileSync(path.join(mails, 'REFUSE'), '');
  const n0 = received().length;
  const refused = invite();
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(refused.stdout, new RegExp(`invite ${people.r1.code} \\(fr\\): failed: .*550`));
  assert.equal(received().length, n0);
  rmSync(path.join(mails, 'REFUSE'));
  // nobody listens
  await stopSink();
  const closed = invite();
  assert.equal(closed.status, 1);
  assert.match(closed.stdout, /failed: Couldn't connect|failed: .*connect/i);
  assert.deepEqual(log().filter((x) => x[0] === people.r1.code).map((x) => x[2]), ['f', 'f']);
  // the log keeps the reason, not the detail (no host, no address)
  assert.deepEqual(log().filter((x) => x[0] === people.r1.code).map((x) => x[3]),
    ['Weird server reply (550)', "Couldn't connect to server"]);
  // the relay comes back: the failed mail goes, once
  await startSink();
  must(invite(), 'retry');
  await waitFor(() => mailsTo(`r1-${RUN}@example.org`).length === 1, { what: 'the retried mail' });
  // two more; the relay exits after accepting its first mail
  people.d1 = await attendee('fr', consent(`d1-${RUN}@example.org`));
  people.d2 = await attendee('fr', consent(`d2-${RUN}@example.org`));
  await stopSink();
  await startSink({ SMTP_SINK_DIE_AFTER: '1' });
  const mid = invite();
  assert.equal(mid.status, 1, mid.stdout);
  // d1 and d2 (and the invalid address, reported at every run)
  assert.match(mid.stdout, /3 to mail, 1 sent, 1 failed/);
  await waitFor(() => relay.exited, { what: 'the relay to vanish' });
  await startSink();
  const rest = invite();
  assert.match(rest.stdout, /2 to mail, 1 sent, 0 failed/);
  await sleep(300);
  assert.equal(mailsTo(`d1-${RUN}@example.org`).length, 1, 'never twice');
  assert.equal(mailsTo(`d2-${RUN}@example.org`).length, 1, 'retried');
  // a relay that fails several in a row stops the run; the rest waits
  writeFileSync(path.join(mails, 'REFUSE'), '');
  for (let i = 0; i < 4; i++) await attendee('en', consent(`q${i}-${RUN}@example.org`));
  const stopped = invite();
  assert.equal(stopped.status, 1);
  assert.match(stopped.stdout, /the relay failed 3 mails in a row: 1 left for the next run/);
  rmSync(path.join(mails, 'REFUSE'));
  const back = invite();
  assert.equal(back.status, 0, back.stdout);
  assert.match(back.stdout, /4 sent, 0 failed/);
  for (let i = 0; i < 4; i++) assert.equal(mailsTo(`q${i}-${RUN}@example.org`).length, 1);
  // ?tls=1 requires STARTTLS: a relay without it gets nothing in clear
  const t = await attendee('fr', consent(`tls-${RUN}@example.org`));
  const tls = invite([], { ...smtpEnv(), ENQUETE_SMTP_URL: `smtp://127.0.0.1:${port}?tls=1` });
  assert.equal(tls.status, 1, tls.stdout);
  assert.match(tls.stdout, new RegExp(`invite ${t.code} \\(fr\\): failed: .*(SSL|TLS|STARTTLS)`, 'i'));
  assert.equal(mailsTo(`tls-${RUN}@example.org`).length, 0);
  must(invite(), 'plain again');
  assert.equal(mailsTo(`tls-${RUN}@example.org`).length, 1);
});

test('erasure removes the address and the log, and the link points at nobody', async () => {
  const [m] = mailsTo(`late-${RUN}@example.org`);
  must(ctl(['participant', 'erase', '--event', SLUG, people.late.code]), 'erase');
  assert.ok(!addresses().includes(`late-${RUN}@example.org`));
  assert.equal(log().filter((x) => x[0] === people.late.code).length, 0);
  const page = await new Client().get(local(link(m, 'followup')));
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes(people.late.code.slice(0, 4) + '-'), 'no trace of the erased code');
  const un = await new Client().post(local(link(m, 'unsubscribe')), [['List-Unsubscribe', 'One-Click']]);
  assert.equal(un.status, 200);
  assert.equal(log().filter((x) => x[0] === people.late.code).length, 0);
});

test('the console: the invite button sends (CSRF-checked, admins)', async () => {
  people.web = await attendee('fr', consent(`web-${RUN}@example.org`));
  const admin = new Client();
  assert.equal((await admin.login('admin', process.env.ENQUETE_ADMIN_PASSWORD)).status, 303);
  const dash = await admin.get(`/admin/e/${SLUG}`);
  assert.equal(dash.status, 200);
  assert.match(dash.text, /id="invite-form"/);
  const csrf = hidden(dash.text, '_csrf');
  assert.equal((await admin.post(`/admin/e/${SLUG}/invite`, [['reminder', '0']])).status, 403);
  // the web workers read ENQUETE_SMTP_URL at start: without it, a clear 422
  const res = await admin.post(`/admin/e/${SLUG}/invite`, [['_csrf', csrf], ['reminder', '0']]);
  if (process.env.ENQUETE_SMTP_URL) {
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.text, /data-k="invite.sent">[1-9][0-9]*</);
  } else {
    assert.equal(res.status, 422);
    assert.match(res.text, /id="invite-error"/);
    assert.equal(mailsTo(`web-${RUN}@example.org`).length, 0);
  }
});

test('the follow-up is linked like post: a badge code in the link, a typed code', async () => {
  const { code } = await attendee('fr', {});
  const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
  // the badge's link (?code=) on another device
  const badge = new Client();
  const form = await badge.get(`/e/${SLUG}/followup?code=${shown}&lang=fr`);
  assert.equal(form.status, 200);
  // as on post: the code filled in, in a field the attendee can correct
  assert.equal(form.text.match(/id="_code" name="_code" value="([^"]*)"/)?.[1], shown);
  const tech = ['_token', '_version', '_lang'].map((k) => [k, hidden(form.text, k)]);
  assert.equal((await badge.post(`/e/${SLUG}/followup`, [...tech, ['_code', shown], ...answers('followup')])).status, 303);
  // the same code typed again: refused (409), the answers kept
  const typed = new Client();
  const f2 = await typed.get(`/e/${SLUG}/followup?lang=fr`);
  assert.match(f2.text, /id="_code"/, 'the follow-up asks for the code when no cookie links it');
  const t2 = ['_token', '_version', '_lang'].map((k) => [k, hidden(f2.text, k)]);
  const again = await typed.post(`/e/${SLUG}/followup`, [...t2, ['_code', code.toLowerCase()], ...answers('followup')]);
  assert.equal(again.status, 409);
  assert.deepEqual(psql(`SELECT r.instrument FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' ORDER BY 1`, { c: code }).map((r) => r[0]), ['followup', 'post', 'pre']);
});
