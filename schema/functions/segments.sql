-- segments.sql: the statistics of stats.sql kept per profile answer as
-- well (tables stats_member and stats_seg: schema/010_stats_segments.sql),
-- so that a summary or dashboard filtered on one profile item
-- (?org_type=chamber) reads a few thousand rows instead of recomputing
-- from the raw rows of the selected participants; and the group sizes of
-- the disclosure control.
--
--
-- A segment is one answer to a profile item: (fkey, fvalue). A participant
-- belongs to the segments of the profile answers in any of their
-- responses, which is exactly who enquete_stats_recompute(event,
-- {"fkey": "fvalue"}) selects whenever fkey is a profile item in every
-- definition of the event that has it (enquete_stats_filtered falls back
-- to the recomputation otherwise, and for combined filters).
--
--   stats_member  the segments whose figures currently count a participant
--   stats_seg     per segment, the tuples of stats_agg (same kinds, same 16
--                 slots under the same advisory locks), plus kind
--                 'comment': per free-text item, the number of rows in
--                 comment (what comment_count is to the whole event)
--
-- Invariant: stats_seg of a segment = the sum, over the participants that
-- stats_member puts in it, of their current contribution. Since 016
-- (issue 27) both are views (the folded tables plus the pending
-- participants' difference): fold.sql's folder recomputes a changed
-- participant's contribution and segments (stats_participant_tuples,
-- stats_member_source) and moves them in the folded tables, outside the
-- submission's transaction. enquete_seg_check() compares every segment
-- with the recomputation.

