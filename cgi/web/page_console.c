/* page_console.c: the organiser's console (DESIGN.md, "The organiser's
 * console"): create an event (from a copy or an uploaded definition), its
 * set-up page (the event's properties, attendance, double entry, windows,
 * the definition's upload and downloads, previews), the windows, and the
 * live monitor of the room. The preview itself is page_form.c's. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "console.h"
#include "event.h"
#include "form.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "store_console.h"

/* The event fields of the two forms, in order: the create form shows the
 * first CREATE_FIELDS, the set-up page all but the slug. */
static const struct {
	enum ckey k;
	const char *type; /* input type, or "textarea" */
	int create;	  /* on the create form */
} fields[] = {
    {CK_SLUG, "text", 1},	  {CK_TITLE_FR, "text", 1},
    {CK_TITLE_EN, "text", 1},	  {CK_TITLE_AR, "text", 1},
    {CK_STARTS_ON, "date", 1},	  {CK_ENDS_ON, "date", 1},
    {CK_PLACE, "text", 1},	  {CK_PLACE_FR, "text", 1},
    {CK_PLACE_EN, "text", 1},	  {CK_PLACE_AR, "text", 1},
    {CK_COUNTRY, "text", 1},	  {CK_TIMEZONE, "text", 1},
    {CK_LANGUAGES, "text", 1},	  {CK_HOST, "text", 1},
    {CK_ATTENDANCE, "number", 0}, {CK_PRIVACY_FR, "textarea", 0},
    {CK_PRIVACY_EN, "textarea", 0}, {CK_PRIVACY_AR, "textarea", 0},
    {CK_COLLAB_FR, "text", 0},	  {CK_COLLAB_EN, "text", 0},
    {CK_COLLAB_AR, "text", 0},	  {CK_NOTE_FR, "text", 0},
    {CK_NOTE_EN, "text", 0},	  {CK_NOTE_AR, "text", 0},
    {CK_OBJECTIVES_FR, "textarea", 0}, {CK_OBJECTIVES_EN, "textarea", 0},
    {CK_OBJECTIVES_AR, "textarea", 0},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Where a message about a JSON path of the event shows on the forms: the
 * field's name, or NULL. */
static const char *field_of_path(const char *place, char *out, size_t n)
{
	static const struct {
		const char *path, *field;
	} map[] = {
	    {"$.event.slug", "slug"},
	    {"$.event.dates.start", "starts_on"},
	    {"$.event.dates.end", "ends_on"},
	    {"$.event.place.country", "country"},
	    {"$.event.place.city.", "place_"},
	    {"$.event.place", "place"},
	    {"$.event.timezone", "timezone"},
	    {"$.event.languages", "languages"},
	    {"$.event.default_language", "languages"},
	    {"$.event.host", "host"},
	    {"$.event.title.", "title_"},
	    {"$.event.privacy.", "privacy_"},
	    {"$.event.collab_title.", "collab_title_"},
	    {"$.event.contacts_note.", "contacts_note_"},
	    {"$.event.objectives.", "objectives_"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t len = strlen(map[i].path);

		if (strncmp(place, map[i].path, len) != 0)
			continue;
		if (map[i].path[len - 1] == '.') {
			/* a language: title_fr, ... */
			if (strlen(place + len) != 2)
				return NULL;
			snprintf(out, n, "%s%s", map[i].field, place + len);
		} else
			snprintf(out, n, "%s", map[i].field);
		return out;
	}
	for (int k = 0; k < CK__MAX; k++)
		if (strcmp(place, console_key_defs[k].name) == 0) {
			snprintf(out, n, "%s", place);
			return out;
		}
	return NULL;
}

/* The messages of a page: errors [{place, message}] and invalid {field:
 * message} (for aria-invalid). */
struct msgs {
	struct json_object *errors, *invalid;
};

static int msgs_init(struct msgs *m)
{
	m->errors = json_object_new_array();
	m->invalid = json_object_new_object();
	return m->errors && m->invalid ? 0 : -1;
}

static void msgs_free(struct msgs *m)
{
	json_object_put(m->errors);
	json_object_put(m->invalid);
	m->errors = m->invalid = NULL;
}

/* Adds one message: "PLACE: text" is split at its first ": ". */
static int msgs_add(struct msgs *m, const char *msg)
{
	const char *sep = strstr(msg, ": ");
	struct json_object *o = json_object_new_object();
	char place[256] = "", field[64];
	const char *f;

	if (o == NULL || json_object_array_add(m->errors, o) != 0) {
		json_object_put(o);
		return -1;
	}
	if (sep && (size_t)(sep - msg) < sizeof(place) &&
	    memchr(msg, ' ', (size_t)(sep - msg)) == NULL) {
		memcpy(place, msg, (size_t)(sep - msg));
		place[sep - msg] = '\0';
		msg = sep + 2;
	}
	if (jset_str(o, "place", place) || jset_str(o, "message", msg))
		return -1;
	if (place[0] && (f = field_of_path(place, field, sizeof(field))) &&
	    !json_object_object_get_ex(m->invalid, f, NULL) &&
	    jset_str(m->invalid, f, msg))
		return -1;
	return 0;
}

static int msgs_add_all(struct msgs *m, const struct qdef_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		if (msgs_add(m, e->msg[i]) != 0)
			return -1;
	return 0;
}

/* A message on a field by its i18n key: "field: words". */
static int msgs_field(struct msgs *m, const struct req *r, const char *field,
    const char *key)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s: %s", field, page_t(r, key));
	return msgs_add(m, buf);
}

/* The form's fields with their values (values: {name: text}), for the
 * create form (create) or the set-up page. */
static struct json_object *field_list(const struct req *r, int create,
    const struct qdef *d, struct json_object *values, const struct msgs *m)
{
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; list && i < NFIELDS; i++) {
		const char *name = console_key_defs[fields[i].k].name;
		size_t nlen = strlen(name);
		struct json_object *o, *v, *err = NULL;
		char lkey[64], hkey[64];

		if ((create && !fields[i].create) ||
		    (!create && fields[i].k == CK_SLUG))
			continue;
		/* the set-up page: the texts of the event's languages only */
		if (d && nlen > 3 && name[nlen - 3] == '_' &&
		    !qdef_offers(d, qdef_lang_from_name(name + nlen - 2)))
			continue;
		snprintf(lkey, sizeof(lkey), "console_f_%s", name);
		snprintf(hkey, sizeof(hkey), "console_h_%s", name);
		json_object_object_get_ex(m->invalid, name, &err);
		o = json_object_new_object();
		if (o == NULL || json_object_array_add(list, o) != 0) {
			json_object_put(o);
			goto fail;
		}
		if (jset_str(o, "name", name) ||
		    jset_str(o, "label", page_t(r, lkey)) ||
		    (strcmp(page_t(r, hkey), hkey) != 0 &&
			jset_str(o, "hint", page_t(r, hkey))) ||
		    jset_str(o, "type", fields[i].type) ||
		    jset_bool(o, "textarea",
			strcmp(fields[i].type, "textarea") == 0) ||
		    jset_bool(o, "required", fields[i].k == CK_SLUG) ||
		    (json_object_object_get_ex(values, name, &v) &&
			jset_str(o, "value", json_object_get_string(v))) ||
		    (err && jset_str(o, "error", json_object_get_string(err))))
			goto fail;
	}
	return list;
fail:
	json_object_put(list);
	return NULL;
}

