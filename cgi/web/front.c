/* front.c: the front controller (see front.h). */
#include "front.h"

#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "multipart.h"
#include "page.h"
#include "routes.h"

#define MAX_PATH 2048
#define MAX_COOKIE_HEADER 8192

static enum http_method method_of(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

int front_public_https(void)
{
	return app.public_url && strncmp(app.public_url, "https://", 8) == 0;
}

int front_parse(struct req *r)
{
	const char *uri = req_param(r, "REQUEST_URI");
	const char *q, *cookie, *proto;
	size_t plen;

	r->method_str = req_param(r, "REQUEST_METHOD");
	r->method = method_of(r->method_str);
	if (uri == NULL || uri[0] != '/')
		uri = "/";
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	if (plen > MAX_PATH)
		plen = MAX_PATH;
	r->path = strndup(uri, plen);
	if (r->path == NULL)
		return 500;
	r->query_string = req_param(r, "QUERY_STRING");
	if (r->query_string && strlen(r->query_string) <= 16384 &&
	    form_parse_urlencoded(r->query_string, strlen(r->query_string),
		&r->query) != 0)
		return 500;
	cookie = req_param(r, "HTTP_COOKIE");
	if (cookie && strlen(cookie) <= MAX_COOKIE_HEADER &&
	    form_parse_cookies(cookie, &r->cookies) != 0)
		return 500;
	/* HTTPS: when the public URL is https, always (behind a TLS proxy,
	 * nothing the client sends decides it); else when our nginx saw it
	 * (it sets X-Forwarded-Proto and HTTPS itself, overriding the
	 * client's). */
	proto = req_param(r, "HTTP_X_FORWARDED_PROTO");
	r->https = front_public_https() ||
	    (proto && strcmp(proto, "https") == 0) ||
	    (req_param(r, "HTTPS") && strcmp(req_param(r, "HTTPS"), "on") == 0);
	r->remote_addr = req_param(r, "REMOTE_ADDR");
	/* the language is read for every path, even one no route matches */
	keys_parse(r, KEYS_GLOBAL);
	r->lang = i18n_negotiate(r->in[KEY_LANG].str,
	    r->in[KEY_LANG_COOKIE].str, req_param(r, "HTTP_ACCEPT_LANGUAGE"));
	return 0;
}

/* A malformed multipart body: 400 with the parser's reason on the page
 * (what was wrong with the upload, in the parser's words). */
static int multipart_refused(struct req *r, const char *why)
{
	struct json_object *d = page_data(r);
	struct buf text = BUF_INIT;
	int st;

	log_msg(r, "multipart body refused: %s", why);
	buf_printf(&text, "%s (%s)", page_t(r, "console_multipart_bad"), why);
	if (d == NULL || text.oom ||
	    jset_str(d, "heading", page_t(r, "title_400")) ||
	    jset_str(d, "text", buf_cstr(&text))) {
		json_object_put(d);
		buf_free(&text);
		return 400;
	}
	buf_free(&text);
	st = page_render(r, 400, "error", page_t(r, "title_400"), d);
	return st == 400 ? 400 : st;
}

/* Parses a multipart/form-data body into r->form like an urlencoded one
 * (file parts keep their file name). 0; 400 (malformed: the page says
 * why); 413 (too many fields); 500. */
static int parse_multipart(struct req *r, const char *ct)
{
	char b[MULTIPART_BOUNDARY_MAX + 1], err[160];
	int rc = multipart_boundary(ct, b, sizeof(b));

	if (rc < 0)
		return multipart_refused(r, "the content type has no valid "
		    "boundary");
	rc = form_parse_multipart(r->body, r->body_len, b, &r->form, err,
	    sizeof(err));
	if (rc == MULTIPART_NOMEM)
		return 500;
	if (rc != MULTIPART_OK) {
		kvlist_free(&r->form);
		return multipart_refused(r, err);
	}
	return r->form.truncated ? 413 : 0;
}

/* Parses an urlencoded or multipart body. 0, or 400 (a malformed
 * multipart body) / 413 (too many fields) / 415. */
static int parse_body(struct req *r)
{
	const char *ct = req_param(r, "CONTENT_TYPE");
	size_t n = strlen("application/x-www-form-urlencoded");

	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
		return parse_multipart(r, ct);
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
			      n) != 0 || (ct[n] != '\0' && ct[n] != ';'))
		return r->body_len ? 415 : 0;
	if (form_parse_urlencoded(r->body, r->body_len, &r->form) != 0)
		return 500;
	return r->form.truncated ? 413 : 0;
}

/* Authentication and authorisation from the route's flags. */
static int check_access(struct req *r, const struct route *rt)
{
	struct buf next = BUF_INIT, loc = BUF_INIT;
	int st;

	if (!(rt->flags & RF_SESSION))
		return 0;
	st = auth_identify(r, (rt->flags & RF_API) != 0);
	if (st == 401 && !(rt->flags & RF_API)) {
		/* back here after signing in */
		buf_puts(&next, r->path);
		if (r->query_string && *r->query_string && r->method != M_POST)
			buf_printf(&next, "?%s", r->query_string);
		buf_puts(&loc, "/admin/login?next=");
		url_encode(&loc, buf_cstr(&next));
		resp_redirect(r, buf_cstr(&loc));
		buf_free(&next);
		buf_free(&loc);
		return 303;
	}
	if (st == 401)
		resp_header(&r->resp, "WWW-Authenticate",
		    "Bearer realm=\"enquete\"");
	if (st != 0)
		return st;
	/* an event outside the user's scope: 404 before anything else */
	if (r->slug[0] && (st = auth_event_visible(r, r->slug)) != 0)
		return st;
	if ((rt->flags & RF_ADMIN) && strcmp(r->user_role, "admin") != 0)
		return 403;
	if ((rt->flags & RF_MANAGE) && !auth_can_manage(r))
		return 403;
	return 0;
}

