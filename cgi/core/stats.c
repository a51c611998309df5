/* stats.c: the summary's statistics, replicating R (wilcox.test, p.adjust,
 * binom.test, t.test, median) rule for rule; see stats.h for the contract. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <json-c/json.h>

#include "stats.h"

/* R's exact signed-rank distribution is used below this many non-zero
 * differences (wilcox.test: exact <- n < 50). */
#define STATS_EXACT_MAX_N 50

void stats_init(void)
{
	/* A plain store of the same pointer each time: harmless to repeat,
	 * so every GSL caller below calls it instead of trusting start-up. */
	gsl_set_error_handler_off();
}

struct json_object *stats_json_number(double x)
{
	if (!isfinite(x))
		return NULL;
	return json_object_new_double(x);
}

int stats_p_defined(long long n_pairs)
{
	return n_pairs >= 5;
}

static const char *const stats_method_names[STATS_METHOD__MAX] = {
    [STATS_METHOD_EXACT] = "exact",
    [STATS_METHOD_NORMAL] = "normal",
};

const char *stats_method_name(enum stats_method m)
{
	if ((unsigned)m >= STATS_METHOD__MAX)
		return "";
	return stats_method_names[m];
}

/*
 * Wilcoxon signed rank.
 *
 * Both entry points feed the same accumulator one "tie group" at a time, in
 * increasing |d|: a group is every non-zero difference of one magnitude,
 * split into positives and negatives.  R's rank() gives each member of a
 * group of t values starting after `below` smaller ones the average rank
 * below + (t + 1) / 2, so V gains pos * that rank.  Ranks and their sums are
 * half-integers, exact in a double while below 2^52, so V does not depend
 * on the order R adds them in; the tie term sum(t^3 - t) is added group by
 * group in the same order by both entry points, which therefore agree bit
 * for bit.
 */
struct wsr_acc {
	long long n_pairs;
	long long n_zero;
	long long n; /* non-zero differences so far */
	double v;    /* sum of ranks of positives */
	double ties; /* sum over groups of t^3 - t */
	int any_tie;
	/* The sizes of the groups, in increasing |d|, while n stays below
	 * STATS_EXACT_MAX_N (the exact distribution needs no more). */
	int ngroups;
	int group[STATS_EXACT_MAX_N];
};

static void wsr_group(struct wsr_acc *a, long long pos, long long neg)
{
	long long t = pos + neg;
	double avg, td;

	if (t == 0)
		return;
	avg = (double)a->n + ((double)t + 1.0) / 2.0;
	a->v += (double)pos * avg;
	td = (double)t;
	a->ties += td * td * td - td;
	if (t > 1)
		a->any_tie = 1;
	if (a->n + t < STATS_EXACT_MAX_N)
		a->group[a->ngroups++] = (int)t;
	a->n += t;
}

/*
 * exactRankTests::wilcox.exact(paired = TRUE, exact = TRUE): the exact
 * conditional distribution of V given the (mid)ranks, ties and all, by the
 * shift algorithm of Streitberg and Roehmel that exactRankTests' cpermdist1
 * runs.  Every midrank doubled is an integer (2 * below + t + 1 for a group
 * of t values after `below` smaller ones), so w[k] = the number of the 2^n
 * sign patterns whose doubled V is k, built member by member (w[k] +=
 * w[k - score]); the counts are integers below 2^49, exact in a double.
 * Two-sided as pperm(): 2 P(T <= V) when that is at most 1, else
 * 2 P(T >= V), capped at 1.  O(n * n(n + 1)) with n < 50.
 */
static double wsr_exact_p(const struct wsr_acc *a)
{
	double w[STATS_EXACT_MAX_N * (STATS_EXACT_MAX_N + 1) + 1];
	double below = 0, above = 0, f, v2 = 2 * a->v, p;
	long long below_n = 0;
	int total = 0, g, k, j;

	for (k = 0; k <= STATS_EXACT_MAX_N * (STATS_EXACT_MAX_N + 1); k++)
		w[k] = 0;
	w[0] = 1;
	for (g = 0; g < a->ngroups; g++) {
		int t = a->group[g];
		int score = (int)(2 * below_n + t + 1);

		for (j = 0; j < t; j++) {
			total += score;
			for (k = total; k >= score; k--)
				w[k] += w[k - score];
		}
		below_n += t;
	}
	for (k = 0; k <= total; k++) {
		if (k <= v2)
			below += w[k];
		if (k >= v2)
			above += w[k];
	}
	f = ldexp(1.0, -(int)a->n);
	p = 2 * below * f;
	if (p > 1)
		p = 2 * above * f;
	return p < 1 ? p : 1;
}

