/* office.c: results.xlsx, analysis.R and labels.sps (office.h), each built
 * over csv-wide's columns and value labels (export.h); the R and SPSS
 * literals only through quote.c. */
#include "office.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xlsxwriter.h>

#include "export.h"
#include "log.h"
#include "quote.h"

/* The largest workbook read back (the responses of a very large event). */
#define OFFICE_XLSX_MAX ((size_t)1 << 31)
/* Value labels per column: options (QDEF_MAX_OPTIONS), a scale, languages. */
#define VL_MAX (QDEF_MAX_OPTIONS + 16)

/* The labels of one column, looked up per cell. */
struct col_labels {
	struct export_vlabel *v; /* v[i].label points to own[i] */
	char **own;
	size_t n;
};

static void labels_free(struct col_labels *l, size_t n)
{
	for (size_t c = 0; l && c < n; c++) {
		for (size_t i = 0; l[c].own && i < l[c].n; i++)
			free(l[c].own[i]);
		free(l[c].own);
		free(l[c].v);
	}
	free(l);
}

/* The value labels of every column in lang, each unique within its
 * column (a repeated label gets its value in brackets, so that R's
 * factor() keeps the levels apart; an empty one is its value). Returns an
 * array of n (caller frees with labels_free(l, n)), NULL when out of
 * memory. */
static struct col_labels *labels_of(const struct qdef *def,
    const struct export_col *cols, size_t n, enum qdef_lang lang)
{
	struct col_labels *l = calloc(n + 1, sizeof(*l));
	struct buf b = BUF_INIT;

	if (l == NULL)
		return NULL;
	for (size_t c = 0; c < n; c++) {
		struct export_vlabel tmp[VL_MAX];
		size_t k = export_value_labels(def, &cols[c], lang, tmp, VL_MAX);

		if (k > VL_MAX)
			k = VL_MAX;
		if ((l[c].v = calloc(k + 1, sizeof(*l[c].v))) == NULL ||
		    (l[c].own = calloc(k + 1, sizeof(char *))) == NULL)
			goto fail;
		for (size_t i = 0; i < k; i++) {
			int dup = 0;
			for (size_t j = 0; j < i && !dup; j++)
				dup = strcmp(tmp[i].label, tmp[j].label) == 0;
			buf_reset(&b);
			if (tmp[i].label[0] == '\0')
				buf_puts(&b, tmp[i].value);
			else if (dup)
				buf_printf(&b, "%s (%s)", tmp[i].label,
				    tmp[i].value);
			else
				buf_puts(&b, tmp[i].label);
			if (b.oom || (l[c].own[i] = strdup(buf_cstr(&b))) ==
			    NULL)
				goto fail;
			l[c].v[i] = tmp[i];
			l[c].v[i].label = l[c].own[i];
			l[c].n = i + 1;
		}
	}
	buf_free(&b);
	return l;
fail:
	buf_free(&b);
	labels_free(l, n);
	return NULL;
}

static const char *label_of(const struct col_labels *l, const char *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].value, value) == 0)
			return l->v[i].label;
	return NULL;
}

/* Whether a column holds numbers (ratings, numbers) in csv-wide. */
static int col_numeric(const struct export_col *c)
{
	if (c->role == EXPORT_COL_RETRO)
		return 1;
	return c->role == EXPORT_COL_ITEM && (c->it->type == QDEF_LIKERT5 ||
	    c->it->type == QDEF_RATING10 || c->it->type == QDEF_NUMBER);
}

/* Whether a column's cells are values with labels (one value each). */
static int col_coded(const struct export_col *c)
{
	switch (c->role) {
	case EXPORT_COL_RANK:
	case EXPORT_COL_LANG:
	case EXPORT_COL_SOURCE:
		return 1;
	case EXPORT_COL_ITEM:
		return c->it->type == QDEF_SINGLE || c->it->type == QDEF_QUIZ;
	default:
		return 0;
	}
}

static int col_multi(const struct export_col *c)
{
	return c->role == EXPORT_COL_ITEM && c->it->type == QDEF_MULTI;
}

/* A number as csv-wide holds it (a decimal comma allowed). 0, or -1. */
static int cell_number(const char *s, double *out)
{
	char tmp[QDEF_NUMBER_MAX + 1], *end;
	size_t n = strlen(s);

	if (n == 0 || n > QDEF_NUMBER_MAX)
		return -1;
	for (size_t i = 0; i <= n; i++)
		tmp[i] = s[i] == ',' ? '.' : s[i];
	errno = 0;
	*out = strtod(tmp, &end);
	return errno || *end || !isfinite(*out) ? -1 : 0;
}

/* ---------------------------------------------------------------- xlsx */

