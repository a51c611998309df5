/* main_fcgi.c: bin/enquete-fcgi, the prefork master and its workers. The
 * master binds the FastCGI Unix socket, loads what workers need, drops
 * root, keeps ENQUETE_WORKERS workers alive and stops them on SIGTERM. */
#include <errno.h>
#include <fcgiapp.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "boot.h"
#include "config.h"
#include "front.h"
#include "keys.h"
#include "routes.h"
#include "log.h"

/* ENQUETE_WORKERS's bound in the settings table (config.c) */
#define MAX_WORKERS 256
/* The FastCGI socket: read-write for its owner and nginx's group only, so
 * that no other local user can speak FastCGI (and forge REMOTE_ADDR or
 * HTTPS). The group is ENQUETE_SOCKET_GROUP, default nginx's www-data. */
#define SOCKET_MODE 0660


static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: accept() and waitpid() return EINTR */
	return sigaction(sig, &sa, NULL);
}

/* Reads the body (at most HTTP_MAX_BODY) into r. Returns 0 or a status. */
static int read_body(FCGX_Request *fr, struct req *r)
{
	const char *cl = req_param(r, "CONTENT_LENGTH");
	char *end;
	long long n;
	int got;

	if (r->method != M_POST)
		return 0;
	if (cl == NULL || *cl == '\0')
		n = 0;
	else {
		errno = 0;
		n = strtoll(cl, &end, 10);
		if (errno || *end || n < 0)
			return 400;
	}
	if (n > HTTP_MAX_BODY)
		return 413;
	r->body = malloc((size_t)n + 1);
	if (r->body == NULL)
		return 500;
	got = n ? FCGX_GetStr(r->body, (int)n, fr->in) : 0;
	if (got < 0 || got != n)
		return 400;
	r->body[n] = '\0';
	r->body_len = (size_t)n;
	return 0;
}

/* The stream of struct resp (http.h) on a FastCGI request. */
struct stream_state {
	FCGX_Request *fr;
	struct req *r;
	struct buf *head;
};

static int stream_write(void *ctx, const char *data, size_t len)
{
	struct stream_state *s = ctx;
	struct req *r = s->r;

	if (!r->resp.streamed) {
		r->resp.streamed = 1;
		buf_reset(s->head);
		front_head(r, s->head);
		if (s->head->oom || FCGX_PutStr(s->head->data,
					(int)s->head->len, s->fr->out) < 0)
			return -1;
	}
	if (r->method == M_HEAD || len == 0)
		return 0;
	if (len > INT_MAX || FCGX_PutStr(data, (int)len, s->fr->out) < 0)
		return -1;
	return 0;
}

/* A streamed response whose handler failed after its head went out: the
 * connection to nginx is cut without the end of the request, so that nginx
 * ends the client's response as failed (no last chunk) instead of handing
 * on a truncated export as complete. */
static void stream_abort(FCGX_Request *fr, struct req *r)
{
	log_msg(r, "streamed response failed (%d): connection cut",
	    r->resp.status);
	if (fr->ipcFd >= 0 && shutdown(fr->ipcFd, SHUT_RDWR) != 0)
		log_msg(r, "shutdown: %s", strerror(errno));
}

static void serve(FCGX_Request *fr, struct req *r, struct buf *out,
    unsigned long seq)
{
	struct stream_state ss = {fr, r, out};
	int status;

	r->envp = fr->envp;
	r->resp.stream = stream_write;
	r->resp.stream_ctx = &ss;
	snprintf(r->id, sizeof(r->id), "%x-%lx", (unsigned)getpid(), seq);
	status = front_parse(r);
	if (status == 0)
		status = read_body(fr, r);
	if (status == 0)
		front_dispatch(r);
	else {
		r->resp.status = status;
		r->resp.content_type = "text/plain; charset=utf-8";
		buf_reset(&r->resp.body);
		buf_printf(&r->resp.body, "%d %s\n", status,
		    http_reason(status));
	}
	if (r->resp.streamed) {
		/* the head and part of the body went out: the rest, or a cut */
		if (r->resp.status != 200)
			stream_abort(fr, r);
		else if (stream_write(&ss, r->resp.body.data,
			     r->resp.body.len) != 0)
			log_msg(r, "could not write the response");
		return;
	}
	buf_reset(out);
	front_head(r, out);
	if (out->oom || FCGX_PutStr(out->data, (int)out->len, fr->out) < 0 ||
	    (r->method != M_HEAD && r->resp.body.len > 0 &&
		FCGX_PutStr(r->resp.body.data, (int)r->resp.body.len,
		    fr->out) < 0))
		log_msg(r, "could not write the response");
}

