/* run.c - `sluice run` and `sluice explain`: execute or explain a job file.
 *
 * The file's statements apply in order: DDL builds the catalog, SET and
 * RESET build the job configuration (--set on the command line wins), and
 * every INSERT (alone or in a statement set) joins one job, which runs when
 * the whole file has been read: until its bounded sources are exhausted, or
 * until SIGINT/SIGTERM for an unbounded one. Errors point into the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "exec/op.h"
#include "plan/plan.h"
#include "sql/bind.h"
#include "sql/sql.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

static void run_usage(FILE *f, const char *cmd)
{
    if (!strcmp(cmd, "explain")) {
        fputs("usage: sluice explain [--set key=value]... FILE\n"
              "\n"
              "Prints the operator plan of the job in FILE: one line per operator\n"
              "with what it computes, its unique key and the changelog mode of its\n"
              "output (I = inserts only; I,UB,UA,D = updates and deletes).\n",
              f);
        return;
    }
    fputs("usage: sluice run [--set key=value]... [--verbose] [--state-dir DIR] [--fresh]\n"
          "                  [--from-savepoint DIR] [--savepoint-on-stop DIR] FILE\n"
          "\n"
          "Runs the Flink SQL job in FILE: CREATE TABLE/VIEW and SET statements\n"
          "apply in order, and all INSERT statements form one job. A job whose\n"
          "sources are bounded ends when they are exhausted; an unbounded one\n"
          "runs until SIGINT or SIGTERM, then stops cleanly.\n"
          "\n"
          "  --set key=value   a configuration key (Flink's names, e.g.\n"
          "                    table.exec.mini-batch.enabled=true); wins over SET\n"
          "  --verbose         print per-operator row counts at the end\n"
          "  --state-dir DIR   where checkpoints go (else state.checkpoints.dir); the\n"
          "                    job resumes from the newest complete one there\n"
          "  --fresh           discard the checkpoints in the state directory first\n"
          "  --from-savepoint DIR  start from this savepoint (or checkpoint chk-N)\n"
          "  --savepoint-on-stop DIR  on SIGINT/SIGTERM, stop with a savepoint in DIR\n"
          "\n"
          "Exit status: 0 success, 1 bad SQL, bad option or failed job, 2 internal\n"
          "error.\n",
          f);
}

/* Prints an error, with the file position when it has one. */
static void print_err(sl_script_t *sc, const sl_err_t *err)
{
    if (err->off >= 0) {
        sl_script_diag(sc, SL_DIAG_ERROR, err->code, err->off,
                       err->len > 0 ? err->len : 1, "%s", err->msg);
        sl_diag_print(stderr, sc, sc->diags.items[sc->diags.n - 1]);
    } else {
        fprintf(stderr, "%s: error: %s\n", sc->filename, err->msg);
    }
}

typedef struct kv {
    char *key, *value;
} kv_t;

