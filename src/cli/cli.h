/* cli.h - the subcommands behind src/main.c. Each returns the process exit
 * status: 0 success, 1 user error, 2 internal error. */
#ifndef SL_CLI_CLI_H
#define SL_CLI_CLI_H

#define SL_VERSION "0.1.0"

int sl_cmd_check(int argc, char **argv);

#include "util/strbuf.h"
/* Reads a whole file, or standard input for "-", into sb. 0 or -errno. */
int sl_cli_read_file(const char *path, sl_strbuf_t *sb);
/* run and explain (argv[0] says which) */
int sl_cmd_run(int argc, char **argv);
/* sluice daemon (src/server/daemon.c) */
int sl_cmd_daemon(int argc, char **argv);
/* jobs, submit, cancel, stop (argv[0] says which): the daemon's REST API */
int sl_cmd_remote(int argc, char **argv);
/* sluice sql (src/shell/shell.c) */
int sl_cmd_sql(int argc, char **argv);

#endif
