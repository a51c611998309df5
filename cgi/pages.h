/* pages.h: every request handler, one file per page (page_*.c). Each
 * handler's comment lists the statuses it can return. */
#ifndef ENQUETE_PAGES_H
#define ENQUETE_PAGES_H

#include "http.h"

/* GET /healthz: 200 "ok" when the database answers SELECT 1; 503. */
int page_healthz(struct req *r);

#endif
