/* test_regress_fuzz.c: the edge cases of every fuzzed parser (tests/fuzz/),
 * one table per parser, each input run through the same function as its
 * libFuzzer target. A crash found by fuzzing gets its minimized input here
 * first, so that it fails before the fix. Runs with the repository root as
 * cwd (the answer cases read the bundled definition). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "answer.h"
#include "buf.h"
#include "check.h"
#include "form.h"
#include "i18n.h"
#include "qdef.h"
#include "routes.h"
#include "tmpl.h"
#include "token.h"

#define BUNDLED "schema/questionnaires/imanor-2017.json"
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- urlencoded bodies ---- */

struct form_case {
	const char *in;
	size_t len;        /* bytes of in to parse */
	size_t n;          /* pairs expected */
	const char *key0;  /* first pair, when n > 0 */
	const char *val0;
	size_t val0_len;
};

static void test_form(void)
{
	static const struct form_case cases[] = {
	    {"", 0, 0, NULL, NULL, 0},
	    {"&&&", 3, 0, NULL, NULL, 0},
	    {"=", 1, 1, "", "", 0},
	    {"%", 1, 1, "%", "", 0},
	    {"a=%", 3, 1, "a", "%", 1},
	    {"a=%4", 4, 1, "a", "%4", 2},
	    {"a=%41", 5, 1, "a", "A", 1},
	    {"a=%4G", 5, 1, "a", "%4G", 3},
	    {"%41%42=%43+", 11, 1, "AB", "C ", 2},
	    {"a=b=c", 5, 1, "a", "b=c", 3},
	    {"a=%00b", 6, 1, "a", "\0b", 2},
	    /* never reads past len: the % escape is cut by the length */
	    {"a=%41", 4, 1, "a", "%4", 2},
	    {"a=1&b=2", 3, 1, "a", "1", 1},
	    {"&a&", 3, 1, "a", "", 0},
	};
	struct kvlist l = {NULL, 0, 0, 0};
	struct buf big = BUF_INIT;
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		const struct form_case *c = &cases[i];
		/* an exact-size copy, so that a sanitizer build sees overreads */
		char *s = malloc(c->len ? c->len : 1);

		memcpy(s, c->in, c->len);
		CHECK_INT(form_parse_urlencoded(s, c->len, &l), 0);
		CHECK_MSG(l.n == c->n, "form case %zu: %zu pairs, want %zu", i,
		    l.n, c->n);
		if (c->n && l.n) {
			CHECK_STR(l.v[0].key, c->key0);
			CHECK_MSG(l.v[0].value_len == c->val0_len &&
				memcmp(l.v[0].value, c->val0, c->val0_len) == 0,
			    "form case %zu: value", i);
			CHECK(l.v[0].value[l.v[0].value_len] == '\0');
		}
		kvlist_free(&l);
		free(s);
	}
	/* more pairs than the limit: the rest dropped, flagged */
	for (i = 0; i < FORM_MAX_PAIRS + 5; i++)
		buf_puts(&big, "k=v&");
	CHECK_INT(form_parse_urlencoded(big.data, big.len, &l), 0);
	CHECK_INT(l.n, FORM_MAX_PAIRS);
	CHECK(l.truncated);
	kvlist_free(&l);
	buf_free(&big);

	/* UTF-8 checks at the ends of the buffer */
	CHECK(!utf8_valid("\xC3", 1));
	CHECK(!utf8_valid("\xE2\x82", 2));
	CHECK(!utf8_valid("\xF4\x90\x80\x80", 4));
	CHECK(!utf8_valid("\xED\xA0\x80", 3));
	CHECK(!utf8_valid("\xC0\x80", 2));
	CHECK(utf8_valid("\xF4\x8F\xBF\xBF", 4));
	CHECK(text_has_forbidden_control("a\xC2\x85", 3));
	CHECK(!text_has_forbidden_control("\xC2", 1));
	CHECK_INT(utf8_length("\xC3\xA9\xE2\x82\xAC", 5), 2);
}

/* ---- Cookie header ---- */

struct cookie_case {
	const char *in;
	size_t n;
	const char *key0, *val0;
};

