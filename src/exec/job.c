/* job.c - runs a planned job: operators on a libuv loop, sources on threads.
 *
 * Each source instance reads on its own thread into batches taken from a
 * small pool; a filled batch goes into the source's bounded queue and the
 * loop is woken with uv_async. When the queue is full the reader waits, so
 * a slow pipeline slows the reader instead of growing memory. On the loop,
 * a batch is pushed through the operators (push-based, synchronous), then
 * returned to the pool. Mini-batch operators are flushed by a repeating
 * timer (table.exec.mini-batch.allow-latency) and at the end of input.
 * SIGINT/SIGTERM stop the sources; what was read is flushed to the sinks.
 */
#include "exec/op.h"
#include "exec/fn.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "exec/checkpoint.h"
#include "state/rocksdb.h"
#include "util/log.h"

#define QUEUE_SLOTS 4          /* batches in flight per source */
#define SOURCE_BATCH_ROWS 1024

typedef struct source_rt {
    sl_job_t *job;
    sl_op_t *op;               /* the scan operator */
    sl_source_t src;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sl_batch_t pool[QUEUE_SLOTS];
    int queue[QUEUE_SLOTS];    /* filled batches, FIFO of pool indexes */
    int qhead, qcount;
    bool busy[QUEUE_SLOTS];    /* taken by the reader or queued */
    bool ended;                /* the reader has finished (or failed) */
    bool drained;              /* ended and every batch consumed */
    bool stop;                 /* asked to stop */
    int rc;
    sl_err_t err;
    /* Checkpoints: the position after each queued batch (by pool slot),
     * and after the last batch the operators consumed. */
    sl_strbuf_t pos[QUEUE_SLOTS];
    sl_strbuf_t last_pos;
    /* A source that reads nothing still moves on (a binlog passes other
     * tables' events): its position after an empty batch, valid while no
     * batch was queued after it; taken as last_pos once the queue is
     * empty (adopt_idle_positions). idle_scratch: the reader's. */
    sl_strbuf_t idle_pos, idle_scratch;
    bool idle_valid;
    uint64_t bp_ns;            /* the reader waited for a free slot (under mu) */
} source_rt_t;

enum { CK_IDLE = 0, CK_BARRIER, CK_ACKS };

/* A checkpoint's "position" of a bounded source that reports none: read to
 * its end, or still being read. */
#define POS_DONE "sluice:source-read-to-its-end"
#define POS_PARTIAL "sluice:source-being-read"

/* How long one turn of the loop drains the sources' queues (on_async). */
#define DRAIN_BUDGET_MS 20

struct sl_job {
    const sl_plan_t *plan;
    uv_loop_t loop;
    uv_async_t async;
    uv_timer_t timer;
    uv_timer_t ttl_timer;          /* sweeps expired state */
    bool ttl_on;
    sl_kv_t **tables;              /* tables with a TTL */
    int ntables, captables;
    uv_signal_t sigint, sigterm;
    bool timer_on;
    sl_op_t *ops;              /* one per plan node, plan order */
    int nops;
    source_rt_t *sources;
    int nsources;
    sl_sink_t *sinks;          /* one per sink node */
    sl_state_t *state;
    int64_t now_ms;
    bool failed, finished, stopping;
    bool finishing;            /* input ended; waiting for operators */
    bool has_resume;           /* some operator waits on other threads */
    sl_err_t err;
    sl_arena_t arena;
    const sl_run_opts_t *opts;
    /* state directory and checkpoints */
    sl_state_dir_t sdir;
    bool sdir_open;
    char *workdir;             /* rocksdb's live database */
    bool workdir_temp;         /* removed at the end */
    sl_ckpt_meta_t restored;   /* the checkpoint the job started from */
    bool has_restored;
    bool setup_failed;          /* open_state failed: not worth a restart */
    unsigned drain_next;        /* the source a drain turn starts with */
    sl_strbuf_t plan_text;
    uint64_t plan_hash;
    uv_timer_t ckpt_timer;
    bool ckpt_timer_on;
    int ck_phase;              /* CK_* */
    bool pause_sources;        /* a barrier waits for in-flight work */
    int64_t ck_id;             /* the checkpoint being taken, or the last */
    int64_t ck_started, ck_last_done, ck_sync_ms;
    uint64_t ck_bytes;
    uint64_t *ck_marks;        /* per sink: rows written at the barrier */
    sl_ckpt_meta_t ck_meta;
    int64_t ck_failed_in_row;
    int64_t ck_done, ck_failed, ck_max_sync_ms, ck_last_ms;
    int64_t ck_pause_ms, ck_max_pause_ms; /* sources held: barrier wait + sync part */
    uint64_t ck_last_bytes;    /* state size of the last complete checkpoint */
    sl_ckpt_record_t ck_hist[SL_CKPT_HISTORY]; /* newest last */
    int ck_nhist;
    /* control (opts->ctl): requests from other threads, metrics */
    sl_job_ctl_t *ctl;
    uv_async_t ctl_async;
    bool ctl_on;
    uv_timer_t metrics_timer;
    bool metrics_on;
    char *savepoint_dir;       /* stop with a savepoint here (owned) */
    bool canceled;             /* a cancel/shutdown request ended it */
    bool keep_checkpoints;     /* shutdown: leave the checkpoints */
};

sl_state_t *sl_job_state(sl_job_t *job) { return job->state; }

static int64_t wall_ms(void);

sl_kv_t *sl_job_table(sl_job_t *job, const char *name)
{
    int64_t ttl = job->plan->conf.state_ttl_ms;
    sl_kv_t *kv = sl_state_table(job->state, name, ttl);
    if (!kv || ttl <= 0) return kv;
    if (job->ntables == job->captables) {
        int cap = job->captables ? job->captables * 2 : 8;
        sl_kv_t **v = realloc(job->tables, (size_t)cap * sizeof *v);
        if (!v) return NULL;
        job->tables = v;
        job->captables = cap;
    }
    job->tables[job->ntables++] = kv;
    return kv;
}

/* Each step that moves rows through the operators runs inside one state
 * write batch (state.h): the backend applies the step's writes together
 * and a checkpoint falls between steps. step_end commits whatever rc is,
 * keeping the first error. */
static int step_begin(sl_job_t *job, sl_err_t *err)
{
    return sl_state_begin(job->state, err);
}

static int step_end(sl_job_t *job, int rc, sl_err_t *err)
{
    sl_err_t cerr;
    sl_err_clear(&cerr);
    int c = sl_state_commit(job->state, rc ? &cerr : err);
    return rc ? rc : c;
}

static void job_fail(sl_job_t *job, const sl_err_t *err);

static void on_ttl(uv_timer_t *t)
{
    sl_job_t *job = t->data;
    sl_err_t err;
    sl_err_clear(&err);
    sl_state_set_time(job->state, wall_ms());
    int rc = step_begin(job, &err);
    if (rc) {
        job_fail(job, &err);
        return;
    }
    for (int i = 0; i < job->ntables; i++) sl_kv_expire(job->tables[i]);
    if (step_end(job, 0, &err)) job_fail(job, &err);
}
const sl_job_conf_t *sl_job_conf(sl_job_t *job) { return &job->plan->conf; }
int64_t sl_job_now(sl_job_t *job) { return job->now_ms; }

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Pushes b to consumer c, charging the time to c (all of it) and to the
 * producer op (as time spent downstream): busy = incl - child. One clock
 * read per batch and edge, not per row. */
static inline int push_timed(sl_op_t *op, sl_op_t *c, int port, const sl_batch_t *b,
                             sl_err_t *err)
{
    uint64_t t0 = mono_ns();
    int rc = c->ops->push(c, port, b, err);
    uint64_t dt = mono_ns() - t0;
    c->incl_ns += dt;
    op->child_ns += dt;
    return rc;
}

int sl_op_emit(sl_op_t *op, sl_err_t *err)
{
    if (op->out.nrows == 0) return 0;
    op->rows_out += (uint64_t)op->out.nrows;
    for (int i = 0; i < op->nouts; i++) {
        sl_op_t *c = op->outs[i].op;
        c->rows_in += (uint64_t)op->out.nrows;
        int rc = push_timed(op, c, op->outs[i].port, &op->out, err);
        if (rc) return rc;
    }
    sl_batch_reset(&op->out);
    return 0;
}

