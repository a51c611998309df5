/* test_qdef.c: questionnaire definitions: the corpus of broken files in
 * tests/qdef/ (each with its expected errors), the documented example and
 * the bundled IMANOR 2017 event. Runs with the repository root as cwd. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "itemtype.h"
#include "qdef.h"

#define CORPUS "tests/qdef"
#define EXAMPLE CORPUS "/ok-example.json"
#define BUNDLED "schema/questionnaires/imanor-2017.json"
#define TEMPLATE "schema/questionnaires/mena-star-template.json"
#define DOC "docs/questionnaires.md"

static int has_error(const struct qdef_errors *e, const char *want)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->msg[i], want) == 0)
			return 1;
	return 0;
}

static void dump_errors(const char *what, const struct qdef_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(stderr, "  %s: %s\n", what, e->msg[i]);
}

/* Reads a whole file; caller frees with free(). NULL on failure. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		if (fread(s, 1, (size_t)n, f) != (size_t)n) {
			free(s);
			s = NULL;
		} else
			s[n] = '\0';
	}
	fclose(f);
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One broken definition: validation fails and reports every line of its
 * .expect file exactly. */
static void check_case(const char *name)
{
	char json[512], expect[512], *text, *line, *save = NULL;
	struct qdef_errors e = {0, NULL};
	struct json_object *def;
	size_t nexp = 0;

	snprintf(json, sizeof(json), CORPUS "/%s", name);
	snprintf(expect, sizeof(expect), CORPUS "/%.*s.expect",
		 (int)(strlen(name) - 5), name);
	def = qdef_parse_file(json, &e);
	CHECK_MSG(def != NULL, "%s: does not parse", json);
	CHECK_MSG(def == NULL || qdef_validate(def, &e) == -1, "%s: validates",
		  json);
	/* A broken definition never builds a model. */
	CHECK_MSG(def == NULL || qdef_build(def) == NULL, "%s: builds", json);
	text = slurp(expect);
	CHECK_MSG(text != NULL, "%s: missing", expect);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		nexp++;
		CHECK_MSG(has_error(&e, line), "%s: no error \"%s\"", json,
			  line);
		if (!has_error(&e, line))
			dump_errors(name, &e);
	}
	CHECK_MSG(nexp > 0, "%s: expects nothing", expect);
	free(text);
	qdef_errors_free(&e);
	json_object_put(def);
}

static void test_corpus(void)
{
	DIR *dir = opendir(CORPUS);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	CHECK(dir != NULL);
	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);
		char **m;

		if (len < 6 || de->d_name[0] < '0' || de->d_name[0] > '9' ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		m = realloc(names, (n + 1) * sizeof(*names));
		if (m == NULL)
			break;
		names = m;
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	CHECK_MSG(n >= 25, "only %zu broken definitions in " CORPUS, n);
	for (i = 0; i < n; i++) {
		check_case(names[i]);
		free(names[i]);
	}
	free(names);
}

static struct json_object *load_valid(const char *path)
{
	struct qdef_errors e = {0, NULL};
	struct json_object *def = qdef_parse_file(path, &e);
	int rc = def ? qdef_validate(def, &e) : -1;

	CHECK_MSG(rc == 0 && e.n == 0, "%s: %zu errors", path, e.n);
	dump_errors(path, &e);
	qdef_errors_free(&e);
	return def;
}

/* Every knowledge and quiz item is in both instruments with the same
 * type, options and right answer. Returns how many such keys. */
static size_t check_pairs(const struct qdef *d)
{
	const struct qdef_instrument *pre = qdef_instrument(d, "pre");
	const struct qdef_instrument *post = qdef_instrument(d, "post");
	size_t i, j, n = 0;

	for (i = 0; pre && post && i < pre->nitems; i++) {
		const struct qdef_item *a = &pre->items[i], *b;

		if (a->role != QDEF_ROLE_KNOWLEDGE && a->role != QDEF_ROLE_QUIZ)
			continue;
		n++;
		b = qdef_item(post, a->key);
		CHECK_MSG(b != NULL, "%s missing from post", a->key);
		if (b == NULL)
			continue;
		CHECK_INT(a->twin, b - post->items);
		CHECK_INT(b->twin, i);
		CHECK_INT(b->type, a->type);
		CHECK_INT(b->role, a->role);
		CHECK_INT(b->noptions, a->noptions);
		CHECK_INT(b->correct, a->correct);
		for (j = 0; j < a->noptions && j < b->noptions; j++)
			CHECK_STR(b->options[j].value, a->options[j].value);
		CHECK(json_object_equal(a->scale, b->scale) || !a->scale);
		if (a->role == QDEF_ROLE_KNOWLEDGE)
			CHECK_MSG(b->retro, "%s: no retro on post", b->key);
	}
	for (i = 0; pre && post && i < post->nitems; i++)
		if (post->items[i].role == QDEF_ROLE_KNOWLEDGE ||
		    post->items[i].role == QDEF_ROLE_QUIZ)
			CHECK_MSG(qdef_item(pre, post->items[i].key) != NULL,
				  "%s missing from pre", post->items[i].key);
	return n;
}

