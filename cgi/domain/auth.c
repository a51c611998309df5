/* auth.c: sessions, bearer tokens, CSRF, sign-in and its rate limits. */
#include "auth.h"

#include <malloc.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "log.h"
#include "token.h"
#include "user.h"

int auth_secret(void)
{
	if (app.have_secret)
		return 0;
	if (store_secret_get(&app.db, app.secret) != STORE_OK)
		return 503;
	app.have_secret = 1;
	return 0;
}

static void fill_user(struct req *r, const struct store_user *u)
{
	r->user_id = u->id;
	snprintf(r->user_name, sizeof(r->user_name), "%s", u->name);
	snprintf(r->user_role, sizeof(r->user_role), "%s", u->role);
}

static int identify_bearer(struct req *r)
{
	const char *h = req_param(r, "HTTP_AUTHORIZATION");
	struct store_user u;
	char hash[65];

	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return 401;
	h += 7;
	while (*h == ' ')
		h++;
	if (strlen(h) != SESSION_TOKEN_LEN)
		return 401;
	token_hash_hex(h, hash);
	switch (store_token_user(&app.db, hash, &u)) {
	case STORE_OK:
		fill_user(r, &u);
		return 0;
	case STORE_DOWN:
		return 503;
	default:
		return 401;
	}
}

/* The session cookie's name for this request (see SESSION_COOKIE_SECURE). */
static const char *session_cookie(const struct req *r)
{
	return r->https ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
}

int auth_identify(struct req *r, int api)
{
	const char *tok = kvlist_get(&r->cookies, session_cookie(r));
	char hash[65];
	struct store_user u;
	int status = 401;

	if (auth_secret() != 0)
		return 503;
	if (tok && strlen(tok) == SESSION_TOKEN_LEN) {
		token_hash_hex(tok, hash);
		switch (store_session_touch(&app.db, hash, &u)) {
		case STORE_OK:
			fill_user(r, &u);
			token_mac_hex(app.secret, "csrf", tok, r->csrf);
			status = 0;
			break;
		case STORE_DOWN:
			return 503;
		default:
			break;
		}
	}
	if (status == 401 && api)
		status = identify_bearer(r);
	return status;
}

int auth_csrf_ok(const struct req *r)
{
	const char *f = kvlist_get(&r->form, "_csrf");

	return f && r->csrf[0] && token_equal(f, r->csrf);
}

int auth_login_csrf(struct req *r, char out[65])
{
	const char *c = kvlist_get(&r->cookies, LOGIN_COOKIE);
	char fresh[SESSION_TOKEN_LEN + 1];

	if (auth_secret() != 0)
		return 503;
	if (c == NULL || strlen(c) != SESSION_TOKEN_LEN) {
		token_random(fresh);
		resp_cookie(r, LOGIN_COOKIE, fresh,
		    "Path=/admin/; HttpOnly; SameSite=Strict; Max-Age=86400");
		c = fresh;
	}
	token_mac_hex(app.secret, "login", c, out);
	return 0;
}

int auth_login_csrf_ok(const struct req *r)
{
	const char *c = kvlist_get(&r->cookies, LOGIN_COOKIE);
	const char *f = kvlist_get(&r->form, "_csrf");
	char want[65];

	if (c == NULL || f == NULL || strlen(c) != SESSION_TOKEN_LEN ||
	    auth_secret() != 0)
		return 0;
	token_mac_hex(app.secret, "login", c, want);
	return token_equal(f, want);
}

/* The two rate-limit keys of a sign-in: the account (whatever the address:
 * guesses spread over addresses still count) and the client. Each is an
 * HMAC under app_secret, so the stored key is never an address; its rows
 * are deleted when their window has passed. */
