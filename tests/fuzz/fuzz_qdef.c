/* fuzz_qdef.c: libFuzzer target for the questionnaire loader: the input is
 * parsed as JSON the way qdef_parse_file() does (strict, UTF-8 checked),
 * then run through qdef_validate() and, when valid, qdef_build() and every
 * model lookup (cgi/domain/qdef.c). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "qdef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_model(const struct qdef *d)
{
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const struct qdef_instrument *in = &d->instruments[k];

		assert(qdef_instrument(d, qdef_kind_name(in->kind)) ==
		    (in->present ? in : NULL));
		if (!in->present)
			continue;
		(void)qdef_text(d, in->title, QDEF_LANG_AR);
		for (size_t s = 0; s < in->nsections; s++) {
			assert(in->sections[s].first + in->sections[s].count <=
			    in->nitems);
			(void)qdef_text(d, in->sections[s].title, QDEF_LANG_EN);
		}
		for (size_t i = 0; i < in->nitems; i++) {
			const struct qdef_item *it = &in->items[i];

			assert(qdef_item(in, it->key) == it);
			assert(it->section < in->nsections);
			assert(it->type < QDEF_TYPE__MAX);
			assert(it->role < QDEF_ROLE__MAX);
			assert(qdef_type_from_name(qdef_type_name(it->type)) ==
			    (int)it->type);
			(void)qdef_item_nvalues(it);
			for (int l = 0; l < QDEF_LANG__MAX; l++)
				(void)strlen(qdef_text(d, it->label,
				    (enum qdef_lang)l));
			for (size_t o = 0; o < it->noptions; o++)
				assert(qdef_option_index(it,
				    it->options[o].value) == (int)o);
			assert(it->correct < (int)it->noptions);
			assert(it->requires < (int)in->nitems);
			assert(it->twin < (int)d->instruments[!k].nitems);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok;
	struct json_object *def;
	struct qdef_errors errs = {0, NULL};
	struct qdef *d;

	if (size > 1 << 20)
		return 0;
	if ((tok = json_tokener_new()) == NULL)
		return 0;
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	def = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (def == NULL)
		return 0;
	if (qdef_validate(def, &errs) == 0) {
		assert(errs.n == 0);
		d = qdef_build(def);
		if (d != NULL) {
			walk_model(d);
			qdef_free(d);
		}
	} else {
		/* Every error is reported with its path; an invalid definition
		 * never builds. */
		assert(errs.n > 0);
		for (size_t i = 0; i < errs.n; i++)
			assert(errs.msg[i][0] == '$' || errs.msg[i][0] != '\0');
		assert(qdef_build(def) == NULL);
	}
	qdef_errors_free(&errs);
	json_object_put(def);
	return 0;
}
