/* test_scope.c: the scopes of users (cgi/domain/user.c): what `--events`
 * and the users page accept ("*", slugs separated by commas, nothing) and
 * the array literal given to the store, table-driven; the roles. */
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "user.h"

struct scase {
	const char *text;
	int rc;		   /* 0 or -1 */
	bool all;	   /* when rc is 0 */
	const char *array; /* when rc is 0 */
	const char *shown; /* user_scope_text */
};

static void test_parse(void)
{
	static const struct scase cases[] = {
	    {"*", 0, true, "{}", "*"},
	    {" * ", 0, true, "{}", "*"},
	    {"", 0, false, "{}", ""},
	    {"   ", 0, false, "{}", ""},
	    {",,", 0, false, "{}", ""},
	    {"imanor-2017", 0, false, "{imanor-2017}", "imanor-2017"},
	    {"a,b", 0, false, "{a,b}", "a,b"},
	    {" a , b ,", 0, false, "{a,b}", "a,b"},
	    {"a,,b", 0, false, "{a,b}", "a,b"},
	    {"x1-2-y", 0, false, "{x1-2-y}", "x1-2-y"},
	    /* not a scope: nothing may widen or smuggle */
	    {"*,a", -1, false, NULL, NULL},
	    {"a,*", -1, false, NULL, NULL},
	    {"**", -1, false, NULL, NULL},
	    {"A", -1, false, NULL, NULL},
	    {"-a", -1, false, NULL, NULL},
	    {"a-", -1, false, NULL, NULL},
	    {"a b", -1, false, NULL, NULL},
	    {"a}", -1, false, NULL, NULL},
	    {"{a}", -1, false, NULL, NULL},
	    {"a\"b", -1, false, NULL, NULL},
	    {"a;b", -1, false, NULL, NULL},
	    {"é", -1, false, NULL, NULL},
	};
	char array[64], shown[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool all = !cases[i].all;
		int rc = user_scope_parse(cases[i].text, &all, array,
		    sizeof(array));

		CHECK_MSG(rc == cases[i].rc, "\"%s\": %d, want %d",
		    cases[i].text, rc, cases[i].rc);
		if (rc != 0 || cases[i].rc != 0)
			continue;
		CHECK_MSG(all == cases[i].all, "\"%s\": all %d", cases[i].text,
		    all);
		CHECK_STR(array, cases[i].array);
		user_scope_text(all, array, shown, sizeof(shown));
		CHECK_STR(shown, cases[i].shown);
	}
}

static void test_limits(void)
{
	static char big[USER_SCOPE_MAX + 64], array[USER_SCOPE_MAX + 8];
	char slug65[70], small[8];
	bool all;

	/* a slug of 64 bytes is one, 65 not */
	memset(slug65, 'a', 64);
	slug65[64] = '\0';
	CHECK(user_scope_parse(slug65, &all, array, sizeof(array)) == 0);
	slug65[64] = 'a';
	slug65[65] = '\0';
	CHECK(user_scope_parse(slug65, &all, array, sizeof(array)) == -1);
	/* over USER_SCOPE_MAX bytes: refused */
	for (size_t i = 0; i + 2 < sizeof(big); i += 2) {
		big[i] = 'a';
		big[i + 1] = ',';
	}
	big[USER_SCOPE_MAX + 1] = '\0';
	CHECK(user_scope_parse(big, &all, array, sizeof(array)) == -1);
	big[USER_SCOPE_MAX - 1] = '\0';
	CHECK(user_scope_parse(big, &all, array, sizeof(array)) == 0);
	/* an output too small is a refusal, never an overflow */
	CHECK(user_scope_parse("abcdef,ghijkl", &all, small, sizeof(small)) ==
	    -1);
	CHECK(user_scope_parse(NULL, &all, array, sizeof(array)) == 0);
	CHECK_STR(array, "{}");
}

static void test_roles(void)
{
	CHECK(user_role_valid("expert"));
	CHECK(user_role_valid("organiser"));
	CHECK(user_role_valid("admin"));
	CHECK(!user_role_valid("organizer"));
	CHECK(!user_role_valid("Admin"));
	CHECK(!user_role_valid(""));
	CHECK(!user_role_valid(NULL));
}

int main(void)
{
	test_parse();
	test_limits();
	test_roles();
	return check_done("scope");
}
