/* fn.h - run-time implementations of Flink's scalar built-in functions.
 *
 * Implementations are keyed by the built-in's name, the same upper-case
 * names as the binder's table (src/sql/functions.c); the planner looks each
 * call up once with sl_fn_find and the evaluator calls the function pointer
 * per row.
 *
 * Calling convention:
 *   - args[i] is the value of argument i, of type c->argt[i] (the bound
 *     argument type). Unless the function is SL_FN_NULL_AWARE, the evaluator
 *     returns NULL without calling it when any value argument is NULL, so
 *     such functions never see a NULL value argument.
 *   - Symbol arguments (time units, TRIM's mode) are values whose type id is
 *     SL_T_SYMBOL: v.i64 holds the unit as sl_unit_t (sql/ast.h: SL_U_DAY
 *     ...) for FLOOR/CEIL(x TO unit), EXTRACT, TIMESTAMPADD, TIMESTAMPDIFF;
 *     for TRIM it holds the mode: 0 BOTH, 1 LEADING, 2 TRAILING. TRIM's
 *     arguments are (mode, characters, string).
 *   - The result is written to *out (which the caller zeroed) and is of
 *     exactly the type c->rt the binder computed; strings, bytes and nested
 *     values are allocated in c->arena (the output batch's arena), never on
 *     the heap. A function may set out->null.
 *   - Returns 0, or a negative -SL_E* code with err filled and no position
 *     (err->off = -1); the evaluator adds the SQL position of the call.
 *     Runtime errors: invalid regular expression or date format pattern,
 *     division by zero, numeric overflow, invalid argument ("INSTR's
 *     occurrence must be positive").
 *   - Time: CURRENT_TIMESTAMP and friends read c->now_ms (epoch millis of
 *     the batch's processing time); the session time zone is UTC.
 *
 * Thread-safety: the implementations are reentrant. Regular expressions,
 * time zones and RAND(seed) generators are cached per thread; call
 * sl_fn_thread_cleanup() before a worker thread exits.
 */
#ifndef SL_EXEC_FN_H
#define SL_EXEC_FN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/value.h"
#include "sql/ast.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"

typedef struct sl_fn_ctx {
    sl_arena_t *arena;              /* for variable-length results */
    int nargs;
    const sl_type_t *const *argt;   /* argument types, nargs entries */
    const sl_type_t *rt;            /* result type (binder's) */
    const sl_expr_t *call;          /* the call node; identifies the call
                                       site for RAND(seed) state; may be NULL */
    int64_t now_ms;                 /* processing time, epoch milliseconds */
} sl_fn_ctx_t;

typedef int (*sl_fn_impl_t)(const sl_fn_ctx_t *c, const sl_value_t *args,
                            sl_value_t *out, sl_err_t *err);

/* Flags returned by sl_fn_find. */
enum {
    SL_FN_NULL_AWARE = 1,   /* called with NULL arguments too (COALESCE, IF,
                               IFNULL, NULLIF, CONCAT_WS, IS_ALPHA, ...) */
};

/* TRIM modes in the symbol argument. */
enum { SL_TRIM_BOTH = 0, SL_TRIM_LEADING = 1, SL_TRIM_TRAILING = 2 };

/* The implementation of the built-in scalar function `name`
 * (case-insensitive), with its flags in *flags (may be NULL); NULL when the
 * engine does not implement it. */
sl_fn_impl_t sl_fn_find(const char *name, unsigned *flags);

/* The bucket of a split DISTINCT aggregate (the planner's rewrite of
 * table.optimizer.distinct-agg.split.enabled): a deterministic hash of
 * args[0] (of type c->argt[0]) modulo SL_SPLIT_BUCKETS, as INT NOT NULL;
 * NULL goes to bucket 0. Deterministic across runs, so state restored from
 * a checkpoint keeps its buckets. Call it SL_FN_NULL_AWARE. */
#define SL_SPLIT_BUCKETS 1024
int sl_fn_split_bucket(const sl_fn_ctx_t *c, const sl_value_t *args,
                       sl_value_t *out, sl_err_t *err);

