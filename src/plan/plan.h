/* plan.h - the physical plan of a job: a DAG of operator nodes.
 *
 * The planner (planner.c) turns the bound INSERTs of a script (one job) into
 * nodes whose expressions are row expressions (rex) over the node's input
 * columns by index. It infers each edge's changelog mode as Flink does:
 * insert-only, or updating (retractions, -U/+U/-D) with an optional unique
 * key, so that append-only sinks fed updates are refused at planning time
 * and upsert sinks keyed like their input receive no -U rows.
 *
 * All plan memory lives in the plan's arena; nodes point into the script's
 * AST (types, positions) and the catalog, which must outlive the plan.
 */
#ifndef SL_PLAN_PLAN_H
#define SL_PLAN_PLAN_H

#include "exec/checkpoint.h"
#include <stdbool.h>
#include <stdio.h>

#include "connectors/connector.h"
#include "exec/fn.h"
#include "exec/value.h"
#include "sql/ast.h"
#include "sql/bind.h"
#include "util/arena.h"
#include "util/err.h"

/* ---- row expressions ---- */

typedef enum sl_rex_kind {
    SL_RX_INPUT,       /* input column idx */
    SL_RX_LITERAL,     /* lit */
    SL_RX_ARITH,       /* op: SL_OP_ADD..SL_OP_MOD on args[0], args[1] */
    SL_RX_NEG,         /* -args[0] */
    SL_RX_CMP,         /* op: SL_OP_EQ..SL_OP_GE */
    SL_RX_AND,         /* n-ary */
    SL_RX_OR,          /* n-ary */
    SL_RX_NOT,
    SL_RX_IS,          /* op: SL_OP_IS_NULL/TRUE/FALSE/UNKNOWN; negated */
    SL_RX_IS_DISTINCT, /* negated: IS NOT DISTINCT FROM */
    SL_RX_CONCAT,
    SL_RX_CASE,        /* args: when, then, ..., [else] (has_else) */
    SL_RX_CAST,        /* args[0] to type; try_cast */
    SL_RX_IN,          /* args[0] IN (args[1..]); negated */
    SL_RX_LIKE,        /* args[0] LIKE args[1] [ESCAPE args[2]]; op; negated */
    SL_RX_CALL,        /* scalar built-in fn(args) */
    SL_RX_ROW,         /* ROW(args) */
    SL_RX_ARRAY,
    SL_RX_MAP,
    SL_RX_ITEM,        /* args[0][args[1]] */
    SL_RX_SYMBOL,      /* a unit or trim mode, as an argument */
} sl_rex_kind_t;

typedef struct sl_rex sl_rex_t;
struct sl_rex {
    uint8_t kind;              /* sl_rex_kind_t */
    uint8_t op;                /* sl_opcode_t where relevant */
    bool negated, try_cast, has_else;
    const sl_type_t *type;     /* result type */
    int idx;                   /* SL_RX_INPUT */
    sl_value_t lit;            /* SL_RX_LITERAL, SL_RX_SYMBOL (i64) */
    sl_rex_t **args;
    int nargs;
    sl_fn_impl_t fn;           /* SL_RX_CALL */
    unsigned fnflags;
    const sl_expr_t *src;      /* AST node: position, call for fn ctx */
    const char *fname;         /* SL_RX_CALL without src: name for EXPLAIN */
};

/* ---- aggregate calls ---- */

typedef enum sl_agg_kind {
    SL_AGG_COUNT_STAR = 1, SL_AGG_COUNT, SL_AGG_SUM, SL_AGG_SUM0, SL_AGG_AVG,
    SL_AGG_MIN, SL_AGG_MAX, SL_AGG_FIRST_VALUE, SL_AGG_LAST_VALUE,
    SL_AGG_LISTAGG,
    SL_AGG_AVG_MERGE,          /* AVG from partial sums (arg) and counts (arg2):
                                  the outer level of a split DISTINCT */
} sl_agg_kind_t;

typedef struct sl_aggcall {
    int kind;                  /* sl_agg_kind_t */
    bool distinct;
    int arg;                   /* input column, -1 for COUNT(*) */
    int arg2;                  /* LISTAGG separator / AVG_MERGE count column, -1 */
    int filter;                /* BOOLEAN input column of FILTER, -1 */
    const sl_type_t *arg_type;
    const sl_type_t *type;     /* result */
    const char *name;          /* "SUM(amt)" for EXPLAIN */
} sl_aggcall_t;

/* ---- nodes ---- */

typedef enum sl_pnode_kind {
    SL_PN_SCAN = 1,            /* a connector source */
    SL_PN_VALUES,              /* literal rows */
    SL_PN_CALC,                /* filter + projection */
    SL_PN_AGG,                 /* group aggregate (with retraction) */
    SL_PN_JOIN,                /* regular equi-join of two changelogs */
    SL_PN_UNION,               /* UNION ALL */
    SL_PN_SINK,                /* a connector sink */
    SL_PN_MATERIALIZE,         /* upsert materializer before a keyed sink */
    SL_PN_LOOKUP,              /* lookup join: input ++ rows of `table` found
                                  by lkeys = rkeys (table columns), cond */
} sl_pnode_kind_t;

