/* bind.c - resolves names and infers types over the syntax tree.
 *
 * A statement is bound in one pass: DDL checks its columns and enters the
 * catalog; queries are bound bottom-up, FROM first (each table reference
 * adds its relation to the query's scope, so a FOR SYSTEM_TIME AS OF
 * expression sees only the relations to its left), then WHERE, GROUP BY,
 * the select list, HAVING and ORDER BY. Every error carries the source
 * offset of the node to blame. The first error ends the statement.
 *
 * Types follow Flink: literals are NOT NULL, an integer literal is INT (or
 * BIGINT, or DECIMAL when larger), arithmetic widens as Calcite does and
 * DECIMAL results use Flink's precision/scale rules (util/decimal.h).
 */
#include "sql/bind.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/catalog.h"
#include "sql/functions.h"
#include "util/decimal.h"
#include "util/time.h"

#define MAX_DEPTH 200 /* nesting of queries and expressions */

/* ---- binder state ---- */

typedef struct binder {
    sl_script_t *sc;
    sl_catalog_t *cat;
    sl_arena_t *a;             /* the script arena: types, relations */
    sl_err_t err;
    bool failed;
    int depth;
    int set_begin_off;         /* BEGIN STATEMENT SET open at, or -1 */
} binder_t;

static int bfail(binder_t *b, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bfail(binder_t *b, int off, int len, const char *fmt, ...)
{
    if (!b->failed) {
        va_list ap;
        va_start(ap, fmt);
        sl_err_vat(&b->err, SL_EBIND, off, len, fmt, ap);
        va_end(ap);
        b->failed = true;
    }
    return -SL_EBIND;
}

static int boom(binder_t *b)
{
    if (!b->failed) {
        sl_err_at(&b->err, SL_ENOMEM, -1, 0, "out of memory");
        b->failed = true;
    }
    b->err.code = SL_ENOMEM;
    return -SL_ENOMEM;
}

#define TRY(x)                                                             \
    do {                                                                   \
        int rc_ = (x);                                                     \
        if (rc_) return rc_;                                               \
    } while (0)

static void *balloc(binder_t *b, size_t n)
{
    void *p = sl_arena_calloc(b->a, n);
    if (!p) boom(b);
    return p;
}

static const char *tstr(binder_t *b, const sl_type_t *t)
{
    const char *s = t ? sl_type_str(b->a, t) : "?";
    return s ? s : "?";
}

/* ---- relations ---- */

static sl_rel_t *rel_new(binder_t *b, int n)
{
    sl_rel_t *r = balloc(b, sizeof *r);
    if (!r) return NULL;
    r->n = n;
    if (n) {
        r->cols = balloc(b, (size_t)n * sizeof *r->cols);
        if (!r->cols) return NULL;
    }
    return r;
}

/* Index of a column by name: exact case first, then case-insensitive.
 * Returns -1 when absent, -2 when several differ only by case. */
static int rel_find(const sl_rel_t *r, const char *name)
{
    int found = -1, n = 0;
    for (int i = 0; i < r->n; i++) {
        if (strcmp(r->cols[i].name, name) == 0) return i;
        if (strcasecmp(r->cols[i].name, name) == 0) {
            found = i;
            n++;
        }
    }
    return n > 1 ? -2 : found;
}

/* Closest column name (for "did you mean"), or NULL. */
static int edit_distance(const char *s, const char *t)
{
    int n = (int)strlen(s), m = (int)strlen(t);
    if (n > 64 || m > 64) return 99;
    int d[65][65];
    for (int i = 0; i <= n; i++) d[i][0] = i;
    for (int j = 0; j <= m; j++) d[0][j] = j;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= m; j++) {
            int c = tolower((unsigned char)s[i - 1]) != tolower((unsigned char)t[j - 1]);
            int v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* ---- scopes ---- */

typedef struct srel {
    const char *alias;         /* name to qualify columns with, may be NULL */
    const sl_rel_t *rel;
    sl_list_t using_cols;      /* const char*: merged by JOIN USING/NATURAL */
} srel_t;

typedef struct cte_ent {
    const char *name;
    const sl_rel_t *rel;
    const sl_cte_t *cte;
} cte_ent_t;

typedef struct scope scope_t;
struct scope {
    scope_t *parent;           /* enclosing query (correlation) */
    srel_t *rels;
    int nrels, caprels;
    cte_ent_t *ctes;           /* visible WITH entries of this level */
    int nctes, capctes;
    /* aggregate query state */
    bool has_agg;
    const sl_list_t *group_by; /* sl_group_item_t* */
    const sl_query_t *select;  /* for ORDER BY aliases */
};

static int scope_add(binder_t *b, scope_t *s, const char *alias,
                     const sl_rel_t *rel, srel_t **out)
{
    if (s->nrels == s->caprels) {
        int cap = s->caprels ? s->caprels * 2 : 4;
        srel_t *v = sl_arena_alloc(b->a, (size_t)cap * sizeof *v);
        if (!v) return boom(b);
        if (s->nrels) memcpy(v, s->rels, (size_t)s->nrels * sizeof *v);
        s->rels = v;
        s->caprels = cap;
    }
    srel_t *r = &s->rels[s->nrels++];
    memset(r, 0, sizeof *r);
    r->alias = alias;
    r->rel = rel;
    if (out) *out = r;
    return 0;
}

static int scope_add_cte(binder_t *b, scope_t *s, const char *name,
                         const sl_rel_t *rel, const sl_cte_t *cte)
{
    if (s->nctes == s->capctes) {
        int cap = s->capctes ? s->capctes * 2 : 4;
        cte_ent_t *v = sl_arena_alloc(b->a, (size_t)cap * sizeof *v);
        if (!v) return boom(b);
        if (s->nctes) memcpy(v, s->ctes, (size_t)s->nctes * sizeof *v);
        s->ctes = v;
        s->capctes = cap;
    }
    s->ctes[s->nctes].name = name;
    s->ctes[s->nctes].rel = rel;
    s->ctes[s->nctes].cte = cte;
    s->nctes++;
    return 0;
}

static const sl_rel_t *scope_find_cte2(const scope_t *s, const char *name,
                                       const sl_cte_t **cte)
{
    for (; s; s = s->parent)
        for (int i = s->nctes - 1; i >= 0; i--)
            if (strcasecmp(s->ctes[i].name, name) == 0) {
                if (cte) *cte = s->ctes[i].cte;
                return s->ctes[i].rel;
            }
    return NULL;
}

static const sl_rel_t *scope_find_cte(const scope_t *s, const char *name)
{
    return scope_find_cte2(s, name, NULL);
}

static bool in_using(const srel_t *r, const char *name)
{
    for (int i = 0; i < r->using_cols.n; i++)
        if (strcasecmp(r->using_cols.items[i], name) == 0) return true;
    return false;
}

/* ---- forward declarations ---- */

enum {
    X_AGG_OK = 1 << 0,         /* aggregates allowed here */
    X_IN_AGG = 1 << 1,         /* inside an aggregate's arguments */
    X_OVER_OK = 1 << 2,        /* OVER windows allowed here */
    X_GROUP_BY = 1 << 3,       /* a GROUP BY element */
};

static int bind_expr(binder_t *b, scope_t *s, sl_expr_t *e, int flags,
                     const char *where);
static int bind_query(binder_t *b, scope_t *outer, sl_query_t *q);

/* ---- table names ---- */

/* Resolves [catalog.][database.]name to its last part, checking the
 * qualifiers name the one catalog/database sluice has. */
static int table_name(binder_t *b, const sl_qname_t *q, const char **name)
{
    if (q->n == 0) return bfail(b, q->off, q->len, "missing table name");
    if (q->n > 3)
        return bfail(b, q->off, q->len,
                     "table name has too many parts: use "
                     "[catalog.][database.]table");
    if (q->n == 3 && strcasecmp(q->parts[0].name, "default_catalog") != 0)
        return bfail(b, q->parts[0].off, q->parts[0].len,
                     "catalog '%s' does not exist: sluice has one catalog, "
                     "default_catalog",
                     q->parts[0].name);
    if (q->n >= 2 &&
        strcasecmp(q->parts[q->n - 2].name, "default_database") != 0)
        return bfail(b, q->parts[q->n - 2].off, q->parts[q->n - 2].len,
                     "database '%s' does not exist: sluice has one database, "
                     "default_database",
                     q->parts[q->n - 2].name);
    *name = q->parts[q->n - 1].name;
    return 0;
}

static const char *suggest_table(binder_t *b, const char *name)
{
    const char *best = NULL;
    int bd = 3;
    for (int i = 0; i < b->cat->n; i++) {
        int d = edit_distance(name, b->cat->tables[i]->name);
        if (d < bd) {
            bd = d;
            best = b->cat->tables[i]->name;
        }
    }
    return best;
}

static int lookup_table(binder_t *b, const sl_qname_t *q, const sl_table_t **t)
{
    const char *name;
    TRY(table_name(b, q, &name));
    *t = sl_catalog_lookup(b->cat, name);
    if (!*t) {
        const char *hint = suggest_table(b, name);
        const sl_ident_t *last = &q->parts[q->n - 1];
        if (hint)
            return bfail(b, last->off, last->len,
                         "table '%s' not found; did you mean '%s'?", name, hint);
        return bfail(b, last->off, last->len,
                     "table '%s' not found: create it with CREATE TABLE first",
                     name);
    }
    return 0;
}

/* ---- column references ---- */

static int column_not_found(binder_t *b, scope_t *s, const sl_expr_t *e,
                            const char *name, const char *qual)
{
    const char *best = NULL;
    int bd = 3;
    for (scope_t *sc = s; sc; sc = sc->parent)
        for (int i = 0; i < sc->nrels; i++) {
            const srel_t *r = &sc->rels[i];
            if (qual && (!r->alias || strcasecmp(r->alias, qual))) continue;
            for (int j = 0; j < r->rel->n; j++) {
                int d = edit_distance(name, r->rel->cols[j].name);
                if (d < bd) {
                    bd = d;
                    best = r->rel->cols[j].name;
                }
            }
        }
    if (qual) {
        if (best)
            return bfail(b, e->off, e->len,
                         "column '%s' not found in '%s'; did you mean '%s'?",
                         name, qual, best);
        return bfail(b, e->off, e->len, "column '%s' not found in '%s'", name,
                     qual);
    }
    if (best)
        return bfail(b, e->off, e->len,
                     "column '%s' not found in any table; did you mean '%s'?",
                     name, best);
    if (s && s->nrels == 0)
        return bfail(b, e->off, e->len,
                     "column '%s' not found: the query has no FROM clause",
                     name);
    return bfail(b, e->off, e->len, "column '%s' not found in any table", name);
}

/* Field access into a ROW-typed value: t.col.field. */
static int field_of(binder_t *b, const sl_expr_t *e, const sl_type_t *t,
                    const sl_ident_t *f, const sl_type_t **out)
{
    if (t->id != SL_T_ROW)
        return bfail(b, f->off, f->len,
                     "cannot access field '%s' of a value of type %s", f->name,
                     tstr(b, t));
    for (int i = 0; i < t->nfields; i++) {
        if (strcasecmp(t->fields[i].name, f->name) == 0) {
            const sl_type_t *ft = t->fields[i].type;
            if (t->nullable && !ft->nullable)
                ft = sl_type_with_nullable(b->a, ft, true);
            if (!ft) return boom(b);
            *out = ft;
            return 0;
        }
    }
    (void)e;
    return bfail(b, f->off, f->len, "ROW type %s has no field '%s'",
                 tstr(b, t), f->name);
}

static int bind_column(binder_t *b, scope_t *s, sl_expr_t *e)
{
    const sl_qname_t *q = &e->name;
    int depth = 0;
    for (scope_t *sc = s; sc; sc = sc->parent, depth++) {
        /* Try "alias.col[.field...]" first, then "col[.field...]". */
        if (q->n >= 2) {
            for (int i = 0; i < sc->nrels; i++) {
                const srel_t *r = &sc->rels[i];
                if (!r->alias || strcasecmp(r->alias, q->parts[0].name)) continue;
                int c = rel_find(r->rel, q->parts[1].name);
                if (c == -1)
                    return column_not_found(b, s, e, q->parts[1].name, r->alias);
                if (c == -2)
                    return bfail(b, e->off, e->len,
                                 "column reference '%s' is ambiguous in '%s'",
                                 q->parts[1].name, r->alias);
                const sl_type_t *t = r->rel->cols[c].type;
                for (int k = 2; k < q->n; k++) TRY(field_of(b, e, t, &q->parts[k], &t));
                e->type = t;
                e->ref_rel = depth;
                e->ref_src = i;
                e->ref_col = c;
                e->ref_fields = q->n - 2;
                return 0;
            }
        }
        int hits = 0, hit_rel = -1, hit_col = -1;
        for (int i = 0; i < sc->nrels; i++) {
            const srel_t *r = &sc->rels[i];
            int c = rel_find(r->rel, q->parts[0].name);
            if (c == -2)
                return bfail(b, e->off, e->len,
                             "column reference '%s' is ambiguous: several "
                             "columns differ only in case",
                             q->parts[0].name);
            if (c < 0) continue;
            if (hits && in_using(r, q->parts[0].name)) continue;
            hits++;
            hit_rel = i;
            hit_col = c;
        }
        if (hits > 1) {
            const char *a1 = NULL, *a2 = NULL;
            for (int i = 0; i < sc->nrels; i++) {
                if (rel_find(sc->rels[i].rel, q->parts[0].name) >= 0) {
                    if (!a1) a1 = sc->rels[i].alias;
                    else if (!a2) a2 = sc->rels[i].alias;
                }
            }
            return bfail(b, e->off, e->len,
                         "column reference '%s' is ambiguous: it is in '%s' "
                         "and '%s'; qualify it",
                         q->parts[0].name, a1 ? a1 : "?", a2 ? a2 : "?");
        }
        if (hits == 1) {
            const sl_type_t *t = sc->rels[hit_rel].rel->cols[hit_col].type;
            for (int k = 1; k < q->n; k++) TRY(field_of(b, e, t, &q->parts[k], &t));
            e->type = t;
            e->ref_rel = depth;
            e->ref_src = hit_rel;
            e->ref_col = hit_col;
            e->ref_fields = q->n - 1;
            return 0;
        }
    }
    if (q->n >= 2) {
        /* Neither an alias nor a column: blame the qualifier. */
        bool known = false;
        for (scope_t *sc = s; sc && !known; sc = sc->parent)
            for (int i = 0; i < sc->nrels; i++)
                if (sc->rels[i].alias &&
                    !strcasecmp(sc->rels[i].alias, q->parts[0].name))
                    known = true;
        if (!known)
            return bfail(b, q->parts[0].off, q->parts[0].len,
                         "table or alias '%s' not found in this query; "
                         "'%s' is not a column either",
                         q->parts[0].name, q->parts[0].name);
    }
    return column_not_found(b, s, e, q->parts[0].name, NULL);
}

/* ---- expression helpers ---- */

static const sl_type_t *nullable_if(binder_t *b, const sl_type_t *t, bool n)
{
    if (!t) return NULL;
    if (n && !t->nullable) t = sl_type_with_nullable(b->a, t, true);
    if (!t) boom(b);
    return t;
}

static const sl_type_t *plain(binder_t *b, const sl_type_t *t)
{
    if (t && t->time_attr) t = sl_type_plain(b->a, t);
    if (!t) boom(b);
    return t;
}

static bool is_null_t(const sl_type_t *t) { return t->id == SL_T_NULL; }

static bool is_bool_or_null(const sl_type_t *t)
{
    return t->id == SL_T_BOOLEAN || t->id == SL_T_NULL;
}

static int expect_bool(binder_t *b, const sl_expr_t *e, const char *where)
{
    if (is_bool_or_null(e->type)) return 0;
    return bfail(b, e->off, e->len, "%s must be a BOOLEAN condition, not %s",
                 where, tstr(b, e->type));
}

/* Two values can be compared (=, <, IN, BETWEEN, CASE x WHEN ...). */
static bool comparable(const sl_type_t *x, const sl_type_t *y)
{
    if (is_null_t(x) || is_null_t(y)) return true;
    if (sl_type_is_numeric(x) && sl_type_is_numeric(y)) return true;
    if (sl_type_is_string(x) && sl_type_is_string(y)) return true;
    if (sl_type_is_binary(x) && sl_type_is_binary(y)) return true;
    /* Calcite coerces a string literal to the other side's type. */
    if (sl_type_is_string(x) || sl_type_is_string(y)) {
        const sl_type_t *o = sl_type_is_string(x) ? y : x;
        return sl_type_is_numeric(o) || sl_type_is_temporal(o) ||
               o->id == SL_T_BOOLEAN;
    }
    if (sl_type_is_timestamp(x) && sl_type_is_timestamp(y)) return true;
    if ((x->id == SL_T_DATE && sl_type_is_timestamp(y)) ||
        (y->id == SL_T_DATE && sl_type_is_timestamp(x)))
        return true;
    if (x->id == SL_T_INTERVAL_DT && y->id == SL_T_INTERVAL_DT) return true;
    if (x->id == SL_T_INTERVAL_YM && y->id == SL_T_INTERVAL_YM) return true;
    if (x->id == y->id) return true;
    return false;
}

static const sl_type_t *decimal_t(binder_t *b, int p, int s, bool nullable)
{
    const sl_type_t *t = sl_type_decimal(b->a, p, s, nullable);
    if (!t) boom(b);
    return t;
}

/* Result type of arithmetic on two numeric types, Flink's rules. */
static const sl_type_t *arith_type(binder_t *b, int op, const sl_type_t *x,
                                   const sl_type_t *y, bool nullable)
{
    if (x->id == SL_T_DOUBLE || y->id == SL_T_DOUBLE ||
        ((x->id == SL_T_FLOAT || y->id == SL_T_FLOAT) &&
         (x->id != y->id)))
        return sl_type_with_nullable(b->a, &sl_type_double, nullable);
    if (x->id == SL_T_FLOAT && y->id == SL_T_FLOAT)
        return sl_type_with_nullable(b->a, &sl_type_float, nullable);
    if (x->id == SL_T_DECIMAL || y->id == SL_T_DECIMAL) {
        int p1, s1, p2, s2, p, s;
        sl_type_decimal_of(x, &p1, &s1);
        sl_type_decimal_of(y, &p2, &s2);
        switch (op) {
        case SL_OP_ADD: sl_decimal_type_add(p1, s1, p2, s2, &p, &s); break;
        case SL_OP_SUB: sl_decimal_type_sub(p1, s1, p2, s2, &p, &s); break;
        case SL_OP_MUL: sl_decimal_type_mul(p1, s1, p2, s2, &p, &s); break;
        case SL_OP_DIV: sl_decimal_type_div(p1, s1, p2, s2, &p, &s); break;
        default: sl_decimal_type_mod(p1, s1, p2, s2, &p, &s); break;
        }
        return decimal_t(b, p, s, nullable);
    }
    /* Integers: the wider of the two (INT / INT stays INT, as in Flink). */
    const sl_type_t *w = x->id >= y->id ? x : y;
    if (op == SL_OP_MOD) w = y; /* MOD takes the divisor's type */
    return sl_type_with_nullable(b->a, w, nullable);
}

static bool is_interval(const sl_type_t *t) { return sl_type_is_interval(t); }

static int bind_arith(binder_t *b, sl_expr_t *e)
{
    const sl_type_t *x = e->a->type, *y = e->b->type;
    bool nl = x->nullable || y->nullable;
    int op = e->op;
    if (is_null_t(x) && is_null_t(y)) {
        e->type = &sl_type_null;
        return 0;
    }
    if (is_null_t(x)) x = y;
    if (is_null_t(y)) y = x;
    if (sl_type_is_numeric(x) && sl_type_is_numeric(y)) {
        e->type = arith_type(b, op, x, y, nl);
        return e->type ? 0 : boom(b);
    }
    /* Datetime arithmetic. */
    if ((op == SL_OP_ADD || op == SL_OP_SUB) && sl_type_is_temporal(x) &&
        is_interval(y)) {
        if (x->id == SL_T_DATE && y->id == SL_T_INTERVAL_DT) {
            e->type = sl_type_with_nullable(b->a, &sl_type_date, nl);
        } else {
            e->type = nullable_if(b, plain(b, x), nl);
        }
        return e->type ? 0 : boom(b);
    }
    if (op == SL_OP_ADD && is_interval(x) && sl_type_is_temporal(y)) {
        e->type = nullable_if(b, plain(b, y), nl);
        return e->type ? 0 : boom(b);
    }
    if ((op == SL_OP_ADD || op == SL_OP_SUB) && is_interval(x) && x->id == y->id) {
        e->type = nullable_if(b, x, nl);
        return e->type ? 0 : boom(b);
    }
    if ((op == SL_OP_MUL || op == SL_OP_DIV) && is_interval(x) &&
        sl_type_is_numeric(y)) {
        e->type = nullable_if(b, x, nl);
        return e->type ? 0 : boom(b);
    }
    if (op == SL_OP_MUL && sl_type_is_numeric(x) && is_interval(y)) {
        e->type = nullable_if(b, y, nl);
        return e->type ? 0 : boom(b);
    }
    static const char *const opname[] = {
        [SL_OP_ADD] = "+", [SL_OP_SUB] = "-", [SL_OP_MUL] = "*",
        [SL_OP_DIV] = "/", [SL_OP_MOD] = "%"};
    if (sl_type_is_temporal(x) && sl_type_is_temporal(y) && op == SL_OP_SUB)
        return bfail(b, e->off, e->len,
                     "cannot subtract %s from %s: use TIMESTAMPDIFF(unit, a, b)",
                     tstr(b, y), tstr(b, x));
    const sl_expr_t *bad = sl_type_is_numeric(x) || is_interval(x) ? e->b : e->a;
    return bfail(b, bad->off, bad->len,
                 "operator '%s' cannot be applied to %s and %s", opname[op],
                 tstr(b, e->a->type), tstr(b, e->b->type));
}

/* ---- literals ---- */

static int bind_literal(binder_t *b, sl_expr_t *e)
{
    switch (e->op) {
    case SL_LIT_NULL:
        e->type = &sl_type_null;
        return 0;
    case SL_LIT_BOOL:
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, false);
        break;
    case SL_LIT_STRING: {
        sl_type_t *t = sl_type_new(b->a, SL_T_CHAR);
        if (!t) return boom(b);
        /* Flink types 'abc' as CHAR(3) NOT NULL, counting characters. */
        int chars = 0;
        for (int i = 0; i < e->slen; i++)
            if (((unsigned char)e->str[i] & 0xC0) != 0x80) chars++;
        t->len = chars;
        t->nullable = false;
        e->type = t;
        return 0;
    }
    case SL_LIT_BINARY: {
        sl_type_t *t = sl_type_new(b->a, SL_T_BINARY);
        if (!t) return boom(b);
        t->len = e->slen / 2;
        t->nullable = false;
        e->type = t;
        return 0;
    }
    case SL_LIT_INT: {
        const char *s = e->str;
        bool neg = s[0] == '-';
        const char *d = s + neg;
        while (*d == '0' && d[1]) d++;
        size_t nd = strlen(d);
        if (nd <= 18) {
            long long v = strtoll(s, NULL, 10);
            if (v >= INT_MIN && v <= INT_MAX)
                e->type = sl_type_with_nullable(b->a, &sl_type_int, false);
            else
                e->type = sl_type_with_nullable(b->a, &sl_type_bigint, false);
        } else if (nd == 19 && (strcmp(d, neg ? "9223372036854775808"
                                              : "9223372036854775807") <= 0)) {
            e->type = sl_type_with_nullable(b->a, &sl_type_bigint, false);
        } else if (nd <= 38) {
            e->type = decimal_t(b, (int)nd, 0, false);
        } else {
            return bfail(b, e->off, e->len,
                         "numeric literal '%s' is out of range: at most 38 "
                         "digits",
                         s);
        }
        break;
    }
    case SL_LIT_DECIMAL: {
        /* As Calcite's createExactNumeric: every digit written counts,
         * so 0.27 is DECIMAL(3, 2) and 1.50 is DECIMAL(3, 2). */
        const char *s = e->str;
        int digits = 0, scale = 0, seen_point = 0;
        for (const char *p = s; *p; p++) {
            if (*p == '.') {
                seen_point = 1;
                continue;
            }
            if (!isdigit((unsigned char)*p)) continue;
            digits++;
            if (seen_point) scale++;
        }
        if (digits == 0) digits = 1;
        if (digits < scale) digits = scale;
        if (digits > 38)
            return bfail(b, e->off, e->len,
                         "numeric literal '%s' is out of range: at most 38 "
                         "digits",
                         s);
        e->type = decimal_t(b, digits, scale, false);
        break;
    }
    case SL_LIT_DOUBLE: {
        char *end;
        double v = strtod(e->str, &end);
        if (v == HUGE_VAL || v == -HUGE_VAL)
            return bfail(b, e->off, e->len,
                         "numeric literal '%s' is out of range for DOUBLE",
                         e->str);
        e->type = sl_type_with_nullable(b->a, &sl_type_double, false);
        break;
    }
    case SL_LIT_DATE: {
        sl_date_t d;
        if (sl_date_parse(e->str, (size_t)e->slen, &d))
            return bfail(b, e->off, e->len,
                         "invalid DATE literal '%s': expected 'YYYY-MM-DD'",
                         e->str);
        e->type = sl_type_with_nullable(b->a, &sl_type_date, false);
        break;
    }
    case SL_LIT_TIME: {
        sl_time_t t;
        const char *dot = memchr(e->str, '.', (size_t)e->slen);
        int p = dot ? (int)(e->str + e->slen - dot - 1) : 0;
        if (p > 9 || sl_time_parse(e->str, (size_t)e->slen, 9, &t))
            return bfail(b, e->off, e->len,
                         "invalid TIME literal '%s': expected 'HH:MM:SS[.fff]'",
                         e->str);
        sl_type_t *ty = sl_type_new(b->a, SL_T_TIME);
        if (!ty) return boom(b);
        ty->len = p;
        ty->nullable = false;
        e->type = ty;
        return 0;
    }
    case SL_LIT_TIMESTAMP:
    case SL_LIT_TIMESTAMP_LTZ: {
        sl_timestamp_t ts;
        const char *dot = memchr(e->str, '.', (size_t)e->slen);
        int p = dot ? (int)(e->str + e->slen - dot - 1) : 0;
        if (p > 9 || sl_timestamp_parse(e->str, (size_t)e->slen, 9, &ts))
            return bfail(b, e->off, e->len,
                         "invalid TIMESTAMP literal '%s': expected "
                         "'YYYY-MM-DD HH:MM:SS[.fff]'",
                         e->str);
        e->type = sl_type_timestamp(b->a,
                                    e->op == SL_LIT_TIMESTAMP ? SL_T_TIMESTAMP
                                                              : SL_T_TIMESTAMP_LTZ,
                                    p, false);
        break;
    }
    }
    return e->type ? 0 : boom(b);
}

/* ---- function calls ---- */

static bool qname_is(const sl_qname_t *q, const char *name)
{
    return q->n == 1 && strcasecmp(q->parts[0].name, name) == 0;
}

static int bind_window_spec(binder_t *b, scope_t *s, sl_window_t *w);

/* Is call an aggregate (not a window aggregate with OVER)? */
static bool is_group_agg(const sl_expr_t *e)
{
    return e->kind == SL_X_CALL && e->func && e->func->kind == SL_FN_AGG &&
           !e->over;
}

static int bind_call(binder_t *b, scope_t *s, sl_expr_t *e, int flags,
                     const char *where)
{
    const sl_qname_t *q = &e->name;
    if (q->n != 1) {
        return bfail(b, q->off, q->len,
                     "function '%.*s' not found: catalog functions are not "
                     "supported",
                     q->len, b->sc->src + q->off);
    }
    const char *name = q->parts[0].name;
    int nlen = (int)strlen(name);
    const sl_func_t *f = NULL;
    if (flags & X_GROUP_BY)
        f = sl_func_lookup_kind(name, nlen, SL_FN_GROUP_WINDOW);
    if (!f) f = sl_func_lookup_kind(name, nlen, SL_FN_SCALAR);
    if (!f) f = sl_func_lookup_kind(name, nlen, SL_FN_AGG);
    if (!f) f = sl_func_lookup_kind(name, nlen, SL_FN_RANK);
    if (!f) f = sl_func_lookup_kind(name, nlen, SL_FN_GROUP_AUX);
    if (!f) f = sl_func_lookup_kind(name, nlen, SL_FN_GROUP_WINDOW);
    if (!f) f = sl_func_lookup(name, nlen);
    if (!f) {
        const char *hint = sl_func_suggest(name, nlen);
        if (hint)
            return bfail(b, q->off, q->len,
                         "no function named '%s'; did you mean %s?", name, hint);
        return bfail(b, q->off, q->len,
                     "no function named '%s' (user-defined functions are not "
                     "supported)",
                     name);
    }
    e->func = f;
    switch (f->kind) {
    case SL_FN_WINDOW_TVF:
    case SL_FN_TABLE:
        return bfail(b, q->off, q->len,
                     "%s is a table function: use it in FROM as "
                     "TABLE(%s(TABLE t, DESCRIPTOR(time_col), ...))",
                     f->name, f->name);
    case SL_FN_GROUP_WINDOW:
        if (!(flags & X_GROUP_BY))
            return bfail(b, q->off, q->len,
                         "group window function %s(...) may only appear in "
                         "GROUP BY; in FROM use TABLE(%s(TABLE t, "
                         "DESCRIPTOR(time_col), ...))",
                         f->name, f->name);
        break;
    case SL_FN_AGG:
        if (e->over) break;
        if (flags & X_IN_AGG)
            return bfail(b, q->off, q->len,
                         "aggregate function %s cannot be nested inside "
                         "another aggregate",
                         f->name);
        if (!(flags & X_AGG_OK))
            return bfail(b, q->off, q->len,
                         "aggregate function %s is not allowed in %s", f->name,
                         where);
        break;
    case SL_FN_RANK:
        if (!e->over)
            return bfail(b, q->off, q->len,
                         "%s must be followed by OVER (PARTITION BY ... ORDER "
                         "BY ...)",
                         f->name);
        break;
    default:
        if (e->over)
            return bfail(b, q->off, q->len,
                         "%s is not an aggregate or window function: it "
                         "cannot take OVER",
                         f->name);
        break;
    }
    if (e->over && !(flags & X_OVER_OK))
        return bfail(b, e->over->off, e->over->len,
                     "OVER windows are not allowed in %s", where);
    if ((e->flags & SL_XF_DISTINCT) && f->kind != SL_FN_AGG)
        return bfail(b, q->off, q->len,
                     "DISTINCT is only allowed in aggregate functions, not in "
                     "%s",
                     f->name);
    if ((e->flags & SL_XF_STAR) && !f->star_ok)
        return bfail(b, q->off, q->len, "%s(*) is not valid: %s", f->name,
                     f->signature);
    if (e->filter && f->kind != SL_FN_AGG)
        return bfail(b, e->filter->off, e->filter->len,
                     "FILTER (WHERE ...) is only allowed on aggregate "
                     "functions");
    int nargs = e->args.n;
    if (!(e->flags & SL_XF_STAR) &&
        (nargs < f->min_args || (f->max_args >= 0 && nargs > f->max_args))) {
        if (f->min_args == f->max_args)
            return bfail(b, e->off, e->len,
                         "%s takes %d argument%s but %d %s given: %s", f->name,
                         f->min_args, f->min_args == 1 ? "" : "s", nargs,
                         nargs == 1 ? "was" : "were", f->signature);
        return bfail(b, e->off, e->len,
                     "%s does not take %d argument%s: %s", f->name, nargs,
                     nargs == 1 ? "" : "s", f->signature);
    }
    /* TIMESTAMPADD(WEEK, ...): a non-reserved unit arrives as a column. */
    if (nargs > 0 && (qname_is(q, "TIMESTAMPADD") || qname_is(q, "TIMESTAMPDIFF"))) {
        sl_expr_t *u = e->args.items[0];
        if (u->kind == SL_X_COLUMN && u->name.n == 1) {
            sl_unit_t unit = sl_unit_from_name(u->name.parts[0].name,
                                               (int)strlen(u->name.parts[0].name));
            if (unit != SL_U_NONE) {
                u->kind = SL_X_SYMBOL;
                u->op = (uint8_t)unit;
                u->str = u->name.parts[0].name;
                u->slen = (int)strlen(u->str);
            }
        }
        if (u->kind != SL_X_SYMBOL)
            return bfail(b, u->off, u->len,
                         "the first argument of %s must be a time unit "
                         "(SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or "
                         "YEAR), not '%.*s'",
                         f->name, u->len, b->sc->src + u->off);
    }
    int aflags = flags & ~(X_GROUP_BY | X_OVER_OK);
    if (f->kind == SL_FN_AGG && !e->over) aflags |= X_IN_AGG;
    aflags &= ~X_AGG_OK;
    const sl_type_t **types = NULL;
    const sl_expr_t **argx = NULL;
    if (nargs) {
        types = balloc(b, (size_t)nargs * sizeof *types);
        argx = balloc(b, (size_t)nargs * sizeof *argx);
        if (!types || !argx) return -SL_ENOMEM;
    }
    for (int i = 0; i < nargs; i++) {
        sl_expr_t *a = e->args.items[i];
        TRY(bind_expr(b, s, a, aflags, where));
        types[i] = a->type;
        argx[i] = a;
    }
    if (e->filter) {
        TRY(bind_expr(b, s, e->filter, flags & ~(X_AGG_OK | X_OVER_OK), "FILTER"));
        TRY(expect_bool(b, e->filter, "FILTER (WHERE ...)"));
    }
    if (e->over) TRY(bind_window_spec(b, s, e->over));
    sl_func_call_t fc = {
        .arena = b->a,
        .call = e,
        .nargs = nargs,
        .args = types,
        .argx = argx,
        .distinct = (e->flags & SL_XF_DISTINCT) != 0,
        .star = (e->flags & SL_XF_STAR) != 0,
    };
    sl_err_t ferr;
    sl_err_clear(&ferr);
    const sl_type_t *t = f->infer(&fc, &ferr);
    if (!t) {
        if (ferr.code == SL_ENOMEM) return boom(b);
        int off = ferr.off >= 0 ? ferr.off : e->off;
        int len = ferr.off >= 0 ? ferr.len : e->len;
        if (len <= 0) {
            for (int i = 0; i < nargs; i++)
                if (argx[i]->off == off) len = argx[i]->len;
        }
        return bfail(b, off, len > 0 ? len : 1, "%s",
                     ferr.msg[0] ? ferr.msg : "invalid arguments");
    }
    e->type = t;
    if (f->kind == SL_FN_GROUP_WINDOW) {
        const sl_expr_t *ts = argx[0];
        if (!ts->type->time_attr)
            return bfail(b, ts->off, ts->len,
                         "the first argument of %s must be a time attribute "
                         "(a PROCTIME() column or a column with a WATERMARK), "
                         "but it is %s",
                         f->name, tstr(b, ts->type));
    }
    if (f->kind == SL_FN_AGG && !e->over) s->has_agg = true;
    return 0;
}

static int bind_window_spec(binder_t *b, scope_t *s, sl_window_t *w)
{
    if (w->ref.name && !w->partition.n && !w->order.n && !w->frame) {
        /* OVER w: look the name up in WINDOW clauses of this query. */
        const sl_query_t *sel = s->select;
        if (sel)
            for (int i = 0; i < sel->windows.n; i++) {
                sl_window_t *d = sel->windows.items[i];
                if (strcasecmp(d->ref.name, w->ref.name) == 0) return 0;
            }
        return bfail(b, w->ref.off, w->ref.len, "window '%s' is not defined",
                     w->ref.name);
    }
    for (int i = 0; i < w->partition.n; i++)
        TRY(bind_expr(b, s, w->partition.items[i], 0, "PARTITION BY"));
    for (int i = 0; i < w->order.n; i++) {
        sl_order_item_t *o = w->order.items[i];
        TRY(bind_expr(b, s, o->expr, 0, "ORDER BY of OVER"));
    }
    if (w->lo) TRY(bind_expr(b, s, w->lo, 0, "a window frame"));
    if (w->hi) TRY(bind_expr(b, s, w->hi, 0, "a window frame"));
    return 0;
}

/* ---- expressions ---- */

static int bind_subquery(binder_t *b, scope_t *s, sl_query_t *q, int off,
                         int len, bool single)
{
    TRY(bind_query(b, s, q));
    if (single && q->rel && q->rel->n != 1)
        return bfail(b, off, len,
                     "subquery must return exactly one column, but it returns "
                     "%d",
                     q->rel->n);
    return 0;
}

static int bind_expr(binder_t *b, scope_t *s, sl_expr_t *e, int flags,
                     const char *where)
{
    if (!e) return 0;
    if (++b->depth > MAX_DEPTH) {
        b->depth--;
        return bfail(b, e->off, e->len, "expression is nested too deeply");
    }
    int rc = 0;
    int cflags = flags & ~X_GROUP_BY; /* operands of a GROUP BY item */
    switch (e->kind) {
    case SL_X_LITERAL:
        rc = bind_literal(b, e);
        break;
    case SL_X_COLUMN:
        rc = bind_column(b, s, e);
        break;
    case SL_X_STAR:
        rc = bfail(b, e->off, e->len, "'*' is only allowed in the select list");
        break;
    case SL_X_PARAM:
        rc = bfail(b, e->off, e->len,
                   "dynamic parameters '?' are not supported");
        break;
    case SL_X_UNARY:
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if (e->op == SL_OP_NOT) {
            if ((rc = expect_bool(b, e->a, "the operand of NOT"))) break;
            e->type = nullable_if(b, &sl_type_boolean, e->a->type->nullable);
            if (e->type && !e->a->type->nullable)
                e->type = sl_type_with_nullable(b->a, &sl_type_boolean, false);
        } else {
            const sl_type_t *t = e->a->type;
            if (!sl_type_is_numeric(t) && !is_interval(t) && !is_null_t(t)) {
                rc = bfail(b, e->off, e->len,
                           "unary '%c' needs a number, not %s",
                           e->op == SL_OP_NEG ? '-' : '+', tstr(b, t));
                break;
            }
            e->type = plain(b, t);
        }
        if (!e->type) rc = boom(b);
        break;
    case SL_X_BINARY: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->b, cflags, where))) break;
        const sl_type_t *x = e->a->type, *y = e->b->type;
        bool nl = x->nullable || y->nullable;
        switch (e->op) {
        case SL_OP_AND:
        case SL_OP_OR:
            if ((rc = expect_bool(b, e->a, e->op == SL_OP_AND ? "an operand of AND" : "an operand of OR"))) break;
            if ((rc = expect_bool(b, e->b, e->op == SL_OP_AND ? "an operand of AND" : "an operand of OR"))) break;
            e->type = sl_type_with_nullable(b->a, &sl_type_boolean, nl);
            break;
        case SL_OP_EQ: case SL_OP_NE: case SL_OP_LT: case SL_OP_LE:
        case SL_OP_GT: case SL_OP_GE:
            if (!comparable(x, y)) {
                rc = bfail(b, e->off, e->len, "cannot compare %s with %s",
                           tstr(b, x), tstr(b, y));
                break;
            }
            if ((e->op != SL_OP_EQ && e->op != SL_OP_NE) &&
                (x->id == SL_T_ROW || x->id == SL_T_MAP || x->id == SL_T_ARRAY ||
                 x->id == SL_T_MULTISET)) {
                rc = bfail(b, e->off, e->len, "values of type %s have no order",
                           tstr(b, x));
                break;
            }
            e->type = sl_type_with_nullable(b->a, &sl_type_boolean, nl);
            break;
        case SL_OP_CONCAT:
            if ((sl_type_is_string(x) || is_null_t(x)) &&
                (sl_type_is_string(y) || is_null_t(y))) {
                /* Calcite's DYADIC_STRING_SUM_PRECISION: CHAR(n) || CHAR(m)
                 * is CHAR(n + m), otherwise VARCHAR(n + m), capped. */
                int64_t len = (int64_t)(is_null_t(x) ? 0 : x->len) +
                              (is_null_t(y) ? 0 : y->len);
                if (len > SL_MAX_LENGTH) len = SL_MAX_LENGTH;
                if (x->id == SL_T_CHAR && y->id == SL_T_CHAR) {
                    sl_type_t *t = sl_type_new(b->a, SL_T_CHAR);
                    if (t) {
                        t->len = (int32_t)len;
                        t->nullable = nl;
                    }
                    e->type = t;
                } else {
                    e->type = sl_type_varchar(b->a, (int32_t)len, nl);
                }
            } else if ((sl_type_is_binary(x) || is_null_t(x)) &&
                       (sl_type_is_binary(y) || is_null_t(y))) {
                sl_type_t *t = sl_type_new(b->a, SL_T_VARBINARY);
                if (t) {
                    t->len = SL_MAX_LENGTH;
                    t->nullable = nl;
                }
                e->type = t;
            } else {
                const sl_expr_t *bad = sl_type_is_string(x) ? e->b : e->a;
                rc = bfail(b, bad->off, bad->len,
                           "'||' concatenates strings, but this operand is %s: "
                           "CAST it to STRING",
                           tstr(b, bad->type));
            }
            break;
        default:
            rc = bind_arith(b, e);
            break;
        }
        if (!rc && !e->type) rc = boom(b);
        break;
    }
    case SL_X_IS:
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if (e->op != SL_OP_IS_NULL && (rc = expect_bool(b, e->a, "the operand of IS TRUE/FALSE/UNKNOWN"))) break;
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, false);
        if (!e->type) rc = boom(b);
        break;
    case SL_X_IS_DISTINCT:
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->b, cflags, where))) break;
        if (!comparable(e->a->type, e->b->type)) {
            rc = bfail(b, e->off, e->len, "cannot compare %s with %s",
                       tstr(b, e->a->type), tstr(b, e->b->type));
            break;
        }
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, false);
        if (!e->type) rc = boom(b);
        break;
    case SL_X_BETWEEN: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->b, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->c, cflags, where))) break;
        const sl_expr_t *bad = !comparable(e->a->type, e->b->type) ? e->b
                             : !comparable(e->a->type, e->c->type) ? e->c : NULL;
        if (bad) {
            rc = bfail(b, bad->off, bad->len,
                       "BETWEEN bound of type %s cannot be compared with %s",
                       tstr(b, bad->type), tstr(b, e->a->type));
            break;
        }
        bool nl = e->a->type->nullable || e->b->type->nullable ||
                  e->c->type->nullable;
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, nl);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_IN_LIST: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        bool nl = e->a->type->nullable;
        for (int i = 0; i < e->args.n && !rc; i++) {
            sl_expr_t *x = e->args.items[i];
            if ((rc = bind_expr(b, s, x, cflags, where))) break;
            if (!comparable(e->a->type, x->type))
                rc = bfail(b, x->off, x->len,
                           "IN list value of type %s cannot be compared with "
                           "%s",
                           tstr(b, x->type), tstr(b, e->a->type));
            nl = nl || x->type->nullable;
        }
        if (rc) break;
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, nl);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_IN_QUERY:
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_subquery(b, s, e->query, e->off, e->len, true))) break;
        if (!comparable(e->a->type, e->query->rel->cols[0].type)) {
            rc = bfail(b, e->off, e->len,
                       "IN subquery returns %s, which cannot be compared with "
                       "%s",
                       tstr(b, e->query->rel->cols[0].type), tstr(b, e->a->type));
            break;
        }
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, true);
        if (!e->type) rc = boom(b);
        break;
    case SL_X_EXISTS:
        if ((rc = bind_subquery(b, s, e->query, e->off, e->len, false))) break;
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean, false);
        if (!e->type) rc = boom(b);
        break;
    case SL_X_SUBQUERY:
        if ((rc = bind_subquery(b, s, e->query, e->off, e->len, true))) break;
        e->type = nullable_if(b, plain(b, e->query->rel->cols[0].type), true);
        if (!e->type) rc = boom(b);
        break;
    case SL_X_LIKE: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->b, cflags, where))) break;
        if (e->c && (rc = bind_expr(b, s, e->c, cflags, where))) break;
        const char *op = e->op == SL_OP_LIKE ? "LIKE" : "SIMILAR TO";
        const sl_expr_t *bad = NULL;
        if (!sl_type_is_string(e->a->type) && !is_null_t(e->a->type)) bad = e->a;
        else if (!sl_type_is_string(e->b->type) && !is_null_t(e->b->type)) bad = e->b;
        else if (e->c && !sl_type_is_string(e->c->type)) bad = e->c;
        if (bad) {
            rc = bfail(b, bad->off, bad->len,
                       "%s needs strings, but this operand is %s", op,
                       tstr(b, bad->type));
            break;
        }
        e->type = sl_type_with_nullable(b->a, &sl_type_boolean,
                                        e->a->type->nullable || e->b->type->nullable);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_CASE: {
        if (e->a && (rc = bind_expr(b, s, e->a, cflags, where))) break;
        const sl_type_t *rt = NULL;
        bool any_null_branch = !e->c;
        for (int i = 0; i + 1 < e->args.n; i += 2) {
            sl_expr_t *w = e->args.items[i], *t = e->args.items[i + 1];
            if ((rc = bind_expr(b, s, w, cflags, where))) break;
            if (e->a) {
                if (!comparable(e->a->type, w->type)) {
                    rc = bfail(b, w->off, w->len,
                               "CASE value of type %s cannot be compared with "
                               "%s",
                               tstr(b, w->type), tstr(b, e->a->type));
                    break;
                }
            } else if ((rc = expect_bool(b, w, "a WHEN condition"))) {
                break;
            }
            if ((rc = bind_expr(b, s, t, cflags, where))) break;
            const sl_type_t *nt = rt ? sl_type_common(b->a, rt, t->type) : t->type;
            if (!nt) {
                rc = bfail(b, t->off, t->len,
                           "CASE branches have incompatible types %s and %s",
                           tstr(b, rt), tstr(b, t->type));
                break;
            }
            rt = nt;
        }
        if (rc) break;
        if (e->c) {
            if ((rc = bind_expr(b, s, e->c, cflags, where))) break;
            const sl_type_t *nt = sl_type_common(b->a, rt, e->c->type);
            if (!nt) {
                rc = bfail(b, e->c->off, e->c->len,
                           "CASE branches have incompatible types %s and %s",
                           tstr(b, rt), tstr(b, e->c->type));
                break;
            }
            rt = nt;
        }
        e->type = nullable_if(b, plain(b, rt), any_null_branch);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_CAST: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        const sl_type_t *from = e->a->type, *to = e->cast_type;
        if (!is_null_t(from) && !sl_type_castable(from, to)) {
            rc = bfail(b, e->off, e->len, "cannot CAST %s to %s",
                       tstr(b, from), tstr(b, to));
            break;
        }
        bool nl = from->nullable || (e->flags & SL_XF_TRY) || to->nullable;
        e->type = sl_type_with_nullable(b->a, to, nl && to->nullable ? true : nl);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_INTERVAL: {
        bool ym = e->unit_from == SL_U_YEAR || e->unit_from == SL_U_MONTH ||
                  e->unit_from == SL_U_QUARTER;
        if (e->unit_from == SL_U_NONE) {
            rc = bfail(b, e->off, e->len, "interval literal needs a time unit");
            break;
        }
        e->type = sl_type_with_nullable(b->a, ym ? &sl_type_interval_ym
                                                 : &sl_type_interval_dt, false);
        if (!e->type) rc = boom(b);
        break;
    }
    case SL_X_SYMBOL:
        e->type = &sl_type_symbol;
        break;
    case SL_X_DESCRIPTOR:
        e->type = &sl_type_descriptor;
        break;
    case SL_X_TABLE_ARG:
        rc = bfail(b, e->off, e->len,
                   "TABLE %.*s is only allowed as an argument of a table "
                   "function in FROM TABLE(...)",
                   e->name.len, b->sc->src + e->name.off);
        break;
    case SL_X_NAMED_ARG:
        rc = bfail(b, e->off, e->len,
                   "named arguments (name => value) are not supported");
        break;
    case SL_X_CALL:
        rc = bind_call(b, s, e, flags, where);
        break;
    case SL_X_ROW: {
        sl_type_t *t = sl_type_new(b->a, SL_T_ROW);
        sl_field_t *f = e->args.n ? balloc(b, (size_t)e->args.n * sizeof *f) : NULL;
        if (!t || (e->args.n && !f)) {
            rc = boom(b);
            break;
        }
        for (int i = 0; i < e->args.n && !rc; i++) {
            sl_expr_t *x = e->args.items[i];
            if ((rc = bind_expr(b, s, x, cflags, where))) break;
            f[i].name = sl_arena_printf(b->a, "EXPR$%d", i);
            f[i].type = plain(b, x->type);
            if (!f[i].name || !f[i].type) rc = boom(b);
        }
        t->nfields = (int16_t)e->args.n;
        t->fields = f;
        t->nullable = false;
        e->type = t;
        break;
    }
    case SL_X_ARRAY:
    case SL_X_MAP: {
        const sl_type_t *kt = NULL, *vt = NULL;
        int step = e->kind == SL_X_MAP ? 2 : 1;
        for (int i = 0; i < e->args.n && !rc; i++) {
            sl_expr_t *x = e->args.items[i];
            if ((rc = bind_expr(b, s, x, cflags, where))) break;
            const sl_type_t **slot = (step == 2 && i % 2 == 0) ? &kt : &vt;
            const sl_type_t *nt = *slot ? sl_type_common(b->a, *slot, x->type) : x->type;
            if (!nt) {
                rc = bfail(b, x->off, x->len,
                           "%s elements have incompatible types %s and %s",
                           step == 2 ? "MAP" : "ARRAY", tstr(b, *slot),
                           tstr(b, x->type));
                break;
            }
            *slot = plain(b, nt);
        }
        if (rc) break;
        if (!e->args.n) {
            rc = bfail(b, e->off, e->len,
                       "an empty ARRAY[] has no element type: CAST it");
            break;
        }
        sl_type_t *t = sl_type_new(b->a, step == 2 ? SL_T_MAP : SL_T_ARRAY);
        if (!t) {
            rc = boom(b);
            break;
        }
        t->elem = vt;
        t->key = kt;
        t->nullable = false;
        e->type = t;
        break;
    }
    case SL_X_ITEM: {
        if ((rc = bind_expr(b, s, e->a, cflags, where))) break;
        if ((rc = bind_expr(b, s, e->b, cflags, where))) break;
        const sl_type_t *t = e->a->type;
        if (t->id == SL_T_ARRAY) {
            if (!sl_type_is_integer(e->b->type)) {
                rc = bfail(b, e->b->off, e->b->len,
                           "an ARRAY index must be an integer, not %s",
                           tstr(b, e->b->type));
                break;
            }
            e->type = nullable_if(b, t->elem, true);
        } else if (t->id == SL_T_MAP) {
            if (!comparable(t->key, e->b->type)) {
                rc = bfail(b, e->b->off, e->b->len,
                           "MAP key of type %s cannot be looked up with %s",
                           tstr(b, t->key), tstr(b, e->b->type));
                break;
            }
            e->type = nullable_if(b, t->elem, true);
        } else if (t->id == SL_T_ROW && e->b->kind == SL_X_LITERAL &&
                   e->b->op == SL_LIT_STRING) {
            sl_ident_t f = {e->b->str, e->b->off, e->b->len, true};
            const sl_type_t *ft;
            if ((rc = field_of(b, e, t, &f, &ft))) break;
            e->type = ft;
        } else {
            rc = bfail(b, e->a->off, e->a->len,
                       "'[...]' needs an ARRAY or a MAP, not %s", tstr(b, t));
        }
        if (!rc && !e->type) rc = boom(b);
        break;
    }
    default:
        rc = bfail(b, e->off, e->len, "unsupported expression");
        break;
    }
    b->depth--;
    if (!rc && !e->type) rc = boom(b);
    return rc;
}

