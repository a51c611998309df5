/* report_view.c: the donor's report model as template data (report_view.h).
 * Sentences come from the catalog's patterns (templates/i18n/LANG/
 * report.json) with named placeholders ("{pre}") filled with figures
 * formatted by the chart module; the renderer escapes them. */
#include "report_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chart.h"
#include "i18n.h"
#include "page.h"

static const char *t(const struct dash_view *v, const char *key)
{
	return i18n_get(v->ui, key);
}

static double fin(double x)
{
	return isfinite(x) ? x : NAN;
}

/* ---- figures as text ---- */

struct fig {
	char s[96];
};

static const char *fx(struct fig *f, double x, int d)
{
	return chart_fmt_fixed(f->s, sizeof(f->s), fin(x), d);
}

static const char *fpct(struct fig *f, double share)
{
	return chart_fmt_pct(f->s, sizeof(f->s), fin(share));
}

static const char *fp(struct fig *f, double p)
{
	return chart_fmt_p(f->s, sizeof(f->s), fin(p));
}

static const char *fll(struct fig *f, long long x)
{
	snprintf(f->s, sizeof(f->s), "%lld", x);
	return f->s;
}

static const char *fsigned(struct fig *f, double x, int d)
{
	char b[40];

	chart_fmt_fixed(b, sizeof(b), fin(x), d);
	snprintf(f->s, sizeof(f->s), "%s%s",
	    isfinite(x) && x > 0 && strcmp(b, "0.00") != 0 ? "+" : "", b);
	return f->s;
}

static const char *fci(struct fig *f, const struct summary_ci *ci, int d,
    double scale, const char *unit)
{
	char lo[24], hi[24];

	if (ci == NULL || !ci->defined)
		return CHART_NONE;
	chart_fmt_fixed(lo, sizeof(lo), fin(ci->lo) * scale, d);
	chart_fmt_fixed(hi, sizeof(hi), fin(ci->hi) * scale, d);
	snprintf(f->s, sizeof(f->s), "[%s%s; %s%s]", lo, unit, hi, unit);
	return f->s;
}

/* The catalog pattern key with each "{name}" replaced by its value, set
 * under o[key] (plain text: the template escapes it). names and values
 * end with NULL. */
static int fill(const struct dash_view *v, struct json_object *o,
    const char *key, const char *pattern_key, const char *const *names,
    const char *const *values)
{
	const char *p = t(v, pattern_key);
	struct buf b = BUF_INIT;
	int rc;

	while (*p) {
		int done = 0;
		if (*p == '{')
			for (size_t i = 0; names[i]; i++) {
				size_t len = strlen(names[i]);
				if (strncmp(p + 1, names[i], len) == 0 &&
				    p[len + 1] == '}') {
					buf_puts(&b, values[i]);
					p += len + 2;
					done = 1;
					break;
				}
			}
		if (!done)
			buf_putc(&b, *p++);
	}
	rc = b.oom ? -1 : jset_str(o, key, buf_cstr(&b));
	buf_free(&b);
	return rc;
}

/* A text paragraph {text} appended to arr from a pattern. */
static int para(const struct dash_view *v, struct json_object *arr,
    const char *pattern_key, const char *const *names,
    const char *const *values)
{
	struct json_object *o = jpush(arr);

	return o == NULL ? -1 : fill(v, o, "text", pattern_key, names, values);
}

static const char *const NONAMES[] = {NULL};

/* ---- the definition ---- */

static const struct qdef_item *find_item(const struct qdef *def,
    const char *key)
{
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_item *it;
		if (def->instruments[k].present &&
		    (it = qdef_item(&def->instruments[k], key)) != NULL)
			return it;
	}
	return NULL;
}

static const char *label_of(const struct dash_view *v, const char *key)
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

/* ---- sections ---- */

static int sec_cover(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	struct json_object *c = jnew_obj(data, "cover");
	const struct report_facts *f = rep->facts;

	return c == NULL ||
	    jset_str(c, "host", v->def->host ? qdef_text(v->def,
		v->def->host, v->lang) : "") ||
	    jset_bool(c, "has_host", v->def->host != NULL) ||
	    jset_str(c, "generated_at", f->generated_at) ||
	    jset_str(c, "data_as_of", f->data_as_of[0] ? f->data_as_of :
		CHART_NONE) ||
	    jset_bool(data, "rtl", v->rtl) ||
	    jset_str(data, "lang", v->ui) ? -1 : 0;
}

