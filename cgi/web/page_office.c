/* page_office.c: the event's data for other programs (DESIGN.md "Reports
 * for the donor"): GET /admin/e/{slug}/results.xlsx, /analysis.R and
 * /labels.sps, each an attachment built by cgi/domain/office.c in the
 * chosen language (?lang=, else the request's, else the definition's). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "event.h"
#include "log.h"
#include "office.h"
#include "page.h"
#include "pages.h"
#include "summary.h"

enum office_kind { OFFICE_XLSX, OFFICE_R, OFFICE_SPS, OFFICE__MAX };

static const struct {
	const char *suffix, *type;
} office_files[OFFICE__MAX] = {
	[OFFICE_XLSX] = {"-results.xlsx", OFFICE_XLSX_TYPE},
	[OFFICE_R] = {"-analysis.R", "text/plain; charset=utf-8"},
	[OFFICE_SPS] = {"-labels.sps", "text/plain; charset=utf-8"},
};

/* Builds the file of kind k for r->slug into the response body. 200; 404;
 * 503 (database down, or the worker's copy of the definition is stale);
 * 500. */
static int send_office(struct req *r, enum office_kind k)
{
	struct event_info ev;
	struct summary *sum = NULL;
	struct buf *out = &r->resp.body;
	enum qdef_lang lang;
	char disp[160];
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	lang = page_def_lang(r, ev.def, NULL);
	buf_reset(out);
	switch (k) {
	case OFFICE_XLSX: {
		const struct office_words w = {
		    page_t(r, "office_chart_knowledge"),
		    page_t(r, "office_chart_ranking"),
		    page_t(r, "office_before"), page_t(r, "office_after")};
		switch (summary_build(&app.adb, ev.def, ev.id, r->slug, NULL,
		    &sum)) {
		case SUMMARY_OK:
			break;
		case SUMMARY_DOWN:
			return 503;
		default:
			return 500;
		}
		st = office_xlsx(&app.adb, ev.def, ev.id, sum, lang, &w,
		    cfg_int(CFG_XLSX_SHEET_ROWS), out);
		summary_free(sum);
		break;
	}
	case OFFICE_R:
		st = office_r(ev.def, r->slug, lang, out);
		break;
	default:
		st = office_sps(ev.def, r->slug, lang, out);
		break;
	}
	if (st != 0 || out->oom) {
		buf_reset(out);
		return st ? st : 500;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s%s\"", r->slug,
	    office_files[k].suffix);
	r->resp.content_type = office_files[k].type;
	if (resp_header(&r->resp, "Content-Disposition", disp) != 0)
		return 500;
	return 200;
}

/* GET /admin/e/{slug}/results.xlsx[?lang=]: 200; 404; 503; 500. */
int page_results_xlsx(struct req *r)
{
	return send_office(r, OFFICE_XLSX);
}

/* GET /admin/e/{slug}/analysis.R[?lang=]: 200; 404; 503; 500. */
int page_analysis_r(struct req *r)
{
	return send_office(r, OFFICE_R);
}

/* GET /admin/e/{slug}/labels.sps[?lang=]: 200; 404; 503; 500. */
int page_labels_sps(struct req *r)
{
	return send_office(r, OFFICE_SPS);
}
