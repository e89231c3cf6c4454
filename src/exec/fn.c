/* fn.c - the function registry, helpers shared by the fn_*.c files, and the
 * conditional and numeric built-ins.
 *
 * Numeric functions follow Flink's runtime (SqlFunctionUtils, Java's Math):
 * ROUND and TRUNCATE of a DOUBLE go through BigDecimal.valueOf (the shortest
 * decimal text of the double), so ROUND(2.675, 2) is 2.68 as in Flink; ABS
 * of the smallest integer wraps like Java; RAND(seed) and RAND_INTEGER
 * reproduce java.util.Random's sequences.
 */
#include "exec/fn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "exec/arith.h"
#include "util/decimal.h"

/* ---- registry --------------------------------------------------------------- */

static const sl_fn_entry_t *const tables[] = {
    sl_fn_core_table, sl_fn_string_table, sl_fn_time_table, sl_fn_coll_table,
};

sl_fn_impl_t sl_fn_find(const char *name, unsigned *flags)
{
    if (!name) return NULL;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const sl_fn_entry_t *e = tables[t]; e->name; e++) {
            if (strcasecmp(e->name, name) == 0) {
                if (flags) *flags = e->flags;
                return e->impl;
            }
        }
    }
    return NULL;
}

const char *sl_fn_name_at(int i)
{
    if (i < 0) return NULL;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const sl_fn_entry_t *e = tables[t]; e->name; e++)
            if (i-- == 0) return e->name;
    }
    return NULL;
}

int sl_fn_split_bucket(const sl_fn_ctx_t *c, const sl_value_t *args,
                       sl_value_t *out, sl_err_t *err)
{
    (void)err;
    out->null = false;
    out->i64 = args[0].null ? 0
             : (int64_t)(sl_value_hash(&args[0], c->argt[0], 0) % SL_SPLIT_BUCKETS);
    return 0;
}

static void rand_cleanup(void);

void sl_fn_thread_cleanup(void)
{
    sl_regex_cache_clear();
    sl_fn_tz_cleanup();
    rand_cleanup();
}

/* ---- shared helpers ----------------------------------------------------------- */

int sl_fn_oom(sl_err_t *err)
{
    return sl_err_set(err, SL_ENOMEM, "out of memory");
}

int sl_fn_set_str(const sl_fn_ctx_t *c, sl_value_t *out, const char *s,
                  size_t n, sl_err_t *err)
{
    char *p = sl_arena_alloc(c->arena, n + 1);
    if (!p) return sl_fn_oom(err);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    memset(out, 0, sizeof *out);
    out->str = p;
    out->len = (uint32_t)n;
    return 0;
}

size_t sl_utf8_len(unsigned char c)
{
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) return 2;
    if ((c & 0xf0) == 0xe0) return 3;
    if ((c & 0xf8) == 0xf0) return 4;
    return 1;
}

size_t sl_utf8_count(const char *s, size_t n)
{
    size_t i = 0, k = 0;
    while (i < n) {
        i += sl_utf8_len((unsigned char)s[i]);
        k++;
    }
    return k;
}

size_t sl_utf8_offset(const char *s, size_t n, size_t ci)
{
    size_t i = 0;
    while (ci > 0 && i < n) {
        i += sl_utf8_len((unsigned char)s[i]);
        ci--;
    }
    return i > n ? n : i;
}

double sl_fn_num_double(const sl_value_t *v, const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        return (double)v->i64;
    case SL_T_DECIMAL: {
        sl_decimal_t d = {v->dec, (uint8_t)(t->len > 0 && t->len <= 38 ? t->len : 38),
                          (uint8_t)(t->scale > 0 && t->scale <= 38 ? t->scale : 0)};
        return sl_decimal_to_double(&d);
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        return v->f64;
    case SL_T_BOOLEAN:
        return v->b ? 1 : 0;
    default:
        return 0;
    }
}

