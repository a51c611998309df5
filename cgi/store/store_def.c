/* store_def.c: the statements of questionnaire definitions (store_def.h). */
#include "store_def.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Runs one parameterised statement. Returns the result (caller PQclears)
 * or NULL after printing the error. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "enquetectl: %s",
			res ? PQresultErrorMessage(res) : PQerrorMessage(c));
		PQclear(res);
		return NULL;
	}
	return res;
}

static int run_ok(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = run(c, sql, n, p);

	PQclear(res);
	return res ? 0 : -1;
}

int store_def_begin(PGconn *c)
{
	return run_ok(c, "BEGIN", 0, NULL);
}

int store_def_commit(PGconn *c)
{
	return run_ok(c, "COMMIT", 0, NULL);
}

void store_def_rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

int store_def_timezone_known(PGconn *c, const char *name)
{
	const char *p[1] = {name};
	PGresult *res =
	    run(c, "SELECT 1 FROM pg_timezone_names WHERE name = $1", 1, p);
	int known;

	if (res == NULL)
		return -1;
	known = PQntuples(res) == 1;
	PQclear(res);
	return known;
}

int store_def_event_ensure(PGconn *c, const char *slug)
{
	const char *p[1] = {slug};
	PGresult *res = run(c,
			    "INSERT INTO event (slug) VALUES ($1) "
			    "ON CONFLICT (slug) DO NOTHING",
			    1, p);
	int created;

	if (res == NULL)
		return -1;
	created = strcmp(PQcmdTuples(res), "1") == 0;
	PQclear(res);
	return created;
}

int store_def_insert(PGconn *c, const char *slug, const char *body,
		     const char *digest, long *id, long *version)
{
	const char *p[3] = {slug, body, digest};
	PGresult *res;
	int rc;

	/* (a separate statement from the event's: a WITH query cannot see its
	 * own inserts) */
	res =
	    run(c,
		"INSERT INTO definition (event_id, version, body, digest) "
		"SELECT e.id, coalesce((SELECT max(version) FROM definition "
		"WHERE event_id = e.id), 0) + 1, $2::jsonb, $3 FROM event e "
		"WHERE e.slug = $1 AND NOT EXISTS (SELECT 1 FROM definition d "
		"WHERE d.id = e.definition_id AND (d.digest = $3 OR "
		"d.body = $2::jsonb)) "
		"RETURNING id, version",
		3, p);
	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
		*id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
		*version = strtol(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return rc;
}

int store_def_make_current(PGconn *c, const char *slug, long id)
{
	char sid[24];
	const char *p[2] = {slug, sid};

	snprintf(sid, sizeof(sid), "%ld", id);
	return run_ok(c,
		      "UPDATE event SET definition_id = $2::int "
		      "WHERE slug = $1",
		      2, p);
}

int store_def_item_add(PGconn *c, long id, const struct store_def_item *it)
{
	char sid[24], spos[24];
	const char *p[8] = {
	    sid,      it->instrument, it->item,	   spos,
	    it->type, it->role,	      it->correct, it->personal ? "t" : "f"};

	snprintf(sid, sizeof(sid), "%ld", id);
	snprintf(spos, sizeof(spos), "%d", it->pos);
	return run_ok(
	    c,
	    "INSERT INTO stats_item (definition_id, instrument, item, pos, "
	    "type, role, correct, personal) VALUES ($1::int, $2, $3, $4::int, "
	    "$5, $6, $7, $8::boolean) ON CONFLICT DO NOTHING",
	    8, p);
}

int store_def_window_set(PGconn *c, const char *slug, const char *instrument,
			 const char *opens, const char *closes)
{
	const char *p[4] = {slug, instrument, opens, closes};

	return run_ok(c,
		      "INSERT INTO instrument_window (event_id, instrument, "
		      "opens_at, closes_at) SELECT id, $2, $3::timestamptz, "
		      "$4::timestamptz FROM event WHERE slug = $1 ON CONFLICT "
		      "(event_id, instrument) DO UPDATE SET opens_at = "
		      "EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at",
		      4, p);
}

int store_def_current_body(PGconn *c, const char *slug, char **body)
{
	const char *p[1] = {slug};
	PGresult *res =
	    run(c,
		"SELECT d.body FROM event e JOIN definition d ON d.id = "
		"e.definition_id WHERE e.slug = $1",
		1, p);
	int rc = 0;

	*body = NULL;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		if ((*body = strdup(PQgetvalue(res, 0, 0))) == NULL) {
			fprintf(stderr, "enquetectl: out of memory\n");
			rc = -1;
		} else
			rc = 1;
	}
	PQclear(res);
	return rc;
}

struct pg_conn *store_def_connect(void)
{
	return db_connect_plain(db_conninfo());
}

void store_def_close(struct pg_conn *c)
{
	if (c)
		PQfinish(c);
}

/* Runs statement s on the load's connection; the result (caller
 * PQclears) or NULL after printing the error. */
static PGresult *run_stmt(PGconn *c, enum db_stmt s, int n,
			  const char *const *p)
{
	PGresult *res = db_exec_plain(c, s, n, p);

	if (res == NULL || !db_ok(res)) {
		fprintf(stderr, "enquetectl: %s",
			res ? PQresultErrorMessage(res) : PQerrorMessage(c));
		PQclear(res);
		return NULL;
	}
	return res;
}

int store_def_audit(PGconn *c, const char *actor, const char *slug,
		    const char *action, const char *detail)
{
	const char *p[4] = {actor, slug, action, detail};
	PGresult *res = run_stmt(c, DB_AUDIT_EXISTS, 0, NULL);
	int exists;

	if (res == NULL)
		return -1;
	/* a database of a schema before 020 (scripts/schema-dump's upgrades)
	 * has no audit log: nothing to record there */
	exists = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists)
		return 0;
	res = run_stmt(c, DB_AUDIT_ADD, 4, p);
	exists = res != NULL;
	PQclear(res);
	return exists ? 0 : -1;
}

int store_def_listen(struct pg_conn *c)
{
	return db_plain_listen(c);
}

void store_def_await_workers(struct pg_conn *c)
{
	db_plain_await(c);
}
