/* cli.h - the subcommands behind src/main.c. Each returns the process exit
 * status: 0 success, 1 user error, 2 internal error. */
#ifndef SL_CLI_CLI_H
#define SL_CLI_CLI_H

#define SL_VERSION "0.1.0"

int sl_cmd_check(int argc, char **argv);
/* run and explain (argv[0] says which) */
int sl_cmd_run(int argc, char **argv);

#endif
