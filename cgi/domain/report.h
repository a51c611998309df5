/* report.h: the donor's report (DESIGN.md "Reports for the donor") as one
 * typed model, built from the typed summary (summary.h), the definition and
 * a few facts of the store (attendance, data as of, the comments). The
 * printable page and the Word document both render this model (through
 * cgi/web/report_view.c), so they always say the same thing. No database,
 * no request and no markup here: unit-tested in tests/unit/test_report.c. */
#ifndef ENQUETE_REPORT_H
#define ENQUETE_REPORT_H

#include <stddef.h>

#include "qdef.h"
#include "summary.h"

/* The most distinct comments the report lists per question; the exports
 * hold every one (the report says so). */
#define REPORT_COMMENTS_CAP 40
/* Below this many pairs the report names the small sample a limitation. */
#define REPORT_SMALL_N 30
/* The significance level of the executive summary's count. */
#define REPORT_ALPHA 0.05

/* One comment as the store reads it: the question (item key, or
 * "<key>.other"), the exact text, the language of the response, and how
 * many responses gave exactly this text in this language. Borrowed. */
struct report_comment_in {
	const char *item, *text, *lang;
	long long count;
};

/* What the store adds to the summary (all borrowed for the build). */
struct report_facts {
	long long attendance;     /* 0: not set by the organiser */
	const char *generated_at; /* "YYYY-MM-DD HH:MM UTC" */
	const char *data_as_of;   /* the latest response, same form; "" none */
	int filtered;             /* the summary is of a subgroup */
	/* comments, grouped by question in the order of the questions, most
	 * frequent first (NULL/0 when not shown) */
	const struct report_comment_in *comments;
	size_t ncomments;
	/* each question's number of answers, parallel to comment_keys */
	const char *const *comment_keys;
	const long long *comment_totals;
	size_t ncomment_keys;
	int comments_hidden; /* fewer than SUMMARY_MIN_GROUP: none shown */
};

/* A participants' item: a profile or descriptive item of one instrument
 * and its distribution in option order. */
struct report_profile {
	const struct qdef_item *item; /* borrowed */
	enum qdef_kind instrument;
	long long n;             /* who answered it */
	const struct summary_count *dist; /* borrowed from the summary */
	size_t ndist;
};

/* A group of knowledge items under one objective: indices into
 * summary.paired[]. label is the objective (localized JSON) or the
 * section's title the items share; NULL: no name. */
struct report_objective {
	struct json_object *label; /* borrowed from the definition */
	const char *text;          /* a plain objective string, or NULL */
	size_t *paired;            /* owned */
	size_t n;
};

/* One comments' question with its distinct texts (at most
 * REPORT_COMMENTS_CAP). */
struct report_comment {
	const char *text, *lang; /* borrowed from facts */
	long long count;
};
struct report_comment_group {
	const char *key;              /* "know_iso" or "obstacles.other" */
	const struct qdef_item *item; /* the question (borrowed) */
	int other;                    /* the "other" text of a choice */
	long long total;              /* answers to the question */
	struct report_comment *v;     /* owned */
	size_t n;
	int capped;                   /* more distinct texts than listed */
};

/* A limitation the data shows, with its figures. */
enum report_limit_kind {
	REPORT_LIMIT_SMALL_N,     /* a = pairs */
	REPORT_LIMIT_ATTRITION,   /* a = pre without post, b = pre */
	REPORT_LIMIT_UNPAIRED,    /* a = post without pre, b = post */
	REPORT_LIMIT_NO_ATTENDANCE,
	REPORT_LIMIT_LOW_RESPONSE, /* a = pre, b = attendance */
	REPORT_LIMIT_SELF_REPORT,
	REPORT_LIMIT_SAME_QUIZ,
	REPORT_LIMIT_FILTERED,
	REPORT_LIMIT__MAX
};
struct report_limit {
	enum report_limit_kind kind;
	long long a, b;
};

/* The executive summary's figures. NAN when undefined. */
struct report_exec {
	long long participants, pre, post, paired, attendance;
	double pre_rate, post_rate, paired_rate; /* of attendance */
	double retention;                        /* paired / pre */
	/* knowledge: the mean over items of the pairs' means, the items
	 * whose change is significant after Holm, their number */
	size_t knowledge_items, knowledge_significant;
	double knowledge_pre, knowledge_post, knowledge_diff;
	long long knowledge_pairs; /* the most pairs of an item */
	/* the quiz */
	int has_quiz;
	double quiz_pre, quiz_post, quiz_gain;
	long long quiz_max, quiz_n;
	double quiz_p;
	/* the three priority actions: the first ranking's top options */
	const struct summary_ranking *ranking; /* borrowed, or NULL */
	size_t ntop;
};

/* The whole report. Borrows the definition and the summary (which must
 * outlive it) and the facts' strings; report_free() releases the rest. */
struct report {
	const struct qdef *def;
	const struct summary *sum;
	const struct report_facts *facts;
	struct report_exec exec;
	struct report_profile *profile;
	size_t nprofile;
	struct report_objective *objectives;
	size_t nobjectives;
	struct report_comment_group *comments;
	size_t ncomments;
	struct report_limit limits[REPORT_LIMIT__MAX];
	size_t nlimits;
};

/* Builds the report of sum (built from def) with facts. Returns 0, or -1
 * when out of memory (rep is then empty). Free with report_free(). When
 * sum is restricted, only exec's counts and the limitations are set. */
int report_build(const struct qdef *def, const struct summary *sum,
    const struct report_facts *facts, struct report *rep);
void report_free(struct report *rep);

/* The objective of a knowledge item: its "objective" member (a string or
 * a localized object), NULL when it has none. Borrowed. */
struct json_object *report_item_objective(const struct qdef_item *it);

#endif
