-- fold.sql: the statistics folded outside the attendee's transaction
-- (issue 27; tables, types and the DROPs of the old in-transaction
-- maintenance: schema/016_stats_fold.sql, which describes the design; the
-- readers' views over these functions: schema/backfill/016_stats_fold.sql).
-- The change records written by the submissions' triggers, the difference
-- between a participant's contribution now and as folded, and the folder
-- (enquete_fold, enquete_fold_lag).


CREATE OR REPLACE FUNCTION stats_change_response() RETURNS trigger
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

CREATE OR REPLACE TRIGGER stats_change_response AFTER INSERT OR UPDATE OR DELETE
	ON response FOR EACH ROW EXECUTE FUNCTION stats_change_response();

-- Answer rows written or deleted on their own (not through
-- enquete_submit, whose response row already records the change): the
-- participants of their responses. Rows of a deleted response join none
-- (its own trigger recorded it). A response row this very transaction
-- wrote (its xmin is ours: inserted or updated by enquete_submit) had its
-- change recorded by stats_change_response, so its answers add none: a
-- submission writes one change row and the folder's batch of N rows holds
-- N participants. (Looking for our row in stats_change instead read the
-- whole queue at every submission whenever the session's plan had been
-- made while the queue was small.)
CREATE OR REPLACE FUNCTION stats_change_answer_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_change (event_id, participant_id)
	SELECT r.event_id, r.participant_id
	FROM (SELECT DISTINCT response_id FROM new_rows) a
	-- by the key, whatever the plan kept (see comment_answer_ins)
	CROSS JOIN LATERAL (SELECT r.event_id, r.participant_id, r.xmin
		FROM response r WHERE r.id = a.response_id OFFSET 0) r
	WHERE r.xmin <> pg_current_xact_id()::xid;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_change_answer_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_change (event_id, participant_id)
	SELECT r.event_id, r.participant_id
	FROM (SELECT DISTINCT response_id FROM old_rows) a
	-- by the key, whatever the plan kept (see comment_answer_ins)
	CROSS JOIN LATERAL (SELECT r.event_id, r.participant_id, r.xmin
		FROM response r WHERE r.id = a.response_id OFFSET 0) r
	WHERE r.xmin <> pg_current_xact_id()::xid;
	RETURN NULL;
END
$$;

-- (enquete_submit's answers: their response row records the change, and
-- submit_rows sets enquete.submit_rows around their INSERT)
CREATE OR REPLACE TRIGGER stats_change_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('enquete.submit_rows', true) IS DISTINCT FROM 'own')
	EXECUTE FUNCTION stats_change_answer_new();
CREATE OR REPLACE TRIGGER stats_change_answer_upd AFTER UPDATE ON answer
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_new();
CREATE OR REPLACE TRIGGER stats_change_answer_upd_old AFTER UPDATE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_old();
CREATE OR REPLACE TRIGGER stats_change_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_change_answer_old();

-- The contribution of the given participants now (cur) and, negated, as
-- folded (not cur): summed, what the folded aggregates lack. PL/pgSQL so
-- that the plan is kept per connection.
CREATE OR REPLACE FUNCTION stats_fold_delta(p_participants bigint[])
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
-- and as folded (not cur). Lookups by index (LATERAL), the profile items
-- of the batch's definitions joined by hash (as
-- stats_participant_tuples_base): joined to stats_item row by row it took
-- 450 ms of a 900 ms batch. Its DISTINCT hashed, not sorted (as there).
CREATE OR REPLACE FUNCTION stats_fold_members(p_participants bigint[])
RETURNS SETOF stats_fold_member
LANGUAGE plpgsql STABLE
SET enable_nestloop = off SET enable_sort = off SET jit = off AS $$
BEGIN
	RETURN QUERY
	WITH resp AS MATERIALIZED (
		SELECT r.id, r.participant_id, r.event_id, r.definition_id,
			r.instrument
		FROM unnest(p_participants) AS u(id)
		CROSS JOIN LATERAL (SELECT r.* FROM response r
			WHERE r.participant_id = u.id OFFSET 0) r
	),
	meta AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item
		FROM (SELECT DISTINCT r.definition_id, r.instrument FROM resp r) d
		CROSS JOIN LATERAL (SELECT m.* FROM stats_item m
			WHERE m.definition_id = d.definition_id
			AND m.instrument = d.instrument OFFSET 0) m
		WHERE m.role = 'profile'
	),
	ra AS MATERIALIZED (
		SELECT r.participant_id, r.event_id, r.definition_id,
			r.instrument, a.item, a.value
		FROM resp r
		CROSS JOIN LATERAL (SELECT a.item, a.value FROM answer a
			WHERE a.response_id = r.id OFFSET 0) a
	)
	SELECT DISTINCT x.participant_id, x.event_id, true, x.item, x.value
	FROM ra x
	JOIN meta m ON m.definition_id = x.definition_id
		AND m.instrument = x.instrument AND m.item = x.item
	UNION ALL
	SELECT m.participant_id, m.event_id, false, m.fkey, m.fvalue
	FROM unnest(p_participants) AS u(id)
	CROSS JOIN LATERAL (SELECT f.* FROM stats_member_folded f
		WHERE f.participant_id = u.id OFFSET 0) m;
