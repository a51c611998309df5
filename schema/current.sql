--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: comment_gkey; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.comment_gkey AS (
	item text,
	lang text,
	vkey bytea
);

--
-- Name: comment_group_cur_row; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.comment_group_cur_row AS (
	participant_id bigint,
	event_id integer,
	item text,
	lang text,
	vkey bytea,
	value text
);

--
-- Name: comment_group_delta_row; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.comment_group_delta_row AS (
	event_id integer,
	item text,
	lang text,
	vkey bytea,
	value text,
	dn bigint
);

--
-- Name: stats_fold_member; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.stats_fold_member AS (
	participant_id bigint,
	event_id integer,
	cur boolean,
	fkey text,
	fvalue text
);

--
-- Name: stats_fold_row; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.stats_fold_row AS (
	participant_id bigint,
	event_id integer,
	cur boolean,
	kind text,
	instrument text,
	item text,
	value text,
	rank integer,
	n bigint,
	s1 double precision,
	s2 double precision
);

--
-- Name: stats_tuple; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.stats_tuple AS (
	kind text,
	instrument text,
	item text,
	value text,
	rank integer,
	n bigint,
	s1 double precision,
	s2 double precision
);

--
-- Name: comment_answer_del(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_answer_del() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: comment_answer_ins(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_answer_ins() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: comment_group_all(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_all(p_event integer) RETURNS TABLE(item text, lang text, vkey bytea, value text, n bigint)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: comment_group_cur(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_cur(p_participants bigint[]) RETURNS SETOF public.comment_group_cur_row
    LANGUAGE sql STABLE
    AS $$
	SELECT r.participant_id, c.event_id, c.item, r.lang,
		comment_group_vkey(c.value), c.value
	FROM unnest(p_participants) AS u(id)
	CROSS JOIN LATERAL (SELECT r.id, r.participant_id, r.lang
		FROM response r WHERE r.participant_id = u.id OFFSET 0) r
	CROSS JOIN LATERAL (SELECT c.event_id, c.item, c.value
		FROM comment c WHERE c.response_id = r.id OFFSET 0) c
$$;

--
-- Name: comment_group_delta(bigint[], public.comment_group_cur_row[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_delta(p_participants bigint[], p_cur public.comment_group_cur_row[]) RETURNS SETOF public.comment_group_delta_row
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: comment_group_fold(integer, bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_fold(p_event integer, p_ps bigint[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: comment_group_pending(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_pending(p_event integer) RETURNS SETOF public.comment_group_delta_row
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: comment_group_vkey(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.comment_group_vkey(p_value text) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$SELECT sha256(convert_to(p_value, 'UTF8'))$$;

--
-- Name: contact_fill(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.contact_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	SELECT r.event_id, r.submitted_at INTO NEW.event_id, NEW.submitted_at
		FROM response r WHERE r.id = NEW.response_id;
	RETURN NEW;
END
$$;

--
-- Name: enquete_comment_groups(integer, jsonb, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_comment_groups(p_event integer, p_items jsonb, p_cap integer) RETURNS TABLE(item text, value text, lang text, n bigint, total bigint)
    LANGUAGE plpgsql STABLE
    SET enable_sort TO 'off'
    AS $$
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

--
-- Name: enquete_comments_check(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_comments_check(p_event integer) RETURNS TABLE(what text, response_id bigint, item text, expected bigint, actual bigint)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: enquete_comments_filtered(integer, jsonb, jsonb, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_comments_filtered(p_event integer, p_items jsonb, p_filter jsonb, p_walk boolean DEFAULT NULL::boolean) RETURNS TABLE(instrument text, item text, value text, total bigint)
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    AS $$
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

--
-- Name: enquete_console_store(text, boolean, jsonb, text, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_console_store(p_slug text, p_create boolean, p_body jsonb, p_digest text, p_items jsonb, p_windows jsonb) RETURNS TABLE(outcome text, version integer)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_event int;
	v_def int;
	v_version int;
BEGIN
	IF p_create THEN
		INSERT INTO event (slug) VALUES (p_slug)
			ON CONFLICT (slug) DO NOTHING RETURNING id INTO v_event;
		IF v_event IS NULL THEN
			RETURN QUERY SELECT 'taken'::text, 0;
			RETURN;
		END IF;
	ELSE
		SELECT e.id INTO v_event FROM event e WHERE e.slug = p_slug
			FOR UPDATE;
		IF v_event IS NULL THEN
			RETURN QUERY SELECT 'missing'::text, 0;
			RETURN;
		END IF;
		IF EXISTS (SELECT 1 FROM event e JOIN definition d
				ON d.id = e.definition_id WHERE e.id = v_event
				AND d.digest = p_digest) THEN
			RETURN QUERY SELECT 'unchanged'::text, 0;
			RETURN;
		END IF;
	END IF;
	SELECT coalesce(max(d.version), 0) + 1 INTO v_version
		FROM definition d WHERE d.event_id = v_event;
	INSERT INTO definition (event_id, version, body, digest)
		VALUES (v_event, v_version, p_body, p_digest)
		RETURNING id INTO v_def;
	INSERT INTO stats_item (definition_id, instrument, item, pos, type,
			role, correct, personal)
		SELECT v_def, i.instrument, i.item, i.pos, i.type, i.role,
			i.correct, i.personal
		FROM jsonb_to_recordset(p_items) AS i(instrument text,
			item text, pos int, type text, role text, correct text,
			personal boolean)
		ON CONFLICT DO NOTHING;
	UPDATE event SET definition_id = v_def WHERE id = v_event;
	INSERT INTO instrument_window (event_id, instrument, opens_at, closes_at)
		SELECT v_event, w.instrument, w.opens::timestamptz,
			w.closes::timestamptz
		FROM jsonb_to_recordset(p_windows) AS w(instrument text,
			opens text, closes text)
		ON CONFLICT (event_id, instrument) DO UPDATE
		SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at;
	RETURN QUERY SELECT 'stored'::text, v_version;
END
$$;

--
-- Name: enquete_console_time(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_console_time(p_at text, p_tz text) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $_$
	SELECT CASE WHEN p_at IS NULL THEN NULL
		WHEN p_at ~ '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$'
			THEN p_at::timestamptz
		ELSE p_at::timestamp AT TIME ZONE p_tz END
$_$;

--
-- Name: enquete_event_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_event_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM pg_notify('enquete_event', '');
	RETURN NULL;
END
$$;

--
-- Name: enquete_fold(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_fold(p_limit integer DEFAULT 500) RETURNS TABLE(event_id integer, participants integer, remaining bigint)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
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

--
-- Name: enquete_fold_lag(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_fold_lag(p_event integer DEFAULT NULL::integer) RETURNS TABLE(lag_ms bigint, pending bigint)
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: enquete_group_sizes(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_group_sizes(p_event integer, p_filter jsonb) RETURNS TABLE(fkey text, fvalue text, n bigint)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_total bigint;
	v_key text;
	v_rest jsonb;
	v_nrest int;
BEGIN
	-- participants: pre + post - paired + those with a follow-up alone
	SELECT coalesce(sum(s.n) FILTER (WHERE s.instrument IN ('pre', 'post',
			'fonly')), 0)
		- coalesce(sum(s.n) FILTER (WHERE s.instrument = 'paired'), 0)
		INTO v_total
	FROM stats_agg s WHERE s.event_id = p_event AND s.kind = 'resp';
	RETURN QUERY SELECT ''::text, ''::text, v_total;
	FOR v_key IN SELECT k FROM jsonb_object_keys(p_filter) k ORDER BY k
	LOOP
		v_rest := p_filter - v_key;
		SELECT count(*) INTO v_nrest FROM jsonb_object_keys(v_rest);
		IF v_nrest = 0 AND stats_seg_usable(p_event, v_key) THEN
			RETURN QUERY SELECT v_key, NULL::text, v_total;
			RETURN QUERY
			SELECT v_key, s.fvalue,
				(coalesce(sum(s.n) FILTER
					(WHERE s.instrument IN ('pre', 'post',
					'fonly')), 0)
				- coalesce(sum(s.n) FILTER
					(WHERE s.instrument = 'paired'), 0))::bigint
			FROM stats_seg s
			WHERE s.event_id = p_event AND s.fkey = v_key
				AND s.kind = 'resp'
			GROUP BY s.fvalue;
			CONTINUE;
		END IF;
		RETURN QUERY
		WITH sel AS MATERIALIZED (
			SELECT r.participant_id FROM response r
			WHERE r.event_id = p_event AND v_nrest = 0
			UNION
			SELECT r.participant_id
			FROM jsonb_each_text(v_rest) f
			JOIN answer a ON a.item = f.key AND a.value = f.value
			JOIN response r ON r.id = a.response_id
				AND r.event_id = p_event
			WHERE v_nrest > 0
			GROUP BY r.participant_id
			HAVING count(DISTINCT f.key) = v_nrest
		)
		SELECT v_key, NULL::text, count(*) FROM sel
		UNION ALL
		SELECT v_key, a.value, count(DISTINCT r.participant_id)
		FROM sel JOIN response r ON r.participant_id = sel.participant_id
		JOIN answer a ON a.response_id = r.id AND a.item = v_key
		GROUP BY a.value;
	END LOOP;
END
$$;

--
-- Name: enquete_login_take(text, text, integer, integer, integer, integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_login_take(p_account text, p_client text, p_client_max integer, p_window integer, p_free integer, p_base integer, p_cap integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_wait int;
	v_failures int;
	v_next timestamptz;
	v_delay int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('login:' || p_account, 0));
	PERFORM pg_advisory_xact_lock(hashtextextended('rate:' || p_client, 0));
	SELECT failures, next_at INTO v_failures, v_next FROM login_backoff
		WHERE key = p_account AND expires_at > clock_timestamp();
	IF v_next IS NOT NULL AND v_next > clock_timestamp() THEN
		RETURN greatest(1, ceil(extract(epoch FROM
			v_next - clock_timestamp())))::int;
	END IF;
	v_wait := enquete_rate_wait(p_client, p_client_max, p_window);
	IF v_wait > 0 THEN
		RETURN v_wait;
	END IF;
	INSERT INTO rate_event (key, at, expires_at) VALUES (p_client,
		clock_timestamp(),
		clock_timestamp() + make_interval(secs => p_window));
	v_failures := coalesce(v_failures, 0) + 1;
	v_delay := CASE WHEN v_failures < p_free THEN 0
		ELSE least(p_cap::numeric, p_base * power(2::numeric,
			least(v_failures - p_free, 30)))::int
		END;
	INSERT INTO login_backoff (key, failures, next_at, expires_at)
	VALUES (p_account, v_failures,
		clock_timestamp() + make_interval(secs => v_delay),
		clock_timestamp() + make_interval(secs => v_delay + p_window))
	ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures,
		next_at = EXCLUDED.next_at, expires_at = EXCLUDED.expires_at;
	PERFORM enquete_rate_gc();
	RETURN 0;
END $$;

--
-- Name: enquete_paper_batch(integer, text, text[], integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_paper_batch(p_event integer, p_key text, p_codes text[], p_user integer) RETURNS TABLE(batch integer, created boolean)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_batch int;
	v_n int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
		'paper_batch:' || p_event || ':' || p_key, 0));
	SELECT id INTO v_batch FROM paper_batch
		WHERE event_id = p_event AND key = p_key;
	IF FOUND THEN
		RETURN QUERY SELECT v_batch, false;
		RETURN;
	END IF;
	INSERT INTO paper_batch (event_id, key, created_by)
		VALUES (p_event, p_key, p_user) RETURNING id INTO v_batch;
	WITH ins AS (
		INSERT INTO participant (event_id, code, preissued)
		SELECT p_event, c, true FROM unnest(p_codes) AS c
		ON CONFLICT (event_id, code) DO NOTHING
		RETURNING id, code
	)
	INSERT INTO paper_batch_code (batch_id, pos, participant_id)
		SELECT v_batch, array_position(p_codes, ins.code), ins.id
		FROM ins;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n <> cardinality(p_codes) THEN
		RAISE EXCEPTION 'a drawn code is taken' USING ERRCODE = '23505';
	END IF;
	RETURN QUERY SELECT v_batch, true;
END
$$;

--
-- Name: enquete_paper_enter(integer, text, text, integer, integer, text, text, text, jsonb, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_paper_enter(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) RETURNS TABLE(outcome text, code text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_state text;
	v_first paper_entry%ROWTYPE;
	v_n int;
	v_out text;
	v_code text;
	v_resp bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
		'paper_sheet:' || p_event || ':' || p_instrument || ':' ||
		p_sheet, 0));
	SELECT state INTO v_state FROM paper_sheet WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet;
	IF v_state IN ('agreed', 'resolved') THEN
		RETURN QUERY SELECT 'done'::text, NULL::text;
		RETURN;
	ELSIF v_state = 'conflict' THEN
		RETURN QUERY SELECT 'open'::text, NULL::text;
		RETURN;
	END IF;
	SELECT count(*) INTO v_n FROM paper_entry WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet;
	IF v_n = 0 THEN
		IF p_code IS NOT NULL THEN
			IF NOT EXISTS (SELECT 1 FROM participant p WHERE
				p.event_id = p_event AND p.code = p_code) THEN
				RETURN QUERY SELECT 'unknown_code'::text,
					NULL::text;
				RETURN;
			END IF;
			IF EXISTS (SELECT 1 FROM participant p JOIN response r
				ON r.participant_id = p.id WHERE
				p.event_id = p_event AND p.code = p_code AND
				r.instrument = p_instrument) THEN
				RETURN QUERY SELECT 'conflict'::text, NULL::text;
				RETURN;
			END IF;
		END IF;
		INSERT INTO paper_entry (event_id, instrument, sheet, pass,
			entered_by, definition_id, lang, code, answers, rows,
			contacts) VALUES (p_event, p_instrument, p_sheet, 1,
			p_user, p_definition, p_lang, p_code, p_answers, p_rows,
			p_contacts);
		INSERT INTO paper_sheet (event_id, instrument, sheet, state)
			VALUES (p_event, p_instrument, p_sheet, 'pending')
			ON CONFLICT (event_id, instrument, sheet) DO UPDATE
			SET state = 'pending', updated_at = now();
		RETURN QUERY SELECT 'pending'::text, NULL::text;
		RETURN;
	END IF;
	SELECT * INTO v_first FROM paper_entry WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet AND pass = 1;
	IF v_first.entered_by IS NOT DISTINCT FROM p_user THEN
		RETURN QUERY SELECT 'same_operator'::text, NULL::text;
		RETURN;
	END IF;
	IF v_first.answers = p_answers AND v_first.lang = p_lang THEN
		SELECT s.outcome, s.code, s.response INTO v_out, v_code, v_resp
			FROM enquete_paper_submit(p_event, p_instrument,
			p_definition, p_code, p_new_code, p_lang, p_answers,
			p_rows, p_contacts, p_user) s;
		IF v_out <> 'stored' THEN
			RETURN QUERY SELECT v_out, NULL::text;
			RETURN;
		END IF;
	END IF;
	IF v_resp IS NULL THEN
		INSERT INTO paper_entry (event_id, instrument, sheet, pass,
			entered_by, definition_id, lang, code, answers, rows,
			contacts) VALUES (p_event, p_instrument, p_sheet, 2,
			p_user, p_definition, p_lang, p_code, p_answers, p_rows,
			p_contacts);
	ELSE
		-- stored: the response holds the answers now (and erasure
		-- reaches them there); the entries are not kept
		DELETE FROM paper_entry WHERE event_id = p_event
			AND instrument = p_instrument AND sheet = p_sheet;
	END IF;
	UPDATE paper_sheet SET state = CASE WHEN v_resp IS NULL
		THEN 'conflict' ELSE 'agreed' END, response_id = v_resp,
		updated_at = now() WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet;
	RETURN QUERY SELECT (CASE WHEN v_resp IS NULL THEN 'differs'
		ELSE 'agreed' END)::text, v_code;
END
$$;

--
-- Name: enquete_paper_resolve(integer, text, text, integer, integer, text, text, text, jsonb, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_paper_resolve(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) RETURNS TABLE(outcome text, code text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_out text;
	v_code text;
	v_resp bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
		'paper_sheet:' || p_event || ':' || p_instrument || ':' ||
		p_sheet, 0));
	IF NOT EXISTS (SELECT 1 FROM paper_sheet WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet
		AND state = 'conflict') THEN
		RETURN QUERY SELECT 'none'::text, NULL::text;
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM paper_entry WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet
		AND entered_by IS NOT DISTINCT FROM p_user) THEN
		RETURN QUERY SELECT 'same_operator'::text, NULL::text;
		RETURN;
	END IF;
	SELECT s.outcome, s.code, s.response INTO v_out, v_code, v_resp
		FROM enquete_paper_submit(p_event, p_instrument, p_definition,
		p_code, p_new_code, p_lang, p_answers, p_rows, p_contacts,
		p_user) s;
	IF v_out <> 'stored' THEN
		RETURN QUERY SELECT v_out, NULL::text;
		RETURN;
	END IF;
	UPDATE paper_sheet SET state = 'resolved', response_id = v_resp,
		resolved_by = p_user, updated_at = now()
		WHERE event_id = p_event AND instrument = p_instrument
		AND sheet = p_sheet;
	DELETE FROM paper_entry WHERE event_id = p_event
		AND instrument = p_instrument AND sheet = p_sheet;
	RETURN QUERY SELECT 'resolved'::text, v_code;
END
$$;

--
-- Name: enquete_paper_submit(integer, text, integer, text, text, text, jsonb, jsonb, jsonb, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_paper_submit(p_event integer, p_instrument text, p_definition integer, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_user integer) RETURNS TABLE(outcome text, code text, response bigint)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_participant bigint;
	v_code text;
	v_response bigint;
BEGIN
	IF p_code IS NOT NULL THEN
		SELECT id, participant.code INTO v_participant, v_code
			FROM participant WHERE event_id = p_event
			AND participant.code = p_code FOR UPDATE;
		IF NOT FOUND THEN
			RETURN QUERY SELECT 'unknown_code'::text, NULL::text,
				NULL::bigint;
			RETURN;
		END IF;
		IF EXISTS (SELECT 1 FROM response WHERE participant_id =
			v_participant AND instrument = p_instrument) THEN
			RETURN QUERY SELECT 'conflict'::text, v_code,
				NULL::bigint;
			RETURN;
		END IF;
	ELSE
		INSERT INTO participant (event_id, code)
			VALUES (p_event, p_new_code)
			ON CONFLICT DO NOTHING
			RETURNING id, participant.code INTO v_participant, v_code;
		IF v_participant IS NULL THEN
			RETURN QUERY SELECT 'code_taken'::text, NULL::text,
				NULL::bigint;
			RETURN;
		END IF;
	END IF;
	INSERT INTO response (participant_id, event_id, instrument,
		definition_id, lang, answers, source, entered_by)
		VALUES (v_participant, p_event, p_instrument, p_definition,
		p_lang, p_answers, 'paper', p_user)
		RETURNING id INTO v_response;
	INSERT INTO answer (response_id, item, value, num, rank)
		SELECT v_response, r.item, r.value, r.num, r.rank
		FROM jsonb_to_recordset(p_rows)
			AS r(item text, value text, num double precision,
			     rank smallint);
	INSERT INTO contact (response_id, item, value)
		SELECT v_response, c.key, c.value
		FROM jsonb_each_text(p_contacts) AS c;
	RETURN QUERY SELECT 'stored'::text, v_code, v_response;
END
$$;

--
-- Name: enquete_password_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_password_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	DELETE FROM api_token WHERE user_id = NEW.id;
	RETURN NEW;
END $$;

--
-- Name: enquete_personal_keys(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_personal_keys(p_definition integer) RETURNS text[]
    LANGUAGE sql STABLE
    AS $$
	SELECT coalesce(array_agg(DISTINCT m.item), '{}')
	FROM stats_item m
	WHERE m.definition_id = p_definition AND m.personal
		AND m.pos % 4 = 0
$$;

--
-- Name: enquete_rate_check(text, integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_rate_check(p_key text, p_max integer, p_window integer) RETURNS integer
    LANGUAGE sql
    AS $$
	SELECT enquete_rate_wait(p_key, p_max, p_window);
$$;

--
-- Name: enquete_rate_gc(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_rate_gc() RETURNS void
    LANGUAGE sql
    AS $$
	DELETE FROM rate_event WHERE ctid IN (SELECT ctid FROM rate_event
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
	DELETE FROM login_backoff WHERE key IN (SELECT key FROM login_backoff
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
$$;

--
-- Name: enquete_rate_take(text, integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_rate_take(p_key text, p_max integer, p_window integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_wait int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('rate:' || p_key, 0));
	v_wait := enquete_rate_wait(p_key, p_max, p_window);
	IF v_wait = 0 THEN
		INSERT INTO rate_event (key, at, expires_at) VALUES (p_key,
			clock_timestamp(),
			clock_timestamp() + make_interval(secs => p_window));
	END IF;
	PERFORM enquete_rate_gc();
	RETURN v_wait;
END $$;

--
-- Name: enquete_rate_wait(text, integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_rate_wait(p_key text, p_max integer, p_window integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_n int;
	v_oldest timestamptz;
BEGIN
	SELECT count(*), min(at) INTO v_n, v_oldest FROM (SELECT at
		FROM rate_event WHERE key = p_key
		AND at > clock_timestamp() - make_interval(secs => p_window)
		ORDER BY at DESC LIMIT p_max) recent;
	IF v_n < p_max THEN
		RETURN 0;
	END IF;
	RETURN greatest(1, ceil(extract(epoch FROM v_oldest +
		make_interval(secs => p_window) - clock_timestamp())))::int;
END $$;

--
-- Name: enquete_seg_check(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_seg_check(p_event integer) RETURNS TABLE(fkey text, fvalue text, kind text, instrument text, item text, value text, rank integer, seg_n bigint, ref_n bigint, seg_s1 double precision, ref_s1 double precision, seg_s2 double precision, ref_s2 double precision)
    LANGUAGE sql STABLE
    AS $$
	WITH seg AS (
		SELECT DISTINCT x.fkey, x.fvalue FROM (
			SELECT s.fkey, s.fvalue FROM stats_member_source s
			WHERE s.event_id = p_event
			UNION ALL
			SELECT s.fkey, s.fvalue FROM stats_seg s
			WHERE s.event_id = p_event
			UNION ALL
			SELECT s.fkey, s.fvalue FROM stats_member s
			WHERE s.event_id = p_event) x
		WHERE stats_seg_usable(p_event, x.fkey)
	),
	mem AS (
		SELECT fkey, fvalue, 'member'::text, '', '',
			participant_id::text, 0, y.n, x.n, 0::float8, 0::float8,
			0::float8, 0::float8
		FROM (SELECT s.fkey, s.fvalue, s.participant_id, 1::bigint AS n
			FROM stats_member_source s
			WHERE s.event_id = p_event) x
		FULL JOIN (SELECT s.fkey, s.fvalue, s.participant_id,
				1::bigint AS n
			FROM stats_member s WHERE s.event_id = p_event) y
			USING (fkey, fvalue, participant_id)
		WHERE x.n IS DISTINCT FROM y.n
	),
	com AS (
		SELECT fkey, fvalue, 'comment'::text, '', item, '', 0, y.n,
			x.n, 0::float8, 0::float8, 0::float8, 0::float8
		FROM (SELECT s.fkey, s.fvalue, c.item, count(*) AS n
			FROM comment_source c
			JOIN stats_member_source s
				ON s.participant_id = c.participant_id
			WHERE c.event_id = p_event GROUP BY 1, 2, 3) x
		FULL JOIN (SELECT s.fkey, s.fvalue, s.item,
				sum(s.n)::bigint AS n
			FROM stats_seg s
			WHERE s.event_id = p_event AND s.kind = 'comment'
			GROUP BY 1, 2, 3 HAVING sum(s.n) <> 0) y
			USING (fkey, fvalue, item)
		WHERE x.n IS DISTINCT FROM y.n
	),
	tup AS (
		SELECT g.fkey, g.fvalue, d.kind, d.instrument, d.item, d.value,
			d.rank, d.i_n, d.r_n, d.i_s1, d.r_s1, d.i_s2, d.r_s2
		FROM seg g CROSS JOIN LATERAL (
			SELECT kind, instrument, item, value, rank,
				i.n AS i_n, r.n AS r_n, i.s1 AS i_s1,
				r.s1 AS r_s1, i.s2 AS i_s2, r.s2 AS r_s2
			FROM (SELECT s.kind, s.instrument, s.item, s.value,
					s.rank, sum(s.n)::bigint AS n,
					sum(s.s1) AS s1, sum(s.s2) AS s2
				FROM stats_seg s
				WHERE s.event_id = p_event
					AND s.fkey = g.fkey
					AND s.fvalue = g.fvalue
					AND s.kind <> 'comment'
				GROUP BY 1, 2, 3, 4, 5
				HAVING sum(s.n) <> 0) i
			FULL JOIN enquete_stats_recompute(p_event,
				jsonb_build_object(g.fkey, g.fvalue)) r
				USING (kind, instrument, item, value, rank)
			WHERE i.n IS DISTINCT FROM r.n
				OR NOT abs(i.s1 - r.s1)
					<= 1e-9 * greatest(1, abs(r.s1))
				OR NOT abs(i.s2 - r.s2)
					<= 1e-9 * greatest(1, abs(r.s2))) d
	)
	SELECT * FROM mem
	UNION ALL SELECT * FROM com
	UNION ALL SELECT * FROM tup
$$;

--
-- Name: enquete_seg_rebuild(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_seg_rebuild(p_event integer) RETURNS void
    LANGUAGE sql
    AS $$
	SELECT enquete_stats_rebuild(p_event)
$$;

--
-- Name: enquete_stats(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_stats(p_event integer) RETURNS TABLE(kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE sql STABLE
    AS $$
	SELECT s.kind, s.instrument, s.item, s.value, s.rank,
		sum(s.n)::bigint, sum(s.s1), sum(s.s2)
	FROM stats_agg s WHERE s.event_id = p_event
	GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0
$$;

--
-- Name: enquete_stats_check(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_stats_check(p_event integer) RETURNS TABLE(kind text, instrument text, item text, value text, rank integer, inc_n bigint, ref_n bigint, inc_s1 double precision, ref_s1 double precision, inc_s2 double precision, ref_s2 double precision)
    LANGUAGE sql STABLE
    AS $$
	SELECT kind, instrument, item, value, rank, i.n, r.n, i.s1, r.s1,
		i.s2, r.s2
	FROM enquete_stats(p_event) i
	FULL JOIN enquete_stats_recompute(p_event) r
		USING (kind, instrument, item, value, rank)
	WHERE i.n IS DISTINCT FROM r.n
		OR NOT abs(i.s1 - r.s1) <= 1e-9 * greatest(1, abs(r.s1))
		OR NOT abs(i.s2 - r.s2) <= 1e-9 * greatest(1, abs(r.s2))
$$;

--
-- Name: enquete_stats_filtered(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_stats_filtered(p_event integer, p_filter jsonb) RETURNS TABLE(kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_key text;
	v_value text;
BEGIN
	SELECT f.fkey, f.fvalue INTO v_key, v_value
		FROM stats_seg_filter(p_event, p_filter) f;
	IF v_key IS NOT NULL THEN
		RETURN QUERY
		SELECT s.kind, s.instrument, s.item, s.value, s.rank,
			sum(s.n)::bigint, sum(s.s1), sum(s.s2)
		FROM stats_seg s
		WHERE s.event_id = p_event AND s.fkey = v_key
			AND s.fvalue = v_value AND s.kind <> 'comment'
		GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0;
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM enquete_stats_recompute(p_event, p_filter);
END
$$;

--
-- Name: enquete_stats_rebuild(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_stats_rebuild(p_event integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: enquete_stats_recompute(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_stats_recompute(p_event integer, p_filter jsonb DEFAULT '{}'::jsonb) RETURNS TABLE(kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql STABLE
    AS $$
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
$$;

--
-- Name: enquete_submit(integer, text, integer, bytea, text, text, text, text, jsonb, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) RETURNS TABLE(outcome text, code text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_participant bigint;
	v_code text;
	v_response bigint;
	v_old response%ROWTYPE;
BEGIN
	-- the same token twice at once: the second waits for the first
	PERFORM pg_advisory_xact_lock(hashtextextended(encode(p_token, 'hex'), 0));
	SELECT p.code INTO v_code FROM submission s
		JOIN response r ON r.id = s.response_id
		JOIN participant p ON p.id = r.participant_id
		WHERE s.token_hash = p_token;
	IF FOUND THEN
		RETURN QUERY SELECT 'replay'::text, v_code;
		RETURN;
	END IF;
	IF NOT enquete_window_open(p_event, p_instrument) THEN
		RETURN QUERY SELECT 'closed'::text, NULL::text;
		RETURN;
	END IF;

	IF p_link IN ('cookie', 'code') THEN
		SELECT id, participant.code INTO v_participant, v_code
			FROM participant WHERE event_id = p_event
			AND participant.code = p_code FOR UPDATE;
		IF NOT FOUND AND p_link = 'code' THEN
			RETURN QUERY SELECT 'unknown_code'::text, NULL::text;
			RETURN;
		END IF;
	END IF;
	IF v_participant IS NULL THEN
		INSERT INTO participant (event_id, code)
			VALUES (p_event, p_new_code)
			ON CONFLICT DO NOTHING
			RETURNING id, participant.code INTO v_participant, v_code;
		IF v_participant IS NULL THEN
			RETURN QUERY SELECT 'code_taken'::text, NULL::text;
			RETURN;
		END IF;
	ELSE
		-- (a participant just created has no response to look for)
		SELECT * INTO v_old FROM response
			WHERE participant_id = v_participant
			AND instrument = p_instrument FOR UPDATE;
	END IF;

	IF v_old.id IS NOT NULL THEN
		IF p_link = 'code' THEN
			RETURN QUERY SELECT 'conflict'::text, NULL::text;
			RETURN;
		END IF;
		INSERT INTO response_history (response_id, version,
			definition_id, lang, submitted_at, answers)
			VALUES (v_old.id, v_old.version, v_old.definition_id,
			v_old.lang, v_old.submitted_at, v_old.answers);
		DELETE FROM answer WHERE response_id = v_old.id;
		DELETE FROM contact WHERE response_id = v_old.id;
		UPDATE response SET definition_id = p_definition,
			version = v_old.version + 1, lang = p_lang,
			submitted_at = now(), answers = p_answers
			WHERE id = v_old.id;
		v_response := v_old.id;
	ELSE
		INSERT INTO response (participant_id, event_id, instrument,
			definition_id, lang, answers)
			VALUES (v_participant, p_event, p_instrument,
			p_definition, p_lang, p_answers)
			RETURNING id INTO v_response;
	END IF;

	PERFORM submit_rows(v_response, p_event, v_participant, p_instrument,
		p_definition, p_rows, p_contacts, p_token);
	RETURN QUERY SELECT (CASE WHEN v_old.id IS NULL THEN 'stored'
		ELSE 'updated' END)::text, v_code;
END
$$;

--
-- Name: FUNCTION enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) IS 'seeding and tests only: the server calls the 12-argument form';

--
-- Name: enquete_submit(integer, text, integer, bytea, text, text, text, text, jsonb, jsonb, jsonb, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_edit boolean) RETURNS TABLE(outcome text, code text, at timestamp with time zone)
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_participant bigint;
	v_code text;
	v_response bigint;
	v_old response%ROWTYPE;
BEGIN
	-- the same token twice at once: the second waits for the first
	PERFORM pg_advisory_xact_lock(hashtextextended(encode(p_token, 'hex'), 0));
	SELECT p.code INTO v_code FROM submission s
		JOIN response r ON r.id = s.response_id
		JOIN participant p ON p.id = r.participant_id
		WHERE s.token_hash = p_token;
	IF FOUND THEN
		RETURN QUERY SELECT 'replay'::text, v_code, NULL::timestamptz;
		RETURN;
	END IF;
	IF NOT enquete_window_open(p_event, p_instrument) THEN
		RETURN QUERY SELECT 'closed'::text, NULL::text, NULL::timestamptz;
		RETURN;
	END IF;

	IF p_link IN ('cookie', 'code') THEN
		SELECT id, participant.code INTO v_participant, v_code
			FROM participant WHERE event_id = p_event
			AND participant.code = p_code FOR UPDATE;
		IF NOT FOUND AND p_link = 'code' THEN
			RETURN QUERY SELECT 'unknown_code'::text, NULL::text,
				NULL::timestamptz;
			RETURN;
		END IF;
	END IF;
	IF v_participant IS NULL THEN
		INSERT INTO participant (event_id, code)
			VALUES (p_event, p_new_code)
			ON CONFLICT DO NOTHING
			RETURNING id, participant.code INTO v_participant, v_code;
		IF v_participant IS NULL THEN
			RETURN QUERY SELECT 'code_taken'::text, NULL::text,
				NULL::timestamptz;
			RETURN;
		END IF;
	ELSE
		-- (a participant just created has no response to look for)
		SELECT * INTO v_old FROM response
			WHERE participant_id = v_participant
			AND instrument = p_instrument FOR UPDATE;
	END IF;

	IF v_old.id IS NOT NULL THEN
		IF p_link = 'code' THEN
			RETURN QUERY SELECT 'conflict'::text, NULL::text,
				v_old.submitted_at;
			RETURN;
		END IF;
		IF p_instrument = 'pre' AND EXISTS (SELECT 1 FROM response
			WHERE participant_id = v_participant
			AND instrument = 'post') THEN
			RETURN QUERY SELECT 'locked'::text, NULL::text,
				v_old.submitted_at;
			RETURN;
		END IF;
		IF NOT p_edit THEN
			RETURN QUERY SELECT 'exists'::text, NULL::text,
				v_old.submitted_at;
			RETURN;
		END IF;
		INSERT INTO response_history (response_id, version,
			definition_id, lang, submitted_at, answers)
			VALUES (v_old.id, v_old.version, v_old.definition_id,
			v_old.lang, v_old.submitted_at, v_old.answers);
		DELETE FROM answer WHERE response_id = v_old.id;
		DELETE FROM contact WHERE response_id = v_old.id;
		UPDATE response SET definition_id = p_definition,
			version = v_old.version + 1, lang = p_lang,
			submitted_at = now(), answers = p_answers
			WHERE id = v_old.id;
		v_response := v_old.id;
	ELSE
		INSERT INTO response (participant_id, event_id, instrument,
			definition_id, lang, answers)
			VALUES (v_participant, p_event, p_instrument,
			p_definition, p_lang, p_answers)
			RETURNING id INTO v_response;
	END IF;

	PERFORM submit_rows(v_response, p_event, v_participant, p_instrument,
		p_definition, p_rows, p_contacts, p_token);
	RETURN QUERY SELECT (CASE WHEN v_old.id IS NULL THEN 'stored'
		ELSE 'updated' END)::text, v_code, NULL::timestamptz;
END
$$;

--
-- Name: enquete_user_sees(integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_user_sees(p_user integer, p_event integer) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT coalesce((
		SELECT u.role = 'admin' OR (
			NOT EXISTS (SELECT 1 FROM event e WHERE e.id = p_event
				AND e.archived_at IS NOT NULL)
			AND (u.all_events OR EXISTS (SELECT 1 FROM user_event ue
				WHERE ue.user_id = u.id AND ue.event_id = p_event)))
		FROM app_user u WHERE u.id = p_user), false)
$$;

--
-- Name: enquete_window_open(integer, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.enquete_window_open(p_event integer, p_instrument text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM instrument_window w
		WHERE w.event_id = p_event AND w.instrument = p_instrument
		AND w.opens_at IS NOT NULL AND w.opens_at <= now()
		AND (w.closes_at IS NULL OR now() < w.closes_at));
END
$$;

--
-- Name: event_folded_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.event_folded_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM stats_folded_delete(OLD.id);
	RETURN NULL;
END
$$;

--
-- Name: paper_entry_erase(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.paper_entry_erase() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	DELETE FROM paper_entry WHERE event_id = OLD.event_id
		AND sheet = 'C:' || OLD.code;
	DELETE FROM paper_sheet WHERE event_id = OLD.event_id
		AND sheet = 'C:' || OLD.code AND state IN ('pending', 'conflict');
	RETURN OLD;
END
$$;

--
-- Name: response_ref_check(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.response_ref_check() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id bigint;
BEGIN
	FOR v_id IN SELECT DISTINCT response_id FROM new_rows LOOP
		PERFORM 1 FROM response WHERE id = v_id FOR KEY SHARE;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
					TG_TABLE_NAME, TG_ARGV[0]
				USING ERRCODE = 'foreign_key_violation',
				DETAIL = format('Key (response_id)=(%s) is not present in table "response".', v_id),
				TABLE = TG_TABLE_NAME, CONSTRAINT = TG_ARGV[0];
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

--
-- Name: response_rows_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.response_rows_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_ids bigint[] := ARRAY(SELECT id FROM old_rows);
BEGIN
	DELETE FROM answer WHERE response_id = ANY (v_ids);
	DELETE FROM comment WHERE response_id = ANY (v_ids);
	DELETE FROM submission WHERE response_id = ANY (v_ids);
	RETURN NULL;
END
$$;

--
-- Name: stats_change_answer_new(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_change_answer_new() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_change_answer_old(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_change_answer_old() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_change_response(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_change_response() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_fold_apply(integer, bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_apply(p_event integer, p_ps bigint[]) RETURNS void
    LANGUAGE plpgsql
    SET work_mem TO '64MB'
    SET jit TO 'off'
    SET enable_mergejoin TO 'off'
    SET enable_sort TO 'off'
    AS $$
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

--
-- Name: stats_fold_cur(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_cur(p_ps bigint[]) RETURNS TABLE(participant_id bigint, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql
    SET work_mem TO '64MB'
    SET jit TO 'off'
    SET enable_mergejoin TO 'off'
    SET enable_sort TO 'off'
    AS $$
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

--
-- Name: stats_fold_delta(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_delta(p_participants bigint[]) RETURNS SETOF public.stats_fold_row
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: stats_fold_done(integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_done(p_event integer, p_n integer) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
BEGIN
	INSERT INTO stats_fold AS f (event_id, folded, batches, folded_at)
		VALUES (p_event, p_n, 1, now())
		ON CONFLICT (event_id) DO UPDATE
		SET folded = f.folded + EXCLUDED.folded,
			batches = f.batches + 1, folded_at = now();
	RETURN (SELECT count(*) FROM stats_change c WHERE c.event_id = p_event);
END
$$;

--
-- Name: stats_fold_key(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_key() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$SELECT 1718578276$$;

--
-- Name: stats_fold_members(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_members(p_participants bigint[]) RETURNS SETOF public.stats_fold_member
    LANGUAGE plpgsql STABLE
    SET enable_nestloop TO 'off'
    SET enable_sort TO 'off'
    SET jit TO 'off'
    AS $$
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

--
-- Name: stats_fold_old(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_old(p_ps bigint[]) RETURNS TABLE(participant_id bigint, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_fold_seg_delta(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_seg_delta(p_participants bigint[]) RETURNS TABLE(participant_id bigint, event_id integer, fkey text, fvalue text, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: stats_fold_take(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_take(p_limit integer) RETURNS TABLE(event_id integer, participants bigint[])
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_fold_write(integer, bigint[], text[], text[], text[], text[], text[], text[], integer[], bigint[], double precision[], double precision[], bigint[], bigint[], text[], text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_fold_write(p_event integer, p_ps bigint[], p_fkey text[], p_fvalue text[], p_kind text[], p_instrument text[], p_item text[], p_value text[], p_rank integer[], p_n bigint[], p_s1 double precision[], p_s2 double precision[], p_moved bigint[], p_mp bigint[], p_mk text[], p_mv text[]) RETURNS bigint
    LANGUAGE plpgsql
    SET work_mem TO '64MB'
    SET jit TO 'off'
    SET enable_mergejoin TO 'off'
    SET enable_sort TO 'off'
    AS $$
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

--
-- Name: stats_folded_delete(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_folded_delete(p_event integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stats_participant_tuples(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_participant_tuples(p_participants bigint[]) RETURNS TABLE(participant_id bigint, event_id integer, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE sql STABLE
    AS $$
	SELECT * FROM stats_resp_tuples(ARRAY(SELECT r.id
		FROM unnest(p_participants) AS u(id)
		JOIN response r ON r.participant_id = u.id), true)
$$;

--
-- Name: stats_pending_events(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_pending_events() RETURNS TABLE(event_id integer, oldest timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: stats_quizd_rank(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_quizd_rank(p_participant bigint) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: stats_recompute_base(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_recompute_base(p_event integer, p_filter jsonb DEFAULT '{}'::jsonb) RETURNS TABLE(kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql STABLE
    AS $_$
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
$_$;

--
-- Name: stats_resp_tuples(bigint[], boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_resp_tuples(p_resp bigint[], p_all boolean) RETURNS TABLE(participant_id bigint, event_id integer, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE plpgsql STABLE
    SET enable_nestloop TO 'off'
    SET enable_sort TO 'off'
    SET jit TO 'off'
    AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH resp AS MATERIALIZED (
		SELECT r.id, r.participant_id, r.event_id, r.instrument,
			r.definition_id,
			count(*) FILTER (WHERE r.instrument IN ('pre', 'post'))
				OVER w = 2 AS paired,
			bool_or(r.instrument = 'followup') OVER w AS has_fu,
			bool_or(r.instrument = 'pre') OVER w AS has_pre,
			bool_or(r.instrument = 'post') OVER w AS has_post
		FROM unnest(p_resp) AS u(id)
		CROSS JOIN LATERAL (SELECT r.* FROM response r
			WHERE r.id = u.id OFFSET 0) r
		WINDOW w AS (PARTITION BY r.participant_id)
	),
	-- the metadata of the responses' definitions (by stats_item's key):
	-- the items every kind reads (not personal; not free text, base_ok)
	-- and those the stats_change.sql kinds read (knowledge, retro, quiz)
	meta AS MATERIALIZED (
		SELECT m.definition_id, m.instrument, m.item, m.role, m.correct,
			m.base_ok
		FROM (SELECT DISTINCT r.definition_id, r.instrument FROM resp r) d
		CROSS JOIN LATERAL (SELECT m.*,
				m.type NOT IN ('text', 'longtext', 'other') AS base_ok
			FROM stats_item m
			WHERE m.definition_id = d.definition_id
			AND m.instrument = d.instrument OFFSET 0) m
		WHERE NOT m.personal
			AND ((p_all AND m.base_ok)
				OR m.role IN ('knowledge', 'retro', 'quiz'))
	),
	-- answer rows by response (answer_response_idx), then their metadata
	-- (materialized, though read once: inlined into a's hash join, a
	-- batch of 500 took a fifth longer); without p_all only the rows of
	-- paired or followed-up participants (OFFSET 0: each response's rows
	-- by answer_response_idx, never by an (item, value) index over the
	-- whole event)
	ra AS MATERIALIZED (
		SELECT x.response_id, x.item, x.value, x.num, x.rank,
			r.participant_id, r.event_id, r.instrument, r.paired,
			r.has_fu, r.definition_id
		FROM resp r
		CROSS JOIN LATERAL (SELECT y.* FROM answer y
			WHERE y.response_id = r.id OFFSET 0) x
		WHERE p_all OR r.paired OR r.has_fu
	),
	a AS MATERIALIZED (
		SELECT x.response_id, x.item, x.value, x.num, x.rank,
			x.participant_id, x.event_id, x.instrument, x.paired,
			x.has_fu, m.role, m.correct, m.base_ok
		FROM ra x
		JOIN meta m ON m.definition_id = x.definition_id
			AND m.instrument = x.instrument AND m.item = x.item
	),
	-- what the kinds of every participant read (p_all)...
	bresp AS NOT MATERIALIZED (SELECT * FROM resp r WHERE p_all),
	b AS NOT MATERIALIZED (SELECT * FROM a WHERE p_all AND a.base_ok),
	-- ...and the stats_change.sql kinds: knowledge, retro and quiz
	-- answers of paired or followed-up participants
	xa AS NOT MATERIALIZED (
		SELECT * FROM a
		WHERE a.role IN ('knowledge', 'retro', 'quiz')
			AND (a.paired OR a.has_fu)
	),
	-- a pre answer beside the same item's post answer: both in b (its
	-- filter is the one the post row's metadata must pass), joined by
	-- hash within the batch rather than by an index scan of the post
	-- response per pre row
	k AS (
		SELECT x.participant_id, x.event_id, x.item, x.role,
			x.num AS pre, y.num AS post,
			x.value = x.correct AS pre_ok,
			y.value = y.correct AS post_ok
		FROM b x
		JOIN b y ON y.participant_id = x.participant_id
			AND y.instrument = 'post' AND y.item = x.item
		WHERE x.instrument = 'pre' AND x.paired
			AND x.role IN ('knowledge', 'quiz')
	)
	SELECT r.participant_id, r.event_id, 'resp'::text, r.instrument,
		''::text, ''::text, 0, count(*), 0::float8, 0::float8
	FROM bresp r GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT r.participant_id, r.event_id, 'resp', 'paired', '', '', 0, 1,
		0, 0
	FROM bresp r WHERE r.paired AND r.instrument = 'pre'
	UNION ALL
	-- one tuple per answer row, not grouped: every reader of the tuples
	-- sums them by key (the folded tables, the netting, the views), and
	-- the rows of one response differ in (item, value, rank) whenever the
	-- form wrote them, so grouping hashed 15,000 rows a batch into as many
	SELECT a.participant_id, a.event_id, 'value', a.instrument, a.item,
		a.value, coalesce(a.rank, 0)::int, 1::bigint,
		coalesce(a.num, 0), coalesce(a.num * a.num, 0)
	FROM b a
	UNION ALL
	-- (the responses answering the item: a participant has one response
	-- per instrument (UNIQUE (participant_id, instrument)), so each
	-- (participant, instrument, item) that has answer rows counts 1, one
	-- hashed DISTINCT; count(DISTINCT response_id) sorted the batch's
	-- answer rows)
	SELECT DISTINCT a.participant_id, a.event_id, 'itemn', a.instrument,
		a.item, '', 0, 1::bigint, 0::float8, 0::float8
	FROM b a
	UNION ALL
	SELECT k.participant_id, k.event_id, 'pair', '', k.item, '',
		(k.post - k.pre)::int, count(*), sum(k.pre), sum(k.post)
	FROM k WHERE k.role = 'knowledge' GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT k.participant_id, k.event_id, 'quiz', '', k.item, '',
		2 * k.pre_ok::int + k.post_ok::int, count(*),
		sum(k.pre_ok::int), sum(k.post_ok::int)
	FROM k WHERE k.role = 'quiz' GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT x.participant_id, x.event_id, 'retro', '', x.item, '',
		(x.num - y.num)::int, count(*), sum(y.num), sum(x.num)
	FROM b x
	JOIN b y ON y.response_id = x.response_id
		AND y.item = x.item || '.retro'
	WHERE x.role = 'knowledge'
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- a paired participant; then, in a second tuple of the same key
	-- (readers sum), their correct quiz rows per instrument
	SELECT r.participant_id, r.event_id, 'quizsum', '', '', '', 0, 1, 0, 0
	FROM bresp r WHERE r.paired AND r.instrument = 'pre'
	UNION ALL
	SELECT a.participant_id, a.event_id, 'quizsum', '', '', '', 0, 0,
		count(*) FILTER (WHERE a.instrument = 'pre'),
		count(*) FILTER (WHERE a.instrument = 'post')
	FROM b a WHERE a.paired AND a.role = 'quiz' AND a.value = a.correct
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	SELECT r.participant_id, r.event_id, 'comment', '', c.item, '', 0,
		count(*), 0, 0
	FROM bresp r
	CROSS JOIN LATERAL (SELECT c.item FROM comment c
		WHERE c.response_id = r.id OFFSET 0) c
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- prer: a pre rating beside its .retro rating in the post response
	SELECT x.participant_id, x.event_id, 'prer'::text, ''::text, x.item,
		''::text, (y.num - x.num)::int, count(*), sum(x.num), sum(y.num)
	FROM xa x
	JOIN xa y ON y.participant_id = x.participant_id
		AND y.instrument = 'post' AND y.role = 'retro'
		AND y.item = x.item || '.retro'
	WHERE x.instrument = 'pre' AND x.paired AND x.role = 'knowledge'
	GROUP BY 1, 2, 3, 4, 5, 6, 7
	UNION ALL
	-- quizd: the post score minus the pre score of a paired participant
	SELECT p.participant_id, p.event_id, 'quizd', '', '', '',
		(count(a.item) FILTER (WHERE a.instrument = 'post')
			- count(a.item) FILTER (WHERE a.instrument = 'pre'))::int,
		1::bigint, 0::float8, 0::float8
	FROM (SELECT DISTINCT r.participant_id, r.event_id FROM resp r
		WHERE r.paired) p
	LEFT JOIN xa a ON a.participant_id = p.participant_id
		AND a.instrument IN ('pre', 'post') AND a.role = 'quiz'
		AND a.value = a.correct
	GROUP BY 1, 2
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
	SELECT x.participant_id, x.event_id,
		CASE x.instrument WHEN 'pre' THEN 'fpre' ELSE 'fpost' END,
		'', x.item, '', (y.num - x.num)::int, count(*), sum(x.num),
		sum(y.num)
	FROM xa x
	JOIN xa y ON y.participant_id = x.participant_id
		AND y.instrument = 'followup' AND y.role = 'knowledge'
		AND y.item = x.item
	WHERE x.instrument IN ('pre', 'post') AND x.role = 'knowledge'
		AND x.num IS NOT NULL AND y.num IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
END
$$;

--
-- Name: stats_score(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_score(p_response bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
	SELECT count(*) FROM answer a
	JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE a.response_id = p_response AND m.role = 'quiz'
		AND a.value = m.correct
$$;

--
-- Name: stats_seg_comments_walk(bigint, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_seg_comments_walk(p_all bigint, p_seg bigint, p_mem bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT p_all * least(p_seg, 1000) <= p_mem * p_seg
$$;

--
-- Name: stats_seg_filter(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_seg_filter(p_event integer, p_filter jsonb, OUT fkey text, OUT fvalue text) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF jsonb_typeof(p_filter) = 'object'
		AND (SELECT count(*) FROM jsonb_object_keys(p_filter)) = 1 THEN
		SELECT f.key, f.value INTO fkey, fvalue
			FROM jsonb_each_text(p_filter) f;
		IF NOT stats_seg_usable(p_event, fkey) THEN
			fkey := NULL;
			fvalue := NULL;
		END IF;
	END IF;
END
$$;

--
-- Name: stats_seg_usable(integer, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_seg_usable(p_event integer, p_key text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT EXISTS (SELECT 1 FROM stats_item m
			JOIN definition d ON d.id = m.definition_id
			WHERE d.event_id = p_event AND m.item = p_key)
		AND NOT EXISTS (SELECT 1 FROM stats_item m
			JOIN definition d ON d.id = m.definition_id
			WHERE d.event_id = p_event AND m.item = p_key
				AND m.role <> 'profile')
$$;

--
-- Name: stats_x_tuples(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stats_x_tuples(p_resp bigint[]) RETURNS TABLE(participant_id bigint, event_id integer, kind text, instrument text, item text, value text, rank integer, n bigint, s1 double precision, s2 double precision)
    LANGUAGE sql STABLE
    AS $$
	SELECT * FROM stats_resp_tuples(p_resp, false)
$$;

--
-- Name: submit_rows(bigint, integer, bigint, text, integer, jsonb, jsonb, bytea); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.submit_rows(p_response bigint, p_event integer, p_participant bigint, p_instrument text, p_definition integer, p_rows jsonb, p_contacts jsonb, p_token bytea) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_set text;
BEGIN
	v_set := set_config('enquete.submit_rows', 'own', true);
	-- one statement: each part is run once, to its end, whether or not
	-- the main INSERT reads it
	WITH a AS (
		INSERT INTO answer (response_id, item, value, num, rank)
		SELECT p_response, r.item, r.value, r.num, r.rank
		FROM jsonb_to_recordset(p_rows)
			AS r(item text, value text, num double precision,
			     rank smallint)
		RETURNING item, value
	),
	c AS (
		INSERT INTO comment (response_id, event_id, participant_id,
			instrument, item, submitted_at, value)
		SELECT p_response, p_event, p_participant, p_instrument,
			a.item, now(), a.value
		FROM a
		-- the instrument's free-text items: one range of stats_item's
		-- key, read once
		WHERE a.item = ANY (ARRAY(SELECT m.item FROM stats_item m
			WHERE m.definition_id = p_definition
			AND m.instrument = p_instrument AND NOT m.personal
			AND m.type IN ('text', 'longtext', 'other')))
		AND btrim(a.value) <> ''
	),
	k AS (
		INSERT INTO contact (response_id, item, value, event_id,
			submitted_at)
		SELECT p_response, e.key, e.value, p_event, now()
		FROM jsonb_each_text(p_contacts) AS e
	)
	INSERT INTO submission (token_hash, response_id)
		VALUES (p_token, p_response);
	v_set := set_config('enquete.submit_rows', '', true);
END
$$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: answer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.answer (
    response_id bigint NOT NULL,
    item text NOT NULL,
    value text NOT NULL,
    num double precision,
    rank smallint
);

--
-- Name: api_token; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_token (
    token_hash text NOT NULL,
    user_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    id bigint NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '90 days'::interval) NOT NULL,
    last_used_at timestamp with time zone
);

--
-- Name: api_token_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.api_token ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.api_token_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: app_secret; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.app_secret (
    id integer NOT NULL,
    key bytea NOT NULL,
    CONSTRAINT app_secret_id_check CHECK ((id = 1)),
    CONSTRAINT app_secret_key_check CHECK ((length(key) = 32))
);

--
-- Name: app_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.app_user (
    id integer NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    all_events boolean DEFAULT false NOT NULL,
    CONSTRAINT app_user_name_check CHECK ((name ~ '^[A-Za-z0-9._-]{1,64}$'::text)),
    CONSTRAINT app_user_role_check CHECK ((role = ANY (ARRAY['expert'::text, 'organiser'::text, 'admin'::text])))
);

--
-- Name: app_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.app_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: app_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.app_user_id_seq OWNED BY public.app_user.id;

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor text NOT NULL,
    event_id integer,
    event_slug text,
    action text NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action ~ '^[a-z_]{1,32}\.[a-z_]{1,32}$'::text)),
    CONSTRAINT audit_log_actor_check CHECK (((length(actor) >= 1) AND (length(actor) <= 200))),
    CONSTRAINT audit_log_detail_check CHECK ((jsonb_typeof(detail) = 'object'::text))
);

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;

--
-- Name: comment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.comment (
    response_id bigint NOT NULL,
    event_id integer NOT NULL,
    participant_id bigint NOT NULL,
    instrument text NOT NULL,
    item text NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    value text NOT NULL
);

--
-- Name: comment_count_folded; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.comment_count_folded (
    event_id integer NOT NULL,
    item text NOT NULL,
    slot smallint NOT NULL,
    n bigint NOT NULL
)
WITH (fillfactor='40');

--
-- Name: stats_change; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_change (
    event_id integer NOT NULL,
    participant_id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='1000', autovacuum_analyze_scale_factor='0', autovacuum_analyze_threshold='1000');

--
-- Name: stats_pending; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stats_pending AS
 SELECT c.event_id,
    array_agg(DISTINCT c.participant_id) AS participants,
    min(c.at) AS oldest,
    count(*) AS changes
   FROM public.stats_change c
  GROUP BY c.event_id;

--
-- Name: comment_count; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.comment_count AS
 SELECT f.event_id,
    f.item,
    f.slot,
    f.n
   FROM public.comment_count_folded f
UNION ALL
 SELECT p.event_id,
    d.item,
    ((d.participant_id % (16)::bigint))::smallint AS slot,
    d.n
   FROM (public.stats_pending p
     CROSS JOIN LATERAL public.stats_fold_delta(p.participants) d(participant_id, event_id, cur, kind, instrument, item, value, rank, n, s1, s2))
  WHERE (d.kind = 'comment'::text);

--
-- Name: comment_group_contrib; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.comment_group_contrib (
    participant_id bigint NOT NULL,
    event_id integer NOT NULL,
    keys public.comment_gkey[] NOT NULL
);
ALTER TABLE ONLY public.comment_group_contrib ALTER COLUMN keys SET COMPRESSION lz4;

--
-- Name: comment_group_folded; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.comment_group_folded (
    event_id integer NOT NULL,
    item text NOT NULL,
    lang text NOT NULL,
    vkey bytea NOT NULL,
    head text NOT NULL,
    value text NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT comment_group_folded_n_check CHECK ((n > 0))
);

--
-- Name: response; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.response (
    id bigint NOT NULL,
    participant_id bigint NOT NULL,
    event_id integer NOT NULL,
    instrument text NOT NULL,
    definition_id integer NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    lang text NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    answers jsonb NOT NULL,
    source text DEFAULT 'web'::text NOT NULL,
    entered_by integer,
    CONSTRAINT response_instrument_check CHECK ((instrument = ANY (ARRAY['pre'::text, 'post'::text, 'followup'::text]))),
    CONSTRAINT response_lang_check CHECK ((lang = ANY (ARRAY['fr'::text, 'en'::text, 'ar'::text]))),
    CONSTRAINT response_source_check CHECK ((source = ANY (ARRAY['web'::text, 'paper'::text])))
);

--
-- Name: stats_item; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_item (
    definition_id integer NOT NULL,
    instrument text NOT NULL,
    item text NOT NULL,
    pos integer NOT NULL,
    type text NOT NULL,
    role text NOT NULL,
    correct text,
    personal boolean NOT NULL
);

--
-- Name: comment_source; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.comment_source AS
 SELECT r.id AS response_id,
    r.event_id,
    r.participant_id,
    r.instrument,
    a.item,
    r.submitted_at,
    a.value
   FROM ((public.answer a
     JOIN public.response r ON ((r.id = a.response_id)))
     JOIN public.stats_item m ON (((m.definition_id = r.definition_id) AND (m.instrument = r.instrument) AND (m.item = a.item))))
  WHERE ((NOT m.personal) AND (m.type = ANY (ARRAY['text'::text, 'longtext'::text, 'other'::text])) AND (btrim(a.value) <> ''::text));

--
-- Name: contact; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contact (
    response_id bigint NOT NULL,
    item text NOT NULL,
    value text NOT NULL,
    event_id integer NOT NULL,
    submitted_at timestamp with time zone NOT NULL
);

--
-- Name: definition; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.definition (
    id integer NOT NULL,
    event_id integer NOT NULL,
    version integer NOT NULL,
    body jsonb NOT NULL,
    digest text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: definition_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.definition_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: definition_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.definition_id_seq OWNED BY public.definition.id;

--
-- Name: event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event (
    id integer NOT NULL,
    slug text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    definition_id integer,
    attendance integer,
    double_entry boolean DEFAULT false NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT event_attendance_check CHECK (((attendance IS NULL) OR ((attendance >= 1) AND (attendance <= 100000)))),
    CONSTRAINT event_slug_check CHECK ((slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'::text))
);

--
-- Name: event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;

--
-- Name: instrument_window; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.instrument_window (
    event_id integer NOT NULL,
    instrument text NOT NULL,
    opens_at timestamp with time zone,
    closes_at timestamp with time zone,
    CONSTRAINT instrument_window_instrument_check CHECK ((instrument = ANY (ARRAY['pre'::text, 'post'::text, 'followup'::text])))
);

--
-- Name: invite_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invite_log (
    id bigint NOT NULL,
    event_id integer NOT NULL,
    participant_id bigint NOT NULL,
    instrument text NOT NULL,
    kind text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    ok boolean NOT NULL,
    result text NOT NULL,
    CONSTRAINT invite_log_instrument_check CHECK ((instrument = 'followup'::text)),
    CONSTRAINT invite_log_kind_check CHECK ((kind = ANY (ARRAY['invite'::text, 'reminder'::text, 'unsubscribe'::text]))),
    CONSTRAINT invite_log_result_check CHECK (((length(result) >= 1) AND (length(result) <= 300)))
);

--
-- Name: invite_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invite_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: invite_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.invite_log_id_seq OWNED BY public.invite_log.id;

--
-- Name: login_backoff; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_backoff (
    key text NOT NULL,
    failures integer NOT NULL,
    next_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: paper_batch; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.paper_batch (
    id integer NOT NULL,
    event_id integer NOT NULL,
    key text NOT NULL,
    created_by integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT paper_batch_key_check CHECK (((length(key) >= 1) AND (length(key) <= 200)))
);

--
-- Name: paper_batch_code; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.paper_batch_code (
    batch_id integer NOT NULL,
    pos integer NOT NULL,
    participant_id bigint NOT NULL
);

--
-- Name: paper_batch_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.paper_batch_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: paper_batch_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.paper_batch_id_seq OWNED BY public.paper_batch.id;

--
-- Name: paper_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.paper_entry (
    event_id integer NOT NULL,
    instrument text NOT NULL,
    sheet text NOT NULL,
    pass smallint NOT NULL,
    entered_by integer,
    definition_id integer NOT NULL,
    lang text NOT NULL,
    code text,
    answers jsonb NOT NULL,
    rows jsonb NOT NULL,
    contacts jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT paper_entry_instrument_check CHECK ((instrument = ANY (ARRAY['pre'::text, 'post'::text, 'followup'::text]))),
    CONSTRAINT paper_entry_lang_check CHECK ((lang = ANY (ARRAY['fr'::text, 'en'::text, 'ar'::text]))),
    CONSTRAINT paper_entry_pass_check CHECK ((pass = ANY (ARRAY[1, 2]))),
    CONSTRAINT paper_entry_sheet_check CHECK ((sheet ~ '^(C:[0-9A-HJKMNP-TV-Z]{8}|N:[0-9]{1,9})$'::text))
);

--
-- Name: paper_sheet; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.paper_sheet (
    event_id integer NOT NULL,
    instrument text NOT NULL,
    sheet text NOT NULL,
    state text NOT NULL,
    response_id bigint,
    resolved_by integer,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT paper_sheet_instrument_check CHECK ((instrument = ANY (ARRAY['pre'::text, 'post'::text, 'followup'::text]))),
    CONSTRAINT paper_sheet_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'conflict'::text, 'agreed'::text, 'resolved'::text])))
);

--
-- Name: participant; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.participant (
    id bigint NOT NULL,
    event_id integer NOT NULL,
    code text NOT NULL,
    preissued boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT participant_code_check CHECK ((code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'::text))
);

--
-- Name: participant_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.participant_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: participant_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.participant_id_seq OWNED BY public.participant.id;

--
-- Name: rate_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rate_event (
    key text NOT NULL,
    at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: response_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.response_history (
    response_id bigint NOT NULL,
    version integer NOT NULL,
    definition_id integer NOT NULL,
    lang text NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    answers jsonb NOT NULL
);

--
-- Name: response_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.response_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: response_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.response_id_seq OWNED BY public.response.id;

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.session (
    token_hash text NOT NULL,
    user_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stats_agg_folded; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_agg_folded (
    event_id integer NOT NULL,
    kind text NOT NULL,
    instrument text NOT NULL,
    item text NOT NULL,
    value text NOT NULL,
    rank integer NOT NULL,
    slot smallint NOT NULL,
    n bigint NOT NULL,
    s1 double precision NOT NULL,
    s2 double precision NOT NULL
)
WITH (fillfactor='40', autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='500', autovacuum_analyze_scale_factor='0', autovacuum_analyze_threshold='500');

--
-- Name: stats_agg; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stats_agg AS
 SELECT f.event_id,
    f.kind,
    f.instrument,
    f.item,
    f.value,
    f.rank,
    f.slot,
    f.n,
    f.s1,
    f.s2
   FROM public.stats_agg_folded f
UNION ALL
 SELECT p.event_id,
    d.kind,
    d.instrument,
    d.item,
    d.value,
    d.rank,
    ((d.participant_id % (16)::bigint))::smallint AS slot,
    d.n,
    d.s1,
    d.s2
   FROM (public.stats_pending p
     CROSS JOIN LATERAL public.stats_fold_delta(p.participants) d(participant_id, event_id, cur, kind, instrument, item, value, rank, n, s1, s2))
  WHERE (d.kind <> 'comment'::text);

--
-- Name: stats_contrib; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_contrib (
    participant_id bigint NOT NULL,
    event_id integer NOT NULL,
    tuples public.stats_tuple[] NOT NULL
);
ALTER TABLE ONLY public.stats_contrib ALTER COLUMN tuples SET COMPRESSION lz4;

--
-- Name: stats_fold; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_fold (
    event_id integer NOT NULL,
    folded bigint DEFAULT 0 NOT NULL,
    batches bigint DEFAULT 0 NOT NULL,
    folded_at timestamp with time zone
);

--
-- Name: stats_member_folded; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_member_folded (
    participant_id bigint NOT NULL,
    event_id integer NOT NULL,
    fkey text NOT NULL,
    fvalue text NOT NULL
);

--
-- Name: stats_member; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stats_member AS
 SELECT m.participant_id,
    m.event_id,
    m.fkey,
    m.fvalue
   FROM public.stats_member_folded m
  WHERE (NOT (EXISTS ( SELECT 1
           FROM public.stats_change c
          WHERE (c.participant_id = m.participant_id))))
UNION ALL
 SELECT x.participant_id,
    x.event_id,
    x.fkey,
    x.fvalue
   FROM (public.stats_pending p
     CROSS JOIN LATERAL public.stats_fold_members(p.participants) x(participant_id, event_id, cur, fkey, fvalue))
  WHERE x.cur;

--
-- Name: stats_member_source; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stats_member_source AS
 SELECT DISTINCT r.participant_id,
    r.event_id,
    a.item AS fkey,
    a.value AS fvalue
   FROM ((public.response r
     JOIN public.answer a ON ((a.response_id = r.id)))
     JOIN public.stats_item m ON (((m.definition_id = r.definition_id) AND (m.instrument = r.instrument) AND (m.item = a.item))))
  WHERE (m.role = 'profile'::text);

--
-- Name: stats_seg_folded; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stats_seg_folded (
    event_id integer NOT NULL,
    fkey text NOT NULL,
    fvalue text NOT NULL,
    kind text NOT NULL,
    instrument text NOT NULL,
    item text NOT NULL,
    value text NOT NULL,
    rank integer NOT NULL,
    slot smallint NOT NULL,
    n bigint NOT NULL,
    s1 double precision NOT NULL,
    s2 double precision NOT NULL
)
WITH (fillfactor='40', autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='500', autovacuum_analyze_scale_factor='0', autovacuum_analyze_threshold='500');

--
-- Name: stats_seg; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stats_seg AS
 SELECT f.event_id,
    f.fkey,
    f.fvalue,
    f.kind,
    f.instrument,
    f.item,
    f.value,
    f.rank,
    f.slot,
    f.n,
    f.s1,
    f.s2
   FROM public.stats_seg_folded f
UNION ALL
 SELECT p.event_id,
    d.fkey,
    d.fvalue,
    d.kind,
    d.instrument,
    d.item,
    d.value,
    d.rank,
    ((d.participant_id % (16)::bigint))::smallint AS slot,
    d.n,
    d.s1,
    d.s2
   FROM (public.stats_pending p
     CROSS JOIN LATERAL public.stats_fold_seg_delta(p.participants) d(participant_id, event_id, fkey, fvalue, kind, instrument, item, value, rank, n, s1, s2));

--
-- Name: submission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.submission (
    token_hash bytea NOT NULL,
    response_id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: user_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_event (
    user_id integer NOT NULL,
    event_id integer NOT NULL
);

--
-- Name: app_user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.app_user ALTER COLUMN id SET DEFAULT nextval('public.app_user_id_seq'::regclass);

--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);

--
-- Name: definition id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.definition ALTER COLUMN id SET DEFAULT nextval('public.definition_id_seq'::regclass);

--
-- Name: event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);

--
-- Name: invite_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invite_log ALTER COLUMN id SET DEFAULT nextval('public.invite_log_id_seq'::regclass);

--
-- Name: paper_batch id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch ALTER COLUMN id SET DEFAULT nextval('public.paper_batch_id_seq'::regclass);

--
-- Name: participant id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant ALTER COLUMN id SET DEFAULT nextval('public.participant_id_seq'::regclass);

--
-- Name: response id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response ALTER COLUMN id SET DEFAULT nextval('public.response_id_seq'::regclass);

--
-- Name: api_token api_token_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token
    ADD CONSTRAINT api_token_id_key UNIQUE (id);

--
-- Name: api_token api_token_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token
    ADD CONSTRAINT api_token_pkey PRIMARY KEY (token_hash);

--
-- Name: app_secret app_secret_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.app_secret
    ADD CONSTRAINT app_secret_pkey PRIMARY KEY (id);

--
-- Name: app_user app_user_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.app_user
    ADD CONSTRAINT app_user_name_key UNIQUE (name);

--
-- Name: app_user app_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.app_user
    ADD CONSTRAINT app_user_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: comment_count_folded comment_count_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.comment_count_folded
    ADD CONSTRAINT comment_count_pkey PRIMARY KEY (event_id, item, slot);

--
-- Name: comment_group_contrib comment_group_contrib_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.comment_group_contrib
    ADD CONSTRAINT comment_group_contrib_pkey PRIMARY KEY (participant_id);

--
-- Name: comment_group_folded comment_group_folded_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.comment_group_folded
    ADD CONSTRAINT comment_group_folded_pkey PRIMARY KEY (event_id, item, lang, vkey);

--
-- Name: contact contact_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_pkey PRIMARY KEY (response_id, item);

--
-- Name: definition definition_event_id_version_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.definition
    ADD CONSTRAINT definition_event_id_version_key UNIQUE (event_id, version);

--
-- Name: definition definition_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.definition
    ADD CONSTRAINT definition_pkey PRIMARY KEY (id);

--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);

--
-- Name: event event_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_slug_key UNIQUE (slug);

--
-- Name: instrument_window instrument_window_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instrument_window
    ADD CONSTRAINT instrument_window_pkey PRIMARY KEY (event_id, instrument);

--
-- Name: invite_log invite_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invite_log
    ADD CONSTRAINT invite_log_pkey PRIMARY KEY (id);

--
-- Name: login_backoff login_backoff_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_backoff
    ADD CONSTRAINT login_backoff_pkey PRIMARY KEY (key);

--
-- Name: paper_batch_code paper_batch_code_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch_code
    ADD CONSTRAINT paper_batch_code_pkey PRIMARY KEY (batch_id, pos);

--
-- Name: paper_batch paper_batch_event_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch
    ADD CONSTRAINT paper_batch_event_id_key_key UNIQUE (event_id, key);

--
-- Name: paper_batch paper_batch_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch
    ADD CONSTRAINT paper_batch_pkey PRIMARY KEY (id);

--
-- Name: paper_entry paper_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_entry
    ADD CONSTRAINT paper_entry_pkey PRIMARY KEY (event_id, instrument, sheet, pass);

--
-- Name: paper_sheet paper_sheet_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_sheet
    ADD CONSTRAINT paper_sheet_pkey PRIMARY KEY (event_id, instrument, sheet);

--
-- Name: participant participant_event_id_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant
    ADD CONSTRAINT participant_event_id_code_key UNIQUE (event_id, code);

--
-- Name: participant participant_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant
    ADD CONSTRAINT participant_pkey PRIMARY KEY (id);

--
-- Name: response_history response_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_history
    ADD CONSTRAINT response_history_pkey PRIMARY KEY (response_id, version);

--
-- Name: response response_participant_id_instrument_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_participant_id_instrument_key UNIQUE (participant_id, instrument);

--
-- Name: response response_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_pkey PRIMARY KEY (id);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

--
-- Name: session session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_pkey PRIMARY KEY (token_hash);

--
-- Name: stats_agg_folded stats_agg_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_agg_folded
    ADD CONSTRAINT stats_agg_pkey PRIMARY KEY (event_id, kind, instrument, item, value, rank, slot);

ALTER TABLE public.stats_agg_folded CLUSTER ON stats_agg_pkey;

--
-- Name: stats_contrib stats_contrib_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_contrib
    ADD CONSTRAINT stats_contrib_pkey PRIMARY KEY (participant_id);

--
-- Name: stats_fold stats_fold_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_fold
    ADD CONSTRAINT stats_fold_pkey PRIMARY KEY (event_id);

--
-- Name: stats_item stats_item_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_item
    ADD CONSTRAINT stats_item_pkey PRIMARY KEY (definition_id, instrument, item);

--
-- Name: stats_member_folded stats_member_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_member_folded
    ADD CONSTRAINT stats_member_pkey PRIMARY KEY (participant_id, fkey, fvalue);

--
-- Name: stats_seg_folded stats_seg_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_seg_folded
    ADD CONSTRAINT stats_seg_pkey PRIMARY KEY (event_id, fkey, fvalue, kind, instrument, item, value, rank, slot);

--
-- Name: submission submission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_pkey PRIMARY KEY (token_hash);

--
-- Name: user_event user_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_event
    ADD CONSTRAINT user_event_pkey PRIMARY KEY (user_id, event_id);

--
-- Name: answer_item_value_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX answer_item_value_idx ON public.answer USING btree (item, value);

--
-- Name: answer_response_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX answer_response_idx ON public.answer USING btree (response_id);

--
-- Name: api_token_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_token_user_idx ON public.api_token USING btree (user_id);

--
-- Name: audit_log_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_event_idx ON public.audit_log USING btree (event_id, id);

--
-- Name: comment_group_contrib_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX comment_group_contrib_event_idx ON public.comment_group_contrib USING btree (event_id);

--
-- Name: comment_group_top_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX comment_group_top_idx ON public.comment_group_folded USING btree (event_id, item, n DESC, head, lang, vkey);

--
-- Name: comment_latest_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX comment_latest_idx ON public.comment USING btree (event_id, item, submitted_at DESC, response_id DESC);

--
-- Name: comment_response_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX comment_response_idx ON public.comment USING btree (response_id);

--
-- Name: contact_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contact_event_idx ON public.contact USING btree (event_id, submitted_at, response_id, item);

--
-- Name: invite_log_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX invite_log_event_idx ON public.invite_log USING btree (event_id, kind, at);

--
-- Name: invite_log_once; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX invite_log_once ON public.invite_log USING btree (participant_id, instrument, kind) WHERE ok;

--
-- Name: login_backoff_expires_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_backoff_expires_idx ON public.login_backoff USING btree (expires_at);

--
-- Name: participant_event_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX participant_event_id_idx ON public.participant USING btree (event_id, id);

--
-- Name: participant_preissued_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX participant_preissued_idx ON public.participant USING btree (event_id) WHERE preissued;

--
-- Name: rate_event_expires_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rate_event_expires_idx ON public.rate_event USING btree (expires_at);

--
-- Name: rate_event_key_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rate_event_key_idx ON public.rate_event USING btree (key, at);

--
-- Name: response_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX response_event_idx ON public.response USING btree (event_id, instrument);

--
-- Name: response_event_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX response_event_time_idx ON public.response USING btree (event_id, submitted_at);

--
-- Name: response_paper_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX response_paper_idx ON public.response USING btree (event_id, instrument) WHERE (source = 'paper'::text);

--
-- Name: session_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX session_user_idx ON public.session USING btree (user_id);

--
-- Name: stats_change_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stats_change_event_idx ON public.stats_change USING btree (event_id, at);

--
-- Name: stats_change_participant_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stats_change_participant_idx ON public.stats_change USING btree (participant_id);

--
-- Name: stats_contrib_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stats_contrib_event_idx ON public.stats_contrib USING btree (event_id);

--
-- Name: stats_member_seg_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stats_member_seg_idx ON public.stats_member_folded USING btree (event_id, fkey, fvalue);

--
-- Name: submission_response_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submission_response_idx ON public.submission USING btree (response_id);

--
-- Name: user_event_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_event_event_idx ON public.user_event USING btree (event_id);

--
-- Name: answer answer_response_check; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER answer_response_check AFTER INSERT ON public.answer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('enquete.submit_rows'::text, true) IS DISTINCT FROM 'own'::text)) EXECUTE FUNCTION public.response_ref_check('answer_response_id_fkey');

--
-- Name: answer answer_response_check_upd; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER answer_response_check_upd AFTER UPDATE ON public.answer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.response_ref_check('answer_response_id_fkey');

--
-- Name: app_user app_user_password_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER app_user_password_changed AFTER UPDATE OF password_hash ON public.app_user FOR EACH ROW WHEN ((old.password_hash IS DISTINCT FROM new.password_hash)) EXECUTE FUNCTION public.enquete_password_changed();

--
-- Name: answer comment_answer_del; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER comment_answer_del AFTER DELETE ON public.answer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.comment_answer_del();

--
-- Name: answer comment_answer_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER comment_answer_ins AFTER INSERT ON public.answer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('enquete.submit_rows'::text, true) IS DISTINCT FROM 'own'::text)) EXECUTE FUNCTION public.comment_answer_ins();

--
-- Name: comment comment_response_check; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER comment_response_check AFTER INSERT ON public.comment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('enquete.submit_rows'::text, true) IS DISTINCT FROM 'own'::text)) EXECUTE FUNCTION public.response_ref_check('comment_response_id_fkey');

--
-- Name: comment comment_response_check_upd; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER comment_response_check_upd AFTER UPDATE ON public.comment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.response_ref_check('comment_response_id_fkey');

--
-- Name: contact contact_fill; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contact_fill BEFORE INSERT ON public.contact FOR EACH ROW WHEN (((new.event_id IS NULL) OR (new.submitted_at IS NULL))) EXECUTE FUNCTION public.contact_fill();

--
-- Name: event event_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER event_changed AFTER INSERT OR DELETE OR UPDATE ON public.event FOR EACH STATEMENT EXECUTE FUNCTION public.enquete_event_changed();

--
-- Name: event event_folded_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER event_folded_delete AFTER DELETE ON public.event FOR EACH ROW EXECUTE FUNCTION public.event_folded_delete();

--
-- Name: participant paper_entry_erase; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER paper_entry_erase AFTER DELETE ON public.participant FOR EACH ROW EXECUTE FUNCTION public.paper_entry_erase();

--
-- Name: response response_rows_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER response_rows_delete AFTER DELETE ON public.response REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.response_rows_delete();

--
-- Name: answer stats_change_answer_del; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER stats_change_answer_del AFTER DELETE ON public.answer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.stats_change_answer_old();

--
-- Name: answer stats_change_answer_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER stats_change_answer_ins AFTER INSERT ON public.answer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('enquete.submit_rows'::text, true) IS DISTINCT FROM 'own'::text)) EXECUTE FUNCTION public.stats_change_answer_new();

--
-- Name: answer stats_change_answer_upd; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER stats_change_answer_upd AFTER UPDATE ON public.answer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.stats_change_answer_new();

--
-- Name: answer stats_change_answer_upd_old; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER stats_change_answer_upd_old AFTER UPDATE ON public.answer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.stats_change_answer_old();

--
-- Name: response stats_change_response; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER stats_change_response AFTER INSERT OR DELETE OR UPDATE ON public.response FOR EACH ROW EXECUTE FUNCTION public.stats_change_response();

--
-- Name: submission submission_response_check; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER submission_response_check AFTER INSERT ON public.submission REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('enquete.submit_rows'::text, true) IS DISTINCT FROM 'own'::text)) EXECUTE FUNCTION public.response_ref_check('submission_response_id_fkey');

--
-- Name: submission submission_response_check_upd; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER submission_response_check_upd AFTER UPDATE ON public.submission REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.response_ref_check('submission_response_id_fkey');

--
-- Name: instrument_window window_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER window_changed AFTER INSERT OR DELETE OR UPDATE ON public.instrument_window FOR EACH STATEMENT EXECUTE FUNCTION public.enquete_event_changed();

--
-- Name: api_token api_token_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token
    ADD CONSTRAINT api_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.app_user(id) ON DELETE CASCADE;

--
-- Name: audit_log audit_log_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE SET NULL;

--
-- Name: contact contact_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.response(id) ON DELETE CASCADE;

--
-- Name: definition definition_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.definition
    ADD CONSTRAINT definition_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: event event_definition_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_definition_id_fkey FOREIGN KEY (definition_id) REFERENCES public.definition(id);

--
-- Name: instrument_window instrument_window_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instrument_window
    ADD CONSTRAINT instrument_window_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: invite_log invite_log_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invite_log
    ADD CONSTRAINT invite_log_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: invite_log invite_log_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invite_log
    ADD CONSTRAINT invite_log_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participant(id) ON DELETE CASCADE;

--
-- Name: paper_batch_code paper_batch_code_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch_code
    ADD CONSTRAINT paper_batch_code_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.paper_batch(id) ON DELETE CASCADE;

--
-- Name: paper_batch_code paper_batch_code_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch_code
    ADD CONSTRAINT paper_batch_code_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participant(id) ON DELETE CASCADE;

--
-- Name: paper_batch paper_batch_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch
    ADD CONSTRAINT paper_batch_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id) ON DELETE SET NULL;

--
-- Name: paper_batch paper_batch_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_batch
    ADD CONSTRAINT paper_batch_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: paper_entry paper_entry_definition_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_entry
    ADD CONSTRAINT paper_entry_definition_id_fkey FOREIGN KEY (definition_id) REFERENCES public.definition(id);

--
-- Name: paper_entry paper_entry_entered_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_entry
    ADD CONSTRAINT paper_entry_entered_by_fkey FOREIGN KEY (entered_by) REFERENCES public.app_user(id) ON DELETE SET NULL;

--
-- Name: paper_entry paper_entry_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_entry
    ADD CONSTRAINT paper_entry_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: paper_sheet paper_sheet_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_sheet
    ADD CONSTRAINT paper_sheet_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: paper_sheet paper_sheet_resolved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_sheet
    ADD CONSTRAINT paper_sheet_resolved_by_fkey FOREIGN KEY (resolved_by) REFERENCES public.app_user(id) ON DELETE SET NULL;

--
-- Name: paper_sheet paper_sheet_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paper_sheet
    ADD CONSTRAINT paper_sheet_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.response(id) ON DELETE SET NULL;

--
-- Name: participant participant_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant
    ADD CONSTRAINT participant_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: response response_definition_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_definition_id_fkey FOREIGN KEY (definition_id) REFERENCES public.definition(id);

--
-- Name: response response_entered_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_entered_by_fkey FOREIGN KEY (entered_by) REFERENCES public.app_user(id) ON DELETE SET NULL;

--
-- Name: response response_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: response_history response_history_definition_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_history
    ADD CONSTRAINT response_history_definition_id_fkey FOREIGN KEY (definition_id) REFERENCES public.definition(id);

--
-- Name: response_history response_history_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_history
    ADD CONSTRAINT response_history_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.response(id) ON DELETE CASCADE;

--
-- Name: response response_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response
    ADD CONSTRAINT response_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participant(id) ON DELETE CASCADE;

--
-- Name: session session_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.app_user(id) ON DELETE CASCADE;

--
-- Name: stats_fold stats_fold_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_fold
    ADD CONSTRAINT stats_fold_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: stats_item stats_item_definition_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stats_item
    ADD CONSTRAINT stats_item_definition_id_fkey FOREIGN KEY (definition_id) REFERENCES public.definition(id) ON DELETE CASCADE;

--
-- Name: user_event user_event_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_event
    ADD CONSTRAINT user_event_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;

--
-- Name: user_event user_event_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_event
    ADD CONSTRAINT user_event_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.app_user(id) ON DELETE CASCADE;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO enquete_app;

--
-- Name: FUNCTION comment_answer_del(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_answer_del() TO enquete_app;

--
-- Name: FUNCTION comment_answer_ins(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_answer_ins() TO enquete_app;

--
-- Name: FUNCTION comment_group_all(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_all(p_event integer) TO enquete_app;

--
-- Name: FUNCTION comment_group_cur(p_participants bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_cur(p_participants bigint[]) TO enquete_app;

--
-- Name: FUNCTION comment_group_delta(p_participants bigint[], p_cur public.comment_group_cur_row[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_delta(p_participants bigint[], p_cur public.comment_group_cur_row[]) TO enquete_app;

--
-- Name: FUNCTION comment_group_fold(p_event integer, p_ps bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_fold(p_event integer, p_ps bigint[]) TO enquete_app;

--
-- Name: FUNCTION comment_group_pending(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_pending(p_event integer) TO enquete_app;

--
-- Name: FUNCTION comment_group_vkey(p_value text); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.comment_group_vkey(p_value text) TO enquete_app;

--
-- Name: FUNCTION contact_fill(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.contact_fill() TO enquete_app;

--
-- Name: FUNCTION enquete_comment_groups(p_event integer, p_items jsonb, p_cap integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_comment_groups(p_event integer, p_items jsonb, p_cap integer) TO enquete_app;

--
-- Name: FUNCTION enquete_comments_check(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_comments_check(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_comments_filtered(p_event integer, p_items jsonb, p_filter jsonb, p_walk boolean); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_comments_filtered(p_event integer, p_items jsonb, p_filter jsonb, p_walk boolean) TO enquete_app;

--
-- Name: FUNCTION enquete_console_store(p_slug text, p_create boolean, p_body jsonb, p_digest text, p_items jsonb, p_windows jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_console_store(p_slug text, p_create boolean, p_body jsonb, p_digest text, p_items jsonb, p_windows jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_console_time(p_at text, p_tz text); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_console_time(p_at text, p_tz text) TO enquete_app;

--
-- Name: FUNCTION enquete_event_changed(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_event_changed() TO enquete_app;

--
-- Name: FUNCTION enquete_fold(p_limit integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_fold(p_limit integer) TO enquete_app;

--
-- Name: FUNCTION enquete_fold_lag(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_fold_lag(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_group_sizes(p_event integer, p_filter jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_group_sizes(p_event integer, p_filter jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_login_take(p_account text, p_client text, p_client_max integer, p_window integer, p_free integer, p_base integer, p_cap integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_login_take(p_account text, p_client text, p_client_max integer, p_window integer, p_free integer, p_base integer, p_cap integer) TO enquete_app;

--
-- Name: FUNCTION enquete_paper_batch(p_event integer, p_key text, p_codes text[], p_user integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_paper_batch(p_event integer, p_key text, p_codes text[], p_user integer) TO enquete_app;

--
-- Name: FUNCTION enquete_paper_enter(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_paper_enter(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_paper_resolve(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_paper_resolve(p_event integer, p_instrument text, p_sheet text, p_user integer, p_definition integer, p_lang text, p_code text, p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_paper_submit(p_event integer, p_instrument text, p_definition integer, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_user integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_paper_submit(p_event integer, p_instrument text, p_definition integer, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_user integer) TO enquete_app;

--
-- Name: FUNCTION enquete_password_changed(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_password_changed() TO enquete_app;

--
-- Name: FUNCTION enquete_personal_keys(p_definition integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_personal_keys(p_definition integer) TO enquete_app;

--
-- Name: FUNCTION enquete_rate_check(p_key text, p_max integer, p_window integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_rate_check(p_key text, p_max integer, p_window integer) TO enquete_app;

--
-- Name: FUNCTION enquete_rate_gc(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_rate_gc() TO enquete_app;

--
-- Name: FUNCTION enquete_rate_take(p_key text, p_max integer, p_window integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_rate_take(p_key text, p_max integer, p_window integer) TO enquete_app;

--
-- Name: FUNCTION enquete_rate_wait(p_key text, p_max integer, p_window integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_rate_wait(p_key text, p_max integer, p_window integer) TO enquete_app;

--
-- Name: FUNCTION enquete_seg_check(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_seg_check(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_seg_rebuild(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_seg_rebuild(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_stats(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_stats(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_stats_check(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_stats_check(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_stats_filtered(p_event integer, p_filter jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_stats_filtered(p_event integer, p_filter jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_stats_rebuild(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_stats_rebuild(p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_stats_recompute(p_event integer, p_filter jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_stats_recompute(p_event integer, p_filter jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb) TO enquete_app;

--
-- Name: FUNCTION enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_edit boolean); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_submit(p_event integer, p_instrument text, p_definition integer, p_token bytea, p_link text, p_code text, p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_edit boolean) TO enquete_app;

--
-- Name: FUNCTION enquete_user_sees(p_user integer, p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_user_sees(p_user integer, p_event integer) TO enquete_app;

--
-- Name: FUNCTION enquete_window_open(p_event integer, p_instrument text); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.enquete_window_open(p_event integer, p_instrument text) TO enquete_app;

--
-- Name: FUNCTION event_folded_delete(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.event_folded_delete() TO enquete_app;

--
-- Name: FUNCTION paper_entry_erase(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.paper_entry_erase() TO enquete_app;

--
-- Name: FUNCTION response_ref_check(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.response_ref_check() TO enquete_app;

--
-- Name: FUNCTION response_rows_delete(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.response_rows_delete() TO enquete_app;

--
-- Name: FUNCTION stats_change_answer_new(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_change_answer_new() TO enquete_app;

--
-- Name: FUNCTION stats_change_answer_old(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_change_answer_old() TO enquete_app;

--
-- Name: FUNCTION stats_change_response(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_change_response() TO enquete_app;

--
-- Name: FUNCTION stats_fold_apply(p_event integer, p_ps bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_apply(p_event integer, p_ps bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_cur(p_ps bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_cur(p_ps bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_delta(p_participants bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_delta(p_participants bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_done(p_event integer, p_n integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_done(p_event integer, p_n integer) TO enquete_app;

--
-- Name: FUNCTION stats_fold_key(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_key() TO enquete_app;

--
-- Name: FUNCTION stats_fold_members(p_participants bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_members(p_participants bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_old(p_ps bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_old(p_ps bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_seg_delta(p_participants bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_seg_delta(p_participants bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_fold_take(p_limit integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_take(p_limit integer) TO enquete_app;

--
-- Name: FUNCTION stats_fold_write(p_event integer, p_ps bigint[], p_fkey text[], p_fvalue text[], p_kind text[], p_instrument text[], p_item text[], p_value text[], p_rank integer[], p_n bigint[], p_s1 double precision[], p_s2 double precision[], p_moved bigint[], p_mp bigint[], p_mk text[], p_mv text[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_fold_write(p_event integer, p_ps bigint[], p_fkey text[], p_fvalue text[], p_kind text[], p_instrument text[], p_item text[], p_value text[], p_rank integer[], p_n bigint[], p_s1 double precision[], p_s2 double precision[], p_moved bigint[], p_mp bigint[], p_mk text[], p_mv text[]) TO enquete_app;

--
-- Name: FUNCTION stats_folded_delete(p_event integer); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_folded_delete(p_event integer) TO enquete_app;

--
-- Name: FUNCTION stats_participant_tuples(p_participants bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_participant_tuples(p_participants bigint[]) TO enquete_app;

--
-- Name: FUNCTION stats_pending_events(); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_pending_events() TO enquete_app;

--
-- Name: FUNCTION stats_quizd_rank(p_participant bigint); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_quizd_rank(p_participant bigint) TO enquete_app;

--
-- Name: FUNCTION stats_recompute_base(p_event integer, p_filter jsonb); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_recompute_base(p_event integer, p_filter jsonb) TO enquete_app;

--
-- Name: FUNCTION stats_resp_tuples(p_resp bigint[], p_all boolean); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_resp_tuples(p_resp bigint[], p_all boolean) TO enquete_app;

--
-- Name: FUNCTION stats_score(p_response bigint); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_score(p_response bigint) TO enquete_app;

--
-- Name: FUNCTION stats_seg_comments_walk(p_all bigint, p_seg bigint, p_mem bigint); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_seg_comments_walk(p_all bigint, p_seg bigint, p_mem bigint) TO enquete_app;

--
-- Name: FUNCTION stats_seg_filter(p_event integer, p_filter jsonb, OUT fkey text, OUT fvalue text); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_seg_filter(p_event integer, p_filter jsonb, OUT fkey text, OUT fvalue text) TO enquete_app;

--
-- Name: FUNCTION stats_seg_usable(p_event integer, p_key text); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_seg_usable(p_event integer, p_key text) TO enquete_app;

--
-- Name: FUNCTION stats_x_tuples(p_resp bigint[]); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.stats_x_tuples(p_resp bigint[]) TO enquete_app;

--
-- Name: FUNCTION submit_rows(p_response bigint, p_event integer, p_participant bigint, p_instrument text, p_definition integer, p_rows jsonb, p_contacts jsonb, p_token bytea); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.submit_rows(p_response bigint, p_event integer, p_participant bigint, p_instrument text, p_definition integer, p_rows jsonb, p_contacts jsonb, p_token bytea) TO enquete_app;

--
-- Name: TABLE answer; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.answer TO enquete_app;

--
-- Name: TABLE api_token; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_token TO enquete_app;

--
-- Name: SEQUENCE api_token_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.api_token_id_seq TO enquete_app;

--
-- Name: TABLE app_secret; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.app_secret TO enquete_app;

--
-- Name: TABLE app_user; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.app_user TO enquete_app;

--
-- Name: SEQUENCE app_user_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.app_user_id_seq TO enquete_app;

--
-- Name: TABLE audit_log; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.audit_log TO enquete_app;

--
-- Name: SEQUENCE audit_log_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.audit_log_id_seq TO enquete_app;

--
-- Name: TABLE comment; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment TO enquete_app;

--
-- Name: TABLE comment_count_folded; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_count_folded TO enquete_app;

--
-- Name: TABLE stats_change; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_change TO enquete_app;

--
-- Name: TABLE stats_pending; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_pending TO enquete_app;

--
-- Name: TABLE comment_count; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_count TO enquete_app;

--
-- Name: TABLE comment_group_contrib; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_group_contrib TO enquete_app;

--
-- Name: TABLE comment_group_folded; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_group_folded TO enquete_app;

--
-- Name: TABLE response; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.response TO enquete_app;

--
-- Name: TABLE stats_item; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_item TO enquete_app;

--
-- Name: TABLE comment_source; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_source TO enquete_app;

--
-- Name: TABLE contact; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contact TO enquete_app;

--
-- Name: TABLE definition; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.definition TO enquete_app;

--
-- Name: SEQUENCE definition_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.definition_id_seq TO enquete_app;

--
-- Name: TABLE event; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.event TO enquete_app;

--
-- Name: SEQUENCE event_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.event_id_seq TO enquete_app;

--
-- Name: TABLE instrument_window; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.instrument_window TO enquete_app;

--
-- Name: TABLE invite_log; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.invite_log TO enquete_app;

--
-- Name: SEQUENCE invite_log_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.invite_log_id_seq TO enquete_app;

--
-- Name: TABLE login_backoff; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.login_backoff TO enquete_app;

--
-- Name: TABLE paper_batch; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.paper_batch TO enquete_app;

--
-- Name: TABLE paper_batch_code; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.paper_batch_code TO enquete_app;

--
-- Name: SEQUENCE paper_batch_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.paper_batch_id_seq TO enquete_app;

--
-- Name: TABLE paper_entry; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.paper_entry TO enquete_app;

--
-- Name: TABLE paper_sheet; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.paper_sheet TO enquete_app;

--
-- Name: TABLE participant; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.participant TO enquete_app;

--
-- Name: SEQUENCE participant_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.participant_id_seq TO enquete_app;

--
-- Name: TABLE rate_event; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.rate_event TO enquete_app;

--
-- Name: TABLE response_history; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.response_history TO enquete_app;

--
-- Name: SEQUENCE response_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON SEQUENCE public.response_id_seq TO enquete_app;

--
-- Name: TABLE schema_migrations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.schema_migrations TO enquete_app;

--
-- Name: TABLE session; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.session TO enquete_app;

--
-- Name: TABLE stats_agg_folded; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_agg_folded TO enquete_app;

--
-- Name: TABLE stats_agg; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_agg TO enquete_app;

--
-- Name: TABLE stats_contrib; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_contrib TO enquete_app;

--
-- Name: TABLE stats_fold; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_fold TO enquete_app;

--
-- Name: TABLE stats_member_folded; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_member_folded TO enquete_app;

--
-- Name: TABLE stats_member; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_member TO enquete_app;

--
-- Name: TABLE stats_member_source; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_member_source TO enquete_app;

--
-- Name: TABLE stats_seg_folded; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_seg_folded TO enquete_app;

--
-- Name: TABLE stats_seg; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stats_seg TO enquete_app;

--
-- Name: TABLE submission; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.submission TO enquete_app;

--
-- Name: TABLE user_event; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_event TO enquete_app;

--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: public; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE enquete IN SCHEMA public GRANT ALL ON SEQUENCES  TO enquete_app;

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: public; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE enquete IN SCHEMA public GRANT ALL ON FUNCTIONS  TO enquete_app;

--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: public; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE enquete IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO enquete_app;

--
-- PostgreSQL database dump complete
--

