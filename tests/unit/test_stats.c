/* test_stats.c: cgi/core/stats.c against reference values computed with R 4.2
 * (tests/r/stats_ref.R prints them all; the R call is beside each value). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "stats.h"

#define REL 1e-9
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* R: likert <- function(n) ((seq_len(n) * 7) %% 9) - 4 */
static double likert(size_t i)
{
	return (double)(((long long)i * 7) % 9) - 4;
}

/* R: signed <- function(n) { i <- seq_len(n); ifelse(i %% 3 == 0, -i, i) }
 * (no ties, no zeros) */
static double signed_ranks(size_t i)
{
	return i % 3 == 0 ? -(double)i : (double)i;
}

static void check_same_wilcoxon(const char *name,
				const struct stats_wilcoxon *a,
				const struct stats_wilcoxon *b)
{
#define SAME(f) ((a->f == b->f) || (isnan(a->f) && isnan(b->f)))
	CHECK_MSG(a->n_pairs == b->n_pairs && a->n_nonzero == b->n_nonzero &&
		      SAME(statistic) && SAME(w_minus) && SAME(p_value) &&
		      SAME(rank_biserial) && a->method == b->method &&
		      a->method_name == b->method_name,
		  "%s: raw and counts disagree (V %.17g/%.17g, p %.17g/%.17g)",
		  name, a->statistic, b->statistic, a->p_value, b->p_value);
#undef SAME
}

/* Runs both entry points on d (counts only when every d is an integer in
 * -20..20) and checks V, p and the method against R. */
static void check_wilcoxon(const char *name, const double *d, size_t n,
			   double want_v, double want_p,
			   enum stats_method want_method)
{
	struct stats_wilcoxon raw, cnt;
	long long count[41] = {0};
	int integer = 1;
	size_t i;

	CHECK_INT(stats_wilcoxon(d, n, &raw), 0);
	CHECK_MSG(raw.statistic == want_v, "%s: V %.17g, want %.17g", name,
		  raw.statistic, want_v);
	if (isnan(want_p))
		CHECK_MSG(isnan(raw.p_value), "%s: p %.17g, want NaN", name,
			  raw.p_value);
	else
		CHECK_NEAR(raw.p_value, want_p, REL);
	CHECK_MSG(raw.method == want_method, "%s: method %s", name,
		  raw.method_name);
	CHECK_INT(raw.n_pairs, (long long)n);
	CHECK_NEAR(raw.statistic + raw.w_minus,
		   raw.n_nonzero * (raw.n_nonzero + 1) / 2.0, 0);

	for (i = 0; i < n; i++) {
		if (d[i] != floor(d[i]) || d[i] < -20 || d[i] > 20)
			integer = 0;
		else
			count[(int)d[i] + 20]++;
	}
	if (!integer)
		return;
	CHECK_INT(stats_wilcoxon_counts(count, -20, 20, &cnt), 0);
	check_same_wilcoxon(name, &raw, &cnt);
	/* The same histogram over the Likert range -4..4, when it fits. */
	for (i = 0; i < LEN(count); i++)
		if (count[i] && (i < 16 || i > 24))
			return;
	CHECK_INT(stats_wilcoxon_counts(count + 16, -4, 4, &cnt), 0);
	check_same_wilcoxon(name, &raw, &cnt);
}

