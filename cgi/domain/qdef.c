/* qdef.c: questionnaire definitions: one walk over the JSON that checks
 * every rule (reporting each error with its JSON path) and fills the model. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "itemtype.h"
#include "qdef.h"

#define PATH_MAX_LEN 1024
#define FILE_MAX (4 * 1024 * 1024) /* a definition file, bytes */

static const char *const role_names[QDEF_ROLE__MAX] = {
    [QDEF_ROLE_PROFILE] = "profile",
    [QDEF_ROLE_KNOWLEDGE] = "knowledge",
    [QDEF_ROLE_QUIZ] = "quiz",
    [QDEF_ROLE_EVALUATION] = "evaluation",
    [QDEF_ROLE_NPS] = "nps",
    [QDEF_ROLE_RANKING] = "ranking",
    [QDEF_ROLE_COLLABORATION] = "collaboration",
    [QDEF_ROLE_COMMENT] = "comment",
    [QDEF_ROLE_DESCRIPTIVE] = "descriptive",
    [QDEF_ROLE_CONTACT] = "contact",
    [QDEF_ROLE_OUTCOME] = "outcome",
};

static const char *const kind_names[QDEF_KIND__MAX] = {
    [QDEF_PRE] = "pre",
    [QDEF_POST] = "post",
    [QDEF_FOLLOWUP] = "followup",
};

static const char *const lang_names[QDEF_LANG__MAX] = {
    [QDEF_LANG_FR] = "fr",
    [QDEF_LANG_EN] = "en",
    [QDEF_LANG_AR] = "ar",
};

#define T(x) (1u << (x))

/* Fields every item may have. The fields of its own each type takes are
 * in its row of the type table (itemtype.c); their names are these. */
static const char *const item_common[] = {
    "key", "type", "analysis", "label", "help", "required",
    /* the event objective a knowledge item serves: the donor's report
     * groups results by it (cgi/domain/report.c) */
    "objective", NULL};
static const struct {
	unsigned flag;
	const char *name;
} item_fields[] = {
    {QDEF_F_OPTIONS, "options"},
    {QDEF_F_OTHER, "other"},
    {QDEF_F_CONSENT, "consent"},
    {QDEF_F_SCALE, "scale"},
    {QDEF_F_RETRO, "retro"},
    {QDEF_F_MIN, "min"},
    {QDEF_F_MAX, "max"},
    {QDEF_F_INTEGER, "integer"},
    {QDEF_F_MAX_LENGTH, "max_length"},
    {QDEF_F_PERSONAL, "personal"},
    {QDEF_F_REQUIRES, "requires"},
    {QDEF_F_TOP, "top"},
    {QDEF_F_CORRECT, "correct"},
};

/* Item keys the exports use for their own columns (DESIGN.md). */
static const char *const reserved_keys[] = {"lang", "source", "event",
					    "participant", NULL};

static const char *const root_fields[] = {"$schema", "format", "event",
					  "instruments", NULL};
static const char *const event_fields[] = {"slug",
					   "title",
					   "dates",
					   "place",
					   "timezone",
					   "languages",
					   "default_language",
					   "privacy",
					   "host",
					   "collab_title",
					   "contacts_note",
					   "objectives",
					   NULL};
static const char *const dates_fields[] = {"start", "end", NULL};
static const char *const place_fields[] = {"city", "venue", "country", NULL};
static const char *const instruments_fields[] = {"pre", "post", "followup",
						 NULL};
static const char *const instrument_fields[] = {"title", "intro", "window",
						"sections", NULL};
static const char *const window_fields[] = {"opens", "closes", NULL};
static const char *const section_fields[] = {"id", "title", "intro", "items",
					     NULL};
static const char *const option_fields[] = {"value", "label", "exclusive",
					    NULL};

/* The state of one walk over a definition. */
struct walk {
	struct qdef_errors *errs;
	char path[PATH_MAX_LEN];
	size_t plen;
	unsigned langs; /* bitmask of the valid declared languages */
	struct qdef *d;
	int failed;
	int nnps;
	int unread[QDEF_KIND__MAX]; /* instrument present, items not read */
};

enum jtype { J_STRING, J_OBJECT, J_ARRAY, J_BOOL, J_INT, J_NUMBER };

static const char *const jtype_names[] = {
    [J_STRING] = "a string", [J_OBJECT] = "an object", [J_ARRAY] = "an array",
    [J_BOOL] = "a boolean",  [J_INT] = "an integer",   [J_NUMBER] = "a number",
};

/* ---- names ---- */

