/* arith.c - arithmetic, mixed comparisons, LIKE / SIMILAR TO and the
 * regular-expression cache (see arith.h for the semantics). */
#include "exec/arith.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/fn.h"
#include "util/decimal.h"
#include "util/time.h"

/* ---- helpers ---------------------------------------------------------------- */

int sl_unit_time_unit(int u)
{
    switch (u) {
    case SL_U_YEAR: return SL_TU_YEAR;
    case SL_U_QUARTER: return SL_TU_QUARTER;
    case SL_U_MONTH: return SL_TU_MONTH;
    case SL_U_WEEK: return SL_TU_WEEK;
    case SL_U_DAY: return SL_TU_DAY;
    case SL_U_HOUR: return SL_TU_HOUR;
    case SL_U_MINUTE: return SL_TU_MINUTE;
    case SL_U_SECOND: return SL_TU_SECOND;
    case SL_U_MILLISECOND: return SL_TU_MILLISECOND;
    case SL_U_MICROSECOND: return SL_TU_MICROSECOND;
    case SL_U_NANOSECOND: return SL_TU_NANOSECOND;
    case SL_U_DOW: return SL_TU_DOW;
    case SL_U_DOY: return SL_TU_DOY;
    case SL_U_ISODOW: return SL_TU_ISODOW;
    case SL_U_ISOYEAR: return SL_TU_ISOYEAR;
    case SL_U_EPOCH: return SL_TU_EPOCH;
    case SL_U_DECADE: return SL_TU_DECADE;
    case SL_U_CENTURY: return SL_TU_CENTURY;
    case SL_U_MILLENNIUM: return SL_TU_MILLENNIUM;
    default: return -1;
    }
}

static bool is_int(const sl_type_t *t)
{
    return t->id >= SL_T_TINYINT && t->id <= SL_T_BIGINT;
}

static bool is_float(const sl_type_t *t)
{
    return t->id == SL_T_FLOAT || t->id == SL_T_DOUBLE;
}

static bool is_str(const sl_type_t *t)
{
    return t->id == SL_T_CHAR || t->id == SL_T_VARCHAR;
}

static bool is_ival(const sl_type_t *t)
{
    return t->id == SL_T_INTERVAL_YM || t->id == SL_T_INTERVAL_DT;
}

/* Two's complement wrap to the width of an integer type (Java's narrowing). */
static int64_t wrap(uint64_t v, int id)
{
    switch (id) {
    case SL_T_TINYINT: return (int8_t)(uint8_t)v;
    case SL_T_SMALLINT: return (int16_t)(uint16_t)v;
    case SL_T_INT: return (int32_t)(uint32_t)v;
    default: return (int64_t)v;
    }
}

/* Any exact value as a DECIMAL (integers with their natural precision). */
static sl_decimal_t as_dec(const sl_value_t *v, const sl_type_t *t)
{
    sl_decimal_t d;
    if (t->id == SL_T_DECIMAL) {
        d.unscaled = v->dec;
        d.precision = (uint8_t)(t->len >= 1 && t->len <= 38 ? t->len : 38);
        d.scale = (uint8_t)(t->scale >= 0 && t->scale <= 38 ? t->scale : 0);
    } else if (t->id == SL_T_BOOLEAN) {
        d.unscaled = v->b;
        d.precision = 1;
        d.scale = 0;
    } else {
        d.unscaled = v->i64;
        d.precision = 19;
        d.scale = 0;
    }
    return d;
}

static const char *op_sym(int op)
{
    switch (op) {
    case SL_OP_ADD: return "+";
    case SL_OP_SUB: return "-";
    case SL_OP_MUL: return "*";
    case SL_OP_DIV: return "/";
    case SL_OP_MOD: return "%";
    default: return "?";
    }
}

static int div_zero(sl_err_t *err)
{
    return sl_err_set(err, SL_EDIVZERO, "division by zero");
}

static int bad_types(int op, const sl_type_t *at, const sl_type_t *bt,
                     const sl_type_t *rt, sl_err_t *err)
{
    return sl_err_set(err, SL_ETYPE,
                      "operator %s is not supported for type ids %d and %d "
                      "with result type id %d",
                      op_sym(op), at->id, bt->id, rt->id);
}

/* ---- arithmetic ------------------------------------------------------------- */

static int arith_int(int op, int64_t x, int64_t y, int id, int64_t *out,
                     sl_err_t *err)
{
    uint64_t ux = (uint64_t)x, uy = (uint64_t)y, r;
    switch (op) {
    case SL_OP_ADD: r = ux + uy; break;
    case SL_OP_SUB: r = ux - uy; break;
    case SL_OP_MUL: r = ux * uy; break;
    case SL_OP_DIV:
        if (y == 0) return div_zero(err);
        r = (x == INT64_MIN && y == -1) ? ux : (uint64_t)(x / y);
        break;
    case SL_OP_MOD:
        if (y == 0) return div_zero(err);
        r = y == -1 ? 0 : (uint64_t)(x % y);
        break;
    default:
        return sl_err_set(err, SL_EINVAL, "unknown arithmetic operator %d", op);
    }
    *out = wrap(r, id);
    return 0;
}

