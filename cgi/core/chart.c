/* chart.c: geometry, display strings and text alternatives of the
 * dashboard's charts, as json-c data for templates/svg/<kind>.mustache.
 *
 * Every chart is drawn on a 360-unit-wide canvas in 12-unit text so that
 * it stays legible when the page is 320 px wide. Item labels take their
 * own lines above the bars (wrapped here), never a side column that would
 * squeeze the bars on a phone. Coordinates are computed left to right and
 * mirrored at the end of each primitive when the chart is right-to-left.
 * Numbers travel to the templates as strings already formatted, so no NaN
 * or long float can reach the markup. */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"

#define CW 360.0    /* canvas width */
#define PAD 8.0     /* outer margin */
#define LH 15.0     /* one line of 12-unit text */
#define BH 18.0     /* a bar's thickness */
#define RGAP 12.0   /* space between rows */
#define WRAP 52     /* code points per label line */
#define CHARW 7.0   /* estimated advance of one character */

/* Fill colours matching the classes of enquete.css, as presentation
 * attributes for viewers without the stylesheet (the class wins). */
static const char *const lk_fill[5] = {"#b35806", "#f1a340", "#d9d9d9",
    "#67a9cf", "#2166ac"};
#define FILL_PRE "#e69f00"
#define FILL_POST "#0072b2"
#define FILL_BAR "#0072b2"
#define FILL_TEXT "#1a1a1a"
#define FILL_INV "#ffffff"

/* One chart being built. Errors are sticky: once err is set every helper
 * does nothing and the builder returns NULL. */
struct cv {
	const struct chart_common *c;
	struct json_object *root;
	struct json_object *row;   /* the row being filled */
	struct buf desc;
	double y;
	int err;
};

const char *chart_fmt_fixed(char *out, size_t n, double x, int decimals)
{
	if (!isfinite(x)) {
		snprintf(out, n, "%s", CHART_NONE);
		return out;
	}
	snprintf(out, n, "%.*f", decimals, x);
	/* no "-0.00" */
	if (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1))
		memmove(out, out + 1, strlen(out));
	return out;
}

const char *chart_fmt_p(char *out, size_t n, double p)
{
	int decimals;

	if (!isfinite(p)) {
		snprintf(out, n, "%s", CHART_NONE);
		return out;
	}
	if (p < 0.001) {
		snprintf(out, n, "< 0.001");
		return out;
	}
	/* 3 significant digits in fixed notation: 0.0123, 0.123, 1.00 */
	decimals = 2 - (int)floor(log10(p));
	if (decimals < 2)
		decimals = 2;
	snprintf(out, n, "%.*f", decimals, p);
	/* rounding up may add a digit: 0.000999 is caught above, 0.00999
	 * prints 0.0100, which still has 3 significant digits */
	return out;
}

const char *chart_fmt_pct(char *out, size_t n, double share)
{
	if (!isfinite(share)) {
		snprintf(out, n, "%s", CHART_NONE);
		return out;
	}
	snprintf(out, n, "%.0f%%", share * 100.0 + 0.0);
	return out;
}

/* ---- json helpers (errors sticky on the canvas) ---- */

static void put(struct cv *k, struct json_object *o, const char *key,
    struct json_object *v)
{
	if (k->err || v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		k->err = 1;
	}
}

static void put_str(struct cv *k, struct json_object *o, const char *key,
    const char *s)
{
	if (k->err)
		return;
	put(k, o, key, json_object_new_string(s ? s : ""));
}

static void put_bool(struct cv *k, struct json_object *o, const char *key,
    int v)
{
	if (k->err)
		return;
	put(k, o, key, json_object_new_boolean(v));
}

/* A coordinate as a short string ("12.5"). */
static void put_num(struct cv *k, struct json_object *o, const char *key,
    double v)
{
	char s[32];

	if (!isfinite(v))
		v = 0;
	snprintf(s, sizeof(s), "%.1f", v);
	if (strcmp(s, "-0.0") == 0)
		snprintf(s, sizeof(s), "0.0");
	put_str(k, o, key, s);
}

