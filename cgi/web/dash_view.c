/* dash_view.c: the dashboard's, report's and comparison's view from the
 * typed summary, the definition and the store's rows (dash_view.h). Every
 * figure the pages show comes from struct summary, the same one the API
 * writes as JSON, so the pages say exactly what the API says. */
#include "dash_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chart.h"
#include "i18n.h"
#include "page.h"

/* A figure as the contract publishes it: not finite is null (NAN). */
static double fin(double x)
{
	return isfinite(x) ? x : NAN;
}

static const char *t(const struct dash_view *v, const char *key)
{
	return i18n_get(v->ui, key);
}

void dash_view_init(struct dash_view *v, const struct qdef *def,
    const char *ui, const char *prefix)
{
	memset(v, 0, sizeof(*v));
	v->def = def;
	v->ui = ui;
	v->lang = (enum qdef_lang)qdef_lang_from_name(ui);
	v->rtl = strcmp(ui, "ar") == 0;
	v->prefix = prefix;
}

/* ---- formatting into the data object ---- */

static int set_fixed(struct json_object *o, const char *key, double x,
    int decimals)
{
	char b[32];

	return jset_str(o, key, chart_fmt_fixed(b, sizeof(b), fin(x), decimals));
}

static int set_p(struct json_object *o, const char *key, double p)
{
	char b[32];

	return jset_str(o, key, chart_fmt_p(b, sizeof(b), fin(p)));
}

static int set_pct(struct json_object *o, const char *key, double share)
{
	char b[32];

	return jset_str(o, key, chart_fmt_pct(b, sizeof(b), fin(share)));
}

/* ---- the definition ---- */

/* The item called key, the post one first (labels of pre/post twins are
 * the same). Borrowed; NULL when absent. */
static const struct qdef_item *find_item(const struct qdef *def,
    const char *key)
{
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_item *it;
		if (!def->instruments[k].present)
			continue;
		if ((it = qdef_item(&def->instruments[k], key)) != NULL)
			return it;
	}
	return NULL;
}

static const char *item_label(const struct dash_view *v, const char *key)
{
	const struct qdef_item *it = find_item(v->def, key);

	return it ? qdef_text(v->def, it->label, v->lang) : key;
}

static const char *option_label(const struct dash_view *v,
    const struct qdef_item *it, const char *value)
{
	int i = it ? qdef_option_index(it, value) : -1;

	return i >= 0 ? qdef_text(v->def, it->options[i].label, v->lang) :
	    value;
}

/* ---- the summary ---- */

/* The summary's items[] entry for key and instrument. Borrowed; NULL. */
static const struct summary_item *sum_item(const struct summary *s,
    const char *key, enum qdef_kind instrument)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].instrument == instrument &&
		    strcmp(s->items[i].item->key, key) == 0)
			return &s->items[i];
	return NULL;
}

/* The count of value in e's distribution; 0 when absent. */
static long long dist_count(const struct summary_item *e, const char *value)
{
	for (size_t i = 0; e && i < e->ndist; i++)
		if (strcmp(e->dist[i].value, value) == 0)
			return e->dist[i].n;
	return 0;
}

/* Renders chart (stolen) with svg/kind into o[key]. 0 / -1. */
static int put_svg(struct json_object *o, const char *key, const char *kind,
    struct json_object *chart)
{
	struct buf b = BUF_INIT;
	char name[32];
	int rc = -1;

	if (chart == NULL)
		return -1;
	snprintf(name, sizeof(name), "svg/%s", kind);
	if (page_fragment(name, chart, &b) == 0 && !b.oom)
		rc = jset_str(o, key, buf_cstr(&b));
	buf_free(&b);
	json_object_put(chart);
	return rc;
}

static void chart_id(const struct dash_view *v, char *out, size_t n,
    const char *what, const char *key)
{
	snprintf(out, n, "ch-%s%s%s%s", v->prefix ? v->prefix : "",
	    v->prefix ? "-" : "", what, key ? key : "");
	for (char *p = out; *p; p++)
		if (*p == '_' || *p == '.')
			*p = '-';
}

static const char *effect_key(double r)
{
	double a = fabs(r);

	if (!isfinite(r))
		return NULL;
	return a < 0.1 ? "dash_effect_negligible" : a < 0.3 ?
	    "dash_effect_small" : a < 0.5 ? "dash_effect_medium" :
	    "dash_effect_large";
}

/* The catalog pattern key with "{k}" replaced by k and "{n}" by n,
 * appended to b (plain text; the template escapes it). */
static void words(const struct dash_view *v, struct buf *b,
    const char *pattern_key, long long k, long long n)
{
	const char *p = t(v, pattern_key);

	while (*p) {
		if (strncmp(p, "{k}", 3) == 0) {
			buf_printf(b, "%lld", k);
			p += 3;
		} else if (strncmp(p, "{n}", 3) == 0) {
			buf_printf(b, "%lld", n);
			p += 3;
		} else {
			size_t len = strcspn(p + 1, "{") + 1;
			buf_printf(b, "%.*s", (int)len, p);
			p += len;
		}
	}
}

static int set_words(const struct dash_view *v, struct json_object *o,
    const char *key, const char *pattern_key, long long k, long long n)
{
	struct buf b = BUF_INIT;
	int rc;

	words(v, &b, pattern_key, k, n);
	rc = b.oom ? -1 : jset_str(o, key, buf_cstr(&b));
	buf_free(&b);
	return rc;
}

int dash_view_change_words(const struct dash_view *v,
    const struct summary_change *c, struct json_object *o)
{
	static const char *const keys[3][2] = {
	    {"dash_change_improved", "dash_change_improved_none"},
	    {"dash_change_unchanged", "dash_change_unchanged_none"},
	    {"dash_change_declined", "dash_change_declined_none"}};
	long long k[3] = {c->improved, c->unchanged, c->declined};
	long long n = k[0] + k[1] + k[2];
	struct buf b = BUF_INIT;
	int rc;

	for (int i = 0; i < 3; i++)
		words(v, &b, keys[i][k[i] == 0], k[i], n);
	rc = b.oom ? -1 : jset_str(o, "change_words", buf_cstr(&b));
	buf_free(&b);
	return rc;
}

