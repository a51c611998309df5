/* store_dash.c: the dashboard's statements as typed C functions (rows
 * copied out of libpq's results, so that pages never see them). */
#include "store_dash.h"

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

/* Bytes of columns 0..ncols-1 of every row, NULs included. */
static size_t text_size(const PGresult *res, int ncols)
{
	size_t total = 1;

	for (int r = 0; r < PQntuples(res); r++)
		for (int c = 0; c < ncols; c++)
			total += (size_t)PQgetlength(res, r, c) + 1;
	return total;
}

static const char *copy_cell(const PGresult *res, int r, int c, char **pos)
{
	char *s = *pos;
	size_t len = (size_t)PQgetlength(res, r, c);

	memcpy(s, PQgetvalue(res, r, c), len);
	s[len] = '\0';
	*pos += len + 1;
	return s;
}

static long long cell_ll(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? 0 :
	    strtoll(PQgetvalue(res, r, c), NULL, 10);
}

enum store_read store_dash_preissued(struct db *db, long event_id,
    struct store_dash_preissued *out)
{
	char id[24];
	const char *params[1] = {id};
	PGresult *res;
	enum store_read rc;

	memset(out, 0, sizeof(*out));
	snprintf(id, sizeof(id), "%ld", event_id);
	res = db_exec(db, DB_DASH_PREISSUED, 1, params);
	if ((rc = read_status(res, DB_DASH_PREISSUED, 4)) == STORE_READ_OK) {
		if (PQntuples(res) != 1)
			rc = STORE_READ_FAILED;
		else {
			out->issued = cell_ll(res, 0, 0);
			out->used_pre = cell_ll(res, 0, 1);
			out->used_post = cell_ll(res, 0, 2);
			out->attendance = cell_ll(res, 0, 3);
		}
	}
	PQclear(res);
	return rc;
}

enum store_read store_dash_contacts(struct db *db, long event_id,
    const char *interest_key, long limit, struct store_dash_contacts *out)
{
	char id[24], lim[24], *pos;
	const char *params[3] = {id, interest_key, lim};
	PGresult *res;
	enum store_read rc;

	memset(out, 0, sizeof(*out));
	snprintf(id, sizeof(id), "%ld", event_id);
	snprintf(lim, sizeof(lim), "%ld", limit);
	res = db_exec(db, DB_DASH_CONTACTS, 3, params);
	if ((rc = read_status(res, DB_DASH_CONTACTS, 4)) != STORE_READ_OK)
		goto out;
	out->n = (size_t)PQntuples(res);
	out->v = calloc(out->n + 1, sizeof(*out->v));
	out->strings = malloc(text_size(res, 4));
	if (out->v == NULL || out->strings == NULL) {
		store_dash_contacts_free(out);
		rc = STORE_READ_FAILED;
		goto out;
	}
	pos = out->strings;
	for (size_t i = 0; i < out->n; i++) {
		int r = (int)i;
		out->v[i].item = copy_cell(res, r, 0, &pos);
		out->v[i].value = copy_cell(res, r, 1, &pos);
		out->v[i].date = copy_cell(res, r, 2, &pos);
		out->v[i].interest = copy_cell(res, r, 3, &pos);
		if (PQgetisnull(res, r, 3))
			out->v[i].interest = NULL;
	}
out:
	PQclear(res);
	return rc;
}

void store_dash_contacts_free(struct store_dash_contacts *c)
{
	free(c->v);
	free(c->strings);
	memset(c, 0, sizeof(*c));
}

/* A JSON array of strings or object of filters, for a $n::jsonb
 * parameter. Caller releases; NULL when out of memory. */
static struct json_object *keys_json(const char *const *keys, size_t n)
{
	struct json_object *a = json_object_new_array(), *s;

	for (size_t i = 0; a != NULL && i < n; i++)
		if ((s = json_object_new_string(keys[i])) == NULL ||
		    json_object_array_add(a, s) != 0) {
			json_object_put(s);
			json_object_put(a);
			return NULL;
		}
	return a;
}

