-- backfill of 016_stats_fold.sql: the readers' views (they call the
-- functions of schema/functions/fold.sql, so they come after them), then
-- the stored events folded once from the raw rows. Re-runnable.
-- ---- the readers' names: folded + pending ---------------------------------
-- Per event, the participants with changes not yet folded.
CREATE OR REPLACE VIEW stats_pending AS
	SELECT c.event_id, array_agg(DISTINCT c.participant_id) AS participants,
		min(c.at) AS oldest, count(*) AS changes
	FROM stats_change c GROUP BY c.event_id;

CREATE OR REPLACE VIEW stats_agg AS
	SELECT f.event_id, f.kind, f.instrument, f.item, f.value, f.rank,
		f.slot, f.n, f.s1, f.s2
	FROM stats_agg_folded f
	UNION ALL
	SELECT p.event_id, d.kind, d.instrument, d.item, d.value, d.rank,
		(d.participant_id % 16)::smallint, d.n, d.s1, d.s2
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_delta(p.participants) d
	WHERE d.kind <> 'comment';

CREATE OR REPLACE VIEW comment_count AS
	SELECT f.event_id, f.item, f.slot, f.n FROM comment_count_folded f
	UNION ALL
	SELECT p.event_id, d.item, (d.participant_id % 16)::smallint, d.n
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_delta(p.participants) d
	WHERE d.kind = 'comment';

CREATE OR REPLACE VIEW stats_seg AS
	SELECT f.event_id, f.fkey, f.fvalue, f.kind, f.instrument, f.item,
		f.value, f.rank, f.slot, f.n, f.s1, f.s2
	FROM stats_seg_folded f
	UNION ALL
	SELECT p.event_id, d.fkey, d.fvalue, d.kind, d.instrument, d.item,
		d.value, d.rank, (d.participant_id % 16)::smallint, d.n, d.s1,
		d.s2
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_seg_delta(p.participants) d;

CREATE OR REPLACE VIEW stats_member AS
	SELECT m.participant_id, m.event_id, m.fkey, m.fvalue
	FROM stats_member_folded m
	WHERE NOT EXISTS (SELECT 1 FROM stats_change c
		WHERE c.participant_id = m.participant_id)
	UNION ALL
	SELECT x.participant_id, x.event_id, x.fkey, x.fvalue
	FROM stats_pending p
	CROSS JOIN LATERAL stats_fold_members(p.participants) x
	WHERE x.cur;

-- The stored events: their participants folded once from the raw rows.
SELECT enquete_stats_rebuild(id) FROM event;
