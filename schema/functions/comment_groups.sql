-- comment_groups.sql: the report's grouped comments (tables and design:
-- schema/025_comment_groups.sql). A group is one text in one language for
-- one question of an event; its count is the number of comment rows
-- (schema/008) with that text among the event's responses in that
-- language. The folder keeps the groups (comment_group_fold, called by
-- stats_fold_apply in the batch's transaction); the report reads the
-- capped list (enquete_comment_groups); enquete_comments_check compares
-- them with the raw rows (dashboard.sql).

-- A comment's key: its text's SHA-256 (a text up to the longest answer's
-- limit does not fit in a btree entry; two texts with one digest are not
-- expected in this universe). STABLE as convert_to is: so declared, the
-- planner inlines it; declared IMMUTABLE it was run as a function of its
-- own per comment, 15 ms of a folder's batch of 500 participants.
CREATE OR REPLACE FUNCTION comment_group_vkey(p_value text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS
	'SELECT sha256(convert_to(p_value, ''UTF8''))';

-- The comments of the given participants now: their responses, then each
-- response's comment rows, by index (LATERAL ... OFFSET 0: the folder's
-- plans live as long as its session).
CREATE OR REPLACE FUNCTION comment_group_cur(p_participants bigint[])
RETURNS SETOF comment_group_cur_row
LANGUAGE sql STABLE AS $$
	SELECT r.participant_id, c.event_id, c.item, r.lang,
		comment_group_vkey(c.value), c.value
	FROM unnest(p_participants) AS u(id)
	CROSS JOIN LATERAL (SELECT r.id, r.participant_id, r.lang
		FROM response r WHERE r.participant_id = u.id OFFSET 0) r
	CROSS JOIN LATERAL (SELECT c.event_id, c.item, c.value
		FROM comment c WHERE c.response_id = r.id OFFSET 0) c
$$;

-- What the folded groups lack for the participants p_participants, whose
-- comments now are p_cur (comment_group_cur): per group, their comments
-- now minus their comments as folded (comment_group_contrib). Groups whose
-- count does not change are left out.
CREATE OR REPLACE FUNCTION comment_group_delta(p_participants bigint[],
	p_cur comment_group_cur_row[])
RETURNS SETOF comment_group_delta_row
LANGUAGE sql STABLE AS $$
	WITH x AS (
		SELECT c.event_id, c.item, c.lang, c.vkey, c.value, 1 AS s
		FROM unnest(p_cur) c
		UNION ALL
		SELECT g.event_id, k.item, k.lang, k.vkey, NULL, -1
		FROM unnest(p_participants) AS u(id)
		CROSS JOIN LATERAL (SELECT g.event_id, g.keys
			FROM comment_group_contrib g
			WHERE g.participant_id = u.id OFFSET 0) g
		CROSS JOIN LATERAL unnest(g.keys) k
	)
	SELECT x.event_id, x.item, x.lang, x.vkey, max(x.value), sum(x.s)
	FROM x
	GROUP BY x.event_id, x.item, x.lang, x.vkey
	HAVING sum(x.s) <> 0
$$;

-- Folds the comments of the participants p_ps of event p_event into the
-- groups and records them as folded. The caller holds the event's fold
-- lock (stats_fold_apply, enquete_stats_rebuild).
CREATE OR REPLACE FUNCTION comment_group_fold(p_event int, p_ps bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_cur comment_group_cur_row[];
	v_d comment_group_delta_row[];
BEGIN
	v_cur := ARRAY(SELECT c FROM comment_group_cur(p_ps) c);
	v_d := ARRAY(SELECT d FROM comment_group_delta(p_ps, v_cur) d);
	IF cardinality(v_d) > 0 THEN
		-- groups that gain (a new one has its text from a comment now)
		INSERT INTO comment_group_folded AS g (event_id, item, lang,
			vkey, head, value, n)
		SELECT p_event, d.item, d.lang, d.vkey, left(d.value, 64),
			d.value, d.dn
		FROM unnest(v_d) d WHERE d.dn > 0
		ON CONFLICT (event_id, item, lang, vkey)
		DO UPDATE SET n = g.n + EXCLUDED.n;
		-- groups that lose: folded before, so they exist; gone at 0
		-- (deleted first: the update's new count must not be tested)
		DELETE FROM comment_group_folded g
		USING unnest(v_d) d
		WHERE d.dn < 0 AND g.event_id = p_event AND g.item = d.item
			AND g.lang = d.lang AND g.vkey = d.vkey
			AND g.n + d.dn <= 0;
		UPDATE comment_group_folded g SET n = g.n + d.dn
		FROM unnest(v_d) d
		WHERE d.dn < 0 AND g.event_id = p_event AND g.item = d.item
			AND g.lang = d.lang AND g.vkey = d.vkey;
	END IF;
	DELETE FROM comment_group_contrib g WHERE g.participant_id = ANY (p_ps);
	INSERT INTO comment_group_contrib (participant_id, event_id, keys)
	SELECT c.participant_id, p_event,
		array_agg(ROW(c.item, c.lang, c.vkey)::comment_gkey)
	FROM unnest(v_cur) c
	GROUP BY c.participant_id;
END
$$;

-- What the folded groups of event p_event lack in this snapshot: the
-- difference of its participants still pending (the readers' part of
-- comment_group_delta, as the stats_agg view's of stats_fold_delta).
CREATE OR REPLACE FUNCTION comment_group_pending(p_event int)
RETURNS SETOF comment_group_delta_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_ps bigint[];
BEGIN
	v_ps := ARRAY(SELECT DISTINCT c.participant_id FROM stats_change c
		WHERE c.event_id = p_event);
	RETURN QUERY
	SELECT d.* FROM comment_group_delta(v_ps, ARRAY(
		SELECT c FROM comment_group_cur(v_ps) c)) d
	WHERE d.event_id = p_event;
END
$$;

-- The groups of an event, folded plus the difference of the participants
-- still pending in this snapshot: every group with its exact count (the
-- check's reading; the report reads enquete_comment_groups).
CREATE OR REPLACE FUNCTION comment_group_all(p_event int)
RETURNS TABLE (item text, lang text, vkey bytea, value text, n bigint)
LANGUAGE sql STABLE AS $$
	SELECT x.item, x.lang, x.vkey, max(x.value), sum(x.n)::bigint
	FROM (
		SELECT f.item, f.lang, f.vkey, f.value, f.n
		FROM comment_group_folded f WHERE f.event_id = p_event
		UNION ALL
		SELECT d.item, d.lang, d.vkey, d.value, d.dn
		FROM comment_group_pending(p_event) d
	) x
	GROUP BY x.item, x.lang, x.vkey
	HAVING sum(x.n) <> 0
$$;

-- The report's comments: for each question of p_items (a JSON array of
-- keys, in the report's order), its groups, the most frequent first (then
-- by their text's first 64 characters, language and key), at most p_cap,
-- each with the question's total number of comments. Exact as of the
-- snapshot: the folded groups plus the pending participants' difference.
-- A range of comment_group_top_idx per question, whatever the event's
-- size: the groups the difference touches are read by their key, and the
-- others' order is the folded one, so the first p_cap + (touched groups)
-- of the index hold every group of the answer. Sorting is off: on a
-- table the planner thought small (one row a question) it took the
-- primary key and sorted every group of the question, a plan a worker
-- keeps for its session whatever the table becomes (the small sorts of
-- the answer still run, at a cost the planner then counts as high).
CREATE OR REPLACE FUNCTION enquete_comment_groups(p_event int,
	p_items jsonb, p_cap int)
RETURNS TABLE (item text, value text, lang text, n bigint, total bigint)
LANGUAGE plpgsql STABLE SET enable_sort = off AS $$
#variable_conflict use_column
DECLARE
	v_d comment_group_delta_row[];
BEGIN
	IF p_cap IS NULL OR p_cap < 1 OR p_cap > 100000 THEN
		RAISE EXCEPTION 'enquete_comment_groups: cap % out of 1..100000',
			p_cap;
	END IF;
	v_d := ARRAY(SELECT d FROM comment_group_pending(p_event) d);
	RETURN QUERY
	WITH d AS (SELECT * FROM unnest(v_d)),
	k AS (SELECT e.k, e.ord FROM jsonb_array_elements_text(p_items)
		WITH ORDINALITY AS e(k, ord))
	SELECT k.k, g.value, g.lang, g.n, t.total
	FROM k
	CROSS JOIN LATERAL (SELECT coalesce(sum(c.n), 0)::bigint AS total
		FROM comment_count c
		WHERE c.event_id = p_event AND c.item = k.k) t
	CROSS JOIN LATERAL (
		SELECT y.value, y.lang, y.head, y.vkey, y.n FROM (
			SELECT f.value, f.lang, f.head, f.vkey,
				f.n + coalesce(d.dn, 0) AS n
			FROM (
				(SELECT f.* FROM comment_group_folded f
				WHERE f.event_id = p_event AND f.item = k.k
				ORDER BY f.n DESC, f.head, f.lang, f.vkey
				LIMIT p_cap + (SELECT count(*) FROM d
					WHERE d.item = k.k))
				UNION
				SELECT f.* FROM d
				CROSS JOIN LATERAL (SELECT f.*
					FROM comment_group_folded f
					WHERE f.event_id = p_event
					AND f.item = d.item AND f.lang = d.lang
					AND f.vkey = d.vkey OFFSET 0) f
				WHERE d.item = k.k
			) f
			LEFT JOIN d ON d.item = f.item AND d.lang = f.lang
				AND d.vkey = f.vkey
			UNION ALL
			-- groups that are new in the difference
			SELECT d.value, d.lang, left(d.value, 64), d.vkey, d.dn
			FROM d
			WHERE d.item = k.k AND d.dn > 0 AND NOT EXISTS (
				SELECT 1 FROM comment_group_folded f
				WHERE f.event_id = p_event AND f.item = d.item
				AND f.lang = d.lang AND f.vkey = d.vkey)
		) y
		WHERE y.n > 0
		ORDER BY y.n DESC, y.head, y.lang, y.vkey
		LIMIT p_cap) g
	ORDER BY k.ord, g.n DESC, g.head, g.lang, g.vkey;
END
$$;