static size_t count_role(const struct qdef_instrument *in, enum qdef_role r)
{
	size_t i, n = 0;

	for (i = 0; in && i < in->nitems; i++)
		n += in->items[i].role == r;
	return n;
}

static void test_example(void)
{
	struct json_object *def = load_valid(EXAMPLE);
	const struct qdef_instrument *pre, *post;
	const struct qdef_item *it;
	struct qdef *d;

	d = qdef_build(def);
	CHECK(d != NULL);
	/* The model keeps the JSON alive on its own. */
	json_object_put(def);
	if (d == NULL)
		return;
	CHECK_STR(d->slug, "atelier-demo-2024");
	CHECK_STR(d->timezone, "Africa/Casablanca");
	CHECK_STR(d->date_start, "2024-03-12");
	CHECK_INT(d->nlanguages, 2);
	CHECK_INT(d->languages[0], QDEF_LANG_FR);
	CHECK_INT(d->default_language, QDEF_LANG_FR);
	pre = qdef_instrument(d, "pre");
	post = qdef_instrument(d, "post");
	CHECK(pre && post);
	CHECK(qdef_instrument(d, "during") == NULL);
	if (!pre || !post)
		goto out;
	CHECK_INT(pre->nsections, 2);
	CHECK_INT(pre->nitems, 3);
	CHECK_INT(post->nitems, 7);
	CHECK_STR(pre->sections[1].id, "knowledge");
	CHECK_INT(pre->sections[1].first, 1);
	CHECK_INT(pre->sections[1].count, 2);
	CHECK_STR(pre->opens, "2024-03-12T08:00:00+01:00");
	CHECK_INT(pre->opens_at, 1710226800);
	CHECK_INT(pre->closes_at - pre->opens_at, 7200);
	CHECK(post->opens == NULL && post->closes == NULL);

	it = qdef_item(pre, "org_type");
	CHECK(it && it->type == QDEF_SINGLE && it->role == QDEF_ROLE_PROFILE);
	CHECK(it && it->required && it->other && it->noptions == 3);
	CHECK_INT(qdef_option_index(it, "company"), 1);
	CHECK_INT(qdef_option_index(it, "nope"), -1);
	CHECK_STR(qdef_text(d, it ? it->label : NULL, QDEF_LANG_EN),
		  "Type of organisation");
	/* Arabic is not declared: the default language stands in. */
	CHECK_STR(qdef_text(d, it ? it->label : NULL, QDEF_LANG_AR),
		  "Type d'organisation");
	CHECK_STR(qdef_text(d, it ? it->options[0].label : NULL, QDEF_LANG_FR),
		  "Agence publique");

	it = qdef_item(post, "quiz_voluntary");
	CHECK(it && it->correct == 0 && it->type == QDEF_QUIZ);
	it = qdef_item(post, "priority");
	CHECK(it && it->top == 2 && it->noptions == 3);
	it = qdef_item(post, "contact");
	CHECK(it && it->personal && it->role == QDEF_ROLE_CONTACT);
	CHECK(it && it->requires == 4 && post->items[4].consent);
	CHECK(it && it->max_length == 200);
	it = qdef_item(post, "comments");
	CHECK(it && it->max_length == QDEF_LONGTEXT_DEFAULT);
	it = qdef_item(post, "nps");
	CHECK(it && qdef_item_nvalues(it) == 11 && it->scale &&
	      json_object_array_length(it->scale) == 2);
	it = qdef_item(post, "know_standards");
	CHECK(it && it->retro && qdef_item_nvalues(it) == 5);
	CHECK(!qdef_item(pre, "know_standards")->retro);
	CHECK(qdef_item(post, "org_type") == NULL);
	CHECK_INT(check_pairs(d), 2);
out:
	qdef_free(d);
}

