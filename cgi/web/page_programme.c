/* page_programme.c: the programme view (GET /admin/programme?events=...:
 * one row per event, pooled figures over the shown events' participants,
 * a forest plot of the change in knowledge per event) and the programme's
 * export (GET /admin/programme/export.csv: csv-long of several events with
 * `event` first). DESIGN.md "Reports for the donor", "Exports (second
 * stage)", "Statistics for small groups" (hidden events are left out of
 * every pooled figure). Without ?events= both take every event of the
 * events list. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "chart_forest.h"
#include "event.h"
#include "export.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "stats.h"
#include "store.h"
#include "store_programme.h"
#include "summary.h"

#define PROGRAMME_MAX 64 /* events in one view or export */

struct programme_slugs {
	char v[PROGRAMME_MAX][QDEF_SLUG_MAX + 1];
	int n;
};

static int add_listed(void *ctx, const struct store_admin_event *e)
{
	struct programme_slugs *s = ctx;

	if (s->n >= PROGRAMME_MAX)
		return 0; /* the first PROGRAMME_MAX of the list */
	snprintf(s->v[s->n++], sizeof(s->v[0]), "%s", e->slug);
	return 0;
}

/* The events of ?events= (comma-separated slugs, checked by keys.c; a
 * repeat counts once), or every event of the events list without it.
 * Returns 0, 400 (an invalid list, or more than PROGRAMME_MAX), 503. */
static int programme_slugs(struct req *r, struct programme_slugs *s)
{
	const struct kval *ev = &r->in[KEY_EVENTS];
	enum store_rc rc;

	s->n = 0;
	if (ev->state == KEY_INVALID)
		return 400;
	if (ev->state != KEY_VALID) {
		rc = store_admin_events(&app.db, r->lang, r->user_id,
		    add_listed, s);
		if (rc == STORE_DOWN)
			return 503;
		if (rc != STORE_OK) {
			log_msg(r, "programme events: %s", store_error(&app.db));
			return 500;
		}
		return 0;
	}
	for (const char *p = ev->str; *p;) {
		size_t len = strcspn(p, ",");
		int dup = 0;

		if (len == 0 || len > QDEF_SLUG_MAX)
			return 400;
		if (s->n >= PROGRAMME_MAX)
			return 400;
		memcpy(s->v[s->n], p, len);
		s->v[s->n][len] = '\0';
		for (int k = 0; k < s->n; k++)
			dup |= strcmp(s->v[k], s->v[s->n]) == 0;
		if (!dup)
			s->n++;
		p += len;
		if (*p == ',')
			p++;
	}
	return s->n > 0 ? 0 : 400;
}

/* ---- the view ---- */

/* x with decimals, or the em dash, into o[key]. */
static int set_fixed(struct json_object *o, const char *key, double x,
    int decimals)
{
	char s[32];

	return jset_str(o, key, chart_fmt_fixed(s, sizeof(s), x, decimals));
}

/* "[lo; hi]" or "" when undefined. */
static int set_ci(struct json_object *o, const char *key, int defined,
    double lo, double hi, int decimals)
{
	char a[32], b[32], s[80] = "";

	if (defined && isfinite(lo) && isfinite(hi))
		snprintf(s, sizeof(s), "[%s; %s]",
		    chart_fmt_fixed(a, sizeof(a), lo, decimals),
		    chart_fmt_fixed(b, sizeof(b), hi, decimals));
	return jset_str(o, key, s);
}

/* The change in knowledge of a group from its sums. */
struct change {
	long long n;
	double mean, lo, hi;
	int ci;
};

static struct change change_of(const struct store_change *c)
{
	struct change x = {c->n, c->n ? c->sum / (double)c->n : NAN, NAN, NAN,
	    0};

	x.ci = stats_t_ci95(c->n, c->sum, c->sumsq, &x.lo, &x.hi) == 0;
	return x;
}

/* The knowledge items of def that the summary pairs (post items with a
 * pre twin) as a JSON array of keys, into b. */
