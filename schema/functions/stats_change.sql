-- stats_change.sql: the prer and quizd tuple kinds (DESIGN.md "Statistics
-- for small groups"), kept in stats_agg and stats_seg like the others:
--   prer    knowledge item with a .retro rating, rank = retro - pre (the
--           pre rating from the pre response, the retro one from the
--           post): n pairs, s1 = sum(pre), s2 = sum(retro); the response
--           shift test (retro[].pre_vs_retro)
--   quizd   rank = post score - pre score of a paired participant (scores
--           as in quizsum: correct quiz answers of a response): n
--           participants, s1 = s2 = 0; the quiz total's Wilcoxon test and
--           interval (quiz.total)
--   fpre    knowledge item asked again in the follow-up (issue 24), rank
--           = followup - pre: n pairs, s1 = sum(pre), s2 = sum(followup)
--   fpost   the same against post (retention)
--   resp    instruments fpaired_pre, fpaired_post: participants with a
--           follow-up and a pre (a post) response; fonly: a follow-up
--           and neither
-- "paired" (resp 'paired', pair, quiz...) still means pre and post,
-- whatever follow-up response a participant adds.
--
-- Since 016 (issue 27) they are folded with the others by fold.sql, from
-- stats_participant_tuples (segments.sql), which includes them.
-- enquete_stats_recompute (recompute.sql) gives the same tuples from the
-- raw rows, so enquete_stats_check and enquete_seg_check cover them.

-- The quiz score difference (post - pre) of a participant with both
-- responses, from the current rows; NULL when not paired. PL/pgSQL, as
-- the folder's functions, so that the plan is kept per connection (a SQL function
-- called from a query is planned at each call).
CREATE OR REPLACE FUNCTION stats_quizd_rank(p_participant bigint) RETURNS int
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_rank int;
BEGIN
	-- each response's rows by response (OFFSET 0: read by
	-- answer_response_idx, never by an (item, value) index over the
	-- whole event), then their metadata by key
	SELECT CASE WHEN count(*) = 2 THEN sum(CASE
			WHEN x.instrument = 'post' THEN x.ok ELSE -x.ok END)::int
		END INTO v_rank
	FROM (SELECT r.instrument, (
			SELECT count(*) FROM (
				SELECT a.item, a.value FROM answer a
				WHERE a.response_id = r.id OFFSET 0) a
			JOIN stats_item m ON m.definition_id = r.definition_id
				AND m.instrument = r.instrument
				AND m.item = a.item
			WHERE m.role = 'quiz' AND NOT m.personal
				AND a.value = m.correct) AS ok
		FROM response r WHERE r.participant_id = p_participant
			AND r.instrument IN ('pre', 'post')) x;
	RETURN v_rank;
END
$$;

-- The new tuples of the responses p_resp (ids), from the raw rows: what
-- enquete_stats_recompute and stats_participant_tuples add. Grouped by
-- participant. The answer rows that some kind reads are fetched once (by
-- answer_response_idx, their metadata by stats_item's key) into a
-- materialized set and paired within it by participant and item, by hash:
-- joining each pre row to the post response's rows through the index
-- took 5,000 index scans per 500 participants, 1.2 s of a fold batch
-- whenever the planner misjudged the pre rows (issue 27). PL/pgSQL so
-- that its plan is kept per connection.
CREATE OR REPLACE FUNCTION stats_x_tuples(p_resp bigint[])
RETURNS TABLE (participant_id bigint, event_id int, kind text,
	instrument text, item text, value text, rank int, n bigint,
	s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE
-- lookups by index are LATERAL subqueries, the other joins by hash (as
-- stats_participant_tuples_base, segments.sql), no JIT
SET enable_nestloop = off SET jit = off AS $$
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
	meta AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item, m.role, m.correct
		FROM (SELECT DISTINCT r.definition_id, r.instrument FROM resp r) d
		CROSS JOIN LATERAL (SELECT m.* FROM stats_item m
			WHERE m.definition_id = d.definition_id
			AND m.instrument = d.instrument OFFSET 0) m
		WHERE NOT m.personal
			AND m.role IN ('knowledge', 'retro', 'quiz')
	),
	-- the rows the kinds below read: knowledge, retro and quiz answers
	-- of paired or followed-up participants (OFFSET 0: each response's
	-- rows by answer_response_idx, never by an (item, value) index over
	-- the whole event)
	ra AS MATERIALIZED (
		SELECT r.participant_id, r.event_id, r.instrument, r.paired,
			r.definition_id, x.item, x.value, x.num
		FROM resp r
		CROSS JOIN LATERAL (SELECT y.item, y.value, y.num FROM answer y
			WHERE y.response_id = r.id OFFSET 0) x
		WHERE r.paired OR r.has_fu
	),
	a AS MATERIALIZED (
		SELECT x.participant_id, x.event_id, x.instrument, x.paired,
			x.item, x.value, x.num, m.role, m.correct
		FROM ra x
		JOIN meta m ON m.definition_id = x.definition_id
			AND m.instrument = x.instrument AND m.item = x.item
	)
	-- prer: a pre rating beside its .retro rating in the post response
	SELECT x.participant_id, x.event_id, 'prer'::text, ''::text, x.item,
		''::text, (y.num - x.num)::int, count(*), sum(x.num), sum(y.num)
	FROM a x
	JOIN a y ON y.participant_id = x.participant_id
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
	LEFT JOIN a ON a.participant_id = p.participant_id
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
	FROM a x
	JOIN a y ON y.participant_id = x.participant_id
		AND y.instrument = 'followup' AND y.role = 'knowledge'
		AND y.item = x.item
	WHERE x.instrument IN ('pre', 'post') AND x.role = 'knowledge'
		AND x.num IS NOT NULL AND y.num IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
END
$$;
