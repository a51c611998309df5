/* auth.c: sessions, bearer tokens, CSRF, sign-in and its rate limits. */
#include "auth.h"

#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "log.h"
#include "token.h"

int auth_secret(void)
{
	PGresult *res;
	size_t len = 0;
	const char *v;

	if (app.have_secret)
		return 0;
	res = db_exec(&app.db, DB_SECRET_GET, 0, NULL);
	if (res == NULL)
		return 503;
	if (!db_ok(res) || PQntuples(res) != 1) {
		log_msg(NULL, "app_secret missing: run enquetectl migrate");
		PQclear(res);
		return 503;
	}
	v = PQgetvalue(res, 0, 0); /* bytea in hex output: \x followed by 64 hex */
	if (strncmp(v, "\\x", 2) != 0 ||
	    sodium_hex2bin(app.secret, sizeof(app.secret), v + 2, strlen(v + 2),
		NULL, &len, NULL) != 0 ||
	    len != sizeof(app.secret)) {
		log_msg(NULL, "app_secret malformed");
		PQclear(res);
		return 503;
	}
	PQclear(res);
	app.have_secret = 1;
	return 0;
}

static int fill_user(struct req *r, PGresult *res)
{
	r->user_id = atoll(PQgetvalue(res, 0, 0));
	snprintf(r->user_name, sizeof(r->user_name), "%s",
	    PQgetvalue(res, 0, 1));
	snprintf(r->user_role, sizeof(r->user_role), "%s",
	    PQgetvalue(res, 0, 2));
	return 0;
}