static void test_cookies(void)
{
	static const struct cookie_case cases[] = {
	    {"", 0, NULL, NULL},
	    {";;; ;\t", 0, NULL, NULL},
	    {"a", 0, NULL, NULL},
	    {"=x", 0, NULL, NULL},
	    {" =x; b=1", 1, "b", "1"},
	    {"a=\"", 1, "a", "\""},
	    {"a=\"\"", 1, "a", ""},
	    {"a=\"x", 1, "a", "\"x"},
	    {" a = 1 ;b=2", 2, "a", "1"},
	    {"a=;", 1, "a", ""},
	    {"a=b=c", 1, "a", "b=c"},
	};
	struct kvlist l = {NULL, 0, 0, 0};
	struct buf many = BUF_INIT;
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		const struct cookie_case *c = &cases[i];
		char *s = strdup(c->in);

		CHECK_INT(form_parse_cookies(s, &l), 0);
		CHECK_MSG(l.n == c->n, "cookie case %zu: %zu pairs, want %zu",
		    i, l.n, c->n);
		if (c->n && l.n) {
			CHECK_STR(l.v[0].key, c->key0);
			CHECK_STR(l.v[0].value, c->val0);
		}
		kvlist_free(&l);
		free(s);
	}
	CHECK_INT(form_parse_cookies(NULL, &l), 0);
	CHECK_INT(l.n, 0);
	for (i = 0; i < COOKIE_MAX_PAIRS + 8; i++)
		buf_printf(&many, "c%zu=%zu; ", i, i);
	CHECK_INT(form_parse_cookies(buf_cstr(&many), &l), 0);
	CHECK_INT(l.n, COOKIE_MAX_PAIRS);
	CHECK(l.truncated);
	kvlist_free(&l);
	buf_free(&many);
}

/* ---- language negotiation ---- */

static void test_lang(void)
{
	static const struct {
		const char *query, *cookie, *header, *want;
	} cases[] = {
	    {NULL, NULL, NULL, "fr"},
	    {"", "", "", "fr"},
	    {NULL, NULL, ",,,;;;", "fr"},
	    {NULL, NULL, "ar;q=0.5, en;q=0.6", "en"},
	    {NULL, NULL, "ar-MA", "ar"},
	    {NULL, NULL, "arabic, en;q=0.1", "en"},
	    {NULL, NULL, "en;q=", "fr"},
	    {NULL, NULL, "en;q=1.0001", "fr"},
	    {NULL, NULL, "en;q=1.5, ar;q=0", "fr"},
	    {NULL, NULL, "en ; Q = 0.5 ; level=1", "en"},
	    {NULL, NULL, "en;q=0.5;q", "en"},
	    {NULL, NULL, "*;q=1, ar;q=0.001", "ar"},
	    {NULL, NULL, "e\xC3\xA9, en-\xC3\xA9", "fr"},
	    {"EN", "ar", "fr", "en"},
	    {"xx", "ar", "en", "ar"},
	    {"e", "a", "en", "en"},
	};
	struct buf h = BUF_INIT;
	size_t i;

	for (i = 0; i < LEN(cases); i++)
		CHECK_STR(i18n_negotiate(cases[i].query, cases[i].cookie,
			      cases[i].header),
		    cases[i].want);
	/* only the first 64 entries count */
	for (i = 0; i < 64; i++)
		buf_puts(&h, "de, ");
	buf_puts(&h, "ar");
	CHECK_STR(i18n_negotiate(NULL, NULL, buf_cstr(&h)), "fr");
	/* a header longer than the 4096 bytes read */
	buf_reset(&h);
	for (i = 0; i < 5000; i++)
		buf_putc(&h, ' ');
	buf_puts(&h, "ar");
	CHECK_STR(i18n_negotiate(NULL, NULL, buf_cstr(&h)), "fr");
	buf_free(&h);
}

/* ---- router (the real table) ---- */

static void test_routes(void)
{
	static const struct {
		enum http_method m;
		const char *path;
		int status; /* 0: matched */
	} cases[] = {
	    {M_GET, "/healthz", 0},
	    {M_HEAD, "/healthz", 0},
	    {M_POST, "/healthz", 405},
	    {M_OTHER, "/healthz", 405},
	    {M_GET, "", 404},
	    {M_GET, "/", 0},
	    {M_GET, "//", 404},
	    {M_GET, "/e//pre", 404},
	    {M_GET, "/e/-a/pre", 404},
	    {M_GET, "/e/a-/pre", 404},
	    {M_GET, "/e/A/pre", 404},
	    {M_GET, "/e/a/prepost", 404},
	    {M_GET, "/e/a/pre/", 404},
	    {M_GET,
		"/e/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/pre",
		0},
	    {M_GET,
		"/e/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/pre",
		404},
	};
	static const size_t allow_sizes[] = {64, 1, 2, 4, 9};
	size_t i, k;

	for (i = 0; i < LEN(cases); i++) {
		for (k = 0; k < LEN(allow_sizes); k++) {
			struct req r;
			char *allow = malloc(allow_sizes[k]);
			int status = 0;
			const struct route *rt;

			req_init(&r);
			r.method = cases[i].m;
			r.path = strdup(cases[i].path);
			memset(allow, 'x', allow_sizes[k]);
			rt = route_find(routes, routes_len, &r, &status, allow,
			    allow_sizes[k]);
			CHECK_MSG(rt ? cases[i].status == 0
				     : status == cases[i].status,
			    "route %s %s: got %s %d", cases[i].m == M_GET ? "GET"
			    : "other", cases[i].path, rt ? "match" : "status",
			    rt ? 0 : status);
			if (rt == NULL && status == 405)
				CHECK(memchr(allow, '\0', allow_sizes[k]) !=
				    NULL);
			CHECK(strlen(r.slug) < sizeof(r.slug));
			free(allow);
			req_reset(&r);
		}
	}
}

