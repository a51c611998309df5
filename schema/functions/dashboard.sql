-- dashboard.sql: the comment tables of schema/008_dashboard_scale.sql
-- (free-text answers newest first per question, with their counts):
--   * answer AFTER INSERT / AFTER DELETE (statement level): the non-blank,
--     non-personal free-text rows join comment, or leave it, in the
--     submission's transaction (the submission's own rows);
--   * comment_count (a view since 016, issue 27): the folded counts plus
--     the pending participants' difference, folded by fold.sql.
-- enquete_comments_check() compares both with the raw rows.

-- ---- a submission's own derived rows ----------------------------------------
-- 008's comment rows, the same rows with fewer lookups: the statement's
-- responses once each and their definitions' free-text items in one range
-- of stats_item, joined in memory (the row-by-row join made one response
-- and one stats_item probe per answer row: 45 index scans on response for
-- one submission of the bundled event).
CREATE OR REPLACE FUNCTION comment_answer_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO comment
	-- every lookup by its index (LATERAL ... OFFSET 0): a trigger's plan
	-- is kept for the session, and one made while a table was small (a
	-- new database) read the whole table at every submission once it had
	-- grown (issue 27)
	WITH r AS MATERIALIZED (
		SELECT r.id, r.event_id, r.participant_id, r.instrument,
			r.definition_id, r.submitted_at
		FROM (SELECT DISTINCT response_id FROM new_rows) n
		CROSS JOIN LATERAL (SELECT r.* FROM response r
			WHERE r.id = n.response_id OFFSET 0) r
	),
	-- the free-text items of the responses' definitions, by
	-- stats_item's key (LATERAL: the planner, counting 34 responses in
	-- the transition table, read the whole of stats_item instead, a cost
	-- that grew with every definition stored: 1.1 ms a submission at
	-- 9,600 rows, half the submission's time; issue 27)
	m AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item
		FROM (SELECT DISTINCT definition_id, instrument FROM r) d
		CROSS JOIN LATERAL (SELECT m.* FROM stats_item m
			WHERE m.definition_id = d.definition_id
			AND m.instrument = d.instrument OFFSET 0) m
		WHERE NOT m.personal AND m.type IN ('text', 'longtext', 'other')
	)
	SELECT r.id, r.event_id, r.participant_id, r.instrument, a.item,
		r.submitted_at, a.value
	FROM new_rows a JOIN r ON r.id = a.response_id
	JOIN m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE btrim(a.value) <> '';
	RETURN NULL;
END
$$;


CREATE OR REPLACE FUNCTION comment_answer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- the rows by comment_response_idx, whatever the plan kept
	DELETE FROM comment c WHERE c.ctid = ANY (ARRAY(
		SELECT x.ctid
		FROM (SELECT DISTINCT response_id, item FROM old_rows) a
		CROSS JOIN LATERAL (SELECT k.ctid FROM comment k
			WHERE k.response_id = a.response_id AND k.item = a.item
			OFFSET 0) x));
	RETURN NULL;
END
$$;

-- (enquete_submit writes its comment rows itself: submit_rows)
CREATE OR REPLACE TRIGGER comment_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('enquete.submit_rows', true) IS DISTINCT FROM 'own')
	EXECUTE FUNCTION comment_answer_ins();

CREATE OR REPLACE TRIGGER comment_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_answer_del();

-- Where comment, comment_count and the report's comment groups
-- (comment_groups.sql) differ from the raw rows (no rows: they agree):
-- what = 'row' for a comment missing or extra (n = the difference in
-- copies), 'count' for a counter that is not the number of rows, 'group'
-- for a group (item, language, text) whose count is not the number of its
-- rows, 'key' for a folded group whose key or head is not its text's.
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
	),
	refg AS (
		SELECT f.item, r.lang, f.value, count(*) AS n
		FROM ref f JOIN response r ON r.id = f.response_id
		GROUP BY 1, 2, 3
	),
	grp AS (
		SELECT g.item, g.lang, g.value, g.n FROM comment_group_all(p_event) g
	)
	SELECT 'row', response_id, item, coalesce(x.n, 0), coalesce(y.n, 0)
	FROM refn x FULL JOIN cur y
		USING (response_id, item, instrument, submitted_at, value)
	WHERE x.n IS DISTINCT FROM y.n
	UNION ALL
	SELECT 'count', NULL, item, coalesce(x.n, 0), coalesce(y.n, 0)
	FROM refc x FULL JOIN cnt y USING (item)
	WHERE x.n IS DISTINCT FROM y.n
	UNION ALL
	SELECT 'group', NULL, item, coalesce(x.n, 0), coalesce(y.n, 0)
	FROM refg x FULL JOIN grp y USING (item, lang, value)
	WHERE x.n IS DISTINCT FROM y.n
	UNION ALL
	SELECT 'key', NULL, g.item, NULL, g.n
	FROM comment_group_folded g
	WHERE g.event_id = p_event
		AND (g.vkey <> comment_group_vkey(g.value)
			OR g.head <> left(g.value, 64))
$$;

