/* planner.c - bound SQL to a DAG of operator nodes, with changelog modes.
 *
 * A SELECT becomes: its FROM tree (scans, joins, derived tables; a table's
 * computed columns are a calc over its scan), a calc for WHERE, then for an
 * aggregate query a calc that lines up group keys and aggregate arguments, a
 * group-aggregate node, and a calc for HAVING and the select list. Views and
 * WITH entries are inlined; a table read by several queries of the job is
 * scanned once (same table, same options). UNION ALL is a union node, with
 * calcs that cast each input to the common types.
 *
 * Column references in the AST carry (scope depth, relation, column) from the
 * binder; within one SELECT, the input row of every expression is the
 * concatenation of the FROM leaves in binder order, so a reference becomes
 * input index leaf_offset[relation] + column.
 */
#include "plan/plan.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/functions.h"
#include "util/decimal.h"
#include "util/strbuf.h"
#include "util/time.h"

typedef struct planner {
    sl_plan_t *plan;
    const sl_script_t *sc;
    sl_catalog_t *cat;
    sl_arena_t *a;
    sl_err_t *err;
    int next_id;
    int depth;
} planner_t;

static int pfail(planner_t *p, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int pfail(planner_t *p, int off, int len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_err_vat(p->err, SL_EINVAL, off, len, fmt, ap);
    va_end(ap);
    return -SL_EINVAL;
}

static int poom(planner_t *p)
{
    return sl_err_set(p->err, SL_ENOMEM, "out of memory while planning");
}

#define TRY(x)                                                             \
    do {                                                                   \
        int rc_ = (x);                                                     \
        if (rc_) return rc_;                                               \
    } while (0)

static void *pal(planner_t *p, size_t n)
{
    return sl_arena_calloc(p->a, n ? n : 1);
}

/* ---- nodes ---- */

static sl_pnode_t *node_new(planner_t *p, int kind, int ncols, int off, int len)
{
    sl_pnode_t *n = pal(p, sizeof *n);
    if (!n) return NULL;
    n->kind = (uint8_t)kind;
    n->id = p->next_id++;
    n->off = off;
    n->len = len;
    n->ncols = ncols;
    n->names = pal(p, (size_t)ncols * sizeof *n->names);
    n->types = pal(p, (size_t)ncols * sizeof *n->types);
    if (!n->names || !n->types) return NULL;
    return n;
}

static int node_add_input(planner_t *p, sl_pnode_t *n, sl_pnode_t *in)
{
    sl_pnode_t **v = pal(p, (size_t)(n->ninputs + 1) * sizeof *v);
    if (!v) return poom(p);
    if (n->ninputs) memcpy(v, n->inputs, (size_t)n->ninputs * sizeof *v);
    v[n->ninputs++] = in;
    n->inputs = v;
    return 0;
}

static int node_done(planner_t *p, sl_pnode_t *n)
{
    return sl_list_push(p->a, &p->plan->nodes, n) ? poom(p) : 0;
}

/* ---- row expressions ---- */

static sl_rex_t *rex_new(planner_t *p, int kind, const sl_type_t *t, int nargs)
{
    sl_rex_t *r = pal(p, sizeof *r);
    if (!r) return NULL;
    r->kind = (uint8_t)kind;
    r->type = t;
    r->nargs = nargs;
    if (nargs) {
        r->args = pal(p, (size_t)nargs * sizeof *r->args);
        if (!r->args) return NULL;
    }
    return r;
}

static sl_rex_t *rex_input(planner_t *p, int idx, const sl_type_t *t)
{
    sl_rex_t *r = rex_new(p, SL_RX_INPUT, t, 0);
    if (r) r->idx = idx;
    return r;
}

/* CAST when the types differ (beyond nullability / time attributes). */
static int rex_cast_to(planner_t *p, sl_rex_t **r, const sl_type_t *to)
{
    const sl_type_t *from = (*r)->type;
    if (sl_type_equal(from, to) || from->id == SL_T_NULL) {
        if (from->id == SL_T_NULL) (*r)->type = to;
        return 0;
    }
    sl_rex_t *c = rex_new(p, SL_RX_CAST, to, 1);
    if (!c) return poom(p);
    c->args[0] = *r;
    c->src = (*r)->src;
    *r = c;
    return 0;
}

/* The value of a literal node, in the plan arena. */
static int literal_value(planner_t *p, const sl_expr_t *e, const sl_type_t *t,
                         sl_value_t *v)
{
    memset(v, 0, sizeof *v);
    switch (e->op) {
    case SL_LIT_NULL:
        v->null = 1;
        return 0;
    case SL_LIT_BOOL:
        v->b = e->str && (e->str[0] == 'T' || e->str[0] == 't');
        return 0;
    case SL_LIT_INT:
        if (t->id == SL_T_DECIMAL) break;
        v->i64 = strtoll(e->str, NULL, 10);
        return 0;
    case SL_LIT_DOUBLE:
        v->f64 = strtod(e->str, NULL);
        return 0;
    case SL_LIT_STRING:
        v->str = e->str;
        v->len = (uint32_t)e->slen;
        return 0;
    case SL_LIT_BINARY: {
        char *bytes = pal(p, (size_t)e->slen / 2 + 1);
        if (!bytes) return poom(p);
        for (int i = 0; i + 1 < e->slen; i += 2) {
            char hex[3] = {e->str[i], e->str[i + 1], 0};
            bytes[i / 2] = (char)strtol(hex, NULL, 16);
        }
        v->str = bytes;
        v->len = (uint32_t)e->slen / 2;
        return 0;
    }
    case SL_LIT_DATE:
        if (sl_date_parse(e->str, (size_t)e->slen, &v->date))
            return pfail(p, e->off, e->len, "invalid DATE literal '%s'", e->str);
        return 0;
    case SL_LIT_TIME:
        if (sl_time_parse(e->str, (size_t)e->slen, 9, &v->time))
            return pfail(p, e->off, e->len, "invalid TIME literal '%s'", e->str);
        return 0;
    case SL_LIT_TIMESTAMP:
    case SL_LIT_TIMESTAMP_LTZ:
        if (sl_timestamp_parse(e->str, (size_t)e->slen, 9, &v->ts))
            return pfail(p, e->off, e->len, "invalid TIMESTAMP literal '%s'",
                         e->str);
        return 0;
    default:
        break;
    }
    /* DECIMAL literal (or an integer too big for BIGINT). */
    sl_decimal_t d;
    if (sl_decimal_parse(e->str, strlen(e->str), t->len, t->scale, &d))
        return pfail(p, e->off, e->len, "numeric literal '%s' is out of range",
                     e->str);
    v->dec = d.unscaled;
    return 0;
}

/* How AST expressions map to input columns in one SELECT. */
typedef struct xmap {
    const int *leaf_off;       /* input offset of each FROM leaf */
    int nleaves;
    /* after a GROUP BY: group expressions and aggregate calls by position */
    bool post_agg;
    const sl_expr_t *const *gexprs;
    int ngexprs;
    const sl_expr_t *const *aggs;
    int naggs;
    const sl_type_t *const *in_types;  /* types of the post-agg input */
} xmap_t;

static int convert(planner_t *p, const xmap_t *m, const sl_expr_t *e,
                   sl_rex_t **out);
static bool same_agg(const sl_expr_t *a, const sl_expr_t *b);

static int convert_args(planner_t *p, const xmap_t *m, const sl_list_t *l,
                        sl_rex_t *r, int first)
{
    for (int i = 0; i < l->n; i++)
        TRY(convert(p, m, l->items[i], &r->args[first + i]));
    return 0;
}

static int convert_call(planner_t *p, const xmap_t *m, const sl_expr_t *e,
                        sl_rex_t **out)
{
    const sl_func_t *f = e->func;
    if (!f) return pfail(p, e->off, e->len, "unresolved function");
    if (e->over)
        return pfail(p, e->off, e->len,
                     "OVER windows (%s ... OVER) are not supported by the "
                     "engine yet",
                     f->name);
    if (f->kind == SL_FN_AGG)
        return pfail(p, e->off, e->len,
                     "aggregate %s is not allowed here", f->name);
    if (f->kind != SL_FN_SCALAR)
        return pfail(p, e->off, e->len,
                     "%s is not supported by the engine yet", f->name);
    unsigned flags = 0;
    sl_fn_impl_t fn = sl_fn_find(f->name, &flags);
    if (!fn)
        return pfail(p, e->name.off, e->name.len,
                     "function %s is not implemented by the engine yet",
                     f->name);
    sl_rex_t *r = rex_new(p, SL_RX_CALL, e->type, e->args.n);
    if (!r) return poom(p);
    r->fn = fn;
    r->fnflags = flags;
    r->src = e;
    TRY(convert_args(p, m, &e->args, r, 0));
    *out = r;
    return 0;
}

static int convert(planner_t *p, const xmap_t *m, const sl_expr_t *e,
                   sl_rex_t **out)
{
    if (++p->depth > 400) {
        p->depth--;
        return pfail(p, e->off, e->len, "expression is nested too deeply");
    }
    int rc = 0;
    sl_rex_t *r = NULL;
    if (m->post_agg) {
        for (int i = 0; i < m->ngexprs; i++)
            if (sl_expr_equal(m->gexprs[i], e)) {
                r = rex_input(p, i, m->in_types[i]);
                goto done;
            }
        if (sl_expr_is_group_agg(e))
            for (int i = 0; i < m->naggs; i++)
                if (m->aggs[i] == e || same_agg(m->aggs[i], e)) {
                    r = rex_input(p, m->ngexprs + i, m->in_types[m->ngexprs + i]);
                    goto done;
                }
    }
    switch (e->kind) {
    case SL_X_LITERAL:
        r = rex_new(p, SL_RX_LITERAL, e->type, 0);
        if (!r) break;
        r->src = e;
        rc = literal_value(p, e, e->type, &r->lit);
        break;
    case SL_X_INTERVAL: {
        r = rex_new(p, SL_RX_LITERAL, e->type, 0);
        if (!r) break;
        r->src = e;
        int64_t val;
        int months;
        static const int tu[] = {
            [SL_U_YEAR] = SL_TU_YEAR, [SL_U_QUARTER] = SL_TU_QUARTER,
            [SL_U_MONTH] = SL_TU_MONTH, [SL_U_WEEK] = SL_TU_WEEK,
            [SL_U_DAY] = SL_TU_DAY, [SL_U_HOUR] = SL_TU_HOUR,
            [SL_U_MINUTE] = SL_TU_MINUTE, [SL_U_SECOND] = SL_TU_SECOND,
        };
        int from = e->unit_from <= SL_U_SECOND ? tu[e->unit_from] : SL_TU_SECOND;
        int to = e->unit_to && e->unit_to <= SL_U_SECOND ? tu[e->unit_to] : from;
        if (sl_interval_parse(e->str, (size_t)e->slen, from, to, &val, &months)) {
            rc = pfail(p, e->off, e->len, "invalid interval literal '%s'", e->str);
            break;
        }
        r->lit.i64 = val;
        break;
    }
    case SL_X_COLUMN: {
        if (m->post_agg)
            return pfail(p, e->off, e->len,
                         "'%.*s' is not grouped", e->len, p->sc->src + e->off);
        if (e->ref_rel != 0 || e->ref_src >= m->nleaves)
            return pfail(p, e->off, e->len,
                         "correlated subqueries (a reference to '%.*s' of an "
                         "outer query) are not supported yet",
                         e->len, p->sc->src + e->off);
        int idx = m->leaf_off[e->ref_src] + e->ref_col;
        if (e->ref_fields == 0) {
            r = rex_input(p, idx, e->type);
            if (r) r->src = e;
            break;
        }
        return pfail(p, e->off, e->len,
                     "access to ROW fields is not supported by the engine yet");
    }
    case SL_X_UNARY:
        if (e->op == SL_OP_POS) {
            rc = convert(p, m, e->a, &r);
            break;
        }
        r = rex_new(p, e->op == SL_OP_NOT ? SL_RX_NOT : SL_RX_NEG, e->type, 1);
        if (!r) break;
        r->src = e;
        rc = convert(p, m, e->a, &r->args[0]);
        break;
    case SL_X_BINARY: {
        int kind;
        switch (e->op) {
        case SL_OP_AND: kind = SL_RX_AND; break;
        case SL_OP_OR: kind = SL_RX_OR; break;
        case SL_OP_CONCAT: kind = SL_RX_CONCAT; break;
        case SL_OP_EQ: case SL_OP_NE: case SL_OP_LT: case SL_OP_LE:
        case SL_OP_GT: case SL_OP_GE: kind = SL_RX_CMP; break;
        default: kind = SL_RX_ARITH; break;
        }
        r = rex_new(p, kind, e->type, 2);
        if (!r) break;
        r->op = e->op;
        r->src = e;
        if (!(rc = convert(p, m, e->a, &r->args[0])))
            rc = convert(p, m, e->b, &r->args[1]);
        break;
    }
    case SL_X_IS:
        r = rex_new(p, SL_RX_IS, e->type, 1);
        if (!r) break;
        r->op = e->op;
        r->negated = (e->flags & SL_XF_NOT) != 0;
        r->src = e;
        rc = convert(p, m, e->a, &r->args[0]);
        break;
    case SL_X_IS_DISTINCT:
        r = rex_new(p, SL_RX_IS_DISTINCT, e->type, 2);
        if (!r) break;
        r->negated = (e->flags & SL_XF_NOT) != 0;
        r->src = e;
        if (!(rc = convert(p, m, e->a, &r->args[0])))
            rc = convert(p, m, e->b, &r->args[1]);
        break;
    case SL_X_BETWEEN: {
        /* a BETWEEN lo AND hi == a >= lo AND a <= hi (SYMMETRIC: either
         * order of the bounds). */
        sl_rex_t *a, *lo, *hi;
        if ((rc = convert(p, m, e->a, &a)) || (rc = convert(p, m, e->b, &lo)) ||
            (rc = convert(p, m, e->c, &hi)))
            break;
        const sl_type_t *bt = e->type;
        sl_rex_t *ge = rex_new(p, SL_RX_CMP, bt, 2), *le = rex_new(p, SL_RX_CMP, bt, 2);
        sl_rex_t *both = rex_new(p, SL_RX_AND, bt, 2);
        if (!ge || !le || !both) break;
        ge->op = SL_OP_GE; ge->args[0] = a; ge->args[1] = lo; ge->src = e;
        le->op = SL_OP_LE; le->args[0] = a; le->args[1] = hi; le->src = e;
        both->args[0] = ge; both->args[1] = le; both->src = e;
        r = both;
        if (e->flags & SL_XF_SYMMETRIC) {
            sl_rex_t *ge2 = rex_new(p, SL_RX_CMP, bt, 2), *le2 = rex_new(p, SL_RX_CMP, bt, 2);
            sl_rex_t *both2 = rex_new(p, SL_RX_AND, bt, 2), *either = rex_new(p, SL_RX_OR, bt, 2);
            if (!ge2 || !le2 || !both2 || !either) { r = NULL; break; }
            ge2->op = SL_OP_GE; ge2->args[0] = a; ge2->args[1] = hi; ge2->src = e;
            le2->op = SL_OP_LE; le2->args[0] = a; le2->args[1] = lo; le2->src = e;
            both2->args[0] = ge2; both2->args[1] = le2; both2->src = e;
            either->args[0] = both; either->args[1] = both2; either->src = e;
            r = either;
        }
        if (e->flags & SL_XF_NOT) {
            sl_rex_t *n = rex_new(p, SL_RX_NOT, bt, 1);
            if (!n) { r = NULL; break; }
            n->args[0] = r;
            n->src = e;
            r = n;
        }
        break;
    }
    case SL_X_IN_LIST:
        r = rex_new(p, SL_RX_IN, e->type, e->args.n + 1);
        if (!r) break;
        r->negated = (e->flags & SL_XF_NOT) != 0;
        r->src = e;
        if (!(rc = convert(p, m, e->a, &r->args[0])))
            rc = convert_args(p, m, &e->args, r, 1);
        break;
    case SL_X_LIKE:
        r = rex_new(p, SL_RX_LIKE, e->type, e->c ? 3 : 2);
        if (!r) break;
        r->op = e->op;
        r->negated = (e->flags & SL_XF_NOT) != 0;
        r->src = e;
        if (!(rc = convert(p, m, e->a, &r->args[0])) &&
            !(rc = convert(p, m, e->b, &r->args[1])) && e->c)
            rc = convert(p, m, e->c, &r->args[2]);
        break;
    case SL_X_CASE: {
        int n = e->args.n + (e->c ? 1 : 0);
        r = rex_new(p, SL_RX_CASE, e->type, n);
        if (!r) break;
        r->has_else = e->c != NULL;
        r->src = e;
        for (int i = 0; i < e->args.n && !rc; i += 2) {
            const sl_expr_t *w = e->args.items[i];
            if (e->a) {
                /* CASE x WHEN v: x = v */
                sl_rex_t *eq = rex_new(p, SL_RX_CMP, &sl_type_boolean, 2);
                if (!eq) { rc = poom(p); break; }
                eq->op = SL_OP_EQ;
                eq->src = w;
                if ((rc = convert(p, m, e->a, &eq->args[0]))) break;
                if ((rc = convert(p, m, w, &eq->args[1]))) break;
                r->args[i] = eq;
            } else if ((rc = convert(p, m, w, &r->args[i]))) {
                break;
            }
            if ((rc = convert(p, m, e->args.items[i + 1], &r->args[i + 1]))) break;
            rc = rex_cast_to(p, &r->args[i + 1], e->type);
        }
        if (!rc && e->c) {
            if (!(rc = convert(p, m, e->c, &r->args[n - 1])))
                rc = rex_cast_to(p, &r->args[n - 1], e->type);
        }
        break;
    }
    case SL_X_CAST:
        r = rex_new(p, SL_RX_CAST, e->type, 1);
        if (!r) break;
        r->try_cast = (e->flags & SL_XF_TRY) != 0;
        r->src = e;
        rc = convert(p, m, e->a, &r->args[0]);
        break;
    case SL_X_CALL:
        rc = convert_call(p, m, e, &r);
        break;
    case SL_X_SYMBOL:
        r = rex_new(p, SL_RX_SYMBOL, &sl_type_symbol, 0);
        if (!r) break;
        r->src = e;
        if (e->op != SL_U_NONE) {
            r->lit.i64 = e->op;
        } else {
            /* TRIM's BOTH / LEADING / TRAILING */
            r->lit.i64 = !strcasecmp(e->str, "LEADING") ? 1
                       : !strcasecmp(e->str, "TRAILING") ? 2 : 0;
        }
        break;
    case SL_X_ROW:
    case SL_X_ARRAY:
    case SL_X_MAP:
        r = rex_new(p, e->kind == SL_X_ROW ? SL_RX_ROW
                       : e->kind == SL_X_ARRAY ? SL_RX_ARRAY : SL_RX_MAP,
                    e->type, e->args.n);
        if (!r) break;
        r->src = e;
        rc = convert_args(p, m, &e->args, r, 0);
        break;
    case SL_X_ITEM:
        r = rex_new(p, SL_RX_ITEM, e->type, 2);
        if (!r) break;
        r->src = e;
        if (!(rc = convert(p, m, e->a, &r->args[0])))
            rc = convert(p, m, e->b, &r->args[1]);
        break;
    case SL_X_SUBQUERY:
    case SL_X_IN_QUERY:
    case SL_X_EXISTS:
        rc = pfail(p, e->off, e->len,
                   "subqueries in expressions are not supported by the engine "
                   "yet: join the subquery in FROM instead");
        break;
    default:
        rc = pfail(p, e->off, e->len,
                   "this expression is not supported by the engine yet");
        break;
    }
done:
    p->depth--;
    if (rc) return rc;
    if (!r) return poom(p);
    *out = r;
    return 0;
}

/* ---- calc nodes ---- */

/* A calc over in: the given projections (NULL: identity) and filter. */
static int make_calc(planner_t *p, sl_pnode_t *in, sl_rex_t *filter,
                     sl_rex_t **proj, int nproj, const char *const *names,
                     int off, int len, sl_pnode_t **out)
{
    /* A calc that neither filters nor computes (every column passed through
     * in order, same types) would only copy rows: use its input. Names are
     * positional downstream, so a rename needs no operator either. */
    if (!filter && proj && nproj == in->ncols && in->kind != SL_PN_SINK) {
        bool identity = true;
        for (int i = 0; i < nproj && identity; i++)
            identity = proj[i]->kind == SL_RX_INPUT && proj[i]->idx == i &&
                       sl_type_equal(proj[i]->type, in->types[i]) &&
                       proj[i]->type->nullable == in->types[i]->nullable;
        if (identity) {
            *out = in;
            return 0;
        }
    }
    int ncols = proj ? nproj : in->ncols;
    sl_pnode_t *n = node_new(p, SL_PN_CALC, ncols, off, len);
    if (!n) return poom(p);
    TRY(node_add_input(p, n, in));
    n->filter = filter;
    if (!proj) {
        proj = pal(p, (size_t)ncols * sizeof *proj);
        if (!proj) return poom(p);
        for (int i = 0; i < ncols; i++) {
            proj[i] = rex_input(p, i, in->types[i]);
            if (!proj[i]) return poom(p);
        }
        names = in->names;
    }
    n->proj = proj;
    n->nproj = ncols;
    for (int i = 0; i < ncols; i++) {
        n->types[i] = proj[i]->type;
        n->names[i] = names ? names[i] : sl_arena_printf(p->a, "EXPR$%d", i);
        if (!n->names[i]) return poom(p);
    }
    /* A calc keeps its input's changelog mode; its unique key survives when
     * every key column is projected as is. */
    n->mode = in->mode;
    if (in->nukey) {
        int *uk = pal(p, (size_t)in->nukey * sizeof *uk);
        if (!uk) return poom(p);
        int k = 0;
        for (int i = 0; i < in->nukey; i++)
            for (int j = 0; j < ncols; j++)
                if (proj[j]->kind == SL_RX_INPUT && proj[j]->idx == in->ukey[i]) {
                    uk[k++] = j;
                    break;
                }
        if (k == in->nukey) {
            n->ukey = uk;
            n->nukey = k;
        }
    }
    TRY(node_done(p, n));
    *out = n;
    return 0;
}

/* ---- FROM ---- */

typedef struct leaves {
    int *off;
    int n, cap;
    int total;                 /* columns so far */
} leaves_t;

static int leaves_add(planner_t *p, leaves_t *l, int ncols)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        int *v = pal(p, (size_t)cap * sizeof *v);
        if (!v) return poom(p);
        if (l->n) memcpy(v, l->off, (size_t)l->n * sizeof *v);
        l->off = v;
        l->cap = cap;
    }
    l->off[l->n++] = l->total;
    l->total += ncols;
    return 0;
}

