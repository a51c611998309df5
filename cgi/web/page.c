/* page.c: every HTML page goes through here: body template + layout. */
#include "page.h"
#include "export.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "log.h"
#include "tmpl.h"

struct json_object *jpush(struct json_object *arr)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL || json_object_array_add(arr, o) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* A new container under key in o (borrowed), NULL when out of memory. */
static struct json_object *jnew_under(struct json_object *o, const char *key,
    struct json_object *a)
{
	if (a == NULL || json_object_object_add(o, key, a) != 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

struct json_object *jnew_arr(struct json_object *o, const char *key)
{
	return jnew_under(o, key, json_object_new_array());
}

struct json_object *jnew_obj(struct json_object *o, const char *key)
{
	return jnew_under(o, key, json_object_new_object());
}

int jset_str(struct json_object *obj, const char *key, const char *val)
{
	struct json_object *s = json_object_new_string(val ? val : "");

	if (s == NULL || json_object_object_add(obj, key, s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

int jset_int(struct json_object *obj, const char *key, long long v)
{
	struct json_object *s = json_object_new_int64(v);

	if (s == NULL || json_object_object_add(obj, key, s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

int jset_bool(struct json_object *obj, const char *key, int v)
{
	struct json_object *s = json_object_new_boolean(v);

	if (s == NULL || json_object_object_add(obj, key, s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

const char *page_t(const struct req *r, const char *key)
{
	return i18n_get(r->lang, key);
}

int url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
	return b->oom ? -1 : 0;
}

struct json_object *page_data(const struct req *r)
{
	struct json_object *d = json_object_new_object();

	if (d == NULL)
		return NULL;
	if (jset_str(d, "lang", r->lang) != 0 ||
	    jset_str(d, "dir", i18n_dir(r->lang)) != 0 ||
	    json_object_object_add(d, "t",
		json_object_get(i18n_catalog(r->lang))) != 0) {
		json_object_put(d);
		return NULL;
	}
	return d;
}

/* The language switcher: the same page in each language, keeping the
 * other query parameters (a pre-issued ?code= must survive). */
static struct json_object *languages(const struct req *r)
{
	struct json_object *list = json_object_new_array();

	for (int i = 0; list && i < I18N_NLANGS; i++) {
		const char *l = i18n_langs[i];
		struct json_object *o = json_object_new_object();
		struct buf href = BUF_INIT;
		char key[16];

		buf_puts(&href, "?");
		for (size_t k = 0; k < r->query.n; k++) {
			if (strcmp(r->query.v[k].key, "lang") == 0)
				continue;
			url_encode(&href, r->query.v[k].key);
			buf_putc(&href, '=');
			url_encode(&href, r->query.v[k].value);
			buf_putc(&href, '&');
		}
		buf_printf(&href, "lang=%s", l);
		snprintf(key, sizeof(key), "lang_%s", l);
		if (o == NULL || href.oom || jset_str(o, "href", href.data) ||
		    jset_str(o, "lang", l) ||
		    jset_str(o, "label", i18n_get(r->lang, key)) ||
		    jset_bool(o, "current", strcmp(l, r->lang) == 0) ||
		    json_object_array_add(list, o) != 0) {
			json_object_put(o);
			json_object_put(list);
			list = NULL;
		}
		buf_free(&href);
	}
	return list;
}

static struct json_object *admin_nav(const struct req *r)
{
	/* who: 0 everyone signed in, 1 admins, 2 admins and organisers */
	static const struct {
		const char *href, *key;
		int who;
	} items[] = {
	    {"/admin/", "events", 0},
	    {"/admin/audit", "audit_log", 2},
	    {"/admin/users", "users", 1},
	    {"/admin/password", "password_change", 0},
	};
	struct json_object *nav = json_object_new_object();
	struct json_object *list = json_object_new_array();

	if (nav == NULL || list == NULL ||
	    json_object_object_add(nav, "items", list) != 0) {
		json_object_put(list);
		json_object_put(nav);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		struct json_object *o;
		if ((items[i].who == 1 && strcmp(r->user_role, "admin") != 0) ||
		    (items[i].who == 2 && strcmp(r->user_role, "admin") != 0 &&
			strcmp(r->user_role, "organiser") != 0))
			continue;
		o = json_object_new_object();
		if (o == NULL || jset_str(o, "href", items[i].href) ||
		    jset_str(o, "label", i18n_get(r->lang, items[i].key)) ||
		    jset_bool(o, "current", strcmp(r->path, items[i].href) == 0) ||
		    json_object_array_add(list, o) != 0) {
			json_object_put(o);
			json_object_put(nav);
			return NULL;
		}
	}
	return nav;
}

int page_render(struct req *r, int status, const char *name,
    const char *title, struct json_object *data)
{
	struct buf body = BUF_INIT;
	struct json_object *layout = NULL, *v;
	int admin = 0;

	r->resp.content_type = "text/html; charset=utf-8";
	if (data == NULL)
		goto fail;
	if (!json_object_object_get_ex(data, "t", NULL) &&
	    json_object_object_add(data, "t",
		json_object_get(i18n_catalog(r->lang))) != 0)
		goto fail;
	if (json_object_object_get_ex(data, "admin", &v))
		admin = json_object_get_boolean(v);
	if (tmpl_set_render(app.tmpl, name, data, &body) != 0)
		goto fail;
	layout = page_data(r);
	if (layout == NULL || jset_str(layout, "title", title) ||
	    json_object_object_add(layout, "languages", languages(r)) ||
	    jset_str(layout, "body", buf_cstr(&body)) ||
	    jset_bool(layout, "admin", admin) ||
	    jset_bool(layout, "script",
		json_object_object_get_ex(data, "script", NULL)) ||
	    (admin && json_object_object_add(layout, "nav", admin_nav(r))))
		goto fail;
	buf_reset(&r->resp.body);
	if (tmpl_set_render(app.tmpl, "layout", layout, &r->resp.body) != 0)
		goto fail;
	buf_free(&body);
	json_object_put(layout);
	json_object_put(data);
	return status;
fail:
	log_msg(r, "rendering %s failed", name);
	buf_free(&body);
	json_object_put(layout);
	json_object_put(data);
	buf_reset(&r->resp.body);
	r->resp.content_type = "text/plain; charset=utf-8";
	buf_puts(&r->resp.body, "500 Internal Server Error\n");
	return 500;
}

int page_error(struct req *r, int status)
{
	char xkey[16];

	snprintf(xkey, sizeof(xkey), "text_%d", status);
	return page_error_text(r, status, xkey);
}

int page_error_text(struct req *r, int status, const char *xkey)
{
	struct json_object *d = page_data(r);
	char tkey[16];

	snprintf(tkey, sizeof(tkey), "title_%d", status);
	if (d == NULL || jset_str(d, "heading", page_t(r, tkey)) ||
	    jset_int(d, "status", status) ||
	    (strcmp(page_t(r, xkey), xkey) != 0 &&
		jset_str(d, "text", page_t(r, xkey)))) {
		json_object_put(d);
		d = NULL;
	}
	return page_render(r, status, "error", page_t(r, tkey), d);
}

int page_fragment(const char *name, struct json_object *data, struct buf *out)
{
	return tmpl_set_render(app.tmpl, name, data, out);
}

enum qdef_lang page_def_lang(struct req *r, const struct qdef *d,
    const char *lang)
{
	int l = lang ? qdef_lang_from_name(lang) : -1;

	if (!qdef_offers(d, l))
		l = qdef_lang_from_name(r->lang);
	if (!qdef_offers(d, l))
		l = (int)d->default_language;
	r->lang = qdef_lang_name((enum qdef_lang)l);
	return (enum qdef_lang)l;
}

/* ---- attachments streamed through an export sink ---- */

int page_attachment_head(struct page_attachment *a)
{
	if (a->headed)
		return 0;
	a->headed = 1;
	return resp_header(&a->r->resp, "Content-Disposition", a->disp);
}

/* export_sink's flush: the head (200, the type and the disposition set
 * before the export began), then the bytes, through resp.stream. */
static int attachment_flush(void *ctx, const char *data, size_t len)
{
	struct page_attachment *a = ctx;

	if (page_attachment_head(a) != 0)
		return -1;
	return a->r->resp.stream(a->r->resp.stream_ctx, data, len);
}

struct export_sink page_attachment_sink(struct page_attachment *a)
{
	struct export_sink sink = {&a->r->resp.body,
	    a->r->resp.stream ? attachment_flush : NULL, a, 0};

	return sink;
}