static void test_wilcoxon_fixed(void)
{
	static const double n1[] = {3};
	static const double n4[] = {1, -2, 3, 4};
	static const double n5[] = {1, 2, 3, 4, 5};
	static const double ties[] = {1, 1, 2, -1, 3, 3, -2, 4};
	static const double zeros[] = {0, 1, 2, -3, 4, 5};
	static const double allzero[] = {0, 0, 0, 0, 0, 0};
	static const double real[] = {0.5, -1.25, 2.5, 3.75, -0.1, 1.3};
	struct stats_wilcoxon w;

	/* Under 50 non-zero differences, for each d:
	 * wilcox.exact(d, rep(0, length(d)), paired = TRUE, exact = TRUE)
	 * (exactRankTests): */
	/* c(3): V = 1, p = 1 */
	check_wilcoxon("n1", n1, LEN(n1), 1, 1, STATS_METHOD_EXACT);
	/* c(1, -2, 3, 4): V = 8, p = 0.375 */
	check_wilcoxon("n4", n4, LEN(n4), 8, 0.375, STATS_METHOD_EXACT);
	/* c(1, 2, 3, 4, 5): V = 15, p = 0.0625 */
	check_wilcoxon("n5", n5, LEN(n5), 15, 0.0625, STATS_METHOD_EXACT);
	/* c(1, 1, 2, -1, 3, 3, -2, 4): ties, still exact: p = 0.140625
	 * (wilcox.test's normal approximation said 0.1207) */
	check_wilcoxon("ties", ties, LEN(ties), 29.5, 0.140625,
		       STATS_METHOD_EXACT);
	/* c(0, 1, 2, -3, 4, 5): the zero dropped, exact: p = 0.3125 */
	check_wilcoxon("zeros", zeros, LEN(zeros), 12, 0.3125,
		       STATS_METHOD_EXACT);
	/* rep(0, 6): V = 0, p = NaN */
	check_wilcoxon("allzero", allzero, LEN(allzero), 0, NAN,
		       STATS_METHOD_NORMAL);
	/* c(0.5, -1.25, 2.5, 3.75, -0.1, 1.3): V = 17, p = 0.21875 */
	check_wilcoxon("real", real, LEN(real), 17, 0.21875,
		       STATS_METHOD_EXACT);

	/* n = 0: R refuses ("not enough observations"); we say undefined. */
	CHECK_INT(stats_wilcoxon(NULL, 0, &w), 0);
	CHECK(w.n_pairs == 0 && w.n_nonzero == 0 && w.statistic == 0);
	CHECK(isnan(w.p_value) && isnan(w.rank_biserial));
	CHECK_STR(w.method_name, "normal");

	/* All zeros: n counts them, rank-biserial has no denominator. */
	CHECK_INT(stats_wilcoxon(allzero, LEN(allzero), &w), 0);
	CHECK_INT(w.n_pairs, 6);
	CHECK_INT(w.n_nonzero, 0);
	CHECK(isnan(w.rank_biserial));

	/* NaN differences are skipped like R's NA (complete.cases). */
	{
		static const double with_nan[] = {1, NAN, -2, 3, 4};

		CHECK_INT(stats_wilcoxon(with_nan, LEN(with_nan), &w), 0);
		CHECK_INT(w.n_pairs, 4);
		CHECK_NEAR(w.p_value, 0.375, REL);
	}

	/* c(1, -2, 3, 4): W+ = 8, W- = 2, r = 6/10. */
	CHECK_INT(stats_wilcoxon(n4, LEN(n4), &w), 0);
	CHECK_NEAR(w.w_minus, 2, 0);
	CHECK_NEAR(w.rank_biserial, 0.6, 1e-15);
	CHECK_STR(w.method_name, "exact");
}

static void test_wilcoxon_generated(void)
{
	static const struct {
		const char *name;
		double (*gen)(size_t i);
		size_t n;
		double v, p;
		enum stats_method method;
	} cases[] = {
	    /* wilcox.exact(signed(49), rep(0, 49), paired = TRUE,
	     * exact = TRUE) */
	    {"signed49", signed_ranks, 49, 817, 0.04170385423242351,
	     STATS_METHOD_EXACT},
	    /* wilcox.test(signed(50), rep(0, 50), paired = TRUE) */
	    {"signed50", signed_ranks, 50, 867, 0.027063492176047903,
	     STATS_METHOD_NORMAL},
	    /* wilcox.exact(likert(5), rep(0, 5), paired = TRUE,
	     * exact = TRUE) */
	    {"likert5", likert, 5, 10, 0.6875, STATS_METHOD_EXACT},
	    /* wilcox.exact(likert(49), rep(0, 49), paired = TRUE,
	     * exact = TRUE): 44 non-zero */
	    {"likert49", likert, 49, 495, 1, STATS_METHOD_EXACT},
	    /* wilcox.exact(likert(50), rep(0, 50), paired = TRUE,
	     * exact = TRUE): 45 non-zero */
	    {"likert50", likert, 50, 537.5, 0.82644869663056397,
	     STATS_METHOD_EXACT},
	    /* wilcox.test(likert(500), rep(0, 500), paired = TRUE) */
	    {"likert500", likert, 500, 49812.5, 0.94242816901531712,
	     STATS_METHOD_NORMAL},
	};
	double d[500];
	size_t c, i;

	for (c = 0; c < LEN(cases); c++) {
		for (i = 0; i < cases[c].n; i++)
			d[i] = cases[c].gen(i + 1);
		check_wilcoxon(cases[c].name, d, cases[c].n, cases[c].v,
			       cases[c].p, cases[c].method);
	}

	/* Exact for every n < 50 without ties or zeros, normal from 50;
	 * both paths agree on each (1..n is out of the -20..20 histogram,
	 * so compare them here on the raw path's own terms). */
	for (i = 1; i <= 60; i++) {
		struct stats_wilcoxon w;
		size_t k;

		for (k = 0; k < i; k++)
			d[k] = signed_ranks(k + 1);
		CHECK_INT(stats_wilcoxon(d, i, &w), 0);
		CHECK_MSG(w.method == (i < 50 ? STATS_METHOD_EXACT
					      : STATS_METHOD_NORMAL),
			  "n = %zu: %s", i, w.method_name);
		CHECK_MSG(w.p_value > 0 && w.p_value <= 1, "n = %zu: p %g", i,
			  w.p_value);
	}
}

