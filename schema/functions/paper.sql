-- paper.sql: paper questionnaires (DESIGN.md "Paper questionnaires"; tables
-- event.double_entry, response.entered_by, paper_batch, paper_batch_code,
-- paper_entry and paper_sheet: schema/019_paper.sql). Issuing badge-code
-- batches, storing a typed sheet, double entry and its resolution, and the
-- erasure of a participant's waiting entries.
--
-- How unconfirmed sheets stay out of the analysis: a sheet typed under
-- double entry lives in paper_entry only until its two entries agree (or a
-- third person resolved their differences). Only then does
-- enquete_paper_submit() write it to response and answer, where the
-- statistics' triggers, the dashboard, the report and every export read.

-- Issues a batch: p_codes (drawn by the caller from libsodium) become
-- pre-issued participants. Returns the batch id and whether it is new; an
-- existing key returns its batch and issues nothing. A code already taken
-- raises unique_violation (23505): the caller draws again.
CREATE OR REPLACE FUNCTION enquete_paper_batch(p_event int, p_key text, p_codes text[],
	p_user int)
RETURNS TABLE (batch int, created boolean)
LANGUAGE plpgsql AS $$
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

-- Stores a typed sheet as a response with source 'paper': whatever the
-- answering window; for the participant of p_code when given (it must
-- exist: a code comes printed on the sheet), else for a new participant
-- with p_new_code. Never updates: a participant's instrument answered
-- already is 'conflict'. outcome: stored | unknown_code | conflict |
-- code_taken; response: the new response's id.
CREATE OR REPLACE FUNCTION enquete_paper_submit(p_event int, p_instrument text,
	p_definition int, p_code text, p_new_code text, p_lang text,
	p_answers jsonb, p_rows jsonb, p_contacts jsonb, p_user int)
RETURNS TABLE (outcome text, code text, response bigint)
LANGUAGE plpgsql AS $$
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

-- One entry of a sheet under double entry. The first entry waits
-- ('pending'); the second, by another operator ('same_operator' when it is
-- the same one), either agrees and the sheet is stored ('agreed', through
-- enquete_paper_submit, whose refusals unknown_code and conflict are
-- passed on with nothing kept) or differs ('differs': listed for
-- resolution). A sheet already stored is 'done'; one in conflict, 'open'.
-- p_code: the participant code of a 'C:' sheet, else NULL.
CREATE OR REPLACE FUNCTION enquete_paper_enter(p_event int, p_instrument text,
	p_sheet text, p_user int, p_definition int, p_lang text, p_code text,
	p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb)
RETURNS TABLE (outcome text, code text)
LANGUAGE plpgsql AS $$
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

-- A third person's reading of a sheet in conflict, typed from the paper:
-- stored as the sheet's response ('resolved'). 'same_operator' when the
-- resolver typed one of the two entries; 'none' when the sheet is not in
-- conflict; unknown_code and conflict as enquete_paper_submit.
CREATE OR REPLACE FUNCTION enquete_paper_resolve(p_event int, p_instrument text,
	p_sheet text, p_user int, p_definition int, p_lang text, p_code text,
	p_new_code text, p_answers jsonb, p_rows jsonb, p_contacts jsonb)
RETURNS TABLE (outcome text, code text)
LANGUAGE plpgsql AS $$
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

-- Erasing a participant (enquetectl participant erase) also removes the
-- entries of their sheets that wait for a second entry or a resolution:
-- those hold answers that are not yet in response.
CREATE OR REPLACE FUNCTION paper_entry_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM paper_entry WHERE event_id = OLD.event_id
		AND sheet = 'C:' || OLD.code;
	DELETE FROM paper_sheet WHERE event_id = OLD.event_id
		AND sheet = 'C:' || OLD.code AND state IN ('pending', 'conflict');
	RETURN OLD;
END
$$;

CREATE OR REPLACE TRIGGER paper_entry_erase AFTER DELETE ON participant
	FOR EACH ROW EXECUTE FUNCTION paper_entry_erase();