/* The example in the organisers' documentation is the example file. */
static void test_doc_example(void)
{
	char *doc = slurp(DOC), *start, *end;
	struct json_object *a = NULL, *b = NULL;
	struct qdef_errors e = {0, NULL};

	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	start = strstr(doc, "<!-- example:begin -->");
	start = start ? strstr(start, "```json\n") : NULL;
	end = start ? strstr(start + 8, "```") : NULL;
	CHECK(start && end);
	if (start && end) {
		*end = '\0';
		a = json_tokener_parse(start + 8);
	}
	b = qdef_parse_file(EXAMPLE, &e);
	CHECK(a != NULL && b != NULL);
	CHECK_MSG(json_object_equal(a, b),
		  DOC " example differs from " EXAMPLE);
	qdef_errors_free(&e);
	json_object_put(a);
	json_object_put(b);
	free(doc);
}

static void test_bundled(void)
{
	struct json_object *def = load_valid(BUNDLED);
	const struct qdef_instrument *pre, *post;
	const struct qdef_item *it;
	struct qdef *d = def ? qdef_build(def) : NULL;
	size_t i, l;

	json_object_put(def);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_STR(d->slug, "imanor-2017");
	CHECK_STR(d->date_start, "2017-10-31");
	CHECK_STR(d->date_end, "2017-11-02");
	CHECK_STR(d->timezone, "Africa/Casablanca");
	CHECK_INT(d->nlanguages, 3);
	pre = qdef_instrument(d, "pre");
	post = qdef_instrument(d, "post");
	CHECK(pre && post);
	if (!pre || !post)
		goto out;
	/* the 2017 items (22 pre, 28 post) and those the revision added
	 * (issue 24): sex and two knowledge items of the second objective
	 * in pre; those two, 4 reaction ratings, the most useful session,
	 * what to improve, 3 self-efficacy ratings, the committed action
	 * and the planned services in post; followup_consent and
	 * followup_email in post (the follow-up). The quiz is unchanged. */
	CHECK_INT(pre->nitems, 22 + 3);
	CHECK_INT(post->nitems, 28 + 13 + 2);
	CHECK_INT(count_role(pre, QDEF_ROLE_KNOWLEDGE), 8 + 2);
	CHECK_INT(count_role(post, QDEF_ROLE_KNOWLEDGE), 8 + 2);
	CHECK_INT(count_role(pre, QDEF_ROLE_QUIZ), 6);
	CHECK_INT(count_role(post, QDEF_ROLE_QUIZ), 6);
	CHECK_INT(count_role(post, QDEF_ROLE_EVALUATION), 6 + 4 + 3);
	CHECK_INT(count_role(post, QDEF_ROLE_NPS), 1);
	CHECK_INT(count_role(pre, QDEF_ROLE_NPS), 0);
	CHECK_INT(count_role(post, QDEF_ROLE_RANKING), 1);
	CHECK_INT(count_role(pre, QDEF_ROLE_PROFILE), 3 + 1);
	CHECK_INT(check_pairs(d), 14 + 2);
	CHECK(pre->opens == NULL && post->opens == NULL);

	it = qdef_item(pre, "org_type");
	CHECK(it && it->required && it->other && it->noptions == 7);
	it = qdef_item(pre, "services_offered");
	CHECK(it && it->type == QDEF_MULTI);
	CHECK(it && qdef_option_index(it, "none") >= 0 &&
	      it->options[qdef_option_index(it, "none")].exclusive);
	it = qdef_item(pre, "quiz_iso_member");
	CHECK(it && it->correct >= 0 &&
	      strcmp(it->options[it->correct].value, "imanor") == 0);
	it = qdef_item(pre, "quiz_iso26000");
	CHECK(it && it->correct >= 0 &&
	      strcmp(it->options[it->correct].value, "iso26000") == 0);
	it = qdef_item(post, "priority");
	CHECK(it && it->type == QDEF_RANK && it->top == 3 && it->noptions == 8);
	CHECK(it && qdef_option_index(it, "info_desk") == 0);
	CHECK(it && qdef_option_index(it, "online_standards") == 7);
	it = qdef_item(post, "contact");
	CHECK(it && it->personal && it->requires >= 0 &&
	      strcmp(post->items[it->requires].key, "contact_consent") == 0);
	it = qdef_item(post, "nps");
	CHECK(it && it->type == QDEF_RATING10);
	it = qdef_item(post, "collab_interest");
	CHECK(it && it->role == QDEF_ROLE_COLLABORATION && it->noptions == 3);
	/* the question shown beside consented contacts: this one, not the
	 * consent (also a single-choice collaboration item) */
	CHECK(qdef_interest_item(d) == it);
	CHECK(qdef_item(post, "priority_other") != NULL);
	CHECK(qdef_item(post, "comments") != NULL);
	CHECK(qdef_item(pre, "expectations") != NULL);
	/* DESIGN.md "Bundled instruments: keys that outside clients rely
	 * on": sex, a profile item (a filter) with these three values */
	it = qdef_item(pre, "sex");
	CHECK(it && it->type == QDEF_SINGLE && it->role == QDEF_ROLE_PROFILE &&
	      !it->required && it->noptions == 3);
	CHECK(it && qdef_option_index(it, "female") == 0 &&
	      qdef_option_index(it, "male") == 1 &&
	      qdef_option_index(it, "undisclosed") == 2);
	CHECK(qdef_item(post, "sex") == NULL);
	it = qdef_item(post, "services_planned");
	CHECK(it && it->type == QDEF_MULTI && it->noptions == 5 &&
	      it->options[4].exclusive);
	it = qdef_item(post, "action_commitment");
	CHECK(it && it->type == QDEF_TEXT && it->role == QDEF_ROLE_COMMENT);
	it = qdef_item(post, "know_tpo_services");
	CHECK(it && it->role == QDEF_ROLE_KNOWLEDGE && it->retro);

	/* Every text in all three languages. */
	for (l = 0; l < QDEF_LANG__MAX; l++)
		for (i = 0; i < post->nitems; i++)
			CHECK(json_object_object_get_ex(
			    post->items[i].label, qdef_lang_name(l), NULL));
out:
	qdef_free(d);
}

