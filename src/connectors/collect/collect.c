/* collect.c - the 'sluice-collect' sink (collect.h). */
#include "connectors/collect/collect.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/strbuf.h"

static const sl_option_spec_t collect_options[] = {
    {"collector", SL_OPT_STRING, true, NULL, NULL,
     "the id of the session's collector (set by sluice for a bare SELECT)"},
    {NULL, 0, false, NULL, NULL, NULL},
};

/* A change in the buffer: kind, then per value a u32 length (UINT32_MAX
 * for NULL) and the bytes and a NUL. */
struct sl_collector {
    char *id;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sl_strbuf_t data;          /* encoded changes */
    uint32_t *offs;            /* start of change (first + i) in data */
    size_t n, cap;             /* changes held */
    uint64_t first;            /* number of the first change held */
    bool ended;
    char *error;
    /* the writing job, to resume it when the reader makes room */
    void (*wakeup)(void *arg);
    void *wakeup_arg;
    bool was_full;
    /* fetch scratch: value pointers of the changes handed out */
    const char **vals;
    int nvals;
    sl_collector_t *next_reg;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static sl_collector_t *reg_head;

sl_collector_t *sl_collector_new(const char *id)
{
    sl_collector_t *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (!(c->id = strdup(id))) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    sl_strbuf_init(&c->data);
    pthread_mutex_lock(&reg_mu);
    c->next_reg = reg_head;
    reg_head = c;
    pthread_mutex_unlock(&reg_mu);
    return c;
}

void sl_collector_free(sl_collector_t *c)
{
    if (!c) return;
    pthread_mutex_lock(&reg_mu);
    for (sl_collector_t **p = &reg_head; *p; p = &(*p)->next_reg)
        if (*p == c) {
            *p = c->next_reg;
            break;
        }
    pthread_mutex_unlock(&reg_mu);
    sl_strbuf_destroy(&c->data);
    free(c->offs);
    free(c->vals);
    free(c->error);
    free(c->id);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}

void sl_collector_end(sl_collector_t *c, const char *err)
{
    pthread_mutex_lock(&c->mu);
    c->ended = true;
    free(c->error);
    c->error = err && *err ? strdup(err) : NULL;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static const char *const kind_names[] = {"+I", "-U", "+U", "-D"};

int sl_collector_fetch(sl_collector_t *c, uint64_t token, int max, int wait_ms,
                       void (*fn)(void *arg, const sl_collected_t *row), void *arg,
                       uint64_t *next, bool *ended, char *errbuf, size_t errcap)
{
    pthread_mutex_lock(&c->mu);
    /* Acknowledge what came before token. */
    if (token > c->first) {
        size_t drop = token - c->first > c->n ? c->n : (size_t)(token - c->first);
        if (drop == c->n) {
            sl_strbuf_clear(&c->data);
            c->n = 0;
        } else if (drop) {
            uint32_t base = c->offs[drop];
            memmove(c->data.buf, c->data.buf + base, c->data.len - base);
            c->data.len -= base;
            for (size_t i = drop; i < c->n; i++) c->offs[i - drop] = c->offs[i] - base;
            c->n -= drop;
        }
        c->first += drop;
    }
    if (c->was_full && c->n < SL_COLLECT_MAX_PENDING / 2) {
        c->was_full = false;
        if (c->wakeup) c->wakeup(c->wakeup_arg);
    }
    if (wait_ms > 0 && !c->ended && (token < c->first || token - c->first >= c->n)) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!c->ended && token - c->first >= c->n)
            if (pthread_cond_timedwait(&c->cv, &c->mu, &until) == ETIMEDOUT) break;
    }
    size_t from = token > c->first ? (size_t)(token - c->first) : 0;
    int given = 0;
    int rc = 0;
    for (size_t i = from; i < c->n && given < max; i++, given++) {
        const unsigned char *p = (const unsigned char *)c->data.buf + c->offs[i];
        int kind = p[0] & 3;
        int ncols;
        memcpy(&ncols, p + 1, sizeof ncols);
        if (ncols > c->nvals) {
            const char **v = realloc(c->vals, (size_t)ncols * sizeof *v);
            if (!v) {
                rc = -SL_ENOMEM;
                break;
            }
            c->vals = v;
            c->nvals = ncols;
        }
        p += 1 + sizeof ncols;
        for (int k = 0; k < ncols; k++) {
            uint32_t len;
            memcpy(&len, p, sizeof len);
            p += sizeof len;
            if (len == UINT32_MAX) {
                c->vals[k] = NULL;
            } else {
                c->vals[k] = (const char *)p;
                p += len + 1;
            }
        }
        sl_collected_t row = {kind_names[kind], ncols, c->vals};
        fn(arg, &row);
    }
    *next = c->first + from + (uint64_t)given;
    *ended = c->ended && from + (size_t)given >= c->n;
    if (errcap) snprintf(errbuf, errcap, "%s", c->error ? c->error : "");
    pthread_mutex_unlock(&c->mu);
    return rc ? rc : given;
}

