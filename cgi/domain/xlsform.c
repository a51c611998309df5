/* xlsform.c: the XLSForm mapping (docs/questionnaires.md, "Questionnaires
 * in a spreadsheet"). Reading walks the sheets event, settings, choices and
 * survey into the JSON definition, recording for each JSON path the cell it
 * came from, so that the validator's errors (JSON paths) are reported at
 * cells. Writing goes through libxlsxwriter into a temporary file. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>

#include "xlsform.h"
#include "xlsx.h"

#define MAX_ERRORS 500 /* more is noise: the rest is summarised */
/* Rows read per sheet: far more than the largest definition needs (300
 * questions and 50 sections per instrument, 100 options per question), so
 * that a huge sheet costs nothing more than its reading. */
#define MAX_SURVEY_ROWS 2000
#define MAX_CHOICES_ROWS 40000
#define MAX_EVENT_ROWS 200

/* ---- columns ---- */

enum field {
	F_TYPE,
	F_NAME,
	F_REQUIRED,
	F_APPEARANCE,
	F_PARAMETERS,
	F_INSTRUMENT,
	F_ANALYSIS,
	F_CORRECT,
	F_RETRO,
	F_REQUIRES,
	F_PERSONAL,
	F_CONSENT,
	F_TOP,
	F_MAX_LENGTH,
	F_MIN,
	F_MAX,
	F_SCALE,
	F_LIST_NAME,
	F_EXCLUSIVE,
	F_PROPERTY,
	F_VALUE,
	F_FORM_TITLE,
	F_FORM_ID,
	F_DEFAULT_LANGUAGE,
	F_VERSION,
	F__MAX
};

static const char *const field_names[F__MAX] = {
    [F_TYPE] = "type",
    [F_NAME] = "name",
    [F_REQUIRED] = "required",
    [F_APPEARANCE] = "appearance",
    [F_PARAMETERS] = "parameters",
    [F_INSTRUMENT] = "instrument",
    [F_ANALYSIS] = "analysis",
    [F_CORRECT] = "correct",
    [F_RETRO] = "retro",
    [F_REQUIRES] = "requires",
    [F_PERSONAL] = "personal",
    [F_CONSENT] = "consent",
    [F_TOP] = "top",
    [F_MAX_LENGTH] = "max_length",
    [F_MIN] = "min",
    [F_MAX] = "max",
    [F_SCALE] = "scale",
    [F_LIST_NAME] = "list_name",
    [F_EXCLUSIVE] = "exclusive",
    [F_PROPERTY] = "property",
    [F_VALUE] = "value",
    [F_FORM_TITLE] = "form_title",
    [F_FORM_ID] = "form_id",
    [F_DEFAULT_LANGUAGE] = "default_language",
    [F_VERSION] = "version",
};

#define B(f) (1ul << (f))
enum sheet_kind { S_SURVEY, S_CHOICES, S_SETTINGS, S_EVENT, S__MAX };
static const char *const sheet_names[S__MAX] = {"survey", "choices",
						"settings", "event"};
static const unsigned long sheet_fields[S__MAX] = {
    [S_SURVEY] = B(F_TYPE) | B(F_NAME) | B(F_REQUIRED) | B(F_APPEARANCE) |
		 B(F_PARAMETERS) | B(F_INSTRUMENT) | B(F_ANALYSIS) |
		 B(F_CORRECT) | B(F_RETRO) | B(F_REQUIRES) | B(F_PERSONAL) |
		 B(F_CONSENT) | B(F_TOP) | B(F_MAX_LENGTH) | B(F_MIN) |
		 B(F_MAX) | B(F_SCALE),
    [S_CHOICES] = B(F_LIST_NAME) | B(F_NAME) | B(F_EXCLUSIVE),
    [S_SETTINGS] = B(F_FORM_TITLE) | B(F_FORM_ID) | B(F_DEFAULT_LANGUAGE) |
		   B(F_VERSION),
    [S_EVENT] = B(F_PROPERTY) | B(F_VALUE),
};
/* Which sheets take label, hint and objective columns. */
static const int sheet_labels[S__MAX] = {1, 1, 0, 1};
static const int sheet_hints[S__MAX] = {1, 0, 0, 0};
static const int sheet_objectives[S__MAX] = {1, 0, 0, 0};

/* XLSForm columns for features enquete does not have: a value in one is
 * an error, never dropped. (Prefixes end with ':'.) */
static const char *const unsupported_cols[] = {
    "relevant", "constraint", "constraint_message", "calculation",
    "choice_filter", "repeat_count", "default", "read_only", "readonly",
    "required_message", "trigger", "image", "audio", "video", "big-image",
    "guidance_hint", "note", "autoplay", "style", "instance_name",
    "submission_url", "public_key", "allow_choice_duplicates",
    "media:", "bind:", "body:", "instance:", "jr:", "constraint_message:",
    "required_message:", "guidance_hint:", "image:", "audio:", "video:",
    NULL};

static const char *const lang_titles[QDEF_LANG__MAX] = {
    [QDEF_LANG_FR] = "French", [QDEF_LANG_EN] = "English",
    [QDEF_LANG_AR] = "Arabic"};

struct column {
	enum sheet_kind sheet;
	unsigned col;
	int field;	/* enum field, or -1 */
	int text;	/* 'L' label, 'H' hint, 'O' objective, 0 */
	int lang;	/* for L/H/O: enum qdef_lang, -1 default, -2 unknown */
	char *header;	/* as written, owned */
};

struct sheet {
	const struct xlsx_sheet *s;
	enum sheet_kind kind;
	unsigned fcol[F__MAX]; /* 0: no such column */
	unsigned lcol[QDEF_LANG__MAX], hcol[QDEF_LANG__MAX];
	unsigned ocol[QDEF_LANG__MAX];
	char *lhead[QDEF_LANG__MAX], *hhead[QDEF_LANG__MAX]; /* borrowed */
	char *ohead[QDEF_LANG__MAX];			     /* borrowed */
	unsigned char data[XLSX_MAX_COL + 1]; /* column has a cell below 1 */
};

/* ---- the reading context ---- */

struct origin {
	char *path; /* JSON path */
	char *cell; /* "survey!F12" */
	char *what; /* the column's header, or NULL */
	int reported; /* the reader already reported an error here */
};

struct rd {
	const struct xlsx_book *book;
	struct qdef_errors *errs;
	size_t nerrs;
	struct sheet sh[S__MAX];
	int have[S__MAX];
	struct column *cols; /* all sheets' parsed headers */
	size_t ncols;
	struct origin *orig;
	size_t norig, corig;
	int declared[QDEF_LANG__MAX]; /* flags */
	int order[QDEF_LANG__MAX];    /* the declared languages in order */
	size_t nlangs;
	int nlangs_declared; /* the event sheet declares usable languages */
	int default_lang;
	int toolong[S__MAX];
	int oom;
};

static void push_error(struct qdef_errors *e, char *s)
{
	char **m;

	if (s == NULL)
		return;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->msg[i], s) == 0) { /* a shared list: once */
			free(s);
			return;
		}
	m = realloc(e->msg, (e->n + 1) * sizeof(*m));
	if (m == NULL) {
		free(s);
		return;
	}
	e->msg = m;
	e->msg[e->n++] = s;
}

__attribute__((format(printf, 1, 0))) static char *vfmt(const char *fmt,
							    va_list ap)
{
	struct buf b = BUF_INIT;
	char tmp[1024];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	buf_puts(&b, tmp);
	return b.oom ? (buf_free(&b), NULL) : buf_steal(&b);
}

static void cellname(const struct sheet *sh, unsigned row, unsigned col,
		     char *out, size_t outsz)
{
	char c[16];

	if (col == 0) {
		snprintf(out, outsz, "%s!%u", sh->s->name, row);
		return;
	}
	xlsx_col_name(col, c, sizeof(c));
	if (row == 0)
		snprintf(out, outsz, "%s!%s", sh->s->name, c);
	else
		snprintf(out, outsz, "%s!%s%u", sh->s->name, c, row);
}

/* An error at a cell (col 0: the whole row; row 0: the whole column). */
__attribute__((format(printf, 5, 6))) static void
cerr(struct rd *r, const struct sheet *sh, unsigned row, unsigned col,
     const char *fmt, ...)
{
	char where[256];
	char *m, *s;
	va_list ap;

	r->nerrs++;
	if (r->errs->n >= MAX_ERRORS)
		return;
	va_start(ap, fmt);
	m = vfmt(fmt, ap);
	va_end(ap);
	if (m == NULL)
		return;
	if (sh)
		cellname(sh, row, col, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "workbook");
	s = malloc(strlen(where) + strlen(m) + 3);
	if (s)
		sprintf(s, "%s: %s", where, m);
	free(m);
	push_error(r->errs, s);
}

static void add_origin(struct rd *r, const char *path, const struct sheet *sh,
		       unsigned row, unsigned col, int reported)
{
	char where[256];
	struct origin *o;

	if (r->norig == r->corig) {
		size_t n = r->corig ? r->corig * 2 : 256;
		struct origin *m = realloc(r->orig, n * sizeof(*m));

		if (m == NULL) {
			r->oom = 1;
			return;
		}
		r->orig = m;
		r->corig = n;
	}
	cellname(sh, row, col, where, sizeof(where));
	o = &r->orig[r->norig];
	o->path = strdup(path);
	o->cell = strdup(where);
	o->what = NULL;
	if (col && row > 1 && xlsx_cell(sh->s, 1, col))
		o->what = strdup(xlsx_cell(sh->s, 1, col)->text);
	o->reported = reported;
	if (o->path == NULL || o->cell == NULL) {
		free(o->path);
		free(o->cell);
		free(o->what);
		r->oom = 1;
		return;
	}
	r->norig++;
}

/* An origin for a whole row or object: no column named in messages. */
static void add_origin_row(struct rd *r, const char *path,
			   const struct sheet *sh, unsigned row, unsigned col)
{
	size_t n = r->norig;

	add_origin(r, path, sh, row, col, 0);
	if (r->norig > n) {
		free(r->orig[n].what);
		r->orig[n].what = NULL;
	}
}

/* ---- text helpers ---- */

