/* ctl_fold.c: `enquetectl fold [--loop] [--batch N] [--poll-ms N]`, the
 * statistics folder (schema/016_stats_fold.sql). Submissions only append
 * change records; this folds them into the event's aggregates and
 * segments, one batch per transaction (fold_batch, cgi/domain/fold.c:
 * the sums in C). Without --loop it folds until nothing is left and exits
 * (tests, after a bulk load); with --loop it runs as a process of the stack (scripts/stack), polling
 * every --poll-ms (default 50) while idle and folding without pause while
 * there is work, until SIGTERM or SIGINT (it stops between batches; a
 * SIGKILL mid-batch rolls the batch back, nothing is lost or counted
 * twice). Several folders may run against one database: each batch holds
 * its event's advisory lock, so they share the events out. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "store.h"
#include "fold.h"

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Sleeps ms milliseconds, or less when a signal arrives. */
static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	if (nanosleep(&ts, NULL) != 0 && errno != EINTR)
		perror("fold: nanosleep");
}

/* Parses a whole number from lo to hi; -1 when it is not one. */
static long number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end || errno || v < lo || v > hi)
		return -1;
	return v;
}

int ctl_fold(int argc, char **argv)
{
	struct db db = {.conninfo = db_conninfo(), .appname = "enquete-fold"};
	struct sigaction sa;
	struct fold_batch b;
	long batch = 500, poll_ms = 50, total = 0, batches = 0;
	int loop = 0, rc, failures = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--loop") == 0)
			loop = 1;
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc &&
		    (batch = number(argv[i + 1], 1, 100000)) > 0)
			i++;
		else if (strcmp(argv[i], "--poll-ms") == 0 && i + 1 < argc &&
		    (poll_ms = number(argv[i + 1], 1, 60000)) > 0)
			i++;
		else {
			fprintf(stderr, "usage: enquetectl fold [--loop] "
			    "[--batch 1..100000] [--poll-ms 1..60000]\n");
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0) {
		perror("fold: sigaction");
		return 1;
	}
	if (loop)
		fprintf(stderr, "fold: folding (batch %ld, poll %ld ms)\n",
		    batch, poll_ms);
	while (!stop_flag) {
		rc = fold_batch(&db, batch, &b);
		if (rc < 0) {
			if (!loop) {
				db_close(&db);
				return 1;
			}
			/* the database restarts or fails over: retry, at most
			 * once a second, quietly after the first messages */
			if (++failures <= 3)
				fprintf(stderr, "fold: batch failed; "
				    "retrying\n");
			db_close(&db);
			nap(1000);
			continue;
		}
		if (failures > 0 && loop)
			fprintf(stderr, "fold: folding again\n");
		failures = 0;
		if (rc == 1) {
			total += b.participants;
			batches++;
			continue;
		}
		if (!loop)
			break;
		nap(poll_ms);
	}
	db_close(&db);
	if (!loop)
		printf("folded %ld participants in %ld batches\n", total,
		    batches);
	else
		fprintf(stderr, "fold: stopped after %ld batches\n", batches);
	return 0;
}
