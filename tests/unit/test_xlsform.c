/* test_xlsform.c: the XLSForm reader and writer (cgi/core/xlsx.c, cgi/domain/xlsform.c)
 * and the translation checks (cgi/domain/qdef.c): the bundled event round-trips,
 * workbooks written by the writer and then altered by hand-made zips give
 * the errors named by their cells. Workbooks from an independent writer
 * (openpyxl) are tested in tests/integration/xlsform.test.mjs. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
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

static int has_error(const struct qdef_errors *e, const char *needle)
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
static int make_zip(struct buf *b, const char *const *parts, int compress)
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

/* ---- hand-made workbooks: inline strings, no styles ---- */

static void xml_escape(struct buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		default: buf_putc(b, *s);
		}
}

/* One sheet: rows of '|'-separated cells ("" skips a cell). */
struct tsheet {
	const char *name;
	const char *rows[40];
};

static char *sheet_xml(const struct tsheet *t)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "<?xml version=\"1.0\"?><worksheet xmlns=\"http://"
	    "schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
	for (int r = 0; t->rows[r]; r++) {
		const char *p = t->rows[r];
		int col = 0;

		buf_printf(&b, "<row r=\"%d\">", r + 1);
		while (1) {
			const char *e = strchr(p, '|');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			char cell[2048];

			if (n >= sizeof(cell))
				n = sizeof(cell) - 1;
			memcpy(cell, p, n);
			cell[n] = '\0';
			if (n) {
				buf_printf(&b, "<c r=\"%c%d\" t=\"inlineStr\">"
				    "<is><t>", 'A' + col, r + 1);
				xml_escape(&b, cell);
				buf_puts(&b, "</t></is></c>");
			}
			col++;
			if (!e)
				break;
			p = e + 1;
		}
		buf_puts(&b, "</row>");
	}
	buf_puts(&b, "</sheetData></worksheet>");
	return buf_steal(&b);
}

static int make_book(struct buf *out, const struct tsheet *sheets, int n)
{
	struct buf wb = BUF_INIT, rels = BUF_INIT;
	const char *parts[2 * 12 + 1];
	char *xml[10], names[10][64];
	int k = 0, rc;

	buf_puts(&wb, "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas"
	    ".openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://"
	    "schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	    "<sheets>");
	buf_puts(&rels, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://"
	    "schemas.openxmlformats.org/package/2006/relationships\">");
	for (int i = 0; i < n; i++) {
		buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%d\" r:id=\"rId%d\"/>",
		    sheets[i].name, i + 1, i + 1);
		buf_printf(&rels, "<Relationship Id=\"rId%d\" Type=\"http://"
		    "schemas.openxmlformats.org/officeDocument/2006/"
		    "relationships/worksheet\" Target=\"worksheets/sheet%d.xml\"/>",
		    i + 1, i + 1);
		xml[i] = sheet_xml(&sheets[i]);
		snprintf(names[i], sizeof(names[i]), "xl/worksheets/sheet%d.xml",
		    i + 1);
		parts[k++] = names[i];
		parts[k++] = xml[i];
	}
	buf_puts(&wb, "</sheets></workbook>");
	buf_puts(&rels, "</Relationships>");
	parts[k++] = "xl/workbook.xml";
	parts[k++] = buf_cstr(&wb);
	parts[k++] = "xl/_rels/workbook.xml.rels";
	parts[k++] = buf_cstr(&rels);
	parts[k] = NULL;
	rc = make_zip(out, parts, 1);
	for (int i = 0; i < n; i++)
		free(xml[i]);
	buf_free(&wb);
	buf_free(&rels);
	return rc;
}

#define EVENT_SHEET                                                            \
	{"event",                                                              \
	 {"property|value|label::French (fr)|label::Arabic (ar)",              \
	  "slug|demo-2024", "title||Atelier|ورشة", "dates.start|2024-03-12",    \
	  "dates.end|2024-03-13", "place.city||Rabat|الرباط",                  \
	  "place.country|MA", "timezone|Africa/Casablanca", "languages|fr ar", \
	  "default_language|fr", "privacy||Anonyme.|مجهول.",                   \
	  "pre.title||Avant|قبل", "pre.intro||Merci|شكرا", NULL}}

