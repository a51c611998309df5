/* chart.h: the dashboard's charts as data. Each function takes plain
 * numbers and labels and returns the geometry, the display strings and a
 * text alternative as a json-c object that templates/svg/<kind>.mustache
 * renders into one <svg>. No markup is built here: the renderer escapes. */
#ifndef ENQUETE_CHART_H
#define ENQUETE_CHART_H

#include <stddef.h>

struct json_object;

/*
 * Display formats. Numbers shown to people get a fixed number of decimals
 * here and nowhere else, with '.' as the decimal mark in every language.
 * A value that is not finite (an undefined statistic, JSON null) is shown
 * as CHART_NONE; pages state what it means beside it. Each writes into out
 * (size n, at least 16) and returns out.
 */
#define CHART_NONE "\xe2\x80\x94" /* an em dash */
/* x with `decimals` decimals: chart_fmt_fixed(2.3456, 2) is "2.35". */
const char *chart_fmt_fixed(char *out, size_t n, double x, int decimals);
/* A p-value: "< 0.001" below 0.001, else 3 significant digits ("0.0123",
 * "0.500", "1.00"). */
const char *chart_fmt_p(char *out, size_t n, double p);
/* A share 0..1 as a whole percentage: "61%". */
const char *chart_fmt_pct(char *out, size_t n, double share);

/* What every chart needs besides its data. Strings are borrowed for the
 * duration of the call (they are copied into the result). */
struct chart_common {
	const char *id;     /* unique in the page: [a-z0-9-], used for ids */
	const char *title;  /* <title> */
	const char *none;   /* what CHART_NONE means here ("no data") */
	int rtl;            /* mirror the layout for right-to-left scripts */
};

/* (a) Diverging stacked bars of Likert 1..5 distributions: 1-2 left of the
 * centre, 3 split across it, 4-5 right; percentages of each row's n. */
struct chart_likert_row {
	const char *label;     /* the item's label; NULL continues the item
				  above (its second instrument) */
	const char *series;    /* short row name: "Before", "After" */
	long long count[5];    /* answers 1..5 */
};
/* scale[5]: the words of the points 1..5 (legend). Caller frees the
 * result with json_object_put(); NULL when out of memory. */
struct json_object *chart_likert(const struct chart_common *c,
    const char *const scale[5], const struct chart_likert_row *rows,
    size_t nrows);

/* (b) Pre/post dumbbell on a numeric scale lo..hi: a dot at pre and an
 * arrow to post, one row per item, with n. NAN means undefined. */
struct chart_dumbbell_row {
	const char *label;
	double pre, post;
	long long n;
};
/* pre_name/post_name: the legend of the two ends ("Before", "After");
 * n_word: "n". Caller frees with json_object_put(); NULL when out of
 * memory. */
struct json_object *chart_dumbbell(const struct chart_common *c,
    const char *pre_name, const char *post_name, const char *n_word,
    double lo, double hi, const struct chart_dumbbell_row *rows,
    size_t nrows);

/* (c) Horizontal bars, sorted by value (descending, ties keep the given
 * order) when `sorted`; each bar labelled with its value and an optional
 * note line under it (top-3 share and first choices). */
struct chart_bar_row {
	const char *label;
	double value;          /* >= 0; NAN shows CHART_NONE and no bar */
	int decimals;          /* for the value's label */
	const char *note;      /* plain text or NULL */
};
/* value_name: what the value is ("Borda points"), used in the text
 * alternative. Caller frees with json_object_put(); NULL when out of
 * memory. */
struct json_object *chart_bars(const struct chart_common *c,
    const char *value_name, const struct chart_bar_row *rows, size_t nrows,
    int sorted);

/* (d) Paired bars of a share 0..1 per item, pre and post (quiz: share of
 * correct answers). NAN means undefined. */
struct chart_paired_row {
	const char *label;
	double pre, post;
};
/* Caller frees with json_object_put(); NULL when out of memory. */
struct json_object *chart_paired(const struct chart_common *c,
    const char *pre_name, const char *post_name,
    const struct chart_paired_row *rows, size_t nrows);

/* (e1) Means with their 95% interval on the scale lo..hi. NAN bounds
 * (n < 2) draw the mean alone. */
struct chart_ci_row {
	const char *label;
	double mean, ci_lo, ci_hi;
	long long n;
};
/* mean_word ("Mean"), ci_word ("95% CI"), n_word ("n"). Caller frees with
 * json_object_put(); NULL when out of memory. */
struct json_object *chart_ci(const struct chart_common *c,
    const char *mean_word, const char *ci_word, const char *n_word,
    double lo, double hi, const struct chart_ci_row *rows, size_t nrows);

/* (e2) Net promoter score: one stacked bar of detractors (0-6), passives
 * (7-8) and promoters (9-10) with raw counts and shares; score in points
 * (NAN when n = 0). names[3]: detractors, passives, promoters; score_word:
 * "NPS". Caller frees with json_object_put(); NULL when out of memory. */
struct json_object *chart_nps(const struct chart_common *c,
    const char *const names[3], const char *score_word, long long detractors,
    long long passives, long long promoters, double score);

#endif
