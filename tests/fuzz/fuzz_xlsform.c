/* fuzz_xlsform.c: libFuzzer target for the XLSForm reader: the input is a
 * workbook's bytes, read by xlsx_read() (libzip, libxml2's reader; every
 * size bounded) and xlsform_load() (the mapping, the validator and the
 * errors moved to cells). A valid result must build and write back. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "qdef.h"
#include "xlsform.h"
#include "xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdef_errors errs = {0, NULL};
	struct json_object *def = NULL;
	struct xlsx_book b;
	char err[256];

	if (xlsx_read(data, size, &b, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < b.nsheets; i++) {
			const struct xlsx_sheet *s = &b.sheets[i];

			assert(s->name != NULL);
			for (size_t k = 0; k < s->ncells; k++) {
				assert(s->cells[k].text[0] != '\0');
				assert(s->cells[k].row >= 1 &&
				    s->cells[k].row <= s->nrows);
				assert(xlsx_cell(s, s->cells[k].row,
				    s->cells[k].col) == &s->cells[k]);
			}
		}
		xlsx_free(&b);
	} else
		assert(err[0] != '\0' && b.nsheets == 0);
	if (xlsform_load(data, size, &def, &errs) == 0) {
		struct qdef *d;

		assert(def != NULL && errs.n == 0);
		d = qdef_build(def);
		assert(d != NULL);
		qdef_free(d);
	} else {
		assert(def == NULL && errs.n > 0);
		for (size_t i = 0; i < errs.n; i++)
			assert(errs.msg[i][0] != '\0');
	}
	json_object_put(def);
	qdef_errors_free(&errs);
	return 0;
}
