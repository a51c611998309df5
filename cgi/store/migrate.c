/* migrate.c: forward-only migrations, then every function and trigger,
 * then the backfills of what was migrated: one transaction per run.
 *
 *   dir/NNN_name.sql            tables, indexes, views, grants (each file
 *                               once, recorded in schema_migrations)
 *   dir/functions/NAME.sql      every function and trigger, once each
 *                               (CREATE OR REPLACE): re-applied at every
 *                               run, in file name order, without checking
 *                               function bodies (as pg_restore does), so
 *                               that a file may use a function of a later
 *                               one
 *   dir/backfill/NNN_name.sql   the data step of migration NNN that needs
 *                               functions: run after them, only in the run
 *                               that applies NNN; written against today's
 *                               functions and re-runnable (a rebuild, not an
 *                               increment)
 *
 * Either all of it is committed or none of it. */
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

/* NNN_name.sql (migrations, backfills) */
static int is_migration(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && isdigit((unsigned char)name[0]) &&
	       isdigit((unsigned char)name[1]) &&
	       isdigit((unsigned char)name[2]) && name[3] == '_' &&
	       strcmp(name + n - 4, ".sql") == 0;
}

/* NAME.sql, NAME of [a-z0-9_] (function files) */
static int is_function_file(const char *name)
{
	size_t n = strlen(name);

	if (n < 5 || strcmp(name + n - 4, ".sql") != 0)
		return 0;
	for (size_t i = 0; i < n - 4; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return 0;
	return 1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **v; /* owned, each owned */
	size_t n, cap;
};

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* The sorted names of dir accepted by keep. A missing directory is an
 * empty list when optional. Returns 0 or -1 (message printed). */
static int list_dir(const char *dir, int (*keep)(const char *), int optional,
		    struct names *l)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		if (optional)
			return 0;
		fprintf(stderr, "enquetectl: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!keep(e->d_name))
			continue;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			char **nn = realloc(l->v, cap * sizeof(*nn));

			if (nn == NULL)
				goto oom;
			l->v = nn;
			l->cap = cap;
		}
		if ((l->v[l->n] = strdup(e->d_name)) == NULL)
			goto oom;
		l->n++;
	}
	closedir(d);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp);
	return 0;
oom:
	closedir(d);
	fprintf(stderr, "enquetectl: out of memory\n");
	return -1;
}

