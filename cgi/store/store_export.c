/* store_export.c: the rows of the exports and of the contacts file, on
 * the analytics connection (store.h). */
#include <stdio.h>

#include "db.h"

/* Runs an export statement of one event id, checking its column count. */
static enum store_rc run_event(struct db *db, enum db_stmt s, long event_id,
			       int nfields, PGresult **res)
{
	char id[24];
	const char *params[1] = {id};
	enum store_rc rc;

	snprintf(id, sizeof(id), "%ld", event_id);
	if ((rc = store_run(db, s, 1, params, res)) != STORE_OK)
		return rc;
	if (PQnfields(*res) != nfields) {
		snprintf(db->err, sizeof(db->err), "%s: %d columns",
			 db_stmt_name(s), PQnfields(*res));
		PQclear(*res);
		*res = NULL;
		return STORE_FAILED;
	}
	return STORE_OK;
}

enum store_rc store_export_answers(struct db *db, long event_id,
				   int (*row)(void *ctx,
					      const struct store_answer_row *a),
				   void *ctx)
{
	PGresult *res;
	enum store_rc rc = run_event(db, DB_EXPORT_ANSWERS, event_id, 9, &res);

	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_answer_row a = {
		    .participant_id = PQgetvalue(res, i, 0),
		    .code = PQgetvalue(res, i, 1),
		    .instrument = PQgetvalue(res, i, 2),
		    .submitted_at = PQgetvalue(res, i, 3),
		    .item = PQgetvalue(res, i, 4),
		    .value = PQgetvalue(res, i, 5),
		    .rank =
			PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6),
		    .lang = PQgetvalue(res, i, 7),
		    .source = PQgetvalue(res, i, 8),
		};
		if (row(ctx, &a) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}

enum store_rc store_export_responses(
    struct db *db, long event_id,
    int (*row)(void *ctx, const struct store_response_row *r), void *ctx)
{
	PGresult *res;
	enum store_rc rc =
	    run_event(db, DB_EXPORT_RESPONSES, event_id, 6, &res);

	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_response_row r = {
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 4), PQgetvalue(res, i, 5)};
		if (row(ctx, &r) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}

enum store_rc store_contacts(
    struct db *db, long event_id, const char *interest_item, long limit,
    int (*row)(void *ctx, const struct store_contact_row *c), void *ctx)
{
	char evid[24], lim[24];
	const char *params[3] = {evid, interest_item, limit < 0 ? NULL : lim};
	PGresult *res;
	enum store_rc rc;

	snprintf(evid, sizeof(evid), "%ld", event_id);
	snprintf(lim, sizeof(lim), "%ld", limit);
	if ((rc = store_run(db, DB_DASH_CONTACTS, 3, params, &res)) != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_contact_row c = {
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3)};
		if (row(ctx, &c) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}
