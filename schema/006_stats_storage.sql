-- 006_stats_storage.sql: the aggregate rows are updated in place by every
-- submission (a few hundred hot rows per event). With full pages each
-- update left a dead copy behind and the table grew to 56 MB for 7.6k live
-- rows at 100k participants, which the summary then scanned. Free space on
-- every page lets PostgreSQL update these rows on the same page (HOT: n, s1
-- and s2 are not indexed) and prune dead copies as it goes; autovacuum
-- looks at the table after every few hundred changes instead of after 20 %
-- of its size.
ALTER TABLE stats_agg SET (fillfactor = 40,
	autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 500,
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 500);
-- the rows already there move to pages laid out with that free space (a
-- rewrite that, unlike VACUUM FULL, may run inside the migration's
-- transaction)
CLUSTER stats_agg USING stats_agg_pkey;
