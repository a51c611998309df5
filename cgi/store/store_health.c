/* store_health.c: the store's liveness probe, the server key and the
 * schema's migration (store.h). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "migrate.h"

enum store_rc store_health(struct db *db)
{
	PGresult *res;
	enum store_rc rc = store_run(db, DB_HEALTH, 0, NULL, &res);

	PQclear(res);
	return rc;
}

enum store_rc store_secret_get(struct db *db, unsigned char key[32])
{
	PGresult *res;
	enum store_rc rc = store_run(db, DB_SECRET_GET, 0, NULL, &res);
	size_t len = 0;
	const char *v;

	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		log_msg(NULL, "app_secret missing: run enquetectl migrate");
		rc = STORE_NONE;
		goto out;
	}
	v = PQgetvalue(res, 0,
		       0); /* bytea in hex output: \x followed by 64 hex */
	if (strncmp(v, "\\x", 2) != 0 ||
	    sodium_hex2bin(key, 32, v + 2, strlen(v + 2), NULL, &len, NULL) !=
		0 ||
	    len != 32) {
		log_msg(NULL, "app_secret malformed");
		rc = STORE_NONE;
	}
out:
	PQclear(res);
	return rc;
}

/* Makes sure the server's 32-byte key exists (first migrate creates it). */
static int ensure_secret(PGconn *c)
{
	unsigned char key[32];
	char hex[65];
	int rc;

	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	rc = migrate_secret(c, hex);
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int store_migrate(const char *conninfo, const char *dir)
{
	PGconn *c = db_connect_plain(conninfo);
	int rc;

	if (c == NULL)
		return -1;
	rc = migrate_run(c, dir);
	if (rc == 0)
		rc = ensure_secret(c);
	PQfinish(c);
	return rc == 0 ? 0 : -1;
}
