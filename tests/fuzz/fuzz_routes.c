/* fuzz_routes.c: libFuzzer target for the router: route_find over the real
 * route table (cgi/web/routes.c) with an arbitrary method and path. The first
 * byte picks the method (and the size of the Allow buffer); the rest,
 * NUL-terminated, is the path. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qdef.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t allow_sizes[] = {64, 1, 2, 8, 16};
	struct req r;
	const struct route *rt;
	char *allow;
	size_t allowlen;
	int status = 0;

	if (size == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	r.method = (enum http_method)(data[0] % M__MAX);
	r.instrument = -1;
	allowlen = allow_sizes[(data[0] / M__MAX) % 5];
	if ((r.path = malloc(size)) == NULL)
		return 0;
	memcpy(r.path, data + 1, size - 1);
	r.path[size - 1] = '\0';
	/* Exactly allowlen bytes so that ASan catches an overrun. */
	if ((allow = malloc(allowlen)) == NULL) {
		free(r.path);
		return 0;
	}
	memset(allow, 'x', allowlen);
	rt = route_find(routes, routes_len, &r, &status, allow, allowlen);
	if (rt != NULL) {
		assert(rt >= routes && rt < routes + routes_len);
		assert(r.route == rt);
		assert(strnlen(r.slug, sizeof(r.slug)) < sizeof(r.slug));
		/* none, or pre, post, followup */
		assert(r.instrument >= -1 && r.instrument < QDEF_KIND__MAX);
	} else {
		assert(status == 404 || status == 405);
		if (status == 405)
			assert(memchr(allow, '\0', allowlen) != NULL);
	}
	free(allow);
	free(r.path);
	return 0;
}
