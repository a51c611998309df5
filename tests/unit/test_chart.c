/* test_chart.c: the chart module's display formats, and every chart kind
 * rendered through the real template set with edge data (all zero counts,
 * n = 0, one response, undefined values, long Arabic labels with & < > ")
 * checked for well-formed XML (xmllint), a <title>, no style="" and no
 * NaN or inf. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "chart.h"
#include "check.h"
#include "tmpl.h"

static struct tmpl_set *set;
static int have_xmllint;

/* A label far longer than a line, Arabic, with every XML special. */
static const char ar_long[] =
    "\xd9\x85\xd8\xb9\xd8\xb1\xd9\x81\xd8\xa9 \xd8\xa7\xd9\x84\xd9\x85"
    "\xd9\x88\xd8\xa7\xd8\xb5\xd9\x81\xd8\xa7\xd8\xaa \xd8\xa7\xd9\x84"
    "\xd9\x82\xd9\x8a\xd8\xa7\xd8\xb3\xd9\x8a\xd8\xa9 \"ISO & IEC\" <\xd9\x88"
    "\xd8\xb7\xd8\xb1\xd9\x8a\xd9\x82\xd8\xa9> \xd8\xa5\xd8\xb9\xd8\xaf"
    "\xd8\xa7\xd8\xaf\xd9\x87\xd8\xa7 \xd9\x88\xd8\xa7\xd8\xb9\xd8\xaa"
    "\xd9\x85\xd8\xa7\xd8\xaf\xd9\x87\xd8\xa7 \xd9\x81\xd9\x8a \xd8\xa7"
    "\xd9\x84\xd9\x84\xd8\xac\xd8\xa7\xd9\x86 \xd8\xa7\xd9\x84\xd8\xaa"
    "\xd9\x82\xd9\x86\xd9\x8a\xd8\xa9 \xd9\x84\xd9\x84\xd9\x85\xd9\x86"
    "\xd8\xb8\xd9\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xaf\xd9\x88\xd9\x84"
    "\xd9\x8a\xd8\xa9 \xd9\x84\xd9\x84\xd8\xaa\xd9\x82\xd9\x8a\xd9\x8a"
    "\xd8\xb3 'x' \xd9\x88\xd8\xa7\xd9\x84\xd9\x84\xd8\xac\xd9\x86\xd8\xa9 "
    "\xd8\xa7\xd9\x84\xd9\x83\xd9\x87\xd8\xb1\xd9\x88\xd8\xaa\xd9\x82"
    "\xd9\x86\xd9\x8a\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xaf\xd9\x88\xd9\x84"
    "\xd9\x8a\xd8\xa9";
static const char *const scale[5] = {"Pas du tout", "Peu", "Moyennement",
    "Bien", "Tr\xc3\xa8s bien & <plus>"};

/* Case-insensitive substring. */
static int has_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

/* Crude tag balance for when xmllint is missing: every '<' opens a tag
 * closed by '>' before the next '<'; opening and closing tags pair up. */
static int tags_balanced(const char *s)
{
	int depth = 0;

	for (const char *p = s; (p = strchr(p, '<')) != NULL;) {
		const char *q = strchr(p, '>');
		if (q == NULL || memchr(p + 1, '<', (size_t)(q - p - 1)))
			return 0;
		if (p[1] == '/')
			depth--;
		else if (p[1] != '!' && p[1] != '?' && q[-1] != '/')
			depth++;
		if (depth < 0)
			return 0;
		p = q + 1;
	}
	return depth == 0;
}