int report_view_keyfigs(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	const struct report_exec *e = &rep->exec;
	const struct summary *s = rep->sum;
	struct json_object *list = jnew_arr(data, "keyfigs");
	struct fig f[6];
	struct {
		const char *key, *value;
	} row[6];
	size_t n = 0;

	if (list == NULL)
		return -1;
	/* each figure in its own buffer: they are read after the loop */
	row[n].key = "report_kf_participants";
	row[n].value = fll(&f[n], e->participants);
	n++;
	row[n].key = "report_kf_paired";
	row[n].value = fll(&f[n], e->paired);
	n++;
	if (e->attendance > 0) {
		row[n].key = "report_kf_rate";
		row[n].value = fpct(&f[n], e->pre_rate);
		n++;
	}
	if (!s->restricted && e->knowledge_items > 0) {
		row[n].key = "report_kf_knowledge";
		row[n].value = fsigned(&f[n], e->knowledge_diff, 2);
		n++;
	}
	if (!s->restricted && e->has_quiz) {
		row[n].key = "report_kf_quiz";
		row[n].value = fx(&f[n], e->quiz_gain, 2);
		n++;
	}
	if (!s->restricted && s->nps.present) {
		row[n].key = "report_kf_nps";
		row[n].value = fx(&f[n], s->nps.score, 1);
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = jpush(list);
		if (o == NULL || jset_str(o, "label", t(v, row[i].key)) ||
		    jset_str(o, "value", row[i].value) ||
		    jset_str(o, "id", row[i].key + strlen("report_kf_")))
			return -1;
	}
	return 0;
}

static int sec_exec(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	const struct report_exec *e = &rep->exec;
	const struct summary *s = rep->sum;
	struct json_object *x = jnew_obj(data, "exec"), *p, *list;
	struct fig f[8];

	if (x == NULL || (p = jnew_arr(x, "paras")) == NULL)
		return -1;
	{
		const char *n[] = {"participants", "pre", "post", "paired",
		    "retention", NULL};
		const char *val[] = {fll(&f[0], e->participants),
		    fll(&f[1], e->pre), fll(&f[2], e->post),
		    fll(&f[3], e->paired), fpct(&f[4], e->retention), NULL};
		if (para(v, p, "report_exec_participation", n, val))
			return -1;
	}
	if (e->attendance > 0) {
		const char *n[] = {"attendance", "pre_rate", "post_rate",
		    "paired_rate", NULL};
		const char *val[] = {fll(&f[0], e->attendance),
		    fpct(&f[1], e->pre_rate), fpct(&f[2], e->post_rate),
		    fpct(&f[3], e->paired_rate), NULL};
		if (para(v, p, "report_exec_rates", n, val))
			return -1;
	} else if (para(v, p, "report_exec_no_attendance", NONAMES, NONAMES))
		return -1;
	if (s->restricted)
		return para(v, p, "dash_restricted", NONAMES, NONAMES);
	if (e->knowledge_items > 0) {
		const char *n[] = {"items", "pairs", "pre", "post", "diff",
		    "significant", NULL};
		const char *val[] = {fll(&f[0], (long long)e->knowledge_items),
		    fll(&f[1], e->knowledge_pairs), fx(&f[2], e->knowledge_pre, 2),
		    fx(&f[3], e->knowledge_post, 2),
		    fsigned(&f[4], e->knowledge_diff, 2),
		    fll(&f[5], (long long)e->knowledge_significant), NULL};
		if (fill(v, x, "exec_knowledge", "report_exec_knowledge", n, val))
			return -1;
	}
	if (e->has_quiz) {
		const char *n[] = {"n", "pre", "post", "max", "gain", "p", NULL};
		char pv[128];
		const char *val[] = {fll(&f[0], e->quiz_n), fx(&f[1], e->quiz_pre, 2),
		    fx(&f[2], e->quiz_post, 2), fll(&f[3], e->quiz_max),
		    fx(&f[4], e->quiz_gain, 2), pv, NULL};

		/* "p {p}": "= 0.012" or "< 0.001" */
		fp(&f[5], e->quiz_p);
		snprintf(pv, sizeof(pv), "%s%s", f[5].s[0] == '<' ? "" : "= ",
		    f[5].s);
		if (fill(v, x, "exec_quiz", "report_exec_quiz", n, val))
			return -1;
	}
	if (s->nevaluation > 0) {
		if ((list = jnew_arr(x, "agree")) == NULL ||
		    jset_bool(x, "has_agree", 1))
			return -1;
		for (size_t i = 0; i < s->nevaluation; i++) {
			const struct summary_eval *ev = &s->evaluation[i];
			struct json_object *o = jpush(list);
			if (o == NULL ||
			    jset_str(o, "label", label_of(v, ev->item->key)) ||
			    jset_str(o, "item", ev->item->key) ||
			    jset_str(o, "pct", fpct(&f[0], ev->agree.share)) ||
			    jset_str(o, "ci", fci(&f[1], &ev->agree.ci95, 0, 100,
				"%")) ||
			    jset_str(o, "mean", fx(&f[2], ev->mean, 2)) ||
			    jset_int(o, "n", ev->agree.n))
				return -1;
		}
	}
	if (s->nps.present) {
		const char *n[] = {"score", "ci", "n", "promoters",
		    "detractors", NULL};
		const char *val[] = {fx(&f[0], s->nps.score, 1),
		    fci(&f[1], &s->nps.ci95, 1, 1, ""), fll(&f[2], s->nps.n),
		    fll(&f[3], s->nps.promoters), fll(&f[4], s->nps.detractors),
		    NULL};
		if (fill(v, x, "exec_nps", "report_exec_nps", n, val))
			return -1;
	}
	if (e->ranking && e->ntop > 0) {
		const struct qdef_item *it = find_item(v->def,
		    e->ranking->item->key);
		if ((list = jnew_arr(x, "actions")) == NULL ||
		    jset_bool(x, "has_actions", 1) ||
		    jset_int(x, "actions_n", e->ranking->n))
			return -1;
		for (size_t i = 0; i < e->ntop; i++) {
			const struct summary_rank_option *o =
			    &e->ranking->options[i];
			struct json_object *a = jpush(list);
			if (a == NULL || jset_int(a, "rank", (long long)i + 1) ||
			    jset_str(a, "label", option_label(v, it, o->option)) ||
			    jset_str(a, "borda", fll(&f[0], o->borda)) ||
			    jset_str(a, "top3", fpct(&f[1], o->top3_share)))
				return -1;
		}
	}
	return 0;
}

