-- backfill of 004_stats.sql: the statistics of the events stored before
-- it, rebuilt from the raw rows (recompute.sql). Re-runnable.
SELECT enquete_stats_rebuild(id) FROM event;
