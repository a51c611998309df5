/* test_i18n.c: the UI catalogs load and are complete; an incomplete one is
 * refused by name; language negotiation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "i18n.h"

static void test_catalogs(void)
{
	char err[512];
	struct json_object *v;
	int i;

	CHECK(i18n_catalog("fr") == NULL);
	CHECK_MSG(i18n_load("templates/i18n", err, sizeof(err)) == 0, "%s",
	    err);
	for (i = 0; i < I18N_NLANGS; i++) {
		CHECK(i18n_catalog(i18n_langs[i]) != NULL);
		CHECK(json_object_object_length(i18n_catalog(i18n_langs[i])) >
		    50);
	}
	CHECK(i18n_catalog("de") == i18n_catalog("fr"));
	CHECK(i18n_catalog(NULL) == i18n_catalog("fr"));
	CHECK_STR(i18n_get("fr", "lang_name"), "Français");
	CHECK_STR(i18n_get("en", "lang_name"), "English");
	CHECK_STR(i18n_get("ar", "lang_name"), "العربية");
	CHECK_STR(i18n_get("en", "submit"), "Submit");
	CHECK_STR(i18n_get("en", "no_such_key"), "no_such_key");
	/* Keys the rest of the product relies on. */
	{
		static const char *keys[] = {"site_name", "language_switcher",
		    "skip_to_content", "required_marker", "submit", "next",
		    "previous", "progress_section", "progress_of",
		    "privacy_title", "privacy_notice", "thanks_title",
		    "participant_code_label", "participant_code_help",
		    "code_input_label", "code_input_help", "error_required",
		    "error_invalid_choice", "error_out_of_range",
		    "error_not_a_number", "error_too_long",
		    "error_control_chars", "error_invalid_utf8",
		    "error_unknown_code", "error_already_answered",
		    "error_closed", "error_unavailable", "error_form_expired",
		    "error_too_many_selected", "error_rank_duplicate",
		    "title_400", "title_403", "title_404", "title_405",
		    "title_413", "title_500", "sign_in", "username", "password",
		    "sign_out", "error_wrong_credentials",
		    "error_too_many_attempts", "events", "responses_pre",
		    "responses_post", "responses_paired", "response_rate",
		    "dashboard", "report", "exports", "codes", "users",
		    "filters"};
		size_t k;

		for (k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			CHECK_MSG(json_object_object_get_ex(i18n_catalog("ar"),
				      keys[k], &v),
			    "key %s", keys[k]);
	}
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void remove_dir(const char *dir)
{
	static const char *names[] = {"fr.json", "en.json", "ar.json"};
	char path[512];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_incomplete(void)
{
	char dir[] = "/tmp/enquete-i18n-XXXXXX", err[512];
	struct json_object *before = i18n_catalog("en");

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	write_file(dir, "fr.json", "{\"submit\": \"Envoyer\", \"next\": "
				   "\"Suivant\"}");
	write_file(dir, "en.json", "{\"submit\": \"Submit\"}");
	write_file(dir, "ar.json", "{\"submit\": \"إرسال\", \"next\": "
				   "\"التالي\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en.json") && strstr(err, "\"next\""), "%s", err);
	/* A failed load keeps the catalogs loaded before. */
	CHECK(i18n_catalog("en") == before);

	/* A key only in a non-reference catalog is refused too. */
	write_file(dir, "en.json", "{\"submit\": \"Submit\", \"next\": "
				   "\"Next\", \"extra\": \"x\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "fr.json") && strstr(err, "\"extra\""), "%s",
	    err);

	/* Empty string. */
	write_file(dir, "en.json", "{\"submit\": \"Submit\", \"next\": \"\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en.json") && strstr(err, "\"next\"") &&
		strstr(err, "empty"),
	    "%s", err);

	/* Not a string; not an object; not JSON. */
	write_file(dir, "en.json", "{\"submit\": \"Submit\", \"next\": 3}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "\"next\""), "%s", err);
	write_file(dir, "en.json", "[]");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en.json"), "%s", err);
	write_file(dir, "en.json", "{\"submit\": ");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en.json"), "%s", err);

	/* Complete: accepted. */
	write_file(dir, "en.json", "{\"submit\": \"Submit\", \"next\": "
				   "\"Next\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), 0);
	CHECK_STR(i18n_get("en", "next"), "Next");
	remove_dir(dir);
}

/* Parts dir/LANG/NAME.json add keys; each must be in every language and
 * defined once. */
