/* xmltext.c: text that an XML 1.0 document can hold (xmltext.h). */
#include "xmltext.h"

/* The length of the valid UTF-8 sequence at s (at most n bytes) that XML
 * allows, 0 when it is invalid or forbidden. */
static size_t xml_char(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF, U+FFFE/U+FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

size_t xml_text_clean(char *s, size_t n)
{
	size_t r = 0, w = 0;

	while (r < n) {
		size_t len = xml_char((const unsigned char *)s + r, n - r);
		if (len == 0) {
			r++;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			s[w++] = s[r + i];
		r += len;
	}
	return w;
}
