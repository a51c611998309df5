-- 024_paper_counts.sql: the paper responses of an event, counted by an
-- index of their own (issue 27's "a cost that grows with the event").
--
-- The dashboard and the report show how many pre and post responses came
-- from paper sheets (PAPER_COUNTS, cgi/store/db_sql.h). Counted from
-- response by event, that read every response of the event: 0.86 s of
-- the dashboard's 0.86 s at 1M participants (BENCHMARKS.md, 51 ms at 1k).
-- Paper responses are few; a partial index holds only them, so the count
-- reads a handful of index entries whatever the event's size.
CREATE INDEX IF NOT EXISTS response_paper_idx ON response (event_id, instrument)
	WHERE source = 'paper';
