/* store.h: the typed store, the only door to PostgreSQL for the floors
 * above (openradtool's model): one C function per statement (or per
 * transaction that must be one unit), C values in, structs and enums out.
 * No libpq type crosses this header; db_exec, PGresult and PGconn stay
 * inside cgi/store (db.h, private to it).
 *
 * Conventions for every function below:
 * - the return value is an enum store_rc: STORE_OK, or why not;
 * - strings in row structs handed to a callback are borrowed until the
 *   store function returns (the whole result stays alive while it
 *   iterates); never NULL: an SQL NULL reads "" unless said otherwise;
 * - a callback returning non-zero stops the iteration: STORE_STOPPED;
 * - a statement that failed leaves its message in store_error(db): the
 *   caller logs it with its request, or the CLI prints it. */
#ifndef ENQUETE_STORE_H
#define ENQUETE_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct pg_conn; /* libpq's connection, defined only inside cgi/store */

/* One connection to one database, opened lazily with every statement
 * prepared, reopened after a failure. The worker holds two (app.h), the
 * CLI one per command. The floors above set the first three fields before
 * first use and read the others only through db_generation and db_down. */
struct db {
	const char *conninfo; /* borrowed, process lifetime */
	const char *appname;  /* application_name (borrowed); NULL "enquete" */
	int listen;	      /* may LISTEN (not a read replica) */
	struct pg_conn *conn; /* NULL until first use or after a failure */
	unsigned long generation; /* bumped at every new connection */
	int down;		  /* 1 when the last attempt to reach it failed
				   * (front.c words its 503 after it) */
	char err[256];		  /* the last failed statement's message */
	int lazy; /* prepare each statement at its first use, not all at
		     connect: enquetectl, whose commands also run on a
		     database of an older schema (schema-dump's upgrades) */
	unsigned char prepared[32]; /* bit per statement prepared on conn */
};

enum store_rc {
	STORE_OK = 0,
	STORE_NONE,    /* no such row: event, user, code, token */
	STORE_DOWN,    /* the database cannot be reached: 503 */
	STORE_FAILED,  /* the statement failed: store_error says why */
	STORE_TAKEN,   /* a unique value already taken (SQLSTATE 23505) */
	STORE_INVALID, /* a check constraint refused a value (23514) */
	STORE_STOPPED, /* the row callback asked to stop */
	STORE__MAX
};

/* --- connections (db.c) --- */

/* Opens the connection if needed and prepares every statement. 0 when the
 * connection is usable, -1 when the database cannot be reached. */
int db_ready(struct db *db);
void db_close(struct db *db);
/* Bumped at every new connection (0 before the first): what was read on
 * an older connection may have missed a notification. */
unsigned long db_generation(const struct db *db);
/* 1 when the last attempt to reach db failed (front.c words its 503
 * after it); db_down_clear forgets it (at the start of a request). */
int db_down(const struct db *db);
void db_down_clear(struct db *db);
/* Reads what the server sent without waiting: 1 when a notification
 * arrived (all are drained) or the connection is not up, else 0. */
int db_notified(struct db *db);
/* The conninfo to use (settings table, config.c): ENQUETE_DATABASE_URL
 * or the private cluster's; ENQUETE_ANALYTICS_DATABASE_URL or the same. */
const char *db_conninfo(void);
const char *db_analytics_conninfo(void);
/* 1 when ENQUETE_DB_POOLED=1: the connections go through a transaction
 * pooler (pgbouncer pool_mode=transaction). Statements are then sent
 * unnamed (PQexecParams) instead of prepared once per connection, and
 * nothing may rely on session state: the workers do not LISTEN (their
 * event cache reads the event row at each request instead) and per-query
 * settings are SET LOCAL inside a transaction. What needs a session
 * (`enquetectl fold --loop`, which LISTENs) connects directly. */
int db_pooled(void);
/* The limit for filtered queries: ENQUETE_FILTER_TIMEOUT_MS (config.c),
 * under nginx's fastcgi_read_timeout (60 s) */
long db_filter_timeout_ms(void);
/* The message of the last statement that failed on db ("" if none);
 * borrowed until the next statement on db. Ends with a newline when the
 * server gave one. */
