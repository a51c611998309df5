/* invite.h: the follow-up invitations (issue 24; DESIGN.md "Instruments:
 * pre, post, and a follow-up months later"): each consenting attendee of
 * an event gets, in the language of their post answers, a personal link
 * to the follow-up form and a one-click unsubscribe link, once per kind;
 * every attempt is logged (time, result, never the content), and a failed
 * one is retried by the next run. Used by `enquetectl invite` and the
 * console's invite button. */
#ifndef ENQUETE_INVITE_H
#define ENQUETE_INVITE_H

#include <stdio.h>

#include "qdef.h"
#include "token.h"

struct db;

/* The bundled keys outside clients rely on (DESIGN.md "Bundled
 * instruments"): the post form's consent and address items. */
#define INVITE_CONSENT_KEY "followup_consent"
#define INVITE_EMAIL_KEY "followup_email"

enum invite_kind { INVITE_FIRST, INVITE_REMINDER };

/* What a run did. */
struct invite_report {
	long candidates; /* consenting attendees still to mail */
	long sent, failed, invalid;
	long postponed; /* not tried: the relay failed several in a row */
};

/* The run's settings; strings borrowed. */
struct invite_run {
	struct db *db;
	const unsigned char *key; /* the server key (TOKEN_KEY_LEN bytes) */
	const struct qdef *def;   /* the event's current definition */
	long event_id;
	const char *slug;
	enum invite_kind kind;
	int dry_run;             /* list, send nothing, log nothing */
	const char *public_url;  /* the links' base, without a final slash */
	const char *smtp_url;    /* NULL: refused unless dry_run */
	const char *from;
	FILE *trace;             /* one line per attendee, or NULL */
};

enum invite_rc {
	INVITE_OK = 0,
	INVITE_NO_FOLLOWUP, /* the definition has no followup instrument */
	INVITE_NO_SMTP,     /* ENQUETE_SMTP_URL or ENQUETE_SMTP_FROM unset */
	INVITE_BUSY,        /* another run of this event is under way */
	INVITE_DOWN,        /* the database cannot be reached */
	INVITE_FAILED,      /* a statement failed, out of memory */
};

/* Mails every attendee still to mail (see the top). The links are signed
 * with link_key_make(): "followup" for the form, "unsubscribe" for the
 * opt-out. */
enum invite_rc invite_send(const struct invite_run *run,
    struct invite_report *report);

/* The personal links of code (8 characters) into out (at most n bytes):
 * BASE/e/SLUG/followup?k=KEY&lang=LANG and BASE/e/SLUG/unsubscribe?k=...
 * Returns out. */
const char *invite_link(const unsigned char *key, const char *base,
    const char *slug, long event_id, const char *purpose, const char *code,
    const char *lang, char *out, size_t n);

#endif
