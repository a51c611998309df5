/* fuzz_keys.c: libFuzzer target for the declared inputs' validators
 * (keys_validate in cgi/web/keys.c): the first byte picks the key, the rest
 * is the value, which may hold NUL bytes. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct key_def *def;
	struct kval v;
	char *s;

	if (size < 1)
		return 0;
	def = &key_defs[data[0] % KEY__MAX];
	/* exactly size - 1 bytes and a NUL, so that ASan sees any overread */
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	keys_validate(def, s, size - 1, &v);
	assert(v.raw == s && v.raw_len == size - 1);
	if (v.state == KEY_VALID) {
		/* valid values are within their bounds and hold no NUL */
		assert(v.str != NULL);
		assert(strlen(s) == size - 1);
		assert(size - 1 >= def->min_len && size - 1 <= def->max_len);
		if (def->validator == KV_INT || def->validator == KV_ID)
			assert(v.n >= def->min && v.n <= def->max);
	} else {
		assert(v.state == KEY_INVALID && v.str == NULL);
	}
	free(s);
	return 0;
}
