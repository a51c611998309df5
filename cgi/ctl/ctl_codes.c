/* ctl_codes.c: `enquetectl codes generate --event SLUG --count N` (badge
 * codes handed out before the workshop) and `participant erase --event
 * SLUG CODE` (the right to erasure: every answer of that participant). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "ctl.h"
#include "store.h"
#include "token.h"

/* Finds "--name VALUE" in argv. */
static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

int ctl_codes(int argc, char **argv)
{
	const char *slug = opt(argc, argv, "--event");
	const char *count = opt(argc, argv, "--count");
	char *end;
	long n;
	struct db db = {.conninfo = db_conninfo(), .lazy = 1};
	struct store_event ev;
	enum store_rc src;
	char **codes = NULL;
	int rc;

	if (argc != 6 || strcmp(argv[1], "generate") != 0 || slug == NULL ||
	    count == NULL) {
		fprintf(stderr, "usage: enquetectl codes generate --event SLUG "
				"--count N\n");
		return 2;
	}
	n = strtol(count, &end, 10);
	if (*count == '\0' || *end || n < 1 || n > CODES_MAX) {
		fprintf(stderr, "enquetectl: --count %s: give a whole number of "
				"codes from 1 to %d (run the command again for "
				"more)\n", count, CODES_MAX);
		return 2;
	}
	if ((src = store_event_by_slug(&db, slug, &ev)) != STORE_OK) {
		fprintf(stderr, "enquetectl: %s\n", src == STORE_DOWN ?
		    "cannot reach the database" : "no such event");
		db_close(&db);
		return 1;
	}
	rc = codes_generate(&db, ev.id, (int)n, &codes);
	if (rc != 0)
		fprintf(stderr, "enquetectl: could not create the codes (%d)\n",
		    rc);
	else {
		struct json_object *d = ctl_detail(NULL, NULL);
		ctl_detail_int(d, "count", n);
		ctl_audit(&db, slug, "codes.generate", d);
	}
	if (rc == 0)
		for (long i = 0; i < n; i++) {
			char shown[CODE_LEN + 2];
			code_format(codes[i], shown);
			printf("%s\n", shown);
		}
	codes_free(codes, rc == 0 ? (int)n : 0);
	db_close(&db);
	return rc == 0 ? 0 : 1;
}

int ctl_participant(int argc, char **argv)
{
	const char *slug = opt(argc, argv, "--event");
	struct db db = {.conninfo = db_conninfo(), .appname = "enquetectl", .lazy = 1};
	char norm[CODE_LEN + 1];
	int rc = 1;

	if (argc != 5 || strcmp(argv[1], "erase") != 0 || slug == NULL ||
	    strcmp(argv[2], "--event") != 0) {
		fprintf(stderr, "usage: enquetectl participant erase --event "
				"SLUG CODE\n");
		return 2;
	}
	if (code_normalize(argv[4], strlen(argv[4]), norm) != 0) {
		fprintf(stderr, "enquetectl: \"%s\" is not a participant code\n",
		    argv[4]);
		return 1;
	}
	/* answers, history, contacts, tokens and statistics follow by cascade
	 * and triggers, in one transaction */
	switch (store_participant_erase(&db, slug, norm)) {
	case STORE_OK: {
		char shown[CODE_LEN + 2];
		code_format(norm, shown);
		ctl_audit(&db, slug, "participant.erase",
		    ctl_detail("code", shown));
		printf("participant %.4s-%.4s erased from %s\n", norm, norm + 4,
		    slug);
	}
		rc = 0;
		break;
	case STORE_NONE:
		fprintf(stderr, "enquetectl: no participant %s in %s\n", argv[4],
		    slug);
		break;
	case STORE_DOWN:
		fprintf(stderr, "enquetectl: cannot reach the database\n");
		break;
	default:
		fprintf(stderr, "enquetectl: %s", store_error(&db));
		break;
	}
	db_close(&db);
	return rc;
}