/* The n-th implemented function name (sorted), NULL past the end. */
const char *sl_fn_name_at(int i);

/* Frees the calling thread's caches (regexes, time zones, RAND state). */
void sl_fn_thread_cleanup(void);

/* ---- internal: shared by the fn*.c files ----------------------------------- */

typedef struct sl_fn_entry {
    const char *name;          /* upper case, as in functions.c */
    sl_fn_impl_t impl;
    unsigned flags;
} sl_fn_entry_t;

/* Each fn_*.c file contributes one table, terminated by a NULL name. */
extern const sl_fn_entry_t sl_fn_core_table[];     /* fn.c */
extern const sl_fn_entry_t sl_fn_string_table[];   /* fn_string.c */
extern const sl_fn_entry_t sl_fn_time_table[];     /* fn_time.c */
extern const sl_fn_entry_t sl_fn_coll_table[];     /* fn_coll.c */

/* A string being built in an arena: grows by doubling (the abandoned
 * smaller copies stay in the arena until it is reset). */
typedef struct sl_abuf {
    sl_arena_t *a;
    char *p;
    size_t len, cap;
} sl_abuf_t;

void sl_abuf_init(sl_abuf_t *b, sl_arena_t *a);
int sl_abuf_put(sl_abuf_t *b, const void *p, size_t n);   /* 0 / -SL_ENOMEM */
int sl_abuf_putc(sl_abuf_t *b, char c);
/* Sets out to the built string (len bytes, NUL-terminated in the arena). */
void sl_abuf_value(sl_abuf_t *b, sl_value_t *out);

/* Standard base64 (RFC 4648, padded). encode writes 4 * ceil(n / 3) bytes
 * and returns that length; decode accepts missing padding, needs
 * n / 4 * 3 + 3 bytes of room, and returns the length or -SL_EFORMAT. */
size_t sl_base64_encode(const void *s, size_t n, char *dst);
long sl_base64_decode(const char *s, size_t n, void *dst);

/* out = a copy of n bytes in the arena. 0 or -SL_ENOMEM (err filled). */
int sl_fn_set_str(const sl_fn_ctx_t *c, sl_value_t *out, const char *s,
                  size_t n, sl_err_t *err);
/* Fills err for an allocation failure and returns -SL_ENOMEM. */
int sl_fn_oom(sl_err_t *err);

/* UTF-8: bytes of the character starting at s[0] (1..4; 1 for a stray
 * byte), the number of characters in s[0..n), and the byte offset of
 * character index ci (n when past the end). */
size_t sl_utf8_len(unsigned char c);
size_t sl_utf8_count(const char *s, size_t n);
size_t sl_utf8_offset(const char *s, size_t n, size_t ci);

/* FLOOR/CEIL(temporal TO unit) (fn_time.c, called by fn.c's FLOOR/CEIL). */
int sl_fn_floor_ceil_temporal(const sl_fn_ctx_t *c, const sl_value_t *args,
                              sl_value_t *out, sl_err_t *err, bool ceil_);
/* Wall-clock seconds in a time zone ("UTC", "+08:00", "Asia/Shanghai",
 * from /usr/share/zoneinfo) to and from epoch seconds, as java.time
 * resolves gaps and overlaps. Uses the calling thread's zone cache. */
int sl_tz_to_utc(const char *zone, int64_t local_sec, int64_t *utc_sec,
                 sl_err_t *err);
int sl_tz_to_local(const char *zone, int64_t utc_sec, int64_t *local_sec,
                   sl_err_t *err);
/* Frees the calling thread's time-zone cache (fn_time.c). */
void sl_fn_tz_cleanup(void);

/* The numeric argument as double / int64 (any numeric type; int64
 * truncates toward zero and saturates). */
double sl_fn_num_double(const sl_value_t *v, const sl_type_t *t);
int64_t sl_fn_num_int(const sl_value_t *v, const sl_type_t *t);

#endif
