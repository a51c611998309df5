/* page_compare.c: events side by side (GET /admin/compare): the slugs
 * from the query, each event's typed summary, and the comparison view
 * (dash_view_compare). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "dash_view.h"
#include "event.h"
#include "keys.h"
#include "page.h"
#include "pages.h"
#include "summary.h"

#define COMPARE_MAX 8 /* events side by side */

/*
 * GET /admin/compare?events=a,b,...: events side by side on their shared
 * items (same key and type); one event alone is its own table (the
 * programme view links here). 200; 400 no valid slug (or more than
 * COMPARE_MAX); 404 an unknown event; 503; 500.
 */
int page_compare(struct req *r)
{
	/* comma-separated slugs, checked by the keys table (keys.c) */
	const struct kval *events = &r->in[KEY_EVENTS];
	const char *list = events->state == KEY_VALID ? events->str : NULL;
	char slugs[COMPARE_MAX][QDEF_SLUG_MAX + 1];
	struct summary *sums[COMPARE_MAX] = {NULL};
	struct dash_cmp_event ce[COMPARE_MAX];
	struct event_info ev;
	struct json_object *data = NULL;
	int n = 0, status = 500;

	memset(ce, 0, sizeof(ce));
	/* the slugs: comma-separated, each a valid slug, no repeats */
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		int ok = len > 0 && len <= QDEF_SLUG_MAX && p[0] != '-' &&
		    p[len - 1] != '-';
		for (size_t i = 0; ok && i < len; i++)
			ok = (p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= '0' && p[i] <= '9') || p[i] == '-';
		if (ok && n < COMPARE_MAX) {
			int dup = 0;
			memcpy(slugs[n], p, len);
			slugs[n][len] = '\0';
			for (int k = 0; k < n; k++)
				dup |= strcmp(slugs[k], slugs[n]) == 0;
			if (!dup)
				n++;
		} else if (len > 0)
			n = -COMPARE_MAX; /* any invalid slug: a bad request */
		p += len;
		if (*p == ',')
			p++;
	}
	if (n < 1) {
		n = 0;
		data = page_data(r);
		if (data == NULL || page_admin_common(r, data) ||
		    jset_str(data, "heading", page_t(r, "title_400")) ||
		    jset_str(data, "text", page_t(r, "dash_compare_usage")))
			goto out;
		status = page_render(r, 400, "error", page_t(r, "title_400"),
		    data);
		data = NULL;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int st = event_lookup(&app.adb, slugs[i], &ev);
		if (st != 0) {
			status = st;
			goto out;
		}
		switch (summary_build(&app.adb, ev.def, ev.id, slugs[i], NULL,
		    &sums[i])) {
		case SUMMARY_OK:
			break;
		case SUMMARY_DOWN:
			status = 503;
			goto out;
		default:
			status = 500;
			goto out;
		}
		ce[i].slug = slugs[i];
		ce[i].def = ev.def;
		ce[i].sum = sums[i];
		ce[i].hidden = summary_participants(sums[i]) <
		    SUMMARY_MIN_GROUP;
	}
	if ((data = page_data(r)) == NULL || page_admin_common(r, data) ||
	    dash_view_compare(r->lang, ce, n, data) != 0)
		goto out;
	status = page_render(r, 200, "compare", page_t(r, "dash_compare"),
	    data);
	data = NULL;
out:
	json_object_put(data);
	for (int i = 0; i < n; i++)
		summary_free(sums[i]);
	return status;
}