/* The array called key in o, created on first use. Borrowed. */
static struct json_object *arr(struct cv *k, struct json_object *o,
    const char *key)
{
	struct json_object *a;

	if (k->err)
		return NULL;
	if (json_object_object_get_ex(o, key, &a))
		return a;
	a = json_object_new_array();
	put(k, o, key, a);
	return k->err ? NULL : a;
}

/* A new object appended to o[key]. Borrowed. */
static struct json_object *push(struct cv *k, struct json_object *o,
    const char *key)
{
	struct json_object *a = arr(k, o, key), *e;

	if (a == NULL)
		return NULL;
	e = json_object_new_object();
	if (e == NULL || json_object_array_add(a, e) != 0) {
		json_object_put(e);
		k->err = 1;
		return NULL;
	}
	return e;
}

/* ---- primitives, in left-to-right coordinates ---- */

static double mx(const struct cv *k, double x)
{
	return k->c->rtl ? CW - x : x;
}

/* A rectangle; cls is a class of enquete.css, fill its colour. */
static void rect(struct cv *k, struct json_object *o, const char *key,
    double x, double y, double w, double h, const char *cls,
    const char *fill)
{
	struct json_object *e = push(k, o, key);

	if (e == NULL)
		return;
	if (w < 0)
		w = 0;
	put_num(k, e, "x", k->c->rtl ? CW - x - w : x);
	put_num(k, e, "y", y);
	put_num(k, e, "w", w);
	put_num(k, e, "h", h);
	put_str(k, e, "cls", cls);
	put_str(k, e, "fill", fill);
}

/* Text at (x, y) (baseline). anchor is "start", "end" or "middle" in
 * reading order; rtl_text marks a natural-language string that flows right
 * to left in an rtl chart (numbers keep their own direction). */
static void text(struct cv *k, struct json_object *o, const char *key,
    double x, double y, const char *anchor, const char *s, int inv,
    int rtl_text)
{
	struct json_object *e = push(k, o, key);
	const char *a = anchor;
	int dir_rtl = 0;

	if (e == NULL)
		return;
	if (k->c->rtl) {
		if (rtl_text)
			dir_rtl = 1; /* start of rtl text is its right edge */
		else if (strcmp(anchor, "start") == 0)
			a = "end";
		else if (strcmp(anchor, "end") == 0)
			a = "start";
	}
	put_num(k, e, "x", mx(k, x));
	put_num(k, e, "y", y);
	put_str(k, e, "anchor", a);
	put_str(k, e, "dir", dir_rtl ? "rtl" : "ltr");
	put_str(k, e, "cls", inv ? "chart-text chart-text-inv" : "chart-text");
	put_str(k, e, "fill", inv ? FILL_INV : FILL_TEXT);
	put_str(k, e, "s", s);
}

static void line(struct cv *k, struct json_object *o, const char *key,
    double x1, double y1, double x2, double y2, const char *cls,
    const char *stroke)
{
	struct json_object *e = push(k, o, key);

	if (e == NULL)
		return;
	put_num(k, e, "x1", mx(k, x1));
	put_num(k, e, "y1", y1);
	put_num(k, e, "x2", mx(k, x2));
	put_num(k, e, "y2", y2);
	put_str(k, e, "cls", cls);
	put_str(k, e, "stroke", stroke);
}

static void dot(struct cv *k, struct json_object *o, const char *key,
    double x, double y, double r, const char *cls, const char *fill)
{
	struct json_object *e = push(k, o, key);

	if (e == NULL)
		return;
	put_num(k, e, "cx", mx(k, x));
	put_num(k, e, "cy", y);
	put_num(k, e, "r", r);
	put_str(k, e, "cls", cls);
	put_str(k, e, "fill", fill);
}

/* An arrow head pointing along dir (+1 right, -1 left) with its tip at x. */
static void arrow_head(struct cv *k, struct json_object *o, const char *key,
    double x, double y, int dir, const char *cls, const char *fill)
{
	struct json_object *e = push(k, o, key);
	char pts[96];
	double b = x - dir * 7.0;

	if (e == NULL)
		return;
	snprintf(pts, sizeof(pts), "%.1f,%.1f %.1f,%.1f %.1f,%.1f", mx(k, x),
	    y, mx(k, b), y - 4.5, mx(k, b), y + 4.5);
	put_str(k, e, "points", pts);
	put_str(k, e, "cls", cls);
	put_str(k, e, "fill", fill);
}