/* Counts path on a histogram where 1..n all occur once: the exact DP. */
static void test_wilcoxon_counts_exact(void)
{
	long long count[101] = {0}; /* lo = -50, hi = 50 */
	double d[49];
	struct stats_wilcoxon raw, cnt;
	size_t i;

	for (i = 0; i < 49; i++) {
		d[i] = signed_ranks(i + 1);
		count[(int)d[i] + 50]++;
	}
	CHECK_INT(stats_wilcoxon(d, 49, &raw), 0);
	CHECK_INT(stats_wilcoxon_counts(count, -50, 50, &cnt), 0);
	check_same_wilcoxon("counts exact", &raw, &cnt);
	CHECK_STR(cnt.method_name, "exact");
	/* wilcox.test(signed(49), rep(0, 49), paired = TRUE)$p.value */
	CHECK_NEAR(cnt.p_value, 0.041703854232423516, REL);

	/* Ranges not straddling zero. */
	{
		long long pos[] = {0, 2, 1}; /* 3, 4, 4 at lo = 2 */
		long long neg[] = {1, 1, 1}; /* -3, -2, -1 at lo = -3 */
		static const double dpos[] = {3, 4, 4};
		static const double dneg[] = {-3, -2, -1};

		CHECK_INT(stats_wilcoxon_counts(pos, 2, 4, &cnt), 0);
		CHECK_INT(stats_wilcoxon(dpos, 3, &raw), 0);
		check_same_wilcoxon("positive range", &raw, &cnt);
		CHECK_INT(stats_wilcoxon_counts(neg, -3, -1, &cnt), 0);
		CHECK_INT(stats_wilcoxon(dneg, 3, &raw), 0);
		check_same_wilcoxon("negative range", &raw, &cnt);
		CHECK_STR(cnt.method_name, "exact");
		CHECK_NEAR(cnt.statistic, 0, 0);
	}

	/* Invalid input. */
	{
		long long bad[] = {1, -1, 2};

		CHECK_INT(stats_wilcoxon_counts(bad, -1, 1, &cnt), -1);
		CHECK_INT(stats_wilcoxon_counts(bad, 1, -1, &cnt), -1);
	}
}

/* R: rep(x, k) runs, expanded into d; returns the length. */
static size_t runs(double *d, const double *x, const int *k, size_t nruns)
{
	size_t n = 0;

	for (size_t r = 0; r < nruns; r++)
		for (int j = 0; j < k[r]; j++)
			d[n++] = x[r];
	return n;
}

