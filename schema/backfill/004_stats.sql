-- backfill of 004_stats.sql: the statistics of the events stored before
-- it, rebuilt from the raw rows (recompute.sql). Re-runnable.
-- Definitions stored before 004 have no stats_item rows (the loader writes
-- them since 017): such a database is first migrated with a release of
-- 016 or before, whose 004 filled them from the JSON.
SELECT enquete_stats_rebuild(id) FROM event;
