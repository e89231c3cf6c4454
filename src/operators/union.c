/* union.c - UNION ALL: forwards every input's batches unchanged (the
 * planner has already cast the inputs to the same column types). */
#include "exec/op.h"

static int union_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    return sl_op_forward(op, b, err);
}

static const sl_op_ops_t union_ops = {"Union", union_push, NULL, NULL, NULL, NULL};

int sl_op_union_init(sl_op_t *op, sl_err_t *err)
{
    (void)err;
    op->ops = &union_ops;
    return 0;
}
