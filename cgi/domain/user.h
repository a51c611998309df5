/* user.h: user accounts (argon2id passwords, roles) and their API bearer
 * tokens: one module for the web's users page and `enquetectl user|token`. */
#ifndef ENQUETE_USER_H
#define ENQUETE_USER_H

#include <stdbool.h>

#include "store.h"
#include "token.h"

#define USER_NAME_MAX 64
#define USER_PASSWORD_MIN 8
#define USER_PASSWORD_MAX 1024

enum user_rc {
	USER_OK = 0,
	USER_NONE,    /* no such user (or token) */
	USER_TAKEN,   /* the name is taken */
	USER_INVALID, /* name, role or password refused */
	USER_DOWN,    /* the database cannot be reached */
	USER_FAILED,  /* the statement failed: store_error(db) says why */
	USER_NOMEM,   /* hashing the password failed (argon2 needs 64 MiB) */
	USER_NO_EVENT /* a scope names an event that does not exist */
};

/* The most a scope's text may hold ("a,b,..." or "*"). */
#define USER_SCOPE_MAX 4096

/* "expert", "organiser" or "admin". */
bool user_role_valid(const char *role);
/* A password's length within USER_PASSWORD_MIN..MAX bytes. */
bool user_password_valid(const char *password);
/* Creates a user (password hashed with argon2id here). */
enum user_rc user_add(struct db *db, const char *name, const char *password,
		      const char *role);
/* A new password; the user's sessions and API tokens end with it. */
enum user_rc user_passwd(struct db *db, const char *name, const char *password);
enum user_rc user_delete(struct db *db, const char *name);
/* Every user, by name (rows borrowed during the call, store.h). */
enum user_rc user_list(struct db *db,
		       int (*row)(void *ctx, const struct store_user_row *u),
		       void *ctx);

/* A scope as typed (`--events`, the users page): "*" is every event
 * (*all true), "" none, else comma-separated slugs (spaces around them
 * ignored, repeats too). Writes the slugs as a PostgreSQL array literal
 * "{a,b}" into array (arraylen bytes; "{}" for "*" and ""). 0, or -1
 * when the text is not a scope (a bad slug, too long). */
int user_scope_parse(const char *text, bool *all, char *array,
		     size_t arraylen);
/* The scope as shown and audited: "*" when all, else array's slugs
 * "a,b" ("" for none), into out. */
void user_scope_text(bool all, const char *array, char *out, size_t outlen);
/* Replaces name's scope with the one typed in events (user_scope_parse).
 * USER_OK; USER_INVALID (not a scope); USER_NO_EVENT (nothing changed:
 * unknown, unknownlen bytes, names the missing slugs "a,b"); USER_NONE;
 * USER_DOWN; USER_FAILED. An empty scope means no event at all: taking a
 * user's last event away never widens what they see. */
enum user_rc user_scope_set(struct db *db, const char *name,
			    const char *events, char *unknown,
			    size_t unknownlen);
/* A new role (user_role_valid). USER_OK, INVALID, NONE, DOWN, FAILED. */
enum user_rc user_role_set(struct db *db, const char *name, const char *role);

/* A new bearer token for name, valid days: its clear text into tok (shown
 * once; only its hash is stored). */
enum user_rc user_token_add(struct db *db, const char *name, int days,
			    char tok[SESSION_TOKEN_LEN + 1]);
/* Revokes token id of name, or all of them (id < 0); *count revoked. */
enum user_rc user_token_revoke(struct db *db, const char *name, long long id,
			       long *count);
/* name's tokens; USER_NONE when there is no such user. */
enum user_rc user_token_list(struct db *db, const char *name,
			     int (*row)(void *ctx,
					const struct store_token_row *t),
			     void *ctx);

#endif
