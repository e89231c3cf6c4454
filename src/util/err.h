/* err.h - error codes and the error record every fallible call fills.
 *
 * Functions return 0 on success or a negative SL_E* code. A caller that wants
 * the reason passes an sl_err_t; the callee fills it with sl_err_set() (no
 * position) or sl_err_at() (a byte offset into the SQL source). The code table
 * is one X-macro, so names and messages cannot drift from the enum.
 */
#ifndef SL_UTIL_ERR_H
#define SL_UTIL_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, message) */
#define SL_ERR_TABLE(X)                                                    \
    X(OK,        "success")                                                \
    X(NOMEM,     "out of memory")                                          \
    X(INVAL,     "invalid argument")                                       \
    X(SYNTAX,    "syntax error")                                           \
    X(BIND,      "semantic error")                                         \
    X(TYPE,      "type error")                                             \
    X(OVERFLOW,  "numeric overflow")                                       \
    X(DIVZERO,   "division by zero")                                       \
    X(RANGE,     "value out of range")                                     \
    X(FORMAT,    "malformed value")                                        \
    X(NOTFOUND,  "not found")                                              \
    X(EXISTS,    "already exists")                                         \
    X(IO,        "input/output error")                                     \
    X(UNSUPPORTED, "not supported")                                        \
    X(INTERNAL,  "internal error")

enum {
#define SL_ERR_ENUM(name, msg) SL_E##name,
    SL_ERR_TABLE(SL_ERR_ENUM)
#undef SL_ERR_ENUM
    SL_E_COUNT
};

#define SL_ERR_MSG_MAX 512

/* An error record. off is a byte offset into the source the error refers to,
 * or -1 when it has no position. */
typedef struct sl_err {
    int code;                 /* SL_E* (positive) or 0 */
    int off;                  /* byte offset in the source text, -1 if none */
    int len;                  /* length of the offending token, 0 if unknown */
    char msg[SL_ERR_MSG_MAX]; /* human readable, no trailing newline */
} sl_err_t;

const char *sl_err_name(int code);   /* "SYNTAX" for SL_ESYNTAX or -SL_ESYNTAX */
const char *sl_err_str(int code);    /* "syntax error" */

void sl_err_clear(sl_err_t *err);
/* Fill err (may be NULL) and return -code, so callers can write
 * `return sl_err_set(err, SL_EINVAL, "bad %s", x);`. */
int sl_err_set(sl_err_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sl_err_at(sl_err_t *err, int code, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int sl_err_vat(sl_err_t *err, int code, int off, int len, const char *fmt,
               va_list ap);

#endif