struct xl {
	lxw_workbook *wb;
	lxw_worksheet *resp;  /* the responses sheet being written */
	lxw_worksheet **more; /* "responses 2".. made up front (owned array) */
	size_t nmore, next;   /* how many of them; the next one to write */
	size_t nresp;         /* responses sheets made, for their names */
	lxw_row_t rows;       /* rows per responses sheet, the header's too */
	int rtl;
	lxw_format *bold;
	const struct export_col *cols;
	const struct col_labels *labels;
	size_t ncols;
	lxw_row_t row;
	struct buf cell;
	int failed;
};

static void xs(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s, lxw_format *f)
{
	if (s && s[0] && worksheet_write_string(ws, r, c, s, f) != LXW_NO_ERROR)
		x->failed = 1;
}

/* A number; undefined (NaN) stays a blank cell. */
static void xn(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    double v)
{
	if (isfinite(v) && worksheet_write_number(ws, r, c, v, NULL) !=
	    LXW_NO_ERROR)
		x->failed = 1;
}

static void xci(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct summary_ci *ci)
{
	if (ci->defined) {
		xn(x, ws, r, c, ci->lo);
		xn(x, ws, r, c + 1, ci->hi);
	}
}

/* Columns first..last wide (in characters). */
static void xwidth(struct xl *x, lxw_worksheet *ws, lxw_col_t first,
    lxw_col_t last, double width)
{
	if (worksheet_set_column(ws, first, last, width, NULL) != LXW_NO_ERROR)
		x->failed = 1;
}

static void xheader(struct xl *x, lxw_worksheet *ws, const char *const *h)
{
	for (lxw_col_t c = 0; h[c]; c++)
		xs(x, ws, 0, c, h[c], x->bold);
	worksheet_freeze_panes(ws, 1, 0);
}

/* The next responses sheet: "responses", then "responses 2", "responses
 * 3"..., right to left in Arabic, its header row (participant, then the
 * csv-wide columns) frozen, the same on each. NULL on failure. */
static lxw_worksheet *xl_resp_sheet(struct xl *x)
{
	char name[32];
	lxw_worksheet *ws;

	if (x->nresp == 0)
		snprintf(name, sizeof(name), "responses");
	else
		snprintf(name, sizeof(name), "responses %zu", x->nresp + 1);
	if ((ws = workbook_add_worksheet(x->wb, name)) == NULL)
		return NULL;
	x->nresp++;
	if (x->rtl)
		worksheet_right_to_left(ws);
	xs(x, ws, 0, 0, "participant", x->bold);
	for (size_t i = 0; i < x->ncols; i++)
		xs(x, ws, 0, (lxw_col_t)(i + 1), x->cols[i].name, x->bold);
	worksheet_freeze_panes(ws, 1, 1);
	return ws;
}

/* The current responses sheet is full: go on with the next one made up
 * front, else (more participants than counted) with a new one, which
 * libxlsxwriter can only put at the end of the workbook. 0, or -1. */
static int xl_next_sheet(struct xl *x)
{
	lxw_worksheet *ws;

	if (x->next < x->nmore)
		ws = x->more[x->next++];
	else
		ws = xl_resp_sheet(x);
	if (ws == NULL) {
		x->failed = 1;
		return -1;
	}
	x->resp = ws;
	x->row = 0;
	return 0;
}

/* One participant of the responses sheets. */
static int xl_row(void *ctx, const char *code, const char *const *cells,
    size_t ncols)
{
	struct xl *x = ctx;
	lxw_row_t r;

	if (x->row + 1 >= x->rows && xl_next_sheet(x) != 0)
		return -1;
	r = ++x->row;

	xs(x, x->resp, r, 0, code, NULL);
	for (size_t i = 0; i < ncols && i < x->ncols; i++) {
		const struct export_col *c = &x->cols[i];
		const char *s = cells[i], *l;
		lxw_col_t col = (lxw_col_t)(i + 1);
		double d;

		if (s[0] == '\0')
			continue;
		if (col_numeric(c) && cell_number(s, &d) == 0)
			xn(x, x->resp, r, col, d);
		else if (col_coded(c))
			xs(x, x->resp, r, col, (l = label_of(&x->labels[i], s))
			    ? l : s, NULL);
		else if (col_multi(c)) {
			/* a|b -> "label a; label b" */
			buf_reset(&x->cell);
			for (const char *p = s; *p;) {
				size_t n = strcspn(p, "|");
				char v[QDEF_VALUE_MAX + 8];
				snprintf(v, sizeof(v), "%.*s", (int)(n <
				    sizeof(v) ? n : sizeof(v) - 1), p);
				l = label_of(&x->labels[i], v);
				if (x->cell.len)
					buf_puts(&x->cell, "; ");
				buf_puts(&x->cell, l ? l : v);
				p += n + (p[n] == '|');
			}
			xs(x, x->resp, r, col, buf_cstr(&x->cell), NULL);
		} else
			xs(x, x->resp, r, col, s, NULL);
	}
	return x->failed || x->cell.oom ? -1 : 0;
}