/* ---- aggregate checks ---- */

static bool expr_equal(const sl_expr_t *x, const sl_expr_t *y);

static bool list_equal(const sl_list_t *a, const sl_list_t *b)
{
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
        if (!expr_equal(a->items[i], b->items[i])) return false;
    return true;
}

/* Structural equality of bound expressions (GROUP BY matching). */
static bool expr_equal(const sl_expr_t *x, const sl_expr_t *y)
{
    if (x == y) return true;
    if (!x || !y) return false;
    if (x->kind != y->kind || x->op != y->op ||
        (x->flags & ~SL_XF_PAREN) != (y->flags & ~SL_XF_PAREN))
        return false;
    switch (x->kind) {
    case SL_X_COLUMN:
        /* Same column of the same relation, and the same ROW field path. */
        if (x->ref_rel != y->ref_rel || x->ref_src != y->ref_src ||
            x->ref_col != y->ref_col || x->ref_fields != y->ref_fields)
            return false;
        for (int i = 1; i <= x->ref_fields; i++)
            if (strcasecmp(x->name.parts[x->name.n - i].name,
                           y->name.parts[y->name.n - i].name))
                return false;
        return true;
    case SL_X_LITERAL:
    case SL_X_SYMBOL:
        if (!x->str || !y->str) return x->str == y->str;
        return strcasecmp(x->str, y->str) == 0;
    case SL_X_INTERVAL:
        return x->unit_from == y->unit_from && x->unit_to == y->unit_to &&
               strcmp(x->str, y->str) == 0;
    case SL_X_CALL:
        if (x->func != y->func || x->over || y->over) return false;
        return list_equal(&x->args, &y->args);
    case SL_X_CAST:
        return sl_type_equal(x->cast_type, y->cast_type) &&
               expr_equal(x->a, y->a);
    default:
        return expr_equal(x->a, y->a) && expr_equal(x->b, y->b) &&
               expr_equal(x->c, y->c) && list_equal(&x->args, &y->args);
    }
}

