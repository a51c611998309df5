/* config.h: the one settings table (pgbouncer's model). Every ENQUETE_*
 * environment variable enquete knows is declared once in cfg_table (name,
 * type, default, bounds, who reads it, one line of doc); the programs parse
 * theirs once at start with config_load(), and a bad value stops the start
 * with a message naming the variable and the bound. Readers get typed values
 * through cfg_str() / cfg_int(); nothing else calls getenv. The README's
 * configuration table mirrors cfg_table (tests/unit/test_config.c compares
 * them). */
#ifndef ENQUETE_CONFIG_H
#define ENQUETE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

enum cfg_id {
	/* read by the C programs */
	CFG_DATABASE_URL,
	CFG_MIGRATE_DATABASE_URL,
	CFG_ANALYTICS_DATABASE_URL,
	CFG_PUBLIC_URL,
	CFG_TEMPLATES,
	CFG_SCHEMA,
	CFG_SOCKET,
	CFG_SOCKET_GROUP,
	CFG_RUN_AS,
	CFG_WORKERS,
	CFG_FILTER_TIMEOUT_MS,
	CFG_SMTP_URL,  /* the follow-up invitations' relay (issue 24) */
	CFG_SMTP_FROM,
	CFG_DB_POOLED,
	CFG_XLSX_SHEET_ROWS, /* results.xlsx's rows per responses sheet */
	/* read only by the shell scripts and the tests (documented here so
	 * that the README table has one source) */
	CFG_VAR,
	CFG_PORT,
	CFG_LISTEN,
	CFG_ADMIN_PASSWORD,
	CFG_PG_FAST,
	CFG_PG_SHARED_BUFFERS,
	CFG_BASE_URL,
	CFG_PGBOUNCER,
	CFG_MASTERS,
	CFG__MAX
};

enum cfg_type {
	CFG_T_STRING,   /* any text without control characters, max bytes */
	CFG_T_CONNINFO, /* a libpq conninfo; its password is masked in print */
	CFG_T_URL,      /* http:// or https://, max bytes */
	CFG_T_INT,      /* a decimal integer, whole string, min..max */
	CFG_T_SMTP_URL, /* smtp:// or smtps://; its password is masked */
};

/* Who reads a setting (bit set). */
enum cfg_reader {
	CFG_R_FCGI = 1 << 0,    /* bin/enquete-fcgi */
	CFG_R_CTL = 1 << 1,     /* bin/enquetectl */
	CFG_R_SCRIPTS = 1 << 2, /* scripts/stack and the other scripts */
	CFG_R_TESTS = 1 << 3,   /* the test suites' clients */
};
#define CFG_R_PROGRAMS (CFG_R_FCGI | CFG_R_CTL)

struct cfg_setting {
	const char *name;     /* "ENQUETE_WORKERS" */
	enum cfg_type type;
	const char *def;      /* default value (NULL: none) */
	enum cfg_id def_from; /* when inherits: the default is that setting's */
	int inherits;
	const char *def_text; /* how an absent default reads ("random") */
	long min, max;        /* CFG_T_INT: bounds; strings: max = bytes */
	unsigned readers;     /* enum cfg_reader bits */
	const char *doc;      /* one line */
};

extern const struct cfg_setting cfg_table[CFG__MAX];

/* Reads from the environment every setting that one of the readers in
 * `who` reads (an empty value counts as unset), checks it against its
 * bounds and keeps the typed value. 0, or -1 with err holding a message
 * such as "invalid value for ENQUETE_WORKERS: \"0\" (must be between 1
 * and 256)". Called once at start, before any fork. */
int config_load(unsigned who, char *err, size_t errlen);

/* The effective value of a string setting (the environment's, else the
 * default, else NULL). Borrowed from the environment or the table. Before
 * config_load(), the defaults. */
const char *cfg_str(enum cfg_id id);
/* The effective value of an integer setting. */
long cfg_int(enum cfg_id id);
/* 1 when the setting came from the environment. */
int cfg_is_set(enum cfg_id id);

/* The default as the README's table writes it: `value`, `ENQUETE_X`
 * (inherited), or the def_text ("unset"). Static string or into buf. */
const char *cfg_default_text(enum cfg_id id, char *buf, size_t len);
/* The readers as the README's table writes them: "enquete-fcgi,
 * enquetectl". Into buf. */
const char *cfg_readers_text(enum cfg_id id, char *buf, size_t len);
/* A conninfo with its password replaced by "*****" (URL form
 * "postgresql://u:pw@h/db" and keyword form "password=pw"). Into buf. */
const char *cfg_mask_conninfo(const char *conninfo, char *buf, size_t len);

/* Prints the effective settings read by the programs: one line each,
 * "NAME=value  (default|environment; read by ...)", passwords masked. */
void config_print(FILE *out);

#endif
