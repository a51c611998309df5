/* front.c: the front controller (see front.h). */
#include "front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
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
	proto = req_param(r, "HTTP_X_FORWARDED_PROTO");
	r->https = (proto && strcmp(proto, "https") == 0) ||
	    (req_param(r, "HTTPS") && strcmp(req_param(r, "HTTPS"), "on") == 0);
	r->remote_addr = req_param(r, "REMOTE_ADDR");
	return 0;
}

/* The plain error body used when a handler leaves none. */
static void error_body(struct req *r, int status)
{
	if (r->route && (r->route->flags & RF_API)) {
		r->resp.content_type = "application/json";
		buf_printf(&r->resp.body, "{\"error\": \"%s\"}",
		    http_reason(status));
		return;
	}
	r->resp.content_type = "text/plain; charset=utf-8";
	buf_printf(&r->resp.body, "%d %s\n", status, http_reason(status));
}

void front_dispatch(struct req *r)
{
	char allow[64] = "";
	const struct route *rt;
	int status = 0;

	rt = route_find(routes, routes_len, r, &status, allow, sizeof(allow));
	if (rt == NULL) {
		if (status == 405)
			resp_header(&r->resp, "Allow", allow);
		goto done;
	}
	status = rt->handler(r);
done:
	if (status < 100 || status > 599) {
		log_msg(r, "handler returned invalid status %d", status);
		status = 500;
	}
	r->resp.status = status;
	if (status >= 400 && r->resp.body.len == 0) {
		buf_reset(&r->resp.headers);
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

void front_serialize(struct req *r, struct buf *out)
{
	struct resp *rs = &r->resp;

	buf_printf(out, "Status: %d %s\r\n", rs->status,
	    http_reason(rs->status));
	buf_printf(out, "Content-Type: %s\r\n",
	    rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	buf_printf(out, "Cache-Control: %s\r\n",
	    rs->cache ? rs->cache : "no-store");
	buf_puts(out, http_security_headers);
	buf_append(out, rs->headers.data ? rs->headers.data : "",
	    rs->headers.len);
	buf_printf(out, "Content-Length: %zu\r\n\r\n", rs->body.len);
	if (r->method != M_HEAD && rs->body.len)
		buf_append(out, rs->body.data, rs->body.len);
}
