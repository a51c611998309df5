/* page_export.c: GET /admin/e/{slug}/export.csv, export.json, codebook.csv
 * (DESIGN.md "Exports"); the bytes come from export.c, shared with
 * `enquetectl export`. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "event.h"
#include "export.h"
#include "keys.h"
#include "log.h"
#include "page.h"
#include "pages.h"

/* Looks the event up and streams the export as an attachment: the rows
 * are read one by one and sent every EXPORT_CHUNK bytes (export.h), so a
 * worker's memory does not grow with the event. A failure before the
 * first chunk is an ordinary error page; after it, the connection is cut
 * (main_fcgi.c). */
static int send_export(struct req *r, enum export_format f, int excel)
{
	struct event_info ev;
	char name[128], disp[160];
	struct page_attachment a = {r, disp, 0};
	struct export_sink sink;
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	export_filename(f, r->slug, name, sizeof(name));
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	r->resp.content_type = export_content_type(f);
	r->resp.status = 200; /* the head a first chunk sends */
	buf_reset(&r->resp.body);
	sink = page_attachment_sink(&a);
	st = export_stream(&app.adb, ev.def, ev.id, r->slug, f, excel, &sink);
	if (st != 0) {
		buf_reset(&r->resp.body);
		r->resp.content_type = NULL; /* the error page's own */
		return st;
	}
	if (page_attachment_head(&a) != 0)
		return 500;
	return 200;
}

/* GET /admin/e/{slug}/export.csv?format=long|wide[&excel=1]: 200; 400 an
 * unknown format or excel other than 0/1; 404; 503; 500. */
int page_export_csv(struct req *r)
{
	const struct kval *format = &r->in[KEY_FORMAT]; /* long | wide */
	const struct kval *excel = &r->in[KEY_EXCEL];   /* 0 | 1: n = value */
	enum export_format f;

	if (format->state == KEY_INVALID || excel->state == KEY_INVALID)
		return 400;
	f = format->state == KEY_VALID && strcmp(format->str, "wide") == 0 ?
	    EXPORT_CSV_WIDE : EXPORT_CSV_LONG;
	return send_export(r, f, excel->state == KEY_VALID && excel->n == 1);
}

/* GET /admin/e/{slug}/export.json: 200; 404; 503; 500. */
int page_export_json(struct req *r)
{
	return send_export(r, EXPORT_JSON, 0);
}

/* GET /admin/e/{slug}/codebook.csv[?excel=1]: 200; 404; 503; 500. */
int page_export_codebook(struct req *r)
{
	/* anything but a valid 1 is the plain CSV (no 400 here, as always) */
	return send_export(r, EXPORT_CODEBOOK, r->in[KEY_EXCEL].state ==
	    KEY_VALID && r->in[KEY_EXCEL].n == 1);
}

/* GET /admin/e/{slug}/contacts.csv[?excel=1] (admins): the contact details
 * attendees gave with their consent, never in the other exports and not
 * linked to a participant code: item,contact,interest,submitted_at (the
 * answer to the first collaboration question of the same response).
 * 200; 404; 503; 500. */
struct contacts_ctx {
	struct export_sink *sink;
	int excel;
};

/* One line of the contacts file. */
static int contact_row(void *ctx, const struct store_contact_row *row)
{
	struct contacts_ctx *c = ctx;
	struct buf *out = c->sink->out;

	export_csv_field(out, row->item, c->excel);
	buf_putc(out, ',');
	export_csv_field(out, row->value, c->excel);
	buf_putc(out, ',');
	export_csv_field(out, row->interest, c->excel);
	buf_putc(out, ',');
	export_csv_field(out, row->submitted_at, c->excel);
	buf_puts(out, "\r\n");
	return export_sink_row(c->sink);
}

int page_contacts_csv(struct req *r)
{
	int xl = r->in[KEY_EXCEL].state == KEY_VALID && r->in[KEY_EXCEL].n == 1;
	const struct qdef_item *interest;
	struct event_info ev;
	char disp[160];
	struct page_attachment a = {r, disp, 0};
	struct export_sink sink;
	struct contacts_ctx c = {&sink, xl};
	enum store_rc rc;
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	interest = qdef_interest_item(ev.def);
	/* who takes the personal data, and when: no audit entry, no data
	 * (recorded before the first byte leaves: the stream cannot be
	 * taken back) */
	if (page_audit(r, r->slug, "contacts.export",
		json_object_new_object()) != 0)
		return 503;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-contacts.csv\"",
	    r->slug);
	r->resp.content_type = "text/csv; charset=utf-8";
	r->resp.status = 200; /* the head a first chunk sends */
	buf_reset(&r->resp.body);
	sink = page_attachment_sink(&a);
	if (xl)
		buf_puts(&r->resp.body, "\xEF\xBB\xBF");
	buf_puts(&r->resp.body, "item,contact,interest,submitted_at\r\n");
	/* every contact (no limit), streamed */
	rc = store_contacts(&app.adb, ev.id, interest ? interest->key : "", -1,
	    contact_row, &c);
	if (rc != STORE_OK || r->resp.body.oom) {
		buf_reset(&r->resp.body);
		r->resp.content_type = NULL; /* the error page's own */
		if (rc == STORE_DOWN)
			return 503;
		if (rc != STORE_STOPPED)
			log_msg(r, "contacts: %s", store_error(&app.adb));
		return 500;
	}
	if (page_attachment_head(&a) != 0)
		return 500;
	return 200;
}
