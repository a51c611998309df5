/* event.h: an event by slug, with the compiled definition of its current
 * version (cached per worker: each version is parsed once) and whether
 * each instrument accepts answers now. */
#ifndef ENQUETE_EVENT_H
#define ENQUETE_EVENT_H

#include <stdbool.h>

#include "qdef.h"
#include "store.h"

struct event_info {
	long id;
	long definition_id;
	const struct qdef *def;  /* borrowed from the cache; valid for the
				    request (the cache keeps 32 versions) */
	bool open[QDEF_KIND__MAX];
	bool stale;  /* the database is unreachable: this is what the worker
			last saw (enough to give a form back, never to store) */
};

/* Fills out for the event called slug. Returns 0, 404 when there is no
 * such event (or it has no definition), 503 when the database is down,
 * 500 when a stored definition cannot be used. */
int event_lookup(struct db *db, const char *slug, struct event_info *out);
/* The compiled definition with that id (cached). NULL + *status as above. */
const struct qdef *event_definition(struct db *db, long definition_id,
    int *status);
void event_cache_free(void);
/* Forgets what this worker saw of every event (not the compiled
 * definitions): after a change it made and whose notification it waited
 * for (store_events_await swallows it), the next lookup reads again. */
void event_forget(void);

#endif
