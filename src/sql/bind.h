/* bind.h - names, types and the catalog: the binder of the SQL front end.
 *
 * sl_bind_script() walks a parsed script in order, applying DDL to a catalog
 * and checking every query against it: unknown tables, columns and
 * functions, ambiguous columns, non-grouped columns of an aggregate query,
 * INSERT column counts and types, time attributes in FOR SYSTEM_TIME AS OF
 * and window functions. It annotates the AST with types (sl_expr_t.type,
 * sl_query_t.rel) for the planner, and records one diagnostic per failing
 * statement.
 *
 * Catalog entries point into the AST of the script that created them (types,
 * computed-column expressions, view bodies): that script must outlive them.
 */
#ifndef SL_SQL_BIND_H
#define SL_SQL_BIND_H

#include <stdbool.h>

#include "sql/ast.h"
#include "sql/sql.h"
#include "sql/types.h"

/* One output column of a relation. */
typedef struct sl_relcol {
    const char *name;
    const sl_type_t *type;
} sl_relcol_t;

/* The schema of a bound relation: a table, a view, a query. */
struct sl_rel {
    int n;
    sl_relcol_t *cols;
};

/* A table or view of the catalog. */
typedef struct sl_table {
    const char *name;              /* as created, unqualified */
    bool is_view;
    bool temporary;
    sl_rel_t rel;                  /* every column, rowtime/proctime marked */
    const sl_coldef_t **defs;      /* per column, NULL for views/CTAS */
    int *pk;                       /* primary key column indexes */
    int npk;
    int wm_col;                    /* rowtime column, -1 if none */
    const sl_expr_t *wm_expr;
    sl_list_t options;             /* sl_option_t*: WITH (merged with LIKE) */
    sl_list_t partition_keys;      /* const char* */
    const sl_stmt_t *stmt;         /* the defining statement */
    const sl_query_t *query;       /* view body */
    const char *comment;
} sl_table_t;

typedef struct sl_catalog sl_catalog_t;

/* A catalog with the one catalog/database pair Flink starts with:
 * default_catalog.default_database. NULL when out of memory. */
sl_catalog_t *sl_catalog_new(void);
void sl_catalog_free(sl_catalog_t *cat);
/* Case-insensitive lookup (an exact-case match wins). */
const sl_table_t *sl_catalog_lookup(const sl_catalog_t *cat, const char *name);
int sl_catalog_count(const sl_catalog_t *cat);
const sl_table_t *sl_catalog_at(const sl_catalog_t *cat, int i);

/* Binds every parsed statement of sc in order against cat. Errors become
 * diagnostics of sc. Returns 0, or -SL_ENOMEM. */
int sl_bind_script(sl_script_t *sc, sl_catalog_t *cat);
/* Binds one statement; 0 or the (negative) error code after recording the
 * diagnostic. */
int sl_bind_stmt(sl_script_t *sc, sl_catalog_t *cat, sl_stmt_t *st);

/* Structural equality of two bound expressions (same columns, literals,
 * functions): how GROUP BY expressions are matched in the select list. */
bool sl_expr_equal(const sl_expr_t *a, const sl_expr_t *b);
/* Is e an aggregate call of a GROUP BY (not a window aggregate)? */
bool sl_expr_is_group_agg(const sl_expr_t *e);

#endif