/* Exact with ties and zeros, as exactRankTests computes it. */
static void test_wilcoxon_exact_ties(void)
{
	static const struct {
		const char *name;
		double x[4];
		int k[4];
		double v, p;
	} cases[] = {
	    /* wilcox.exact(c(rep(1, 20), rep(-1, 3), rep(2, 5), 0, 0),
	     *     rep(0, 30), paired = TRUE, exact = TRUE) */
	    {"heavyties", {1, -1, 2, 0}, {20, 3, 5, 2}, 370,
	     1.5296041965484619e-05},
	    /* quiz totals of a one-item quiz: -1, 0, 1
	     * wilcox.exact(c(rep(1, 12), rep(-1, 2), rep(0, 10)), ...) */
	    {"quiz01", {1, -1, 0, 0}, {12, 2, 10, 0}, 90, 0.012939453125},
	    /* wilcox.exact(c(rep(1, 7), rep(0, 3)), ...) */
	    {"quiz1only", {1, 0, 0, 0}, {7, 3, 0, 0}, 28, 0.015625},
	    /* wilcox.exact(c(rep(1, 10), rep(-1, 10), rep(2, 3),
	     *     rep(-2, 3)), ...): V at its mean */
	    {"balanced", {1, -1, 2, -2}, {10, 10, 3, 3}, 175.5, 1},
	};
	/* n = 1..60 of likert(n) + 1: n, non-zero, V, p; exact under 50
	 * non-zero, wilcox.test from 50 (tests/r/stats_ref.R, shifted_n) */
	static const double shifted[][4] = {
	    {1, 1, 1, 1},
	    {2, 2, 3, 0.5},
	    {3, 2, 3, 0.5},
	    {4, 3, 4.5, 0.75},
	    {5, 4, 8.5, 0.375},
	    {6, 5, 13.5, 0.1875},
	    {7, 6, 18.5, 0.125},
	    {8, 7, 23, 0.171875},
	    {9, 8, 25.5, 0.3515625},
	    {10, 9, 34.5, 0.18359375},
	    {11, 10, 43, 0.12890625},
	    {12, 10, 43, 0.12890625},
	    {13, 11, 48, 0.1962890625},
	    {14, 12, 60, 0.10595703125},
	    {15, 13, 72.5, 0.06396484375},
	    {16, 14, 83, 0.0556640625},
	    {17, 15, 92, 0.07208251953125},
	    {18, 16, 97, 0.138397216796875},
	    {19, 17, 114, 0.0766448974609375},
	    {20, 18, 129, 0.058135986328125},
	    {21, 18, 129, 0.058135986328125},
	    {22, 19, 137.5, 0.08742523193359375},
	    {23, 20, 157.5, 0.049041748046875},
	    {24, 21, 177.5, 0.02942657470703125},
	    {25, 22, 193.5, 0.027439117431640625},
	    {26, 23, 207, 0.033900737762451172},
	    {27, 24, 214.5, 0.064068078994750977},
	    {28, 25, 239.5, 0.03578639030456543},
	    {29, 26, 261, 0.028279423713684082},
	    {30, 26, 261, 0.028279423713684082},
	    {31, 27, 273, 0.042202070355415344},
	    {32, 28, 301, 0.024058550596237183},
	    {33, 29, 328.5, 0.014330402016639709},
	    {34, 30, 350, 0.014010859653353691},
	    {35, 31, 368, 0.016527759842574596},
	    {36, 32, 378, 0.031208350788801908},
	    {37, 33, 411, 0.017516902415081859},
	    {38, 34, 439, 0.014038211549632251},
	    {39, 34, 439, 0.014038211549632251},
	    {40, 35, 454.5, 0.020812928443774581},
	    {41, 36, 490.5, 0.011987495963694528},
	    {42, 37, 525.5, 0.0072130657208617777},
	    {43, 38, 552.5, 0.0071585446130484343},
	    {44, 39, 575, 0.0084413939366640989},
	    {45, 40, 587.5, 0.015439339764270699},
	    {46, 41, 628.5, 0.0087900765583981411},
	    {47, 42, 663, 0.0070604880788778246},
	    {48, 42, 663, 0.0070604880788778246},
	    {49, 43, 682, 0.010409667953354074},
	    {50, 44, 726, 0.0060480798083517584},
	    {51, 45, 768.5, 0.0036867771202651056},
	    {52, 46, 801, 0.0036657053150292995},
	    {53, 47, 828, 0.0043091045777714498},
	    {54, 48, 843, 0.0077622287262073542},
	    {55, 49, 892, 0.0044687215218530696},
	    {56, 50, 933, 0.004171346246143892},
	    {57, 50, 933, 0.004171346246143892},
	    {58, 51, 955.5, 0.005886953927528458},
	    {59, 52, 1007.5, 0.0035768762742169869},
	    {60, 53, 1057.5, 0.0023547789483314868},
	};
	double d[64];
	size_t c, n;

	for (c = 0; c < LEN(cases); c++) {
		n = runs(d, cases[c].x, cases[c].k, 4);
		check_wilcoxon(cases[c].name, d, n, cases[c].v, cases[c].p,
			       STATS_METHOD_EXACT);
	}
	{
		/* wilcox.exact(c(rep(1, 9), rep(2, 4), rep(-1, 3), 3,
		 *     rep(0, 6)), rep(0, 23), paired = TRUE, exact = TRUE) */
		static const double x[] = {1, 2, -1, 3, 0};
		static const int k[] = {9, 4, 3, 1, 6};

		n = runs(d, x, k, 5);
		check_wilcoxon("quizmix", d, n, 133.5, 0.004638671875,
			       STATS_METHOD_EXACT);
	}
	for (c = 0; c < LEN(shifted); c++) {
		char name[32];

		n = (size_t)shifted[c][0];
		for (size_t i = 0; i < n; i++)
			d[i] = likert(i + 1) + 1;
		snprintf(name, sizeof(name), "shifted n = %zu", n);
		check_wilcoxon(name, d, n, shifted[c][2], shifted[c][3],
			       shifted[c][1] < 50 ? STATS_METHOD_EXACT
						  : STATS_METHOD_NORMAL);
	}
}