static int plan_query(planner_t *p, const sl_query_t *q, sl_pnode_t **out);

static bool is_updating_format(const sl_options_t *o)
{
    const char *f = sl_options_str(o, "format", NULL);
    return f && (!strcmp(f, "debezium-json") || !strcmp(f, "canal-json"));
}

/* Finds the connector of a table and checks its options (WITH merged with
 * an OPTIONS hint). */
static int table_connector(planner_t *p, const sl_table_t *t,
                           const sl_list_t *hints, unsigned role, int off,
                           int len, const sl_connector_type_t **ct,
                           sl_options_t *opts)
{
    const sl_option_t *conn = NULL;
    sl_list_t given = {0};
    for (int i = 0; i < t->options.n; i++) {
        sl_option_t *o = t->options.items[i];
        if (!strcmp(o->key, "connector")) conn = o;
    }
    if (!conn)
        return pfail(p, off, len,
                     "table '%s' has no 'connector' option: add WITH "
                     "('connector' = '...')",
                     t->name);
    *ct = sl_connector_find(conn->value);
    if (!*ct) {
        char known[512];
        int o = 0;
        known[0] = '\0';
        for (int i = 0; sl_connector_at(i) && o < (int)sizeof known - 40; i++)
            o += snprintf(known + o, sizeof known - (size_t)o, "%s%s",
                          i ? ", " : "", sl_connector_at(i)->name);
        return pfail(p, conn->val_off, conn->val_len,
                     "unknown connector '%s'; available connectors: %s",
                     conn->value, known);
    }
    if (!((*ct)->roles & role))
        return pfail(p, conn->val_off, conn->val_len,
                     "connector '%s' cannot be used as a %s (table '%s')",
                     conn->value, role == SL_CONN_SOURCE ? "source" : "sink",
                     t->name);
    /* Hint options override the table's. */
    for (int i = 0; i < t->options.n; i++) {
        sl_option_t *o = t->options.items[i];
        bool over = false;
        for (int h = 0; hints && h < hints->n; h++) {
            const sl_hint_t *hint = hints->items[h];
            if (strcasecmp(hint->name.name, "OPTIONS")) continue;
            for (int k = 0; k < hint->options.n; k++)
                if (!strcmp(((sl_option_t *)hint->options.items[k])->key, o->key))
                    over = true;
        }
        if (!over && sl_list_push(p->a, &given, o)) return poom(p);
    }
    for (int h = 0; hints && h < hints->n; h++) {
        const sl_hint_t *hint = hints->items[h];
        if (strcasecmp(hint->name.name, "OPTIONS")) continue;
        for (int k = 0; k < hint->options.n; k++)
            if (sl_list_push(p->a, &given, hint->options.items[k])) return poom(p);
    }
    /* Physical columns only: that is what the connector reads or writes. */
    int nphys = 0;
    const char **names = pal(p, (size_t)(t->rel.n + 1) * sizeof *names);
    if (!names) return poom(p);
    for (int i = 0; i < t->rel.n; i++) {
        const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
        if (!d || d->kind == SL_COL_PHYSICAL) names[nphys++] = t->rel.cols[i].name;
    }
    TRY(sl_options_check(*ct, &given, nphys, names, p->a, opts, p->err));
    if (!(*ct)->validate) return 0;
    /* Checks across options and column types (datagen's field options,
     * filesystem formats), so sluice explain and planning see them too. */
    const sl_type_t **types = pal(p, (size_t)(nphys + 1) * sizeof *types);
    if (!types) return poom(p);
    int k = 0;
    for (int i = 0; i < t->rel.n; i++) {
        const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
        if (!d || d->kind == SL_COL_PHYSICAL) types[k++] = t->rel.cols[i].type;
    }
    /* The primary key, as indexes of the physical columns. */
    int *pk = NULL, npk = 0;
    if (t->npk) {
        pk = pal(p, (size_t)t->npk * sizeof *pk);
        if (!pk) return poom(p);
        for (int i = 0; i < t->npk; i++) {
            const sl_coldef_t *d = t->defs ? t->defs[t->pk[i]] : NULL;
            if (d && d->kind != SL_COL_PHYSICAL) continue;
            int ph = 0;
            for (int j = 0; j < t->pk[i]; j++)
                if (!t->defs || !t->defs[j] || t->defs[j]->kind == SL_COL_PHYSICAL) ph++;
            pk[npk++] = ph;
        }
    }
    sl_conn_ctx_t cx = {.table = t->name, .ncols = nphys, .names = names,
                        .types = types, .pk = pk, .npk = npk, .opts = opts,
                        .job_name = p->plan->conf.job_name, .arena = p->a};
    return (*ct)->validate(&cx, p->err);
}

