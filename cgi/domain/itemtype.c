/* itemtype.c: the table of item types (see itemtype.h) and the checks of
 * one sent value. */
#include "itemtype.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

#define R(x) (1u << (x))

/* Parses a whole-string integer in [lo, hi] written as the option values
 * are ("3": no space, sign or leading zero, which strtol would let by), so
 * that the text stored and exported is the value itself. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end, canon[24];
	long v;

	if (*s == '\0' || strlen(s) > 12)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	snprintf(canon, sizeof(canon), "%ld", v);
	if (strcmp(canon, s) != 0)
		return -1;
	*out = v;
	return 0;
}

/* Parses a plain decimal number ("12", "-3.5", "1,5" with a comma). */
static int parse_number(const char *s, double *out)
{
	char tmp[QDEF_NUMBER_MAX + 1], *end;
	size_t n = strlen(s);
	double v;

	if (n == 0 || n > QDEF_NUMBER_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		      c == '.' || c == ','))
			return -1;
		tmp[i] = c == ',' ? '.' : c;
	}
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

const char *qdef_text_check(const char *s, size_t len, size_t max)
{
	if (!utf8_valid(s, len))
		return "error_invalid_utf8";
	if (text_has_forbidden_control(s, len))
		return "error_control_chars";
	if (utf8_length(s, len) > max)
		return "error_too_long";
	return NULL;
}

/* One of the item's options. */
static const char *check_choice(const struct qdef_item *it, const char *s,
				size_t len, struct qdef_value *out)
{
	(void)len;
	if (qdef_option_index(it, s) < 0)
		return "error_invalid_choice";
	out->text = s;
	return NULL;
}

/* A point of the type's scale, lo..hi. */
static const char *check_scale(const struct qdef_item *it, const char *s,
			       size_t len, struct qdef_value *out)
{
	const struct qdef_itype *ty = qdef_itype(it->type);
	long v;

	(void)len;
	if (ty == NULL || parse_int(s, ty->lo, ty->hi, &v) != 0)
		return "error_invalid_choice";
	out->text = s;
	out->has_num = true;
	out->num = (double)v;
	return NULL;
}

/* A number within the item's bounds, stored as "%.15g". */
static const char *check_number(const struct qdef_item *it, const char *s,
				size_t len, struct qdef_value *out)
{
	double v;

	(void)len;
	if (parse_number(s, &v) != 0)
		return "error_not_a_number";
	if ((it->has_min && v < it->min) || (it->has_max && v > it->max) ||
	    (it->integer && v != floor(v)))
		return "error_out_of_range";
	snprintf(out->norm, sizeof(out->norm), "%.15g", v);
	out->text = out->norm;
	out->has_num = true;
	out->num = v;
	return NULL;
}

/* A text of at most the item's max_length characters. */
static const char *check_text(const struct qdef_item *it, const char *s,
			      size_t len, struct qdef_value *out)
{
	const char *err = qdef_text_check(s, len, it->max_length);

	if (err == NULL)
		out->text = s;
	return err;
}

static const struct qdef_itype types[QDEF_TYPE__MAX] = {
    [QDEF_SINGLE] =
	{
	    .name = "single",
	    .fields = QDEF_F_OPTIONS | QDEF_F_OTHER | QDEF_F_CONSENT,
	    .roles = R(QDEF_ROLE_PROFILE) | R(QDEF_ROLE_COLLABORATION) |
		     R(QDEF_ROLE_DESCRIPTIVE) | R(QDEF_ROLE_OUTCOME),
	    .sent = QDEF_SENT_ONE,
	    .check = check_choice,
	},
    [QDEF_MULTI] =
	{
	    .name = "multi",
	    .fields = QDEF_F_OPTIONS | QDEF_F_OTHER | QDEF_F_EXCLUSIVE,
	    .roles = R(QDEF_ROLE_COLLABORATION) | R(QDEF_ROLE_DESCRIPTIVE) |
		     R(QDEF_ROLE_OUTCOME),
	    .sent = QDEF_SENT_MANY,
	    .check = check_choice,
	},
    [QDEF_LIKERT5] =
	{
	    .name = "likert5",
	    .fields = QDEF_F_SCALE | QDEF_F_RETRO,
	    .roles = R(QDEF_ROLE_KNOWLEDGE) | R(QDEF_ROLE_EVALUATION) |
		     R(QDEF_ROLE_DESCRIPTIVE),
	    .scale_labels = 5,
	    .lo = 1,
	    .hi = 5,
	    .nvalues = 5,
	    .numeric = true,
	    .sent = QDEF_SENT_ONE,
	    .check = check_scale,
	},
    [QDEF_RATING10] =
	{
	    .name = "rating10",
	    .fields = QDEF_F_SCALE | QDEF_F_RETRO,
	    .roles = R(QDEF_ROLE_KNOWLEDGE) | R(QDEF_ROLE_EVALUATION) |
		     R(QDEF_ROLE_NPS) | R(QDEF_ROLE_DESCRIPTIVE),
	    .scale_labels = 2,
	    .lo = 0,
	    .hi = 10,
	    .nvalues = 11,
	    .numeric = true,
	    .sent = QDEF_SENT_ONE,
	    .check = check_scale,
	},
    [QDEF_NUMBER] =
	{
	    .name = "number",
	    .fields = QDEF_F_MIN | QDEF_F_MAX | QDEF_F_INTEGER,
	    .roles = R(QDEF_ROLE_DESCRIPTIVE),
	    .numeric = true,
	    .sent = QDEF_SENT_ONE,
	    .check = check_number,
	},
    [QDEF_TEXT] =
	{
	    .name = "text",
	    .fields = QDEF_F_MAX_LENGTH | QDEF_F_PERSONAL | QDEF_F_REQUIRES,
	    .roles = R(QDEF_ROLE_COLLABORATION) | R(QDEF_ROLE_COMMENT) |
		     R(QDEF_ROLE_DESCRIPTIVE) | R(QDEF_ROLE_CONTACT),
	    .text_default = QDEF_TEXT_DEFAULT,
	    .text_limit = QDEF_TEXT_LIMIT,
	    .sent = QDEF_SENT_ONE,
	    .check = check_text,
	},
    [QDEF_LONGTEXT] =
	{
	    .name = "longtext",
	    .fields = QDEF_F_MAX_LENGTH | QDEF_F_PERSONAL | QDEF_F_REQUIRES,
	    .roles = R(QDEF_ROLE_COLLABORATION) | R(QDEF_ROLE_COMMENT) |
		     R(QDEF_ROLE_DESCRIPTIVE) | R(QDEF_ROLE_CONTACT),
	    .text_default = QDEF_LONGTEXT_DEFAULT,
	    .text_limit = QDEF_LONGTEXT_LIMIT,
	    .sent = QDEF_SENT_ONE,
	    .check = check_text,
	},
    [QDEF_RANK] =
	{
	    .name = "rank",
	    .fields = QDEF_F_OPTIONS | QDEF_F_TOP,
	    .roles = R(QDEF_ROLE_RANKING),
	    .sent = QDEF_SENT_RANKED,
	    .check = check_choice,
	},
    [QDEF_QUIZ] =
	{
	    .name = "quiz",
	    .fields = QDEF_F_OPTIONS | QDEF_F_CORRECT,
	    .roles = R(QDEF_ROLE_QUIZ),
	    .sent = QDEF_SENT_ONE,
	    .check = check_choice,
	},
};

const struct qdef_itype *qdef_itype(int t)
{
	if (t < 0 || t >= QDEF_TYPE__MAX)
		return NULL;
	return &types[t];
}
