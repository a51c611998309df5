-- 016_stats_fold.sql: the statistics are folded outside the attendee's
-- transaction (issue 27).
--
-- Until 015 every submission updated the event's shared counter rows
-- (stats_agg, stats_seg, comment_count under 16 slot locks) and moved its
-- participant between segments inside its own transaction: its cost grew
-- with the profile questions and with the segments it joined, and
-- concurrent submissions queued on the same rows. Now:
--
--   * a submission writes only its own rows (response, answer, comment,
--     contact, submission) plus an append-only change record: a row of
--     stats_change naming the participant whose contribution may have
--     changed (row trigger on response, statement triggers on answer). No
--     shared row is updated and no lock is shared with other submissions.
--   * a folder (`enquetectl fold --loop`, one per stack; several may run
--     against one database) calls enquete_fold(): for one event at a time,
--     under pg_try_advisory_xact_lock(event, 'fold') so that one folder at
--     a time folds an event (transaction-scoped: works through pgbouncer),
--     it takes a batch of pending participants, deletes their change rows,
--     recomputes their contribution from the raw rows
--     (stats_participant_tuples) and their segments (profile answers), and
--     applies the difference with what was folded for them before
--     (stats_contrib, stats_member_folded) to the folded aggregates, in one
--     transaction with the per-event watermark (stats_fold). The queue's
--     rows leave in the transaction that folds them, so a crash anywhere
--     neither loses nor counts twice: either the whole batch and its
--     watermark committed, or none of it. (A watermark on a sequence would
--     skip changes whose transactions commit after a later id's.)
--     Folding a participant is idempotent (a diff against the folded
--     snapshot): a change that commits while its participant is folded is
--     folded again as a no-op.
--   * readers keep their names and stay exact as of their snapshot:
--     stats_agg, stats_seg, stats_member and comment_count are now views,
--     the folded table plus, for the participants still pending in that
--     snapshot, their current contribution minus their folded one
--     (bounded by the folder's lag). enquete_stats, enquete_stats_filtered,
--     enquete_group_sizes, the checks and the C statements that read these
--     names are unchanged; enquete_comments_filtered is redefined so that
--     its per-comment membership test reads the folded table.
--   * updates (history), erasures (the response's deletion is a change;
--     the participant's current contribution is then nothing) and new
--     definition versions (stats_item per definition, as before) keep
--     their meaning: a contribution is always recomputed from the raw rows.
--
-- The lag (age of the oldest unfolded change) is enquete_fold_lag(): the
-- second line of /healthz and the dashboard show it.

-- ---- the old in-transaction maintenance goes ------------------------------
DROP TRIGGER IF EXISTS stats_answer_ins ON answer;
DROP TRIGGER IF EXISTS stats_answer_del ON answer;
DROP TRIGGER IF EXISTS stats_answer_x_ins ON answer;
DROP TRIGGER IF EXISTS stats_answer_x_del ON answer;
DROP TRIGGER IF EXISTS stats_member_ins ON answer;
DROP TRIGGER IF EXISTS stats_member_del ON answer;
DROP TRIGGER IF EXISTS stats_response_ins ON response;
DROP TRIGGER IF EXISTS stats_response_del ON response;
DROP TRIGGER IF EXISTS stats_x_response_ins ON response;
DROP TRIGGER IF EXISTS stats_x_response_del ON response;
DROP TRIGGER IF EXISTS stats_member_response_del ON response;
DROP TRIGGER IF EXISTS comment_count_ins ON comment;
DROP TRIGGER IF EXISTS comment_count_del ON comment;
DROP FUNCTION IF EXISTS stats_answer_ins();
DROP FUNCTION IF EXISTS stats_answer_del();
DROP FUNCTION IF EXISTS stats_x_answer_ins();
DROP FUNCTION IF EXISTS stats_x_answer_del();
DROP FUNCTION IF EXISTS stats_member_answer();
DROP FUNCTION IF EXISTS stats_response_ins();
DROP FUNCTION IF EXISTS stats_response_del();
DROP FUNCTION IF EXISTS stats_x_response_ins();
DROP FUNCTION IF EXISTS stats_x_response_del();
DROP FUNCTION IF EXISTS stats_member_response_del();
DROP FUNCTION IF EXISTS comment_count_ins();
DROP FUNCTION IF EXISTS comment_count_del();
DROP FUNCTION IF EXISTS stats_member_move(bigint[]);
DROP FUNCTION IF EXISTS comment_count_move(int, int[], bigint[], text[]);
DROP FUNCTION IF EXISTS stats_delta(int, bigint[], text[], text[], double precision[],
	smallint[]);
DROP FUNCTION IF EXISTS stats_delta_x(int, boolean, bigint[], text[], text[],
	double precision[]);
DROP FUNCTION IF EXISTS stats_bump(int, text, text, bigint, bigint, double precision,
	double precision);
DROP FUNCTION IF EXISTS stats_bump_x(int, bigint, text, text, int, bigint,
	double precision, double precision);

-- the folded state: the tables readers used to read, renamed (their
-- readers now read the views of the same names below)
ALTER TABLE stats_agg RENAME TO stats_agg_folded;
ALTER TABLE stats_seg RENAME TO stats_seg_folded;
ALTER TABLE stats_member RENAME TO stats_member_folded;
ALTER TABLE comment_count RENAME TO comment_count_folded;

-- ---- the change records ---------------------------------------------------
-- One row per participant whose contribution may have changed; several
-- rows for one participant are one change. No foreign key: a key check
-- would share a row lock on the event with every other submission.
CREATE TABLE stats_change (
	event_id int NOT NULL,
	participant_id bigint NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
) WITH (autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 1000,
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 1000);
-- the oldest of an event first (the folder's batches, the lag)
CREATE INDEX stats_change_event_idx ON stats_change (event_id, at);
-- the pending rows of a participant (folding them, the membership view)
CREATE INDEX stats_change_participant_idx ON stats_change (participant_id);
-- ---- what was folded ------------------------------------------------------
CREATE TYPE stats_tuple AS (kind text, instrument text, item text,
	value text, rank int, n bigint, s1 double precision,
	s2 double precision);

-- Each participant's contribution as last folded (one row per
-- participant: the tuples of stats_participant_tuples in an array). No
-- key on participant: an erased participant's folded contribution must
-- outlive them until it is subtracted.
CREATE TABLE stats_contrib (
	participant_id bigint PRIMARY KEY,
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	tuples stats_tuple[] NOT NULL
);
CREATE INDEX stats_contrib_event_idx ON stats_contrib (event_id);

-- The watermark of each event's folding: advanced in the transaction of
-- every batch (with the aggregates it moved).
CREATE TABLE stats_fold (
	event_id int PRIMARY KEY REFERENCES event ON DELETE CASCADE,
	folded bigint NOT NULL DEFAULT 0,   -- participants folded, all batches
	batches bigint NOT NULL DEFAULT 0,
	folded_at timestamptz
);

-- ---- the difference between now and what was folded ----------------------
CREATE TYPE stats_fold_row AS (participant_id bigint, event_id int,
	cur boolean, kind text, instrument text, item text, value text,
	rank int, n bigint, s1 double precision, s2 double precision);
CREATE TYPE stats_fold_member AS (participant_id bigint, event_id int,
	cur boolean, fkey text, fvalue text);


-- the readers' views (stats_agg, stats_seg, stats_member, comment_count:
-- the folded tables plus the pending participants' difference) call
-- functions of schema/functions/fold.sql, applied after the migrations:
-- they are created by schema/backfill/016_stats_fold.sql.

-- 004's slot locks
DROP FUNCTION IF EXISTS stats_lock(int, bigint);