static int arith_dec(int op, const sl_decimal_t *a, const sl_decimal_t *b,
                     const sl_type_t *rt, sl_value_t *out, sl_err_t *err)
{
    sl_decimal_t r;
    int p = rt->len, s = rt->scale, rc;
    switch (op) {
    case SL_OP_ADD: rc = sl_decimal_add_as(a, b, p, s, &r); break;
    case SL_OP_SUB: rc = sl_decimal_sub_as(a, b, p, s, &r); break;
    case SL_OP_MUL: rc = sl_decimal_mul_as(a, b, p, s, &r); break;
    case SL_OP_DIV: rc = sl_decimal_div_as(a, b, p, s, &r); break;
    case SL_OP_MOD: rc = sl_decimal_mod_as(a, b, p, s, &r); break;
    default: return sl_err_set(err, SL_EINVAL, "unknown arithmetic operator %d", op);
    }
    if (rc == -SL_EDIVZERO) return div_zero(err);
    if (rc == -SL_EOVERFLOW) {
        char x[SL_DECIMAL_STRLEN], y[SL_DECIMAL_STRLEN];
        sl_decimal_format(a, x, sizeof x);
        sl_decimal_format(b, y, sizeof y);
        return sl_err_set(err, SL_EOVERFLOW, "DECIMAL(%d, %d) overflow in %s %s %s",
                          p, s, x, op_sym(op), y);
    }
    if (rc) return sl_err_set(err, -rc, "invalid DECIMAL(%d, %d) arithmetic", p, s);
    out->dec = r.unscaled;
    return 0;
}

static int ts_range(sl_err_t *err)
{
    return sl_err_set(err, SL_ERANGE,
                      "datetime arithmetic result is outside 0001-01-01 .. "
                      "9999-12-31");
}

/* temporal (TIMESTAMP/LTZ/DATE/TIME) +/- interval. */
static int arith_temporal(int op, const sl_value_t *a, const sl_type_t *at,
                          const sl_value_t *b, const sl_type_t *bt,
                          sl_value_t *out, const sl_type_t *rt, sl_err_t *err)
{
    const sl_value_t *tv = a, *iv = b;
    const sl_type_t *tt = at, *it = bt;
    if (is_ival(at)) {
        if (op != SL_OP_ADD) return bad_types(op, at, bt, rt, err);
        tv = b, tt = bt, iv = a, it = at;
    }
    if (!is_ival(it) || (op != SL_OP_ADD && op != SL_OP_SUB))
        return bad_types(op, at, bt, rt, err);
    int64_t amount = iv->i64;
    if (op == SL_OP_SUB) {
        if (amount == INT64_MIN) return ts_range(err);
        amount = -amount;
    }
    bool months = it->id == SL_T_INTERVAL_YM;
    if (tt->id == SL_T_TIME) {
        out->time = months ? tv->time : sl_time_add_millis(tv->time, amount);
        if (rt->id != SL_T_TIME) return bad_types(op, at, bt, rt, err);
        return 0;
    }
    sl_timestamp_t ts;
    if (tt->id == SL_T_DATE) ts = sl_timestamp_from_date(tv->date);
    else if (tt->id == SL_T_TIMESTAMP || tt->id == SL_T_TIMESTAMP_LTZ) ts = tv->ts;
    else return bad_types(op, at, bt, rt, err);
    int rc = months ? sl_timestamp_add_months(ts, amount, &ts)
                    : sl_timestamp_add_millis(ts, amount, &ts);
    if (rc) return ts_range(err);
    if (rt->id == SL_T_DATE) out->date = sl_timestamp_date(ts);
    else out->ts = ts;
    return 0;
}

