/* store_report.h: the report's own statements (DB_STMTS_REPORT), one
 * typed function each, on the analytics connection; the figures come from
 * the summary (store_summary.h). */
#ifndef ENQUETE_STORE_REPORT_H
#define ENQUETE_STORE_REPORT_H

#include <stddef.h>

#include "store_summary.h"

struct db; /* db.h: the store's connection (opaque here) */

/* REPORT_AS_OF: the time of the event's latest response, "YYYY-MM-DD
 * HH:MM" UTC, into out (size n); "" when there is none. */
enum store_read store_report_as_of(struct db *db, long event_id, char *out,
    size_t n);

/* REPORT_COMMENTS: the distinct comments (text and language) of the
 * questions keys[0..nkeys), in that order, the most frequent first, at
 * most per_key each, with the count of each and the question's total. */
struct store_report_comment {
	const char *item, *text, *lang;
	long long count, total;
};
struct store_report_comments {
	struct store_report_comment *v;
	size_t n;
	char *strings;
};
enum store_read store_report_comments(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, long per_key,
    struct store_report_comments *out);
/* Frees what store_report_comments() filled; an emptied c is fine. */
void store_report_comments_free(struct store_report_comments *c);

#endif
