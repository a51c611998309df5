/* store_dash.h: the dashboard's own statements (DB_STMTS_DASHBOARD and
 * REPLICA_LAG), one typed function each, on the analytics connection; the
 * figures themselves come from the summary (store_summary.h). */
#ifndef ENQUETE_STORE_DASH_H
#define ENQUETE_STORE_DASH_H

#include <stddef.h>

#include "store_summary.h"

struct db; /* db.h: the store's connection (opaque here) */

/* DASH_PREISSUED: the pre-issued badge codes and the attendance. */
struct store_dash_preissued {
	long long issued, used_pre, used_post;
	long long attendance; /* 0 when the organiser did not set it */
};
enum store_read store_dash_preissued(struct db *db, long event_id,
    struct store_dash_preissued *out);

/* DASH_CONTACTS: consented contacts, oldest first, at most limit; beside
 * each the answer to interest_key ("" none) of the same response. */
struct store_dash_contact {
	const char *item, *value, *date; /* date "YYYY-MM-DD HH:MI" UTC */
	const char *interest;            /* NULL when not answered */
};
struct store_dash_contacts {
	struct store_dash_contact *v;
	size_t n;
	char *strings;
};
enum store_read store_dash_contacts(struct db *db, long event_id,
    const char *interest_key, long limit, struct store_dash_contacts *out);
void store_dash_contacts_free(struct store_dash_contacts *c);

/* DASH_COMMENTS / DASH_COMMENTS_FILTERED: the latest free-text answers of
 * the questions keys[0..nkeys) (in that order), each with the question's
 * total; filtered: of the participants matching every filter, under
 * db_filter_timeout_ms(). */
struct store_dash_comment {
	const char *instrument, *item, *text;
	long long total;
};
struct store_dash_comments {
	struct store_dash_comment *v;
	size_t n;
	char *strings;
};
enum store_read store_dash_comments(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, struct store_dash_comments *out);
enum store_read store_dash_comments_filtered(struct db *db, long event_id,
    const char *const *keys, size_t nkeys, const struct store_filter *f,
    size_t nf, struct store_dash_comments *out);
void store_dash_comments_free(struct store_dash_comments *c);

/* REPLICA_LAG: on a hot standby, how far behind the primary it is. */
struct store_replica {
	int standby;   /* 0 on a primary */
	int lag_known; /* the standby can tell already */
	double lag;    /* seconds */
};
enum store_read store_replica_lag(struct db *db, struct store_replica *out);

#endif