static int arith_interval(int op, const sl_value_t *a, const sl_type_t *at,
                          const sl_value_t *b, const sl_type_t *bt,
                          sl_value_t *out, const sl_type_t *rt, sl_err_t *err)
{
    if (is_ival(at) && is_ival(bt)) {
        if (op != SL_OP_ADD && op != SL_OP_SUB) return bad_types(op, at, bt, rt, err);
        uint64_t x = (uint64_t)a->i64, y = (uint64_t)b->i64;
        out->i64 = (int64_t)(op == SL_OP_ADD ? x + y : x - y);
        return 0;
    }
    /* TIMESTAMP - TIMESTAMP, DATE - DATE: the difference. */
    if (op == SL_OP_SUB && (sl_type_is_timestamp(at) || at->id == SL_T_DATE) &&
        (sl_type_is_timestamp(bt) || bt->id == SL_T_DATE)) {
        sl_timestamp_t x = at->id == SL_T_DATE ? sl_timestamp_from_date(a->date) : a->ts;
        sl_timestamp_t y = bt->id == SL_T_DATE ? sl_timestamp_from_date(b->date) : b->ts;
        if (rt->id == SL_T_INTERVAL_YM)
            return sl_timestamp_diff(SL_TU_MONTH, y, x, &out->i64) ? ts_range(err) : 0;
        out->i64 = x.millis - y.millis;
        return 0;
    }
    /* interval * number, number * interval, interval / number */
    const sl_value_t *iv = a, *nv = b;
    const sl_type_t *nt = bt;
    if (!is_ival(at)) {
        if (op != SL_OP_MUL || !is_ival(bt)) return bad_types(op, at, bt, rt, err);
        iv = b, nv = a, nt = at;
    }
    if (op != SL_OP_MUL && op != SL_OP_DIV) return bad_types(op, at, bt, rt, err);
    if (is_int(nt)) {
        if (op == SL_OP_MUL) {
            out->i64 = (int64_t)((uint64_t)iv->i64 * (uint64_t)nv->i64);
        } else {
            if (nv->i64 == 0) return div_zero(err);
            out->i64 = nv->i64 == -1 ? (int64_t)(0 - (uint64_t)iv->i64)
                                     : iv->i64 / nv->i64;
        }
        return 0;
    }
    double d = sl_fn_num_double(nv, nt);
    if (op == SL_OP_DIV && d == 0) return div_zero(err);
    double r = op == SL_OP_MUL ? (double)iv->i64 * d : (double)iv->i64 / d;
    if (isnan(r) || r >= 9223372036854775808.0 || r < -9223372036854775808.0)
        return sl_err_set(err, SL_EOVERFLOW, "interval arithmetic overflow");
    out->i64 = (int64_t)r;
    return 0;
}

int sl_arith(int op, const sl_value_t *a, const sl_type_t *at,
             const sl_value_t *b, const sl_type_t *bt, sl_value_t *out,
             const sl_type_t *rt, sl_err_t *err)
{
    sl_value_t r;
    memset(&r, 0, sizeof r);
    int rc;
    switch (rt->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT: {
        int64_t x, y;
        if (is_int(at)) x = a->i64;
        else if (at->id == SL_T_DECIMAL || is_float(at)) x = sl_fn_num_int(a, at);
        else return bad_types(op, at, bt, rt, err);
        if (is_int(bt)) y = b->i64;
        else if (bt->id == SL_T_DECIMAL || is_float(bt)) y = sl_fn_num_int(b, bt);
        else return bad_types(op, at, bt, rt, err);
        if ((rc = arith_int(op, x, y, rt->id, &r.i64, err))) return rc;
        break;
    }
    case SL_T_DECIMAL: {
        sl_decimal_t x, y;
        if (is_float(at) || is_float(bt)) {
            /* Not produced by Flink's type rules; go through the text. */
            const sl_value_t *fv = is_float(at) ? a : b;
            sl_decimal_t f;
            if (!isfinite(fv->f64) || sl_decimal_from_double(fv->f64, 38, rt->scale, &f))
                return sl_err_set(err, SL_EOVERFLOW, "value does not fit DECIMAL");
            x = is_float(at) ? f : as_dec(a, at);
            y = is_float(bt) ? f : as_dec(b, bt);
        } else {
            if (!sl_type_is_exact(at) || !sl_type_is_exact(bt))
                return bad_types(op, at, bt, rt, err);
            x = as_dec(a, at);
            y = as_dec(b, bt);
        }
        if ((rc = arith_dec(op, &x, &y, rt, &r, err))) return rc;
        break;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        if (!sl_type_is_numeric(at) || !sl_type_is_numeric(bt))
            return bad_types(op, at, bt, rt, err);
        double x = sl_fn_num_double(a, at), y = sl_fn_num_double(b, bt);
        switch (op) {
        case SL_OP_ADD: r.f64 = x + y; break;
        case SL_OP_SUB: r.f64 = x - y; break;
        case SL_OP_MUL: r.f64 = x * y; break;
        case SL_OP_DIV: r.f64 = x / y; break;
        case SL_OP_MOD: r.f64 = fmod(x, y); break;
        default: return bad_types(op, at, bt, rt, err);
        }
        if (rt->id == SL_T_FLOAT) r.f64 = (double)(float)r.f64;
        break;
    }
    case SL_T_DATE: case SL_T_TIME: case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        if ((rc = arith_temporal(op, a, at, b, bt, &r, rt, err))) return rc;
        break;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        if ((rc = arith_interval(op, a, at, b, bt, &r, rt, err))) return rc;
        break;
    default:
        return bad_types(op, at, bt, rt, err);
    }
    *out = r;
    return 0;
}

