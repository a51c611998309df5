/* test_console.c: the console's domain (cgi/domain/console.c) on the
 * bundled IMANOR 2017 event: the safe-change rule case by case (what a new
 * version may change once answers exist, and each conflict it may not), an
 * event's properties from the console's fields (a shorter language list
 * drops those texts everywhere), an upload read as JSON or refused with
 * its line and column, and the stats_item rows. Runs with the repository
 * root as cwd. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check.h"
#include "console.h"
#include "qdef.h"

#define BUNDLED "schema/questionnaires/imanor-2017.json"

static struct json_object *bundled(void)
{
	struct qdef_errors e = {0, NULL};
	struct json_object *j = qdef_parse_file(BUNDLED, &e);

	qdef_errors_free(&e);
	return j;
}

/* The item key in every instrument of def, or NULL. */
static struct json_object *item(struct json_object *def, const char *inst,
    const char *key)
{
	struct json_object *ins, *in, *secs;

	if (!json_object_object_get_ex(def, "instruments", &ins) ||
	    !json_object_object_get_ex(ins, inst, &in) ||
	    !json_object_object_get_ex(in, "sections", &secs))
		return NULL;
	for (size_t s = 0; s < json_object_array_length(secs); s++) {
		struct json_object *items;
		json_object_object_get_ex(json_object_array_get_idx(secs, s),
		    "items", &items);
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			struct json_object *it = json_object_array_get_idx(items,
			    i), *k;
			if (json_object_object_get_ex(it, "key", &k) &&
			    strcmp(json_object_get_string(k), key) == 0)
				return it;
		}
	}
	return NULL;
}

static int has(const struct qdef_errors *e, const char *part)
{
	for (size_t i = 0; i < e->n; i++)
		if (strstr(e->msg[i], part))
			return 1;
	return 0;
}

/* Builds the model of j (validated); NULL (reported) when invalid. */
static struct qdef *model(struct json_object *j, const char *what)
{
	struct qdef_errors e = {0, NULL};
	struct qdef *d = NULL;

	if (qdef_validate(j, &e) == 0)
		d = qdef_build(j);
	for (size_t i = 0; i < e.n; i++)
		fprintf(stderr, "  %s: %s\n", what, e.msg[i]);
	CHECK_MSG(d != NULL, "%s: invalid", what);
	qdef_errors_free(&e);
	return d;
}

static struct json_object *copy(struct json_object *j)
{
	return json_tokener_parse(json_object_to_json_string(j));
}

/* The conflicts of the change f applied to a copy of base. */
static int conflicts(struct json_object *base, struct json_object *answered,
    void (*f)(struct json_object *), struct qdef_errors *e, const char *what)
{
	struct json_object *neu = copy(base);
	struct qdef *o = model(base, "base"), *n;
	int rc = -2;

	f(neu);
	n = model(neu, what);
	if (o && n)
		rc = console_check_changes(o, n, answered, e);
	qdef_free(o);
	qdef_free(n);
	json_object_put(neu);
	return rc;
}

