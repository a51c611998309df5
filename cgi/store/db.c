/* db.c: lazy libpq connections with every statement prepared once. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "config.h"
#include "log.h"

#define DB_TEXT(name, np, sql) sql,
#define DB_NAME(name, np, sql) #name,
#define DB_NP(name, np, sql) np,
static const char *const stmt_sql[DB__MAX] = {DB_STATEMENTS(DB_TEXT)};
static const char *const stmt_name[DB__MAX] = {DB_STATEMENTS(DB_NAME)};
static const int stmt_np[DB__MAX] = {DB_STATEMENTS(DB_NP)};

const char *db_stmt_name(enum db_stmt s)
{
	return s < DB__MAX ? stmt_name[s] : "?";
}

unsigned long db_generation(const struct db *db)
{
	return db->generation;
}

int db_down(const struct db *db)
{
	return db->down;
}

void db_down_clear(struct db *db)
{
	db->down = 0;
}

const char *store_error(const struct db *db)
{
	return db->err;
}

const char *db_conninfo(void)
{
	return cfg_str(CFG_DATABASE_URL);
}

const char *db_analytics_conninfo(void)
{
	return cfg_str(CFG_ANALYTICS_DATABASE_URL);
}

int db_pooled(void)
{
	return cfg_int(CFG_DB_POOLED) == 1;
}

/* Connects with a short timeout so a dead server gives a quick 503. */
static PGconn *db_open(const char *conninfo, const char *appname)
{
	const char *keys[] = {"dbname", "connect_timeout",
	    "application_name", "client_encoding", NULL};
	const char *vals[] = {conninfo, "2", appname ? appname : "enquete",
	    "UTF8", NULL};

	return PQconnectdbParams(keys, vals, 1);
}

