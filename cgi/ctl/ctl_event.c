/* ctl_event.c: `enquetectl event open|close SLUG pre|post` sets the
 * instrument's window from now; `event attendance SLUG N` records how many
 * attended (the denominator of the response rates). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "ctl.h"
#include "db.h"

int ctl_listen(PGconn *c)
{
	PGresult *res = PQexec(c, "LISTEN enquete_event");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : -1;
}

void ctl_await_workers(PGconn *c)
{
	struct timespec start, now, pause = {0, 50 * 1000 * 1000};
	PGnotify *n;
	int got = 0;

	/* our own notification back means the server has signalled every
	 * listening worker connection; a short pause lets them pass it on */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!got) {
		struct timeval tv = {0, 100 * 1000};
		fd_set fds;
		int sock = PQsocket(c);

		if (sock < 0)
			break;
		FD_ZERO(&fds);
		FD_SET(sock, &fds);
		if (select(sock + 1, &fds, NULL, NULL, &tv) < 0 ||
		    PQconsumeInput(c) == 0)
			break;
		while ((n = PQnotifies(c)) != NULL) {
			got = 1;
			PQfreemem(n);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 2)
			break;
	}
	nanosleep(&pause, NULL);
}

/* The largest attendance accepted (schema/012 checks the same bound). */
#define ATTENDANCE_MAX 100000

/* `event attendance SLUG N`: 0; 1 (no such event, database); 2 (usage, N
 * not a whole number in 1..ATTENDANCE_MAX). */
static int ctl_event_attendance(int argc, char **argv)
{
	const char *sql = "UPDATE event SET attendance = $2::int WHERE slug = $1";
	const char *params[2];
	char *end;
	long n;
	PGconn *c;
	PGresult *res;
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
	params[0] = argv[2];
	params[1] = argv[3];
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		return 1;
	res = PQexecParams(c, sql, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	else if (strcmp(PQcmdTuples(res), "0") == 0)
		fprintf(stderr, "enquetectl: no event \"%s\"\n", argv[2]);
	else {
		printf("%s attendance %ld\n", argv[2], n);
		rc = 0;
	}
	PQclear(res);
	PQfinish(c);
	return rc;
}

int ctl_event(int argc, char **argv)
{
	const char *sql_open =
	    "INSERT INTO instrument_window (event_id, instrument, opens_at, "
	    "closes_at) SELECT id, $2, now(), NULL FROM event WHERE slug = $1 "
	    "ON CONFLICT (event_id, instrument) DO UPDATE SET opens_at = "
	    "now(), closes_at = NULL";
	const char *sql_close =
	    "INSERT INTO instrument_window (event_id, instrument, opens_at, "
	    "closes_at) SELECT id, $2, NULL, now() FROM event WHERE slug = $1 "
	    "ON CONFLICT (event_id, instrument) DO UPDATE SET closes_at = now()";
	const char *params[2];
	PGconn *c;
	PGresult *res;
	int open, rc = 1;

	if (argc >= 2 && strcmp(argv[1], "attendance") == 0)
		return ctl_event_attendance(argc, argv);
	if (argc != 4 || (strcmp(argv[1], "open") != 0 &&
			     strcmp(argv[1], "close") != 0) ||
	    (strcmp(argv[3], "pre") != 0 && strcmp(argv[3], "post") != 0)) {
		fprintf(stderr, "usage: enquetectl event open|close SLUG "
				"pre|post | event attendance SLUG N\n");
		return 2;
	}
	open = strcmp(argv[1], "open") == 0;
	params[0] = argv[2];
	params[1] = argv[3];
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		return 1;
	if (ctl_listen(c) != 0) {
		fprintf(stderr, "enquetectl: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	res = PQexecParams(c, open ? sql_open : sql_close, 2, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	else if (strcmp(PQcmdTuples(res), "0") == 0)
		fprintf(stderr, "enquetectl: no event \"%s\"\n", argv[2]);
	else {
		/* return once the running workers know */
		ctl_await_workers(c);
		printf("%s %s %s\n", argv[2], argv[3], open ? "open" : "closed");
		rc = 0;
	}
	PQclear(res);
	PQfinish(c);
	return rc;
}
