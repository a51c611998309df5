/* ctl_definition.c: `enquetectl definition --event SLUG --format
 * json|xlsform` writes the event's current definition on stdout: the JSON
 * as stored, or an XLSForm workbook (cgi/xlsform.c) that `enquetectl load`
 * reads back to the same definition. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl.h"
#include "store_def.h"
#include "xlsform.h"

static int usage(void)
{
	fprintf(stderr, "usage: enquetectl definition --event SLUG --format "
			"json|xlsform\n");
	return 2;
}

int ctl_definition(int argc, char **argv)
{
	const char *slug = NULL, *format = NULL;
	struct json_object *def = NULL;
	struct buf out = BUF_INIT;
	struct pg_conn *c = NULL;
	char err[256], *body = NULL;
	int rc = 1, found;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
			slug = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else
			return usage();
	}
	if (slug == NULL || format == NULL)
		return usage();
	if (strcmp(format, "json") != 0 && strcmp(format, "xlsform") != 0) {
		fprintf(stderr, "enquetectl: unknown format \"%s\" (json or "
				"xlsform)\n", format);
		return 2;
	}
	if ((c = store_def_connect()) == NULL)
		return 1;
	found = store_def_current_body(c, slug, &body);
	if (found < 0)
		goto out;
	if (!found) {
		fprintf(stderr, "enquetectl: no event \"%s\"\n", slug);
		goto out;
	}
	def = json_tokener_parse(body);
	if (def == NULL) {
		fprintf(stderr, "enquetectl: the stored definition does not "
				"parse\n");
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		buf_puts(&out, json_object_to_json_string_ext(def,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		buf_putc(&out, '\n');
		if (out.oom) {
			fprintf(stderr, "enquetectl: out of memory\n");
			goto out;
		}
	} else if (xlsform_write(def, &out, err, sizeof(err)) != 0) {
		fprintf(stderr, "enquetectl: %s\n", err);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		perror("enquetectl: stdout");
		goto out;
	}
	rc = 0;
out:
	buf_free(&out);
	json_object_put(def);
	free(body);
	store_def_close(c);
	return rc;
}