/* Does a GROUP BY element group e? `(a, b)` in GROUP BY, GROUPING SETS,
 * ROLLUP or CUBE is a list of columns, not a ROW value. */
static bool group_expr_covers(const sl_expr_t *g, const sl_expr_t *e)
{
    if (!g) return false;
    if (expr_equal(g, e)) return true;
    if (g->kind == SL_X_ROW)
        for (int i = 0; i < g->args.n; i++)
            if (expr_equal(g->args.items[i], e)) return true;
    return false;
}

static bool group_item_covers(const sl_group_item_t *g, const sl_expr_t *e)
{
    if (g->kind == SL_G_EXPR) return group_expr_covers(g->expr, e);
    for (int j = 0; j < g->items.n; j++)
        if (group_item_covers(g->items.items[j], e)) return true;
    return false;
}

bool sl_expr_equal(const sl_expr_t *a, const sl_expr_t *b)
{
    return expr_equal(a, b);
}

bool sl_expr_is_group_agg(const sl_expr_t *e)
{
    return is_group_agg(e);
}

static bool is_grouped(const scope_t *s, const sl_expr_t *e)
{
    if (!s->group_by) return false;
    for (int i = 0; i < s->group_by->n; i++)
        if (group_item_covers(s->group_by->items[i], e)) return true;
    return false;
}

