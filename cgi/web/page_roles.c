/* page_roles.c: what issue 20 adds to the console beside event set-up:
 * a user's role and scope (admins), one's own password (everyone), the
 * audit log (admins and organisers), archiving an event (admins), and
 * erasing a participant by code (admins and the event's organisers).
 * Every change is CSRF-checked by the route table and audited here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "codes.h"
#include "event.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "user.h"

/* The most entries the audit page shows (newest first). */
#define AUDIT_PAGE_MAX 500

int page_audit(struct req *r, const char *slug, const char *action,
    struct json_object *detail)
{
	int rc = audit_record(&app.db, r->user_name, slug, action, detail);

	if (rc != 0)
		log_msg(r, "audit %s not recorded: %s", action,
		    store_error(&app.db));
	json_object_put(detail);
	return rc;
}

/* A new object with "name": name (for the audit's detail), or NULL. */
static struct json_object *detail_name(const char *name)
{
	struct json_object *d = json_object_new_object();

	if (d && jset_str(d, "name", name)) {
		json_object_put(d);
		return NULL;
	}
	return d;
}

/* POST /admin/users/access (admin, CSRF): a user's role and scope
 * (`role`, `events`: "*", "a,b" or empty for none). 303 to the users
 * page; 422 (no such user, bad role or scope, an unknown event: nothing
 * changed; one's own role stays admin); 503. */
int page_users_access(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */
	const char *role = r->in[KEY_ROLE].str;
	const struct kval *sc = &r->in[KEY_SCOPE];
	char array[USER_SCOPE_MAX + 8], unknown[256];
	char text[USER_SCOPE_MAX + 8];
	struct json_object *d;
	bool all;
	enum user_rc rc;

	if (name == NULL || role == NULL || sc->state != KEY_VALID ||
	    user_scope_parse(sc->str, &all, array, sizeof(array)) != 0)
		return page_users_render(r, 422, "error_scope_invalid");
	/* an admin cannot take their own admin role away (nor lock the
	 * console out of its last admin by mistake) */
	if (strcmp(name, r->user_name) == 0 && strcmp(role, "admin") != 0)
		return page_users_render(r, 422, "error_user_invalid");
	/* the scope first: it refuses unknown events without changing
	 * anything, and then the role cannot fail but for the database */
	rc = user_scope_set(&app.db, name, sc->str, unknown, sizeof(unknown));
	if (rc == USER_OK)
		rc = user_role_set(&app.db, name, role);
	switch (rc) {
	case USER_OK:
		break;
	case USER_DOWN:
		return 503;
	case USER_NO_EVENT:
		return page_users_render(r, 422, "error_scope_unknown");
	case USER_NONE:
		return page_users_render(r, 422, "error_user_invalid");
	case USER_INVALID:
		return page_users_render(r, 422, "error_scope_invalid");
	default:
		log_msg(r, "user access: %s", store_error(&app.db));
		return 500;
	}
	if ((d = detail_name(name)) && jset_str(d, "role", role)) {
		json_object_put(d);
		d = NULL;
	}
	page_audit(r, NULL, "user.role", d);
	user_scope_text(all, array, text, sizeof(text));
	if ((d = detail_name(name)) && jset_str(d, "events", text)) {
		json_object_put(d);
		d = NULL;
	}
	page_audit(r, NULL, "user.events", d);
	resp_redirect(r, "/admin/users");
	return 303;
}

/* The password page with status and a message (i18n key or NULL; an
 * error when status >= 400). */
static int password_page(struct req *r, int status, const char *msg_key)
{
	struct json_object *d = page_data(r);

	if (d == NULL || page_admin_common(r, d) ||
	    jset_int(d, "min", USER_PASSWORD_MIN) ||
	    jset_int(d, "max", USER_PASSWORD_MAX) ||
	    (msg_key && jset_str(d, status < 400 ? "message" : "error",
		page_t(r, msg_key)))) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, status, "password", page_t(r, "password_change"),
	    d);
}

/* GET /admin/password (any signed-in user): 200. */
int page_password_get(struct req *r)
{
	return password_page(r, 200, NULL);
}