int sl_op_forward(sl_op_t *op, const sl_batch_t *b, sl_err_t *err)
{
    op->rows_out += (uint64_t)b->nrows;
    for (int i = 0; i < op->nouts; i++) {
        sl_op_t *c = op->outs[i].op;
        c->rows_in += (uint64_t)b->nrows;
        int rc = push_timed(op, c, op->outs[i].port, b, err);
        if (rc) return rc;
    }
    return 0;
}

static void job_fail(sl_job_t *job, const sl_err_t *err)
{
    if (!job->failed) {
        job->failed = true;
        job->err = *err;
    }
    uv_stop(&job->loop);
}

/* ---- sources ---- */

static void *source_main(void *arg)
{
    source_rt_t *s = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the loop */
    for (;;) {
        pthread_mutex_lock(&s->mu);
        int slot = -1;
        while (!s->stop) {
            for (int i = 0; i < QUEUE_SLOTS; i++)
                if (!s->busy[i]) {
                    slot = i;
                    break;
                }
            if (slot >= 0) break;
            uint64_t t0 = mono_ns();
            pthread_cond_wait(&s->cv, &s->mu);
            s->bp_ns += mono_ns() - t0;
        }
        if (s->stop) {
            s->ended = true;
            pthread_mutex_unlock(&s->mu);
            break;
        }
        s->busy[slot] = true;
        pthread_mutex_unlock(&s->mu);

        sl_batch_t *b = &s->pool[slot];
        sl_batch_reset(b);
        sl_err_t err;
        sl_err_clear(&err);
        int rc = s->src.ops->next(&s->src, b, SOURCE_BATCH_ROWS, &err);

        /* The position after this batch, before anyone can consume it. */
        bool idle = false;
        if (rc >= 0 && s->src.ops->position) {
            sl_strbuf_t *pb = b->nrows > 0 ? &s->pos[slot] : &s->idle_scratch;
            sl_strbuf_clear(pb);
            if (s->src.ops->position(&s->src, pb))
                rc = sl_err_set(&err, SL_ENOMEM, "out of memory");
            idle = b->nrows == 0 && pb->len > 0;
        }
        pthread_mutex_lock(&s->mu);
        if (idle && rc >= 0) {
            sl_strbuf_t t = s->idle_pos;
            s->idle_pos = s->idle_scratch;
            s->idle_scratch = t;
            s->idle_valid = true;
        } else if (rc >= 0 && b->nrows > 0) {
            s->idle_valid = false;
        }
        if (rc < 0) {
            s->rc = rc;
            s->err = err;
            s->busy[slot] = false;
            s->ended = true;
        } else {
            if (b->nrows > 0) {
                s->queue[(s->qhead + s->qcount) % QUEUE_SLOTS] = slot;
                s->qcount++;
            } else {
                s->busy[slot] = false;
            }
            if (rc == SL_SOURCE_END) s->ended = true;
        }
        bool done = s->ended;
        pthread_mutex_unlock(&s->mu);
        uv_async_send(&s->job->async);
        if (done) break;
    }
    uv_async_send(&s->job->async);
    sl_fn_thread_cleanup(); /* connectors may have used the zone cache */
    return NULL;
}

/* Loop thread, sources held: a source whose queue is empty and whose last
 * batch was empty is at the position it reported then (every batch before
 * it was consumed). A bounded source that has no positions is recorded as
 * read to its end (POS_DONE: not read again after a restore) or as being
 * read (POS_PARTIAL: a restore is refused). 0 or -SL_ENOMEM. */
static int adopt_idle_positions(sl_job_t *job)
{
    int rc = 0;
    for (int i = 0; i < job->nsources; i++) {
        source_rt_t *s = &job->sources[i];
        if (!s->src.ops || !s->src.ops->position) {
            if (s->src.ops && s->src.bounded) {
                const char *mark = s->drained ? POS_DONE : POS_PARTIAL;
                sl_strbuf_clear(&s->last_pos);
                if (sl_strbuf_append(&s->last_pos, mark, strlen(mark))) rc = -SL_ENOMEM;
            }
            continue;
        }
        pthread_mutex_lock(&s->mu);
        if (s->idle_valid && s->qcount == 0) {
            sl_strbuf_clear(&s->last_pos);
            if (sl_strbuf_append(&s->last_pos, s->idle_pos.buf, s->idle_pos.len)) rc = -SL_ENOMEM;
        }
        pthread_mutex_unlock(&s->mu);
    }
    return rc;
}

static int flush_all(sl_job_t *job, sl_err_t *err)
{
    for (int i = 0; i < job->nops; i++) {
        sl_op_t *op = &job->ops[i];
        if (op->ops && op->ops->flush) {
            uint64_t t0 = mono_ns();
            int rc = op->ops->flush(op, err);
            op->incl_ns += mono_ns() - t0;
            if (rc) return rc;
        }
    }
    return 0;
}

void sl_job_wakeup(sl_job_t *job)
{
    uv_async_send(&job->async);
}

static void job_wakeup_cb(void *arg) { sl_job_wakeup(arg); }

/* The highest pending() of the operators. */
static int ops_pending(sl_job_t *job)
{
    int m = SL_OP_IDLE;
    for (int i = 0; i < job->nops; i++) {
        sl_op_t *op = &job->ops[i];
        if (op->ops && op->ops->pending) {
            int p = op->ops->pending(op);
            if (p > m) m = p;
        }
    }
    return m;
}

/* Lets operators waiting on other threads emit what has completed. */
static int resume_all(sl_job_t *job, sl_err_t *err)
{
    for (int i = 0; i < job->nops; i++) {
        sl_op_t *op = &job->ops[i];
        if (op->ops && op->ops->resume) {
            int rc = op->ops->resume(op, err);
            if (rc) return rc;
        }
    }
    return 0;
}

/* A savepoint: the layout of a checkpoint, in a directory of its own. */
static int write_savepoint(sl_job_t *job, const char *dir, sl_err_t *err)
{
    struct stat stt;
    if (stat(dir, &stt) == 0)
        return sl_err_set(err, SL_EEXISTS, "savepoint directory %s exists already", dir);
    if (mkdir(dir, 0755))
        return sl_err_set(err, SL_EIO, "cannot create savepoint directory %s: %s", dir,
                          strerror(errno));
    char st[4400];
    snprintf(st, sizeof st, "%s/state", dir);
    uint64_t bytes = 0;
    int rc = sl_state_snapshot(job->state, st, &bytes, err);
    sl_ckpt_meta_t m;
    memset(&m, 0, sizeof m);
    m.id = job->ck_id;
    m.time_ms = wall_ms();
    m.backend = job->plan->conf.ckpt.backend;
    m.plan_hash = job->plan_hash;
    m.nsources = job->nsources;
    m.sources = calloc((size_t)(job->nsources + 1), sizeof *m.sources);
    if (!rc && (!m.sources || adopt_idle_positions(job)))
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < job->nsources; i++)
        if (sl_strbuf_append(&m.sources[i], job->sources[i].last_pos.buf ? job->sources[i].last_pos.buf : "",
                             job->sources[i].last_pos.len))
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    if (!rc && sl_strbuf_append(&m.plan, job->plan_text.buf, job->plan_text.len))
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    if (!rc) rc = sl_ckpt_meta_write(dir, &m, err);
    sl_ckpt_meta_free(&m);
    if (rc) sl_rmtree(dir);
    else SL_LOG_INFO("savepoint written to %s (%llu bytes of state)", dir, (unsigned long long)bytes);
    return rc;
}

/* End of input: flush the operators; when some still wait on other
 * threads (lookups), come back at the next wakeup; then flush the sinks
 * and stop the loop. */
static void finish(sl_job_t *job)
{
    if (job->finished) return;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = step_begin(job, &err);
    if (!rc) rc = step_end(job, flush_all(job, &err), &err);
    /* Sinks make what they got durable (a sink with a writer thread starts
     * its last write here and reports through pending()). */
    for (int i = 0; !rc && i < job->plan->sinks.n; i++)
        if (job->sinks[i].ops && job->sinks[i].ops->flush)
            rc = job->sinks[i].ops->flush(&job->sinks[i], &err);
    if (!rc && ops_pending(job) != SL_OP_IDLE) {
        job->finishing = true;
        return;
    }
    job->finished = true;
    /* Stopped by a signal with --savepoint-on-stop: everything read has
     * been written and acknowledged, so state and positions agree. */
    if (!rc && job->stopping && job->savepoint_dir)
        rc = write_savepoint(job, job->savepoint_dir, &err);
    if (rc) job_fail(job, &err);
    uv_stop(&job->loop);
}


