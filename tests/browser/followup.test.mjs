// tests/browser/followup.test.mjs: issue 24 end to end in Chromium. An
// attendee answers pre and post (consenting to the follow-up, with an
// address) on one phone; `enquetectl invite` mails the personal link
// through a real SMTP relay on loopback (tests/smtp/sink.py); the mail is
// read, its link opened on another device (no cookie), the follow-up
// answered; the summary shows the pre/post/follow-up triple, and the
// dashboard its follow-up section.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, REPO, psql, launch, newContext, open, fillForm, reveal } from './lib.mjs';
import { freePort, http, waitFor } from '../integration/lib.mjs';
import { Sink } from '../smtp/sink.mjs';

const RUN = Date.now().toString(36);
const SLUG = `fu-browser-${RUN}`;
const ADDR = `attendee-${RUN}@example.org`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'enquete-fu-browser-'));
const mails = path.join(tmp, 'mails');
const T = { timeout: 90000 };
const ctl = (args, env = {}, input = undefined) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, env: { ...process.env, ...env }, input });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}`); return r.stdout; };

let browser, relay, token, code;
before(async () => {
  mkdirSync(mails);
  const def = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
  def.event.slug = SLUG;
  writeFileSync(path.join(tmp, 'def.json'), JSON.stringify(def));
  must(ctl(['load', path.join(tmp, 'def.json')]), 'load');
  for (const k of ['pre', 'post', 'followup']) must(ctl(['event', 'open', SLUG, k]), `open ${k}`);
  must(ctl(['user', 'add', `fu_${RUN}`], {}, 'password123\n'), 'user add');
  relay = new Sink(await freePort(), mails);
  await relay.start();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

// Submits the form on the page and waits for the thanks page.
async function submit(page) {
  const button = page.locator('#questionnaire button[type="submit"]').last();
  await reveal(page, button);
  await Promise.all([page.waitForURL(/\/thanks/, { timeout: 15000 }), button.click()]);
}

test('pre and post on one phone, consenting to the follow-up with an address', T, async () => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await open(page, `${BASE}/e/${SLUG}/pre?lang=fr`);
    await fillForm(page);
    await submit(page);
    code = (await page.locator('#participant-code').textContent()).trim().replace('-', '');
    await open(page, `${BASE}/e/${SLUG}/post?lang=fr`);
    await fillForm(page, { pick: 0 });
    const yes = page.locator('input[name="followup_consent"][value="yes"]');
    await reveal(page, yes);
    await yes.check();
    await page.locator('input[name="followup_email"]').fill(ADDR);
    await submit(page);
  } finally { await ctx.close(); }
  assert.deepEqual(psql(`SELECT r.instrument FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' ORDER BY 1`, { c: code }).map((r) => r[0]), ['post', 'pre']);
});

test('the mail arrives through the relay; its link, opened on another device, answers the follow-up', T, async () => {
  assert.ok(code, 'no participant from the first test');
  const r = ctl(['invite', '--event', SLUG, '--instrument', 'followup'],
    { ENQUETE_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, ENQUETE_SMTP_FROM: 'noreply@enquete.test' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  await waitFor(() => relay.received().length === 1, { what: 'the mail' });
  const [mail] = relay.received();
  assert.deepEqual(mail.rcpt_tos, [ADDR]);
  const m = mail.body.match(/https?:\/\/\S+\/followup\?k=\S+/);
  assert.ok(m, mail.body);
  const url = `${BASE}${new URL(m[0]).pathname}${new URL(m[0]).search}`;
  const ctx = await newContext(browser, { locale: 'en-US' });
  try {
    const page = await ctx.newPage();
    await open(page, url);
    await page.locator('#code-linked').waitFor();
    await fillForm(page, { pick: 2 });
    await submit(page);
  } finally { await ctx.close(); }
  assert.deepEqual(psql(`SELECT r.instrument FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.code = :'c' ORDER BY 1`, { c: code }).map((x) => x[0]), ['followup', 'post', 'pre']);
});

test('the summary has the pre/post/follow-up triple; the dashboard its follow-up section', T, async () => {
  token = must(ctl(['token', 'add', `fu_${RUN}`]), 'token').trim();
  const res = await http('GET', `/api/v1/events/${SLUG}/summary`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, res.text);
  const s = JSON.parse(res.text);
  assert.deepEqual(s.counts, { pre: 1, post: 1, paired: 1 });
  assert.deepEqual(s.followup.counts, { followup: 1, paired_pre: 1, paired_post: 1 });
  // one pair per knowledge item the follow-up re-asks (the bundled file)
  const def = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
  const reasked = def.instruments.followup.sections.flatMap((x) => x.items).filter((it) => it.analysis === 'knowledge');
  assert.ok(reasked.length >= 8);
  assert.equal(s.followup.paired_pre.length, reasked.length);
  for (const e of [...s.followup.paired_pre, ...s.followup.paired_post]) assert.equal(e.n, 1, e.item);
  assert.ok(s.followup.outcomes.length >= 3);
  for (const o of s.followup.outcomes) assert.equal(o.n, 1, o.item);
  // the dashboard, in the browser, as an admin
  const ctx = await newContext(browser, { locale: 'en-US' });
  try {
    const page = await ctx.newPage();
    await open(page, `${BASE}/admin/login`);
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill(process.env.ENQUETE_ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/$/), page.locator('form button[type="submit"]').first().click()]);
    await open(page, `${BASE}/admin/e/${SLUG}?lang=en`);
    await page.locator('#followup').waitFor();
    assert.match(await page.locator('[data-k="followup.counts"]').textContent(), /1/);
    assert.equal(await page.locator('#invite-form button').count(), 2);
  } finally { await ctx.close(); }
});