static void test_intervals(void)
{
	static const struct {
		long long x, n;
		double lo, hi;
	} wil[] = {
	    /* prop.test(x, n, correct = FALSE)$conf.int */
	    {23, 30, 0.59071673841877836, 0.88207611855510515},
	    {0, 10, 0, 0.27753279986288915},
	    {10, 10, 0.72246720013711085, 1},
	    {1, 1, 0.2065493143772375, 1},
	    {0, 1, 0, 0.79345068562276255},
	    {37, 38, 0.86505123884047874, 0.99533941231423129},
	    {500, 1000, 0.46906960036810419, 0.53093039963189581},
	};
	static const struct {
		long long pro, pas, det;
		double lo, hi;
	} nps[] = {
	    /* s +- 1.96 * 100 * sqrt((p+ + p- - (p+ - p-)^2) / n), clamped
	     * (tests/r/stats_ref.R nps_ci) */
	    {20, 10, 8, 6.1999424384047934, 56.957952298437306},
	    {2, 0, 0, 100, 100},
	    {3, 1, 0, 32.56475521456251, 100},
	    {0, 0, 5, -100, -100},
	};
	double lo, hi;
	size_t i;

	for (i = 0; i < LEN(wil); i++) {
		CHECK_INT(stats_wilson_ci95(wil[i].x, wil[i].n, &lo, &hi), 0);
		CHECK_NEAR(lo, wil[i].lo, REL);
		CHECK_NEAR(hi, wil[i].hi, REL);
	}
	CHECK_INT(stats_wilson_ci95(0, 0, &lo, &hi), -1);
	CHECK(isnan(lo) && isnan(hi));
	CHECK_INT(stats_wilson_ci95(3, 2, &lo, &hi), -1);

	for (i = 0; i < LEN(nps); i++) {
		long long count[11] = {0};
		struct stats_nps s;

		count[10] = nps[i].pro;
		count[8] = nps[i].pas;
		count[3] = nps[i].det;
		stats_nps(count, &s);
		CHECK_INT(stats_nps_ci95(&s, &lo, &hi), 0);
		CHECK_NEAR(lo, nps[i].lo, REL);
		CHECK_NEAR(hi, nps[i].hi, REL);
	}
	{
		long long count[11] = {0};
		struct stats_nps s;

		count[10] = 1;
		stats_nps(count, &s);
		CHECK_INT(stats_nps_ci95(&s, &lo, &hi), -1);
		CHECK(isnan(lo) && isnan(hi));
	}
	/* t.test(c(rep(1, 20), rep(-1, 3), rep(2, 5), 0, 0))$conf.int: the
	 * interval of paired differences from n, sum, sum of squares */
	CHECK_INT(stats_t_ci95(30, 20 - 3 + 10, 20 + 3 + 20, &lo, &hi), 0);
	CHECK_NEAR(lo, 0.60015055079239688, REL);
	CHECK_NEAR(hi, 1.1998494492076031, REL);
	/* every difference equal: R stops, null */
	CHECK_INT(stats_t_ci95(5, 5, 5, &lo, &hi), -1);
}

/* Complementary suppression of a profile item's values. */
static void test_suppress(void)
{
	int hidden[6];

	/* nothing small: nothing hidden */
	{
		static const long long size[] = {12, 9, 7};
		CHECK_INT((long long)stats_suppress(size, 3, 28, 5, hidden), 0);
	}
	/* 1 and 2 hidden (3 together) and nobody else outside: the
	 * next-smallest (7) goes too, so the rest is 10 */
	{
		static const long long size[] = {12, 1, 7, 2, 9};
		CHECK_INT((long long)stats_suppress(size, 5, 31, 5, hidden), 3);
		CHECK(!hidden[0] && hidden[1] && hidden[2] && hidden[3] &&
		      !hidden[4]);
	}
	/* one with a rare value and 3 without any answer: 4 outside every
	 * shown group, so the smallest shown (8, the first of two) goes */
	{
		static const long long size[] = {10, 8, 8, 1};
		CHECK_INT((long long)stats_suppress(size, 4, 30, 5, hidden), 2);
		CHECK(!hidden[0] && hidden[1] && !hidden[2] && hidden[3]);
	}
	/* hidden values already 5 together: no more */
	{
		static const long long size[] = {10, 3, 2, 9};
		CHECK_INT((long long)stats_suppress(size, 4, 24, 5, hidden), 2);
		CHECK(!hidden[0] && hidden[1] && hidden[2] && !hidden[3]);
	}
	/* 3 non-respondents alone: the smallest value hides */
	{
		static const long long size[] = {6, 20};
		CHECK_INT((long long)stats_suppress(size, 2, 29, 5, hidden), 1);
		CHECK(hidden[0] && !hidden[1]);
	}
	/* empty values are neither hidden nor hiding */
	{
		static const long long size[] = {0, 30};
		CHECK_INT((long long)stats_suppress(size, 2, 30, 5, hidden), 0);
	}
}

/* A million pairs through the sufficient statistics: instant, and V in
 * closed form.  500500 differences of +1 and 499500 of -1 share the ranks
 * 1..1e6, average (1e6 + 1) / 2, so V = 500500 * 500000.5. */
static void test_wilcoxon_million(void)
{
	long long count[9] = {0}; /* lo = -4 */
	struct stats_wilcoxon w;
	clock_t t0;
	double secs;

	count[-1 + 4] = 499500;
	count[1 + 4] = 500500;
	t0 = clock();
	CHECK_INT(stats_wilcoxon_counts(count, -4, 4, &w), 0);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK_MSG(secs < 0.01, "a million pairs took %g s", secs);
	CHECK_INT(w.n_pairs, 1000000);
	CHECK_INT(w.n_nonzero, 1000000);
	CHECK_NEAR(w.statistic, 500500 * 500000.5, 0);
	CHECK(isfinite(w.p_value));
	CHECK_STR(w.method_name, "normal");
	/* wilcox.test(c(rep(1, 500500), rep(-1, 499500)), rep(0, 1e6),
	 *     paired = TRUE): V = 250250250250 */
	CHECK_NEAR(w.statistic, 250250250250.0, 0);
	CHECK_NEAR(w.p_value, 0.31731050883079603, REL);
	CHECK_NEAR(w.rank_biserial, 0.001, 1e-12);
}