END
$$;

-- What the folded segments lack for the given participants: their
-- contribution now in their segments now, minus their folded one in their
-- folded segments.
CREATE OR REPLACE FUNCTION stats_fold_seg_delta(p_participants bigint[])
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

-- ---- the folder -----------------------------------------------------------
-- The advisory lock key of an event's folding: (event, 'fold' in ASCII);
-- 004's slot locks used (event, 1937047552 + slot).
CREATE OR REPLACE FUNCTION stats_fold_key() RETURNS int LANGUAGE sql IMMUTABLE AS
	'SELECT 1718578276';

-- The events with pending changes, oldest change first, by a skip scan of
-- stats_change_event_idx (a few index probes per event, whatever the
-- queue's length).
CREATE OR REPLACE FUNCTION stats_pending_events()
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
-- Its statements sum a batch's 100,000s of rows into a few thousand: with
-- the default work_mem the planner sorted them (1.3 s a batch of 500
-- paired participants) instead of hashing (0.4 s), and their cost set
-- JIT compiling (another second); hence the first two settings (issue
-- 27). The batch's rows are joined by hash: merge joins sorted them first
-- (the segments' 118,000 rows of 500 new participants, and the answer
-- rows with their metadata in stats_participant_tuples_base), 15 % of a
-- batch. And grouped by hash (enable_sort, for the functions it calls
-- too): estimating the unnested arrays as small, the planner sorted the
-- netting's and the members' rows by their text columns; a batch of 500
-- took 7 to 10 % less without (interleaved runs, 203-222 ms against
-- 226-257). Numbering the tuple keys and segments to sum the segments by
-- two integers instead of seven text columns was tried too: the extra
-- passes cost more than the hashing they saved (231-254 ms).
CREATE OR REPLACE FUNCTION stats_fold_apply(p_event int, p_ps bigint[])
RETURNS void LANGUAGE plpgsql
SET work_mem = '64MB' SET jit = off SET enable_mergejoin = off
SET enable_sort = off AS $$
DECLARE
	v_delta stats_fold_row[];
	v_net stats_fold_row[];
	v_mem stats_fold_member[];
	v_moved bigint[];
	v_stay bigint[];
BEGIN
	-- the event's row, locked as a foreign key would lock it (migration
	-- 028: these tables have none): a deletion of the event waits for
	-- this batch and then removes what it wrote (event_folded_delete); a
	-- batch after the deletion writes nothing
	PERFORM 1 FROM event e WHERE e.id = p_event FOR KEY SHARE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	v_delta := ARRAY(SELECT d FROM stats_fold_delta(p_ps) d);
	v_mem := ARRAY(SELECT m FROM stats_fold_members(p_ps) m);
	v_moved := ARRAY(
		SELECT m.participant_id FROM unnest(v_mem) m
		GROUP BY m.participant_id
		HAVING coalesce(array_agg(m.fkey || chr(31) || m.fvalue
				ORDER BY m.fkey, m.fvalue) FILTER (WHERE m.cur), '{}')
			IS DISTINCT FROM coalesce(array_agg(m.fkey || chr(31)
				|| m.fvalue ORDER BY m.fkey, m.fvalue)
				FILTER (WHERE NOT m.cur), '{}'));
	-- netted only for the participants who stay in segments (a new
	-- participant with a profile answer moves: nothing to net; one
	-- without any is in no segment: nothing to add to one)
	v_stay := ARRAY(
		SELECT DISTINCT m.participant_id FROM unnest(v_mem) m
		WHERE m.cur AND NOT m.participant_id = ANY (v_moved));
	v_net := ARRAY(
		SELECT ROW(d.participant_id, min(d.event_id), true, d.kind,
			d.instrument, d.item, d.value, d.rank, sum(d.n), sum(d.s1),
			sum(d.s2))::stats_fold_row
		FROM unnest(v_delta) d
		WHERE d.participant_id = ANY (v_stay)
		GROUP BY d.participant_id, d.kind, d.instrument, d.item, d.value,
			d.rank
		HAVING sum(d.n) <> 0 OR sum(d.s1) <> 0 OR sum(d.s2) <> 0);

	-- the event's totals: the sum of every difference (what did not
	-- change cancels out in the sum)
	INSERT INTO stats_agg_folded AS s (event_id, kind, instrument, item,
		value, rank, slot, n, s1, s2)
	SELECT p_event, d.kind, d.instrument, d.item, d.value, d.rank, 0,
		sum(d.n), sum(d.s1), sum(d.s2)
	FROM unnest(v_delta) d WHERE d.kind <> 'comment'
	GROUP BY 2, 3, 4, 5, 6
	HAVING sum(d.n) <> 0 OR sum(d.s1) <> 0 OR sum(d.s2) <> 0
	ON CONFLICT (event_id, kind, instrument, item, value, rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;

	INSERT INTO comment_count_folded AS c (event_id, item, slot, n)
	SELECT p_event, d.item, 0, sum(d.n)
	FROM unnest(v_delta) d WHERE d.kind = 'comment'
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

	-- the report's comment groups (comment_groups.sql)
	PERFORM comment_group_fold(p_event, p_ps);
END
$$;

-- Removes every folded row of event p_event: the one list of the folded
-- tables (a deleted event, enquete_stats_rebuild).
CREATE OR REPLACE FUNCTION stats_folded_delete(p_event int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM stats_agg_folded WHERE event_id = p_event;
	DELETE FROM stats_seg_folded WHERE event_id = p_event;
	DELETE FROM stats_member_folded WHERE event_id = p_event;
	DELETE FROM stats_contrib WHERE event_id = p_event;
	DELETE FROM comment_count_folded WHERE event_id = p_event;
	DELETE FROM comment_group_folded WHERE event_id = p_event;
	DELETE FROM comment_group_contrib WHERE event_id = p_event;
END
$$;

-- The folded rows of a deleted event go with it (what the foreign keys'
-- cascade did before migration 028).
CREATE OR REPLACE FUNCTION event_folded_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_folded_delete(OLD.id);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_folded_delete AFTER DELETE ON event
	FOR EACH ROW EXECUTE FUNCTION event_folded_delete();

-- The batch of a folder: the oldest pending event that no other folder
-- holds (its fold lock taken for the transaction, its row locked as
-- stats_fold_apply locks it), up to p_limit of its oldest changes: the
-- participants of those changes, every pending row of theirs deleted. No
-- row when there is nothing to fold (or every pending event is being
-- folded by another folder); participants NULL when the event was
-- deleted (its folded state went with it: its change rows are deleted).
-- Both folders take their batch here: enquete_fold below (all in SQL) and
-- enquetectl fold (cgi/domain/fold.c: the sums in C, stats_fold_old,
-- stats_fold_cur and stats_fold_write below).
CREATE OR REPLACE FUNCTION stats_fold_take(p_limit int)
RETURNS TABLE (event_id int, participants bigint[])
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
		PERFORM 1 FROM event e WHERE e.id = v_event FOR KEY SHARE;
		IF NOT FOUND THEN
			DELETE FROM stats_change c WHERE c.event_id = v_event;
			RETURN QUERY SELECT v_event, NULL::bigint[];
			RETURN;
		END IF;
		v_ps := ARRAY(SELECT DISTINCT x.participant_id FROM (
			SELECT c.participant_id FROM stats_change c
			WHERE c.event_id = v_event ORDER BY c.at
			LIMIT p_limit) x);
		DELETE FROM stats_change c
			WHERE c.participant_id = ANY (v_ps);
		RETURN QUERY SELECT v_event, v_ps;
		RETURN;
	END LOOP;
END
$$;

-- A batch folded: the event's counters, and its change rows left.
CREATE OR REPLACE FUNCTION stats_fold_done(p_event int, p_n int)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_fold AS f (event_id, folded, batches, folded_at)
		VALUES (p_event, p_n, 1, now())
		ON CONFLICT (event_id) DO UPDATE
		SET folded = f.folded + EXCLUDED.folded,
			batches = f.batches + 1, folded_at = now();
	RETURN (SELECT count(*) FROM stats_change c WHERE c.event_id = p_event);
END
$$;

-- One batch, all in SQL (psql, tests): stats_fold_take, stats_fold_apply.
-- No row when there is nothing to fold. remaining: that event's change
-- rows left. Every statement it runs (the functions above included) is
-- planned for its batch (force_custom_plan): a folder's session lives for
-- weeks, and a plan kept from its first batches, made while
-- stats_member_folded and response were small, read them whole at every
-- batch once they had grown.
CREATE OR REPLACE FUNCTION enquete_fold(p_limit int DEFAULT 500)
RETURNS TABLE (event_id int, participants int, remaining bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
	v_event int;
	v_ps bigint[];
BEGIN
	SELECT t.event_id, t.participants INTO v_event, v_ps
		FROM stats_fold_take(p_limit) t;
	IF v_event IS NULL THEN
		RETURN;
	END IF;
	IF v_ps IS NULL THEN
		RETURN QUERY SELECT v_event, 0, 0::bigint;
		RETURN;
	END IF;
	PERFORM stats_fold_apply(v_event, v_ps);
	RETURN QUERY SELECT v_event, cardinality(v_ps),
		stats_fold_done(v_event, cardinality(v_ps));
END
$$;

-- ---- enquetectl fold: the same batch, its sums in C ------------------------
-- stats_fold_apply's three costliest steps were sums of the batch's rows by
-- their text columns (the netting, the segments' 118,000 rows of 500 new
-- participants, the totals): 60 % of a batch. The folder process sums them
-- in C (cgi/domain/fold.c) from the rows below, in the same transaction as
-- stats_fold_take, and writes only the sums (stats_fold_write). What a
-- participant contributes stays defined once, in SQL
-- (stats_participant_tuples), and stats_fold_apply remains the reference
-- (tests compare both with the recomputation).

-- The folded contribution of the given participants, one row per tuple
-- (as stats_fold_delta's "not cur" rows, not negated), their stats_contrib
-- rows deleted: stats_fold_cur writes the new ones.
CREATE OR REPLACE FUNCTION stats_fold_old(p_ps bigint[])
RETURNS TABLE (participant_id bigint, kind text, instrument text,
	item text, value text, rank int, n bigint, s1 double precision,
	s2 double precision)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH d AS (
		DELETE FROM stats_contrib c WHERE c.participant_id = ANY (p_ps)
		RETURNING c.participant_id, c.tuples
	)
	SELECT d.participant_id, u.kind, u.instrument, u.item, u.value,
		u.rank, u.n, u.s1, u.s2
	FROM d CROSS JOIN LATERAL unnest(d.tuples) u;
END
$$;

-- The current contribution of the given participants
-- (stats_participant_tuples), recorded as folded in stats_contrib (after
-- stats_fold_old) and returned. The settings are stats_fold_apply's.
CREATE OR REPLACE FUNCTION stats_fold_cur(p_ps bigint[])
RETURNS TABLE (participant_id bigint, kind text, instrument text,
	item text, value text, rank int, n bigint, s1 double precision,
	s2 double precision)
LANGUAGE plpgsql
SET work_mem = '64MB' SET jit = off SET enable_mergejoin = off
SET enable_sort = off AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH t AS MATERIALIZED (
		SELECT * FROM stats_participant_tuples(p_ps)
	),
	i AS (
		INSERT INTO stats_contrib (participant_id, event_id, tuples)
		SELECT t.participant_id, min(t.event_id),
			array_agg(ROW(t.kind, t.instrument, t.item, t.value,
				t.rank, t.n, t.s1, t.s2)::stats_tuple)
		FROM t GROUP BY t.participant_id
	)
	SELECT t.participant_id, t.kind, t.instrument, t.item, t.value,
		t.rank, t.n, t.s1, t.s2
	FROM t;
END
$$;

-- Writes what the C folder summed for the participants p_ps of event
-- p_event, whose batch stats_fold_take gave:
--   p_fkey .. p_s2   the sums, one row per element: the event's totals
--                    where p_fkey is NULL (kind 'comment': the comment
--                    counts, by item), a segment's otherwise; rows whose
--                    sums are all 0 left out
--   p_moved          the participants whose segments changed
--   p_mp, p_mk, p_mv their segments now (participant, fkey, fvalue)
-- then the comment groups and the counters (stats_fold_done). Returns the
-- event's change rows left.
CREATE OR REPLACE FUNCTION stats_fold_write(p_event int, p_ps bigint[],
	p_fkey text[], p_fvalue text[], p_kind text[], p_instrument text[],
	p_item text[], p_value text[], p_rank int[], p_n bigint[],
	p_s1 double precision[], p_s2 double precision[], p_moved bigint[],
	p_mp bigint[], p_mk text[], p_mv text[])
RETURNS bigint LANGUAGE plpgsql
SET work_mem = '64MB' SET jit = off SET enable_mergejoin = off
SET enable_sort = off AS $$
BEGIN
	INSERT INTO stats_agg_folded AS s (event_id, kind, instrument, item,
		value, rank, slot, n, s1, s2)
	SELECT p_event, x.k, x.i, x.it, x.v, x.r, 0, x.n, x.s1, x.s2
	FROM unnest(p_fkey, p_kind, p_instrument, p_item, p_value, p_rank,
		p_n, p_s1, p_s2) AS x(f, k, i, it, v, r, n, s1, s2)
	WHERE x.f IS NULL AND x.k <> 'comment'
	ON CONFLICT (event_id, kind, instrument, item, value, rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;

	INSERT INTO comment_count_folded AS c (event_id, item, slot, n)
	SELECT p_event, x.it, 0, sum(x.n)
	FROM unnest(p_fkey, p_kind, p_item, p_n) AS x(f, k, it, n)
	WHERE x.f IS NULL AND x.k = 'comment'
	GROUP BY x.it HAVING sum(x.n) <> 0
	ON CONFLICT (event_id, item, slot) DO UPDATE SET n = c.n + EXCLUDED.n;

	INSERT INTO stats_seg_folded AS s (event_id, fkey, fvalue, kind,
		instrument, item, value, rank, slot, n, s1, s2)
	SELECT p_event, x.f, x.fv, x.k, x.i, x.it, x.v, x.r, 0, x.n, x.s1,
		x.s2
	FROM unnest(p_fkey, p_fvalue, p_kind, p_instrument, p_item, p_value,
		p_rank, p_n, p_s1, p_s2)
		AS x(f, fv, k, i, it, v, r, n, s1, s2)
	WHERE x.f IS NOT NULL
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;

	DELETE FROM stats_member_folded m WHERE m.participant_id = ANY (p_moved);
	INSERT INTO stats_member_folded (participant_id, event_id, fkey, fvalue)
	SELECT x.p, p_event, x.k, x.v
	FROM unnest(p_mp, p_mk, p_mv) AS x(p, k, v);

	PERFORM comment_group_fold(p_event, p_ps);
	RETURN stats_fold_done(p_event, cardinality(p_ps));
END
$$;

-- The folder's lag in milliseconds (age of the oldest change not yet
-- folded, 0 when none) and the pending change rows, of one event or
-- (NULL) of all.
CREATE OR REPLACE FUNCTION enquete_fold_lag(p_event int DEFAULT NULL)
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

