/* db_sql.h: every SQL statement the server runs, named once, with its text.
 * Each is prepared once per connection and run by name with $n parameters;
 * none is ever built from input. X(NAME, nparams, text). One section per
 * concern; the enum in db.h concatenates them. */
#ifndef ENQUETE_DB_SQL_H
#define ENQUETE_DB_SQL_H

/* health and keys */
#define DB_STMTS_CORE(X)                                                     \
	X(HEALTH, 0, "SELECT 1")                                             \
	X(SECRET_GET, 0, "SELECT key FROM app_secret WHERE id = 1")          \
	X(EVENT_BY_SLUG, 1,                                                  \
	    "SELECT e.id, e.definition_id, "                                 \
	    "extract(epoch FROM pre.opens_at), "                             \
	    "extract(epoch FROM pre.closes_at), "                            \
	    "extract(epoch FROM post.opens_at), "                            \
	    "extract(epoch FROM post.closes_at), "                           \
	    "extract(epoch FROM fu.opens_at), "                              \
	    "extract(epoch FROM fu.closes_at), "                             \
	    "extract(epoch FROM now()) FROM event e "                        \
	    "LEFT JOIN instrument_window pre ON pre.event_id = e.id "        \
	    "AND pre.instrument = 'pre' "                                    \
	    "LEFT JOIN instrument_window post ON post.event_id = e.id "      \
	    "AND post.instrument = 'post' "                                  \
	    "LEFT JOIN instrument_window fu ON fu.event_id = e.id "          \
	    "AND fu.instrument = 'followup' WHERE e.slug = $1")              \
	X(LISTEN_EVENTS, 0, "LISTEN enquete_event")                          \
	X(DEFINITION_BODY, 1, "SELECT body FROM definition WHERE id = $1")

/* the attendee flow (page_form.c) */
#define DB_STMTS_ATTENDEE(X)                                                 \
	X(SUBMIT, 13,                                                        \
	    "SELECT outcome, code, to_char(at AT TIME ZONE $13, "            \
	    "'YYYY-MM-DD HH24:MI') FROM enquete_submit($1::int, $2, "        \
	    "$3::int, decode($4, 'hex'), $5, $6, $7, $8, $9::jsonb, "        \
	    "$10::jsonb, $11::jsonb, $12::boolean)")                         \
	X(CODE_EXISTS, 2,                                                    \
	    "SELECT 1 FROM participant WHERE event_id = $1::int "            \
	    "AND code = $2")                                                 \
	X(RESPONSE_OF_CODE, 4,                                               \
	    "SELECT to_char(r.submitted_at AT TIME ZONE $4, "                \
	    "'YYYY-MM-DD HH24:MI'), r.answers, EXISTS (SELECT 1 FROM "       \
	    "response o WHERE o.participant_id = p.id AND o.instrument = "   \
	    "'pre'), EXISTS (SELECT 1 FROM response o WHERE "                \
	    "o.participant_id = p.id AND o.instrument = 'post') "            \
	    "FROM participant p LEFT JOIN response r ON r.participant_id = " \
	    "p.id AND r.instrument = $3 WHERE p.event_id = $1::int "         \
	    "AND p.code = $2")                                               \
	X(CODES_ADD, 2,                                                      \
	    "INSERT INTO participant (event_id, code, preissued) "           \
	    "SELECT $1::int, c, true FROM unnest($2::text[]) AS c "          \
	    "ON CONFLICT (event_id, code) DO NOTHING RETURNING code")        \
	X(LANDING_ANSWERED, 2,                                               \
	    "SELECT count(*) FILTER (WHERE r.instrument = 'pre') > 0, "     \
	    "count(*) FILTER (WHERE r.instrument = 'post') > 0 "             \
	    "FROM participant p JOIN response r ON r.participant_id = p.id " \
	    "WHERE p.event_id = $1::int AND p.code = $2")                    \
	X(CODES_LIST, 1,                                                     \
	    "SELECT p.code, EXISTS (SELECT 1 FROM response r WHERE "         \
	    "r.participant_id = p.id) FROM participant p WHERE p.event_id = " \
	    "$1::int AND p.preissued ORDER BY p.created_at, p.id")           \
	X(OPEN_EVENTS, 1,                                                    \
	    "SELECT e.slug, coalesce(d.body->'event'->'title'->>$1, "        \
	    "d.body->'event'->'title'->>(d.body->'event'->>"                 \
	    "'default_language'), e.slug) FROM event e JOIN definition d "   \
	    "ON d.id = e.definition_id WHERE e.archived_at IS NULL AND "    \
	    "(enquete_window_open(e.id, 'pre') OR "                          \
	    "enquete_window_open(e.id, 'post') OR "                          \
	    "enquete_window_open(e.id, 'followup')) ORDER BY e.slug")

/* sign-in, sessions, admin pages (page_admin.c, auth.c); the events list
 * counts responses from the statistics' counters (stats_agg, kind 'resp')
 * and badges through participant_preissued_idx: flat with the data */
