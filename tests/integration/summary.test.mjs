// summary.test.mjs: the summary API against R and against the reference
// recomputation of the aggregates (schema/004_stats.sql), filters and
// privacy. Seeds its own event (summary-test) through enquete_submit().
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, DATABASE_URL, http, psql, sleep, workerPids, tmpDir } from './lib.mjs';
import { Client } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `summary-${RUN}`;
const N = 40;
const tmp = tmpDir('enquete-summary-');
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, input, maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };

// A definition with every role the summary shows: profile (with other),
// multi, knowledge likert (with retro) and 0-10, two quiz items,
// evaluation, nps, a top-3 ranking, consent and a personal item.
export function definition(slug) {
  const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
  const opt = (value, fr) => ({ value, label: L(fr) });
  const lik = ['Aucune', 'Faible', 'Moyenne', 'Bonne', 'Très bonne'].map(L);
  const r10 = [L('Pas du tout'), L('Tout à fait')];
  const know = (extra = {}) => [
    { key: 'know_iso', type: 'likert5', analysis: 'knowledge', label: L('ISO'), scale: lik, ...extra },
    { key: 'know_tbt', type: 'rating10', analysis: 'knowledge', label: L('OTC'), scale: r10 },
    { key: 'quiz_a', type: 'quiz', analysis: 'quiz', label: L('Quiz A'), options: [opt('yes', 'Oui'), opt('no', 'Non'), opt('dk', 'NSP')], correct: 'yes' },
    { key: 'quiz_b', type: 'quiz', analysis: 'quiz', label: L('Quiz B'), options: [opt('x', 'X'), opt('y', 'Y')], correct: 'y' },
  ];
  const pre = [
    { key: 'org_type', type: 'single', analysis: 'profile', label: L("Type d'organisation"), other: true,
      options: [opt('chamber', 'Chambre'), opt('agency', 'Agence'), opt('company', 'Entreprise'), opt('public_body', 'Organisme public'), opt('other', 'Autre')] },
    { key: 'region', type: 'single', analysis: 'profile', label: L('Région'), options: [opt('north', 'Nord'), opt('south', 'Sud')] },
    { key: 'sectors', type: 'multi', analysis: 'descriptive', label: L('Secteurs'), options: [opt('agri', 'Agriculture'), opt('textile', 'Textile'), opt('it', 'Informatique')] },
    ...know(),
    { key: 'expect', type: 'longtext', analysis: 'comment', label: L('Attentes') },
  ];
  const post = [
    ...know({ retro: true }),
    { key: 'eval_expert', type: 'likert5', analysis: 'evaluation', label: L('Expert'), scale: lik },
    { key: 'nps', type: 'rating10', analysis: 'nps', label: L('Recommander'), scale: r10 },
    { key: 'priority', type: 'rank', analysis: 'ranking', top: 3, label: L('Priorités'),
      options: [opt('info_desk', 'Guichet'), opt('training', 'Formation'), opt('guides', 'Guides'), opt('network', 'Réseau')] },
    { key: 'consent', type: 'single', analysis: 'collaboration', consent: true, label: L('Contact ?'), options: [opt('yes', 'Oui'), opt('no', 'Non')] },
    { key: 'email', type: 'text', analysis: 'contact', personal: true, requires: 'consent', label: L('Courriel') },
    { key: 'comments', type: 'longtext', analysis: 'comment', label: L('Commentaires') },
  ];
  const inst = (title, items) => ({ title: L(title), intro: L('Intro'), sections: [{ id: 's1', title: L('S1'), items }] });
  return {
    format: 1,
    event: { slug, title: L('Test'), dates: { start: '2024-03-12', end: '2024-03-13' },
      place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
      languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
    instruments: { pre: inst('Avant', pre), post: inst('Après', post) },
  };
}

// Seeds n participants of the event (settings seed.slug, seed.n): varied
// answers with ties and zero differences, some pre only, some post only.
export const SEED_SQL = `DO $$
DECLARE
	v_ev int; v_def int; i int; h int;
	pre jsonb; pre_rows jsonb; post jsonb; post_rows jsonb;
	code text; kpre int; kpost int; tpre int; tpost int; r record;
	org text; secs text[]; pr text[]; outc text;
BEGIN
	SELECT id, definition_id INTO v_ev, v_def FROM event WHERE slug = current_setting('seed.slug');
	FOR i IN 1 .. current_setting('seed.n')::int LOOP
		h := abs(hashint4(i * 7919));
		code := 'T' || lpad(i::text, 7, '0');
		org := (ARRAY['chamber','agency','company','other'])[1 + h % 4];
		IF i % 13 = 0 THEN org := 'company'; END IF;
		secs := string_to_array((ARRAY['agri', 'agri,it', 'textile', 'agri,textile,it'])[1 + (h / 4) % 4], ',');
		kpre := 1 + (h / 16) % 4;
		kpost := least(5, kpre + (h / 64) % 3);
		tpre := (h / 256) % 8;
		tpost := least(10, tpre + (h / 2048) % 4);
		pre := jsonb_build_object('org_type', org, 'sectors', to_jsonb(secs),
			'region', (ARRAY['north','south'])[1 + (h / 65536) % 2],
			'know_iso', kpre::text, 'know_tbt', tpre::text,
			'quiz_a', (ARRAY['yes','no','dk'])[1 + (h/8) % 3],
			'quiz_b', (ARRAY['x','y'])[1 + (h/32) % 2],
			'expect', E'Café, "normes"\nligne 2 — مرحبا ' || i);
		IF org = 'other' THEN pre := pre || jsonb_build_object('org_type.other', '=SUM(A1) autre, ' || i); END IF;
		post := jsonb_build_object('know_iso', kpost::text, 'know_iso.retro', greatest(1, kpre - (h/512) % 2)::text,
			'know_tbt', tpost::text,
			'quiz_a', (ARRAY['yes','yes','no'])[1 + (h/1024) % 3],
			'quiz_b', (ARRAY['y','y','x'])[1 + (h/4096) % 3],
			'eval_expert', (1 + (h/8192) % 5)::text,
			'nps', ((h/16384) % 11)::text,
			'consent', 'no',
			'comments', CASE WHEN i % 5 = 0 THEN '' ELSE '+33 merci, "très" bien' || E'\r\n' || 'شكرا ' || i END);
		pr := string_to_array((ARRAY['info_desk,training,guides', 'training,info_desk', 'network', 'guides,network,info_desk'])[1 + (h/32768) % 4], ',');
		FOR k IN 1 .. array_length(pr, 1) LOOP
			post := post || jsonb_build_object('priority.' || k, pr[k]);
		END LOOP;
		IF post->>'comments' = '' THEN post := post - 'comments'; END IF;
		-- typed rows as enquete_submit's caller builds them
		SELECT jsonb_agg(x) INTO pre_rows FROM (
			SELECT jsonb_build_object('item', e.key, 'value', e.value #>> '{}',
				'num', CASE WHEN e.key IN ('know_iso','know_tbt') THEN (e.value #>> '{}')::float8 END) x
			FROM jsonb_each(pre) e WHERE jsonb_typeof(e.value) = 'string'
			UNION ALL
			SELECT jsonb_build_object('item', 'sectors', 'value', s) FROM unnest(secs) s) q;
		SELECT jsonb_agg(x) INTO post_rows FROM (
			SELECT jsonb_build_object('item', e.key, 'value', e.value #>> '{}',
				'num', CASE WHEN e.key IN ('know_iso','know_iso.retro','know_tbt','eval_expert','nps') THEN (e.value #>> '{}')::float8 END) x
			FROM jsonb_each(post) e WHERE e.key NOT LIKE 'priority.%'
			UNION ALL
			SELECT jsonb_build_object('item', 'priority', 'value', pr[k], 'rank', k) FROM generate_subscripts(pr, 1) k) q;
		IF i % 10 <> 9 THEN
			SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'pre', v_def, gen_random_uuid()::text::bytea, 'new', NULL, code, 'fr', pre, pre_rows, '{}'::jsonb) s;
			IF i % 7 <> 3 THEN
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def, gen_random_uuid()::text::bytea, 'code', code, NULL, 'ar', post, post_rows, '{}'::jsonb) s;
			END IF;
		ELSE
			SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def, gen_random_uuid()::text::bytea, 'new', NULL, code, 'en', post, post_rows, '{}'::jsonb) s;
		END IF;
	END LOOP;
END $$;
`;

export function loadEvent(slug, dir) {
  const file = path.join(dir, `${slug}.json`);
  writeFileSync(file, JSON.stringify(definition(slug)));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', slug, 'pre']), 'open pre');
  must(ctl(['event', 'open', slug, 'post']), 'open post');
}

const eventId = () => psql(`SELECT id FROM event WHERE slug = :'s'`, { s: SLUG })[0][0];
// the aggregates of 004, the comments of 008 and the segments of 010 (each
// profile answer's aggregates, members and comment counts), each against
// the raw rows
const mismatches = () => psql(`SELECT (SELECT count(*) FROM enquete_stats_check(:id))
  + (SELECT count(*) FROM enquete_comments_check(:id))
  + (SELECT count(*) FROM enquete_seg_check(:id))`, { id: eventId() })[0][0];
// how many segments the check compared (so that a check over nothing fails)
const segments = () => Number(psql(`SELECT count(DISTINCT (fkey, fvalue)) FROM stats_seg
  WHERE event_id = :id AND n <> 0`, { id: eventId() })[0][0]);
const comments = (code) => psql(`SELECT c.instrument, c.item, c.value FROM comment c
  JOIN participant p ON p.id = c.participant_id WHERE p.event_id = :id AND p.code = :'code'
  ORDER BY 1 DESC, 2`, { id: eventId(), code });

let token;
async function summary(query = '') {
  const res = await http('GET', `/api/v1/events/${SLUG}/summary${query}`,
    { headers: { Authorization: `Bearer ${token}` } });
  return { ...res, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(res.text) : null };
}

before(() => {
  loadEvent(SLUG, tmp);
  psql(`SET seed.slug = :'s'; SET seed.n = :'n';\n${SEED_SQL}`, { s: SLUG, n: String(N) });
  must(ctl(['user', 'add', `summary_${RUN}`], 'password123\n'), 'user add');
  token = must(ctl(['token', 'add', `summary_${RUN}`]), 'token add').trim();
});

test('the incremental aggregates equal the reference recomputation after seeding', () => {
  assert.equal(mismatches(), '0');
  assert.equal(segments(), 4 + 2, 'org_type x 4 and region x 2');
  // free texts, "other" texts, and no empty comment
  assert.deepEqual(comments('T0000004'), [['pre', 'expect', 'Café, "normes"\nligne 2 — مرحبا 4'],
    ['post', 'comments', '+33 merci, "très" bien\r\nشكرا 4']]);
  assert.deepEqual(comments('T0000005').map((c) => c[1]), ['expect', 'org_type.other']);
});

// The bytes of the API's summary (issue 19.6: the summary became a typed
// struct, JSON is written only for the API): the seeded event's summary,
// whole and under filters (one, combined, restricted), equals
// tests/golden/summary.json, captured from the code before the change
// (ENQUETE_GOLDEN_WRITE=1 rewrites it). The slug is the only varying part.
test('the summary JSON is byte-identical to the golden', async () => {
  const golden = path.join(REPO, 'tests/golden/summary.json');
  const queries = ['', '?org_type=company', '?org_type=chamber', '?org_type=other', '?region=south', '?region=north', '?org_type=agency&region=south',
    '?org_type=chamber&region=north', '?region=south&org_type=company'];
  const got = {};
  for (const q of queries) {
    const res = await summary(q);
    assert.equal(res.status, 200, res.text);
    got[q] = res.text.split(SLUG).join('SLUG');
  }
  if (process.env.ENQUETE_GOLDEN_WRITE === '1')
    writeFileSync(golden, JSON.stringify(got, null, 1) + '\n');
  const want = JSON.parse(readFileSync(golden, 'utf8'));
  for (const q of queries)
    assert.equal(got[q], want[q], `summary${q}`);
});

test('every figure of the summary equals R on the csv-long export', async () => {
  const res = await summary();
  assert.equal(res.status, 200, res.text);
  writeFileSync(path.join(tmp, 'summary.json'), res.text);
  writeFileSync(path.join(tmp, 'long.csv'), must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export'));
  writeFileSync(path.join(tmp, 'codebook.csv'), must(ctl(['export', '--event', SLUG, '--format', 'codebook']), 'codebook'));
  const r = spawnSync('Rscript', ['tests/r/summary_check.R', path.join(tmp, 'long.csv'),
    path.join(tmp, 'summary.json'), path.join(tmp, 'codebook.csv')], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[1-9][0-9]* figures compared, 0 differences/);
  const s = res.json;
  assert.ok(s.counts.paired >= 5 && s.paired.length === 2 && s.retro.length === 1);
  assert.equal(s.quiz.max_score, 2);
  assert.ok(!JSON.stringify(s).includes('email'), 'personal items never in the summary');
});

test('updates, a post before its pre, and erasure keep the aggregates exact', async () => {
  const before1 = (await summary()).json.counts;
  psql(`
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'upd-1')::bytea, 'cookie', 'T0000001', NULL, 'fr', '{"know_iso":"5","quiz_a":"yes","expect":"rewritten"}',
      '[{"item":"know_iso","value":"5","num":5},{"item":"quiz_a","value":"yes"},{"item":"expect","value":"rewritten"}]', '{}');
    SELECT outcome FROM enquete_submit(:id, 'post', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'upd-2')::bytea, 'new', NULL, 'ZZZZ0001', 'fr', '{"know_iso":"4","quiz_b":"y"}',
      '[{"item":"know_iso","value":"4","num":4},{"item":"quiz_b","value":"y"}]', '{}');
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'upd-3')::bytea, 'cookie', 'ZZZZ0001', NULL, 'fr', '{"know_iso":"1","quiz_b":"x"}',
      '[{"item":"know_iso","value":"1","num":1},{"item":"quiz_b","value":"x"}]', '{}');`, { id: eventId(), run: RUN });
  assert.equal(mismatches(), '0');
  const after1 = (await summary()).json.counts;
  assert.deepEqual(after1, { pre: before1.pre + 1, post: before1.post + 1, paired: before1.paired + 1 });
  assert.deepEqual(comments('T0000001').filter((c) => c[0] === 'pre'), [['pre', 'expect', 'rewritten']]);
  // profile answers that change: a post answered first, then a pre that
  // puts the participant (with that post) in two segments; a pre rewritten
  // into other segments; a pre rewritten without any profile answer
  psql(`
    SELECT outcome FROM enquete_submit(:id, 'post', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'mv-1')::bytea, 'new', NULL, 'ZZZZ0002', 'fr', '{"know_iso":"5","quiz_a":"yes","comments":"après"}',
      '[{"item":"know_iso","value":"5","num":5},{"item":"quiz_a","value":"yes"},{"item":"comments","value":"après"}]', '{}');
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'mv-2')::bytea, 'cookie', 'ZZZZ0002', NULL, 'fr', '{"org_type":"chamber","region":"north","know_iso":"2","quiz_a":"no"}',
      '[{"item":"org_type","value":"chamber"},{"item":"region","value":"north"},{"item":"know_iso","value":"2","num":2},{"item":"quiz_a","value":"no"}]', '{}');
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'mv-3')::bytea, 'cookie', 'T0000003', NULL, 'fr', '{"org_type":"agency","region":"south","know_iso":"3","expect":"moved"}',
      '[{"item":"org_type","value":"agency"},{"item":"region","value":"south"},{"item":"know_iso","value":"3","num":3},{"item":"expect","value":"moved"}]', '{}');
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'mv-4')::bytea, 'cookie', 'T0000006', NULL, 'fr', '{"know_iso":"4"}',
      '[{"item":"know_iso","value":"4","num":4}]', '{}');`, { id: eventId(), run: RUN });
  assert.deepEqual(psql(`SELECT string_agg(m.fkey || '=' || m.fvalue, ',' ORDER BY m.fkey) FROM stats_member m
    JOIN participant p ON p.id = m.participant_id WHERE p.event_id = :id AND p.code IN ('ZZZZ0002', 'T0000003', 'T0000006')
    GROUP BY p.code ORDER BY p.code`, { id: eventId() }), [['org_type=agency,region=south'], ['org_type=chamber,region=north']]);
  assert.equal(mismatches(), '0');
  psql(`DELETE FROM participant WHERE event_id = :id AND code IN ('T0000002', 'ZZZZ0001', 'T0000010', 'ZZZZ0002')`, { id: eventId() });
  assert.equal(psql(`SELECT count(*) FROM stats_member m LEFT JOIN participant p ON p.id = m.participant_id
    WHERE m.event_id = :id AND p.id IS NULL`, { id: eventId() })[0][0], '0', 'erased participants leave their segments');
  assert.equal(mismatches(), '0');
  psql(`DELETE FROM response WHERE instrument = 'post' AND participant_id =
    (SELECT id FROM participant WHERE event_id = :id AND code = 'T0000004')`, { id: eventId() });
  assert.equal(mismatches(), '0');
  // the repair (and what migration 010 runs on events stored before it)
  // rebuilds the same segments, and the triggers carry on from there
  const seg = () => psql(`SELECT fkey, fvalue, kind, instrument, item, value, rank, sum(n), round(sum(s1)::numeric, 6),
    round(sum(s2)::numeric, 6) FROM stats_seg WHERE event_id = :id GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7`, { id: eventId() });
  const kept = seg();
  psql('SELECT enquete_seg_rebuild(:id)', { id: eventId() });
  assert.deepEqual(seg(), kept);
  psql(`SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
    (:'run' || 'rb-1')::bytea, 'cookie', 'T0000007', NULL, 'fr', '{"org_type":"other","region":"north","know_iso":"2"}',
    '[{"item":"org_type","value":"other"},{"item":"region","value":"north"},{"item":"know_iso","value":"2","num":2}]', '{}')`,
  { id: eventId(), run: RUN });
  assert.equal(mismatches(), '0');
});

test('a summary filtered on one profile answer equals R on that subgroup', async () => {
  const res = await summary('?org_type=company');
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json.counts.pre >= 5 && !res.json.restricted, JSON.stringify(res.json.counts));
  writeFileSync(path.join(tmp, 'summary-company.json'), res.text);
  writeFileSync(path.join(tmp, 'long.csv'), must(ctl(['export', '--event', SLUG, '--format', 'csv-long']), 'export'));
  writeFileSync(path.join(tmp, 'codebook.csv'), must(ctl(['export', '--event', SLUG, '--format', 'codebook']), 'codebook'));
  const r = spawnSync('Rscript', ['tests/r/summary_check.R', path.join(tmp, 'long.csv'),
    path.join(tmp, 'summary-company.json'), path.join(tmp, 'codebook.csv'), 'org_type=company'],
  { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[1-9][0-9]* figures compared, 0 differences/);
  // and the segment's tuples are those of the recomputation
  assert.equal(psql(`SELECT count(*) FROM (
    (SELECT * FROM enquete_stats_filtered(:id, '{"org_type":"company"}') EXCEPT
     SELECT * FROM enquete_stats_recompute(:id, '{"org_type":"company"}'))
    UNION ALL
    (SELECT * FROM enquete_stats_recompute(:id, '{"org_type":"company"}') EXCEPT
     SELECT * FROM enquete_stats_filtered(:id, '{"org_type":"company"}'))) d`, { id: eventId() })[0][0], '0');
});

// The API and the dashboard while another session holds the raw answer rows
// exclusively: one filter is answered from its segment (never waits), two
// filters recompute, wait, and end in a 503 that says what to do when the
// filter time limit (ENQUETE_FILTER_TIMEOUT_MS) runs out.
test('one filter never reads the raw rows; combined filters past the time limit are a clear 503', async () => {
  const limit = Number(process.env.ENQUETE_FILTER_TIMEOUT_MS || 20000);
  const hold = Math.ceil(limit / 1000) + 10;
  const app = `enquete-lock-${RUN}`;
  const admin = new Client();
  must(ctl(['user', 'add', `summary_adm_${RUN}`, '--role', 'admin'], 'password123\n'), 'user add');
  assert.equal((await admin.login(`summary_adm_${RUN}`, 'password123')).status, 303);
  // a worker opening its connections prepares every statement, which reads
  // the tables (answer included): first let every worker open both
  const workers = workerPids().length;
  const opened = () => psql(`SELECT count(*) FILTER (WHERE application_name = 'enquete'),
    count(*) FILTER (WHERE application_name = 'enquete-analytics') FROM pg_stat_activity
    WHERE datname = current_database()`)[0].map(Number);
  for (let round = 0; round < 100 && Math.min(...opened()) < workers; round++)
    await Promise.all(Array.from({ length: workers }, () => summary()));
  assert.ok(Math.min(...opened()) >= workers, `connections ${opened()} for ${workers} workers`);
  const locker = spawn('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
    `SET application_name = '${app}'; BEGIN; LOCK TABLE answer IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(${hold}); COMMIT;`],
  { stdio: 'ignore' });
  let released = false;
  const done = new Promise((resolve) => locker.on('exit', () => { released = true; resolve(); }));
  try {
    for (let i = 0; i < 100; i++) {
      const held = psql(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.application_name = :'app' AND l.relation = 'answer'::regclass AND l.granted`, { app });
      if (held[0][0] !== '0') break;
      await sleep(100);
    }
    const t0 = Date.now();
    const one = await summary('?org_type=chamber');
    assert.equal(one.status, 200, one.text);
    assert.ok(Date.now() - t0 < limit, 'answered without waiting for the lock');
    const both = await summary('?org_type=chamber&region=north');
    assert.equal(both.status, 503, both.text);
    assert.equal(both.json.timeout, true);
    assert.match(both.json.error, /one filter at a time/);
    const page1 = await admin.get(`/admin/e/${SLUG}?org_type=chamber&lang=en`);
    assert.equal(page1.status, 200);
    const page2 = await admin.get(`/admin/e/${SLUG}?org_type=chamber&region=north&lang=en`);
    assert.equal(page2.status, 503);
    assert.match(page2.text, /Use one filter at a time/);
    // the connection dies under a limited query: the worker must not send
    // it again on a new connection, which would carry no limit (it would
    // wait for the lock, then compute for as long as it takes)
    const pending = summary('?org_type=chamber&region=south');
    let victim = [];
    for (let i = 0; i < 100 && victim.length === 0; i++) {
      await sleep(20);
      victim = psql(`SELECT pid FROM pg_stat_activity WHERE application_name = 'enquete-analytics'
        AND state = 'active' AND wait_event_type = 'Lock'`);
    }
    assert.equal(victim.length, 1, 'the limited query waits for the lock');
    psql(`SELECT pg_terminate_backend(${Number(victim[0][0])})`);
    const cut = await pending;
    assert.equal(released, false, 'answered while the lock was still held');
    assert.equal(cut.status, 503, cut.text);
    assert.equal(cut.json.error, 'Service Unavailable');
    assert.equal(cut.json.timeout, undefined);
  } finally {
    await done;
  }
  // the worker's connection has no limit left on it, and the combination
  // works once the rows are free again
  const again = await summary('?org_type=chamber&region=north');
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.filters, { org_type: 'chamber', region: 'north' });
});

test('filters: counts of the subgroup, counts only under 5, unknown key 400', async () => {
  const [[pre, post, paired]] = psql(`
    WITH p AS (SELECT DISTINCT r.participant_id FROM answer a JOIN response r ON r.id = a.response_id
      WHERE r.event_id = :id AND a.item = 'org_type' AND a.value = 'chamber')
    SELECT count(*) FILTER (WHERE instrument = 'pre'), count(*) FILTER (WHERE instrument = 'post'),
      (SELECT count(*) FROM (SELECT participant_id FROM response WHERE participant_id IN (SELECT * FROM p)
        GROUP BY 1 HAVING count(*) = 2) x)
    FROM response WHERE participant_id IN (SELECT * FROM p)`, { id: eventId() });
  const f = await summary('?org_type=chamber');
  assert.equal(f.status, 200);
  assert.deepEqual(f.json.filters, { org_type: 'chamber' });
  assert.deepEqual(f.json.counts, { pre: Number(pre), post: Number(post), paired: Number(paired) });
  const all = (await summary()).json;
  assert.ok(f.json.counts.pre < all.counts.pre);
  if (Number(pre) + Number(post) - Number(paired) >= 5) {
    const orgItem = f.json.items.find((i) => i.item === 'org_type');
    assert.equal(orgItem.distribution.chamber, orgItem.n);
  }
  // a value that is not an option is 400 (issue 18.7); an option nobody
  // chose in this subgroup gives counts only
  assert.equal((await summary('?org_type=nobody')).status, 400);
  const small = await summary('?org_type=other&region=south');
  assert.equal(small.status, 200);
  const [[n]] = psql(`SELECT count(DISTINCT r.participant_id) FROM response r JOIN answer a ON a.response_id = r.id AND a.item = 'org_type' AND a.value = 'other'
    JOIN answer b ON b.response_id = r.id AND b.item = 'region' AND b.value = 'south' WHERE r.event_id = :id`, { id: eventId() });
  if (Number(n) < 5) assert.equal(small.json.items, undefined, 'counts only');
  const bad = await summary('?know_iso=3');
  assert.equal(bad.status, 400);
  assert.ok(bad.json.error);
  const unknown = await summary('?nope=1');
  assert.equal(unknown.status, 400);
  const anon = await http('GET', `/api/v1/events/${SLUG}/summary`);
  assert.equal(anon.status, 401);
  const missing = await http('GET', '/api/v1/events/no-such-event/summary', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(missing.status, 404);
});

// Disclosure control (DESIGN.md "Statistics for small groups"): the
// differencing attack, the event (or a group) minus every group that shows
// more than counts, never isolates 1 to 4 participants; a combined group
// shows figures only when dropping either filter adds 0 or at least 5.
test('disclosure: total minus every group shown beyond counts never isolates 1 to 4', async () => {
  const slug = `disclose-${RUN}`;
  loadEvent(slug, tmp);
  psql(`SET seed.slug = :'s'; SET seed.n = :'n';\n${SEED_SQL}`, { s: slug, n: '30' });
  // one participant with a rare answer; with the 3 post-only participants
  // (no profile answer) the rest of the event would be 4 people
  psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'s'), 'pre',
    (SELECT definition_id FROM event WHERE slug = :'s'), (:'s' || 'pb')::bytea, 'new', NULL, 'PB000001', 'fr',
    '{"org_type":"public_body","region":"north","know_iso":"2","expect":"seul"}',
    '[{"item":"org_type","value":"public_body"},{"item":"region","value":"north"},{"item":"know_iso","value":"2","num":2},{"item":"expect","value":"seul"}]', '{}')`,
  { s: slug });
  const get = async (q = '') => {
    const res = await http('GET', `/api/v1/events/${slug}/summary${q}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, res.text);
    return JSON.parse(res.text);
  };
  const size = (s) => s.counts.pre + s.counts.post - s.counts.paired;
  const shows = (s) => s.restricted !== true && Array.isArray(s.items);
  const values = { org_type: ['chamber', 'agency', 'company', 'other', 'public_body'], region: ['north', 'south'] };
  const total = size(await get());
  const one = {};
  let hidden = 0;
  for (const [key, vals] of Object.entries(values)) {
    let shown = 0;
    for (const v of vals) {
      const s = one[`${key}=${v}`] = await get(`?${key}=${encodeURIComponent(v)}`);
      if (shows(s)) {
        assert.ok(size(s) >= 5, `${key}=${v} shows figures for ${size(s)}`);
        shown += size(s);
      } else {
        assert.equal(s.restricted, true);
        hidden++;
      }
    }
    const rest = total - shown;
    assert.ok(rest === 0 || rest >= 5, `${key}: the event minus the groups shown leaves ${rest} participants`);
  }
  assert.ok(hidden >= 2, 'public_body, and the next-smallest value with it');
  // two filters: within each org_type group, and within each region
  for (const org of values.org_type) {
    let shown = 0;
    for (const region of values.region) {
      const s = await get(`?org_type=${org}&region=${region}`);
      if (!shows(s)) continue;
      assert.ok(size(s) >= 5);
      for (const parent of [one[`org_type=${org}`], one[`region=${region}`]]) {
        const added = size(parent) - size(s);
        assert.ok(added === 0 || added >= 5, `org_type=${org}&region=${region}: dropping a filter adds ${added}`);
      }
      shown += size(s);
    }
    // (a group shown as counts only has no figures to subtract from)
    const rest = size(one[`org_type=${org}`]) - shown;
    if (shows(one[`org_type=${org}`])) assert.ok(rest === 0 || rest >= 5, `org_type=${org} minus its regions shown leaves ${rest}`);
  }
});