static void check_vec(const char *name, const double *got, const double *want,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (isnan(want[i]))
			CHECK_MSG(isnan(got[i]), "%s[%zu]: %.17g, want NA",
				  name, i, got[i]);
		else
			CHECK_MSG(
			    fabs(got[i] - want[i]) <=
				REL * (fabs(want[i]) > 1 ? fabs(want[i]) : 1),
			    "%s[%zu]: %.17g, want %.17g", name, i, got[i],
			    want[i]);
	}
}

static void test_holm(void)
{
	static const struct {
		const char *name;
		size_t n;
		double p[4], want[4];
	} cases[] = {
	    /* p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") */
	    {"holm1", 4, {0.01, 0.04, 0.03, 0.005}, {0.03, 0.06, 0.06, 0.02}},
	    /* p.adjust(c(0.01, NA, 0.04), "holm"): NA not counted */
	    {"holm_na", 3, {0.01, NAN, 0.04}, {0.02, NAN, 0.04}},
	    /* p.adjust(c(0.02, 0.02, 0.5), "holm") */
	    {"holm_tie", 3, {0.02, 0.02, 0.5}, {0.06, 0.06, 0.5}},
	    /* p.adjust(c(0.3), "holm") */
	    {"holm_one", 1, {0.3}, {0.3}},
	    /* p.adjust(c(0.5, 0.6, 0.4), "holm") */
	    {"holm_cap", 3, {0.5, 0.6, 0.4}, {1, 1, 1}},
	    /* p.adjust(c(NA, 0.2), "holm"): one test left, unchanged */
	    {"holm_na1", 2, {NAN, 0.2}, {NAN, 0.2}},
	    /* p.adjust(c(0.2, 0.6, 0.4), "holm") */
	    {"holm_mix", 3, {0.2, 0.6, 0.4}, {0.6, 0.8, 0.8}},
	    /* p.adjust(c(NA, NA), "holm") */
	    {"holm_allna", 2, {NAN, NAN}, {NAN, NAN}},
	};
	double out[4], in_place[4];
	size_t c;

	for (c = 0; c < LEN(cases); c++) {
		CHECK_INT(stats_holm(cases[c].p, cases[c].n, out), 0);
		check_vec(cases[c].name, out, cases[c].want, cases[c].n);
		memcpy(in_place, cases[c].p, sizeof(in_place));
		CHECK_INT(stats_holm(in_place, cases[c].n, in_place), 0);
		check_vec(cases[c].name, in_place, cases[c].want, cases[c].n);
	}
	CHECK_INT(stats_holm(NULL, 0, NULL), 0);
}

static void test_binom(void)
{
	static const struct {
		long long x, n;
		double p, want;
	} cases[] = {
	    /* binom.test(3, 13) */
	    {3, 13, 0.5, 0.092285156250000028},
	    /* binom.test(10, 13) */
	    {10, 13, 0.5, 0.092285156250000028},
	    /* binom.test(30, 35) */
	    {30, 35, 0.5, 2.2361520677804974e-05},
	    /* binom.test(4900, 10000) */
	    {4900, 10000, 0.5, 0.046585527704947359},
	    /* binom.test(5100, 10000) */
	    {5100, 10000, 0.5, 0.046585527704947359},
	    /* binom.test(3, 20, 0.3) */
	    {3, 20, 0.3, 0.22041826738070938},
	    /* binom.test(15, 20, 0.3) */
	    {15, 20, 0.3, 4.2940021953591667e-05},
	    /* binom.test(7, 10, 0.7) */
	    {7, 10, 0.7, 1},
	    /* binom.test(0, 5) */
	    {0, 5, 0.5, 0.0625},
	    /* binom.test(5, 5) */
	    {5, 5, 0.5, 0.0625},
	    /* binom.test(0, 10, 0.2) */
	    {0, 10, 0.2, 0.22824806400000019},
	    /* binom.test(1, 1) */
	    {1, 1, 0.5, 1},
	    /* binom.test(1, 2) */
	    {1, 2, 0.5, 1},
	    /* binom.test(120, 1000, 0.1) */
	    {120, 1000, 0.1, 0.039607719641630443},
	    /* a million pairs (the tail is bisected, not looped over) */
	    /* binom.test(499000, 1000000) */
	    {499000, 1000000, 0.5, 0.045608299865382104},
	    /* binom.test(500000, 1000000) */
	    {500000, 1000000, 0.5, 1},
	    /* binom.test(250123, 500001) */
	    {250123, 500001, 0.5, 0.73004346528830655},
	    /* binom.test(300700, 1000000, 0.3) */
	    {300700, 1000000, 0.3, 0.12663056984451496},
	    /* binom.test(299000, 1000000, 0.3) */
	    {299000, 1000000, 0.3, 0.029096319030430345},
	};
	size_t c;

	for (c = 0; c < LEN(cases); c++) {
		double got =
		    stats_binom_two_sided(cases[c].x, cases[c].n, cases[c].p);

		CHECK_MSG(fabs(got - cases[c].want) <= REL * cases[c].want,
			  "binom.test(%lld, %lld, %g): %.17g, want %.17g",
			  cases[c].x, cases[c].n, cases[c].p, got,
			  cases[c].want);
	}
	/* R stops on these. */
	CHECK(isnan(stats_binom_two_sided(0, 0, 0.5)));
	CHECK(isnan(stats_binom_two_sided(3, 2, 0.5)));
	CHECK(isnan(stats_binom_two_sided(1, 2, 1.5)));
	/* binom.test(0, 4, 0) and binom.test(1, 4, 0): TRUE / FALSE */
	CHECK_NEAR(stats_binom_two_sided(0, 4, 0), 1, 0);
	CHECK_NEAR(stats_binom_two_sided(1, 4, 0), 0, 0);

	/* McNemar: b + c = 0 -> 1 by the contract. */
	CHECK_NEAR(stats_mcnemar_p(0, 0), 1, 0);
	/* binom.test(3, 13) */
	CHECK_NEAR(stats_mcnemar_p(3, 10), 0.092285156250000028, REL);
	/* binom.test(30, 35) */
	CHECK_NEAR(stats_mcnemar_p(30, 5), 2.2361520677804974e-05, REL);
	/* binom.test(4900, 10000) */
	CHECK_NEAR(stats_mcnemar_p(4900, 5100), 0.046585527704947359, REL);
}