#define DB_STMTS_ADMIN(X)                                                    \
	X(SESSION_TOUCH, 1,                                                  \
	    "UPDATE session s SET last_seen = now() FROM app_user u "        \
	    "WHERE s.token_hash = $1 AND u.id = s.user_id "                  \
	    "AND s.created_at > now() - interval '12 hours' "                \
	    "AND s.last_seen > now() - interval '2 hours' "                  \
	    "RETURNING u.id, u.name, u.role, u.all_events")                  \
	X(TOKEN_USER, 1,                                                     \
	    "UPDATE api_token t SET last_used_at = now() FROM app_user u "   \
	    "WHERE t.token_hash = $1 AND u.id = t.user_id "                  \
	    "AND t.expires_at > now() "                                      \
	    "RETURNING u.id, u.name, u.role, u.all_events")                  \
	X(USER_BY_NAME, 1,                                                   \
	    "SELECT id, password_hash FROM app_user WHERE name = $1")        \
	X(LOGIN_TAKE, 7,                                                     \
	    "SELECT enquete_login_take($1, $2, $3::int, $4::int, $5::int, "  \
	    "$6::int, $7::int)")                                             \
	X(RATE_TAKE, 3, "SELECT enquete_rate_take($1, $2::int, $3::int)")   \
	X(RATE_CHECK, 3, "SELECT enquete_rate_check($1, $2::int, $3::int)") \
	X(SESSION_CREATE, 4,                                                 \
	    "WITH ok AS (DELETE FROM login_backoff WHERE key = $3), "        \
	    "old AS (DELETE FROM session WHERE user_id = $2::int AND "       \
	    "(created_at <= now() - interval '12 hours' OR last_seen <= "    \
	    "now() - interval '2 hours' OR token_hash IN (SELECT token_hash " \
	    "FROM session WHERE user_id = $2::int ORDER BY created_at DESC, " \
	    "last_seen DESC OFFSET $4::int))) INSERT INTO session "         \
	    "(token_hash, user_id) VALUES ($1, $2::int)")                    \
	X(SESSION_DELETE, 1, "DELETE FROM session WHERE token_hash = $1")    \
	X(USERS_LIST, 0,                                                     \
	    "SELECT u.name, u.role, to_char(u.created_at AT TIME ZONE "      \
	    "'UTC', 'YYYY-MM-DD'), u.all_events, coalesce((SELECT "          \
	    "string_agg(e.slug, ',' ORDER BY e.slug) FROM user_event ue "    \
	    "JOIN event e ON e.id = ue.event_id WHERE ue.user_id = u.id), "  \
	    "'') FROM app_user u ORDER BY u.name")                           \
	X(USER_ADD, 3,                                                       \
	    "INSERT INTO app_user (name, password_hash, role) "              \
	    "VALUES ($1, $2, $3)")                                           \
	X(USER_DEL, 1, "DELETE FROM app_user WHERE name = $1")               \
	X(ADMIN_EVENTS, 2,                                                   \
	    "SELECT e.slug, coalesce(d.body->'event'->'title'->>$1, "        \
	    "d.body->'event'->'title'->>(d.body->'event'->>"                 \
	    "'default_language'), e.slug), "                                 \
	    "c.pre, c.post, c.paired, "                                      \
	    "(SELECT count(*) FROM participant p WHERE p.event_id = e.id "   \
	    "AND p.preissued), "                                             \
	    "enquete_window_open(e.id, 'pre'), "                             \
	    "enquete_window_open(e.id, 'post'), "                            \
	    "(SELECT count(*) FROM participant p WHERE p.event_id = e.id "   \
	    "AND p.preissued AND EXISTS (SELECT 1 FROM response r WHERE "    \
	    "r.participant_id = p.id)), e.attendance "                       \
	    "FROM event e JOIN definition d ON d.id = e.definition_id "      \
	    "CROSS JOIN LATERAL (SELECT "                                    \
	    "coalesce(sum(n) FILTER (WHERE s.instrument = 'pre'), 0) AS pre, " \
	    "coalesce(sum(n) FILTER (WHERE s.instrument = 'post'), 0) AS post, " \
	    "coalesce(sum(n) FILTER (WHERE s.instrument = 'paired'), 0) "    \
	    "AS paired FROM stats_agg s WHERE s.event_id = e.id "            \
	    "AND s.kind = 'resp') c "                                        \
	    "WHERE e.archived_at IS NULL AND enquete_user_sees($2::int, e.id) " \
	    "ORDER BY e.created_at DESC, e.slug")