/* Bytes of the UTF-8 sequence starting with c. */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static size_t u8count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Wraps s into lines of at most width code points, at spaces when it can,
 * each a text in o["labels"] starting at k->y; advances k->y. */
static void label_lines(struct cv *k, struct json_object *o, const char *s,
    int width)
{
	const char *p = s ? s : "";

	while (*p == ' ')
		p++;
	while (*p && !k->err) {
		const char *q = p, *brk = NULL;
		int cps = 0;
		char *ln;

		while (*q && cps < width) {
			if (*q == ' ')
				brk = q;
			q += u8len((unsigned char)*q);
			cps++;
		}
		if (*q == '\0' || *q == ' ')
			brk = q;
		else if (brk == NULL)
			brk = q; /* one long word: cut it */
		ln = strndup(p, (size_t)(brk - p));
		if (ln == NULL) {
			k->err = 1;
			return;
		}
		k->y += LH;
		text(k, o, "labels", PAD, k->y - 3, "start", ln, 0, 1);
		free(ln);
		p = brk;
		while (*p == ' ')
			p++;
	}
}

static void begin(struct cv *k, const struct chart_common *c,
    const char *kind)
{
	memset(k, 0, sizeof(*k));
	k->c = c;
	buf_init(&k->desc);
	k->root = json_object_new_object();
	if (k->root == NULL) {
		k->err = 1;
		return;
	}
	put_str(k, k->root, "kind", kind);
	put_str(k, k->root, "id", c->id);
	put_str(k, k->root, "title", c->title);
	put_bool(k, k->root, "rtl", c->rtl);
	put_num(k, k->root, "w", CW);
	k->y = PAD;
}

/* Starts a row object under root.rows. */
static struct json_object *row(struct cv *k)
{
	k->row = push(k, k->root, "rows");
	return k->row;
}

/* Legend entries flowing in lines; each a swatch and its name. */
static void legend(struct cv *k, size_t n, const char *const *names,
    const char *const *cls, const char *const *fills)
{
	double x = PAD;

	k->y += 6;
	for (size_t i = 0; i < n && !k->err; i++) {
		double w = 16 + u8count(names[i]) * CHARW + 12;

		if (x > PAD && x + w > CW - PAD) {
			x = PAD;
			k->y += LH + 2;
		}
		rect(k, k->root, "legend_rects", x, k->y, 11, 11, cls[i],
		    fills[i]);
		text(k, k->root, "legend_texts", x + 15, k->y + 10, "start",
		    names[i], 0, 1);
		x += w;
	}
	k->y += LH + 2;
}

/* Finishes: height, the text alternative, and "none" when some value
 * was undefined. Returns the root or NULL (everything freed). */
static struct json_object *finish(struct cv *k, int used_none)
{
	struct json_object *root = k->root;

