/* fn_coll.c - ARRAY / MAP built-ins and the JSON functions.
 *
 * Arrays and maps are sl_nested_t values (value.h): ARRAY elements, MAP keys
 * then values. Elements compare with SQL semantics where Flink compares them
 * (ARRAY_CONTAINS, ARRAY_POSITION, ARRAY_REMOVE: NULL matches NULL; the
 * element may be of a type the array's elements convert to).
 *
 * JSON_VALUE / JSON_QUERY / JSON_EXISTS evaluate SQL/JSON paths of the form
 * [lax|strict] $ followed by .key, ."key", ['key'], [n] and [*] steps over a
 * small JSON scanner. Their defaults are Flink's: NULL ON EMPTY, NULL ON
 * ERROR (FALSE ON ERROR for JSON_EXISTS); malformed JSON or paths therefore
 * give NULL, not an error.
 */
#include "exec/fn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "exec/arith.h"

static int set_null(sl_value_t *out)
{
    *out = sl_value_null();
    return 0;
}

static int count_of(const sl_value_t *v)
{
    return v->nested ? v->nested->n : 0;
}

static const sl_type_t *elem_type(const sl_type_t *t)
{
    return t->elem ? t->elem : &sl_type_null;
}

/* A new ARRAY value of n elements in the arena (elements uninitialised). */
static sl_nested_t *new_array(const sl_fn_ctx_t *c, int n, sl_value_t *out,
                              sl_err_t *err)
{
    sl_nested_t *nv = sl_arena_alloc(c->arena, sizeof *nv + (size_t)(n > 0 ? n : 0) * sizeof(sl_value_t));
    if (!nv) {
        sl_fn_oom(err);
        return NULL;
    }
    nv->n = n;
    memset(out, 0, sizeof *out);
    out->nested = nv;
    out->len = (uint32_t)n;
    return nv;
}

/* Do element x (of type xt) and value y (of type yt) match, NULL matching
 * NULL? */
static bool same(const sl_value_t *x, const sl_type_t *xt, const sl_value_t *y,
                 const sl_type_t *yt)
{
    if (x->null || y->null) return x->null && y->null;
    if (sl_type_equal(xt, yt) && xt->id != SL_T_DECIMAL) return sl_value_eq(x, y, xt);
    return sl_cmp_mixed(x, xt, y, yt) == 0;
}

/* v as the result array's element type. */
static int conv(const sl_fn_ctx_t *c, const sl_value_t *v, const sl_type_t *vt,
                const sl_type_t *to, sl_value_t *out, sl_err_t *err)
{
    if (v->null) {
        *out = sl_value_null();
        return 0;
    }
    if (sl_type_equal(vt, to)) {
        *out = *v;
        return 0;
    }
    return sl_value_cast(v, vt, out, to, false, c->arena, err);
}

static int fn_cardinality(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    (void)c, (void)err;
    out->i64 = count_of(&a[0]);
    return 0;
}

static int fn_element(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    (void)c;
    int n = count_of(&a[0]);
    if (n == 0) return set_null(out);
    if (n > 1) return sl_err_set(err, SL_EINVAL, "ELEMENT: the array has more than one element");
    *out = a[0].nested->v[0];
    return 0;
}

static int fn_array_contains(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                             sl_err_t *err)
{
    (void)err;
    if (a[0].null) return set_null(out);
    const sl_type_t *et = elem_type(c->argt[0]);
    bool r = false;
    for (int i = 0; i < count_of(&a[0]) && !r; i++)
        r = same(&a[0].nested->v[i], et, &a[1], c->argt[1]);
    out->b = r;
    return 0;
}

static int fn_array_position(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                             sl_err_t *err)
{
    (void)err;
    if (a[0].null) return set_null(out);
    const sl_type_t *et = elem_type(c->argt[0]);
    out->i64 = 0;
    for (int i = 0; i < count_of(&a[0]); i++)
        if (same(&a[0].nested->v[i], et, &a[1], c->argt[1])) {
            out->i64 = i + 1;
            break;
        }
    return 0;
}