/* ---- checkpoints ----
 * A checkpoint is taken between two steps on the loop thread:
 *   1. barrier: the sources stop being drained until every operator that
 *      works on other threads (lookups) is idle, so no row is half way;
 *   2. mini-batches are flushed (a step), every sink that flushes on
 *      checkpoints starts writing what it holds and the count of rows it
 *      was given is noted; the source positions of the last consumed
 *      batches are taken, and the state is snapshotted into chk-N.tmp
 *      (memory: a file; RocksDB: hard links) - the synchronous part;
 *      then the pipeline goes on;
 *   3. when every such sink has acknowledged the rows noted, _metadata
 *      (positions, plan) is written and chk-N.tmp renamed chk-N: the
 *      checkpoint is complete. Restarting from it replays the sources
 *      from the positions into the state of that moment; the sinks are
 *      idempotent upserts, so the replay converges on exact results.
 * A checkpoint that fails or times out is removed and counted; past
 * execution.checkpointing.tolerable-failed-checkpoints in a row the job
 * fails. */

static void ckpt_path(const sl_job_t *job, int64_t id, bool tmp, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/chk-%lld%s", job->sdir.path, (long long)id, tmp ? ".tmp" : "");
}

/* The record of checkpoint id in the history (the newest is last). */
static sl_ckpt_record_t *ckpt_record(sl_job_t *job, int64_t id)
{
    for (int i = job->ck_nhist - 1; i >= 0; i--)
        if (job->ck_hist[i].id == id) return &job->ck_hist[i];
    if (job->ck_nhist == SL_CKPT_HISTORY) {
        memmove(job->ck_hist, job->ck_hist + 1, (SL_CKPT_HISTORY - 1) * sizeof *job->ck_hist);
        job->ck_nhist--;
    }
    sl_ckpt_record_t *r = &job->ck_hist[job->ck_nhist++];
    memset(r, 0, sizeof *r);
    r->id = id;
    return r;
}

