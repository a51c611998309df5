/* test_keys.c: the request inputs table: each validator (table-driven),
 * absent kept apart from invalid, the source of each key, the route's
 * declared set and the dynamic families. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "form.h"
#include "http.h"
#include "keys.h"
#include "routes.h"

/* One value against one key: the state, and the typed value when valid. */
static void test_validators(void)
{
	static const struct {
		enum key k;
		const char *value; /* NUL-terminated unless len is set */
		size_t len;        /* 0: strlen(value) */
		enum kval_state want;
		const char *str;   /* KEY_VALID: the typed string (NULL: skip) */
		long long n;       /* KEY_VALID and KV_INT/ID/ENUM */
	} cases[] = {
	    /* KV_ID (_version): the whole string, as we print it */
	    {KEY_FORM_VERSION, "12", 0, KEY_VALID, "12", 12},
	    {KEY_FORM_VERSION, "12abc", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "012", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, " 12", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "12 ", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "+12", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "-1", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "0", 0, KEY_INVALID, NULL, 0}, /* min 1 */
	    {KEY_FORM_VERSION, "", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "9223372036854775807", 0, KEY_VALID, NULL,
		9223372036854775807LL},
	    {KEY_FORM_VERSION, "9223372036854775808", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "99999999999999999999", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_VERSION, "1\0" "2", 3, KEY_INVALID, NULL, 0}, /* NUL */
	    /* KV_INT (count): 1..CODES_MAX, digits only */
	    {KEY_COUNT, "1", 0, KEY_VALID, "1", 1},
	    {KEY_COUNT, "1000", 0, KEY_VALID, "1000", 1000},
	    {KEY_COUNT, "0040", 0, KEY_VALID, NULL, 40},
	    {KEY_COUNT, "0", 0, KEY_INVALID, NULL, 0},
	    {KEY_COUNT, "1001", 0, KEY_INVALID, NULL, 0},
	    {KEY_COUNT, "4e1", 0, KEY_INVALID, NULL, 0},
	    {KEY_COUNT, "40.0", 0, KEY_INVALID, NULL, 0},
	    {KEY_COUNT, "", 0, KEY_INVALID, NULL, 0},
	    {KEY_COUNT, "123456789012", 0, KEY_INVALID, NULL, 0},
	    /* KV_ENUM */
	    {KEY_ROLE, "expert", 0, KEY_VALID, "expert", 0},
	    {KEY_ROLE, "admin", 0, KEY_VALID, "admin", 1},
	    {KEY_ROLE, "Admin", 0, KEY_INVALID, NULL, 0},
	    {KEY_ROLE, "admin ", 0, KEY_INVALID, NULL, 0},
	    {KEY_ROLE, "", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORMAT, "wide", 0, KEY_VALID, "wide", 1},
	    {KEY_FORMAT, "long", 0, KEY_VALID, "long", 0},
	    {KEY_FORMAT, "xlsx", 0, KEY_INVALID, NULL, 0},
	    {KEY_EXCEL, "1", 0, KEY_VALID, "1", 1},
	    {KEY_EXCEL, "0", 0, KEY_VALID, "0", 0},
	    {KEY_EXCEL, "true", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_EDIT, "1", 0, KEY_VALID, "1", 1},
	    {KEY_FORM_EDIT, "yes", 0, KEY_INVALID, NULL, 0},
	    /* KV_LANG: the canonical language */
	    {KEY_LANG, "en", 0, KEY_VALID, "en", 0},
	    {KEY_LANG, "AR-ma", 0, KEY_VALID, "ar", 0},
	    {KEY_LANG, "de", 0, KEY_INVALID, NULL, 0},
	    {KEY_LANG, "fr;", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_LANG, "fr", 0, KEY_VALID, "fr", 0},
	    /* KV_CODE: normalised */
	    {KEY_CODE, "abcd-1234", 0, KEY_VALID, "ABCD1234", 0},
	    {KEY_CODE, "OIL0 abcd", 0, KEY_VALID, "0110ABCD", 0},
	    {KEY_CODE, "ABCD123", 0, KEY_INVALID, NULL, 0},
	    {KEY_CODE, "ABCU1234", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_CODE, "ABCD-12345", 0, KEY_INVALID, NULL, 0},
	    /* KV_TEXT: UTF-8, no control characters, length bounds */
	    {KEY_USERNAME, "marie", 0, KEY_VALID, "marie", 0},
	    {KEY_USERNAME, "\xd8\xb3\xd9\x84\xd9\x85\xd9\x89", 0, KEY_VALID,
		NULL, 0},
	    {KEY_USERNAME, "", 0, KEY_INVALID, NULL, 0},  /* min 1 */
	    {KEY_USERNAME, "\xc3\x28", 0, KEY_INVALID, NULL, 0},
	    {KEY_USERNAME, "a\x01" "b", 0, KEY_INVALID, NULL, 0},
	    {KEY_USERNAME,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		0, KEY_VALID, NULL, 0},                     /* 64 */
	    {KEY_USERNAME,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		0, KEY_INVALID, NULL, 0},                   /* 65 */
	    {KEY_NEXT, "/admin/e/x", 0, KEY_VALID, "/admin/e/x", 0},
	    /* KV_BYTES: anything but NUL, length bounds */
	    {KEY_PASSWORD, "\xff\xfe pass", 0, KEY_VALID, NULL, 0},
	    {KEY_PASSWORD, "", 0, KEY_INVALID, NULL, 0},
	    {KEY_PASSWORD, "a\0b", 3, KEY_INVALID, NULL, 0},
	    /* KV_SLUGS */
	    {KEY_EVENTS, "a,b-2,,c", 0, KEY_VALID, "a,b-2,,c", 0},
	    {KEY_EVENTS, "", 0, KEY_VALID, "", 0},
	    {KEY_EVENTS, "a,-b", 0, KEY_INVALID, NULL, 0},
	    {KEY_EVENTS, "a,B", 0, KEY_INVALID, NULL, 0},
	    {KEY_EVENTS, "a,b/c", 0, KEY_INVALID, NULL, 0},
	    /* KV_TOKEN */
	    {KEY_FORM_TOKEN, "Ab-_9.x", 0, KEY_VALID, "Ab-_9.x", 0},
	    {KEY_FORM_TOKEN, "a b", 0, KEY_INVALID, NULL, 0},
	    {KEY_FORM_TOKEN, "a+b", 0, KEY_INVALID, NULL, 0},
	    {KEY_CODE_COOKIE, "ABCD1234.xyz", 0, KEY_VALID, NULL, 0},
	    /* paper questionnaires: whole numbers within their bounds */
	    {KEY_PAPER_BATCH, "7", 0, KEY_VALID, "7", 7},
	    {KEY_PAPER_BATCH, "07", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_BATCH, "0", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_BATCH, "7x", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_BATCH, "2147483647", 0, KEY_VALID, NULL, 2147483647},
	    {KEY_PAPER_BATCH, "2147483648", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_SHEETS, "500", 0, KEY_VALID, NULL, 500},
	    {KEY_PAPER_SHEETS, "501", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_SHEETS, "0", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_SHEETS, "3 ", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_FIRST, "999999499", 0, KEY_VALID, NULL, 999999499},
	    {KEY_PAPER_FIRST, "999999500", 0, KEY_INVALID, NULL, 0},
	    {KEY_PAPER_FIRST, "-1", 0, KEY_INVALID, NULL, 0},
	    {KEY_BATCH_COUNT, "500", 0, KEY_VALID, NULL, 500},
	    {KEY_BATCH_COUNT, "501", 0, KEY_INVALID, NULL, 0},
	    {KEY_BATCH_COUNT, "12abc", 0, KEY_INVALID, NULL, 0},
	    {KEY_BATCH_COUNT, "", 0, KEY_INVALID, NULL, 0},
	    {KEY_BATCH_TOKEN, "Ab-_9", 0, KEY_VALID, "Ab-_9", 0},
	    {KEY_BATCH_TOKEN, "a b", 0, KEY_INVALID, NULL, 0},
	    {KEY_BATCH_TOKEN,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		0, KEY_INVALID, NULL, 0},                   /* 65 */
	    /* paper questionnaires: enums and text */
	    {KEY_INSTRUMENT, "post", 0, KEY_VALID, "post", 1},
	    {KEY_INSTRUMENT, "Post", 0, KEY_INVALID, NULL, 0},
	    {KEY_LANG_FORM, "AR", 0, KEY_VALID, "ar", 0},
	    {KEY_DOUBLE_ENTRY, "1", 0, KEY_VALID, "1", 1},
	    {KEY_DOUBLE_ENTRY, "on", 0, KEY_INVALID, NULL, 0},
	    {KEY_RESOLVE_FORM, "1", 0, KEY_VALID, "1", 1},
	    {KEY_RESOLVE_FORM, "yes", 0, KEY_INVALID, NULL, 0},
	    {KEY_ENTRY_STATE, "differs", 0, KEY_VALID, "differs", 3},
	    {KEY_ENTRY_STATE, "lost", 0, KEY_INVALID, NULL, 0},
	    {KEY_SAVED, "abcd-1234", 0, KEY_VALID, "ABCD1234", 0},
	    {KEY_SAVED, "abcd", 0, KEY_INVALID, NULL, 0},
	    {KEY_RESOLVE, "N:12", 0, KEY_VALID, "N:12", 0},
	    {KEY_RESOLVE, "C:ABCD1234\x01", 0, KEY_INVALID, NULL, 0},
	    {KEY_RESOLVE, "C:ABCD1234567890", 0, KEY_INVALID, NULL, 0},
	    {KEY_SHEET, " 0012 ", 0, KEY_VALID, " 0012 ", 0},
	    {KEY_SHEET, "12345678901234", 0, KEY_INVALID, NULL, 0},
	    {KEY_SHEET, "\xc3\x28", 0, KEY_INVALID, NULL, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kval v;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].value);

		keys_validate(&key_defs[cases[i].k], cases[i].value, len, &v);
		CHECK_MSG(v.state == cases[i].want, "%s=\"%s\": state %d, want "
		    "%d", key_defs[cases[i].k].name, cases[i].value, v.state,
		    cases[i].want);
		/* the raw value is kept either way */
		CHECK(v.raw == cases[i].value && v.raw_len == len);
		if (cases[i].want != KEY_VALID) {
			CHECK(v.str == NULL && v.n == 0);
			continue;
		}
		CHECK(v.str != NULL);
		if (cases[i].str)
			CHECK_STR(v.str, cases[i].str);
		if (key_defs[cases[i].k].validator == KV_INT ||
		    key_defs[cases[i].k].validator == KV_ID ||
		    key_defs[cases[i].k].validator == KV_ENUM)
			CHECK_INT(v.n, cases[i].n);
	}
}

