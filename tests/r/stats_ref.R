# stats_ref.R: prints the R reference values pasted into
# tests/unit/test_stats.c.  Run: Rscript tests/r/stats_ref.R
options(warn = -1)
suppressMessages(library(exactRankTests))
f <- function(label, x) cat(sprintf("%-40s %s\n", label,
	paste(sprintf("%.17g", x), collapse = " ")))
likert <- function(n) ((seq_len(n) * 7) %% 9) - 4
signed <- function(n) { i <- seq_len(n); ifelse(i %% 3 == 0, -i, i) }
# the contract's test: exactRankTests' exact one under 50 non-zero
# differences, wilcox.test from 50 on (all zero: no p)
w <- function(label, d) {
	z <- rep(0, length(d))
	t <- if (all(d == 0)) wilcox.test(d, z, paired = TRUE) else
		if (sum(d != 0) < 50) wilcox.exact(d, z, paired = TRUE, exact = TRUE) else
		wilcox.test(d, z, paired = TRUE)
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

# exact with ties (Likert and quiz-total differences)
w("heavyties", c(rep(1, 20), rep(-1, 3), rep(2, 5), 0, 0))
w("quiz01", c(rep(1, 12), rep(-1, 2), rep(0, 10)))
w("quiz1only", c(rep(1, 7), rep(0, 3)))
w("quizmix", c(rep(1, 9), rep(2, 4), rep(-1, 3), rep(3, 1), rep(0, 6)))
w("balanced", c(rep(1, 10), rep(-1, 10), rep(2, 3), rep(-2, 3)))
# n = 1..60 around the boundary: p of likert(n) + 1 for each n
# (columns: n, non-zero differences, V, p)
for (n in 1:60) {
	d <- likert(n) + 1; z <- rep(0, n)
	t <- if (sum(d != 0) < 50) wilcox.exact(d, z, paired = TRUE, exact = TRUE) else
		wilcox.test(d, z, paired = TRUE)
	cat(sprintf("shifted_n %d %d %.17g %.17g\n", n, sum(d != 0), t$statistic, t$p.value))
}

wil <- function(x, n) f(sprintf("wilson %d %d", x, n),
	prop.test(x, n, correct = FALSE)$conf.int)
wil(23, 30); wil(0, 10); wil(10, 10); wil(1, 1); wil(0, 1); wil(37, 38)
wil(500, 1000)

nps_ci <- function(pro, pas, det) {
	n <- pro + pas + det; pp <- pro / n; pm <- det / n
	s <- 100 * (pp - pm); h <- 1.96 * 100 * sqrt((pp + pm - (pp - pm)^2) / n)
	f(sprintf("nps_ci %d %d %d", pro, pas, det), c(max(-100, s - h), min(100, s + h)))
}
nps_ci(20, 10, 8); nps_ci(2, 0, 0); nps_ci(3, 1, 0); nps_ci(0, 0, 5)

# t interval of differences: exactly-equal differences stop R
ci("dpaired", c(rep(1, 20), rep(-1, 3), rep(2, 5), 0, 0))
