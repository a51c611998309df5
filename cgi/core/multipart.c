/* multipart.c: the multipart/form-data parser (see multipart.h). */
#include "multipart.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* RFC 2046 bcharsnospace plus space (not last). */
static int bchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("'()+_,-./:=? ", c) != NULL;
}

static int tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Reads one parameter value at *p (a token or a quoted string with
 * backslash escapes) up to end into out (outlen bytes, NUL-terminated).
 * Advances *p. 0, or -1 when malformed or too long. */
static int param_value(const char **p, const char *end, char *out,
    size_t outlen, size_t *outn)
{
	const char *s = *p;
	size_t n = 0;

	if (s < end && *s == '"') {
		s++;
		for (;;) {
			if (s >= end)
				return -1; /* unterminated */
			if (*s == '"')
				break;
			if (*s == '\\') {
				s++;
				if (s >= end)
					return -1;
			}
			if (*s == '\r' || *s == '\n' || *s == '\0')
				return -1;
			if (n + 1 >= outlen)
				return -1;
			out[n++] = *s++;
		}
		s++;
	} else {
		while (s < end && tchar(*s)) {
			if (n + 1 >= outlen)
				return -1;
			out[n++] = *s++;
		}
		if (n == 0)
			return -1;
	}
	out[n] = '\0';
	*outn = n;
	*p = s;
	return 0;
}

static const char *skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

