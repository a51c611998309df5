/* export.h: the exports of DESIGN.md "Exports" (csv-long, csv-wide,
 * export.json, codebook.csv), written into a buffer; the same bytes for
 * the HTTP handlers (page_export.c) and `enquetectl export`. */
#ifndef ENQUETE_EXPORT_H
#define ENQUETE_EXPORT_H

#include "buf.h"
#include "qdef.h"
#include "store.h"

enum export_format {
	EXPORT_CSV_LONG,
	EXPORT_CSV_WIDE,
	EXPORT_JSON,
	EXPORT_CODEBOOK,
	EXPORT__MAX
};

/* "csv-long", "csv-wide", "json", "codebook" and back (-1 when unknown).
 * Names are static strings. */
const char *export_format_name(enum export_format f);
int export_format_from_name(const char *s);
/* Content type (static): text/csv; charset=utf-8 or application/json. */
const char *export_content_type(enum export_format f);
/* The attachment file name, e.g. "imanor-2017-long.csv", into out. */
void export_filename(enum export_format f, const char *slug, char *out,
    size_t outlen);

/*
 * Appends the export of event event_id (definition def, the event's
 * current version: it gives the codebook, the wide columns and which items
 * are personal) to out. excel (CSV only): a UTF-8 BOM and cells starting
 * with = + - @ TAB CR LF prefixed with an apostrophe. Runs on db
 * (analytics).
 * Returns 0, 503 when the database cannot be reached, 500 otherwise (out
 * may then hold a partial export: discard it).
 */
int export_write(struct db *db, const struct qdef *def, long event_id,
    const char *slug, enum export_format f, int excel, struct buf *out);

/*
 * Streaming (DESIGN.md "Beyond one machine": a worker's memory stays flat
 * whatever the event's size). export_stream writes the same bytes as
 * export_write into sink->out, and each time out holds EXPORT_CHUNK bytes
 * or more (checked after each row) hands them to sink->flush(ctx, data,
 * len) and empties out; the rows come from the store one at a time
 * (store.h, "Streaming"). What is left in out at the end (less than a
 * chunk, or everything when nothing was flushed) is the caller's to send.
 * flush returns 0, or -1 to stop (the client went away): the export then
 * stops with 500. flush NULL: nothing is flushed (export_write). Once
 * flush was called, a non-zero status means the bytes sent so far are a
 * truncated export: the caller must make the client see it failed (abort
 * the response), never end it as if it were complete.
 * For new exports (another format, several events): write rows into
 * sink->out and call export_sink_row after each.
 */
#define EXPORT_CHUNK (64u << 10)
struct export_sink {
	struct buf *out;
	int (*flush)(void *ctx, const char *data, size_t len);
	void *ctx;
	int flushed; /* set once flush was called */
};
int export_stream(struct db *db, const struct qdef *def, long event_id,
    const char *slug, enum export_format f, int excel,
    struct export_sink *sink);
/* After a row: flushes out when it holds a chunk. 0, or -1 when out of
 * memory or when flush asked to stop. */
int export_sink_row(struct export_sink *sink);

/* One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled; with excel, an apostrophe before a leading = + - @, TAB,
 * CR or LF. */
void export_csv_field(struct buf *out, const char *s, int excel);

/* ---- the wide file's columns and rows, for the office formats
 * (office.c: results.xlsx, analysis.R, labels.sps) ---- */

/* What a csv-wide column holds (DESIGN.md "Exports (second stage)"). */
enum export_col_role {
	EXPORT_COL_ITEM,   /* an item's answer (multi: values joined by |) */
	EXPORT_COL_OTHER,  /* its "other" text */
	EXPORT_COL_RETRO,  /* its retrospective rating */
	EXPORT_COL_RANK,   /* one rank of a ranking: an option value */
	EXPORT_COL_LANG,   /* the response's language */
	EXPORT_COL_SOURCE, /* web or paper */
	EXPORT_COL__MAX
};

/* One csv-wide column after `participant`: its name as in the header
 * ("pre.know_iso"), instrument, role and item (borrowed from the
 * definition; NULL for lang and source). */
struct export_col {
	enum qdef_kind kind;
	enum export_col_role role;
	const struct qdef_item *it;
	char name[QDEF_FIELD_MAX + 16];
};

/* csv-wide's columns after `participant`, in order. Caller frees the
 * array with free(); NULL when out of memory. */
struct export_col *export_wide_cols(const struct qdef *def, size_t *n);

/* One participant's csv-wide row: code (XXXX-XXXX) and the ncols cells
 * of export_wide_cols(), exact values ("" when unanswered), borrowed for
 * the call. Returns 0, or -1 to stop. */
typedef int (*export_wide_fn)(void *ctx, const char *code,
    const char *const *cells, size_t ncols);
/* Calls fn for each participant of event_id, as csv-wide writes them (the
 * same memory: one row's cells at a time). Returns 0, 503, or 500 (also
 * when fn stopped). */
int export_wide_each(struct db *db, const struct qdef *def, long event_id,
    export_wide_fn fn, void *ctx);

/* csv-long's rows of event_id (no header) with `event` as a first column
 * (GET /admin/programme/export.csv), written into sink->out and flushed
 * through the sink as they come (several events share one sink). Returns
 * as export_stream(). */
int export_long_event(struct db *db, long event_id, const char *event,
    int excel, struct export_sink *sink);

/* A value and its label (borrowed from the definition or static). */
struct export_vlabel {
	char value[QDEF_VALUE_MAX + 8];
	const char *label;
};
/* The value labels of column c in lang (the definition's default
 * language where lang lacks one): scale points, options, languages,
 * sources; none for texts and numbers. Fills at most max, returns how
 * many there are. */
size_t export_value_labels(const struct qdef *def, const struct export_col *c,
    enum qdef_lang lang, struct export_vlabel *out, size_t max);
/* The variable label of column c in lang (fallback as above), borrowed;
 * "" when none. */
const char *export_col_label(const struct qdef *def,
    const struct export_col *c, enum qdef_lang lang);

#endif