/* A request with a query string, a body and a Cookie header. */
static void req_with(struct req *r, const char *query, const char *body,
    const char *cookie)
{
	req_init(r);
	CHECK(form_parse_urlencoded(query, strlen(query), &r->query) == 0);
	CHECK(form_parse_urlencoded(body, strlen(body), &r->form) == 0);
	CHECK(form_parse_cookies(cookie, &r->cookies) == 0);
}

static void test_parse(void)
{
	struct req r;

	/* absent, valid, invalid; each from its own source */
	req_with(&r, "format=wide&excel=2&_version=7&count=5",
	    "_version=12abc&_code=&_token=t&count=x&format=long",
	    "lang=ar; enq_code=A.b");
	keys_parse(&r, ~0ull);
	CHECK_INT(r.in[KEY_FORMAT].state, KEY_VALID);
	CHECK_STR(r.in[KEY_FORMAT].str, "wide"); /* the query's, not the body's */
	CHECK_INT(r.in[KEY_EXCEL].state, KEY_INVALID);
	CHECK_STR(r.in[KEY_EXCEL].raw, "2");
	CHECK_INT(r.in[KEY_FORM_VERSION].state, KEY_INVALID); /* the body's */
	CHECK_STR(r.in[KEY_FORM_VERSION].raw, "12abc");
	CHECK_INT(r.in[KEY_COUNT].state, KEY_INVALID); /* the body's "x" */
	CHECK_INT(r.in[KEY_FORM_CODE].state, KEY_ABSENT); /* "" is absent */
	CHECK(r.in[KEY_FORM_CODE].raw == NULL);
	CHECK_INT(r.in[KEY_FORM_TOKEN].state, KEY_VALID);
	CHECK_INT(r.in[KEY_LANG].state, KEY_ABSENT);
	CHECK_INT(r.in[KEY_LANG_COOKIE].state, KEY_VALID);
	CHECK_STR(r.in[KEY_LANG_COOKIE].str, "ar");
	CHECK_INT(r.in[KEY_CODE_COOKIE].state, KEY_VALID);
	CHECK_INT(r.in[KEY_USERNAME].state, KEY_ABSENT);
	CHECK_INT(r.in[KEY_FORM_EDIT].state, KEY_ABSENT);
	req_reset(&r);

	/* only the keys asked for are read; the first of a repeated name */
	req_with(&r, "lang=en&lang=ar&code=abcd1234", "", "");
	keys_parse(&r, KEYS_GLOBAL);
	CHECK_STR(r.in[KEY_LANG].str, "en");
	CHECK_INT(r.in[KEY_CODE].state, KEY_ABSENT);
	keys_parse(&r, KEY_BIT(KEY_CODE));
	CHECK_STR(r.in[KEY_CODE].str, "ABCD1234");
	/* an invalid first value is not replaced by a later valid one */
	req_reset(&r);
	req_with(&r, "excel=yes&excel=1", "", "");
	keys_parse(&r, KEY_BIT(KEY_EXCEL));
	CHECK_INT(r.in[KEY_EXCEL].state, KEY_INVALID);
	req_reset(&r);
}

