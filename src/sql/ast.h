/* ast.h - the syntax tree of a Flink SQL script.
 *
 * The grammar (grammar/sql.y) builds these nodes through the sl_ast_*
 * builders in ast.c; the binder (bind.c) annotates them with types. Every
 * node records the byte offset and length of the source it came from, so any
 * later error can point at it. All nodes of a script live in the script's
 * arena and die with it.
 */
#ifndef SL_SQL_AST_H
#define SL_SQL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/types.h"
#include "util/arena.h"

typedef struct sl_expr sl_expr_t;
typedef struct sl_query sl_query_t;
typedef struct sl_tref sl_tref_t;
typedef struct sl_stmt sl_stmt_t;
typedef struct sl_window sl_window_t;
typedef struct sl_rel sl_rel_t;          /* bound relation (bind.h) */
typedef struct sl_func sl_func_t;        /* builtin function (functions.h) */

/* A source span: byte offset and length in the script text. */
typedef struct sl_span {
    int off;
    int len;
} sl_span_t;

/* A growable array of pointers, allocated in the arena. */
typedef struct sl_list {
    void **items;
    int n;
    int cap;
} sl_list_t;

int sl_list_push(sl_arena_t *a, sl_list_t *l, void *item);
#define SL_LIST_AT(l, i, T) ((T)(l).items[(i)])

/* An identifier: unquoted text as written, or the content of `...` with
 * doubled back-quotes undone. */
typedef struct sl_ident {
    const char *name;
    int off, len;              /* span of the token in the source */
    bool quoted;
} sl_ident_t;

/* A dotted name: a.b.c (1..n parts). */
typedef struct sl_qname {
    sl_ident_t *parts;
    int n;
    int off, len;
} sl_qname_t;

/* 'key' = 'value' in WITH (...), OPTIONS(...) hints and SET. */
typedef struct sl_option {
    const char *key, *value;
    int key_off, key_len, val_off, val_len;
} sl_option_t;

/* A hint: NAME(args) inside a hint comment. */
typedef struct sl_hint {
    sl_ident_t name;
    sl_list_t options;         /* sl_option_t*: OPTIONS('k'='v') and 'k'='v' forms */
    sl_list_t args;            /* sl_ident_t*: BROADCAST(t1, t2); STATE_TTL keys */
} sl_hint_t;

/* ---- expressions ---- */

typedef enum sl_expr_kind {
    SL_X_LITERAL,
    SL_X_COLUMN,       /* name: a, t.a, t.a.field */
    SL_X_STAR,         /* * or t.* (name holds the qualifier) */
    SL_X_UNARY,        /* op: SL_OP_NEG, SL_OP_POS, SL_OP_NOT */
    SL_X_BINARY,       /* op: arithmetic, comparison, AND, OR, CONCAT */
    SL_X_CALL,         /* name(args) [OVER w] */
    SL_X_CASE,         /* a = operand or NULL; args = when,then,...; c = else */
    SL_X_CAST,         /* a AS cast_type; flags SL_XF_TRY */
    SL_X_BETWEEN,      /* a BETWEEN b AND c */
    SL_X_IN_LIST,      /* a IN (args) */
    SL_X_IN_QUERY,     /* a IN (query) */
    SL_X_EXISTS,       /* EXISTS (query) */
    SL_X_SUBQUERY,     /* (query) as a scalar */
    SL_X_LIKE,         /* a LIKE b [ESCAPE c]; op SL_OP_LIKE or SL_OP_SIMILAR */
    SL_X_IS,           /* a IS [NOT] {NULL,TRUE,FALSE,UNKNOWN}; op */
    SL_X_IS_DISTINCT,  /* a IS [NOT] DISTINCT FROM b */
    SL_X_INTERVAL,     /* INTERVAL 'str' unit [TO unit] */
    SL_X_SYMBOL,       /* a time unit or keyword argument (DAY, BOTH...) */
    SL_X_DESCRIPTOR,   /* DESCRIPTOR(a, b): args are SL_X_COLUMN */
    SL_X_TABLE_ARG,    /* TABLE t inside a table function call */
    SL_X_NAMED_ARG,    /* name => a */
    SL_X_ROW,          /* ROW(a, b) or (a, b) */
    SL_X_ARRAY,        /* ARRAY[args] */
    SL_X_MAP,          /* MAP[k, v, ...] */
    SL_X_ITEM,         /* a[b] */
    SL_X_PARAM,        /* ? */
} sl_expr_kind_t;

