/* auth.h: who is asking. Sessions (cookie, hash stored, idle and absolute
 * expiry), bearer tokens for the API, CSRF tokens bound to the session,
 * sign-in with argon2id and rate limits shared by all workers. */
#ifndef ENQUETE_AUTH_H
#define ENQUETE_AUTH_H

#include "http.h"

#define SESSION_COOKIE "enq_session"
/* The session cookie's name when the site is served over HTTPS
 * (ENQUETE_PUBLIC_URL https://...): the __Host- prefix makes browsers
 * refuse it unless Secure, Path=/ and without Domain, so neither a sibling
 * domain nor a plain-HTTP attacker can plant one. */
#define SESSION_COOKIE_SECURE "__Host-enq_session"
#define LOGIN_COOKIE "enq_login"       /* pre-session CSRF cookie */
#define SESSION_IDLE_SECONDS (2 * 3600)
#define SESSION_MAX_SECONDS (12 * 3600)
/* Sign-in limits (issue 18.2), checked and counted in one statement before
 * argon2 runs (schema/014, enquete_login_take). Per account, whatever the
 * address: LOGIN_MAX_PER_ACCOUNT failures, then each further failure makes
 * the next attempt wait LOGIN_BACKOFF_BASE * 2^(failures - 5) seconds, at
 * most LOGIN_BACKOFF_CAP; answered at once with 429 and Retry-After. Per
 * client address: LOGIN_MAX_PER_CLIENT attempts in any sliding
 * LOGIN_WINDOW_SECONDS, high enough that the accounts behind one NAT or
 * proxy are not locked out by another's failures. */
#define LOGIN_WINDOW_SECONDS (15 * 60)
#define LOGIN_MAX_PER_ACCOUNT 5        /* failures before the back-off */
#define LOGIN_BACKOFF_BASE 30          /* seconds after the 5th failure */
#define LOGIN_BACKOFF_CAP (15 * 60)    /* the longest wait */
#define LOGIN_MAX_PER_CLIENT 100       /* attempts per client and window */
/* Sessions per user: a new sign-in ends the oldest beyond this many. */
#define SESSION_MAX_PER_USER 10
/* API tokens (enquetectl token add NAME [--days N]). */
#define API_TOKEN_DAYS_DEFAULT 90
#define API_TOKEN_DAYS_MAX 3650

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
 * (client address, event) in any sliding CODE_GUESS_WINDOW (the event is
 * r->slug): a full room behind one NAT lives with it, one guesser gets 50
 * guesses of 40 bits. The key is an HMAC of the address and the slug.
 * - auth_code_guess_check: only checks (before a typed code is looked up):
 *   0, 429 (*retry_after set) or 503.
 * - auth_code_guess_failed: counts one unknown code (after the lookup):
 *   0 or 503 (never refuses: the check came first).
 * - auth_code_guess_unknown: checks and counts in one statement, for a
 *   path that has already found the code unknown (a cookie, a link):
 *   0 (counted), 429 (over the limit, *retry_after set) or 503. */
#define CODE_GUESS_MAX 50
#define CODE_GUESS_WINDOW (15 * 60)
int auth_code_guess_check(const struct req *r, int *retry_after);
int auth_code_guess_failed(const struct req *r);
int auth_code_guess_unknown(const struct req *r, int *retry_after);

/* Scope (DESIGN.md "Roles and what each may see"). Whether the signed-in
 * user of r may see event slug: admins every event (archived ones too),
 * organisers and experts the events of their scope (never an archived
 * one). 0 when they may; 404 when not, or when there is no such event
 * (existence is not revealed); 503; 500. */
int auth_event_visible(struct req *r, const char *slug);
/* 1 when r's user manages the events they see: an admin or an organiser
 * (codes, poster, paper, contacts, erasure, the audit log). */
int auth_can_manage(const struct req *r);

/* The signed-in user changes their own password: current must be theirs
 * (checked under the sign-in limits of the account, as auth_login), the
 * new one within USER_PASSWORD_MIN..MAX. Every session and API token of
 * the account ends with it; this request gets a new session (cookie set).
 * 0; 401 (current wrong); 422 (new one refused); 429 (*retry_after set);
 * 503; 500. */
int auth_password_change(struct req *r, const char *current,
    const char *password, int *retry_after);

/* Ends the request's session (cookie cleared). 0 or 503. */
int auth_logout(struct req *r);

#endif
