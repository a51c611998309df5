/* paper.h: what paper questionnaires need beyond the web form: the
 * numbers printed beside each choice on the sheet (and typed back at data
 * entry), and the key that matches a sheet's two entries. */
#ifndef ENQUETE_PAPER_H
#define ENQUETE_PAPER_H

#include <stddef.h>

#include "form.h"
#include "qdef.h"
#include "token.h"

#define PAPER_BATCH_MAX 500     /* codes per batch */
#define PAPER_SHEET_DIGITS 9    /* a printed sheet number: 1..999999999 */
#define PAPER_SHEET_LAST 999999999L
#define PAPER_SHEET_KEY_MAX 16  /* "C:" + code, "N:" + number, NUL */

/* Turns an entry form (what the operator typed) into the web form that
 * answer_collect() checks: for choice items (single, quiz, multi, each
 * rank of a ranking), a number n in 1..noptions is the n-th option as
 * printed on the sheet; a multi-select takes several numbers separated by
 * spaces, commas, semicolons or '+'. Anything else goes through unchanged
 * (so that answer_collect() reports it). Spaces around scale and choice
 * values are dropped. Appends to out (the caller frees it with
 * kvlist_free). 0, or -1 when out of memory. */
int paper_entry_to_form(const struct qdef_instrument *in,
    const struct kvlist *typed, struct kvlist *out);

/* The number typed for value of a choice item (1-based), or 0. */
size_t paper_option_number(const struct qdef_item *it, const char *value);

/* The sheet key from the code and the sheet number written on the sheet
 * (either may be NULL or empty): "C:<code>" when a code is given (code
 * receives it normalised), else "N:<number>" (no leading zeros), else "".
 * Returns NULL, or the i18n key of the problem and *field the control it
 * belongs to ("_code", "_sheet"). */
const char *paper_sheet_key(const char *typed_code, const char *typed_sheet,
    char key[PAPER_SHEET_KEY_MAX], char code[CODE_LEN + 1],
    const char **field);

#endif
