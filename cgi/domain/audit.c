/* audit.c: recording changes in the audit log (audit.h). */
#include "audit.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int audit_record(struct db *db, const char *actor, const char *slug,
		 const char *action, struct json_object *detail)
{
	const char *text = detail ? json_object_to_json_string_ext(detail,
					JSON_C_TO_STRING_PLAIN |
					JSON_C_TO_STRING_NOSLASHESCAPE)
				  : NULL;

	if (detail && text == NULL)
		return -1;
	return store_audit(db, actor, slug, action, text) == STORE_OK ? 0 : -1;
}

void audit_cli_actor(char *out, size_t outlen)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name && pw->pw_name[0])
		snprintf(out, outlen, "cli:%s", pw->pw_name);
	else
		snprintf(out, outlen, "cli:uid%lu", (unsigned long)uid);
}
