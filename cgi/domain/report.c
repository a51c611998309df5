/* report.c: the donor's report as one typed model (report.h), from the
 * summary, the definition and the store's facts. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

struct json_object *report_item_objective(const struct qdef_item *it)
{
	struct json_object *o = NULL;

	if (it == NULL || it->json == NULL ||
	    !json_object_object_get_ex(it->json, "objective", &o))
		return NULL;
	if (!json_object_is_type(o, json_type_string) &&
	    !json_object_is_type(o, json_type_object))
		return NULL;
	return o;
}

/* The mean of x[0..n) skipping what is not finite; NAN when none is. */
static double mean_finite(const double *x, size_t n)
{
	double s = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i])) {
			s += x[i];
			k++;
		}
	return k ? s / (double)k : NAN;
}

static double ratio(long long a, long long b)
{
	return b > 0 ? (double)a / (double)b : NAN;
}

static void build_exec(struct report *rep)
{
	const struct summary *s = rep->sum;
	struct report_exec *e = &rep->exec;
	size_t n = s->restricted ? 0 : s->npaired;
	double *pre = calloc(n + 1, sizeof(double));
	double *post = calloc(n + 1, sizeof(double));

	e->participants = summary_participants(s);
	e->pre = s->counts.pre;
	e->post = s->counts.post;
	e->paired = s->counts.paired;
	e->attendance = rep->facts->attendance;
	e->pre_rate = ratio(e->pre, e->attendance);
	e->post_rate = ratio(e->post, e->attendance);
	e->paired_rate = ratio(e->paired, e->attendance);
	e->retention = ratio(e->paired, e->pre);
	e->knowledge_pre = e->knowledge_post = e->knowledge_diff = NAN;
	e->quiz_pre = e->quiz_post = e->quiz_gain = e->quiz_p = NAN;
	if (s->restricted || pre == NULL || post == NULL) {
		free(pre);
		free(post);
		return;
	}
	e->knowledge_items = n;
	for (size_t i = 0; i < n; i++) {
		const struct summary_test *t = &s->paired[i];
		pre[i] = t->first_mean;
		post[i] = t->post_mean;
		if (isfinite(t->p_holm) && t->p_holm < REPORT_ALPHA &&
		    t->post_mean > t->first_mean)
			e->knowledge_significant++;
		if (t->n > e->knowledge_pairs)
			e->knowledge_pairs = t->n;
	}
	e->knowledge_pre = mean_finite(pre, n);
	e->knowledge_post = mean_finite(post, n);
	e->knowledge_diff = e->knowledge_post - e->knowledge_pre;
	free(pre);
	free(post);
	if (s->quiz.nitems > 0) {
		e->has_quiz = 1;
		e->quiz_n = s->quiz.n;
		e->quiz_pre = s->quiz.pre_mean_score;
		e->quiz_post = s->quiz.post_mean_score;
		e->quiz_max = s->quiz.max_score;
		e->quiz_gain = s->quiz.normalized_gain;
		e->quiz_p = s->quiz.total.wilcoxon.p_value;
	}
	if (s->nranking > 0) {
		e->ranking = &s->ranking[0];
		e->ntop = e->ranking->noptions < 3 ? e->ranking->noptions : 3;
	}
}

/* Participants: every profile and descriptive item with a distribution,
 * pre first, in form order. */
static int build_profile(struct report *rep)
{
	const struct summary *s = rep->sum;

	if (s->restricted || s->nitems == 0)
		return 0;
	if ((rep->profile = calloc(s->nitems, sizeof(*rep->profile))) == NULL)
		return -1;
	for (int k = 0; k < QDEF_KIND__MAX; k++)
		for (size_t i = 0; i < s->nitems; i++) {
			const struct summary_item *it = &s->items[i];
			struct report_profile *p;

			if ((int)it->instrument != k ||
			    (it->item->role != QDEF_ROLE_PROFILE &&
				it->item->role != QDEF_ROLE_DESCRIPTIVE) ||
			    (it->item->type != QDEF_SINGLE &&
				it->item->type != QDEF_MULTI))
				continue;
			p = &rep->profile[rep->nprofile++];
			p->item = it->item;
			p->instrument = it->instrument;
			p->n = it->n;
			p->dist = it->dist;
			p->ndist = it->ndist;
		}
	return 0;
}