/* Java's (long) d: truncation, saturating, NaN -> 0. */
static int64_t d2l(double d)
{
    if (isnan(d)) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

int64_t sl_fn_num_int(const sl_value_t *v, const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_DECIMAL: {
        sl_decimal_t d = {v->dec, (uint8_t)(t->len > 0 && t->len <= 38 ? t->len : 38),
                          (uint8_t)(t->scale > 0 && t->scale <= 38 ? t->scale : 0)};
        int64_t x;
        if (sl_decimal_to_int64(&d, &x)) return v->dec < 0 ? INT64_MIN : INT64_MAX;
        return x;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        return d2l(v->f64);
    case SL_T_BOOLEAN:
        return v->b;
    default:
        return v->i64;
    }
}

/* v (of type vt) as a value of the result type. */
static int to_rt(const sl_fn_ctx_t *c, const sl_value_t *v, const sl_type_t *vt,
                 sl_value_t *out, sl_err_t *err)
{
    if (v->null || vt->id == SL_T_NULL) {
        *out = sl_value_null();
        return 0;
    }
    if (sl_type_equal(vt, c->rt)) {
        *out = *v;
        return 0;
    }
    return sl_value_cast(v, vt, out, c->rt, false, c->arena, err);
}

static int64_t wrap_to(int64_t v, int id)
{
    switch (id) {
    case SL_T_TINYINT: return (int8_t)(uint8_t)(uint64_t)v;
    case SL_T_SMALLINT: return (int16_t)(uint16_t)(uint64_t)v;
    case SL_T_INT: return (int32_t)(uint32_t)(uint64_t)v;
    default: return v;
    }
}

static bool is_int(const sl_type_t *t)
{
    return t->id >= SL_T_TINYINT && t->id <= SL_T_BIGINT;
}

static sl_decimal_t dec_of(const sl_value_t *v, const sl_type_t *t)
{
    sl_decimal_t d;
    d.unscaled = v->dec;
    d.precision = (uint8_t)(t->len > 0 && t->len <= 38 ? t->len : 38);
    d.scale = (uint8_t)(t->scale > 0 && t->scale <= 38 ? t->scale : 0);
    return d;
}

/* ---- conditional ---------------------------------------------------------------- */

static int fn_coalesce(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    for (int i = 0; i < c->nargs; i++)
        if (!a[i].null) return to_rt(c, &a[i], c->argt[i], out, err);
    *out = sl_value_null();
    return 0;
}

static int fn_if(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                 sl_err_t *err)
{
    int k = !a[0].null && a[0].b ? 1 : 2;
    return to_rt(c, &a[k], c->argt[k], out, err);
}

static int fn_ifnull(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    int k = a[0].null ? 1 : 0;
    return to_rt(c, &a[k], c->argt[k], out, err);
}

static int fn_nullif(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    if (a[0].null) {
        *out = sl_value_null();
        return 0;
    }
    if (!a[1].null && sl_cmp_mixed(&a[0], c->argt[0], &a[1], c->argt[1]) == 0) {
        *out = sl_value_null();
        return 0;
    }
    return to_rt(c, &a[0], c->argt[0], out, err);
}

static int greatest_least(const sl_fn_ctx_t *c, const sl_value_t *a,
                          sl_value_t *out, sl_err_t *err, int dir)
{
    sl_value_t best = sl_value_null();
    for (int i = 0; i < c->nargs; i++) {
        sl_value_t v;
        int rc = to_rt(c, &a[i], c->argt[i], &v, err);
        if (rc) return rc;
        if (v.null) {
            *out = sl_value_null();
            return 0;
        }
        if (best.null || sl_value_cmp(&v, &best, c->rt) * dir > 0) best = v;
    }
    *out = best;
    return 0;
}

static int fn_greatest(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    return greatest_least(c, a, out, err, 1);
}

static int fn_least(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    return greatest_least(c, a, out, err, -1);
}

static bool is_str(const sl_type_t *t)
{
    return t->id == SL_T_CHAR || t->id == SL_T_VARCHAR;
}

/* Decodes one UTF-8 code point at s[*i]; advances *i. */
static unsigned utf8_cp(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    size_t k = sl_utf8_len(c);
    if (*i + k > n) k = n - *i;
    unsigned cp = k == 1 ? c : k == 2 ? c & 0x1f : k == 3 ? c & 0x0f : c & 0x07;
    for (size_t j = 1; j < k; j++) cp = cp << 6 | ((unsigned char)s[*i + j] & 0x3f);
    *i += k;
    return cp;
}

/* Letters: ASCII, Latin-1 and the other alphabetic blocks (approximation of
 * Java's Character.isLetter for the common scripts). */
static bool cp_letter(unsigned cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
    if (cp < 0xc0) return cp == 0xaa || cp == 0xb5 || cp == 0xba;
    if (cp == 0xd7 || cp == 0xf7) return false;
    if (cp < 0x2c0) return true;                 /* Latin extended */
    if (cp >= 0x370 && cp <= 0x3ff) return cp != 0x375 && cp != 0x37e && cp != 0x384 &&
                                           cp != 0x385 && cp != 0x387;
    if (cp >= 0x400 && cp <= 0x52f) return !(cp >= 0x482 && cp <= 0x489);
    if (cp >= 0x4e00 && cp <= 0x9fff) return true; /* CJK */
    if (cp >= 0x3040 && cp <= 0x30ff) return cp != 0x30a0 && cp != 0x30fb;
    if (cp >= 0xac00 && cp <= 0xd7a3) return true; /* Hangul */
    return false;
}

static bool cp_digit(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
           (cp >= 0xff10 && cp <= 0xff19);
}

static int fn_is_alpha(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    (void)err;
    bool r = false;
    if (!a[0].null && is_str(c->argt[0]) && a[0].len > 0) {
        r = true;
        for (size_t i = 0; i < a[0].len && r;)
            r = cp_letter(utf8_cp(a[0].str, a[0].len, &i));
    }
    out->b = r;
    return 0;
}

static int fn_is_digit(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    (void)err;
    bool r = false;
    if (!a[0].null) {
        if (is_int(c->argt[0])) {
            r = true;
        } else if (is_str(c->argt[0]) && a[0].len > 0) {
            r = true;
            for (size_t i = 0; i < a[0].len && r;)
                r = cp_digit(utf8_cp(a[0].str, a[0].len, &i));
        }
    }
    out->b = r;
    return 0;
}

static int fn_is_decimal(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    (void)err;
    bool r = false;
    if (!a[0].null) {
        if (sl_type_is_numeric(c->argt[0])) {
            r = true;
        } else if (is_str(c->argt[0]) && a[0].len > 0) {
            sl_value_t d;
            r = sl_value_cast(&a[0], c->argt[0], &d, &sl_type_double, false, NULL,
                              NULL) == 0;
        }
    }
    out->b = r;
    return 0;
}

static int fn_typeof(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    (void)a;
    const char *s = sl_type_str(c->arena, c->argt[0]);
    if (!s) return sl_fn_oom(err);
    out->str = s;
    out->len = (uint32_t)strlen(s);
    return 0;
}

/* ---- numeric ---------------------------------------------------------------------- */

static int fn_abs(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    (void)err;
    const sl_type_t *t = c->argt[0];
    switch (t->id) {
    case SL_T_DECIMAL:
        out->dec = a[0].dec < 0 ? -a[0].dec : a[0].dec;
        break;
    case SL_T_FLOAT: case SL_T_DOUBLE:
        out->f64 = fabs(a[0].f64);
        break;
    default:
        out->i64 = a[0].i64 < 0 ? wrap_to((int64_t)(0 - (uint64_t)a[0].i64), c->rt->id)
                                : a[0].i64;
        break;
    }
    return 0;
}

static int fn_mod(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    return sl_arith(SL_OP_MOD, &a[0], c->argt[0], &a[1], c->argt[1], out, c->rt, err);
}

static const __int128 P10[39] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL,
    100000000000000000LL, 1000000000000000000LL,
    (__int128)1000000000000000000LL * 10,
    (__int128)1000000000000000000LL * 100,
    (__int128)1000000000000000000LL * 1000,
    (__int128)1000000000000000000LL * 10000,
    (__int128)1000000000000000000LL * 100000,
    (__int128)1000000000000000000LL * 1000000,
    (__int128)1000000000000000000LL * 10000000,
    (__int128)1000000000000000000LL * 100000000,
    (__int128)1000000000000000000LL * 1000000000,
    (__int128)1000000000000000000LL * 10000000000LL,
    (__int128)1000000000000000000LL * 100000000000LL,
    (__int128)1000000000000000000LL * 1000000000000LL,
    (__int128)1000000000000000000LL * 10000000000000LL,
    (__int128)1000000000000000000LL * 100000000000000LL,
    (__int128)1000000000000000000LL * 1000000000000000LL,
    (__int128)1000000000000000000LL * 10000000000000000LL,
    (__int128)1000000000000000000LL * 100000000000000000LL,
    (__int128)1000000000000000000LL * 1000000000000000000LL,
    (__int128)1000000000000000000LL * 1000000000000000000LL * 10,
    (__int128)1000000000000000000LL * 1000000000000000000LL * 100,
};

