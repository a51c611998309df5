/* stats.h: the pure statistics behind the summary JSON (Wilcoxon, Holm,
 * McNemar, t interval, NPS, Borda...), each equal to R to 1e-9 relative. */
#ifndef ENQUETE_STATS_H
#define ENQUETE_STATS_H

#include <stddef.h>

struct json_object;

/*
 * Undefined values.  Every function here reports a value that R leaves
 * undefined (NaN, NA, an error such as "not enough observations") as NAN.
 * NAN must never reach JSON: turn each double into JSON through
 * stats_json_number(), which makes it null.
 *
 * The contract also nulls a Wilcoxon p-value computed on fewer than 5 pairs.
 * That is a privacy/reporting rule, not R's: these functions always return
 * R's value and the caller applies stats_p_defined(n_pairs) (n_pairs counts
 * zero differences).  A p-value the caller nulls that way must enter
 * stats_holm() as NAN so that it is left out of the adjustment like an NA
 * in R's p.adjust().
 */

/* Turns GSL's abort-on-error handler off.  Idempotent; every function below
 * that calls GSL calls it too, so calling it at start-up is optional. */
void stats_init(void);

/* A new json number for x, or NULL (json null) when x is not finite.  The
 * caller owns the reference (json_object_put(), or steal it into an
 * object/array); NULL needs no freeing. */
struct json_object *stats_json_number(double x);

/* Whether the contract publishes a Wilcoxon p-value for n_pairs pairs
 * (zero differences included): at least 5. */
int stats_p_defined(long long n_pairs);

enum stats_method {
	/* the exact conditional distribution given the midranks, ties and
	 * zeros or not: exactRankTests::wilcox.exact(exact = TRUE) */
	STATS_METHOD_EXACT,
	STATS_METHOD_NORMAL, /* normal approximation, tie + continuity corr. */
	STATS_METHOD__MAX
};

/* "exact" or "normal" (static storage); "" out of range. */
const char *stats_method_name(enum stats_method m);

/* The contract's Wilcoxon signed-rank test on d = post - pre: under 50
 * non-zero differences exactRankTests::wilcox.exact(post, pre, paired =
 * TRUE, exact = TRUE) (ties or not), from 50 on R's wilcox.test(post, pre,
 * paired = TRUE) (normal approximation); V is the same in both. */
struct stats_wilcoxon {
	/* Differences given (NaN ones skipped), zero differences included. */
	long long n_pairs;
	/* R's n: the differences left after dropping zeros. */
	long long n_nonzero;
	/* R's V: sum of the ranks of |d| over the positive d. */
	double statistic;
	/* The same over the negative d (V + w_minus = n(n + 1) / 2). */
	double w_minus;
	/* Two-sided; NAN when n_nonzero == 0 (R: NaN or an error). */
	double p_value;
	enum stats_method method;
	/* stats_method_name(method): static storage. */
	const char *method_name;
	/* (W+ - W-) / (W+ + W-); NAN when n_nonzero == 0. */
	double rank_biserial;
};

/*
 * Wilcoxon signed-rank test on raw differences (NaN entries are skipped like
 * R's NA).  Returns 0, or -1 when out of memory (out is then untouched).
 * O(n log n).  Ranks are exact (half-integers) up to about 9e7 pairs.
 */
int stats_wilcoxon(const double *diff, size_t n, struct stats_wilcoxon *out);

/*
 * The same test from sufficient statistics: count[k] (k = 0 .. hi - lo) is
 * the number of pairs whose integer difference is lo + k (Likert: lo = -4,
 * hi = 4; 0-10 rating: lo = -10, hi = 10).  O(hi - lo) whatever the number
 * of pairs, except that the exact distribution (n < 50 non-zero
 * differences) costs O(n^3) with n < 50.  Gives results identical, bit for bit, to
 * stats_wilcoxon() on the expanded differences.  Returns 0, or -1 when
 * lo > hi or a count is negative (out is then untouched).
 */
int stats_wilcoxon_counts(const long long *count, int lo, int hi,
			  struct stats_wilcoxon *out);

/*
 * R's p.adjust(p, "holm").  NAN entries stay NAN and are not counted in the
 * number of tests (as R's NA: p.adjust's default n is length(p) evaluated
 * after the NAs are dropped).  out may be p.  Returns 0, or -1 when out of
 * memory (out is then untouched).
 */