/* A trimmed copy of s (NULL for NULL), owned by the caller. */
static char *trimmed(const char *s)
{
	const char *e;

	if (s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return strndup(s, (size_t)(e - s));
}

/* A header name folded: trimmed, ASCII lower-case, runs of spaces and
 * dashes as one '_'. */
static char *folded(const char *s)
{
	char *t = trimmed(s), *o, *p;
	int sp = 0;

	if (t == NULL)
		return NULL;
	for (o = p = t; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			sp = 1;
			continue;
		}
		if (sp && o > t)
			*o++ = '_';
		sp = 0;
		*o++ = (char)tolower((unsigned char)*p);
	}
	*o = '\0';
	return t;
}

/* A language as written in a header: "French (fr)", "English", "ar",
 * "Français", "العربية". Returns the language, or -1. */
static int lang_of(const char *s)
{
	static const struct {
		const char *name;
		int lang;
	} names[] = {
	    {"french", QDEF_LANG_FR},  {"français", QDEF_LANG_FR},
	    {"francais", QDEF_LANG_FR}, {"english", QDEF_LANG_EN},
	    {"anglais", QDEF_LANG_EN},	{"arabic", QDEF_LANG_AR},
	    {"arabe", QDEF_LANG_AR},	{"العربية", QDEF_LANG_AR},
	    {"fr", QDEF_LANG_FR},	{"en", QDEF_LANG_EN},
	    {"ar", QDEF_LANG_AR},
	};
	char *t = folded(s), *open, *close;
	int l = -1;

	if (t == NULL)
		return -1;
	open = strrchr(t, '(');
	close = open ? strchr(open, ')') : NULL;
	if (open && close && close[1] == '\0') {
		*close = '\0';
		l = qdef_lang_from_name(open + 1);
	} else {
		for (char *p = t; *p; p++)
			if (*p == '_')
				*p = ' ';
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(t, names[i].name) == 0)
				l = names[i].lang;
	}
	free(t);
	return l;
}

static int is_unsupported(const char *f)
{
	for (const char *const *u = unsupported_cols; *u; u++) {
		size_t n = strlen(*u);

		if ((*u)[n - 1] == ':' ? strncmp(f, *u, n) == 0
				       : strcmp(f, *u) == 0)
			return 1;
	}
	return 0;
}

static int column_has_data(const struct sheet *sh, unsigned col)
{
	return col <= XLSX_MAX_COL && sh->data[col];
}

static const char *cell_text(const struct sheet *sh, unsigned row,
			     unsigned col)
{
	const struct xlsx_cell *c;

	if (col == 0 || (c = xlsx_cell(sh->s, row, col)) == NULL)
		return NULL;
	return c->text;
}

