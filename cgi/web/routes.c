/* routes.c: the route table and its matcher. */
#include "routes.h"

#include <string.h>

#include "keys.h"
#include "pages.h"

/* Each route lists the inputs its handler reads (keys.h); the front
 * controller parses those alone, once. */
#define K(k) KEY_BIT(k)

const struct route routes[] = {
	{M_GET, "/healthz", page_healthz, 0, 0, 0},
	{M_GET, "/", page_home, 0, 0, 0},
	{M_GET, "/e/{slug}", page_add_slash, 0, 0, 0},
	{M_GET, "/e/{slug}/", page_event, 0, K(KEY_CODE_COOKIE), 0},
	{M_GET, "/e/{slug}/{inst}", page_form_get, 0,
	    K(KEY_CODE) | K(KEY_CODE_COOKIE) | K(KEY_LINK), 0},
	{M_POST, "/e/{slug}/{inst}", page_form_post, 0,
	    K(KEY_FORM_TOKEN) | K(KEY_FORM_LANG) | K(KEY_FORM_CODE) |
		K(KEY_FORM_EDIT) | K(KEY_FORM_VERSION) | K(KEY_CODE_COOKIE),
	    KFAM_ANSWERS},
	{M_GET, "/e/{slug}/{inst}/thanks", page_thanks, 0, K(KEY_CODE_COOKIE),
	    0},
	{M_GET, "/admin/login", page_login_get, 0,
	    K(KEY_NEXT) | K(KEY_NEXT_FORM), 0},
	{M_POST, "/admin/login", page_login_post, 0,
	    K(KEY_USERNAME) | K(KEY_PASSWORD) | K(KEY_NEXT) | K(KEY_NEXT_FORM),
	    0},
	{M_POST, "/admin/logout", page_logout, RF_SESSION | RF_CSRF, 0, 0},
	{M_GET, "/admin", page_add_slash, 0, 0, 0},
	{M_GET, "/admin/", page_admin_index, RF_SESSION, 0, 0},
	{M_GET, "/admin/users", page_users, RF_SESSION | RF_ADMIN, 0, 0},
	{M_GET, "/admin/e/{slug}/codes", page_codes, RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/e/{slug}/codes", page_codes_add,
	    RF_SESSION | RF_MANAGE | RF_CSRF, K(KEY_COUNT), 0},
	{M_GET, "/admin/e/{slug}/poster", page_poster, RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/users", page_users_add, RF_SESSION | RF_ADMIN | RF_CSRF,
	    K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_PASSWORD) | K(KEY_SCOPE), 0},
	{M_POST, "/admin/users/delete", page_users_del,
	    RF_SESSION | RF_ADMIN | RF_CSRF, K(KEY_USERNAME), 0},
	{M_GET, "/api/v1/events/{slug}/summary", page_api_summary,
	    RF_API | RF_SESSION, 0, KFAM_FILTERS},
	{M_GET, "/admin/e/{slug}/export.csv", page_export_csv, RF_SESSION,
	    K(KEY_FORMAT) | K(KEY_EXCEL), 0},
	{M_GET, "/admin/e/{slug}/export.json", page_export_json, RF_SESSION, 0, 0},
	{M_GET, "/admin/e/{slug}/contacts.csv", page_contacts_csv,
	    RF_SESSION | RF_MANAGE, K(KEY_EXCEL), 0},
	{M_GET, "/admin/e/{slug}/codebook.csv", page_export_codebook,
	    RF_SESSION, K(KEY_EXCEL), 0},
	{M_GET, "/admin/e/{slug}", page_dashboard, RF_SESSION, 0, KFAM_FILTERS},
	{M_GET, "/admin/e/{slug}/report", page_report, RF_SESSION, 0,
	    KFAM_FILTERS},
	/* the donor's report as a Word document, and its charts alone */
	{M_GET, "/admin/e/{slug}/report.docx", page_report_docx, RF_SESSION,
	    0, KFAM_FILTERS},
	{M_GET, "/admin/e/{slug}/chart/{name}.svg", page_report_chart,
	    RF_SESSION, 0, 0},
	{M_GET, "/admin/compare", page_compare, RF_SESSION, K(KEY_EVENTS), 0},
	/* paper questionnaires (page_paper.c) */
	{M_GET, "/admin/e/{slug}/paper/{inst}", page_paper_print,
	    RF_SESSION | RF_MANAGE,
	    K(KEY_PAPER_BATCH) | K(KEY_PAPER_SHEETS) | K(KEY_PAPER_FIRST), 0},
	{M_POST, "/admin/e/{slug}/paper/batch", page_paper_batch,
	    RF_SESSION | RF_MANAGE | RF_CSRF,
	    K(KEY_BATCH_COUNT) | K(KEY_BATCH_TOKEN) | K(KEY_INSTRUMENT) |
		K(KEY_LANG_FORM), 0},
	{M_GET, "/admin/e/{slug}/entry/conflicts", page_entry_conflicts,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/e/{slug}/entry/mode", page_entry_mode,
	    RF_SESSION | RF_MANAGE | RF_CSRF,
	    K(KEY_DOUBLE_ENTRY) | K(KEY_INSTRUMENT), 0},
	{M_GET, "/admin/e/{slug}/entry/{inst}", page_entry_get,
	    RF_SESSION | RF_MANAGE,
	    K(KEY_RESOLVE) | K(KEY_SAVED) | K(KEY_ENTRY_STATE), 0},
	{M_POST, "/admin/e/{slug}/entry/{inst}", page_entry_post,
	    RF_SESSION | RF_MANAGE | RF_CSRF,
	    K(KEY_FORM_LANG) | K(KEY_FORM_CODE) | K(KEY_SHEET) |
		K(KEY_RESOLVE_FORM), KFAM_ANSWERS},
	/* the current definition, in either format (page_definition.c) */
	{M_GET, "/admin/e/{slug}/definition.json", page_definition_json,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_GET, "/admin/e/{slug}/definition.xlsx", page_definition_xlsx,
	    RF_SESSION | RF_MANAGE, 0, 0},
	/* the event's data for other programs (page_office.c) and the
	 * programme view (page_programme.c): DESIGN.md "Reports for the
	 * donor" */
	{M_GET, "/admin/e/{slug}/results.xlsx", page_results_xlsx, RF_SESSION,
	    0, 0},
	{M_GET, "/admin/e/{slug}/analysis.R", page_analysis_r, RF_SESSION, 0,
	    0},
	{M_GET, "/admin/e/{slug}/labels.sps", page_labels_sps, RF_SESSION, 0,
	    0},
	{M_GET, "/admin/programme", page_programme, RF_SESSION, K(KEY_EVENTS),
	    0},
	{M_GET, "/admin/programme/export.csv", page_programme_export,
	    RF_SESSION, K(KEY_EVENTS) | K(KEY_EXCEL), 0},
	/* roles, password, audit log, archive, erasure (page_roles.c) */
	{M_POST, "/admin/users/access", page_users_access,
	    RF_SESSION | RF_ADMIN | RF_CSRF,
	    K(KEY_USERNAME) | K(KEY_ROLE) | K(KEY_SCOPE), 0},
	{M_GET, "/admin/password", page_password_get, RF_SESSION, 0, 0},
	{M_POST, "/admin/password", page_password_post, RF_SESSION | RF_CSRF,
	    K(KEY_CURRENT_PASSWORD) | K(KEY_PASSWORD), 0},
	{M_GET, "/admin/audit", page_audit_log, RF_SESSION,
	    K(KEY_AUDIT_EVENT), 0},
	{M_POST, "/admin/e/{slug}/archive", page_archive,
	    RF_SESSION | RF_ADMIN | RF_CSRF, K(KEY_CONFIRM), 0},
	{M_GET, "/admin/e/{slug}/erase", page_erase_get, RF_SESSION | RF_MANAGE,
	    0, 0},
	{M_POST, "/admin/e/{slug}/erase", page_erase_post,
	    RF_SESSION | RF_MANAGE | RF_CSRF, K(KEY_ERASE_CODE) | K(KEY_CONFIRM),
	    0},
	/* the organiser's console (page_console.c; preview: page_form.c):
	 * admins, and organisers within their scope */
	{M_GET, "/admin/events/new", page_event_new,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/events", page_event_create,
	    RF_SESSION | RF_MANAGE | RF_CSRF, 0, KFAM_CONSOLE},
	{M_GET, "/admin/e/{slug}/setup", page_setup_get,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/e/{slug}/setup", page_setup_post,
	    RF_SESSION | RF_MANAGE | RF_CSRF, 0, KFAM_CONSOLE},
	{M_POST, "/admin/e/{slug}/definition", page_definition_upload,
	    RF_SESSION | RF_MANAGE | RF_CSRF, 0, KFAM_CONSOLE},
	{M_POST, "/admin/e/{slug}/window", page_window,
	    RF_SESSION | RF_MANAGE | RF_CSRF, 0, KFAM_CONSOLE},
	{M_GET, "/admin/e/{slug}/live", page_live,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_GET, "/admin/e/{slug}/preview/{inst}", page_preview_get,
	    RF_SESSION | RF_MANAGE, 0, 0},
	{M_POST, "/admin/e/{slug}/preview/{inst}", page_preview_post,
	    RF_SESSION | RF_MANAGE | RF_CSRF, K(KEY_FORM_LANG), KFAM_ANSWERS},
	/* the follow-up's invitations and their opt-out (page_followup.c) */
	{M_GET, "/e/{slug}/unsubscribe", page_unsubscribe_get, 0, K(KEY_LINK),
	    0},
	{M_POST, "/e/{slug}/unsubscribe", page_unsubscribe_post, 0,
	    K(KEY_LINK) | K(KEY_LINK_FORM), 0},
	{M_POST, "/admin/e/{slug}/invite", page_invite_post,
	    RF_SESSION | RF_MANAGE | RF_CSRF, K(KEY_REMINDER), 0},
};
const size_t routes_len = sizeof(routes) / sizeof(routes[0]);

