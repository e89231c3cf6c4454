/* calc.c - projection and filter (Flink's Calc): one output row per input
 * row that passes the filter, with the row kind kept. */
#include "exec/op.h"

static int calc_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    const sl_pnode_t *n = op->node;
    sl_eval_ctx_t ec = {.arena = &op->out.arena, .now_ms = sl_job_now(op->job)};
    for (int r = 0; r < b->nrows; r++) {
        const sl_value_t *in = sl_batch_row(b, r);
        if (n->filter) {
            int t = sl_rex_test(n->filter, in, &ec, err);
            if (t < 0) return t;
            if (!t) continue;
        }
        sl_value_t *out = sl_batch_add(&op->out, b->kinds[r]);
        if (!out) return sl_err_set(err, SL_ENOMEM, "out of memory");
        for (int c = 0; c < n->nproj; c++) {
            sl_value_t v;
            int rc = sl_rex_eval(n->proj[c], in, &ec, &v, err);
            if (rc) return rc;
            /* Strings may point into the input batch: copy them. */
            rc = sl_batch_set(&op->out, &out[c], &v, n->types[c]);
            if (rc) return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
        int rc = sl_op_maybe_emit(op, err);
        if (rc) return rc;
    }
    return sl_op_emit(op, err);
}

static const sl_op_ops_t calc_ops = {"Calc", calc_push, NULL, NULL, NULL, NULL};

int sl_op_calc_init(sl_op_t *op, sl_err_t *err)
{
    (void)err;
    op->ops = &calc_ops;
    return 0;
}