/* 1 when xmllint accepts the file holding svg. */
static int xml_ok(const char *svg)
{
	char path[] = "/tmp/test_chart_XXXXXX";
	char cmd[128];
	int fd = mkstemp(path), rc;
	FILE *f;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		unlink(path);
		return 0;
	}
	fputs(svg, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* Renders obj (taking it) with svg/kind and runs every check. */
static void check_svg(const char *what, const char *kind,
    struct json_object *obj, int rtl)
{
	struct buf out = BUF_INIT;
	char name[64];
	const char *s;

	CHECK_MSG(obj != NULL, "%s: no chart data", what);
	if (obj == NULL)
		return;
	snprintf(name, sizeof(name), "svg/%s", kind);
	CHECK_MSG(tmpl_set_render(set, name, obj, &out) == 0,
	    "%s: rendering failed", what);
	s = buf_cstr(&out);
	CHECK_MSG(strncmp(s, "<svg ", 5) == 0, "%s: not an <svg>: %.40s",
	    what, s);
	CHECK_MSG(strstr(s, "<title id=") != NULL, "%s: no <title>", what);
	CHECK_MSG(strstr(s, "<desc id=") != NULL, "%s: no <desc>", what);
	CHECK_MSG(strstr(s, "role=\"img\"") != NULL, "%s: no role", what);
	CHECK_MSG(strstr(s, "aria-labelledby=") != NULL,
	    "%s: no aria-labelledby", what);
	CHECK_MSG(strstr(s, "viewBox=\"0 0 ") != NULL, "%s: no viewBox",
	    what);
	CHECK_MSG(!has_ci(s, "style="), "%s: style attribute", what);
	CHECK_MSG(!has_ci(s, "nan"), "%s: NaN in output", what);
	CHECK_MSG(!has_ci(s, "inf"), "%s: inf in output", what);
	CHECK_MSG(strstr(s, "<plus>") == NULL && strstr(s, "\"ISO") == NULL,
	    "%s: unescaped label", what);
	if (rtl)
		CHECK_MSG(strstr(s, "direction=\"rtl\"") != NULL,
		    "%s: rtl labels without direction", what);
	if (have_xmllint)
		CHECK_MSG(xml_ok(s), "%s: xmllint rejects it:\n%s", what, s);
	else
		CHECK_MSG(tags_balanced(s), "%s: unbalanced tags", what);
	if (getenv("CHART_DUMP")) {
		char path[128];
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s.svg", getenv("CHART_DUMP"),
		    what);
		if ((f = fopen(path, "w")) != NULL) {
			fputs(s, f);
			fclose(f);
		}
	}
	buf_free(&out);
	json_object_put(obj);
}

static void test_formats(void)
{
	char b[32];

	CHECK_STR(chart_fmt_fixed(b, sizeof(b), 2.345678, 2), "2.35");
	CHECK_STR(chart_fmt_fixed(b, sizeof(b), -0.001, 2), "0.00");
	CHECK_STR(chart_fmt_fixed(b, sizeof(b), NAN, 2), CHART_NONE);
	CHECK_STR(chart_fmt_fixed(b, sizeof(b), INFINITY, 1), CHART_NONE);
	CHECK_STR(chart_fmt_p(b, sizeof(b), 1.2e-05), "< 0.001");
	CHECK_STR(chart_fmt_p(b, sizeof(b), 0.001), "0.00100");
	CHECK_STR(chart_fmt_p(b, sizeof(b), 0.01234), "0.0123");
	CHECK_STR(chart_fmt_p(b, sizeof(b), 0.5), "0.500");
	CHECK_STR(chart_fmt_p(b, sizeof(b), 1), "1.00");
	CHECK_STR(chart_fmt_p(b, sizeof(b), 0.04996), "0.0500");
	CHECK_STR(chart_fmt_p(b, sizeof(b), NAN), CHART_NONE);
	CHECK_STR(chart_fmt_pct(b, sizeof(b), 0.6149), "61%");
	CHECK_STR(chart_fmt_pct(b, sizeof(b), 0), "0%");
	CHECK_STR(chart_fmt_pct(b, sizeof(b), NAN), CHART_NONE);
}