/* x rounded (half_up) or truncated (toward zero) to a multiple of 10^k. */
static __int128 round_to_pow10(__int128 x, int k, bool half_up)
{
    if (k <= 0) return x;
    if (k > 38) return 0;
    __int128 p = P10[k];
    __int128 q = x / p, r = x % p;
    if (half_up) {
        __int128 ar = r < 0 ? -r : r;
        if (2 * ar >= p) q += x < 0 ? -1 : 1;
    }
    return q * p;
}

/* BigDecimal.valueOf(d) rounded to r fractional digits and back to double
 * (HALF_UP or DOWN), as Flink's sround / struncate. */
static double round_double(double d, int r, bool half_up)
{
    if (!isfinite(d) || d == 0) return d;
    char buf[SL_DOUBLE_STRLEN];
    if (sl_double_format(d, false, buf, sizeof buf) < 0) return d;
    /* digits and the exponent of the first digit */
    char dig[40];
    int nd = 0, e10 = 0, point = -1;
    bool neg = buf[0] == '-';
    const char *p = buf + neg;
    for (; *p && *p != 'E'; p++) {
        if (*p == '.') point = nd;
        else dig[nd++] = *p;
    }
    if (point < 0) point = nd;
    if (*p == 'E') e10 = atoi(p + 1);
    /* value = 0.dig * 10^(point + e10) */
    int ipos = point + e10;          /* digits before the decimal point */
    int keep = ipos + r;             /* digits to keep */
    if (keep >= nd) return d;
    bool up = false;
    if (keep < 0) {
        keep = 0;
        up = false;
    } else if (half_up) {
        up = dig[keep] >= '5';
    }
    /* rebuild "0.xxxxEy" with `keep` digits, possibly incremented */
    char out[64];
    int k = keep;
    char digs[41];
    memcpy(digs, dig, (size_t)k);
    if (up) {
        int i = k - 1;
        while (i >= 0 && digs[i] == '9') digs[i--] = '0';
        if (i >= 0) {
            digs[i]++;
        } else {
            memmove(digs + 1, digs, (size_t)k);
            digs[0] = '1';
            k++;
            ipos++;
        }
    }
    bool zero = true;
    for (int i = 0; i < k; i++) zero = zero && digs[i] == '0';
    if (zero) return 0.0;   /* BigDecimal has no negative zero */
    digs[k] = '\0';
    snprintf(out, sizeof out, "%s0.%se%d", neg ? "-" : "", digs, ipos);
    /* parsed in the C locale by the cast (strtod would use the current one) */
    sl_value_t t = {0}, res;
    t.str = out;
    t.len = (uint32_t)strlen(out);
    if (sl_value_cast(&t, &sl_type_string, &res, &sl_type_double, false, NULL, NULL)) return d;
    return res.f64;
}

