/* page_paper.c: paper questionnaires (DESIGN.md "Paper questionnaires"):
 * the printable A4 sheet of an instrument, batches of badge codes printed
 * on sheets, data entry of typed sheets (source 'paper', entered_by) and
 * double entry with its list of conflicts. Admins (the organiser role
 * does not exist yet). Unconfirmed sheets under double entry stay in
 * paper_entry and never reach the analysis (schema/019_paper.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "answer.h"
#include "app.h"
#include "event.h"
#include "form.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "paper.h"
#include "qr.h"
#include "store_paper.h"
#include "token.h"

#define QR_PX_SHEET "110"
#define TEXT_LINES 2     /* writing lines for a short text answer */
#define LONGTEXT_LINES 5 /* and for a long one */

static const char *txt(const struct qdef *d, struct json_object *loc,
    enum qdef_lang l)
{
	return loc ? qdef_text(d, loc, l) : "";
}

/* The event and the instrument of the route. 0, 404, 503, 500. */
static int lookup(struct req *r, struct event_info *ev,
    const struct qdef_instrument **in)
{
	int st = event_lookup(&app.db, r->slug, ev);

	if (st != 0)
		return st;
	if (ev->stale)
		return 503;
	if (r->instrument < 0 || r->instrument >= QDEF_KIND__MAX ||
	    !ev->def->instruments[r->instrument].present)
		return 404;
	*in = &ev->def->instruments[r->instrument];
	return 0;
}

/* ---- the printable sheet ---- */

/* [{n, label}] of a scale: likert5 1..5 with its anchors, rating10 0..10. */
static struct json_object *print_scale(const struct qdef *d, enum qdef_lang l,
    const struct qdef_item *it, struct json_object *o, const char *key)
{
	struct json_object *list = jnew_arr(o, key);
	int lo = it->type == QDEF_LIKERT5 ? 1 : 0;
	int hi = it->type == QDEF_LIKERT5 ? 5 : 10;

	for (int k = lo; list && k <= hi; k++) {
		struct json_object *s = jpush(list);
		const char *label = "";

		if (it->scale && it->type == QDEF_LIKERT5)
			label = txt(d, json_object_array_get_idx(it->scale,
					   (size_t)(k - 1)), l);
		if (s == NULL || jset_int(s, "n", k) || jset_str(s, "label", label))
			return NULL;
	}
	return list;
}

/* The view of one item on paper. */
static int print_item(struct req *r, const struct qdef *d, enum qdef_lang l,
    const struct qdef_instrument *in, const struct qdef_item *it, size_t n,
    struct json_object *o)
{
	char flag[24];
	struct json_object *list;

	snprintf(flag, sizeof(flag), "is_%s", qdef_type_name(it->type));
	if (jset_int(o, "n", (long long)n) || jset_str(o, "key", it->key) ||
	    jset_str(o, "label", txt(d, it->label, l)) ||
	    jset_bool(o, "required", it->required) || jset_bool(o, flag, 1) ||
	    (it->help && jset_str(o, "help", txt(d, it->help, l))))
		return -1;
	switch (it->type) {
	case QDEF_SINGLE:
	case QDEF_QUIZ:
	case QDEF_MULTI:
	case QDEF_RANK:
		if (jset_bool(o, "is_choice", it->type != QDEF_RANK) ||
		    jset_bool(o, "several", it->type == QDEF_MULTI) ||
		    (list = jnew_arr(o, "options")) == NULL)
			return -1;
		for (size_t i = 0; i < it->noptions; i++) {
			struct json_object *op = jpush(list);
			if (op == NULL || jset_int(op, "n", (long long)i + 1) ||
			    jset_str(op, "label", txt(d, it->options[i].label, l)))
				return -1;
		}
		if (it->type == QDEF_RANK) {
			if ((list = jnew_arr(o, "ranks")) == NULL)
				return -1;
			for (size_t k = 1; k <= it->top; k++) {
				struct json_object *rk = jpush(list);
				if (rk == NULL || jset_int(rk, "position",
						      (long long)k))
					return -1;
			}
		}
		break;
	case QDEF_LIKERT5:
	case QDEF_RATING10:
		if (jset_bool(o, "is_scale", 1) ||
		    print_scale(d, l, it, o, "scale") == NULL)
			return -1;
		if (it->type == QDEF_RATING10 && it->scale &&
		    (jset_str(o, "low", txt(d, json_object_array_get_idx(
						   it->scale, 0), l)) ||
			jset_str(o, "high", txt(d, json_object_array_get_idx(
						    it->scale, 1), l))))
			return -1;
		if (it->retro && in->kind == QDEF_POST) {
			struct json_object *rv = json_object_new_object();
			if (rv == NULL || json_object_object_add(o, "retro", rv)) {
				json_object_put(rv);
				return -1;
			}
			if (print_scale(d, l, it, rv, "scale") == NULL ||
			    jset_str(rv, "label", page_t(r, "retro_label")))
				return -1;
		}
		break;
	case QDEF_TEXT:
	case QDEF_LONGTEXT:
		if ((list = jnew_arr(o, "lines")) == NULL)
			return -1;
		for (int k = 0; k < (it->type == QDEF_TEXT ? TEXT_LINES
							  : LONGTEXT_LINES); k++)
			if (jpush(list) == NULL)
				return -1;
		break;
	default:
		break;
	}
	return jset_bool(o, "other", it->other);
}

/* 1 when items a and b are five-point scales with the same anchors: on
 * paper they share one header (a grid of boxes, far shorter than a scale
 * per question). */
static int same_scale(const struct qdef_item *a, const struct qdef_item *b)
{
	return a->type == QDEF_LIKERT5 && b->type == QDEF_LIKERT5 &&
	    a->scale && b->scale && !a->help && !b->help &&
	    json_object_equal(a->scale, b->scale);
}

/* A grid of the scale items [first, last) into o: {is_matrix, head [{n,
 * label}], rows [{n, label, boxes [{}], sub}]} (sub: the retro row). */
