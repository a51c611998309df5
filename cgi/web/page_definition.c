/* page_definition.c: GET /admin/e/{slug}/definition.json and
 * /definition.xlsx (DESIGN.md "The organiser's console"): the event's
 * current definition as an attachment, the JSON as `enquetectl definition
 * --format json` writes it, or an XLSForm workbook (cgi/domain/xlsform.c);
 * either loads back (`enquetectl load`, the console's upload) to the same
 * definition. Admins only for now. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "buf.h"
#include "event.h"
#include "log.h"
#include "pages.h"
#include "xlsform.h"

#define XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Writes the current definition of r->slug as an XLSForm workbook (xlsx)
 * or as JSON, an attachment named {slug}-definition.xlsx or .json. 200;
 * 404 (no such event); 503 (the database is unreachable: the worker's last
 * copy may be out of date); 500. */
static int send_definition(struct req *r, int xlsx)
{
	struct event_info ev;
	struct buf *out = &r->resp.body;
	char disp[160], err[256];
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	if (ev.stale)
		return 503;
	buf_reset(out);
	if (xlsx) {
		if (xlsform_write(ev.def->json, out, err, sizeof(err)) != 0) {
			log_msg(r, "definition.xlsx: %s", err);
			buf_reset(out);
			return 500;
		}
		r->resp.content_type = XLSX_TYPE;
	} else {
		/* json-c keeps the string inside the object: valid until the
		 * object changes, and the cached definition never does */
		const char *s = json_object_to_json_string_ext(ev.def->json,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		if (s == NULL)
			return 500;
		buf_puts(out, s);
		buf_putc(out, '\n');
		r->resp.content_type = "application/json";
	}
	if (out->oom) {
		buf_reset(out);
		return 500;
	}
	snprintf(disp, sizeof(disp),
	    "attachment; filename=\"%s-definition.%s\"", r->slug,
	    xlsx ? "xlsx" : "json");
	if (resp_header(&r->resp, "Content-Disposition", disp) != 0)
		return 500;
	return 200;
}

/* GET /admin/e/{slug}/definition.json: 200; 404; 503; 500. */
int page_definition_json(struct req *r)
{
	return send_definition(r, 0);
}

/* GET /admin/e/{slug}/definition.xlsx: 200; 404; 503; 500. */
int page_definition_xlsx(struct req *r)
{
	return send_definition(r, 1);
}
