/* decimal.h - exact DECIMAL(p, s) values and Flink's decimal type rules.
 *
 * A value is an unscaled signed 128-bit integer with its precision p (1..38)
 * and scale s (0..p): the number is unscaled / 10^s and always satisfies
 * |unscaled| <= 10^p - 1. Rows may store just the unscaled integer and keep
 * (p, s) in the schema; sl_decimal_make rebuilds a value from the parts.
 *
 * Semantics follow Flink SQL:
 *   - Rounding is HALF_UP (halves away from zero, so -1.005 -> -1.01) when a
 *     value is parsed, rescaled or computed into a smaller scale.
 *   - Result types of + - * / % SUM AVG ROUND come from the sl_decimal_type_*
 *     functions, which mirror Flink's LogicalTypeMerging (including its
 *     adjustPrecisionScale: past 38 digits, scale is given up to keep integer
 *     digits, but never below min(s, 6)).
 *   - Arithmetic is computed exactly (256-bit intermediates where 128 bits do
 *     not suffice) and rounded once to the result scale. Flink rounds a
 *     quotient twice (to 38 significant digits, then to the scale); sluice's
 *     single rounding can differ from Flink in the last digit in rare cases.
 *   - A result that does not fit the result precision is -SL_EOVERFLOW (Flink
 *     yields NULL there); never a wrap. Division or modulo by zero is
 *     -SL_EDIVZERO.
 *
 * All functions are pure: no allocation, no global state, thread-safe.
 * Functions taking (p, s) return -SL_EINVAL for an invalid type.
 */
#ifndef SL_UTIL_DECIMAL_H
#define SL_UTIL_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define SL_DECIMAL_MAX_PRECISION 38
#define SL_DECIMAL_MIN_ADJUSTED_SCALE 6   /* Flink's MINIMUM_ADJUSTED_SCALE */
/* Buffer size that holds any formatted value with its NUL:
 * "-0." + 38 digits + NUL = 42. */
#define SL_DECIMAL_STRLEN 48

__extension__ typedef __int128 sl_int128_t;

typedef struct sl_decimal {
    sl_int128_t unscaled;   /* value * 10^scale */
    uint8_t precision;      /* total digits, 1..38 */
    uint8_t scale;          /* digits after the point, 0..precision */
} sl_decimal_t;

/* ---- types --------------------------------------------------------------- */

/* 1 when 1 <= p <= 38 and 0 <= s <= p. */
int sl_decimal_type_valid(int p, int s);

/* Result types (Flink LogicalTypeMerging). Inputs must be valid types; the
 * outputs always are.
 *   add/sub: s = max(s1,s2), p = max(p1-s1, p2-s2) + s + 1
 *   mul:     s = s1 + s2,    p = p1 + p2 + 1
 *   div:     s = max(6, s1 + p2 + 1), p = p1 - s1 + s2 + s
 *   mod:     s = max(s1,s2), p = min(p1-s1, p2-s2) + s
 * each then adjusted: if p > 38, p = 38 and s = max(38 - (p - s), min(s, 6)).
 *   sum:     (38, s)
 *   avg:     div(38, s, 20, 0), i.e. (38, max(6, s))
 *   round:   ROUND(x, r): r >= s: (p, s); r < 0: (min(38, 1+p-s), 0);
 *            else (1+p-s+r, r)
 *   common:  least restrictive type of the two (UNION, CASE, IN, =):
 *            d = min(38, max(p1-s1, p2-s2)), s = min(max(s1,s2), 38-d),
 *            p = d + s */
