/* check_decimal.c - unit tests for util/decimal: parsing, formatting,
 * conversions, Flink's result-type rules and exact arithmetic.
 *
 * Expected values of the arithmetic cases were computed with Python's
 * decimal module (200-digit context, ROUND_HALF_UP); the type-rule cases are
 * the ones in Flink's LogicalTypeMergingTest plus worked examples. */
#include "util/decimal.h"
#include "util/err.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* For hot loops: Check's ck_assert records every passing assertion (a write
 * per call), which makes hundreds of thousands of them slow. */
#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

#define MAX38 "99999999999999999999999999999999999999"   /* 38 nines */

static sl_decimal_t D(const char *text, int p, int s)
{
    sl_decimal_t d;
    int rc = sl_decimal_parse(text, strlen(text), p, s, &d);
    ck_assert_msg(rc == 0, "parse '%s' as (%d,%d): %s", text, p, s, sl_err_name(rc));
    return d;
}

static void assert_text(const sl_decimal_t *d, const char *want)
{
    char buf[SL_DECIMAL_STRLEN];
    int n = sl_decimal_format(d, buf, sizeof buf);
    ck_assert_int_ge(n, 0);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

static void assert_type(const sl_decimal_t *d, int p, int s)
{
    ck_assert_int_eq(d->precision, p);
    ck_assert_int_eq(d->scale, s);
}

/* ---- parse / format ------------------------------------------------------ */

static const struct parse_case {
    const char *text;
    int p, s;
    int rc;              /* expected return code */
    const char *want;    /* formatted result when rc == 0 */
} parse_cases[] = {
    {"-123.45", 5, 2, 0, "-123.45"},
    {"123.45", 5, 2, 0, "123.45"},
    {"+123.45", 5, 2, 0, "123.45"},
    {"10", 11, 2, 0, "10.00"},
    {"0", 3, 2, 0, "0.00"},
    {"-0", 3, 2, 0, "0.00"},
    {"-0.000", 3, 0, 0, "0"},
    {"7", 5, 0, 0, "7"},
    {"1e3", 4, 0, 0, "1000"},
    {"1E3", 4, 0, 0, "1000"},
    {"1e3", 3, 0, -SL_EOVERFLOW, NULL},
    {"1.5e-1", 2, 2, 0, "0.15"},
    {"-1.25E+1", 3, 1, 0, "-12.5"},
    {"125e-2", 3, 2, 0, "1.25"},
    {".5", 2, 1, 0, "0.5"},
    {"5.", 1, 0, 0, "5"},
    {"  12.5\t\n", 3, 1, 0, "12.5"},
    {"000000000000000000000000000000000000000000012.5", 3, 1, 0, "12.5"},
    /* HALF_UP rounding, away from zero on halves */
    {"1.005", 3, 2, 0, "1.01"},
    {"-1.005", 3, 2, 0, "-1.01"},
    {"1.004", 3, 2, 0, "1.00"},
    {"-1.0049999", 3, 2, 0, "-1.00"},
    {"12.5", 10, 0, 0, "13"},
    {"-12.5", 10, 0, 0, "-13"},
    {"0.5", 1, 0, 0, "1"},
    {"-0.5", 1, 0, 0, "-1"},
    {"-0.4", 1, 0, 0, "0"},
    {"9.995", 4, 2, 0, "10.00"},
    {"9.995", 3, 2, -SL_EOVERFLOW, NULL},       /* rounds up past p */
    {"9.994", 3, 2, 0, "9.99"},
    /* 38-digit boundaries */
    {MAX38, 38, 0, 0, MAX38},
    {"-" MAX38, 38, 0, 0, "-" MAX38},
    {"100000000000000000000000000000000000000", 38, 0, -SL_EOVERFLOW, NULL},
    {"-100000000000000000000000000000000000000", 38, 0, -SL_EOVERFLOW, NULL},
    {MAX38 ".4", 38, 0, 0, MAX38},
    {MAX38 ".5", 38, 0, -SL_EOVERFLOW, NULL},
    {"0." MAX38, 38, 38, 0, "0." MAX38},
    {"-0." MAX38, 38, 38, 0, "-0." MAX38},
    {"0." MAX38 "5", 38, 38, -SL_EOVERFLOW, NULL},
    {"1", 38, 38, -SL_EOVERFLOW, NULL},
    {"0.00000000000000000000000000000000000001", 38, 38, 0,
     "0.00000000000000000000000000000000000001"},
    {"0.000000000000000000000000000000000000005", 38, 38, 0,
     "0.00000000000000000000000000000000000001"},
    {"0.000000000000000000000000000000000000004", 38, 38, 0,
     "0.00000000000000000000000000000000000000"},
    {"1e-39", 38, 38, 0, "0.00000000000000000000000000000000000000"},
    {"5e-39", 38, 38, 0, "0.00000000000000000000000000000000000001"},
    {"12345678901234567890.123456789", 38, 10, 0, "12345678901234567890.1234567890"},
    {"9", 1, 0, 0, "9"},
    {"10", 1, 0, -SL_EOVERFLOW, NULL},
    {"0.9", 1, 1, 0, "0.9"},
    {"1e37", 38, 0, 0, "10000000000000000000000000000000000000"},
    {"1e38", 38, 0, -SL_EOVERFLOW, NULL},
    {"1e999999999999", 38, 0, -SL_EOVERFLOW, NULL},
    {"0e999999999999", 38, 0, 0, "0"},
    {"1e-999999999999", 10, 2, 0, "0.00"},
    /* malformed */
    {"", 10, 2, -SL_EFORMAT, NULL},
    {"   ", 10, 2, -SL_EFORMAT, NULL},
    {"abc", 10, 2, -SL_EFORMAT, NULL},
    {"1.2.3", 10, 2, -SL_EFORMAT, NULL},
    {"1e", 10, 2, -SL_EFORMAT, NULL},
    {"1e+", 10, 2, -SL_EFORMAT, NULL},
    {"1e1.5", 10, 2, -SL_EFORMAT, NULL},
    {"--1", 10, 2, -SL_EFORMAT, NULL},
    {"+-1", 10, 2, -SL_EFORMAT, NULL},
    {"-", 10, 2, -SL_EFORMAT, NULL},
    {".", 10, 2, -SL_EFORMAT, NULL},
    {"e5", 10, 2, -SL_EFORMAT, NULL},
    {"1 2", 10, 2, -SL_EFORMAT, NULL},
    {"1x", 10, 2, -SL_EFORMAT, NULL},
    {"0x10", 10, 2, -SL_EFORMAT, NULL},
    {"1,5", 10, 2, -SL_EFORMAT, NULL},
    {"NaN", 10, 2, -SL_EFORMAT, NULL},
    {"- 1", 10, 2, -SL_EFORMAT, NULL},
    /* invalid types */
    {"1", 0, 0, -SL_EINVAL, NULL},
    {"1", 39, 0, -SL_EINVAL, NULL},
    {"1", 5, 6, -SL_EINVAL, NULL},
    {"1", 5, -1, -SL_EINVAL, NULL},
};

START_TEST(test_parse_table)
{
    const struct parse_case *c = &parse_cases[_i];
    sl_decimal_t d;
    int rc = sl_decimal_parse(c->text, strlen(c->text), c->p, c->s, &d);
    ck_assert_msg(rc == c->rc, "'%s' (%d,%d): got %s want %s", c->text, c->p,
                  c->s, sl_err_name(rc), sl_err_name(c->rc));
    if (rc == 0) {
        assert_type(&d, c->p, c->s);
        assert_text(&d, c->want);
    }
}
END_TEST

START_TEST(test_parse_length_bounded)
{
    /* Only n bytes are read: no NUL needed, and a NUL inside is an error. */
    sl_decimal_t d;
    ck_assert_int_eq(sl_decimal_parse("12.345xyz", 6, 5, 2, &d), 0);
    assert_text(&d, "12.35");
    ck_assert_int_eq(sl_decimal_parse("12\0", 3, 5, 2, &d), -SL_EFORMAT);
    ck_assert_int_eq(sl_decimal_parse("12", 0, 5, 2, &d), -SL_EFORMAT);
}
END_TEST

START_TEST(test_format_buffer)
{
    sl_decimal_t d = D("-123.45", 5, 2);
    char buf[8];
    ck_assert_int_eq(sl_decimal_format(&d, buf, 8), 7);     /* exact fit */
    ck_assert_str_eq(buf, "-123.45");
    ck_assert_int_eq(sl_decimal_format(&d, buf, 7), -SL_ERANGE);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(sl_decimal_format(&d, buf, 0), -SL_ERANGE);
    /* the widest value fits SL_DECIMAL_STRLEN */
    sl_decimal_t w = D("-0." MAX38, 38, 38);
    char big[SL_DECIMAL_STRLEN];
    ck_assert_int_eq(sl_decimal_format(&w, big, sizeof big), 41);
    /* small values with leading fractional zeros */
    sl_decimal_t z = D("-0.05", 4, 3);
    assert_text(&z, "-0.050");
}
END_TEST

START_TEST(test_make)
{
    sl_decimal_t d;
    ck_assert_int_eq(sl_decimal_make(12345, 5, 2, &d), 0);
    assert_text(&d, "123.45");
    ck_assert_int_eq(sl_decimal_make(-99999, 5, 0, &d), 0);
    ck_assert_int_eq(sl_decimal_make(100000, 5, 0, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_make(-100000, 5, 0, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_make(1, 40, 0, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_type_valid(38, 38), 1);
    ck_assert_int_eq(sl_decimal_type_valid(1, 0), 1);
    ck_assert_int_eq(sl_decimal_type_valid(0, 0), 0);
    ck_assert_int_eq(sl_decimal_type_valid(10, 11), 0);
}
END_TEST

/* ---- conversions --------------------------------------------------------- */

START_TEST(test_int64)
{
    sl_decimal_t d;
    int64_t v;
    ck_assert_int_eq(sl_decimal_from_int64(10, 11, 2, &d), 0);
    assert_text(&d, "10.00");
    ck_assert_int_eq(sl_decimal_from_int64(INT64_MIN, 19, 0, &d), 0);
    assert_text(&d, "-9223372036854775808");
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert(v == INT64_MIN);
    ck_assert_int_eq(sl_decimal_from_int64(INT64_MAX, 38, 19, &d), 0);
    assert_text(&d, "9223372036854775807.0000000000000000000");
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(sl_decimal_from_int64(INT64_MAX, 38, 20, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_from_int64(100, 3, 1, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_from_int64(-99, 3, 1, &d), 0);
    assert_text(&d, "-99.0");
    ck_assert_int_eq(sl_decimal_from_int64(0, 38, 38, &d), 0);
    ck_assert_int_eq(sl_decimal_from_int64(1, 38, 38, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_from_int64(1, 0, 0, &d), -SL_EINVAL);

    /* to_int64 truncates toward zero */
    d = D("12.99", 4, 2);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert_int_eq(v, 12);
    d = D("-12.99", 4, 2);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert_int_eq(v, -12);
    d = D("-0.99", 4, 2);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert_int_eq(v, 0);
    d = D("9223372036854775808", 38, 0);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), -SL_EOVERFLOW);
    d = D("-9223372036854775809", 38, 0);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), -SL_EOVERFLOW);
    d = D("9223372036854775807.9", 38, 1);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), 0);
    ck_assert(v == INT64_MAX);
    d = D(MAX38, 38, 0);
    ck_assert_int_eq(sl_decimal_to_int64(&d, &v), -SL_EOVERFLOW);
}
END_TEST

START_TEST(test_double)
{
    sl_decimal_t d = D("0.1", 1, 1);
    ck_assert(sl_decimal_to_double(&d) == 0.1);
    d = D("-123.456", 6, 3);
    ck_assert(sl_decimal_to_double(&d) == -123.456);
    d = D("0.00000000000000000000000000000000000001", 38, 38);
    ck_assert(sl_decimal_to_double(&d) == 1e-38);
    d = D(MAX38, 38, 0);
    ck_assert(sl_decimal_to_double(&d) == 1e38);
    d = D("-12345678901234567890.123456789", 38, 9);
    ck_assert(sl_decimal_to_double(&d) == -12345678901234567890.123456789);
    d = D("0", 5, 2);
    ck_assert(sl_decimal_to_double(&d) == 0.0);

    ck_assert_int_eq(sl_decimal_from_double(0.1, 10, 5, &d), 0);
    assert_text(&d, "0.10000");
    /* 1.005 is 1.00499999999999989... in binary, but like Java's
     * BigDecimal.valueOf the shortest text "1.005" is rounded: 1.01. */
    ck_assert_int_eq(sl_decimal_from_double(1.005, 10, 2, &d), 0);
    assert_text(&d, "1.01");
    ck_assert_int_eq(sl_decimal_from_double(-2.5, 5, 0, &d), 0);
    assert_text(&d, "-3");
    ck_assert_int_eq(sl_decimal_from_double(1e20, 21, 0, &d), 0);
    assert_text(&d, "100000000000000000000");
    ck_assert_int_eq(sl_decimal_from_double(-0.0, 3, 1, &d), 0);
    assert_text(&d, "0.0");
    ck_assert_int_eq(sl_decimal_from_double(123.456, 4, 2, &d), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_from_double(NAN, 4, 2, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_from_double(INFINITY, 4, 2, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_from_double(-INFINITY, 4, 2, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_from_double(5e-324, 38, 38, &d), 0);
    assert_text(&d, "0.00000000000000000000000000000000000000");
}
END_TEST

START_TEST(test_rescale)
{
    sl_decimal_t d = D("1.005", 4, 3), r;
    ck_assert_int_eq(sl_decimal_rescale(&d, 3, 2, &r), 0);
    assert_type(&r, 3, 2);
    assert_text(&r, "1.01");
    d = D("-1.005", 4, 3);
    ck_assert_int_eq(sl_decimal_rescale(&d, 3, 2, &r), 0);
    assert_text(&r, "-1.01");
    d = D("1.23", 3, 2);
    ck_assert_int_eq(sl_decimal_rescale(&d, 5, 4, &r), 0);
    assert_text(&r, "1.2300");
    ck_assert_int_eq(sl_decimal_rescale(&d, 4, 4, &r), -SL_EOVERFLOW);
    d = D("999.5", 4, 1);
    ck_assert_int_eq(sl_decimal_rescale(&d, 3, 0, &r), -SL_EOVERFLOW);   /* 1000 */
    ck_assert_int_eq(sl_decimal_rescale(&d, 4, 0, &r), 0);
    assert_text(&r, "1000");
    d = D("999.4", 4, 1);
    ck_assert_int_eq(sl_decimal_rescale(&d, 3, 0, &r), 0);
    assert_text(&r, "999");
    /* scale 38 -> 0 and back */
    d = D("0.5", 38, 38);
    ck_assert_int_eq(sl_decimal_rescale(&d, 1, 0, &r), 0);
    assert_text(&r, "1");
    d = D("-4", 1, 0);
    ck_assert_int_eq(sl_decimal_rescale(&d, 38, 37, &r), 0);
    assert_text(&r, "-4.0000000000000000000000000000000000000");
    ck_assert_int_eq(sl_decimal_rescale(&d, 38, 38, &r), -SL_EOVERFLOW);
    ck_assert_int_eq(sl_decimal_rescale(&d, 38, 39, &r), -SL_EINVAL);
    /* in place */
    d = D("2.675", 4, 3);
    ck_assert_int_eq(sl_decimal_rescale(&d, 3, 2, &d), 0);
    assert_text(&d, "2.68");
}
END_TEST

START_TEST(test_cmp_sign)
{
    sl_decimal_t a = D("1.50", 3, 2), b = D("1.5", 2, 1), c, n;
    ck_assert_int_eq(sl_decimal_cmp(&a, &b), 0);
    ck_assert_int_eq(sl_decimal_cmp(&b, &a), 0);
    c = D("1.51", 3, 2);
    ck_assert_int_eq(sl_decimal_cmp(&c, &b), 1);
    ck_assert_int_eq(sl_decimal_cmp(&b, &c), -1);
    n = D("-0.5", 2, 1);
    ck_assert_int_eq(sl_decimal_cmp(&n, &a), -1);
    ck_assert_int_eq(sl_decimal_cmp(&a, &n), 1);
    /* scale-up overflows 128 bits: the sign must still decide */
    sl_decimal_t big = D("10000000000000000000000000000000000000", 38, 0);
    sl_decimal_t tiny = D("0.5", 38, 38);
    sl_decimal_t nbig = D("-10000000000000000000000000000000000000", 38, 0);
    ck_assert_int_eq(sl_decimal_cmp(&big, &tiny), 1);
    ck_assert_int_eq(sl_decimal_cmp(&tiny, &big), -1);
    ck_assert_int_eq(sl_decimal_cmp(&nbig, &tiny), -1);
    ck_assert_int_eq(sl_decimal_cmp(&tiny, &nbig), 1);
    sl_decimal_t max = D(MAX38, 38, 0), nmax = D("-" MAX38, 38, 0);
    ck_assert_int_eq(sl_decimal_cmp(&max, &nmax), 1);
    ck_assert_int_eq(sl_decimal_cmp(&nmax, &max), -1);
    ck_assert_int_eq(sl_decimal_cmp(&max, &max), 0);

    ck_assert_int_eq(sl_decimal_sign(&a), 1);
    ck_assert_int_eq(sl_decimal_sign(&n), -1);
    sl_decimal_t z = D("0", 3, 1);
    ck_assert_int_eq(sl_decimal_sign(&z), 0);
    sl_decimal_neg(&a, &c);
    assert_text(&c, "-1.50");
    assert_type(&c, 3, 2);
    sl_decimal_abs(&c, &c);
    assert_text(&c, "1.50");
    sl_decimal_neg(&nmax, &c);
    assert_text(&c, MAX38);
    sl_decimal_abs(&a, &c);
    assert_text(&c, "1.50");
}
END_TEST

/* ---- type rules ---------------------------------------------------------- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_SUM, OP_AVG, OP_ROUND, OP_COMMON };

static const struct type_case {
    int op, p1, s1, p2, s2;   /* p2 is r for OP_ROUND */
    int p, s;
} type_cases[] = {
    /* Flink LogicalTypeMergingTest */
    {OP_DIV, 32, 8, 38, 8, 38, 6},
    {OP_DIV, 30, 20, 30, 20, 38, 8},
    {OP_MUL, 30, 10, 30, 10, 38, 6},
    {OP_MUL, 30, 20, 30, 20, 38, 17},
    {OP_MUL, 38, 2, 38, 3, 38, 5},
    {OP_MOD, 30, 10, 30, 10, 30, 10},
    {OP_MOD, 30, 20, 25, 20, 25, 20},
    {OP_MOD, 10, 10, 10, 10, 10, 10},
    {OP_ADD, 38, 8, 32, 8, 38, 7},
    {OP_ADD, 32, 8, 38, 8, 38, 7},
    {OP_ADD, 30, 20, 28, 20, 31, 20},
    {OP_ADD, 10, 10, 10, 10, 11, 10},
    {OP_ADD, 38, 5, 38, 4, 38, 5},
    {OP_ROUND, 32, 8, 5, 0, 30, 5},
    {OP_ROUND, 32, 8, 10, 0, 32, 8},
    {OP_ROUND, 30, 20, 18, 0, 29, 18},
    {OP_ROUND, 10, 10, 2, 0, 3, 2},
    {OP_AVG, 38, 20, 0, 0, 38, 20},
    {OP_AVG, 38, 2, 0, 0, 38, 6},
    {OP_AVG, 38, 8, 0, 0, 38, 8},
    {OP_AVG, 30, 20, 0, 0, 38, 20},
    {OP_AVG, 10, 10, 0, 0, 38, 10},
    /* worked examples */
    {OP_ADD, 10, 2, 10, 2, 11, 2},
    {OP_ADD, 5, 2, 10, 4, 11, 4},
    {OP_ADD, 38, 10, 38, 30, 38, 9},     /* p 59 -> keep 29 integer digits */
    {OP_ADD, 38, 0, 38, 0, 38, 0},
    {OP_ADD, 38, 38, 38, 38, 38, 37},
    {OP_SUB, 2, 1, 3, 2, 4, 2},
    {OP_SUB, 38, 8, 32, 8, 38, 7},
    {OP_MUL, 10, 2, 10, 2, 21, 4},
    {OP_MUL, 2, 1, 2, 1, 5, 2},
    {OP_MUL, 38, 19, 38, 19, 38, 6},     /* FLINK-22586: was (38, 38) */
    {OP_MUL, 20, 2, 20, 3, 38, 5},
    {OP_MUL, 38, 28, 1, 0, 38, 26},
    {OP_DIV, 10, 2, 10, 2, 23, 13},
    {OP_DIV, 1, 0, 1, 0, 7, 6},
    {OP_DIV, 4, 2, 1, 0, 8, 6},
    {OP_DIV, 38, 10, 10, 0, 38, 10},
    {OP_DIV, 38, 0, 38, 38, 38, 6},
    {OP_DIV, 38, 0, 1, 0, 38, 6},
    {OP_MOD, 10, 2, 5, 1, 6, 2},
    {OP_MOD, 2, 0, 1, 1, 1, 1},
    {OP_MOD, 38, 0, 38, 38, 38, 38},
    {OP_SUM, 10, 2, 0, 0, 38, 2},
    {OP_SUM, 38, 38, 0, 0, 38, 38},
    {OP_SUM, 5, 0, 0, 0, 38, 0},
    {OP_ROUND, 10, 4, -1, 0, 7, 0},
    {OP_ROUND, 38, 0, -2, 0, 38, 0},
    {OP_ROUND, 4, 0, -2, 0, 5, 0},
    {OP_ROUND, 5, 3, 2, 0, 5, 2},
    {OP_ROUND, 3, 1, 0, 0, 3, 0},
    {OP_COMMON, 10, 2, 5, 4, 12, 4},
    {OP_COMMON, 38, 0, 38, 38, 38, 0},
    {OP_COMMON, 10, 0, 19, 0, 19, 0},
    {OP_COMMON, 3, 0, 2, 2, 5, 2},
};

START_TEST(test_type_rules)
{
    const struct type_case *c = &type_cases[_i];
    int p = -1, s = -1;
    switch (c->op) {
    case OP_ADD: sl_decimal_type_add(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    case OP_SUB: sl_decimal_type_sub(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    case OP_MUL: sl_decimal_type_mul(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    case OP_DIV: sl_decimal_type_div(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    case OP_MOD: sl_decimal_type_mod(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    case OP_SUM: sl_decimal_type_sum(c->p1, c->s1, &p, &s); break;
    case OP_AVG: sl_decimal_type_avg(c->p1, c->s1, &p, &s); break;
    case OP_ROUND: sl_decimal_type_round(c->p1, c->s1, c->p2, &p, &s); break;
    case OP_COMMON: sl_decimal_type_common(c->p1, c->s1, c->p2, c->s2, &p, &s); break;
    }
    ck_assert_msg(p == c->p && s == c->s, "case %d: op %d (%d,%d),(%d,%d) -> (%d,%d), want (%d,%d)",
                  _i, c->op, c->p1, c->s1, c->p2, c->s2, p, s, c->p, c->s);
    ck_assert(sl_decimal_type_valid(p, s));
}
END_TEST

START_TEST(test_type_adjust)
{
    int p, s;
    sl_decimal_type_adjust(38, 38, &p, &s);
    ck_assert(p == 38 && s == 38);
    sl_decimal_type_adjust(39, 8, &p, &s);      /* Hive/Spark way: (38, 7) */
    ck_assert(p == 38 && s == 7);
    sl_decimal_type_adjust(80, 3, &p, &s);      /* keeps min(s, 6) */
    ck_assert(p == 38 && s == 3);
    sl_decimal_type_adjust(80, 40, &p, &s);
    ck_assert(p == 38 && s == 6);
}
END_TEST

/* ---- arithmetic ---------------------------------------------------------- */

typedef int (*binop_fn)(const sl_decimal_t *, const sl_decimal_t *, sl_decimal_t *);

static const struct arith_case {
    char op;                 /* + - * / % */
    const char *a; int pa, sa;
    const char *b; int pb, sb;
    int rc;
    const char *want; int p, s;
} arith_cases[] = {
    {'+', "1.5", 2, 1, "2.25", 3, 2, 0, "3.75", 4, 2},
    {'+', "-1.5", 2, 1, "2.25", 3, 2, 0, "0.75", 4, 2},
    {'+', "-1.5", 2, 1, "-2.25", 3, 2, 0, "-3.75", 4, 2},
    {'+', "-1.5", 2, 1, "1.50", 3, 2, 0, "0.00", 4, 2},
    {'+', MAX38, 38, 0, "0", 1, 0, 0, MAX38, 38, 0},
    {'+', MAX38, 38, 0, "1", 1, 0, -SL_EOVERFLOW, NULL, 0, 0},
    {'+', MAX38, 38, 0, MAX38, 38, 0, -SL_EOVERFLOW, NULL, 0, 0},   /* i128 wraps */
    {'+', "-" MAX38, 38, 0, "-" MAX38, 38, 0, -SL_EOVERFLOW, NULL, 0, 0},
    {'+', "-" MAX38, 38, 0, MAX38, 38, 0, 0, "0", 38, 0},
    {'+', "0." MAX38, 38, 38, "0.00000000000000000000000000000000000001", 38, 38,
     0, "1.0000000000000000000000000000000000000", 38, 37},
    {'+', "1234567890123456789012345678.0123456789", 38, 10,
     "0.123456789012345678901234567890", 38, 30,
     0, "1234567890123456789012345678.135802468", 38, 9},
    {'+', "-1234567890123456789012345678.0123456789", 38, 10,
     "0.123456789012345678901234567890", 38, 30,
     0, "-1234567890123456789012345677.888888890", 38, 9},
    /* exact sums beyond 128 bits, rounded HALF_UP on a first dropped 5 */
    {'+', "1234567890123456789012345678", 38, 10, "0.0000000005", 38, 30,
     0, "1234567890123456789012345678.000000001", 38, 9},
    {'+', "-1234567890123456789012345678", 38, 10, "-0.0000000005", 38, 30,
     0, "-1234567890123456789012345678.000000001", 38, 9},
    {'+', "1234567890123456789012345678", 38, 10, "0.000000000499999999999999999999", 38, 30,
     0, "1234567890123456789012345678.000000000", 38, 9},
    /* 2^26 * 10^38 has a zero low limb and a middle limb equal to the
     * subtrahend's: the borrow must ripple through equal limbs */
    {'+', "134217728", 38, 0, "-0.88830912743383259507211432005971488825", 38, 38,
     0, "134217727.111691", 38, 6},
    {'-', "134217728", 38, 0, "0.88830912743383259507211432005971488825", 38, 38,
     0, "134217727.111691", 38, 6},
    {'-', "1", 1, 0, "0.001", 3, 3, 0, "0.999", 5, 3},
    {'-', "0.001", 3, 3, "1", 1, 0, 0, "-0.999", 5, 3},
    {'-', "-" MAX38, 38, 0, "1", 1, 0, -SL_EOVERFLOW, NULL, 0, 0},
    {'-', "-" MAX38, 38, 0, "-" MAX38, 38, 0, 0, "0", 38, 0},
    {'*', "1.5", 2, 1, "1.5", 2, 1, 0, "2.25", 5, 2},
    {'*', "-1.5", 2, 1, "1.5", 2, 1, 0, "-2.25", 5, 2},
    {'*', "-1.5", 2, 1, "-1.5", 2, 1, 0, "2.25", 5, 2},
    {'*', "0", 2, 1, "-1.5", 2, 1, 0, "0.00", 5, 2},
    {'*', "10.1", 38, 19, "10.2", 38, 19, 0, "103.020000", 38, 6},
    {'*', "1234567890.1234567890123456789012345678", 38, 28, "2", 1, 0,
     0, "2469135780.24691357802469135780246914", 38, 26},
    {'*', "123456789.1234567890123456789", 38, 19, "123456789.1234567890123456789", 38, 19,
     0, "15241578780673678.518671", 38, 6},        /* 256-bit product */
    {'*', "10000000000.5", 38, 19, "0.000001", 38, 19, 0, "10000.000001", 38, 6},
    {'*', "-10000000000.5", 38, 19, "0.000001", 38, 19, 0, "-10000.000001", 38, 6},
    {'*', "10000000000.4999999999999999999", 38, 19, "0.000001", 38, 19,
     0, "10000.000000", 38, 6},
    {'*', "99999999999999999999.999999999999999999", 38, 18,
     "99999999999999999999.999999999999999999", 38, 18, -SL_EOVERFLOW, NULL, 0, 0},
    {'*', "9999999999999999999", 19, 0, "10000000000000000000", 20, 0,
     0, "99999999999999999990000000000000000000", 38, 0},
    {'*', "-" MAX38, 38, 0, "1", 1, 0, 0, "-" MAX38, 38, 0},
    {'*', MAX38, 38, 0, "2", 1, 0, -SL_EOVERFLOW, NULL, 0, 0},
    {'/', "1", 1, 0, "3", 1, 0, 0, "0.333333", 7, 6},
    {'/', "2", 1, 0, "3", 1, 0, 0, "0.666667", 7, 6},
    {'/', "-2", 1, 0, "3", 1, 0, 0, "-0.666667", 7, 6},
    {'/', "2", 1, 0, "-3", 1, 0, 0, "-0.666667", 7, 6},
    {'/', "-2", 1, 0, "-3", 1, 0, 0, "0.666667", 7, 6},
    {'/', "10.00", 4, 2, "4", 1, 0, 0, "2.500000", 8, 6},
    {'/', "0", 4, 2, "4", 1, 0, 0, "0.000000", 8, 6},
    {'/', "1", 1, 0, "0", 1, 0, -SL_EDIVZERO, NULL, 0, 0},
    {'/', "1", 38, 0, "0.3", 38, 38, 0, "3.333333", 38, 6},   /* long division */
    {'/', "123456789012345678901234567890", 38, 0,
     "0.33333333333333333333333333333333333337", 38, 38,
     0, "370370367037037036703703703670.000000", 38, 6},
    {'/', "-123456789012345678901234567890", 38, 0,
     "0.33333333333333333333333333333333333337", 38, 38,
     0, "-370370367037037036703703703670.000000", 38, 6},
    {'/', "10000000000000000000000000000000000000", 38, 0,
     "0.00000000000000000000000000000000000001", 38, 38, -SL_EOVERFLOW, NULL, 0, 0},
    {'/', MAX38, 38, 0, "7", 1, 0, -SL_EOVERFLOW, NULL, 0, 0},
    {'/', MAX38, 38, 0, MAX38, 38, 0, 0, "1.000000", 38, 6},
    {'%', "7.5", 2, 1, "2", 1, 0, 0, "1.5", 2, 1},
    {'%', "-7.5", 2, 1, "2", 1, 0, 0, "-1.5", 2, 1},
    {'%', "7.5", 2, 1, "-2", 1, 0, 0, "1.5", 2, 1},
    {'%', "10", 2, 0, "0.3", 1, 1, 0, "0.1", 1, 1},
    {'%', "6", 1, 0, "3", 1, 0, 0, "0", 1, 0},
    {'%', "-6", 1, 0, "3", 1, 0, 0, "0", 1, 0},
    {'%', "1", 1, 0, "0", 1, 0, -SL_EDIVZERO, NULL, 0, 0},
    {'%', "10000000000000000000000000000000000007", 38, 0, "0.3", 38, 38,
     0, "0.20000000000000000000000000000000000000", 38, 38},   /* 256-bit */
    {'%', "0.5", 38, 38, "10000000000000000000000000000000000000", 38, 0,
     0, "0.50000000000000000000000000000000000000", 38, 38},
};

START_TEST(test_arith_table)
{
    const struct arith_case *c = &arith_cases[_i];
    sl_decimal_t a = D(c->a, c->pa, c->sa), b = D(c->b, c->pb, c->sb), r;
    binop_fn fn = c->op == '+' ? sl_decimal_add : c->op == '-' ? sl_decimal_sub
                : c->op == '*' ? sl_decimal_mul : c->op == '/' ? sl_decimal_div
                : sl_decimal_mod;
    int rc = fn(&a, &b, &r);
    ck_assert_msg(rc == c->rc, "case %d: %s %c %s: got %s want %s", _i, c->a,
                  c->op, c->b, sl_err_name(rc), sl_err_name(c->rc));
    if (rc == 0) {
        assert_type(&r, c->p, c->s);
        assert_text(&r, c->want);
    }
    /* aliasing: out == a */
    rc = fn(&a, &b, &a);
    ck_assert_int_eq(rc, c->rc);
    if (rc == 0) assert_text(&a, c->want);
}
END_TEST

START_TEST(test_arith_as)
{
    sl_decimal_t a, b, r;
    /* explicit result types, with HALF_UP on the way down */
    a = D("-0.05", 3, 2);
    b = D("0.5", 2, 1);
    ck_assert_int_eq(sl_decimal_mul_as(&a, &b, 5, 2, &r), 0);
    assert_text(&r, "-0.03");
    ck_assert_int_eq(sl_decimal_mul_as(&a, &b, 5, 3, &r), 0);
    assert_text(&r, "-0.025");
    ck_assert_int_eq(sl_decimal_mul_as(&a, &b, 7, 6, &r), 0);
    assert_text(&r, "-0.025000");
    a = D("1", 1, 0);
    b = D("8", 1, 0);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 5, 2, &r), 0);
    assert_text(&r, "0.13");
    a = D("-1", 1, 0);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 5, 2, &r), 0);
    assert_text(&r, "-0.13");
    /* result scale below the dividend's: divide by B * 10^k */
    a = D("1.500000000", 10, 9);
    b = D("1", 1, 0);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 2, 0, &r), 0);
    assert_text(&r, "2");
    a = D("-1.499999999", 10, 9);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 2, 0, &r), 0);
    assert_text(&r, "-1");
    a = D("2.000000000", 10, 9);
    b = D("3", 1, 0);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 2, 0, &r), 0);
    assert_text(&r, "1");
    a = D("0.00000000000000000000000000000000000001", 38, 38);
    b = D("3", 1, 0);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 1, 0, &r), 0);
    assert_text(&r, "0");
    /* AVG as Flink computes it: SUM (38, s) / COUNT as DECIMAL(20, 0) */
    sl_decimal_t sum = D("10.00", 38, 2), cnt;
    ck_assert_int_eq(sl_decimal_from_int64(3, 20, 0, &cnt), 0);
    int p, s;
    sl_decimal_type_avg(10, 2, &p, &s);
    ck_assert_int_eq(sl_decimal_div_as(&sum, &cnt, p, s, &r), 0);
    assert_type(&r, 38, 6);
    assert_text(&r, "3.333333");
    /* SUM accumulator keeps (38, s) */
    sl_decimal_t acc = D("0", 38, 2), x = D("0.10", 10, 2);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(sl_decimal_add_as(&acc, &x, 38, 2, &acc), 0);
    assert_text(&acc, "100.00");
    ck_assert_int_eq(sl_decimal_sub_as(&acc, &x, 38, 1, &acc), 0);
    assert_text(&acc, "99.9");
    ck_assert_int_eq(sl_decimal_sub_as(&acc, &x, 2, 0, &r), -SL_EOVERFLOW);
    /* mod with an explicit type */
    a = D("7.25", 3, 2);
    b = D("2", 1, 0);
    ck_assert_int_eq(sl_decimal_mod_as(&a, &b, 3, 1, &r), 0);
    assert_text(&r, "1.3");
    /* invalid result types */
    ck_assert_int_eq(sl_decimal_add_as(&a, &b, 0, 0, &r), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_sub_as(&a, &b, 39, 0, &r), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_mul_as(&a, &b, 5, 6, &r), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_div_as(&a, &b, 5, -1, &r), -SL_EINVAL);
    ck_assert_int_eq(sl_decimal_mod_as(&a, &b, 40, 2, &r), -SL_EINVAL);
}
END_TEST

