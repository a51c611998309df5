/* ctl.h: the enquetectl commands, one function each (argv[0] is the
 * command name); each returns the process exit status. They reach the
 * database through the store (store.h) and the domain, never libpq. */
#ifndef ENQUETE_CTL_H
#define ENQUETE_CTL_H

#include <json-c/json.h>

#include "store.h"

int ctl_load(int argc, char **argv);
int ctl_event(int argc, char **argv);
int ctl_user(int argc, char **argv);
int ctl_token(int argc, char **argv);
int ctl_codes(int argc, char **argv);
int ctl_participant(int argc, char **argv);
int ctl_export(int argc, char **argv);
int ctl_definition(int argc, char **argv);
int ctl_fold(int argc, char **argv);
int ctl_invite(int argc, char **argv);

/* ctl_audit.c: records a change in the audit log as "cli:<os user>"
 * (audit.h); steals detail (may be NULL). A failure is a warning on
 * stderr (the change is done). 0 / -1. */
int ctl_audit(struct db *db, const char *slug, const char *action,
    struct json_object *detail);
/* A new detail object {key: value} (key NULL: {}); NULL when out of
 * memory (ctl_audit then records {}). ctl_detail_add / _int add a string
 * / an integer to d (NULL ignored): 0 / -1. */
struct json_object *ctl_detail(const char *key, const char *value);
int ctl_detail_add(struct json_object *d, const char *key, const char *value);
int ctl_detail_int(struct json_object *d, const char *key, long long value);

#endif