#define CHOICES_SHEET                                                          \
	{"choices",                                                            \
	 {"list_name|name|label::French (fr)|label::Arabic (ar)",              \
	  "yn|yes|Oui|نعم", "yn|no|Non|لا", "agree|1|Pas du tout|أبدا",         \
	  "agree|2|Peu|قليلا", "agree|3|Moyen|متوسط", "agree|4|Assez|كثيرا",   \
	  "agree|5|Tout à fait|تماما", NULL}}

/* Loads sheets; returns 0 or -1 with errs filled. */
static int load(const struct tsheet *sheets, int n, struct qdef_errors *e)
{
	struct buf b = BUF_INIT;
	struct json_object *def = NULL;
	int rc;

	if (make_book(&b, sheets, n) != 0) {
		buf_free(&b);
		return -2;
	}
	rc = xlsform_load(b.data, b.len, &def, e);
	json_object_put(def);
	buf_free(&b);
	return rc;
}

static void expect_error(const struct tsheet *sheets, int n,
    const char *needle)
{
	struct qdef_errors e = {0, NULL};

	CHECK_INT(load(sheets, n, &e), -1);
	CHECK_MSG(has_error(&e, needle), "no error \"%s\"", needle);
	if (!has_error(&e, needle))
		dump(&e);
	qdef_errors_free(&e);
}

