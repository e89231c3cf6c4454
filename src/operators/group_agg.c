/* group_agg.c - GROUP BY with retraction, and SELECT DISTINCT.
 *
 * State (through src/state): per group, an accumulator row keyed by the
 * memcomparable group key: [row count, then each aggregate's slots]. MIN and
 * MAX keep a multiset of values per group (key = group || value -> count),
 * so retracting the current extreme finds the next one; DISTINCT aggregates
 * keep a multiset of the distinct values and count a value only on its
 * first arrival and last departure.
 *
 * Changes are folded per group before state is touched: with mini-batch on,
 * all rows buffered since the last flush (allow-latency timer, size bound,
 * end of input); with it off, each row on its own, so every row updates
 * state immediately as Flink does. For each touched group the operator
 * emits the difference between the result before and after: +I for a new
 * group, -U/+U for a changed one (nothing when the result did not change),
 * -D when its last row was retracted.
 */
#include "exec/op.h"

#include <stdlib.h>
#include <string.h>

#include "exec/arith.h"
#include "state/codec.h"
#include "util/hashmap.h"

typedef struct entry {
    const void *key;           /* encoded group key */
    size_t klen;
    sl_value_t *keyvals;       /* group key values (scratch arena) */
    sl_value_t *acc;           /* accumulator slots (scratch arena) */
    sl_value_t *old_out;       /* results before this fold, if existed */
    bool existed;
    signed char write;         /* finish_fold: 1 put val, -1 delete, 0 nothing */
    const void *val;           /* the encoded accumulators to put (scratch) */
    size_t vlen;
    struct entry *next;        /* fold order */
} entry_t;

typedef struct agg_op {
    int nkeys, naggs;
    const sl_aggcall_t *aggs;
    const sl_type_t **in_types;    /* input columns */
    const sl_type_t **key_types;
    /* accumulator layout */
    int nacc;
    const sl_type_t **acc_types;
    int *acc_pos;                  /* first slot of each aggregate */
    sl_kv_t *acc_tab;
    sl_kv_t **mm_tab;              /* MIN/MAX multisets, per aggregate */
    sl_kv_t **dist_tab;            /* DISTINCT multisets, per aggregate */
    sl_kv_t **seq_tab;             /* FIRST/LAST_VALUE, LISTAGG: group||seq -> value */
    sl_kv_t **idx_tab;             /* ... and group||value||seq, to retract */
    const char **sep;              /* LISTAGG separators */
    uint64_t seq;                  /* arrival order of values */
    /* mini-batch */
    bool minibatch;
    int64_t mb_size;
    sl_batch_t buf;                /* buffered input rows */
    /* scratch */
    sl_arena_t scratch;            /* entries of one fold */
    sl_hmap_t fold;
    bool fold_used;                /* the map holds entries to clear */
    entry_t *first, *last;
    sl_strbuf_t kb, vb, mb;
    sl_arena_t types;              /* accumulator types */
    int phase;                     /* 0 one phase, 1 local, 2 global */
} agg_op_t;

static const sl_type_t bigint_nn = {.id = SL_T_BIGINT, .nullable = false};

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* The type an aggregate accumulates its sum in. */
static const sl_type_t *sum_type(agg_op_t *a, const sl_aggcall_t *ag, sl_arena_t *ar)
{
    if (ag->kind == SL_AGG_SUM || ag->kind == SL_AGG_SUM0) return ag->type;
    /* AVG: sum wide enough, then divide into the result type (AVG_MERGE's
     * argument already is such a sum, which this maps to itself). */
    const sl_type_t *t = ag->arg_type;
    (void)a;
    if (t->id == SL_T_DECIMAL) return sl_type_decimal(ar, 38, t->scale, true);
    if (sl_type_is_integer(t)) return sl_type_with_nullable(ar, &sl_type_bigint, true);
    return sl_type_with_nullable(ar, &sl_type_double, true);
}

static void zero_value(sl_value_t *v, const sl_type_t *t)
{
    memset(v, 0, sizeof *v);
    (void)t;
}

/* ---- multisets (MIN/MAX values, DISTINCT values) ---- */