-- ---- 010's dashboard comments, membership from the folded table ----------
-- Whether a segment's latest comments on one item are cheaper to read by
-- the walk than by the join of enquete_comments_filtered (below), from
-- p_all, the item's comments in the event, p_seg, those in the segment,
-- and p_mem, the segment's members:
--   * the walk reads the item's latest comments, by index, each tested by
--     one probe of stats_member_pkey, until 1000 are in the segment: about
--     p_all * min(1000, p_seg) / p_seg comments (all of them when the
--     segment has fewer than 1000);
--   * the join reads every member of the segment, their responses and
--     their comments on the item: about p_mem members, however few of
--     them commented.
-- (Until 2026-12 the join was costed at p_seg, the segment's comments: a
-- large segment with few comments on an item joined all its members, 1.4
-- s for 726,000 of them.)
CREATE OR REPLACE FUNCTION stats_seg_comments_walk(p_all bigint,
	p_seg bigint, p_mem bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_all * least(p_seg, 1000) <= p_mem * p_seg
$$;

-- Same rows as 010's version. The segment's members are the folded ones
-- except the participants pending in this snapshot, plus those of them
-- who are in the segment now (the per-comment test must not call the
-- stats_member view, which computes the pending members). Per item, the
-- walk or the join, whichever stats_seg_comments_walk finds cheaper
-- (p_walk: the one the caller chooses; v_mem: the segment's responses,
-- less the pairs). The segment's counts come from one read of stats_seg
-- (v_segs: its comment rows per item, and v_mem): each read adds the
-- pending participants' difference, 75 ms with 300 of them pending, which
-- a read per item paid again for every item. The walk's OFFSET 0 keeps the planner from turning its
-- EXISTS into a hashed subplan, which read and hashed the whole segment
-- first: 300 ms for a segment of 729,000 participants against 4 ms by
-- probes, 976 ms on the bench's 1M event.
CREATE OR REPLACE FUNCTION enquete_comments_filtered(p_event int,
	p_items jsonb, p_filter jsonb, p_walk boolean DEFAULT NULL)
RETURNS TABLE (instrument text, item text, value text, total bigint)
LANGUAGE plpgsql STABLE SET jit = off SET max_parallel_workers_per_gather = 0 AS $$
#variable_conflict use_column
DECLARE
	v_key text;
	v_value text;
	v_item text;
	v_seg bigint;
	v_all bigint;
	v_mem bigint;
	v_segs jsonb;
	v_pend bigint[];
	v_in bigint[];
BEGIN
	SELECT f.fkey, f.fvalue INTO v_key, v_value
		FROM stats_seg_filter(p_event, p_filter) f;
	IF v_key IS NOT NULL THEN
		v_pend := ARRAY(SELECT DISTINCT c.participant_id
			FROM stats_change c WHERE c.event_id = p_event);
		-- (no pending participant: no read of the raw rows at all,
		-- so that a lock on them never holds the dashboard up)
		v_in := '{}';
		IF cardinality(v_pend) > 0 THEN
			v_in := ARRAY(SELECT m.participant_id
				FROM stats_fold_members(v_pend) m
				WHERE m.cur AND m.fkey = v_key
					AND m.fvalue = v_value);
		END IF;
		SELECT coalesce(sum(x.n) FILTER (WHERE x.kind = 'resp'), 0),
			coalesce(jsonb_object_agg(x.item, x.n)
				FILTER (WHERE x.kind = 'comment'), '{}')
			INTO v_mem, v_segs
		FROM (SELECT s.kind, s.item, sum(CASE WHEN s.kind = 'resp'
				AND s.instrument = 'paired' THEN -s.n ELSE s.n END) AS n
			FROM stats_seg s
			WHERE s.event_id = p_event AND s.fkey = v_key
				AND s.fvalue = v_value
				AND (s.kind = 'resp' AND s.item = ''
					OR s.kind = 'comment' AND s.instrument = '')
				AND s.value = '' AND s.rank = 0
			GROUP BY s.kind, s.item) x;
		FOR v_item IN SELECT i.k
			FROM jsonb_array_elements_text(p_items)
				WITH ORDINALITY AS i(k, ord) ORDER BY i.ord
		LOOP
			v_seg := coalesce((v_segs ->> v_item)::bigint, 0);
			CONTINUE WHEN v_seg <= 0;
			SELECT coalesce(sum(c.n), 0) INTO v_all FROM comment_count c
			WHERE c.event_id = p_event AND c.item = v_item;
			IF coalesce(p_walk,
					stats_seg_comments_walk(v_all, v_seg, v_mem)) THEN
				RETURN QUERY
				SELECT c.instrument, v_item, c.value, v_seg
				FROM (SELECT m.instrument, m.value, m.submitted_at,
						m.response_id
					FROM comment m
					WHERE m.event_id = p_event AND m.item = v_item
						AND ((EXISTS (SELECT 1
							FROM stats_member_folded sm
							WHERE sm.participant_id
								= m.participant_id
							AND sm.fkey = v_key
							AND sm.fvalue = v_value
							OFFSET 0)
						AND NOT m.participant_id = ANY (v_pend))
						OR m.participant_id = ANY (v_in))
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
					FROM (SELECT sm.participant_id
						FROM stats_member_folded sm
						WHERE sm.event_id = p_event
							AND sm.fkey = v_key
							AND sm.fvalue = v_value
							AND NOT sm.participant_id
								= ANY (v_pend)
						UNION ALL
						SELECT unnest(v_in)) sm
					JOIN response r
						ON r.participant_id = sm.participant_id
					JOIN comment m ON m.response_id = r.id
						AND m.item = v_item
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

