/* summary.h: the summary of an event (DESIGN.md "Summary JSON") as a typed
 * struct, built from the incremental aggregates (schema/004_stats.sql) or,
 * with filters, from the raw rows of the subgroup; summary_to_json() writes
 * the contract's JSON (the API only). The dashboard, report and comparison
 * read the struct (cgi/web/dash_view.c). */
#ifndef ENQUETE_SUMMARY_H
#define ENQUETE_SUMMARY_H

#include <stddef.h>

#include "form.h"
#include "qdef.h"

struct db; /* db.h: the store's connection (opaque here) */

struct json_object;

/* Smallest subgroup shown beyond its counts (privacy). */
#define SUMMARY_MIN_GROUP 5
/* Most filters a request may combine (one per profile item at most). */
#define SUMMARY_MAX_FILTERS 32

/* ---- the expert's filters, validated once against the definition ---- */

/* One filter: a profile item and one of its option values. */
struct summary_filter {
	const struct qdef_item *item; /* borrowed from the definition */
	const char *value;            /* borrowed: the item's own option value */
};

/* The filters of a request, in the order given (AND-ed). */
struct summary_filters {
	struct summary_filter v[SUMMARY_MAX_FILTERS];
	size_t n;
	int validated; /* set by summary_filters_parse() only */
};

/*
 * Checks the ?<profile item>=<value> pairs of in (NULL: none) against def:
 * a key must be a profile item, given once, and its value one of the item's
 * options; at most SUMMARY_MAX_FILTERS of them. Fills *out (nothing to
 * free: it borrows from def, which must outlive it). Returns 0, or 400 with
 * *why (static text for the client) when a pair is refused.
 */
int summary_filters_parse(const struct qdef *def, const struct kvlist *in,
    struct summary_filters *out, const char **why);

/* The value filtered on for item key, or NULL. Borrowed. */
const char *summary_filters_get(const struct summary_filters *f,
    const char *key);

/* ---- the summary ---- */

/* A 95% interval; defined 0 is the contract's null. */
struct summary_ci {
	int defined;
	double lo, hi;
};

/* A published Wilcoxon result (p-value NAN under 5 pairs: contract). */
struct summary_wilcoxon {
	double statistic, p_value;
	const char *method; /* static storage */
};

/* The change of a difference: its mean and t interval, and how many went
 * up, stayed, went down (has_split: the counts are part of it). */
struct summary_change {
	double mean_diff;
	struct summary_ci ci95;
	int has_split;
	long long improved, unchanged, declined;
};

/* One value of a distribution (a scale point, an option, a number given). */
struct summary_count {
	const char *value; /* borrowed from the definition or the summary */
	long long n;
};

/* items[]: one shown item of one instrument. */
struct summary_item {
	const struct qdef_item *item; /* borrowed */
	enum qdef_kind instrument;
	long long n;
	int numeric;        /* has mean and median */
	double mean, median;
	struct summary_count *dist;
	size_t ndist;
};

/* paired[] (retro 0) and retro[] (retro 1): a knowledge item before and
 * after. first_mean is pre_mean (paired) or retro_mean (retro). */
struct summary_test {
	const struct qdef_item *item; /* the post item (borrowed) */
	long long n;
	double first_mean, post_mean, median_diff;
	struct summary_wilcoxon wilcoxon;
	double rank_biserial;
	struct summary_change change;  /* paired[] only */
	struct {                       /* retro[] only: retro - pre */
		long long n;
		struct summary_change change;
		struct summary_wilcoxon wilcoxon;
	} pre_vs_retro;
	double p_holm;
};

struct summary_quiz_item {
	const struct qdef_item *item; /* borrowed */
	long long n, pre_correct, post_correct;
	double mcnemar_p, mcnemar_p_holm;
};

struct summary_quiz {
	long long n;
	double pre_mean_score, post_mean_score;
	long long max_score;
	double normalized_gain;
	struct {                       /* each pair's total score */
		long long n;
		double pre_mean, post_mean;
		struct summary_change change;
		struct summary_wilcoxon wilcoxon;
	} total;
	struct summary_quiz_item *items;
	size_t nitems;
};