/* The codebook sheet: one row per csv-wide column. */
static void xl_codebook(struct xl *x, const struct qdef *def,
    enum qdef_lang lang, lxw_worksheet *ws)
{
	static const char *const h[] = {"column", "instrument", "type",
	    "analysis", "label", "values", "correct", NULL};
	struct buf v = BUF_INIT;

	xheader(x, ws, h);
	for (size_t i = 0; i < x->ncols; i++) {
		const struct export_col *c = &x->cols[i];
		const struct col_labels *l = &x->labels[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		const char *type = "single";

		if (c->role == EXPORT_COL_OTHER)
			type = "text";
		else if (c->it)
			type = qdef_type_name(c->it->type);
		xs(x, ws, r, 0, c->name, NULL);
		xs(x, ws, r, 1, qdef_kind_name(c->kind), NULL);
		xs(x, ws, r, 2, type, NULL);
		if (c->it)
			xs(x, ws, r, 3, qdef_role_name(c->it->role), NULL);
		xs(x, ws, r, 4, export_col_label(def, c, lang), NULL);
		buf_reset(&v);
		for (size_t k = 0; k < l->n; k++)
			buf_printf(&v, "%s%s=%s", k ? " | " : "",
			    l->v[k].value, l->v[k].label);
		xs(x, ws, r, 5, buf_cstr(&v), NULL);
		if (c->role == EXPORT_COL_ITEM && c->it->correct >= 0)
			xs(x, ws, r, 6, c->it->options[c->it->correct].value,
			    NULL);
	}
	if (v.oom)
		x->failed = 1;
	buf_free(&v);
	xwidth(x, ws, 0, 0, 28);
	xwidth(x, ws, 4, 5, 60);
}

static const char *item_label(const struct qdef *def,
    const struct qdef_item *it, enum qdef_lang lang)
{
	return it ? qdef_text(def, it->label, lang) : "";
}

static const char *option_label(const struct qdef *def,
    const struct qdef_item *it, const char *value, enum qdef_lang lang)
{
	int i = qdef_option_index(it, value);

	return i >= 0 ? qdef_text(def, it->options[i].label, lang) : value;
}

static void xl_wilcoxon(struct xl *x, lxw_worksheet *ws, lxw_row_t r,
    lxw_col_t c, const struct summary_wilcoxon *w)
{
	xn(x, ws, r, c, w->statistic);
	xn(x, ws, r, c + 1, w->p_value);
	xs(x, ws, r, c + 2, w->method, NULL);
}

/* A bar chart of rows 1..n of ws: categories in column cat, one series
 * per values column, named names[i] (NULL: from its header cell). */
static void xl_chart(struct xl *x, lxw_worksheet *ws, const char *sheet,
    const char *title, lxw_row_t n, lxw_col_t cat, const lxw_col_t *vals,
    const char *const *names, size_t nvals, lxw_col_t at)
{
	lxw_chart *ch;

	if (n == 0)
		return;
	if ((ch = workbook_add_chart(x->wb, LXW_CHART_BAR)) == NULL) {
		x->failed = 1;
		return;
	}
	for (size_t i = 0; i < nvals; i++) {
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		if (s == NULL) {
			x->failed = 1;
			return;
		}
		chart_series_set_categories(s, sheet, 1, cat, n, cat);
		chart_series_set_values(s, sheet, 1, vals[i], n, vals[i]);
		if (names && names[i])
			chart_series_set_name(s, names[i]);
		else
			chart_series_set_name_range(s, sheet, 0, vals[i]);
	}
	chart_title_set_name(ch, title);
	if (worksheet_insert_chart(ws, 1, at, ch) != LXW_NO_ERROR)
		x->failed = 1;
}

/* The analysis sheets of the summary. */
static void xl_analysis(struct xl *x, const struct qdef *def,
    const struct summary *s, enum qdef_lang lang,
    const struct office_words *w, int rtl)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "counts");
	lxw_row_t r;

	if (ws == NULL) {
		x->failed = 1;
		return;
	}
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"pre", "post", "paired",
		    "participants", NULL};
		xheader(x, ws, h);
		xn(x, ws, 1, 0, (double)s->counts.pre);
		xn(x, ws, 1, 1, (double)s->counts.post);
		xn(x, ws, 1, 2, (double)s->counts.paired);
		xn(x, ws, 1, 3, (double)summary_participants(s));
	}
	/* the disclosure rule: fewer than 5 participants give counts only */
	if (s->restricted || summary_participants(s) < SUMMARY_MIN_GROUP)
		return;

	/* paired: the knowledge change, with its chart */
	if ((ws = workbook_add_worksheet(x->wb, "paired")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "label", "n",
		    "pre_mean", "post_mean", "mean_diff", "ci95_lo", "ci95_hi",
		    "median_diff", "improved", "unchanged", "declined",
		    "statistic", "p_value", "method", "p_holm",
		    "rank_biserial", NULL};
		static const lxw_col_t means[2] = {3, 4};
		xheader(x, ws, h);
		for (size_t i = 0; i < s->npaired; i++) {
			const struct summary_test *t = &s->paired[i];
			r = (lxw_row_t)(i + 1);
			xs(x, ws, r, 0, t->item->key, NULL);
			xs(x, ws, r, 1, item_label(def, t->item, lang), NULL);
			xn(x, ws, r, 2, (double)t->n);
			xn(x, ws, r, 3, t->first_mean);
			xn(x, ws, r, 4, t->post_mean);
			xn(x, ws, r, 5, t->change.mean_diff);
			xci(x, ws, r, 6, &t->change.ci95);
			xn(x, ws, r, 8, t->median_diff);
			xn(x, ws, r, 9, (double)t->change.improved);
			xn(x, ws, r, 10, (double)t->change.unchanged);
			xn(x, ws, r, 11, (double)t->change.declined);
			xl_wilcoxon(x, ws, r, 12, &t->wilcoxon);
			xn(x, ws, r, 15, t->p_holm);
			xn(x, ws, r, 16, t->rank_biserial);
		}
		const char *const names[2] = {w->before, w->after};
		xl_chart(x, ws, "paired", w->knowledge_chart,
		    (lxw_row_t)s->npaired, 1, means, names, 2, 18);
		xwidth(x, ws, 1, 1, 40);
	}

	if ((ws = workbook_add_worksheet(x->wb, "retro")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "label", "n",
		    "retro_mean", "post_mean", "statistic", "p_value",
		    "method", "p_holm", "rank_biserial", "pre_vs_retro_n",
		    "pre_vs_retro_mean_diff", "pre_vs_retro_p_value", NULL};
		xheader(x, ws, h);
		for (size_t i = 0; i < s->nretro; i++) {
			const struct summary_test *t = &s->retro[i];
			r = (lxw_row_t)(i + 1);
			xs(x, ws, r, 0, t->item->key, NULL);
			xs(x, ws, r, 1, item_label(def, t->item, lang), NULL);
			xn(x, ws, r, 2, (double)t->n);
			xn(x, ws, r, 3, t->first_mean);
			xn(x, ws, r, 4, t->post_mean);
			xl_wilcoxon(x, ws, r, 5, &t->wilcoxon);
			xn(x, ws, r, 8, t->p_holm);
			xn(x, ws, r, 9, t->rank_biserial);
			xn(x, ws, r, 10, (double)t->pre_vs_retro.n);
			xn(x, ws, r, 11, t->pre_vs_retro.change.mean_diff);
			xn(x, ws, r, 12, t->pre_vs_retro.wilcoxon.p_value);
		}
	}

	if ((ws = workbook_add_worksheet(x->wb, "quiz")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "label", "n",
		    "pre_correct", "post_correct", "mcnemar_p",
		    "mcnemar_p_holm", NULL};
		const struct summary_quiz *q = &s->quiz;
		static const char *const tk[] = {"n", "pre_mean_score",
		    "post_mean_score", "max_score", "normalized_gain",
		    "total.n", "total.pre_mean", "total.post_mean",
		    "total.mean_diff", "total.ci95_lo", "total.ci95_hi",
		    "total.statistic", "total.p_value"};
		double tv[13] = {(double)q->n, q->pre_mean_score,
		    q->post_mean_score, (double)q->max_score,
		    q->normalized_gain, (double)q->total.n, q->total.pre_mean,
		    q->total.post_mean, q->total.change.mean_diff,
		    q->total.change.ci95.defined ? q->total.change.ci95.lo
						 : NAN,
		    q->total.change.ci95.defined ? q->total.change.ci95.hi
						 : NAN,
		    q->total.wilcoxon.statistic, q->total.wilcoxon.p_value};

		xheader(x, ws, h);
		for (size_t i = 0; i < q->nitems; i++) {
			const struct summary_quiz_item *e = &q->items[i];
			r = (lxw_row_t)(i + 1);
			xs(x, ws, r, 0, e->item->key, NULL);
			xs(x, ws, r, 1, item_label(def, e->item, lang), NULL);
			xn(x, ws, r, 2, (double)e->n);
			xn(x, ws, r, 3, (double)e->pre_correct);
			xn(x, ws, r, 4, (double)e->post_correct);
			xn(x, ws, r, 5, e->mcnemar_p);
			xn(x, ws, r, 6, e->mcnemar_p_holm);
		}
		/* the scores, below the items after a blank row */
		r = (lxw_row_t)(q->nitems + 2);
		for (size_t i = 0; i < sizeof(tk) / sizeof(tk[0]); i++, r++) {
			xs(x, ws, r, 0, tk[i], x->bold);
			xn(x, ws, r, 2, tv[i]);
		}
		xs(x, ws, r, 0, "total.method", x->bold);
		xs(x, ws, r, 2, q->total.wilcoxon.method, NULL);
		xwidth(x, ws, 1, 1, 40);
	}

	if ((ws = workbook_add_worksheet(x->wb, "evaluation")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "label", "n", "mean",
		    "ci95_lo", "ci95_hi", "agree_n", "agree_count",
		    "agree_share", "agree_ci95_lo", "agree_ci95_hi", NULL};
		xheader(x, ws, h);
		for (size_t i = 0; i < s->nevaluation; i++) {
			const struct summary_eval *e = &s->evaluation[i];
			r = (lxw_row_t)(i + 1);
			xs(x, ws, r, 0, e->item->key, NULL);
			xs(x, ws, r, 1, item_label(def, e->item, lang), NULL);
			xn(x, ws, r, 2, (double)e->n);
			xn(x, ws, r, 3, e->mean);
			xci(x, ws, r, 4, &e->ci95);
			xn(x, ws, r, 6, (double)e->agree.n);
			xn(x, ws, r, 7, (double)e->agree.count);
			xn(x, ws, r, 8, e->agree.share);
			xci(x, ws, r, 9, &e->agree.ci95);
		}
		xwidth(x, ws, 1, 1, 40);
	}

	if ((ws = workbook_add_worksheet(x->wb, "nps")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "label", "n",
		    "promoters", "passives", "detractors", "score", "ci95_lo",
		    "ci95_hi", NULL};
		const struct summary_nps *p = &s->nps;
		xheader(x, ws, h);
		if (p->present) {
			xs(x, ws, 1, 0, p->item ? p->item->key : "", NULL);
			xs(x, ws, 1, 1, item_label(def, p->item, lang), NULL);
			xn(x, ws, 1, 2, (double)p->n);
			xn(x, ws, 1, 3, (double)p->promoters);
			xn(x, ws, 1, 4, (double)p->passives);
			xn(x, ws, 1, 5, (double)p->detractors);
			xn(x, ws, 1, 6, p->score);
			xci(x, ws, 1, 7, &p->ci95);
		}
	}

	/* the priority actions (rankings), with the chart of the first */
	if ((ws = workbook_add_worksheet(x->wb, "ranking")) == NULL)
		goto fail;
	if (rtl)
		worksheet_right_to_left(ws);
	{
		static const char *const h[] = {"item", "option", "label",
		    "n", "borda", "top3_share", "first", NULL};
		static const lxw_col_t borda[1] = {4};
		lxw_row_t first_n = 0;
		xheader(x, ws, h);
		r = 0;
		for (size_t i = 0; i < s->nranking; i++) {
			const struct summary_ranking *k = &s->ranking[i];
			for (size_t j = 0; j < k->noptions; j++) {
				const struct summary_rank_option *o =
				    &k->options[j];
				r++;
				xs(x, ws, r, 0, k->item->key, NULL);
				xs(x, ws, r, 1, o->option, NULL);
				xs(x, ws, r, 2, option_label(def, k->item,
				    o->option, lang), NULL);
				xn(x, ws, r, 3, (double)k->n);
				xn(x, ws, r, 4, (double)o->borda);
				xn(x, ws, r, 5, o->top3_share);
				xn(x, ws, r, 6, (double)o->first);
			}
			if (i == 0)
				first_n = r;
		}
		xl_chart(x, ws, "ranking", w->ranking_chart, first_n, 2, borda,
		    NULL, 1, 8);
		xwidth(x, ws, 2, 2, 40);
	}
	return;
