/* summary.c: the summary JSON from the aggregate tuples of schema/004_stats.sql
 * (kind, instrument, item, value, rank) -> (n, s1, s2). Without filters
 * they come from the incremental tables (a few hundred rows whatever the
 * number of participants); with one filter from the same tuples kept per
 * profile answer (schema/010), with combined filters from the
 * recomputation over the subgroup's raw rows (under a time limit). The
 * definition decides which items show where. */
#include "summary.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* One aggregate tuple; strings borrowed from the PGresult. */
struct agg {
	const char *kind, *instrument, *item, *value;
	int rank;
	long long n;
	double s1, s2;
};

struct aggs {
	struct agg *v;
	size_t n;
};

/* The largest difference range: 0-10 ratings. */
#define DIFF_SPAN 21

static const char *const kind_names[QDEF_KIND__MAX] = {"pre", "post"};

/* Adds v to o under key; v NULL is JSON null. 0, or -1 (v released). */
static int put(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int put_int(struct json_object *o, const char *key, long long x)
{
	struct json_object *v = json_object_new_int64(x);

	return v ? put(o, key, v) : -1;
}

static int put_str(struct json_object *o, const char *key, const char *s)
{
	struct json_object *v = json_object_new_string(s);

	return v ? put(o, key, v) : -1;
}

static int put_num(struct json_object *o, const char *key, double x)
{
	return put(o, key, stats_json_number(x));
}

static int push(struct json_object *a, struct json_object *v)
{
	if (v == NULL || json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static double ratio(double a, long long n)
{
	return n > 0 ? a / (double)n : NAN;
}

/* Tuples in key order: kind, instrument, item, value, rank. */
static int agg_cmp(const void *pa, const void *pb)
{
	const struct agg *x = pa, *y = pb;
	int c;

	if ((c = strcmp(x->kind, y->kind)) != 0 ||
	    (c = strcmp(x->instrument, y->instrument)) != 0 ||
	    (c = strcmp(x->item, y->item)) != 0 ||
	    (c = strcmp(x->value, y->value)) != 0)
		return c;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The tuple with that key, or NULL (a->v sorted by agg_cmp). Borrowed. */
static const struct agg *find(const struct aggs *a, const char *kind,
    const char *instrument, const char *item, const char *value, int rank)
{
	const struct agg key = {.kind = kind, .instrument = instrument,
	    .item = item, .value = value, .rank = rank};

	return a->n ? bsearch(&key, a->v, a->n, sizeof(*a->v), agg_cmp) : NULL;
}

static long long count_of(const struct aggs *a, const char *kind,
    const char *instrument, const char *item, const char *value, int rank)
{
	const struct agg *g = find(a, kind, instrument, item, value, rank);

	return g ? g->n : 0;
}

/* Histogram of a difference tuple kind ("pair", "retro") of item over
 * lo..hi into count[0 .. hi - lo]; sums into *s1, *s2. */
static void diff_counts(const struct aggs *a, const char *kind,
    const char *item, int lo, int hi, long long *count, double *s1,
    double *s2)
{
	memset(count, 0, sizeof(long long) * (size_t)(hi - lo + 1));
	*s1 = *s2 = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct agg *g = &a->v[i];
		if (strcmp(g->kind, kind) != 0 || strcmp(g->item, item) != 0)
			continue;
		if (g->rank >= lo && g->rank <= hi)
			count[g->rank - lo] += g->n;
		*s1 += g->s1;
		*s2 += g->s2;
	}
}

static int is_numeric(const struct qdef_item *it)
{
	return it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10 ||
	    it->type == QDEF_NUMBER;
}

/* The integer range of a scale item (likert 1..5, rating 0..10). */
static void scale_range(const struct qdef_item *it, int *lo, int *hi)
{
	*lo = it->type == QDEF_LIKERT5 ? 1 : 0;
	*hi = it->type == QDEF_LIKERT5 ? 5 : 10;
}

/* Histogram of a scale item's values in count[0 .. hi - lo]. */
static void scale_counts(const struct aggs *a, const char *instrument,
    const struct qdef_item *it, long long *count, int lo, int hi)
{
	char v[8];

	for (int x = lo; x <= hi; x++) {
		snprintf(v, sizeof(v), "%d", x);
		count[x - lo] = count_of(a, "value", instrument, it->key, v, 0);
	}
}

/* {"1": n, ...}: every scale value or option, zeros included; for a
 * "number" item the values given. NULL when out of memory. */
static struct json_object *distribution(const struct aggs *a,
    const char *instrument, const struct qdef_item *it)
{
	struct json_object *d = json_object_new_object();
	char v[8];
	int lo, hi;

	if (d == NULL)
		return NULL;
	if (it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) {
		scale_range(it, &lo, &hi);
		for (int x = lo; x <= hi; x++) {
			snprintf(v, sizeof(v), "%d", x);
			if (put_int(d, v, count_of(a, "value", instrument,
					      it->key, v, 0)) != 0)
				goto fail;
		}
	} else if (it->type == QDEF_NUMBER) {
		for (size_t i = 0; i < a->n; i++) {
			const struct agg *g = &a->v[i];
			if (strcmp(g->kind, "value") == 0 &&
			    strcmp(g->instrument, instrument) == 0 &&
			    strcmp(g->item, it->key) == 0 &&
			    put_int(d, g->value, g->n) != 0)
				goto fail;
		}
	} else {
		for (size_t o = 0; o < it->noptions; o++)
			if (put_int(d, it->options[o].value,
				count_of(a, "value", instrument, it->key,
				    it->options[o].value, 0)) != 0)
				goto fail;
	}
	return d;
fail:
	json_object_put(d);
	return NULL;
}

struct numval {
	double x;
	long long n;
};

static int numval_cmp(const void *pa, const void *pb)
{
	const struct numval *a = pa, *b = pb;

	return (a->x > b->x) - (a->x < b->x);
}

/* R's median() of a "number" item from its (value, count) tuples. */
static double number_median(const struct aggs *a, const char *instrument,
    const char *key)
{
	struct numval *v = calloc(a->n ? a->n : 1, sizeof(*v));
	size_t k = 0;
	long long total = 0, i1, i2, seen = 0;
	double x1 = NAN, x2 = NAN;

	if (v == NULL)
		return NAN;
	for (size_t i = 0; i < a->n; i++) {
		const struct agg *g = &a->v[i];
		if (strcmp(g->kind, "value") != 0 ||
		    strcmp(g->instrument, instrument) != 0 ||
		    strcmp(g->item, key) != 0 || g->n <= 0)
			continue;
		v[k].x = g->s1 / (double)g->n; /* all rows hold one value */
		v[k++].n = g->n;
		total += g->n;
	}
	qsort(v, k, sizeof(*v), numval_cmp);
	if (total > 0) {
		i1 = (total - 1) / 2; /* 0-based middle positions */
		i2 = total / 2;
		for (size_t i = 0; i < k; i++) {
			if (isnan(x1) && i1 < seen + v[i].n)
				x1 = v[i].x;
			if (isnan(x2) && i2 < seen + v[i].n)
				x2 = v[i].x;
			seen += v[i].n;
		}
	}
	free(v);
	return total > 0 ? (x1 + x2) / 2 : NAN;
}

/* Mean and median of a numeric item. */
static int put_mean_median(struct json_object *o, const struct aggs *a,
    const char *instrument, const struct qdef_item *it)
{
	long long count[11], n = 0;
	double sum = 0, median;
	int lo, hi;

	for (size_t i = 0; i < a->n; i++) {
		const struct agg *g = &a->v[i];
		if (strcmp(g->kind, "value") == 0 &&
		    strcmp(g->instrument, instrument) == 0 &&
		    strcmp(g->item, it->key) == 0) {
			n += g->n;
			sum += g->s1;
		}
	}
	if (it->type == QDEF_NUMBER)
		median = number_median(a, instrument, it->key);
	else {
		scale_range(it, &lo, &hi);
		scale_counts(a, instrument, it, count, lo, hi);
		median = stats_median_counts(count, lo, hi);
	}
	if (put_num(o, "mean", ratio(sum, n)) != 0 ||
	    put_num(o, "median", median) != 0)
		return -1;
	return 0;
}

static int shown_in_items(const struct qdef_item *it)
{
	if (it->personal)
		return 0;
	switch (it->role) {
	case QDEF_ROLE_PROFILE:
	case QDEF_ROLE_KNOWLEDGE:
	case QDEF_ROLE_QUIZ:
	case QDEF_ROLE_EVALUATION:
	case QDEF_ROLE_NPS:
		return 1;
	default:
		return it->type == QDEF_SINGLE || it->type == QDEF_MULTI;
	}
}

static int build_items(struct json_object *root, const struct qdef *def,
    const struct aggs *a)
{
	struct json_object *arr = json_object_new_array(), *e;

	if (arr == NULL || put(root, "items", arr) != 0)
		return -1;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (!shown_in_items(it))
				continue;
			if ((e = json_object_new_object()) == NULL ||
			    push(arr, e) != 0)
				return -1;
			if (put_str(e, "item", it->key) != 0 ||
			    put_str(e, "instrument", kind_names[k]) != 0 ||
			    put_int(e, "n", count_of(a, "itemn", kind_names[k],
						    it->key, "", 0)) != 0)
				return -1;
			if (is_numeric(it) &&
			    put_mean_median(e, a, kind_names[k], it) != 0)
				return -1;
			if (put(e, "distribution",
				distribution(a, kind_names[k], it)) != 0 ||
			    json_object_object_get(e, "distribution") == NULL)
				return -1;
		}
	}
	return 0;
}

/* [lo, hi], or JSON null when rc != 0 (the interval is undefined). *ok
 * cleared when out of memory. Caller owns the result. */
static struct json_object *ci_json(int rc, double lo, double hi, int *ok)
{
	struct json_object *ci;

	if (rc != 0)
		return NULL;
	if ((ci = json_object_new_array()) == NULL ||
	    push(ci, stats_json_number(lo)) != 0 ||
	    push(ci, stats_json_number(hi)) != 0) {
		json_object_put(ci);
		*ok = 0;
		return NULL;
	}
	return ci;
}

/* Puts "ci95": [lo, hi] or null. 0, or -1 out of memory. */
static int put_ci(struct json_object *o, int rc, double lo, double hi)
{
	int ok = 1;
	struct json_object *ci = ci_json(rc, lo, hi, &ok);

	if (!ok || put(o, "ci95", ci) != 0)
		return -1;
	return 0;
}

/* The change of a difference histogram count[0 .. hi - lo] (values lo +
 * k): "mean_diff" and its t interval "ci95" (t.test(d)$conf.int), and,
 * when split, "improved", "unchanged", "declined" (d > 0, = 0, < 0). */
static int put_change(struct json_object *o, const long long *count, int lo,
    int hi, int split)
{
	long long n = 0, up = 0, same = 0, down = 0;
	double sum = 0, sumsq = 0, clo, chi;
	int rc;

	for (int k = 0; k <= hi - lo; k++) {
		double d = (double)(lo + k);

		n += count[k];
		sum += (double)count[k] * d;
		sumsq += (double)count[k] * d * d;
		if (lo + k > 0)
			up += count[k];
		else if (lo + k < 0)
			down += count[k];
		else
			same += count[k];
	}
	rc = stats_t_ci95(n, sum, sumsq, &clo, &chi);
	if (put_num(o, "mean_diff", ratio(sum, n)) != 0 ||
	    put_ci(o, rc, clo, chi) != 0)
		return -1;
	if (split && (put_int(o, "improved", up) != 0 ||
			 put_int(o, "unchanged", same) != 0 ||
			 put_int(o, "declined", down) != 0))
		return -1;
	return 0;
}

/* {"statistic", "p_value", "method"} of a Wilcoxon result on n pairs. */
static struct json_object *wilcoxon_json(const struct stats_wilcoxon *w,
    double p)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	if (put_num(o, "statistic", w->statistic) != 0 ||
	    put_num(o, "p_value", p) != 0 ||
	    put_str(o, "method", w->method_name) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The published p-value: R's, or NAN under 5 pairs (contract). */
static double published_p(const struct stats_wilcoxon *w)
{
	return stats_p_defined(w->n_pairs) ? w->p_value : NAN;
}

/* Puts key: {n, mean_diff, ci95, wilcoxon} of the difference histogram of
 * tuple kind `kind` for item (differences lo..hi). */
static int put_diff_test(struct json_object *o, const char *key,
    const struct aggs *a, const char *kind, const char *item, int lo, int hi)
{
	struct json_object *t = json_object_new_object(), *wj;
	struct stats_wilcoxon w;
	long long count[DIFF_SPAN];
	double s1, s2;

	if (t == NULL || put(o, key, t) != 0)
		return -1;
	diff_counts(a, kind, item, lo, hi, count, &s1, &s2);
	if (stats_wilcoxon_counts(count, lo, hi, &w) != 0)
		return -1;
	if (put_int(t, "n", w.n_pairs) != 0 ||
	    put_change(t, count, lo, hi, 0) != 0 ||
	    (wj = wilcoxon_json(&w, published_p(&w))) == NULL ||
	    put(t, "wilcoxon", wj) != 0)
		return -1;
	return 0;
}

/* retro[].pre_vs_retro: retro - pre (tuple kind "prer"), the response
 * shift. */
static int put_pre_vs_retro(struct json_object *e, const struct aggs *a,
    const char *item, int lo, int hi)
{
	return put_diff_test(e, "pre_vs_retro", a, "prer", item, lo, hi);
}

/* "paired" (kind "pair", first = pre) or "retro" (kind "retro", first =
 * retro), over the post knowledge items that have a pre twin (paired) or
 * a retro rating (retro). */
static int build_tests(struct json_object *root, const struct qdef *def,
    const struct aggs *a, int retro)
{
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	const struct qdef_instrument *pre = &def->instruments[QDEF_PRE];
	struct json_object *arr = json_object_new_array(), *e;
	struct stats_wilcoxon w;
	long long count[DIFF_SPAN];
	double s1, s2, *p = NULL, *holm = NULL;
	size_t n = 0;
	int lo, hi, rc = -1;

	if (arr == NULL || put(root, retro ? "retro" : "paired", arr) != 0)
		return -1;
	if (!post->present || !pre->present)
		return 0;
	p = calloc(post->nitems + 1, sizeof(double));
	holm = calloc(post->nitems + 1, sizeof(double));
	if (p == NULL || holm == NULL)
		goto out;
	for (size_t i = 0; i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		if (it->role != QDEF_ROLE_KNOWLEDGE ||
		    (retro ? !it->retro : it->twin < 0))
			continue;
		scale_range(it, &lo, &hi);
		lo -= hi; /* differences: -(hi - lo) .. hi - lo */
		hi = -lo;
		diff_counts(a, retro ? "retro" : "pair", it->key, lo, hi,
		    count, &s1, &s2);
		if (stats_wilcoxon_counts(count, lo, hi, &w) != 0)
			goto out;
		p[n++] = published_p(&w);
		if ((e = json_object_new_object()) == NULL || push(arr, e) != 0)
			goto out;
		if (put_str(e, "item", it->key) != 0 ||
		    put_int(e, "n", w.n_pairs) != 0 ||
		    put_num(e, retro ? "retro_mean" : "pre_mean",
			ratio(s1, w.n_pairs)) != 0 ||
		    put_num(e, "post_mean", ratio(s2, w.n_pairs)) != 0 ||
		    put_num(e, "median_diff",
			stats_median_counts(count, lo, hi)) != 0 ||
		    put(e, "wilcoxon", wilcoxon_json(&w, p[n - 1])) != 0 ||
		    json_object_object_get(e, "wilcoxon") == NULL ||
		    put_num(e, "rank_biserial", w.rank_biserial) != 0 ||
		    (!retro && put_change(e, count, lo, hi, 1) != 0) ||
		    (retro && put_pre_vs_retro(e, a, it->key, lo, hi) != 0))
			goto out;
	}
	if (stats_holm(p, n, holm) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (put_num(json_object_array_get_idx(arr, i), "p_holm",
			holm[i]) != 0)
			goto out;
	rc = 0;
out:
	free(p);
	free(holm);
	return rc;
}

/* quiz.items[].mcnemar_p_holm: Holm across the items' McNemar p. */
static int holm_mcnemar(struct json_object *arr)
{
	size_t n = json_object_array_length(arr);
	double *p = calloc(n + 1, sizeof(double));
	int rc = -1;

	if (p == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_object_get(
		    json_object_array_get_idx(arr, i), "mcnemar_p");
		p[i] = v ? json_object_get_double(v) : NAN;
	}
	if (stats_holm(p, n, p) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (put_num(json_object_array_get_idx(arr, i),
			"mcnemar_p_holm", p[i]) != 0)
			goto out;
	rc = 0;
out:
	free(p);
	return rc;
}

/* quiz.total: the paired test and interval on each pair's total score
 * (tuple kind "quizd": rank = post score - pre score), over the pairs of
 * quizsum. */
static int put_quiz_total(struct json_object *q, const struct aggs *a,
    long long n, double pre_mean, double post_mean)
{
	struct json_object *t = json_object_new_object(), *wj;
	struct stats_wilcoxon w;
	long long *count;
	int lo = 0, hi = 0, rc = -1;

	if (t == NULL || put(q, "total", t) != 0)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].kind, "quizd") == 0) {
			lo = a->v[i].rank < lo ? a->v[i].rank : lo;
			hi = a->v[i].rank > hi ? a->v[i].rank : hi;
		}
	if ((count = calloc((size_t)(hi - lo) + 1, sizeof(*count))) == NULL)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].kind, "quizd") == 0)
			count[a->v[i].rank - lo] += a->v[i].n;
	if (stats_wilcoxon_counts(count, lo, hi, &w) != 0)
		goto out;
	if (put_int(t, "n", n) != 0 || put_num(t, "pre_mean", pre_mean) != 0 ||
	    put_num(t, "post_mean", post_mean) != 0 ||
	    put_change(t, count, lo, hi, 1) != 0 ||
	    (wj = wilcoxon_json(&w, published_p(&w))) == NULL ||
	    put(t, "wilcoxon", wj) != 0)
		goto out;
	rc = 0;
