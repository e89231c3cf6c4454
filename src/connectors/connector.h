/* connector.h - the plugin interface of connectors, and their registry.
 *
 * A connector type is a static struct (Fluent Bit style): a name (the
 * 'connector' option), the roles it can play, a table of the options it
 * accepts, and constructors. The planner looks a type up by name, checks
 * the table's options against the type's option table (sl_options_check),
 * and creates a source or sink instance for each use of the table.
 *
 * Sources run on their own thread (one per source instance): next() may
 * block (rate limits, files, sockets) and fills a batch; the engine moves
 * batches to the loop thread through a bounded queue. Sinks run on the loop
 * thread: write() must not block for long (files and stdout are fine; network
 * sinks use non-blocking I/O in later issues).
 *
 * A connector knows nothing of operators: it sees rows of the table's
 * physical columns, typed as the table declares them.
 */
#ifndef SL_CONNECTORS_CONNECTOR_H
#define SL_CONNECTORS_CONNECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/batch.h"
#include "sql/ast.h"
#include "sql/types.h"
#include "util/err.h"
#include "util/strbuf.h"

/* ---- options ---- */

typedef enum sl_opt_type {
    SL_OPT_STRING = 1,
    SL_OPT_INT,        /* 64-bit integer */
    SL_OPT_BOOL,       /* true/false */
    SL_OPT_DOUBLE,
    SL_OPT_DURATION,   /* Flink durations: 10s, 2 min, 500ms, 1h ... -> ms */
    SL_OPT_MEMSIZE,    /* 2mb, 64 kb ... -> bytes */
    SL_OPT_ENUM,       /* one of enum_values, case-insensitive */
} sl_opt_type_t;

/* One accepted option. A key may hold '#' for one segment that varies per
 * field (fields.#.kind), or end with '*' for a pass-through prefix
 * (properties.*). */
typedef struct sl_option_spec {
    const char *key;
    uint8_t type;              /* sl_opt_type_t */
    bool required;
    const char *def;           /* default, as text; NULL for none */
    const char *enum_values;   /* "a|b|c" for SL_OPT_ENUM */
    const char *desc;          /* one line, for docs and error lists */
} sl_option_spec_t;

/* A parsed option value. */
typedef struct sl_optval {
    const char *key;           /* as given */
    const char *text;          /* as given (never printed for secrets) */
    int64_t i;                 /* INT, BOOL (0/1), DURATION (ms), MEMSIZE */
    double d;                  /* DOUBLE */
    const sl_option_t *src;    /* positions for errors; NULL for defaults */
} sl_optval_t;

/* The checked options of one table use. */
typedef struct sl_options {
    int n;
    sl_optval_t *v;            /* every given option, then defaults */
} sl_options_t;

/* Looks an option up ("number-of-rows", "fields.id.kind"); NULL if absent
 * and without default. */
const sl_optval_t *sl_options_get(const sl_options_t *o, const char *key);
const char *sl_options_str(const sl_options_t *o, const char *key,
                           const char *def);
int64_t sl_options_int(const sl_options_t *o, const char *key, int64_t def);

/* ---- instances ---- */

/* What a connector gets to build an instance. */
typedef struct sl_conn_ctx {
    const char *table;         /* table name, for messages */
    int ncols;                 /* physical columns, in table order */
    const char *const *names;
    const sl_type_t *const *types;
    const int *pk;             /* primary key columns (indexes), may be 0 */
    int npk;
    const sl_options_t *opts;  /* checked options */
    /* Metadata columns the query reads (METADATA FROM 'key'), in the
     * batch after the ncols physical columns; keys are the connector's
     * (sl_meta_spec_t), types as the table declares them. */
    int nmeta;
    const char *const *meta_keys;
    const sl_type_t *const *meta_types;
    const char *job_name;      /* for log prefixes and defaults */
    /* Sources: where to resume, as a position() of an earlier run (from
     * a checkpoint or savepoint); NULL to start as the options say. The
     * bytes live as long as source_new; copy what is kept. */
    const void *restore;
    size_t restore_len;
    sl_arena_t *arena;         /* lives as long as the job */
    /* Sinks: the job's uv_loop_t, for sinks that do their I/O on the loop
     * thread (elasticsearch); NULL when validating. */
    void *loop;
    /* Any thread: has the loop call the sink's poll() soon (sinks only). */
    void (*wakeup)(void *arg);
    void *wakeup_arg;
} sl_conn_ctx_t;

