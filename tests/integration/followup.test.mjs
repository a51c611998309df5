// followup.test.mjs: the follow-up instrument (issue 24) in the summary:
// its aggregates equal the reference recomputation, every figure of the
// summary's followup section equals R on the csv-long export, and the
// participants' count of the disclosure control includes those who
// answered the follow-up alone. Seeds its own event through
// enquete_submit().
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, http, psql, waitFor, tmpDir } from './lib.mjs';
import { loadEvent, seed } from './followup_seed.mjs';

const RUN = Date.now().toString(36);
const SLUG = `followup-${RUN}`;
const N = 60;
const tmp = tmpDir('enquete-followup-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, input, maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };

const eventId = () => psql(`SELECT id FROM event WHERE slug = :'s'`, { s: SLUG })[0][0];
const mismatches = () => psql(`SELECT (SELECT count(*) FROM enquete_stats_check(:id))
  + (SELECT count(*) FROM enquete_seg_check(:id))`, { id: eventId() })[0][0];
let token;
async function summary(query = '') {
  const res = await http('GET', `/api/v1/events/${SLUG}/summary${query}`,
    { headers: { Authorization: `Bearer ${token}` } });
  return { ...res, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(res.text) : null };
}

before(() => {
  loadEvent(SLUG, tmp);
  seed(SLUG, N);
  must(ctl(['user', 'add', `followup_${RUN}`], 'password123\n'), 'user add');
  token = must(ctl(['token', 'add', `followup_${RUN}`]), 'token add').trim();
});

// Once the stack's folder (enquetectl fold: the sums in C, cgi/domain/
// fold.c) has folded the seeded responses, what it recorded equals the
// reference: each participant's recorded contribution equals
// stats_participant_tuples tuple for tuple, follow-up kinds included, and
// the folded totals alone (no pending difference added) equal the
// recomputation.
test('the folder records the follow-up tuples as stats_participant_tuples gives them', async () => {
  const id = eventId();
  await waitFor(() => Number(psql('SELECT count(*) FROM stats_change WHERE event_id = :id', { id })[0][0]) === 0,
    { timeoutMs: 20000, what: 'the seeded responses folded' });
  const cols = (p) => `concat_ws(',', ${p}, t.kind, t.instrument, t.item, t.value, t.rank, t.n,
    round(t.s1::numeric, 6), round(t.s2::numeric, 6))`;
  const digest = (rows) => psql(`SELECT count(*), coalesce(md5(string_agg(x, E'\\n' ORDER BY x)), '')
    FROM (${rows}) d(x)`, { id })[0].join('|');
  const folded = digest(`SELECT ${cols('c.participant_id')} FROM stats_contrib c
    CROSS JOIN LATERAL unnest(c.tuples) t WHERE c.event_id = :id`);
  const reference = digest(`SELECT ${cols('t.participant_id')}
    FROM stats_participant_tuples(ARRAY(SELECT id FROM participant WHERE event_id = :id)) t`);
  assert.ok(Number(reference.split('|')[0]) > 500, reference);
  assert.equal(folded, reference);
  const kinds = psql(`SELECT DISTINCT t.kind FROM stats_contrib c CROSS JOIN LATERAL unnest(c.tuples) t
    WHERE c.event_id = :id ORDER BY 1`, { id }).map((r) => r[0]);
  for (const k of ['fpre', 'fpost', 'pair', 'prer', 'quizd', 'quizsum', 'resp', 'retro', 'value', 'itemn'])
    assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  assert.equal(Number(psql(`SELECT count(*) FROM (
    SELECT kind, instrument, item, value, rank, sum(n) AS n, sum(s1) AS s1, sum(s2) AS s2
    FROM stats_agg_folded WHERE event_id = :id GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0) f
    FULL JOIN enquete_stats_recompute(:id) r USING (kind, instrument, item, value, rank)
    WHERE f.n IS DISTINCT FROM r.n OR NOT abs(f.s1 - r.s1) <= 1e-9 * greatest(1, abs(r.s1))
      OR NOT abs(f.s2 - r.s2) <= 1e-9 * greatest(1, abs(r.s2))`, { id })[0][0]), 0);
});

test('the follow-up tuples equal the reference recomputation', () => {
  assert.equal(mismatches(), '0');
  const kinds = psql(`SELECT kind, instrument, sum(n) FROM enquete_stats(:id)
    WHERE kind IN ('fpre', 'fpost') OR (kind = 'resp' AND instrument <> '')
    GROUP BY 1, 2 ORDER BY 1, 2`, { id: eventId() });
  const got = Object.fromEntries(kinds.map(([k, i, n]) => [`${k}/${i}`, Number(n)]));
  const q = (sql) => Number(psql(sql, { id: eventId() })[0][0]);
  const both = (a, b) => q(`SELECT count(*) FROM participant p WHERE p.event_id = :id
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = '${a}')
    AND EXISTS (SELECT 1 FROM response r WHERE r.participant_id = p.id AND r.instrument = '${b}')`);
  // "paired" stays pre and post, whatever follow-ups are added
  assert.equal(got['resp/paired'], both('pre', 'post'));
  assert.equal(got['resp/fpaired_pre'], both('pre', 'followup'));
  assert.equal(got['resp/fpaired_post'], both('post', 'followup'));
  assert.equal(got['resp/fonly'], 3);
  assert.ok(got['fpre/'] > 0 && got['fpost/'] > 0, JSON.stringify(got));
  // the disclosure control counts every participant once
  assert.equal(q(`SELECT n FROM enquete_group_sizes(:id, '{}') WHERE fkey = ''`),
    q(`SELECT count(DISTINCT participant_id) FROM response WHERE event_id = :id`));
});

test('every figure of the followup section equals R on the csv-long export', async () => {
  const res = await summary();
  assert.equal(res.status, 200, res.text);
  const f = res.json.followup;
  assert.deepEqual(Object.keys(f), ['counts', 'paired_pre', 'paired_post', 'outcomes']);
  assert.deepEqual(Object.keys(f.counts), ['followup', 'paired_pre', 'paired_post']);
  assert.deepEqual(f.paired_pre.map((e) => e.item), ['know_iso', 'know_tbt']);
  assert.deepEqual(f.paired_post.map((e) => e.item), ['know_iso', 'know_tbt']);
  assert.deepEqual(f.outcomes.map((e) => e.item), ['applied', 'services']);
  for (const e of [...f.paired_pre, ...f.paired_post])
    for (const k of ['n', 'pre_mean', 'post_mean', 'median_diff', 'wilcoxon', 'rank_biserial', 'mean_diff',
      'ci95', 'improved', 'unchanged', 'declined', 'p_holm'])
      assert.ok(k in e, `${e.item}: ${k}`);
  assert.equal(f.paired_pre[0].wilcoxon.method, 'exact');
  assert.deepEqual(Object.keys(f.outcomes[0].options[0]), ['option', 'count', 'share', 'ci95']);
  writeFileSync(path.join(tmp, 'summary.json'), res.text);
  writeFileSync(path.join(tmp, 'long.csv'), must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export'));
  writeFileSync(path.join(tmp, 'codebook.csv'), must(ctl(['export', '--event', SLUG, '--format', 'codebook']), 'codebook'));
  const r = spawnSync('Rscript', ['tests/r/summary_check.R', path.join(tmp, 'long.csv'),
    path.join(tmp, 'summary.json'), path.join(tmp, 'codebook.csv')], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[1-9][0-9]* figures compared, 0 differences/);
  assert.ok(!res.text.includes('followup_email'), 'the address is never in the summary');
});

test('a summary filtered on one profile answer has the same followup section as R on that group', async () => {
  const res = await summary('?org_type=chamber');
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json.followup && !res.json.restricted, res.text.slice(0, 300));
  writeFileSync(path.join(tmp, 'summary-chamber.json'), res.text);
  writeFileSync(path.join(tmp, 'long.csv'), must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export'));
  const r = spawnSync('Rscript', ['tests/r/summary_check.R', path.join(tmp, 'long.csv'),
    path.join(tmp, 'summary-chamber.json'), path.join(tmp, 'codebook.csv'), 'org_type=chamber'],
  { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[1-9][0-9]* figures compared, 0 differences/);
});

test('the exports carry the follow-up: csv-long, csv-wide followup.* columns, JSON, codebook', () => {
  const long = must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export');
  assert.match(long, /^F0000001|,followup,/m);
  assert.ok(long.split('\n').some((l) => l.split(',')[1] === 'followup'), 'a followup row in csv-long');
  const wide = must(ctl(['export', '--event', SLUG, '--format', 'csv-wide']), 'export').split(/\r?\n/)[0].split(',');
  for (const c of ['followup.know_iso', 'followup.applied', 'followup.services', 'followup.lang', 'followup.source'])
    assert.ok(wide.includes(c), `${c} in ${wide.join(',')}`);
  const json = JSON.parse(must(ctl(['export', '--event', SLUG, '--format', 'json']), 'export'));
  assert.ok(json.responses.some((r) => r.instrument === 'followup' && Array.isArray(r.answers.services)));
  const cb = must(ctl(['export', '--event', SLUG, '--format', 'codebook']), 'codebook');
  assert.ok(cb.split('\n').some((l) => /^followup\.applied,followup,single,/.test(l) || /^applied,followup,single,/.test(l)), cb.slice(0, 400));
});

test('the dashboard and the report gain a follow-up section once there are answers', async () => {
  const { Client } = await import('./client.mjs');
  const admin = new Client();
  assert.equal((await admin.login('admin', process.env.ENQUETE_ADMIN_PASSWORD)).status, 303);
  for (const page of [`/admin/e/${SLUG}?lang=en`, `/admin/e/${SLUG}/report?lang=en`]) {
    const res = await admin.get(page);
    assert.equal(res.status, 200, page);
    assert.match(res.text, /<section class="report-section" id="followup"/, page);
    const n = Number(psql(`SELECT count(*) FROM response r JOIN event e ON e.id = r.event_id
      WHERE e.slug = :'s' AND r.instrument = 'followup'`, { s: SLUG })[0][0]);
    assert.match(res.text, new RegExp(`data-k="followup.counts">Follow-up answers: ${n} `), page);
    assert.match(res.text, /data-k="followup.applied.yes">\d+</);
  }
  // an event without follow-up answers has no such section
  const bare = `${SLUG}-none`;
  const { definition } = await import('./followup_seed.mjs');
  writeFileSync(path.join(tmp, 'none.json'), JSON.stringify(definition(bare)));
  must(ctl(['load', path.join(tmp, 'none.json')]), 'load');
  const res = await admin.get(`/admin/e/${bare}`);
  assert.equal(res.status, 200);
  assert.doesNotMatch(res.text, /id="followup"/);
});
