-- 009_contact_event.sql: the dashboard shows an event's first 200
-- consented contacts. contact only knew its response, so finding them
-- meant probing the response of every contact of every event (70 ms with
-- 18k contacts elsewhere, growing with the whole deployment). Each contact
-- now carries its response's event and time, set from the response when
-- the row is inserted (enquete_submit inserts contacts after the response
-- row, and deletes and re-inserts them on an update), and an index gives
-- an event's contacts in order.

ALTER TABLE contact ADD COLUMN event_id int,
	ADD COLUMN submitted_at timestamptz;
UPDATE contact c SET event_id = r.event_id, submitted_at = r.submitted_at
	FROM response r WHERE r.id = c.response_id;
ALTER TABLE contact ALTER COLUMN event_id SET NOT NULL,
	ALTER COLUMN submitted_at SET NOT NULL;
CREATE INDEX contact_event_idx ON contact
	(event_id, submitted_at, response_id, item);

