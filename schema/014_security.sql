-- 014_security.sql: fair rate limits (sliding windows, a per-account
-- back-off, code guesses per address and event), API tokens that expire and
-- end with a password change, sessions capped per user, and the worker's
-- least-privilege role (issue 18, points 2, 3, 8 and 9).

-- ---- rate limits -----------------------------------------------------------
-- The fixed-window counters of 002 gave twice the limit around each window
-- boundary, and their check and count were two statements (30 parallel
-- guesses got 12 checks, not 5). They are replaced by:
--   rate_event: one row per counted attempt, for sliding windows. key is an
--     HMAC (app_secret) of the client address and of what is limited (the
--     event for code guesses): never an address. Rows older than their
--     window are deleted by the next call, so a key lives at most one window.
--   login_backoff: failures per account (whatever the address), with the
--     time before which the next attempt is refused; deleted on success and
--     when it expires.
DROP TABLE rate_limit;

CREATE TABLE rate_event (
	key text NOT NULL,
	at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX rate_event_key_idx ON rate_event (key, at);
CREATE INDEX rate_event_expires_idx ON rate_event (expires_at);

CREATE TABLE login_backoff (
	key text PRIMARY KEY,
	failures int NOT NULL,
	next_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX login_backoff_expires_idx ON login_backoff (expires_at);

-- Deletes a few expired rows of both tables, skipping rows another call is
-- deleting (no waits, no deadlocks between callers).
CREATE FUNCTION enquete_rate_gc() RETURNS void LANGUAGE sql AS $$
	DELETE FROM rate_event WHERE ctid IN (SELECT ctid FROM rate_event
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
	DELETE FROM login_backoff WHERE key IN (SELECT key FROM login_backoff
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
$$;

-- Seconds until key may be counted again under at most p_max events per
-- p_window seconds (sliding), 0 when it may now. Caller holds the key's lock.
CREATE FUNCTION enquete_rate_wait(p_key text, p_max int, p_window int)
RETURNS int LANGUAGE plpgsql AS $$
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

-- Check and count in one statement: counts one event for p_key and returns
-- 0, or refuses (counting nothing) and returns the seconds to wait. The
-- advisory lock of the key serialises concurrent callers, so that N
-- parallel calls let exactly p_max through.
CREATE FUNCTION enquete_rate_take(p_key text, p_max int, p_window int)
RETURNS int LANGUAGE plpgsql AS $$
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

-- Only the check (for the code of a submission, before it is looked up).
CREATE FUNCTION enquete_rate_check(p_key text, p_max int, p_window int)
RETURNS int LANGUAGE sql AS $$
	SELECT enquete_rate_wait(p_key, p_max, p_window);
$$;

-- A sign-in attempt, before the password is checked (argon2): refused
-- (the seconds to wait returned) when the client is over p_client_max
-- attempts per p_window seconds, or when the account is in its back-off;
-- else the attempt is counted as a failure in advance (0 returned) and a
-- success clears it (enquete_login_ok). After p_free failures of one
-- account, each further failure makes the next attempt wait p_base *
-- 2^(failures - p_free) seconds, at most p_cap. The account's key does not
-- depend on the address: spreading guesses over addresses gains nothing,
-- and the other accounts behind the same address are not locked out.
CREATE FUNCTION enquete_login_take(p_account text, p_client text,
	p_client_max int, p_window int, p_free int, p_base int, p_cap int)
RETURNS int LANGUAGE plpgsql AS $$
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

-- ---- API tokens --------------------------------------------------------------
-- Tokens get an id (to list and revoke one), an expiry (tokens issued
-- before this migration get 90 days from now) and the time of last use.
ALTER TABLE api_token
	ADD COLUMN id bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE,
	ADD COLUMN expires_at timestamptz NOT NULL
		DEFAULT now() + interval '90 days',
	ADD COLUMN last_used_at timestamptz;

-- A new password ends every API token of the account, whoever changes it
-- (enquetectl or a web page); deleting the user ends them too (cascade).
CREATE FUNCTION enquete_password_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM api_token WHERE user_id = NEW.id;
	RETURN NEW;
END $$;
CREATE TRIGGER app_user_password_changed AFTER UPDATE OF password_hash
	ON app_user FOR EACH ROW
	WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)
	EXECUTE FUNCTION enquete_password_changed();

-- ---- the worker's role ---------------------------------------------------------
-- The FastCGI workers connect as enquete_app: it reads and writes rows, runs
-- the functions, and can do nothing else (no DDL: it owns nothing and has no
-- CREATE on the schema; not a superuser). Migrations run as the owner (the
-- role running this file), whose default privileges extend the same grants
-- to what later migrations create. scripts/stack creates enquete_app (LOGIN,
-- peer-mapped to the system user enquete); for an external database, create
-- it before migrating (README, "Deploying"), else it is created here without
-- LOGIN when the owner may create roles, or skipped with a notice.
DO $$
DECLARE
	v_me text := current_user;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'enquete_app') THEN
		IF (SELECT rolcreaterole OR rolsuper FROM pg_roles
			WHERE rolname = v_me) THEN
			CREATE ROLE enquete_app NOLOGIN;
		ELSE
			RAISE NOTICE 'role enquete_app does not exist and % may not create it: no grants (README, Deploying)', v_me;
			RETURN;
		END IF;
	END IF;
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO enquete_app',
		current_database());
	REVOKE CREATE ON SCHEMA public FROM PUBLIC;
	BEGIN
		-- no temporary tables either (only the database's owner may)
		EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',
			current_database());
	EXCEPTION WHEN insufficient_privilege THEN
		RAISE NOTICE 'TEMPORARY stays granted to PUBLIC (not the owner)';
	END;
	GRANT USAGE ON SCHEMA public TO enquete_app;
	GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public
		TO enquete_app;
	-- the key and the migrations are the owner's to write
	REVOKE INSERT, UPDATE, DELETE ON app_secret, schema_migrations
		FROM enquete_app;
	GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public
		TO enquete_app;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO enquete_app;
	EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
		'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO enquete_app',
		v_me);
	EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
		'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO enquete_app', v_me);
	EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
		'GRANT EXECUTE ON FUNCTIONS TO enquete_app', v_me);
END $$;