/* What was sent, as {name: text} (only valid text is given back). */
static struct json_object *sent_values(const struct kval in[CK__MAX])
{
	struct json_object *v = json_object_new_object();

	for (int k = 0; v && k < CK__MAX; k++) {
		if (console_key_defs[k].validator == KV_FILE ||
		    in[k].raw == NULL || !utf8_valid(in[k].raw, in[k].raw_len) ||
		    strlen(in[k].raw) != in[k].raw_len)
			continue;
		if (jset_str(v, console_key_defs[k].name, in[k].raw)) {
			json_object_put(v);
			return NULL;
		}
	}
	return v;
}

/* A field's text when valid and not empty, else NULL. */
static const char *val(const struct kval in[CK__MAX], enum ckey k)
{
	return in[k].state == KEY_VALID && in[k].str && in[k].str[0] ?
	    in[k].str : NULL;
}

/* The console fields into f; each invalid field gets its message. 0, or
 * the number of invalid fields (-1 out of memory). */
static int read_fields(const struct req *r, const struct kval in[CK__MAX],
    struct console_event_fields *f, struct msgs *m)
{
	static const enum ckey tl[3] = {CK_TITLE_FR, CK_TITLE_EN, CK_TITLE_AR},
		pl[3] = {CK_PLACE_FR, CK_PLACE_EN, CK_PLACE_AR},
		pr[3] = {CK_PRIVACY_FR, CK_PRIVACY_EN, CK_PRIVACY_AR},
		co[3] = {CK_COLLAB_FR, CK_COLLAB_EN, CK_COLLAB_AR},
		no[3] = {CK_NOTE_FR, CK_NOTE_EN, CK_NOTE_AR},
		ob[3] = {CK_OBJECTIVES_FR, CK_OBJECTIVES_EN, CK_OBJECTIVES_AR};
	int bad = 0;

	memset(f, 0, sizeof(*f));
	for (int k = 0; k < CK__MAX; k++) {
		if (in[k].state != KEY_INVALID)
			continue;
		if (msgs_field(m, r, console_key_defs[k].name,
			k == CK_SLUG || k == CK_COPY_FROM ? "console_e_slug" :
			k == CK_ATTENDANCE ? "console_e_attendance" :
			k == CK_DEFINITION ? "console_e_file" :
			"console_e_text") != 0)
			return -1;
		bad++;
	}
	f->slug = val(in, CK_SLUG);
	for (int l = 0; l < 3; l++) {
		f->title[l] = val(in, tl[l]);
		f->place_l[l] = val(in, pl[l]);
		f->privacy[l] = val(in, pr[l]);
		f->collab[l] = val(in, co[l]);
		f->note[l] = val(in, no[l]);
		f->objectives[l] = val(in, ob[l]);
	}
	f->starts_on = val(in, CK_STARTS_ON);
	f->ends_on = val(in, CK_ENDS_ON);
	f->place = val(in, CK_PLACE);
	f->country = val(in, CK_COUNTRY);
	f->timezone = val(in, CK_TIMEZONE);
	f->languages = val(in, CK_LANGUAGES);
	f->host = val(in, CK_HOST);
	return bad;
}