/* ---- participant codes and form tokens ---- */

static void test_tokens(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want; /* NULL: rejected */
	} cases[] = {
	    {"ABCD-1234", 9, "ABCD1234"},
	    {"abcd 1234", 9, "ABCD1234"},
	    {"oIlL.9z_xy", 10, "01119ZXY"},
	    {"ABCD-1234", 8, NULL},       /* cut by len */
	    {"ABCD12345", 9, NULL},
	    {"ABCD\0" "1234", 9, NULL},   /* NUL inside */
	    {"ABCU1234", 8, NULL},        /* U is not Crockford */
	    {"", 0, NULL},
	    {"--------", 8, NULL},
	    {"                                                                "
	     "ABCD1234", 72, NULL},     /* longer than 64 bytes */
	    {"ABCD1234\xC3\xA9", 10, NULL},
	};
	static const unsigned char key[TOKEN_KEY_LEN] = "regress-regress-regress-regress";
	char out[CODE_LEN + 1], tok[FORM_TOKEN_MAX], *bad;
	unsigned char hash[32];
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		char *s = malloc(cases[i].len ? cases[i].len : 1);
		int rc;

		memcpy(s, cases[i].in, cases[i].len);
		rc = code_normalize(s, cases[i].len, out);
		if (cases[i].want == NULL)
			CHECK_MSG(rc == -1, "code case %zu accepted", i);
		else if (rc == 0)
			CHECK_STR(out, cases[i].want);
		else
			CHECK_MSG(0, "code case %zu rejected", i);
		free(s);
	}
	CHECK_INT(form_token_check(key, 1, 0, 1000, NULL, hash), -1);
	CHECK_INT(form_token_check(key, 1, 0, 1000, "", hash), -1);
	CHECK_INT(form_token_check(key, 1, 0, 1000, "====", hash), -1);
	CHECK_INT(form_token_issue(key, 1, 0, 1000, tok, sizeof(tok)), 0);
	CHECK_INT(form_token_check(key, 1, 0, 1000, tok, hash), 0);
	CHECK_INT(form_token_check(key, 2, 0, 1000, tok, hash), -1);
	CHECK_INT(form_token_check(key, 1, 1, 1000, tok, hash), -1);
	CHECK_INT(form_token_check(key, 1, 0, 1000 + FORM_TOKEN_TTL + 1, tok,
		      hash),
	    -1);
	/* the token with one more character, and far too long */
	bad = malloc(FORM_TOKEN_MAX * 2);
	snprintf(bad, FORM_TOKEN_MAX * 2, "%sA", tok);
	CHECK_INT(form_token_check(key, 1, 0, 1000, bad, hash), -1);
	memset(bad, 'A', FORM_TOKEN_MAX * 2 - 1);
	bad[FORM_TOKEN_MAX * 2 - 1] = '\0';
	CHECK_INT(form_token_check(key, 1, 0, 1000, bad, hash), -1);
	tok[strlen(tok) - 1] ^= 1;
	CHECK_INT(form_token_check(key, 1, 0, 1000, tok, hash), -1);
	free(bad);
}

/* ---- templates ---- */

static const struct tmpl *self_partial(void *ctx, const char *name)
{
	(void)name;
	return ctx;
}