int sl_arith_neg(const sl_value_t *a, const sl_type_t *at, sl_value_t *out,
                 const sl_type_t *rt, sl_err_t *err)
{
    sl_value_t r;
    memset(&r, 0, sizeof r);
    switch (rt->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        if (!is_int(at)) break;
        r.i64 = wrap(0 - (uint64_t)a->i64, rt->id);
        *out = r;
        return 0;
    case SL_T_DECIMAL:
        if (at->id == SL_T_DECIMAL) {
            r.dec = -a->dec;
        } else if (is_int(at)) {
            r.dec = -(__int128)a->i64;
        } else {
            break;
        }
        *out = r;
        return 0;
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if (!sl_type_is_numeric(at)) break;
        r.f64 = -sl_fn_num_double(a, at);
        *out = r;
        return 0;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        if (!is_ival(at)) break;
        r.i64 = (int64_t)(0 - (uint64_t)a->i64);
        *out = r;
        return 0;
    default:
        break;
    }
    return sl_err_set(err, SL_ETYPE, "unary minus is not supported for type id %d",
                      at->id);
}

/* ---- comparison ------------------------------------------------------------- */

static int cmp_double(double a, double b)
{
    if (a < b) return -1;
    if (a > b) return 1;
    if (a == b) return 0;
    return isnan(a) - isnan(b);
}

static int sgn(int c)
{
    return (c > 0) - (c < 0);
}

/* Temporal value as a timestamp (DATE at midnight). */
static bool as_ts(const sl_value_t *v, const sl_type_t *t, sl_timestamp_t *ts)
{
    if (t->id == SL_T_DATE) {
        *ts = sl_timestamp_from_date(v->date);
        return true;
    }
    if (sl_type_is_timestamp(t)) {
        *ts = v->ts;
        return true;
    }
    return false;
}

/* Compares a string s with a value of another type by casting the string
 * to that type. */
static int cmp_str_other(const sl_value_t *s, const sl_type_t *st,
                         const sl_value_t *o, const sl_type_t *ot, int *cmp,
                         sl_err_t *err)
{
    sl_value_t conv;
    sl_err_t e2;
    /* Scalar targets need no arena. */
    int rc = sl_value_cast(s, st, &conv, ot, false, NULL, &e2);
    if (rc || conv.null) {
        if (rc == -SL_ETYPE) rc = sl_err_set(err, SL_ETYPE, "%s", e2.msg);
        else rc = sl_err_set(err, SL_EFORMAT, "cannot compare '%.*s' with a value of "
                             "type id %d: %s", (int)(s->len > 40 ? 40 : s->len),
                             s->str, ot->id, rc ? e2.msg : "NULL");
        return rc;
    }
    return sl_cmp_mixed_err(&conv, ot, o, ot, cmp, err);
}

int sl_cmp_mixed_err(const sl_value_t *a, const sl_type_t *at,
                     const sl_value_t *b, const sl_type_t *bt, int *cmp,
                     sl_err_t *err)
{
    if (sl_type_is_numeric(at) && sl_type_is_numeric(bt)) {
        if (is_float(at) || is_float(bt)) {
            *cmp = cmp_double(sl_fn_num_double(a, at), sl_fn_num_double(b, bt));
        } else if (at->id == SL_T_DECIMAL || bt->id == SL_T_DECIMAL) {
            sl_decimal_t x = as_dec(a, at), y = as_dec(b, bt);
            *cmp = sl_decimal_cmp(&x, &y);
        } else {
            *cmp = (a->i64 > b->i64) - (a->i64 < b->i64);
        }
        return 0;
    }
    if (is_str(at) && !is_str(bt) && !sl_type_is_binary(bt) && !sl_type_is_interval(bt) &&
        bt->id != SL_T_NULL && bt->id < SL_T_ROW)
        return cmp_str_other(a, at, b, bt, cmp, err);
    if (is_str(bt) && !is_str(at) && !sl_type_is_binary(at) && !sl_type_is_interval(at) &&
        at->id != SL_T_NULL && at->id < SL_T_ROW) {
        int rc = cmp_str_other(b, bt, a, at, cmp, err);
        *cmp = -*cmp;
        return rc;
    }
    sl_timestamp_t x, y;
    if (as_ts(a, at, &x) && as_ts(b, bt, &y)) {
        *cmp = sl_timestamp_cmp(x, y);
        return 0;
    }
    if ((is_str(at) || sl_type_is_binary(at)) && (is_str(bt) || sl_type_is_binary(bt))) {
        *cmp = sl_value_cmp(a, b, at);
        return 0;
    }
    if (at->id == bt->id || at->id == SL_T_NULL || bt->id == SL_T_NULL) {
        *cmp = sgn(sl_value_cmp(a, b, at->id == SL_T_NULL ? bt : at));
        return 0;
    }
    *cmp = 0;
    return sl_err_set(err, SL_ETYPE, "cannot compare values of type ids %d and %d",
                      at->id, bt->id);
}

