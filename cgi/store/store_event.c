/* store_event.c: events, their windows and attendance, and the
 * notifications that tell workers an event changed (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static const char *const instrument_name[STORE_INSTRUMENT__MAX] = {"pre",
    "post", "followup"};

enum store_rc store_event_by_slug(struct db *db, const char *slug,
				  struct store_event *out)
{
	const char *params[1] = {slug};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_EVENT_BY_SLUG, 1, params, &res);

	memset(out, 0, sizeof(*out));
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return STORE_NONE;
	}
	out->id = atol(PQgetvalue(res, 0, 0));
	out->definition_id =
	    PQgetisnull(res, 0, 1) ? 0 : atol(PQgetvalue(res, 0, 1));
	for (int k = 0; k < STORE_INSTRUMENT__MAX; k++) {
		out->has_opens[k] = !PQgetisnull(res, 0, 2 + 2 * k);
		out->has_closes[k] = !PQgetisnull(res, 0, 3 + 2 * k);
		out->opens[k] = strtod(PQgetvalue(res, 0, 2 + 2 * k), NULL);
		out->closes[k] = strtod(PQgetvalue(res, 0, 3 + 2 * k), NULL);
	}
	out->now = strtod(PQgetvalue(res, 0, 2 + 2 * STORE_INSTRUMENT__MAX),
	    NULL);
	PQclear(res);
	return STORE_OK;
}

enum store_rc store_definition_body(struct db *db, long definition_id,
				    char **body)
{
	char id[24];
	const char *params[1] = {id};
	PGresult *res;
	enum store_rc rc;

	*body = NULL;
	snprintf(id, sizeof(id), "%ld", definition_id);
	if ((rc = store_run(db, DB_DEFINITION_BODY, 1, params, &res)) !=
	    STORE_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = STORE_NONE;
	else if ((*body = strdup(PQgetvalue(res, 0, 0))) == NULL)
		rc = STORE_FAILED;
	PQclear(res);
	return rc;
}

enum store_rc store_events_listen(struct db *db)
{
	PGresult *res;
	enum store_rc rc = store_run(db, DB_LISTEN_EVENTS, 0, NULL, &res);

	PQclear(res);
	return rc;
}

void store_events_await(struct db *db)
{
	if (db->conn)
		db_plain_await(db->conn);
}

/* Runs a statement of (slug, text) that changes one row: OK or NONE. */
static enum store_rc change_one(struct db *db, enum db_stmt s, const char *slug,
				const char *value)
{
	const char *params[2] = {slug, value};
	PGresult *res;
	enum store_rc rc = store_run(db, s, 2, params, &res);

	if (rc == STORE_OK && store_changed(res) == 0)
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_window_set(struct db *db, const char *slug,
			       enum store_instrument in, bool open)
{
	return change_one(db, open ? DB_WINDOW_OPEN : DB_WINDOW_CLOSE, slug,
			  instrument_name[in]);
}

enum store_rc store_event_attendance(struct db *db, const char *slug,
				     long attendance)
{
	char n[24];

	snprintf(n, sizeof(n), "%ld", attendance);
	return change_one(db, DB_EVENT_ATTENDANCE, slug, n);
}
