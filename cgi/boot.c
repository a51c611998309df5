/* boot.c: start-up loading shared by the server and the CLI. */
#include "boot.h"

#include <stdlib.h>

#include "app.h"
#include "event.h"

struct app app;

int boot_load(char *err, size_t errlen)
{
	const char *t = getenv("ENQUETE_TEMPLATES");
	const char *u = getenv("ENQUETE_PUBLIC_URL");

	(void)err;
	(void)errlen;
	app.templates_dir = t && *t ? t : "templates";
	app.public_url = u && *u ? u : "http://127.0.0.1:8080";
	return 0;
}

void boot_free(void)
{
	event_cache_free();
}