int sl_cmp_mixed(const sl_value_t *a, const sl_type_t *at, const sl_value_t *b,
                 const sl_type_t *bt)
{
    int cmp = 0;
    if (sl_cmp_mixed_err(a, at, b, bt, &cmp, NULL) == 0) return cmp;
    /* Not convertible: the string sorts after the other value. */
    if (is_str(at) && !is_str(bt)) return 1;
    if (is_str(bt) && !is_str(at)) return -1;
    return (at->id > bt->id) - (at->id < bt->id);
}

/* ---- LIKE ------------------------------------------------------------------- */

enum { TK_END, TK_PCT, TK_ONE, TK_LIT, TK_BAD };

/* The pattern token at *pi; advances *pi. Literal characters are returned
 * as (*lit, *ln) byte spans. */
static int like_token(const char *pat, size_t pn, size_t *pi, char esc,
                      const char **lit, size_t *ln)
{
    size_t i = *pi;
    if (i >= pn) return TK_END;
    char c = pat[i];
    if (esc && c == esc) {
        if (i + 1 >= pn) return TK_BAD;
        char d = pat[i + 1];
        if (d != '%' && d != '_' && d != esc) return TK_BAD;
        *lit = pat + i + 1;
        *ln = 1;
        *pi = i + 2;
        return TK_LIT;
    }
    if (c == '%') {
        *pi = i + 1;
        return TK_PCT;
    }
    if (c == '_') {
        *pi = i + 1;
        return TK_ONE;
    }
    size_t k = sl_utf8_len((unsigned char)c);
    if (i + k > pn) k = pn - i;
    *lit = pat + i;
    *ln = k;
    *pi = i + k;
    return TK_LIT;
}

bool sl_like(const char *s, size_t n, const char *pat, size_t pn, char escape)
{
    size_t si = 0, pi = 0;
    size_t star_p = (size_t)-1, star_s = 0;
    const char *lit = NULL;
    size_t ln = 0;
    while (si < n) {
        size_t next = pi;
        int tk = like_token(pat, pn, &next, escape, &lit, &ln);
        if (tk == TK_BAD) return false;
        if (tk == TK_PCT) {
            star_p = next;
            star_s = si;
            pi = next;
            continue;
        }
        if (tk == TK_ONE) {
            size_t k = sl_utf8_len((unsigned char)s[si]);
            si = si + k > n ? n : si + k;
            pi = next;
            continue;
        }
        if (tk == TK_LIT && ln <= n - si && memcmp(s + si, lit, ln) == 0) {
            si += ln;
            pi = next;
            continue;
        }
        if (star_p == (size_t)-1) return false;
        size_t k = sl_utf8_len((unsigned char)s[star_s]);
        star_s = star_s + k > n ? n : star_s + k;
        si = star_s;
        pi = star_p;
    }
    for (;;) {
        size_t next = pi;
        int tk = like_token(pat, pn, &next, escape, &lit, &ln);
        if (tk == TK_END) return true;
        if (tk != TK_PCT) return false;
        pi = next;
    }
}

int sl_like_check(const char *pat, size_t pn, char escape, sl_err_t *err)
{
    size_t pi = 0;
    const char *lit;
    size_t ln;
    for (;;) {
        int tk = like_token(pat, pn, &pi, escape, &lit, &ln);
        if (tk == TK_END) return 0;
        if (tk == TK_BAD)
            return sl_err_set(err, SL_EFORMAT,
                              "invalid escape sequence in LIKE pattern '%.*s'",
                              (int)(pn > 60 ? 60 : pn), pat);
    }
}

/* ---- regular expressions ------------------------------------------------------ */

/* A pattern translated to POSIX ERE. */
typedef struct xlat {
    char *p;
    size_t len, cap;
    int ngroups;                          /* pattern groups */
    int nposix;                           /* POSIX groups */
    int gmap[SL_REGEX_MAX_GROUPS + 1];
    bool icase;
    int err;                              /* first error, -SL_E* */
    const char *why;
} xlat_t;

static void xput(xlat_t *x, const char *s, size_t n)
{
    if (x->err) return;
    if (x->len + n + 1 > x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        while (cap < x->len + n + 1) cap *= 2;
        char *np = realloc(x->p, cap);
        if (!np) {
            x->err = -SL_ENOMEM;
            return;
        }
        x->p = np;
        x->cap = cap;
    }
    memcpy(x->p + x->len, s, n);
    x->len += n;
    x->p[x->len] = '\0';
}

static void xputs(xlat_t *x, const char *s)
{
    xput(x, s, strlen(s));
}

static void xfail(xlat_t *x, const char *why)
{
    if (!x->err) {
        x->err = -SL_EFORMAT;
        x->why = why;
    }
}

static bool posix_meta(char c)
{
    return strchr(".[]()*+?{}|^$\\", c) != NULL;
}

/* A literal character, escaped for ERE outside brackets. */
static void xlit(xlat_t *x, char c)
{
    char b[2] = {'\\', c};
    if (posix_meta(c)) xput(x, b, 2);
    else xput(x, b + 1, 1);
}