static int print_matrix(struct req *r, const struct qdef *d, enum qdef_lang l,
    const struct qdef_instrument *in, size_t first, size_t last, size_t *n,
    struct json_object *o)
{
	struct json_object *rows;

	if (jset_bool(o, "is_matrix", 1) ||
	    print_scale(d, l, &in->items[first], o, "head") == NULL ||
	    (rows = jnew_arr(o, "rows")) == NULL)
		return -1;
	for (size_t i = first; i < last; i++) {
		const struct qdef_item *it = &in->items[i];
		int retro = it->retro && in->kind == QDEF_POST;
		char num[24];

		for (int k = 0; k <= retro; k++) {
			struct json_object *row = jpush(rows), *boxes;
			snprintf(num, sizeof(num), "%zu.", k ? *n : ++*n);
			if (row == NULL || (boxes = jnew_arr(row, "boxes")) == NULL ||
			    jset_str(row, "n", k ? "" : num) ||
			    jset_str(row, "label", k ? page_t(r, "retro_label")
						    : txt(d, it->label, l)) ||
			    jset_bool(row, "sub", k))
				return -1;
			for (int b = 0; b < 5; b++)
				if (jpush(boxes) == NULL)
					return -1;
		}
	}
	return 0;
}

/* Adds "sections" (with their items, numbered down the sheet) to d. */
static int print_sections(struct req *r, const struct qdef *d,
    enum qdef_lang l, const struct qdef_instrument *in, struct json_object *data)
{
	struct json_object *secs = jnew_arr(data, "sections");
	size_t n = 0;

	for (size_t s = 0; secs && s < in->nsections; s++) {
		const struct qdef_section *sec = &in->sections[s];
		struct json_object *so = jpush(secs), *items;
		size_t end = sec->first + sec->count;

		if (so == NULL || jset_str(so, "title", txt(d, sec->title, l)) ||
		    (items = jnew_arr(so, "items")) == NULL)
			return -1;
		for (size_t i = sec->first; i < end;) {
			struct json_object *io = jpush(items);
			size_t j = i + 1;

			while (j < end && same_scale(&in->items[i], &in->items[j]))
				j++;
			if (io == NULL)
				return -1;
			if (j - i >= 2) {
				if (print_matrix(r, d, l, in, i, j, &n, io))
					return -1;
				i = j;
				continue;
			}
			if (print_item(r, d, l, in, &in->items[i], ++n, io))
				return -1;
			i++;
		}
	}
	return secs ? 0 : -1;
}

/* One sheet {code, chars[{c}], qr, url, number}: code NULL for a sheet
 * without one, number 0 for a sheet whose number is written by hand. */
static int print_sheet(struct req *r, const char *kind, const char *lang,
    const char *code, long number, struct json_object *sheets)
{
	struct json_object *o = jpush(sheets), *chars, *q;
	char url[512], shown[CODE_LEN + 2] = "";
	struct buf svg = BUF_INIT;
	int rc = -1;

	if (o == NULL || (chars = jnew_arr(o, "chars")) == NULL)
		return -1;
	if (code)
		code_format(code, shown);
	snprintf(url, sizeof(url), "%s/e/%s/%s?lang=%s%s%s", app.public_url,
	    r->slug, kind, lang, code ? "&code=" : "", shown);
	for (size_t i = 0; i < CODE_LEN; i++) {
		struct json_object *c = jpush(chars);
		char ch[2] = {code ? code[i] : '\0', '\0'};
		if (c == NULL || jset_str(c, "c", ch) ||
		    jset_bool(c, "dash", i == 3))
			return -1;
	}
	q = qr_svg(url);
	if (q && jset_str(q, "label", url) == 0 &&
	    jset_str(q, "px", QR_PX_SHEET) == 0 &&
	    page_fragment("qr", q, &svg) == 0 &&
	    jset_str(o, "qr", buf_cstr(&svg)) == 0 &&
	    jset_str(o, "url", url) == 0 &&
	    (code == NULL || jset_str(o, "code", shown) == 0) &&
	    (number == 0 || jset_int(o, "number", number) == 0) &&
	    jset_bool(o, "has_code", code != NULL) == 0)
		rc = 0;
	json_object_put(q);
	buf_free(&svg);
	return rc;
}

/* GET /admin/e/{slug}/paper/{pre,post}?lang=[&batch=ID] (admin): the A4
 * sheet, or one per code of the batch; with sheets=N[&first=F] and no
 * batch, N sheets numbered F, F+1, ... (the number double entry matches
 * a sheet without a code by). 200; 400 (sheets or first not a whole
 * number in range); 404 (no such event, instrument or batch of this
 * event); 503; 500. */