/* A deep copy of a definition (caller puts), NULL out of memory. */
static struct json_object *copy_json(struct json_object *j)
{
	return json_tokener_parse(json_object_to_json_string_ext(j,
	    JSON_C_TO_STRING_PLAIN));
}

static int status_of(enum console_rc rc)
{
	switch (rc) {
	case CONSOLE_STORED:
	case CONSOLE_UNCHANGED:
		return 303;
	case CONSOLE_INVALID:
	case CONSOLE_TAKEN:
		return 422;
	case CONSOLE_CONFLICT:
		return 409;
	case CONSOLE_MISSING:
		return 404;
	case CONSOLE_DOWN:
		return 503;
	case CONSOLE_FAILED:
		break;
	}
	return 500;
}

/* ---- creating an event ---- */

/* Adds the events one may copy to d: copy [{slug, title, selected}]. */
static int copy_row(void *ctx, const struct store_admin_event *e)
{
	struct json_object *list = ctx, *o = json_object_new_object();

	if (o == NULL || json_object_array_add(list, o) != 0) {
		json_object_put(o);
		return -1;
	}
	return jset_str(o, "slug", e->slug) || jset_str(o, "title", e->title);
}

/* The create form with status, what was sent (values) and the messages. */
static int render_new(struct req *r, int status, struct json_object *values,
    const char *copy_from, struct msgs *m)
{
	struct json_object *d = page_data(r), *events = json_object_new_array();
	struct json_object *fl = field_list(r, 1, NULL, values, m);
	enum store_rc rc;

	if (d == NULL || events == NULL || fl == NULL ||
	    json_object_object_add(d, "fields", fl) != 0) {
		json_object_put(fl);
		goto fail;
	}
	fl = NULL;
	rc = store_admin_events(&app.db, r->lang, r->user_id, copy_row,
	    events);
	if (rc != STORE_OK) {
		json_object_put(events);
		json_object_put(d);
		return rc == STORE_DOWN ? 503 : 500;
	}
	for (size_t i = 0; copy_from && i < json_object_array_length(events);
	     i++) {
		struct json_object *e = json_object_array_get_idx(events, i), *s;
		if (json_object_object_get_ex(e, "slug", &s) &&
		    strcmp(json_object_get_string(s), copy_from) == 0 &&
		    jset_bool(e, "selected", 1))
			goto fail;
	}
	if (json_object_object_add(d, "events", events) != 0)
		goto fail;
	events = NULL;
	if (page_admin_common(r, d) ||
	    jset_bool(d, "has_errors", json_object_array_length(m->errors) > 0) ||
	    json_object_object_add(d, "errors", json_object_get(m->errors)))
		goto fail;
	return page_render(r, status, "console_new", page_t(r, "console_new"),
	    d);
fail:
	json_object_put(events);
	json_object_put(d);
	return 500;
}

/* GET /admin/events/new: 200; 503. */
int page_event_new(struct req *r)
{
	struct msgs m;
	struct json_object *values = json_object_new_object();
	int st = 500;

	if (msgs_init(&m) == 0 && values)
		st = render_new(r, 200, values, NULL, &m);
	json_object_put(values);
	msgs_free(&m);
	return st;
}

/* POST /admin/events (multipart or urlencoded): 303 to the new event's
 * set-up page; 422 with every message and its place (a field, a JSON path,
 * a sheet!cell), nothing stored; 503; 500. */