static void test_workbooks(void)
{
	struct qdef_errors e = {0, NULL};
	struct tsheet ok[3] = {
	    {"survey",
	     {"type|name|label::French (fr)|label::Arabic (ar)|instrument|"
	      "analysis|appearance|required",
	      "begin group|profile|Profil|الملف|pre", "select_one yn|member|"
	      "Membre ?|عضو؟|pre|profile||yes",
	      "select_one agree|useful|Utile|مفيد|pre|descriptive|likert",
	      "end group", NULL}},
	    CHOICES_SHEET, EVENT_SHEET};
	struct tsheet t[3];

	CHECK_INT(load(ok, 3, &e), 0);
	dump(&e);
	qdef_errors_free(&e);

	/* Kobo-style: label:French headers, upper-case sheet names, Kobo's
	 * own $ columns */
	memcpy(t, ok, sizeof(t));
	t[0] = (struct tsheet){"SURVEY",
	    {"type|name|label:French|label:Arabic|instrument|analysis|"
	     "appearance|$kuid",
	     "begin_group|profile|Profil|الملف|pre", "select_one yn|member|"
	     "Membre ?|عضو؟|pre|profile||x1",
	     "end_group", NULL}};
	t[1].name = "CHOICES";
	CHECK_INT(load(t, 3, &e), 0);
	dump(&e);
	qdef_errors_free(&e);

	/* an empty sheet (found by fuzzing: qsort of no cells) is ignored */
	memcpy(t, ok, sizeof(t));
	{
		struct tsheet four[4];

		memcpy(four, ok, sizeof(ok));
		four[3] = (struct tsheet){"notes", {NULL}};
		CHECK_INT(load(four, 4, &e), 0);
		dump(&e);
		qdef_errors_free(&e);
	}

	/* a note first in a group is the section's intro; a plain "label"
	 * column is the default language; elsewhere a note is refused */
	memcpy(t, ok, sizeof(t));
	t[0] = (struct tsheet){"survey",
	    {"type|name|label|label::Arabic (ar)|instrument|analysis",
	     "begin group|profile|Profil|الملف|pre",
	     "note|intro|Quelques questions|بعض الأسئلة",
	     "select_one yn|member|Membre ?|عضو؟|pre|profile", "end group",
	     NULL}};
	{
		struct buf b = BUF_INIT;
		struct json_object *def = NULL, *sec;

		CHECK_INT(make_book(&b, t, 3), 0);
		CHECK_INT(xlsform_load(b.data, b.len, &def, &e), 0);
		dump(&e);
		qdef_errors_free(&e);
		sec = json_object_array_get_idx(json_object_object_get(
		    json_object_object_get(json_object_object_get(def,
		    "instruments"), "pre"), "sections"), 0);
		CHECK_STR(json_object_get_string(json_object_object_get(
		    json_object_object_get(sec, "intro"), "fr")),
		    "Quelques questions");
		CHECK_STR(json_object_get_string(json_object_object_get(
		    json_object_object_get(sec, "title"), "fr")), "Profil");
		json_object_put(def);
		buf_free(&b);
	}
	t[0].rows[2] = "select_one yn|member|Membre ?|عضو؟|pre|profile";
	t[0].rows[3] = "note|n|Une note|ملاحظة";
	t[0].rows[4] = "end group";
	expect_error(t, 3, "survey!A4: a note is only supported as the first "
	    "row of a group");

	/* nothing on a group row is silently dropped */
	memcpy(t, ok, sizeof(t));
	t[0].rows[1] = "begin group|profile|Profil|الملف|pre|profile|field-list";
	expect_error(t, 3, "survey!G2: appearance is not used on a begin group "
	    "row");
	expect_error(t, 3, "survey!F2: analysis is not used on a begin group "
	    "row");

	/* an empty translation, named by its cell */
	memcpy(t, ok, sizeof(t));
	t[0].rows[2] = "select_one yn|member|Membre ?||pre|profile";
	expect_error(t, 3, "survey!D3: label::Arabic (ar) is empty");
	/* a missing language column */
	memcpy(t, ok, sizeof(t));
	t[1] = (struct tsheet){"choices",
	    {"list_name|name|label::French (fr)", "yn|yes|Oui", "yn|no|Non",
	     "agree|1|a", "agree|2|b", "agree|3|c", "agree|4|d", "agree|5|e",
	     NULL}};
	expect_error(t, 3, "choices!2: label::Arabic (ar) is missing");
	/* unsupported XLSForm features are errors naming them */
	memcpy(t, ok, sizeof(t));
	t[0].rows[0] = "type|name|label::French (fr)|label::Arabic (ar)|"
	    "instrument|analysis|appearance|required|relevant";
	t[0].rows[2] = "select_one yn|member|Membre ?|عضو؟|pre|profile|||"
	    "${x} = 'yes'";
	expect_error(t, 3, "survey!I3: relevant is not supported");
	memcpy(t, ok, sizeof(t));
	t[0].rows[3] = "calculate|c|||pre";
	expect_error(t, 3, "survey!A4: type \"calculate\" is not supported");
	memcpy(t, ok, sizeof(t));
	t[0].rows[3] = "select_one_from_file x.csv|c|C|ج|pre|profile";
	expect_error(t, 3, "survey!A4: type \"select_one_from_file\" is not "
	    "supported");
	memcpy(t, ok, sizeof(t));
	t[0].rows[1] = "begin repeat|r|R|ر|pre";
	expect_error(t, 3, "survey!A2: repeat is not supported");
	/* validator errors moved to their cell */
	memcpy(t, ok, sizeof(t));
	t[0].rows[2] = "select_one yn|member|Membre ?|عضو؟|pre|bogus";
	expect_error(t, 3, "survey!F3: analysis: unknown analysis role");
	memcpy(t, ok, sizeof(t));
	t[1].rows[1] = "yn|Yes!|Oui|نعم";
	expect_error(t, 3, "choices!B2: name: does not match");
	/* a Likert list must be 1..5 */
	memcpy(t, ok, sizeof(t));
	t[0].rows[3] = "select_one yn|useful|Utile|مفيد|pre|descriptive|"
	    "likert";
	expect_error(t, 3, "survey!A4: list \"yn\" must have exactly the "
	    "choices 1, 2, 3, 4, 5");
	memcpy(t, ok, sizeof(t));
	t[0].rows[2] = "select_one nolist|member|Membre ?|عضو؟|pre|profile";
	expect_error(t, 3, "survey!A3: list \"nolist\" is not in the choices");
	/* the event sheet is mandatory; a missing property names itself */
	expect_error(ok, 2, "the workbook has no event sheet");
	memcpy(t, ok, sizeof(t));
	t[2].rows[1] = "slugg|demo-2024";
	expect_error(t, 3, "event!A2: unknown property \"slugg\"");
	expect_error(t, 3, "property slug is missing");
	/* all errors at once */
	memcpy(t, ok, sizeof(t));
	t[0].rows[2] = "select_one yn|member|Membre ?||pre|bogus";
	t[0].rows[3] = "calculate|c|||pre";
	CHECK_INT(load(t, 3, &e), -1);
	CHECK(has_error(&e, "survey!D3") && has_error(&e, "survey!F3") &&
	    has_error(&e, "survey!A4"));
	qdef_errors_free(&e);
}

