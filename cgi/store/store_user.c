/* store_user.c: accounts, sessions, API tokens and the rate limits of
 * sign-in and code guessing (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* A statement returning (id, name, role, all_events) of one user: OK or
 * NONE. */
static enum store_rc user_row(struct db *db, enum db_stmt s, const char *hash,
			      struct store_user *out)
{
	const char *params[1] = {hash};
	PGresult *res;
	enum store_rc rc = store_run(db, s, 1, params, &res);

	memset(out, 0, sizeof(*out));
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) == 1) {
		out->id = atoll(PQgetvalue(res, 0, 0));
		snprintf(out->name, sizeof(out->name), "%s",
			 PQgetvalue(res, 0, 1));
		snprintf(out->role, sizeof(out->role), "%s",
			 PQgetvalue(res, 0, 2));
		out->all_events = PQgetvalue(res, 0, 3)[0] == 't';
	} else
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_session_touch(struct db *db, const char *hash,
				  struct store_user *out)
{
	return user_row(db, DB_SESSION_TOUCH, hash, out);
}

enum store_rc store_token_user(struct db *db, const char *hash,
			       struct store_user *out)
{
	return user_row(db, DB_TOKEN_USER, hash, out);
}

/* A statement returning one integer (a wait in seconds) into *v. */
static enum store_rc one_int(struct db *db, enum db_stmt s, int n,
			     const char *const *params, int *v)
{
	PGresult *res;
	enum store_rc rc = store_run(db, s, n, params, &res);

	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) == 1)
		*v = atoi(PQgetvalue(res, 0, 0));
	else {
		snprintf(db->err, sizeof(db->err), "no row");
		rc = STORE_FAILED;
	}
	PQclear(res);
	return rc;
}

enum store_rc store_login_take(struct db *db, const char *acct_key,
			       const char *client_key,
			       const struct store_login_limits *l, int *wait)
{
	char n[5][16];
	const char *params[7] = {acct_key, client_key, n[0], n[1],
				 n[2],	   n[3],       n[4]};

	snprintf(n[0], sizeof(n[0]), "%d", l->max_per_client);
	snprintf(n[1], sizeof(n[1]), "%d", l->window);
	snprintf(n[2], sizeof(n[2]), "%d", l->max_per_account);
	snprintf(n[3], sizeof(n[3]), "%d", l->backoff_base);
	snprintf(n[4], sizeof(n[4]), "%d", l->backoff_cap);
	*wait = 0;
	return one_int(db, DB_LOGIN_TAKE, 7, params, wait);
}

enum store_rc store_rate(struct db *db, bool take, const char *key, int max,
			 int window, int *wait)
{
	char m[16], w[16];
	const char *params[3] = {key, m, w};

	snprintf(m, sizeof(m), "%d", max);
	snprintf(w, sizeof(w), "%d", window);
	*wait = 0;
	return one_int(db, take ? DB_RATE_TAKE : DB_RATE_CHECK, 3, params,
		       wait);
}

enum store_rc store_user_password(struct db *db, const char *name,
				  long long *id, char *hash, size_t hashlen)
{
	const char *params[1] = {name};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_USER_BY_NAME, 1, params, &res);

	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) == 1 && strlen(PQgetvalue(res, 0, 1)) < hashlen) {
		*id = atoll(PQgetvalue(res, 0, 0));
		snprintf(hash, hashlen, "%s", PQgetvalue(res, 0, 1));
	} else
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_session_create(struct db *db, const char *hash,
				   long long user_id, const char *acct_key,
				   int keep)
{
	char uid[24], k[16];
	const char *params[4] = {hash, uid, acct_key, k};
	PGresult *res;
	enum store_rc rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(k, sizeof(k), "%d", keep);
	rc = store_run(db, DB_SESSION_CREATE, 4, params, &res);
	PQclear(res);
	return rc;
}

enum store_rc store_session_delete(struct db *db, const char *hash)
{
	const char *params[1] = {hash};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_SESSION_DELETE, 1, params, &res);

	PQclear(res);
	return rc;
}

enum store_rc store_users_list(struct db *db,
			       int (*row)(void *ctx,
					  const struct store_user_row *u),
			       void *ctx)
{
	PGresult *res;
	enum store_rc rc = store_run(db, DB_USERS_LIST, 0, NULL, &res);

	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_user_row u = {PQgetvalue(res, i, 0),
					   PQgetvalue(res, i, 1),
					   PQgetvalue(res, i, 2),
					   PQgetvalue(res, i, 3)[0] == 't',
					   PQgetvalue(res, i, 4)};
		if (row(ctx, &u) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}

/* Runs a statement that changes rows: OK, or NONE when none changed;
 * *count (when given) the rows changed. */
static enum store_rc change(struct db *db, enum db_stmt s, int n,
			    const char *const *params, long *count)
{
	PGresult *res;
	enum store_rc rc = store_run(db, s, n, params, &res);
	long rows = 0;

	if (rc == STORE_OK) {
		/* a WITH ... SELECT 1 FROM u statement counts its rows */
		rows = PQresultStatus(res) == PGRES_TUPLES_OK
			   ? PQntuples(res)
			   : store_changed(res);
		if (rows == 0)
			rc = STORE_NONE;
	}
	if (count)
		*count = rows;
	PQclear(res);
	return rc;
}

enum store_rc store_user_add(struct db *db, const char *name, const char *hash,
			     const char *role)
{
	const char *params[3] = {name, hash, role};

	return change(db, DB_USER_ADD, 3, params, NULL);
}

enum store_rc store_user_passwd(struct db *db, const char *name,
				const char *hash)
{
	const char *params[2] = {name, hash};

	/* a new password ends every session of the account, and its API
	 * tokens (trigger of schema/014) */
	return change(db, DB_USER_PASSWD, 2, params, NULL);
}

enum store_rc store_user_delete(struct db *db, const char *name)
{
	const char *params[1] = {name};

	return change(db, DB_USER_DEL, 1, params, NULL);
}

enum store_rc store_token_add(struct db *db, const char *name, const char *hash,
			      int days)
{
	char d[16];
	const char *params[3] = {name, hash, d};

	snprintf(d, sizeof(d), "%d", days);
	return change(db, DB_TOKEN_ADD, 3, params, NULL);
}

enum store_rc store_token_revoke(struct db *db, const char *name, long long id,
				 long *count)
{
	char idbuf[24];
	const char *params[2] = {name, idbuf};
	enum store_rc rc;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	rc = id < 0 ? change(db, DB_TOKEN_REVOKE_ALL, 1, params, count)
		    : change(db, DB_TOKEN_REVOKE, 2, params, count);
	return rc == STORE_NONE ? STORE_OK : rc;
}

enum store_rc store_tokens_list(struct db *db, const char *name,
				int (*row)(void *ctx,
					   const struct store_token_row *t),
				void *ctx)
{
	const char *params[1] = {name};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_TOKENS_LIST, 1, params, &res);

	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) < 1 || PQgetvalue(res, 0, 0)[0] != 't')
		rc = STORE_NONE;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_token_row t = {
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 5)[0] == 't'};
		if (PQgetisnull(res, i, 1))
			continue; /* a user without tokens */
		if (row(ctx, &t) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}
