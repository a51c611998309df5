/* main_ctl.c: bin/enquetectl, the command line for organisers and tests.
 * One table maps each command to its function; every command reads
 * ENQUETE_DATABASE_URL. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "ctl.h"
#include "store.h"
#include "tmpl.h"


static int cmd_migrate(int argc, char **argv)
{
	const char *dir = cfg_str(CFG_SCHEMA);

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: enquetectl migrate\n");
		return 2;
	}
	/* migrations run as the schema's owner; the workers' role
	 * (ENQUETE_DATABASE_URL of an external database) may not do DDL */
	return store_migrate(cfg_str(CFG_MIGRATE_DATABASE_URL), dir) == 0 ? 0 : 1;
}

/* Prints the effective settings (every one the programs read: each is
 * parsed, so a bad value anywhere is reported here too). */
static int cmd_config(int argc, char **argv)
{
	char err[256];

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: enquetectl config\n");
		return 2;
	}
	if (config_load(CFG_R_PROGRAMS, err, sizeof(err)) != 0) {
		fprintf(stderr, "enquetectl: %s\n", err);
		return 1;
	}
	config_print(stdout);
	return fflush(stdout) == 0 ? 0 : 1;
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
	{"event", ctl_event, "event open|close SLUG pre|post|followup | attendance SLUG N"},
	{"user", ctl_user, "user add NAME [--role expert|organiser|admin] [--events '*'|a,b|''] | events NAME '*'|a,b|'' | passwd NAME | del NAME"},
	{"token", ctl_token, "token add NAME [--days N] | list NAME | revoke NAME [ID]"},
	{"export", ctl_export, "export --event SLUG --format csv-long|csv-wide|json|codebook [--excel]"},
	{"codes", ctl_codes, "codes generate --event SLUG --count N"},
	{"participant", ctl_participant, "participant erase --event SLUG CODE"},
	{"fold", ctl_fold, "fold [--loop] [--batch N] [--poll-ms N]"},
	{"render", ctl_render, "render TEMPLATE_FILE DATA.json [PARTIALS.json]"},
	{"config", cmd_config, "config"},
	{"invite", ctl_invite, "invite --event SLUG --instrument followup [--reminder] [--dry-run]"},
};

static void usage(void)
{
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  enquetectl %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	char err[256];

	if (config_load(CFG_R_CTL, err, sizeof(err)) != 0) {
		fprintf(stderr, "enquetectl: %s\n", err);
		return 1;
	}
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
