/* page_dashboard.c: the expert's dashboard (GET /admin/e/{slug}), and the
 * data it shares with the printable report (page_report.c). The handler
 * reads the filters, the typed summary (summary.h) and the store's rows
 * (store_dash.h); the view (dash_view.c) turns them into template data. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "dash_view.h"
#include "event.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "report.h"
#include "report_view.h"
#include "store_dash.h"
#include "store_fold.h"
#include "store_paper.h"
#include "summary.h"

/* A store read that did not go through, as the status of the page: 503
 * database unreachable, the timeout page for a filtered read cut short,
 * else 500. */
static int read_status(struct req *r, enum store_read rc)
{
	switch (rc) {
	case STORE_READ_DOWN:
		return 503;
	case STORE_READ_TIMEOUT:
		return page_error_text(r, 503, "text_filter_slow");
	default:
		return 500;
	}
}

/* The filters from the query: profile items with a non-empty value (the
 * language and empty "All" choices dropped). */
static int query_filters(const struct req *r, const struct qdef *def,
    struct kvlist *out)
{
	/* the dynamic family of the route (keys.h); summary.c validates
	 * each against the definition */
	const struct kvlist *fam = keys_family(r, KFAM_FILTERS);

	for (size_t i = 0; i < fam->n; i++) {
		const struct kv *q = &fam->v[i];
		if (strcmp(q->key, "lang") == 0 || q->value[0] == '\0')
			continue;
		(void)def;
		if (kvlist_add(out, q->key, strlen(q->key), q->value,
			q->value_len) != 0)
			return -1;
	}
	return 0;
}

/* Free-text answers grouped by question, under the same filters as the
 * summary. Returns 0, or a status. */
static int sec_comments(struct req *r, const struct dash_view *v,
    long event_id, const struct summary_filters *f,
    struct json_object *data)
{
	struct dash_comment_keys keys;
	struct store_dash_comments c;
	struct store_filter sf[SUMMARY_MAX_FILTERS];
	enum store_read rc;
	int status = 500;

	if (dash_comment_keys(v->def, &keys) != 0)
		return 500;
	for (size_t i = 0; i < f->n; i++) {
		sf[i].key = f->v[i].item->key;
		sf[i].value = f->v[i].value;
	}
	/* without filters, through the index and the counters (flat with the
	 * number of participants); with them, from the selected ones */
	rc = f->n == 0 ?
	    store_dash_comments(&app.adb, event_id, keys.v, keys.n, &c) :
	    store_dash_comments_filtered(&app.adb, event_id, keys.v, keys.n,
		sf, f->n, &c);
	dash_comment_keys_free(&keys);
	if (rc != STORE_READ_OK)
		return read_status(r, rc);
	if (dash_view_comments(v, &c, data) == 0)
		status = 0;
	store_dash_comments_free(&c);
	return status;
}

/* Consented contacts (admins only). Returns 0, or a status. */
static int sec_contacts(struct req *r, const struct dash_view *v,
    long event_id, struct json_object *data)
{
	const struct qdef_item *interest = qdef_interest_item(v->def);
	struct store_dash_contacts c;
	enum store_read rc;
	int status = 500;

	/* beside each contact: the answer to the collaboration question;
	 * 201 read to know there are more than the 200 shown */
	rc = store_dash_contacts(&app.adb, event_id,
	    interest ? interest->key : "", 201, &c);
	if (rc != STORE_READ_OK)
		return read_status(r, rc);
	if (dash_view_contacts(v, &c, data) == 0)
		status = 0;
	store_dash_contacts_free(&c);
	return status;
}

int dash_page_data(struct req *r, int report, struct json_object **out)
{
	return dash_page_data_more(r, report, out, NULL);
}

