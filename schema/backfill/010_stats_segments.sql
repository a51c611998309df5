-- backfill of 010_stats_segments.sql: the segments of the events stored
-- before it, rebuilt from the raw rows (segments.sql). Re-runnable.
SELECT enquete_seg_rebuild(id) FROM event;
