/* config.c: the settings table and its parser (see config.h). The only
 * file that reads the environment. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PATH_BYTES 4096

const struct cfg_setting cfg_table[CFG__MAX] = {
	[CFG_DATABASE_URL] = {"ENQUETE_DATABASE_URL", CFG_T_CONNINFO,
	    "dbname=enquete", 0, 0, NULL, 0, PATH_BYTES, CFG_R_PROGRAMS |
		CFG_R_SCRIPTS | CFG_R_TESTS,
	    "libpq conninfo of the database; when set, scripts/stack starts "
	    "no private cluster (else it passes its own). For an external "
	    "database, the workers' role (`enquete_app`: rows only, no DDL)"},
	[CFG_MIGRATE_DATABASE_URL] = {"ENQUETE_MIGRATE_DATABASE_URL",
	    CFG_T_CONNINFO, NULL, CFG_DATABASE_URL, 1, NULL, 0, PATH_BYTES,
	    CFG_R_CTL,
	    "the conninfo `enquetectl migrate` uses: the schema's owner (see "
	    "Deploying)"},
	[CFG_ANALYTICS_DATABASE_URL] = {"ENQUETE_ANALYTICS_DATABASE_URL",
	    CFG_T_CONNINFO, NULL, CFG_DATABASE_URL, 1, NULL, 0, PATH_BYTES,
	    CFG_R_PROGRAMS | CFG_R_SCRIPTS,
	    "where dashboard, summary and export queries go (a read replica)"},
	[CFG_PUBLIC_URL] = {"ENQUETE_PUBLIC_URL", CFG_T_URL,
	    "http://127.0.0.1:8080", 0, 0, NULL, 0, 2048,
	    CFG_R_PROGRAMS | CFG_R_SCRIPTS,
	    "the base URL printed in QR codes and links; https:// makes "
	    "every cookie Secure and adds HSTS (scripts/stack passes "
	    "`http://$ENQUETE_LISTEN:$ENQUETE_PORT` when unset)"},
	[CFG_TEMPLATES] = {"ENQUETE_TEMPLATES", CFG_T_STRING, "templates", 0,
	    0, NULL, 0, PATH_BYTES, CFG_R_PROGRAMS,
	    "the templates directory (with i18n/), compiled at start "
	    "(scripts/stack passes the repository's)"},
	[CFG_SCHEMA] = {"ENQUETE_SCHEMA", CFG_T_STRING, "schema", 0, 0, NULL,
	    0, PATH_BYTES, CFG_R_CTL,
	    "the schema directory (migrations, functions/, backfill/) `enquetectl migrate` applies "
	    "(scripts/stack passes the repository's)"},
	[CFG_SOCKET] = {"ENQUETE_SOCKET", CFG_T_STRING, "var/run/fcgi.sock",
	    0, 0, NULL, 0, 106, CFG_R_FCGI,
	    "the FastCGI socket the workers listen on (scripts/stack passes "
	    "one in its runtime directory)"},
	[CFG_SOCKET_GROUP] = {"ENQUETE_SOCKET_GROUP", CFG_T_STRING,
	    "www-data", 0, 0, NULL, 0, 255, CFG_R_FCGI,
	    "the group of the FastCGI socket (mode 0660): nginx's workers' "
	    "group"},
	[CFG_RUN_AS] = {"ENQUETE_RUN_AS", CFG_T_STRING, "enquete", 0, 0, NULL,
	    0, 255, CFG_R_FCGI | CFG_R_SCRIPTS,
	    "the user the workers run as when started as root (`scripts/stack` "
	    "creates the system user `enquete` when missing)"},
	[CFG_WORKERS] = {"ENQUETE_WORKERS", CFG_T_INT, "8", 0, 0, NULL, 1, 256,
	    CFG_R_FCGI | CFG_R_SCRIPTS, "FastCGI worker processes"},
	[CFG_FILTER_TIMEOUT_MS] = {"ENQUETE_FILTER_TIMEOUT_MS", CFG_T_INT,
	    "20000", 0, 0, NULL, 1, 3600000, CFG_R_FCGI | CFG_R_TESTS,
	    "time limit of a summary or dashboard under combined filters "
	    "(below nginx's 60 s)"},
	[CFG_SMTP_URL] = {"ENQUETE_SMTP_URL", CFG_T_SMTP_URL, NULL, 0, 0,
	    "unset", 0, 2048, CFG_R_PROGRAMS,
	    "the SMTP relay of the follow-up invitations, "
	    "`smtp://[user:password@]host[:port]` (STARTTLS required with "
	    "`?tls=1`) or `smtps://...` (TLS); unset: no mail is sent"},
	[CFG_SMTP_FROM] = {"ENQUETE_SMTP_FROM", CFG_T_STRING, NULL, 0, 0,
	    "unset", 0, 254, CFG_R_PROGRAMS,
	    "the invitations' sender address (`name@example.org`)"},
	[CFG_DB_POOLED] = {"ENQUETE_DB_POOLED", CFG_T_INT, "0", 0, 0, NULL, 0,
	    1, CFG_R_PROGRAMS | CFG_R_SCRIPTS,
	    "`1`: ENQUETE_DATABASE_URL is a transaction-pooling pgbouncer: "
	    "statements are sent unnamed (no prepared statements) and the "
	    "workers do not LISTEN (scripts/stack sets it with "
	    "ENQUETE_PGBOUNCER=1)"},
	[CFG_XLSX_SHEET_ROWS] = {"ENQUETE_XLSX_SHEET_ROWS", CFG_T_INT,
	    "1048576", 0, 0, NULL, 10, 1048576, CFG_R_FCGI,
	    "rows of each responses sheet of results.xlsx, the header's "
	    "included (Excel's limit); past it the participants go on in "
	    "`responses 2`, `responses 3`... (a small value is for tests: "
	    "each sheet costs a temporary file and about 130 KiB while the "
	    "workbook is built)"},
	[CFG_VAR] = {"ENQUETE_VAR", CFG_T_STRING, "var/", 0, 0, NULL, 0,
	    PATH_BYTES, CFG_R_SCRIPTS,
	    "the stack's state: logs, pid files, and (usually) the database"},
	[CFG_PORT] = {"ENQUETE_PORT", CFG_T_INT, "8080", 0, 0, NULL, 1, 65535,
	    CFG_R_SCRIPTS | CFG_R_TESTS, "the port nginx listens on"},
	[CFG_LISTEN] = {"ENQUETE_LISTEN", CFG_T_STRING, "127.0.0.1", 0, 0,
	    NULL, 0, 255, CFG_R_SCRIPTS | CFG_R_TESTS,
	    "the address nginx binds"},
	[CFG_ADMIN_PASSWORD] = {"ENQUETE_ADMIN_PASSWORD", CFG_T_STRING, NULL,
	    0, 0, "random", 0, 1024, CFG_R_SCRIPTS | CFG_R_TESTS,
	    "password of the accounts created on first start"},
	[CFG_PG_FAST] = {"ENQUETE_PG_FAST", CFG_T_STRING, NULL, 0, 0, "unset",
	    0, 1, CFG_R_SCRIPTS,
	    "`1` turns fsync off in the private cluster (the tests use it)"},
	[CFG_PG_SHARED_BUFFERS] = {"ENQUETE_PG_SHARED_BUFFERS", CFG_T_STRING,
	    NULL, 0, 0, "a quarter of memory, 128MB to 8GB", 0, 32,
	    CFG_R_SCRIPTS,
	    "the private cluster's `shared_buffers` (as "
	    "deploy/postgresql/primary.conf advises for a dedicated host)"},
	[CFG_BASE_URL] = {"ENQUETE_BASE_URL", CFG_T_URL, NULL, 0, 0,
	    "`http://$ENQUETE_LISTEN:$ENQUETE_PORT`", 0, 2048,
	    CFG_R_SCRIPTS | CFG_R_TESTS,
	    "the address the test clients and scripts/demo send requests to"},
	[CFG_PGBOUNCER] = {"ENQUETE_PGBOUNCER", CFG_T_INT, "0", 0, 0, NULL, 0,
	    1, CFG_R_SCRIPTS | CFG_R_TESTS,
	    "`1`: scripts/stack puts pgbouncer (transaction pooling, a Unix "
	    "socket in the runtime directory) between the workers and the "
	    "private cluster; migrations and the statistics folder connect "
	    "directly"},
	[CFG_MASTERS] = {"ENQUETE_MASTERS", CFG_T_INT, "1", 0, 0, NULL, 1, 8,
	    CFG_R_SCRIPTS | CFG_R_TESTS,
	    "FastCGI masters scripts/stack starts, each on its own socket, "
	    "behind one nginx upstream (as separate application hosts)"},
};

/* The parsed values; before config_load(), every slot is unset. */
static struct {
	const char *s;
	long n;
	int set;
} values[CFG__MAX];

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Checks v against setting c; 0, or -1 with err. */
static int check_value(const struct cfg_setting *c, const char *v, long *n,
    char *err, size_t errlen)
{
	size_t len = strlen(v);

	if (c->type == CFG_T_INT) {
		char *end;
		long x;

		errno = 0;
		x = strtol(v, &end, 10);
		/* the whole string, digits only (strtol skips spaces) */
		if ((*v != '-' && (*v < '0' || *v > '9')) || end == v ||
		    *end != '\0' || errno == ERANGE ||
		    x < c->min || x > c->max) {
			snprintf(err, errlen, "invalid value for %s: \"%.40s\" "
			    "(must be an integer between %ld and %ld)",
			    c->name, v, c->min, c->max);
			return -1;
		}
		*n = x;
		return 0;
	}
	if (len > (size_t)c->max) {
		snprintf(err, errlen, "invalid value for %s: too long "
		    "(%zu bytes, at most %ld)", c->name, len, c->max);
		return -1;
	}
	if (has_control(v)) {
		snprintf(err, errlen, "invalid value for %s: contains a "
		    "control character", c->name);
		return -1;
	}
	if (c->type == CFG_T_SMTP_URL && strncmp(v, "smtp://", 7) != 0 &&
	    strncmp(v, "smtps://", 8) != 0) {
		snprintf(err, errlen, "invalid value for %s: \"%.40s\" (must "
		    "start with smtp:// or smtps://)", c->name, v);
		return -1;
	}
	if (c->type == CFG_T_URL && strncmp(v, "http://", 7) != 0 &&
	    strncmp(v, "https://", 8) != 0) {
		snprintf(err, errlen, "invalid value for %s: \"%.40s\" (must "
		    "start with http:// or https://)", c->name, v);
		return -1;
	}
	return 0;
}