static void xutf8(xlat_t *x, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        xlit(x, (char)cp);
        return;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    xput(x, b, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Java bracket expression at p[*i] == '['; emits a POSIX one. */
static void xbracket(xlat_t *x, const char *p, size_t n, size_t *i)
{
    size_t k = *i + 1;
    bool neg = false, rbr = false, dash = false;
    xlat_t body = {0};
    if (k < n && p[k] == '^') {
        neg = true;
        k++;
    }
    bool first = true;
    while (k < n && (p[k] != ']' || first)) {
        char c = p[k];
        first = false;
        if (c == '[') {
            if (k + 1 < n && p[k + 1] == ':') {    /* POSIX class, pass through */
                const char *e = memchr(p + k, ']', n - k);
                if (!e) break;
                xput(&body, p + k, (size_t)(e - (p + k)) + 1);
                k = (size_t)(e - p) + 1;
                continue;
            }
            xfail(x, "nested or intersected character classes are not supported");
            break;
        }
        if (c == '\\' && k + 1 < n) {
            char d = p[k + 1];
            k += 2;
            switch (d) {
            case 'd': xputs(&body, "0-9"); break;
            case 'w': xputs(&body, "A-Za-z0-9_"); break;
            case 's': xputs(&body, "[:space:]"); break;
            case 't': xput(&body, "\t", 1); break;
            case 'n': xput(&body, "\n", 1); break;
            case 'r': xput(&body, "\r", 1); break;
            case 'f': xput(&body, "\f", 1); break;
            case ']': rbr = true; break;
            case '-': dash = true; break;
            case 'D': case 'W': case 'S': case 'p': case 'P':
                xfail(x, "negated or Unicode classes inside [...] are not supported");
                break;
            default: xput(&body, &d, 1); break;
            }
            continue;
        }
        if (c == '&' && k + 1 < n && p[k + 1] == '&') {
            xfail(x, "character class intersection (&&) is not supported");
            break;
        }
        if (c == ']') {
            rbr = true;
            k++;
            continue;
        }
        if (c == '-' && (k + 1 >= n || p[k + 1] == ']' || body.len == 0)) {
            dash = true;
            k++;
            continue;
        }
        xput(&body, &c, 1);
        k++;
    }
    if (k >= n) xfail(x, "unclosed character class");
    if (body.err == -SL_ENOMEM) x->err = -SL_ENOMEM;
    xputs(x, neg ? "[^" : "[");
    if (rbr) xputs(x, "]");
    if (body.len) xput(x, body.p, body.len);
    if (dash) xputs(x, "-");
    if (!rbr && !body.len && !dash) xfail(x, "empty character class");
    xputs(x, "]");
    free(body.p);
    *i = k + 1;
}

/* Translates a Java regex to POSIX ERE. */
static void xlat_java(xlat_t *x, const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 4 && memcmp(p, "(?i)", 4) == 0) {
        x->icase = true;
        i = 4;
    }
    while (i < n && !x->err) {
        char c = p[i];
        if (c == '\\') {
            if (i + 1 >= n) {
                xfail(x, "trailing backslash");
                break;
            }
            char d = p[i + 1];
            i += 2;
            switch (d) {
            case 'd': xputs(x, "[0-9]"); break;
            case 'D': xputs(x, "[^0-9]"); break;
            case 'w': xputs(x, "[A-Za-z0-9_]"); break;
            case 'W': xputs(x, "[^A-Za-z0-9_]"); break;
            case 's': xputs(x, "[[:space:]]"); break;
            case 'S': xputs(x, "[^[:space:]]"); break;
            case 't': xput(x, "\t", 1); break;
            case 'n': xput(x, "\n", 1); break;
            case 'r': xput(x, "\r", 1); break;
            case 'f': xput(x, "\f", 1); break;
            case 'b': xputs(x, "\\b"); break;
            case 'B': xputs(x, "\\B"); break;
            case 'A': xputs(x, "^"); break;
            case 'z': case 'Z': xputs(x, "$"); break;
            case 'Q': {
                const char *e = NULL;
                for (size_t k = i; k + 1 < n; k++)
                    if (p[k] == '\\' && p[k + 1] == 'E') {
                        e = p + k;
                        break;
                    }
                size_t end = e ? (size_t)(e - p) : n;
                for (; i < end; i++) xlit(x, p[i]);
                i = e ? end + 2 : n;
                break;
            }
            case 'u': case 'x': {
                size_t w = d == 'u' ? 4 : 2;
                unsigned cp = 0;
                if (i + w > n) {
                    xfail(x, "bad \\u or \\x escape");
                    break;
                }
                for (size_t k = 0; k < w; k++) {
                    int h = hexval(p[i + k]);
                    if (h < 0) {
                        xfail(x, "bad \\u or \\x escape");
                        break;
                    }
                    cp = cp * 16 + (unsigned)h;
                }
                i += w;
                xutf8(x, cp);
                break;
            }
            case 'p': case 'P': case 'G': case 'k': case 'R': case 'X': case 'h':
            case 'H': case 'v': case 'V':
                xfail(x, "this escape sequence is not supported");
                break;
            default:
                if (d >= '1' && d <= '9') {
                    int g = d - '0';
                    if (g > x->ngroups) {
                        xfail(x, "back reference to a group that does not exist");
                        break;
                    }
                    char b[3] = {'\\', (char)('0' + x->gmap[g]), 0};
                    if (x->gmap[g] > 9) {
                        xfail(x, "back reference beyond group 9");
                        break;
                    }
                    xputs(x, b);
                } else if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z')) {
                    xfail(x, "unknown escape sequence");
                } else {
                    xlit(x, d);
                }
                break;
            }
            continue;
        }
        if (c == '[') {
            xbracket(x, p, n, &i);
            continue;
        }
        if (c == '(') {
            if (i + 1 < n && p[i + 1] == '?') {
                if (i + 2 < n && p[i + 2] == ':') {
                    x->nposix++;
                    xputs(x, "(");
                    i += 3;
                    continue;
                }
                if (i + 2 < n && p[i + 2] == '<' && i + 3 < n && p[i + 3] != '=' &&
                    p[i + 3] != '!') {
                    const char *e = memchr(p + i, '>', n - i);
                    if (!e) {
                        xfail(x, "unterminated group name");
                        break;
                    }
                    i = (size_t)(e - p) + 1;
                } else {
                    xfail(x, "look-around and inline flags are not supported");
                    break;
                }
            } else {
                i++;
            }
            x->nposix++;
            if (++x->ngroups > SL_REGEX_MAX_GROUPS) {
                xfail(x, "too many groups");
                break;
            }
            x->gmap[x->ngroups] = x->nposix;
            xputs(x, "(");
            continue;
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n &&
            (p[i + 1] == '?' || p[i + 1] == '+')) {
            xfail(x, p[i + 1] == '?'
                         ? "lazy quantifiers (*?, +?) are not supported: POSIX "
                           "regexes are greedy; use a negated class such as [^,]*"
                         : "possessive quantifiers are not supported");
            break;
        }
        xput(x, &c, 1);
        i++;
    }
}

