-- stats.sql: the sufficient statistics behind the summary (stats_agg),
-- kept up to date by triggers in the transaction of every submission,
-- update and erasure. Tables: schema/004_stats.sql (stats_item, stats_agg),
-- 006 (storage). The recomputation from the raw rows: recompute.sql; the
-- same per profile answer: segments.sql; the prer/quizd kinds:
-- stats_change.sql.
--
-- Everything the summary needs is a tuple (kind, instrument, item, value,
-- rank) -> (n, s1, s2):
--   resp    instrument pre|post: n responses; instrument 'paired': n
--           participants who answered both
--   value   per instrument, item, value (and rank for a ranking): n rows,
--           s1 = sum(num), s2 = sum(num^2) (numeric items)
--   itemn   per instrument and item: n responses with at least one row
--           (multi: respondents; rank: participants who ranked anything)
--   pair    knowledge item, rank = post - pre: n pairs, s1 = sum(pre),
--           s2 = sum(post)
--   retro   knowledge item, rank = post - retro: n, s1 = sum(retro),
--           s2 = sum(post) (both from the same post response)
--   quiz    quiz item, rank = 2 * pre_correct + post_correct: n pairs,
--           s1 = pre correct, s2 = post correct
--   quizsum n paired participants, s1/s2 = sums of their pre/post scores
--           (score = number of correct quiz answers of a response)
--
-- stats_agg holds them split over 16 slots (participant id % 16) so that
-- concurrent submissions of different participants rarely wait on the same
-- rows; readers sum the slots (a few hundred rows per event whatever the
-- number of participants). Each change takes a transaction-scoped advisory
-- lock on (event, slot) first, so that writers of one slot queue instead of
-- deadlocking on rows taken in different orders.
--
-- Maintenance (see the triggers at the end):
--   * answer AFTER INSERT / AFTER DELETE (statement level, transition
--     tables): the rows' contribution, including the pairs they form with
--     the participant's other response, added or subtracted. enquete_submit
--     updates by deleting and re-inserting rows, so updates need nothing
--     else.
--   * response AFTER INSERT: response count, and when the participant now
--     has both responses, paired + 1 and the other response's quiz score.
--   * response BEFORE DELETE (erasure cascades participant -> response ->
--     answer): subtracts the whole response while its answer rows and the
--     other response still exist; the answer rows deleted by the cascade
--     afterwards no longer join a response and count for nothing.

-- The advisory lock key of an (event, slot); the two-int4 form does not
-- share keys with enquete_submit's bigint locks.
CREATE OR REPLACE FUNCTION stats_lock(p_event int, p_participant bigint)
RETURNS void LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(p_event,
		1937047552 + (p_participant % 16)::int)
$$;

-- Adds to a tuple of a participant's slot, in stats_agg and in each of the
-- participant's stored segments (segments.sql).
CREATE OR REPLACE FUNCTION stats_bump(p_event int, p_kind text,
	p_instrument text, p_participant bigint, p_n bigint,
	p_s1 double precision, p_s2 double precision)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO stats_agg AS s (event_id, kind, instrument, item, value,
		rank, slot, n, s1, s2)
	VALUES (p_event, p_kind, p_instrument, '', '', 0,
		(p_participant % 16)::smallint, p_n, p_s1, p_s2)
	ON CONFLICT (event_id, kind, instrument, item, value, rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
	INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind, instrument,
		item, value, rank, slot, n, s1, s2)
	SELECT p_event, m.fkey, m.fvalue, p_kind, p_instrument, '', '', 0,
		(p_participant % 16)::smallint, p_n, p_s1, p_s2
	FROM stats_member m WHERE m.participant_id = p_participant
	ORDER BY m.fkey, m.fvalue
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
$$;