/* summary, dashboard and exports: run on the analytics connection.
 * SUMMARY_STATS reads stats_agg (schema/004); SUMMARY_STATS_FILTERED the
 * segment of one profile answer (schema/010) or, for combined filters, the
 * recomputation, under a statement timeout local to its transaction
 * (TX_BEGIN, TIMEOUT_SET: SET LOCAL, the query, TX_COMMIT:
 * db_exec_limited), never a session setting: through a transaction pooler
 * the next transaction of the connection may be another client's.
 * EXPORT_ANSWERS and EXPORT_RESPONSES stream a whole event (issue 26)
 * with no sort of the event: the participants in id order from an index
 * (participant_event_id_idx, schema/026), then each one's rows sorted
 * alone (about 76 answers) in a LATERAL. The order is the nested loop's,
 * the only join a LATERAL allows: each participant, then its rows.
 * OFFSET 0 keeps each subquery whole (never flattened into one join over
 * the event, whose ORDER BY sorted 73M rows at 1M participants before the
 * first left); p is parameterized by e, so it has no parallel path and no
 * Gather can interleave participants. Each lookup is its own LATERAL (a
 * participant's responses by participant_id, a response's answers by
 * response_id; r.event_id checked after, never through response_event_idx)
 * so that even without statistics (a big event just loaded) no plan reads
 * the event's responses or answers once per participant; stats_item is
 * hashed once. The same plan generic or custom
 * (tests/integration/export-stream.test.mjs checks it). The rows and their
 * order are those of ORDER BY p.id, r.instrument DESC, coalesce(m.pos,
 * 2147483647), a.item, a.rank, a.value over the event's responses. */
#define DB_STMTS_ANALYSIS(X)                                                 \
	X(SUMMARY_STATS, 1,                                                  \
	    "SELECT kind, instrument, item, value, rank, n, s1, s2 "        \
	    "FROM enquete_stats($1::int)")                                   \
	X(SUMMARY_STATS_FILTERED, 2,                                         \
	    "SELECT kind, instrument, item, value, rank, n, s1, s2 "        \
	    "FROM enquete_stats_filtered($1::int, $2::jsonb)")               \
	X(GROUP_SIZES, 2,                                                    \
	    "SELECT fkey, fvalue, n "                                        \
	    "FROM enquete_group_sizes($1::int, $2::jsonb)")                  \
	X(TX_BEGIN, 0, "BEGIN")                                              \
	X(TX_COMMIT, 0, "COMMIT")                                            \
	X(TX_ROLLBACK, 0, "ROLLBACK")                                        \
	X(TIMEOUT_SET, 1,                                                    \
	    "SELECT set_config('statement_timeout', $1, true)")              \
	X(EXPORT_ANSWERS, 1,                                                 \
	    "SELECT p.id, substr(p.code, 1, 4) || '-' || substr(p.code, 5, 4), " \
	    "x.instrument, to_char(x.submitted_at AT TIME ZONE 'UTC', "      \
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), x.item, x.value, x.rank, "    \
	    "x.lang, x.source FROM event e CROSS JOIN LATERAL ("             \
	    "SELECT id, code FROM participant WHERE event_id = e.id "        \
	    "ORDER BY id OFFSET 0) p CROSS JOIN LATERAL ("                   \
	    "SELECT r.instrument, r.submitted_at, r.lang, r.source, a.item, " \
	    "a.value, a.rank FROM (SELECT id, event_id, definition_id, "     \
	    "instrument, submitted_at, lang, source FROM response "          \
	    "WHERE participant_id = p.id OFFSET 0) r CROSS JOIN LATERAL ("   \
	    "SELECT item, value, rank FROM answer WHERE response_id = r.id " \
	    "OFFSET 0) a "                                                   \
	    "LEFT JOIN stats_item m ON m.definition_id = r.definition_id "   \
	    "AND m.instrument = r.instrument AND m.item = a.item "           \
	    "WHERE r.event_id = e.id AND m.personal IS NOT TRUE "            \
	    "ORDER BY r.instrument DESC, coalesce(m.pos, 2147483647), "      \
	    "a.item, a.rank, a.value OFFSET 0) x WHERE e.id = $1::int")      \
	X(EXPORT_RESPONSES, 1,                                               \
	    "SELECT substr(p.code, 1, 4) || '-' || substr(p.code, 5, 4), "   \
	    "x.instrument, to_char(x.submitted_at AT TIME ZONE 'UTC', "      \
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), x.answers::text, x.lang, "    \
	    "x.source FROM event e CROSS JOIN LATERAL ("                     \
	    "SELECT id, code FROM participant WHERE event_id = e.id "        \
	    "ORDER BY id OFFSET 0) p CROSS JOIN LATERAL ("                   \
	    "SELECT r.instrument, r.submitted_at, r.answers, r.lang, "       \
	    "r.source FROM (SELECT event_id, instrument, submitted_at, "     \
	    "answers, lang, source FROM response "                           \
	    "WHERE participant_id = p.id OFFSET 0) r "                       \
	    "WHERE r.event_id = e.id ORDER BY r.instrument DESC OFFSET 0) x " \
	    "WHERE e.id = $1::int")