/* An interval under key as the text "[lo; hi]" with `decimals` decimals,
 * both scaled by `scale` (100 for a share shown in %), or CHART_NONE when
 * undefined. */
static int set_ci(struct json_object *o, const char *key,
    const struct summary_ci *ci, int decimals, double scale, const char *unit)
{
	char lo[32], hi[32], text[80];

	if (ci == NULL || !ci->defined)
		return jset_str(o, key, CHART_NONE);
	chart_fmt_fixed(lo, sizeof(lo), fin(ci->lo) * scale, decimals);
	chart_fmt_fixed(hi, sizeof(hi), fin(ci->hi) * scale, decimals);
	snprintf(text, sizeof(text), "[%s%s; %s%s]", lo, unit, hi, unit);
	return jset_str(o, key, text);
}

static double ci_lo(const struct summary_ci *ci)
{
	return ci && ci->defined ? fin(ci->lo) : NAN;
}

static double ci_hi(const struct summary_ci *ci)
{
	return ci && ci->defined ? fin(ci->hi) : NAN;
}

/* x with 2 decimals and its sign ("+0.80", "-0.43", "0.00"). */
static int set_signed(struct json_object *o, const char *key, double x)
{
	char b[32], s[40];

	x = fin(x);
	chart_fmt_fixed(b, sizeof(b), x, 2);
	snprintf(s, sizeof(s), "%s%s", isfinite(x) && x > 0 ? "+" : "", b);
	return jset_str(o, key, s);
}

/* ---- sections ---- */

/* Knowledge: the Likert distributions pre and post, the dumbbell and the
 * table of tests. Also the retrospective comparison. */
static int sec_knowledge(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	size_t n = s->npaired;
	struct chart_likert_row *lk = calloc(2 * n + 1, sizeof(*lk));
	struct chart_dumbbell_row *db = calloc(n + 1, sizeof(*db));
	const char *scale[5] = {t(v, "dash_likert_1"), t(v, "dash_likert_2"),
	    t(v, "dash_likert_3"), t(v, "dash_likert_4"),
	    t(v, "dash_likert_5")};
	struct chart_common cc = {NULL, NULL, t(v, "dash_none_pairs"), v->rtl};
	struct json_object *sec, *rows;
	char id[96];
	size_t nl = 0;
	int rc = -1, small = 0;

	if (lk == NULL || db == NULL)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if ((sec = jnew_obj(data, "knowledge")) == NULL ||
	    (rows = jnew_arr(sec, "rows")) == NULL)
		goto out;
	{
		/* the words of the scale: the definition's own when it has them */
		const struct qdef_item *it = find_item(v->def,
		    s->paired[0].item->key);
		if (it && it->type == QDEF_LIKERT5 && it->scale &&
		    json_object_array_length(it->scale) == 5)
			for (int x = 0; x < 5; x++)
				scale[x] = qdef_text(v->def,
				    json_object_array_get_idx(it->scale, x),
				    v->lang);
	}
	for (size_t i = 0; i < n; i++) {
		const struct summary_test *e = &s->paired[i];
		const char *key = e->item->key;
		const struct summary_item *pre = sum_item(s, key, QDEF_PRE);
		const struct summary_item *post = sum_item(s, key, QDEF_POST);
		const char *ek = effect_key(e->rank_biserial);
		struct json_object *row;

		for (int k = 0; k < 2; k++) {
			const struct summary_item *it = k ? post : pre;
			lk[nl].label = k ? NULL : item_label(v, key);
			lk[nl].series = t(v, k ? "after" : "before");
			for (int x = 0; x < 5; x++) {
				char pt[4];
				snprintf(pt, sizeof(pt), "%d", x + 1);
				lk[nl].count[x] = dist_count(it, pt);
			}
			nl++;
		}
		db[i].label = item_label(v, key);
		db[i].pre = fin(e->first_mean);
		db[i].post = fin(e->post_mean);
		db[i].n = e->n;
		if (db[i].n < DASH_SMALL_SAMPLE)
			small = 1;
		if ((row = jpush(rows)) == NULL ||
		    jset_str(row, "item", key) ||
		    jset_str(row, "label", item_label(v, key)) ||
		    jset_int(row, "n", e->n) ||
		    set_fixed(row, "pre_mean", e->first_mean, 2) ||
		    set_fixed(row, "post_mean", e->post_mean, 2) ||
		    set_fixed(row, "pre_median",
			pre && pre->numeric ? pre->median : NAN, 1) ||
		    set_fixed(row, "post_median",
			post && post->numeric ? post->median : NAN, 1) ||
		    set_fixed(row, "median_diff", e->median_diff, 1) ||
		    set_fixed(row, "statistic", e->wilcoxon.statistic, 1) ||
		    set_p(row, "p_value", e->wilcoxon.p_value) ||
		    set_p(row, "p_holm", e->p_holm) ||
		    jset_str(row, "method",
			e->wilcoxon.method ? e->wilcoxon.method : "") ||
		    set_fixed(row, "r", e->rank_biserial, 2) ||
		    jset_str(row, "effect", ek ? t(v, ek) : CHART_NONE) ||
		    set_signed(row, "mean_diff", e->change.mean_diff) ||
		    set_ci(row, "diff_ci", &e->change.ci95, 2, 1, "") ||
		    dash_view_change_words(v, &e->change, row))
			goto out;
	}
	chart_id(v, id, sizeof(id), "likert", NULL);
	cc.id = id;
	cc.title = t(v, "dash_likert_title");
	cc.none = NULL;
	if (put_svg(sec, "likert_svg", "likert",
		chart_likert(&cc, scale, lk, nl)) != 0)
		goto out;
	chart_id(v, id, sizeof(id), "dumbbell", NULL);
	cc.title = t(v, "dash_dumbbell_title");
	cc.none = t(v, "dash_none_pairs");
	if (put_svg(sec, "dumbbell_svg", "dumbbell",
		chart_dumbbell(&cc, t(v, "before"), t(v, "after"), "n", 1, 5,
		    db, n)) != 0 ||
	    jset_bool(sec, "small", small))
		goto out;

	/* the retrospective comparison: post against "before, rated after" */
	{
		size_t m = s->nretro;
		struct json_object *rs, *rr;

		small = 0;
		if (m == 0) {
			rc = 0;
			goto out;
		}
		if (m > n) {
			free(db);
			if ((db = calloc(m, sizeof(*db))) == NULL)
				goto out;
		}
		if ((rs = jnew_obj(data, "retro")) == NULL ||
		    (rr = jnew_arr(rs, "rows")) == NULL)
			goto out;
		for (size_t i = 0; i < m; i++) {
			const struct summary_test *e = &s->retro[i];
			const char *key = e->item->key;
			const char *ek = effect_key(e->rank_biserial);
			struct json_object *row;

			db[i].label = item_label(v, key);
			db[i].pre = fin(e->first_mean);
			db[i].post = fin(e->post_mean);
			db[i].n = e->n;
			if (db[i].n < DASH_SMALL_SAMPLE)
				small = 1;
			if ((row = jpush(rr)) == NULL ||
			    jset_str(row, "item", key) ||
			    jset_str(row, "label", db[i].label) ||
			    jset_int(row, "n", db[i].n) ||
			    set_fixed(row, "retro_mean", db[i].pre, 2) ||
			    set_fixed(row, "post_mean", db[i].post, 2) ||
			    set_p(row, "p_value", e->wilcoxon.p_value) ||
			    set_fixed(row, "r", e->rank_biserial, 2) ||
			    jset_str(row, "effect", ek ? t(v, ek) : CHART_NONE) ||
			    set_signed(row, "shift",
				e->pre_vs_retro.change.mean_diff) ||
			    set_ci(row, "shift_ci",
				&e->pre_vs_retro.change.ci95, 2, 1, "") ||
			    set_p(row, "shift_p",
				e->pre_vs_retro.wilcoxon.p_value))
				goto out;
		}
		chart_id(v, id, sizeof(id), "retro", NULL);
		cc.title = t(v, "dash_retro_title");
		if (put_svg(rs, "svg", "dumbbell",
			chart_dumbbell(&cc, t(v, "dash_retro_before"),
			    t(v, "after"), "n", 1, 5, db, m)) != 0 ||
		    jset_bool(rs, "small", small))
			goto out;
	}
	rc = 0;
out:
	free(lk);
	free(db);
	return rc;
}

