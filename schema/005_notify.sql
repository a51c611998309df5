-- 005_notify.sql: workers cache what they know of an event (its current
-- definition and its windows) and drop it when told: any change to events
-- or windows notifies the channel enquete_event at commit.

-- Its function: schema/functions/notify.sql (enquete_event_changed and the
-- triggers event_changed, window_changed).