/* Translates a SQL SIMILAR TO pattern to an anchored POSIX ERE. */
static void xlat_similar(xlat_t *x, const char *p, size_t n, char esc)
{
    xputs(x, "^(");
    x->nposix = 1;
    for (size_t i = 0; i < n && !x->err; i++) {
        char c = p[i];
        if (esc && c == esc) {
            if (i + 1 >= n) {
                xfail(x, "escape character at the end of a SIMILAR TO pattern");
                break;
            }
            xlit(x, p[++i]);
            continue;
        }
        switch (c) {
        case '%': xputs(x, ".*"); break;
        case '_': xputs(x, "."); break;
        case '(': x->nposix++; xput(x, &c, 1); break;
        case '|': case '*': case '+': case '?': case '{': case '}': case ')':
            xput(x, &c, 1);
            break;
        case '[': {
            size_t k = i + 1;
            if (k < n && p[k] == '^') k++;
            if (k < n && p[k] == ']') k++;
            while (k < n && p[k] != ']') {
                if (p[k] == '[' && k + 1 < n && p[k + 1] == ':') {
                    const char *e = memchr(p + k + 1, ']', n - k - 1);
                    k = e ? (size_t)(e - p) + 1 : n;
                } else {
                    k++;
                }
            }
            if (k >= n) {
                xfail(x, "unclosed [ in SIMILAR TO pattern");
                break;
            }
            xput(x, p + i, k - i + 1);
            i = k;
            break;
        }
        default:
            xlit(x, c);
            break;
        }
    }
    xputs(x, ")$");
}

#define REGEX_CACHE 16

typedef struct rentry {
    char *pat;                 /* heap copy of the key, NULL when free */
    size_t pn;
    int flags;
    unsigned long stamp;       /* last use */
    sl_regex_t rx;
} rentry_t;

static __thread rentry_t rcache[REGEX_CACHE];
static __thread unsigned long rclock;

void sl_regex_cache_clear(void)
{
    for (int i = 0; i < REGEX_CACHE; i++) {
        if (rcache[i].pat) {
            regfree(&rcache[i].rx.re);
            free(rcache[i].pat);
            rcache[i].pat = NULL;
        }
    }
}

/* Internal flag: pattern is SIMILAR TO text; the escape is in bits 8..15. */
#define RE_SIMILAR 0x100000

