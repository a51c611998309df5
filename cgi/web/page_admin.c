/* page_admin.c: sign-in and sign-out, the events overview, user
 * management. Every state change is CSRF-checked by the route table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "log.h"
#include "keys.h"
#include "page.h"
#include "pages.h"
#include "user.h"

/* the bounds of names and passwords are the keys table's (keys.c) */

/* Only local admin and API paths are followed after sign-in. */
static const char *safe_next(const char *next)
{
	if (next == NULL || strlen(next) > 1024 ||
	    (strncmp(next, "/admin/", 7) != 0 && strcmp(next, "/admin") != 0 &&
		strncmp(next, "/api/", 5) != 0) ||
	    strpbrk(next, "\r\n\\") != NULL || strstr(next, "//") != NULL)
		return "/admin/";
	return next;
}

static int login_form(struct req *r, int status, const char *error_key,
    const char *username)
{
	struct json_object *d = page_data(r);
	char csrf[65];

	if (auth_login_csrf(r, csrf) != 0) {
		json_object_put(d);
		return 503;
	}
	if (d == NULL || jset_str(d, "csrf", csrf) ||
	    jset_str(d, "next", safe_next(r->in[KEY_NEXT].state != KEY_ABSENT ?
			r->in[KEY_NEXT].str : r->in[KEY_NEXT_FORM].str)) ||
	    jset_str(d, "username", username) ||
	    (error_key && jset_str(d, "error", page_t(r, error_key)))) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, status, "login", page_t(r, "sign_in"), d);
}

/* GET /admin/login: 200, 503. */
int page_login_get(struct req *r)
{
	return login_form(r, 200, NULL, "");
}

/* POST /admin/login: 303 on success; 401 (wrong name or password, the
 * same message for both), 403 (CSRF), 429 (+ Retry-After), 503. */
int page_login_post(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */
	const char *pw = r->in[KEY_PASSWORD].str;
	int retry = 0, st;
	char ra[16];

	if (!auth_login_csrf_ok(r))
		return 403;
	if (name == NULL || pw == NULL) /* absent, empty, too long, not UTF-8 */
		return login_form(r, 401, "error_wrong_credentials", "");
	st = auth_login(r, name, pw, &retry);
	if (st == 0)
		return resp_redirect(r, safe_next(r->in[KEY_NEXT_FORM].str)) ? 500 : 303;
	if (st == 429) {
		snprintf(ra, sizeof(ra), "%d", retry);
		resp_header(&r->resp, "Retry-After", ra);
		log_msg(r, "sign-in locked for a client (keyed)");
		return login_form(r, 429, "error_too_many_attempts", name);
	}
	if (st == 401)
		return login_form(r, 401, "error_wrong_credentials", name);
	return st;
}

/* POST /admin/logout: 303 to the sign-in page; 403 (CSRF), 503. */
int page_logout(struct req *r)
{
	int st = auth_logout(r);

	if (st != 0)
		return st;
	resp_redirect(r, "/admin/login");
	return 303;
}

/* Adds the CSRF token, the user, "admin": true, "is_admin" and
 * "can_manage" (an admin or an organiser: the console's links) to d. */
int page_admin_common(struct req *r, struct json_object *d)
{
	return jset_str(d, "csrf", r->csrf) || jset_str(d, "user", r->user_name) ||
	    jset_bool(d, "admin", 1) ||
	    jset_bool(d, "is_admin", strcmp(r->user_role, "admin") == 0) ||
	    jset_bool(d, "can_manage", auth_can_manage(r));
}

/* Adds one event of the overview to the array ctx. */
static int admin_event_row(void *ctx, const struct store_admin_event *ev)
{
	struct json_object *list = ctx, *e = json_object_new_object();
	char rate[32] = "";

	/* the pre response rate, against the attendance when it is set
	 * (never against the badge codes printed: attendees may use
	 * their own codes; those are shown as codes used) */
	if (ev->attendance > 0)
		snprintf(rate, sizeof(rate), "%.0f %%",
		    100.0 * (double)ev->pre / (double)ev->attendance);
	if (e == NULL || json_object_array_add(list, e) != 0) {
		json_object_put(e);
		return -1;
	}
	return jset_str(e, "slug", ev->slug) ||
	    jset_str(e, "title", ev->title) ||
	    jset_int(e, "pre", ev->pre) ||
	    jset_int(e, "post", ev->post) ||
	    jset_int(e, "paired", ev->paired) ||
	    jset_int(e, "issued", ev->issued) ||
	    jset_int(e, "answered", ev->answered) ||
	    jset_str(e, "rate", rate) ||
	    jset_bool(e, "has_attendance", ev->attendance > 0) ||
	    jset_int(e, "attendance", ev->attendance) ||
	    jset_bool(e, "has_issued", ev->issued > 0) ||
	    jset_bool(e, "pre_open", ev->pre_open) ||
	    jset_bool(e, "post_open", ev->post_open);
}

/* GET /admin/: the events with live counts, read on the primary (not the
 * analytics replica, which may lag: DESIGN.md "Beyond one machine").
 * 200, 503. */