/* A group-window auxiliary (TUMBLE_START(ts, i)) must match a group window
 * (TUMBLE(ts, i)) of the GROUP BY. */
static bool aux_matches(const scope_t *s, const sl_expr_t *e)
{
    const char *aux = e->func->name;
    size_t plen = strcspn(aux, "_");
    if (!s->group_by) return false;
    for (int i = 0; i < s->group_by->n; i++) {
        const sl_group_item_t *g = s->group_by->items[i];
        const sl_expr_t *w = g->expr;
        if (!w || w->kind != SL_X_CALL || !w->func ||
            w->func->kind != SL_FN_GROUP_WINDOW)
            continue;
        if (strlen(w->func->name) != plen ||
            strncasecmp(w->func->name, aux, plen) != 0)
            continue;
        if (list_equal(&w->args, &e->args)) return true;
    }
    return false;
}

static int check_grouped(binder_t *b, const scope_t *s, const sl_expr_t *e,
                         const char *where)
{
    if (!e) return 0;
    if (is_grouped(s, e)) return 0;
    switch (e->kind) {
    case SL_X_COLUMN:
        if (e->ref_rel > 0) return 0; /* outer reference: constant here */
        return bfail(b, e->off, e->len,
                     "expression '%.*s' in %s is not being grouped: add it to "
                     "GROUP BY or use it inside an aggregate function",
                     e->len, b->sc->src + e->off, where);
    case SL_X_CALL:
        if (is_group_agg(e)) return 0;
        if (e->func && e->func->kind == SL_FN_GROUP_AUX) {
            if (aux_matches(s, e)) return 0;
            return bfail(b, e->off, e->len,
                         "%s(...) must have the same arguments as a group "
                         "window in GROUP BY",
                         e->func->name);
        }
        if (e->over) {
            /* Window functions see the grouped rows: their arguments and
             * partitioning must be grouped too. */
            for (int i = 0; i < e->args.n; i++)
                TRY(check_grouped(b, s, e->args.items[i], where));
            return 0;
        }
        for (int i = 0; i < e->args.n; i++)
            TRY(check_grouped(b, s, e->args.items[i], where));
        return 0;
    case SL_X_SUBQUERY:
    case SL_X_EXISTS:
        return 0;
    case SL_X_IN_QUERY:
        return check_grouped(b, s, e->a, where);
    default:
        TRY(check_grouped(b, s, e->a, where));
        TRY(check_grouped(b, s, e->b, where));
        TRY(check_grouped(b, s, e->c, where));
        for (int i = 0; i < e->args.n; i++)
            TRY(check_grouped(b, s, e->args.items[i], where));
        return 0;
    }
}