void sl_decimal_type_add(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_decimal_type_sub(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_decimal_type_mul(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_decimal_type_div(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_decimal_type_mod(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_decimal_type_sum(int p1, int s1, int *p, int *s);
void sl_decimal_type_avg(int p1, int s1, int *p, int *s);
void sl_decimal_type_round(int p1, int s1, int r, int *p, int *s);
void sl_decimal_type_common(int p1, int s1, int p2, int s2, int *p, int *s);
/* Flink's adjustPrecisionScale on an unbounded (p, s): for callers that
 * derive their own intermediate types. */
void sl_decimal_type_adjust(int p, int s, int *out_p, int *out_s);

/* ---- construction and conversion ---------------------------------------- */

/* Value with the given unscaled integer and type. -SL_EINVAL (bad type) or
 * -SL_EOVERFLOW (|unscaled| > 10^p - 1). */
int sl_decimal_make(sl_int128_t unscaled, int p, int s, sl_decimal_t *out);

/* Parses text of n bytes as DECIMAL(p, s): [+-]digits[.digits][(e|E)[+-]digits]
 * with digits on at least one side of the point ("1.", ".5", "1e3",
 * "-123.45E-2"). Leading and trailing ASCII whitespace is trimmed, as Flink's
 * CAST(str AS DECIMAL) does. Extra fractional digits are rounded HALF_UP;
 * any number of digits and any exponent are accepted as long as the rounded
 * value fits. Returns 0, -SL_EFORMAT (not a number, empty), -SL_EOVERFLOW
 * (does not fit p digits) or -SL_EINVAL (bad type). */
int sl_decimal_parse(const char *text, size_t n, int p, int s,
                     sl_decimal_t *out);

/* Writes the exact text into buf: an optional '-', at least one integer digit,
 * and when s > 0 a '.' and exactly s fractional digits: DECIMAL(11,2) 10 is
 * "10.00", zero is "0.00", -0.5 is "-0.50", DECIMAL(5,0) 7 is "7". Returns the
 * length (excluding the NUL), or -SL_ERANGE if cap is too small (buf then
 * holds "" when cap > 0). SL_DECIMAL_STRLEN is always enough. */
int sl_decimal_format(const sl_decimal_t *d, char *buf, size_t cap);

/* v as DECIMAL(p, s). -SL_EOVERFLOW if v has more than p - s integer
 * digits. */
int sl_decimal_from_int64(int64_t v, int p, int s, sl_decimal_t *out);
/* Integer part, truncated toward zero (as CAST(d AS BIGINT) in Flink).
 * -SL_EOVERFLOW if it does not fit int64. */
int sl_decimal_to_int64(const sl_decimal_t *d, int64_t *out);
/* v as DECIMAL(p, s), taking the shortest decimal text that round-trips to v
 * (as Java's BigDecimal.valueOf(double) does) and rounding it HALF_UP.
 * -SL_EINVAL for NaN or infinity, -SL_EOVERFLOW if it does not fit. */
int sl_decimal_from_double(double v, int p, int s, sl_decimal_t *out);
/* The double nearest to the exact value (correctly rounded). */
double sl_decimal_to_double(const sl_decimal_t *d);

/* d converted to DECIMAL(p, s), rounding HALF_UP when s < d->scale.
 * -SL_EOVERFLOW if it does not fit. out may alias d. */
int sl_decimal_rescale(const sl_decimal_t *d, int p, int s, sl_decimal_t *out);

/* -1, 0, 1 as a < b, a == b, a > b by numeric value, whatever the scales
 * (1.50 == 1.5). */
int sl_decimal_cmp(const sl_decimal_t *a, const sl_decimal_t *b);
/* -1, 0 or 1. */
int sl_decimal_sign(const sl_decimal_t *d);
/* -d and |d|, same type; cannot fail. out may alias d. */
void sl_decimal_neg(const sl_decimal_t *d, sl_decimal_t *out);
void sl_decimal_abs(const sl_decimal_t *d, sl_decimal_t *out);

/* ---- arithmetic ---------------------------------------------------------- */

/* a op b with the result type given by the matching sl_decimal_type_* rule.
 * Computed exactly, then rounded HALF_UP to the result scale. Modulo takes
 * the sign of the dividend (like Java's BigDecimal.remainder and SQL MOD).
 * Return 0, -SL_EOVERFLOW, or -SL_EDIVZERO (div, mod). out may alias a or b. */
int sl_decimal_add(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out);
int sl_decimal_sub(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out);
int sl_decimal_mul(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out);
int sl_decimal_div(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out);
int sl_decimal_mod(const sl_decimal_t *a, const sl_decimal_t *b, sl_decimal_t *out);

/* The same with an explicit result type DECIMAL(p, s) (e.g. a SUM
 * accumulator, or AVG's sum / count with count as DECIMAL(20, 0)). */
int sl_decimal_add_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out);
int sl_decimal_sub_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out);
int sl_decimal_mul_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out);
int sl_decimal_div_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out);
int sl_decimal_mod_as(const sl_decimal_t *a, const sl_decimal_t *b, int p,
                      int s, sl_decimal_t *out);

/* SQL ROUND(d, r), HALF_UP, r may be negative (ROUND(1250, -2) = 1300);
 * result type from sl_decimal_type_round. -SL_EOVERFLOW is possible only
 * when the type is capped at 38 digits. */
int sl_decimal_round(const sl_decimal_t *d, int r, sl_decimal_t *out);

#endif
