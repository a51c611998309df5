# stats_bulk.R: a wide cross-check of cgi/core/stats.c against R, beyond the
# unit tests' fixed cases (qt for many df, binom.test for every x of many n,
# the summary's Wilcoxon p on 1000 random samples: exactRankTests::
# wilcox.exact under 50 non-zero differences, wilcox.test from 50 on).  Not part of `make test`; run:
#   Rscript tests/r/stats_bulk.R > /tmp/stats_bulk.txt
#   cc -std=c11 -D_DEFAULT_SOURCE -Icgi/core tests/r/stats_bulk.c cgi/core/stats.c \
#       $(pkg-config --cflags --libs gsl json-c) -lm -o /tmp/stats_bulk
#   /tmp/stats_bulk < /tmp/stats_bulk.txt     (exit status 0: all within 1e-9)
options(warn = -1)
suppressMessages(library(exactRankTests))
set.seed(1)
for (df in c(1:300, 1000, 10000, 1e5, 1e6))
	cat("Q", df, sprintf("%.17g", qt(0.975, df)), "\n")
for (n in 1:150) for (p in c(0.5, 0.3, 0.01)) for (x in 0:n)
	cat("B", x, n, p, sprintf("%.17g", binom.test(x, n, p)$p.value), "\n")
for (k in 1:1000) {
	n <- sample(1:120, 1)
	d <- if (k %% 2) sample(-4:4, n, replace = TRUE) else {
		v <- sample(1:60, min(n, 60))
		v * sample(c(-1, 1), length(v), replace = TRUE)
	}
	if (k %% 5 == 0) d[seq_len(n %/% 3)] <- 0 # zeros, and heavier ties
	if (all(d == 0)) next
	t <- if (sum(d != 0) < 50) wilcox.exact(d, exact = TRUE) else wilcox.test(d)
	cat("W", length(d), d, sprintf("%.17g", t$statistic),
	    sprintf("%.17g", t$p.value), "\n")
}
