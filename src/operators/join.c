/* join.c - regular equi-joins (INNER, LEFT, RIGHT, FULL) of two changelogs.
 *
 * Each side keeps its rows in state, keyed by the equi-join key followed by
 * the whole row, with the row's multiplicity and how many rows of the other
 * side it currently matches ("associations", as Flink's outer joins do). An
 * arriving row is matched against the other side's rows with the same key
 * (and the residual ON condition); for an outer side, a row with no match is
 * emitted padded with NULLs, and that padded row is retracted when its first
 * match arrives (and emitted again when its last match leaves). Output rows
 * are +I and -D.
 */
#include "exec/op.h"

#include <stdlib.h>
#include <string.h>

#include "state/codec.h"

typedef struct match {
    void *key;                 /* state key of the other side's row */
    size_t klen;
    sl_value_t *row;           /* its values */
    int64_t mult, assoc;
} match_t;

typedef struct join_op {
    sl_kv_t *tab[2];
    int ncols[2];
    const sl_type_t **types[2];
    const int *keys[2];
    int nkeys;
    bool outer[2];             /* side whose unmatched rows are kept */
    sl_strbuf_t kb, rb;
    sl_arena_t scratch;
    match_t *m;
    int nm, capm;
    sl_value_t *joined;        /* left ++ right */
} join_op_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static int emit_joined(sl_op_t *op, join_op_t *j, int kind, const sl_value_t *l,
                       const sl_value_t *r, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    sl_value_t *o = sl_batch_add(&op->out, kind);
    if (!o) return oom(err);
    for (int c = 0; c < j->ncols[0]; c++) {
        sl_value_t v = l ? l[c] : sl_value_null();
        if (sl_batch_set(&op->out, &o[c], &v, n->types[c])) return oom(err);
    }
    for (int c = 0; c < j->ncols[1]; c++) {
        sl_value_t v = r ? r[c] : sl_value_null();
        if (sl_batch_set(&op->out, &o[j->ncols[0] + c], &v, n->types[j->ncols[0] + c]))
            return oom(err);
    }
    return sl_op_maybe_emit(op, err);
}

static int put_counts(sl_kv_t *t, const void *k, size_t klen, int64_t mult,
                      int64_t assoc)
{
    if (mult <= 0) {
        sl_kv_del(t, k, klen);
        return 0;
    }
    int64_t v[2] = {mult, assoc};
    return sl_kv_put(t, k, klen, v, sizeof v);
}