-- The tuples of the responses p_resp (ids) from their raw rows, grouped
-- by participant: with p_all, every kind (what a participant contributes:
-- stats_participant_tuples, the folder's); without, only the kinds of
-- stats_change.sql (prer, quizd, the follow-up's), which
-- enquete_stats_recompute adds to its own (stats_x_tuples). One reading
-- of the answer rows serves both sets of kinds: read twice, once for each,
-- the second reading took 98-106 ms of 237-281 ms for 500 paired
-- participants of a 1M-participant event, for 5.5 % of the tuples
-- (issue 27). Every lookup by index below is a LATERAL subquery (a nested
-- loop is its only plan); every other join is between the batch's own
-- rows, by hash. The planner cannot count a CTE's rows, and a nested loop
-- over two CTE scans of 40,000 answer rows took minutes. No JIT: the
-- disabled nested loops' cost would make it compile for a second. No sort
-- where a hash will do: counting the CTEs' rows as a handful, the planner
-- sorted the itemn DISTINCT's 15,500 rows of a batch of 500 (their text
-- compared through the collation: 17 ms of a 52 ms call) and the comment
-- counts'; the window's sort, which nothing replaces, stays. PL/pgSQL so
-- that its plan is kept per connection.
CREATE OR REPLACE FUNCTION stats_resp_tuples(p_resp bigint[], p_all boolean)
RETURNS TABLE (participant_id bigint, event_id int, kind text,
	instrument text, item text, value text, rank int, n bigint,
	s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE
SET enable_nestloop = off SET enable_sort = off SET jit = off AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH resp AS MATERIALIZED (
		SELECT r.id, r.participant_id, r.event_id, r.instrument,
			r.definition_id,
			count(*) FILTER (WHERE r.instrument IN ('pre', 'post'))
				OVER w = 2 AS paired,
			bool_or(r.instrument = 'followup') OVER w AS has_fu,
			bool_or(r.instrument = 'pre') OVER w AS has_pre,
			bool_or(r.instrument = 'post') OVER w AS has_post
		FROM unnest(p_resp) AS u(id)
		CROSS JOIN LATERAL (SELECT r.* FROM response r
			WHERE r.id = u.id OFFSET 0) r
		WINDOW w AS (PARTITION BY r.participant_id)
	),
	-- the metadata of the responses' definitions (by stats_item's key):
	-- the items every kind reads (not personal; not free text, base_ok)
	-- and those the stats_change.sql kinds read (knowledge, retro, quiz)
	meta AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item, m.role, m.correct,
			m.base_ok
		FROM (SELECT DISTINCT r.definition_id, r.instrument FROM resp r) d
		CROSS JOIN LATERAL (SELECT m.*,
				m.type NOT IN ('text', 'longtext', 'other') AS base_ok
			FROM stats_item m
			WHERE m.definition_id = d.definition_id
			AND m.instrument = d.instrument OFFSET 0) m
		WHERE NOT m.personal
			AND ((p_all AND m.base_ok)
				OR m.role IN ('knowledge', 'retro', 'quiz'))
	),
	-- answer rows by response (answer_response_idx), then their metadata
	-- (materialized, though read once: inlined into a's hash join, a
	-- batch of 500 took a fifth longer); without p_all only the rows of
	-- paired or followed-up participants (OFFSET 0: each response's rows
	-- by answer_response_idx, never by an (item, value) index over the
	-- whole event)
	ra AS MATERIALIZED (
		SELECT x.response_id, x.item, x.value, x.num, x.rank,
			r.participant_id, r.event_id, r.instrument, r.paired,
			r.has_fu, r.definition_id
		FROM resp r
		CROSS JOIN LATERAL (SELECT y.* FROM answer y
			WHERE y.response_id = r.id OFFSET 0) x
		WHERE p_all OR r.paired OR r.has_fu
	),
	a AS MATERIALIZED (
		SELECT x.response_id, x.item, x.value, x.num, x.rank,
			x.participant_id, x.event_id, x.instrument, x.paired,
			x.has_fu, m.role, m.correct, m.base_ok
		FROM ra x
		JOIN meta m ON m.definition_id = x.definition_id
			AND m.instrument = x.instrument AND m.item = x.item
	),
	-- what the kinds of every participant read (p_all)...
	bresp AS NOT MATERIALIZED (SELECT * FROM resp r WHERE p_all),
	b AS NOT MATERIALIZED (SELECT * FROM a WHERE p_all AND a.base_ok),
	-- ...and the stats_change.sql kinds: knowledge, retro and quiz
	-- answers of paired or followed-up participants
	xa AS NOT MATERIALIZED (
		SELECT * FROM a
		WHERE a.role IN ('knowledge', 'retro', 'quiz')
			AND (a.paired OR a.has_fu)
	),
	-- a pre answer beside the same item's post answer: both in b (its
	-- filter is the one the post row's metadata must pass), joined by
	-- hash within the batch rather than by an index scan of the post
	-- response per pre row
	k AS (
		SELECT x.participant_id, x.event_id, x.item, x.role,
			x.num AS pre, y.num AS post,
			x.value = x.correct AS pre_ok,
			y.value = y.correct AS post_ok
		FROM b x
		JOIN b y ON y.participant_id = x.participant_id
			AND y.instrument = 'post' AND y.item = x.item
		WHERE x.instrument = 'pre' AND x.paired
			AND x.role IN ('knowledge', 'quiz')
	)
	SELECT r.participant_id, r.event_id, 'resp'::text, r.instrument,
		''::text, ''::text, 0, count(*), 0::float8, 0::float8
	FROM bresp r GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT r.participant_id, r.event_id, 'resp', 'paired', '', '', 0, 1,
		0, 0
	FROM bresp r WHERE r.paired AND r.instrument = 'pre'
	UNION ALL
	-- one tuple per answer row, not grouped: every reader of the tuples
	-- sums them by key (the folded tables, the netting, the views), and
	-- the rows of one response differ in (item, value, rank) whenever the
	-- form wrote them, so grouping hashed 15,000 rows a batch into as many
	SELECT a.participant_id, a.event_id, 'value', a.instrument, a.item,
		a.value, coalesce(a.rank, 0)::int, 1::bigint,
		coalesce(a.num, 0), coalesce(a.num * a.num, 0)
	FROM b a
	UNION ALL
	-- (the responses answering the item: a participant has one response
	-- per instrument (UNIQUE (participant_id, instrument)), so each
	-- (participant, instrument, item) that has answer rows counts 1, one
	-- hashed DISTINCT; count(DISTINCT response_id) sorted the batch's
	-- answer rows)
	SELECT DISTINCT a.participant_id, a.event_id, 'itemn', a.instrument,
		a.item, '', 0, 1::bigint, 0::float8, 0::float8
	FROM b a
	UNION ALL
	SELECT k.participant_id, k.event_id, 'pair', '', k.item, '',
		(k.post - k.pre)::int, count(*), sum(k.pre), sum(k.post)
	FROM k WHERE k.role = 'knowledge' GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT k.participant_id, k.event_id, 'quiz', '', k.item, '',
		2 * k.pre_ok::int + k.post_ok::int, count(*),
		sum(k.pre_ok::int), sum(k.post_ok::int)
	FROM k WHERE k.role = 'quiz' GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT x.participant_id, x.event_id, 'retro', '', x.item, '',
		(x.num - y.num)::int, count(*), sum(y.num), sum(x.num)
	FROM b x
	JOIN b y ON y.response_id = x.response_id
		AND y.item = x.item || '.retro'
	WHERE x.role = 'knowledge'
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- a paired participant; then, in a second tuple of the same key
	-- (readers sum), their correct quiz rows per instrument
	SELECT r.participant_id, r.event_id, 'quizsum', '', '', '', 0, 1, 0, 0
	FROM bresp r WHERE r.paired AND r.instrument = 'pre'
	UNION ALL
	SELECT a.participant_id, a.event_id, 'quizsum', '', '', '', 0, 0,
		count(*) FILTER (WHERE a.instrument = 'pre'),
		count(*) FILTER (WHERE a.instrument = 'post')
	FROM b a WHERE a.paired AND a.role = 'quiz' AND a.value = a.correct
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT r.participant_id, r.event_id, 'comment', '', c.item, '', 0,
		count(*), 0, 0
	FROM bresp r
	CROSS JOIN LATERAL (SELECT c.item FROM comment c
		WHERE c.response_id = r.id OFFSET 0) c
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- prer: a pre rating beside its .retro rating in the post response
	SELECT x.participant_id, x.event_id, 'prer'::text, ''::text, x.item,
		''::text, (y.num - x.num)::int, count(*), sum(x.num), sum(y.num)
	FROM xa x
	JOIN xa y ON y.participant_id = x.participant_id
		AND y.instrument = 'post' AND y.role = 'retro'
		AND y.item = x.item || '.retro'
	WHERE x.instrument = 'pre' AND x.paired AND x.role = 'knowledge'
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- quizd: the post score minus the pre score of a paired participant
	SELECT p.participant_id, p.event_id, 'quizd', '', '', '',
		(count(a.item) FILTER (WHERE a.instrument = 'post')
			- count(a.item) FILTER (WHERE a.instrument = 'pre'))::int,
		1::bigint, 0::float8, 0::float8
	FROM (SELECT DISTINCT r.participant_id, r.event_id FROM resp r
		WHERE r.paired) p
	LEFT JOIN xa a ON a.participant_id = p.participant_id
		AND a.instrument IN ('pre', 'post') AND a.role = 'quiz'
		AND a.value = a.correct
	GROUP BY 1, 2
	UNION ALL
	-- the follow-up (issue 24): who answered it beside pre, beside
	-- post, or alone (the last keeps enquete_group_sizes' participant
	-- count right: pre + post - paired + fonly)
	SELECT r.participant_id, r.event_id, 'resp', x.k, '', '', 0,
		1::bigint, 0::float8, 0::float8
	FROM resp r CROSS JOIN LATERAL (VALUES
		(CASE WHEN r.has_pre THEN 'fpaired_pre' END),
		(CASE WHEN r.has_post THEN 'fpaired_post' END),
		(CASE WHEN NOT r.has_pre AND NOT r.has_post THEN 'fonly' END)
	) x(k)
	WHERE r.instrument = 'followup' AND x.k IS NOT NULL
	UNION ALL
	-- a knowledge item's pre (fpre) or post (fpost) rating beside the
	-- follow-up's: rank = followup - earlier, s1 = sum(earlier),
	-- s2 = sum(followup)
	SELECT x.participant_id, x.event_id,
		CASE x.instrument WHEN 'pre' THEN 'fpre' ELSE 'fpost' END,
		'', x.item, '', (y.num - x.num)::int, count(*), sum(x.num),
		sum(y.num)
	FROM xa x
	JOIN xa y ON y.participant_id = x.participant_id
		AND y.instrument = 'followup' AND y.role = 'knowledge'
		AND y.item = x.item
	WHERE x.instrument IN ('pre', 'post') AND x.role = 'knowledge'
		AND x.num IS NOT NULL AND y.num IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
