/* test_multipart.c: multipart/form-data bodies (cgi/core/multipart.c):
 * the boundary of a Content-Type, fields and file parts, and every kind of
 * malformed body refused with a message. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "multipart.h"

static void test_boundary(void)
{
	char b[MULTIPART_BOUNDARY_MAX + 1];
	static const struct {
		const char *ct;
		int rc;
		const char *b;
	} cases[] = {
	    {"multipart/form-data; boundary=abc", 1, "abc"},
	    {"Multipart/Form-Data;BOUNDARY=\"a b'c\"", 1, "a b'c"},
	    {"multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundaryx7", 1,
		"----WebKitFormBoundaryx7"},
	    {"application/x-www-form-urlencoded", 0, NULL},
	    {"multipart/form-dataX; boundary=a", 0, NULL},
	    {"multipart/form-data", -1, NULL},
	    {"multipart/form-data; boundary=", -1, NULL},
	    {"multipart/form-data; boundary=\"\"", -1, NULL},
	    {"multipart/form-data; boundary=\"abc", -1, NULL},
	    {"multipart/form-data; boundary=\"ends with space \"", -1, NULL},
	    {"multipart/form-data; boundary=a; boundary=b", -1, NULL},
	    {"multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789012345678901",
		-1, NULL},
	    {"multipart/form-data; boundary=\"a\\\"b\"", -1, NULL}, /* " is no bchar */
	    {"multipart/form-data; junk", -1, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = multipart_boundary(cases[i].ct, b, sizeof(b));
		CHECK_MSG(rc == cases[i].rc, "boundary case %zu: %d", i, rc);
		if (rc == 1 && cases[i].b)
			CHECK_STR(b, cases[i].b);
	}
}

#define CRLF "\r\n"

static void test_parse(void)
{
	struct kvlist l = {0};
	char err[128];
	const char body[] =
	    "preamble ignored" CRLF
	    "--XyZ" CRLF
	    "Content-Disposition: form-data; name=\"slug\"" CRLF CRLF
	    "tunis-2026" CRLF
	    "--XyZ  " CRLF /* transport padding */
	    "content-disposition: form-data; name=title_ar" CRLF
	    "Content-Type: text/plain; charset=utf-8" CRLF CRLF
	    "\xD9\x88\xD8\xB1\xD8\xB4\xD8\xA9" CRLF
	    "--XyZ" CRLF
	    "Content-Disposition: form-data; name=\"definition\"; "
	    "filename=\"d \\\"1\\\".xlsx\"" CRLF
	    "Content-Type: application/octet-stream" CRLF CRLF
	    "PK\x03\x04\0\0--XyZ\r--XyZ\n\r\n-" CRLF
	    "--XyZ" CRLF
	    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"" CRLF
	    CRLF CRLF
	    "--XyZ--" CRLF "epilogue --XyZ garbage";

	CHECK(form_parse_multipart(body, sizeof(body) - 1, "XyZ", &l, err,
	    sizeof(err)) == MULTIPART_OK);
	CHECK_INT(l.n, 4);
	CHECK_STR(kvlist_get(&l, "slug"), "tunis-2026");
	CHECK(l.v[0].filename == NULL);
	CHECK_STR(kvlist_get(&l, "title_ar"), "\xD9\x88\xD8\xB1\xD8\xB4\xD8\xA9");
	CHECK_STR(l.v[2].key, "definition");
	CHECK_STR(l.v[2].filename, "d \"1\".xlsx");
	CHECK_INT(l.v[2].value_len, 21);
	CHECK(memcmp(l.v[2].value, "PK\x03\x04\0\0--XyZ\r--XyZ\n\r\n-", 21) == 0);
	CHECK_STR(l.v[3].filename, "");
	CHECK_INT(l.v[3].value_len, 0);
	kvlist_free(&l);

	/* the first delimiter may open the body; an empty form */
	CHECK(form_parse_multipart("--b--", 5, "b", &l, err, sizeof(err)) ==
	    MULTIPART_OK);
	CHECK_INT(l.n, 0);
	kvlist_free(&l);
}

