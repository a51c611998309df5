-- notify.sql: workers cache what they know of an event (its current
-- definition and its windows) and drop it when told: any change to events
-- or windows notifies the channel enquete_event at commit.

CREATE OR REPLACE FUNCTION enquete_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('enquete_event', '');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_changed AFTER INSERT OR UPDATE OR DELETE ON event
	FOR EACH STATEMENT EXECUTE FUNCTION enquete_event_changed();

CREATE OR REPLACE TRIGGER window_changed AFTER INSERT OR UPDATE OR DELETE
	ON instrument_window
	FOR EACH STATEMENT EXECUTE FUNCTION enquete_event_changed();
