/* test_config.c: the settings table: each bound refused with a message
 * naming the variable and the bound, defaults, masking, and the README's
 * configuration table compared with the table both ways. Run from the
 * repository's root (make unit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"

static void clear_env(void)
{
	for (int i = 0; i < CFG__MAX; i++)
		unsetenv(cfg_table[i].name);
}

static void test_defaults(void)
{
	char err[256] = "";

	clear_env();
	CHECK_INT(config_load(CFG_R_PROGRAMS, err, sizeof(err)), 0);
	CHECK_STR(cfg_str(CFG_DATABASE_URL), "dbname=enquete");
	/* inherited defaults follow the other setting */
	CHECK_STR(cfg_str(CFG_ANALYTICS_DATABASE_URL), "dbname=enquete");
	CHECK_STR(cfg_str(CFG_MIGRATE_DATABASE_URL), "dbname=enquete");
	CHECK_INT(cfg_int(CFG_WORKERS), 8);
	CHECK_INT(cfg_int(CFG_FILTER_TIMEOUT_MS), 20000);
	CHECK_INT(cfg_int(CFG_XLSX_SHEET_ROWS), 1048576);
	CHECK_STR(cfg_str(CFG_SOCKET), "var/run/fcgi.sock");
	CHECK_INT(cfg_is_set(CFG_SOCKET_GROUP), 0);
	setenv("ENQUETE_DATABASE_URL", "dbname=x", 1);
	setenv("ENQUETE_WORKERS", "", 1); /* empty counts as unset */
	CHECK_INT(config_load(CFG_R_PROGRAMS, err, sizeof(err)), 0);
	CHECK_STR(cfg_str(CFG_ANALYTICS_DATABASE_URL), "dbname=x");
	CHECK_INT(cfg_int(CFG_WORKERS), 8);
	CHECK_INT(cfg_is_set(CFG_WORKERS), 0);
	setenv("ENQUETE_ANALYTICS_DATABASE_URL", "dbname=replica", 1);
	CHECK_INT(config_load(CFG_R_PROGRAMS, err, sizeof(err)), 0);
	CHECK_STR(cfg_str(CFG_ANALYTICS_DATABASE_URL), "dbname=replica");
	CHECK_INT(cfg_is_set(CFG_ANALYTICS_DATABASE_URL), 1);
	clear_env();
	/* every default of the table passes its own bounds */
	for (int i = 0; i < CFG__MAX; i++) {
		CHECK_MSG(config_load(cfg_table[i].readers, err,
			      sizeof(err)) == 0, "%s: %s", cfg_table[i].name,
		    err);
		CHECK_MSG(cfg_table[i].doc && *cfg_table[i].doc &&
			      cfg_table[i].readers != 0,
		    "%s: no doc or no reader", cfg_table[i].name);
	}
}

static void test_bounds(void)
{
	static const struct {
		const char *name, *value;
		unsigned who;
		long want;         /* the int when accepted */
		const char *msg;   /* NULL: accepted; else in the message */
	} cases[] = {
	    {"ENQUETE_WORKERS", "1", CFG_R_FCGI, 1, NULL},
	    {"ENQUETE_WORKERS", "256", CFG_R_FCGI, 256, NULL},
	    {"ENQUETE_WORKERS", "0", CFG_R_FCGI, 0, "between 1 and 256"},
	    {"ENQUETE_WORKERS", "257", CFG_R_FCGI, 0, "between 1 and 256"},
	    {"ENQUETE_WORKERS", "-3", CFG_R_FCGI, 0, "between 1 and 256"},
	    {"ENQUETE_WORKERS", "12abc", CFG_R_FCGI, 0, "\"12abc\""},
	    {"ENQUETE_WORKERS", " 4", CFG_R_FCGI, 0, "between 1 and 256"},
	    {"ENQUETE_WORKERS", "4 ", CFG_R_FCGI, 0, "between 1 and 256"},
	    {"ENQUETE_WORKERS", "99999999999999999999", CFG_R_FCGI, 0,
		"between 1 and 256"},
	    {"ENQUETE_FILTER_TIMEOUT_MS", "2000", CFG_R_FCGI, 2000, NULL},
	    {"ENQUETE_FILTER_TIMEOUT_MS", "0", CFG_R_FCGI, 0,
		"between 1 and 3600000"},
	    {"ENQUETE_FILTER_TIMEOUT_MS", "3600001", CFG_R_FCGI, 0,
		"between 1 and 3600000"},
	    {"ENQUETE_FILTER_TIMEOUT_MS", "2s", CFG_R_FCGI, 0, "integer"},
	    {"ENQUETE_XLSX_SHEET_ROWS", "10", CFG_R_FCGI, 10, NULL},
	    {"ENQUETE_XLSX_SHEET_ROWS", "9", CFG_R_FCGI, 0,
		"between 10 and 1048576"},
	    {"ENQUETE_XLSX_SHEET_ROWS", "1048577", CFG_R_FCGI, 0,
		"between 10 and 1048576"},
	    {"ENQUETE_PUBLIC_URL", "https://e.example", CFG_R_FCGI, 0, NULL},
	    {"ENQUETE_PUBLIC_URL", "e.example", CFG_R_FCGI, 0,
		"http:// or https://"},
	    {"ENQUETE_SOCKET", "/tmp/x.sock", CFG_R_FCGI, 0, NULL},
	    {"ENQUETE_SOCKET",
		"/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock",
		CFG_R_FCGI, 0, "at most 106"},
	    {"ENQUETE_RUN_AS", "bad\nname", CFG_R_FCGI, 0, "control character"},
	    {"ENQUETE_DATABASE_URL", "dbname=a\x01", CFG_R_CTL, 0,
		"control character"},
	    /* a setting is checked only by the programs that read it */
	    {"ENQUETE_WORKERS", "0", CFG_R_CTL, 0, NULL},
	    {"ENQUETE_SCHEMA", "s\x7f", CFG_R_FCGI, 0, NULL},
	    {"ENQUETE_SCHEMA", "s\x7f", CFG_R_CTL, 0, "control character"},
	    {"ENQUETE_SMTP_URL", "smtps://u:p@mail.example:465", CFG_R_CTL, 0,
		NULL},
	    {"ENQUETE_SMTP_URL", "smtp://127.0.0.1:2525", CFG_R_FCGI, 0, NULL},
	    {"ENQUETE_SMTP_URL", "http://mail.example", CFG_R_CTL, 0,
		"smtp:// or smtps://"},
	};
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		clear_env();
		err[0] = '\0';
		setenv(cases[i].name, cases[i].value, 1);
		rc = config_load(cases[i].who, err, sizeof(err));
		if (cases[i].msg == NULL) {
			CHECK_MSG(rc == 0, "%s=%s refused: %s", cases[i].name,
			    cases[i].value, err);
			if (cases[i].want)
				CHECK_MSG(cfg_int(CFG_WORKERS) == cases[i].want ||
					cfg_int(CFG_FILTER_TIMEOUT_MS) ==
					    cases[i].want ||
					cfg_int(CFG_XLSX_SHEET_ROWS) ==
					    cases[i].want,
				    "%s=%s not kept", cases[i].name,
				    cases[i].value);
			continue;
		}
		CHECK_MSG(rc == -1, "%s=%s accepted", cases[i].name,
		    cases[i].value);
		/* the message names the variable and the bound */
		CHECK_MSG(strstr(err, cases[i].name) != NULL &&
			strstr(err, cases[i].msg) != NULL &&
			strncmp(err, "invalid value for ", 18) == 0,
		    "%s=%s: message \"%s\"", cases[i].name, cases[i].value, err);
	}
	clear_env();
}

