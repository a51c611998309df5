-- stats_change.sql: the prer and quizd tuple kinds (DESIGN.md "Statistics
-- for small groups"), kept in stats_agg and stats_seg like the others:
--   prer    knowledge item with a .retro rating, rank = retro - pre (the
--           pre rating from the pre response, the retro one from the
--           post): n pairs, s1 = sum(pre), s2 = sum(retro); the response
--           shift test (retro[].pre_vs_retro)
--   quizd   rank = post score - pre score of a paired participant (scores
--           as in quizsum: correct quiz answers of a response): n
--           participants, s1 = s2 = 0; the quiz total's Wilcoxon test and
--           interval (quiz.total)
--   fpre    knowledge item asked again in the follow-up (issue 24), rank
--           = followup - pre: n pairs, s1 = sum(pre), s2 = sum(followup)
--   fpost   the same against post (retention)
--   resp    instruments fpaired_pre, fpaired_post: participants with a
--           follow-up and a pre (a post) response; fonly: a follow-up
--           and neither
-- "paired" (resp 'paired', pair, quiz...) still means pre and post,
-- whatever follow-up response a participant adds.
--
-- Since 016 (issue 27) they are folded with the others by fold.sql, from
-- stats_participant_tuples (segments.sql), which includes them.
-- enquete_stats_recompute (recompute.sql) gives the same tuples from the
-- raw rows, so enquete_stats_check and enquete_seg_check cover them.

-- The quiz score difference (post - pre) of a participant with both
-- responses, from the current rows; NULL when not paired. PL/pgSQL, as
-- the folder's functions, so that the plan is kept per connection (a SQL function
-- called from a query is planned at each call).
CREATE OR REPLACE FUNCTION stats_quizd_rank(p_participant bigint) RETURNS int
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_rank int;
BEGIN
	-- each response's rows by response (OFFSET 0: read by
	-- answer_response_idx, never by an (item, value) index over the
	-- whole event), then their metadata by key
	SELECT CASE WHEN count(*) = 2 THEN sum(CASE
			WHEN x.instrument = 'post' THEN x.ok ELSE -x.ok END)::int
		END INTO v_rank
	FROM (SELECT r.instrument, (
			SELECT count(*) FROM (
				SELECT a.item, a.value FROM answer a
				WHERE a.response_id = r.id OFFSET 0) a
			JOIN stats_item m ON m.definition_id = r.definition_id
				AND m.instrument = r.instrument
				AND m.item = a.item
			WHERE m.role = 'quiz' AND NOT m.personal
				AND a.value = m.correct) AS ok
		FROM response r WHERE r.participant_id = p_participant
			AND r.instrument IN ('pre', 'post')) x;
	RETURN v_rank;
END
$$;

-- The new tuples of the responses p_resp (ids), from the raw rows: what
-- enquete_stats_recompute adds to its own kinds. Grouped by participant.
-- Written once, with every other kind, in stats_resp_tuples
-- (segments.sql), which reads the answer rows once for both.
CREATE OR REPLACE FUNCTION stats_x_tuples(p_resp bigint[])
RETURNS TABLE (participant_id bigint, event_id int, kind text,
	instrument text, item text, value text, rank int, n bigint,
	s1 double precision, s2 double precision)
LANGUAGE sql STABLE AS $$
	SELECT * FROM stats_resp_tuples(p_resp, false)
$$;