START_TEST(test_round)
{
    static const struct {
        const char *v; int p, s, r;
        int rc; const char *want; int rp, rs;
    } cases[] = {
        {"1250", 4, 0, -2, 0, "1300", 5, 0},
        {"-1250", 4, 0, -2, 0, "-1300", 5, 0},
        {"1249", 4, 0, -2, 0, "1200", 5, 0},
        {"500", 3, 0, -3, 0, "1000", 4, 0},
        {"499", 3, 0, -3, 0, "0", 4, 0},
        {"123", 3, 0, -5, 0, "0", 4, 0},
        {"123", 3, 0, -40, 0, "0", 4, 0},
        {"12.345", 5, 3, 2, 0, "12.35", 5, 2},
        {"-12.345", 5, 3, 2, 0, "-12.35", 5, 2},
        {"12.344", 5, 3, 2, 0, "12.34", 5, 2},
        {"12.345", 5, 3, 5, 0, "12.345", 5, 3},
        {"99.5", 3, 1, 0, 0, "100", 3, 0},
        {"-99.5", 3, 1, 0, 0, "-100", 3, 0},
        {"15.5", 3, 1, -1, 0, "20", 3, 0},
        {"0.00000000000000000000000000000000000005", 38, 38, 37, 0,
         "0.0000000000000000000000000000000000001", 38, 37},
        {MAX38, 38, 0, -1, -SL_EOVERFLOW, NULL, 0, 0},
        {"-" MAX38, 38, 0, -37, -SL_EOVERFLOW, NULL, 0, 0},
        {"49999999999999999999999999999999999999", 38, 0, -38, 0, "0", 38, 0},
        {"12345678901234567890123456789012345678", 38, 0, -37, 0,
         "10000000000000000000000000000000000000", 38, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_decimal_t d = D(cases[i].v, cases[i].p, cases[i].s), r;
        int rc = sl_decimal_round(&d, cases[i].r, &r);
        ck_assert_msg(rc == cases[i].rc, "ROUND(%s, %d): %s", cases[i].v,
                      cases[i].r, sl_err_name(rc));
        if (rc == 0) {
            assert_type(&r, cases[i].rp, cases[i].rs);
            assert_text(&r, cases[i].want);
        }
    }
}
END_TEST

/* Cross-check add/sub/mul/cmp against int64 arithmetic on random values. */
START_TEST(test_random_vs_int64)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int64_t x = (int64_t)(seed >> 33) - (1LL << 30);
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int64_t y = (int64_t)(seed >> 33) - (1LL << 30);
        int sx = (int)(seed % 5), sy = (int)((seed >> 8) % 5);
        sl_decimal_t a, b, r;
        REQUIRE(sl_decimal_make(x, 18, sx, &a) == (0));
        REQUIRE(sl_decimal_make(y, 18, sy, &b) == (0));
        /* compare a * 10^(4-sx) with b * 10^(4-sy) as integers */
        static const int64_t p10[] = {1, 10, 100, 1000, 10000};
        int64_t xa = x * p10[4 - sx], yb = y * p10[4 - sy];
        REQUIRE(sl_decimal_cmp(&a, &b) == ((xa > yb) - (xa < yb)));
        REQUIRE(sl_decimal_add(&a, &b, &r) == (0));
        REQUIRE(r.scale == (sx > sy ? sx : sy));
        REQUIRE(r.unscaled * p10[4 - r.scale] == (sl_int128_t)xa + yb);
        REQUIRE(sl_decimal_sub(&a, &b, &r) == (0));
        REQUIRE(r.unscaled * p10[4 - r.scale] == (sl_int128_t)xa - yb);
        REQUIRE(sl_decimal_mul(&a, &b, &r) == (0));
        REQUIRE(r.scale == (sx + sy));
        REQUIRE(r.unscaled == (sl_int128_t)x * y);
        if (y != 0) {
            /* truncated quotient at scale 0 vs int64 division, HALF_UP */
            sl_decimal_t xi, yi;
            REQUIRE(sl_decimal_make(x, 18, 0, &xi) == (0));
            REQUIRE(sl_decimal_make(y, 18, 0, &yi) == (0));
            REQUIRE(sl_decimal_div_as(&xi, &yi, 18, 0, &r) == (0));
            int64_t q = x / y, rem = x % y;
            int64_t ar = rem < 0 ? -rem : rem, ay = y < 0 ? -y : y;
            if (2 * ar >= ay) q += ((x < 0) != (y < 0)) ? -1 : 1;
            REQUIRE(r.unscaled == q);
            REQUIRE(sl_decimal_mod(&xi, &yi, &r) == (0));
            REQUIRE(r.unscaled == rem);
        }
    }
}
END_TEST

