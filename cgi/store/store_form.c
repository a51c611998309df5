/* store_form.c: the attendee flow's statements: a submission with its
 * outcome, codes, what a participant answered, the open events (store.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static const char *const instrument_name[STORE_INSTRUMENT__MAX] = {"pre",
    "post", "followup"};
static const char *const link_name[] = {"new", "cookie", "code"};
/* enquete_submit's outcomes (schema), in enum store_submit_outcome order */
static const char *const outcome_name[STORE_SUBMIT__MAX] = {
    "stored", "updated", "replay", "unknown_code", "conflict",
    "exists", "locked",	 "closed", "code_taken"};

enum store_rc store_submit(struct db *db, const struct store_submission *s,
			   struct store_submit_result *out)
{
	char evid[24], defid[24], thex[65];
	const char *params[13];
	PGresult *res;
	enum store_rc rc;
	int o;

	memset(out, 0, sizeof(*out));
	snprintf(evid, sizeof(evid), "%ld", s->event_id);
	snprintf(defid, sizeof(defid), "%ld", s->definition_id);
	sodium_bin2hex(thex, sizeof(thex), s->token_hash, 32);
	params[0] = evid;
	params[1] = instrument_name[s->instrument];
	params[2] = defid;
	params[3] = thex;
	params[4] = link_name[s->link];
	params[5] = s->code;
	params[6] = s->new_code;
	params[7] = s->lang;
	params[8] = s->answers;
	params[9] = s->rows;
	params[10] = s->contacts;
	params[11] = s->edit ? "t" : "f";
	params[12] = s->tz;
	if ((rc = store_run(db, DB_SUBMIT, 13, params, &res)) != STORE_OK)
		return rc;
	rc = STORE_FAILED;
	if (PQntuples(res) != 1) {
		snprintf(db->err, sizeof(db->err), "no outcome");
		goto out;
	}
	for (o = 0; o < STORE_SUBMIT__MAX; o++)
		if (strcmp(PQgetvalue(res, 0, 0), outcome_name[o]) == 0)
			break;
	if (o == STORE_SUBMIT__MAX) {
		snprintf(db->err, sizeof(db->err), "unknown outcome %.32s",
			 PQgetvalue(res, 0, 0));
		goto out;
	}
	out->outcome = (enum store_submit_outcome)o;
	snprintf(out->code, sizeof(out->code), "%s", PQgetvalue(res, 0, 1));
	snprintf(out->at, sizeof(out->at), "%s", PQgetvalue(res, 0, 2));
	rc = STORE_OK;
out:
	PQclear(res);
	return rc;
}

enum store_rc store_code_exists(struct db *db, long event_id, const char *code)
{
	char evid[24];
	const char *params[2] = {evid, code};
	PGresult *res;
	enum store_rc rc;

	snprintf(evid, sizeof(evid), "%ld", event_id);
	if ((rc = store_run(db, DB_CODE_EXISTS, 2, params, &res)) != STORE_OK)
		return rc;
	rc = PQntuples(res) == 1 ? STORE_OK : STORE_NONE;
	PQclear(res);
	return rc;
}

enum store_rc store_participant_state(struct db *db, long event_id,
				      const char *code,
				      enum store_instrument in, const char *tz,
				      struct store_participant *out)
{
	char evid[24];
	const char *params[4] = {evid, code, instrument_name[in], tz};
	PGresult *res;
	enum store_rc rc;

	memset(out, 0, sizeof(*out));
	snprintf(evid, sizeof(evid), "%ld", event_id);
	rc = store_run(db, DB_RESPONSE_OF_CODE, 4, params, &res);
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return STORE_NONE;
	}
	out->pre_done = PQgetvalue(res, 0, 2)[0] == 't';
	out->post_done = PQgetvalue(res, 0, 3)[0] == 't';
	if (!PQgetisnull(res, 0, 0)) {
		out->answered = true;
		snprintf(out->at, sizeof(out->at), "%s", PQgetvalue(res, 0, 0));
		if ((out->answers = strdup(PQgetvalue(res, 0, 1))) == NULL)
			rc = STORE_FAILED;
	}
	PQclear(res);
	return rc;
}

void store_participant_free(struct store_participant *p)
{
	free(p->answers);
	p->answers = NULL;
}

enum store_rc store_landing_answered(struct db *db, long event_id,
				     const char *code, bool *pre, bool *post)
{
	char evid[24];
	const char *params[2] = {evid, code};
	PGresult *res;
	enum store_rc rc;

	*pre = *post = false;
	snprintf(evid, sizeof(evid), "%ld", event_id);
	rc = store_run(db, DB_LANDING_ANSWERED, 2, params, &res);
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(res) == 1) {
		*pre = PQgetvalue(res, 0, 0)[0] == 't';
		*post = PQgetvalue(res, 0, 1)[0] == 't';
	}
	PQclear(res);
	return STORE_OK;
}

enum store_rc store_open_events(struct db *db, const char *lang,
				int (*row)(void *ctx,
					   const struct store_open_event *e),
				void *ctx)
{
	const char *params[1] = {lang};
	PGresult *res;
	enum store_rc rc = store_run(db, DB_OPEN_EVENTS, 1, params, &res);

	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == STORE_OK; i++) {
		struct store_open_event e = {PQgetvalue(res, i, 0),
					     PQgetvalue(res, i, 1)};
		if (row(ctx, &e) != 0)
			rc = STORE_STOPPED;
	}
	PQclear(res);
	return rc;
}
