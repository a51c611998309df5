/* form.h: bounded parsers for what a client sends: urlencoded bodies and
 * query strings, the Cookie header, and UTF-8 / control-character checks.
 * Parsers never read past their input and keep "absent" apart from
 * "present but invalid". */
#ifndef ENQUETE_FORM_H
#define ENQUETE_FORM_H

#include <stddef.h>

#define FORM_MAX_PAIRS 2000      /* parameters in one body or query */
#define FORM_MAX_KEY 64          /* bytes in a field name */
#define COOKIE_MAX_PAIRS 32

/* One decoded name/value pair. Both strings are NUL-terminated and owned
 * by the struct kvlist they belong to. */
struct kv {
	char *key;
	char *value;
	size_t value_len;  /* may hold NUL bytes: value_len is authoritative */
	char *filename;    /* a multipart file part's file name ("" when the
			    * browser sent no file), NULL for other fields;
			    * owned like key and value */
};

struct kvlist {
	struct kv *v;
	size_t n, cap;
	int truncated; /* more pairs than the limit: the rest were dropped */
};

void kvlist_free(struct kvlist *l);
/* Appends copies of key and value; 0 or -1 on allocation failure. */
int kvlist_add(struct kvlist *l, const char *key, size_t klen,
    const char *value, size_t vlen);
/* First value of key, or NULL when absent (or when that value holds a NUL
 * byte). Borrowed from l. */
const char *kvlist_get(const struct kvlist *l, const char *key);
/* Number of pairs named key. */
size_t kvlist_count(const struct kvlist *l, const char *key);

/* Parses application/x-www-form-urlencoded (also a query string): '+' is a
 * space, %XX decoded, malformed escapes kept literally. Appends to out.
 * Returns 0, or -1 on allocation failure. Pairs past FORM_MAX_PAIRS set
 * out->truncated. */
int form_parse_urlencoded(const char *s, size_t len, struct kvlist *out);

/* Parses a Cookie header ("a=b; c=d"). Values are not decoded. */
int form_parse_cookies(const char *s, struct kvlist *out);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const char *s, size_t len);
/* 1 when s holds a control character other than TAB, CR, LF (C0, DEL, C1)
 * or a NUL byte. Assumes valid UTF-8. */
int text_has_forbidden_control(const char *s, size_t len);
/* Number of code points of valid UTF-8. */
size_t utf8_length(const char *s, size_t len);

#endif