static void test_t_ci(void)
{
	double lo, hi, s, ss;
	long long i;

	/* n = 1: R stops ("not enough 'x' observations") */
	CHECK_INT(stats_t_ci95(1, 4, 16, &lo, &hi), -1);
	CHECK(isnan(lo) && isnan(hi));
	CHECK_INT(stats_t_ci95(0, 0, 0, &lo, &hi), -1);
	/* t.test(c(4, 4, 4)): "data are essentially constant" */
	CHECK_INT(stats_t_ci95(3, 12, 48, &lo, &hi), -1);
	CHECK(isnan(lo) && isnan(hi));
	/* t.test(c(0, 0))$conf.int: NaN NaN */
	CHECK_INT(stats_t_ci95(2, 0, 0, &lo, &hi), -1);
	CHECK(isnan(lo) && isnan(hi));

	/* t.test(c(3, 5))$conf.int */
	CHECK_INT(stats_t_ci95(2, 8, 34, &lo, &hi), 0);
	CHECK_NEAR(lo, -8.7062047361746941, REL);
	CHECK_NEAR(hi, 16.706204736174694, REL);

	/* t.test(c(1.5, 2.25, -0.75, 4))$conf.int */
	CHECK_INT(stats_t_ci95(4, 7, 1.5 * 1.5 + 2.25 * 2.25 + 0.75 * 0.75 + 16,
			       &lo, &hi),
		  0);
	CHECK_NEAR(lo, -1.382325908302964, REL);
	CHECK_NEAR(hi, 4.8823259083029642, REL);

	/* t.test((((1:38) * 3) %% 5) + 1)$conf.int */
	for (s = ss = 0, i = 1; i <= 38; i++) {
		double x = (double)((i * 3) % 5 + 1);

		s += x;
		ss += x * x;
	}
	CHECK_INT(stats_t_ci95(38, s, ss, &lo, &hi), 0);
	CHECK_NEAR(lo, 2.5818777458627467, REL);
	CHECK_NEAR(hi, 3.5233854120319901, REL);

	/* t.test((((1:100000) * 7) %% 5) + 1)$conf.int */
	for (s = ss = 0, i = 1; i <= 100000; i++) {
		double x = (double)((i * 7) % 5 + 1);

		s += x;
		ss += x * x;
	}
	CHECK_INT(stats_t_ci95(100000, s, ss, &lo, &hi), 0);
	CHECK_NEAR(lo, 2.9912346246737305, REL);
	CHECK_NEAR(hi, 3.0087653753262695, REL);
}

static void test_counts(void)
{
	long long odd[] = {2, 0, 1, 1, 1};  /* 1 1 3 4 5 at lo = 1 */
	long long even[] = {1, 1, 1, 1, 0}; /* 1 2 3 4 */
	long long none[] = {0, 0, 0, 0, 0};
	long long lik[9] = {0}, t38[5] = {0};
	size_t i;

	CHECK_NEAR(stats_median_counts(odd, 1, 5), 3,
		   0); /* median(c(1, 1, 3, 4, 5)) */
	CHECK_NEAR(stats_median_counts(even, 1, 5), 2.5,
		   0); /* median(c(1, 2, 3, 4)) */
	CHECK(isnan(
	    stats_median_counts(none, 1, 5))); /* median(numeric(0)): NA */
	CHECK(isnan(stats_mean_counts(none, 1, 5)));
	CHECK_INT(stats_count_total(odd, 1, 5), 5);
	CHECK_NEAR(stats_mean_counts(odd, 1, 5), 14.0 / 5, 1e-15);

	for (i = 1; i <= 500; i++)
		lik[(int)likert(i) + 4]++;
	CHECK_NEAR(stats_median_counts(lik, -4, 4), 0,
		   0); /* median(likert(500)) */
	CHECK_NEAR(stats_mean_counts(lik, -4, 4), 0.0080000000000000002,
		   REL); /* mean(likert(500)) */

	for (i = 1; i <= 38; i++)
		t38[(i * 3) % 5]++;
	/* median((((1:38) * 3) %% 5) + 1) */
	CHECK_NEAR(stats_median_counts(t38, 1, 5), 3, 0);
	/* mean((((1:38) * 3) %% 5) + 1) */
	CHECK_NEAR(stats_mean_counts(t38, 1, 5), 3.0526315789473686, REL);
}