const char *store_error(const struct db *db);

/* --- health and keys (store_health.c) --- */

/* SELECT 1: STORE_OK or STORE_DOWN/FAILED. */
enum store_rc store_health(struct db *db);
/* The server key (app_secret) into key: STORE_OK; STORE_NONE when it is
 * missing or malformed (logged); DOWN; FAILED. */
enum store_rc store_secret_get(struct db *db, unsigned char key[32]);
/* `enquetectl migrate`: applies schema/ (dir) as the schema's owner
 * (conninfo) and makes sure the server key exists. 0, or -1 with a
 * message on stderr. */
int store_migrate(const char *conninfo, const char *dir);

/* --- events (store_event.c) --- */

/* An event row: ids and its instruments' windows (epoch seconds; "has"
 * false for an SQL NULL), with the database's clock. */
enum store_instrument {
	STORE_PRE,
	STORE_POST,
	STORE_FOLLOWUP,
	STORE_INSTRUMENT__MAX
};
struct store_event {
	long id;
	long definition_id; /* 0 when the event has no definition */
	bool has_opens[STORE_INSTRUMENT__MAX],
	    has_closes[STORE_INSTRUMENT__MAX];
	double opens[STORE_INSTRUMENT__MAX], closes[STORE_INSTRUMENT__MAX];
	double now;
};
/* EVENT_BY_SLUG: STORE_OK (out filled), NONE, DOWN, FAILED. */
enum store_rc store_event_by_slug(struct db *db, const char *slug,
				  struct store_event *out);
/* DEFINITION_BODY: the definition's JSON text into *body (caller frees
 * with free()). OK, NONE, DOWN, FAILED. */
enum store_rc store_definition_body(struct db *db, long definition_id,
				    char **body);
/* LISTEN enquete_event on db (workers and commands that change events:
 * schema/005_notify.sql). OK, DOWN, FAILED. */
enum store_rc store_events_listen(struct db *db);
/* After a commit that notified: waits (about 2 s at most) until our own
 * notification comes back, i.e. every listening worker was signalled. */
void store_events_await(struct db *db);
/* `event open|close`: the instrument's window opens (closes) now. OK,
 * NONE (no such event), DOWN, FAILED. */
enum store_rc store_window_set(struct db *db, const char *slug,
			       enum store_instrument in, bool open);
/* `event attendance`: OK, NONE, DOWN, FAILED (the bound is schema/012's). */
enum store_rc store_event_attendance(struct db *db, const char *slug,
				     long attendance);

/* --- the attendee flow (store_form.c) --- */

enum store_link { STORE_LINK_NEW, STORE_LINK_COOKIE, STORE_LINK_CODE };
/* One submission (enquete_submit, schema): every string borrowed. */
struct store_submission {
	long event_id;
	enum store_instrument instrument;
	long definition_id;
	const unsigned char *token_hash; /* 32 bytes: the form token's hash */
	enum store_link link;
	const char *code;     /* the participant's code, or NULL */
	const char *new_code; /* the code to give a new participant */
	const char *lang;
	const char *answers;  /* JSON text: the stored answers */
	const char *rows;     /* JSON text: one row per answer */
	const char *contacts; /* JSON text: consented contacts */
	bool edit;	      /* replaces the participant's answer */
	const char *tz;	      /* the time zone of *at */
};
enum store_submit_outcome {
	STORE_SUBMIT_STORED,	   /* a new answer */
	STORE_SUBMIT_UPDATED,	   /* an answer replaced (edit) */
	STORE_SUBMIT_REPLAY,	   /* that form token was stored already */
	STORE_SUBMIT_UNKNOWN_CODE, /* the code is not the event's */
	STORE_SUBMIT_CONFLICT,	   /* changed meanwhile by another form */
	STORE_SUBMIT_EXISTS,	   /* answered already (at says when) */
	STORE_SUBMIT_LOCKED,	   /* pre answer locked: post answered */
	STORE_SUBMIT_CLOSED,	   /* the instrument is closed */
	STORE_SUBMIT_CODE_TAKEN,   /* new_code collided: draw another */
	STORE_SUBMIT__MAX
};
struct store_submit_result {
	enum store_submit_outcome outcome;
	char code[32]; /* stored, updated, replay: the participant's code */
	char at[32];   /* "YYYY-MM-DD HH24:MI" in tz, or "" */
};
/* SUBMIT: STORE_OK with out filled, DOWN, FAILED (an outcome this
 * program does not know is FAILED too). */
