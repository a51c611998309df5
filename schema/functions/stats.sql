-- stats.sql: the sufficient statistics behind the summary (stats_agg),
-- kept up to date by triggers in the transaction of every submission,
-- update and erasure. Tables: schema/004_stats.sql (stats_item, stats_agg),
-- 006 (storage). The recomputation from the raw rows: recompute.sql; the
-- same per profile answer: segments.sql; the prer/quizd kinds:
-- stats_change.sql.
--
-- Everything the summary needs is a tuple (kind, instrument, item, value,
-- rank) -> (n, s1, s2):
--   resp    instrument pre|post: n responses; instrument 'paired': n
--           participants who answered both
--   value   per instrument, item, value (and rank for a ranking): n rows,
--           s1 = sum(num), s2 = sum(num^2) (numeric items)
--   itemn   per instrument and item: n responses with at least one row
--           (multi: respondents; rank: participants who ranked anything)
--   pair    knowledge item, rank = post - pre: n pairs, s1 = sum(pre),
--           s2 = sum(post)
--   retro   knowledge item, rank = post - retro: n, s1 = sum(retro),
--           s2 = sum(post) (both from the same post response)
--   quiz    quiz item, rank = 2 * pre_correct + post_correct: n pairs,
--           s1 = pre correct, s2 = post correct
--   quizsum n paired participants, s1/s2 = sums of their pre/post scores
--           (score = number of correct quiz answers of a response)
--
-- stats_agg holds them split over 16 slots (participant id % 16); readers
-- sum the slots. Since 016 (issue 27) stats_agg is a view: the folded
-- table stats_agg_folded plus the difference of the participants whose
-- changes are not folded yet; no trigger updates it in the submission's
-- transaction. The change records and the folder: fold.sql.

-- Score of one response: its correct quiz answers.
CREATE OR REPLACE FUNCTION stats_score(p_response bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT count(*) FROM answer a
	JOIN response r ON r.id = a.response_id
	JOIN stats_item m ON m.definition_id = r.definition_id
		AND m.instrument = r.instrument AND m.item = a.item
	WHERE a.response_id = p_response AND m.role = 'quiz'
		AND a.value = m.correct
$$;

-- The incremental aggregates of an event, slots summed.
CREATE OR REPLACE FUNCTION enquete_stats(p_event int)
RETURNS TABLE (kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision)
LANGUAGE sql STABLE AS $$
	SELECT s.kind, s.instrument, s.item, s.value, s.rank,
		sum(s.n)::bigint, sum(s.s1), sum(s.s2)
	FROM stats_agg s WHERE s.event_id = p_event
	GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.n) <> 0
$$;