/* the dashboard's own few numbers (page_dashboard.c), on the analytics
 * connection: pre-issued codes and the event's attendance; consented contacts (the first $3, NULL
 * for all, through contact_event_idx of schema/009); free-text answers
 * (the latest 1000 per question from the comment table of schema/008,
 * newest first by its index; with profile filters, the same from the
 * segment of schema/010 for one filter, else from the selected
 * participants' comments) */
#define DB_STMTS_DASHBOARD(X)                                                \
	X(DASH_PREISSUED, 1,                                                 \
	    "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM " \
	    "response r WHERE r.participant_id = p.id AND r.instrument = "   \
	    "'pre')), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "         \
	    "response r WHERE r.participant_id = p.id AND r.instrument = "   \
	    "'post')), (SELECT attendance FROM event WHERE id = $1::int) "   \
	    "FROM participant p WHERE p.event_id = $1::int AND p.preissued") \
	X(DASH_CONTACTS, 3,                                                  \
	    "SELECT c.item, c.value, to_char(c.submitted_at AT TIME ZONE "   \
	    "'UTC', 'YYYY-MM-DD HH24:MI'), (SELECT a.value FROM answer a "   \
	    "WHERE a.response_id = c.response_id AND a.item = $2 LIMIT 1) "  \
	    "FROM contact c WHERE c.event_id = $1::int AND c.item <> "       \
	    "'followup_email' ORDER BY "                                     \
	    "c.submitted_at, c.response_id, c.item LIMIT $3::bigint")        \
	X(DASH_COMMENTS, 2,                                                  \
	    "SELECT c.instrument, i.k, c.value, t.total FROM "               \
	    "jsonb_array_elements_text($2::jsonb) WITH ORDINALITY "          \
	    "AS i(k, ord) CROSS JOIN LATERAL (SELECT coalesce(sum(n), 0) "   \
	    "AS total FROM comment_count WHERE event_id = $1::int AND "      \
	    "item = i.k) t CROSS JOIN LATERAL (SELECT m.instrument, "        \
	    "m.value, m.submitted_at, m.response_id FROM comment m WHERE "   \
	    "m.event_id = $1::int AND m.item = i.k ORDER BY "                \
	    "m.submitted_at DESC, m.response_id DESC LIMIT 1000) c "         \
	    "ORDER BY i.ord, c.instrument DESC, c.submitted_at, "           \
	    "c.response_id")                                                 \
	X(DASH_COMMENTS_FILTERED, 3,                                         \
	    "SELECT instrument, item, value, total FROM "                   \
	    "enquete_comments_filtered($1::int, $2::jsonb, $3::jsonb)")

/* the donor's report (page_report.c, store_report.c), on the analytics
 * connection: the time of the latest response (data as of); the comments
 * of each question in $2, exact duplicates counted once per language, the
 * most frequent first, at most $3 per question, with the question's total:
 * the groups the folder keeps (schema/functions/comment_groups.sql), a
 * range of an index per question whatever the event's size */
#define DB_STMTS_REPORT(X)                                                   \
	X(REPORT_AS_OF, 1,                                                   \
	    "SELECT to_char(max(submitted_at) AT TIME ZONE 'UTC', "          \
	    "'YYYY-MM-DD HH24:MI') FROM response WHERE event_id = $1::int")  \
	X(REPORT_COMMENTS, 3,                                                \
	    "SELECT item, value, lang, n, total FROM "                       \
	    "enquete_comment_groups($1::int, $2::jsonb, $3::int)")

/* the analytics database's replay lag in seconds (page_dashboard.c): NULL
 * on a primary; 0 when a streaming standby has replayed all it received;
 * else the age of the last replayed transaction (NULL before the first) */
#define DB_STMTS_REPLICA(X)                                                  \
	X(REPLICA_LAG, 0,                                                    \
	    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "            \
	    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND " \
	    "EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0 "            \
	    "ELSE greatest(0, extract(epoch FROM now() - "                   \
	    "pg_last_xact_replay_timestamp())) END, pg_is_in_recovery()")

/* paper questionnaires (store_paper.c, schema/019): batches of badge
 * codes for printed sheets, typed sheets (source 'paper'), double entry */