static void test_tmpl(void)
{
	static const struct {
		const char *src;
		size_t len;
		const char *data;
		const char *want; /* NULL: compile error */
	} cases[] = {
	    {"{{", 2, "{}", NULL},
	    {"{{x}}", 3, "{\"x\":1}", NULL}, /* never reads past len */
	    {"{{x}}", 5, "{\"x\":1}", "1"},
	    {"{{{x}}", 6, "{}", NULL},
	    {"{{#a}}", 6, "{}", NULL},
	    {"{{/a}}", 6, "{}", NULL},
	    {"{{#a}}{{/b}}", 12, "{}", NULL},
	    {"{{=| |=}}|x|", 12, "{\"x\":\"<\"}", "&lt;"},
	    {"{{= | =}}", 9, "{}", NULL},
	    {"{{=aaaaaaaaaaaaaaaaa b=}}", 25, "{}", NULL},
	    {"{{a..b}}", 8, "{}", NULL},
	    {"{{a b}}", 7, "{}", NULL},
	    {"{{}}", 4, "{}", NULL},
	    {"{{.}}", 5, "\"s\"", "s"},
	    {"{{a.b.c}}", 9, "{\"a\":{\"b\":5}}", ""},
	    {"{{#a}}{{.}}{{/a}}", 17, "{\"a\":[1,\"&\",null,true]}",
		"1&amp;true"},
	    {"{{n}}", 5, "{\"n\":18446744073709551615}",
		"18446744073709551615"},
	    {"{{n}}", 5, "{\"n\":-9223372036854775808}",
		"-9223372036854775808"},
	    {"{{n}}", 5, "{\"n\":1e308}", "1e+308"},
	    {"{{$b}}x{{/b}}", 13, "{}", "x"},
	    {"{{<p}}{{/p}}", 12, "{}", ""},
	    {"  {{>p}}\r\n", 10, "{}", ""},
	};
	struct buf out = BUF_INIT, deep = BUF_INIT;
	struct tmpl_error err;
	struct tmpl *t;
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		char *s = malloc(cases[i].len ? cases[i].len : 1);
		struct json_object *d = json_tokener_parse(cases[i].data);

		memcpy(s, cases[i].src, cases[i].len);
		t = tmpl_compile(s, cases[i].len, &err);
		if (cases[i].want == NULL)
			CHECK_MSG(t == NULL && err.msg[0] && err.line >= 1 &&
				err.col >= 1,
			    "tmpl case %zu compiles", i);
		else if (t == NULL)
			CHECK_MSG(0, "tmpl case %zu: %s", i, err.msg);
		else {
			buf_reset(&out);
			CHECK_INT(tmpl_render(t, d, NULL, NULL, &out), 0);
			CHECK_STR(buf_cstr(&out), cases[i].want);
		}
		tmpl_free(t);
		json_object_put(d);
		free(s);
	}
	/* sections nested deeper than TMPL_MAX_DEPTH do not compile */
	for (i = 0; i <= TMPL_MAX_DEPTH; i++)
		buf_puts(&deep, "{{#a}}");
	for (i = 0; i <= TMPL_MAX_DEPTH; i++)
		buf_puts(&deep, "{{/a}}");
	CHECK(tmpl_compile(deep.data, deep.len, &err) == NULL);
	/* a partial including itself stops at the depth limit */
	t = tmpl_compile("x{{>self}}", 10, &err);
	buf_reset(&out);
	CHECK_INT(tmpl_render(t, NULL, self_partial, t, &out), -1);
	tmpl_free(t);
	/* sections as deep as allowed over a self-nesting value */
	buf_reset(&deep);
	for (i = 0; i < TMPL_MAX_DEPTH - 1; i++)
		buf_puts(&deep, "{{#a}}");
	buf_puts(&deep, "{{.}}");
	for (i = 0; i < TMPL_MAX_DEPTH - 1; i++)
		buf_puts(&deep, "{{/a}}");
	t = tmpl_compile(deep.data, deep.len, &err);
	CHECK(t != NULL);
	if (t) {
		struct json_object *d = json_tokener_parse("{\"a\":[1]}");
		buf_reset(&out);
		CHECK_INT(tmpl_render(t, d, NULL, NULL, &out), 0);
		CHECK_STR(buf_cstr(&out), "1");
		json_object_put(d);
		tmpl_free(t);
	}
	buf_free(&deep);
	buf_free(&out);
}

/* ---- definitions ---- */

static void test_qdef(void)
{
	static const char *const cases[] = {
	    "null", "[]", "{}", "{\"format\":1}", "{\"format\":1e999}",
	    "{\"format\":1,\"event\":[],\"instruments\":{}}",
	    "{\"format\":1,\"event\":{\"slug\":\"\\u0000\"},\"instruments\":"
	    "{\"pre\":{\"sections\":[{\"items\":[{\"key\":\"a\",\"type\":"
	    "\"rank\",\"top\":-1,\"options\":[{}]}]}]}}}",
	    "{\"format\":1,\"event\":{\"languages\":[\"fr\",\"fr\",\"xx\"],"
	    "\"default_language\":\"ar\"}}",
	};
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		struct qdef_errors e = {0, NULL};
		struct json_object *j = json_tokener_parse(cases[i]);

		CHECK_MSG(qdef_validate(j, &e) == -1 && e.n > 0,
		    "qdef case %zu validates", i);
		CHECK(qdef_build(j) == NULL);
		qdef_errors_free(&e);
		json_object_put(j);
	}
}

