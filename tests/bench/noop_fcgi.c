/* noop_fcgi.c: the floor of enquete's architecture for the benchmark
 * (scripts/bench): a prefork libfcgi responder with the same shape as
 * bin/enquete-fcgi (a master binds the Unix socket, N workers run the
 * FCGX accept loop) that answers every request with the same bytes, read
 * once from a file at start and served from memory.
 *
 * usage: noop_fcgi SOCKET WORKERS RESPONSE_FILE
 * RESPONSE_FILE holds a whole CGI response: headers, blank line, body. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 256

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL); /* no SA_RESTART: accept() sees EINTR */
}

/* The whole file in memory (caller frees), its size in *len; NULL on
 * error. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	} else
		*len = (size_t)n;
	if (f)
		fclose(f);
	return p;
}

/* The accept loop: the same calls as bin/enquete-fcgi's worker_main. */
static void worker(int sock, const char *resp, size_t len)
{
	FCGX_Request fr;

	install(SIGTERM, on_stop);
	install(SIGINT, on_stop);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_InitRequest(&fr, sock, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		_exit(1);
	while (!stopping) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (stopping)
				break;
			continue;
		}
		FCGX_PutStr(resp, (int)len, fr.out);
		FCGX_Finish_r(&fr);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_WORKERS];
	int n, sock;
	size_t len = 0;
	char *resp;

	if (argc != 4 || (n = atoi(argv[2])) < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "usage: noop_fcgi SOCKET WORKERS RESPONSE_FILE\n");
		return 2;
	}
	if ((resp = slurp(argv[3], &len)) == NULL) {
		fprintf(stderr, "noop_fcgi: cannot read %s\n", argv[3]);
		return 1;
	}
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[1]);
	sock = FCGX_OpenSocket(argv[1], 1024);
	if (sock < 0 || chmod(argv[1], 0666) != 0) {
		fprintf(stderr, "noop_fcgi: cannot listen on %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	install(SIGTERM, on_stop);
	install(SIGINT, on_stop);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker(sock, resp, len);
	}
	while (!stopping) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0 && errno != EINTR)
			break;
		/* respawn, as the real master does */
		for (int i = 0; pid > 0 && !stopping && i < n; i++)
			if (pids[i] == pid && (pids[i] = fork()) == 0)
				worker(sock, resp, len);
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	unlink(argv[1]);
	free(resp);
	return 0;
}
