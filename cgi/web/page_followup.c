/* page_followup.c: the follow-up's invitations (issue 24): the one-click
 * unsubscribe link of each mail (GET shows a confirm button, POST
 * deletes the address; RFC 8058's one-click POST comes with the key in
 * the URL) and the console's invite button. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "event.h"
#include "invite.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "store_invite.h"
#include "token.h"

/* The key of the request (?k= or the button's k) when it is ours for this
 * event: 0 with the code; 400 when it is not (absent, forged, another
 * event's); 404, 503 from the event. */
static int unsubscribe_key(struct req *r, struct event_info *ev,
    char code[CODE_LEN + 1])
{
	const struct kval *k = r->in[KEY_LINK].state == KEY_VALID ?
	    &r->in[KEY_LINK] : &r->in[KEY_LINK_FORM];
	int st = event_lookup(&app.db, r->slug, ev);

	if (st != 0)
		return st;
	if (auth_secret() != 0)
		return 503;
	if (k->state != KEY_VALID || link_key_check(app.secret, "unsubscribe",
					 ev->id, k->str, code) != 0)
		return 400;
	return 0;
}

/* The unsubscribe page: the confirm button (done 0) or the result. */
static int unsubscribe_page(struct req *r, int status, const char *key,
    int done, int invalid)
{
	struct json_object *d = page_data(r);
	char action[256];

	snprintf(action, sizeof(action), "/e/%s/unsubscribe", r->slug);
	if (d == NULL || jset_str(d, "action", action) ||
	    (key && jset_str(d, "k", key)) || jset_bool(d, "done", done) ||
	    jset_bool(d, "invalid", invalid) ||
	    jset_bool(d, "confirm", !done && !invalid)) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, status, "unsubscribe",
	    page_t(r, "unsubscribe_title"), d);
}

/* GET /e/{slug}/unsubscribe?k=: 200 with the confirm button; 400 (the
 * page says the link is not valid); 404; 503. Changes nothing: mail
 * scanners open links. */
int page_unsubscribe_get(struct req *r)
{
	struct event_info ev;
	char code[CODE_LEN + 1];
	int st = unsubscribe_key(r, &ev, code);

	if (st == 400)
		return unsubscribe_page(r, 400, NULL, 0, 1);
	if (st != 0)
		return st;
	return unsubscribe_page(r, 200, r->in[KEY_LINK].str, 0, 0);
}

/* POST /e/{slug}/unsubscribe?k= (or the button's k): 200 once the
 * address is deleted (again: the same page); 400; 404; 503. */
int page_unsubscribe_post(struct req *r)
{
	struct event_info ev;
	char code[CODE_LEN + 1];
	int st = unsubscribe_key(r, &ev, code);

	if (st == 400)
		return unsubscribe_page(r, 400, NULL, 0, 1);
	if (st != 0)
		return st;
	if ((st = store_invite_unsubscribe(&app.db, ev.id, code,
		 INVITE_EMAIL_KEY)) != 0)
		return st;
	log_msg(r, "follow-up invitations withdrawn");
	return unsubscribe_page(r, 200, NULL, 1, 0);
}

/* POST /admin/e/{slug}/invite (reminder=0|1, _csrf): mails the
 * follow-up's personal links now; 200 with the counts; 409 another run
 * is under way; 422 the event has no follow-up or no relay is set; 404;
 * 503. */
int page_invite_post(struct req *r)
{
	struct event_info ev;
	struct invite_run run = {0};
	struct invite_report rep;
	struct json_object *d;
	char base[2048], counts[3][24], back[160];
	const char *pub = cfg_str(CFG_PUBLIC_URL), *msg = NULL;
	size_t n = strlen(pub);
	enum invite_rc irc;
	int st = event_lookup(&app.db, r->slug, &ev), status = 200;

	if (st != 0)
		return st;
	if (auth_secret() != 0)
		return 503;
	snprintf(base, sizeof(base), "%.*s",
	    (int)(n && pub[n - 1] == '/' ? n - 1 : n), pub);
	run.db = &app.db;
	run.key = app.secret;
	run.def = ev.def;
	run.event_id = ev.id;
	run.slug = r->slug;
	run.kind = r->in[KEY_REMINDER].state == KEY_VALID &&
		r->in[KEY_REMINDER].n == 1 ? INVITE_REMINDER : INVITE_FIRST;
	run.public_url = base;
	run.smtp_url = cfg_str(CFG_SMTP_URL);
	run.from = cfg_str(CFG_SMTP_FROM);
	irc = invite_send(&run, &rep);
	switch (irc) {
	case INVITE_OK:
		log_msg(r, "follow-up %s: %ld sent, %ld failed, %ld invalid",
		    run.kind == INVITE_REMINDER ? "reminders" : "invitations",
		    rep.sent, rep.failed, rep.invalid);
		break;
	case INVITE_NO_SMTP:
		status = 422;
		msg = "invite_no_smtp";
		break;
	case INVITE_NO_FOLLOWUP:
		return 404;
	case INVITE_BUSY:
		return 409;
	case INVITE_DOWN:
		return 503;
	default:
		return 500;
	}
	snprintf(counts[0], sizeof(counts[0]), "%ld", rep.sent);
	snprintf(counts[1], sizeof(counts[1]), "%ld", rep.failed);
	snprintf(counts[2], sizeof(counts[2]), "%ld", rep.invalid);
	snprintf(back, sizeof(back), "/admin/e/%s", r->slug);
	if ((d = page_data(r)) == NULL || page_admin_common(r, d) ||
	    jset_str(d, "back", back) ||
	    (msg && jset_str(d, "error", page_t(r, msg))) ||
	    jset_str(d, "sent", counts[0]) || jset_str(d, "failed", counts[1]) ||
	    jset_str(d, "invalid", counts[2]) || jset_bool(d, "ok", msg == NULL)) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, status, "invite", page_t(r, "invite_title"), d);
}
