/* log.c: request-tagged log lines on stderr (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

void log_escape(const char *s, char *out, unsigned n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned o = 0;

	if (n == 0)
		return;
	for (; s && *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7F && c != '\\') {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

void log_msg(const struct req *r, const char *fmt, ...)
{
	char line[1024], path[256], ts[32];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	int n = 0;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (r && r->path) {
		log_escape(r->path, path, sizeof(path));
		n = snprintf(line, sizeof(line), "%s [%d] %s %s %s: ", ts,
		    (int)getpid(), r->id, r->method_str ? r->method_str : "-",
		    path);
	} else
		n = snprintf(line, sizeof(line), "%s [%d] ", ts, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* library messages carry newlines: keep one event on one line */
	for (char *c = line; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	fprintf(stderr, "%s\n", line);
}
