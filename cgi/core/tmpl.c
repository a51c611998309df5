/* tmpl.c: mustache compiled to a flat op list once, then rendered over json-c
 * values without re-parsing; the only place enquete escapes HTML. */
#include "tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * A compiled template is its source (a private copy) plus an array of ops.
 * Containers (sections, inverted sections, blocks, parents) hold in `end`
 * the index one past their last child, so their content is ops
 * [i + 1, end) and skipping a false section is one assignment. There is no
 * op for a closing tag. Names live in a pool: interpolation and section
 * names are stored as NUL-separated segments ("a\0b\0" for a.b, nseg = 2,
 * nseg = 0 for the implicit iterator "."), partial, parent and block names
 * whole (nseg = 1).
 */
enum op_kind {
	OP_TEXT,     /* src[off, off + len) verbatim */
	OP_VAR,      /* {{name}}: HTML-escaped */
	OP_RAW,      /* {{{name}}} or {{& name}}: as is */
	OP_SECTION,  /* {{#name}} */
	OP_INVERTED, /* {{^name}} */
	OP_PARTIAL,  /* {{>name}} */
	OP_PARENT,   /* {{<name}}: a partial whose blocks the content overrides */
	OP_BLOCK,    /* {{$name}}: overridable default content */
};

struct op {
	unsigned char kind;
	unsigned char nseg;
	uint32_t off, len; /* OP_TEXT: span of src; others: name in names */
	uint32_t end;      /* containers: one past the last child */
	uint32_t ind, indlen; /* standalone partial/parent: indentation in src */
	uint32_t pos;      /* offset of the tag in src, for messages */
};

struct tmpl {
	char *src; /* private copy, NUL-terminated */
	size_t srclen;
	struct op *ops;
	uint32_t nops;
	char *names;
};