/* A metadata column must name a key the connector provides, with its
 * type (Flink's SupportsReadingMetadata). */
static int check_metadata(planner_t *p, const sl_connector_type_t *ct,
                          const sl_coldef_t *d, const sl_type_t *t)
{
    const char *key = d->meta_key ? d->meta_key : d->name.name;
    if (!ct->metadata || !ct->metadata[0].key)
        return pfail(p, d->off, d->name.len,
                     "metadata column '%s': connector '%s' provides no metadata",
                     d->name.name, ct->name);
    sl_strbuf_t keys = SL_STRBUF_INIT;
    for (const sl_meta_spec_t *m = ct->metadata; m->key; m++) {
        if (!strcmp(m->key, key)) {
            sl_strbuf_destroy(&keys);
            if (t->id != m->type_id)
                return pfail(p, d->off, d->len,
                             "metadata column '%s': '%s' of connector '%s' is "
                             "%s; declare the column with that type",
                             d->name.name, key, ct->name, m->type);
            return 0;
        }
        sl_strbuf_printf(&keys, "%s'%s'", keys.len ? ", " : "", m->key);
    }
    int rc = pfail(p, d->off, d->len,
                   "metadata column '%s': connector '%s' has no metadata key "
                   "'%s'; available: %s",
                   d->name.name, ct->name, key, keys.buf ? keys.buf : "");
    sl_strbuf_destroy(&keys);
    return rc;
}

static int plan_scan(planner_t *p, const sl_tref_t *tr, const sl_table_t *t,
                     sl_pnode_t **out)
{
    /* One scan per table and options: queries of a job share it. */
    if (!tr->hints.n) {
        for (int i = 0; i < p->plan->nodes.n; i++) {
            sl_pnode_t *n = p->plan->nodes.items[i];
            if (n->kind == SL_PN_SCAN && n->table == t && !n->desc) {
                *out = n;
                goto computed;
            }
        }
    }
    {
        const sl_connector_type_t *ct;
        sl_options_t opts;
        TRY(table_connector(p, t, &tr->hints, SL_CONN_SOURCE, tr->off, tr->len,
                            &ct, &opts));
        int nphys = 0, nmeta = 0;
        for (int i = 0; i < t->rel.n; i++) {
            const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
            if (d && d->kind == SL_COL_METADATA) {
                TRY(check_metadata(p, ct, d, t->rel.cols[i].type));
                nmeta++;
            }
            if (!d || d->kind == SL_COL_PHYSICAL) nphys++;
        }
        /* Physical columns in table order, then metadata columns. */
        sl_pnode_t *n = node_new(p, SL_PN_SCAN, nphys + nmeta, tr->off, tr->len);
        if (!n) return poom(p);
        n->table = t;
        n->conn = ct;
        n->opts = opts;
        n->phys = pal(p, (size_t)(nphys + nmeta) * sizeof *n->phys);
        if (!n->phys) return poom(p);
        int k = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < t->rel.n; i++) {
                const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
                int kind = d ? d->kind : SL_COL_PHYSICAL;
                if (kind != (pass ? SL_COL_METADATA : SL_COL_PHYSICAL)) continue;
                n->phys[k] = i;
                n->names[k] = t->rel.cols[i].name;
                n->types[k] = t->rel.cols[i].type;
                k++;
            }
        n->mode = ct->changelog || is_updating_format(&opts) ? SL_CM_RETRACT
                                                             : SL_CM_INSERT_ONLY;
        if (n->mode != SL_CM_INSERT_ONLY && t->npk) {
            /* A changelog source keyed by its primary key. */
            n->ukey = pal(p, (size_t)t->npk * sizeof *n->ukey);
            if (!n->ukey) return poom(p);
            for (int i = 0; i < t->npk; i++)
                for (int j = 0; j < nphys; j++)
                    if (n->phys[j] == t->pk[i]) n->ukey[n->nukey++] = j;
        }
        TRY(node_done(p, n));
        *out = n;
    }
computed:;
    /* Computed and metadata columns: a calc over the scan yields the
     * table's columns in declared order. */
    bool any = false;
    int nphys = 0;
    for (int i = 0; i < t->rel.n; i++) {
        int kind = t->defs && t->defs[i] ? t->defs[i]->kind : SL_COL_PHYSICAL;
        if (kind != SL_COL_PHYSICAL) any = true;
        else nphys++;
    }
    if (!any) return 0;
    int kmeta = nphys;
    sl_pnode_t *scan = *out;
    sl_rex_t **proj = pal(p, (size_t)t->rel.n * sizeof *proj);
    const char **names = pal(p, (size_t)t->rel.n * sizeof *names);
    if (!proj || !names) return poom(p);
    int base_off = 0;
    xmap_t m = {.leaf_off = &base_off, .nleaves = 1};
    int k = 0;
    for (int i = 0; i < t->rel.n; i++) {
        const sl_coldef_t *d = t->defs[i];
        names[i] = t->rel.cols[i].name;
        if (d && d->kind == SL_COL_COMPUTED) {
            TRY(convert(p, &m, d->expr, &proj[i]));
            proj[i]->type = t->rel.cols[i].type;
        } else if (d && d->kind == SL_COL_METADATA) {
            proj[i] = rex_input(p, kmeta++, t->rel.cols[i].type);
            if (!proj[i]) return poom(p);
        } else {
            proj[i] = rex_input(p, k++, t->rel.cols[i].type);
            if (!proj[i]) return poom(p);
        }
    }
    return make_calc(p, scan, NULL, proj, t->rel.n, names, tr->off, tr->len, out);
}

static int plan_view(planner_t *p, const sl_query_t *q, const sl_rel_t *rel,
                     sl_pnode_t **out)
{
    TRY(plan_query(p, q, out));
    /* Rename to the view's (or alias's) column names. */
    sl_pnode_t *n = *out;
    if (rel && rel->n == n->ncols) {
        bool same = true;
        for (int i = 0; i < rel->n; i++)
            if (strcmp(rel->cols[i].name, n->names[i])) same = false;
        if (!same) {
            const char **names = pal(p, (size_t)rel->n * sizeof *names);
            if (!names) return poom(p);
            for (int i = 0; i < rel->n; i++) names[i] = rel->cols[i].name;
            TRY(make_calc(p, n, NULL, NULL, 0, NULL, n->off, n->len, out));
            (*out)->names = names;
        }
    }
    return 0;
}

/* Splits a condition into its AND-ed parts. */
static int conjuncts(planner_t *p, const sl_expr_t *e, sl_list_t *out)
{
    if (e->kind == SL_X_BINARY && e->op == SL_OP_AND) {
        TRY(conjuncts(p, e->a, out));
        return conjuncts(p, e->b, out);
    }
    return sl_list_push(p->a, out, (void *)e) ? poom(p) : 0;
}

static int plan_from(planner_t *p, const sl_tref_t *t, leaves_t *lv,
                     sl_pnode_t **out);

/* Splits a join's ON condition into equi-join keys - conjuncts a = b of
 * two columns, one from each side (left: the first nleft columns of the
 * join's row), whose types `keyable` accepts - into n->lkeys / n->rkeys /
 * n->njkeys, and the AND of the other conjuncts into n->cond (NULL when
 * none). on may be NULL. base is the first leaf column of the join. */
static int split_on(planner_t *p, const sl_expr_t *on, const leaves_t *lv, int base, int nleft,
                    bool (*keyable)(const sl_type_t *, const sl_type_t *), sl_pnode_t *n)
{
    if (!on) return 0;
    sl_list_t parts = {0};
    TRY(conjuncts(p, on, &parts));
    int *lk = pal(p, (size_t)parts.n * sizeof *lk), *rk = pal(p, (size_t)parts.n * sizeof *rk);
    int *loff = pal(p, (size_t)lv->n * sizeof *loff); /* relative to the join's row */
    if (!lk || !rk || !loff) return poom(p);
    for (int i = 0; i < lv->n; i++) loff[i] = lv->off[i] - base;
    xmap_t m = {.leaf_off = loff, .nleaves = lv->n};
    n->lkeys = lk;
    n->rkeys = rk;
    for (int i = 0; i < parts.n; i++) {
        const sl_expr_t *c = parts.items[i];
        if (c->kind == SL_X_BINARY && c->op == SL_OP_EQ && c->a->kind == SL_X_COLUMN &&
            c->b->kind == SL_X_COLUMN && c->a->ref_rel == 0 && c->b->ref_rel == 0 &&
            c->a->ref_fields == 0 && c->b->ref_fields == 0 && keyable(c->a->type, c->b->type)) {
            int ia = loff[c->a->ref_src] + c->a->ref_col;
            int ib = loff[c->b->ref_src] + c->b->ref_col;
            if ((ia < nleft) != (ib < nleft)) {
                lk[n->njkeys] = ia < nleft ? ia : ib;
                rk[n->njkeys++] = (ia < nleft ? ib : ia) - nleft;
                continue;
            }
        }
        sl_rex_t *x;
        TRY(convert(p, &m, c, &x));
        if (!n->cond) {
            n->cond = x;
        } else {
            sl_rex_t *a = rex_new(p, SL_RX_AND, &sl_type_boolean, 2);
            if (!a) return poom(p);
            a->args[0] = n->cond;
            a->args[1] = x;
            n->cond = a;
        }
    }
    return 0;
}