static void wsr_finish(const struct wsr_acc *a, struct stats_wilcoxon *out)
{
	double n = (double)a->n, total = n * (n + 1) / 2;
	double p;

	stats_init();
	out->n_pairs = a->n_pairs;
	out->n_nonzero = a->n;
	out->statistic = a->v;
	out->w_minus = total - a->v;
	out->rank_biserial = total > 0 ? (a->v - out->w_minus) / total : NAN;

	if (a->n < STATS_EXACT_MAX_N && a->n > 0) {
		/* exactRankTests::wilcox.exact: exact <- n < 50, ties and
		 * zeros or not (zeros dropped before ranking). */
		p = wsr_exact_p(a);
		out->method = STATS_METHOD_EXACT;
	} else {
		/* Normal approximation, tie and continuity corrected.  All
		 * zeros: sigma = 0 and z = 0/0, R's NaN. */
		double z = a->v - n * (n + 1) / 4;
		double sigma =
		    sqrt(n * (n + 1) * (2 * n + 1) / 24 - a->ties / 48);
		double corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
		double lo, hi;

		z = (z - corr) / sigma;
		if (isnan(z)) {
			p = NAN;
		} else {
			lo = gsl_cdf_ugaussian_P(z);
			hi = gsl_cdf_ugaussian_Q(z);
			p = 2 * (lo < hi ? lo : hi);
		}
		out->method = STATS_METHOD_NORMAL;
	}
	if (a->n == 0)
		p = NAN;
	out->p_value = p;
	out->method_name = stats_method_name(out->method);
}

static int cmp_abs(const void *pa, const void *pb)
{
	double a = fabs(*(const double *)pa), b = fabs(*(const double *)pb);

	return (a > b) - (a < b);
}

int stats_wilcoxon(const double *diff, size_t n, struct stats_wilcoxon *out)
{
	struct wsr_acc acc = {0};
	double *d;
	size_t i, j, m = 0;

	d = malloc((n ? n : 1) * sizeof(*d));
	if (d == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (isnan(diff[i]))
			continue;
		acc.n_pairs++;
		if (diff[i] == 0)
			acc.n_zero++;
		else
			d[m++] = diff[i];
	}
	qsort(d, m, sizeof(*d), cmp_abs);
	for (i = 0; i < m; i = j) {
		long long pos = 0, neg = 0;

		for (j = i; j < m && fabs(d[j]) == fabs(d[i]); j++) {
			if (d[j] > 0)
				pos++;
			else
				neg++;
		}
		wsr_group(&acc, pos, neg);
	}
	free(d);
	wsr_finish(&acc, out);
	return 0;
}

int stats_wilcoxon_counts(const long long *count, int lo, int hi,
			  struct stats_wilcoxon *out)
{
	struct wsr_acc acc = {0};
	long long a, amin, amax, k;

	if (lo > hi)
		return -1;
	for (k = 0; k <= (long long)hi - lo; k++) {
		if (count[k] < 0)
			return -1;
		acc.n_pairs += count[k];
	}
	if (lo <= 0 && hi >= 0)
		acc.n_zero = count[-(long long)lo];

	/* Magnitudes present, in increasing order: O(hi - lo). */
	amax = llabs(lo) > llabs(hi) ? llabs(lo) : llabs(hi);
	amin = lo > 0 ? lo : hi < 0 ? -(long long)hi : 1;
	if (amin < 1)
		amin = 1;
	for (a = amin; a <= amax; a++) {
		long long pos = a <= hi && a >= lo ? count[a - lo] : 0;
		long long neg = -a >= lo && -a <= hi ? count[-a - lo] : 0;

		wsr_group(&acc, pos, neg);
	}
	wsr_finish(&acc, out);
	return 0;
}

/*
 * Holm.  R: p <- p[!is.na(p)]; m <- length(p); o <- order(p) (stable);
 * adjusted = pmin(1, cummax((m + 1 - i) * p[o]))[order(o)]; m <= 1 returns
 * p unchanged.
 */
struct holm_item {
	double p;
	size_t at;
};