static int sec_method(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	struct json_object *m = jnew_obj(data, "method"), *p;
	const struct qdef *d = v->def;
	struct fig f[4];
	long long npre = 0, npost = 0;

	if (m == NULL || (p = jnew_arr(m, "paras")) == NULL)
		return -1;
	if (d->instruments[QDEF_PRE].present)
		npre = (long long)d->instruments[QDEF_PRE].nitems;
	if (d->instruments[QDEF_POST].present)
		npost = (long long)d->instruments[QDEF_POST].nitems;
	{
		const char *n[] = {"pre_items", "post_items", NULL};
		const char *val[] = {fll(&f[0], npre), fll(&f[1], npost), NULL};
		if (para(v, p, "report_method_instruments", n, val) ||
		    para(v, p, "report_method_pairing", NONAMES, NONAMES) ||
		    para(v, p, "dash_method_tests", NONAMES, NONAMES) ||
		    para(v, p, "report_method_why", NONAMES, NONAMES) ||
		    para(v, p, "report_method_agree", NONAMES, NONAMES) ||
		    para(v, p, "dash_method_suppression", NONAMES, NONAMES))
			return -1;
	}
	(void)rep;
	return 0;
}

/* Participants: each profile/descriptive item as bars and a table. */
int report_view_participants(const struct dash_view *v,
    const struct report *rep, struct json_object *data)
{
	struct json_object *list;

	if (rep->nprofile == 0)
		return 0;
	if ((list = jnew_arr(data, "participants")) == NULL ||
	    jset_bool(data, "has_participants", 1))
		return -1;
	for (size_t i = 0; i < rep->nprofile; i++) {
		const struct report_profile *pr = &rep->profile[i];
		const struct qdef_item *it = pr->item;
		struct chart_bar_row *br = calloc(it->noptions + 1, sizeof(*br));
		char (*notes)[32] = calloc(it->noptions + 1, sizeof(*notes));
		struct json_object *o = jpush(list), *rows = NULL, *chart;
		struct chart_common cc = {NULL, NULL, t(v, "dash_none_n0"),
		    v->rtl};
		struct buf svg = BUF_INIT;
		char id[96];
		int bad = br == NULL || notes == NULL || o == NULL;

		if (!bad)
			bad = jset_str(o, "item", it->key) ||
			    jset_str(o, "label", qdef_text(v->def, it->label,
				v->lang)) ||
			    jset_int(o, "n", pr->n) ||
			    jset_bool(o, "multi", it->type == QDEF_MULTI) ||
			    jset_str(o, "instrument", t(v,
				pr->instrument == QDEF_PRE ? "before" :
				"after")) ||
			    (rows = jnew_arr(o, "rows")) == NULL;
		for (size_t j = 0; !bad && j < it->noptions; j++) {
			long long c = 0;
			struct json_object *row;
			struct fig f;

			for (size_t k = 0; k < pr->ndist; k++)
				if (strcmp(pr->dist[k].value,
					it->options[j].value) == 0)
					c = pr->dist[k].n;
			br[j].label = qdef_text(v->def, it->options[j].label,
			    v->lang);
			br[j].value = (double)c;
			snprintf(notes[j], sizeof(notes[j]), "%s",
			    fpct(&f, pr->n ? (double)c / (double)pr->n : NAN));
			br[j].note = notes[j];
			if ((row = jpush(rows)) == NULL ||
			    jset_str(row, "label", br[j].label) ||
			    jset_str(row, "value", it->options[j].value) ||
			    jset_int(row, "count", c) ||
			    jset_str(row, "pct", notes[j]))
				bad = 1;
		}
		snprintf(id, sizeof(id), "ch-profile-%s%s",
		    pr->instrument == QDEF_POST ? "post-" : "", it->key);
		for (char *q = id; *q; q++)
			if (*q == '_' || *q == '.')
				*q = '-';
		cc.id = id;
		cc.title = qdef_text(v->def, it->label, v->lang);
		if (!bad) {
			chart = chart_bars(&cc, t(v, "responses"), br,
			    it->noptions, 0);
			bad = chart == NULL ||
			    page_fragment("svg/bars", chart, &svg) != 0 ||
			    svg.oom || jset_str(o, "svg", buf_cstr(&svg));
			json_object_put(chart);
		}
		buf_free(&svg);
		free(br);
		free(notes);
		if (bad)
			return -1;
	}
	return 0;
}