static struct json_object *filters_json(const struct store_filter *f,
    size_t n)
{
	struct json_object *o = json_object_new_object(), *v;

	for (size_t i = 0; o != NULL && i < n; i++)
		if ((v = json_object_new_string(f[i].value)) == NULL ||
		    json_object_object_add(o, f[i].key, v) != 0) {
			json_object_put(v);
			json_object_put(o);
			return NULL;
		}
	return o;
}

static enum store_read comments_from(PGresult *res, enum db_stmt s,
    struct store_dash_comments *out)
{
	enum store_read rc = read_status(res, s, 4);
	char *pos;

	if (rc != STORE_READ_OK)
		goto out;
	out->n = (size_t)PQntuples(res);
	out->v = calloc(out->n + 1, sizeof(*out->v));
	out->strings = malloc(text_size(res, 3));
	if (out->v == NULL || out->strings == NULL) {
		store_dash_comments_free(out);
		rc = STORE_READ_FAILED;
		goto out;
	}
	pos = out->strings;
	for (size_t i = 0; i < out->n; i++) {
		int r = (int)i;
		out->v[i].instrument = copy_cell(res, r, 0, &pos);
		out->v[i].item = copy_cell(res, r, 1, &pos);
		out->v[i].text = copy_cell(res, r, 2, &pos);
		out->v[i].total = cell_ll(res, r, 3);
	}
out:
	PQclear(res);
	return rc;
}

enum store_read store_dash_comments(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, struct store_dash_comments *out)
{
	struct json_object *kj = keys_json(keys, nkeys);
	const char *params[2];
	char id[24];
	enum store_read rc;

	memset(out, 0, sizeof(*out));
	if (kj == NULL)
		return STORE_READ_FAILED;
	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(kj, JSON_C_TO_STRING_PLAIN);
	/* through the index and the counters: flat with the number of
	 * participants */
	rc = comments_from(db_exec(db, DB_DASH_COMMENTS, 2, params),
	    DB_DASH_COMMENTS, out);
	json_object_put(kj);
	return rc;
}

enum store_read store_dash_comments_filtered(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, const struct store_filter *f,
    size_t nf, struct store_dash_comments *out)
{
	struct json_object *kj = keys_json(keys, nkeys);
	struct json_object *fj = filters_json(f, nf);
	const char *params[3];
	char id[24];
	enum store_read rc = STORE_READ_FAILED;

	memset(out, 0, sizeof(*out));
	if (kj == NULL || fj == NULL)
		goto out;
	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(kj, JSON_C_TO_STRING_PLAIN);
	params[2] = json_object_to_json_string_ext(fj, JSON_C_TO_STRING_PLAIN);
	rc = comments_from(db_exec_limited(db, DB_DASH_COMMENTS_FILTERED, 3,
			       params, db_filter_timeout_ms()),
	    DB_DASH_COMMENTS_FILTERED, out);
out:
	json_object_put(kj);
	json_object_put(fj);
	return rc;
}

void store_dash_comments_free(struct store_dash_comments *c)
{
	free(c->v);
	free(c->strings);
	memset(c, 0, sizeof(*c));
}

enum store_read store_replica_lag(struct db *db, struct store_replica *out)
{
	PGresult *res = db_exec(db, DB_REPLICA_LAG, 0, NULL);
	enum store_read rc = read_status(res, DB_REPLICA_LAG, 2);

	memset(out, 0, sizeof(*out));
	if (rc == STORE_READ_OK && PQntuples(res) != 1)
		rc = STORE_READ_FAILED;
	if (rc == STORE_READ_OK) {
		out->standby = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		out->lag_known = !PQgetisnull(res, 0, 0);
		if (out->lag_known)
			out->lag = strtod(PQgetvalue(res, 0, 0), NULL);
	}
	PQclear(res);
	return rc;
}
