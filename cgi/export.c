/* export.c: the exports (DESIGN.md "Exports"): RFC 4180 CSV with CRLF line
 * ends, UTF-8, exact values unless excel=1; export.json from the answers
 * as sent; the codebook from the definition. Contact data lives in its own
 * table and personal items are filtered out: neither is ever exported. */
#include "export.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[EXPORT__MAX] = {
	[EXPORT_CSV_LONG] = "csv-long",
	[EXPORT_CSV_WIDE] = "csv-wide",
	[EXPORT_JSON] = "json",
	[EXPORT_CODEBOOK] = "codebook",
};

static const char *const kind_names[QDEF_KIND__MAX] = {"pre", "post"};

const char *export_format_name(enum export_format f)
{
	return f < EXPORT__MAX ? format_names[f] : "";
}

int export_format_from_name(const char *s)
{
	for (int f = 0; s && f < EXPORT__MAX; f++)
		if (strcmp(s, format_names[f]) == 0)
			return f;
	return -1;
}

const char *export_content_type(enum export_format f)
{
	return f == EXPORT_JSON ? "application/json"
				: "text/csv; charset=utf-8";
}

void export_filename(enum export_format f, const char *slug, char *out,
    size_t outlen)
{
	static const char *const suffix[EXPORT__MAX] = {
		[EXPORT_CSV_LONG] = "-long.csv",
		[EXPORT_CSV_WIDE] = "-wide.csv",
		[EXPORT_JSON] = ".json",
		[EXPORT_CODEBOOK] = "-codebook.csv",
	};

	snprintf(out, outlen, "%s%s", slug, f < EXPORT__MAX ? suffix[f] : "");
}

void export_csv_field(struct buf *out, const char *s, int excel)
{
	int guard = excel && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
				 s[0] == '@');

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (guard)
			buf_putc(out, '\'');
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	if (guard)
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

/* Runs an export statement. Returns 0 with *res (caller PQclears), or the
 * status to give (503 unreachable, 500). */
static int run(struct db *db, enum db_stmt s, long event_id, int nfields,
    PGresult **res)
{
	char id[24];
	const char *params[1] = {id};

	snprintf(id, sizeof(id), "%ld", event_id);
	*res = db_exec(db, s, 1, params);
	if (*res == NULL)
		return 503;
	if (!db_ok(*res) || PQnfields(*res) != nfields) {
		PQclear(*res);
		*res = NULL;
		return 500;
	}
	return 0;
}

/* The long/wide item name of an answer row: item, or item.rank. Into tmp. */
static const char *row_item(PGresult *res, int i, char *tmp, size_t len)
{
	if (PQgetisnull(res, i, 6))
		return PQgetvalue(res, i, 4);
	snprintf(tmp, len, "%s.%s", PQgetvalue(res, i, 4),
	    PQgetvalue(res, i, 6));
	return tmp;
}

static int write_long(struct db *db, long event_id, int excel,
    struct buf *out)
{
	PGresult *res;
	char tmp[QDEF_FIELD_MAX + 16];
	int st = run(db, DB_EXPORT_ANSWERS, event_id, 7, &res);

	if (st != 0)
		return st;
	buf_puts(out, "participant,instrument,submitted_at,item,value\r\n");
	for (int i = 0; i < PQntuples(res); i++) {
		for (int c = 1; c <= 3; c++) {
			export_csv_field(out, PQgetvalue(res, i, c), excel);
			buf_putc(out, ',');
		}
		export_csv_field(out, row_item(res, i, tmp, sizeof(tmp)),
		    excel);
		buf_putc(out, ',');
		export_csv_field(out, PQgetvalue(res, i, 5), excel);
		buf_puts(out, "\r\n");
	}
	PQclear(res);
	return out->oom ? 500 : 0;
}

/* A column of the wide export: instrument and field name. */
struct column {
	int kind;
	char name[QDEF_FIELD_MAX + 8];
};

static int column_cmp(const void *pa, const void *pb)
{
	const struct column *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind - b->kind;
	return strcmp(a->name, b->name);
}

/* The wide columns in form order (personal items left out). Returns the
 * array (caller frees) with *n, or NULL when out of memory. */
static struct column *wide_columns(const struct qdef *def, size_t *n)
{
	size_t cap = 0, k = 0;
	struct column *c;

	for (int i = 0; i < QDEF_KIND__MAX; i++)
		for (size_t j = 0; j < def->instruments[i].nitems; j++)
			cap += 2 + def->instruments[i].items[j].top;
	if ((c = calloc(cap + 1, sizeof(*c))) == NULL)
		return NULL;
	for (int i = 0; i < QDEF_KIND__MAX; i++) {
		const struct qdef_instrument *in = &def->instruments[i];
		for (size_t j = 0; in->present && j < in->nitems; j++) {
			const struct qdef_item *it = &in->items[j];
			if (it->personal)
				continue;
			if (it->type == QDEF_RANK) {
				for (size_t r = 1; r <= it->top; r++) {
					c[k].kind = i;
					snprintf(c[k++].name, sizeof(c->name),
					    "%s.%zu", it->key, r);
				}
				continue;
			}
			c[k].kind = i;
			snprintf(c[k++].name, sizeof(c->name), "%s", it->key);
			if (it->other) {
				c[k].kind = i;
				snprintf(c[k++].name, sizeof(c->name),
				    "%s.other", it->key);
			}
			if (it->retro) {
				c[k].kind = i;
				snprintf(c[k++].name, sizeof(c->name),
				    "%s.retro", it->key);
			}
		}
	}
	*n = k;
	return c;
}

