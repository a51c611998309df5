/* answer.c: strict validation of submitted answers (see answer.h). */
#include "answer.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Copies s with every invalid UTF-8 sequence and NUL replaced by U+FFFD, so
 * that what was sent can be shown again. Caller frees. */
static char *utf8_repair(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < len) {
		size_t n = 1;
		unsigned char c = (unsigned char)s[i];

		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4;
		if (c != 0 && i + n <= len && utf8_valid(s + i, n))
			buf_append(&b, s + i, n);
		else {
			buf_puts(&b, "\xEF\xBF\xBD");
			n = 1;
		}
		i += n;
	}
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int add_error(struct answers *a, const char *field, const char *msg)
{
	struct answer_error *e;

	if (answer_error_for(a, field))
		return 0; /* the first problem of a field is the one shown */
	e = realloc(a->errors, (a->nerrors + 1) * sizeof(*e));
	if (e == NULL)
		return -1;
	a->errors = e;
	snprintf(e[a->nerrors].field, sizeof(e[a->nerrors].field), "%s", field);
	e[a->nerrors].msg = msg;
	a->nerrors++;
	return 0;
}

int answer_collect_error(struct answers *a, const char *field,
    const char *msg)
{
	return add_error(a, field, msg);
}

const char *answer_error_for(const struct answers *a, const char *field)
{
	for (size_t i = 0; i < a->nerrors; i++)
		if (strcmp(a->errors[i].field, field) == 0)
			return a->errors[i].msg;
	return NULL;
}

void answers_free(struct answers *a)
{
	json_object_put(a->values);
	json_object_put(a->rows);
	json_object_put(a->contacts);
	free(a->errors);
	memset(a, 0, sizeof(*a));
}

/* The values sent for field (0, 1 or more), in order. */
struct sent {
	const struct kv *v[QDEF_MAX_OPTIONS + 1];
	size_t n;
	int overflow;
};

static void gather(const struct kvlist *form, const char *field,
    struct sent *s)
{
	s->n = 0;
	s->overflow = 0;
	for (size_t i = 0; i < form->n; i++) {
		if (strcmp(form->v[i].key, field) != 0)
			continue;
		/* an empty text box or an unselected <select> sends "": absent */
		if (form->v[i].value_len == 0)
			continue;
		if (s->n < sizeof(s->v) / sizeof(s->v[0]))
			s->v[s->n++] = &form->v[i];
		else
			s->overflow = 1;
	}
}

/* Records the values of field in a->values (string, or array for multi).
 * Returns 0 or -1 (memory). */
static int keep(struct answers *a, const char *field, const struct sent *s,
    int as_array)
{
	struct json_object *v = NULL;

	if (s->n == 0)
		return 0;
	if (as_array && (v = json_object_new_array()) == NULL)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		char *txt = utf8_repair(s->v[i]->value, s->v[i]->value_len);
		struct json_object *str;

		if (txt == NULL || (str = json_object_new_string(txt)) == NULL) {
			free(txt);
			json_object_put(v);
			return -1;
		}
		free(txt);
		if (!as_array) {
			v = str;
			break;
		}
		if (json_object_array_add(v, str) != 0) {
			json_object_put(str);
			json_object_put(v);
			return -1;
		}
	}
	return json_object_object_add(a->values, field, v);
}

static int add_row(struct answers *a, const char *item, const char *value,
    const double *num, int rank)
{
	struct json_object *r = json_object_new_object();

	if (r == NULL)
		return -1;
	if (json_object_object_add(r, "item", json_object_new_string(item)) ||
	    json_object_object_add(r, "value", json_object_new_string(value)) ||
	    (num && json_object_object_add(r, "num",
			json_object_new_double(*num))) ||
	    (rank > 0 && json_object_object_add(r, "rank",
			     json_object_new_int(rank))) ||
	    json_object_array_add(a->rows, r) != 0) {
		json_object_put(r);
		return -1;
	}
	return 0;
}

/* Checks a text value: UTF-8, control characters, length in code points. */
static const char *check_text(const struct kv *v, size_t max)
{
	if (!utf8_valid(v->value, v->value_len))
		return "error_invalid_utf8";
	if (text_has_forbidden_control(v->value, v->value_len))
		return "error_control_chars";
	if (utf8_length(v->value, v->value_len) > max)
		return "error_too_long";
	return NULL;
}

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

