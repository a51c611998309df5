/* ctl.h: the enquetectl commands, one function each (argv[0] is the
 * command name); each returns the process exit status. */
#ifndef ENQUETE_CTL_H
#define ENQUETE_CTL_H

/* Workers cache events until PostgreSQL notifies a change (see
 * schema/005_notify.sql). A command that changes an event LISTENs first
 * (ctl_listen), then waits after its commit until the notification has gone
 * out (ctl_await_workers, bounded to about 2 s), so that the change is seen
 * by the next request. */
#include <libpq-fe.h>
int ctl_listen(PGconn *c);
void ctl_await_workers(PGconn *c);

int ctl_load(int argc, char **argv);
int ctl_event(int argc, char **argv);
int ctl_user(int argc, char **argv);
int ctl_token(int argc, char **argv);
int ctl_codes(int argc, char **argv);
int ctl_participant(int argc, char **argv);
int ctl_export(int argc, char **argv);
int ctl_definition(int argc, char **argv);
int ctl_fold(int argc, char **argv);

#endif