/* Files that are not workbooks, or hostile ones. */
static void test_hostile(void)
{
	struct json_object *def = parse(BUNDLED), *back = NULL;
	struct qdef_errors e = {0, NULL};
	struct buf b = BUF_INIT, z = BUF_INIT;
	char err[256];
	const char *doctype[] = {"xl/workbook.xml",
	    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
	    "<workbook/>", NULL};
	char *zeros;
	const char *bomb[3] = {"xl/workbook.xml", NULL, NULL};

	CHECK_INT(xlsform_write(def, &b, err, sizeof(err)), 0);
	/* truncated: every length from the whole file down */
	for (size_t n = b.len; n > 0; n = n * 3 / 4) {
		CHECK_INT(xlsform_load(b.data, n - 1, &back, &e), -1);
		CHECK(back == NULL && e.n >= 1);
		qdef_errors_free(&e);
	}
	/* not a zip: a JSON file renamed .xlsx */
	CHECK_INT(xlsform_load("{\"format\": 1}", 13, &back, &e), -1);
	CHECK(has_error(&e, "not an .xlsx workbook"));
	qdef_errors_free(&e);
	/* over the size limit: refused before unzipping */
	{
		size_t big = XLSX_MAX_BYTES + 1;
		char *p = calloc(1, big);

		if (p) {
			memcpy(p, b.data, b.len);
			CHECK_INT(xlsform_load(p, big, &back, &e), -1);
			CHECK(has_error(&e, "over 8 MiB"));
			qdef_errors_free(&e);
			free(p);
		}
	}
	/* a zip bomb: 40 MiB of spaces deflate to a few KiB */
	zeros = malloc(40u << 20 | 1);
	if (zeros) {
		memset(zeros, ' ', 40u << 20);
		zeros[40u << 20] = '\0';
		bomb[1] = zeros;
		CHECK_INT(make_zip(&z, bomb, 1), 0);
		CHECK(z.len < 1u << 20);
		CHECK_INT(xlsform_load(z.data, z.len, &back, &e), -1);
		CHECK(has_error(&e, "uncompressed content over the limit"));
		qdef_errors_free(&e);
		free(zeros);
	}
	/* libxml2's own messages (a bad encoding) never reach stderr: a
	 * hostile workbook cannot flood the worker's log */
	{
		const char *enc[] = {"xl/workbook.xml", "<?xml version=\"1.0\" "
		    "encoding=\"EUC-JP\"?><workbook><sheets>\x83\x8c\xd1\x90"
		    "</sheets></workbook>", NULL};
		char path[] = "/tmp/test-xlsform-stderr-XXXXXX";
		int fd = mkstemp(path), saved = dup(2);
		struct buf got = BUF_INIT;

		CHECK_INT(make_zip(&z, enc, 0), 0);
		fflush(stderr);
		dup2(fd, 2);
		CHECK_INT(xlsform_load(z.data, z.len, &back, &e), -1);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		close(fd);
		CHECK(has_error(&e, "xl/workbook.xml: invalid XML"));
		qdef_errors_free(&e);
		CHECK_INT(buf_read_file(&got, path, 1 << 20), 0);
		CHECK_MSG(got.len == 0, "stderr: %s", buf_cstr(&got));
		buf_free(&got);
		unlink(path);
	}
	/* no entity is ever expanded */
	CHECK_INT(make_zip(&z, doctype, 0), 0);
	CHECK_INT(xlsform_load(z.data, z.len, &back, &e), -1);
	CHECK(has_error(&e, "DOCTYPE is not allowed"));
	qdef_errors_free(&e);
	buf_free(&b);
	buf_free(&z);
	json_object_put(def);
}

/* A sheet as large as the limits allow is read in bounded time: 1,000
 * columns of headers and 450,000 cells. */
