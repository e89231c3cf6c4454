/* decimal.c - exact DECIMAL(p, s) arithmetic; see decimal.h.
 *
 * Values are 128-bit unscaled integers below 10^38 in magnitude. Sums and
 * products of two such values, aligned to a common scale, stay below 10^76,
 * so the slow paths work on unsigned 256-bit magnitudes (four 64-bit limbs)
 * and round once at the end; division needs no wide dividend because it
 * produces the quotient one decimal digit at a time. The common cases (same
 * scales, products that fit 128 bits) take 128-bit fast paths.
 */
#include "util/decimal.h"
#include "util/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

#define E19 10000000000000000000ULL
#define MAXP SL_DECIMAL_MAX_PRECISION

/* 10^0 .. 10^38 */
static const u128 POW10[39] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
    10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL, (u128)E19,
    (u128)E19 * 10ULL, (u128)E19 * 100ULL, (u128)E19 * 1000ULL,
    (u128)E19 * 10000ULL, (u128)E19 * 100000ULL, (u128)E19 * 1000000ULL,
    (u128)E19 * 10000000ULL, (u128)E19 * 100000000ULL,
    (u128)E19 * 1000000000ULL, (u128)E19 * 10000000000ULL,
    (u128)E19 * 100000000000ULL, (u128)E19 * 1000000000000ULL,
    (u128)E19 * 10000000000000ULL, (u128)E19 * 100000000000000ULL,
    (u128)E19 * 1000000000000000ULL, (u128)E19 * 10000000000000000ULL,
    (u128)E19 * 100000000000000000ULL, (u128)E19 * 1000000000000000000ULL,
    (u128)E19 * E19,
};

static inline u128 magnitude(i128 v)
{
    return v < 0 ? (u128)0 - (u128)v : (u128)v;
}

static inline int imax(int a, int b) { return a > b ? a : b; }
static inline int imin(int a, int b) { return a < b ? a : b; }

/* ---- 256-bit unsigned magnitudes ---------------------------------------- */

typedef struct u256 {
    uint64_t w[4];      /* little-endian limbs */
} u256;

static inline u256 u256_of(u128 x)
{
    u256 r = {{(uint64_t)x, (uint64_t)(x >> 64), 0, 0}};
    return r;
}

static inline int u256_fits128(const u256 *a)
{
    return a->w[2] == 0 && a->w[3] == 0;
}

static inline u128 u256_low(const u256 *a)
{
    return ((u128)a->w[1] << 64) | a->w[0];
}

/* Full 128 x 128 -> 256-bit product. */
static u256 u256_mul(u128 a, u128 b)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1;
    u128 p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;   /* < 3 * 2^64 */
    u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    u256 r = {{(uint64_t)p00, (uint64_t)mid, (uint64_t)hi, (uint64_t)(hi >> 64)}};
    return r;
}

static void u256_add(u256 *r, const u256 *a, const u256 *b)
{
    unsigned carry = 0;
    for (int i = 0; i < 4; i++) {
        u128 t = (u128)a->w[i] + b->w[i] + carry;
        r->w[i] = (uint64_t)t;
        carry = (unsigned)(t >> 64);
    }
}

/* r = a - b; requires a >= b. */
static void u256_sub(u256 *r, const u256 *a, const u256 *b)
{
    unsigned borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a->w[i], y = b->w[i];
        uint64_t d = x - y - borrow;
        borrow = (x < y) || (x == y && borrow);
        r->w[i] = d;
    }
}