/* Quiz: share correct per item pre and post, mean scores, gain. */
static int sec_quiz(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	const struct summary_quiz *q = &s->quiz;
	size_t n = q->nitems;
	struct chart_paired_row *pr;
	struct chart_common cc = {NULL, t(v, "dash_quiz_title"),
	    t(v, "dash_none_pairs"), v->rtl};
	struct json_object *sec, *rows;
	long long np = q->n;
	char id[96];
	int rc = -1;

	if (n == 0)
		return 0;
	if ((pr = calloc(n, sizeof(*pr))) == NULL)
		return -1;
	if ((sec = jnew_obj(data, "quiz")) == NULL ||
	    (rows = jnew_arr(sec, "rows")) == NULL ||
	    jset_int(sec, "n", np) ||
	    set_fixed(sec, "pre_score", q->pre_mean_score, 2) ||
	    set_fixed(sec, "post_score", q->post_mean_score, 2) ||
	    jset_int(sec, "max_score", q->max_score) ||
	    set_fixed(sec, "gain", q->normalized_gain, 2) ||
	    jset_bool(sec, "small", np < DASH_SMALL_SAMPLE))
		goto out;
	/* the total score of each pair: change, interval, test */
	if (set_signed(sec, "total_diff", q->total.change.mean_diff) ||
	    set_ci(sec, "total_ci", &q->total.change.ci95, 2, 1, "") ||
	    set_p(sec, "total_p", q->total.wilcoxon.p_value) ||
	    dash_view_change_words(v, &q->total.change, sec))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct summary_quiz_item *e = &q->items[i];
		const char *key = e->item->key;
		struct json_object *row;

		pr[i].label = item_label(v, key);
		pr[i].pre = np ? (double)e->pre_correct / np : NAN;
		pr[i].post = np ? (double)e->post_correct / np : NAN;
		if ((row = jpush(rows)) == NULL || jset_str(row, "item", key) ||
		    jset_str(row, "label", pr[i].label) ||
		    jset_int(row, "pre_correct", e->pre_correct) ||
		    jset_int(row, "post_correct", e->post_correct) ||
		    set_pct(row, "pre_pct", pr[i].pre) ||
		    set_pct(row, "post_pct", pr[i].post) ||
		    set_p(row, "mcnemar_p", e->mcnemar_p) ||
		    set_p(row, "mcnemar_p_holm", e->mcnemar_p_holm))
			goto out;
	}
	chart_id(v, id, sizeof(id), "quiz", NULL);
	cc.id = id;
	if (put_svg(sec, "svg", "paired", chart_paired(&cc, t(v, "before"),
		t(v, "after"), pr, n)) != 0)
		goto out;
	rc = 0;
out:
	free(pr);
	return rc;
}

/* The agreement of an evaluation item (answers 4-5): "agree_words"
 * ("13 of 34 agree"), "agree_pct" and "agree_ci" in %. */
static int set_agree(const struct dash_view *v, struct json_object *row,
    const struct summary_eval *e)
{
	return set_words(v, row, "agree_words", "dash_agree_words",
		   e->agree.count, e->agree.n) ||
	    set_pct(row, "agree_pct", e->agree.share) ||
	    set_ci(row, "agree_ci", &e->agree.ci95, 0, 100, "%");
}

