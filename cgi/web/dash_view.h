/* dash_view.h: the dashboard's, report's and comparison's view: what the
 * templates need (labels in the page's language, formatted figures, the
 * words, the SVG charts), built from a typed summary (summary.h), the
 * definition and the store's typed rows. No database and no request here,
 * so it is unit-tested apart from the handlers (tests/unit/test_dash_view.c).
 * Every function adds to a template data object and returns 0, or -1 when
 * out of memory; nothing returned needs freeing unless said. */
#ifndef ENQUETE_DASH_VIEW_H
#define ENQUETE_DASH_VIEW_H

#include <json-c/json.h>

#include "qdef.h"
#include "store_dash.h"
#include "summary.h"

/* Below this n a "small sample" warning shows. */
#define DASH_SMALL_SAMPLE 10

/* What one view build needs besides the data object (all borrowed). */
struct dash_view {
	const struct qdef *def;
	enum qdef_lang lang; /* the definition's texts */
	const char *ui;      /* the UI catalog: "fr", "en" or "ar" */
	int rtl;
	const char *prefix;  /* chart ids prefix (several events), or NULL */
};

/* Fills v for def in the UI language ui ("fr", "en", "ar"). */
void dash_view_init(struct dash_view *v, const struct qdef *def,
    const char *ui, const char *prefix);

/* The event's title, dates, place and links (admin: also codes, contacts). */
int dash_view_event(const struct dash_view *v, const char *slug, int admin,
    struct json_object *data);
/* The filter form: one select per single-choice profile item of pre, the
 * filtered values selected. */
int dash_view_filters(const struct dash_view *v,
    const struct summary_filters *f, struct json_object *data);
/* Counts and response rates (attendance and badge codes from pi). */
int dash_view_counts(const struct dash_view *v, const struct summary *s,
    const struct store_dash_preissued *pi, struct json_object *data);
/* The replica's lag (nothing on a primary). */
int dash_view_replica(const struct store_replica *rep,
    struct json_object *data);
/* The statistics folder's lag for the event (schema/016): fold {lag_ms,
 * pending}. */
int dash_view_fold(long long lag_ms, long long pending,
    struct json_object *data);
/* Every figure section: knowledge (and retro), quiz, evaluation and NPS,
 * ranking, collaboration. s must not be restricted. */
int dash_view_figures(const struct dash_view *v, const struct summary *s,
    struct json_object *data);
/* The free-text questions of the definition (text/longtext items and the
 * "<key>.other" texts, post first, no personal item), for the comments
 * statements. Free with dash_comment_keys_free(). */
struct dash_comment_keys {
	char (*names)[QDEF_FIELD_MAX + 8];
	const char **v;
	size_t n;
};
int dash_comment_keys(const struct qdef *def, struct dash_comment_keys *out);
void dash_comment_keys_free(struct dash_comment_keys *k);
/* The comments grouped by question. */
int dash_view_comments(const struct dash_view *v,
    const struct store_dash_comments *c, struct json_object *data);
/* The consented contacts: the first 200 of c (read with a limit of 201 to
 * know there are more). */
int dash_view_contacts(const struct dash_view *v,
    const struct store_dash_contacts *c, struct json_object *data);

/* "23 of 30 improved, 7 unchanged, none declined" under "change_words". */
int dash_view_change_words(const struct dash_view *v,
    const struct summary_change *c, struct json_object *o);

/* One event of a comparison. */
struct dash_cmp_event {
	const char *slug;
	const struct qdef *def;
	const struct summary *sum;
	/* fewer than SUMMARY_MIN_GROUP participants: counts only, left out
	 * of every compared figure (disclosure control) */
	int hidden;
};
/* The comparison of ev[0..n) (n >= 2) on their shared items (same key and
 * type): events, knowledge, evaluation and the dumbbell. */
int dash_view_compare(const char *ui, const struct dash_cmp_event *ev, int n,
    struct json_object *data);

#endif