fail:
	x->failed = 1;
}

int office_xlsx_from(office_rows_fn each, void *src, long long counted,
    const struct qdef *def, const struct summary *sum, enum qdef_lang lang,
    const struct office_words *w, long sheet_rows, struct buf *out)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	struct export_col *cols = NULL;
	struct col_labels *labels = NULL;
	struct xl x;
	lxw_worksheet *cb;
	lxw_error e;
	char path[64];
	size_t ncols = 0;
	int fd, made = 0, st = 500, rtl = lang == QDEF_LANG_AR;

	memset(&x, 0, sizeof(x));
	buf_init(&x.cell);
	x.rows = sheet_rows >= 2 && sheet_rows <= LXW_ROW_MAX
	    ? (lxw_row_t)sheet_rows : LXW_ROW_MAX;
	snprintf(path, sizeof(path), "/tmp/enquete-results-XXXXXX");
	if ((cols = export_wide_cols(def, &ncols)) == NULL ||
	    (labels = labels_of(def, cols, ncols, lang)) == NULL)
		goto out;
	if ((fd = mkstemp(path)) < 0) {
		log_msg(NULL, "results.xlsx: temporary file: %s",
		    strerror(errno));
		goto out;
	}
	made = 1;
	close(fd);
	if ((x.wb = workbook_new_opt(path, &opt)) == NULL)
		goto out;
	x.cols = cols;
	x.labels = labels;
	x.ncols = ncols;
	x.rtl = rtl;
	x.bold = workbook_add_format(x.wb);
	if (x.bold)
		format_set_bold(x.bold);
	x.resp = xl_resp_sheet(&x);
	/* the sheets an event too large for one needs, right after the
	 * first (libxlsxwriter orders the sheets as they are made): from
	 * the count; participants beyond it go on sheets made at the end */
	if (x.resp != NULL && counted > (long long)x.rows - 1) {
		long long per = (long long)x.rows - 1;
		size_t n = (size_t)((counted + per - 1) / per - 1);

		if ((x.more = calloc(n, sizeof(*x.more))) == NULL)
			x.failed = 1;
		for (; x.more && x.nmore < n && !x.failed; x.nmore++)
			if ((x.more[x.nmore] = xl_resp_sheet(&x)) == NULL)
				x.failed = 1;
	}
	cb = workbook_add_worksheet(x.wb, "codebook");
	if (x.resp == NULL || cb == NULL || x.failed)
		x.failed = 1;
	else {
		if (rtl)
			worksheet_right_to_left(cb);
		xl_codebook(&x, def, lang, cb);
		xl_analysis(&x, def, sum, lang, w, rtl);
		st = x.failed ? 500 : each(src, xl_row, &x);
		if (st != 0 && st != 503)
			st = 500;
	}
	e = workbook_close(x.wb);
	x.wb = NULL;
	if (st == 0 && (e != LXW_NO_ERROR || x.failed)) {
		log_msg(NULL, "results.xlsx: %s", e != LXW_NO_ERROR
		    ? lxw_strerror(e) : "a cell could not be written");
		st = 500;
	}
	if (st == 0 && buf_read_file(out, path, OFFICE_XLSX_MAX) != 0) {
		log_msg(NULL, "results.xlsx: reading it back: %s",
		    strerror(errno));
		st = 500;
	}
