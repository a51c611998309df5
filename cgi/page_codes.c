/* page_codes.c: the badge sheet of pre-issued participant codes, each with
 * a QR code of its pre-questionnaire link, and a poster QR code of the
 * event for the room (admins). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "codes.h"
#include "event.h"
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

/* GET /admin/e/{slug}/codes (admin): 200; 404; 503. */
int page_codes(struct req *r)
{
	struct event_info ev;
	struct json_object *d = NULL, *list = NULL;
	char evid[24], url[512], shown[CODE_LEN + 2];
	const char *params[1] = {evid};
	struct buf svg = BUF_INIT;
	PGresult *res = NULL;
	int st = event_lookup(&app.db, r->slug, &ev), status = 500;
	int lang;

	if (st != 0)
		return st;
	lang = qdef_lang_from_name(r->lang);
	snprintf(evid, sizeof(evid), "%ld", ev.id);
	res = db_exec(&app.db, DB_CODES_LIST, 1, params);
	if (res == NULL) {
		status = 503;
		goto out;
	}
	d = page_data(r);
	if (!db_ok(res) || d == NULL || (list = json_object_new_array()) == NULL ||
	    json_object_object_add(d, "codes", list) != 0) {
		json_object_put(list);
		goto out;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		struct json_object *c = json_object_new_object();

		code_format(PQgetvalue(res, i, 0), shown);
		snprintf(url, sizeof(url), "%s/e/%s/pre?code=%s",
		    app.public_url, r->slug, shown);
		buf_reset(&svg);
		if (c == NULL || json_object_array_add(list, c) != 0) {
			json_object_put(c);
			goto out;
		}
		if (qr_fragment(url, shown, QR_PX_BADGE, &svg) != 0 ||
		    jset_str(c, "code", shown) || jset_str(c, "url", url) ||
		    jset_str(c, "qr", buf_cstr(&svg)) ||
		    jset_bool(c, "used", PQgetvalue(res, i, 1)[0] == 't'))
			goto out;
	}
	snprintf(url, sizeof(url), "%s/e/%s/", app.public_url, r->slug);
	buf_reset(&svg);
	if (qr_fragment(url, url, QR_PX_POSTER, &svg) != 0 ||
	    jset_str(d, "poster_qr", buf_cstr(&svg)) ||
	    jset_str(d, "event_url", url) || jset_str(d, "slug", r->slug) ||
	    jset_str(d, "event_title", qdef_text(ev.def, ev.def->title,
		lang < 0 ? ev.def->default_language : (enum qdef_lang)lang)) ||
	    jset_int(d, "count", PQntuples(res)) ||
	    jset_int(d, "max", CODES_MAX) || page_admin_common(r, d))
		goto out;
	PQclear(res);
	buf_free(&svg);
	return page_render(r, 200, "codes", page_t(r, "codes"), d);
out:
	PQclear(res);
	buf_free(&svg);
	json_object_put(d);
	return status;
}

/* POST /admin/e/{slug}/codes (admin, CSRF): creates `count` codes. 303
 * back to the sheet; 422 (count not 1..CODES_MAX); 404; 503. */
int page_codes_add(struct req *r)
{
	struct event_info ev;
	const char *count = kvlist_get(&r->form, "count");
	char loc[128], *end;
	char **codes = NULL;
	long n;
	int st = event_lookup(&app.db, r->slug, &ev);

	if (st != 0)
		return st;
	n = count ? strtol(count, &end, 10) : 0;
	if (count == NULL || *end || n < 1 || n > CODES_MAX)
		return 422;
	st = codes_generate(&app.db, ev.id, (int)n, &codes);
	codes_free(codes, st == 0 ? (int)n : 0);
	if (st != 0)
		return st;
	log_msg(r, "%ld codes created", n);
	snprintf(loc, sizeof(loc), "/admin/e/%s/codes", r->slug);
	resp_redirect(r, loc);
	return 303;
}