typedef enum sl_lit_kind {
    SL_LIT_NULL,
    SL_LIT_BOOL,       /* ival 0/1 */
    SL_LIT_INT,        /* exact integer text */
    SL_LIT_DECIMAL,    /* exact with a point */
    SL_LIT_DOUBLE,     /* with an exponent */
    SL_LIT_STRING,
    SL_LIT_BINARY,     /* X'..' (str holds the hex digits) */
    SL_LIT_DATE,       /* DATE '...' */
    SL_LIT_TIME,
    SL_LIT_TIMESTAMP,
    SL_LIT_TIMESTAMP_LTZ,
} sl_lit_kind_t;

typedef enum sl_opcode {
    SL_OP_NONE = 0,
    SL_OP_NEG, SL_OP_POS, SL_OP_NOT,
    SL_OP_ADD, SL_OP_SUB, SL_OP_MUL, SL_OP_DIV, SL_OP_MOD, SL_OP_CONCAT,
    SL_OP_EQ, SL_OP_NE, SL_OP_LT, SL_OP_LE, SL_OP_GT, SL_OP_GE,
    SL_OP_AND, SL_OP_OR,
    SL_OP_LIKE, SL_OP_SIMILAR,
    SL_OP_IS_NULL, SL_OP_IS_TRUE, SL_OP_IS_FALSE, SL_OP_IS_UNKNOWN,
} sl_opcode_t;

/* Time units for INTERVAL, EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPDIFF. */
typedef enum sl_unit {
    SL_U_NONE = 0,
    SL_U_YEAR, SL_U_QUARTER, SL_U_MONTH, SL_U_WEEK, SL_U_DAY, SL_U_HOUR,
    SL_U_MINUTE, SL_U_SECOND, SL_U_MILLISECOND, SL_U_MICROSECOND,
    SL_U_NANOSECOND, SL_U_DOW, SL_U_DOY, SL_U_ISODOW, SL_U_ISOYEAR,
    SL_U_EPOCH, SL_U_DECADE, SL_U_CENTURY, SL_U_MILLENNIUM,
} sl_unit_t;

const char *sl_unit_name(sl_unit_t u);
/* Unit from a word (singular or plural, any case); SL_U_NONE if none. */
sl_unit_t sl_unit_from_name(const char *s, int n);

enum {
    SL_XF_DISTINCT = 1 << 0,   /* COUNT(DISTINCT x) */
    SL_XF_STAR = 1 << 1,       /* COUNT(*) */
    SL_XF_NOT = 1 << 2,        /* NOT IN / NOT LIKE / NOT BETWEEN / IS NOT */
    SL_XF_TRY = 1 << 3,        /* TRY_CAST */
    SL_XF_NILADIC = 1 << 4,    /* CURRENT_TIMESTAMP without parentheses */
    SL_XF_SYMMETRIC = 1 << 5,  /* BETWEEN SYMMETRIC */
    SL_XF_PAREN = 1 << 6,      /* written in parentheses */
};

struct sl_expr {
    uint8_t kind;              /* sl_expr_kind_t */
    uint8_t op;                /* sl_opcode_t, sl_lit_kind_t, or sl_unit_t */
    uint16_t flags;            /* SL_XF_* */
    int off, len;              /* source span */
    sl_expr_t *a, *b, *c;      /* operands (see kinds) */
    sl_list_t args;            /* sl_expr_t*: call args, CASE arms, IN list */
    sl_qname_t name;           /* column, function, star qualifier */
    const char *str;           /* literal text (decoded), symbol name */
    int slen;
    sl_unit_t unit_from, unit_to;  /* INTERVAL */
    const sl_type_t *cast_type;    /* CAST target */
    sl_query_t *query;         /* IN/EXISTS/scalar subquery */
    sl_window_t *over;         /* OVER (...) */
    sl_expr_t *filter;         /* agg FILTER (WHERE ...) */
    /* binder annotations */
    const sl_type_t *type;     /* result type */
    const sl_func_t *func;     /* resolved function */
    int ref_rel;               /* column: scope depth (0 = this query, -1 =
                                  the query's own output, for ORDER BY) */
    int ref_src;               /* column: relation within that scope */
    int ref_col;               /* column: index within that relation */
    int ref_fields;            /* column: trailing name parts that access
                                  ROW fields (t.col.f1.f2 -> 2) */
    bool is_agg;               /* contains an aggregate at this level */
};

typedef struct sl_order_item {
    sl_expr_t *expr;
    bool desc;
    int nulls;                 /* 0 default, 1 FIRST, 2 LAST */
} sl_order_item_t;