static void limit_keys(const struct req *r, const char *name,
    char acct[65], char client[65])
{
	char msg[512];
	const char *addr = r->remote_addr ? r->remote_addr : "-";

	snprintf(msg, sizeof(msg), "%s", name);
	token_mac_hex(app.secret, "rate-account", msg, acct);
	snprintf(msg, sizeof(msg), "%s", addr);
	token_mac_hex(app.secret, "rate-client", msg, client);
}

/* The code-guessing key of this client for this event. */
static void guess_key(const struct req *r, char key[65])
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s|%s", r->slug,
	    r->remote_addr ? r->remote_addr : "-");
	token_mac_hex(app.secret, "rate-code", msg, key);
}

/* Checks (take false) or takes (true) one of this client's code guesses:
 * 0, 429 (*retry_after set) or 503. */
static int code_guess(const struct req *r, bool take, int *retry_after)
{
	char key[65];
	int wait = 0;

	if (auth_secret() != 0)
		return 503;
	guess_key(r, key);
	if (store_rate(&app.db, take, key, CODE_GUESS_MAX, CODE_GUESS_WINDOW,
		&wait) != STORE_OK) {
		log_msg(r, "code guesses: %s", store_error(&app.db));
		return 503;
	}
	if (wait > 0 && retry_after)
		*retry_after = wait;
	return wait > 0 ? 429 : 0;
}

int auth_code_guess_check(const struct req *r, int *retry_after)
{
	return code_guess(r, false, retry_after);
}

int auth_code_guess_unknown(const struct req *r, int *retry_after)
{
	return code_guess(r, true, retry_after);
}

int auth_code_guess_failed(const struct req *r)
{
	int retry = 0, st = code_guess(r, true, &retry);

	return st == 503 ? 503 : 0;
}

/* A dummy hash verified for unknown names, so that timing does not tell
 * whether an account exists. */
static char dummy_hash[crypto_pwhash_STRBYTES];