out:
	free(count);
	return rc;
}

static int build_quiz(struct json_object *root, const struct qdef *def,
    const struct aggs *a)
{
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	struct json_object *q = json_object_new_object(), *arr, *e;
	const struct agg *sum = find(a, "quizsum", "", "", "", 0);
	long long n = sum ? sum->n : 0, max = 0, c[4];
	double pre_mean = sum ? ratio(sum->s1, n) : NAN;
	double post_mean = sum ? ratio(sum->s2, n) : NAN;

	if (q == NULL || put(root, "quiz", q) != 0)
		return -1;
	if ((arr = json_object_new_array()) == NULL)
		return -1;
	for (size_t i = 0; post->present && i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		if (it->role != QDEF_ROLE_QUIZ || it->twin < 0)
			continue;
		max++;
		for (int k = 0; k < 4; k++)
			c[k] = count_of(a, "quiz", "", it->key, "", k);
		if ((e = json_object_new_object()) == NULL ||
		    push(arr, e) != 0) {
			json_object_put(arr);
			return -1;
		}
		/* code = 2 * pre_correct + post_correct */
		if (put_str(e, "item", it->key) != 0 ||
		    put_int(e, "n", c[0] + c[1] + c[2] + c[3]) != 0 ||
		    put_int(e, "pre_correct", c[2] + c[3]) != 0 ||
		    put_int(e, "post_correct", c[1] + c[3]) != 0 ||
		    put_num(e, "mcnemar_p", stats_mcnemar_p(c[1], c[2])) != 0) {
			json_object_put(arr);
			return -1;
		}
	}
	if (holm_mcnemar(arr) != 0) {
		json_object_put(arr);
		return -1;
	}
	if (put_int(q, "n", n) != 0 ||
	    put_num(q, "pre_mean_score", pre_mean) != 0 ||
	    put_num(q, "post_mean_score", post_mean) != 0 ||
	    put_int(q, "max_score", max) != 0 ||
	    put_num(q, "normalized_gain", stats_normalized_gain(pre_mean,
					      post_mean, (double)max)) != 0 ||
	    put_quiz_total(q, a, n, pre_mean, post_mean) != 0) {
		json_object_put(arr);
		return -1;
	}
	return put(q, "items", arr);
}