typedef enum sl_cmode {
    SL_CM_INSERT_ONLY = 0,     /* +I only */
    SL_CM_UPSERT,              /* +I, +U, -D keyed by ukey: no -U */
    SL_CM_RETRACT,             /* +I, -U, +U, -D */
} sl_cmode_t;

typedef struct sl_pnode sl_pnode_t;
struct sl_pnode {
    uint8_t kind;              /* sl_pnode_kind_t */
    int id;                    /* unique in the plan, for names and state */
    int off, len;              /* the SQL it came from, for errors */
    /* output schema */
    int ncols;
    const char **names;
    const sl_type_t **types;
    /* inputs */
    sl_pnode_t **inputs;
    int ninputs;
    /* changelog mode of the output and its unique key (column indexes) */
    uint8_t mode;              /* sl_cmode_t */
    int *ukey;
    int nukey;
    /* SCAN / SINK */
    const sl_table_t *table;
    const sl_connector_type_t *conn;
    sl_options_t opts;
    int *phys;                 /* SCAN: table column of each output column */
    /* VALUES */
    sl_value_t *rows;          /* nrows * ncols */
    int nrows;
    /* CALC */
    sl_rex_t *filter;
    sl_rex_t **proj;
    int nproj;
    /* AGG */
    int *keys;                 /* group key input columns */
    int nkeys;
    sl_aggcall_t *aggs;
    int naggs;
    uint8_t agg_phase;         /* 0 one phase, 1 local (partial), 2 global */
    /* JOIN */
    int join;                  /* sl_join_kind_t */
    int *lkeys, *rkeys;        /* equi-join columns of each side */
    int njkeys;
    sl_rex_t *cond;            /* residual condition over left ++ right */
    /* SINK: drop -U rows (upsert sink keyed like its input) */
    bool drop_update_before;
    const char *desc;          /* EXPLAIN text of the node */
};

/* Job-level settings from SET / --set (Flink's keys). */
typedef struct sl_job_conf {
    bool minibatch;
    int64_t minibatch_latency_ms;
    int64_t minibatch_size;
    bool two_phase;            /* table.optimizer.agg-phase-strategy */
    bool split_distinct;       /* table.optimizer.distinct-agg.split.enabled */
    int64_t state_ttl_ms;      /* table.exec.state.ttl, 0 = never */
    int upsert_materialize;    /* table.exec.sink.upsert-materialize:
                                  0 AUTO, 1 NONE, 2 FORCE */
    const char *job_name;      /* pipeline.name */
    sl_ckpt_conf_t ckpt;       /* state backend, checkpoints, restarts */
} sl_job_conf_t;

typedef struct sl_plan {
    sl_arena_t arena;
    sl_list_t nodes;           /* sl_pnode_t*, inputs before consumers */
    sl_list_t sinks;           /* sl_pnode_t* of kind SINK */
    sl_job_conf_t conf;
} sl_plan_t;

/* Plans the INSERT statements (and statement sets) in stmts (sl_stmt_t*,
 * already bound) into one job. Errors carry the SQL offset of the cause.
 * The plan must be freed with sl_plan_free() whatever the result. */
int sl_plan_build(sl_plan_t *plan, const sl_script_t *sc, sl_catalog_t *cat,
                  const sl_list_t *stmts, const sl_job_conf_t *conf,
                  sl_err_t *err);
void sl_plan_free(sl_plan_t *plan);

/* Prints the DAG as an indented tree, one line per operator with its
 * description, key and output changelog mode. */
void sl_plan_explain(FILE *f, const sl_plan_t *plan);

/* Applies one SET key to a configuration; unknown keys are kept for later
 * issues and accepted, malformed values are errors. */
int sl_job_conf_set(sl_job_conf_t *c, const char *key, const char *value,
                    sl_err_t *err);
void sl_job_conf_init(sl_job_conf_t *c);

/* ---- expression evaluation (exec/eval.c) ---- */

typedef struct sl_eval_ctx {
    sl_arena_t *arena;         /* results' variable-length data */
    int64_t now_ms;            /* processing time of this batch */
} sl_eval_ctx_t;

/* Evaluates e over row; errors name the SQL position (err->off). */
int sl_rex_eval(const sl_rex_t *e, const sl_value_t *row, sl_eval_ctx_t *c,
                sl_value_t *out, sl_err_t *err);
/* A predicate: 1 true, 0 false or NULL, <0 error. */
int sl_rex_test(const sl_rex_t *e, const sl_value_t *row, sl_eval_ctx_t *c,
                sl_err_t *err);

#endif
