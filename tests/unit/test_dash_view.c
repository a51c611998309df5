/* test_dash_view.c: the dashboard's view (cgi/web/dash_view.c) apart from
 * the handler and the database: a small definition and a hand-made typed
 * summary, and table-driven checks of what the templates get: labels in
 * the page's language, percentages, the words ("23 of 30 improved"),
 * undefined figures, suppression of small groups and right-to-left
 * charts. Reads templates/ (run from the repository root, as make unit
 * does). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "check.h"
#include "dash_view.h"
#include "i18n.h"
#include "qdef.h"
#include "summary.h"
#include "tmpl.h"

/* the five words of a likert scale */
#define SCALE                                                                \
	"\"scale\": [{\"fr\": \"Aucune\", \"en\": \"None\", \"ar\": \"لا\"}, "    \
	"{\"fr\": \"Faible\", \"en\": \"Low\", \"ar\": \"ضعيفة\"}, {\"fr\": "      \
	"\"Moyenne\", \"en\": \"Fair\", \"ar\": \"متوسطة\"}, {\"fr\": \"Bonne\", "  \
	"\"en\": \"Good\", \"ar\": \"جيدة\"}, {\"fr\": \"Très bonne\", \"en\": "    \
	"\"Very good\", \"ar\": \"جيدة جدا\"}], "

static const char *const DEF_JSON =
    "{\"format\": 1, \"event\": {\"slug\": \"view-test\", \"title\": "
    "{\"fr\": \"Atelier\", \"en\": \"Workshop\", \"ar\": \"ورشة\"}, "
    "\"dates\": {\"start\": \"2024-03-12\", \"end\": \"2024-03-13\"}, "
    "\"place\": {\"city\": {\"fr\": \"Rabat\", \"en\": \"Rabat\", \"ar\": "
    "\"الرباط\"}, \"country\": \"MA\"}, \"timezone\": \"Africa/Casablanca\", "
    "\"languages\": [\"fr\", \"en\", \"ar\"], \"default_language\": \"fr\", "
    "\"privacy\": {\"fr\": \"Anonyme\", \"en\": \"Anonymous\", \"ar\": "
    "\"مجهول\"}}, \"instruments\": {"
    "\"pre\": {\"title\": {\"fr\": \"Avant\", \"en\": \"Before\", \"ar\": "
    "\"قبل\"}, \"intro\": {\"fr\": \"I\", \"en\": \"I\", \"ar\": \"I\"}, "
    "\"sections\": [{\"id\": \"s1\", \"title\": {\"fr\": \"S\", \"en\": "
    "\"S\", \"ar\": \"S\"}, \"items\": ["
    "{\"key\": \"region\", \"type\": \"single\", \"analysis\": \"profile\", "
    "\"label\": {\"fr\": \"Région\", \"en\": \"Region\", \"ar\": \"المنطقة\"}, "
    "\"options\": [{\"value\": \"north\", \"label\": {\"fr\": \"Nord\", "
    "\"en\": \"North\", \"ar\": \"الشمال\"}}, {\"value\": \"south\", "
    "\"label\": {\"fr\": \"Sud\", \"en\": \"South\", \"ar\": \"الجنوب\"}}]},"
    "{\"key\": \"know\", \"type\": \"likert5\", \"analysis\": \"knowledge\", "
    SCALE "\"label\": {\"fr\": \"Normes\", \"en\": \"Standards\", \"ar\": "
    "\"المعايير\"}}]}]},"
    "\"post\": {\"title\": {\"fr\": \"Après\", \"en\": \"After\", \"ar\": "
    "\"بعد\"}, \"intro\": {\"fr\": \"I\", \"en\": \"I\", \"ar\": \"I\"}, "
    "\"sections\": [{\"id\": \"s1\", \"title\": {\"fr\": \"S\", \"en\": "
    "\"S\", \"ar\": \"S\"}, \"items\": ["
    "{\"key\": \"know\", \"type\": \"likert5\", \"analysis\": \"knowledge\", "
    SCALE "\"label\": {\"fr\": \"Normes\", \"en\": \"Standards\", \"ar\": "
    "\"المعايير\"}},"
    "{\"key\": \"eval_expert\", \"type\": \"likert5\", \"analysis\": "
    "\"evaluation\", " SCALE "\"label\": {\"fr\": \"Expert\", \"en\": \"Expert (en)\", "
    "\"ar\": \"الخبير\"}}]}]}}}";

