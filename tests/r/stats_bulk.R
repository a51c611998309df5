# stats_bulk.R: a wide cross-check of cgi/stats.c against R, beyond the
# unit tests' fixed cases (qt for many df, binom.test for every x of many n,
# wilcox.test on 400 random samples).  Not part of `make test`; run:
#   Rscript tests/r/stats_bulk.R > /tmp/stats_bulk.txt
#   cc -std=c11 -D_DEFAULT_SOURCE -Icgi tests/r/stats_bulk.c cgi/stats.c \
#       $(pkg-config --cflags --libs gsl json-c) -lm -o /tmp/stats_bulk
#   /tmp/stats_bulk < /tmp/stats_bulk.txt     (exit status 0: all within 1e-9)
options(warn = -1)
set.seed(1)
for (df in c(1:300, 1000, 10000, 1e5, 1e6))
	cat("Q", df, sprintf("%.17g", qt(0.975, df)), "\n")
for (n in 1:150) for (p in c(0.5, 0.3, 0.01)) for (x in 0:n)
	cat("B", x, n, p, sprintf("%.17g", binom.test(x, n, p)$p.value), "\n")
for (k in 1:400) {
	n <- sample(1:120, 1)
	d <- if (k %% 2) sample(-4:4, n, replace = TRUE) else {
		v <- sample(1:60, min(n, 60))
		v * sample(c(-1, 1), length(v), replace = TRUE)
	}
	if (all(d == 0)) next
	t <- wilcox.test(d)
	cat("W", length(d), d, sprintf("%.17g", t$statistic),
	    sprintf("%.17g", t$p.value), "\n")
}
