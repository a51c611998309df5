-- 008_dashboard_scale.sql: what the dashboard and the events list read,
-- made independent of the number of participants.
--
-- Pre-issued codes: a partial index, so that counting an event's badges
-- (and which of them answered) reads those few rows, not every participant.
--
-- Comments: the free-text answers (text and longtext items, the
-- "<key>.other" texts) kept newest first per question, with their counts,
-- so that the dashboard reads the latest 1,000 comments of a question and
-- how many there are through an index and a few counter rows (the query
-- this replaces read every free-text answer of the event: 6 s at 100k
-- participants).
--
-- Both comment tables are maintained by triggers, in the transaction of
-- every submission, update and erasure, like the statistics of 004:
--   * answer AFTER INSERT / AFTER DELETE (statement level): the non-blank,
--     non-personal free-text rows join comment, or leave it;
--   * comment AFTER INSERT / AFTER DELETE (statement level, including the
--     cascade of an erasure): comment_count moves by the rows' count,
--     split over the same 16 slots as stats_agg and under the same
--     (event, slot) advisory locks, taken in slot order before any counter
--     row, so that a submission and an update of the same slot queue on
--     the lock instead of deadlocking on counter rows.
-- enquete_comments_check() compares both with the raw rows.

CREATE INDEX participant_preissued_idx ON participant (event_id)
	WHERE preissued;

CREATE TABLE comment (
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	event_id int NOT NULL,
	participant_id bigint NOT NULL,
	instrument text NOT NULL,
	item text NOT NULL,
	submitted_at timestamptz NOT NULL,
	value text NOT NULL
);
CREATE INDEX comment_response_idx ON comment (response_id);
-- the latest of a question: event and item, newest first
CREATE INDEX comment_latest_idx ON comment
	(event_id, item, submitted_at DESC, response_id DESC);

CREATE TABLE comment_count (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	item text NOT NULL,
	slot smallint NOT NULL,
	n bigint NOT NULL,
	PRIMARY KEY (event_id, item, slot)
) WITH (fillfactor = 40);

-- The comments as a plain join of the raw rows: the reference for the
-- check, and the rows of the responses stored before this migration.
CREATE VIEW comment_source AS
	SELECT r.id AS response_id, r.event_id, r.participant_id,
		r.instrument, a.item, r.submitted_at, a.value
	FROM answer a JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE NOT m.personal AND m.type IN ('text', 'longtext', 'other')
		AND btrim(a.value) <> '';

-- The functions and triggers: schema/functions/dashboard.sql; the
-- comments of the responses stored before this migration:
-- schema/backfill/008_dashboard_scale.sql.
