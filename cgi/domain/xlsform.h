/* xlsform.h: questionnaire definitions as XLSForm workbooks (the
 * spreadsheet format of KoboToolbox and ODK) with enquete's own columns and
 * an `event` sheet; the mapping is in docs/questionnaires.md. Reading gives
 * the same JSON definition the JSON loader reads; writing gives a workbook
 * that reads back to the same definition. */
#ifndef ENQUETE_XLSFORM_H
#define ENQUETE_XLSFORM_H

#include <stddef.h>

#include "buf.h"
#include "qdef.h"

struct json_object;

/* Reads the workbook in bytes[0..len) into a definition, without
 * validating it. Returns the JSON (caller releases with json_object_put())
 * or NULL with every error found appended to errs, each naming its cell:
 * "survey!F12: label::Arabic (ar) is empty". errs must be zeroed or hold
 * earlier errors. */
struct json_object *xlsform_read(const void *bytes, size_t len,
				 struct qdef_errors *errs);

/* What the upload handler and `enquetectl load` call: reads the workbook
 * and validates the definition (qdef_validate(), translation checks
 * included). Returns 0 with *def set (caller puts it), or -1 with *def NULL
 * and every error appended to errs, those of the validator moved from
 * their JSON path to the cell the value came from. */
int xlsform_load(const void *bytes, size_t len, struct json_object **def,
		 struct qdef_errors *errs);

/* Writes a valid definition as an XLSForm workbook into out (bytes of an
 * .xlsx file). Returns 0, or -1 with a reason in err. */
int xlsform_write(struct json_object *def, struct buf *out, char *err,
		  size_t errsz);

#endif
