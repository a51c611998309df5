-- 010_stats_segments.sql: the statistics of 004 kept per profile answer
-- as well (stats_member: the segments whose figures currently count a
-- participant; stats_seg: per segment, the tuples of stats_agg plus kind
-- 'comment'), so that a summary or dashboard filtered on one profile item
-- reads a few thousand rows instead of recomputing from the raw rows of
-- the selected participants. The invariant and what keeps it:
-- schema/functions/segments.sql; the segments of the events stored before
-- it: schema/backfill/010_stats_segments.sql.

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