/* Adds delta to the count of (group, value); returns the new count. */
static int64_t multiset_add(agg_op_t *a, sl_kv_t *tab, const entry_t *e,
                            const sl_value_t *v, const sl_type_t *t, int delta,
                            sl_err_t *err, int *rc)
{
    sl_strbuf_clear(&a->mb);
    if (sl_strbuf_append(&a->mb, e->key, e->klen) || sl_key_encode(&a->mb, v, t)) {
        *rc = oom(err);
        return 0;
    }
    int64_t cnt = 0;
    const void *val;
    size_t vlen;
    if (sl_kv_get(tab, a->mb.buf, a->mb.len, &val, &vlen) == 0 && vlen == sizeof cnt)
        memcpy(&cnt, val, sizeof cnt);
    cnt += delta;
    if (cnt <= 0) {
        sl_kv_del(tab, a->mb.buf, a->mb.len);
        cnt = 0;
    } else if (sl_kv_put(tab, a->mb.buf, a->mb.len, &cnt, sizeof cnt)) {
        *rc = oom(err);
    }
    return cnt;
}

/* MIN (first) or MAX (last) value of a group's multiset. */
static int multiset_extreme(agg_op_t *a, sl_kv_t *tab, const entry_t *e,
                            const sl_type_t *t, bool last, sl_value_t *out,
                            sl_arena_t *ar, sl_err_t *err)
{
    const void *k = NULL, *v;
    size_t klen = 0, vlen;
    int found = 0;
    if (last) {
        found = sl_kv_last(tab, e->key, e->klen, &k, &klen, &v, &vlen);
    } else {
        sl_kv_iter_t *it = sl_kv_iter_new(tab, e->key, e->klen);
        if (!it) return oom(err);
        found = sl_kv_iter_next(it, &k, &klen, &v, &vlen);
        if (found) {
            /* Copy the key out before the iterator goes away. */
            void *copy = sl_arena_memdup(ar, k, klen);
            if (!copy) {
                sl_kv_iter_free(it);
                return oom(err);
            }
            k = copy;
        }
        sl_kv_iter_free(it);
    }
    if (!found) {
        *out = sl_value_null();
        return 0;
    }
    (void)a;
    size_t pos = e->klen;
    if (sl_key_decode(k, klen, &pos, out, t, ar))
        return sl_err_set(err, SL_EINTERNAL, "corrupt MIN/MAX state");
    return 0;
}

/* ---- values in arrival order (FIRST_VALUE, LAST_VALUE, LISTAGG) ---- */

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)v;
        v >>= 8;
    }
}

static int seqlist_add(agg_op_t *a, int i, const entry_t *e, const sl_value_t *v,
                       const sl_type_t *t, sl_err_t *err)
{
    unsigned char seq[8];
    put_be64(seq, ++a->seq);
    sl_strbuf_clear(&a->mb);
    sl_strbuf_clear(&a->vb);
    if (sl_strbuf_append(&a->mb, e->key, e->klen) || sl_strbuf_append(&a->mb, seq, 8) ||
        sl_row_encode(&a->vb, v, &t, 1) ||
        sl_kv_put(a->seq_tab[i], a->mb.buf, a->mb.len, a->vb.buf, a->vb.len))
        return oom(err);
    sl_strbuf_clear(&a->mb);
    if (sl_strbuf_append(&a->mb, e->key, e->klen) || sl_key_encode(&a->mb, v, t) ||
        sl_strbuf_append(&a->mb, seq, 8) ||
        sl_kv_put(a->idx_tab[i], a->mb.buf, a->mb.len, "", 0))
        return oom(err);
    return 0;
}

/* Retracts the earliest arrival of value v (as Flink's *WithRetract
 * functions do). */
static int seqlist_remove(agg_op_t *a, int i, const entry_t *e, const sl_value_t *v,
                          const sl_type_t *t, sl_err_t *err)
{
    sl_strbuf_clear(&a->mb);
    if (sl_strbuf_append(&a->mb, e->key, e->klen) || sl_key_encode(&a->mb, v, t))
        return oom(err);
    sl_kv_iter_t *it = sl_kv_iter_new(a->idx_tab[i], a->mb.buf, a->mb.len);
    if (!it) return oom(err);
    const void *k, *val;
    size_t klen, vlen;
    unsigned char seq[8] = {0};
    int found = sl_kv_iter_next(it, &k, &klen, &val, &vlen);
    if (found && klen >= 8) memcpy(seq, (const char *)k + klen - 8, 8);
    sl_kv_iter_free(it);
    if (!found || klen < 8) return 0; /* never added: nothing to retract */
    size_t plen = a->mb.len;
    if (sl_strbuf_append(&a->mb, seq, 8)) return oom(err);
    sl_kv_del(a->idx_tab[i], a->mb.buf, plen + 8);
    sl_strbuf_clear(&a->mb);
    if (sl_strbuf_append(&a->mb, e->key, e->klen) || sl_strbuf_append(&a->mb, seq, 8))
        return oom(err);
    sl_kv_del(a->seq_tab[i], a->mb.buf, a->mb.len);
    return 0;
}