int page_event_create(struct req *r)
{
	struct kval in[CK__MAX];
	struct console_event_fields f;
	struct qdef_errors errs = {0, NULL};
	struct json_object *def = NULL, *values = NULL;
	struct msgs m = {NULL, NULL};
	const char *copy;
	enum console_rc rc;
	long version;
	char loc[128];
	int st = 500, bad;

	keys_parse_console(r, in);
	copy = val(in, CK_COPY_FROM);
	if (msgs_init(&m) != 0 || (values = sent_values(in)) == NULL)
		goto out;
	if ((bad = read_fields(r, in, &f, &m)) < 0)
		goto out;
	if (in[CK_SLUG].state == KEY_ABSENT && msgs_field(&m, r, "slug",
						   "console_e_required"))
		goto out;
	if (copy && in[CK_DEFINITION].state == KEY_VALID) {
		if (msgs_field(&m, r, "copy_from", "console_e_copy_or_file"))
			goto out;
	} else if (copy) {
		struct event_info ev;
		/* an event outside the user's scope is one that does not
		 * exist (DESIGN.md "Roles": copy_from naming one is 422) */
		int est = auth_event_visible(r, copy);

		if (est == 0)
			est = event_lookup(&app.db, copy, &ev);
		if (est == 404) {
			if (msgs_field(&m, r, "copy_from", "console_e_no_event"))
				goto out;
		} else if (est != 0 || ev.stale) {
			st = est ? est : 503;
			goto out;
		} else if ((def = copy_json(ev.def->json)) == NULL)
			goto out;
		f.drop_windows = true; /* a copy starts closed */
	} else if (in[CK_DEFINITION].state == KEY_VALID) {
		def = console_read_definition(in[CK_DEFINITION].raw,
		    in[CK_DEFINITION].raw_len, &errs);
		if (def == NULL && msgs_add_all(&m, &errs))
			goto out;
	} else if (in[CK_DEFINITION].state != KEY_INVALID &&
	    msgs_field(&m, r, "copy_from", "console_e_copy_or_file"))
		goto out;
	qdef_errors_free(&errs);
	if (def && json_object_array_length(m.errors) == 0 &&
	    console_apply_event(def, &f, &errs) != 0 && errs.n == 0)
		goto out;
	if (json_object_array_length(m.errors) > 0 || errs.n > 0) {
		if (msgs_add_all(&m, &errs))
			goto out;
		st = render_new(r, 422, values, copy, &m);
		goto out;
	}
	rc = console_store(&app.db, def, NULL, true, &errs, &version);
	if (rc == CONSOLE_STORED) {
		struct json_object *d = json_object_new_object();

		log_msg(r, "event %s created%s%s", f.slug, copy ? " from " : "",
		    copy ? copy : "");
		/* its creator manages it (an organiser's scope gains it) */
		if (store_user_grant_event(&app.db, r->user_id, f.slug) !=
		    STORE_OK)
			log_msg(r, "event %s: not added to %s's events: %s",
			    f.slug, r->user_name, store_error(&app.db));
		if (d && (jset_int(d, "version", version) ||
			(copy && jset_str(d, "copy_from", copy)) ||
			(!copy && jset_str(d, "from", "upload")))) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, f.slug, "event.create", d);
		snprintf(loc, sizeof(loc), "/admin/e/%s/setup", f.slug);
		resp_redirect(r, loc);
		st = 303;
		goto out;
	}
	st = status_of(rc);
	if (st == 422 || st == 409) {
		if (msgs_add_all(&m, &errs))
			goto out;
		st = render_new(r, st, values, copy, &m);
	}
out:
	(void)bad;
	qdef_errors_free(&errs);
	json_object_put(def);
	json_object_put(values);
	msgs_free(&m);
	return st;
}

/* ---- the audit log's entries of the set-up page and the upload ---- */

/* A new definition version stored through the console (from: "setup" or
 * "upload"). */
static void audit_version(struct req *r, long version, const char *from)
{
	struct json_object *d = json_object_new_object();

	if (d && (jset_int(d, "version", version) || jset_str(d, "from", from))) {
		json_object_put(d);
		d = NULL;
	}
	page_audit(r, r->slug, "definition.version", d);
}

/* An event column changed from before to after. */
static void audit_change(struct req *r, const char *action, const char *what,
    long before, long after)
{
	struct json_object *d = json_object_new_object(), *c = NULL;

	if (d && ((c = json_object_new_object()) == NULL ||
		     jset_int(c, "from", before) || jset_int(c, "to", after) ||
		     json_object_object_add(d, what, c))) {
		json_object_put(c);
		json_object_put(d);
		d = NULL;
	}
	page_audit(r, r->slug, action, d);
}

/* ---- the set-up page ---- */

/* The set-up values of definition d (and the event's columns). */
static struct json_object *def_values(const struct qdef *d, long attendance)
{
	struct json_object *v = json_object_new_object(), *o;
	static const char *const ln[3] = {"fr", "en", "ar"};
	struct buf langs = BUF_INIT;
	char key[48];
	int bad = v == NULL;

	for (int l = 0; !bad && l < 3; l++) {
#define LOC(obj, prefix)                                                       \
	do {                                                                   \
		struct json_object *s_;                                        \
		snprintf(key, sizeof(key), "%s_%s", prefix, ln[l]);             \
		if ((obj) && json_object_object_get_ex((obj), ln[l], &s_))     \
			bad |= jset_str(v, key, json_object_get_string(s_));   \
	} while (0)
		LOC(d->title, "title");
		LOC(d->privacy, "privacy");
		LOC(d->collab_title, "collab_title");
		LOC(d->contacts_note, "contacts_note");
		LOC(d->objectives, "objectives");
		if (d->place && json_object_object_get_ex(d->place, "city", &o))
			LOC(o, "place");
#undef LOC
	}
	if (bad)
		goto fail;
	for (size_t i = 0; i < d->nlanguages; i++)
		buf_printf(&langs, "%s%s", i ? "," : "",
		    qdef_lang_name(d->languages[i]));
	if (jset_str(v, "starts_on", d->date_start) ||
	    jset_str(v, "ends_on", d->date_end) ||
	    jset_str(v, "timezone", d->timezone) ||
	    jset_str(v, "languages", buf_cstr(&langs)) ||
	    (d->place && json_object_object_get_ex(d->place, "country", &o) &&
		jset_str(v, "country", json_object_get_string(o))) ||
	    (d->place && json_object_object_get_ex(d->place, "city", &o) &&
		jset_str(v, "place", qdef_text(d, o, d->default_language))) ||
	    (d->host && jset_str(v, "host",
			    qdef_text(d, d->host, d->default_language))) ||
	    (attendance > 0 && jset_int(v, "attendance", attendance)))
		goto fail;
	buf_free(&langs);
	return v;
fail:
	buf_free(&langs);
	json_object_put(v);
	return NULL;
}

