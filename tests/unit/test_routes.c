/* test_routes.c: the real route table (cgi/web/routes.c, `routes`) and its
 * matcher: the contract's routes reach their handlers with the right
 * flags, every entry of the table is reachable (none shadowed by an
 * earlier one), admin routes need a session and their POSTs a CSRF token,
 * and 404 / 405 with Allow. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "pages.h"
#include "routes.h"

/* Looks up (m, path) in the real table; fills *status and allow. */
static const struct route *find(enum http_method m, const char *path,
    struct req *r, int *status, char *allow, size_t allowlen)
{
	req_init(r);
	r->method = m;
	r->path = (char *)path;
	*status = 0;
	return route_find(routes, routes_len, r, status, allow, allowlen);
}

struct hcase {
	enum http_method m;
	const char *path;
	handler_fn handler;
	unsigned flags; /* exactly these */
	const char *slug;
	int inst;
};

/* shared/DESIGN.md "HTTP contract": outside clients rely on these. */
static void test_contract(void)
{
	static const struct hcase cases[] = {
	    {M_GET, "/healthz", page_healthz, 0, "", -1},
	    {M_HEAD, "/healthz", page_healthz, 0, "", -1},
	    {M_GET, "/", page_home, 0, "", -1},
	    {M_GET, "/e/imanor-2017", page_add_slash, 0, "imanor-2017", -1},
	    {M_GET, "/e/imanor-2017/", page_event, 0, "imanor-2017", -1},
	    {M_GET, "/e/imanor-2017/pre", page_form_get, 0, "imanor-2017", 0},
	    {M_HEAD, "/e/imanor-2017/post", page_form_get, 0, "imanor-2017",
		1},
	    {M_POST, "/e/imanor-2017/pre", page_form_post, 0, "imanor-2017",
		0},
	    {M_POST, "/e/x/post", page_form_post, 0, "x", 1},
	    {M_GET, "/e/x/pre/thanks", page_thanks, 0, "x", 0},
	    {M_GET, "/e/a-1/post/thanks", page_thanks, 0, "a-1", 1},
	    {M_GET, "/admin/login", page_login_get, 0, "", -1},
	    {M_POST, "/admin/login", page_login_post, 0, "", -1},
	    {M_POST, "/admin/logout", page_logout, RF_SESSION | RF_CSRF, "",
		-1},
	    {M_GET, "/admin", page_add_slash, 0, "", -1},
	    {M_GET, "/admin/", page_admin_index, RF_SESSION, "", -1},
	    {M_GET, "/admin/users", page_users, RF_SESSION | RF_ADMIN, "", -1},
	    {M_POST, "/admin/users", page_users_add,
		RF_SESSION | RF_ADMIN | RF_CSRF, "", -1},
	    {M_GET, "/admin/e/imanor-2017", page_dashboard, RF_SESSION,
		"imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/report", page_report, RF_SESSION,
		"imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/report.docx", page_report_docx,
		RF_SESSION, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/chart/likert.svg", page_report_chart,
		RF_SESSION, "imanor-2017", -1},
	    {M_GET, "/admin/e/x/chart/profile-org-type.svg", page_report_chart,
		RF_SESSION, "x", -1},
	    {M_GET, "/admin/e/imanor-2017/export.csv", page_export_csv,
		RF_SESSION, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/export.json", page_export_json,
		RF_SESSION, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/codebook.csv", page_export_codebook,
		RF_SESSION, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/codes", page_codes,
		RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    {M_GET, "/api/v1/events/imanor-2017/summary", page_api_summary,
		RF_API | RF_SESSION, "imanor-2017", -1},
	    /* paper questionnaires */
	    {M_GET, "/admin/e/imanor-2017/paper/post", page_paper_print,
		RF_SESSION | RF_MANAGE, "imanor-2017", 1},
	    {M_POST, "/admin/e/imanor-2017/paper/batch", page_paper_batch,
		RF_SESSION | RF_MANAGE | RF_CSRF, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/entry/pre", page_entry_get,
		RF_SESSION | RF_MANAGE, "imanor-2017", 0},
	    {M_POST, "/admin/e/imanor-2017/entry/post", page_entry_post,
		RF_SESSION | RF_MANAGE | RF_CSRF, "imanor-2017", 1},
	    {M_GET, "/admin/e/imanor-2017/entry/conflicts",
		page_entry_conflicts, RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    {M_POST, "/admin/e/imanor-2017/entry/mode", page_entry_mode,
		RF_SESSION | RF_MANAGE | RF_CSRF, "imanor-2017", -1},
	    /* the current definition */
	    {M_GET, "/admin/e/imanor-2017/definition.json",
		page_definition_json, RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/definition.xlsx",
		page_definition_xlsx, RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    /* roles, password, audit log, archive, erasure */
	    {M_POST, "/admin/users/access", page_users_access,
		RF_SESSION | RF_ADMIN | RF_CSRF, "", -1},
	    {M_GET, "/admin/password", page_password_get, RF_SESSION, "", -1},
	    {M_POST, "/admin/password", page_password_post,
		RF_SESSION | RF_CSRF, "", -1},
	    {M_GET, "/admin/audit", page_audit_log, RF_SESSION, "", -1},
	    {M_POST, "/admin/e/imanor-2017/archive", page_archive,
		RF_SESSION | RF_ADMIN | RF_CSRF, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/erase", page_erase_get,
		RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    {M_POST, "/admin/e/imanor-2017/erase", page_erase_post,
		RF_SESSION | RF_MANAGE | RF_CSRF, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/poster", page_poster,
		RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	    {M_GET, "/admin/e/imanor-2017/contacts.csv", page_contacts_csv,
		RF_SESSION | RF_MANAGE, "imanor-2017", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		char allow[64] = "";
		int status;
		const struct route *rt = find(cases[i].m, cases[i].path, &r,
		    &status, allow, sizeof(allow));

		CHECK_MSG(rt != NULL && rt->handler == cases[i].handler,
		    "%s: not routed to its handler (status %d)", cases[i].path,
		    status);
		if (rt == NULL)
			continue;
		CHECK_MSG(rt->flags == cases[i].flags,
		    "%s: flags %#x, want %#x", cases[i].path, rt->flags,
		    cases[i].flags);
		CHECK_MSG(r.route == rt, "%s: r->route not set", cases[i].path);
		CHECK_STR(r.slug, cases[i].slug);
		CHECK_INT(r.instrument, cases[i].inst);
	}
}

/* A concrete path for pattern: {slug} -> "s-1", {inst} -> inst. */
static void instantiate(const char *pattern, const char *inst, char *out,
    size_t outlen)
{
	size_t n = 0;
	const char *p = pattern;

	while (*p && n + 8 < outlen) {
		if (strncmp(p, "{slug}", 6) == 0) {
			n += (size_t)snprintf(out + n, outlen - n, "s-1");
			p += 6;
		} else if (strncmp(p, "{inst}", 6) == 0) {
			n += (size_t)snprintf(out + n, outlen - n, "%s", inst);
			p += 6;
		} else if (strncmp(p, "{name}", 6) == 0) {
			n += (size_t)snprintf(out + n, outlen - n, "a-1");
			p += 6;
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
}

/* Every entry of the table: reachable (the matcher returns that very
 * entry, no earlier one shadows it), and the rules every route obeys. */
static void test_every_route(void)
{
	size_t i, n_admin_post = 0;

	CHECK(routes_len >= 25);
	for (i = 0; i < routes_len; i++) {
		const struct route *e = &routes[i];
		const char *insts[] = {"pre", "post"};
		size_t k, ninst = strstr(e->pattern, "{inst}") ? 2 : 1;
		int admin = strncmp(e->pattern, "/admin/", 7) == 0;
		int login = strcmp(e->pattern, "/admin/login") == 0;

		CHECK_MSG(e->handler != NULL, "%s: no handler", e->pattern);
		CHECK_MSG(e->pattern[0] == '/', "%s: not absolute", e->pattern);
		for (k = 0; k < ninst; k++) {
			char path[256], allow[64];
			struct req r;
			int status;
			const struct route *rt;

			instantiate(e->pattern, insts[k], path, sizeof(path));
			rt = find(e->method, path, &r, &status, allow,
			    sizeof(allow));
			CHECK_MSG(rt == e,
			    "%s %s (entry %zu) answered by entry %ld, status %d",
			    e->method == M_POST ? "POST" : "GET", path, i,
			    rt ? (long)(rt - routes) : -1L, status);
			if (strstr(e->pattern, "{slug}"))
				CHECK_STR(r.slug, "s-1");
			if (strstr(e->pattern, "{name}"))
				CHECK_STR(r.name, "a-1");
			CHECK_INT(r.instrument,
			    ninst == 2 ? (int)k : -1);
		}
		/* the expert's pages need a session; the sign-in form not */
		if (admin && !login)
			CHECK_MSG(e->flags & RF_SESSION, "%s: no RF_SESSION",
			    e->pattern);
		if (login)
			CHECK_MSG(!(e->flags & RF_SESSION), "%s: RF_SESSION",
			    e->pattern);
		/* every state-changing admin request is CSRF-checked (the
		 * sign-in form checks its own login cookie) */
		if (admin && !login && e->method == M_POST) {
			CHECK_MSG(e->flags & RF_CSRF, "POST %s: no RF_CSRF",
			    e->pattern);
			n_admin_post++;
		}
		if (strncmp(e->pattern, "/api/", 5) == 0)
			CHECK_MSG((e->flags & (RF_API | RF_SESSION)) ==
				(RF_API | RF_SESSION),
			    "%s: not an API route with a session", e->pattern);
		/* attendee routes are public */
		if (strncmp(e->pattern, "/e/", 3) == 0)
			CHECK_MSG(e->flags == 0, "%s: flags %#x", e->pattern,
			    e->flags);
		/* an event's routes are its organisers' too (RF_MANAGE):
		 * only archiving is the admins' alone */
		if (strstr(e->pattern, "{slug}") &&
		    strcmp(e->pattern, "/admin/e/{slug}/archive") != 0)
			CHECK_MSG(!(e->flags & RF_ADMIN), "%s: RF_ADMIN",
			    e->pattern);
		/* user management is the admins' alone */
		if (strncmp(e->pattern, "/admin/users", 12) == 0)
			CHECK_MSG(e->flags & RF_ADMIN, "%s: no RF_ADMIN",
			    e->pattern);
	}
	CHECK(n_admin_post >= 4);
}

struct ecase {
	enum http_method m;
	const char *path;
	int status;
	const char *allow; /* for 405 */
};

static void test_errors(void)
{
	static const struct ecase cases[] = {
	    {M_POST, "/healthz", 405, "GET, HEAD"},
	    {M_GET, "/healthz/", 404, NULL},
	    {M_POST, "/e/x/post/thanks", 405, "GET, HEAD"},
	    {M_GET, "/e/x/during", 404, NULL},
	    {M_GET, "/e/x/prefix", 404, NULL},
	    {M_GET, "/e/x/pre/", 404, NULL},
	    {M_GET, "/e/Upper/pre", 404, NULL},
	    {M_GET, "/e/..%2f../pre", 404, NULL},
	    {M_GET, "/e/../pre", 404, NULL},
	    {M_GET, "/e/-x/pre", 404, NULL},
	    {M_GET, "/e/x-/pre", 404, NULL},
	    {M_GET, "/e//pre", 404, NULL},
	    {M_GET, "/admin/logout", 405, "POST"},
	    {M_OTHER, "/e/x/pre", 405, "GET, HEAD, POST"},
	    {M_OTHER, "/admin/users", 405, "GET, HEAD, POST"},
	    {M_GET, "/no/such/page", 404, NULL},
	    {M_GET, "", 404, NULL},
	    {M_GET, "/admin/e/x/export.xml", 404, NULL},
	    {M_GET, "/api/v1/events/x/summary/", 404, NULL},
	    {M_GET, "/admin/e/x/chart/Likert.svg", 404, NULL},
	    {M_GET, "/admin/e/x/chart/.svg", 404, NULL},
	    {M_GET, "/admin/e/x/chart/a.b.svg", 404, NULL},
	    {M_GET, "/admin/e/x/chart/a/b.svg", 404, NULL},
	    {M_GET, "/admin/e/x/chart/likert.png", 404, NULL},
	    {M_GET, "/admin/e/x/chart/"
		"a234567890123456789012345678901234567890123456789012345678901234"
		".svg", 404, NULL},
	    {M_POST, "/admin/e/x/chart/likert.svg", 405, "GET, HEAD"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		char allow[64] = "";
		int status;
		const struct route *rt = find(cases[i].m, cases[i].path, &r,
		    &status, allow, sizeof(allow));

		CHECK_MSG(rt == NULL && status == cases[i].status,
		    "%s: status %d, want %d", cases[i].path, status,
		    cases[i].status);
		if (cases[i].allow)
			CHECK_STR(allow, cases[i].allow);
		/* nothing of a refused path is left in the request */
		CHECK_STR(r.slug, "");
		CHECK_INT(r.instrument, -1);
	}
}

static void test_limits(void)
{
	char longslug[200], slug64[80];
	struct req r;
	char allow[64];
	char canary = 'c';
	int status;

	/* a slug longer than 64 bytes never matches */
	memset(longslug, 0, sizeof(longslug));
	strcpy(longslug, "/e/");
	memset(longslug + 3, 'a', 100);
	strcat(longslug, "/pre");
	CHECK(find(M_GET, longslug, &r, &status, allow, sizeof(allow)) ==
	    NULL);
	CHECK_INT(status, 404);
	/* 64 bytes do, 65 not */
	memset(slug64, 0, sizeof(slug64));
	strcpy(slug64, "/e/");
	memset(slug64 + 3, 'b', 64);
	strcat(slug64, "/pre");
	CHECK(find(M_GET, slug64, &r, &status, allow, sizeof(allow)) != NULL);
	CHECK_INT(strlen(r.slug), 64);
	memset(slug64, 0, sizeof(slug64));
	strcpy(slug64, "/e/");
	memset(slug64 + 3, 'b', 65);
	strcat(slug64, "/pre");
	CHECK(find(M_GET, slug64, &r, &status, allow, sizeof(allow)) == NULL);
	CHECK_INT(status, 404);
	/* a zero-length Allow buffer is never touched */
	CHECK(find(M_POST, "/healthz", &r, &status, &canary, 0) == NULL);
	CHECK_INT(status, 405);
	CHECK(canary == 'c');
}

int main(void)
{
	test_contract();
	test_every_route();
	test_errors();
	test_limits();
	return check_done("routes");
}
