/* store_programme.h: the programme view's own statement
 * (DB_STMTS_PROGRAMME), on the analytics connection; every other figure
 * of the view comes from each event's summary. */
#ifndef ENQUETE_STORE_PROGRAMME_H
#define ENQUETE_STORE_PROGRAMME_H

#include "store_summary.h"

struct db; /* db.h: the store's connection (opaque here) */

/* PROGRAMME_CHANGE: over the participants of event_id who answered at
 * least one of the knowledge items items_json (a JSON array of keys) in
 * both pre and post, each one's mean change post - pre: how many, their
 * sum and their sum of squares. */
struct store_change {
	long long n;
	double sum, sumsq;
};
enum store_read store_programme_change(struct db *db, long event_id,
    const char *items_json, struct store_change *out);

#endif
