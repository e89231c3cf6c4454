/* arith.h - arithmetic, mixed-type comparison and pattern matching on typed
 * values, for the expression evaluator.
 *
 * Every function takes values together with their logical types (values do
 * not carry their type, see value.h). Callers handle SQL NULL before calling:
 * no function here looks at the null flag of an operand (results are never
 * NULL either). Variable-length results are never produced, so nothing here
 * allocates, except the regular-expression cache (see below).
 *
 * Semantics follow Flink SQL:
 *   - Integer arithmetic (TINYINT..BIGINT) wraps around in two's complement
 *     at the width of the result type, as Java does; division and modulo by
 *     zero are errors ("division by zero"), and MIN / -1 wraps to MIN.
 *   - DECIMAL arithmetic is exact, rounded HALF_UP to the result type's scale
 *     (util/decimal.h); a result that does not fit its precision is an error
 *     (Flink yields NULL there).
 *   - FLOAT / DOUBLE follow IEEE 754 (x / 0.0 is Infinity, not an error); a
 *     FLOAT result is rounded to single precision.
 *   - Temporal arithmetic: TIMESTAMP(_LTZ) +/- a day-time interval
 *     (milliseconds) or a year-month interval (months, day clamped to the end
 *     of the month); DATE +/- an interval (day-time intervals move by whole
 *     days, the time part is dropped); TIME +/- a day-time interval wraps
 *     around midnight; interval +/- interval; interval * number,
 *     number * interval and interval / number (fractional results truncated
 *     toward zero, as Flink's long arithmetic does).
 *
 * Thread-safety: all functions are reentrant. The regular-expression cache is
 * thread-local; a thread that used it frees it with sl_regex_cache_clear()
 * before it exits (otherwise the compiled patterns stay allocated).
 */
#ifndef SL_EXEC_ARITH_H
#define SL_EXEC_ARITH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "exec/value.h"
#include "sql/ast.h"
#include "sql/types.h"
#include "util/err.h"

/* a op b for op in SL_OP_ADD, SL_OP_SUB, SL_OP_MUL, SL_OP_DIV, SL_OP_MOD
 * (sql/ast.h), with the result of type rt as the binder computed it.
 * Operands may be of different types (INT + DECIMAL, TIMESTAMP + INTERVAL,
 * INTERVAL * INT ...); they are converted to rt's family first. Returns 0 or
 * -SL_EOVERFLOW ("DECIMAL(38, 2) overflow in 1.00 * 2"), -SL_EDIVZERO
 * ("division by zero"), -SL_ERANGE (a date leaving 0001..9999) or -SL_ETYPE
 * (an operator the types do not support), with err filled. out may alias an
 * operand. */
int sl_arith(int op, const sl_value_t *a, const sl_type_t *at,
             const sl_value_t *b, const sl_type_t *bt, sl_value_t *out,
             const sl_type_t *rt, sl_err_t *err);

/* Unary minus: integers wrap (-(-128) as TINYINT is -128, like Java),
 * DECIMAL / DOUBLE / FLOAT / intervals negate exactly. */
int sl_arith_neg(const sl_value_t *a, const sl_type_t *at, sl_value_t *out,
                 const sl_type_t *rt, sl_err_t *err);

/* Compares two non-NULL values of possibly different types, coercing as
 * Calcite does for comparisons: exact numbers compare exactly (INT vs
 * DECIMAL(20, 3)), anything with FLOAT/DOUBLE compares as double, a string
 * against a number / date / time / timestamp / boolean is parsed as that type
 * (CAST semantics), DATE against TIMESTAMP compares midnight of the date,
 * TIMESTAMP against TIMESTAMP_LTZ compares the instants (UTC session zone).
 * Values of one type compare with sl_value_cmp. Returns <0, 0, >0. */
int sl_cmp_mixed(const sl_value_t *a, const sl_type_t *at, const sl_value_t *b,
                 const sl_type_t *bt);
/* The same, reporting a string that cannot be converted ("cannot compare
 * 'abc' with INT") as -SL_EFORMAT instead of falling back to comparing the
 * texts (which sl_cmp_mixed does). On success *cmp is set and 0 returned. */