/* The instrument an item with a post-only role is read from: post when
 * present there, else pre. */
static int build_evaluation(struct json_object *root, const struct qdef *def,
    const struct aggs *a)
{
	struct json_object *arr = json_object_new_array(), *e, *ci, *ag;
	long long count[11], n, agree;
	double sum, sumsq, lo95, hi95;
	int lo, hi, ok, rc;

	if (arr == NULL || put(root, "evaluation", arr) != 0)
		return -1;
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->role != QDEF_ROLE_EVALUATION ||
			    (k == QDEF_PRE && it->twin >= 0))
				continue;
			scale_range(it, &lo, &hi);
			scale_counts(a, kind_names[k], it, count, lo, hi);
			n = 0;
			sum = sumsq = 0;
			for (int x = lo; x <= hi; x++) {
				n += count[x - lo];
				sum += (double)count[x - lo] * x;
				sumsq += (double)count[x - lo] * x * x;
			}
			if ((e = json_object_new_object()) == NULL ||
			    push(arr, e) != 0)
				return -1;
			if (put_str(e, "item", it->key) != 0 ||
			    put_int(e, "n", n) != 0 ||
			    put_num(e, "mean", ratio(sum, n)) != 0)
				return -1;
			ok = 1;
			rc = stats_t_ci95(n, sum, sumsq, &lo95, &hi95);
			ci = ci_json(rc, lo95, hi95, &ok);
			if (!ok)
				return -1;
			if (put(e, "ci95", ci) != 0 ||
			    put(e, "distribution",
				distribution(a, kind_names[k], it)) != 0 ||
			    json_object_object_get(e, "distribution") == NULL)
				return -1;
			/* agreement: answers 4-5 of a 1-5 item, the top
			 * two of a 0-10 one (9-10), Wilson interval */
			agree = count[hi - lo] + count[hi - lo - 1];
			if ((ag = json_object_new_object()) == NULL ||
			    put(e, "agree", ag) != 0 ||
			    put_int(ag, "n", n) != 0 ||
			    put_int(ag, "count", agree) != 0 ||
			    put_num(ag, "share", ratio((double)agree, n)) != 0)
				return -1;
			rc = stats_wilson_ci95(agree, n, &lo95, &hi95);
			if (put_ci(ag, rc, lo95, hi95) != 0)
				return -1;
		}
	}
	return 0;
}