static int cmp_holm(const void *pa, const void *pb)
{
	const struct holm_item *a = pa, *b = pb;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

int stats_holm(const double *p, size_t n, double *out)
{
	struct holm_item *it;
	size_t i, m = 0;
	double run = -INFINITY;

	it = malloc((n ? n : 1) * sizeof(*it));
	if (it == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		it[m].p = p[i];
		it[m].at = i;
		m++;
	}
	for (i = 0; i < n; i++)
		out[i] = isnan(p[i]) ? NAN : p[i];
	if (m > 1) {
		qsort(it, m, sizeof(*it), cmp_holm);
		for (i = 0; i < m; i++) {
			double v = (double)(m - i) * it[i].p;

			if (v > run)
				run = v;
			out[it[i].at] = run < 1 ? run : 1;
		}
	}
	free(it);
	return 0;
}

/*
 * Binomial probabilities.  dbinom is Loader's saddle-point form (what R
 * uses): accurate to a few ulps even for large n, which matters because
 * binom.test compares densities with a relative tolerance of 1e-7.
 */

/* log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula:
 * directly for small n, else its asymptotic series 1/12n - 1/360n^3 +
 * 1/1260n^5 - 1/1680n^7 + 1/1188n^9, cut where the next term is below
 * double precision. */
static double stirling_error(double n)
{
	static const double s[] = {1.0 / 12, 1.0 / 360, 1.0 / 1260, 1.0 / 1680,
				   1.0 / 1188};
	double nn = n * n, sum;
	int terms, k;

	if (n <= 15)
		return lgamma(n + 1) - (n + 0.5) * log(n) + n -
		       0.5 * log(2 * M_PI);
	terms = n > 500 ? 2 : n > 80 ? 3 : n > 35 ? 4 : 5;
	sum = s[terms - 1];
	for (k = terms - 2; k >= 0; k--)
		sum = s[k] - sum / nn;
	return sum / n;
}

/* x log(x / m) + m - x, without cancellation when x is close to m. */
static double deviance_term(double x, double m)
{
	if (fabs(x - m) < 0.1 * (x + m)) {
		double v = (x - m) / (x + m), s = (x - m) * v, e = 2 * x * v;
		int j;

		if (fabs(s) < DBL_MIN)
			return s;
		v = v * v;
		for (j = 1; j < 1000; j++) {
			double s1;

			e *= v;
			s1 = s + e / (2 * j + 1);
			if (s1 == s)
				break;
			s = s1;
		}
		return s;
	}
	return x * log(x / m) + m - x;
}

static double dbinom(double x, double n, double p)
{
	double q = 1 - p, lc, lf;

	if (p == 0)
		return x == 0;
	if (q == 0)
		return x == n;
	if (x < 0 || x > n)
		return 0;
	if (x == 0) {
		if (n == 0)
			return 1;
		return exp(p < 0.1 ? -deviance_term(n, n * q) - n * p
				   : n * log(q));
	}
	if (x == n)
		return exp(q < 0.1 ? -deviance_term(n, n * p) - n * q
				   : n * log(p));
	lc = stirling_error(n) - stirling_error(x) - stirling_error(n - x) -
	     deviance_term(x, n * p) - deviance_term(n - x, n * q);
	lf = log(2 * M_PI) + log(x) + log1p(-x / n);
	return exp(lc - 0.5 * lf);
}

/* R's pbinom(x, n, p) = P(X <= x), and its upper tail P(X > x). */
static double pbinom(double x, double n, double p, int lower_tail)
{
	x = floor(x + 1e-7);
	if (x < 0)
		return lower_tail ? 0.0 : 1.0;
	if (x >= n)
		return lower_tail ? 1.0 : 0.0;
	/* P(X <= x) = I_{1-p}(n - x, x + 1), R's pbeta(p, x+1, n-x, FALSE). */
	return lower_tail ? gsl_cdf_beta_Q(p, x + 1, n - x)
			  : gsl_cdf_beta_P(p, x + 1, n - x);
}

/*
 * binom.test(x, n, p)$p.value. R counts the outcomes of the opposite tail
 * no likelier than x with a loop over that tail, O(n): at a million quiz
 * pairs that was 130 ms of a summary. The pmf never increases away from
 * its mode (floor((n + 1) p), which lies between floor(np) and ceil(np)),
 * so those outcomes form one run at the far end of the tail, found here by
 * bisection in O(log n) evaluations; the count, and so the p-value, is R's.
 */
double stats_binom_two_sided(long long x, long long n, double p)
{
	const double rel_err = 1 + 1e-7;
	double dx, dn, d, m;
	long long lo, hi;

	if (n < 1 || x < 0 || x > n || !(p >= 0 && p <= 1))
		return NAN;
	if (p == 0)
		return x == 0;
	if (p == 1)
		return x == n;
	stats_init();
	dx = (double)x;
	dn = (double)n;
	d = dbinom(dx, dn, p) * rel_err;
	m = dn * p;
	if (dx == m)
		return 1;
	if (dx < m) {
		/* the first i in [ceil(m), n] with dbinom(i) <= d (the pmf
		 * falls from there on); n + 1 when there is none */
		lo = (long long)ceil(m);
		hi = n + 1;
		while (lo < hi) {
			long long mid = lo + (hi - lo) / 2;
			if (dbinom((double)mid, dn, p) <= d)
				hi = mid;
			else
				lo = mid + 1;
		}
		/* y = n + 1 - lo outcomes: pbinom(n - y, ..., upper) */
		return pbinom(dx, dn, p, 1) + pbinom((double)lo - 1, dn, p, 0);
	}
	/* the last i in [0, floor(m)] with dbinom(i) <= d (the pmf rises up
	 * to there); -1 when there is none */
	lo = -1;
	hi = (long long)floor(m);
	while (lo < hi) {
		long long mid = hi - (hi - lo) / 2;
		if (dbinom((double)mid, dn, p) <= d)
			lo = mid;
		else
			hi = mid - 1;
	}
	/* y = lo + 1 outcomes: pbinom(y - 1, ..., lower) */
	return pbinom((double)lo, dn, p, 1) + pbinom(dx - 1, dn, p, 0);
}

double stats_mcnemar_p(long long b, long long c)
{
	if (b < 0 || c < 0)
		return NAN;
	if (b + c == 0)
		return 1;
	return stats_binom_two_sided(b, b + c, 0.5);
}

/*
 * t.test(x)$conf.int: mean +- qt(0.975, n - 1) * sqrt(var / n), where R
 * writes it (mean / se +- q) * se.  R stops when se < 10 eps |mean|.
 */
int stats_t_ci95(long long n, double sum, double sumsq, double *lo, double *hi)
{
	double dn = (double)n, mean, ss, var, se, t, q;

	*lo = *hi = NAN;
	if (n < 2 || !isfinite(sum) || !isfinite(sumsq))
		return -1;
	stats_init();
	mean = sum / dn;
	/* n * sumsq and sum^2 are exact for integer data of moderate n, so
	 * the numerator is too; clamp the rounding of nearly constant data. */
	ss = (dn * sumsq - sum * sum) / dn;
	if (ss < 0)
		ss = 0;
	var = ss / (dn - 1);
	se = sqrt(var / dn);
	if (!(se >= 10 * DBL_EPSILON * fabs(mean)) || se == 0)
		return -1;
	t = mean / se;
	q = gsl_cdf_tdist_Pinv(0.975, dn - 1);
	*lo = (t - q) * se;
	*hi = (t + q) * se;
	return 0;
}

long long stats_count_total(const long long *count, int lo, int hi)
{
	long long total = 0, k;

	for (k = 0; k <= (long long)hi - lo; k++)
		total += count[k] > 0 ? count[k] : 0;
	return total;
}

double stats_mean_counts(const long long *count, int lo, int hi)
{
	long long total = stats_count_total(count, lo, hi), k;
	double sum = 0;

	if (total == 0)
		return NAN;
	for (k = 0; k <= (long long)hi - lo; k++)
		if (count[k] > 0)
			sum += (double)(lo + k) * (double)count[k];
	return sum / (double)total;
}

/* The value at 0-based position idx of the expanded, sorted data. */
static long long value_at(const long long *count, int lo, int hi, long long idx)
{
	long long k;

	for (k = 0; k < (long long)hi - lo; k++) {
		long long c = count[k] > 0 ? count[k] : 0;

		if (idx < c)
			break;
		idx -= c;
	}
	return lo + k;
}

double stats_median_counts(const long long *count, int lo, int hi)
{
	long long total = stats_count_total(count, lo, hi);

	if (total == 0)
		return NAN;
	if (total % 2)
		return (double)value_at(count, lo, hi, total / 2);
	return ((double)value_at(count, lo, hi, total / 2 - 1) +
		(double)value_at(count, lo, hi, total / 2)) /
	       2;
}

void stats_nps(const long long count[11], struct stats_nps *out)
{
	int k;

	out->n = out->promoters = out->passives = out->detractors = 0;
	for (k = 0; k <= 10; k++) {
		long long c = count[k] > 0 ? count[k] : 0;

		if (k >= 9)
			out->promoters += c;
		else if (k >= 7)
			out->passives += c;
		else
			out->detractors += c;
		out->n += c;
	}
	out->score = out->n
			 ? 100.0 * (double)(out->promoters - out->detractors) /
			       (double)out->n
			 : NAN;
}

void stats_borda(const long long *count, size_t n_options, int n_ranks,
		 long long n_participants, struct stats_borda *out)
{
	int top = n_ranks < 3 ? n_ranks : 3, r;
	size_t o;

	for (o = 0; o < n_options; o++) {
		const long long *row =
		    count + o * (size_t)(n_ranks > 0 ? n_ranks : 0);
		long long top_n = 0;

		out[o].borda = 0;
		out[o].first = n_ranks > 0 ? row[0] : 0;
		for (r = 0; r < n_ranks; r++) {
			out[o].borda += row[r] * (long long)(n_ranks - r);
			if (r < top)
				top_n += row[r];
		}
		out[o].top3_share = n_participants > 0
					? (double)top_n / (double)n_participants
					: NAN;
	}
}

double stats_normalized_gain(double pre, double post, double max)
{
	if (!isfinite(pre) || !isfinite(post) || !isfinite(max) || max == pre)
		return NAN;
	return (post - pre) / (max - pre);
}

/*
 * prop.test(x, n, correct = FALSE)$conf.int, two-sided, as R writes it:
 * z = qnorm(0.975), z22n = z^2 / (2n), each bound
 * (p + z22n -+ z sqrt(p (1 - p) / n + z22n / (2n))) / (1 + 2 z22n), with
 * the lower bound 0 when p <= 0 and the upper 1 when p >= 1.
 */
int stats_wilson_ci95(long long count, long long n, double *lo, double *hi)
{
	double dn = (double)n, p, z, z22n, half;

	*lo = *hi = NAN;
	if (n < 1 || count < 0 || count > n)
		return -1;
	stats_init();
	p = (double)count / dn;
	z = gsl_cdf_ugaussian_Pinv(0.975);
	z22n = z * z / (2 * dn);
	half = z * sqrt(p * (1 - p) / dn + z22n / (2 * dn));
	*hi = p >= 1 ? 1 : (p + z22n + half) / (1 + 2 * z22n);
	*lo = p <= 0 ? 0 : (p + z22n - half) / (1 + 2 * z22n);
	if (*lo < 0)
		*lo = 0;
	if (*hi > 1)
		*hi = 1;
	return 0;
}

int stats_nps_ci95(const struct stats_nps *nps, double *lo, double *hi)
{
	double n = (double)nps->n, pp, pm, half;

	*lo = *hi = NAN;
	if (nps->n < 2)
		return -1;
	pp = (double)nps->promoters / n;
	pm = (double)nps->detractors / n;
	half = 1.96 * 100 * sqrt((pp + pm - (pp - pm) * (pp - pm)) / n);
	*lo = nps->score - half < -100 ? -100 : nps->score - half;
	*hi = nps->score + half > 100 ? 100 : nps->score + half;
	return 0;
}

size_t stats_suppress(const long long *size, size_t n, long long parent,
		      long long min_group, int *hidden)
{
	long long shown = 0, hid = 0, rest;
	size_t count = 0, i;

	for (i = 0; i < n; i++) {
		hidden[i] = size[i] >= 1 && size[i] < min_group;
		if (hidden[i]) {
			hid += size[i];
			count++;
		} else {
			shown += size[i];
		}
	}
	for (;;) {
		size_t best = n;

		rest = parent - shown > hid ? parent - shown : hid;
		if (rest < 1 || rest >= min_group)
			break;
		for (i = 0; i < n; i++)
			if (!hidden[i] && size[i] > 0 &&
			    (best == n || size[i] < size[best]))
				best = i;
		if (best == n)
			break;
		hidden[best] = 1;
		shown -= size[best];
		hid += size[best];
		count++;
	}
	return count;
}