struct win_ctx {
	struct json_object *by; /* {instrument: {opens, closes, open}} */
};

static int window_row(void *ctx, const struct store_window_row *w)
{
	struct win_ctx *c = ctx;
	struct json_object *o = json_object_new_object();

	if (o == NULL || json_object_object_add(c->by, w->instrument, o)) {
		json_object_put(o);
		return -1;
	}
	return jset_str(o, "opens", w->opens) ||
	    jset_str(o, "closes", w->closes) || jset_bool(o, "open", w->open);
}

/* The set-up page of r->slug with status: values (NULL: the current
 * definition's), the messages m, and which form they belong to (anchor:
 * "event", "definition", "windows"). */
static int render_setup(struct req *r, int status, struct json_object *values,
    struct msgs *m, const char *anchor)
{
	struct event_info ev;
	struct json_object *d = NULL, *own = NULL, *wins = NULL, *fl = NULL;
	struct json_object *pv = NULL;
	struct win_ctx wc = {NULL};
	long attendance;
	bool dbl;
	enum store_rc rc;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	rc = store_console_setup_get(&app.db, ev.id, &attendance, &dbl);
	if (rc != STORE_OK)
		return rc == STORE_DOWN ? 503 : rc == STORE_NONE ? 404 : 500;
	if ((wc.by = json_object_new_object()) == NULL)
		return 500;
	rc = store_console_windows(&app.db, ev.id, ev.def->timezone,
	    window_row, &wc);
	if (rc != STORE_OK) {
		json_object_put(wc.by);
		return rc == STORE_DOWN ? 503 : 500;
	}
	st = 500;
	if (values == NULL && (values = own = def_values(ev.def,
				   attendance)) == NULL)
		goto out;
	if ((d = page_data(r)) == NULL || (wins = json_object_new_array()) ==
	    NULL || json_object_object_add(d, "windows", wins) != 0) {
		json_object_put(wins);
		goto out;
	}
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &ev.def->instruments[k];
		const char *kind = qdef_kind_name((enum qdef_kind)k);
		struct json_object *o, *w = NULL, *links;
		char key[32];

		if (!in->present)
			continue;
		o = json_object_new_object();
		if (o == NULL || json_object_array_add(wins, o) != 0) {
			json_object_put(o);
			goto out;
		}
		json_object_object_get_ex(wc.by, kind, &w);
		snprintf(key, sizeof(key), "questionnaire_%s", kind);
		if (jset_str(o, "instrument", kind) ||
		    jset_str(o, "label", page_t(r, key)) ||
		    jset_bool(o, "open", ev.open[k]) ||
		    (w && json_object_object_add(o, "w", json_object_get(w))))
			goto out;
		/* a preview in each of the event's languages */
		links = json_object_new_array();
		if (links == NULL || json_object_object_add(o, "previews",
					 links) != 0) {
			json_object_put(links);
			goto out;
		}
		for (size_t i = 0; i < ev.def->nlanguages; i++) {
			const char *ln = qdef_lang_name(ev.def->languages[i]);
			struct json_object *p = json_object_new_object();
			char href[160], lk[16];

			snprintf(href, sizeof(href),
			    "/admin/e/%s/preview/%s?lang=%s", r->slug, kind, ln);
			snprintf(lk, sizeof(lk), "lang_%s", ln);
			if (p == NULL || json_object_array_add(links, p) != 0) {
				json_object_put(p);
				goto out;
			}
			if (jset_str(p, "href", href) ||
			    jset_str(p, "label", page_t(r, lk)) ||
			    jset_str(p, "lang", ln))
				goto out;
		}
	}
	/* the event's languages; after a refused form, every language (the
	 * form may be adding one whose texts must be typed) */
	fl = field_list(r, 0, own ? ev.def : NULL, values, m);
	if (fl == NULL || json_object_object_add(d, "fields", fl) != 0) {
		json_object_put(fl);
		goto out;
	}
	pv = json_object_new_string(qdef_text(ev.def, ev.def->title,
	    (enum qdef_lang)(qdef_lang_from_name(r->lang) < 0 ? 0 :
		qdef_lang_from_name(r->lang))));
	if (pv == NULL || json_object_object_add(d, "event_title", pv) != 0) {
		json_object_put(pv);
		goto out;
	}
	if (page_admin_common(r, d) || jset_str(d, "slug", r->slug) ||
	    jset_bool(d, "double_entry", dbl) ||
	    jset_str(d, "tz", ev.def->timezone) ||
	    jset_bool(d, "has_errors", json_object_array_length(m->errors) > 0) ||
	    json_object_object_add(d, "errors", json_object_get(m->errors)) ||
	    (anchor && jset_bool(d, anchor, 1)))
		goto out;
	json_object_put(wc.by);
	json_object_put(own);
	return page_render(r, status, "console_setup",
	    page_t(r, "console_setup"), d);