static int fn_array_remove(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    if (a[0].null) return set_null(out);
    const sl_type_t *et = elem_type(c->argt[0]);
    int n = count_of(&a[0]), k = 0;
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int i = 0; i < n; i++)
        if (!same(&a[0].nested->v[i], et, &a[1], c->argt[1])) nv->v[k++] = a[0].nested->v[i];
    nv->n = k;
    out->len = (uint32_t)k;
    return 0;
}

static int append(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err, bool front)
{
    if (a[0].null) return set_null(out);
    const sl_type_t *et = elem_type(c->argt[0]), *rt = elem_type(c->rt);
    int n = count_of(&a[0]);
    sl_nested_t *nv = new_array(c, n + 1, out, err);
    if (!nv) return -SL_ENOMEM;
    int off = front ? 1 : 0, rc;
    for (int i = 0; i < n; i++)
        if ((rc = conv(c, &a[0].nested->v[i], et, rt, &nv->v[i + off], err))) return rc;
    return conv(c, &a[1], c->argt[1], rt, &nv->v[front ? 0 : n], err);
}

static int fn_array_append(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    return append(c, a, out, err, false);
}

static int fn_array_prepend(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                            sl_err_t *err)
{
    return append(c, a, out, err, true);
}

static int fn_array_reverse(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                            sl_err_t *err)
{
    int n = count_of(&a[0]);
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int i = 0; i < n; i++) nv->v[i] = a[0].nested->v[n - 1 - i];
    return 0;
}

static int fn_array_distinct(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                             sl_err_t *err)
{
    const sl_type_t *et = elem_type(c->argt[0]);
    int n = count_of(&a[0]), k = 0;
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int i = 0; i < n; i++) {
        int j;
        for (j = 0; j < k; j++)
            if (sl_value_eq(&nv->v[j], &a[0].nested->v[i], et)) break;
        if (j == k) nv->v[k++] = a[0].nested->v[i];
    }
    nv->n = k;
    out->len = (uint32_t)k;
    return 0;
}

static int fn_array_slice(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    int64_t n = count_of(&a[0]);
    int64_t s = a[1].i64, e = c->nargs > 2 ? a[2].i64 : n;
    if (s == 0) s = 1;
    if (e == 0) e = 1;
    if (s < 0) s = n + s + 1;
    if (e < 0) e = n + e + 1;
    if (s < 1) s = 1;
    if (e > n) e = n;
    int64_t k = s > e ? 0 : e - s + 1;
    sl_nested_t *nv = new_array(c, (int)k, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int64_t i = 0; i < k; i++) nv->v[i] = a[0].nested->v[s - 1 + i];
    return 0;
}

static int fn_array_concat(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    int total = 0, rc;
    for (int i = 0; i < c->nargs; i++) total += count_of(&a[i]);
    sl_nested_t *nv = new_array(c, total, out, err);
    if (!nv) return -SL_ENOMEM;
    const sl_type_t *rt = elem_type(c->rt);
    int k = 0;
    for (int i = 0; i < c->nargs; i++)
        for (int j = 0; j < count_of(&a[i]); j++)
            if ((rc = conv(c, &a[i].nested->v[j], elem_type(c->argt[i]), rt, &nv->v[k++], err)))
                return rc;
    return 0;
}

