/* test_routes.c: the router's matching, 404 and 405 with Allow. */
#include <string.h>

#include "check.h"
#include "routes.h"

static int h(struct req *r)
{
	(void)r;
	return 200;
}

static const struct route tbl[] = {
    {M_GET, "/healthz", h, 0},
    {M_GET, "/e/{slug}/", h, 0},
    {M_GET, "/e/{slug}/{inst}", h, 0},
    {M_POST, "/e/{slug}/{inst}", h, 0},
    {M_GET, "/e/{slug}/{inst}/thanks", h, 0},
    {M_POST, "/admin/logout", h, 0},
};

struct tcase {
	enum http_method m;
	const char *path;
	int want;          /* index in tbl, or -404 / -405 */
	const char *slug;
	int inst;
	const char *allow;
};

int main(void)
{
	static const struct tcase cases[] = {
	    {M_GET, "/healthz", 0, "", -1, NULL},
	    {M_HEAD, "/healthz", 0, "", -1, NULL},
	    {M_POST, "/healthz", -405, "", -1, "GET, HEAD"},
	    {M_GET, "/healthz/", -404, "", -1, NULL},
	    {M_GET, "/e/imanor-2017/", 1, "imanor-2017", -1, NULL},
	    {M_GET, "/e/imanor-2017/pre", 2, "imanor-2017", 0, NULL},
	    {M_POST, "/e/imanor-2017/post", 3, "imanor-2017", 1, NULL},
	    {M_GET, "/e/x/post/thanks", 4, "x", 1, NULL},
	    {M_POST, "/e/x/post/thanks", -405, "", -1, "GET, HEAD"},
	    {M_GET, "/e/x/during", -404, "", -1, NULL},
	    {M_GET, "/e/x/prefix", -404, "", -1, NULL},
	    {M_GET, "/e/Upper/pre", -404, "", -1, NULL},
	    {M_GET, "/e/..%2f../pre", -404, "", -1, NULL},
	    {M_GET, "/e/../pre", -404, "", -1, NULL},
	    {M_GET, "/e/-x/pre", -404, "", -1, NULL},
	    {M_GET, "/e//pre", -404, "", -1, NULL},
	    {M_GET, "/admin/logout", -405, "", -1, "POST"},
	    {M_OTHER, "/e/x/pre", -405, "", -1, "GET, HEAD, POST"},
	    {M_GET, "/", -404, "", -1, NULL},
	};
	char longslug[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		char allow[64] = "";
		int status = 0;
		const struct route *rt;

		req_init(&r);
		r.method = cases[i].m;
		r.path = (char *)cases[i].path;
		rt = route_find(tbl, sizeof(tbl) / sizeof(tbl[0]), &r, &status,
		    allow, sizeof(allow));
		if (cases[i].want >= 0) {
			CHECK_MSG(rt == &tbl[cases[i].want], "case %zu %s", i,
			    cases[i].path);
			CHECK_STR(r.slug, cases[i].slug);
			CHECK_INT(r.instrument, cases[i].inst);
		} else {
			CHECK_MSG(rt == NULL && status == -cases[i].want,
			    "case %zu %s: status %d", i, cases[i].path, status);
			if (cases[i].allow)
				CHECK_STR(allow, cases[i].allow);
		}
	}
	/* a slug longer than 64 bytes never matches */
	memset(longslug, 0, sizeof(longslug));
	strcpy(longslug, "/e/");
	memset(longslug + 3, 'a', 100);
	strcat(longslug, "/pre");
	{
		struct req r;
		char allow[64];
		int status = 0;
		req_init(&r);
		r.method = M_GET;
		r.path = longslug;
		CHECK(route_find(tbl, 6, &r, &status, allow, sizeof(allow)) ==
		    NULL);
		CHECK_INT(status, 404);
	}
	/* a zero-length Allow buffer is never touched */
	{
		struct req r;
		char canary = 'c';
		int status = 0;
		req_init(&r);
		r.method = M_POST;
		r.path = (char *)"/healthz";
		CHECK(route_find(tbl, 6, &r, &status, &canary, 0) == NULL);
		CHECK_INT(status, 405);
		CHECK(canary == 'c');
	}
	return check_done("routes");
}