static void test_nps(void)
{
	long long count[11] = {1, 0, 2, 1, 0, 3, 1, 4, 6, 8, 12};
	long long none[11] = {0};
	struct stats_nps nps;

	stats_nps(count, &nps);
	CHECK_INT(nps.n, 38);
	CHECK_INT(nps.promoters, 20);
	CHECK_INT(nps.passives, 10);
	CHECK_INT(nps.detractors, 8);
	CHECK_NEAR(nps.score, 100.0 * 12 / 38, 1e-15); /* 31.578947... */
	stats_nps(none, &nps);
	CHECK_INT(nps.n, 0);
	CHECK(isnan(nps.score));
}

static void test_borda(void)
{
	/* 3 options, top-3; 10 participants ranked at least one. */
	static const long long top3[] = {
	    5, 2, 1, /* a: 5*3 + 2*2 + 1 = 20, share 8/10 */
	    3, 4, 0, /* b: 9 + 8 = 17, share 7/10 */
	    2, 3, 4, /* c: 6 + 6 + 4 = 16, share 9/10 */
	};
	/* 2 options, top-2 (N < 3: share over ranks 1..2). */
	static const long long top2[] = {4, 1, 1, 4};
	/* 1 option, top-5: only ranks 1..3 count for the share. */
	static const long long top5[] = {1, 1, 1, 1, 1};
	struct stats_borda b[3];

	stats_borda(top3, 3, 3, 10, b);
	CHECK_INT(b[0].borda, 20);
	CHECK_INT(b[0].first, 5);
	CHECK_NEAR(b[0].top3_share, 0.8, 1e-15);
	CHECK_INT(b[1].borda, 17);
	CHECK_NEAR(b[1].top3_share, 0.7, 1e-15);
	CHECK_INT(b[2].borda, 16);
	CHECK_INT(b[2].first, 2);
	CHECK_NEAR(b[2].top3_share, 0.9, 1e-15);

	stats_borda(top2, 2, 2, 5, b);
	CHECK_INT(b[0].borda, 9);
	CHECK_INT(b[1].borda, 6);
	CHECK_NEAR(b[1].top3_share, 1, 0);

	stats_borda(top5, 1, 5, 5, b);
	CHECK_INT(b[0].borda, 5 + 4 + 3 + 2 + 1);
	CHECK_NEAR(b[0].top3_share, 0.6, 1e-15);

	stats_borda(top3, 3, 3, 0, b);
	CHECK(isnan(b[0].top3_share));
}

static void test_gain_and_json(void)
{
	struct json_object *j;

	CHECK_NEAR(stats_normalized_gain(2.4, 4.1, 6), 1.7 / 3.6, 1e-15);
	CHECK(isnan(stats_normalized_gain(6, 6, 6)));
	CHECK(isnan(stats_normalized_gain(NAN, 1, 6)));
	CHECK_NEAR(stats_normalized_gain(4, 3, 6), -0.5, 1e-15);

	CHECK(stats_json_number(NAN) == NULL);
	CHECK(stats_json_number(INFINITY) == NULL);
	CHECK(stats_json_number(-INFINITY) == NULL);
	j = stats_json_number(1.5);
	CHECK(j != NULL && json_object_is_type(j, json_type_double));
	CHECK_NEAR(json_object_get_double(j), 1.5, 0);
	json_object_put(j);

	CHECK(!stats_p_defined(4));
	CHECK(stats_p_defined(5));
	CHECK_STR(stats_method_name(STATS_METHOD_EXACT), "exact");
	CHECK_STR(stats_method_name(STATS_METHOD_NORMAL), "normal");
	CHECK_STR(stats_method_name(STATS_METHOD__MAX), "");
}

int main(void)
{
	stats_init();
	test_wilcoxon_fixed();
	test_wilcoxon_generated();
	test_wilcoxon_counts_exact();
	test_wilcoxon_exact_ties();
	test_intervals();
	test_suppress();
	test_wilcoxon_million();
	test_holm();
	test_binom();
	test_t_ci();
	test_counts();
	test_nps();
	test_borda();
	test_gain_and_json();
	return check_done("stats");
}
