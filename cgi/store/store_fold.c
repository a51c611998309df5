/* store_fold.c: see store_fold.h. The batch's statements run in one
 * transaction (db_exec_tx: never resent on a new connection). Arrays go
 * to the server as text literals, built here (arr_*). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "store_fold.h"

/* Runs s in the batch's transaction: the result (caller frees with
 * PQclear) when it succeeded, else NULL with a message on stderr. */
static PGresult *tx_run(struct db *db, enum db_stmt s, int nparams,
			const char *const *params)
{
	PGresult *res = db_exec_tx(db, s, nparams, params);

	if (res == NULL) {
		fprintf(stderr, "fold: %s: cannot reach the database\n",
			db_stmt_name(s));
		return NULL;
	}
	if (!db_ok(res)) {
		fprintf(stderr, "fold: %s: %s", db_stmt_name(s),
			PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

int store_fold_begin(struct db *db)
{
	PGresult *res = db_exec(db, DB_TX_BEGIN, 0, NULL);

	if (res == NULL || !db_ok(res)) {
		fprintf(stderr, "fold: BEGIN: %s\n",
			res ? PQresultErrorMessage(res)
			    : "cannot reach the database");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	if ((res = tx_run(db, DB_FOLD_SETUP, 0, NULL)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int store_fold_end(struct db *db, int commit)
{
	PGresult *res =
	    db_exec_tx(db, commit ? DB_TX_COMMIT : DB_TX_ROLLBACK, 0, NULL);
	int ok = res != NULL && db_ok(res);

	if (!ok) {
		fprintf(stderr, "fold: %s: %s", commit ? "COMMIT" : "ROLLBACK",
			res ? PQresultErrorMessage(res) : "no connection\n");
		/* a connection whose transaction state is unknown is not
		 * used again */
		db_close(db);
	}
	PQclear(res);
	return ok ? 0 : -1;
}

/* Whole numbers and floats of a result's text (the server's output). */
static int to_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

static int to_d(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno ? 0 : -1;
}

int store_fold_take(struct db *db, long limit, long *event_id, long long **ids,
		    size_t *n)
{
	char lim[24];
	const char *params[1] = {lim};
	PGresult *res;
	long long ev;
	int rows;

	*event_id = 0;
	*ids = NULL;
	*n = 0;
	if (limit < 1 || limit > 100000)
		return -1;
	snprintf(lim, sizeof(lim), "%ld", limit);
	if ((res = tx_run(db, DB_FOLD_TAKE, 1, params)) == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows == 0) {
		PQclear(res);
		return 0;
	}
	if (PQnfields(res) != 2 || to_ll(PQgetvalue(res, 0, 0), &ev) != 0)
		goto bad;
	*event_id = (long)ev;
	if (PQgetisnull(res, 0, 1)) { /* the event was deleted */
		PQclear(res);
		return 1;
	}
	if ((*ids = malloc((size_t)rows * sizeof(**ids))) == NULL) {
		fprintf(stderr, "fold: out of memory\n");
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < rows; i++)
		if (to_ll(PQgetvalue(res, i, 1), &(*ids)[i]) != 0)
			goto bad;
	*n = (size_t)rows;
	PQclear(res);
	return 1;
bad:
	fprintf(stderr, "fold: stats_fold_take: unexpected row\n");
	free(*ids);
	*ids = NULL;
	*n = 0;
	PQclear(res);
	return -1;
}

/* {id,id,...} of ids[0..n). */
static int arr_ids(struct buf *b, const long long *ids, size_t n)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", ids[i]);
	buf_putc(b, '}');
	buf_cstr(b);
	return b->oom ? -1 : 0;
}

/* One element of a text array literal: quoted, \ and " escaped; NULL
 * unquoted. */
static void arr_text(struct buf *b, size_t i, const char *s)
{
	buf_putc(b, i ? ',' : '{');
	if (s == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* One element of a float8 array literal: exact (17 digits). -1 for a
 * value that is no finite number. */
static int arr_float(struct buf *b, size_t i, double v)
{
	if (!isfinite(v))
		return -1;
	buf_printf(b, "%s%.17g", i ? "," : "{", v);
	return 0;
}

/* Closes an array literal of n elements ("{}" when empty). */
static int arr_close(struct buf *b, size_t n)
{
	if (n == 0)
		buf_putc(b, '{');
	buf_putc(b, '}');
	buf_cstr(b);
	return b->oom ? -1 : 0;
}

/* Runs s (one parameter: the array of ids[0..n)) in the batch's
 * transaction; its result when it succeeded with nfields columns (caller
 * frees with PQclear), else NULL with a message on stderr. */
static PGresult *run_ids(struct db *db, enum db_stmt s, const long long *ids,
			 size_t n, int nfields)
{
	struct buf arr = BUF_INIT;
	const char *params[1];
	PGresult *res;

	if (arr_ids(&arr, ids, n) != 0) {
		buf_free(&arr);
		fprintf(stderr, "fold: out of memory\n");
		return NULL;
	}
	params[0] = arr.data;
	res = tx_run(db, s, 1, params);
	buf_free(&arr);
	if (res != NULL && PQnfields(res) != nfields) {
		fprintf(stderr, "fold: %s: %d columns\n", db_stmt_name(s),
			PQnfields(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

int store_fold_tuples(struct db *db, int cur, const long long *ids, size_t n,
		      int (*row)(void *ctx, const struct fold_tuple *t),
		      void *ctx)
{
	PGresult *res = run_ids(db, cur ? DB_FOLD_CUR : DB_FOLD_OLD, ids, n, 9);
	struct fold_tuple t;
	long long v;
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		for (int f = 0; f < 9; f++)
			if (PQgetisnull(res, i, f))
				rc = -1;
		if (rc != 0 ||
		    to_ll(PQgetvalue(res, i, 0), &t.participant_id) ||
		    to_ll(PQgetvalue(res, i, 5), &v) || v < -2147483648LL ||
		    v > 2147483647LL || to_ll(PQgetvalue(res, i, 6), &t.n) ||
		    to_d(PQgetvalue(res, i, 7), &t.s1) ||
		    to_d(PQgetvalue(res, i, 8), &t.s2)) {
			rc = -1;
			break;
		}
		t.kind = PQgetvalue(res, i, 1);
		t.instrument = PQgetvalue(res, i, 2);
		t.item = PQgetvalue(res, i, 3);
		t.value = PQgetvalue(res, i, 4);
		t.rank = (int)v;
		if (row(ctx, &t) != 0) {
			PQclear(res);
			return -1;
		}
	}
	if (rc != 0)
		fprintf(stderr, "fold: %s: unexpected row\n",
			cur ? "stats_fold_cur" : "stats_fold_old");
	PQclear(res);
	return rc;
}

int store_fold_members(struct db *db, const long long *ids, size_t n,
		       int (*row)(void *ctx, const struct fold_member *m),
		       void *ctx)
{
	PGresult *res = run_ids(db, DB_FOLD_MEMBERS, ids, n, 4);
	struct fold_member m;
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 0) || PQgetisnull(res, i, 1) ||
		    PQgetisnull(res, i, 2) || PQgetisnull(res, i, 3) ||
		    to_ll(PQgetvalue(res, i, 0), &m.participant_id)) {
			rc = -1;
			break;
		}
		m.cur = strcmp(PQgetvalue(res, i, 1), "t") == 0;
		m.fkey = PQgetvalue(res, i, 2);
		m.fvalue = PQgetvalue(res, i, 3);
		if (row(ctx, &m) != 0) {
			PQclear(res);
			return -1;
		}
	}
	if (rc != 0)
		fprintf(stderr, "fold: stats_fold_members: unexpected row\n");
	PQclear(res);
	return rc;
}

enum {
	W_EVENT,
	W_PS,
	W_FKEY,
	W_FVALUE,
	W_KIND,
	W_INSTRUMENT,
	W_ITEM,
	W_VALUE,
	W_RANK,
	W_N,
	W_S1,
	W_S2,
	W_MOVED,
	W_MP,
	W_MK,
	W_MV,
	W__N
};

long long store_fold_write(struct db *db, long event_id, const long long *ids,
			   size_t n, const struct fold_writes *w)
{
	struct buf a[W__N];
	const char *params[W__N];
	PGresult *res;
	long long left = -1;
	int bad = 0;

	for (int k = 0; k < W__N; k++)
		buf_init(&a[k]);
	buf_printf(&a[W_EVENT], "%ld", event_id);
	buf_cstr(&a[W_EVENT]);
	arr_ids(&a[W_PS], ids, n);
	for (size_t i = 0; i < w->nsums; i++) {
		const struct fold_sum *s = &w->sums[i];

		arr_text(&a[W_FKEY], i, s->fkey);
		arr_text(&a[W_FVALUE], i, s->fvalue);
		arr_text(&a[W_KIND], i, s->kind);
		arr_text(&a[W_INSTRUMENT], i, s->instrument);
		arr_text(&a[W_ITEM], i, s->item);
		arr_text(&a[W_VALUE], i, s->value);
		buf_printf(&a[W_RANK], "%s%d", i ? "," : "{", s->rank);
		buf_printf(&a[W_N], "%s%lld", i ? "," : "{", s->n);
		bad |= arr_float(&a[W_S1], i, s->s1);
		bad |= arr_float(&a[W_S2], i, s->s2);
	}
	for (int k = W_FKEY; k <= W_S2; k++)
		bad |= arr_close(&a[k], w->nsums);
	bad |= arr_ids(&a[W_MOVED], w->moved, w->nmoved);
	for (size_t i = 0; i < w->nmembers; i++) {
		buf_printf(&a[W_MP], "%s%lld", i ? "," : "{",
			   w->members[i].participant_id);
		arr_text(&a[W_MK], i, w->members[i].fkey);
		arr_text(&a[W_MV], i, w->members[i].fvalue);
	}
	for (int k = W_MP; k <= W_MV; k++)
		bad |= arr_close(&a[k], w->nmembers);
	for (int k = 0; k < W__N; k++) {
		bad |= a[k].oom;
		params[k] = buf_cstr(&a[k]);
	}
	if (bad)
		fprintf(stderr, "fold: out of memory, or a sum that is no "
				"finite number\n");
	else if ((res = tx_run(db, DB_FOLD_WRITE, W__N, params)) != NULL) {
		if (PQntuples(res) != 1 || PQnfields(res) != 1 ||
		    PQgetisnull(res, 0, 0) ||
		    to_ll(PQgetvalue(res, 0, 0), &left) != 0) {
			fprintf(stderr, "fold: stats_fold_write: unexpected "
					"result\n");
			left = -1;
		}
		PQclear(res);
	}
	for (int k = 0; k < W__N; k++)
		buf_free(&a[k]);
	return left;
}

int store_fold_lag(struct db *db, long event_id, long long *lag_ms,
		   long long *pending)
{
	char ev[24];
	const char *params[1] = {ev};
	PGresult *res;

	*lag_ms = 0;
	*pending = 0;
	snprintf(ev, sizeof(ev), "%ld", event_id);
	res = db_exec(db, DB_FOLD_LAG, 1, params);
	if (res == NULL)
		return -1;
	if (!db_ok(res) || PQntuples(res) != 1 || PQnfields(res) != 2) {
		PQclear(res);
		return -1;
	}
	*lag_ms = atoll(PQgetvalue(res, 0, 0));
	*pending = atoll(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}
