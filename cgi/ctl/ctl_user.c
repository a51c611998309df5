/* ctl_user.c: `enquetectl user add|passwd|del` and `token add|list|revoke`:
 * accounts with argon2id passwords and bearer tokens for the API. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ctl.h"
#include "store.h"
#include "token.h"
#include "user.h"

#define PASSWORD_MIN USER_PASSWORD_MIN
#define PASSWORD_MAX USER_PASSWORD_MAX

/* Reads one line (the password) from stdin into out; 0 or -1. */
static int read_password(char *out, size_t outlen)
{
	size_t n;

	if (fgets(out, (int)outlen, stdin) == NULL) {
		fprintf(stderr, "enquetectl: no password on standard input\n");
		return -1;
	}
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (!feof(stdin)) {
		fprintf(stderr, "enquetectl: password too long (at most %d "
		    "bytes)\n", PASSWORD_MAX);
		return -1;
	}
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	if (n < PASSWORD_MIN) {
		fprintf(stderr, "enquetectl: password too short (at least %d "
		    "characters)\n", PASSWORD_MIN);
		return -1;
	}
	return 0;
}

/* Says on stderr why a user command failed (not for USER_OK); 1. */
static int user_failed(struct db *db, enum user_rc rc, const char *name)
{
	switch (rc) {
	case USER_NONE:
		fprintf(stderr, "enquetectl: no user \"%s\"\n", name);
		break;
	case USER_TAKEN:
		fprintf(stderr, "enquetectl: that name is already taken\n");
		break;
	case USER_INVALID:
		fprintf(stderr, "enquetectl: invalid name (letters, digits, "
				". _ - ; at most 64)\n");
		break;
	case USER_DOWN:
		fprintf(stderr, "enquetectl: cannot reach the database\n");
		break;
	case USER_NOMEM:
		fprintf(stderr, "enquetectl: out of memory hashing the "
				"password\n");
		break;
	default:
		fprintf(stderr, "enquetectl: %s", store_error(db));
		break;
	}
	return 1;
}

/* Says on stderr why a scope was refused (USER_INVALID, USER_NO_EVENT). */
static void scope_failed(enum user_rc rc, const char *unknown)
{
	if (rc == USER_NO_EVENT)
		fprintf(stderr, "enquetectl: no such event: %s (nothing "
		    "changed)\n", unknown);
	else
		fprintf(stderr, "enquetectl: --events takes '*' (every "
		    "event), slugs separated by commas, or '' (none)\n");
}

/* `user events NAME a,b`: replaces the scope. 0; 1 (no such user or
 * event, database); 2 (usage, not a scope). */
static int user_events(struct db *db, const char *name, const char *events)
{
	char unknown[256], array[USER_SCOPE_MAX + 8], text[USER_SCOPE_MAX + 8];
	enum user_rc urc;
	bool all;

	if (user_scope_parse(events, &all, array, sizeof(array)) != 0) {
		scope_failed(USER_INVALID, NULL);
		return 2;
	}
	urc = user_scope_set(db, name, events, unknown, sizeof(unknown));
	if (urc == USER_NO_EVENT) {
		scope_failed(urc, unknown);
		return 1;
	}
	if (urc != USER_OK)
		return user_failed(db, urc, name);
	user_scope_text(all, array, text, sizeof(text));
	{
		struct json_object *d = ctl_detail("name", name);
		ctl_detail_add(d, "events", text);
		ctl_audit(db, NULL, "user.events", d);
	}
	printf("user %s: events %s\n", name, *text ? text : "(none)");
	return 0;
}

int ctl_user(int argc, char **argv)
{
	struct db db = {.conninfo = db_conninfo(), .appname = "enquetectl", .lazy = 1};
	char pw[PASSWORD_MAX + 2] = "", array[USER_SCOPE_MAX + 8];
	char unknown[256];
	const char *role = "expert", *events = NULL, *name;
	enum user_rc urc;
	bool all;
	int rc = 1;

	if (argc < 3)
		goto usage;
	name = argv[2];
	if (strcmp(argv[1], "events") == 0) {
		if (argc != 4)
			goto usage;
		rc = user_events(&db, name, argv[3]);
		db_close(&db);
		return rc;
	}
	if (strcmp(argv[1], "add") == 0) {
		for (int i = 3; i < argc; i += 2) {
			if (i + 1 >= argc)
				goto usage;
			if (strcmp(argv[i], "--role") == 0)
				role = argv[i + 1];
			else if (strcmp(argv[i], "--events") == 0)
				events = argv[i + 1];
			else
				goto usage;
		}
		if (!user_role_valid(role)) {
			fprintf(stderr, "enquetectl: role must be expert, "
					"organiser or admin\n");
			return 2;
		}
		/* an expert without --events reads every event (as before
		 * scopes); an organiser or admin gets none unless told */
		if (events == NULL)
			events = strcmp(role, "expert") == 0 ? "*" : "";
		if (user_scope_parse(events, &all, array, sizeof(array)) != 0) {
			scope_failed(USER_INVALID, NULL);
			return 2;
		}
	} else if ((strcmp(argv[1], "passwd") != 0 &&
		       strcmp(argv[1], "del") != 0) || argc != 3)
		goto usage;
	if (strcmp(argv[1], "del") != 0 && read_password(pw, sizeof(pw)) != 0)
		return 1;
	if (strcmp(argv[1], "add") == 0) {
		urc = user_add(&db, name, pw, role);
		if (urc == USER_OK) {
			urc = user_scope_set(&db, name, events, unknown,
			    sizeof(unknown));
			if (urc != USER_OK) {
				/* nothing created */
				user_delete(&db, name);
				if (urc == USER_NO_EVENT) {
					scope_failed(urc, unknown);
					sodium_memzero(pw, sizeof(pw));
					db_close(&db);
					return 1;
				}
			}
		}
	} else if (strcmp(argv[1], "passwd") == 0)
		urc = user_passwd(&db, name, pw);
	else
		urc = user_delete(&db, name);
	sodium_memzero(pw, sizeof(pw));
	if (urc != USER_OK)
		rc = user_failed(&db, urc, name);
	else {
		struct json_object *d = ctl_detail("name", name);
		if (strcmp(argv[1], "add") == 0) {
			char text[USER_SCOPE_MAX + 8];
			user_scope_text(all, array, text, sizeof(text));
			ctl_detail_add(d, "role", role);
			ctl_detail_add(d, "events", text);
		}
		ctl_audit(&db, NULL, strcmp(argv[1], "add") == 0 ? "user.add"
		    : strcmp(argv[1], "del") == 0 ? "user.delete"
						    : "user.password", d);
		printf("user %s: %s\n", name,
		    strcmp(argv[1], "add") == 0      ? "added"
		    : strcmp(argv[1], "del") == 0    ? "deleted"
						     : "password changed");
		rc = 0;
	}
	db_close(&db);
	return rc;
usage:
	fprintf(stderr, "usage: enquetectl user add NAME [--role "
			"expert|organiser|admin] [--events '*'|a,b|''] "
			"(password on stdin)\n"
			"       enquetectl user events NAME '*'|a,b|''\n"
			"       enquetectl user passwd NAME\n"
			"       enquetectl user del NAME\n");
	return 2;
}

