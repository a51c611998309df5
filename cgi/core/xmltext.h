/* xmltext.h: text that an XML 1.0 document can hold. The template
 * renderer escapes markup (& < > " '), which is XML's escaping too; what it
 * cannot fix is a character XML 1.0 forbids even as a reference. */
#ifndef ENQUETE_XMLTEXT_H
#define ENQUETE_XMLTEXT_H

#include <stddef.h>

/*
 * Removes, in place, from the n bytes at s what XML 1.0 forbids: C0
 * control characters other than TAB, LF and CR, U+FFFE and U+FFFF, and
 * bytes that are not valid UTF-8 (each replaced by nothing). Returns the
 * new length (s is not NUL-terminated by this function).
 */
size_t xml_text_clean(char *s, size_t n);

#endif