enum sl_frame_bound {
    SL_FB_NONE = 0, SL_FB_UNBOUNDED_PRECEDING, SL_FB_PRECEDING,
    SL_FB_CURRENT_ROW, SL_FB_FOLLOWING, SL_FB_UNBOUNDED_FOLLOWING,
};

struct sl_window {
    int off, len;
    sl_ident_t ref;            /* OVER w */
    sl_list_t partition;       /* sl_expr_t* */
    sl_list_t order;           /* sl_order_item_t* */
    int frame;                 /* 0 none, 1 ROWS, 2 RANGE */
    int lo_kind, hi_kind;      /* enum sl_frame_bound */
    sl_expr_t *lo, *hi;
};

/* ---- queries ---- */

typedef struct sl_select_item {
    sl_expr_t *expr;
    sl_ident_t alias;          /* name NULL when absent */
} sl_select_item_t;

typedef struct sl_cte {
    sl_ident_t name;
    sl_list_t columns;         /* sl_ident_t* */
    sl_query_t *query;
} sl_cte_t;

typedef enum sl_query_kind {
    SL_Q_SELECT,
    SL_Q_SETOP,
    SL_Q_VALUES,
} sl_query_kind_t;

typedef enum sl_setop {
    SL_SET_UNION = 1, SL_SET_INTERSECT, SL_SET_EXCEPT,
} sl_setop_t;

/* GROUP BY elements other than plain expressions. */
typedef enum sl_group_kind {
    SL_G_EXPR, SL_G_GROUPING_SETS, SL_G_ROLLUP, SL_G_CUBE, SL_G_EMPTY,
} sl_group_kind_t;

typedef struct sl_group_item {
    int kind;                  /* sl_group_kind_t */
    int off, len;
    sl_expr_t *expr;           /* SL_G_EXPR */
    sl_list_t items;           /* sl_group_item_t*: sets / rollup / cube */
} sl_group_item_t;

struct sl_query {
    uint8_t kind;              /* sl_query_kind_t */
    int off, len;
    sl_list_t ctes;            /* sl_cte_t*: WITH ... */
    /* SELECT */
    bool distinct;
    sl_list_t hints;           /* sl_hint_t* */
    sl_list_t items;           /* sl_select_item_t* */
    sl_tref_t *from;
    sl_expr_t *where;
    sl_list_t group_by;        /* sl_group_item_t* */
    sl_expr_t *having;
    sl_list_t windows;         /* named windows: sl_window_t* with ref = name */
    /* set operation */
    uint8_t setop;             /* sl_setop_t */
    bool all;
    int op_off;                /* offset of UNION/EXCEPT/INTERSECT */
    sl_query_t *left, *right;
    /* VALUES */
    sl_list_t rows;            /* sl_expr_t* of kind SL_X_ROW */
    /* any */
    sl_list_t order_by;        /* sl_order_item_t* */
    sl_expr_t *limit, *offset;
    /* binder annotations */
    sl_rel_t *rel;             /* output schema */
};

typedef enum sl_tref_kind {
    SL_TR_TABLE,               /* name [FOR SYSTEM_TIME AS OF e] [alias] */
    SL_TR_QUERY,               /* (query) [alias [(cols)]] */
    SL_TR_JOIN,
    SL_TR_FUNC,                /* TABLE(fn(args)) [alias] */
} sl_tref_kind_t;

typedef enum sl_join_kind {
    SL_JOIN_INNER = 1, SL_JOIN_LEFT, SL_JOIN_RIGHT, SL_JOIN_FULL,
    SL_JOIN_CROSS, SL_JOIN_COMMA,
} sl_join_kind_t;

struct sl_tref {
    uint8_t kind;              /* sl_tref_kind_t */
    uint8_t join;              /* sl_join_kind_t */
    bool natural, lateral;
    int off, len;
    sl_qname_t name;           /* SL_TR_TABLE */
    sl_list_t hints;           /* sl_hint_t* */
    sl_expr_t *systime;        /* FOR SYSTEM_TIME AS OF */
    int systime_off;           /* offset of FOR */
    sl_query_t *query;         /* SL_TR_QUERY */
    sl_expr_t *call;           /* SL_TR_FUNC */
    sl_ident_t alias;          /* name NULL when absent */
    sl_list_t col_aliases;     /* sl_ident_t* */
    sl_tref_t *left, *right;   /* SL_TR_JOIN */
    sl_expr_t *on;
    sl_list_t using_cols;      /* sl_ident_t* */
    /* binder annotations */
    sl_rel_t *rel;             /* leaves: the relation as this query sees it */
    const struct sl_table *table;  /* SL_TR_TABLE from the catalog */
    const sl_cte_t *cte;       /* SL_TR_TABLE naming a WITH entry */
    const struct sl_table *tvf_table;  /* SL_TR_FUNC: the TABLE argument */
};

