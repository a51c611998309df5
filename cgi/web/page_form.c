/* page_form.c: the attendee flow: the open events, an event's landing
 * page, the pre and post questionnaires (GET renders, POST stores), and
 * the thank-you page with the participant code. Every error path renders
 * the form again with everything the attendee sent. */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "app.h"
#include "auth.h"
#include "event.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "token.h"

#define CODE_COOKIE "enq_code"
#define CODE_COOKIE_AGE "15552000" /* 180 days */

/* The page language: the request's when the event offers it, else the
 * event's default. */
static enum qdef_lang form_lang(struct req *r, const struct qdef *d)
{
	return page_def_lang(r, d, NULL);
}

static const char *txt(const struct qdef *d, struct json_object *loc,
    enum qdef_lang l)
{
	return loc ? qdef_text(d, loc, l) : "";
}

/* The value(s) sent for field: 1 when v (or one element of an array)
 * equals value. */
static int sent_has(struct json_object *values, const char *field,
    const char *value)
{
	struct json_object *v;

	if (values == NULL || !json_object_object_get_ex(values, field, &v))
		return 0;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (strcmp(json_object_get_string(
				       json_object_array_get_idx(v, i)),
				value) == 0)
				return 1;
		return 0;
	}
	return strcmp(json_object_get_string(v), value) == 0;
}