int stats_holm(const double *p, size_t n, double *out);

/* R's binom.test(x, n, p)$p.value (two-sided, R's relErr 1 + 1e-7 rule).
 * NAN when n < 1, x outside 0..n or p outside [0, 1] (R stops there). */
double stats_binom_two_sided(long long x, long long n, double p);

/* Exact McNemar on the discordant pairs, b (wrong -> right) and c
 * (right -> wrong): binom.test(b, b + c)$p.value, 1 when b + c == 0. */
double stats_mcnemar_p(long long b, long long c);

/*
 * R's t.test(x)$conf.int (95%) from n, sum(x) and sum(x^2).  Returns 0 with
 * *lo, *hi set, or -1 with both NAN where R stops: n < 2 ("not enough
 * observations") or constant data ("data are essentially constant"; all
 * zeros gives NaN in R).  The variance numerator n*sumsq - sum^2 is exact
 * while both terms stay below 2^53 (integer data on 0..10: n < 9e6); past
 * that it keeps double precision unless the data are nearly constant.
 */
int stats_t_ci95(long long n, double sum, double sumsq, double *lo, double *hi);

/* Over a histogram, count[k] = how many times the integer lo + k occurs:
 * the number of values, their mean, and R's median() of the expanded data
 * (mean of the two middle values when n is even).  NAN when empty. */
long long stats_count_total(const long long *count, int lo, int hi);
double stats_mean_counts(const long long *count, int lo, int hi);
double stats_median_counts(const long long *count, int lo, int hi);

/* Net promoter score from count[0..10] of a 0-10 rating. */
struct stats_nps {
	long long n;
	long long promoters;  /* 9-10 */
	long long passives;   /* 7-8 */
	long long detractors; /* 0-6 */
	double score; /* 100 * (promoters - detractors) / n; NAN when n == 0 */
};

void stats_nps(const long long count[11], struct stats_nps *out);

/* One option of a top-N ranking. */
struct stats_borda {
	/* Sum over ranks r = 1..N of count * (N - r + 1). */
	long long borda;
	/* Participants who ranked it first. */
	long long first;
	/* Participants who ranked it in 1..min(3, N), over n_participants;
	 * NAN when n_participants == 0. */
	double top3_share;
};

/*
 * Borda scores of n_options options ranked top-N (N = n_ranks):
 * count[o * n_ranks + r] is the number of participants who put option o at
 * rank r + 1; n_participants is the number who ranked at least one option
 * (not derivable from the counts).  Fills out[0 .. n_options - 1].
 */
void stats_borda(const long long *count, size_t n_options, int n_ranks,
		 long long n_participants, struct stats_borda *out);

/*
 * R's prop.test(count, n, correct = FALSE)$conf.int (95%, the Wilson score
 * interval).  Returns 0 with *lo, *hi set, or -1 with both NAN when n < 1
 * or count is outside 0..n (R stops there).
 */
int stats_wilson_ci95(long long count, long long n, double *lo, double *hi);

/*
 * The contract's interval of an NPS (DESIGN.md "Statistics for small
 * groups"): score +- 1.96 * 100 * sqrt((p+ + p- - (p+ - p-)^2) / n),
 * clamped to [-100, 100].  Returns 0, or -1 with both NAN when n < 2.
 */
int stats_nps_ci95(const struct stats_nps *nps, double *lo, double *hi);

/*
 * Complementary suppression (DESIGN.md "Statistics for small groups",
 * Disclosure) of the values of one profile item within a parent group of
 * `parent` participants: size[i] participants gave value i.  Sets hidden[i]
 * for each value whose group may show counts only: every value with 1 to
 * min_group - 1 participants; then, while the participants outside every
 * shown group number 1 to min_group - 1 (max(parent - shown sum, hidden
 * sum): exact for a single-choice item), the smallest shown value too (ties:
 * the first).  So the parent minus every shown group never isolates fewer
 * than min_group.  Returns the number hidden.
 */
size_t stats_suppress(const long long *size, size_t n, long long parent,
		      long long min_group, int *hidden);

/* Normalised gain (post - pre) / (max - pre) on mean scores; NAN when
 * max == pre or an argument is not finite. */
double stats_normalized_gain(double pre, double post, double max);

#endif
