/* ctl_user.c: `enquetectl user add|passwd|del` and `token add|list|revoke`:
 * accounts with argon2id passwords and bearer tokens for the API. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ctl.h"
#include "db.h"
#include "token.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

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

/* Runs one parameterised statement; returns the affected row count or -1. */
static long exec_count(PGconn *c, const char *sql, int n,
    const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	long rows = -1;

	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK)
		rows = atol(PQcmdTuples(res));
	else if (strcmp(db_sqlstate(res), "23505") == 0)
		fprintf(stderr, "enquetectl: that name is already taken\n");
	else if (strcmp(db_sqlstate(res), "23514") == 0)
		fprintf(stderr, "enquetectl: invalid name (letters, digits, "
				". _ - ; at most 64)\n");
	else
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	PQclear(res);
	return rows;
}

static int hash_password(char out[crypto_pwhash_STRBYTES])
{
	char pw[PASSWORD_MAX + 2];
	int rc;

	if (read_password(pw, sizeof(pw)) != 0)
		return -1;
	rc = crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_memzero(pw, sizeof(pw));
	if (rc != 0)
		fprintf(stderr, "enquetectl: out of memory hashing the "
				"password\n");
	return rc;
}

int ctl_user(int argc, char **argv)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *role = "expert", *params[3];
	PGconn *c = NULL;
	long rows;
	int rc = 1;

	if (argc < 3)
		goto usage;
	if (strcmp(argv[1], "add") == 0) {
		if (argc == 5 && strcmp(argv[3], "--role") == 0)
			role = argv[4];
		else if (argc != 3)
			goto usage;
		if (strcmp(role, "expert") != 0 && strcmp(role, "admin") != 0) {
			fprintf(stderr, "enquetectl: role must be expert or "
					"admin\n");
			return 2;
		}
	} else if ((strcmp(argv[1], "passwd") != 0 &&
		       strcmp(argv[1], "del") != 0) || argc != 3)
		goto usage;
	if (strcmp(argv[1], "del") != 0 && hash_password(hash) != 0)
		return 1;
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		return 1;
	params[0] = argv[2];
	params[1] = hash;
	params[2] = role;
	if (strcmp(argv[1], "add") == 0)
		rows = exec_count(c, "INSERT INTO app_user (name, "
		    "password_hash, role) VALUES ($1, $2, $3)", 3, params);
	else if (strcmp(argv[1], "passwd") == 0)
		/* a new password ends every session of the account, and
		 * its API tokens (trigger of schema/014) */
		rows = exec_count(c, "WITH u AS (UPDATE app_user SET "
		    "password_hash = $2 WHERE name = $1 RETURNING id), "
		    "s AS (DELETE FROM session WHERE user_id IN (SELECT id "
		    "FROM u)) SELECT 1 FROM u", 2, params);
	else
		rows = exec_count(c, "DELETE FROM app_user WHERE name = $1", 1,
		    params);
	if (rows == 0)
		fprintf(stderr, "enquetectl: no user \"%s\"\n", argv[2]);
	else if (rows > 0) {
		printf("user %s: %s\n", argv[2],
		    strcmp(argv[1], "add") == 0      ? "added"
		    : strcmp(argv[1], "del") == 0    ? "deleted"
						     : "password changed");
		rc = 0;
	}
	PQfinish(c);
	sodium_memzero(hash, sizeof(hash));
	return rc;
usage:
	fprintf(stderr, "usage: enquetectl user add NAME [--role "
			"expert|admin] (password on stdin)\n"
			"       enquetectl user passwd NAME\n"
			"       enquetectl user del NAME\n");
	return 2;
}

/* Prints the tokens of a user: id, created, expires, last used (UTC). */
static int token_list(PGconn *c, const char *name)
{
	const char *params[1] = {name};
	PGresult *res;
	int rc = 1;

	res = PQexecParams(c, "SELECT u.id IS NOT NULL, t.id, "
	    "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "coalesce(to_char(t.last_used_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'), t.expires_at <= now() "
	    "FROM (SELECT 1) one LEFT JOIN app_user u ON u.name = $1 "
	    "LEFT JOIN api_token t ON t.user_id = u.id ORDER BY t.id",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
		goto out;
	}
	if (PQntuples(res) < 1 || PQgetvalue(res, 0, 0)[0] != 't') {
		fprintf(stderr, "enquetectl: no user \"%s\"\n", name);
		goto out;
	}
	printf("id\tcreated\texpires\tlast_used\n");
	for (int i = 0; i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 1))
			continue;
		printf("%s\t%s\t%s%s\t%s\n", PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 5)[0] == 't' ? " (expired)" : "",
		    PQgetvalue(res, i, 4));
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
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
	char tok[SESSION_TOKEN_LEN + 1], hash[65], days_s[16];
	const char *params[3];
	PGconn *c;
	long rows;
	int days = API_TOKEN_DAYS_DEFAULT, rc;
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
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		return 1;
	if (op == LIST) {
		rc = token_list(c, argv[2]);
		PQfinish(c);
		return rc;
	}
	token_random(tok);
	token_hash_hex(tok, hash);
	snprintf(days_s, sizeof(days_s), "%d", days);
	params[0] = argv[2];
	params[1] = op == REVOKE_ONE ? argv[3] : hash;
	params[2] = days_s;
	if (op == ADD)
		rows = exec_count(c, "INSERT INTO api_token (token_hash, "
		    "user_id, expires_at) SELECT $2, id, now() + "
		    "make_interval(days => $3::int) FROM app_user "
		    "WHERE name = $1", 3, params);
	else if (op == REVOKE_ONE)
		rows = exec_count(c, "DELETE FROM api_token WHERE id = "
		    "$2::bigint AND user_id = (SELECT id FROM app_user "
		    "WHERE name = $1)", 2, params);
	else
		rows = exec_count(c, "DELETE FROM api_token WHERE user_id = "
		    "(SELECT id FROM app_user WHERE name = $1)", 1, params);
	PQfinish(c);
	if (rows < 0)
		return 1;
	if (op == ADD && rows == 0) {
		fprintf(stderr, "enquetectl: no user \"%s\"\n", argv[2]);
		return 1;
	}
	if (op == REVOKE_ONE && rows == 0) {
		fprintf(stderr, "enquetectl: user \"%s\" has no token %s\n",
		    argv[2], argv[3]);
		return 1;
	}
	if (op == ADD)
		printf("%s\n", tok);
	else
		fprintf(stderr, "revoked %ld token(s) of %s\n", rows, argv[2]);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}