static void ckpt_fail(sl_job_t *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ckpt_fail(sl_job_t *job, const char *fmt, ...)
{
    char why[SL_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    char p[4300];
    ckpt_path(job, job->ck_id, true, p, sizeof p);
    sl_rmtree(p);
    sl_ckpt_record_t *rec = ckpt_record(job, job->ck_id);
    rec->status = SL_CK_FAILED;
    rec->duration_ms = wall_ms() - job->ck_started;
    job->ck_phase = CK_IDLE;
    job->pause_sources = false;
    job->ck_failed++;
    job->ck_failed_in_row++;
    job->ck_last_done = wall_ms();
    sl_ckpt_meta_free(&job->ck_meta);
    int64_t tol = job->plan->conf.ckpt.tolerable;
    SL_LOG_WARN("checkpoint %lld failed: %s (%lld in a row, %lld tolerated)",
                (long long)job->ck_id, why, (long long)job->ck_failed_in_row, (long long)tol);
    if (job->ck_failed_in_row > tol) {
        sl_err_t err;
        sl_err_set(&err, SL_EIO,
                   "checkpoint %lld failed: %s; that is more failed checkpoints in a row than "
                   "execution.checkpointing.tolerable-failed-checkpoints (%lld)",
                   (long long)job->ck_id, why, (long long)tol);
        job_fail(job, &err);
    }
    uv_async_send(&job->async);
}

/* The barrier: when nothing is in flight, flush, snapshot, go on. */
static void ckpt_barrier(sl_job_t *job)
{
    for (int i = 0; i < job->nops; i++) {
        sl_op_t *op = &job->ops[i];
        if (op->node->kind == SL_PN_SINK) continue;
        if (op->ops && op->ops->pending && op->ops->pending(op) != SL_OP_IDLE) return;
    }
    int64_t t0 = wall_ms();
    sl_err_t err;
    sl_err_clear(&err);
    job->now_ms = t0;
    int rc = step_begin(job, &err);
    if (!rc) rc = step_end(job, flush_all(job, &err), &err);
    if (rc) {
        job_fail(job, &err);
        return;
    }
    for (int i = 0; i < job->nops; i++) { /* the flush may have started lookups */
        sl_op_t *op = &job->ops[i];
        if (op->node->kind == SL_PN_SINK) continue;
        if (op->ops && op->ops->pending && op->ops->pending(op) != SL_OP_IDLE) return;
    }
    int nsinks = job->plan->sinks.n;
    for (int i = 0; i < nsinks; i++) {
        sl_sink_t *k = &job->sinks[i];
        job->ck_marks[i] = 0;
        if (!k->ops || !k->flush_on_checkpoint) continue;
        if (k->ops->flush && (rc = k->ops->flush(k, &err))) {
            job_fail(job, &err);
            return;
        }
        if (k->ops->progress) {
            uint64_t acked;
            job->ck_marks[i] = k->ops->progress(k, &acked);
        }
    }
    sl_ckpt_meta_t *m = &job->ck_meta;
    memset(m, 0, sizeof *m);
    m->id = job->ck_id;
    m->time_ms = t0;
    m->backend = job->plan->conf.ckpt.backend;
    m->plan_hash = job->plan_hash;
    m->nsources = job->nsources;
    m->sources = calloc((size_t)(job->nsources + 1), sizeof *m->sources);
    if (!m->sources || adopt_idle_positions(job) ||
        sl_strbuf_append(&m->plan, job->plan_text.buf, job->plan_text.len)) {
        ckpt_fail(job, "out of memory");
        return;
    }
    for (int i = 0; i < job->nsources; i++)
        if (sl_strbuf_append(&m->sources[i], job->sources[i].last_pos.buf ? job->sources[i].last_pos.buf : "",
                             job->sources[i].last_pos.len)) {
            ckpt_fail(job, "out of memory");
            return;
        }
    char tmp[4300], st[4400];
    ckpt_path(job, job->ck_id, true, tmp, sizeof tmp);
    sl_rmtree(tmp);
    if (mkdir(tmp, 0755)) {
        ckpt_fail(job, "cannot create %s: %s", tmp, strerror(errno));
        return;
    }
    snprintf(st, sizeof st, "%s/state", tmp);
    sl_err_clear(&err);
    if (sl_state_snapshot(job->state, st, &job->ck_bytes, &err)) {
        ckpt_fail(job, "%s", err.msg);
        return;
    }
    job->ck_sync_ms = wall_ms() - t0;
    if (job->ck_sync_ms > job->ck_max_sync_ms) job->ck_max_sync_ms = job->ck_sync_ms;
    job->ck_pause_ms = wall_ms() - job->ck_started;
    if (job->ck_pause_ms > job->ck_max_pause_ms) job->ck_max_pause_ms = job->ck_pause_ms;
    job->ck_phase = CK_ACKS;
    job->pause_sources = false;
    uv_async_send(&job->async);
}

/* Completes the checkpoint once the sinks acknowledged the barrier. */
static void ckpt_acks(sl_job_t *job)
{
    int nsinks = job->plan->sinks.n;
    for (int i = 0; i < nsinks; i++) {
        sl_sink_t *k = &job->sinks[i];
        if (!k->ops || !k->flush_on_checkpoint || !k->ops->progress) continue;
        uint64_t acked;
        k->ops->progress(k, &acked);
        if (acked < job->ck_marks[i]) return;
    }
    char tmp[4300], fin[4300];
    ckpt_path(job, job->ck_id, true, tmp, sizeof tmp);
    ckpt_path(job, job->ck_id, false, fin, sizeof fin);
    sl_err_t err;
    sl_err_clear(&err);
    if (sl_ckpt_meta_write(tmp, &job->ck_meta, &err)) {
        ckpt_fail(job, "%s", err.msg);
        return;
    }
    if (rename(tmp, fin)) {
        ckpt_fail(job, "cannot rename %s: %s", tmp, strerror(errno));
        return;
    }
    int64_t now = wall_ms();
    job->ck_last_ms = now - job->ck_started;
    SL_LOG_INFO("checkpoint %lld complete: %llu bytes of state, %lld ms (%lld ms synchronous, "
                "sources held %lld ms)",
                (long long)job->ck_id, (unsigned long long)job->ck_bytes,
                (long long)job->ck_last_ms, (long long)job->ck_sync_ms,
                (long long)job->ck_pause_ms);
    sl_ckpt_record_t *rec = ckpt_record(job, job->ck_id);
    rec->status = SL_CK_COMPLETED;
    rec->duration_ms = job->ck_last_ms;
    rec->sync_ms = job->ck_sync_ms;
    rec->bytes = job->ck_bytes;
    job->ck_last_bytes = job->ck_bytes;
    job->ck_done++;
    job->ck_failed_in_row = 0;
    job->ck_phase = CK_IDLE;
    job->ck_last_done = now;
    sl_ckpt_meta_free(&job->ck_meta);
    sl_state_dir_prune(&job->sdir, job->plan->conf.ckpt.retained);
}

static void ckpt_progress(sl_job_t *job)
{
    if (job->ck_phase == CK_BARRIER) ckpt_barrier(job);
    if (job->ck_phase == CK_ACKS && !job->failed) ckpt_acks(job);
}

static void ckpt_start(sl_job_t *job, int64_t now)
{
    job->ck_id++;
    job->ck_started = now;
    job->ck_phase = CK_BARRIER;
    job->pause_sources = true;
    sl_ckpt_record_t *rec = ckpt_record(job, job->ck_id);
    rec->status = SL_CK_IN_PROGRESS;
    rec->trigger_ms = now;
    ckpt_progress(job);
}

static void on_ckpt_timer(uv_timer_t *t)
{
    sl_job_t *job = t->data;
    if (job->failed || job->finished || job->finishing || job->stopping) return;
    const sl_ckpt_conf_t *c = &job->plan->conf.ckpt;
    int64_t now = wall_ms();
    if (job->ck_phase != CK_IDLE) {
        if (now - job->ck_started > c->timeout_ms)
            ckpt_fail(job, "timed out after %lld ms (execution.checkpointing.timeout)",
                      (long long)(now - job->ck_started));
        return;
    }
    if (now - job->ck_last_done < c->interval_ms || now - job->ck_last_done < c->min_pause_ms)
        return;
    ckpt_start(job, now);
}

static void on_async(uv_async_t *h)
{
    sl_job_t *job = h->data;
    bool all_done = true;
    if (job->has_resume) {
        sl_err_t err;
        sl_err_clear(&err);
        job->now_ms = wall_ms();
        int rc = step_begin(job, &err);
        if (!rc) rc = step_end(job, resume_all(job, &err), &err);
        if (rc) {
            job_fail(job, &err);
            return;
        }
        if (job->finishing) {
            finish(job);
            return;
        }
    }
    /* A turn drains for at most DRAIN_BUDGET_MS and then yields to the
     * loop (timers: mini-batches, checkpoints; the sinks' sockets), coming
     * back at its next iteration: a source that refills its queue as fast
     * as it is drained must not starve them. */
    int64_t turn_end = wall_ms() + DRAIN_BUDGET_MS;
    bool yielded = false;
    int first = job->nsources ? job->drain_next++ % job->nsources : 0; /* turns rotate */
    for (int j = 0; j < job->nsources && !job->failed; j++) {
        source_rt_t *s = &job->sources[(first + j) % job->nsources];
        for (;;) {
            /* Backpressure: an operator that holds enough stops the
             * draining; the sources then block on their full queues. A
             * checkpoint barrier waiting for in-flight work does too. */
            if (job->pause_sources ||
                (job->has_resume && ops_pending(job) == SL_OP_FULL)) {
                all_done = false;
                break;
            }
            if (wall_ms() >= turn_end) {
                all_done = false;
                yielded = true;
                break;
            }
            pthread_mutex_lock(&s->mu);
            int slot = -1;
            if (s->qcount) {
                slot = s->queue[s->qhead];
                s->qhead = (s->qhead + 1) % QUEUE_SLOTS;
                s->qcount--;
            }
            bool ended = s->ended;
            int src_rc = s->rc;
            pthread_mutex_unlock(&s->mu);
            if (slot < 0) {
                if (ended) {
                    if (src_rc < 0) {
                        job_fail(job, &s->err);
                        return;
                    }
                    s->drained = true;
                }
                break;
            }
            job->now_ms = wall_ms();
            sl_state_set_time(job->state, job->now_ms);
            sl_err_t err;
            sl_err_clear(&err);
            s->op->rows_in += (uint64_t)s->pool[slot].nrows;
            int rc = step_begin(job, &err);
            if (!rc) rc = step_end(job, sl_op_forward(s->op, &s->pool[slot], &err), &err);
            pthread_mutex_lock(&s->mu);
            /* This batch's position is now the source's (swapped, the
             * slot's buffer is reused). */
            sl_strbuf_t t = s->last_pos;
            s->last_pos = s->pos[slot];
            s->pos[slot] = t;
            s->busy[slot] = false;
            pthread_cond_signal(&s->cv);
            pthread_mutex_unlock(&s->mu);
            if (rc) {
                job_fail(job, &err);
                return;
            }
        }
        if (!s->drained) all_done = false;
    }
    if (job->ck_phase != CK_IDLE && !job->failed) ckpt_progress(job);
    if (all_done && !job->failed && !job->pause_sources) finish(job);
    else if (yielded && !job->failed) uv_async_send(&job->async);
}

static void on_timer(uv_timer_t *t)
{
    sl_job_t *job = t->data;
    sl_err_t err;
    sl_err_clear(&err);
    job->now_ms = wall_ms();
    int rc = step_begin(job, &err);
    if (!rc) rc = step_end(job, flush_all(job, &err), &err);
    if (rc) job_fail(job, &err);
}

static void stop_sources(sl_job_t *job)
{
    for (int i = 0; i < job->nsources; i++) {
        source_rt_t *s = &job->sources[i];
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        if (s->src.ops && s->src.ops->wakeup) s->src.ops->wakeup(&s->src);
    }
}

static void on_signal(uv_signal_t *h, int signum)
{
    sl_job_t *job = h->data;
    if (job->stopping) {
        /* A second signal: stop without waiting for the flush. */
        sl_err_t err;
        sl_err_set(&err, SL_EINTERNAL, "interrupted by signal %d", signum);
        job_fail(job, &err);
        return;
    }
    SL_LOG_INFO("signal %d: stopping the job after flushing what was read",
                signum);
    job->stopping = true;
    stop_sources(job);
    uv_async_send(&job->async);
}

/* ---- control and metrics (sl_job_ctl_t) ---- */

void sl_job_ctl_init(sl_job_ctl_t *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
}

void sl_job_ctl_destroy(sl_job_ctl_t *c)
{
    free(c->snap.ops);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

void sl_job_ctl_request(sl_job_ctl_t *c, int req, const char *dir)
{
    pthread_mutex_lock(&c->mu);
    c->request = req;
    if (req == SL_CTL_STOP_SAVEPOINT && dir)
        snprintf(c->savepoint_dir, sizeof c->savepoint_dir, "%s", dir);
    if (req != SL_CTL_CHECKPOINT) {
        c->stop_requested = true;
        c->last_request = req;
    }
    if (c->running) uv_async_send(&((sl_job_t *)c->running)->ctl_async);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

int sl_job_ctl_snapshot(sl_job_ctl_t *c, sl_job_snapshot_t *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->snap;
    out->ops = NULL;
    int rc = 0;
    if (c->snap.nops) {
        out->ops = malloc((size_t)c->snap.nops * sizeof *out->ops);
        if (out->ops) memcpy(out->ops, c->snap.ops, (size_t)c->snap.nops * sizeof *out->ops);
        else {
            out->nops = 0;
            rc = -SL_ENOMEM;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

void sl_job_snapshot_free(sl_job_snapshot_t *s)
{
    free(s->ops);
    s->ops = NULL;
    s->nops = 0;
}

/* Copies the job's counters into its ctl (loop thread). */
static void publish(sl_job_t *job)
{
    sl_job_ctl_t *c = job->ctl;
    if (!c || !job->ops) return;
    pthread_mutex_lock(&c->mu);
    sl_job_snapshot_t *sn = &c->snap;
    if (sn->nops != job->nops) {
        sl_op_metrics_t *o = realloc(sn->ops, (size_t)job->nops * sizeof *o);
        if (!o) {
            pthread_mutex_unlock(&c->mu);
            return;
        }
        sn->ops = o;
        sn->nops = job->nops;
    }
    memset(sn->ops, 0, (size_t)job->nops * sizeof *sn->ops);
    for (int i = 0; i < job->nops; i++) {
        const sl_op_t *op = &job->ops[i];
        sl_op_metrics_t *m = &sn->ops[i];
        m->rows_in = op->rows_in;
        m->rows_out = op->rows_out;
        m->busy_ns = op->incl_ns > op->child_ns ? op->incl_ns - op->child_ns : 0;
        m->is_source = op->node && op->node->kind == SL_PN_SCAN;
    }
    for (int i = 0; i < job->nsources; i++) {
        source_rt_t *s = &job->sources[i];
        int k = (int)(s->op - job->ops);
        if (k < 0 || k >= job->nops) continue;
        pthread_mutex_lock(&s->mu);
        sn->ops[k].bp_ns = s->bp_ns;
        pthread_mutex_unlock(&s->mu);
        if (s->src.ops && s->src.ops->metrics && s->src.ctx) s->src.ops->metrics(&s->src, &sn->ops[k].src);
    }
    sn->taken_ms = wall_ms();
    sn->ck_done = job->ck_done;
    sn->ck_failed = job->ck_failed;
    sn->ck_in_progress = job->ck_phase != CK_IDLE;
    sn->ck_last_id = job->ck_id;
    sn->state_bytes = job->ck_last_bytes;
    memcpy(sn->hist, job->ck_hist, sizeof sn->hist);
    sn->nhist = job->ck_nhist;
    pthread_mutex_unlock(&c->mu);
}

static void on_metrics_timer(uv_timer_t *t) { publish(t->data); }

/* A request from sl_job_ctl_request (loop thread). */
static void on_ctl(uv_async_t *h)
{
    sl_job_t *job = h->data;
    sl_job_ctl_t *c = job->ctl;
    pthread_mutex_lock(&c->mu);
    int req = c->request;
    c->request = SL_CTL_NONE;
    char *dir = req == SL_CTL_STOP_SAVEPOINT && c->savepoint_dir[0] ? strdup(c->savepoint_dir) : NULL;
    pthread_mutex_unlock(&c->mu);
    switch (req) {
    case SL_CTL_STOP_SAVEPOINT:
        if (!dir) {
            sl_err_t err;
            sl_err_set(&err, SL_ENOMEM, "out of memory");
            job_fail(job, &err);
            return;
        }
        free(job->savepoint_dir);
        job->savepoint_dir = dir;
        /* fall through */
    case SL_CTL_STOP:
        if (job->stopping) return;
        SL_LOG_INFO("stopping the job%s after flushing what was read",
                    job->savepoint_dir ? " with a savepoint" : "");
        job->stopping = true;
        stop_sources(job);
        uv_async_send(&job->async);
        return;
    case SL_CTL_CANCEL:
    case SL_CTL_SHUTDOWN:
        job->canceled = true;
        job->keep_checkpoints = req == SL_CTL_SHUTDOWN;
        stop_sources(job);
        uv_stop(&job->loop);
        return;
    case SL_CTL_CHECKPOINT: {
        const char *why = NULL;
        if (!job->sdir_open) why = "the job has no state directory";
        else if (job->ck_phase != CK_IDLE) why = "a checkpoint is being taken already";
        else if (job->failed || job->finished || job->finishing || job->stopping)
            why = "the job is ending";
        pthread_mutex_lock(&c->mu);
        if (why) snprintf(c->ckpt_error, sizeof c->ckpt_error, "%s", why);
        else {
            c->ckpt_error[0] = 0;
            c->ckpt_triggered = job->ck_id + 1;
        }
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        if (!why) ckpt_start(job, wall_ms());
        return;
    }
    default:
        return;
    }
}

/* ---- setup ---- */

static int emit_values(sl_job_t *job, sl_op_t *op, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    for (int r = 0; r < n->nrows; r++) {
        sl_value_t *row = sl_batch_add(&op->out, SL_INSERT);
        if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
        for (int c = 0; c < n->ncols; c++) {
            int rc = sl_batch_set(&op->out, &row[c], &n->rows[r * n->ncols + c],
                                  n->types[c]);
            if (rc) return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
        if (op->out.nrows >= SL_BATCH_DEFAULT_ROWS) {
            int rc = sl_op_emit(op, err);
            if (rc) return rc;
        }
    }
    (void)job;
    return sl_op_emit(op, err);
}

static int noop_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    return sl_op_forward(op, b, err);
}

static const sl_op_ops_t source_ops = {"Source", noop_push, NULL, NULL, NULL, NULL};

static int conn_ctx(sl_job_t *job, const sl_pnode_t *n, sl_conn_ctx_t *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->table = n->table->name;
    ctx->ncols = n->ncols;
    ctx->names = n->names;
    ctx->types = n->types;
    /* A scan's metadata columns follow its physical ones. */
    const sl_coldef_t *const *defs = (const sl_coldef_t *const *)n->table->defs;
    if (n->kind == SL_PN_SCAN && defs) {
        int nmeta = 0;
        for (int i = 0; i < n->ncols; i++) {
            const sl_coldef_t *d = defs[n->phys[i]];
            if (d && d->kind == SL_COL_METADATA) nmeta++;
        }
        if (nmeta) {
            const char **keys = sl_arena_alloc(&job->arena, (size_t)nmeta * sizeof *keys);
            if (!keys) return -SL_ENOMEM;
            int k = 0;
            for (int i = n->ncols - nmeta; i < n->ncols; i++) {
                const sl_coldef_t *d = defs[n->phys[i]];
                keys[k++] = d->meta_key ? d->meta_key : d->name.name;
            }
            ctx->ncols = n->ncols - nmeta;
            ctx->nmeta = nmeta;
            ctx->meta_keys = keys;
            ctx->meta_types = n->types + ctx->ncols;
        }
    }
    ctx->opts = &n->opts;
    ctx->job_name = job->plan->conf.job_name;
    ctx->arena = &job->arena;
    /* Primary key, as indexes of the physical columns. */
    const sl_table_t *t = n->table;
    if (t->npk) {
        int *pk = sl_arena_alloc(&job->arena, (size_t)t->npk * sizeof *pk);
        if (!pk) return -SL_ENOMEM;
        int k = 0;
        for (int i = 0; i < t->npk; i++) {
            int phys = 0;
            for (int j = 0; j < t->pk[i]; j++)
                if (!t->defs || !t->defs[j] || t->defs[j]->kind == SL_COL_PHYSICAL)
                    phys++;
            pk[k++] = phys;
        }
        ctx->pk = pk;
        ctx->npk = k;
    }
    return 0;
}

static int add_out(sl_job_t *job, sl_op_t *from, sl_op_t *to, int port)
{
    sl_op_out_t *v = sl_arena_alloc(&job->arena, (size_t)(from->nouts + 1) * sizeof *v);
    if (!v) return -SL_ENOMEM;
    if (from->nouts) memcpy(v, from->outs, (size_t)from->nouts * sizeof *v);
    v[from->nouts].op = to;
    v[from->nouts].port = port;
    from->outs = v;
    from->nouts++;
    return 0;
}

static int op_index(const sl_plan_t *plan, const sl_pnode_t *n)
{
    for (int i = 0; i < plan->nodes.n; i++)
        if (plan->nodes.items[i] == n) return i;
    return -1;
}

static void report(const sl_job_t *job)
{
    for (int i = 0; i < job->nops; i++) {
        const sl_op_t *op = &job->ops[i];
        if (!op->node) continue;
        fprintf(stderr, "  op %d %-16s rows in %10llu  out %10llu\n", op->node->id,
                op->ops ? op->ops->name : "?", (unsigned long long)op->rows_in,
                (unsigned long long)op->rows_out);
    }
}

/* --verbose: a source's progress (snapshot, position). */
static void report_source(const source_rt_t *s, const sl_source_metrics_t *m)
{
    fprintf(stderr,
            "  source %s: snapshot %s, %lld/%lld tables, %lld chunks (of about %lld), "
            "%lld rows (estimate %lld); position %s\n",
            s->op->node->table ? s->op->node->table->name : "?",
            m->snapshotting ? "running" : "not running", (long long)m->snapshot_tables_done,
            (long long)m->snapshot_tables, (long long)m->snapshot_chunks_done,
            (long long)m->snapshot_chunks_est, (long long)m->snapshot_rows,
            (long long)m->snapshot_rows_est, m->position[0] ? m->position : "-");
}

static int plan_text_of(const sl_plan_t *plan, sl_strbuf_t *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return -SL_ENOMEM;
    sl_plan_explain(f, plan);
    fclose(f);
    int rc = sl_strbuf_append(out, buf ? buf : "", len);
    free(buf);
    return rc;
}

/* The first line where two plans differ, for the incompatible-job error. */
static void plan_diff(const char *a, const char *b, int *line, char *la, char *lb, size_t cap)
{
    *line = 1;
    for (;;) {
        size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
        if (na != nb || memcmp(a, b, na) || (!a[na]) != (!b[nb])) {
            snprintf(la, cap, "%.*s", (int)na, a);
            snprintf(lb, cap, "%.*s", (int)nb, b);
            return;
        }
        if (!a[na]) break;
        a += na + 1;
        b += nb + 1;
        (*line)++;
    }
    la[0] = lb[0] = 0;
}

/* Locks the state directory, finds what to start from, opens the state
 * backend (restored when there is a checkpoint or savepoint). */
static int open_state(sl_job_t *job, sl_err_t *err)
{
    const sl_ckpt_conf_t *c = &job->plan->conf.ckpt;
    const sl_run_opts_t *o = job->opts;
    if (plan_text_of(job->plan, &job->plan_text)) return sl_err_set(err, SL_ENOMEM, "out of memory");
    job->plan_hash = sl_ckpt_hash(job->plan_text.buf, job->plan_text.len);
    const char *dir = o && o->state_dir ? o->state_dir : c->dir;
    int rc;
    if (dir) {
        if ((rc = sl_state_dir_open(dir, &job->sdir, err))) return rc;
        job->sdir_open = true;
        if (o && o->fresh) {
            if ((rc = sl_state_dir_clear(&job->sdir, err))) return rc;
            SL_LOG_INFO("--fresh: the checkpoints in %s are discarded", dir);
        }
    }
    char from[4300] = "";
    if (job->sdir_open) job->ck_id = sl_state_dir_latest(&job->sdir);
    if (o && o->from_savepoint) snprintf(from, sizeof from, "%s", o->from_savepoint);
    else if (job->ck_id) ckpt_path(job, job->ck_id, false, from, sizeof from);
    if (from[0]) {
        if ((rc = sl_ckpt_meta_read(from, &job->restored, err))) return rc;
        job->has_restored = true;
        if (job->restored.plan_hash != job->plan_hash) {
            int line;
            char la[512], lb[512];
            plan_diff(job->restored.plan.buf ? job->restored.plan.buf : "", job->plan_text.buf,
                      &line, la, lb, sizeof la);
            return sl_err_set(err, SL_EINVAL,
                              "%s was taken by a different job: its operator plan differs at "
                              "line %d (was: '%s'; now: '%s'). Run the job it was made with, or "
                              "start again with --fresh (discarding its state)",
                              from, line, la, lb);
        }
        if (job->restored.backend != c->backend)
            return sl_err_set(err, SL_EINVAL,
                              "%s holds %s state, the job is configured with state.backend "
                              "'%s'; set state.backend to '%s' (state is not converted "
                              "between backends)",
                              from, job->restored.backend == SL_BACKEND_ROCKSDB ? "rocksdb" : "hashmap",
                              c->backend == SL_BACKEND_ROCKSDB ? "rocksdb" : "hashmap",
                              job->restored.backend == SL_BACKEND_ROCKSDB ? "rocksdb" : "hashmap");
        SL_LOG_INFO("restoring the job from %s", from);
    }
    char st[4400];
    snprintf(st, sizeof st, "%s/state", from);
    if (c->backend == SL_BACKEND_ROCKSDB) {
        if (job->sdir_open) {
            job->workdir = malloc(strlen(job->sdir.path) + 8);
            if (job->workdir) sprintf(job->workdir, "%s/work", job->sdir.path);
        } else {
            const char *t = getenv("TMPDIR");
            job->workdir = malloc(strlen(t && *t ? t : "/tmp") + 32);
            if (job->workdir) {
                sprintf(job->workdir, "%s/sluice-rocksdb-XXXXXX", t && *t ? t : "/tmp");
                if (!mkdtemp(job->workdir))
                    return sl_err_set(err, SL_EIO, "cannot create %s: %s", job->workdir,
                                      strerror(errno));
                job->workdir_temp = true;
            }
        }
        if (!job->workdir) return sl_err_set(err, SL_ENOMEM, "out of memory");
        sl_rocksdb_conf_t rconf;
        sl_rocksdb_conf_init(&rconf);
        rconf.block_cache_bytes = c->rocks_block_cache;
        rconf.write_buffer_bytes = c->rocks_write_buffer;
        rconf.write_buffer_count = (int)c->rocks_write_buffers;
        rconf.block_size = c->rocks_block_size;
        rconf.background_threads = (int)c->rocks_threads;
        rconf.incremental = c->incremental;
        rc = sl_state_rocksdb_open(job->workdir, from[0] ? st : NULL, &rconf, &job->state, err);
        if (rc) return rc;
    } else if (from[0]) {
        if ((rc = sl_state_memory_restore(st, &job->state, err))) return rc;
    } else {
        job->state = sl_state_memory_new();
        if (!job->state) return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    if (c->interval_ms > 0 && !job->sdir_open)
        SL_LOG_WARN("execution.checkpointing.interval is set but there is no state directory "
                    "(--state-dir or state.checkpoints.dir): no checkpoints are taken");
    return 0;
}

int sl_job_run(const sl_plan_t *plan, const sl_run_opts_t *opts, sl_job_stats_t *stats,
               sl_err_t *err)
{
    bool verbose = opts && opts->verbose;
    sl_job_t *job = calloc(1, sizeof *job);
    if (!job) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int rc = 0;
    job->plan = plan;
    job->opts = opts;
    job->ctl = opts ? opts->ctl : NULL;
    if (opts && opts->savepoint_on_stop && !(job->savepoint_dir = strdup(opts->savepoint_on_stop))) {
        free(job);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    job->sdir.lock_fd = -1;
    sl_arena_init(&job->arena, 0);
    sl_err_clear(&job->err);
    job->nops = plan->nodes.n;
    job->ops = calloc((size_t)job->nops, sizeof *job->ops);
    job->sinks = calloc((size_t)(plan->sinks.n + 1), sizeof *job->sinks);
    job->sources = calloc((size_t)job->nops, sizeof *job->sources);
    job->ck_marks = calloc((size_t)(plan->sinks.n + 1), sizeof *job->ck_marks);
    bool loop_ok = false;
    if (!job->ops || !job->sinks || !job->sources || !job->ck_marks) {
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = open_state(job, err))) {
        job->setup_failed = true;
        goto done;
    }
    if (uv_loop_init(&job->loop)) {
        rc = sl_err_set(err, SL_EINTERNAL, "cannot create the event loop");
        goto done;
    }
    loop_ok = true;
    job->now_ms = wall_ms();
    sl_state_set_time(job->state, job->now_ms);

    /* Operators, in plan order (inputs first). */
    int nsink = 0;
    for (int i = 0; i < job->nops && !rc; i++) {
        sl_op_t *op = &job->ops[i];
        const sl_pnode_t *n = plan->nodes.items[i];
        op->node = n;
        op->job = job;
        if (sl_batch_init(&op->out, n->ncols, 0)) {
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
            break;
        }
        switch (n->kind) {
        case SL_PN_SCAN:
        case SL_PN_VALUES:
            op->ops = &source_ops;
            break;
        case SL_PN_CALC: rc = sl_op_calc_init(op, err); break;
        case SL_PN_AGG: rc = sl_op_agg_init(op, err); break;
        case SL_PN_JOIN: rc = sl_op_join_init(op, err); break;
        case SL_PN_UNION: rc = sl_op_union_init(op, err); break;
        case SL_PN_MATERIALIZE: rc = sl_op_materialize_init(op, err); break;
        case SL_PN_LOOKUP: rc = sl_op_lookup_init(op, err); break;
        case SL_PN_SINK: {
            sl_conn_ctx_t ctx;
            sl_sink_t *snk = &job->sinks[nsink++];
            if (conn_ctx(job, n, &ctx)) {
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
                break;
            }
            ctx.wakeup = job_wakeup_cb;
            ctx.wakeup_arg = job;
            ctx.loop = &job->loop;
            rc = n->conn->sink_new(&ctx, snk, err);
            if (!rc) rc = sl_op_sink_init(op, snk, err);
            break;
        }
        }
        if (!rc && op->ops && op->ops->resume) job->has_resume = true;
        /* Wire inputs to this operator. */
        for (int k = 0; !rc && k < n->ninputs; k++) {
            int j = op_index(plan, n->inputs[k]);
            if (j < 0 || j >= i) {
                rc = sl_err_set(err, SL_EINTERNAL, "plan is not in order");
                break;
            }
            if (add_out(job, &job->ops[j], op, k))
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    }
    if (rc) goto done;

    uv_async_init(&job->loop, &job->async, on_async);
    job->async.data = job;
    if (!opts || !opts->no_signals) {
        uv_signal_init(&job->loop, &job->sigint);
        uv_signal_init(&job->loop, &job->sigterm);
        job->sigint.data = job->sigterm.data = job;
        uv_signal_start(&job->sigint, on_signal, SIGINT);
        uv_signal_start(&job->sigterm, on_signal, SIGTERM);
    }
    if (job->ctl) {
        uv_async_init(&job->loop, &job->ctl_async, on_ctl);
        job->ctl_async.data = job;
        job->ctl_on = true;
        uv_timer_init(&job->loop, &job->metrics_timer);
        job->metrics_timer.data = job;
        uv_timer_start(&job->metrics_timer, on_metrics_timer, 1000, 1000);
        job->metrics_on = true;
        pthread_mutex_lock(&job->ctl->mu);
        job->ctl->running = job;
        if (job->ctl->request != SL_CTL_NONE) uv_async_send(&job->ctl_async);
        pthread_mutex_unlock(&job->ctl->mu);
    }
    if (plan->conf.minibatch && plan->conf.minibatch_latency_ms > 0) {
        uv_timer_init(&job->loop, &job->timer);
        job->timer.data = job;
        uv_timer_start(&job->timer, on_timer, (uint64_t)plan->conf.minibatch_latency_ms,
                       (uint64_t)plan->conf.minibatch_latency_ms);
        job->timer_on = true;
    }

    if (job->ntables) {
        uv_timer_init(&job->loop, &job->ttl_timer);
        job->ttl_timer.data = job;
        uv_timer_start(&job->ttl_timer, on_ttl, 1000, 1000);
        job->ttl_on = true;
    }

    if (job->sdir_open && plan->conf.ckpt.interval_ms > 0) {
        int64_t iv = plan->conf.ckpt.interval_ms;
        uv_timer_init(&job->loop, &job->ckpt_timer);
        job->ckpt_timer.data = job;
        uv_timer_start(&job->ckpt_timer, on_ckpt_timer, (uint64_t)(iv < 200 ? iv : 200),
                       (uint64_t)(iv < 200 ? iv : 200));
        job->ckpt_timer_on = true;
        job->ck_last_done = wall_ms();
    }

    /* Literal rows first, then the source threads. A restored job's state
     * holds the literal rows already: they went in before any checkpoint. */
    for (int i = 0; i < job->nops && !rc && !job->has_restored; i++)
        if (job->ops[i].node->kind == SL_PN_VALUES) {
            rc = step_begin(job, err);
            if (!rc) rc = step_end(job, emit_values(job, &job->ops[i], err), err);
        }
    for (int i = 0; i < job->nops && !rc; i++) {
        const sl_pnode_t *n = job->ops[i].node;
        if (n->kind != SL_PN_SCAN) continue;
        source_rt_t *s = &job->sources[job->nsources];
        s->job = job;
        s->op = &job->ops[i];
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->cv, NULL);
        for (int k = 0; k < QUEUE_SLOTS; k++)
            if (sl_batch_init(&s->pool[k], n->ncols, SOURCE_BATCH_ROWS))
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        job->nsources++;
        if (rc) break;
        sl_conn_ctx_t ctx;
        if (conn_ctx(job, n, &ctx)) {
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
            break;
        }
        int si = job->nsources - 1;
        const sl_strbuf_t *rp = job->has_restored && si < job->restored.nsources
                                    ? &job->restored.sources[si] : NULL;
        bool was_done = rp && rp->len == strlen(POS_DONE) && !memcmp(rp->buf, POS_DONE, rp->len);
        if (rp && rp->len == strlen(POS_PARTIAL) && !memcmp(rp->buf, POS_PARTIAL, rp->len)) {
            rc = sl_err_set(err, SL_EINVAL,
                            "source '%s' (connector '%s') cannot resume in the middle, and it was "
                            "being read when the checkpoint was taken; start again with --fresh",
                            n->table ? n->table->name : "?", n->conn->name);
            job->setup_failed = true;
            break;
        }
        if (was_done) {
            /* Read to its end before the checkpoint: its rows are in the
             * state; it is not read again. */
            if (sl_strbuf_append(&s->last_pos, POS_DONE, strlen(POS_DONE))) {
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
                break;
            }
        } else if (rp && rp->len) {
            ctx.restore = job->restored.sources[si].buf;
            ctx.restore_len = job->restored.sources[si].len;
            /* Until its first batch is consumed the source is where it
             * resumes: a checkpoint taken before then must say so, for
             * the restored state holds what came before. */
            if (sl_strbuf_append(&s->last_pos, ctx.restore, ctx.restore_len)) {
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
                break;
            }
        } else if (job->has_restored) {
            SL_LOG_WARN("source '%s' has no position in the checkpoint: it reads from its "
                        "start again",
                        n->table ? n->table->name : "?");
        }
        if ((rc = n->conn->source_new(&ctx, &s->src, err))) break;
        if (job->sdir_open && !s->src.ops->position && !s->src.bounded)
            SL_LOG_WARN("source '%s' (connector '%s') cannot resume from a checkpoint: after a "
                        "restart it reads from its start",
                        n->table ? n->table->name : "?", n->conn->name);
        if (was_done) {
            s->ended = s->drained = true;
            continue;
        }
        if (pthread_create(&s->thread, NULL, source_main, s)) {
            rc = sl_err_set(err, SL_EINTERNAL, "cannot start a source thread");
            break;
        }
        s->started = true;
    }
    if (rc) goto done;
    if (job->nsources == 0) finish(job); /* literal rows only */
    else uv_async_send(&job->async);
    /* Unless that finished it, the loop runs until the job stops (a sink
     * still writing keeps a VALUES-only job going too). */
    if (!job->finished && !job->failed) uv_run(&job->loop, UV_RUN_DEFAULT);
    if (job->failed) {
        *err = job->err;
        rc = -(job->err.code ? job->err.code : SL_EINTERNAL);
    }

done:
    if (job->ctl) {
        publish(job);
        pthread_mutex_lock(&job->ctl->mu);
        job->ctl->running = NULL; /* no more uv_async_send to ctl_async */
        pthread_cond_broadcast(&job->ctl->cv);
        pthread_mutex_unlock(&job->ctl->mu);
    }
    if (job->sources) {
        stop_sources(job);
        for (int i = 0; i < job->nsources; i++) {
            source_rt_t *s = &job->sources[i];
            if (s->started) pthread_join(s->thread, NULL);
            /* The last word of each source, before it goes. */
            if (verbose && s->src.ops && s->src.ops->metrics && s->src.ctx) {
                sl_source_metrics_t m;
                memset(&m, 0, sizeof m);
                s->src.ops->metrics(&s->src, &m);
                report_source(s, &m);
            }
            if (s->src.ops && s->src.ops->close) s->src.ops->close(&s->src);
            for (int k = 0; k < QUEUE_SLOTS; k++) {
                sl_batch_destroy(&s->pool[k]);
                sl_strbuf_destroy(&s->pos[k]);
            }
            sl_strbuf_destroy(&s->last_pos);
            sl_strbuf_destroy(&s->idle_pos);
            sl_strbuf_destroy(&s->idle_scratch);
            pthread_mutex_destroy(&s->mu);
            pthread_cond_destroy(&s->cv);
        }
    }
    if (verbose && job->ops) report(job);
    if (verbose && job->sinks)
        for (int i = 0; i < plan->sinks.n; i++)
            if (job->sinks[i].ops && job->sinks[i].ops->stats && job->sinks[i].ctx) {
                char line[512];
                job->sinks[i].ops->stats(&job->sinks[i], line, sizeof line);
                fprintf(stderr, "  sink %s\n", line);
            }
    if (verbose && (job->ck_done || job->ck_failed))
        fprintf(stderr,
                "  checkpoints: %lld complete, %lld failed; last %lld ms, longest synchronous "
                "part %lld ms, longest pause of the sources %lld ms\n",
                (long long)job->ck_done, (long long)job->ck_failed, (long long)job->ck_last_ms,
                (long long)job->ck_max_sync_ms, (long long)job->ck_max_pause_ms);
    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->stopped = job->stopping;
        stats->canceled = job->canceled;
        stats->restored = job->has_restored;
        stats->setup_failed = job->setup_failed;
        stats->checkpoints = job->ck_done;
        stats->checkpoints_failed = job->ck_failed;
    }
    if (stats && job->ops) {
        for (int i = 0; i < job->nops; i++) {
            const sl_op_t *op = &job->ops[i];
            if (!op->node) continue;
            if (op->node->kind == SL_PN_SCAN) stats->rows_in += op->rows_in;
            if (op->node->kind == SL_PN_SINK) stats->rows_out += op->rows_in;
        }
    }
    if (job->ops) {
        for (int i = 0; i < job->nops; i++) {
            sl_op_t *op = &job->ops[i];
            if (op->ops && op->ops->close) op->ops->close(op);
            sl_batch_destroy(&op->out);
        }
    }
    if (job->sinks)
        for (int i = 0; i < plan->sinks.n; i++)
            if (job->sinks[i].ops && job->sinks[i].ops->close)
                job->sinks[i].ops->close(&job->sinks[i]);
    if (loop_ok) {
        if (job->async.loop)
            uv_close((uv_handle_t *)&job->async, NULL);
        if (job->sigint.loop) uv_close((uv_handle_t *)&job->sigint, NULL);
        if (job->sigterm.loop) uv_close((uv_handle_t *)&job->sigterm, NULL);
        if (job->timer_on) uv_close((uv_handle_t *)&job->timer, NULL);
        if (job->ttl_on) uv_close((uv_handle_t *)&job->ttl_timer, NULL);
        if (job->ckpt_timer_on) uv_close((uv_handle_t *)&job->ckpt_timer, NULL);
        if (job->ctl_on) uv_close((uv_handle_t *)&job->ctl_async, NULL);
        if (job->metrics_on) uv_close((uv_handle_t *)&job->metrics_timer, NULL);
        uv_run(&job->loop, UV_RUN_DEFAULT);
        uv_loop_close(&job->loop);
    }
    if (job->state) sl_state_free(job->state);
    if (job->sdir_open) {
        if (job->ck_phase != CK_IDLE) {
            char p[4300];
            ckpt_path(job, job->ck_id, true, p, sizeof p);
            sl_rmtree(p);
        }
        /* A cancelled job (stopped by a signal) drops its checkpoints
         * unless they are to be retained. */
        if (((job->stopping && !job->failed) || (job->canceled && !job->keep_checkpoints)) &&
            !plan->conf.ckpt.retain)
            sl_state_dir_clear(&job->sdir, NULL);
        sl_state_dir_close(&job->sdir);
    }
    if (job->workdir_temp) sl_rmtree(job->workdir);
    free(job->workdir);
    free(job->savepoint_dir);
    sl_ckpt_meta_free(&job->ck_meta);
    if (job->has_restored) sl_ckpt_meta_free(&job->restored);
    sl_strbuf_destroy(&job->plan_text);
    free(job->ck_marks);
    free(job->ops);
    free(job->sinks);
    free(job->sources);
    free(job->tables);
    sl_arena_destroy(&job->arena);
    free(job);
    return rc;
}

/* ---- restarts ---- */

static int64_t mono_ms(void) { return (int64_t)(mono_ns() / 1000000u); }

/* Waits delay_ms, or less when a stop request arrives. True when one did. */
static bool restart_wait(sl_job_ctl_t *ctl, int64_t delay_ms)
{
    if (!ctl) {
        struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) && errno == EINTR) {
        }
        return false;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += delay_ms / 1000;
    until.tv_nsec += (long)(delay_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&ctl->mu);
    while (!ctl->stop_requested)
        if (pthread_cond_timedwait(&ctl->cv, &ctl->mu, &until)) break;
    bool stop = ctl->stop_requested;
    pthread_mutex_unlock(&ctl->mu);
    return stop;
}

int sl_job_run_restarting(const sl_plan_t *plan, sl_run_opts_t *o, sl_job_stats_t *stats,
                          sl_err_t *err)
{
    const sl_ckpt_conf_t *c = &plan->conf.ckpt;
    int strat = c->restart;
    if (strat == SL_RESTART_DEFAULT)
        strat = c->interval_ms > 0 ? SL_RESTART_EXPONENTIAL : SL_RESTART_NONE;
    int64_t attempts = 0;
    double backoff = (double)c->exp_initial_ms;
    int64_t *fails = NULL; /* failure times, failure-rate */
    int nfails = 0;
    int rc;
    for (;;) {
        int64_t started = mono_ms();
        rc = sl_job_run(plan, o, stats, err);
        stats->restarts = attempts;
        if (!rc || stats->stopped || stats->setup_failed || stats->canceled) break;
        if (o->ctl) {
            pthread_mutex_lock(&o->ctl->mu);
            bool stop = o->ctl->stop_requested;
            pthread_mutex_unlock(&o->ctl->mu);
            if (stop) break;
        }
        int64_t now = mono_ms(), delay = 0;
        bool again = false;
        const char *name = "none";
        switch (strat) {
        case SL_RESTART_FIXED_DELAY:
            name = "fixed-delay";
            again = attempts < c->fd_attempts;
            delay = c->fd_delay_ms;
            break;
        case SL_RESTART_FAILURE_RATE: {
            name = "failure-rate";
            int64_t *nf = realloc(fails, (size_t)(nfails + 1) * sizeof *nf);
            if (!nf) break;
            fails = nf;
            fails[nfails++] = now;
            int recent = 0;
            for (int i = 0; i < nfails; i++) recent += now - fails[i] <= c->fr_interval_ms;
            again = recent <= c->fr_max;
            delay = c->fr_delay_ms;
            break;
        }
        case SL_RESTART_EXPONENTIAL:
            name = "exponential-delay";
            if (now - started >= c->exp_reset_ms) backoff = (double)c->exp_initial_ms;
            again = true;
            delay = (int64_t)backoff;
            if (c->exp_jitter > 0)
                delay += (int64_t)(backoff * c->exp_jitter * ((double)(rand() % 2001) / 1000.0 - 1.0));
            if (delay < 0) delay = 0;
            backoff *= c->exp_multiplier > 1 ? c->exp_multiplier : 1;
            if (backoff > (double)c->exp_max_ms) backoff = (double)c->exp_max_ms;
            break;
        default:
            break;
        }
        if (!again) {
            if (strat != SL_RESTART_NONE && attempts)
                SL_LOG_ERROR("restart-strategy %s gives up after %lld restarts", name,
                             (long long)attempts);
            break;
        }
        attempts++;
        SL_LOG_WARN("the job failed: %s; restart %lld (restart-strategy %s) in %lld ms, from "
                    "the last checkpoint",
                    err->msg, (long long)attempts, name, (long long)delay);
        /* Later runs start from the state directory's checkpoints. */
        o->fresh = false;
        o->from_savepoint = NULL;
        if (restart_wait(o->ctl, delay)) {
            stats->canceled = true;
            break;
        }
        sl_err_clear(err);
    }
    stats->restarts = attempts;
    free(fails);
    return rc;
}
