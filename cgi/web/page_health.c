/* page_health.c: GET /healthz, for the stack script and load balancers. */
#include "app.h"
#include "pages.h"

int page_healthz(struct req *r)
{
	int ok = store_health(&app.db) == STORE_OK;

	r->resp.content_type = "text/plain; charset=utf-8";
	buf_puts(&r->resp.body, ok ? "ok" : "unavailable");
	return ok ? 200 : 503;
}