/* ---- the sink ---- */

typedef struct collect_sink {
    sl_collector_t *c;
    int ncols;
    const sl_type_t *const *types;
    sl_strbuf_t val;           /* one rendered value, reused */
} collect_sink_t;

static int collect_write(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err)
{
    collect_sink_t *s = snk->ctx;
    sl_collector_t *c = s->c;
    pthread_mutex_lock(&c->mu);
    int rc = 0;
    for (int r = 0; r < b->nrows && !rc; r++) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 1024;
            uint32_t *o = realloc(c->offs, cap * sizeof *o);
            if (!o) {
                rc = -SL_ENOMEM;
                break;
            }
            c->offs = o;
            c->cap = cap;
        }
        if (c->data.len > UINT32_MAX / 2) {
            rc = sl_err_set(err, SL_ERANGE, "the query's result waiting to be read is too big");
            break;
        }
        size_t start = c->data.len;
        unsigned char kind = (unsigned char)b->kinds[r];
        int ncols = s->ncols;
        rc = sl_strbuf_append(&c->data, (const char *)&kind, 1);
        if (!rc) rc = sl_strbuf_append(&c->data, (const char *)&ncols, sizeof ncols);
        const sl_value_t *row = sl_batch_row(b, r);
        for (int k = 0; k < ncols && !rc; k++) {
            uint32_t len = UINT32_MAX;
            if (row[k].null) {
                rc = sl_strbuf_append(&c->data, (const char *)&len, sizeof len);
                continue;
            }
            sl_strbuf_clear(&s->val);
            rc = sl_value_format(&s->val, &row[k], s->types[k], SL_FMT_PRINT);
            if (rc) break;
            len = (uint32_t)s->val.len;
            rc = sl_strbuf_append(&c->data, (const char *)&len, sizeof len);
            if (!rc) rc = sl_strbuf_append(&c->data, s->val.buf ? s->val.buf : "", s->val.len);
            if (!rc) rc = sl_strbuf_append(&c->data, "", 1);
        }
        if (rc) {
            c->data.len = start;
            break;
        }
        c->offs[c->n++] = (uint32_t)start;
    }
    if (c->n >= SL_COLLECT_MAX_PENDING) c->was_full = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (rc && !err->code) sl_err_set(err, SL_ENOMEM, "out of memory");
    return rc;
}

static int collect_flush(sl_sink_t *snk, sl_err_t *err)
{
    (void)snk;
    (void)err;
    return 0;
}

/* Full while the reader is behind: the job stops reading its sources. */
static int collect_pending(sl_sink_t *snk)
{
    collect_sink_t *s = snk->ctx;
    pthread_mutex_lock(&s->c->mu);
    bool full = s->c->n >= SL_COLLECT_MAX_PENDING;
    pthread_mutex_unlock(&s->c->mu);
    return full ? SL_OP_FULL : SL_OP_IDLE;
}

static int collect_poll(sl_sink_t *snk, sl_err_t *err)
{
    (void)snk;
    (void)err;
    return 0;
}

static void collect_close(sl_sink_t *snk)
{
    collect_sink_t *s = snk->ctx;
    if (!s) return;
    pthread_mutex_lock(&s->c->mu);
    s->c->wakeup = NULL;
    pthread_mutex_unlock(&s->c->mu);
    sl_strbuf_destroy(&s->val);
    free(s);
    snk->ctx = NULL;
}

static const sl_sink_ops_t collect_sink_ops = {
    .write = collect_write,
    .flush = collect_flush,
    .close = collect_close,
    .poll = collect_poll,
    .pending = collect_pending,
};

static int collect_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    const char *id = sl_options_str(ctx->opts, "collector", "");
    sl_collector_t *c = NULL;
    pthread_mutex_lock(&reg_mu);
    for (sl_collector_t *p = reg_head; p; p = p->next_reg)
        if (!strcmp(p->id, id)) c = p;
    pthread_mutex_unlock(&reg_mu);
    if (!c)
        return sl_err_set(err, SL_EINVAL,
                          "table '%s': no query result collector '%s' ('sluice-collect' "
                          "tables are made by the shell for a SELECT)",
                          ctx->table, id);
    collect_sink_t *s = calloc(1, sizeof *s);
    if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
    s->c = c;
    s->ncols = ctx->ncols;
    s->types = ctx->types;
    sl_strbuf_init(&s->val);
    pthread_mutex_lock(&c->mu);
    c->wakeup = ctx->wakeup;
    c->wakeup_arg = ctx->wakeup_arg;
    pthread_mutex_unlock(&c->mu);
    out->ops = &collect_sink_ops;
    out->ctx = s;
    out->upsert = false;
    out->changelog = true;
    out->flush_on_checkpoint = false;
    return 0;
}

const sl_connector_type_t sl_collect_connector = {
    .name = "sluice-collect",
    .roles = SL_CONN_SINK,
    .options = collect_options,
    .validate = NULL,
    .source_new = NULL,
    .sink_new = collect_sink_new,
};
