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

-- The new tuples of the responses p_resp (ids; each with whether its
-- participant has both and its post response), from the raw rows: what
-- enquete_stats_recompute and stats_participant_tuples add. Grouped by
-- participant. PL/pgSQL so that its plan is kept per connection: called
-- for every participant whose segments change (planning the SQL version
-- each time cost 3 ms a call).
CREATE OR REPLACE FUNCTION stats_x_tuples(p_resp bigint[])
RETURNS TABLE (participant_id bigint, event_id int, kind text,
	instrument text, item text, value text, rank int, n bigint,
	s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH resp AS MATERIALIZED (
		SELECT r.id, r.participant_id, r.event_id, r.instrument,
			r.definition_id,
			count(*) FILTER (WHERE r.instrument IN ('pre', 'post'))
				OVER w = 2 AS paired,
			max(r.id) FILTER (WHERE r.instrument = 'post')
				OVER w AS post_id,
			max(r.definition_id)
				FILTER (WHERE r.instrument = 'post')
				OVER w AS post_def,
			max(r.id) FILTER (WHERE r.instrument = 'followup')
				OVER w AS fu_id,
			max(r.definition_id)
				FILTER (WHERE r.instrument = 'followup')
				OVER w AS fu_def,
			bool_or(r.instrument = 'pre') OVER w AS has_pre,
			bool_or(r.instrument = 'post') OVER w AS has_post
		FROM response r WHERE r.id = ANY (p_resp)
		WINDOW w AS (PARTITION BY r.participant_id)
	),
	sc AS (
		SELECT r.id, r.participant_id, r.event_id, r.instrument,
			r.paired, count(m.item) AS score
		FROM resp r
		LEFT JOIN answer a ON a.response_id = r.id
		LEFT JOIN stats_item m ON m.definition_id = r.definition_id
			AND m.instrument = r.instrument AND m.item = a.item
			AND m.role = 'quiz' AND NOT m.personal
			AND a.value = m.correct
		WHERE r.paired
		GROUP BY 1, 2, 3, 4, 5
	)
	SELECT r.participant_id, r.event_id, 'prer'::text, ''::text, x.item,
		''::text, (y.num - x.num)::int, count(*), sum(x.num), sum(y.num)
	FROM resp r
	JOIN answer x ON x.response_id = r.id
	JOIN stats_item xm ON xm.definition_id = r.definition_id
		AND xm.instrument = 'pre' AND xm.item = x.item
	JOIN answer y ON y.response_id = r.post_id
		AND y.item = x.item || '.retro'
	JOIN stats_item ym ON ym.definition_id = r.post_def
		AND ym.instrument = 'post' AND ym.item = y.item
	WHERE r.instrument = 'pre' AND r.paired AND xm.role = 'knowledge'
		AND NOT xm.personal AND ym.role = 'retro' AND NOT ym.personal
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT p.participant_id, p.event_id, 'quizd', '', '', '',
		(sum(p.score) FILTER (WHERE p.instrument = 'post')
			- sum(p.score) FILTER (WHERE p.instrument = 'pre'))::int,
		1::bigint, 0::float8, 0::float8
	FROM sc p GROUP BY 1, 2
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
	SELECT r.participant_id, r.event_id,
		CASE r.instrument WHEN 'pre' THEN 'fpre' ELSE 'fpost' END,
		'', x.item, '', (y.num - x.num)::int, count(*), sum(x.num),
		sum(y.num)
	FROM resp r
	JOIN answer x ON x.response_id = r.id
	JOIN stats_item xm ON xm.definition_id = r.definition_id
		AND xm.instrument = r.instrument AND xm.item = x.item
	JOIN answer y ON y.response_id = r.fu_id AND y.item = x.item
	JOIN stats_item ym ON ym.definition_id = r.fu_def
		AND ym.instrument = 'followup' AND ym.item = y.item
	WHERE r.instrument IN ('pre', 'post') AND r.fu_id IS NOT NULL
		AND xm.role = 'knowledge' AND NOT xm.personal
		AND ym.role = 'knowledge' AND NOT ym.personal
		AND x.num IS NOT NULL AND y.num IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
END
$$;
