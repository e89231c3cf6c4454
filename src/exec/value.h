/* value.h - one SQL value at run time, and the operations every operator
 * needs on values: compare, hash, cast, format.
 *
 * A value is 32 bytes: a NULL flag, a length for strings/bytes, and a union
 * by logical type (the type travels beside the value, in the schema, never
 * inside it). Strings and bytes point at memory owned by someone else: the
 * batch's arena while the value sits in a batch, an operator's state when it
 * is kept. sl_value_copy() moves a value into a given arena.
 *
 * Representation by type id:
 *   BOOLEAN              b
 *   TINYINT..BIGINT      i64 (range of the declared width)
 *   DECIMAL(p,s)         dec: the unscaled __int128, scale from the type
 *   FLOAT, DOUBLE        f64 (FLOAT values are rounded to float precision)
 *   CHAR, VARCHAR        str/len: UTF-8 bytes, not NUL-terminated
 *   BINARY, VARBINARY    str/len: raw bytes
 *   DATE                 date: days since 1970-01-01 (util/time.h)
 *   TIME                 time: nanoseconds of the day
 *   TIMESTAMP(_LTZ)      ts: {millis, nanos of milli}; LTZ is UTC-based
 *   INTERVAL YM / DT     i64: months / milliseconds
 *   ROW, ARRAY, MAP      nested: pointer to an sl_nested_t (same ownership)
 */
#ifndef SL_EXEC_VALUE_H
#define SL_EXEC_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/time.h"

typedef struct sl_nested sl_nested_t;

typedef struct sl_value {
    uint8_t null;              /* 1 when SQL NULL; the union is then unused */
    uint8_t pad[3];
    uint32_t len;              /* bytes of str; elements of nested */
    union {
        bool b;
        int64_t i64;
        double f64;
        __int128 dec;
        sl_date_t date;
        sl_time_t time;
        sl_timestamp_t ts;
        const char *str;
        const sl_nested_t *nested;
    };
} sl_value_t;

/* ROW fields, ARRAY elements, MAP keys then values (2 * n entries). */
struct sl_nested {
    int n;
    sl_value_t v[];
};

static inline sl_value_t sl_value_null(void)
{
    sl_value_t v = {0};
    v.null = 1;
    return v;
}

/* Deep-copies the variable-length parts of v (strings, bytes, nested) into
 * arena a. Returns 0 or -SL_ENOMEM. */
int sl_value_copy(sl_value_t *dst, const sl_value_t *src, const sl_type_t *t,
                  sl_arena_t *a);

/* Total order of SQL values of one type (NULLs first); strings compare as
 * bytes (UTF-8 order = code point order), decimals by value (both of type t). */
int sl_value_cmp(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t);
/* SQL equality ignoring NULL semantics (NULL equals NULL): for grouping. */
bool sl_value_eq(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t);
uint64_t sl_value_hash(const sl_value_t *v, const sl_type_t *t, uint64_t seed);

/* Appends the value as Flink prints it in a row (print connector,
 * CAST(x AS STRING)): 10.00, 2019-03-01 12:00:00.123, TRUE, NULL? (NULL is
 * "<NULL>" in print rows and SQL NULL in casts; see the flag). */
enum { SL_FMT_PRINT = 0, SL_FMT_CAST = 1, SL_FMT_JSON = 2 };
int sl_value_format(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t,
                    int mode);

/* CAST(v AS to) with Flink's rules: numeric narrowing checks the range,
 * DECIMAL rounds HALF_UP to the target scale and fails on overflow, string
 * to number/date/time/boolean parses (trimming blanks), number to string
 * formats as Flink does. Variable-length results go to arena a. With try
 * set (TRY_CAST) a failed conversion yields NULL instead of an error.
 * Returns 0 or -SL_E* with err filled ("cannot cast 'abc' to INT"). */
int sl_value_cast(const sl_value_t *v, const sl_type_t *from, sl_value_t *out,
                  const sl_type_t *to, bool try_cast, sl_arena_t *a,
                  sl_err_t *err);

/* Parses text as a value of type t (used by CSV/JSON readers and casts). */
int sl_value_parse(const char *s, size_t n, const sl_type_t *t, sl_value_t *out,
                   sl_arena_t *a, sl_err_t *err);

/* ---- additions (exec/value.c) -------------------------------------------- */

/* Notes on sl_value_format: a top-level NULL appends "<NULL>" (PRINT),
 * "NULL" (CAST) or null (JSON); NULLs nested in ROW/ARRAY/MAP print as
 * "null" (Flink's cast rules). PRINT differs from CAST only there and for
 * BINARY/VARBINARY (x'0a0b' instead of the raw bytes). JSON follows Flink's
 * json format ('SQL' timestamps "2019-03-01 12:00:00.123", LTZ with a
 * trailing Z, TIME in whole seconds, BYTES as base64, DECIMAL as a plain
 * number, NaN/Infinity as strings, ROW as an object by field name).
 * sl_value_parse reads BINARY/VARBINARY text as base64 (as Flink's CSV and
 * JSON formats encode bytes) and accepts a trailing 'Z' on timestamps. */

/* sl_value_format into arena a instead of a heap buffer: *out becomes a
 * string value (NUL-terminated in the arena). Returns 0 or -SL_ENOMEM. */
int sl_value_format_arena(const sl_value_t *v, const sl_type_t *t, int mode,
                          sl_arena_t *a, sl_value_t *out);

/* Java's Double.toString / Float.toString (single set; v must then be a
 * float value): the shortest digits that round-trip, "100.0", "0.001",
 * "1.0E7", "1.0E-4", "NaN", "-Infinity". Returns the length, or -SL_ERANGE
 * when cap is too small (32 bytes always suffice). */
#define SL_DOUBLE_STRLEN 32
int sl_double_format(double v, bool single, char *buf, size_t cap);

#endif
