-- recompute.sql: the reference recomputation of the statistics from the
-- raw rows (also used for filtered summaries that the segments cannot
-- answer), the check that the maintained tuples agree with it, and the
-- rebuild of an event's stats_agg from it.
--
-- enquete_stats_recompute = stats_recompute_base (the tuples of stats.sql)
-- + stats_x_tuples (the prer and quizd kinds, stats_change.sql).
--
-- How stats_recompute_base plans (schema/007 rewrote it so):
-- Now:
--   * the function counts the filter's keys first and plans the one query
--     that applies (EXECUTE: planned for this call's event and filter):
--     all the event's responses (response_event_idx), or the responses of
--     the participants who gave every filter answer, found once with a
--     GROUP BY/HAVING over answer (answer_item_value_idx);
--   * those responses are materialised once, each with whether its
--     participant has both (a window over the participant), and the post
--     response of that pair;
--   * the answer rows are read once by response (answer_response_idx);
--   * every join between recomputed rows goes back to the indexed tables
--     instead: a pre knowledge/quiz row meets its post row through the
--     post response's id (answer_response_idx) and its metadata (the
--     stats_item key), a knowledge row its .retro row through its own
--     response id; the quiz score sums need no join (a row counts when its
--     participant is paired). A nested loop is then linear whatever the
--     estimates, and a hash join is as good.
-- Rows whose join would have been a product in 004 (several rows for one
-- item) still give the same product.

-- The tuples of stats.sql recomputed from the raw rows of the event's
-- responses, or of the participants who gave every answer of p_filter
-- (planned as described in the header).
CREATE OR REPLACE FUNCTION stats_recompute_base(p_event int,
	p_filter jsonb DEFAULT '{}')
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
	v_keys int;
	v_resp text;
BEGIN
	-- raises for a non-object filter, as 004 did
	SELECT count(*) INTO v_keys
		FROM jsonb_each_text(coalesce(p_filter, '{}'));
	IF v_keys = 0 THEN
		v_resp := $q$
		SELECT r.id, r.participant_id, r.instrument, r.definition_id
		FROM response r WHERE r.event_id = $1
		$q$;
	ELSE
		-- the participants who gave every filter answer (in either
		-- instrument), then all their responses
		v_resp := $q$
		SELECT r.id, r.participant_id, r.instrument, r.definition_id
		FROM (
			SELECT r.participant_id
			FROM jsonb_each_text($2) f
			JOIN answer a ON a.item = f.key AND a.value = f.value
			JOIN response r ON r.id = a.response_id
				AND r.event_id = $1
			GROUP BY r.participant_id
			HAVING count(DISTINCT f.key) = $3
		) sel
		JOIN response r ON r.participant_id = sel.participant_id
		$q$;
	END IF;

	RETURN QUERY EXECUTE $q$
	WITH r0 AS MATERIALIZED ($q$ || v_resp || $q$),
	resp AS MATERIALIZED (
		SELECT r0.*,
			count(*) FILTER (WHERE r0.instrument IN ('pre',
				'post')) OVER w = 2 AS paired,
			max(r0.id) FILTER (WHERE r0.instrument = 'post')
				OVER w AS post_id,
			max(r0.definition_id)
				FILTER (WHERE r0.instrument = 'post')
				OVER w AS post_def
		FROM r0
		WINDOW w AS (PARTITION BY r0.participant_id)
	),
	-- the answer rows by response first, then their metadata (joined
	-- the other way round, the guessed size of resp x stats_item made
	-- one index scan of a response's rows per item)
	ra AS MATERIALIZED (
		SELECT x.response_id, x.item, x.value, x.num, x.rank,
			r.instrument, r.definition_id, r.paired, r.post_id,
			r.post_def
		FROM resp r JOIN answer x ON x.response_id = r.id
	),
	a AS MATERIALIZED (
		SELECT x.*, m.role, m.correct
		FROM ra x
		JOIN stats_item m ON m.definition_id = x.definition_id
			AND m.instrument = x.instrument AND m.item = x.item
		WHERE NOT m.personal
			AND m.type NOT IN ('text', 'longtext', 'other')
	),
	-- a pre knowledge or quiz row with each row of the same item in
	-- the participant's post response
	k AS (
		SELECT x.item, x.role, x.num AS pre, y.num AS post,
			x.value = x.correct AS pre_ok,
			y.value = ym.correct AS post_ok
		FROM a x
		JOIN answer y ON y.response_id = x.post_id AND y.item = x.item
		JOIN stats_item ym ON ym.definition_id = x.post_def
			AND ym.instrument = 'post' AND ym.item = y.item
		WHERE x.instrument = 'pre' AND x.paired
			AND x.role IN ('knowledge', 'quiz')
			AND NOT ym.personal
			AND ym.type NOT IN ('text', 'longtext', 'other')
	)
	SELECT 'resp'::text, r.instrument, ''::text, ''::text, 0, count(*),
		0::float8, 0::float8
	FROM resp r GROUP BY r.instrument
	UNION ALL
	SELECT 'resp', 'paired', '', '', 0, count(*), 0, 0
	FROM resp r WHERE r.paired AND r.instrument = 'pre'
	HAVING count(*) > 0
	UNION ALL
	SELECT 'value', a.instrument, a.item, a.value,
		coalesce(a.rank, 0)::int, count(*), coalesce(sum(a.num), 0),
		coalesce(sum(a.num * a.num), 0)
	FROM a GROUP BY 1, 2, 3, 4, 5
	UNION ALL
	SELECT 'itemn', a.instrument, a.item, '', 0,
		count(DISTINCT a.response_id), 0, 0
	FROM a GROUP BY 1, 2, 3, 4, 5
	UNION ALL
	SELECT 'pair', '', k.item, '', (k.post - k.pre)::int, count(*),
		sum(k.pre), sum(k.post)
	FROM k WHERE k.role = 'knowledge' GROUP BY 1, 2, 3, 4, 5
	UNION ALL
	SELECT 'quiz', '', k.item, '', 2 * k.pre_ok::int + k.post_ok::int,
		count(*), sum(k.pre_ok::int), sum(k.post_ok::int)
	FROM k WHERE k.role = 'quiz' GROUP BY 1, 2, 3, 4, 5
	UNION ALL
	-- a knowledge row with each .retro row of the same response
	SELECT 'retro', '', x.item, '', (x.num - y.num)::int, count(*),
		sum(y.num), sum(x.num)
	FROM a x
	JOIN answer y ON y.response_id = x.response_id
		AND y.item = x.item || '.retro'
	JOIN stats_item ym ON ym.definition_id = x.definition_id
		AND ym.instrument = x.instrument AND ym.item = y.item
	WHERE x.role = 'knowledge' AND NOT ym.personal
		AND ym.type NOT IN ('text', 'longtext', 'other')
	GROUP BY 1, 2, 3, 4, 5
	UNION ALL
	-- paired participants; the sums of their scores are their correct
	-- quiz rows
	SELECT 'quizsum', '', '', '', 0,
		(SELECT count(*) FROM resp r
			WHERE r.paired AND r.instrument = 'pre'),
		count(*) FILTER (WHERE a.instrument = 'pre'),
		count(*) FILTER (WHERE a.instrument = 'post')
	FROM a WHERE a.paired AND a.role = 'quiz' AND a.value = a.correct
	HAVING (SELECT count(*) FROM resp r
			WHERE r.paired AND r.instrument = 'pre') > 0
	$q$ USING p_event, p_filter, v_keys;
END
$fn$;

-- Where the incremental aggregates and the recomputation differ (no rows:
-- they agree). Sums compare to 1e-9 relative (non-integer numbers).
CREATE OR REPLACE FUNCTION enquete_stats_check(p_event int)
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, inc_n bigint, ref_n bigint, inc_s1 double precision,
	ref_s1 double precision, inc_s2 double precision,
	ref_s2 double precision)