static int regex_compile(const char *pat, size_t pn, int flags, sl_regex_t *rx,
                         sl_err_t *err)
{
    xlat_t x = {0};
    x.gmap[0] = 0;
    if (flags & RE_SIMILAR) {
        xlat_similar(&x, pat, pn, (char)((flags >> 8) & 0xff));
    } else if (flags & SL_RE_JAVA) {
        xlat_java(&x, pat, pn);
    } else {
        xput(&x, pat, pn);
        for (int g = 0; g <= SL_REGEX_MAX_GROUPS; g++) x.gmap[g] = g;
        x.ngroups = SL_REGEX_MAX_GROUPS;
    }
    if (!x.err && !x.p) xputs(&x, "");
    if (x.err) {
        free(x.p);
        if (x.err == -SL_ENOMEM) return sl_err_set(err, SL_ENOMEM, "out of memory");
        return sl_err_set(err, SL_EFORMAT, "invalid regular expression '%.*s': %s",
                          (int)(pn > 80 ? 80 : pn), pat, x.why);
    }
    int cf = REG_EXTENDED;
    if ((flags & SL_RE_ICASE) || x.icase) cf |= REG_ICASE;
    if (flags & SL_RE_NOSUB) cf |= REG_NOSUB;
    int rc = regcomp(&rx->re, x.p, cf);
    free(x.p);
    if (rc) {
        char msg[128];
        regerror(rc, &rx->re, msg, sizeof msg);
        regfree(&rx->re);
        if (rc == REG_ESPACE) return sl_err_set(err, SL_ENOMEM, "out of memory");
        return sl_err_set(err, SL_EFORMAT, "invalid regular expression '%.*s': %s",
                          (int)(pn > 80 ? 80 : pn), pat, msg);
    }
    if (rx->re.re_nsub > 63) {
        regfree(&rx->re);
        return sl_err_set(err, SL_EFORMAT,
                          "invalid regular expression '%.*s': too many groups",
                          (int)(pn > 80 ? 80 : pn), pat);
    }
    if (!(flags & (RE_SIMILAR | SL_RE_JAVA))) {
        int ng = (int)rx->re.re_nsub;
        x.ngroups = ng > SL_REGEX_MAX_GROUPS ? SL_REGEX_MAX_GROUPS : ng;
    }
    rx->ngroups = x.ngroups;
    memcpy(rx->gmap, x.gmap, sizeof rx->gmap);
    return 0;
}

int sl_regex_get(const char *pat, size_t pn, int flags, const sl_regex_t **out,
                 sl_err_t *err)
{
    rentry_t *victim = &rcache[0];
    for (int i = 0; i < REGEX_CACHE; i++) {
        rentry_t *e = &rcache[i];
        if (e->pat && e->pn == pn && e->flags == flags && memcmp(e->pat, pat, pn) == 0) {
            e->stamp = ++rclock;
            *out = &e->rx;
            return 0;
        }
        if (!e->pat) {
            if (victim->pat) victim = e;
        } else if (victim->pat && e->stamp < victim->stamp) {
            victim = e;
        }
    }
    char *key = malloc(pn + 1);
    if (!key) return sl_err_set(err, SL_ENOMEM, "out of memory");
    memcpy(key, pat, pn);
    key[pn] = '\0';
    sl_regex_t rx;
    int rc = regex_compile(pat, pn, flags, &rx, err);
    if (rc) {
        free(key);
        return rc;
    }
    if (victim->pat) {
        regfree(&victim->rx.re);
        free(victim->pat);
    }
    victim->pat = key;
    victim->pn = pn;
    victim->flags = flags;
    victim->stamp = ++rclock;
    victim->rx = rx;
    *out = &victim->rx;
    return 0;
}

int sl_regex_find(const sl_regex_t *re, const char *s, size_t n, size_t from,
                  regmatch_t *m, size_t nm)
{
    regmatch_t pm[64];
    size_t np = re->re.re_nsub + 1;
    if (np > 64) np = 64;
    pm[0].rm_so = (regoff_t)from;
    pm[0].rm_eo = (regoff_t)n;
    int ef = REG_STARTEND | (from > 0 ? REG_NOTBOL : 0);
    if (from > n) return 0;
    int rc = regexec(&re->re, s ? s : "", np, pm, ef);
    if (rc) return 0;
    for (size_t g = 0; g < nm; g++) {
        if ((int)g > re->ngroups || (size_t)re->gmap[g] >= np) {
            m[g].rm_so = m[g].rm_eo = -1;
        } else {
            m[g] = pm[re->gmap[g]];
        }
    }
    return 1;
}

/* ---- SIMILAR TO ---------------------------------------------------------------- */

int sl_similar_escape(const char *s, size_t n, const char *pat, size_t pn,
                      char escape, sl_err_t *err)
{
    const sl_regex_t *re;
    int flags = RE_SIMILAR | SL_RE_NOSUB | ((unsigned char)escape << 8);
    int rc = sl_regex_get(pat, pn, flags, &re, err);
    if (rc) return rc;
    return sl_regex_find(re, s, n, 0, NULL, 0);
}

int sl_similar(const char *s, size_t n, const char *pat, size_t pn,
               sl_err_t *err)
{
    return sl_similar_escape(s, n, pat, pn, 0, err);
}