/* Results per objective: the knowledge rows of the dashboard's table
 * (data.knowledge.rows, the same order as summary.paired) grouped. */
static int sec_objectives(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	struct json_object *know = NULL, *rows = NULL, *list;

	if (rep->nobjectives == 0)
		return 0;
	if (!json_object_object_get_ex(data, "knowledge", &know) ||
	    !json_object_object_get_ex(know, "rows", &rows))
		return 0;
	if ((list = jnew_arr(data, "objectives")) == NULL ||
	    jset_bool(data, "has_objectives", 1))
		return -1;
	for (size_t i = 0; i < rep->nobjectives; i++) {
		const struct report_objective *g = &rep->objectives[i];
		struct json_object *o = jpush(list), *r;
		const char *label = g->text ? g->text : g->label ?
		    qdef_text(v->def, g->label, v->lang) : "";

		if (o == NULL || jset_str(o, "label", label) ||
		    jset_int(o, "no", (long long)i + 1) ||
		    (r = jnew_arr(o, "rows")) == NULL)
			return -1;
		for (size_t k = 0; k < g->n; k++) {
			struct json_object *row = json_object_array_get_idx(
			    rows, g->paired[k]);
			if (row == NULL)
				continue;
			if (json_object_array_add(r, json_object_get(row)) != 0) {
				json_object_put(row);
				return -1;
			}
		}
	}
	return 0;
}

static const char *lang_name(const struct dash_view *v, const char *lang)
{
	if (strcmp(lang, "fr") == 0)
		return t(v, "report_lang_fr");
	if (strcmp(lang, "en") == 0)
		return t(v, "report_lang_en");
	if (strcmp(lang, "ar") == 0)
		return t(v, "report_lang_ar");
	return lang;
}