static int exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	/* a file of comments only is an empty query */
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
		 st == PGRES_EMPTY_QUERY;

	if (!ok)
		fprintf(stderr, "enquetectl: %s",
			res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Runs the SQL file dir/name (ours, never user input: a simple query may
 * hold several statements). Returns 0 or -1 (message printed). */
static int exec_file(PGconn *c, const char *dir, const char *name)
{
	struct buf path = BUF_INIT, sql = BUF_INIT;
	int rc = -1;

	buf_printf(&path, "%s/%s", dir, name);
	if (path.oom)
		fprintf(stderr, "enquetectl: out of memory\n");
	else if (buf_read_file(&sql, buf_cstr(&path), 16u << 20) != 0)
		fprintf(stderr, "enquetectl: cannot read %s\n",
			buf_cstr(&path));
	else if (exec_ok(c, buf_cstr(&sql)) != 0)
		fprintf(stderr,
			"enquetectl: %s failed; nothing of this run "
			"was applied\n",
			buf_cstr(&path));
	else
		rc = 0;
	buf_free(&path);
	buf_free(&sql);
	return rc;
}

/* 1 when the migration is recorded, 0 when not, -1 on failure. */
static int recorded(PGconn *c, const char *name)
{
	const char *params[1] = {name};
	PGresult *res = PQexecParams(
	    c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL,
	    params, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	else
		rc = PQntuples(res) == 1;
	PQclear(res);
	return rc;
}

static int record(PGconn *c, const char *name)
{
	const char *params[1] = {name};
	PGresult *res = PQexecParams(
	    c, "INSERT INTO schema_migrations (version) VALUES ($1)", 1, NULL,
	    params, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static int file_exists(const char *dir, const char *name)
{
	struct buf path = BUF_INIT;
	struct stat st;
	int yes;

	buf_printf(&path, "%s/%s", dir, name);
	yes =
	    !path.oom && stat(buf_cstr(&path), &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&path);
	return yes;
}

int migrate_run(PGconn *c, const char *dir)
{
	struct names mig = {0}, fun = {0};
	struct buf fdir = BUF_INIT, bdir = BUF_INIT;
	char *applied = NULL; /* applied[i]: mig.v[i] applied in this run */
	size_t napplied = 0;
	int rc = -1, began = 0;

	buf_printf(&fdir, "%s/functions", dir);
	buf_printf(&bdir, "%s/backfill", dir);
	if (fdir.oom || bdir.oom) {
		fprintf(stderr, "enquetectl: out of memory\n");
		goto out;
	}
	if (list_dir(dir, is_migration, 0, &mig) != 0 ||
	    list_dir(buf_cstr(&fdir), is_function_file, 1, &fun) != 0)
		goto out;
	if (mig.n && (applied = calloc(mig.n, 1)) == NULL) {
		fprintf(stderr, "enquetectl: out of memory\n");
		goto out;
	}
	if (exec_ok(c, "SET client_min_messages = warning") != 0 ||
	    exec_ok(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       "version text PRIMARY KEY, "
		       "applied_at timestamptz NOT NULL DEFAULT now())") != 0)
		goto out;
	if (exec_ok(c, "BEGIN") != 0)
		goto out;
	began = 1;
	/* one migrator at a time, whoever else runs `migrate` */
	if (exec_ok(c, "SELECT pg_advisory_xact_lock(4242001)") != 0)
		goto out;
	for (size_t i = 0; i < mig.n; i++) {
		int r = recorded(c, mig.v[i]);

		if (r < 0)
			goto out;
		if (r == 1)
			continue;
		if (exec_file(c, dir, mig.v[i]) != 0 ||
		    record(c, mig.v[i]) != 0)
			goto out;
		applied[i] = 1;
		napplied++;
	}
	/* the functions' bodies are checked when first called (the tests
	 * call every one), not at creation: files need no order between
	 * them; a trigger follows its function in the same file */
	if (exec_ok(c, "SET LOCAL check_function_bodies = off") != 0)
		goto out;
	for (size_t i = 0; i < fun.n; i++)
		if (exec_file(c, buf_cstr(&fdir), fun.v[i]) != 0)
			goto out;
	if (exec_ok(c, "SET LOCAL check_function_bodies = on") != 0)
		goto out;
	for (size_t i = 0; i < mig.n; i++)
		if (applied[i] && file_exists(buf_cstr(&bdir), mig.v[i]) &&
		    exec_file(c, buf_cstr(&bdir), mig.v[i]) != 0)
			goto out;
	if (exec_ok(c, "COMMIT") != 0) {
		began = 0;
		goto out;
	}
	began = 0;
	for (size_t i = 0; i < mig.n; i++)
		if (applied[i])
			printf("applied %s\n", mig.v[i]);
	if (napplied == 0)
		printf("schema up to date\n");
	rc = 0;
out:
	if (began)
		PQclear(PQexec(c, "ROLLBACK"));
	free(applied);
	names_free(&mig);
	names_free(&fun);
	buf_free(&fdir);
	buf_free(&bdir);
	return rc;
}

int migrate_secret(PGconn *c, const char *hex)
{
	const char *params[1] = {hex};
	PGresult *res = PQexecParams(
	    c,
	    "INSERT INTO app_secret (id, key) VALUES (1, decode($1, 'hex')) "
	    "ON CONFLICT (id) DO NOTHING",
	    1, NULL, params, NULL, NULL, 0);
	int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "enquetectl: %s",
			res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}