/* The routes' declared sets and families: what each handler reads. */
static void test_routes_declare(void)
{
	static const struct {
		enum http_method m;
		const char *pattern;
		unsigned long long keys;
		unsigned families;
	} want[] = {
	    {M_POST, "/e/{slug}/{inst}",
		KEY_BIT(KEY_FORM_TOKEN) | KEY_BIT(KEY_FORM_LANG) |
		    KEY_BIT(KEY_FORM_CODE) | KEY_BIT(KEY_FORM_EDIT) |
		    KEY_BIT(KEY_FORM_VERSION) | KEY_BIT(KEY_CODE_COOKIE),
		KFAM_ANSWERS},
	    {M_GET, "/e/{slug}/{inst}",
		KEY_BIT(KEY_CODE) | KEY_BIT(KEY_CODE_COOKIE) |
		KEY_BIT(KEY_LINK), 0},
	    {M_GET, "/e/{slug}/{inst}/thanks", KEY_BIT(KEY_CODE_COOKIE), 0},
	    {M_GET, "/e/{slug}/", KEY_BIT(KEY_CODE_COOKIE), 0},
	    {M_GET, "/admin/e/{slug}", 0, KFAM_FILTERS},
	    {M_GET, "/api/v1/events/{slug}/summary", 0, KFAM_FILTERS},
	    {M_GET, "/admin/compare", KEY_BIT(KEY_EVENTS), 0},
	    {M_POST, "/admin/users",
		KEY_BIT(KEY_USERNAME) | KEY_BIT(KEY_ROLE) |
		    KEY_BIT(KEY_PASSWORD) | KEY_BIT(KEY_SCOPE), 0},
	    /* roles, password, audit, erasure */
	    {M_POST, "/admin/users/access",
		KEY_BIT(KEY_USERNAME) | KEY_BIT(KEY_ROLE) |
		    KEY_BIT(KEY_SCOPE), 0},
	    {M_POST, "/admin/password",
		KEY_BIT(KEY_CURRENT_PASSWORD) | KEY_BIT(KEY_PASSWORD), 0},
	    {M_GET, "/admin/audit", KEY_BIT(KEY_AUDIT_EVENT), 0},
	    {M_POST, "/admin/e/{slug}/erase",
		KEY_BIT(KEY_ERASE_CODE) | KEY_BIT(KEY_CONFIRM), 0},
	    {M_GET, "/healthz", 0, 0},
	    /* paper questionnaires */
	    {M_GET, "/admin/e/{slug}/paper/{inst}",
		KEY_BIT(KEY_PAPER_BATCH) | KEY_BIT(KEY_PAPER_SHEETS) |
		    KEY_BIT(KEY_PAPER_FIRST), 0},
	    {M_POST, "/admin/e/{slug}/paper/batch",
		KEY_BIT(KEY_BATCH_COUNT) | KEY_BIT(KEY_BATCH_TOKEN) |
		    KEY_BIT(KEY_INSTRUMENT) | KEY_BIT(KEY_LANG_FORM), 0},
	    {M_POST, "/admin/e/{slug}/entry/mode",
		KEY_BIT(KEY_DOUBLE_ENTRY) | KEY_BIT(KEY_INSTRUMENT), 0},
	    {M_GET, "/admin/e/{slug}/entry/{inst}",
		KEY_BIT(KEY_RESOLVE) | KEY_BIT(KEY_SAVED) |
		    KEY_BIT(KEY_ENTRY_STATE), 0},
	    {M_POST, "/admin/e/{slug}/entry/{inst}",
		KEY_BIT(KEY_FORM_LANG) | KEY_BIT(KEY_FORM_CODE) |
		    KEY_BIT(KEY_SHEET) | KEY_BIT(KEY_RESOLVE_FORM),
		KFAM_ANSWERS},
	    {M_GET, "/admin/e/{slug}/entry/conflicts", 0, 0},
	};
	unsigned long long used = KEYS_GLOBAL;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;
		for (size_t k = 0; k < routes_len; k++) {
			if (routes[k].method != want[i].m ||
			    strcmp(routes[k].pattern, want[i].pattern) != 0)
				continue;
			found = 1;
			CHECK_MSG(routes[k].keys == want[i].keys &&
				routes[k].families == want[i].families,
			    "%s: keys %llx families %u", want[i].pattern,
			    routes[k].keys, routes[k].families);
		}
		CHECK_MSG(found, "no route %s", want[i].pattern);
	}
	/* every declared key is read by some route, and each is documented */
	for (size_t k = 0; k < routes_len; k++)
		used |= routes[k].keys;
	for (int k = 0; k < KEY__MAX; k++) {
		CHECK_MSG(used & KEY_BIT(k), "%s: no route accepts it",
		    key_defs[k].name);
		CHECK_MSG(key_defs[k].name && key_defs[k].doc &&
			key_defs[k].max_len > 0,
		    "key %d: no name, doc or length bound", k);
	}

	/* a family is read only on a route that declares it */
	struct req r;
	req_with(&r, "org_type=chamber", "q1=3", "");
	for (size_t k = 0; k < routes_len; k++) {
		r.route = &routes[k];
		CHECK_INT(keys_family(&r, KFAM_ANSWERS)->n,
		    routes[k].families & KFAM_ANSWERS ? 1 : 0);
		CHECK_INT(keys_family(&r, KFAM_FILTERS)->n,
		    routes[k].families & KFAM_FILTERS ? 1 : 0);
	}
	r.route = NULL;
	CHECK_INT(keys_family(&r, KFAM_FILTERS)->n, 0);
	req_reset(&r);
}

