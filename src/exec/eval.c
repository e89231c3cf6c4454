/* eval.c - evaluates row expressions (plan/plan.h) over one input row.
 *
 * SQL's three-valued logic: a NULL operand makes most results NULL; AND
 * and OR follow the truth tables (FALSE AND NULL is FALSE); CASE picks the
 * first TRUE condition. Variable-length results are written to the
 * context's arena (the output batch's), so evaluation allocates nothing on
 * the heap. Runtime errors (division by zero, overflow, a failed CAST) carry
 * the SQL position of the expression that failed, as Flink reports them.
 */
#include <string.h>

#include "exec/arith.h"
#include "exec/fn.h"
#include "plan/plan.h"

#define MAX_ARGS 16

/* Adds the expression's position to an error that has none. */
static int at(const sl_rex_t *e, int rc, sl_err_t *err)
{
    if (rc && err && err->off < 0 && e->src) {
        err->off = e->src->off;
        err->len = e->src->len;
    }
    return rc;
}

static int eval_args(const sl_rex_t *e, const sl_value_t *row, sl_eval_ctx_t *c,
                     sl_value_t *vals, sl_err_t *err)
{
    for (int i = 0; i < e->nargs; i++) {
        int rc = sl_rex_eval(e->args[i], row, c, &vals[i], err);
        if (rc) return rc;
    }
    return 0;
}

static void set_bool(sl_value_t *out, int b)
{
    memset(out, 0, sizeof *out);
    if (b < 0) out->null = 1;
    else out->b = b != 0;
}

/* 1 true, 0 false, -1 NULL */
static int truth(const sl_value_t *v)
{
    return v->null ? -1 : v->b ? 1 : 0;
}

