/* test_token.c: participant codes and signed form tokens. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "token.h"

static void test_codes(void)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: refused */
	} cases[] = {
	    {"ABCD-1234", "ABCD1234"},
	    {"abcd 1234", "ABCD1234"},
	    {" ab-cd-12-34 ", "ABCD1234"},
	    {"OIL0-abcd", "0110ABCD"},
	    {"o1l0ABCD", "0110ABCD"},
	    {"ABCD123", NULL},
	    {"ABCD12345", NULL},
	    {"ABCU1234", NULL}, /* U is not Crockford */
	    {"ABC\xC3\xA9" "1234", NULL},
	    {"", NULL},
	    {"ABCD;1234", NULL},
	};
	char out[CODE_LEN + 1], fmt[CODE_LEN + 2];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = code_normalize(cases[i].in, strlen(cases[i].in), out);
		if (cases[i].want) {
			CHECK_MSG(rc == 0, "case %zu refused", i);
			if (rc == 0)
				CHECK_STR(out, cases[i].want);
		} else
			CHECK_MSG(rc == -1, "case %zu accepted", i);
	}
	/* a NUL inside the given length is refused */
	CHECK(code_normalize("ABCD\0" "1234", 9, out) == -1);
	for (int i = 0; i < 200; i++) {
		char again[CODE_LEN + 1];
		code_generate(out);
		CHECK(strlen(out) == CODE_LEN);
		CHECK(code_normalize(out, CODE_LEN, again) == 0 &&
		    strcmp(again, out) == 0);
	}
	code_format("ABCD1234", fmt);
	CHECK_STR(fmt, "ABCD-1234");
}

static void test_form_tokens(void)
{
	unsigned char key[TOKEN_KEY_LEN], other[TOKEN_KEY_LEN], h1[32], h2[32];
	char tok[FORM_TOKEN_MAX], tok2[FORM_TOKEN_MAX];
	time_t now = 1700000000;

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	CHECK(form_token_issue(key, 3, 0, now, tok, sizeof(tok)) == 0);
	CHECK(form_token_check(key, 3, 0, now + 10, tok, h1) == 0);
	CHECK(form_token_check(key, 3, 0, now + 10, tok, h2) == 0);
	CHECK(memcmp(h1, h2, 32) == 0);
	CHECK(form_token_check(key, 3, 1, now, tok, h1) == -1);  /* post */
	CHECK(form_token_check(key, 4, 0, now, tok, h1) == -1);  /* event */
	CHECK(form_token_check(other, 3, 0, now, tok, h1) == -1); /* key */
	CHECK(form_token_check(key, 3, 0, now + FORM_TOKEN_TTL + 1, tok, h1) ==
	    -1);
	CHECK(form_token_check(key, 3, 0, now, "", h1) == -1);
	CHECK(form_token_check(key, 3, 0, now, "!!!", h1) == -1);
	CHECK(form_token_check(key, 3, 0, now, NULL, h1) == -1);
	strcpy(tok2, tok);
	tok2[5] = tok2[5] == 'A' ? 'B' : 'A';
	CHECK(form_token_check(key, 3, 0, now, tok2, h1) == -1);
	CHECK(form_token_issue(key, 3, 0, now, tok2, sizeof(tok2)) == 0);
	CHECK(strcmp(tok, tok2) != 0);
}

static void test_misc(void)
{
	char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1], h[65], m[65],
	    m2[65];
	unsigned char key[TOKEN_KEY_LEN];

	token_random(a);
	token_random(b);
	CHECK_INT(strlen(a), SESSION_TOKEN_LEN);
	CHECK(strcmp(a, b) != 0);
	token_hash_hex("abc", h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	memset(key, 1, sizeof(key));
	token_mac_hex(key, "csrf", a, m);
	token_mac_hex(key, "rate", a, m2);
	CHECK(strcmp(m, m2) != 0);
	CHECK(token_equal(m, m));
	CHECK(!token_equal(m, m2));
	CHECK(!token_equal("abc", "abcd"));
}

