/* fuzz_answer.c: libFuzzer target for answer validation: an arbitrary
 * urlencoded body through form_parse_urlencoded() and answer_collect()
 * against the instruments of the bundled definition (cgi/domain/answer.c). The
 * first byte picks the instrument (even: pre, odd: post). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "answer.h"
#include "form.h"
#include "qdef.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif
#define BUNDLED FUZZ_ROOT "/schema/questionnaires/imanor-2017.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct qdef *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct qdef_errors errs = {0, NULL};
	struct json_object *def;

	(void)argc;
	(void)argv;
	def = qdef_parse_file(BUNDLED, &errs);
	if (def == NULL || qdef_validate(def, &errs) != 0 ||
	    (model = qdef_build(def)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		fprintf(stderr, "fuzz_answer: cannot load %s\n", BUNDLED);
		abort();
	}
	qdef_errors_free(&errs);
	json_object_put(def); /* the model holds its own reference */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct qdef_instrument *in;
	struct kvlist form = {NULL, 0, 0, 0};
	struct answers a;
	int rc;

	if (size == 0)
		return 0;
	in = &model->instruments[data[0] & 1 ? QDEF_POST : QDEF_PRE];
	if (!in->present)
		return 0;
	if (form_parse_urlencoded((const char *)data + 1, size - 1, &form) !=
	    0) {
		kvlist_free(&form);
		return 0;
	}
	rc = answer_collect(in, &form, &a);
	assert(rc >= -1 && rc <= 1);
	if (rc == 0)
		assert(a.nerrors == 0);
	if (rc == 1) {
		assert(a.nerrors > 0);
		for (size_t i = 0; i < a.nerrors; i++) {
			assert(a.errors[i].msg != NULL);
			assert(answer_error_for(&a, a.errors[i].field) != NULL);
		}
	}
	if (rc >= 0)
		assert(json_object_is_type(a.values, json_type_object) &&
		    json_object_is_type(a.rows, json_type_array) &&
		    json_object_is_type(a.contacts, json_type_object));
	answers_free(&a);
	kvlist_free(&form);
	return 0;
}
