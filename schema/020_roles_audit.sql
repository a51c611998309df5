-- 020_roles_audit.sql: the organiser role, the events each user may see
-- (scope), archived events and the audit log (issue 20; DESIGN.md "Roles and
-- what each may see", "The organiser's console").

-- ---- roles and scope ----------------------------------------------------------
-- admin: every event, always. organiser and expert: the events of their
-- scope, which is either every event (all_events, `--events '*'`) or the
-- rows of user_event (possibly none: an empty scope sees nothing).
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
	CHECK (role IN ('expert', 'organiser', 'admin'));

-- The accounts of before this migration keep what they saw (every event);
-- a new account gets what `user add` gives it (the default is false, so
-- that forgetting to say widens nothing).
ALTER TABLE app_user ADD COLUMN all_events boolean NOT NULL DEFAULT true;
ALTER TABLE app_user ALTER COLUMN all_events SET DEFAULT false;

CREATE TABLE user_event (
	user_id int NOT NULL REFERENCES app_user ON DELETE CASCADE,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	PRIMARY KEY (user_id, event_id)
);
CREATE INDEX user_event_event_idx ON user_event (event_id);

-- ---- archived events ------------------------------------------------------------
-- An archived event keeps all its data; it is hidden from every list and
-- answers 404 to everyone but admins (who still reach it by its URL).
ALTER TABLE event ADD COLUMN archived_at timestamptz;

-- ---- the audit log ----------------------------------------------------------------
-- One row per change made in the console or with enquetectl: who (a user's
-- name, or cli:<os user>), which event (NULL for changes of accounts), the
-- action (README, "Audit log": event.create, window.open, ...) and what
-- changed (a JSON object). event_slug keeps the name the event had.
-- Append-only for the workers: they may add rows, never change or delete
-- one.
CREATE TABLE audit_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
	event_id int REFERENCES event ON DELETE SET NULL,
	event_slug text,
	action text NOT NULL CHECK (action ~ '^[a-z_]{1,32}\.[a-z_]{1,32}$'),
	detail jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(detail) = 'object')
);
CREATE INDEX audit_log_event_idx ON audit_log (event_id, id);

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'enquete_app') THEN
		REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM enquete_app;
	END IF;
END $$;
