/* store_def.h: the statements of questionnaire definitions, for
 * `enquetectl load` and `enquetectl definition`: one typed function per
 * statement on a plain connection (db_connect_plain). Every function
 * prints the SQL error on stderr ("enquetectl: ...") when it fails. */
#ifndef ENQUETE_STORE_DEF_H
#define ENQUETE_STORE_DEF_H

#include <stdbool.h>

/* The definition statements run on a plain connection of their own (one
 * transaction around a whole load); the floors above hold it only as this
 * opaque handle (libpq's connection, whose header stays in cgi/store). */
struct pg_conn;

/* Opens the plain connection to db_conninfo(). NULL (reported on stderr)
 * when unreachable. Close with store_def_close(). */
struct pg_conn *store_def_connect(void);
void store_def_close(struct pg_conn *c);
/* LISTEN for the workers' acknowledgement of a new definition, and wait
 * (bounded) for it after the commit. */
int store_def_listen(struct pg_conn *c);
void store_def_await_workers(struct pg_conn *c);

/* One transaction around a load. 0 or -1. */
int store_def_begin(struct pg_conn *c);
int store_def_commit(struct pg_conn *c);
void store_def_rollback(struct pg_conn *c);

/* 1 when the database knows the IANA time zone name, 0 when not, -1 on
 * failure. */
int store_def_timezone_known(struct pg_conn *c, const char *name);

/* Creates the event slug unless it exists: 1 when created, 0 when it
 * existed, -1 on failure. */
int store_def_event_ensure(struct pg_conn *c, const char *slug);

/* Stores body (the definition's JSON text, digest its SHA-256 in hex) as
 * the event's next version unless its current definition has the same
 * digest or the same JSON (whatever the key order). Returns 1 with *id and
 * *version of the new version (not yet current: store_def_make_current),
 * 0 when unchanged, -1 on failure. */
int store_def_insert(struct pg_conn *c, const char *slug, const char *body,
		     const char *digest, long *id, long *version);

/* Records a change in the audit log inside the load's transaction (the
 * arguments of store_audit, store.h); nothing on a database whose schema
 * predates the audit log (migration 020). 0 or -1. */
int store_def_audit(struct pg_conn *c, const char *actor, const char *slug,
		    const char *action, const char *detail);

/* Makes definition id the event's current one. 0 or -1. */
int store_def_make_current(struct pg_conn *c, const char *slug, long id);

/* What the statistics, comment and export functions of the schema need to
 * know of one answer field of a definition version (table stats_item):
 * written by the loader from the parsed definition, so that SQL never
 * reads the definition's JSON. All strings borrowed. */
struct store_def_item {
	const char *instrument; /* pre, post */
	const char *item;	/* key, key.other, key.retro */
	int pos;		/* ((section * 1000 + item) * 4 + sub), both
				 * counted from 1; sub 0 for the item, 1 for
				 * .other, 2 for .retro */
	const char *type;	/* the item's type; "other" for key.other */
	const char *role;	/* its analysis; "other", "retro" for those */
	const char *correct;	/* quiz: the right option's value, else NULL */
	bool personal;		/* the item's "personal" */
};

/* Adds one row of stats_item for definition id. 0 or -1. */
int store_def_item_add(struct pg_conn *c, long id, const struct store_def_item *it);

/* Sets an instrument's window (opens, closes: timestamps as written in the
 * definition, NULL for none). 0 or -1. */
int store_def_window_set(struct pg_conn *c, const char *slug, const char *instrument,
			 const char *opens, const char *closes);

/* The JSON text of the event's current definition: 1 with *body (caller
 * frees with free()), 0 when there is no such event, -1 on failure. */
int store_def_current_body(struct pg_conn *c, const char *slug, char **body);

#endif