/* FIRST_VALUE / LAST_VALUE / LISTAGG of a group. */
static int seqlist_result(agg_op_t *a, int i, const entry_t *e, const sl_aggcall_t *ag,
                          sl_value_t *out, sl_arena_t *ar, sl_err_t *err)
{
    const sl_type_t *t = ag->arg_type;
    *out = sl_value_null();
    if (ag->kind == SL_AGG_LAST_VALUE) {
        const void *k, *v;
        size_t klen, vlen;
        if (sl_kv_last(a->seq_tab[i], e->key, e->klen, &k, &klen, &v, &vlen) != 1)
            return 0;
        if (sl_row_decode(v, vlen, out, &t, 1, ar))
            return sl_err_set(err, SL_EINTERNAL, "corrupt LAST_VALUE state");
        return 0;
    }
    sl_kv_iter_t *it = sl_kv_iter_new(a->seq_tab[i], e->key, e->klen);
    if (!it) return oom(err);
    const void *k, *v;
    size_t klen, vlen;
    sl_strbuf_t *cat = &a->mb;
    sl_strbuf_clear(cat);
    int n = 0, rc = 0;
    while (sl_kv_iter_next(it, &k, &klen, &v, &vlen) == 1) {
        sl_value_t x;
        if (sl_row_decode(v, vlen, &x, &t, 1, ar)) {
            rc = sl_err_set(err, SL_EINTERNAL, "corrupt aggregate state");
            break;
        }
        if (ag->kind == SL_AGG_FIRST_VALUE) {
            *out = x;
            break;
        }
        if (n++ && sl_strbuf_puts(cat, a->sep[i] ? a->sep[i] : ",")) rc = oom(err);
        if (!rc && sl_strbuf_append(cat, x.str, x.len)) rc = oom(err);
        if (rc) break;
    }
    sl_kv_iter_free(it);
    if (rc || ag->kind == SL_AGG_FIRST_VALUE || n == 0) return rc;
    char *s = sl_arena_memdup(ar, cat->buf, cat->len);
    if (!s) return oom(err);
    memset(out, 0, sizeof *out);
    out->str = s;
    out->len = (uint32_t)cat->len;
    return 0;
}

/* ---- results ---- */

static int compute_output(agg_op_t *a, const entry_t *e, sl_value_t *out,
                          sl_arena_t *ar, sl_err_t *err)
{
    for (int i = 0; i < a->naggs; i++) {
        const sl_aggcall_t *ag = &a->aggs[i];
        const sl_value_t *s = &e->acc[a->acc_pos[i]];
        sl_value_t *o = &out[i];
        switch (ag->kind) {
        case SL_AGG_COUNT_STAR:
        case SL_AGG_COUNT:
            memset(o, 0, sizeof *o);
            o->i64 = s[0].i64;
            break;
        case SL_AGG_SUM:
            if (s[1].i64 == 0) *o = sl_value_null();
            else *o = s[0];
            break;
        case SL_AGG_SUM0:
            /* The sum slot is an exact zero of its type when empty. */
            *o = s[0];
            o->null = false;
            break;
        case SL_AGG_AVG:
        case SL_AGG_AVG_MERGE: {
            if (s[1].i64 == 0) {
                *o = sl_value_null();
                break;
            }
            int rc = sl_arith(SL_OP_DIV, &s[0], a->acc_types[a->acc_pos[i]], &s[1],
                              &bigint_nn, o, ag->type, err);
            if (rc) return rc;
            break;
        }
        case SL_AGG_MIN:
        case SL_AGG_MAX: {
            int rc = multiset_extreme(a, a->mm_tab[i], e, ag->arg_type,
                                      ag->kind == SL_AGG_MAX, o, ar, err);
            if (rc) return rc;
            break;
        }
        case SL_AGG_FIRST_VALUE:
        case SL_AGG_LAST_VALUE:
        case SL_AGG_LISTAGG: {
            int rc = seqlist_result(a, i, e, ag, o, ar, err);
            if (rc) return rc;
            break;
        }
        default:
            return sl_err_set(err, SL_EUNSUPPORTED, "aggregate not supported");
        }
    }
    return 0;
}