static void knowledge_keys(const struct qdef *def, struct buf *b)
{
	const struct qdef_instrument *post = &def->instruments[QDEF_POST];
	int n = 0;

	buf_putc(b, '[');
	for (size_t i = 0; post->present && i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		if (it->role != QDEF_ROLE_KNOWLEDGE || it->twin < 0)
			continue;
		/* keys are [a-z0-9_] (qdef.c): no escaping needed */
		buf_printf(b, "%s\"%s\"", n++ ? "," : "", it->key);
	}
	buf_putc(b, ']');
}

/* What the pooled row adds up over the shown events. */
struct pool {
	int events;
	long long n, paired;
	struct store_change change;
	long long quiz_n, max_score;
	int max_differs;
	double quiz_pre, quiz_post; /* sums of n * mean score */
	struct stats_nps nps;
};

static int event_row(struct json_object *list,
    const char *slug, const struct qdef *def, const struct summary *s,
    int hidden, const struct change *ch, enum qdef_lang lang)
{
	struct json_object *e = json_object_new_object();
	const struct summary_nps *nps = &s->nps;
	struct json_object *country = NULL;

	if (e == NULL || json_object_array_add(list, e) != 0) {
		json_object_put(e);
		return -1;
	}
	if (def->place)
		json_object_object_get_ex(def->place, "country", &country);
	if (jset_str(e, "slug", slug) ||
	    jset_str(e, "title", qdef_text(def, def->title, lang)) ||
	    jset_str(e, "country", country ? json_object_get_string(country)
					   : "") ||
	    jset_str(e, "date_start", def->date_start ? def->date_start : "") ||
	    jset_int(e, "n", summary_participants(s)) ||
	    jset_int(e, "paired", s->counts.paired) ||
	    jset_bool(e, "hidden", hidden))
		return -1;
	if (hidden)
		return 0;
	return set_fixed(e, "change", ch->mean, 2) ||
	    set_ci(e, "change_ci", ch->ci, ch->lo, ch->hi, 2) ||
	    jset_int(e, "change_n", ch->n) ||
	    set_fixed(e, "quiz_gain", s->quiz.normalized_gain, 2) ||
	    set_fixed(e, "nps", nps->present ? nps->score : NAN, 1) ||
	    set_ci(e, "nps_ci", nps->present && nps->ci95.defined,
		nps->ci95.lo, nps->ci95.hi, 1);
}

static void pool_add(struct pool *p, const struct summary *s,
    const struct store_change *c)
{
	const struct summary_quiz *q = &s->quiz;

	p->events++;
	p->n += summary_participants(s);
	p->paired += s->counts.paired;
	p->change.n += c->n;
	p->change.sum += c->sum;
	p->change.sumsq += c->sumsq;
	if (q->n > 0 && isfinite(q->pre_mean_score) &&
	    isfinite(q->post_mean_score)) {
		if (p->quiz_n > 0 && p->max_score != q->max_score)
			p->max_differs = 1;
		p->max_score = q->max_score;
		p->quiz_n += q->n;
		p->quiz_pre += (double)q->n * q->pre_mean_score;
		p->quiz_post += (double)q->n * q->post_mean_score;
	}
	if (s->nps.present) {
		p->nps.n += s->nps.n;
		p->nps.promoters += s->nps.promoters;
		p->nps.passives += s->nps.passives;
		p->nps.detractors += s->nps.detractors;
	}
}