static int sec_comments(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	struct json_object *list = jnew_arr(data, "report_comments");
	struct fig f[3];

	if (list == NULL ||
	    jset_bool(data, "report_comments_hidden",
		rep->facts->comments_hidden) ||
	    jset_bool(data, "report_comments_filtered", rep->facts->filtered))
		return -1;
	{
		const char *n[] = {"cap", NULL};
		const char *val[] = {fll(&f[0], REPORT_COMMENTS_CAP), NULL};
		if (fill(v, data, "report_comments_cap", "report_comments_cap",
			n, val))
			return -1;
	}
	for (size_t i = 0; i < rep->ncomments; i++) {
		const struct report_comment_group *g = &rep->comments[i];
		struct json_object *o = jpush(list), *e;

		if (o == NULL || jset_str(o, "item", g->key) ||
		    jset_str(o, "label", g->item ? qdef_text(v->def,
			g->item->label, v->lang) : g->key) ||
		    jset_bool(o, "other", g->other) ||
		    jset_int(o, "total", g->total) ||
		    jset_bool(o, "capped", g->capped) ||
		    (e = jnew_arr(o, "entries")) == NULL)
			return -1;
		for (size_t k = 0; k < g->n; k++) {
			struct json_object *c = jpush(e);
			if (c == NULL || jset_str(c, "text", g->v[k].text) ||
			    jset_str(c, "lang", g->v[k].lang) ||
			    jset_str(c, "lang_name", lang_name(v,
				g->v[k].lang)) ||
			    jset_int(c, "count", g->v[k].count) ||
			    jset_bool(c, "many", g->v[k].count > 1) ||
			    jset_bool(c, "rtl", strcmp(g->v[k].lang,
				"ar") == 0))
				return -1;
		}
	}
	return 0;
}

static int sec_limits(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	static const char *const keys[REPORT_LIMIT__MAX] = {
	    [REPORT_LIMIT_SMALL_N] = "report_limit_small_n",
	    [REPORT_LIMIT_ATTRITION] = "report_limit_attrition",
	    [REPORT_LIMIT_UNPAIRED] = "report_limit_unpaired",
	    [REPORT_LIMIT_NO_ATTENDANCE] = "report_limit_no_attendance",
	    [REPORT_LIMIT_LOW_RESPONSE] = "report_limit_low_response",
	    [REPORT_LIMIT_SELF_REPORT] = "report_limit_self_report",
	    [REPORT_LIMIT_SAME_QUIZ] = "report_limit_same_quiz",
	    [REPORT_LIMIT_FILTERED] = "report_limit_filtered",
	};
	struct json_object *list = jnew_arr(data, "limits");

	if (list == NULL)
		return -1;
	for (size_t i = 0; i < rep->nlimits; i++) {
		const struct report_limit *l = &rep->limits[i];
		struct fig f[3];
		const char *n[] = {"a", "b", "pct", NULL};
		const char *val[] = {fll(&f[0], l->a), fll(&f[1], l->b),
		    fpct(&f[2], l->b ? (double)l->a / (double)l->b : NAN),
		    NULL};
		struct json_object *o = jpush(list);
		if (o == NULL || fill(v, o, "text", keys[l->kind], n, val) ||
		    jset_str(o, "kind", keys[l->kind] + strlen("report_limit_")))
			return -1;
	}
	return 0;
}

/* Annex: the codebook, one row per item of each instrument. */
static int sec_codebook(const struct dash_view *v, struct json_object *data)
{
	struct json_object *list = jnew_arr(data, "codebook");

	if (list == NULL)
		return -1;
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &v->def->instruments[k];
		for (size_t i = 0; in->present && i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];
			struct json_object *o;
			struct buf b = BUF_INIT;
			int bad;

			if (it->personal)
				continue;
			for (size_t j = 0; j < it->noptions; j++)
				buf_printf(&b, "%s%s = %s", j ? "; " : "",
				    it->options[j].value, qdef_text(v->def,
					it->options[j].label, v->lang));
			o = jpush(list);
			bad = o == NULL || b.oom ||
			    jset_str(o, "instrument", qdef_kind_name(
				(enum qdef_kind)k)) ||
			    jset_str(o, "item", it->key) ||
			    jset_str(o, "type", qdef_type_name(it->type)) ||
			    jset_str(o, "role", qdef_role_name(it->role)) ||
			    jset_str(o, "label", qdef_text(v->def, it->label,
				v->lang)) ||
			    jset_str(o, "options", buf_cstr(&b));
			buf_free(&b);
			if (bad)
				return -1;
		}
	}
	return 0;
}

