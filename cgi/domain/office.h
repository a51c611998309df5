/* office.h: the event's data for other programs (DESIGN.md "Reports for
 * the donor"): results.xlsx (the wide responses with value labels, the
 * codebook, one sheet per analysis table and native charts), analysis.R
 * and labels.sps (scripts that read the csv-wide export and apply every
 * label). Each follows csv-wide's columns (export.h) exactly. */
#ifndef ENQUETE_OFFICE_H
#define ENQUETE_OFFICE_H

#include "buf.h"
#include "export.h"
#include "qdef.h"
#include "summary.h"

struct db;

/* The words of the workbook that the definition does not hold, in the
 * chosen language (the caller's catalog); borrowed for the call. */
struct office_words {
	const char *knowledge_chart; /* "Knowledge before and after" */
	const char *ranking_chart;   /* "Priority actions (Borda points)" */
	const char *before, *after;  /* the two series */
};

#define OFFICE_XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/*
 * Appends results.xlsx of event event_id (definition def, summary sum of
 * the whole event, built by the caller) in lang to out: sheets responses
 * (one row per participant in csv-wide's order and columns, choices as
 * their labels in lang, ratings and numbers as numbers; past sheet_rows
 * rows, the header's included, the participants go on in "responses 2",
 * "responses 3"..., each with the same header, placed right after
 * "responses" for the summary's participants, at the end for any who came
 * since; sheet_rows outside 2..1048576 is Excel's 1048576), codebook, then
 * counts, paired, retro, quiz, evaluation, nps, ranking (the summary's
 * tables under the contract's field names; only counts when sum is
 * restricted or the event has fewer than SUMMARY_MIN_GROUP participants) with a bar chart in paired and in ranking; every sheet right
 * to left in Arabic. The responses sheet is written row by row
 * (libxlsxwriter's constant_memory mode), so memory does not grow with the
 * event beyond what csv-wide holds. Returns 0, 503 (database down) or 500
 * (out may then hold a part: discard it).
 */
int office_xlsx(struct db *db, const struct qdef *def, long event_id,
    const struct summary *sum, enum qdef_lang lang,
    const struct office_words *w, long sheet_rows, struct buf *out);

/* A source of the responses' rows: calls fn(ctx, ...) once per
 * participant in csv-wide's order, as export_wide_each() does. Returns 0,
 * 503, or anything else as a failure (500). */
typedef int (*office_rows_fn)(void *src, export_wide_fn fn, void *ctx);

/* office_xlsx() with the rows from each(src) and counted participants
 * expected (the responses sheets made up front); office_xlsx() passes
 * the event's csv-wide rows and the summary's participants. */
int office_xlsx_from(office_rows_fn each, void *src, long long counted,
    const struct qdef *def, const struct summary *sum, enum qdef_lang lang,
    const struct office_words *w, long sheet_rows, struct buf *out);

/* Appends analysis.R for slug's csv-wide file in lang. 0, or 500 when out
 * of memory. */
int office_r(const struct qdef *def, const char *slug, enum qdef_lang lang,
    struct buf *out);

/* Appends labels.sps (GET DATA, VARIABLE LABELS, VALUE LABELS) for
 * slug's csv-wide file in lang. 0, or 500 when out of memory. */
int office_sps(const struct qdef *def, const char *slug, enum qdef_lang lang,
    struct buf *out);

#endif
