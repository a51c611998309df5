/* summary.c: the summary of an event from the aggregate tuples of
 * schema/004_stats.sql (kind, instrument, item, value, rank) -> (n, s1,
 * s2), read through store_summary.c. Without filters they come from the
 * incremental tables (a few hundred rows whatever the number of
 * participants); with one filter from the same tuples kept per profile
 * answer (schema/010), with combined filters from the recomputation over
 * the subgroup's raw rows (under a time limit). The definition decides
 * which items show where. The result is a typed struct (summary.h);
 * summary_to_json() at the end writes the contract's JSON from it. */
#include "summary.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h" /* db_filter_timeout_ms() */
#include "stats.h"
#include "store_summary.h"

/* The largest difference range: 0-10 ratings. */
#define DIFF_SPAN 21

static const char *const kind_names[QDEF_KIND__MAX] = {"pre", "post",
    "followup"};

static double ratio(double a, long long n)
{
	return n > 0 ? a / (double)n : NAN;
}

/* ---- filters ---- */

int summary_filters_parse(const struct qdef *def, const struct kvlist *in,
    struct summary_filters *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; in && i < in->n; i++) {
		const struct qdef_item *it = NULL;
		int o;

		for (int k = 0; k < QDEF_KIND__MAX && it == NULL; k++)
			if (def->instruments[k].present)
				it = qdef_item(&def->instruments[k],
				    in->v[i].key);
		if (it == NULL || it->role != QDEF_ROLE_PROFILE) {
			*why = "filter is not a profile item";
			return 400;
		}
		if (summary_filters_get(out, in->v[i].key) != NULL) {
			*why = "filter given twice";
			return 400;
		}
		/* only one of the item's own option values: anything else
		 * (invalid UTF-8 included) never reaches the database */
		if ((o = qdef_option_index(it, in->v[i].value)) < 0) {
			*why = "filter value is not an option of the item";
			return 400;
		}
		if (out->n == SUMMARY_MAX_FILTERS) {
			*why = "too many filters";
			return 400;
		}
		out->v[out->n].item = it;
		out->v[out->n].value = it->options[o].value;
		out->n++;
	}
	out->validated = 1;
	return 0;
}

const char *summary_filters_get(const struct summary_filters *f,
    const char *key)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (strcmp(f->v[i].item->key, key) == 0)
			return f->v[i].value;
	return NULL;
}

/* ---- the tuples ---- */