/* ARRAY_UNION / ARRAY_INTERSECT / ARRAY_EXCEPT: distinct results. */
static int setop(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                 sl_err_t *err, int kind)
{
    const sl_type_t *rt = elem_type(c->rt);
    int na = count_of(&a[0]), nb = count_of(&a[1]);
    sl_nested_t *nv = new_array(c, na + nb, out, err);
    if (!nv) return -SL_ENOMEM;
    int k = 0, rc;
    for (int side = 0; side < (kind == 0 ? 2 : 1); side++) {
        const sl_value_t *arr = &a[side];
        for (int i = 0; i < count_of(arr); i++) {
            sl_value_t v;
            if ((rc = conv(c, &arr->nested->v[i], elem_type(c->argt[side]), rt, &v, err)))
                return rc;
            int j;
            for (j = 0; j < k; j++)
                if (sl_value_eq(&nv->v[j], &v, rt)) break;
            if (j < k) continue;
            if (kind != 0) {
                bool inb = false;
                for (int m = 0; m < nb && !inb; m++) {
                    sl_value_t w;
                    if ((rc = conv(c, &a[1].nested->v[m], elem_type(c->argt[1]), rt, &w, err)))
                        return rc;
                    inb = sl_value_eq(&w, &v, rt);
                }
                if ((kind == 1) != inb) continue;
            }
            nv->v[k++] = v;
        }
    }
    nv->n = k;
    out->len = (uint32_t)k;
    return 0;
}

static int fn_array_union(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    return setop(c, a, out, err, 0);
}

static int fn_array_intersect(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                              sl_err_t *err)
{
    return setop(c, a, out, err, 1);
}

static int fn_array_except(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    return setop(c, a, out, err, 2);
}

static int minmax(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out, int dir)
{
    const sl_type_t *et = elem_type(c->argt[0]);
    sl_value_t best = sl_value_null();
    for (int i = 0; i < count_of(&a[0]); i++) {
        const sl_value_t *v = &a[0].nested->v[i];
        if (v->null) continue;
        if (best.null || sl_value_cmp(v, &best, et) * dir > 0) best = *v;
    }
    *out = best;
    return 0;
}

static int fn_array_max(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    (void)err;
    return minmax(c, a, out, 1);
}

static int fn_array_min(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    (void)err;
    return minmax(c, a, out, -1);
}

static int fn_array_join(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    const sl_type_t *et = elem_type(c->argt[0]);
    bool repl = c->nargs > 2 && !a[2].null;
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    bool first = true;
    for (int i = 0; i < count_of(&a[0]); i++) {
        const sl_value_t *v = &a[0].nested->v[i];
        if (v->null && !repl) continue;
        if (!first && sl_abuf_put(&b, a[1].str, a[1].len)) return sl_fn_oom(err);
        first = false;
        if (v->null) {
            if (sl_abuf_put(&b, a[2].str, a[2].len)) return sl_fn_oom(err);
        } else if (et->id == SL_T_CHAR || et->id == SL_T_VARCHAR) {
            if (sl_abuf_put(&b, v->str, v->len)) return sl_fn_oom(err);
        } else {
            sl_value_t s;
            int rc = sl_value_format_arena(v, et, SL_FMT_CAST, c->arena, &s);
            if (rc) return sl_fn_oom(err);
            if (sl_abuf_put(&b, s.str, s.len)) return sl_fn_oom(err);
        }
    }
    sl_abuf_value(&b, out);
    return 0;
}

typedef struct sort_ctx {
    const sl_type_t *et;
    bool asc, nulls_first;
} sort_ctx_t;

static int sort_cmp(const void *x, const void *y, void *arg)
{
    const sort_ctx_t *s = arg;
    const sl_value_t *a = x, *b = y;
    if (a->null || b->null) {
        if (a->null && b->null) return 0;
        return (a->null ? -1 : 1) * (s->nulls_first ? 1 : -1);
    }
    int r = sl_value_cmp(a, b, s->et);
    return s->asc ? r : -r;
}

static int fn_array_sort(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    sort_ctx_t s = {elem_type(c->argt[0]), true, true};
    if (c->nargs > 1) {
        s.asc = a[1].b;
        s.nulls_first = s.asc;
    }
    if (c->nargs > 2) s.nulls_first = a[2].b;
    int n = count_of(&a[0]);
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    if (n) memcpy(nv->v, a[0].nested->v, (size_t)n * sizeof(sl_value_t));
    /* insertion sort: stable, no allocation; arrays are small */
    for (int i = 1; i < n; i++) {
        sl_value_t v = nv->v[i];
        int j = i - 1;
        while (j >= 0 && sort_cmp(&nv->v[j], &v, &s) > 0) {
            nv->v[j + 1] = nv->v[j];
            j--;
        }
        nv->v[j + 1] = v;
    }
    return 0;
}

