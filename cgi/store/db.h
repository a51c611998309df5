/* db.h: one libpq connection per worker and database, opened lazily,
 * statements prepared once per connection, reopened after a failure. */
#ifndef ENQUETE_DB_H
#define ENQUETE_DB_H

#include <libpq-fe.h>

#include "db_sql.h"

#define DB_ENUM(name, np, sql) DB_##name,
enum db_stmt { DB_STATEMENTS(DB_ENUM) DB__MAX };
#undef DB_ENUM

struct db {
	const char *conninfo;  /* borrowed, process lifetime */
	const char *appname;   /* application_name (borrowed); NULL "enquete" */
	PGconn *conn;          /* NULL until first use or after a failure */
	unsigned long generation; /* bumped at every new connection */
	int listen;            /* may LISTEN (not a read replica) */
	int down;              /* 1 when the last attempt to reach it failed
	                        * (front.c words its 503 after it) */
};

/* Opens the connection if needed and prepares every statement. 0 when the
 * connection is usable, -1 when the database cannot be reached. */
int db_ready(struct db *db);
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
/* db_exec under a statement_timeout of ms milliseconds, the connection's
 * own setting restored afterwards: for the queries whose time grows with
 * the data they select (filtered summaries). A query cut short fails
 * with SQLSTATE 57014 (db_timed_out). Same result contract as db_exec. */
PGresult *db_exec_limited(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, long ms);
/* 1 when res failed because its statement_timeout expired */
int db_timed_out(const PGresult *res);
/* The limit for filtered queries: ENQUETE_FILTER_TIMEOUT_MS (1 to
 * 3600000), default 20000, under nginx's fastcgi_read_timeout (60 s) */
long db_filter_timeout_ms(void);
/* 1 when res is a success (TUPLES_OK or COMMAND_OK). */
int db_ok(const PGresult *res);
/* SQLSTATE of a failed result, or "" */
const char *db_sqlstate(const PGresult *res);
void db_close(struct db *db);
/* Reads what the server sent without waiting: 1 when a notification
 * arrived (all are drained) or the connection is not up, else 0. */
int db_notified(struct db *db);
/* Opens a plain connection for the CLI (no prepared statements); NULL and a
 * message on stderr when it fails. Caller frees with PQfinish. */
PGconn *db_connect_plain(const char *conninfo);
/* The conninfo to use: ENQUETE_DATABASE_URL or the private cluster's. */
const char *db_conninfo(void);
const char *db_analytics_conninfo(void);
/* Name of statement s (for logs). */
const char *db_stmt_name(enum db_stmt s);

#endif
