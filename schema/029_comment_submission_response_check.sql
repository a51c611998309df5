-- 029_comment_submission_response_check.sql: the comment and submission
-- rows' response is checked once per statement, as the answer rows' since
-- 027 (issue 27, "Submissions at the speed of the disk").
--
-- A pre submission of the bundled questionnaire still ran eight key
-- checks (SPI queries locking a parent row FOR KEY SHARE): one per comment
-- row (three) and one for its idempotency row, all on the response it had
-- just written, besides participant -> event and response -> participant,
-- event, definition. The comment and submission keys go the way of the
-- answer key (schema/functions/submit.sql):
--   * response_ref_check (AFTER INSERT, AFTER UPDATE, per statement, on
--     answer, comment and submission): each response the statement's rows
--     name exists, locked FOR KEY SHARE as the key locked it, else the
--     key's error (23503, the key's name). enquete_submit's own rows are
--     exempt (enquete.submit_rows = 'own': their response is the row it
--     has just inserted or updated, locked by its transaction).
--   * response_rows_delete (AFTER DELETE ON response): the deleted
--     responses' answer, comment and submission rows go with them (the
--     keys' ON DELETE CASCADE); it replaces 027's response_answers_delete.
-- The functions and triggers are (re)created by the functions files that
-- run after the migrations, in the same transaction.
ALTER TABLE comment DROP CONSTRAINT IF EXISTS comment_response_id_fkey;
ALTER TABLE submission DROP CONSTRAINT IF EXISTS submission_response_id_fkey;
-- 027's answer-only functions, with their triggers
DROP FUNCTION IF EXISTS answer_response_check() CASCADE;
DROP FUNCTION IF EXISTS response_answers_delete() CASCADE;