int dash_page_data_more(struct req *r, int report, struct json_object **out,
    int (*more)(struct req *, const struct dash_ctx *, struct json_object *))
{
	struct event_info ev;
	struct kvlist kv = {0};
	struct summary_filters f;
	struct summary *sum = NULL;
	struct store_dash_preissued pi;
	struct store_replica rep;
	struct json_object *data = NULL;
	struct dash_view v;
	enum store_read rc;
	const char *why;
	/* the management links: admins and the event's organisers */
	int status, admin = strcmp(r->user_role, "admin") == 0 ||
	    strcmp(r->user_role, "organiser") == 0;

	*out = NULL;
	status = event_lookup(&app.adb, r->slug, &ev);
	if (status != 0)
		return status;
	if (query_filters(r, ev.def, &kv) != 0) {
		status = 500;
		goto out;
	}
	/* the filters, validated once against the definition */
	if (summary_filters_parse(ev.def, &kv, &f, &why) != 0) {
		status = 400;
		goto out;
	}
	switch (summary_build(&app.adb, ev.def, ev.id, r->slug, &f, &sum)) {
	case SUMMARY_OK:
		break;
	case SUMMARY_DOWN:
		status = 503;
		goto out;
	case SUMMARY_TIMEOUT: /* combined filters, too slow */
		status = page_error_text(r, 503, "text_filter_slow");
		goto out;
	default:
		status = 500;
		goto out;
	}
	status = 500;
	dash_view_init(&v, ev.def, r->lang, NULL);
	if ((data = page_data(r)) == NULL || page_admin_common(r, data) ||
	    jset_bool(data, "report", report) ||
	    dash_view_event(&v, r->slug, admin, data) ||
	    dash_view_filters(&v, &f, data) ||
	    /* the follow-up's invite buttons (page_followup.c) */
	    jset_bool(data, "can_invite", admin && !report &&
		ev.def->instruments[QDEF_FOLLOWUP].present))
		goto out;
	/* the event's own collaboration heading and legal note (the console's
	 * set-up page); the catalog's generic words when it has none */
	{
		enum qdef_lang dl = qdef_lang_from_name(r->lang) < 0 ? QDEF_LANG_FR
		    : (enum qdef_lang)qdef_lang_from_name(r->lang);

		if ((ev.def->collab_title && jset_str(data, "collab_title",
			 qdef_text(ev.def, ev.def->collab_title, dl))) ||
		    (ev.def->contacts_note && jset_str(data, "contacts_note",
			 qdef_text(ev.def, ev.def->contacts_note, dl))))
			goto out;
	}
	if ((rc = store_dash_preissued(&app.adb, ev.id, &pi)) != STORE_READ_OK) {
		status = read_status(r, rc);
		goto out;
	}
	if (dash_view_counts(&v, sum, &pi, data) != 0)
		goto out;
	/* responses typed from paper sheets (whole event; page_paper.c) */
	{
		long ppre = 0, ppost = 0;
		struct json_object *po;
		int pst = store_paper_counts(&app.adb, ev.id, &ppre, &ppost);

		if (pst != 0) {
			status = pst == 503 ? 503 : 500;
			goto out;
		}
		if ((po = json_object_new_object()) == NULL)
			goto out;
		if (json_object_object_add(data, "paper", po) != 0) {
			json_object_put(po);
			goto out;
		}
		if (jset_int(po, "pre", ppre) || jset_int(po, "post", ppost))
			goto out;
	}
	if ((rc = store_replica_lag(&app.adb, &rep)) != STORE_READ_OK) {
		status = read_status(r, rc);
		goto out;
	}
	if (dash_view_replica(&rep, data) != 0)
		goto out;
	/* the statistics folder's lag (schema/016): the figures are exact
	 * whatever it is; a growing lag means the folder is not running and
	 * each read computes more. Unknown: the line is left out. */
	{
		long long lag, pending;

		if (store_fold_lag(&app.adb, ev.id, &lag, &pending) != 0)
			log_msg(r, "dashboard: the folder's lag is unknown");
		else if (dash_view_fold(lag, pending, data) != 0)
			goto out;
	}
	if (sum->restricted) {
		if (jset_bool(data, "restricted", 1))
			goto out;
	} else {
		int st;

		if (dash_view_figures(&v, sum, data) != 0)
			goto out;
		/* free text needs a group of at least SUMMARY_MIN_GROUP
		 * (disclosure control), the whole event included */
		if (report) {
			/* the report lists its comments itself (merged,
			 * with their language: page_report.c) */
		} else if (summary_participants(sum) < SUMMARY_MIN_GROUP) {
			if (jset_bool(data, "comments_small", 1))
				goto out;
		} else if ((st = sec_comments(r, &v, ev.id, &f, data)) != 0) {
			status = st;
			goto out;
		}
		/* contacts: the dashboard's, never the report's */
		if (admin && f.n == 0 && !report &&
		    (st = sec_contacts(r, &v, ev.id, data)) != 0) {
			status = st;
			goto out;
		}
	}
	if (more != NULL) {
		struct dash_ctx ctx = {ev.id, ev.def, sum, &f, &v,
		    pi.attendance};
		int st = more(r, &ctx, data);

		if (st != 0) {
			status = st;
			goto out;
		}
	}
	*out = data;
	data = NULL;
	status = 0;
out:
	json_object_put(data);
	summary_free(sum);
	kvlist_free(&kv);
	return status;
}

/*
 * GET /admin/e/{slug}[?<profile item>=<value>...]: the dashboard.
 * 200; 400 a filter that is not a profile item; 404 no such event;
 * 503 database unreachable (or filters too slow to combine); 500.
 */
/* The dashboard's head and profile: the executive summary's key figures
 * and the participants' items, from the report's model (report.h). */
static int dash_more(struct req *r, const struct dash_ctx *c,
    struct json_object *data)
{
	struct report_facts facts = {0};
	struct report rep;
	int rc;

	(void)r;
	facts.attendance = c->attendance;
	facts.generated_at = "";
	facts.data_as_of = "";
	facts.filtered = c->f->n > 0;
	facts.comments_hidden = 1;
	if (report_build(c->def, c->sum, &facts, &rep) != 0)
		return 500;
	rc = report_view_keyfigs(c->v, &rep, data) ||
	    report_view_participants(c->v, &rep, data) ? 500 : 0;
	report_free(&rep);
	return rc;
}

int page_dashboard(struct req *r)
{
	struct json_object *data, *title_v = NULL;
	char title[300];
	int status = dash_page_data_more(r, 0, &data, dash_more);

	if (status != 0)
		return status;
	json_object_object_get_ex(data, "event_title", &title_v);
	snprintf(title, sizeof(title), "%s \xc2\xb7 %s", page_t(r, "dashboard"),
	    json_object_get_string(title_v));
	return page_render(r, 200, "dashboard", title, data);
}
