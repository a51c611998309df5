/* qdef.h: questionnaire definitions (one JSON file per event, see
 * docs/questionnaires.md): validation with JSON paths, and the model. */
#ifndef ENQUETE_QDEF_H
#define ENQUETE_QDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* The only format version this code reads. */
#define QDEF_FORMAT 1

/*
 * Limits. The definition is checked against them on load; the attendee
 * form enforces the answer limits. Lengths of texts are counted in Unicode
 * characters (code points), not bytes.
 */
#define QDEF_MAX_ITEMS 300   /* items per instrument */
#define QDEF_MAX_SECTIONS 50 /* sections per instrument */
#define QDEF_MAX_OPTIONS 100 /* options per item */
#define QDEF_MAX_LABEL 2000  /* title, label, help, option, scale text */
#define QDEF_MAX_TEXT 10000  /* intro and privacy texts */
#define QDEF_KEY_MAX 48	     /* item keys, section ids */
#define QDEF_VALUE_MAX 48    /* option values */
#define QDEF_SLUG_MAX 64     /* event slugs */
/* Answers. */
#define QDEF_TEXT_DEFAULT 200	   /* max_length of a text item by default */
#define QDEF_TEXT_LIMIT 1000	   /* the largest max_length of a text */
#define QDEF_LONGTEXT_DEFAULT 2000 /* max_length of a longtext by default */
#define QDEF_LONGTEXT_LIMIT 10000  /* the largest max_length of a longtext */
#define QDEF_OTHER_MAX 200	   /* the "<key>.other" free text */
#define QDEF_NUMBER_MAX 32	   /* bytes of a number answer as typed */
/* Longest form field name: a key plus ".other", ".retro" or ".100". */
#define QDEF_FIELD_MAX (QDEF_KEY_MAX + 6)

/* Every error found, each "PATH: message" with PATH a JSON path such as
 * $.instruments.pre.sections[1].items[3].options[0].label.ar */
struct qdef_errors {
	size_t n;
	char **msg; /* owned; free with qdef_errors_free() */
};

enum qdef_lang { QDEF_LANG_FR, QDEF_LANG_EN, QDEF_LANG_AR, QDEF_LANG__MAX };

/* Names as in the format, the codebook and the summary. */
enum qdef_type {
	QDEF_SINGLE,
	QDEF_MULTI,
	QDEF_LIKERT5,
	QDEF_RATING10,
	QDEF_NUMBER,
	QDEF_TEXT,
	QDEF_LONGTEXT,
	QDEF_RANK,
	QDEF_QUIZ,
	QDEF_TYPE__MAX
};

/* The "analysis" role: where an item shows in the summary. */
enum qdef_role {
	QDEF_ROLE_PROFILE,
	QDEF_ROLE_KNOWLEDGE,
	QDEF_ROLE_QUIZ,
	QDEF_ROLE_EVALUATION,
	QDEF_ROLE_NPS,
	QDEF_ROLE_RANKING,
	QDEF_ROLE_COLLABORATION,
	QDEF_ROLE_COMMENT,
	QDEF_ROLE_DESCRIPTIVE, /* distribution only, no test (sectors...) */
	QDEF_ROLE_CONTACT,     /* personal data given with consent */
	QDEF_ROLE_OUTCOME,     /* follow-up: what was applied (issue 24) */
	QDEF_ROLE__MAX
};

/* followup: months after the workshop, linked like post (issue 24) */
enum qdef_kind { QDEF_PRE, QDEF_POST, QDEF_FOLLOWUP, QDEF_KIND__MAX };

/*
 * The model. Every string and json_object pointer below is borrowed from
 * the definition's JSON, which the model holds a reference to: they stay
 * valid until qdef_free(). A "localized" json_object is an object with one
 * non-empty string per declared language; read it with qdef_text().
 */
struct qdef_option {
	const char *value;
	struct json_object *label; /* localized */
	bool exclusive;		   /* multi: cannot be combined ("none") */
};

struct qdef_item {
	const char *key;
	enum qdef_type type;
	enum qdef_role role;
	size_t section;		   /* index in the instrument's sections */
	struct json_object *json;  /* the item object itself */
	struct json_object *label; /* localized */
	struct json_object *help;  /* localized, or NULL */
	bool required;
	struct qdef_option *options; /* single, multi, rank, quiz; else NULL */
	size_t noptions;
	bool other;		   /* single/multi: "<key>.other" text */
	struct json_object *scale; /* likert5: 5, rating10: 2 localized */
	bool has_min, has_max;	   /* number */
	double min, max;
	bool integer;	   /* number: whole numbers only */
	size_t max_length; /* text/longtext (default applied), else 0 */
	size_t top;	   /* rank: number of ranks, else 0 */
	int correct;	   /* quiz: index of the right option, else -1 */
	bool retro;	   /* post knowledge: "<key>.retro" rating */
	bool consent;	   /* single: answering "yes" gives consent */
	bool personal;	   /* contact data: never exported */
	int requires;	   /* personal: index of its consent item */
	int twin;	   /* index of the same key in the other
			      instrument (pre <-> post), or -1 */
	int fpre, fpost;   /* followup item: index of the same key in pre,
			      in post, or -1 */
};

