/* store_fold.h: the statistics folder's statements (schema/016): one
 * batch of folding, and the folder's lag. The only callers of these
 * statements; they own no memory beyond the call. */
#ifndef ENQUETE_STORE_FOLD_H
#define ENQUETE_STORE_FOLD_H

struct db; /* store.h */

struct fold_batch {
	long event_id;      /* the event folded (0 when none) */
	long participants;  /* participants folded in the batch */
	long long remaining; /* that event's change rows left after it */
};

/* Folds one batch of at most limit changes (1..100000) of the oldest
 * pending event no other folder holds, in one transaction. 1 when a batch
 * ran (*out filled), 0 when there was nothing to fold, -1 when the
 * database failed or cannot be reached (a message on stderr). */
int store_fold_batch(struct db *db, long limit, struct fold_batch *out);

/* The folder's lag in ms (age of the oldest unfolded change, 0 when none)
 * and the number of pending change rows, of one event (event_id > 0) or of
 * all (0). 0 on success, -1 when the database failed. */
int store_fold_lag(struct db *db, long event_id, long long *lag_ms,
    long long *pending);

#endif