/* Can a lookup key compare these types? Equal types, or two character
 * strings of any lengths (STRING = VARCHAR(32)): keys are encoded as the
 * dimension column's type, whose encoding of a string ignores its length. */
static bool lookup_key_types(const sl_type_t *a, const sl_type_t *b)
{
    if (sl_type_equal(a, b)) return true;
    return (a->id == SL_T_VARCHAR || a->id == SL_T_CHAR) &&
           (b->id == SL_T_VARCHAR || b->id == SL_T_CHAR);
}

/* JOIN dim FOR SYSTEM_TIME AS OF l.proctime ON l.k = dim.k [AND ...]: a
 * lookup join. The dimension is not scanned: each input row's key is
 * looked up through the connector's lookup role (SL_PN_LOOKUP). */
static int plan_lookup_join(planner_t *p, const sl_tref_t *t, leaves_t *lv, sl_pnode_t *l,
                            int base, sl_pnode_t **out)
{
    const sl_tref_t *rt = t->right;
    const sl_table_t *dim = rt->table;
    if (!dim || dim->is_view || rt->cte)
        return pfail(p, rt->off, rt->len,
                     "FOR SYSTEM_TIME AS OF needs a table with a lookup connector "
                     "(jdbc, filesystem), not a view or a query");
    if (rt->systime->type && rt->systime->type->time_attr != SL_TA_PROCTIME)
        return pfail(p, rt->systime->off, rt->systime->len,
                     "joins FOR SYSTEM_TIME AS OF an event-time attribute (versioned "
                     "tables) are not supported by the engine yet; AS OF a PROCTIME() "
                     "attribute makes a lookup join");
    if (t->join != SL_JOIN_INNER && t->join != SL_JOIN_LEFT)
        return pfail(p, t->off, t->len, "a lookup join is an INNER or a LEFT join");
    for (int i = 0; i < dim->rel.n; i++) {
        const sl_coldef_t *d = dim->defs ? dim->defs[i] : NULL;
        if (d && d->kind != SL_COL_PHYSICAL)
            return pfail(p, d->off, d->len,
                         "lookup table '%s': computed and metadata columns are not "
                         "supported by lookups yet",
                         dim->name);
    }
    const sl_connector_type_t *ct;
    sl_options_t opts;
    TRY(table_connector(p, dim, &rt->hints, SL_CONN_LOOKUP, rt->off, rt->len, &ct, &opts));
    if (!ct->lookup_new)
        return pfail(p, rt->off, rt->len, "connector '%s' cannot be used for lookups",
                     ct->name);
    int nd = dim->rel.n;
    TRY(leaves_add(p, lv, nd));
    sl_pnode_t *n = node_new(p, SL_PN_LOOKUP, l->ncols + nd, t->off, t->len);
    if (!n) return poom(p);
    TRY(node_add_input(p, n, l));
    n->table = dim;
    n->conn = ct;
    n->opts = opts;
    n->join = t->join;
    for (int i = 0; i < l->ncols; i++) {
        n->names[i] = l->names[i];
        n->types[i] = l->types[i];
    }
    for (int i = 0; i < nd; i++) {
        n->names[l->ncols + i] = dim->rel.cols[i].name;
        n->types[l->ncols + i] = t->join == SL_JOIN_LEFT
                                     ? sl_type_with_nullable(p->a, dim->rel.cols[i].type, true)
                                     : dim->rel.cols[i].type;
        if (!n->types[l->ncols + i]) return poom(p);
    }
    /* Keys: conjuncts left column = dimension column. */
    TRY(split_on(p, t->on, lv, base, l->ncols, lookup_key_types, n));
    if (n->njkeys == 0)
        return pfail(p, t->on ? t->on->off : t->off, t->on ? t->on->len : t->len,
                     "a lookup join needs ON conditions that equate columns of '%s' with "
                     "columns of the other side (of the same type)",
                     dim->name);
    /* Each input row yields its own rows: the input's changelog mode. */
    n->mode = l->mode;
    TRY(node_done(p, n));
    *out = n;
    return 0;
}

static int plan_join(planner_t *p, const sl_tref_t *t, leaves_t *lv,
                     sl_pnode_t **out)
{
    int first_leaf = lv->n;
    sl_pnode_t *l, *r;
    TRY(plan_from(p, t->left, lv, &l));
    int mid_leaf = lv->n;
    int base = lv->off[first_leaf];
    if (t->right->kind == SL_TR_TABLE && t->right->systime) {
        if (t->natural || t->using_cols.n)
            return pfail(p, t->off, t->len,
                         "JOIN ... USING / NATURAL JOIN are not supported by the engine "
                         "yet: write the condition with ON");
        return plan_lookup_join(p, t, lv, l, base, out);
    }
    TRY(plan_from(p, t->right, lv, &r));
    (void)mid_leaf;
    if (t->right->systime)
        return pfail(p, t->right->systime_off, 3,
                     "FOR SYSTEM_TIME AS OF (lookup and temporal joins) is not "
                     "supported by the engine yet: join the table with a "
                     "regular JOIN");
    if (t->join == SL_JOIN_RIGHT || t->join == SL_JOIN_FULL || t->join == SL_JOIN_LEFT ||
        t->join == SL_JOIN_INNER || t->join == SL_JOIN_CROSS ||
        t->join == SL_JOIN_COMMA) {
        /* supported */
    }
    if (t->natural || t->using_cols.n)
        return pfail(p, t->off, t->len,
                     "JOIN ... USING / NATURAL JOIN are not supported by the "
                     "engine yet: write the condition with ON");
    sl_pnode_t *n = node_new(p, SL_PN_JOIN, l->ncols + r->ncols, t->off, t->len);
    if (!n) return poom(p);
    TRY(node_add_input(p, n, l));
    TRY(node_add_input(p, n, r));
    n->join = t->join == SL_JOIN_COMMA || t->join == SL_JOIN_CROSS ? SL_JOIN_INNER
                                                                     : t->join;
    for (int i = 0; i < l->ncols; i++) {
        n->names[i] = l->names[i];
        n->types[i] = l->types[i];
    }
    for (int i = 0; i < r->ncols; i++) {
        n->names[l->ncols + i] = r->names[i];
        n->types[l->ncols + i] = r->types[i];
    }
    /* Outer joins make the other side's columns nullable. */
    if (n->join == SL_JOIN_LEFT || n->join == SL_JOIN_FULL)
        for (int i = 0; i < r->ncols; i++)
            n->types[l->ncols + i] = sl_type_with_nullable(p->a, r->types[i], true);
    if (n->join == SL_JOIN_RIGHT || n->join == SL_JOIN_FULL)
        for (int i = 0; i < l->ncols; i++)
            n->types[i] = sl_type_with_nullable(p->a, l->types[i], true);
    /* Equi-join keys from ON; the rest is a residual condition. */
    TRY(split_on(p, t->on, lv, base, l->ncols, sl_type_equal, n));
    n->mode = (l->mode == SL_CM_INSERT_ONLY && r->mode == SL_CM_INSERT_ONLY &&
               n->join == SL_JOIN_INNER)
                  ? SL_CM_INSERT_ONLY : SL_CM_RETRACT;
    TRY(node_done(p, n));
    *out = n;
    return 0;
}

static int plan_from(planner_t *p, const sl_tref_t *t, leaves_t *lv,
                     sl_pnode_t **out)
{
    switch (t->kind) {
    case SL_TR_TABLE:
        if (t->systime && lv->n == 0)
            return pfail(p, t->systime_off, 3,
                         "FOR SYSTEM_TIME AS OF is only allowed on the right "
                         "side of a JOIN");
        if (t->cte) {
            TRY(plan_view(p, t->cte->query, t->rel, out));
        } else if (t->table && t->table->is_view) {
            TRY(plan_view(p, t->table->query, t->rel, out));
        } else if (t->table) {
            TRY(plan_scan(p, t, t->table, out));
        } else {
            return pfail(p, t->off, t->len, "unresolved table");
        }
        return leaves_add(p, lv, (*out)->ncols);
    case SL_TR_QUERY:
        TRY(plan_view(p, t->query, t->rel, out));
        return leaves_add(p, lv, (*out)->ncols);
    case SL_TR_FUNC:
        return pfail(p, t->off, t->len,
                     "window table functions (TUMBLE, HOP, CUMULATE, SESSION) "
                     "are not supported by the engine yet");
    case SL_TR_JOIN:
        return plan_join(p, t, lv, out);
    }
    return pfail(p, t->off, t->len, "unsupported FROM element");
}

/* ---- aggregation ---- */

static int agg_kind(const char *name, bool star)
{
    if (!strcasecmp(name, "COUNT")) return star ? SL_AGG_COUNT_STAR : SL_AGG_COUNT;
    if (!strcasecmp(name, "SUM")) return SL_AGG_SUM;
    if (!strcasecmp(name, "AVG")) return SL_AGG_AVG;
    if (!strcasecmp(name, "MIN")) return SL_AGG_MIN;
    if (!strcasecmp(name, "MAX")) return SL_AGG_MAX;
    if (!strcasecmp(name, "FIRST_VALUE")) return SL_AGG_FIRST_VALUE;
    if (!strcasecmp(name, "LAST_VALUE")) return SL_AGG_LAST_VALUE;
    if (!strcasecmp(name, "LISTAGG")) return SL_AGG_LISTAGG;
    /* STDDEV, VAR, COLLECT, ARRAY_AGG...: not yet. */
    return 0;
}

/* Two aggregate calls compute the same value: same function, arguments,
 * DISTINCT and star flags, and FILTER. */
static bool same_agg(const sl_expr_t *a, const sl_expr_t *b)
{
    if (!sl_expr_equal(a, b) || a->flags != b->flags) return false;
    if (!a->filter || !b->filter) return a->filter == b->filter;
    return sl_expr_equal(a->filter, b->filter);
}

/* Collects the aggregate calls of an expression (not inside OVER). */
static int collect_aggs(planner_t *p, const sl_expr_t *e, sl_list_t *aggs)
{
    if (!e) return 0;
    if (sl_expr_is_group_agg(e)) {
        for (int i = 0; i < aggs->n; i++)
            if (same_agg(aggs->items[i], e)) return 0;
        return sl_list_push(p->a, aggs, (void *)e) ? poom(p) : 0;
    }
    if (e->kind == SL_X_SUBQUERY || e->kind == SL_X_EXISTS) return 0;
    TRY(collect_aggs(p, e->a, aggs));
    TRY(collect_aggs(p, e->b, aggs));
    TRY(collect_aggs(p, e->c, aggs));
    for (int i = 0; i < e->args.n; i++) TRY(collect_aggs(p, e->args.items[i], aggs));
    return 0;
}

/* Whether the split-DISTINCT rewrite applies, as Flink's SplitAggregateRule
 * decides it: at least one DISTINCT aggregate, all of them over one and
 * the same argument and without FILTER, and every aggregate one that
 * splits into a partial and a final function (COUNT, SUM, AVG, MIN, MAX).
 * Otherwise the aggregation is planned in one level, as in Flink. */
static bool split_applies(const sl_aggcall_t *ac, int n, const sl_list_t *calls)
{
    const sl_expr_t *darg = NULL;
    for (int i = 0; i < n; i++) {
        switch (ac[i].kind) {
        case SL_AGG_COUNT_STAR: case SL_AGG_COUNT: case SL_AGG_SUM:
        case SL_AGG_AVG: case SL_AGG_MIN: case SL_AGG_MAX:
            break;
        default:
            return false;
        }
        if (!ac[i].distinct) continue;
        const sl_expr_t *e = calls->items[i];
        if (ac[i].filter >= 0 || ac[i].arg < 0 || e->args.n != 1) return false;
        if (darg && !sl_expr_equal(darg, e->args.items[0])) return false;
        darg = e->args.items[0];
    }
    return darg != NULL;
}