out:
	if (made)
		unlink(path);
	buf_free(&x.cell);
	free(x.more);
	labels_free(labels, ncols);
	free(cols);
	return st;
}

/* office_xlsx()'s rows: the event's csv-wide participants. */
struct wide_src {
	struct db *db;
	const struct qdef *def;
	long event_id;
};

static int wide_rows(void *src, export_wide_fn fn, void *ctx)
{
	const struct wide_src *w = src;

	return export_wide_each(w->db, w->def, w->event_id, fn, ctx);
}

int office_xlsx(struct db *db, const struct qdef *def, long event_id,
    const struct summary *sum, enum qdef_lang lang,
    const struct office_words *w, long sheet_rows, struct buf *out)
{
	struct wide_src src = {db, def, event_id};

	return office_xlsx_from(wide_rows, &src, summary_participants(sum),
	    def, sum, lang, w, sheet_rows, out);
}

/* ---------------------------------------------------------------- R */

/* c("a", "b") of the values or the labels of l. */
static void r_vector(struct buf *b, const struct col_labels *l, int labels)
{
	buf_puts(b, "c(");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_puts(b, ", ");
		quote_r(b, labels ? l->v[i].label : l->v[i].value);
	}
	buf_putc(b, ')');
}

static const char r_head[] =
    "## analysis.R: reads the csv-wide export of an enquete event,\n"
    "## applies every label of the codebook and reproduces the paired\n"
    "## tests of the summary (DESIGN.md \"Statistics for small groups\").\n"
    "## Usage: Rscript analysis.R [FILE-wide.csv]\n"
    "## Needs the package exactRankTests (Debian: r-cran-exactranktests).\n"
    "\n"
    "args <- commandArgs(trailingOnly = TRUE)\n";