/* ---- statements ---- */

typedef enum sl_col_kind {
    SL_COL_PHYSICAL, SL_COL_COMPUTED, SL_COL_METADATA,
} sl_col_kind_t;

typedef struct sl_coldef {
    sl_ident_t name;
    uint8_t kind;              /* sl_col_kind_t */
    const sl_type_t *type;     /* physical and metadata columns */
    sl_expr_t *expr;           /* computed */
    const char *meta_key;      /* METADATA FROM 'key', NULL if absent */
    bool is_virtual;
    bool inline_pk;            /* col TYPE PRIMARY KEY NOT ENFORCED */
    int pk_off;
    const char *comment;
    int off, len;
} sl_coldef_t;

typedef enum sl_stmt_kind {
    SL_S_CREATE_TABLE,
    SL_S_CREATE_VIEW,
    SL_S_DROP_TABLE,
    SL_S_DROP_VIEW,
    SL_S_ALTER_TABLE,
    SL_S_INSERT,
    SL_S_STATEMENT_SET,        /* EXECUTE STATEMENT SET BEGIN ... END */
    SL_S_BEGIN_SET,            /* BEGIN STATEMENT SET */
    SL_S_END_SET,              /* END */
    SL_S_SET,
    SL_S_RESET,
    SL_S_SHOW,
    SL_S_DESCRIBE,
    SL_S_EXPLAIN,
    SL_S_QUERY,
    SL_S_USE,
    SL_S_HELP,
    SL_S_QUIT,
    SL_S_STOP_JOB,
} sl_stmt_kind_t;

typedef enum sl_show_kind {
    SL_SHOW_TABLES = 1, SL_SHOW_VIEWS, SL_SHOW_FUNCTIONS, SL_SHOW_JOBS,
    SL_SHOW_CATALOGS, SL_SHOW_DATABASES, SL_SHOW_CURRENT_CATALOG,
    SL_SHOW_CURRENT_DATABASE, SL_SHOW_CREATE_TABLE, SL_SHOW_CREATE_VIEW,
    SL_SHOW_COLUMNS, SL_SHOW_MODULES,
} sl_show_kind_t;

struct sl_stmt {
    uint8_t kind;              /* sl_stmt_kind_t */
    int off, len;              /* whole statement, without the ';' */
    sl_qname_t name;           /* table / view / target */
    bool temporary, if_not_exists, if_exists, overwrite, legacy, extended;
    /* CREATE TABLE */
    sl_list_t columns;         /* sl_coldef_t* */
    sl_list_t pk;              /* sl_ident_t* */
    int pk_off;                /* offset of PRIMARY (or CONSTRAINT) */
    sl_ident_t pk_name;        /* CONSTRAINT name */
    sl_ident_t wm_col;         /* WATERMARK FOR col */
    sl_expr_t *wm_expr;
    int wm_off;
    const char *comment;
    sl_list_t partitioned_by;  /* sl_ident_t* */
    sl_list_t options;         /* sl_option_t*: WITH (...) */
    int with_off;
    sl_qname_t like;           /* LIKE source (n == 0 when absent) */
    sl_list_t like_opts;       /* sl_ident_t* words of the LIKE options */
    sl_query_t *query;         /* CTAS, view body, INSERT source, query */
    /* CREATE VIEW / INSERT */
    sl_list_t col_names;       /* sl_ident_t* */
    sl_list_t hints;           /* INSERT INTO t /\*+ ... *\/ */
    sl_list_t partition;       /* INSERT ... PARTITION (k = v): sl_option_t* */
    /* EXECUTE STATEMENT SET / EXPLAIN */
    sl_list_t stmts;           /* sl_stmt_t* */
    sl_list_t explain_details; /* sl_ident_t* */
    /* SET / RESET */
    const char *key, *value;   /* NULL when absent */
    int key_off, key_len, val_off, val_len;
    /* SHOW */
    uint8_t show;              /* sl_show_kind_t */
    const char *like_pattern;
    /* binder annotations */
    sl_rel_t *rel;
};

/* ---- builders (used by the grammar) ---- */

struct sl_parse_ctx;
typedef struct sl_parse_ctx sl_parse_ctx_t;

#endif
