/* invite.c: the follow-up invitations (see invite.h). */
#include "invite.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "smtp.h"
#include "store.h"
#include "store_invite.h"

#define SEND_TIMEOUT_S 30
/* A relay that fails this many mails in a row is taken as down: the run
 * stops (the rest waits for the next run) rather than hold the console's
 * request past nginx's time limit. */
#define MAX_FAILED_IN_A_ROW 3

const char *invite_link(const unsigned char *key, const char *base,
    const char *slug, long event_id, const char *purpose, const char *code,
    const char *lang, char *out, size_t n)
{
	char k[LINK_KEY_MAX + 1];

	link_key_make(key, purpose, event_id, code, k);
	snprintf(out, n, "%s/e/%s/%s?k=%s&lang=%s", base, slug, purpose, k,
	    lang);
	return out;
}

/* tmpl with {event} and {link} replaced, appended to b. */
static void fill(struct buf *b, const char *tmpl, const char *event,
    const char *link)
{
	const char *p = tmpl, *q;

	while ((q = strchr(p, '{')) != NULL) {
		buf_append(b, p, (size_t)(q - p));
		if (strncmp(q, "{event}", 7) == 0) {
			buf_puts(b, event);
			p = q + 7;
		} else if (strncmp(q, "{link}", 6) == 0) {
			buf_puts(b, link);
			p = q + 6;
		} else {
			buf_putc(b, '{');
			p = q + 1;
		}
	}
	buf_puts(b, p);
}

/* Sends (or, dry, lists) one attendee's mail; counts it in r. 0, or the
 * store's status when logging failed. */
static int one(const struct invite_run *run, const struct invite_to *t,
    struct invite_report *r)
{
	const char *lang = i18n_supported(t->lang) ? i18n_supported(t->lang)
						    : "fr";
	const char *kind = run->kind == INVITE_REMINDER ? "reminder" : "invite";
	int l = qdef_lang_from_name(lang);
	const char *event = qdef_text(run->def, run->def->title,
	    l < 0 ? run->def->default_language : (enum qdef_lang)l);
	char form[1024], unsub[1024], why[256] = "";
	struct buf subject = BUF_INIT, body = BUF_INIT;
	struct smtp_mail m;
	int ok, st = 0;

	if (!smtp_address_ok(t->address)) {
		/* nothing sent, nothing logged: reported at every run
		 * until the attendee corrects it on the post form */
		r->invalid++;
		if (run->trace)
			fprintf(run->trace, "%s %s: invalid address, skipped\n",
			    kind, t->code);
		return 0;
	}
	if (run->dry_run) {
		if (run->trace)
			fprintf(run->trace, "%s %s (%s): would be sent\n", kind,
			    t->code, lang);
		return 0;
	}
	invite_link(run->key, run->public_url, run->slug, run->event_id,
	    "followup", t->code, lang, form, sizeof(form));
	invite_link(run->key, run->public_url, run->slug, run->event_id,
	    "unsubscribe", t->code, lang, unsub, sizeof(unsub));
	fill(&subject, i18n_get(lang, run->kind == INVITE_REMINDER ?
	    "mail_reminder_subject" : "mail_followup_subject"), event, form);
	fill(&body, i18n_get(lang, run->kind == INVITE_REMINDER ?
	    "mail_reminder_body" : "mail_followup_body"), event, form);
	buf_puts(&body, "\n");
	fill(&body, i18n_get(lang, "mail_unsubscribe"), event, unsub);
	m = (struct smtp_mail){run->from, t->address, buf_cstr(&subject),
	    buf_cstr(&body), unsub};
	/* audit: invite.send */
	ok = !subject.oom && !body.oom &&
	    smtp_send(run->smtp_url, &m, SEND_TIMEOUT_S, why, sizeof(why)) == 0;
	if (!ok && !why[0])
		snprintf(why, sizeof(why), "out of memory");
	if (ok)
		r->sent++;
	else
		r->failed++;
	if (run->trace)
		fprintf(run->trace, "%s %s (%s): %s%s\n", kind, t->code, lang,
		    ok ? "sent" : "failed: ", ok ? "" : why);
	/* the log keeps the reason without its detail (no host, no
	 * address) */
	why[strcspn(why, "|")] = '\0';
	while (*why && why[strlen(why) - 1] == ' ')
		why[strlen(why) - 1] = '\0';
	st = store_invite_log(run->db, run->event_id, t->participant_id, kind,
	    ok, ok ? "sent" : why);
	buf_free(&subject);
	buf_free(&body);
	return st;
}

enum invite_rc invite_send(const struct invite_run *run,
    struct invite_report *r)
{
	struct invite_list list = {0};
	enum invite_rc rc = INVITE_FAILED;
	int got = 0, st;

	memset(r, 0, sizeof(*r));
	if (!run->def->instruments[QDEF_FOLLOWUP].present)
		return INVITE_NO_FOLLOWUP;
	if (!run->dry_run && (run->smtp_url == NULL || !*run->smtp_url ||
				 run->from == NULL || !*run->from))
		return INVITE_NO_SMTP;
	if ((st = store_invite_lock(run->db, run->event_id, &got)) != 0)
		return st == 503 ? INVITE_DOWN : INVITE_FAILED;
	if (!got)
		return INVITE_BUSY;
	st = store_invite_candidates(run->db, run->event_id,
	    run->kind == INVITE_REMINDER ? "reminder" : "invite",
	    INVITE_EMAIL_KEY, INVITE_CONSENT_KEY, &list);
	if (st != 0) {
		rc = st == 503 ? INVITE_DOWN : INVITE_FAILED;
		goto out;
	}
	r->candidates = (long)list.n;
	for (size_t i = 0, row = 0; i < list.n; i++) {
		long failed = r->failed;

		if ((st = one(run, &list.v[i], r)) != 0) {
			/* the database went away: what was sent is logged,
			 * the rest waits for the next run */
			rc = st == 503 ? INVITE_DOWN : INVITE_FAILED;
			goto out;
		}
		row = r->failed > failed ? row + 1 : 0;
		if (row >= MAX_FAILED_IN_A_ROW && i + 1 < list.n) {
			r->postponed = (long)(list.n - i - 1);
			break;
		}
	}
	rc = INVITE_OK;
out:
	store_invite_list_free(&list);
	store_invite_unlock(run->db, run->event_id);
	return rc;
}
