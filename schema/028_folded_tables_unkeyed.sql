-- 028_folded_tables_unkeyed.sql: the folder's tables keep their event by
-- one lock per batch and one trigger, not a key checked per row (issue 27,
-- "Submissions at the speed of the disk").
--
-- The folded statistics (stats_agg_folded, stats_seg_folded,
-- stats_member_folded, stats_contrib, comment_count_folded,
-- comment_group_folded, comment_group_contrib) each had a foreign key to
-- event, ON DELETE CASCADE. A batch of 500 new participants inserted about
-- 3,000 rows, each checked by an SPI query locking the same event row FOR
-- KEY SHARE: 14 % of the batch's time (305 -> 262 ms, the dev cluster's
-- 43,000-participant event), time the folder's lag under load is made of.
-- What the keys gave is kept (schema/functions/fold.sql):
--   * stats_fold_apply, their one writer (the folder and
--     enquete_stats_rebuild), locks the event row FOR KEY SHARE once per
--     batch, as the keys did: a deletion of the event waits for the batch,
--     and a batch after the deletion writes nothing;
--   * event_folded_delete (AFTER DELETE ON event) removes the event's rows
--     from the seven tables, as the cascade did.
-- Their values are compressed with lz4 rather than pglz (stats_contrib's
-- tuples, comment_group_contrib's keys: about 2.5 kB each before
-- compression), which took 6 % of a batch.
ALTER TABLE stats_agg_folded DROP CONSTRAINT IF EXISTS stats_agg_event_id_fkey;
ALTER TABLE stats_seg_folded DROP CONSTRAINT IF EXISTS stats_seg_event_id_fkey;
ALTER TABLE stats_member_folded DROP CONSTRAINT IF EXISTS stats_member_event_id_fkey;
ALTER TABLE stats_contrib DROP CONSTRAINT IF EXISTS stats_contrib_event_id_fkey;
ALTER TABLE comment_count_folded DROP CONSTRAINT IF EXISTS comment_count_event_id_fkey;
ALTER TABLE comment_group_folded DROP CONSTRAINT IF EXISTS comment_group_folded_event_id_fkey;
ALTER TABLE comment_group_contrib DROP CONSTRAINT IF EXISTS comment_group_contrib_event_id_fkey;
ALTER TABLE stats_contrib ALTER COLUMN tuples SET COMPRESSION lz4;
ALTER TABLE comment_group_contrib ALTER COLUMN keys SET COMPRESSION lz4;
