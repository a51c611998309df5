/* user.c: user accounts and API tokens (user.h), shared by the web's
 * users page and enquetectl. */
#include "user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static enum user_rc from_store(enum store_rc rc)
{
	switch (rc) {
	case STORE_OK:
		return USER_OK;
	case STORE_NONE:
		return USER_NONE;
	case STORE_TAKEN:
		return USER_TAKEN;
	case STORE_INVALID:
		return USER_INVALID;
	case STORE_DOWN:
		return USER_DOWN;
	default:
		return USER_FAILED;
	}
}

bool user_role_valid(const char *role)
{
	return role &&
	       (strcmp(role, "expert") == 0 || strcmp(role, "organiser") == 0 ||
		strcmp(role, "admin") == 0);
}

bool user_password_valid(const char *password)
{
	size_t n = password ? strlen(password) : 0;

	return n >= USER_PASSWORD_MIN && n <= USER_PASSWORD_MAX;
}

/* argon2id (libsodium's crypto_pwhash_str), interactive limits. */
static int password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

enum user_rc user_add(struct db *db, const char *name, const char *password,
		      const char *role)
{
	char hash[crypto_pwhash_STRBYTES];
	enum user_rc rc;

	if (name == NULL || strlen(name) > USER_NAME_MAX ||
	    !user_role_valid(role) || !user_password_valid(password))
		return USER_INVALID;
	if (password_hash(password, hash) != 0)
		return USER_NOMEM;
	rc = from_store(store_user_add(db, name, hash, role));
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

enum user_rc user_passwd(struct db *db, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	enum user_rc rc;

	if (name == NULL || !user_password_valid(password))
		return USER_INVALID;
	if (password_hash(password, hash) != 0)
		return USER_NOMEM;
	rc = from_store(store_user_passwd(db, name, hash));
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

enum user_rc user_delete(struct db *db, const char *name)
{
	return from_store(store_user_delete(db, name));
}

enum user_rc user_list(struct db *db,
		       int (*row)(void *ctx, const struct store_user_row *u),
		       void *ctx)
{
	return from_store(store_users_list(db, row, ctx));
}

enum user_rc user_token_add(struct db *db, const char *name, int days,
			    char tok[SESSION_TOKEN_LEN + 1])
{
	char hash[65];

	token_random(tok);
	token_hash_hex(tok, hash);
	return from_store(store_token_add(db, name, hash, days));
}

enum user_rc user_token_revoke(struct db *db, const char *name, long long id,
			       long *count)
{
	return from_store(store_token_revoke(db, name, id, count));
}

enum user_rc user_token_list(struct db *db, const char *name,
			     int (*row)(void *ctx,
					const struct store_token_row *t),
			     void *ctx)
{
	return from_store(store_tokens_list(db, name, row, ctx));
}

/* 1 when s[0..n) is a slug (schema/001's pattern: 1..64 of [a-z0-9-],
 * not starting or ending with '-'). */
static int slug_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int user_scope_parse(const char *text, bool *all, char *array,
		     size_t arraylen)
{
	size_t used = 1, tlen = text ? strlen(text) : 0;
	const char *p = text ? text : "";

	*all = false;
	if (arraylen < 3 || tlen > USER_SCOPE_MAX)
		return -1;
	while (*p == ' ')
		p++;
	if (p[0] == '*' && p[1 + strspn(p + 1, " ")] == '\0') {
		*all = true;
		snprintf(array, arraylen, "{}");
		return 0;
	}
	array[0] = '{';
	while (*p) {
		size_t n = strcspn(p, ","), end = n;

		while (end > 0 && p[end - 1] == ' ')
			end--;
		while (end > 0 && *p == ' ') {
			p++;
			n--;
			end--;
		}
		if (end > 0) {
			if (!slug_ok(p, end) || used + end + 3 > arraylen)
				return -1;
			if (used > 1)
				array[used++] = ',';
			memcpy(array + used, p, end);
			used += end;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	array[used++] = '}';
	array[used] = '\0';
	return 0;
}

void user_scope_text(bool all, const char *array, char *out, size_t outlen)
{
	size_t n = strlen(array);

	if (all)
		snprintf(out, outlen, "*");
	else if (n >= 2 && array[0] == '{')
		snprintf(out, outlen, "%.*s", (int)(n - 2), array + 1);
	else
		snprintf(out, outlen, "%s", array);
}

enum user_rc user_scope_set(struct db *db, const char *name,
			    const char *events, char *unknown,
			    size_t unknownlen)
{
	char array[USER_SCOPE_MAX + 8];
	bool all;
	enum store_rc rc;

	if (name == NULL ||
	    user_scope_parse(events, &all, array, sizeof(array)) != 0)
		return USER_INVALID;
	rc = store_user_scope_set(db, name, all, array, unknown, unknownlen);
	return rc == STORE_INVALID ? USER_NO_EVENT : from_store(rc);
}

enum user_rc user_role_set(struct db *db, const char *name, const char *role)
{
	if (name == NULL || !user_role_valid(role))
		return USER_INVALID;
	return from_store(store_user_role_set(db, name, role));
}
