/* test_tmpl.c: the mustache renderer against the mustache spec, malformed
 * templates, escaping and numbers, template sets, the base layout and
 * `enquetectl render`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "config.h"
#include "i18n.h"
#include "tmpl.h"

/* The mustache spec (mustache/spec at 9cb20c3) has no package to install
 * it from: it is read from $ENQUETE_SHARED/testdata/mustache-spec, or
 * ../shared/testdata/mustache-spec when ENQUETE_SHARED is not set. Where
 * neither exists (a clone with nothing beside it) its cases are counted as
 * skipped and printed, never as passed. */
static const char *shared_dir(void)
{
	const char *s = getenv("ENQUETE_SHARED");
	return s && *s ? s : "../shared";
}

/* Runs every test of one spec file (ncases: its number of cases at that
 * commit); returns the number that failed. */
static int run_spec_file(const char *file, size_t ncases, int required)
{
	char path[1024];
	struct json_object *root, *tests;
	size_t i, n;
	int pass = 0, fail = 0;

	snprintf(path, sizeof(path), "%s/testdata/mustache-spec/%s.json",
	    shared_dir(), file);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		if (required)
			CHECK_SKIP((int)ncases,
			    "mustache spec %s: %s not found (set ENQUETE_SHARED "
			    "to the folder holding testdata/mustache-spec)",
			    file, path);
		else
			printf("spec %s (optional): %s not found\n", file,
			    path);
		return 0;
	}
	root = json_object_from_file(path);
	CHECK_MSG(root != NULL, "cannot read %s", path);
	if (root == NULL)
		return 1;
	json_object_object_get_ex(root, "tests", &tests);
	n = json_object_array_length(tests);
	/* a truncated or different copy of the spec is not silently fewer
	 * cases */
	CHECK_MSG(n == ncases, "%s: %zu cases, want %zu (mustache/spec 9cb20c3)",
	    path, n, ncases);
	for (i = 0; i < n; i++) {
		struct json_object *tc = json_object_array_get_idx(tests, i);
		struct json_object *name, *tpl, *data, *want, *partials = NULL;
		struct tmpl_set *set = tmpl_set_new();
		struct tmpl_error err;
		struct tmpl *t;
		struct buf out = BUF_INIT;
		int ok = 1;

		json_object_object_get_ex(tc, "name", &name);
		json_object_object_get_ex(tc, "template", &tpl);
		json_object_object_get_ex(tc, "data", &data);
		json_object_object_get_ex(tc, "expected", &want);
		json_object_object_get_ex(tc, "partials", &partials);
		if (partials) {
			json_object_object_foreach(partials, pn, pv)
			{
				if (tmpl_set_add(set, pn,
					json_object_get_string(pv),
					(size_t)json_object_get_string_len(pv),
					&err))
					ok = 0;
			}
		}
		t = tmpl_compile(json_object_get_string(tpl),
		    (size_t)json_object_get_string_len(tpl), &err);
		if (t == NULL || !ok ||
		    tmpl_render(t, data, tmpl_set_partial, set, &out) != 0)
			ok = 0;
		if (ok && strcmp(buf_cstr(&out), json_object_get_string(want)))
			ok = 0;
		if (ok) {
			pass++;
		} else {
			fail++;
			if (required || getenv("ENQUETE_VERBOSE"))
				fprintf(stderr, "  %s %s: %s\n    got  %s\n    want %s\n",
			    required ? "FAIL" : "(optional) fail", file,
			    json_object_get_string(name),
			    t ? buf_cstr(&out) : err.msg,
			    json_object_get_string(want));
		}
		if (required)
			CHECK_MSG(ok, "spec %s: %s", file,
			    json_object_get_string(name));
		buf_free(&out);
		tmpl_free(t);
		tmpl_set_free(set);
	}
	printf("spec %-13s %2d/%2d%s\n", file, pass, pass + fail,
	    required ? "" : " (optional)");
	json_object_put(root);
	return fail;
}

static void test_spec(void)
{
	static const struct {
		const char *file;
		size_t cases;
	} required[] = {{"comments", 12}, {"delimiters", 14},
	    {"interpolation", 42}, {"inverted", 22}, {"partials", 12},
	    {"sections", 34}};
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(*required); i++)
		run_spec_file(required[i].file, required[i].cases, 1);
	run_spec_file("~inheritance", 27, 0);
}