static int verify(const char *hash, const char *password)
{
	int ok;

	if (hash == NULL) {
		if (dummy_hash[0] == '\0' &&
		    crypto_pwhash_str(dummy_hash, "not a password", 14,
			crypto_pwhash_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return 0;
		hash = dummy_hash;
	}
	ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	/* argon2 took 64 MiB: give it back to the system now */
	malloc_trim(0);
	return ok;
}

int auth_login(struct req *r, const char *name, const char *password,
    int *retry_after)
{
	static const struct store_login_limits limits = {LOGIN_MAX_PER_CLIENT,
	    LOGIN_WINDOW_SECONDS, LOGIN_MAX_PER_ACCOUNT, LOGIN_BACKOFF_BASE,
	    LOGIN_BACKOFF_CAP};
	char acct[65], client[65], tok[SESSION_TOKEN_LEN + 1], hash[65];
	char stored[256];
	long long uid = 0;
	enum store_rc rc;
	int status = 503, wait = 0;

	if (auth_secret() != 0)
		return 503;
	limit_keys(r, name, acct, client);
	/* check and count in one statement, before argon2: N parallel
	 * attempts let exactly the allowed number through */
	if ((rc = store_login_take(&app.db, acct, client, &limits, &wait)) !=
	    STORE_OK)
		goto out;
	if (wait > 0) {
		*retry_after = wait;
		status = 429;
		goto out;
	}
	rc = store_user_password(&app.db, name, &uid, stored, sizeof(stored));
	if (rc != STORE_OK && rc != STORE_NONE)
		goto out;
	if (!verify(rc == STORE_OK ? stored : NULL, password)) {
		/* the failure was counted in advance */
		status = 401;
		goto out;
	}
	token_random(tok);
	token_hash_hex(tok, hash);
	if ((rc = store_session_create(&app.db, hash, uid, acct,
		 SESSION_MAX_PER_USER - 1)) != STORE_OK)
		goto out;
	resp_cookie(r, session_cookie(r), tok,
	    "Path=/; HttpOnly; SameSite=Strict");
	/* the login CSRF cookie has done its job */
	resp_cookie(r, LOGIN_COOKIE, "x", "Path=/admin/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	status = 0;
out:
	if (status == 503 && rc != STORE_DOWN)
		log_msg(r, "sign-in: %s", store_error(&app.db));
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(stored, sizeof(stored));
	return status;
}

int auth_logout(struct req *r)
{
	const char *tok = kvlist_get(&r->cookies, session_cookie(r));
	char hash[65];

	if (tok) {
		token_hash_hex(tok, hash);
		if (store_session_delete(&app.db, hash) == STORE_DOWN)
			return 503;
	}
	resp_cookie(r, session_cookie(r), "x", "Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	return 0;
}

int auth_event_visible(struct req *r, const char *slug)
{
	bool sees = false;
	enum store_rc rc;

	if (strcmp(r->user_role, "admin") == 0)
		return 0; /* the handler says 404 for an unknown event */
	rc = store_user_sees_event(&app.db, r->user_id, slug, &sees);
	if (rc == STORE_OK)
		return sees ? 0 : 404;
	if (rc == STORE_DOWN)
		return 503;
	log_msg(r, "scope: %s", store_error(&app.db));
	return 500;
}

int auth_can_manage(const struct req *r)
{
	return strcmp(r->user_role, "admin") == 0 ||
	    strcmp(r->user_role, "organiser") == 0;
}

int auth_password_change(struct req *r, const char *current,
    const char *password, int *retry_after)
{
	static const struct store_login_limits limits = {LOGIN_MAX_PER_CLIENT,
	    LOGIN_WINDOW_SECONDS, LOGIN_MAX_PER_ACCOUNT, LOGIN_BACKOFF_BASE,
	    LOGIN_BACKOFF_CAP};
	char acct[65], client[65], tok[SESSION_TOKEN_LEN + 1], hash[65];
	char stored[256];
	long long uid = 0;
	enum store_rc rc = STORE_OK;
	enum user_rc urc;
	int status = 503, wait = 0;

	tok[0] = '\0';
	stored[0] = '\0';
	if (auth_secret() != 0)
		return 503;
	if (current == NULL || !user_password_valid(password))
		return current == NULL ? 401 : 422;
	/* the same account limits as signing in: a stolen session cannot
	 * guess the password faster than the sign-in form */
	limit_keys(r, r->user_name, acct, client);
	if ((rc = store_login_take(&app.db, acct, client, &limits, &wait)) !=
	    STORE_OK)
		goto out;
	if (wait > 0) {
		*retry_after = wait;
		status = 429;
		goto out;
	}
	rc = store_user_password(&app.db, r->user_name, &uid, stored,
	    sizeof(stored));
	if (rc != STORE_OK && rc != STORE_NONE)
		goto out;
	if (!verify(rc == STORE_OK ? stored : NULL, current) ||
	    uid != r->user_id) {
		status = 401;
		goto out;
	}
	/* ends every session of the account, and its API tokens (trigger of
	 * schema/014) */
	urc = user_passwd(&app.db, r->user_name, password);
	if (urc != USER_OK) {
		rc = urc == USER_DOWN ? STORE_DOWN : STORE_FAILED;
		status = urc == USER_DOWN ? 503 : 500;
		goto out;
	}
	token_random(tok);
	token_hash_hex(tok, hash);
	if ((rc = store_session_create(&app.db, hash, uid, acct,
		 SESSION_MAX_PER_USER - 1)) != STORE_OK)
		goto out;
	resp_cookie(r, session_cookie(r), tok,
	    "Path=/; HttpOnly; SameSite=Strict");
	/* the page shown next carries the new session's CSRF token */
	token_mac_hex(app.secret, "csrf", tok, r->csrf);
	status = 0;
out:
	if (status >= 500 && rc != STORE_DOWN)
		log_msg(r, "password change: %s", store_error(&app.db));
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(stored, sizeof(stored));
	return status;
}