/* 1 when the option "other" of it was chosen (in any rank of a ranking). */
static int other_chosen(const struct qdef_item *it, const struct kvlist *form)
{
	size_t n = strlen(it->key);

	for (size_t i = 0; i < form->n; i++) {
		const char *k = form->v[i].key;

		if (strncmp(k, it->key, n) != 0 ||
		    strcmp(form->v[i].value, "other") != 0)
			continue;
		if (k[n] == '\0' && it->type != QDEF_RANK)
			return 1;
		if (k[n] == '.' && it->type == QDEF_RANK &&
		    strcmp(k + n + 1, "other") != 0)
			return 1;
	}
	return 0;
}

static int check_item(const struct qdef_instrument *in,
    const struct qdef_item *it, const struct kvlist *form, struct answers *a)
{
	char field[QDEF_FIELD_MAX + 8];
	struct sent s;
	const char *err = NULL;
	long iv;
	double dv;

	gather(form, it->key, &s);
	if (keep(a, it->key, &s, it->type == QDEF_MULTI) != 0)
		return -1;
	switch (it->type) {
	case QDEF_SINGLE:
	case QDEF_QUIZ:
		if (s.n > 1)
			err = "error_too_many_selected";
		else if (s.n == 1 && qdef_option_index(it, s.v[0]->value) < 0)
			err = "error_invalid_choice";
		else if (s.n == 1 && !it->personal &&
		    add_row(a, it->key, s.v[0]->value, NULL, 0) != 0)
			return -1;
		break;
	case QDEF_MULTI: {
		int exclusive = 0;
		if (s.overflow)
			err = "error_too_many_selected";
		for (size_t i = 0; !err && i < s.n; i++) {
			int k = qdef_option_index(it, s.v[i]->value);
			if (k < 0) {
				err = "error_invalid_choice";
				break;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(s.v[j]->value, s.v[i]->value) == 0)
					err = "error_invalid_choice";
			if (it->options[k].exclusive)
				exclusive = 1;
		}
		if (!err && exclusive && s.n > 1)
			err = "error_invalid_choice";
		for (size_t i = 0; !err && i < s.n; i++)
			if (add_row(a, it->key, s.v[i]->value, NULL, 0) != 0)
				return -1;
		break;
	}
	case QDEF_LIKERT5:
	case QDEF_RATING10: {
		long lo = it->type == QDEF_LIKERT5 ? 1 : 0;
		long hi = it->type == QDEF_LIKERT5 ? 5 : 10;
		if (s.n > 1)
			err = "error_too_many_selected";
		else if (s.n == 1 &&
		    parse_int(s.v[0]->value, lo, hi, &iv) != 0)
			err = "error_invalid_choice";
		else if (s.n == 1) {
			dv = (double)iv;
			if (add_row(a, it->key, s.v[0]->value, &dv, 0) != 0)
				return -1;
		}
		/* the retrospective "before the workshop" rating */
		if (it->retro && in->kind == QDEF_POST) {
			struct sent r;
			snprintf(field, sizeof(field), "%s.retro", it->key);
			gather(form, field, &r);
			if (keep(a, field, &r, 0) != 0)
				return -1;
			if (r.n > 1)
				add_error(a, field, "error_too_many_selected");
			else if (r.n == 1 &&
			    parse_int(r.v[0]->value, lo, hi, &iv) != 0)
				add_error(a, field, "error_invalid_choice");
			else if (r.n == 1) {
				dv = (double)iv;
				if (add_row(a, field, r.v[0]->value, &dv, 0))
					return -1;
			}
		}
		break;
	}
	case QDEF_NUMBER:
		if (s.n > 1)
			err = "error_too_many_selected";
		else if (s.n == 1 && parse_number(s.v[0]->value, &dv) != 0)
			err = "error_not_a_number";
		else if (s.n == 1 &&
		    ((it->has_min && dv < it->min) ||
			(it->has_max && dv > it->max) ||
			(it->integer && dv != floor(dv))))
			err = "error_out_of_range";
		else if (s.n == 1) {
			char norm[40];
			snprintf(norm, sizeof(norm), "%.15g", dv);
			if (add_row(a, it->key, norm, &dv, 0) != 0)
				return -1;
		}
		break;
	case QDEF_TEXT:
	case QDEF_LONGTEXT:
		if (s.n > 1)
			err = "error_too_many_selected";
		else if (s.n == 1)
			err = check_text(s.v[0], it->max_length);
		if (!err && s.n == 1) {
			if (it->personal) {
				if (json_object_object_add(a->contacts, it->key,
					json_object_new_string(s.v[0]->value)))
					return -1;
			} else if (add_row(a, it->key, s.v[0]->value, NULL, 0))
				return -1;
		}
		break;
	case QDEF_RANK: {
		const char *chosen[QDEF_MAX_OPTIONS];
		size_t filled = 0, gap = 0;

		for (size_t r = 1; r <= it->top; r++) {
			struct sent rs;
			snprintf(field, sizeof(field), "%s.%zu", it->key, r);
			gather(form, field, &rs);
			if (keep(a, field, &rs, 0) != 0)
				return -1;
			if (rs.n == 0) {
				gap = gap ? gap : r;
				continue;
			}
			if (rs.n > 1 ||
			    qdef_option_index(it, rs.v[0]->value) < 0) {
				add_error(a, field, "error_invalid_choice");
				continue;
			}
			if (gap) {
				add_error(a, field, "error_rank_gap");
				continue;
			}
			for (size_t j = 0; j < filled; j++)
				if (strcmp(chosen[j], rs.v[0]->value) == 0) {
					add_error(a, field,
					    "error_rank_duplicate");
					break;
				}
			if (answer_error_for(a, field))
				continue;
			chosen[filled++] = rs.v[0]->value;
			if (add_row(a, it->key, rs.v[0]->value, NULL, (int)r))
				return -1;
		}
		snprintf(field, sizeof(field), "%s.1", it->key);
		if (it->required && filled == 0 && !answer_error_for(a, field))
			add_error(a, field, "error_required");
		return 0;
	}
	default:
		break;
	}
	if (!err && it->required && s.n == 0)
		err = "error_required";
	if (err && add_error(a, it->key, err) != 0)
		return -1;

	/* the "other, please specify" text */
	if (it->other) {
		struct sent o;
		snprintf(field, sizeof(field), "%s.other", it->key);
		gather(form, field, &o);
		if (keep(a, field, &o, 0) != 0)
			return -1;
		if (o.n > 1)
			add_error(a, field, "error_too_many_selected");
		else if (o.n == 1 && !other_chosen(it, form)) {
			/* a text for "other" stands only beside that choice */
			if (add_error(a, field, "error_other_not_chosen") != 0)
				return -1;
		} else if (o.n == 1) {
			const char *e = check_text(o.v[0], QDEF_OTHER_MAX);
			if (e)
				add_error(a, field, e);
			else if (add_row(a, field, o.v[0]->value, NULL, 0))
				return -1;
		}
	}
	return 0;
}