static int build_nps(struct json_object *root, const struct qdef *def,
    const struct aggs *a)
{
	struct json_object *o;
	struct stats_nps nps;
	long long count[11];
	double lo, hi;
	int rc;

	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->role != QDEF_ROLE_NPS)
				continue;
			scale_counts(a, kind_names[k], it, count, 0, 10);
			stats_nps(count, &nps);
			if ((o = json_object_new_object()) == NULL ||
			    put(root, "nps", o) != 0)
				return -1;
			if (put_str(o, "item", it->key) != 0 ||
			    put_int(o, "n", nps.n) != 0 ||
			    put_int(o, "promoters", nps.promoters) != 0 ||
			    put_int(o, "passives", nps.passives) != 0 ||
			    put_int(o, "detractors", nps.detractors) != 0 ||
			    put_num(o, "score", nps.score) != 0)
				return -1;
			rc = stats_nps_ci95(&nps, &lo, &hi);
			return put_ci(o, rc, lo, hi);
		}
	}
	return put(root, "nps", NULL);
}

struct ranked {
	size_t option;
	struct stats_borda b;
};

static int ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->b.borda != b->b.borda)
		return a->b.borda < b->b.borda ? 1 : -1;
	return (a->option > b->option) - (a->option < b->option);
}

/* One ranking entry; options by Borda score, then form order. */
static int ranking_entry(struct json_object *arr, const struct aggs *a,
    const char *instrument, const struct qdef_item *it)
{
	size_t no = it->noptions, top = it->top ? it->top : 1;
	long long *count = calloc(no * top + 1, sizeof(long long));
	struct stats_borda *b = calloc(no + 1, sizeof(*b));
	struct ranked *r = calloc(no + 1, sizeof(*r));
	struct json_object *e, *opts, *o, *ranks;
	long long n = count_of(a, "itemn", instrument, it->key, "", 0);
	int rc = -1;

	if (count == NULL || b == NULL || r == NULL)
		goto out;
	for (size_t i = 0; i < no; i++)
		for (size_t k = 0; k < top; k++)
			count[i * top + k] = count_of(a, "value", instrument,
			    it->key, it->options[i].value, (int)k + 1);
	stats_borda(count, no, (int)top, n, b);
	for (size_t i = 0; i < no; i++) {
		r[i].option = i;
		r[i].b = b[i];
	}
	qsort(r, no, sizeof(*r), ranked_cmp);
	if ((e = json_object_new_object()) == NULL || push(arr, e) != 0)
		goto out;
	if (put_str(e, "item", it->key) != 0 || put_int(e, "n", n) != 0 ||
	    (opts = json_object_new_array()) == NULL ||
	    put(e, "options", opts) != 0)
		goto out;
	for (size_t i = 0; i < no; i++) {
		if ((o = json_object_new_object()) == NULL ||
		    push(opts, o) != 0)
			goto out;
		if (put_str(o, "option", it->options[r[i].option].value) != 0 ||
		    put_int(o, "borda", r[i].b.borda) != 0 ||
		    put_num(o, "top3_share", r[i].b.top3_share) != 0 ||
		    put_int(o, "first", r[i].b.first) != 0 ||
		    (ranks = json_object_new_array()) == NULL ||
		    put(o, "ranks", ranks) != 0)
			goto out;
		for (size_t k = 0; k < top; k++)
			if (push(ranks, json_object_new_int64(
					   count[r[i].option * top + k])) != 0)
				goto out;
	}
	rc = 0;
out:
	free(count);
	free(b);
	free(r);
	return rc;
}