static int pooled_row(struct json_object *data, struct pool *p,
    const struct change *ch)
{
	struct json_object *o = json_object_new_object();
	double gain = NAN, lo = NAN, hi = NAN;
	int nps_ci;

	if (o == NULL || json_object_object_add(data, "pooled", o) != 0) {
		json_object_put(o);
		return -1;
	}
	if (p->quiz_n > 0 && !p->max_differs) {
		double pre = p->quiz_pre / (double)p->quiz_n;
		double post = p->quiz_post / (double)p->quiz_n;
		if ((double)p->max_score - pre != 0)
			gain = (post - pre) / ((double)p->max_score - pre);
	}
	p->nps.score = p->nps.n ? 100.0 * (double)(p->nps.promoters -
	    p->nps.detractors) / (double)p->nps.n : NAN;
	nps_ci = stats_nps_ci95(&p->nps, &lo, &hi) == 0;
	return jset_int(o, "events", p->events) || jset_int(o, "n", p->n) ||
	    jset_int(o, "paired", p->paired) ||
	    set_fixed(o, "change", ch->mean, 2) ||
	    set_ci(o, "change_ci", ch->ci, ch->lo, ch->hi, 2) ||
	    jset_int(o, "change_n", ch->n) ||
	    set_fixed(o, "quiz_gain", gain, 2) ||
	    set_fixed(o, "nps", p->nps.score, 1) ||
	    set_ci(o, "nps_ci", nps_ci, lo, hi, 1);
}

/* Renders the forest plot into data.forest_svg. */
static int forest(struct req *r, struct json_object *data,
    const struct chart_forest_row *rows, size_t n)
{
	const struct chart_common cc = {"forest", page_t(r,
	    "office_forest_title"), page_t(r, "office_none"),
	    strcmp(i18n_dir(r->lang), "rtl") == 0};
	struct json_object *chart = chart_forest(&cc, page_t(r,
	    "office_change_word"), page_t(r, "office_ci_word"), "n", rows, n);
	struct buf b = BUF_INIT;
	int rc = -1;

	if (chart == NULL)
		return -1;
	if (page_fragment("svg/forest", chart, &b) == 0 && !b.oom)
		rc = jset_str(data, "forest_svg", buf_cstr(&b));
	json_object_put(chart);
	buf_free(&b);
	return rc;
}

/*
 * GET /admin/programme[?events=a,b,...]: 200; 400 an invalid list (or
 * more than PROGRAMME_MAX events); 404 an unknown event; 503; 500.
 */
int page_programme(struct req *r)
{
	struct programme_slugs *sl = calloc(1, sizeof(*sl));
	struct summary *sums[PROGRAMME_MAX] = {NULL};
	struct chart_forest_row rows[PROGRAMME_MAX + 1];
	char labels[PROGRAMME_MAX + 1][QDEF_SLUG_MAX + 1];
	struct json_object *data = NULL, *list = NULL;
	struct buf keys = BUF_INIT, joined = BUF_INIT;
	struct pool pool;
	struct change pc;
	enum qdef_lang lang;
	size_t nrows = 0;
	int status = 500, n = 0;

	memset(&pool, 0, sizeof(pool));
	if (sl == NULL)
		goto out;
	if ((status = programme_slugs(r, sl)) != 0) {
		if (status == 400)
			status = page_error_text(r, 400,
			    "office_programme_usage");
		goto out;
	}
	status = 500;
	lang = (enum qdef_lang)(qdef_lang_from_name(r->lang) < 0 ? 0
	    : qdef_lang_from_name(r->lang));
	if ((data = page_data(r)) == NULL || page_admin_common(r, data) ||
	    (list = json_object_new_array()) == NULL ||
	    json_object_object_add(data, "events", list) != 0) {
		json_object_put(list);
		goto out;
	}
	for (n = 0; n < sl->n; n++) {
		struct event_info ev;
		struct store_change sc;
		struct change ch;
		int st = event_lookup(&app.adb, sl->v[n], &ev), hidden;

		if (st != 0) {
			status = st;
			goto out;
		}
		switch (summary_build(&app.adb, ev.def, ev.id, sl->v[n], NULL,
		    &sums[n])) {
		case SUMMARY_OK:
			break;
		case SUMMARY_DOWN:
			status = 503;
			goto out;
		default:
			goto out;
		}
		buf_reset(&keys);
		knowledge_keys(ev.def, &keys);
		if (keys.oom)
			goto out;
		switch (store_programme_change(&app.adb, ev.id,
		    buf_cstr(&keys), &sc)) {
		case STORE_READ_OK:
			break;
		case STORE_READ_DOWN:
			status = 503;
			goto out;
		default:
			goto out;
		}
		ch = change_of(&sc);
		/* the disclosure rule: an event under 5 participants shows
		 * counts only and stays out of every pooled figure */
		hidden = summary_participants(sums[n]) < SUMMARY_MIN_GROUP ||
		    sums[n]->restricted;
		if (event_row(list, sl->v[n], ev.def, sums[n], hidden, &ch,
		    lang) != 0)
			goto out;
		buf_printf(&joined, "%s%s", n ? "," : "", sl->v[n]);
		if (hidden)
			continue;
		pool_add(&pool, sums[n], &sc);
		snprintf(labels[nrows], sizeof(labels[0]), "%s", sl->v[n]);
		rows[nrows] = (struct chart_forest_row){labels[nrows], ch.mean,
		    ch.ci ? ch.lo : NAN, ch.ci ? ch.hi : NAN, ch.n, 0};
		nrows++;
	}
	pc = change_of(&pool.change);
	rows[nrows] = (struct chart_forest_row){page_t(r, "office_pooled"),
	    pc.mean, pc.ci ? pc.lo : NAN, pc.ci ? pc.hi : NAN, pc.n, 1};
	if (pooled_row(data, &pool, &pc) != 0 ||
	    jset_str(data, "events_param", buf_cstr(&joined)) ||
	    jset_bool(data, "has_shown", nrows > 0) ||
	    (nrows > 0 && forest(r, data, rows, nrows + 1) != 0) ||
	    joined.oom)
		goto out;
	status = page_render(r, 200, "programme", page_t(r,
	    "office_programme"), data);
	data = NULL;
out:
	json_object_put(data);
	for (int i = 0; i < n && i < PROGRAMME_MAX; i++)
		summary_free(sums[i]);
	buf_free(&keys);
	buf_free(&joined);
	free(sl);
	return status;
}

