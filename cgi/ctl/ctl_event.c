/* ctl_event.c: `enquetectl event open|close SLUG pre|post` sets the
 * instrument's window from now; `event attendance SLUG N` records how many
 * attended (the denominator of the response rates). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "qdef.h"
#include "store.h"

/* The largest attendance accepted (schema/012 checks the same bound). */
#define ATTENDANCE_MAX 100000

/* `event attendance SLUG N`: 0; 1 (no such event, database); 2 (usage, N
 * not a whole number in 1..ATTENDANCE_MAX). */
static int ctl_event_attendance(int argc, char **argv)
{
	struct db db = {.conninfo = db_conninfo(), .appname = "enquetectl", .lazy = 1};
	char *end;
	long n;
	int rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: enquetectl event attendance SLUG N\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[3], &end, 10);
	if (argv[3][0] == '\0' || *end || errno || n < 1 || n > ATTENDANCE_MAX) {
		fprintf(stderr, "enquetectl: the attendance must be a whole number "
				"from 1 to %d, not \"%s\"\n", ATTENDANCE_MAX, argv[3]);
		return 2;
	}
	switch (store_event_attendance(&db, argv[2], n)) {
	case STORE_OK: {
		struct json_object *d = ctl_detail(NULL, NULL);
		ctl_detail_int(d, "attendance", n);
		ctl_audit(&db, argv[2], "event.attendance", d);
		printf("%s attendance %ld\n", argv[2], n);
		rc = 0;
		break;
	}
	case STORE_NONE:
		fprintf(stderr, "enquetectl: no event \"%s\"\n", argv[2]);
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

int ctl_event(int argc, char **argv)
{
	struct db db = {.conninfo = db_conninfo(), .appname = "enquetectl", .lazy = 1};
	enum store_rc src;
	int open, rc = 1, kind = -1;

	if (argc >= 2 && strcmp(argv[1], "attendance") == 0)
		return ctl_event_attendance(argc, argv);
	if (argc == 4)
		kind = qdef_kind_from_name(argv[3]);
	if (argc != 4 || (strcmp(argv[1], "open") != 0 &&
			     strcmp(argv[1], "close") != 0) || kind < 0) {
		fprintf(stderr, "usage: enquetectl event open|close SLUG "
				"pre|post|followup | event attendance SLUG N\n");
		return 2;
	}
	open = strcmp(argv[1], "open") == 0;
	/* LISTEN first, so that our own notification comes back after the
	 * commit: then every running worker has been told */
	if ((src = store_events_listen(&db)) != STORE_OK) {
		fprintf(stderr, "enquetectl: %s", src == STORE_DOWN ?
		    "cannot reach the database\n" : store_error(&db));
		db_close(&db);
		return 1;
	}
	src = store_window_set(&db, argv[2], (enum store_instrument)kind,
	    open);
	if (src == STORE_NONE)
		fprintf(stderr, "enquetectl: no event \"%s\"\n", argv[2]);
	else if (src != STORE_OK)
		fprintf(stderr, "enquetectl: %s", src == STORE_DOWN ?
		    "cannot reach the database\n" : store_error(&db));
	else {
		/* return once the running workers know */
		store_events_await(&db);
		ctl_audit(&db, argv[2], open ? "window.open" : "window.close",
		    ctl_detail("instrument", argv[3]));
		printf("%s %s %s\n", argv[2], argv[3], open ? "open" : "closed");
		rc = 0;
	}
	db_close(&db);
	return rc;
}
