/* fuzz_tmpl.c: libFuzzer target for the mustache renderer (cgi/core/tmpl.c):
 * template text and data both come from the input. The first line is the
 * JSON data (an unparsable line gives null data); the rest is split at NUL
 * bytes into templates named "main", "a", "b", "c"...: each is compiled
 * into one set, "main" is rendered with partials resolved in the set (and
 * once with no partials), and every partial reference is listed.
 *
 * Templates are trusted (compiled at start from our own files), so their
 * cost is not a finding: nested sections over arrays or recursive partials
 * can be exponential by design. The harness bounds it instead: at most
 * PARTIAL_CALLS partial lookups per render and (longest array)^(number of
 * '#') at most SECTION_WORK. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "tmpl.h"

#define MAX_INPUT 8192
#define MAX_TEMPLATES 6
#define PARTIAL_CALLS 64
#define SECTION_WORK 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	struct tmpl_set *set;
	int calls;
};

static const struct tmpl *partial(void *p, const char *name)
{
	struct ctx *c = p;

	if (++c->calls > PARTIAL_CALLS)
		return NULL;
	return tmpl_set_get(c->set, name);
}

static int seen_partial(void *p, const char *name, int line, int col)
{
	(void)p;
	assert(name != NULL);
	assert(line >= 1 && col >= 1);
	return 0;
}

static size_t longest_array(struct json_object *o, int depth)
{
	size_t m = 0, n;

	if (depth > 64)
		return 0;
	switch (json_object_get_type(o)) {
	case json_type_array:
		m = json_object_array_length(o);
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			n = longest_array(json_object_array_get_idx(o, i),
			    depth + 1);
			m = n > m ? n : m;
		}
		break;
	case json_type_object: {
		json_object_object_foreach(o, k, v)
		{
			(void)k;
			n = longest_array(v, depth + 1);
			m = n > m ? n : m;
		}
		break;
	}
	default:
		break;
	}
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl, *p, *end = s + size;
	static const char *const names[MAX_TEMPLATES] = {"main", "a", "b",
	    "c", "d", "e"};
	struct json_object *json = NULL;
	struct tmpl_error err;
	struct ctx c = {NULL, 0};
	struct buf out = BUF_INIT;
	const struct tmpl *t;
	size_t hashes = 0, k, work = 1;
	int n = 0;

	if (size > MAX_INPUT)
		return 0;
	if ((nl = memchr(s, '\n', size)) == NULL)
		return 0;
	{
		/* Exactly the first line: json_tokener_parse needs a C string. */
		char *line = malloc((size_t)(nl - s) + 1);
		if (line == NULL)
			return 0;
		memcpy(line, s, (size_t)(nl - s));
		line[nl - s] = '\0';
		json = json_tokener_parse(line);
		free(line);
	}
	if ((c.set = tmpl_set_new()) == NULL)
		goto out;
	for (p = nl + 1; p <= end && n < MAX_TEMPLATES; n++) {
		const char *q = memchr(p, '\0', (size_t)(end - p));
		size_t len = q ? (size_t)(q - p) : (size_t)(end - p);

		for (k = 0; k < len; k++)
			hashes += p[k] == '#';
		if (tmpl_set_add(c.set, names[n], p, len, &err) != 0) {
			assert(err.msg[0] != '\0');
			assert(err.line >= 1 && err.col >= 1);
		} else {
			t = tmpl_set_get(c.set, names[n]);
			assert(t != NULL);
			(void)tmpl_foreach_partial(t, seen_partial, NULL);
		}
		if (q == NULL)
			break;
		p = q + 1;
	}
	if ((t = tmpl_set_get(c.set, "main")) == NULL)
		goto out;
	k = longest_array(json, 0);
	for (size_t i = 0; i < hashes && k > 1 && work <= SECTION_WORK; i++)
		work *= k;
	if (work > SECTION_WORK)
		goto out;
	(void)tmpl_render(t, json, partial, &c, &out);
	buf_reset(&out);
	(void)tmpl_render(t, json, NULL, NULL, &out);
out:
	buf_free(&out);
	tmpl_set_free(c.set);
	json_object_put(json);
	return 0;
}