static void test_large(void)
{
	struct buf x = BUF_INIT, wb = BUF_INIT, rels = BUF_INIT, z = BUF_INIT;
	struct json_object *def = NULL;
	struct qdef_errors e = {0, NULL};
	const char *parts[7];

	buf_puts(&x, "<worksheet><sheetData>");
	for (int r = 1; r <= 450; r++) {
		buf_printf(&x, "<row r=\"%d\">", r);
		for (int c = 0; c < 1000; c++)
			buf_printf(&x, "<c t=\"inlineStr\"><is><t>%s%d</t></is>"
			    "</c>", r == 1 ? "h" : "", c);
		buf_puts(&x, "</row>");
	}
	buf_puts(&x, "</sheetData></worksheet>");
	buf_puts(&wb, "<workbook><sheets><sheet name=\"survey\" r:id=\"rId1\" "
	    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships\"/></sheets></workbook>");
	buf_puts(&rels, "<Relationships><Relationship Id=\"rId1\" "
	    "Target=\"worksheets/sheet1.xml\"/></Relationships>");
	parts[0] = "xl/workbook.xml";
	parts[1] = buf_cstr(&wb);
	parts[2] = "xl/_rels/workbook.xml.rels";
	parts[3] = buf_cstr(&rels);
	parts[4] = "xl/worksheets/sheet1.xml";
	parts[5] = buf_cstr(&x);
	parts[6] = NULL;
	CHECK_INT(make_zip(&z, parts, 1), 0);
	CHECK(z.len < XLSX_MAX_BYTES);
	/* no time limit here (make test holds no timing threshold): the
	 * bounds are in the work, the rows read and the errors kept */
	CHECK_INT(xlsform_load(z.data, z.len, &def, &e), -1);
	CHECK(has_error(&e, "unknown column \"h7\""));
	/* 1,000 unknown columns: the first 500 errors, then a count */
	CHECK(has_error(&e, "more errors not shown"));
	CHECK(e.n <= 501);
	qdef_errors_free(&e);
	buf_free(&x);
	buf_free(&wb);
	buf_free(&rels);
	buf_free(&z);
}

/* Translation checks run on every load, JSON included. */
static void test_translations(void)
{
	struct json_object *def = parse(BUNDLED), *v;
	struct qdef_errors e = {0, NULL};
	if (def == NULL) {
		CHECK(0);
		return;
	}
	/* the evaluation scale reads the same in French everywhere but one
	 * item's Arabic point 4 differs */
	v = json_object_object_get(json_object_object_get(def, "instruments"),
	    "post");
	v = json_object_array_get_idx(json_object_object_get(v, "sections"), 2);
	v = json_object_array_get_idx(json_object_object_get(v, "items"), 1);
	CHECK_STR(json_object_get_string(json_object_object_get(v, "key")),
	    "eval_relevance");
	v = json_object_array_get_idx(json_object_object_get(v, "scale"), 3);
	json_object_object_add(v, "ar", json_object_new_string("نص آخر"));
	CHECK_INT(qdef_validate(def, &e), -1);
	CHECK(has_error(&e, "$.instruments.post.sections[2].items[1].scale[3]"
	    ".ar: translated differently from the same scale of post item "
	    "\"eval_objectives\" (the fr texts are the same)"));
	CHECK_INT(e.n, 1); /* the later items agree with the first */
	qdef_errors_free(&e);
	json_object_put(def);

	/* the post quiz offers an option worded otherwise than in pre */
	def = parse(BUNDLED);
	v = json_object_object_get(json_object_object_get(def, "instruments"),
	    "post");
	v = json_object_array_get_idx(json_object_object_get(v, "sections"), 1);
	v = json_object_array_get_idx(json_object_object_get(v, "items"), 0);
	CHECK_STR(json_object_get_string(json_object_object_get(v, "key")),
	    "quiz_voluntary");
	v = json_object_array_get_idx(json_object_object_get(v, "options"), 1);
	json_object_object_add(json_object_object_get(v, "label"), "en",
	    json_object_new_string("Always compulsory"));
	CHECK_INT(qdef_validate(def, &e), -1);
	CHECK(has_error(&e, "$.instruments.post.sections[1].items[0]"
	    ".options[1]: differs from the same option in pre"));
	qdef_errors_free(&e);
	json_object_put(def);
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
	/* the Likert scale of knowledge is written once, used by the 10
	 * knowledge items of pre and of post */
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
		/* the knowledge items: 10 in pre, 10 in post, the same 10
		 * re-asked in the follow-up */
		CHECK_INT(uses, 30);
		xlsx_free(&bk);
	}
	json_object_put(back);
	json_object_put(def);
	buf_free(&b);
	qdef_errors_free(&e);
}

/* The example workbooks in the repository are the bundled definitions
 * (the event and the programme template). */
static void check_example(const char *json, const char *xlsx)
{
	struct json_object *def = parse(json), *wb = NULL;
	struct qdef_errors e = {0, NULL};
	struct buf b = BUF_INIT;

	CHECK_INT(buf_read_file(&b, xlsx, XLSX_MAX_BYTES), 0);
	CHECK_INT(xlsform_load(b.data, b.len, &wb, &e), 0);
	dump(&e);
	CHECK(def && wb && json_object_equal(def, wb));
	qdef_errors_free(&e);
	json_object_put(def);
	json_object_put(wb);
	buf_free(&b);
}