static int build_ranking(struct json_object *root, const struct qdef *def,
    const struct aggs *a)
{
	struct json_object *arr = json_object_new_array();

	if (arr == NULL || put(root, "ranking", arr) != 0)
		return -1;
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->type != QDEF_RANK || it->personal ||
			    (k == QDEF_PRE && it->twin >= 0))
				continue;
			if (ranking_entry(arr, a, kind_names[k], it) != 0)
				return -1;
		}
	}
	return 0;
}

/* Checks the filters against the definition's profile items and turns
 * them into {"key": "value"}: a key must be a profile item, given once, and
 * its value one of the item's options. 0, -1 out of memory, 400 with *why. */
static int filters_json(const struct qdef *def, const struct kvlist *f,
    struct json_object **out, const char **why)
{
	struct json_object *o = json_object_new_object();

	*out = o;
	if (o == NULL)
		return -1;
	for (size_t i = 0; f && i < f->n; i++) {
		const struct qdef_item *it = NULL;
		for (int k = 0; k < QDEF_KIND__MAX && it == NULL; k++)
			if (def->instruments[k].present)
				it = qdef_item(&def->instruments[k],
				    f->v[i].key);
		if (it == NULL || it->role != QDEF_ROLE_PROFILE) {
			*why = "filter is not a profile item";
			return 400;
		}
		if (json_object_object_get_ex(o, f->v[i].key, NULL)) {
			*why = "filter given twice";
			return 400;
		}
		/* only one of the item's own option values: anything else
		 * (invalid UTF-8 included) never reaches the database */
		if (qdef_option_index(it, f->v[i].value) < 0) {
			*why = "filter value is not an option of the item";
			return 400;
		}
		if (put_str(o, f->v[i].key, f->v[i].value) != 0)
			return -1;
	}
	return 0;
}

