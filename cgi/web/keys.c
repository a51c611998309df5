/* keys.c: the request inputs table and its validators (see keys.h). */
#include "keys.h"

#include <string.h>

#include "codes.h"
#include "form.h"
#include "i18n.h"
#include "paper.h"
#include "qdef.h"
#include "routes.h"
#include "token.h"
#include "user.h"

_Static_assert(KEY__MAX <= REQ_MAX_KEYS, "REQ_MAX_KEYS (http.h) too small");
_Static_assert(KEY__MAX <= 64, "a route's key set is 64 bits");

/* The bounds of what people type in the admin forms (they were private to
 * page_admin.c and ctl_user.c). */
#define USERNAME_MAX 64
#define PASSWORD_MAX 1024

static const char *const v_role[] = {"expert", "admin", "organiser", NULL};
static const char *const v_format[] = {"long", "wide", NULL};
static const char *const v_bool[] = {"0", "1", NULL};
static const char *const v_instrument[] = {"pre", "post", "followup", NULL};
/* what page_entry_post reports of a stored sheet (page_paper.c) */
static const char *const v_entry_state[] = {"stored", "pending", "agreed",
    "differs", "resolved", NULL};

const struct key_def key_defs[KEY__MAX] = {
	[KEY_LANG] = {"lang", KS_QUERY, KV_LANG, 0, 0, 64, 0, 0, NULL,
	    "the UI language; remembered in the lang cookie"},
	[KEY_LANG_COOKIE] = {"lang", KS_COOKIE, KV_LANG, 0, 0, 64, 0, 0, NULL,
	    "the remembered UI language"},
	[KEY_NEXT] = {"next", KS_QUERY, KV_TEXT, 0, 0, 1024, 0, 0, NULL,
	    "the admin page to return to after signing in"},
	[KEY_NEXT_FORM] = {"next", KS_FORM, KV_TEXT, 0, 0, 1024, 0, 0, NULL,
	    "the same, carried by the sign-in form"},
	[KEY_USERNAME] = {"username", KS_FORM, KV_TEXT, KF_REQUIRED, 1,
	    USERNAME_MAX, 0, 0, NULL, "an account's name"},
	[KEY_PASSWORD] = {"password", KS_FORM, KV_BYTES, KF_REQUIRED, 1,
	    PASSWORD_MAX, 0, 0, NULL,
	    "an account's password (the minimum length of a new one is the "
	    "handler's policy)"},
	[KEY_ROLE] = {"role", KS_FORM, KV_ENUM, KF_REQUIRED, 0, 16, 0, 0,
	    v_role, "a new account's role"},
	[KEY_COUNT] = {"count", KS_FORM, KV_INT, KF_REQUIRED, 1, 11, 1,
	    CODES_MAX, NULL, "how many badge codes to create"},
	[KEY_FORMAT] = {"format", KS_QUERY, KV_ENUM, 0, 0, 16, 0, 0, v_format,
	    "the CSV export's shape (default long)"},
	[KEY_EXCEL] = {"excel", KS_QUERY, KV_ENUM, 0, 0, 16, 0, 0, v_bool,
	    "1: the Excel variant of an export"},
	[KEY_EVENTS] = {"events", KS_QUERY, KV_SLUGS, KF_REQUIRED, 0, 1024, 0,
	    0, NULL, "the events to compare"},
	[KEY_CODE] = {"code", KS_QUERY, KV_CODE, KF_EMPTY_ABSENT, 0, 64, 0, 0,
	    NULL, "a participant code in a badge's link"},
	[KEY_CODE_COOKIE] = {"enq_code", KS_COOKIE, KV_TOKEN, KF_EMPTY_ABSENT,
	    0, CODE_COOKIE_MAX, 0, 0, NULL,
	    "the participant code this browser answered with, signed"},
	[KEY_FORM_TOKEN] = {"_token", KS_FORM, KV_TOKEN, 0, 0, FORM_TOKEN_MAX,
	    0, 0, NULL, "the signed form token (when and what was shown)"},
	[KEY_FORM_LANG] = {"_lang", KS_FORM, KV_LANG, 0, 0, 64, 0, 0, NULL,
	    "the language the form was shown in"},
	[KEY_FORM_CODE] = {"_code", KS_FORM, KV_CODE, KF_EMPTY_ABSENT, 0, 64,
	    0, 0, NULL, "the participant code an attendee typed"},
	[KEY_FORM_EDIT] = {"_edit", KS_FORM, KV_ENUM, 0, 0, 16, 0, 0, v_bool,
	    "1: replace the answer stored for this code"},
	[KEY_FORM_VERSION] = {"_version", KS_FORM, KV_ID, 0, 1, 19, 1,
	    0x7fffffffffffffffLL, NULL,
	    "the definition version the form was built from"},
	[KEY_PAPER_BATCH] = {"batch", KS_QUERY, KV_ID, 0, 1, 10, 1,
	    0x7fffffffLL, NULL, "the batch of badge codes a sheet is printed for"},
	[KEY_PAPER_SHEETS] = {"sheets", KS_QUERY, KV_INT, KF_EMPTY_ABSENT, 1, 9,
	    1, PAPER_BATCH_MAX, NULL,
	    "how many numbered sheets (without codes) to print"},
	[KEY_PAPER_FIRST] = {"first", KS_QUERY, KV_INT, KF_EMPTY_ABSENT, 1, 9,
	    1, PAPER_SHEET_LAST - PAPER_BATCH_MAX, NULL,
	    "the number of the first of those sheets (default 1)"},
	[KEY_BATCH_COUNT] = {"count", KS_FORM, KV_INT, KF_REQUIRED, 1, 7, 1,
	    PAPER_BATCH_MAX, NULL, "how many badge codes a new batch holds"},
	[KEY_BATCH_TOKEN] = {"_token", KS_FORM, KV_TOKEN, KF_EMPTY_ABSENT, 1, 64,
	    0, 0, NULL,
	    "the batch form's key: the same form sent again finds its batch"},
	[KEY_INSTRUMENT] = {"instrument", KS_FORM, KV_ENUM, 0, 0, 16, 0, 0,
	    v_instrument, "the questionnaire whose page is shown next"},
	[KEY_LANG_FORM] = {"lang", KS_FORM, KV_LANG, 0, 0, 64, 0, 0, NULL,
	    "the language of the sheet shown next"},
	[KEY_SHEET] = {"_sheet", KS_FORM, KV_TEXT, KF_EMPTY_ABSENT, 0,
	    PAPER_SHEET_DIGITS + 4, 0, 0, NULL,
	    "the sheet number typed from the paper (checked by "
	    "paper_sheet_key)"},
	[KEY_RESOLVE_FORM] = {"_resolve", KS_FORM, KV_ENUM, KF_EMPTY_ABSENT, 0,
	    16, 0, 0, v_bool, "1: a third reading of a sheet in conflict"},
	[KEY_RESOLVE] = {"resolve", KS_QUERY, KV_TEXT, KF_EMPTY_ABSENT, 1,
	    PAPER_SHEET_KEY_MAX - 1, 0, 0, NULL,
	    "the sheet in conflict (C:code or N:number) to type again"},
	[KEY_SAVED] = {"saved", KS_QUERY, KV_CODE, KF_EMPTY_ABSENT, 0, 64, 0, 0,
	    NULL, "the code of the sheet just stored"},
	[KEY_ENTRY_STATE] = {"state", KS_QUERY, KV_ENUM, KF_EMPTY_ABSENT, 0, 16,
	    0, 0, v_entry_state, "what became of the sheet just stored"},
	[KEY_DOUBLE_ENTRY] = {"double_entry", KS_FORM, KV_ENUM, KF_REQUIRED, 0,
	    16, 0, 0, v_bool, "1: each paper sheet of the event typed twice"},
	[KEY_SCOPE] = {"events", KS_FORM, KV_TEXT, 0, 0, USER_SCOPE_MAX, 0, 0,
	    NULL, "a user's events: * (every event), a,b, or empty (none)"},
	[KEY_CURRENT_PASSWORD] = {"current_password", KS_FORM, KV_BYTES,
	    KF_REQUIRED, 1, PASSWORD_MAX, 0, 0, NULL,
	    "the signed-in user's password, to change it"},
	[KEY_ERASE_CODE] = {"code", KS_FORM, KV_CODE, KF_EMPTY_ABSENT, 0, 64,
	    0, 0, NULL, "the code of the participant to erase"},
	[KEY_CONFIRM] = {"confirm", KS_FORM, KV_ENUM, KF_EMPTY_ABSENT, 0, 16, 0,
	    0, v_bool, "1: the confirmed step of an erasure or archive"},
	[KEY_AUDIT_EVENT] = {"event", KS_QUERY, KV_SLUGS, KF_EMPTY_ABSENT, 1,
	    64, 0, 0, NULL, "the event whose audit log is shown"},
	[KEY_LINK] = {"k", KS_QUERY, KV_TOKEN, KF_EMPTY_ABSENT, 0, LINK_KEY_MAX,
	    0, 0, NULL, "a personal link's signed key (follow-up, unsubscribe)"},
	[KEY_LINK_FORM] = {"k", KS_FORM, KV_TOKEN, KF_REQUIRED, 1, LINK_KEY_MAX,
	    0, 0, NULL, "the unsubscribe link's key, carried by its button"},
	[KEY_REMINDER] = {"reminder", KS_FORM, KV_ENUM, KF_EMPTY_ABSENT, 0, 16,
	    0, 0, v_bool, "1: send the reminder instead of the invitation"},
};