struct qdef_section {
	const char *id;
	struct json_object *title; /* localized */
	struct json_object *intro; /* localized, or NULL */
	size_t first, count;	   /* its items: items[first .. first+count) */
};

struct qdef_instrument {
	enum qdef_kind kind;
	bool present; /* false: the definition has no such one */
	struct json_object *json;
	struct json_object *title; /* localized */
	struct json_object *intro; /* localized */
	/* Window, as written (NULL: not set) and as seconds since the epoch. */
	const char *opens, *closes;
	int64_t opens_at, closes_at;
	struct qdef_section *sections;
	size_t nsections;
	struct qdef_item *items; /* flat, in form order */
	size_t nitems;
};

struct qdef {
	struct json_object *json; /* our reference to the whole definition */
	int format;
	const char *slug;
	struct json_object *title;		  /* localized */
	const char *date_start, *date_end;	  /* YYYY-MM-DD */
	struct json_object *place;		  /* {city, venue?, country} */
	const char *timezone;			  /* IANA name */
	enum qdef_lang languages[QDEF_LANG__MAX]; /* in the declared order */
	size_t nlanguages;
	enum qdef_lang default_language;
	struct json_object *privacy; /* localized */
	struct json_object *host;    /* localized, optional: the host body */
	/* localized, optional (the console's set-up page): the dashboard's
	 * collaboration heading, the legal note beside the contacts, the
	 * event's objectives one per line */
	struct json_object *collab_title, *contacts_note, *objectives;
	struct qdef_instrument instruments[QDEF_KIND__MAX];
};

/* Validates a parsed definition. Returns 0 when valid; else -1 with every
 * error appended to errs (it does not stop at the first). errs must be
 * zeroed or hold earlier errors. */
int qdef_validate(struct json_object *def, struct qdef_errors *errs);
void qdef_errors_free(struct qdef_errors *e);

/* Reads and parses a definition file without validating it. Returns the
 * JSON (caller releases with json_object_put()) or NULL with one error
 * ("FILE: message", giving line and column of a syntax error). */
struct json_object *qdef_parse_file(const char *path, struct qdef_errors *errs);

/* Builds the model of a valid definition (call after qdef_validate
 * succeeded; returns NULL on an invalid one or out of memory). Takes its
 * own reference to def. Caller frees with qdef_free(). */
struct qdef *qdef_build(struct json_object *def);
void qdef_free(struct qdef *d);

/* Lookups; all return borrowed pointers or -1/NULL when absent. */
const struct qdef_instrument *qdef_instrument(const struct qdef *d,
					      const char *name);
const struct qdef_item *qdef_item(const struct qdef_instrument *in,
				  const char *key);
int qdef_option_index(const struct qdef_item *it, const char *value);
/* The question beside consented contacts: the first single-choice
 * collaboration item that is not the consent itself, post before pre (the
 * contacts are collected after the workshop); NULL when there is none. */
const struct qdef_item *qdef_interest_item(const struct qdef *d);
/* The text of a localized object in lang, or in the definition's default
 * language when lang is missing; "" when neither exists. Borrowed. */
const char *qdef_text(const struct qdef *d, struct json_object *localized,
		      enum qdef_lang lang);
/* likert5: 5, rating10: 11 (0..10), choice types: noptions, else 0. */
size_t qdef_item_nvalues(const struct qdef_item *it);

/* Names of the enums (static strings) and back (-1 when unknown). */
const char *qdef_type_name(enum qdef_type t);
const char *qdef_role_name(enum qdef_role r);
const char *qdef_kind_name(enum qdef_kind k);
const char *qdef_lang_name(enum qdef_lang l);
int qdef_type_from_name(const char *s);
int qdef_role_from_name(const char *s);
int qdef_kind_from_name(const char *s);
int qdef_lang_from_name(const char *s);
/* 1 when d offers language l (one of d->languages), else 0; l may be -1
 * (an unknown name, qdef_lang_from_name), which d never offers. */
int qdef_offers(const struct qdef *d, int l);

#endif
