/* store_report.c: the report's statements as typed C functions (rows
 * copied out of libpq's results, so that pages never see them). */
#include "store_report.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* The outcome of res (NULL: unreachable) for statement s; logs SQL
 * errors. */
static enum store_read read_status(const PGresult *res, enum db_stmt s,
    int nfields)
{
	if (res == NULL)
		return STORE_READ_DOWN;
	if (db_timed_out(res))
		return STORE_READ_TIMEOUT;
	if (!db_ok(res)) {
		log_msg(NULL, "%s: %s", db_stmt_name(s),
		    PQresultErrorMessage(res));
		return STORE_READ_FAILED;
	}
	if (PQnfields(res) != nfields) {
		log_msg(NULL, "%s: %d columns, not %d", db_stmt_name(s),
		    PQnfields(res), nfields);
		return STORE_READ_FAILED;
	}
	return STORE_READ_OK;
}

enum store_read store_report_as_of(struct db *db, long event_id, char *out,
    size_t n)
{
	char id[24];
	const char *params[1] = {id};
	PGresult *res;
	enum store_read rc;

	out[0] = '\0';
	snprintf(id, sizeof(id), "%ld", event_id);
	res = db_exec(db, DB_REPORT_AS_OF, 1, params);
	if ((rc = read_status(res, DB_REPORT_AS_OF, 1)) == STORE_READ_OK) {
		if (PQntuples(res) != 1)
			rc = STORE_READ_FAILED;
		else if (!PQgetisnull(res, 0, 0))
			snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return rc;
}

enum store_read store_report_comments(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, long per_key,
    struct store_report_comments *out)
{
	struct json_object *kj = json_object_new_array();
	const char *params[3];
	char id[24], lim[24], *pos;
	PGresult *res = NULL;
	size_t total = 1;
	enum store_read rc = STORE_READ_FAILED;

	memset(out, 0, sizeof(*out));
	if (kj == NULL)
		return STORE_READ_FAILED;
	for (size_t i = 0; i < nkeys; i++) {
		struct json_object *s = json_object_new_string(keys[i]);
		if (s == NULL || json_object_array_add(kj, s) != 0) {
			json_object_put(s);
			goto out;
		}
	}
	snprintf(id, sizeof(id), "%ld", event_id);
	snprintf(lim, sizeof(lim), "%ld", per_key);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(kj, JSON_C_TO_STRING_PLAIN);
	params[2] = lim;
	res = db_exec(db, DB_REPORT_COMMENTS, 3, params);
	if ((rc = read_status(res, DB_REPORT_COMMENTS, 5)) != STORE_READ_OK)
		goto out;
	out->n = (size_t)PQntuples(res);
	for (int r = 0; r < PQntuples(res); r++)
		for (int c = 0; c < 3; c++)
			total += (size_t)PQgetlength(res, r, c) + 1;
	out->v = calloc(out->n + 1, sizeof(*out->v));
	out->strings = malloc(total);
	if (out->v == NULL || out->strings == NULL) {
		store_report_comments_free(out);
		rc = STORE_READ_FAILED;
		goto out;
	}
	pos = out->strings;
	for (size_t i = 0; i < out->n; i++) {
		const char **dst[3] = {&out->v[i].item, &out->v[i].text,
		    &out->v[i].lang};
		for (int c = 0; c < 3; c++) {
			size_t len = (size_t)PQgetlength(res, (int)i, c);
			memcpy(pos, PQgetvalue(res, (int)i, c), len);
			pos[len] = '\0';
			*dst[c] = pos;
			pos += len + 1;
		}
		out->v[i].count = strtoll(PQgetvalue(res, (int)i, 3), NULL, 10);
		out->v[i].total = strtoll(PQgetvalue(res, (int)i, 4), NULL, 10);
	}
out:
	PQclear(res);
	json_object_put(kj);
	return rc;
}

void store_report_comments_free(struct store_report_comments *c)
{
	free(c->v);
	free(c->strings);
	memset(c, 0, sizeof(*c));
}