static void test_kinds(int rtl)
{
	struct chart_common c = {"c1", "Title & <t>", "no data \"x\"", rtl};
	const char *label = rtl ? ar_long : "Knowledge of ISO & <IEC> \"x\"";
	char what[64];
#define WHAT(s) (snprintf(what, sizeof(what), "%s%s", (s), rtl ? "-rtl" : ""), what)

	/* (a) Likert: typical, all zero, one response, n = 0 */
	{
		struct chart_likert_row rows[] = {
		    {label, "Avant", {9, 14, 10, 6, 2}},
		    {NULL, "Apr\xc3\xa8s", {0, 2, 8, 18, 13}},
		    {"Zero", "Avant", {0, 0, 0, 0, 0}},
		    {NULL, "Apr\xc3\xa8s", {0, 0, 0, 0, 1}},
		    {"Neutral only", "Avant", {0, 0, 3, 0, 0}},
		};
		check_svg(WHAT("likert"), "likert",
		    chart_likert(&c, scale, rows, 5), rtl);
		check_svg(WHAT("likert-empty"), "likert",
		    chart_likert(&c, scale, rows + 2, 1), rtl);
		check_svg(WHAT("likert-none"), "likert",
		    chart_likert(&c, scale, NULL, 0), rtl);
	}
	/* (b) dumbbell: gain, loss, equal, undefined, n = 0 */
	{
		struct chart_dumbbell_row rows[] = {
		    {label, 2.1, 3.4, 36},
		    {"Down", 4.0, 3.0, 1},
		    {"Same", 3.0, 3.0, 2},
		    {"Undefined", NAN, NAN, 0},
		    {"Post only", NAN, 5.0, 0},
		};
		check_svg(WHAT("dumbbell"), "dumbbell",
		    chart_dumbbell(&c, "Avant", "Apr\xc3\xa8s", "n", 1, 5,
			rows, 5), rtl);
	}
	/* (c) bars: sorted, zeros, undefined */
	{
		struct chart_bar_row rows[] = {
		    {"Zero", 0, 0, NULL},
		    {label, 57, 0, "61% top 3 \xc2\xb7 9 first & <more>"},
		    {"Second", 40, 0, "40%"},
		    {"Undefined", NAN, 0, NULL},
		};
		check_svg(WHAT("bars"), "bars",
		    chart_bars(&c, "points", rows, 4, 1), rtl);
		check_svg(WHAT("bars-zero"), "bars",
		    chart_bars(&c, "points", rows, 1, 1), rtl);
	}
	/* (d) paired shares */
	{
		struct chart_paired_row rows[] = {
		    {label, 12.0 / 36, 30.0 / 36},
		    {"All", 1, 1},
		    {"Undefined", NAN, NAN},
		};
		check_svg(WHAT("paired"), "paired",
		    chart_paired(&c, "Avant", "Apr\xc3\xa8s", rows, 3), rtl);
	}
	/* (e1) CI: typical, n = 1 (no interval), n = 0, beyond the scale */
	{
		struct chart_ci_row rows[] = {
		    {label, 4.2, 3.9, 4.5, 38},
		    {"One", 5, NAN, NAN, 1},
		    {"None", NAN, NAN, NAN, 0},
		    {"Wide", 1.5, -0.3, 3.3, 2},
		};
		check_svg(WHAT("ci"), "ci",
		    chart_ci(&c, "Moyenne", "IC 95 %", "n", 1, 5, rows, 4),
		    rtl);
	}
	/* (e2) NPS: typical, n = 0, a single promoter */
	{
		const char *names[3] = {"D\xc3\xa9tracteurs & <x>", "Passifs",
		    "Promoteurs"};
		check_svg(WHAT("nps"), "nps",
		    chart_nps(&c, names, "NPS", 8, 10, 20, 31.6), rtl);
		check_svg(WHAT("nps-zero"), "nps",
		    chart_nps(&c, names, "NPS", 0, 0, 0, NAN), rtl);
		check_svg(WHAT("nps-one"), "nps",
		    chart_nps(&c, names, "NPS", 0, 0, 1, 100), rtl);
	}
#undef WHAT
}

/* Mirroring: in an rtl chart the label anchor sits on the right. */
static void test_rtl_geometry(void)
{
	struct chart_common c = {"m", "t", NULL, 1};
	struct chart_bar_row rows[] = {{"a", 1, 0, NULL}};
	struct json_object *o = chart_bars(&c, "v", rows, 1, 0), *r, *l, *x;

	CHECK(o != NULL);
	if (o == NULL)
		return;
	CHECK(json_object_object_get_ex(o, "rows", &r));
	l = json_object_array_get_idx(r, 0);
	CHECK(json_object_object_get_ex(l, "labels", &l));
	l = json_object_array_get_idx(l, 0);
	CHECK(json_object_object_get_ex(l, "x", &x));
	CHECK(atof(json_object_get_string(x)) > 300);
	json_object_put(o);
}

int main(void)
{
	char err[512] = "";

	set = tmpl_set_load("templates", err, sizeof(err));
	CHECK_MSG(set != NULL, "templates: %s", err);
	if (set == NULL)
		return check_done("test_chart");
	have_xmllint = system("xmllint --version >/dev/null 2>&1") == 0;
	if (!have_xmllint)
		printf("test_chart: xmllint missing (apt-get install "
		       "libxml2-utils): falling back to a tag-balance check\n");
	test_formats();
	test_kinds(0);
	test_kinds(1);
	test_rtl_geometry();
	tmpl_set_free(set);
	return check_done("test_chart");
}