typedef struct sl_source sl_source_t;
typedef struct sl_sink sl_sink_t;

/* What a source reports of its progress (Flink's source metrics), for
 * logs, `sluice run --verbose` and the daemon's /metrics. */
typedef struct sl_source_metrics {
    bool snapshotting;              /* isSnapshotting */
    int64_t snapshot_tables_done, snapshot_tables;
    int64_t snapshot_chunks_done;   /* chunks read so far */
    int64_t snapshot_chunks_est;    /* estimate of all chunks (0 unknown) */
    int64_t snapshot_rows;          /* rows read by the snapshot */
    int64_t snapshot_rows_est;      /* the server's estimate (0 unknown) */
    int64_t last_event_ms;          /* when the newest change read was made
                                       (currentFetchEventTimeLag = now - it);
                                       0 before the first */
    char position[192];             /* "mysql-bin.000003:1234", "" if none */
} sl_source_metrics_t;

typedef struct sl_source_ops {
    /* Fills out (reset by the caller, ncols = ctx->ncols + ctx->nmeta) with up to
     * max_rows rows. Returns 0 with rows (possibly none, e.g. idle),
     * SL_SOURCE_END when the input is exhausted, or a negative error with
     * err filled (which fails the job). Called on the source's thread. */
    int (*next)(sl_source_t *src, sl_batch_t *out, int max_rows,
                sl_err_t *err);
    /* Asks a blocked next() to return soon (from another thread). */
    void (*wakeup)(sl_source_t *src);
    void (*close)(sl_source_t *src);
    /* Optional: copies the current metrics; callable from any thread. */
    void (*metrics)(sl_source_t *src, sl_source_metrics_t *out);
    /* Optional (checkpoints): appends to out the source's position just
     * after the rows of the batch next() has just returned - bytes that,
     * given back as ctx->restore to source_new of a new instance, make it
     * continue with exactly the row that follows (no row twice, none
     * lost). Called on the source's thread right after a next() that
     * returned rows; the engine stores the position of the last batch
     * the operators have consumed in each checkpoint. A source without it
     * is restarted from the beginning (its rows come again; an upsert
     * sink converges, counts would not: the planner warns). 0 or
     * -SL_ENOMEM. */
    int (*position)(sl_source_t *src, sl_strbuf_t *out);
} sl_source_ops_t;

#define SL_SOURCE_END 1

struct sl_source {
    const sl_source_ops_t *ops;
    void *ctx;                 /* the connector's instance state */
    bool bounded;              /* ends by itself (number-of-rows, files) */
};

/* What an operator or a sink with work on another thread reports
 * (pending()): idle; busy (the end of the job waits); full (the job stops
 * reading sources until it drains). */
enum { SL_OP_IDLE = 0, SL_OP_BUSY = 1, SL_OP_FULL = 2 };

typedef struct sl_sink_ops {
    /* Consumes a batch (rows of the table's physical columns). Called on
     * the loop thread. 0 or a negative error with err filled. */
    int (*write)(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err);
    /* Makes everything written so far durable/visible (end of job,
     * checkpoint). A sink that writes on a thread of its own starts the
     * write here and returns; pending() then says when it is done. */
    int (*flush)(sl_sink_t *snk, sl_err_t *err);
    void (*close)(sl_sink_t *snk);
    /* Optional, for sinks with a writer thread: called on the loop thread
     * after the sink called ctx->wakeup; returns a failed write's error. */
    int (*poll)(sl_sink_t *snk, sl_err_t *err);
    /* Optional: SL_OP_IDLE (0, all written), SL_OP_BUSY (1, rows buffered
     * or being written: the end of the job waits for them) or SL_OP_FULL
     * (2, the buffer is at its bound: the job stops reading sources). */
    int (*pending)(sl_sink_t *snk);
    /* Optional, loop thread: rows given to write() so far, and in *acked
     * how many of them are durable in the target (acknowledged). Every row
     * up to a point is acknowledged when acked reaches the written count
     * read at that point; checkpoints wait on it. */
    uint64_t (*progress)(sl_sink_t *snk, uint64_t *acked);
    /* Optional: one line of the sink's counters for `sluice run --verbose`
     * (requests, retries, rows dropped by a failure handler...). */
    void (*stats)(sl_sink_t *snk, char *buf, size_t cap);
} sl_sink_ops_t;

