-- 016_stats_fold.sql: the statistics are folded outside the attendee's
-- transaction (issue 27).
--
-- Until 015 every submission updated the event's shared counter rows
-- (stats_agg, stats_seg, comment_count under 16 slot locks) and moved its
-- participant between segments inside its own transaction: its cost grew
-- with the profile questions and with the segments it joined, and
-- concurrent submissions queued on the same rows. Now:
--
--   * a submission writes only its own rows (response, answer, comment,
--     contact, submission) plus an append-only change record: a row of
--     stats_change naming the participant whose contribution may have
--     changed (row trigger on response, statement triggers on answer). No
--     shared row is updated and no lock is shared with other submissions.
--   * a folder (`enquetectl fold --loop`, one per stack; several may run
--     against one database) calls enquete_fold(): for one event at a time,
--     under pg_try_advisory_xact_lock(event, 'fold') so that one folder at
--     a time folds an event (transaction-scoped: works through pgbouncer),
--     it takes a batch of pending participants, deletes their change rows,
--     recomputes their contribution from the raw rows
--     (stats_participant_tuples) and their segments (profile answers), and
--     applies the difference with what was folded for them before
--     (stats_contrib, stats_member_folded) to the folded aggregates, in one
--     transaction with the per-event watermark (stats_fold). The queue's
--     rows leave in the transaction that folds them, so a crash anywhere
--     neither loses nor counts twice: either the whole batch and its
--     watermark committed, or none of it. (A watermark on a sequence would
--     skip changes whose transactions commit after a later id's.)
--     Folding a participant is idempotent (a diff against the folded
--     snapshot): a change that commits while its participant is folded is
--     folded again as a no-op.
--   * readers keep their names and stay exact as of their snapshot:
--     stats_agg, stats_seg, stats_member and comment_count are now views,
--     the folded table plus, for the participants still pending in that
--     snapshot, their current contribution minus their folded one
--     (bounded by the folder's lag). enquete_stats, enquete_stats_filtered,
--     enquete_group_sizes, the checks and the C statements that read these
--     names are unchanged; enquete_comments_filtered is redefined so that
--     its per-comment membership test reads the folded table.
--   * updates (history), erasures (the response's deletion is a change;
--     the participant's current contribution is then nothing) and new
--     definition versions (stats_item per definition, as before) keep
--     their meaning: a contribution is always recomputed from the raw rows.
--
-- The lag (age of the oldest unfolded change) is enquete_fold_lag(): the
-- second line of /healthz and the dashboard show it.

-- ---- the old in-transaction maintenance goes ------------------------------
DROP TRIGGER stats_answer_ins ON answer;
DROP TRIGGER stats_answer_del ON answer;
DROP TRIGGER stats_answer_x_ins ON answer;
DROP TRIGGER stats_answer_x_del ON answer;
DROP TRIGGER stats_member_ins ON answer;
DROP TRIGGER stats_member_del ON answer;
DROP TRIGGER stats_response_ins ON response;
DROP TRIGGER stats_response_del ON response;
DROP TRIGGER stats_x_response_ins ON response;
DROP TRIGGER stats_x_response_del ON response;
DROP TRIGGER stats_member_response_del ON response;
DROP TRIGGER comment_count_ins ON comment;
DROP TRIGGER comment_count_del ON comment;
DROP FUNCTION stats_answer_ins();
DROP FUNCTION stats_answer_del();
DROP FUNCTION stats_x_answer_ins();
DROP FUNCTION stats_x_answer_del();
DROP FUNCTION stats_member_answer();
DROP FUNCTION stats_response_ins();
DROP FUNCTION stats_response_del();
DROP FUNCTION stats_x_response_ins();
DROP FUNCTION stats_x_response_del();
DROP FUNCTION stats_member_response_del();
DROP FUNCTION comment_count_ins();
DROP FUNCTION comment_count_del();
DROP FUNCTION stats_member_move(bigint[]);
DROP FUNCTION comment_count_move(int, int[], bigint[], text[]);
DROP FUNCTION stats_delta(int, bigint[], text[], text[], double precision[],
	smallint[]);
DROP FUNCTION stats_delta_x(int, boolean, bigint[], text[], text[],
	double precision[]);
DROP FUNCTION stats_bump(int, text, text, bigint, bigint, double precision,
	double precision);
DROP FUNCTION stats_bump_x(int, bigint, text, text, int, bigint,
	double precision, double precision);

-- the folded state: the tables readers used to read, renamed (their
-- readers now read the views of the same names below)
ALTER TABLE stats_agg RENAME TO stats_agg_folded;
ALTER TABLE stats_seg RENAME TO stats_seg_folded;
ALTER TABLE stats_member RENAME TO stats_member_folded;
ALTER TABLE comment_count RENAME TO comment_count_folded;

-- ---- the change records ---------------------------------------------------
-- One row per participant whose contribution may have changed; several
-- rows for one participant are one change. No foreign key: a key check
-- would share a row lock on the event with every other submission.
CREATE TABLE stats_change (
	event_id int NOT NULL,
	participant_id bigint NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
) WITH (autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 1000,
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 1000);
-- the oldest of an event first (the folder's batches, the lag)
CREATE INDEX stats_change_event_idx ON stats_change (event_id, at);
-- the pending rows of a participant (folding them, the membership view)
CREATE INDEX stats_change_participant_idx ON stats_change (participant_id);

CREATE FUNCTION stats_change_response() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stats_change (event_id, participant_id)
			VALUES (NEW.event_id, NEW.participant_id);
		RETURN NULL;
	END IF;
	-- a deleted response: the whole event is being deleted (its folded
	-- state goes by the cascade), or an erasure
	IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM event
			WHERE id = OLD.event_id) THEN
		RETURN NULL;
	END IF;
	INSERT INTO stats_change (event_id, participant_id)
		VALUES (OLD.event_id, OLD.participant_id);
	IF TG_OP = 'UPDATE' AND NEW.participant_id <> OLD.participant_id THEN
		INSERT INTO stats_change (event_id, participant_id)
			VALUES (NEW.event_id, NEW.participant_id);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER stats_change_response AFTER INSERT OR UPDATE OR DELETE
	ON response FOR EACH ROW EXECUTE FUNCTION stats_change_response();

-- Answer rows written or deleted on their own (not through
-- enquete_submit, whose response row already records the change): the
-- participants of their responses. Rows of a deleted response join none
-- (its own trigger recorded it).
CREATE FUNCTION stats_change_answer_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_change (event_id, participant_id)
	SELECT r.event_id, r.participant_id
	FROM (SELECT DISTINCT response_id FROM new_rows) a
	JOIN response r ON r.id = a.response_id;
	RETURN NULL;
END
$$;

CREATE FUNCTION stats_change_answer_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_change (event_id, participant_id)
	SELECT r.event_id, r.participant_id
	FROM (SELECT DISTINCT response_id FROM old_rows) a
	JOIN response r ON r.id = a.response_id;
	RETURN NULL;
END
$$;

CREATE TRIGGER stats_change_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_new();
CREATE TRIGGER stats_change_answer_upd AFTER UPDATE ON answer
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_new();
CREATE TRIGGER stats_change_answer_upd_old AFTER UPDATE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_old();
CREATE TRIGGER stats_change_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_old();

-- ---- what was folded ------------------------------------------------------
CREATE TYPE stats_tuple AS (kind text, instrument text, item text,
	value text, rank int, n bigint, s1 double precision,
	s2 double precision);

-- Each participant's contribution as last folded (one row per
-- participant: the tuples of stats_participant_tuples in an array). No
-- key on participant: an erased participant's folded contribution must
-- outlive them until it is subtracted.
CREATE TABLE stats_contrib (
	participant_id bigint PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	tuples stats_tuple[] NOT NULL
);
CREATE INDEX stats_contrib_event_idx ON stats_contrib (event_id);

-- The watermark of each event's folding: advanced in the transaction of
-- every batch (with the aggregates it moved).
CREATE TABLE stats_fold (
	event_id int PRIMARY KEY REFERENCES event ON DELETE CASCADE,
	folded bigint NOT NULL DEFAULT 0,   -- participants folded, all batches
	batches bigint NOT NULL DEFAULT 0,
	folded_at timestamptz
);

-- ---- the difference between now and what was folded ----------------------
CREATE TYPE stats_fold_row AS (participant_id bigint, event_id int,
	cur boolean, kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision);
CREATE TYPE stats_fold_member AS (participant_id bigint, event_id int,
	cur boolean, fkey text, fvalue text);

-- The contribution of the given participants now (cur) and, negated, as
-- folded (not cur): summed, what the folded aggregates lack. PL/pgSQL so
-- that the plan is kept per connection.
CREATE FUNCTION stats_fold_delta(p_participants bigint[])
RETURNS SETOF stats_fold_row
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT t.participant_id, t.event_id, true, t.kind, t.instrument,
		t.item, t.value, t.rank, t.n, t.s1, t.s2
	FROM stats_participant_tuples(p_participants) t
	UNION ALL
	SELECT c.participant_id, c.event_id, false, u.kind, u.instrument,
		u.item, u.value, u.rank, -u.n, -u.s1, -u.s2
	FROM stats_contrib c CROSS JOIN LATERAL unnest(c.tuples) u
	WHERE c.participant_id = ANY (p_participants);
END
$$;

-- Their segments now (cur: their profile answers, as stats_member_source)
-- and as folded (not cur).
CREATE FUNCTION stats_fold_members(p_participants bigint[])
RETURNS SETOF stats_fold_member
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT DISTINCT r.participant_id, r.event_id, true, a.item, a.value
	FROM unnest(p_participants) AS u(id)
	JOIN response r ON r.participant_id = u.id
	JOIN answer a ON a.response_id = r.id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE m.role = 'profile'
	UNION ALL
	SELECT m.participant_id, m.event_id, false, m.fkey, m.fvalue
	FROM stats_member_folded m
	WHERE m.participant_id = ANY (p_participants);
END
$$;

-- What the folded segments lack for the given participants: their
-- contribution now in their segments now, minus their folded one in their
-- folded segments.
CREATE FUNCTION stats_fold_seg_delta(p_participants bigint[])
RETURNS TABLE (participant_id bigint, event_id int, fkey text,
	fvalue text, kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT d.participant_id, d.event_id, m.fkey, m.fvalue, d.kind,
		d.instrument, d.item, d.value, d.rank, d.n, d.s1, d.s2
	FROM stats_fold_delta(p_participants) d
	JOIN stats_fold_members(p_participants) m
		ON m.participant_id = d.participant_id AND m.cur = d.cur;
END
$$;

-- ---- the readers' names: folded + pending ---------------------------------
-- Per event, the participants with changes not yet folded.
CREATE VIEW stats_pending AS
	SELECT c.event_id, array_agg(DISTINCT c.participant_id) AS participants,
		min(c.at) AS oldest, count(*) AS changes
	FROM stats_change c GROUP BY c.event_id;

CREATE VIEW stats_agg AS
	SELECT f.event_id, f.kind, f.instrument, f.item, f.value, f.rank,
		f.slot, f.n, f.s1, f.s2
	FROM stats_agg_folded f
	UNION ALL
	SELECT p.event_id, d.kind, d.instrument, d.item, d.value, d.rank,
		(d.participant_id % 16)::smallint, d.n, d.s1, d.s2
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_delta(p.participants) d
	WHERE d.kind <> 'comment';

CREATE VIEW comment_count AS
	SELECT f.event_id, f.item, f.slot, f.n FROM comment_count_folded f
	UNION ALL
	SELECT p.event_id, d.item, (d.participant_id % 16)::smallint, d.n
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_delta(p.participants) d
	WHERE d.kind = 'comment';

CREATE VIEW stats_seg AS
	SELECT f.event_id, f.fkey, f.fvalue, f.kind, f.instrument, f.item,
		f.value, f.rank, f.slot, f.n, f.s1, f.s2
	FROM stats_seg_folded f
	UNION ALL
	SELECT p.event_id, d.fkey, d.fvalue, d.kind, d.instrument, d.item,
		d.value, d.rank, (d.participant_id % 16)::smallint, d.n, d.s1,
		d.s2
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_seg_delta(p.participants) d;

CREATE VIEW stats_member AS
	SELECT m.participant_id, m.event_id, m.fkey, m.fvalue
	FROM stats_member_folded m
	WHERE NOT EXISTS (SELECT 1 FROM stats_change c
		WHERE c.participant_id = m.participant_id)
	UNION ALL
	SELECT x.participant_id, x.event_id, x.fkey, x.fvalue
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_members(p.participants) x
	WHERE x.cur;

-- ---- the folder -----------------------------------------------------------
-- The advisory lock key of an event's folding: (event, 'fold' in ASCII);
-- 004's slot locks used (event, 1937047552 + slot).
CREATE FUNCTION stats_fold_key() RETURNS int LANGUAGE sql IMMUTABLE AS
	'SELECT 1718578276';

-- The events with pending changes, oldest change first, by a skip scan of
-- stats_change_event_idx (a few index probes per event, whatever the
-- queue's length).
CREATE FUNCTION stats_pending_events()
RETURNS TABLE (event_id int, oldest timestamptz)
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE e(id) AS (
		(SELECT c.event_id FROM stats_change c ORDER BY c.event_id
			LIMIT 1)
		UNION ALL
		SELECT (SELECT c.event_id FROM stats_change c
			WHERE c.event_id > e.id ORDER BY c.event_id LIMIT 1)
		FROM e WHERE e.id IS NOT NULL
	)
	SELECT x.id, x.oldest FROM (
		SELECT e.id, (SELECT c.at FROM stats_change c
			WHERE c.event_id = e.id ORDER BY c.at LIMIT 1) AS oldest
		FROM e WHERE e.id IS NOT NULL) x
	ORDER BY x.oldest, x.id
$$;

-- Applies what the folded state lacks for the participants p_ps of event
-- p_event (their change rows already taken), and records it as folded.
-- The caller holds the event's fold lock. The difference is netted per
-- participant first (what did not change cancels out), and only the
-- participants whose segments changed move their whole contribution
-- between segments; the others add their net difference to theirs.
CREATE FUNCTION stats_fold_apply(p_event int, p_ps bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_delta stats_fold_row[];
	v_net stats_fold_row[];
	v_mem stats_fold_member[];
	v_moved bigint[];
BEGIN
	v_delta := ARRAY(SELECT d FROM stats_fold_delta(p_ps) d);
	v_mem := ARRAY(SELECT m FROM stats_fold_members(p_ps) m);
	v_net := ARRAY(
		SELECT ROW(d.participant_id, min(d.event_id), true, d.kind,
			d.instrument, d.item, d.value, d.rank, sum(d.n), sum(d.s1),
			sum(d.s2))::stats_fold_row
		FROM unnest(v_delta) d
		GROUP BY d.participant_id, d.kind, d.instrument, d.item, d.value,
			d.rank
		HAVING sum(d.n) <> 0 OR sum(d.s1) <> 0 OR sum(d.s2) <> 0);
	v_moved := ARRAY(
		SELECT m.participant_id FROM unnest(v_mem) m
		GROUP BY m.participant_id
		HAVING coalesce(array_agg(m.fkey || chr(31) || m.fvalue
				ORDER BY m.fkey, m.fvalue) FILTER (WHERE m.cur), '{}')
			IS DISTINCT FROM coalesce(array_agg(m.fkey || chr(31)
				|| m.fvalue ORDER BY m.fkey, m.fvalue)
				FILTER (WHERE NOT m.cur), '{}'));

	INSERT INTO stats_agg_folded AS s (event_id, kind, instrument, item,
		value, rank, slot, n, s1, s2)
	SELECT p_event, d.kind, d.instrument, d.item, d.value, d.rank, 0,
		sum(d.n), sum(d.s1), sum(d.s2)
	FROM unnest(v_net) d WHERE d.kind <> 'comment'
	GROUP BY 2, 3, 4, 5, 6
	HAVING sum(d.n) <> 0 OR sum(d.s1) <> 0 OR sum(d.s2) <> 0
	ON CONFLICT (event_id, kind, instrument, item, value, rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;

	INSERT INTO comment_count_folded AS c (event_id, item, slot, n)
	SELECT p_event, d.item, 0, sum(d.n)
	FROM unnest(v_net) d WHERE d.kind = 'comment'
	GROUP BY 2 HAVING sum(d.n) <> 0
	ON CONFLICT (event_id, item, slot) DO UPDATE SET n = c.n + EXCLUDED.n;

	INSERT INTO stats_seg_folded AS s (event_id, fkey, fvalue, kind,
		instrument, item, value, rank, slot, n, s1, s2)
	WITH mv AS (SELECT unnest(v_moved) AS participant_id),
	x AS (
		-- same segments: the net difference in each
		SELECT m.fkey, m.fvalue, d.kind, d.instrument, d.item, d.value,
			d.rank, d.n, d.s1, d.s2
		FROM unnest(v_net) d
		JOIN unnest(v_mem) m ON m.participant_id = d.participant_id
			AND m.cur
		WHERE NOT EXISTS (SELECT 1 FROM mv
			WHERE mv.participant_id = d.participant_id)
		UNION ALL
		-- other segments: the folded contribution leaves the old ones,
		-- the current one joins the new ones
		SELECT m.fkey, m.fvalue, d.kind, d.instrument, d.item, d.value,
			d.rank, d.n, d.s1, d.s2
		FROM unnest(v_delta) d
		JOIN unnest(v_mem) m ON m.participant_id = d.participant_id
			AND m.cur = d.cur
		WHERE EXISTS (SELECT 1 FROM mv
			WHERE mv.participant_id = d.participant_id)
	)
	SELECT p_event, x.fkey, x.fvalue, x.kind, x.instrument, x.item,
		x.value, x.rank, 0, sum(x.n), sum(x.s1), sum(x.s2)
	FROM x
	GROUP BY 2, 3, 4, 5, 6, 7, 8
	HAVING sum(x.n) <> 0 OR sum(x.s1) <> 0 OR sum(x.s2) <> 0
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;

	DELETE FROM stats_member_folded m WHERE m.participant_id = ANY (v_moved);
	INSERT INTO stats_member_folded (participant_id, event_id, fkey, fvalue)
	SELECT m.participant_id, m.event_id, m.fkey, m.fvalue
	FROM unnest(v_mem) m
	WHERE m.cur AND m.participant_id = ANY (v_moved);

	DELETE FROM stats_contrib c WHERE c.participant_id = ANY (p_ps);
	INSERT INTO stats_contrib (participant_id, event_id, tuples)
	SELECT d.participant_id, min(d.event_id),
		array_agg(ROW(d.kind, d.instrument, d.item, d.value, d.rank,
			d.n, d.s1, d.s2)::stats_tuple)
	FROM unnest(v_delta) d WHERE d.cur
	GROUP BY d.participant_id;
END
$$;

-- One batch: the oldest pending event that no other folder holds, up to
-- p_limit of its oldest changes (all the pending rows of their
-- participants), folded in this transaction with the event's watermark.
-- No row when there is nothing to fold (or every pending event is being
-- folded by another folder). remaining: that event's change rows left.
CREATE FUNCTION enquete_fold(p_limit int DEFAULT 500)
RETURNS TABLE (event_id int, participants int, remaining bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_event int;
	v_ps bigint[];
BEGIN
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100000 THEN
		RAISE EXCEPTION 'enquete_fold: batch size % out of 1..100000',
			p_limit;
	END IF;
	FOR v_event IN SELECT e.event_id FROM stats_pending_events() e LOOP
		-- one folder per event; every statement below takes a snapshot
		-- after the lock, so it sees every batch committed before
		CONTINUE WHEN NOT pg_try_advisory_xact_lock(v_event,
			stats_fold_key());
		IF NOT EXISTS (SELECT 1 FROM event e WHERE e.id = v_event) THEN
			-- the event was deleted: its folded state went with it
			DELETE FROM stats_change c WHERE c.event_id = v_event;
			RETURN QUERY SELECT v_event, 0, 0::bigint;
			RETURN;
		END IF;
		v_ps := ARRAY(SELECT DISTINCT x.participant_id FROM (
			SELECT c.participant_id FROM stats_change c
			WHERE c.event_id = v_event ORDER BY c.at
			LIMIT p_limit) x);
		DELETE FROM stats_change c
			WHERE c.participant_id = ANY (v_ps);
		PERFORM stats_fold_apply(v_event, v_ps);
		INSERT INTO stats_fold AS f (event_id, folded, batches, folded_at)
			VALUES (v_event, cardinality(v_ps), 1, now())
			ON CONFLICT (event_id) DO UPDATE
			SET folded = f.folded + EXCLUDED.folded,
				batches = f.batches + 1, folded_at = now();
		RETURN QUERY SELECT v_event, cardinality(v_ps),
			(SELECT count(*) FROM stats_change c
				WHERE c.event_id = v_event);
		RETURN;
	END LOOP;
END
$$;

-- The folder's lag in milliseconds (age of the oldest change not yet
-- folded, 0 when none) and the pending change rows, of one event or
-- (NULL) of all.
CREATE FUNCTION enquete_fold_lag(p_event int DEFAULT NULL)
RETURNS TABLE (lag_ms bigint, pending bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_oldest timestamptz;
BEGIN
	IF p_event IS NULL THEN
		SELECT min(e.oldest) INTO v_oldest FROM stats_pending_events() e;
		RETURN QUERY SELECT coalesce(greatest(0, (extract(epoch FROM
			clock_timestamp() - v_oldest) * 1000)::bigint), 0),
			(SELECT count(*) FROM stats_change);
	ELSE
		SELECT c.at INTO v_oldest FROM stats_change c
			WHERE c.event_id = p_event ORDER BY c.at LIMIT 1;
		RETURN QUERY SELECT coalesce(greatest(0, (extract(epoch FROM
			clock_timestamp() - v_oldest) * 1000)::bigint), 0),
			(SELECT count(*) FROM stats_change c
				WHERE c.event_id = p_event);
	END IF;
END
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
	DELETE FROM stats_agg_folded WHERE event_id = p_event;
	DELETE FROM stats_seg_folded WHERE event_id = p_event;
	DELETE FROM stats_member_folded WHERE event_id = p_event;
	DELETE FROM comment_count_folded WHERE event_id = p_event;
	DELETE FROM stats_contrib WHERE event_id = p_event;
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

-- 010's repair of the segments is now the same rebuild (the segments are
-- folded with the rest).
CREATE OR REPLACE FUNCTION enquete_seg_rebuild(p_event int) RETURNS void
LANGUAGE sql AS $$
	SELECT enquete_stats_rebuild(p_event)
$$;

-- ---- 010's dashboard comments, membership from the folded table ----------
-- Same rows as 010's version. The segment's members are the folded ones
-- except the participants pending in this snapshot, plus those of them
-- who are in the segment now (the per-comment test must not call the
-- stats_member view, which computes the pending members).
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
						AND ((EXISTS (SELECT 1
							FROM stats_member_folded sm
							WHERE sm.participant_id
								= m.participant_id
							AND sm.fkey = v_key
							AND sm.fvalue = v_value)
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
	WITH r AS MATERIALIZED (
		SELECT r.id, r.event_id, r.participant_id, r.instrument,
			r.definition_id, r.submitted_at
		FROM response r
		WHERE r.id IN (SELECT DISTINCT response_id FROM new_rows)
	),
	m AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item
		FROM (SELECT DISTINCT definition_id, instrument FROM r) d
		JOIN stats_item m ON m.definition_id = d.definition_id
			AND m.instrument = d.instrument
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

DROP FUNCTION stats_lock(int, bigint);

-- The stored events: their participants folded once from the raw rows.
SELECT enquete_stats_rebuild(id) FROM event;
