/* page_export.c: GET /admin/e/{slug}/export.csv, export.json, codebook.csv
 * (DESIGN.md "Exports"); the bytes come from export.c, shared with
 * `enquetectl export`. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "event.h"
#include "export.h"
#include "pages.h"

/* Looks the event up and writes the export as an attachment. */
static int send_export(struct req *r, enum export_format f, int excel)
{
	struct event_info ev;
	char name[128], disp[160];
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	st = export_write(&app.adb, ev.def, ev.id, r->slug, f, excel,
	    &r->resp.body);
	if (st != 0) {
		buf_reset(&r->resp.body);
		return st;
	}
	export_filename(f, r->slug, name, sizeof(name));
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	r->resp.content_type = export_content_type(f);
	if (resp_header(&r->resp, "Content-Disposition", disp) != 0)
		return 500;
	return 200;
}

/* GET /admin/e/{slug}/export.csv?format=long|wide[&excel=1]: 200; 400 an
 * unknown format or excel other than 0/1; 404; 503; 500. */
int page_export_csv(struct req *r)
{
	const char *format = kvlist_get(&r->query, "format");
	const char *excel = kvlist_get(&r->query, "excel");
	enum export_format f;

	if (format == NULL || strcmp(format, "long") == 0)
		f = EXPORT_CSV_LONG;
	else if (strcmp(format, "wide") == 0)
		f = EXPORT_CSV_WIDE;
	else
		return 400;
	if (excel && strcmp(excel, "0") != 0 && strcmp(excel, "1") != 0)
		return 400;
	return send_export(r, f, excel && strcmp(excel, "1") == 0);
}

/* GET /admin/e/{slug}/export.json: 200; 404; 503; 500. */
int page_export_json(struct req *r)
{
	return send_export(r, EXPORT_JSON, 0);
}

/* GET /admin/e/{slug}/codebook.csv[?excel=1]: 200; 404; 503; 500. */
int page_export_codebook(struct req *r)
{
	const char *excel = kvlist_get(&r->query, "excel");

	return send_export(r, EXPORT_CODEBOOK, excel && strcmp(excel, "1") == 0);
}