/* Renders src with data (JSON text); returns a static copy (test only). */
static const char *render(const char *src, const char *json)
{
	static char res[4096];
	struct json_object *data = json_tokener_parse(json);
	struct tmpl_error err;
	struct tmpl *t = tmpl_compile(src, strlen(src), &err);
	struct buf out = BUF_INIT;

	if (t == NULL)
		snprintf(res, sizeof(res), "ERROR %d:%d: %s", err.line, err.col,
		    err.msg);
	else if (tmpl_render(t, data, NULL, NULL, &out))
		snprintf(res, sizeof(res), "RENDER FAILED");
	else
		snprintf(res, sizeof(res), "%s", buf_cstr(&out));
	buf_free(&out);
	tmpl_free(t);
	json_object_put(data);
	return res;
}

static void test_values(void)
{
	CHECK_STR(render("{{x}}", "{\"x\": \"a&b<c>d\\\"e'f\"}"),
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	CHECK_STR(render("{{{x}}}|{{&x}}", "{\"x\": \"<&>\"}"), "<&>|<&>");
	CHECK_STR(render("{{x}}", "{\"x\": 0.1}"), "0.1");
	CHECK_STR(render("{{x}}", "{\"x\": 1.0}"), "1");
	CHECK_STR(render("{{x}}", "{\"x\": 1.5}"), "1.5");
	CHECK_STR(render("{{x}}", "{\"x\": 0.30000000000000004}"),
	    "0.30000000000000004");
	CHECK_STR(render("{{x}}", "{\"x\": 1.2e-05}"), "1.2e-05");
	CHECK_STR(render("{{x}}", "{\"x\": -42}"), "-42");
	CHECK_STR(render("{{x}}", "{\"x\": 9223372036854775807}"),
	    "9223372036854775807");
	CHECK_STR(render("{{x}}", "{\"x\": 18446744073709551615}"),
	    "18446744073709551615");
	CHECK_STR(render("{{x}}|{{y}}", "{\"x\": true, \"y\": false}"),
	    "true|false");
	CHECK_STR(render("[{{x}}{{missing}}]", "{\"x\": null}"), "[]");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{\"x\": \"\"}"), "F");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{\"x\": \"s\"}"), "T");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{\"x\": []}"), "F");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{\"x\": null}"), "F");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{\"x\": 0}"), "T");
	CHECK_STR(render("{{#x}}T{{/x}}{{^x}}F{{/x}}", "{}"), "F");
	CHECK_STR(render("{{#l}}{{.}},{{/l}}", "{\"l\": [1, \"<\", 2.5]}"),
	    "1,&lt;,2.5,");
	CHECK_STR(render("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}"),
	    "deep");
	CHECK_STR(render("{{x}}", "{\"x\": {\"a\": 1}}"), "");
	CHECK_STR(render("{{x}}", "{\"x\": \"caf\\u00e9 \\u0639\"}"),
	    "caf\xc3\xa9 \xd8\xb9");
	CHECK_STR(render("", "{}"), "");
	/* A missing partial renders empty with no resolver. */
	CHECK_STR(render("a{{>p}}b", "{}"), "ab");
}

struct bad_case {
	const char *src;
	int line, col;
	const char *msg_part;
};