	if (used_none && k->c->none) {
		char note[256];

		snprintf(note, sizeof(note), "%s = %s", CHART_NONE, k->c->none);
		buf_printf(&k->desc, " %s.", note);
		k->y += 4 + LH;
		text(k, k->root, "legend_texts", PAD, k->y - 3, "start", note,
		    0, 1);
	}
	put_num(k, root, "h", k->y + PAD);
	put_str(k, root, "desc", buf_cstr(&k->desc));
	if (k->desc.oom)
		k->err = 1;
	buf_free(&k->desc);
	if (k->err) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

/* ---- (a) diverging Likert ---- */

struct json_object *chart_likert(const struct chart_common *c,
    const char *const scale[5], const struct chart_likert_row *rows,
    size_t nrows)
{
	static const char *const cls[5] = {"lk-1", "lk-2", "lk-3", "lk-4",
	    "lk-5"};
	const double series_w = 56, x0 = PAD + series_w, bw = CW - PAD - x0;
	double maxl = 0, maxr = 0, scale_f, centre;
	struct cv k;
	char num[32], pct[32];

	begin(&k, c, "likert");
	/* the extent of each side, so the centre sits where both fit */
	for (size_t i = 0; i < nrows; i++) {
		long long n = 0;
		for (int j = 0; j < 5; j++)
			n += rows[i].count[j] > 0 ? rows[i].count[j] : 0;
		if (n == 0)
			continue;
		double l = (rows[i].count[0] + rows[i].count[1] +
		    rows[i].count[2] / 2.0) / (double)n;
		double r = (rows[i].count[4] + rows[i].count[3] +
		    rows[i].count[2] / 2.0) / (double)n;
		if (l > maxl)
			maxl = l;
		if (r > maxr)
			maxr = r;
	}
	if (maxl + maxr <= 0)
		maxl = maxr = 0.5;
	scale_f = bw / (maxl + maxr);
	centre = x0 + maxl * scale_f;

	for (size_t i = 0; i < nrows && !k.err; i++) {
		const struct chart_likert_row *rw = &rows[i];
		struct json_object *o = row(&k);
		long long n = 0;
		double x;

		if (o == NULL)
			break;
		for (int j = 0; j < 5; j++)
			n += rw->count[j] > 0 ? rw->count[j] : 0;
		if (rw->label) {
			if (i > 0)
				k.y += RGAP - 4;
			label_lines(&k, o, rw->label, WRAP);
			buf_printf(&k.desc, "%s%s.", i ? " " : "", rw->label);
		}
		k.y += 3;
		text(&k, o, "texts", PAD, k.y + BH - 5, "start",
		    rw->series ? rw->series : "", 0, 1);
		snprintf(num, sizeof(num), "n = %lld", n);
		buf_printf(&k.desc, " %s (%s):", rw->series ? rw->series : "",
		    num);
		if (n == 0) {
			text(&k, o, "texts", x0 + bw / 2, k.y + BH - 5,
			    "middle", num, 0, 0);
			buf_printf(&k.desc, " 0.");
			k.y += BH;
			continue;
		}
		x = centre - (rw->count[0] + rw->count[1] +
		    rw->count[2] / 2.0) / (double)n * scale_f;
		for (int j = 0; j < 5; j++) {
			long long cnt = rw->count[j] > 0 ? rw->count[j] : 0;
			double share = (double)cnt / (double)n;
			double w = share * scale_f;

			chart_fmt_pct(pct, sizeof(pct), share);
			buf_printf(&k.desc, "%s %d %s %s (%lld)",
			    j ? "," : "", j + 1, scale[j], pct, cnt);
			if (cnt == 0)
				continue;
			rect(&k, o, "rects", x, k.y, w, BH, cls[j],
			    lk_fill[j]);
			if (w >= 24)
				text(&k, o, "texts", x + w / 2, k.y + BH - 5,
				    "middle", pct, j == 0 || j == 4, 0);
			x += w;
		}
		buf_puts(&k.desc, ".");
		/* the centre line across the bar only, never over a label */
		line(&k, o, "lines", centre, k.y - 2, centre, k.y + BH + 2,
		    "chart-axis", "#555555");
		k.y += BH;
	}
	legend(&k, 5, scale, cls, lk_fill);
	return finish(&k, 0);
}

/* ---- axis ticks of a numeric scale lo..hi drawn over [x0, x0 + w] ---- */

static void ticks(struct cv *k, double lo, double hi, double x0, double w,
    double y1, double y2)
{
	int step = hi - lo > 10 ? 2 : 1;
	char s[16];

	for (double v = lo; v <= hi + 1e-9 && !k->err; v += step) {
		double x = x0 + (v - lo) / (hi - lo) * w;
		line(k, k->root, "grid", x, y1, x, y2, "chart-grid",
		    "#d0d4da");
		snprintf(s, sizeof(s), "%g", v);
		text(k, k->root, "axis_texts", x, y2 + 12, "middle", s, 0, 0);
	}
	k->y = y2 + 14;
}

/* ---- (b) dumbbell ---- */

struct json_object *chart_dumbbell(const struct chart_common *c,
    const char *pre_name, const char *post_name, const char *n_word,
    double lo, double hi, const struct chart_dumbbell_row *rows,
    size_t nrows)
{
	static const char *const lcls[2] = {"bar-pre", "bar-post"};
	static const char *const lfill[2] = {FILL_PRE, FILL_POST};
	const char *lnames[2] = {pre_name, post_name};
	const double x0 = PAD + 14, w = CW - 2 * PAD - 28;
	double top;
	int none = 0;
	struct cv k;
	char a[32], b[32], s[96];

	begin(&k, c, "dumbbell");
	if (!(hi > lo))
		hi = lo + 1;
	legend(&k, 2, lnames, lcls, lfill);
	top = k.y;
	for (size_t i = 0; i < nrows && !k.err; i++) {
		const struct chart_dumbbell_row *rw = &rows[i];
		struct json_object *o = row(&k);
		double xp, xq, yl;

		if (o == NULL)
			break;
		if (i > 0)
			k.y += RGAP - 4;
		label_lines(&k, o, rw->label, WRAP);
		chart_fmt_fixed(a, sizeof(a), rw->pre, 2);
		chart_fmt_fixed(b, sizeof(b), rw->post, 2);
		/* an rtl line reads right to left: the arrow points left */
		snprintf(s, sizeof(s), "%s %s %s  (%s = %lld)", a,
		    c->rtl ? "\xe2\x86\x90" : "\xe2\x86\x92", b, n_word, rw->n);
		none |= !isfinite(rw->pre) || !isfinite(rw->post);
		buf_printf(&k.desc, "%s%s: %s %s, %s %s, %s = %lld.",
		    i ? " " : "", rw->label ? rw->label : "", pre_name, a,
		    post_name, b, n_word, rw->n);
		/* the values line, then the dumbbell */
		k.y += LH;
		text(&k, o, "texts", PAD, k.y - 3, "start", s, 0, 1);
		yl = k.y + 9;
		xp = x0 + (rw->pre - lo) / (hi - lo) * w;
		xq = x0 + (rw->post - lo) / (hi - lo) * w;
		line(&k, o, "lines", x0, yl, x0 + w, yl, "chart-grid",
		    "#d0d4da");
		if (isfinite(rw->pre) && isfinite(rw->post)) {
			int dir = xq >= xp ? 1 : -1;
			if (fabs(xq - xp) > 8) {
				line(&k, o, "lines", xp, yl, xq - dir * 6, yl,
				    "chart-axis", "#555555");
				arrow_head(&k, o, "heads", xq, yl, dir,
				    "bar-post", FILL_POST);
			} else
				dot(&k, o, "dots", xq, yl, 5, "bar-post",
				    FILL_POST);
		} else if (isfinite(rw->post))
			dot(&k, o, "dots", xq, yl, 5, "bar-post", FILL_POST);
		if (isfinite(rw->pre))
			dot(&k, o, "dots", xp, yl, 5, "bar-pre", FILL_PRE);
		k.y = yl + 9;
	}
	ticks(&k, lo, hi, x0, w, top + 4, k.y + 2);
	return finish(&k, none);
}

/* ---- (c) horizontal bars ---- */

struct bar_ix {
	size_t i;
	double v;
};

static int bar_cmp(const void *pa, const void *pb)
{
	const struct bar_ix *a = pa, *b = pb;
	double va = isfinite(a->v) ? a->v : -1, vb = isfinite(b->v) ? b->v : -1;

	if (va != vb)
		return va < vb ? 1 : -1;
	return a->i < b->i ? -1 : a->i > b->i;
}

struct json_object *chart_bars(const struct chart_common *c,
    const char *value_name, const struct chart_bar_row *rows, size_t nrows,
    int sorted)
{
	const double x0 = PAD, w = CW - 2 * PAD - 44;
	struct bar_ix *ix = calloc(nrows ? nrows : 1, sizeof(*ix));
	double max = 0;
	int none = 0;
	struct cv k;
	char v[32];

	begin(&k, c, "bars");
	if (ix == NULL)
		k.err = 1;
	for (size_t i = 0; ix && i < nrows; i++) {
		ix[i].i = i;
		ix[i].v = rows[i].value;
		if (isfinite(rows[i].value) && rows[i].value > max)
			max = rows[i].value;
	}
	if (ix && sorted)
		qsort(ix, nrows, sizeof(*ix), bar_cmp);
	for (size_t j = 0; ix && j < nrows && !k.err; j++) {
		const struct chart_bar_row *rw = &rows[ix[j].i];
		struct json_object *o = row(&k);
		double bw;

		if (o == NULL)
			break;
		if (j > 0)
			k.y += RGAP - 4;
		label_lines(&k, o, rw->label, WRAP);
		chart_fmt_fixed(v, sizeof(v), rw->value, rw->decimals);
		none |= !isfinite(rw->value);
		buf_printf(&k.desc, "%s%s: %s %s%s%s.", j ? " " : "",
		    rw->label ? rw->label : "", v, value_name,
		    rw->note ? ", " : "", rw->note ? rw->note : "");
		k.y += 3;
		bw = max > 0 && isfinite(rw->value) ? rw->value / max * w : 0;
		if (bw > 0)
			rect(&k, o, "rects", x0, k.y, bw, BH, "oi-5", FILL_BAR);
		text(&k, o, "texts", x0 + bw + 4, k.y + BH - 5, "start", v, 0,
		    0);
		k.y += BH;
		if (rw->note && *rw->note) {
			k.y += LH;
			text(&k, o, "texts", x0, k.y - 3, "start", rw->note, 0,
			    1);
		}
	}
	free(ix);
	return finish(&k, none);
}

/* ---- (d) paired bars of shares ---- */

struct json_object *chart_paired(const struct chart_common *c,
    const char *pre_name, const char *post_name,
    const struct chart_paired_row *rows, size_t nrows)
{
	static const char *const lcls[2] = {"bar-pre", "bar-post"};
	static const char *const lfill[2] = {FILL_PRE, FILL_POST};
	const char *lnames[2] = {pre_name, post_name};
	const double x0 = PAD, w = CW - 2 * PAD - 40;
	double top;
	int none = 0;
	struct cv k;
	char a[32], b[32];

	begin(&k, c, "paired");
	legend(&k, 2, lnames, lcls, lfill);
	top = k.y;
	for (size_t i = 0; i < nrows && !k.err; i++) {
		const struct chart_paired_row *rw = &rows[i];
		struct json_object *o = row(&k);
		double v[2] = {rw->pre, rw->post};

		if (o == NULL)
			break;
		if (i > 0)
			k.y += RGAP - 4;
		label_lines(&k, o, rw->label, WRAP);
		chart_fmt_pct(a, sizeof(a), rw->pre);
		chart_fmt_pct(b, sizeof(b), rw->post);
		none |= !isfinite(rw->pre) || !isfinite(rw->post);
		buf_printf(&k.desc, "%s%s: %s %s, %s %s.", i ? " " : "",
		    rw->label ? rw->label : "", pre_name, a, post_name, b);
		k.y += 2;
		for (int j = 0; j < 2; j++) {
			double s = isfinite(v[j]) ? fmin(fmax(v[j], 0), 1) : 0;
			double bw = s * w;

			if (bw > 0)
				rect(&k, o, "rects", x0, k.y, bw, BH - 4,
				    lcls[j], lfill[j]);
			text(&k, o, "texts", x0 + bw + 4, k.y + BH - 8,
			    "start", j ? b : a, 0, 0);
			k.y += BH - 2;
		}
	}
	line(&k, k.root, "axes", PAD, top, PAD, k.y + 2, "chart-axis",
	    "#555555");
	k.y += 4;
	return finish(&k, none);
}

/* ---- (e1) means with 95% intervals ---- */

struct json_object *chart_ci(const struct chart_common *c,
    const char *mean_word, const char *ci_word, const char *n_word,
    double lo, double hi, const struct chart_ci_row *rows, size_t nrows)
{
	const double x0 = PAD + 14, w = CW - 2 * PAD - 28;
	double top;
	int none = 0;
	struct cv k;
	char m[32], l[32], h[32], s[160];

	begin(&k, c, "ci");
	if (!(hi > lo))
		hi = lo + 1;
	top = k.y;
	for (size_t i = 0; i < nrows && !k.err; i++) {
		const struct chart_ci_row *rw = &rows[i];
		struct json_object *o = row(&k);
		double yl, xm, xl, xh;

		if (o == NULL)
			break;
		if (i > 0)
			k.y += RGAP - 4;
		label_lines(&k, o, rw->label, WRAP);
		chart_fmt_fixed(m, sizeof(m), rw->mean, 2);
		chart_fmt_fixed(l, sizeof(l), rw->ci_lo, 2);
		chart_fmt_fixed(h, sizeof(h), rw->ci_hi, 2);
		none |= !isfinite(rw->mean) || !isfinite(rw->ci_lo) ||
		    !isfinite(rw->ci_hi);
		snprintf(s, sizeof(s), "%s %s  [%s; %s]  %s = %lld", mean_word,
		    m, l, h, n_word, rw->n);
		buf_printf(&k.desc, "%s%s: %s %s, %s %s \xe2\x80\x93 %s, %s = %lld.",
		    i ? " " : "", rw->label ? rw->label : "", mean_word, m,
		    ci_word, l, h, n_word, rw->n);
		k.y += LH;
		text(&k, o, "texts", PAD, k.y - 3, "start", s, 0, 1);
		yl = k.y + 9;
		xm = x0 + (rw->mean - lo) / (hi - lo) * w;
		xl = x0 + (fmax(rw->ci_lo, lo) - lo) / (hi - lo) * w;
		xh = x0 + (fmin(rw->ci_hi, hi) - lo) / (hi - lo) * w;
		if (isfinite(rw->ci_lo) && isfinite(rw->ci_hi)) {
			line(&k, o, "lines", xl, yl, xh, yl, "chart-axis",
			    "#555555");
			line(&k, o, "lines", xl, yl - 5, xl, yl + 5,
			    "chart-axis", "#555555");
			line(&k, o, "lines", xh, yl - 5, xh, yl + 5,
			    "chart-axis", "#555555");
		}
		if (isfinite(rw->mean))
			dot(&k, o, "dots", xm, yl, 5, "bar-post", FILL_POST);
		k.y = yl + 9;
	}
	ticks(&k, lo, hi, x0, w, top + 4, k.y + 2);
	return finish(&k, none);
}

/* ---- (e2) NPS ---- */

struct json_object *chart_nps(const struct chart_common *c,
    const char *const names[3], const char *score_word, long long detractors,
    long long passives, long long promoters, double score)
{
	static const char *const cls[3] = {"lk-1", "lk-3", "lk-5"};
	static const char *const fills[3] = {"#b35806", "#d9d9d9", "#2166ac"};
	long long cnt[3] = {detractors, passives, promoters}, n = 0;
	const double x0 = PAD, w = CW - 2 * PAD;
	struct cv k;
	struct json_object *o;
	char sc[32], pct[32], s[160];
	double x = x0;

	begin(&k, c, "nps");
	for (int j = 0; j < 3; j++)
		n += cnt[j] > 0 ? cnt[j] : 0;
	chart_fmt_fixed(sc, sizeof(sc), score, 1);
	o = row(&k);
	snprintf(s, sizeof(s), "%s = %s  (n = %lld)", score_word, sc, n);
	k.y += LH;
	if (o)
		text(&k, o, "texts", PAD, k.y - 3, "start", s, 0, 1);
	buf_printf(&k.desc, "%s.", s);
	k.y += 3;
	for (int j = 0; j < 3 && o; j++) {
		long long cj = cnt[j] > 0 ? cnt[j] : 0;
		double share = n ? (double)cj / (double)n : NAN;
		double bw = n ? share * w : 0;

		chart_fmt_pct(pct, sizeof(pct), share);
		buf_printf(&k.desc, " %s: %lld (%s).", names[j], cj, pct);
		if (bw <= 0)
			continue;
		rect(&k, o, "rects", x, k.y, bw, BH + 4, cls[j], fills[j]);
		snprintf(s, sizeof(s), "%lld", cj);
		if (bw >= 18)
			text(&k, o, "texts", x + bw / 2, k.y + BH - 3,
			    "middle", s, j != 1, 0);
		x += bw;
	}
	if (n == 0)
		text(&k, o, "texts", x0 + w / 2, k.y + BH - 3, "middle",
		    "n = 0", 0, 0);
	k.y += BH + 4;
	{
		const char *ln[3];
		char lbuf[3][128];
		for (int j = 0; j < 3; j++) {
			long long cj = cnt[j] > 0 ? cnt[j] : 0;
			chart_fmt_pct(pct, sizeof(pct),
			    n ? (double)cj / (double)n : NAN);
			snprintf(lbuf[j], sizeof(lbuf[j]), "%s %lld (%s)",
			    names[j], cj, pct);
			ln[j] = lbuf[j];
		}
		legend(&k, 3, ln, cls, fills);
	}
	return finish(&k, !isfinite(score));
}
