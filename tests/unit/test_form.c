/* test_form.c: urlencoded, cookie and UTF-8 parsing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "form.h"

static void test_urlencoded(void)
{
	struct kvlist l = {0};
	const char *s = "a=1&b=hello+world&c=%C3%A9t%C3%A9&a=2&empty=&noval"
			"&bad=%zz%4&&=x&%41%42=%";

	CHECK(form_parse_urlencoded(s, strlen(s), &l) == 0);
	CHECK_INT(l.n, 9);
	CHECK_STR(kvlist_get(&l, "a"), "1");
	CHECK_INT(kvlist_count(&l, "a"), 2);
	CHECK_STR(kvlist_get(&l, "b"), "hello world");
	CHECK_STR(kvlist_get(&l, "c"), "\xC3\xA9t\xC3\xA9");
	CHECK_STR(kvlist_get(&l, "empty"), "");
	CHECK_STR(kvlist_get(&l, "noval"), "");
	CHECK_STR(kvlist_get(&l, "bad"), "%zz%4");
	CHECK_STR(kvlist_get(&l, ""), "x");
	CHECK_STR(kvlist_get(&l, "AB"), "%");
	CHECK(kvlist_get(&l, "missing") == NULL);
	kvlist_free(&l);

	/* NUL bytes survive decoding with their length */
	CHECK(form_parse_urlencoded("t=a%00b", 7, &l) == 0);
	CHECK_INT(l.v[0].value_len, 3);
	CHECK(memcmp(l.v[0].value, "a\0b", 3) == 0);
	CHECK(kvlist_get(&l, "t") == NULL); /* never read cut at the NUL */
	kvlist_free(&l);

	/* the pair limit */
	{
		size_t n = (FORM_MAX_PAIRS + 10) * 4;
		char *big = malloc(n + 1);
		size_t o = 0;
		for (int i = 0; i < FORM_MAX_PAIRS + 10; i++) {
			memcpy(big + o, "k=v&", 4);
			o += 4;
		}
		big[o] = '\0';
		CHECK(form_parse_urlencoded(big, o, &l) == 0);
		CHECK_INT(l.n, FORM_MAX_PAIRS);
		CHECK(l.truncated);
		kvlist_free(&l);
		free(big);
	}
	/* a body cut in the middle of an escape */
	CHECK(form_parse_urlencoded("x=%4", 4, &l) == 0);
	CHECK_STR(kvlist_get(&l, "x"), "%4");
	kvlist_free(&l);
}

static void test_cookies(void)
{
	struct kvlist l = {0};

	CHECK(form_parse_cookies("a=1; b = two ;c=\"q\";;=x; d; e=", &l) == 0);
	CHECK_STR(kvlist_get(&l, "a"), "1");
	CHECK_STR(kvlist_get(&l, "b"), "two");
	CHECK_STR(kvlist_get(&l, "c"), "q");
	CHECK_STR(kvlist_get(&l, "e"), "");
	CHECK(kvlist_get(&l, "d") == NULL);
	CHECK_INT(l.n, 4);
	kvlist_free(&l);
	CHECK(form_parse_cookies("", &l) == 0);
	CHECK_INT(l.n, 0);
}

static void test_utf8(void)
{
	static const struct {
		const char *s;
		int valid;
	} cases[] = {
	    {"plain", 1},
	    {"\xC3\xA9", 1},                 /* é */
	    {"\xD8\xB9\xD8\xB1\xD8\xA8", 1}, /* Arabic */
	    {"\xF0\x9F\x98\x80", 1},         /* emoji */
	    {"\xC0\xAF", 0},                 /* overlong / */
	    {"\xE0\x80\xAF", 0},             /* overlong */
	    {"\xED\xA0\x80", 0},             /* surrogate */
	    {"\xF4\x90\x80\x80", 0},         /* > U+10FFFF */
	    {"\xC3", 0},                     /* truncated */
	    {"\x80", 0},                     /* lone continuation */
	    {"\xFF", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_MSG(utf8_valid(cases[i].s, strlen(cases[i].s)) ==
			cases[i].valid, "utf8 case %zu", i);
	CHECK(!text_has_forbidden_control("a\tb\r\nc", 6));
	CHECK(text_has_forbidden_control("a\x01", 2));
	CHECK(text_has_forbidden_control("a\x7f", 2));
	CHECK(text_has_forbidden_control("a\0b", 3));
	CHECK(text_has_forbidden_control("\xC2\x85", 2)); /* NEL, C1 */
	CHECK(!text_has_forbidden_control("\xC2\xA0", 2)); /* nbsp is fine */
	CHECK_INT(utf8_length("\xD8\xB9\xD8\xB1x", 5), 3);
}

int main(void)
{
	test_urlencoded();
	test_cookies();
	test_utf8();
	return check_done("form");
}
