/* report_docx.c: the report as a Word document (report_docx.h). */
#include "report_docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <zip.h>

#include "page.h"
#include "xmltext.h"

/* The page's text width (A4, 2 cm margins) in EMU (1 cm = 360000). */
#define DOCX_TEXT_EMU 6120000LL
/* The tallest chart (22 cm). */
#define DOCX_MAX_EMU 7920000LL
/* Charts are drawn at this many pixels wide: 120 dpi across the text
 * width (their viewBox is 360 units: 2.2 pixels a unit), sharp enough in
 * print; the time grows with the pixels (16 charts of the test event:
 * 1.3 s of CPU at 800, 1.7 s at 1000, on a loaded machine). */
#define DOCX_PNG_PX 800

static cairo_status_t png_write(void *closure, const unsigned char *data,
    unsigned int len)
{
	struct buf *b = closure;

	buf_append(b, (const char *)data, len);
	return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int report_docx_png(const char *svg, int px, struct buf *out, double *w,
    double *h)
{
	GError *gerr = NULL;
	RsvgHandle *hd;
	gboolean has_w, has_h, has_vb;
	RsvgLength lw, lh;
	RsvgRectangle vb, vp;
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	int rc = -1, ph;

	hd = rsvg_handle_new_from_data((const guint8 *)svg, strlen(svg), &gerr);
	if (hd == NULL) {
		g_clear_error(&gerr);
		return -1;
	}
	rsvg_handle_get_intrinsic_dimensions(hd, &has_w, &lw, &has_h, &lh,
	    &has_vb, &vb);
	if (!has_vb || vb.width <= 0 || vb.height <= 0)
		goto out;
	*w = vb.width;
	*h = vb.height;
	ph = (int)(px * vb.height / vb.width + 0.5);
	if (ph < 1 || ph > 20000)
		goto out;
	s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, px, ph);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		goto out;
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	vp.x = 0;
	vp.y = 0;
	vp.width = px;
	vp.height = ph;
	if (!rsvg_handle_render_document(hd, cr, &vp, &gerr)) {
		g_clear_error(&gerr);
		goto out;
	}
	cairo_surface_flush(s);
	if (cairo_surface_write_to_png_stream(s, png_write, out) !=
	    CAIRO_STATUS_SUCCESS)
		goto out;
	rc = out->oom ? -1 : 0;
out:
	if (cr)
		cairo_destroy(cr);
	if (s)
		cairo_surface_destroy(s);
	g_object_unref(hd);
	return rc;
}

/* Adds len bytes at data (copied: libzip frees its copy) as name. */
static int add_part(zip_t *z, const char *name, const char *data, size_t len)
{
	void *copy = malloc(len ? len : 1);
	zip_source_t *src;
	zip_int64_t idx;

	if (copy == NULL)
		return -1;
	memcpy(copy, data, len);
	if ((src = zip_source_buffer(z, copy, len, 1)) == NULL) {
		free(copy);
		return -1;
	}
	if ((idx = zip_file_add(z, name, src,
		 ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)) < 0) {
		zip_source_free(src);
		return -1;
	}
	/* a PNG is compressed already: stored, not deflated again */
	if (strstr(name, ".png") != NULL &&
	    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0)
		return -1;
	return 0;
}

/* Renders the template docx/<tmpl> with data into part name. */
static int add_rendered(zip_t *z, const char *name, const char *tmpl,
    struct json_object *data)
{
	struct buf b = BUF_INIT;
	char tn[64];
	int rc = -1;

	snprintf(tn, sizeof(tn), "docx/%s", tmpl);
	if (page_fragment(tn, data, &b) == 0 && !b.oom) {
		/* what XML 1.0 cannot hold never reaches a part */
		size_t n = xml_text_clean(b.data, b.len);
		rc = add_part(z, name, b.data, n);
	}
	buf_free(&b);
	return rc;
}

static int set_ll(struct json_object *o, const char *key, long long v)
{
	struct json_object *x = json_object_new_int64(v);

	if (x == NULL || json_object_object_add(o, key, x) != 0) {
		json_object_put(x);
		return -1;
	}
	return 0;
}

