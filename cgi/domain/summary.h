/* summary.h: the summary JSON of an event (DESIGN.md "Summary JSON"), built
 * from the incremental aggregates (schema/004_stats.sql) or, with filters,
 * from the raw rows of the subgroup. Shared by the API, the dashboard and
 * the tests. */
#ifndef ENQUETE_SUMMARY_H
#define ENQUETE_SUMMARY_H

#include "db.h"
#include "form.h"
#include "qdef.h"

struct json_object;

/* Smallest subgroup shown beyond its counts (privacy). */
#define SUMMARY_MIN_GROUP 5

/*
 * Builds the summary of event event_id (slug as shown in "event") whose
 * current definition is def. filters holds ?<profile item>=<value> pairs
 * (AND-ed; NULL or empty: everyone). Runs on db (the analytics
 * connection).
 *
 * Returns 0 with *out the summary (caller releases with json_object_put()).
 * Returns -1 with *status: 400 when a filter key is not a profile item or
 * is repeated (*out is then {"error": "..."}, caller releases it); 503
 * with *out {"error": "...", "timeout": true} (caller releases it) when
 * the filtered figures took longer than db_filter_timeout_ms() (combined
 * filters over a large event), 503 with *out NULL when the database cannot
 * be reached; 500 otherwise (*out NULL).
 */
int summary_build(struct db *db, const struct qdef *def, long event_id,
    const char *slug, const struct kvlist *filters, struct json_object **out,
    int *status);

#endif
