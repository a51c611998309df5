-- backfill of 025_comment_groups.sql: the stored comments grouped once,
-- every participant's comments recorded as folded (a pending participant's
-- change then folds as a no-op). Re-runnable: a rebuild.
DELETE FROM comment_group_folded;
DELETE FROM comment_group_contrib;

INSERT INTO comment_group_contrib (participant_id, event_id, keys)
SELECT r.participant_id, min(c.event_id),
	array_agg(ROW(c.item, r.lang, comment_group_vkey(c.value))::comment_gkey)
FROM comment c JOIN response r ON r.id = c.response_id
GROUP BY r.participant_id;

INSERT INTO comment_group_folded (event_id, item, lang, vkey, head, value, n)
SELECT x.event_id, x.item, x.lang, x.vkey, left(x.value, 64), x.value, x.n
FROM (
	SELECT c.event_id, c.item, r.lang, comment_group_vkey(c.value) AS vkey,
		min(c.value) AS value, count(*) AS n
	FROM comment c JOIN response r ON r.id = c.response_id
	GROUP BY 1, 2, 3, 4
) x;
