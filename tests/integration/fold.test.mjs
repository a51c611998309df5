// fold.test.mjs: the statistics folder (schema/016_stats_fold.sql, issue
// 27). A submission only appends a change record; `enquetectl fold` folds
// the changes into the aggregates and segments. Checked against the plain
// SQL recomputation (enquete_stats_check, enquete_seg_check,
// enquete_comments_check): after random inserts, updates, erasures, answer
// rows deleted alone and a definition change; with folders killed by
// SIGKILL mid-batch many times; under concurrent submissions with the
// folder running; the folder's lag on /healthz and the dashboard; and the
// report's capped comment groups (schema/025_comment_groups.sql).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, DATABASE_URL, ADMIN_PASSWORD, http, psql, sleep, waitFor, tmpDir } from './lib.mjs';
import { Client } from './client.mjs';

const RUN = Date.now().toString(36);
const SLUG = `fold-${RUN}`;
const tmp = tmpDir('enquete-fold-');
const CTL = path.join(REPO, 'bin/enquetectl');
const ctl = (args, input) => spawnSync(CTL, args, { encoding: 'utf8', cwd: REPO, input });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const children = new Set();

// profile items (single, with other), multi, knowledge with retro, quiz,
// nps, ranking, free texts: every kind of tuple and segment
function definition(slug, extraProfile = false) {
  const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
  const opt = (value, fr) => ({ value, label: L(fr) });
  const lik = ['Aucune', 'Faible', 'Moyenne', 'Bonne', 'Très bonne'].map(L);
  const r10 = [L('Pas du tout'), L('Tout à fait')];
  const know = (extra = {}) => [
    { key: 'know_iso', type: 'likert5', analysis: 'knowledge', label: L('ISO'), scale: lik, ...extra },
    { key: 'quiz_a', type: 'quiz', analysis: 'quiz', label: L('Quiz A'), options: [opt('yes', 'Oui'), opt('no', 'Non')], correct: 'yes' },
  ];
  const pre = [
    { key: 'org_type', type: 'single', analysis: 'profile', label: L('Organisation'), other: true,
      options: [opt('chamber', 'Chambre'), opt('agency', 'Agence'), opt('company', 'Entreprise'), opt('other', 'Autre')] },
    { key: 'region', type: 'single', analysis: 'profile', label: L('Région'), options: [opt('north', 'Nord'), opt('south', 'Sud')] },
    ...(extraProfile ? [{ key: 'size', type: 'single', analysis: 'profile', label: L('Taille'), options: [opt('small', 'Petite'), opt('large', 'Grande')] }] : []),
    { key: 'sectors', type: 'multi', analysis: 'descriptive', label: L('Secteurs'), options: [opt('agri', 'Agriculture'), opt('it', 'Informatique')] },
    ...know(),
    { key: 'expect', type: 'longtext', analysis: 'comment', label: L('Attentes') },
  ];
  const post = [
    ...know({ retro: true }),
    { key: 'nps', type: 'rating10', analysis: 'nps', label: L('Recommander'), scale: r10 },
    { key: 'priority', type: 'rank', analysis: 'ranking', top: 2, label: L('Priorités'),
      options: [opt('desk', 'Guichet'), opt('training', 'Formation'), opt('guides', 'Guides')] },
    { key: 'comments', type: 'longtext', analysis: 'comment', label: L('Commentaires') },
  ];
  const inst = (title, items) => ({ title: L(title), intro: L('Intro'), sections: [{ id: 's1', title: L('S1'), items }] });
  return {
    format: 1,
    event: { slug, title: L('Fold'), dates: { start: '2024-03-12', end: '2024-03-13' },
      place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
      languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
    instruments: { pre: inst('Avant', pre), post: inst('Après', post) },
  };
}

function load(extraProfile) {
  const file = path.join(tmp, `${SLUG}-${extraProfile ? 2 : 1}.json`);
  writeFileSync(file, JSON.stringify(definition(SLUG, extraProfile)));
  must(ctl(['load', file]), 'load');
}

// :n random operations on the event, each committed on its own (a failed
// one, e.g. a deadlock between two clients erasing and updating the same
// participant, is skipped): new pre or post, post by code, pre or post
// rewritten through the cookie (segments change), erasure of a
// participant, a post response deleted, one answer row deleted alone.
const OPS_SQL = `DO $$
DECLARE
	v_ev int; v_def int; i int; op int; p record; code text;
	pre jsonb; post jsonb; rows jsonb; outc text; failed int := 0;
BEGIN
	PERFORM setseed(current_setting('fold.seed')::float8);
	SELECT id, definition_id INTO v_ev, v_def FROM event WHERE slug = current_setting('fold.slug');
	FOR i IN 1 .. current_setting('fold.n')::int LOOP
		BEGIN
			op := floor(random() * 100)::int;
			code := upper(lpad(to_hex(floor(random() * 2147483647)::int), 8, '0'));
			code := translate(code, 'ILOU', '1234');
			pre := jsonb_build_object(
				'org_type', (ARRAY['chamber','agency','company','other'])[1 + floor(random() * 4)::int],
				'region', (ARRAY['north','south'])[1 + floor(random() * 2)::int],
				'know_iso', (1 + floor(random() * 5)::int)::text,
				'quiz_a', (ARRAY['yes','no'])[1 + floor(random() * 2)::int],
				'expect', (ARRAY['', 'bien', 'très bien'])[1 + floor(random() * 3)::int]);
			-- (the server stores rows of its definition's items only)
			IF random() < 0.5 AND EXISTS (SELECT 1 FROM stats_item m
				WHERE m.definition_id = v_def AND m.item = 'size') THEN
				pre := pre || '{"size": "small"}';
			END IF;
			IF random() < 0.15 THEN pre := pre - 'region'; END IF;
			IF pre->>'org_type' = 'other' THEN pre := pre || '{"org_type.other": "autre"}'; END IF;
			post := jsonb_build_object('know_iso', (1 + floor(random() * 5)::int)::text,
				'know_iso.retro', (1 + floor(random() * 5)::int)::text,
				'quiz_a', (ARRAY['yes','no'])[1 + floor(random() * 2)::int],
				'nps', floor(random() * 11)::int::text,
				'comments', (ARRAY['', 'merci', 'شكرا'])[1 + floor(random() * 3)::int]);
			IF op < 30 THEN
				-- a new participant's pre
				SELECT jsonb_agg(jsonb_build_object('item', e.key, 'value', e.value,
					'num', CASE WHEN e.key = 'know_iso' THEN e.value::float8 END))
					|| jsonb_build_array(jsonb_build_object('item', 'sectors', 'value', 'agri'))
					INTO rows FROM jsonb_each_text(pre) e WHERE e.value <> '';
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'pre', v_def,
					gen_random_uuid()::text::bytea, 'new', NULL, code, 'fr', pre, rows, '{}') s;
			ELSIF op < 55 OR op >= 85 THEN
				-- a post: by code for someone with a pre only, or new
				SELECT pa.* INTO p FROM participant pa WHERE pa.event_id = v_ev
					AND NOT EXISTS (SELECT 1 FROM response r WHERE r.participant_id = pa.id AND r.instrument = 'post')
					ORDER BY random() LIMIT 1;
				SELECT jsonb_agg(jsonb_build_object('item', e.key, 'value', e.value,
					'num', CASE WHEN e.key IN ('know_iso', 'know_iso.retro', 'nps') THEN e.value::float8 END))
					|| jsonb_build_array(jsonb_build_object('item', 'priority', 'value', 'desk', 'rank', 1),
						jsonb_build_object('item', 'priority', 'value', 'guides', 'rank', 2))
					INTO rows FROM jsonb_each_text(post) e WHERE e.value <> '';
				IF p.id IS NOT NULL AND op < 50 THEN
					SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def,
						gen_random_uuid()::text::bytea, CASE WHEN op < 40 THEN 'code' ELSE 'cookie' END,
						p.code, code, 'ar', post, rows, '{}') s;
				ELSE
					SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def,
						gen_random_uuid()::text::bytea, 'new', NULL, code, 'en', post, rows, '{}') s;
				END IF;
			ELSIF op < 70 THEN
				-- a pre rewritten through the cookie (history kept; may
				-- move the participant between segments; a new
				-- participant when another client erased this one)
				SELECT pa.* INTO p FROM participant pa WHERE pa.event_id = v_ev ORDER BY random() LIMIT 1;
				CONTINUE WHEN p.id IS NULL;
				SELECT jsonb_agg(jsonb_build_object('item', e.key, 'value', e.value,
					'num', CASE WHEN e.key = 'know_iso' THEN e.value::float8 END))
					INTO rows FROM jsonb_each_text(pre) e WHERE e.value <> '';
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'pre', v_def,
					gen_random_uuid()::text::bytea, 'cookie', p.code, code, 'fr', pre, rows, '{}') s;
			ELSIF op < 78 THEN
				-- erasure
				DELETE FROM participant WHERE id = (SELECT id FROM participant
					WHERE event_id = v_ev ORDER BY random() LIMIT 1);
			ELSIF op < 82 THEN
				DELETE FROM response WHERE id = (SELECT r.id FROM response r
					WHERE r.event_id = v_ev AND r.instrument = 'post' ORDER BY random() LIMIT 1);
			ELSE
				-- one answer row deleted alone
				DELETE FROM answer WHERE ctid = (SELECT a.ctid FROM answer a
					JOIN response r ON r.id = a.response_id
					WHERE r.event_id = v_ev ORDER BY random() LIMIT 1);
			END IF;
		EXCEPTION WHEN deadlock_detected OR unique_violation OR serialization_failure THEN
			failed := failed + 1;
		END;
		COMMIT;
	END LOOP;
END $$;`;

// runs OPS_SQL in a psql child (async: the test kills folders meanwhile)
function ops(n, seed) {
  return new Promise((resolve, reject) => {
    const c = spawn('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ops: ${err}`))));
    c.stdin.end(`SET fold.slug = '${SLUG}'; SET fold.n = '${n}'; SET fold.seed = '${seed}';\n${OPS_SQL}\n`);
  });
}

const eventId = () => psql(`SELECT id FROM event WHERE slug = :'s'`, { s: SLUG })[0][0];
// every check against the recomputation, in one statement (one snapshot)
const mismatches = () => Number(psql(`SELECT (SELECT count(*) FROM enquete_stats_check(:id))
  + (SELECT count(*) FROM enquete_comments_check(:id))
  + (SELECT count(*) FROM enquete_seg_check(:id))`, { id: eventId() })[0][0]);
const mismatchesAsync = () => new Promise((resolve, reject) => {
  const c = spawn('psql', [DATABASE_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  c.stdout.on('data', (d) => { out += d; });
  c.stderr.on('data', (d) => { err += d; });
  c.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(err))));
  // enquete_seg_check recomputes every segment (seconds under load):
  // here two segments and the membership, in the same snapshot
  c.stdin.end(`SELECT (SELECT count(*) FROM enquete_stats_check(e.id))
    + (SELECT count(*) FROM enquete_comments_check(e.id))
    + (SELECT count(*) FROM (SELECT participant_id, fkey, fvalue FROM stats_member WHERE event_id = e.id
        EXCEPT ALL SELECT participant_id, fkey, fvalue FROM stats_member_source WHERE event_id = e.id) d)
    + (SELECT count(*) FROM (SELECT participant_id, fkey, fvalue FROM stats_member_source WHERE event_id = e.id
        EXCEPT ALL SELECT participant_id, fkey, fvalue FROM stats_member WHERE event_id = e.id) d)
    + (SELECT count(*) FROM (VALUES ('org_type', 'agency'), ('region', 'north')) g(k, v)
        CROSS JOIN LATERAL (SELECT 1 FROM (SELECT s.kind, s.instrument, s.item, s.value, s.rank,
            sum(s.n) AS n, sum(s.s1) AS s1, sum(s.s2) AS s2 FROM stats_seg s
            WHERE s.event_id = e.id AND s.fkey = g.k AND s.fvalue = g.v AND s.kind <> 'comment'
            GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0) i
          FULL JOIN enquete_stats_recompute(e.id, jsonb_build_object(g.k, g.v)) r
            USING (kind, instrument, item, value, rank)
          WHERE i.n IS DISTINCT FROM r.n OR NOT abs(i.s1 - r.s1) <= 1e-9 * greatest(1, abs(r.s1))
            OR NOT abs(i.s2 - r.s2) <= 1e-9 * greatest(1, abs(r.s2))) d)
    FROM event e WHERE e.slug = '${SLUG}';\n`);
});
const pending = () => Number(psql('SELECT count(*) FROM stats_change WHERE event_id = :id', { id: eventId() })[0][0]);
// the folded tables alone (no pending participant) against the
// recomputation: meaningful once pending() is 0
const foldedMismatches = () => Number(psql(`SELECT count(*) FROM (
  SELECT kind, instrument, item, value, rank, sum(n) AS n, sum(s1) AS s1, sum(s2) AS s2
  FROM stats_agg_folded WHERE event_id = :id GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0) f
  FULL JOIN enquete_stats_recompute(:id) r USING (kind, instrument, item, value, rank)
  WHERE f.n IS DISTINCT FROM r.n OR NOT abs(f.s1 - r.s1) <= 1e-9 * greatest(1, abs(r.s1))
    OR NOT abs(f.s2 - r.s2) <= 1e-9 * greatest(1, abs(r.s2))`, { id: eventId() })[0][0]);
const drained = (what) => waitFor(() => pending() === 0, { timeoutMs: 20000, what });
// until some session holds event id's fold lock (the stack's folder then skips the event)
const foldLockHeld = (id) => waitFor(() => Number(psql(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
  AND classid = :id AND objid = stats_fold_key() AND granted`, { id })[0][0]) === 1, { what: 'the fold lock held' });

function folder(args = []) {
  const c = spawn(CTL, ['fold', '--loop', ...args], { cwd: REPO, stdio: 'ignore' });
  children.add(c);
  c.on('exit', () => children.delete(c));
  return c;
}
const killed = (c) => new Promise((resolve) => { c.on('exit', (code, sig) => resolve(sig)); c.kill('SIGKILL'); });

before(() => {
  load(false);
  must(ctl(['event', 'open', SLUG, 'pre']), 'open pre');
  must(ctl(['event', 'open', SLUG, 'post']), 'open post');
});

after(() => { for (const c of children) c.kill('SIGKILL'); });

test('a submission takes no lock shared with other submissions and updates no shared row', () => {
  // inside an open submission: the locks it holds (and the relations it
  // wrote: none of the aggregates)
  const locks = psql(`BEGIN;
    SELECT outcome FROM enquete_submit(:id, 'pre', (SELECT definition_id FROM event WHERE id = :id),
      (:'run' || 'lock-1')::bytea, 'new', NULL, 'FK000001', 'fr', '{"org_type":"agency","region":"north","know_iso":"3"}',
      '[{"item":"org_type","value":"agency"},{"item":"region","value":"north"},{"item":"know_iso","value":"3","num":3}]', '{}') \\g /dev/null
    SELECT l.locktype || CASE WHEN l.locktype = 'advisory' THEN '/' || l.objsubid ELSE '' END,
      coalesce(l.relation::regclass::text, ''), l.mode FROM pg_locks l
    WHERE l.pid = pg_backend_pid() AND l.granted ORDER BY 1, 2, 3;
    COMMIT;`, { id: eventId(), run: RUN });
  assert.ok(locks.length > 0);
  // the only advisory lock is its own token's (bigint key: objsubid 1);
  // 004's slot locks were (event, slot) pairs (objsubid 2)
  assert.deepEqual(locks.filter((l) => l[0].startsWith('advisory') && l[0] !== 'advisory/1'), [], 'no slot lock');
  const shared = /^(stats_agg|stats_seg|stats_member|comment_count|comment_group|stats_contrib|stats_fold)/;
  assert.deepEqual(locks.filter((l) => shared.test(l[1])), [], 'no aggregate table touched');
  assert.ok(locks.some((l) => l[1] === 'stats_change' && l[2] === 'RowExclusiveLock'), 'its change record');
  // the change is visible at once, before any folding, and exact
  assert.equal(mismatches(), 0);
});

// enquete_submit writes the comment rows of its free texts itself, in the
// statement that inserts its answers, and the answer rows' statement
// triggers (comment_answer_ins, stats_change_answer_ins,
// answer_response_check) stand aside for that statement only
// (enquete.submit_rows, schema/functions/submit.sql): its answers cost no
// lookup of the response (the triggers made two, the foreign key one per
// row). A hand-made answer row
// later in the same transaction still gets its comment and change record.
test('a submission writes its own comment rows; the answer triggers stand aside for its statement only', async () => {
  const id = eventId();
  const def = `(SELECT definition_id FROM event WHERE id = ${Number(id)})`;
  const scans = (tag, rows) => Number(psql(`BEGIN;
    SELECT outcome FROM enquete_submit(:id, 'pre', ${def}, (:'run' || :'tag')::bytea, 'new', NULL,
      upper(substr(md5(:'run' || :'tag'), 1, 8)), 'fr', '{}', :'rows', '{}') \\g /dev/null
    SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_xact_user_tables WHERE relname = 'response';
    COMMIT;`, { id, run: RUN, tag, rows })[0][0]);
  const none = scans('own-0', '[]');
  const three = [{ item: 'org_type', value: 'agency' }, { item: 'know_iso', value: '3', num: 3 },
    { item: 'expect', value: `own words ${RUN}` }];
  const some = scans('own-3', JSON.stringify(three));
  // 3 answer rows and 1 comment row: no lookup of the response at all
  // (the answer, comment and submission rows' response is checked per
  // statement, and not for enquete_submit's own: migrations 027 and 029);
  // the triggers and the keys made 6, then the comment's key 1
  assert.equal(some, none, `index scans on response: ${none} with no answer, ${some} with 3 (no more)`);
  const own = psql(`SELECT c.value, c.instrument, c.participant_id = r.participant_id, c.submitted_at = r.submitted_at
    FROM comment c JOIN response r ON r.id = c.response_id
    WHERE c.event_id = :id AND c.value = :'v'`, { id, v: `own words ${RUN}` });
  assert.deepEqual(own, [[`own words ${RUN}`, 'pre', 't', 't']]);
  // the setting ends with the statement: a hand-made row after it, in the
  // same transaction, is seen by both triggers
  const hand = psql(`BEGIN;
    SELECT outcome FROM enquete_submit(:id, 'pre', ${def}, (:'run' || 'own-4')::bytea, 'new', NULL,
      upper(substr(md5(:'run' || 'own-4'), 1, 8)), 'fr', '{}', '[{"item":"expect","value":"own again"}]', '{}') \\g /dev/null
    SELECT coalesce(current_setting('enquete.submit_rows', true), '') AS setting \\gset
    INSERT INTO answer (response_id, item, value)
      SELECT r.id, 'expect', :'v' FROM response r JOIN participant p ON p.id = r.participant_id
      WHERE p.code = upper(substr(md5(:'run' || 'own-0'), 1, 8)) AND r.instrument = 'pre';
    SELECT count(*) FROM stats_change c JOIN participant p ON p.id = c.participant_id
      WHERE p.code = upper(substr(md5(:'run' || 'own-0'), 1, 8)) AND c.xmin = pg_current_xact_id()::xid \\gset changes_
    COMMIT;
    SELECT :'setting', :changes_count, count(*) FROM comment WHERE event_id = :id AND value = :'v';`,
  { id, run: RUN, v: `hand words ${RUN}` });
  assert.deepEqual(hand, [['', '1', '1']], 'setting reset, change recorded, comment written');
  assert.equal(await mismatches(), 0);
});

// migration 027: the answer rows' foreign key became a check per
// statement (answer_response_check) and a cascade (response_answers_delete)
test('answer rows keep their response as the foreign key did: the same error, the cascade, the lock', async () => {
  const id = eventId();
  // (psql's error, whole, is in what psql() throws)
  assert.throws(() => psql(`\\set VERBOSITY verbose
    INSERT INTO answer (response_id, item, value) VALUES (-42, 'expect', 'orphan');`),
  (e) => /23503/.test(e.message) && /answer_response_id_fkey/.test(e.message)
    && /Key \(response_id\)=\(-42\) is not present in table "response"/.test(e.message),
  'an answer for no response is refused, with the key\'s error');
  // an UPDATE that points rows at no response: refused too
  assert.throws(() => psql(`UPDATE answer SET response_id = -43
    WHERE response_id = (SELECT max(id) FROM response WHERE event_id = :id)`, { id }), /answer_response_id_fkey/);
  // a response deleted (alone, or through its participant): its answers go
  const [[rid, n]] = psql(`SELECT r.id, count(a.*) FROM response r JOIN answer a ON a.response_id = r.id
    WHERE r.event_id = :id GROUP BY r.id ORDER BY r.id DESC LIMIT 1`, { id });
  assert.ok(Number(n) > 0);
  psql('DELETE FROM response WHERE id = :rid', { rid });
  assert.equal(psql('SELECT count(*) FROM answer WHERE response_id = :rid', { rid })[0][0], '0');
  const [[pid]] = psql(`SELECT r.participant_id FROM response r WHERE r.event_id = :id
    AND EXISTS (SELECT 1 FROM answer a WHERE a.response_id = r.id) ORDER BY r.id DESC LIMIT 1`, { id });
  psql('DELETE FROM participant WHERE id = :pid', { pid });
  assert.equal(psql(`SELECT count(*) FROM answer a WHERE NOT EXISTS (SELECT 1 FROM response r WHERE r.id = a.response_id)`)[0][0], '0',
    'no answer row without its response');
  // the lock: rows written for a response hold its deletion until they commit,
  // which then removes them too
  const [[rid2]] = psql(`SELECT max(r.id) FROM response r WHERE r.event_id = :id`, { id });
  const holder = spawn('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
  children.add(holder);
  holder.stdin.write(`BEGIN;\nINSERT INTO answer (response_id, item, value) VALUES (${Number(rid2)}, 'late', 'held');\nSELECT pg_sleep(1.5);\nCOMMIT;\n`);
  holder.stdin.end();
  await sleep(500);
  const t0 = Date.now();
  psql('DELETE FROM response WHERE id = :rid', { rid: rid2 });
  assert.ok(Date.now() - t0 >= 500, 'the deletion waited for the writer');
  await new Promise((resolve) => holder.on('exit', resolve));
  assert.equal(psql('SELECT count(*) FROM answer WHERE response_id = :rid', { rid: rid2 })[0][0], '0');
  assert.equal(await mismatches(), 0);
});

// migration 029: the comment and submission rows' keys went the answer
// rows' way (response_ref_check, response_rows_delete)
test('comment and submission rows keep their response as the foreign keys did: the same error, the cascade, the lock', async () => {
  const id = eventId();
  const def = `(SELECT definition_id FROM event WHERE id = ${Number(id)})`;
  // two submissions with a comment each (their comment and idempotency rows)
  const submit = (tag) => psql(`SELECT outcome FROM enquete_submit(:id, 'pre', ${def}, (:'run' || :'tag')::bytea,
    'new', NULL, upper(substr(md5(:'run' || :'tag'), 1, 8)), 'fr', '{}', :'rows', '{}')`,
  { id, run: RUN, tag, rows: JSON.stringify([{ item: 'expect', value: `words ${tag} ${RUN}` }]) });
  assert.deepEqual(submit('ref-a'), [['stored']]);
  assert.deepEqual(submit('ref-b'), [['stored']]);
  const byTag = (tag) => psql(`SELECT r.id, r.participant_id FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE p.event_id = :id AND p.code = upper(substr(md5(:'run' || :'tag'), 1, 8))`, { id, run: RUN, tag })[0];
  const [rid, pid] = byTag('ref-a');
  const [, pid2] = byTag('ref-b');
  assert.deepEqual(psql(`SELECT (SELECT count(*) FROM comment WHERE response_id = :rid),
    (SELECT count(*) FROM submission WHERE response_id = :rid)`, { rid }), [['1', '1']]);
  // a hand-made row for a response that exists is taken
  psql(`INSERT INTO submission (token_hash, response_id)
    VALUES (sha256(convert_to(:'run' || '-ref-own', 'UTF8')), :rid)`, { run: RUN, rid });
  const orphans = {
    comment: `INSERT INTO comment (response_id, event_id, participant_id, instrument, item, submitted_at, value)
      VALUES (-42, ${Number(id)}, ${Number(pid)}, 'pre', 'expect', now(), 'orphan')`,
    submission: `INSERT INTO submission (token_hash, response_id)
      VALUES (sha256(convert_to('${RUN}-ref-token', 'UTF8')), -42)`,
  };
  for (const [table, sql] of Object.entries(orphans)) {
    assert.throws(() => psql(`\\set VERBOSITY verbose\n${sql};`),
      (e) => /23503/.test(e.message) && new RegExp(`${table}_response_id_fkey`).test(e.message)
        && /Key \(response_id\)=\(-42\) is not present in table "response"/.test(e.message)
        && new RegExp(`on table "${table}"`).test(e.message),
    `a ${table} row for no response is refused, with the key's error`);
    assert.throws(() => psql(`UPDATE ${table} SET response_id = -43 WHERE response_id = :rid`, { rid }),
      new RegExp(`${table}_response_id_fkey`), `a ${table} row moved to no response is refused`);
  }
  // the same rows inside enquete_submit's transaction, after it: checked
  // (the exemption ends with submit_rows's statement)
  assert.throws(() => psql(`BEGIN;
    SELECT outcome FROM enquete_submit(:id, 'pre', ${def}, (:'run' || 'ref-1')::bytea, 'new', NULL,
      upper(substr(md5(:'run' || 'ref-1'), 1, 8)), 'fr', '{}', '[]', '{}') \\g /dev/null
    ${orphans.submission};
    COMMIT;`, { id, run: RUN }), /submission_response_id_fkey/);
  // a response deleted (alone, or through its participant): its comment
  // and submission rows go with it
  psql('DELETE FROM response WHERE id = :rid', { rid });
  assert.deepEqual(psql(`SELECT (SELECT count(*) FROM comment WHERE response_id = :rid),
    (SELECT count(*) FROM submission WHERE response_id = :rid)`, { rid }), [['0', '0']]);
  psql('DELETE FROM participant WHERE id = :pid', { pid: pid2 });
  assert.deepEqual(psql(`SELECT (SELECT count(*) FROM comment c WHERE NOT EXISTS (SELECT 1 FROM response r WHERE r.id = c.response_id)),
    (SELECT count(*) FROM submission s WHERE NOT EXISTS (SELECT 1 FROM response r WHERE r.id = s.response_id))`),
  [['0', '0']], 'no comment or submission row without its response');
  // the lock: a row written for a response holds its deletion until it
  // commits, which then removes it too
  for (const table of Object.keys(orphans)) {
    assert.deepEqual(submit(`ref-lock-${table}`), [['stored']]);
    const [rid2] = byTag(`ref-lock-${table}`);
    const row = orphans[table].replace('-42', String(Number(rid2))).replace('-ref-token', '-ref-held');
    const holder = spawn('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
    children.add(holder);
    holder.stdin.write(`BEGIN;\n${row};\nSELECT pg_sleep(1.5);\nCOMMIT;\n`);
    holder.stdin.end();
    await sleep(500);
    const t0 = Date.now();
    psql('DELETE FROM response WHERE id = :rid', { rid: rid2 });
    assert.ok(Date.now() - t0 >= 500, `the deletion waited for the ${table} writer`);
    const code = await new Promise((resolve) => holder.on('exit', resolve));
    assert.equal(code, 0, `the ${table} writer committed`);
    assert.equal(psql(`SELECT count(*) FROM ${table} WHERE response_id = :rid`, { rid: rid2 })[0][0], '0');
  }
  assert.equal(await mismatches(), 0);
});

// migration 030: an erasure finds the idempotency rows of the responses
// it deletes by their index, whatever the size of the table
test('erasing a participant reads its submission rows by their response, not the whole table', () => {
  const id = eventId();
  const def = `(SELECT definition_id FROM event WHERE id = ${Number(id)})`;
  const pidOf = (tag) => {
    assert.deepEqual(psql(`SELECT outcome FROM enquete_submit(:id, 'pre', ${def}, (:'run' || :'tag')::bytea,
      'new', NULL, upper(substr(md5(:'run' || :'tag'), 1, 8)), 'fr', '{}', '[]', '{}')`,
    { id, run: RUN, tag }), [['stored']]);
    return psql(`SELECT r.id, r.participant_id FROM response r JOIN participant p ON p.id = r.participant_id
      WHERE p.event_id = :id AND p.code = upper(substr(md5(:'run' || :'tag'), 1, 8))`, { id, run: RUN, tag })[0];
  };
  const [ridA, pidA] = pidOf('erase-idx-a');
  const [ridB] = pidOf('erase-idx-b');
  // a large table (20,000 more rows, another participant's, analysed),
  // then one erasure; the table's scans counted around it, all rolled back
  const scans = (p) => `SELECT seq_scan AS ${p}seq, idx_scan AS ${p}idx
    FROM pg_stat_xact_user_tables WHERE relname = 'submission' \\gset`;
  const [[seq0, seq1, idx0, idx1, goneA, keptB]] = psql(`BEGIN;
    INSERT INTO submission (token_hash, response_id)
      SELECT sha256(convert_to(:'run' || '-erase-fill-' || g, 'UTF8')), :rid_b FROM generate_series(1, 20000) g;
    ANALYZE submission;
    ${scans('b_')}
    DELETE FROM participant WHERE id = :pid_a;
    ${scans('a_')}
    SELECT :b_seq, :a_seq, :b_idx, :a_idx, (SELECT count(*) FROM submission WHERE response_id = :rid_a),
      (SELECT count(*) FROM submission WHERE response_id = :rid_b);
    ROLLBACK;`, { run: RUN, rid_a: ridA, rid_b: ridB, pid_a: pidA });
  assert.deepEqual([goneA, keptB], ['0', '20001'], 'the erased response\'s row gone, the other\'s kept');
  assert.equal(Number(seq1) - Number(seq0), 0, `no sequential scan of submission (${seq0} -> ${seq1})`);
  assert.ok(Number(idx1) - Number(idx0) >= 1, `its rows found by an index (${idx0} -> ${idx1})`);
});

test('random inserts, updates, erasures and a definition change stay exact, folder killed mid-batch again and again', async () => {
  const id = eventId();
  const kills = { loop: 0, held: 0 };
  for (let round = 0; round < 10; round++) {
    if (round === 5) {
      // a new version of the definition (one more profile item): the
      // responses stored under v1 keep their meaning
      load(true);
      await waitFor(() => pending() === 0, { timeoutMs: 20000, what: 'drained before v2' });
    }
    // a folder with small batches, killed at a random moment while the
    // submissions run (and the stack's own folder competing with it)
    const f = folder(['--batch', '3', '--poll-ms', '1']);
    const work = ops(40, (round + 1) / 100);
    await sleep(20 + Math.floor(Math.random() * 150));
    if ((await killed(f)) === 'SIGKILL') kills.loop++;
    await work;
    // exact while changes are pending, as of the reader's snapshot
    assert.equal(mismatches(), 0, `round ${round}: pending view`);

    // a batch killed after it folded and before it committed: this
    // session takes the event's fold lock (the other folders skip the
    // event), submissions come in, it folds them all, then dies without
    // committing
    const held = spawn('psql', [DATABASE_URL, '-X', '-q', '-At'], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(held);
    let out = '';
    held.stdout.on('data', (d) => { out += d; });
    held.stdin.write(`SET client_connection_check_interval = '100ms';
      BEGIN;
      SELECT 'locked', pg_advisory_xact_lock(${id}, stats_fold_key());\n`);
    await waitFor(() => /locked\|/.test(out), { timeoutMs: 20000, what: 'the fold lock taken' });
    await ops(15, (round + 50) / 100);
    const before1 = pending();
    assert.ok(before1 > 0);
    held.stdin.write(`SELECT 'folded', sum(participants) FROM enquete_fold(100000);
      SELECT 'left', count(*) FROM stats_change WHERE event_id = ${id};
      SELECT pg_sleep(30);
      COMMIT;\n`);
    await waitFor(() => /left\|0/.test(out), { timeoutMs: 20000, what: 'the held batch folded' });
    assert.match(out, /folded\|[1-9]/);
    if ((await killed(held)) === 'SIGKILL') kills.held++;
    // its batch rolled back: the changes are still pending (unless the
    // stack's folder, now free, folded them already), and exact
    await waitFor(() => Number(psql(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
      AND classid = :id AND objid = stats_fold_key() AND granted AND pid IN
      (SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%')`, { id })[0][0]) === 0,
    { timeoutMs: 10000, what: 'the killed batch rolled back' });
    assert.equal(mismatches(), 0, `round ${round}: after a killed batch`);
    await drained(`round ${round}: folded`);
    assert.equal(mismatches(), 0, `round ${round}: folded`);
    assert.equal(foldedMismatches(), 0, `round ${round}: the folded table alone`);
  }
  assert.equal(kills.loop, 10);
  assert.equal(kills.held, 10);
  // what was folded equals a rebuild from the raw rows
  const seg = () => psql(`SELECT fkey, fvalue, kind, instrument, item, value, rank, sum(n), round(sum(s1)::numeric, 6),
    round(sum(s2)::numeric, 6) FROM stats_seg_folded WHERE event_id = :id GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7`, { id });
  const kept = seg();
  assert.ok(kept.length > 50);
  assert.ok(kept.some((r) => r[0] === 'size'), 'the v2 profile item has segments');
  psql('SELECT enquete_stats_rebuild(:id)', { id });
  assert.deepEqual(seg(), kept);
  assert.equal(mismatches(), 0);
  // history kept for the rewritten responses
  assert.ok(Number(psql(`SELECT count(*) FROM response_history h JOIN response r ON r.id = h.response_id
    WHERE r.event_id = :id`, { id })[0][0]) > 0);
});

test('concurrent submissions with the folder running: exact during and after', async () => {
  const id = eventId();
  const extra = [folder(['--batch', '50']), folder(['--batch', '5', '--poll-ms', '5'])];
  const work = Array.from({ length: 6 }, (_, i) => ops(200, (i + 200) / 1000));
  let checks = 0;
  let done = false;
  const all = Promise.all(work).finally(() => { done = true; });
  // each check is one statement (one snapshot), run beside the load
  while (!done) {
    assert.equal(await mismatchesAsync(), 0, 'during the load');
    checks++;
  }
  await all;
  // at least one whole check ran beside the load (how many fit depends
  // on the machine: no timing threshold in make test)
  assert.ok(checks >= 1, `checked ${checks} times during the load`);
  await drained('folded after the load');
  assert.equal(mismatches(), 0);
  assert.equal(await mismatchesAsync(), 0);
  assert.equal(foldedMismatches(), 0);
  for (const f of extra) f.kill('SIGTERM');
  assert.ok(Number(psql('SELECT folded FROM stats_fold WHERE event_id = :id', { id })[0][0]) > 0);
});

// Everything the folders keep for event id, as sorted text: the totals and
// the segments (summed over slots, all-zero keys out), the segments'
// members, each participant's recorded contribution, the comment counts
// and groups. Sums rounded to 6 places (their order of addition differs).
const foldedState = (id) => `SELECT 'state|' || count(*) || '|' || md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
  SELECT concat_ws(',', 'a', kind, instrument, item, value, rank, sum(n), round(sum(s1)::numeric, 6),
    round(sum(s2)::numeric, 6)) AS x FROM stats_agg_folded WHERE event_id = ${id} GROUP BY kind, instrument, item, value, rank
    HAVING sum(n) <> 0 OR round(sum(s1)::numeric, 6) <> 0 OR round(sum(s2)::numeric, 6) <> 0
  UNION ALL SELECT concat_ws(',', 's', fkey, fvalue, kind, instrument, item, value, rank, sum(n), round(sum(s1)::numeric, 6),
    round(sum(s2)::numeric, 6)) FROM stats_seg_folded WHERE event_id = ${id} GROUP BY fkey, fvalue, kind, instrument, item, value, rank
    HAVING sum(n) <> 0 OR round(sum(s1)::numeric, 6) <> 0 OR round(sum(s2)::numeric, 6) <> 0
  UNION ALL SELECT concat_ws(',', 'm', participant_id, fkey, fvalue) FROM stats_member_folded WHERE event_id = ${id}
  UNION ALL SELECT concat_ws(',', 'c', c.participant_id, u.kind, u.instrument, u.item, u.value, u.rank, u.n,
    round(u.s1::numeric, 6), round(u.s2::numeric, 6)) FROM stats_contrib c CROSS JOIN LATERAL unnest(c.tuples) u
    WHERE c.event_id = ${id}
  UNION ALL SELECT concat_ws(',', 'k', item, sum(n)) FROM comment_count_folded WHERE event_id = ${id} GROUP BY item HAVING sum(n) <> 0
  UNION ALL SELECT concat_ws(',', 'g', item, lang, encode(vkey, 'hex'), n) FROM comment_group_folded WHERE event_id = ${id}) d`;

// enquetectl fold sums a batch in C (cgi/domain/fold.c); enquete_fold,
// all in SQL, is the reference: the same changes folded either way leave
// the same folded state, row for row.
test('the folder (sums in C) folds exactly what enquete_fold (all in SQL) folds', async () => {
  const id = eventId();
  await drained('nothing pending');
  // this session holds the event's fold lock (the stack's folder skips the
  // event) while changes of every kind come in, folds them all in SQL,
  // records the state, and rolls back
  const held = spawn('psql', [DATABASE_URL, '-X', '-q', '-At'], { stdio: ['pipe', 'pipe', 'ignore'] });
  children.add(held);
  let out = '';
  held.stdout.on('data', (d) => { out += d; });
  held.stdin.write(`BEGIN;
    SELECT 'locked', pg_advisory_xact_lock(${id}, stats_fold_key());\n`);
  await waitFor(() => /locked\|/.test(out), { timeoutMs: 20000, what: 'the fold lock taken' });
  await ops(120, 0.31);
  const changed = pending();
  assert.ok(changed > 50, `${changed} changes`);
  held.stdin.write(`SELECT 'folded', sum(participants) FROM enquete_fold(100000);
    ${foldedState(id)};
    ROLLBACK;\n`);
  await waitFor(() => /state\|/.test(out), { timeoutMs: 20000, what: 'the SQL fold recorded' });
  held.stdin.end();
  await new Promise((resolve) => held.on('exit', resolve));
  const sql = /state\|[0-9]+\|[0-9a-f]+/.exec(out)[0];
  assert.match(out, /folded\|[1-9]/);
  // the same changes, now folded by the stack's folder (enquetectl fold)
  await drained('folded by enquetectl fold');
  const c = psql(foldedState(id))[0][0];
  assert.ok(Number(c.split('|')[1]) > 200, c);
  assert.equal(c, sql);
  assert.equal(mismatches(), 0);
});

test('the lag shows on /healthz line 2 and on the dashboard, and goes back to 0', async () => {
  const id = eventId();
  const lagOf = (text) => Number((/^ok\nstats-lag-ms ([0-9]+)$/.exec(text) || [])[1]);
  await drained('nothing pending');
  await waitFor(async () => lagOf((await http('GET', '/healthz')).text) === 0, { timeoutMs: 10000, what: 'lag 0' });
  // hold the event's fold lock: its changes wait
  const held = spawn('psql', [DATABASE_URL, '-X', '-q', '-c',
    `BEGIN; SELECT pg_advisory_xact_lock(${id}, stats_fold_key()); SELECT pg_sleep(4); COMMIT;`], { stdio: 'ignore' });
  children.add(held);
  await foldLockHeld(id);
  await ops(3, 0.77);
  await sleep(600);
  const h = await http('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.ok(lagOf(h.text) >= 500, h.text);
  const admin = new Client();
  assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 303);
  const page = await admin.get(`/admin/e/${SLUG}?lang=en`);
  assert.equal(page.status, 200);
  const m = /id="fold-lag">[^<]*?([0-9]+) ms</.exec(page.text);
  assert.ok(m && Number(m[1]) >= 500, page.text.match(/id="fold-lag"[^\n]*/)?.[0]);
  // the figures are exact meanwhile
  assert.equal(mismatches(), 0);
  await new Promise((resolve) => held.on('exit', resolve));
  // after the load, zero within a second
  const t0 = Date.now();
  await waitFor(async () => lagOf((await http('GET', '/healthz')).text) === 0, { timeoutMs: 5000, intervalMs: 20, what: 'lag back to 0' });
  assert.ok(Date.now() - t0 < 1000, `lag back to 0 after ${Date.now() - t0} ms`);
  const again = await admin.get(`/admin/e/${SLUG}?lang=en`);
  assert.match(again.text, /id="fold-lag">[^<]*? 0 ms</);
});

// The report's comments (schema/025_comment_groups.sql): the capped list
// of enquete_comment_groups equals the plain grouping of the raw rows
// (most frequent first, then the text's first 64 characters, language,
// key), while the submissions are still pending and once folded, and it
// reads no comment row: its cost does not grow with the event's comments.
test("the report's comment groups: the capped list equals the plain grouping, pending or folded, and reads no comment row", async () => {
  const id = eventId();
  const ITEMS = '["expect", "comments"]';
  const CAP = 7;
  const plain = () => psql(`SELECT item, value, lang, n FROM (
      SELECT c.item, c.value, r.lang, count(*) AS n, row_number() OVER (PARTITION BY c.item
        ORDER BY count(*) DESC, left(c.value, 64), r.lang, comment_group_vkey(c.value)) AS rk
      FROM comment c JOIN response r ON r.id = c.response_id
      WHERE c.event_id = :id AND c.item IN ('expect', 'comments') GROUP BY 1, 2, 3) x
    WHERE rk <= :cap ORDER BY item <> 'expect', n DESC, left(value, 64), lang, comment_group_vkey(value)`, { id, cap: CAP });
  const groups = () => psql(`SELECT item, value, lang, n FROM enquete_comment_groups(:id, :'items', :cap)`,
    { id, items: ITEMS, cap: CAP });
  // the folded groups alone against the raw rows (meaningful once nothing is pending)
  const foldedOff = () => Number(psql(`SELECT count(*) FROM (SELECT item, lang, value, n FROM comment_group_folded
      WHERE event_id = :id) f FULL JOIN (SELECT c.item, r.lang, c.value, count(*) AS n FROM comment c
      JOIN response r ON r.id = c.response_id WHERE c.event_id = :id GROUP BY 1, 2, 3) x USING (item, lang, value)
    WHERE f.n IS DISTINCT FROM x.n`, { id })[0][0]);
  await drained('nothing pending');
  // hold the event's fold lock: the new comments stay pending
  const held = spawn('psql', [DATABASE_URL, '-X', '-q', '-c',
    `BEGIN; SELECT pg_advisory_xact_lock(${id}, stats_fold_key()); SELECT pg_sleep(3); COMMIT;`], { stdio: 'ignore' });
  children.add(held);
  await foldLockHeld(id);
  // 240 pre submissions: 60 texts, duplicated unevenly, in two languages;
  // some share their first 64 characters (the order then goes by key)
  psql(`SET fold.slug = :'slug'; SET fold.run = :'run';
    DO $$
    DECLARE v_ev int; v_def int; t text; s text;
    BEGIN
      SELECT id, definition_id INTO v_ev, v_def FROM event WHERE slug = current_setting('fold.slug');
      FOR i IN 1 .. 240 LOOP
        t := CASE WHEN i % 5 = 0 THEN repeat('même début ', 7) || (i % 3) ELSE 'texte ' || (i * i % 60) END;
        SELECT outcome INTO s FROM enquete_submit(v_ev, 'pre', v_def, ('grp-' || current_setting('fold.run') || i)::bytea, 'new', NULL,
          upper(lpad(to_hex(1000000 + i), 8, 'G')), CASE WHEN i % 4 = 0 THEN 'ar' ELSE 'fr' END,
          jsonb_build_object('org_type', 'agency', 'expect', t),
          jsonb_build_array(jsonb_build_object('item', 'org_type', 'value', 'agency'),
            jsonb_build_object('item', 'expect', 'value', t)), '{}');
      END LOOP;
    END $$;`, { slug: SLUG, run: RUN });
  assert.ok(pending() >= 240, 'pending while the lock is held');
  const p0 = plain();
  assert.equal(p0.filter((r) => r[0] === 'expect').length, CAP);
  assert.deepEqual(groups(), p0, 'exact while pending');
  assert.equal(mismatches(), 0);
  await new Promise((resolve) => held.on('exit', resolve));
  await drained('the groups folded');
  assert.deepEqual(groups(), plain(), 'exact once folded');
  assert.equal(foldedOff(), 0, 'the folded groups alone');
  // one transaction: the comment rows it read (none) and the groups it read
  const [[comments, groupRows]] = psql(`BEGIN;
    SELECT count(*) FROM enquete_comment_groups(:id, :'items', :cap) \\g /dev/null
    SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)) FILTER (WHERE relname = 'comment'), 0),
      coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)) FILTER (WHERE relname = 'comment_group_folded'), 0)
    FROM pg_stat_xact_user_tables;
    COMMIT;`, { id, items: ITEMS, cap: CAP });
  assert.equal(Number(comments), 0, 'no comment row read');
  assert.ok(Number(groupRows) <= 2 * CAP + 2, `${groupRows} group rows read for 2 questions capped at ${CAP}`);
  // a rebuild gives the same groups
  const kept = psql('SELECT item, lang, value, n FROM comment_group_folded WHERE event_id = :id ORDER BY 1, 2, 3', { id });
  psql('SELECT enquete_stats_rebuild(:id)', { id });
  assert.deepEqual(psql('SELECT item, lang, value, n FROM comment_group_folded WHERE event_id = :id ORDER BY 1, 2, 3', { id }), kept);
});

test('a deleted event takes its folded rows along, also when its deletion waits behind a fold batch', async () => {
  const id = eventId();
  // migration 028: the folded tables have no key to event any more
  const TABLES = ['stats_agg_folded', 'stats_seg_folded', 'stats_member_folded', 'stats_contrib',
    'comment_count_folded', 'comment_group_folded', 'comment_group_contrib'];
  const rows = () => TABLES.map((t) => Number(psql(`SELECT count(*) FROM ${t} WHERE event_id = :id`, { id })[0][0]));
  await drained('nothing pending');
  assert.ok(rows().every((n) => n > 0), `every folded table holds rows of the event: ${rows()}`);
  // a comment's key is computed inline (as its own function per comment
  // it cost the folder 15 ms of a 500-participant batch)
  const plan = psql('EXPLAIN (VERBOSE, COSTS OFF) SELECT comment_group_vkey(value) FROM comment WHERE event_id = :id',
    { id }).flat().join('\n');
  assert.match(plan, /sha256\(convert_to\(/, plan);
  // a batch holds the event: it folds 40 new participants, then waits
  // before its commit; the deletion of the event waits for it
  const batch = spawn('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
  children.add(batch);
  let batchErr = '';
  batch.stderr.on('data', (d) => { batchErr += d; });
  batch.stdin.write(`BEGIN;\nSELECT pg_advisory_xact_lock(${Number(id)}, stats_fold_key());\nSELECT pg_sleep(2);\n`
    + 'SELECT count(*) FROM enquete_fold(5000);\nSELECT pg_sleep(1.5) AS holding;\nCOMMIT;\n');
  batch.stdin.end();
  await foldLockHeld(id);
  psql(`SET fold.slug = :'slug'; SET fold.run = :'run';
    DO $$
    DECLARE v_ev int; v_def int; s text;
    BEGIN
      SELECT id, definition_id INTO v_ev, v_def FROM event WHERE slug = current_setting('fold.slug');
      FOR i IN 1 .. 40 LOOP
        SELECT outcome INTO s FROM enquete_submit(v_ev, 'pre', v_def, ('del-' || current_setting('fold.run') || i)::bytea, 'new', NULL,
          upper(lpad(to_hex(2000000 + i), 8, 'G')), 'fr',
          jsonb_build_object('org_type', 'chamber', 'region', 'south', 'expect', 'dernier ' || i),
          jsonb_build_array(jsonb_build_object('item', 'org_type', 'value', 'chamber'),
            jsonb_build_object('item', 'region', 'value', 'south'),
            jsonb_build_object('item', 'expect', 'value', 'dernier ' || i)), '{}');
      END LOOP;
    END $$;`, { slug: SLUG, run: RUN });
  await waitFor(() => psql(`SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5) AS holding%'`)[0][0] === '1',
    { what: 'the batch folded, not committed' });
  const t0 = Date.now();
  // (a response's history names its definition by a key without a
  // cascade: removed first, as a hand-made deletion must)
  psql(`DELETE FROM response_history h USING response r WHERE r.id = h.response_id AND r.event_id = :id;
    DELETE FROM event WHERE id = :id`, { id });
  assert.ok(Date.now() - t0 >= 300, 'the deletion waited for the batch');
  await new Promise((resolve) => batch.on('exit', resolve));
  assert.equal(batchErr, '');
  assert.deepEqual(rows(), TABLES.map(() => 0), 'no folded row left');
  // a batch for the deleted event writes nothing
  psql('SELECT stats_fold_apply(:id, ARRAY[1, 2, 3]::bigint[])', { id });
  assert.deepEqual(rows(), TABLES.map(() => 0));
});
