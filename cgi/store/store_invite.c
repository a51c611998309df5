/* store_invite.c: the follow-up invitations' statements (see
 * store_invite.h). */
#include "store_invite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* Runs s; NULL result = 503, failed = 500 (logged and cleared). *out
 * (caller frees with PQclear) on 0. */
static int run(struct db *db, enum db_stmt s, int n, const char *const *p,
    PGresult **out)
{
	PGresult *res = db_exec(db, s, n, p);

	*out = NULL;
	if (res == NULL)
		return 503;
	if (!db_ok(res)) {
		log_msg(NULL, "%s: %s", db_stmt_name(s),
		    PQresultErrorMessage(res));
		PQclear(res);
		return 500;
	}
	*out = res;
	return 0;
}

int store_invite_lock(struct db *db, long event_id, int *got)
{
	char ev[24];
	const char *p[1] = {ev};
	PGresult *res;
	int st;

	*got = 0;
	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_INVITE_LOCK, 1, p, &res)) != 0)
		return st;
	*got = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

int store_invite_unlock(struct db *db, long event_id)
{
	char ev[24];
	const char *p[1] = {ev};
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_INVITE_UNLOCK, 1, p, &res)) != 0)
		return st;
	PQclear(res);
	return 0;
}

void store_invite_list_free(struct invite_list *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].address);
		free(l->v[i].lang);
	}
	if (l) {
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
}

int store_invite_candidates(struct db *db, long event_id, const char *kind,
    const char *email_key, const char *consent_key, struct invite_list *out)
{
	char ev[24];
	const char *p[4] = {ev, kind, email_key, consent_key};
	PGresult *res;
	int st, n;

	memset(out, 0, sizeof(*out));
	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_INVITE_CANDIDATES, 4, p, &res)) != 0)
		return st;
	n = PQntuples(res);
	if (PQnfields(res) != 4 ||
	    (out->v = calloc((size_t)n + 1, sizeof(*out->v))) == NULL) {
		PQclear(res);
		return 500;
	}
	for (int i = 0; i < n; i++) {
		struct invite_to *t = &out->v[i];

		t->participant_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		t->code = strdup(PQgetvalue(res, i, 1));
		t->address = strdup(PQgetvalue(res, i, 2));
		t->lang = strdup(PQgetvalue(res, i, 3));
		out->n++;
		if (!t->code || !t->address || !t->lang) {
			PQclear(res);
			store_invite_list_free(out);
			return 500;
		}
	}
	PQclear(res);
	return 0;
}

int store_invite_log(struct db *db, long event_id, long long participant_id,
    const char *kind, int ok, const char *result)
{
	char ev[24], pid[24], res_text[301];
	const char *p[5] = {ev, pid, kind, ok ? "true" : "false", res_text};
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(pid, sizeof(pid), "%lld", participant_id);
	/* bounded by bytes; the relay's answers are ASCII */
	snprintf(res_text, sizeof(res_text), "%s", result && *result ? result :
	    (ok ? "sent" : "failed"));
	if ((st = run(db, DB_INVITE_LOG, 5, p, &res)) != 0)
		return st;
	PQclear(res);
	return 0;
}

int store_invite_unsubscribe(struct db *db, long event_id, const char *code,
    const char *email_key)
{
	char ev[24];
	const char *p[3] = {ev, code, email_key};
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_INVITE_UNSUBSCRIBE, 3, p, &res)) != 0)
		return st;
	PQclear(res);
	return 0;
}