/* A structural value (type, name, ...): trimmed, NULL when empty. Owned. */
static char *value(const struct sheet *sh, unsigned row, enum field f)
{
	char *t = trimmed(cell_text(sh, row, sh->fcol[f]));

	if (t && *t == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

/* The index of the first cell of row (or later), by binary search. */
static size_t row_start(const struct xlsx_sheet *s, unsigned row)
{
	size_t lo = 0, hi = s->ncells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->cells[mid].row < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int row_empty(const struct sheet *sh, unsigned row)
{
	for (size_t i = row_start(sh->s, row);
	     i < sh->s->ncells && sh->s->cells[i].row == row; i++) {
		const char *p = sh->s->cells[i].text;

		while (isspace((unsigned char)*p))
			p++;
		if (*p)
			return 0;
	}
	return 1;
}

/* The last row to read of a sheet: its last, or max after reporting
 * (once) that there are more. */
static unsigned last_row(struct rd *r, const struct sheet *sh, unsigned max)
{
	if (sh->s->nrows <= max)
		return sh->s->nrows;
	if (!r->toolong[sh->kind]) {
		r->toolong[sh->kind] = 1;
		cerr(r, sh, max + 1, 0, "more than %u rows: the rest is not read",
		     max);
	}
	return max;
}

/* ---- headers ---- */

/* The kind of localized text a folded header name (before any ':')
 * announces: 'L' label, 'H' hint, 'O' objective, or 0. */
static int text_kind(const char *f)
{
	if (strcmp(f, "label") == 0)
		return 'L';
	if (strcmp(f, "hint") == 0)
		return 'H';
	if (strcmp(f, "objective") == 0)
		return 'O';
	return 0;
}

/* The columns (per language) and their headers of a kind of text. */
static unsigned *text_cols(struct sheet *sh, int kind)
{
	return kind == 'L' ? sh->lcol : kind == 'H' ? sh->hcol : sh->ocol;
}

static char **text_heads(struct sheet *sh, int kind)
{
	return kind == 'L' ? sh->lhead : kind == 'H' ? sh->hhead : sh->ohead;
}

static const char *text_name(int kind)
{
	return kind == 'L' ? "label" : kind == 'H' ? "hint" : "objective";
}

static void read_headers(struct rd *r, struct sheet *sh)
{
	const struct xlsx_sheet *s = sh->s;

	for (size_t i = 0; i < s->ncells && s->cells[i].row == 1; i++) {
		const struct xlsx_cell *c = &s->cells[i];
		char *f = folded(c->text), *sep;
		struct column col = {sh->kind, c->col, -1, 0, -1, NULL};
		struct column *m;
		int text = 0, lang = -1;

		if (f == NULL) {
			r->oom = 1;
			return;
		}
		if (*f == '$' || *f == '\0') { /* Kobo's bookkeeping */
			free(f);
			continue;
		}
		sep = strchr(f, ':');
		if (sep) {
			*sep = '\0';
			if ((text = text_kind(f)) != 0) {
				const char *raw = strchr(c->text, ':');

				while (*raw == ':')
					raw++;
				lang = lang_of(raw);
				if (lang < 0)
					lang = -2;
			}
			*sep = ':';
		} else if ((text = text_kind(f)) != 0)
			lang = -1;
		if (text) {
			int ok = text == 'L'   ? sheet_labels[sh->kind]
				 : text == 'H' ? sheet_hints[sh->kind]
					       : sheet_objectives[sh->kind];

			if (!ok) {
				if (column_has_data(sh, c->col))
					cerr(r, sh, 1, c->col,
					     "column \"%s\" is not used in the "
					     "%s sheet",
					     c->text, sheet_names[sh->kind]);
				free(f);
				continue;
			}
			if (lang == -2) {
				if (column_has_data(sh, c->col))
					cerr(r, sh, 1, c->col,
					     "%s: unknown language (enquete "
					     "has French (fr), English (en) "
					     "and Arabic (ar))",
					     c->text);
				free(f);
				continue;
			}
			col.text = text;
			col.lang = lang;
		} else {
			int fi;

			for (fi = 0; fi < F__MAX; fi++)
				if (strcmp(f, field_names[fi]) == 0)
					break;
			if (fi < F__MAX && (sheet_fields[sh->kind] & B(fi))) {
				if (sh->fcol[fi]) {
					cerr(r, sh, 1, c->col,
					     "column \"%s\" is repeated",
					     field_names[fi]);
					free(f);
					continue;
				}
				sh->fcol[fi] = c->col;
				col.field = fi;
			} else if (is_unsupported(f)) {
				for (size_t k = 0; k < s->ncells; k++)
					if (s->cells[k].row > 1 &&
					    s->cells[k].col == c->col)
						cerr(r, sh, s->cells[k].row,
						     c->col,
						     "%s is not supported by "
						     "enquete",
						     c->text);
				free(f);
				continue;
			} else {
				if (column_has_data(sh, c->col))
					cerr(r, sh, 1, c->col,
					     "unknown column \"%s\"", c->text);
				free(f);
				continue;
			}
		}
		free(f);
		col.header = strdup(c->text);
		m = realloc(r->cols, (r->ncols + 1) * sizeof(*m));
		if (m == NULL || col.header == NULL) {
			free(col.header);
			if (m)
				r->cols = m;
			r->oom = 1;
			return;
		}
		r->cols = m;
		r->cols[r->ncols++] = col;
	}
}

/* Assigns the label and hint columns of a sheet to languages once the
 * default language is known. */
static void assign_langs(struct rd *r, struct sheet *sh)
{
	for (size_t i = 0; i < r->ncols; i++) {
		struct column *c = &r->cols[i];
		unsigned *slot;
		char **head;
		int l;

		if (!c->text || c->sheet != sh->kind)
			continue;
		l = c->lang == -1 ? r->default_lang : c->lang;
		slot = &text_cols(sh, c->text)[l];
		head = &text_heads(sh, c->text)[l];
		if (*slot && *slot != c->col) {
			cerr(r, sh, 1, c->col,
			     "%s: a second column for %s (%s)", c->header,
			     lang_titles[l], qdef_lang_name(l));
			continue;
		}
		*slot = c->col;
		*head = c->header;
		if (!r->declared[l] && column_has_data(sh, c->col))
			cerr(r, sh, 1, c->col,
			     "%s: %s is not among the event's languages",
			     c->header, qdef_lang_name(l));
	}
}

/* A localized text from the label (kind 'L'), hint ('H') or objective
 * ('O') columns of row: one text per declared language. Each empty one is
 * an error when any is given or the text is required. Records where each
 * came from. Returns a new object or NULL when absent. */
static struct json_object *loc(struct rd *r, const struct sheet *sh,
			       unsigned row, int kind, const char *path,
			       int required)
{
	const unsigned *cols = kind == 'L'   ? sh->lcol
			       : kind == 'H' ? sh->hcol
					     : sh->ocol;
	char *const *heads = kind == 'L'   ? sh->lhead
			     : kind == 'H' ? sh->hhead
					   : sh->ohead;
	const char *what = text_name(kind);
	struct json_object *o;
	int any = 0;
	char p[1100];

	for (size_t i = 0; i < r->nlangs; i++) {
		const char *t = cell_text(sh, row, cols[r->order[i]]);

		if (t && *t)
			any = 1;
	}
	if (!any && !required)
		return NULL;
	o = json_object_new_object();
	if (o == NULL) {
		r->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < r->nlangs; i++) {
		int l = r->order[i];
		const char *t = cell_text(sh, row, cols[l]);
		int bad = 0;

		snprintf(p, sizeof(p), "%s.%s", path, qdef_lang_name(l));
		if (cols[l] == 0) {
			cerr(r, sh, row, 0,
			     "%s::%s (%s) is missing (no such column)", what,
			     lang_titles[l], qdef_lang_name(l));
			bad = 1;
		} else if (t == NULL) {
			cerr(r, sh, row, cols[l], "%s is empty", heads[l]);
			bad = 1;
		}
		add_origin(r, p, sh, row, cols[l], bad);
		json_object_object_add(o, qdef_lang_name(l),
				       json_object_new_string(t ? t : ""));
	}
	return o;
}

/* ---- values ---- */

/* yes/no as XLSForm writes them. 1, 0 or -1. */
static int boolean(const char *s)
{
	static const char *const yes[] = {"yes", "true", "true()", "1", "oui",
					  NULL};
	static const char *const no[] = {"no", "false", "false()", "0", "non",
					 NULL};

	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

static struct json_object *number(const char *s, int integer_only)
{
	char *end;
	double d;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (end != s && *end == '\0' && errno == 0)
		return json_object_new_int64(n);
	if (integer_only)
		return NULL;
	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(d))
		return NULL;
	if (d == floor(d) && fabs(d) < 1e15)
		return json_object_new_int64((long long)d);
	return json_object_new_double(d);
}

/* Adds a column's value to item o under name: a string, a boolean, an
 * integer or a number. Records its cell; reports a wrong one. */
enum vkind { V_STRING, V_BOOL, V_INT, V_NUMBER };

static void put(struct rd *r, const struct sheet *sh, unsigned row,
		struct json_object *o, const char *path, enum field f,
		enum vkind k)
{
	char *v = value(sh, row, f), p[1100];
	struct json_object *j = NULL;

	snprintf(p, sizeof(p), "%s.%s", path, field_names[f]);
	if (v == NULL) {
		if (sh->fcol[f])
			add_origin(r, p, sh, row, sh->fcol[f], 0);
		return;
	}
	switch (k) {
	case V_STRING:
		j = json_object_new_string(v);
		break;
	case V_BOOL: {
		int b = boolean(v);

		if (b < 0)
			cerr(r, sh, row, sh->fcol[f],
			     "%s: \"%s\" is neither yes nor no", field_names[f],
			     v);
		else
			j = json_object_new_boolean(b);
		break;
	}
	case V_INT:
	case V_NUMBER:
		j = number(v, k == V_INT);
		if (j == NULL)
			cerr(r, sh, row, sh->fcol[f], "%s: \"%s\" is not %s",
			     field_names[f], v,
			     k == V_INT ? "a whole number" : "a number");
		break;
	}
	add_origin(r, p, sh, row, sh->fcol[f], j == NULL);
	if (j)
		json_object_object_add(o, field_names[f], j);
	free(v);
}

/* ---- the event sheet ---- */

enum ptype { P_VALUE, P_TEXT, P_LONGTEXT };
static const struct {
	const char *name;
	enum ptype t;
	int required;
} props[] = {
    {"$schema", P_VALUE, 0},	     {"format", P_VALUE, 0},
    {"slug", P_VALUE, 1},	     {"title", P_TEXT, 1},
    {"dates.start", P_VALUE, 1},     {"dates.end", P_VALUE, 1},
    {"place.city", P_TEXT, 1},	     {"place.venue", P_TEXT, 0},
    {"place.country", P_VALUE, 1},   {"timezone", P_VALUE, 1},
    {"languages", P_VALUE, 1},	     {"default_language", P_VALUE, 1},
    {"host", P_TEXT, 0},
    {"collab_title", P_TEXT, 0},     {"contacts_note", P_TEXT, 0},
    {"objectives", P_LONGTEXT, 0},
    {"privacy", P_LONGTEXT, 1},	     {"pre.title", P_TEXT, 0},
    {"pre.intro", P_LONGTEXT, 0},    {"pre.window.opens", P_VALUE, 0},
    {"pre.window.closes", P_VALUE, 0}, {"post.title", P_TEXT, 0},
    {"post.intro", P_LONGTEXT, 0},   {"post.window.opens", P_VALUE, 0},
    {"post.window.closes", P_VALUE, 0},
    {"followup.title", P_TEXT, 0},   {"followup.intro", P_LONGTEXT, 0},
    {"followup.window.opens", P_VALUE, 0},
    {"followup.window.closes", P_VALUE, 0},
};
#define NPROPS (sizeof(props) / sizeof(props[0]))

/* Excel turns a typed date into a serial number (days since 1899-12-30). */
static char *serial_date(const char *v)
{
	char *end, out[48];
	long n;
	long long z, era, doe, yoe, y, doy, mp, d, m;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || n < 1 || n > 2958465)
		return NULL;
	z = n - 25569 + 719468; /* days since 1970-01-01, then the shift */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, sizeof(out), "%04lld-%02lld-%02lld", y + (m <= 2), m, d);
	return strdup(out);
}

/* Finds or makes the object at a dotted path under root. */
static struct json_object *obj_at(struct json_object *root, const char *dots,
				  char *last, size_t lastsz)
{
	char tmp[64], *p, *dot;
	struct json_object *o = root, *v;

	snprintf(tmp, sizeof(tmp), "%s", dots);
	for (p = tmp; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		*dot = '\0';
		if (!json_object_object_get_ex(o, p, &v)) {
			v = json_object_new_object();
			json_object_object_add(o, p, v);
		}
		o = v;
	}
	snprintf(last, lastsz, "%s", p);
	return o;
}

/* Reads the event sheet into def.event, def.format, def.$schema and each
 * instrument's title, intro and window. */
static void read_event(struct rd *r, struct json_object *def,
		       struct json_object *ins)
{
	struct sheet *sh = &r->sh[S_EVENT];
	struct json_object *ev = json_object_new_object();
	unsigned seen[NPROPS] = {0};
	char path[256], last[64];

	json_object_object_add(def, "event", ev);
	if (!r->have[S_EVENT]) {
		cerr(r, NULL, 0, 0,
		     "the workbook has no event sheet (enquete needs the "
		     "event's slug, title, dates, place, time zone, languages "
		     "and privacy notice: see docs/questionnaires.md)");
		return;
	}
	if (!sh->fcol[F_PROPERTY] || !sh->fcol[F_VALUE]) {
		cerr(r, sh, 1, 0, "the event sheet needs the columns property "
				  "and value");
		return;
	}
	for (unsigned row = 2; row <= last_row(r, sh, MAX_EVENT_ROWS); row++) {
		char *p = value(sh, row, F_PROPERTY), *v;
		size_t i;
		struct json_object *o, *target;

		if (p == NULL) {
			if (!row_empty(sh, row))
				cerr(r, sh, row, sh->fcol[F_PROPERTY],
				     "property is empty");
			continue;
		}
		for (i = 0; i < NPROPS; i++)
			if (strcmp(p, props[i].name) == 0)
				break;
		if (i == NPROPS) {
			cerr(r, sh, row, sh->fcol[F_PROPERTY],
			     "unknown property \"%s\"", p);
			free(p);
			continue;
		}
		free(p);
		if (seen[i]) {
			cerr(r, sh, row, sh->fcol[F_PROPERTY],
			     "%s is given twice (first in row %u)",
			     props[i].name, seen[i]);
			continue;
		}
		seen[i] = row;
		if (strncmp(props[i].name, "pre.", 4) == 0 ||
		    strncmp(props[i].name, "post.", 5) == 0 ||
		    strncmp(props[i].name, "followup.", 9) == 0) {
			snprintf(path, sizeof(path), "$.instruments.%.*s",
				 (int)strcspn(props[i].name, "."),
				 props[i].name);
			add_origin_row(r, path, sh, 0, sh->fcol[F_PROPERTY]);
			snprintf(path, sizeof(path), "$.instruments.%s",
				 props[i].name);
			target = obj_at(ins, props[i].name, last, sizeof(last));
		} else if (props[i].name[0] == '$' ||
			   strcmp(props[i].name, "format") == 0) {
			snprintf(path, sizeof(path), "$.%s", props[i].name);
			target = def;
			snprintf(last, sizeof(last), "%s", props[i].name);
		} else {
			snprintf(path, sizeof(path), "$.event.%s",
				 props[i].name);
			target = obj_at(ev, props[i].name, last, sizeof(last));
		}
		if (props[i].t != P_VALUE) {
			if (cell_text(sh, row, sh->fcol[F_VALUE]))
				cerr(r, sh, row, sh->fcol[F_VALUE],
				     "%s is written in the label columns, not "
				     "in value",
				     props[i].name);
			o = loc(r, sh, row, 'L', path, 1);
			add_origin(r, path, sh, row, sh->fcol[F_PROPERTY], 0);
			if (o)
				json_object_object_add(target, last, o);
			continue;
		}
		for (size_t l = 0; l < QDEF_LANG__MAX; l++)
			if (cell_text(sh, row, sh->lcol[l])) {
				cerr(r, sh, row, sh->lcol[l],
				     "%s is written in value, not in the "
				     "label columns",
				     props[i].name);
				break;
			}
		v = value(sh, row, F_VALUE);
		add_origin(r, path, sh, row, sh->fcol[F_VALUE], v == NULL);
		if (v == NULL) {
			cerr(r, sh, row, sh->fcol[F_VALUE], "%s is empty",
			     props[i].name);
			continue;
		}
		if (strcmp(props[i].name, "format") == 0) {
			o = number(v, 1);
			if (o == NULL)
				cerr(r, sh, row, sh->fcol[F_VALUE],
				     "format is not a number");
		} else if (strcmp(props[i].name, "languages") == 0) {
			char *save = NULL, *tok;

			o = json_object_new_array();
			for (tok = strtok_r(v, " ,;", &save); tok;
			     tok = strtok_r(NULL, " ,;", &save))
				json_object_array_add(
				    o, json_object_new_string(tok));
		} else {
			const struct xlsx_cell *c =
			    xlsx_cell(sh->s, row, sh->fcol[F_VALUE]);
			char *d = NULL;

			if (c && c->number &&
			    strncmp(props[i].name, "dates.", 6) == 0)
				d = serial_date(v);
			o = json_object_new_string(d ? d : v);
			free(d);
		}
		free(v);
		if (o)
			json_object_object_add(target, last, o);
	}
	for (size_t i = 0; i < NPROPS; i++)
		if (props[i].required && !seen[i]) {
			cerr(r, sh, 0, sh->fcol[F_PROPERTY],
			     "property %s is missing", props[i].name);
			snprintf(path, sizeof(path), "$.event.%s",
				 props[i].name);
			add_origin(r, path, sh, 0, sh->fcol[F_PROPERTY], 1);
		}
	if (!seen[1])
		json_object_object_add(def, "format",
				       json_object_new_int(QDEF_FORMAT));
}

/* The declared languages, read before anything else is. */
static void read_languages(struct rd *r)
{
	struct sheet *sh = &r->sh[S_EVENT];
	char *v = NULL, *d = NULL, *save = NULL, *tok;

	r->default_lang = QDEF_LANG_FR;
	if (r->have[S_EVENT] && sh->fcol[F_PROPERTY] && sh->fcol[F_VALUE])
		for (unsigned row = 2; row <= sh->s->nrows; row++) {
			char *p = value(sh, row, F_PROPERTY);

			if (p && strcmp(p, "languages") == 0 && !v)
				v = value(sh, row, F_VALUE);
			else if (p && strcmp(p, "default_language") == 0 && !d)
				d = value(sh, row, F_VALUE);
			free(p);
		}
	if (d && qdef_lang_from_name(d) >= 0)
		r->default_lang = qdef_lang_from_name(d);
	for (tok = v ? strtok_r(v, " ,;", &save) : NULL; tok;
	     tok = strtok_r(NULL, " ,;", &save)) {
		int l = qdef_lang_from_name(tok);

		if (l >= 0 && !r->declared[l]) {
			r->declared[l] = 1;
			r->order[r->nlangs++] = l;
		}
	}
	free(v);
	free(d);
}

/* ---- choices ---- */

struct list {
	char *name;
	unsigned *rows;
	size_t n;
};

struct lists {
	struct list *l;
	size_t n;
};

static void lists_free(struct lists *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->l[i].name);
		free(ls->l[i].rows);
	}
	free(ls->l);
}

