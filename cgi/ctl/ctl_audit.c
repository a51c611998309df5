/* ctl_audit.c: enquetectl's changes in the audit log (audit.h), with the
 * actor "cli:<os user>". */
#include <stdio.h>

#include "audit.h"
#include "ctl.h"

int ctl_audit(struct db *db, const char *slug, const char *action,
    struct json_object *detail)
{
	char actor[AUDIT_ACTOR_MAX + 1];
	int rc;

	audit_cli_actor(actor, sizeof(actor));
	rc = audit_record(db, actor, slug, action, detail);
	if (rc != 0)
		fprintf(stderr, "enquetectl: warning: the audit log did not "
		    "record %s: %s", action, store_error(db));
	json_object_put(detail);
	return rc;
}

struct json_object *ctl_detail(const char *key, const char *value)
{
	struct json_object *d = json_object_new_object(), *v;

	if (d == NULL || key == NULL)
		return d;
	v = json_object_new_string(value ? value : "");
	if (v == NULL || json_object_object_add(d, key, v) != 0) {
		json_object_put(v);
		json_object_put(d);
		return NULL;
	}
	return d;
}

int ctl_detail_add(struct json_object *d, const char *key, const char *value)
{
	struct json_object *v;

	if (d == NULL)
		return -1;
	v = json_object_new_string(value ? value : "");
	if (v == NULL || json_object_object_add(d, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int ctl_detail_int(struct json_object *d, const char *key, long long value)
{
	struct json_object *v;

	if (d == NULL)
		return -1;
	v = json_object_new_int64(value);
	if (v == NULL || json_object_object_add(d, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}
