-- 002_access.sql: experts and admins, their sessions and API tokens, and
-- the sign-in rate limits shared by all workers.

CREATE TABLE app_user (
	id serial PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
	role text NOT NULL CHECK (role IN ('expert', 'admin')),
	password_hash text NOT NULL,   -- crypto_pwhash_str (argon2id)
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE session (
	token_hash text PRIMARY KEY,
	user_id int NOT NULL REFERENCES app_user ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_user_idx ON session (user_id);

CREATE TABLE api_token (
	token_hash text PRIMARY KEY,
	user_id int NOT NULL REFERENCES app_user ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- Failed attempts per key. A key is a keyed hash (HMAC with app_secret) of
-- the client address, alone or with the account name, and of the window it
-- belongs to: it is not an address and it expires with the window.
CREATE TABLE rate_limit (
	key text PRIMARY KEY,
	failures int NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_expires_idx ON rate_limit (expires_at);
