/* page_report.c: the donor's report (DESIGN.md "Reports for the donor"):
 * the printable A4 page (templates/report.mustache), the same sections as
 * a Word document (report_docx.c) and each chart alone as SVG. All three
 * render one model (cgi/domain/report.c) through one view
 * (report_view.c), on top of the dashboard's figures (dash_page_data). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app.h"
#include "buf.h"
#include "dash_view.h"
#include "form.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "report.h"
#include "report_docx.h"
#include "report_view.h"
#include "store_report.h"
#include "summary.h"

/* A figure of the by-sex table: "%.2f" (as the report's other tables
 * print means, changes and the normalised quiz gain), or an em dash when
 * undefined. */
static int fig(struct json_object *o, const char *key, double x)
{
	char b[32];

	if (isnan(x))
		snprintf(b, sizeof(b), "\u2014");
	else
		snprintf(b, sizeof(b), "%.2f", x);
	return jset_str(o, key, b);
}

/* Results by sex (issue 24): for each value of the pre form's `sex` item
 * (DESIGN.md "Bundled instruments"), the pairs, the knowledge before,
 * after and its change, the quiz gain and the NPS of that group, each
 * computed by the summary filtered on it, so the disclosure rule holds: a
 * group the summary restricts (fewer than 5, or one that would unmask
 * another) shows no figure. Only on the whole event's report. Adds
 * "by_sex" to data when the event asks sex and some group is shown. 0, or
 * a status. */
static int report_by_sex(struct req *r, const struct dash_ctx *c,
    struct json_object *data)
{
	const struct qdef_instrument *pre = qdef_instrument(c->def, "pre");
	const struct qdef_item *it = pre ? qdef_item(pre, "sex") : NULL;
	struct json_object *sec, *rows;
	struct report_facts facts = {0};
	int nshown = 0;

	if (it == NULL || it->role != QDEF_ROLE_PROFILE ||
	    it->noptions == 0 || c->f->n > 0 || c->sum->restricted)
		return 0;
	if ((sec = jnew_obj(data, "by_sex")) == NULL ||
	    (rows = jnew_arr(sec, "rows")) == NULL)
		return 500;
	facts.attendance = c->attendance;
	facts.generated_at = facts.data_as_of = "";
	facts.filtered = 1;
	facts.comments_hidden = 1;
	for (size_t i = 0; i < it->noptions; i++) {
		const char *value = it->options[i].value;
		struct kvlist kv = {0};
		struct summary_filters f;
		struct summary *s = NULL;
		struct report rep;
		struct json_object *o = jpush(rows);
		const char *why;
		int shown, bad;

		if (o == NULL)
			return 500;
		if (kvlist_add(&kv, it->key, strlen(it->key), value,
			strlen(value)) != 0 ||
		    summary_filters_parse(c->def, &kv, &f, &why) != 0) {
			kvlist_free(&kv);
			return 500;
		}
		switch (summary_build(&app.adb, c->def, c->event_id, r->slug, &f,
		    &s)) {
		case SUMMARY_OK:
			break;
		case SUMMARY_DOWN:
			kvlist_free(&kv);
			return 503;
		default:
			kvlist_free(&kv);
			return 500;
		}
		shown = !s->restricted;
		bad = jset_str(o, "value", value) ||
		    jset_str(o, "label", qdef_text(c->def, it->options[i].label,
			c->v->lang)) ||
		    jset_bool(o, "shown", shown);
		if (!bad && shown) {
			if (report_build(c->def, s, &facts, &rep) != 0)
				bad = 1;
			else {
				bad = jset_int(o, "paired", rep.exec.paired) ||
				    fig(o, "before", rep.exec.knowledge_pre) ||
				    fig(o, "after", rep.exec.knowledge_post) ||
				    fig(o, "change", rep.exec.knowledge_diff) ||
				    fig(o, "quiz_gain", rep.exec.has_quiz ?
					rep.exec.quiz_gain : NAN) ||
				    (s->nps.present ? fig(o, "nps",
					s->nps.score) :
					jset_str(o, "nps", "\u2014"));
				report_free(&rep);
			}
		} else if (!bad) {
			/* the Word table has no merged cells: dashes */
			static const char *const k[] = {"paired", "before",
			    "after", "change", "quiz_gain", "nps"};
			for (size_t j = 0; !bad && j < 6; j++)
				bad = jset_str(o, k[j], "\u2014");
		}
		summary_free(s);
		kvlist_free(&kv);
		if (bad)
			return 500;
		nshown += shown;
	}
	/* no group large enough: no table (the counts say it already) */
	if (nshown == 0)
		json_object_object_del(data, "by_sex");
	return 0;
}

/* The report's own reads and its sections, added to the dashboard's
 * data. Returns 0, or a status (503, 500). */
