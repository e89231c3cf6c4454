/* union.c - UNION ALL: forwards every input's batches unchanged (the
 * planner has already cast the inputs to the same column types). */
#include "exec/op.h"

static int union_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    op->rows_out += (uint64_t)b->nrows;
    for (int i = 0; i < op->nouts; i++) {
        sl_op_t *c = op->outs[i].op;
        c->rows_in += (uint64_t)b->nrows;
        int rc = c->ops->push(c, op->outs[i].port, b, err);
        if (rc) return rc;
    }
    return 0;
}

static const sl_op_ops_t union_ops = {"Union", union_push, NULL, NULL};

int sl_op_union_init(sl_op_t *op, sl_err_t *err)
{
    (void)err;
    op->ops = &union_ops;
    return 0;
}