static struct list *find_list(struct lists *ls, const char *name)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->l[i].name, name) == 0)
			return &ls->l[i];
	return NULL;
}

static void read_choices(struct rd *r, struct lists *ls)
{
	struct sheet *sh = &r->sh[S_CHOICES];

	if (!r->have[S_CHOICES])
		return;
	if (!sh->fcol[F_LIST_NAME] || !sh->fcol[F_NAME]) {
		cerr(r, sh, 1, 0,
		     "the choices sheet needs the columns list_name and name");
		return;
	}
	for (unsigned row = 2; row <= last_row(r, sh, MAX_CHOICES_ROWS); row++) {
		char *ln = value(sh, row, F_LIST_NAME), *nm;
		struct list *l;
		unsigned *m;

		if (ln == NULL) {
			if (!row_empty(sh, row))
				cerr(r, sh, row, sh->fcol[F_LIST_NAME],
				     "list_name is empty");
			continue;
		}
		nm = value(sh, row, F_NAME);
		if (nm == NULL) {
			cerr(r, sh, row, sh->fcol[F_NAME], "name is empty");
			free(ln);
			continue;
		}
		free(nm);
		if ((l = find_list(ls, ln)) == NULL) {
			struct list *ml =
			    realloc(ls->l, (ls->n + 1) * sizeof(*ml));

			if (ml == NULL) {
				r->oom = 1;
				free(ln);
				return;
			}
			ls->l = ml;
			l = &ls->l[ls->n++];
			l->name = ln;
			l->rows = NULL;
			l->n = 0;
		} else
			free(ln);
		m = realloc(l->rows, (l->n + 1) * sizeof(*m));
		if (m == NULL) {
			r->oom = 1;
			return;
		}
		l->rows = m;
		l->rows[l->n++] = row;
	}
}

static struct json_object *options_of(struct rd *r, const struct list *l,
				      const char *path)
{
	struct sheet *sh = &r->sh[S_CHOICES];
	struct json_object *a = json_object_new_array();
	char p[1100];

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object(), *lab;
		unsigned row = l->rows[i];
		char *nm = value(sh, row, F_NAME);

		snprintf(p, sizeof(p), "%s.options[%zu]", path, i);
		add_origin(r, p, sh, row, sh->fcol[F_NAME], 0);
		snprintf(p, sizeof(p), "%s.options[%zu].value", path, i);
		add_origin(r, p, sh, row, sh->fcol[F_NAME], 0);
		json_object_object_add(o, "value",
				       json_object_new_string(nm ? nm : ""));
		free(nm);
		snprintf(p, sizeof(p), "%s.options[%zu].label", path, i);
		lab = loc(r, sh, row, 'L', p, 1);
		if (lab)
			json_object_object_add(o, "label", lab);
		snprintf(p, sizeof(p), "%s.options[%zu]", path, i);
		put(r, sh, row, o, p, F_EXCLUSIVE, V_BOOL);
		json_object_array_add(a, o);
	}
	return a;
}

/* The labels of a list whose choices are named want[0..n) in that order
 * (a Likert list 1..5, the ends 0 and 10 of a range): the scale. NULL
 * (reported at the survey cell) when the list is otherwise. */
static struct json_object *scale_of(struct rd *r, const struct sheet *sv,
				    unsigned row, unsigned col,
				    const struct list *l,
				    const char *const *want, size_t n,
				    const char *path)
{
	struct sheet *sh = &r->sh[S_CHOICES];
	struct json_object *a;
	char p[1100];
	size_t i;

	for (i = 0; i < l->n && i < n; i++) {
		char *nm = value(sh, l->rows[i], F_NAME);
		int ok = nm && strcmp(nm, want[i]) == 0;

		free(nm);
		if (!ok)
			break;
	}
	if (i < n || l->n != n) {
		struct buf b = BUF_INIT;

		for (i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", want[i]);
		cerr(r, sv, row, col,
		     "list \"%s\" must have exactly the choices %s, in that "
		     "order",
		     l->name, buf_cstr(&b));
		buf_free(&b);
		snprintf(p, sizeof(p), "%s.scale", path);
		add_origin(r, p, sv, row, col, 1);
		return NULL;
	}
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *lab;

		if (cell_text(sh, l->rows[i], sh->fcol[F_EXCLUSIVE]))
			cerr(r, sh, l->rows[i], sh->fcol[F_EXCLUSIVE],
			     "exclusive is only for the choices of "
			     "select_multiple");
		snprintf(p, sizeof(p), "%s.scale[%zu]", path, i);
		add_origin(r, p, sh, l->rows[i], sh->fcol[F_NAME], 0);
		lab = loc(r, sh, l->rows[i], 'L', p, 1);
		json_object_array_add(a, lab);
	}
	return a;
}

/* ---- survey ---- */

static const char *const likert_values[] = {"1", "2", "3", "4", "5"};
static const char *const range_values[] = {"0", "10"};

struct group {
	unsigned row;	 /* of its begin group; 0: none open */
	int kind;	 /* enum qdef_kind */
	struct json_object *sec, *items;
	char path[256];
	size_t nitems;
	int intro;	 /* has an intro */
};

/* The instrument object and its sections array, made on first use. */
static struct json_object *sections_of(struct json_object *ins, int kind)
{
	struct json_object *in, *secs;
	const char *name = qdef_kind_name((enum qdef_kind)kind);

	if (!json_object_object_get_ex(ins, name, &in)) {
		in = json_object_new_object();
		json_object_object_add(ins, name, in);
	}
	if (!json_object_object_get_ex(in, "sections", &secs)) {
		secs = json_object_new_array();
		json_object_object_add(in, "sections", secs);
	}
	return secs;
}

