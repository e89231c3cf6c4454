/* op.h - the operator interface of the engine and the job runtime.
 *
 * Operators are push-based (DESIGN.md): a producer calls push() of each
 * consumer with a batch it owns; the batch (and its arena) is only valid
 * during the call. An operator writes its results into its own output
 * batch and sends it downstream with sl_op_emit(). flush() marks a
 * mini-batch boundary (and the end of the input): buffering operators
 * fold what they hold and emit it. Everything runs on the job's loop
 * thread; only sources have threads of their own (job.c).
 */
#ifndef SL_EXEC_OP_H
#define SL_EXEC_OP_H

#include <pthread.h>
#include <stdint.h>

#include "exec/batch.h"
#include "plan/plan.h"
#include "state/state.h"
#include "util/err.h"

typedef struct sl_op sl_op_t;
typedef struct sl_job sl_job_t;

typedef struct sl_op_ops {
    const char *name;
    /* One batch of input on port (0 = left/only, 1 = right). */
    int (*push)(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err);
    /* Mini-batch boundary / end of input: emit what is buffered. */
    int (*flush)(sl_op_t *op, sl_err_t *err);
    /* Frees the operator's context (state lives in the job's backend). */
    void (*close)(sl_op_t *op);
    /* Optional, for operators that wait on other threads (lookups): called
     * on the loop thread after sl_job_wakeup() to emit what has completed. */
    int (*resume)(sl_op_t *op, sl_err_t *err);
    /* Optional: SL_OP_IDLE, SL_OP_BUSY (work in flight: the end of the job
     * and checkpoints wait for it) or SL_OP_FULL (also: stop feeding me;
     * the job stops taking source batches until a resume). */
    int (*pending)(sl_op_t *op);
} sl_op_ops_t;


typedef struct sl_op_out {
    sl_op_t *op;
    int port;
} sl_op_out_t;

struct sl_op {
    const sl_op_ops_t *ops;
    void *ctx;                 /* the operator's own state */
    const sl_pnode_t *node;    /* its plan node */
    sl_job_t *job;
    sl_op_out_t *outs;         /* consumers */
    int nouts;
    sl_batch_t out;            /* output batch, reused */
    uint64_t rows_in, rows_out;
    /* Loop-thread time: in this operator's push/flush, all of it (incl)
     * and the part spent in its consumers (child); busy = incl - child. */
    uint64_t incl_ns, child_ns;
};

/* Sends op->out to every consumer, then empties it. */
int sl_op_emit(sl_op_t *op, sl_err_t *err);
/* Sends a batch the operator does not own (its input, unchanged) to every
 * consumer: UNION ALL and sources. */
int sl_op_forward(sl_op_t *op, const sl_batch_t *b, sl_err_t *err);
/* Emits when the output batch is full. */
static inline int sl_op_maybe_emit(sl_op_t *op, sl_err_t *err)
{
    return op->out.nrows >= SL_BATCH_DEFAULT_ROWS ? sl_op_emit(op, err) : 0;
}

/* What operators see of the job. */
sl_state_t *sl_job_state(sl_job_t *job);
/* An operator's state table, with the job's table.exec.state.ttl; the job
 * sweeps expired entries of TTL tables once a second. NULL when out of
 * memory. */
sl_kv_t *sl_job_table(sl_job_t *job, const char *name);
const sl_job_conf_t *sl_job_conf(sl_job_t *job);
/* Processing time of the batch being handled (ms since the epoch). */
int64_t sl_job_now(sl_job_t *job);
/* From any thread: have the loop call every operator's resume() soon. */
void sl_job_wakeup(sl_job_t *job);

/* Operator constructors (src/operators/). Each fills op->ops and op->ctx. */
int sl_op_calc_init(sl_op_t *op, sl_err_t *err);
int sl_op_agg_init(sl_op_t *op, sl_err_t *err);
int sl_op_join_init(sl_op_t *op, sl_err_t *err);
int sl_op_union_init(sl_op_t *op, sl_err_t *err);
int sl_op_sink_init(sl_op_t *op, sl_sink_t *sink, sl_err_t *err);
int sl_op_materialize_init(sl_op_t *op, sl_err_t *err);
int sl_op_lookup_init(sl_op_t *op, sl_err_t *err);

/* ---- jobs ---- */

typedef struct sl_job_stats {
    uint64_t rows_in;          /* rows read by all sources */
    uint64_t rows_out;         /* rows written to all sinks */
    bool stopped;              /* ended by SIGINT/SIGTERM */
    bool restored;             /* started from a checkpoint or savepoint */
    bool setup_failed;         /* the state directory could not be used (locked,
                                  another job's checkpoint...): restarting cannot help */
    int64_t checkpoints, checkpoints_failed;
    int64_t restarts;          /* sl_job_run_restarting */
    bool canceled;             /* ended by a cancel or shutdown request */
} sl_job_stats_t;

/* ---- job control (the shell and the daemon run jobs on threads) ---- */