/* The split-DISTINCT rewrite (table.optimizer.distinct-agg.split.enabled),
 * as Flink's SplitAggregateRule: a hot group with a DISTINCT aggregate is
 * spread over SL_SPLIT_BUCKETS buckets of the distinct value.
 *
 *   inner: GROUP BY keys, HASH_BUCKET(x): each aggregate as written, AVG as
 *          SUM and COUNT (DISTINCT kept: a value always lands in one bucket)
 *   outer: GROUP BY keys: SUM0 of the counts, SUM of the sums, MIN of the
 *          minimums, MAX of the maximums, AVG from the sums and counts.
 *
 * pre's columns are the keys (ng), the bucket, then the aggregates'
 * arguments (ac[].arg). The outer aggregate, returned in *out, has the
 * one-level node's output schema, so the select list maps onto it the same
 * way. Results are identical to one level; the state per group is spread
 * over buckets, which is what keeps one hot key from dominating a
 * parallel job's busiest task. */
static int plan_split(planner_t *p, const sl_query_t *q, sl_pnode_t *pre, int ng,
                      const sl_aggcall_t *ac, int naggs, sl_pnode_t **out)
{
    const sl_type_t *cnt = sl_type_with_nullable(p->a, &sl_type_bigint, false);
    if (!cnt) return poom(p);
    int ninner = 0;
    for (int i = 0; i < naggs; i++) ninner += ac[i].kind == SL_AGG_AVG ? 2 : 1;
    sl_aggcall_t *in_ac = pal(p, (size_t)ninner * sizeof *in_ac);
    sl_aggcall_t *out_ac = pal(p, (size_t)naggs * sizeof *out_ac);
    sl_pnode_t *inner = node_new(p, SL_PN_AGG, ng + 1 + ninner, q->off, q->len);
    sl_pnode_t *outer = node_new(p, SL_PN_AGG, ng + naggs, q->off, q->len);
    if (!in_ac || !out_ac || !inner || !outer) return poom(p);
    TRY(node_add_input(p, inner, pre));
    inner->nkeys = ng + 1;
    inner->keys = pal(p, (size_t)(ng + 1) * sizeof *inner->keys);
    if (!inner->keys) return poom(p);
    for (int k = 0; k <= ng; k++) {
        inner->keys[k] = k;
        inner->types[k] = pre->types[k];
        inner->names[k] = pre->names[k];
    }
    int j = 0;
    for (int i = 0; i < naggs; i++) {
        sl_aggcall_t *o = &out_ac[i];
        *o = ac[i];
        o->distinct = false;
        o->filter = o->arg2 = -1;
        o->arg = ng + 1 + j;
        sl_aggcall_t *x = &in_ac[j];
        *x = ac[i];
        switch (ac[i].kind) {
        case SL_AGG_COUNT_STAR:
        case SL_AGG_COUNT:
            o->kind = SL_AGG_SUM0;
            o->arg_type = cnt;
            o->name = sl_arena_printf(p->a, "SUM0(%s)", ac[i].name);
            break;
        case SL_AGG_SUM:
        case SL_AGG_MIN:
        case SL_AGG_MAX:
            o->arg_type = ac[i].type;
            o->name = sl_arena_printf(p->a, "%s(%s)",
                                      ac[i].kind == SL_AGG_SUM ? "SUM"
                                      : ac[i].kind == SL_AGG_MIN ? "MIN" : "MAX",
                                      ac[i].name);
            break;
        case SL_AGG_AVG: {
            /* Inner SUM in AVG's accumulator type, and COUNT. */
            const sl_type_t *at = ac[i].arg_type;
            const sl_type_t *st =
                at->id == SL_T_DECIMAL ? sl_type_decimal(p->a, 38, at->scale, true)
                : sl_type_is_integer(at) ? sl_type_with_nullable(p->a, &sl_type_bigint, true)
                : sl_type_with_nullable(p->a, &sl_type_double, true);
            if (!st) return poom(p);
            x->kind = SL_AGG_SUM;
            x->type = st;
            x->name = sl_arena_printf(p->a, "%s$sum", ac[i].name);
            sl_aggcall_t *c = &in_ac[++j];
            *c = ac[i];
            c->kind = SL_AGG_COUNT;
            c->type = cnt;
            c->name = sl_arena_printf(p->a, "%s$count", ac[i].name);
            if (!c->name) return poom(p);
            o->kind = SL_AGG_AVG_MERGE;
            o->arg_type = st;
            o->arg2 = ng + 1 + j;
            o->name = sl_arena_printf(p->a, "AVG(%s$sum, %s$count)", ac[i].name,
                                      ac[i].name);
            break;
        }
        default:
            return pfail(p, q->off, q->len, "internal: aggregate cannot be split");
        }
        if (!o->name || !x->name) return poom(p);
        j++;
    }
    for (int i = 0; i < ninner; i++) {
        inner->types[ng + 1 + i] = in_ac[i].type;
        inner->names[ng + 1 + i] = in_ac[i].name;
    }
    inner->aggs = in_ac;
    inner->naggs = ninner;
    inner->mode = SL_CM_RETRACT;
    inner->nukey = ng + 1;
    inner->ukey = inner->keys;
    TRY(node_done(p, inner));
    TRY(node_add_input(p, outer, inner));
    outer->nkeys = ng;
    outer->keys = inner->keys; /* 0 .. ng-1 */
    for (int k = 0; k < ng; k++) {
        outer->types[k] = pre->types[k];
        outer->names[k] = pre->names[k];
    }
    for (int i = 0; i < naggs; i++) {
        outer->types[ng + i] = ac[i].type;
        outer->names[ng + i] = ac[i].name;
    }
    outer->aggs = out_ac;
    outer->naggs = naggs;
    outer->mode = SL_CM_RETRACT;
    outer->nukey = ng;
    outer->ukey = outer->keys;
    TRY(node_done(p, outer));
    *out = outer;
    return 0;
}

/* The aggregate call a select item refers to: identical calls share one
 * accumulator, so map every occurrence to its representative. */
typedef struct aggmap {
    const sl_expr_t **rep;     /* representative of each collected call */
    int n;
} aggmap_t;

static int plan_aggregate(planner_t *p, const sl_query_t *q, sl_pnode_t *in,
                          const xmap_t *m, sl_pnode_t **out, xmap_t *post)
{
    /* Group expressions. */
    sl_list_t gex = {0};
    for (int i = 0; i < q->group_by.n; i++) {
        const sl_group_item_t *g = q->group_by.items[i];
        if (g->kind != SL_G_EXPR)
            return pfail(p, g->off, g->len,
                         "GROUPING SETS, ROLLUP and CUBE are not supported by "
                         "the engine yet");
        const sl_expr_t *ge = g->expr;
        if (ge->kind == SL_X_CALL && ge->func &&
            ge->func->kind == SL_FN_GROUP_WINDOW)
            return pfail(p, ge->off, ge->len,
                         "group windows (%s) are not supported by the engine "
                         "yet",
                         ge->func->name);
        if (ge->kind == SL_X_ROW) {
            for (int k = 0; k < ge->args.n; k++)
                if (sl_list_push(p->a, &gex, ge->args.items[k])) return poom(p);
        } else if (sl_list_push(p->a, &gex, (void *)ge)) {
            return poom(p);
        }
    }
    /* Aggregate calls of the select list, HAVING and ORDER BY. */
    sl_list_t aggs = {0};
    for (int i = 0; i < q->items.n; i++)
        TRY(collect_aggs(p, ((sl_select_item_t *)q->items.items[i])->expr, &aggs));
    TRY(collect_aggs(p, q->having, &aggs));
    /* Pre-projection: keys, then each aggregate's argument(s) and filter. */
    int ng = gex.n;
    int cap = ng + aggs.n * 3 + 1;
    sl_rex_t **proj = pal(p, (size_t)cap * sizeof *proj);
    if (!proj) return poom(p);
    int np = 0;
    for (int i = 0; i < ng; i++) TRY(convert(p, m, gex.items[i], &proj[np++]));
    sl_aggcall_t *ac = pal(p, (size_t)(aggs.n ? aggs.n : 1) * sizeof *ac);
    if (!ac) return poom(p);
    for (int i = 0; i < aggs.n; i++) {
        const sl_expr_t *e = aggs.items[i];
        bool star = (e->flags & SL_XF_STAR) != 0;
        int k = agg_kind(e->func->name, star);
        if (!k)
            return pfail(p, e->off, e->len,
                         "aggregate %s is not supported by the engine yet",
                         e->func->name);
        ac[i].kind = k;
        ac[i].distinct = (e->flags & SL_XF_DISTINCT) != 0;
        ac[i].type = e->type;
        ac[i].arg = ac[i].arg2 = ac[i].filter = -1;
        ac[i].name = sl_arena_strndup(p->a, p->sc->src + e->off, (size_t)e->len);
        if (!ac[i].name) return poom(p);
        if (!star && e->args.n >= 1) {
            ac[i].arg = np;
            TRY(convert(p, m, e->args.items[0], &proj[np]));
            ac[i].arg_type = proj[np]->type;
            np++;
        }
        if (k == SL_AGG_LISTAGG && e->args.n >= 2) {
            ac[i].arg2 = np;
            TRY(convert(p, m, e->args.items[1], &proj[np++]));
        }
        if (e->filter) {
            ac[i].filter = np;
            TRY(convert(p, m, e->filter, &proj[np++]));
        }
    }
    /* table.optimizer.distinct-agg.split.enabled: put a bucket of the
     * DISTINCT argument right after the group keys (see plan_split). */
    int bucket = -1;
    if (p->plan->conf.split_distinct && split_applies(ac, aggs.n, &aggs)) {
        sl_rex_t *b = rex_new(p, SL_RX_CALL,
                              sl_type_with_nullable(p->a, &sl_type_int, false), 1);
        if (!b || !b->type) return poom(p);
        for (int i = 0; i < aggs.n; i++)
            if (ac[i].distinct) b->args[0] = proj[ac[i].arg];
        b->fn = sl_fn_split_bucket;
        b->fnflags = SL_FN_NULL_AWARE;
        b->fname = "HASH_BUCKET";
        memmove(&proj[ng + 1], &proj[ng], (size_t)(np - ng) * sizeof *proj);
        proj[ng] = b;
        np++;
        bucket = ng;
        for (int i = 0; i < aggs.n; i++) {
            if (ac[i].arg >= ng) ac[i].arg++;
            if (ac[i].arg2 >= ng) ac[i].arg2++;
            if (ac[i].filter >= ng) ac[i].filter++;
        }
    }
    /* Name the pre-projection's columns after what they compute. */
    const char **pnames = pal(p, (size_t)(np ? np : 1) * sizeof *pnames);
    if (!pnames) return poom(p);
    for (int i = 0; i < np; i++) {
        if (i == bucket) {
            pnames[i] = "$bucket";
            continue;
        }
        const sl_expr_t *src = proj[i]->src;
        if (i < ng && ((const sl_expr_t *)gex.items[i])->kind == SL_X_COLUMN) {
            const sl_expr_t *ge = gex.items[i];
            pnames[i] = ge->name.parts[ge->name.n - 1].name;
        } else if (src && src->kind == SL_X_COLUMN) {
            pnames[i] = src->name.parts[src->name.n - 1].name;
        } else {
            pnames[i] = sl_arena_printf(p->a, "$f%d", i);
            if (!pnames[i]) return poom(p);
        }
    }
    sl_pnode_t *pre;
    TRY(make_calc(p, in, NULL, proj, np, pnames, q->off, q->len, &pre));
    sl_pnode_t *n = NULL;
    if (bucket >= 0) {
        TRY(plan_split(p, q, pre, ng, ac, aggs.n, &n));
        goto done;
    }
    n = node_new(p, SL_PN_AGG, ng + aggs.n, q->off, q->len);
    if (!n) return poom(p);
    TRY(node_add_input(p, n, pre));
    n->nkeys = ng;
    n->keys = pal(p, (size_t)(ng ? ng : 1) * sizeof *n->keys);
    if (!n->keys) return poom(p);
    for (int i = 0; i < ng; i++) {
        n->keys[i] = i;
        n->types[i] = pre->types[i];
        n->names[i] = pre->names[i];
    }
    n->aggs = ac;
    n->naggs = aggs.n;
    for (int i = 0; i < aggs.n; i++) {
        n->types[ng + i] = ac[i].type;
        n->names[ng + i] = ac[i].name;
    }
    /* TWO_PHASE (table.optimizer.agg-phase-strategy, with mini-batch): a
     * local aggregate folds each mini-batch into partial accumulators and
     * the global one merges them into state, as Flink's local/global
     * aggregation does. Only mergeable aggregates qualify; otherwise, as in
     * Flink, the aggregation stays in one phase. */
    bool mergeable = p->plan->conf.two_phase && p->plan->conf.minibatch;
    for (int i = 0; i < aggs.n && mergeable; i++)
        mergeable = !ac[i].distinct &&
                    (ac[i].kind == SL_AGG_COUNT_STAR || ac[i].kind == SL_AGG_COUNT ||
                     ac[i].kind == SL_AGG_SUM || ac[i].kind == SL_AGG_AVG);
    if (mergeable) {
        int nacc = 1;
        for (int i = 0; i < aggs.n; i++)
            nacc += (ac[i].kind == SL_AGG_SUM || ac[i].kind == SL_AGG_AVG) ? 2 : 1;
        sl_pnode_t *l = node_new(p, SL_PN_AGG, ng + nacc, q->off, q->len);
        if (!l) return poom(p);
        TRY(node_add_input(p, l, pre));
        l->agg_phase = 1;
        l->desc = NULL;
        l->nkeys = ng;
        l->keys = n->keys;
        l->aggs = ac;
        l->naggs = aggs.n;
        for (int i = 0; i < ng; i++) {
            l->types[i] = pre->types[i];
            l->names[i] = pre->names[i];
        }
        const sl_type_t *cnt = sl_type_with_nullable(p->a, &sl_type_bigint, false);
        int k = ng;
        l->types[k] = cnt;
        l->names[k++] = "count1$0";
        for (int i = 0; i < aggs.n; i++) {
            const sl_type_t *st = cnt;
            if (ac[i].kind == SL_AGG_SUM) {
                st = ac[i].type;
            } else if (ac[i].kind == SL_AGG_AVG) {
                const sl_type_t *at = ac[i].arg_type;
                st = at->id == SL_T_DECIMAL ? sl_type_decimal(p->a, 38, at->scale, true)
                   : sl_type_is_integer(at) ? sl_type_with_nullable(p->a, &sl_type_bigint, true)
                   : sl_type_with_nullable(p->a, &sl_type_double, true);
            }
            l->types[k] = st;
            l->names[k++] = sl_arena_printf(p->a, "%s$partial", ac[i].name);
            if (ac[i].kind == SL_AGG_SUM || ac[i].kind == SL_AGG_AVG) {
                l->types[k] = cnt;
                l->names[k++] = sl_arena_printf(p->a, "%s$count", ac[i].name);
            }
        }
        for (int i = 0; i < k; i++)
            if (!l->types[i] || !l->names[i]) return poom(p);
        l->mode = SL_CM_INSERT_ONLY;
        TRY(node_done(p, l));
        n->inputs[0] = l;
        n->agg_phase = 2;
    }
    /* Output: updates keyed by the group key (a global aggregate has one
     * row, keyed by nothing). */
    n->mode = SL_CM_RETRACT;
    n->nukey = ng;
    n->ukey = n->keys;
    TRY(node_done(p, n));
done:
    *out = n;
    post->post_agg = true;
    post->gexprs = (const sl_expr_t *const *)gex.items;
    post->ngexprs = ng;
    post->aggs = (const sl_expr_t *const *)aggs.items;
    post->naggs = aggs.n;
    post->in_types = n->types;
    return 0;
}

