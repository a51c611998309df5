/* test_http.c: request parsing and response helpers of the front
 * controller (cookies, redirects, HTTPS detection, language choice). */
#include <string.h>

#include "check.h"
#include "front.h"
#include "http.h"

static void test_cookie_and_redirect(void)
{
	struct req r;

	req_init(&r);
	CHECK(resp_cookie(&r, "a", "b", "Path=/; HttpOnly") == 0);
	CHECK(strstr(buf_cstr(&r.resp.headers), "Set-Cookie: a=b; Path=/; HttpOnly\r\n") != NULL);
	CHECK(strstr(buf_cstr(&r.resp.headers), "Secure") == NULL);
	r.https = 1;
	CHECK(resp_cookie(&r, "s", "t", "Path=/; HttpOnly; SameSite=Strict") == 0);
	CHECK(strstr(buf_cstr(&r.resp.headers), "s=t; Path=/; HttpOnly; SameSite=Strict; Secure\r\n") != NULL);
	/* values that could split headers or cookies are refused */
	CHECK(resp_cookie(&r, "x", "a;b", "Path=/") == -1);
	CHECK(resp_cookie(&r, "x", "a\r\nSet-Cookie: evil=1", "Path=/") == -1);
	CHECK(resp_header(&r.resp, "X", "a\nb") == -1);
	buf_reset(&r.resp.headers);
	resp_redirect(&r, "//evil.example/");
	CHECK(strstr(buf_cstr(&r.resp.headers), "Location: /\r\n") != NULL);
	buf_reset(&r.resp.headers);
	resp_redirect(&r, "/e/x/pre/thanks");
	CHECK(strstr(buf_cstr(&r.resp.headers), "Location: /e/x/pre/thanks\r\n") != NULL);
	CHECK_INT(r.resp.status, 303);
	req_reset(&r);
	buf_free(&r.resp.body);
	buf_free(&r.resp.headers);
}

static void test_parse(void)
{
	static const char *env_https[] = {"REQUEST_METHOD=POST",
	    "REQUEST_URI=/e/x/pre?lang=ar&code=abc", "QUERY_STRING=lang=ar&code=abc",
	    "HTTPS=on", "HTTP_COOKIE=lang=en; enq_code=ABCD1234", NULL};
	static const char *env_plain[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTP_ACCEPT_LANGUAGE=en-US;q=0.5,en;q=0.8,ar;q=0.9", NULL};
	struct req r;

	req_init(&r);
	r.envp = (char **)env_https;
	CHECK_INT(front_parse(&r), 0);
	CHECK_INT(r.method, M_POST);
	CHECK_STR(r.path, "/e/x/pre");
	CHECK(r.https);
	CHECK_STR(r.lang, "ar"); /* ?lang= beats the cookie */
	CHECK_STR(kvlist_get(&r.cookies, "enq_code"), "ABCD1234");
	CHECK_STR(kvlist_get(&r.query, "code"), "abc");
	req_reset(&r);
	r.envp = (char **)env_plain;
	CHECK_INT(front_parse(&r), 0);
	CHECK(!r.https);
	CHECK_STR(r.lang, "ar"); /* highest q-value */
	req_reset(&r);
	buf_free(&r.resp.body);
	buf_free(&r.resp.headers);
}

int main(void)
{
	test_cookie_and_redirect();
	test_parse();
	return check_done("http");
}
