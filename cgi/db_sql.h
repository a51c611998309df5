/* db_sql.h: every SQL statement the server runs, named once, with its text.
 * Each is prepared once per connection and run by name with $n parameters;
 * none is ever built from input. X(NAME, nparams, text) */
#ifndef ENQUETE_DB_SQL_H
#define ENQUETE_DB_SQL_H

#define DB_STATEMENTS(X)                                                     \
	X(HEALTH, 0, "SELECT 1")                                             \
	X(SECRET_GET, 0, "SELECT key FROM app_secret WHERE id = 1")

#endif
