-- 023_followup_invite.sql: the follow-up invitations' log (issue 24,
-- DESIGN.md "Instruments: pre, post, and a follow-up months later").
--
-- One row per attempt to mail an attendee (kind invite or reminder) and
-- per withdrawal (kind unsubscribe): when, whether it worked, and the
-- relay's short answer; never the address or the message. A kind is sent
-- once: a successful row (ok) is unique per participant, instrument and
-- kind; a failed one is retried by the next run. The address itself is
-- the post response's contact row (item followup_email, kept only with
-- the consent); unsubscribing deletes it. Erasing the participant
-- deletes the address (with the response) and these rows (cascade), so
-- the personal link points at nobody.
CREATE TABLE invite_log (
	id bigserial PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	participant_id bigint NOT NULL REFERENCES participant ON DELETE CASCADE,
	instrument text NOT NULL CHECK (instrument = 'followup'),
	kind text NOT NULL CHECK (kind IN ('invite', 'reminder', 'unsubscribe')),
	at timestamptz NOT NULL DEFAULT now(),
	ok boolean NOT NULL,
	result text NOT NULL CHECK (length(result) BETWEEN 1 AND 300)
);
CREATE UNIQUE INDEX invite_log_once ON invite_log
	(participant_id, instrument, kind) WHERE ok;
CREATE INDEX invite_log_event_idx ON invite_log (event_id, kind, at);
