/* console.c: the organiser's console's domain (see console.h). */
#include "console.h"

#include <ctype.h>
#include <json-c/json.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "log.h"
#include "store_console.h"
#include "xlsform.h"
#include "xlsx.h"

int console_error(struct qdef_errors *errs, const char *fmt, ...)
{
	va_list ap;
	char *m = NULL, **mm;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (m = malloc((size_t)n + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mm = realloc(errs->msg, (errs->n + 1) * sizeof(*mm));
	if (mm == NULL) {
		free(m);
		return -1;
	}
	errs->msg = mm;
	errs->msg[errs->n++] = m;
	return 0;
}

/* ---- reading an upload ---- */

/* Parses JSON text; NULL with the syntax error (line:column) in errs. */
static struct json_object *parse_json(const char *s, size_t len,
    struct qdef_errors *errs)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *j;
	size_t end, line = 1, col = 1;

	if (tok == NULL) {
		console_error(errs, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	j = json_tokener_parse_ex(tok, s, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (j == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		const char *why = j == NULL && json_tokener_get_error(tok) ==
			json_tokener_continue ? "unexpected end of file" :
		    json_tokener_error_desc(json_tokener_get_error(tok));

		for (size_t i = 0; i < end && i < len; i++) {
			if (s[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		console_error(errs, "line %zu, column %zu: invalid JSON: %s",
		    line, col, why);
		json_object_put(j);
		j = NULL;
	} else {
		for (size_t i = end; i < len; i++)
			if (!isspace((unsigned char)s[i])) {
				console_error(errs, "invalid JSON: trailing "
				    "characters after the definition");
				json_object_put(j);
				j = NULL;
				break;
			}
	}
	json_tokener_free(tok);
	return j;
}

struct json_object *console_read_definition(const char *bytes, size_t len,
    struct qdef_errors *errs)
{
	struct json_object *def = NULL;

	if (len == 0) {
		console_error(errs, "the file is empty");
		return NULL;
	}
	if (xlsx_is_zip(bytes, len)) {
		if (xlsform_load(bytes, len, &def, errs) != 0)
			return NULL;
		return def;
	}
	if ((def = parse_json(bytes, len, errs)) == NULL)
		return NULL;
	if (qdef_validate(def, errs) != 0) {
		json_object_put(def);
		return NULL;
	}
	return def;
}

/* ---- the event's properties from the console's fields ---- */

static int set_str(struct json_object *o, const char *key, const char *v)
{
	struct json_object *s = json_object_new_string(v);

	if (s == NULL || json_object_object_add(o, key, s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

/* The object o.key, created when missing (or not an object). */
static struct json_object *obj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	v = json_object_new_object();
	if (v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return NULL;
	}
	return v;
}

/* Sets o.key to the localized texts given (NULL or "" leaves a language as
 * it is; an object with no text at all is left as it was). */
static int set_localized(struct json_object *o, const char *key,
    const char *const t[QDEF_LANG__MAX])
{
	struct json_object *loc;
	int any = 0;

	for (int l = 0; l < QDEF_LANG__MAX; l++)
		any |= t[l] && *t[l];
	if (!any)
		return 0;
	if ((loc = obj(o, key)) == NULL)
		return -1;
	for (int l = 0; l < QDEF_LANG__MAX; l++)
		if (t[l] && *t[l] &&
		    set_str(loc, qdef_lang_name((enum qdef_lang)l), t[l]) != 0)
			return -1;
	return 0;
}

/* Drops the texts of languages not in keep (a bit per enum qdef_lang)
 * from every localized object under o: an object whose members are all
 * language names with string values. */
static void prune_languages(struct json_object *o, unsigned keep)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			prune_languages(json_object_array_get_idx(o, i), keep);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	{
		int all = json_object_object_length(o) > 0;
		json_object_object_foreach(o, k, v)
		{
			if (qdef_lang_from_name(k) < 0 ||
			    !json_object_is_type(v, json_type_string))
				all = 0;
		}
		if (all) {
			for (int l = 0; l < QDEF_LANG__MAX; l++)
				if (!(keep & (1u << l)))
					json_object_object_del(o,
					    qdef_lang_name((enum qdef_lang)l));
			return;
		}
	}
	json_object_object_foreach(o, k2, v2)
	{
		(void)k2;
		prune_languages(v2, keep);
	}
}

/* "fr,ar,en" into the enum's values in order. The count, or -1 when the
 * list is not one (unknown or repeated language, empty). */
static int parse_languages(const char *s, int out[QDEF_LANG__MAX])
{
	int n = 0;
	unsigned seen = 0;

	while (*s) {
		char name[8];
		size_t len = strcspn(s, ", ");
		int l;

		if (len == 0) {
			s++;
			continue;
		}
		if (len >= sizeof(name) || n == QDEF_LANG__MAX)
			return -1;
		memcpy(name, s, len);
		name[len] = '\0';
		l = qdef_lang_from_name(name);
		if (l < 0 || (seen & (1u << l)))
			return -1;
		seen |= 1u << l;
		out[n++] = l;
		s += len;
	}
	return n ? n : -1;
}

static int given(const char *s)
{
	return s && *s;
}

int console_apply_event(struct json_object *def,
    const struct console_event_fields *f, struct qdef_errors *errs)
{
	struct json_object *ev = obj(def, "event"), *v, *ins;
	int langs[QDEF_LANG__MAX], nl = -1;

	if (ev == NULL)
		return -1;
	if (given(f->languages)) {
		nl = parse_languages(f->languages, langs);
		if (nl < 0) {
			console_error(errs, "languages: \"%s\" is not a list of "
			    "fr, en, ar (each once, the first the default)",
			    f->languages);
			return -1;
		} else {
			struct json_object *a = json_object_new_array();
			unsigned keep = 0;

			if (a == NULL || json_object_object_add(ev, "languages",
					     a) != 0) {
				json_object_put(a);
				return -1;
			}
			for (int i = 0; i < nl; i++) {
				keep |= 1u << langs[i];
				if (json_object_array_add(a,
					json_object_new_string(qdef_lang_name(
					    (enum qdef_lang)langs[i]))) != 0)
					return -1;
			}
			if (set_str(ev, "default_language",
				qdef_lang_name((enum qdef_lang)langs[0])))
				return -1;
			prune_languages(def, keep);
		}
	}
	if (given(f->slug) && set_str(ev, "slug", f->slug))
		return -1;
	if (set_localized(ev, "title", f->title))
		return -1;
	if (given(f->starts_on) || given(f->ends_on)) {
		struct json_object *d = obj(ev, "dates");

		if (d == NULL || (given(f->starts_on) &&
				     set_str(d, "start", f->starts_on)) ||
		    (given(f->ends_on) && set_str(d, "end", f->ends_on)))
			return -1;
	}
	if (given(f->place) || given(f->place_l[0]) || given(f->place_l[1]) ||
	    given(f->place_l[2]) || given(f->country)) {
		struct json_object *p = obj(ev, "place");
		const char *city[QDEF_LANG__MAX];

		if (p == NULL)
			return -1;
		/* `place' is the city in every language unless said otherwise */
		for (int l = 0; l < QDEF_LANG__MAX; l++)
			city[l] = given(f->place_l[l]) ? f->place_l[l] : f->place;
		if (given(f->place))
			json_object_object_del(p, "venue");
		if (set_localized(p, "city", city))
			return -1;
		if (given(f->country)) {
			/* "tn" is TN: the code, whatever the case typed */
			char cc[3] = {0};

			for (size_t i = 0; i < 2 && f->country[i]; i++)
				cc[i] = (char)toupper(
				    (unsigned char)f->country[i]);
			if (set_str(p, "country", strlen(f->country) == 2 ?
				cc : f->country))
				return -1;
		}
	}
	if (given(f->timezone) && set_str(ev, "timezone", f->timezone))
		return -1;
	if (given(f->host)) {
		const char *h[QDEF_LANG__MAX] = {f->host, f->host, f->host};
		if (set_localized(ev, "host", h))
			return -1;
	}
	if (set_localized(ev, "privacy", f->privacy) ||
	    set_localized(ev, "collab_title", f->collab) ||
	    set_localized(ev, "contacts_note", f->note) ||
	    set_localized(ev, "objectives", f->objectives))
		return -1;
	/* a language list shorter than before: the texts just set for a
	 * dropped language go too */
	if (nl > 0) {
		unsigned keep = 0;
		for (int i = 0; i < nl; i++)
			keep |= 1u << langs[i];
		prune_languages(ev, keep);
	}
	if (f->drop_windows && json_object_object_get_ex(def, "instruments",
				   &ins)) {
		json_object_object_foreach(ins, k, inst)
		{
			(void)k;
			if (json_object_is_type(inst, json_type_object))
				json_object_object_del(inst, "window");
		}
	}
	(void)v;
	return 0;
}

/* ---- what was answered, and the safe-change rule ---- */

int console_answered_row(void *ctx, const char *instrument, const char *item,
    const char *value)
{
	struct json_object *set = ctx, *in, *vals;

	if ((in = obj(set, instrument)) == NULL)
		return -1;
	if (!json_object_object_get_ex(in, item, &vals)) {
		vals = json_object_new_array();
		if (vals == NULL || json_object_object_add(in, item, vals)) {
			json_object_put(vals);
			return -1;
		}
	}
	if (value && json_object_array_add(vals,
			 json_object_new_string(value)) != 0)
		return -1;
	return 0;
}

/* Splits "key.other" / "key.retro" into the base key and its suffix. */
static const char *base_key(const char *field, char *out, size_t n)
{
	const char *dot = strchr(field, '.');
	size_t len = dot ? (size_t)(dot - field) : strlen(field);

	if (len >= n)
		len = n - 1;
	memcpy(out, field, len);
	out[len] = '\0';
	return dot ? dot + 1 : "";
}

static const char *correct_value(const struct qdef_item *it)
{
	return it->type == QDEF_QUIZ && it->correct >= 0 ?
	    it->options[it->correct].value : "";
}

int console_check_changes(const struct qdef *old, const struct qdef *neu,
    struct json_object *answered, struct qdef_errors *out)
{
	int n = 0;

	json_object_object_foreach(answered, iname, items)
	{
		const struct qdef_instrument *oi = old ?
		    qdef_instrument(old, iname) : NULL;
		const struct qdef_instrument *ni = qdef_instrument(neu, iname);

		json_object_object_foreach(items, field, vals)
		{
			char key[QDEF_FIELD_MAX + 1];
			const char *sfx = base_key(field, key, sizeof(key));
			const struct qdef_item *o = oi && oi->present ?
			    qdef_item(oi, key) : NULL;
			const struct qdef_item *w = ni && ni->present ?
			    qdef_item(ni, key) : NULL;
			int bad = 0;

			if (w == NULL) {
				/* reported once per item, not per suffix */
				if (*sfx == '\0' || !json_object_object_get_ex(
							items, key, NULL))
					bad = console_error(out, "%s.%s: an "
					    "answered item is removed", iname,
					    key) ? -1 : 1;
			} else if (strcmp(sfx, "other") == 0 && !w->other) {
				bad = console_error(out, "%s.%s: its answered "
				    "\"other\" text is removed", iname, key) ?
				    -1 : 1;
			} else if (strcmp(sfx, "retro") == 0 && !w->retro) {
				bad = console_error(out, "%s.%s: its answered "
				    "retrospective rating is removed", iname,
				    key) ? -1 : 1;
			} else if (*sfx == '\0') {
				if (o && o->type != w->type &&
				    console_error(out, "%s.%s: an answered item's "
					"type changes from %s to %s", iname, key,
					qdef_type_name(o->type),
					qdef_type_name(w->type)))
					return -1;
				if (o && o->type != w->type)
					n++;
				if (o && o->role != w->role) {
					if (console_error(out, "%s.%s: an answered "
						"item's analysis changes from %s "
						"to %s", iname, key,
						qdef_role_name(o->role),
						qdef_role_name(w->role)))
						return -1;
					n++;
				}
				if (o && strcmp(correct_value(o),
					     correct_value(w)) != 0) {
					if (console_error(out, "%s.%s: an answered "
						"item's correct answer changes "
						"from \"%s\" to \"%s\"", iname,
						key, correct_value(o),
						correct_value(w)))
						return -1;
					n++;
				}
				for (size_t i = 0; w->noptions &&
				     i < json_object_array_length(vals); i++) {
					const char *v = json_object_get_string(
					    json_object_array_get_idx(vals, i));

					if (qdef_option_index(w, v) >= 0)
						continue;
					if (console_error(out, "%s.%s: the answered "
						"option \"%s\" is removed", iname,
						key, v))
						return -1;
					n++;
				}
			}
			if (bad < 0)
				return -1;
			n += bad;
		}
	}
	return n;
}

/* ---- storing ---- */

char *console_items_json(const struct qdef *d)
{
	struct json_object *a = json_object_new_array();
	char *s = NULL;

	if (a == NULL)
		return NULL;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];

		if (!in->present)
			continue;
		for (size_t sct = 0; sct < in->nsections; sct++) {
			const struct qdef_section *sec = &in->sections[sct];

			for (size_t t = 0; t < sec->count; t++) {
				const struct qdef_item *it =
				    &in->items[sec->first + t];
				/* the positions of ctl_load.c's store_items */
				int pos = (int)(((sct + 1) * 1000 + t + 1) * 4);
				char f[QDEF_FIELD_MAX + 8];

				for (int sub = 0; sub < 3; sub++) {
					struct json_object *o;
					const char *type = qdef_type_name(
					    it->type), *role =
					    qdef_role_name(it->role);

					if ((sub == 1 && !it->other) ||
					    (sub == 2 && !it->retro))
						continue;
					snprintf(f, sizeof(f), "%s%s", it->key,
					    sub == 1 ? ".other" :
					    sub == 2 ? ".retro" : "");
					if (sub == 1)
						type = role = "other";
					if (sub == 2)
						role = "retro";
					o = json_object_new_object();
					if (o == NULL ||
					    json_object_array_add(a, o) != 0) {
						json_object_put(o);
						goto out;
					}
					if (set_str(o, "instrument",
						qdef_kind_name((enum qdef_kind)k)) ||
					    set_str(o, "item", f) ||
					    json_object_object_add(o, "pos",
						json_object_new_int(pos + sub)) ||
					    set_str(o, "type", type) ||
					    set_str(o, "role", role) ||
					    json_object_object_add(o, "correct",
						sub == 0 && it->type == QDEF_QUIZ &&
						it->correct >= 0 ?
						json_object_new_string(
						    it->options[it->correct]
							.value) : NULL) ||
					    json_object_object_add(o, "personal",
						json_object_new_boolean(
						    it->personal)))
						goto out;
				}
			}
		}
	}
	s = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
out:
	json_object_put(a);
	return s;
}

char *console_windows_json(const struct qdef *d)
{
	struct json_object *a = json_object_new_array();
	char *s = NULL;

	if (a == NULL)
		return NULL;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];
		struct json_object *o;

		if (!in->present || (in->opens == NULL && in->closes == NULL))
			continue;
		o = json_object_new_object();
		if (o == NULL || json_object_array_add(a, o) != 0) {
			json_object_put(o);
			goto out;
		}
		if (set_str(o, "instrument", qdef_kind_name((enum qdef_kind)k)) ||
		    json_object_object_add(o, "opens", in->opens ?
			json_object_new_string(in->opens) : NULL) ||
		    json_object_object_add(o, "closes", in->closes ?
			json_object_new_string(in->closes) : NULL))
			goto out;
	}
	s = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
out:
	json_object_put(a);
	return s;
}

static enum console_rc from_store(enum store_rc rc)
{
	return rc == STORE_DOWN ? CONSOLE_DOWN : CONSOLE_FAILED;
}

enum console_rc console_store(struct db *db, struct json_object *def,
    const char *url_slug, bool create, struct qdef_errors *errs,
    long *version)
{
	struct qdef *d = NULL;
	struct json_object *answered = NULL;
	char *items = NULL, *windows = NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	char digest[65];
	const char *text;
	enum store_console_outcome outcome;
	enum store_rc src;
	enum console_rc rc = CONSOLE_FAILED;
	bool known;

	*version = 0;
	if (qdef_validate(def, errs) != 0)
		return CONSOLE_INVALID;
	if ((d = qdef_build(def)) == NULL)
		return CONSOLE_FAILED;
	if (!create && strcmp(d->slug, url_slug) != 0) {
		console_error(errs, "$.event.slug: \"%s\" is not this event's "
		    "slug (\"%s\")", d->slug, url_slug);
		rc = CONSOLE_INVALID;
		goto out;
	}
	/* a zone the database knows (a typo passes the pattern check) */
	if ((src = store_console_tz_known(db, d->timezone, &known)) !=
	    STORE_OK) {
		rc = from_store(src);
		goto out;
	}
	if (!known) {
		console_error(errs, "$.event.timezone: unknown time zone \"%s\"",
		    d->timezone);
		rc = CONSOLE_INVALID;
		goto out;
	}
	if (!create) {
		struct event_info ev;
		int st = event_lookup(db, url_slug, &ev), nc;

		if (st == 404) {
			rc = CONSOLE_MISSING;
			goto out;
		}
		if (st != 0 || ev.stale) {
			rc = st == 503 || ev.stale ? CONSOLE_DOWN : CONSOLE_FAILED;
			goto out;
		}
		/* the same definition whatever its key order (a workbook
		 * reads back to the same definition, not the same text) */
		if (json_object_equal(ev.def->json, def)) {
			rc = CONSOLE_UNCHANGED;
			goto out;
		}
		if ((answered = json_object_new_object()) == NULL)
			goto out;
		src = store_console_answered(db, url_slug, console_answered_row,
		    answered);
		if (src != STORE_OK) {
			rc = src == STORE_STOPPED ? CONSOLE_FAILED :
			    from_store(src);
			goto out;
		}
		nc = console_check_changes(ev.def, d, answered, errs);
		if (nc < 0)
			goto out;
		if (nc > 0) {
			rc = CONSOLE_CONFLICT;
			goto out;
		}
	}
	text = json_object_to_json_string_ext(def, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(digest, sizeof(digest), h, sizeof(h));
	items = console_items_json(d);
	windows = console_windows_json(d);
	if (items == NULL || windows == NULL)
		goto out;
	src = store_console_definition(db, d->slug, create, text, digest,
	    items, windows, &outcome, version);
	if (src != STORE_OK) {
		if (src != STORE_DOWN)
			log_msg(NULL, "console: storing %s: %s", d->slug,
			    store_error(db));
		rc = from_store(src);
		goto out;
	}
	switch (outcome) {
	case STORE_CONSOLE_STORED:
		rc = CONSOLE_STORED;
		break;
	case STORE_CONSOLE_UNCHANGED:
		rc = CONSOLE_UNCHANGED;
		break;
	case STORE_CONSOLE_TAKEN:
		console_error(errs, "slug: an event \"%s\" exists already",
		    d->slug);
		rc = CONSOLE_TAKEN;
		break;
	case STORE_CONSOLE_MISSING:
		rc = CONSOLE_MISSING;
		break;
	}
out:
	free(items);
	free(windows);
	json_object_put(answered);
	qdef_free(d);
	return rc;
}
