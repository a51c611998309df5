/* store_invite.h: the follow-up invitations' statements (schema/023,
 * db_sql.h's DB_STMTS_INVITE), one typed function each. Every function
 * returns 0 on success, 503 when the database is unreachable and 500 when
 * a statement failed (logged). */
#ifndef ENQUETE_STORE_INVITE_H
#define ENQUETE_STORE_INVITE_H

#include <stddef.h>

struct db; /* store.h */

/* One consenting attendee still to mail. Strings owned by the list. */
struct invite_to {
	long long participant_id;
	char *code;    /* 8 characters, no dash */
	char *address; /* as typed on the post form */
	char *lang;    /* the language of their post response */
};

struct invite_list {
	struct invite_to *v;
	size_t n;
};

/* Takes (1) or releases the event's run lock; *got = 0 when another run
 * holds it. The lock belongs to the connection: release it on the same. */
int store_invite_lock(struct db *db, long event_id, int *got);
int store_invite_unlock(struct db *db, long event_id);

/* The attendees of event_id who consented (consent_key = "yes" on the
 * post form) with an address (email_key), who have not answered the
 * follow-up and have no successful send of kind ("invite", "reminder");
 * a reminder only to those already invited. Caller frees with
 * store_invite_list_free(). */
int store_invite_candidates(struct db *db, long event_id, const char *kind,
    const char *email_key, const char *consent_key, struct invite_list *out);
void store_invite_list_free(struct invite_list *l);

/* Logs one attempt: its kind, whether it worked, the relay's short answer
 * (at most 300 bytes; never the message). */
int store_invite_log(struct db *db, long event_id, long long participant_id,
    const char *kind, int ok, const char *result);

/* Deletes the address of participant code (email_key) and logs the
 * withdrawal; nothing when the code is no longer there (erased). */
int store_invite_unsubscribe(struct db *db, long event_id, const char *code,
    const char *email_key);

#endif