static int identify_bearer(struct req *r)
{
	const char *h = req_param(r, "HTTP_AUTHORIZATION");
	char hash[65];
	const char *params[1] = {hash};
	PGresult *res;
	int status = 401;

	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return 401;
	h += 7;
	while (*h == ' ')
		h++;
	if (strlen(h) != SESSION_TOKEN_LEN)
		return 401;
	token_hash_hex(h, hash);
	res = db_exec(&app.db, DB_TOKEN_USER, 1, params);
	if (res == NULL)
		return 503;
	if (db_ok(res) && PQntuples(res) == 1)
		status = fill_user(r, res);
	PQclear(res);
	return status;
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
	const char *params[1] = {hash};
	PGresult *res;
	int status = 401;

	if (auth_secret() != 0)
		return 503;
	if (tok && strlen(tok) == SESSION_TOKEN_LEN) {
		token_hash_hex(tok, hash);
		res = db_exec(&app.db, DB_SESSION_TOUCH, 1, params);
		if (res == NULL)
			return 503;
		if (db_ok(res) && PQntuples(res) == 1) {
			status = fill_user(r, res);
			token_mac_hex(app.secret, "csrf", tok, r->csrf);
		}
		PQclear(res);
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

/* Runs RATE_CHECK or RATE_TAKE for this client's code-guess key: 0, 429
 * (*retry_after set) or 503. */
static int code_guess(const struct req *r, enum db_stmt stmt,
    int *retry_after)
{
	char key[65], max[16], win[16];
	const char *params[3] = {key, max, win};
	PGresult *res;
	int st, wait;

	if (auth_secret() != 0)
		return 503;
	guess_key(r, key);
	snprintf(max, sizeof(max), "%d", CODE_GUESS_MAX);
	snprintf(win, sizeof(win), "%d", CODE_GUESS_WINDOW);
	res = db_exec(&app.db, stmt, 3, params);
	if (res == NULL || !db_ok(res) || PQntuples(res) != 1) {
		if (res)
			log_msg(r, "code guesses: %s", PQresultErrorMessage(res));
		st = 503;
	} else {
		wait = atoi(PQgetvalue(res, 0, 0));
		if (wait > 0 && retry_after)
			*retry_after = wait;
		st = wait > 0 ? 429 : 0;
	}
	PQclear(res);
	return st;
}

int auth_code_guess_check(const struct req *r, int *retry_after)
{
	return code_guess(r, DB_RATE_CHECK, retry_after);
}

int auth_code_guess_unknown(const struct req *r, int *retry_after)
{
	return code_guess(r, DB_RATE_TAKE, retry_after);
}

int auth_code_guess_failed(const struct req *r)
{
	int retry = 0, st = code_guess(r, DB_RATE_TAKE, &retry);

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
	char acct[65], client[65], tok[SESSION_TOKEN_LEN + 1], hash[65];
	char nums[4][16], cap[16];
	const char *params[7];
	PGresult *res = NULL;
	const char *stored = NULL;
	int status = 503, ok, wait;

	if (auth_secret() != 0)
		return 503;
	limit_keys(r, name, acct, client);
	/* check and count in one statement, before argon2: N parallel
	 * attempts let exactly the allowed number through */
	snprintf(nums[0], sizeof(nums[0]), "%d", LOGIN_MAX_PER_CLIENT);
	snprintf(nums[1], sizeof(nums[1]), "%d", LOGIN_WINDOW_SECONDS);
	snprintf(nums[2], sizeof(nums[2]), "%d", LOGIN_MAX_PER_ACCOUNT);
	snprintf(nums[3], sizeof(nums[3]), "%d", LOGIN_BACKOFF_BASE);
	snprintf(cap, sizeof(cap), "%d", LOGIN_BACKOFF_CAP);
	params[0] = acct;
	params[1] = client;
	params[2] = nums[0];
	params[3] = nums[1];
	params[4] = nums[2];
	params[5] = nums[3];
	params[6] = cap;
	res = db_exec(&app.db, DB_LOGIN_TAKE, 7, params);
	if (res == NULL || !db_ok(res) || PQntuples(res) != 1)
		goto out;
	wait = atoi(PQgetvalue(res, 0, 0));
	if (wait > 0) {
		*retry_after = wait;
		status = 429;
		goto out;
	}
	PQclear(res);
	params[0] = name;
	res = db_exec(&app.db, DB_USER_BY_NAME, 1, params);
	if (res == NULL || !db_ok(res))
		goto out;
	if (PQntuples(res) == 1)
		stored = PQgetvalue(res, 0, 1);
	ok = verify(stored, password);
	if (!ok) {
		/* the failure was counted in advance */
		status = 401;
		goto out;
	}
	{
		char uid[24], keep[16];
		snprintf(uid, sizeof(uid), "%s", PQgetvalue(res, 0, 0));
		snprintf(keep, sizeof(keep), "%d", SESSION_MAX_PER_USER - 1);
		PQclear(res);
		token_random(tok);
		token_hash_hex(tok, hash);
		params[0] = hash;
		params[1] = uid;
		params[2] = acct;
		params[3] = keep;
		res = db_exec(&app.db, DB_SESSION_CREATE, 4, params);
		if (res == NULL || !db_ok(res))
			goto out;
	}
	resp_cookie(r, session_cookie(r), tok,
	    "Path=/; HttpOnly; SameSite=Strict");
	/* the login CSRF cookie has done its job */
	resp_cookie(r, LOGIN_COOKIE, "x", "Path=/admin/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	status = 0;
out:
	if (res && !db_ok(res))
		log_msg(r, "sign-in: %s", PQresultErrorMessage(res));
	PQclear(res);
	sodium_memzero(tok, sizeof(tok));
	return status;
}

int auth_logout(struct req *r)
{
	const char *tok = kvlist_get(&r->cookies, session_cookie(r));
	char hash[65];
	const char *params[1] = {hash};
	PGresult *res;

	if (tok) {
		token_hash_hex(tok, hash);
		res = db_exec(&app.db, DB_SESSION_DELETE, 1, params);
		if (res == NULL)
			return 503;
		PQclear(res);
	}
	resp_cookie(r, session_cookie(r), "x", "Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	return 0;
}
