/* test_office.c: results.xlsx's responses sheets (cgi/domain/office.c)
 * apart from the database: office_xlsx_from() over generated participants
 * with a small rows-per-sheet limit, read back with xlsx.c. Past the limit
 * the participants go on in "responses 2", "responses 3"..., made right
 * after "responses" for the participants counted beforehand, at the end
 * of the workbook for those beyond the count; each participant exactly
 * once, in order; every responses sheet with the same header row. Run
 * from the repository's root (make unit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "check.h"
#include "export.h"
#include "office.h"
#include "qdef.h"
#include "summary.h"
#include "xlsx.h"

#define BUNDLED "schema/questionnaires/imanor-2017.json"

static struct qdef *bundled(void)
{
	struct qdef_errors e = {0, NULL};
	struct json_object *o = qdef_parse_file(BUNDLED, &e);
	struct qdef *d = NULL;

	if (o && qdef_validate(o, &e) == 0)
		d = qdef_build(o);
	json_object_put(o);
	qdef_errors_free(&e);
	return d;
}

/* n participants "T000-0001".., one answered cell each (the first
 * column's, so that a row is never empty). */
struct gen {
	int n;
	size_t ncols;
};

static int gen_rows(void *src, export_wide_fn fn, void *ctx)
{
	const struct gen *g = src;
	const char **cells = calloc(g->ncols + 1, sizeof(*cells));
	char code[16], v[16];

	if (cells == NULL)
		return 500;
	for (int i = 0; i < g->n; i++) {
		snprintf(code, sizeof(code), "T%03d-%04d", i / 10000,
		    i % 10000 + 1);
		snprintf(v, sizeof(v), "x%d", i + 1);
		for (size_t c = 0; c < g->ncols; c++)
			cells[c] = "";
		cells[g->ncols - 1] = v;
		if (fn(ctx, code, cells, g->ncols) != 0) {
			free(cells);
			return 500;
		}
	}
	free(cells);
	return 0;
}

/* Builds the workbook of n participants, counted of them expected, with
 * limit rows per sheet, and checks its sheets against want (the names in
 * order, NULL-terminated). */
static void check_book(const struct qdef *def, int n, long long counted,
    long limit, const char *const *want)
{
	static const struct office_words w = {"k", "r", "before", "after"};
	struct summary sum;
	struct gen g = {n, 0};
	struct export_col *cols = export_wide_cols(def, &g.ncols);
	struct buf out = BUF_INIT;
	struct xlsx_book book = {NULL, 0};
	char err[200] = "";
	size_t nwant = 0, nresp = 0;
	int seen = 0, st;
	long per = (limit >= 2 && limit <= 1048576 ? limit : 1048576) - 1;

	memset(&sum, 0, sizeof(sum));
	sum.restricted = 1; /* counts only: no analysis needed here */
	sum.counts.pre = counted;
	CHECK(cols != NULL && g.ncols > 0);
	if (cols == NULL)
		return;
	st = office_xlsx_from(gen_rows, &g, counted, def, &sum, QDEF_LANG_EN,
	    &w, limit, &out);
	CHECK_MSG(st == 0, "n=%d counted=%lld limit=%ld: status %d", n,
	    counted, limit, st);
	CHECK_MSG(xlsx_read(out.data, out.len, &book, err, sizeof(err)) == 0,
	    "n=%d: read back: %s", n, err);
	while (want[nwant])
		nwant++;
	CHECK_MSG(book.nsheets == nwant, "n=%d counted=%lld limit=%ld: %zu "
	    "sheets, want %zu", n, counted, limit, book.nsheets, nwant);
	for (size_t i = 0; i < book.nsheets && i < nwant; i++)
		CHECK_MSG(strcmp(book.sheets[i].name, want[i]) == 0,
		    "n=%d counted=%lld: sheet %zu is \"%s\", want \"%s\"", n,
		    counted, i + 1, book.sheets[i].name, want[i]);
	/* the responses sheets in their names' order: "responses",
	 * "responses 2"... wherever each stands in the workbook */
	for (size_t k = 1;; k++) {
		char name[32];
		const struct xlsx_sheet *s = NULL;
		unsigned last;

		if (k == 1)
			snprintf(name, sizeof(name), "responses");
		else
			snprintf(name, sizeof(name), "responses %zu", k);
		for (size_t i = 0; i < book.nsheets; i++)
			if (strcmp(book.sheets[i].name, name) == 0)
				s = &book.sheets[i];
		if (s == NULL)
			break;
		nresp++;
		/* the same header row: participant, then csv-wide's columns */
		for (size_t c = 0; c <= g.ncols; c++) {
			const struct xlsx_cell *h = xlsx_cell(s, 1,
			    (unsigned)c + 1);
			const char *hw = c == 0 ? "participant" :
			    cols[c - 1].name;
			CHECK_MSG(h && strcmp(h->text, hw) == 0,
			    "%s: header column %zu is \"%s\", want \"%s\"",
			    name, c + 1, h ? h->text : "", hw);
		}
		/* full sheets but the last; participants in order */
		last = s->nrows;
		CHECK_MSG(last >= 1 && last - 1 <= (unsigned)per, "%s: %u rows",
		    name, last);
		for (unsigned r = 2; r <= last; r++) {
			const struct xlsx_cell *c = xlsx_cell(s, r, 1);
			char code[16];

			snprintf(code, sizeof(code), "T%03d-%04d",
			    seen / 10000, seen % 10000 + 1);
			CHECK_MSG(c && strcmp(c->text, code) == 0,
			    "%s row %u: \"%s\", want %s", name, r,
			    c ? c->text : "", code);
			seen++;
		}
		if (seen < n)
			CHECK_MSG(last - 1 == (unsigned)per,
			    "%s: %u participants before the next sheet", name,
			    last - 1);
	}
	CHECK_MSG(seen == n, "n=%d counted=%lld limit=%ld: %d participants "
	    "read back", n, counted, limit, seen);
	xlsx_free(&book);
	buf_free(&out);
	free(cols);
}

int main(void)
{
	struct qdef *def = bundled();

	CHECK(def != NULL);
	if (def == NULL)
		return check_done("test_office");
	{ /* counted right: every responses sheet right after the first */
		static const char *const w[] = {"responses", "responses 2",
		    "responses 3", "codebook", "counts", NULL};
		check_book(def, 25, 25, 10, w);
	}
	{ /* exactly two full sheets: no third, no empty one */
		static const char *const w[] = {"responses", "responses 2",
		    "codebook", "counts", NULL};
		check_book(def, 18, 18, 10, w);
	}
	{ /* one over the first sheet */
		static const char *const w[] = {"responses", "responses 2",
		    "codebook", "counts", NULL};
		check_book(def, 10, 10, 10, w);
	}
	{ /* more participants than counted: the rest at the end */
		static const char *const w[] = {"responses", "codebook",
		    "counts", "responses 2", "responses 3", NULL};
		check_book(def, 25, 8, 10, w);
	}
	{ /* counted short by a sheet: the last one at the end */
		static const char *const w[] = {"responses", "responses 2",
		    "codebook", "counts", "responses 3", NULL};
		check_book(def, 19, 17, 10, w);
	}
	{ /* one sheet: under the limit, none, Excel's limit by default */
		static const char *const w[] = {"responses", "codebook",
		    "counts", NULL};
		check_book(def, 9, 9, 10, w);
		check_book(def, 0, 0, 10, w);
		check_book(def, 25, 25, 0, w);
		check_book(def, 25, 25, 1048576, w);
	}
	qdef_free(def);
	return check_done("test_office");
}