static void test_example(void)
{
	check_example(BUNDLED, "schema/questionnaires/imanor-2017.xlsx");
	check_example("schema/questionnaires/mena-star-template.json",
	    "schema/questionnaires/mena-star-template.xlsx");
}

/* The objective a knowledge item serves ("objective", localized) has its
 * own columns, objective::French (fr) ...: a definition with objectives
 * comes back from its workbook equal, and a workbook missing a translation
 * of one is refused naming the cell. */
static void add_objectives(struct json_object *def)
{
	static const char *const obj[2][3] = {
	    {"Comprendre la normalisation", "Understand standardisation",
	     "فهم التقييس"},
	    {"Appliquer les normes", "Apply standards", "تطبيق المعايير"}};
	struct json_object *ins = json_object_object_get(def, "instruments");
	int n = 0;

	json_object_object_foreach(ins, kind, in)
	{
		struct json_object *secs = json_object_object_get(in, "sections");

		(void)kind;
		for (size_t s = 0; s < json_object_array_length(secs); s++) {
			struct json_object *items = json_object_object_get(
			    json_object_array_get_idx(secs, s), "items");

			for (size_t i = 0; i < json_object_array_length(items);
			     i++) {
				struct json_object *it =
				    json_object_array_get_idx(items, i), *o;
				const char *a = json_object_get_string(
				    json_object_object_get(it, "analysis"));

				if (a == NULL || strcmp(a, "knowledge") != 0)
					continue;
				o = json_object_new_object();
				json_object_object_add(o, "fr",
				    json_object_new_string(obj[n % 2][0]));
				json_object_object_add(o, "en",
				    json_object_new_string(obj[n % 2][1]));
				json_object_object_add(o, "ar",
				    json_object_new_string(obj[n % 2][2]));
				json_object_object_add(it, "objective", o);
				n++;
			}
		}
	}
	CHECK_INT(n, 30);
}

/* Whether the survey sheet of workbook b has a header cell named h. */
static int survey_has_header(const struct buf *b, const char *h)
{
	struct xlsx_book bk;
	const struct xlsx_sheet *sv;
	char err[256];
	int found = 0;

	if (xlsx_read(b->data, b->len, &bk, err, sizeof(err)) != 0)
		return -1;
	sv = xlsx_sheet(&bk, "survey");
	for (size_t i = 0; sv && i < sv->ncells && sv->cells[i].row == 1; i++)
		if (strcmp(sv->cells[i].text, h) == 0)
			found = 1;
	xlsx_free(&bk);
	return found;
}

