/* main_ctl.c: bin/enquetectl, the command line for organisers and tests.
 * One table maps each command to its function; every command reads
 * ENQUETE_DATABASE_URL. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "ctl.h"
#include "db.h"
#include "migrate.h"
#include "tmpl.h"


/* Makes sure the server's 32-byte key exists (first migrate creates it). */
static int ensure_secret(PGconn *c)
{
	unsigned char key[32];
	char hex[65];
	const char *params[1] = {hex};
	PGresult *res;
	int ok;

	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	res = PQexecParams(c,
	    "INSERT INTO app_secret (id, key) VALUES (1, decode($1, 'hex')) "
	    "ON CONFLICT (id) DO NOTHING",
	    1, NULL, params, NULL, NULL, 0);
	ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	PQclear(res);
	sodium_memzero(hex, sizeof(hex));
	return ok ? 0 : -1;
}

static int cmd_migrate(int argc, char **argv)
{
	const char *dir = getenv("ENQUETE_SCHEMA");
	PGconn *c;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: enquetectl migrate\n");
		return 2;
	}
	/* migrations run as the schema's owner; the workers' role
	 * (ENQUETE_DATABASE_URL of an external database) may not do DDL */
	c = db_connect_plain(getenv("ENQUETE_MIGRATE_DATABASE_URL") &&
	    *getenv("ENQUETE_MIGRATE_DATABASE_URL") ?
	    getenv("ENQUETE_MIGRATE_DATABASE_URL") : db_conninfo());
	if (c == NULL)
		return 1;
	rc = migrate_run(c, dir && *dir ? dir : "schema");
	if (rc == 0)
		rc = ensure_secret(c);
	PQfinish(c);
	return rc == 0 ? 0 : 1;
}

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{"migrate", cmd_migrate, "migrate"},
	{"load", ctl_load, "load FILE.json|FILE.xlsx..."},
	{"definition", ctl_definition, "definition --event SLUG --format json|xlsform"},
	{"event", ctl_event, "event open|close SLUG pre|post | attendance SLUG N"},
	{"user", ctl_user, "user add NAME [--role expert|admin] | passwd NAME | del NAME"},
	{"token", ctl_token, "token add NAME [--days N] | list NAME | revoke NAME [ID]"},
	{"export", ctl_export, "export --event SLUG --format csv-long|csv-wide|json|codebook [--excel]"},
	{"codes", ctl_codes, "codes generate --event SLUG --count N"},
	{"participant", ctl_participant, "participant erase --event SLUG CODE"},
	{"fold", ctl_fold, "fold [--loop] [--batch N] [--poll-ms N]"},
	{"render", ctl_render, "render TEMPLATE_FILE DATA.json [PARTIALS.json]"},
};

static void usage(void)
{
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  enquetectl %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "enquetectl: libsodium failed to initialise\n");
		return 1;
	}
	if (argc < 2) {
		usage();
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "enquetectl: unknown command \"%s\"\n", argv[1]);
	usage();
	return 2;
}