static int name_index(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *qdef_type_name(enum qdef_type t)
{
	const struct qdef_itype *ty = qdef_itype((int)t);

	return ty ? ty->name : "?";
}

const char *qdef_role_name(enum qdef_role r)
{
	return (unsigned)r < QDEF_ROLE__MAX ? role_names[r] : "?";
}

const char *qdef_kind_name(enum qdef_kind k)
{
	return (unsigned)k < QDEF_KIND__MAX ? kind_names[k] : "?";
}

const char *qdef_lang_name(enum qdef_lang l)
{
	return (unsigned)l < QDEF_LANG__MAX ? lang_names[l] : "?";
}

int qdef_type_from_name(const char *s)
{
	int t;

	if (s == NULL)
		return -1;
	for (t = 0; t < QDEF_TYPE__MAX; t++)
		if (strcmp(qdef_itype(t)->name, s) == 0)
			return t;
	return -1;
}

int qdef_role_from_name(const char *s)
{
	return name_index(role_names, QDEF_ROLE__MAX, s);
}

int qdef_kind_from_name(const char *s)
{
	return name_index(kind_names, QDEF_KIND__MAX, s);
}

int qdef_lang_from_name(const char *s)
{
	return name_index(lang_names, QDEF_LANG__MAX, s);
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* ---- errors and paths ---- */

void qdef_errors_free(struct qdef_errors *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	e->msg = NULL;
	e->n = 0;
}

/* Appends s (stolen) to e. On out of memory s is dropped: the caller has
 * already failed, so only the detail is lost. */
static void errors_push(struct qdef_errors *e, char *s)
{
	char **m;

	if (s == NULL)
		return;
	m = realloc(e->msg, (e->n + 1) * sizeof(*m));
	if (m == NULL) {
		free(s);
		return;
	}
	e->msg = m;
	e->msg[e->n++] = s;
}

__attribute__((format(printf, 2, 3))) static void werr(struct walk *w,
						       const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char tmp[512];

	w->failed = 1;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_printf(&b, "%s: %s", w->plen ? w->path : "$", tmp);
	if (b.oom) {
		buf_free(&b);
		return;
	}
	errors_push(w->errs, buf_steal(&b));
}

/* Writes s into out for a message: printable ASCII kept, other bytes as
 * \xNN, cut to about 60 characters. Returns out. */
static const char *shown(char *out, size_t outsz, const char *s)
{
	size_t o = 0;

	for (; *s && o + 8 < outsz && o < 60; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
	}
	if (*s && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static void path_set(struct walk *w, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof(w->path))
		n = sizeof(w->path) - 1;
	memcpy(w->path, s, n);
	w->path[n] = '\0';
	w->plen = n;
}

static void path_put(struct walk *w, const char *s)
{
	size_t n = strlen(s);

	if (w->plen + n >= sizeof(w->path))
		n = sizeof(w->path) - 1 - w->plen;
	memcpy(w->path + w->plen, s, n);
	w->plen += n;
	w->path[w->plen] = '\0';
}

/* Pushes ".name" (or ["name"] when it is not a plain identifier). Returns
 * the mark to give to path_pop(). */
static size_t path_field(struct walk *w, const char *name)
{
	size_t mark = w->plen;
	const char *p;
	int plain =
	    (isalpha((unsigned char)*name) || *name == '_' || *name == '$');
	char tmp[128];

	for (p = name; *p && plain; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
			plain = 0;
	if (plain) {
		path_put(w, ".");
		path_put(w, name);
	} else {
		path_put(w, "[\"");
		path_put(w, shown(tmp, sizeof(tmp), name));
		path_put(w, "\"]");
	}
	return mark;
}

static size_t path_index(struct walk *w, size_t i)
{
	size_t mark = w->plen;
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "[%zu]", i);
	path_put(w, tmp);
	return mark;
}

static void path_pop(struct walk *w, size_t mark)
{
	w->plen = mark;
	w->path[mark] = '\0';
}

/* Reports an error at field name of the current path. */
__attribute__((format(printf, 3, 4))) static void
werr_at(struct walk *w, const char *name, const char *fmt, ...)
{
	size_t mark = path_field(w, name);
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	werr(w, "%s", tmp);
	path_pop(w, mark);
}

/* ---- typed members ---- */

static const char *json_kind(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

static int has_type(struct json_object *o, enum jtype t)
{
	switch (t) {
	case J_STRING:
		return json_object_is_type(o, json_type_string);
	case J_OBJECT:
		return json_object_is_type(o, json_type_object);
	case J_ARRAY:
		return json_object_is_type(o, json_type_array);
	case J_BOOL:
		return json_object_is_type(o, json_type_boolean);
	case J_INT:
		return json_object_is_type(o, json_type_int);
	case J_NUMBER:
		return json_object_is_type(o, json_type_int) ||
		       json_object_is_type(o, json_type_double);
	}
	return 0;
}

/* Checks the current value's type; reports "expected X, got Y". */
static int expect(struct walk *w, struct json_object *v, enum jtype t)
{
	if (has_type(v, t))
		return 1;
	werr(w, "expected %s, got %s", jtype_names[t], json_kind(v));
	return 0;
}

/* The member name of o when present and of type t; NULL otherwise, with an
 * error when it is required or has the wrong type. Borrowed. */
static struct json_object *member(struct walk *w, struct json_object *o,
				  const char *name, enum jtype t, int required)
{
	struct json_object *v;
	size_t mark;

	if (!json_object_object_get_ex(o, name, &v)) {
		if (required)
			werr_at(w, name, "required field is missing");
		return NULL;
	}
	mark = path_field(w, name);
	if (!expect(w, v, t))
		v = NULL;
	path_pop(w, mark);
	return v;
}

static int present(struct json_object *o, const char *name)
{
	return json_object_object_get_ex(o, name, NULL);
}

static void check_unknown(struct walk *w, struct json_object *o,
			  const char *const *allowed)
{
	json_object_object_foreach(o, k, v)
	{
		(void)v;
		if (!in_list(allowed, k))
			werr_at(w, k, "unknown field");
	}
}

/* Number of characters of a UTF-8 string, -1 when it is not valid UTF-8. */
static long utf8_length(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		unsigned c = *p, need, cp, min;

		if (c < 0x80) {
			p++;
			n++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else
			return -1;
		p++;
		while (need--) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (*p++ & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		n++;
	}
	return n;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Checks a text shown to people at the current path. */
static void check_text(struct walk *w, const char *s, size_t maxlen)
{
	long n = utf8_length(s);

	if (n < 0)
		werr(w, "invalid UTF-8");
	else if (blank(s))
		werr(w, "must not be empty");
	else if ((size_t)n > maxlen)
		werr(w, "too long (%ld characters, at most %zu)", n, maxlen);
}

/* Checks the current value as a localized text: one non-empty string per
 * declared language and nothing else. */
static void check_localized(struct walk *w, struct json_object *o,
			    size_t maxlen)
{
	int l;

	if (!expect(w, o, J_OBJECT))
		return;
	json_object_object_foreach(o, k, v)
	{
		size_t mark = path_field(w, k);

		l = qdef_lang_from_name(k);
		if (l < 0)
			werr(w, "unknown language (expected fr, en or ar)");
		else if (!(w->langs & T(l)))
			werr(w, "language not declared in $.event.languages");
		else if (expect(w, v, J_STRING))
			check_text(w, json_object_get_string(v), maxlen);
		path_pop(w, mark);
	}
	for (l = 0; l < QDEF_LANG__MAX; l++)
		if ((w->langs & T(l)) && !present(o, lang_names[l]))
			werr_at(w, lang_names[l], "missing translation");
}

/* The localized member name of o, checked; NULL when absent or wrong. */
static struct json_object *localized(struct walk *w, struct json_object *o,
				     const char *name, int required,
				     size_t maxlen)
{
	struct json_object *v;
	size_t mark;

	if (!json_object_object_get_ex(o, name, &v)) {
		if (required)
			werr_at(w, name, "required field is missing");
		return NULL;
	}
	mark = path_field(w, name);
	check_localized(w, v, maxlen);
	path_pop(w, mark);
	return json_object_is_type(v, json_type_object) ? v : NULL;
}

/* A boolean member; def when absent or wrong (wrong is reported). */
static bool boolean(struct walk *w, struct json_object *o, const char *name,
		    bool def)
{
	struct json_object *v = member(w, o, name, J_BOOL, 0);

	return v ? json_object_get_boolean(v) : def;
}

/* ---- patterns, dates and times ---- */

/* ^[a-z][a-z0-9_]{0,47}$ */
static int is_key(const char *s)
{
	size_t n = 0;

	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return n <= QDEF_KEY_MAX;
}

/* ^[a-z0-9_]{1,48}$ */
static int is_value(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return n >= 1 && n <= QDEF_VALUE_MAX;
}

/* ^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 characters */
static int is_slug(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > QDEF_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '-' && s[i + 1] == '-')
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* An IANA zone name such as Africa/Casablanca or UTC (shape only: the
 * database knows the zones). */
static int is_timezone(const char *s)
{
	size_t n = strlen(s), i;
	int parts = 1;

	if (n == 0 || n > 64 || !isalpha((unsigned char)s[0]) ||
	    s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/') {
			if (s[i + 1] == '/' || ++parts > 3)
				return 0;
		} else if (!isalnum(c) && c != '_' && c != '-' && c != '+')
			return 0;
	}
	return 1;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Parses YYYY-MM-DD at s into days since the epoch. 0 or -1. */
static int parse_date(const char *s, int64_t *days)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

/* Parses YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM) into seconds since the
 * epoch. 0, -1 on a malformed time, -2 when the UTC offset is missing. */
static int parse_timestamp(const char *s, int64_t *secs)
{
	int64_t days;
	int hh, mi, ss = 0, oh, om, sign;
	const char *p;

	if (strlen(s) < 16 || parse_date(s, &days) || s[10] != 'T' ||
	    digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mi))
		return -1;
	p = s + 16;
	if (*p == ':') {
		if (digits(p + 1, 2, &ss))
			return -1;
		p += 3;
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (*p == '\0')
		return -2;
	if (*p == 'Z' && p[1] == '\0') {
		oh = om = 0;
		sign = 1;
	} else if ((*p == '+' || *p == '-') && !digits(p + 1, 2, &oh) &&
		   p[3] == ':' && !digits(p + 4, 2, &om) && p[6] == '\0') {
		if (oh > 14 || om > 59)
			return -1;
		sign = *p == '-' ? -1 : 1;
	} else
		return -1;
	*secs = days * 86400 + hh * 3600 + mi * 60 + ss -
		sign * (oh * 3600 + om * 60);
	return 0;
}

/* ---- the event ---- */

static void walk_languages(struct walk *w, struct json_object *ev)
{
	struct json_object *a = member(w, ev, "languages", J_ARRAY, 1);
	size_t i, n, mark;

	if (a == NULL)
		return;
	mark = path_field(w, "languages");
	n = json_object_array_length(a);
	if (n == 0)
		werr(w, "must not be empty");
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		size_t m2 = path_index(w, i);
		int l;

		if (expect(w, v, J_STRING)) {
			l = qdef_lang_from_name(json_object_get_string(v));
			if (l < 0)
				werr(w, "unknown language (expected fr, en "
					"or ar)");
			else if (w->langs & T(l))
				werr(w, "duplicate language");
			else {
				w->langs |= T(l);
				w->d->languages[w->d->nlanguages++] = l;
			}
		}
		path_pop(w, m2);
	}
	path_pop(w, mark);
}

static void walk_event(struct walk *w, struct json_object *ev)
{
	struct qdef *d = w->d;
	struct json_object *v, *o;
	int64_t start = 0, end = 0;
	int ok_start = 0, ok_end = 0, l;
	size_t mark;

	walk_languages(w, ev);
	check_unknown(w, ev, event_fields);

	if ((v = member(w, ev, "slug", J_STRING, 1)) != NULL) {
		d->slug = json_object_get_string(v);
		if (!is_slug(d->slug)) {
			werr_at(
			    w, "slug",
			    "invalid slug (lower-case letters, "
			    "digits and single dashes, at most 64 characters)");
			d->slug = NULL;
		}
	}
	d->title = localized(w, ev, "title", 1, QDEF_MAX_LABEL);

	if ((o = member(w, ev, "dates", J_OBJECT, 1)) != NULL) {
		mark = path_field(w, "dates");
		check_unknown(w, o, dates_fields);
		if ((v = member(w, o, "start", J_STRING, 1)) != NULL) {
			d->date_start = json_object_get_string(v);
			ok_start = !parse_date(d->date_start, &start);
			if (!ok_start)
				werr_at(w, "start",
					"invalid date (expected "
					"YYYY-MM-DD)");
		}
		if ((v = member(w, o, "end", J_STRING, 1)) != NULL) {
			d->date_end = json_object_get_string(v);
			ok_end = !parse_date(d->date_end, &end);
			if (!ok_end)
				werr_at(w, "end",
					"invalid date (expected "
					"YYYY-MM-DD)");
		}
		if (ok_start && ok_end && end < start)
			werr_at(w, "end", "end is before start");
		path_pop(w, mark);
	}

	if ((o = member(w, ev, "place", J_OBJECT, 1)) != NULL) {
		d->place = o;
		mark = path_field(w, "place");
		check_unknown(w, o, place_fields);
		localized(w, o, "city", 1, QDEF_MAX_LABEL);
		localized(w, o, "venue", 0, QDEF_MAX_LABEL);
		if ((v = member(w, o, "country", J_STRING, 1)) != NULL) {
			const char *c = json_object_get_string(v);

			if (strlen(c) != 2 || !isupper((unsigned char)c[0]) ||
			    !isupper((unsigned char)c[1]))
				werr_at(
				    w, "country",
				    "invalid country code "
				    "(expected ISO 3166-1 alpha-2, like MA)");
		}
		path_pop(w, mark);
	}

	if ((v = member(w, ev, "timezone", J_STRING, 1)) != NULL) {
		d->timezone = json_object_get_string(v);
		if (!is_timezone(d->timezone)) {
			werr_at(w, "timezone",
				"invalid time zone (expected "
				"an IANA name, like Africa/Casablanca)");
			d->timezone = NULL;
		}
	}

	if ((v = member(w, ev, "default_language", J_STRING, 1)) != NULL) {
		l = qdef_lang_from_name(json_object_get_string(v));
		if (l < 0)
			werr_at(w, "default_language",
				"unknown language "
				"(expected fr, en or ar)");
		else if (w->langs && !(w->langs & T(l)))
			werr_at(w, "default_language", "not in languages");
		else
			d->default_language = l;
	}

	d->privacy = localized(w, ev, "privacy", 1, QDEF_MAX_TEXT);
	d->host = localized(w, ev, "host", 0, QDEF_MAX_LABEL);
	/* the console's texts (issue 20): the dashboard's collaboration
	 * heading, the legal note beside the contacts, the objectives (one
	 * per line) */
	d->collab_title = localized(w, ev, "collab_title", 0, QDEF_MAX_LABEL);
	d->contacts_note = localized(w, ev, "contacts_note", 0,
	    QDEF_MAX_LABEL);
	d->objectives = localized(w, ev, "objectives", 0, QDEF_MAX_TEXT);
}

/* ---- items ---- */

/* The types that accept role r: "likert5 or rating10", "single, multi,
 * text or longtext". */
static void type_list(int r, char *out, size_t outsz)
{
	int t, n = 0, total = 0;

	for (t = 0; t < QDEF_TYPE__MAX; t++)
		total += !!(qdef_itype(t)->roles & T(r));
	out[0] = '\0';
	for (t = 0; t < QDEF_TYPE__MAX; t++) {
		size_t len = strlen(out);

		if (!(qdef_itype(t)->roles & T(r)))
			continue;
		n++;
		snprintf(out + len, outsz - len, "%s%s",
			 n == 1	      ? ""
			 : n == total ? " or "
				      : ", ",
			 qdef_itype(t)->name);
	}
}

/* The flag of an item field of a type's own, 0 for a common field, -1
 * for an unknown one. */
static long item_field(const char *name)
{
	size_t i;

	if (in_list(item_common, name))
		return 0;
	for (i = 0; i < sizeof(item_fields) / sizeof(item_fields[0]); i++)
		if (strcmp(item_fields[i].name, name) == 0)
			return (long)item_fields[i].flag;
	return -1;
}

static void walk_options(struct walk *w, struct qdef_item *it,
			 struct json_object *a)
{
	size_t n = json_object_array_length(a), i, j, mark;

	mark = path_field(w, "options");
	if (n < 2) {
		werr(w, "at least 2 options are required");
		goto out;
	}
	if (n > QDEF_MAX_OPTIONS) {
		werr(w, "too many options (%zu, at most %d)", n,
		     QDEF_MAX_OPTIONS);
		goto out;
	}
	it->options = calloc(n, sizeof(*it->options));
	if (it->options == NULL) {
		werr(w, "out of memory");
		goto out;
	}
	it->noptions = n;
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i), *v;
		struct qdef_option *op = &it->options[i];
		size_t m2 = path_index(w, i);
		char tmp[128];

		if (!expect(w, o, J_OBJECT)) {
			path_pop(w, m2);
			continue;
		}
		check_unknown(w, o, option_fields);
		if ((v = member(w, o, "value", J_STRING, 1)) != NULL) {
			const char *s = json_object_get_string(v);

			if (!is_value(s))
				werr_at(w, "value",
					"does not match ^[a-z0-9_]{1,48}$");
			else {
				for (j = 0; j < i; j++)
					if (it->options[j].value &&
					    strcmp(it->options[j].value, s) ==
						0)
						break;
				if (j < i)
					werr_at(w, "value",
						"duplicate option "
						"value \"%s\"",
						shown(tmp, sizeof(tmp), s));
				else
					op->value = s;
			}
		}
		op->label = localized(w, o, "label", 1, QDEF_MAX_LABEL);
		if (present(o, "exclusive") &&
		    !(qdef_itype(it->type)->fields & QDEF_F_EXCLUSIVE))
			werr_at(w, "exclusive", "only allowed on multi items");
		else
			op->exclusive = boolean(w, o, "exclusive", false);
		path_pop(w, m2);
	}
out:
	path_pop(w, mark);
}

/*
 * What an item's type adds: one walker per field (or group of fields) of
 * the type table, run in the order below for the types that have it. Each
 * reads its fields from the item object o into it; r is the analysis role
 * written (-1 when absent or unknown), even one the type does not accept.
 */
typedef void (*field_walker)(struct walk *w, const struct qdef_instrument *in,
			     struct qdef_item *it, struct json_object *o, int r);

static void walk_item_options(struct walk *w, const struct qdef_instrument *in,
			      struct qdef_item *it, struct json_object *o,
			      int r)
{
	struct json_object *v;

	(void)in;
	(void)r;
	if ((v = member(w, o, "options", J_ARRAY, 1)) != NULL)
		walk_options(w, it, v);
}

static void walk_item_other(struct walk *w, const struct qdef_instrument *in,
			    struct qdef_item *it, struct json_object *o, int r)
{
	(void)in;
	(void)r;
	it->other = boolean(w, o, "other", false);
	if (it->other && it->options && qdef_option_index(it, "other") < 0)
		werr_at(w, "other",
			"needs an option with value "
			"\"other\"");
}

static void walk_item_consent(struct walk *w, const struct qdef_instrument *in,
			      struct qdef_item *it, struct json_object *o,
			      int r)
{
	(void)in;
	(void)r;
	it->consent = boolean(w, o, "consent", false);
	if (it->consent && it->options && qdef_option_index(it, "yes") < 0)
		werr_at(w, "consent",
			"needs an option with value "
			"\"yes\"");
}

static void walk_item_scale(struct walk *w, const struct qdef_instrument *in,
			    struct qdef_item *it, struct json_object *o, int r)
{
	size_t want = qdef_itype(it->type)->scale_labels, n, i, mark;
	struct json_object *a;

	(void)in;
	(void)r;
	if ((a = member(w, o, "scale", J_ARRAY, 1)) == NULL)
		return;
	n = json_object_array_length(a);
	mark = path_field(w, "scale");
	if (n != want)
		werr(w, "expected %zu labels, got %zu", want, n);
	else {
		it->scale = a;
		for (i = 0; i < n; i++) {
			size_t m2 = path_index(w, i);

			check_localized(w, json_object_array_get_idx(a, i),
					QDEF_MAX_LABEL);
			path_pop(w, m2);
		}
	}
	path_pop(w, mark);
}

static void walk_item_retro(struct walk *w, const struct qdef_instrument *in,
			    struct qdef_item *it, struct json_object *o, int r)
{
	it->retro = boolean(w, o, "retro", false);
	if (it->retro && (in->kind != QDEF_POST || r != QDEF_ROLE_KNOWLEDGE))
		werr_at(w, "retro",
			"retro is only allowed on post "
			"knowledge items");
}

static void walk_item_bounds(struct walk *w, const struct qdef_instrument *in,
			     struct qdef_item *it, struct json_object *o, int r)
{
	struct json_object *mn = member(w, o, "min", J_NUMBER, 0);
	struct json_object *mx = member(w, o, "max", J_NUMBER, 0);

	(void)in;
	(void)r;
	it->integer = boolean(w, o, "integer", false);
	if (mn) {
		it->has_min = true;
		it->min = json_object_get_double(mn);
	}
	if (mx) {
		it->has_max = true;
		it->max = json_object_get_double(mx);
	}
	if (mn && mx && it->min > it->max)
		werr_at(w, "max", "max is less than min");
}

static void walk_item_length(struct walk *w, const struct qdef_instrument *in,
			     struct qdef_item *it, struct json_object *o, int r)
{
	const struct qdef_itype *ty = qdef_itype(it->type);
	struct json_object *v;

	(void)in;
	(void)r;
	it->max_length = ty->text_default;
	if ((v = member(w, o, "max_length", J_INT, 0)) != NULL) {
		int64_t n = json_object_get_int64(v);

		if (n < 1 || n > (int64_t)ty->text_limit)
			werr_at(w, "max_length",
				"must be between 1 "
				"and %zu",
				ty->text_limit);
		else
			it->max_length = (size_t)n;
	}
}

static void walk_item_personal(struct walk *w, const struct qdef_instrument *in,
			       struct qdef_item *it, struct json_object *o,
			       int r)
{
	(void)in;
	it->personal = boolean(w, o, "personal", false);
	if (it->personal) {
		if (r >= 0 && r != QDEF_ROLE_CONTACT)
			werr_at(w, "personal",
				"personal items need "
				"analysis \"contact\"");
		if (it->required)
			werr_at(w, "required",
				"a personal item cannot "
				"be required");
		/* its consent item is looked up in check_requires() */
		member(w, o, "requires", J_STRING, 1);
	} else {
		if (r == QDEF_ROLE_CONTACT)
			werr_at(w, "analysis",
				"analysis \"contact\" "
				"needs \"personal\": true");
		if (present(o, "requires"))
			werr_at(w, "requires",
				"only allowed on "
				"personal items");
	}
}

static void walk_item_top(struct walk *w, const struct qdef_instrument *in,
			  struct qdef_item *it, struct json_object *o, int r)
{
	struct json_object *v;
	int64_t n;

	(void)in;
	(void)r;
	if ((v = member(w, o, "top", J_INT, 1)) == NULL)
		return;
	n = json_object_get_int64(v);
	if (it->options && (n < 1 || n > (int64_t)it->noptions))
		werr_at(w, "top", "must be between 1 and %zu", it->noptions);
	else if (it->options)
		it->top = (size_t)n;
}

static void walk_item_correct(struct walk *w, const struct qdef_instrument *in,
			      struct qdef_item *it, struct json_object *o,
			      int r)
{
	struct json_object *v;
	char tmp[128];

	(void)in;
	(void)r;
	if ((v = member(w, o, "correct", J_STRING, 1)) == NULL ||
	    it->options == NULL)
		return;
	it->correct = qdef_option_index(it, json_object_get_string(v));
	if (it->correct < 0)
		werr_at(w, "correct", "\"%s\" is not among the options",
			shown(tmp, sizeof(tmp), json_object_get_string(v)));
}

/* In this order (the order of the errors): a walker runs when the type
 * has any of the flags. */
static const struct {
	unsigned flags;
	field_walker walk;
} field_walkers[] = {
    {QDEF_F_OPTIONS, walk_item_options},
    {QDEF_F_OTHER, walk_item_other},
    {QDEF_F_CONSENT, walk_item_consent},
    {QDEF_F_SCALE, walk_item_scale},
    {QDEF_F_RETRO, walk_item_retro},
    {QDEF_F_MIN | QDEF_F_MAX | QDEF_F_INTEGER, walk_item_bounds},
    {QDEF_F_MAX_LENGTH, walk_item_length},
    {QDEF_F_PERSONAL, walk_item_personal},
    {QDEF_F_TOP, walk_item_top},
    {QDEF_F_CORRECT, walk_item_correct},
};

/* The fields every item has, then those of its type (see field_walkers). */
static void walk_item(struct walk *w, struct qdef_instrument *in,
		      struct qdef_item *it, struct json_object *o)
{
	const struct qdef_itype *ty = NULL;
	struct json_object *v;
	int t = -1, r = -1;
	size_t i;
	char tmp[128], list[128];

	it->json = o;
	it->type = QDEF_TYPE__MAX;
	it->role = QDEF_ROLE__MAX;
	it->correct = -1;
	it->requires = -1;
	it->twin = -1;
	it->fpre = it->fpost = -1;
	if (!expect(w, o, J_OBJECT))
		return;

	/* Unknown fields, and known ones this type does not take. */
	if ((v = member(w, o, "type", J_STRING, 1)) != NULL) {
		t = qdef_type_from_name(json_object_get_string(v));
		if (t < 0)
			werr_at(
			    w, "type", "unknown type \"%s\"",
			    shown(tmp, sizeof(tmp), json_object_get_string(v)));
		else {
			it->type = t;
			ty = qdef_itype(t);
		}
	}
	json_object_object_foreach(o, k, val)
	{
		long flag = item_field(k);

		(void)val;
		if (flag < 0)
			werr_at(w, k, "unknown field");
		else if (ty && flag > 0 && !(ty->fields & (unsigned)flag))
			werr_at(w, k, "not allowed for type \"%s\"", ty->name);
	}

	if ((v = member(w, o, "key", J_STRING, 1)) != NULL) {
		const char *key = json_object_get_string(v);

		if (!is_key(key))
			werr_at(w, "key",
				"does not match ^[a-z][a-z0-9_]{0,47}$");
		else if (in_list(reserved_keys, key))
			werr_at(w, "key",
				"\"%s\" is reserved (lang, source, event and "
				"participant name the export's own columns)",
				key);
		else
			it->key = key;
	}
	if ((v = member(w, o, "analysis", J_STRING, 1)) != NULL) {
		r = qdef_role_from_name(json_object_get_string(v));
		if (r < 0)
			werr_at(
			    w, "analysis", "unknown analysis role \"%s\"",
			    shown(tmp, sizeof(tmp), json_object_get_string(v)));
		else if (ty && !(ty->roles & T(r))) {
			type_list(r, list, sizeof(list));
			werr_at(w, "analysis", "analysis \"%s\" needs type %s",
				role_names[r], list);
		} else
			it->role = r;
	}
	it->label = localized(w, o, "label", 1, QDEF_MAX_LABEL);
	it->help = localized(w, o, "help", 0, QDEF_MAX_LABEL);
	(void)localized(w, o, "objective", 0, QDEF_MAX_LABEL);
	it->required = boolean(w, o, "required", false);
	if (ty == NULL)
		return;

	for (i = 0; i < sizeof(field_walkers) / sizeof(field_walkers[0]); i++)
		if (ty->fields & field_walkers[i].flags)
			field_walkers[i].walk(w, in, it, o, r);

	if (it->role == QDEF_ROLE_NPS && ++w->nnps == 2)
		werr_at(w, "analysis", "only one nps item is allowed");
}

/* ---- instruments ---- */

/* Path of item i of an instrument: $.instruments.K.sections[S].items[I] */
static void path_item(struct walk *w, const struct qdef_instrument *in,
		      size_t i)
{
	const struct qdef_item *it = &in->items[i];
	char tmp[128];

	snprintf(tmp, sizeof(tmp), "$.instruments.%s.sections[%zu].items[%zu]",
		 kind_names[in->kind], it->section,
		 i - in->sections[it->section].first);
	path_set(w, tmp);
}

static void walk_window(struct walk *w, struct qdef_instrument *in,
			struct json_object *win)
{
	static const char *const names[2] = {"opens", "closes"};
	int64_t at[2] = {0, 0};
	const char *s[2] = {NULL, NULL};
	size_t mark = path_field(w, "window"), i;
	int rc;

	check_unknown(w, win, window_fields);
	for (i = 0; i < 2; i++) {
		struct json_object *v = member(w, win, names[i], J_STRING, 0);

		if (v == NULL)
			continue;
		rc = parse_timestamp(json_object_get_string(v), &at[i]);
		if (rc == -2)
			werr_at(w, names[i],
				"missing UTC offset (like "
				"2017-10-31T08:00:00+01:00)");
		else if (rc < 0)
			werr_at(w, names[i],
				"invalid time (expected ISO 8601, "
				"like 2017-10-31T08:00:00+01:00)");
		else
			s[i] = json_object_get_string(v);
	}
	if (s[0] && s[1] && at[0] >= at[1])
		werr_at(w, "closes", "closes must be later than opens");
	in->opens = s[0];
	in->opens_at = at[0];
	in->closes = s[1];
	in->closes_at = at[1];
	path_pop(w, mark);
}

static void check_duplicates(struct walk *w, struct qdef_instrument *in)
{
	size_t i, j;

	for (i = 0; i < in->nitems; i++) {
		if (in->items[i].key == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (in->items[j].key &&
			    strcmp(in->items[i].key, in->items[j].key) == 0)
				break;
		if (j == i)
			continue;
		path_item(w, in, i);
		werr_at(w, "key",
			"duplicate key \"%s\" (first at "
			"sections[%zu].items[%zu])",
			in->items[i].key, in->items[j].section,
			j - in->sections[in->items[j].section].first);
		in->items[i].key = NULL; /* keep lookups unambiguous */
	}
}

/* Each personal item names its consent item, earlier in the form. */
static void check_requires(struct walk *w, struct qdef_instrument *in)
{
	size_t i;
	char tmp[128];

	for (i = 0; i < in->nitems; i++) {
		struct qdef_item *it = &in->items[i];
		struct json_object *v;
		const struct qdef_item *c;
		const char *s;

		if (!it->personal ||
		    !json_object_object_get_ex(it->json, "requires", &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		c = qdef_item(in, s);
		path_item(w, in, i);
		if (c == NULL)
			werr_at(w, "requires", "unknown item \"%s\"",
				shown(tmp, sizeof(tmp), s));
		else if (!c->consent)
			werr_at(w, "requires", "\"%s\" is not a consent item",
				c->key);
		else if (c > it)
			werr_at(w, "requires",
				"\"%s\" must come before this "
				"item",
				c->key);
		else
		it->requires = (int)(c - in->items);
	}
}

static void walk_instrument(struct walk *w, struct qdef_instrument *in,
			    struct json_object *o)
{
	struct json_object *secs, *v;
	size_t n, i, j, total = 0, k = 0, mark;

	in->present = true;
	in->json = o;
	check_unknown(w, o, instrument_fields);
	in->title = localized(w, o, "title", 1, QDEF_MAX_LABEL);
	in->intro = localized(w, o, "intro", 1, QDEF_MAX_TEXT);
	if ((v = member(w, o, "window", J_OBJECT, 0)) != NULL)
		walk_window(w, in, v);

	w->unread[in->kind] = 1;
	if ((secs = member(w, o, "sections", J_ARRAY, 1)) == NULL)
		return;
	mark = path_field(w, "sections");
	n = json_object_array_length(secs);
	if (n == 0) {
		werr(w, "must not be empty");
		goto out;
	}
	if (n > QDEF_MAX_SECTIONS) {
		werr(w, "too many sections (%zu, at most %d)", n,
		     QDEF_MAX_SECTIONS);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(secs, i);

		if (json_object_object_get_ex(s, "items", &v) &&
		    json_object_is_type(v, json_type_array))
			total += json_object_array_length(v);
	}
	if (total > QDEF_MAX_ITEMS) {
		path_pop(w, mark);
		werr(w, "too many items (%zu, at most %d)", total,
		     QDEF_MAX_ITEMS);
		return;
	}
	in->sections = calloc(n, sizeof(*in->sections));
	in->items = calloc(total ? total : 1, sizeof(*in->items));
	if (in->sections == NULL || in->items == NULL) {
		werr(w, "out of memory");
		goto out;
	}
	in->nsections = n;
	w->unread[in->kind] = 0;
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(secs, i), *a;
		struct qdef_section *sec = &in->sections[i];
		size_t m2 = path_index(w, i);

		sec->first = k;
		if (!expect(w, s, J_OBJECT)) {
			path_pop(w, m2);
			continue;
		}
		check_unknown(w, s, section_fields);
		if ((v = member(w, s, "id", J_STRING, 1)) != NULL) {
			if (!is_key(json_object_get_string(v)))
				werr_at(w, "id",
					"does not match "
					"^[a-z][a-z0-9_]{0,47}$");
			else {
				sec->id = json_object_get_string(v);
				for (j = 0; j < i; j++)
					if (in->sections[j].id &&
					    !strcmp(in->sections[j].id,
						    sec->id))
						werr_at(w, "id",
							"duplicate "
							"section id \"%s\"",
							sec->id);
			}
		}
		sec->title = localized(w, s, "title", 1, QDEF_MAX_LABEL);
		sec->intro = localized(w, s, "intro", 0, QDEF_MAX_TEXT);
		if ((a = member(w, s, "items", J_ARRAY, 1)) != NULL) {
			size_t m3 = path_field(w, "items");
			size_t ni = json_object_array_length(a);

			if (ni == 0)
				werr(w, "must not be empty");
			for (j = 0; j < ni; j++) {
				size_t m4 = path_index(w, j);

				in->items[k].section = i;
				walk_item(w, in, &in->items[k],
					  json_object_array_get_idx(a, j));
				k++;
				path_pop(w, m4);
			}
			path_pop(w, m3);
		}
		sec->count = k - sec->first;
		path_pop(w, m2);
	}
	in->nitems = k;
out:
	path_pop(w, mark);
}

static int same_values(const struct qdef_item *a, const struct qdef_item *b)
{
	size_t i;

	if (a->noptions != b->noptions)
		return 0;
	for (i = 0; i < a->noptions; i++) {
		const char *x = a->options[i].value, *y = b->options[i].value;

		if (!x || !y || strcmp(x, y) != 0)
			return 0;
	}
	return 1;
}

/* A follow-up item with the key of a pre or post item is that item asked
 * again: the same type, role, options and scale (its answers are compared
 * with the earlier ones). Outcome items belong to the follow-up only. */
static void check_followup(struct walk *w)
{
	struct qdef_instrument *fu = &w->d->instruments[QDEF_FOLLOWUP];

	for (size_t k = 0; k <= QDEF_POST; k++) {
		struct qdef_instrument *in = &w->d->instruments[k];

		for (size_t i = 0; i < in->nitems; i++)
			if (in->items[i].role == QDEF_ROLE_OUTCOME) {
				path_item(w, in, i);
				werr_at(w, "analysis", "outcome items belong "
					"to the followup instrument");
			}
	}
	for (size_t i = 0; i < fu->nitems; i++) {
		struct qdef_item *b = &fu->items[i];
		const struct qdef_item *a = NULL, *c;
		const char *from = "pre";

		if (b->key == NULL)
			continue;
		if ((c = qdef_item(&w->d->instruments[QDEF_PRE], b->key)))
			b->fpre = (int)(c - w->d->instruments[QDEF_PRE].items);
		a = c;
		if ((c = qdef_item(&w->d->instruments[QDEF_POST], b->key))) {
			b->fpost = (int)(c - w->d->instruments[QDEF_POST].items);
			if (a == NULL) {
				a = c;
				from = "post";
			}
		}
		if (b->role == QDEF_ROLE_KNOWLEDGE && a == NULL) {
			path_item(w, fu, i);
			werr_at(w, "key", "knowledge item is missing from pre "
				"and post");
		}
		if (a == NULL || a->type == QDEF_TYPE__MAX ||
		    b->type == QDEF_TYPE__MAX)
			continue;
		path_item(w, fu, i);
		if (a->type != b->type) {
			werr_at(w, "type", "type \"%s\" differs from %s "
				"(\"%s\")", qdef_type_name(b->type), from,
				qdef_type_name(a->type));
			continue;
		}
		if (a->role != QDEF_ROLE__MAX && b->role != QDEF_ROLE__MAX &&
		    a->role != b->role)
			werr_at(w, "analysis", "analysis \"%s\" differs from "
				"%s (\"%s\")", role_names[b->role], from,
				role_names[a->role]);
		if (a->options && b->options && !same_values(a, b))
			werr_at(w, "options", "option values differ from %s",
				from);
		if (a->scale && b->scale &&
		    !json_object_equal(a->scale, b->scale))
			werr_at(w, "scale", "differs from %s", from);
	}
}

/* An item asked in both instruments has the same type, role, options and
 * scale; knowledge and quiz items must be asked in both. */
static void check_pairs(struct walk *w)
{
	struct qdef_instrument *pre = &w->d->instruments[QDEF_PRE];
	struct qdef_instrument *post = &w->d->instruments[QDEF_POST];
	size_t i, k;

	for (i = 0; i < post->nitems; i++) {
		struct qdef_item *b = &post->items[i];
		const struct qdef_item *ca;
		struct qdef_item *a;

		if (b->key == NULL || (ca = qdef_item(pre, b->key)) == NULL)
			continue;
		a = &pre->items[ca - pre->items];
		a->twin = (int)i;
		b->twin = (int)(a - pre->items);
		if (a->type == QDEF_TYPE__MAX || b->type == QDEF_TYPE__MAX)
			continue;
		path_item(w, post, i);
		if (a->type != b->type) {
			werr_at(w, "type",
				"type \"%s\" differs from pre "
				"(\"%s\")",
				qdef_type_name(b->type),
				qdef_type_name(a->type));
			continue;
		}
		if (a->role != QDEF_ROLE__MAX && b->role != QDEF_ROLE__MAX &&
		    a->role != b->role)
			werr_at(w, "analysis",
				"analysis \"%s\" differs from "
				"pre (\"%s\")",
				role_names[b->role], role_names[a->role]);
		if (a->options && b->options && !same_values(a, b))
			werr_at(w, "options", "option values differ from pre");
		else if (a->correct >= 0 && b->correct >= 0 &&
			 a->correct != b->correct)
			werr_at(w, "correct", "differs from pre");
		if (a->scale && b->scale &&
		    !json_object_equal(a->scale, b->scale))
			werr_at(w, "scale", "differs from pre");
		if (a->top && b->top && a->top != b->top)
			werr_at(w, "top", "differs from pre");
	}
	for (k = 0; k <= QDEF_POST; k++) {
		struct qdef_instrument *in = &w->d->instruments[k];

		for (i = 0; i < in->nitems; i++) {
			struct qdef_item *it = &in->items[i];

			if (it->key == NULL || it->twin >= 0 || w->unread[!k] ||
			    (it->role != QDEF_ROLE_KNOWLEDGE &&
			     it->role != QDEF_ROLE_QUIZ))
				continue;
			path_item(w, in, i);
			werr_at(w, "key", "%s item is missing from %s",
				role_names[it->role], kind_names[!k]);
		}
	}
	if (pre->opens && post->opens && post->opens_at < pre->opens_at) {
		path_set(w, "$.instruments.post.window.opens");
		werr(w, "post opens before pre opens");
	}
	check_followup(w);
}

/* ---- translation checks (issue 21) ---- */

static int loc_has(struct json_object *a, const char *lang)
{
	struct json_object *v;

	return a && json_object_object_get_ex(a, lang, &v) &&
	       json_object_is_type(v, json_type_string);
}

static const char *loc_get(struct json_object *a, const char *lang)
{
	struct json_object *v;

	return loc_has(a, lang) && json_object_object_get_ex(a, lang, &v)
		   ? json_object_get_string(v)
		   : NULL;
}

/* The label of entry i of list a: the entry itself for a scale, its
 * "label" for an option. */
static struct json_object *entry(struct json_object *a, size_t i,
				 int options)
{
	struct json_object *o = json_object_array_get_idx(a, i), *l;

	if (!options)
		return o;
	return o && json_object_object_get_ex(o, "label", &l) ? l : NULL;
}

/* Two lists of localized texts (scale points, option labels) that say the
 * same thing in one language (*same) but not in another (*other): the
 * translation differs. Returns the index of the first differing entry, or
 * -1 when the lists agree (or differ in every language). */
static int list_differs(struct walk *w, struct json_object *a,
			struct json_object *b, int options, int *same,
			int *other)
{
	size_t n = json_object_array_length(a), i;

	if (n != json_object_array_length(b))
		return -1;
	for (size_t x = 0; x < w->d->nlanguages; x++) {
		const char *lx = lang_names[w->d->languages[x]];
		int eq = 1;

		for (i = 0; i < n && eq; i++) {
			const char *p = loc_get(entry(a, i, options), lx);
			const char *q = loc_get(entry(b, i, options), lx);

			eq = p && q && strcmp(p, q) == 0;
		}
		if (!eq)
			continue;
		for (size_t y = 0; y < w->d->nlanguages; y++) {
			const char *ly = lang_names[w->d->languages[y]];

			for (i = 0; i < n; i++) {
				const char *p = loc_get(entry(a, i, options),
							ly);
				const char *q = loc_get(entry(b, i, options),
							ly);

				if (p && q && strcmp(p, q) != 0) {
					*same = w->d->languages[x];
					*other = w->d->languages[y];
					return (int)i;
				}
			}
		}
	}
	return -1;
}

static void item_where(const struct qdef_instrument *in, size_t i, char *out,
		       size_t outsz)
{
	snprintf(out, outsz, "%s item \"%s\"", kind_names[in->kind],
		 in->items[i].key ? in->items[i].key : "?");
}

/* A scale or option list is translated the same way wherever it is used:
 * two items whose scale (or option list with the same values) reads the
 * same in one language must read the same in every language. The same key
 * in pre and post offers the very same options (values and labels). */
static void check_translations(struct walk *w)
{
	struct qdef_instrument *pre = &w->d->instruments[QDEF_PRE];
	struct qdef_instrument *post = &w->d->instruments[QDEF_POST];
	struct json_object *ao, *bo;

	for (size_t kb = 0; kb < QDEF_KIND__MAX; kb++) {
		struct qdef_instrument *ib = &w->d->instruments[kb];

		for (size_t j = 0; j < ib->nitems; j++) {
			struct qdef_item *b = &ib->items[j];
			int done = 0;

			for (size_t ka = 0; ka <= kb && !done; ka++) {
				struct qdef_instrument *ia =
				    &w->d->instruments[ka];
				size_t lim = ka == kb ? j : ia->nitems;

				for (size_t i = 0; i < lim && !done; i++) {
					struct qdef_item *a = &ia->items[i];
					int same, other, k, opt;
					char where[128], tmp[16];
					size_t mark;

					if (a->scale && b->scale &&
					    a->type == b->type) {
						opt = 0;
						k = list_differs(w, a->scale,
								 b->scale, 0,
								 &same, &other);
					} else if (a->options && b->options &&
						   same_values(a, b) &&
						   !(ka != kb && a->key &&
						     b->key &&
						     strcmp(a->key, b->key) ==
							 0)) {
						opt = 1;
						json_object_object_get_ex(
						    a->json, "options", &ao);
						json_object_object_get_ex(
						    b->json, "options", &bo);
						k = list_differs(w, ao, bo, 1,
								 &same, &other);
					} else
						continue;
					/* the same list as an earlier item:
					 * that one is the reference */
					if (opt ? json_object_equal(ao, bo)
						: json_object_equal(a->scale,
								    b->scale)) {
						done = 1;
						continue;
					}
					if (k < 0)
						continue;
					done = 1;
					item_where(ia, i, where, sizeof(where));
					path_item(w, ib, j);
					mark = path_field(w, opt ? "options"
								 : "scale");
					path_index(w, (size_t)k);
					if (opt)
						path_field(w, "label");
					snprintf(tmp, sizeof(tmp), "%s",
						 lang_names[other]);
					werr_at(w, tmp,
						"translated differently from "
						"the same %s of %s (the %s "
						"texts are the same)",
						opt ? "options" : "scale",
						where, lang_names[same]);
					path_pop(w, mark);
				}
			}
		}
	}

	/* the same key in pre and post: the very same option list */
	for (size_t i = 0; i < post->nitems; i++) {
		struct qdef_item *b = &post->items[i];
		struct qdef_item *a;

		if (b->twin < 0 || (size_t)b->twin >= pre->nitems)
			continue;
		a = &pre->items[b->twin];
		if (!a->options || !b->options || !same_values(a, b) ||
		    !json_object_object_get_ex(a->json, "options", &ao) ||
		    !json_object_object_get_ex(b->json, "options", &bo) ||
		    json_object_equal(ao, bo))
			continue;
		for (size_t k = 0; k < b->noptions; k++) {
			struct json_object *x = json_object_array_get_idx(ao, k);
			struct json_object *y = json_object_array_get_idx(bo, k);

			if (json_object_equal(x, y))
				continue;
			path_item(w, post, i);
			path_field(w, "options");
			path_index(w, k);
			werr(w, "differs from the same option in pre (the "
				"same question offers the same options, "
				"worded the same, before and after)");
			break;
		}
	}
}

static void walk_root(struct walk *w, struct json_object *def)
{
	struct json_object *v, *ins;
	size_t k, mark;

	path_set(w, "$");
	if (!expect(w, def, J_OBJECT))
		return;
	check_unknown(w, def, root_fields);
	member(w, def, "$schema", J_STRING, 0);
	if ((v = member(w, def, "format", J_INT, 1)) != NULL) {
		int64_t f = json_object_get_int64(v);

		if (f != QDEF_FORMAT)
			werr_at(w, "format",
				"unsupported format version "
				"%" PRId64 " (expected %d)",
				f, QDEF_FORMAT);
		else
			w->d->format = (int)f;
	}
	if ((v = member(w, def, "event", J_OBJECT, 1)) != NULL) {
		mark = path_field(w, "event");
		walk_event(w, v);
		path_pop(w, mark);
	}
	if ((ins = member(w, def, "instruments", J_OBJECT, 1)) == NULL)
		return;
	mark = path_field(w, "instruments");
	check_unknown(w, ins, instruments_fields);
	for (k = 0; k < QDEF_KIND__MAX; k++) {
		w->d->instruments[k].kind = k;
		if ((v = member(w, ins, kind_names[k], J_OBJECT, 0)) != NULL) {
			size_t m2 = path_field(w, kind_names[k]);

			walk_instrument(w, &w->d->instruments[k], v);
			path_pop(w, m2);
		}
	}
	if (!present(ins, "pre") && !present(ins, "post"))
		werr(w, "at least one of pre and post is required");
	else if (present(ins, "followup") && !present(ins, "post"))
		werr(w, "a followup needs a post instrument");
	path_pop(w, mark);
	/* These set whole paths of their own. */
	for (k = 0; k < QDEF_KIND__MAX; k++) {
		check_duplicates(w, &w->d->instruments[k]);
		check_requires(w, &w->d->instruments[k]);
	}
	check_pairs(w);
	check_translations(w);
}

/* Walks def into a new model. Returns the model (caller frees with
 * qdef_free()) or NULL out of memory; *failed says whether errors were
 * appended to errs. */
static struct qdef *walk(struct json_object *def, struct qdef_errors *errs,
			 int *failed)
{
	struct walk *w;
	struct qdef *d;

	*failed = 1;
	w = calloc(1, sizeof(*w));
	d = calloc(1, sizeof(*d));
	if (w == NULL || d == NULL) {
		free(w);
		free(d);
		return NULL;
	}
	w->errs = errs;
	w->d = d;
	walk_root(w, def);
	*failed = w->failed;
	free(w);
	return d;
}

int qdef_validate(struct json_object *def, struct qdef_errors *errs)
{
	int failed;
	struct qdef *d = walk(def, errs, &failed);

	if (d == NULL) {
		errors_push(errs, strdup("$: out of memory"));
		return -1;
	}
	qdef_free(d);
	return failed ? -1 : 0;
}

struct qdef *qdef_build(struct json_object *def)
{
	struct qdef_errors errs = {0, NULL};
	int failed;
	struct qdef *d = walk(def, &errs, &failed);

	qdef_errors_free(&errs);
	if (d == NULL)
		return NULL;
	if (failed) {
		qdef_free(d);
		return NULL;
	}
	d->json = json_object_get(def);
	return d;
}

void qdef_free(struct qdef *d)
{
	size_t k, i;

	if (d == NULL)
		return;
	for (k = 0; k < QDEF_KIND__MAX; k++) {
		struct qdef_instrument *in = &d->instruments[k];

		for (i = 0; i < in->nitems; i++)
			free(in->items[i].options);
		free(in->items);
		free(in->sections);
	}
	json_object_put(d->json);
	free(d);
}

/* ---- files ---- */

struct json_object *qdef_parse_file(const char *path, struct qdef_errors *errs)
{
	struct json_object *j = NULL;
	struct json_tokener *tok = NULL;
	struct buf b = BUF_INIT;
	struct buf e = BUF_INIT;
	char chunk[8192];
	size_t n, end, i, line = 1, col = 1;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		buf_printf(&e, "%s: %s", path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > FILE_MAX) {
			buf_printf(&e, "%s: file too large (at most %d bytes)",
				   path, FILE_MAX);
			goto out;
		}
		buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		buf_printf(&e, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (b.oom || (tok = json_tokener_new()) == NULL) {
		buf_printf(&e, "%s: out of memory", path);
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					JSON_TOKENER_VALIDATE_UTF8);
	j = json_tokener_parse_ex(tok, buf_cstr(&b), (int)b.len);
	end = json_tokener_get_parse_end(tok);
	if (j == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		const char *why =
		    j == NULL &&
			    json_tokener_get_error(tok) == json_tokener_continue
			? "unexpected end of file"
			: json_tokener_error_desc(json_tokener_get_error(tok));

		for (i = 0; i < end && i < b.len; i++) {
			if (b.data[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		buf_printf(&e, "%s:%zu:%zu: invalid JSON: %s", path, line, col,
			   why);
		json_object_put(j);
		j = NULL;
		goto out;
	}
	for (i = end; i < b.len; i++)
		if (!isspace((unsigned char)b.data[i])) {
			buf_printf(&e,
				   "%s: invalid JSON: trailing characters "
				   "after the definition",
				   path);
			json_object_put(j);
			j = NULL;
			goto out;
		}
out:
	if (f)
		fclose(f);
	if (tok)
		json_tokener_free(tok);
	buf_free(&b);
	if (e.len)
		errors_push(errs, buf_steal(&e));
	buf_free(&e);
	return j;
}

/* ---- lookups ---- */

const struct qdef_instrument *qdef_instrument(const struct qdef *d,
					      const char *name)
{
	int k = qdef_kind_from_name(name);

	if (d == NULL || k < 0 || !d->instruments[k].present)
		return NULL;
	return &d->instruments[k];
}

const struct qdef_item *qdef_interest_item(const struct qdef *d)
{
	for (int k = QDEF_POST; k >= 0; k--) {
		const struct qdef_instrument *in = &d->instruments[k];

		for (size_t i = 0; in->present && i < in->nitems; i++)
			if (in->items[i].role == QDEF_ROLE_COLLABORATION &&
			    in->items[i].type == QDEF_SINGLE &&
			    !in->items[i].consent)
				return &in->items[i];
	}
	return NULL;
}

const struct qdef_item *qdef_item(const struct qdef_instrument *in,
				  const char *key)
{
	size_t i;

	if (in == NULL || key == NULL)
		return NULL;
	for (i = 0; i < in->nitems; i++)
		if (in->items[i].key && strcmp(in->items[i].key, key) == 0)
			return &in->items[i];
	return NULL;
}

int qdef_option_index(const struct qdef_item *it, const char *value)
{
	size_t i;

	if (it == NULL || value == NULL)
		return -1;
	for (i = 0; i < it->noptions; i++)
		if (it->options[i].value &&
		    strcmp(it->options[i].value, value) == 0)
			return (int)i;
	return -1;
}

const char *qdef_text(const struct qdef *d, struct json_object *localized,
		      enum qdef_lang lang)
{
	struct json_object *v;

	if (localized == NULL)
		return "";
	if ((unsigned)lang < QDEF_LANG__MAX &&
	    json_object_object_get_ex(localized, lang_names[lang], &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (d && (unsigned)d->default_language < QDEF_LANG__MAX &&
	    json_object_object_get_ex(localized,
				      lang_names[d->default_language], &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "";
}

size_t qdef_item_nvalues(const struct qdef_item *it)
{
	const struct qdef_itype *ty = qdef_itype(it->type);

	if (ty == NULL)
		return 0;
	if (ty->nvalues)
		return ty->nvalues;
	return ty->fields & QDEF_F_OPTIONS ? it->noptions : 0;
}

int qdef_offers(const struct qdef *d, int l)
{
	for (size_t i = 0; l >= 0 && i < d->nlanguages; i++)
		if ((int)d->languages[i] == l)
			return 1;
	return 0;
}
