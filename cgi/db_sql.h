/* db_sql.h: every SQL statement the server runs, named once, with its text.
 * Each is prepared once per connection and run by name with $n parameters;
 * none is ever built from input. X(NAME, nparams, text). One section per
 * concern; the enum in db.h concatenates them. */
#ifndef ENQUETE_DB_SQL_H
#define ENQUETE_DB_SQL_H

/* health and keys */
#define DB_STMTS_CORE(X)                                                     \
	X(HEALTH, 0, "SELECT 1")                                             \
	X(SECRET_GET, 0, "SELECT key FROM app_secret WHERE id = 1")          \
	X(EVENT_BY_SLUG, 1,                                                  \
	    "SELECT id, definition_id, enquete_window_open(id, 'pre'), "     \
	    "enquete_window_open(id, 'post') FROM event WHERE slug = $1")    \
	X(DEFINITION_BODY, 1, "SELECT body FROM definition WHERE id = $1")

/* the attendee flow (page_form.c) */
#define DB_STMTS_ATTENDEE(X)

/* sign-in, sessions, admin pages (page_admin.c, auth.c) */
#define DB_STMTS_ADMIN(X)

/* summary, dashboard and exports: run on the analytics connection */
#define DB_STMTS_ANALYSIS(X)

#define DB_STATEMENTS(X)                                                     \
	DB_STMTS_CORE(X)                                                     \
	DB_STMTS_ATTENDEE(X)                                                 \
	DB_STMTS_ADMIN(X)                                                    \
	DB_STMTS_ANALYSIS(X)

#endif