/*
 * GET /admin/programme/export.csv[?events=a,b][&excel=1]: csv-long of the
 * events, `event` first, in the order given. Every event is exported
 * (answer-level exports are for experts and admins; the disclosure rule
 * governs views). 200; 400; 404; 503; 500.
 */
int page_programme_export(struct req *r)
{
	struct programme_slugs *sl = calloc(1, sizeof(*sl));
	const struct kval *excel = &r->in[KEY_EXCEL];
	struct buf *out = &r->resp.body;
	int xl = excel->state == KEY_VALID && excel->n == 1;
	struct page_attachment a = {r,
	    "attachment; filename=\"programme-long.csv\"", 0};
	struct export_sink sink;
	int st = 500;

	if (sl == NULL)
		return 500;
	if (excel->state == KEY_INVALID || (st = programme_slugs(r, sl)) != 0) {
		free(sl);
		return excel->state == KEY_INVALID ? 400 : st;
	}
	/* every event must exist before a byte is written */
	for (int i = 0; i < sl->n; i++) {
		struct event_info ev;
		if ((st = event_lookup(&app.adb, sl->v[i], &ev)) != 0)
			goto out;
	}
	/* streamed like the one-event exports: the worker's memory does not
	 * grow with the events (a failure after the first chunk cuts the
	 * connection, main_fcgi.c) */
	r->resp.content_type = "text/csv; charset=utf-8";
	r->resp.status = 200; /* the head a first chunk sends */
	buf_reset(out);
	sink = page_attachment_sink(&a);
	if (xl)
		buf_puts(out, "\xEF\xBB\xBF");
	buf_puts(out, "event,participant,instrument,submitted_at,item,value,"
		      "lang,source\r\n");
	for (int i = 0; i < sl->n; i++) {
		struct event_info ev;
		if ((st = event_lookup(&app.adb, sl->v[i], &ev)) != 0 ||
		    (st = export_long_event(&app.adb, ev.id, sl->v[i], xl,
			&sink)) != 0)
			goto out;
	}
	st = page_attachment_head(&a) != 0 ? 500 : 200;
out:
	if (st != 200) {
		buf_reset(out);
		r->resp.content_type = NULL; /* the error page's own */
	}
	free(sl);
	return st;
}
