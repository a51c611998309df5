/* store_console.h: the statements of the organiser's console (issue 20):
 * a definition stored as a new event or a new version in one statement,
 * the values answered so far (the safe-change check), the set-up's event
 * columns, scheduled windows and the live monitor's counts. Conventions of
 * store.h. */
#ifndef ENQUETE_STORE_CONSOLE_H
#define ENQUETE_STORE_CONSOLE_H

#include <stdbool.h>

#include "store.h"

struct pg_conn;

enum store_console_outcome {
	STORE_CONSOLE_STORED,	 /* a new version (of a new event) */
	STORE_CONSOLE_UNCHANGED, /* the same as the current definition */
	STORE_CONSOLE_TAKEN,	 /* create: the slug exists */
	STORE_CONSOLE_MISSING,	 /* update: no such event */
};
/* CONSOLE_DEF_STORE: body (JSON text), digest (hex SHA-256), items and
 * windows (JSON arrays, see schema/functions/console.sql). OK with *out
 * and *version (0 unless stored), DOWN, FAILED. */
enum store_rc store_console_definition(struct db *db, const char *slug,
    bool create, const char *body, const char *digest, const char *items,
    const char *windows, enum store_console_outcome *out, long *version);

/* CONSOLE_ANSWERED: every (instrument, item, value) answered in the event
 * slug; value is NULL for an answer to a non-choice item. Strings
 * borrowed for the call. OK, DOWN, FAILED, STOPPED. */
typedef int (*store_answered_fn)(void *ctx, const char *instrument,
    const char *item, const char *value);
enum store_rc store_console_answered(struct db *db, const char *slug,
    store_answered_fn row, void *ctx);
/* The same on enquetectl's plain connection: 0, or -1 (printed). */
int store_def_answered(struct pg_conn *c, const char *slug,
    store_answered_fn row, void *ctx);

/* CONSOLE_TZ_KNOWN: OK with *known, DOWN, FAILED. */
enum store_rc store_console_tz_known(struct db *db, const char *name,
    bool *known);

/* CONSOLE_SETUP_GET / SET: attendance (0: not set) and double entry. */
enum store_rc store_console_setup_get(struct db *db, long event_id,
    long *attendance, bool *double_entry);
enum store_rc store_console_setup_set(struct db *db, long event_id,
    long attendance, bool double_entry);

/* CONSOLE_WINDOW_SET: an instrument's window; opens and closes ISO 8601
 * texts (checked by the caller) or NULL for none, read in tz when they
 * carry no offset. OK, INVALID (a time PostgreSQL refuses), DOWN,
 * FAILED. */
enum store_rc store_console_window(struct db *db, long event_id,
    const char *instrument, const char *opens, const char *closes,
    const char *tz);

/* CONSOLE_WINDOWS: each window set, its times in tz as
 * YYYY-MM-DDTHH:MM ("" for none), and whether it is open now. */
struct store_window_row {
	const char *instrument, *opens, *closes;
	bool open;
};
enum store_rc store_console_windows(struct db *db, long event_id,
    const char *tz, int (*row)(void *ctx, const struct store_window_row *w),
    void *ctx);

/* CONSOLE_LIVE: the live monitor's numbers; minutes is the JSON array of
 * the answers in each of the last 30 minutes, oldest first (caller frees
 * with free()). */
struct store_live {
	long pre, post, paired, issued, used, attendance; /* attendance 0:
							     not set */
	char *minutes;
};
enum store_rc store_console_live(struct db *db, long event_id,
    struct store_live *out);

#endif
