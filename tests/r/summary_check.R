# summary_check.R: recomputes every figure of a summary JSON with R from the
# csv-long export and the codebook, and compares to 1e-9 relative. Exits
# non-zero on any difference, or on any number of the summary it did not
# check. Run: Rscript tests/r/summary_check.R LONG.csv SUMMARY.json CODEBOOK.csv
# [KEY=VALUE]: with a filter, R keeps the participants who gave that answer
# (in either instrument), as the API's ?KEY=VALUE does.
# (jsonlite is not required: node flattens the JSON into path/value lines.)
options(warn = -1)
suppressMessages(library(exactRankTests))
args <- commandArgs(TRUE)
if (!length(args) %in% 3:4)
	stop("usage: summary_check.R LONG.csv SUMMARY.json CODEBOOK.csv [KEY=VALUE]")
long <- read.csv(args[1], colClasses = "character", na.strings = character(0),
	encoding = "UTF-8")
if (length(args) == 4) {
	f <- regmatches(args[4], regexpr("=", args[4], fixed = TRUE), invert = TRUE)[[1]]
	keep <- unique(long$participant[long$item == f[1] & long$value == f[2]])
	long <- long[long$participant %in% keep, ]
}
cb <- read.csv(args[3], colClasses = "character", na.strings = character(0),
	encoding = "UTF-8")

# path \t value; arrays keyed by item@instrument, item or option
js <- "
const d = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const out = [];
function walk(v, p) {
	if (Array.isArray(v)) v.forEach((e, i) => walk(e, p + '/' + (e && typeof e === 'object' ?
		(e.instrument ? e.item + '@' + e.instrument : (e.item || e.option || i)) : i)));
	else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], p + '/' + k);
	else out.push(p + '\\t' + (v === null ? 'NA' : typeof v === 'number' ? String(v) : 'S:' + v));
}
walk(d, '');
process.stdout.write(out.join('\\n') + '\\n');
"
flat <- system2("node", c("-e", shQuote(js), args[2]), stdout = TRUE)
kv <- do.call(rbind, strsplit(flat, "\t", fixed = TRUE))
S <- setNames(kv[, 2], kv[, 1])
numeric_paths <- names(S)[!startsWith(S, "S:")]
seen <- character(0)
fails <- 0
checked <- 0

close <- function(a, b) {
	if (is.na(a) || is.na(b)) return(is.na(a) && is.na(b))
	a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
}
cmp <- function(path, want) {
	seen <<- c(seen, path)
	checked <<- checked + 1
	got <- if (path %in% names(S)) suppressWarnings(as.numeric(S[[path]])) else {
		cat("missing:", path, "\n"); fails <<- fails + 1; return(invisible()) }
	if (!close(got, as.numeric(want))) {
		cat(sprintf("DIFF %s: summary %.17g, R %.17g\n", path, got, want))
		fails <<- fails + 1
	}
}
has <- function(path) any(startsWith(names(S), path))

vals <- function(inst, item) long[long$instrument == inst & long$item == item, ]
by_part <- function(inst, item) { x <- vals(inst, item); setNames(x$value, x$participant) }
parts <- function(inst) unique(long$participant[long$instrument == inst])

# counts
pre_p <- parts("pre"); post_p <- parts("post"); paired_p <- intersect(pre_p, post_p)
cmp("/counts/pre", length(pre_p)); cmp("/counts/post", length(post_p))
cmp("/counts/paired", length(paired_p))

# items
item_keys <- unique(sub("^/items/([^/]+)/.*$", "\\1", names(S)[startsWith(names(S), "/items/")]))
for (k in item_keys) {
	item <- sub("@.*$", "", k); inst <- sub("^.*@", "", k)
	x <- vals(inst, item)
	cmp(sprintf("/items/%s/n", k), length(unique(x$participant)))
	dist <- names(S)[startsWith(names(S), sprintf("/items/%s/distribution/", k))]
	for (p in dist) cmp(p, sum(x$value == sub("^.*/", "", p)))
	if (has(sprintf("/items/%s/mean", k))) {
		v <- as.numeric(x$value)
		cmp(sprintf("/items/%s/mean", k), if (length(v)) mean(v) else NA)
		cmp(sprintf("/items/%s/median", k), if (length(v)) median(v) else NA)
	}
}

