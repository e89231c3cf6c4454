/* check.c - `sluice check [--parse-only] FILE...`: validate SQL files.
 *
 * Parses every statement of every file and, unless --parse-only, binds them
 * in order against a fresh catalog (DDL applies to what follows, as in a job
 * file). Every error is printed with its position; the exit status is 1 if
 * any file had one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sql/bind.h"
#include "sql/sql.h"
#include "util/err.h"
#include "util/strbuf.h"

static void check_usage(FILE *f)
{
    fputs("usage: sluice check [--parse-only] [--quiet] FILE...\n"
          "\n"
          "Validates Flink SQL files: syntax, then names and types of every\n"
          "statement in order (tables created earlier in a file are known to\n"
          "the statements after it). Errors are printed as\n"
          "FILE:LINE:COL: error: MESSAGE with the source line and a caret.\n"
          "\n"
          "  --parse-only   check syntax only\n"
          "  --quiet        print errors only, no summary\n"
          "  -              read standard input\n"
          "\n"
          "Exit status: 0 all valid, 1 an error in the SQL or a file that\n"
          "cannot be read, 2 internal error.\n",
          f);
}

int sl_cli_read_file(const char *path, sl_strbuf_t *sb)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return -errno;
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (sl_strbuf_append(sb, buf, n)) {
            rc = -ENOMEM;
            break;
        }
    }
    if (!rc && ferror(f)) rc = -EIO;
    if (f != stdin) fclose(f);
    return rc;
}

int sl_cmd_check(int argc, char **argv)
{
    int parse_only = 0, quiet = 0, nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            check_usage(stdout);
            return 0;
        }
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--parse-only")) { parse_only = 1; continue; }
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) { quiet = 1; continue; }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sluice check: unknown option '%s'\n", a);
            check_usage(stderr);
            return 1;
        }
        nfiles++;
    }
    if (!nfiles) {
        check_usage(stderr);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *path = argv[i];
        if (path[0] == '-' && path[1]) continue;
        sl_strbuf_t sb = SL_STRBUF_INIT;
        int rc = sl_cli_read_file(path, &sb);
        if (rc) {
            fprintf(stderr, "%s: error: cannot read file: %s\n", path,
                    strerror(-rc));
            sl_strbuf_destroy(&sb);
            if (status < 1) status = 1;
            continue;
        }
        sl_script_t sc;
        rc = sl_script_parse(&sc, strcmp(path, "-") ? path : "<stdin>",
                             sl_strbuf_cstr(&sb), sb.len);
        sl_strbuf_destroy(&sb);
        if (!rc && !parse_only) {
            sl_catalog_t *cat = sl_catalog_new();
            if (!cat) rc = -SL_ENOMEM;
            else {
                rc = sl_bind_script(&sc, cat);
                sl_catalog_free(cat);
            }
        }
        sl_script_print_diags(stderr, &sc);
        if (rc == -SL_ENOMEM || sc.nomem) {
            fprintf(stderr, "%s: error: out of memory\n", path);
            status = 2;
        } else if (rc) {
            fprintf(stderr, "%s: error: %s\n", path, sl_err_str(rc));
            status = 2;
        } else if (sc.nerrors) {
            if (status < 1) status = 1;
        }
        if (!quiet)
            fprintf(stderr, "%s: %d statement%s, %d error%s\n",
                    strcmp(path, "-") ? path : "<stdin>", sc.nstatements,
                    sc.nstatements == 1 ? "" : "s", sc.nerrors,
                    sc.nerrors == 1 ? "" : "s");
        sl_script_destroy(&sc);
    }
    return status;
}
