/* store_paper.h: the SQL of paper questionnaires (schema/019_paper.sql),
 * one typed function per statement of db_sql.h's DB_STMTS_PAPER. Every
 * function returns 0 on success, 503 when the database is unreachable and
 * 500 when a statement failed (logged); other statuses are named. */
#ifndef ENQUETE_STORE_PAPER_H
#define ENQUETE_STORE_PAPER_H

#include <stddef.h>

struct db; /* store.h */

/* Issues a batch of pre-issued codes under an idempotency key. codes is
 * a PostgreSQL array literal of fresh codes ("{ABCD1234,...}"). Sets
 * *batch and *created (0 when the key already had its batch: nothing
 * issued). 409 when a drawn code was taken (draw again). */
int store_paper_batch(struct db *db, long event_id, const char *key,
    const char *codes, long long user_id, long *batch, int *created);

/* The codes (8 characters, no dash) of batch of event_id, in order:
 * *codes is an array of *n strings the caller frees with
 * store_paper_codes_free(). 404 when the event has no such batch. */
int store_paper_batch_codes(struct db *db, long event_id, long batch,
    char ***codes, size_t *n);
void store_paper_codes_free(char **codes, size_t n);

/* What a typed sheet sends to the database. Strings borrowed. */
struct paper_sheet_in {
	long event_id;
	const char *instrument;  /* "pre" or "post" */
	const char *sheet;       /* "C:<code>" or "N:<number>" (double entry) */
	long long user_id;       /* the operator (entered_by) */
	long definition_id;
	const char *lang;
	const char *code;        /* the code written on the sheet, or NULL */
	const char *new_code;    /* a fresh code for a new participant */
	const char *answers, *rows, *contacts; /* JSON texts */
};

enum paper_store_op {
	PAPER_OP_SUBMIT,  /* single entry: store now (enquete_paper_submit) */
	PAPER_OP_ENTER,   /* one of the two entries (enquete_paper_enter) */
	PAPER_OP_RESOLVE, /* a third reading of a sheet in conflict */
};

/* Runs op for s. outcome receives the function's outcome (see
 * schema/019_paper.sql), code the participant's code when stored ("" if
 * none). */
int store_paper_sheet(struct db *db, enum paper_store_op op,
    const struct paper_sheet_in *s, char *outcome, size_t outlen,
    char *code, size_t codelen);

/* Whether event_id uses double entry (*on 0/1); 404 without the event. */
int store_paper_double_get(struct db *db, long event_id, int *on);
int store_paper_double_set(struct db *db, long event_id, int on);

/* A sheet whose two entries differ. Owned strings. */
struct paper_conflict {
	char instrument[8];
	char sheet[16];
	char lang[2][4];
	char *answers[2];   /* JSON texts of the two entries */
	char *user[2];      /* who typed them ("" for a deleted user) */
};
/* The sheets in conflict of event_id (at most 500): *out an array of *n
 * the caller frees with store_paper_conflicts_free(). */
int store_paper_conflicts(struct db *db, long event_id,
    struct paper_conflict **out, size_t *n);
void store_paper_conflicts_free(struct paper_conflict *c, size_t n);

/* Responses typed from paper per instrument (dashboard, report). */
int store_paper_counts(struct db *db, long event_id, long *pre, long *post);
/* Sheets waiting for their second entry, and sheets in conflict. */
int store_paper_sheets_open(struct db *db, long event_id, long *pending,
    long *conflict);

#endif