static void test_malformed(void)
{
	static const struct {
		const char *body, *why;
	} cases[] = {
	    {"", "no multipart boundary"},
	    {"no delimiter at all", "no multipart boundary"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "x",
		"closing boundary"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "x"
		CRLF "--b", "does not end with CRLF"},
	    {"--bX" CRLF, "does not end with CRLF"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a" CRLF,
		"headers do not end"},
	    {"--b" CRLF CRLF "x" CRLF "--b--", "no content-disposition"},
	    {"--b" CRLF "Content-Disposition: attachment; name=a" CRLF CRLF
		"x" CRLF "--b--", "not form-data"},
	    {"--b" CRLF "Content-Disposition: form-data; filename=a" CRLF CRLF
		"x" CRLF "--b--", "no content-disposition with a field name"},
	    {"--b" CRLF "Content-Disposition: form-data; name=\"a" CRLF CRLF
		"x" CRLF "--b--", "field name is malformed"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a; name=b" CRLF
		CRLF "x" CRLF "--b--", "twice"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a" CRLF
		"Content-Disposition: form-data; name=b" CRLF CRLF "x" CRLF
		"--b--", "two content-dispositions"},
	    {"--b" CRLF "no colon here" CRLF CRLF "x" CRLF "--b--", "no name"},
	    {"--b" CRLF "Content-Disposition: form-data;" CRLF
		" name=a" CRLF CRLF "x" CRLF "--b--", "malformed"},
	    {"--b" CRLF "Content-Disposition: form-data; name=a" CRLF
		"X-A: 1" CRLF "X-B: 1" CRLF "X-C: 1" CRLF "X-D: 1" CRLF
		"X-E: 1" CRLF "X-F: 1" CRLF "X-G: 1" CRLF "X-H: 1" CRLF CRLF
		"x" CRLF "--b--", "too many"},
	    {"--b" CRLF "Content-Disposition: form-data; name="
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		CRLF CRLF "x" CRLF "--b--", "longer than 64"},
	};
	char err[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kvlist l = {0};
		int rc = form_parse_multipart(cases[i].body,
		    strlen(cases[i].body), "b", &l, err, sizeof(err));
		CHECK_MSG(rc == MULTIPART_MALFORMED && strstr(err, cases[i].why),
		    "malformed case %zu: rc %d, \"%s\"", i, rc, err);
		kvlist_free(&l);
	}
	/* a NUL byte in a header line */
	{
		const char b[] = "--b" CRLF "Content-Disposition: form-data; "
				 "name=a\0b" CRLF CRLF "x" CRLF "--b--";
		struct kvlist l = {0};
		CHECK(form_parse_multipart(b, sizeof(b) - 1, "b", &l, err,
		    sizeof(err)) == MULTIPART_MALFORMED);
		kvlist_free(&l);
	}
	/* a header line over the limit */
	{
		size_t n = MULTIPART_HEADER_MAX + 64;
		char *b = malloc(n + 64);
		struct kvlist l = {0};
		size_t o = 0;
		memcpy(b, "--b" CRLF "X-Long: ", 13);
		o = 13;
		memset(b + o, 'a', n);
		o += n;
		memcpy(b + o, CRLF CRLF "x" CRLF "--b--", 13);
		o += 13;
		CHECK(form_parse_multipart(b, o, "b", &l, err, sizeof(err)) ==
		    MULTIPART_MALFORMED && strstr(err, "too long"));
		kvlist_free(&l);
		free(b);
	}
	/* no boundary given */
	{
		struct kvlist l = {0};
		CHECK(form_parse_multipart("--b--", 5, "", &l, err,
		    sizeof(err)) == MULTIPART_MALFORMED);
	}
}

/* More parts than FORM_MAX_PAIRS: the rest are dropped and counted. */
static void test_limit(void)
{
	const char part[] = "--b" CRLF "Content-Disposition: form-data; name=k"
			    CRLF CRLF "v" CRLF;
	size_t n = FORM_MAX_PAIRS + 5, plen = sizeof(part) - 1;
	char *b = malloc(n * plen + 8), err[128];
	struct kvlist l = {0};

	for (size_t i = 0; i < n; i++)
		memcpy(b + i * plen, part, plen);
	memcpy(b + n * plen, "--b--", 5);
	CHECK(form_parse_multipart(b, n * plen + 5, "b", &l, err, sizeof(err)) ==
	    MULTIPART_OK);
	CHECK_INT(l.n, FORM_MAX_PAIRS);
	CHECK(l.truncated);
	kvlist_free(&l);
	free(b);
}

int main(void)
{
	test_boundary();
	test_parse();
	test_malformed();
	test_limit();
	return check_done("multipart");
}
