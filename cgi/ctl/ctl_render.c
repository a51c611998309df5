/* ctl_render.c: `enquetectl render TEMPLATE_FILE DATA.json [PARTIALS.json]`,
 * renders one template alone so templates can be tested from the shell. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "config.h"
#include "tmpl.h"

/* Whole file into memory, NUL-terminated: caller frees with free(). NULL
 * with errno set on failure. */
static char *read_whole(const char *path, size_t *lenp)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, (size_t)-1 / 4) != 0) {
		buf_free(&b);
		return NULL;
	}
	*lenp = b.len;
	return buf_steal(&b);
}

static void offset_to_linecol(const char *s, size_t off, int *line, int *col)
{
	size_t i, bol = 0;

	*line = 1;
	for (i = 0; i < off; i++)
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = (int)(off - bol) + 1;
}

/* Parses the JSON file at path into *out (caller puts; may be NULL for a
 * JSON null). Returns 0, or -1 after printing FILE:LINE:COL: message. */
static int load_json(const char *path, struct json_object **out)
{
	struct json_tokener *tok = NULL;
	enum json_tokener_error jerr;
	struct json_object *obj = NULL;
	char *text;
	size_t len, end;
	int line, col, rc = -1;

	*out = NULL;
	if ((text = read_whole(path, &len)) == NULL) {
		fprintf(stderr, "%s:1:1: cannot read: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (len > (size_t)INT32_MAX) {
		fprintf(stderr, "%s:1:1: file too large\n", path);
		goto out;
	}
	if ((tok = json_tokener_new()) == NULL) {
		fprintf(stderr, "%s:1:1: out of memory\n", path);
		goto out;
	}
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	/* A bare number (or true, false, null) that ends the file is still
	 * waiting for a delimiter: the end of the file is that delimiter.
	 * json-c finishes such a value when it is fed one more NUL byte
	 * (the length of the chunk counts it); an unclosed string, array or
	 * object stays unfinished and is reported below. */
	if (jerr == json_tokener_continue && obj == NULL) {
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr == json_tokener_success)
			end = len;
		else if (jerr != json_tokener_continue)
			jerr = json_tokener_continue;
	}
	if (jerr == json_tokener_continue) {
		offset_to_linecol(text, len, &line, &col);
		fprintf(stderr, "%s:%d:%d: unexpected end of JSON\n", path,
		    line, col);
		goto out;
	}
	if (jerr != json_tokener_success) {
		offset_to_linecol(text, end, &line, &col);
		fprintf(stderr, "%s:%d:%d: invalid JSON: %s\n", path, line, col,
		    json_tokener_error_desc(jerr));
		goto out;
	}
	while (end < len && strchr(" \t\r\n", text[end]) && text[end])
		end++;
	if (end < len) {
		offset_to_linecol(text, end, &line, &col);
		fprintf(stderr, "%s:%d:%d: invalid JSON: data after the value\n",
		    path, line, col);
		goto out;
	}
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	json_object_put(obj);
	if (tok)
		json_tokener_free(tok);
	free(text);
	return rc;
}

/* Compiles every "name": "template text" of a PARTIALS.json object into a
 * new set (caller frees with tmpl_set_free()); NULL after printing. */
static struct tmpl_set *load_partials_json(const char *path)
{
	struct json_object *obj;
	struct tmpl_set *s = NULL;
	struct tmpl_error err;

	if (load_json(path, &obj))
		return NULL;
	if (!json_object_is_type(obj, json_type_object)) {
		fprintf(stderr,
		    "%s:1:1: partials must be an object of name: template\n",
		    path);
		goto out;
	}
	if ((s = tmpl_set_new()) == NULL) {
		fprintf(stderr, "%s:1:1: out of memory\n", path);
		goto out;
	}
	json_object_object_foreach(obj, name, val)
	{
		if (!json_object_is_type(val, json_type_string)) {
			fprintf(stderr, "%s:1:1: partial \"%s\" is not a string\n",
			    path, name);
			goto fail;
		}
		if (tmpl_set_add(s, name, json_object_get_string(val),
			(size_t)json_object_get_string_len(val), &err)) {
			fprintf(stderr, "%s:%d:%d: %s (in partial \"%s\")\n", path,
			    err.line, err.col, err.msg, name);
			goto fail;
		}
	}
	goto out;
fail:
	tmpl_set_free(s);
	s = NULL;
out:
	json_object_put(obj);
	return s;
}

struct missing_ctx {
	const struct tmpl_set *set;
	const char *path;
};

static int report_missing(void *ctx, const char *name, int line, int col)
{
	struct missing_ctx *m = ctx;

	if (m->set && tmpl_set_get(m->set, name))
		return 0;
	fprintf(stderr, "%s:%d:%d: partial \"%s\" not found\n", m->path, line,
	    col, name);
	return -1;
}

static int count_partial(void *ctx, const char *name, int line, int col)
{
	(void)name;
	(void)line;
	(void)col;
	(*(int *)ctx)++;
	return 0;
}

int ctl_render(int argc, char **argv)
{
	struct tmpl *t = NULL;
	struct tmpl_set *set = NULL;
	struct tmpl_error err;
	struct json_object *data = NULL;
	struct buf out = BUF_INIT;
	char *src = NULL, errbuf[1024];
	size_t len;
	int rc = 1, nparts = 0;

	if (argc != 3 && argc != 4) {
		fprintf(stderr,
		    "usage: enquetectl render TEMPLATE_FILE DATA.json "
		    "[PARTIALS.json]\n");
		return 2;
	}
	if ((src = read_whole(argv[1], &len)) == NULL) {
		fprintf(stderr, "%s:1:1: cannot read: %s\n", argv[1],
		    strerror(errno));
		goto out;
	}
	if ((t = tmpl_compile(src, len, &err)) == NULL) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[1], err.line, err.col,
		    err.msg);
		goto out;
	}
	if (load_json(argv[2], &data))
		goto out;
	if (argc == 4) {
		/* As in the mustache spec, a partial missing from the given
		 * map renders empty. */
		if ((set = load_partials_json(argv[3])) == NULL)
			goto out;
	} else {
		/* From the template directory, where a missing partial is an
		 * error, as at server start. Loaded only when needed. */
		struct missing_ctx m;
		const char *dir = cfg_str(CFG_TEMPLATES);

		tmpl_foreach_partial(t, count_partial, &nparts);
		if (nparts) {
			set = tmpl_set_load(dir, errbuf, sizeof(errbuf));
			if (set == NULL) {
				fprintf(stderr, "%s\n", errbuf);
				goto out;
			}
		}
		m.set = set;
		m.path = argv[1];
		if (tmpl_foreach_partial(t, report_missing, &m))
			goto out;
	}
	if (tmpl_render(t, data, set ? tmpl_set_partial : NULL, set, &out)) {
		fprintf(stderr, "%s:1:1: rendering failed (out of memory or "
				"partials nested deeper than %d)\n",
		    argv[1], TMPL_MAX_DEPTH);
		goto out;
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		goto out;
	if (fflush(stdout) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&out);
	json_object_put(data);
	tmpl_set_free(set);
	tmpl_free(t);
	free(src);
	return rc;
}
