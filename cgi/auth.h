/* auth.h: who is asking. Sessions (cookie, hash stored, idle and absolute
 * expiry), bearer tokens for the API, CSRF tokens bound to the session,
 * sign-in with argon2id and rate limits shared by all workers. */
#ifndef ENQUETE_AUTH_H
#define ENQUETE_AUTH_H

#include "http.h"

#define SESSION_COOKIE "enq_session"
#define LOGIN_COOKIE "enq_login"       /* pre-session CSRF cookie */
#define SESSION_IDLE_SECONDS (2 * 3600)
#define SESSION_MAX_SECONDS (12 * 3600)
#define LOGIN_WINDOW_SECONDS (15 * 60)
#define LOGIN_MAX_PER_ACCOUNT 5        /* failures per account and client */
#define LOGIN_MAX_PER_CLIENT 20        /* failures per client, any account */

/* The server key (app_secret), loaded once per worker. 0, or 503. */
int auth_secret(void);
/* Identifies the user from the session cookie, or from a bearer token when
 * api is set. Returns 0 (r->user_* filled, r->csrf set for sessions), 401
 * when nobody is signed in, 503 when the database is down. */
int auth_identify(struct req *r, int api);
/* 1 when the request's _csrf field matches the session's token. */
int auth_csrf_ok(const struct req *r);

/* Sign-in. The CSRF token of the login form, bound to the LOGIN_COOKIE
 * (set here when missing). 0 or 503. */
int auth_login_csrf(struct req *r, char out[65]);
/* Checks the login form's _csrf against its cookie. */
int auth_login_csrf_ok(const struct req *r);
/* Tries name/password. Returns 0 (session created, cookie set), 401 (wrong
 * name or password, said the same way), 429 (*retry_after seconds), 503. */
int auth_login(struct req *r, const char *name, const char *password,
    int *retry_after);
/* Guessing participant codes: at most CODE_GUESS_MAX unknown codes per
 * client and window. auth_code_guess_check returns 0, 429 (with
 * *retry_after) or 503; auth_code_guess_failed records one. */
#define CODE_GUESS_MAX 10
int auth_code_guess_check(const struct req *r, int *retry_after);
int auth_code_guess_failed(const struct req *r);

/* Ends the request's session (cookie cleared). 0 or 503. */
int auth_logout(struct req *r);

#endif
