/* test_paper.c: what an operator types from a paper sheet becomes the web
 * form answer_collect() checks (cgi/domain/paper.c), and the key that
 * matches a sheet's two entries. On the bundled IMANOR 2017 definition. */
#include <json-c/json.h>
#include <string.h>

#include "answer.h"
#include "check.h"
#include "paper.h"
#include "qdef.h"

#define BUNDLED "schema/questionnaires/imanor-2017.json"

static void add(struct kvlist *l, const char *k, const char *v)
{
	CHECK(kvlist_add(l, k, strlen(k), v, strlen(v)) == 0);
}

/* The values sent for key in l, joined by '|'. */
static const char *joined(const struct kvlist *l, const char *key, char *out,
    size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0) {
			if (out[0])
				strncat(out, "|", n - strlen(out) - 1);
			strncat(out, l->v[i].value, n - strlen(out) - 1);
		}
	return out;
}

static void test_entry_to_form(const struct qdef *d)
{
	const struct qdef_instrument *pre = &d->instruments[QDEF_PRE];
	const struct qdef_instrument *post = &d->instruments[QDEF_POST];
	const struct qdef_item *org = qdef_item(pre, "org_type");
	const struct qdef_item *sec = qdef_item(pre, "sectors");
	struct kvlist typed = {0}, form = {0};
	char b[512], want[256];

	/* choices by their printed number, scales as typed, spaces dropped */
	add(&typed, "_code", "abcd-1234");
	add(&typed, "org_type", " 2 ");
	add(&typed, "org_type.other", " 3 ");
	add(&typed, "sectors", "1, 3 ;4+2");
	add(&typed, "know_iso", " 4");
	add(&typed, "experience_years", "99");
	add(&typed, "role", "chamber_staff");
	CHECK(paper_entry_to_form(pre, &typed, &form) == 0);
	CHECK_STR(joined(&form, "_code", b, sizeof(b)), "abcd-1234");
	CHECK_STR(joined(&form, "org_type", b, sizeof(b)), org->options[1].value);
	CHECK_STR(joined(&form, "org_type.other", b, sizeof(b)), " 3 ");
	snprintf(want, sizeof(want), "%s|%s|%s|%s", sec->options[0].value,
	    sec->options[2].value, sec->options[3].value, sec->options[1].value);
	CHECK_STR(joined(&form, "sectors", b, sizeof(b)), want);
	CHECK_STR(joined(&form, "know_iso", b, sizeof(b)), "4");
	/* out of range or not a number: through unchanged, for the checks */
	CHECK_STR(joined(&form, "experience_years", b, sizeof(b)), "99");
	CHECK_STR(joined(&form, "role", b, sizeof(b)), "chamber_staff");
	CHECK(paper_option_number(org, org->options[1].value) == 2);
	CHECK(paper_option_number(org, "nothing") == 0);
	kvlist_free(&form);
	kvlist_free(&typed);

	/* an empty multi stays absent; ranks by number; "0" is no option */
	add(&typed, "sectors", "");
	add(&typed, "org_type", "0");
	CHECK(paper_entry_to_form(pre, &typed, &form) == 0);
	CHECK_STR(joined(&form, "sectors", b, sizeof(b)), "");
	CHECK_STR(joined(&form, "org_type", b, sizeof(b)), "0");
	kvlist_free(&form);
	kvlist_free(&typed);
	for (size_t i = 0; i < post->nitems; i++) {
		const struct qdef_item *it = &post->items[i];
		char f[QDEF_FIELD_MAX + 8];

		if (it->type != QDEF_RANK)
			continue;
		snprintf(f, sizeof(f), "%s.1", it->key);
		add(&typed, f, "3");
		CHECK(paper_entry_to_form(post, &typed, &form) == 0);
		CHECK_STR(joined(&form, f, b, sizeof(b)), it->options[2].value);
		kvlist_free(&form);
		kvlist_free(&typed);
	}

	/* the whole path: a typed sheet passes answer_collect like the web
	 * form, and a wrong number is refused on its field */
	{
		struct answers a;
		add(&typed, "org_type", "9");
		add(&typed, "know_iso", "6");
		CHECK(paper_entry_to_form(pre, &typed, &form) == 0);
		CHECK(answer_collect(pre, &form, &a) == 1);
		CHECK(answer_error_for(&a, "org_type") != NULL);
		CHECK(answer_error_for(&a, "know_iso") != NULL);
		answers_free(&a);
		kvlist_free(&form);
		kvlist_free(&typed);
	}
}

static void test_sheet_key(void)
{
	char key[PAPER_SHEET_KEY_MAX], code[CODE_LEN + 1];
	const char *field = NULL;

	CHECK(paper_sheet_key("abcd-1234", "17", key, code, &field) == NULL);
	CHECK_STR(key, "C:ABCD1234");
	CHECK_STR(code, "ABCD1234");
	CHECK(paper_sheet_key("", "0017", key, code, &field) == NULL);
	CHECK_STR(key, "N:17");
	CHECK_STR(code, "");
	CHECK(paper_sheet_key(NULL, " 42 ", key, code, &field) == NULL);
	CHECK_STR(key, "N:42");
	CHECK(paper_sheet_key(NULL, NULL, key, code, &field) == NULL);
	CHECK_STR(key, "");
	field = NULL;
	CHECK_STR(paper_sheet_key("abc-12", NULL, key, code, &field),
	    "error_unknown_code");
	CHECK_STR(field, "_code");
	CHECK_STR(paper_sheet_key(NULL, "12a", key, code, &field),
	    "error_sheet_number");
	CHECK_STR(field, "_sheet");
	CHECK(paper_sheet_key(NULL, "0", key, code, &field) != NULL);
	CHECK(paper_sheet_key(NULL, "1234567890", key, code, &field) != NULL);
	CHECK(paper_sheet_key(NULL, "-3", key, code, &field) != NULL);
	CHECK(paper_sheet_key(NULL, "999999999", key, code, &field) == NULL);
	CHECK_STR(key, "N:999999999");
}

int main(void)
{
	struct qdef_errors e = {0, NULL};
	struct json_object *j = qdef_parse_file(BUNDLED, &e);
	struct qdef *d = NULL;

	CHECK(j != NULL && qdef_validate(j, &e) == 0);
	if (j && e.n == 0)
		d = qdef_build(j);
	CHECK(d != NULL);
	if (d)
		test_entry_to_form(d);
	test_sheet_key();
	qdef_free(d);
	json_object_put(j);
	qdef_errors_free(&e);
	return check_done("test_paper");
}