/* ---- folding ---- */

/* The fold entry of a row's group, loaded from state on first sight. A
 * single-row fold (mini-batch off) needs no map. */
/* Reads a new entry's accumulators from state (zeros when absent). */
static int load_state(agg_op_t *a, entry_t *e, sl_err_t *err)
{
    const void *val;
    size_t vlen;
    if (a->phase != 1 && sl_kv_get(a->acc_tab, e->key, e->klen, &val, &vlen) == 0) {
        if (sl_row_decode(val, vlen, e->acc, a->acc_types, a->nacc, &a->scratch))
            return sl_err_set(err, SL_EINTERNAL, "corrupt aggregate state");
        e->existed = true;
        e->old_out = sl_arena_calloc(&a->scratch, (size_t)(a->naggs + 1) * sizeof *e->old_out);
        if (!e->old_out) return oom(err);
        return compute_output(a, e, e->old_out, &a->scratch, err);
    }
    /* Sums start as exact zero of their type. */
    for (int i = 0; i < a->nacc; i++) zero_value(&e->acc[i], a->acc_types[i]);
    return 0;
}

/* The entry of row's group: from this fold, or new (appended to the fold
 * order) with its state read. */
static int load_entry(agg_op_t *a, const sl_value_t *row, bool single,
                      entry_t **out, sl_err_t *err)
{
    sl_strbuf_clear(&a->kb);
    for (int k = 0; k < a->nkeys; k++)
        if (sl_key_encode(&a->kb, &row[k], a->key_types[k])) return oom(err);
    entry_t *e = single ? NULL : sl_hmap_get(&a->fold, a->kb.buf ? a->kb.buf : "", a->kb.len);
    if (e) {
        *out = e;
        return 0;
    }
    e = sl_arena_calloc(&a->scratch, sizeof *e);
    if (!e) return oom(err);
    e->klen = a->kb.len;
    e->key = sl_arena_memdup(&a->scratch, a->kb.buf ? a->kb.buf : "", a->kb.len);
    e->keyvals = sl_arena_calloc(&a->scratch, (size_t)(a->nkeys + 1) * sizeof *e->keyvals);
    e->acc = sl_arena_calloc(&a->scratch, (size_t)a->nacc * sizeof *e->acc);
    if (!e->key || !e->keyvals || !e->acc) return oom(err);
    for (int k = 0; k < a->nkeys; k++)
        if (sl_value_copy(&e->keyvals[k], &row[k], a->key_types[k], &a->scratch))
            return oom(err);
    int rc = load_state(a, e, err);
    if (rc) return rc;
    if (!single) {
        if (sl_hmap_put(&a->fold, e->key, e->klen, e)) return oom(err);
        a->fold_used = true;
    }
    if (a->last) a->last->next = e;
    else a->first = e;
    a->last = e;
    *out = e;
    return 0;
}