enum store_rc store_submit(struct db *db, const struct store_submission *s,
			   struct store_submit_result *out);
/* CODE_EXISTS: OK (the code is one of the event's), NONE, DOWN, FAILED. */
enum store_rc store_code_exists(struct db *db, long event_id, const char *code);
/* What a participant answered (RESPONSE_OF_CODE). */
struct store_participant {
	bool answered; /* has an answer to the instrument asked */
	char at[32];   /* its time in tz, when answered */
	char *answers; /* its JSON text when answered, else NULL; caller
			  frees with store_participant_free */
	bool pre_done, post_done;
};
/* OK (out filled), NONE (the code is not the event's), DOWN, FAILED. */
enum store_rc store_participant_state(struct db *db, long event_id,
				      const char *code,
				      enum store_instrument in, const char *tz,
				      struct store_participant *out);
void store_participant_free(struct store_participant *p);
/* LANDING_ANSWERED: whether the participant answered pre / post (false
 * for an unknown code). OK, DOWN, FAILED. */
enum store_rc store_landing_answered(struct db *db, long event_id,
				     const char *code, bool *pre, bool *post);
/* OPEN_EVENTS: the events open now, titles in lang. */
struct store_open_event {
	const char *slug, *title;
};
enum store_rc store_open_events(struct db *db, const char *lang,
				int (*row)(void *ctx,
					   const struct store_open_event *e),
				void *ctx);

/* --- codes and participants (store_codes.c) --- */

/* CODES_ADD: inserts the n codes as pre-issued participants of event_id;
 * row is called with each one inserted (a code already taken is skipped).
 * OK, NONE (no such event), DOWN, FAILED, STOPPED. */
enum store_rc store_codes_add(struct db *db, long event_id, char *const *codes,
			      int n, int (*row)(void *ctx, const char *code),
			      void *ctx);
/* CODES_LIST: the pre-issued codes in order of creation. */
struct store_issued_code {
	const char *code;
	bool used; /* someone answered with it */
};
enum store_rc store_codes_list(struct db *db, long event_id,
			       int (*row)(void *ctx,
					  const struct store_issued_code *c),
			       void *ctx);
/* PARTICIPANT_ERASE: the participant and everything of theirs (cascade).
 * OK, NONE, DOWN, FAILED. */
enum store_rc store_participant_erase(struct db *db, const char *slug,
				      const char *code);

/* --- users, sessions, tokens, rate limits (store_user.c) --- */

struct store_user {
	long long id;
	char name[65];
	char role[16];
	bool all_events; /* its scope is every event ('*') */
};
/* SESSION_TOUCH (hash: hex of the cookie's hash): OK with the user, NONE
 * (no such session or expired), DOWN, FAILED. */
enum store_rc store_session_touch(struct db *db, const char *hash,
				  struct store_user *out);
/* TOKEN_USER (bearer token's hash): as store_session_touch. */
enum store_rc store_token_user(struct db *db, const char *hash,
			       struct store_user *out);
/* LOGIN_TAKE: counts one sign-in attempt against the account and client
 * keys; *wait is 0 or the seconds to wait. OK, DOWN, FAILED. */
struct store_login_limits {
	int max_per_client, window, max_per_account, backoff_base, backoff_cap;
};
enum store_rc store_login_take(struct db *db, const char *acct_key,
			       const char *client_key,
			       const struct store_login_limits *l, int *wait);
/* RATE_TAKE / RATE_CHECK (take counts, check only reads): *wait 0 or the
 * seconds to wait. OK, DOWN, FAILED. */
enum store_rc store_rate(struct db *db, bool take, const char *key, int max,
			 int window, int *wait);
/* USER_BY_NAME: the user's id and argon2id hash (into hash, hashlen
 * bytes). OK, NONE, DOWN, FAILED. */
enum store_rc store_user_password(struct db *db, const char *name,
				  long long *id, char *hash, size_t hashlen);
