-- dashboard.sql: the comment tables of schema/008_dashboard_scale.sql
-- (free-text answers newest first per question, with their counts) and
-- what keeps them, in the transaction of every submission, update and
-- erasure, like the statistics of stats.sql:
--   * answer AFTER INSERT / AFTER DELETE (statement level): the non-blank,
--     non-personal free-text rows join comment, or leave it;
--   * comment AFTER INSERT / AFTER DELETE (statement level, including the
--     cascade of an erasure): comment_count moves by the rows' count,
--     split over the same 16 slots as stats_agg and under the same
--     (event, slot) advisory locks, taken in slot order before any counter
--     row, so that a submission and an update of the same slot queue on
--     the lock instead of deadlocking on counter rows.
-- enquete_comments_check() compares both with the raw rows.

-- The answer rows of one statement that are comments (written over the
-- transition table, whose size the planner knows: index lookups for a
-- submission's few rows, hash joins for a batch).
CREATE OR REPLACE FUNCTION comment_answer_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO comment
	SELECT r.id, r.event_id, r.participant_id, r.instrument, a.item,
		r.submitted_at, a.value
	FROM new_rows a JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE NOT m.personal AND m.type IN ('text', 'longtext', 'other')
		AND btrim(a.value) <> '';
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION comment_answer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM comment c USING old_rows a
	WHERE c.response_id = a.response_id AND c.item = a.item;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER comment_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_answer_ins();

CREATE OR REPLACE TRIGGER comment_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_answer_del();

-- Moves comment_count by the comments of one statement (p_sign 1 or -1),
-- and the participants' segments with it (stats_seg, kind 'comment',
-- instrument '', item = the free-text item).
CREATE OR REPLACE FUNCTION comment_count_move(p_sign int, p_event int[],
	p_participant bigint[], p_item text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_lock(k.event_id, k.slot)
	FROM (SELECT DISTINCT e AS event_id, (p % 16)::int AS slot
		FROM unnest(p_event, p_participant) AS u(e, p)) k
	ORDER BY k.event_id, k.slot;
	IF p_sign > 0 THEN
		INSERT INTO comment_count AS c (event_id, item, slot, n)
		SELECT e, i, (p % 16)::smallint, count(*)
		FROM unnest(p_event, p_participant, p_item) AS u(e, p, i)
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
		ON CONFLICT (event_id, item, slot)
		DO UPDATE SET n = c.n + EXCLUDED.n;
		INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind,
			instrument, item, value, rank, slot, n, s1, s2)
		SELECT u.e, m.fkey, m.fvalue, 'comment', '', u.i, '', 0,
			(u.p % 16)::smallint, count(*), 0, 0
		FROM unnest(p_event, p_participant, p_item) AS u(e, p, i)
		JOIN stats_member m ON m.participant_id = u.p
		GROUP BY 1, 2, 3, 6, 9 ORDER BY 1, 2, 3, 6, 9
		ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item,
			value, rank, slot)
		DO UPDATE SET n = s.n + EXCLUDED.n;
	ELSE
		-- an event being deleted has no counter rows left to move
		UPDATE comment_count c SET n = c.n - d.n
		FROM (SELECT e, i, (p % 16)::smallint AS slot, count(*) AS n
			FROM unnest(p_event, p_participant, p_item)
				AS u(e, p, i)
			GROUP BY 1, 2, 3) d
		WHERE c.event_id = d.e AND c.item = d.i AND c.slot = d.slot;
		-- a row of another slot may hold the count (a rebuild puts
		-- everything in slot 0): upsert, except for an event being
		-- deleted
		INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind,
			instrument, item, value, rank, slot, n, s1, s2)
		SELECT u.e, m.fkey, m.fvalue, 'comment', '', u.i, '', 0,
			(u.p % 16)::smallint, -count(*), 0, 0
		FROM unnest(p_event, p_participant, p_item) AS u(e, p, i)
		JOIN stats_member m ON m.participant_id = u.p
		WHERE EXISTS (SELECT 1 FROM event e WHERE e.id = u.e)
		GROUP BY 1, 2, 3, 6, 9 ORDER BY 1, 2, 3, 6, 9
		ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item,
			value, rank, slot)
		DO UPDATE SET n = s.n + EXCLUDED.n;
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION comment_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM comment_count_move(1, array_agg(event_id),
		array_agg(participant_id), array_agg(item))
	FROM new_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION comment_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM comment_count_move(-1, array_agg(event_id),
		array_agg(participant_id), array_agg(item))
	FROM old_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER comment_count_ins AFTER INSERT ON comment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_count_ins();

CREATE OR REPLACE TRIGGER comment_count_del AFTER DELETE ON comment
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_count_del();

-- Where comment and comment_count differ from the raw rows (no rows: they
-- agree): what = 'row' for a comment missing or extra (n = the difference
-- in copies), 'count' for a counter that is not the number of rows.
CREATE OR REPLACE FUNCTION enquete_comments_check(p_event int)
RETURNS TABLE (what text, response_id bigint, item text, expected bigint,
	actual bigint)
LANGUAGE sql STABLE AS $$
	WITH ref AS (
		SELECT * FROM comment_source WHERE event_id = p_event
	),
	refn AS (
		SELECT response_id, item, instrument, submitted_at, value,
			count(*) AS n
		FROM ref GROUP BY 1, 2, 3, 4, 5
	),
	cur AS (
		SELECT response_id, item, instrument, submitted_at, value,
			count(*) AS n
		FROM comment WHERE event_id = p_event GROUP BY 1, 2, 3, 4, 5
	),
	cnt AS (
		SELECT item, sum(n)::bigint AS n FROM comment_count
		WHERE event_id = p_event GROUP BY item HAVING sum(n) <> 0
	),
	refc AS (
		SELECT item, count(*) AS n FROM ref GROUP BY item
	)
	SELECT 'row', response_id, item, coalesce(x.n, 0), coalesce(y.n, 0)
	FROM refn x FULL JOIN cur y
		USING (response_id, item, instrument, submitted_at, value)
	WHERE x.n IS DISTINCT FROM y.n
	UNION ALL
	SELECT 'count', NULL, item, coalesce(x.n, 0), coalesce(y.n, 0)
	FROM refc x FULL JOIN cnt y USING (item)
	WHERE x.n IS DISTINCT FROM y.n