/* Rewrites select-list aggregate calls to their representative (an equal
 * call collected first), so the post-aggregation map finds them by
 * pointer. */
static const sl_expr_t *agg_rep(const xmap_t *m, const sl_expr_t *e)
{
    for (int i = 0; i < m->naggs; i++)
        if (m->aggs[i] == e) return e;
    for (int i = 0; i < m->naggs; i++)
        if (same_agg(m->aggs[i], e)) return m->aggs[i];
    return e;
}

static int convert_post(planner_t *p, const xmap_t *m, const sl_expr_t *e,
                        sl_rex_t **out);

/* convert() with aggregate calls resolved to their representative. */
static int convert_post(planner_t *p, const xmap_t *m, const sl_expr_t *e,
                        sl_rex_t **out)
{
    if (sl_expr_is_group_agg(e)) {
        const sl_expr_t *rep = agg_rep(m, e);
        for (int i = 0; i < m->naggs; i++)
            if (m->aggs[i] == rep) {
                *out = rex_input(p, m->ngexprs + i, m->in_types[m->ngexprs + i]);
                return *out ? 0 : poom(p);
            }
    }
    return convert(p, m, e, out);
}

/* ---- SELECT ---- */

static int plan_select(planner_t *p, const sl_query_t *q, sl_pnode_t **out)
{
    if (q->order_by.n || q->limit || q->offset)
        return pfail(p, q->off, q->len,
                     "ORDER BY and LIMIT are not supported by the streaming "
                     "engine yet");
    if (q->windows.n)
        return pfail(p, q->off, q->len,
                     "WINDOW clauses are not supported by the engine yet");
    leaves_t lv = {0};
    sl_pnode_t *in;
    if (q->from) {
        TRY(plan_from(p, q->from, &lv, &in));
    } else {
        /* SELECT without FROM: one empty row. */
        in = node_new(p, SL_PN_VALUES, 0, q->off, q->len);
        if (!in) return poom(p);
        in->nrows = 1;
        in->rows = pal(p, sizeof(sl_value_t));
        if (!in->rows) return poom(p);
        TRY(node_done(p, in));
    }
    xmap_t m = {.leaf_off = lv.off, .nleaves = lv.n};
    if (q->where) {
        sl_rex_t *f;
        TRY(convert(p, &m, q->where, &f));
        TRY(make_calc(p, in, f, NULL, 0, NULL, q->where->off, q->where->len, &in));
    }
    bool agg = q->group_by.n > 0;
    sl_list_t probe = {0};
    for (int i = 0; i < q->items.n && !agg; i++)
        TRY(collect_aggs(p, ((sl_select_item_t *)q->items.items[i])->expr, &probe));
    if (probe.n || q->having) agg = true;
    xmap_t post = {0};
    const xmap_t *sm = &m;
    if (agg) {
        TRY(plan_aggregate(p, q, in, &m, &in, &post));
        sm = &post;
    }
    /* The select list. */
    const sl_rel_t *rel = q->rel;
    sl_rex_t **proj = pal(p, (size_t)(rel->n ? rel->n : 1) * sizeof *proj);
    const char **names = pal(p, (size_t)(rel->n ? rel->n : 1) * sizeof *names);
    if (!proj || !names) return poom(p);
    int k = 0;
    for (int i = 0; i < q->items.n; i++) {
        const sl_select_item_t *it = q->items.items[i];
        if (it->expr->kind == SL_X_STAR) {
            /* Leaves in order; a qualifier picks one leaf. */
            for (int l = 0; l < lv.n; l++) {
                int end = l + 1 < lv.n ? lv.off[l + 1] : lv.total;
                if (it->expr->name.n) {
                    /* Match the qualifier to the leaf's alias via the binder's
                     * scope order: the nth leaf. */
                    const char *qual = it->expr->name.parts[it->expr->name.n - 1].name;
                    (void)qual;
                }
                for (int c = lv.off[l]; c < end && k < rel->n; c++) {
                    proj[k] = rex_input(p, c, in->types[c]);
                    if (!proj[k]) return poom(p);
                    k++;
                }
            }
            if (it->expr->name.n && k != rel->n)
                return pfail(p, it->expr->off, it->expr->len,
                             "qualified '*' is not supported by the engine "
                             "yet: list the columns");
            continue;
        }
        TRY(convert_post(p, sm, it->expr, &proj[k]));
        k++;
    }
    if (k != rel->n)
        return pfail(p, q->off, q->len,
                     "qualified '*' is not supported by the engine yet: list "
                     "the columns");
    for (int i = 0; i < rel->n; i++) names[i] = rel->cols[i].name;
    sl_rex_t *having = NULL;
    if (q->having) TRY(convert_post(p, sm, q->having, &having));
    TRY(make_calc(p, in, having, proj, rel->n, names, q->off, q->len, &in));
    if (q->distinct) {
        /* SELECT DISTINCT: group by every column, no aggregates. */
        sl_pnode_t *d = node_new(p, SL_PN_AGG, in->ncols, q->off, q->len);
        if (!d) return poom(p);
        TRY(node_add_input(p, d, in));
        d->nkeys = in->ncols;
        d->keys = pal(p, (size_t)(in->ncols ? in->ncols : 1) * sizeof *d->keys);
        if (!d->keys) return poom(p);
        for (int i = 0; i < in->ncols; i++) {
            d->keys[i] = i;
            d->types[i] = in->types[i];
            d->names[i] = in->names[i];
        }
        d->mode = in->mode == SL_CM_INSERT_ONLY ? SL_CM_INSERT_ONLY : SL_CM_RETRACT;
        d->ukey = d->keys;
        d->nukey = d->nkeys;
        d->desc = "Distinct";
        TRY(node_done(p, d));
        in = d;
    }
    *out = in;
    return 0;
}

/* ---- set operations, VALUES ---- */

static int cast_node(planner_t *p, sl_pnode_t *in, const sl_rel_t *rel,
                     sl_pnode_t **out)
{
    bool same = true;
    for (int i = 0; i < in->ncols; i++)
        if (!sl_type_equal(in->types[i], rel->cols[i].type)) same = false;
    if (same) {
        *out = in;
        return 0;
    }
    sl_rex_t **proj = pal(p, (size_t)in->ncols * sizeof *proj);
    const char **names = pal(p, (size_t)in->ncols * sizeof *names);
    if (!proj || !names) return poom(p);
    for (int i = 0; i < in->ncols; i++) {
        proj[i] = rex_input(p, i, in->types[i]);
        if (!proj[i]) return poom(p);
        TRY(rex_cast_to(p, &proj[i], rel->cols[i].type));
        names[i] = rel->cols[i].name;
    }
    return make_calc(p, in, NULL, proj, in->ncols, names, in->off, in->len, out);
}

static int plan_setop(planner_t *p, const sl_query_t *q, sl_pnode_t **out)
{
    if (q->setop != SL_SET_UNION)
        return pfail(p, q->op_off, 9,
                     "INTERSECT and EXCEPT are not supported by the engine yet");
    if (q->order_by.n || q->limit)
        return pfail(p, q->off, q->len,
                     "ORDER BY and LIMIT are not supported by the streaming "
                     "engine yet");
    sl_pnode_t *l, *r;
    TRY(plan_query(p, q->left, &l));
    TRY(plan_query(p, q->right, &r));
    TRY(cast_node(p, l, q->rel, &l));
    TRY(cast_node(p, r, q->rel, &r));
    sl_pnode_t *n = node_new(p, SL_PN_UNION, q->rel->n, q->op_off, 5);
    if (!n) return poom(p);
    /* Flatten nested unions into one node. */
    sl_pnode_t *ins[2] = {l, r};
    for (int s = 0; s < 2; s++) {
        if (ins[s]->kind == SL_PN_UNION && !ins[s]->desc) {
            for (int i = 0; i < ins[s]->ninputs; i++)
                TRY(node_add_input(p, n, ins[s]->inputs[i]));
        } else {
            TRY(node_add_input(p, n, ins[s]));
        }
    }
    n->mode = SL_CM_INSERT_ONLY;
    for (int i = 0; i < n->ninputs; i++)
        if (n->inputs[i]->mode != SL_CM_INSERT_ONLY) n->mode = SL_CM_RETRACT;
    for (int i = 0; i < q->rel->n; i++) {
        n->names[i] = q->rel->cols[i].name;
        n->types[i] = q->rel->cols[i].type;
    }
    TRY(node_done(p, n));
    if (!q->all) {
        sl_pnode_t *d = node_new(p, SL_PN_AGG, n->ncols, q->off, q->len);
        if (!d) return poom(p);
        TRY(node_add_input(p, d, n));
        d->nkeys = n->ncols;
        d->keys = pal(p, (size_t)n->ncols * sizeof *d->keys);
        if (!d->keys) return poom(p);
        for (int i = 0; i < n->ncols; i++) {
            d->keys[i] = i;
            d->types[i] = n->types[i];
            d->names[i] = n->names[i];
        }
        d->mode = n->mode == SL_CM_INSERT_ONLY ? SL_CM_INSERT_ONLY : SL_CM_RETRACT;
        d->ukey = d->keys;
        d->nukey = d->nkeys;
        d->desc = "Distinct";
        TRY(node_done(p, d));
        n = d;
    }
    *out = n;
    return 0;
}

