/* codes.h: pre-issued participant codes (badge cards), shared by the CLI
 * and the admin page. */
#ifndef ENQUETE_CODES_H
#define ENQUETE_CODES_H

#include "store.h"

#define CODES_MAX 1000  /* codes per request */

/* Creates n new pre-issued participants of event event_id with random
 * codes (collisions drawn again). Returns 0 with *out holding n codes
 * (caller frees with codes_free), 404 when there is no such event, 503
 * when the database is unreachable, 500 otherwise. */
int codes_generate(struct db *db, long event_id, int n, char ***out);
void codes_free(char **codes, int n);

#endif