/* Personal data needs the consent item it names answered "yes". */
static int check_consent(const struct qdef_instrument *in, struct answers *a)
{
	for (size_t i = 0; i < in->nitems; i++) {
		const struct qdef_item *it = &in->items[i], *c;
		struct json_object *v;

		if (!it->personal || it->requires < 0 ||
		    !json_object_object_get_ex(a->contacts, it->key, NULL))
			continue;
		c = &in->items[it->requires];
		if (!json_object_object_get_ex(a->values, c->key, &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), "yes") != 0) {
			if (add_error(a, it->key, "error_consent_needed") != 0)
				return -1;
		}
	}
	return 0;
}

int answer_collect(const struct qdef_instrument *in, const struct kvlist *form,
    struct answers *out)
{
	memset(out, 0, sizeof(*out));
	out->values = json_object_new_object();
	out->rows = json_object_new_array();
	out->contacts = json_object_new_object();
	if (!out->values || !out->rows || !out->contacts)
		return -1;
	for (size_t i = 0; i < in->nitems; i++)
		if (check_item(in, &in->items[i], form, out) != 0)
			return -1;
	if (check_consent(in, out) != 0)
		return -1;
	return out->nerrors ? 1 : 0;
}

struct json_object *answer_stored(const struct qdef_instrument *in,
    const struct answers *a)
{
	struct json_object *out = json_object_new_object();

	if (out == NULL)
		return NULL;
	json_object_object_foreach(a->values, field, v)
	{
		int personal = 0;

		for (size_t i = 0; i < in->nitems && !personal; i++) {
			const struct qdef_item *it = &in->items[i];
			size_t n = strlen(it->key);

			personal = it->personal && strncmp(field, it->key, n) == 0 &&
			    (field[n] == '\0' || field[n] == '.');
		}
		if (personal)
			continue;
		if (json_object_object_add(out, field, json_object_get(v)) != 0) {
			json_object_put(v);
			json_object_put(out);
			return NULL;
		}
	}
	return out;
}
