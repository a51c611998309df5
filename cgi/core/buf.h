/* buf.h: a growable byte buffer, the one type every renderer and response
 * body writes into. Out of memory is sticky: once an append fails, every
 * later one fails too and buf.oom stays set, so callers may check once. */
#ifndef ENQUETE_BUF_H
#define ENQUETE_BUF_H

#include <stddef.h>

struct buf {
	char *data;   /* owned; NUL-terminated whenever len > 0 or after buf_cstr() */
	size_t len;
	size_t cap;
	int oom;
};

#define BUF_INIT {NULL, 0, 0, 0}

void buf_init(struct buf *b);
/* Frees the storage and leaves an empty buffer. */
void buf_free(struct buf *b);
/* Keeps the storage, drops the content (for reuse across requests). */
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Borrowed pointer to the content, always NUL-terminated ("" when empty);
 * valid until the next append or free. */
const char *buf_cstr(struct buf *b);
/* Appends the whole file at path. 0, or -1 with errno set (E2BIG when it
 * holds more than max bytes). */
int buf_read_file(struct buf *b, const char *path, size_t max);
/* Returns the content and leaves the buffer empty: caller frees with free(). */
char *buf_steal(struct buf *b);

#endif
