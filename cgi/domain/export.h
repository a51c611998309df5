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

#endif
