/* ctl_load.c: `enquetectl load FILE.json|FILE.xlsx...` validates every
 * file (a JSON definition, or an XLSForm workbook recognised by its zip
 * signature), prints every error with its JSON path or its cell, and only
 * when all are valid stores them
 * in one transaction: an unchanged definition is a no-op, a changed one a
 * new version (responses keep pointing at the version they answered). */
#include <errno.h>
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "db.h"
#include "qdef.h"
#include "xlsform.h"
#include "xlsx.h"

static int exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "enquetectl: %s", PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Runs a parameterised statement; returns the result (caller PQclears) or
 * NULL after printing the error. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "enquetectl: %s", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Stores one valid definition. Returns 0 or -1. */
static int store(PGconn *c, const char *file, struct json_object *def,
    const struct qdef *d)
{
	const char *text = json_object_to_json_string_ext(def,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	unsigned char h[crypto_hash_sha256_BYTES];
	char digest[65];
	const char *p[4];
	PGresult *res;
	int changed;

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(digest, sizeof(digest), h, sizeof(h));
	p[0] = d->slug;
	p[1] = text;
	p[2] = digest;
	/* a new version only when the definition differs from the current
	 * one: same digest, or the same JSON whatever its key order (a
	 * workbook reads back to the same definition, not the same text)
	 * (separate statements: a WITH query cannot see its own inserts) */
	res = run(c, "INSERT INTO event (slug) VALUES ($1) ON CONFLICT (slug) "
	    "DO NOTHING", 1, p);
	if (res == NULL)
		return -1;
	PQclear(res);
	res = run(c,
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
	changed = PQntuples(res) == 1;
	if (changed) {
		const char *u[2] = {d->slug, PQgetvalue(res, 0, 0)};
		PGresult *upd = run(c, "UPDATE event SET definition_id = "
		    "$2::int WHERE slug = $1", 2, u);
		if (upd == NULL) {
			PQclear(res);
			return -1;
		}
		PQclear(upd);
		printf("%s: %s loaded as version %s\n", file, d->slug,
		    PQgetvalue(res, 0, 1));
	} else
		printf("%s: %s unchanged\n", file, d->slug);
	PQclear(res);
	if (!changed)
		return 0;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];

		if (!in->present || (in->opens == NULL && in->closes == NULL))
			continue;
		p[0] = d->slug;
		p[1] = qdef_kind_name((enum qdef_kind)k);
		p[2] = in->opens;
		p[3] = in->closes;
		res = run(c,
		    "INSERT INTO instrument_window (event_id, instrument, "
		    "opens_at, closes_at) SELECT id, $2, $3::timestamptz, "
		    "$4::timestamptz FROM event WHERE slug = $1 ON CONFLICT "
		    "(event_id, instrument) DO UPDATE SET opens_at = "
		    "EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at",
		    4, p);
		if (res == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}

/* Reads and validates one file, JSON or XLSForm by its first bytes.
 * Returns the definition (caller puts) or NULL with errs filled. */
static struct json_object *read_definition(const char *file,
    struct qdef_errors *errs)
{
	unsigned char magic[4];
	struct json_object *def = NULL;
	struct buf b = BUF_INIT;
	size_t n = 0;
	FILE *f = fopen(file, "rb");
	char *m;

	/* a workbook has the zip signature; anything else is read as JSON */
	if (f != NULL) {
		n = fread(magic, 1, sizeof(magic), f);
		fclose(f);
	}
	if (f == NULL || !xlsx_is_zip(magic, n)) {
		def = qdef_parse_file(file, errs);
		if (def && qdef_validate(def, errs) != 0) {
			json_object_put(def);
			def = NULL;
		}
		return def;
	}
	if (buf_read_file(&b, file, XLSX_MAX_BYTES) != 0) {
		m = malloc(128);
		if (m) {
			snprintf(m, 128, "workbook: %s", errno == E2BIG ?
			    "the file is over the size limit" :
			    strerror(errno));
			char **mm = realloc(errs->msg, (errs->n + 1) *
			    sizeof(*mm));

			if (mm) {
				errs->msg = mm;
				errs->msg[errs->n++] = m;
			} else
				free(m);
		}
		buf_free(&b);
		return NULL;
	}
	if (xlsform_load(b.data, b.len, &def, errs) != 0)
		def = NULL;
	buf_free(&b);
	return def;
}

int ctl_load(int argc, char **argv)
{
	struct json_object **defs = NULL;
	struct qdef **models = NULL;
	PGconn *c = NULL;
	int nfiles = argc - 1, invalid = 0, rc = 1;

	if (nfiles < 1) {
		fprintf(stderr, "usage: enquetectl load FILE.json|FILE.xlsx...\n");
		return 2;
	}
	defs = calloc((size_t)nfiles, sizeof(*defs));
	models = calloc((size_t)nfiles, sizeof(*models));
	if (defs == NULL || models == NULL)
		goto out;
	for (int i = 0; i < nfiles; i++) {
		struct qdef_errors errs = {0, NULL};
		const char *file = argv[i + 1];

		defs[i] = read_definition(file, &errs);
		if (defs[i])
			models[i] = qdef_build(defs[i]);
		for (size_t k = 0; k < errs.n; k++)
			fprintf(stderr, "%s: %s\n", file, errs.msg[k]);
		if (models[i] == NULL) {
			if (errs.n == 0)
				fprintf(stderr, "%s: out of memory\n", file);
			fprintf(stderr, "%s: invalid definition, not loaded "
			    "(%zu error%s)\n", file, errs.n,
			    errs.n == 1 ? "" : "s");
			invalid++;
		}
		qdef_errors_free(&errs);
	}
	if (invalid)
		goto out;
	c = db_connect_plain(db_conninfo());
	if (c == NULL)
		goto out;
	/* the time zone must be one the database knows (a typo such as
	 * Africa/Casablana passes the pattern check) */
	for (int i = 0; i < nfiles; i++) {
		const char *p[1] = {models[i]->timezone};
		PGresult *res = run(c, "SELECT 1 FROM pg_timezone_names "
		    "WHERE name = $1", 1, p);
		int known = res && PQntuples(res) == 1;

		PQclear(res);
		if (res == NULL)
			goto out;
		if (!known) {
			fprintf(stderr, "%s: $.event.timezone: unknown time zone "
			    "\"%s\"\n%s: invalid definition, not loaded (1 "
			    "error)\n", argv[i + 1], p[0], argv[i + 1]);
			invalid++;
		}
	}
	if (invalid)
		goto out;
	if (ctl_listen(c) != 0 || exec_ok(c, "BEGIN") != 0)
		goto out;
	for (int i = 0; i < nfiles; i++)
		if (store(c, argv[i + 1], defs[i], models[i]) != 0) {
			PQclear(PQexec(c, "ROLLBACK"));
			goto out;
		}
	if (exec_ok(c, "COMMIT") != 0)
		goto out;
	ctl_await_workers(c);
	rc = 0;
out:
	for (int i = 0; defs && i < nfiles; i++) {
		if (models && models[i])
			qdef_free(models[i]);
		json_object_put(defs[i]);
	}
	free(defs);
	free(models);
	if (c)
		PQfinish(c);
	return rc;
}
