/* sql.h - the SQL front end as the rest of sluice sees it.
 *
 * sl_script_parse() splits a script into statements and parses each one;
 * sl_script_bind() (bind.h) resolves names and types against a catalog.
 * Problems are collected as diagnostics with byte offsets; sl_diag_print()
 * renders them as `FILE:LINE:COL: error: MESSAGE`, the source line, and a
 * caret under the offending token. A script owns its copy of the source and
 * one arena holding every AST node and message.
 */
#ifndef SL_SQL_SQL_H
#define SL_SQL_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sql/ast.h"
#include "util/arena.h"

typedef enum sl_diag_level {
    SL_DIAG_ERROR = 0,
    SL_DIAG_WARNING,
    SL_DIAG_NOTE,
} sl_diag_level_t;

typedef struct sl_diag {
    int level;                 /* sl_diag_level_t */
    int code;                  /* SL_E* */
    int off, len;              /* span in the source; off -1 if none */
    const char *msg;           /* in the script arena */
} sl_diag_t;

typedef struct sl_script {
    sl_arena_t arena;          /* AST, messages */
    char *filename;            /* heap copy, for messages */
    char *src;                 /* heap copy, NUL-terminated */
    int srclen;
    sl_list_t stmts;           /* sl_stmt_t*: statements that parsed */
    int nstatements;           /* statements seen, parsed or not */
    sl_list_t diags;           /* sl_diag_t*, in source order per phase */
    int nerrors;
    bool nomem;
    sl_span_t *secrets;        /* values of password-like options: never
                                  printed (arena) */
    int nsecrets, capsecrets;
} sl_script_t;

/* Copies filename and src (len bytes); parses every statement. Returns 0
 * (even when the SQL has errors: see nerrors/diags) or -SL_ENOMEM. The
 * script must be released with sl_script_destroy() either way. */
int sl_script_parse(sl_script_t *sc, const char *filename, const char *src,
                    size_t len);
void sl_script_destroy(sl_script_t *sc);

/* Records a diagnostic (message printf-formatted into the arena). */
void sl_script_diag(sl_script_t *sc, int level, int code, int off, int len,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* 1-based line and column (in characters) of a byte offset. */
void sl_script_linecol(const sl_script_t *sc, int off, int *line, int *col);

/* Prints one diagnostic: "file:line:col: error: msg", the line, a caret. */
void sl_diag_print(FILE *f, const sl_script_t *sc, const sl_diag_t *d);
/* Prints every diagnostic, sorted by position. */
void sl_script_print_diags(FILE *f, const sl_script_t *sc);

/* Replaces the value of password-like options with '******' in a copy of
 * a statement's text, for messages and logs (result in arena a). */
const char *sl_sql_mask_secrets(sl_arena_t *a, const char *text, int len);
/* Is this option key a secret ('password', 'sink.password', ...)? */
bool sl_sql_option_is_secret(const char *key);

#endif
