/* store_fold.h: the statistics folder's statements (schema/016,
 * schema/functions/fold.sql), for cgi/domain/fold.c: one batch in one
 * transaction (begin, take, the participants' rows, write, end), and the
 * folder's lag. The only callers of these statements. Rows handed to a
 * callback are borrowed for the call; the participant ids of
 * store_fold_take are the caller's to free. */
#ifndef ENQUETE_STORE_FOLD_H
#define ENQUETE_STORE_FOLD_H

#include <stddef.h>

struct db; /* store.h */

struct fold_batch {
	long event_id;	     /* the event folded (0 when none) */
	long participants;   /* participants folded in the batch */
	long long remaining; /* that event's change rows left after it */
};

/* One tuple of a participant's contribution (the type stats_tuple). */
struct fold_tuple {
	long long participant_id;
	const char *kind, *instrument, *item, *value; /* borrowed */
	int rank;
	long long n;
	double s1, s2;
};

/* One segment (profile answer) of a participant: now (cur) or as folded. */
struct fold_member {
	long long participant_id;
	int cur;
	const char *fkey, *fvalue; /* borrowed */
};

/* One row of sums to add: the event's totals when fkey is NULL (kind
 * "comment": the comment count of item), segment (fkey, fvalue)'s
 * otherwise. */
struct fold_sum {
	const char *fkey, *fvalue;
	const char *kind, *instrument, *item, *value;
	int rank;
	long long n;
	double s1, s2;
};

/* What a batch writes: the sums (each key once), the participants whose
 * segments changed, and their segments now (cur set). Borrowed. */
struct fold_writes {
	const struct fold_sum *sums;
	size_t nsums;
	const long long *moved;
	size_t nmoved;
	const struct fold_member *members;
	size_t nmembers;
};

/* Opens the batch's transaction. 0, or -1 (a message on stderr). */
int store_fold_begin(struct db *db);
/* Takes the batch (stats_fold_take): 1 with *event_id and the
 * participants (*ids, *n: malloc'ed, caller frees; NULL and 0 for an
 * event deleted meanwhile, whose change rows are now gone), 0 when
 * nothing is left to fold, -1 on failure. */
int store_fold_take(struct db *db, long limit, long *event_id, long long **ids,
		    size_t *n);
/* The contribution of participants ids[0..n) as folded (cur 0: their
 * stats_contrib rows are deleted) or now (cur 1: recorded as folded), one
 * call of row per tuple; row returns non-zero to fail. 0 or -1. */
int store_fold_tuples(struct db *db, int cur, const long long *ids, size_t n,
		      int (*row)(void *ctx, const struct fold_tuple *t),
		      void *ctx);
/* Their segments now and as folded, one call of row each. 0 or -1. */
int store_fold_members(struct db *db, const long long *ids, size_t n,
		       int (*row)(void *ctx, const struct fold_member *m),
		       void *ctx);
/* Writes the batch of participants ids[0..n) of event_id: the sums, the
 * moved participants' segments, the comment groups and the counters.
 * The event's change rows left (>= 0), or -1. */
long long store_fold_write(struct db *db, long event_id, const long long *ids,
			   size_t n, const struct fold_writes *w);
/* Ends the transaction: COMMIT (commit 1) or ROLLBACK. 0 or -1. */
int store_fold_end(struct db *db, int commit);

/* The folder's lag in ms (age of the oldest unfolded change, 0 when none)
 * and the number of pending change rows, of one event (event_id > 0) or of
 * all (0). 0 on success, -1 when the database failed. */
int store_fold_lag(struct db *db, long event_id, long long *lag_ms,
		   long long *pending);

#endif