/* The value at a dotted path ("knowledge.rows.0.label") as a string; ""
 * when absent. Borrowed. */
static const char *at(struct json_object *o, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = strtok_r(buf, ".", &save); p && o;
	     p = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(p));
		else if (!json_object_object_get_ex(o, p, &o))
			o = NULL;
	}
	return o ? json_object_get_string(o) : "";
}

static const struct qdef_item *item(const struct qdef *d, int kind,
    const char *key)
{
	return qdef_item(&d->instruments[kind], key);
}

/* The synthetic summary: 30 pairs on "know" (23 up, 7 same), one
 * evaluation item (13 of 34 agree), counts 36 / 34 / 30. */
static void fill_summary(struct summary *s, const struct qdef *d,
    struct summary_test *t, struct summary_eval *e, struct summary_item *it,
    struct summary_count dist[2][5])
{
	static const char *const pts[5] = {"1", "2", "3", "4", "5"};

	memset(s, 0, sizeof(*s));
	s->counts.pre = 36;
	s->counts.post = 34;
	s->counts.paired = 30;
	memset(t, 0, sizeof(*t));
	t->item = item(d, QDEF_POST, "know");
	t->n = 30;
	t->first_mean = 2.1;
	t->post_mean = 2.9;
	t->median_diff = 1;
	t->wilcoxon.statistic = 276;
	t->wilcoxon.p_value = 0.0000012;
	t->wilcoxon.method = "exact";
	t->rank_biserial = 1;
	t->change.mean_diff = 0.8;
	t->change.ci95.defined = 1;
	t->change.ci95.lo = 0.5;
	t->change.ci95.hi = 1.1;
	t->change.has_split = 1;
	t->change.improved = 23;
	t->change.unchanged = 7;
	t->change.declined = 0;
	t->p_holm = 0.0000012;
	s->paired = t;
	s->npaired = 1;
	for (int k = 0; k < 2; k++) {
		memset(&it[k], 0, sizeof(it[k]));
		it[k].item = item(d, k, "know");
		it[k].instrument = (enum qdef_kind)k;
		it[k].n = 30;
		it[k].numeric = 1;
		it[k].mean = k ? 2.9 : 2.1;
		it[k].median = k ? 3 : 2;
		for (int x = 0; x < 5; x++) {
			dist[k][x].value = pts[x];
			dist[k][x].n = x == (k ? 2 : 1) ? 30 : 0;
		}
		it[k].dist = dist[k];
		it[k].ndist = 5;
	}
	s->items = it;
	s->nitems = 2;
	memset(e, 0, sizeof(*e));
	e->item = item(d, QDEF_POST, "eval_expert");
	e->instrument = QDEF_POST;
	e->n = 34;
	e->mean = NAN; /* undefined figures show as an em dash */
	e->agree.n = 34;
	e->agree.count = 13;
	e->agree.share = 13.0 / 34;
	e->agree.ci95.defined = 1;
	e->agree.ci95.lo = 0.2336;
	e->agree.ci95.hi = 0.5473;
	s->evaluation = e;
	s->nevaluation = 1;
}

struct want {
	const char *lang, *path, *value;
};

