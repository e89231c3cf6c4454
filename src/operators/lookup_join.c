/* lookup_join.c - JOIN dim FOR SYSTEM_TIME AS OF t.proctime ON t.k = dim.k:
 * each input row is joined with the dimension rows its key finds at the
 * time it is processed (Flink's lookup join), INNER or LEFT.
 *
 * The loop never blocks: the connector's query() runs on this operator's
 * worker thread. Input batches are copied into a queue and handled in
 * order; for the batch at the head, the keys that the cache does not
 * answer are fetched together in one query (the connector makes one
 * `IN (...)` / `= ANY(...)` statement of them), and when the answer comes
 * back (sl_job_wakeup -> resume) the whole batch is joined in input order.
 * So output order is input order, and one round trip serves a batch.
 *
 * Cache (the connector's options, as Flink's): lookup.cache = PARTIAL with
 * lookup.partial-cache.max-rows / expire-after-write / expire-after-access
 * / cache-missing-key, or the legacy lookup.cache.max-rows / .ttl /
 * .caching-missing-key. Entries are keys (with their rows), evicted least
 * recently used beyond max-rows, so memory is bounded. Without a cache
 * every batch queries its keys.
 *
 * Changelog input: a retraction (-U/-D) retracts exactly the rows that
 * were emitted for that input row, whatever the dimension holds now:
 * state (keyed by the whole input row) keeps, per arrival, the dimension
 * rows joined to it; a retraction takes the oldest arrival's. Insert-only
 * input needs no state. A LEFT join with no match emits the row with NULLs
 * (and retracts it the same way).
 *
 * Memory: everything belongs to the lookup_t (ctx), freed by close after
 * the worker has stopped; cache entries each own one arena.
 */
#include "exec/op.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "state/codec.h"
#include "util/hashmap.h"
#include "util/strbuf.h"

#define QUEUE_FULL 8                   /* batches held before backpressure */

typedef struct centry {
    struct centry *prev, *next;        /* LRU list, most recent first */
    void *key;
    size_t klen;
    int nrows;
    sl_value_t *rows;                  /* nrows * nd */
    int64_t written, accessed;         /* ms */
    sl_arena_t arena;                  /* key, rows and their strings */
} centry_t;

enum { NO_REQ = -1, UNSENT = -2 };

struct lookup;

/* One query in flight: the keys, the worker that runs it, the answer
 * indexed by key (key -> first row, chained). */
typedef struct req {
    struct lookup *l;
    sl_lookup_t lk;
    bool lk_ok;
    pthread_t th;
    bool th_started;
    bool busy;                         /* owned by a queued batch */
    bool ready, done;                  /* under l->mu */
    sl_value_t *keys;
    int n, cap;
    sl_arena_t keys_arena;
    sl_batch_t res;
    int rc;
    sl_err_t err;
    sl_hmap_t resmap;
    int *resnext;
    int rescap;
    sl_arena_t res_arena;
    sl_hmap_t asked;                   /* the keys sent (in keys_arena) */
} req_t;

typedef struct lookup {
    sl_op_t *op;
    int nl, nd, nk;                    /* left columns, dimension columns, keys */
    const int *lkeys, *rkeys;
    const sl_type_t **ltypes, **dtypes;
    const sl_rex_t *cond;
    bool left;                         /* LEFT join */
    bool retract;                      /* input may retract: keep state */
    sl_kv_t *state;
    /* the connector's queries, on worker threads (a connection each) */
    struct req *reqs;
    int nreq;
    pthread_mutex_t mu;                /* guards every req's ready/done */
    pthread_cond_t cv;
    bool stop;
    /* input queue (owned copies), each batch with its request: an index
     * into reqs, NO_REQ when the cache answers it, UNSENT before */
    sl_batch_t *queue;
    int *qreq;
    int qhead, qn, qcap;
    /* cache */
    int64_t max_rows;                  /* 0: no cache */
    int64_t ttl_write, ttl_access;     /* ms, 0: none */
    bool cache_missing;
    sl_hmap_t cache;
    centry_t *lru_first, *lru_last;
    int64_t ncached;
    /* scratch */
    sl_strbuf_t kb, vb, sb;
    sl_value_t *joined;                /* nl + nd */
    sl_value_t *nulls;                 /* nd NULLs */
    sl_arena_t scratch;
    sl_arena_t conn_arena;             /* the connector context */
    const char **dnames;
} lookup_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* ---- worker ---- */