struct sl_sink {
    const sl_sink_ops_t *ops;
    void *ctx;
    bool upsert;               /* accepts updates keyed by the primary key */
    bool changelog;            /* accepts -U/-D rows (print, debezium-json) */
    /* A checkpoint calls flush() and waits for progress() to acknowledge
     * the rows before its barrier (elasticsearch: sink.flush-on-checkpoint;
     * false: the checkpoint does not wait, at-least-once is not kept). */
    bool flush_on_checkpoint;
};

/* ---- lookups (a JOIN ... FOR SYSTEM_TIME AS OF a processing-time
 * attribute) ----
 * A lookup source answers "the rows whose key columns equal these values"
 * for a batch of keys. The lookup operator calls query() on a worker
 * thread of its own (blocking calls are fine there), never on the loop;
 * one instance is used by one thread at a time. */
typedef struct sl_lookup sl_lookup_t;

typedef struct sl_lookup_ops {
    /* keys: nkeys rows of nk values each (nk and the key columns as given
     * to lookup_new), none NULL, no key twice. Appends to out (reset by the
     * caller; ncols = ctx->ncols) every row of the table whose key columns
     * equal one of the keys, in any order. 0, or <0 with err filled (the
     * job fails, naming the host or file). */
    int (*query)(sl_lookup_t *lk, const sl_value_t *keys, int nkeys, sl_batch_t *out,
                 sl_err_t *err);
    void (*close)(sl_lookup_t *lk);
} sl_lookup_ops_t;

struct sl_lookup {
    const sl_lookup_ops_t *ops;
    void *ctx;
};

/* ---- connector types ---- */

enum {
    SL_CONN_SOURCE = 1 << 0,
    SL_CONN_SINK = 1 << 1,
    SL_CONN_LOOKUP = 1 << 2,
};

/* A metadata key a source provides (Flink's SupportsReadingMetadata). */
typedef struct sl_meta_spec {
    const char *key;           /* "op_ts" */
    const char *type;          /* its Flink type, "TIMESTAMP_LTZ(3) NOT NULL" */
    uint8_t type_id;           /* sl_type_id of that type: a column must be
                                  declared with this type id */
    const char *desc;
} sl_meta_spec_t;

typedef struct sl_connector_type {
    const char *name;
    unsigned roles;            /* SL_CONN_* */
    const sl_option_spec_t *options;   /* terminated by {NULL} */
    const sl_meta_spec_t *metadata;    /* terminated by {NULL}; may be NULL */
    bool changelog;            /* the source emits updates and deletes keyed
                                  by the table's primary key (CDC) */
    /* Extra validation across options and columns (may be NULL). */
    int (*validate)(const sl_conn_ctx_t *ctx, sl_err_t *err);
    int (*source_new)(const sl_conn_ctx_t *ctx, sl_source_t *out,
                      sl_err_t *err);
    int (*sink_new)(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err);
    /* Queries a lookup join keeps in flight, each with its own lookup
     * instance (connection) and worker thread; 0 means 1. */
    uint8_t lookup_inflight;
    /* A lookup source keyed by the columns key_cols[0..nk) of ctx. */
    int (*lookup_new)(const sl_conn_ctx_t *ctx, const int *key_cols, int nk,
                      sl_lookup_t *out, sl_err_t *err);
} sl_connector_type_t;

/* Case-sensitive lookup, as Flink's factory identifiers. */
const sl_connector_type_t *sl_connector_find(const char *name);
/* The n-th registered type, NULL past the end. */
const sl_connector_type_t *sl_connector_at(int i);

/* Checks the given options against the type's table plus the common keys
 * ('connector'), parses typed values, adds defaults. Errors name the option
 * and its SQL position (err->off from the sl_option_t), list the accepted
 * keys for an unknown one, and never print a secret's value. ncols/names
 * resolve '#' patterns (fields.#.kind must name a column). Memory in a. */
int sl_options_check(const sl_connector_type_t *ct, const sl_list_t *given,
                     int ncols, const char *const *names, sl_arena_t *a,
                     sl_options_t *out, sl_err_t *err);

#endif