static int round_trunc(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err, bool half_up)
{
    const sl_type_t *t = c->argt[0];
    int64_t r64 = c->nargs > 1 ? a[1].i64 : 0;
    int r = r64 > 60 ? 60 : r64 < -60 ? -60 : (int)r64;
    switch (t->id) {
    case SL_T_DECIMAL: {
        sl_decimal_t d = dec_of(&a[0], t), res;
        int s = d.scale;
        __int128 u = d.unscaled;
        int rs;   /* scale of u after rounding */
        if (r >= s) {
            rs = s;
        } else if (r >= 0) {
            u = round_to_pow10(u, s - r, half_up) / P10[s - r];
            rs = r;
        } else {
            /* to a multiple of 10^-r, at scale 0 */
            u = round_to_pow10(u, s - r, half_up);
            u = s ? u / P10[s] : u;
            rs = 0;
        }
        sl_decimal_t tmp = {u, 38, (uint8_t)rs};
        int rc = sl_decimal_rescale(&tmp, c->rt->id == SL_T_DECIMAL ? c->rt->len : 38,
                                    c->rt->id == SL_T_DECIMAL ? c->rt->scale : rs, &res);
        if (rc)
            return sl_err_set(err, SL_EOVERFLOW, "%s result does not fit DECIMAL(%d, %d)",
                              half_up ? "ROUND" : "TRUNCATE", c->rt->len, c->rt->scale);
        out->dec = res.unscaled;
        return 0;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        double v = round_double(a[0].f64, r, half_up);
        out->f64 = c->rt->id == SL_T_FLOAT ? (double)(float)v : v;
        return 0;
    }
    default: {
        __int128 u = a[0].i64;
        if (r < 0) u = round_to_pow10(u, -r, half_up);
        out->i64 = wrap_to((int64_t)(uint64_t)(unsigned __int128)u, c->rt->id);
        return 0;
    }
    }
}