out:
	json_object_put(wc.by);
	json_object_put(own);
	json_object_put(d);
	return st;
}

/* GET /admin/e/{slug}/setup: 200; 404; 503. */
int page_setup_get(struct req *r)
{
	struct msgs m;
	int st = 500;

	if (msgs_init(&m) == 0)
		st = render_setup(r, 200, NULL, &m, NULL);
	msgs_free(&m);
	return st;
}

/* POST /admin/e/{slug}/setup: the event's properties (a new definition
 * version when they change it), attendance and double entry. 303 back to
 * the set-up page; 422 with every message (the values sent kept); 409 (a
 * change the answers forbid); 404; 503; 500. */
int page_setup_post(struct req *r)
{
	struct kval in[CK__MAX];
	struct console_event_fields f;
	struct qdef_errors errs = {0, NULL};
	struct json_object *def = NULL, *values = NULL;
	struct msgs m = {NULL, NULL};
	struct event_info ev;
	enum console_rc rc;
	enum store_rc src;
	long version, att;
	bool dbl;
	char loc[128];
	int st = event_lookup(&app.db, r->slug, &ev), bad;

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	st = 500;
	keys_parse_console(r, in);
	if (msgs_init(&m) != 0 || (values = sent_values(in)) == NULL)
		goto out;
	if ((bad = read_fields(r, in, &f, &m)) < 0)
		goto out;
	f.slug = NULL; /* the slug never changes */
	if ((def = copy_json(ev.def->json)) == NULL)
		goto out;
	if (console_apply_event(def, &f, &errs) != 0 && errs.n == 0)
		goto out;
	if (json_object_array_length(m.errors) > 0 || errs.n > 0) {
		if (msgs_add_all(&m, &errs) == 0)
			st = render_setup(r, 422, values, &m, "event_errors");
		goto out;
	}
	rc = console_store(&app.db, def, r->slug, false, &errs, &version);
	if (rc != CONSOLE_STORED && rc != CONSOLE_UNCHANGED) {
		st = status_of(rc);
		if ((st == 422 || st == 409) && msgs_add_all(&m, &errs) == 0)
			st = render_setup(r, st, values, &m, "event_errors");
		goto out;
	}
	if (rc == CONSOLE_STORED) {
		log_msg(r, "%s: set-up stored as version %ld", r->slug, version);
		audit_version(r, version, "setup");
	}
	/* attendance and double entry: the event's own columns */
	if ((src = store_console_setup_get(&app.db, ev.id, &att, &dbl)) !=
	    STORE_OK) {
		st = src == STORE_DOWN ? 503 : 500;
		goto out;
	}
	{
		long natt = in[CK_ATTENDANCE].state == KEY_VALID ?
		    (long)in[CK_ATTENDANCE].n : att;
		bool ndbl = in[CK_DOUBLE_ENTRY].state == KEY_VALID ?
		    in[CK_DOUBLE_ENTRY].n == 1 : dbl;

		if (natt != att || ndbl != dbl) {
			src = store_console_setup_set(&app.db, ev.id, natt, ndbl);
			if (src != STORE_OK) {
				if (src != STORE_DOWN)
					log_msg(r, "setup: %s",
					    store_error(&app.db));
				st = src == STORE_DOWN ? 503 : 500;
				goto out;
			}
			if (natt != att)
				audit_change(r, "event.attendance", "attendance",
				    att, natt);
			if (ndbl != dbl)
				audit_change(r, "paper.double_entry",
				    "double_entry", dbl, ndbl);
		}
	}
	snprintf(loc, sizeof(loc), "/admin/e/%s/setup", r->slug);
	resp_redirect(r, loc);
	st = 303;
out:
	(void)bad;
	qdef_errors_free(&errs);
	json_object_put(def);
	json_object_put(values);
	msgs_free(&m);
	return st;
}

/* POST /admin/e/{slug}/definition (multipart, the file `definition`, JSON
 * or .xlsx): 303 to the set-up page (stored, or unchanged); 422 with every
 * error and where it is, nothing stored (a file naming another event's
 * slug too); 409 with each conflict (answers forbid the change); 404; 503;
 * 500. */
