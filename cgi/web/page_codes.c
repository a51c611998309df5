/* page_codes.c: the badge sheet of pre-issued participant codes, each with
 * a QR code of its pre-questionnaire link, and the room poster (a QR code
 * of the event's landing page), for admins. Both speak the event's
 * languages, not the reader's only: the cards and the poster are printed
 * for the room. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "codes.h"
#include "event.h"
#include "form.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "qr.h"
#include "token.h"

#define QR_PX_BADGE "120"
#define QR_PX_POSTER "480"

/* Renders a QR code of url into out as an SVG (through templates/qr). */
static int qr_fragment(const char *url, const char *label, const char *px,
    struct buf *out)
{
	struct json_object *q = qr_svg(url);
	int rc = -1;

	if (q && jset_str(q, "label", label) == 0 && jset_str(q, "px", px) == 0)
		rc = page_fragment("qr", q, out);
	json_object_put(q);
	return rc;
}

/* 1 when url's host is one that only this machine reaches (localhost,
 * 127.0.0.0/8, ::1, 0.0.0.0): a phone scanning a QR code of it reaches
 * itself, not us. */
static int url_is_loopback(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	h = h ? h + 3 : url;
	n = strcspn(h, ":/?#");
	if (h[0] == '[')
		return strncmp(h, "[::1]", 5) == 0;
	return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	    (n == 21 && strncasecmp(h, "localhost.localdomain", 21) == 0) ||
	    (n >= 4 && strncmp(h, "127.", 4) == 0) ||
	    (n == 7 && strncmp(h, "0.0.0.0", 7) == 0);
}

/* Adds to d what the codes page and the poster share: slug, event title
 * (in the reader's language), the event's URL and its QR code (px wide),
 * "langs": [{lang, dir, title, call, hint}] in the event's declared
 * languages (the texts printed for the room), and "loopback" with the
 * public URL when the QR codes could not work on a phone. 0 or -1. */
static int room_common(struct req *r, const struct event_info *ev,
    struct json_object *d, const char *px)
{
	const struct qdef *def = ev->def;
	int lang = qdef_lang_from_name(r->lang);
	struct json_object *langs = json_object_new_array();
	char url[512];
	struct buf svg = BUF_INIT;
	int rc = -1;

	if (langs == NULL || json_object_object_add(d, "langs", langs) != 0) {
		json_object_put(langs);
		return -1;
	}
	for (size_t i = 0; i < def->nlanguages; i++) {
		const char *ln = qdef_lang_name(def->languages[i]);
		struct json_object *o = json_object_new_object();

		if (o == NULL || json_object_array_add(langs, o) != 0) {
			json_object_put(o);
			return -1;
		}
		if (jset_str(o, "lang", ln) || jset_str(o, "dir", i18n_dir(ln)) ||
		    jset_str(o, "title", qdef_text(def, def->title,
			def->languages[i])) ||
		    jset_str(o, "call", i18n_get(ln, "poster_call")) ||
		    jset_str(o, "hint", i18n_get(ln, "badge_hint")))
			return -1;
	}
	snprintf(url, sizeof(url), "%s/e/%s/", app.public_url, r->slug);
	if (qr_fragment(url, url, px, &svg) == 0 &&
	    jset_str(d, "poster_qr", buf_cstr(&svg)) == 0 &&
	    jset_str(d, "event_url", url) == 0 &&
	    jset_str(d, "slug", r->slug) == 0 &&
	    jset_str(d, "event_title", qdef_text(def, def->title,
		lang < 0 ? def->default_language : (enum qdef_lang)lang)) == 0 &&
	    jset_bool(d, "loopback", url_is_loopback(app.public_url)) == 0 &&
	    jset_str(d, "public_url", app.public_url) == 0 &&
	    jset_bool(d, "script", 1) == 0 && /* the print button */
	    page_admin_common(r, d) == 0)
		rc = 0;
	buf_free(&svg);
	return rc;
}

/* Adds one badge card (code, link, QR code) to the sheet being built. */
struct sheet {
	struct req *r;
	struct json_object *list;
	struct buf svg;
	int count;
};

