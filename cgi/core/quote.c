/* quote.c: R and SPSS string literals built from data (quote.h). */
#include "quote.h"

#include <string.h>

long quote_utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char c = s[0];
	size_t k;
	long cp, min;

	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (k > n)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = k;
	return cp;
}

void quote_r(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), len;

	buf_putc(b, '"');
	while (n > 0) {
		long cp = quote_utf8_next(p, n, &len);

		if (cp < 0)
			cp = 0xfffd;
		p += len;
		n -= len;
		switch (cp) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			if (cp >= 0x20 && cp < 0x7f)
				buf_putc(b, (char)cp);
			else if (cp <= 0xffff)
				buf_printf(b, "\\u{%04lx}", cp);
			else
				buf_printf(b, "\\U{%08lx}", cp);
		}
	}
	buf_putc(b, '"');
}

void quote_sps(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), len, used = 0, piece = 0;

	buf_putc(b, '\'');
	while (n > 0) {
		long cp = quote_utf8_next(p, n, &len);
		size_t out = cp < 0 ? 1 : len;

		if (used + out > max)
			break;
		if (piece + out > QUOTE_SPS_PIECE) {
			buf_puts(b, "' +\n  '");
			piece = 0;
		}
		if (cp < 0)
			buf_putc(b, '?');
		else if (cp < 0x20 || cp == 0x7f)
			buf_putc(b, ' ');
		else if (cp == '\'')
			buf_puts(b, "''");
		else
			buf_append(b, p, len);
		used += out;
		piece += out;
		p += len;
		n -= len;
	}
	buf_putc(b, '\'');
}