# t interval of x, NA NA where R stops (n < 2, constant data)
tci <- function(x) tryCatch(t.test(x)$conf.int, error = function(e) c(NA, NA))
cmp_ci <- function(path, ci) {
	if (has(paste0(path, "/"))) {
		cmp(paste0(path, "/0"), ci[1]); cmp(paste0(path, "/1"), ci[2])
	} else if (!all(is.na(ci))) {
		cat("DIFF", path, "null but R gives", ci, "\n"); fails <<- fails + 1
	} else if (path %in% names(S)) {
		cmp(path, NA)  # null, and R has no interval either (constant data)
	}
}
# mean_diff, ci95 and the improved/unchanged/declined split of d
change <- function(prefix, d) {
	cmp(paste0(prefix, "/mean_diff"), if (length(d)) mean(d) else NA)
	cmp_ci(paste0(prefix, "/ci95"), tci(d))
	if (has(paste0(prefix, "/improved"))) {
		cmp(paste0(prefix, "/improved"), sum(d > 0))
		cmp(paste0(prefix, "/unchanged"), sum(d == 0))
		cmp(paste0(prefix, "/declined"), sum(d < 0))
	}
}

# {n, mean_diff, ci95, wilcoxon} (and the split when present) of d
dtest <- function(prefix, d) {
	cmp(paste0(prefix, "/n"), length(d))
	change(prefix, d)
	nz <- d[d != 0]
	if (length(nz) == 0) {
		cmp(paste0(prefix, "/wilcoxon/statistic"), 0)
		cmp(paste0(prefix, "/wilcoxon/p_value"), NA)
		return(invisible())
	}
	z <- rep(0, length(d))
	exact <- length(nz) < 50
	t <- if (exact) wilcox.exact(d, z, paired = TRUE, exact = TRUE) else
		wilcox.test(d, z, paired = TRUE)
	cmp(paste0(prefix, "/wilcoxon/statistic"), unname(t$statistic))
	cmp(paste0(prefix, "/wilcoxon/p_value"), if (length(d) >= 5) t$p.value else NA)
	m <- S[[paste0(prefix, "/wilcoxon/method")]]
	if (m != if (exact) "S:exact" else "S:normal") {
		cat("DIFF method", prefix, m, t$method, "\n"); fails <<- fails + 1
	}
}

# paired and retro: Wilcoxon on post - first
wtest <- function(prefix, first, post) {
	n <- length(post)
	cmp(paste0(prefix, "/n"), n)
	cmp(paste0(prefix, if (grepl("^/retro", prefix)) "/retro_mean" else "/pre_mean"),
		if (n) mean(first) else NA)
	cmp(paste0(prefix, "/post_mean"), if (n) mean(post) else NA)
	d <- post - first
	if (has(paste0(prefix, "/median_diff")))
		cmp(paste0(prefix, "/median_diff"), if (n) median(d) else NA)
	if (has(paste0(prefix, "/mean_diff"))) change(prefix, d)
	nz <- d[d != 0]
	if (length(nz) == 0) {
		cmp(paste0(prefix, "/wilcoxon/statistic"), 0)
		cmp(paste0(prefix, "/wilcoxon/p_value"), NA)
		cmp(paste0(prefix, "/rank_biserial"), NA)
		return(NA)
	}
	# the contract: exactRankTests' exact test under 50 non-zero
	# differences (ties or not), wilcox.test from 50 on
	exact <- length(nz) < 50
	t <- if (exact) wilcox.exact(post, first, paired = TRUE, exact = TRUE) else
		wilcox.test(post, first, paired = TRUE)
	p <- if (n >= 5) t$p.value else NA
	V <- unname(t$statistic); tot <- length(nz) * (length(nz) + 1) / 2
	cmp(paste0(prefix, "/wilcoxon/statistic"), V)
	cmp(paste0(prefix, "/wilcoxon/p_value"), p)
	cmp(paste0(prefix, "/rank_biserial"), (V - (tot - V)) / tot)
	m <- S[[paste0(prefix, "/wilcoxon/method")]]
	if (m != if (exact) "S:exact" else "S:normal") {
		cat("DIFF method", prefix, m, t$method, "\n"); fails <<- fails + 1
	}
	p
}
for (section in c("paired", "retro")) {
	keys <- unique(sub(sprintf("^/%s/([^/]+)/.*$", section), "\\1",
		names(S)[startsWith(names(S), sprintf("/%s/", section))]))
	ps <- c()
	for (item in keys) {
		post <- by_part("post", item)
		first <- if (section == "paired") by_part("pre", item) else by_part("post", paste0(item, ".retro"))
		common <- intersect(names(first), names(post))
		ps <- c(ps, wtest(sprintf("/%s/%s", section, item),
			as.numeric(first[common]), as.numeric(post[common])))
		if (section == "retro") {
			# response shift: retro - pre
			pre <- by_part("pre", item); retro <- first
			both <- intersect(names(pre), names(retro))
			dtest(sprintf("/retro/%s/pre_vs_retro", item),
				as.numeric(retro[both]) - as.numeric(pre[both]))
		}
	}
	if (length(keys)) {
		adj <- p.adjust(ps, "holm")
		for (i in seq_along(keys)) cmp(sprintf("/%s/%s/p_holm", section, keys[i]), adj[i])
	}
}

