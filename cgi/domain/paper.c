/* paper.c: entry numbers and sheet keys (see paper.h). */
#include "paper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s without the spaces around it, into out (n bytes). */
static const char *trim(const char *s, size_t len, char *out, size_t n)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
			  s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* The option value of number s ("1".."noptions"), or s itself. */
static const char *option_of(const struct qdef_item *it, const char *s)
{
	char *end;
	long n;

	if (s[0] < '1' || s[0] > '9' || strlen(s) > 3)
		return s;
	n = strtol(s, &end, 10);
	if (*end || n < 1 || (size_t)n > it->noptions)
		return s;
	return it->options[n - 1].value;
}

size_t paper_option_number(const struct qdef_item *it, const char *value)
{
	for (size_t i = 0; value && i < it->noptions; i++)
		if (strcmp(it->options[i].value, value) == 0)
			return i + 1;
	return 0;
}

static int add(struct kvlist *out, const char *k, const char *v)
{
	return kvlist_add(out, k, strlen(k), v, strlen(v));
}

int paper_entry_to_form(const struct qdef_instrument *in,
    const struct kvlist *typed, struct kvlist *out)
{
	for (size_t i = 0; i < typed->n; i++) {
		const struct kv *kv = &typed->v[i];
		const struct qdef_item *it = qdef_item(in, kv->key);
		const char *dot = strchr(kv->key, '.');
		char val[256];
		int rank = 0;

		if (it == NULL && dot && strcmp(dot, ".other") != 0 &&
		    strcmp(dot, ".retro") != 0) {
			char key[QDEF_KEY_MAX + 1];
			size_t n = (size_t)(dot - kv->key);

			if (n < sizeof(key)) {
				memcpy(key, kv->key, n);
				key[n] = '\0';
				it = qdef_item(in, key);
				rank = it && it->type == QDEF_RANK;
			}
			if (!rank)
				it = NULL;
		}
		/* long or binary values go through as sent: answer_collect
		 * judges them */
		if (it == NULL || kv->value_len >= sizeof(val) ||
		    memchr(kv->value, '\0', kv->value_len)) {
			if (kvlist_add(out, kv->key, strlen(kv->key), kv->value,
				kv->value_len))
				return -1;
			continue;
		}
		switch (it->type) {
		case QDEF_SINGLE:
		case QDEF_QUIZ:
		case QDEF_RANK:
			trim(kv->value, kv->value_len, val, sizeof(val));
			if (add(out, kv->key, option_of(it, val)))
				return -1;
			break;
		case QDEF_MULTI: {
			char *save = NULL, *tok;

			trim(kv->value, kv->value_len, val, sizeof(val));
			if (val[0] == '\0' && add(out, kv->key, ""))
				return -1;
			for (tok = strtok_r(val, " ,;+\t", &save); tok;
			     tok = strtok_r(NULL, " ,;+\t", &save))
				if (add(out, kv->key, option_of(it, tok)))
					return -1;
			break;
		}
		case QDEF_LIKERT5:
		case QDEF_RATING10:
			trim(kv->value, kv->value_len, val, sizeof(val));
			if (add(out, kv->key, val))
				return -1;
			break;
		default:
			if (kvlist_add(out, kv->key, strlen(kv->key), kv->value,
				kv->value_len))
				return -1;
		}
	}
	return 0;
}

const char *paper_sheet_key(const char *typed_code, const char *typed_sheet,
    char key[PAPER_SHEET_KEY_MAX], char code[CODE_LEN + 1],
    const char **field)
{
	char num[PAPER_SHEET_DIGITS + 8];

	key[0] = '\0';
	code[0] = '\0';
	if (typed_code && *typed_code) {
		if (code_normalize(typed_code, strlen(typed_code), code) != 0) {
			code[0] = '\0';
			*field = "_code";
			return "error_unknown_code";
		}
		snprintf(key, PAPER_SHEET_KEY_MAX, "C:%s", code);
		return NULL;
	}
	if (typed_sheet && *typed_sheet) {
		const char *s;
		size_t n;

		trim(typed_sheet, strlen(typed_sheet), num, sizeof(num));
		for (s = num; *s == '0' && s[1]; s++)
			;
		n = strlen(s);
		if (n == 0 || n > PAPER_SHEET_DIGITS ||
		    strspn(s, "0123456789") != n || strcmp(s, "0") == 0 ||
		    strlen(typed_sheet) > PAPER_SHEET_DIGITS + 4) {
			*field = "_sheet";
			return "error_sheet_number";
		}
		snprintf(key, PAPER_SHEET_KEY_MAX, "N:%s", s);
	}
	return NULL;
}