static int split_type(char *t, char **tok, int max)
{
	int n = 0;
	char *save = NULL, *p;

	for (p = strtok_r(t, " \t\r\n", &save); p && n < max;
	     p = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = p;
	return p ? -1 : n;
}

static int lower_eq(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static void read_item(struct rd *r, struct sheet *sh, unsigned row,
		      struct group *g, char **tok, int ntok, struct lists *ls)
{
	char path[300], *v, *appearance;
	struct json_object *it = json_object_new_object(), *o;
	const char *type = NULL, *list = NULL, *t0 = tok[0];
	int other = 0, isquiz = 0, bad = 0;
	unsigned tcol = sh->fcol[F_TYPE];

	snprintf(path, sizeof(path), "%s.items[%zu]", g->path, g->nitems);
	add_origin_row(r, path, sh, row, tcol);
	appearance = value(sh, row, F_APPEARANCE);

	if (lower_eq(t0, "select_one") || lower_eq(t0, "select_multiple") ||
	    lower_eq(t0, "rank")) {
		if (ntok < 2 || ntok > 3 ||
		    (ntok == 3 && !lower_eq(tok[2], "or_other"))) {
			cerr(r, sh, row, tcol,
			     "type \"%s\" needs a list name (and optionally "
			     "or_other)",
			     t0);
			bad = 1;
		} else {
			list = tok[1];
			other = ntok == 3;
		}
		if (lower_eq(t0, "select_multiple"))
			type = "multi";
		else if (lower_eq(t0, "rank"))
			type = "rank";
		else {
			char *c = value(sh, row, F_CORRECT),
			     *a = value(sh, row, F_ANALYSIS);

			isquiz = c || (a && strcmp(a, "quiz") == 0);
			free(c);
			free(a);
			if (appearance && lower_eq(appearance, "likert"))
				type = "likert5";
			else
				type = isquiz ? "quiz" : "single";
		}
		if (other && strcmp(type, "rank") == 0) {
			cerr(r, sh, row, tcol, "or_other is not allowed on rank");
			other = 0;
		}
	} else if (ntok == 1 && lower_eq(t0, "integer"))
		type = "number";
	else if (ntok == 1 && lower_eq(t0, "decimal"))
		type = "number";
	else if (ntok == 1 && lower_eq(t0, "text"))
		type = appearance && lower_eq(appearance, "multiline")
			   ? "longtext"
			   : "text";
	else if (ntok == 1 && lower_eq(t0, "range"))
		type = "rating10";
	else {
		cerr(r, sh, row, tcol,
		     "type \"%s\" is not supported by enquete (select_one, "
		     "select_multiple, rank, integer, decimal, text, range, "
		     "note, begin group, end group)",
		     t0);
		json_object_put(it);
		free(appearance);
		return;
	}
	if (appearance &&
	    !((lower_eq(appearance, "likert") && lower_eq(t0, "select_one")) ||
	      (lower_eq(appearance, "multiline") && lower_eq(t0, "text"))))
		cerr(r, sh, row, sh->fcol[F_APPEARANCE],
		     "appearance \"%s\" is not supported by enquete on %s "
		     "(only likert on select_one, multiline on text)",
		     appearance, t0);
	free(appearance);

	v = value(sh, row, F_NAME);
	{
		char p[320];

		snprintf(p, sizeof(p), "%s.key", path);
		add_origin(r, p, sh, row, sh->fcol[F_NAME], v == NULL);
		if (v == NULL)
			cerr(r, sh, row, sh->fcol[F_NAME], "name is empty");
		snprintf(p, sizeof(p), "%s.type", path);
		add_origin(r, p, sh, row, tcol, 0);
	}
	json_object_object_add(it, "key", json_object_new_string(v ? v : ""));
	free(v);
	json_object_object_add(it, "type", json_object_new_string(type));
	put(r, sh, row, it, path, F_ANALYSIS, V_STRING);
	{
		char p[320];

		snprintf(p, sizeof(p), "%s.label", path);
		if ((o = loc(r, sh, row, 'L', p, 1)) != NULL)
			json_object_object_add(it, "label", o);
		snprintf(p, sizeof(p), "%s.help", path);
		if ((o = loc(r, sh, row, 'H', p, 0)) != NULL)
			json_object_object_add(it, "help", o);
		snprintf(p, sizeof(p), "%s.objective", path);
		if ((o = loc(r, sh, row, 'O', p, 0)) != NULL)
			json_object_object_add(it, "objective", o);
	}
	put(r, sh, row, it, path, F_REQUIRED, V_BOOL);

	if (list && !bad) {
		struct list *l = find_list(ls, list);

		if (l == NULL) {
			char p[320];

			cerr(r, sh, row, tcol,
			     "list \"%s\" is not in the choices sheet", list);
			snprintf(p, sizeof(p), "%s.options", path);
			add_origin(r, p, sh, row, tcol, 1);
			snprintf(p, sizeof(p), "%s.scale", path);
			add_origin(r, p, sh, row, tcol, 1);
		} else if (strcmp(type, "likert5") == 0) {
			if (other)
				cerr(r, sh, row, tcol,
				     "or_other is not allowed on a likert "
				     "item");
			if ((o = scale_of(r, sh, row, tcol, l, likert_values,
					  5, path)) != NULL)
				json_object_object_add(it, "scale", o);
		} else
			json_object_object_add(it, "options",
					       options_of(r, l, path));
	}
	if (other)
		json_object_object_add(it, "other",
				       json_object_new_boolean(1));
	if (strcmp(type, "rating10") == 0) {
		char *pa = value(sh, row, F_PARAMETERS), *sc;

		if (pa) {
			char *tk[8];
			int n = split_type(pa, tk, 8), ok = n == 3;

			for (int i = 0; ok && i < 3; i++)
				ok = strcmp(tk[i], "start=0") == 0 ||
				     strcmp(tk[i], "end=10") == 0 ||
				     strcmp(tk[i], "step=1") == 0;
			if (!ok)
				cerr(r, sh, row, sh->fcol[F_PARAMETERS],
				     "a range in enquete is always start=0 "
				     "end=10 step=1");
			free(pa);
		}
		sc = value(sh, row, F_SCALE);
		if (sc == NULL) {
			char p[320];

			cerr(r, sh, row, sh->fcol[F_SCALE] ? sh->fcol[F_SCALE]
							    : tcol,
			     "a range needs in column scale the list that "
			     "labels its ends 0 and 10");
			snprintf(p, sizeof(p), "%s.scale", path);
			add_origin(r, p, sh, row, tcol, 1);
		} else {
			struct list *l = find_list(ls, sc);

			if (l == NULL) {
				char p[320];

				cerr(r, sh, row, sh->fcol[F_SCALE],
				     "list \"%s\" is not in the choices sheet",
				     sc);
				snprintf(p, sizeof(p), "%s.scale", path);
				add_origin(r, p, sh, row, tcol, 1);
			} else if ((o = scale_of(r, sh, row, sh->fcol[F_SCALE],
						 l, range_values, 2,
						 path)) != NULL)
				json_object_object_add(it, "scale", o);
			free(sc);
		}
	} else {
		if (cell_text(sh, row, sh->fcol[F_PARAMETERS]))
			cerr(r, sh, row, sh->fcol[F_PARAMETERS],
			     "parameters are only for range");
		if (cell_text(sh, row, sh->fcol[F_SCALE]))
			cerr(r, sh, row, sh->fcol[F_SCALE],
			     "scale is only for range (a likert item takes its "
			     "scale from its list)");
	}
	if (lower_eq(t0, "integer"))
		json_object_object_add(it, "integer",
				       json_object_new_boolean(1));
	put(r, sh, row, it, path, F_CORRECT, V_STRING);
	put(r, sh, row, it, path, F_RETRO, V_BOOL);
	put(r, sh, row, it, path, F_CONSENT, V_BOOL);
	put(r, sh, row, it, path, F_PERSONAL, V_BOOL);
	put(r, sh, row, it, path, F_REQUIRES, V_STRING);
	put(r, sh, row, it, path, F_TOP, V_INT);
	put(r, sh, row, it, path, F_MAX_LENGTH, V_INT);
	put(r, sh, row, it, path, F_MIN, V_NUMBER);
	put(r, sh, row, it, path, F_MAX, V_NUMBER);
	json_object_array_add(g->items, it);
	g->nitems++;
}

static int known_type(const char *t)
{
	static const char *const known[] = {
	    "select_one", "select_multiple", "rank",  "integer", "decimal",
	    "text",	  "range",	     "note",  NULL};

	for (int i = 0; known[i]; i++)
		if (lower_eq(t, known[i]))
			return 1;
	return 0;
}

/* Reports the values a structural row (begin group, end group, note)
 * does not use: fields outside allowed, texts unless labels/hints, and
 * objectives (only an item serves one). */
static void check_unused(struct rd *r, const struct sheet *sh, unsigned row,
			 unsigned long allowed, int labels, int hints,
			 const char *what)
{
	for (size_t i = row_start(sh->s, row);
	     i < sh->s->ncells && sh->s->cells[i].row == row; i++) {
		unsigned col = sh->s->cells[i].col;
		int used = 0, known = 0;

		for (int f = 0; f < F__MAX; f++)
			if (sh->fcol[f] == col) {
				known = 1;
				used = (allowed & B(f)) != 0;
			}
		for (int l = 0; l < QDEF_LANG__MAX; l++) {
			if (sh->lcol[l] == col)
				known = 1, used = labels;
			if (sh->hcol[l] == col)
				known = 1, used = hints;
			if (sh->ocol[l] == col)
				known = 1, used = 0;
		}
		if (known && !used)
			cerr(r, sh, row, col, "%s is not used on a %s row",
			     xlsx_cell(sh->s, 1, col)->text, what);
	}
}

static void read_survey(struct rd *r, struct json_object *ins,
			struct lists *ls)
{
	struct sheet *sh = &r->sh[S_SURVEY];
	struct group g = {0};
	size_t nsec[QDEF_KIND__MAX] = {0};
	int seen_kind[QDEF_KIND__MAX] = {0};

	if (!r->have[S_SURVEY]) {
		cerr(r, NULL, 0, 0, "the workbook has no survey sheet");
		return;
	}
	if (!sh->fcol[F_TYPE] || !sh->fcol[F_NAME]) {
		cerr(r, sh, 1, 0, "the survey sheet needs the columns type "
				  "and name");
		return;
	}
	if (!sh->fcol[F_INSTRUMENT])
		cerr(r, sh, 1, 0,
		     "column instrument is missing (pre, post or followup, on each "
		     "begin group row)");
	if (!sh->fcol[F_ANALYSIS])
		cerr(r, sh, 1, 0,
		     "column analysis is missing (each question's role: "
		     "profile, knowledge, quiz, evaluation, ...)");
	for (unsigned row = 2; row <= last_row(r, sh, MAX_SURVEY_ROWS); row++) {
		char *type = value(sh, row, F_TYPE), *tok[8], *ins_v;
		char joined[64];
		int ntok, kind = -1, had_ins = 0;

		if (type == NULL) {
			if (!row_empty(sh, row))
				cerr(r, sh, row, sh->fcol[F_TYPE],
				     "type is empty");
			continue;
		}
		ntok = split_type(type, tok, 8);
		if (ntok <= 0) {
			cerr(r, sh, row, sh->fcol[F_TYPE], "type is not valid");
			free(type);
			continue;
		}
		/* "begin group" and "begin_group" alike */
		if (ntok >= 2 && (lower_eq(tok[0], "begin") ||
				  lower_eq(tok[0], "end"))) {
			snprintf(joined, sizeof(joined), "%s_%s", tok[0],
				 tok[1]);
			tok[0] = joined;
			for (int i = 2; i < ntok; i++)
				tok[i - 1] = tok[i];
			ntok--;
		}
		ins_v = value(sh, row, F_INSTRUMENT);
		if (ins_v) {
			had_ins = 1;
			kind = qdef_kind_from_name(ins_v);
			if (kind < 0)
				cerr(r, sh, row, sh->fcol[F_INSTRUMENT],
				     "instrument \"%s\" is not pre, post or "
				     "followup",
				     ins_v);
			free(ins_v);
		}
		if (lower_eq(tok[0], "begin_group")) {
			struct json_object *secs, *o;
			char *name = value(sh, row, F_NAME), p[320];

			check_unused(r, sh, row,
				     B(F_TYPE) | B(F_NAME) | B(F_INSTRUMENT), 1,
				     1, "begin group");

			if (g.row) {
				cerr(r, sh, row, sh->fcol[F_TYPE],
				     "groups inside groups are not supported "
				     "(the group of row %u is not ended)",
				     g.row);
				free(name);
				free(type);
				continue;
			}
			if (kind < 0 && !had_ins)
				cerr(r, sh, row, sh->fcol[F_INSTRUMENT],
				     "instrument is empty (pre, post or "
				     "followup)");
			if (kind < 0)
				kind = QDEF_PRE;
			memset(&g, 0, sizeof(g));
			g.row = row;
			g.kind = kind;
			secs = sections_of(ins, kind);
			snprintf(g.path, sizeof(g.path),
				 "$.instruments.%s.sections[%zu]",
				 qdef_kind_name((enum qdef_kind)kind),
				 nsec[kind]++);
			if (!seen_kind[kind]) {
				seen_kind[kind] = 1;
				snprintf(p, sizeof(p), "$.instruments.%s",
					 qdef_kind_name((enum qdef_kind)kind));
				add_origin_row(r, p, sh, row, sh->fcol[F_TYPE]);
			}
			g.sec = json_object_new_object();
			json_object_array_add(secs, g.sec);
			add_origin_row(r, g.path, sh, row, sh->fcol[F_TYPE]);
			snprintf(p, sizeof(p), "%s.id", g.path);
			add_origin(r, p, sh, row, sh->fcol[F_NAME], name == NULL);
			if (name == NULL)
				cerr(r, sh, row, sh->fcol[F_NAME],
				     "name is empty");
			json_object_object_add(
			    g.sec, "id", json_object_new_string(name ? name : ""));
			free(name);
			snprintf(p, sizeof(p), "%s.title", g.path);
			if ((o = loc(r, sh, row, 'L', p, 1)) != NULL)
				json_object_object_add(g.sec, "title", o);
			snprintf(p, sizeof(p), "%s.intro", g.path);
			if ((o = loc(r, sh, row, 'H', p, 0)) != NULL) {
				json_object_object_add(g.sec, "intro", o);
				g.intro = 1;
			}
			g.items = json_object_new_array();
			json_object_object_add(g.sec, "items", g.items);
			snprintf(p, sizeof(p), "%s.items", g.path);
			add_origin_row(r, p, sh, row, sh->fcol[F_TYPE]);
		} else if (lower_eq(tok[0], "end_group")) {
			check_unused(r, sh, row,
				     B(F_TYPE) | B(F_NAME) | B(F_INSTRUMENT), 0,
				     0, "end group");
			if (!g.row)
				cerr(r, sh, row, sh->fcol[F_TYPE],
				     "end group without begin group");
			g.row = 0;
		} else if (lower_eq(tok[0], "begin_repeat") ||
			   lower_eq(tok[0], "end_repeat")) {
			cerr(r, sh, row, sh->fcol[F_TYPE],
			     "repeat is not supported by enquete");
		} else if (!known_type(tok[0])) {
			cerr(r, sh, row, sh->fcol[F_TYPE],
			     "type \"%s\" is not supported by enquete (select_one, "
			     "select_multiple, rank, integer, decimal, text, range, "
			     "note, begin group, end group)",
			     tok[0]);
		} else if (!g.row) {
			cerr(r, sh, row, sh->fcol[F_TYPE],
			     "every question must be inside a begin group / "
			     "end group (a section of pre or post)");
		} else if (kind >= 0 && kind != g.kind) {
			cerr(r, sh, row, sh->fcol[F_INSTRUMENT],
			     "instrument %s differs from its group's (%s, row "
			     "%u)",
			     qdef_kind_name((enum qdef_kind)kind),
			     qdef_kind_name((enum qdef_kind)g.kind), g.row);
		} else if (ntok == 1 && lower_eq(tok[0], "note")) {
			char p[320];
			struct json_object *o;

			check_unused(r, sh, row,
				     B(F_TYPE) | B(F_NAME) | B(F_INSTRUMENT), 1,
				     0, "note");

			if (g.nitems || g.intro) {
				cerr(r, sh, row, sh->fcol[F_TYPE],
				     "a note is only supported as the first "
				     "row of a group, as the section's "
				     "introduction");
			} else {
				snprintf(p, sizeof(p), "%s.intro", g.path);
				if ((o = loc(r, sh, row, 'L', p, 1)) != NULL)
					json_object_object_add(g.sec, "intro",
							       o);
				g.intro = 1;
			}
		} else
			read_item(r, sh, row, &g, tok, ntok, ls);
		free(type);
	}
	if (g.row)
		cerr(r, sh, g.row, sh->fcol[F_TYPE],
		     "begin group without end group");
}

/* ---- settings ---- */

static void read_settings(struct rd *r, struct json_object *def)
{
	struct sheet *sh = &r->sh[S_SETTINGS];
	struct json_object *ev, *v;
	char *id, *dl;

	if (!r->have[S_SETTINGS])
		return;
	/* one row of values under the headers; what it says must agree with
	 * the event sheet, which holds the definition */
	id = value(sh, 2, F_FORM_ID);
	dl = value(sh, 2, F_DEFAULT_LANGUAGE);
	if (json_object_object_get_ex(def, "event", &ev)) {
		if (id && json_object_object_get_ex(ev, "slug", &v) &&
		    strcmp(json_object_get_string(v), id) != 0)
			cerr(r, sh, 2, sh->fcol[F_FORM_ID],
			     "form_id \"%s\" differs from the event's slug "
			     "\"%s\"",
			     id, json_object_get_string(v));
		if (dl && json_object_object_get_ex(ev, "default_language",
						    &v)) {
			int l = lang_of(dl);

			if (l < 0 ||
			    strcmp(qdef_lang_name(l),
				   json_object_get_string(v)) != 0)
				cerr(r, sh, 2, sh->fcol[F_DEFAULT_LANGUAGE],
				     "default_language \"%s\" differs from "
				     "the event's \"%s\"",
				     dl, json_object_get_string(v));
		}
	}
	for (unsigned row = 3; row <= sh->s->nrows; row++)
		if (!row_empty(sh, row))
			cerr(r, sh, row, 0,
			     "the settings sheet has one row of values, under "
			     "its headers");
	free(id);
	free(dl);
}

/* ---- reading ---- */

static void rd_free(struct rd *r)
{
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i].header);
	free(r->cols);
	for (size_t i = 0; i < r->norig; i++) {
		free(r->orig[i].path);
		free(r->orig[i].cell);
		free(r->orig[i].what);
	}
	free(r->orig);
}

