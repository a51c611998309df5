-- gen_participants.sql: paired participants generated fast in SQL for the
-- summary-at-scale benchmark (scripts/bench), through the same tables and
-- the same statistics maintenance as a submission: participant, then the
-- pre response and its answer rows, then the post response and its rows,
-- so that the triggers of 004_stats.sql (response row triggers, answer
-- statement triggers with transition tables) do exactly what they do for
-- enquete_submit, only for a batch of participants per statement.
--
-- The answer rows are those of two real submissions made through the
-- stack (bench.take_template), with every single-choice, quiz, likert5 and
-- rating10 answer drawn at random per participant, so the statistics hold
-- realistic distributions. Everything lives in schema bench; the cluster
-- is the benchmark's own.

CREATE SCHEMA IF NOT EXISTS bench;

-- One real response per instrument: its raw answers and its answer rows.
CREATE TABLE IF NOT EXISTS bench.template_response (
	instrument text PRIMARY KEY,
	lang text NOT NULL,
	answers jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS bench.template_answer (
	instrument text NOT NULL,
	item text NOT NULL,
	value text NOT NULL,
	num double precision,
	rank smallint
);
-- The values an item may take, for the items drawn at random.
CREATE TABLE IF NOT EXISTS bench.choice (
	instrument text NOT NULL,
	item text NOT NULL,
	numeric boolean NOT NULL,
	opts text[] NOT NULL,
	PRIMARY KEY (instrument, item)
);

-- Copies responses p_pre and p_post (made through the stack) as templates.
CREATE OR REPLACE FUNCTION bench.take_template(p_pre bigint, p_post bigint)
RETURNS void LANGUAGE sql AS $$
	DELETE FROM bench.template_response;
	DELETE FROM bench.template_answer;
	DELETE FROM bench.choice;
	INSERT INTO bench.template_response
		SELECT instrument, lang, answers FROM response
		WHERE id IN (p_pre, p_post);
	INSERT INTO bench.template_answer
		SELECT r.instrument, a.item, a.value, a.num, a.rank
		FROM answer a JOIN response r ON r.id = a.response_id
		WHERE r.id IN (p_pre, p_post);
	INSERT INTO bench.choice
		SELECT i.key, x.item, it->>'type' IN ('likert5', 'rating10'),
			CASE it->>'type'
			WHEN 'likert5' THEN ARRAY['1', '2', '3', '4', '5']
			WHEN 'rating10' THEN ARRAY(SELECT g::text
				FROM generate_series(0, 10) g)
			ELSE ARRAY(SELECT o->>'value'
				FROM jsonb_array_elements(it->'options') o)
			END
		FROM response r JOIN definition d ON d.id = r.definition_id,
			jsonb_each(d.body->'instruments') i,
			jsonb_array_elements(i.value->'sections') s,
			jsonb_array_elements(s->'items') it,
			LATERAL (SELECT it->>'key' UNION ALL
				SELECT (it->>'key') || '.retro'
				WHERE coalesce((it->>'retro')::boolean, false)
				AND i.key = 'post') AS x(item)
		WHERE r.id = p_pre
			AND it->>'type' IN ('likert5', 'rating10', 'single', 'quiz')
	ON CONFLICT DO NOTHING;
$$;

-- Adds paired participants to event p_event until it has p_total, p_batch
-- per transaction (committed one by one: a long run can be interrupted and
-- resumed). Codes are the participant's number in hexadecimal (valid
-- Crockford base32), so they never collide.
CREATE OR REPLACE PROCEDURE bench.generate(p_event int, p_total int,
	p_batch int)
LANGUAGE plpgsql AS $$
DECLARE
	v_def int;
	v_have int;
	v_k int;
BEGIN
	SELECT definition_id INTO v_def FROM event WHERE id = p_event;
	SELECT count(*) INTO v_have FROM participant WHERE event_id = p_event;
	WHILE v_have < p_total LOOP
		v_k := least(p_batch, p_total - v_have);
		CREATE TEMP TABLE IF NOT EXISTS bench_new (pid bigint,
			pre bigint, post bigint) ON COMMIT DELETE ROWS;
		WITH p AS (INSERT INTO participant (event_id, code)
			SELECT p_event, lpad(upper(to_hex(v_have + g)), 8, '0')
			FROM generate_series(1, v_k) g RETURNING id)
		INSERT INTO bench_new (pid) SELECT id FROM p;
		PERFORM bench.instrument(p_event, v_def, 'pre');
		PERFORM bench.instrument(p_event, v_def, 'post');
		v_have := v_have + v_k;
		COMMIT;
	END LOOP;
END
$$;

-- One instrument for the participants in bench_new: the responses (row
-- triggers), then all their answer rows in one statement (one statement
-- trigger over the transition table, as for one submission).
CREATE OR REPLACE FUNCTION bench.instrument(p_event int, p_def int,
	p_instrument text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS bench_resp (id bigint)
		ON COMMIT DELETE ROWS;
	DELETE FROM bench_resp;
	WITH r AS (INSERT INTO response (participant_id, event_id,
			instrument, definition_id, lang, answers)
		SELECT n.pid, p_event, p_instrument, p_def, t.lang, t.answers
		FROM bench_new n, bench.template_response t
		WHERE t.instrument = p_instrument
		ORDER BY n.pid RETURNING id)
	INSERT INTO bench_resp SELECT id FROM r;
	INSERT INTO answer (response_id, item, value, num, rank)
	SELECT r.id, t.item, v.value,
		CASE WHEN c.numeric THEN v.value::double precision
			ELSE t.num END,
		t.rank
	FROM bench_resp r
	CROSS JOIN bench.template_answer t
	LEFT JOIN bench.choice c ON c.instrument = t.instrument
		AND c.item = t.item
	CROSS JOIN LATERAL (SELECT coalesce(c.opts[1 + floor(random() *
		array_length(c.opts, 1))::int + 0 * r.id], t.value)) AS v(value)
	WHERE t.instrument = p_instrument;
END
$$;