static uint64_t rnd(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t x = *seed;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 32);
}

/* A random value with up to `digits` digits (1..38), random sign. */
static sl_int128_t rnd_unscaled(uint64_t *seed, int digits)
{
    unsigned __int128 m = 1;
    for (int i = 0; i < digits; i++) m *= 10;
    unsigned __int128 v = (((unsigned __int128)rnd(seed) << 64) | rnd(seed)) % m;
    return (rnd(seed) & 1) ? -(sl_int128_t)v : (sl_int128_t)v;
}

/* Identities over the whole 38-digit range, where 256-bit intermediates and
 * the digit-by-digit division are needed:
 *   (a + b) - b == a,  (a * b) / b == a,  cmp antisymmetric and consistent
 *   with subtraction, |a % b| < |b| with the sign of a. */
START_TEST(test_random_identities)
{
    uint64_t seed = 7;
    int checked_mul = 0;
    for (int i = 0; i < 20000; i++) {
        int sa = (int)(rnd(&seed) % 39), sb = (int)(rnd(&seed) % 39);
        sl_decimal_t a, b, r, back;
        REQUIRE(sl_decimal_make(rnd_unscaled(&seed, 37), 38, sa, &a) == 0);
        REQUIRE(sl_decimal_make(rnd_unscaled(&seed, 37), 38, sb, &b) == 0);
        int c = sl_decimal_cmp(&a, &b);
        REQUIRE(c == -sl_decimal_cmp(&b, &a));
        int s = sa > sb ? sa : sb;
        /* exact sum in DECIMAL(38, s) when it fits */
        int rc = sl_decimal_add_as(&a, &b, 38, s, &r);
        if (rc == 0) {
            REQUIRE(sl_decimal_sub_as(&r, &b, 38, sa, &back) == 0);
            REQUIRE(back.unscaled == a.unscaled);
        } else {
            REQUIRE(rc == -SL_EOVERFLOW);
        }
        rc = sl_decimal_sub_as(&a, &b, 38, s, &r);
        if (rc == 0) REQUIRE(sl_decimal_sign(&r) == c);
        /* products of 19-digit operands always fit 38 digits */
        sl_decimal_t x, y;
        int sx = (int)(rnd(&seed) % 20), sy = (int)(rnd(&seed) % 20);
        REQUIRE(sl_decimal_make(rnd_unscaled(&seed, 19), 19, sx, &x) == 0);
        REQUIRE(sl_decimal_make(rnd_unscaled(&seed, 19), 19, sy, &y) == 0);
        REQUIRE(sl_decimal_mul_as(&x, &y, 38, sx + sy, &r) == 0);
        if (y.unscaled != 0) {
            REQUIRE(sl_decimal_div_as(&r, &y, 19, sx, &back) == 0);
            REQUIRE(back.unscaled == x.unscaled);
            /* 19 more digits of scale: the quotient no longer fits a 128-bit
             * dividend, so this runs the digit-by-digit division */
            REQUIRE(sl_decimal_div_as(&r, &y, 38, sx + 19, &back) == 0);
            REQUIRE(back.unscaled == x.unscaled * (sl_int128_t)10000000000000000000ull);
            checked_mul++;
        }
        if (b.unscaled != 0) {
            rc = sl_decimal_mod_as(&a, &b, 38, s, &r);
            if (rc == 0) {
                sl_decimal_t ab;
                sl_decimal_abs(&b, &ab);
                sl_decimal_t ar;
                sl_decimal_abs(&r, &ar);
                REQUIRE(sl_decimal_cmp(&ar, &ab) < 0);
                REQUIRE(sl_decimal_sign(&r) == 0 || sl_decimal_sign(&r) == sl_decimal_sign(&a));
            } else {
                REQUIRE(rc == -SL_EOVERFLOW);
            }
        }
    }
    ck_assert_int_gt(checked_mul, 19000);
}
END_TEST

static Suite *decimal_suite(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_parse_table, 0,
                        sizeof parse_cases / sizeof parse_cases[0]);
    tcase_add_test(tc, test_parse_length_bounded);
    tcase_add_test(tc, test_format_buffer);
    tcase_add_test(tc, test_make);
    tcase_add_test(tc, test_int64);
    tcase_add_test(tc, test_double);
    tcase_add_test(tc, test_rescale);
    tcase_add_test(tc, test_cmp_sign);
    tcase_add_loop_test(tc, test_type_rules, 0,
                        sizeof type_cases / sizeof type_cases[0]);
    tcase_add_test(tc, test_type_adjust);
    tcase_add_loop_test(tc, test_arith_table, 0,
                        sizeof arith_cases / sizeof arith_cases[0]);
    tcase_add_test(tc, test_arith_as);
    tcase_add_test(tc, test_round);
    tcase_add_test(tc, test_random_vs_int64);
    tcase_add_test(tc, test_random_identities);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(decimal_suite());
}
