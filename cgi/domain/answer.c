/* answer.c: strict validation of submitted answers (see answer.h). */
#include "answer.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "itemtype.h"

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

/* 1 when the option "other" of it was chosen (in any rank of a ranking). */
static int other_chosen(const struct qdef_item *it, const struct kvlist *form)
{
	size_t n = strlen(it->key);
	int ranked = qdef_itype(it->type)->sent == QDEF_SENT_RANKED;

	for (size_t i = 0; i < form->n; i++) {
		const char *k = form->v[i].key;

		if (strncmp(k, it->key, n) != 0 ||
		    strcmp(form->v[i].value, "other") != 0)
			continue;
		if (k[n] == '\0' && !ranked)
			return 1;
		if (k[n] == '.' && ranked &&
		    strcmp(k + n + 1, "other") != 0)
			return 1;
	}
	return 0;
}

/* Adds the row of a checked value v of field (rank > 0: its rank). */
static int add_value(struct answers *a, const char *field,
    const struct qdef_value *v, int rank)
{
	return add_row(a, field, v->text, v->has_num ? &v->num : NULL, rank);
}

/* At most one value sent (s) for an item it: NULL, with out->text NULL
 * when none was sent, or the error key. */
static const char *check_one(const struct qdef_item *it, const struct sent *s,
    struct qdef_value *out)
{
	memset(out, 0, sizeof(*out));
	if (s->n > 1)
		return "error_too_many_selected";
	if (s->n == 0)
		return NULL;
	return qdef_itype(it->type)->check(it, s->v[0]->value,
	    s->v[0]->value_len, out);
}

/* One value under "<key>": a row, or a contact for personal data. Returns
 * 0 or -1 (memory); *err set when the value is invalid. */
static int collect_one(const struct qdef_item *it, const struct sent *s,
    struct answers *a, const char **err)
{
	struct qdef_value v;

	if ((*err = check_one(it, s, &v)) != NULL || v.text == NULL)
		return 0;
	if (it->personal)
		return json_object_object_add(a->contacts, it->key,
		    json_object_new_string(v.text)) != 0 ? -1 : 0;
	return add_value(a, it->key, &v, 0);
}

/* Distinct values under "<key>"; an exclusive option stands alone.
 * Returns 0 or -1 (memory); *err set when the answer is invalid. */
static int collect_many(const struct qdef_item *it, const struct sent *s,
    struct answers *a, const char **err)
{
	struct qdef_value v[sizeof(s->v) / sizeof(s->v[0])];
	int exclusive = 0;

	*err = s->overflow ? "error_too_many_selected" : NULL;
	for (size_t i = 0; !*err && i < s->n; i++) {
		int k;

		memset(&v[i], 0, sizeof(v[i]));
		*err = qdef_itype(it->type)->check(it, s->v[i]->value,
		    s->v[i]->value_len, &v[i]);
		if (*err)
			break;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->v[j]->value, s->v[i]->value) == 0)
				*err = "error_invalid_choice";
		k = qdef_option_index(it, s->v[i]->value);
		if (k >= 0 && it->options[k].exclusive)
			exclusive = 1;
	}
	if (!*err && exclusive && s->n > 1)
		*err = "error_invalid_choice";
	for (size_t i = 0; !*err && i < s->n; i++)
		if (add_value(a, it->key, &v[i], 0) != 0)
			return -1;
	return 0;
}

/* One value under each "<key>.<rank>", ranks 1..top filled without a gap
 * and without repeating a value. Errors go to the rank's field. Returns 0
 * or -1 (memory). */
