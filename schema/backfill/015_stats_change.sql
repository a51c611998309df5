-- backfill of 015_stats_change.sql: the stored events get the prer and
-- quizd tuples, in stats_agg and in their segments. 015 added them to what
-- was there; the rebuild from today's functions gives the same figures
-- and may run after the backfills of 004 and 010 in the same run without
-- counting anything twice. Re-runnable.
SELECT enquete_stats_rebuild(id), enquete_seg_rebuild(id) FROM event;
