/* console.h: the organiser's console's domain (issue 20): a definition
 * read from an upload (JSON or an XLSForm workbook), an event's properties
 * set from the console's fields, the safe-change check of a new version
 * against what was answered, and storing a definition as a new event or a
 * new version. Shared by the web (page_console.c) and `enquetectl load`
 * (the check). */
#ifndef ENQUETE_CONSOLE_H
#define ENQUETE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "qdef.h"
#include "store.h"

struct json_object;

/* Reads an uploaded definition: a workbook (zip signature) through
 * xlsform_load (errors as sheet!cell), else JSON (a syntax error with its
 * line and column), then qdef_validate (errors with JSON paths). Returns
 * the definition (caller puts) or NULL with every error in errs. */
struct json_object *console_read_definition(const char *bytes, size_t len,
    struct qdef_errors *errs);

/* The event's properties as the console's fields give them; NULL (or "")
 * leaves a property as it is. Index [l] is enum qdef_lang. */
struct console_event_fields {
	const char *slug;
	const char *title[QDEF_LANG__MAX];
	const char *starts_on, *ends_on;
	const char *place;		      /* the city, first language */
	const char *place_l[QDEF_LANG__MAX];  /* where it differs */
	const char *country, *timezone;
	const char *languages;		      /* "fr,ar,en": first = default */
	const char *host;
	const char *privacy[QDEF_LANG__MAX];
	const char *collab[QDEF_LANG__MAX];
	const char *note[QDEF_LANG__MAX];
	const char *objectives[QDEF_LANG__MAX];
	bool drop_windows; /* a copy starts closed */
};

/* Writes the fields into def's event object (a copy's or the current
 * definition's). A language list that drops a language drops its texts
 * from every localized object (a copy for fr,ar needs no English). Errors
 * of the fields themselves (a language list that is not one) go to errs
 * under the field's name. 0, or -1 when errs got one (or out of memory). */
int console_apply_event(struct json_object *def,
    const struct console_event_fields *f, struct qdef_errors *errs);

/* The values answered so far, per instrument and item key: a JSON object
 * {"pre": {"know_iso": ["3", ...], ...}, ...} (values only for choice
 * items). console_answered_row is the store's row callback filling it. */
int console_answered_row(void *set, const char *instrument, const char *item,
    const char *value);

/* The safe-change rule (DESIGN.md, "Definitions: formats and changes"):
 * a new version neu of a definition old whose answers are `answered' may
 * change wording, order and help and add items and options; removing or
 * retyping an answered item, removing an answered option, or changing an
 * answered item's analysis or correct answer is a conflict. Appends one
 * message per conflict to out ("pre.know_iso: ..."). Returns the number of
 * conflicts, or -1 out of memory. */
int console_check_changes(const struct qdef *old, const struct qdef *neu,
    struct json_object *answered, struct qdef_errors *out);

/* The stats_item rows of definition d and the windows it sets, as the JSON
 * arrays schema/functions/console.sql reads. Caller frees with free(). */
char *console_items_json(const struct qdef *d);
char *console_windows_json(const struct qdef *d);

enum console_rc {
	CONSOLE_STORED,	   /* *version is the new version */
	CONSOLE_UNCHANGED, /* the same as the current definition */
	CONSOLE_INVALID,   /* errs: what is wrong and where (422) */
	CONSOLE_CONFLICT,  /* errs: the changes refused (409) */
	CONSOLE_TAKEN,	   /* create: the slug exists (422) */
	CONSOLE_MISSING,   /* update: no such event (404) */
	CONSOLE_DOWN,	   /* 503 */
	CONSOLE_FAILED,	   /* 500 (logged) */
};

/* Validates def and stores it: create, a new event (its slug the file's);
 * else a new version of the event url_slug (a file naming another slug is
 * INVALID; a change the answers forbid is CONFLICT). Nothing is stored
 * unless STORED. def is borrowed. */
enum console_rc console_store(struct db *db, struct json_object *def,
    const char *url_slug, bool create, struct qdef_errors *errs,
    long *version);

/* Appends "msg" to errs (a copy). 0 or -1. */
int console_error(struct qdef_errors *errs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