/* ---- FROM ---- */

static const char *expr_name(binder_t *b, const sl_expr_t *e, int i)
{
    if (e->kind == SL_X_COLUMN) return e->name.parts[e->name.n - 1].name;
    const char *n = sl_arena_printf(b->a, "EXPR$%d", i);
    if (!n) boom(b);
    return n;
}

/* Applies T(a, b, c) column aliases to a relation. */
static int rename_rel(binder_t *b, const sl_rel_t *in, const sl_list_t *names,
                      int off, int len, const char *what, sl_rel_t **out)
{
    if (!names || !names->n) {
        *out = (sl_rel_t *)in;
        return 0;
    }
    if (names->n != in->n)
        return bfail(b, off, len, "%s names %d column%s but the query returns %d",
                     what, names->n, names->n == 1 ? "" : "s", in->n);
    sl_rel_t *r = rel_new(b, in->n);
    if (!r) return -SL_ENOMEM;
    for (int i = 0; i < in->n; i++) {
        sl_ident_t *id = names->items[i];
        r->cols[i].name = id->name;
        r->cols[i].type = in->cols[i].type;
        for (int j = 0; j < i; j++)
            if (strcasecmp(r->cols[j].name, id->name) == 0)
                return bfail(b, id->off, id->len, "column name '%s' is used twice",
                             id->name);
    }
    *out = r;
    return 0;
}

static int bind_tref(binder_t *b, scope_t *s, scope_t *outer, sl_tref_t *t,
                     srel_t **leaf);

/* Flink's parameter names of the window TVFs, in positional order. */
static const char *const *tvf_params(const char *fn)
{
    static const char *const tumble[] = {"DATA", "TIMECOL", "SIZE", "OFFSET", NULL};
    static const char *const hop[] = {"DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET", NULL};
    static const char *const cumulate[] = {"DATA", "TIMECOL", "STEP", "SIZE", "OFFSET", NULL};
    static const char *const session[] = {"DATA", "TIMECOL", "GAP", NULL};
    if (!strcasecmp(fn, "TUMBLE")) return tumble;
    if (!strcasecmp(fn, "HOP")) return hop;
    if (!strcasecmp(fn, "CUMULATE")) return cumulate;
    if (!strcasecmp(fn, "SESSION")) return session;
    return NULL;
}

/* TUMBLE(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => ...): puts
 * named arguments in positional order, in place. */
static int order_named_args(binder_t *b, const sl_func_t *f, sl_expr_t *call)
{
    bool named = false;
    for (int i = 0; i < call->args.n; i++)
        if (((sl_expr_t *)call->args.items[i])->kind == SL_X_NAMED_ARG) named = true;
    if (!named) return 0;
    const char *const *params = tvf_params(f->name);
    int np = 0;
    while (params && params[np]) np++;
    sl_expr_t **slot = balloc(b, (size_t)(np ? np : 1) * sizeof *slot);
    if (!slot) return -SL_ENOMEM;
    for (int i = 0; i < call->args.n; i++) {
        sl_expr_t *a = call->args.items[i];
        if (a->kind != SL_X_NAMED_ARG)
            return bfail(b, a->off, a->len,
                         "%s: positional and named (name => value) arguments "
                         "cannot be mixed",
                         f->name);
        int k = -1;
        for (int j = 0; j < np; j++)
            if (!strcasecmp(params[j], a->str)) k = j;
        if (k < 0) {
            char list[128];
            int o = 0;
            list[0] = '\0';
            for (int j = 0; j < np && o < (int)sizeof list - 16; j++)
                o += snprintf(list + o, sizeof list - (size_t)o, "%s%s",
                              j ? ", " : "", params[j]);
            return bfail(b, a->off, a->slen,
                         "%s has no parameter named '%s': it takes %s", f->name,
                         a->str, list);
        }
        if (slot[k])
            return bfail(b, a->off, a->slen, "%s: parameter %s is given twice",
                         f->name, params[k]);
        slot[k] = a->a;
    }
    sl_list_t args = {0};
    for (int j = 0; j < np; j++) {
        if (!slot[j]) {
            if (j >= f->min_args) break;
            return bfail(b, call->off, call->len, "%s: parameter %s is missing",
                         f->name, params[j]);
        }
        if (sl_list_push(b->a, &args, slot[j])) return boom(b);
    }
    for (int j = args.n + 1; j < np; j++)
        if (slot[j])
            return bfail(b, call->off, call->len,
                         "%s: parameter %s needs %s to be given too", f->name,
                         params[j], params[args.n]);
    call->args = args;
    return 0;
}

/* TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)) */
static int bind_tvf(binder_t *b, scope_t *s, scope_t *outer, sl_tref_t *t,
                    const sl_rel_t **out)
{
    sl_expr_t *call = t->call;
    if (t->lateral || !call || call->kind != SL_X_CALL)
        return bfail(b, t->off, t->len,
                     "LATERAL TABLE(...) needs a user-defined table function, "
                     "which sluice does not support");
    const sl_qname_t *q = &call->name;
    const char *name = q->n == 1 ? q->parts[0].name : "";
    const sl_func_t *f = sl_func_lookup_kind(name, (int)strlen(name),
                                             SL_FN_WINDOW_TVF);
    if (!f)
        return bfail(b, q->off, q->len,
                     "'%.*s' is not a table function: FROM TABLE(...) takes "
                     "TUMBLE, HOP, CUMULATE or SESSION",
                     q->len, b->sc->src + q->off);
    call->func = f;
    TRY(order_named_args(b, f, call));
    int nargs = call->args.n;
    if (nargs < f->min_args || (f->max_args >= 0 && nargs > f->max_args))
        return bfail(b, call->off, call->len, "%s does not take %d arguments: %s",
                     f->name, nargs, f->signature);
    sl_expr_t *ta = call->args.items[0];
    if (ta->kind != SL_X_TABLE_ARG)
        return bfail(b, ta->off, ta->len,
                     "the first argument of %s must be TABLE name", f->name);
    /* The input relation. */
    const sl_rel_t *in = NULL;
    const char *tname = ta->name.parts[ta->name.n - 1].name;
    if (ta->name.n == 1) in = scope_find_cte(outer, tname);
    if (!in) {
        const sl_table_t *tab;
        TRY(lookup_table(b, &ta->name, &tab));
        in = &tab->rel;
        t->tvf_table = tab;
    }
    ta->type = &sl_type_table;
    const sl_type_t **types = balloc(b, (size_t)nargs * sizeof *types);
    const sl_expr_t **argx = balloc(b, (size_t)nargs * sizeof *argx);
    if (!types || !argx) return -SL_ENOMEM;
    types[0] = &sl_type_table;
    argx[0] = ta;
    const sl_type_t *time_t = NULL;
    scope_t ts = {.parent = NULL};
    TRY(scope_add(b, &ts, tname, in, NULL));
    /* SESSION(TABLE t PARTITION BY k, ...): keys are columns of t. */
    if (ta->args.n && strcasecmp(f->name, "SESSION"))
        return bfail(b, ta->off, ta->len,
                     "only SESSION takes TABLE t PARTITION BY ...; %s does not",
                     f->name);
    for (int i = 0; i < ta->args.n; i++)
        TRY(bind_expr(b, &ts, ta->args.items[i], 0, "PARTITION BY"));
    for (int i = 1; i < nargs; i++) {
        sl_expr_t *a = call->args.items[i];
        if (a->kind == SL_X_DESCRIPTOR) {
            if (a->args.n != 1)
                return bfail(b, a->off, a->len,
                             "DESCRIPTOR must name exactly one time attribute "
                             "column");
            sl_expr_t *c = a->args.items[0];
            TRY(bind_column(b, &ts, c));
            if (!c->type->time_attr)
                return bfail(b, c->off, c->len,
                             "column '%s' is not a time attribute: window "
                             "functions need a column with a WATERMARK or a "
                             "PROCTIME() column, but it is %s",
                             c->name.parts[0].name, tstr(b, c->type));
            time_t = c->type;
            a->type = &sl_type_descriptor;
        } else {
            TRY(bind_expr(b, s, a, 0, "a table function argument"));
        }
        types[i] = a->type;
        argx[i] = a;
    }
    sl_func_call_t fc = {.arena = b->a, .call = call, .nargs = nargs,
                         .args = types, .argx = argx};
    sl_err_t ferr;
    sl_err_clear(&ferr);
    const sl_type_t *rt = f->infer(&fc, &ferr);
    if (!rt) {
        if (ferr.code == SL_ENOMEM) return boom(b);
        int off = ferr.off >= 0 ? ferr.off : call->off;
        return bfail(b, off, ferr.off >= 0 && ferr.len ? ferr.len : call->len,
                     "%s", ferr.msg);
    }
    if (!time_t)
        return bfail(b, call->off, call->len,
                     "%s needs DESCRIPTOR(time_column) as its second argument",
                     f->name);
    call->type = rt;
    sl_rel_t *r = rel_new(b, in->n + 3);
    if (!r) return -SL_ENOMEM;
    for (int i = 0; i < in->n; i++) r->cols[i] = in->cols[i];
    const sl_type_t *wt = sl_type_timestamp(b->a, SL_T_TIMESTAMP, 3, false);
    sl_type_t *wtime = sl_type_copy(b->a, time_t);
    if (!wt || !wtime) return boom(b);
    wtime->nullable = false;
    r->cols[in->n].name = "window_start";
    r->cols[in->n].type = wt;
    r->cols[in->n + 1].name = "window_end";
    r->cols[in->n + 1].type = wt;
    r->cols[in->n + 2].name = "window_time";
    r->cols[in->n + 2].type = wtime;
    /* The input's time attribute stays, as in Flink, but only window_time
     * carries the windowed rowtime on. */
    *out = r;
    return 0;
}