static int report_more(struct req *r, const struct dash_ctx *c,
    struct json_object *data)
{
	struct report_facts facts = {0};
	struct store_report_comments sc = {0};
	struct dash_comment_keys keys = {0};
	struct report_comment_in *in = NULL;
	long long *totals = NULL;
	struct report rep;
	char as_of[40], now[40], prefix[160];
	time_t t = time(NULL);
	struct tm tm;
	enum store_read rc;
	int status = 500;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", &tm) == 0)
		return 500;
	if ((rc = store_report_as_of(&app.adb, c->event_id, as_of,
		 sizeof(as_of) - 4)) != STORE_READ_OK)
		return rc == STORE_READ_DOWN ? 503 : 500;
	if (as_of[0])
		strcat(as_of, " UTC");
	facts.attendance = c->attendance;
	facts.generated_at = now;
	facts.data_as_of = as_of;
	facts.filtered = c->f->n > 0;
	/* free text needs a group of at least SUMMARY_MIN_GROUP; under
	 * filters the report lists none (its whole-event report does) */
	facts.comments_hidden = c->sum->restricted ||
	    summary_participants(c->sum) < SUMMARY_MIN_GROUP;
	if (!facts.comments_hidden && !facts.filtered) {
		if (dash_comment_keys(c->def, &keys) != 0)
			goto out;
		/* one more than shown: the report says when there are more */
		rc = store_report_comments(&app.adb, c->event_id, keys.v,
		    keys.n, REPORT_COMMENTS_CAP + 1, &sc);
		if (rc != STORE_READ_OK) {
			status = rc == STORE_READ_DOWN ? 503 : 500;
			goto out;
		}
		in = calloc(sc.n + 1, sizeof(*in));
		totals = calloc(keys.n + 1, sizeof(*totals));
		if (in == NULL || totals == NULL)
			goto out;
		for (size_t i = 0; i < sc.n; i++) {
			in[i].item = sc.v[i].item;
			in[i].text = sc.v[i].text;
			in[i].lang = sc.v[i].lang;
			in[i].count = sc.v[i].count;
			for (size_t k = 0; k < keys.n; k++)
				if (strcmp(keys.v[k], sc.v[i].item) == 0)
					totals[k] = sc.v[i].total;
		}
		facts.comments = in;
		facts.ncomments = sc.n;
		facts.comment_keys = keys.v;
		facts.comment_totals = totals;
		facts.ncomment_keys = keys.n;
	}
	if (report_build(c->def, c->sum, &facts, &rep) != 0)
		goto out;
	snprintf(prefix, sizeof(prefix), "/admin/e/%s/chart/", r->slug);
	if (report_view(c->v, &rep, data) == 0 &&
	    report_view_chart_list(data, prefix) == 0)
		status = report_by_sex(r, c, data);
	report_free(&rep);
out:
	free(in);
	free(totals);
	store_report_comments_free(&sc);
	dash_comment_keys_free(&keys);
	return status;
}

/* The report's data for r, or a status. */
static int report_data(struct req *r, struct json_object **out)
{
	return dash_page_data_more(r, 1, out, report_more);
}

/*
 * GET /admin/e/{slug}/report[?lang=&filters]: the printable A4 report.
 * 200; 400 (a filter that is not a profile item); 404; 503; 500.
 */
int page_report(struct req *r)
{
	struct json_object *data, *title_v = NULL;
	char title[300];
	int status = report_data(r, &data);

	if (status != 0)
		return status;
	json_object_object_get_ex(data, "event_title", &title_v);
	snprintf(title, sizeof(title), "%s \xc2\xb7 %s", page_t(r, "report"),
	    json_object_get_string(title_v));
	return page_render(r, 200, "report", title, data);
}

/*
 * GET /admin/e/{slug}/chart/{name}.svg[?lang=]: one chart of the report
 * alone (standalone SVG, for slides). 200; 404 (no such event or chart);
 * 503; 500.
 */
int page_report_chart(struct req *r)
{
	struct json_object *data, *c, *svg = NULL;
	const char *s;
	int status = report_data(r, &data);

	if (status != 0)
		return status;
	if ((c = report_view_chart(data, r->name)) == NULL ||
	    !json_object_object_get_ex(c, "svg", &svg)) {
		json_object_put(data);
		return 404;
	}
	s = json_object_get_string(svg);
	buf_reset(&r->resp.body);
	buf_puts(&r->resp.body,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	/* a fixed size for slides instead of the page's width="100%" */
	{
		const char *vb = strstr(s, "viewBox=\"0 0 "), *w100;
		double w = 0, h = 0;

		w100 = strstr(s, " width=\"100%\"");
		if (vb && w100 && sscanf(vb, "viewBox=\"0 0 %lf %lf", &w, &h) == 2) {
			buf_printf(&r->resp.body, "%.*s width=\"%g\" height=\"%g\"%s",
			    (int)(w100 - s), s, w, h,
			    w100 + strlen(" width=\"100%\""));
		} else
			buf_puts(&r->resp.body, s);
	}
	buf_putc(&r->resp.body, '\n');
	json_object_put(data);
	if (r->resp.body.oom) {
		buf_reset(&r->resp.body);
		return 500;
	}
	r->resp.content_type = "image/svg+xml; charset=utf-8";
	return 200;
}

/*
 * GET /admin/e/{slug}/report.docx[?lang=&filters]: the report as an
 * editable Word document. 200; 400; 404; 503; 500.
 */
int page_report_docx(struct req *r)
{
	struct json_object *data;
	char disp[160], err[256];
	int status = report_data(r, &data);

	if (status != 0)
		return status;
	buf_reset(&r->resp.body);
	if (report_docx_write(data, &r->resp.body, err, sizeof(err)) != 0) {
		log_msg(r, "report.docx: %s", err);
		json_object_put(data);
		buf_reset(&r->resp.body);
		return 500;
	}
	json_object_put(data);
	r->resp.content_type = "application/vnd.openxmlformats-"
			       "officedocument.wordprocessingml.document";
	snprintf(disp, sizeof(disp),
	    "attachment; filename=\"%s-report-%s.docx\"", r->slug, r->lang);
	if (resp_header(&r->resp, "Content-Disposition", disp) != 0)
		return 500;
	return 200;
}
