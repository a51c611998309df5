-- 010_stats_segments.sql: the statistics of 004 kept per profile answer
-- as well, so that a summary or dashboard filtered on one profile item
-- (?org_type=chamber) reads a few thousand rows instead of recomputing
-- from the raw rows of the selected participants (125 s for 143k of them
-- at 1M participants).
--
-- A segment is one answer to a profile item: (fkey, fvalue). A participant
-- belongs to the segments of the profile answers in any of their
-- responses, which is exactly who enquete_stats_recompute(event,
-- {"fkey": "fvalue"}) selects whenever fkey is a profile item in every
-- definition of the event that has it (enquete_stats_filtered falls back
-- to the recomputation otherwise, and for combined filters).
--
--   stats_member  the segments whose figures currently count a participant
--   stats_seg     per segment, the tuples of stats_agg (same kinds, same 16
--                 slots under the same advisory locks), plus kind
--                 'comment': per free-text item, the number of rows in
--                 comment (what comment_count is to the whole event)
--
-- Invariant: stats_seg of a segment = the sum, over the participants that
-- stats_member puts in it, of their current contribution. Kept by:
--   * every change of a contribution (stats_delta, stats_bump,
--     comment_count_move, replaced below) applied to the stored segments
--     of the participant as well as to stats_agg / comment_count;
--   * then, when a participant's profile answers change (answer AFTER
--     INSERT / AFTER DELETE statement triggers named stats_member_*, which
--     PostgreSQL fires after stats_answer_* and comment_answer_*: same
--     event, later name; a deleted response, at commit: see below),
--     stats_member_move: the participant's whole current contribution
--     (stats_participant_tuples) leaves the segments they left and joins
--     the ones they joined.
-- An erasure deletes a participant's responses: 004's BEFORE DELETE
-- trigger takes each response out of the stored segments, and the
-- cascades delete the answer and comment rows at once, but the statement
-- triggers of those cascades (comment counts included) are queued behind
-- the response's own AFTER triggers (the referential actions run with
-- their triggers deferred to the outer statement). The membership must
-- still be there when they run: a response's deletion moves its
-- participant by a constraint trigger deferred to commit, when every
-- change of the transaction has been counted.
-- enquete_seg_check() compares every segment with the recomputation.
--
-- Cost: a participant's changes are written once per segment they are in
-- as well as to stats_agg (three profile questions: up to four times the
-- counter rows), and a pre response that sets the profile moves the
-- whole contribution: +50 % per submitted pair measured (BENCHMARKS.md).

CREATE TABLE stats_member (
	participant_id bigint NOT NULL,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	fkey text NOT NULL,
	fvalue text NOT NULL,
	PRIMARY KEY (participant_id, fkey, fvalue)
);
CREATE INDEX stats_member_seg_idx ON stats_member (event_id, fkey, fvalue);

CREATE TABLE stats_seg (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	fkey text NOT NULL,
	fvalue text NOT NULL,
	kind text NOT NULL,
	instrument text NOT NULL,
	item text NOT NULL,
	value text NOT NULL,
	rank int NOT NULL,
	slot smallint NOT NULL,
	n bigint NOT NULL,
	s1 double precision NOT NULL,
	s2 double precision NOT NULL,
	PRIMARY KEY (event_id, fkey, fvalue, kind, instrument, item, value,
		rank, slot)
) WITH (fillfactor = 40,
	autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 500,
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 500);

-- The segments a participant belongs to now: their profile answers.
CREATE VIEW stats_member_source AS
	SELECT DISTINCT r.participant_id, r.event_id, a.item AS fkey,
		a.value AS fvalue
	FROM response r JOIN answer a ON a.response_id = r.id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE m.role = 'profile';