/* After a large response (over 256 KB: an export, a dashboard), give the
 * memory back: the buffers shrink and malloc returns its free pages, so a
 * worker's footprint does not stay at its largest response. A smaller
 * page may have worked on much more than it sent (the donor's report: the
 * summary, its model, every chart): when over 1 MiB of the heap is free
 * below its top (which malloc trims by itself), malloc returns those
 * pages too. Without it a worker kept 2 MiB after one report, 10.1 MiB
 * in all after the report at 100k participants (issue 22: under 10). */
#define SHRINK_FREE_BYTES (1u << 20)

static void shrink(struct req *r, struct buf *out)
{
	struct mallinfo2 mi;

	if (r->resp.body.cap > (256u << 10) || out->cap > (256u << 10)) {
		buf_free(&r->resp.body);
		buf_free(out);
		malloc_trim(0);
		return;
	}
	mi = mallinfo2();
	if (mi.fordblks - mi.keepcost > SHRINK_FREE_BYTES)
		malloc_trim(0);
}

static void worker_main(int sock)
{
	FCGX_Request fr;
	struct req r;
	struct buf out = BUF_INIT;
	unsigned long seq = 0;

	install(SIGTERM, on_stop);
	install(SIGINT, on_stop);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_InitRequest(&fr, sock, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_msg(NULL, "FCGX_InitRequest failed");
		_exit(1);
	}
	app.db.conninfo = db_conninfo();
	/* events are cached until the database says; not through a
	 * transaction pooler, where LISTEN has no session to live in */
	app.db.listen = !db_pooled();
	app.adb.conninfo = db_analytics_conninfo();
	app.adb.appname = "enquete-analytics"; /* told apart in pg_stat_activity */
	req_init(&r);
	while (!stopping) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (stopping)
				break;
			if (errno == EINTR)
				continue;
			log_msg(NULL, "accept failed: %s", strerror(errno));
			continue;
		}
		serve(&fr, &r, &out, ++seq);
		FCGX_Finish_r(&fr);
		req_reset(&r);
		shrink(&r, &out);
	}
	db_close(&app.db);
	db_close(&app.adb);
	buf_free(&out);
	req_reset(&r);
	buf_free(&r.resp.body);
	buf_free(&r.resp.headers);
	boot_free();
	_exit(0);
}