static int badge_row(void *ctx, const struct store_issued_code *ic)
{
	struct sheet *sh = ctx;
	struct json_object *c = json_object_new_object();
	char url[512], shown[CODE_LEN + 2];

	code_format(ic->code, shown);
	snprintf(url, sizeof(url), "%s/e/%s/pre?code=%s", app.public_url,
	    sh->r->slug, shown);
	buf_reset(&sh->svg);
	if (c == NULL || json_object_array_add(sh->list, c) != 0) {
		json_object_put(c);
		return -1;
	}
	sh->count++;
	return qr_fragment(url, shown, QR_PX_BADGE, &sh->svg) != 0 ||
	    jset_str(c, "code", shown) || jset_str(c, "url", url) ||
	    jset_str(c, "qr", buf_cstr(&sh->svg)) ||
	    jset_bool(c, "used", ic->used);
}

/* The badge sheet with status, and the error message of a refused count
 * (i18n key, or NULL). 200 or 422; 404; 503; 500. */
static int codes_page(struct req *r, int status, const char *error_key,
    const char *count_typed)
{
	struct event_info ev;
	struct json_object *d = NULL;
	struct sheet sh = {r, NULL, BUF_INIT, 0};
	enum store_rc src;
	int st = event_lookup(&app.db, r->slug, &ev), rc = 500;

	if (st != 0)
		return st;
	d = page_data(r);
	if (d == NULL || (sh.list = json_object_new_array()) == NULL ||
	    json_object_object_add(d, "codes", sh.list) != 0) {
		json_object_put(sh.list);
		goto out;
	}
	src = store_codes_list(&app.db, ev.id, badge_row, &sh);
	if (src != STORE_OK) {
		if (src == STORE_DOWN)
			rc = 503;
		goto out;
	}
	if (room_common(r, &ev, d, QR_PX_POSTER) ||
	    jset_int(d, "count", sh.count) ||
	    jset_bool(d, "has_codes", sh.count > 0) ||
	    jset_int(d, "max", CODES_MAX) ||
	    jset_str(d, "count_value", count_typed ? count_typed : "30") ||
	    (error_key && jset_str(d, "error", page_t(r, error_key))))
		goto out;
	buf_free(&sh.svg);
	return page_render(r, status, "codes", page_t(r, "codes"), d);
out:
	buf_free(&sh.svg);
	json_object_put(d);
	return rc;
}

/* GET /admin/e/{slug}/codes (admin): 200; 404; 503. */
int page_codes(struct req *r)
{
	return codes_page(r, 200, NULL, NULL);
}

/* GET /admin/e/{slug}/poster (admin): the room poster, a QR code of the
 * landing page and the call to action in each of the event's languages.
 * 200; 404; 503; 500. */
int page_poster(struct req *r)
{
	struct event_info ev;
	struct json_object *d;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if ((d = page_data(r)) == NULL || room_common(r, &ev, d, QR_PX_POSTER)) {
		json_object_put(d);
		return 500;
	}
	return page_render(r, 200, "poster", page_t(r, "poster_title"), d);
}

/* POST /admin/e/{slug}/codes (admin, CSRF): creates `count` codes. 303
 * back to the sheet; 422 with the sheet and a message naming the bounds
 * (count not a whole number in 1..CODES_MAX; what was typed is kept); 404;
 * 503. */
int page_codes_add(struct req *r)
{
	struct event_info ev;
	const struct kval *count = &r->in[KEY_COUNT]; /* 1..CODES_MAX */
	char loc[128], typed[16];
	char **codes = NULL;
	long n = (long)count->n;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	if (count->state != KEY_VALID) {
		/* a short, printable echo of what was typed (escaped by the
		 * renderer); anything longer is not worth giving back */
		snprintf(typed, sizeof(typed), "%s",
		    count->raw && count->raw_len < sizeof(typed) &&
			strlen(count->raw) == count->raw_len &&
			utf8_valid(count->raw, count->raw_len) ? count->raw : "");
		return codes_page(r, 422, "error_codes_count", typed);
	}
	st = codes_generate(&app.db, ev.id, (int)n, &codes);
	codes_free(codes, st == 0 ? (int)n : 0);
	if (st != 0)
		return st;
	log_msg(r, "%ld codes created", n);
	{
		struct json_object *d = json_object_new_object();
		if (d && jset_int(d, "count", n)) {
			json_object_put(d);
			d = NULL;
		}
		page_audit(r, r->slug, "codes.generate", d);
	}
	snprintf(loc, sizeof(loc), "/admin/e/%s/codes", r->slug);
	resp_redirect(r, loc);
	return 303;
}