int page_paper_print(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	const struct qdef *d;
	const struct kval *batch_k = &r->in[KEY_PAPER_BATCH];
	const struct kval *sheets_k = &r->in[KEY_PAPER_SHEETS];
	const struct kval *first_k = &r->in[KEY_PAPER_FIRST];
	struct json_object *data = NULL, *sheets, *langs;
	char **codes = NULL, token[48];
	size_t ncodes = 0;
	enum qdef_lang l;
	long batch = 0, nsheets = 0, first = 0;
	int st = lookup(r, &ev, &in), status = 500;

	if (st != 0)
		return st;
	d = ev.def;
	/* numbered sheets without codes: ?sheets=N[&first=F] */
	if (sheets_k->state == KEY_INVALID || first_k->state == KEY_INVALID)
		return 400;
	nsheets = sheets_k->state == KEY_VALID ? (long)sheets_k->n : 0;
	first = first_k->state == KEY_VALID ? (long)first_k->n : 1;
	if (batch_k->state == KEY_INVALID)
		return 404;
	if (batch_k->state == KEY_VALID) {
		batch = (long)batch_k->n;
		st = store_paper_batch_codes(&app.db, ev.id, batch, &codes,
		    &ncodes);
		if (st != 0)
			return st;
	}
	l = page_def_lang(r, d, r->in[KEY_LANG].str);
	if ((data = page_data(r)) == NULL ||
	    (sheets = jnew_arr(data, "sheets")) == NULL ||
	    (langs = jnew_arr(data, "langs")) == NULL)
		goto out;
	for (size_t i = 0; i < ncodes; i++)
		if (print_sheet(r, qdef_kind_name(in->kind), r->lang, codes[i],
			0, sheets))
			goto out;
	for (long i = 0; ncodes == 0 && i < (nsheets ? nsheets : 1); i++)
		if (print_sheet(r, qdef_kind_name(in->kind), r->lang, NULL,
			nsheets ? first + i : 0, sheets))
			goto out;
	for (size_t i = 0; i < d->nlanguages; i++) {
		struct json_object *o = jpush(langs);
		const char *ln = qdef_lang_name(d->languages[i]);
		if (o == NULL || jset_str(o, "lang", ln) ||
		    jset_str(o, "name", i18n_get(ln, "lang_name")) ||
		    jset_bool(o, "current", d->languages[i] == l))
			goto out;
	}
	/* a fresh idempotency key for the batch form: the same form sent
	 * twice issues one batch */
	token_random(token);
	if (print_sections(r, d, l, in, data) ||
	    jset_str(data, "slug", r->slug) ||
	    jset_str(data, "kind", qdef_kind_name(in->kind)) ||
	    jset_str(data, "other_kind", in->kind == QDEF_PRE ? "post" : "pre") ||
	    jset_str(data, "event_title", txt(d, d->title, l)) ||
	    jset_str(data, "title", txt(d, in->title, l)) ||
	    jset_str(data, "intro", txt(d, in->intro, l)) ||
	    jset_str(data, "privacy", txt(d, d->privacy, l)) ||
	    (batch && jset_int(data, "batch", batch)) ||
	    jset_int(data, "count", (long long)ncodes) ||
	    jset_int(data, "batch_max", PAPER_BATCH_MAX) ||
	    jset_str(data, "batch_token", token) ||
	    jset_int(data, "numbered_first", nsheets ? first + nsheets : 1) ||
	    jset_bool(data, "script", 1) || page_admin_common(r, data))
		goto out;
	store_paper_codes_free(codes, ncodes);
	return page_render(r, 200, "paper", txt(d, in->title, l), data);
out:
	store_paper_codes_free(codes, ncodes);
	json_object_put(data);
	return status;
}

/* POST /admin/e/{slug}/paper/batch (admin, CSRF): `count` codes issued
 * as one batch; `instrument` (pre/post) and `lang` choose the sheet shown
 * next; `_token` (given with the form) makes a resent form find its
 * batch instead of issuing another (without it, the same count sent in
 * the same session finds its batch). 303 to
 * /admin/e/{slug}/paper/{instrument}?lang=..&batch=ID; 422 when count is
 * not a whole number in 1..PAPER_BATCH_MAX; 404; 503. */
int page_paper_batch(struct req *r)
{
	struct event_info ev;
	const struct kval *count = &r->in[KEY_BATCH_COUNT];
	const struct kval *tok = &r->in[KEY_BATCH_TOKEN];
	const char *inst = r->in[KEY_INSTRUMENT].state == KEY_VALID ?
	    r->in[KEY_INSTRUMENT].str : "pre";
	const char *lang = r->in[KEY_LANG_FORM].state == KEY_VALID ?
	    r->in[KEY_LANG_FORM].str : r->lang;
	char key[96], loc[256], code[CODE_LEN + 1];
	struct buf arr = BUF_INIT;
	long n = 0, batch = 0;
	int st = event_lookup(&app.db, r->slug, &ev), created = 0;

	if (st != 0)
		return st;
	if (count->state != KEY_VALID)
		return page_error_text(r, 422, "error_batch_count");
	n = (long)count->n;
	if (tok->state == KEY_VALID)
		snprintf(key, sizeof(key), "t:%s", tok->str);
	else {
		/* no key from the form: the session and the count stand in */
		char h[65], msg[128];
		snprintf(msg, sizeof(msg), "%s:%ld", r->csrf, n);
		token_hash_hex(msg, h);
		snprintf(key, sizeof(key), "c:%s", h);
	}
	for (int attempt = 0; attempt < 4; attempt++) {
		buf_reset(&arr);
		buf_putc(&arr, '{');
		for (long i = 0; i < n; i++) {
			code_generate(code);
			buf_printf(&arr, "%s%s", i ? "," : "", code);
		}
		buf_putc(&arr, '}');
		if (arr.oom) {
			buf_free(&arr);
			return 500;
		}
		st = store_paper_batch(&app.db, ev.id, key, arr.data,
		    r->user_id, &batch, &created);
		if (st != 409)
			break;
	}
	buf_free(&arr);
	if (st != 0)
		return st == 409 ? 500 : st;
	if (created) {
		struct json_object *d = json_object_new_object();
		log_msg(r, "paper batch %ld: %ld codes", batch, n);
		if (d && (jset_int(d, "batch", batch) ||
			jset_int(d, "count", n))) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, r->slug, "paper.batch", d);
	}
	snprintf(loc, sizeof(loc), "/admin/e/%s/paper/%s?lang=%s&batch=%ld",
	    r->slug, inst, lang, batch);
	resp_redirect(r, loc);
	return 303;
}

/* ---- data entry ---- */

/* What the entry page shows besides the questions. */
struct entry_view {
	const struct answers *a;     /* errors, or NULL */
	const char *notice;          /* an i18n key */
	int notice_error;            /* the notice is a refusal */
	const struct paper_conflict *resolve; /* the sheet being resolved */
	struct json_object *agreed;  /* resolve: the values both entries share */
	const char *saved_code;      /* the code of the sheet just stored */
	const char *state;           /* the state of the sheet just typed */
};

