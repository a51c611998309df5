/* log.h: one line per event on stderr, with the request id when there is
 * one; untrusted bytes are escaped so a client cannot forge log lines. */
#ifndef ENQUETE_LOG_H
#define ENQUETE_LOG_H

struct req;

void log_msg(const struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies s into out (size n) with bytes outside printable ASCII as \xHH. */
void log_escape(const char *s, char *out, unsigned n);

#endif
