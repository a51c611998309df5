/* fuzz_multipart.c: libFuzzer target for the multipart/form-data parser
 * (cgi/core/multipart.c). The first line of the input is the Content-Type
 * header (its boundary read by multipart_boundary), the rest the body. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	char ct[512], b[MULTIPART_BOUNDARY_MAX + 1], err[160];
	struct kvlist l = {NULL, 0, 0, 0};
	size_t clen = nl ? (size_t)(nl - s) : size, blen;
	const char *body = nl ? nl + 1 : s + size;
	size_t len = size - (size_t)(body - s);
	char *copy;
	int rc;

	if (clen >= sizeof(ct))
		clen = sizeof(ct) - 1;
	memcpy(ct, s, clen);
	ct[clen] = '\0';
	rc = multipart_boundary(ct, b, sizeof(b));
	if (rc != 1)
		snprintf(b, sizeof(b), "b");
	blen = strlen(b);
	assert(blen >= 1 && blen <= MULTIPART_BOUNDARY_MAX);
	/* an exact-size copy: a read past the body is caught by ASan */
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, body, len);
	rc = form_parse_multipart(copy, len, b, &l, err, sizeof(err));
	assert(rc == MULTIPART_OK || rc == MULTIPART_MALFORMED ||
	    rc == MULTIPART_NOMEM);
	if (rc == MULTIPART_MALFORMED)
		assert(err[0] != '\0' && strlen(err) < sizeof(err));
	assert(l.n <= FORM_MAX_PAIRS);
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *kv = &l.v[i];

		/* a part's content lies inside the body */
		assert(kv->value_len <= len);
		assert(kv->value[kv->value_len] == '\0');
		assert(strlen(kv->key) <= FORM_MAX_KEY);
		/* the delimiter never appears inside a part */
		if (kv->value_len > blen + 4) {
			char d[MULTIPART_BOUNDARY_MAX + 5];
			size_t dl = (size_t)snprintf(d, sizeof(d), "\r\n--%s", b);
			for (size_t j = 0; j + dl <= kv->value_len; j++)
				assert(memcmp(kv->value + j, d, dl) != 0);
		}
		if (kv->filename)
			assert(strlen(kv->filename) < 256);
	}
	kvlist_free(&l);
	free(copy);
	return 0;
}
