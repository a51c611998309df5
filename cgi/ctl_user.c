/* ctl_user.c: `enquetectl user add|passwd|del` and `token add|revoke`:
 * accounts with argon2id passwords and bearer tokens for the API. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		/* a new password ends every session of the account */
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

int ctl_token(int argc, char **argv)
{
	char tok[SESSION_TOKEN_LEN + 1], hash[65];
	const char *params[2];
	PGconn *c;
	long rows;
	int add;

	if (argc != 3 || (strcmp(argv[1], "add") != 0 &&
			     strcmp(argv[1], "revoke") != 0)) {
		fprintf(stderr, "usage: enquetectl token add|revoke NAME\n");
		return 2;
	}
	add = strcmp(argv[1], "add") == 0;
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		return 1;
	token_random(tok);
	token_hash_hex(tok, hash);
	params[0] = argv[2];
	params[1] = hash;
	if (add)
		rows = exec_count(c, "INSERT INTO api_token (token_hash, "
		    "user_id) SELECT $2, id FROM app_user WHERE name = $1", 2,
		    params);
	else
		rows = exec_count(c, "DELETE FROM api_token WHERE user_id = "
		    "(SELECT id FROM app_user WHERE name = $1)", 1, params);
	PQfinish(c);
	if (rows < 0)
		return 1;
	if (add && rows == 0) {
		fprintf(stderr, "enquetectl: no user \"%s\"\n", argv[2]);
		return 1;
	}
	if (add)
		printf("%s\n", tok);
	else
		fprintf(stderr, "revoked %ld token(s) of %s\n", rows, argv[2]);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}