/* Prints one token: id, created, expires, last used (UTC). */
static int token_row(void *ctx, const struct store_token_row *t)
{
	int *header = ctx;

	if (!*header) {
		printf("id\tcreated\texpires\tlast_used\n");
		*header = 1;
	}
	printf("%s\t%s\t%s%s\t%s\n", t->id, t->created, t->expires,
	    t->expired ? " (expired)" : "", t->last_used);
	return 0;
}

/* A whole number of days in [1, API_TOKEN_DAYS_MAX], or -1. */
static int parse_days(const char *s)
{
	long v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 5)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v >= 1 && v <= API_TOKEN_DAYS_MAX ? (int)v : -1;
}

int ctl_token(int argc, char **argv)
{
	struct db db = {.conninfo = db_conninfo(), .appname = "enquetectl", .lazy = 1};
	char tok[SESSION_TOKEN_LEN + 1];
	long long id = -1;
	long count = 0;
	enum user_rc urc;
	int days = API_TOKEN_DAYS_DEFAULT, header = 0;
	enum { ADD, LIST, REVOKE_ALL, REVOKE_ONE } op;

	if (argc == 3 && strcmp(argv[1], "add") == 0)
		op = ADD;
	else if (argc == 5 && strcmp(argv[1], "add") == 0 &&
	    strcmp(argv[3], "--days") == 0) {
		op = ADD;
		days = parse_days(argv[4]);
		if (days < 0) {
			fprintf(stderr, "enquetectl: --days takes a whole number "
			    "of days from 1 to %d\n", API_TOKEN_DAYS_MAX);
			return 2;
		}
	} else if (argc == 3 && strcmp(argv[1], "list") == 0)
		op = LIST;
	else if (argc == 3 && strcmp(argv[1], "revoke") == 0)
		op = REVOKE_ALL;
	else if (argc == 4 && strcmp(argv[1], "revoke") == 0 &&
	    *argv[3] && strlen(argv[3]) <= 18 &&
	    strspn(argv[3], "0123456789") == strlen(argv[3]))
		op = REVOKE_ONE;
	else {
		fprintf(stderr, "usage: enquetectl token add NAME [--days N]\n"
				"       enquetectl token list NAME\n"
				"       enquetectl token revoke NAME [ID]\n");
		return 2;
	}
	if (op == LIST) {
		urc = user_token_list(&db, argv[2], token_row, &header);
		if (urc == USER_OK && !header) /* a user without tokens */
			printf("id\tcreated\texpires\tlast_used\n");
		db_close(&db);
		return urc == USER_OK ? 0 : user_failed(&db, urc, argv[2]);
	}
	if (op == ADD)
		urc = user_token_add(&db, argv[2], days, tok);
	else {
		if (op == REVOKE_ONE)
			id = strtoll(argv[3], NULL, 10);
		urc = user_token_revoke(&db, argv[2], id, &count);
	}
	db_close(&db);
	if (urc != USER_OK) {
		sodium_memzero(tok, sizeof(tok));
		return user_failed(&db, urc, argv[2]);
	}
	if (op == REVOKE_ONE && count == 0) {
		fprintf(stderr, "enquetectl: user \"%s\" has no token %s\n",
		    argv[2], argv[3]);
		return 1;
	}
	{
		struct json_object *d = ctl_detail("name", argv[2]);
		if (op == ADD)
			ctl_detail_int(d, "days", days);
		else {
			ctl_detail_add(d, "id", op == REVOKE_ONE ? argv[3] : "all");
			ctl_detail_int(d, "count", count);
		}
		ctl_audit(&db, NULL, op == ADD ? "token.add" : "token.revoke", d);
		db_close(&db);
	}
	if (op == ADD)
		printf("%s\n", tok);
	else
		fprintf(stderr, "revoked %ld token(s) of %s\n", count, argv[2]);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}
