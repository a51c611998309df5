/* itemtype.h: the rules of each item type, one row per type (see
 * docs/questionnaires.md): which fields a type takes, which analysis roles
 * it accepts, how its answers are sent and how one sent value is checked
 * and normalised. The definition check (qdef.c) and the answer check
 * (answer.c) both read this table, so a new type is one row in itemtype.c
 * (and its name in enum qdef_type). */
#ifndef ENQUETE_ITEMTYPE_H
#define ENQUETE_ITEMTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "qdef.h"

/* The fields of its own a type takes (beyond those of every item), and
 * QDEF_F_EXCLUSIVE: its options may be "exclusive". */
enum {
	QDEF_F_OPTIONS = 1u << 0, /* options: 2..QDEF_MAX_OPTIONS */
	QDEF_F_OTHER = 1u << 1,	  /* "<key>.other" text beside "other" */
	QDEF_F_CONSENT = 1u << 2, /* answering "yes" gives consent */
	QDEF_F_SCALE = 1u << 3,	  /* scale labels (scale_labels of them) */
	QDEF_F_RETRO = 1u << 4,	  /* "<key>.retro" rating (post knowledge) */
	QDEF_F_MIN = 1u << 5,	  /* number bounds */
	QDEF_F_MAX = 1u << 6,
	QDEF_F_INTEGER = 1u << 7,
	QDEF_F_MAX_LENGTH = 1u << 8, /* text_default, at most text_limit */
	QDEF_F_PERSONAL = 1u << 9,   /* contact data, kept apart */
	QDEF_F_REQUIRES = 1u << 10,  /* personal: its consent item */
	QDEF_F_TOP = 1u << 11,	     /* ranks "<key>.1" .. "<key>.<top>" */
	QDEF_F_CORRECT = 1u << 12,   /* the right option */
	QDEF_F_EXCLUSIVE = 1u << 13, /* an option field, not an item field */
};

/* How the answers of an item are sent. */
enum qdef_sent {
	QDEF_SENT_ONE,	  /* at most one value under "<key>" */
	QDEF_SENT_MANY,	  /* any number of distinct values under "<key>" */
	QDEF_SENT_RANKED, /* one value under each "<key>.<rank>", 1..top */
};

/* One checked value: what the typed row stores. */
struct qdef_value {
	const char *text; /* the value sent, or norm; borrowed */
	char norm[40];	  /* a normalised form when it differs */
	bool has_num;	  /* the row carries num */
	double num;
};

/* Checks one value s (len bytes, NUL-terminated) sent for it. Returns NULL
 * and fills out when valid, else an i18n error key (static string). */
typedef const char *(*qdef_value_check)(const struct qdef_item *it,
					const char *s, size_t len,
					struct qdef_value *out);

struct qdef_itype {
	const char *name;    /* as in the format, the codebook, the summary */
	unsigned fields;     /* QDEF_F_* */
	unsigned roles;	     /* 1u << enum qdef_role: the roles it accepts */
	size_t scale_labels; /* QDEF_F_SCALE: the labels expected */
	long lo, hi;	     /* numeric scale: the answers are lo..hi */
	size_t nvalues;	     /* distinct answers (scales), 0: options or none */
	size_t text_default, text_limit; /* QDEF_F_MAX_LENGTH */
	bool numeric;			 /* its rows carry a number */
	enum qdef_sent sent;
	qdef_value_check check;
};

/* The row of type t, or NULL when t is out of range. Static. */
const struct qdef_itype *qdef_itype(int t);

/* Checks a sent text (len bytes): valid UTF-8, no control characters, at
 * most max code points. NULL when valid, else an i18n error key. */
const char *qdef_text_check(const char *s, size_t len, size_t max);

#endif