/* POST /admin/password (CSRF): `current_password`, `password` (the new
 * one). 200 with the page saying it changed (every other session and
 * every API token of the account ended; this browser stays signed in);
 * 401 (current password wrong); 422 (new one too short or too long);
 * 429 (+ Retry-After: the account's sign-in limits); 503. */
int page_password_post(struct req *r)
{
	const char *cur = r->in[KEY_CURRENT_PASSWORD].str;
	const char *pw = r->in[KEY_PASSWORD].str;
	int retry = 0, st;
	char ra[16];

	st = auth_password_change(r, cur, pw, &retry);
	switch (st) {
	case 0:
		page_audit(r, NULL, "user.password", detail_name(r->user_name));
		return password_page(r, 200, "password_changed");
	case 401:
		return password_page(r, 401, "error_password_current");
	case 422:
		return password_page(r, 422, "password_rule");
	case 429:
		snprintf(ra, sizeof(ra), "%d", retry);
		resp_header(&r->resp, "Retry-After", ra);
		return password_page(r, 429, "error_too_many_attempts");
	default:
		return st;
	}
}

/* Adds one entry to the audit page's list. */
static int audit_row(void *ctx, const struct store_audit_row *a)
{
	struct json_object *list = ctx, *e = json_object_new_object();

	if (e == NULL || json_object_array_add(list, e) != 0) {
		json_object_put(e);
		return -1;
	}
	return jset_str(e, "at", a->at) || jset_str(e, "actor", a->actor) ||
	    jset_str(e, "event", a->event) ||
	    jset_bool(e, "has_event", a->event[0] != '\0') ||
	    jset_str(e, "action", a->action) ||
	    jset_str(e, "detail", a->detail);
}

/* GET /admin/audit[?event=SLUG] (admins: every entry; organisers: the
 * entries of the events they see, none about accounts): the newest
 * AUDIT_PAGE_MAX entries. 200; 404 (an expert: the log is not theirs to
 * know of; an event outside the scope); 400 (event not one slug); 503. */
int page_audit_log(struct req *r)
{
	const struct kval *ev = &r->in[KEY_AUDIT_EVENT];
	const char *slug = ev->state == KEY_VALID ? ev->str : "";
	struct json_object *d = NULL, *list = NULL;
	enum store_rc rc = STORE_FAILED;
	int st;

	if (!auth_can_manage(r))
		return 404;
	if (ev->state == KEY_INVALID || strchr(slug, ',') != NULL)
		return 400;
	if (slug[0] && (st = auth_event_visible(r, slug)) != 0)
		return st;
	if ((d = page_data(r)) == NULL ||
	    (list = json_object_new_array()) == NULL)
		goto out;
	rc = store_audit_list(&app.db, r->user_id, slug, "", AUDIT_PAGE_MAX,
	    audit_row, list);
	if (rc != STORE_OK)
		goto out;
	if (json_object_object_add(d, "entries", list) != 0)
		goto out;
	list = NULL;
	if (page_admin_common(r, d) || jset_str(d, "event", slug) ||
	    jset_bool(d, "filtered", slug[0] != '\0') ||
	    jset_int(d, "max", AUDIT_PAGE_MAX))
		goto out;
	return page_render(r, 200, "audit", page_t(r, "audit_log"), d);
out:
	json_object_put(list);
	json_object_put(d);
	if (rc == STORE_FAILED)
		log_msg(r, "audit log: %s", store_error(&app.db));
	return rc == STORE_DOWN ? 503 : 500;
}

/* POST /admin/e/{slug}/archive (admin, CSRF; `confirm=1`): hides the event
 * from every list and from everyone but admins (who still reach it by its
 * URL); its data stay. 303 to the events; 422 without the confirmation;
 * 404; 503. */
int page_archive(struct req *r)
{
	struct event_info ev;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if (r->in[KEY_CONFIRM].state != KEY_VALID || r->in[KEY_CONFIRM].n != 1)
		return page_error_text(r, 422, "archive_confirm_missing");
	switch (store_event_archive(&app.db, r->slug)) {
	case STORE_OK:
		break;
	case STORE_NONE:
		return 404;
	case STORE_DOWN:
		return 503;
	default:
		log_msg(r, "archive: %s", store_error(&app.db));
		return 500;
	}
	page_audit(r, r->slug, "event.archive", NULL);
	resp_redirect(r, "/admin/");
	return 303;
}