/* The entry value of field as it would be typed: the number of an option
 * of a choice item, the numbers of a multi-select joined by spaces, else
 * the value. Appends to b. */
static void typed_of(const struct qdef_item *it, struct json_object *v,
    struct buf *b)
{
	if (v == NULL)
		return;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				buf_putc(b, ' ');
			typed_of(it, json_object_array_get_idx(v, i), b);
		}
		return;
	}
	if (it && it->noptions) {
		size_t n = paper_option_number(it, json_object_get_string(v));
		if (n) {
			buf_printf(b, "%zu", n);
			return;
		}
	}
	buf_puts(b, json_object_get_string(v));
}

/* The item a field belongs to (key, key.other, key.retro, key.N). */
static const struct qdef_item *field_item(const struct qdef_instrument *in,
    const char *field, int *choice)
{
	char key[QDEF_KEY_MAX + 1];
	const char *dot = strchr(field, '.');
	size_t n = dot ? (size_t)(dot - field) : strlen(field);
	const struct qdef_item *it;

	if (n >= sizeof(key))
		return NULL;
	memcpy(key, field, n);
	key[n] = '\0';
	it = qdef_item(in, key);
	*choice = it && it->noptions &&
	    (dot == NULL || (it->type == QDEF_RANK && strcmp(dot, ".other")));
	return it;
}

/* Adds one input row {field, id, label, part, hint, value, error,
 * error_id, long, numeric, was} to rows; errors also to summary. */
static int entry_row(struct req *r, const struct qdef *d, enum qdef_lang l,
    const struct qdef_instrument *in, const struct qdef_item *it, size_t n,
    const char *field, const char *part, const struct entry_view *v,
    struct json_object *rows, struct json_object *summary)
{
	struct json_object *o = jpush(rows), *jv;
	char id[QDEF_FIELD_MAX + 8], label[64];
	const char *msg = v->a ? answer_error_for(v->a, field) : NULL;
	const char *typed = v->a || !v->resolve ?
	    kvlist_get(keys_family(r, KFAM_ANSWERS), field) : NULL;
	struct buf hint = BUF_INIT, val = BUF_INIT;
	int choice = 0, rc = -1;

	snprintf(id, sizeof(id), "f-%s", field);
	for (char *c = id; *c; c++)
		if (*c == '.')
			*c = '-';
	snprintf(label, sizeof(label), "%zu", n);
	(void)field_item(in, field, &choice);
	if (o == NULL)
		goto out;
	/* the hint: what may be typed */
	if (choice) {
		for (size_t i = 0; i < it->noptions; i++)
			buf_printf(&hint, "%s%zu %s", i ? " · " : "", i + 1,
			    txt(d, it->options[i].label, l));
		if (it->type == QDEF_MULTI)
			buf_printf(&hint, " (%s)", page_t(r, "entry_several"));
	} else if ((it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) &&
	    (part == NULL || strstr(field, ".retro")))
		buf_puts(&hint, it->type == QDEF_LIKERT5 ? "1–5" : "0–10");
	/* the value: as typed (a refused sheet), else what both entries
	 * agree on (resolution) */
	if (typed && utf8_valid(typed, strlen(typed)))
		buf_puts(&val, typed);
	else if (v->agreed && json_object_object_get_ex(v->agreed, field, &jv))
		typed_of(choice ? it : NULL, jv, &val);
	if (v->resolve) {
		struct json_object *e[2] = {NULL, NULL};
		struct buf was = BUF_INIT;
		int differs = 0;

		for (int k = 0; k < 2; k++) {
			struct json_object *all =
			    json_tokener_parse(v->resolve->answers[k]);
			struct buf one = BUF_INIT;
			if (all && json_object_object_get_ex(all, field, &jv))
				typed_of(choice ? it : NULL, jv, &one);
			e[k] = json_object_new_string(buf_cstr(&one));
			buf_free(&one);
			json_object_put(all);
		}
		if (e[0] == NULL || e[1] == NULL) {
			json_object_put(e[0]);
			json_object_put(e[1]);
			goto out;
		}
		differs = strcmp(json_object_get_string(e[0]),
		    json_object_get_string(e[1])) != 0;
		if (differs)
			buf_printf(&was, "1: %s · 2: %s",
			    *json_object_get_string(e[0]) ?
				json_object_get_string(e[0]) : "—",
			    *json_object_get_string(e[1]) ?
				json_object_get_string(e[1]) : "—");
		json_object_put(e[0]);
		json_object_put(e[1]);
		if (differs && jset_str(o, "was", buf_cstr(&was))) {
			buf_free(&was);
			goto out;
		}
		buf_free(&was);
	}
	if (hint.oom || val.oom || jset_str(o, "field", field) ||
	    jset_str(o, "id", id) || jset_str(o, "n", label) ||
	    jset_str(o, "label", txt(d, it->label, l)) ||
	    (part && jset_str(o, "part", part)) ||
	    jset_str(o, "hint", buf_cstr(&hint)) ||
	    jset_str(o, "value", buf_cstr(&val)) ||
	    jset_bool(o, "long", it->type == QDEF_LONGTEXT &&
		strchr(field, '.') == NULL) ||
	    jset_bool(o, "numeric", choice && it->type != QDEF_MULTI ? 1 :
		(it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) &&
		    (part == NULL || strstr(field, ".retro"))) ||
	    jset_bool(o, "error", 0))
		goto out;
	if (msg) {
		struct json_object *s = jpush(summary);
		char eid[QDEF_FIELD_MAX + 12];
		snprintf(eid, sizeof(eid), "err-%s", id + 2);
		if (s == NULL || jset_str(o, "error", page_t(r, msg)) ||
		    jset_str(o, "error_id", eid) ||
		    jset_str(s, "href", id) || jset_str(s, "message",
						   page_t(r, msg)) ||
		    jset_str(s, "question", txt(d, it->label, l)))
			goto out;
	}
	rc = 0;
out:
	buf_free(&hint);
	buf_free(&val);
	return rc;
}