/* SESSION_CREATE: a session for user_id, its sign-in back-off cleared,
 * its sessions beyond the keep newest ended. OK, DOWN, FAILED. */
enum store_rc store_session_create(struct db *db, const char *hash,
				   long long user_id, const char *acct_key,
				   int keep);
/* SESSION_DELETE: OK, DOWN, FAILED. */
enum store_rc store_session_delete(struct db *db, const char *hash);
/* USERS_LIST */
struct store_user_row {
	const char *name, *role, *created; /* created: YYYY-MM-DD UTC */
	bool all_events;    /* scope: every event */
	const char *events; /* else its events' slugs, "a,b" ("" none) */
};
enum store_rc store_users_list(struct db *db,
			       int (*row)(void *ctx,
					  const struct store_user_row *u),
			       void *ctx);
/* USER_ADD: OK, TAKEN (the name), INVALID (name or role), DOWN, FAILED. */
enum store_rc store_user_add(struct db *db, const char *name, const char *hash,
			     const char *role);
/* USER_PASSWD: a new hash; the account's sessions end with it (its API
 * tokens by schema/014's trigger). OK, NONE, DOWN, FAILED. */
enum store_rc store_user_passwd(struct db *db, const char *name,
				const char *hash);
/* USER_DEL: OK, NONE, DOWN, FAILED. */
enum store_rc store_user_delete(struct db *db, const char *name);
/* TOKEN_ADD: a bearer token (its hash) for user name, valid days. OK,
 * NONE (no such user), DOWN, FAILED. */
enum store_rc store_token_add(struct db *db, const char *name, const char *hash,
			      int days);
/* TOKEN_REVOKE / TOKEN_REVOKE_ALL: id < 0 revokes every token of name;
 * *count the tokens revoked. OK (even when 0), DOWN, FAILED. */
enum store_rc store_token_revoke(struct db *db, const char *name, long long id,
				 long *count);
/* TOKENS_LIST: the user's tokens (UTC ISO 8601 times; last_used "-" if
 * never). NONE when there is no such user. */
struct store_token_row {
	const char *id, *created, *expires, *last_used;
	bool expired;
};
enum store_rc store_tokens_list(struct db *db, const char *name,
				int (*row)(void *ctx,
					   const struct store_token_row *t),
				void *ctx);

/* --- the admin pages (store_admin.c) --- */

/* ADMIN_EVENTS: the events user_id may see (enquete_user_sees), archived
 * ones left out, with their counts (titles in lang). */
struct store_admin_event {
	const char *slug, *title;
	long pre, post, paired; /* responses (statistics counters) */
	long issued, answered;	/* badge codes, and those used */
	long attendance;	/* 0 when not recorded */
	bool pre_open, post_open;
};
enum store_rc store_admin_events(struct db *db, const char *lang,
				 long long user_id,
				 int (*row)(void *ctx,
					    const struct store_admin_event *e),
				 void *ctx);

/* --- roles, scopes, archived events, the audit log (store_roles.c) --- */

/* USER_SEES_EVENT: *sees is whether user_id may see the event slug
 * (schema/functions/roles.sql: admins every event, archived ones too;
 * organisers and experts their scope, never an archived event; false
 * for an unknown event). OK, DOWN, FAILED. */
enum store_rc store_user_sees_event(struct db *db, long long user_id,
				    const char *slug, bool *sees);
/* USER_SCOPE_SET: replaces user name's scope: every event (all), or
 * exactly the events of slugs (a PostgreSQL array literal of valid slugs,
 * "{a,b}"; "{}" for none). Nothing changes when a slug names no event:
 * then STORE_INVALID and unknown (when given, unknownlen bytes) lists
 * them "a,b". OK, NONE (no such user), INVALID, DOWN, FAILED. */
enum store_rc store_user_scope_set(struct db *db, const char *name, bool all,
				   const char *slugs, char *unknown,
				   size_t unknownlen);
/* USER_ROLE_SET: OK, NONE, INVALID (not a role), DOWN, FAILED. */
enum store_rc store_user_role_set(struct db *db, const char *name,
				  const char *role);