static void set(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void reword(struct json_object *d)
{
	struct json_object *l;
	json_object_object_get_ex(item(d, "pre", "org_type"), "label", &l);
	set(l, "fr", "Votre organisation, en un mot");
}

static void add_option(struct json_object *d)
{
	struct json_object *opts, *o = json_object_new_object(), *lab =
	    json_object_new_object();

	json_object_object_get_ex(item(d, "pre", "org_type"), "options", &opts);
	set(lab, "fr", "Nouveau");
	set(lab, "en", "New");
	set(lab, "ar", "جديد");
	set(o, "value", "newkind");
	json_object_object_add(o, "label", lab);
	json_object_array_add(opts, o);
}

static void drop_option(struct json_object *d)
{
	struct json_object *opts;

	json_object_object_get_ex(item(d, "pre", "org_type"), "options", &opts);
	json_object_array_del_idx(opts, 0, 1);
}

static void change_role(struct json_object *d)
{
	set(item(d, "pre", "org_type"), "analysis", "descriptive");
}

int main(void)
{
	struct json_object *base = bundled(), *answered, *opts, *first;
	struct qdef_errors e = {0, NULL};
	const char *chamber;

	if (base == NULL) {
		CHECK(base != NULL);
		return check_done("console");
	}
	/* the first option of org_type was answered */
	json_object_object_get_ex(item(base, "pre", "org_type"), "options",
	    &opts);
	first = json_object_array_get_idx(opts, 0);
	json_object_object_get_ex(first, "value", &first);
	chamber = json_object_get_string(first);
	answered = json_object_new_object();
	CHECK(console_answered_row(answered, "pre", "org_type", chamber) == 0);
	CHECK(console_answered_row(answered, "pre", "know_iso", NULL) == 0);

	/* allowed: wording, a new option, an item nobody answered changed */
	CHECK_INT(conflicts(base, answered, reword, &e, "reword"), 0);
	CHECK_INT(conflicts(base, answered, add_option, &e, "add option"), 0);
	CHECK_INT(e.n, 0);
	/* refused: the answered option removed; the analysis changed */
	CHECK_INT(conflicts(base, answered, drop_option, &e, "drop"), 1);
	CHECK(has(&e, "pre.org_type: the answered option"));
	qdef_errors_free(&e);
	CHECK_INT(conflicts(base, answered, change_role, &e, "role"), 1);
	CHECK(has(&e, "pre.org_type: an answered item's analysis changes "
		      "from profile to descriptive"));
	qdef_errors_free(&e);
	/* the same change on an item nobody answered: allowed */
	{
		struct json_object *none = json_object_new_object();
		CHECK_INT(conflicts(base, none, change_role, &e, "role, none"),
		    0);
		json_object_put(none);
	}

	/* the event's fields: fr,ar drops English everywhere */
	{
		struct json_object *d = copy(base);
		struct console_event_fields f = {0};
		struct qdef *m;

		f.slug = "tunis-2026";
		f.title[QDEF_LANG_FR] = "Atelier de Tunis";
		f.title[QDEF_LANG_AR] = "ورشة تونس";
		f.languages = "fr,ar";
		f.place = "Tunis";
		f.country = "tn";
		f.timezone = "Africa/Tunis";
		f.collab[QDEF_LANG_FR] = "Collaboration avec l'INNORPI";
		f.collab[QDEF_LANG_AR] = "التعاون مع INNORPI";
		f.drop_windows = true;
		CHECK(console_apply_event(d, &f, &e) == 0);
		CHECK(strstr(json_object_to_json_string(d), "\"en\"") == NULL);
		m = model(d, "tunis");
		CHECK(m && strcmp(m->slug, "tunis-2026") == 0);
		CHECK(m && m->nlanguages == 2);
		{
			struct json_object *ev, *pl, *cc;
			json_object_object_get_ex(d, "event", &ev);
			json_object_object_get_ex(ev, "place", &pl);
			CHECK(json_object_object_get_ex(pl, "country", &cc) &&
			    strcmp(json_object_get_string(cc), "TN") == 0);
		}
		CHECK(m && strcmp(qdef_text(m, m->collab_title, QDEF_LANG_AR),
			       "التعاون مع INNORPI") == 0);
		qdef_free(m);
		/* not a language list: the field named */
		f.languages = "fr,xx";
		CHECK(console_apply_event(d, &f, &e) == -1);
		CHECK(has(&e, "languages: \"fr,xx\""));
		qdef_errors_free(&e);
		json_object_put(d);
	}

	/* uploads: a syntax error with its line and column */
	CHECK(console_read_definition("{\n \"a\": ,\n}", 11, &e) == NULL);
	CHECK(has(&e, "line 2, column"));
	qdef_errors_free(&e);
	CHECK(console_read_definition("", 0, &e) == NULL);
	CHECK(has(&e, "empty"));
	qdef_errors_free(&e);

	/* stats_item rows: one per field, .other and .retro included */
	{
		struct qdef *m = model(base, "bundled");
		char *items = m ? console_items_json(m) : NULL;
		CHECK(items && strstr(items, "\"item\":\"org_type.other\""));
		CHECK(items && strstr(items, ".retro\""));
		free(items);
		qdef_free(m);
	}
	json_object_put(answered);
	json_object_put(base);
	return check_done("console");
}