/* The section of the post item key, or NULL. */
static const struct qdef_section *section_of(const struct qdef *def,
    const struct qdef_item *it)
{
	const struct qdef_instrument *in = &def->instruments[QDEF_POST];

	if (!in->present || it->section >= in->nsections)
		return NULL;
	return &in->sections[it->section];
}

/* 1 when two objectives (strings or localized objects) are the same. */
static int same_json(struct json_object *a, struct json_object *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL)
		return 0;
	return strcmp(json_object_to_json_string(a),
		   json_object_to_json_string(b)) == 0;
}

/* Results per objective: the knowledge items grouped by their
 * "objective", else by the section they are asked in, in the order of
 * their first item. */
static int build_objectives(struct report *rep)
{
	const struct summary *s = rep->sum;
	size_t n = s->restricted ? 0 : s->npaired;

	if (n == 0)
		return 0;
	if ((rep->objectives = calloc(n, sizeof(*rep->objectives))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct qdef_item *it = s->paired[i].item;
		struct json_object *obj = report_item_objective(it);
		const struct qdef_section *sec = section_of(rep->def, it);
		struct json_object *label = obj ? obj : sec ? sec->title : NULL;
		struct report_objective *g = NULL;

		for (size_t j = 0; j < rep->nobjectives; j++)
			if (same_json(rep->objectives[j].label, label)) {
				g = &rep->objectives[j];
				break;
			}
		if (g == NULL) {
			g = &rep->objectives[rep->nobjectives++];
			g->label = label;
			g->text = obj && json_object_is_type(obj,
			    json_type_string) ? json_object_get_string(obj) :
			    NULL;
			if ((g->paired = calloc(n, sizeof(size_t))) == NULL)
				return -1;
		}
		g->paired[g->n++] = i;
	}
	return 0;
}

/* The item of a comments key ("key" or "key.other"), post first. */
static const struct qdef_item *comment_item(const struct qdef *def,
    const char *key, int *other)
{
	char base[QDEF_FIELD_MAX + 8];
	char *dot;

	snprintf(base, sizeof(base), "%s", key);
	*other = 0;
	if ((dot = strchr(base, '.')) != NULL) {
		*dot = '\0';
		*other = 1;
	}
	for (int k = QDEF_KIND__MAX - 1; k >= 0; k--) {
		const struct qdef_item *it;
		if (def->instruments[k].present &&
		    (it = qdef_item(&def->instruments[k], base)) != NULL)
			return it;
	}
	return NULL;
}

/* Comments: one group per question that has answers, in the order of
 * facts->comment_keys; the rows of a question merged by exact text and
 * language (the store already counts them), at most REPORT_COMMENTS_CAP. */
static int build_comments(struct report *rep)
{
	const struct report_facts *f = rep->facts;

	if (rep->sum->restricted || f->comments_hidden || f->ncomment_keys == 0)
		return 0;
	rep->comments = calloc(f->ncomment_keys, sizeof(*rep->comments));
	if (rep->comments == NULL)
		return -1;
	for (size_t k = 0; k < f->ncomment_keys; k++) {
		struct report_comment_group *g = &rep->comments[rep->ncomments];
		size_t rows = 0;

		for (size_t i = 0; i < f->ncomments; i++)
			rows += strcmp(f->comments[i].item,
				    f->comment_keys[k]) == 0;
		if (rows == 0)
			continue;
		g->key = f->comment_keys[k];
		g->item = comment_item(rep->def, g->key, &g->other);
		g->total = f->comment_totals ? f->comment_totals[k] : 0;
		g->v = calloc(rows < REPORT_COMMENTS_CAP ? rows :
		    REPORT_COMMENTS_CAP, sizeof(*g->v));
		if (g->v == NULL)
			return -1;
		rep->ncomments++;
		for (size_t i = 0; i < f->ncomments; i++) {
			const struct report_comment_in *c = &f->comments[i];
			struct report_comment *m = NULL;

			if (strcmp(c->item, g->key) != 0)
				continue;
			/* the same text in the same language counts once,
			 * with the number of its answers */
			for (size_t j = 0; j < g->n; j++)
				if (strcmp(g->v[j].text, c->text) == 0 &&
				    strcmp(g->v[j].lang, c->lang) == 0)
					m = &g->v[j];
			if (m != NULL) {
				m->count += c->count;
				continue;
			}
			if (g->n == REPORT_COMMENTS_CAP) {
				g->capped = 1;
				continue;
			}
			m = &g->v[g->n++];
			m->text = c->text;
			m->lang = c->lang;
			m->count = c->count;
		}
		/* most frequent first, then as read (stable) */
		for (size_t a = 1; a < g->n; a++)
			for (size_t b = a; b > 0 &&
			     g->v[b].count > g->v[b - 1].count; b--) {
				struct report_comment t = g->v[b];
				g->v[b] = g->v[b - 1];
				g->v[b - 1] = t;
			}
	}
	return 0;
}

static void limit(struct report *rep, enum report_limit_kind k, long long a,
    long long b)
{
	rep->limits[rep->nlimits].kind = k;
	rep->limits[rep->nlimits].a = a;
	rep->limits[rep->nlimits].b = b;
	rep->nlimits++;
}

/* The limitations the data shows. */
static void build_limits(struct report *rep)
{
	const struct summary *s = rep->sum;
	long long pre = s->counts.pre, post = s->counts.post;
	long long paired = s->counts.paired, att = rep->facts->attendance;

	if (rep->facts->filtered)
		limit(rep, REPORT_LIMIT_FILTERED, 0, 0);
	if (paired < REPORT_SMALL_N)
		limit(rep, REPORT_LIMIT_SMALL_N, paired, 0);
	if (pre > paired)
		limit(rep, REPORT_LIMIT_ATTRITION, pre - paired, pre);
	if (post > paired)
		limit(rep, REPORT_LIMIT_UNPAIRED, post - paired, post);
	if (att <= 0)
		limit(rep, REPORT_LIMIT_NO_ATTENDANCE, 0, 0);
	else if (pre < att * 8 / 10)
		limit(rep, REPORT_LIMIT_LOW_RESPONSE, pre, att);
	if (!s->restricted && s->npaired > 0)
		limit(rep, REPORT_LIMIT_SELF_REPORT, 0, 0);
	if (!s->restricted && s->quiz.nitems > 0)
		limit(rep, REPORT_LIMIT_SAME_QUIZ, (long long)s->quiz.nitems,
		    0);
}

int report_build(const struct qdef *def, const struct summary *sum,
    const struct report_facts *facts, struct report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->def = def;
	rep->sum = sum;
	rep->facts = facts;
	build_exec(rep);
	build_limits(rep);
	if (build_profile(rep) != 0 || build_objectives(rep) != 0 ||
	    build_comments(rep) != 0) {
		report_free(rep);
		return -1;
	}
	return 0;
}

void report_free(struct report *rep)
{
	if (rep == NULL)
		return;
	free(rep->profile);
	for (size_t i = 0; i < rep->nobjectives; i++)
		free(rep->objectives[i].paired);
	free(rep->objectives);
	for (size_t i = 0; i < rep->ncomments; i++)
		free(rep->comments[i].v);
	free(rep->comments);
	memset(rep, 0, sizeof(*rep));
}
