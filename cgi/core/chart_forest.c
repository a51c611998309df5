/* chart_forest.c: the forest plot of chart_forest.h. Self-contained (it
 * does not reach into chart.c's helpers) but emits the same element
 * objects, so svg/_body.mustache draws it: rows of labels, lines, dots,
 * heads (the pooled diamond) and texts, then grid, axes and axis texts.
 * Every element carries all its fields. Numbers go out as strings. */
#include "chart_forest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"

#define CW 360.0
#define PAD 8.0
#define LH 15.0
#define FILL_TEXT "#1a1a1a"
#define FILL_EST "#0072b2"
#define FILL_POOLED "#1a1a1a"

struct fp {
	const struct chart_common *c;
	struct json_object *root;
	int err;
};

static void add(struct fp *f, struct json_object *o, const char *key,
    struct json_object *v)
{
	if (f->err || v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		f->err = 1;
	}
}

static void str(struct fp *f, struct json_object *o, const char *key,
    const char *s)
{
	if (!f->err)
		add(f, o, key, json_object_new_string(s ? s : ""));
}

static void num(struct fp *f, struct json_object *o, const char *key,
    double v)
{
	char s[32];

	snprintf(s, sizeof(s), "%.1f", isfinite(v) ? v : 0.0);
	if (strcmp(s, "-0.0") == 0)
		snprintf(s, sizeof(s), "0.0");
	str(f, o, key, s);
}

/* A new object appended to the array o[key] (created on first use). */
static struct json_object *push(struct fp *f, struct json_object *o,
    const char *key)
{
	struct json_object *a, *e;

	if (f->err)
		return NULL;
	if (!json_object_object_get_ex(o, key, &a)) {
		a = json_object_new_array();
		add(f, o, key, a);
		if (f->err)
			return NULL;
	}
	e = json_object_new_object();
	if (e == NULL || json_object_array_add(a, e) != 0) {
		json_object_put(e);
		f->err = 1;
		return NULL;
	}
	return e;
}

static double mx(const struct fp *f, double x)
{
	return f->c->rtl ? CW - x : x;
}

static void text(struct fp *f, struct json_object *o, const char *key,
    double x, double y, const char *anchor, const char *s, int natural)
{
	struct json_object *e = push(f, o, key);
	const char *a = anchor;

	if (e == NULL)
		return;
	if (f->c->rtl && !natural)
		a = strcmp(anchor, "start") == 0 ? "end"
		    : strcmp(anchor, "end") == 0 ? "start" : anchor;
	num(f, e, "x", mx(f, x));
	num(f, e, "y", y);
	str(f, e, "anchor", a);
	str(f, e, "dir", f->c->rtl && natural ? "rtl" : "ltr");
	str(f, e, "cls", "chart-text");
	str(f, e, "fill", FILL_TEXT);
	str(f, e, "s", s);
}

static void line(struct fp *f, struct json_object *o, const char *key,
    double x1, double y1, double x2, double y2, const char *cls,
    const char *stroke)
{
	struct json_object *e = push(f, o, key);

	if (e == NULL)
		return;
	num(f, e, "x1", mx(f, x1));
	num(f, e, "y1", y1);
	num(f, e, "x2", mx(f, x2));
	num(f, e, "y2", y2);
	str(f, e, "cls", cls);
	str(f, e, "stroke", stroke);
}

