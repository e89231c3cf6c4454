/* pgconv.h - PostgreSQL values in the text format to Flink values.
 *
 * The session must run with TimeZone 'UTC', DateStyle 'ISO, YMD',
 * IntervalStyle 'postgres', extra_float_digits 3 and bytea_output 'hex'
 * (conn.c sets them), so that every value has one spelling.
 *
 * Mapping (Flink's JDBC PostgreSQL dialect; any type may also be read as
 * STRING, which gives PostgreSQL's own text of the value):
 *
 *   bool                                BOOLEAN ('t' / 'f')
 *   int2, int4, int8, oid               TINYINT..BIGINT (range-checked per
 *                                       value), DECIMAL, FLOAT, DOUBLE
 *   numeric                             DECIMAL(p, s) (HALF_UP to s, an
 *                                       error when it does not fit), FLOAT,
 *                                       DOUBLE, integers (whole values);
 *                                       NaN and +-Infinity are errors
 *   float4, float8                      FLOAT, DOUBLE (NaN, Infinity,
 *                                       -Infinity), DECIMAL (finite values)
 *   text, varchar, bpchar, name, "char", STRING (CHAR/VARCHAR); bpchar keeps
 *   json, jsonb, uuid, inet, cidr,      its padding, as the server sends it
 *   macaddr, xml, enums, ...
 *   bytea                               BYTES ('\x..' hex; the escape format
 *                                       is read too)
 *   date                                DATE, TIMESTAMP (midnight)
 *   time                                TIME(p) (fraction truncated to p;
 *                                       24:00:00 reads as 23:59:59.999999999
 *                                       truncated, as pgjdbc's LocalTime.MAX)
 *   timestamp                           TIMESTAMP(p), TIMESTAMP_LTZ(p) (the
 *                                       wall clock taken as UTC)
 *   timestamptz                         TIMESTAMP_LTZ(p), TIMESTAMP(p) (the
 *                                       UTC wall clock)
 *   arrays of a mapped element type     ARRAY<element> (nested arrays for
 *                                       multi-dimensional ones)
 *   timetz, interval, money, bit, ...   STRING only; any other Flink type is
 *                                       refused by sl_pgcol_check
 *
 * Dates, times and timestamps outside Flink's range (years 1..9999, BC,
 * 'infinity') are errors naming the column and the value.
 */
#ifndef SL_CONNECTORS_JDBC_PGCONV_H
#define SL_CONNECTORS_JDBC_PGCONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"

/* Type OIDs of pg_type (stable across versions). */
enum {
    SL_PG_BOOL = 16, SL_PG_BYTEA = 17, SL_PG_CHAR = 18, SL_PG_NAME = 19,
    SL_PG_INT8 = 20, SL_PG_INT2 = 21, SL_PG_INT4 = 23, SL_PG_TEXT = 25,
    SL_PG_OID = 26, SL_PG_JSON = 114, SL_PG_XML = 142, SL_PG_CIDR = 650,
    SL_PG_FLOAT4 = 700, SL_PG_FLOAT8 = 701, SL_PG_MONEY = 790,
    SL_PG_MACADDR = 829, SL_PG_INET = 869, SL_PG_BPCHAR = 1042,
    SL_PG_VARCHAR = 1043, SL_PG_DATE = 1082, SL_PG_TIME = 1083,
    SL_PG_TIMESTAMP = 1114, SL_PG_TIMESTAMPTZ = 1184, SL_PG_INTERVAL = 1186,
    SL_PG_TIMETZ = 1266, SL_PG_BIT = 1560, SL_PG_VARBIT = 1562,
    SL_PG_NUMERIC = 1700, SL_PG_UUID = 2950, SL_PG_JSONB = 3802,
};

/* How a value's text reads (sl_pgcol_t.kind, set by sl_pgcol_classify). */
enum {
    SL_PGK_OTHER = 0,          /* readable as STRING only */
    SL_PGK_BOOL,
    SL_PGK_INT,                /* int2, int4, int8, oid */
    SL_PGK_NUMERIC,
    SL_PGK_FLOAT4,
    SL_PGK_FLOAT8,
    SL_PGK_TEXT,               /* text-like: STRING only, no conversion */
    SL_PGK_BYTEA,
    SL_PGK_DATE,
    SL_PGK_TIME,
    SL_PGK_TIMESTAMP,
    SL_PGK_TIMESTAMPTZ,
    SL_PGK_INTERVAL,           /* STRING only, with its own refusal text */
    SL_PGK_TIMETZ,             /* STRING only, with its own refusal text */
    SL_PGK_ARRAY,
};

/* What the connector knows of a PostgreSQL column (pg_attribute, pg_type);
 * domains are resolved to their base type. */
typedef struct sl_pgcol {
    const char *name;
    const char *type_name;     /* format_type(): "numeric(10,2)", "integer[]" */
    uint32_t oid;              /* the (base) type's OID */
    uint32_t elem_oid;         /* arrays: the element type's OID, else 0 */
    int32_t typmod;            /* atttypmod, -1 when none */
    bool is_enum;              /* an enum type (or an array of one) */
    uint8_t kind;              /* SL_PGK_*: set by sl_pgcol_classify */
    uint8_t elem_kind;         /* arrays: the element's SL_PGK_* */
} sl_pgcol_t;

/* Sets c->kind (and c->elem_kind) from the OIDs, once per column. */
void sl_pgcol_classify(sl_pgcol_t *c);

/* Can column c be read as Flink type t? 0, or -SL_EUNSUPPORTED with a
 * message naming the column (col: the Flink column), both types and what
 * to do instead. Run once before reading rows. */
int sl_pgcol_check(const sl_pgcol_t *c, const sl_type_t *t, const char *col, sl_err_t *err);

/* Converts the text of one non-NULL value of column c (text[0, len), as
 * PQgetvalue returns it) to type t into *out. Strings point into text or
 * into arena a (unescaped array elements, decoded bytea); the caller copies
 * them before text goes away. Errors name the column and the value. */
int sl_pgval_to_value(const sl_pgcol_t *c, const char *text, size_t len, const sl_type_t *t,
                      const char *col, sl_value_t *out, sl_arena_t *a, sl_err_t *err);

#endif