/* The events a route names in its ?events= list (KEY_EVENTS): each
 * outside the user's scope answers 404, as a {slug} does. 0, 404, 503. */
static int check_events_scope(struct req *r, const struct route *rt)
{
	const struct kval *ev = &r->in[KEY_EVENTS];
	char slug[65];

	if (!(rt->flags & RF_SESSION) || !(rt->keys & KEY_BIT(KEY_EVENTS)) ||
	    ev->state != KEY_VALID)
		return 0;
	for (const char *p = ev->str; *p;) {
		size_t n = strcspn(p, ",");
		int st;

		if (n > 0 && n < sizeof(slug)) {
			memcpy(slug, p, n);
			slug[n] = '\0';
			if ((st = auth_event_visible(r, slug)) != 0)
				return st;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* 1 when this request could not reach the analytics database and that is
 * a separate one (a read replica): its 503 then says that only the
 * analysis is unavailable, not the questionnaires. */
static int analytics_down(void)
{
	return db_down(&app.adb) && app.adb.conninfo && app.db.conninfo &&
	    strcmp(app.adb.conninfo, app.db.conninfo) != 0;
}

/* The error body used when a handler leaves none: JSON for the API, an
 * HTML page otherwise (plain text if even that fails). */
static void error_body(struct req *r, int status)
{
	int replica = status == 503 && analytics_down();

	if (replica)
		resp_header(&r->resp, "Retry-After", "30");
	if ((r->route && (r->route->flags & RF_API)) ||
	    strncmp(r->path, "/api/", 5) == 0) {
		r->resp.content_type = "application/json";
		buf_printf(&r->resp.body, "{\"error\": \"%s\"}",
		    replica ? "the analytics database (read replica) is "
			      "unreachable; the questionnaires keep working" :
			      http_reason(status));
		return;
	}
	if (replica) {
		if (page_error_text(r, status, "text_analytics_down") == status)
			return;
		buf_reset(&r->resp.body);
	}
	if (status == 303 || page_error(r, status) != status) {
		buf_reset(&r->resp.body);
		r->resp.content_type = "text/plain; charset=utf-8";
		buf_printf(&r->resp.body, "%d %s\n", status,
		    http_reason(status));
	}
}

void front_dispatch(struct req *r)
{
	char allow[64] = "";
	const struct route *rt;
	int status = 0;

	/* whether the analytics database failed is told per request */
	db_down_clear(&app.adb);
	rt = route_find(routes, routes_len, r, &status, allow, sizeof(allow));
	if (rt == NULL)
		goto done; /* 404, or 405 whose Allow header is added below */
	status = check_access(r, rt);
	if (status == 0 && r->method == M_POST)
		status = parse_body(r);
	/* the route's declared inputs, typed, once, before the handler */
	if (status == 0)
		keys_parse(r, rt->keys);
	if (status == 0)
		status = check_events_scope(r, rt);
	if (status == 0 && (rt->flags & RF_CSRF) && !auth_csrf_ok(r))
		status = 403;
	if (status == 0)
		status = rt->handler(r);
	/* remember an explicit language choice */
	if (r->in[KEY_LANG].state == KEY_VALID)
		resp_cookie(r, "lang", r->lang,
		    "Path=/; SameSite=Lax; Max-Age=31536000");
done:
	if (status < 100 || status > 599) {
		log_msg(r, "handler returned invalid status %d", status);
		status = 500;
	}
	r->resp.status = status;
	if (status >= 400 && r->resp.body.len == 0) {
		if (status == 405)
			resp_header(&r->resp, "Allow", allow);
		error_body(r, status);
	}
	if (r->resp.body.oom || r->resp.headers.oom) {
		log_msg(r, "out of memory building the response");
		buf_reset(&r->resp.body);
		buf_reset(&r->resp.headers);
		r->resp.status = 500;
		error_body(r, 500);
	}
	if (status >= 500)
		log_msg(r, "answered %d", status);
}

void front_head(struct req *r, struct buf *out)
{
	struct resp *rs = &r->resp;

	buf_printf(out, "Status: %d %s\r\n", rs->status,
	    http_reason(rs->status));
	buf_printf(out, "Content-Type: %s\r\n",
	    rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	buf_printf(out, "Cache-Control: %s\r\n",
	    rs->cache ? rs->cache : "no-store");
	buf_puts(out, http_security_headers);
	if (front_public_https())
		buf_printf(out, "Strict-Transport-Security: max-age=%d\r\n",
		    HSTS_MAX_AGE);
	buf_append(out, rs->headers.data ? rs->headers.data : "",
	    rs->headers.len);
	if (rs->streamed) /* the length is not known yet */
		buf_puts(out, "\r\n");
	else
		buf_printf(out, "Content-Length: %zu\r\n\r\n", rs->body.len);
}