static int bind_tref(binder_t *b, scope_t *s, scope_t *outer, sl_tref_t *t,
                     srel_t **leaf)
{
    if (++b->depth > MAX_DEPTH) {
        b->depth--;
        return bfail(b, t->off, t->len, "FROM clause is nested too deeply");
    }
    int rc = 0;
    srel_t *added = NULL;
    switch (t->kind) {
    case SL_TR_TABLE: {
        const sl_rel_t *rel = NULL;
        const char *tname = t->name.parts[t->name.n - 1].name;
        const sl_table_t *tab = NULL;
        const sl_cte_t *cte = NULL;
        if (t->name.n == 1) rel = scope_find_cte2(outer, tname, &cte);
        if (!rel) {
            if ((rc = lookup_table(b, &t->name, &tab))) break;
            rel = &tab->rel;
        }
        t->table = tab;
        t->cte = cte;
        if (t->systime) {
            /* FOR SYSTEM_TIME AS OF: bound against the relations to the
             * left (already in scope), never against this one. */
            if ((rc = bind_expr(b, s, t->systime, 0, "FOR SYSTEM_TIME AS OF")))
                break;
            if (!t->systime->type->time_attr) {
                rc = bfail(b, t->systime->off, t->systime->len,
                           "FOR SYSTEM_TIME AS OF needs a time attribute of "
                           "the left table (a PROCTIME() column for a lookup "
                           "join, or a column with a WATERMARK), but '%.*s' is "
                           "%s",
                           t->systime->len, b->sc->src + t->systime->off,
                           tstr(b, t->systime->type));
                break;
            }
            if (s->nrels == 0) {
                rc = bfail(b, t->systime_off, 3,
                           "FOR SYSTEM_TIME AS OF is only allowed on the right "
                           "side of a JOIN");
                break;
            }
        }
        const sl_rel_t *use = rel;
        sl_rel_t *renamed;
        if ((rc = rename_rel(b, rel, &t->col_aliases, t->off, t->len,
                             "table alias", &renamed)))
            break;
        use = renamed;
        t->rel = renamed;
        rc = scope_add(b, s, t->alias.name ? t->alias.name : tname, use, &added);
        break;
    }
    case SL_TR_QUERY: {
        /* A derived table sees the enclosing query's CTEs and outer scope,
         * not its siblings in FROM. */
        if ((rc = bind_query(b, outer, t->query))) break;
        sl_rel_t *renamed;
        if ((rc = rename_rel(b, t->query->rel, &t->col_aliases, t->off, t->len,
                             "table alias", &renamed)))
            break;
        t->rel = renamed;
        rc = scope_add(b, s, t->alias.name, renamed, &added);
        break;
    }
    case SL_TR_FUNC: {
        const sl_rel_t *r = NULL;
        if ((rc = bind_tvf(b, s, outer, t, &r))) break;
        sl_rel_t *renamed;
        if ((rc = rename_rel(b, r, &t->col_aliases, t->off, t->len,
                             "table alias", &renamed)))
            break;
        t->rel = renamed;
        rc = scope_add(b, s, t->alias.name, renamed, &added);
        break;
    }
    case SL_TR_JOIN: {
        int first = s->nrels;
        if ((rc = bind_tref(b, s, outer, t->left, NULL))) break;
        int mid = s->nrels;
        srel_t *right;
        if ((rc = bind_tref(b, s, outer, t->right, &right))) break;
        if (t->right->systime && t->join != SL_JOIN_INNER &&
            t->join != SL_JOIN_LEFT) {
            rc = bfail(b, t->right->systime_off, 3,
                       "a temporal join (FOR SYSTEM_TIME AS OF) must be an "
                       "INNER or LEFT join");
            break;
        }
        if (t->on) {
            if ((rc = bind_expr(b, s, t->on, 0, "a JOIN condition"))) break;
            if ((rc = expect_bool(b, t->on, "the JOIN condition"))) break;
        } else if (t->using_cols.n || t->natural) {
            /* Columns named by USING (or shared, for NATURAL) must exist on
             * both sides; unqualified references take the left one. */
            sl_list_t names = {0};
            if (t->natural) {
                for (int i = mid; i < s->nrels; i++)
                    for (int c = 0; c < s->rels[i].rel->n; c++)
                        for (int l = first; l < mid; l++)
                            if (rel_find(s->rels[l].rel, s->rels[i].rel->cols[c].name) >= 0 &&
                                sl_list_push(b->a, &names, (void *)s->rels[i].rel->cols[c].name))
                                return boom(b);
            } else {
                for (int i = 0; i < t->using_cols.n; i++) {
                    sl_ident_t *id = t->using_cols.items[i];
                    bool l = false, r = false;
                    for (int k = first; k < mid; k++)
                        if (rel_find(s->rels[k].rel, id->name) >= 0) l = true;
                    for (int k = mid; k < s->nrels; k++)
                        if (rel_find(s->rels[k].rel, id->name) >= 0) r = true;
                    if (!l || !r) {
                        rc = bfail(b, id->off, id->len,
                                   "USING column '%s' is not in the %s side of "
                                   "the join",
                                   id->name, !l ? "left" : "right");
                        break;
                    }
                    if (sl_list_push(b->a, &names, (void *)id->name)) rc = boom(b);
                }
                if (rc) break;
            }
            for (int i = mid; i < s->nrels; i++) s->rels[i].using_cols = names;
        } else if (t->join != SL_JOIN_CROSS && t->join != SL_JOIN_COMMA) {
            rc = bfail(b, t->systime_off, 4,
                       "this JOIN needs a condition: add ON ... or USING (...)");
            break;
        }
        if (t->right->systime && !t->on) {
            rc = bfail(b, t->right->systime_off, 3,
                       "a temporal join needs an ON condition with an equality "
                       "on the versioned table's columns");
            break;
        }
        (void)right;
        break;
    }
    }
    b->depth--;
    if (!rc && leaf) *leaf = added;
    return rc;
}

/* ---- SELECT ---- */

static int bind_select(binder_t *b, scope_t *outer, sl_query_t *q)
{
    scope_t s = {.parent = outer, .select = q};
    if (q->from) TRY(bind_tref(b, &s, outer, q->from, NULL));
    if (q->where) {
        TRY(bind_expr(b, &s, q->where, 0, "WHERE"));
        TRY(expect_bool(b, q->where, "WHERE"));
    }
    for (int i = 0; i < q->group_by.n; i++) {
        sl_group_item_t *g = q->group_by.items[i];
        if (g->kind == SL_G_EXPR) {
            TRY(bind_expr(b, &s, g->expr, X_GROUP_BY, "GROUP BY"));
        } else {
            for (int j = 0; j < g->items.n; j++) {
                sl_group_item_t *h = g->items.items[j];
                if (h->expr) TRY(bind_expr(b, &s, h->expr, 0, "GROUP BY"));
                for (int k = 0; k < h->items.n; k++) {
                    sl_group_item_t *m = h->items.items[k];
                    if (m->expr) TRY(bind_expr(b, &s, m->expr, 0, "GROUP BY"));
                }
            }
        }
    }
    for (int i = 0; i < q->windows.n; i++) {
        sl_window_t *w = q->windows.items[i];
        sl_ident_t name = w->ref;
        w->ref.name = NULL;
        TRY(bind_window_spec(b, &s, w));
        w->ref = name;
    }
    /* The select list, with * expanded. */
    int ncols = 0;
    for (int i = 0; i < q->items.n; i++) {
        sl_select_item_t *it = q->items.items[i];
        if (it->expr->kind != SL_X_STAR) {
            ncols++;
            continue;
        }
        if (it->expr->name.n == 0) {
            if (s.nrels == 0)
                return bfail(b, it->expr->off, 1,
                             "SELECT * needs a FROM clause");
            for (int r = 0; r < s.nrels; r++) {
                const srel_t *sr = &s.rels[r];
                for (int c = 0; c < sr->rel->n; c++)
                    if (!(r > 0 && in_using(sr, sr->rel->cols[c].name))) ncols++;
            }
        } else {
            const char *qual = it->expr->name.parts[it->expr->name.n - 1].name;
            int found = -1;
            for (int r = 0; r < s.nrels; r++)
                if (s.rels[r].alias && strcasecmp(s.rels[r].alias, qual) == 0)
                    found = r;
            if (found < 0)
                return bfail(b, it->expr->off, it->expr->len,
                             "table or alias '%s' not found in this query", qual);
            ncols += s.rels[found].rel->n;
        }
    }
    sl_rel_t *out = rel_new(b, ncols);
    if (!out) return -SL_ENOMEM;
    int oc = 0;
    for (int i = 0; i < q->items.n; i++) {
        sl_select_item_t *it = q->items.items[i];
        if (it->expr->kind == SL_X_STAR) {
            for (int r = 0; r < s.nrels; r++) {
                const srel_t *sr = &s.rels[r];
                if (it->expr->name.n) {
                    const char *qual = it->expr->name.parts[it->expr->name.n - 1].name;
                    if (!sr->alias || strcasecmp(sr->alias, qual)) continue;
                }
                for (int c = 0; c < sr->rel->n; c++) {
                    if (!it->expr->name.n && r > 0 && in_using(sr, sr->rel->cols[c].name))
                        continue;
                    out->cols[oc++] = sr->rel->cols[c];
                }
            }
            continue;
        }
        TRY(bind_expr(b, &s, it->expr, X_AGG_OK | X_OVER_OK, "SELECT"));
        out->cols[oc].name = it->alias.name ? it->alias.name : expr_name(b, it->expr, oc);
        out->cols[oc].type = it->expr->type;
        if (!out->cols[oc].name) return -SL_ENOMEM;
        oc++;
    }
    if (q->having) {
        TRY(bind_expr(b, &s, q->having, X_AGG_OK, "HAVING"));
        TRY(expect_bool(b, q->having, "HAVING"));
    }
    /* ORDER BY: output aliases first, then input columns. */
    for (int i = 0; i < q->order_by.n; i++) {
        sl_order_item_t *o = q->order_by.items[i];
        sl_expr_t *e = o->expr;
        if (e->kind == SL_X_COLUMN && e->name.n == 1) {
            int c = rel_find(out, e->name.parts[0].name);
            if (c >= 0) {
                e->type = out->cols[c].type;
                e->ref_rel = -1; /* refers to the output */
                e->ref_col = c;
                continue;
            }
        }
        if (e->kind == SL_X_LITERAL && e->op == SL_LIT_INT) {
            long k = strtol(e->str, NULL, 10);
            if (k < 1 || k > out->n)
                return bfail(b, e->off, e->len,
                             "ORDER BY position %ld is not in the select list "
                             "(1..%d)",
                             k, out->n);
            e->type = out->cols[k - 1].type;
            continue;
        }
        TRY(bind_expr(b, &s, e, X_AGG_OK | X_OVER_OK, "ORDER BY"));
    }
    bool agg = q->group_by.n > 0 || s.has_agg;
    if (agg) {
        s.group_by = &q->group_by;
        for (int i = 0; i < q->items.n; i++) {
            sl_select_item_t *it = q->items.items[i];
            if (it->expr->kind == SL_X_STAR) {
                /* SELECT * with GROUP BY: each column must be grouped. */
                for (int r = 0; r < s.nrels; r++)
                    for (int c = 0; c < s.rels[r].rel->n; c++) {
                        bool g = false;
                        for (int k = 0; k < q->group_by.n; k++) {
                            const sl_group_item_t *gi = q->group_by.items[k];
                            if (gi->expr && gi->expr->kind == SL_X_COLUMN &&
                                gi->expr->ref_rel == 0 && gi->expr->ref_src == r &&
                                gi->expr->ref_col == c)
                                g = true;
                        }
                        if (!g)
                            return bfail(b, it->expr->off, it->expr->len,
                                         "SELECT * in an aggregate query: "
                                         "column '%s' is not being grouped",
                                         s.rels[r].rel->cols[c].name);
                    }
                continue;
            }
            TRY(check_grouped(b, &s, it->expr, "the select list"));
        }
        if (q->having) TRY(check_grouped(b, &s, q->having, "HAVING"));
    } else {
        /* Auxiliary group-window functions need a GROUP BY window. */
        for (int i = 0; i < q->items.n; i++) {
            sl_select_item_t *it = q->items.items[i];
            if (it->expr->kind == SL_X_CALL && it->expr->func &&
                it->expr->func->kind == SL_FN_GROUP_AUX)
                return bfail(b, it->expr->off, it->expr->len,
                             "%s(...) needs a matching group window in GROUP BY",
                             it->expr->func->name);
        }
    }
    q->rel = out;
    return 0;
}

static int bind_values(binder_t *b, scope_t *outer, sl_query_t *q)
{
    int ncols = -1;
    const sl_type_t **types = NULL;
    scope_t s = {.parent = outer};
    for (int r = 0; r < q->rows.n; r++) {
        sl_expr_t *row = q->rows.items[r];
        if (ncols < 0) {
            ncols = row->args.n;
            types = balloc(b, (size_t)(ncols ? ncols : 1) * sizeof *types);
            if (!types) return -SL_ENOMEM;
        } else if (row->args.n != ncols) {
            return bfail(b, row->off, row->len,
                         "VALUES rows must have the same number of columns: "
                         "this row has %d, the first has %d",
                         row->args.n, ncols);
        }
        for (int c = 0; c < ncols; c++) {
            sl_expr_t *x = row->args.items[c];
            TRY(bind_expr(b, &s, x, 0, "VALUES"));
            const sl_type_t *nt = r ? sl_type_common(b->a, types[c], x->type) : x->type;
            if (!nt)
                return bfail(b, x->off, x->len,
                             "VALUES column %d mixes %s and %s", c + 1,
                             tstr(b, types[c]), tstr(b, x->type));
            types[c] = nt;
        }
        row->type = &sl_type_null;
    }
    sl_rel_t *out = rel_new(b, ncols < 0 ? 0 : ncols);
    if (!out) return -SL_ENOMEM;
    for (int c = 0; c < out->n; c++) {
        out->cols[c].name = sl_arena_printf(b->a, "EXPR$%d", c);
        out->cols[c].type = types[c];
        if (!out->cols[c].name) return boom(b);
    }
    q->rel = out;
    return 0;
}

