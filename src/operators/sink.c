/* sink.c - hands batches to a connector's sink. An upsert sink keyed like
 * its input gets no -U rows (they carry nothing its +U does not). */
#include "exec/op.h"

#include <stdlib.h>

typedef struct sink_op {
    sl_sink_t *sink;
} sink_op_t;

static int sink_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    sink_op_t *s = op->ctx;
    const sl_pnode_t *n = op->node;
    if (!n->drop_update_before) return s->sink->ops->write(s->sink, b, err);
    bool any = false;
    for (int r = 0; r < b->nrows; r++)
        if (b->kinds[r] == SL_UPDATE_BEFORE) any = true;
    if (!any) return s->sink->ops->write(s->sink, b, err);
    for (int r = 0; r < b->nrows; r++) {
        if (b->kinds[r] == SL_UPDATE_BEFORE) continue;
        sl_value_t *out = sl_batch_add(&op->out, b->kinds[r]);
        if (!out) return sl_err_set(err, SL_ENOMEM, "out of memory");
        const sl_value_t *in = sl_batch_row(b, r);
        for (int c = 0; c < b->ncols; c++)
            if (sl_batch_set(&op->out, &out[c], &in[c], n->types[c]))
                return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    int rc = s->sink->ops->write(s->sink, &op->out, err);
    sl_batch_reset(&op->out);
    return rc;
}

static int sink_flush(sl_op_t *op, sl_err_t *err)
{
    (void)op;
    (void)err;
    return 0; /* the job flushes the connector itself at the end */
}

/* A sink that writes on a thread of its own reports through these. */
static int sink_resume(sl_op_t *op, sl_err_t *err)
{
    sink_op_t *s = op->ctx;
    return s->sink->ops->poll ? s->sink->ops->poll(s->sink, err) : 0;
}

static int sink_pending(sl_op_t *op)
{
    sink_op_t *s = op->ctx;
    return s->sink->ops->pending ? s->sink->ops->pending(s->sink) : SL_OP_IDLE;
}

static void sink_close(sl_op_t *op)
{
    free(op->ctx);
    op->ctx = NULL;
}

static const sl_op_ops_t sink_ops = {"Sink", sink_push, sink_flush, sink_close, NULL, NULL};
static const sl_op_ops_t async_sink_ops = {"Sink", sink_push, sink_flush, sink_close,
                                           sink_resume, sink_pending};

int sl_op_sink_init(sl_op_t *op, sl_sink_t *sink, sl_err_t *err)
{
    sink_op_t *s = calloc(1, sizeof *s);
    if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
    s->sink = sink;
    op->ctx = s;
    op->ops = sink->ops->poll || sink->ops->pending ? &async_sink_ops : &sink_ops;
    return 0;
}