int page_definition_upload(struct req *r)
{
	struct kval in[CK__MAX];
	struct qdef_errors errs = {0, NULL};
	struct json_object *def = NULL;
	struct msgs m = {NULL, NULL};
	struct event_info ev;
	enum console_rc rc;
	long version;
	char loc[128];
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	st = 500;
	keys_parse_console(r, in);
	if (msgs_init(&m) != 0)
		goto out;
	if (in[CK_DEFINITION].state != KEY_VALID) {
		if (msgs_field(&m, r, "definition", in[CK_DEFINITION].state ==
			KEY_ABSENT ? "console_e_no_file" : "console_e_file") == 0)
			st = render_setup(r, 422, NULL, &m, "definition_errors");
		goto out;
	}
	def = console_read_definition(in[CK_DEFINITION].raw,
	    in[CK_DEFINITION].raw_len, &errs);
	rc = def ? console_store(&app.db, def, r->slug, false, &errs,
	    &version) : CONSOLE_INVALID;
	if (rc == CONSOLE_STORED || rc == CONSOLE_UNCHANGED) {
		if (rc == CONSOLE_STORED) {
			log_msg(r, "%s: definition version %ld uploaded",
			    r->slug, version);
			audit_version(r, version, "upload");
		}
		snprintf(loc, sizeof(loc), "/admin/e/%s/setup", r->slug);
		resp_redirect(r, loc);
		st = 303;
		goto out;
	}
	st = status_of(rc);
	if ((st == 422 || st == 409) && msgs_add_all(&m, &errs) == 0)
		st = render_setup(r, st, NULL, &m, st == 409 ?
		    "conflict_errors" : "definition_errors");
out:
	qdef_errors_free(&errs);
	json_object_put(def);
	msgs_free(&m);
	return st;
}

/* ---- windows ---- */

/* 1 when s is an ISO 8601 date and time as the console takes it:
 * YYYY-MM-DD[T ]HH:MM[:SS] and an optional Z, +HH, +HH:MM or +HHMM. */
static int iso_time(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd";
	size_t i;

	for (i = 0; pat[i]; i++) {
		char c = s[i];
		if (pat[i] == 'd' ? (c < '0' || c > '9') :
		    pat[i] == 'T' ? (c != 'T' && c != ' ') : c != pat[i])
			return 0;
	}
	s += i;
	if (s[0] == ':') {
		if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
			return 0;
		s += 3;
	}
	if (*s == '\0' || strcmp(s, "Z") == 0)
		return 1;
	if (*s != '+' && *s != '-')
		return 0;
	s++;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == ':' && i == 2)))
			return 0;
	return i == 2 || i == 4 || (i == 5 && s[2] == ':');
}

/* POST /admin/e/{slug}/window: `instrument` and `action` open|close (now),
 * or `opens_at` / `closes_at` (ISO 8601; without an offset, the event's
 * time zone; an empty one is none). 303 to the set-up page; 422 (an
 * instrument the event lacks, a time that is not one, neither an action
 * nor times); 404; 503; 500. */
int page_window(struct req *r)
{
	struct kval in[CK__MAX];
	struct msgs m = {NULL, NULL};
	struct event_info ev;
	const char *opens, *closes, *inst;
	enum store_rc rc;
	char loc[128];
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	keys_parse_console(r, in);
	if (msgs_init(&m) != 0) {
		msgs_free(&m);
		return 500;
	}
	st = 500;
	inst = in[CK_INSTRUMENT].state == KEY_VALID ? in[CK_INSTRUMENT].str :
	    NULL;
	opens = val(in, CK_OPENS_AT);
	closes = val(in, CK_CLOSES_AT);
	if (inst == NULL || !ev.def->instruments[in[CK_INSTRUMENT].n].present) {
		if (msgs_field(&m, r, "instrument", "console_e_instrument"))
			goto out;
	} else if (in[CK_ACTION].state == KEY_INVALID) {
		if (msgs_field(&m, r, "action", "console_e_action"))
			goto out;
	} else if (in[CK_ACTION].state == KEY_ABSENT) {
		if (opens == NULL && closes == NULL &&
		    in[CK_OPENS_AT].state != KEY_INVALID &&
		    in[CK_CLOSES_AT].state != KEY_INVALID &&
		    msgs_field(&m, r, "opens_at", "console_e_action"))
			goto out;
		if ((in[CK_OPENS_AT].state == KEY_INVALID ||
			(opens && !iso_time(opens))) &&
		    msgs_field(&m, r, "opens_at", "console_e_time"))
			goto out;
		if ((in[CK_CLOSES_AT].state == KEY_INVALID ||
			(closes && !iso_time(closes))) &&
		    msgs_field(&m, r, "closes_at", "console_e_time"))
			goto out;
	}
	if (json_object_array_length(m.errors) > 0) {
		st = render_setup(r, 422, NULL, &m, "window_errors");
		goto out;
	}
	if (in[CK_ACTION].state == KEY_VALID) {
		int open = in[CK_ACTION].n == 0;
		rc = store_window_set(&app.db, r->slug,
		    (enum store_instrument)in[CK_INSTRUMENT].n, open);
		log_msg(r, "%s: %s %s now", r->slug, inst,
		    open ? "opened" : "closed");
	} else {
		rc = store_console_window(&app.db, ev.id, inst, opens, closes,
		    ev.def->timezone);
		log_msg(r, "%s: %s scheduled %s .. %s", r->slug, inst,
		    opens ? opens : "-", closes ? closes : "-");
	}
	if (rc != STORE_OK) {
		if (rc != STORE_DOWN)
			log_msg(r, "window: %s", store_error(&app.db));
		st = rc == STORE_DOWN ? 503 : rc == STORE_NONE ? 404 : 500;
		goto out;
	}
	{
		struct json_object *d = json_object_new_object();

		if (d && (jset_str(d, "instrument", inst) ||
			(in[CK_ACTION].state != KEY_VALID &&
			    (jset_str(d, "opens_at", opens ? opens : "") ||
				jset_str(d, "closes_at",
				    closes ? closes : ""))))) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, r->slug,
		    in[CK_ACTION].state != KEY_VALID ? "window.schedule" :
		    in[CK_ACTION].n == 0 ? "window.open" : "window.close", d);
	}
	/* every worker told before the redirect; this one forgets too (the
	 * wait swallowed its own notification) */
	store_events_await(&app.db);
	event_forget();
	snprintf(loc, sizeof(loc), "/admin/e/%s/setup#windows", r->slug);
	resp_redirect(r, loc);
	st = 303;