int config_load(unsigned who, char *err, size_t errlen)
{
	/* first the explicit values, then the inherited defaults */
	for (int i = 0; i < CFG__MAX; i++) {
		const struct cfg_setting *c = &cfg_table[i];
		const char *v;

		values[i].s = NULL;
		values[i].n = 0;
		values[i].set = 0;
		if (!(c->readers & who))
			continue;
		v = getenv(c->name);
		if (v != NULL && *v != '\0') {
			if (check_value(c, v, &values[i].n, err, errlen) != 0)
				return -1;
			values[i].s = v;
			values[i].set = 1;
		} else if (c->def != NULL) {
			if (check_value(c, c->def, &values[i].n, err,
				errlen) != 0)
				return -1; /* a bad table: caught by the tests */
		}
	}
	return 0;
}

const char *cfg_str(enum cfg_id id)
{
	if (id >= CFG__MAX)
		return NULL;
	if (values[id].set)
		return values[id].s;
	if (cfg_table[id].inherits)
		return cfg_str(cfg_table[id].def_from);
	return cfg_table[id].def;
}

long cfg_int(enum cfg_id id)
{
	if (id >= CFG__MAX)
		return 0;
	if (values[id].set)
		return values[id].n;
	return cfg_table[id].def ? strtol(cfg_table[id].def, NULL, 10) : 0;
}