static const char *const method_names[M__MAX] = {"GET", "HEAD", "POST", "?"};

/* A slug: lower-case letters, digits and inner dashes, 1..64 bytes. */
static size_t match_slug(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	    s[n] == '-')
		n++;
	if (n == 0 || n >= outlen || s[0] == '-' || s[n - 1] == '-')
		return 0;
	if (s[n] != '/' && s[n] != '\0')
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

/* 1 when path matches pattern; fills the placeholders into r. */
static int match(const char *pattern, const char *path, struct req *r)
{
	const char *p = pattern, *s = path;

	while (*p) {
		if (strncmp(p, "{slug}", 6) == 0) {
			size_t n = match_slug(s, r->slug, sizeof(r->slug));
			if (n == 0)
				return 0;
			s += n;
			p += 6;
		} else if (strncmp(p, "{name}", 6) == 0) {
			size_t n = 0;
			while ((s[n] >= 'a' && s[n] <= 'z') ||
			    (s[n] >= '0' && s[n] <= '9') || s[n] == '-')
				n++;
			if (n == 0 || n >= sizeof(r->name))
				return 0;
			memcpy(r->name, s, n);
			r->name[n] = '\0';
			s += n;
			p += 6;
		} else if (strncmp(p, "{inst}", 6) == 0) {
			if (strncmp(s, "pre", 3) == 0 &&
			    (s[3] == '/' || s[3] == '\0')) {
				r->instrument = 0;
				s += 3;
			} else if (strncmp(s, "post", 4) == 0 &&
			    (s[4] == '/' || s[4] == '\0')) {
				r->instrument = 1;
				s += 4;
			} else if (strncmp(s, "followup", 8) == 0 &&
			    (s[8] == '/' || s[8] == '\0')) {
				r->instrument = 2;
				s += 8;
			} else
				return 0;
			p += 6;
		} else {
			if (*p != *s)
				return 0;
			p++;
			s++;
		}
	}
	return *s == '\0';
}

const struct route *route_find(const struct route *tbl, size_t n,
    struct req *r, int *status, char *allow, size_t allowlen)
{
	int seen[M__MAX] = {0}, any = 0;
	enum http_method m = r->method == M_HEAD ? M_GET : r->method;

	for (size_t i = 0; i < n; i++) {
		if (!match(tbl[i].pattern, r->path, r))
			continue;
		if (tbl[i].method == m) {
			r->route = &tbl[i];
			return &tbl[i];
		}
		seen[tbl[i].method] = 1;
		any = 1;
	}
	r->slug[0] = '\0';
	r->instrument = -1;
	if (!any) {
		*status = 404;
		return NULL;
	}
	*status = 405;
	if (allowlen == 0)
		return NULL;
	allow[0] = '\0';
	for (int k = 0; k < M__MAX; k++) {
		if (!seen[k])
			continue;
		if (allow[0])
			strncat(allow, ", ", allowlen - strlen(allow) - 1);
		strncat(allow, method_names[k], allowlen - strlen(allow) - 1);
		if (k == M_GET)
			strncat(allow, ", HEAD", allowlen - strlen(allow) - 1);
	}
	return NULL;
}
