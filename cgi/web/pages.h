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
/* page_report.c: the printable report */
int page_report(struct req *r);
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

#endif
