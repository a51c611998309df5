/* event.c: event lookup and the per-worker cache of compiled definitions. */
#include "event.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define CACHE_SIZE 32

static struct {
	long id;
	struct qdef *def;
} cache[CACHE_SIZE];
static unsigned cache_next;

/* The last lookup of each slug: served while the connection that LISTENs
 * for changes (see schema/005_notify.sql) has heard nothing, and kept as a
 * stale answer for when the database is down. */
static struct {
	char slug[65];
	struct event_info info;
	bool has_opens[QDEF_KIND__MAX], has_closes[QDEF_KIND__MAX];
	double opens[QDEF_KIND__MAX], closes[QDEF_KIND__MAX]; /* epoch s */
	unsigned long generation; /* of the connection that read it; 0 = old */
} seen[CACHE_SIZE];
static unsigned seen_next;
static unsigned long listening; /* the connection generation we LISTEN on */

static const struct qdef *cached_definition(long id)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		if (cache[i].def && cache[i].id == id)
			return cache[i].def;
	return NULL;
}

void event_cache_free(void)
{
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (cache[i].def)
			qdef_free(cache[i].def);
		cache[i].def = NULL;
		cache[i].id = 0;
	}
	memset(seen, 0, sizeof(seen));
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Open now: opened, and not closed yet. */
static void compute_open(int slot, double now)
{
	for (int k = 0; k < QDEF_KIND__MAX; k++)
		seen[slot].info.open[k] = seen[slot].has_opens[k] &&
		    seen[slot].opens[k] <= now &&
		    (!seen[slot].has_closes[k] || now < seen[slot].closes[k]);
}

static int find_seen(const char *slug)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		if (seen[i].slug[0] && strcmp(seen[i].slug, slug) == 0)
			return i;
	return -1;
}

/* Fills out from what this worker last saw (the database is down). */
static int recall(const char *slug, struct event_info *out)
{
	int i = find_seen(slug);

	if (i < 0)
		return 503;
	compute_open(i, now_seconds());
	*out = seen[i].info;
	out->def = cached_definition(out->definition_id);
	out->stale = true;
	return out->def ? 0 : 503;
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
	PGresult *res = NULL;
	int status = 0, i;

	memset(out, 0, sizeof(*out));
	/* a change anywhere (or a new connection) forgets every event */
	if (db->listen && db_notified(db))
		for (i = 0; i < CACHE_SIZE; i++)
			seen[i].generation = 0;
	i = find_seen(slug);
	if (db->listen && i >= 0 && seen[i].generation != 0 &&
	    seen[i].generation == db->generation && listening == db->generation) {
		compute_open(i, now_seconds());
		*out = seen[i].info;
		out->def = event_definition(db, out->definition_id, &status);
		return out->def ? 0 : status;
	}
	if (db->listen && (db_ready(db) != 0 || listening != db->generation)) {
		/* LISTEN before reading, so that no change can slip between */
		res = db_exec(db, DB_LISTEN_EVENTS, 0, NULL);
		if (res != NULL && db_ok(res))
			listening = db->generation;
		PQclear(res);
	}
	res = db_exec(db, DB_EVENT_BY_SLUG, 1, params);
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
	if (i < 0) {
		i = (int)(seen_next++ % CACHE_SIZE);
		snprintf(seen[i].slug, sizeof(seen[i].slug), "%s", slug);
	}
	seen[i].info.id = atol(PQgetvalue(res, 0, 0));
	seen[i].info.definition_id = atol(PQgetvalue(res, 0, 1));
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		seen[i].has_opens[k] = !PQgetisnull(res, 0, 2 + 2 * k);
		seen[i].has_closes[k] = !PQgetisnull(res, 0, 3 + 2 * k);
		seen[i].opens[k] = strtod(PQgetvalue(res, 0, 2 + 2 * k), NULL);
		seen[i].closes[k] = strtod(PQgetvalue(res, 0, 3 + 2 * k), NULL);
	}
	/* the database's clock decides on a fresh read */
	compute_open(i, strtod(PQgetvalue(res, 0, 6), NULL));
	seen[i].generation = db->listen && listening == db->generation
	    ? db->generation : 0;
	*out = seen[i].info;
	out->def = event_definition(db, out->definition_id, &status);
out:
	PQclear(res);
	return out->def ? 0 : status;
}
