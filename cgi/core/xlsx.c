/* xlsx.c: the cells of an .xlsx workbook. The parts read are
 * xl/workbook.xml (sheet names and relationship ids),
 * xl/_rels/workbook.xml.rels (where each sheet and the shared strings are),
 * the shared strings and each worksheet. Every part is read whole into
 * memory under XLSX_MAX_ENTRY, whatever size the zip directory claims, and
 * the sum under XLSX_MAX_TOTAL: a zip bomb stops there. XML documents with
 * a DOCTYPE are refused (no entity may expand). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "buf.h"
#include "xlsx.h"

struct ctx {
	zip_t *zip;
	size_t total; /* uncompressed bytes read so far */
	char *err;
	size_t errsz;
	int failed;
	char **strings; /* shared strings, owned */
	size_t nstrings;
	size_t ncells; /* all sheets */
};

__attribute__((format(printf, 2, 3))) static void fail(struct ctx *c,
						       const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errsz, fmt, ap);
	va_end(ap);
}

int xlsx_is_zip(const void *bytes, size_t len)
{
	return len >= 4 && memcmp(bytes, "PK\003\004", 4) == 0;
}

void xlsx_col_name(unsigned col, char *out, size_t outsz)
{
	char tmp[16];
	size_t n = 0, i;

	if (outsz == 0)
		return;
	while (col > 0 && n < sizeof(tmp)) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (i = 0; i < n && i + 1 < outsz; i++)
		out[i] = tmp[n - 1 - i];
	out[i] = '\0';
}

/* ---- zip ---- */

/* Reads the part named name into b (NUL-terminated). Returns 1 when read,
 * 0 when there is no such part, -1 on error (reported). */
static int read_part(struct ctx *c, const char *name, struct buf *b)
{
	zip_int64_t idx = zip_name_locate(c->zip, name, ZIP_FL_NOCASE);
	zip_file_t *f;
	char chunk[16384];
	zip_int64_t n;

	if (idx < 0)
		return 0;
	f = zip_fopen_index(c->zip, (zip_uint64_t)idx, 0);
	if (f == NULL) {
		fail(c, "%s: cannot be read (%s)", name,
		     zip_strerror(c->zip));
		return -1;
	}
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		if (b->len + (size_t)n > XLSX_MAX_ENTRY ||
		    c->total + (size_t)n > XLSX_MAX_TOTAL) {
			fail(c, "%s: uncompressed content over the limit (%u "
				"MiB per part, %u MiB in all)",
			     name, XLSX_MAX_ENTRY >> 20, XLSX_MAX_TOTAL >> 20);
			zip_fclose(f);
			return -1;
		}
		c->total += (size_t)n;
		if (buf_append(b, chunk, (size_t)n) != 0) {
			fail(c, "out of memory");
			zip_fclose(f);
			return -1;
		}
	}
	if (n < 0) {
		fail(c, "%s: damaged (%s)", name, zip_file_strerror(f));
		zip_fclose(f);
		return -1;
	}
	zip_fclose(f);
	(void)buf_cstr(b);
	if (b->oom) {
		fail(c, "out of memory");
		return -1;
	}
	return 1;
}

/* ---- XML ---- */

static void xml_quiet(void *arg, const char *msg, xmlParserSeverities sev,
		      xmlTextReaderLocatorPtr loc)
{
	(void)arg;
	(void)msg;
	(void)sev;
	(void)loc;
}

/* libxml2 reports some errors (encoding conversions, ...) through its
 * global handlers, around the reader's: silenced too, so that a hostile
 * workbook cannot flood the worker's log. */
__attribute__((format(printf, 2, 3))) static void
xml_generic_quiet(void *arg, const char *msg, ...)
{
	(void)arg;
	(void)msg;
}

