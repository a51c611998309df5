-- 031_resp_tuples.sql: a batch's answer rows read once for all the tuple
-- kinds (issue 27). stats_participant_tuples read them twice, once in
-- stats_participant_tuples_base and again in stats_x_tuples (the pairs'
-- and the follow-up's kinds): 98-106 ms of 237-281 ms for 500 paired
-- participants of a 1M-participant event. Both are now
-- stats_resp_tuples (schema/functions/segments.sql), created by the
-- functions files after the migrations, in the same transaction;
-- stats_x_tuples stays, as its kinds alone, for the recomputation.
DROP FUNCTION IF EXISTS stats_participant_tuples_base(bigint[]);