static int apply_row(agg_op_t *a, entry_t *e, int kind, const sl_value_t *row,
                     sl_err_t *err)
{
    int sign = sl_row_kind_is_add(kind) ? 1 : -1;
    e->acc[0].i64 += sign;
    for (int i = 0; i < a->naggs; i++) {
        const sl_aggcall_t *ag = &a->aggs[i];
        sl_value_t *s = &e->acc[a->acc_pos[i]];
        if (ag->filter >= 0 && (row[ag->filter].null || !row[ag->filter].b)) continue;
        const sl_value_t *v = ag->arg >= 0 ? &row[ag->arg] : NULL;
        if (v && v->null) continue;
        int rc = 0;
        if (ag->distinct && v) {
            int64_t cnt = multiset_add(a, a->dist_tab[i], e, v, ag->arg_type, sign,
                                       err, &rc);
            if (rc) return rc;
            /* Counts only on the first arrival / the last departure. */
            if (sign > 0 && cnt != 1) continue;
            if (sign < 0 && cnt != 0) continue;
        }
        switch (ag->kind) {
        case SL_AGG_COUNT_STAR:
        case SL_AGG_COUNT:
            s[0].i64 += sign;
            break;
        case SL_AGG_AVG_MERGE: {
            /* A partial (sum, count) of the inner level; a NULL sum comes
             * with a zero count. */
            const sl_type_t *st = a->acc_types[a->acc_pos[i]];
            const sl_value_t *c = &row[ag->arg2];
            sl_value_t r;
            rc = sl_arith(sign > 0 ? SL_OP_ADD : SL_OP_SUB, &s[0], st, v, st, &r, st, err);
            if (rc) return rc;
            s[0] = r;
            s[1].i64 += c->null ? 0 : sign * c->i64;
            if (s[1].i64 == 0) memset(&s[0], 0, sizeof s[0]);
            break;
        }
        case SL_AGG_SUM:
        case SL_AGG_SUM0:
        case SL_AGG_AVG: {
            const sl_type_t *st = a->acc_types[a->acc_pos[i]];
            sl_value_t r;
            /* The sum starts as zero of its type (zeroed slots are exact
             * zeros for BIGINT, DECIMAL and DOUBLE alike). */
            rc = sl_arith(sign > 0 ? SL_OP_ADD : SL_OP_SUB, &s[0], st, v,
                          ag->arg_type, &r, st, err);
            if (rc) return rc;
            s[0] = r;
            s[1].i64 += sign;
            /* A complete group with no values sums to exactly zero. A local
             * partial may count zero values yet carry a sum (a retraction
             * and an addition of different values): keep it. */
            if (s[1].i64 == 0 && a->phase != 1) memset(&s[0], 0, sizeof s[0]);
            break;
        }
        case SL_AGG_MIN:
        case SL_AGG_MAX:
            multiset_add(a, a->mm_tab[i], e, v, ag->arg_type, sign, err, &rc);
            if (rc) return rc;
            break;
        case SL_AGG_FIRST_VALUE:
        case SL_AGG_LAST_VALUE:
        case SL_AGG_LISTAGG:
            rc = sign > 0 ? seqlist_add(a, i, e, v, ag->arg_type, err)
                          : seqlist_remove(a, i, e, v, ag->arg_type, err);
            if (rc) return rc;
            break;
        default:
            return sl_err_set(err, SL_EUNSUPPORTED, "aggregate %s is not supported",
                              ag->name);
        }
    }
    return 0;
}

/* Global phase: adds a local partial accumulator row (keys first, then the
 * accumulator slots) into the group's accumulator. */
static int merge_row(agg_op_t *a, entry_t *e, const sl_value_t *row, sl_err_t *err)
{
    const sl_value_t *part = row + a->nkeys;
    e->acc[0].i64 += part[0].i64;
    for (int i = 0; i < a->naggs; i++) {
        const sl_aggcall_t *ag = &a->aggs[i];
        int pos = a->acc_pos[i];
        sl_value_t *s = &e->acc[pos];
        const sl_value_t *p = &part[pos];
        if (ag->kind == SL_AGG_COUNT_STAR || ag->kind == SL_AGG_COUNT) {
            s[0].i64 += p[0].i64;
            continue;
        }
        /* SUM / AVG: sum and non-null count, both of the accumulator's
         * types; a partial may hold a sum with a zero count (a retraction
         * and an addition), so it is always added. */
        const sl_type_t *st = a->acc_types[pos];
        sl_value_t r;
        int rc = sl_arith(SL_OP_ADD, &s[0], st, &p[0], st, &r, st, err);
        if (rc) return rc;
        s[0] = r;
        s[1].i64 += p[1].i64;
        if (s[1].i64 == 0) memset(&s[0], 0, sizeof s[0]);
    }
    return 0;
}