static int u256_cmp(const u256 *a, const u256 *b)
{
    for (int i = 3; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* q = a / d, returns a % d. q may alias a. */
static uint64_t u256_divmod64(u256 *q, const u256 *a, uint64_t d)
{
    u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
        u128 cur = (rem << 64) | a->w[i];
        q->w[i] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    return (uint64_t)rem;
}

static void u256_inc(u256 *a)
{
    for (int i = 0; i < 4; i++)
        if (++a->w[i] != 0) break;
}

static inline int u256_bit(const u256 *a, int i)
{
    return (int)((a->w[i >> 6] >> (i & 63)) & 1);
}

static void u256_shl1(u256 *a, int bit)
{
    for (int i = 3; i > 0; i--) a->w[i] = (a->w[i] << 1) | (a->w[i - 1] >> 63);
    a->w[0] = (a->w[0] << 1) | (uint64_t)bit;
}

/* a mod b for b != 0, by shift-and-subtract (only used when operands exceed
 * 128 bits; b < 2^255 so the shift cannot overflow). */
static u256 u256_mod(const u256 *a, const u256 *b)
{
    if (u256_cmp(a, b) < 0) return *a;
    u256 r = {{0, 0, 0, 0}};
    for (int i = 255; i >= 0; i--) {
        u256_shl1(&r, u256_bit(a, i));
        if (u256_cmp(&r, b) >= 0) u256_sub(&r, &r, b);
    }
    return r;
}

/* x = round_half_up(x / 10^k), k >= 0. HALF_UP needs only the first dropped
 * digit: floor-divide by 10^(k-1), then the last division's remainder is
 * that digit. */
static void u256_div_pow10_round(u256 *x, int k)
{
    if (k <= 0) return;
    if (u256_fits128(x)) {
        u128 v = u256_low(x);
        if (k - 1 > MAXP) {
            *x = u256_of(0);   /* v < 2^128 < 10^39 */
            return;
        }
        v /= POW10[k - 1];
        unsigned digit = (unsigned)(v % 10);
        v /= 10;
        if (digit >= 5) v++;
        *x = u256_of(v);
        return;
    }
    for (int rest = k - 1; rest > 0;) {
        int c = rest > 19 ? 19 : rest;
        u256_divmod64(x, x, (uint64_t)POW10[c]);
        rest -= c;
    }
    if (u256_divmod64(x, x, 10) >= 5) u256_inc(x);
}

/* ---- types --------------------------------------------------------------- */

int sl_decimal_type_valid(int p, int s)
{
    return p >= 1 && p <= MAXP && s >= 0 && s <= p;
}

void sl_decimal_type_adjust(int p, int s, int *out_p, int *out_s)
{
    if (p <= MAXP) {
        *out_p = p;
        *out_s = s;
        return;
    }
    int digits = p - s;
    int min_scale = imin(s, SL_DECIMAL_MIN_ADJUSTED_SCALE);
    *out_p = MAXP;
    *out_s = imax(MAXP - digits, min_scale);
}

void sl_decimal_type_add(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = imax(s1, s2);
    int prec = imax(p1 - s1, p2 - s2) + scale + 1;
    sl_decimal_type_adjust(prec, scale, p, s);
}

void sl_decimal_type_sub(int p1, int s1, int p2, int s2, int *p, int *s)
{
    sl_decimal_type_add(p1, s1, p2, s2, p, s);
}

void sl_decimal_type_mul(int p1, int s1, int p2, int s2, int *p, int *s)
{
    sl_decimal_type_adjust(p1 + p2 + 1, s1 + s2, p, s);
}

void sl_decimal_type_div(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = imax(SL_DECIMAL_MIN_ADJUSTED_SCALE, s1 + p2 + 1);
    int prec = p1 - s1 + s2 + scale;
    sl_decimal_type_adjust(prec, scale, p, s);
}

void sl_decimal_type_mod(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = imax(s1, s2);
    int prec = imin(p1 - s1, p2 - s2) + scale;
    sl_decimal_type_adjust(prec, scale, p, s);
}

void sl_decimal_type_sum(int p1, int s1, int *p, int *s)
{
    (void)p1;
    *p = MAXP;
    *s = s1;
}

void sl_decimal_type_avg(int p1, int s1, int *p, int *s)
{
    (void)p1;
    sl_decimal_type_div(MAXP, s1, 20, 0, p, s);
}

void sl_decimal_type_round(int p1, int s1, int r, int *p, int *s)
{
    if (r >= s1) {
        *p = p1;
        *s = s1;
    } else if (r < 0) {
        *p = imin(MAXP, 1 + p1 - s1);
        *s = 0;
    } else {
        *p = 1 + p1 - s1 + r;
        *s = r;
    }
}

void sl_decimal_type_common(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int d = imin(imax(p1 - s1, p2 - s2), MAXP);
    int scale = imin(imax(s1, s2), MAXP - d);
    *p = d + scale;
    *s = scale;
}

/* ---- construction -------------------------------------------------------- */

static inline void set(sl_decimal_t *out, u128 mag, int neg, int p, int s)
{
    out->unscaled = neg ? -(i128)mag : (i128)mag;
    out->precision = (uint8_t)p;
    out->scale = (uint8_t)s;
}

/* Stores mag (at scale `from`) as DECIMAL(p, s), rounding HALF_UP or scaling
 * up as needed. The type must already be valid. */
static int finish(u256 mag, int neg, int from, int p, int s, sl_decimal_t *out)
{
    if (from > s) u256_div_pow10_round(&mag, from - s);
    if (!u256_fits128(&mag)) return -SL_EOVERFLOW;
    u128 m = u256_low(&mag);
    if (from < s && m != 0) {
        if (s - from > MAXP || __builtin_mul_overflow(m, POW10[s - from], &m))
            return -SL_EOVERFLOW;
    }
    if (m >= POW10[p]) return -SL_EOVERFLOW;
    set(out, m, neg && m != 0, p, s);
    return 0;
}

int sl_decimal_make(sl_int128_t unscaled, int p, int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    if (magnitude(unscaled) >= POW10[p]) return -SL_EOVERFLOW;
    out->unscaled = unscaled;
    out->precision = (uint8_t)p;
    out->scale = (uint8_t)s;
    return 0;
}

static inline int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static inline int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int sl_decimal_parse(const char *text, size_t n, int p, int s,
                     sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    size_t i = 0;
    while (i < n && is_space(text[i])) i++;
    while (n > i && is_space(text[n - 1])) n--;

    int neg = 0;
    if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    size_t ib = i;
    while (i < n && is_digit(text[i])) i++;
    size_t ni = i - ib;                 /* integer digits at text[ib..] */
    size_t fb = i, nf = 0;              /* fraction digits at text[fb..] */
    if (i < n && text[i] == '.') {
        fb = ++i;
        while (i < n && is_digit(text[i])) i++;
        nf = i - fb;
    }
    if (ni + nf == 0) return -SL_EFORMAT;
    int64_t exp = 0;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
        if (i >= n || !is_digit(text[i])) return -SL_EFORMAT;
        while (i < n && is_digit(text[i])) {
            if (exp < 1000000000) exp = exp * 10 + (text[i] - '0');
            i++;
        }
        if (eneg) exp = -exp;
    }
    if (i != n) return -SL_EFORMAT;

    /* The digits T = int ++ frac form the integer D; value = D * 10^x with
     * x = exp - nf. Target unscaled = D * 10^k with k = x + s. */
    size_t nt = ni + nf, z = 0;
#define DIGIT(j) ((j) < ni ? text[ib + (j)] : text[fb + (j) - ni])
    while (z < nt && DIGIT(z) == '0') z++;
    if (z == nt) {
        set(out, 0, 0, p, s);
        return 0;
    }
    int64_t nd = (int64_t)(nt - z);              /* significant digits */
    int64_t k = exp - (int64_t)nf + s;
    int64_t kept = nd + k;                       /* digits left of scale */
    if (kept > p) return -SL_EOVERFLOW;
    u128 m = 0;
    if (k >= 0) {
        for (size_t j = z; j < nt; j++) m = m * 10 + (unsigned)(DIGIT(j) - '0');
        m *= POW10[k];                           /* nd + k <= p <= 38 */
    } else {
        for (int64_t j = 0; j < kept; j++)
            m = m * 10 + (unsigned)(DIGIT(z + (size_t)j) - '0');
        if (kept >= 0 && DIGIT(z + (size_t)kept) >= '5') m++;
        if (m >= POW10[p]) return -SL_EOVERFLOW;
    }
#undef DIGIT
    set(out, m, neg && m != 0, p, s);
    return 0;
}

/* Decimal digits of x, most significant first, no leading zeros ("0" for
 * 0). Returns the count (<= 39). */
static int u128_digits(u128 x, char *out)
{
    char tmp[40];
    int n = 0;
    while (x >= E19) {
        uint64_t lo = (uint64_t)(x % E19);
        x /= E19;
        for (int i = 0; i < 19; i++) {
            tmp[n++] = (char)('0' + lo % 10);
            lo /= 10;
        }
    }
    uint64_t y = (uint64_t)x;
    do {
        tmp[n++] = (char)('0' + y % 10);
        y /= 10;
    } while (y);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

int sl_decimal_format(const sl_decimal_t *d, char *buf, size_t cap)
{
    char digits[40];
    int nd = u128_digits(magnitude(d->unscaled), digits);
    int s = d->scale;
    int intd = nd > s ? nd - s : 1;             /* integer digits printed */
    size_t len = (d->unscaled < 0) + (size_t)intd + (s ? 1 + (size_t)s : 0);
    if (len + 1 > cap) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    char *o = buf;
    if (d->unscaled < 0) *o++ = '-';
    if (nd > s) {
        memcpy(o, digits, (size_t)(nd - s));
        o += nd - s;
    } else {
        *o++ = '0';
    }
    if (s) {
        *o++ = '.';
        for (int i = nd; i < s; i++) *o++ = '0';          /* leading zeros */
        int from = nd > s ? nd - s : 0;
        memcpy(o, digits + from, (size_t)(nd - from));
        o += nd - from;
    }
    *o = '\0';
    return (int)len;
}

int sl_decimal_from_int64(int64_t v, int p, int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    u128 m = v < 0 ? (u128)0 - (u128)(i128)v : (u128)v;
    if (m && __builtin_mul_overflow(m, POW10[s], &m)) return -SL_EOVERFLOW;
    if (m >= POW10[p]) return -SL_EOVERFLOW;
    set(out, m, v < 0, p, s);
    return 0;
}

int sl_decimal_to_int64(const sl_decimal_t *d, int64_t *out)
{
    u128 m = magnitude(d->unscaled) / POW10[d->scale];
    if (d->unscaled < 0) {
        if (m > (u128)INT64_MAX + 1) return -SL_EOVERFLOW;
        *out = m == (u128)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
    } else {
        if (m > (u128)INT64_MAX) return -SL_EOVERFLOW;
        *out = (int64_t)m;
    }
    return 0;
}

double sl_decimal_to_double(const sl_decimal_t *d)
{
    u128 m = magnitude(d->unscaled);
    if (m < ((u128)1 << 53) && d->scale <= 19) {
        /* Both operands are exact doubles, so the one IEEE division is
         * correctly rounded. */
        double r = (double)(uint64_t)m / (double)(uint64_t)POW10[d->scale];
        return d->unscaled < 0 ? -r : r;
    }
    char buf[64];
    char *o = buf;
    if (d->unscaled < 0) *o++ = '-';
    o += u128_digits(m, o);
    snprintf(o, sizeof buf - (size_t)(o - buf), "e-%d", d->scale);
    /* No radix character, so the result does not depend on the locale. */
    return strtod(buf, NULL);
}

int sl_decimal_from_double(double v, int p, int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    if (!isfinite(v)) return -SL_EINVAL;
    char buf[40];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* %e writes the locale's radix character; the parser wants '.'. */
    for (char *c = buf; *c; c++)
        if (!is_digit(*c) && *c != '-' && *c != '+' && *c != 'e') *c = '.';
    return sl_decimal_parse(buf, strlen(buf), p, s, out);
}

int sl_decimal_rescale(const sl_decimal_t *d, int p, int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    return finish(u256_of(magnitude(d->unscaled)), d->unscaled < 0, d->scale,
                  p, s, out);
}

int sl_decimal_cmp(const sl_decimal_t *a, const sl_decimal_t *b)
{
    i128 x = a->unscaled, y = b->unscaled;
    if (a->scale < b->scale) {
        /* An overflowing scale-up exceeds 10^38 > |y|: the sign decides. */
        if (__builtin_mul_overflow(x, (i128)POW10[b->scale - a->scale], &x))
            return a->unscaled < 0 ? -1 : 1;
    } else if (a->scale > b->scale) {
        if (__builtin_mul_overflow(y, (i128)POW10[a->scale - b->scale], &y))
            return b->unscaled < 0 ? 1 : -1;
    }
    return (x > y) - (x < y);
}

int sl_decimal_sign(const sl_decimal_t *d)
{
    return (d->unscaled > 0) - (d->unscaled < 0);
}

void sl_decimal_neg(const sl_decimal_t *d, sl_decimal_t *out)
{
    *out = *d;
    out->unscaled = -d->unscaled;
}

void sl_decimal_abs(const sl_decimal_t *d, sl_decimal_t *out)
{
    *out = *d;
    if (d->unscaled < 0) out->unscaled = -d->unscaled;
}

/* ---- arithmetic ---------------------------------------------------------- */

/* a + b (negate_b: a - b) into DECIMAL(p, s). */
static int add_sub(const sl_decimal_t *a, const sl_decimal_t *b, int negate_b,
                   int p, int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    i128 y = negate_b ? -b->unscaled : b->unscaled;
    if (a->scale == b->scale) {
        i128 r;
        if (!__builtin_add_overflow(a->unscaled, y, &r)) {
            if (a->scale == s) {
                if (magnitude(r) >= POW10[p]) return -SL_EOVERFLOW;
                out->unscaled = r;
                out->precision = (uint8_t)p;
                out->scale = (uint8_t)s;
                return 0;
            }
            return finish(u256_of(magnitude(r)), r < 0, a->scale, p, s, out);
        }
    }
    int scale = imax(a->scale, b->scale);
    u256 x = u256_mul(magnitude(a->unscaled), POW10[scale - a->scale]);
    u256 z = u256_mul(magnitude(y), POW10[scale - b->scale]);
    int xneg = a->unscaled < 0, zneg = y < 0;
    u256 m;
    int neg;
    if (xneg == zneg) {
        u256_add(&m, &x, &z);            /* < 2 * 10^76 < 2^256 */
        neg = xneg;
    } else if (u256_cmp(&x, &z) >= 0) {
        u256_sub(&m, &x, &z);
        neg = xneg;
    } else {
        u256_sub(&m, &z, &x);
        neg = zneg;
    }
    return finish(m, neg, scale, p, s, out);
}

int sl_decimal_add_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out)
{
    return add_sub(a, b, 0, p, s, out);
}

int sl_decimal_sub_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out)
{
    return add_sub(a, b, 1, p, s, out);
}