/* Evaluation means with their 95% interval; NPS. */
static int sec_evaluation(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	size_t n = s->nevaluation;
	struct chart_ci_row *cr = calloc(n + 1, sizeof(*cr));
	struct chart_common cc = {NULL, t(v, "dash_eval_title"),
	    t(v, "dash_none_ci"), v->rtl};
	struct json_object *sec, *rows;
	char id[96];
	int rc = -1, small = 0;

	if (cr == NULL)
		return -1;
	if (n > 0) {
		if ((sec = jnew_obj(data, "evaluation")) == NULL ||
		    (rows = jnew_arr(sec, "rows")) == NULL)
			goto out;
		for (size_t i = 0; i < n; i++) {
			const struct summary_eval *e = &s->evaluation[i];
			const char *key = e->item->key;
			struct json_object *row;

			cr[i].label = item_label(v, key);
			cr[i].mean = fin(e->mean);
			cr[i].ci_lo = ci_lo(&e->ci95);
			cr[i].ci_hi = ci_hi(&e->ci95);
			cr[i].n = e->n;
			if (cr[i].n < DASH_SMALL_SAMPLE)
				small = 1;
			if ((row = jpush(rows)) == NULL ||
			    jset_str(row, "item", key) ||
			    jset_str(row, "label", cr[i].label) ||
			    jset_int(row, "n", cr[i].n) ||
			    set_fixed(row, "mean", cr[i].mean, 2) ||
			    set_fixed(row, "ci_lo", cr[i].ci_lo, 2) ||
			    set_fixed(row, "ci_hi", cr[i].ci_hi, 2) ||
			    set_agree(v, row, e))
				goto out;
		}
		chart_id(v, id, sizeof(id), "eval", NULL);
		cc.id = id;
		if (put_svg(sec, "svg", "ci", chart_ci(&cc, t(v, "mean"),
			t(v, "dash_ci95"), "n", 1, 5, cr, n)) != 0 ||
		    jset_bool(sec, "small", small))
			goto out;
	}
	if (s->nps.present) {
		const struct summary_nps *nps = &s->nps;
		const char *names[3] = {t(v, "dash_detractors"),
		    t(v, "dash_passives"), t(v, "dash_promoters")};

		if ((sec = jnew_obj(data, "nps")) == NULL ||
		    jset_str(sec, "label", item_label(v, nps->item->key)) ||
		    jset_int(sec, "n", nps->n) ||
		    jset_int(sec, "promoters", nps->promoters) ||
		    jset_int(sec, "passives", nps->passives) ||
		    jset_int(sec, "detractors", nps->detractors) ||
		    set_fixed(sec, "score", nps->score, 1) ||
		    set_ci(sec, "ci", &nps->ci95, 1, 1, "") ||
		    jset_bool(sec, "small", nps->n < DASH_SMALL_SAMPLE))
			goto out;
		chart_id(v, id, sizeof(id), "nps", NULL);
		cc.id = id;
		cc.title = t(v, "dash_nps_title");
		cc.none = t(v, "dash_none_n0");
		if (put_svg(sec, "svg", "nps", chart_nps(&cc, names, "NPS",
			nps->detractors, nps->passives, nps->promoters,
			fin(nps->score))) != 0)
			goto out;
	}
	rc = 0;
out:
	free(cr);
	return rc;
}

/* Priority actions: Borda points sorted, top-3 share and first choices. */
static int sec_ranking(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	struct json_object *list;

	if (s->nranking == 0)
		return 0;
	if ((list = jnew_arr(data, "ranking")) == NULL ||
	    jset_bool(data, "has_ranking", 1))
		return -1;
	for (size_t i = 0; i < s->nranking; i++) {
		const struct summary_ranking *e = &s->ranking[i];
		const char *key = e->item->key;
		const struct qdef_item *it = find_item(v->def, key);
		size_t m = e->noptions;
		struct chart_bar_row *br = calloc(m + 1, sizeof(*br));
		char (*notes)[160] = calloc(m + 1, sizeof(*notes));
		struct chart_common cc = {NULL, item_label(v, key),
		    t(v, "dash_none_n0"), v->rtl};
		struct json_object *sec = NULL, *rows = NULL;
		char id[96], pct[32];
		int bad = 0;

		if (br == NULL || notes == NULL ||
		    (sec = jpush(list)) == NULL ||
		    (rows = jnew_arr(sec, "rows")) == NULL ||
		    jset_str(sec, "item", key) ||
		    jset_str(sec, "label", item_label(v, key)) ||
		    jset_int(sec, "n", e->n) ||
		    jset_bool(sec, "small", e->n < DASH_SMALL_SAMPLE))
			bad = 1;
		for (size_t j = 0; !bad && j < m; j++) {
			const struct summary_rank_option *o = &e->options[j];
			struct json_object *row;

			chart_fmt_pct(pct, sizeof(pct), fin(o->top3_share));
			snprintf(notes[j], sizeof(notes[j]), "%s %s \xc2\xb7 %s %lld",
			    t(v, "dash_top3"), pct, t(v, "dash_first"),
			    o->first);
			br[j].label = option_label(v, it, o->option);
			br[j].value = (double)o->borda;
			br[j].decimals = 0;
			br[j].note = notes[j];
			if ((row = jpush(rows)) == NULL ||
			    jset_str(row, "option", o->option) ||
			    jset_str(row, "label", br[j].label) ||
			    set_fixed(row, "borda", br[j].value, 0) ||
			    jset_str(row, "top3", pct) ||
			    jset_int(row, "first", o->first))
				bad = 1;
		}
		chart_id(v, id, sizeof(id), "rank-", key);
		cc.id = id;
		if (!bad && put_svg(sec, "svg", "bars", chart_bars(&cc,
			t(v, "dash_borda"), br, m, 1)) != 0)
			bad = 1;
		free(br);
		free(notes);
		if (bad)
			return -1;
	}
	return 0;
}

/* Collaboration: the distribution of each single/multi collaboration item
 * (post), in option order. */