/* Local phase: emits each folded group's partial accumulator, no state. */
static int emit_partials(sl_op_t *op, agg_op_t *a, sl_err_t *err)
{
    int rc = 0;
    for (entry_t *e = a->first; e && !rc; e = e->next) {
        sl_value_t *o = sl_batch_add(&op->out, SL_INSERT);
        if (!o) {
            rc = oom(err);
            break;
        }
        for (int k = 0; k < a->nkeys && !rc; k++)
            if (sl_batch_set(&op->out, &o[k], &e->keyvals[k], a->key_types[k])) rc = oom(err);
        for (int i = 0; i < a->nacc && !rc; i++)
            if (sl_batch_set(&op->out, &o[a->nkeys + i], &e->acc[i], a->acc_types[i]))
                rc = oom(err);
        if (!rc) rc = sl_op_maybe_emit(op, err);
    }
    if (a->fold_used) sl_hmap_clear(&a->fold);
    a->fold_used = false;
    sl_arena_reset(&a->scratch);
    a->first = a->last = NULL;
    return rc;
}

static bool outputs_equal(agg_op_t *a, const sl_value_t *x, const sl_value_t *y)
{
    for (int i = 0; i < a->naggs; i++) {
        if (x[i].null != y[i].null) return false;
        if (!x[i].null && sl_value_cmp(&x[i], &y[i], a->aggs[i].type) != 0) return false;
    }
    return true;
}

static int emit_row(sl_op_t *op, agg_op_t *a, int kind, const entry_t *e,
                    const sl_value_t *res, sl_err_t *err)
{
    sl_value_t *o = sl_batch_add(&op->out, kind);
    if (!o) return oom(err);
    for (int k = 0; k < a->nkeys; k++)
        if (sl_batch_set(&op->out, &o[k], &e->keyvals[k], a->key_types[k])) return oom(err);
    for (int i = 0; i < a->naggs; i++)
        if (sl_batch_set(&op->out, &o[a->nkeys + i], &res[i], a->aggs[i].type))
            return oom(err);
    return sl_op_maybe_emit(op, err);
}

/* Emits the net change of every folded group and writes its state. */
static int entry_key_cmp(const void *x, const void *y)
{
    const entry_t *a = *(entry_t *const *)x, *b = *(entry_t *const *)y;
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->klen > b->klen) - (a->klen < b->klen);
}

/* Emits each folded group's change in fold order, then writes the state in
 * key order: a mini-batch's writes then land in ascending key order, which
 * RocksDB's memtable inserts with its splice hint (and the B+tree with
 * warm paths) instead of a search from the top for each key. */
static int finish_fold(sl_op_t *op, agg_op_t *a, sl_err_t *err)
{
    int rc = 0, nw = 0;
    sl_value_t *res = sl_arena_calloc(&a->scratch, (size_t)(a->naggs + 1) * sizeof *res);
    if (!res) return oom(err);
    for (entry_t *e = a->first; e && !rc; e = e->next) {
        int64_t cnt = e->acc[0].i64;
        e->write = 0;
        if (cnt <= 0) {
            if (e->existed) {
                rc = emit_row(op, a, SL_DELETE, e, e->old_out, err);
                e->write = -1;
                nw++;
            }
            continue;
        }
        if ((rc = compute_output(a, e, res, &a->scratch, err))) break;
        if (!e->existed) {
            rc = emit_row(op, a, SL_INSERT, e, res, err);
        } else if (!outputs_equal(a, e->old_out, res)) {
            if (!(rc = emit_row(op, a, SL_UPDATE_BEFORE, e, e->old_out, err)))
                rc = emit_row(op, a, SL_UPDATE_AFTER, e, res, err);
        }
        if (rc) break;
        sl_strbuf_clear(&a->vb);
        if (sl_row_encode(&a->vb, e->acc, a->acc_types, a->nacc) ||
            !(e->val = sl_arena_memdup(&a->scratch, a->vb.buf ? a->vb.buf : "", a->vb.len))) {
            rc = oom(err);
            break;
        }
        e->vlen = a->vb.len;
        e->write = 1;
        nw++;
    }
    entry_t **order = rc || !nw ? NULL : sl_arena_alloc(&a->scratch, (size_t)nw * sizeof *order);
    if (!rc && nw && !order) rc = oom(err);
    if (!rc && nw) {
        int k = 0;
        for (entry_t *e = a->first; e; e = e->next)
            if (e->write) order[k++] = e;
        if (nw > 1) qsort(order, (size_t)nw, sizeof *order, entry_key_cmp);
        for (int i = 0; i < nw && !rc; i++) {
            entry_t *e = order[i];
            if (e->write < 0) sl_kv_del(a->acc_tab, e->key, e->klen);
            else if (sl_kv_put(a->acc_tab, e->key, e->klen, e->val, e->vlen)) rc = oom(err);
        }
    }
    if (a->fold_used) sl_hmap_clear(&a->fold);
    a->fold_used = false;
    sl_arena_reset(&a->scratch);
    a->first = a->last = NULL;
    return rc;
}