/* The error of a technical field (_code, _sheet, _lang) into data. */
static int tech_error(struct req *r, const struct answers *a,
    struct json_object *data, const char *field, const char *key,
    struct json_object *summary)
{
	const char *msg = a ? answer_error_for(a, field) : NULL;
	char k[48];
	struct json_object *s;

	if (msg == NULL)
		return 0;
	snprintf(k, sizeof(k), "%s_error", key);
	s = jpush(summary);
	if (s == NULL || jset_str(data, k, page_t(r, msg)))
		return -1;
	snprintf(k, sizeof(k), "f%s", field);
	for (char *c = k; *c; c++)
		if (*c == '_')
			*c = '-';
	return jset_str(s, "href", k) || jset_str(s, "message", page_t(r, msg));
}

/* Renders the entry page. */
static int render_entry(struct req *r, int status, const struct event_info *ev,
    const struct qdef_instrument *in, const struct entry_view *v)
{
	const struct qdef *d = ev->def;
	enum qdef_lang l = page_def_lang(r, d, NULL);
	struct json_object *data = page_data(r), *rows, *langs,
			   *summary = json_object_new_array();
	/* given back as typed (a value refused by its validator too: the
	 * template shows only valid UTF-8, and the row marks the error) */
	const char *sheet_lang_s = r->in[KEY_FORM_LANG].str;
	const char *code = r->in[KEY_FORM_CODE].raw;
	const char *sheet = r->in[KEY_SHEET].raw;
	char field[QDEF_FIELD_MAX + 8], part[96], action[128];
	long pending = 0, conflict = 0;
	int dbl = 0;

	if (data == NULL || summary == NULL)
		goto fail;
	/* the page's side figures: without them (the database went away)
	 * the sheet is still given back as typed */
	if (store_paper_double_get(&app.db, ev->id, &dbl) != 0 ||
	    store_paper_sheets_open(&app.db, ev->id, &pending, &conflict) != 0)
		pending = conflict = 0;
	if (v->resolve) {
		/* the sheet's own key and language */
		if (strncmp(v->resolve->sheet, "C:", 2) == 0)
			code = v->resolve->sheet + 2, sheet = NULL;
		else
			sheet = v->resolve->sheet + 2, code = NULL;
		if (sheet_lang_s == NULL)
			sheet_lang_s = v->resolve->lang[0];
	}
	if (sheet_lang_s == NULL)
		sheet_lang_s = r->lang;
	if ((rows = jnew_arr(data, "rows")) == NULL ||
	    (langs = jnew_arr(data, "langs")) == NULL)
		goto fail;
	for (size_t i = 0; i < d->nlanguages; i++) {
		struct json_object *o = jpush(langs);
		const char *ln = qdef_lang_name(d->languages[i]);
		if (o == NULL || jset_str(o, "lang", ln) ||
		    jset_str(o, "name", i18n_get(ln, "lang_name")) ||
		    jset_bool(o, "selected", strcmp(ln, sheet_lang_s) == 0))
			goto fail;
	}
	for (size_t i = 0; i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];

		if (it->type == QDEF_RANK) {
			for (size_t k = 1; k <= it->top; k++) {
				snprintf(field, sizeof(field), "%s.%zu",
				    it->key, k);
				snprintf(part, sizeof(part), "%s %zu",
				    page_t(r, "rank_position"), k);
				if (entry_row(r, d, l, in, it, i + 1, field,
					part, v, rows, summary))
					goto fail;
			}
		} else if (entry_row(r, d, l, in, it, i + 1, it->key, NULL, v,
			       rows, summary))
			goto fail;
		if (it->retro && in->kind == QDEF_POST) {
			snprintf(field, sizeof(field), "%s.retro", it->key);
			if (entry_row(r, d, l, in, it, i + 1, field,
				page_t(r, "retro_label"), v, rows, summary))
				goto fail;
		}
		if (it->other) {
			snprintf(field, sizeof(field), "%s.other", it->key);
			if (entry_row(r, d, l, in, it, i + 1, field,
				page_t(r, "other_specify"), v, rows, summary))
				goto fail;
		}
	}
	snprintf(action, sizeof(action), "/admin/e/%s/entry/%s", r->slug,
	    qdef_kind_name(in->kind));
	if (tech_error(r, v->a, data, "_code", "code", summary) ||
	    tech_error(r, v->a, data, "_sheet", "sheet", summary) ||
	    tech_error(r, v->a, data, "_lang", "lang", summary) ||
	    jset_str(data, "action", action) ||
	    jset_str(data, "slug", r->slug) ||
	    jset_str(data, "kind", qdef_kind_name(in->kind)) ||
	    jset_str(data, "title", txt(d, in->title, l)) ||
	    jset_str(data, "event_title", txt(d, d->title, l)) ||
	    jset_str(data, "code", code && utf8_valid(code, strlen(code)) ?
		code : "") ||
	    jset_str(data, "sheet", sheet && utf8_valid(sheet, strlen(sheet)) ?
		sheet : "") ||
	    jset_bool(data, "double_entry", dbl) ||
	    jset_int(data, "pending", pending) ||
	    jset_int(data, "conflicts", conflict) ||
	    jset_bool(data, "resolve", v->resolve != NULL) ||
	    (v->saved_code && jset_str(data, "saved_code", v->saved_code)) ||
	    (v->state && jset_str(data, "state_text", page_t(r, v->state))) ||
	    (v->notice && jset_str(data, "notice", page_t(r, v->notice))) ||
	    jset_bool(data, "notice_error", v->notice_error) ||
	    jset_bool(data, "has_errors", json_object_array_length(summary) > 0) ||
	    page_admin_common(r, data))
		goto fail;
	if (json_object_object_add(data, "errors", summary) != 0)
		goto fail;
	summary = NULL;
	return page_render(r, status, "entry", page_t(r, "entry_title"), data);