#define DELIM_MAX 16

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static void pos_to_linecol(const char *s, size_t pos, int *line, int *col)
{
	size_t i, bol = 0;
	int l = 1;

	for (i = 0; i < pos; i++)
		if (s[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*col = (int)(pos - bol) + 1;
}

/* First occurrence of needle (nlen > 0) in s[from, len), or (size_t)-1. */
static size_t find(const char *s, size_t len, size_t from, const char *needle,
    size_t nlen)
{
	const char *p;

	while (from < len && len - from >= nlen) {
		p = memchr(s + from, needle[0], len - from - nlen + 1);
		if (p == NULL)
			break;
		if (memcmp(p, needle, nlen) == 0)
			return (size_t)(p - s);
		from = (size_t)(p - s) + 1;
	}
	return (size_t)-1;
}

/* ------------------------------------------------------------------ */
/* Compilation */

struct open_tag {
	uint32_t op;         /* index of the container op */
	uint32_t noff, nlen; /* its name as written, in src */
};

struct cstate {
	const char *src;
	size_t len;
	struct op *ops;
	size_t nops, cap;
	struct buf names;
	char otag[DELIM_MAX + 1], ctag[DELIM_MAX + 1];
	size_t olen, clen;
	struct open_tag open[TMPL_MAX_DEPTH];
	int nopen;
	struct tmpl_error *err;
};

__attribute__((format(printf, 3, 4))) static int
cfail(struct cstate *c, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (c->err) {
		va_start(ap, fmt);
		vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
		va_end(ap);
		pos_to_linecol(c->src, pos, &c->err->line, &c->err->col);
	}
	return -1;
}

static struct op *new_op(struct cstate *c, int kind, size_t pos)
{
	struct op *o;

	if (c->nops == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		o = realloc(c->ops, cap * sizeof(*o));
		if (o == NULL)
			return NULL;
		c->ops = o;
		c->cap = cap;
	}
	if (c->nops >= UINT32_MAX - 1)
		return NULL;
	o = &c->ops[c->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = (unsigned char)kind;
	o->pos = (uint32_t)pos;
	return o;
}

static int add_text(struct cstate *c, size_t from, size_t to)
{
	struct op *o;

	if (to <= from)
		return 0;
	/* Merge with a directly preceding text op (after a comment, say). */
	if (c->nops && c->ops[c->nops - 1].kind == OP_TEXT &&
	    c->ops[c->nops - 1].off + c->ops[c->nops - 1].len == from) {
		c->ops[c->nops - 1].len += (uint32_t)(to - from);
		return 0;
	}
	if ((o = new_op(c, OP_TEXT, from)) == NULL)
		return cfail(c, from, "out of memory");
	o->off = (uint32_t)from;
	o->len = (uint32_t)(to - from);
	return 0;
}

/* Stores the name s[0, n) in the pool; split at dots when dotted. */
static int add_name(struct cstate *c, struct op *o, const char *s, size_t n,
    int dotted, size_t pos)
{
	size_t i, start;
	int nseg = 0;

	if (n == 0)
		return cfail(c, pos, "empty tag name");
	for (i = 0; i < n; i++)
		if (is_space(s[i]))
			return cfail(c, pos, "space inside tag name \"%.*s\"",
			    (int)(n > 60 ? 60 : n), s);
	o->off = (uint32_t)c->names.len;
	if (dotted && n == 1 && s[0] == '.') {
		o->nseg = 0;
		return buf_putc(&c->names, '\0') ? cfail(c, pos, "out of memory")
						  : 0;
	}
	if (!dotted) {
		o->nseg = 1;
		if (buf_append(&c->names, s, n) || buf_putc(&c->names, '\0'))
			return cfail(c, pos, "out of memory");
		o->len = (uint32_t)n;
		return 0;
	}
	for (start = 0, i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start)
			return cfail(c, pos, "empty part in name \"%.*s\"",
			    (int)(n > 60 ? 60 : n), s);
		if (++nseg > 255)
			return cfail(c, pos, "name has too many parts");
		if (buf_append(&c->names, s + start, i - start) ||
		    buf_putc(&c->names, '\0'))
			return cfail(c, pos, "out of memory");
		start = i + 1;
	}
	o->nseg = (unsigned char)nseg;
	o->len = (uint32_t)n;
	return 0;
}

static int set_delims(struct cstate *c, const char *s, size_t n, size_t pos)
{
	size_t a = 0, alen, b, blen, i;

	while (a < n && is_space(s[a]))
		a++;
	for (alen = 0; a + alen < n && !is_space(s[a + alen]); alen++)
		;
	b = a + alen;
	while (b < n && is_space(s[b]))
		b++;
	for (blen = 0; b + blen < n && !is_space(s[b + blen]); blen++)
		;
	for (i = b + blen; i < n; i++)
		if (!is_space(s[i]))
			return cfail(c, pos, "invalid delimiters: more than two");
	if (alen == 0 || blen == 0)
		return cfail(c, pos, "invalid delimiters: need two");
	if (alen > DELIM_MAX || blen > DELIM_MAX)
		return cfail(c, pos, "invalid delimiters: longer than %d bytes",
		    DELIM_MAX);
	if (memchr(s + a, '=', alen) || memchr(s + b, '=', blen))
		return cfail(c, pos, "invalid delimiters: contain '='");
	memcpy(c->otag, s + a, alen);
	c->otag[alen] = '\0';
	c->olen = alen;
	memcpy(c->ctag, s + b, blen);
	c->ctag[blen] = '\0';
	c->clen = blen;
	return 0;
}

static int compile_tags(struct cstate *c)
{
	const char *s = c->src;
	size_t len = c->len, pos = 0;

	for (;;) {
		size_t p, q, ce, tag_end, ls, e, nb, ne, closelen;
		char sigil = 0, close[DELIM_MAX + 2];
		int standalone = 0;
		struct op *o;

		p = find(s, len, pos, c->otag, c->olen);
		if (p == (size_t)-1)
			return add_text(c, pos, len);
		q = p + c->olen;
		while (q < len && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (q < len && s[q] != '\0' && strchr("#^/><$!={&", s[q]) != NULL)
			sigil = s[q++];
		closelen = 0;
		if (sigil == '{' || sigil == '=')
			close[closelen++] = sigil == '{' ? '}' : '=';
		memcpy(close + closelen, c->ctag, c->clen);
		closelen += c->clen;
		ce = find(s, len, q, close, closelen);
		if (ce == (size_t)-1)
			return cfail(c, p, "unclosed tag: missing \"%.*s\"",
			    (int)closelen, close);
		tag_end = ce + closelen;
		nb = q;
		ne = ce;
		while (nb < ne && is_space(s[nb]))
			nb++;
		while (ne > nb && is_space(s[ne - 1]))
			ne--;

		/* Standalone: alone on its line but for spaces and tabs; the
		 * whole line then disappears from the output. */
		ls = p;
		if (sigil && strchr("#^/><$!=", sigil)) {
			while (ls > pos && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
				ls--;
			if (ls == 0 || s[ls - 1] == '\n') {
				e = tag_end;
				while (e < len && (s[e] == ' ' || s[e] == '\t'))
					e++;
				if (e == len)
					standalone = 1;
				else if (s[e] == '\n')
					standalone = 1, e++;
				else if (s[e] == '\r' && e + 1 < len &&
				    s[e + 1] == '\n')
					standalone = 1, e += 2;
			}
		}
		if (add_text(c, pos, standalone ? ls : p))
			return -1;
		pos = standalone ? e : tag_end;

		switch (sigil) {
		case '!':
			break;
		case '=':
			if (set_delims(c, s + q, ce - q, p))
				return -1;
			break;
		case '/': {
			struct open_tag *ot;

			if (c->nopen == 0)
				return cfail(c, p,
				    "closing tag \"%.*s\" without an open section",
				    (int)(ne - nb > 60 ? 60 : ne - nb), s + nb);
			ot = &c->open[c->nopen - 1];
			if (ot->nlen != ne - nb ||
			    memcmp(s + ot->noff, s + nb, ot->nlen) != 0)
				return cfail(c, p,
				    "section \"%.*s\" closed by \"%.*s\"",
				    (int)(ot->nlen > 60 ? 60 : ot->nlen),
				    s + ot->noff,
				    (int)(ne - nb > 60 ? 60 : ne - nb), s + nb);
			c->ops[ot->op].end = (uint32_t)c->nops;
			c->nopen--;
			break;
		}
		default: {
			static const char kinds[] = "#^><${&";
			static const unsigned char kind_of[] = {OP_SECTION,
			    OP_INVERTED, OP_PARTIAL, OP_PARENT, OP_BLOCK, OP_RAW,
			    OP_RAW};
			int kind = sigil ? kind_of[strchr(kinds, sigil) - kinds]
					 : OP_VAR;
			int container = kind == OP_SECTION ||
			    kind == OP_INVERTED || kind == OP_PARENT ||
			    kind == OP_BLOCK;
			int dotted = kind == OP_SECTION ||
			    kind == OP_INVERTED || kind == OP_VAR ||
			    kind == OP_RAW;

			if ((o = new_op(c, kind, p)) == NULL)
				return cfail(c, p, "out of memory");
			if (add_name(c, o, s + nb, ne - nb, dotted, p))
				return -1;
			if (standalone && (kind == OP_PARTIAL ||
			    kind == OP_PARENT)) {
				o->ind = (uint32_t)ls;
				o->indlen = (uint32_t)(p - ls);
			}
			if (container) {
				if (c->nopen == TMPL_MAX_DEPTH)
					return cfail(c, p,
					    "sections nested too deeply");
				c->open[c->nopen].op = (uint32_t)(c->nops - 1);
				c->open[c->nopen].noff = (uint32_t)nb;
				c->open[c->nopen].nlen = (uint32_t)(ne - nb);
				c->nopen++;
			}
			break;
		}
		}
	}
}

struct tmpl *tmpl_compile(const char *src, size_t len, struct tmpl_error *err)
{
	struct cstate c;
	struct tmpl *t = NULL;
	char *copy = NULL;

	memset(&c, 0, sizeof(c));
	buf_init(&c.names);
	c.err = err;
	if (err) {
		err->msg[0] = '\0';
		err->line = err->col = 0;
	}
	if (len >= UINT32_MAX) {
		if (err) {
			snprintf(err->msg, sizeof(err->msg), "template too large");
			err->line = err->col = 1;
		}
		return NULL;
	}
	if ((copy = malloc(len + 1)) == NULL)
		goto oom;
	if (len)
		memcpy(copy, src, len);
	copy[len] = '\0';
	c.src = copy;
	c.len = len;
	memcpy(c.otag, "{{", 3);
	memcpy(c.ctag, "}}", 3);
	c.olen = c.clen = 2;
	if (buf_putc(&c.names, '\0')) /* the pool is never empty */
		goto oom;
	if (compile_tags(&c))
		goto fail;
	if (c.nopen) {
		struct open_tag *ot = &c.open[c.nopen - 1];
		cfail(&c, c.ops[ot->op].pos, "unclosed section \"%.*s\"",
		    (int)(ot->nlen > 60 ? 60 : ot->nlen), copy + ot->noff);
		goto fail;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto oom;
	t->src = copy;
	t->srclen = len;
	t->ops = c.ops;
	t->nops = (uint32_t)c.nops;
	t->names = buf_steal(&c.names);
	if (t->names == NULL) {
		free(t);
		t = NULL;
		goto oom;
	}
	return t;
oom:
	if (err) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		err->line = err->col = 1;
	}
fail:
	free(copy);
	free(c.ops);
	buf_free(&c.names);
	return NULL;
}

void tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->ops);
	free(t->names);
	free(t);
}

int tmpl_foreach_partial(const struct tmpl *t,
    int (*fn)(void *ctx, const char *name, int line, int col), void *ctx)
{
	uint32_t i;
	int line, col, rc;

	for (i = 0; i < t->nops; i++) {
		if (t->ops[i].kind != OP_PARTIAL && t->ops[i].kind != OP_PARENT)
			continue;
		pos_to_linecol(t->src, t->ops[i].pos, &line, &col);
		rc = fn(ctx, t->names + t->ops[i].off, line, col);
		if (rc)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering */

/* Characters that need an entity: & < > " ' */
static const unsigned char html_special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};

int tmpl_escape_html(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, run;
	const char *ent;

	while (i < len) {
		run = i;
		while (run < len && !html_special[(unsigned char)s[run]])
			run++;
		if (run > i && buf_append(out, s + i, run - i))
			return -1;
		if (run == len)
			break;
		switch (s[run]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		default:
			ent = "&#39;";
			break;
		}
		if (buf_puts(out, ent))
			return -1;
		i = run + 1;
	}
	return out->oom ? -1 : 0;
}

/* Override blocks of the parent tags being expanded, innermost first; a
 * lookup starts at the outermost (the most derived template wins). */
struct frame {
	const struct tmpl *t;
	uint32_t first, last; /* the parent tag's content in t->ops */
	const struct frame *outer;
};

/* Indentation of standalone partials, innermost first. */
struct indent {
	const char *s;
	size_t len;
	const struct indent *outer;
};

struct rstate {
	struct buf *out;
	tmpl_partial_fn partials;
	void *pctx;
	struct json_object *stack[TMPL_MAX_DEPTH + 2];
	int n;
	int depth;
	int bol; /* at the beginning of a line: indent before the next byte */
};

static int emit_indent(struct rstate *r, const struct indent *ind)
{
	if (ind == NULL)
		return 0;
	if (emit_indent(r, ind->outer))
		return -1;
	return buf_append(r->out, ind->s, ind->len);
}

static int emit_text(struct rstate *r, const char *s, size_t n,
    const struct indent *ind)
{
	const char *nl;
	size_t k;

	if (ind == NULL)
		return buf_append(r->out, s, n);
	while (n) {
		if (r->bol && emit_indent(r, ind))
			return -1;
		r->bol = 0;
		nl = memchr(s, '\n', n);
		k = nl ? (size_t)(nl - s) + 1 : n;
		if (buf_append(r->out, s, k))
			return -1;
		if (nl)
			r->bol = 1;
		s += k;
		n -= k;
	}
	return 0;
}

/* Shortest of %.15g, %.16g, %.17g that reads back as d. */
static int format_double(double d, char *dst, size_t size)
{
	int prec, n = 0;

	if (!isfinite(d))
		return 0;
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(dst, size, "%.*g", prec, d);
		if (strtod(dst, NULL) == d)
			break;
	}
	return n;
}

static int emit_value(struct rstate *r, struct json_object *v, int escape)
{
	char num[40];
	int n;

	switch (json_object_get_type(v)) {
	case json_type_null:
	case json_type_object:
	case json_type_array:
		return 0;
	case json_type_boolean:
		return buf_puts(r->out, json_object_get_boolean(v) ? "true"
								   : "false");
	case json_type_int: {
		int64_t i = json_object_get_int64(v);
		if (i == INT64_MAX)
			n = snprintf(num, sizeof(num), "%llu",
			    (unsigned long long)json_object_get_uint64(v));
		else
			n = snprintf(num, sizeof(num), "%lld", (long long)i);
		return buf_append(r->out, num, (size_t)n);
	}
	case json_type_double:
		n = format_double(json_object_get_double(v), num, sizeof(num));
		return buf_append(r->out, num, (size_t)n);
	case json_type_string:
		if (escape)
			return tmpl_escape_html(r->out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
		return buf_append(r->out, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	}
	return 0;
}

static int truthy(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	default:
		return 1;
	}
}

/* Resolves the op's name against the context stack (borrowed; NULL when
 * missing). Only the first part searches the stack: a.b never falls back
 * to an outer b. */
static struct json_object *lookup(const struct rstate *r,
    const struct tmpl *t, const struct op *o)
{
	const char *seg = t->names + o->off;
	struct json_object *v = NULL, *ctx;
	int i, k;

	if (o->nseg == 0)
		return r->stack[r->n - 1];
	for (i = r->n - 1; i >= 0; i--) {
		ctx = r->stack[i];
		if (json_object_is_type(ctx, json_type_object) &&
		    json_object_object_get_ex(ctx, seg, &v))
			break;
	}
	if (i < 0)
		return NULL;
	for (k = 1; k < o->nseg; k++) {
		seg += strlen(seg) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, seg, &v))
			return NULL;
	}
	return v;
}

/* Finds the override for block name among the frames, outermost first. */
static int find_block(const struct frame *fr, const char *name,
    const struct frame **found, uint32_t *at)
{
	uint32_t i;
	const struct op *o;

	if (fr == NULL)
		return 0;
	if (find_block(fr->outer, name, found, at))
		return 1;
	for (i = fr->first; i < fr->last;) {
		o = &fr->t->ops[i];
		if (o->kind == OP_BLOCK &&
		    strcmp(fr->t->names + o->off, name) == 0) {
			*found = fr;
			*at = i;
			return 1;
		}
		i = o->kind >= OP_SECTION && o->kind != OP_PARTIAL ? o->end
								   : i + 1;
	}
	return 0;
}

static int render_ops(struct rstate *r, const struct tmpl *t, uint32_t i,
    uint32_t end, const struct indent *ind, const struct frame *fr)
{
	const struct op *o;
	struct json_object *v;
	int rc = -1;

	if (++r->depth > TMPL_MAX_DEPTH)
		goto out;
	while (i < end) {
		o = &t->ops[i];
		switch (o->kind) {
		case OP_TEXT:
			if (emit_text(r, t->src + o->off, o->len, ind))
				goto out;
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			if (ind && r->bol) {
				if (emit_indent(r, ind))
					goto out;
				r->bol = 0;
			}
			v = lookup(r, t, o);
			if (v && emit_value(r, v, o->kind == OP_VAR))
				goto out;
			i++;
			break;
		case OP_SECTION:
			v = lookup(r, t, o);
			if (!truthy(v)) {
				/* nothing */
			} else if (json_object_is_type(v, json_type_array)) {
				size_t k, n = json_object_array_length(v);
				for (k = 0; k < n; k++) {
					r->stack[r->n++] =
					    json_object_array_get_idx(v, k);
					rc = render_ops(r, t, i + 1, o->end,
					    ind, fr);
					r->n--;
					if (rc)
						goto out;
				}
				rc = -1;
			} else {
				r->stack[r->n++] = v;
				rc = render_ops(r, t, i + 1, o->end, ind, fr);
				r->n--;
				if (rc)
					goto out;
				rc = -1;
			}
			i = o->end;
			break;
		case OP_INVERTED:
			if (!truthy(lookup(r, t, o)) &&
			    render_ops(r, t, i + 1, o->end, ind, fr))
				goto out;
			i = o->end;
			break;
		case OP_BLOCK: {
			const struct frame *ff;
			uint32_t at;

			if (find_block(fr, t->names + o->off, &ff, &at)) {
				if (render_ops(r, ff->t, at + 1,
				    ff->t->ops[at].end, ind, ff->outer))
					goto out;
			} else if (render_ops(r, t, i + 1, o->end, ind, fr))
				goto out;
			i = o->end;
			break;
		}
		case OP_PARTIAL:
		case OP_PARENT: {
			const struct tmpl *p = NULL;
			struct indent ni;
			struct frame nf;
			const struct indent *pi = ind;

			if (r->partials)
				p = r->partials(r->pctx, t->names + o->off);
			if (p) {
				if (o->indlen) {
					ni.s = t->src + o->ind;
					ni.len = o->indlen;
					ni.outer = ind;
					pi = &ni;
					r->bol = 1;
				}
				if (o->kind == OP_PARENT) {
					nf.t = t;
					nf.first = i + 1;
					nf.last = o->end;
					nf.outer = fr;
				}
				if (render_ops(r, p, 0, p->nops, pi,
				    o->kind == OP_PARENT ? &nf : fr))
					goto out;
			}
			i = o->kind == OP_PARENT ? o->end : i + 1;
			break;
		}
		default:
			abort();
		}
	}
	rc = r->out->oom ? -1 : 0;
out:
	r->depth--;
	return rc;
}

int tmpl_render(const struct tmpl *t, struct json_object *data,
    tmpl_partial_fn partials, void *ctx, struct buf *out)
{
	struct rstate r;

	r.out = out;
	r.partials = partials;
	r.pctx = ctx;
	r.stack[0] = data;
	r.n = 1;
	r.depth = 0;
	r.bol = 1;
	return render_ops(&r, t, 0, t->nops, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Sets */

struct tmpl_entry {
	char *name;
	struct tmpl *t;
	char *path; /* file it came from, NULL when added from memory */
};

struct tmpl_set {
	struct tmpl_entry *v; /* sorted by name */
	size_t n, cap;
};

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].path);
		tmpl_free(s->v[i].t);
	}
	free(s->v);
	free(s);
}