-- Score of one response: its correct quiz answers.
CREATE OR REPLACE FUNCTION stats_score(p_response bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT count(*) FROM answer a
	JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE a.response_id = p_response AND m.role = 'quiz'
		AND a.value = m.correct
$$;

-- Adds (p_sign = 1) or subtracts (-1) the contribution of answer rows
-- given as parallel arrays, to stats_agg and, grouped by participant, to
-- the participant's stored segments. Rows whose response no longer exists
-- count for nothing (see the header).
CREATE OR REPLACE FUNCTION stats_delta(p_sign int, p_resp bigint[],
	p_item text[], p_value text[], p_num double precision[],
	p_rank smallint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_lock(k.event_id, k.participant_id)
	FROM (SELECT DISTINCT r.event_id, r.participant_id,
			r.participant_id % 16 AS slot
		FROM response r WHERE r.id = ANY (p_resp)) k
	ORDER BY k.event_id, k.slot;

	WITH a AS (
		SELECT u.response_id, u.item, u.value, u.num, u.rank,
			r.event_id, r.participant_id, r.instrument,
			(r.participant_id % 16)::smallint AS slot,
			m.role, m.correct
		FROM unnest(p_resp, p_item, p_value, p_num, p_rank)
			AS u(response_id, item, value, num, rank)
		JOIN response r ON r.id = u.response_id
		JOIN stats_item m ON m.definition_id = r.definition_id
			AND m.instrument = r.instrument AND m.item = u.item
		WHERE NOT m.personal
			AND m.type NOT IN ('text', 'longtext', 'other')
	),
	b AS (
		SELECT a.*, ob.num AS onum, ob.value AS ovalue,
			om.correct AS ocorrect
		FROM a
		JOIN response o ON o.participant_id = a.participant_id
			AND o.instrument <> a.instrument
		JOIN answer ob ON ob.response_id = o.id AND ob.item = a.item
		JOIN stats_item om ON om.definition_id = o.definition_id
			AND om.instrument = o.instrument AND om.item = ob.item
		WHERE a.role IN ('knowledge', 'quiz')
	),
	k AS (
		SELECT event_id, participant_id, item, slot, role,
			CASE WHEN instrument = 'pre' THEN num ELSE onum END
				AS pre,
			CASE WHEN instrument = 'pre' THEN onum ELSE num END
				AS post,
			CASE WHEN instrument = 'pre' THEN value = correct
				ELSE ovalue = ocorrect END AS pre_ok,
			CASE WHEN instrument = 'pre' THEN ovalue = ocorrect
				ELSE value = correct END AS post_ok
		FROM b
	),
	c AS (
		SELECT event_id, participant_id, 'value' AS kind, instrument,
			item, value, coalesce(rank, 0)::int AS rank, slot,
			count(*) AS n, coalesce(sum(num), 0) AS s1,
			coalesce(sum(num * num), 0) AS s2
		FROM a GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		UNION ALL
		SELECT event_id, participant_id, 'itemn', instrument, item, '',
			0, slot, count(DISTINCT response_id), 0, 0
		FROM a GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		UNION ALL
		SELECT event_id, participant_id, 'pair', '', item, '',
			(post - pre)::int, slot, count(*), sum(pre), sum(post)
		FROM k WHERE role = 'knowledge'
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		UNION ALL
		SELECT event_id, participant_id, 'quiz', '', item, '',
			2 * pre_ok::int + post_ok::int, slot, count(*),
			sum(pre_ok::int), sum(post_ok::int)
		FROM k WHERE role = 'quiz' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		UNION ALL
		SELECT x.event_id, x.participant_id, 'retro', '', x.item, '',
			(x.num - y.num)::int, x.slot, count(*), sum(y.num),
			sum(x.num)
		FROM a x JOIN a y ON y.response_id = x.response_id
			AND y.item = x.item || '.retro'
		WHERE x.role = 'knowledge' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		UNION ALL
		SELECT event_id, participant_id, 'quizsum', '', '', '', 0,
			slot, 0, sum((instrument = 'pre')::int),
			sum((instrument = 'post')::int)
		FROM a
		WHERE role = 'quiz' AND value = correct AND EXISTS (
			SELECT 1 FROM response o
			WHERE o.participant_id = a.participant_id
				AND o.instrument <> a.instrument)
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
	),
	g AS MATERIALIZED (
		SELECT event_id, participant_id, kind, instrument, item, value,
			rank, slot, p_sign * sum(n) AS n, p_sign * sum(s1) AS s1,
			p_sign * sum(s2) AS s2
		FROM c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
	),
	whole AS (
		INSERT INTO stats_agg AS s (event_id, kind, instrument, item,
			value, rank, slot, n, s1, s2)
		SELECT event_id, kind, instrument, item, value, rank, slot,
			sum(n), sum(s1), sum(s2)
		FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
		ON CONFLICT (event_id, kind, instrument, item, value, rank,
			slot)
		DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
			s2 = s.s2 + EXCLUDED.s2
	)
	INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind, instrument,
		item, value, rank, slot, n, s1, s2)
	SELECT g.event_id, m.fkey, m.fvalue, g.kind, g.instrument, g.item,
		g.value, g.rank, g.slot, sum(g.n), sum(g.s1), sum(g.s2)
	FROM g JOIN stats_member m ON m.participant_id = g.participant_id
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
END
$$;

CREATE OR REPLACE FUNCTION stats_answer_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_delta(1, array_agg(response_id), array_agg(item),
		array_agg(value), array_agg(num), array_agg(rank))
	FROM new_rows;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_answer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_delta(-1, array_agg(response_id), array_agg(item),
		array_agg(value), array_agg(num), array_agg(rank))
	FROM old_rows;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER stats_answer_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_answer_ins();

CREATE OR REPLACE TRIGGER stats_answer_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_answer_del();

CREATE OR REPLACE FUNCTION stats_response_ins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_other response%ROWTYPE;
	v_mine bigint;
	v_theirs bigint;
BEGIN
	PERFORM stats_lock(NEW.event_id, NEW.participant_id);
	PERFORM stats_bump(NEW.event_id, 'resp', NEW.instrument,
		NEW.participant_id, 1, 0, 0);
	SELECT * INTO v_other FROM response
		WHERE participant_id = NEW.participant_id
		AND instrument <> NEW.instrument;
	IF FOUND THEN
		PERFORM stats_bump(NEW.event_id, 'resp', 'paired',
			NEW.participant_id, 1, 0, 0);
		v_mine := stats_score(NEW.id);
		v_theirs := stats_score(v_other.id);
		PERFORM stats_bump(NEW.event_id, 'quizsum', '',
			NEW.participant_id, 1,
			CASE WHEN NEW.instrument = 'pre' THEN v_mine
				ELSE v_theirs END,
			CASE WHEN NEW.instrument = 'pre' THEN v_theirs
				ELSE v_mine END);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_response_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_other response%ROWTYPE;
	v_theirs bigint;
BEGIN
	-- the whole event is being deleted: its statistics go with it
	IF NOT EXISTS (SELECT 1 FROM event WHERE id = OLD.event_id) THEN
		RETURN OLD;
	END IF;
	PERFORM stats_lock(OLD.event_id, OLD.participant_id);
	PERFORM stats_delta(-1, array_agg(response_id), array_agg(item),
		array_agg(value), array_agg(num), array_agg(rank))
	FROM answer WHERE response_id = OLD.id;
	PERFORM stats_bump(OLD.event_id, 'resp', OLD.instrument,
		OLD.participant_id, -1, 0, 0);
	SELECT * INTO v_other FROM response
		WHERE participant_id = OLD.participant_id
		AND instrument <> OLD.instrument;
	IF FOUND THEN
		PERFORM stats_bump(OLD.event_id, 'resp', 'paired',
			OLD.participant_id, -1, 0, 0);
		v_theirs := stats_score(v_other.id);
		PERFORM stats_bump(OLD.event_id, 'quizsum', '',
			OLD.participant_id, -1,
			CASE WHEN OLD.instrument = 'pre' THEN 0
				ELSE -v_theirs END,
			CASE WHEN OLD.instrument = 'pre' THEN -v_theirs
				ELSE 0 END);
	END IF;
	RETURN OLD;
END
$$;

CREATE OR REPLACE TRIGGER stats_response_ins AFTER INSERT ON response
	FOR EACH ROW EXECUTE FUNCTION stats_response_ins();

CREATE OR REPLACE TRIGGER stats_response_del BEFORE DELETE ON response
	FOR EACH ROW EXECUTE FUNCTION stats_response_del();

-- The incremental aggregates of an event, slots summed.
CREATE OR REPLACE FUNCTION enquete_stats(p_event int)
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE sql STABLE AS $$
	SELECT s.kind, s.instrument, s.item, s.value, s.rank,
		sum(s.n)::bigint, sum(s.s1), sum(s.s2)
	FROM stats_agg s WHERE s.event_id = p_event
	GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0
$$;
