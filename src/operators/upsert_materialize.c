/* upsert_materialize.c - makes an updating stream safe for an upsert sink
 * whose primary key differs from the stream's unique key (Flink's
 * SinkUpsertMaterializer).
 *
 * Per sink key it keeps the rows currently "alive" in arrival order. An added
 * row is appended and becomes the key's value (+I for a new key, +U
 * otherwise). A retracted row is removed (its latest arrival); if no row is
 * left the key is deleted (-D), and if the removed row was the key's current
 * value, the row before it becomes the value again (+U). So the sink always
 * holds, for each key, the last row that is still valid — whatever order the
 * retractions and additions of different upstream keys arrive in.
 */
#include "exec/op.h"

#include <stdlib.h>
#include <string.h>

#include "state/codec.h"

typedef struct mat_op {
    sl_kv_t *rows;             /* pk || seq -> row */
    sl_kv_t *index;            /* pk || row || seq -> "" */
    const int *pk;
    int npk;
    int ncols;
    const sl_type_t **types;
    uint64_t seq;
    sl_strbuf_t kb, rb, tb;
    sl_arena_t scratch;
} mat_op_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static void be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)v;
        v >>= 8;
    }
}

static int emit(sl_op_t *op, mat_op_t *m, int kind, const sl_value_t *row,
                sl_err_t *err)
{
    sl_value_t *o = sl_batch_add(&op->out, kind);
    if (!o) return oom(err);
    for (int c = 0; c < m->ncols; c++)
        if (sl_batch_set(&op->out, &o[c], &row[c], m->types[c])) return oom(err);
    return sl_op_maybe_emit(op, err);
}

/* The key's current value (its last row), decoded into scratch. */
static int last_row(mat_op_t *m, sl_value_t *row, uint64_t *seq, bool *found,
                    sl_err_t *err)
{
    const void *k, *v;
    size_t klen, vlen;
    *found = sl_kv_last(m->rows, m->kb.buf, m->kb.len, &k, &klen, &v, &vlen) == 1;
    if (!*found) return 0;
    uint64_t s = 0;
    for (int i = 0; i < 8; i++) s = s << 8 | ((const unsigned char *)k)[klen - 8 + i];
    *seq = s;
    if (sl_row_decode(v, vlen, row, m->types, m->ncols, &m->scratch))
        return sl_err_set(err, SL_EINTERNAL, "corrupt sink materializer state");
    return 0;
}

static int mat_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    mat_op_t *m = op->ctx;
    sl_value_t *cur = calloc((size_t)m->ncols + 1, sizeof *cur);
    if (!cur) return oom(err);
    int rc = 0;
    for (int r = 0; r < b->nrows && !rc; r++) {
        const sl_value_t *row = sl_batch_row(b, r);
        sl_strbuf_clear(&m->kb);
        sl_strbuf_clear(&m->rb);
        for (int k = 0; k < m->npk && !rc; k++)
            if (sl_key_encode(&m->kb, &row[m->pk[k]], m->types[m->pk[k]])) rc = oom(err);
        if (!rc && sl_row_encode(&m->rb, row, m->types, m->ncols)) rc = oom(err);
        if (rc) break;
        uint64_t last_seq = 0;
        bool had;
        if ((rc = last_row(m, cur, &last_seq, &had, err))) break;
        if (sl_row_kind_is_add(b->kinds[r])) {
            unsigned char seq[8];
            be64(seq, ++m->seq);
            /* rows: pk || seq -> row; index: pk || row || seq */
            sl_strbuf_clear(&m->tb);
            if (sl_strbuf_append(&m->tb, m->kb.buf, m->kb.len) ||
                sl_strbuf_append(&m->tb, seq, 8) ||
                sl_kv_put(m->rows, m->tb.buf, m->tb.len, m->rb.buf, m->rb.len)) {
                rc = oom(err);
                break;
            }
            sl_strbuf_clear(&m->tb);
            if (sl_strbuf_append(&m->tb, m->kb.buf, m->kb.len) ||
                sl_strbuf_append(&m->tb, m->rb.buf, m->rb.len) ||
                sl_strbuf_append(&m->tb, seq, 8) ||
                sl_kv_put(m->index, m->tb.buf, m->tb.len, "", 0)) {
                rc = oom(err);
                break;
            }
            rc = emit(op, m, had ? SL_UPDATE_AFTER : SL_INSERT, row, err);
        } else {
            /* Find the latest arrival of this exact row. */
            sl_strbuf_clear(&m->tb);
            if (sl_strbuf_append(&m->tb, m->kb.buf, m->kb.len) ||
                sl_strbuf_append(&m->tb, m->rb.buf, m->rb.len)) {
                rc = oom(err);
                break;
            }
            const void *k, *v;
            size_t klen, vlen;
            if (sl_kv_last(m->index, m->tb.buf, m->tb.len, &k, &klen, &v, &vlen) != 1)
                continue; /* retraction of a row never seen: nothing to undo */
            unsigned char seq[8];
            memcpy(seq, (const char *)k + klen - 8, 8);
            uint64_t s = 0;
            for (int i = 0; i < 8; i++) s = s << 8 | seq[i];
            size_t plen = m->tb.len;
            if (sl_strbuf_append(&m->tb, seq, 8)) {
                rc = oom(err);
                break;
            }
            sl_kv_del(m->index, m->tb.buf, plen + 8);
            sl_strbuf_clear(&m->tb);
            if (sl_strbuf_append(&m->tb, m->kb.buf, m->kb.len) ||
                sl_strbuf_append(&m->tb, seq, 8)) {
                rc = oom(err);
                break;
            }
            sl_kv_del(m->rows, m->tb.buf, m->tb.len);
            sl_value_t *now = calloc((size_t)m->ncols + 1, sizeof *now);
            if (!now) {
                rc = oom(err);
                break;
            }
            uint64_t now_seq;
            bool left;
            rc = last_row(m, now, &now_seq, &left, err);
            if (!rc) {
                if (!left) rc = emit(op, m, SL_DELETE, row, err);
                else if (s == last_seq) rc = emit(op, m, SL_UPDATE_AFTER, now, err);
            }
            free(now);
        }
        sl_arena_reset(&m->scratch);
    }
    free(cur);
    if (!rc) rc = sl_op_emit(op, err);
    return rc;
}

static void mat_close(sl_op_t *op)
{
    mat_op_t *m = op->ctx;
    if (!m) return;
    sl_strbuf_destroy(&m->kb);
    sl_strbuf_destroy(&m->rb);
    sl_strbuf_destroy(&m->tb);
    sl_arena_destroy(&m->scratch);
    free(m);
    op->ctx = NULL;
}

static const sl_op_ops_t mat_ops = {"SinkMaterializer", mat_push, NULL, mat_close, NULL, NULL};

int sl_op_materialize_init(sl_op_t *op, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    mat_op_t *m = calloc(1, sizeof *m);
    if (!m) return oom(err);
    op->ctx = m;
    op->ops = &mat_ops;
    sl_arena_init(&m->scratch, 0);
    m->pk = n->keys;
    m->npk = n->nkeys;
    m->ncols = n->ncols;
    m->types = n->types;
    char name[64];
    snprintf(name, sizeof name, "mat-%d-rows", n->id);
    m->rows = sl_job_table(op->job, name);
    snprintf(name, sizeof name, "mat-%d-index", n->id);
    m->index = sl_job_table(op->job, name);
    if (!m->rows || !m->index) return oom(err);
    return 0;
}