static const char r_funcs[] =
    "d <- read.csv(file, colClasses = \"character\", check.names = FALSE,\n"
    "              na.strings = \"\", encoding = \"UTF-8\",\n"
    "              fileEncoding = \"UTF-8\")\n"
    "\n"
    "## a number as exported (a decimal comma allowed)\n"
    "num <- function(x) as.numeric(sub(\",\", \".\", x, fixed = TRUE))\n"
    "## a factor of the exported values with their labels; a value the\n"
    "## codebook does not know is reported, never silently lost\n"
    "lab <- function(col, levels, labels) {\n"
    "  x <- d[[col]]\n"
    "  unknown <- setdiff(unique(x[!is.na(x)]), levels)\n"
    "  if (length(unknown) > 0)\n"
    "    warning(col, \": values without a label: \",\n"
    "            paste(unknown, collapse = \", \"))\n"
    "  factor(x, levels = levels, labels = labels)\n"
    "}\n"
    "\n";

static const char r_tests[] =
    "\n"
    "## The contract's Wilcoxon signed-rank test on post - pre: undefined\n"
    "## under 5 pairs or when every difference is zero; exact\n"
    "## (exactRankTests::wilcox.exact) under 50 non-zero differences,\n"
    "## ties or not; from 50 on, wilcox.test (normal approximation).\n"
    "paired_p <- function(post, pre) {\n"
    "  ok <- !is.na(post) & !is.na(pre)\n"
    "  x <- post[ok]; y <- pre[ok]\n"
    "  if (length(x) < 5 || all(x == y)) return(NA_real_)\n"
    "  if (sum(x != y) < 50)\n"
    "    exactRankTests::wilcox.exact(x, y, paired = TRUE,\n"
    "                                 exact = TRUE)$p.value\n"
    "  else suppressWarnings(wilcox.test(x, y, paired = TRUE)$p.value)\n"
    "}\n"
    "n_pairs <- function(post, pre) sum(!is.na(post) & !is.na(pre))\n"
    "\n"
    "show <- function(kind, items, firsts, posts) {\n"
    "  if (length(items) == 0) return(invisible(NULL))\n"
    "  n <- mapply(function(a, b) n_pairs(d[[a]], d[[b]]), posts, firsts)\n"
    "  p <- mapply(function(a, b) paired_p(d[[a]], d[[b]]), posts, firsts)\n"
    "  holm <- p.adjust(p, \"holm\")\n"
    "  for (i in seq_along(items))\n"
    "    cat(sprintf(\"%s %s n=%d p_value=%s p_holm=%s\\n\", kind, items[i],\n"
    "                n[i], sprintf(\"%.17g\", p[i]), sprintf(\"%.17g\", holm[i])))\n"
    "}\n";

