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
--
-- stats.sql's functions are left alone: the new tuples are kept by
-- triggers of their own, fired in the same statements:
--   * answer AFTER INSERT / AFTER DELETE (statement level), named
--     stats_answer_x_* so that they fire after stats_answer_* and before
--     segments.sql's stats_member_* (same event: name order): prer, the rows'
--     pairs with the participant's other response, added or subtracted
--     like stats.sql's pair; quizd, a paired participant whose correct quiz rows
--     changed moves from the rank before the statement (now minus what it
--     added) to the rank now;
--   * response AFTER INSERT: a participant who now has both responses
--     enters quizd at the current rank;
--   * response BEFORE DELETE (erasure): the response's prer pairs and the
--     participant's quizd leave while the rows are still there; the
--     cascaded answer deletions then join no response and count for
--     nothing (as in 004).
-- Each change goes to stats_agg and to the participant's stored segments
-- (stats_member), under stats.sql's advisory lock of (event, slot). When a
-- participant changes segments, segments.sql's stats_member_move moves their whole
-- contribution, which stats_participant_tuples (segments.sql) now
-- includes. enquete_stats_recompute (recompute.sql) gives the same
-- tuples from the raw rows, so enquete_stats_check and enquete_seg_check
-- cover them.

-- Adds n to the tuple (p_kind, '', p_item, '', p_rank) of a participant's

-- Adds n to the tuple (p_kind, '', p_item, '', p_rank) of a participant's
-- slot, in stats_agg and in each stored segment of the participant.
CREATE OR REPLACE FUNCTION stats_bump_x(p_event int, p_participant bigint, p_kind text,
	p_item text, p_rank int, p_n bigint, p_s1 double precision,
	p_s2 double precision)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO stats_agg AS s (event_id, kind, instrument, item, value,
		rank, slot, n, s1, s2)
	VALUES (p_event, p_kind, '', p_item, '', p_rank,
		(p_participant % 16)::smallint, p_n, p_s1, p_s2)
	ON CONFLICT (event_id, kind, instrument, item, value, rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
	INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind, instrument,
		item, value, rank, slot, n, s1, s2)
	SELECT p_event, m.fkey, m.fvalue, p_kind, '', p_item, '', p_rank,
		(p_participant % 16)::smallint, p_n, p_s1, p_s2
	FROM stats_member m WHERE m.participant_id = p_participant
	ORDER BY m.fkey, m.fvalue
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
END
$$;

-- The quiz score difference (post - pre) of a participant with both
-- responses, from the current rows; NULL when not paired. PL/pgSQL, as
-- stats_bump_x, so that the plan is kept per connection (a SQL function
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
		FROM response r WHERE r.participant_id = p_participant) x;
	RETURN v_rank;
END
$$;

