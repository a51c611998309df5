/* multipart.h: multipart/form-data bodies (RFC 7578 over RFC 2046's
 * multipart syntax), the console's uploads: bounded, never reading past
 * the input, refusing anything malformed with a short message that says
 * what is wrong. Fields land in the same struct kvlist as urlencoded ones;
 * a file part also carries its file name (struct kv .filename). */
#ifndef ENQUETE_MULTIPART_H
#define ENQUETE_MULTIPART_H

#include <stddef.h>

#include "form.h"

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046: 1..70 characters */
#define MULTIPART_HEADER_MAX 1024 /* bytes of one part header line */
#define MULTIPART_HEADERS_MAX 8	  /* header lines of one part */

enum multipart_rc {
	MULTIPART_OK = 0,
	MULTIPART_MALFORMED = -1, /* err says what */
	MULTIPART_NOMEM = -2,
};

/* The boundary parameter of a Content-Type header that names
 * multipart/form-data (the type and parameter names case-insensitive, the
 * value a token or a quoted string). Copies it into out (at least
 * MULTIPART_BOUNDARY_MAX + 1 bytes). 1 when ct is multipart/form-data
 * with a valid boundary, 0 when ct is another type, -1 when it is
 * multipart/form-data without a usable boundary. */
int multipart_boundary(const char *ct, char *out, size_t outlen);

/* Parses body[0..len) delimited by boundary into out (appended). Parts
 * need a Content-Disposition: form-data with a name (at most
 * FORM_MAX_KEY bytes); a filename parameter makes a file part. Parts past
 * FORM_MAX_PAIRS set out->truncated. MULTIPART_OK; MALFORMED with a
 * message in err (errlen bytes, lower-case, no trailing period); NOMEM.
 * On failure out may hold the parts read before the error (the caller
 * frees it with kvlist_free as usual). */
enum multipart_rc form_parse_multipart(const char *body, size_t len,
    const char *boundary, struct kvlist *out, char *err, size_t errlen);

#endif
