/* fuzz_lang.c: libFuzzer target for language negotiation (i18n_negotiate:
 * ?lang=, the cookie and the Accept-Language header, cgi/i18n.c). The
 * input is split at the first two newlines into query, cookie and header;
 * with fewer newlines the whole input is the header. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ours(const char *l)
{
	return l == i18n_langs[0] || l == i18n_langs[1] || l == i18n_langs[2];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *q = NULL, *c = NULL, *h, *nl;
	const char *l;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	h = s;
	if ((nl = memchr(s, '\n', size)) != NULL) {
		char *nl2 = memchr(nl + 1, '\n', size - (size_t)(nl + 1 - s));
		if (nl2 != NULL) {
			*nl = *nl2 = '\0';
			q = s;
			c = nl + 1;
			h = nl2 + 1;
		}
	}
	/* The header alone, then everything together. */
	l = i18n_negotiate(NULL, NULL, h);
	assert(ours(l));
	l = i18n_negotiate(q, c, h);
	assert(ours(l));
	l = i18n_supported(h);
	assert(l == NULL || ours(l));
	assert(strcmp(i18n_dir(l), "rtl") == 0 || strcmp(i18n_dir(l), "ltr") == 0);
	free(s);
	return 0;
}