/* Reads book into a new definition; r keeps the origins. */
static struct json_object *read_book(struct rd *r, const struct xlsx_book *b)
{
	struct json_object *def = json_object_new_object(), *ins;
	struct lists ls = {NULL, 0};

	r->book = b;
	for (int k = 0; k < S__MAX; k++) {
		const struct xlsx_sheet *s = xlsx_sheet(b, sheet_names[k]);

		r->sh[k].kind = (enum sheet_kind)k;
		if (s == NULL)
			continue;
		r->have[k] = 1;
		r->sh[k].s = s;
		for (size_t i = 0; i < s->ncells; i++)
			if (s->cells[i].row > 1 && s->cells[i].col <= XLSX_MAX_COL)
				r->sh[k].data[s->cells[i].col] = 1;
		read_headers(r, &r->sh[k]);
	}
	for (size_t i = 0; i < b->nsheets; i++) {
		static const char *const refused[] = {
		    "external_choices", "entities", "osm", NULL};

		for (int k = 0; refused[k]; k++)
			if (strcasecmp(b->sheets[i].name, refused[k]) == 0 &&
			    b->sheets[i].ncells)
				cerr(r, NULL, 0, 0,
				     "sheet %s: %s are not supported by enquete",
				     b->sheets[i].name, refused[k]);
	}
	read_languages(r);
	r->nlangs_declared = r->nlangs > 0;
	if (r->nlangs == 0) {
		/* no usable event sheet: check against the label columns */
		for (size_t i = 0; i < r->ncols; i++)
			if (r->cols[i].text == 'L') {
				int l = r->cols[i].lang < 0 ? r->default_lang
							    : r->cols[i].lang;

				r->declared[l] = 1;
			}
		for (int l = 0; l < QDEF_LANG__MAX; l++)
			if (r->declared[l])
				r->order[r->nlangs++] = l;
	}
	for (int k = 0; k < S__MAX; k++)
		if (r->have[k])
			assign_langs(r, &r->sh[k]);
	ins = json_object_new_object();
	read_event(r, def, ins);
	read_settings(r, def);
	read_choices(r, &ls);
	read_survey(r, ins, &ls);
	json_object_object_add(def, "instruments", ins);
	lists_free(&ls);
	return def;
}

struct json_object *xlsform_read(const void *bytes, size_t len,
				 struct qdef_errors *errs)
{
	struct rd r;
	struct xlsx_book b;
	struct json_object *def;
	char err[512];

	memset(&r, 0, sizeof(r));
	r.errs = errs;
	if (xlsx_read(bytes, len, &b, err, sizeof(err)) != 0) {
		cerr(&r, NULL, 0, 0, "%s", err);
		return NULL;
	}
	def = read_book(&r, &b);
	if (r.oom)
		cerr(&r, NULL, 0, 0, "out of memory");
	if (r.nerrs) {
		json_object_put(def);
		def = NULL;
	}
	rd_free(&r);
	xlsx_free(&b);
	return def;
}

/* Moves a validator error "PATH: message" to the cell its value came from:
 * the longest recorded path that PATH starts with. Returns the new message
 * (caller frees) or NULL when it repeats an error the reader reported. */
static char *relocate(const struct rd *r, const char *msg)
{
	const char *colon = strstr(msg, ": ");
	size_t plen = colon ? (size_t)(colon - msg) : 0, best = 0;
	const struct origin *o = NULL;
	struct buf b = BUF_INIT;

	for (size_t i = 0; colon && i < r->norig; i++) {
		size_t n = strlen(r->orig[i].path);

		if (n > plen || n <= best ||
		    strncmp(msg, r->orig[i].path, n) != 0 ||
		    (msg[n] != ':' && msg[n] != '.' && msg[n] != '['))
			continue;
		best = n;
		o = &r->orig[i];
	}
	if (o == NULL) {
		buf_printf(&b, "workbook: %s", msg);
		return b.oom ? (buf_free(&b), NULL) : buf_steal(&b);
	}
	if (o->reported && best == plen)
		return NULL;
	buf_puts(&b, o->cell);
	if (o->what)
		buf_printf(&b, ": %s", o->what);
	if (best < plen)
		buf_printf(&b, ": %.*s", (int)(plen - best - (msg[best] == '.')),
			   msg + best + (msg[best] == '.'));
	buf_printf(&b, "%s", colon);
	return b.oom ? (buf_free(&b), NULL) : buf_steal(&b);
}

