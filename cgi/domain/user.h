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
	USER_NOMEM    /* hashing the password failed (argon2 needs 64 MiB) */
};

/* "expert" or "admin". */
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