static int fold_rows(sl_op_t *op, agg_op_t *a, const sl_batch_t *b, int from,
                     int to, sl_err_t *err)
{
    int n = to - from;
    for (int r = from; r < to; r++) {
        const sl_value_t *row = sl_batch_row(b, r);
        entry_t *e = NULL;
        int rc = load_entry(a, row, n == 1, &e, err);
        if (!rc) rc = a->phase == 2 ? merge_row(a, e, row, err)
                                    : apply_row(a, e, b->kinds[r], row, err);
        if (rc) return rc;
    }
    return a->phase == 1 ? emit_partials(op, a, err) : finish_fold(op, a, err);
}

/* Output rows of a push go downstream together. */

static int agg_push(sl_op_t *op, int port, const sl_batch_t *b, sl_err_t *err)
{
    (void)port;
    agg_op_t *a = op->ctx;
    if (!a->minibatch) {
        for (int r = 0; r < b->nrows; r++) {
            int rc = fold_rows(op, a, b, r, r + 1, err);
            if (rc) return rc;
        }
        return sl_op_emit(op, err);
    }
    /* Mini-batch: keep the rows until the next flush. */
    for (int r = 0; r < b->nrows; r++) {
        sl_value_t *dst = sl_batch_add(&a->buf, b->kinds[r]);
        if (!dst) return oom(err);
        const sl_value_t *src = sl_batch_row(b, r);
        for (int c = 0; c < b->ncols; c++)
            if (sl_batch_set(&a->buf, &dst[c], &src[c], a->in_types[c])) return oom(err);
    }
    if (a->mb_size > 0 && a->buf.nrows >= a->mb_size) return op->ops->flush(op, err);
    return 0;
}

static int agg_flush(sl_op_t *op, sl_err_t *err)
{
    agg_op_t *a = op->ctx;
    if (!a->minibatch || a->buf.nrows == 0) return 0;
    int rc = fold_rows(op, a, &a->buf, 0, a->buf.nrows, err);
    sl_batch_reset(&a->buf);
    if (!rc) rc = sl_op_emit(op, err);
    return rc;
}

static void agg_close(sl_op_t *op)
{
    agg_op_t *a = op->ctx;
    if (!a) return;
    sl_batch_destroy(&a->buf);
    sl_arena_destroy(&a->scratch);
    sl_arena_destroy(&a->types);
    sl_hmap_destroy(&a->fold);
    sl_strbuf_destroy(&a->kb);
    sl_strbuf_destroy(&a->vb);
    sl_strbuf_destroy(&a->mb);
    free(a->acc_types);
    free(a->acc_pos);
    free(a->mm_tab);
    free(a->dist_tab);
    free(a->seq_tab);
    free(a->idx_tab);
    free(a->sep);
    free(a->key_types);
    free(a);
    op->ctx = NULL;
}

static const sl_op_ops_t agg_ops = {"GroupAggregate", agg_push, agg_flush, agg_close, NULL, NULL};