static void *worker_main(void *arg)
{
    req_t *r = arg;
    struct lookup *l = r->l;
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (!r->ready && !l->stop) pthread_cond_wait(&l->cv, &l->mu);
        if (l->stop) break;
        r->ready = false;
        pthread_mutex_unlock(&l->mu);
        sl_err_t err;
        sl_err_clear(&err);
        sl_batch_reset(&r->res);
        int rc = r->lk.ops->query(&r->lk, r->keys, r->n, &r->res, &err);
        pthread_mutex_lock(&l->mu);
        r->rc = rc;
        r->err = err;
        r->done = true;
        sl_job_wakeup(l->op->job);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* ---- keys ---- */

/* The lookup key of input row r into l->kb; false when a key column is
 * NULL (it matches nothing). */
static bool left_key(lookup_t *l, const sl_value_t *r, int *rc, sl_err_t *err)
{
    sl_strbuf_clear(&l->kb);
    for (int k = 0; k < l->nk; k++) {
        const sl_value_t *v = &r[l->lkeys[k]];
        if (v->null) return false;
        if (sl_key_encode(&l->kb, v, l->dtypes[l->rkeys[k]])) {
            *rc = oom(err);
            return false;
        }
    }
    return true;
}

static int dim_key(lookup_t *l, const sl_value_t *d, sl_strbuf_t *sb)
{
    sl_strbuf_clear(sb);
    for (int k = 0; k < l->nk; k++) {
        const sl_value_t *v = &d[l->rkeys[k]];
        if (v->null) return 1;
        if (sl_key_encode(sb, v, l->dtypes[l->rkeys[k]])) return -1;
    }
    return 0;
}

/* ---- cache ---- */

static void lru_unlink(lookup_t *l, centry_t *e)
{
    if (e->prev) e->prev->next = e->next;
    else l->lru_first = e->next;
    if (e->next) e->next->prev = e->prev;
    else l->lru_last = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(lookup_t *l, centry_t *e)
{
    e->next = l->lru_first;
    e->prev = NULL;
    if (l->lru_first) l->lru_first->prev = e;
    l->lru_first = e;
    if (!l->lru_last) l->lru_last = e;
}

static void centry_drop(lookup_t *l, centry_t *e)
{
    sl_hmap_del(&l->cache, e->key, e->klen);
    lru_unlink(l, e);
    sl_arena_destroy(&e->arena);
    free(e);
    l->ncached--;
}

/* A valid cache entry of the key in l->kb, or NULL. */
static centry_t *cache_get(lookup_t *l, int64_t now)
{
    if (!l->max_rows) return NULL;
    centry_t *e = sl_hmap_get(&l->cache, l->kb.buf, l->kb.len);
    if (!e) return NULL;
    if ((l->ttl_write && now - e->written >= l->ttl_write) ||
        (l->ttl_access && now - e->accessed >= l->ttl_access)) {
        centry_drop(l, e);
        return NULL;
    }
    e->accessed = now;
    lru_unlink(l, e);
    lru_front(l, e);
    return e;
}

/* Caches the rows of the answer for the key in l->kb (rows chained from
 * first in the answer). */
static int cache_put(lookup_t *l, const req_t *rq, int first, int64_t now, sl_err_t *err)
{
    if (!l->max_rows) return 0;
    if (first < 0 && !l->cache_missing) return 0;
    centry_t *e = sl_hmap_get(&l->cache, l->kb.buf, l->kb.len);
    if (e) centry_drop(l, e);
    e = calloc(1, sizeof *e);
    if (!e) return oom(err);
    sl_arena_init(&e->arena, 256);
    int n = 0;
    for (int r = first; r >= 0; r = rq->resnext[r]) n++;
    e->key = sl_arena_memdup(&e->arena, l->kb.buf, l->kb.len);
    e->klen = l->kb.len;
    e->rows = sl_arena_alloc(&e->arena, (size_t)(n ? n : 1) * (size_t)l->nd * sizeof *e->rows);
    if (!e->key || !e->rows) goto fail;
    int k = 0;
    for (int r = first; r >= 0; r = rq->resnext[r], k++) {
        const sl_value_t *src = sl_batch_row(&rq->res, r);
        for (int c = 0; c < l->nd; c++)
            if (sl_value_copy(&e->rows[k * l->nd + c], &src[c], l->dtypes[c], &e->arena))
                goto fail;
    }
    e->nrows = n;
    e->written = e->accessed = now;
    if (sl_hmap_put(&l->cache, e->key, e->klen, e)) goto fail;
    lru_front(l, e);
    l->ncached++;
    while (l->ncached > l->max_rows && l->lru_last) centry_drop(l, l->lru_last);
    return 0;
fail:
    sl_arena_destroy(&e->arena);
    free(e);
    return oom(err);
}

/* ---- joining ---- */

static int emit_joined(lookup_t *l, int kind, const sl_value_t *left, const sl_value_t *dim,
                       sl_err_t *err)
{
    sl_op_t *op = l->op;
    sl_value_t *o = sl_batch_add(&op->out, kind);
    if (!o) return oom(err);
    for (int c = 0; c < l->nl; c++)
        if (sl_batch_set(&op->out, &o[c], &left[c], l->ltypes[c])) return oom(err);
    for (int c = 0; c < l->nd; c++)
        if (sl_batch_set(&op->out, &o[l->nl + c], dim ? &dim[c] : &l->nulls[c], l->dtypes[c]))
            return oom(err);
    return sl_op_maybe_emit(op, err);
}

/* Does the residual condition hold for left ++ dim? */
static int cond_holds(lookup_t *l, const sl_value_t *left, const sl_value_t *dim, sl_err_t *err)
{
    if (!l->cond) return 1;
    memcpy(l->joined, left, (size_t)l->nl * sizeof *left);
    memcpy(l->joined + l->nl, dim, (size_t)l->nd * sizeof *dim);
    sl_eval_ctx_t ec = {.arena = &l->scratch, .now_ms = sl_job_now(l->op->job)};
    return sl_rex_test(l->cond, l->joined, &ec, err);
}

/* The state key of an input row: its values, except processing-time
 * attributes (a retraction carries the time it is processed, not the
 * time of the row it retracts). */
static int state_key(lookup_t *l, const sl_value_t *row)
{
    sl_strbuf_clear(&l->kb);
    for (int c = 0; c < l->nl; c++) {
        if (l->ltypes[c]->time_attr == SL_TA_PROCTIME) continue;
        if (sl_key_encode(&l->kb, &row[c], l->ltypes[c])) return -1;
    }
    return l->kb.buf || !sl_strbuf_reserve(&l->kb, 1) ? 0 : -1;
}

/* Little-endian u32 at p. */
static void set_u32(void *p, uint32_t v)
{
    unsigned char *b = p;
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}

static int put_u32(sl_strbuf_t *sb, uint32_t v)
{
    unsigned char b[4];
    set_u32(b, v);
    return sl_strbuf_append(sb, b, 4);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An addition (+I/+U): the matching rows, then remember them for a later
 * retraction of this row. */
static int join_add(lookup_t *l, int kind, const sl_value_t *row, const sl_value_t *rows,
                    int nrows, sl_err_t *err)
{
    int rc = 0, emitted = 0;
    sl_strbuf_clear(&l->vb);
    if (l->retract && put_u32(&l->vb, 0)) return oom(err); /* count, set below */
    for (int i = 0; i < nrows && !rc; i++) {
        const sl_value_t *d = &rows[(size_t)i * (size_t)l->nd];
        int ok = cond_holds(l, row, d, err);
        if (ok < 0) return ok;
        if (!ok) continue;
        rc = emit_joined(l, kind, row, d, err);
        emitted++;
        if (!rc && l->retract) {
            size_t at = l->vb.len;
            if (put_u32(&l->vb, 0) || sl_row_encode(&l->vb, d, l->dtypes, l->nd)) rc = oom(err);
            else set_u32(l->vb.buf + at, (uint32_t)(l->vb.len - at - 4));
        }
    }
    if (rc) return rc;
    if (!emitted && l->left) rc = emit_joined(l, kind, row, NULL, err);
    if (rc || !l->retract) return rc;
    /* State: key = the input row; value = arrivals, each
     * [u32 bytes][u32 rows][rows: u32 len + encoded]. */
    set_u32(l->vb.buf, (uint32_t)emitted);
    if (state_key(l, row)) return oom(err);
    const void *old;
    size_t olen = 0;
    sl_strbuf_clear(&l->sb);
    if (sl_kv_get(l->state, l->kb.buf, l->kb.len, &old, &olen) == 0 &&
        sl_strbuf_append(&l->sb, old, olen))
        return oom(err);
    if (put_u32(&l->sb, (uint32_t)l->vb.len) || sl_strbuf_append(&l->sb, l->vb.buf, l->vb.len) ||
        sl_kv_put(l->state, l->kb.buf, l->kb.len, l->sb.buf, l->sb.len))
        return oom(err);
    return 0;
}

/* A retraction (-U/-D): what was emitted for the oldest arrival of this
 * row, retracted. */
static int join_retract(lookup_t *l, int kind, const sl_value_t *row, sl_err_t *err)
{
    if (state_key(l, row)) return oom(err);
    const void *v;
    size_t vlen;
    if (sl_kv_get(l->state, l->kb.buf, l->kb.len, &v, &vlen) != 0 || vlen < 8)
        return 0; /* never joined (e.g. state expired): nothing to retract */
    const unsigned char *p = v;
    uint32_t bytes = get_u32(p);
    if (bytes + 4 > vlen) return sl_err_set(err, SL_EINTERNAL, "corrupt lookup join state");
    const unsigned char *a = p + 4;
    uint32_t n = get_u32(a);
    size_t pos = 4;
    int rc = 0;
    if (n == 0 && l->left) rc = emit_joined(l, kind, row, NULL, err);
    sl_value_t *d = l->joined + l->nl;
    for (uint32_t i = 0; i < n && !rc; i++) {
        if (pos + 4 > bytes) return sl_err_set(err, SL_EINTERNAL, "corrupt lookup join state");
        uint32_t len = get_u32(a + pos);
        pos += 4;
        if (pos + len > bytes ||
            sl_row_decode(a + pos, len, d, l->dtypes, l->nd, &l->scratch))
            return sl_err_set(err, SL_EINTERNAL, "corrupt lookup join state");
        pos += len;
        rc = emit_joined(l, kind, row, d, err);
    }
    if (rc) return rc;
    /* Drop that arrival. */
    if (4 + bytes >= vlen) {
        sl_kv_del(l->state, l->kb.buf, l->kb.len);
        return 0;
    }
    sl_strbuf_clear(&l->sb);
    if (sl_strbuf_append(&l->sb, p + 4 + bytes, vlen - 4 - bytes) ||
        sl_kv_put(l->state, l->kb.buf, l->kb.len, l->sb.buf, l->sb.len))
        return oom(err);
    return 0;
}

/* The rows of the key in l->kb: a valid cache entry, else the answer of
 * the batch's request. false when neither knows the key. */
static bool resolve(lookup_t *l, const req_t *rq, int64_t now, const sl_value_t **rows, int *nrows,
                    int *rc, sl_err_t *err)
{
    *rows = NULL;
    *nrows = 0;
    centry_t *e = cache_get(l, now);
    if (e) {
        *rows = e->rows;
        *nrows = e->nrows;
        return true;
    }
    if (!rq) return false;
    int *first = sl_hmap_get(&rq->resmap, l->kb.buf, l->kb.len);
    if (!first) return false; /* asked and not found (head_answered checked) */
    int n = 0;
    for (int x = *first; x >= 0; x = rq->resnext[x]) n++;
    sl_value_t *buf = sl_arena_alloc(&l->scratch, (size_t)n * (size_t)l->nd * sizeof *buf);
    if (!buf) {
        *rc = oom(err);
        return true;
    }
    int k = 0;
    for (int x = *first; x >= 0; x = rq->resnext[x], k++)
        memcpy(&buf[(size_t)k * (size_t)l->nd], sl_batch_row(&rq->res, x),
               (size_t)l->nd * sizeof *buf);
    *rows = buf;
    *nrows = n;
    return true;
}

/* Indexes a request's answer by key (rows of one key chained in order). */
static int index_answer(lookup_t *l, req_t *rq, sl_err_t *err)
{
    sl_hmap_clear(&rq->resmap);
    sl_arena_reset(&rq->res_arena);
    if (rq->res.nrows > rq->rescap) {
        int *v = realloc(rq->resnext, (size_t)rq->res.nrows * sizeof *v);
        if (!v) return oom(err);
        rq->resnext = v;
        rq->rescap = rq->res.nrows;
    }
    int *heads = sl_arena_alloc(&rq->res_arena,
                                (size_t)(rq->res.nrows ? rq->res.nrows : 1) * sizeof *heads);
    if (!heads) return oom(err);
    for (int r = rq->res.nrows - 1; r >= 0; r--) {
        int k = dim_key(l, sl_batch_row(&rq->res, r), &l->sb);
        if (k < 0) return oom(err);
        rq->resnext[r] = -1;
        if (k > 0) continue; /* a NULL key matches nothing */
        int *first = sl_hmap_get(&rq->resmap, l->sb.buf, l->sb.len);
        if (first) {
            rq->resnext[r] = *first;
            *first = r;
        } else {
            void *key = sl_arena_memdup(&rq->res_arena, l->sb.buf, l->sb.len);
            heads[r] = r;
            if (!key || sl_hmap_put(&rq->resmap, key, l->sb.len, &heads[r])) return oom(err);
        }
    }
    return 0;
}

/* Is the key in l->kb among the request's keys? */
static bool asked(const lookup_t *l, const req_t *rq)
{
    return sl_hmap_get(&rq->asked, l->kb.buf, l->kb.len) != NULL;
}

/* Does every key of the head batch have an answer now (cache or its
 * request)? A key cached when the batch was sent may have expired or been
 * evicted since; then the batch is sent again. */
static int head_answered(lookup_t *l, const req_t *rq, bool *ok, sl_err_t *err)
{
    sl_batch_t *b = &l->queue[l->qhead];
    int64_t now = sl_job_now(l->op->job);
    int rc = 0;
    *ok = true;
    for (int r = 0; r < b->nrows && *ok; r++) {
        if (l->retract && !sl_row_kind_is_add(b->kinds[r])) continue;
        if (!left_key(l, sl_batch_row(b, r), &rc, err)) {
            if (rc) return rc;
            continue;
        }
        if (cache_get(l, now)) continue;
        if (rq && sl_hmap_get(&rq->resmap, l->kb.buf, l->kb.len)) continue;
        if (rq && asked(l, rq)) continue; /* asked, not found */
        *ok = false;
    }
    return 0;
}

/* Joins the batch at the head of the queue (every key answered by the
 * cache or by its request rq) and drops it from the queue. */
static int process_head(lookup_t *l, req_t *rq, sl_err_t *err)
{
    sl_batch_t *b = &l->queue[l->qhead];
    int64_t now = sl_job_now(l->op->job);
    int rc = 0;
    for (int r = 0; r < b->nrows && !rc; r++) {
        const sl_value_t *row = sl_batch_row(b, r);
        int kind = b->kinds[r];
        if (l->retract && !sl_row_kind_is_add(kind)) {
            rc = join_retract(l, kind, row, err);
            continue;
        }
        const sl_value_t *rows = NULL;
        int nrows = 0;
        if (left_key(l, row, &rc, err)) resolve(l, rq, now, &rows, &nrows, &rc, err);
        if (rc) break;
        rc = join_add(l, kind, row, rows, nrows, err);
    }
    sl_batch_reset(b);
    l->qreq[l->qhead] = UNSENT;
    l->qhead = (l->qhead + 1) % l->qcap;
    l->qn--;
    sl_arena_reset(&l->scratch);
    if (!rc) rc = sl_op_emit(l->op, err);
    return rc;
}

/* Sends the keys of queue slot `slot` the cache does not answer to a free
 * worker; the slot gets NO_REQ when there are none. false when no worker
 * is free. */
static int send_batch(lookup_t *l, int slot, bool *sent, sl_err_t *err)
{
    req_t *rq = NULL;
    int qi = -1;
    for (int i = 0; i < l->nreq && !rq; i++)
        if (!l->reqs[i].busy) rq = &l->reqs[i], qi = i;
    *sent = false;
    if (!rq) return 0;
    sl_batch_t *b = &l->queue[slot];
    int64_t now = sl_job_now(l->op->job);
    sl_hmap_clear(&rq->asked);
    sl_arena_reset(&rq->keys_arena);
    rq->n = 0;
    int rc = 0;
    for (int r = 0; r < b->nrows; r++) {
        const sl_value_t *row = sl_batch_row(b, r);
        if (l->retract && !sl_row_kind_is_add(b->kinds[r])) continue;
        if (!left_key(l, row, &rc, err)) {
            if (rc) return rc;
            continue;
        }
        if (cache_get(l, now)) continue;
        if (sl_hmap_get(&rq->asked, l->kb.buf, l->kb.len)) continue;
        void *k = sl_arena_memdup(&rq->keys_arena, l->kb.buf, l->kb.len);
        if (!k || sl_hmap_put(&rq->asked, k, l->kb.len, (void *)1)) return oom(err);
        if (rq->n == rq->cap) {
            int cap = rq->cap ? 2 * rq->cap : 64;
            sl_value_t *v = realloc(rq->keys, (size_t)cap * (size_t)l->nk * sizeof *v);
            if (!v) return oom(err);
            rq->keys = v;
            rq->cap = cap;
        }
        for (int c = 0; c < l->nk; c++)
            if (sl_value_copy(&rq->keys[(size_t)rq->n * (size_t)l->nk + c], &row[l->lkeys[c]],
                              l->dtypes[l->rkeys[c]], &rq->keys_arena))
                return oom(err);
        rq->n++;
    }
    *sent = true;
    if (rq->n == 0) {
        l->qreq[slot] = NO_REQ;
        return 0;
    }
    l->qreq[slot] = qi;
    rq->busy = true;
    pthread_mutex_lock(&l->mu);
    rq->done = false;
    rq->ready = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    return 0;
}

/* Sends queued batches in order while workers are free, and joins the
 * head batches whose answers are in, in order. */
static int pump(lookup_t *l, sl_err_t *err)
{
    for (;;) {
        bool progress = false;
        for (int i = 0; i < l->qn; i++) {
            int slot = (l->qhead + i) % l->qcap;
            if (l->qreq[slot] != UNSENT) continue;
            bool sent;
            int rc = send_batch(l, slot, &sent, err);
            if (rc) return rc;
            if (!sent) break;
            progress = true;
        }
        while (l->qn) {
            int slot = l->qhead;
            int q = l->qreq[slot];
            if (q == UNSENT) break;
            req_t *rq = q >= 0 ? &l->reqs[q] : NULL;
            if (rq) {
                pthread_mutex_lock(&l->mu);
                bool done = rq->done;
                pthread_mutex_unlock(&l->mu);
                if (!done) break;
                if (rq->rc < 0) {
                    *err = rq->err;
                    return rq->rc;
                }
                int rc = index_answer(l, rq, err);
                if (rc) return rc;
            }
            bool ok;
            int rc = head_answered(l, rq, &ok, err);
            if (rc) return rc;
            if (!ok) {
                /* Something expired in between: ask again. */
                if (rq) rq->busy = false;
                l->qreq[slot] = UNSENT;
                progress = true;
                break;
            }
            int64_t now = sl_job_now(l->op->job);
            rc = process_head(l, rq, err);
            if (rc) return rc;
            /* Join first (a hit of this batch stays valid while it is
             * joined), then cache the answer. */
            for (int i = 0; rq && i < rq->n && l->max_rows; i++) {
                sl_strbuf_clear(&l->kb);
                for (int c = 0; c < l->nk; c++)
                    if (sl_key_encode(&l->kb, &rq->keys[(size_t)i * (size_t)l->nk + c],
                                      l->dtypes[l->rkeys[c]]))
                        return oom(err);
                int *first = sl_hmap_get(&rq->resmap, l->kb.buf, l->kb.len);
                if ((rc = cache_put(l, rq, first ? *first : -1, now, err))) return rc;
            }
            if (rq) rq->busy = false;
            progress = true;
        }
        if (!progress) return 0;
    }
}

/* ---- operator ---- */

static int lk_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    lookup_t *l = op->ctx;
    if (b->nrows == 0) return 0;
    if (l->qn == l->qcap) {
        int cap = l->qcap * 2;
        sl_batch_t *q = calloc((size_t)cap, sizeof *q);
        int *qr = malloc((size_t)cap * sizeof *qr);
        if (!q || !qr) {
            free(q);
            free(qr);
            return oom(err);
        }
        for (int i = 0; i < l->qn; i++) {
            q[i] = l->queue[(l->qhead + i) % l->qcap];
            qr[i] = l->qreq[(l->qhead + i) % l->qcap];
        }
        for (int i = l->qn; i < cap; i++) {
            qr[i] = UNSENT;
            if (sl_batch_init(&q[i], l->nl, 0)) {
                for (int k = l->qn; k < i; k++) sl_batch_destroy(&q[k]);
                free(q);
                free(qr);
                return oom(err);
            }
        }
        free(l->queue);
        free(l->qreq);
        l->queue = q;
        l->qreq = qr;
        l->qhead = 0;
        l->qcap = cap;
    }
    int slot = (l->qhead + l->qn) % l->qcap;
    sl_batch_t *dst = &l->queue[slot];
    sl_batch_reset(dst);
    l->qreq[slot] = UNSENT;
    for (int r = 0; r < b->nrows; r++) {
        sl_value_t *o = sl_batch_add(dst, b->kinds[r]);
        if (!o) return oom(err);
        const sl_value_t *src = sl_batch_row(b, r);
        for (int c = 0; c < l->nl; c++)
            if (sl_batch_set(dst, &o[c], &src[c], l->ltypes[c])) return oom(err);
    }
    l->qn++;
    return pump(l, err);
}

static int lk_resume(sl_op_t *op, sl_err_t *err)
{
    return pump(op->ctx, err);
}

static int lk_pending(sl_op_t *op)
{
    lookup_t *l = op->ctx;
    return l->qn == 0 ? SL_OP_IDLE : l->qn >= QUEUE_FULL ? SL_OP_FULL : SL_OP_BUSY;
}

static void lk_close(sl_op_t *op)
{
    lookup_t *l = op->ctx;
    if (!l) return;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    for (int i = 0; i < l->nreq; i++) {
        req_t *rq = &l->reqs[i];
        if (rq->th_started) pthread_join(rq->th, NULL);
        if (rq->lk_ok && rq->lk.ops->close) rq->lk.ops->close(&rq->lk);
        sl_batch_destroy(&rq->res);
        sl_hmap_destroy(&rq->resmap);
        sl_hmap_destroy(&rq->asked);
        sl_arena_destroy(&rq->keys_arena);
        sl_arena_destroy(&rq->res_arena);
        free(rq->keys);
        free(rq->resnext);
    }
    free(l->reqs);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    while (l->lru_first) centry_drop(l, l->lru_first);
    sl_hmap_destroy(&l->cache);
    for (int i = 0; i < l->qcap; i++) sl_batch_destroy(&l->queue[i]);
    free(l->queue);
    free(l->qreq);
    free(l->joined);
    free(l->nulls);
    sl_arena_destroy(&l->scratch);
    sl_arena_destroy(&l->conn_arena);
    sl_strbuf_destroy(&l->kb);
    sl_strbuf_destroy(&l->vb);
    sl_strbuf_destroy(&l->sb);
    free(l);
    op->ctx = NULL;
}

static const sl_op_ops_t lookup_ops = {"LookupJoin", lk_push, NULL, lk_close, lk_resume,
                                       lk_pending};

/* The cache settings: lookup.cache = PARTIAL with lookup.partial-cache.*,
 * or the legacy lookup.cache.max-rows / ttl / caching-missing-key. */
static void cache_config(lookup_t *l, const sl_options_t *o)
{
    const char *mode = sl_options_str(o, "lookup.cache", NULL);
    if (mode && !strcasecmp(mode, "PARTIAL")) {
        l->max_rows = sl_options_int(o, "lookup.partial-cache.max-rows", 0);
        l->ttl_write = sl_options_int(o, "lookup.partial-cache.expire-after-write", 0);
        l->ttl_access = sl_options_int(o, "lookup.partial-cache.expire-after-access", 0);
        l->cache_missing = sl_options_int(o, "lookup.partial-cache.cache-missing-key", 1) != 0;
    } else if (sl_options_get(o, "lookup.cache.max-rows")) {
        /* The legacy options make a partial cache, as in Flink. */
        l->max_rows = sl_options_int(o, "lookup.cache.max-rows", 0);
        l->ttl_write = sl_options_int(o, "lookup.cache.ttl", 0);
        l->cache_missing = sl_options_int(o, "lookup.cache.caching-missing-key", 1) != 0;
    }
    if (l->max_rows < 0) l->max_rows = 0;
}

int sl_op_lookup_init(sl_op_t *op, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    const sl_pnode_t *in = n->inputs[0];
    lookup_t *l = calloc(1, sizeof *l);
    if (!l) return oom(err);
    op->ctx = l;
    op->ops = &lookup_ops;
    l->op = op;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->nl = in->ncols;
    l->nd = n->table->rel.n;
    l->nk = n->njkeys;
    l->lkeys = n->lkeys;
    l->rkeys = n->rkeys;
    l->ltypes = in->types;
    l->cond = n->cond;
    l->left = n->join == SL_JOIN_LEFT;
    l->retract = in->mode != SL_CM_INSERT_ONLY;
    sl_arena_init(&l->scratch, 0);
    sl_arena_init(&l->conn_arena, 1024);
    l->nreq = n->conn->lookup_inflight > 0 ? n->conn->lookup_inflight : 1;
    l->reqs = calloc((size_t)l->nreq, sizeof *l->reqs);
    l->dtypes = sl_arena_alloc(&l->conn_arena, (size_t)l->nd * sizeof *l->dtypes);
    l->dnames = sl_arena_alloc(&l->conn_arena, (size_t)l->nd * sizeof *l->dnames);
    l->joined = calloc((size_t)(l->nl + l->nd), sizeof *l->joined);
    l->nulls = calloc((size_t)l->nd, sizeof *l->nulls);
    l->qcap = 4;
    l->queue = calloc((size_t)l->qcap, sizeof *l->queue);
    l->qreq = malloc((size_t)l->qcap * sizeof *l->qreq);
    if (!l->reqs || !l->dtypes || !l->dnames || !l->joined || !l->nulls || !l->queue ||
        !l->qreq || sl_hmap_init(&l->cache, 64))
        return oom(err);
    for (int i = 0; i < l->qcap; i++) {
        l->qreq[i] = UNSENT;
        if (sl_batch_init(&l->queue[i], l->nl, 0)) return oom(err);
    }
    for (int c = 0; c < l->nd; c++) {
        l->dtypes[c] = n->table->rel.cols[c].type;
        l->dnames[c] = n->table->rel.cols[c].name;
        l->nulls[c] = sl_value_null();
    }
    cache_config(l, &n->opts);
    if (l->retract) {
        char name[64];
        snprintf(name, sizeof name, "lookup-%d", n->id);
        l->state = sl_job_table(op->job, name);
        if (!l->state) return oom(err);
    }
    /* The connector, keyed by the dimension's key columns: one instance
     * (connection) per query in flight, each on its worker thread. */
    sl_conn_ctx_t cx = {.table = n->table->name, .ncols = l->nd, .names = l->dnames,
                        .types = l->dtypes, .opts = &n->opts,
                        .job_name = sl_job_conf(op->job)->job_name, .arena = &l->conn_arena};
    for (int i = 0; i < l->nreq; i++) {
        req_t *rq = &l->reqs[i];
        rq->l = l;
        sl_arena_init(&rq->keys_arena, 0);
        sl_arena_init(&rq->res_arena, 0);
        if (sl_batch_init(&rq->res, l->nd, 0) || sl_hmap_init(&rq->resmap, 64) ||
            sl_hmap_init(&rq->asked, 64))
            return oom(err);
        int rc = n->conn->lookup_new(&cx, l->rkeys, l->nk, &rq->lk, err);
        if (rc) {
            /* A connector that set its ops owns what it allocated. */
            if (rq->lk.ops && rq->lk.ops->close) rq->lk.ops->close(&rq->lk);
            return rc;
        }
        rq->lk_ok = true;
        if (pthread_create(&rq->th, NULL, worker_main, rq))
            return sl_err_set(err, SL_EINTERNAL, "cannot start a lookup thread");
        rq->th_started = true;
    }
    return 0;
}
