/* store_programme.c: the programme view's statement as a typed function
 * (store_programme.h). */
#include "store_programme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

enum store_read store_programme_change(struct db *db, long event_id,
    const char *items_json, struct store_change *out)
{
	char id[24];
	const char *params[2] = {id, items_json};
	PGresult *res;
	enum store_read rc = STORE_READ_OK;

	memset(out, 0, sizeof(*out));
	snprintf(id, sizeof(id), "%ld", event_id);
	res = db_exec(db, DB_PROGRAMME_CHANGE, 2, params);
	if (res == NULL)
		return STORE_READ_DOWN;
	if (!db_ok(res) || PQnfields(res) != 3 || PQntuples(res) != 1) {
		log_msg(NULL, "%s: %s", db_stmt_name(DB_PROGRAMME_CHANGE),
		    PQresultErrorMessage(res));
		rc = STORE_READ_FAILED;
	} else {
		out->n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		out->sum = strtod(PQgetvalue(res, 0, 1), NULL);
		out->sumsq = strtod(PQgetvalue(res, 0, 2), NULL);
	}
	PQclear(res);
	return rc;
}
