/* main.c - the sluice command: subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
    fputs(
        "usage: sluice COMMAND [ARGS]\n"
        "\n"
        "sluice runs Flink SQL jobs on one machine: MySQL CDC, lookup joins,\n"
        "streaming aggregation, upserts into Elasticsearch or a database.\n"
        "\n"
        "commands:\n"
        "  sql [-i FILE] [-f FILE] [--endpoint URL]   the interactive SQL shell\n"
        "  run [--set k=v]... FILE        run a job file in the foreground\n"
        "  explain FILE                   print the operator plan of a job file\n"
        "  check [--parse-only] FILE...   validate SQL files; exit 1 on any error\n"
        "  daemon [--config FILE]         the service: REST API, metrics, dashboard\n"
        "  jobs | submit FILE | cancel ID | stop ID [--savepoint DIR]\n"
        "                                 talk to a running daemon\n"
        "  help                           this text\n"
        "  version                        print the version\n"
        "\n"
        "Run `sluice COMMAND --help` for a command's options.\n",
        f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        puts("sluice " SL_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "check")) return sl_cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "run") || !strcmp(cmd, "explain"))
        return sl_cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "sql")) return sl_cmd_sql(argc - 1, argv + 1);
    if (!strcmp(cmd, "daemon")) return sl_cmd_daemon(argc - 1, argv + 1);
    if (!strcmp(cmd, "jobs") || !strcmp(cmd, "submit") || !strcmp(cmd, "cancel") ||
        !strcmp(cmd, "stop"))
        return sl_cmd_remote(argc - 1, argv + 1);
    fprintf(stderr, "sluice: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 1;
}
