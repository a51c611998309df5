/* audit.h: the audit log (DESIGN.md "The organiser's console": every
 * change made in the console or with enquetectl is recorded: when, who,
 * which event, what action, what changed). One call per change, after it
 * succeeded:
 *
 *     struct json_object *d = json_object_new_object();
 *     json_object_object_add(d, "count", json_object_new_int(40));
 *     audit_record(&app.db, r->user_name, r->slug, "codes.generate", d);
 *     json_object_put(d);
 *
 * The web's handlers call page_audit (pages.h), which fills the actor and
 * logs a failure; enquetectl's commands call ctl_audit (ctl.h), whose
 * actor is "cli:<os user>". The actions (README, "Audit log") are
 * "<object>.<verb>": event.create, event.archive, event.attendance,
 * definition.version, window.open, window.close, codes.generate,
 * paper.batch, paper.double_entry, paper.sheet, participant.erase,
 * contacts.export, user.add, user.delete, user.role, user.events,
 * user.password, token.add, token.revoke. */
#ifndef ENQUETE_AUDIT_H
#define ENQUETE_AUDIT_H

#include <stddef.h>

#include <json-c/json.h>

#include "store.h"

#define AUDIT_ACTOR_MAX 200

/* Records action (see above) on event slug (NULL: no event) by actor (a
 * user's name, or "cli:<os user>"); detail is what changed (a JSON object,
 * borrowed: the caller still owns it; NULL for {}). 0, or -1 when it
 * could not be stored (store_error(db) says why). */
int audit_record(struct db *db, const char *actor, const char *slug,
		 const char *action, struct json_object *detail);
/* "cli:<name of the effective OS user>" (or "cli:uid<N>") into out. */
void audit_cli_actor(char *out, size_t outlen);

#endif
