-- submit.sql: enquete_submit(), the one round trip a submission makes:
-- idempotency, participant linking, window check, history and typed rows
-- in one transaction (the statistics follow the answer rows through the
-- triggers of stats.sql); the contact rows' event and time; the personal
-- keys of a definition.

CREATE OR REPLACE FUNCTION enquete_window_open(p_event int, p_instrument text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM instrument_window w
		WHERE w.event_id = p_event AND w.instrument = p_instrument
		AND w.opens_at IS NOT NULL AND w.opens_at <= now()
		AND (w.closes_at IS NULL OR now() < w.closes_at))
$$;

-- p_link: 'new' (no code: a new participant with p_new_code), 'cookie'
-- (the code from our cookie: may update an earlier answer), 'code' (typed
-- or pre-issued: must exist, and must not have answered this instrument).
-- p_rows: [{"item", "value", "num", "rank"}]; p_contacts: {"item": "value"}.
-- outcome: stored | updated | replay | unknown_code | conflict | closed |
-- code_taken (the new code collided: retry with another).
CREATE OR REPLACE FUNCTION enquete_submit(p_event int, p_instrument text,
	p_definition int, p_token bytea, p_link text, p_code text,
	p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb,
	p_contacts jsonb)
RETURNS TABLE (outcome text, code text)
LANGUAGE plpgsql AS $$
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
	END IF;

	SELECT * INTO v_old FROM response
		WHERE participant_id = v_participant
		AND instrument = p_instrument FOR UPDATE;
	IF FOUND THEN
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

	INSERT INTO answer (response_id, item, value, num, rank)
		SELECT v_response, r.item, r.value, r.num, r.rank
		FROM jsonb_to_recordset(p_rows)
			AS r(item text, value text, num double precision,
			     rank smallint);
	INSERT INTO contact (response_id, item, value)
		SELECT v_response, c.key, c.value
		FROM jsonb_each_text(p_contacts) AS c;
	INSERT INTO submission (token_hash, response_id)
		VALUES (p_token, v_response);
	RETURN QUERY SELECT (CASE WHEN v_old.id IS NULL THEN 'stored'
		ELSE 'updated' END)::text, v_code;
END
$$;

COMMENT ON FUNCTION enquete_submit(int, text, int, bytea, text, text, text,
	text, jsonb, jsonb, jsonb) IS
	'seeding and tests only: the server calls the 12-argument form';

CREATE OR REPLACE FUNCTION contact_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT r.event_id, r.submitted_at INTO NEW.event_id, NEW.submitted_at
		FROM response r WHERE r.id = NEW.response_id;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER contact_fill BEFORE INSERT ON contact
	FOR EACH ROW EXECUTE FUNCTION contact_fill();

-- outcome: stored | updated | replay | unknown_code | conflict | exists |
-- locked | closed | code_taken; code: the participant's code on success;
-- at: when the existing response was stored (exists, conflict, locked).
CREATE OR REPLACE FUNCTION enquete_submit(p_event int, p_instrument text,
	p_definition int, p_token bytea, p_link text, p_code text,
	p_new_code text, p_lang text, p_answers jsonb, p_rows jsonb,
	p_contacts jsonb, p_edit boolean)
RETURNS TABLE (outcome text, code text, at timestamptz)
LANGUAGE plpgsql AS $$
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
	END IF;

	SELECT * INTO v_old FROM response
		WHERE participant_id = v_participant
		AND instrument = p_instrument FOR UPDATE;
	IF FOUND THEN
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

	INSERT INTO answer (response_id, item, value, num, rank)
		SELECT v_response, r.item, r.value, r.num, r.rank
		FROM jsonb_to_recordset(p_rows)
			AS r(item text, value text, num double precision,
			     rank smallint);
	INSERT INTO contact (response_id, item, value)
		SELECT v_response, c.key, c.value
		FROM jsonb_each_text(p_contacts) AS c;
	INSERT INTO submission (token_hash, response_id)
		VALUES (p_token, v_response);
	RETURN QUERY SELECT (CASE WHEN v_old.id IS NULL THEN 'stored'
		ELSE 'updated' END)::text, v_code, NULL::timestamptz;
END
$$;

-- The keys of a definition's personal items (every instrument), from the
-- rows the loader wrote for the definition (stats_item: pos % 4 = 0 are
-- the items themselves, not their .other and .retro fields).
CREATE OR REPLACE FUNCTION enquete_personal_keys(p_definition int)
RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(DISTINCT m.item), '{}')
	FROM stats_item m
	WHERE m.definition_id = p_definition AND m.personal
		AND m.pos % 4 = 0
$$;
