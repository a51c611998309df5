/* token.h: everything random or signed: participant codes (Crockford
 * base32), form tokens bound to an event and instrument, session tokens,
 * CSRF tokens and the keyed hashes used for rate limits. All randomness
 * comes from libsodium; all comparisons are constant-time. */
#ifndef ENQUETE_TOKEN_H
#define ENQUETE_TOKEN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOKEN_KEY_LEN 32
#define CODE_LEN 8                  /* participant code without the dash */
#define FORM_TOKEN_TTL (24 * 3600)  /* a form token is valid 24 h */
#define FORM_TOKEN_MAX 96           /* its text length, with margin */
#define SESSION_TOKEN_LEN 43        /* base64url of 32 bytes */

/* Must be called once before anything else here (sodium_init). */
int token_init(void);

/* Writes a fresh random code (8 Crockford base32 characters + NUL). */
void code_generate(char out[CODE_LEN + 1]);
/* Normalises what an attendee typed: case, spaces, dashes, O->0, I/L->1.
 * Returns 0 and the 8 canonical characters in out, or -1 when the input
 * cannot be a code. Reads at most len bytes of s. */
int code_normalize(const char *s, size_t len, char out[CODE_LEN + 1]);
/* "ABCD1234" -> "ABCD-1234" (out has room for 10 bytes). */
void code_format(const char *code, char out[CODE_LEN + 2]);

/* The participant cookie: the code and a MAC under the server key bound
 * to the event, "ABCD1234.<32 hex>", so that knowing a code (a badge sheet,
 * an export) is not enough to answer in that participant's name. */
#define CODE_COOKIE_MAX (CODE_LEN + 1 + 32)
/* Writes the cookie value of code (8 canonical characters) for event_id
 * into out (CODE_COOKIE_MAX + 1 bytes). */
void code_cookie_make(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    const char *code, char out[CODE_COOKIE_MAX + 1]);
/* 0 and the code in out when value is a cookie we issued for event_id; -1
 * otherwise (any other shape, a bare code, a wrong MAC). */
int code_cookie_check(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    const char *value, char out[CODE_LEN + 1]);

/* A personal link's key (issue 24): "CODE.<32 hex>", the code and a MAC
 * under the server key bound to a purpose ("followup": the follow-up
 * form's link; "unsubscribe": the one-click opt-out) and the event, so
 * that one purpose's key never serves another. Never expires: the
 * participant's erasure makes it point at nobody. */
#define LINK_KEY_MAX CODE_COOKIE_MAX
void link_key_make(const unsigned char key[TOKEN_KEY_LEN],
    const char *purpose, long event_id, const char *code,
    char out[LINK_KEY_MAX + 1]);
/* 0 and the code in out when value is a link key we made for purpose and
 * event_id; -1 otherwise. */
int link_key_check(const unsigned char key[TOKEN_KEY_LEN],
    const char *purpose, long event_id, const char *value,
    char out[CODE_LEN + 1]);

/* A form token for (event_id, instrument), valid FORM_TOKEN_TTL from now:
 * base64url(nonce16 || expiry8 || hmac32). out must hold FORM_TOKEN_MAX. */
int form_token_issue(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    int instrument, time_t now, char *out, size_t outlen);
/* 0 when tok was issued by us for this event and instrument and has not
 * expired; -1 otherwise. On success fills hash (SHA-256 of the token) for
 * the idempotency table. */
int form_token_check(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    int instrument, time_t now, const char *tok, unsigned char hash[32]);

/* A random URL-safe secret (session or bearer token): 43 characters. */
void token_random(char out[SESSION_TOKEN_LEN + 1]);
/* SHA-256 of s as 64 hex characters (what the database stores). */
void token_hash_hex(const char *s, char out[65]);
/* HMAC-SHA256(key, label || 0 || msg) as 64 hex characters: CSRF tokens
 * bound to a session, keyed hashes of client addresses. */
void token_mac_hex(const unsigned char key[TOKEN_KEY_LEN], const char *label,
    const char *msg, char out[65]);
/* Constant-time string equality (1 when equal). */
int token_equal(const char *a, const char *b);

#endif
