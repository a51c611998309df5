/* i18n.c: loads and cross-checks the UI string catalogs; negotiates the
 * request language from ?lang=, the cookie and Accept-Language. */
#include "i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const i18n_langs[I18N_NLANGS] = {"fr", "en", "ar"};

/* Loaded once at start, read-only afterwards (shared by every request). */
static struct json_object *catalogs[I18N_NLANGS];

static int lang_index(const char *lang)
{
	int i;

	for (i = 0; lang && i < I18N_NLANGS; i++)
		if (strcmp(lang, i18n_langs[i]) == 0)
			return i;
	return -1;
}

void i18n_free(void)
{
	int i;

	for (i = 0; i < I18N_NLANGS; i++) {
		json_object_put(catalogs[i]);
		catalogs[i] = NULL;
	}
}

static int check_catalog(const char *lang, struct json_object *cat,
    char *errbuf, size_t errlen)
{
	if (!json_object_is_type(cat, json_type_object)) {
		snprintf(errbuf, errlen, "i18n: %s.json: not a JSON object",
		    lang);
		return -1;
	}
	json_object_object_foreach(cat, key, val)
	{
		if (!json_object_is_type(val, json_type_string)) {
			snprintf(errbuf, errlen,
			    "i18n: %s.json: key \"%s\" is not a string", lang,
			    key);
			return -1;
		}
		if (json_object_get_string_len(val) == 0) {
			snprintf(errbuf, errlen,
			    "i18n: %s.json: key \"%s\" is empty", lang, key);
			return -1;
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every key of dir/lang/NAME.json (sorted by NAME) to cat: one file
 * per feature, so that features add strings without touching the same
 * lines. A key already present (in lang.json or an earlier part) is an
 * error naming both. A missing dir/lang folder is no part at all. */
static int merge_parts(const char *dir, const char *lang,
    struct json_object *cat, char *errbuf, size_t errlen)
{
	char folder[4096], path[4096 + 256];
	char **names = NULL;
	size_t n = 0, cap = 0, k;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	snprintf(folder, sizeof(folder), "%s/%s", dir, lang);
	if ((d = opendir(folder)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char **grown;

		if (de->d_name[0] == '.' || len < 6 || len > 200 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((grown = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				snprintf(errbuf, errlen, "i18n: out of memory");
				goto out;
			}
			names = grown;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			snprintf(errbuf, errlen, "i18n: out of memory");
			goto out;
		}
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), by_name);
	for (k = 0; k < n; k++) {
		struct json_object *part;
		char label[300];

		snprintf(path, sizeof(path), "%s/%s", folder, names[k]);
		snprintf(label, sizeof(label), "%s/%.*s", lang,
		    (int)(strlen(names[k]) - 5), names[k]);
		if ((part = json_object_from_file(path)) == NULL) {
			snprintf(errbuf, errlen, "i18n: %s: %s", path,
			    json_util_get_last_err());
			goto out;
		}
		if (check_catalog(label, part, errbuf, errlen)) {
			json_object_put(part);
			goto out;
		}
		json_object_object_foreach(part, key, val)
		{
			if (json_object_object_get_ex(cat, key, NULL)) {
				snprintf(errbuf, errlen,
				    "i18n: %s: key \"%s\" is already defined",
				    path, key);
				json_object_put(part);
				goto out;
			}
			if (json_object_object_add(cat, key,
				json_object_get(val))) {
				snprintf(errbuf, errlen,
				    "i18n: out of memory");
				json_object_put(part);
				goto out;
			}
		}
		json_object_put(part);
	}
	rc = 0;
out:
	for (k = 0; k < n; k++)
		free(names[k]);
	free(names);
	closedir(d);
	return rc;
}

int i18n_load(const char *dir, char *errbuf, size_t errlen)
{
	struct json_object *loaded[I18N_NLANGS] = {NULL};
	char path[4096];
	int i, j, rc = -1;

	for (i = 0; i < I18N_NLANGS; i++) {
		snprintf(path, sizeof(path), "%s/%s.json", dir, i18n_langs[i]);
		loaded[i] = json_object_from_file(path);
		if (loaded[i] == NULL) {
			snprintf(errbuf, errlen, "i18n: %s: %s", path,
			    json_util_get_last_err());
			goto out;
		}
		if (check_catalog(i18n_langs[i], loaded[i], errbuf, errlen))
			goto out;
		if (merge_parts(dir, i18n_langs[i], loaded[i], errbuf, errlen))
			goto out;
	}
	/* Every key of each catalog must be in every other one. */
	for (i = 0; i < I18N_NLANGS; i++)
		for (j = 0; j < I18N_NLANGS; j++) {
			if (i == j)
				continue;
			json_object_object_foreach(loaded[i], key, val)
			{
				(void)val;
				if (!json_object_object_get_ex(loaded[j], key,
					NULL)) {
					snprintf(errbuf, errlen,
					    "i18n: %s.json: missing key \"%s\" "
					    "(present in %s.json)",
					    i18n_langs[j], key, i18n_langs[i]);
					goto out;
				}
			}
		}
	i18n_free();
	for (i = 0; i < I18N_NLANGS; i++) {
		catalogs[i] = loaded[i];
		loaded[i] = NULL;
	}
	rc = 0;
out:
	for (i = 0; i < I18N_NLANGS; i++)
		json_object_put(loaded[i]);
	return rc;
}

struct json_object *i18n_catalog(const char *lang)
{
	int i = lang_index(lang);

	return catalogs[i < 0 ? 0 : i];
}

const char *i18n_get(const char *lang, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(i18n_catalog(lang), key, &v))
		return json_object_get_string(v);
	return key;
}

/* Matches the primary subtag of s[0, n) against our languages. */
static const char *match_tag(const char *s, size_t n)
{
	size_t k = 0;
	int i;

	while (k < n && s[k] != '-' && s[k] != '_')
		k++;
	if (k != 2)
		return NULL;
	/* The rest must look like subtags: letters, digits, - or _. */
	for (i = 2; (size_t)i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return NULL;
	}
	for (i = 0; i < I18N_NLANGS; i++)
		if (strncasecmp(s, i18n_langs[i], 2) == 0)
			return i18n_langs[i];
	return NULL;
}

const char *i18n_supported(const char *tag)
{
	if (tag == NULL)
		return NULL;
	return match_tag(tag, strnlen(tag, 64));
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses a q-value ("1", "1.000", "0", "0.5", "0.123") into thousandths;
 * -1 when malformed. */
static int parse_qvalue(const char *s, size_t n)
{
	int q;
	size_t i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (s[0] == '1' && s[i] != '0')
			return -1;
	}
	for (i = 2; i < n; i++)
		q += (s[i] - '0') * (i == 2 ? 100 : i == 3 ? 10 : 1);
	return q;
}

/* The best of our languages in an Accept-Language header, or NULL. */
static const char *negotiate_header(const char *h)
{
	const char *best = NULL, *p = h, *end;
	int best_q = 0, items = 0;

	end = h + strnlen(h, 4096);
	while (p < end && items++ < 64) {
		const char *item = p, *item_end, *tag_end, *lang;
		int q = 1000;

		item_end = memchr(p, ',', (size_t)(end - p));
		if (item_end == NULL)
			item_end = end;
		p = item_end + 1;
		while (item < item_end && is_ows(*item))
			item++;
		tag_end = item;
		while (tag_end < item_end && *tag_end != ';' &&
		    !is_ows(*tag_end))
			tag_end++;
		lang = match_tag(item, (size_t)(tag_end - item));
		if (lang == NULL)
			continue;
		/* Parameters: only q matters; a malformed one drops the
		 * entry. */
		{
			const char *s = tag_end;
			int bad = 0;

			while (s < item_end && !bad) {
				const char *ps, *pe, *v;

				while (s < item_end && (is_ows(*s) || *s == ';'))
					s++;
				if (s >= item_end)
					break;
				ps = s;
				pe = memchr(s, ';', (size_t)(item_end - s));
				if (pe == NULL)
					pe = item_end;
				s = pe;
				while (pe > ps && is_ows(pe[-1]))
					pe--;
				if (pe - ps >= 2 && (ps[0] == 'q' ||
				    ps[0] == 'Q')) {
					v = ps + 1;
					while (v < pe && is_ows(*v))
						v++;
					if (v >= pe || *v != '=') {
						bad = 1;
						break;
					}
					v++;
					while (v < pe && is_ows(*v))
						v++;
					q = parse_qvalue(v, (size_t)(pe - v));
					if (q < 0)
						bad = 1;
				}
			}
			if (bad)
				continue;
		}
		if (q > best_q) {
			best_q = q;
			best = lang;
		}
	}
	return best;
}

const char *i18n_negotiate(const char *query_lang, const char *cookie_lang,
    const char *accept_language)
{
	const char *l;

	if ((l = i18n_supported(query_lang)) != NULL)
		return l;
	if ((l = i18n_supported(cookie_lang)) != NULL)
		return l;
	if (accept_language && (l = negotiate_header(accept_language)) != NULL)
		return l;
	return i18n_langs[0];
}

const char *i18n_dir(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0 ? "rtl" : "ltr";
}