int office_r(const struct qdef *def, const char *slug, enum qdef_lang lang,
    struct buf *out)
{
	struct export_col *cols = NULL;
	struct col_labels *labels = NULL;
	struct buf file = BUF_INIT;
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	size_t ncols = 0;
	int st = 500;

	if ((cols = export_wide_cols(def, &ncols)) == NULL ||
	    (labels = labels_of(def, cols, ncols, lang)) == NULL)
		goto out;
	buf_puts(out, r_head);
	buf_printf(&file, "%s-wide.csv", slug);
	buf_puts(out, "file <- if (length(args) >= 1) args[1] else ");
	quote_r(out, buf_cstr(&file));
	buf_puts(out, "\n");
	buf_puts(out, r_funcs);
	buf_puts(out, "## every column: its type, its labels (");
	buf_puts(out, qdef_lang_name(lang));
	buf_puts(out, ")\n");
	for (size_t i = 0; i < ncols; i++) {
		const struct export_col *c = &cols[i];
		struct buf q = BUF_INIT;

		quote_r(&q, c->name);
		if (col_numeric(c)) {
			buf_printf(out, "d[[%s]] <- num(d[[%s]])\n",
			    buf_cstr(&q), buf_cstr(&q));
			if (labels[i].n) {
				buf_printf(out, "attr(d[[%s]], \"labels\") <- "
				    "setNames(as.numeric(", buf_cstr(&q));
				r_vector(out, &labels[i], 0);
				buf_puts(out, "), ");
				r_vector(out, &labels[i], 1);
				buf_puts(out, ")\n");
			}
		} else if (col_coded(c)) {
			buf_printf(out, "d[[%s]] <- lab(%s, ", buf_cstr(&q),
			    buf_cstr(&q));
			r_vector(out, &labels[i], 0);
			buf_puts(out, ",\n    ");
			r_vector(out, &labels[i], 1);
			buf_puts(out, ")\n");
		} else if (col_multi(c)) {
			/* values joined by |: kept as text, options beside */
			buf_printf(out, "attr(d[[%s]], \"labels\") <- "
			    "setNames(", buf_cstr(&q));
			r_vector(out, &labels[i], 0);
			buf_puts(out, ", ");
			r_vector(out, &labels[i], 1);
			buf_puts(out, ")\n");
		}
		buf_printf(out, "attr(d[[%s]], \"label\") <- ", buf_cstr(&q));
		quote_r(out, export_col_label(def, c, lang));
		buf_putc(out, '\n');
		if (q.oom)
			out->oom = 1;
		buf_free(&q);
	}
	buf_puts(out, r_tests);
	/* the knowledge items of the summary's paired[] and retro[] */
	for (int retro = 0; retro < 2; retro++) {
		struct buf items = BUF_INIT, firsts = BUF_INIT, posts = BUF_INIT;
		size_t n = 0;
		char col[QDEF_FIELD_MAX + 16];

		for (size_t i = 0; post->present &&
		    def->instruments[QDEF_PRE].present && i < post->nitems; i++) {
			const struct qdef_item *it = &post->items[i];
			if (it->role != QDEF_ROLE_KNOWLEDGE ||
			    (retro ? !it->retro : it->twin < 0))
				continue;
			buf_puts(&items, n ? ", " : "");
			quote_r(&items, it->key);
			snprintf(col, sizeof(col), retro ? "post.%s.retro"
			    : "pre.%s", it->key);
			buf_puts(&firsts, n ? ", " : "");
			quote_r(&firsts, col);
			snprintf(col, sizeof(col), "post.%s", it->key);
			buf_puts(&posts, n ? ", " : "");
			quote_r(&posts, col);
			n++;
		}
		buf_printf(out, "show(\"%s\", c(%s),\n     c(%s),\n     c(%s))\n",
		    retro ? "retro" : "paired", buf_cstr(&items),
		    buf_cstr(&firsts), buf_cstr(&posts));
		if (items.oom || firsts.oom || posts.oom)
			out->oom = 1;
		buf_free(&items);
		buf_free(&firsts);
		buf_free(&posts);
	}
	st = out->oom ? 500 : 0;
out:
	labels_free(labels, ncols);
	buf_free(&file);
	free(cols);
	return st;
}

