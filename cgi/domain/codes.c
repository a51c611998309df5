/* codes.c: pre-issued participant codes (see codes.h). */
#include "codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "token.h"

void codes_free(char **codes, int n)
{
	for (int i = 0; codes && i < n; i++)
		free(codes[i]);
	free(codes);
}

/* Collects the codes the store inserted. */
struct made {
	char **codes;
	int n, want;
};

static int code_inserted(void *ctx, const char *code)
{
	struct made *m = ctx;

	if (m->n >= m->want)
		return 0;
	if ((m->codes[m->n] = strdup(code)) == NULL)
		return -1;
	m->n++;
	return 0;
}

int codes_generate(struct db *db, long event_id, int n, char ***out)
{
	struct made m = {calloc((size_t)n, sizeof(char *)), 0, n};
	char **draw = calloc((size_t)n, sizeof(char *));
	char *drawn = malloc((size_t)n * (CODE_LEN + 1));
	enum store_rc rc;
	int status = 500;

	*out = NULL;
	if (m.codes == NULL || draw == NULL || drawn == NULL)
		goto out;
	/* a draw that collides with an existing code is dropped by the
	 * statement and drawn again in the next round */
	for (int round = 0; m.n < n && round < 8; round++) {
		int k = n - m.n;

		for (int i = 0; i < k; i++) {
			draw[i] = drawn + (size_t)i * (CODE_LEN + 1);
			code_generate(draw[i]);
		}
		rc = store_codes_add(db, event_id, draw, k, code_inserted, &m);
		if (rc == STORE_DOWN) {
			status = 503;
			goto out;
		}
		if (rc == STORE_NONE) {
			status = 404;
			goto out;
		}
		if (rc != STORE_OK) {
			log_msg(NULL, "codes: %s", store_error(db));
			goto out;
		}
	}
	if (m.n < n)
		goto out;
	*out = m.codes;
	m.codes = NULL;
	status = 0;
out:
	free(draw);
	free(drawn);
	codes_free(m.codes, m.n);
	return status;
}
