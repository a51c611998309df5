/* page_report.c: the dashboard's content as a printable A4 report
 * (templates/report.mustache); the data is the dashboard's
 * (dash_page_data in page_dashboard.c). */
#include <stdio.h>

#include <json-c/json.h>

#include "page.h"
#include "pages.h"

/*
 * GET /admin/e/{slug}/report[?filters]: the same content as a printable
 * A4 report. 200; 400; 404; 503; 500 (as the dashboard).
 */
int page_report(struct req *r)
{
	struct json_object *data, *title_v = NULL;
	char title[300];
	int status = dash_page_data(r, 1, &data);

	if (status != 0)
		return status;
	json_object_object_get_ex(data, "event_title", &title_v);
	snprintf(title, sizeof(title), "%s \xc2\xb7 %s", page_t(r, "report"),
	    json_object_get_string(title_v));
	return page_render(r, 200, "report", title, data);
}
