-- 021_console.sql: the organiser's console (issue 20). The live monitor
-- counts the answers of the last 30 minutes per minute: an index on the
-- event's submission times keeps that read small whatever the event's size.
-- The console's writes are one function each (schema/functions/console.sql).

CREATE INDEX response_event_time_idx ON response (event_id, submitted_at);
