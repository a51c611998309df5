/* keys.h: the one table of request inputs (kcgi's keys table). Every query
 * parameter, urlencoded body field and cookie a handler reads is declared
 * once here with its source and validator; the front controller parses the
 * keys a route accepts (routes.c) into r->in[] once, before the handler, and
 * handlers read typed values, with "absent" kept apart from "present but
 * invalid". Two families of inputs are dynamic (their names are item keys of
 * a questionnaire definition) and are declared as families: the answer
 * fields of a form POST (validated by cgi/domain/answer.c) and the
 * dashboard's filters (validated by cgi/domain/summary.c). Inputs that are
 * not declared are ignored, as they always were (outside clients send
 * extras). */
#ifndef ENQUETE_KEYS_H
#define ENQUETE_KEYS_H

#include <stddef.h>

#include "http.h"

enum key {
	KEY_LANG,         /* ?lang=: the UI language (any page) */
	KEY_LANG_COOKIE,  /* cookie lang: the remembered choice */
	KEY_NEXT,         /* ?next=: where sign-in leads back to */
	KEY_NEXT_FORM,    /* next (body): the same, carried by the form */
	KEY_USERNAME,     /* username (body) */
	KEY_PASSWORD,     /* password (body) */
	KEY_ROLE,         /* role (body): expert | admin */
	KEY_COUNT,        /* count (body): badge codes to create */
	KEY_FORMAT,       /* ?format=: long | wide */
	KEY_EXCEL,        /* ?excel=: 0 | 1 */
	KEY_EVENTS,       /* ?events=: comma-separated slugs */
	KEY_CODE,         /* ?code=: a participant code in a link */
	KEY_CODE_COOKIE,  /* cookie enq_code: the signed participant code */
	KEY_FORM_TOKEN,   /* _token (body): the signed form token */
	KEY_FORM_LANG,    /* _lang (body): the language the form was shown in */
	KEY_FORM_CODE,    /* _code (body): the code an attendee typed */
	KEY_FORM_EDIT,    /* _edit (body): 1 = replace the stored answer */
	KEY_FORM_VERSION, /* _version (body): the definition the form shows */
	/* paper questionnaires (page_paper.c) */
	KEY_PAPER_BATCH,  /* ?batch=: a batch of badge codes to print */
	KEY_PAPER_SHEETS, /* ?sheets=: numbered sheets to print */
	KEY_PAPER_FIRST,  /* ?first=: the first sheet number */
	KEY_BATCH_COUNT,  /* count (body): codes in a new batch */
	KEY_BATCH_TOKEN,  /* _token (body): the batch form's idempotency key */
	KEY_INSTRUMENT,   /* instrument (body): pre | post, the page shown next */
	KEY_LANG_FORM,    /* lang (body): the language of the sheet shown next */
	KEY_SHEET,        /* _sheet (body): the printed sheet number typed */
	KEY_RESOLVE_FORM, /* _resolve (body): 1 = a third reading */
	KEY_RESOLVE,      /* ?resolve=: the sheet in conflict to type again */
	KEY_SAVED,        /* ?saved=: the code of the sheet just stored */
	KEY_ENTRY_STATE,  /* ?state=: what became of the sheet just stored */
	KEY_DOUBLE_ENTRY, /* double_entry (body): 0 | 1 */
	/* roles, password, audit, erasure (page_roles.c) */
	KEY_SCOPE,        /* events (body): a user's scope, "*" / "a,b" / "" */
	KEY_CURRENT_PASSWORD, /* current_password (body): one's own */
	KEY_ERASE_CODE,   /* code (body): the participant to erase */
	KEY_CONFIRM,      /* confirm (body): 1 = the confirmed step */
	KEY_AUDIT_EVENT,  /* ?event=: the audit log of one event */
	KEY_LINK,         /* ?k=: a personal link's signed key (issue 24) */
	KEY_LINK_FORM,    /* k (body): the same, on the unsubscribe button */
	KEY_REMINDER,     /* reminder (body): 0 | 1, the invite button's kind */
	KEY__MAX
};

enum key_source { KS_QUERY, KS_FORM, KS_COOKIE };

