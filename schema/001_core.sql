-- 001_core.sql: events, versioned definitions, participants, responses.

-- The server's signing and hashing key (form tokens, rate-limit hashes);
-- filled with 32 random bytes from libsodium by `enquetectl migrate`.
CREATE TABLE app_secret (
	id int PRIMARY KEY CHECK (id = 1),
	key bytea NOT NULL CHECK (length(key) = 32)
);

CREATE TABLE event (
	id serial PRIMARY KEY,
	slug text NOT NULL UNIQUE
		CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Every loaded version of an event's definition; responses point at the
-- version they answered.
CREATE TABLE definition (
	id serial PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	version int NOT NULL,
	body jsonb NOT NULL,
	digest text NOT NULL,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (event_id, version)
);

ALTER TABLE event ADD COLUMN definition_id int REFERENCES definition;

-- When each instrument accepts answers: open while opens_at <= now() and
-- (closes_at is null or now() < closes_at).
CREATE TABLE instrument_window (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	instrument text NOT NULL CHECK (instrument IN ('pre', 'post')),
	opens_at timestamptz,
	closes_at timestamptz,
	PRIMARY KEY (event_id, instrument)
);

-- A participant is only a random code: no name, no address.
CREATE TABLE participant (
	id bigserial PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	code text NOT NULL CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
	preissued boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (event_id, code)
);

-- The latest answer of a participant to an instrument; older versions
-- move to response_history.
CREATE TABLE response (
	id bigserial PRIMARY KEY,
	participant_id bigint NOT NULL REFERENCES participant ON DELETE CASCADE,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	instrument text NOT NULL CHECK (instrument IN ('pre', 'post')),
	definition_id int NOT NULL REFERENCES definition,
	version int NOT NULL DEFAULT 1,
	lang text NOT NULL CHECK (lang IN ('fr', 'en', 'ar')),
	submitted_at timestamptz NOT NULL DEFAULT now(),
	answers jsonb NOT NULL,
	UNIQUE (participant_id, instrument)
);
CREATE INDEX response_event_idx ON response (event_id, instrument);

CREATE TABLE response_history (
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	version int NOT NULL,
	definition_id int NOT NULL REFERENCES definition,
	lang text NOT NULL,
	submitted_at timestamptz NOT NULL,
	answers jsonb NOT NULL,
	PRIMARY KEY (response_id, version)
);

-- The typed rows used for analysis: one per answer, one per selected option
-- of a multi-select, one per rank of a ranking (item '<key>', rank n).
CREATE TABLE answer (
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	item text NOT NULL,
	value text NOT NULL,
	num double precision,
	rank smallint
);
CREATE INDEX answer_response_idx ON answer (response_id);
CREATE INDEX answer_item_value_idx ON answer (item, value);

-- Idempotency: one stored response per form token.
CREATE TABLE submission (
	token_hash bytea PRIMARY KEY,
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submission_created_idx ON submission (created_at);