static int bind_setop(binder_t *b, scope_t *outer, sl_query_t *q)
{
    TRY(bind_query(b, outer, q->left));
    TRY(bind_query(b, outer, q->right));
    const sl_rel_t *l = q->left->rel, *r = q->right->rel;
    static const char *const names[] = {"", "UNION", "INTERSECT", "EXCEPT"};
    const char *op = names[q->setop];
    if (l->n != r->n)
        return bfail(b, q->op_off, (int)strlen(op),
                     "%s%s inputs have different column counts: %d on the "
                     "left, %d on the right",
                     op, q->all ? " ALL" : "", l->n, r->n);
    sl_rel_t *out = rel_new(b, l->n);
    if (!out) return -SL_ENOMEM;
    for (int i = 0; i < l->n; i++) {
        const sl_type_t *t = sl_type_common(b->a, l->cols[i].type, r->cols[i].type);
        if (!t)
            return bfail(b, q->op_off, (int)strlen(op),
                         "%s%s column %d '%s' has type %s on the left and %s on "
                         "the right",
                         op, q->all ? " ALL" : "", i + 1, l->cols[i].name,
                         tstr(b, l->cols[i].type), tstr(b, r->cols[i].type));
        out->cols[i].name = l->cols[i].name;
        out->cols[i].type = t;
    }
    /* ORDER BY of a set operation refers to its output columns. */
    for (int i = 0; i < q->order_by.n; i++) {
        sl_order_item_t *o = q->order_by.items[i];
        sl_expr_t *e = o->expr;
        if (e->kind == SL_X_COLUMN && e->name.n == 1) {
            int c = rel_find(out, e->name.parts[0].name);
            if (c < 0)
                return bfail(b, e->off, e->len,
                             "ORDER BY of a %s must name one of its output "
                             "columns; '%s' is not one",
                             op, e->name.parts[0].name);
            e->type = out->cols[c].type;
            e->ref_rel = -1;
            e->ref_col = c;
        } else if (e->kind == SL_X_LITERAL && e->op == SL_LIT_INT) {
            long k = strtol(e->str, NULL, 10);
            if (k < 1 || k > out->n)
                return bfail(b, e->off, e->len,
                             "ORDER BY position %ld is not in the select list",
                             k);
            e->type = out->cols[k - 1].type;
        } else {
            return bfail(b, e->off, e->len,
                         "ORDER BY of a %s must name one of its output columns",
                         op);
        }
    }
    q->rel = out;
    return 0;
}

static int bind_limit(binder_t *b, sl_expr_t *e, const char *what)
{
    if (!e) return 0;
    scope_t s = {0};
    TRY(bind_expr(b, &s, e, 0, what));
    if (!sl_type_is_integer(e->type))
        return bfail(b, e->off, e->len, "%s must be an integer, not %s", what,
                     tstr(b, e->type));
    if (e->kind == SL_X_LITERAL && e->str && e->str[0] == '-')
        return bfail(b, e->off, e->len, "%s must not be negative", what);
    return 0;
}

static int bind_query(binder_t *b, scope_t *outer, sl_query_t *q)
{
    if (!q) return bfail(b, 0, 0, "missing query");
    if (++b->depth > MAX_DEPTH) {
        b->depth--;
        return bfail(b, q->off, 1, "query is nested too deeply");
    }
    scope_t cte_scope = {.parent = outer};
    scope_t *use = outer;
    if (q->ctes.n) {
        use = &cte_scope;
        for (int i = 0; i < q->ctes.n; i++) {
            sl_cte_t *c = q->ctes.items[i];
            for (int j = 0; j < i; j++) {
                sl_cte_t *d = q->ctes.items[j];
                if (strcasecmp(d->name.name, c->name.name) == 0)
                    return bfail(b, c->name.off, c->name.len,
                                 "WITH name '%s' is defined twice", c->name.name);
            }
            TRY(bind_query(b, use, c->query));
            sl_rel_t *r;
            TRY(rename_rel(b, c->query->rel, &c->columns, c->name.off,
                           c->name.len, "WITH column list", &r));
            TRY(scope_add_cte(b, use, c->name.name, r, c));
        }
    }
    int rc;
    switch (q->kind) {
    case SL_Q_SELECT: rc = bind_select(b, use, q); break;
    case SL_Q_VALUES: rc = bind_values(b, use, q); break;
    default: rc = bind_setop(b, use, q); break;
    }
    if (!rc) rc = bind_limit(b, q->limit, "LIMIT");
    if (!rc) rc = bind_limit(b, q->offset, "OFFSET");
    b->depth--;
    return rc;
}

/* ---- DDL ---- */

static char *cat_strdup(binder_t *b, const char *s)
{
    char *p = sl_arena_strdup(&b->cat->arena, s);
    if (!p) boom(b);
    return p;
}

static int table_exists_check(binder_t *b, const sl_stmt_t *st,
                              const char *name, bool *skip)
{
    *skip = false;
    int i = sl_catalog_find(b->cat, name);
    if (i >= 0 && strcmp(b->cat->tables[i]->name, name) == 0) {
        if (st->if_not_exists) {
            *skip = true;
            return 0;
        }
        const sl_ident_t *last = &st->name.parts[st->name.n - 1];
        return bfail(b, last->off, last->len,
                     "%s '%s' already exists (use CREATE %s IF NOT EXISTS, or "
                     "DROP it first)",
                     b->cat->tables[i]->is_view ? "view" : "table", name,
                     st->kind == SL_S_CREATE_VIEW ? "VIEW" : "TABLE");
    }
    return 0;
}

static int bind_create_table(binder_t *b, sl_stmt_t *st)
{
    const char *name;
    TRY(table_name(b, &st->name, &name));
    bool skip;
    TRY(table_exists_check(b, st, name, &skip));
    if (skip) return 0;

    /* Columns inherited through LIKE come first, as in Flink. */
    const sl_table_t *like = NULL;
    bool like_all = true, like_options = true, like_watermarks = true,
         like_constraints = true, like_generated = true, like_metadata = true,
         overwrite_options = true, overwrite_watermarks = false;
    if (st->like.n) {
        TRY(lookup_table(b, &st->like, &like));
        if (like->is_view)
            return bfail(b, st->like.off, st->like.len,
                         "CREATE TABLE ... LIKE needs a table, '%s' is a view",
                         like->name);
        for (int i = 0; i < st->like_opts.n; i++) {
            sl_ident_t *o = st->like_opts.items[i];
            bool inc = strncasecmp(o->name, "INCLUDING", 9) == 0;
            bool exc = strncasecmp(o->name, "EXCLUDING", 9) == 0;
            bool ovw = strncasecmp(o->name, "OVERWRITING", 11) == 0;
            const char *what = strchr(o->name, ' ') + 1;
            if (!strcasecmp(what, "ALL")) {
                like_all = like_options = like_watermarks = like_constraints =
                    like_generated = like_metadata = !exc;
                if (ovw) overwrite_options = overwrite_watermarks = true;
            } else if (!strcasecmp(what, "OPTIONS")) {
                like_options = !exc;
                overwrite_options = ovw || inc ? ovw : overwrite_options;
            } else if (!strcasecmp(what, "WATERMARKS")) {
                like_watermarks = !exc;
                overwrite_watermarks = ovw;
            } else if (!strcasecmp(what, "CONSTRAINTS")) {
                like_constraints = !exc;
            } else if (!strcasecmp(what, "GENERATED")) {
                like_generated = !exc;
            } else if (!strcasecmp(what, "METADATA")) {
                like_metadata = !exc;
            }
        }
        (void)like_all;
    }

    int nlike = 0;
    if (like)
        for (int i = 0; i < like->rel.n; i++) {
            const sl_coldef_t *d = like->defs ? like->defs[i] : NULL;
            if (d && d->kind == SL_COL_COMPUTED && !like_generated) continue;
            if (d && d->kind == SL_COL_METADATA && !like_metadata) continue;
            nlike++;
        }
    int ncols = nlike + st->columns.n;
    if (st->query) {
        /* CTAS: the columns are the query's. */
        scope_t s = {0};
        TRY(bind_query(b, &s, st->query));
        ncols = st->query->rel->n;
    }
    sl_table_t *t = sl_arena_calloc(&b->cat->arena, sizeof *t);
    if (!t) return boom(b);
    t->name = cat_strdup(b, name);
    t->temporary = st->temporary;
    t->stmt = st;
    t->wm_col = -1;
    t->comment = st->comment;
    t->rel.n = ncols;
    t->rel.cols = sl_arena_calloc(&b->cat->arena, (size_t)(ncols ? ncols : 1) * sizeof *t->rel.cols);
    t->defs = sl_arena_calloc(&b->cat->arena, (size_t)(ncols ? ncols : 1) * sizeof *t->defs);
    if (!t->name || !t->rel.cols || !t->defs) return boom(b);

    int k = 0;
    if (like) {
        for (int i = 0; i < like->rel.n; i++) {
            const sl_coldef_t *d = like->defs ? like->defs[i] : NULL;
            if (d && d->kind == SL_COL_COMPUTED && !like_generated) continue;
            if (d && d->kind == SL_COL_METADATA && !like_metadata) continue;
            t->rel.cols[k] = like->rel.cols[i];
            if (i == like->wm_col && !like_watermarks)
                t->rel.cols[k].type = plain(b, like->rel.cols[i].type);
            t->defs[k] = d;
            k++;
        }
    }
    if (st->query) {
        for (int i = 0; i < ncols; i++) {
            t->rel.cols[i].name = st->query->rel->cols[i].name;
            t->rel.cols[i].type = plain(b, st->query->rel->cols[i].type);
        }
    }
    /* Physical and metadata columns first: computed columns and the
     * watermark may refer to them. */
    for (int i = 0; i < st->columns.n; i++) {
        sl_coldef_t *c = st->columns.items[i];
        for (int j = 0; j < k; j++)
            if (strcasecmp(t->rel.cols[j].name, c->name.name) == 0)
                return bfail(b, c->name.off, c->name.len,
                             "column '%s' is defined twice%s", c->name.name,
                             j < nlike ? " (it comes from the LIKE table too)" : "");
        t->rel.cols[k].name = c->name.name;
        t->rel.cols[k].type = c->type; /* computed: set below */
        t->defs[k] = c;
        if (c->kind == SL_COL_METADATA && c->meta_key && !c->meta_key[0])
            return bfail(b, c->off, c->name.len, "METADATA FROM key is empty");
        k++;
    }
    /* Computed columns: bound against the non-computed columns. */
    sl_rel_t base = {0};
    base.cols = balloc(b, (size_t)(k ? k : 1) * sizeof *base.cols);
    if (!base.cols) return -SL_ENOMEM;
    for (int i = 0; i < k; i++)
        if (!t->defs[i] || t->defs[i]->kind != SL_COL_COMPUTED)
            base.cols[base.n++] = t->rel.cols[i];
    for (int i = nlike; i < k; i++) {
        const sl_coldef_t *c = t->defs[i];
        if (c->kind != SL_COL_COMPUTED) continue;
        scope_t s = {0};
        TRY(scope_add(b, &s, name, &base, NULL));
        TRY(bind_expr(b, &s, c->expr, 0, "a computed column"));
        t->rel.cols[i].type = c->expr->type;
        if (c->expr->type->id == SL_T_NULL)
            return bfail(b, c->expr->off, c->expr->len,
                         "computed column '%s' has no type: CAST the NULL",
                         c->name.name);
    }
    /* WATERMARK FOR col AS expr: col becomes the rowtime attribute. */
    const sl_ident_t *wmc = st->wm_expr ? &st->wm_col : NULL;
    const sl_expr_t *wme = st->wm_expr;
    if (!wmc && like && like->wm_col >= 0 && like_watermarks) {
        for (int i = 0; i < k; i++)
            if (!strcasecmp(t->rel.cols[i].name, like->rel.cols[like->wm_col].name))
                t->wm_col = i;
        t->wm_expr = like->wm_expr;
    } else if (wmc && like && like->wm_col >= 0 && like_watermarks &&
               !overwrite_watermarks) {
        return bfail(b, st->wm_off, 9,
                     "table '%s' inherits a WATERMARK through LIKE: add "
                     "OVERWRITING WATERMARKS to replace it",
                     name);
    }
    if (wmc) {
        int ci = -1;
        for (int i = 0; i < k; i++)
            if (strcasecmp(t->rel.cols[i].name, wmc->name) == 0) ci = i;
        if (ci < 0)
            return bfail(b, wmc->off, wmc->len,
                         "WATERMARK FOR '%s': no such column in table '%s'",
                         wmc->name, name);
        const sl_type_t *ct = t->rel.cols[ci].type;
        if (!sl_type_is_timestamp(ct) || ct->len > 3)
            return bfail(b, wmc->off, wmc->len,
                         "the rowtime column '%s' must be TIMESTAMP(p) or "
                         "TIMESTAMP_LTZ(p) with p <= 3, but it is %s",
                         wmc->name, tstr(b, ct));
        scope_t s = {0};
        sl_rel_t all = {k, t->rel.cols};
        TRY(scope_add(b, &s, name, &all, NULL));
        TRY(bind_expr(b, &s, (sl_expr_t *)wme, 0, "a WATERMARK expression"));
        if (!sl_type_is_timestamp(wme->type) ||
            wme->type->id != ct->id)
            return bfail(b, wme->off, wme->len,
                         "the WATERMARK expression must return %s like its "
                         "column, but it returns %s",
                         ct->id == SL_T_TIMESTAMP ? "TIMESTAMP" : "TIMESTAMP_LTZ",
                         tstr(b, wme->type));
        t->wm_col = ci;
        t->wm_expr = wme;
    }
    if (t->wm_col >= 0) {
        sl_type_t *rt = sl_type_copy(b->a, t->rel.cols[t->wm_col].type);
        if (!rt) return boom(b);
        rt->time_attr = SL_TA_ROWTIME;
        t->rel.cols[t->wm_col].type = rt;
    }
    /* PRIMARY KEY: physical columns, implicitly NOT NULL. */
    const sl_list_t *pk = &st->pk;
    if (!pk->n && like && like->npk && like_constraints) {
        t->pk = like->pk;
        t->npk = like->npk;
    } else if (pk->n) {
        if (like && like->npk && like_constraints)
            return bfail(b, st->pk_off, 7,
                         "table '%s' inherits a PRIMARY KEY through LIKE: add "
                         "EXCLUDING CONSTRAINTS to declare another",
                         name);
        t->pk = sl_arena_alloc(&b->cat->arena, (size_t)pk->n * sizeof *t->pk);
        if (!t->pk) return boom(b);
        for (int i = 0; i < pk->n; i++) {
            sl_ident_t *id = pk->items[i];
            int ci = -1;
            for (int j = 0; j < k; j++)
                if (strcasecmp(t->rel.cols[j].name, id->name) == 0) ci = j;
            if (ci < 0)
                return bfail(b, id->off, id->len,
                             "PRIMARY KEY column '%s' is not a column of '%s'",
                             id->name, name);
            if (t->defs[ci] && t->defs[ci]->kind != SL_COL_PHYSICAL)
                return bfail(b, id->off, id->len,
                             "could not create a PRIMARY KEY with column '%s': "
                             "a PRIMARY KEY must be declared on physical "
                             "columns",
                             id->name);
            for (int j = 0; j < i; j++)
                if (t->pk[j] == ci)
                    return bfail(b, id->off, id->len,
                                 "column '%s' appears twice in the PRIMARY KEY",
                                 id->name);
            t->pk[i] = ci;
            if (t->rel.cols[ci].type->nullable) {
                t->rel.cols[ci].type = sl_type_with_nullable(b->a, t->rel.cols[ci].type, false);
                if (!t->rel.cols[ci].type) return boom(b);
            }
        }
        t->npk = pk->n;
    }
    for (int i = 0; i < st->partitioned_by.n; i++) {
        sl_ident_t *id = st->partitioned_by.items[i];
        bool ok = false;
        for (int j = 0; j < k; j++)
            if (strcasecmp(t->rel.cols[j].name, id->name) == 0) ok = true;
        if (!ok)
            return bfail(b, id->off, id->len,
                         "PARTITIONED BY column '%s' is not a column of '%s'",
                         id->name, name);
        if (sl_list_push(&b->cat->arena, &t->partition_keys, (void *)id->name))
            return boom(b);
    }
    /* Options: the LIKE table's, overwritten or extended by ours. */
    if (like && like_options)
        for (int i = 0; i < like->options.n; i++) {
            sl_option_t *o = like->options.items[i];
            bool mine = false;
            for (int j = 0; j < st->options.n; j++) {
                sl_option_t *m = st->options.items[j];
                if (!strcmp(m->key, o->key)) {
                    mine = true;
                    if (!overwrite_options)
                        return bfail(b, m->key_off, m->key_len,
                                     "option '%s' is already set by the LIKE "
                                     "table: use OVERWRITING OPTIONS",
                                     m->key);
                }
            }
            if (!mine && sl_list_push(&b->cat->arena, &t->options, o))
                return boom(b);
        }
    for (int i = 0; i < st->options.n; i++)
        if (sl_list_push(&b->cat->arena, &t->options, st->options.items[i]))
            return boom(b);
    if (sl_catalog_add(b->cat, t)) return boom(b);
    return 0;
}