static int sec_collaboration(const struct dash_view *v,
    const struct summary *s, struct json_object *data)
{
	const struct qdef_instrument *in = &v->def->instruments[QDEF_POST];
	struct json_object *list = NULL;

	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		const struct summary_item *e = sum_item(s, it->key, QDEF_POST);
		struct chart_bar_row *br;
		struct chart_common cc = {NULL, NULL, NULL, v->rtl};
		struct json_object *sec;
		char id[96];
		int bad = 0;

		if (it->role != QDEF_ROLE_COLLABORATION || it->consent ||
		    (it->type != QDEF_SINGLE && it->type != QDEF_MULTI) ||
		    e == NULL)
			continue;
		if (list == NULL &&
		    ((list = jnew_arr(data, "collaboration")) == NULL ||
			jset_bool(data, "has_collaboration", 1)))
			return -1;
		if ((br = calloc(it->noptions + 1, sizeof(*br))) == NULL)
			return -1;
		for (size_t j = 0; j < it->noptions; j++) {
			br[j].label = qdef_text(v->def, it->options[j].label,
			    v->lang);
			br[j].value = (double)dist_count(e,
			    it->options[j].value);
		}
		chart_id(v, id, sizeof(id), "collab-", it->key);
		cc.id = id;
		cc.title = qdef_text(v->def, it->label, v->lang);
		if ((sec = jpush(list)) == NULL ||
		    jset_str(sec, "label", cc.title) ||
		    jset_int(sec, "n", e->n) ||
		    put_svg(sec, "svg", "bars", chart_bars(&cc,
			t(v, "responses"), br, it->noptions, 0)) != 0)
			bad = 1;
		free(br);
		if (bad)
			return -1;
	}
	return 0;
}

/* One follow-up comparison (paired_pre or paired_post) as table rows. */
static int followup_rows(const struct dash_view *v, struct json_object *sec,
    const char *key, const struct summary_test *e, size_t n)
{
	struct json_object *rows = jnew_arr(sec, key), *row;

	for (size_t i = 0; rows && i < n; i++)
		if ((row = jpush(rows)) == NULL ||
		    jset_str(row, "item", e[i].item->key) ||
		    jset_str(row, "label", item_label(v, e[i].item->key)) ||
		    jset_int(row, "n", e[i].n) ||
		    set_fixed(row, "first_mean", e[i].first_mean, 2) ||
		    set_fixed(row, "followup_mean", e[i].post_mean, 2) ||
		    set_signed(row, "mean_diff", e[i].change.mean_diff) ||
		    set_ci(row, "diff_ci", &e[i].change.ci95, 2, 1, "") ||
		    set_p(row, "p_value", e[i].wilcoxon.p_value) ||
		    set_p(row, "p_holm", e[i].p_holm) ||
		    dash_view_change_words(v, &e[i].change, row))
			return -1;
	return rows ? 0 : -1;
}

/* The follow-up (issue 24), when it has answers: its counts, knowledge
 * against pre and against post, and the outcome items' shares. */
static int sec_followup(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	const struct summary_followup *f = &s->followup;
	struct json_object *sec, *outs, *o, *opts, *op;
	struct buf b = BUF_INIT;
	char num[3][24];
	const char *p;

	if (!f->present || f->n == 0)
		return 0;
	snprintf(num[0], sizeof(num[0]), "%lld", f->n);
	snprintf(num[1], sizeof(num[1]), "%lld", f->paired_pre);
	snprintf(num[2], sizeof(num[2]), "%lld", f->paired_post);
	/* "{n} ... {pre} ... {post}" in the page's language */
	for (p = t(v, "dash_followup_counts"); *p;) {
		if (strncmp(p, "{n}", 3) == 0) {
			buf_puts(&b, num[0]);
			p += 3;
		} else if (strncmp(p, "{pre}", 5) == 0) {
			buf_puts(&b, num[1]);
			p += 5;
		} else if (strncmp(p, "{post}", 6) == 0) {
			buf_puts(&b, num[2]);
			p += 6;
		} else
			buf_putc(&b, *p++);
	}
	if (b.oom || (sec = jnew_obj(data, "followup")) == NULL ||
	    jset_str(sec, "counts_text", buf_cstr(&b)) ||
	    jset_int(sec, "n", f->n) ||
	    jset_int(sec, "paired_pre", f->paired_pre) ||
	    jset_int(sec, "paired_post", f->paired_post) ||
	    jset_bool(sec, "has_vs_pre", f->nvs_pre > 0) ||
	    jset_bool(sec, "has_vs_post", f->nvs_post > 0) ||
	    jset_bool(sec, "has_outcomes", f->noutcomes > 0) ||
	    jset_bool(sec, "small", f->n < DASH_SMALL_SAMPLE) ||
	    followup_rows(v, sec, "vs_pre", f->vs_pre, f->nvs_pre) ||
	    followup_rows(v, sec, "vs_post", f->vs_post, f->nvs_post) ||
	    (outs = jnew_arr(sec, "outcomes")) == NULL) {
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	for (size_t i = 0; i < f->noutcomes; i++) {
		const struct summary_outcome *e = &f->outcomes[i];

		if ((o = jpush(outs)) == NULL ||
		    jset_str(o, "item", e->item->key) ||
		    jset_str(o, "label", qdef_text(v->def, e->item->label,
			v->lang)) ||
		    jset_int(o, "n", e->n) ||
		    (opts = jnew_arr(o, "options")) == NULL)
			return -1;
		for (size_t k = 0; k < e->noptions; k++)
			if ((op = jpush(opts)) == NULL ||
			    jset_str(op, "option", e->options[k].option) ||
			    jset_str(op, "label", option_label(v, e->item,
				e->options[k].option)) ||
			    jset_int(op, "count", e->options[k].count) ||
			    set_pct(op, "share", e->options[k].share) ||
			    set_ci(op, "ci", &e->options[k].ci95, 0, 100, "%"))
				return -1;
	}
	return 0;
}

int dash_view_figures(const struct dash_view *v, const struct summary *s,
    struct json_object *data)
{
	return sec_knowledge(v, s, data) || sec_quiz(v, s, data) ||
	    sec_evaluation(v, s, data) || sec_ranking(v, s, data) ||
	    sec_collaboration(v, s, data) || sec_followup(v, s, data) ? -1 : 0;
}

int dash_view_filters(const struct dash_view *v,
    const struct summary_filters *f, struct json_object *data)
{
	const struct qdef_instrument *in = &v->def->instruments[QDEF_PRE];
	struct json_object *list = jnew_arr(data, "filters");

	if (list == NULL)
		return -1;
	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		const char *cur = summary_filters_get(f, it->key);
		struct json_object *o, *opts;

		if (it->role != QDEF_ROLE_PROFILE || it->type != QDEF_SINGLE)
			continue;
		if ((o = jpush(list)) == NULL || jset_str(o, "key", it->key) ||
		    jset_str(o, "label", qdef_text(v->def, it->label,
			v->lang)) ||
		    (opts = jnew_arr(o, "options")) == NULL)
			return -1;
		for (size_t j = 0; j < it->noptions; j++) {
			struct json_object *p = jpush(opts);
			if (p == NULL ||
			    jset_str(p, "value", it->options[j].value) ||
			    jset_str(p, "label", qdef_text(v->def,
				it->options[j].label, v->lang)) ||
			    jset_bool(p, "selected", cur &&
				strcmp(cur, it->options[j].value) == 0))
				return -1;
		}
	}
	return jset_bool(data, "filtered", f->n > 0) ||
	    jset_bool(data, "has_filters", json_object_array_length(list) > 0);
}