/* Index of name, or of where it would be inserted (*found = 0). */
static size_t set_index(const struct tmpl_set *s, const char *name, int *found)
{
	size_t lo = 0, hi = s->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(s->v[mid].name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static int set_put(struct tmpl_set *s, const char *name, struct tmpl *t,
    const char *path)
{
	struct tmpl_entry *v;
	size_t i;
	int found;
	char *n = NULL, *p = NULL;

	i = set_index(s, name, &found);
	if (found) {
		if (path && (p = strdup(path)) == NULL)
			return -1;
		tmpl_free(s->v[i].t);
		free(s->v[i].path);
		s->v[i].t = t;
		s->v[i].path = p;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if ((n = strdup(name)) == NULL || (path && (p = strdup(path)) == NULL)) {
		free(n);
		return -1;
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i].name = n;
	s->v[i].t = t;
	s->v[i].path = p;
	s->n++;
	return 0;
}

int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src,
    size_t len, struct tmpl_error *err)
{
	struct tmpl *t;

	if ((t = tmpl_compile(src, len, err)) == NULL)
		return -1;
	if (set_put(s, name, t, NULL)) {
		tmpl_free(t);
		if (err) {
			snprintf(err->msg, sizeof(err->msg), "out of memory");
			err->line = err->col = 1;
		}
		return -1;
	}
	return 0;
}

const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name)
{
	int found;
	size_t i = set_index(s, name, &found);

	return found ? s->v[i].t : NULL;
}

const struct tmpl *tmpl_set_partial(void *set, const char *name)
{
	return tmpl_set_get(set, name);
}

int tmpl_set_render(const struct tmpl_set *s, const char *name,
    struct json_object *data, struct buf *out)
{
	const struct tmpl *t = tmpl_set_get(s, name);

	if (t == NULL)
		return -1;
	return tmpl_render(t, data, tmpl_set_partial, (void *)s, out);
}

/* Whole file into memory, NUL-terminated: caller frees with free(). NULL
 * with errno set on failure. */
static char *slurp(const char *path, size_t *lenp)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, (size_t)-1 / 4) != 0) {
		buf_free(&b);
		return NULL;
	}
	*lenp = b.len;
	return buf_steal(&b);
}

