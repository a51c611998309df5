/* xlsx.h: reads the cells of an .xlsx workbook (a zip of XML parts) into
 * memory: every sheet by name, every non-empty cell as text. Zip through
 * libzip, XML through libxml2's streaming reader; every size is bounded so
 * that a hostile upload costs at most XLSX_MAX_TOTAL bytes of XML. */
#ifndef ENQUETE_XLSX_H
#define ENQUETE_XLSX_H

#include <stddef.h>

#define XLSX_MAX_BYTES (8u * 1024 * 1024)   /* the .xlsx file itself */
#define XLSX_MAX_ENTRY (32u * 1024 * 1024)  /* one part, uncompressed */
#define XLSX_MAX_TOTAL (64u * 1024 * 1024)  /* all parts read, uncompressed */
#define XLSX_MAX_ENTRIES 1000		    /* parts in the zip */
#define XLSX_MAX_SHEETS 64
#define XLSX_MAX_CELLS 500000		    /* non-empty cells, all sheets */
#define XLSX_MAX_STRINGS 500000		    /* shared strings */
#define XLSX_MAX_ROW 100000		    /* highest row number read */
#define XLSX_MAX_COL 1024		    /* highest column number read */
#define XLSX_MAX_CELL 32767		    /* bytes of one cell's text */

struct xlsx_cell {
	unsigned row, col; /* 1-based */
	char *text;	   /* owned, NUL-terminated, never empty */
	int number;	   /* 1: the cell holds a number (text is its value) */
};

struct xlsx_sheet {
	char *name; /* owned, as in the workbook */
	struct xlsx_cell *cells; /* in reading order (rows ascending) */
	size_t ncells;
	unsigned nrows; /* highest row number holding a cell */
};

struct xlsx_book {
	struct xlsx_sheet *sheets; /* in workbook order */
	size_t nsheets;
};

/* Reads the workbook in bytes[0..len). Returns 0, or -1 with a one-line
 * reason in err (the book is then empty). Free with xlsx_free() either
 * way. Numbers are kept as written in the file, except whole numbers,
 * which are written without a fraction ("5", not "5.0"). */
int xlsx_read(const void *bytes, size_t len, struct xlsx_book *book,
	      char *err, size_t errsz);
void xlsx_free(struct xlsx_book *book);

/* The cell text at (row, col) or NULL when empty. Borrowed. */
const struct xlsx_cell *xlsx_cell(const struct xlsx_sheet *s, unsigned row,
				  unsigned col);
/* The sheet whose name equals name ignoring ASCII case, or NULL. */
const struct xlsx_sheet *xlsx_sheet(const struct xlsx_book *b,
				    const char *name);
/* Writes "A", "B", ..., "AA" for column col (1-based) into out. */
void xlsx_col_name(unsigned col, char *out, size_t outsz);
/* True when bytes start like a zip archive ("PK\3\4"). */
int xlsx_is_zip(const void *bytes, size_t len);

#endif