-- The prer pairs and quizd moves of answer rows (p_sign 1: inserted, -1:
-- deleted), given as parallel arrays, written in one statement.
-- p_before: the rows are still stored (a response being deleted, whose
-- quizd its own trigger takes out) rather than already inserted or
-- deleted.
CREATE OR REPLACE FUNCTION stats_delta_x(p_sign int, p_before boolean, p_resp bigint[],
	p_item text[], p_value text[], p_num double precision[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_lock(k.event_id, k.participant_id)
	FROM (SELECT DISTINCT r.event_id, r.participant_id,
			r.participant_id % 16 AS slot
		FROM response r WHERE r.id = ANY (p_resp)) k
	ORDER BY k.event_id, k.slot;

	WITH u AS (
		SELECT u.item, u.value, u.num, r.event_id, r.participant_id,
			r.instrument, m.role, m.correct, m.personal
		FROM unnest(p_resp, p_item, p_value, p_num)
			AS u(response_id, item, value, num)
		JOIN response r ON r.id = u.response_id
		JOIN stats_item m ON m.definition_id = r.definition_id
			AND m.instrument = r.instrument AND m.item = u.item
		WHERE NOT m.personal
	),
	-- prer: each row of a pre knowledge item or of a post .retro
	-- rating with its counterpart in the participant's other response
	a AS (
		SELECT * FROM u WHERE (u.instrument = 'pre'
				AND u.role = 'knowledge')
			OR (u.instrument = 'post' AND u.role = 'retro')
	),
	pr AS (
		SELECT a.event_id, a.participant_id, 'prer' AS kind,
			CASE WHEN a.instrument = 'pre' THEN a.item
				ELSE ob.item END AS item,
			CASE WHEN a.instrument = 'pre' THEN a.num
				ELSE ob.num END AS pre,
			CASE WHEN a.instrument = 'pre' THEN ob.num
				ELSE a.num END AS retro
		FROM a
		JOIN response o ON o.participant_id = a.participant_id
			AND o.instrument <> a.instrument
		JOIN answer ob ON ob.response_id = o.id
			AND ob.item = CASE WHEN a.instrument = 'pre'
				THEN a.item || '.retro'
				ELSE left(a.item, -length('.retro')) END
		JOIN stats_item om ON om.definition_id = o.definition_id
			AND om.instrument = o.instrument AND om.item = ob.item
		WHERE NOT om.personal AND om.role = CASE
			WHEN a.instrument = 'pre' THEN 'retro'
			ELSE 'knowledge' END
	),
	-- quizd: paired participants whose correct quiz rows changed, from
	-- the rank before the statement to the rank now
	d AS (
		SELECT u.event_id, u.participant_id,
			p_sign * (count(*) FILTER (WHERE u.instrument = 'post')
				- count(*) FILTER (WHERE u.instrument = 'pre'))
				AS delta
		FROM u WHERE NOT p_before AND u.role = 'quiz'
			AND u.value = u.correct
		GROUP BY 1, 2
	),
	q AS (
		SELECT d.*, stats_quizd_rank(d.participant_id) AS now
		FROM d WHERE d.delta <> 0
	),
	t AS (
		SELECT event_id, participant_id, kind::text, item,
			(retro - pre)::int AS rank, p_sign AS n,
			p_sign * pre AS s1, p_sign * retro AS s2
		FROM pr
		UNION ALL
		SELECT event_id, participant_id, 'quizd', '',
			(now - delta)::int, -1, 0, 0
		FROM q WHERE now IS NOT NULL
		UNION ALL
		SELECT event_id, participant_id, 'quizd', '', now, 1, 0, 0
		FROM q WHERE now IS NOT NULL
	),
	g AS MATERIALIZED (
		SELECT event_id, participant_id, kind, item, rank, sum(n) AS n,
			sum(s1) AS s1, sum(s2) AS s2
		FROM t GROUP BY 1, 2, 3, 4, 5
	),
	whole AS (
		INSERT INTO stats_agg AS s (event_id, kind, instrument, item,
			value, rank, slot, n, s1, s2)
		SELECT event_id, kind, '', item, '', rank,
			(participant_id % 16)::smallint, sum(n), sum(s1), sum(s2)
		FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
		ON CONFLICT (event_id, kind, instrument, item, value, rank,
			slot)
		DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
			s2 = s.s2 + EXCLUDED.s2
	)
	INSERT INTO stats_seg AS s (event_id, fkey, fvalue, kind, instrument,
		item, value, rank, slot, n, s1, s2)
	SELECT g.event_id, m.fkey, m.fvalue, g.kind, '', g.item, '', g.rank,
		(g.participant_id % 16)::smallint, sum(g.n), sum(g.s1),
		sum(g.s2)
	FROM g JOIN stats_member m ON m.participant_id = g.participant_id
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
	ON CONFLICT (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
	DO UPDATE SET n = s.n + EXCLUDED.n, s1 = s.s1 + EXCLUDED.s1,
		s2 = s.s2 + EXCLUDED.s2;
END
$$;

CREATE OR REPLACE FUNCTION stats_x_answer_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_delta_x(1, false, array_agg(response_id),
		array_agg(item), array_agg(value), array_agg(num))
	FROM new_rows;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_x_answer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_delta_x(-1, false, array_agg(response_id),
		array_agg(item), array_agg(value), array_agg(num))
	FROM old_rows;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER stats_answer_x_ins AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_x_answer_ins();

CREATE OR REPLACE TRIGGER stats_answer_x_del AFTER DELETE ON answer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_x_answer_del();

CREATE OR REPLACE FUNCTION stats_x_response_ins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_rank int;
BEGIN
	-- paired only now: the other response exists (usually not)
	IF NOT EXISTS (SELECT 1 FROM response WHERE
			participant_id = NEW.participant_id
			AND instrument <> NEW.instrument) THEN
		RETURN NULL;
	END IF;
	PERFORM stats_lock(NEW.event_id, NEW.participant_id);
	v_rank := stats_quizd_rank(NEW.participant_id);
	IF v_rank IS NOT NULL THEN
		PERFORM stats_bump_x(NEW.event_id, NEW.participant_id, 'quizd',
			'', v_rank, 1, 0, 0);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_x_response_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v_rank int;
BEGIN
	-- the whole event is being deleted: its statistics go with it
	IF NOT EXISTS (SELECT 1 FROM event WHERE id = OLD.event_id) THEN
		RETURN OLD;
	END IF;
	PERFORM stats_lock(OLD.event_id, OLD.participant_id);
	PERFORM stats_delta_x(-1, true, array_agg(response_id),
		array_agg(item), array_agg(value), array_agg(num))
	FROM answer WHERE response_id = OLD.id;
	v_rank := stats_quizd_rank(OLD.participant_id);
	IF v_rank IS NOT NULL THEN
		PERFORM stats_bump_x(OLD.event_id, OLD.participant_id, 'quizd',
			'', v_rank, -1, 0, 0);
	END IF;
	RETURN OLD;
END
$$;

CREATE OR REPLACE TRIGGER stats_x_response_ins AFTER INSERT ON response
	FOR EACH ROW EXECUTE FUNCTION stats_x_response_ins();

CREATE OR REPLACE TRIGGER stats_x_response_del BEFORE DELETE ON response
	FOR EACH ROW EXECUTE FUNCTION stats_x_response_del();

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
			count(*) OVER w = 2 AS paired,
			max(r.id) FILTER (WHERE r.instrument = 'post')
				OVER w AS post_id,
			max(r.definition_id)
				FILTER (WHERE r.instrument = 'post')
				OVER w AS post_def
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
	FROM sc p GROUP BY 1, 2;
END
$$;