fail:
	json_object_put(summary);
	json_object_put(data);
	return 500;
}

/* Finds the conflict of sheet key (instrument kind) of the event: *all
 * and *n to free with store_paper_conflicts_free, *one the match or NULL.
 * 0 or a status. */
static int find_conflict(const struct event_info *ev, const char *kind,
    const char *key, struct paper_conflict **all, size_t *n,
    const struct paper_conflict **one)
{
	int st = store_paper_conflicts(&app.db, ev->id, all, n);

	*one = NULL;
	for (size_t i = 0; st == 0 && key && i < *n; i++)
		if (strcmp((*all)[i].instrument, kind) == 0 &&
		    strcmp((*all)[i].sheet, key) == 0)
			*one = &(*all)[i];
	return st;
}

/* The values both entries of c share (the rest is to be typed again). */
static struct json_object *agreed_values(const struct paper_conflict *c)
{
	struct json_object *a = json_tokener_parse(c->answers[0]);
	struct json_object *b = json_tokener_parse(c->answers[1]);
	struct json_object *out = json_object_new_object();

	if (a && b && out) {
		json_object_object_foreach(a, k, v) {
			struct json_object *w;
			if (json_object_object_get_ex(b, k, &w) &&
			    json_object_equal(v, w) &&
			    json_object_object_add(out, k,
				json_object_get(v)) != 0) {
				json_object_put(v);
				json_object_put(out);
				out = NULL;
				break;
			}
		}
	}
	json_object_put(a);
	json_object_put(b);
	return out;
}

/* GET /admin/e/{slug}/entry/{pre,post}[?resolve=SHEET][&saved=CODE]
 * [&state=S] (admin): the data entry page, open whatever the answering
 * window; with resolve, the sheet in conflict to type again from the
 * paper. 200; 404 (event, instrument, or a sheet not in conflict); 503. */
int page_entry_get(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	struct entry_view v = {0};
	struct paper_conflict *all = NULL;
	const struct kval *resolve = &r->in[KEY_RESOLVE];
	const struct kval *saved = &r->in[KEY_SAVED];
	const struct kval *state = &r->in[KEY_ENTRY_STATE];
	char shown[CODE_LEN + 2];
	size_t n = 0;
	int st = lookup(r, &ev, &in);

	if (st != 0)
		return st;
	if (saved->state == KEY_VALID) {
		code_format(saved->str, shown);
		v.saved_code = shown;
	}
	if (state->state == KEY_VALID) {
		/* in the order of KEY_ENTRY_STATE's values (keys.c) */
		static const char *const msgs[] = {"entry_stored",
		    "entry_pending", "entry_agreed", "entry_differs",
		    "entry_resolved"};
		if (state->n >= 0 &&
		    (size_t)state->n < sizeof(msgs) / sizeof(*msgs))
			v.state = msgs[state->n];
	}
	if (resolve->state == KEY_INVALID)
		return 404;
	if (resolve->state == KEY_VALID) {
		st = find_conflict(&ev, qdef_kind_name(in->kind), resolve->str,
		    &all, &n, &v.resolve);
		if (st == 0 && v.resolve == NULL)
			st = 404;
		if (st == 0 && (v.agreed = agreed_values(v.resolve)) == NULL)
			st = 500;
		if (st == 0)
			st = render_entry(r, 200, &ev, in, &v);
		json_object_put(v.agreed);
		store_paper_conflicts_free(all, n);
		return st;
	}
	return render_entry(r, 200, &ev, in, &v);
}

