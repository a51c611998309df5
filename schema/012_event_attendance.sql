-- 012_event_attendance.sql: the number of people who attended an event,
-- the denominator of its response rates (`enquetectl event attendance
-- SLUG N`, later the organiser's set-up page). NULL until someone sets it:
-- the rates are then shown against nothing but the counts themselves, never
-- against the badge codes printed (attendees may use their own codes).

ALTER TABLE event ADD COLUMN attendance int
	CHECK (attendance IS NULL OR attendance BETWEEN 1 AND 100000);
