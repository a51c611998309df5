/* http.c: request lifetime and response helpers (see http.h). */
#include "http.h"

#include <stdlib.h>
#include <string.h>

const char http_security_headers[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\n"
    "Permissions-Policy: camera=(), microphone=(), geolocation=(), "
    "payment=(), usb=()\r\n"
    "Cross-Origin-Opener-Policy: same-origin\r\n";

const char *req_param(const struct req *r, const char *name)
{
	size_t n = strlen(name);

	if (r->envp == NULL)
		return NULL;
	for (char **e = r->envp; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

void req_init(struct req *r)
{
	memset(r, 0, sizeof(*r));
	r->instrument = -1;
	r->lang = "fr";
	buf_init(&r->resp.body);
	buf_init(&r->resp.headers);
}

void req_reset(struct req *r)
{
	struct buf body = r->resp.body, headers = r->resp.headers;

	free(r->path);
	free(r->body);
	kvlist_free(&r->query);
	kvlist_free(&r->form);
	kvlist_free(&r->cookies);
	/* keep the response buffers' storage across requests */
	buf_reset(&body);
	buf_reset(&headers);
	memset(r, 0, sizeof(*r));
	r->instrument = -1;
	r->lang = "fr";
	r->resp.body = body;
	r->resp.headers = headers;
}

static int has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

int resp_header(struct resp *rs, const char *name, const char *value)
{
	if (has_crlf(name) || has_crlf(value))
		return -1;
	return buf_printf(&rs->headers, "%s: %s\r\n", name, value);
}

int resp_cookie(struct req *r, const char *name, const char *value,
    const char *attrs)
{
	if (has_crlf(name) || has_crlf(value) || strpbrk(value, ";, ") ||
	    has_crlf(attrs))
		return -1;
	return buf_printf(&r->resp.headers, "Set-Cookie: %s=%s; %s%s\r\n",
	    name, value, attrs, r->https ? "; Secure" : "");
}

int resp_redirect(struct req *r, const char *location)
{
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    has_crlf(location))
		location = "/";
	r->resp.status = 303;
	return resp_header(&r->resp, "Location", location);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
