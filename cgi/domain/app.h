/* app.h: what a worker holds for its whole life: configuration, compiled
 * templates, database connections. One instance, set up at start. */
#ifndef ENQUETE_APP_H
#define ENQUETE_APP_H

#include "store.h"

struct app {
	struct db db;         /* main database (store.h: opaque connection) */
	struct db adb;        /* analytics (dashboard, summary, exports) */
	const char *public_url;
	const char *templates_dir;
	struct tmpl_set *tmpl;  /* every template, compiled at start */
	unsigned char secret[32]; /* app_secret, loaded on first use */
	int have_secret;
};

extern struct app app;

#endif
