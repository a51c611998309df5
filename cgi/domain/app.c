/* app.c: the one instance of what a process holds for its whole life
 * (struct app, app.h). The worker fills it at start (web/boot.c); the CLI
 * sets the database connection it uses. */
#include "app.h"

struct app app;