static int map_part(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err, bool values)
{
    int n = count_of(&a[0]);
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int i = 0; i < n; i++) nv->v[i] = a[0].nested->v[values ? n + i : i];
    return 0;
}

static int fn_map_keys(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    return map_part(c, a, out, err, false);
}

static int fn_map_values(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    return map_part(c, a, out, err, true);
}

static int fn_map_entries(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    int n = count_of(&a[0]);
    sl_nested_t *nv = new_array(c, n, out, err);
    if (!nv) return -SL_ENOMEM;
    for (int i = 0; i < n; i++) {
        sl_nested_t *row = sl_arena_alloc(c->arena, sizeof *row + 2 * sizeof(sl_value_t));
        if (!row) return sl_fn_oom(err);
        row->n = 2;
        row->v[0] = a[0].nested->v[i];
        row->v[1] = a[0].nested->v[n + i];
        memset(&nv->v[i], 0, sizeof nv->v[i]);
        nv->v[i].nested = row;
        nv->v[i].len = 2;
    }
    return 0;
}

static int fn_map_from_arrays(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                              sl_err_t *err)
{
    int nk = count_of(&a[0]), nv_ = count_of(&a[1]);
    if (nk != nv_)
        return sl_err_set(err, SL_EINVAL,
                          "MAP_FROM_ARRAYS: the keys array has %d elements but the values "
                          "array has %d", nk, nv_);
    const sl_type_t *kt = elem_type(c->argt[0]);
    /* later duplicates replace earlier ones */
    sl_nested_t *m = sl_arena_alloc(c->arena, sizeof *m + (size_t)(2 * nk) * sizeof(sl_value_t));
    if (!m) return sl_fn_oom(err);
    int k = 0;
    sl_value_t *keys = m->v, *vals = m->v + nk;
    for (int i = 0; i < nk; i++) {
        int j;
        for (j = 0; j < k; j++)
            if (sl_value_eq(&keys[j], &a[0].nested->v[i], kt)) break;
        keys[j] = a[0].nested->v[i];
        vals[j] = a[1].nested->v[i];
        if (j == k) k++;
    }
    if (k < nk) memmove(m->v + k, vals, (size_t)k * sizeof(sl_value_t));
    m->n = k;
    memset(out, 0, sizeof *out);
    out->nested = m;
    out->len = (uint32_t)k;
    return 0;
}

static int fn_map_union(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    int total = 0;
    for (int i = 0; i < c->nargs; i++) total += count_of(&a[i]);
    const sl_type_t *kt = c->rt->key ? c->rt->key : &sl_type_null;
    const sl_type_t *vt = elem_type(c->rt);
    sl_value_t *keys = sl_arena_alloc(c->arena, (size_t)(total ? 2 * total : 1) * sizeof(sl_value_t));
    if (!keys) return sl_fn_oom(err);
    sl_value_t *vals = keys + total;
    int k = 0, rc;
    for (int i = 0; i < c->nargs; i++) {
        int n = count_of(&a[i]);
        const sl_type_t *akt = c->argt[i]->key ? c->argt[i]->key : &sl_type_null;
        for (int e = 0; e < n; e++) {
            sl_value_t kv, vv;
            if ((rc = conv(c, &a[i].nested->v[e], akt, kt, &kv, err)) ||
                (rc = conv(c, &a[i].nested->v[n + e], elem_type(c->argt[i]), vt, &vv, err)))
                return rc;
            int j;
            for (j = 0; j < k; j++)
                if (sl_value_eq(&keys[j], &kv, kt)) break;
            keys[j] = kv;
            vals[j] = vv;
            if (j == k) k++;
        }
    }
    sl_nested_t *m = sl_arena_alloc(c->arena, sizeof *m + (size_t)(2 * k) * sizeof(sl_value_t));
    if (!m) return sl_fn_oom(err);
    m->n = k;
    for (int i = 0; i < k; i++) {
        m->v[i] = keys[i];
        m->v[k + i] = vals[i];
    }
    memset(out, 0, sizeof *out);
    out->nested = m;
    out->len = (uint32_t)k;
    return 0;
}