struct load_state {
	struct tmpl_set *s;
	char *errbuf;
	size_t errlen;
	const char *path; /* of the template being checked */
};

static const char ext[] = ".mustache";

/* Loads the templates under root/rel (rel "" for the root itself). */
static int load_dir(struct load_state *ls, const char *root, const char *rel)
{
	char path[PATH_MAX], sub[PATH_MAX];
	DIR *d;
	struct dirent *de;
	struct stat st;
	int rc = -1;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if ((d = opendir(path)) == NULL) {
		snprintf(ls->errbuf, ls->errlen, "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		char *src, full[PATH_MAX];
		size_t len;
		struct tmpl *t;
		struct tmpl_error err;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			de->d_name) >= (int)sizeof(sub) ||
		    snprintf(full, sizeof(full), "%s/%s", root, sub) >=
			(int)sizeof(full)) {
			snprintf(ls->errbuf, ls->errlen, "%s/%s: path too long",
			    path, de->d_name);
			goto out;
		}
		if (stat(full, &st) != 0) {
			snprintf(ls->errbuf, ls->errlen, "%s: %s", full,
			    strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (load_dir(ls, root, sub))
				goto out;
			continue;
		}
		if (!S_ISREG(st.st_mode) || nl <= sizeof(ext) - 1 ||
		    strcmp(de->d_name + nl - (sizeof(ext) - 1), ext) != 0)
			continue;
		if ((src = slurp(full, &len)) == NULL) {
			snprintf(ls->errbuf, ls->errlen, "%s: %s", full,
			    strerror(errno));
			goto out;
		}
		t = tmpl_compile(src, len, &err);
		free(src);
		if (t == NULL) {
			snprintf(ls->errbuf, ls->errlen, "%s:%d:%d: %s", full,
			    err.line, err.col, err.msg);
			goto out;
		}
		sub[strlen(sub) - (sizeof(ext) - 1)] = '\0';
		if (set_put(ls->s, sub, t, full)) {
			tmpl_free(t);
			snprintf(ls->errbuf, ls->errlen, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

static int check_partial(void *ctx, const char *name, int line, int col)
{
	struct load_state *ls = ctx;

	if (tmpl_set_get(ls->s, name))
		return 0;
	snprintf(ls->errbuf, ls->errlen, "%s:%d:%d: partial \"%s\" not found",
	    ls->path, line, col, name);
	return -1;
}

struct tmpl_set *tmpl_set_load(const char *dir, char *errbuf, size_t errlen)
{
	struct load_state ls;
	size_t i;

	ls.errbuf = errbuf;
	ls.errlen = errlen;
	if ((ls.s = tmpl_set_new()) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (load_dir(&ls, dir, ""))
		goto fail;
	for (i = 0; i < ls.s->n; i++) {
		ls.path = ls.s->v[i].path ? ls.s->v[i].path : ls.s->v[i].name;
		if (tmpl_foreach_partial(ls.s->v[i].t, check_partial, &ls))
			goto fail;
	}
	return ls.s;
fail:
	tmpl_set_free(ls.s);
	return NULL;
}
