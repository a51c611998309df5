/* routes.h: the one route table (method + path pattern -> handler) and the
 * matcher. The router alone answers 404, and 405 with an Allow header. */
#ifndef ENQUETE_ROUTES_H
#define ENQUETE_ROUTES_H

#include <stddef.h>

#include "http.h"

/* A handler fills r->resp and returns the HTTP status; an error status with
 * an empty body is turned into an error page by the front controller. */
typedef int (*handler_fn)(struct req *r);

enum route_flag {
	RF_SESSION = 1 << 0,  /* needs a signed-in user (303 to login) */
	RF_CSRF = 1 << 1,     /* state-changing: the _csrf field must match */
	RF_ADMIN = 1 << 2,    /* needs role admin (403 otherwise) */
	RF_API = 1 << 3,      /* JSON errors; session or bearer (401) */
	RF_BODY = 1 << 4,     /* reads an urlencoded body */
	RF_MANAGE = 1 << 5,   /* manages an event: admin or organiser (403
			       * otherwise) */
};
/* Scope (DESIGN.md "Roles and what each may see"): every route with
 * RF_SESSION whose path has a {slug}, or that declares KEY_EVENTS, answers
 * 404 when the user may not see that event (front.c, before any other
 * check of the route's flags: existence is not revealed). */

struct route {
	enum http_method method;
	const char *pattern;  /* literal segments, {slug}, {inst} */
	handler_fn handler;
	unsigned flags;
	/* the declared inputs it accepts (KEY_BIT(KEY_...) of keys.h; the
	 * KEYS_GLOBAL ones are read for every route), and the dynamic
	 * families (enum key_family) */
	unsigned long long keys;
	unsigned families;
};

extern const struct route routes[];
extern const size_t routes_len;

/* Matches r->method and r->path against tbl. On a match fills r->slug and
 * r->instrument and returns the route. Otherwise returns NULL with *status
 * 404, or 405 and the allowed methods written to allow ("GET, HEAD"). HEAD
 * matches GET routes. */
const struct route *route_find(const struct route *tbl, size_t n,
    struct req *r, int *status, char *allow, size_t allowlen);

#endif
