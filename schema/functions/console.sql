-- console.sql: the organiser's console (issue 20, cgi/web/page_console.c).

-- Stores a definition from the console in one transaction: with p_create,
-- a new event p_slug (outcome 'taken' when the slug exists); else a new
-- version of p_slug's ('missing' when there is no such event, 'unchanged'
-- when its current definition has the same digest; C compares the JSON
-- itself before: this function writes the text whole, never reads it). The
-- version's stats_item rows come as p_items ([{instrument, item, pos,
-- type, role, correct, personal}], written by C, the only reader of the
-- format) and the windows the definition sets as p_windows ([{instrument,
-- opens, closes}]). outcome 'stored' with the new version's number.
CREATE OR REPLACE FUNCTION enquete_console_store(p_slug text, p_create boolean,
	p_body jsonb, p_digest text, p_items jsonb, p_windows jsonb)
RETURNS TABLE (outcome text, version int) LANGUAGE plpgsql AS $$
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

-- A time typed in the console (ISO 8601, checked by C): with an offset
-- (Z, +01, +01:00) as it says, else in the event's time zone p_tz. NULL
-- stays NULL.
CREATE OR REPLACE FUNCTION enquete_console_time(p_at text, p_tz text)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_at IS NULL THEN NULL
		WHEN p_at ~ '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$'
			THEN p_at::timestamptz
		ELSE p_at::timestamp AT TIME ZONE p_tz END
$$;
