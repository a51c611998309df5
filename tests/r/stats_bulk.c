/* stats_bulk.c: reads tests/r/stats_bulk.R's output on stdin and compares
 * each value with cgi/core/stats.c (and GSL's qt), printing every mismatch. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"

#define REL 1e-9

static double rel_err(double got, double want)
{
	return fabs(got - want) / (fabs(want) > 1 ? fabs(want) : 1);
}

int main(void)
{
	char tag[4];
	int bad = 0, seen = 0;

	stats_init();
	while (scanf("%3s", tag) == 1) {
		seen++;
		if (strcmp(tag, "Q") == 0) {
			double df, want;

			if (scanf("%lf %lf", &df, &want) != 2)
				return 2;
			if (rel_err(gsl_cdf_tdist_Pinv(0.975, df), want) >
			    REL) {
				printf("qt(0.975, %g)\n", df);
				bad++;
			}
		} else if (strcmp(tag, "B") == 0) {
			long long x, n;
			double p, want, got;

			if (scanf("%lld %lld %lf %lf", &x, &n, &p, &want) != 4)
				return 2;
			got = stats_binom_two_sided(x, n, p);
			if (rel_err(got, want) > REL) {
				printf("binom.test(%lld, %lld, %g): %.17g, "
				       "want %.17g\n",
				       x, n, p, got, want);
				bad++;
			}
		} else if (strcmp(tag, "W") == 0) {
			double d[200], v, p;
			long long count[121] = {0};
			struct stats_wilcoxon a, b;
			int n, i;

			if (scanf("%d", &n) != 1 || n < 1 || n > 200)
				return 2;
			for (i = 0; i < n; i++) {
				if (scanf("%lf", &d[i]) != 1 || d[i] < -60 ||
				    d[i] > 60)
					return 2;
				count[(int)d[i] + 60]++;
			}
			if (scanf("%lf %lf", &v, &p) != 2)
				return 2;
			if (stats_wilcoxon(d, (size_t)n, &a) ||
			    stats_wilcoxon_counts(count, -60, 60, &b))
				return 2;
			/* p relative to R's own, however small */
			if (a.statistic != v ||
			    !(fabs(a.p_value - p) <= REL * fabs(p)) ||
			    a.p_value != b.p_value ||
			    a.statistic != b.statistic) {
				printf("wilcoxon, n = %d: V %g (R %g), p "
				       "%.17g (R %.17g), counts p %.17g\n",
				       n, a.statistic, v, a.p_value, p,
				       b.p_value);
				bad++;
			}
		} else {
			return 2;
		}
	}
	printf("stats_bulk: %d passed, %d failed\n", seen - bad, bad);
	return bad != 0;
}