static void test_malformed(void)
{
	static const struct bad_case cases[] = {
	    {"{{#a}}x", 1, 1, "unclosed section \"a\""},
	    {"line\n  {{#a}}\n{{#b}}x{{/b}}\n", 2, 3, "unclosed section \"a\""},
	    {"{{#a}}x{{/b}}", 1, 8, "section \"a\" closed by \"b\""},
	    {"a\nb {{/a}}", 2, 3, "without an open section"},
	    {"x {{name", 1, 3, "unclosed tag"},
	    {"x\n\n {{{name}}", 3, 2, "unclosed tag"},
	    {"{{", 1, 1, "unclosed tag"},
	    {"{{{", 1, 1, "unclosed tag"},
	    {"{{=", 1, 1, "unclosed tag"},
	    {"{{=<% %>", 1, 1, "unclosed tag"},
	    {"ok\n{{=<%=}}", 2, 1, "invalid delimiters"},
	    {"{{= a b c =}}", 1, 1, "invalid delimiters"},
	    {"{{=a= b=}}", 1, 1, "invalid delimiters"},
	    {"{{=<% %>=}}\n<%#a%>\n<%/b%>", 3, 1, "closed by"},
	    {"{{}}", 1, 1, "empty tag name"},
	    {"{{a b}}", 1, 1, "space inside"},
	    {"{{a..b}}", 1, 1, "empty part"},
	    {"{{#}}{{/}}", 1, 1, "empty tag name"},
	    {"{{! never closed", 1, 1, "unclosed tag"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *src = cases[i].src;
		size_t len = strlen(src);
		/* An exact-size heap copy without a NUL: ASan catches any read
		 * past the end. */
		char *copy = malloc(len ? len : 1);
		struct tmpl_error err;
		struct tmpl *t;

		memcpy(copy, src, len);
		t = tmpl_compile(copy, len, &err);
		CHECK_MSG(t == NULL, "compiled: %s", src);
		if (t == NULL) {
			CHECK_MSG(err.line == cases[i].line &&
				err.col == cases[i].col &&
				strstr(err.msg, cases[i].msg_part),
			    "%s: got %d:%d: %s, want %d:%d: ...%s...", src,
			    err.line, err.col, err.msg, cases[i].line,
			    cases[i].col, cases[i].msg_part);
		}
		tmpl_free(t);
		free(copy);
	}
	/* Every prefix of a valid template: compiles or fails cleanly,
	 * never reads past its length. */
	{
		const char *src = "a {{#s}}{{x}} {{{y}}} {{>p}}{{/s}}"
				  "{{=<% %>=}}<%^z%>b<%/z%>";
		size_t len = strlen(src), k;
		for (k = 0; k <= len; k++) {
			char *copy = malloc(k ? k : 1);
			struct tmpl_error err;
			struct tmpl *t;

			memcpy(copy, src, k);
			memset(&err, 0, sizeof(err));
			t = tmpl_compile(copy, k, &err);
			/* a refused prefix says where and why */
			if (t == NULL)
				CHECK_MSG(err.msg[0] != '\0' && err.line >= 1 &&
					err.col >= 1,
				    "prefix %zu: no error position or message",
				    k);
			/* the whole template compiles */
			if (k == len)
				CHECK_MSG(t != NULL, "%s: %s", src, err.msg);
			tmpl_free(t);
			free(copy);
		}
	}
}

/* Recursion through partials stops at TMPL_MAX_DEPTH instead of crashing. */
static void test_runaway(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct tmpl_error err;
	struct buf out = BUF_INIT;
	struct json_object *data = json_object_new_object();

	CHECK_INT(tmpl_set_add(s, "loop", "x{{>loop}}", 10, &err), 0);
	CHECK_INT(tmpl_set_render(s, "loop", data, &out), -1);
	CHECK_INT(tmpl_set_render(s, "absent", data, &out), -1);
	buf_free(&out);
	json_object_put(data);
	tmpl_set_free(s);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_set_load(void)
{
	char dir[] = "/tmp/enquete-tmpl-XXXXXX", p[512], err[512];
	struct tmpl_set *s;
	struct json_object *data;
	struct buf out = BUF_INIT;

	if (mkdtemp(dir) == NULL) {
		CHECK_MSG(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(p, sizeof(p), "%s/svg", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/page.mustache", dir);
	write_file(p, "<p>{{>svg/bar}}</p>\n");
	snprintf(p, sizeof(p), "%s/svg/bar.mustache", dir);
	write_file(p, "<svg>{{n}}</svg>");
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	write_file(p, "{{#not a template");

	s = tmpl_set_load(dir, err, sizeof(err));
	CHECK_MSG(s != NULL, "tmpl_set_load: %s", err);
	if (s) {
		CHECK(tmpl_set_get(s, "page") != NULL);
		CHECK(tmpl_set_get(s, "svg/bar") != NULL);
		CHECK(tmpl_set_get(s, "notes") == NULL);
		data = json_tokener_parse("{\"n\": 3}");
		CHECK_INT(tmpl_set_render(s, "page", data, &out), 0);
		CHECK_STR(buf_cstr(&out), "<p><svg>3</svg></p>\n");
		json_object_put(data);
		tmpl_set_free(s);
	}

	/* A missing partial is a load error naming file:line:col. */
	snprintf(p, sizeof(p), "%s/page.mustache", dir);
	write_file(p, "<p>\n  {{>svg/nope}}</p>\n");
	s = tmpl_set_load(dir, err, sizeof(err));
	CHECK(s == NULL);
	snprintf(p, sizeof(p), "%s/page.mustache:2:3: partial \"svg/nope\" not "
			       "found",
	    dir);
	CHECK_STR(err, p);
	tmpl_set_free(s);

	/* A malformed template is a load error too. */
	snprintf(p, sizeof(p), "%s/page.mustache", dir);
	write_file(p, "<p>\n{{#a}}\n</p>\n");
	s = tmpl_set_load(dir, err, sizeof(err));
	CHECK(s == NULL);
	snprintf(p, sizeof(p), "%s/page.mustache:2:1: unclosed section \"a\"",
	    dir);
	CHECK_STR(err, p);
	tmpl_set_free(s);

	s = tmpl_set_load("/nonexistent/enquete", err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "/nonexistent/enquete") != NULL);

	snprintf(p, sizeof(p), "%s/page.mustache", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/svg/bar.mustache", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/svg", dir);
	rmdir(p);
	rmdir(dir);
	buf_free(&out);
}

/* Layout data as a page handler would build it. */
static struct json_object *layout_data(const char *lang)
{
	static const char *langs[] = {"fr", "en", "ar"};
	struct json_object *d = json_object_new_object(), *list, *item;
	size_t i;

	json_object_object_add(d, "lang", json_object_new_string(lang));
	json_object_object_add(d, "dir",
	    json_object_new_string(i18n_dir(lang)));
	json_object_object_add(d, "title",
	    json_object_new_string("Questionnaire <pré>"));
	json_object_object_add(d, "t", json_object_get(i18n_catalog(lang)));
	json_object_object_add(d, "script", json_object_new_boolean(1));
	json_object_object_add(d, "body",
	    json_object_new_string("<h1>Test</h1>\n<p>Body &amp; text</p>"));
	list = json_object_new_array();
	for (i = 0; i < 3; i++) {
		char href[32];
		struct json_object *name;

		item = json_object_new_object();
		snprintf(href, sizeof(href), "?lang=%s", langs[i]);
		json_object_object_add(item, "href",
		    json_object_new_string(href));
		json_object_object_add(item, "lang",
		    json_object_new_string(langs[i]));
		json_object_object_get_ex(i18n_catalog(langs[i]), "lang_name",
		    &name);
		json_object_object_add(item, "label", json_object_get(name));
		json_object_object_add(item, "current",
		    json_object_new_boolean(strcmp(lang, langs[i]) == 0));
		json_object_array_add(list, item);
	}
	json_object_object_add(d, "languages", list);
	return d;
}

static int have_tidy(void)
{
	return system("command -v tidy >/dev/null 2>&1") == 0;
}

/* tidy -q -e must report nothing but what old tidy versions wrongly call
 * proprietary (aria-current is WAI-ARIA 1.1). */
static void check_tidy(const char *path, const char *lang)
{
	char cmd[256], line[512];
	FILE *p;
	int bad = 0, status;

	snprintf(cmd, sizeof(cmd), "tidy -q -e %s 2>&1", path);
	if ((p = popen(cmd, "r")) == NULL) {
		CHECK_MSG(0, "popen tidy: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "proprietary attribute \"aria-current\""))
			continue;
		fprintf(stderr, "tidy (%s): %s", lang, line);
		bad++;
	}
	status = pclose(p);
	CHECK_MSG(bad == 0 && status != -1 && WEXITSTATUS(status) < 2,
	    "tidy -q -e on the %s layout: %d messages, status %d", lang, bad,
	    status);
}

/* Compares with tests/golden/layout.LANG.html; ENQUETE_UPDATE_GOLDEN=1
 * rewrites the file instead (then review the diff). */
static void check_golden(const char *lang, const char *html)
{
	char path[256], want[65536];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "tests/golden/layout.%s.html", lang);
	if (getenv("ENQUETE_UPDATE_GOLDEN")) {
		if ((f = fopen(path, "w")) != NULL) {
			fputs(html, f);
			fclose(f);
		}
	}
	if ((f = fopen(path, "r")) == NULL) {
		CHECK_MSG(0, "%s: %s", path, strerror(errno));
		return;
	}
	n = fread(want, 1, sizeof(want) - 1, f);
	want[n] = '\0';
	fclose(f);
	CHECK_MSG(strcmp(html, want) == 0,
	    "layout (%s) differs from %s; run with ENQUETE_UPDATE_GOLDEN=1 "
	    "and review the diff", lang, path);
}

static void test_layout(void)
{
	static const char *langs[] = {"fr", "en", "ar"};
	char err[512], want[128], path[] = "/tmp/enquete-layout-XXXXXX";
	struct tmpl_set *s;
	int tidy = have_tidy(), fd;
	size_t i;

	if (i18n_load("templates/i18n", err, sizeof(err))) {
		CHECK_MSG(0, "i18n_load: %s", err);
		return;
	}
	s = tmpl_set_load("templates", err, sizeof(err));
	CHECK_MSG(s != NULL, "tmpl_set_load(templates): %s", err);
	if (s == NULL)
		return;
	if (!tidy)
		CHECK_SKIP(3, "layout: tidy not installed (scripts/deps "
			      "installs it), HTML validation of the fr, en, ar "
			      "layouts");
	for (i = 0; i < 3; i++) {
		struct json_object *d = layout_data(langs[i]);
		struct buf out = BUF_INIT;
		const char *html;

		CHECK_INT(tmpl_set_render(s, "layout", d, &out), 0);
		html = buf_cstr(&out);
		snprintf(want, sizeof(want), "<html lang=\"%s\" dir=\"%s\">",
		    langs[i], i18n_dir(langs[i]));
		CHECK_MSG(strstr(html, want) != NULL, "%s: no %s", langs[i],
		    want);
		CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
		CHECK(strstr(html, "<meta charset=\"utf-8\">") != NULL);
		CHECK(strstr(html, "<h1>Test</h1>\n<p>Body &amp; text</p>") !=
		    NULL);
		CHECK(strstr(html, "Questionnaire &lt;pré&gt;") != NULL);
		CHECK(strstr(html, "<main id=\"main\"") != NULL);
		CHECK(strstr(html, "src=\"/static/enquete.js\" defer") != NULL);
		CHECK(strstr(html, "aria-current=\"page\"") != NULL);
		CHECK(strstr(html, "hreflang=\"ar\"") != NULL);
		CHECK(strstr(html, "style=") == NULL);
		CHECK(strstr(html, "<script>") == NULL);
		if (strcmp(langs[i], "ar") == 0)
			CHECK(strstr(html, "dir=\"rtl\"") != NULL);
		if (tidy && (fd = mkstemp(path)) >= 0) {
			if (write(fd, html, out.len) != (ssize_t)out.len)
				CHECK(0);
			close(fd);
			check_tidy(path, langs[i]);
			unlink(path);
			memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		}
		check_golden(langs[i], html);
		buf_free(&out);
		json_object_put(d);
	}
	tmpl_set_free(s);
	i18n_free();
}

/* Runs ctl_render with stdout and stderr sent to files; returns its status
 * and the captured texts (static buffers, test only). */
static int run_ctl(char **argv, int argc, const char **outp,
    const char **errp)
{
	static char obuf[8192], ebuf[8192];
	char opath[] = "/tmp/enquete-ctl-out-XXXXXX";
	char epath[] = "/tmp/enquete-ctl-err-XXXXXX";
	int ofd = mkstemp(opath), efd = mkstemp(epath);
	int so = dup(1), se = dup(2), rc;
	ssize_t n;

	fflush(stdout);
	fflush(stderr);
	dup2(ofd, 1);
	dup2(efd, 2);
	rc = ctl_render(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	lseek(ofd, 0, SEEK_SET);
	n = read(ofd, obuf, sizeof(obuf) - 1);
	obuf[n > 0 ? n : 0] = '\0';
	lseek(efd, 0, SEEK_SET);
	n = read(efd, ebuf, sizeof(ebuf) - 1);
	ebuf[n > 0 ? n : 0] = '\0';
	close(ofd);
	close(efd);
	unlink(opath);
	unlink(epath);
	*outp = obuf;
	*errp = ebuf;
	return rc;
}

static void test_ctl_render(void)
{
	char tp[] = "/tmp/enquete-t-XXXXXX", dp[] = "/tmp/enquete-d-XXXXXX";
	char pp[] = "/tmp/enquete-p-XXXXXX", want[256];
	const char *out, *err;
	char *argv[5];
	int fd;

	if ((fd = mkstemp(tp)) >= 0)
		close(fd);
	if ((fd = mkstemp(dp)) >= 0)
		close(fd);
	if ((fd = mkstemp(pp)) >= 0)
		close(fd);
	argv[0] = (char *)"render";
	argv[1] = tp;
	argv[2] = dp;
	argv[3] = pp;
	argv[4] = NULL;

	write_file(tp, "Hi {{name}}{{>p}}");
	write_file(dp, "{\"name\": \"<A>\"}");
	write_file(pp, "{\"p\": \"!{{#name}}{{.}}{{/name}}\"}");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 0);
	CHECK_STR(out, "Hi &lt;A&gt;!&lt;A&gt;");
	CHECK_STR(err, "");

	/* PARTIALS.json given: a missing partial renders empty, as in the
	 * spec. */
	write_file(pp, "{}");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 0);
	CHECK_STR(out, "Hi &lt;A&gt;");

	/* Unclosed section. */
	write_file(tp, "a\n {{#x}}\n");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 1);
	CHECK_STR(out, "");
	snprintf(want, sizeof(want), "%s:2:2: unclosed section \"x\"\n", tp);
	CHECK_STR(err, want);

	/* Bad JSON: position of the error. */
	write_file(tp, "{{x}}");
	write_file(dp, "{\n  \"x\": 1,\n  \"y\": ]\n}");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 1);
	snprintf(want, sizeof(want), "%s:3:8: ", dp);
	CHECK_MSG(strncmp(err, want, strlen(want)) == 0, "got %s want %s...",
	    err, want);
	write_file(dp, "{\"x\": 1} tail");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 1);
	snprintf(want, sizeof(want), "%s:1:10: ", dp);
	CHECK_MSG(strncmp(err, want, strlen(want)) == 0, "got %s want %s...",
	    err, want);
	write_file(dp, "{\"x\": ");
	CHECK_INT(run_ctl(argv, 4, &out, &err), 1);
	CHECK(strstr(err, dp) != NULL);

	/* Missing file. */
	write_file(dp, "{}");
	argv[1] = (char *)"/nonexistent/t.mustache";
	CHECK_INT(run_ctl(argv, 3, &out, &err), 1);
	CHECK(strncmp(err, "/nonexistent/t.mustache:", 24) == 0);
	argv[1] = tp;

	/* Usage. */
	CHECK_INT(run_ctl(argv, 2, &out, &err), 2);

	/* Without PARTIALS.json: partials from $ENQUETE_TEMPLATES. */
	{
		char dir[] = "/tmp/enquete-tdir-XXXXXX", p[300], cerr[256];
		if (mkdtemp(dir)) {
			snprintf(p, sizeof(p), "%s/greet.mustache", dir);
			write_file(p, "[{{x}}]");
			setenv("ENQUETE_TEMPLATES", dir, 1);
			/* as enquetectl's start does: settings read once */
			CHECK_INT(config_load(CFG_R_CTL, cerr, sizeof(cerr)), 0);
			write_file(tp, "{{>greet}}");
			write_file(dp, "{\"x\": 0.1}");
			CHECK_INT(run_ctl(argv, 3, &out, &err), 0);
			CHECK_STR(out, "[0.1]");
			write_file(tp, "\n{{>nope}}");
			CHECK_INT(run_ctl(argv, 3, &out, &err), 1);
			snprintf(want, sizeof(want),
			    "%s:2:1: partial \"nope\" not found\n", tp);
			CHECK_STR(err, want);
			unsetenv("ENQUETE_TEMPLATES");
			CHECK_INT(config_load(CFG_R_CTL, cerr, sizeof(cerr)), 0);
			unlink(p);
			rmdir(dir);
		}
	}
	unlink(tp);
	unlink(dp);
	unlink(pp);
}

int main(void)
{
	test_spec();
	test_values();
	test_malformed();
	test_runaway();
	test_set_load();
	test_layout();
	test_ctl_render();
	return check_done("tmpl");
}