int cfg_is_set(enum cfg_id id)
{
	return id < CFG__MAX && values[id].set;
}

const char *cfg_default_text(enum cfg_id id, char *buf, size_t len)
{
	const struct cfg_setting *c = &cfg_table[id];

	if (c->inherits)
		snprintf(buf, len, "`%s`", cfg_table[c->def_from].name);
	else if (c->def)
		snprintf(buf, len, "`%s`", c->def);
	else
		snprintf(buf, len, "%s", c->def_text ? c->def_text : "unset");
	return buf;
}

const char *cfg_readers_text(enum cfg_id id, char *buf, size_t len)
{
	static const char *const names[] = {"enquete-fcgi", "enquetectl",
	    "scripts", "tests"};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		int n;

		if (!(cfg_table[id].readers & (1u << k)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    names[k]);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* Copies s[0..n) into buf at *used, bounded. */
static void put(char *buf, size_t len, size_t *used, const char *s, size_t n)
{
	if (*used + 1 >= len)
		return;
	if (n > len - 1 - *used)
		n = len - 1 - *used;
	memcpy(buf + *used, s, n);
	*used += n;
	buf[*used] = '\0';
}

const char *cfg_mask_conninfo(const char *ci, char *buf, size_t len)
{
	static const char mask[] = "*****";
	size_t used = 0;
	const char *scheme = strstr(ci, "://");

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (scheme != NULL) {
		/* URL form: scheme://user:password@host/... */
		const char *auth = scheme + 3;
		const char *at = strchr(auth, '@');
		const char *slash = strchr(auth, '/');
		const char *colon = strchr(auth, ':');

		if (at && (slash == NULL || at < slash) && colon && colon < at) {
			put(buf, len, &used, ci, (size_t)(colon + 1 - ci));
			put(buf, len, &used, mask, sizeof(mask) - 1);
			ci = at;
		}
		/* and a ?password= parameter */
		while (*ci) {
			const char *p = strstr(ci, "password=");
			if (p == NULL || (p != ci && p[-1] != '?' &&
					     p[-1] != '&')) {
				if (p == NULL) {
					put(buf, len, &used, ci, strlen(ci));
					break;
				}
				put(buf, len, &used, ci, (size_t)(p + 9 - ci));
				ci = p + 9;
				continue;
			}
			put(buf, len, &used, ci, (size_t)(p + 9 - ci));
			put(buf, len, &used, mask, sizeof(mask) - 1);
			ci = p + 9;
			ci += strcspn(ci, "&");
		}
		return buf;
	}
	/* keyword form: password=value or password='quoted value' */
	while (*ci) {
		const char *p = strstr(ci, "password");
		const char *q;

		if (p == NULL || (p != ci && p[-1] != ' ' && p[-1] != '\t')) {
			if (p == NULL) {
				put(buf, len, &used, ci, strlen(ci));
				break;
			}
			put(buf, len, &used, ci, (size_t)(p + 8 - ci));
			ci = p + 8;
			continue;
		}
		q = p + 8;
		q += strspn(q, " \t");
		if (*q != '=') {
			put(buf, len, &used, ci, (size_t)(q - ci));
			ci = q;
			continue;
		}
		q++;
		q += strspn(q, " \t");
		put(buf, len, &used, ci, (size_t)(q - ci));
		put(buf, len, &used, mask, sizeof(mask) - 1);
		if (*q == '\'') {
			for (q++; *q && *q != '\''; q++)
				if (*q == '\\' && q[1])
					q++;
			if (*q == '\'')
				q++;
		} else
			q += strcspn(q, " \t");
		ci = q;
	}
	return buf;
}

void config_print(FILE *out)
{
	for (int i = 0; i < CFG__MAX; i++) {
		const struct cfg_setting *c = &cfg_table[i];
		const char *v = cfg_str((enum cfg_id)i);
		char masked[PATH_BYTES + 16], who[64];

		if (!(c->readers & CFG_R_PROGRAMS))
			continue;
		if (v && (c->type == CFG_T_CONNINFO ||
			     c->type == CFG_T_SMTP_URL))
			v = cfg_mask_conninfo(v, masked, sizeof(masked));
		fprintf(out, "%s=%s\t(%s; read by %s)\n", c->name, v ? v : "",
		    values[i].set ? "environment" : "default",
		    cfg_readers_text((enum cfg_id)i, who, sizeof(who)));
	}
}
