/* migrate.h: forward-only schema migrations (schema/NNN_name.sql). */
#ifndef ENQUETE_MIGRATE_H
#define ENQUETE_MIGRATE_H

#include <libpq-fe.h>

/* Applies every pending migration of dir in order, each in one transaction
 * recorded in schema_migrations. Prints what it applies; on failure prints
 * the SQL error, leaves the database as it was before that migration and
 * returns -1. */
int migrate_run(PGconn *conn, const char *dir);

#endif
