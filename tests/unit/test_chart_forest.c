/* test_chart_forest.c: the forest plot's data (cgi/core/chart_forest.c):
 * one row per estimate, the pooled row as a diamond, an undefined row
 * without marks but named in the text alternative, the zero line, and
 * the right-to-left chart as the mirror image of the left-to-right one. */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_forest.h"
#include "check.h"

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static size_t len(struct json_object *a)
{
	return a ? json_object_array_length(a) : 0;
}

static double num(struct json_object *o, const char *k)
{
	return atof(json_object_get_string(get(o, k)));
}

static const struct chart_forest_row rows[] = {
	{"atelier-a", 0.8, 0.5, 1.1, 30, 0},
	{"atelier-b", -0.25, -0.9, 0.4, 12, 0},
	{"atelier-c", NAN, NAN, NAN, 1, 0},
	{"pooled", 0.5, 0.2, 0.8, 43, 1},
};

int main(void)
{
	struct chart_common ltr = {"f", "Forest", "undefined", 0};
	struct chart_common rtl = {"f", "Forest", "undefined", 1};
	struct json_object *a = chart_forest(&ltr, "Change", "95% CI", "n",
	    rows, 4);
	struct json_object *b = chart_forest(&rtl, "Change", "95% CI", "n",
	    rows, 4);
	struct json_object *ra, *rb, *axes;
	const char *desc;

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return check_done("test_chart_forest");
	CHECK_STR(json_object_get_string(get(a, "kind")), "forest");
	ra = get(a, "rows");
	rb = get(b, "rows");
	CHECK_INT(len(ra), 4);
	/* estimates as dots with a whisker (3 lines), pooled as a diamond */
	CHECK_INT(len(get(json_object_array_get_idx(ra, 0), "dots")), 1);
	CHECK_INT(len(get(json_object_array_get_idx(ra, 0), "lines")), 3);
	CHECK_INT(len(get(json_object_array_get_idx(ra, 3), "dots")), 0);
	CHECK_INT(len(get(json_object_array_get_idx(ra, 3), "heads")), 1);
	/* undefined: no mark, the em dash in its line, explained in desc */
	CHECK_INT(len(get(json_object_array_get_idx(ra, 2), "dots")), 0);
	CHECK_INT(len(get(json_object_array_get_idx(ra, 2), "lines")), 0);
	desc = json_object_get_string(get(a, "desc"));
	CHECK(strstr(desc, "atelier-c: Change " CHART_NONE) != NULL);
	CHECK(strstr(desc, CHART_NONE " = undefined") != NULL);
	CHECK(strstr(desc, "atelier-a: Change 0.80, 95% CI 0.50 \xe2\x80\x93 "
	    "1.10, n = 30.") != NULL);
	/* the axis spans -1 .. 2 (whole numbers around every bound and 0):
	 * one zero line among the axes */
	axes = get(a, "axes");
	CHECK_INT(len(axes), 1);
	CHECK_INT(len(get(a, "grid")), 3);
	/* a dot left of zero for a negative estimate, right for a positive */
	{
		double zero = num(json_object_array_get_idx(axes, 0), "x1");
		double xa = num(json_object_array_get_idx(get(
		    json_object_array_get_idx(ra, 0), "dots"), 0), "cx");
		double xb = num(json_object_array_get_idx(get(
		    json_object_array_get_idx(ra, 1), "dots"), 0), "cx");
		CHECK(xa > zero && xb < zero);
		/* right to left: the mirror image on the 360-unit canvas */
		double ya = num(json_object_array_get_idx(get(
		    json_object_array_get_idx(rb, 0), "dots"), 0), "cx");
		CHECK(fabs(ya - (360 - xa)) < 0.11);
		CHECK(fabs(num(json_object_array_get_idx(get(b, "axes"), 0),
		    "x1") - (360 - zero)) < 0.11);
	}
	/* no coordinate is ever NaN or empty */
	CHECK(strstr(json_object_to_json_string(a), "nan") == NULL);
	CHECK(strstr(json_object_to_json_string(b), "nan") == NULL);
	json_object_put(a);
	json_object_put(b);
	return check_done("test_chart_forest");
}
