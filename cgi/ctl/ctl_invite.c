/* ctl_invite.c: `enquetectl invite --event SLUG --instrument followup
 * [--reminder] [--dry-run]`: mails the follow-up's personal links to the
 * consenting attendees through ENQUETE_SMTP_URL (cgi/domain/invite.c).
 * One line per attendee on stdout (the participant code and the outcome,
 * never the address), then the totals. Exit 0 when every mail was sent
 * (or, dry, listed), 1 when some failed (they are retried by the next
 * run) or nothing could run, 2 on a usage error. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "event.h"
#include "i18n.h"
#include "invite.h"
#include "store.h"

static int usage(void)
{
	fprintf(stderr, "usage: enquetectl invite --event SLUG --instrument "
			"followup [--reminder] [--dry-run]\n");
	return 2;
}

int ctl_invite(int argc, char **argv)
{
	struct db db = {.conninfo = NULL, .appname = "enquetectl", .lazy = 1};
	struct invite_run run = {0};
	struct invite_report rep;
	struct event_info ev;
	unsigned char key[TOKEN_KEY_LEN];
	const char *slug = NULL, *instrument = NULL, *base;
	char dir[4096], err[512], url[2048];
	size_t n;
	int st, rc = 1;
	enum invite_rc irc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
			slug = argv[++i];
		else if (strcmp(argv[i], "--instrument") == 0 && i + 1 < argc)
			instrument = argv[++i];
		else if (strcmp(argv[i], "--reminder") == 0)
			run.kind = INVITE_REMINDER;
		else if (strcmp(argv[i], "--dry-run") == 0)
			run.dry_run = 1;
		else
			return usage();
	}
	if (slug == NULL || instrument == NULL)
		return usage();
	if (strcmp(instrument, "followup") != 0) {
		fprintf(stderr, "enquetectl: only the followup instrument has "
				"invitations\n");
		return usage();
	}
	snprintf(dir, sizeof(dir), "%s/i18n", cfg_str(CFG_TEMPLATES));
	if (i18n_load(dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "enquetectl: %s\n", err);
		return 1;
	}
	db.conninfo = db_conninfo();
	if (db_ready(&db) != 0) {
		fprintf(stderr, "enquetectl: database unreachable\n");
		goto out;
	}
	st = event_lookup(&db, slug, &ev);
	if (st == 404) {
		fprintf(stderr, "enquetectl: no event \"%s\"\n", slug);
		goto out;
	}
	if (st != 0 || store_secret_get(&db, key) != STORE_OK) {
		fprintf(stderr, "enquetectl: cannot read the event (%d)\n", st);
		goto out;
	}
	base = cfg_str(CFG_PUBLIC_URL);
	n = strlen(base);
	snprintf(url, sizeof(url), "%.*s", (int)(n && base[n - 1] == '/' ?
	    n - 1 : n), base);
	run.db = &db;
	run.key = key;
	run.def = ev.def;
	run.event_id = ev.id;
	run.slug = slug;
	run.public_url = url;
	run.smtp_url = cfg_str(CFG_SMTP_URL);
	run.from = cfg_str(CFG_SMTP_FROM);
	run.trace = stdout;
	irc = invite_send(&run, &rep);
	switch (irc) {
	case INVITE_OK:
		printf("%s: %ld to mail, %ld sent, %ld failed (retried by the "
		       "next run), %ld invalid address%s\n",
		    run.dry_run ? "dry run" : "invite", rep.candidates, rep.sent,
		    rep.failed, rep.invalid, rep.invalid == 1 ? "" : "es");
		if (rep.postponed)
			printf("the relay failed %d mails in a row: %ld left for "
			       "the next run\n", 3, rep.postponed);
		rc = rep.failed || rep.postponed ? 1 : 0;
		break;
	case INVITE_NO_FOLLOWUP:
		fprintf(stderr, "enquetectl: event \"%s\" has no followup "
				"instrument\n", slug);
		break;
	case INVITE_NO_SMTP:
		fprintf(stderr, "enquetectl: set ENQUETE_SMTP_URL and "
				"ENQUETE_SMTP_FROM to send mail\n");
		break;
	case INVITE_BUSY:
		fprintf(stderr, "enquetectl: another invitation run of \"%s\" "
				"is under way\n", slug);
		break;
	default:
		fprintf(stderr, "enquetectl: invitations stopped: %s; what was "
				"sent is logged, the rest waits for the next "
				"run\n", irc == INVITE_DOWN ?
		    "database unreachable" : "a statement failed");
		break;
	}
	fflush(stdout);
out:
	event_cache_free();
	db_close(&db);
	i18n_free();
	return rc;
}
