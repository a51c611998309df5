/* codes.c: pre-issued participant codes (see codes.h). */
#include "codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "token.h"

void codes_free(char **codes, int n)
{
	for (int i = 0; codes && i < n; i++)
		free(codes[i]);
	free(codes);
}

int codes_generate(struct db *db, long event_id, int n, char ***out)
{
	char **codes = calloc((size_t)n, sizeof(*codes));
	char evid[24], code[CODE_LEN + 1];
	const char *params[2];
	struct buf arr = BUF_INIT;
	PGresult *res = NULL;
	int made = 0, status = 500;

	*out = NULL;
	if (codes == NULL)
		goto out;
	snprintf(evid, sizeof(evid), "%ld", event_id);
	/* a draw that collides with an existing code is dropped by the
	 * statement and drawn again in the next round */
	for (int round = 0; made < n && round < 8; round++) {
		buf_reset(&arr);
		buf_putc(&arr, '{');
		for (int i = made; i < n; i++) {
			code_generate(code); /* [0-9A-Z]: safe in an array literal */
			buf_printf(&arr, "%s%s", i > made ? "," : "", code);
		}
		buf_putc(&arr, '}');
		if (arr.oom)
			goto out;
		params[0] = evid;
		params[1] = arr.data;
		PQclear(res);
		res = db_exec(db, DB_CODES_ADD, 2, params);
		if (res == NULL) {
			status = 503;
			goto out;
		}
		if (!db_ok(res)) {
			if (strcmp(db_sqlstate(res), "23503") == 0)
				status = 404;
			else
				log_msg(NULL, "codes: %s", PQresultErrorMessage(res));
			goto out;
		}
		for (int i = 0; i < PQntuples(res) && made < n; i++)
			if ((codes[made++] = strdup(PQgetvalue(res, i, 0))) == NULL)
				goto out;
	}
	if (made < n)
		goto out;
	*out = codes;
	codes = NULL;
	status = 0;
out:
	PQclear(res);
	buf_free(&arr);
	codes_free(codes, made);
	return status;
}
