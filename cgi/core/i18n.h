/* i18n.h: the UI string catalogs (templates/i18n/{fr,en,ar}.json) and the
 * choice of a request's language. */
#ifndef ENQUETE_I18N_H
#define ENQUETE_I18N_H

#include <stddef.h>

#include <json-c/json.h>

/* The languages, French first: it is the reference and the default. */
#define I18N_NLANGS 3
extern const char *const i18n_langs[I18N_NLANGS];

/* Loads dir/fr.json, dir/en.json and dir/ar.json (flat objects of
 * snake_case key -> non-empty string) once at start, each merged with the
 * parts dir/LANG/NAME.json (one per feature; a key defined twice is an
 * error). Fails, with a message
 * naming the file and key in errbuf, when a catalog is unreadable, not a
 * flat object of strings, has an empty string, or lacks a key another has.
 * Returns 0/-1; on failure nothing stays loaded. Replaces catalogs loaded
 * earlier. */
int i18n_load(const char *dir, char *errbuf, size_t errlen);

/* Frees the catalogs (at exit, so valgrind stays quiet). */
void i18n_free(void);

/* The catalog for lang (borrowed until i18n_free(); take a reference with
 * json_object_get() to put it under "t" in template data). An unknown
 * lang gives the French catalog; NULL before i18n_load(). */
struct json_object *i18n_catalog(const char *lang);

/* One string of lang's catalog (borrowed), or key itself when absent. */
const char *i18n_get(const char *lang, const char *key);

/* The request's language: "fr", "en" or "ar" (static strings). The ?lang=
 * value wins, then the cookie, then the best Accept-Language entry by
 * q-value (ties keep header order; "*" and other languages are ignored).
 * Each argument may be NULL. Region and script subtags are ignored
 * ("ar-MA" is "ar"). Default "fr". */
const char *i18n_negotiate(const char *query_lang, const char *cookie_lang,
    const char *accept_language);

/* The language if it is one of ours ("fr", "en", "ar"; case and region
 * ignored), else NULL. */
const char *i18n_supported(const char *tag);

/* "rtl" for ar, else "ltr". */
const char *i18n_dir(const char *lang);

#endif