/* Tuples in key order: kind, instrument, item, value, rank. */
static int agg_cmp(const void *pa, const void *pb)
{
	const struct store_agg *x = pa, *y = pb;
	int c;

	if ((c = strcmp(x->kind, y->kind)) != 0 ||
	    (c = strcmp(x->instrument, y->instrument)) != 0 ||
	    (c = strcmp(x->item, y->item)) != 0 ||
	    (c = strcmp(x->value, y->value)) != 0)
		return c;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The tuple with that key, or NULL (a->v sorted by agg_cmp). Borrowed. */
static const struct store_agg *find(const struct store_aggs *a,
    const char *kind, const char *instrument, const char *item,
    const char *value, int rank)
{
	const struct store_agg key = {.kind = kind, .instrument = instrument,
	    .item = item, .value = value, .rank = rank};

	return a->n ? bsearch(&key, a->v, a->n, sizeof(*a->v), agg_cmp) : NULL;
}

static long long count_of(const struct store_aggs *a, const char *kind,
    const char *instrument, const char *item, const char *value, int rank)
{
	const struct store_agg *g = find(a, kind, instrument, item, value, rank);

	return g ? g->n : 0;
}

/* Histogram of a difference tuple kind ("pair", "retro") of item over
 * lo..hi into count[0 .. hi - lo]; sums into *s1, *s2. */
static void diff_counts(const struct store_aggs *a, const char *kind,
    const char *item, int lo, int hi, long long *count, double *s1,
    double *s2)
{
	memset(count, 0, sizeof(long long) * (size_t)(hi - lo + 1));
	*s1 = *s2 = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct store_agg *g = &a->v[i];
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

/* "0" .. "10": the scale points as the tuples spell them. */
static const char *const point_names[11] = {"0", "1", "2", "3", "4", "5",
    "6", "7", "8", "9", "10"};

/* Histogram of a scale item's values in count[0 .. hi - lo]. */
static void scale_counts(const struct store_aggs *a, const char *instrument,
    const struct qdef_item *it, long long *count, int lo, int hi)
{
	for (int x = lo; x <= hi; x++)
		count[x - lo] = count_of(a, "value", instrument, it->key,
		    point_names[x], 0);
}

/* Every scale value or option, zeros included; for a "number" item the
 * values given (a value given twice counts once, the last tuple's).
 * Strings borrowed from the definition or the tuples. -1 out of memory. */
static int distribution(const struct store_aggs *a, const char *instrument,
    const struct qdef_item *it, struct summary_count **out, size_t *nout)
{
	struct summary_count *d;
	size_t n = 0, cap;
	int lo, hi;

	cap = it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10 ? 11 :
	    it->type == QDEF_NUMBER ? a->n : it->noptions;
	if ((d = calloc(cap + 1, sizeof(*d))) == NULL)
		return -1;
	if (it->type == QDEF_LIKERT5 || it->type == QDEF_RATING10) {
		scale_range(it, &lo, &hi);
		for (int x = lo; x <= hi; x++) {
			d[n].value = point_names[x];
			d[n++].n = count_of(a, "value", instrument, it->key,
			    point_names[x], 0);
		}
	} else if (it->type == QDEF_NUMBER) {
		for (size_t i = 0; i < a->n; i++) {
			const struct store_agg *g = &a->v[i];
			if (strcmp(g->kind, "value") != 0 ||
			    strcmp(g->instrument, instrument) != 0 ||
			    strcmp(g->item, it->key) != 0)
				continue;
			if (n > 0 && strcmp(d[n - 1].value, g->value) == 0)
				d[n - 1].n = g->n; /* sorted: repeats adjoin */
			else {
				d[n].value = g->value;
				d[n++].n = g->n;
			}
		}
	} else {
		for (size_t o = 0; o < it->noptions; o++) {
			d[n].value = it->options[o].value;
			d[n++].n = count_of(a, "value", instrument, it->key,
			    it->options[o].value, 0);
		}
	}
	*out = d;
	*nout = n;
	return 0;
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
static double number_median(const struct store_aggs *a,
    const char *instrument, const char *key)
{
	struct numval *v = calloc(a->n ? a->n : 1, sizeof(*v));
	size_t k = 0;
	long long total = 0, i1, i2, seen = 0;
	double x1 = NAN, x2 = NAN;

	if (v == NULL)
		return NAN;
	for (size_t i = 0; i < a->n; i++) {
		const struct store_agg *g = &a->v[i];
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
static void mean_median(const struct store_aggs *a, const char *instrument,
    const struct qdef_item *it, double *mean, double *median)
{
	long long count[11], n = 0;
	double sum = 0;
	int lo, hi;

	for (size_t i = 0; i < a->n; i++) {
		const struct store_agg *g = &a->v[i];
		if (strcmp(g->kind, "value") == 0 &&
		    strcmp(g->instrument, instrument) == 0 &&
		    strcmp(g->item, it->key) == 0) {
			n += g->n;
			sum += g->s1;
		}
	}
	if (it->type == QDEF_NUMBER)
		*median = number_median(a, instrument, it->key);
	else {
		scale_range(it, &lo, &hi);
		scale_counts(a, instrument, it, count, lo, hi);
		*median = stats_median_counts(count, lo, hi);
	}
	*mean = ratio(sum, n);
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

static int build_items(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	size_t cap = 0;

	for (int k = 0; k < QDEF_KIND__MAX; k++)
		cap += def->instruments[k].present ?
		    def->instruments[k].nitems : 0;
	if ((s->items = calloc(cap + 1, sizeof(*s->items))) == NULL)
		return -1;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			struct summary_item *e = &s->items[s->nitems];

			if (!shown_in_items(it))
				continue;
			s->nitems++;
			e->item = it;
			e->instrument = (enum qdef_kind)k;
			e->n = count_of(a, "itemn", kind_names[k], it->key,
			    "", 0);
			e->numeric = is_numeric(it);
			if (e->numeric)
				mean_median(a, kind_names[k], it, &e->mean,
				    &e->median);
			if (distribution(a, kind_names[k], it, &e->dist,
				&e->ndist) != 0)
				return -1;
		}
	}
	return 0;
}

static struct summary_ci make_ci(int rc, double lo, double hi)
{
	struct summary_ci ci = {rc == 0, lo, hi};

	return ci;
}

/* The change of a difference histogram count[0 .. hi - lo] (values lo +
 * k): mean_diff and its t interval (t.test(d)$conf.int), and, when split,
 * improved, unchanged, declined (d > 0, = 0, < 0). */
static struct summary_change change_of(const long long *count, int lo,
    int hi, int split)
{
	struct summary_change c = {0};
	long long n = 0;
	double sum = 0, sumsq = 0, clo = NAN, chi = NAN;
	int rc;

	for (int k = 0; k <= hi - lo; k++) {
		double d = (double)(lo + k);

		n += count[k];
		sum += (double)count[k] * d;
		sumsq += (double)count[k] * d * d;
		if (lo + k > 0)
			c.improved += count[k];
		else if (lo + k < 0)
			c.declined += count[k];
		else
			c.unchanged += count[k];
	}
	rc = stats_t_ci95(n, sum, sumsq, &clo, &chi);
	c.ci95 = make_ci(rc, clo, chi);
	c.mean_diff = ratio(sum, n);
	c.has_split = split;
	return c;
}

/* The published p-value: R's, or NAN under 5 pairs (contract). */
static double published_p(const struct stats_wilcoxon *w)
{
	return stats_p_defined(w->n_pairs) ? w->p_value : NAN;
}

static struct summary_wilcoxon published(const struct stats_wilcoxon *w)
{
	struct summary_wilcoxon p = {w->statistic, published_p(w),
	    w->method_name};

	return p;
}

/* paired[] (tuple kind "pair", first = pre) or retro[] (kind "retro",
 * first = retro), over the post knowledge items that have a pre twin
 * (paired) or a retro rating (retro); retro[] also has pre_vs_retro
 * (kind "prer": retro - pre, the response shift). */
static int build_tests(struct summary *s, const struct qdef *def,
    const struct store_aggs *a, int retro)
{
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	const struct qdef_instrument *pre = &def->instruments[QDEF_PRE];
	struct summary_test *arr;
	struct stats_wilcoxon w, wr;
	long long count[DIFF_SPAN];
	double s1, s2, *p = NULL, *holm = NULL;
	size_t n = 0;
	int lo, hi, rc = -1;

	if (!post->present || !pre->present)
		return 0;
	arr = calloc(post->nitems + 1, sizeof(*arr));
	if (retro)
		s->retro = arr;
	else
		s->paired = arr;
	p = calloc(post->nitems + 1, sizeof(double));
	holm = calloc(post->nitems + 1, sizeof(double));
	if (arr == NULL || p == NULL || holm == NULL)
		goto out;
	for (size_t i = 0; i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		struct summary_test *e = &arr[n];

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
		e->item = it;
		e->n = w.n_pairs;
		e->first_mean = ratio(s1, w.n_pairs);
		e->post_mean = ratio(s2, w.n_pairs);
		e->median_diff = stats_median_counts(count, lo, hi);
		e->wilcoxon = published(&w);
		e->rank_biserial = w.rank_biserial;
		if (!retro)
			e->change = change_of(count, lo, hi, 1);
		else {
			diff_counts(a, "prer", it->key, lo, hi, count, &s1,
			    &s2);
			if (stats_wilcoxon_counts(count, lo, hi, &wr) != 0)
				goto out;
			e->pre_vs_retro.n = wr.n_pairs;
			e->pre_vs_retro.change = change_of(count, lo, hi, 0);
			e->pre_vs_retro.wilcoxon = published(&wr);
		}
	}
	if (retro)
		s->nretro = n;
	else
		s->npaired = n;
	if (stats_holm(p, n, holm) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		arr[i].p_holm = holm[i];
	rc = 0;
out:
	free(p);
	free(holm);
	return rc;
}

/* quiz.total: the paired test and interval on each pair's total score
 * (tuple kind "quizd": rank = post score - pre score), over the pairs of
 * quizsum. */
static int quiz_total(struct summary_quiz *q, const struct store_aggs *a)
{
	struct stats_wilcoxon w;
	long long *count;
	int lo = 0, hi = 0, rc = -1;

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
	q->total.n = q->n;
	q->total.pre_mean = q->pre_mean_score;
	q->total.post_mean = q->post_mean_score;
	q->total.change = change_of(count, lo, hi, 1);
	q->total.wilcoxon = published(&w);
	rc = 0;
out:
	free(count);
	return rc;
}

static int build_quiz(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	struct summary_quiz *q = &s->quiz;
	const struct store_agg *sum = find(a, "quizsum", "", "", "", 0);
	long long c[4];
	double *p;
	int rc = -1;

	q->n = sum ? sum->n : 0;
	q->pre_mean_score = sum ? ratio(sum->s1, q->n) : NAN;
	q->post_mean_score = sum ? ratio(sum->s2, q->n) : NAN;
	q->items = calloc((post->present ? post->nitems : 0) + 1,
	    sizeof(*q->items));
	p = calloc((post->present ? post->nitems : 0) + 1, sizeof(*p));
	if (q->items == NULL || p == NULL)
		goto out;
	for (size_t i = 0; post->present && i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		struct summary_quiz_item *e = &q->items[q->nitems];

		if (it->role != QDEF_ROLE_QUIZ || it->twin < 0)
			continue;
		for (int k = 0; k < 4; k++)
			c[k] = count_of(a, "quiz", "", it->key, "", k);
		/* code = 2 * pre_correct + post_correct */
		e->item = it;
		e->n = c[0] + c[1] + c[2] + c[3];
		e->pre_correct = c[2] + c[3];
		e->post_correct = c[1] + c[3];
		e->mcnemar_p = stats_mcnemar_p(c[1], c[2]);
		p[q->nitems++] = e->mcnemar_p;
	}
	q->max_score = (long long)q->nitems;
	/* Holm across the items' McNemar p */
	if (stats_holm(p, q->nitems, p) != 0)
		goto out;
	for (size_t i = 0; i < q->nitems; i++)
		q->items[i].mcnemar_p_holm = p[i];
	q->normalized_gain = stats_normalized_gain(q->pre_mean_score,
	    q->post_mean_score, (double)q->max_score);
	rc = quiz_total(q, a);
out:
	free(p);
	return rc;
}

/* evaluation[]: the post items first (a post-only role is read from post
 * when present there, else pre). */
static int build_evaluation(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	long long count[11], n, agree;
	double sum, sumsq, lo95 = NAN, hi95 = NAN;
	size_t cap = 0;
	int lo, hi, rc;

	for (int k = 0; k < QDEF_KIND__MAX; k++)
		cap += def->instruments[k].present ?
		    def->instruments[k].nitems : 0;
	if ((s->evaluation = calloc(cap + 1, sizeof(*s->evaluation))) == NULL)
		return -1;
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			struct summary_eval *e;

			if (it->role != QDEF_ROLE_EVALUATION ||
			    (k == QDEF_PRE && it->twin >= 0))
				continue;
			e = &s->evaluation[s->nevaluation++];
			scale_range(it, &lo, &hi);
			scale_counts(a, kind_names[k], it, count, lo, hi);
			n = 0;
			sum = sumsq = 0;
			for (int x = lo; x <= hi; x++) {
				n += count[x - lo];
				sum += (double)count[x - lo] * x;
				sumsq += (double)count[x - lo] * x * x;
			}
			e->item = it;
			e->instrument = (enum qdef_kind)k;
			e->n = n;
			e->mean = ratio(sum, n);
			rc = stats_t_ci95(n, sum, sumsq, &lo95, &hi95);
			e->ci95 = make_ci(rc, lo95, hi95);
			if (distribution(a, kind_names[k], it, &e->dist,
				&e->ndist) != 0)
				return -1;
			/* agreement: answers 4-5 of a 1-5 item, the top
			 * two of a 0-10 one (9-10), Wilson interval */
			agree = count[hi - lo] + count[hi - lo - 1];
			e->agree.n = n;
			e->agree.count = agree;
			e->agree.share = ratio((double)agree, n);
			rc = stats_wilson_ci95(agree, n, &lo95, &hi95);
			e->agree.ci95 = make_ci(rc, lo95, hi95);
		}
	}
	return 0;
}

/* nps: the first NPS item, post first; absent without one. */
static void build_nps(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	struct stats_nps nps;
	long long count[11];
	double lo = NAN, hi = NAN;
	int rc;

	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->role != QDEF_ROLE_NPS)
				continue;
			scale_counts(a, kind_names[k], it, count, 0, 10);
			stats_nps(count, &nps);
			s->nps.present = 1;
			s->nps.item = it;
			s->nps.n = nps.n;
			s->nps.promoters = nps.promoters;
			s->nps.passives = nps.passives;
			s->nps.detractors = nps.detractors;
			s->nps.score = nps.score;
			rc = stats_nps_ci95(&nps, &lo, &hi);
			s->nps.ci95 = make_ci(rc, lo, hi);
			return;
		}
	}
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
static int ranking_entry(struct summary_ranking *e,
    const struct store_aggs *a, const char *instrument,
    const struct qdef_item *it)
{
	size_t no = it->noptions, top = it->top ? it->top : 1;
	long long *count = calloc(no * top + 1, sizeof(long long));
	struct stats_borda *b = calloc(no + 1, sizeof(*b));
	struct ranked *r = calloc(no + 1, sizeof(*r));
	int rc = -1;

	e->item = it;
	e->n = count_of(a, "itemn", instrument, it->key, "", 0);
	e->options = calloc(no + 1, sizeof(*e->options));
	if (count == NULL || b == NULL || r == NULL || e->options == NULL)
		goto out;
	for (size_t i = 0; i < no; i++)
		for (size_t k = 0; k < top; k++)
			count[i * top + k] = count_of(a, "value", instrument,
			    it->key, it->options[i].value, (int)k + 1);
	stats_borda(count, no, (int)top, e->n, b);
	for (size_t i = 0; i < no; i++) {
		r[i].option = i;
		r[i].b = b[i];
	}
	qsort(r, no, sizeof(*r), ranked_cmp);
	for (size_t i = 0; i < no; i++) {
		struct summary_rank_option *o = &e->options[e->noptions++];

		o->option = it->options[r[i].option].value;
		o->borda = r[i].b.borda;
		o->top3_share = r[i].b.top3_share;
		o->first = r[i].b.first;
		if ((o->ranks = calloc(top, sizeof(*o->ranks))) == NULL)
			goto out;
		o->nranks = top;
		for (size_t k = 0; k < top; k++)
			o->ranks[k] = count[r[i].option * top + k];
	}
	rc = 0;
out:
	free(count);
	free(b);
	free(r);
	return rc;
}

static int build_ranking(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	size_t cap = 0;

	for (int k = 0; k < QDEF_KIND__MAX; k++)
		cap += def->instruments[k].present ?
		    def->instruments[k].nitems : 0;
	if ((s->ranking = calloc(cap + 1, sizeof(*s->ranking))) == NULL)
		return -1;
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			if (it->type != QDEF_RANK || it->personal ||
			    (k == QDEF_PRE && it->twin >= 0))
				continue;
			if (ranking_entry(&s->ranking[s->nranking++], a,
				kind_names[k], it) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Whether the group of filters f (non-empty) may show more than counts
 * (DESIGN.md "Statistics for small groups", Disclosure), from
 * enquete_group_sizes: at least SUMMARY_MIN_GROUP participants; dropping
 * any one filter adds 0 or at least SUMMARY_MIN_GROUP; and for each filter,
 * its value is not hidden by the complementary suppression of that item's
 * values within the group without it. 1 shown, 0 counts only, -1 out of
 * memory.
 */
static int disclosed(const struct store_group_sizes *g,
    const struct summary_filters *f)
{
	long long *size = calloc(g->n + 1, sizeof(*size));
	int *hidden = calloc(g->n + 1, sizeof(*hidden)), ok = 1;

	if (size == NULL || hidden == NULL) {
		free(size);
		free(hidden);
		return -1;
	}
	for (size_t i = 0; i < f->n; i++) {
		const char *key = f->v[i].item->key, *want = f->v[i].value;
		long long parent = 0, group = 0;
		size_t nv = 0, mine = (size_t)-1;

		for (size_t r = 0; r < g->n; r++) {
			const struct store_group_size *row = &g->v[r];
			if (strcmp(row->fkey, key) != 0)
				continue;
			if (!row->has_value) {
				parent = row->n;
				continue;
			}
			if (strcmp(row->fvalue, want) == 0) {
				group = row->n;
				mine = nv;
			}
			size[nv++] = row->n;
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

static enum summary_rc from_store(enum store_read r)
{
	switch (r) {
	case STORE_READ_OK:
		return SUMMARY_OK;
	case STORE_READ_DOWN:
		return SUMMARY_DOWN;
	case STORE_READ_TIMEOUT:
		return SUMMARY_TIMEOUT;
	default:
		return SUMMARY_FAILED;
	}
}

/* followup.paired_pre (kind "fpre", against = QDEF_PRE) or paired_post
 * ("fpost", QDEF_POST): paired[]'s test over the follow-up's knowledge
 * items asked in that instrument too; Holm across each list. */
static int followup_tests(const struct qdef *def, const struct store_aggs *a,
    enum qdef_kind against, struct summary_test **out, size_t *nout)
{
	const struct qdef_instrument *fu = &def->instruments[QDEF_FOLLOWUP];
	struct summary_test *arr;
	struct stats_wilcoxon w;
	long long count[DIFF_SPAN];
	double s1, s2, *p = NULL, *holm = NULL;
	size_t n = 0;
	int lo, hi, rc = -1;

	*nout = 0;
	if ((arr = calloc(fu->nitems + 1, sizeof(*arr))) == NULL)
		return -1;
	*out = arr;
	p = calloc(fu->nitems + 1, sizeof(double));
	holm = calloc(fu->nitems + 1, sizeof(double));
	if (p == NULL || holm == NULL)
		goto out;
	for (size_t i = 0; i < fu->nitems; i++) {
		const struct qdef_item *it = &fu->items[i];
		struct summary_test *e = &arr[n];

		if (it->role != QDEF_ROLE_KNOWLEDGE ||
		    (against == QDEF_PRE ? it->fpre : it->fpost) < 0)
			continue;
		scale_range(it, &lo, &hi);
		lo -= hi;
		hi = -lo;
		diff_counts(a, against == QDEF_PRE ? "fpre" : "fpost", it->key,
		    lo, hi, count, &s1, &s2);
		if (stats_wilcoxon_counts(count, lo, hi, &w) != 0)
			goto out;
		p[n++] = published_p(&w);
		e->item = it;
		e->n = w.n_pairs;
		e->first_mean = ratio(s1, w.n_pairs);
		e->post_mean = ratio(s2, w.n_pairs);
		e->median_diff = stats_median_counts(count, lo, hi);
		e->wilcoxon = published(&w);
		e->rank_biserial = w.rank_biserial;
		e->change = change_of(count, lo, hi, 1);
	}
	*nout = n;
	if (stats_holm(p, n, holm) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		arr[i].p_holm = holm[i];
	rc = 0;
out:
	free(p);
	free(holm);
	return rc;
}

/* followup: its tests and its outcome items' distributions (tuples value
 * and itemn of instrument "followup"), each option's share with Wilson's
 * interval. */
static int build_followup(struct summary *s, const struct qdef *def,
    const struct store_aggs *a)
{
	const struct qdef_instrument *fu = &def->instruments[QDEF_FOLLOWUP];
	struct summary_followup *f = &s->followup;

	if (!fu->present)
		return 0;
	f->present = 1;
	if (followup_tests(def, a, QDEF_PRE, &f->vs_pre, &f->nvs_pre) != 0 ||
	    followup_tests(def, a, QDEF_POST, &f->vs_post, &f->nvs_post) != 0)
		return -1;
	if ((f->outcomes = calloc(fu->nitems + 1, sizeof(*f->outcomes))) ==
	    NULL)
		return -1;
	for (size_t i = 0; i < fu->nitems; i++) {
		const struct qdef_item *it = &fu->items[i];
		struct summary_outcome *o = &f->outcomes[f->noutcomes];

		if (it->role != QDEF_ROLE_OUTCOME)
			continue;
		o->item = it;
		o->n = count_of(a, "itemn", "followup", it->key, "", 0);
		o->options = calloc(it->noptions + 1, sizeof(*o->options));
		if (o->options == NULL)
			return -1;
		f->noutcomes++;
		for (size_t k = 0; k < it->noptions; k++) {
			struct summary_outcome_option *op = &o->options[k];
			double lo95, hi95;
			int rc;

			op->option = it->options[k].value;
			op->count = count_of(a, "value", "followup", it->key,
			    op->option, 0);
			op->share = ratio((double)op->count, o->n);
			rc = stats_wilson_ci95(op->count, o->n, &lo95, &hi95);
			op->ci95 = make_ci(rc, lo95, hi95);
		}
		o->noptions = it->noptions;
	}
	return 0;
}

long long summary_participants(const struct summary *s)
{
	return s->counts.pre + s->counts.post - s->counts.paired +
	    s->followup.alone;
}

enum summary_rc summary_build(struct db *db, const struct qdef *def,
    long event_id, const char *slug, const struct summary_filters *f,
    struct summary **out)
{
	struct store_filter sf[SUMMARY_MAX_FILTERS];
	struct store_aggs *a = NULL;
	struct summary *s = NULL;
	size_t nf = f ? f->n : 0;
	enum summary_rc rc = SUMMARY_FAILED;
	int shown = 1;

	*out = NULL;
	if (f != NULL && nf > 0 && !f->validated)
		abort(); /* the caller skipped summary_filters_parse() */
	for (size_t i = 0; i < nf; i++) {
		sf[i].key = f->v[i].item->key;
		sf[i].value = f->v[i].value;
	}
	if (nf > 0) {
		/* disclosure control: whether this group may show more
		 * than its counts */
		struct store_group_sizes g;
		enum store_read r = store_group_sizes(db, event_id, sf, nf, &g);

		if (r != STORE_READ_OK)
			return from_store(r);
		shown = disclosed(&g, f);
		store_group_sizes_free(&g);
		if (shown < 0)
			return SUMMARY_FAILED;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return SUMMARY_FAILED;
	rc = from_store(nf == 0 ? store_summary_stats(db, event_id, a) :
	    store_summary_stats_filtered(db, event_id, sf, nf, a));
	if (rc != SUMMARY_OK) {
		free(a);
		return rc;
	}
	rc = SUMMARY_FAILED;
	/* looked up by key for every value of every item: bisect */
	qsort(a->v, a->n, sizeof(*a->v), agg_cmp);
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		store_aggs_free(a);
		free(a);
		return SUMMARY_FAILED;
	}
	s->rows = a;
	if ((s->event = strdup(slug)) == NULL)
		goto out;
	if (f != NULL)
		s->filters = *f;
	s->filters.validated = 1;
	s->counts.pre = count_of(a, "resp", "pre", "", "", 0);
	s->counts.post = count_of(a, "resp", "post", "", "", 0);
	s->counts.paired = count_of(a, "resp", "paired", "", "", 0);
	s->followup.n = count_of(a, "resp", "followup", "", "", 0);
	s->followup.paired_pre = count_of(a, "resp", "fpaired_pre", "", "",
	    0);
	s->followup.paired_post = count_of(a, "resp", "fpaired_post", "",
	    "", 0);
	s->followup.alone = count_of(a, "resp", "fonly", "", "", 0);
	/* a filtered subgroup too small to show: counts only (privacy) */
	if (nf > 0 && (summary_participants(s) < SUMMARY_MIN_GROUP || !shown))
		s->restricted = 1;
	else if (build_items(s, def, a) != 0 ||
	    build_tests(s, def, a, 0) != 0 ||
	    build_tests(s, def, a, 1) != 0 || build_quiz(s, def, a) != 0 ||
	    build_evaluation(s, def, a) != 0 || build_ranking(s, def, a) != 0 ||
	    build_followup(s, def, a) != 0)
		goto out;
	else
		build_nps(s, def, a);
	*out = s;
	s = NULL;
	rc = SUMMARY_OK;
out:
	summary_free(s);
	return rc;
}

void summary_free(struct summary *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nitems; i++)
		free(s->items[i].dist);
	free(s->items);
	free(s->paired);
	free(s->retro);
	free(s->quiz.items);
	for (size_t i = 0; i < s->nevaluation; i++)
		free(s->evaluation[i].dist);
	free(s->evaluation);
	for (size_t i = 0; i < s->nranking; i++) {
		for (size_t k = 0; k < s->ranking[i].noptions; k++)
			free(s->ranking[i].options[k].ranks);
		free(s->ranking[i].options);
	}
	free(s->ranking);
	free(s->followup.vs_pre);
	free(s->followup.vs_post);
	for (size_t i = 0; i < s->followup.noutcomes; i++)
		free(s->followup.outcomes[i].options);
	free(s->followup.outcomes);
	if (s->rows != NULL) {
		store_aggs_free(s->rows);
		free(s->rows);
	}
	free(s->event);
	free(s);
}

const char *summary_timeout_text(char *buf, size_t n)
{
	snprintf(buf, n, "these filters select too many participants to "
	    "combine within %ld s; use one filter at a time",
	    (db_filter_timeout_ms() + 999) / 1000);
	return buf;
}

/* ---- the contract's JSON (the API) ---- */

/* Adds v to o under key; v NULL is JSON null. 0, or -1 (v released). */
static int put(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* put() of a value that must not be NULL (a new container or string). */
static int put_new(struct json_object *o, const char *key,
    struct json_object *v)
{
	return v == NULL ? -1 : put(o, key, v);
}

static int put_int(struct json_object *o, const char *key, long long x)
{
	return put_new(o, key, json_object_new_int64(x));
}

static int put_str(struct json_object *o, const char *key, const char *s)
{
	return put_new(o, key, json_object_new_string(s));
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

/* A new object pushed onto arr, or put under key in o. Borrowed; NULL
 * when out of memory. */
static struct json_object *push_obj(struct json_object *arr)
{
	struct json_object *e = json_object_new_object();

	return push(arr, e) == 0 ? e : NULL;
}

static struct json_object *put_obj(struct json_object *o, const char *key)
{
	struct json_object *e = json_object_new_object();

	return put_new(o, key, e) == 0 ? e : NULL;
}

static struct json_object *put_arr(struct json_object *o, const char *key)
{
	struct json_object *e = json_object_new_array();

	return put_new(o, key, e) == 0 ? e : NULL;
}

/* "ci95": [lo, hi] or null. */
static int put_ci(struct json_object *o, const char *key,
    const struct summary_ci *ci)
{
	struct json_object *a;

	if (!ci->defined)
		return put(o, key, NULL);
	if ((a = put_arr(o, key)) == NULL ||
	    push(a, stats_json_number(ci->lo)) != 0 ||
	    push(a, stats_json_number(ci->hi)) != 0)
		return -1;
	return 0;
}

static int put_wilcoxon(struct json_object *o,
    const struct summary_wilcoxon *w)
{
	struct json_object *t = put_obj(o, "wilcoxon");

	if (t == NULL || put_num(t, "statistic", w->statistic) != 0 ||
	    put_num(t, "p_value", w->p_value) != 0 ||
	    put_str(t, "method", w->method) != 0)
		return -1;
	return 0;
}

static int put_change(struct json_object *o, const struct summary_change *c)
{
	if (put_num(o, "mean_diff", c->mean_diff) != 0 ||
	    put_ci(o, "ci95", &c->ci95) != 0)
		return -1;
	if (c->has_split && (put_int(o, "improved", c->improved) != 0 ||
				put_int(o, "unchanged", c->unchanged) != 0 ||
				put_int(o, "declined", c->declined) != 0))
		return -1;
	return 0;
}

static int put_dist(struct json_object *o, const struct summary_count *d,
    size_t n)
{
	struct json_object *m = put_obj(o, "distribution");

	for (size_t i = 0; m != NULL && i < n; i++)
		if (put_int(m, d[i].value, d[i].n) != 0)
			return -1;
	return m ? 0 : -1;
}

static int json_items(struct json_object *root, const struct summary *s)
{
	struct json_object *arr = put_arr(root, "items"), *e;

	for (size_t i = 0; arr != NULL && i < s->nitems; i++) {
		const struct summary_item *it = &s->items[i];
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", it->item->key) != 0 ||
		    put_str(e, "instrument", kind_names[it->instrument]) != 0 ||
		    put_int(e, "n", it->n) != 0 ||
		    (it->numeric && (put_num(e, "mean", it->mean) != 0 ||
					put_num(e, "median", it->median) != 0)) ||
		    put_dist(e, it->dist, it->ndist) != 0)
			return -1;
	}
	return arr ? 0 : -1;
}

static int json_tests(struct json_object *root, const struct summary *s,
    int retro)
{
	struct json_object *arr = put_arr(root, retro ? "retro" : "paired"), *e,
			   *t;
	const struct summary_test *v = retro ? s->retro : s->paired;
	size_t n = retro ? s->nretro : s->npaired;

	for (size_t i = 0; arr != NULL && i < n; i++) {
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", v[i].item->key) != 0 ||
		    put_int(e, "n", v[i].n) != 0 ||
		    put_num(e, retro ? "retro_mean" : "pre_mean",
			v[i].first_mean) != 0 ||
		    put_num(e, "post_mean", v[i].post_mean) != 0 ||
		    put_num(e, "median_diff", v[i].median_diff) != 0 ||
		    put_wilcoxon(e, &v[i].wilcoxon) != 0 ||
		    put_num(e, "rank_biserial", v[i].rank_biserial) != 0)
			return -1;
		if (!retro && put_change(e, &v[i].change) != 0)
			return -1;
		if (retro && ((t = put_obj(e, "pre_vs_retro")) == NULL ||
				 put_int(t, "n", v[i].pre_vs_retro.n) != 0 ||
				 put_change(t, &v[i].pre_vs_retro.change) != 0 ||
				 put_wilcoxon(t,
				     &v[i].pre_vs_retro.wilcoxon) != 0))
			return -1;
		if (put_num(e, "p_holm", v[i].p_holm) != 0)
			return -1;
	}
	return arr ? 0 : -1;
}

/* An array of paired[]-shaped tests under key. */
static int json_test_list(struct json_object *o, const char *key,
    const struct summary_test *v, size_t n)
{
	struct json_object *arr = put_arr(o, key), *e;

	for (size_t i = 0; arr != NULL && i < n; i++)
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", v[i].item->key) != 0 ||
		    put_int(e, "n", v[i].n) != 0 ||
		    put_num(e, "pre_mean", v[i].first_mean) != 0 ||
		    put_num(e, "post_mean", v[i].post_mean) != 0 ||
		    put_num(e, "median_diff", v[i].median_diff) != 0 ||
		    put_wilcoxon(e, &v[i].wilcoxon) != 0 ||
		    put_num(e, "rank_biserial", v[i].rank_biserial) != 0 ||
		    put_change(e, &v[i].change) != 0 ||
		    put_num(e, "p_holm", v[i].p_holm) != 0)
			return -1;
	return arr ? 0 : -1;
}

/* "followup": {counts: {followup, paired_pre, paired_post}, paired_pre[],
 * paired_post[], outcomes[]} (DESIGN.md "Instruments: pre, post, and a
 * follow-up months later"), when the event has a follow-up instrument. */
static int json_followup(struct json_object *root, const struct summary *s)
{
	const struct summary_followup *f = &s->followup;
	struct json_object *o, *c, *arr, *e, *opts, *op;

	if (!f->present)
		return 0;
	if ((o = put_obj(root, "followup")) == NULL || (c = put_obj(o, "counts")) == NULL ||
	    put_int(c, "followup", f->n) != 0 ||
	    put_int(c, "paired_pre", f->paired_pre) != 0 ||
	    put_int(c, "paired_post", f->paired_post) != 0 ||
	    json_test_list(o, "paired_pre", f->vs_pre, f->nvs_pre) != 0 ||
	    json_test_list(o, "paired_post", f->vs_post, f->nvs_post) != 0 ||
	    (arr = put_arr(o, "outcomes")) == NULL)
		return -1;
	for (size_t i = 0; i < f->noutcomes; i++) {
		const struct summary_outcome *v = &f->outcomes[i];

		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", v->item->key) != 0 ||
		    put_int(e, "n", v->n) != 0 ||
		    (opts = put_arr(e, "options")) == NULL)
			return -1;
		for (size_t k = 0; k < v->noptions; k++)
			if ((op = push_obj(opts)) == NULL ||
			    put_str(op, "option", v->options[k].option) != 0 ||
			    put_int(op, "count", v->options[k].count) != 0 ||
			    put_num(op, "share", v->options[k].share) != 0 ||
			    put_ci(op, "ci95", &v->options[k].ci95) != 0)
				return -1;
	}
	return 0;
}

static int json_quiz(struct json_object *root, const struct summary *s)
{
	const struct summary_quiz *q = &s->quiz;
	struct json_object *o = put_obj(root, "quiz"), *t, *arr, *e;

	if (o == NULL || put_int(o, "n", q->n) != 0 ||
	    put_num(o, "pre_mean_score", q->pre_mean_score) != 0 ||
	    put_num(o, "post_mean_score", q->post_mean_score) != 0 ||
	    put_int(o, "max_score", q->max_score) != 0 ||
	    put_num(o, "normalized_gain", q->normalized_gain) != 0 ||
	    (t = put_obj(o, "total")) == NULL ||
	    put_int(t, "n", q->total.n) != 0 ||
	    put_num(t, "pre_mean", q->total.pre_mean) != 0 ||
	    put_num(t, "post_mean", q->total.post_mean) != 0 ||
	    put_change(t, &q->total.change) != 0 ||
	    put_wilcoxon(t, &q->total.wilcoxon) != 0 ||
	    (arr = put_arr(o, "items")) == NULL)
		return -1;
	for (size_t i = 0; i < q->nitems; i++) {
		const struct summary_quiz_item *it = &q->items[i];
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", it->item->key) != 0 ||
		    put_int(e, "n", it->n) != 0 ||
		    put_int(e, "pre_correct", it->pre_correct) != 0 ||
		    put_int(e, "post_correct", it->post_correct) != 0 ||
		    put_num(e, "mcnemar_p", it->mcnemar_p) != 0 ||
		    put_num(e, "mcnemar_p_holm", it->mcnemar_p_holm) != 0)
			return -1;
	}
	return 0;
}

static int json_evaluation(struct json_object *root, const struct summary *s)
{
	struct json_object *arr = put_arr(root, "evaluation"), *e, *ag;

	for (size_t i = 0; arr != NULL && i < s->nevaluation; i++) {
		const struct summary_eval *v = &s->evaluation[i];
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", v->item->key) != 0 ||
		    put_int(e, "n", v->n) != 0 ||
		    put_num(e, "mean", v->mean) != 0 ||
		    put_ci(e, "ci95", &v->ci95) != 0 ||
		    put_dist(e, v->dist, v->ndist) != 0 ||
		    (ag = put_obj(e, "agree")) == NULL ||
		    put_int(ag, "n", v->agree.n) != 0 ||
		    put_int(ag, "count", v->agree.count) != 0 ||
		    put_num(ag, "share", v->agree.share) != 0 ||
		    put_ci(ag, "ci95", &v->agree.ci95) != 0)
			return -1;
	}
	return arr ? 0 : -1;
}

static int json_nps(struct json_object *root, const struct summary *s)
{
	const struct summary_nps *v = &s->nps;
	struct json_object *o;

	if (!v->present)
		return put(root, "nps", NULL);
	if ((o = put_obj(root, "nps")) == NULL ||
	    put_str(o, "item", v->item->key) != 0 || put_int(o, "n", v->n) != 0 ||
	    put_int(o, "promoters", v->promoters) != 0 ||
	    put_int(o, "passives", v->passives) != 0 ||
	    put_int(o, "detractors", v->detractors) != 0 ||
	    put_num(o, "score", v->score) != 0 || put_ci(o, "ci95", &v->ci95))
		return -1;
	return 0;
}

static int json_ranking(struct json_object *root, const struct summary *s)
{
	struct json_object *arr = put_arr(root, "ranking"), *e, *opts, *o,
			   *ranks;

	for (size_t i = 0; arr != NULL && i < s->nranking; i++) {
		const struct summary_ranking *v = &s->ranking[i];
		if ((e = push_obj(arr)) == NULL ||
		    put_str(e, "item", v->item->key) != 0 ||
		    put_int(e, "n", v->n) != 0 ||
		    (opts = put_arr(e, "options")) == NULL)
			return -1;
		for (size_t k = 0; k < v->noptions; k++) {
			const struct summary_rank_option *ro = &v->options[k];
			if ((o = push_obj(opts)) == NULL ||
			    put_str(o, "option", ro->option) != 0 ||
			    put_int(o, "borda", ro->borda) != 0 ||
			    put_num(o, "top3_share", ro->top3_share) != 0 ||
			    put_int(o, "first", ro->first) != 0 ||
			    (ranks = put_arr(o, "ranks")) == NULL)
				return -1;
			for (size_t r = 0; r < ro->nranks; r++)
				if (push(ranks, json_object_new_int64(
						   ro->ranks[r])) != 0)
					return -1;
		}
	}
	return arr ? 0 : -1;
}

struct json_object *summary_to_json(const struct summary *s)
{
	struct json_object *root = json_object_new_object(), *fj, *c;

	if (root == NULL || put_str(root, "event", s->event) != 0 ||
	    (fj = put_obj(root, "filters")) == NULL)
		goto fail;
	for (size_t i = 0; i < s->filters.n; i++)
		if (put_str(fj, s->filters.v[i].item->key,
			s->filters.v[i].value) != 0)
			goto fail;
	if ((c = put_obj(root, "counts")) == NULL ||
	    put_int(c, "pre", s->counts.pre) != 0 ||
	    put_int(c, "post", s->counts.post) != 0 ||
	    put_int(c, "paired", s->counts.paired) != 0)
		goto fail;
	if (s->restricted) {
		if (put_new(root, "restricted", json_object_new_boolean(1)) != 0)
			goto fail;
		return root;
	}
	if (json_items(root, s) != 0 || json_tests(root, s, 0) != 0 ||
	    json_tests(root, s, 1) != 0 || json_quiz(root, s) != 0 ||
	    json_evaluation(root, s) != 0 || json_nps(root, s) != 0 ||
	    json_ranking(root, s) != 0 || json_followup(root, s) != 0)
		goto fail;
	return root;
fail:
	json_object_put(root);
	return NULL;
}