int sl_rex_eval(const sl_rex_t *e, const sl_value_t *row, sl_eval_ctx_t *c,
                sl_value_t *out, sl_err_t *err)
{
    sl_value_t a, b;
    int rc;
    switch (e->kind) {
    case SL_RX_INPUT:
        *out = row[e->idx];
        return 0;
    case SL_RX_LITERAL:
    case SL_RX_SYMBOL:
        *out = e->lit;
        return 0;
    case SL_RX_ARITH:
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if ((rc = sl_rex_eval(e->args[1], row, c, &b, err))) return rc;
        if (a.null || b.null) {
            *out = sl_value_null();
            return 0;
        }
        return at(e, sl_arith(e->op, &a, e->args[0]->type, &b, e->args[1]->type,
                              out, e->type, err), err);
    case SL_RX_NEG:
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if (a.null) {
            *out = sl_value_null();
            return 0;
        }
        return at(e, sl_arith_neg(&a, e->args[0]->type, out, e->type, err), err);
    case SL_RX_CMP: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if ((rc = sl_rex_eval(e->args[1], row, c, &b, err))) return rc;
        if (a.null || b.null) {
            set_bool(out, -1);
            return 0;
        }
        int cmp = sl_cmp_mixed(&a, e->args[0]->type, &b, e->args[1]->type);
        int r;
        switch (e->op) {
        case SL_OP_EQ: r = cmp == 0; break;
        case SL_OP_NE: r = cmp != 0; break;
        case SL_OP_LT: r = cmp < 0; break;
        case SL_OP_LE: r = cmp <= 0; break;
        case SL_OP_GT: r = cmp > 0; break;
        default: r = cmp >= 0; break;
        }
        set_bool(out, r);
        return 0;
    }
    case SL_RX_AND: {
        int res = 1;
        for (int i = 0; i < e->nargs; i++) {
            if ((rc = sl_rex_eval(e->args[i], row, c, &a, err))) return rc;
            int t = truth(&a);
            if (t == 0) {
                set_bool(out, 0);
                return 0;
            }
            if (t < 0) res = -1;
        }
        set_bool(out, res);
        return 0;
    }
    case SL_RX_OR: {
        int res = 0;
        for (int i = 0; i < e->nargs; i++) {
            if ((rc = sl_rex_eval(e->args[i], row, c, &a, err))) return rc;
            int t = truth(&a);
            if (t == 1) {
                set_bool(out, 1);
                return 0;
            }
            if (t < 0) res = -1;
        }
        set_bool(out, res);
        return 0;
    }
    case SL_RX_NOT:
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        set_bool(out, a.null ? -1 : !a.b);
        return 0;
    case SL_RX_IS: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        int r;
        switch (e->op) {
        case SL_OP_IS_NULL: r = a.null; break;
        case SL_OP_IS_TRUE: r = !a.null && a.b; break;
        case SL_OP_IS_FALSE: r = !a.null && !a.b; break;
        default: r = a.null; break; /* IS UNKNOWN */
        }
        set_bool(out, e->negated ? !r : r);
        return 0;
    }
    case SL_RX_IS_DISTINCT: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if ((rc = sl_rex_eval(e->args[1], row, c, &b, err))) return rc;
        int distinct;
        if (a.null || b.null) distinct = a.null != b.null;
        else distinct = sl_cmp_mixed(&a, e->args[0]->type, &b, e->args[1]->type) != 0;
        set_bool(out, e->negated ? !distinct : distinct);
        return 0;
    }
    case SL_RX_CONCAT: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if ((rc = sl_rex_eval(e->args[1], row, c, &b, err))) return rc;
        if (a.null || b.null) {
            *out = sl_value_null();
            return 0;
        }
        char *s = sl_arena_alloc(c->arena, (size_t)a.len + b.len + 1);
        if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
        memcpy(s, a.str, a.len);
        memcpy(s + a.len, b.str, b.len);
        memset(out, 0, sizeof *out);
        out->str = s;
        out->len = a.len + b.len;
        return 0;
    }
    case SL_RX_CASE: {
        int pairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
        for (int i = 0; i < pairs; i++) {
            if ((rc = sl_rex_eval(e->args[2 * i], row, c, &a, err))) return rc;
            if (truth(&a) == 1) return sl_rex_eval(e->args[2 * i + 1], row, c, out, err);
        }
        if (e->has_else) return sl_rex_eval(e->args[e->nargs - 1], row, c, out, err);
        *out = sl_value_null();
        return 0;
    }
    case SL_RX_CAST:
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if (a.null) {
            *out = sl_value_null();
            return 0;
        }
        return at(e, sl_value_cast(&a, e->args[0]->type, out, e->type, e->try_cast,
                                   c->arena, err), err);
    case SL_RX_IN: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if (a.null) {
            set_bool(out, -1);
            return 0;
        }
        int res = 0;
        for (int i = 1; i < e->nargs; i++) {
            if ((rc = sl_rex_eval(e->args[i], row, c, &b, err))) return rc;
            if (b.null) {
                res = -1;
                continue;
            }
            if (sl_cmp_mixed(&a, e->args[0]->type, &b, e->args[i]->type) == 0) {
                res = 1;
                break;
            }
        }
        set_bool(out, res < 0 ? -1 : (e->negated ? !res : res));
        return 0;
    }
    case SL_RX_LIKE: {
        sl_value_t v[3];
        if ((rc = eval_args(e, row, c, v, err))) return rc;
        if (v[0].null || v[1].null || (e->nargs > 2 && v[2].null)) {
            set_bool(out, -1);
            return 0;
        }
        int m;
        if (e->op == SL_OP_LIKE) {
            char esc = e->nargs > 2 && v[2].len ? v[2].str[0] : 0;
            m = sl_like(v[0].str, v[0].len, v[1].str, v[1].len, esc);
        } else {
            m = sl_similar(v[0].str, v[0].len, v[1].str, v[1].len, err);
            if (m < 0) return at(e, m, err);
        }
        set_bool(out, e->negated ? !m : m);
        return 0;
    }
    case SL_RX_CALL: {
        sl_value_t vals[MAX_ARGS];
        if (e->nargs > MAX_ARGS)
            return at(e, sl_err_set(err, SL_EINVAL, "too many arguments"), err);
        if ((rc = eval_args(e, row, c, vals, err))) return rc;
        if (!(e->fnflags & SL_FN_NULL_AWARE))
            for (int i = 0; i < e->nargs; i++)
                if (vals[i].null && e->args[i]->kind != SL_RX_SYMBOL) {
                    *out = sl_value_null();
                    return 0;
                }
        const sl_type_t *argt[MAX_ARGS];
        for (int i = 0; i < e->nargs; i++) argt[i] = e->args[i]->type;
        sl_fn_ctx_t fc = {
            .arena = c->arena,
            .nargs = e->nargs,
            .argt = argt,
            .rt = e->type,
            .call = e->src,
            .now_ms = c->now_ms,
        };
        memset(out, 0, sizeof *out);
        return at(e, e->fn(&fc, vals, out, err), err);
    }
    case SL_RX_ROW:
    case SL_RX_ARRAY:
    case SL_RX_MAP: {
        sl_nested_t *n = sl_arena_alloc(c->arena, sizeof *n +
                                        (size_t)e->nargs * sizeof(sl_value_t));
        if (!n) return sl_err_set(err, SL_ENOMEM, "out of memory");
        n->n = e->kind == SL_RX_MAP ? e->nargs / 2 : e->nargs;
        if ((rc = eval_args(e, row, c, n->v, err))) return rc;
        memset(out, 0, sizeof *out);
        out->nested = n;
        out->len = (uint32_t)n->n;
        return 0;
    }
    case SL_RX_ITEM: {
        if ((rc = sl_rex_eval(e->args[0], row, c, &a, err))) return rc;
        if ((rc = sl_rex_eval(e->args[1], row, c, &b, err))) return rc;
        *out = sl_value_null();
        if (a.null || b.null || !a.nested) return 0;
        const sl_type_t *ct = e->args[0]->type;
        if (ct->id == SL_T_ARRAY) {
            if (b.i64 >= 1 && b.i64 <= a.nested->n) *out = a.nested->v[b.i64 - 1];
        } else if (ct->id == SL_T_MAP) {
            for (int i = 0; i < a.nested->n; i++)
                if (!a.nested->v[i].null &&
                    sl_cmp_mixed(&a.nested->v[i], ct->key, &b, e->args[1]->type) == 0) {
                    *out = a.nested->v[a.nested->n + i];
                    break;
                }
        } else if (ct->id == SL_T_ROW) {
            if (b.i64 >= 0 && b.i64 < a.nested->n) *out = a.nested->v[b.i64];
        }
        return 0;
    }
    }
    return sl_err_set(err, SL_EINTERNAL, "unknown expression kind %d", e->kind);
}

int sl_rex_test(const sl_rex_t *e, const sl_value_t *row, sl_eval_ctx_t *c,
                sl_err_t *err)
{
    sl_value_t v;
    int rc = sl_rex_eval(e, row, c, &v, err);
    if (rc) return rc;
    return !v.null && v.b;
}