int sl_op_agg_init(sl_op_t *op, sl_err_t *err)
{
    const sl_pnode_t *n = op->node;
    const sl_pnode_t *in = n->inputs[0];
    agg_op_t *a = calloc(1, sizeof *a);
    if (!a) return oom(err);
    op->ctx = a;
    op->ops = &agg_ops;
    a->nkeys = n->nkeys;
    a->naggs = n->naggs;
    a->aggs = n->aggs;
    a->in_types = in->types;
    const sl_job_conf_t *conf = sl_job_conf(op->job);
    a->phase = n->agg_phase;
    /* The local phase always folds a mini-batch; the global one merges each
     * partial row as it comes (the local phase has already folded them). */
    a->minibatch = n->agg_phase == 1 ? true : n->agg_phase == 2 ? false : conf->minibatch;
    a->mb_size = conf->minibatch_size;
    sl_arena_init(&a->scratch, 0);
    sl_arena_init(&a->types, 1024);
    if (sl_hmap_init(&a->fold, 64) || sl_batch_init(&a->buf, in->ncols, 0)) return oom(err);
    a->key_types = calloc((size_t)(a->nkeys + 1), sizeof *a->key_types);
    a->acc_pos = calloc((size_t)(a->naggs + 1), sizeof *a->acc_pos);
    a->acc_types = calloc((size_t)(2 * a->naggs + 1), sizeof *a->acc_types);
    a->mm_tab = calloc((size_t)(a->naggs + 1), sizeof *a->mm_tab);
    a->dist_tab = calloc((size_t)(a->naggs + 1), sizeof *a->dist_tab);
    a->seq_tab = calloc((size_t)(a->naggs + 1), sizeof *a->seq_tab);
    a->idx_tab = calloc((size_t)(a->naggs + 1), sizeof *a->idx_tab);
    a->sep = calloc((size_t)(a->naggs + 1), sizeof *a->sep);
    if (!a->key_types || !a->acc_pos || !a->acc_types || !a->mm_tab || !a->dist_tab ||
        !a->seq_tab || !a->idx_tab || !a->sep)
        return oom(err);
    for (int k = 0; k < a->nkeys; k++) a->key_types[k] = in->types[n->keys[k]];
    /* The planner puts the keys first in the input: check. */
    for (int k = 0; k < a->nkeys; k++)
        if (n->keys[k] != k)
            return sl_err_set(err, SL_EINTERNAL, "group keys must lead the input");
    char name[64];
    snprintf(name, sizeof name, "agg-%d", n->id);
    if (a->phase != 1) {
        a->acc_tab = sl_job_table(op->job, name);
        if (!a->acc_tab) return oom(err);
    }
    int slot = 0;
    a->acc_types[slot++] = &bigint_nn; /* row count */
    for (int i = 0; i < a->naggs; i++) {
        const sl_aggcall_t *ag = &a->aggs[i];
        a->acc_pos[i] = slot;
        switch (ag->kind) {
        case SL_AGG_COUNT_STAR:
        case SL_AGG_COUNT:
            a->acc_types[slot++] = &bigint_nn;
            break;
        case SL_AGG_SUM:
        case SL_AGG_SUM0:
        case SL_AGG_AVG:
        case SL_AGG_AVG_MERGE: {
            const sl_type_t *t = sum_type(a, ag, &a->types);
            if (!t) return oom(err);
            a->acc_types[slot++] = t;
            a->acc_types[slot++] = &bigint_nn;
            break;
        }
        case SL_AGG_MIN:
        case SL_AGG_MAX:
            snprintf(name, sizeof name, "agg-%d-mm-%d", n->id, i);
            a->mm_tab[i] = sl_job_table(op->job, name);
            if (!a->mm_tab[i]) return oom(err);
            break;
        case SL_AGG_FIRST_VALUE:
        case SL_AGG_LAST_VALUE:
        case SL_AGG_LISTAGG:
            snprintf(name, sizeof name, "agg-%d-seq-%d", n->id, i);
            a->seq_tab[i] = sl_job_table(op->job, name);
            snprintf(name, sizeof name, "agg-%d-idx-%d", n->id, i);
            a->idx_tab[i] = sl_job_table(op->job, name);
            if (!a->seq_tab[i] || !a->idx_tab[i]) return oom(err);
            if (ag->kind == SL_AGG_LISTAGG && ag->arg2 >= 0 && in->kind == SL_PN_CALC &&
                ag->arg2 < in->nproj && in->proj[ag->arg2]->kind == SL_RX_LITERAL &&
                !in->proj[ag->arg2]->lit.null) {
                const sl_value_t *sv = &in->proj[ag->arg2]->lit;
                char *sep = sl_arena_alloc(&a->types, sv->len + 1);
                if (!sep) return oom(err);
                memcpy(sep, sv->str, sv->len);
                sep[sv->len] = '\0';
                a->sep[i] = sep;
            }
            break;
        default:
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "aggregate %s is not supported by the engine yet",
                              ag->name);
        }
        if (ag->distinct) {
            snprintf(name, sizeof name, "agg-%d-d-%d", n->id, i);
            a->dist_tab[i] = sl_job_table(op->job, name);
            if (!a->dist_tab[i]) return oom(err);
        }
    }
    a->nacc = slot;
    sl_arena_reset(&a->scratch);
    return 0;
}
