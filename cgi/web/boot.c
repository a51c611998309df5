/* boot.c: start-up loading shared by the server and the CLI. */
#include "boot.h"

#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "config.h"
#include "event.h"
#include "i18n.h"
#include "pages.h"
#include "stats.h"
#include "tmpl.h"
#include "token.h"


int boot_load(char *err, size_t errlen)
{
	char dir[512];

	app.templates_dir = cfg_str(CFG_TEMPLATES);
	app.public_url = cfg_str(CFG_PUBLIC_URL);
	stats_init();
	if (token_init() != 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	app.tmpl = tmpl_set_load(app.templates_dir, err, errlen);
	if (app.tmpl == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/i18n", app.templates_dir);
	if (i18n_load(dir, err, errlen) != 0)
		return -1;
	return 0;
}

void boot_free(void)
{
	event_cache_free();
	page_form_cache_free();
	tmpl_set_free(app.tmpl);
	app.tmpl = NULL;
	i18n_free();
}
