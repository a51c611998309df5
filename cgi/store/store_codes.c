/* store_codes.c: pre-issued participant codes and the erasure of a
 * participant (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"

enum store_rc store_codes_add(struct db *db, long event_id, char *const *codes,
			      int n, int (*row)(void *ctx, const char *code),
			      void *ctx)
{
	char evid[24];
	const char *params[2] = {evid, NULL};
	struct buf arr = BUF_INIT;
	PGresult *res = NULL;
	enum store_rc rc = STORE_FAILED;

	snprintf(evid, sizeof(evid), "%ld", event_id);
	/* codes are [0-9A-Z] (token.h): safe in an array literal */
	buf_putc(&arr, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&arr, "%s%s", i ? "," : "", codes[i]);
	buf_putc(&arr, '}');
	if (arr.oom)
		goto out;
	params[1] = arr.data;
	if ((rc = store_run(db, DB_CODES_ADD, 2, params, &res)) != STORE_OK)
		goto out;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++)
		if (row(ctx, PQgetvalue(res, i, 0)) != 0)
			rc = STORE_STOPPED;
out:
	PQclear(res);
	buf_free(&arr);
	return rc;
}

enum store_rc store_codes_list(struct db *db, long event_id,
			       int (*row)(void *ctx,
					  const struct store_issued_code *c),
			       void *ctx)
{
	char evid[24];
	const char *params[1] = {evid};
	PGresult *res;
	enum store_rc rc;

	snprintf(evid, sizeof(evid), "%ld", event_id);
	if ((rc = store_run(db, DB_CODES_LIST, 1, params, &res)) != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_issued_code c = {PQgetvalue(res, i, 0),
					      PQgetvalue(res, i, 1)[0] == 't'};
		if (row(ctx, &c) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}

enum store_rc store_participant_erase(struct db *db, const char *slug,
				      const char *code)
{
	const char *params[2] = {slug, code};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_PARTICIPANT_ERASE, 2, params, &res);

	/* answers, history, contacts, tokens and statistics follow by
	 * cascade and triggers, in the statement's transaction */
	if (rc == STORE_OK && store_changed(res) != 1)
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}