END
$$;

-- Whether the segments answer the filter {p_key: ...}: p_key is a profile
-- item wherever the event's definitions have it (else a response under
-- another version may hold p_key rows that are no profile answers, which
-- the recomputation would select and the segments do not).
CREATE OR REPLACE FUNCTION stats_seg_usable(p_event int, p_key text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM stats_item m
			JOIN definition d ON d.id = m.definition_id
			WHERE d.event_id = p_event AND m.item = p_key)
		AND NOT EXISTS (SELECT 1 FROM stats_item m
			JOIN definition d ON d.id = m.definition_id
			WHERE d.event_id = p_event AND m.item = p_key
				AND m.role <> 'profile')
$$;

-- The one filter {"key": "value"} of p_filter that the segments answer,
-- or NULLs (several filters, or a key they cannot answer).
CREATE OR REPLACE FUNCTION stats_seg_filter(p_event int, p_filter jsonb,
	OUT fkey text, OUT fvalue text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF jsonb_typeof(p_filter) = 'object'
		AND (SELECT count(*) FROM jsonb_object_keys(p_filter)) = 1 THEN
		SELECT f.key, f.value INTO fkey, fvalue
			FROM jsonb_each_text(p_filter) f;
		IF NOT stats_seg_usable(p_event, fkey) THEN
			fkey := NULL;
			fvalue := NULL;
		END IF;
	END IF;
END
$$;

-- The statistics of an event under profile filters, the same tuples as
-- enquete_stats_recompute(p_event, p_filter): from the segment's rows for
-- one usable filter, else recomputed.
CREATE OR REPLACE FUNCTION enquete_stats_filtered(p_event int, p_filter jsonb)
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_key text;
	v_value text;
BEGIN
	SELECT f.fkey, f.fvalue INTO v_key, v_value
		FROM stats_seg_filter(p_event, p_filter) f;
	IF v_key IS NOT NULL THEN
		RETURN QUERY
		SELECT s.kind, s.instrument, s.item, s.value, s.rank,
			sum(s.n)::bigint, sum(s.s1), sum(s.s2)
		FROM stats_seg s
		WHERE s.event_id = p_event AND s.fkey = v_key
			AND s.fvalue = v_value AND s.kind <> 'comment'
		GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0;
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM enquete_stats_recompute(p_event, p_filter);
END
$$;

-- Where the segments differ from the raw rows (no rows: they agree), for
-- every segment of a usable key that the raw rows or stats_seg know:
-- kind 'member' for a participant missing from stats_member or extra
-- (value = the participant id, n = 1 expected / 0 stored or the reverse),
-- kind 'comment' for a comment count, any other kind for a tuple of
-- enquete_stats_recompute(p_event, {fkey: fvalue}).
CREATE OR REPLACE FUNCTION enquete_seg_check(p_event int)
RETURNS TABLE (fkey text, fvalue text, kind text, instrument text,
	item text, value text, rank int, seg_n bigint, ref_n bigint,
	seg_s1 double precision, ref_s1 double precision,
	seg_s2 double precision, ref_s2 double precision)
LANGUAGE sql STABLE AS $$
	WITH seg AS (
		SELECT DISTINCT x.fkey, x.fvalue FROM (
			SELECT s.fkey, s.fvalue FROM stats_member_source s
			WHERE s.event_id = p_event
			UNION ALL
			SELECT s.fkey, s.fvalue FROM stats_seg s
			WHERE s.event_id = p_event
			UNION ALL
			SELECT s.fkey, s.fvalue FROM stats_member s
			WHERE s.event_id = p_event) x
		WHERE stats_seg_usable(p_event, x.fkey)
	),
	mem AS (
		SELECT fkey, fvalue, 'member'::text, '', '',
			participant_id::text, 0, y.n, x.n, 0::float8, 0::float8,
			0::float8, 0::float8
		FROM (SELECT s.fkey, s.fvalue, s.participant_id, 1::bigint AS n
			FROM stats_member_source s
			WHERE s.event_id = p_event) x
		FULL JOIN (SELECT s.fkey, s.fvalue, s.participant_id,
				1::bigint AS n
			FROM stats_member s WHERE s.event_id = p_event) y
			USING (fkey, fvalue, participant_id)
		WHERE x.n IS DISTINCT FROM y.n
	),
	com AS (
		SELECT fkey, fvalue, 'comment'::text, '', item, '', 0, y.n,
			x.n, 0::float8, 0::float8, 0::float8, 0::float8
		FROM (SELECT s.fkey, s.fvalue, c.item, count(*) AS n
			FROM comment_source c
			JOIN stats_member_source s
				ON s.participant_id = c.participant_id
			WHERE c.event_id = p_event GROUP BY 1, 2, 3) x
		FULL JOIN (SELECT s.fkey, s.fvalue, s.item,
				sum(s.n)::bigint AS n
			FROM stats_seg s
			WHERE s.event_id = p_event AND s.kind = 'comment'
			GROUP BY 1, 2, 3 HAVING sum(s.n) <> 0) y
			USING (fkey, fvalue, item)
		WHERE x.n IS DISTINCT FROM y.n
	),
	tup AS (
		SELECT g.fkey, g.fvalue, d.kind, d.instrument, d.item, d.value,
			d.rank, d.i_n, d.r_n, d.i_s1, d.r_s1, d.i_s2, d.r_s2
		FROM seg g CROSS JOIN LATERAL (
			SELECT kind, instrument, item, value, rank,
				i.n AS i_n, r.n AS r_n, i.s1 AS i_s1,
				r.s1 AS r_s1, i.s2 AS i_s2, r.s2 AS r_s2
			FROM (SELECT s.kind, s.instrument, s.item, s.value,
					s.rank, sum(s.n)::bigint AS n,
					sum(s.s1) AS s1, sum(s.s2) AS s2
				FROM stats_seg s
				WHERE s.event_id = p_event
					AND s.fkey = g.fkey
					AND s.fvalue = g.fvalue
					AND s.kind <> 'comment'
				GROUP BY 1, 2, 3, 4, 5
				HAVING sum(s.n) <> 0) i
			FULL JOIN enquete_stats_recompute(p_event,
				jsonb_build_object(g.fkey, g.fvalue)) r
				USING (kind, instrument, item, value, rank)
			WHERE i.n IS DISTINCT FROM r.n
				OR NOT abs(i.s1 - r.s1)
					<= 1e-9 * greatest(1, abs(r.s1))
				OR NOT abs(i.s2 - r.s2)
					<= 1e-9 * greatest(1, abs(r.s2))) d
	)
	SELECT * FROM mem
	UNION ALL SELECT * FROM com
	UNION ALL SELECT * FROM tup
$$;

-- 010's repair of the segments is now the same rebuild (the segments are
-- folded with the rest).
CREATE OR REPLACE FUNCTION enquete_seg_rebuild(p_event int) RETURNS void
LANGUAGE sql AS $$
	SELECT enquete_stats_rebuild(p_event)
