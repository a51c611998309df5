/* qr.c: a QR code as one SVG path of horizontal runs of dark modules. */
#include "qr.h"

#include <qrencode.h>

#include "buf.h"

#define QUIET 4 /* the quiet zone the standard asks for, in modules */

struct json_object *qr_svg(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	struct json_object *o = NULL, *p;
	struct buf path = BUF_INIT;

	if (q == NULL)
		return NULL;
	for (int y = 0; y < q->width; y++) {
		int x = 0;
		while (x < q->width) {
			int run = 0;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				buf_printf(&path, "M%d %dh%dv1h-%dz", x + QUIET,
				    y + QUIET, run, run);
				x += run;
			} else
				x++;
		}
	}
	if (path.oom || (o = json_object_new_object()) == NULL)
		goto out;
	if (json_object_object_add(o, "size",
		json_object_new_int(q->width + 2 * QUIET)) != 0 ||
	    (p = json_object_new_string(buf_cstr(&path))) == NULL ||
	    json_object_object_add(o, "path", p) != 0) {
		json_object_put(o);
		o = NULL;
	}
out:
	QRcode_free(q);
	buf_free(&path);
	return o;
}
