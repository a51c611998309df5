/* pages.h: every request handler, one file per page (page_*.c). Each
 * handler's comment lists the statuses it can return. */
#ifndef ENQUETE_PAGES_H
#define ENQUETE_PAGES_H

#include <json-c/json.h>

#include "http.h"

/* GET /healthz: 200 "ok" when the database answers SELECT 1; 503. */
int page_healthz(struct req *r);

/* page_form.c: the attendee flow */
int page_home(struct req *r);
int page_event(struct req *r);
int page_form_get(struct req *r);
int page_form_post(struct req *r);
int page_thanks(struct req *r);
int page_add_slash(struct req *r);
/* Frees the per-worker cache of questionnaire pages. */
void page_form_cache_free(void);

/* page_codes.c: badge codes (admins) */
int page_codes(struct req *r);
int page_codes_add(struct req *r);
int page_poster(struct req *r);

/* page_admin.c */
int page_login_get(struct req *r);
int page_login_post(struct req *r);
int page_logout(struct req *r);
int page_admin_index(struct req *r);
int page_users(struct req *r);
int page_users_add(struct req *r);
int page_users_del(struct req *r);
/* The users page with status and a message (i18n key, or NULL): shown as
 * an error when status >= 400. Returns status, 503 or 500. */
int page_users_render(struct req *r, int status, const char *msg_key);
/* Adds csrf, user, admin flags to an admin page's data; 0 or -1. */
int page_admin_common(struct req *r, struct json_object *d);

/* page_api.c: the JSON API */
int page_api_summary(struct req *r);

/* page_followup.c: the follow-up's invitations (issue 24) */
int page_unsubscribe_get(struct req *r);
int page_unsubscribe_post(struct req *r);
int page_invite_post(struct req *r);

/* page_export.c: exports */
int page_export_csv(struct req *r);
int page_export_json(struct req *r);
int page_export_codebook(struct req *r);
int page_contacts_csv(struct req *r);

/* page_dashboard.c: the dashboard */
int page_dashboard(struct req *r);
/* The dashboard's template data (report: for the printable report);
 * 0 with *out (caller passes it to page_render, which frees it), or a
 * status (400, 404, 503, 500). Shared with page_report.c. */
int dash_page_data(struct req *r, int report, struct json_object **out);
/* What dash_page_data() read, lent to its `more` callback (all borrowed
 * for the call). */
struct dash_ctx {
	long event_id;
	const struct qdef *def;
	const struct summary *sum;
	const struct summary_filters *f;
	const struct dash_view *v;
	long long attendance;
};
/* dash_page_data() with a callback that adds to the data before it is
 * returned (NULL: none); the callback returns 0 or a status. */
int dash_page_data_more(struct req *r, int report, struct json_object **out,
    int (*more)(struct req *, const struct dash_ctx *, struct json_object *));
/* page_report.c: the printable report, the Word document, the charts */
int page_report(struct req *r);
int page_report_docx(struct req *r);
int page_report_chart(struct req *r);
/* page_compare.c: events side by side */
int page_compare(struct req *r);

/* page_paper.c: paper questionnaires and their data entry (admins) */
int page_paper_print(struct req *r);
int page_paper_batch(struct req *r);
int page_entry_get(struct req *r);
int page_entry_post(struct req *r);
int page_entry_conflicts(struct req *r);
int page_entry_mode(struct req *r);

/* page_definition.c: the current definition as JSON or XLSForm (admins) */
int page_definition_json(struct req *r);
int page_definition_xlsx(struct req *r);

/* page_office.c: results.xlsx, analysis.R, labels.sps */
int page_results_xlsx(struct req *r);
int page_analysis_r(struct req *r);
int page_labels_sps(struct req *r);
/* page_programme.c: the programme view and its export */
int page_programme(struct req *r);
int page_programme_export(struct req *r);
/* page_roles.c: roles and scopes, one's own password, the audit log,
 * archiving an event, erasing a participant */
int page_users_access(struct req *r);
int page_password_get(struct req *r);
int page_password_post(struct req *r);
int page_audit_log(struct req *r);
int page_archive(struct req *r);
int page_erase_get(struct req *r);
int page_erase_post(struct req *r);
/* Records a change made through the console in the audit log (audit.h),
 * by r's user, on event slug (NULL: none); steals detail (may be NULL).
 * A failure is logged, never shown: the change itself is done. 0 / -1. */
int page_audit(struct req *r, const char *slug, const char *action,
    struct json_object *detail);
/* the organiser's console (page_console.c; the preview in page_form.c) */
int page_event_new(struct req *r);
int page_event_create(struct req *r);
int page_setup_get(struct req *r);
int page_setup_post(struct req *r);
int page_definition_upload(struct req *r);
int page_window(struct req *r);
int page_live(struct req *r);
int page_preview_get(struct req *r);
int page_preview_post(struct req *r);

#endif
