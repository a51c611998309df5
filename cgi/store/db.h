/* db.h: private to cgi/store. One libpq connection per worker and
 * database (struct db, store.h), opened lazily, statements prepared once
 * per connection, reopened after a failure. Nothing above the store
 * includes this header: the floors above call store.h's typed functions. */
#ifndef ENQUETE_DB_H
#define ENQUETE_DB_H

#include <libpq-fe.h>

#include "db_sql.h"
#include "store.h"

#define DB_ENUM(name, np, sql) DB_##name,
enum db_stmt { DB_STATEMENTS(DB_ENUM) DB__MAX };
#undef DB_ENUM

/* Runs a prepared statement with text parameters (NULL = SQL NULL).
 * Returns the result (caller frees with PQclear) when the statement ran,
 * even if it failed with an SQL error (check PQresultStatus); returns NULL
 * when the database is unreachable (the connection is then dropped and
 * reopened by the next db_ready). */
PGresult *db_exec(struct db *db, enum db_stmt s, int nparams,
    const char *const *params);
/* Same with explicit lengths and formats (for binary parameters). */
PGresult *db_exec_bin(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, const int *lengths, const int *formats);
/* Same as db_exec, inside a transaction the caller opened (TX_BEGIN):
 * never sent again on a new connection, which would have no transaction;
 * NULL when the connection failed (it is closed, and the transaction with
 * it). */
PGresult *db_exec_tx(struct db *db, enum db_stmt s, int nparams,
    const char *const *params);
/* db_exec under a statement_timeout of ms milliseconds, set LOCAL in a
 * transaction of its own (BEGIN, SET LOCAL, the query, COMMIT): for the queries whose time grows with
 * the data they select (filtered summaries). A query cut short fails
 * with SQLSTATE 57014 (db_timed_out). Same result contract as db_exec. */
PGresult *db_exec_limited(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, long ms);
/* 1 when res failed because its statement_timeout expired */
int db_timed_out(const PGresult *res);
/* 1 when res is a success (TUPLES_OK or COMMAND_OK). */
int db_ok(const PGresult *res);
/* SQLSTATE of a failed result, or "" */
const char *db_sqlstate(const PGresult *res);
/* Opens a plain connection for the CLI (no prepared statements); NULL and a
 * message on stderr when it fails. Caller frees with PQfinish. */
PGconn *db_connect_plain(const char *conninfo);
/* Runs statement s's text on a plain connection (PQexecParams): for a
 * schema that may not be there yet (migrate). Caller frees with PQclear. */
PGresult *db_exec_plain(PGconn *c, enum db_stmt s, int nparams,
    const char *const *params);
/* LISTEN enquete_event on a plain connection (0 or -1), and the wait for
 * our own notification after a commit (store_events_await). */
int db_plain_listen(PGconn *c);
void db_plain_await(PGconn *c);
/* Name of statement s (for logs). */
const char *db_stmt_name(enum db_stmt s);

/* For the store_*.c files: runs s. STORE_OK with *res (caller frees with
 * PQclear); otherwise *res is NULL, db->err holds the message and the
 * status says why: DOWN (unreachable), TAKEN (23505), INVALID (23514),
 * NONE (23503: the row it refers to does not exist), FAILED. */
enum store_rc store_run(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, PGresult **res);
/* Runs s in single-row mode (the streaming reads of store.h): row(ctx,
 * res) is called for each row as it arrives, res holding that one row (row
 * 0; borrowed, freed after the call), after a check that it has nfields
 * columns. STORE_OK at the end; STORE_STOPPED when row returned non-zero
 * (the query is cancelled and the connection drained); DOWN or FAILED
 * with db->err otherwise (some rows may have been delivered). Sent once
 * more on a new connection only when an idle one had died before any
 * row. */
enum store_rc store_each(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, int nfields,
    int (*row)(void *ctx, const PGresult *res), void *ctx);
/* The rows a command changed (PQcmdTuples), 0 when none or unknown. */
long store_changed(PGresult *res);

#endif
