-- 025_comment_groups.sql: the report's comments, grouped and counted by
-- the folder (issue 22: "the comments they list are capped").
--
-- The donor's report lists each free-text question's comments with exact
-- duplicates merged (same text, same language) and their count, the most
-- frequent first, at most 40. Grouped from the comment table at every
-- request, that read and sorted every comment of the event: 24 s at 1M
-- participants (BENCHMARKS.md, commit 95eab64), a cost growing with the
-- event. Now the folder (schema/functions/comment_groups.sql, called by
-- stats_fold_apply) keeps the groups as it keeps comment_count:
--
--   * comment_group_folded: one row per (event, question, language, text)
--     with its count; the text is keyed by its SHA-256 (a long answer does
--     not fit in a btree entry) and ordered by its first 64 characters
--     (head), so the capped list is a range of comment_group_top_idx;
--   * comment_group_contrib: per participant, the keys of their comments
--     as folded, so that a batch applies only the difference (the same
--     diff-against-the-folded-snapshot design as stats_contrib: a crash
--     anywhere neither loses nor counts twice).
--
-- The reader (enquete_comment_groups) adds the pending participants'
-- difference, so the list is exact as of its snapshot, like every other
-- figure; enquete_comments_check compares it with the raw rows.
CREATE TYPE comment_gkey AS (item text, lang text, vkey bytea);

-- one comment of a participant now (comment_group_cur)
CREATE TYPE comment_group_cur_row AS (participant_id bigint, event_id int,
	item text, lang text, vkey bytea, value text);

-- what the folded groups lack for some participants (comment_group_delta):
-- dn added to the group's count; value NULL when the batch only removes
CREATE TYPE comment_group_delta_row AS (event_id int, item text,
	lang text, vkey bytea, value text, dn bigint);

CREATE TABLE comment_group_folded (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	item text NOT NULL,
	lang text NOT NULL,
	vkey bytea NOT NULL,
	head text NOT NULL,
	value text NOT NULL,
	n bigint NOT NULL CHECK (n > 0),
	PRIMARY KEY (event_id, item, lang, vkey)
);
CREATE INDEX comment_group_top_idx ON comment_group_folded
	(event_id, item, n DESC, head, lang, vkey);

CREATE TABLE comment_group_contrib (
	participant_id bigint PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	keys comment_gkey[] NOT NULL
);
CREATE INDEX comment_group_contrib_event_idx ON comment_group_contrib
	(event_id);
