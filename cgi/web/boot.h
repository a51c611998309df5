/* boot.h: what a process loads once at start (templates, catalogs, config)
 * before it drops privileges; a missing file is a start-up error. */
#ifndef ENQUETE_BOOT_H
#define ENQUETE_BOOT_H

#include <stddef.h>

/* 0, or -1 with a message in err. */
int boot_load(char *err, size_t errlen);
void boot_free(void);

#endif
