-- 004_stats.sql: the sufficient statistics behind the summary, kept up to
-- date by triggers in the transaction of every submission, update and
-- erasure; the reference recomputation from the raw rows (also used for
-- filtered summaries); and the check that both agree.
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
-- stats_agg holds them split over 16 slots (participant id % 16) so that
-- concurrent submissions of different participants rarely wait on the same
-- rows; readers sum the slots (a few hundred rows per event whatever the
-- number of participants). Each change takes a transaction-scoped advisory
-- lock on (event, slot) first, so that writers of one slot queue instead of
-- deadlocking on rows taken in different orders.
--
-- Maintenance (see the triggers at the end):
--   * answer AFTER INSERT / AFTER DELETE (statement level, transition
--     tables): the rows' contribution, including the pairs they form with
--     the participant's other response, added or subtracted. enquete_submit
--     updates by deleting and re-inserting rows, so updates need nothing
--     else.
--   * response AFTER INSERT: response count, and when the participant now
--     has both responses, paired + 1 and the other response's quiz score.
--   * response BEFORE DELETE (erasure cascades participant -> response ->
--     answer): subtracts the whole response while its answer rows and the
--     other response still exist; the answer rows deleted by the cascade
--     afterwards no longer join a response and count for nothing.

-- Item metadata per definition version: what the triggers need to know
-- about an answer row (type, role, the right quiz answer), filled when a
-- definition is inserted. Also gives the form order (pos) to the exports.
CREATE TABLE stats_item (
	definition_id int NOT NULL REFERENCES definition ON DELETE CASCADE,
	instrument text NOT NULL,
	item text NOT NULL,          -- key, key.other, key.retro
	pos int NOT NULL,            -- form order within the instrument
	type text NOT NULL,          -- qdef type; 'other' for key.other
	role text NOT NULL,          -- analysis role; 'retro' for key.retro
	correct text,                -- quiz: the right option value
	personal boolean NOT NULL,
	PRIMARY KEY (definition_id, instrument, item)
);

CREATE TABLE stats_agg (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	kind text NOT NULL,
	instrument text NOT NULL,
	item text NOT NULL,
	value text NOT NULL,
	rank int NOT NULL,
	slot smallint NOT NULL,
	n bigint NOT NULL,
	s1 double precision NOT NULL,
	s2 double precision NOT NULL,
	PRIMARY KEY (event_id, kind, instrument, item, value, rank, slot)
);

