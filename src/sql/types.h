/* types.h - Flink's logical types as the front end and the engine see them.
 *
 * A type is a small struct; composite types (ROW, ARRAY, MAP, MULTISET) point
 * at their element types. Types built by the parser or binder live in the
 * script's arena; the static singletons below are shared and immutable.
 * A time attribute (PROCTIME or rowtime) is a property of a TIMESTAMP(3) /
 * TIMESTAMP_LTZ(3) type, as in Flink, so it flows through column references
 * and is lost by any expression that computes a new value.
 */
#ifndef SL_SQL_TYPES_H
#define SL_SQL_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/strbuf.h"

typedef enum sl_type_id {
    SL_T_NULL = 0,      /* the type of an untyped NULL literal */
    SL_T_BOOLEAN,
    SL_T_TINYINT,
    SL_T_SMALLINT,
    SL_T_INT,
    SL_T_BIGINT,
    SL_T_DECIMAL,       /* precision 1..38, scale 0..precision */
    SL_T_FLOAT,
    SL_T_DOUBLE,
    SL_T_CHAR,          /* length 1..2147483647 */
    SL_T_VARCHAR,       /* STRING = VARCHAR(2147483647) */
    SL_T_BINARY,
    SL_T_VARBINARY,     /* BYTES = VARBINARY(2147483647) */
    SL_T_DATE,
    SL_T_TIME,          /* precision 0..9 */
    SL_T_TIMESTAMP,     /* precision 0..9 */
    SL_T_TIMESTAMP_LTZ, /* precision 0..9 */
    SL_T_INTERVAL_YM,   /* INTERVAL YEAR TO MONTH family */
    SL_T_INTERVAL_DT,   /* INTERVAL DAY TO SECOND family */
    SL_T_ROW,
    SL_T_ARRAY,
    SL_T_MAP,
    SL_T_MULTISET,
    SL_T_RAW,           /* RAW('class', 'snapshot'): opaque */
    SL_T_SYMBOL,        /* internal: a time unit or flag argument */
    SL_T_DESCRIPTOR,    /* internal: DESCRIPTOR(col, ...) argument */
    SL_T_TABLE,         /* internal: TABLE t argument of a table function */
    SL_T__COUNT
} sl_type_id_t;

#define SL_MAX_LENGTH 2147483647
#define SL_MAX_DECIMAL_PRECISION 38

enum sl_time_attr {
    SL_TA_NONE = 0,
    SL_TA_PROCTIME,
    SL_TA_ROWTIME,
};

typedef struct sl_type sl_type_t;

typedef struct sl_field {
    const char *name;          /* ROW field name */
    const sl_type_t *type;
    const char *comment;       /* may be NULL */
} sl_field_t;

struct sl_type {
    uint8_t id;                /* sl_type_id_t */
    bool nullable;
    uint8_t time_attr;         /* enum sl_time_attr */
    int32_t len;               /* CHAR/VARCHAR/BINARY/VARBINARY length;
                                  DECIMAL/TIME/TIMESTAMP precision */
    int16_t scale;             /* DECIMAL scale */
    int16_t nfields;           /* ROW */
    const sl_field_t *fields;  /* ROW */
    const sl_type_t *elem;     /* ARRAY/MULTISET element, MAP value */
    const sl_type_t *key;      /* MAP key */
};

/* Shared nullable singletons of the simple types. */
extern const sl_type_t sl_type_null, sl_type_boolean, sl_type_tinyint,
    sl_type_smallint, sl_type_int, sl_type_bigint, sl_type_float,
    sl_type_double, sl_type_string, sl_type_bytes, sl_type_date,
    sl_type_symbol, sl_type_descriptor, sl_type_table,
    sl_type_interval_ym, sl_type_interval_dt;

/* New types in arena a (NULL on allocation failure). */
sl_type_t *sl_type_new(sl_arena_t *a, sl_type_id_t id);
sl_type_t *sl_type_copy(sl_arena_t *a, const sl_type_t *t);
const sl_type_t *sl_type_with_nullable(sl_arena_t *a, const sl_type_t *t,
                                       bool nullable);
/* The type without its time attribute (what an expression over it yields). */
const sl_type_t *sl_type_plain(sl_arena_t *a, const sl_type_t *t);
const sl_type_t *sl_type_decimal(sl_arena_t *a, int p, int s, bool nullable);
const sl_type_t *sl_type_varchar(sl_arena_t *a, int32_t len, bool nullable);
const sl_type_t *sl_type_timestamp(sl_arena_t *a, sl_type_id_t id, int p,
                                   bool nullable);

/* Appends Flink's spelling: "DECIMAL(11, 2) NOT NULL", "STRING",
 * "TIMESTAMP(3) *PROCTIME*", "ROW<`a` INT, `b` STRING>". */
int sl_type_format(sl_strbuf_t *sb, const sl_type_t *t);
/* The same into the arena (NULL on failure). */
const char *sl_type_str(sl_arena_t *a, const sl_type_t *t);

bool sl_type_is_integer(const sl_type_t *t);   /* TINYINT..BIGINT */
bool sl_type_is_exact(const sl_type_t *t);     /* integers and DECIMAL */
bool sl_type_is_numeric(const sl_type_t *t);   /* exact, FLOAT, DOUBLE */
bool sl_type_is_string(const sl_type_t *t);    /* CHAR, VARCHAR */
bool sl_type_is_binary(const sl_type_t *t);
bool sl_type_is_temporal(const sl_type_t *t);  /* DATE, TIME, TIMESTAMP* */
bool sl_type_is_timestamp(const sl_type_t *t); /* TIMESTAMP, TIMESTAMP_LTZ */
bool sl_type_is_interval(const sl_type_t *t);
/* Same logical type ignoring nullability and time attributes. */
bool sl_type_equal(const sl_type_t *a, const sl_type_t *b);

/* Precision/scale a numeric type occupies as a DECIMAL (INT = DECIMAL(10,0)). */
void sl_type_decimal_of(const sl_type_t *t, int *p, int *s);

/* The least restrictive type both can be converted to implicitly (UNION,
 * CASE branches, IN lists, comparisons), or NULL when there is none. */
const sl_type_t *sl_type_common(sl_arena_t *a, const sl_type_t *x,
                                const sl_type_t *y);
/* Can a value of type `from` be stored into a column of type `to` without an
 * explicit CAST (Flink's implicit casting rules for INSERT)? */
bool sl_type_assignable(const sl_type_t *from, const sl_type_t *to);
/* Is CAST(from AS to) legal at all? */
bool sl_type_castable(const sl_type_t *from, const sl_type_t *to);

/* An INTERVAL type with an explicit resolution, as Flink's DayTimeIntervalType
 * / YearMonthIntervalType: from and to are sl_unit_t values (to = SL_U_NONE
 * for a single field), lead the DAY / YEAR precision, frac the fractional
 * SECOND precision. Encoding: scale = from * 32 + to (0 = INTERVAL SECOND(p)
 * for SL_T_INTERVAL_DT and INTERVAL MONTH for SL_T_INTERVAL_YM, which is what
 * Flink SQL gives every interval expression), nfields = lead, len = frac.
 * NULL on allocation failure. */
const sl_type_t *sl_type_interval(sl_arena_t *a, sl_type_id_t id, int from,
                                  int to, int lead, int frac, bool nullable);

#endif
