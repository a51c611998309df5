/* page.h: turning a handler's data into an HTML page through the templates
 * and the layout (the only way HTML is produced), and small helpers for
 * building template data. */
#ifndef ENQUETE_PAGE_H
#define ENQUETE_PAGE_H

#include <json-c/json.h>

#include "export.h"
#include "http.h"
#include "qdef.h"

/* Renders template name with data (which it steals) inside the layout:
 * adds lang, dir, t (the UI strings), the language switcher and, for
 * admin pages (data has "admin": true), the admin navigation. title is
 * the page title (plain text, escaped by the template). Returns status. */
int page_render(struct req *r, int status, const char *name,
    const char *title, struct json_object *data);
/* The UI string key in the request's language. Borrowed. */
const char *page_t(const struct req *r, const char *key);
/* A new object for template data with the common fields (lang, t); the
 * caller adds its own and passes it to page_render (which frees it). */
struct json_object *page_data(const struct req *r);
/* Appends s percent-encoded for a URL query value. */
int url_encode(struct buf *b, const char *s);
/* Renders the HTML error page for status (title_NNN / text_NNN). */
int page_error(struct req *r, int status);
/* The same page with the UI string xkey as its text (when the catalog has
 * it). Returns status, or 500 when rendering failed. */
int page_error_text(struct req *r, int status, const char *xkey);
/* Renders a non-page template (SVG fragment, CSV...) into out. 0 / -1. */
int page_fragment(const char *name, struct json_object *data, struct buf *out);

/* json helpers that never return NULL silently: on allocation failure they
 * return -1 and leave obj unchanged. */
int jset_str(struct json_object *obj, const char *key, const char *val);
/* A new object appended to arr, a new array or object stored under key in
 * o: borrowed (owned by arr or o); NULL when out of memory. */
struct json_object *jpush(struct json_object *arr);
struct json_object *jnew_arr(struct json_object *o, const char *key);
struct json_object *jnew_obj(struct json_object *o, const char *key);
int jset_int(struct json_object *obj, const char *key, long long v);
int jset_bool(struct json_object *obj, const char *key, int v);

/* The language of a page drawn from definition d: lang when d offers it
 * (lang may be NULL), else the request's (?lang=, the cookie) when d offers
 * it, else d's default. r->lang follows (the page's words and direction). */
enum qdef_lang page_def_lang(struct req *r, const struct qdef *d,
    const char *lang);

/* An attachment streamed through an export sink (export.h): its
 * Content-Disposition (disp, borrowed) goes into the head just before the
 * first bytes, or into a successful buffered response; never onto an
 * error page. */
struct page_attachment {
	struct req *r;
	const char *disp;
	int headed;
};
/* Adds the Content-Disposition once. 0 / -1. */
int page_attachment_head(struct page_attachment *a);
/* A sink writing into a->r's body, streamed (every EXPORT_CHUNK bytes)
 * when the server can. */
struct export_sink page_attachment_sink(struct page_attachment *a);

#endif