int sl_cmp_mixed_err(const sl_value_t *a, const sl_type_t *at,
                     const sl_value_t *b, const sl_type_t *bt, int *cmp,
                     sl_err_t *err);

/* SQL LIKE on UTF-8 text: '%' matches any run of characters, '_' exactly
 * one character (a code point, not a byte); escape (0 for none) makes the
 * next '%', '_' or escape character literal. Case-sensitive, whole string.
 * A malformed pattern (escape at the end, or before another character) does
 * not match; use sl_like_check to report it. Linear in practice: the
 * classic backtracking-free greedy algorithm for '%'. */
bool sl_like(const char *s, size_t n, const char *pat, size_t pn, char escape);
/* 0, or -SL_EFORMAT with err filled when the pattern is malformed
 * ("invalid escape sequence in LIKE pattern 'a\\'"), as Calcite reports. */
int sl_like_check(const char *pat, size_t pn, char escape, sl_err_t *err);

/* SQL SIMILAR TO: the pattern (SQL regular expression: % _ | * + ? {m,n}
 * ( ) [...]) is translated to a POSIX extended regex anchored at both ends.
 * Returns 1 (match), 0 (no match), or a negative -SL_E* code with err filled
 * (malformed pattern). sl_similar_escape takes an ESCAPE character (0 for
 * none). */
int sl_similar(const char *s, size_t n, const char *pat, size_t pn,
               sl_err_t *err);
int sl_similar_escape(const char *s, size_t n, const char *pat, size_t pn,
                      char escape, sl_err_t *err);

/* ---- regular expressions ------------------------------------------------- */

/* Flags of sl_regex_get. */
enum {
    SL_RE_JAVA = 1,     /* pattern uses Java syntax: \d \w \s \D \W \S \Q..\E
                           are translated; lazy quantifiers and look-around
                           are rejected */
    SL_RE_ICASE = 2,    /* case-insensitive */
    SL_RE_NOSUB = 4,    /* only match / no match is needed */
};

#define SL_REGEX_MAX_GROUPS 31

/* A compiled pattern. Groups are numbered as in the pattern's own syntax
 * (Java's (?:...) does not count); gmap translates to POSIX groups. */
typedef struct sl_regex {
    regex_t re;
    int ngroups;                         /* capturing groups of the pattern */
    int gmap[SL_REGEX_MAX_GROUPS + 1];   /* pattern group -> POSIX group */
} sl_regex_t;

/* A compiled POSIX extended regex for the pattern text (pn bytes), from a
 * small thread-local LRU cache keyed by (text, flags); compiles on a miss.
 * The pointer stays valid until the same thread asks for enough other
 * patterns to evict it (16 entries) or calls sl_regex_cache_clear, so use
 * it before the next sl_regex_get. Matching uses REG_STARTEND, so subjects
 * need no NUL terminator. Bytes are matched, not characters ('.' matches
 * one byte of a multi-byte UTF-8 character), and POSIX leftmost-longest
 * semantics apply where Java picks the first alternative.
 * Returns 0 or -SL_EFORMAT ("invalid regular expression '(': ...") /
 * -SL_ENOMEM. */
int sl_regex_get(const char *pat, size_t pn, int flags, const sl_regex_t **out,
                 sl_err_t *err);
/* Frees the calling thread's cached patterns. */
void sl_regex_cache_clear(void);

/* Finds the first match of re in s[from..n): 1 with m[0..nm) filled in the
 * pattern's group numbering (offsets relative to s, rm_so = -1 for groups
 * that did not take part or do not exist), 0 when there is no match. nm may
 * be 0. */
int sl_regex_find(const sl_regex_t *re, const char *s, size_t n, size_t from,
                  regmatch_t *m, size_t nm);

/* ---- helpers shared by the executor --------------------------------------- */

/* The util/time.h unit (SL_TU_*) for a SQL unit symbol (SL_U_* of
 * sql/ast.h), or -1 when there is none. */
int sl_unit_time_unit(int sql_unit);

#endif
