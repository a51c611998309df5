/* tmpl.h: logic-less mustache templates rendered over json-c values; the one
 * place in enquete that escapes HTML. Compiled once at start, rendered often. */
#ifndef ENQUETE_TMPL_H
#define ENQUETE_TMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

/* A compiled template: a flat list of operations over a private copy of the
 * source. Immutable after tmpl_compile(), so it may be shared freely. */
struct tmpl;

/* Where and why compilation failed; line and col are 1-based (col counts
 * bytes). */
struct tmpl_error {
	char msg[160];
	int line, col;
};

/* Compiles src (len bytes, need not be NUL-terminated; never read beyond
 * len). Returns NULL and fills err (when not NULL) on a malformed template
 * or out of memory. Caller frees with tmpl_free(). */
struct tmpl *tmpl_compile(const char *src, size_t len, struct tmpl_error *err);
void tmpl_free(struct tmpl *t);

/* Resolves a partial (or parent) by name: returns a borrowed compiled
 * template, or NULL, which renders as empty. */
typedef const struct tmpl *(*tmpl_partial_fn)(void *ctx, const char *name);

/* Appends t rendered against data to out. partials may be NULL (every
 * partial then renders empty). Returns 0, or -1 when out of memory or when
 * nesting exceeds TMPL_MAX_DEPTH (runaway recursive partials). */
int tmpl_render(const struct tmpl *t, struct json_object *data,
    tmpl_partial_fn partials, void *ctx, struct buf *out);

#define TMPL_MAX_DEPTH 100

/* Calls fn for every partial or parent name t references, with the 1-based
 * line and col of the tag; stops and returns fn's value when not 0. */
int tmpl_foreach_partial(const struct tmpl *t,
    int (*fn)(void *ctx, const char *name, int line, int col), void *ctx);

/* Appends s to out with & < > " ' escaped as HTML entities. Returns 0/-1. */
int tmpl_escape_html(struct buf *out, const char *s, size_t len);

/* A named set of compiled templates; partials resolve within the set. */
struct tmpl_set;

/* Loads every *.mustache file under dir (recursively); a template's name is
 * its path relative to dir without the extension ("layout", "svg/bar").
 * A template that fails to compile or references a partial missing from
 * the set is an error: returns NULL with "FILE:LINE:COL: message" in
 * errbuf. Caller frees with tmpl_set_free(). */
struct tmpl_set *tmpl_set_load(const char *dir, char *errbuf, size_t errlen);

/* An empty set to fill with tmpl_set_add(). Caller frees with
 * tmpl_set_free(). Returns NULL when out of memory. */
struct tmpl_set *tmpl_set_new(void);

/* Compiles src under name (replacing any template of that name).
 * Returns 0, or -1 with err filled. */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src,
    size_t len, struct tmpl_error *err);

/* Borrowed template by name, NULL when absent; valid until
 * tmpl_set_free(). */
const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name);

/* A tmpl_partial_fn resolving within a set: pass the set as ctx. */
const struct tmpl *tmpl_set_partial(void *set, const char *name);

/* Renders the template called name with partials from the set. Returns 0,
 * or -1 when the template is unknown or tmpl_render() fails. */
int tmpl_set_render(const struct tmpl_set *s, const char *name,
    struct json_object *data, struct buf *out);

void tmpl_set_free(struct tmpl_set *s);

/* `enquetectl render TEMPLATE_FILE DATA.json [PARTIALS.json]` (in
 * cgi/ctl_render.c): argv[0] is "render". Prints exactly the rendered text
 * on stdout; errors as "FILE:LINE:COL: message" on stderr. Returns the
 * process exit status: 0, 1 on error, 2 on bad usage. */
int ctl_render(int argc, char **argv);

#endif
