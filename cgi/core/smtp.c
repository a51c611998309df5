/* smtp.c: one mail through an SMTP relay (see smtp.h). */
#include "smtp.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"

int smtp_address_ok(const char *s)
{
	size_t n = strlen(s), at = 0, nat = 0;

	if (n < 3 || n > 254)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || strchr("<>()[],;:\"\\", c))
			return 0;
		if (c == '@') {
			at = i;
			nat++;
		}
	}
	return nat == 1 && at > 0 && at + 1 < n &&
	    strchr(s + at + 1, '.') != NULL && s[n - 1] != '.' &&
	    s[at + 1] != '.';
}

/* The address inside "Name <addr>", or the whole string; into out. */
static void bare_address(const char *from, char *out, size_t n)
{
	const char *lt = strrchr(from, '<'), *gt;

	if (lt && (gt = strchr(lt, '>')) != NULL && gt > lt + 1)
		snprintf(out, n, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, n, "%s", from);
}

static int has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* base64 of s[0..len) into b, wrapped at 76 with CRLF. -1 out of
 * memory. */
static int put_base64(struct buf *b, const char *s, size_t len, int wrap)
{
	size_t cap = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL);
	char *enc = malloc(cap);
	int rc = -1;

	if (enc == NULL)
		return -1;
	sodium_bin2base64(enc, cap, (const unsigned char *)s, len,
	    sodium_base64_VARIANT_ORIGINAL);
	if (!wrap) {
		rc = buf_puts(b, enc);
		goto out;
	}
	for (size_t i = 0, n = strlen(enc); i < n; i += 76)
		if (buf_printf(b, "%.*s\r\n", (int)(n - i < 76 ? n - i : 76),
			enc + i) != 0)
			goto out;
	rc = 0;
out:
	free(enc);
	return rc;
}

/* Subject: one RFC 2047 encoded word per chunk of at most 45 bytes, cut
 * on UTF-8 character boundaries. */
static int put_subject(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;

	if (buf_puts(b, "Subject:") != 0)
		return -1;
	while (i < n || n == 0) {
		size_t k = n - i > 45 ? 45 : n - i;

		while (k > 0 && i + k < n &&
		    ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k--;
		if (buf_puts(b, i ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?") != 0 ||
		    put_base64(b, s + i, k, 0) != 0 || buf_puts(b, "?=") != 0)
			return -1;
		i += k;
		if (n == 0)
			break;
	}
	return buf_puts(b, "\r\n");
}

/* From: as given when ASCII; else the display name as an encoded word
 * before <addr>. */
static int put_from(struct buf *b, const char *from, const char *addr)
{
	const char *lt = strrchr(from, '<');
	size_t n;

	for (const char *p = from; *p; p++)
		if ((unsigned char)*p >= 0x80)
			goto encode;
	return buf_printf(b, "From: %s\r\n", from);
encode:
	n = lt ? (size_t)(lt - from) : 0;
	while (n > 0 && from[n - 1] == ' ')
		n--;
	if (n == 0)
		return buf_printf(b, "From: <%s>\r\n", addr);
	if (buf_puts(b, "From: =?UTF-8?B?") != 0 ||
	    put_base64(b, from, n, 0) != 0)
		return -1;
	return buf_printf(b, "?= <%s>\r\n", addr);
}

/* body with every LF as CRLF (the canonical form of text), base64. */
static int put_body(struct buf *b, const char *body)
{
	struct buf crlf = BUF_INIT;
	int rc;

	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, *p);
	}
	rc = crlf.oom ? -1 : put_base64(b, buf_cstr(&crlf), crlf.len, 1);
	buf_free(&crlf);
	return rc;
}

char *smtp_message(const struct smtp_mail *m)
{
	struct buf b = BUF_INIT;
	char date[64], id[33], dom[256], from[256];
	unsigned char rnd[16];
	time_t now = time(NULL);
	struct tm tm;
	const char *at;

	if (has_crlf(m->from) || has_crlf(m->to) ||
	    has_crlf(m->unsubscribe) || gmtime_r(&now, &tm) == NULL)
		return NULL;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	bare_address(m->from, from, sizeof(from));
	at = strrchr(from, '@');
	snprintf(dom, sizeof(dom), "%s", at ? at + 1 : "enquete.invalid");
	if (buf_printf(&b, "Date: %s\r\n", date) != 0 ||
	    put_from(&b, m->from, from) != 0 ||
	    buf_printf(&b, "To: %s\r\nMessage-ID: <%s@%s>\r\n", m->to, id,
		dom) != 0 ||
	    put_subject(&b, m->subject) != 0 ||
	    (m->unsubscribe && buf_printf(&b, "List-Unsubscribe: <%s>\r\n"
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		m->unsubscribe) != 0) ||
	    buf_puts(&b, "Auto-Submitted: auto-generated\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n") != 0 ||
	    put_body(&b, m->body) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* The message being uploaded. */
struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(ptr, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* err = what went wrong, printable ASCII only. */
static void reason(char *err, size_t errlen, const char *a, const char *b)
{
	snprintf(err, errlen, "%s%s%s", a, b && *b ? ": " : "", b ? b : "");
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = ' ';
}

int smtp_send(const char *url, const struct smtp_mail *m, long timeout_s,
    char *err, size_t errlen)
{
	static int inited;
	char from[256], *msg = NULL, *u = NULL, cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	struct upload up;
	CURL *c = NULL;
	CURLcode rc;
	int tls = 0, st = -1;
	char *q;

	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			reason(err, errlen, "libcurl did not start", NULL);
			return -1;
		}
		inited = 1;
	}
	if (!smtp_address_ok(m->to)) {
		reason(err, errlen, "invalid address", NULL);
		return -1;
	}
	if ((msg = smtp_message(m)) == NULL || (u = strdup(url)) == NULL) {
		reason(err, errlen, "cannot build the message", NULL);
		goto out;
	}
	/* ?tls=1: STARTTLS required; the query is ours, not the relay's */
	if ((q = strchr(u, '?')) != NULL) {
		tls = strstr(q, "tls=1") != NULL;
		*q = '\0';
	}
	bare_address(m->from, from, sizeof(from));
	if ((c = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, m->to)) == NULL) {
		reason(err, errlen, "out of memory", NULL);
		goto out;
	}
	up.p = msg;
	up.left = strlen(msg);
	if (curl_easy_setopt(c, CURLOPT_URL, u) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READDATA, &up) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s) != CURLE_OK ||
	    (tls && curl_easy_setopt(c, CURLOPT_USE_SSL,
			(long)CURLUSESSL_ALL) != CURLE_OK)) {
		reason(err, errlen, "libcurl refused an option", NULL);
		goto out;
	}
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		long code = 0;

		char head[160];

		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code > 0)
			snprintf(head, sizeof(head), "%s (%ld)",
			    curl_easy_strerror(rc), code);
		else
			snprintf(head, sizeof(head), "%s", curl_easy_strerror(rc));
		/* the detail (host, port, the relay's words) after " | " */
		reason(err, errlen, head, NULL);
		if (cerr[0]) {
			size_t l = strlen(err);
			snprintf(err + l, errlen - l, " | %s", cerr);
			for (char *p = err; *p; p++)
				if ((unsigned char)*p < 0x20 ||
				    (unsigned char)*p > 0x7e)
					*p = ' ';
		}
		goto out;
	}
	st = 0;
out:
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	free(msg);
	free(u);
	return st;
}