static void xml_structured_quiet(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

static xmlTextReaderPtr xml_open(struct ctx *c, const char *name,
				 const struct buf *b)
{
	xmlTextReaderPtr r;

	xmlSetGenericErrorFunc(NULL, xml_generic_quiet);
	xmlSetStructuredErrorFunc(NULL, xml_structured_quiet);

	if (b->len > (size_t)0x7fffffff) {
		fail(c, "%s: too large", name);
		return NULL;
	}
	r = xmlReaderForMemory(b->data ? b->data : "", (int)b->len, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
				   XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (r == NULL) {
		fail(c, "%s: cannot be parsed", name);
		return NULL;
	}
	xmlTextReaderSetErrorHandler(r, xml_quiet, NULL);
	return r;
}

/* Advances r. Returns 1 on a node, 0 at the end, -1 on an error
 * (reported). A DOCTYPE is an error. */
static int xml_next(struct ctx *c, const char *name, xmlTextReaderPtr r)
{
	int rc = xmlTextReaderRead(r);

	if (rc < 0) {
		fail(c, "%s: invalid XML", name);
		return -1;
	}
	if (rc == 1 &&
	    xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
		fail(c, "%s: a DOCTYPE is not allowed", name);
		return -1;
	}
	return rc;
}

static int is_elem(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && n &&
	       strcmp((const char *)n, local) == 0;
}

static int is_end(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && n &&
	       strcmp((const char *)n, local) == 0;
}

/* An attribute by local name whatever its namespace: caller frees with
 * xmlFree(); NULL when absent. */
static char *attr(xmlTextReaderPtr r, const char *local)
{
	char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(r);

		if (n && strcmp((const char *)n, local) == 0) {
			v = (char *)xmlTextReaderValue(r);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return v;
}

/* Appends the text of the current text node to b, bounded. */
static int add_text(struct ctx *c, const char *name, xmlTextReaderPtr r,
		    struct buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(r);
	size_t n = v ? strlen((const char *)v) : 0;

	if (b->len + n > XLSX_MAX_CELL) {
		fail(c, "%s: a text over %d bytes", name, XLSX_MAX_CELL);
		return -1;
	}
	if (n && buf_append(b, v, n) != 0) {
		fail(c, "out of memory");
		return -1;
	}
	return 0;
}

static int is_text_node(xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);

	return t == XML_READER_TYPE_TEXT ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
	       t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_CDATA;
}

/* Reads the text of an <si> or <is> element (the reader on its start):
 * every <t> outside <rPh> (phonetic runs), concatenated, into b. */
static int read_rich(struct ctx *c, const char *name, xmlTextReaderPtr r,
		     const char *end, struct buf *b)
{
	int depth_t = 0, in_rph = 0, rc;

	if (xmlTextReaderIsEmptyElement(r))
		return 0;
	while ((rc = xml_next(c, name, r)) == 1) {
		if (is_end(r, end))
			return 0;
		if (is_elem(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
			in_rph = 1;
		else if (is_end(r, "rPh"))
			in_rph = 0;
		else if (is_elem(r, "t") && !xmlTextReaderIsEmptyElement(r))
			depth_t = 1;
		else if (is_end(r, "t"))
			depth_t = 0;
		else if (depth_t && !in_rph && is_text_node(r) &&
			 add_text(c, name, r, b) != 0)
			return -1;
	}
	if (rc == 0)
		fail(c, "%s: truncated XML", name);
	return -1;
}

static void strings_free(struct ctx *c)
{
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
	free(c->strings);
	c->strings = NULL;
	c->nstrings = 0;
}

static int read_strings(struct ctx *c, const char *name)
{
	struct buf b = BUF_INIT, t = BUF_INIT;
	xmlTextReaderPtr r;
	size_t cap = 0;
	int rc;

	rc = read_part(c, name, &b);
	if (rc <= 0) {
		buf_free(&b);
		return rc;
	}
	if ((r = xml_open(c, name, &b)) == NULL) {
		buf_free(&b);
		return -1;
	}
	while ((rc = xml_next(c, name, r)) == 1) {
		char *s;

		if (!is_elem(r, "si"))
			continue;
		buf_reset(&t);
		if (read_rich(c, name, r, "si", &t) != 0)
			break;
		if (c->nstrings == XLSX_MAX_STRINGS) {
			fail(c, "%s: more than %d strings", name,
			     XLSX_MAX_STRINGS);
			break;
		}
		if (c->nstrings == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			char **m = realloc(c->strings, ncap * sizeof(*m));

			if (m == NULL) {
				fail(c, "out of memory");
				break;
			}
			c->strings = m;
			cap = ncap;
		}
		s = strdup(buf_cstr(&t));
		if (s == NULL) {
			fail(c, "out of memory");
			break;
		}
		c->strings[c->nstrings++] = s;
	}
	xmlFreeTextReader(r);
	buf_free(&b);
	buf_free(&t);
	return c->failed ? -1 : 1;
}

/* Parses a cell reference "AB12" into col and row. 0 or -1. */
static int parse_ref(const char *s, unsigned *col, unsigned *row)
{
	unsigned long cv = 0, rv = 0;
	const char *p = s;

	while (isupper((unsigned char)*p) || islower((unsigned char)*p)) {
		cv = cv * 26 + (unsigned long)(toupper((unsigned char)*p) - 'A' + 1);
		if (cv > XLSX_MAX_COL * 64UL)
			return -1;
		p++;
	}
	if (p == s || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		rv = rv * 10 + (unsigned long)(*p - '0');
		if (rv > 10000000UL)
			return -1;
		p++;
	}
	if (*p || rv == 0)
		return -1;
	*col = (unsigned)cv;
	*row = (unsigned)rv;
	return 0;
}

/* A whole number written without its fraction; other numbers as written. */
static char *number_text(const char *v)
{
	char *end, tmp[64];
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end != v && *end == '\0' && errno == 0 && isfinite(d) &&
	    d == floor(d) && fabs(d) < 1e15) {
		snprintf(tmp, sizeof(tmp), "%.0f", d);
		if (strcmp(tmp, "-0") == 0)
			strcpy(tmp, "0");
		return strdup(tmp);
	}
	return strdup(v);
}

static int add_cell(struct ctx *c, struct xlsx_sheet *s, size_t *cap,
		    unsigned row, unsigned col, char *text, int number)
{
	if (text == NULL) {
		fail(c, "out of memory");
		return -1;
	}
	if (text[0] == '\0' || row > XLSX_MAX_ROW || col > XLSX_MAX_COL) {
		/* empty, or beyond what any questionnaire uses: skipped */
		free(text);
		return 0;
	}
	if (++c->ncells > XLSX_MAX_CELLS) {
		free(text);
		fail(c, "more than %d cells", XLSX_MAX_CELLS);
		return -1;
	}
	if (s->ncells == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct xlsx_cell *m = realloc(s->cells, ncap * sizeof(*m));

		if (m == NULL) {
			free(text);
			fail(c, "out of memory");
			return -1;
		}
		s->cells = m;
		*cap = ncap;
	}
	s->cells[s->ncells].row = row;
	s->cells[s->ncells].col = col;
	s->cells[s->ncells].text = text;
	s->cells[s->ncells].number = number;
	s->ncells++;
	if (row > s->nrows)
		s->nrows = row;
	return 0;
}

static int cell_cmp(const void *a, const void *b)
{
	const struct xlsx_cell *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Reads one <c> element (the reader on its start) into the sheet. */
static int read_cell(struct ctx *c, const char *name, xmlTextReaderPtr r,
		     struct xlsx_sheet *s, size_t *cap, unsigned row,
		     unsigned *col)
{
	char *ref = attr(r, "r"), *type = attr(r, "t");
	struct buf v = BUF_INIT, is = BUF_INIT;
	int in_v = 0, rc = 0, have_is = 0;
	unsigned rr = row, cc = *col + 1;
	char *text = NULL;
	int number = 0;

	if (ref && (parse_ref(ref, &cc, &rr) != 0 || rr != row)) {
		fail(c, "%s: bad cell reference", name);
		rc = -1;
		goto out;
	}
	*col = cc;
	if (!xmlTextReaderIsEmptyElement(r)) {
		int n;

		while ((n = xml_next(c, name, r)) == 1) {
			if (is_end(r, "c"))
				break;
			if (is_elem(r, "v") && !xmlTextReaderIsEmptyElement(r))
				in_v = 1;
			else if (is_end(r, "v"))
				in_v = 0;
			else if (is_elem(r, "is")) {
				have_is = 1;
				if (read_rich(c, name, r, "is", &is) != 0) {
					rc = -1;
					goto out;
				}
			} else if (in_v && is_text_node(r) &&
				   add_text(c, name, r, &v) != 0) {
				rc = -1;
				goto out;
			}
		}
		if (n != 1) {
			if (n == 0)
				fail(c, "%s: truncated XML", name);
			rc = -1;
			goto out;
		}
	}
	if (type && strcmp(type, "s") == 0) {
		char *end;
		unsigned long i;

		if (v.len == 0)
			goto out;
		errno = 0;
		i = strtoul(buf_cstr(&v), &end, 10);
		if (*end || errno || i >= c->nstrings) {
			fail(c, "%s: cell %s refers to a missing shared string",
			     name, ref ? ref : "?");
			rc = -1;
			goto out;
		}
		text = strdup(c->strings[i]);
	} else if (type && strcmp(type, "inlineStr") == 0) {
		if (!have_is)
			goto out;
		text = strdup(buf_cstr(&is));
	} else if (type && strcmp(type, "b") == 0) {
		if (v.len == 0)
			goto out;
		text = strdup(strcmp(buf_cstr(&v), "0") == 0 ? "FALSE"
							      : "TRUE");
	} else if (type && (strcmp(type, "str") == 0 ||
			    strcmp(type, "e") == 0)) {
		if (v.len == 0)
			goto out;
		text = strdup(buf_cstr(&v));
	} else {
		/* "n", absent, or a date ("d", ISO 8601 text) */
		if (v.len == 0)
			goto out;
		if (type && strcmp(type, "d") == 0)
			text = strdup(buf_cstr(&v));
		else {
			text = number_text(buf_cstr(&v));
			number = 1;
		}
	}
	rc = add_cell(c, s, cap, rr, cc, text, number);
out:
	xmlFree(ref);
	xmlFree(type);
	buf_free(&v);
	buf_free(&is);
	return rc;
}

static int read_sheet(struct ctx *c, const char *name, struct xlsx_sheet *s)
{
	struct buf b = BUF_INIT;
	xmlTextReaderPtr r;
	size_t cap = 0;
	unsigned row = 0, col = 0;
	int rc, in_data = 0;

	rc = read_part(c, name, &b);
	if (rc == 0)
		fail(c, "%s: the sheet \"%s\" is missing from the file", name,
		     s->name);
	if (rc <= 0) {
		buf_free(&b);
		return -1;
	}
	if ((r = xml_open(c, name, &b)) == NULL) {
		buf_free(&b);
		return -1;
	}
	while ((rc = xml_next(c, name, r)) == 1) {
		if (is_elem(r, "sheetData"))
			in_data = 1;
		else if (is_end(r, "sheetData"))
			in_data = 0;
		else if (in_data && is_elem(r, "row")) {
			char *rv = attr(r, "r");

			if (rv) {
				char *end;
				unsigned long n;

				errno = 0;
				n = strtoul(rv, &end, 10);
				if (*end || errno || n <= row ||
				    n > 10000000UL) {
					xmlFree(rv);
					fail(c, "%s: bad row number", name);
					break;
				}
				row = (unsigned)n;
			} else
				row++;
			xmlFree(rv);
			col = 0;
		} else if (in_data && is_elem(r, "c")) {
			if (row == 0) {
				fail(c, "%s: a cell outside a row", name);
				break;
			}
			if (read_cell(c, name, r, s, &cap, row, &col) != 0)
				break;
		}
	}
	xmlFreeTextReader(r);
	buf_free(&b);
	if (c->failed)
		return -1;
	if (s->ncells > 1)
		qsort(s->cells, s->ncells, sizeof(*s->cells), cell_cmp);
	for (size_t i = 1; i < s->ncells; i++)
		if (cell_cmp(&s->cells[i - 1], &s->cells[i]) == 0) {
			fail(c, "%s: a cell written twice", name);
			return -1;
		}
	return 0;
}

/* ---- workbook ---- */

struct rel {
	char *id, *target, *type;
};

static void rels_free(struct rel *rels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		xmlFree(rels[i].id);
		xmlFree(rels[i].target);
		xmlFree(rels[i].type);
	}
	free(rels);
}

static int read_rels(struct ctx *c, const char *name, struct rel **out,
		     size_t *nout)
{
	struct buf b = BUF_INIT;
	xmlTextReaderPtr r;
	struct rel *rels = NULL;
	size_t n = 0;
	int rc;

	rc = read_part(c, name, &b);
	if (rc <= 0) {
		buf_free(&b);
		return rc;
	}
	if ((r = xml_open(c, name, &b)) == NULL) {
		buf_free(&b);
		return -1;
	}
	while ((rc = xml_next(c, name, r)) == 1) {
		struct rel *m;

		if (!is_elem(r, "Relationship"))
			continue;
		if (n == XLSX_MAX_ENTRIES) {
			fail(c, "%s: too many relationships", name);
			break;
		}
		m = realloc(rels, (n + 1) * sizeof(*m));
		if (m == NULL) {
			fail(c, "out of memory");
			break;
		}
		rels = m;
		rels[n].id = attr(r, "Id");
		rels[n].target = attr(r, "Target");
		rels[n].type = attr(r, "Type");
		n++;
	}
	xmlFreeTextReader(r);
	buf_free(&b);
	*out = rels;
	*nout = n;
	return c->failed ? -1 : 1;
}

/* The zip name of a relationship target relative to xl/: "xl/..." */
static int part_name(const char *target, char *out, size_t outsz)
{
	int n;

	if (target[0] == '/')
		n = snprintf(out, outsz, "%s", target + 1);
	else
		n = snprintf(out, outsz, "xl/%s", target);
	return n > 0 && (size_t)n < outsz ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int xlsx_read(const void *bytes, size_t len, struct xlsx_book *book,
	      char *err, size_t errsz)
{
	struct ctx c = {0};
	zip_source_t *src;
	zip_error_t zerr;
	struct buf wb = BUF_INIT;
	struct rel *rels = NULL;
	size_t nrels = 0, i;
	xmlTextReaderPtr r = NULL;
	char part[512];
	zip_int64_t nentries;
	int rc;

	memset(book, 0, sizeof(*book));
	c.err = err;
	c.errsz = errsz;
	if (errsz)
		err[0] = '\0';
	if (len > XLSX_MAX_BYTES) {
		fail(&c, "the file is over %u MiB", XLSX_MAX_BYTES >> 20);
		return -1;
	}
	if (!xlsx_is_zip(bytes, len)) {
		fail(&c, "not an .xlsx workbook (not a zip archive)");
		return -1;
	}
	zip_error_init(&zerr);
	src = zip_source_buffer_create(bytes, len, 0, &zerr);
	if (src == NULL) {
		fail(&c, "out of memory");
		zip_error_fini(&zerr);
		return -1;
	}
	c.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (c.zip == NULL) {
		fail(&c, "not a readable .xlsx workbook (%s)",
		     zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		return -1;
	}
	zip_error_fini(&zerr);
	nentries = zip_get_num_entries(c.zip, 0);
	if (nentries < 0 || nentries > XLSX_MAX_ENTRIES) {
		fail(&c, "too many parts in the archive");
		goto out;
	}
	/* What the directory claims: refused before anything is inflated.
	 * read_part() enforces the same limits on what is really read. */
	{
		zip_uint64_t sum = 0;

		for (i = 0; i < (size_t)nentries; i++) {
			zip_stat_t st;

			zip_stat_init(&st);
			if (zip_stat_index(c.zip, i, 0, &st) != 0 ||
			    !(st.valid & ZIP_STAT_SIZE))
				continue;
			if (st.size > XLSX_MAX_ENTRY ||
			    (sum += st.size) > XLSX_MAX_TOTAL) {
				fail(&c, "uncompressed content over the limit "
					 "(%u MiB per part, %u MiB in all)",
				     XLSX_MAX_ENTRY >> 20,
				     XLSX_MAX_TOTAL >> 20);
				goto out;
			}
		}
	}
	if ((rc = read_part(&c, "xl/workbook.xml", &wb)) <= 0) {
		if (rc == 0)
			fail(&c, "not an .xlsx workbook (no xl/workbook.xml)");
		goto out;
	}
	if (read_rels(&c, "xl/_rels/workbook.xml.rels", &rels, &nrels) < 0)
		goto out;
	for (i = 0; i < nrels; i++)
		if (rels[i].type && rels[i].target &&
		    ends_with(rels[i].type, "/sharedStrings"))
			break;
	if (i < nrels) {
		if (part_name(rels[i].target, part, sizeof(part)) != 0 ||
		    read_strings(&c, part) < 0)
			goto out;
	} else if (read_strings(&c, "xl/sharedStrings.xml") < 0)
		goto out;

	if ((r = xml_open(&c, "xl/workbook.xml", &wb)) == NULL)
		goto out;
	while ((rc = xml_next(&c, "xl/workbook.xml", r)) == 1) {
		char *name, *id;
		struct xlsx_sheet *s, *m;

		if (!is_elem(r, "sheet"))
			continue;
		if (book->nsheets == XLSX_MAX_SHEETS) {
			fail(&c, "more than %d sheets", XLSX_MAX_SHEETS);
			break;
		}
		name = attr(r, "name");
		id = attr(r, "id");
		for (i = 0; id && i < nrels; i++)
			if (rels[i].id && strcmp(rels[i].id, id) == 0)
				break;
		if (name == NULL || id == NULL || i == nrels ||
		    rels[i].target == NULL ||
		    part_name(rels[i].target, part, sizeof(part)) != 0) {
			fail(&c, "xl/workbook.xml: a sheet without its part");
			xmlFree(name);
			xmlFree(id);
			break;
		}
		xmlFree(id);
		m = realloc(book->sheets, (book->nsheets + 1) * sizeof(*m));
		if (m == NULL) {
			xmlFree(name);
			fail(&c, "out of memory");
			break;
		}
		book->sheets = m;
		s = &book->sheets[book->nsheets++];
		memset(s, 0, sizeof(*s));
		s->name = strdup(name);
		xmlFree(name);
		if (s->name == NULL) {
			fail(&c, "out of memory");
			break;
		}
		if (rels[i].type && !ends_with(rels[i].type, "/worksheet"))
			continue; /* a chart sheet: no cells */
		if (read_sheet(&c, part, s) != 0)
			break;
	}
out:
	if (r)
		xmlFreeTextReader(r);
	rels_free(rels, nrels);
	buf_free(&wb);
	strings_free(&c);
	if (c.zip)
		zip_discard(c.zip);
	if (c.failed) {
		xlsx_free(book);
		return -1;
	}
	return 0;
}

void xlsx_free(struct xlsx_book *book)
{
	for (size_t i = 0; i < book->nsheets; i++) {
		struct xlsx_sheet *s = &book->sheets[i];

		for (size_t k = 0; k < s->ncells; k++)
			free(s->cells[k].text);
		free(s->cells);
		free(s->name);
	}
	free(book->sheets);
	memset(book, 0, sizeof(*book));
}

const struct xlsx_cell *xlsx_cell(const struct xlsx_sheet *s, unsigned row,
				  unsigned col)
{
	struct xlsx_cell key = {row, col, NULL, 0};

	if (s == NULL || s->ncells == 0)
		return NULL;
	return bsearch(&key, s->cells, s->ncells, sizeof(*s->cells),
		       cell_cmp);
}

const struct xlsx_sheet *xlsx_sheet(const struct xlsx_book *b,
				    const char *name)
{
	for (size_t i = 0; i < b->nsheets; i++)
		if (strcasecmp(b->sheets[i].name, name) == 0)
			return &b->sheets[i];
	return NULL;
}