int multipart_boundary(const char *ct, char *out, size_t outlen)
{
	static const char type[] = "multipart/form-data";
	const char *s, *end;
	size_t n = sizeof(type) - 1, got = 0;
	int have = 0;

	if (ct == NULL || strncasecmp(ct, type, n) != 0 ||
	    (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ' && ct[n] != '\t'))
		return 0;
	s = ct + n;
	end = ct + strlen(ct);
	for (;;) {
		char name[32], val[MULTIPART_BOUNDARY_MAX + 2];
		size_t nn = 0, vn = 0;

		s = skip_ws(s, end);
		if (s == end)
			break;
		if (*s != ';')
			return -1;
		s = skip_ws(s + 1, end);
		while (s < end && tchar(*s) && nn + 1 < sizeof(name))
			name[nn++] = *s++;
		name[nn] = '\0';
		s = skip_ws(s, end);
		if (nn == 0 || s >= end || *s != '=')
			return -1;
		s = skip_ws(s + 1, end);
		if (param_value(&s, end, val, sizeof(val), &vn) != 0)
			return -1;
		if (strcasecmp(name, "boundary") != 0)
			continue;
		if (have || vn == 0 || vn > MULTIPART_BOUNDARY_MAX ||
		    val[vn - 1] == ' ' || vn + 1 > outlen)
			return -1;
		for (size_t i = 0; i < vn; i++)
			if (!bchar(val[i]))
				return -1;
		memcpy(out, val, vn + 1);
		got = vn;
		have = 1;
	}
	return have && got ? 1 : -1;
}

/* What one part's headers said. */
struct part_head {
	char name[FORM_MAX_KEY + 1];
	char filename[256];
	int has_name, has_filename, has_disposition;
};

/* Parses a Content-Disposition value [s, end) into h. 0 or -1 (err set). */
static int disposition(const char *s, const char *end, struct part_head *h,
    char *err, size_t errlen)
{
	static const char fd[] = "form-data";

	s = skip_ws(s, end);
	if ((size_t)(end - s) < sizeof(fd) - 1 ||
	    strncasecmp(s, fd, sizeof(fd) - 1) != 0) {
		fail(err, errlen, "a part's content-disposition is not "
		    "form-data");
		return -1;
	}
	s += sizeof(fd) - 1;
	for (;;) {
		char pname[32], val[256];
		size_t nn = 0, vn = 0;

		s = skip_ws(s, end);
		if (s == end)
			break;
		if (*s != ';') {
			fail(err, errlen, "malformed content-disposition");
			return -1;
		}
		s = skip_ws(s + 1, end);
		while (s < end && tchar(*s) && nn + 1 < sizeof(pname))
			pname[nn++] = *s++;
		pname[nn] = '\0';
		s = skip_ws(s, end);
		if (nn == 0 || s >= end || *s != '=') {
			fail(err, errlen, "malformed content-disposition");
			return -1;
		}
		s = skip_ws(s + 1, end);
		if (strcasecmp(pname, "name") == 0) {
			if (h->has_name) {
				fail(err, errlen, "a part names its field twice");
				return -1;
			}
			if (param_value(&s, end, h->name, sizeof(h->name),
				&vn) != 0) {
				fail(err, errlen, "a field name is malformed or "
				    "longer than %d bytes", FORM_MAX_KEY);
				return -1;
			}
			h->has_name = 1;
		} else if (strcasecmp(pname, "filename") == 0) {
			if (h->has_filename) {
				fail(err, errlen, "a part names its file twice");
				return -1;
			}
			if (s < end && *s == '"' && s + 1 < end && s[1] == '"') {
				/* no file chosen: an empty file name */
				h->filename[0] = '\0';
				s += 2;
			} else if (param_value(&s, end, h->filename,
				       sizeof(h->filename), &vn) != 0) {
				fail(err, errlen, "a file name is malformed or "
				    "longer than %zu bytes",
				    sizeof(h->filename) - 1);
				return -1;
			}
			h->has_filename = 1;
		} else if (param_value(&s, end, val, sizeof(val), &vn) != 0) {
			fail(err, errlen, "malformed content-disposition");
			return -1;
		}
	}
	h->has_disposition = 1;
	return 0;
}

/* Finds needle in [s, s + n): a pointer to it or NULL. */
static const char *find(const char *s, size_t n, const char *needle,
    size_t nlen)
{
	const char *end = s + n, *c = s;

	while (nlen && (size_t)(end - c) >= nlen &&
	    (c = memchr(c, needle[0], (size_t)(end - c) - nlen + 1)) != NULL) {
		if (memcmp(c, needle, nlen) == 0)
			return c;
		c++;
	}
	return NULL;
}

enum multipart_rc form_parse_multipart(const char *body, size_t len,
    const char *boundary, struct kvlist *out, char *err, size_t errlen)
{
	char delim[MULTIPART_BOUNDARY_MAX + 5]; /* CRLF "--" boundary */
	size_t blen = boundary ? strlen(boundary) : 0, dlen;
	const char *p, *end = body + len, *first;

	if (errlen)
		err[0] = '\0';
	if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX) {
		fail(err, errlen, "the multipart boundary is missing or too "
		    "long");
		return MULTIPART_MALFORMED;
	}
	snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	dlen = blen + 4;
	/* the first delimiter opens the body or follows a CRLF (the
	 * preamble before it is ignored) */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		first = body;
	else {
		first = body ? find(body, len, delim, dlen) : NULL;
		if (first == NULL) {
			fail(err, errlen, "the body holds no multipart "
			    "boundary");
			return MULTIPART_MALFORMED;
		}
		first += 2;
	}
	p = first + dlen - 2;
	for (;;) {
		struct part_head h;
		const char *content, *next;
		int nheaders = 0;
		struct kv *kv;

		/* after a delimiter: "--" closes, else padding and CRLF */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return MULTIPART_OK; /* the epilogue is ignored */
		p = skip_ws(p, end);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			fail(err, errlen, "a boundary line does not end with "
			    "CRLF");
			return MULTIPART_MALFORMED;
		}
		p += 2;
		memset(&h, 0, sizeof(h));
		/* the part's header lines, up to an empty line */
		for (;;) {
			const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
			const char *colon;

			if (eol == NULL) {
				fail(err, errlen, "a part's headers do not end "
				    "(no empty line)");
				return MULTIPART_MALFORMED;
			}
			if (eol == p) {
				p += 2;
				break;
			}
			if (eol - p > MULTIPART_HEADER_MAX ||
			    ++nheaders > MULTIPART_HEADERS_MAX) {
				fail(err, errlen, "a part's headers are too long "
				    "or too many");
				return MULTIPART_MALFORMED;
			}
			if (*p == ' ' || *p == '\t') {
				fail(err, errlen, "folded part headers are not "
				    "accepted");
				return MULTIPART_MALFORMED;
			}
			if (memchr(p, '\0', (size_t)(eol - p)) != NULL ||
			    memchr(p, '\n', (size_t)(eol - p)) != NULL) {
				fail(err, errlen, "a part header holds a control "
				    "character");
				return MULTIPART_MALFORMED;
			}
			colon = memchr(p, ':', (size_t)(eol - p));
			if (colon == NULL || colon == p) {
				fail(err, errlen, "a part header has no name");
				return MULTIPART_MALFORMED;
			}
			for (const char *c = p; c < colon; c++)
				if (!tchar(*c)) {
					fail(err, errlen, "a part header has an "
					    "invalid name");
					return MULTIPART_MALFORMED;
				}
			if ((size_t)(colon - p) == 19 &&
			    strncasecmp(p, "content-disposition", 19) == 0) {
				if (h.has_disposition) {
					fail(err, errlen, "a part has two "
					    "content-dispositions");
					return MULTIPART_MALFORMED;
				}
				if (disposition(colon + 1, eol, &h, err,
					errlen) != 0)
					return MULTIPART_MALFORMED;
			}
			p = eol + 2;
		}
		if (!h.has_disposition || !h.has_name) {
			fail(err, errlen, "a part has no content-disposition "
			    "with a field name");
			return MULTIPART_MALFORMED;
		}
		/* the content runs to the next CRLF-delimiter */
		content = p;
		next = find(content, (size_t)(end - content), delim, dlen);
		if (next == NULL) {
			fail(err, errlen, "the body ends before its closing "
			    "boundary");
			return MULTIPART_MALFORMED;
		}
		if (out->n >= FORM_MAX_PAIRS)
			out->truncated = 1;
		else {
			if (kvlist_add(out, h.name, strlen(h.name), content,
				(size_t)(next - content)) != 0)
				return MULTIPART_NOMEM;
			kv = &out->v[out->n - 1];
			if (h.has_filename &&
			    (kv->filename = strdup(h.filename)) == NULL)
				return MULTIPART_NOMEM;
		}
		p = next + dlen;
	}
}