enum key_validator {
	KV_TEXT,  /* valid UTF-8, no control character but TAB/CR/LF */
	KV_BYTES, /* any bytes but NUL (passwords: compared, never shown) */
	KV_INT,   /* decimal digits only, whole string, min..max */
	KV_ID,    /* KV_INT as we print it: no leading zero */
	KV_ENUM,  /* one of values[] exactly; n is its index */
	KV_LANG,  /* a language we speak (fr, en-GB, AR...); str canonical */
	KV_CODE,  /* a participant code as typed; str the 8 canonical chars */
	KV_SLUGS, /* comma-separated slugs (empty elements ignored) */
	KV_TOKEN, /* [A-Za-z0-9_-.] only (tokens, signed cookies) */
	KV_SLUG,  /* one event slug: [a-z0-9-], 1..64, no dash at either end */
	KV_FILE,  /* a multipart file part: any bytes; filename set */
};

enum key_flag {
	KF_REQUIRED = 1 << 0,    /* the handlers refuse the request without it */
	KF_EMPTY_ABSENT = 1 << 1 /* an empty value counts as absent */
};

struct key_def {
	const char *name;
	enum key_source source;
	enum key_validator validator;
	unsigned flags;
	size_t min_len, max_len;   /* bytes of the raw value */
	long long min, max;        /* KV_INT, KV_ID */
	const char *const *values; /* KV_ENUM: NULL-terminated */
	const char *doc;
};

extern const struct key_def key_defs[KEY__MAX];

/* The dynamic families (a route's `families` bits). */
enum key_family {
	KFAM_ANSWERS = 1 << 0, /* body fields named by the definition's item
				* keys; cgi/domain/answer.c validates them */
	KFAM_FILTERS = 1 << 1, /* query parameters named by profile item keys;
				* cgi/domain/summary.c validates them */
	KFAM_CONSOLE = 1 << 2, /* the organiser's console's form fields,
				* declared in console_key_defs[] below (a
				* table of their own: they would not fit in a
				* route's 64-bit key set beside the others) */
};

/* The console's fields (DESIGN.md, "The organiser's console"), in
 * console_key_defs[]; read by keys_parse_console. */
enum ckey {
	CK_SLUG,
	CK_TITLE_FR,
	CK_TITLE_EN,
	CK_TITLE_AR,
	CK_STARTS_ON,
	CK_ENDS_ON,
	CK_PLACE,
	CK_PLACE_FR,
	CK_PLACE_EN,
	CK_PLACE_AR,
	CK_COUNTRY,
	CK_TIMEZONE,
	CK_LANGUAGES,
	CK_HOST,
	CK_COPY_FROM,
	CK_DEFINITION,
	CK_ATTENDANCE,
	CK_PRIVACY_FR,
	CK_PRIVACY_EN,
	CK_PRIVACY_AR,
	CK_COLLAB_FR,
	CK_COLLAB_EN,
	CK_COLLAB_AR,
	CK_NOTE_FR,
	CK_NOTE_EN,
	CK_NOTE_AR,
	CK_OBJECTIVES_FR,
	CK_OBJECTIVES_EN,
	CK_OBJECTIVES_AR,
	CK_DOUBLE_ENTRY,
	CK_INSTRUMENT,
	CK_ACTION,
	CK_OPENS_AT,
	CK_CLOSES_AT,
	CK__MAX
};
extern const struct key_def console_key_defs[CK__MAX];

/* Fills out[] from r->form for every console field when the request's
 * route declares KFAM_CONSOLE (else every field stays absent). Borrowed
 * from r until req_reset. */
void keys_parse_console(const struct req *r, struct kval out[CK__MAX]);

/* A bit of a route's `keys` set. */
#define KEY_BIT(k) (1ull << (k))
/* The keys every route accepts (the front controller reads them). */
#define KEYS_GLOBAL (KEY_BIT(KEY_LANG) | KEY_BIT(KEY_LANG_COOKIE))

/* Validates one raw value against def into *out (state KEY_VALID or
 * KEY_INVALID; raw and raw_len kept either way). value holds len bytes and
 * a NUL after them. */
void keys_validate(const struct key_def *def, const char *value, size_t len,
    struct kval *out);

/* Fills r->in[k] for every key k in the set `which` from r->query, r->form
 * and r->cookies (the first value of a repeated name). Keys not in the set
 * stay absent. Pointers are borrowed from those lists (until req_reset). */
void keys_parse(struct req *r, unsigned long long which);

/* The raw inputs of a dynamic family, or an empty list when the request's
 * route does not declare it. Borrowed from r. */
const struct kvlist *keys_family(const struct req *r, enum key_family f);

#endif
