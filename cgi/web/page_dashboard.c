/* page_dashboard.c: the expert's dashboard, its printable report and the
 * comparison of events. Every figure comes from the summary JSON (so the
 * pages say exactly what the API says) plus the definition's labels; only
 * the pre-issued codes, the consented contacts and the comments are read
 * here (DB_STMTS_DASHBOARD, on the analytics connection). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "chart.h"
#include "event.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "store_fold.h"
#include "summary.h"

#define SMALL_SAMPLE 10   /* below this n a "small sample" warning shows */
#define COMPARE_MAX 8     /* events side by side */

/* What one page build needs besides the data object. */
struct dash {
	struct req *r;
	const struct qdef *def;
	enum qdef_lang lang;
	int rtl;
	struct json_object *sum;  /* borrowed summary */
	const char *prefix;       /* chart ids prefix (several events) */
};

/* ---- small json readers (borrowed results) ---- */

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A number, or NAN when absent or null. */
static double jnum(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	if (v == NULL || (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return NAN;
	return json_object_get_double(v);
}

static long long jint(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v ? json_object_get_int64(v) : 0;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

/* ---- formatting into the data object ---- */

static int set_fixed(struct json_object *o, const char *key, double x,
    int decimals)
{
	char b[32];

	return jset_str(o, key, chart_fmt_fixed(b, sizeof(b), x, decimals));
}

static int set_p(struct json_object *o, const char *key, double p)
{
	char b[32];

	return jset_str(o, key, chart_fmt_p(b, sizeof(b), p));
}

static int set_pct(struct json_object *o, const char *key, double share)
{
	char b[32];

	return jset_str(o, key, chart_fmt_pct(b, sizeof(b), share));
}

/* Appends a new object to arr. Borrowed; NULL when out of memory. */
static struct json_object *push(struct json_object *arr)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL || json_object_array_add(arr, o) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* A new array stored under key in o. Borrowed; NULL when out of memory. */
static struct json_object *new_arr(struct json_object *o, const char *key)
{
	struct json_object *a = json_object_new_array();

	if (a == NULL || json_object_object_add(o, key, a) != 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static struct json_object *new_obj(struct json_object *o, const char *key)
{
	struct json_object *a = json_object_new_object();

	if (a == NULL || json_object_object_add(o, key, a) != 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* ---- the definition ---- */

/* The item called key, the post one first (labels of pre/post twins are
 * the same). Borrowed; NULL when absent. */
static const struct qdef_item *find_item(const struct qdef *def,
    const char *key)
{
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_item *it;
		if (!def->instruments[k].present)
			continue;
		if ((it = qdef_item(&def->instruments[k], key)) != NULL)
			return it;
	}
	return NULL;
}

static const char *item_label(const struct dash *d, const char *key)
{
	const struct qdef_item *it = find_item(d->def, key);

	return it ? qdef_text(d->def, it->label, d->lang) : key;
}

static const char *option_label(const struct dash *d,
    const struct qdef_item *it, const char *value)
{
	int i = it ? qdef_option_index(it, value) : -1;

	return i >= 0 ? qdef_text(d->def, it->options[i].label, d->lang) :
	    value;
}

/* The summary's items[] entry for key and instrument. Borrowed. */
static struct json_object *sum_item(const struct dash *d, const char *key,
    const char *instrument)
{
	struct json_object *items = jget(d->sum, "items");
	size_t n = items ? json_object_array_length(items) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i);
		if (strcmp(jstr(e, "item"), key) == 0 &&
		    strcmp(jstr(e, "instrument"), instrument) == 0)
			return e;
	}
	return NULL;
}

/* Renders chart (stolen) with svg/kind into o[key]. 0 / -1. */
static int put_svg(struct json_object *o, const char *key, const char *kind,
    struct json_object *chart)
{
	struct buf b = BUF_INIT;
	char name[32];
	int rc = -1;

	if (chart == NULL)
		return -1;
	snprintf(name, sizeof(name), "svg/%s", kind);
	if (page_fragment(name, chart, &b) == 0 && !b.oom)
		rc = jset_str(o, key, buf_cstr(&b));
	buf_free(&b);
	json_object_put(chart);
	return rc;
}

static void chart_id(const struct dash *d, char *out, size_t n,
    const char *what, const char *key)
{
	snprintf(out, n, "ch-%s%s%s%s", d->prefix ? d->prefix : "",
	    d->prefix ? "-" : "", what, key ? key : "");
	for (char *p = out; *p; p++)
		if (*p == '_' || *p == '.')
			*p = '-';
}

static const char *effect_key(double r)
{
	double a = fabs(r);

	if (!isfinite(r))
		return NULL;
	return a < 0.1 ? "dash_effect_negligible" : a < 0.3 ?
	    "dash_effect_small" : a < 0.5 ? "dash_effect_medium" :
	    "dash_effect_large";
}

/* The catalog pattern key with "{k}" replaced by k and "{n}" by n, under
 * key in o (plain text; the template escapes it). 0, or -1 out of memory. */
static int set_words(const struct dash *d, struct json_object *o,
    const char *key, const char *pattern_key, long long k, long long n)
{
	const char *p = page_t(d->r, pattern_key);
	struct buf b = {0};
	int rc;

	while (*p) {
		if (strncmp(p, "{k}", 3) == 0) {
			buf_printf(&b, "%lld", k);
			p += 3;
		} else if (strncmp(p, "{n}", 3) == 0) {
			buf_printf(&b, "%lld", n);
			p += 3;
		} else {
			size_t len = strcspn(p + 1, "{") + 1;
			buf_printf(&b, "%.*s", (int)len, p);
			p += len;
		}
	}
	rc = b.oom ? -1 : jset_str(o, key, buf_cstr(&b));
	buf_free(&b);
	return rc;
}

/* "23 of 30 improved, 7 unchanged, none declined" from a change object of
 * the summary (improved, unchanged, declined), under key "change_words". */
static int set_change_words(const struct dash *d, struct json_object *o,
    struct json_object *e)
{
	long long up = jint(e, "improved"), same = jint(e, "unchanged");
	long long down = jint(e, "declined"), n = up + same + down;
	static const char *const keys[3][2] = {
	    {"dash_change_improved", "dash_change_improved_none"},
	    {"dash_change_unchanged", "dash_change_unchanged_none"},
	    {"dash_change_declined", "dash_change_declined_none"}};
	long long k[3] = {up, same, down};
	struct buf b = {0};
	int rc = -1;

	for (int i = 0; i < 3; i++) {
		struct json_object *tmp = json_object_new_object();
		if (tmp == NULL || set_words(d, tmp, "w", keys[i][k[i] == 0],
			k[i], n) != 0) {
			json_object_put(tmp);
			goto out;
		}
		buf_printf(&b, "%s", jstr(tmp, "w"));
		json_object_put(tmp);
	}
	rc = b.oom ? -1 : jset_str(o, "change_words", buf_cstr(&b));
out:
	buf_free(&b);
	return rc;
}

/* An interval of the summary ([lo, hi] or null) under key as the text
 * "[lo; hi]" with `decimals` decimals, both scaled by `scale` (100 for a
 * share shown in %), or CHART_NONE when null. */
static int set_ci(struct json_object *o, const char *key,
    struct json_object *ci, int decimals, double scale, const char *unit)
{
	char lo[32], hi[32], text[80];
	struct json_object *a = NULL, *b = NULL;

	if (ci && json_object_is_type(ci, json_type_array) &&
	    json_object_array_length(ci) == 2) {
		a = json_object_array_get_idx(ci, 0);
		b = json_object_array_get_idx(ci, 1);
	}
	if (a == NULL || b == NULL)
		return jset_str(o, key, CHART_NONE);
	chart_fmt_fixed(lo, sizeof(lo), json_object_get_double(a) * scale,
	    decimals);
	chart_fmt_fixed(hi, sizeof(hi), json_object_get_double(b) * scale,
	    decimals);
	snprintf(text, sizeof(text), "[%s%s; %s%s]", lo, unit, hi, unit);
	return jset_str(o, key, text);
}

/* x with 2 decimals and its sign ("+0.80", "-0.43", "0.00"). */
static int set_signed(struct json_object *o, const char *key, double x)
{
	char b[32], t[40];

	chart_fmt_fixed(b, sizeof(b), x, 2);
	snprintf(t, sizeof(t), "%s%s", isfinite(x) && x > 0 ? "+" : "", b);
	return jset_str(o, key, t);
}

/* ---- sections ---- */

/* Knowledge: the Likert distributions pre and post, the dumbbell and the
 * table of tests. Also the retrospective comparison. */
static int sec_knowledge(struct dash *d, struct json_object *data)
{
	struct json_object *paired = jget(d->sum, "paired"), *sec, *rows;
	size_t n = paired ? json_object_array_length(paired) : 0;
	struct chart_likert_row *lk = calloc(2 * n + 1, sizeof(*lk));
	struct chart_dumbbell_row *db = calloc(n + 1, sizeof(*db));
	const char *scale[5] = {page_t(d->r, "dash_likert_1"),
	    page_t(d->r, "dash_likert_2"), page_t(d->r, "dash_likert_3"),
	    page_t(d->r, "dash_likert_4"), page_t(d->r, "dash_likert_5")};
	struct chart_common cc = {NULL, NULL, page_t(d->r, "dash_none_pairs"),
	    d->rtl};
	char id[96];
	size_t nl = 0;
	int rc = -1, small = 0;

	if (lk == NULL || db == NULL)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if ((sec = new_obj(data, "knowledge")) == NULL ||
	    (rows = new_arr(sec, "rows")) == NULL)
		goto out;
	{
		/* the words of the scale: the definition's own when it has them */
		const struct qdef_item *it = find_item(d->def,
		    jstr(json_object_array_get_idx(paired, 0), "item"));
		if (it && it->type == QDEF_LIKERT5 && it->scale &&
		    json_object_array_length(it->scale) == 5)
			for (int v = 0; v < 5; v++)
				scale[v] = qdef_text(d->def,
				    json_object_array_get_idx(it->scale, v),
				    d->lang);
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(paired, i);
		const char *key = jstr(e, "item");
		struct json_object *pre = sum_item(d, key, "pre");
		struct json_object *post = sum_item(d, key, "post");
		struct json_object *w = jget(e, "wilcoxon"), *row;
		const char *ek = effect_key(jnum(e, "rank_biserial"));

		for (int k = 0; k < 2; k++) {
			struct json_object *it = k ? post : pre;
			struct json_object *dist = jget(it, "distribution");
			lk[nl].label = k ? NULL : item_label(d, key);
			lk[nl].series = page_t(d->r, k ? "after" : "before");
			for (int v = 0; v < 5; v++) {
				char s[4];
				snprintf(s, sizeof(s), "%d", v + 1);
				lk[nl].count[v] = jint(dist, s);
			}
			nl++;
		}
		db[i].label = item_label(d, key);
		db[i].pre = jnum(e, "pre_mean");
		db[i].post = jnum(e, "post_mean");
		db[i].n = jint(e, "n");
		if (db[i].n < SMALL_SAMPLE)
			small = 1;
		if ((row = push(rows)) == NULL ||
		    jset_str(row, "item", key) ||
		    jset_str(row, "label", item_label(d, key)) ||
		    jset_int(row, "n", jint(e, "n")) ||
		    set_fixed(row, "pre_mean", jnum(e, "pre_mean"), 2) ||
		    set_fixed(row, "post_mean", jnum(e, "post_mean"), 2) ||
		    set_fixed(row, "pre_median", jnum(pre, "median"), 1) ||
		    set_fixed(row, "post_median", jnum(post, "median"), 1) ||
		    set_fixed(row, "median_diff", jnum(e, "median_diff"), 1) ||
		    set_fixed(row, "statistic", jnum(w, "statistic"), 1) ||
		    set_p(row, "p_value", jnum(w, "p_value")) ||
		    set_p(row, "p_holm", jnum(e, "p_holm")) ||
		    jset_str(row, "method", jstr(w, "method")) ||
		    set_fixed(row, "r", jnum(e, "rank_biserial"), 2) ||
		    jset_str(row, "effect",
			ek ? page_t(d->r, ek) : CHART_NONE) ||
		    set_signed(row, "mean_diff", jnum(e, "mean_diff")) ||
		    set_ci(row, "diff_ci", jget(e, "ci95"), 2, 1, "") ||
		    set_change_words(d, row, e))
			goto out;
	}
	chart_id(d, id, sizeof(id), "likert", NULL);
	cc.id = id;
	cc.title = page_t(d->r, "dash_likert_title");
	cc.none = NULL;
	if (put_svg(sec, "likert_svg", "likert",
		chart_likert(&cc, scale, lk, nl)) != 0)
		goto out;
	chart_id(d, id, sizeof(id), "dumbbell", NULL);
	cc.title = page_t(d->r, "dash_dumbbell_title");
	cc.none = page_t(d->r, "dash_none_pairs");
	if (put_svg(sec, "dumbbell_svg", "dumbbell",
		chart_dumbbell(&cc, page_t(d->r, "before"),
		    page_t(d->r, "after"), "n", 1, 5, db, n)) != 0 ||
	    jset_bool(sec, "small", small))
		goto out;

	/* the retrospective comparison: post against "before, rated after" */
	{
		struct json_object *retro = jget(d->sum, "retro"), *rs, *rr;
		size_t m = retro ? json_object_array_length(retro) : 0;

		small = 0;
		if (m == 0) {
			rc = 0;
			goto out;
		}
		if (m > n) {
			free(db);
			if ((db = calloc(m, sizeof(*db))) == NULL)
				goto out;
		}
		if ((rs = new_obj(data, "retro")) == NULL ||
		    (rr = new_arr(rs, "rows")) == NULL)
			goto out;
		for (size_t i = 0; i < m; i++) {
			struct json_object *e = json_object_array_get_idx(retro, i);
			struct json_object *w = jget(e, "wilcoxon"), *row;
			struct json_object *sh = jget(e, "pre_vs_retro");
			const char *key = jstr(e, "item");
			const char *ek = effect_key(jnum(e, "rank_biserial"));

			db[i].label = item_label(d, key);
			db[i].pre = jnum(e, "retro_mean");
			db[i].post = jnum(e, "post_mean");
			db[i].n = jint(e, "n");
			if (db[i].n < SMALL_SAMPLE)
				small = 1;
			if ((row = push(rr)) == NULL ||
			    jset_str(row, "item", key) ||
			    jset_str(row, "label", db[i].label) ||
			    jset_int(row, "n", db[i].n) ||
			    set_fixed(row, "retro_mean", db[i].pre, 2) ||
			    set_fixed(row, "post_mean", db[i].post, 2) ||
			    set_p(row, "p_value", jnum(w, "p_value")) ||
			    set_fixed(row, "r", jnum(e, "rank_biserial"), 2) ||
			    jset_str(row, "effect",
				ek ? page_t(d->r, ek) : CHART_NONE) ||
			    set_signed(row, "shift", jnum(sh, "mean_diff")) ||
			    set_ci(row, "shift_ci", jget(sh, "ci95"), 2, 1,
				"") ||
			    set_p(row, "shift_p", jnum(jget(sh, "wilcoxon"),
				"p_value")))
				goto out;
		}
		chart_id(d, id, sizeof(id), "retro", NULL);
		cc.title = page_t(d->r, "dash_retro_title");
		if (put_svg(rs, "svg", "dumbbell",
			chart_dumbbell(&cc, page_t(d->r, "dash_retro_before"),
			    page_t(d->r, "after"), "n", 1, 5, db, m)) != 0 ||
		    jset_bool(rs, "small", small))
			goto out;
	}
	rc = 0;
out:
	free(lk);
	free(db);
	return rc;
}

/* Quiz: share correct per item pre and post, mean scores, gain. */
static int sec_quiz(struct dash *d, struct json_object *data)
{
	struct json_object *q = jget(d->sum, "quiz"), *items, *sec, *rows;
	size_t n;
	struct chart_paired_row *pr;
	struct chart_common cc = {NULL, page_t(d->r, "dash_quiz_title"),
	    page_t(d->r, "dash_none_pairs"), d->rtl};
	long long np = jint(q, "n");
	char id[96];
	int rc = -1;

	items = jget(q, "items");
	n = items ? json_object_array_length(items) : 0;
	if (q == NULL || n == 0)
		return 0;
	if ((pr = calloc(n, sizeof(*pr))) == NULL)
		return -1;
	if ((sec = new_obj(data, "quiz")) == NULL ||
	    (rows = new_arr(sec, "rows")) == NULL ||
	    jset_int(sec, "n", np) ||
	    set_fixed(sec, "pre_score", jnum(q, "pre_mean_score"), 2) ||
	    set_fixed(sec, "post_score", jnum(q, "post_mean_score"), 2) ||
	    jset_int(sec, "max_score", jint(q, "max_score")) ||
	    set_fixed(sec, "gain", jnum(q, "normalized_gain"), 2) ||
	    jset_bool(sec, "small", np < SMALL_SAMPLE))
		goto out;
	{
		/* the total score of each pair: change, interval, test */
		struct json_object *t = jget(q, "total");
		if (t && (set_signed(sec, "total_diff", jnum(t, "mean_diff")) ||
			set_ci(sec, "total_ci", jget(t, "ci95"), 2, 1, "") ||
			set_p(sec, "total_p", jnum(jget(t, "wilcoxon"),
			    "p_value")) ||
			set_change_words(d, sec, t)))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i), *row;
		const char *key = jstr(e, "item");

		pr[i].label = item_label(d, key);
		pr[i].pre = np ? (double)jint(e, "pre_correct") / np : NAN;
		pr[i].post = np ? (double)jint(e, "post_correct") / np : NAN;
		if ((row = push(rows)) == NULL || jset_str(row, "item", key) ||
		    jset_str(row, "label", pr[i].label) ||
		    jset_int(row, "pre_correct", jint(e, "pre_correct")) ||
		    jset_int(row, "post_correct", jint(e, "post_correct")) ||
		    set_pct(row, "pre_pct", pr[i].pre) ||
		    set_pct(row, "post_pct", pr[i].post) ||
		    set_p(row, "mcnemar_p", jnum(e, "mcnemar_p")) ||
		    set_p(row, "mcnemar_p_holm", jnum(e, "mcnemar_p_holm")))
			goto out;
	}
	chart_id(d, id, sizeof(id), "quiz", NULL);
	cc.id = id;
	if (put_svg(sec, "svg", "paired", chart_paired(&cc,
		page_t(d->r, "before"), page_t(d->r, "after"), pr, n)) != 0)
		goto out;
	rc = 0;
out:
	free(pr);
	return rc;
}

/* The agreement of an evaluation item (answers 4-5): "agree_words"
 * ("13 of 34 agree"), "agree_pct" and "agree_ci" in %. */
static int set_agree(const struct dash *d, struct json_object *row,
    struct json_object *ag)
{
	return set_words(d, row, "agree_words", "dash_agree_words",
		   jint(ag, "count"), jint(ag, "n")) ||
	    set_pct(row, "agree_pct", jnum(ag, "share")) ||
	    set_ci(row, "agree_ci", jget(ag, "ci95"), 0, 100, "%");
}

/* Evaluation means with their 95% interval; NPS. */
static int sec_evaluation(struct dash *d, struct json_object *data)
{
	struct json_object *ev = jget(d->sum, "evaluation"), *nps, *sec, *rows;
	size_t n = ev ? json_object_array_length(ev) : 0;
	struct chart_ci_row *cr = calloc(n + 1, sizeof(*cr));
	struct chart_common cc = {NULL, page_t(d->r, "dash_eval_title"),
	    page_t(d->r, "dash_none_ci"), d->rtl};
	char id[96];
	int rc = -1, small = 0;

	if (cr == NULL)
		return -1;
	if (n > 0) {
		if ((sec = new_obj(data, "evaluation")) == NULL ||
		    (rows = new_arr(sec, "rows")) == NULL)
			goto out;
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(ev, i);
			struct json_object *ci = jget(e, "ci95"), *row;
			const char *key = jstr(e, "item");

			cr[i].label = item_label(d, key);
			cr[i].mean = jnum(e, "mean");
			cr[i].ci_lo = ci && json_object_is_type(ci,
			    json_type_array) ? json_object_get_double(
			    json_object_array_get_idx(ci, 0)) : NAN;
			cr[i].ci_hi = ci && json_object_is_type(ci,
			    json_type_array) ? json_object_get_double(
			    json_object_array_get_idx(ci, 1)) : NAN;
			if (ci && json_object_is_type(ci, json_type_array) &&
			    json_object_array_get_idx(ci, 0) == NULL)
				cr[i].ci_lo = cr[i].ci_hi = NAN;
			cr[i].n = jint(e, "n");
			if (cr[i].n < SMALL_SAMPLE)
				small = 1;
			if ((row = push(rows)) == NULL ||
			    jset_str(row, "item", key) ||
			    jset_str(row, "label", cr[i].label) ||
			    jset_int(row, "n", cr[i].n) ||
			    set_fixed(row, "mean", cr[i].mean, 2) ||
			    set_fixed(row, "ci_lo", cr[i].ci_lo, 2) ||
			    set_fixed(row, "ci_hi", cr[i].ci_hi, 2) ||
			    set_agree(d, row, jget(e, "agree")))
				goto out;
		}
		chart_id(d, id, sizeof(id), "eval", NULL);
		cc.id = id;
		if (put_svg(sec, "svg", "ci", chart_ci(&cc,
			page_t(d->r, "mean"), page_t(d->r, "dash_ci95"), "n",
			1, 5, cr, n)) != 0 ||
		    jset_bool(sec, "small", small))
			goto out;
	}
	nps = jget(d->sum, "nps");
	if (nps != NULL && !json_object_is_type(nps, json_type_null)) {
		const char *names[3] = {page_t(d->r, "dash_detractors"),
		    page_t(d->r, "dash_passives"),
		    page_t(d->r, "dash_promoters")};
		long long nn = jint(nps, "n");

		if ((sec = new_obj(data, "nps")) == NULL ||
		    jset_str(sec, "label", item_label(d, jstr(nps, "item"))) ||
		    jset_int(sec, "n", nn) ||
		    jset_int(sec, "promoters", jint(nps, "promoters")) ||
		    jset_int(sec, "passives", jint(nps, "passives")) ||
		    jset_int(sec, "detractors", jint(nps, "detractors")) ||
		    set_fixed(sec, "score", jnum(nps, "score"), 1) ||
		    set_ci(sec, "ci", jget(nps, "ci95"), 1, 1, "") ||
		    jset_bool(sec, "small", nn < SMALL_SAMPLE))
			goto out;
		chart_id(d, id, sizeof(id), "nps", NULL);
		cc.id = id;
		cc.title = page_t(d->r, "dash_nps_title");
		cc.none = page_t(d->r, "dash_none_n0");
		if (put_svg(sec, "svg", "nps", chart_nps(&cc, names, "NPS",
			jint(nps, "detractors"), jint(nps, "passives"),
			jint(nps, "promoters"), jnum(nps, "score"))) != 0)
			goto out;
	}
	rc = 0;
out:
	free(cr);
	return rc;
}

/* Priority actions: Borda points sorted, top-3 share and first choices. */
static int sec_ranking(struct dash *d, struct json_object *data)
{
	struct json_object *rk = jget(d->sum, "ranking"), *list;
	size_t n = rk ? json_object_array_length(rk) : 0;

	if (n == 0)
		return 0;
	if ((list = new_arr(data, "ranking")) == NULL ||
	    jset_bool(data, "has_ranking", 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(rk, i);
		struct json_object *opts = jget(e, "options"), *sec, *rows;
		const char *key = jstr(e, "item");
		const struct qdef_item *it = find_item(d->def, key);
		size_t m = opts ? json_object_array_length(opts) : 0;
		struct chart_bar_row *br = calloc(m + 1, sizeof(*br));
		char (*notes)[160] = calloc(m + 1, sizeof(*notes));
		struct chart_common cc = {NULL, item_label(d, key),
		    page_t(d->r, "dash_none_n0"), d->rtl};
		char id[96], pct[32];
		int bad = 0;

		if (br == NULL || notes == NULL ||
		    (sec = push(list)) == NULL ||
		    (rows = new_arr(sec, "rows")) == NULL ||
		    jset_str(sec, "item", key) ||
		    jset_str(sec, "label", item_label(d, key)) ||
		    jset_int(sec, "n", jint(e, "n")) ||
		    jset_bool(sec, "small", jint(e, "n") < SMALL_SAMPLE))
			bad = 1;
		for (size_t j = 0; !bad && j < m; j++) {
			struct json_object *o = json_object_array_get_idx(opts, j);
			struct json_object *row;

			chart_fmt_pct(pct, sizeof(pct), jnum(o, "top3_share"));
			snprintf(notes[j], sizeof(notes[j]), "%s %s \xc2\xb7 %s %lld",
			    page_t(d->r, "dash_top3"), pct,
			    page_t(d->r, "dash_first"), jint(o, "first"));
			br[j].label = option_label(d, it, jstr(o, "option"));
			br[j].value = jnum(o, "borda");
			br[j].decimals = 0;
			br[j].note = notes[j];
			if ((row = push(rows)) == NULL ||
			    jset_str(row, "option", jstr(o, "option")) ||
			    jset_str(row, "label", br[j].label) ||
			    set_fixed(row, "borda", br[j].value, 0) ||
			    jset_str(row, "top3", pct) ||
			    jset_int(row, "first", jint(o, "first")))
				bad = 1;
		}
		chart_id(d, id, sizeof(id), "rank-", key);
		cc.id = id;
		if (!bad && put_svg(sec, "svg", "bars", chart_bars(&cc,
			page_t(d->r, "dash_borda"), br, m, 1)) != 0)
			bad = 1;
		free(br);
		free(notes);
		if (bad)
			return -1;
	}
	return 0;
}

/* Collaboration: the distribution of each single/multi collaboration item
 * (post), in option order. */
static int sec_collaboration(struct dash *d, struct json_object *data)
{
	const struct qdef_instrument *in = &d->def->instruments[QDEF_POST];
	struct json_object *list = NULL;

	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		struct json_object *e = sum_item(d, it->key, "post"), *sec;
		struct json_object *dist = jget(e, "distribution");
		struct chart_bar_row *br;
		struct chart_common cc = {NULL, NULL, NULL, d->rtl};
		char id[96];
		int bad = 0;

		if (it->role != QDEF_ROLE_COLLABORATION || it->consent ||
		    (it->type != QDEF_SINGLE && it->type != QDEF_MULTI) ||
		    e == NULL)
			continue;
		if (list == NULL &&
		    ((list = new_arr(data, "collaboration")) == NULL ||
			jset_bool(data, "has_collaboration", 1)))
			return -1;
		if ((br = calloc(it->noptions + 1, sizeof(*br))) == NULL)
			return -1;
		for (size_t j = 0; j < it->noptions; j++) {
			br[j].label = qdef_text(d->def, it->options[j].label,
			    d->lang);
			br[j].value = (double)jint(dist, it->options[j].value);
		}
		chart_id(d, id, sizeof(id), "collab-", it->key);
		cc.id = id;
		cc.title = qdef_text(d->def, it->label, d->lang);
		if ((sec = push(list)) == NULL ||
		    jset_str(sec, "label", cc.title) ||
		    jset_int(sec, "n", jint(e, "n")) ||
		    put_svg(sec, "svg", "bars", chart_bars(&cc,
			page_t(d->r, "responses"), br, it->noptions, 0)) != 0)
			bad = 1;
		free(br);
		if (bad)
			return -1;
	}
	return 0;
}

/* The filters from the query: profile items with a non-empty value (the
 * language and empty "All" choices dropped). */
static int query_filters(const struct req *r, const struct qdef *def,
    struct kvlist *out)
{
	for (size_t i = 0; i < r->query.n; i++) {
		const struct kv *q = &r->query.v[i];
		if (strcmp(q->key, "lang") == 0 || q->value[0] == '\0')
			continue;
		(void)def;
		if (kvlist_add(out, q->key, strlen(q->key), q->value,
			q->value_len) != 0)
			return -1;
	}
	return 0;
}

/* The filter form: one select per profile item of the pre instrument. */
static int sec_filters(struct dash *d, const struct kvlist *f,
    struct json_object *data)
{
	const struct qdef_instrument *in = &d->def->instruments[QDEF_PRE];
	struct json_object *list = new_arr(data, "filters");

	if (list == NULL)
		return -1;
	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		const char *cur = kvlist_get(f, it->key);
		struct json_object *o, *opts;

		if (it->role != QDEF_ROLE_PROFILE || it->type != QDEF_SINGLE)
			continue;
		if ((o = push(list)) == NULL || jset_str(o, "key", it->key) ||
		    jset_str(o, "label", qdef_text(d->def, it->label, d->lang)) ||
		    (opts = new_arr(o, "options")) == NULL)
			return -1;
		for (size_t j = 0; j < it->noptions; j++) {
			struct json_object *p = push(opts);
			if (p == NULL ||
			    jset_str(p, "value", it->options[j].value) ||
			    jset_str(p, "label", qdef_text(d->def,
				it->options[j].label, d->lang)) ||
			    jset_bool(p, "selected", cur &&
				strcmp(cur, it->options[j].value) == 0))
				return -1;
		}
	}
	return jset_bool(data, "filtered", f->n > 0) ||
	    jset_bool(data, "has_filters", json_object_array_length(list) > 0);
}

/* Counts and response rates. A rate says what it is against: the
 * attendance of the event when the organiser set it (pre, post and paired
 * responses per attendee); always the share of pre respondents who also
 * answered post (paired / pre, never above 100 %: post / pre could be, with
 * unpaired post responses). Badge codes are shown as codes used, not as a
 * rate of the event: attendees may answer with codes of their own. */
static int sec_counts(struct dash *d, long event_id, struct json_object *data)
{
	struct json_object *c = jget(d->sum, "counts"), *o;
	long long pre = jint(c, "pre"), post = jint(c, "post");
	long long paired = jint(c, "paired"), issued = 0, ipre, ipost;
	long long att = 0;
	char id[24];
	const char *params[1] = {id};
	PGresult *res;

	snprintf(id, sizeof(id), "%ld", event_id);
	res = db_exec(&app.adb, DB_DASH_PREISSUED, 1, params);
	if (res == NULL)
		return 503;
	if (!db_ok(res) || PQntuples(res) != 1) {
		log_msg(d->r, "dashboard: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	issued = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	ipre = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	ipost = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	if (!PQgetisnull(res, 0, 3))
		att = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	PQclear(res);
	if ((o = new_obj(data, "counts")) == NULL ||
	    jset_int(o, "pre", pre) || jset_int(o, "post", post) ||
	    jset_int(o, "paired", paired) ||
	    jset_bool(o, "has_attendance", att > 0) ||
	    jset_int(o, "attendance", att) ||
	    set_pct(o, "pre_att_rate", att ? (double)pre / att : NAN) ||
	    set_pct(o, "post_att_rate", att ? (double)post / att : NAN) ||
	    set_pct(o, "paired_att_rate", att ? (double)paired / att : NAN) ||
	    set_pct(o, "paired_rate", pre ? (double)paired / pre : NAN) ||
	    jset_bool(o, "has_issued", issued > 0) ||
	    jset_int(o, "issued", issued) ||
	    jset_int(o, "issued_pre", ipre) || jset_int(o, "issued_post", ipost) ||
	    jset_bool(o, "small", pre + post - paired < SMALL_SAMPLE))
		return -1;
	return 0;
}

/* 1 when the array of strings holds s. */
static int in_array(struct json_object *arr, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (strcmp(json_object_get_string(
			json_object_array_get_idx(arr, i)), s) == 0)
			return 1;
	return 0;
}

/* Free-text answers grouped by question: text/longtext items and the
 * "<key>.other" texts, under the same filters as the summary. */
static int sec_comments(struct dash *d, long event_id,
    struct json_object *fj, struct json_object *data)
{
	struct json_object *keys = json_object_new_array(), *list, *grp = NULL;
	char id[24], prev[QDEF_FIELD_MAX + 8] = "";
	const char *params[3];
	PGresult *res = NULL;
	int rc = -1;

	if (keys == NULL)
		return -1;
	/* post first: its texts are the workshop's comments */
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &d->def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			char f[QDEF_FIELD_MAX + 1];
			if (it->personal)
				continue;
			if (it->type == QDEF_TEXT || it->type == QDEF_LONGTEXT)
				snprintf(f, sizeof(f), "%s", it->key);
			else if (it->other)
				snprintf(f, sizeof(f), "%s.other", it->key);
			else
				continue;
			if (!in_array(keys, f) && json_object_array_add(keys,
				json_object_new_string(f)))
				goto out;
		}
	}
	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	params[1] = json_object_to_json_string_ext(keys, JSON_C_TO_STRING_PLAIN);
	params[2] = json_object_to_json_string_ext(fj, JSON_C_TO_STRING_PLAIN);
	/* without filters, through the index and the counters (flat with the
	 * number of participants); with them, from the selected ones */
	if (!json_object_is_type(fj, json_type_object) ||
	    json_object_object_length(fj) == 0)
		res = db_exec(&app.adb, DB_DASH_COMMENTS, 2, params);
	else
		res = db_exec_limited(&app.adb, DB_DASH_COMMENTS_FILTERED, 3,
		    params, db_filter_timeout_ms());
	if (res == NULL) {
		rc = 503;
		goto out;
	}
	if (db_timed_out(res)) {
		rc = page_error_text(d->r, 503, "text_filter_slow");
		goto out;
	}
	if (!db_ok(res)) {
		log_msg(d->r, "dashboard comments: %s",
		    PQresultErrorMessage(res));
		goto out;
	}
	if ((list = new_arr(data, "comments")) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *item = PQgetvalue(res, i, 1);
		struct json_object *e;

		if (strcmp(item, prev) != 0) {
			char base[QDEF_FIELD_MAX + 8];
			char *dot;
			const struct qdef_item *it;
			struct json_object *entries;

			snprintf(prev, sizeof(prev), "%s", item);
			snprintf(base, sizeof(base), "%s", item);
			if ((dot = strchr(base, '.')) != NULL)
				*dot = '\0';
			it = find_item(d->def, base);
			if ((grp = push(list)) == NULL ||
			    jset_str(grp, "item", item) ||
			    jset_int(grp, "total",
				atoll(PQgetvalue(res, i, 3))) ||
			    jset_bool(grp, "more",
				atoll(PQgetvalue(res, i, 3)) > 1000) ||
			    jset_str(grp, "label", it ? qdef_text(d->def,
				it->label, d->lang) : item) ||
			    jset_bool(grp, "other", dot != NULL) ||
			    (entries = new_arr(grp, "entries")) == NULL)
				goto out;
		}
		if ((e = push(jget(grp, "entries"))) == NULL ||
		    jset_str(e, "text", PQgetvalue(res, i, 2)) ||
		    jset_str(e, "instrument", page_t(d->r,
			strcmp(PQgetvalue(res, i, 0), "pre") == 0 ?
			"before" : "after")))
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	json_object_put(keys);
	return rc;
}

/* Consented contacts (admins only). */
static int sec_contacts(struct dash *d, long event_id,
    struct json_object *data)
{
	const struct qdef_item *interest = qdef_interest_item(d->def);
	char id[24];
	const char *params[3] = {id, "", "201"};
	struct json_object *list;
	PGresult *res;
	int rc = -1;

	/* beside each contact: the answer to the collaboration question */
	if (interest)
		params[1] = interest->key;
	snprintf(id, sizeof(id), "%ld", event_id);
	res = db_exec(&app.adb, DB_DASH_CONTACTS, 3, params);
	if (res == NULL)
		return 503;
	if (!db_ok(res)) {
		log_msg(d->r, "dashboard contacts: %s",
		    PQresultErrorMessage(res));
		goto out;
	}
	if ((list = new_arr(data, "contacts")) == NULL ||
	    jset_bool(data, "show_contacts", 1))
		goto out;
	/* the page shows the first 200 (201 read to know there are more);
	 * contacts.csv has them all */
	if (jset_bool(data, "contacts_more", PQntuples(res) > 200))
		goto out;
	for (int i = 0; i < PQntuples(res) && i < 200; i++) {
		struct json_object *e = push(list);
		if (e == NULL ||
		    jset_str(e, "label", item_label(d, PQgetvalue(res, i, 0))) ||
		    jset_str(e, "value", PQgetvalue(res, i, 1)) ||
		    jset_str(e, "interest", PQgetisnull(res, i, 3) ? CHART_NONE :
			option_label(d, interest, PQgetvalue(res, i, 3))) ||
		    jset_str(e, "date", PQgetvalue(res, i, 2)))
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* The event's title, dates and place, and the links. */
static int sec_event(struct dash *d, const char *slug,
    struct json_object *data)
{
	struct json_object *city = jget(d->def->place, "city");
	const char *cc = jstr(d->def->place, "country");
	char href[160], place[256];
	struct json_object *l;

	snprintf(place, sizeof(place), "%s%s%s",
	    city ? qdef_text(d->def, city, d->lang) : "", cc[0] ? ", " : "",
	    cc);
	if (jset_str(data, "slug", slug) ||
	    jset_str(data, "event_title", qdef_text(d->def, d->def->title,
		d->lang)) ||
	    jset_str(data, "date_start", d->def->date_start) ||
	    jset_str(data, "date_end", d->def->date_end) ||
	    jset_str(data, "place", place) ||
	    (l = new_obj(data, "links")) == NULL)
		return -1;
#define LINK(key, fmt)                                                       \
	do {                                                                 \
		snprintf(href, sizeof(href), fmt, slug);                     \
		if (jset_str(l, key, href))                                  \
			return -1;                                           \
	} while (0)
	LINK("dashboard", "/admin/e/%s");
	LINK("report", "/admin/e/%s/report");
	LINK("csv_long", "/admin/e/%s/export.csv?format=long");
	LINK("csv_wide", "/admin/e/%s/export.csv?format=wide");
	LINK("csv_long_excel", "/admin/e/%s/export.csv?format=long&excel=1");
	LINK("csv_wide_excel", "/admin/e/%s/export.csv?format=wide&excel=1");
	LINK("json", "/admin/e/%s/export.json");
	LINK("codebook", "/admin/e/%s/codebook.csv");
	if (strcmp(d->r->user_role, "admin") == 0) {
		LINK("codes", "/admin/e/%s/codes");
		LINK("contacts", "/admin/e/%s/contacts.csv");
	}
#undef LINK
	return 0;
}

/* On a read replica (ENQUETE_ANALYTICS_DATABASE_URL on a hot standby),
 * how far its figures are behind the primary: replica {lag} with lag in
 * seconds, or "" when the standby cannot tell yet. Nothing on a primary. */
static int sec_replica(struct dash *d, struct json_object *data)
{
	PGresult *res = db_exec(&app.adb, DB_REPLICA_LAG, 0, NULL);
	struct json_object *o;
	char lag[32] = "";
	int rc = -1;

	if (res == NULL)
		return 503;
	if (!db_ok(res) || PQntuples(res) != 1) {
		log_msg(d->r, "dashboard: %s", PQresultErrorMessage(res));
		goto out;
	}
	rc = 0;
	if (strcmp(PQgetvalue(res, 0, 1), "t") != 0)
		goto out; /* the primary itself */
	if (!PQgetisnull(res, 0, 0))
		snprintf(lag, sizeof(lag), "%.1f",
		    strtod(PQgetvalue(res, 0, 0), NULL));
	if ((o = new_obj(data, "replica")) == NULL || jset_str(o, "lag", lag) ||
	    jset_bool(o, "known", lag[0] != '\0'))
		rc = -1;
out:
	PQclear(res);
	return rc;
}

/* The statistics folder's lag for this event (schema/016): fold {lag_ms,
 * pending}. The figures are exact whatever it is; a growing lag means the
 * folder is not running and each read computes more. */
static int sec_fold(struct dash *d, long event_id, struct json_object *data)
{
	long long lag, pending;
	struct json_object *o;

	if (store_fold_lag(&app.adb, event_id, &lag, &pending) != 0) {
		log_msg(d->r, "dashboard: the folder's lag is unknown");
		return 0;
	}
	if ((o = new_obj(data, "fold")) == NULL ||
	    json_object_object_add(o, "lag_ms", json_object_new_int64(lag)) ||
	    json_object_object_add(o, "pending",
		json_object_new_int64(pending)))
		return -1;
	return 0;
}

/* The whole dashboard / report data. Returns 0, or a status. */
static int dashboard_data(struct req *r, int report, struct json_object **out)
{
	struct event_info ev;
	struct kvlist f = {0};
	struct json_object *sum = NULL, *data = NULL, *fj = NULL;
	struct dash d;
	int status, st;

	*out = NULL;
	status = event_lookup(&app.adb, r->slug, &ev);
	if (status != 0)
		return status;
	if (query_filters(r, ev.def, &f) != 0) {
		status = 500;
		goto out;
	}
	if (summary_build(&app.adb, ev.def, ev.id, r->slug, &f, &sum,
		&status) != 0) {
		if (status == 503 && sum != NULL) /* combined filters, too slow */
			status = page_error_text(r, 503, "text_filter_slow");
		goto out;
	}
	status = 500;
	memset(&d, 0, sizeof(d));
	d.r = r;
	d.def = ev.def;
	d.lang = (enum qdef_lang)qdef_lang_from_name(r->lang);
	d.rtl = strcmp(r->lang, "ar") == 0;
	d.sum = sum;
	if ((data = page_data(r)) == NULL || page_admin_common(r, data) ||
	    jset_bool(data, "report", report) ||
	    sec_event(&d, r->slug, data) || sec_filters(&d, &f, data))
		goto out;
	if ((st = sec_counts(&d, ev.id, data)) != 0) {
		status = st > 0 ? st : 500;
		goto out;
	}
	if ((st = sec_replica(&d, data)) != 0) {
		status = st > 0 ? st : 500;
		goto out;
	}
	if (sec_fold(&d, ev.id, data))
		goto out;
	if (jget(sum, "restricted") &&
	    json_object_get_boolean(jget(sum, "restricted"))) {
		if (jset_bool(data, "restricted", 1))
			goto out;
	} else {
		fj = jget(sum, "filters");
		if (sec_knowledge(&d, data) || sec_quiz(&d, data) ||
		    sec_evaluation(&d, data) || sec_ranking(&d, data) ||
		    sec_collaboration(&d, data))
			goto out;
		/* free text needs a group of at least SUMMARY_MIN_GROUP
		 * (disclosure control), the whole event included */
		struct json_object *cn = jget(sum, "counts");
		if (jint(cn, "pre") + jint(cn, "post") - jint(cn, "paired") <
		    SUMMARY_MIN_GROUP) {
			if (jset_bool(data, "comments_small", 1))
				goto out;
		} else if ((st = sec_comments(&d, ev.id, fj, data)) != 0) {
			status = st > 0 ? st : 500;
			goto out;
		}
		if (strcmp(r->user_role, "admin") == 0 && f.n == 0 &&
		    (st = sec_contacts(&d, ev.id, data)) != 0) {
			status = st > 0 ? st : 500;
			goto out;
		}
	}
	*out = data;
	data = NULL;
	status = 0;
out:
	json_object_put(data);
	json_object_put(sum);
	kvlist_free(&f);
	return status;
}

/*
 * GET /admin/e/{slug}[?<profile item>=<value>...]: the dashboard.
 * 200; 400 a filter that is not a profile item; 404 no such event;
 * 503 database unreachable; 500.
 */
int page_dashboard(struct req *r)
{
	struct json_object *data;
	char title[300];
	int status = dashboard_data(r, 0, &data);

	if (status != 0)
		return status;
	snprintf(title, sizeof(title), "%s \xc2\xb7 %s",
	    page_t(r, "dashboard"), jstr(data, "event_title"));
	return page_render(r, 200, "dashboard", title, data);
}

/*
 * GET /admin/e/{slug}/report[?filters]: the same content as a printable
 * A4 report. 200; 400; 404; 503; 500 (as the dashboard).
 */
int page_report(struct req *r)
{
	struct json_object *data;
	char title[300];
	int status = dashboard_data(r, 1, &data);

	if (status != 0)
		return status;
	snprintf(title, sizeof(title), "%s \xc2\xb7 %s", page_t(r, "report"),
	    jstr(data, "event_title"));
	return page_render(r, 200, "report", title, data);
}

/* ---- comparison ---- */

struct cmp_event {
	char slug[QDEF_SLUG_MAX + 1];
	struct event_info ev;
	struct json_object *sum;
	struct dash d;
	/* fewer than SUMMARY_MIN_GROUP participants: counts only, left out
	 * of every compared figure (disclosure control) */
	int hidden;
};

/* The entry of arr whose "item" is key. Borrowed. */
static struct json_object *by_item(struct json_object *arr, const char *key)
{
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		if (strcmp(jstr(e, "item"), key) == 0)
			return e;
	}
	return NULL;
}

/* 1 when every event's definition has key with the same type. */
static int shared_item(struct cmp_event *ce, int n, const char *key,
    enum qdef_type type)
{
	for (int i = 0; i < n; i++) {
		const struct qdef_item *it = find_item(ce[i].ev.def, key);
		if (it == NULL || it->type != type)
			return 0;
	}
	return 1;
}

/* Rows of a comparison table: for each item of role in the first event
 * shared by all, one cell group per event filled by fill(). */
static int cmp_rows(struct cmp_event *ce, int n, enum qdef_role role,
    const char *sumkey, struct json_object *list,
    struct chart_dumbbell_row *dbr, size_t *ndb)
{
	const struct qdef_instrument *in = &ce[0].ev.def->instruments[QDEF_POST];

	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		struct json_object *row, *cells;

		if (it->role != role || !shared_item(ce, n, it->key, it->type))
			continue;
		if ((row = push(list)) == NULL ||
		    jset_str(row, "item", it->key) ||
		    jset_str(row, "label", qdef_text(ce[0].d.def, it->label,
			ce[0].d.lang)) ||
		    (cells = new_arr(row, "events")) == NULL)
			return -1;
		for (int k = 0; k < n; k++) {
			struct json_object *e, *c;

			if (ce[k].hidden)
				continue;
			e = by_item(jget(ce[k].sum, sumkey), it->key);
			c = push(cells);
			struct json_object *ci = jget(e, "ci95");
			if (c == NULL || jset_str(c, "slug", ce[k].slug) ||
			    jset_int(c, "n", jint(e, "n")) ||
			    set_fixed(c, "pre_mean", jnum(e, "pre_mean"), 2) ||
			    set_fixed(c, "post_mean", jnum(e, "post_mean"), 2) ||
			    set_fixed(c, "mean", jnum(e, "mean"), 2) ||
			    set_fixed(c, "ci_lo", ci && json_object_array_get_idx(
				ci, 0) ? json_object_get_double(
				json_object_array_get_idx(ci, 0)) : NAN, 2) ||
			    set_fixed(c, "ci_hi", ci && json_object_array_get_idx(
				ci, 1) ? json_object_get_double(
				json_object_array_get_idx(ci, 1)) : NAN, 2) ||
			    set_p(c, "p_holm", jnum(e, "p_holm")) ||
			    set_signed(c, "mean_diff", jnum(e, "mean_diff")) ||
			    set_ci(c, "ci", ci, 2, 1, "") ||
			    (jget(e, "agree") &&
				set_agree(&ce[k].d, c, jget(e, "agree"))))
				return -1;
			if (dbr) {
				dbr[*ndb].label = ce[k].slug;
				dbr[*ndb].pre = jnum(e, "pre_mean");
				dbr[*ndb].post = jnum(e, "post_mean");
				dbr[*ndb].n = jint(e, "n");
				(*ndb)++;
			}
		}
	}
	return 0;
}

/*
 * GET /admin/compare?events=a,b,...: events side by side on their shared
 * items (same key and type). 200; 400 fewer than 2 valid slugs (or more
 * than COMPARE_MAX); 404 an unknown event; 503; 500.
 */
int page_compare(struct req *r)
{
	const char *list = kvlist_get(&r->query, "events");
	struct cmp_event ce[COMPARE_MAX];
	struct json_object *data = NULL, *evs, *know, *eval;
	struct chart_dumbbell_row *dbr = NULL;
	size_t ndb = 0;
	int n = 0, status = 500;
	enum qdef_lang lang = (enum qdef_lang)qdef_lang_from_name(r->lang);

	memset(ce, 0, sizeof(ce));
	/* the slugs: comma-separated, each a valid slug, no repeats */
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		int ok = len > 0 && len <= QDEF_SLUG_MAX && p[0] != '-' &&
		    p[len - 1] != '-';
		for (size_t i = 0; ok && i < len; i++)
			ok = (p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= '0' && p[i] <= '9') || p[i] == '-';
		if (ok && n < COMPARE_MAX) {
			int dup = 0;
			memcpy(ce[n].slug, p, len);
			ce[n].slug[len] = '\0';
			for (int k = 0; k < n; k++)
				dup |= strcmp(ce[k].slug, ce[n].slug) == 0;
			if (!dup)
				n++;
		} else if (len > 0)
			n = -COMPARE_MAX; /* any invalid slug: a bad request */
		p += len;
		if (*p == ',')
			p++;
	}
	if (n < 2) {
		data = page_data(r);
		if (data == NULL || page_admin_common(r, data) ||
		    jset_str(data, "heading", page_t(r, "title_400")) ||
		    jset_str(data, "text", page_t(r, "dash_compare_usage")))
			goto out;
		status = page_render(r, 400, "error", page_t(r, "title_400"),
		    data);
		data = NULL;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int st = event_lookup(&app.adb, ce[i].slug, &ce[i].ev);
		if (st != 0) {
			status = st;
			goto out;
		}
		if (summary_build(&app.adb, ce[i].ev.def, ce[i].ev.id,
			ce[i].slug, NULL, &ce[i].sum, &st) != 0) {
			status = st;
			goto out;
		}
		ce[i].d.r = r;
		ce[i].d.def = ce[i].ev.def;
		ce[i].d.lang = lang;
		ce[i].d.rtl = strcmp(r->lang, "ar") == 0;
		ce[i].d.sum = ce[i].sum;
		{
			struct json_object *c = jget(ce[i].sum, "counts");
			ce[i].hidden = jint(c, "pre") + jint(c, "post") -
			    jint(c, "paired") < SUMMARY_MIN_GROUP;
		}
	}
	if ((data = page_data(r)) == NULL || page_admin_common(r, data) ||
	    (evs = new_arr(data, "events")) == NULL ||
	    (know = new_arr(data, "knowledge")) == NULL ||
	    (eval = new_arr(data, "evaluation")) == NULL)
		goto out;
	for (int i = 0; i < n; i++) {
		struct json_object *e = push(evs), *c = jget(ce[i].sum, "counts");
		struct json_object *nps = jget(ce[i].sum, "nps");
		if (e == NULL || jset_str(e, "slug", ce[i].slug) ||
		    jset_str(e, "title", qdef_text(ce[i].ev.def,
			ce[i].ev.def->title, lang)) ||
		    jset_str(e, "date_start", ce[i].ev.def->date_start) ||
		    jset_int(e, "pre", jint(c, "pre")) ||
		    jset_int(e, "post", jint(c, "post")) ||
		    jset_int(e, "paired", jint(c, "paired")) ||
		    jset_bool(e, "hidden", ce[i].hidden) ||
		    jset_int(e, "nps_n", jint(nps, "n")) ||
		    set_fixed(e, "nps_score", jnum(nps, "score"), 1) ||
		    set_ci(e, "nps_ci", jget(nps, "ci95"), 1, 1, "") ||
		    jset_int(e, "promoters", jint(nps, "promoters")) ||
		    jset_int(e, "passives", jint(nps, "passives")) ||
		    jset_int(e, "detractors", jint(nps, "detractors")))
			goto out;
	}
	{
		const struct qdef_instrument *in =
		    &ce[0].ev.def->instruments[QDEF_POST];
		dbr = calloc((in->nitems + 1) * (size_t)n, sizeof(*dbr));
	}
	if (dbr == NULL ||
	    cmp_rows(ce, n, QDEF_ROLE_KNOWLEDGE, "paired", know, dbr, &ndb) ||
	    cmp_rows(ce, n, QDEF_ROLE_EVALUATION, "evaluation", eval, NULL,
		NULL))
		goto out;
	if (ndb > 0) {
		/* one dumbbell: per shared item, one row per event, the item
		 * named in the row label */
		struct chart_common cc = {"ch-compare", page_t(r,
		    "dash_dumbbell_title"), page_t(r, "dash_none_pairs"),
		    strcmp(r->lang, "ar") == 0};
		struct buf *lb = calloc(ndb, sizeof(*lb));
		int bad = lb == NULL;
		size_t row = 0;

		for (size_t i = 0; !bad && i < json_object_array_length(know);
		    i++) {
			struct json_object *k = json_object_array_get_idx(know, i);
			for (int j = 0; j < n; j++) {
				if (ce[j].hidden)
					continue;
				buf_printf(&lb[row], "%s \xe2\x80\x94 %s",
				    jstr(k, "label"), ce[j].slug);
				dbr[row].label = buf_cstr(&lb[row]);
				row++;
			}
		}
		for (size_t i = 0; lb && i < ndb; i++)
			bad |= lb[i].oom;
		if (!bad && put_svg(data, "knowledge_svg", "dumbbell",
			chart_dumbbell(&cc, page_t(r, "before"),
			    page_t(r, "after"), "n", 1, 5, dbr, ndb)) != 0)
			bad = 1;
		for (size_t i = 0; lb && i < ndb; i++)
			buf_free(&lb[i]);
		free(lb);
		if (bad)
			goto out;
	}
	status = page_render(r, 200, "compare", page_t(r, "dash_compare"),
	    data);
	data = NULL;
out:
	free(dbr);
	json_object_put(data);
	for (int i = 0; i < n; i++)
		json_object_put(ce[i].sum);
	return status;
}
