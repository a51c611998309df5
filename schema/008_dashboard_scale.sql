-- 008_dashboard_scale.sql: what the dashboard and the events list read,
-- made independent of the number of participants.
--
-- Pre-issued codes: a partial index, so that counting an event's badges
-- (and which of them answered) reads those few rows, not every participant.
--
-- Comments: the free-text answers (text and longtext items, the
-- "<key>.other" texts) kept newest first per question, with their counts,
-- so that the dashboard reads the latest 1,000 comments of a question and
-- how many there are through an index and a few counter rows (the query
-- this replaces read every free-text answer of the event: 6 s at 100k
-- participants).
--
-- Both comment tables are maintained by triggers, in the transaction of
-- every submission, update and erasure, like the statistics of 004:
--   * answer AFTER INSERT / AFTER DELETE (statement level): the non-blank,
--     non-personal free-text rows join comment, or leave it;
--   * comment AFTER INSERT / AFTER DELETE (statement level, including the
--     cascade of an erasure): comment_count moves by the rows' count,
--     split over the same 16 slots as stats_agg and under the same
--     (event, slot) advisory locks, taken in slot order before any counter
--     row, so that a submission and an update of the same slot queue on
--     the lock instead of deadlocking on counter rows.
-- enquete_comments_check() compares both with the raw rows.

CREATE INDEX participant_preissued_idx ON participant (event_id)
	WHERE preissued;

CREATE TABLE comment (
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	event_id int NOT NULL,
	participant_id bigint NOT NULL,
	instrument text NOT NULL,
	item text NOT NULL,
	submitted_at timestamptz NOT NULL,
	value text NOT NULL
);
CREATE INDEX comment_response_idx ON comment (response_id);
-- the latest of a question: event and item, newest first
CREATE INDEX comment_latest_idx ON comment
	(event_id, item, submitted_at DESC, response_id DESC);

CREATE TABLE comment_count (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	item text NOT NULL,
	slot smallint NOT NULL,
	n bigint NOT NULL,
	PRIMARY KEY (event_id, item, slot)
) WITH (fillfactor = 40);

-- The answer rows of one statement that are comments (written over the
-- transition table, whose size the planner knows: index lookups for a
-- submission's few rows, hash joins for a batch).
CREATE FUNCTION comment_answer_ins() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE FUNCTION comment_answer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM comment c USING old_rows a
	WHERE c.response_id = a.response_id AND c.item = a.item;
	RETURN NULL;
END
$$;

CREATE TRIGGER comment_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_answer_ins();
CREATE TRIGGER comment_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_answer_del();

-- Moves the counters by p_sign times the number of rows per (event, item,
-- slot); the slot locks first, in order.
CREATE FUNCTION comment_count_move(p_sign int, p_event int[],
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
	ELSE
		-- an event being deleted has no counter rows left to move
		UPDATE comment_count c SET n = c.n - d.n
		FROM (SELECT e, i, (p % 16)::smallint AS slot, count(*) AS n
			FROM unnest(p_event, p_participant, p_item)
				AS u(e, p, i)
			GROUP BY 1, 2, 3) d
		WHERE c.event_id = d.e AND c.item = d.i AND c.slot = d.slot;
	END IF;
END
$$;

CREATE FUNCTION comment_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM comment_count_move(1, array_agg(event_id),
		array_agg(participant_id), array_agg(item))
	FROM new_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;

CREATE FUNCTION comment_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM comment_count_move(-1, array_agg(event_id),
		array_agg(participant_id), array_agg(item))
	FROM old_rows HAVING count(*) > 0;
	RETURN NULL;
END
$$;

CREATE TRIGGER comment_count_ins AFTER INSERT ON comment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_count_ins();
CREATE TRIGGER comment_count_del AFTER DELETE ON comment
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION comment_count_del();

-- The comments as a plain join of the raw rows: the reference for the
-- check, and the rows of the responses stored before this migration.
CREATE VIEW comment_source AS
	SELECT r.id AS response_id, r.event_id, r.participant_id,
		r.instrument, a.item, r.submitted_at, a.value
	FROM answer a JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE NOT m.personal AND m.type IN ('text', 'longtext', 'other')
		AND btrim(a.value) <> '';

-- Where comment and comment_count differ from the raw rows (no rows: they
-- agree): what = 'row' for a comment missing or extra (n = the difference
-- in copies), 'count' for a counter that is not the number of rows.
CREATE FUNCTION enquete_comments_check(p_event int)
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

-- The comments of the responses stored before this migration (the
-- counters follow by the trigger).
INSERT INTO comment SELECT * FROM comment_source;
