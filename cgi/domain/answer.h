/* answer.h: what an attendee sent, checked against the definition version
 * the form was rendered from. Keeps every value sent for a known field
 * (for re-display: nothing typed is thrown away), the typed rows stored
 * for analysis, and one error per invalid field. */
#ifndef ENQUETE_ANSWER_H
#define ENQUETE_ANSWER_H

#include <stddef.h>

#include "form.h"
#include "qdef.h"

struct answer_error {
	char field[QDEF_FIELD_MAX + 1];  /* the control's name, e.g. "know_iso" */
	const char *msg;                 /* an i18n key, e.g. "error_required" */
};

struct answers {
	/* {field: "v" or ["a", "b"]} for every known field sent, as sent
	 * (invalid UTF-8 repaired with U+FFFD): the re-display values and,
	 * once valid, the raw answers stored as jsonb. Owned. */
	struct json_object *values;
	/* [{"item","value","num","rank"}]: the typed rows. Owned. */
	struct json_object *rows;
	/* {"item": "value"}: personal data given with consent. Owned. */
	struct json_object *contacts;
	struct answer_error *errors;     /* owned */
	size_t nerrors;
	/* Set by answer_collect_as(): a required item left blank is not an
	 * error (a paper sheet is typed in as written). */
	int blank_ok;
};

/* Checks form against the instrument. Returns 0 when every answer is valid,
 * 1 when some are not (see out->errors), -1 when out of memory. out must be
 * released with answers_free() in every case. */
int answer_collect(const struct qdef_instrument *in, const struct kvlist *form,
    struct answers *out);
/* The same with a source's rules: ANSWER_AS_PAPER accepts a required item
 * left blank (the sheet as the attendee filled it in: nothing written on
 * it is thrown away for what is missing); every other check holds. */
enum answer_as { ANSWER_AS_WEB, ANSWER_AS_PAPER };
int answer_collect_as(const struct qdef_instrument *in,
    const struct kvlist *form, enum answer_as as, struct answers *out);
void answers_free(struct answers *a);
/* The raw answers to store: a->values without the personal items (those
 * live in the contact table only, never in the answers or their history).
 * A new object the caller releases with json_object_put(); NULL when out
 * of memory. */
struct json_object *answer_stored(const struct qdef_instrument *in,
    const struct answers *a);
/* Adds an error found outside the definition (the participant code). */
int answer_collect_error(struct answers *a, const char *field,
    const char *msg);
/* The error message key of field, or NULL. Borrowed. */
const char *answer_error_for(const struct answers *a, const char *field);

#endif
