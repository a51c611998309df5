/* http.h: one request and its response as the handlers see them. The front
 * controller (main_fcgi.c) fills struct req from FastCGI, a handler fills
 * req->resp and returns a status, and http_send() writes it back. */
#ifndef ENQUETE_HTTP_H
#define ENQUETE_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "form.h"

#define HTTP_MAX_BODY (256 * 1024)  /* the contract: bigger bodies get 413 */
#define HTTP_MAX_HEADERS 16

enum http_method { M_GET, M_HEAD, M_POST, M_OTHER, M__MAX };

/* One declared input after validation (the table is cgi/web/keys.c). */
enum kval_state {
	KEY_ABSENT = 0, /* not sent (or not declared by the route) */
	KEY_VALID,      /* sent and valid: str / n hold the typed value */
	KEY_INVALID,    /* sent but refused by its validator */
};

struct kval {
	enum kval_state state;
	const char *raw;   /* as sent (valid or invalid), borrowed; NULL absent */
	size_t raw_len;
	const char *str;   /* KEY_VALID: the typed string (raw, the enum's
			    * value, the canonical language, the normalised
			    * code in norm); borrowed */
	long long n;       /* KEY_VALID: the integer, or the enum's index */
	char norm[16];     /* storage for a normalised value */
	const char *filename; /* KV_FILE: the file part's name; borrowed */
};

/* Room for the declared keys (keys.h checks KEY__MAX against it). */
#define REQ_MAX_KEYS 64

struct resp {
	int status;
	const char *content_type;   /* static string */
	struct buf body;
	struct buf headers;         /* extra "Name: value\r\n" lines */
	const char *cache;          /* Cache-Control; NULL = no-store */
	/* A body sent in pieces (the exports): the server sets stream for
	 * each request (NULL where the body can only be buffered); its first
	 * call sends the head (status, content type and headers as they are
	 * then, no Content-Length) and sets streamed, each call then sends
	 * len bytes: 0, or -1 when the client is gone. Once streamed, a
	 * handler that fails makes the server cut the connection, so the
	 * client sees a truncated body fail (cgi/web/main_fcgi.c). */
	int (*stream)(void *ctx, const char *data, size_t len);
	void *stream_ctx;
	int streamed;
};

/* Everything one request owns. All memory hangs off it and is released by
 * req_reset() before the next accept. */
struct req {
	/* from the server */
	char **envp;                 /* borrowed from FastCGI */
	const char *method_str;      /* borrowed from envp */
	enum http_method method;
	char *path;                  /* raw path (no query), owned */
	const char *query_string;    /* borrowed */
	struct kvlist query;         /* decoded query parameters */
	struct kvlist form;          /* decoded urlencoded body */
	struct kvlist cookies;
	char *body;                  /* owned, NUL-terminated */
	size_t body_len;
	int https;                   /* came over HTTPS (X-Forwarded-Proto/HTTPS) */
	const char *remote_addr;     /* borrowed; used only for keyed rate-limit hashes */
	char id[24];                 /* request id for logs */

	/* from the router */
	const struct route *route;
	/* the route's declared inputs, typed, indexed by enum key (keys.h);
	 * filled by the front controller before the handler */
	struct kval in[REQ_MAX_KEYS];
	char slug[65];
	int instrument;              /* 0 = pre, 1 = post, -1 = none */
	char name[64];               /* a route's {name}: [a-z0-9-]+ */

	/* chosen UI language: "fr", "en", "ar" (static) */
	const char *lang;

	/* the signed-in user, when the route needs one */
	long long user_id;
	char user_name[65];
	char user_role[16];
	char csrf[65];               /* the session's CSRF token (hex) */

	struct resp resp;
};

/* Name of a CGI parameter (e.g. "HTTP_COOKIE"), or NULL. Borrowed. */
const char *req_param(const struct req *r, const char *name);
void req_init(struct req *r);
/* Frees everything the request owns and makes it ready for reuse. */
void req_reset(struct req *r);

/* Adds a response header line; value must not contain CR/LF (checked). */
int resp_header(struct resp *rs, const char *name, const char *value);
/* Sets a cookie. attrs is a trusted literal like "Path=/; HttpOnly". */
int resp_cookie(struct req *r, const char *name, const char *value,
    const char *attrs);
/* 303 See Other to a local path (must start with '/'). */
int resp_redirect(struct req *r, const char *location);

/* Short standard reason phrase. */
const char *http_reason(int status);

/* The security headers sent with every response. */
extern const char http_security_headers[];

#endif