int main(void)
{
	char err[512];
	struct qdef_errors errs = {0, NULL};
	struct json_object *j = json_tokener_parse(DEF_JSON);
	struct qdef *def;
	struct summary s, s2;
	struct summary_test t;
	struct summary_eval e;
	struct summary_item it[2];
	struct summary_count dist[2][5];
	struct dash_view v;

	if (i18n_load("templates/i18n", err, sizeof(err)) != 0 ||
	    (app.tmpl = tmpl_set_load("templates", err, sizeof(err))) == NULL) {
		fprintf(stderr, "templates: %s\n", err);
		return 1;
	}
	CHECK(j != NULL && qdef_validate(j, &errs) == 0);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "definition: %s\n", errs.msg[i]);
	qdef_errors_free(&errs);
	def = j ? qdef_build(j) : NULL;
	json_object_put(j);
	if (def == NULL) {
		fprintf(stderr, "qdef_build failed\n");
		return 1;
	}
	fill_summary(&s, def, &t, &e, it, dist);

	/* the figures, per language */
	{
		static const struct want cases[] = {
		    {"en", "knowledge.rows.0.label", "Standards"},
		    {"fr", "knowledge.rows.0.label", "Normes"},
		    {"ar", "knowledge.rows.0.label", "المعايير"},
		    {"en", "knowledge.rows.0.n", "30"},
		    {"en", "knowledge.rows.0.pre_mean", "2.10"},
		    {"en", "knowledge.rows.0.post_mean", "2.90"},
		    {"en", "knowledge.rows.0.pre_median", "2.0"},
		    {"en", "knowledge.rows.0.mean_diff", "+0.80"},
		    {"en", "knowledge.rows.0.diff_ci", "[0.50; 1.10]"},
		    {"en", "knowledge.rows.0.method", "exact"},
		    {"en", "knowledge.rows.0.change_words",
			"23 of 30 improved, 7 unchanged, none declined"},
		    {"fr", "knowledge.rows.0.change_words",
			"23 sur 30 en progrès, 7 sans changement, aucun en recul"},
		    {"ar", "knowledge.rows.0.change_words",
			"تحسّن 23 من 30، ولم يتغيّر 7، ولم يتراجع أحد"},
		    {"en", "knowledge.small", "false"},
		    {"en", "evaluation.rows.0.label", "Expert (en)"},
		    {"en", "evaluation.rows.0.mean", "\xe2\x80\x94"},
		    {"en", "evaluation.rows.0.ci_lo", "\xe2\x80\x94"},
		    {"en", "evaluation.rows.0.agree_words", "13 of 34 agree"},
		    {"en", "evaluation.rows.0.agree_pct", "38%"},
		    {"en", "evaluation.rows.0.agree_ci", "[23%; 55%]"},
		    {"en", "evaluation.small", "false"},
		    {"en", "nps", ""},
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct json_object *data = json_object_new_object();
			dash_view_init(&v, def, cases[i].lang, NULL);
			CHECK(dash_view_figures(&v, &s, data) == 0);
			CHECK_MSG(strcmp(at(data, cases[i].path),
				      cases[i].value) == 0,
			    "%s %s: got \"%s\", want \"%s\"", cases[i].lang,
			    cases[i].path, at(data, cases[i].path),
			    cases[i].value);
			json_object_put(data);
		}
	}

	/* the words of a change, from the counts */
	{
		static const struct {
			const char *lang;
			long long up, same, down;
			const char *want;
		} cases[] = {
		    {"en", 23, 7, 0,
			"23 of 30 improved, 7 unchanged, none declined"},
		    {"en", 0, 5, 2,
			"none of 7 improved, 5 unchanged, 2 declined"},
		    {"en", 1, 0, 0,
			"1 of 1 improved, none unchanged, none declined"},
		    {"ar", 3, 0, 1,
			"تحسّن 3 من 4، ولم يبقَ أحد دون تغيّر، وتراجع 1"},
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct summary_change c = {0};
			struct json_object *o = json_object_new_object();
			c.improved = cases[i].up;
			c.unchanged = cases[i].same;
			c.declined = cases[i].down;
			dash_view_init(&v, def, cases[i].lang, NULL);
			CHECK(dash_view_change_words(&v, &c, o) == 0);
			CHECK_STR(at(o, "change_words"), cases[i].want);
			json_object_put(o);
		}
	}

	/* counts and rates: against the attendance when set, paired / pre */
	{
		static const struct {
			long long attendance, issued;
			const char *path, *want;
		} cases[] = {
		    {40, 0, "counts.pre_att_rate", "90%"},
		    {40, 0, "counts.paired_att_rate", "75%"},
		    {40, 0, "counts.paired_rate", "83%"},
		    {40, 0, "counts.has_attendance", "true"},
		    {0, 0, "counts.pre_att_rate", "\xe2\x80\x94"},
		    {0, 0, "counts.has_attendance", "false"},
		    {0, 12, "counts.has_issued", "true"},
		    {0, 0, "counts.small", "false"},
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct store_dash_preissued pi = {cases[i].issued, 3, 2,
			    cases[i].attendance};
			struct json_object *o = json_object_new_object();
			dash_view_init(&v, def, "en", NULL);
			CHECK(dash_view_counts(&v, &s, &pi, o) == 0);
			CHECK_MSG(strcmp(at(o, cases[i].path), cases[i].want) == 0,
			    "%s: got \"%s\", want \"%s\"", cases[i].path,
			    at(o, cases[i].path), cases[i].want);
			json_object_put(o);
		}
	}

	/* small samples are flagged; rtl charts in Arabic only */
	{
		struct json_object *en = json_object_new_object();
		struct json_object *ar = json_object_new_object();
		s2 = s;
		s2.counts.pre = s2.counts.post = s2.counts.paired = 6;
		t.n = 6;
		dash_view_init(&v, def, "en", NULL);
		CHECK(dash_view_figures(&v, &s2, en) == 0);
		CHECK_STR(at(en, "knowledge.small"), "true");
		CHECK(v.rtl == 0);
		CHECK(strstr(at(en, "knowledge.likert_svg"), "direction=\"rtl\"") ==
		    NULL);
		dash_view_init(&v, def, "ar", NULL);
		CHECK(v.rtl == 1);
		CHECK(dash_view_figures(&v, &s2, ar) == 0);
		CHECK(strstr(at(ar, "knowledge.likert_svg"), "direction=\"rtl\"") !=
		    NULL);
		CHECK(strstr(at(ar, "knowledge.likert_svg"), "<svg") != NULL);
		t.n = 30;
		json_object_put(en);
		json_object_put(ar);
	}

	/* the filter form: the filtered value selected */
	{
		struct kvlist kv = {0};
		struct summary_filters f;
		const char *why = NULL;
		struct json_object *o = json_object_new_object();

		CHECK(kvlist_add(&kv, "region", 6, "south", 5) == 0);
		CHECK(summary_filters_parse(def, &kv, &f, &why) == 0);
		CHECK(f.validated && f.n == 1);
		dash_view_init(&v, def, "fr", NULL);
		CHECK(dash_view_filters(&v, &f, o) == 0);
		CHECK_STR(at(o, "filters.0.label"), "Région");
		CHECK_STR(at(o, "filters.0.options.0.selected"), "false");
		CHECK_STR(at(o, "filters.0.options.1.selected"), "true");
		CHECK_STR(at(o, "filters.0.options.1.label"), "Sud");
		CHECK_STR(at(o, "filtered"), "true");
		json_object_put(o);
		kvlist_free(&kv);
		/* refused filters never reach the view */
		CHECK(kvlist_add(&kv, "know", 4, "1", 1) == 0);
		CHECK(summary_filters_parse(def, &kv, &f, &why) == 400);
		CHECK_STR(why, "filter is not a profile item");
		kvlist_free(&kv);
		CHECK(kvlist_add(&kv, "region", 6, "east", 4) == 0);
		CHECK(summary_filters_parse(def, &kv, &f, &why) == 400);
		CHECK_STR(why, "filter value is not an option of the item");
		kvlist_free(&kv);
	}

	/* comparison: an event under SUMMARY_MIN_GROUP is left out of every
	 * compared figure (suppression) but listed with its counts */
	{
		struct dash_cmp_event ce[2] = {
		    {"a-event", def, &s, 0}, {"b-event", def, &s2, 1}};
		struct json_object *o = json_object_new_object();

		s2.counts.pre = s2.counts.post = s2.counts.paired = 4;
		CHECK(dash_view_compare("en", ce, 2, o) == 0);
		CHECK_STR(at(o, "events.1.hidden"), "true");
		CHECK_STR(at(o, "events.1.pre"), "4");
		CHECK_INT(json_object_array_length(json_object_object_get(
			      json_object_array_get_idx(json_object_object_get(
				  o, "knowledge"), 0), "events")), 1);
		CHECK_STR(at(o, "knowledge.0.events.0.slug"), "a-event");
		CHECK_STR(at(o, "knowledge.0.events.0.mean_diff"), "+0.80");
		CHECK_STR(at(o, "evaluation.0.events.0.agree_words"),
		    "13 of 34 agree");
		/* the dumbbell names item and event; the hidden one is absent */
		CHECK(strstr(at(o, "knowledge_svg"),
			  "Standards \xe2\x80\x94 a-event") != NULL);
		CHECK(strstr(at(o, "knowledge_svg"), "b-event") == NULL);
		json_object_put(o);
	}

	qdef_free(def);
	tmpl_set_free(app.tmpl);
	i18n_free();
	return check_done("test_dash_view");
}