/* evaluation[]: a rating item, its mean and agreement (top two answers). */
struct summary_eval {
	const struct qdef_item *item; /* borrowed */
	enum qdef_kind instrument;
	long long n;
	double mean;
	struct summary_ci ci95;
	struct summary_count *dist;
	size_t ndist;
	struct {
		long long n, count;
		double share;
		struct summary_ci ci95;
	} agree;
};

struct summary_nps {
	int present; /* 0: the contract's "nps": null */
	const struct qdef_item *item; /* borrowed */
	long long n, promoters, passives, detractors;
	double score;
	struct summary_ci ci95;
};

struct summary_rank_option {
	const char *option; /* borrowed from the definition */
	long long borda;
	double top3_share;
	long long first;
	long long *ranks; /* nranks counts, rank 1 first */
	size_t nranks;
};

struct summary_ranking {
	const struct qdef_item *item; /* borrowed */
	long long n;
	struct summary_rank_option *options; /* by Borda score, then form order */
	size_t noptions;
};

/* followup.outcomes[]: an outcome item's options (issue 24). */
struct summary_outcome_option {
	const char *option; /* borrowed from the definition */
	long long count;
	double share;
	struct summary_ci ci95; /* Wilson, as evaluation[].agree */
};

struct summary_outcome {
	const struct qdef_item *item; /* borrowed */
	long long n;                  /* who answered it */
	struct summary_outcome_option *options;
	size_t noptions;
};

/* followup: the follow-up against pre (paired_pre) and post
 * (paired_post), each test of the shape of paired[] (first_mean the pre
 * or post mean, post_mean the follow-up's), and the outcome items. */
struct summary_followup {
	int present; /* the definition has a followup instrument */
	long long n, paired_pre, paired_post;
	long long alone; /* a follow-up without pre or post */
	struct summary_test *vs_pre, *vs_post;
	size_t nvs_pre, nvs_post;
	struct summary_outcome *outcomes;
	size_t noutcomes;
};

/*
 * The whole summary. It borrows the definition it was built from (which
 * must outlive it) and owns everything else; summary_free() releases it.
 * When restricted (a filtered group too small to show, or one that would
 * disclose a small group: DESIGN.md "Statistics for small groups") only
 * event, filters and counts are filled.
 */
struct summary {
	char *event; /* the slug */
	struct summary_filters filters;
	struct {
		long long pre, post, paired;
	} counts;
	int restricted;
	struct summary_item *items;
	size_t nitems;
	struct summary_test *paired, *retro;
	size_t npaired, nretro;
	struct summary_quiz quiz;
	struct summary_eval *evaluation;
	size_t nevaluation;
	struct summary_nps nps;
	struct summary_ranking *ranking;
	size_t nranking;
	struct summary_followup followup;
	void *rows; /* the aggregate rows the strings above may point into */
};

enum summary_rc {
	SUMMARY_OK = 0,
	SUMMARY_DOWN,    /* the database cannot be reached (503) */
	SUMMARY_TIMEOUT, /* filtered figures past db_filter_timeout_ms() (503) */
	SUMMARY_FAILED,  /* SQL error or out of memory (500) */
};

/*
 * Builds the summary of event event_id (slug as shown in "event") whose
 * current definition is def, for the filters f (validated by
 * summary_filters_parse(); NULL or none: everyone). Runs on db (the
 * analytics connection). On SUMMARY_OK *out is the summary (caller frees
 * with summary_free()); otherwise *out is NULL.
 */
enum summary_rc summary_build(struct db *db, const struct qdef *def,
    long event_id, const char *slug, const struct summary_filters *f,
    struct summary **out);

/* Frees s and everything it owns; NULL is fine. */
void summary_free(struct summary *s);

/* The people the summary is about: pre + post - paired, plus those who
 * answered the follow-up alone. */
long long summary_participants(const struct summary *s);

/* The contract's JSON of s (DESIGN.md "Summary JSON"). Caller releases
 * with json_object_put(); NULL when out of memory. */
struct json_object *summary_to_json(const struct summary *s);

/* The text of the SUMMARY_TIMEOUT answer ("these filters select too many
 * participants..."), into buf. Returns buf. */
const char *summary_timeout_text(char *buf, size_t n);

#endif