static int set_s(struct json_object *o, const char *key, const char *v)
{
	struct json_object *x = json_object_new_string(v);

	if (x == NULL || json_object_object_add(o, key, x) != 0) {
		json_object_put(x);
		return -1;
	}
	return 0;
}

/* Each chart as word/media/chartN.png, its relationship rIdChartN and its
 * size written into its "img" object. */
static int add_charts(zip_t *z, struct json_object *data, char *err,
    size_t errlen)
{
	struct json_object *list = NULL;

	if (!json_object_object_get_ex(data, "charts", &list))
		return 0;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *c = json_object_array_get_idx(list, i);
		struct json_object *svg = NULL, *img = NULL;
		struct buf png = BUF_INIT;
		double w = 0, h = 0;
		long long cx = DOCX_TEXT_EMU, cy;
		char name[64], rid[32];
		int bad;

		if (!json_object_object_get_ex(c, "svg", &svg) ||
		    !json_object_object_get_ex(c, "img", &img))
			continue;
		if (report_docx_png(json_object_get_string(svg), DOCX_PNG_PX,
			&png, &w, &h) != 0) {
			snprintf(err, errlen, "chart %zu: cannot render", i);
			buf_free(&png);
			return -1;
		}
		cy = (long long)((double)cx * h / w);
		if (cy > DOCX_MAX_EMU) {
			cx = (long long)((double)cx * DOCX_MAX_EMU / (double)cy);
			cy = DOCX_MAX_EMU;
		}
		snprintf(name, sizeof(name), "word/media/chart%zu.png", i + 1);
		snprintf(rid, sizeof(rid), "rIdChart%zu", i + 1);
		bad = add_part(z, name, png.data, png.len) ||
		    set_s(img, "rid", rid) ||
		    set_s(img, "file", name + strlen("word/")) ||
		    set_ll(img, "cx", cx) || set_ll(img, "cy", cy) ||
		    set_ll(img, "id", (long long)i + 1);
		buf_free(&png);
		if (bad) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

int report_docx_write(struct json_object *data, struct buf *out, char *err,
    size_t errlen)
{
	static const char *const parts[][2] = {
	    {"[Content_Types].xml", "content_types"},
	    {"_rels/.rels", "rels_root"},
	    {"word/_rels/document.xml.rels", "rels_document"},
	    {"word/styles.xml", "styles"},
	    {"word/settings.xml", "settings"},
	    {"docProps/core.xml", "core"},
	    {"word/footer1.xml", "footer"},
	    {"word/document.xml", "document"},
	};
	zip_error_t zerr;
	zip_source_t *src;
	zip_stat_t st;
	zip_t *z;
	int rc = -1;

	zip_error_init(&zerr);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &zerr)) == NULL) {
		snprintf(err, errlen, "zip: %s", zip_error_strerror(&zerr));
		zip_error_fini(&zerr);
		return -1;
	}
	zip_source_keep(src); /* read back after zip_close() */
	if ((z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr)) == NULL) {
		snprintf(err, errlen, "zip: %s", zip_error_strerror(&zerr));
		goto out;
	}
	if (add_charts(z, data, err, errlen) != 0) {
		zip_discard(z);
		goto out;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (add_rendered(z, parts[i][0], parts[i][1], data) != 0) {
			snprintf(err, errlen, "part %s", parts[i][0]);
			zip_discard(z);
			goto out;
		}
	if (zip_close(z) != 0) {
		snprintf(err, errlen, "zip: %s", zip_strerror(z));
		zip_discard(z);
		goto out;
	}
	if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0) {
		snprintf(err, errlen, "zip: cannot read back");
		goto out;
	}
	{
		char chunk[16384];
		zip_int64_t n;
		while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
			buf_append(out, chunk, (size_t)n);
		zip_source_close(src);
		if (n < 0 || out->oom) {
			snprintf(err, errlen, "zip: cannot read back");
			goto out;
		}
	}
	rc = 0;
out:
	zip_source_free(src);
	zip_error_fini(&zerr);
	return rc;
}