static int bind_create_view(binder_t *b, sl_stmt_t *st)
{
    const char *name;
    TRY(table_name(b, &st->name, &name));
    bool skip;
    TRY(table_exists_check(b, st, name, &skip));
    if (skip) return 0;
    scope_t s = {0};
    TRY(bind_query(b, &s, st->query));
    sl_rel_t *r;
    TRY(rename_rel(b, st->query->rel, &st->col_names, st->name.off,
                   st->name.len, "the view's column list", &r));
    for (int i = 0; i < r->n; i++)
        for (int j = 0; j < i; j++)
            if (strcasecmp(r->cols[i].name, r->cols[j].name) == 0)
                return bfail(b, st->query->off, st->query->len,
                             "view '%s' would have two columns named '%s': "
                             "give them different aliases",
                             name, r->cols[i].name);
    sl_table_t *t = sl_arena_calloc(&b->cat->arena, sizeof *t);
    if (!t) return boom(b);
    t->name = cat_strdup(b, name);
    if (!t->name) return -SL_ENOMEM;
    t->is_view = true;
    t->temporary = st->temporary;
    t->rel = *r;
    t->stmt = st;
    t->query = st->query;
    t->wm_col = -1;
    t->comment = st->comment;
    if (sl_catalog_add(b->cat, t)) return boom(b);
    return 0;
}

static int bind_drop(binder_t *b, sl_stmt_t *st)
{
    const char *name;
    TRY(table_name(b, &st->name, &name));
    int i = sl_catalog_find(b->cat, name);
    bool view = st->kind == SL_S_DROP_VIEW;
    const sl_ident_t *last = &st->name.parts[st->name.n - 1];
    if (i < 0) {
        if (st->if_exists) return 0;
        return bfail(b, last->off, last->len, "%s '%s' does not exist",
                     view ? "view" : "table", name);
    }
    if (b->cat->tables[i]->is_view != view)
        return bfail(b, last->off, last->len, "'%s' is a %s: use DROP %s", name,
                     view ? "table" : "view", view ? "TABLE" : "VIEW");
    sl_catalog_remove(b->cat, i);
    return 0;
}

/* ---- INSERT ---- */

static int bind_insert(binder_t *b, sl_stmt_t *st)
{
    const sl_table_t *t;
    TRY(lookup_table(b, &st->name, &t));
    if (t->is_view)
        return bfail(b, st->name.off, st->name.len,
                     "cannot INSERT INTO view '%s': views are read-only",
                     t->name);
    /* Writable columns: physical and persisted metadata columns. */
    int *target = balloc(b, (size_t)(t->rel.n ? t->rel.n : 1) * sizeof *target);
    if (!target) return -SL_ENOMEM;
    int nt = 0;
    if (st->col_names.n) {
        for (int i = 0; i < st->col_names.n; i++) {
            sl_ident_t *id = st->col_names.items[i];
            int ci = rel_find(&t->rel, id->name);
            if (ci < 0)
                return bfail(b, id->off, id->len,
                             "table '%s' has no column '%s'", t->name, id->name);
            const sl_coldef_t *d = t->defs ? t->defs[ci] : NULL;
            if (d && (d->kind == SL_COL_COMPUTED ||
                      (d->kind == SL_COL_METADATA && d->is_virtual)))
                return bfail(b, id->off, id->len,
                             "column '%s' of '%s' is %s and cannot be written",
                             id->name, t->name,
                             d->kind == SL_COL_COMPUTED ? "computed"
                                                        : "a VIRTUAL metadata column");
            for (int j = 0; j < nt; j++)
                if (target[j] == ci)
                    return bfail(b, id->off, id->len,
                                 "column '%s' is listed twice", id->name);
            target[nt++] = ci;
        }
    } else {
        for (int i = 0; i < t->rel.n; i++) {
            const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
            if (d && (d->kind == SL_COL_COMPUTED ||
                      (d->kind == SL_COL_METADATA && d->is_virtual)))
                continue;
            target[nt++] = i;
        }
    }
    for (int i = 0; i < st->partition.n; i++) {
        sl_option_t *o = st->partition.items[i];
        bool ok = false;
        for (int j = 0; j < t->partition_keys.n; j++)
            if (!strcasecmp(t->partition_keys.items[j], o->key)) ok = true;
        if (!ok)
            return bfail(b, o->key_off, o->key_len,
                         "'%s' is not a partition column of '%s'", o->key,
                         t->name);
    }
    scope_t s = {0};
    TRY(bind_query(b, &s, st->query));
    const sl_rel_t *qr = st->query->rel;
    int expect = nt - st->partition.n;
    if (st->col_names.n) expect = nt;
    if (qr->n != expect) {
        char cols[512];
        int o = 0;
        cols[0] = '\0';
        for (int i = 0; i < nt && o < (int)sizeof cols - 64; i++)
            o += snprintf(cols + o, sizeof cols - (size_t)o, "%s%s",
                          i ? ", " : "", t->rel.cols[target[i]].name);
        return bfail(b, st->query->off, 6,
                     "INSERT INTO %s: the query returns %d column%s but the "
                     "table takes %d (%s)",
                     t->name, qr->n, qr->n == 1 ? "" : "s", expect, cols);
    }
    for (int i = 0; i < qr->n; i++) {
        const sl_relcol_t *to = &t->rel.cols[target[i]];
        const sl_type_t *from = qr->cols[i].type;
        if (is_null_t(from)) continue;
        if (!sl_type_assignable(from, to->type)) {
            int off = st->query->off, len = 6;
            const sl_query_t *q = st->query;
            while (q->kind == SL_Q_SETOP) q = q->left;
            if (q->kind == SL_Q_SELECT && i < q->items.n) {
                const sl_select_item_t *it = q->items.items[i];
                if (it->expr->kind != SL_X_STAR) {
                    off = it->expr->off;
                    len = it->expr->len;
                }
            }
            return bfail(b, off, len,
                         "INSERT INTO %s: column %d '%s' of the query is %s, "
                         "which cannot be written to column '%s' %s; CAST it",
                         t->name, i + 1, qr->cols[i].name, tstr(b, from),
                         to->name, tstr(b, to->type));
        }
    }
    return 0;
}

/* ---- statements ---- */

static int bind_one(binder_t *b, sl_stmt_t *st)
{
    scope_t s = {0};
    if (b->set_begin_off >= 0 && st->kind != SL_S_INSERT &&
        st->kind != SL_S_END_SET)
        return bfail(b, st->off, 1,
                     "only INSERT statements are allowed between BEGIN "
                     "STATEMENT SET and END");
    switch (st->kind) {
    case SL_S_CREATE_TABLE:
        return bind_create_table(b, st);
    case SL_S_CREATE_VIEW:
        return bind_create_view(b, st);
    case SL_S_DROP_TABLE:
    case SL_S_DROP_VIEW:
        return bind_drop(b, st);
    case SL_S_INSERT:
        return bind_insert(b, st);
    case SL_S_STATEMENT_SET:
        for (int i = 0; i < st->stmts.n; i++) TRY(bind_insert(b, st->stmts.items[i]));
        return 0;
    case SL_S_BEGIN_SET:
        if (b->set_begin_off >= 0)
            return bfail(b, st->off, 5, "a statement set is already open");
        b->set_begin_off = st->off;
        return 0;
    case SL_S_END_SET:
        if (b->set_begin_off < 0)
            return bfail(b, st->off, 3, "END without BEGIN STATEMENT SET");
        b->set_begin_off = -1;
        return 0;
    case SL_S_QUERY:
        TRY(bind_query(b, &s, st->query));
        st->rel = st->query->rel;
        return 0;
    case SL_S_EXPLAIN:
        for (int i = 0; i < st->stmts.n; i++) {
            sl_stmt_t *in = st->stmts.items[i];
            if (in->kind == SL_S_QUERY) TRY(bind_query(b, &s, in->query));
            else if (in->kind == SL_S_INSERT) TRY(bind_insert(b, in));
            else TRY(bind_one(b, in));
        }
        return 0;
    case SL_S_DESCRIBE:
    case SL_S_SHOW: {
        if (st->kind == SL_S_SHOW && st->show != SL_SHOW_CREATE_TABLE &&
            st->show != SL_SHOW_CREATE_VIEW && st->show != SL_SHOW_COLUMNS)
            return 0;
        const sl_table_t *t;
        TRY(lookup_table(b, &st->name, &t));
        if (st->kind == SL_S_SHOW && st->show == SL_SHOW_CREATE_VIEW && !t->is_view)
            return bfail(b, st->name.off, st->name.len,
                         "'%s' is a table: use SHOW CREATE TABLE", t->name);
        if (st->kind == SL_S_SHOW && st->show == SL_SHOW_CREATE_TABLE && t->is_view)
            return bfail(b, st->name.off, st->name.len,
                         "'%s' is a view: use SHOW CREATE VIEW", t->name);
        return 0;
    }
    case SL_S_USE: {
        const sl_qname_t *q = &st->name;
        if (st->extended) {
            if (strcasecmp(q->parts[0].name, "default_catalog") || q->n != 1)
                return bfail(b, q->off, q->len,
                             "catalog '%.*s' does not exist: sluice has one "
                             "catalog, default_catalog",
                             q->len, b->sc->src + q->off);
            return 0;
        }
        const char *db = q->parts[q->n - 1].name;
        if (q->n > 2 || (q->n == 2 && strcasecmp(q->parts[0].name, "default_catalog")) ||
            strcasecmp(db, "default_database"))
            return bfail(b, q->off, q->len,
                         "database '%.*s' does not exist: sluice has one "
                         "database, default_database",
                         q->len, b->sc->src + q->off);
        return 0;
    }
    default:
        return 0; /* SET, RESET, HELP, QUIT, STOP JOB: checked when run */
    }
}

int sl_bind_stmt(sl_script_t *sc, sl_catalog_t *cat, sl_stmt_t *st)
{
    binder_t b = {.sc = sc, .cat = cat, .a = &sc->arena, .set_begin_off = -1};
    sl_err_clear(&b.err);
    int rc = bind_one(&b, st);
    if (rc && b.failed) {
        if (b.err.code == SL_ENOMEM) {
            sc->nomem = true;
            return -SL_ENOMEM;
        }
        sl_script_diag(sc, SL_DIAG_ERROR, b.err.code, b.err.off,
                       b.err.len > 0 ? b.err.len : 1, "%s", b.err.msg);
    }
    return rc;
}

int sl_bind_script(sl_script_t *sc, sl_catalog_t *cat)
{
    binder_t b = {.sc = sc, .cat = cat, .a = &sc->arena, .set_begin_off = -1};
    int last_begin = -1;
    for (int i = 0; i < sc->stmts.n; i++) {
        sl_stmt_t *st = sc->stmts.items[i];
        sl_err_clear(&b.err);
        b.failed = false;
        b.depth = 0;
        if (st->kind == SL_S_BEGIN_SET) last_begin = st->off;
        int rc = bind_one(&b, st);
        if (rc && b.failed) {
            if (b.err.code == SL_ENOMEM) {
                sc->nomem = true;
                return -SL_ENOMEM;
            }
            int off = b.err.off >= 0 ? b.err.off : st->off;
            sl_script_diag(sc, SL_DIAG_ERROR, b.err.code, off,
                           b.err.len > 0 ? b.err.len : 1, "%s", b.err.msg);
        }
    }
    if (b.set_begin_off >= 0 || (last_begin >= 0 && b.set_begin_off >= 0))
        sl_script_diag(sc, SL_DIAG_ERROR, SL_EBIND, b.set_begin_off, 5,
                       "BEGIN STATEMENT SET is never closed by END");
    return sc->nomem ? -SL_ENOMEM : 0;
}