struct json_object *chart_forest(const struct chart_common *c,
    const char *est_word, const char *ci_word, const char *n_word,
    const struct chart_forest_row *rows, size_t nrows)
{
	const double x0 = PAD + 14, w = CW - 2 * PAD - 28;
	struct fp f = {c, json_object_new_object(), 0};
	struct buf desc = BUF_INIT;
	double lo = 0, hi = 0, y = PAD, top;
	int none = 0;
	char m[32], l[32], h[32], s[256];

	if (f.root == NULL)
		return NULL;
	str(&f, f.root, "kind", "forest");
	str(&f, f.root, "id", c->id);
	str(&f, f.root, "title", c->title);
	add(&f, f.root, "rtl", json_object_new_boolean(c->rtl));
	num(&f, f.root, "w", CW);
	/* the axis: every finite bound and zero, to whole numbers */
	for (size_t i = 0; i < nrows; i++) {
		const double v[3] = {rows[i].mean, rows[i].lo, rows[i].hi};
		for (int j = 0; j < 3; j++)
			if (isfinite(v[j])) {
				lo = fmin(lo, v[j]);
				hi = fmax(hi, v[j]);
			}
	}
	lo = floor(lo);
	hi = ceil(hi);
	if (!(hi > lo))
		hi = lo + 1;
	top = y;
	for (size_t i = 0; i < nrows && !f.err; i++) {
		const struct chart_forest_row *r = &rows[i];
		struct json_object *o = push(&f, f.root, "rows");
		double yl;

		if (o == NULL)
			break;
		if (i > 0)
			y += 8;
		y += LH;
		text(&f, o, "labels", PAD, y - 3, "start", r->label, 1);
		snprintf(m, sizeof(m), "%s", CHART_NONE);
		chart_fmt_fixed(m, sizeof(m), r->mean, 2);
		chart_fmt_fixed(l, sizeof(l), r->lo, 2);
		chart_fmt_fixed(h, sizeof(h), r->hi, 2);
		none |= !isfinite(r->mean) || !isfinite(r->lo) ||
		    !isfinite(r->hi);
		snprintf(s, sizeof(s), "%s %s  [%s; %s]  %s = %lld", est_word,
		    m, l, h, n_word, r->n);
		buf_printf(&desc, "%s%s: %s %s, %s %s \xe2\x80\x93 %s, %s = %lld.",
		    i ? " " : "", r->label ? r->label : "", est_word, m,
		    ci_word, l, h, n_word, r->n);
		y += LH;
		text(&f, o, "texts", PAD, y - 3, "start", s, 1);
		yl = y + 9;
		if (isfinite(r->lo) && isfinite(r->hi)) {
			double xl = x0 + (r->lo - lo) / (hi - lo) * w;
			double xh = x0 + (r->hi - lo) / (hi - lo) * w;
			line(&f, o, "lines", xl, yl, xh, yl, "chart-axis",
			    "#555555");
			line(&f, o, "lines", xl, yl - 5, xl, yl + 5,
			    "chart-axis", "#555555");
			line(&f, o, "lines", xh, yl - 5, xh, yl + 5,
			    "chart-axis", "#555555");
		}
		if (isfinite(r->mean)) {
			double xm = x0 + (r->mean - lo) / (hi - lo) * w;
			if (r->pooled) {
				struct json_object *e = push(&f, o, "heads");
				char pts[128];
				snprintf(pts, sizeof(pts),
				    "%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f",
				    mx(&f, xm - 7), yl, mx(&f, xm), yl - 6,
				    mx(&f, xm + 7), yl, mx(&f, xm), yl + 6);
				str(&f, e, "points", pts);
				str(&f, e, "cls", "forest-pooled");
				str(&f, e, "fill", FILL_POOLED);
			} else {
				struct json_object *e = push(&f, o, "dots");
				num(&f, e, "cx", mx(&f, xm));
				num(&f, e, "cy", yl);
				num(&f, e, "r", 5);
				str(&f, e, "cls", "bar-post");
				str(&f, e, "fill", FILL_EST);
			}
		}
		y = yl + 9;
	}
	/* grid and ticks at whole numbers, the zero line darker */
	for (double v = lo; v <= hi + 1e-9 && !f.err;
	    v += hi - lo > 10 ? 2 : 1) {
		double x = x0 + (v - lo) / (hi - lo) * w;
		line(&f, f.root, v == 0 ? "axes" : "grid", x, top + 4, x,
		    y + 2, v == 0 ? "chart-axis" : "chart-grid",
		    v == 0 ? "#1a1a1a" : "#d0d4da");
		snprintf(s, sizeof(s), "%g", v + 0.0);
		text(&f, f.root, "axis_texts", x, y + 14, "middle", s, 0);
	}
	y += 16;
	if (none && c->none) {
		snprintf(s, sizeof(s), "%s = %s", CHART_NONE, c->none);
		buf_printf(&desc, " %s.", s);
		y += LH;
		text(&f, f.root, "axis_texts", PAD, y - 3, "start", s, 1);
	}
	num(&f, f.root, "h", y + PAD);
	str(&f, f.root, "desc", buf_cstr(&desc));
	if (desc.oom)
		f.err = 1;
	buf_free(&desc);
	if (f.err) {
		json_object_put(f.root);
		return NULL;
	}
	return f.root;
}
