/* store_roles.c: who may see which event (scopes), the roles, archived
 * events and the audit log (store.h; schema/020_roles_audit.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

enum store_rc store_user_sees_event(struct db *db, long long user_id,
				    const char *slug, bool *sees)
{
	char uid[24];
	const char *params[2] = {uid, slug};
	PGresult *res;
	enum store_rc rc;

	*sees = false;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = store_run(db, DB_USER_SEES_EVENT, 2, params, &res);
	if (rc != STORE_OK)
		return rc;
	*sees = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return STORE_OK;
}

enum store_rc store_user_scope_set(struct db *db, const char *name, bool all,
				   const char *slugs, char *unknown,
				   size_t unknownlen)
{
	const char *params[3] = {name, all ? "true" : "false", slugs};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_USER_SCOPE_SET, 3, params, &res);

	if (unknown && unknownlen)
		unknown[0] = '\0';
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		snprintf(db->err, sizeof(db->err), "no row\n");
		rc = STORE_FAILED;
	} else if (PQgetvalue(res, 0, 1)[0] != '\0') {
		if (unknown && unknownlen)
			snprintf(unknown, unknownlen, "%s",
				 PQgetvalue(res, 0, 1));
		rc = STORE_INVALID;
	} else if (PQgetvalue(res, 0, 0)[0] != 't')
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

/* Runs a statement that changes rows: OK, or NONE when it changed none
 * (nor returned a row). */
static enum store_rc change(struct db *db, enum db_stmt s, int n,
			    const char *const *params)
{
	PGresult *res;
	enum store_rc rc = store_run(db, s, n, params, &res);

	if (rc != STORE_OK)
		return rc;
	if ((PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res)
						    : store_changed(res)) == 0)
		rc = STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_user_role_set(struct db *db, const char *name,
				  const char *role)
{
	const char *params[2] = {name, role};

	return change(db, DB_USER_ROLE_SET, 2, params);
}

enum store_rc store_user_grant_event(struct db *db, long long user_id,
				     const char *slug)
{
	char uid[24];
	const char *params[2] = {uid, slug};
	bool sees = false;
	enum store_rc rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = change(db, DB_USER_GRANT_EVENT, 2, params);
	if (rc != STORE_NONE)
		return rc;
	/* nothing inserted: granted already (OK), or no such user or event */
	rc = store_user_sees_event(db, user_id, slug, &sees);
	return rc == STORE_OK && !sees ? STORE_NONE : rc;
}

enum store_rc store_event_archive(struct db *db, const char *slug)
{
	const char *params[1] = {slug};

	return change(db, DB_EVENT_ARCHIVE, 1, params);
}

enum store_rc store_audit(struct db *db, const char *actor, const char *slug,
			  const char *action, const char *detail)
{
	const char *params[4] = {actor, slug, action, detail};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_AUDIT_ADD, 4, params, &res);

	PQclear(res);
	return rc;
}

enum store_rc store_audit_list(struct db *db, long long user_id,
			       const char *slug, const char *action, int limit,
			       int (*row)(void *ctx,
					  const struct store_audit_row *a),
			       void *ctx)
{
	char uid[24], lim[16];
	const char *params[4] = {uid, slug ? slug : "", action ? action : "",
				 lim};
	PGresult *res;
	enum store_rc rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(lim, sizeof(lim), "%d", limit);
	rc = store_run(db, DB_AUDIT_LIST, 4, params, &res);
	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_audit_row a = {
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 4)};
		if (row(ctx, &a) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}
