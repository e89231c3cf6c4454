/* blackhole.c - the 'blackhole' sink: accepts every row kind, keeps nothing,
 * counts rows per kind (Flink's blackhole connector, which takes no
 * options). */
#include "connectors/blackhole/blackhole.h"

#include <stdatomic.h>
#include <stdlib.h>

static const sl_option_spec_t blackhole_options[] = {
    {NULL, 0, false, NULL, NULL, NULL},
};

typedef struct blackhole_sink {
    /* written on the loop thread, read by tests and metrics from any */
    _Atomic uint64_t rows[4];  /* by sl_row_kind_t */
} blackhole_sink_t;

static int blackhole_write(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err)
{
    (void)err;
    blackhole_sink_t *h = snk->ctx;
    uint64_t n[4] = {0, 0, 0, 0};
    for (int r = 0; r < b->nrows; r++) n[b->kinds[r] & 3]++;
    for (int k = 0; k < 4; k++)
        if (n[k]) atomic_fetch_add_explicit(&h->rows[k], n[k], memory_order_relaxed);
    return 0;
}

static int blackhole_flush(sl_sink_t *snk, sl_err_t *err)
{
    (void)snk;
    (void)err;
    return 0;
}

static void blackhole_close(sl_sink_t *snk)
{
    free(snk->ctx);
    snk->ctx = NULL;
}

static const sl_sink_ops_t blackhole_sink_ops = {
    .write = blackhole_write,
    .flush = blackhole_flush,
    .close = blackhole_close,
};

uint64_t sl_blackhole_count(const sl_sink_t *snk, int kind)
{
    if (!snk || snk->ops != &blackhole_sink_ops || !snk->ctx) return 0;
    blackhole_sink_t *h = snk->ctx;
    if (kind >= 0 && kind < 4)
        return atomic_load_explicit(&h->rows[kind], memory_order_relaxed);
    uint64_t sum = 0;
    for (int k = 0; k < 4; k++)
        sum += atomic_load_explicit(&h->rows[k], memory_order_relaxed);
    return sum;
}

static int blackhole_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out,
                              sl_err_t *err)
{
    (void)ctx;
    blackhole_sink_t *h = calloc(1, sizeof *h);
    if (!h) return sl_err_set(err, SL_ENOMEM, "out of memory");
    for (int k = 0; k < 4; k++) atomic_init(&h->rows[k], 0);
    out->ops = &blackhole_sink_ops;
    out->ctx = h;
    out->upsert = false;
    out->changelog = true;
    out->flush_on_checkpoint = true;
    return 0;
}

const sl_connector_type_t sl_blackhole_connector = {
    .name = "blackhole",
    .roles = SL_CONN_SINK,
    .options = blackhole_options,
    .validate = NULL,
    .source_new = NULL,
    .sink_new = blackhole_sink_new,
};
