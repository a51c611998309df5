/* migrate.c: forward-only migrations, each in one transaction. */
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int is_migration(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && isdigit((unsigned char)name[0]) &&
	    isdigit((unsigned char)name[1]) &&
	    isdigit((unsigned char)name[2]) && name[3] == '_' &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int ok = res && (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK);

	if (!ok)
		fprintf(stderr, "enquetectl: %s", res ? PQresultErrorMessage(res)
						     : PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}


/* Applies one file in its own transaction unless it is already recorded.
 * Returns 1 when applied, 0 when already there, -1 on failure. */
static int apply_one(PGconn *c, const char *dir, const char *name)
{
	const char *params[1] = {name};
	struct buf path = BUF_INIT, sql = BUF_INIT;
	PGresult *res = NULL;
	int rc = -1;

	if (exec_ok(c, "BEGIN") != 0)
		return -1;
	/* one migrator at a time, whoever else runs `migrate` */
	if (exec_ok(c, "SELECT pg_advisory_xact_lock(4242001)") != 0)
		goto out;
	res = PQexecParams(c,
	    "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
		goto out;
	}
	if (PQntuples(res) == 1) {
		rc = 0;
		goto out;
	}
	PQclear(res);
	res = NULL;
	buf_printf(&path, "%s/%s", dir, name);
	if (buf_read_file(&sql, buf_cstr(&path), 16u << 20) != 0) {
		fprintf(stderr, "enquetectl: cannot read %s\n", buf_cstr(&path));
		goto out;
	}
	/* the migration files are ours, never user input: a simple query may
	 * hold several statements */
	if (exec_ok(c, buf_cstr(&sql)) != 0) {
		fprintf(stderr, "enquetectl: migration %s failed; nothing of it "
		    "was applied\n", name);
		goto out;
	}
	res = PQexecParams(c,
	    "INSERT INTO schema_migrations (version) VALUES ($1)", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
		goto out;
	}
	rc = 1;
out:
	PQclear(res);
	if (rc >= 0) {
		if (exec_ok(c, "COMMIT") != 0)
			rc = -1;
	} else
		PQclear(PQexec(c, "ROLLBACK"));
	if (rc == 1)
		printf("applied %s\n", name);
	buf_free(&path);
	buf_free(&sql);
	return rc;
}

int migrate_run(PGconn *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = -1, applied = 0;

	if (d == NULL) {
		fprintf(stderr, "enquetectl: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_migration(e->d_name))
			continue;
		if (n == cap) {
			char **nn;
			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*nn));
			if (nn == NULL)
				goto out;
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL)
			goto out;
		n++;
	}
	qsort(names, n, sizeof(*names), cmp);
	if (exec_ok(c, "SET client_min_messages = warning") != 0 ||
	    exec_ok(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       "version text PRIMARY KEY, "
		       "applied_at timestamptz NOT NULL DEFAULT now())") != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int r = apply_one(c, dir, names[i]);
		if (r < 0)
			goto out;
		applied += r;
	}
	if (applied == 0)
		printf("schema up to date\n");
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}
