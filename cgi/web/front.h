/* front.h: the front controller: from a filled struct req to a response.
 * Rejects early (404/405/413/415 before any database work), checks session,
 * role and CSRF from the route's flags, runs the handler, and turns an error
 * status with no body into an error page. */
#ifndef ENQUETE_FRONT_H
#define ENQUETE_FRONT_H

#include "http.h"

/* Strict-Transport-Security max-age (one year), sent on every response
 * when ENQUETE_PUBLIC_URL is https. */
#define HSTS_MAX_AGE 31536000
/* 1 when ENQUETE_PUBLIC_URL is https: cookies are then always Secure and
 * the session cookie is __Host-enq_session, whatever the request says. */
int front_public_https(void);
/* Prepares r from its CGI parameters (method, path, query, cookies). 0, or
 * an HTTP status to answer at once. */
int front_parse(struct req *r);
/* Routes and runs the request whose body (if any) is in r->body. Always
 * leaves a complete response in r->resp. */
void front_dispatch(struct req *r);
/* Writes the status line and headers (ending with the blank line) into
 * out; the body, r->resp.body, is sent after them unless the method is
 * HEAD. */
void front_head(struct req *r, struct buf *out);

#endif