/* Counts and response rates. A rate says what it is against: the
 * attendance of the event when the organiser set it (pre, post and paired
 * responses per attendee); always the share of pre respondents who also
 * answered post (paired / pre, never above 100 %: post / pre could be, with
 * unpaired post responses). Badge codes are shown as codes used, not as a
 * rate of the event: attendees may answer with codes of their own. */
int dash_view_counts(const struct dash_view *v, const struct summary *s,
    const struct store_dash_preissued *pi, struct json_object *data)
{
	long long pre = s->counts.pre, post = s->counts.post;
	long long paired = s->counts.paired, att = pi->attendance;
	struct json_object *o;

	(void)v;
	if ((o = jnew_obj(data, "counts")) == NULL ||
	    jset_int(o, "pre", pre) || jset_int(o, "post", post) ||
	    jset_int(o, "paired", paired) ||
	    jset_bool(o, "has_attendance", att > 0) ||
	    jset_int(o, "attendance", att) ||
	    set_pct(o, "pre_att_rate", att ? (double)pre / att : NAN) ||
	    set_pct(o, "post_att_rate", att ? (double)post / att : NAN) ||
	    set_pct(o, "paired_att_rate", att ? (double)paired / att : NAN) ||
	    set_pct(o, "paired_rate", pre ? (double)paired / pre : NAN) ||
	    jset_bool(o, "has_issued", pi->issued > 0) ||
	    jset_int(o, "issued", pi->issued) ||
	    jset_int(o, "issued_pre", pi->used_pre) ||
	    jset_int(o, "issued_post", pi->used_post) ||
	    jset_bool(o, "small", summary_participants(s) < DASH_SMALL_SAMPLE))
		return -1;
	return 0;
}

int dash_view_replica(const struct store_replica *rep,
    struct json_object *data)
{
	struct json_object *o;
	char lag[32] = "";

	if (!rep->standby)
		return 0; /* the primary itself */
	if (rep->lag_known)
		snprintf(lag, sizeof(lag), "%.1f", rep->lag);
	if ((o = jnew_obj(data, "replica")) == NULL || jset_str(o, "lag", lag) ||
	    jset_bool(o, "known", lag[0] != '\0'))
		return -1;
	return 0;
}

int dash_view_fold(long long lag_ms, long long pending,
    struct json_object *data)
{
	struct json_object *o;

	if ((o = jnew_obj(data, "fold")) == NULL ||
	    jset_int(o, "lag_ms", lag_ms) || jset_int(o, "pending", pending))
		return -1;
	return 0;
}

int dash_comment_keys(const struct qdef *def, struct dash_comment_keys *out)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < QDEF_KIND__MAX; k++)
		cap += def->instruments[k].present ?
		    def->instruments[k].nitems : 0;
	out->names = calloc(cap + 1, sizeof(*out->names));
	out->v = calloc(cap + 1, sizeof(*out->v));
	if (out->names == NULL || out->v == NULL) {
		dash_comment_keys_free(out);
		return -1;
	}
	/* post first: its texts are the workshop's comments */
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_instrument *in = &def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			char *f = out->names[out->n];
			int dup = 0;

			if (it->personal)
				continue;
			if (it->type == QDEF_TEXT || it->type == QDEF_LONGTEXT)
				snprintf(f, sizeof(out->names[0]), "%s",
				    it->key);
			else if (it->other)
				snprintf(f, sizeof(out->names[0]), "%s.other",
				    it->key);
			else
				continue;
			for (size_t j = 0; j < out->n; j++)
				dup |= strcmp(out->v[j], f) == 0;
			if (!dup) {
				out->v[out->n] = f;
				out->n++;
			}
		}
	}
	return 0;
}

void dash_comment_keys_free(struct dash_comment_keys *k)
{
	free(k->names);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

int dash_view_comments(const struct dash_view *v,
    const struct store_dash_comments *c, struct json_object *data)
{
	struct json_object *list, *entries = NULL;
	const char *prev = NULL;

	if ((list = jnew_arr(data, "comments")) == NULL)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct store_dash_comment *row = &c->v[i];
		struct json_object *e;

		if (prev == NULL || strcmp(row->item, prev) != 0) {
			char base[QDEF_FIELD_MAX + 8];
			char *dot;
			const struct qdef_item *it;
			struct json_object *grp;

			prev = row->item;
			snprintf(base, sizeof(base), "%s", row->item);
			if ((dot = strchr(base, '.')) != NULL)
				*dot = '\0';
			it = find_item(v->def, base);
			if ((grp = jpush(list)) == NULL ||
			    jset_str(grp, "item", row->item) ||
			    jset_int(grp, "total", row->total) ||
			    jset_bool(grp, "more", row->total > 1000) ||
			    jset_str(grp, "label", it ? qdef_text(v->def,
				it->label, v->lang) : row->item) ||
			    jset_bool(grp, "other", dot != NULL) ||
			    (entries = jnew_arr(grp, "entries")) == NULL)
				return -1;
		}
		if ((e = jpush(entries)) == NULL ||
		    jset_str(e, "text", row->text) ||
		    jset_str(e, "instrument", t(v,
			strcmp(row->instrument, "pre") == 0 ? "before" :
			"after")))
			return -1;
	}
	return 0;
}

