/* page_health.c: GET /healthz, for the stack script and load balancers. */
#include "app.h"
#include "pages.h"

int page_healthz(struct req *r)
{
	PGresult *res = db_exec(&app.db, DB_HEALTH, 0, NULL);
	int ok = db_ok(res);

	PQclear(res);
	r->resp.content_type = "text/plain; charset=utf-8";
	buf_puts(&r->resp.body, ok ? "ok" : "unavailable");
	return ok ? 200 : 503;
}