static void test_parts(void)
{
	static const char *langs[] = {"fr", "en", "ar"};
	char dir[] = "/tmp/enquete-i18n-XXXXXX", err[512], sub[64], p[128];
	size_t i;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	write_file(dir, "fr.json", "{\"submit\": \"Envoyer\"}");
	write_file(dir, "en.json", "{\"submit\": \"Submit\"}");
	write_file(dir, "ar.json", "{\"submit\": \"إرسال\"}");
	for (i = 0; i < 3; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, langs[i]);
		CHECK(mkdir(sub, 0700) == 0);
		write_file(sub, "console.json", "{\"audit\": \"x\"}");
	}
	CHECK_INT(i18n_load(dir, err, sizeof(err)), 0);
	CHECK_STR(i18n_get("ar", "audit"), "x");
	CHECK_STR(i18n_get("ar", "submit"), "إرسال");

	/* A part key missing in one language. */
	snprintf(sub, sizeof(sub), "%s/en", dir);
	write_file(sub, "console.json", "{\"other\": \"y\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "\"audit\"") || strstr(err, "\"other\""), "%s",
	    err);

	/* A key defined in the catalog and again in a part. */
	write_file(sub, "console.json", "{\"audit\": \"y\", \"submit\": "
					"\"z\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en/console.json") && strstr(err, "\"submit\"") &&
		strstr(err, "already"),
	    "%s", err);

	/* An empty string in a part names the part. */
	write_file(sub, "console.json", "{\"audit\": \"\"}");
	CHECK_INT(i18n_load(dir, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "en/console.json"), "%s", err);

	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s/console.json", dir, langs[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s", dir, langs[i]);
		rmdir(p);
	}
	remove_dir(dir);
}

struct nego_case {
	const char *query, *cookie, *header, *want;
};

static void test_negotiate(void)
{
	static const struct nego_case cases[] = {
	    {NULL, NULL, NULL, "fr"},
	    {"", "", "", "fr"},
	    {"en", NULL, NULL, "en"},
	    {"ar", "en", "fr", "ar"},
	    {"en", "ar", "ar", "en"},
	    {NULL, "ar", "en", "ar"},
	    {"de", "en", "ar", "en"},
	    {"xx", "yy", "ar", "ar"},
	    {"EN", NULL, NULL, "en"},
	    {"ar-MA", NULL, NULL, "ar"},
	    {"en<script>", NULL, NULL, "fr"},
	    {"english", NULL, NULL, "fr"},
	    {NULL, NULL, "ar-MA,ar;q=0.9,en;q=0.5", "ar"},
	    {NULL, NULL, "de-DE,de;q=0.9,en;q=0.5,fr;q=0.4", "en"},
	    {NULL, NULL, "en;q=0.5, ar;q=0.8", "ar"},
	    {NULL, NULL, "en;q=0.8, ar;q=0.8", "en"},
	    {NULL, NULL, "en-US", "en"},
	    {NULL, NULL, "*", "fr"},
	    {NULL, NULL, "*;q=1, en;q=0.1", "en"},
	    {NULL, NULL, "de, es", "fr"},
	    {NULL, NULL, "en;q=0", "fr"},
	    {NULL, NULL, "ar;q=0, en;q=0.001", "en"},
	    {NULL, NULL, "en;q=2, ar;q=0.3", "ar"},
	    {NULL, NULL, "en;q=abc, ar;q=0.3", "ar"},
	    {NULL, NULL, "en;q=0.1234, ar;q=0.3", "ar"},
	    {NULL, NULL, "en ; q = 0.7 , ar;q=0.6", "en"},
	    {NULL, NULL, "EN-gb;Q=0.7", "en"},
	    {NULL, NULL, ",,,;;;==", "fr"},
	    {NULL, NULL, "ar;level=1;q=0.9", "ar"},
	    {NULL, NULL, "zh-Hant-TW, en-GB;q=0.2", "en"},
	    {NULL, NULL, "e", "fr"},
	    {NULL, NULL, "ara", "fr"},
	    {NULL, NULL, "\xff\xfe", "fr"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *got = i18n_negotiate(cases[i].query, cases[i].cookie,
		    cases[i].header);
		CHECK_MSG(strcmp(got, cases[i].want) == 0,
		    "negotiate(%s, %s, %s) = %s, want %s",
		    cases[i].query ? cases[i].query : "NULL",
		    cases[i].cookie ? cases[i].cookie : "NULL",
		    cases[i].header ? cases[i].header : "NULL", got,
		    cases[i].want);
	}
	/* A long garbage header is bounded and safe. */
	{
		size_t n = 100000;
		char *h = malloc(n + 1);
		memset(h, ',', n);
		h[n] = '\0';
		CHECK_STR(i18n_negotiate(NULL, NULL, h), "fr");
		memcpy(h + n - 2, "ar", 2);
		CHECK_STR(i18n_negotiate(NULL, NULL, h), "fr");
		free(h);
	}
	CHECK_STR(i18n_dir("ar"), "rtl");
	CHECK_STR(i18n_dir("fr"), "ltr");
	CHECK_STR(i18n_dir("en"), "ltr");
	CHECK_STR(i18n_dir(NULL), "ltr");
}

int main(void)
{
	test_catalogs();
	test_incomplete();
	test_parts();
	test_negotiate();
	i18n_free();
	return check_done("i18n");
}
