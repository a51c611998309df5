/* test_smtp.c: the invitations' mail (cgi/core/smtp.c): which addresses
 * are accepted, and the message's headers (no header injection, the
 * subject and a non-ASCII sender name encoded, the unsubscribe headers).
 * The sending itself is tested against a real relay
 * (tests/integration/invite.test.mjs). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "smtp.h"

static void test_addresses(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
	    {"a@example.org", 1},
	    {"first.last+tag@sub.example.co", 1},
	    {"a@b.c", 1},
	    {"", 0},
	    {"a@b", 0},
	    {"@example.org", 0},
	    {"a@", 0},
	    {"a@@example.org", 0},
	    {"a@b@example.org", 0},
	    {"a b@example.org", 0},
	    {"a@example.org\r\nBcc: x@evil.example", 0},
	    {"a@example.org>", 0},
	    {"<a@example.org>", 0},
	    {"a@example.org.", 0},
	    {"a@.example.org", 0},
	    {"a,b@example.org", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_MSG(smtp_address_ok(cases[i].s) == cases[i].ok, "%s: %d",
		    cases[i].s, !cases[i].ok);
}

static void test_message(void)
{
	struct smtp_mail m = {"Enquête IMANOR <noreply@example.org>",
	    "a@example.org", "Questionnaire de suivi : « ISO » استبيان",
	    "Bonjour,\nhttp://x/e/s/followup?k=K\n", "http://x/e/s/unsubscribe?k=U"};
	char *msg = smtp_message(&m);

	CHECK(msg != NULL);
	if (msg) {
		CHECK(strstr(msg, "From: =?UTF-8?B?") == strstr(msg, "From: "));
		CHECK(strstr(msg, "?= <noreply@example.org>\r\n") != NULL);
		CHECK(strstr(msg, "\r\nTo: a@example.org\r\n") != NULL);
		CHECK(strstr(msg, "\r\nSubject: =?UTF-8?B?") != NULL);
		CHECK(strstr(msg, "List-Unsubscribe: "
				  "<http://x/e/s/unsubscribe?k=U>\r\n") != NULL);
		CHECK(strstr(msg, "List-Unsubscribe-Post: "
				  "List-Unsubscribe=One-Click\r\n") != NULL);
		CHECK(strstr(msg, "Content-Transfer-Encoding: base64\r\n\r\n") !=
		    NULL);
		/* no byte above 0x7f: the headers are encoded, the body too */
		for (const char *p = msg; *p; p++)
			if ((unsigned char)*p >= 0x80) {
				CHECK_MSG(0, "8-bit byte at %zu", (size_t)(p - msg));
				break;
			}
		free(msg);
	}
	/* a header value with a line break is refused whole */
	m.unsubscribe = "http://x/\r\nBcc: x@evil.example";
	CHECK(smtp_message(&m) == NULL);
	m.unsubscribe = NULL;
	m.to = "a@example.org\nBcc: x@evil.example";
	CHECK(smtp_message(&m) == NULL);
}

int main(void)
{
	test_addresses();
	test_message();
	return check_done("smtp");
}