static int fn_round(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    return round_trunc(c, a, out, err, true);
}

static int fn_truncate(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    return round_trunc(c, a, out, err, false);
}

static int floor_ceil(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err, bool up)
{
    const sl_type_t *t = c->argt[0];
    if (c->nargs > 1) return sl_fn_floor_ceil_temporal(c, a, out, err, up);
    switch (t->id) {
    case SL_T_DECIMAL: {
        int s = t->scale;
        __int128 u = a[0].dec;
        if (s > 0) {
            __int128 p = P10[s];
            __int128 q = u / p, r = u % p;
            if (r != 0 && (up ? u > 0 : u < 0)) q += up ? 1 : -1;
            u = q;
        }
        sl_decimal_t tmp = {u, 38, 0}, res;
        int rs = c->rt->id == SL_T_DECIMAL ? c->rt->scale : 0;
        int rp = c->rt->id == SL_T_DECIMAL ? c->rt->len : 38;
        if (sl_decimal_rescale(&tmp, rp, rs, &res))
            return sl_err_set(err, SL_EOVERFLOW, "%s result does not fit DECIMAL(%d, %d)",
                              up ? "CEIL" : "FLOOR", rp, rs);
        out->dec = res.unscaled;
        return 0;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        out->f64 = up ? ceil(a[0].f64) : floor(a[0].f64);
        return 0;
    default:
        *out = a[0];
        return 0;
    }
}

static int fn_floor(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    return floor_ceil(c, a, out, err, false);
}

static int fn_ceil(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    return floor_ceil(c, a, out, err, true);
}

static double arg_d(const sl_fn_ctx_t *c, const sl_value_t *a, int i)
{
    return sl_fn_num_double(&a[i], c->argt[i]);
}

#define MATH1(NAME, EXPR)                                                      \
    static int NAME(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out, \
                    sl_err_t *err)                                             \
    {                                                                          \
        (void)err;                                                             \
        double x = arg_d(c, a, 0);                                             \
        out->f64 = (EXPR);                                                     \
        return 0;                                                              \
    }

MATH1(fn_sqrt, sqrt(x))
MATH1(fn_exp, exp(x))
MATH1(fn_ln, log(x))
MATH1(fn_log10, log10(x))
MATH1(fn_log2, log(x) / log(2))
MATH1(fn_sin, sin(x))
MATH1(fn_sinh, sinh(x))
MATH1(fn_cos, cos(x))
MATH1(fn_cosh, cosh(x))
MATH1(fn_tan, tan(x))
MATH1(fn_tanh, tanh(x))
MATH1(fn_cot, 1.0 / tan(x))
MATH1(fn_asin, asin(x))
MATH1(fn_acos, acos(x))
MATH1(fn_atan, atan(x))
MATH1(fn_degrees, x * 57.29577951308232)
MATH1(fn_radians, x * 0.017453292519943295)

static int fn_power(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)err;
    out->f64 = pow(arg_d(c, a, 0), arg_d(c, a, 1));
    return 0;
}

static int fn_atan2(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)err;
    out->f64 = atan2(arg_d(c, a, 0), arg_d(c, a, 1));
    return 0;
}

static int fn_log(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    (void)err;
    if (c->nargs == 1) out->f64 = log(arg_d(c, a, 0));
    else out->f64 = log(arg_d(c, a, 1)) / log(arg_d(c, a, 0));
    return 0;
}

static int fn_sign(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    (void)err;
    const sl_type_t *t = c->argt[0];
    switch (t->id) {
    case SL_T_DECIMAL: {
        int s = t->scale > 0 && t->scale <= 38 ? t->scale : 0;
        int sg = (a[0].dec > 0) - (a[0].dec < 0);
        /* DECIMAL(p, p) cannot hold 1: Flink's sign gives the signum at the
         * type's scale where it fits. */
        out->dec = t->len > s ? sg * P10[s] : 0;
        return 0;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        double x = a[0].f64;
        out->f64 = x > 0 ? 1.0 : x < 0 ? -1.0 : x;
        return 0;
    }
    default:
        out->i64 = (a[0].i64 > 0) - (a[0].i64 < 0);
        return 0;
    }
}