/* ---- answers against the bundled definition ---- */

/* Collects body against an instrument of d; returns a (answers_free). */
static void collect(const struct qdef *d, int post, const char *body,
    struct answers *a)
{
	struct kvlist form = {NULL, 0, 0, 0};

	CHECK_INT(form_parse_urlencoded(body, strlen(body), &form), 0);
	CHECK(answer_collect(&d->instruments[post ? QDEF_POST : QDEF_PRE],
		  &form, a) >= 0);
	kvlist_free(&form);
}

/* #18.9: an "other" text only beside the choice "other"; #18.5: personal
 * items are kept for re-display but never in the answers to store. */
static void test_answers_other_personal(const struct qdef *d)
{
	struct answers a;
	struct json_object *st;

	collect(d, 0, "org_type=chamber&org_type.other=x", &a);
	CHECK(answer_error_for(&a, "org_type.other") != NULL);
	answers_free(&a);
	collect(d, 0, "org_type=other&org_type.other=x", &a);
	CHECK(answer_error_for(&a, "org_type.other") == NULL);
	answers_free(&a);
	collect(d, 0, "markets=eu&markets.other=x", &a);
	CHECK(answer_error_for(&a, "markets.other") != NULL);
	answers_free(&a);
	collect(d, 0, "markets=eu&markets=other&markets.other=x", &a);
	CHECK(answer_error_for(&a, "markets.other") == NULL);
	answers_free(&a);
	collect(d, 1, "contact=a%40b&contact_consent=yes&comments=c", &a);
	CHECK(json_object_object_get_ex(a.values, "contact", NULL));
	st = answer_stored(&d->instruments[QDEF_POST], &a);
	CHECK(st != NULL && !json_object_object_get_ex(st, "contact", NULL));
	CHECK(st != NULL && json_object_object_get_ex(st, "comments", NULL));
	CHECK(st != NULL &&
	    json_object_object_get_ex(st, "contact_consent", NULL));
	json_object_put(st);
	answers_free(&a);
}

static void test_answers(void)
{
	static const struct {
		int post;
		const char *body;
		int rc;
	} cases[] = {
	    {0, "", 1},
	    {1, "", 1},
	    {0, "know_iso=%FF", 1},
	    {0, "know_iso=99999999999999999999", 1},
	    {0, "know_iso=3&know_iso=3", 1},
	    {1, "know_iso.retro=-0", 1},
	    {1, "priority.1=%00&priority.2=&priority.3=x", 1},
	    {0, "sectors=a&sectors=a&sectors.other=%01", 1},
	    {0, "expectations=%ED%A0%80", 1},
	    {0, "experience_years=1e999", 1},
	    {1, "nps=10&nps.other=x&contact=a%40b&contact_consent=no", 1},
	};
	struct qdef_errors e = {0, NULL};
	struct json_object *j = qdef_parse_file(BUNDLED, &e);
	struct qdef *d = NULL;
	size_t i;

	CHECK(j != NULL && qdef_validate(j, &e) == 0 &&
	    (d = qdef_build(j)) != NULL);
	qdef_errors_free(&e);
	json_object_put(j);
	if (d == NULL)
		return;
	for (i = 0; i < LEN(cases); i++) {
		struct kvlist form = {NULL, 0, 0, 0};
		struct answers a;
		int rc;

		CHECK_INT(form_parse_urlencoded(cases[i].body,
			      strlen(cases[i].body), &form),
		    0);
		rc = answer_collect(
		    &d->instruments[cases[i].post ? QDEF_POST : QDEF_PRE],
		    &form, &a);
		CHECK_MSG(rc == cases[i].rc, "answer case %zu: rc %d", i, rc);
		CHECK(json_object_to_json_string(a.values) != NULL);
		answers_free(&a);
		kvlist_free(&form);
	}
	test_answers_other_personal(d);
	qdef_free(d);
}

int main(void)
{
	if (token_init() != 0)
		return 1;
	test_form();
	test_cookies();
	test_lang();
	test_routes();
	test_tokens();
	test_tmpl();
	test_qdef();
	test_answers();
	return check_done("regress_fuzz");
}