static void wide_flush(struct buf *out, const char *code, struct buf *cells,
    size_t ncols, int excel)
{
	export_csv_field(out, code, excel);
	for (size_t i = 0; i < ncols; i++) {
		buf_putc(out, ',');
		export_csv_field(out, buf_cstr(&cells[i]), excel);
		buf_reset(&cells[i]);
	}
	buf_puts(out, "\r\n");
}

static int write_wide(struct db *db, const struct qdef *def, long event_id,
    int excel, struct buf *out)
{
	struct column *cols = NULL, *sorted = NULL, key, *hit;
	struct buf *cells = NULL;
	PGresult *res = NULL;
	size_t ncols = 0;
	const char *cur = NULL;
	char tmp[QDEF_FIELD_MAX + 16];
	int st = 500;

	if ((cols = wide_columns(def, &ncols)) == NULL ||
	    (sorted = calloc(ncols + 1, sizeof(*sorted))) == NULL ||
	    (cells = calloc(ncols + 1, sizeof(*cells))) == NULL)
		goto out;
	memcpy(sorted, cols, ncols * sizeof(*cols));
	qsort(sorted, ncols, sizeof(*sorted), column_cmp);
	if ((st = run(db, DB_EXPORT_ANSWERS, event_id, 7, &res)) != 0)
		goto out;
	buf_puts(out, "participant");
	for (size_t i = 0; i < ncols; i++) {
		snprintf(tmp, sizeof(tmp), "%s.%s", kind_names[cols[i].kind],
		    cols[i].name);
		buf_putc(out, ',');
		export_csv_field(out, tmp, excel);
	}
	buf_puts(out, "\r\n");
	for (int i = 0; i < PQntuples(res); i++) {
		const char *code = PQgetvalue(res, i, 1);
		if (cur && strcmp(cur, code) != 0)
			wide_flush(out, cur, cells, ncols, excel);
		cur = code;
		key.kind = strcmp(PQgetvalue(res, i, 2), "pre") == 0 ? QDEF_PRE
								     : QDEF_POST;
		snprintf(key.name, sizeof(key.name), "%s",
		    row_item(res, i, tmp, sizeof(tmp)));
		hit = bsearch(&key, sorted, ncols, sizeof(*sorted),
		    column_cmp);
		if (hit == NULL) /* an item the current version dropped */
			continue;
		/* the column's position in form order */
		for (size_t c = 0; c < ncols; c++) {
			if (column_cmp(&cols[c], hit) != 0)
				continue;
			if (cells[c].len)
				buf_putc(&cells[c], '|');
			buf_puts(&cells[c], PQgetvalue(res, i, 5));
			if (cells[c].oom)
				goto out;
			break;
		}
	}
	if (cur)
		wide_flush(out, cur, cells, ncols, excel);
	st = out->oom ? 500 : 0;
out:
	for (size_t i = 0; cells && i < ncols; i++)
		buf_free(&cells[i]);
	free(cells);
	free(sorted);
	free(cols);
	PQclear(res);
	return st;
}

/* Whether a form field may be exported: not technical (_csrf...) and not
 * a personal item's in either instrument (whatever the answers hold). */
static int field_exported(const struct qdef *def, const char *key)
{
	char base[QDEF_FIELD_MAX + 1];
	const struct qdef_item *it;
	size_t n = strcspn(key, ".");

	if (key[0] == '_' || n >= sizeof(base))
		return 0;
	memcpy(base, key, n);
	base[n] = '\0';
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		if (!def->instruments[k].present)
			continue;
		it = qdef_item(&def->instruments[k], base);
		if (it && it->personal)
			return 0;
	}
	return 1;
}

