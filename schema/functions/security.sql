-- security.sql: the sliding-window rate limits, the per-account login
-- back-off (tables rate_event and login_backoff: schema/014_security.sql)
-- and the end of API tokens at a password change.

-- Deletes a few expired rows of both tables, skipping rows another call is
-- deleting (no waits, no deadlocks between callers).
CREATE OR REPLACE FUNCTION enquete_rate_gc() RETURNS void LANGUAGE sql AS $$
	DELETE FROM rate_event WHERE ctid IN (SELECT ctid FROM rate_event
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
	DELETE FROM login_backoff WHERE key IN (SELECT key FROM login_backoff
		WHERE expires_at <= clock_timestamp() LIMIT 100
		FOR UPDATE SKIP LOCKED);
$$;

-- Seconds until key may be counted again under at most p_max events per
-- p_window seconds (sliding), 0 when it may now. Caller holds the key's lock.
CREATE OR REPLACE FUNCTION enquete_rate_wait(p_key text, p_max int, p_window int)
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
CREATE OR REPLACE FUNCTION enquete_rate_take(p_key text, p_max int, p_window int)
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
CREATE OR REPLACE FUNCTION enquete_rate_check(p_key text, p_max int, p_window int)
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
CREATE OR REPLACE FUNCTION enquete_login_take(p_account text, p_client text,
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

-- A new password ends every API token of the account, whoever changes it
-- (enquetectl or a web page); deleting the user ends them too (cascade).
CREATE OR REPLACE FUNCTION enquete_password_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM api_token WHERE user_id = NEW.id;
	RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER app_user_password_changed AFTER UPDATE OF password_hash
	ON app_user FOR EACH ROW
	WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)
	EXECUTE FUNCTION enquete_password_changed();