int dash_view_contacts(const struct dash_view *v,
    const struct store_dash_contacts *c, struct json_object *data)
{
	const struct qdef_item *interest = qdef_interest_item(v->def);
	struct json_object *list;

	if ((list = jnew_arr(data, "contacts")) == NULL ||
	    jset_bool(data, "show_contacts", 1) ||
	    /* the page shows the first 200; contacts.csv has them all */
	    jset_bool(data, "contacts_more", c->n > 200))
		return -1;
	for (size_t i = 0; i < c->n && i < 200; i++) {
		const struct store_dash_contact *row = &c->v[i];
		struct json_object *e = jpush(list);
		if (e == NULL ||
		    jset_str(e, "label", item_label(v, row->item)) ||
		    jset_str(e, "value", row->value) ||
		    jset_str(e, "interest", row->interest == NULL ? CHART_NONE :
			option_label(v, interest, row->interest)) ||
		    jset_str(e, "date", row->date))
			return -1;
	}
	return 0;
}

/* A string member of a definition's JSON object, or "". Borrowed. */
static const char *def_str(struct json_object *o, const char *key)
{
	struct json_object *x = NULL;

	return o && json_object_object_get_ex(o, key, &x) &&
		json_object_is_type(x, json_type_string) ?
	    json_object_get_string(x) : "";
}

int dash_view_event(const struct dash_view *v, const char *slug, int admin,
    struct json_object *data)
{
	struct json_object *city = NULL, *l;
	const char *cc = def_str(v->def->place, "country");
	char href[160], place[256];

	if (v->def->place)
		json_object_object_get_ex(v->def->place, "city", &city);
	snprintf(place, sizeof(place), "%s%s%s",
	    city ? qdef_text(v->def, city, v->lang) : "", cc[0] ? ", " : "",
	    cc);
	if (jset_str(data, "slug", slug) ||
	    jset_str(data, "event_title", qdef_text(v->def, v->def->title,
		v->lang)) ||
	    jset_str(data, "date_start", v->def->date_start) ||
	    jset_str(data, "date_end", v->def->date_end) ||
	    jset_str(data, "place", place) ||
	    (l = jnew_obj(data, "links")) == NULL)
		return -1;
#define LINK(key, fmt)                                                       \
	do {                                                                 \
		snprintf(href, sizeof(href), fmt, slug);                     \
		if (jset_str(l, key, href))                                  \
			return -1;                                           \
	} while (0)
	LINK("dashboard", "/admin/e/%s");
	LINK("report", "/admin/e/%s/report");
	LINK("csv_long", "/admin/e/%s/export.csv?format=long");
	LINK("csv_wide", "/admin/e/%s/export.csv?format=wide");
	LINK("csv_long_excel", "/admin/e/%s/export.csv?format=long&excel=1");
	LINK("csv_wide_excel", "/admin/e/%s/export.csv?format=wide&excel=1");
	LINK("json", "/admin/e/%s/export.json");
	LINK("codebook", "/admin/e/%s/codebook.csv");
	LINK("results_xlsx", "/admin/e/%s/results.xlsx");
	LINK("analysis_r", "/admin/e/%s/analysis.R");
	LINK("labels_sps", "/admin/e/%s/labels.sps");
	if (admin) {
		LINK("setup", "/admin/e/%s/setup");
		LINK("live", "/admin/e/%s/live");
		LINK("paper_pre", "/admin/e/%s/paper/pre");
		LINK("paper_post", "/admin/e/%s/paper/post");
		LINK("entry_pre", "/admin/e/%s/entry/pre");
		LINK("entry_post", "/admin/e/%s/entry/post");
		LINK("codes", "/admin/e/%s/codes");
		LINK("contacts", "/admin/e/%s/contacts.csv");
		LINK("poster", "/admin/e/%s/poster");
		LINK("erase", "/admin/e/%s/erase");
		LINK("audit", "/admin/audit?event=%s");
	}
#undef LINK
	return 0;
}

/* ---- comparison ---- */

/* 1 when every event's definition has key with the same type. */
static int shared_item(const struct dash_cmp_event *ev, int n,
    const char *key, enum qdef_type type)
{
	for (int i = 0; i < n; i++) {
		const struct qdef_item *it = find_item(ev[i].def, key);
		if (it == NULL || it->type != type)
			return 0;
	}
	return 1;
}

static const struct summary_test *paired_of(const struct summary *s,
    const char *key)
{
	for (size_t i = 0; i < s->npaired; i++)
		if (strcmp(s->paired[i].item->key, key) == 0)
			return &s->paired[i];
	return NULL;
}

static const struct summary_eval *eval_of(const struct summary *s,
    const char *key)
{
	for (size_t i = 0; i < s->nevaluation; i++)
		if (strcmp(s->evaluation[i].item->key, key) == 0)
			return &s->evaluation[i];
	return NULL;
}

/* Rows of a comparison table: for each item of role in the first event
 * shared by all, one cell per shown event (knowledge: paired[], with the
 * dumbbell rows; evaluation: evaluation[]). */
