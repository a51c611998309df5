/* export.c: the exports (DESIGN.md "Exports" and "Exports (second
 * stage)", docs/exports.md): RFC 4180 CSV with CRLF line ends, UTF-8, exact
 * values unless excel=1; export.json from the answers as sent, typed by the
 * definition; the codebook from the definition, one row per wide column.
 * Contact data lives in its own table and personal items are filtered out:
 * neither is ever exported. */
#include "export.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "log.h"
#include "store_console.h"

static const char *const format_names[EXPORT__MAX] = {
	[EXPORT_CSV_LONG] = "csv-long",
	[EXPORT_CSV_WIDE] = "csv-wide",
	[EXPORT_JSON] = "json",
	[EXPORT_CODEBOOK] = "codebook",
};

static const char *const kind_names[QDEF_KIND__MAX] = {"pre", "post",
    "followup"};

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
	/* what a spreadsheet runs as a formula: = + - @, and TAB, CR or LF
	 * before one (OWASP "CSV injection") */
	int guard = excel && s[0] != '\0' && strchr("=+-@\t\r\n", s[0]);

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

/* The status of an export whose rows the store read with rc. */
static int export_status(struct db *db, enum store_rc rc, struct buf *out)
{
	if (rc == STORE_DOWN)
		return 503;
	if (rc != STORE_OK) {
		if (rc != STORE_STOPPED)
			log_msg(NULL, "export: %s", store_error(db));
		return 500;
	}
	return out->oom ? 500 : 0;
}

/* The long/wide item name of an answer row: item, or item.rank. Into tmp. */
static const char *row_item(const struct store_answer_row *a, char *tmp,
    size_t len)
{
	if (a->rank == NULL)
		return a->item;
	snprintf(tmp, len, "%s.%s", a->item, a->rank);
	return tmp;
}

int export_sink_row(struct export_sink *sink)
{
	struct buf *out = sink->out;

	if (out->oom)
		return -1;
	if (sink->flush == NULL || out->len < EXPORT_CHUNK)
		return 0;
	sink->flushed = 1;
	if (sink->flush(sink->ctx, out->data, out->len) != 0)
		return -1;
	buf_reset(out);
	return 0;
}

struct long_ctx {
	struct buf *out;
	int excel;
	const char *event; /* the programme export's first column, or NULL */
	struct export_sink *sink;
};

static int long_row(void *ctx, const struct store_answer_row *a)
{
	struct long_ctx *l = ctx;
	char tmp[QDEF_FIELD_MAX + 16];
	const char *lead[3] = {a->code, a->instrument, a->submitted_at};

	if (l->event) {
		export_csv_field(l->out, l->event, l->excel);
		buf_putc(l->out, ',');
	}
	for (int c = 0; c < 3; c++) {
		export_csv_field(l->out, lead[c], l->excel);
		buf_putc(l->out, ',');
	}
	export_csv_field(l->out, row_item(a, tmp, sizeof(tmp)), l->excel);
	buf_putc(l->out, ',');
	export_csv_field(l->out, a->value, l->excel);
	buf_putc(l->out, ',');
	export_csv_field(l->out, a->lang, l->excel);
	buf_putc(l->out, ',');
	export_csv_field(l->out, a->source, l->excel);
	buf_puts(l->out, "\r\n");
	return export_sink_row(l->sink);
}

static int write_long(struct db *db, long event_id, int excel,
    struct export_sink *sink)
{
	struct buf *out = sink->out;
	struct long_ctx l = {out, excel, NULL, sink};

	buf_puts(out, "participant,instrument,submitted_at,item,value,lang,"
		      "source\r\n");
	return export_status(db, store_export_answers(db, event_id, long_row,
	    &l), out);
}

/* What a wide column holds: an item's answer, its "other" text, its
 * retrospective rating, one rank of a ranking, or the language or source
 * of the response (DESIGN.md "Exports (second stage)"). */
enum column_role {
	COL_ITEM,
	COL_OTHER,
	COL_RETRO,
	COL_RANK,
	COL_LANG,
	COL_SOURCE,
	COL__MAX
};

/* A column of the wide export, and a row of the codebook: instrument,
 * field name, what it holds and its item (borrowed from the definition;
 * NULL for lang and source). */
