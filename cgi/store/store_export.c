/* store_export.c: the rows of the exports and of the contacts file, on
 * the analytics connection (store.h), streamed: each row goes to the
 * callback as it arrives (store_each, single-row mode), so that an export
 * of any size holds one row at a time. */
#include <stdio.h>

#include "db.h"

struct answers_ctx {
	int (*row)(void *ctx, const struct store_answer_row *a);
	void *ctx;
};

static int answer_row(void *ctx, const PGresult *res)
{
	struct answers_ctx *x = ctx;
	struct store_answer_row a = {
	    .participant_id = PQgetvalue(res, 0, 0),
	    .code = PQgetvalue(res, 0, 1),
	    .instrument = PQgetvalue(res, 0, 2),
	    .submitted_at = PQgetvalue(res, 0, 3),
	    .item = PQgetvalue(res, 0, 4),
	    .value = PQgetvalue(res, 0, 5),
	    .rank = PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6),
	    .lang = PQgetvalue(res, 0, 7),
	    .source = PQgetvalue(res, 0, 8),
	};

	return x->row(x->ctx, &a);
}

enum store_rc store_export_answers(struct db *db, long event_id,
				   int (*row)(void *ctx,
					      const struct store_answer_row *a),
				   void *ctx)
{
	char id[24];
	const char *params[1] = {id};
	struct answers_ctx x = {row, ctx};

	snprintf(id, sizeof(id), "%ld", event_id);
	return store_each(db, DB_EXPORT_ANSWERS, 1, params, 9, answer_row, &x);
}

struct responses_ctx {
	int (*row)(void *ctx, const struct store_response_row *r);
	void *ctx;
};

static int response_row(void *ctx, const PGresult *res)
{
	struct responses_ctx *x = ctx;
	struct store_response_row r = {
	    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
	    PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5)};

	return x->row(x->ctx, &r);
}

enum store_rc store_export_responses(
    struct db *db, long event_id,
    int (*row)(void *ctx, const struct store_response_row *r), void *ctx)
{
	char id[24];
	const char *params[1] = {id};
	struct responses_ctx x = {row, ctx};

	snprintf(id, sizeof(id), "%ld", event_id);
	return store_each(db, DB_EXPORT_RESPONSES, 1, params, 6, response_row,
	    &x);
}

struct contacts_ctx {
	int (*row)(void *ctx, const struct store_contact_row *c);
	void *ctx;
};

static int contact_row(void *ctx, const PGresult *res)
{
	struct contacts_ctx *x = ctx;
	struct store_contact_row c = {
	    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3)};

	return x->row(x->ctx, &c);
}

enum store_rc store_contacts(
    struct db *db, long event_id, const char *interest_item, long limit,
    int (*row)(void *ctx, const struct store_contact_row *c), void *ctx)
{
	char evid[24], lim[24];
	const char *params[3] = {evid, interest_item, limit < 0 ? NULL : lim};
	struct contacts_ctx x = {row, ctx};

	snprintf(evid, sizeof(evid), "%ld", event_id);
	snprintf(lim, sizeof(lim), "%ld", limit);
	return store_each(db, DB_DASH_CONTACTS, 3, params, 4, contact_row, &x);
}