int page_admin_index(struct req *r)
{
	struct json_object *d = page_data(r), *list = json_object_new_array();
	enum store_rc rc = STORE_FAILED;

	if (d == NULL || list == NULL)
		goto out;
	/* the events in the user's scope, archived ones left out */
	rc = store_admin_events(&app.db, r->lang, r->user_id, admin_event_row,
	    list);
	if (rc != STORE_OK)
		goto out;
	if (json_object_object_add(d, "events", list) != 0)
		goto out;
	list = NULL;
	if (page_admin_common(r, d) != 0)
		goto out;
	return page_render(r, 200, "admin_index", page_t(r, "events"), d);
out:
	json_object_put(list);
	json_object_put(d);
	if (rc == STORE_FAILED)
		log_msg(r, "admin events: %s", store_error(&app.db));
	return rc == STORE_DOWN ? 503 : 500;
}

/* Adds one user to the users page's list. */
struct users_ctx {
	struct json_object *list;
	const char *self;
};

static int user_row(void *ctx, const struct store_user_row *row)
{
	struct users_ctx *c = ctx;
	struct json_object *u = json_object_new_object();

	if (u == NULL || json_object_array_add(c->list, u) != 0) {
		json_object_put(u);
		return -1;
	}
	return jset_str(u, "name", row->name) ||
	    jset_str(u, "role", row->role) ||
	    jset_bool(u, "is_expert", strcmp(row->role, "expert") == 0) ||
	    jset_bool(u, "is_organiser", strcmp(row->role, "organiser") == 0) ||
	    jset_bool(u, "is_admin", strcmp(row->role, "admin") == 0) ||
	    jset_str(u, "events", row->all_events ? "*" : row->events) ||
	    jset_str(u, "created", row->created) ||
	    jset_bool(u, "self", strcmp(row->name, c->self) == 0);
}

int page_users_render(struct req *r, int status, const char *msg_key)
{
	struct json_object *d = page_data(r), *list = json_object_new_array();
	struct users_ctx c = {list, r->user_name};
	enum user_rc rc = USER_FAILED;

	if (d == NULL || list == NULL)
		goto out;
	if ((rc = user_list(&app.db, user_row, &c)) != USER_OK)
		goto out;
	if (json_object_object_add(d, "users", list) != 0)
		goto out;
	list = NULL;
	if (page_admin_common(r, d) != 0 ||
	    (msg_key && jset_str(d, status < 400 ? "message" : "error",
			    page_t(r, msg_key))))
		goto out;
	return page_render(r, status, "users", page_t(r, "users"), d);
out:
	json_object_put(list);
	json_object_put(d);
	return rc == USER_DOWN ? 503 : 500;
}

/* GET /admin/users (admin): 200, 503. */
int page_users(struct req *r)
{
	return page_users_render(r, 200, NULL);
}

/* POST /admin/users (admin, CSRF): create a user with its role and
 * scope (`events`: "*", "a,b" or empty for none; absent: "*" for an
 * expert, none otherwise, as `enquetectl user add`). 303; 422 (invalid
 * name, role, password or scope, an unknown event, or the name is taken:
 * nothing created); 503. */
int page_users_add(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */
	const char *role = r->in[KEY_ROLE].str;
	const char *pw = r->in[KEY_PASSWORD].str;
	const struct kval *sc = &r->in[KEY_SCOPE];
	const char *scope = sc->state == KEY_VALID ? sc->str
	    : sc->state == KEY_ABSENT && role && strcmp(role, "expert") == 0
	    ? "*" : "";
	char array[USER_SCOPE_MAX + 8], text[USER_SCOPE_MAX + 8];
	bool all;
	struct json_object *d;
	enum user_rc rc;

	if (sc->state == KEY_INVALID ||
	    user_scope_parse(scope, &all, array, sizeof(array)) != 0)
		return page_users_render(r, 422, "error_scope_invalid");
	/* user_add refuses a missing name, role or password (USER_INVALID) */
	switch (user_add(&app.db, name, pw, role)) {
	case USER_OK:
		break;
	case USER_DOWN:
		return 503;
	case USER_NOMEM:
		return 500;
	default:
		return page_users_render(r, 422, "error_user_invalid");
	}
	rc = user_scope_set(&app.db, name, scope, NULL, 0);
	if (rc != USER_OK) {
		/* nothing created: the account goes again */
		if (user_delete(&app.db, name) != USER_OK)
			log_msg(r, "user %s left without events", name);
		if (rc == USER_DOWN)
			return 503;
		return page_users_render(r, 422, rc == USER_NO_EVENT ?
		    "error_scope_unknown" : "error_scope_invalid");
	}
	user_scope_text(all, array, text, sizeof(text));
	d = json_object_new_object();
	if (d && (jset_str(d, "name", name) || jset_str(d, "role", role) ||
		jset_str(d, "events", text)))
		log_msg(r, "audit: out of memory");
	page_audit(r, NULL, "user.add", d);
	resp_redirect(r, "/admin/users");
	return 303;
}

/* POST /admin/users/delete (admin, CSRF): 303; 422 (yourself); 503. */
int page_users_del(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */

	if (name == NULL || strcmp(name, r->user_name) == 0)
		return page_users_render(r, 422, "error_user_invalid");
	switch (user_delete(&app.db, name)) {
	case USER_DOWN:
		return 503;
	case USER_OK: {
		struct json_object *d = json_object_new_object();
		if (d && jset_str(d, "name", name))
			log_msg(r, "audit: out of memory");
		page_audit(r, NULL, "user.delete", d);
		break;
	}
	default:
		break;
	}
	resp_redirect(r, "/admin/users");
	return 303;
}