int sl_decimal_mul_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    int scale = a->scale + b->scale;
    i128 r;
    if (scale == s && !__builtin_mul_overflow(a->unscaled, b->unscaled, &r)) {
        if (magnitude(r) >= POW10[p]) return -SL_EOVERFLOW;
        out->unscaled = r;
        out->precision = (uint8_t)p;
        out->scale = (uint8_t)s;
        return 0;
    }
    u256 m = u256_mul(magnitude(a->unscaled), magnitude(b->unscaled));
    return finish(m, (a->unscaled < 0) != (b->unscaled < 0), scale, p, s, out);
}

int sl_decimal_div_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    if (b->unscaled == 0) return -SL_EDIVZERO;
    u128 A = magnitude(a->unscaled), B = magnitude(b->unscaled);
    int neg = (a->unscaled < 0) != (b->unscaled < 0);
    u128 bound = POW10[p] - 1;
    /* quotient = round(A * 10^e / B), the unscaled result at scale s */
    int e = s + b->scale - a->scale;
    u128 q, r, n;
    if (e >= 0 && e <= MAXP && !__builtin_mul_overflow(A, POW10[e], &n)) {
        q = n / B;
        r = n % B;
        if (r >= B - r) q++;                     /* 2r >= B: HALF_UP */
    } else if (e >= 0) {
        /* Long division, one decimal digit per step; B < 2^127, so r + r
         * never overflows and 10r is accumulated by repeated addition. */
        q = A / B;
        r = A % B;
        if (q > bound) return -SL_EOVERFLOW;
        for (int i = 0; i < e; i++) {
            u128 acc = 0;
            unsigned digit = 0;
            for (int j = 0; j < 10; j++) {
                acc += r;
                if (acc >= B) {
                    acc -= B;
                    digit++;
                }
            }
            r = acc;
            if (q > bound / 10) return -SL_EOVERFLOW;
            q = q * 10 + digit;
            if (q > bound) return -SL_EOVERFLOW;
        }
        if (r >= B - r) q++;
    } else {
        /* round(A / (B * 10^k)): with q1 = A / B, the fraction dropped from
         * q1 / 10^k is at least one half exactly when q1 % 10^k >= 10^k / 2
         * (10^k is even and A % B only adds less than one unit). */
        int k = -e;
        u128 q1 = A / B;
        if (k > MAXP) {
            q = 0;                               /* q1 < 10^38 < 10^k / 2 */
        } else {
            q = q1 / POW10[k];
            if (q1 % POW10[k] >= POW10[k] / 2) q++;
        }
    }
    if (q > bound) return -SL_EOVERFLOW;
    set(out, q, neg && q != 0, p, s);
    return 0;
}

