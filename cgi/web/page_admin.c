/* page_admin.c: sign-in and sign-out, the events overview, user
 * management. Every state change is CSRF-checked by the route table. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "log.h"
#include "keys.h"
#include "page.h"
#include "pages.h"

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

/* Adds the CSRF token, the user and "admin": true to d. */
int page_admin_common(struct req *r, struct json_object *d)
{
	return jset_str(d, "csrf", r->csrf) || jset_str(d, "user", r->user_name) ||
	    jset_bool(d, "admin", 1) ||
	    jset_bool(d, "is_admin", strcmp(r->user_role, "admin") == 0);
}

/* GET /admin/: the events with live counts, read on the primary (not the
 * analytics replica, which may lag: DESIGN.md "Beyond one machine").
 * 200, 503. */
int page_admin_index(struct req *r)
{
	const char *params[1] = {r->lang};
	struct json_object *d = page_data(r), *list = NULL;
	PGresult *res = db_exec(&app.db, DB_ADMIN_EVENTS, 1, params);
	int status = 500;

	if (res == NULL) {
		status = 503;
		goto out;
	}
	if (!db_ok(res) || d == NULL || (list = json_object_new_array()) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		struct json_object *e = json_object_new_object();
		long pre = atol(PQgetvalue(res, i, 2));
		long issued = atol(PQgetvalue(res, i, 5));
		long answered = atol(PQgetvalue(res, i, 8));
		long att = PQgetisnull(res, i, 9) ? 0 :
		    atol(PQgetvalue(res, i, 9));
		char rate[32] = "";

		/* the pre response rate, against the attendance when it is set
		 * (never against the badge codes printed: attendees may use
		 * their own codes; those are shown as codes used) */
		if (att > 0)
			snprintf(rate, sizeof(rate), "%.0f %%",
			    100.0 * (double)pre / (double)att);
		if (e == NULL || json_object_array_add(list, e) != 0) {
			json_object_put(e);
			goto out;
		}
		if (jset_str(e, "slug", PQgetvalue(res, i, 0)) ||
		    jset_str(e, "title", PQgetvalue(res, i, 1)) ||
		    jset_int(e, "pre", pre) ||
		    jset_int(e, "post", atol(PQgetvalue(res, i, 3))) ||
		    jset_int(e, "paired", atol(PQgetvalue(res, i, 4))) ||
		    jset_int(e, "issued", issued) ||
		    jset_int(e, "answered", answered) ||
		    jset_str(e, "rate", rate) ||
		    jset_bool(e, "has_attendance", att > 0) ||
		    jset_int(e, "attendance", att) ||
		    jset_bool(e, "has_issued", issued > 0) ||
		    jset_bool(e, "pre_open", PQgetvalue(res, i, 6)[0] == 't') ||
		    jset_bool(e, "post_open", PQgetvalue(res, i, 7)[0] == 't'))
			goto out;
	}
	if (json_object_object_add(d, "events", list) != 0)
		goto out;
	list = NULL;
	if (page_admin_common(r, d) != 0)
		goto out;
	PQclear(res);
	return page_render(r, 200, "admin_index", page_t(r, "events"), d);
out:
	json_object_put(list);
	json_object_put(d);
	if (res && !db_ok(res))
		log_msg(r, "admin events: %s", PQresultErrorMessage(res));
	PQclear(res);
	return status;
}

static int users_page(struct req *r, int status, const char *msg_key)
{
	struct json_object *d = page_data(r), *list = NULL;
	PGresult *res = db_exec(&app.db, DB_USERS_LIST, 0, NULL);
	int rc = 500;

	if (res == NULL) {
		rc = 503;
		goto out;
	}
	if (!db_ok(res) || d == NULL || (list = json_object_new_array()) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		struct json_object *u = json_object_new_object();
		if (u == NULL || json_object_array_add(list, u) != 0) {
			json_object_put(u);
			goto out;
		}
		if (jset_str(u, "name", PQgetvalue(res, i, 0)) ||
		    jset_str(u, "role", PQgetvalue(res, i, 1)) ||
		    jset_str(u, "created", PQgetvalue(res, i, 2)) ||
		    jset_bool(u, "self", strcmp(PQgetvalue(res, i, 0),
						r->user_name) == 0))
			goto out;
	}
	if (json_object_object_add(d, "users", list) != 0)
		goto out;
	list = NULL;
	if (page_admin_common(r, d) != 0 ||
	    (msg_key && jset_str(d, status < 400 ? "message" : "error",
			    page_t(r, msg_key))))
		goto out;
	PQclear(res);
	return page_render(r, status, "users", page_t(r, "users"), d);
out:
	json_object_put(list);
	json_object_put(d);
	PQclear(res);
	return rc;
}

/* GET /admin/users (admin): 200, 503. */
int page_users(struct req *r)
{
	return users_page(r, 200, NULL);
}

/* POST /admin/users (admin, CSRF): create a user. 303; 422 (invalid name,
 * role or password, or the name is taken); 503. */
int page_users_add(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */
	const char *role = r->in[KEY_ROLE].str;
	const char *pw = r->in[KEY_PASSWORD].str;
	char hash[crypto_pwhash_STRBYTES];
	const char *params[3];
	PGresult *res;
	int st;

	if (name == NULL || role == NULL || pw == NULL || strlen(pw) < 8)
		return users_page(r, 422, "error_user_invalid");
	if (crypto_pwhash_str(hash, pw, strlen(pw),
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return 500;
	params[0] = name;
	params[1] = hash;
	params[2] = role;
	res = db_exec(&app.db, DB_USER_ADD, 3, params);
	if (res == NULL)
		return 503;
	st = db_ok(res) ? 303 : 422;
	PQclear(res);
	if (st == 422)
		return users_page(r, 422, "error_user_invalid");
	resp_redirect(r, "/admin/users");
	return 303;
}

/* POST /admin/users/delete (admin, CSRF): 303; 422 (yourself); 503. */
int page_users_del(struct req *r)
{
	const char *name = r->in[KEY_USERNAME].str; /* NULL unless valid */
	const char *params[1] = {name};
	PGresult *res;

	if (name == NULL || strcmp(name, r->user_name) == 0)
		return users_page(r, 422, "error_user_invalid");
	res = db_exec(&app.db, DB_USER_DEL, 1, params);
	if (res == NULL)
		return 503;
	PQclear(res);
	resp_redirect(r, "/admin/users");
	return 303;
}
