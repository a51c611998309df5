/* fuzz_cookie.c: libFuzzer target for the Cookie header parser
 * (form_parse_cookies in cgi/core/form.c). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = {NULL, 0, 0, 0};
	char *s;

	/* A header value is a C string: exactly size bytes, NUL-terminated,
	 * so that ASan sees any read past the end. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (form_parse_cookies(s, &l) == 0) {
		assert(l.n <= COOKIE_MAX_PAIRS);
		for (size_t i = 0; i < l.n; i++) {
			assert(l.v[i].key[0] != '\0');
			assert(strlen(l.v[i].key) <= size);
			assert(l.v[i].value_len <= size);
		}
	}
	kvlist_free(&l);
	free(s);
	return 0;
}
