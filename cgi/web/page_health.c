/* page_health.c: GET /healthz, for the stack script and load balancers.
 * First line `ok` (200) when the database answers, else `unavailable`
 * (503); a second line `stats-lag-ms N`, the statistics folder's lag
 * (schema/016: age of the oldest change not yet folded), when the
 * database gave it. */
#include <stdio.h>

#include "app.h"
#include "pages.h"
#include "store_fold.h"

int page_healthz(struct req *r)
{
	int ok = store_health(&app.db) == STORE_OK;
	long long lag = 0, pending = 0;
	char line[48];

	r->resp.content_type = "text/plain; charset=utf-8";
	buf_puts(&r->resp.body, ok ? "ok" : "unavailable");
	if (ok && store_fold_lag(&app.db, 0, &lag, &pending) == 0) {
		snprintf(line, sizeof(line), "\nstats-lag-ms %lld", lag);
		buf_puts(&r->resp.body, line);
	}
	return ok ? 200 : 503;
}