/* USER_GRANT_EVENT: adds event slug to the scope of user user_id (the
 * creator of an event gets it: call it right after creating the event).
 * Granting an event the user has already is OK. A user whose scope is
 * every event keeps it. OK, NONE (no such user or event), DOWN, FAILED. */
enum store_rc store_user_grant_event(struct db *db, long long user_id,
				     const char *slug);
/* EVENT_ARCHIVE: hides the event from every list and from everyone but
 * admins; its data stay. Archiving it again is OK (the first time
 * stays). OK, NONE (no such event), DOWN, FAILED. */
enum store_rc store_event_archive(struct db *db, const char *slug);

/* AUDIT_ADD: records one change in the audit log.
 * - actor: who made it: the signed-in user's name, or "cli:<os user>"
 *   for enquetectl (1..200 bytes);
 * - slug: the event it changed, or NULL for none (accounts);
 * - action: "<object>.<verb>", lower case and _ only, one of the list in
 *   README "Audit log" (event.create, definition.version, window.open,
 *   ...); anything else is refused (STORE_INVALID);
 * - detail: what changed, a JSON object's text (NULL: {}).
 * OK, INVALID, DOWN, FAILED. The domain's audit_record (audit.h) takes
 * a json-c object instead of text. */
enum store_rc store_audit(struct db *db, const char *actor, const char *slug,
			  const char *action, const char *detail);
/* AUDIT_LIST: the newest entries first, at most limit, that user_id may
 * read: admins every entry; others the entries of the events they see
 * (none about accounts). slug "" for every event, else that event's;
 * action "" for every action. Times UTC "YYYY-MM-DD HH:MM:SS"; event ""
 * when none; detail a JSON object's text. */
struct store_audit_row {
	const char *at, *actor, *event, *action, *detail;
};
enum store_rc store_audit_list(struct db *db, long long user_id,
			       const char *slug, const char *action, int limit,
			       int (*row)(void *ctx,
					  const struct store_audit_row *a),
			       void *ctx);

/* --- exports (store_export.c), on the analytics connection --- */

/*
 * Streaming. Every function below hands its rows to the callback one at a
 * time AS THEY ARRIVE from the server (libpq single-row mode), never the
 * whole result at once: whatever the event's size, the store holds one
 * row. The strings of a row are borrowed for the callback's duration
 * only (copy what must outlive it). A callback returning non-zero stops
 * the query (it is cancelled on the server) and the function returns
 * STORE_STOPPED. A failure after some rows were delivered returns DOWN or
 * FAILED: the caller has then seen a partial result and must discard
 * what it made of it (an HTTP handler that already sent part of the body
 * aborts the response: see page_export.c). New streaming reads follow the
 * same pattern: a statement in db_sql.h, then a function here built on
 * store_each (db.h) that turns each row into a struct of strings.
 * The domain side (export.h, struct export_sink) writes the bytes into a
 * buffer that is flushed to the client every EXPORT_CHUNK bytes.
 */

/* EXPORT_ANSWERS: one row per stored answer value, non-personal items
 * only, participants in order, pre before post, items in form order. */
struct store_answer_row {
	const char *participant_id;
	const char *code;	  /* XXXX-XXXX */
	const char *instrument;	  /* "pre" / "post" */
	const char *submitted_at; /* UTC ISO 8601 */
	const char *item, *value;
	const char *rank; /* NULL when the item is not ranked */
	const char *lang, *source;
};
enum store_rc store_export_answers(struct db *db, long event_id,
				   int (*row)(void *ctx,
					      const struct store_answer_row *a),
				   void *ctx);
/* EXPORT_RESPONSES: one row per response, its answers as JSON text. */
struct store_response_row {
	const char *code, *instrument, *submitted_at, *answers, *lang, *source;
};
enum store_rc store_export_responses(
    struct db *db, long event_id,
    int (*row)(void *ctx, const struct store_response_row *r), void *ctx);
/* DASH_CONTACTS: consented contacts (limit < 0: all), with the answer to
 * interest_item of the same response ("" when none). */
struct store_contact_row {
	const char *item, *value, *submitted_at, *interest;
};
enum store_rc store_contacts(
    struct db *db, long event_id, const char *interest_item, long limit,
    int (*row)(void *ctx, const struct store_contact_row *c), void *ctx);

#endif