# quiz
quiz_items <- unique(sub("^/quiz/items/([^/]+)/.*$", "\\1",
	names(S)[startsWith(names(S), "/quiz/items/")]))
correct <- setNames(cb$correct, paste(cb$item, cb$instrument))
score <- function(inst, p) {
	x <- long[long$instrument == inst & long$participant == p, ]
	sum(mapply(function(it, v) isTRUE(correct[paste(it, inst)] == v), x$item, x$value))
}
if (length(paired_p)) {
	pre_s <- sapply(paired_p, function(p) score("pre", p))
	post_s <- sapply(paired_p, function(p) score("post", p))
} else pre_s <- post_s <- numeric(0)
mx <- length(quiz_items)
cmp("/quiz/n", length(paired_p))
cmp("/quiz/max_score", mx)
pm <- if (length(pre_s)) mean(pre_s) else NA; qm <- if (length(post_s)) mean(post_s) else NA
cmp("/quiz/pre_mean_score", pm); cmp("/quiz/post_mean_score", qm)
cmp("/quiz/normalized_gain", if (!is.na(pm) && mx != pm) (qm - pm) / (mx - pm) else NA)
# the total score of each pair
cmp("/quiz/total/pre_mean", pm); cmp("/quiz/total/post_mean", qm)
dtest("/quiz/total", post_s - pre_s)
mc <- c()
for (item in quiz_items) {
	a <- by_part("pre", item); b <- by_part("post", item)
	common <- intersect(names(a), names(b))
	pre_ok <- a[common] == correct[paste(item, "pre")]
	post_ok <- b[common] == correct[paste(item, "post")]
	bb <- sum(!pre_ok & post_ok); cc <- sum(pre_ok & !post_ok)
	cmp(sprintf("/quiz/items/%s/n", item), length(common))
	cmp(sprintf("/quiz/items/%s/pre_correct", item), sum(pre_ok))
	cmp(sprintf("/quiz/items/%s/post_correct", item), sum(post_ok))
	mc <- c(mc, if (bb + cc == 0) 1 else binom.test(bb, bb + cc)$p.value)
	cmp(sprintf("/quiz/items/%s/mcnemar_p", item), mc[length(mc)])
}
if (length(quiz_items)) {
	adj <- p.adjust(mc, "holm")
	for (i in seq_along(quiz_items))
		cmp(sprintf("/quiz/items/%s/mcnemar_p_holm", quiz_items[i]), adj[i])
}

# evaluation
ev_items <- unique(sub("^/evaluation/([^/]+)/.*$", "\\1",
	names(S)[startsWith(names(S), "/evaluation/")]))
for (item in ev_items) {
	x <- as.numeric(vals("post", item)$value)
	pre <- sprintf("/evaluation/%s", item)
	cmp(paste0(pre, "/n"), length(x))
	cmp(paste0(pre, "/mean"), if (length(x)) mean(x) else NA)
	ci <- tryCatch(t.test(x)$conf.int, error = function(e) c(NA, NA))
	if (has(paste0(pre, "/ci95/"))) {
		cmp(paste0(pre, "/ci95/0"), ci[1]); cmp(paste0(pre, "/ci95/1"), ci[2])
	} else if (!all(is.na(ci))) { cat("ci95 null but R gives", ci, "\n"); fails <- fails + 1 }
	for (p in names(S)[startsWith(names(S), paste0(pre, "/distribution/"))])
		cmp(p, sum(x == as.numeric(sub("^.*/", "", p))))
	# agreement: answers 4-5, Wilson interval
	ag <- sum(x >= 4)
	cmp(paste0(pre, "/agree/n"), length(x)); cmp(paste0(pre, "/agree/count"), ag)
	cmp(paste0(pre, "/agree/share"), if (length(x)) ag / length(x) else NA)
	cmp_ci(paste0(pre, "/agree/ci95"), if (length(x))
		prop.test(ag, length(x), correct = FALSE)$conf.int else c(NA, NA))
}

