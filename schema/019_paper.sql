-- 019_paper.sql: paper questionnaires (DESIGN.md "Paper questionnaires").
--
-- Batches of badge codes printed on paper sheets; sheets typed in by an
-- operator (response.source = 'paper', response.entered_by); double entry.
--
-- How unconfirmed sheets stay out of the analysis: a sheet typed under
-- double entry lives in paper_entry only until its two entries agree (or a
-- third person resolved their differences). Only then does
-- enquete_paper_submit() write it to response and answer, where the
-- statistics' triggers, the dashboard, the report and every export read.
-- So nothing that reads response can ever see an unconfirmed sheet; there
-- is no flag for the analysis to forget.

-- Double entry is chosen per event (the set-up field `double_entry`).
ALTER TABLE event ADD COLUMN double_entry boolean NOT NULL DEFAULT false;

-- Who typed a paper response in (NULL for web answers, and once the user
-- is deleted).
ALTER TABLE response ADD COLUMN entered_by int
	REFERENCES app_user ON DELETE SET NULL;

-- A batch of badge codes issued for paper sheets. key makes the issuing
-- POST idempotent: the same form sent again finds its batch.
CREATE TABLE paper_batch (
	id serial PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
	created_by int REFERENCES app_user ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (event_id, key)
);

CREATE TABLE paper_batch_code (
	batch_id int NOT NULL REFERENCES paper_batch ON DELETE CASCADE,
	pos int NOT NULL,
	participant_id bigint NOT NULL REFERENCES participant ON DELETE CASCADE,
	PRIMARY KEY (batch_id, pos)
);

-- One typed entry of a sheet under double entry (pass 1 or 2), waiting
-- for its twin, or for the resolution of a conflict; deleted once the
-- sheet is stored (its response then holds the answers). sheet is 'C:<code>' for a sheet with a participant code,
-- 'N:<number>' for one matched by its printed sheet number. values: the
-- checked answers {field: value or [values]}; rows and contacts: what
-- enquete_paper_submit() stores once the sheet is confirmed.
CREATE TABLE paper_entry (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	instrument text NOT NULL CHECK (instrument IN ('pre', 'post')),
	sheet text NOT NULL CHECK (sheet ~ '^(C:[0-9A-HJKMNP-TV-Z]{8}|N:[0-9]{1,9})$'),
	pass smallint NOT NULL CHECK (pass IN (1, 2)),
	entered_by int REFERENCES app_user ON DELETE SET NULL,
	definition_id int NOT NULL REFERENCES definition,
	lang text NOT NULL CHECK (lang IN ('fr', 'en', 'ar')),
	code text,
	answers jsonb NOT NULL,
	rows jsonb NOT NULL,
	contacts jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (event_id, instrument, sheet, pass)
);

-- The state of a sheet under double entry: 'pending' (one entry),
-- 'conflict' (two that differ), 'agreed', 'resolved' (stored in response).
CREATE TABLE paper_sheet (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	instrument text NOT NULL CHECK (instrument IN ('pre', 'post')),
	sheet text NOT NULL,
	state text NOT NULL CHECK (state IN ('pending', 'conflict', 'agreed',
		'resolved')),
	response_id bigint REFERENCES response ON DELETE SET NULL,
	resolved_by int REFERENCES app_user ON DELETE SET NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (event_id, instrument, sheet)
);

-- The functions and the trigger of these tables (issuing batches, storing
-- and resolving sheets, erasing a participant's waiting entries) live in
-- schema/functions/paper.sql.
