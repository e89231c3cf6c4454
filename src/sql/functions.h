/* functions.h - the catalog of Flink's built-in functions.
 *
 * One static table lists every function the binder accepts, its kind, its
 * arity, and a type-inference callback that checks argument types and
 * computes the result type the way Flink does (e.g. SUM(DECIMAL(11,2)) is
 * DECIMAL(38,2), AVG(INT) is INT, COUNT(*) is BIGINT NOT NULL). The engine
 * (a later issue) keys its implementations by the same entries.
 */
#ifndef SL_SQL_FUNCTIONS_H
#define SL_SQL_FUNCTIONS_H

#include <stdbool.h>

#include "sql/ast.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"

typedef enum sl_func_kind {
    SL_FN_SCALAR = 1,     /* row-by-row */
    SL_FN_AGG,            /* aggregate: GROUP BY, or OVER (...) */
    SL_FN_RANK,           /* only with OVER: ROW_NUMBER, RANK, LAG, ... */
    SL_FN_WINDOW_TVF,     /* TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), ...)) */
    SL_FN_GROUP_WINDOW,   /* GROUP BY TUMBLE(ts, INTERVAL ...) */
    SL_FN_GROUP_AUX,      /* TUMBLE_START(ts, INTERVAL ...) and friends */
    SL_FN_TABLE,          /* other table functions (unsupported for now) */
} sl_func_kind_t;

/* What the binder hands a type-inference callback. */
typedef struct sl_func_call {
    sl_arena_t *arena;         /* for result types */
    const sl_expr_t *call;     /* the call node (args, flags, positions) */
    int nargs;
    const sl_type_t *const *args;  /* bound argument types */
    const sl_expr_t *const *argx;  /* argument nodes (literal values, units) */
    bool distinct;             /* f(DISTINCT ...) */
    bool star;                 /* f(*) */
} sl_func_call_t;

/* Returns the result type, or NULL after filling err (with err->off set to
 * the offending argument's offset when one is to blame). */
typedef const sl_type_t *(*sl_func_infer_fn)(const sl_func_call_t *fc,
                                             sl_err_t *err);

struct sl_func {
    const char *name;          /* upper case, as Flink lists it */
    uint8_t kind;              /* sl_func_kind_t */
    int8_t min_args;
    int8_t max_args;           /* -1: variadic */
    bool star_ok;              /* accepts f(*) (COUNT) */
    bool deterministic;        /* false for NOW(), RAND(), PROCTIME() ... */
    sl_func_infer_fn infer;
    const char *signature;     /* "SUBSTRING(string, start [, length])" */
};

/* Case-insensitive lookup; NULL when no such built-in exists. */
const sl_func_t *sl_func_lookup(const char *name, int len);
/* The n-th entry (for SHOW FUNCTIONS), NULL past the end. */
const sl_func_t *sl_func_at(int i);
/* Name closest to an unknown one (edit distance), for "did you mean". */
const char *sl_func_suggest(const char *name, int len);

/* Lookup restricted to one kind (TUMBLE is both a group window and a
 * window TVF); NULL when there is no such entry. */
const sl_func_t *sl_func_lookup_kind(const char *name, int len, int kind);

#endif
