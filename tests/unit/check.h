/* check.h: the unit tests' tiny framework. Each tests/unit/test_*.c is one
 * program; CHECK* count passes and failures, CHECK_SKIP counts checks that
 * could not run (and prints why), check_done() prints the program's
 * "NAME: N passed, M failed, K skipped" line and returns its exit status. */
#ifndef ENQUETE_CHECK_H
#define ENQUETE_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail, check_skip;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond)                                                    \
			check_pass++;                                        \
		else {                                                       \
			check_fail++;                                        \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__,       \
			    __LINE__, #cond);                                \
		}                                                            \
	} while (0)

#define CHECK_MSG(cond, ...)                                                 \
	do {                                                                 \
		if (cond)                                                    \
			check_pass++;                                        \
		else {                                                       \
			check_fail++;                                        \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		CHECK_MSG(g_ && w_ && strcmp(g_, w_) == 0,                   \
		    "%s: got \"%s\", want \"%s\"", #got, g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)");                                     \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		CHECK_MSG(g_ == w_, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

/* n checks that cannot run here (a test input that is not installed):
 * counted as skipped, never as passed, and printed with why. */
#define CHECK_SKIP(n, ...)                                                   \
	do {                                                                 \
		check_skip += (n);                                           \
		printf("SKIPPED %d: ", (int)(n));                            \
		printf(__VA_ARGS__);                                         \
		putchar('\n');                                               \
	} while (0)

/* Relative comparison (absolute near zero). */
#define CHECK_NEAR(got, want, rel)                                           \
	do {                                                                 \
		double g_ = (got), w_ = (want);                              \
		double d_ = fabs(g_ - w_), s_ = fabs(w_) > 1 ? fabs(w_) : 1; \
		CHECK_MSG(d_ <= (rel) * s_, "%s: got %.17g, want %.17g",     \
		    #got, g_, w_);                                           \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed, %d skipped\n", name, check_pass,
	    check_fail, check_skip);
	return check_fail ? 1 : 0;
}

#endif