static int write_json(struct db *db, const struct qdef *def, long event_id,
    const char *slug, struct buf *out)
{
	const int flags = JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *s = json_object_new_string(slug), *o = NULL;
	struct json_object *ans, *all = NULL, *v;
	PGresult *res = NULL;
	int st = 500;

	if (s == NULL)
		goto out;
	if ((st = run(db, DB_EXPORT_RESPONSES, event_id, 4, &res)) != 0)
		goto out;
	st = 500;
	buf_puts(out, "{\"event\":");
	buf_puts(out, json_object_to_json_string_ext(s, flags));
	buf_puts(out, ",\"responses\":[");
	for (int i = 0; i < PQntuples(res); i++) {
		if ((all = json_tokener_parse(PQgetvalue(res, i, 3))) == NULL ||
		    !json_object_is_type(all, json_type_object) ||
		    (o = json_object_new_object()) == NULL ||
		    (ans = json_object_new_object()) == NULL)
			goto out;
		if (json_object_object_add(o, "participant",
			json_object_new_string(PQgetvalue(res, i, 0))) ||
		    json_object_object_add(o, "instrument",
			json_object_new_string(PQgetvalue(res, i, 1))) ||
		    json_object_object_add(o, "submitted_at",
			json_object_new_string(PQgetvalue(res, i, 2))) ||
		    json_object_object_add(o, "answers", ans)) {
			json_object_put(ans);
			goto out;
		}
		json_object_object_foreach(all, k, val)
		{
			if (!field_exported(def, k))
				continue;
			v = json_object_get(val);
			if (json_object_object_add(ans, k, v) != 0) {
				json_object_put(v);
				goto out;
			}
		}
		if (i > 0)
			buf_putc(out, ',');
		buf_puts(out, json_object_to_json_string_ext(o, flags));
		json_object_put(o);
		json_object_put(all);
		o = all = NULL;
	}
	buf_puts(out, "]}\n");
	st = out->oom ? 500 : 0;
out:
	json_object_put(o);
	json_object_put(all);
	json_object_put(s);
	PQclear(res);
	return st;
}

/* The text of a localized object in lang exactly ("" when absent). */
static const char *label_in(struct json_object *loc, const char *lang)
{
	struct json_object *v;

	if (loc && json_object_object_get_ex(loc, lang, &v))
		return json_object_get_string(v);
	return "";
}

/* The codebook's options column of an item into b (empty for texts). */
static void codebook_options(const struct qdef *def,
    const struct qdef_item *it, struct buf *b)
{
	size_t n = it->scale ? json_object_array_length(it->scale) : 0;

	if (it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) {
		for (size_t i = 0; i < n; i++) {
			/* likert: 1..5; 0-10: the two ends */
			int v = it->type == QDEF_LIKERT5 ? (int)i + 1
							 : (i ? 10 : 0);
			buf_printf(b, "%s%d=%s", i ? "|" : "", v,
			    qdef_text(def, json_object_array_get_idx(
						  it->scale, i),
				QDEF_LANG_FR));
		}
		return;
	}
	for (size_t i = 0; i < it->noptions; i++)
		buf_printf(b, "%s%s=%s", i ? "|" : "", it->options[i].value,
		    qdef_text(def, it->options[i].label, QDEF_LANG_FR));
}

static void codebook_row(struct buf *out, const char *item, const char *kind,
    const char *type, const struct qdef_item *it, const char *options,
    const char *correct)
{
	static const char *const langs[] = {"fr", "en", "ar"};

	export_csv_field(out, item, 0);
	buf_putc(out, ',');
	export_csv_field(out, kind, 0);
	buf_putc(out, ',');
	export_csv_field(out, type, 0);
	for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
		buf_putc(out, ',');
		export_csv_field(out, label_in(it->label, langs[l]), 0);
	}
	buf_putc(out, ',');
	export_csv_field(out, options, 0);
	buf_putc(out, ',');
	export_csv_field(out, correct, 0);
	buf_puts(out, "\r\n");
}

static int write_codebook(const struct qdef *def, int excel, struct buf *out)
{
	struct buf opts = BUF_INIT;
	char name[QDEF_FIELD_MAX + 8];

	if (excel)
		buf_puts(out, "\xEF\xBB\xBF");
	buf_puts(out, "item,instrument,type,label_fr,label_en,label_ar,"
		      "options,correct\r\n");
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->personal)
				continue;
			buf_reset(&opts);
			codebook_options(def, it, &opts);
			codebook_row(out, it->key, kind_names[k],
			    qdef_type_name(it->type), it, buf_cstr(&opts),
			    it->correct >= 0 ? it->options[it->correct].value
					     : "");
			if (it->other) {
				snprintf(name, sizeof(name), "%s.other",
				    it->key);
				codebook_row(out, name, kind_names[k], "text",
				    it, "", "");
			}
			if (it->retro) {
				snprintf(name, sizeof(name), "%s.retro",
				    it->key);
				codebook_row(out, name, kind_names[k],
				    qdef_type_name(it->type), it,
				    buf_cstr(&opts), "");
			}
		}
	}
	buf_free(&opts);
	return out->oom || opts.oom ? 500 : 0;
}

int export_write(struct db *db, const struct qdef *def, long event_id,
    const char *slug, enum export_format f, int excel, struct buf *out)
{
	if (excel && f != EXPORT_JSON && f != EXPORT_CODEBOOK)
		buf_puts(out, "\xEF\xBB\xBF");
	switch (f) {
	case EXPORT_CSV_LONG:
		return write_long(db, event_id, excel, out);
	case EXPORT_CSV_WIDE:
		return write_wide(db, def, event_id, excel, out);
	case EXPORT_JSON:
		return write_json(db, def, event_id, slug, out);
	case EXPORT_CODEBOOK:
		return write_codebook(def, excel, out);
	default:
		return 500;
	}
}