/* ---------------------------------------------------------------- SPSS */

/* SPSS limits: value labels 120 bytes, variable labels 255, strings 32767. */
#define SPS_VALUE_LABEL 120
#define SPS_VAR_LABEL 255
#define SPS_STRING_MAX 32767

/* The input format of a column in GET DATA. */
static void sps_format(const struct export_col *c, struct buf *b)
{
	size_t w = QDEF_VALUE_MAX;

	if (col_numeric(c) && !(c->role == EXPORT_COL_ITEM &&
	    c->it->type == QDEF_NUMBER)) {
		buf_puts(b, "F2.0");
		return;
	}
	switch (c->role) {
	case EXPORT_COL_LANG:
		w = 2;
		break;
	case EXPORT_COL_SOURCE:
		w = 5;
		break;
	case EXPORT_COL_OTHER:
		w = 4 * QDEF_OTHER_MAX; /* UTF-8: up to 4 bytes a character */
		break;
	case EXPORT_COL_ITEM:
		if (c->it->type == QDEF_NUMBER)
			w = QDEF_NUMBER_MAX; /* as typed: "2,5" stays exact */
		else if (c->it->type == QDEF_MULTI)
			w = c->it->noptions * (QDEF_VALUE_MAX + 1);
		else if (c->it->type == QDEF_TEXT ||
		    c->it->type == QDEF_LONGTEXT)
			w = 4 * c->it->max_length;
		break;
	default:
		break;
	}
	if (w < 1)
		w = 1;
	buf_printf(b, "A%zu", w > SPS_STRING_MAX ? (size_t)SPS_STRING_MAX : w);
}

int office_sps(const struct qdef *def, const char *slug, enum qdef_lang lang,
    struct buf *out)
{
	struct export_col *cols = NULL;
	struct col_labels *labels = NULL;
	struct buf file = BUF_INIT;
	size_t ncols = 0;
	int st = 500, any = 0;

	if ((cols = export_wide_cols(def, &ncols)) == NULL ||
	    (labels = labels_of(def, cols, ncols, lang)) == NULL)
		goto out;
	buf_printf(&file, "%s-wide.csv", slug);
	buf_puts(out, "* Encoding: UTF-8.\n"
	    "* labels.sps: reads the csv-wide export of an enquete event and\n"
	    "* labels every variable and value (SPSS or PSPP). Put the CSV in\n"
	    "* the working directory or change the FILE below. A text answer\n"
	    "* holding a line break splits its case (DELCASE=LINE).\n\n"
	    "GET DATA\n  /TYPE=TXT\n  /FILE=");
	quote_sps(out, buf_cstr(&file), SPS_STRING_MAX);
	buf_puts(out, "\n  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n"
	    "  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n"
	    "  /QUALIFIER='\"'\n  /VARIABLES=\n    participant A9\n");
	for (size_t i = 0; i < ncols; i++) {
		buf_printf(out, "    %s ", cols[i].name);
		sps_format(&cols[i], out);
		buf_putc(out, '\n');
	}
	buf_puts(out, ".\n\nVARIABLE LABELS\n");
	for (size_t i = 0; i < ncols; i++) {
		buf_printf(out, "  %s%s ", i ? "/" : "", cols[i].name);
		quote_sps(out, export_col_label(def, &cols[i], lang),
		    SPS_VAR_LABEL);
		buf_putc(out, '\n');
	}
	buf_puts(out, ".\n");
	for (size_t i = 0; i < ncols; i++) {
		const struct col_labels *l = &labels[i];
		int numeric = col_numeric(&cols[i]);

		if (l->n == 0)
			continue;
		if (any++ == 0)
			buf_puts(out, "\nVALUE LABELS\n");
		else
			buf_putc(out, '/');
		buf_printf(out, "  %s\n", cols[i].name);
		for (size_t k = 0; k < l->n; k++) {
			buf_puts(out, "    ");
			if (numeric)
				buf_puts(out, l->v[k].value); /* digits */
			else
				quote_sps(out, l->v[k].value, SPS_STRING_MAX);
			buf_putc(out, ' ');
			quote_sps(out, l->v[k].label, SPS_VALUE_LABEL);
			buf_putc(out, '\n');
		}
	}
	buf_puts(out, any ? ".\nEXECUTE.\n" : "EXECUTE.\n");
	st = out->oom ? 500 : 0;
out:
	labels_free(labels, ncols);
	buf_free(&file);
	free(cols);
	return st;
}
