/* ctl_export.c: `enquetectl export --event SLUG --format
 * csv-long|csv-wide|json|codebook [--excel]`: the same bytes as the HTTP
 * export, on stdout, streamed (export.h). */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "store.h"
#include "event.h"
#include "export.h"

/* export_sink's flush: the bytes to stdout as they come. */
static int to_stdout(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: enquetectl export --event SLUG --format "
			"csv-long|csv-wide|json|codebook [--excel]\n");
	return 2;
}

int ctl_export(int argc, char **argv)
{
	struct db db = {.conninfo = NULL, .lazy = 1};
	struct buf out = BUF_INIT;
	struct export_sink sink = {&out, to_stdout, NULL, 0};
	struct event_info ev;
	const char *slug = NULL, *format = NULL;
	int excel = 0, f, st, rc = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
			slug = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--excel") == 0)
			excel = 1;
		else
			return usage();
	}
	if (slug == NULL || format == NULL)
		return usage();
	if ((f = export_format_from_name(format)) < 0) {
		fprintf(stderr, "enquetectl: unknown format \"%s\"\n", format);
		return usage();
	}
	db.conninfo = db_analytics_conninfo();
	if (db_ready(&db) != 0) {
		fprintf(stderr, "enquetectl: database unreachable\n");
		goto out;
	}
	st = event_lookup(&db, slug, &ev);
	if (st == 404) {
		fprintf(stderr, "enquetectl: no event \"%s\"\n", slug);
		goto out;
	}
	if (st != 0) {
		fprintf(stderr, "enquetectl: cannot read the event (%d)\n", st);
		goto out;
	}
	/* streamed: the memory stays flat whatever the event's size */
	st = export_stream(&db, ev.def, ev.id, slug, (enum export_format)f,
	    excel, &sink);
	if (st != 0) {
		/* part of it may be on stdout already: the exit status
		 * says it is not complete */
		fprintf(stderr, "enquetectl: export failed (%d)\n", st);
		goto out;
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		goto out;
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	buf_free(&out);
	event_cache_free();
	db_close(&db);
	return rc;
}
