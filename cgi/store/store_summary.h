/* store_summary.h: the summary's statements (DB_STMTS_ANALYSIS), one typed
 * function each: the aggregate tuples of an event, whole or filtered, and
 * the group sizes of the disclosure control. Also the small result enum
 * shared by the analytics reads (store_dash.h). */
#ifndef ENQUETE_STORE_SUMMARY_H
#define ENQUETE_STORE_SUMMARY_H

#include <stddef.h>

struct db; /* db.h: the store's connection (opaque here) */


/* How an analytics read went. */
enum store_read {
	STORE_READ_OK = 0,
	STORE_READ_DOWN,    /* the database cannot be reached */
	STORE_READ_TIMEOUT, /* cut by db_filter_timeout_ms() (filtered reads) */
	STORE_READ_FAILED,  /* SQL error (logged) or out of memory */
};

/* A filter as SQL wants it: {"key": "value", ...} in this order. */
struct store_filter {
	const char *key, *value; /* borrowed */
};

/* One aggregate tuple of schema/004_stats.sql: (kind, instrument, item,
 * value, rank) -> (n, s1, s2). */
struct store_agg {
	const char *kind, *instrument, *item, *value; /* owned by the set */
	int rank;
	long long n;
	double s1, s2;
};

/* A set of tuples; free with store_aggs_free(). */
struct store_aggs {
	struct store_agg *v;
	size_t n;
	char *strings; /* the strings of v, one allocation */
};

/* SUMMARY_STATS: the whole event's tuples from the incremental tables. */
enum store_read store_summary_stats(struct db *db, long event_id,
    struct store_aggs *out);
/* SUMMARY_STATS_FILTERED: the tuples of the participants matching every
 * filter (n >= 1), under db_filter_timeout_ms(). */
enum store_read store_summary_stats_filtered(struct db *db, long event_id,
    const struct store_filter *f, size_t n, struct store_aggs *out);
/* Frees what a store_summary_stats*() call filled; a zeroed set is fine. */
void store_aggs_free(struct store_aggs *a);

/* One row of enquete_group_sizes: the size of the group of filter fkey =
 * fvalue within the others (has_value 0: the group without that filter). */
struct store_group_size {
	const char *fkey, *fvalue; /* owned by the set; fvalue "" if !has_value */
	int has_value;
	long long n;
};

struct store_group_sizes {
	struct store_group_size *v;
	size_t n;
	char *strings;
};

/* GROUP_SIZES, under db_filter_timeout_ms(). Free with
 * store_group_sizes_free(). */
enum store_read store_group_sizes(struct db *db, long event_id,
    const struct store_filter *f, size_t n, struct store_group_sizes *out);
void store_group_sizes_free(struct store_group_sizes *g);

#endif
