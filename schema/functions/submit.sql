-- submit.sql: enquete_submit(), the one round trip a submission makes:
-- idempotency, participant linking, window check, history and typed rows
-- in one transaction (the statistics folder follows the response row's
-- change record, fold.sql); the contact rows' event and time; the personal
-- keys of a definition.

-- PL/pgSQL, so that its plan is kept per connection: as an SQL function
-- with a subquery it cannot be inlined, and each call (one per
-- submission) parsed and planned it again: a tenth of enquete_submit's
-- time (issue 27, perf on pgbench).
CREATE OR REPLACE FUNCTION enquete_window_open(p_event int, p_instrument text)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM instrument_window w
		WHERE w.event_id = p_event AND w.instrument = p_instrument
		AND w.opens_at IS NOT NULL AND w.opens_at <= now()
		AND (w.closes_at IS NULL OR now() < w.closes_at));
END
$$;

-- The rows of one stored response, for both forms of enquete_submit: its
-- typed answers, the comment rows of its free-text answers, its contacts
-- and its idempotency row, in one statement. The answer INSERT's three
-- statement triggers (comment_answer_ins, stats_change_answer_ins,
-- answer_response_check) and the comment and submission INSERTs' key
-- checks (comment_response_check, submission_response_check) stand aside
-- for this statement alone, by their WHEN on enquete.submit_rows
-- (transaction-local, reset right after; set by assignments, which
-- PL/pgSQL evaluates without starting an executor as PERFORM did):
--   * the comment rows are written here, from the answers inserted and the
--     instrument's free-text items (the trigger found the same rows
--     through the transition table and the response row);
--   * the change record is the response row's own (stats_change_response);
--   * the response is the row enquete_submit has just inserted or updated,
--     locked by its transaction (what response_ref_check verifies).
-- Other writers of these rows (paper entry, hand-made SQL) leave the
-- setting alone and keep them all. The contact rows carry their event and
-- time, so contact_fill (WHEN either is missing) does not look the
-- response up. Issue 27: with the answers' foreign key (migration 027),
-- the triggers and the window check, the largest costs of a submission
-- beyond its rows (perf on pgbench); the comment and submission keys
-- followed (029).
CREATE OR REPLACE FUNCTION submit_rows(p_response bigint, p_event int,
	p_participant bigint, p_instrument text, p_definition int,
	p_rows jsonb, p_contacts jsonb, p_token bytea)
RETURNS void
LANGUAGE plpgsql AS $$
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

-- (enquete_submit's rows carry both: submit_rows)
CREATE OR REPLACE TRIGGER contact_fill BEFORE INSERT ON contact
	FOR EACH ROW
	WHEN (NEW.event_id IS NULL OR NEW.submitted_at IS NULL)
	EXECUTE FUNCTION contact_fill();

-- answer, comment and submission rows and their response (migrations 027
-- and 029): the foreign key's check, once per statement and per response
-- named, with the key's lock and error (TG_ARGV[0]: the key's name);
-- enquete_submit's own rows are exempt (their response is the row it has
-- just written, locked by its transaction).
CREATE OR REPLACE FUNCTION response_ref_check() RETURNS trigger
LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE TRIGGER answer_response_check AFTER INSERT ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('enquete.submit_rows', true) IS DISTINCT FROM 'own')
	EXECUTE FUNCTION response_ref_check('answer_response_id_fkey');
CREATE OR REPLACE TRIGGER answer_response_check_upd AFTER UPDATE ON answer
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	EXECUTE FUNCTION response_ref_check('answer_response_id_fkey');
CREATE OR REPLACE TRIGGER comment_response_check AFTER INSERT ON comment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('enquete.submit_rows', true) IS DISTINCT FROM 'own')
	EXECUTE FUNCTION response_ref_check('comment_response_id_fkey');
CREATE OR REPLACE TRIGGER comment_response_check_upd AFTER UPDATE ON comment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	EXECUTE FUNCTION response_ref_check('comment_response_id_fkey');
CREATE OR REPLACE TRIGGER submission_response_check AFTER INSERT
	ON submission
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('enquete.submit_rows', true) IS DISTINCT FROM 'own')
	EXECUTE FUNCTION response_ref_check('submission_response_id_fkey');
CREATE OR REPLACE TRIGGER submission_response_check_upd AFTER UPDATE
	ON submission
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	EXECUTE FUNCTION response_ref_check('submission_response_id_fkey');

-- the keys' ON DELETE CASCADE: the deleted responses' answer, comment and
-- submission rows, once per statement, each table by its response_id
-- index (submission's since 030: before, erasing one participant read
-- the whole table)
CREATE OR REPLACE FUNCTION response_rows_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_ids bigint[] := ARRAY(SELECT id FROM old_rows);
BEGIN
	DELETE FROM answer WHERE response_id = ANY (v_ids);
	DELETE FROM comment WHERE response_id = ANY (v_ids);
	DELETE FROM submission WHERE response_id = ANY (v_ids);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER response_rows_delete AFTER DELETE ON response
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION response_rows_delete();

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