static int fn_pi(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                 sl_err_t *err)
{
    (void)c, (void)a, (void)err;
    out->f64 = M_PI;
    return 0;
}

static int fn_e(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                sl_err_t *err)
{
    (void)c, (void)a, (void)err;
    out->f64 = M_E;
    return 0;
}

/* ---- random ------------------------------------------------------------------------- */

/* java.util.Random */
#define JR_MULT 0x5DEECE66DULL
#define JR_MASK ((1ULL << 48) - 1)

static uint64_t jr_seed(int64_t seed)
{
    return ((uint64_t)seed ^ JR_MULT) & JR_MASK;
}

static int32_t jr_next(uint64_t *s, int bits)
{
    *s = (*s * JR_MULT + 0xBULL) & JR_MASK;
    return (int32_t)(uint32_t)(*s >> (48 - bits));
}

static double jr_double(uint64_t *s)
{
    int64_t hi = jr_next(s, 26), lo = jr_next(s, 27);
    return (double)((hi << 27) + lo) * 0x1.0p-53;
}

static int32_t jr_int(uint64_t *s, int32_t bound)
{
    int32_t r = jr_next(s, 31);
    int32_t m = bound - 1;
    if ((bound & m) == 0)
        return (int32_t)(((int64_t)bound * (int64_t)r) >> 31);
    for (int32_t u = r; (int32_t)((uint32_t)u - (uint32_t)(r = u % bound) + (uint32_t)m) < 0;
         u = jr_next(s, 31))
        ;
    return r;
}

/* Per call site generators for RAND(seed): java.util.Random created once
 * with the seed, as Flink's generated code does. */
#define RAND_SITES 32
typedef struct rsite {
    const void *call;
    int64_t seed;
    uint64_t state;
    bool used;
} rsite_t;
static __thread rsite_t rsites[RAND_SITES];
static __thread int rsite_next;
static __thread uint64_t xs[2];   /* xorshift128+ for unseeded RAND / UUID */

static void rand_cleanup(void)
{
    memset(rsites, 0, sizeof rsites);
    rsite_next = 0;
}

static uint64_t *site_state(const sl_fn_ctx_t *c, int64_t seed)
{
    for (int i = 0; i < RAND_SITES; i++)
        if (rsites[i].used && rsites[i].call == c->call && rsites[i].seed == seed)
            return &rsites[i].state;
    rsite_t *s = &rsites[rsite_next];
    rsite_next = (rsite_next + 1) % RAND_SITES;
    s->used = true;
    s->call = c->call;
    s->seed = seed;
    s->state = jr_seed(seed);
    return &s->state;
}

static uint64_t xs_next(void)
{
    if (!xs[0] && !xs[1]) {
        if (getrandom(xs, sizeof xs, GRND_NONBLOCK) != (ssize_t)sizeof xs) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            xs[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec;
            xs[1] = (uint64_t)(uintptr_t)&ts ^ 0xd1b54a32d192ed03ULL;
        }
        if (!xs[0] && !xs[1]) xs[0] = 1;
    }
    uint64_t s1 = xs[0];
    const uint64_t s0 = xs[1];
    xs[0] = s0;
    s1 ^= s1 << 23;
    xs[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return xs[1] + s0;
}

static int fn_rand(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    (void)err;
    if (c->nargs > 0 && !a[0].null) {
        out->f64 = jr_double(site_state(c, a[0].i64));
    } else {
        out->f64 = (double)(xs_next() >> 11) * 0x1.0p-53;
    }
    return 0;
}

static int fn_rand_integer(const sl_fn_ctx_t *c, const sl_value_t *a,
                           sl_value_t *out, sl_err_t *err)
{
    int bi = c->nargs > 1 ? 1 : 0;
    if (a[bi].null) {
        *out = sl_value_null();
        return 0;
    }
    int64_t bound = a[bi].i64;
    if (bound <= 0 || bound > INT32_MAX)
        return sl_err_set(err, SL_EINVAL, "RAND_INTEGER bound must be positive, got %lld",
                          (long long)bound);
    if (c->nargs > 1 && !a[0].null) {
        out->i64 = jr_int(site_state(c, a[0].i64), (int32_t)bound);
    } else {
        out->i64 = (int64_t)((xs_next() >> 33) % (uint64_t)bound);
    }
    return 0;
}

static int fn_uuid(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    (void)a;
    unsigned char b[16];
    uint64_t r1 = xs_next(), r2 = xs_next();
    memcpy(b, &r1, 8);
    memcpy(b + 8, &r2, 8);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char s[37];
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s[o++] = '-';
        s[o++] = hex[b[i] >> 4];
        s[o++] = hex[b[i] & 15];
    }
    return sl_fn_set_str(c, out, s, 36, err);
}