/* The participant cookie: made for one event, refused for another, with
 * any byte changed, as a bare code, or in any other shape. */
static void test_code_cookies(void)
{
	unsigned char key[TOKEN_KEY_LEN], other[TOKEN_KEY_LEN];
	char v[CODE_COOKIE_MAX + 1], bad[CODE_COOKIE_MAX + 8], out[CODE_LEN + 1];

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	code_cookie_make(key, 3, "ABCD1234", v);
	CHECK_INT((int)strlen(v), CODE_COOKIE_MAX);
	CHECK(strncmp(v, "ABCD1234.", 9) == 0);
	CHECK_INT(code_cookie_check(key, 3, v, out), 0);
	CHECK_STR(out, "ABCD1234");
	CHECK_INT(code_cookie_check(key, 4, v, out), -1);
	CHECK_INT(code_cookie_check(other, 3, v, out), -1);
	CHECK_INT(code_cookie_check(key, 3, "ABCD1234", out), -1);
	CHECK_INT(code_cookie_check(key, 3, "", out), -1);
	CHECK_INT(code_cookie_check(key, 3, NULL, out), -1);
	for (size_t i = 0; i < strlen(v); i++) {
		memcpy(bad, v, sizeof(v));
		bad[i] = bad[i] == '0' ? '1' : '0';
		CHECK_MSG(code_cookie_check(key, 3, bad, out) == -1,
		    "byte %zu changed", i);
	}
	/* another code with this code's MAC */
	memcpy(bad, v, sizeof(v));
	memcpy(bad, "ZZZZ9999", 8);
	CHECK_INT(code_cookie_check(key, 3, bad, out), -1);
	snprintf(bad, sizeof(bad), "%sA", v);
	CHECK_INT(code_cookie_check(key, 3, bad, out), -1);
}

/* Personal link keys (issue 24): bound to their purpose and event, never
 * the cookie's MAC, refused when altered. */
static void test_link_keys(void)
{
	unsigned char key[TOKEN_KEY_LEN], other[TOKEN_KEY_LEN];
	char k[LINK_KEY_MAX + 1], u[LINK_KEY_MAX + 1], c[CODE_COOKIE_MAX + 1];
	char out[CODE_LEN + 1];

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	link_key_make(key, "followup", 42, "ABCD1234", k);
	link_key_make(key, "unsubscribe", 42, "ABCD1234", u);
	code_cookie_make(key, 42, "ABCD1234", c);
	CHECK_INT(link_key_check(key, "followup", 42, k, out), 0);
	CHECK_STR(out, "ABCD1234");
	CHECK_INT(link_key_check(key, "unsubscribe", 42, u, out), 0);
	/* one purpose's key never serves another, nor the cookie */
	CHECK_INT(link_key_check(key, "unsubscribe", 42, k, out), -1);
	CHECK_INT(link_key_check(key, "followup", 42, u, out), -1);
	CHECK_INT(link_key_check(key, "followup", 42, c, out), -1);
	CHECK_INT(code_cookie_check(key, 42, k, out), -1);
	/* another event, another server key, an altered code or MAC */
	CHECK_INT(link_key_check(key, "followup", 43, k, out), -1);
	CHECK_INT(link_key_check(other, "followup", 42, k, out), -1);
	k[0] = k[0] == 'A' ? 'B' : 'A';
	CHECK_INT(link_key_check(key, "followup", 42, k, out), -1);
	CHECK_INT(link_key_check(key, "followup", 42, "ABCD1234", out), -1);
	CHECK_INT(link_key_check(key, "followup", 42, NULL, out), -1);
	/* the cookie keeps its format (cookies issued before stay valid) */
	CHECK_INT(code_cookie_check(key, 42, c, out), 0);
}

int main(void)
{
	if (token_init() != 0)
		return 1;
	test_link_keys();
	test_code_cookies();
	test_codes();
	test_form_tokens();
	test_misc();
	return check_done("token");
}