int xlsform_load(const void *bytes, size_t len, struct json_object **def,
		 struct qdef_errors *errs)
{
	struct rd r;
	struct xlsx_book b;
	struct qdef_errors verrs = {0, NULL};
	struct json_object *d;
	char err[512];

	*def = NULL;
	memset(&r, 0, sizeof(r));
	r.errs = errs;
	if (xlsx_read(bytes, len, &b, err, sizeof(err)) != 0) {
		cerr(&r, NULL, 0, 0, "%s", err);
		return -1;
	}
	d = read_book(&r, &b);
	if (r.oom)
		cerr(&r, NULL, 0, 0, "out of memory");
	/* the validator runs even after reading errors (all errors at once),
	 * but not without the event: every text would be an error */
	if (r.nlangs_declared && qdef_validate(d, &verrs) != 0) {
		for (size_t i = 0; i < verrs.n; i++) {
			char *m;

			if (errs->n >= MAX_ERRORS) { /* counted, not shown */
				r.nerrs++;
				continue;
			}
			if ((m = relocate(&r, verrs.msg[i])) == NULL)
				continue;
			r.nerrs++;
			if (errs->n < MAX_ERRORS)
				push_error(errs, m);
			else
				free(m);
		}
		if (r.nerrs == 0) {
			push_error(errs, strdup("workbook: invalid definition"));
			r.nerrs = 1;
		}
	}
	qdef_errors_free(&verrs);
	if (r.nerrs > MAX_ERRORS) {
		char tmp[96];

		snprintf(tmp, sizeof(tmp), "workbook: %zu more errors not shown",
			 r.nerrs - errs->n);
		push_error(errs, strdup(tmp));
	}
	rd_free(&r);
	xlsx_free(&b);
	if (r.nerrs) {
		json_object_put(d);
		return -1;
	}
	*def = d;
	return 0;
}

/* ---- writing ---- */

#include <xlsxwriter.h>

struct wlist {
	char *json; /* the options or scale, as JSON text: the identity */
	char *name;
	int kind;   /* 'O' options, 'S' Likert scale, 'E' range ends */
	struct json_object *arr; /* borrowed */
};

struct wr {
	lxw_workbook *wb;
	lxw_worksheet *survey, *choices, *settings, *event;
	int langs[QDEF_LANG__MAX];
	size_t nlangs;
	size_t ntexts; /* label and hint, and objective when an item has one */
	struct wlist *lists;
	size_t nlists;
	lxw_row_t srow, crow;
	int failed;
};

enum scol {
	C_TYPE,
	C_NAME,
	C_TEXTS, /* label:: per language, then hint:: per language, then
		    objective:: per language when some item has one */
};
static const enum field survey_tail[] = {
    F_REQUIRED, F_APPEARANCE, F_PARAMETERS, F_INSTRUMENT, F_ANALYSIS,
    F_CORRECT,	F_RETRO,      F_REQUIRES,   F_PERSONAL,	  F_CONSENT,
    F_TOP,	F_MAX_LENGTH, F_MIN,	    F_MAX,	  F_SCALE};
#define NTAIL (sizeof(survey_tail) / sizeof(survey_tail[0]))

static lxw_col_t tail_col(const struct wr *w, enum field f)
{
	for (size_t i = 0; i < NTAIL; i++)
		if (survey_tail[i] == f)
			return (lxw_col_t)(C_TEXTS + w->ntexts * w->nlangs + i);
	return 0;
}

static void wstr(struct wr *w, lxw_worksheet *ws, lxw_row_t row,
		 lxw_col_t col, const char *s)
{
	if (s && *s && worksheet_write_string(ws, row, col, s, NULL) !=
			       LXW_NO_ERROR)
		w->failed = 1;
}

static void wnum(struct wr *w, lxw_worksheet *ws, lxw_row_t row,
		 lxw_col_t col, double d)
{
	if (worksheet_write_number(ws, row, col, d, NULL) != LXW_NO_ERROR)
		w->failed = 1;
}

static void lang_header(const char *what, int l, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s::%s (%s)", what, lang_titles[l],
		 qdef_lang_name(l));
}