static void test_mask(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"dbname=enquete", "dbname=enquete"},
	    {"host=h password=s3cret dbname=d", "host=h password=***** dbname=d"},
	    {"password = 's3 \\' cret' user=u", "password = ***** user=u"},
	    {"host=/tmp passwordx=1", "host=/tmp passwordx=1"},
	    {"postgresql://u:s3cret@h:5432/d", "postgresql://u:*****@h:5432/d"},
	    {"postgres://u@h/d", "postgres://u@h/d"},
	    {"postgresql://h/d?user=u&password=pw&sslmode=require",
		"postgresql://h/d?user=u&password=*****&sslmode=require"},
	    /* ENQUETE_SMTP_URL is masked the same way */
	    {"smtps://mailer:s3cret@smtp.example:465",
		"smtps://mailer:*****@smtp.example:465"},
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(cfg_mask_conninfo(cases[i].in, buf, sizeof(buf)),
		    cases[i].want);
	CHECK_STR(cfg_mask_conninfo("password=abcdef", buf, 8), "passwor");
}

/* Cell n (0-based) of a "| a | b | c |" row, trimmed, into out. */
static int cell(const char *row, int n, char *out, size_t len)
{
	const char *p = row;

	for (int k = 0; k <= n; k++) {
		p = strchr(p, '|');
		if (p == NULL)
			return -1;
		p++;
	}
	while (*p == ' ')
		p++;
	const char *e = strchr(p, '|');
	if (e == NULL)
		return -1;
	while (e > p && e[-1] == ' ')
		e--;
	if ((size_t)(e - p) >= len)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

static void test_readme(void)
{
	FILE *f = fopen("README.md", "r");
	char line[2048], name[128], def[256], who[128], want[256];
	int in_table = 0, seen[CFG__MAX] = {0}, rows = 0;

	if (f == NULL) {
		CHECK_SKIP(1, "README.md not found (run from the repository)");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		int id = -1;

		if (strncmp(line, "| variable | default | read by | what |",
			39) == 0) {
			in_table = 1;
			continue;
		}
		if (!in_table)
			continue;
		if (line[0] != '|')
			break;
		if (strncmp(line, "|---", 4) == 0)
			continue;
		rows++;
		CHECK(cell(line, 0, name, sizeof(name)) == 0 &&
		    cell(line, 1, def, sizeof(def)) == 0 &&
		    cell(line, 2, who, sizeof(who)) == 0);
		for (int i = 0; i < CFG__MAX; i++) {
			char quoted[128];
			snprintf(quoted, sizeof(quoted), "`%s`",
			    cfg_table[i].name);
			if (strcmp(quoted, name) == 0)
				id = i;
		}
		CHECK_MSG(id >= 0, "README lists %s, which is not in the "
		    "settings table", name);
		if (id < 0)
			continue;
		CHECK_MSG(!seen[id], "README lists %s twice", name);
		seen[id] = 1;
		CHECK_MSG(strcmp(def, cfg_default_text(id, want,
				      sizeof(want))) == 0,
		    "README default of %s is %s, the table's %s", name, def,
		    want);
		CHECK_MSG(strcmp(who, cfg_readers_text(id, want,
				      sizeof(want))) == 0,
		    "README readers of %s are %s, the table's %s", name, who,
		    want);
	}
	fclose(f);
	CHECK_MSG(in_table, "README has no configuration table");
	for (int i = 0; i < CFG__MAX; i++)
		CHECK_MSG(seen[i], "%s is missing from the README",
		    cfg_table[i].name);
	CHECK_INT(rows, CFG__MAX);
}

int main(void)
{
	test_defaults();
	test_bounds();
	test_mask();
	test_readme();
	return check_done("test_config");
}