static int join_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    join_op_t *j = op->ctx;
    const sl_pnode_t *n = op->node;
    int s = port, o = 1 - port;
    sl_eval_ctx_t ec = {.arena = &j->scratch, .now_ms = sl_job_now(op->job)};
    for (int r = 0; r < b->nrows; r++) {
        const sl_value_t *row = sl_batch_row(b, r);
        bool add = sl_row_kind_is_add(b->kinds[r]);
        /* The join key; a NULL in it matches nothing. */
        sl_strbuf_clear(&j->kb);
        bool null_key = false;
        for (int k = 0; k < j->nkeys; k++) {
            const sl_value_t *v = &row[j->keys[s][k]];
            if (v->null) null_key = true;
            if (sl_key_encode(&j->kb, v, j->types[s][j->keys[s][k]])) return oom(err);
        }
        size_t jklen = j->kb.len;
        /* Matching rows of the other side. */
        j->nm = 0;
        if (!null_key) {
            sl_kv_iter_t *it = sl_kv_iter_new(j->tab[o], j->kb.buf ? j->kb.buf : "", jklen);
            if (!it) return oom(err);
            const void *k, *v;
            size_t klen, vlen;
            int rc = 0;
            while (sl_kv_iter_next(it, &k, &klen, &v, &vlen) == 1) {
                sl_value_t *orow = sl_arena_alloc(&j->scratch, (size_t)j->ncols[o] * sizeof *orow);
                if (!orow) { rc = oom(err); break; }
                if (sl_row_decode((const char *)k + jklen, klen - jklen, orow,
                                  j->types[o], j->ncols[o], &j->scratch)) {
                    rc = sl_err_set(err, SL_EINTERNAL, "corrupt join state");
                    break;
                }
                if (n->cond) {
                    const sl_value_t *l = s == 0 ? row : orow, *rr = s == 0 ? orow : row;
                    memcpy(j->joined, l, (size_t)j->ncols[0] * sizeof *l);
                    memcpy(j->joined + j->ncols[0], rr, (size_t)j->ncols[1] * sizeof *rr);
                    int t = sl_rex_test(n->cond, j->joined, &ec, err);
                    if (t < 0) { rc = t; break; }
                    if (!t) continue;
                }
                if (j->nm == j->capm) {
                    int cap = j->capm ? j->capm * 2 : 16;
                    match_t *m = realloc(j->m, (size_t)cap * sizeof *m);
                    if (!m) { rc = oom(err); break; }
                    j->m = m;
                    j->capm = cap;
                }
                match_t *m = &j->m[j->nm++];
                m->key = sl_arena_memdup(&j->scratch, k, klen);
                m->klen = klen;
                m->row = orow;
                int64_t cnt[2] = {0, 0};
                if (vlen == sizeof cnt) memcpy(cnt, v, sizeof cnt);
                m->mult = cnt[0];
                m->assoc = cnt[1];
                if (!m->key) { rc = oom(err); break; }
            }
            sl_kv_iter_free(it);
            if (rc) return rc;
        }
        int64_t nmatch = 0;
        for (int i = 0; i < j->nm; i++) nmatch += j->m[i].mult;
        /* Emit, and update the other side's associations. */
        for (int i = 0; i < j->nm; i++) {
            match_t *m = &j->m[i];
            const sl_value_t *l = s == 0 ? row : m->row, *rr = s == 0 ? m->row : row;
            for (int64_t k = 0; k < m->mult; k++) {
                if (add) {
                    if (j->outer[o] && m->assoc == 0) {
                        int rc = emit_joined(op, j, SL_DELETE, s == 0 ? NULL : m->row,
                                             s == 0 ? m->row : NULL, err);
                        if (rc) return rc;
                    }
                    int rc = emit_joined(op, j, SL_INSERT, l, rr, err);
                    if (rc) return rc;
                } else {
                    int rc = emit_joined(op, j, SL_DELETE, l, rr, err);
                    if (rc) return rc;
                    if (j->outer[o] && m->assoc == 1) {
                        rc = emit_joined(op, j, SL_INSERT, s == 0 ? NULL : m->row,
                                         s == 0 ? m->row : NULL, err);
                        if (rc) return rc;
                    }
                }
            }
            m->assoc += add ? 1 : -1;
            if (m->assoc < 0) m->assoc = 0;
            if (put_counts(j->tab[o], m->key, m->klen, m->mult, m->assoc)) return oom(err);
        }
        if (j->outer[s] && nmatch == 0) {
            int rc = emit_joined(op, j, add ? SL_INSERT : SL_DELETE, s == 0 ? row : NULL,
                                 s == 0 ? NULL : row, err);
            if (rc) return rc;
        }
        /* This side's state: key || row -> (multiplicity, associations). */
        sl_strbuf_clear(&j->rb);
        if (sl_strbuf_append(&j->rb, j->kb.buf ? j->kb.buf : "", jklen) ||
            sl_row_encode(&j->rb, row, j->types[s], j->ncols[s]))
            return oom(err);
        int64_t cnt[2] = {0, 0};
        const void *v;
        size_t vlen;
        if (sl_kv_get(j->tab[s], j->rb.buf, j->rb.len, &v, &vlen) == 0 && vlen == sizeof cnt)
            memcpy(cnt, v, sizeof cnt);
        cnt[0] += add ? 1 : -1;
        cnt[1] = nmatch;
        if (put_counts(j->tab[s], j->rb.buf, j->rb.len, cnt[0], cnt[1])) return oom(err);
        sl_arena_reset(&j->scratch);
    }
    return sl_op_emit(op, err);
}

static void join_close(sl_op_t *op)
{
    join_op_t *j = op->ctx;
    if (!j) return;
    sl_strbuf_destroy(&j->kb);
    sl_strbuf_destroy(&j->rb);
    sl_arena_destroy(&j->scratch);
    free(j->m);
    free(j->joined);
    free(j);
    op->ctx = NULL;
}

static const sl_op_ops_t join_ops = {"Join", join_push, NULL, join_close, NULL, NULL};

int sl_op_join_init(sl_op_t *op, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    join_op_t *j = calloc(1, sizeof *j);
    if (!j) return oom(err);
    op->ctx = j;
    op->ops = &join_ops;
    sl_arena_init(&j->scratch, 0);
    for (int s = 0; s < 2; s++) {
        j->ncols[s] = n->inputs[s]->ncols;
        j->types[s] = n->inputs[s]->types;
    }
    j->keys[0] = n->lkeys;
    j->keys[1] = n->rkeys;
    j->nkeys = n->njkeys;
    j->outer[0] = n->join == SL_JOIN_LEFT || n->join == SL_JOIN_FULL;
    j->outer[1] = n->join == SL_JOIN_RIGHT || n->join == SL_JOIN_FULL;
    j->joined = calloc((size_t)(n->ncols + 1), sizeof *j->joined);
    if (!j->joined) return oom(err);
    for (int s = 0; s < 2; s++) {
        char name[64];
        snprintf(name, sizeof name, "join-%d-%d", n->id, s);
        j->tab[s] = sl_job_table(op->job, name);
        if (!j->tab[s]) return oom(err);
    }
    return 0;
}