static int drop_root(void)
{
	const char *name = cfg_str(CFG_RUN_AS);
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	pw = getpwnam(name);
	if (pw == NULL) {
		log_msg(NULL, "unknown user %s (ENQUETE_RUN_AS)", name);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_msg(NULL, "cannot drop privileges to %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		log_msg(NULL, "privileges could be regained; refusing to run");
		return -1;
	}
	return 0;
}

/* Fails early, in the master, when ENQUETE_RUN_AS names no user. */
static int drop_root_check(void)
{
	const char *name = cfg_str(CFG_RUN_AS);

	if (geteuid() != 0)
		return 0;
	if (getpwnam(name) == NULL) {
		fprintf(stderr, "enquete-fcgi: unknown user %s (ENQUETE_RUN_AS)\n",
		    name);
		return -1;
	}
	return 0;
}

/* Gives the socket to nginx's group, mode SOCKET_MODE. When
 * ENQUETE_SOCKET_GROUP is unset and www-data does not exist (a developer's
 * nginx running as themselves), the group stays ours. 0 or -1. */
static int socket_access(const char *path)
{
	const char *name = cfg_str(CFG_SOCKET_GROUP);
	int must = cfg_is_set(CFG_SOCKET_GROUP);
	struct group *gr;

	gr = getgrnam(name);
	if (gr == NULL && must) {
		fprintf(stderr, "enquete-fcgi: unknown group %s "
		    "(ENQUETE_SOCKET_GROUP)\n", name);
		return -1;
	}
	if (gr != NULL && chown(path, (uid_t)-1, gr->gr_gid) != 0 &&
	    (must || geteuid() == 0)) {
		fprintf(stderr, "enquete-fcgi: chown %s to group %s: %s\n",
		    path, name, strerror(errno));
		return -1;
	}
	if (chmod(path, SOCKET_MODE) != 0) {
		fprintf(stderr, "enquete-fcgi: chmod %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static pid_t spawn(int sock)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (drop_root() != 0)
			_exit(1);
		worker_main(sock);
	}
	if (pid < 0)
		log_msg(NULL, "fork failed: %s", strerror(errno));
	return pid;
}

/* `enquete-fcgi --routes`: the route table, one line per route: method,
 * pattern, flags (session, csrf, admin, manage, api) and "events" when it
 * reads the ?events= list (else "-"), tab-separated.
 * Tests iterate it so that no route escapes a rule (roles.test.mjs: an
 * event outside the scope is 404 on every route). */
static int print_routes(void)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {{RF_SESSION, "session"}, {RF_CSRF, "csrf"},
	    {RF_ADMIN, "admin"}, {RF_MANAGE, "manage"}, {RF_API, "api"}};

	for (size_t i = 0; i < routes_len; i++) {
		const struct route *rt = &routes[i];
		int first = 1;

		printf("%s\t%s\t", rt->method == M_POST ? "POST" : "GET",
		    rt->pattern);
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (rt->flags & names[k].flag) {
				printf("%s%s", first ? "" : ",", names[k].name);
				first = 0;
			}
		printf("%s\t%s\n", first ? "-" : "",
		    rt->keys & KEY_BIT(KEY_EVENTS) ? "events" : "-");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *path;
	pid_t pids[MAX_WORKERS];
	int nworkers, sock, live = 0;
	time_t last_death = 0;
	int rapid = 0;
	char err[512];

	if (argc == 2 && strcmp(argv[1], "--routes") == 0)
		return print_routes();
	if (argc != 1) {
		fprintf(stderr, "usage: enquete-fcgi [--routes]\n");
		return 2;
	}
	/* every setting parsed once, here; the workers inherit them */
	if (config_load(CFG_R_FCGI, err, sizeof(err)) != 0) {
		fprintf(stderr, "enquete-fcgi: %s\n", err);
		return 1;
	}
	path = cfg_str(CFG_SOCKET);
	nworkers = (int)cfg_int(CFG_WORKERS);
	if (boot_load(err, sizeof(err)) != 0) {
		fprintf(stderr, "enquete-fcgi: %s\n", err);
		return 1;
	}
	if (FCGX_Init() != 0) {
		fprintf(stderr, "enquete-fcgi: FCGX_Init failed\n");
		return 1;
	}
	if (strlen(path) >= 107) {
		fprintf(stderr, "enquete-fcgi: socket path too long: %s\n", path);
		return 1;
	}
	unlink(path);
	sock = FCGX_OpenSocket(path, 1024);
	if (sock < 0) {
		fprintf(stderr, "enquete-fcgi: cannot listen on %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	if (socket_access(path) != 0)
		return 1;
	/* the master keeps root only to remove its socket at exit; workers,
	 * which read what clients send, drop it (see spawn) */
	if (drop_root_check() != 0)
		return 1;
	install(SIGTERM, on_stop);
	install(SIGINT, on_stop);
	install(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < nworkers; i++) {
		pids[i] = spawn(sock);
		if (pids[i] > 0)
			live++;
	}
	log_msg(NULL, "listening on %s with %d workers", path, live);
	while (!stopping) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				sleep(1);
			else
				break;
		}
		for (int i = 0; i < nworkers; i++) {
			if (pids[i] != pid)
				continue;
			if (WIFSIGNALED(st))
				log_msg(NULL, "worker %d died from signal %d",
				    (int)pid, WTERMSIG(st));
			else
				log_msg(NULL, "worker %d exited with %d",
				    (int)pid, WEXITSTATUS(st));
			if (stopping)
				break;
			/* back off when workers die in a loop */
			if (time(NULL) - last_death < 1 && ++rapid > 10)
				sleep(1);
			else if (time(NULL) - last_death >= 1)
				rapid = 0;
			last_death = time(NULL);
			pids[i] = spawn(sock);
		}
	}
	log_msg(NULL, "stopping");
	for (int i = 0; i < nworkers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	{
		time_t deadline = time(NULL) + 10;
		while (time(NULL) < deadline) {
			pid_t pid = waitpid(-1, NULL, WNOHANG);
			if (pid < 0 && errno == ECHILD)
				break;
			if (pid == 0) {
				struct timespec ts = {0, 50 * 1000 * 1000};
				nanosleep(&ts, NULL);
			}
		}
		for (int i = 0; i < nworkers; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGKILL);
	}
	if (unlink(path) != 0 && errno != ENOENT)
		log_msg(NULL, "could not remove %s: %s", path, strerror(errno));
	boot_free();
	return 0;
}