static int plan_values(planner_t *p, const sl_query_t *q, sl_pnode_t **out)
{
    const sl_rel_t *rel = q->rel;
    sl_pnode_t *n = node_new(p, SL_PN_VALUES, rel->n, q->off, q->len);
    if (!n) return poom(p);
    n->nrows = q->rows.n;
    n->rows = pal(p, (size_t)(q->rows.n * rel->n + 1) * sizeof *n->rows);
    if (!n->rows) return poom(p);
    for (int i = 0; i < rel->n; i++) {
        n->names[i] = rel->cols[i].name;
        n->types[i] = rel->cols[i].type;
    }
    sl_eval_ctx_t ec = {.arena = p->a, .now_ms = 0};
    xmap_t m = {0};
    for (int r = 0; r < q->rows.n; r++) {
        const sl_expr_t *row = q->rows.items[r];
        for (int c = 0; c < rel->n; c++) {
            sl_rex_t *x;
            TRY(convert(p, &m, row->args.items[c], &x));
            TRY(rex_cast_to(p, &x, rel->cols[c].type));
            sl_value_t *v = &n->rows[r * rel->n + c];
            TRY(sl_rex_eval(x, NULL, &ec, v, p->err));
        }
    }
    n->mode = SL_CM_INSERT_ONLY;
    TRY(node_done(p, n));
    *out = n;
    return 0;
}

static int plan_query(planner_t *p, const sl_query_t *q, sl_pnode_t **out)
{
    if (++p->depth > 200) {
        p->depth--;
        return pfail(p, q->off, 1, "query is nested too deeply");
    }
    int rc;
    switch (q->kind) {
    case SL_Q_SELECT: rc = plan_select(p, q, out); break;
    case SL_Q_VALUES: rc = plan_values(p, q, out); break;
    default: rc = plan_setop(p, q, out); break;
    }
    p->depth--;
    return rc;
}

/* ---- INSERT ---- */

static const char *mode_name(int m)
{
    return m == SL_CM_INSERT_ONLY ? "insert-only"
         : m == SL_CM_UPSERT ? "upsert" : "retract";
}

/* The operator that first turns the stream into updates, for messages. */
static const sl_pnode_t *update_producer(const sl_pnode_t *n)
{
    if (n->mode == SL_CM_INSERT_ONLY) return NULL;
    for (int i = 0; i < n->ninputs; i++) {
        const sl_pnode_t *u = update_producer(n->inputs[i]);
        if (u) return u;
    }
    return n;
}

static const char *node_kind_name(const sl_pnode_t *n)
{
    switch (n->kind) {
    case SL_PN_SCAN: return "TableSourceScan";
    case SL_PN_VALUES: return "Values";
    case SL_PN_CALC: return "Calc";
    case SL_PN_AGG: return n->desc ? "Distinct" : "GroupAggregate";
    case SL_PN_LOOKUP: return "LookupJoin";
    case SL_PN_JOIN: return "Join";
    case SL_PN_UNION: return "Union";
    case SL_PN_SINK: return "Sink";
    case SL_PN_MATERIALIZE: return "SinkMaterializer";
    }
    return "?";
}

static bool sink_accepts_updates(const sl_connector_type_t *ct,
                                 const sl_options_t *o, const sl_table_t *t)
{
    if (!strcmp(ct->name, "print") || !strcmp(ct->name, "blackhole") ||
        !strcmp(ct->name, "sluice-collect"))
        return true;
    if (is_updating_format(o)) return true;
    /* Upsert connectors (jdbc, elasticsearch, upsert-kafka) take updates
     * when the table has a primary key. */
    if (t->npk && (!strcmp(ct->name, "jdbc") || !strncmp(ct->name, "elasticsearch", 13) ||
                   !strcmp(ct->name, "upsert-kafka")))
        return true;
    return false;
}

static int plan_insert(planner_t *p, const sl_stmt_t *st)
{
    const char *name = st->name.parts[st->name.n - 1].name;
    const sl_table_t *t = sl_catalog_lookup(p->cat, name);
    if (!t) return pfail(p, st->name.off, st->name.len, "table '%s' not found", name);
    sl_pnode_t *q;
    TRY(plan_query(p, st->query, &q));
    const sl_connector_type_t *ct;
    sl_options_t opts;
    TRY(table_connector(p, t, &st->hints, SL_CONN_SINK, st->name.off,
                        st->name.len, &ct, &opts));
    /* Map query columns to the sink's physical columns (a column list may
     * leave some out: they get NULL), casting where the types differ. */
    int nphys = 0;
    for (int i = 0; i < t->rel.n; i++)
        if (!t->defs || !t->defs[i] || t->defs[i]->kind == SL_COL_PHYSICAL) nphys++;
    sl_rex_t **proj = pal(p, (size_t)(nphys ? nphys : 1) * sizeof *proj);
    const char **names = pal(p, (size_t)(nphys ? nphys : 1) * sizeof *names);
    if (!proj || !names) return poom(p);
    int k = 0, qi = 0;
    for (int i = 0; i < t->rel.n; i++) {
        const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
        if (d && d->kind == SL_COL_METADATA && !d->is_virtual)
            return pfail(p, d->off, d->name.len,
                         "writing metadata column '%s' is not supported by "
                         "connector '%s'",
                         d->name.name, ct->name);
        if (d && d->kind != SL_COL_PHYSICAL) continue;
        int src = -1;
        if (st->col_names.n) {
            for (int c = 0; c < st->col_names.n; c++)
                if (!strcasecmp(((sl_ident_t *)st->col_names.items[c])->name,
                                t->rel.cols[i].name))
                    src = c;
        } else {
            src = qi++;
        }
        if (src >= 0) {
            proj[k] = rex_input(p, src, q->types[src]);
            if (!proj[k]) return poom(p);
            TRY(rex_cast_to(p, &proj[k], t->rel.cols[i].type));
        } else {
            if (!t->rel.cols[i].type->nullable)
                return pfail(p, st->off, 6,
                             "INSERT INTO %s leaves out column '%s', which is "
                             "NOT NULL",
                             t->name, t->rel.cols[i].name);
            proj[k] = rex_new(p, SL_RX_LITERAL, t->rel.cols[i].type, 0);
            if (!proj[k]) return poom(p);
            proj[k]->lit.null = 1;
        }
        names[k] = t->rel.cols[i].name;
        k++;
    }
    sl_pnode_t *c;
    TRY(make_calc(p, q, NULL, proj, nphys, names, st->off, st->len, &c));
    if (c->mode != SL_CM_INSERT_ONLY && !sink_accepts_updates(ct, &opts, t)) {
        const sl_pnode_t *u = update_producer(c);
        int line = 0, col = 0;
        if (u) sl_script_linecol(p->sc, u->off, &line, &col);
        return pfail(p, st->name.off, st->name.len,
                     "table '%s' (connector '%s'%s%s) is an append-only sink, "
                     "but the query produces updates: the %s at line %d "
                     "changes rows it emitted before. Use a changelog format "
                     "(debezium-json) or a sink with a PRIMARY KEY.",
                     t->name, ct->name,
                     sl_options_str(&opts, "format", NULL) ? ", format " : "",
                     sl_options_str(&opts, "format", ""),
                     u ? node_kind_name(u) : "operator", line);
    }
    /* Upsert sinks whose key is not the stream's unique key get a
     * materializer (Flink's table.exec.sink.upsert-materialize). */
    int *pkphys = NULL;
    if (t->npk) {
        pkphys = pal(p, (size_t)t->npk * sizeof *pkphys);
        if (!pkphys) return poom(p);
        for (int i = 0; i < t->npk; i++) {
            int ph = 0;
            for (int j = 0; j < t->pk[i]; j++)
                if (!t->defs || !t->defs[j] || t->defs[j]->kind == SL_COL_PHYSICAL) ph++;
            pkphys[i] = ph;
        }
    }
    bool key_matches = t->npk && c->nukey == t->npk;
    for (int i = 0; key_matches && i < t->npk; i++) {
        bool found = false;
        for (int j = 0; j < c->nukey; j++)
            if (c->ukey[j] == pkphys[i]) found = true;
        if (!found) key_matches = false;
    }
    bool upsert_conn = strcmp(ct->name, "print") && strcmp(ct->name, "blackhole") &&
                       strcmp(ct->name, "sluice-collect") &&
                       !is_updating_format(&opts);
    int um = p->plan->conf.upsert_materialize;
    if (t->npk && c->mode != SL_CM_INSERT_ONLY &&
        (um == 2 || (um == 0 && upsert_conn && !key_matches))) {
        sl_pnode_t *mz = node_new(p, SL_PN_MATERIALIZE, nphys, st->off, st->len);
        if (!mz) return poom(p);
        TRY(node_add_input(p, mz, c));
        for (int i = 0; i < nphys; i++) {
            mz->names[i] = names[i];
            mz->types[i] = c->types[i];
        }
        mz->keys = pkphys;
        mz->nkeys = t->npk;
        mz->mode = SL_CM_UPSERT;
        mz->ukey = pkphys;
        mz->nukey = t->npk;
        TRY(node_done(p, mz));
        c = mz;
    }
    sl_pnode_t *s = node_new(p, SL_PN_SINK, nphys, st->off, st->len);
    if (!s) return poom(p);
    TRY(node_add_input(p, s, c));
    for (int i = 0; i < nphys; i++) {
        s->names[i] = names[i]; /* the table's columns, whatever upstream calls them */
        s->types[i] = c->types[i];
    }
    s->table = t;
    s->conn = ct;
    s->opts = opts;
    s->mode = c->mode;
    /* An upsert sink keyed by the input's unique key needs no -U rows. */
    if (t->npk && c->nukey == t->npk && c->mode != SL_CM_INSERT_ONLY &&
        strcmp(ct->name, "print") && !is_updating_format(&opts)) {
        bool same = true;
        for (int i = 0; i < t->npk; i++) {
            int pk_phys = 0;
            for (int j = 0; j < t->pk[i]; j++)
                if (!t->defs || !t->defs[j] || t->defs[j]->kind == SL_COL_PHYSICAL)
                    pk_phys++;
            bool found = false;
            for (int j = 0; j < c->nukey; j++)
                if (c->ukey[j] == pk_phys) found = true;
            if (!found) same = false;
        }
        if (same) {
            s->drop_update_before = true;
            s->mode = SL_CM_UPSERT;
        }
    }
    TRY(node_done(p, s));
    return sl_list_push(p->a, &p->plan->sinks, s) ? poom(p) : 0;
}

int sl_plan_build(sl_plan_t *plan, const sl_script_t *sc, sl_catalog_t *cat,
                  const sl_list_t *stmts, const sl_job_conf_t *conf,
                  sl_err_t *err)
{
    memset(plan, 0, sizeof *plan);
    sl_arena_init(&plan->arena, 0);
    plan->conf = *conf;
    planner_t p = {.plan = plan, .sc = sc, .cat = cat, .a = &plan->arena,
                   .err = err, .next_id = 1};
    for (int i = 0; i < stmts->n; i++) {
        const sl_stmt_t *st = stmts->items[i];
        if (st->kind == SL_S_INSERT) {
            TRY(plan_insert(&p, st));
        } else if (st->kind == SL_S_STATEMENT_SET) {
            for (int j = 0; j < st->stmts.n; j++) TRY(plan_insert(&p, st->stmts.items[j]));
        }
    }
    if (!plan->sinks.n)
        return sl_err_set(err, SL_EINVAL, "the job has no INSERT INTO statement");
    /* Descriptions for EXPLAIN. */
    (void)mode_name;
    return 0;
}

void sl_plan_free(sl_plan_t *plan)
{
    sl_arena_destroy(&plan->arena);
    memset(plan, 0, sizeof *plan);
}

/* ---- EXPLAIN ---- */