/* The console's fields (their own table): a slug, a whole number, an
 * enum; a file part read as bytes with its name, a text field of a file's
 * name refused, nothing read when the route does not declare the family. */
static void test_console(void)
{
	static const struct {
		enum ckey k;
		const char *v;
		enum kval_state want;
	} cases[] = {
	    {CK_SLUG, "tunis-2026", KEY_VALID},
	    {CK_SLUG, "a,b", KEY_INVALID},
	    {CK_SLUG, "-a", KEY_INVALID},
	    {CK_SLUG, "Tunis", KEY_INVALID},
	    {CK_SLUG, "", KEY_INVALID},
	    {CK_SLUG,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		KEY_INVALID},
	    {CK_ATTENDANCE, "40", KEY_VALID},
	    {CK_ATTENDANCE, "0", KEY_INVALID},
	    {CK_ATTENDANCE, "100001", KEY_INVALID},
	    {CK_ACTION, "open", KEY_VALID},
	    {CK_ACTION, "reopen", KEY_INVALID},
	    {CK_DOUBLE_ENTRY, "1", KEY_VALID},
	    {CK_TITLE_AR, "\xd9\x88\xd8\xb1\xd8\xb4\xd8\xa9", KEY_VALID},
	    {CK_TITLE_FR, "a\x01", KEY_INVALID},
	};
	struct kval v;
	struct route rt = {M_POST, "/x", NULL, 0, 0, KFAM_CONSOLE};
	struct req r;
	struct kval in[CK__MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		keys_validate(&console_key_defs[cases[i].k], cases[i].v,
		    strlen(cases[i].v), &v);
		CHECK_MSG(v.state == cases[i].want, "console case %zu", i);
	}
	req_init(&r);
	r.route = &rt;
	kvlist_add(&r.form, "definition", 10, "PK\3\4\0\0", 6);
	r.form.v[0].filename = strdup("d.xlsx");
	kvlist_add(&r.form, "slug", 4, "tunis", 5);
	keys_parse_console(&r, in);
	CHECK(in[CK_DEFINITION].state == KEY_VALID);
	CHECK_INT(in[CK_DEFINITION].raw_len, 6);
	CHECK(in[CK_DEFINITION].filename &&
	    strcmp(in[CK_DEFINITION].filename, "d.xlsx") == 0);
	CHECK(in[CK_SLUG].state == KEY_VALID);
	CHECK(in[CK_COPY_FROM].state == KEY_ABSENT);
	kvlist_free(&r.form);
	/* a text field named definition is no file */
	kvlist_add(&r.form, "definition", 10, "{}", 2);
	keys_parse_console(&r, in);
	CHECK(in[CK_DEFINITION].state == KEY_INVALID);
	/* a route without the family reads nothing */
	rt.families = 0;
	keys_parse_console(&r, in);
	CHECK(in[CK_DEFINITION].state == KEY_ABSENT);
	req_reset(&r);
}

int main(void)
{
	test_console();
	test_validators();
	test_parse();
	test_routes_declare();
	return check_done("keys");
}
