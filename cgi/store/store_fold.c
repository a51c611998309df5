/* store_fold.c: see store_fold.h. */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "store_fold.h"

int store_fold_batch(struct db *db, long limit, struct fold_batch *out)
{
	char lim[24];
	const char *params[1] = {lim};
	PGresult *res;
	int rc;

	out->event_id = 0;
	out->participants = 0;
	out->remaining = 0;
	if (limit < 1 || limit > 100000)
		return -1;
	snprintf(lim, sizeof(lim), "%ld", limit);
	res = db_exec(db, DB_FOLD_BATCH, 1, params);
	if (res == NULL) {
		fprintf(stderr, "fold: cannot reach the database\n");
		return -1;
	}
	if (!db_ok(res) || PQnfields(res) != 3) {
		fprintf(stderr, "fold: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	rc = PQntuples(res) > 0;
	if (rc) {
		out->event_id = atol(PQgetvalue(res, 0, 0));
		out->participants = atol(PQgetvalue(res, 0, 1));
		out->remaining = atoll(PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rc;
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