/* The organiser's console (page_console.c). The bounds are the
 * definition's (qdef.h): a label 2000 characters, a text 10000, at most 4
 * bytes each. */
#define CK_LABEL (QDEF_MAX_LABEL * 4)
#define CK_TEXT (QDEF_MAX_TEXT * 4)
static const char *const v_action[] = {"open", "close", NULL};

const struct key_def console_key_defs[CK__MAX] = {
	[CK_SLUG] = {"slug", KS_FORM, KV_SLUG, KF_REQUIRED, 1, 64, 0, 0, NULL,
	    "the new event's slug"},
	[CK_TITLE_FR] = {"title_fr", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the event's title in French"},
	[CK_TITLE_EN] = {"title_en", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the event's title in English"},
	[CK_TITLE_AR] = {"title_ar", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the event's title in Arabic"},
	[CK_STARTS_ON] = {"starts_on", KS_FORM, KV_TEXT, 0, 0, 10, 0, 0, NULL,
	    "the first day, YYYY-MM-DD"},
	[CK_ENDS_ON] = {"ends_on", KS_FORM, KV_TEXT, 0, 0, 10, 0, 0, NULL,
	    "the last day, YYYY-MM-DD"},
	[CK_PLACE] = {"place", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0, NULL,
	    "the city, in the event's first language"},
	[CK_PLACE_FR] = {"place_fr", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the city in French, where it differs"},
	[CK_PLACE_EN] = {"place_en", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the city in English, where it differs"},
	[CK_PLACE_AR] = {"place_ar", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0,
	    NULL, "the city in Arabic, where it differs"},
	[CK_COUNTRY] = {"country", KS_FORM, KV_TEXT, 0, 0, 2, 0, 0, NULL,
	    "ISO 3166-1 alpha-2"},
	[CK_TIMEZONE] = {"timezone", KS_FORM, KV_TEXT, 0, 0, 64, 0, 0, NULL,
	    "an IANA time zone name"},
	[CK_LANGUAGES] = {"languages", KS_FORM, KV_TEXT, 0, 0, 16, 0, 0, NULL,
	    "the event's languages, first the default (fr,ar,en)"},
	[CK_HOST] = {"host", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0, 0, NULL,
	    "the host organisation"},
	[CK_COPY_FROM] = {"copy_from", KS_FORM, KV_SLUG, KF_EMPTY_ABSENT, 1, 64,
	    0, 0, NULL, "the event whose definition the new one copies"},
	[CK_DEFINITION] = {"definition", KS_FORM, KV_FILE, 0, 0,
	    HTTP_MAX_BODY, 0, 0, NULL,
	    "a definition file: JSON or an XLSForm workbook"},
	[CK_ATTENDANCE] = {"attendance", KS_FORM, KV_INT, KF_EMPTY_ABSENT, 1, 6,
	    1, 100000, NULL, "how many attended (the rates' denominator)"},
	[CK_PRIVACY_FR] = {"privacy_fr", KS_FORM, KV_TEXT, 0, 0, CK_TEXT, 0, 0,
	    NULL, "the privacy notice in French"},
	[CK_PRIVACY_EN] = {"privacy_en", KS_FORM, KV_TEXT, 0, 0, CK_TEXT, 0, 0,
	    NULL, "the privacy notice in English"},
	[CK_PRIVACY_AR] = {"privacy_ar", KS_FORM, KV_TEXT, 0, 0, CK_TEXT, 0, 0,
	    NULL, "the privacy notice in Arabic"},
	[CK_COLLAB_FR] = {"collab_title_fr", KS_FORM, KV_TEXT, 0, 0, CK_LABEL,
	    0, 0, NULL, "the dashboard's collaboration heading in French"},
	[CK_COLLAB_EN] = {"collab_title_en", KS_FORM, KV_TEXT, 0, 0, CK_LABEL,
	    0, 0, NULL, "the same in English"},
	[CK_COLLAB_AR] = {"collab_title_ar", KS_FORM, KV_TEXT, 0, 0, CK_LABEL,
	    0, 0, NULL, "the same in Arabic"},
	[CK_NOTE_FR] = {"contacts_note_fr", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0,
	    0, NULL, "the legal note beside the contacts, in French"},
	[CK_NOTE_EN] = {"contacts_note_en", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0,
	    0, NULL, "the same in English"},
	[CK_NOTE_AR] = {"contacts_note_ar", KS_FORM, KV_TEXT, 0, 0, CK_LABEL, 0,
	    0, NULL, "the same in Arabic"},
	[CK_OBJECTIVES_FR] = {"objectives_fr", KS_FORM, KV_TEXT, 0, 0, CK_TEXT,
	    0, 0, NULL, "the event's objectives in French, one per line"},
	[CK_OBJECTIVES_EN] = {"objectives_en", KS_FORM, KV_TEXT, 0, 0, CK_TEXT,
	    0, 0, NULL, "the same in English"},
	[CK_OBJECTIVES_AR] = {"objectives_ar", KS_FORM, KV_TEXT, 0, 0, CK_TEXT,
	    0, 0, NULL, "the same in Arabic"},
	[CK_DOUBLE_ENTRY] = {"double_entry", KS_FORM, KV_ENUM, 0, 0, 16, 0, 0,
	    v_bool, "1: each paper sheet typed twice"},
	[CK_INSTRUMENT] = {"instrument", KS_FORM, KV_ENUM, 0, 0, 16, 0, 0,
	    v_instrument, "the questionnaire whose window changes"},
	[CK_ACTION] = {"action", KS_FORM, KV_ENUM, KF_EMPTY_ABSENT, 0, 16, 0, 0,
	    v_action, "open or close the window now"},
	[CK_OPENS_AT] = {"opens_at", KS_FORM, KV_TEXT, KF_EMPTY_ABSENT, 0, 40, 0,
	    0, NULL, "ISO 8601; without an offset, the event's time zone"},
	[CK_CLOSES_AT] = {"closes_at", KS_FORM, KV_TEXT, KF_EMPTY_ABSENT, 0, 40,
	    0, 0, NULL, "the same for the closing time"},
};

static int is_slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* 1 when s[0..len) is a comma-separated list of slugs (1..64 bytes of
 * [a-z0-9-], no dash at either end); empty elements are allowed. */
static int valid_slugs(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 0;
		while (i + n < len && s[i + n] != ',') {
			if (!is_slug_char(s[i + n]))
				return 0;
			n++;
		}
		if (n > 64 || (n > 0 && (s[i] == '-' || s[i + n - 1] == '-')))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Digits only, within [min, max]; canonical: no leading zero. */
static int valid_int(const struct key_def *def, const char *s, size_t len,
    int canonical, long long *out)
{
	unsigned long long v = 0;

	if (len == 0 || len > 19 || (canonical && len > 1 && s[0] == '0'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (v > 0x7fffffffffffffffULL || (long long)v < def->min ||
	    (long long)v > def->max)
		return 0;
	*out = (long long)v;
	return 1;
}

void keys_validate(const struct key_def *def, const char *value, size_t len,
    struct kval *out)
{
	int ok = 0;

	memset(out, 0, sizeof(*out));
	out->raw = value;
	out->raw_len = len;
	out->state = KEY_INVALID;
	/* a NUL inside, or outside the length bounds: refused whatever the
	 * validator */
	if (strlen(value) != len || len < def->min_len || len > def->max_len)
		return;
	switch (def->validator) {
	case KV_TEXT:
		ok = utf8_valid(value, len) &&
		    !text_has_forbidden_control(value, len);
		out->str = value;
		break;
	case KV_BYTES:
		ok = 1;
		out->str = value;
		break;
	case KV_INT:
	case KV_ID:
		ok = valid_int(def, value, len, def->validator == KV_ID,
		    &out->n);
		out->str = value;
		break;
	case KV_ENUM:
		for (int i = 0; def->values && def->values[i]; i++)
			if (strcmp(value, def->values[i]) == 0) {
				out->n = i;
				out->str = def->values[i];
				ok = 1;
				break;
			}
		break;
	case KV_LANG:
		out->str = i18n_supported(value);
		ok = out->str != NULL;
		break;
	case KV_CODE:
		ok = code_normalize(value, len, out->norm) == 0;
		out->str = out->norm;
		break;
	case KV_SLUGS:
		ok = valid_slugs(value, len);
		out->str = value;
		break;
	case KV_SLUG:
		ok = len >= 1 && len <= 64 && valid_slugs(value, len) &&
		    memchr(value, ',', len) == NULL;
		out->str = value;
		break;
	case KV_FILE: /* filled by keys_parse_console (bytes, not text) */
		break;
	case KV_TOKEN:
		ok = 1;
		for (size_t i = 0; ok && i < len; i++) {
			char c = value[i];
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			    c == '.';
		}
		out->str = value;
		break;
	}
	if (ok)
		out->state = KEY_VALID;
	else {
		out->str = NULL;
		out->n = 0;
	}
}

static const struct kvlist *source_list(const struct req *r,
    enum key_source s)
{
	switch (s) {
	case KS_QUERY:
		return &r->query;
	case KS_FORM:
		return &r->form;
	case KS_COOKIE:
		return &r->cookies;
	}
	return &r->query;
}

void keys_parse(struct req *r, unsigned long long which)
{
	for (int k = 0; k < KEY__MAX; k++) {
		const struct key_def *def = &key_defs[k];
		const struct kvlist *l;

		if (!(which & KEY_BIT(k)))
			continue;
		memset(&r->in[k], 0, sizeof(r->in[k]));
		l = source_list(r, def->source);
		for (size_t i = 0; i < l->n; i++) {
			const struct kv *kv = &l->v[i];
			if (strcmp(kv->key, def->name) != 0)
				continue;
			if (kv->value_len == 0 && (def->flags & KF_EMPTY_ABSENT))
				break;
			keys_validate(def, kv->value, kv->value_len, &r->in[k]);
			break;
		}
	}
}

void keys_parse_console(const struct req *r, struct kval out[CK__MAX])
{
	memset(out, 0, sizeof(*out) * CK__MAX);
	if (r->route == NULL || !(r->route->families & KFAM_CONSOLE))
		return;
	for (int k = 0; k < CK__MAX; k++) {
		const struct key_def *def = &console_key_defs[k];

		for (size_t i = 0; i < r->form.n; i++) {
			const struct kv *kv = &r->form.v[i];

			if (strcmp(kv->key, def->name) != 0)
				continue;
			if (kv->value_len == 0 && (def->flags & KF_EMPTY_ABSENT))
				break;
			if (def->validator == KV_FILE) {
				/* any bytes; only a file part (a text field
				 * of that name is refused) */
				out[k].raw = kv->value;
				out[k].raw_len = kv->value_len;
				out[k].filename = kv->filename;
				out[k].str = kv->value;
				out[k].state = kv->filename &&
				    kv->value_len <= def->max_len ? KEY_VALID :
				    KEY_INVALID;
				if (kv->filename && kv->value_len == 0 &&
				    kv->filename[0] == '\0')
					out[k].state = KEY_ABSENT; /* no file */
				break;
			}
			keys_validate(def, kv->value, kv->value_len, &out[k]);
			break;
		}
	}
}

const struct kvlist *keys_family(const struct req *r, enum key_family f)
{
	static const struct kvlist empty;

	if (r->route == NULL || !(r->route->families & (unsigned)f))
		return &empty;
	return f == KFAM_ANSWERS ? &r->form : &r->query;
}