static void test_objective(void)
{
	struct json_object *def = parse(BUNDLED), *back = NULL;
	struct qdef_errors e = {0, NULL};
	struct buf b = BUF_INIT;
	char err[256];

	CHECK(def != NULL);
	if (def == NULL)
		return;
	/* without objectives, no objective column (the workbooks of such
	 * definitions stay as they were) */
	CHECK_INT(xlsform_write(def, &b, err, sizeof(err)), 0);
	CHECK_INT(survey_has_header(&b, "objective::French (fr)"), 0);
	add_objectives(def);
	CHECK_INT(qdef_validate(def, &e), 0);
	dump(&e);
	qdef_errors_free(&e);
	buf_reset(&b);
	CHECK_INT(xlsform_write(def, &b, err, sizeof(err)), 0);
	CHECK_INT(survey_has_header(&b, "objective::French (fr)"), 1);
	CHECK_INT(survey_has_header(&b, "objective::Arabic (ar)"), 1);
	CHECK_INT(survey_has_header(&b, "objective::English (en)"), 1);
	CHECK_INT(xlsform_load(b.data, b.len, &back, &e), 0);
	dump(&e);
	qdef_errors_free(&e);
	CHECK_MSG(back != NULL && json_object_equal(def, back),
	    "the objectives do not come back from the workbook");
	json_object_put(back);
	json_object_put(def);
	buf_free(&b);

	/* hand-made: columns H, I are the objective's French and Arabic */
	{
		struct tsheet ok[3] = {
		    {"survey",
		     {"type|name|label::French (fr)|label::Arabic (ar)|"
		      "instrument|analysis|appearance|objective::French (fr)|"
		      "objective::Arabic (ar)",
		      "begin group|know|Connaissances|المعارف|pre",
		      "select_one agree|know_iso|Je connais l'ISO|أعرف الإيزو|"
		      "pre|knowledge|likert|Objectif 1|الهدف 1",
		      "select_one agree|know_cen|Je connais le CEN|أعرف|"
		      "pre|knowledge|likert",
		      "end group",
		      "begin group|know_post|Connaissances|المعارف|post",
		      "select_one agree|know_iso|Je connais l'ISO|أعرف الإيزو|"
		      "post|knowledge|likert|Objectif 1|الهدف 1",
		      "select_one agree|know_cen|Je connais le CEN|أعرف|"
		      "post|knowledge|likert",
		      "end group", NULL}},
		    CHOICES_SHEET, EVENT_SHEET};
		struct tsheet t[3];
		struct json_object *it;

		CHECK(ok[2].rows[13] == NULL);
		ok[2].rows[13] = "post.title||Après|بعد";
		ok[2].rows[14] = "post.intro||Merci|شكرا";
		CHECK_INT(make_book(&b, ok, 3), 0);
		CHECK_INT(xlsform_load(b.data, b.len, &def, &e), 0);
		dump(&e);
		qdef_errors_free(&e);
		if (def == NULL) {
			buf_free(&b);
			return;
		}
		it = json_object_array_get_idx(json_object_object_get(
		    json_object_array_get_idx(json_object_object_get(
		    json_object_object_get(json_object_object_get(def,
		    "instruments"), "pre"), "sections"), 0), "items"), 0);
		CHECK_STR(json_object_get_string(json_object_object_get(
		    json_object_object_get(it, "objective"), "ar")), "الهدف 1");
		it = json_object_array_get_idx(json_object_object_get(
		    json_object_array_get_idx(json_object_object_get(
		    json_object_object_get(json_object_object_get(def,
		    "instruments"), "pre"), "sections"), 0), "items"), 1);
		CHECK(it && !json_object_object_get_ex(it, "objective", NULL));
		json_object_put(def);
		def = NULL;
		buf_free(&b);

		/* an objective without its Arabic text */
		memcpy(t, ok, sizeof(t));
		t[0].rows[2] = "select_one agree|know_iso|Je connais l'ISO|"
		    "أعرف الإيزو|pre|knowledge|likert|Objectif 1|";
		expect_error(t, 3, "survey!I3: objective::Arabic (ar) is empty");
		/* no Arabic column at all */
		memcpy(t, ok, sizeof(t));
		t[0].rows[0] = "type|name|label::French (fr)|label::Arabic (ar)|"
		    "instrument|analysis|appearance|objective::French (fr)";
		expect_error(t, 3, "survey!3: objective::Arabic (ar) is missing "
		    "(no such column)");
		/* a language the event does not have */
		memcpy(t, ok, sizeof(t));
		t[0].rows[0] = "type|name|label::French (fr)|label::Arabic (ar)|"
		    "instrument|analysis|appearance|objective::French (fr)|"
		    "objective::English (en)";
		expect_error(t, 3, "survey!I1: objective::English (en): en is "
		    "not among the event's languages");
		/* only an item serves an objective */
		memcpy(t, ok, sizeof(t));
		t[0].rows[1] = "begin group|know|Connaissances|المعارف|pre|||"
		    "Objectif 1|الهدف 1";
		expect_error(t, 3, "survey!H2: objective::French (fr) is not "
		    "used on a begin group row");
		/* the validator's errors about an objective land on its cell */
		{
			static char row[2400];
			char longobj[2002];

			memset(longobj, 'x', 2001);
			longobj[2001] = '\0';
			snprintf(row, sizeof(row), "select_one agree|know_iso|"
			    "Je connais l'ISO|أعرف الإيزو|pre|knowledge|likert|"
			    "%s|الهدف 1", longobj);
			memcpy(t, ok, sizeof(t));
			t[0].rows[2] = row;
			expect_error(t, 3, "survey!H3: objective::French (fr): "
			    "too long (2001 characters, at most 2000)");
		}
	}
}

int main(void)
{
	test_round_trip();
	test_example();
	test_workbooks();
	test_hostile();
	test_large();
	test_translations();
	test_objective();
	return check_done("test_xlsform");
}