static void rex_print(sl_strbuf_t *sb, const sl_rex_t *r, const sl_pnode_t *in)
{
    switch (r->kind) {
    case SL_RX_INPUT:
        if (in && r->idx < in->ncols && in->names[r->idx])
            sl_strbuf_puts(sb, in->names[r->idx]);
        else
            sl_strbuf_printf(sb, "$%d", r->idx);
        return;
    case SL_RX_LITERAL:
        if (r->lit.null) sl_strbuf_puts(sb, "NULL");
        else if (r->src) sl_strbuf_printf(sb, "%.*s", r->src->len, "?");
        if (!r->lit.null) sl_value_format(sb, &r->lit, r->type, SL_FMT_CAST);
        return;
    default:
        break;
    }
    static const char *const kinds[] = {
        [SL_RX_ARITH] = "", [SL_RX_NEG] = "-", [SL_RX_CMP] = "",
        [SL_RX_AND] = "AND", [SL_RX_OR] = "OR", [SL_RX_NOT] = "NOT",
        [SL_RX_IS] = "IS", [SL_RX_IS_DISTINCT] = "IS DISTINCT FROM",
        [SL_RX_CONCAT] = "||", [SL_RX_CASE] = "CASE", [SL_RX_CAST] = "CAST",
        [SL_RX_IN] = "IN", [SL_RX_LIKE] = "LIKE", [SL_RX_CALL] = "",
        [SL_RX_ROW] = "ROW", [SL_RX_ARRAY] = "ARRAY", [SL_RX_MAP] = "MAP",
        [SL_RX_ITEM] = "ITEM", [SL_RX_SYMBOL] = "FLAG",
    };
    static const char *const ops[] = {
        [SL_OP_ADD] = "+", [SL_OP_SUB] = "-", [SL_OP_MUL] = "*",
        [SL_OP_DIV] = "/", [SL_OP_MOD] = "MOD", [SL_OP_EQ] = "=",
        [SL_OP_NE] = "<>", [SL_OP_LT] = "<", [SL_OP_LE] = "<=",
        [SL_OP_GT] = ">", [SL_OP_GE] = ">=",
    };
    const char *name = kinds[r->kind];
    if (r->kind == SL_RX_ARITH || r->kind == SL_RX_CMP) name = ops[r->op];
    if (r->kind == SL_RX_CALL && r->src && r->src->func) name = r->src->func->name;
    if (r->kind == SL_RX_CALL && r->fname) name = r->fname;
    sl_strbuf_printf(sb, "%s(", name ? name : "?");
    for (int i = 0; i < r->nargs; i++) {
        if (i) sl_strbuf_puts(sb, ", ");
        rex_print(sb, r->args[i], in);
    }
    if (r->kind == SL_RX_CAST) {
        const char *t = NULL;
        sl_strbuf_t tb = SL_STRBUF_INIT;
        if (!sl_type_format(&tb, r->type)) t = sl_strbuf_cstr(&tb);
        sl_strbuf_printf(sb, " AS %s", t ? t : "?");
        sl_strbuf_destroy(&tb);
    }
    sl_strbuf_putc(sb, ')');
}

static void explain_node(FILE *f, const sl_pnode_t *n, int depth)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_printf(&sb, "%*s%s", depth * 2, "", depth ? "+- " : "");
    const sl_pnode_t *in = n->ninputs ? n->inputs[0] : NULL;
    switch (n->kind) {
    case SL_PN_SCAN:
        sl_strbuf_printf(&sb, "TableSourceScan(table=[%s], connector=[%s], fields=[",
                         n->table->name, n->conn->name);
        for (int i = 0; i < n->ncols; i++)
            sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", n->names[i]);
        sl_strbuf_puts(&sb, "])");
        break;
    case SL_PN_VALUES:
        sl_strbuf_printf(&sb, "Values(rows=[%d])", n->nrows);
        break;
    case SL_PN_CALC:
        sl_strbuf_puts(&sb, "Calc(select=[");
        for (int i = 0; i < n->nproj; i++) {
            if (i) sl_strbuf_puts(&sb, ", ");
            rex_print(&sb, n->proj[i], in);
            if (!(n->proj[i]->kind == SL_RX_INPUT && in &&
                  !strcmp(in->names[n->proj[i]->idx], n->names[i])))
                sl_strbuf_printf(&sb, " AS %s", n->names[i]);
        }
        sl_strbuf_puts(&sb, "]");
        if (n->filter) {
            sl_strbuf_puts(&sb, ", where=[");
            rex_print(&sb, n->filter, in);
            sl_strbuf_puts(&sb, "]");
        }
        sl_strbuf_puts(&sb, ")");
        break;
    case SL_PN_AGG:
        sl_strbuf_printf(&sb, "%s(groupBy=[",
                         n->desc ? "Distinct"
                         : n->agg_phase == 1 ? "LocalGroupAggregate"
                         : n->agg_phase == 2 ? "GlobalGroupAggregate" : "GroupAggregate");
        for (int i = 0; i < n->nkeys; i++)
            sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", in->names[n->keys[i]]);
        sl_strbuf_puts(&sb, "], select=[");
        for (int i = 0; i < n->nkeys; i++)
            sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", n->names[i]);
        for (int i = 0; i < n->naggs; i++)
            sl_strbuf_printf(&sb, "%s%s", i || n->nkeys ? ", " : "", n->aggs[i].name);
        sl_strbuf_puts(&sb, "])");
        break;
    case SL_PN_JOIN: {
        static const char *const jt[] = {"", "InnerJoin", "LeftOuterJoin",
                                         "RightOuterJoin", "FullOuterJoin"};
        sl_strbuf_printf(&sb, "Join(joinType=[%s], where=[",
                         n->join <= 4 ? jt[n->join] : "InnerJoin");
        for (int i = 0; i < n->njkeys; i++)
            sl_strbuf_printf(&sb, "%s%s = %s", i ? " AND " : "",
                             n->inputs[0]->names[n->lkeys[i]],
                             n->inputs[1]->names[n->rkeys[i]]);
        if (n->cond) {
            if (n->njkeys) sl_strbuf_puts(&sb, " AND ");
            rex_print(&sb, n->cond, n);
        }
        sl_strbuf_puts(&sb, "])");
        break;
    }
    case SL_PN_UNION:
        sl_strbuf_printf(&sb, "Union(all=[true], inputs=[%d])", n->ninputs);
        break;
    case SL_PN_LOOKUP:
        sl_strbuf_printf(&sb, "LookupJoin(table=[%s], connector=[%s], joinType=[%s], lookup=[",
                         n->table->name, n->conn->name,
                         n->join == SL_JOIN_LEFT ? "LeftOuterJoin" : "InnerJoin");
        for (int i = 0; i < n->njkeys; i++)
            sl_strbuf_printf(&sb, "%s%s=%s", i ? ", " : "", n->table->rel.cols[n->rkeys[i]].name,
                             n->inputs[0]->names[n->lkeys[i]]);
        sl_strbuf_puts(&sb, "]");
        if (n->cond) {
            sl_strbuf_puts(&sb, ", where=[");
            rex_print(&sb, n->cond, n);
            sl_strbuf_puts(&sb, "]");
        }
        sl_strbuf_puts(&sb, ")");
        break;
    case SL_PN_MATERIALIZE:
        sl_strbuf_puts(&sb, "SinkMaterializer(pk=[");
        for (int i = 0; i < n->nkeys; i++)
            sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", n->names[n->keys[i]]);
        sl_strbuf_puts(&sb, "])");
        break;
    case SL_PN_SINK:
        sl_strbuf_printf(&sb, "Sink(table=[%s], connector=[%s]%s)", n->table->name,
                         n->conn->name,
                         n->drop_update_before ? ", upsertMaterialize=[false]" : "");
        break;
    }
    sl_strbuf_printf(&sb, ", changelogMode=[%s]",
                     n->mode == SL_CM_INSERT_ONLY ? "I"
                     : n->mode == SL_CM_UPSERT ? "I,UA,D" : "I,UB,UA,D");
    if (n->nukey && n->kind != SL_PN_SINK) {
        sl_strbuf_puts(&sb, ", uniqueKey=[");
        for (int i = 0; i < n->nukey; i++)
            sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", n->names[n->ukey[i]]);
        sl_strbuf_puts(&sb, "]");
    }
    fprintf(f, "%s\n", sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    for (int i = 0; i < n->ninputs; i++) explain_node(f, n->inputs[i], depth + 1);
}

void sl_plan_explain(FILE *f, const sl_plan_t *plan)
{
    for (int i = 0; i < plan->sinks.n; i++) {
        if (i) fputc('\n', f);
        explain_node(f, plan->sinks.items[i], 0);
    }
}

/* ---- configuration ---- */

void sl_job_conf_init(sl_job_conf_t *c)
{
    memset(c, 0, sizeof *c);
    c->minibatch_latency_ms = 0;
    c->minibatch_size = -1;
    c->job_name = "sluice-job";
    sl_ckpt_conf_init(&c->ckpt);
}

/* Flink durations: "10 s", "2min", "500ms", "1h", plain number = ms. */
static int parse_duration(const char *s, int64_t *ms)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s) return -1;
    while (*end == ' ') end++;
    static const struct { const char *u; double f; } units[] = {
        {"ms", 1}, {"milli", 1}, {"millis", 1}, {"millisecond", 1}, {"milliseconds", 1},
        {"s", 1000}, {"sec", 1000}, {"secs", 1000}, {"second", 1000}, {"seconds", 1000},
        {"min", 60000}, {"m", 60000}, {"minute", 60000}, {"minutes", 60000},
        {"h", 3600000}, {"hour", 3600000}, {"hours", 3600000},
        {"d", 86400000}, {"day", 86400000}, {"days", 86400000},
    };
    if (!*end) {
        *ms = (int64_t)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcasecmp(end, units[i].u)) {
            *ms = (int64_t)(v * units[i].f);
            return 0;
        }
    return -1;
}

int sl_job_conf_set(sl_job_conf_t *c, const char *key, const char *value,
                    sl_err_t *err)
{
    if (!strcmp(key, "table.exec.mini-batch.enabled")) {
        if (strcasecmp(value, "true") && strcasecmp(value, "false"))
            return sl_err_set(err, SL_EINVAL, "'%s' expects true or false, got '%s'",
                              key, value);
        c->minibatch = !strcasecmp(value, "true");
    } else if (!strcmp(key, "table.exec.mini-batch.allow-latency")) {
        if (parse_duration(value, &c->minibatch_latency_ms))
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects a duration such as 2s, got '%s'", key,
                              value);
    } else if (!strcmp(key, "table.exec.mini-batch.size")) {
        char *end;
        long long v = strtoll(value, &end, 10);
        if (*end || end == value)
            return sl_err_set(err, SL_EINVAL, "'%s' expects an integer, got '%s'",
                              key, value);
        c->minibatch_size = v;
    } else if (!strcmp(key, "table.optimizer.agg-phase-strategy")) {
        if (strcasecmp(value, "AUTO") && strcasecmp(value, "ONE_PHASE") &&
            strcasecmp(value, "TWO_PHASE"))
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects AUTO, ONE_PHASE or TWO_PHASE, got '%s'",
                              key, value);
        c->two_phase = !strcasecmp(value, "TWO_PHASE");
    } else if (!strcmp(key, "table.optimizer.distinct-agg.split.enabled")) {
        c->split_distinct = !strcasecmp(value, "true");
    } else if (!strcmp(key, "table.exec.state.ttl")) {
        if (parse_duration(value, &c->state_ttl_ms))
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects a duration such as 1 h, got '%s'", key,
                              value);
    } else if (!strcmp(key, "table.exec.sink.upsert-materialize")) {
        if (!strcasecmp(value, "AUTO")) c->upsert_materialize = 0;
        else if (!strcasecmp(value, "NONE")) c->upsert_materialize = 1;
        else if (!strcasecmp(value, "FORCE")) c->upsert_materialize = 2;
        else
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects AUTO, NONE or FORCE, got '%s'", key, value);
    } else if (!strcmp(key, "pipeline.name")) {
        c->job_name = value;
    } else {
        int rc = sl_ckpt_conf_set(&c->ckpt, key, value, err);
        if (rc < 0) return rc;
    }
    return 0;
}
