/* report_docx.h: the donor's report as a Word document (.docx): the
 * report's template data (report_view.h) rendered through the XML
 * templates of templates/docx/ (the renderer escapes every value, which is
 * XML's escaping too), each chart rendered from its SVG to PNG with
 * librsvg, the parts zipped with libzip. */
#ifndef ENQUETE_REPORT_DOCX_H
#define ENQUETE_REPORT_DOCX_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

/* Writes the document of data (report_view() and
 * report_view_chart_list() filled it; the writer adds each chart image's
 * rid, size and id to it) into out. Returns 0, or -1 with a message in
 * err. */
int report_docx_write(struct json_object *data, struct buf *out, char *err,
    size_t errlen);

/* One chart's SVG as a PNG of width px pixels (the height follows the
 * viewBox) into out; *w and *h get the viewBox's size. 0 / -1. */
int report_docx_png(const char *svg, int px, struct buf *out, double *w,
    double *h);

#endif