int sl_cmd_run(int argc, char **argv)
{
    const char *cmd = argv[0];
    bool explain = !strcmp(cmd, "explain");
    bool verbose = false;
    sl_run_opts_t ropts;
    memset(&ropts, 0, sizeof ropts);
    const char *path = NULL;
    kv_t *sets = calloc((size_t)argc + 1, sizeof *sets);
    int nsets = 0, status = 0;
    if (!sets) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            run_usage(stdout, cmd);
            free(sets);
            return 0;
        } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            verbose = true;
        } else if (!strcmp(a, "--fresh")) {
            ropts.fresh = true;
        } else if (!strcmp(a, "--set") || !strcmp(a, "--state-dir") ||
                   !strcmp(a, "--from-savepoint") || !strcmp(a, "--savepoint-on-stop")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sluice %s: %s needs a value\n", cmd, a);
                free(sets);
                return 1;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--state-dir")) ropts.state_dir = v;
            else if (!strcmp(a, "--from-savepoint")) ropts.from_savepoint = v;
            else if (!strcmp(a, "--savepoint-on-stop")) ropts.savepoint_on_stop = v;
            else {
                const char *eq = strchr(v, '=');
                if (!eq || eq == v) {
                    fprintf(stderr, "sluice %s: --set expects key=value, got '%s'\n",
                            cmd, v);
                    free(sets);
                    return 1;
                }
                sets[nsets].key = strndup(v, (size_t)(eq - v));
                sets[nsets].value = strdup(eq + 1);
                nsets++;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sluice %s: unknown option '%s'\n", cmd, a);
            run_usage(stderr, cmd);
            status = 1;
            goto out;
        } else if (path) {
            fprintf(stderr, "sluice %s: one job file at a time ('%s' and '%s')\n",
                    cmd, path, a);
            status = 1;
            goto out;
        } else {
            path = a;
        }
    }
    if (!path) {
        run_usage(stderr, cmd);
        status = 1;
        goto out;
    }

    sl_strbuf_t text = SL_STRBUF_INIT;
    int rc = sl_cli_read_file(path, &text);
    if (rc) {
        fprintf(stderr, "%s: error: cannot read file: %s\n", path, strerror(-rc));
        sl_strbuf_destroy(&text);
        status = 1;
        goto out;
    }
    sl_script_t sc;
    rc = sl_script_parse(&sc, strcmp(path, "-") ? path : "<stdin>",
                         sl_strbuf_cstr(&text), text.len);
    sl_strbuf_destroy(&text);
    sl_catalog_t *cat = sl_catalog_new();
    if (rc || !cat) {
        fprintf(stderr, "%s: error: out of memory\n", path);
        status = 2;
        goto done;
    }
    if (sc.nerrors == 0) rc = sl_bind_script(&sc, cat);
    if (rc || sc.nerrors) {
        sl_script_print_diags(stderr, &sc);
        status = rc == -SL_ENOMEM ? 2 : 1;
        goto done;
    }
    /* SET statements, then --set; the INSERTs of the file form one job. */
    sl_job_conf_t conf;
    sl_job_conf_init(&conf);
    sl_list_t inserts = {0};
    for (int i = 0; i < sc.stmts.n; i++) {
        sl_stmt_t *st = sc.stmts.items[i];
        sl_err_t err;
        sl_err_clear(&err);
        if (st->kind == SL_S_SET && st->key) {
            if (sl_job_conf_set(&conf, st->key, st->value, &err)) {
                err.off = st->val_off;
                err.len = st->val_len;
                print_err(&sc, &err);
                status = 1;
                goto done;
            }
        } else if (st->kind == SL_S_RESET) {
            if (!st->key) sl_job_conf_init(&conf);
        } else if (st->kind == SL_S_INSERT || st->kind == SL_S_STATEMENT_SET) {
            if (sl_list_push(&sc.arena, &inserts, st)) {
                status = 2;
                goto done;
            }
        } else if (st->kind == SL_S_EXPLAIN && st->stmts.n &&
                   ((sl_stmt_t *)st->stmts.items[0])->kind != SL_S_QUERY) {
            sl_list_t one = {0};
            sl_plan_t plan;
            if (sl_list_push(&sc.arena, &one, st->stmts.items[0])) {
                status = 2;
                goto done;
            }
            if (sl_plan_build(&plan, &sc, cat, &one, &conf, &err)) {
                print_err(&sc, &err);
                sl_plan_free(&plan);
                status = 1;
                goto done;
            }
            printf("== Physical Execution Plan ==\n");
            sl_plan_explain(stdout, &plan);
            sl_plan_free(&plan);
        } else if (st->kind == SL_S_QUERY) {
            sl_err_at(&err, SL_EUNSUPPORTED, st->off, 6,
                      "a bare SELECT in a job file is not run by sluice run yet: "
                      "write INSERT INTO a 'print' table");
            print_err(&sc, &err);
            status = 1;
            goto done;
        }
    }
    for (int i = 0; i < nsets; i++) {
        sl_err_t err;
        if (sl_job_conf_set(&conf, sets[i].key, sets[i].value, &err)) {
            fprintf(stderr, "sluice %s: --set %s: %s\n", cmd, sets[i].key, err.msg);
            status = 1;
            goto done;
        }
    }
    if (!inserts.n) {
        if (!explain) fprintf(stderr, "%s: no INSERT statement: nothing to run\n", path);
        status = explain ? 0 : 0;
        goto done;
    }
    sl_plan_t plan;
    sl_err_t err;
    sl_err_clear(&err);
    if (sl_plan_build(&plan, &sc, cat, &inserts, &conf, &err)) {
        print_err(&sc, &err);
        sl_plan_free(&plan);
        status = err.code == SL_ENOMEM ? 2 : 1;
        goto done;
    }
    if (explain) {
        sl_plan_explain(stdout, &plan);
        sl_plan_free(&plan);
        goto done;
    }
    sl_job_stats_t stats;
    ropts.verbose = verbose;
    rc = sl_job_run_restarting(&plan, &ropts, &stats, &err);
    if (rc) {
        print_err(&sc, &err);
        status = rc == -SL_ENOMEM || rc == -SL_EINTERNAL ? 2 : 1;
    } else if (verbose) {
        fprintf(stderr, "%s: job finished: %llu rows read, %llu rows written\n",
                path, (unsigned long long)stats.rows_in,
                (unsigned long long)stats.rows_out);
    }
    sl_plan_free(&plan);
done:
    if (cat) sl_catalog_free(cat);
    sl_script_destroy(&sc);
out:
    for (int i = 0; i < nsets; i++) {
        free(sets[i].key);
        free(sets[i].value);
    }
    free(sets);
    return status;
}
