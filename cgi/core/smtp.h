/* smtp.h: one mail through an SMTP relay (libcurl's SMTP): the message
 * built here (UTF-8 subject encoded per RFC 2047, base64 text body, the
 * List-Unsubscribe headers of RFC 2369 and RFC 8058), TLS when the URL is
 * smtps:// (implicit) or asks for it with ?tls=1 (STARTTLS required). */
#ifndef ENQUETE_SMTP_H
#define ENQUETE_SMTP_H

#include <stddef.h>

/* What one mail says. Strings borrowed; subject and body UTF-8. */
struct smtp_mail {
	const char *from;        /* "addr" or "Name <addr>" */
	const char *to;          /* one address */
	const char *subject;
	const char *body;        /* plain text, LF line ends */
	const char *unsubscribe; /* the one-click URL, or NULL */
};

/* 1 when s can be a recipient: 3..254 bytes, one '@' with text on both
 * sides, a dot in the domain, no space, control or <>()[],;:"\ byte. */
int smtp_address_ok(const char *s);

/* Builds the message bytes (CRLF line ends, headers then the body) into
 * a new string the caller frees; NULL out of memory or for a header value
 * with CR or LF. */
char *smtp_message(const struct smtp_mail *m);

/* Sends m through the relay url (smtp:// or smtps://, credentials in the
 * URL, ?tls=1 for STARTTLS). 0 when the relay accepted it; -1 with an
 * ASCII reason in err: libcurl's words and the SMTP code ("Failed sending
 * data to the peer (550)"), then " | " and the detail (which may name the
 * relay's host). Each call gives up after timeout_s seconds. */
int smtp_send(const char *url, const struct smtp_mail *m, long timeout_s,
    char *err, size_t errlen);

#endif