static const char *jtext(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* POST /admin/e/{slug}/entry/{pre,post} (admin, CSRF): one typed sheet,
 * fields as the entry page names them (the items' keys, `_code` the code
 * written on the sheet, `_sheet` its printed number, `_lang` its
 * language, `_resolve=1` for a third reading of a sheet in conflict).
 * 303 back to the entry page (saved, state); 422 with every typed value
 * and each problem marked; 409 when the sheet or this participant's
 * answer to the instrument was already stored, when the same operator
 * types a sheet twice under double entry, or when a sheet is in conflict;
 * 404; 503 (what was typed kept). */
int page_entry_post(struct req *r)
{
	struct event_info ev;
	const struct qdef_instrument *in;
	struct kvlist form = {0};
	struct answers a = {0};
	struct entry_view v = {0};
	struct json_object *stored = NULL;
	struct paper_conflict *all = NULL;
	size_t nall = 0;
	const char *lang = r->in[KEY_FORM_LANG].str;
	const struct kval *code_k = &r->in[KEY_FORM_CODE];
	const struct kval *sheet_k = &r->in[KEY_SHEET];
	int resolve;
	const char *err, *efield = NULL;
	char key[PAPER_SHEET_KEY_MAX], code[CODE_LEN + 1], newcode[CODE_LEN + 1];
	char outcome[24] = "", got[CODE_LEN + 2] = "", loc[256];
	struct paper_sheet_in s = {0};
	enum paper_store_op op;
	int st = event_lookup(&app.db, r->slug, &ev), dbl = 0, rc, status = 500;

	if (st != 0)
		return st;
	if (r->instrument < 0 || r->instrument >= QDEF_KIND__MAX ||
	    !ev.def->instruments[r->instrument].present)
		return 404;
	in = &ev.def->instruments[r->instrument];
	v.a = &a;
	if (r->in[KEY_RESOLVE_FORM].state == KEY_INVALID)
		return 400;
	resolve = r->in[KEY_RESOLVE_FORM].state == KEY_VALID &&
	    r->in[KEY_RESOLVE_FORM].n == 1;
	if (paper_entry_to_form(in, keys_family(r, KFAM_ANSWERS), &form) != 0)
		goto out;
	if (ev.stale || (st = store_paper_double_get(&app.db, ev.id, &dbl))) {
		/* the database is unreachable: the sheet comes back as typed */
		v.notice = "error_unavailable";
		v.notice_error = 1;
		status = render_entry(r, 503, &ev, in, &v);
		goto out;
	}
	/* the sheet as written: a required item left blank is no error */
	rc = answer_collect_as(in, &form, ANSWER_AS_PAPER, &a);
	if (rc < 0)
		goto out;
	/* ...but a sheet with no answer at all is a slip, not a participant */
	if (json_object_object_length(a.values) == 0 &&
	    answer_collect_error(&a, "_sheet", "error_sheet_empty"))
		goto out;
	/* a code refused by its validator, or a sheet number that is not
	 * text, is the error paper_sheet_key gives a badly typed one */
	if (code_k->state == KEY_INVALID) {
		key[0] = code[0] = '\0';
		efield = "_code";
		err = "error_unknown_code";
	} else if (code_k->state == KEY_ABSENT &&
	    sheet_k->state == KEY_INVALID) {
		key[0] = code[0] = '\0';
		efield = "_sheet";
		err = "error_sheet_number";
	} else
		err = paper_sheet_key(code_k->str, sheet_k->str, key, code,
		    &efield);
	if (err && answer_collect_error(&a, efield, err))
		goto out;
	if (err == NULL && (dbl || resolve) && key[0] == '\0' &&
	    answer_collect_error(&a, "_sheet", "error_sheet_required"))
		goto out;
	{
		int ok = 0;
		for (size_t i = 0; lang && i < ev.def->nlanguages; i++)
			ok |= strcmp(lang, qdef_lang_name(ev.def->languages[i]))
			    == 0;
		if (!ok && answer_collect_error(&a, "_lang",
			       "error_invalid_choice"))
			goto out;
	}
	if (a.nerrors) {
		status = render_entry(r, 422, &ev, in, &v);
		goto out;
	}
	if ((stored = answer_stored(in, &a)) == NULL)
		goto out;
	op = resolve ? PAPER_OP_RESOLVE :
	    dbl ? PAPER_OP_ENTER : PAPER_OP_SUBMIT;
	s.event_id = ev.id;
	s.instrument = qdef_kind_name(in->kind);
	s.sheet = key;
	s.user_id = r->user_id;
	s.definition_id = ev.definition_id;
	s.lang = lang;
	s.code = code[0] ? code : NULL;
	s.answers = jtext(stored);
	s.rows = jtext(a.rows);
	s.contacts = jtext(a.contacts);
	for (int attempt = 0; attempt < 4; attempt++) {
		code_generate(newcode);
		s.new_code = newcode;
		st = store_paper_sheet(&app.db, op, &s, outcome,
		    sizeof(outcome), got, sizeof(got));
		if (st != 0 || strcmp(outcome, "code_taken") != 0)
			break;
	}
	if (st != 0) {
		v.notice = "error_unavailable";
		v.notice_error = 1;
		status = render_entry(r, st == 503 ? 503 : 500, &ev, in, &v);
		if (status == 500 || status == 503)
			status = st;
		goto out;
	}
	if (strcmp(outcome, "unknown_code") == 0) {
		if (answer_collect_error(&a, "_code", "error_unknown_code"))
			goto out;
		status = render_entry(r, 422, &ev, in, &v);
		goto out;
	}
	{
		static const char *const refused[][2] = {
		    {"conflict", "entry_already"},
		    {"done", "entry_done"},
		    {"open", "entry_open"},
		    {"same_operator", "entry_same_operator"},
		    {"none", "entry_not_in_conflict"},
		    {"code_taken", "error_unavailable"}};
		for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
			if (strcmp(outcome, refused[i][0]) == 0) {
				v.notice = refused[i][1];
				v.notice_error = 1;
				if (op == PAPER_OP_RESOLVE &&
				    find_conflict(&ev, s.instrument, key, &all,
					&nall, &v.resolve) != 0)
					v.resolve = NULL;
				status = render_entry(r, i == 5 ? 503 : 409,
				    &ev, in, &v);
				goto out;
			}
	}
	log_msg(r, "paper %s sheet %s: %s", s.instrument,
	    key[0] ? key : "-", outcome);
	{
		char shown[CODE_LEN + 2] = "";
		struct json_object *d = json_object_new_object();
		if (got[0] && strlen(got) == CODE_LEN)
			code_format(got, shown);
		if (d && (jset_str(d, "instrument", s.instrument) ||
			jset_str(d, "sheet", key) || jset_str(d, "code", shown) ||
			jset_str(d, "state", outcome))) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, r->slug, "paper.sheet", d);
		snprintf(loc, sizeof(loc), "/admin/e/%s/entry/%s?state=%s%s%s",
		    r->slug, s.instrument, outcome, shown[0] ? "&saved=" : "",
		    shown);
	}
	resp_redirect(r, loc);
	status = 303;
out:
	store_paper_conflicts_free(all, nall);
	json_object_put(stored);
	answers_free(&a);
	kvlist_free(&form);
	return status;
}

/* The text of an answer value for the conflict list. */
static void shown_value(struct json_object *all, const char *field,
    struct buf *b)
{
	struct json_object *v;

	if (all == NULL || !json_object_object_get_ex(all, field, &v)) {
		buf_puts(b, "—");
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			buf_printf(b, "%s%s", i ? " | " : "",
			    json_object_get_string(
				json_object_array_get_idx(v, i)));
		return;
	}
	buf_puts(b, json_object_get_string(v));
}

/* Adds {field, label, one, two} for each field where the two differ. */
static int diff_rows(struct req *r, const struct qdef *d, enum qdef_lang l,
    const struct qdef_instrument *in, const struct paper_conflict *c,
    struct json_object *list)
{
	struct json_object *e[2], *keys = json_object_new_object();
	int rc = -1;

