# stats_ref.R: prints the R reference values pasted into
# tests/unit/test_stats.c.  Run: Rscript tests/r/stats_ref.R
options(warn = -1)
f <- function(label, x) cat(sprintf("%-40s %s\n", label,
	paste(sprintf("%.17g", x), collapse = " ")))
likert <- function(n) ((seq_len(n) * 7) %% 9) - 4
signed <- function(n) { i <- seq_len(n); ifelse(i %% 3 == 0, -i, i) }
w <- function(label, d) {
	t <- wilcox.test(d, rep(0, length(d)), paired = TRUE)
	f(paste(label, "V p"), c(t$statistic, t$p.value))
}

w("allzero", rep(0, 6))
w("n1", c(3))
w("n4", c(1, -2, 3, 4))
w("n5", c(1, 2, 3, 4, 5))
w("ties", c(1, 1, 2, -1, 3, 3, -2, 4))
w("zeros", c(0, 1, 2, -3, 4, 5))
w("real", c(0.5, -1.25, 2.5, 3.75, -0.1, 1.3))
w("signed49", signed(49))
w("signed50", signed(50))
w("likert5", likert(5))
w("likert49", likert(49))
w("likert50", likert(50))
w("likert500", likert(500))
w("million", c(rep(1, 500500), rep(-1, 499500)))

f("holm1", p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"))
f("holm_na", p.adjust(c(0.01, NA, 0.04), "holm"))
f("holm_tie", p.adjust(c(0.02, 0.02, 0.5), "holm"))
f("holm_one", p.adjust(c(0.3), "holm"))
f("holm_cap", p.adjust(c(0.5, 0.6, 0.4), "holm"))
f("holm_na1", p.adjust(c(NA, 0.2), "holm"))
f("holm_mix", p.adjust(c(0.2, 0.6, 0.4), "holm"))

b <- function(x, n, p = 0.5) f(sprintf("binom %d %d %g", x, n, p),
	binom.test(x, n, p)$p.value)
b(3, 13); b(30, 35); b(4900, 10000); b(5100, 10000); b(3, 20, 0.3)
b(15, 20, 0.3); b(7, 10, 0.7); b(0, 5); b(5, 5); b(0, 10, 0.2); b(1, 1)
b(10, 13); b(1, 2); b(120, 1000, 0.1)

ci <- function(label, x) f(paste(label, "ci"), t.test(x)$conf.int)
ci("t2", c(3, 5))
ci("t38", (((1:38) * 3) %% 5) + 1)
ci("treal", c(1.5, 2.25, -0.75, 4))
ci("t1e5", (((1:100000) * 7) %% 5) + 1)

f("median odd", median(c(1, 1, 3, 4, 5)))
f("median even", median(c(1, 2, 3, 4)))
f("median likert500", median(likert(500)))
f("mean likert500", mean(likert(500)))
f("median t38", median((((1:38) * 3) %% 5) + 1))
f("mean t38", mean((((1:38) * 3) %% 5) + 1))