LANGUAGE sql STABLE AS $$
	SELECT kind, instrument, item, value, rank, i.n, r.n, i.s1, r.s1,
		i.s2, r.s2
	FROM enquete_stats(p_event) i
	FULL JOIN enquete_stats_recompute(p_event) r
		USING (kind, instrument, item, value, rank)
	WHERE i.n IS DISTINCT FROM r.n
		OR NOT abs(i.s1 - r.s1) <= 1e-9 * greatest(1, abs(r.s1))
		OR NOT abs(i.s2 - r.s2) <= 1e-9 * greatest(1, abs(r.s2))
$$;

-- ---- repairs --------------------------------------------------------------
-- Rebuilds an event's folded state from the raw rows (its participants
-- folded from nothing, by chunks), under its fold lock (waiting for a
-- running batch). The changes taken first are in it; one that commits
-- meanwhile stays pending and folds as a no-op.
CREATE OR REPLACE FUNCTION enquete_stats_rebuild(p_event int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_ps bigint[];
	v_last bigint := 0;
BEGIN
	PERFORM pg_advisory_xact_lock(p_event, stats_fold_key());
	DELETE FROM stats_change WHERE event_id = p_event;
	PERFORM stats_folded_delete(p_event);
	LOOP
		v_ps := ARRAY(SELECT p.id FROM participant p
			WHERE p.event_id = p_event AND p.id > v_last
			ORDER BY p.id LIMIT 5000);
		EXIT WHEN cardinality(v_ps) = 0;
		PERFORM stats_fold_apply(p_event, v_ps);
		v_last := v_ps[cardinality(v_ps)];
	END LOOP;
	INSERT INTO stats_fold AS f (event_id, folded, batches, folded_at)
		VALUES (p_event, 0, 0, now())
		ON CONFLICT (event_id) DO UPDATE SET folded_at = now();
END
$$;


CREATE OR REPLACE FUNCTION enquete_stats_recompute(p_event int,
	p_filter jsonb DEFAULT '{}')
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
	v_keys int;
	v_resp bigint[];
BEGIN
	RETURN QUERY SELECT * FROM stats_recompute_base(p_event, p_filter);
	SELECT count(*) INTO v_keys
		FROM jsonb_each_text(coalesce(p_filter, '{}'));
	IF v_keys = 0 THEN
		v_resp := ARRAY(SELECT r.id FROM response r
			WHERE r.event_id = p_event);
	ELSE
		-- the participants who gave every filter answer (in either
		-- instrument), then all their responses (as 007)
		v_resp := ARRAY(
			SELECT r.id FROM (
				SELECT r.participant_id
				FROM jsonb_each_text(p_filter) f
				JOIN answer a ON a.item = f.key
					AND a.value = f.value
				JOIN response r ON r.id = a.response_id
					AND r.event_id = p_event
				GROUP BY r.participant_id
				HAVING count(DISTINCT f.key) = v_keys
			) sel
			JOIN response r ON r.participant_id = sel.participant_id);
	END IF;
	RETURN QUERY
	SELECT t.kind, t.instrument, t.item, t.value, t.rank,
		sum(t.n)::bigint, sum(t.s1), sum(t.s2)
	FROM stats_x_tuples(v_resp) t
	GROUP BY 1, 2, 3, 4, 5 HAVING sum(t.n) <> 0;
END
$fn$;