/* ---- JSON -------------------------------------------------------------------------------- */

typedef struct jspan {
    const char *s;
    size_t b, e;       /* value text [b, e) */
} jspan_t;

static size_t jws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* Skips one JSON value starting at i (after whitespace); returns its end or
 * 0 (SIZE_MAX) on malformed input. depth bounds recursion. */
#define JBAD ((size_t)-1)
static size_t jskip(const char *s, size_t n, size_t i, int depth)
{
    if (depth > 200 || i >= n) return JBAD;
    char ch = s[i];
    if (ch == '"') {
        for (i++; i < n; i++) {
            if (s[i] == '\\') {
                i++;
                continue;
            }
            if (s[i] == '"') return i + 1;
            if ((unsigned char)s[i] < 0x20) return JBAD;
        }
        return JBAD;
    }
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        i = jws(s, n, i + 1);
        if (i < n && s[i] == close) return i + 1;
        for (;;) {
            if (ch == '{') {
                if (i >= n || s[i] != '"') return JBAD;
                i = jskip(s, n, i, depth + 1);
                if (i == JBAD) return JBAD;
                i = jws(s, n, i);
                if (i >= n || s[i] != ':') return JBAD;
                i = jws(s, n, i + 1);
            }
            i = jskip(s, n, i, depth + 1);
            if (i == JBAD) return JBAD;
            i = jws(s, n, i);
            if (i < n && s[i] == ',') {
                i = jws(s, n, i + 1);
                continue;
            }
            if (i < n && s[i] == close) return i + 1;
            return JBAD;
        }
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        size_t j = i;
        if (s[j] == '-') j++;
        size_t d0 = j;
        while (j < n && isdigit((unsigned char)s[j])) j++;
        if (j == d0) return JBAD;
        if (j < n && s[j] == '.') {
            j++;
            size_t f0 = j;
            while (j < n && isdigit((unsigned char)s[j])) j++;
            if (j == f0) return JBAD;
        }
        if (j < n && (s[j] == 'e' || s[j] == 'E')) {
            j++;
            if (j < n && (s[j] == '+' || s[j] == '-')) j++;
            size_t e0 = j;
            while (j < n && isdigit((unsigned char)s[j])) j++;
            if (j == e0) return JBAD;
        }
        return j;
    }
    if (n - i >= 4 && !memcmp(s + i, "true", 4)) return i + 4;
    if (n - i >= 5 && !memcmp(s + i, "false", 5)) return i + 5;
    if (n - i >= 4 && !memcmp(s + i, "null", 4)) return i + 4;
    return JBAD;
}

/* Decodes a JSON string literal s[b..e) (with quotes) into buf (room e - b
 * bytes suffices: escapes never grow). Returns the length or -1. */
