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

#include "audit.h"
#include "console.h"
#include "ctl.h"
#include "qdef.h"
#include "store_console.h"
#include "store_def.h"
#include "xlsform.h"
#include "xlsx.h"

/* Writes what the schema's functions need to know of each answer field of
 * a new definition version (stats_item): C is the only reader of the
 * format. Returns 0 or -1. */
static int store_items(struct pg_conn *c, long id, const struct qdef *d)
{
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];

		if (!in->present)
			continue;
		for (size_t s = 0; s < in->nsections; s++) {
			const struct qdef_section *sec = &in->sections[s];

			for (size_t t = 0; t < sec->count; t++) {
				const struct qdef_item *it =
				    &in->items[sec->first + t];
				int pos = (int)(((s + 1) * 1000 + t + 1) * 4);
				char other[QDEF_FIELD_MAX + 1];
				char retro[QDEF_FIELD_MAX + 1];
				struct store_def_item row = {
				    .instrument = qdef_kind_name(
					(enum qdef_kind)k),
				    .item = it->key,
				    .pos = pos,
				    .type = qdef_type_name(it->type),
				    .role = qdef_role_name(it->role),
				    .correct = it->type == QDEF_QUIZ &&
					    it->correct >= 0 ? it->options[
					    it->correct].value : NULL,
				    .personal = it->personal};

				if (store_def_item_add(c, id, &row) != 0)
					return -1;
				row.correct = NULL;
				if (it->other) {
					snprintf(other, sizeof(other),
					    "%s.other", it->key);
					row.item = other;
					row.pos = pos + 1;
					row.type = row.role = "other";
					if (store_def_item_add(c, id, &row))
						return -1;
				}
				if (it->retro) {
					snprintf(retro, sizeof(retro),
					    "%s.retro", it->key);
					row.item = retro;
					row.pos = pos + 2;
					row.type = qdef_type_name(it->type);
					row.role = "retro";
					if (store_def_item_add(c, id, &row))
						return -1;
				}
			}
		}
	}
	return 0;
}

/* Stores one valid definition. Returns 0 or -1. */
static int store(struct pg_conn *c, const char *file, struct json_object *def,
    const struct qdef *d)
{
	const char *text = json_object_to_json_string_ext(def,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	unsigned char h[crypto_hash_sha256_BYTES];
	char digest[65];
	long id = 0, version = 0;
	int changed, created;
	char actor[AUDIT_ACTOR_MAX + 1], detail[160];

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(digest, sizeof(digest), h, sizeof(h));
	/* a new version only when the definition differs from the current
	 * one: same digest, or the same JSON whatever its key order (a
	 * workbook reads back to the same definition, not the same text) */
	created = store_def_event_ensure(c, d->slug);
	if (created < 0)
		return -1;
	changed = store_def_insert(c, d->slug, text, digest, &id, &version);
	if (changed < 0)
		return -1;
	/* audited in the load's transaction: no version without its entry */
	audit_cli_actor(actor, sizeof(actor));
	if (created && store_def_audit(c, actor, d->slug, "event.create",
	    NULL) != 0)
		return -1;
	if (changed) {
		snprintf(detail, sizeof(detail), "{\"version\": %ld, "
		    "\"digest\": \"%s\"}", version, digest);
		if (store_def_audit(c, actor, d->slug, "definition.version",
		    detail) != 0)
			return -1;
	}
	if (!changed) {
		printf("%s: %s unchanged\n", file, d->slug);
		return 0;
	}
	if (store_items(c, id, d) != 0 ||
	    store_def_make_current(c, d->slug, id) != 0)
		return -1;
	printf("%s: %s loaded as version %ld\n", file, d->slug, version);
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];

		if (!in->present || (in->opens == NULL && in->closes == NULL))
			continue;
		if (store_def_window_set(c, d->slug,
		    qdef_kind_name((enum qdef_kind)k), in->opens,
		    in->closes) != 0)
			return -1;
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

/* Checks definition d against the answers of its event's current
 * definition and prints each conflict. The number of conflicts (0 for a
 * new event), or -1 on failure (printed). */
static int conflicts(struct pg_conn *c, const char *file, const struct qdef *d)
{
	struct qdef_errors errs = {0, NULL}, verrs = {0, NULL};
	struct json_object *answered = NULL, *oldj = NULL;
	struct qdef *old = NULL;
	char *body = NULL;
	int rc = store_def_current_body(c, d->slug, &body);

	if (rc <= 0)
		return rc; /* a new event, or a failure */
	rc = -1;
	oldj = json_tokener_parse(body);
	if (oldj == NULL || qdef_validate(oldj, &verrs) != 0 ||
	    (old = qdef_build(oldj)) == NULL) {
		fprintf(stderr, "%s: the current definition of %s cannot be "
		    "read\n", file, d->slug);
		goto out;
	}
	if ((answered = json_object_new_object()) == NULL ||
	    store_def_answered(c, d->slug, console_answered_row, answered) != 0)
		goto out;
	rc = console_check_changes(old, d, answered, &errs);
	for (size_t k = 0; k < errs.n; k++)
		fprintf(stderr, "%s: %s\n", file, errs.msg[k]);
	if (rc > 0)
		fprintf(stderr, "%s: %d change%s refused: answers exist (a new "
		    "version may reword, reorder and add, not remove or "
		    "retype what was answered)\n", file, rc, rc == 1 ? "" : "s");
out:
	qdef_errors_free(&errs);
	qdef_errors_free(&verrs);
	qdef_free(old);
	json_object_put(oldj);
	json_object_put(answered);
	free(body);
	return rc;
}

int ctl_load(int argc, char **argv)
{
	struct json_object **defs = NULL;
	struct qdef **models = NULL;
	struct pg_conn *c = NULL;
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
	c = store_def_connect();
	if (c == NULL)
		goto out;
	/* the time zone must be one the database knows (a typo such as
	 * Africa/Casablana passes the pattern check) */
	for (int i = 0; i < nfiles; i++) {
		int known = store_def_timezone_known(c, models[i]->timezone);

		if (known < 0)
			goto out;
		if (!known) {
			fprintf(stderr, "%s: $.event.timezone: unknown time zone "
			    "\"%s\"\n%s: invalid definition, not loaded (1 "
			    "error)\n", argv[i + 1], models[i]->timezone,
			    argv[i + 1]);
			invalid++;
		}
	}
	if (invalid)
		goto out;
	/* the safe-change rule (DESIGN.md): a new version of an event with
	 * answers may not drop or change what was answered */
	for (int i = 0; i < nfiles; i++) {
		int nc = conflicts(c, argv[i + 1], models[i]);

		if (nc < 0)
			goto out;
		invalid += nc > 0;
	}
	if (invalid)
		goto out;
	if (store_def_listen(c) != 0 || store_def_begin(c) != 0)
		goto out;
	for (int i = 0; i < nfiles; i++)
		if (store(c, argv[i + 1], defs[i], models[i]) != 0) {
			store_def_rollback(c);
			goto out;
		}
	if (store_def_commit(c) != 0)
		goto out;
	store_def_await_workers(c);
	rc = 0;
out:
	for (int i = 0; defs && i < nfiles; i++) {
		if (models && models[i])
			qdef_free(models[i]);
		json_object_put(defs[i]);
	}
	free(defs);
	free(models);
	store_def_close(c);
	return rc;
}
