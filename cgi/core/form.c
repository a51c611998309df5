/* form.c: urlencoded, cookie and UTF-8 parsing (see form.h). */
#include "form.h"

#include <stdlib.h>
#include <string.h>

void kvlist_free(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
		free(l->v[i].filename);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	l->truncated = 0;
}

int kvlist_add(struct kvlist *l, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	struct kv *nv;
	char *k, *v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		nv = realloc(l->v, cap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	k = malloc(klen + 1);
	v = malloc(vlen + 1);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return -1;
	}
	memcpy(k, key, klen);
	k[klen] = '\0';
	memcpy(v, value, vlen);
	v[vlen] = '\0';
	l->v[l->n].key = k;
	l->v[l->n].value = v;
	l->v[l->n].value_len = vlen;
	l->v[l->n].filename = NULL;
	l->n++;
	return 0;
}

const char *kvlist_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			/* a value with a NUL inside cannot be read as a C string
			 * without being cut: it counts as absent */
			return strlen(l->v[i].value) == l->v[i].value_len
			    ? l->v[i].value : NULL;
	return NULL;
}

size_t kvlist_count(const struct kvlist *l, const char *key)
{
	size_t c = 0;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			c++;
	return c;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes src[0..len) into dst (at least len bytes); returns the length. */
static size_t url_decode(const char *src, size_t len, char *dst)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (src[i] == '+') {
			dst[o++] = ' ';
			i++;
		} else if (src[i] == '%' && i + 2 < len &&
		    hexval(src[i + 1]) >= 0 && hexval(src[i + 2]) >= 0) {
			dst[o++] = (char)(hexval(src[i + 1]) * 16 +
			    hexval(src[i + 2]));
			i += 3;
		} else
			dst[o++] = src[i++];
	}
	return o;
}

int form_parse_urlencoded(const char *s, size_t len, struct kvlist *out)
{
	size_t i = 0;
	char *tmp = NULL;
	int rc = -1;

	if (len == 0)
		return 0;
	tmp = malloc(len + 1);
	if (tmp == NULL)
		return -1;
	while (i < len) {
		size_t start = i, eq = (size_t)-1, klen, vlen;
		char *kd, *vd;

		while (i < len && s[i] != '&') {
			if (s[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			if (out->n >= FORM_MAX_PAIRS) {
				out->truncated = 1;
				break;
			}
			if (eq == (size_t)-1)
				eq = i;
			kd = tmp;
			klen = url_decode(s + start, eq - start, kd);
			vd = tmp + klen;
			vlen = eq < i ? url_decode(s + eq + 1, i - eq - 1, vd)
				      : 0;
			if (kvlist_add(out, kd, klen, vd, vlen) != 0)
				goto out;
		}
		i++; /* skip '&' */
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int form_parse_cookies(const char *s, struct kvlist *out)
{
	const char *p = s;

	while (p && *p) {
		const char *name, *eq, *end, *val;
		size_t nlen, vlen;

		while (*p == ' ' || *p == ';' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		name = p;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		p = end;
		if (eq == NULL)
			continue;
		nlen = (size_t)(eq - name);
		while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
			nlen--;
		val = eq + 1;
		vlen = (size_t)(end - val);
		while (vlen > 0 && (*val == ' ' || *val == '\t')) {
			val++;
			vlen--;
		}
		while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
			vlen--;
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val++;
			vlen -= 2;
		}
		if (nlen == 0)
			continue;
		if (out->n >= COOKIE_MAX_PAIRS) {
			out->truncated = 1;
			break;
		}
		if (kvlist_add(out, name, nlen, val, vlen) != 0)
			return -1;
	}
	return 0;
}

int utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		unsigned cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

int text_has_forbidden_control(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len; i++) {
		unsigned c = s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7F)
			return 1;
		/* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
		if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

size_t utf8_length(const char *str, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)str[i] & 0xC0) != 0x80)
			n++;
	return n;
}