$$;


CREATE OR REPLACE FUNCTION stats_participant_tuples(p_participants bigint[])
RETURNS TABLE (participant_id bigint, event_id int, kind text,
	instrument text, item text, value text, rank int, n bigint,
	s1 double precision, s2 double precision)
LANGUAGE sql STABLE AS $$
	SELECT * FROM stats_resp_tuples(ARRAY(SELECT r.id
		FROM unnest(p_participants) AS u(id)
		JOIN response r ON r.participant_id = u.id), true)
$$;

-- Disclosure control (DESIGN.md "Statistics for small groups",
-- Disclosure): the group sizes the summary needs to decide whether a view
-- of the participants who gave every answer of p_filter shows more than
-- counts. Rows (fkey, fvalue, n):
--   ('', '', n)     the whole event (participants with a response)
--   (k, NULL, n)    for each filter key k: the group without that filter
--   (k, v, n)       for each filter key k and each value v of k: that
--                   group narrowed to k = v (so (k, filter's value) is the
--                   group itself)
-- One filter reads the segments' counters (schema/010) when they answer
-- it; otherwise the answer rows of the selected participants (the caller
-- runs it under the same time limit as a combined-filter summary).
CREATE OR REPLACE FUNCTION enquete_group_sizes(p_event int, p_filter jsonb)
RETURNS TABLE (fkey text, fvalue text, n bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_total bigint;
	v_key text;
	v_rest jsonb;
	v_nrest int;
BEGIN
	-- participants: pre + post - paired + those with a follow-up alone
	SELECT coalesce(sum(s.n) FILTER (WHERE s.instrument IN ('pre', 'post',
			'fonly')), 0)
		- coalesce(sum(s.n) FILTER (WHERE s.instrument = 'paired'), 0)
		INTO v_total
	FROM stats_agg s WHERE s.event_id = p_event AND s.kind = 'resp';
	RETURN QUERY SELECT ''::text, ''::text, v_total;
	FOR v_key IN SELECT k FROM jsonb_object_keys(p_filter) k ORDER BY k
	LOOP
		v_rest := p_filter - v_key;
		SELECT count(*) INTO v_nrest FROM jsonb_object_keys(v_rest);
		IF v_nrest = 0 AND stats_seg_usable(p_event, v_key) THEN
			RETURN QUERY SELECT v_key, NULL::text, v_total;
			RETURN QUERY
			SELECT v_key, s.fvalue,
				(coalesce(sum(s.n) FILTER
					(WHERE s.instrument IN ('pre', 'post',
					'fonly')), 0)
				- coalesce(sum(s.n) FILTER
					(WHERE s.instrument = 'paired'), 0))::bigint
			FROM stats_seg s
			WHERE s.event_id = p_event AND s.fkey = v_key
				AND s.kind = 'resp'
			GROUP BY s.fvalue;
			CONTINUE;
		END IF;
		RETURN QUERY
		WITH sel AS MATERIALIZED (
			SELECT r.participant_id FROM response r
			WHERE r.event_id = p_event AND v_nrest = 0
			UNION
			SELECT r.participant_id
			FROM jsonb_each_text(v_rest) f
			JOIN answer a ON a.item = f.key AND a.value = f.value
			JOIN response r ON r.id = a.response_id
				AND r.event_id = p_event
			WHERE v_nrest > 0
			GROUP BY r.participant_id
			HAVING count(DISTINCT f.key) = v_nrest
		)
		SELECT v_key, NULL::text, count(*) FROM sel
		UNION ALL
		SELECT v_key, a.value, count(DISTINCT r.participant_id)
		FROM sel JOIN response r ON r.participant_id = sel.participant_id
		JOIN answer a ON a.response_id = r.id AND a.item = v_key
		GROUP BY a.value;
	END LOOP;
END
$$;
