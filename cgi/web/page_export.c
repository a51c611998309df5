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
	struct buf *out;
	int excel;
};

/* One line of the contacts file. */
static int contact_row(void *ctx, const struct store_contact_row *row)
{
	struct contacts_ctx *c = ctx;

	export_csv_field(c->out, row->item, c->excel);
	buf_putc(c->out, ',');
	export_csv_field(c->out, row->value, c->excel);
	buf_putc(c->out, ',');
	export_csv_field(c->out, row->interest, c->excel);
	buf_putc(c->out, ',');
	export_csv_field(c->out, row->submitted_at, c->excel);
	buf_puts(c->out, "\r\n");
	return 0;
}

int page_contacts_csv(struct req *r)
{
	int xl = r->in[KEY_EXCEL].state == KEY_VALID && r->in[KEY_EXCEL].n == 1;
	const struct qdef_item *interest;
	struct event_info ev;
	char disp[160];
	struct contacts_ctx c = {&r->resp.body, xl};
	enum store_rc rc;
	int st = event_lookup(&app.adb, r->slug, &ev);

	if (st != 0)
		return st;
	interest = qdef_interest_item(ev.def);
	buf_reset(&r->resp.body);
	if (xl)
		buf_puts(&r->resp.body, "\xEF\xBB\xBF");
	buf_puts(&r->resp.body, "item,contact,interest,submitted_at\r\n");
	/* every contact (no limit) */
	rc = store_contacts(&app.adb, ev.id, interest ? interest->key : "", -1,
	    contact_row, &c);
	if (rc != STORE_OK) {
		buf_reset(&r->resp.body);
		if (rc == STORE_DOWN)
			return 503;
		log_msg(r, "contacts: %s", store_error(&app.adb));
		return 500;
	}
	/* who took the personal data, and when: no audit entry, no data */
	if (page_audit(r, r->slug, "contacts.export",
		json_object_new_object()) != 0) {
		buf_reset(&r->resp.body);
		return 503;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-contacts.csv\"",
	    r->slug);
	r->resp.content_type = "text/csv; charset=utf-8";
	if (resp_header(&r->resp, "Content-Disposition", disp) != 0)
		return 500;
	return 200;
}