struct column {
	int kind;
	enum column_role role;
	const struct qdef_item *it;
	char name[QDEF_FIELD_MAX + 8];
};

static int column_cmp(const void *pa, const void *pb)
{
	const struct column *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind - b->kind;
	return strcmp(a->name, b->name);
}

static void column_add(struct column *c, size_t *k, int kind,
    enum column_role role, const struct qdef_item *it, const char *suffix)
{
	struct column *x = &c[(*k)++];

	x->kind = kind;
	x->role = role;
	x->it = it;
	snprintf(x->name, sizeof(x->name), "%s%s", it ? it->key : "", suffix);
}

/* The wide columns: each instrument's items in form order (personal items
 * left out), then <instrument>.lang and <instrument>.source of each
 * instrument, last so that the item columns keep their places. Returns the
 * array (caller frees) with *n columns of which the first *nitems are item
 * columns, or NULL when out of memory. */
static struct column *wide_columns(const struct qdef *def, size_t *n,
    size_t *nitems)
{
	size_t cap = 2 * QDEF_KIND__MAX, k = 0;
	char suffix[24];
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
					snprintf(suffix, sizeof(suffix),
					    ".%zu", r);
					column_add(c, &k, i, COL_RANK, it,
					    suffix);
				}
				continue;
			}
			column_add(c, &k, i, COL_ITEM, it, "");
			if (it->other)
				column_add(c, &k, i, COL_OTHER, it, ".other");
			if (it->retro)
				column_add(c, &k, i, COL_RETRO, it, ".retro");
		}
	}
	*nitems = k;
	for (int i = 0; i < QDEF_KIND__MAX; i++) {
		if (!def->instruments[i].present)
			continue;
		column_add(c, &k, i, COL_LANG, NULL, "lang");
		column_add(c, &k, i, COL_SOURCE, NULL, "source");
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

/* The wide export being written, row by row. */
struct wide_ctx {
	struct buf *out, *cells;
	struct column *cols, *sorted;
	size_t ncols, nitems;
	long (*meta)[2];
	char cur[32];    /* the participant being gathered, "" before */
	int excel;
	/* export_wide_each(): each row goes to fn instead of out */
	export_wide_fn fn;
	void *fnctx;
	const char **ptrs; /* ncols cell pointers handed to fn */
	struct export_sink *sink;
};

/* The gathered participant: a CSV line, or fn's row. 0, or -1 to stop. */
static int wide_emit(struct wide_ctx *w)
{
	int rc;

	if (w->fn == NULL) {
		wide_flush(w->out, w->cur, w->cells, w->ncols, w->excel);
		return export_sink_row(w->sink);
	}
	for (size_t i = 0; i < w->ncols; i++)
		w->ptrs[i] = buf_cstr(&w->cells[i]);
	rc = w->fn(w->fnctx, w->cur, w->ptrs, w->ncols);
	for (size_t i = 0; i < w->ncols; i++)
		buf_reset(&w->cells[i]);
	return rc;
}

static int wide_row(void *ctx, const struct store_answer_row *a)
{
	struct wide_ctx *w = ctx;
	struct column key, *hit;
	char tmp[QDEF_FIELD_MAX + 16];
	int kind;

	if (w->cur[0] && strcmp(w->cur, a->code) != 0 && wide_emit(w) != 0)
		return -1;
	snprintf(w->cur, sizeof(w->cur), "%s", a->code);
	if ((kind = qdef_kind_from_name(a->instrument)) < 0)
		return 0;
	/* the response's language and source, the same on each of its rows */
	for (int m = 0; m < 2; m++) {
		if (w->meta[kind][m] < 0)
			continue;
		buf_reset(&w->cells[w->meta[kind][m]]);
		buf_puts(&w->cells[w->meta[kind][m]], m ? a->source : a->lang);
	}
	key.kind = kind;
	if (snprintf(key.name, sizeof(key.name), "%s",
		row_item(a, tmp, sizeof(tmp))) >= (int)sizeof(key.name))
		return 0; /* longer than any column: not one */
	hit = bsearch(&key, w->sorted, w->nitems, sizeof(*w->sorted),
	    column_cmp);
	if (hit == NULL) /* an item the current version dropped */
		return 0;
	/* the column's position in form order */
	for (size_t c = 0; c < w->nitems; c++) {
		if (column_cmp(&w->cols[c], hit) != 0)
			continue;
		if (w->cells[c].len)
			buf_putc(&w->cells[c], '|');
		buf_puts(&w->cells[c], a->value);
		return w->cells[c].oom ? -1 : 0;
	}
	return 0;
}

/* The wide rows of event_id: into sink as CSV (fn NULL: with its header),
 * or to fn one participant at a time (sink unused, NULL). */
static int wide_run(struct db *db, const struct qdef *def, long event_id,
    int excel, struct export_sink *sink, export_wide_fn fn, void *fnctx)
{
	struct buf *out = sink ? sink->out : NULL;
	struct column *cols = NULL, *sorted = NULL;
	struct buf *cells = NULL;
	const char **ptrs = NULL;
	size_t ncols = 0, nitems = 0;
	/* the lang and source columns of each instrument, -1 when absent */
	long meta[QDEF_KIND__MAX][2];
	char tmp[QDEF_FIELD_MAX + 16];
	struct wide_ctx w;
	enum store_rc rc;
	int st = 500;

	if ((cols = wide_columns(def, &ncols, &nitems)) == NULL ||
	    (sorted = calloc(nitems + 1, sizeof(*sorted))) == NULL ||
	    (cells = calloc(ncols + 1, sizeof(*cells))) == NULL ||
	    (ptrs = calloc(ncols + 1, sizeof(*ptrs))) == NULL)
		goto out;
	memcpy(sorted, cols, nitems * sizeof(*cols));
	qsort(sorted, nitems, sizeof(*sorted), column_cmp);
	for (int k = 0; k < QDEF_KIND__MAX; k++)
		meta[k][0] = meta[k][1] = -1;
	for (size_t c = nitems; c < ncols; c++)
		meta[cols[c].kind][cols[c].role == COL_SOURCE] = (long)c;
	if (fn == NULL) {
		buf_puts(out, "participant");
		for (size_t i = 0; i < ncols; i++) {
			snprintf(tmp, sizeof(tmp), "%s.%s",
			    kind_names[cols[i].kind], cols[i].name);
			buf_putc(out, ',');
			export_csv_field(out, tmp, excel);
		}
		buf_puts(out, "\r\n");
	}
	w = (struct wide_ctx){out, cells, cols, sorted, ncols, nitems, meta,
	    "", excel, fn, fnctx, ptrs, sink};
	rc = store_export_answers(db, event_id, wide_row, &w);
	if (rc == STORE_OK && w.cur[0] && wide_emit(&w) != 0)
		rc = STORE_STOPPED; /* the last participant */
	if (fn != NULL) {
		if (rc == STORE_DOWN)
			st = 503;
		else if (rc == STORE_OK)
			st = 0;
		else if (rc != STORE_STOPPED)
			log_msg(NULL, "export: %s", store_error(db));
	} else
		st = export_status(db, rc, out);
out:
	for (size_t i = 0; cells && i < ncols; i++)
		buf_free(&cells[i]);
	free(ptrs);
	free(cells);
	free(sorted);
	free(cols);
	return st;
}

static int write_wide(struct db *db, const struct qdef *def, long event_id,
    int excel, struct export_sink *sink)
{
	return wide_run(db, def, event_id, excel, sink, NULL, NULL);
}

int export_wide_each(struct db *db, const struct qdef *def, long event_id,
    export_wide_fn fn, void *ctx)
{
	return wide_run(db, def, event_id, 0, NULL, fn, ctx);
}

struct export_col *export_wide_cols(const struct qdef *def, size_t *n)
{
	size_t nitems = 0, k = 0;
	struct column *c = wide_columns(def, &k, &nitems);
	struct export_col *e;

	if (c == NULL || (e = calloc(k + 1, sizeof(*e))) == NULL) {
		free(c);
		return NULL;
	}
	for (size_t i = 0; i < k; i++) {
		static const enum export_col_role role[COL__MAX] = {
		    [COL_ITEM] = EXPORT_COL_ITEM,
		    [COL_OTHER] = EXPORT_COL_OTHER,
		    [COL_RETRO] = EXPORT_COL_RETRO,
		    [COL_RANK] = EXPORT_COL_RANK,
		    [COL_LANG] = EXPORT_COL_LANG,
		    [COL_SOURCE] = EXPORT_COL_SOURCE,
		};
		e[i].kind = (enum qdef_kind)c[i].kind;
		e[i].role = role[c[i].role];
		e[i].it = c[i].it;
		snprintf(e[i].name, sizeof(e[i].name), "%s.%s",
		    kind_names[c[i].kind], c[i].name);
	}
	free(c);
	*n = k;
	return e;
}

int export_long_event(struct db *db, long event_id, const char *event,
    int excel, struct export_sink *sink)
{
	struct buf *out = sink->out;
	struct long_ctx l = {out, excel, event, sink};

	return export_status(db, store_export_answers(db, event_id, long_row,
	    &l), out);
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

/* Reads an answer as the form checked it (cgi/answer.c): digits, a sign,
 * a decimal point or comma. Returns 0 with *out, or -1. */
static int answer_number(const char *s, double *out)
{
	char tmp[QDEF_NUMBER_MAX + 1], *end;
	size_t n = strlen(s);
	double v;

	if (n == 0 || n > QDEF_NUMBER_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' ||
			c == '.' || c == ','))
			return -1;
		tmp[i] = c == ',' ? '.' : c;
	}
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* A JSON number (new reference, NULL when out of memory): an integer when
 * v is one, else 15 significant digits as in the answer rows. v is
 * finite. */
static struct json_object *json_number(double v)
{
	char tmp[40];

	if (v == floor(v) && fabs(v) < 9007199254740992.0) /* 2^53 */
		return json_object_new_int64((int64_t)v);
	snprintf(tmp, sizeof(tmp), "%.15g", v);
	return json_object_new_double_s(v, tmp);
}

/*
 * The exported value of answer field key of a response to instrument in
 * (NULL when the current definition has no such instrument) into *out (a
 * new reference, caller puts; NULL for a JSON null): a number for
 * likert5, rating10 and number items and their ".retro" rating, an array
 * for a multi, else the value as stored; also as stored when it does not
 * read as its item's type (an item whose type changed between versions).
 * Returns 0, or -1 when out of memory.
 */
static int json_answer(const struct qdef_instrument *in, const char *key,
    struct json_object *val, struct json_object **out)
{
	char base[QDEF_FIELD_MAX + 1];
	const struct qdef_item *it = NULL;
	size_t n = strcspn(key, ".");
	struct json_object *arr;
	double d;

	*out = json_object_get(val);
	if (val == NULL)
		return 0;
	if (in && n < sizeof(base)) {
		memcpy(base, key, n);
		base[n] = '\0';
		it = qdef_item(in, base);
	}
	/* ".other" texts and ranks (option values) stay strings */
	if (it == NULL || (key[n] && strcmp(key + n, ".retro") != 0))
		return 0;
	switch (it->type) {
	case QDEF_LIKERT5:
	case QDEF_RATING10:
	case QDEF_NUMBER:
		if (!json_object_is_type(val, json_type_string) ||
		    answer_number(json_object_get_string(val), &d) != 0)
			return 0;
		json_object_put(*out);
		*out = json_number(d);
		return *out ? 0 : -1;
	case QDEF_MULTI:
		if (key[n] || json_object_is_type(val, json_type_array))
			return 0;
		if ((arr = json_object_new_array()) == NULL ||
		    json_object_array_add(arr, *out) != 0) {
			json_object_put(arr);
			json_object_put(*out);
			*out = NULL;
			return -1;
		}
		*out = arr;
		return 0;
	default:
		return 0;
	}
}

/* The JSON export being written, response by response. */
struct json_ctx {
	const struct qdef *def;
	struct buf *out;
	int n;
	struct export_sink *sink;
};

static int json_row(void *ctx, const struct store_response_row *r)
{
	const int flags = JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_ctx *j = ctx;
	const struct qdef *def = j->def;
	const struct qdef_instrument *in;
	struct json_object *o = NULL, *ans, *all = NULL, *v;
	int kind, rc = -1;

	if ((all = json_tokener_parse(r->answers)) == NULL ||
	    !json_object_is_type(all, json_type_object) ||
	    (o = json_object_new_object()) == NULL ||
	    (ans = json_object_new_object()) == NULL)
		goto out;
	if (json_object_object_add(o, "participant",
		json_object_new_string(r->code)) ||
	    json_object_object_add(o, "instrument",
		json_object_new_string(r->instrument)) ||
	    json_object_object_add(o, "submitted_at",
		json_object_new_string(r->submitted_at)) ||
	    json_object_object_add(o, "lang", json_object_new_string(r->lang)) ||
	    json_object_object_add(o, "source",
		json_object_new_string(r->source)) ||
	    json_object_object_add(o, "answers", ans)) {
		json_object_put(ans);
		goto out;
	}
	kind = qdef_kind_from_name(r->instrument);
	in = kind >= 0 && def->instruments[kind].present
	    ? &def->instruments[kind]
	    : NULL;
	json_object_object_foreach(all, k, val)
	{
		if (!field_exported(def, k))
			continue;
		if (json_answer(in, k, val, &v) != 0)
			goto out;
		if (json_object_object_add(ans, k, v) != 0) {
			json_object_put(v);
			goto out;
		}
	}
	if (j->n++ > 0)
		buf_putc(j->out, ',');
	buf_puts(j->out, json_object_to_json_string_ext(o, flags));
	rc = export_sink_row(j->sink);
out:
	json_object_put(o);
	json_object_put(all);
	return rc;
}

static int write_json(struct db *db, const struct qdef *def, long event_id,
    const char *slug, struct export_sink *sink)
{
	struct buf *out = sink->out;
	const int flags = JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *s = json_object_new_string(slug);
	struct json_ctx j = {def, out, 0, sink};
	int st;

	if (s == NULL)
		return 500;
	buf_puts(out, "{\"event\":");
	buf_puts(out, json_object_to_json_string_ext(s, flags));
	buf_puts(out, ",\"responses\":[");
	st = export_status(db, store_export_responses(db, event_id, json_row,
	    &j), out);
	if (st == 0)
		buf_puts(out, "]}\n");
	json_object_put(s);
	return st == 0 && out->oom ? 500 : st;
}

/* The text of a localized object in lang exactly ("" when absent). */
static const char *label_in(struct json_object *loc, const char *lang)
{
	struct json_object *v;

	if (loc && json_object_object_get_ex(loc, lang, &v))
		return json_object_get_string(v);
	return "";
}

/* The codebook's texts of the lang and source columns, which no definition
 * holds, by enum qdef_lang: the labels, then the option labels. */
static const char *const meta_label[2][QDEF_LANG__MAX] = {
	{"Langue de la réponse", "Language of the response",
	    "لغة الإجابة"},
	{"Origine de la réponse", "Source of the response",
	    "مصدر الإجابة"},
};
static const char *const lang_label[QDEF_LANG__MAX][QDEF_LANG__MAX] = {
	[QDEF_LANG_FR] = {"français", "French", "الفرنسية"},
	[QDEF_LANG_EN] = {"anglais", "English", "الإنجليزية"},
	[QDEF_LANG_AR] = {"arabe", "Arabic", "العربية"},
};
static const char *const source_value[2] = {"web", "paper"};
static const char *const source_label[2][QDEF_LANG__MAX] = {
	{"formulaire en ligne", "online form", "استمارة إلكترونية"},
	{"questionnaire papier", "paper questionnaire", "استمارة ورقية"},
};

/*
 * The options of a codebook row into b (nothing for texts): "value=label"
 * pairs joined by |. exact: the labels in lang alone, nothing when lang is
 * not one of the event's (options_fr, options_en, options_ar); else in lang
 * with the definition's default language as fallback (the options
 * column, in French).
 */
static void codebook_options(const struct qdef *def, const struct column *col,
    enum qdef_lang lang, int exact, struct json_object *answered,
    struct buf *b)
{
	const struct qdef_item *it = col->it;
	size_t n;

	if (exact && !qdef_offers(def, lang))
		return;
	if (col->role == COL_LANG) {
		for (size_t i = 0; i < def->nlanguages; i++)
			buf_printf(b, "%s%s=%s", i ? "|" : "",
			    qdef_lang_name(def->languages[i]),
			    lang_label[def->languages[i]][lang]);
		return;
	}
	if (col->role == COL_SOURCE) {
		for (size_t i = 0; i < 2; i++)
			buf_printf(b, "%s%s=%s", i ? "|" : "", source_value[i],
			    source_label[i][lang]);
		return;
	}
	if (col->role == COL_OTHER)
		return;
#define TEXT(loc)                                                            \
	(exact ? label_in((loc), qdef_lang_name(lang))                        \
	       : qdef_text(def, (loc), lang))
	if (it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) {
		n = it->scale ? json_object_array_length(it->scale) : 0;
		for (size_t i = 0; i < n; i++) {
			/* likert: 1..5; 0-10: the two ends */
			int v = it->type == QDEF_LIKERT5 ? (int)i + 1
							 : (i ? 10 : 0);
			buf_printf(b, "%s%d=%s", i ? "|" : "", v,
			    TEXT(json_object_array_get_idx(it->scale, i)));
		}
		return;
	}
	for (size_t i = 0; i < it->noptions; i++)
		buf_printf(b, "%s%s=%s", i ? "|" : "", it->options[i].value,
		    TEXT(it->options[i].label));
#undef TEXT
	/* every option ever answered: one no version offers any more (before
	 * the safe-change rule, a reload could drop it) reads value=value */
	{
		struct json_object *in, *vals;

		if (it->noptions == 0 || answered == NULL ||
		    !json_object_object_get_ex(answered,
			kind_names[col->kind], &in) ||
		    !json_object_object_get_ex(in, it->key, &vals))
			return;
		for (size_t i = 0; i < json_object_array_length(vals); i++) {
			const char *v = json_object_get_string(
			    json_object_array_get_idx(vals, i));
			int seen = qdef_option_index(it, v) >= 0;

			for (size_t j = 0; !seen && j < i; j++)
				seen = strcmp(v, json_object_get_string(
				    json_object_array_get_idx(vals, j))) == 0;
			if (!seen)
				buf_printf(b, "|%s=%s", v, v);
		}
	}
}

/* One codebook row: the column's name, instrument, type, labels, options
 * (French), the quiz answer and the options in each language. */
static void codebook_row(struct buf *out, const struct qdef *def,
    const struct column *col, struct buf *opts, int excel,
    struct json_object *answered)
{
	const struct qdef_item *it = col->it;
	const char *type, *label, *correct = "";
	int meta = col->role == COL_LANG || col->role == COL_SOURCE;

	if (meta)
		type = "single";
	else if (col->role == COL_OTHER)
		type = "text";
	else
		type = qdef_type_name(it->type);
	if (col->role == COL_ITEM && it->correct >= 0)
		correct = it->options[it->correct].value;
	export_csv_field(out, col->name, excel);
	buf_putc(out, ',');
	export_csv_field(out, kind_names[col->kind], excel);
	buf_putc(out, ',');
	export_csv_field(out, type, excel);
	for (int l = 0; l < QDEF_LANG__MAX; l++) {
		if (meta)
			label = qdef_offers(def, (enum qdef_lang)l)
			    ? meta_label[col->role == COL_SOURCE][l]
			    : "";
		else
			label = label_in(it->label,
			    qdef_lang_name((enum qdef_lang)l));
		buf_putc(out, ',');
		export_csv_field(out, label, excel);
	}
	buf_reset(opts);
	codebook_options(def, col, QDEF_LANG_FR, 0, answered, opts);
	buf_putc(out, ',');
	export_csv_field(out, buf_cstr(opts), excel);
	buf_putc(out, ',');
	export_csv_field(out, correct, excel);
	for (int l = 0; l < QDEF_LANG__MAX; l++) {
		buf_reset(opts);
		codebook_options(def, col, (enum qdef_lang)l, 1, answered,
		    opts);
		buf_putc(out, ',');
		export_csv_field(out, buf_cstr(opts), excel);
	}
	buf_puts(out, "\r\n");
}

/* The codebook: one row per csv-wide column but participant, in the same
 * order; the options of each choice item include every value ever
 * answered. */
static int write_codebook(struct db *db, const struct qdef *def,
    const char *slug, int excel, struct export_sink *sink)
{
	struct buf *out = sink->out;
	struct buf opts = BUF_INIT;
	size_t n = 0, nitems = 0;
	struct column *cols = wide_columns(def, &n, &nitems);
	struct json_object *answered = json_object_new_object();
	enum store_rc rc;
	int st, stop = 0;

	if (cols == NULL || answered == NULL) {
		free(cols);
		json_object_put(answered);
		return 500;
	}
	rc = store_console_answered(db, slug, console_answered_row, answered);
	if (rc != STORE_OK) {
		free(cols);
		json_object_put(answered);
		return rc == STORE_DOWN ? 503 : 500;
	}
	if (excel)
		buf_puts(out, "\xEF\xBB\xBF");
	buf_puts(out, "item,instrument,type,label_fr,label_en,label_ar,"
		      "options,correct,options_fr,options_en,options_ar\r\n");
	for (size_t c = 0; c < n && !stop; c++) {
		codebook_row(out, def, &cols[c], &opts, excel, answered);
		stop = export_sink_row(sink) != 0;
	}
	st = stop || out->oom || opts.oom ? 500 : 0;
	buf_free(&opts);
	free(cols);
	json_object_put(answered);
	return st;
}

int export_write(struct db *db, const struct qdef *def, long event_id,
    const char *slug, enum export_format f, int excel, struct buf *out)
{
	struct export_sink sink = {out, NULL, NULL, 0};

	return export_stream(db, def, event_id, slug, f, excel, &sink);
}

int export_stream(struct db *db, const struct qdef *def, long event_id,
    const char *slug, enum export_format f, int excel,
    struct export_sink *sink)
{
	struct buf *out = sink->out;

	if (excel && f != EXPORT_JSON && f != EXPORT_CODEBOOK)
		buf_puts(out, "\xEF\xBB\xBF");
	switch (f) {
	case EXPORT_CSV_LONG:
		return write_long(db, event_id, excel, sink);
	case EXPORT_CSV_WIDE:
		return write_wide(db, def, event_id, excel, sink);
	case EXPORT_JSON:
		return write_json(db, def, event_id, slug, sink);
	case EXPORT_CODEBOOK:
		return write_codebook(db, def, slug, excel, sink);
	default:
		return 500;
	}
}

/* ---- labels of the wide columns (office.c) ---- */

static void vlabel_add(struct export_vlabel *out, size_t max, size_t *k,
    const char *value, const char *label)
{
	if (*k < max) {
		snprintf(out[*k].value, sizeof(out[*k].value), "%s", value);
		out[*k].label = label ? label : "";
	}
	(*k)++;
}

size_t export_value_labels(const struct qdef *def, const struct export_col *c,
    enum qdef_lang lang, struct export_vlabel *out, size_t max)
{
	const struct qdef_item *it = c->it;
	size_t k = 0, n;
	char v[16];

	switch (c->role) {
	case EXPORT_COL_LANG:
		for (size_t i = 0; i < def->nlanguages; i++)
			vlabel_add(out, max, &k,
			    qdef_lang_name(def->languages[i]),
			    lang_label[def->languages[i]][lang]);
		return k;
	case EXPORT_COL_SOURCE:
		for (size_t i = 0; i < 2; i++)
			vlabel_add(out, max, &k, source_value[i],
			    source_label[i][lang]);
		return k;
	case EXPORT_COL_OTHER:
		return 0;
	default:
		break;
	}
	if (it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) {
		n = it->scale ? json_object_array_length(it->scale) : 0;
		for (size_t i = 0; i < n; i++) {
			snprintf(v, sizeof(v), "%d", it->type == QDEF_LIKERT5
			    ? (int)i + 1 : (i ? 10 : 0));
			vlabel_add(out, max, &k, v, qdef_text(def,
			    json_object_array_get_idx(it->scale, i), lang));
		}
		return k;
	}
	for (size_t i = 0; i < it->noptions; i++)
		vlabel_add(out, max, &k, it->options[i].value,
		    qdef_text(def, it->options[i].label, lang));
	return k;
}

const char *export_col_label(const struct qdef *def,
    const struct export_col *c, enum qdef_lang lang)
{
	if (c->role == EXPORT_COL_LANG || c->role == EXPORT_COL_SOURCE)
		return meta_label[c->role == EXPORT_COL_SOURCE][lang];
	return c->it ? qdef_text(def, c->it->label, lang) : "";
}
