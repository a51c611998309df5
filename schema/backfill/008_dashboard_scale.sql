-- backfill of 008_dashboard_scale.sql: the comments of the responses
-- stored before it (the counters follow by the triggers of dashboard.sql).
-- Re-runnable.
DELETE FROM comment;
INSERT INTO comment SELECT * FROM comment_source;