static long junescape(const char *s, size_t b, size_t e, char *buf)
{
    size_t o = 0;
    for (size_t i = b + 1; i + 1 < e; i++) {
        char ch = s[i];
        if (ch != '\\') {
            buf[o++] = ch;
            continue;
        }
        if (++i >= e - 1) return -1;
        switch (s[i]) {
        case '"': buf[o++] = '"'; break;
        case '\\': buf[o++] = '\\'; break;
        case '/': buf[o++] = '/'; break;
        case 'b': buf[o++] = '\b'; break;
        case 'f': buf[o++] = '\f'; break;
        case 'n': buf[o++] = '\n'; break;
        case 'r': buf[o++] = '\r'; break;
        case 't': buf[o++] = '\t'; break;
        case 'u': {
            unsigned cp = 0;
            if (i + 4 >= e) return -1;
            for (int k = 1; k <= 4; k++) {
                char h = s[i + k];
                int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                      : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (v < 0) return -1;
                cp = cp * 16 + (unsigned)v;
            }
            i += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && i + 6 < e && s[i + 1] == '\\' && s[i + 2] == 'u') {
                unsigned lo = 0;
                bool ok = true;
                for (int k = 3; k <= 6; k++) {
                    char h = s[i + k];
                    int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (v < 0) ok = false;
                    lo = lo * 16 + (unsigned)(v < 0 ? 0 : v);
                }
                if (ok && lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    i += 6;
                }
            }
            /* UTF-8; a \uXXXX escape (6 bytes) always has room for its 1..4 */
            if (cp < 0x80) {
                buf[o++] = (char)cp;
            } else if (cp < 0x800) {
                buf[o++] = (char)(0xc0 | cp >> 6);
                buf[o++] = (char)(0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
                buf[o++] = (char)(0xe0 | cp >> 12);
                buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                buf[o++] = (char)(0x80 | (cp & 0x3f));
            } else {
                buf[o++] = (char)(0xf0 | cp >> 18);
                buf[o++] = (char)(0x80 | ((cp >> 12) & 0x3f));
                buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                buf[o++] = (char)(0x80 | (cp & 0x3f));
            }
            break;
        }
        default:
            return -1;
        }
    }
    return (long)o;
}

/* Evaluates the path on the document. Returns 1 and the value's span, 0
 * when the path selects nothing, -1 for malformed JSON or path. */
static int jpath(const char *doc, size_t dn, const char *p, size_t pn, jspan_t *res)
{
    size_t pi = 0;
    while (pi < pn && p[pi] == ' ') pi++;
    if (pn - pi >= 4 && !strncmp(p + pi, "lax ", 4)) pi += 4;
    else if (pn - pi >= 7 && !strncmp(p + pi, "strict ", 7)) pi += 7;
    while (pi < pn && p[pi] == ' ') pi++;
    if (pi >= pn || p[pi] != '$') return -1;
    pi++;
    size_t b = jws(doc, dn, 0);
    size_t e = jskip(doc, dn, b, 0);
    if (e == JBAD || jws(doc, dn, e) != dn) return -1;
    while (pi < pn) {
        char key[256];
        size_t kn = 0;
        long index = -1;
        bool is_key = false;
        if (p[pi] == '.') {
            pi++;
            if (pi < pn && p[pi] == '"') {
                size_t q = pi + 1;
                while (q < pn && p[q] != '"') q++;
                if (q >= pn || q - pi - 1 >= sizeof key) return -1;
                kn = q - pi - 1;
                memcpy(key, p + pi + 1, kn);
                pi = q + 1;
            } else {
                size_t q = pi;
                while (q < pn && p[q] != '.' && p[q] != '[') q++;
                if (q == pi || q - pi >= sizeof key) return -1;
                kn = q - pi;
                memcpy(key, p + pi, kn);
                pi = q;
            }
            is_key = true;
        } else if (p[pi] == '[') {
            pi++;
            if (pi < pn && (p[pi] == '\'' || p[pi] == '"')) {
                char qch = p[pi];
                size_t q = pi + 1;
                while (q < pn && p[q] != qch) q++;
                if (q + 1 >= pn || p[q + 1] != ']' || q - pi - 1 >= sizeof key) return -1;
                kn = q - pi - 1;
                memcpy(key, p + pi + 1, kn);
                pi = q + 2;
                is_key = true;
            } else {
                size_t q = pi;
                long v = 0;
                while (q < pn && isdigit((unsigned char)p[q])) v = v * 10 + (p[q++] - '0');
                if (q == pi || q >= pn || p[q] != ']' || v > 100000000) return -1;
                index = v;
                pi = q + 1;
            }
        } else {
            return -1;
        }
        /* step into doc[b..e) */
        if (is_key) {
            if (doc[b] != '{') return 0;
            size_t i = jws(doc, dn, b + 1);
            bool found = false;
            while (i < e && doc[i] != '}') {
                size_t ke = jskip(doc, dn, i, 1);
                char kb[256];
                long kl = ke - i <= sizeof kb ? junescape(doc, i, ke, kb) : -1;
                i = jws(doc, dn, ke);
                i = jws(doc, dn, i + 1);       /* ':' */
                size_t ve = jskip(doc, dn, i, 1);
                if (kl == (long)kn && memcmp(kb, key, kn) == 0) {
                    b = i;
                    e = ve;
                    found = true;
                    break;
                }
                i = jws(doc, dn, ve);
                if (i < e && doc[i] == ',') i = jws(doc, dn, i + 1);
            }
            if (!found) return 0;
        } else {
            if (doc[b] != '[') return 0;
            size_t i = jws(doc, dn, b + 1);
            long k = 0;
            bool found = false;
            while (i < e && doc[i] != ']') {
                size_t ve = jskip(doc, dn, i, 1);
                if (k == index) {
                    b = i;
                    e = ve;
                    found = true;
                    break;
                }
                k++;
                i = jws(doc, dn, ve);
                if (i < e && doc[i] == ',') i = jws(doc, dn, i + 1);
            }
            if (!found) return 0;
        }
    }
    res->s = doc;
    res->b = b;
    res->e = e;
    return 1;
}

