/* myconv.h - MySQL values to Flink values, one place for both phases.
 *
 * The snapshot reads rows with the text protocol; the binlog decoder
 * (binlog.h) yields binary values. Both become an sl_myval_t first (text
 * is parsed by the column's MySQL type), then one function maps it to the
 * Flink type the CREATE TABLE declares, so a value read by the snapshot's
 * SELECT and the same value decoded from the binlog are identical.
 *
 * Mapping (Flink CDC's): integers to any integer type wide enough, DECIMAL,
 * FLOAT/DOUBLE or STRING; TINYINT(1) and BIT(1) to BOOLEAN; BIGINT UNSIGNED
 * to DECIMAL(20, 0); DECIMAL to DECIMAL (exact, the scale must not shrink
 * digits away) or STRING; DATE, TIME, DATETIME to DATE, TIME, TIMESTAMP;
 * TIMESTAMP to TIMESTAMP_LTZ (or TIMESTAMP in server-time-zone); CHAR,
 * VARCHAR, TEXT, ENUM, SET, JSON to STRING (latin1 transcoded to UTF-8);
 * BINARY, VARBINARY, BLOB, BIT(n), GEOMETRY to BYTES; SET also to
 * ARRAY<STRING>. Zero dates become NULL in a nullable column (as
 * Debezium does) and an error otherwise.
 */
#ifndef SL_CONNECTORS_MYSQL_MYCONV_H
#define SL_CONNECTORS_MYSQL_MYCONV_H

#include <stdbool.h>

#include "connectors/mysql/binlog.h"
#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"

/* What the connector knows of a MySQL column (information_schema). */
typedef struct sl_mycol {
    char *name;
    char *data_type;           /* DATA_TYPE, lower case: "int", "varchar" */
    bool is_unsigned;          /* COLUMN_TYPE has "unsigned" */
    bool binary;               /* binary charset (BINARY, VARBINARY, BLOB) */
    bool ci;                   /* case-insensitive collation (for key order) */
    int precision, scale;      /* DECIMAL; DATETIME/TIME/TIMESTAMP fsp in scale */
    int bits;                  /* BIT(n) */
    bool tinyint1;             /* TINYINT(1) */
    int nvalues;               /* ENUM / SET labels */
    char **values;
    uint8_t text_kind;         /* how its text reads: SL_MV_* (set by
                                  sl_mycol_classify) */
} sl_mycol_t;

/* Sets c->text_kind from c->data_type, once, so that reading a value does
 * not compare type names. */
void sl_mycol_classify(sl_mycol_t *c);

/* Parses the text protocol's value of column c (not NULL: the caller
 * handles NULL). Strings point into text; decimal text too. TIMESTAMP text
 * is read as UTC (the snapshot session runs with time_zone '+00:00'). */
int sl_myval_from_text(const sl_mycol_t *c, const char *text, size_t len,
                       sl_myval_t *out, sl_err_t *err);

/* Turns binlog ENUM/SET indexes into their labels (as the text protocol
 * returns them, joined by ',' for SET) using the table map's values or c's,
 * so that the conversion below sees the same value as from the snapshot.
 * Memory of the label text in arena. */
int sl_myval_labels(sl_myval_t *v, const sl_bl_column_t *bc, const sl_mycol_t *c,
                    sl_arena_t *arena, sl_err_t *err);

/* Converts v to type t into *out (strings in arena). tz is the
 * server-time-zone for TIMESTAMP <-> wall-clock conversions. Errors name
 * the column (col) and the value. */
int sl_myval_to_value(const sl_myval_t *v, const sl_type_t *t, const char *tz,
                      const char *col, sl_value_t *out, sl_arena_t *arena,
                      sl_err_t *err);

/* Sets up the MySQL client library's global state once per process, before
 * any thread calls mysql_init (which would otherwise race to do it).
 * Every connector that opens MySQL/MariaDB connections calls it when it
 * builds an instance. 0, or -SL_EINTERNAL with err naming `who`. */
int sl_mysql_library_init(const char *who, sl_err_t *err);

#endif