/* The erasure page: the code form, or (code given, confirm false) the
 * confirmation of what will be erased, or the message once erased. */
struct erase_view {
	const char *code;     /* XXXX-XXXX, or NULL for the first step */
	bool pre, post;       /* what that participant answered */
	const char *msg_key;  /* a message, or NULL */
	const char *typed;    /* what was typed (kept on an error) */
};

static int erase_page(struct req *r, int status, const struct erase_view *v)
{
	struct event_info ev;
	struct json_object *d;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	d = page_data(r);
	if (d == NULL || page_admin_common(r, d) ||
	    jset_str(d, "slug", r->slug) ||
	    jset_str(d, "event_title", qdef_text(ev.def, ev.def->title,
		ev.def->default_language)) ||
	    jset_str(d, "typed", v->typed ? v->typed : "") ||
	    (v->code && (jset_str(d, "code", v->code) ||
		jset_bool(d, "confirm", 1) || jset_bool(d, "pre", v->pre) ||
		jset_bool(d, "post", v->post) ||
		jset_bool(d, "nothing", !v->pre && !v->post))) ||
	    (v->msg_key && jset_str(d, status < 400 ? "message" : "error",
		page_t(r, v->msg_key)))) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, status, "erase", page_t(r, "erase_title"), d);
}

/* GET /admin/e/{slug}/erase (admin or the event's organiser): the form
 * asking for the participant's code. 200; 404; 503. */
int page_erase_get(struct req *r)
{
	struct erase_view v = {0};

	return erase_page(r, 200, &v);
}

/* POST /admin/e/{slug}/erase (CSRF; `code`, `confirm`): without
 * confirm=1, the confirmation page (what that participant answered);
 * with it, every answer of the participant is deleted (the right to
 * erasure, as `enquetectl participant erase`) and audited. 200; 422 (not
 * a code, or no such participant in this event); 404; 503. */
int page_erase_post(struct req *r)
{
	const struct kval *code = &r->in[KEY_ERASE_CODE];
	struct erase_view v = {0};
	struct event_info ev;
	char shown[CODE_LEN + 2], typed[32];
	struct json_object *d;
	bool pre = false, post = false;
	enum store_rc rc;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	snprintf(typed, sizeof(typed), "%s",
	    code->raw && code->raw_len < sizeof(typed) &&
		utf8_valid(code->raw, code->raw_len) ? code->raw : "");
	v.typed = typed;
	if (code->state != KEY_VALID) {
		v.msg_key = "error_erase_code";
		return erase_page(r, 422, &v);
	}
	code_format(code->str, shown);
	rc = store_code_exists(&app.db, ev.id, code->str);
	if (rc == STORE_OK)
		rc = store_landing_answered(&app.db, ev.id, code->str, &pre,
		    &post);
	if (rc == STORE_DOWN)
		return 503;
	if (rc == STORE_NONE) {
		v.msg_key = "error_erase_unknown";
		return erase_page(r, 422, &v);
	}
	if (rc != STORE_OK) {
		log_msg(r, "erase: %s", store_error(&app.db));
		return 500;
	}
	if (r->in[KEY_CONFIRM].state != KEY_VALID ||
	    r->in[KEY_CONFIRM].n != 1) {
		v.code = shown;
		v.pre = pre;
		v.post = post;
		return erase_page(r, 200, &v);
	}
	/* answers, history, contacts and statistics follow by cascade and
	 * triggers, in one transaction */
	rc = store_participant_erase(&app.db, r->slug, code->str);
	if (rc == STORE_DOWN)
		return 503;
	if (rc == STORE_NONE) {
		v.msg_key = "error_erase_unknown";
		return erase_page(r, 422, &v);
	}
	if (rc != STORE_OK) {
		log_msg(r, "erase: %s", store_error(&app.db));
		return 500;
	}
	d = json_object_new_object();
	if (d && (jset_str(d, "code", shown) || jset_bool(d, "pre", pre) ||
		jset_bool(d, "post", post))) {
		json_object_put(d);
		d = NULL;
	}
	page_audit(r, r->slug, "participant.erase", d);
	v.typed = "";
	v.msg_key = "erase_done";
	return erase_page(r, 200, &v);
}