static int collect_ranked(const struct qdef_item *it,
    const struct kvlist *form, struct answers *a)
{
	const char *chosen[QDEF_MAX_OPTIONS];
	char field[QDEF_FIELD_MAX + 8];
	size_t filled = 0, gap = 0;

	for (size_t r = 1; r <= it->top && r <= QDEF_MAX_OPTIONS; r++) {
		struct qdef_value v;
		const char *err = NULL;
		struct sent rs;

		snprintf(field, sizeof(field), "%s.%zu", it->key, r);
		gather(form, field, &rs);
		if (keep(a, field, &rs, 0) != 0)
			return -1;
		if (rs.n == 0) {
			gap = gap ? gap : r;
			continue;
		}
		memset(&v, 0, sizeof(v));
		if (rs.n > 1)
			err = "error_invalid_choice";
		else
			err = qdef_itype(it->type)->check(it, rs.v[0]->value,
			    rs.v[0]->value_len, &v);
		if (!err && gap)
			err = "error_rank_gap";
		for (size_t j = 0; !err && j < filled; j++)
			if (strcmp(chosen[j], rs.v[0]->value) == 0)
				err = "error_rank_duplicate";
		if (err) {
			if (add_error(a, field, err) != 0)
				return -1;
			continue;
		}
		chosen[filled++] = rs.v[0]->value;
		if (add_value(a, it->key, &v, (int)r) != 0)
			return -1;
	}
	snprintf(field, sizeof(field), "%s.1", it->key);
	if (it->required && !a->blank_ok && filled == 0 &&
	    !answer_error_for(a, field) &&
	    add_error(a, field, "error_required") != 0)
		return -1;
	return 0;
}

/* A field "<key>.<suffix>" beside the item holding at most one value:
 * the retrospective rating (checked as the item is) or the "other, please
 * specify" text (checked as a text). Returns 0 or -1 (memory). */
static int collect_beside(const struct qdef_item *it,
    const struct kvlist *form, struct answers *a, const char *suffix,
    int other)
{
	char field[QDEF_FIELD_MAX + 8];
	struct qdef_value v;
	const char *err;
	struct sent s;

	snprintf(field, sizeof(field), "%s.%s", it->key, suffix);
	gather(form, field, &s);
	if (keep(a, field, &s, 0) != 0)
		return -1;
	if (!other)
		err = check_one(it, &s, &v);
	else if (s.n > 1)
		err = "error_too_many_selected";
	else if (s.n == 1 && !other_chosen(it, form))
		/* a text for "other" stands only beside that choice */
		err = "error_other_not_chosen";
	else {
		memset(&v, 0, sizeof(v));
		err = NULL;
		if (s.n == 1 && (err = qdef_text_check(s.v[0]->value,
				     s.v[0]->value_len, QDEF_OTHER_MAX)) == NULL)
			v.text = s.v[0]->value;
	}
	if (err)
		return add_error(a, field, err);
	if (v.text && add_value(a, field, &v, 0) != 0)
		return -1;
	return 0;
}

/* Checks the answer to one item as its type's row says (itemtype.c). */
static int check_item(const struct qdef_instrument *in,
    const struct qdef_item *it, const struct kvlist *form, struct answers *a)
{
	const struct qdef_itype *ty = qdef_itype(it->type);
	const char *err = NULL;
	struct sent s;
	int rc;

	if (ty == NULL)
		return 0;
	gather(form, it->key, &s);
	if (keep(a, it->key, &s, ty->sent == QDEF_SENT_MANY) != 0)
		return -1;
	switch (ty->sent) {
	case QDEF_SENT_RANKED:
		return collect_ranked(it, form, a);
	case QDEF_SENT_MANY:
		rc = collect_many(it, &s, a, &err);
		break;
	case QDEF_SENT_ONE:
	default:
		rc = collect_one(it, &s, a, &err);
		break;
	}
	if (rc != 0)
		return -1;
	/* the retrospective "before the workshop" rating */
	if (it->retro && in->kind == QDEF_POST &&
	    collect_beside(it, form, a, "retro", 0) != 0)
		return -1;
	if (!err && it->required && !a->blank_ok && s.n == 0)
		err = "error_required";
	if (err && add_error(a, it->key, err) != 0)
		return -1;
	/* the "other, please specify" text */
	if (it->other && collect_beside(it, form, a, "other", 1) != 0)
		return -1;
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
	return answer_collect_as(in, form, ANSWER_AS_WEB, out);
}

int answer_collect_as(const struct qdef_instrument *in,
    const struct kvlist *form, enum answer_as as, struct answers *out)
{
	memset(out, 0, sizeof(*out));
	out->blank_ok = as == ANSWER_AS_PAPER;
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
