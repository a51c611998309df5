/* event.c: event lookup and the per-worker cache of compiled definitions. */
#include "event.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define CACHE_SIZE 32

static struct {
	long id;
	struct qdef *def;
} cache[CACHE_SIZE];
static unsigned cache_next;

/* The last successful lookup of each slug, for when the database is down. */
static struct {
	char slug[65];
	struct event_info info;
} seen[CACHE_SIZE];
static unsigned seen_next;

static const struct qdef *cached_definition(long id)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		if (cache[i].def && cache[i].id == id)
			return cache[i].def;
	return NULL;
}

static void remember(const char *slug, const struct event_info *info)
{
	unsigned slot = seen_next;

	for (unsigned i = 0; i < CACHE_SIZE; i++)
		if (strcmp(seen[i].slug, slug) == 0) {
			slot = i;
			goto store;
		}
	seen_next = (seen_next + 1) % CACHE_SIZE;
store:
	snprintf(seen[slot].slug, sizeof(seen[slot].slug), "%s", slug);
	seen[slot].info = *info;
}

static int recall(const char *slug, struct event_info *out)
{
	for (unsigned i = 0; i < CACHE_SIZE; i++)
		if (seen[i].slug[0] && strcmp(seen[i].slug, slug) == 0) {
			*out = seen[i].info;
			out->def = cached_definition(out->definition_id);
			out->stale = true;
			return out->def ? 0 : 503;
		}
	return 503;
}

void event_cache_free(void)
{
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (cache[i].def)
			qdef_free(cache[i].def);
		cache[i].def = NULL;
		cache[i].id = 0;
	}
}

const struct qdef *event_definition(struct db *db, long definition_id,
    int *status)
{
	char idbuf[24];
	const char *params[1] = {idbuf};
	struct qdef_errors errs = {0, NULL};
	struct json_object *body = NULL;
	struct qdef *def = NULL;
	PGresult *res = NULL;
	unsigned slot;

	const struct qdef *hit = cached_definition(definition_id);

	if (hit)
		return hit;
	snprintf(idbuf, sizeof(idbuf), "%ld", definition_id);
	res = db_exec(db, DB_DEFINITION_BODY, 1, params);
	if (res == NULL) {
		*status = 503;
		goto out;
	}
	if (!db_ok(res) || PQntuples(res) != 1) {
		log_msg(NULL, "definition %ld: %s", definition_id,
		    db_ok(res) ? "missing" : PQresultErrorMessage(res));
		*status = 500;
		goto out;
	}
	body = json_tokener_parse(PQgetvalue(res, 0, 0));
	if (body == NULL || qdef_validate(body, &errs) != 0 ||
	    (def = qdef_build(body)) == NULL) {
		log_msg(NULL, "definition %ld cannot be used (%zu errors)",
		    definition_id, errs.n);
		*status = 500;
		goto out;
	}
	slot = cache_next++ % CACHE_SIZE;
	if (cache[slot].def)
		qdef_free(cache[slot].def);
	cache[slot].def = def;
	cache[slot].id = definition_id;
out:
	qdef_errors_free(&errs);
	json_object_put(body); /* the model holds its own reference */
	PQclear(res);
	return def;
}

int event_lookup(struct db *db, const char *slug, struct event_info *out)
{
	const char *params[1] = {slug};
	PGresult *res = db_exec(db, DB_EVENT_BY_SLUG, 1, params);
	int status = 0;

	memset(out, 0, sizeof(*out));
	if (res == NULL)
		return recall(slug, out);
	if (!db_ok(res)) {
		log_msg(NULL, "event lookup: %s", PQresultErrorMessage(res));
		status = 500;
		goto out;
	}
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1)) {
		status = 404;
		goto out;
	}
	out->id = atol(PQgetvalue(res, 0, 0));
	out->definition_id = atol(PQgetvalue(res, 0, 1));
	out->open[QDEF_PRE] = PQgetvalue(res, 0, 2)[0] == 't';
	out->open[QDEF_POST] = PQgetvalue(res, 0, 3)[0] == 't';
	out->def = event_definition(db, out->definition_id, &status);
	if (out->def)
		remember(slug, out);
out:
	PQclear(res);
	return out->def ? 0 : status;
}