#define DB_STMTS_PAPER(X)                                                    \
	X(PAPER_BATCH, 4,                                                    \
	    "SELECT batch, created FROM enquete_paper_batch($1::int, $2, "   \
	    "$3::text[], $4::int)")                                          \
	X(PAPER_BATCH_CODES, 2,                                              \
	    "SELECT p.code FROM paper_batch b JOIN paper_batch_code c ON "   \
	    "c.batch_id = b.id JOIN participant p ON p.id = c.participant_id " \
	    "WHERE b.event_id = $1::int AND b.id = $2::int ORDER BY c.pos")  \
	X(PAPER_SUBMIT, 10,                                                  \
	    "SELECT outcome, code FROM enquete_paper_submit($1::int, $2, "   \
	    "$3::int, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::int)") \
	X(PAPER_ENTER, 11,                                                   \
	    "SELECT outcome, code FROM enquete_paper_enter($1::int, $2, $3, " \
	    "$4::int, $5::int, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb)") \
	X(PAPER_RESOLVE, 11,                                                 \
	    "SELECT outcome, code FROM enquete_paper_resolve($1::int, $2, "  \
	    "$3, $4::int, $5::int, $6, $7, $8, $9::jsonb, $10::jsonb, "      \
	    "$11::jsonb)")                                                   \
	X(PAPER_DOUBLE_GET, 1,                                               \
	    "SELECT double_entry FROM event WHERE id = $1::int")             \
	X(PAPER_DOUBLE_SET, 2,                                               \
	    "UPDATE event SET double_entry = $2::boolean WHERE id = $1::int") \
	X(PAPER_CONFLICTS, 1,                                                \
	    "SELECT s.instrument, s.sheet, a.lang, a.answers::text, "        \
	    "b.lang, b.answers::text, coalesce(ua.name, ''), "               \
	    "coalesce(ub.name, '') FROM paper_sheet s "                      \
	    "JOIN paper_entry a ON a.event_id = s.event_id AND "             \
	    "a.instrument = s.instrument AND a.sheet = s.sheet AND a.pass = 1 " \
	    "JOIN paper_entry b ON b.event_id = s.event_id AND "             \
	    "b.instrument = s.instrument AND b.sheet = s.sheet AND b.pass = 2 " \
	    "LEFT JOIN app_user ua ON ua.id = a.entered_by "                 \
	    "LEFT JOIN app_user ub ON ub.id = b.entered_by "                 \
	    "WHERE s.event_id = $1::int AND s.state = 'conflict' "           \
	    "ORDER BY s.instrument DESC, s.updated_at, s.sheet LIMIT 500")   \
	X(PAPER_COUNTS, 1,                                                   \
	    "SELECT count(*) FILTER (WHERE instrument = 'pre'), "            \
	    "count(*) FILTER (WHERE instrument = 'post') FROM response "      \
	    "WHERE event_id = $1::int AND source = 'paper'")                 \
	X(PAPER_SHEETS_OPEN, 1,                                              \
	    "SELECT count(*) FILTER (WHERE state = 'pending'), "             \
	    "count(*) FILTER (WHERE state = 'conflict') FROM paper_sheet "   \
	    "WHERE event_id = $1::int")

/* the statistics folder (store_fold.c, schema/016, fold.sql): one batch
 * (FOLD_SETUP after TX_BEGIN: the batch's statements planned for it, as
 * enquete_fold's are; FOLD_TAKE: the event and its participants, one row
 * per participant, one row with a NULL participant for a deleted event;
 * FOLD_OLD, FOLD_CUR: their contribution as folded and now; FOLD_MEMBERS:
 * their segments now and as folded; FOLD_WRITE: the sums); the lag of one
 * event ($1 > 0) or of all ($1 = 0) */
#define DB_STMTS_FOLD(X)                                                     \
	X(FOLD_SETUP, 0,                                                     \
	    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)") \
	X(FOLD_TAKE, 1,                                                      \
	    "SELECT t.event_id, u.id FROM stats_fold_take($1::int) t "       \
	    "LEFT JOIN LATERAL unnest(t.participants) AS u(id) ON true")     \
	X(FOLD_OLD, 1,                                                       \
	    "SELECT participant_id, kind, instrument, item, value, rank, n, " \
	    "s1, s2 FROM stats_fold_old($1::bigint[])")                      \
	X(FOLD_CUR, 1,                                                       \
	    "SELECT participant_id, kind, instrument, item, value, rank, n, " \
	    "s1, s2 FROM stats_fold_cur($1::bigint[])")                      \
	X(FOLD_MEMBERS, 1,                                                   \
	    "SELECT participant_id, cur, fkey, fvalue "                      \
	    "FROM stats_fold_members($1::bigint[])")                         \
	X(FOLD_WRITE, 16,                                                    \
	    "SELECT stats_fold_write($1::int, $2::bigint[], $3::text[], "    \
	    "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "   \
	    "$9::int[], $10::bigint[], $11::float8[], $12::float8[], "       \
	    "$13::bigint[], $14::bigint[], $15::text[], $16::text[])")       \
	X(FOLD_LAG, 1,                                                       \
	    "SELECT lag_ms, pending FROM enquete_fold_lag("                  \
	    "nullif($1::int, 0))")

