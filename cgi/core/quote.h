/* quote.h: string literals of other languages built from data (labels of
 * a definition) for the scripts enquete writes: R (analysis.R) and SPSS
 * syntax (labels.sps). Whatever the input, the literal reads back as the
 * same text and cannot end early: no label can inject code. */
#ifndef ENQUETE_QUOTE_H
#define ENQUETE_QUOTE_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends s as an R string literal in double quotes, pure ASCII: \\ and
 * \" escaped, \n \r \t named, every other control character and every
 * non-ASCII character as \u{XXXX} (\U{XXXXXXXX} beyond the BMP; R refuses
 * to mix \x with \u in one literal, so \x is never used). Bytes that are
 * not valid UTF-8 become U+FFFD.
 */
void quote_r(struct buf *b, const char *s);

/*
 * Appends s as an SPSS/PSPP string literal in apostrophes (an apostrophe
 * doubled), cut to at most max bytes of text at a character boundary
 * (SPSS truncates labels anyway: 120 bytes for value labels, 255 for
 * variable labels), control characters (line ends included, which no
 * literal may hold) as spaces, invalid UTF-8 as '?', and split into
 * pieces of at most QUOTE_SPS_PIECE bytes joined by " +" and a new line
 * so that no syntax line grows long.
 */
#define QUOTE_SPS_PIECE 60
void quote_sps(struct buf *b, const char *s, size_t max);

/* Decodes one UTF-8 character at s (n bytes available): its code point
 * and length in *len, or -1 when the bytes are not valid UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, cut short; *len is then 1). */
long quote_utf8_next(const unsigned char *s, size_t n, size_t *len);

#endif