/*
 * Whether the group of filters fj (non-empty) may show more than counts
 * (DESIGN.md "Statistics for small groups", Disclosure), from
 * enquete_group_sizes: at least SUMMARY_MIN_GROUP participants; dropping
 * any one filter adds 0 or at least SUMMARY_MIN_GROUP; and for each filter,
 * its value is not hidden by the complementary suppression of that item's
 * values within the group without it. res holds (fkey, fvalue, n) rows.
 * 1 shown, 0 counts only, -1 out of memory.
 */
static int disclosed(const PGresult *res, struct json_object *fj)
{
	int rows = PQntuples(res), ok = 1;
	long long *size = calloc((size_t)rows + 1, sizeof(*size));
	int *hidden = calloc((size_t)rows + 1, sizeof(*hidden));

	if (size == NULL || hidden == NULL) {
		free(size);
		free(hidden);
		return -1;
	}
	json_object_object_foreach(fj, key, val) {
		const char *want = json_object_get_string(val);
		long long parent = 0, group = 0;
		size_t nv = 0, mine = (size_t)-1;

		for (int r = 0; r < rows; r++) {
			long long n = strtoll(PQgetvalue(res, r, 2), NULL, 10);
			if (strcmp(PQgetvalue(res, r, 0), key) != 0)
				continue;
			if (PQgetisnull(res, r, 1)) {
				parent = n;
				continue;
			}
			if (strcmp(PQgetvalue(res, r, 1), want) == 0) {
				group = n;
				mine = nv;
			}
			size[nv++] = n;
		}
		stats_suppress(size, nv, parent, SUMMARY_MIN_GROUP, hidden);
		if (group < SUMMARY_MIN_GROUP ||
		    (parent - group > 0 && parent - group < SUMMARY_MIN_GROUP) ||
		    (mine != (size_t)-1 && hidden[mine]))
			ok = 0;
	}
	free(size);
	free(hidden);
	return ok;
}