static void test_parse_errors(void)
{
	char path[] = "/tmp/test_qdef.XXXXXX";
	struct qdef_errors e = {0, NULL};
	struct json_object *j;
	int fd = mkstemp(path);
	static const char bad[] = "{\n  \"format\": 1,\n  \"event\": {,}\n}\n";

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, bad, sizeof(bad) - 1) == (ssize_t)(sizeof(bad) - 1));
	close(fd);
	j = qdef_parse_file(path, &e);
	CHECK(j == NULL);
	CHECK_INT(e.n, 1);
	CHECK(e.n == 1 && strstr(e.msg[0], ":3:13: invalid JSON: ") != NULL);
	qdef_errors_free(&e);
	unlink(path);

	j = qdef_parse_file("tests/qdef/no-such-file.json", &e);
	CHECK(j == NULL && e.n == 1);
	CHECK(e.n == 1 && strstr(e.msg[0], "No such file") != NULL);
	qdef_errors_free(&e);
	CHECK_INT(e.n, 0);

	/* Errors accumulate over calls; validate appends. */
	j = json_tokener_parse("{\"format\": 1}");
	CHECK_INT(qdef_validate(j, &e), -1);
	CHECK(has_error(&e, "$.event: required field is missing"));
	CHECK(has_error(&e, "$.instruments: required field is missing"));
	CHECK_INT(e.n, 2);
	CHECK(qdef_build(j) == NULL);
	json_object_put(j);
	CHECK_INT(qdef_validate(NULL, &e), -1);
	CHECK(has_error(&e, "$: expected an object, got null"));
	CHECK_INT(e.n, 3);
	qdef_errors_free(&e);
}

static void test_names(void)
{
	int i;

	for (i = 0; i < QDEF_TYPE__MAX; i++)
		CHECK_INT(qdef_type_from_name(qdef_type_name(i)), i);
	for (i = 0; i < QDEF_ROLE__MAX; i++)
		CHECK_INT(qdef_role_from_name(qdef_role_name(i)), i);
	for (i = 0; i < QDEF_KIND__MAX; i++)
		CHECK_INT(qdef_kind_from_name(qdef_kind_name(i)), i);
	for (i = 0; i < QDEF_LANG__MAX; i++)
		CHECK_INT(qdef_lang_from_name(qdef_lang_name(i)), i);
	CHECK_STR(qdef_type_name(QDEF_LIKERT5), "likert5");
	CHECK_STR(qdef_role_name(QDEF_ROLE_NPS), "nps");
	CHECK_STR(qdef_role_name(QDEF_ROLE_DESCRIPTIVE), "descriptive");
	CHECK_INT(qdef_type_from_name("Single"), -1);
	CHECK_INT(qdef_role_from_name(NULL), -1);
	CHECK_STR(qdef_type_name(QDEF_TYPE__MAX), "?");
}

