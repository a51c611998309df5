/* store_admin.c: the admin pages' overview of events (store.h). */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"

enum store_rc store_admin_events(struct db *db, const char *lang,
				 long long user_id,
				 int (*row)(void *ctx,
					    const struct store_admin_event *e),
				 void *ctx)
{
	char uid[24];
	const char *params[2] = {lang, uid};
	PGresult *res;
	enum store_rc rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = store_run(db, DB_ADMIN_EVENTS, 2, params, &res);

	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_admin_event e = {
		    .slug = PQgetvalue(res, i, 0),
		    .title = PQgetvalue(res, i, 1),
		    .pre = atol(PQgetvalue(res, i, 2)),
		    .post = atol(PQgetvalue(res, i, 3)),
		    .paired = atol(PQgetvalue(res, i, 4)),
		    .issued = atol(PQgetvalue(res, i, 5)),
		    .pre_open = PQgetvalue(res, i, 6)[0] == 't',
		    .post_open = PQgetvalue(res, i, 7)[0] == 't',
		    .answered = atol(PQgetvalue(res, i, 8)),
		    .attendance = PQgetisnull(res, i, 9)
				      ? 0
				      : atol(PQgetvalue(res, i, 9)),
		};
		if (row(ctx, &e) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}