int summary_build(struct db *db, const struct qdef *def, long event_id,
    const char *slug, const struct kvlist *filters, struct json_object **out,
    int *status)
{
	struct json_object *root = NULL, *fj = NULL, *counts;
	struct aggs a = {NULL, 0};
	PGresult *res = NULL;
	const char *why = NULL, *params[2];
	char id[24];
	long long npre, npost, npaired;
	int rc = -1, frc, shown = 1;

	*out = NULL;
	*status = 500;
	frc = filters_json(def, filters, &fj, &why);
	if (frc == 400) {
		json_object_put(fj);
		*status = 400;
		if ((*out = json_object_new_object()) != NULL &&
		    put_str(*out, "error", why) != 0) {
			json_object_put(*out);
			*out = NULL;
		}
		return -1;
	}
	if (frc != 0)
		goto out;

	snprintf(id, sizeof(id), "%ld", event_id);
	params[0] = id;
	if (json_object_object_length(fj) > 0) {
		/* disclosure control: whether this group may show more
		 * than its counts */
		params[1] = json_object_to_json_string_ext(fj,
		    JSON_C_TO_STRING_PLAIN);
		res = db_exec_limited(db, DB_GROUP_SIZES, 2, params,
		    db_filter_timeout_ms());
		if (res == NULL) {
			*status = 503;
			goto out;
		}
		if (!db_timed_out(res)) {
			if (!db_ok(res) || PQnfields(res) != 3 ||
			    (shown = disclosed(res, fj)) < 0)
				goto out;
			PQclear(res);
			res = NULL;
		}
	}
	if (res != NULL)
		; /* timed out: answered below */
	else if (json_object_object_length(fj) == 0)
		res = db_exec(db, DB_SUMMARY_STATS, 1, params);
	else {
		params[1] = json_object_to_json_string_ext(fj,
		    JSON_C_TO_STRING_PLAIN);
		res = db_exec_limited(db, DB_SUMMARY_STATS_FILTERED, 2, params,
		    db_filter_timeout_ms());
	}
	if (res == NULL) {
		*status = 503;
		goto out;
	}
	if (db_timed_out(res)) {
		/* combined filters over a large event: recomputed from the
		 * raw rows, cut short rather than left to nginx's 504 */
		char msg[160];
		snprintf(msg, sizeof(msg), "these filters select too many "
		    "participants to combine within %ld s; use one filter at "
		    "a time", (db_filter_timeout_ms() + 999) / 1000);
		*status = 503;
		if ((*out = json_object_new_object()) != NULL &&
		    (put_str(*out, "error", msg) != 0 ||
			put(*out, "timeout", json_object_new_boolean(1)) != 0)) {
			json_object_put(*out);
			*out = NULL;
		}
		goto out;
	}
	if (!db_ok(res) || PQnfields(res) != 8)
		goto out;
	a.n = (size_t)PQntuples(res);
	if ((a.v = calloc(a.n + 1, sizeof(*a.v))) == NULL)
		goto out;
	for (size_t i = 0; i < a.n; i++) {
		int r = (int)i;
		a.v[i].kind = PQgetvalue(res, r, 0);
		a.v[i].instrument = PQgetvalue(res, r, 1);
		a.v[i].item = PQgetvalue(res, r, 2);
		a.v[i].value = PQgetvalue(res, r, 3);
		a.v[i].rank = atoi(PQgetvalue(res, r, 4));
		a.v[i].n = strtoll(PQgetvalue(res, r, 5), NULL, 10);
		a.v[i].s1 = strtod(PQgetvalue(res, r, 6), NULL);
		a.v[i].s2 = strtod(PQgetvalue(res, r, 7), NULL);
	}
	/* looked up by key for every value of every item: bisect */
	qsort(a.v, a.n, sizeof(*a.v), agg_cmp);

	if ((root = json_object_new_object()) == NULL ||
	    put_str(root, "event", slug) != 0)
		goto out;
	if (put(root, "filters", fj) != 0) {
		fj = NULL;
		goto out;
	}
	fj = NULL;
	npre = count_of(&a, "resp", "pre", "", "", 0);
	npost = count_of(&a, "resp", "post", "", "", 0);
	npaired = count_of(&a, "resp", "paired", "", "", 0);
	if ((counts = json_object_new_object()) == NULL ||
	    put(root, "counts", counts) != 0 ||
	    put_int(counts, "pre", npre) != 0 ||
	    put_int(counts, "post", npost) != 0 ||
	    put_int(counts, "paired", npaired) != 0)
		goto out;
	/* a filtered subgroup too small to show: counts only (privacy) */
	if (json_object_object_length(json_object_object_get(root,
		"filters")) > 0 &&
	    (npre + npost - npaired < SUMMARY_MIN_GROUP || !shown)) {
		if (put(root, "restricted", json_object_new_boolean(1)) != 0)
			goto out;
	} else if (build_items(root, def, &a) != 0 ||
	    build_tests(root, def, &a, 0) != 0 ||
	    build_tests(root, def, &a, 1) != 0 ||
	    build_quiz(root, def, &a) != 0 ||
	    build_evaluation(root, def, &a) != 0 ||
	    build_nps(root, def, &a) != 0 || build_ranking(root, def, &a) != 0)
		goto out;
	*out = root;
	root = NULL;
	*status = 200;
	rc = 0;
out:
	json_object_put(root);
	json_object_put(fj);
	free(a.v);
	PQclear(res);
	return rc;
}