# nps
if (has("/nps/")) {
	item <- sub("^S:", "", S[["/nps/item"]])
	x <- as.numeric(vals("post", item)$value)
	cmp("/nps/n", length(x)); cmp("/nps/promoters", sum(x >= 9))
	cmp("/nps/passives", sum(x >= 7 & x <= 8)); cmp("/nps/detractors", sum(x <= 6))
	sc <- if (length(x)) 100 * (sum(x >= 9) - sum(x <= 6)) / length(x) else NA
	cmp("/nps/score", sc)
	pp <- mean(x >= 9); pm <- mean(x <= 6)
	h <- 1.96 * 100 * sqrt((pp + pm - (pp - pm)^2) / length(x))
	cmp_ci("/nps/ci95", if (length(x) >= 2) c(max(-100, sc - h), min(100, sc + h)) else c(NA, NA))
}

# ranking: Borda N - r + 1, first, top3_share over participants who ranked
rk_items <- unique(sub("^/ranking/([^/]+)/.*$", "\\1",
	names(S)[startsWith(names(S), "/ranking/")]))
for (item in rk_items) {
	x <- long[long$instrument == "post" & startsWith(long$item, paste0(item, ".")), ]
	x$rank <- as.integer(sub("^.*\\.", "", x$item))
	n <- length(unique(x$participant))
	cmp(sprintf("/ranking/%s/n", item), n)
	opts <- unique(sub("^/ranking/[^/]+/options/([^/]+)/.*$", "\\1",
		names(S)[startsWith(names(S), sprintf("/ranking/%s/options/", item))]))
	top <- sum(startsWith(names(S), sprintf("/ranking/%s/options/%s/ranks/", item, opts[1])))
	for (o in opts) {
		p <- sprintf("/ranking/%s/options/%s", item, o)
		r <- x$rank[x$value == o]
		cmp(paste0(p, "/borda"), sum(top - r + 1))
		cmp(paste0(p, "/first"), sum(r == 1))
		cmp(paste0(p, "/top3_share"), if (n) length(unique(x$participant[x$value == o &
			x$rank <= min(3, top)])) / n else NA)
		for (k in seq_len(top)) cmp(sprintf("%s/ranks/%d", p, k - 1), sum(r == k))
	}
}

# followup (issue 24): the follow-up against pre and against post, with
# paired[]'s statistics (post_mean = the follow-up's), and the outcome
# items' option shares with Wilson's interval
if (has("/followup/")) {
	fu_p <- parts("followup")
	cmp("/followup/counts/followup", length(fu_p))
	cmp("/followup/counts/paired_pre", length(intersect(pre_p, fu_p)))
	cmp("/followup/counts/paired_post", length(intersect(post_p, fu_p)))
	for (section in c("paired_pre", "paired_post")) {
		earlier <- if (section == "paired_pre") "pre" else "post"
		keys <- unique(sub(sprintf("^/followup/%s/([^/]+)/.*$", section), "\\1",
			names(S)[startsWith(names(S), sprintf("/followup/%s/", section))]))
		ps <- c()
		for (item in keys) {
			fu <- by_part("followup", item); first <- by_part(earlier, item)
			common <- intersect(names(first), names(fu))
			ps <- c(ps, wtest(sprintf("/followup/%s/%s", section, item),
				as.numeric(first[common]), as.numeric(fu[common])))
		}
		if (length(keys)) {
			adj <- p.adjust(ps, "holm")
			for (i in seq_along(keys))
				cmp(sprintf("/followup/%s/%s/p_holm", section, keys[i]), adj[i])
		}
	}
	out_items <- unique(sub("^/followup/outcomes/([^/]+)/.*$", "\\1",
		names(S)[startsWith(names(S), "/followup/outcomes/")]))
	for (item in out_items) {
		x <- vals("followup", item); n <- length(unique(x$participant))
		p0 <- sprintf("/followup/outcomes/%s", item)
		cmp(paste0(p0, "/n"), n)
		opts <- unique(sub(sprintf("^%s/options/([^/]+)/.*$", p0), "\\1",
			names(S)[startsWith(names(S), paste0(p0, "/options/"))]))
		for (o in opts) {
			k <- sum(x$value == o)
			cmp(sprintf("%s/options/%s/count", p0, o), k)
			cmp(sprintf("%s/options/%s/share", p0, o), if (n) k / n else NA)
			cmp_ci(sprintf("%s/options/%s/ci95", p0, o), if (n)
				prop.test(k, n, correct = FALSE)$conf.int else c(NA, NA))
		}
	}
}

unchecked <- setdiff(numeric_paths, seen)
if (length(unchecked)) {
	cat("not checked:", unchecked, sep = "\n  "); fails <- fails + length(unchecked)
}
cat(sprintf("summary_check: %d figures compared, %d differences\n", checked, fails))
quit(status = if (fails == 0) 0 else 1)