static int fn_json_value(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    if (a[0].null || a[1].null) return set_null(out);
    jspan_t sp;
    if (jpath(a[0].str, a[0].len, a[1].str, a[1].len, &sp) != 1) return set_null(out);
    const char *s = sp.s + sp.b;
    size_t n = sp.e - sp.b;
    if (s[0] == '{' || s[0] == '[' || (n == 4 && !memcmp(s, "null", 4))) return set_null(out);
    sl_value_t text = {0};
    if (s[0] == '"') {
        char *buf = sl_arena_alloc(c->arena, n + 1);
        if (!buf) return sl_fn_oom(err);
        long k = junescape(sp.s, sp.b, sp.e, buf);
        if (k < 0) return set_null(out);
        buf[k] = '\0';
        text.str = buf;
        text.len = (uint32_t)k;
    } else if ((s[0] == '-' || isdigit((unsigned char)s[0])) &&
               (memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n))) {
        /* a JSON number with a fraction or exponent is a Java Double to
         * Flink: JSON_VALUE('{"a":2.5e1}', '$.a') is '25.0' */
        sl_value_t num = {0}, d;
        num.str = s;
        num.len = (uint32_t)n;
        if (sl_value_cast(&num, &sl_type_string, &d, &sl_type_double, false, c->arena, NULL) ||
            sl_value_format_arena(&d, &sl_type_double, SL_FMT_CAST, c->arena, &text))
            return set_null(out);
    } else {
        text.str = s;
        text.len = (uint32_t)n;
    }
    const sl_type_t *rt = c->rt;
    if (rt->id == SL_T_CHAR || rt->id == SL_T_VARCHAR) {
        if (rt->len >= SL_MAX_LENGTH) {
            *out = text;
            return 0;
        }
        return sl_value_cast(&text, &sl_type_string, out, rt, true, c->arena, err);
    }
    /* RETURNING a non-string type: convert, NULL ON ERROR */
    return sl_value_cast(&text, &sl_type_string, out, rt, true, c->arena, err);
}

/* Compact re-serialisation of a JSON value (whitespace outside strings
 * removed), as Jackson writes it. */
static int json_compact(const sl_fn_ctx_t *c, const char *s, size_t n, sl_value_t *out,
                        sl_err_t *err)
{
    char *p = sl_arena_alloc(c->arena, n + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (in) {
            p[o++] = ch;
            if (ch == '\\' && i + 1 < n) p[o++] = s[++i];
            else if (ch == '"') in = false;
        } else if (ch == '"') {
            in = true;
            p[o++] = ch;
        } else if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
            p[o++] = ch;
        }
    }
    p[o] = '\0';
    memset(out, 0, sizeof *out);
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