/* The keys the exports use for their own columns are refused as item
 * keys, with the path of the key; keys that merely start alike are not. */
static void test_reserved_keys(void)
{
	static const char *const reserved[] = {"lang", "source", "event",
					       "participant"};
	static const char *const fine[] = {"language", "sources", "event_type",
					   "participants", "lang2"};
	struct json_object *base = load_valid(EXAMPLE), *def, *items, *it;
	struct qdef_errors e = {0, NULL};
	char want[256];
	size_t i;

	CHECK(base != NULL);
	if (base == NULL)
		return;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]) +
			    sizeof(fine) / sizeof(fine[0]);
	     i++) {
		size_t nres = sizeof(reserved) / sizeof(reserved[0]);
		const char *key = i < nres ? reserved[i] : fine[i - nres];

		def = NULL;
		CHECK_INT(json_object_deep_copy(base, &def, NULL), 0);
		if (def == NULL)
			continue;
		/* $.instruments.pre.sections[0].items[0]: org_type, asked
		 * only before, so renaming it breaks nothing else */
		items = json_object_object_get(
		    json_object_array_get_idx(
			json_object_object_get(
			    json_object_object_get(
				json_object_object_get(def, "instruments"),
				"pre"),
			    "sections"),
			0),
		    "items");
		it = json_object_array_get_idx(items, 0);
		CHECK_STR(
		    json_object_get_string(json_object_object_get(it, "key")),
		    "org_type");
		json_object_object_add(it, "key", json_object_new_string(key));
		if (i < nres) {
			snprintf(want, sizeof(want),
				 "$.instruments.pre.sections[0].items[0].key: "
				 "\"%s\" is reserved (lang, source, event and "
				 "participant name the export's own columns)",
				 key);
			CHECK_INT(qdef_validate(def, &e), -1);
			CHECK_INT(e.n, 1);
			CHECK_MSG(has_error(&e, want), "no error \"%s\"", want);
			dump_errors(key, &e);
			CHECK(qdef_build(def) == NULL);
		} else {
			CHECK_INT(qdef_validate(def, &e), 0);
			CHECK_INT(e.n, 0);
			dump_errors(key, &e);
		}
		qdef_errors_free(&e);
		json_object_put(def);
	}
	json_object_put(base);
}

/* The item type table holds together: every type has a row with its
 * name and a value check, every role is accepted by some type, a scale's
 * answers are lo..hi with as many labels as the format says, and the rows
 * of the numeric types, and only those, carry a number. */
static void test_item_types(void)
{
	struct qdef_option opts[2] = {{"a", NULL, false}, {"b", NULL, false}};
	unsigned roles = 0;
	int t;

	CHECK(qdef_itype(-1) == NULL);
	CHECK(qdef_itype(QDEF_TYPE__MAX) == NULL);
	for (t = 0; t < QDEF_TYPE__MAX; t++) {
		const struct qdef_itype *ty = qdef_itype(t);
		struct qdef_item it;
		struct qdef_value v;
		const char *ok;
		char s[24];

		CHECK(ty != NULL && ty->name != NULL && ty->check != NULL);
		if (ty == NULL || ty->name == NULL || ty->check == NULL)
			continue;
		CHECK_INT(qdef_type_from_name(ty->name), t);
		CHECK_MSG(ty->roles != 0, "%s: no role", ty->name);
		roles |= ty->roles;
		memset(&it, 0, sizeof(it));
		it.type = (enum qdef_type)t;
		it.key = "k";
		it.max_length = ty->text_default;
		if (ty->fields & QDEF_F_OPTIONS) {
			it.options = opts;
			it.noptions = 2;
		}
		if (ty->fields & QDEF_F_SCALE) {
			CHECK_MSG(ty->scale_labels > 0, "%s: labels", ty->name);
			CHECK_MSG(ty->lo < ty->hi, "%s: lo..hi", ty->name);
			CHECK_INT(ty->nvalues, ty->hi - ty->lo + 1);
			CHECK_INT(qdef_item_nvalues(&it), ty->nvalues);
			snprintf(s, sizeof(s), "%ld", ty->lo - 1);
			CHECK_STR(ty->check(&it, s, strlen(s), &v),
				  "error_invalid_choice");
			snprintf(s, sizeof(s), "%ld", ty->hi + 1);
			CHECK_STR(ty->check(&it, s, strlen(s), &v),
				  "error_invalid_choice");
			snprintf(s, sizeof(s), "%ld", ty->hi);
		} else if (ty->fields & QDEF_F_OPTIONS) {
			CHECK_INT(qdef_item_nvalues(&it), 2);
			snprintf(s, sizeof(s), "b");
			CHECK_STR(ty->check(&it, "c", 1, &v),
				  "error_invalid_choice");
		} else
			snprintf(s, sizeof(s), "7");
		if (ty->fields & QDEF_F_MAX_LENGTH)
			CHECK_MSG(ty->text_default > 0 &&
				      ty->text_default <= ty->text_limit,
				  "%s: max_length", ty->name);
		memset(&v, 0, sizeof(v));
		ok = ty->check(&it, s, strlen(s), &v);
		CHECK_MSG(ok == NULL, "%s: \"%s\" refused (%s)", ty->name, s,
			  ok ? ok : "");
		CHECK_MSG(v.text != NULL && strcmp(v.text, s) == 0,
			  "%s: \"%s\" stored as \"%s\"", ty->name, s,
			  v.text ? v.text : "(null)");
		CHECK_MSG(v.has_num == ty->numeric, "%s: numeric", ty->name);
		if (v.has_num)
			CHECK(v.num == strtod(s, NULL));
	}
	CHECK_INT(roles, (1u << QDEF_ROLE__MAX) - 1);
}