int sl_decimal_mod_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out)
{
    if (!sl_decimal_type_valid(p, s)) return -SL_EINVAL;
    if (b->unscaled == 0) return -SL_EDIVZERO;
    int scale = imax(a->scale, b->scale);
    u256 x = u256_mul(magnitude(a->unscaled), POW10[scale - a->scale]);
    u256 y = u256_mul(magnitude(b->unscaled), POW10[scale - b->scale]);
    u256 m;
    if (u256_fits128(&x) && u256_fits128(&y))
        m = u256_of(u256_low(&x) % u256_low(&y));
    else
        m = u256_mod(&x, &y);
    return finish(m, a->unscaled < 0, scale, p, s, out);
}

int sl_decimal_add(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_add(a->precision, a->scale, b->precision, b->scale, &p, &s);
    return add_sub(a, b, 0, p, s, out);
}

int sl_decimal_sub(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_sub(a->precision, a->scale, b->precision, b->scale, &p, &s);
    return add_sub(a, b, 1, p, s, out);
}

int sl_decimal_mul(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_mul(a->precision, a->scale, b->precision, b->scale, &p, &s);
    return sl_decimal_mul_as(a, b, p, s, out);
}

int sl_decimal_div(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_div(a->precision, a->scale, b->precision, b->scale, &p, &s);
    return sl_decimal_div_as(a, b, p, s, out);
}

int sl_decimal_mod(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_mod(a->precision, a->scale, b->precision, b->scale, &p, &s);
    return sl_decimal_mod_as(a, b, p, s, out);
}

int sl_decimal_round(const sl_decimal_t *d, int r, sl_decimal_t *out)
{
    int p, s;
    sl_decimal_type_round(d->precision, d->scale, r, &p, &s);
    if (r >= 0) return sl_decimal_rescale(d, p, s, out);
    /* Round to a multiple of 10^k at scale 0. */
    int64_t k = -(int64_t)r;
    u256 m = u256_of(magnitude(d->unscaled));
    if (k > MAXP + 1) {
        m = u256_of(0);                          /* |d| < 10^38 < 10^k / 2 */
    } else {
        u256_div_pow10_round(&m, d->scale + (int)k);
    }
    u128 q = u256_low(&m);
    if (q != 0 && (k > MAXP || __builtin_mul_overflow(q, POW10[k], &q)))
        return -SL_EOVERFLOW;
    if (q >= POW10[p]) return -SL_EOVERFLOW;
    set(out, q, d->unscaled < 0 && q != 0, p, s);
    return 0;
}