enum {
    SL_CTL_NONE = 0,
    SL_CTL_STOP,               /* flush what was read, then end (stats->stopped) */
    SL_CTL_STOP_SAVEPOINT,     /* the same, with a final savepoint in ctl->savepoint_dir */
    SL_CTL_CANCEL,             /* stop now; checkpoints dropped unless retained */
    SL_CTL_SHUTDOWN,           /* stop now keeping every checkpoint (daemon exit) */
    SL_CTL_CHECKPOINT,         /* take a checkpoint now */
};

enum { SL_CK_COMPLETED = 1, SL_CK_FAILED, SL_CK_IN_PROGRESS };

typedef struct sl_ckpt_record {
    int64_t id;
    int status;                /* SL_CK_* */
    int64_t trigger_ms, duration_ms, sync_ms;
    uint64_t bytes;
} sl_ckpt_record_t;

#define SL_CKPT_HISTORY 10

/* Per operator, cumulative since the job (this run) started. */
typedef struct sl_op_metrics {
    uint64_t rows_in, rows_out;
    uint64_t busy_ns;          /* loop time in the operator itself */
    uint64_t bp_ns;            /* sources: time the reader waited for room */
    bool is_source;
    sl_source_metrics_t src;   /* sources with metrics() */
} sl_op_metrics_t;

/* What a running job shows of itself, refreshed about once a second. */
typedef struct sl_job_snapshot {
    int64_t taken_ms;          /* wall clock of the refresh, 0 = never */
    int nops;                  /* plan nodes, plan order */
    sl_op_metrics_t *ops;
    int64_t ck_done, ck_failed;
    bool ck_in_progress;
    int64_t ck_last_id;
    uint64_t state_bytes;      /* size of the last complete checkpoint */
    sl_ckpt_record_t hist[SL_CKPT_HISTORY]; /* newest last */
    int nhist;
} sl_job_snapshot_t;

/* Shared between a running job (loop thread) and whoever controls it
 * (any thread); owned by the controller, which must keep it alive until
 * sl_job_run returned. All fields under mu. */
typedef struct sl_job_ctl {
    pthread_mutex_t mu;
    pthread_cond_t cv;         /* signalled when a run ends or a request is taken */
    int request;               /* SL_CTL_*, taken by the job */
    char savepoint_dir[1024];
    void *running;             /* the sl_job_t while sl_job_run runs */
    bool stop_requested;       /* STOP/CANCEL/SHUTDOWN seen: no more restarts */
    int last_request;          /* the stop kind of the last stop request */
    int64_t ckpt_triggered;    /* id of the last checkpoint a request started */
    char ckpt_error[256];      /* why a requested checkpoint could not start */
    sl_job_snapshot_t snap;    /* ops allocated by the job (free with sl_job_ctl_destroy) */
} sl_job_ctl_t;

void sl_job_ctl_init(sl_job_ctl_t *c);
void sl_job_ctl_destroy(sl_job_ctl_t *c);
/* Posts a request (SL_CTL_*; dir for STOP_SAVEPOINT). A stop request also
 * holds for a job between two runs (restart delay): it ends it. */
void sl_job_ctl_request(sl_job_ctl_t *c, int req, const char *dir);
/* Copies the latest snapshot (out->ops malloc'ed, owner: the caller, free
 * with sl_job_snapshot_free). 0 or -SL_ENOMEM. */
int sl_job_ctl_snapshot(sl_job_ctl_t *c, sl_job_snapshot_t *out);
void sl_job_snapshot_free(sl_job_snapshot_t *s);

/* How `sluice run` runs a job (its command-line options). */
typedef struct sl_run_opts {
    bool verbose;              /* per-operator counts at the end */
    const char *state_dir;     /* --state-dir (else state.checkpoints.dir) */
    bool fresh;                /* --fresh: discard the directory's checkpoints */
    const char *from_savepoint;    /* --from-savepoint DIR */
    const char *savepoint_on_stop; /* --savepoint-on-stop DIR */
    bool no_signals;           /* leave SIGINT/SIGTERM to the caller (threads) */
    sl_job_ctl_t *ctl;         /* optional: requests and metrics */
} sl_run_opts_t;

/* Runs a planned job on a libuv loop in this thread until its bounded
 * sources are exhausted (then flushes everything and returns 0), or until
 * SIGINT/SIGTERM (stops cleanly, returns 0, stats->stopped), or until it
 * fails (returns the error, err filled with the cause and SQL position).
 * With a state directory it locks it, starts from the newest complete
 * checkpoint there (or from opts->from_savepoint), and takes checkpoints
 * every execution.checkpointing.interval (exec/checkpoint.h). */
int sl_job_run(const sl_plan_t *plan, const sl_run_opts_t *opts, sl_job_stats_t *stats,
               sl_err_t *err);

/* sl_job_run, and when the job fails, runs it again from its last
 * checkpoint as restart-strategy says (Flink's strategies and keys), until
 * the strategy gives up (the last cause in err), the job ends, or a stop
 * request of opts->ctl. stats->restarts counts the restarts. */
int sl_job_run_restarting(const sl_plan_t *plan, sl_run_opts_t *opts, sl_job_stats_t *stats,
                          sl_err_t *err);

#endif
