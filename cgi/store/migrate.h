/* migrate.h: forward-only schema migrations (schema/NNN_name.sql), the
 * functions and triggers (schema/functions/NAME.sql, re-applied at every
 * run) and the backfills of new migrations (schema/backfill/NNN_name.sql). */
#ifndef ENQUETE_MIGRATE_H
#define ENQUETE_MIGRATE_H

#include <libpq-fe.h>

/* In one transaction: applies every pending migration of dir in order,
 * recorded in schema_migrations; then every file of dir/functions in name
 * order; then the backfill of each migration applied in this run. Prints
 * what it applied ("schema up to date" when no migration was pending); on
 * failure prints the SQL error, leaves the database as it was and returns
 * -1. */
int migrate_run(PGconn *conn, const char *dir);

/* Stores hex (64 hex digits) as the server's key unless one exists.
 * 0 or -1 (message printed). */
int migrate_secret(PGconn *conn, const char *hex);

#endif
