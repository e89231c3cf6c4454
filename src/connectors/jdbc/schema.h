/* schema.h - a database table as the jdbc connector sees it: its columns
 * with their types, its primary key, and how the columns of a CREATE
 * TABLE map onto it; plus the conversion of one value of a column to the
 * Flink type the CREATE TABLE declares.
 *
 * MySQL/MariaDB: information_schema.TABLES, COLUMNS and STATISTICS of the
 * URL's database (or of DB for a table-name DB.TABLE); values convert with
 * connectors/mysql/myconv.h. PostgreSQL: pg_catalog (pg_class,
 * pg_namespace, pg_attribute, pg_type, pg_index) for a table on the
 * search_path (or SCHEMA.TABLE); values convert with pgconv.h.
 *
 * Names: a table or column is found by its exact name first, then ignoring
 * case (MySQL's column names are case-insensitive; Flink's PostgreSQL
 * dialect sends names unquoted, which PostgreSQL folds to lower case).
 * Names are then quoted as the database spells them.
 *
 * Memory: an sl_jdbc_table_t owns everything it points to (its arena);
 * sl_jdbc_table_free releases it.
 */
#ifndef SL_CONNECTORS_JDBC_SCHEMA_H
#define SL_CONNECTORS_JDBC_SCHEMA_H

#include <stdbool.h>

#include "connectors/jdbc/conn.h"
#include "connectors/jdbc/pgconv.h"
#include "connectors/mysql/myconv.h"
#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/strbuf.h"

typedef struct sl_jdbc_column {
    const char *name;          /* as the database spells it */
    const char *type_name;     /* MySQL COLUMN_TYPE / PostgreSQL format_type() */
    bool not_null;
    sl_mycol_t my;             /* MySQL dialect */
    sl_pgcol_t pg;             /* PostgreSQL */
} sl_jdbc_column_t;

typedef struct sl_jdbc_table {
    uint8_t dialect;           /* sl_jdbc_dialect_t */
    const char *schema;        /* MySQL database / PostgreSQL schema */
    const char *name;
    const char *sql_name;      /* quoted and qualified, for SQL text:
                                  `app`.`t`, "public"."t" */
    int ncols;
    sl_jdbc_column_t *cols;    /* in the table's order */
    int npk;
    int *pk;                   /* primary key columns (indexes into cols), key order */
    const char *time_zone;     /* MySQL TIMESTAMP <-> wall clock zone ("UTC") */
    sl_arena_t arena;
} sl_jdbc_table_t;

/* Reads table_name (as 'table-name' gives it) over the open connection c:
 * the table must exist (else an error naming the table, the database or
 * schema and host:port), its columns and primary key. time_zone is the
 * zone MySQL TIMESTAMP values are shown in as wall-clock TIMESTAMPs (NULL:
 * UTC). t is initialised here; free it with sl_jdbc_table_free even after
 * an error. */
int sl_jdbc_table_load(sl_jdbc_conn_t *c, const char *table_name, const char *time_zone,
                       sl_jdbc_table_t *t, sl_err_t *err);
void sl_jdbc_table_free(sl_jdbc_table_t *t);

/* The index of the column called name (exact, then ignoring case), or -1. */
int sl_jdbc_table_find(const sl_jdbc_table_t *t, const char *name);

/* Maps the n Flink columns (names, types) of the CREATE TABLE flink_table
 * to t's columns by name into map[0, n), and checks that each column's
 * values can be read as the Flink type. Errors name the missing column and
 * list the table's columns, or name both types. */
int sl_jdbc_table_map(const sl_jdbc_table_t *t, int n, const char *const *names,
                      const sl_type_t *const *types, const char *flink_table, int *map,
                      sl_err_t *err);

/* Appends the select list of the mapped columns (map[0, n)), quoted, with
 * MySQL FLOAT columns widened to DOUBLE so their text loses no digits:
 * "`id`, (`f` + 0e0), `name`". */
int sl_jdbc_select_list(const sl_jdbc_table_t *t, const int *map, int n, sl_strbuf_t *sb);

/* Converts the text of one value of column col (text NULL: SQL NULL) to
 * Flink type type into *out; flink_col names the column in errors.
 * Strings point into text or into arena a. */
int sl_jdbc_value(const sl_jdbc_table_t *t, int col, const char *text, size_t len,
                  const sl_type_t *type, const char *flink_col, sl_value_t *out, sl_arena_t *a,
                  sl_err_t *err);

#endif