static int cmp_rows(const struct dash_view *v0, const struct dash_view *vs,
    const struct dash_cmp_event *ev, int n, enum qdef_role role,
    struct json_object *list, struct chart_dumbbell_row *dbr,
    const char **dbitem, size_t *ndb)
{
	const struct qdef_instrument *in = &ev[0].def->instruments[QDEF_POST];

	for (size_t i = 0; in->present && i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i];
		struct json_object *row, *cells;

		if (it->role != role || !shared_item(ev, n, it->key, it->type))
			continue;
		if ((row = jpush(list)) == NULL ||
		    jset_str(row, "item", it->key) ||
		    jset_str(row, "label", qdef_text(v0->def, it->label,
			v0->lang)) ||
		    (cells = jnew_arr(row, "events")) == NULL)
			return -1;
		for (int k = 0; k < n; k++) {
			const struct summary_test *p = NULL;
			const struct summary_eval *e = NULL;
			const struct summary_ci *ci;
			struct json_object *c;
			long long cn;

			if (ev[k].hidden)
				continue;
			if (role == QDEF_ROLE_KNOWLEDGE)
				p = paired_of(ev[k].sum, it->key);
			else
				e = eval_of(ev[k].sum, it->key);
			ci = p ? &p->change.ci95 : e ? &e->ci95 : NULL;
			cn = p ? p->n : e ? e->n : 0;
			if ((c = jpush(cells)) == NULL ||
			    jset_str(c, "slug", ev[k].slug) ||
			    jset_int(c, "n", cn) ||
			    set_fixed(c, "pre_mean", p ? p->first_mean : NAN, 2) ||
			    set_fixed(c, "post_mean", p ? p->post_mean : NAN, 2) ||
			    set_fixed(c, "mean", e ? e->mean : NAN, 2) ||
			    set_fixed(c, "ci_lo", ci_lo(ci), 2) ||
			    set_fixed(c, "ci_hi", ci_hi(ci), 2) ||
			    set_p(c, "p_holm", p ? p->p_holm : NAN) ||
			    set_signed(c, "mean_diff",
				p ? p->change.mean_diff : NAN) ||
			    set_ci(c, "ci", ci, 2, 1, "") ||
			    (e && set_agree(&vs[k], c, e)))
				return -1;
			if (dbr) {
				dbitem[*ndb] = qdef_text(v0->def, it->label,
				    v0->lang);
				dbr[*ndb].label = ev[k].slug;
				dbr[*ndb].pre = p ? fin(p->first_mean) : NAN;
				dbr[*ndb].post = p ? fin(p->post_mean) : NAN;
				dbr[*ndb].n = cn;
				(*ndb)++;
			}
		}
	}
	return 0;
}

int dash_view_compare(const char *ui, const struct dash_cmp_event *ev, int n,
    struct json_object *data)
{
	struct dash_view *vs = calloc((size_t)n + 1, sizeof(*vs));
	struct json_object *evs, *know, *eval;
	struct chart_dumbbell_row *dbr = NULL;
	const char **dbitem = NULL; /* each dumbbell row's item label */
	struct buf *lb = NULL;
	size_t ndb = 0;
	int rc = -1;

	if (vs == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		dash_view_init(&vs[i], ev[i].def, ui, NULL);
	if ((evs = jnew_arr(data, "events")) == NULL ||
	    (know = jnew_arr(data, "knowledge")) == NULL ||
	    (eval = jnew_arr(data, "evaluation")) == NULL)
		goto out;
	for (int i = 0; i < n; i++) {
		const struct summary *s = ev[i].sum;
		const struct summary_nps *nps = &s->nps;
		struct json_object *e = jpush(evs);
		if (e == NULL || jset_str(e, "slug", ev[i].slug) ||
		    jset_str(e, "title", qdef_text(ev[i].def, ev[i].def->title,
			vs[i].lang)) ||
		    jset_str(e, "date_start", ev[i].def->date_start) ||
		    jset_int(e, "pre", s->counts.pre) ||
		    jset_int(e, "post", s->counts.post) ||
		    jset_int(e, "paired", s->counts.paired) ||
		    jset_bool(e, "hidden", ev[i].hidden) ||
		    jset_int(e, "nps_n", nps->present ? nps->n : 0) ||
		    set_fixed(e, "nps_score", nps->present ? nps->score : NAN,
			1) ||
		    set_ci(e, "nps_ci", nps->present ? &nps->ci95 : NULL, 1, 1,
			"") ||
		    jset_int(e, "promoters", nps->present ? nps->promoters : 0) ||
		    jset_int(e, "passives", nps->present ? nps->passives : 0) ||
		    jset_int(e, "detractors",
			nps->present ? nps->detractors : 0))
			goto out;
	}
	{
		const struct qdef_instrument *in =
		    &ev[0].def->instruments[QDEF_POST];
		dbr = calloc((in->nitems + 1) * (size_t)n, sizeof(*dbr));
		dbitem = calloc((in->nitems + 1) * (size_t)n, sizeof(*dbitem));
	}
	if (dbr == NULL || dbitem == NULL ||
	    cmp_rows(&vs[0], vs, ev, n, QDEF_ROLE_KNOWLEDGE, know, dbr, dbitem,
		&ndb) ||
	    cmp_rows(&vs[0], vs, ev, n, QDEF_ROLE_EVALUATION, eval, NULL, NULL,
		NULL))
		goto out;
	if (ndb > 0) {
		/* one dumbbell: per shared item, one row per event, the item
		 * named in the row label */
		struct chart_common cc = {"ch-compare",
		    i18n_get(ui, "dash_dumbbell_title"),
		    i18n_get(ui, "dash_none_pairs"), strcmp(ui, "ar") == 0};
		int bad = 0;

		if ((lb = calloc(ndb, sizeof(*lb))) == NULL)
			goto out;
		for (size_t i = 0; i < ndb; i++) {
			buf_printf(&lb[i], "%s \xe2\x80\x94 %s", dbitem[i],
			    dbr[i].label);
			dbr[i].label = buf_cstr(&lb[i]);
		}
		for (size_t i = 0; i < ndb; i++)
			bad |= lb[i].oom;
		if (bad || put_svg(data, "knowledge_svg", "dumbbell",
			       chart_dumbbell(&cc, i18n_get(ui, "before"),
				   i18n_get(ui, "after"), "n", 1, 5, dbr,
				   ndb)) != 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; lb && i < ndb; i++)
		buf_free(&lb[i]);
	free(lb);
	free(dbr);
	free(dbitem);
	free(vs);
	return rc;
}
