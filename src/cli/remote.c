/* remote.c - `sluice jobs | submit | cancel | stop`: the daemon's REST API
 * from the command line (docs/REST.md). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "server/client.h"
#include "util/strbuf.h"

static void usage(FILE *f)
{
    fputs("usage: sluice jobs [--all]              list the daemon's jobs\n"
          "       sluice submit FILE                run a job file's statements in the daemon\n"
          "       sluice cancel JOB_ID              cancel a job\n"
          "       sluice stop JOB_ID [--savepoint DIR]  stop a job with a savepoint\n"
          "\n"
          "  --endpoint URL  the daemon (default $SLUICE_ENDPOINT or http://127.0.0.1:8081)\n"
          "  --token TOKEN   its bearer token (default $SLUICE_TOKEN)\n"
          "\n"
          "A JOB_ID may be shortened to a unique prefix of 4 or more characters.\n",
          f);
}

static void print_jobs(json_t *o, bool all)
{
    json_t *l = json_object_get(o, "jobs");
    printf("%-32s  %-12s  %-19s  %10s  %12s  %12s  %s\n", "JOB ID", "STATUS", "STARTED", "DURATION",
           "RECORDS IN", "RECORDS OUT", "NAME");
    for (size_t i = 0; i < json_array_size(l); i++) {
        json_t *j = json_array_get(l, i);
        if (!all && json_is_true(json_object_get(j, "query"))) continue;
        time_t t = (time_t)(json_integer_value(json_object_get(j, "start_time")) / 1000);
        struct tm tm;
        char ts[32];
        localtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
        json_int_t d = json_integer_value(json_object_get(j, "duration_ms")) / 1000;
        char dur[32];
        snprintf(dur, sizeof dur, "%lldh%02lldm%02llds", (long long)d / 3600, (long long)d / 60 % 60,
                 (long long)d % 60);
        printf("%-32s  %-12s  %-19s  %10s  %12lld  %12lld  %s\n",
               json_string_value(json_object_get(j, "id")),
               json_string_value(json_object_get(j, "status")), ts, dur,
               (long long)json_integer_value(json_object_get(j, "records_in")),
               (long long)json_integer_value(json_object_get(j, "records_out")),
               json_string_value(json_object_get(j, "name")));
        const char *e = json_string_value(json_object_get(j, "error"));
        if (e) printf("    error: %s\n", e);
    }
}

int sl_cmd_remote(int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *endpoint = sl_rest_endpoint_default(), *token = sl_rest_token_default();
    const char *arg = NULL, *savepoint = NULL;
    bool all = false;
    char *token_copy = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--all")) {
            all = true;
        } else if (!strcmp(a, "--endpoint") || !strcmp(a, "--token") || !strcmp(a, "--savepoint")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sluice %s: %s needs a value\n", cmd, a);
                free(token_copy);
                return 1;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--endpoint")) endpoint = v;
            else if (!strcmp(a, "--token")) {
                /* a copy; the argument is blanked for ps and /proc/PID/cmdline */
                free(token_copy);
                if (!(token_copy = strdup(v))) return 2;
                memset(argv[i], '*', strlen(argv[i]));
                token = token_copy;
            }
            else savepoint = v;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sluice %s: unknown option '%s'\n", cmd, a);
            usage(stderr);
            free(token_copy);
            return 1;
        } else if (arg) {
            fprintf(stderr, "sluice %s: one argument only ('%s' and '%s')\n", cmd, arg, a);
            free(token_copy);
            return 1;
        } else {
            arg = a;
        }
    }
    bool needs_arg = strcmp(cmd, "jobs") != 0;
    if (needs_arg != (arg != NULL) || (savepoint && strcmp(cmd, "stop"))) {
        usage(stderr);
        free(token_copy);
        return 1;
    }
    json_t *out = NULL, *body = NULL;
    long status = 0;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = 0, exit_status = 0;
    char path[512];
    if (!strcmp(cmd, "jobs")) {
        rc = sl_rest_call(endpoint, token, "GET", "/v1/jobs", NULL, 30000, &out, &status, &err);
        if (!rc) print_jobs(out, all);
    } else if (!strcmp(cmd, "submit")) {
        sl_strbuf_t text = SL_STRBUF_INIT;
        int r = sl_cli_read_file(arg, &text);
        if (r) {
            fprintf(stderr, "%s: error: cannot read file: %s\n", arg, strerror(-r));
            sl_strbuf_destroy(&text);
            free(token_copy);
            return 1;
        }
        body = json_pack("{s:s%, s:s}", "statement", text.buf ? text.buf : "", text.len, "origin",
                         strcmp(arg, "-") ? arg : "<stdin>");
        sl_strbuf_destroy(&text);
        rc = sl_rest_call(endpoint, token, "POST", "/v1/statements", body, 60000, &out, &status, &err);
        json_t *rs = json_object_get(out, "results");
        for (size_t i = 0; !rc && i < json_array_size(rs); i++) {
            json_t *r = json_array_get(rs, i);
            const char *kind = json_string_value(json_object_get(r, "kind"));
            if (!kind) continue;
            if (!strcmp(kind, "error")) {
                fprintf(stderr, "%s\n", json_string_value(json_object_get(r, "text")));
                exit_status = 1;
            } else if (!strcmp(kind, "job")) {
                printf("Job ID: %s\n", json_string_value(json_object_get(r, "job_id")));
            } else if (!strcmp(kind, "query")) {
                fprintf(stderr, "%s: a SELECT runs only in `sluice sql`: its query %s is closed\n",
                        arg, json_string_value(json_object_get(r, "query_id")));
            }
        }
    } else if (!strcmp(cmd, "cancel")) {
        snprintf(path, sizeof path, "/v1/jobs/%s/cancel", arg);
        rc = sl_rest_call(endpoint, token, "POST", path, NULL, 30000, &out, &status, &err);
        if (!rc) printf("Job %s is being canceled.\n", arg);
    } else if (!strcmp(cmd, "stop")) {
        snprintf(path, sizeof path, "/v1/jobs/%s/stop", arg);
        body = savepoint ? json_pack("{s:s}", "savepoint_dir", savepoint) : json_object();
        rc = sl_rest_call(endpoint, token, "POST", path, body, 180000, &out, &status, &err);
        if (!rc)
            printf("Job %s stopped. Savepoint: %s\n", arg,
                   json_string_value(json_object_get(out, "savepoint")));
    }
    if (rc) {
        fprintf(stderr, "sluice %s: %s\n", cmd, err.msg);
        exit_status = 1;
    }
    json_decref(out);
    json_decref(body);
    free(token_copy);
    return exit_status;
}
