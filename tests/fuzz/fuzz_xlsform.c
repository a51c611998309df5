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

#include <zip.h>

#include "qdef.h"
#include "xlsform.h"
#include "xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Zips the parts of an 'X' input into a new buffer (caller frees), or
 * NULL. */
static uint8_t *zip_parts(const uint8_t *data, size_t size, size_t *outlen)
{
	static const char *const fixed[] = {"xl/workbook.xml",
	    "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"};
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	const uint8_t *p = data + 1, *end = data + size;
	uint8_t *out = NULL;
	zip_int64_t n;
	int part = 0;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return NULL;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (z == NULL) {
		zip_source_free(src);
		return NULL;
	}
	while (p <= end && part < 12) {
		const uint8_t *q = p;
		char name[64];
		zip_source_t *s;
		zip_int64_t i;

		while (q + 4 <= end && memcmp(q, "\n%%\n", 4) != 0)
			q++;
		if (q + 4 > end)
			q = end;
		if (part < 3)
			snprintf(name, sizeof(name), "%s", fixed[part]);
		else
			snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml",
			    part - 2);
		s = zip_source_buffer(z, p, (zip_uint64_t)(q - p), 0);
		if (s == NULL || (i = zip_file_add(z, name, s, 0)) < 0) {
			zip_source_free(s);
			break;
		}
		zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
		part++;
		p = q + 4;
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		zip_source_free(src);
		return NULL;
	}
	if (zip_source_open(src) == 0) {
		zip_source_seek(src, 0, SEEK_END);
		n = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		if (n > 0 && (out = malloc((size_t)n)) != NULL &&
		    zip_source_read(src, out, (zip_uint64_t)n) != n) {
			free(out);
			out = NULL;
		}
		*outlen = n > 0 ? (size_t)n : 0;
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

static void one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'X') {
		size_t n = 0;
		uint8_t *z = zip_parts(data, size, &n);

		if (z)
			one(z, n);
		free(z);
	} else
		one(data, size);
	return 0;
}

static void one(const uint8_t *data, size_t size)
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
}