$$;

-- The dashboard's comments under profile filters: per free-text item of
-- p_items (a JSON array, in that order) with at least one comment of the
-- selected participants, the latest 1000 of them and their total.
--
-- One usable filter: the total from the segment's counters; the comments
-- from whichever side is shorter to read. Walking comment_latest_idx
-- newest first and keeping the segment's participants (stats_member's
-- key) reads about 1000 x all / segment entries; reading the segment's
-- participants' comments (by response) reads the segment's. The walk wins
-- when segment^2 >= 1000 x all, so neither reads more than
-- sqrt(1000 x all) rows: a large segment costs what the unfiltered
-- dashboard costs, a small one what it holds.
--
-- p_walk true or false forces one side (the tests compare both).
-- Otherwise from the selected participants' comments. No JIT and no
-- parallel workers: the row estimates of these LIMITed scans grow with
-- the event past jit_above_cost (compiling took 370 ms of a 555 ms call
-- at 100k) and past the parallel thresholds (starting workers cost more
-- than the 7,000 index entries they share).
CREATE OR REPLACE FUNCTION enquete_comments_filtered(p_event int, p_items jsonb,
	p_filter jsonb, p_walk boolean DEFAULT NULL)
RETURNS TABLE (instrument text, item text, value text, total bigint)
LANGUAGE plpgsql STABLE SET jit = off SET max_parallel_workers_per_gather = 0 AS $$
#variable_conflict use_column
DECLARE
	v_key text;
	v_value text;
	v_item text;
	v_seg bigint;
	v_all bigint;
BEGIN
	SELECT f.fkey, f.fvalue INTO v_key, v_value
		FROM stats_seg_filter(p_event, p_filter) f;
	IF v_key IS NOT NULL THEN
		FOR v_item IN SELECT i.k
			FROM jsonb_array_elements_text(p_items)
				WITH ORDINALITY AS i(k, ord) ORDER BY i.ord
		LOOP
			SELECT coalesce(sum(s.n), 0) INTO v_seg FROM stats_seg s
			WHERE s.event_id = p_event AND s.fkey = v_key
				AND s.fvalue = v_value AND s.kind = 'comment'
				AND s.instrument = '' AND s.item = v_item
				AND s.value = '' AND s.rank = 0;
			CONTINUE WHEN v_seg <= 0;
			SELECT coalesce(sum(c.n), 0) INTO v_all FROM comment_count c
			WHERE c.event_id = p_event AND c.item = v_item;
			IF coalesce(p_walk, v_seg * v_seg >= 1000 * v_all) THEN
				RETURN QUERY
				SELECT c.instrument, v_item, c.value, v_seg
				FROM (SELECT m.instrument, m.value, m.submitted_at,
						m.response_id
					FROM comment m
					WHERE m.event_id = p_event AND m.item = v_item
						AND EXISTS (SELECT 1 FROM stats_member sm
						WHERE sm.participant_id = m.participant_id
							AND sm.fkey = v_key
							AND sm.fvalue = v_value)
					ORDER BY m.submitted_at DESC,
						m.response_id DESC
					LIMIT 1000) c
				ORDER BY c.instrument DESC, c.submitted_at,
					c.response_id;
			ELSE
				RETURN QUERY
				SELECT c.instrument, v_item, c.value, v_seg
				FROM (SELECT m.instrument, m.value, m.submitted_at,
						m.response_id
					FROM stats_member sm
					JOIN response r
						ON r.participant_id = sm.participant_id
					JOIN comment m ON m.response_id = r.id
						AND m.item = v_item
					WHERE sm.event_id = p_event
						AND sm.fkey = v_key
						AND sm.fvalue = v_value
					ORDER BY m.submitted_at DESC,
						m.response_id DESC
					LIMIT 1000) c
				ORDER BY c.instrument DESC, c.submitted_at,
					c.response_id;
			END IF;
		END LOOP;
		RETURN;
	END IF;
	RETURN QUERY
	WITH f AS (SELECT key, value FROM jsonb_each_text(p_filter)),
	sel AS MATERIALIZED (
		SELECT r.participant_id FROM f
		JOIN answer a ON a.item = f.key AND a.value = f.value
		JOIN response r ON r.id = a.response_id
			AND r.event_id = p_event
		GROUP BY r.participant_id
		HAVING count(DISTINCT f.key) = (SELECT count(*) FROM f)
	),
	m AS MATERIALIZED (
		SELECT m.* FROM comment m
		JOIN sel ON sel.participant_id = m.participant_id
		WHERE m.event_id = p_event
	),
	t AS (SELECT m.item, count(*) AS total FROM m GROUP BY m.item)
	SELECT c.instrument, i.k, c.value, t.total
	FROM jsonb_array_elements_text(p_items) WITH ORDINALITY AS i(k, ord)
	JOIN t ON t.item = i.k
	CROSS JOIN LATERAL (
		SELECT m.instrument, m.value, m.submitted_at, m.response_id
		FROM m WHERE m.item = i.k
		ORDER BY m.submitted_at DESC, m.response_id DESC LIMIT 1000) c
	ORDER BY i.ord, c.instrument DESC, c.submitted_at, c.response_id;
END
$$;