static int fn_json_query(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    if (a[0].null || a[1].null) return set_null(out);
    jspan_t sp;
    if (jpath(a[0].str, a[0].len, a[1].str, a[1].len, &sp) != 1) return set_null(out);
    char ch = sp.s[sp.b];
    if (ch != '{' && ch != '[') return set_null(out);
    return json_compact(c, sp.s + sp.b, sp.e - sp.b, out, err);
}

static int fn_json_exists(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    (void)c, (void)err;
    if (a[0].null || a[1].null) return set_null(out);
    jspan_t sp;
    out->b = jpath(a[0].str, a[0].len, a[1].str, a[1].len, &sp) == 1;
    return 0;
}

static int fn_json_string(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    int rc = sl_value_format_arena(&a[0], c->argt[0], SL_FMT_JSON, c->arena, out);
    return rc ? sl_fn_oom(err) : 0;
}

static int fn_json_quote(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    int rc = sl_value_format_arena(&a[0], &sl_type_string, SL_FMT_JSON, c->arena, out);
    return rc ? sl_fn_oom(err) : 0;
}

static int fn_json_unquote(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    const char *s = a[0].str;
    size_t n = a[0].len;
    if (n >= 2 && s[0] == '"' && jskip(s, n, 0, 0) == n) {
        char *buf = sl_arena_alloc(c->arena, n + 1);
        if (!buf) return sl_fn_oom(err);
        long k = junescape(s, 0, n, buf);
        if (k >= 0) {
            buf[k] = '\0';
            out->str = buf;
            out->len = (uint32_t)k;
            return 0;
        }
    }
    *out = a[0];
    return 0;
}

const sl_fn_entry_t sl_fn_coll_table[] = {
    {"CARDINALITY", fn_cardinality, 0},
    {"ELEMENT", fn_element, 0},
    {"ARRAY_CONTAINS", fn_array_contains, SL_FN_NULL_AWARE},
    {"ARRAY_POSITION", fn_array_position, SL_FN_NULL_AWARE},
    {"ARRAY_REMOVE", fn_array_remove, SL_FN_NULL_AWARE},
    {"ARRAY_APPEND", fn_array_append, SL_FN_NULL_AWARE},
    {"ARRAY_PREPEND", fn_array_prepend, SL_FN_NULL_AWARE},
    {"ARRAY_REVERSE", fn_array_reverse, 0},
    {"ARRAY_DISTINCT", fn_array_distinct, 0},
    {"ARRAY_SLICE", fn_array_slice, 0},
    {"ARRAY_CONCAT", fn_array_concat, 0},
    {"ARRAY_UNION", fn_array_union, 0},
    {"ARRAY_INTERSECT", fn_array_intersect, 0},
    {"ARRAY_EXCEPT", fn_array_except, 0},
    {"ARRAY_MAX", fn_array_max, 0},
    {"ARRAY_MIN", fn_array_min, 0},
    {"ARRAY_JOIN", fn_array_join, 0},
    {"ARRAY_SORT", fn_array_sort, 0},
    {"MAP_KEYS", fn_map_keys, 0},
    {"MAP_VALUES", fn_map_values, 0},
    {"MAP_ENTRIES", fn_map_entries, 0},
    {"MAP_FROM_ARRAYS", fn_map_from_arrays, 0},
    {"MAP_UNION", fn_map_union, 0},
    {"JSON_VALUE", fn_json_value, SL_FN_NULL_AWARE},
    {"JSON_QUERY", fn_json_query, SL_FN_NULL_AWARE},
    {"JSON_EXISTS", fn_json_exists, SL_FN_NULL_AWARE},
    {"JSON_STRING", fn_json_string, 0},
    {"JSON_QUOTE", fn_json_quote, 0},
    {"JSON_UNQUOTE", fn_json_unquote, 0},
    {NULL, NULL, 0},
};