PGconn *db_connect_plain(const char *conninfo)
{
	PGconn *c = db_open(conninfo, "enquetectl");

	if (c == NULL) {
		fprintf(stderr, "enquetectl: out of memory\n");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "enquetectl: cannot connect to the database: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

void db_close(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
}

_Static_assert(DB__MAX <= 8 * sizeof(((struct db *)0)->prepared),
    "struct db's prepared bitmap is too small for the statement table");

/* Prepares statement s on db's connection: 0, or -1 (logged, connection
 * closed). */
static int prepare(struct db *db, enum db_stmt s)
{
	PGresult *res = PQprepare(db->conn, stmt_name[s], stmt_sql[s],
	    stmt_np[s], NULL);

	if (!db_ok(res)) {
		log_msg(NULL, "prepare %s failed: %s", stmt_name[s],
		    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
		snprintf(db->err, sizeof(db->err), "%s",
		    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
		PQclear(res);
		db_close(db);
		return -1;
	}
	PQclear(res);
	db->prepared[s / 8] |= (unsigned char)(1u << (s % 8));
	return 0;
}

int db_ready(struct db *db)
{
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	db_close(db);
	db->conn = db_open(db->conninfo, db->appname);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_msg(NULL, "database unreachable: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		db_close(db);
		db->down = 1;
		return -1;
	}
	memset(db->prepared, 0, sizeof(db->prepared));
	/* through a transaction pooler, a statement prepared here would live
	 * on one server connection and the next transaction may get another:
	 * every statement is then sent unnamed, parsed with its parameters
	 * (send_stmt) */
	for (int i = 0; !db->lazy && !db_pooled() && i < DB__MAX; i++)
		if (prepare(db, (enum db_stmt)i) != 0)
			return -1;
	db->generation++;
	db->down = 0;
	return 0;
}

int db_notified(struct db *db)
{
	PGnotify *n;
	int any = 0;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    PQconsumeInput(db->conn) == 0)
		return 1;
	while ((n = PQnotifies(db->conn)) != NULL) {
		any = 1;
		PQfreemem(n);
	}
	return any;
}

int db_ok(const PGresult *res)
{
	ExecStatusType st;

	if (res == NULL)
		return 0;
	st = PQresultStatus(res);
	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

const char *db_sqlstate(const PGresult *res)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return s ? s : "";
}

/* 1 when res (or its absence) says the connection itself failed. */
static int connection_failed(struct db *db, PGresult *res)
{
	const char *state;

	if (res == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return 1;
	if (db_ok(res))
		return 0;
	state = db_sqlstate(res);
	/* class 08 connection exception, 57P admin shutdown, 53 resources */
	return strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0;
}

/* Runs statement s: prepared, or unnamed when pooled. When the connection fails and reopen is
 * set, a connection that was already open (it may have died while idle)
 * is reopened and the statement sent once more. */
static PGresult *exec_prepared(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, const int *lengths, const int *formats,
    int reopen)
{
	PGresult *res;
	int reused;

	if (s >= DB__MAX || nparams != stmt_np[s])
		abort(); /* a programming error, not a runtime condition */
	for (int attempt = 0; attempt < 2; attempt++) {
		reused = db->conn != NULL;
		if (db_ready(db) != 0)
			return NULL;
		if (!db_pooled() && !(db->prepared[s / 8] & (1u << (s % 8))) &&
		    prepare(db, s) != 0)
			return NULL;
		res = db_pooled()
		    ? PQexecParams(db->conn, stmt_sql[s], nparams, NULL, params,
			  lengths, formats, 0)
		    : PQexecPrepared(db->conn, stmt_name[s], nparams, params,
			  lengths, formats, 0);
		if (!connection_failed(db, res)) {
			if (!db_ok(res))
				snprintf(db->err, sizeof(db->err), "%s",
				    PQresultErrorMessage(res));
			return res;
		}
		snprintf(db->err, sizeof(db->err), "%s",
		    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
		log_msg(NULL, "statement %s: %s", stmt_name[s],
		    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
		PQclear(res);
		db_close(db);
		/* a connection that died while idle (the server restarted) is
		 * reopened once at once; every statement is safe to resend
		 * (a submission is idempotent by its token) */
		if (!reused || !reopen)
			break;
	}
	db->down = 1;
	return NULL;
}

PGresult *db_exec_bin(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, const int *lengths, const int *formats)
{
	return exec_prepared(db, s, nparams, params, lengths, formats, 1);
}

PGresult *db_exec(struct db *db, enum db_stmt s, int nparams,
    const char *const *params)
{
	return db_exec_bin(db, s, nparams, params, NULL, NULL);
}

PGresult *db_exec_tx(struct db *db, enum db_stmt s, int nparams,
    const char *const *params)
{
	return exec_prepared(db, s, nparams, params, NULL, NULL, 0);
}

/* Ends the transaction of db_exec_limited: COMMIT, or ROLLBACK after a
 * failed query; a connection that cannot end it is closed (it must not
 * hand its open transaction, and its limit, to the next query). */
static void tx_end(struct db *db, int commit)
{
	PGresult *end = exec_prepared(db, commit ? DB_TX_COMMIT
						 : DB_TX_ROLLBACK,
	    0, NULL, NULL, NULL, 0);

	if (end == NULL || !db_ok(end)) {
		log_msg(NULL, "statement %s: %s",
		    commit ? "TX_COMMIT" : "TX_ROLLBACK",
		    end ? PQresultErrorMessage(end) : "no connection");
		db_close(db);
	}
	PQclear(end);
}

PGresult *db_exec_limited(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, long ms)
{
	char v[24];
	const char *p[1] = {v};
	PGresult *res, *set;

	snprintf(v, sizeof(v), "%ld", ms > 0 ? ms : 0);
	/* the limit is SET LOCAL (set_config(..., true)) in a transaction of
	 * its own: it ends with the transaction, so no other query of this
	 * connection, nor another client's behind a transaction pooler,
	 * ever runs under it */
	if ((set = db_exec(db, DB_TX_BEGIN, 0, NULL)) == NULL)
		return NULL;
	if (!db_ok(set))
		return set;
	PQclear(set);
	/* never resent: a new connection would have no transaction */
	if ((set = exec_prepared(db, DB_TIMEOUT_SET, 1, p, NULL, NULL, 0)) ==
	    NULL)
		return NULL;
	if (!db_ok(set)) {
		/* a setting refused by the server: the query must not run
		 * without its limit; hand the error back as the result */
		tx_end(db, 0);
		return set;
	}
	PQclear(set);
	res = exec_prepared(db, s, nparams, params, NULL, NULL, 0);
	if (res == NULL)
		return NULL; /* the connection is gone, and its transaction */
	tx_end(db, db_ok(res));
	return res;
}

int db_timed_out(const PGresult *res)
{
	return res != NULL && strcmp(db_sqlstate(res), "57014") == 0;
}

long db_filter_timeout_ms(void)
{
	return cfg_int(CFG_FILTER_TIMEOUT_MS);
}

PGresult *db_exec_plain(PGconn *c, enum db_stmt s, int nparams,
    const char *const *params)
{
	if (s >= DB__MAX || nparams != stmt_np[s])
		abort(); /* a programming error, not a runtime condition */
	return PQexecParams(c, stmt_sql[s], nparams, NULL, params, NULL, NULL,
	    0);
}

int db_plain_listen(PGconn *c)
{
	PGresult *res = db_exec_plain(c, DB_LISTEN_EVENTS, 0, NULL);
	int ok = db_ok(res);

	PQclear(res);
	return ok ? 0 : -1;
}

void db_plain_await(PGconn *c)
{
	struct timespec start, now, pause = {0, 50 * 1000 * 1000};
	PGnotify *n;
	int got = 0;

	/* our own notification back means the server has signalled every
	 * listening worker connection; a short pause lets them pass it on */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!got) {
		struct timeval tv = {0, 100 * 1000};
		fd_set fds;
		int sock = PQsocket(c);

		if (sock < 0)
			break;
		FD_ZERO(&fds);
		FD_SET(sock, &fds);
		if (select(sock + 1, &fds, NULL, NULL, &tv) < 0 ||
		    PQconsumeInput(c) == 0)
			break;
		while ((n = PQnotifies(c)) != NULL) {
			got = 1;
			PQfreemem(n);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 2)
			break;
	}
	nanosleep(&pause, NULL);
}

enum store_rc store_run(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, PGresult **res)
{
	const char *state;
	enum store_rc rc;

	db->err[0] = '\0';
	*res = db_exec(db, s, nparams, params);
	if (*res == NULL)
		return STORE_DOWN;
	if (db_ok(*res))
		return STORE_OK;
	state = db_sqlstate(*res);
	rc = strcmp(state, "23505") == 0 ? STORE_TAKEN
	    : strcmp(state, "23514") == 0 ? STORE_INVALID
	    : strcmp(state, "23503") == 0 ? STORE_NONE
					  : STORE_FAILED;
	PQclear(*res);
	*res = NULL;
	return rc;
}

long store_changed(PGresult *res)
{
	const char *n = res ? PQcmdTuples(res) : "";

	return *n ? atol(n) : 0;
}

/* Sends s without waiting for its result, in single-row mode: 1, or 0 when
 * the connection failed (db->err set). */
static int send_single(struct db *db, enum db_stmt s, int nparams,
    const char *const *params)
{
	int sent = db_pooled()
	    ? PQsendQueryParams(db->conn, stmt_sql[s], nparams, NULL, params,
		  NULL, NULL, 0)
	    : PQsendQueryPrepared(db->conn, stmt_name[s], nparams, params,
		  NULL, NULL, 0);

	if (!sent || !PQsetSingleRowMode(db->conn)) {
		snprintf(db->err, sizeof(db->err), "%s",
		    PQerrorMessage(db->conn));
		return 0;
	}
	return 1;
}

/* Asks the server to stop the running query (the client stopped
 * reading); the results are still drained by the caller. */
static void cancel_query(struct db *db)
{
	char err[256];
	PGcancel *c = PQgetCancel(db->conn);

	if (c == NULL)
		return;
	if (!PQcancel(c, err, sizeof(err)))
		log_msg(NULL, "cancel: %s", err);
	PQfreeCancel(c);
}

enum store_rc store_each(struct db *db, enum db_stmt s, int nparams,
    const char *const *params, int nfields,
    int (*row)(void *ctx, const PGresult *res), void *ctx)
{
	enum store_rc rc = STORE_OK;
	PGresult *res;
	int reused, sent = 0;

	if (s >= DB__MAX || nparams != stmt_np[s])
		abort(); /* a programming error, not a runtime condition */
	db->err[0] = '\0';
	for (int attempt = 0; attempt < 2 && !sent; attempt++) {
		reused = db->conn != NULL;
		if (db_ready(db) != 0)
			return STORE_DOWN;
		if (!db_pooled() &&
		    !(db->prepared[s / 8] & (1u << (s % 8))) &&
		    prepare(db, s) != 0)
			return STORE_DOWN;
		if ((sent = send_single(db, s, nparams, params)) != 0)
			break;
		log_msg(NULL, "statement %s: %s", stmt_name[s], db->err);
		db_close(db);
		if (!reused)
			break;
	}
	if (!sent) {
		db->down = 1;
		return STORE_DOWN;
	}
	/* every result is read, even after a stop or an error, so that the
	 * connection is ready for its next statement */
	while ((res = PQgetResult(db->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_SINGLE_TUPLE) {
			if (rc != STORE_OK)
				; /* stopped or failed: drained */
			else if (PQnfields(res) != nfields) {
				snprintf(db->err, sizeof(db->err),
				    "%s: %d columns", stmt_name[s],
				    PQnfields(res));
				rc = STORE_FAILED;
				cancel_query(db);
			} else if (row(ctx, res) != 0) {
				rc = STORE_STOPPED;
				cancel_query(db);
			}
		} else if (st != PGRES_TUPLES_OK && rc == STORE_OK) {
			/* the end of the rows is TUPLES_OK; anything else is
			 * an error (a cancelled query's after a stop is not
			 * reported) */
			snprintf(db->err, sizeof(db->err), "%s",
			    PQresultErrorMessage(res));
			rc = connection_failed(db, res) ? STORE_DOWN
							 : STORE_FAILED;
		}
		PQclear(res);
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		if (rc == STORE_OK || rc == STORE_FAILED) {
			snprintf(db->err, sizeof(db->err), "%s",
			    PQerrorMessage(db->conn));
			rc = STORE_DOWN;
		}
		db_close(db);
		db->down = rc == STORE_DOWN;
	}
	if (rc == STORE_DOWN)
		log_msg(NULL, "statement %s: %s", stmt_name[s], db->err);
	return rc;
}
