/* store_paper.c: the SQL of paper questionnaires (see store_paper.h). */
#include "store_paper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* Runs s; NULL result = 503, failed = 500 (logged and cleared). */
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

static void copy(char *dst, size_t n, const char *src)
{
	if (n)
		snprintf(dst, n, "%s", src ? src : "");
}

int store_paper_batch(struct db *db, long event_id, const char *key,
    const char *codes, long long user_id, long *batch, int *created)
{
	char ev[24], uid[24];
	const char *p[4] = {ev, key, codes, uid};
	PGresult *res;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	res = db_exec(db, DB_PAPER_BATCH, 4, p);
	if (res == NULL)
		return 503;
	if (!db_ok(res) || PQntuples(res) != 1) {
		int taken = strcmp(db_sqlstate(res), "23505") == 0;

		if (!taken)
			log_msg(NULL, "paper batch: %s",
			    PQresultErrorMessage(res));
		PQclear(res);
		return taken ? 409 : 500;
	}
	*batch = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	*created = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	return 0;
}

void store_paper_codes_free(char **codes, size_t n)
{
	for (size_t i = 0; codes && i < n; i++)
		free(codes[i]);
	free(codes);
}

int store_paper_batch_codes(struct db *db, long event_id, long batch,
    char ***codes, size_t *n)
{
	char ev[24], b[24];
	const char *p[2] = {ev, b};
	PGresult *res;
	size_t rows;
	int st;

	*codes = NULL;
	*n = 0;
	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(b, sizeof(b), "%ld", batch);
	if ((st = run(db, DB_PAPER_BATCH_CODES, 2, p, &res)) != 0)
		return st;
	rows = (size_t)PQntuples(res);
	if (rows == 0) {
		PQclear(res);
		return 404;
	}
	if ((*codes = calloc(rows, sizeof(**codes))) == NULL) {
		PQclear(res);
		return 500;
	}
	for (size_t i = 0; i < rows; i++) {
		if (((*codes)[i] = strdup(PQgetvalue(res, (int)i, 0))) == NULL) {
			store_paper_codes_free(*codes, i);
			*codes = NULL;
			PQclear(res);
			return 500;
		}
	}
	*n = rows;
	PQclear(res);
	return 0;
}

int store_paper_sheet(struct db *db, enum paper_store_op op,
    const struct paper_sheet_in *s, char *outcome, size_t outlen,
    char *code, size_t codelen)
{
	char ev[24], def[24], uid[24];
	const char *p[11];
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", s->event_id);
	snprintf(def, sizeof(def), "%ld", s->definition_id);
	snprintf(uid, sizeof(uid), "%lld", s->user_id);
	copy(outcome, outlen, "");
	copy(code, codelen, "");
	if (op == PAPER_OP_SUBMIT) {
		p[0] = ev;
		p[1] = s->instrument;
		p[2] = def;
		p[3] = s->code;
		p[4] = s->new_code;
		p[5] = s->lang;
		p[6] = s->answers;
		p[7] = s->rows;
		p[8] = s->contacts;
		p[9] = uid;
		st = run(db, DB_PAPER_SUBMIT, 10, p, &res);
	} else {
		p[0] = ev;
		p[1] = s->instrument;
		p[2] = s->sheet;
		p[3] = uid;
		p[4] = def;
		p[5] = s->lang;
		p[6] = s->code;
		p[7] = s->new_code;
		p[8] = s->answers;
		p[9] = s->rows;
		p[10] = s->contacts;
		st = run(db, op == PAPER_OP_ENTER ? DB_PAPER_ENTER
						  : DB_PAPER_RESOLVE, 11, p, &res);
	}
	if (st != 0)
		return st;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 500;
	}
	copy(outcome, outlen, PQgetvalue(res, 0, 0));
	copy(code, codelen, PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

int store_paper_double_get(struct db *db, long event_id, int *on)
{
	char ev[24];
	const char *p[1] = {ev};
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_PAPER_DOUBLE_GET, 1, p, &res)) != 0)
		return st;
	st = PQntuples(res) == 1 ? 0 : 404;
	*on = st == 0 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return st;
}

int store_paper_double_set(struct db *db, long event_id, int on)
{
	char ev[24];
	const char *p[2] = {ev, on ? "t" : "f"};
	PGresult *res;
	int st;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_PAPER_DOUBLE_SET, 2, p, &res)) != 0)
		return st;
	st = strcmp(PQcmdTuples(res), "1") == 0 ? 0 : 404;
	PQclear(res);
	return st;
}

void store_paper_conflicts_free(struct paper_conflict *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		for (int k = 0; k < 2; k++) {
			free(c[i].answers[k]);
			free(c[i].user[k]);
		}
	free(c);
}

int store_paper_conflicts(struct db *db, long event_id,
    struct paper_conflict **out, size_t *n)
{
	char ev[24];
	const char *p[1] = {ev};
	PGresult *res;
	size_t rows;
	int st;

	*out = NULL;
	*n = 0;
	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, DB_PAPER_CONFLICTS, 1, p, &res)) != 0)
		return st;
	rows = (size_t)PQntuples(res);
	if (rows && (*out = calloc(rows, sizeof(**out))) == NULL) {
		PQclear(res);
		return 500;
	}
	for (size_t i = 0; i < rows; i++) {
		struct paper_conflict *c = &(*out)[i];
		int row = (int)i;

		*n = i + 1;
		copy(c->instrument, sizeof(c->instrument),
		    PQgetvalue(res, row, 0));
		copy(c->sheet, sizeof(c->sheet), PQgetvalue(res, row, 1));
		for (int k = 0; k < 2; k++) {
			copy(c->lang[k], sizeof(c->lang[k]),
			    PQgetvalue(res, row, 2 + 2 * k));
			c->answers[k] = strdup(PQgetvalue(res, row, 3 + 2 * k));
			c->user[k] = strdup(PQgetvalue(res, row, 6 + k));
			if (c->answers[k] == NULL || c->user[k] == NULL) {
				store_paper_conflicts_free(*out, *n);
				*out = NULL;
				*n = 0;
				PQclear(res);
				return 500;
			}
		}
	}
	PQclear(res);
	return 0;
}

/* Two counts of one row. */
static int two_counts(struct db *db, enum db_stmt s, long event_id, long *a,
    long *b)
{
	char ev[24];
	const char *p[1] = {ev};
	PGresult *res;
	int st;

	*a = *b = 0;
	snprintf(ev, sizeof(ev), "%ld", event_id);
	if ((st = run(db, s, 1, p, &res)) != 0)
		return st;
	if (PQntuples(res) == 1) {
		*a = strtol(PQgetvalue(res, 0, 0), NULL, 10);
		*b = strtol(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return 0;
}

int store_paper_counts(struct db *db, long event_id, long *pre, long *post)
{
	return two_counts(db, DB_PAPER_COUNTS, event_id, pre, post);
}

int store_paper_sheets_open(struct db *db, long event_id, long *pending,
    long *conflict)
{
	return two_counts(db, DB_PAPER_SHEETS_OPEN, event_id, pending,
	    conflict);
}