/* ---- BIN, HEX ------------------------------------------------------------------------- */

static int fn_bin(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    uint64_t v = (uint64_t)a[0].i64;
    char s[65];
    int n = 0;
    char tmp[64];
    do {
        tmp[n++] = (char)('0' + (v & 1));
        v >>= 1;
    } while (v);
    for (int i = 0; i < n; i++) s[i] = tmp[n - 1 - i];
    return sl_fn_set_str(c, out, s, (size_t)n, err);
}

static int fn_hex(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    static const char hex[] = "0123456789ABCDEF";
    if (is_int(c->argt[0])) {
        char s[17];
        int n = snprintf(s, sizeof s, "%llX", (unsigned long long)(uint64_t)a[0].i64);
        return sl_fn_set_str(c, out, s, (size_t)n, err);
    }
    size_t n = a[0].len;
    char *p = sl_arena_alloc(c->arena, 2 * n + 1);
    if (!p) return sl_fn_oom(err);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)a[0].str[i];
        p[2 * i] = hex[ch >> 4];
        p[2 * i + 1] = hex[ch & 15];
    }
    p[2 * n] = '\0';
    out->str = p;
    out->len = (uint32_t)(2 * n);
    return 0;
}

const sl_fn_entry_t sl_fn_core_table[] = {
    {"COALESCE", fn_coalesce, SL_FN_NULL_AWARE},
    {"IF", fn_if, SL_FN_NULL_AWARE},
    {"IFNULL", fn_ifnull, SL_FN_NULL_AWARE},
    {"NULLIF", fn_nullif, SL_FN_NULL_AWARE},
    {"GREATEST", fn_greatest, 0},
    {"LEAST", fn_least, 0},
    {"IS_ALPHA", fn_is_alpha, SL_FN_NULL_AWARE},
    {"IS_DECIMAL", fn_is_decimal, SL_FN_NULL_AWARE},
    {"IS_DIGIT", fn_is_digit, SL_FN_NULL_AWARE},
    {"TYPEOF", fn_typeof, SL_FN_NULL_AWARE},
    {"ABS", fn_abs, 0},
    {"MOD", fn_mod, 0},
    {"ROUND", fn_round, 0},
    {"TRUNCATE", fn_truncate, 0},
    {"FLOOR", fn_floor, 0},
    {"CEIL", fn_ceil, 0},
    {"CEILING", fn_ceil, 0},
    {"POWER", fn_power, 0},
    {"SQRT", fn_sqrt, 0},
    {"EXP", fn_exp, 0},
    {"LN", fn_ln, 0},
    {"LOG10", fn_log10, 0},
    {"LOG2", fn_log2, 0},
    {"LOG", fn_log, 0},
    {"SIN", fn_sin, 0},
    {"SINH", fn_sinh, 0},
    {"COS", fn_cos, 0},
    {"COSH", fn_cosh, 0},
    {"TAN", fn_tan, 0},
    {"TANH", fn_tanh, 0},
    {"COT", fn_cot, 0},
    {"ASIN", fn_asin, 0},
    {"ACOS", fn_acos, 0},
    {"ATAN", fn_atan, 0},
    {"ATAN2", fn_atan2, 0},
    {"DEGREES", fn_degrees, 0},
    {"RADIANS", fn_radians, 0},
    {"SIGN", fn_sign, 0},
    {"PI", fn_pi, 0},
    {"E", fn_e, 0},
    {"RAND", fn_rand, SL_FN_NULL_AWARE},
    {"RAND_INTEGER", fn_rand_integer, SL_FN_NULL_AWARE},
    {"UUID", fn_uuid, 0},
    {"BIN", fn_bin, 0},
    {"HEX", fn_hex, 0},
    {NULL, NULL, 0},
};
