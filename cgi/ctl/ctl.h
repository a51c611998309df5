/* ctl.h: the enquetectl commands, one function each (argv[0] is the
 * command name); each returns the process exit status. They reach the
 * database through the store (store.h) and the domain, never libpq. */
#ifndef ENQUETE_CTL_H
#define ENQUETE_CTL_H

int ctl_load(int argc, char **argv);
int ctl_event(int argc, char **argv);
int ctl_user(int argc, char **argv);
int ctl_token(int argc, char **argv);
int ctl_codes(int argc, char **argv);
int ctl_participant(int argc, char **argv);
int ctl_export(int argc, char **argv);
int ctl_definition(int argc, char **argv);
int ctl_fold(int argc, char **argv);
int ctl_invite(int argc, char **argv);

#endif