	e[0] = json_tokener_parse(c->answers[0]);
	e[1] = json_tokener_parse(c->answers[1]);
	if (keys == NULL || e[0] == NULL || e[1] == NULL)
		goto out;
	for (int k = 0; k < 2; k++) {
		json_object_object_foreach(e[k], f, val) {
			(void)val;
			json_object_object_add(keys, f, NULL);
		}
	}
	if (strcmp(c->lang[0], c->lang[1]) != 0) {
		struct json_object *o = jpush(list);
		if (o == NULL || jset_str(o, "field", "_lang") ||
		    jset_str(o, "label", page_t(r, "entry_sheet_lang")) ||
		    jset_str(o, "one", c->lang[0]) || jset_str(o, "two", c->lang[1]))
			goto out;
	}
	/* in the order of the sheet */
	for (size_t i = 0; i < in->nitems; i++) {
		size_t n = strlen(in->items[i].key);
		json_object_object_foreach(keys, f, unused) {
			struct json_object *a = NULL, *b = NULL, *o;
			struct buf one = BUF_INIT, two = BUF_INIT;
			int bad;

			(void)unused;
			if (strncmp(f, in->items[i].key, n) != 0 ||
			    (f[n] != '\0' && f[n] != '.'))
				continue;
			json_object_object_get_ex(e[0], f, &a);
			json_object_object_get_ex(e[1], f, &b);
			if (a && b && json_object_equal(a, b))
				continue;
			shown_value(e[0], f, &one);
			shown_value(e[1], f, &two);
			o = jpush(list);
			bad = o == NULL || one.oom || two.oom ||
			    jset_str(o, "field", f) ||
			    jset_str(o, "label", txt(d, in->items[i].label, l)) ||
			    jset_str(o, "one", buf_cstr(&one)) ||
			    jset_str(o, "two", buf_cstr(&two));
			buf_free(&one);
			buf_free(&two);
			if (bad)
				goto out;
		}
	}
	rc = 0;
out:
	json_object_put(e[0]);
	json_object_put(e[1]);
	json_object_put(keys);
	return rc;
}

/* GET /admin/e/{slug}/entry/conflicts (admin): the sheets whose two
 * entries differ, each difference per item, with a link to type the
 * sheet again from the paper. 200; 404; 503. */
int page_entry_conflicts(struct req *r)
{
	struct event_info ev;
	struct paper_conflict *all = NULL;
	struct json_object *data = NULL, *list;
	enum qdef_lang l;
	size_t n = 0;
	int st = event_lookup(&app.db, r->slug, &ev), status = 500, dbl = 0;

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	if ((st = store_paper_conflicts(&app.db, ev.id, &all, &n)) != 0 ||
	    (st = store_paper_double_get(&app.db, ev.id, &dbl)) != 0) {
		store_paper_conflicts_free(all, n);
		return st;
	}
	l = page_def_lang(r, ev.def, NULL);
	if ((data = page_data(r)) == NULL ||
	    (list = jnew_arr(data, "sheets")) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct qdef_instrument *in =
		    qdef_instrument(ev.def, all[i].instrument);
		struct json_object *o = jpush(list), *rows;
		char shown[CODE_LEN + 2], url[256];
		struct buf k = BUF_INIT;
		int bad;

		if (o == NULL || in == NULL ||
		    (rows = jnew_arr(o, "diffs")) == NULL)
			goto out;
		if (all[i].sheet[0] == 'C')
			code_format(all[i].sheet + 2, shown);
		else
			snprintf(shown, sizeof(shown), "%s", all[i].sheet + 2);
		buf_printf(&k, "/admin/e/%s/entry/%s?resolve=", r->slug,
		    all[i].instrument);
		url_encode(&k, all[i].sheet);
		snprintf(url, sizeof(url), "%s", buf_cstr(&k));
		bad = k.oom;
		buf_free(&k);
		if (bad || jset_str(o, "instrument", all[i].instrument) ||
		    jset_str(o, "sheet", shown) ||
		    jset_bool(o, "by_code", all[i].sheet[0] == 'C') ||
		    jset_str(o, "user1", all[i].user[0]) ||
		    jset_str(o, "user2", all[i].user[1]) ||
		    jset_str(o, "resolve_url", url) ||
		    diff_rows(r, ev.def, l, in, &all[i], rows))
			goto out;
	}
	if (jset_str(data, "slug", r->slug) ||
	    jset_str(data, "event_title", txt(ev.def, ev.def->title, l)) ||
	    jset_int(data, "count", (long long)n) ||
	    jset_bool(data, "has_sheets", n > 0) ||
	    jset_bool(data, "double_entry", dbl) ||
	    page_admin_common(r, data))
		goto out;
	store_paper_conflicts_free(all, n);
	return page_render(r, 200, "entry_conflicts",
	    page_t(r, "entry_conflicts_title"), data);
out:
	store_paper_conflicts_free(all, n);
	json_object_put(data);
	return status;
}

/* POST /admin/e/{slug}/entry/mode (admin, CSRF): `double_entry` 0/1 for
 * the event (the set-up field of the same name). 303 back to the entry
 * page of `instrument` (pre by default); 422 for another value; 404;
 * 503. */
int page_entry_mode(struct req *r)
{
	struct event_info ev;
	const struct kval *v = &r->in[KEY_DOUBLE_ENTRY];
	const char *inst = r->in[KEY_INSTRUMENT].state == KEY_VALID ?
	    r->in[KEY_INSTRUMENT].str : "pre";
	char loc[160];
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if (v->state != KEY_VALID)
		return page_error_text(r, 422, "error_invalid_choice");
	if ((st = store_paper_double_set(&app.db, ev.id, v->n == 1)) != 0)
		return st;
	log_msg(r, "double entry %s", v->n == 1 ? "on" : "off");
	{
		struct json_object *d = json_object_new_object();
		if (d && jset_bool(d, "double_entry", v->n == 1)) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, r->slug, "paper.double_entry", d);
	}
	snprintf(loc, sizeof(loc), "/admin/e/%s/entry/%s", r->slug, inst);
	resp_redirect(r, loc);
	return 303;
}
