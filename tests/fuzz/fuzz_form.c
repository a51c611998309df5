/* fuzz_form.c: libFuzzer target for the urlencoded body / query parser and
 * the UTF-8 checks run on every decoded value (cgi/core/form.c). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = {NULL, 0, 0, 0};
	const char *s = (const char *)data;

	if (form_parse_urlencoded(s, size, &l) != 0) {
		kvlist_free(&l);
		return 0;
	}
	assert(l.n <= FORM_MAX_PAIRS);
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *kv = &l.v[i];

		/* Decoding never grows a field. */
		assert(kv->value_len <= size);
		assert(kv->value[kv->value_len] == '\0');
		if (utf8_valid(kv->value, kv->value_len)) {
			(void)text_has_forbidden_control(kv->value,
			    kv->value_len);
			assert(utf8_length(kv->value, kv->value_len) <=
			    kv->value_len);
		}
		(void)utf8_valid(kv->key, strlen(kv->key));
		/* lookups are linear: only the first pairs, or the harness
		 * would spend its time in strcmp */
		if (i < 16) {
			/* kvlist_get() answers the first pair of that name,
			 * and NULL when its value holds a NUL byte */
			size_t j = 0;
			while (strcmp(l.v[j].key, kv->key) != 0)
				j++;
			assert(kvlist_get(&l, kv->key) ==
			    (strlen(l.v[j].value) == l.v[j].value_len
				    ? l.v[j].value
				    : NULL));
			assert(kvlist_count(&l, kv->key) >= 1);
		}
	}
	/* The parser appends: a second pass doubles the list (within limit). */
	if (l.n && l.n * 2 <= FORM_MAX_PAIRS && !l.truncated) {
		size_t n = l.n;
		if (form_parse_urlencoded(s, size, &l) == 0)
			assert(l.n == 2 * n);
	}
	kvlist_free(&l);
	return 0;
}
