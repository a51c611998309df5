/* chart_forest.h: a forest plot (one estimate and its 95% interval per
 * row, a reference line at zero, pooled rows as diamonds) as json-c data
 * for templates/svg/forest.mustache, drawn like chart.h's charts (the same
 * 360-unit canvas, presentation attributes, a text alternative). */
#ifndef ENQUETE_CHART_FOREST_H
#define ENQUETE_CHART_FOREST_H

#include <stddef.h>

#include "chart.h"

struct chart_forest_row {
	const char *label; /* the event (or "pooled") */
	double mean, lo, hi; /* NAN: undefined (drawn as CHART_NONE) */
	long long n;
	int pooled; /* a diamond instead of a dot */
};

/*
 * est_word ("Change"), ci_word ("95% CI"), n_word ("n"). The axis spans
 * every interval and zero, widened to whole numbers. Caller frees with
 * json_object_put(); NULL when out of memory.
 */
struct json_object *chart_forest(const struct chart_common *c,
    const char *est_word, const char *ci_word, const char *n_word,
    const struct chart_forest_row *rows, size_t nrows);

#endif