/* The programme template (issue 24): valid, its own slug, no window (closed
 * until an organiser opens a copy), the double-barrelled knowledge items
 * of 2017 replaced under new keys in pre and post (a retired key is never
 * reused), every other key of the bundled event kept. */
static void test_template(void)
{
	static const char *const retired[] = {"know_iso", "know_conformity",
	    "know_wto_tbt", "know_participation"};
	static const char *const added[] = {"know_std_development",
	    "know_certification", "know_accreditation", "know_tbt_agreement",
	    "know_tbt_notifications", "know_obtain_standards",
	    "know_tech_committees"};
	struct json_object *def = load_valid(TEMPLATE);
	struct json_object *bdef = load_valid(BUNDLED);
	struct qdef *d = def ? qdef_build(def) : NULL;
	struct qdef *b = bdef ? qdef_build(bdef) : NULL;
	size_t i;

	json_object_put(def);
	json_object_put(bdef);
	CHECK(d != NULL && b != NULL);
	if (d == NULL || b == NULL)
		goto out;
	CHECK_STR(d->slug, "mena-star-template");
	for (int k = 0; k < QDEF_KIND__MAX; k++) {
		const char *kind = qdef_kind_name((enum qdef_kind)k);
		const struct qdef_instrument *in = qdef_instrument(d, kind);
		const struct qdef_instrument *bin = qdef_instrument(b, kind);

		if (bin == NULL)
			continue;
		CHECK(in != NULL && in->opens == NULL && in->closes == NULL);
		if (in == NULL)
			continue;
		for (i = 0; i < sizeof(retired) / sizeof(*retired); i++)
			CHECK_MSG(qdef_item(in, retired[i]) == NULL,
			    "%s: retired key %s reused", kind, retired[i]);
		for (i = 0; i < sizeof(added) / sizeof(*added); i++) {
			const struct qdef_item *it = qdef_item(in, added[i]);

			CHECK_MSG(it && it->role == QDEF_ROLE_KNOWLEDGE,
			    "%s: %s", kind, added[i]);
			CHECK_MSG(qdef_item(bin, added[i]) == NULL,
			    "%s: %s is a key of imanor-2017", kind, added[i]);
		}
		for (i = 0; i < bin->nitems; i++) {
			const struct qdef_item *bt = &bin->items[i];
			const struct qdef_item *it = qdef_item(in, bt->key);
			int was_retired = 0;

			for (size_t r = 0; r < sizeof(retired) /
			    sizeof(*retired); r++)
				was_retired |= !strcmp(bt->key, retired[r]);
			if (was_retired)
				continue;
			CHECK_MSG(it && it->type == bt->type &&
			    it->role == bt->role &&
			    it->noptions == bt->noptions &&
			    it->correct == bt->correct,
			    "%s: %s differs from imanor-2017", kind, bt->key);
		}
	}
out:
	qdef_free(d);
	qdef_free(b);
}

int main(void)
{
	test_names();
	test_item_types();
	test_parse_errors();
	test_corpus();
	test_example();
	test_doc_example();
	test_bundled();
	test_template();
	test_reserved_keys();
	return check_done("qdef");
}