/* what enquetectl changes (store_user.c, store_event.c, store_codes.c): accounts, API tokens, windows, attendance, erasure; the same statements as the web's where both do the same */
#define DB_STMTS_CTL(X)                                                      \
	X(USER_PASSWD, 2,                                                    \
	    "WITH u AS (UPDATE app_user SET password_hash = $2 WHERE name = " \
	    "$1 RETURNING id), s AS (DELETE FROM session WHERE user_id IN "  \
	    "(SELECT id FROM u)) SELECT 1 FROM u")                           \
	X(TOKEN_ADD, 3,                                                      \
	    "INSERT INTO api_token (token_hash, user_id, expires_at) SELECT " \
	    "$2, id, now() + make_interval(days => $3::int) FROM app_user "  \
	    "WHERE name = $1")                                               \
	X(TOKEN_REVOKE, 2,                                                   \
	    "DELETE FROM api_token WHERE id = $2::bigint AND user_id = "     \
	    "(SELECT id FROM app_user WHERE name = $1)")                     \
	X(TOKEN_REVOKE_ALL, 1,                                               \
	    "DELETE FROM api_token WHERE user_id = "                         \
	    "(SELECT id FROM app_user WHERE name = $1)")                     \
	X(TOKENS_LIST, 1,                                                    \
	    "SELECT u.id IS NOT NULL, t.id, to_char(t.created_at AT TIME "   \
	    "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "                \
	    "to_char(t.expires_at AT TIME ZONE 'UTC', "                      \
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(to_char("           \
	    "t.last_used_at AT TIME ZONE 'UTC', "                            \
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'), t.expires_at <= now() " \
	    "FROM (SELECT 1) one LEFT JOIN app_user u ON u.name = $1 "       \
	    "LEFT JOIN api_token t ON t.user_id = u.id ORDER BY t.id")       \
	X(WINDOW_OPEN, 2,                                                    \
	    "INSERT INTO instrument_window (event_id, instrument, opens_at, " \
	    "closes_at) SELECT id, $2, now(), NULL FROM event WHERE slug = " \
	    "$1 ON CONFLICT (event_id, instrument) DO UPDATE SET opens_at = " \
	    "now(), closes_at = NULL")                                       \
	X(WINDOW_CLOSE, 2,                                                   \
	    "INSERT INTO instrument_window (event_id, instrument, opens_at, " \
	    "closes_at) SELECT id, $2, NULL, now() FROM event WHERE slug = " \
	    "$1 ON CONFLICT (event_id, instrument) DO UPDATE SET closes_at " \
	    "= now()")                                                       \
	X(EVENT_ATTENDANCE, 2,                                               \
	    "UPDATE event SET attendance = $2::int WHERE slug = $1")         \
	X(PARTICIPANT_ERASE, 2,                                              \
	    "DELETE FROM participant p USING event e WHERE e.slug = $1 "     \
	    "AND p.event_id = e.id AND p.code = $2")

/* the programme view (page_programme.c), on the analytics connection:
 * each paired participant's mean change (post - pre) over the knowledge
 * items $2 (a JSON array of keys) answered in both, as n, sum and sum of
 * squares (a t interval per event, and pooled over events) */
#define DB_STMTS_PROGRAMME(X)                                                \
	X(PROGRAMME_CHANGE, 2,                                               \
	    "SELECT count(*), coalesce(sum(d), 0), coalesce(sum(d * d), 0) " \
	    "FROM (SELECT avg(b.num - a.num) AS d FROM response pr "         \
	    "JOIN response po ON po.participant_id = pr.participant_id "     \
	    "AND po.instrument = 'post' "                                    \
	    "JOIN answer a ON a.response_id = pr.id AND a.rank IS NULL "     \
	    "AND a.num IS NOT NULL "                                         \
	    "JOIN answer b ON b.response_id = po.id AND b.item = a.item "    \
	    "AND b.rank IS NULL AND b.num IS NOT NULL "                      \
	    "WHERE pr.event_id = $1::int AND pr.instrument = 'pre' "         \
	    "AND a.item IN (SELECT jsonb_array_elements_text($2::jsonb)) "   \
	    "GROUP BY pr.participant_id) t")

/* roles, scopes, archived events and the audit log (store_roles.c,
 * schema/020, schema/functions/roles.sql): enquete_user_sees(user, event)
 * is the one definition of "this user may see this event" */
#define DB_STMTS_ROLES(X)                                                    \
	X(USER_SEES_EVENT, 2,                                                \
	    "SELECT enquete_user_sees($1::int, e.id) FROM event e "          \
	    "WHERE e.slug = $2")                                             \
	X(USER_SCOPE_SET, 3,                                                 \
	    "WITH bad AS (SELECT s FROM unnest($3::text[]) s WHERE NOT "     \
	    "EXISTS (SELECT 1 FROM event e WHERE e.slug = s)), u AS (UPDATE " \
	    "app_user SET all_events = $2::boolean WHERE name = $1 AND NOT " \
	    "EXISTS (SELECT 1 FROM bad) RETURNING id), d AS (DELETE FROM "   \
	    "user_event WHERE user_id IN (SELECT id FROM u) AND event_id "   \
	    "NOT IN (SELECT id FROM event WHERE slug = ANY ($3::text[]))), " \
	    "i AS (INSERT INTO user_event (user_id, event_id) SELECT u.id, " \
	    "e.id FROM u JOIN event e ON e.slug = ANY ($3::text[]) "         \
	    "ON CONFLICT DO NOTHING) SELECT EXISTS (SELECT 1 FROM app_user " \
	    "WHERE name = $1), coalesce((SELECT string_agg(s, ',') FROM "    \
	    "bad), '')")                                                     \
	X(USER_ROLE_SET, 2, "UPDATE app_user SET role = $2 WHERE name = $1") \
	X(USER_GRANT_EVENT, 2,                                               \
	    "INSERT INTO user_event (user_id, event_id) SELECT u.id, e.id "  \
	    "FROM app_user u, event e WHERE u.id = $1::int AND e.slug = $2 " \
	    "ON CONFLICT DO NOTHING RETURNING 1")                            \
	X(EVENT_ARCHIVE, 1,                                                  \
	    "UPDATE event SET archived_at = coalesce(archived_at, now()) "   \
	    "WHERE slug = $1 RETURNING archived_at IS NOT NULL")             \
	X(AUDIT_ADD, 4,                                                      \
	    "INSERT INTO audit_log (actor, event_id, event_slug, action, "   \
	    "detail) VALUES ($1, (SELECT id FROM event WHERE slug = $2), $2, " \
	    "$3, coalesce($4::jsonb, '{}'))")                                \
	X(AUDIT_EXISTS, 0,                                                   \
	    "SELECT to_regclass('audit_log') IS NOT NULL")                   \
	X(AUDIT_LIST, 4,                                                     \
	    "SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), " \
	    "a.actor, coalesce(a.event_slug, ''), a.action, a.detail::text " \
	    "FROM audit_log a WHERE ($2 = '' OR a.event_id = (SELECT id "    \
	    "FROM event WHERE slug = $2)) AND ((SELECT role = 'admin' FROM " \
	    "app_user WHERE id = $1::int) OR (a.event_id IS NOT NULL AND "   \
	    "enquete_user_sees($1::int, a.event_id))) AND ($3 = '' OR "      \
	    "a.action = $3) ORDER BY a.id DESC LIMIT $4::int")

/* the organiser's console (store_console.c, schema/functions/console.sql):
 * a definition stored in one statement, the values answered so far (the
 * safe-change check: choice values only, other answers as NULL), the
 * set-up's event columns, scheduled windows, and the live monitor (read
 * on the primary: it must move with the room) */
#define DB_STMTS_CONSOLE(X)                                                  \
	X(CONSOLE_DEF_STORE, 6,                                              \
	    "SELECT outcome, version FROM enquete_console_store($1, "        \
	    "$2::boolean, $3::jsonb, $4, $5::jsonb, $6::jsonb)")             \
	X(CONSOLE_ANSWERED, 1,                                               \
	    "SELECT DISTINCT r.instrument, a.item, CASE WHEN m.type IN "     \
	    "('single', 'multi', 'rank', 'quiz') THEN a.value END "          \
	    "FROM response r JOIN answer a ON a.response_id = r.id "         \
	    "LEFT JOIN stats_item m ON m.definition_id = r.definition_id "   \
	    "AND m.instrument = r.instrument AND m.item = a.item "           \
	    "WHERE r.event_id = (SELECT id FROM event WHERE slug = $1)")     \
	X(CONSOLE_TZ_KNOWN, 1,                                               \
	    "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)") \
	X(CONSOLE_SETUP_GET, 1,                                              \
	    "SELECT attendance, double_entry FROM event WHERE id = $1::int") \
	X(CONSOLE_SETUP_SET, 3,                                              \
	    "UPDATE event SET attendance = $2::int, double_entry = "         \
	    "$3::boolean WHERE id = $1::int")                                \
	X(CONSOLE_WINDOW_SET, 5,                                             \
	    "INSERT INTO instrument_window (event_id, instrument, opens_at, " \
	    "closes_at) VALUES ($1::int, $2, enquete_console_time($3, $5), " \
	    "enquete_console_time($4, $5)) ON CONFLICT (event_id, "          \
	    "instrument) DO UPDATE SET opens_at = EXCLUDED.opens_at, "       \
	    "closes_at = EXCLUDED.closes_at")                                \
	X(CONSOLE_WINDOWS, 2,                                                \
	    "SELECT w.instrument, coalesce(to_char(w.opens_at AT TIME ZONE " \
	    "$2, 'YYYY-MM-DD\"T\"HH24:MI'), ''), coalesce(to_char("          \
	    "w.closes_at AT TIME ZONE $2, 'YYYY-MM-DD\"T\"HH24:MI'), ''), "   \
	    "enquete_window_open(w.event_id, w.instrument) FROM "            \
	    "instrument_window w WHERE w.event_id = $1::int")                \
	X(CONSOLE_LIVE, 1,                                                   \
	    "SELECT (SELECT count(*) FROM response WHERE event_id = $1::int " \
	    "AND instrument = 'pre'), (SELECT count(*) FROM response WHERE " \
	    "event_id = $1::int AND instrument = 'post'), (SELECT count(*) " \
	    "FROM response a JOIN response b ON b.participant_id = "         \
	    "a.participant_id AND b.instrument = 'post' WHERE a.event_id = " \
	    "$1::int AND a.instrument = 'pre'), (SELECT count(*) FROM "      \
	    "participant p WHERE p.event_id = $1::int AND p.preissued), "    \
	    "(SELECT count(*) FROM participant p WHERE p.event_id = $1::int " \
	    "AND p.preissued AND EXISTS (SELECT 1 FROM response r WHERE "    \
	    "r.participant_id = p.id)), (SELECT attendance FROM event WHERE " \
	    "id = $1::int), (SELECT coalesce(json_agg(coalesce(c.n, 0) "     \
	    "ORDER BY g.m), '[]') FROM generate_series(date_trunc('minute', " \
	    "now()) - interval '29 minutes', date_trunc('minute', now()), "  \
	    "interval '1 minute') g(m) LEFT JOIN (SELECT date_trunc("        \
	    "'minute', submitted_at) AS m, count(*) AS n FROM response "     \
	    "WHERE event_id = $1::int AND submitted_at >= date_trunc("       \
	    "'minute', now()) - interval '29 minutes' GROUP BY 1) c ON "     \
	    "c.m = g.m)::text")

/* the follow-up invitations (store_invite.c, schema/023): one run per
 * event at a time (a session advisory lock); the consenting attendees
 * still to mail ($2 the kind; $3, $4 the address and consent items); the
 * log of each attempt (never the address or the message); withdrawal */
#define DB_STMTS_INVITE(X)                                                   \
	X(INVITE_LOCK, 1,                                                    \
	    "SELECT pg_try_advisory_lock(24024, $1::int)")                   \
	X(INVITE_UNLOCK, 1, "SELECT pg_advisory_unlock(24024, $1::int)")     \
	X(INVITE_CANDIDATES, 4,                                              \
	    "SELECT p.id, p.code, c.value, r.lang FROM response r "          \
	    "JOIN participant p ON p.id = r.participant_id "                 \
	    "JOIN contact c ON c.response_id = r.id AND c.item = $3 "        \
	    "WHERE r.event_id = $1::int AND r.instrument = 'post' "          \
	    "AND EXISTS (SELECT 1 FROM answer a WHERE a.response_id = r.id " \
	    "AND a.item = $4 AND a.value = 'yes') "                          \
	    "AND NOT EXISTS (SELECT 1 FROM response f WHERE "                \
	    "f.participant_id = p.id AND f.instrument = 'followup') "        \
	    "AND NOT EXISTS (SELECT 1 FROM invite_log l WHERE "              \
	    "l.participant_id = p.id AND l.instrument = 'followup' "         \
	    "AND l.kind = $2 AND l.ok) AND ($2 = 'invite' OR EXISTS ("       \
	    "SELECT 1 FROM invite_log l WHERE l.participant_id = p.id "      \
	    "AND l.instrument = 'followup' AND l.kind = 'invite' AND l.ok)) " \
	    "ORDER BY p.id")                                                 \
	X(INVITE_LOG, 5,                                                     \
	    "INSERT INTO invite_log (event_id, participant_id, instrument, "  \
	    "kind, ok, result) VALUES ($1::int, $2::bigint, 'followup', $3, " \
	    "$4::boolean, $5) ON CONFLICT (participant_id, instrument, kind) " \
	    "WHERE ok DO NOTHING")                                           \
	X(INVITE_UNSUBSCRIBE, 3,                                             \
	    "WITH p AS (SELECT id FROM participant WHERE event_id = $1::int " \
	    "AND code = $2), d AS (DELETE FROM contact c USING response r, p " \
	    "WHERE c.response_id = r.id AND r.participant_id = p.id AND "    \
	    "c.item = $3 RETURNING 1) INSERT INTO invite_log (event_id, "    \
	    "participant_id, instrument, kind, ok, result) SELECT $1::int, " \
	    "p.id, 'followup', 'unsubscribe', true, 'unsubscribed (' || "    \
	    "(SELECT count(*) FROM d) || ' address)' FROM p ON CONFLICT "    \
	    "(participant_id, instrument, kind) WHERE ok DO NOTHING")

#define DB_STATEMENTS(X)                                                     \
	DB_STMTS_REPLICA(X)                                                  \
	DB_STMTS_CORE(X)                                                     \
	DB_STMTS_ATTENDEE(X)                                                 \
	DB_STMTS_ADMIN(X)                                                    \
	DB_STMTS_ANALYSIS(X)                                                 \
	DB_STMTS_DASHBOARD(X)                                                \
	DB_STMTS_REPORT(X)                                                   \
	DB_STMTS_PAPER(X)                                                    \
	DB_STMTS_FOLD(X)                                                     \
	DB_STMTS_CTL(X)                                                      \
	DB_STMTS_PROGRAMME(X)                                                \
	DB_STMTS_ROLES(X)                                                    \
	DB_STMTS_CONSOLE(X)                                                  \
	DB_STMTS_INVITE(X)

#endif
