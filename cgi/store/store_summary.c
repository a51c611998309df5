/* store_summary.c: the summary's statements as typed C functions; the rows
 * are copied out of the PGresult so that nothing above the store sees
 * libpq. */
#include "store_summary.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* {"k": "v", ...} of the filters, for a $n::jsonb parameter. Caller
 * releases with json_object_put(); NULL when out of memory. */
static struct json_object *filters_json(const struct store_filter *f,
    size_t n)
{
	struct json_object *o = json_object_new_object(), *v;

	for (size_t i = 0; o != NULL && i < n; i++) {
		if ((v = json_object_new_string(f[i].value)) == NULL ||
		    json_object_object_add(o, f[i].key, v) != 0) {
			json_object_put(v);
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* The text bytes of columns cols[0..ncols) over every row, NULs
 * included. */
static size_t text_size(const PGresult *res, const int *cols, int ncols)
{
	size_t total = 1;

	for (int r = 0; r < PQntuples(res); r++)
		for (int c = 0; c < ncols; c++)
			total += (size_t)PQgetlength(res, r, cols[c]) + 1;
	return total;
}

/* Copies cell (r, c) to *pos and returns it; *pos moves past its NUL. */
static const char *copy_cell(const PGresult *res, int r, int c, char **pos)
{
	char *s = *pos;
	size_t len = (size_t)PQgetlength(res, r, c);

	memcpy(s, PQgetvalue(res, r, c), len);
	s[len] = '\0';
	*pos += len + 1;
	return s;
}

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

static enum store_read aggs_from(PGresult *res, enum db_stmt s,
    struct store_aggs *out)
{
	static const int text_cols[4] = {0, 1, 2, 3};
	enum store_read rc = read_status(res, s, 8);
	char *pos;

	memset(out, 0, sizeof(*out));
	if (rc != STORE_READ_OK)
		goto out;
	rc = STORE_READ_FAILED;
	out->n = (size_t)PQntuples(res);
	out->v = calloc(out->n + 1, sizeof(*out->v));
	out->strings = malloc(text_size(res, text_cols, 4));
	if (out->v == NULL || out->strings == NULL) {
		store_aggs_free(out);
		goto out;
	}
	pos = out->strings;
	for (size_t i = 0; i < out->n; i++) {
		int r = (int)i;
		struct store_agg *g = &out->v[i];

		g->kind = copy_cell(res, r, 0, &pos);
		g->instrument = copy_cell(res, r, 1, &pos);
		g->item = copy_cell(res, r, 2, &pos);
		g->value = copy_cell(res, r, 3, &pos);
		g->rank = atoi(PQgetvalue(res, r, 4));
		g->n = strtoll(PQgetvalue(res, r, 5), NULL, 10);
		g->s1 = strtod(PQgetvalue(res, r, 6), NULL);
		g->s2 = strtod(PQgetvalue(res, r, 7), NULL);
	}
	rc = STORE_READ_OK;
out:
	PQclear(res);
	return rc;
}

enum store_read store_summary_stats(struct db *db, long event_id,
    struct store_aggs *out)
{
	char id[24];
	const char *params[1] = {id};

	snprintf(id, sizeof(id), "%ld", event_id);
	return aggs_from(db_exec(db, DB_SUMMARY_STATS, 1, params),
	    DB_SUMMARY_STATS, out);
}

enum store_read store_summary_stats_filtered(struct db *db, long event_id,
    const struct store_filter *f, size_t n, struct store_aggs *out)
{
	struct json_object *fj = filters_json(f, n);
	const char *params[2];
	char id[24];
	enum store_read rc;

	memset(out, 0, sizeof(*out));
	if (fj == NULL)
		return STORE_READ_FAILED;
	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(fj, JSON_C_TO_STRING_PLAIN);
	rc = aggs_from(db_exec_limited(db, DB_SUMMARY_STATS_FILTERED, 2,
			   params, db_filter_timeout_ms()),
	    DB_SUMMARY_STATS_FILTERED, out);
	json_object_put(fj);
	return rc;
}

void store_aggs_free(struct store_aggs *a)
{
	free(a->v);
	free(a->strings);
	memset(a, 0, sizeof(*a));
}

enum store_read store_group_sizes(struct db *db, long event_id,
    const struct store_filter *f, size_t n, struct store_group_sizes *out)
{
	static const int text_cols[2] = {0, 1};
	struct json_object *fj = filters_json(f, n);
	const char *params[2];
	char id[24], *pos;
	PGresult *res = NULL;
	enum store_read rc = STORE_READ_FAILED;

	memset(out, 0, sizeof(*out));
	if (fj == NULL)
		return STORE_READ_FAILED;
	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(fj, JSON_C_TO_STRING_PLAIN);
	res = db_exec_limited(db, DB_GROUP_SIZES, 2, params,
	    db_filter_timeout_ms());
	if ((rc = read_status(res, DB_GROUP_SIZES, 3)) != STORE_READ_OK)
		goto out;
	rc = STORE_READ_FAILED;
	out->n = (size_t)PQntuples(res);
	out->v = calloc(out->n + 1, sizeof(*out->v));
	out->strings = malloc(text_size(res, text_cols, 2));
	if (out->v == NULL || out->strings == NULL) {
		store_group_sizes_free(out);
		goto out;
	}
	pos = out->strings;
	for (size_t i = 0; i < out->n; i++) {
		int r = (int)i;

		out->v[i].fkey = copy_cell(res, r, 0, &pos);
		out->v[i].has_value = !PQgetisnull(res, r, 1);
		out->v[i].fvalue = copy_cell(res, r, 1, &pos);
		out->v[i].n = strtoll(PQgetvalue(res, r, 2), NULL, 10);
	}
	rc = STORE_READ_OK;
out:
	PQclear(res);
	json_object_put(fj);
	return rc;
}

void store_group_sizes_free(struct store_group_sizes *g)
{
	free(g->v);
	free(g->strings);
	memset(g, 0, sizeof(*g));
}