int report_view(const struct dash_view *v, const struct report *rep,
    struct json_object *data)
{
	return sec_cover(v, rep, data) || report_view_keyfigs(v, rep, data) ||
	    sec_exec(v, rep, data) || sec_method(v, rep, data) ||
	    report_view_participants(v, rep, data) || sec_objectives(v, rep, data) ||
	    sec_comments(v, rep, data) || sec_limits(v, rep, data) ||
	    sec_codebook(v, data) ? -1 : 0;
}

/* ---- charts ---- */

/* The name of a chart from its SVG: the id of its <title> without "ch-"
 * and "-title" ("likert"); 0 when it has none. */
static int svg_name(const char *svg, char *out, size_t n)
{
	const char *p = strstr(svg, "<title id=\"ch-"), *e;

	if (p == NULL)
		return 0;
	p += strlen("<title id=\"ch-");
	if ((e = strstr(p, "-title\"")) == NULL || (size_t)(e - p) >= n ||
	    e == p)
		return 0;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 1;
}

/* The text of the chart's <title>, into out. */
static void svg_title(const char *svg, char *out, size_t n)
{
	const char *p = strstr(svg, "<title id=\""), *e;

	out[0] = '\0';
	if (p == NULL || (p = strchr(p, '>')) == NULL ||
	    (e = strstr(p, "</title>")) == NULL)
		return;
	p++;
	snprintf(out, n, "%.*s", (int)(e - p), p);
}

struct chart_slot {
	struct json_object *parent; /* borrowed */
	char key[64];
};

/* Collects every string member whose key ends in "svg" (depth first). */
static int collect(struct json_object *o, struct chart_slot **v, size_t *n,
    size_t *cap)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (collect(json_object_array_get_idx(o, i), v, n, cap))
				return -1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	json_object_object_foreach(o, key, val)
	{
		size_t len = strlen(key);
		if (json_object_is_type(val, json_type_string) && len >= 3 &&
		    len < 60 && strcmp(key + len - 3, "svg") == 0 &&
		    strncmp(json_object_get_string(val), "<svg", 4) == 0) {
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 16;
				struct chart_slot *nv = realloc(*v,
				    nc * sizeof(*nv));
				if (nv == NULL)
					return -1;
				*v = nv;
				*cap = nc;
			}
			(*v)[*n].parent = o;
			snprintf((*v)[*n].key, sizeof((*v)[*n].key), "%s", key);
			(*n)++;
		} else if (strcmp(key, "charts") != 0 &&
		    collect(val, v, n, cap))
			return -1;
	}
	return 0;
}

int report_view_chart_list(struct json_object *data, const char *prefix)
{
	struct chart_slot *slots = NULL;
	size_t n = 0, cap = 0;
	struct json_object *list;
	int rc = -1;

	if (collect(data, &slots, &n, &cap) != 0 ||
	    (list = jnew_arr(data, "charts")) == NULL ||
	    jset_bool(data, "has_charts", n > 0))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *svg = NULL, *img;
		char name[80], title[400], href[300], ikey[80];

		json_object_object_get_ex(slots[i].parent, slots[i].key, &svg);
		if (!svg_name(json_object_get_string(svg), name, sizeof(name)))
			continue;
		svg_title(json_object_get_string(svg), title, sizeof(title));
		snprintf(href, sizeof(href), "%s%s.svg", prefix, name);
		/* beside the SVG, its image for the Word document: the
		 * writer adds the part's rId and size */
		snprintf(ikey, sizeof(ikey), "%s_img", slots[i].key);
		if ((img = json_object_new_object()) == NULL ||
		    json_object_object_add(slots[i].parent, ikey, img) != 0) {
			json_object_put(img);
			goto out;
		}
		if (jset_str(img, "name", name) || jset_str(img, "title", title))
			goto out;
		{
			struct json_object *c = jpush(list);
			if (c == NULL || jset_str(c, "name", name) ||
			    jset_str(c, "href", href) ||
			    jset_str(c, "title", title) ||
			    json_object_object_add(c, "svg",
				json_object_get(svg)) != 0 ||
			    json_object_object_add(c, "img",
				json_object_get(img)) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(slots);
	return rc;
}

struct json_object *report_view_chart(struct json_object *data,
    const char *name)
{
	struct json_object *list = NULL;

	if (!json_object_object_get_ex(data, "charts", &list))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *c = json_object_array_get_idx(list, i), *nm;
		if (json_object_object_get_ex(c, "name", &nm) &&
		    strcmp(json_object_get_string(nm), name) == 0)
			return c;
	}
	return NULL;
}
