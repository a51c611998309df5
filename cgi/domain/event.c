/* event.c: event lookup and the per-worker cache of compiled definitions. */
#include "event.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define CACHE_SIZE 32
/* Through a transaction pooler (ENQUETE_DB_POOLED=1) no connection can
 * LISTEN: an event row read less than this many seconds ago is served
 * as read, so that a change (a window opened or closed, a new version)
 * reaches the forms within that time and a form GET costs no query
 * (scripts/bench, section 7, measured both). */
#define POOLED_TTL 1.0

/* the store's instruments are the definition's kinds, in the same order */
_Static_assert((int)STORE_PRE == (int)QDEF_PRE &&
    (int)STORE_POST == (int)QDEF_POST &&
    (int)STORE_FOLLOWUP == (int)QDEF_FOLLOWUP &&
    (int)STORE_INSTRUMENT__MAX == (int)QDEF_KIND__MAX,
    "store and qdef instruments differ");

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
	double read_at; /* when it was read (epoch s; POOLED_TTL) */
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

void event_forget(void)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		seen[i].generation = 0;
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
	struct qdef_errors errs = {0, NULL};
	struct json_object *body = NULL;
	struct qdef *def = NULL;
	char *text = NULL;
	enum store_rc rc;
	unsigned slot;

	const struct qdef *hit = cached_definition(definition_id);

	if (hit)
		return hit;
	rc = store_definition_body(db, definition_id, &text);
	if (rc == STORE_DOWN) {
		*status = 503;
		goto out;
	}
	if (rc != STORE_OK) {
		log_msg(NULL, "definition %ld: %s", definition_id,
		    rc == STORE_NONE ? "missing" : store_error(db));
		*status = 500;
		goto out;
	}
	body = json_tokener_parse(text);
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
	free(text);
	return def;
}

int event_lookup(struct db *db, const char *slug, struct event_info *out)
{
	struct store_event row;
	enum store_rc rc;
	int status = 0, i;

	memset(out, 0, sizeof(*out));
	/* a change anywhere (or a new connection) forgets every event */
	if (db->listen && db_notified(db))
		for (i = 0; i < CACHE_SIZE; i++)
			seen[i].generation = 0;
	i = find_seen(slug);
	if (db->listen && i >= 0 && seen[i].generation != 0 &&
	    seen[i].generation == db_generation(db) && listening == db_generation(db)) {
		compute_open(i, now_seconds());
		*out = seen[i].info;
		out->def = event_definition(db, out->definition_id, &status);
		return out->def ? 0 : status;
	}
	if (!db->listen && db_pooled() && i >= 0 && seen[i].read_at > 0 &&
	    now_seconds() - seen[i].read_at < POOLED_TTL) {
		compute_open(i, now_seconds());
		*out = seen[i].info;
		out->def = event_definition(db, out->definition_id, &status);
		return out->def ? 0 : status;
	}
	if (db->listen && (db_ready(db) != 0 || listening != db_generation(db))) {
		/* LISTEN before reading, so that no change can slip between */
		if (store_events_listen(db) == STORE_OK)
			listening = db_generation(db);
	}
	rc = store_event_by_slug(db, slug, &row);
	if (rc == STORE_DOWN)
		return recall(slug, out);
	if (rc == STORE_NONE || (rc == STORE_OK && row.definition_id == 0))
		return 404;
	if (rc != STORE_OK) {
		log_msg(NULL, "event lookup: %s", store_error(db));
		return 500;
	}
	if (i < 0) {
		i = (int)(seen_next++ % CACHE_SIZE);
		snprintf(seen[i].slug, sizeof(seen[i].slug), "%s", slug);
	}
	seen[i].info.id = row.id;
	seen[i].info.definition_id = row.definition_id;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		seen[i].has_opens[k] = row.has_opens[k];
		seen[i].has_closes[k] = row.has_closes[k];
		seen[i].opens[k] = row.opens[k];
		seen[i].closes[k] = row.closes[k];
	}
	/* the database's clock decides on a fresh read */
	compute_open(i, row.now);
	seen[i].read_at = now_seconds();
	seen[i].generation = db->listen && listening == db_generation(db)
	    ? db_generation(db) : 0;
	*out = seen[i].info;
	out->def = event_definition(db, out->definition_id, &status);
	return out->def ? 0 : status;
}
