/* store_console.c: the organiser's console's statements (store_console.h). */
#include "store_console.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

enum store_rc store_console_definition(struct db *db, const char *slug,
    bool create, const char *body, const char *digest, const char *items,
    const char *windows, enum store_console_outcome *out, long *version)
{
	const char *p[6] = {slug, create ? "t" : "f", body, digest, items,
	    windows};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_CONSOLE_DEF_STORE, 6, p, &res);
	const char *o;

	*version = 0;
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return STORE_FAILED;
	}
	o = PQgetvalue(res, 0, 0);
	*out = strcmp(o, "stored") == 0 ? STORE_CONSOLE_STORED :
	    strcmp(o, "unchanged") == 0 ? STORE_CONSOLE_UNCHANGED :
	    strcmp(o, "taken") == 0 ? STORE_CONSOLE_TAKEN :
	    STORE_CONSOLE_MISSING;
	*version = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return STORE_OK;
}

/* Calls row for each row of an answered-values result. */
static enum store_rc answered_rows(PGresult *res, store_answered_fn row,
    void *ctx)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (row(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2)))
			return STORE_STOPPED;
	return STORE_OK;
}

enum store_rc store_console_answered(struct db *db, const char *slug,
    store_answered_fn row, void *ctx)
{
	const char *p[1] = {slug};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_CONSOLE_ANSWERED, 1, p, &res);

	if (rc != STORE_OK)
		return rc;
	rc = answered_rows(res, row, ctx);
	PQclear(res);
	return rc;
}

int store_def_answered(struct pg_conn *c, const char *slug,
    store_answered_fn row, void *ctx)
{
	const char *p[1] = {slug};
	PGresult *res = db_exec_plain(c, DB_CONSOLE_ANSWERED, 1, p);
	int rc = -1;

	if (res && db_ok(res))
		rc = answered_rows(res, row, ctx) == STORE_OK ? 0 : -1;
	else
		fprintf(stderr, "enquetectl: %s",
		    res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	PQclear(res);
	return rc;
}

enum store_rc store_console_tz_known(struct db *db, const char *name,
    bool *known)
{
	const char *p[1] = {name};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_CONSOLE_TZ_KNOWN, 1, p, &res);

	*known = false;
	if (rc != STORE_OK)
		return rc;
	*known = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return STORE_OK;
}

enum store_rc store_console_setup_get(struct db *db, long event_id,
    long *attendance, bool *double_entry)
{
	char id[24];
	const char *p[1] = {id};
	PGresult *res;
	enum store_rc rc;

	snprintf(id, sizeof(id), "%ld", event_id);
	*attendance = 0;
	*double_entry = false;
	if ((rc = store_run(db, DB_CONSOLE_SETUP_GET, 1, p, &res)) != STORE_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = STORE_NONE;
	else {
		*attendance = atol(PQgetvalue(res, 0, 0));
		*double_entry = PQgetvalue(res, 0, 1)[0] == 't';
	}
	PQclear(res);
	return rc;
}

enum store_rc store_console_setup_set(struct db *db, long event_id,
    long attendance, bool double_entry)
{
	char id[24], att[24];
	const char *p[3] = {id, attendance > 0 ? att : NULL,
	    double_entry ? "t" : "f"};
	PGresult *res;
	enum store_rc rc;

	snprintf(id, sizeof(id), "%ld", event_id);
	snprintf(att, sizeof(att), "%ld", attendance);
	if ((rc = store_run(db, DB_CONSOLE_SETUP_SET, 3, p, &res)) != STORE_OK)
		return rc;
	if (store_changed(res) != 1)
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_console_window(struct db *db, long event_id,
    const char *instrument, const char *opens, const char *closes,
    const char *tz)
{
	char id[24];
	const char *p[5] = {id, instrument, opens, closes, tz};
	PGresult *res;
	enum store_rc rc;

	snprintf(id, sizeof(id), "%ld", event_id);
	rc = store_run(db, DB_CONSOLE_WINDOW_SET, 5, p, &res);
	if (rc == STORE_OK)
		PQclear(res);
	return rc;
}

enum store_rc store_console_live(struct db *db, long event_id,
    struct store_live *out)
{
	char id[24];
	const char *p[1] = {id};
	PGresult *res;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	snprintf(id, sizeof(id), "%ld", event_id);
	if ((rc = store_run(db, DB_CONSOLE_LIVE, 1, p, &res)) != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return STORE_FAILED;
	}
	out->pre = atol(PQgetvalue(res, 0, 0));
	out->post = atol(PQgetvalue(res, 0, 1));
	out->paired = atol(PQgetvalue(res, 0, 2));
	out->issued = atol(PQgetvalue(res, 0, 3));
	out->used = atol(PQgetvalue(res, 0, 4));
	out->attendance = atol(PQgetvalue(res, 0, 5));
	out->minutes = strdup(PQgetvalue(res, 0, 6));
	PQclear(res);
	return out->minutes ? STORE_OK : STORE_FAILED;
}

enum store_rc store_console_windows(struct db *db, long event_id,
    const char *tz, int (*row)(void *ctx, const struct store_window_row *w),
    void *ctx)
{
	char id[24];
	const char *p[2] = {id, tz};
	PGresult *res;
	enum store_rc rc;

	snprintf(id, sizeof(id), "%ld", event_id);
	if ((rc = store_run(db, DB_CONSOLE_WINDOWS, 2, p, &res)) != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		struct store_window_row w = {PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3)[0] == 't'};
		if (row(ctx, &w)) {
			rc = STORE_STOPPED;
			break;
		}
	}
	PQclear(res);
	return rc;
}