/* Writes a localized object into the columns from first on. */
static void wloc(struct wr *w, lxw_worksheet *ws, lxw_row_t row,
		 lxw_col_t first, struct json_object *o)
{
	struct json_object *v;

	for (size_t i = 0; o && i < w->nlangs; i++)
		if (json_object_object_get_ex(o, qdef_lang_name(w->langs[i]),
					      &v))
			wstr(w, ws, row, (lxw_col_t)(first + i),
			     json_object_get_string(v));
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static const char *gets(struct json_object *o, const char *k)
{
	struct json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

static int list_name_taken(const struct wr *w, const char *name)
{
	for (size_t i = 0; i < w->nlists; i++)
		if (strcmp(w->lists[i].name, name) == 0)
			return 1;
	return 0;
}

/* The list for arr (options or scale), written to choices on first use.
 * Returns its name (owned by w) or NULL. */
static const char *wlist(struct wr *w, struct json_object *arr, int kind,
			 const char *key)
{
	const char *js = json_object_to_json_string_ext(
	    arr, JSON_C_TO_STRING_PLAIN);
	struct wlist *m, *l;
	char name[128];
	size_t n;

	for (size_t i = 0; i < w->nlists; i++)
		if (w->lists[i].kind == kind &&
		    strcmp(w->lists[i].json, js) == 0)
			return w->lists[i].name;
	snprintf(name, sizeof(name), "%s%s", key,
		 kind == 'S' ? "_scale" : kind == 'E' ? "_ends" : "");
	for (int k = 2; list_name_taken(w, name); k++)
		snprintf(name, sizeof(name), "%s%s_%d", key,
			 kind == 'S' ? "_scale" : kind == 'E' ? "_ends" : "",
			 k);
	m = realloc(w->lists, (w->nlists + 1) * sizeof(*m));
	if (m == NULL) {
		w->failed = 1;
		return NULL;
	}
	w->lists = m;
	l = &w->lists[w->nlists];
	l->json = strdup(js);
	l->name = strdup(name);
	l->kind = kind;
	l->arr = arr;
	if (l->json == NULL || l->name == NULL) {
		free(l->json);
		free(l->name);
		w->failed = 1;
		return NULL;
	}
	w->nlists++;
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *ex;
		lxw_row_t row = ++w->crow;

		wstr(w, w->choices, row, 0, l->name);
		if (kind == 'O') {
			wstr(w, w->choices, row, 1, gets(o, "value"));
			wloc(w, w->choices, row, 2, get(o, "label"));
			if ((ex = get(o, "exclusive")) != NULL)
				wstr(w, w->choices, row,
				     (lxw_col_t)(2 + w->nlangs),
				     json_object_get_boolean(ex) ? "yes"
								 : "no");
		} else {
			char v[8];

			snprintf(v, sizeof(v), "%zu",
				 kind == 'S' ? i + 1 : i * 10);
			wstr(w, w->choices, row, 1, v);
			wloc(w, w->choices, row, 2, o);
		}
	}
	return l->name;
}

static void wbool(struct wr *w, struct json_object *it, const char *k,
		  lxw_row_t row, enum field f)
{
	struct json_object *v = get(it, k);

	if (v)
		wstr(w, w->survey, row, tail_col(w, f),
		     json_object_get_boolean(v) ? "yes" : "no");
}

static void wfield_num(struct wr *w, struct json_object *it, const char *k,
		       lxw_row_t row, enum field f)
{
	struct json_object *v = get(it, k);

	if (v)
		wnum(w, w->survey, row, tail_col(w, f),
		     json_object_get_double(v));
}

static void write_item(struct wr *w, struct json_object *it,
		       const char *kind)
{
	const char *t = gets(it, "type"), *key = gets(it, "key");
	lxw_row_t row = ++w->srow;
	char type[200];
	const char *list = NULL, *appearance = NULL, *xt = NULL;
	struct json_object *v;
	int other = (v = get(it, "other")) && json_object_get_boolean(v);

	if (t == NULL || key == NULL) {
		w->failed = 1;
		return;
	}
	if (get(it, "options"))
		list = wlist(w, get(it, "options"), 'O', key);
	if (strcmp(t, "single") == 0 || strcmp(t, "quiz") == 0)
		xt = "select_one";
	else if (strcmp(t, "multi") == 0)
		xt = "select_multiple";
	else if (strcmp(t, "rank") == 0)
		xt = "rank";
	else if (strcmp(t, "likert5") == 0) {
		xt = "select_one";
		appearance = "likert";
		list = get(it, "scale") ? wlist(w, get(it, "scale"), 'S', key)
					: NULL;
	} else if (strcmp(t, "rating10") == 0) {
		xt = "range";
		wstr(w, w->survey, row, tail_col(w, F_PARAMETERS),
		     "start=0 end=10 step=1");
		if (get(it, "scale"))
			wstr(w, w->survey, row, tail_col(w, F_SCALE),
			     wlist(w, get(it, "scale"), 'E', key));
	} else if (strcmp(t, "number") == 0)
		xt = (v = get(it, "integer")) && json_object_get_boolean(v)
			 ? "integer"
			 : "decimal";
	else if (strcmp(t, "text") == 0)
		xt = "text";
	else if (strcmp(t, "longtext") == 0) {
		xt = "text";
		appearance = "multiline";
	}
	if (xt == NULL || (list == NULL && (strcmp(xt, "select_one") == 0 ||
					    strcmp(xt, "select_multiple") == 0 ||
					    strcmp(xt, "rank") == 0))) {
		w->failed = 1;
		return;
	}
	snprintf(type, sizeof(type), "%s%s%s%s", xt, list ? " " : "",
		 list ? list : "", other ? " or_other" : "");
	wstr(w, w->survey, row, C_TYPE, type);
	wstr(w, w->survey, row, C_NAME, key);
	wloc(w, w->survey, row, C_TEXTS, get(it, "label"));
	wloc(w, w->survey, row, (lxw_col_t)(C_TEXTS + w->nlangs),
	     get(it, "help"));
	if (w->ntexts > 2)
		wloc(w, w->survey, row, (lxw_col_t)(C_TEXTS + 2 * w->nlangs),
		     get(it, "objective"));
	else if (get(it, "objective"))
		w->failed = 1; /* never dropped */
	wbool(w, it, "required", row, F_REQUIRED);
	wstr(w, w->survey, row, tail_col(w, F_APPEARANCE), appearance);
	wstr(w, w->survey, row, tail_col(w, F_INSTRUMENT), kind);
	wstr(w, w->survey, row, tail_col(w, F_ANALYSIS), gets(it, "analysis"));
	wstr(w, w->survey, row, tail_col(w, F_CORRECT), gets(it, "correct"));
	wbool(w, it, "retro", row, F_RETRO);
	wstr(w, w->survey, row, tail_col(w, F_REQUIRES), gets(it, "requires"));
	wbool(w, it, "personal", row, F_PERSONAL);
	wbool(w, it, "consent", row, F_CONSENT);
	wfield_num(w, it, "top", row, F_TOP);
	wfield_num(w, it, "max_length", row, F_MAX_LENGTH);
	wfield_num(w, it, "min", row, F_MIN);
	wfield_num(w, it, "max", row, F_MAX);
}

static void write_headers(struct wr *w)
{
	char h[64];
	lxw_col_t c;

	wstr(w, w->survey, 0, C_TYPE, "type");
	wstr(w, w->survey, 0, C_NAME, "name");
	for (size_t i = 0; i < w->nlangs; i++) {
		lang_header("label", w->langs[i], h, sizeof(h));
		wstr(w, w->survey, 0, (lxw_col_t)(C_TEXTS + i), h);
		wstr(w, w->choices, 0, (lxw_col_t)(2 + i), h);
		wstr(w, w->event, 0, (lxw_col_t)(2 + i), h);
		lang_header("hint", w->langs[i], h, sizeof(h));
		wstr(w, w->survey, 0, (lxw_col_t)(C_TEXTS + w->nlangs + i), h);
		if (w->ntexts > 2) {
			lang_header("objective", w->langs[i], h, sizeof(h));
			wstr(w, w->survey, 0,
			     (lxw_col_t)(C_TEXTS + 2 * w->nlangs + i), h);
		}
	}
	for (size_t i = 0; i < NTAIL; i++)
		wstr(w, w->survey, 0, tail_col(w, survey_tail[i]),
		     field_names[survey_tail[i]]);
	wstr(w, w->choices, 0, 0, "list_name");
	wstr(w, w->choices, 0, 1, "name");
	wstr(w, w->choices, 0, (lxw_col_t)(2 + w->nlangs), "exclusive");
	wstr(w, w->event, 0, 0, "property");
	wstr(w, w->event, 0, 1, "value");
	wstr(w, w->settings, 0, 0, "form_title");
	wstr(w, w->settings, 0, 1, "form_id");
	wstr(w, w->settings, 0, 2, "default_language");
	/* readable widths; the header row stays in view */
	c = (lxw_col_t)(C_TEXTS + w->ntexts * w->nlangs - 1);
	worksheet_set_column(w->survey, C_TYPE, C_TYPE, 30, NULL);
	worksheet_set_column(w->survey, C_NAME, C_NAME, 22, NULL);
	worksheet_set_column(w->survey, C_TEXTS, c, 45, NULL);
	worksheet_set_column(w->choices, 0, 1, 22, NULL);
	worksheet_set_column(w->choices, 2, (lxw_col_t)(1 + w->nlangs), 45,
			     NULL);
	worksheet_set_column(w->event, 0, 1, 24, NULL);
	worksheet_set_column(w->event, 2, (lxw_col_t)(1 + w->nlangs), 60,
			     NULL);
	worksheet_freeze_panes(w->survey, 1, 0);
	worksheet_freeze_panes(w->choices, 1, 0);
}

static void write_event(struct wr *w, struct json_object *def)
{
	struct json_object *ev = get(def, "event"),
			   *ins = get(def, "instruments"), *v;
	lxw_row_t row = 0;

	for (size_t i = 0; i < NPROPS; i++) {
		const char *n = props[i].name;
		struct json_object *o;
		char tmp[64], *p, *dot;

		if (n[0] == '$' || strcmp(n, "format") == 0)
			o = def;
		else if (strncmp(n, "pre.", 4) == 0 ||
			 strncmp(n, "post.", 5) == 0 ||
			 strncmp(n, "followup.", 9) == 0)
			o = ins;
		else
			o = ev;
		snprintf(tmp, sizeof(tmp), "%s", n);
		for (p = tmp; o && (dot = strchr(p, '.')) != NULL;
		     p = dot + 1) {
			*dot = '\0';
			o = get(o, p);
		}
		if ((v = get(o, p)) == NULL)
			continue;
		row++;
		wstr(w, w->event, row, 0, n);
		if (props[i].t != P_VALUE)
			wloc(w, w->event, row, 2, v);
		else if (strcmp(n, "languages") == 0) {
			struct buf b = BUF_INIT;

			for (size_t k = 0; k < json_object_array_length(v); k++)
				buf_printf(&b, "%s%s", k ? " " : "",
					   json_object_get_string(
					       json_object_array_get_idx(v, k)));
			wstr(w, w->event, row, 1, buf_cstr(&b));
			buf_free(&b);
		} else if (json_object_is_type(v, json_type_int))
			wnum(w, w->event, row, 1, json_object_get_double(v));
		else
			wstr(w, w->event, row, 1, json_object_get_string(v));
	}
	{
		const char *dl = gets(ev, "default_language");
		int l = qdef_lang_from_name(dl);
		char h[64];

		if ((v = get(ev, "title")) && dl)
			wstr(w, w->settings, 1, 0, gets(v, dl));
		wstr(w, w->settings, 1, 1, gets(ev, "slug"));
		if (l >= 0) {
			snprintf(h, sizeof(h), "%s (%s)", lang_titles[l], dl);
			wstr(w, w->settings, 1, 2, h);
		}
	}
}

/* Whether some item of the definition serves an objective: only then
 * does the survey sheet have objective:: columns, so that a workbook of a
 * definition without any stays as it was. */
static int has_objectives(struct json_object *ins)
{
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		struct json_object *secs = get(
		    get(ins, qdef_kind_name((enum qdef_kind)k)), "sections");

		for (size_t s = 0; secs && json_object_is_type(
						secs, json_type_array) &&
				   s < json_object_array_length(secs);
		     s++) {
			struct json_object *items =
			    get(json_object_array_get_idx(secs, s), "items");

			for (size_t i = 0;
			     items &&
			     json_object_is_type(items, json_type_array) &&
			     i < json_object_array_length(items);
			     i++)
				if (get(json_object_array_get_idx(items, i),
					"objective"))
					return 1;
		}
	}
	return 0;
}

int xlsform_write(struct json_object *def, struct buf *out, char *err,
		  size_t errsz)
{
	struct wr w;
	struct json_object *langs, *ins;
	const char *tmpdir = getenv("TMPDIR");
	char path[512];
	lxw_error e;
	int fd, rc = -1;

	memset(&w, 0, sizeof(w));
	langs = get(get(def, "event"), "languages");
	ins = get(def, "instruments");
	if (langs == NULL || ins == NULL ||
	    !json_object_is_type(langs, json_type_array)) {
		snprintf(err, errsz, "not a valid definition");
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(langs) &&
			   w.nlangs < QDEF_LANG__MAX;
	     i++) {
		int l = qdef_lang_from_name(
		    json_object_get_string(json_object_array_get_idx(langs, i)));

		if (l >= 0)
			w.langs[w.nlangs++] = l;
	}
	w.ntexts = has_objectives(ins) ? 3 : 2;
	snprintf(path, sizeof(path), "%s/enquete-xlsform-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		snprintf(err, errsz, "temporary file: %s", strerror(errno));
		return -1;
	}
	close(fd);
	w.wb = workbook_new(path);
	if (w.wb == NULL) {
		snprintf(err, errsz, "cannot create the workbook");
		unlink(path);
		return -1;
	}
	w.survey = workbook_add_worksheet(w.wb, "survey");
	w.choices = workbook_add_worksheet(w.wb, "choices");
	w.settings = workbook_add_worksheet(w.wb, "settings");
	w.event = workbook_add_worksheet(w.wb, "event");
	if (!w.survey || !w.choices || !w.settings || !w.event)
		w.failed = 1;
	else {
		write_headers(&w);
		for (int k = 0; k < QDEF_KIND__MAX; k++) {
			const char *kn = qdef_kind_name((enum qdef_kind)k);
			struct json_object *secs = get(get(ins, kn), "sections");

			for (size_t s = 0;
			     secs && s < json_object_array_length(secs); s++) {
				struct json_object *sec =
				    json_object_array_get_idx(secs, s);
				struct json_object *items = get(sec, "items");
				lxw_row_t row = ++w.srow;

				wstr(&w, w.survey, row, C_TYPE, "begin group");
				wstr(&w, w.survey, row, C_NAME, gets(sec, "id"));
				wloc(&w, w.survey, row, C_TEXTS,
				     get(sec, "title"));
				wloc(&w, w.survey, row,
				     (lxw_col_t)(C_TEXTS + w.nlangs),
				     get(sec, "intro"));
				wstr(&w, w.survey, row,
				     tail_col(&w, F_INSTRUMENT), kn);
				for (size_t i = 0;
				     items && i < json_object_array_length(items);
				     i++)
					write_item(&w,
						   json_object_array_get_idx(
						       items, i),
						   kn);
				wstr(&w, w.survey, ++w.srow, C_TYPE,
				     "end group");
			}
		}
		write_event(&w, def);
	}
	e = workbook_close(w.wb);
	if (e != LXW_NO_ERROR || w.failed)
		snprintf(err, errsz, "cannot write the workbook%s%s",
			 e != LXW_NO_ERROR ? ": " : "",
			 e != LXW_NO_ERROR ? lxw_strerror(e) : "");
	else if (buf_read_file(out, path, XLSX_MAX_BYTES) != 0)
		snprintf(err, errsz, "cannot read the workbook back: %s",
			 strerror(errno));
	else
		rc = 0;
	unlink(path);
	for (size_t i = 0; i < w.nlists; i++) {
		free(w.lists[i].json);
		free(w.lists[i].name);
	}
	free(w.lists);
	return rc;
}
