/* fold.h: one batch of the statistics folder (issue 27, schema/016,
 * schema/functions/fold.sql), with its sums in C: the participants'
 * contributions now and as folded, and their segments, are read from the
 * database (stats_participant_tuples stays the one definition of a
 * contribution); the differences are netted per participant and summed
 * per key of the event's totals and of each segment here; only the sums
 * are written. The same result as stats_fold_apply, the all-SQL folder
 * (enquete_fold), in about half its time. */
#ifndef ENQUETE_FOLD_H
#define ENQUETE_FOLD_H

#include "store_fold.h"

/* Folds one batch of at most limit changes (1..100000) of the oldest
 * pending event no other folder holds, in one transaction. 1 when a batch
 * ran (*out filled), 0 when there was nothing to fold, -1 when the
 * database failed or cannot be reached (a message on stderr; the batch is
 * rolled back, its changes stay pending). */
int fold_batch(struct db *db, long limit, struct fold_batch *out);

#endif
