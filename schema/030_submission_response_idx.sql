-- 030_submission_response_idx.sql: the idempotency rows found by their
-- response, not by reading the whole table.
--
-- Since 029 a deleted response's submission rows go with it through
-- response_rows_delete (schema/functions/submit.sql), which had no index
-- to use: erasing one participant (enquetectl participant erase, or an
-- organiser's on /admin/e/{slug}/erase) read every submission row of
-- every event, a cost that grew with the database. created_at's index,
-- on the other hand, had no reader: nothing purges or lists the rows by
-- age. It is replaced, so that a submission still writes one index entry
-- besides the token's key (issue 27: a submission's cost stays what it
-- was).
DROP INDEX IF EXISTS submission_created_idx;
CREATE INDEX IF NOT EXISTS submission_response_idx ON submission (response_id);