out:
	msgs_free(&m);
	return st;
}

/* ---- the live monitor ---- */

#define LIVE_REFRESH "15" /* seconds, without JavaScript */
#define LIVE_BAR 10	  /* px per minute in the chart */
#define LIVE_HEIGHT 80

/* "42 %" of n over d, or "" without a denominator. */
static void rate(char *out, size_t n, long num, long den)
{
	if (den > 0)
		snprintf(out, n, "%.0f %%", 100.0 * (double)num / (double)den);
	else
		out[0] = '\0';
}

/* GET /admin/e/{slug}/live: 200 (refreshes itself: a Refresh header
 * without JavaScript, the script's reload with it); 404; 503; 500. */
int page_live(struct req *r)
{
	struct event_info ev;
	struct store_live lv;
	struct json_object *d = NULL, *mins = NULL, *bars = NULL, *t;
	enum store_rc rc;
	char rp[32], rq[32], ru[32];
	long max = 1, last = 0;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	rc = store_console_live(&app.db, ev.id, &lv);
	if (rc != STORE_OK)
		return rc == STORE_DOWN ? 503 : 500;
	st = 500;
	mins = json_tokener_parse(lv.minutes);
	if (mins == NULL || !json_object_is_type(mins, json_type_array) ||
	    (bars = json_object_new_array()) == NULL)
		goto out;
	for (size_t i = 0; i < json_object_array_length(mins); i++) {
		long n = (long)json_object_get_int64(
		    json_object_array_get_idx(mins, i));
		if (n > max)
			max = n;
	}
	for (size_t i = 0; i < json_object_array_length(mins); i++) {
		long n = (long)json_object_get_int64(
		    json_object_array_get_idx(mins, i));
		long h = n * LIVE_HEIGHT / max;
		struct json_object *b = json_object_new_object();

		if (b == NULL || json_object_array_add(bars, b) != 0) {
			json_object_put(b);
			goto out;
		}
		if (jset_int(b, "x", (long long)i * LIVE_BAR) ||
		    jset_int(b, "y", LIVE_HEIGHT - h) ||
		    jset_int(b, "h", h) || jset_int(b, "n", n) ||
		    jset_int(b, "ago", 29 - (long long)i))
			goto out;
		last = n;
	}
	rate(rp, sizeof(rp), lv.pre, lv.attendance);
	rate(rq, sizeof(rq), lv.post, lv.attendance);
	rate(ru, sizeof(ru), lv.used, lv.issued);
	t = json_object_new_string(qdef_text(ev.def, ev.def->title,
	    (enum qdef_lang)(qdef_lang_from_name(r->lang) < 0 ? 0 :
		qdef_lang_from_name(r->lang))));
	if ((d = page_data(r)) == NULL || t == NULL ||
	    json_object_object_add(d, "event_title", t) != 0) {
		json_object_put(t);
		goto out;
	}
	if (page_admin_common(r, d) || jset_str(d, "slug", r->slug) ||
	    jset_int(d, "pre", lv.pre) || jset_int(d, "post", lv.post) ||
	    jset_int(d, "paired", lv.paired) ||
	    jset_int(d, "issued", lv.issued) || jset_int(d, "used", lv.used) ||
	    jset_int(d, "attendance", lv.attendance) ||
	    jset_bool(d, "has_attendance", lv.attendance > 0) ||
	    jset_str(d, "rate_pre", rp) || jset_str(d, "rate_post", rq) ||
	    jset_str(d, "rate_used", ru) ||
	    jset_int(d, "last_minute", last) ||
	    jset_bool(d, "pre_open", ev.open[QDEF_PRE]) ||
	    jset_bool(d, "post_open", ev.open[QDEF_POST]) ||
	    jset_int(d, "width", 30 * LIVE_BAR) ||
	    jset_int(d, "height", LIVE_HEIGHT) ||
	    jset_int(d, "max", max) || jset_str(d, "refresh", LIVE_REFRESH) ||
	    jset_bool(d, "script", 1) ||
	    json_object_object_add(d, "minutes", bars))
		goto out;
	bars = NULL;
	if (resp_header(&r->resp, "Refresh", LIVE_REFRESH) != 0)
		goto out;
	st = page_render(r, 200, "console_live", page_t(r, "console_live"), d);
	d = NULL;
out:
	free(lv.minutes);
	json_object_put(mins);
	json_object_put(bars);
	json_object_put(d);
	return st;
}