static const char *sent_str(struct json_object *values, const char *field)
{
	struct json_object *v;

	if (values == NULL || !json_object_object_get_ex(values, field, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* Adds the error of field (if any) to o: error, error_id; and to the
 * summary {href, message, question}: question names the question (its
 * label, and which part of it: "(Rank 2)"), so that the summary never lists
 * the same bare message several times. part may be NULL. 0 / -1. */
static int field_error(struct req *r, const struct answers *a,
    struct json_object *o, const char *field, struct json_object *summary,
    const char *question, const char *part)
{
	const char *msg = a ? answer_error_for(a, field) : NULL;
	char id[QDEF_FIELD_MAX + 8];
	struct json_object *s;

	/* an explicit false stops mustache from finding an outer error */
	if (msg == NULL)
		return jset_bool(o, "error", 0);
	snprintf(id, sizeof(id), "err-%s", field);
	for (char *c = id; *c; c++)
		if (*c == '.')
			*c = '-';
	if (jset_str(o, "error", page_t(r, msg)) || jset_str(o, "error_id", id))
		return -1;
	s = json_object_new_object();
	if (s == NULL || jset_str(s, "href", id + 4) ||
	    jset_str(s, "message", page_t(r, msg)) ||
	    json_object_array_add(summary, s) != 0) {
		json_object_put(s);
		return -1;
	}
	if (question && *question) {
		struct buf q = BUF_INIT;
		int rc;

		buf_puts(&q, question);
		if (part)
			buf_printf(&q, " (%s)", part);
		rc = q.oom ? -1 : jset_str(s, "question", buf_cstr(&q));
		buf_free(&q);
		return rc;
	}
	return 0;
}

/* The element id of a field: dots become dashes ("know_iso.retro" ->
 * "know_iso-retro"). Returns out. */
static const char *id_of(const char *field, char *out, size_t n)
{
	snprintf(out, n, "%s", field);
	for (char *c = out; *c; c++)
		if (*c == '.')
			*c = '-';
	return out;
}

/* A list of choices {value, label, id, checked} for field. */
static struct json_object *choices(const struct qdef *d, enum qdef_lang l,
    const struct qdef_item *it, const char *field, struct json_object *values)
{
	struct json_object *list = json_object_new_array();
	char id[QDEF_FIELD_MAX + 64];

	for (size_t i = 0; list && i < it->noptions; i++) {
		struct json_object *o = json_object_new_object();
		snprintf(id, sizeof(id), "o-%s-%s", field, it->options[i].value);
		for (char *c = id; *c; c++)
			if (*c == '.')
				*c = '-';
		if (o == NULL || json_object_array_add(list, o) != 0 ||
		    jset_str(o, "value", it->options[i].value) ||
		    jset_str(o, "label", txt(d, it->options[i].label, l)) ||
		    jset_str(o, "id", id) ||
		    jset_bool(o, "checked",
			sent_has(values, field, it->options[i].value)) ||
		    jset_bool(o, "is_other",
			strcmp(it->options[i].value, "other") == 0)) {
			json_object_put(list);
			return NULL;
		}
	}
	return list;
}

/* A numeric scale (likert5 1..5, rating10 0..10) for field. */
static struct json_object *scale(const struct qdef *d, enum qdef_lang l,
    const struct qdef_item *it, const char *field, struct json_object *values)
{
	struct json_object *list = json_object_new_array();
	int lo = it->type == QDEF_LIKERT5 ? 1 : 0;
	int hi = it->type == QDEF_LIKERT5 ? 5 : 10;
	char v[8], id[QDEF_FIELD_MAX + 16];

	for (int k = lo; list && k <= hi; k++) {
		struct json_object *o = json_object_new_object();
		const char *label = "";

		if (it->scale && it->type == QDEF_LIKERT5)
			label = txt(d, json_object_array_get_idx(it->scale,
					   (size_t)(k - 1)), l);
		snprintf(v, sizeof(v), "%d", k);
		snprintf(id, sizeof(id), "o-%s-%d", field, k);
		for (char *c = id; *c; c++)
			if (*c == '.')
				*c = '-';
		if (o == NULL || json_object_array_add(list, o) != 0 ||
		    jset_str(o, "value", v) || jset_str(o, "label", label) ||
		    jset_str(o, "id", id) ||
		    jset_bool(o, "checked", sent_has(values, field, v))) {
			json_object_put(list);
			return NULL;
		}
	}
	return list;
}

/* The view of one item for templates/form.mustache. */
static struct json_object *item_view(struct req *r, const struct qdef *d,
    enum qdef_lang l, const struct qdef_instrument *in,
    const struct qdef_item *it, struct json_object *values,
    const struct answers *a, struct json_object *summary)
{
	struct json_object *o = json_object_new_object(), *sub;
	char field[QDEF_FIELD_MAX + 8], id[QDEF_FIELD_MAX + 8];
	const char *type = qdef_type_name(it->type);
	char flag[24];

	if (o == NULL)
		return NULL;
	snprintf(flag, sizeof(flag), "is_%s", type);
	snprintf(id, sizeof(id), "%s", it->key);
	if (jset_str(o, "key", it->key) || jset_str(o, "id", id) ||
	    jset_str(o, "label", txt(d, it->label, l)) ||
	    jset_bool(o, "required", it->required) ||
	    jset_bool(o, flag, 1) ||
	    (it->help && jset_str(o, "help", txt(d, it->help, l))) ||
	    field_error(r, a, o, it->key, summary, txt(d, it->label, l), NULL))
		goto fail;
	switch (it->type) {
	case QDEF_SINGLE:
	case QDEF_QUIZ:
	case QDEF_MULTI:
		if (it->type == QDEF_QUIZ && jset_bool(o, "is_single", 1))
			goto fail;
		sub = choices(d, l, it, it->key, values);
		if (sub == NULL || json_object_object_add(o, "options", sub))
			goto fail;
		break;
	case QDEF_LIKERT5:
	case QDEF_RATING10:
		sub = scale(d, l, it, it->key, values);
		if (sub == NULL || json_object_object_add(o, "scale", sub))
			goto fail;
		if (it->type == QDEF_RATING10 && it->scale &&
		    (jset_str(o, "low", txt(d, json_object_array_get_idx(
						   it->scale, 0), l)) ||
			jset_str(o, "high", txt(d, json_object_array_get_idx(
						    it->scale, 1), l))))
			goto fail;
		if (it->retro && in->kind == QDEF_POST) {
			struct json_object *rv = json_object_new_object();
			snprintf(field, sizeof(field), "%s.retro", it->key);
			if (rv == NULL ||
			    json_object_object_add(o, "retro", rv) != 0) {
				json_object_put(rv);
				goto fail;
			}
			sub = scale(d, l, it, field, values);
			if (sub == NULL ||
			    json_object_object_add(rv, "scale", sub) ||
			    jset_str(rv, "name", field) ||
			    jset_str(rv, "id", id_of(field, id, sizeof(id))) ||
			    field_error(r, a, rv, field, summary,
				txt(d, it->label, l), page_t(r, "retro_label")))
				goto fail;
		}
		break;
	case QDEF_NUMBER: {
		char b[40];
		if (jset_str(o, "value", sent_str(values, it->key)))
			goto fail;
		if (it->has_min) {
			snprintf(b, sizeof(b), "%.15g", it->min);
			if (jset_str(o, "min", b))
				goto fail;
		}
		if (it->has_max) {
			snprintf(b, sizeof(b), "%.15g", it->max);
			if (jset_str(o, "max", b))
				goto fail;
		}
		break;
	}
	case QDEF_TEXT:
	case QDEF_LONGTEXT:
		if (jset_str(o, "value", sent_str(values, it->key)) ||
		    jset_int(o, "max_length", (long long)it->max_length))
			goto fail;
		break;
	case QDEF_RANK: {
		struct json_object *ranks = json_object_new_array();
		if (ranks == NULL || json_object_object_add(o, "ranks", ranks)) {
			json_object_put(ranks);
			goto fail;
		}
		for (size_t k = 1; k <= it->top; k++) {
			struct json_object *rk = json_object_new_object();
			char part[160];
			snprintf(field, sizeof(field), "%s.%zu", it->key, k);
			snprintf(part, sizeof(part), "%s %zu",
			    page_t(r, "rank_position"), k);
			snprintf(id, sizeof(id), "%s-%zu", it->key, k);
			if (rk == NULL || json_object_array_add(ranks, rk)) {
				json_object_put(rk);
				goto fail;
			}
			sub = choices(d, l, it, field, values);
			if (sub == NULL ||
			    json_object_object_add(rk, "options", sub) ||
			    jset_str(rk, "name", field) ||
			    jset_str(rk, "id", id) ||
			    jset_int(rk, "position", (long long)k) ||
			    field_error(r, a, rk, field, summary,
				txt(d, it->label, l), part))
				goto fail;
		}
		break;
	}
	default:
		break;
	}
	if (it->other) {
		snprintf(field, sizeof(field), "%s.other", it->key);
		snprintf(id, sizeof(id), "%s-other", it->key);
		sub = json_object_new_object();
		if (sub == NULL || json_object_object_add(o, "other", sub) ||
		    jset_str(sub, "name", field) || jset_str(sub, "id", id) ||
		    jset_str(sub, "value", sent_str(values, field)) ||
		    jset_int(sub, "max_length", QDEF_OTHER_MAX) ||
		    field_error(r, a, sub, field, summary,
			txt(d, it->label, l), page_t(r, "other_specify")))
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* Adds the event's title, dates and place to data. */
static int event_view(const struct qdef *d, enum qdef_lang l,
    struct json_object *data)
{
	struct json_object *city = NULL;

	if (d->place)
		json_object_object_get_ex(d->place, "city", &city);
	return jset_str(data, "event_title", txt(d, d->title, l)) ||
	    jset_str(data, "date_start", d->date_start) ||
	    jset_str(data, "date_end", d->date_end) ||
	    jset_str(data, "place", city ? txt(d, city, l) : "");
}

/* What a questionnaire page says beside the questions. */
struct form_view {
	const char *notice;      /* an i18n key shown on top (error or state) */
	const char *code;        /* the participant code field's value */
	int linked;              /* a valid cookie links the participant */
	int no_pre;              /* ... who has no pre answer to link to */
	int ask_code;            /* show the code as a field one can edit */
	const char *answered_at; /* when the stored response was sent */
	int locked;              /* a pre answer frozen by the post answer */
	int edit;                /* the _edit choice ticked */
	int closed;              /* 410: no submit button */
	int no_form;             /* the notice alone, no questions */
	int fresh;               /* a draft may replace what the page holds */
	const char *posted;      /* the _token of the POST this page answers */
	int preview;             /* the console's preview: a banner, posted to
				  * the preview route, never stored */
};

/* What one rendering of a questionnaire page needs. Everything is
 * borrowed for the call. */
struct form_page {
	const struct event_info *ev;
	const struct qdef *def;        /* the definition shown */
	long definition_id;
	const struct qdef_instrument *in;
	struct json_object *values;    /* what was sent; NULL: a fresh form */
	const struct answers *answers; /* its check; NULL: no errors */
	const struct form_view *view;
	const char *token; /* written instead of a fresh form token (the hole
			    * of a cached page, see form_plain); NULL: fresh */
};

/* Renders the questionnaire page p with the HTTP status. Returns the
 * status, 503 without the application key, 500 out of memory. */
static int render_form(struct req *r, int status, const struct form_page *p)
{
	const struct event_info *ev = p->ev;
	const struct qdef *d = p->def;
	long definition_id = p->definition_id;
	const struct qdef_instrument *in = p->in;
	struct json_object *values = p->values;
	const struct answers *a = p->answers;
	const struct form_view *v = p->view;
	enum qdef_lang l = form_lang(r, d);
	struct json_object *data = page_data(r), *sections = NULL,
			   *summary = json_object_new_array();
	char token[FORM_TOKEN_MAX], ver[24], action[128], landing[128];
	const char *kind = qdef_kind_name(in->kind);
	int code_error = a && answer_error_for(a, "_code") != NULL;

	if (data == NULL || summary == NULL)
		goto fail;
	if (auth_secret() != 0) {
		json_object_put(data);
		json_object_put(summary);
		return 503;
	}
	if (p->token)
		snprintf(token, sizeof(token), "%s", p->token);
	else
		form_token_issue(app.secret, ev->id, in->kind, time(NULL),
		    token, sizeof(token));
	snprintf(ver, sizeof(ver), "%ld", definition_id);
	if (v->preview)
		snprintf(action, sizeof(action), "/admin/e/%s/preview/%s",
		    r->slug, kind);
	else
		snprintf(action, sizeof(action), "/e/%s/%s", r->slug, kind);
	snprintf(landing, sizeof(landing), "/e/%s/", r->slug);
	sections = json_object_new_array();
	if (sections == NULL || json_object_object_add(data, "sections",
				    sections) != 0) {
		json_object_put(sections);
		goto fail;
	}
	for (size_t s = 0; !v->no_form && s < in->nsections; s++) {
		const struct qdef_section *sec = &in->sections[s];
		struct json_object *so = json_object_new_object(), *items;
		char sid[64];

		snprintf(sid, sizeof(sid), "s-%s", sec->id);
		if (so == NULL || json_object_array_add(sections, so) != 0) {
			json_object_put(so);
			goto fail;
		}
		items = json_object_new_array();
		if (items == NULL || json_object_object_add(so, "items", items) ||
		    jset_str(so, "id", sid) ||
		    jset_str(so, "title", txt(d, sec->title, l)) ||
		    /* an explicit false: no fallback to the questionnaire's intro */
		    (sec->intro ? jset_str(so, "intro", txt(d, sec->intro, l))
				: jset_bool(so, "intro", 0)) ||
		    jset_int(so, "n", (long long)s + 1) ||
		    jset_int(so, "total", (long long)in->nsections))
			goto fail;
		for (size_t i = sec->first; i < sec->first + sec->count; i++) {
			struct json_object *iv = item_view(r, d, l, in,
			    &in->items[i], values, a, summary);
			if (iv == NULL || json_object_array_add(items, iv)) {
				json_object_put(iv);
				goto fail;
			}
		}
	}
	/* the participant code: a field on the post form when no cookie
	 * links it, and on any form whose code is wrong (to correct or drop
	 * it); else carried as a hidden _code when it came with the link */
	if (jset_bool(data, "has_errors", json_object_array_length(summary) > 0 ||
		code_error) ||
	    jset_str(data, "action", action) || jset_str(data, "kind", kind) ||
	    jset_str(data, "landing", landing) ||
	    jset_bool(data, in->kind == QDEF_PRE ? "is_pre" :
		in->kind == QDEF_POST ? "is_post" : "is_followup", 1) ||
	    jset_str(data, "token", token) || jset_str(data, "version", ver) ||
	    jset_str(data, "title", txt(d, in->title, l)) ||
	    jset_str(data, "intro", txt(d, in->intro, l)) ||
	    jset_str(data, "privacy", txt(d, d->privacy, l)) ||
	    event_view(d, l, data) ||
	    jset_bool(data, "linked", v->linked && !v->no_pre &&
		v->code == NULL) ||
	    jset_bool(data, "ask_code", code_error || v->ask_code ||
		(in->kind != QDEF_PRE && !v->linked)) ||
	    (v->code && jset_str(data, "code", v->code)) ||
	    (v->answered_at && jset_str(data, "answered_at", v->answered_at)) ||
	    jset_bool(data, "locked", v->locked) ||
	    jset_bool(data, "edit", v->edit) ||
	    jset_bool(data, "show_form", !v->no_form) ||
	    jset_bool(data, "can_submit", !v->closed && !v->locked) ||
	    (v->preview && (jset_bool(data, "preview", 1) ||
		jset_str(data, "csrf", r->csrf))) ||
	    jset_bool(data, "script", 1) ||
	    jset_bool(data, "fresh", v->fresh) ||
	    (v->posted && jset_str(data, "posted", v->posted)) ||
	    (v->notice && jset_str(data, "notice", page_t(r, v->notice))) ||
	    field_error(r, a, data, "_code", summary,
		page_t(r, "code_input_label"), NULL))
		goto fail;
	if (json_object_array_length(summary) > 0) {
		if (json_object_object_add(data, "errors", summary) != 0)
			goto fail;
	} else
		json_object_put(summary);
	summary = NULL;
	return page_render(r, status, "form", txt(d, in->title, l), data);
fail:
	json_object_put(summary);
	json_object_put(data);
	return 500;
}

/* Resolves the event and instrument of the route. 0 or a status. */
static int lookup(struct req *r, struct event_info *ev,
    const struct qdef_instrument **in)
{
	int st = event_lookup(&app.db, r->slug, ev);

	if (st != 0)
		return st;
	*in = &ev->def->instruments[r->instrument];
	if (!(*in)->present)
		return 404;
	return 0;
}

/* The participant code of the request's cookie. 1 with the code in out
 * when the cookie is one we issued for this event; 0 without a cookie (or
 * when the server key cannot be read: the caller answers 503 then); -1
 * for a cookie that fails the check: it is ignored, as if absent. */
static int cookie_code(struct req *r, const struct event_info *ev,
    char out[CODE_LEN + 1])
{
	const struct kval *v = &r->in[KEY_CODE_COOKIE]; /* CODE_COOKIE */

	out[0] = '\0';
	if (v->state == KEY_ABSENT || auth_secret() != 0)
		return 0;
	if (v->state == KEY_INVALID)
		return -1;
	return code_cookie_check(app.secret, ev->id, v->str, out) == 0 ? 1 : -1;
}

/* Drops a cookie that failed the check, so that a browser holding one
 * from an older release counts once. Says nothing of any code. */
static void cookie_clear(struct req *r)
{
	char attrs[128];

	snprintf(attrs, sizeof(attrs), "Path=/e/%s/; HttpOnly; "
	    "SameSite=Lax; Max-Age=0", r->slug);
	resp_cookie(r, CODE_COOKIE, "", attrs);
}

/* Sets the participant cookie of code (8 canonical characters). */
static void cookie_set(struct req *r, const struct event_info *ev,
    const char *code)
{
	char attrs[128], value[CODE_COOKIE_MAX + 1];

	code_cookie_make(app.secret, ev->id, code, value);
	snprintf(attrs, sizeof(attrs), "Path=/e/%s/; HttpOnly; "
	    "SameSite=Lax; Max-Age=" CODE_COOKIE_AGE, r->slug);
	resp_cookie(r, CODE_COOKIE, value, attrs);
}

/*
 * A fresh questionnaire page differs between two attendees only by its form
 * token: each worker keeps the page of each (version, instrument, language)
 * as the bytes before and after the token, and a GET costs one lookup and a
 * copy. Pages of a participant linked by cookie (which may show a stored
 * answer) and pages with other query parameters (?code=) are rendered
 * every time.
 */
#define PAGE_CACHE 24
#define TOKEN_MARKER "@@enquete-form-token@@"

static struct page_cache {
	long definition_id;
	int instrument;
	char lang[4];
	char *page;          /* owned: the whole body, marker included */
	size_t before, len;  /* the marker's offset; the body's length */
} page_cache[PAGE_CACHE];
static unsigned page_cache_next;

void page_form_cache_free(void)
{
	for (int i = 0; i < PAGE_CACHE; i++) {
		free(page_cache[i].page);
		page_cache[i].page = NULL;
	}
}

/* 1 when the request asks for nothing but the plain form. */
static int cacheable(const struct req *r)
{
	for (size_t i = 0; i < r->query.n; i++)
		if (strcmp(r->query.v[i].key, "lang") != 0)
			return 0;
	return 1;
}

static struct page_cache *cache_find(const struct req *r, long def)
{
	for (int i = 0; i < PAGE_CACHE; i++) {
		struct page_cache *c = &page_cache[i];
		if (c->page && c->definition_id == def &&
		    c->instrument == r->instrument &&
		    strcmp(c->lang, r->lang) == 0)
			return c;
	}
	return NULL;
}

/* Writes the cached page into the response with a fresh token. */
static int cache_serve(struct req *r, const struct event_info *ev,
    const struct page_cache *c)
{
	char token[FORM_TOKEN_MAX];

	if (form_token_issue(app.secret, ev->id, r->instrument, time(NULL),
		token, sizeof(token)) != 0)
		return 500;
	buf_reset(&r->resp.body);
	buf_append(&r->resp.body, c->page, c->before);
	buf_puts(&r->resp.body, token);
	buf_append(&r->resp.body, c->page + c->before + strlen(TOKEN_MARKER),
	    c->len - c->before - strlen(TOKEN_MARKER));
	r->resp.content_type = "text/html; charset=utf-8";
	return 200;
}

/* The plain form, from the cache when it can be. */
static int form_plain(struct req *r, const struct event_info *ev,
    const struct qdef_instrument *in)
{
	struct form_view v = {.fresh = 1};
	struct page_cache *c;
	const char *hole;
	int st;

	form_lang(r, ev->def);
	if ((c = cache_find(r, ev->definition_id)) != NULL)
		return cache_serve(r, ev, c);
	st = render_form(r, 200, &(struct form_page){
	    .ev = ev, .def = ev->def, .definition_id = ev->definition_id,
	    .in = in, .view = &v, .token = TOKEN_MARKER});
	if (st != 200)
		return st;
	hole = strstr(buf_cstr(&r->resp.body), TOKEN_MARKER);
	c = &page_cache[page_cache_next++ % PAGE_CACHE];
	free(c->page);
	c->page = hole ? malloc(r->resp.body.len + 1) : NULL;
	if (c->page == NULL)
		return 500;
	memcpy(c->page, r->resp.body.data, r->resp.body.len + 1);
	c->before = (size_t)(hole - r->resp.body.data);
	c->len = r->resp.body.len;
	c->definition_id = ev->definition_id;
	c->instrument = r->instrument;
	snprintf(c->lang, sizeof(c->lang), "%s", r->lang);
	return cache_serve(r, ev, c);
}

/* The time zone answers' dates are shown in: the event's. */
static const char *event_tz(const struct qdef *d)
{
	return d->timezone && *d->timezone ? d->timezone : "UTC";
}

/* The form of a participant linked by cookie: their stored answer to this
 * instrument, when there is one, with its date and the choice to change it
 * (or why it cannot change). */
static int form_linked(struct req *r, const struct event_info *ev,
    const struct qdef_instrument *in, const char *code)
{
	struct form_view v = {.linked = 1, .fresh = 1};
	struct json_object *values = NULL;
	struct store_participant p;
	enum store_rc rc = store_participant_state(&app.db, ev->id, code,
	    (enum store_instrument)in->kind, event_tz(ev->def), &p);
	int st;

	if (rc != STORE_OK && rc != STORE_NONE) {
		store_participant_free(&p);
		v.notice = "error_unavailable";
		return render_form(r, 503, &(struct form_page){
		    .ev = ev, .def = ev->def,
		    .definition_id = ev->definition_id, .in = in, .view = &v});
	}
	/* "linked to your pre answers" only when there are some */
	v.no_pre = rc != STORE_OK || !p.pre_done;
	if (rc == STORE_OK && p.answered) {
		values = json_tokener_parse(p.answers);
		v.answered_at = p.at;
		v.locked = in->kind == QDEF_PRE && p.post_done;
	}
	st = render_form(r, 200, &(struct form_page){
	    .ev = ev, .def = ev->def, .definition_id = ev->definition_id,
	    .in = in, .values = values, .view = &v});
	json_object_put(values);
	store_participant_free(&p);
	return st;
}

/* The form opened with a code in the link (?code=, a badge): when the code
 * cannot be one of this event's, say so now, with the field to correct or
 * drop it, rather than after every question is answered. Unknown codes
 * count as guesses. */
static int form_with_code(struct req *r, const struct event_info *ev,
    const struct qdef_instrument *in, const struct kval *qcode)
{
	struct form_view v = {.fresh = 1};
	struct answers a;
	char norm[CODE_LEN + 1], shown[CODE_LEN + 2];
	const char *err = NULL;
	int st, retry = 0, known = 0;
	enum store_rc rc;

	memset(&a, 0, sizeof(a));
	/* what was typed, given back as typed when it is not a code */
	v.code = strlen(qcode->raw) == qcode->raw_len &&
	    utf8_valid(qcode->raw, qcode->raw_len) ? qcode->raw : "";
	if (qcode->state != KEY_VALID)
		err = "error_unknown_code";
	else {
		memcpy(norm, qcode->str, sizeof(norm));
		code_format(norm, shown);
		v.code = shown;
		st = auth_code_guess_check(r, &retry);
		if (st == 429) {
			char ra[16];
			snprintf(ra, sizeof(ra), "%d", retry);
			resp_header(&r->resp, "Retry-After", ra);
			err = "error_too_many_codes";
		} else if (st != 0)
			err = "error_unavailable";
		else {
			rc = store_code_exists(&app.db, ev->id, norm);
			if (rc == STORE_OK)
				known = 1;
			else if (rc == STORE_NONE) {
				err = "error_unknown_code";
				auth_code_guess_failed(r);
			} else
				err = "error_unavailable";
		}
	}
	if (known)
		return render_form(r, 200, &(struct form_page){
		    .ev = ev, .def = ev->def,
		    .definition_id = ev->definition_id, .in = in, .view = &v});
	v.ask_code = 1;
	if (strcmp(err, "error_unknown_code") == 0)
		v.notice = "code_in_link_unknown";
	if (answer_collect_error(&a, "_code", err) != 0) {
		free(a.errors);
		return 500;
	}
	st = render_form(r, 200, &(struct form_page){
	    .ev = ev, .def = ev->def, .definition_id = ev->definition_id,
	    .in = in, .answers = &a, .view = &v});
	free(a.errors);
	return st;
}

/* GET /e/{slug}/{pre,post}: 200; 404; 410 outside the window (the notice
 * alone, no form); 503. */
int page_form_get(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	const struct kval *qcode = &r->in[KEY_CODE]; /* "" counts as absent */
	char code[CODE_LEN + 1];
	int st = lookup(r, &ev, &in), linked;

	if (st != 0)
		return st;
	if (auth_secret() != 0)
		return 503;
	linked = cookie_code(r, &ev, code);
	if (linked < 0)
		cookie_clear(r);
	if (!ev.open[in->kind]) {
		struct form_view v = {.notice = "error_closed", .closed = 1,
		    .no_form = 1};
		return render_form(r, 410, &(struct form_page){
		    .ev = &ev, .def = ev.def, .definition_id = ev.definition_id,
		    .in = in, .view = &v});
	}
	/* the follow-up's personal link (the invitation mail): it links
	 * this browser to its participant as the pre form's cookie would,
	 * whatever cookie it held */
	if (in->kind == QDEF_FOLLOWUP && r->in[KEY_LINK].state != KEY_ABSENT) {
		const struct kval *k = &r->in[KEY_LINK];
		struct form_view v = {.fresh = 1, .ask_code = 1,
		    .notice = "followup_link_invalid"};

		if (k->state == KEY_VALID && link_key_check(app.secret,
			"followup", ev.id, k->str, code) == 0) {
			cookie_set(r, &ev, code);
			return form_linked(r, &ev, in, code);
		}
		auth_code_guess_failed(r);
		return render_form(r, 200, &(struct form_page){
		    .ev = &ev, .def = ev.def, .definition_id = ev.definition_id,
		    .in = in, .view = &v});
	}
	/* a badge code in the link that is not this browser's (a shared
	 * device, another person's badge) wins over the cookie */
	if (qcode->state != KEY_ABSENT) {
		if (linked != 1 || qcode->state != KEY_VALID ||
		    strcmp(qcode->str, code) != 0)
			return form_with_code(r, &ev, in, qcode);
	}
	if (linked == 1)
		return form_linked(r, &ev, in, code);
	if (!cacheable(r)) {
		struct form_view v = {.fresh = 1};
		return render_form(r, 200, &(struct form_page){
		    .ev = &ev, .def = ev.def, .definition_id = ev.definition_id,
		    .in = in, .view = &v});
	}
	return form_plain(r, &ev, in);
}

/* 1 when _version names the definition the event uses now: exactly its
 * number as we print it ("12", never "012", "12abc" or " 12"). A form
 * without _version is taken as the current one (its token is still
 * checked). */
static int version_current(const struct req *r, const struct event_info *ev)
{
	const struct kval *v = &r->in[KEY_FORM_VERSION]; /* canonical id */

	if (v->state == KEY_ABSENT)
		return 1;
	return v->state == KEY_VALID && v->n == ev->definition_id;
}

/* 503 when not even the form can be built (the database is down and this
 * worker never saw the event): a page that holds every field sent, ready to
 * be sent again as it is, and shows what was typed. */
static int retry_page(struct req *r)
{
	struct json_object *d = page_data(r), *fields = NULL;
	char action[128];

	snprintf(action, sizeof(action), "/e/%s/%s", r->slug,
	    qdef_kind_name(r->instrument));
	if (d == NULL || (fields = json_object_new_array()) == NULL ||
	    json_object_object_add(d, "fields", fields) != 0)
		goto fail;
	/* every field sent (the answers' family and the declared ones) */
	for (size_t i = 0; i < r->form.n; i++) {
		struct json_object *f = json_object_new_object();
		const struct kv *kv = &r->form.v[i];
		int ok = utf8_valid(kv->key, strlen(kv->key)) &&
		    utf8_valid(kv->value, kv->value_len) &&
		    strlen(kv->value) == kv->value_len;

		if (f == NULL || json_object_array_add(fields, f) != 0) {
			json_object_put(f);
			goto fail;
		}
		if (jset_str(f, "name", ok ? kv->key : "") ||
		    jset_str(f, "value", ok ? kv->value : "") ||
		    jset_bool(f, "shown", ok && kv->key[0] != '_' &&
			kv->value_len > 0))
			goto fail;
	}
	if (jset_str(d, "action", action))
		goto fail;
	return page_render(r, 503, "retry", page_t(r, "title_503"), d);
fail:
	if (d && fields && !json_object_object_get_ex(d, "fields", NULL))
		json_object_put(fields);
	json_object_put(d);
	return 503;
}

/* The json text of o (borrowed until o is freed). */
static const char *jtext(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* POST /e/{slug}/{pre,post}: 303 to thanks; 422 (invalid answers, unknown
 * code, forged or expired token, a form of an older definition version:
 * the current form comes back) with everything kept; 409 (a typed code
 * already answered; a stored answer exists and _edit=1 was not sent; a
 * pre answer after the post one) with everything kept; 410 (closed, the
 * answers shown); 404; 429 (too many unknown codes); 503 (database down,
 * answers kept). */
int page_form_post(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	const struct qdef *d;
	struct answers a;
	struct form_view v = {0};
	struct json_object *stored = NULL;
	unsigned char th[32];
	char newcode[CODE_LEN + 1];
	char norm[CODE_LEN + 1], shown[CODE_LEN + 2] = "", loc[160];
	char cnorm[CODE_LEN + 1];
	/* the declared fields (keys.c); the answers are their own family */
	const char *tok = r->in[KEY_FORM_TOKEN].str; /* NULL unless valid */
	const char *typed = r->in[KEY_FORM_CODE].raw; /* as typed; "" absent */
	enum store_link link = STORE_LINK_NEW;
	const char *code = NULL;
	const char *keep = NULL; /* the code field to give back as typed */
	struct store_submission sub = {0};
	struct store_submit_result res;
	enum store_rc src = STORE_FAILED;
	long definition_id;
	int st, rc, status = 500, retry = 0, cstate = 0;

	if (r->in[KEY_FORM_LANG].state == KEY_VALID)
		r->lang = r->in[KEY_FORM_LANG].str;
	st = lookup(r, &ev, &in);
	if (st == 503)
		return retry_page(r);
	if (st != 0)
		return st;
	/* always the current definition: a form of an older version is
	 * given back as the new form, with what still fits it */
	d = ev.def;
	definition_id = ev.definition_id;
	v.edit = r->in[KEY_FORM_EDIT].state == KEY_VALID &&
	    r->in[KEY_FORM_EDIT].n == 1;
	v.posted = tok;
	rc = answer_collect(in, keys_family(r, KFAM_ANSWERS), &a);
	if (rc < 0)
		goto out;
	if (ev.stale) {
		/* the database is down: give everything back, store nothing */
		v.notice = "error_unavailable";
		v.code = typed && *typed && utf8_valid(typed, strlen(typed))
		    ? typed : NULL;
		status = render_form(r, 503, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	}
	if (auth_secret() != 0) {
		status = 503;
		goto out;
	}
	cstate = cookie_code(r, &ev, cnorm);
	v.linked = cstate == 1;
	v.no_pre = 1; /* the "linked" note was on the form they sent */
	if (cstate < 0) {
		/* a cookie we did not issue: ignored, and counted like any
		 * unknown code */
		auth_code_guess_failed(r);
	}
	if (typed && *typed) {
		/* guessing codes is limited per client */
		st = auth_code_guess_check(r, &retry);
		if (st != 0) {
			char ra[16];
			snprintf(ra, sizeof(ra), "%d", retry);
			if (st == 429)
				resp_header(&r->resp, "Retry-After", ra);
			if (answer_collect_error(&a, "_code", st == 429 ?
				"error_too_many_codes" : "error_unavailable"))
				goto out;
			v.code = utf8_valid(typed, strlen(typed)) ? typed : NULL;
			status = render_form(r, st, &(struct form_page){
			    .ev = &ev, .def = d, .definition_id = definition_id,
			    .in = in, .values = a.values, .answers = &a,
			    .view = &v});
			goto out;
		}
		if (r->in[KEY_FORM_CODE].state != KEY_VALID) {
			/* keep what was typed, whole, marked invalid */
			keep = utf8_valid(typed, strlen(typed)) ? typed : "";
			if (answer_collect_error(&a, "_code",
				"error_unknown_code") != 0)
				goto out;
			rc = 1;
		} else {
			memcpy(norm, r->in[KEY_FORM_CODE].str, sizeof(norm));
			code_format(norm, shown);
			code = norm;
			link = cstate == 1 && strcmp(cnorm, norm) == 0
			    ? STORE_LINK_COOKIE : STORE_LINK_CODE;
		}
	} else if (cstate == 1) {
		memcpy(norm, cnorm, sizeof(norm));
		code = norm;
		link = STORE_LINK_COOKIE;
	}
	v.code = keep ? keep : shown[0] ? shown : NULL;
	if (!version_current(r, &ev)) {
		v.notice = "error_form_updated";
		rc = 1;
	} else if (form_token_check(app.secret, ev.id, in->kind, time(NULL),
		       tok, th) != 0) {
		v.notice = "error_form_expired";
		rc = 1;
	}
	if (rc != 0) {
		status = render_form(r, 422, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	}
	if ((stored = answer_stored(in, &a)) == NULL)
		goto out;
	sub.event_id = ev.id;
	sub.instrument = (enum store_instrument)in->kind;
	sub.definition_id = definition_id;
	sub.token_hash = th;
	sub.link = link;
	sub.code = code;
	form_lang(r, d); /* the stored lang: the page's, one the event offers */
	sub.lang = r->lang;
	sub.answers = jtext(stored);
	sub.rows = jtext(a.rows);
	sub.contacts = jtext(a.contacts);
	sub.edit = v.edit;
	sub.tz = event_tz(d);
	for (int attempt = 0; attempt < 4; attempt++) {
		code_generate(newcode);
		sub.new_code = newcode;
		src = store_submit(&app.db, &sub, &res);
		if (src != STORE_OK || res.outcome != STORE_SUBMIT_CODE_TAKEN)
			break;
	}
	if (src != STORE_OK) {
		if (src != STORE_DOWN)
			log_msg(r, "submit: %s", store_error(&app.db));
		v.notice = "error_unavailable";
		v.code = code ? shown : NULL;
		status = render_form(r, 503, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	}
	if (res.at[0])
		v.answered_at = res.at;
	switch (res.outcome) {
	case STORE_SUBMIT_UNKNOWN_CODE:
		auth_code_guess_failed(r);
		if (answer_collect_error(&a, "_code", "error_unknown_code") != 0)
			goto out;
		status = render_form(r, 422, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	case STORE_SUBMIT_CONFLICT:
		v.notice = "error_already_answered";
		v.answered_at = NULL;
		status = render_form(r, 409, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	case STORE_SUBMIT_EXISTS:
	case STORE_SUBMIT_LOCKED:
		v.locked = res.outcome == STORE_SUBMIT_LOCKED;
		v.notice = v.locked ? "error_pre_locked" : "error_answer_exists";
		v.edit = 0;
		status = render_form(r, 409, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	case STORE_SUBMIT_CLOSED:
		v.notice = "error_closed";
		v.closed = 1;
		v.code = code ? shown : NULL;
		status = render_form(r, 410, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	case STORE_SUBMIT_CODE_TAKEN:
		v.notice = "error_unavailable";
		v.code = NULL;
		status = render_form(r, 503, &(struct form_page){
		    .ev = &ev, .def = d, .definition_id = definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		goto out;
	case STORE_SUBMIT_STORED:
	case STORE_SUBMIT_UPDATED:
	case STORE_SUBMIT_REPLAY:
	case STORE_SUBMIT__MAX:
		break;
	}
	{
		/* stored, updated or replay: the code goes in the cookie */
		if (code_normalize(res.code, strlen(res.code), norm) != 0) {
			log_msg(r, "submit: a stored code that is not a code");
			goto out;
		}
		cookie_set(r, &ev, norm);
		snprintf(loc, sizeof(loc), "/e/%s/%s/thanks", r->slug,
		    qdef_kind_name(in->kind));
		resp_redirect(r, loc);
		status = 303;
	}
out:
	if (status != 303 && cstate < 0)
		cookie_clear(r);
	json_object_put(stored);
	answers_free(&a);
	return status;
}

/* GET /e/{slug}/{pre,post}/thanks: 200; 404; 503. */
int page_thanks(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	char norm[CODE_LEN + 1], shown[CODE_LEN + 2], post[128];
	struct json_object *data;
	enum qdef_lang l;
	int st = lookup(r, &ev, &in);

	if (st != 0)
		return st;
	l = form_lang(r, ev.def);
	data = page_data(r);
	snprintf(post, sizeof(post), "/e/%s/post", r->slug);
	if (data == NULL || event_view(ev.def, l, data) ||
	    jset_str(data, "title", txt(ev.def, in->title, l)) ||
	    jset_bool(data, in->kind == QDEF_PRE ? "is_pre" :
		in->kind == QDEF_POST ? "is_post" : "is_followup", 1) ||
	    jset_str(data, "draft", qdef_kind_name(in->kind)) ||
	    jset_str(data, "post_url", post) || jset_bool(data, "script", 1)) {
		json_object_put(data);
		return 500;
	}
	if (cookie_code(r, &ev, norm) == 1) {
		code_format(norm, shown);
		if (jset_str(data, "code", shown)) {
			json_object_put(data);
			return 500;
		}
	}
	return page_render(r, 200, "thanks", page_t(r, "thanks_title"), data);
}

/* "2017-10-31" as "31 octobre 2017" in lang (month names from the
 * catalogs: month_1..month_12); the ISO date itself when it is not one. */
static void landing_date(const char *lang, const char *iso, char *out,
    size_t outlen)
{
	int y, m, d;
	char k[16];

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		snprintf(out, outlen, "%s", iso);
		return;
	}
	snprintf(k, sizeof(k), "month_%d", m);
	snprintf(out, outlen, "%d %s %d", d, i18n_get(lang, k), y);
}

/* What the cookie's participant answered already: sets "pre_done" and
 * "post_done" in data (false without a cookie). 0, or 503. */
static int landing_answered(struct req *r, const struct event_info *ev,
    struct json_object *data)
{
	char norm[CODE_LEN + 1];
	bool pre = false, post = false;

	/* only a cookie we issued (code and MAC): a bare code is nobody's */
	if (cookie_code(r, ev, norm) == 1 &&
	    store_landing_answered(&app.db, ev->id, norm, &pre, &post) ==
		STORE_DOWN)
		return 503;
	return jset_bool(data, "pre_done", pre) ||
	    jset_bool(data, "post_done", post) ? -1 : 0;
}

/* GET /e/{slug}/: the event's landing page: the host body, the dates in
 * the reader's language, and what this browser's participant answered
 * already. 200; 404; 503. */
int page_event(struct req *r)
{
	struct event_info ev;
	struct json_object *data;
	enum qdef_lang l;
	char from[64], to[64];
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	l = form_lang(r, ev.def);
	data = page_data(r);
	landing_date(r->lang, ev.def->date_start, from, sizeof(from));
	landing_date(r->lang, ev.def->date_end, to, sizeof(to));
	if (data != NULL && (st = landing_answered(r, &ev, data)) != 0) {
		json_object_put(data);
		return st > 0 ? st : 500;
	}
	if (data == NULL || event_view(ev.def, l, data) ||
	    jset_str(data, "date_start_h", from) ||
	    jset_str(data, "date_end_h", to) ||
	    (ev.def->host && jset_str(data, "host", txt(ev.def, ev.def->host, l))) ||
	    jset_str(data, "slug", r->slug) ||
	    jset_bool(data, "pre_open", ev.open[QDEF_PRE] &&
		ev.def->instruments[QDEF_PRE].present) ||
	    jset_bool(data, "post_open", ev.open[QDEF_POST] &&
		ev.def->instruments[QDEF_POST].present) ||
	    jset_bool(data, "followup_open", ev.open[QDEF_FOLLOWUP] &&
		ev.def->instruments[QDEF_FOLLOWUP].present) ||
	    jset_bool(data, "none_open", !ev.open[QDEF_PRE] &&
		!ev.open[QDEF_POST] && !ev.open[QDEF_FOLLOWUP]) ||
	    jset_str(data, "privacy", txt(ev.def, ev.def->privacy, l))) {
		json_object_put(data);
		return 500;
	}
	return page_render(r, 200, "event", txt(ev.def, ev.def->title, l),
	    data);
}

/* GET /e/{slug} and /admin: the same path with its trailing slash. 303. */
int page_add_slash(struct req *r)
{
	char loc[160];

	snprintf(loc, sizeof(loc), "%s/", r->path);
	resp_redirect(r, loc);
	return 303;
}

/* Adds one open event to the home page's list. */
static int open_event_row(void *ctx, const struct store_open_event *ev)
{
	struct json_object *list = ctx, *e = json_object_new_object();

	if (e == NULL || json_object_array_add(list, e) != 0) {
		json_object_put(e);
		return -1;
	}
	return jset_str(e, "slug", ev->slug) || jset_str(e, "title", ev->title);
}

/* GET /: the events open now. 200; 503. */
int page_home(struct req *r)
{
	struct json_object *data = page_data(r), *list = json_object_new_array();
	enum store_rc rc = STORE_FAILED;
	bool any;

	if (data == NULL || list == NULL)
		goto out;
	if ((rc = store_open_events(&app.db, r->lang, open_event_row, list)) !=
	    STORE_OK)
		goto out;
	any = json_object_array_length(list) > 0;
	if (json_object_object_add(data, "events", list) != 0)
		goto out;
	list = NULL;
	if (jset_bool(data, "has_events", any))
		goto out;
	return page_render(r, 200, "home", page_t(r, "open_events"), data);
out:
	json_object_put(list);
	json_object_put(data);
	return rc == STORE_DOWN ? 503 : 500;
}

/* The console's preview (DESIGN.md, "The organiser's console"): the form
 * as attendees see it, open or closed, under a banner; its POST checks the
 * answers like the real one and stores nothing. */

/* GET /admin/e/{slug}/preview/{pre,post}?lang=: 200; 404; 503. */
int page_preview_get(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	struct form_view v = {.preview = 1};
	int st = lookup(r, &ev, &in);

	if (st != 0)
		return st;
	return render_form(r, 200, &(struct form_page){
	    .ev = &ev, .def = ev.def, .definition_id = ev.definition_id,
	    .in = in, .view = &v});
}

/* POST /admin/e/{slug}/preview/{pre,post}: 200 with the thank-you page
 * (under the banner) when the answers are valid; 422 with the form, its
 * errors marked, everything kept. Nothing is stored either way. 404; 503;
 * 500. */
int page_preview_post(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	struct form_view v = {.preview = 1};
	struct answers a;
	struct json_object *data;
	enum qdef_lang l;
	int st, rc;

	if (r->in[KEY_FORM_LANG].state == KEY_VALID)
		r->lang = r->in[KEY_FORM_LANG].str;
	if ((st = lookup(r, &ev, &in)) != 0)
		return st;
	rc = answer_collect(in, keys_family(r, KFAM_ANSWERS), &a);
	if (rc < 0) {
		answers_free(&a);
		return 500;
	}
	if (rc > 0) {
		st = render_form(r, 422, &(struct form_page){
		    .ev = &ev, .def = ev.def, .definition_id = ev.definition_id,
		    .in = in, .values = a.values, .answers = &a, .view = &v});
		answers_free(&a);
		return st;
	}
	answers_free(&a);
	l = form_lang(r, ev.def);
	data = page_data(r);
	if (data == NULL || event_view(ev.def, l, data) ||
	    jset_str(data, "title", txt(ev.def, in->title, l)) ||
	    jset_bool(data, in->kind == QDEF_PRE ? "is_pre" : "is_post", 1) ||
	    jset_bool(data, "preview", 1)) {
		json_object_put(data);
		return 500;
	}
	return page_render(r, 200, "thanks", page_t(r, "thanks_title"), data);
}
