/* check_value.c - unit tests for exec/value (format, parse, cast, compare,
 * hash, copy) and exec/batch (growth, reset).
 *
 * Types are written as Flink spells them ("DECIMAL(5,2)", "ARRAY<INT>",
 * "MAP<STRING,INT>", "ROW<a INT,b STRING>") and values as text, parsed with
 * sl_value_parse (scalars) or a small literal syntax for nested values
 * ([1,null,3], {a=1,b=2}, (1,x)), so the case tables read like SQL. Expected
 * texts follow Flink's cast-to-string rules (Java's Double.toString etc.).
 */
#include "exec/batch.h"
#include "exec/value.h"
#include "sql/ast.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "testutil.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static sl_arena_t A;

static void setup(void)
{
    sl_arena_init(&A, 0);
}

static void teardown(void)
{
    sl_arena_destroy(&A);
}

#include "typespec.h"

static const char *fmt(const sl_value_t *v, const sl_type_t *t, int mode)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    int rc = sl_value_format(&sb, v, t, mode);
    ck_assert_int_eq(rc, 0);
    const char *s = sl_arena_strndup(&A, sl_strbuf_cstr(&sb), sb.len);
    sl_strbuf_destroy(&sb);
    return s;
}

/* ---- format -------------------------------------------------------------------------- */

typedef struct fmt_case {
    const char *type, *text;   /* text NULL: SQL NULL */
    int mode;
    const char *want;
} fmt_case_t;

#define P SL_FMT_PRINT
#define C SL_FMT_CAST
#define J SL_FMT_JSON

static const fmt_case_t fmt_cases[] = {
    {"INT", "42", P, "42"},
    {"INT", "-2147483648", C, "-2147483648"},
    {"BIGINT", "-9223372036854775808", J, "-9223372036854775808"},
    {"TINYINT", "-128", P, "-128"},
    {"SMALLINT", "32767", J, "32767"},
    {"DECIMAL(11,2)", "10", P, "10.00"},
    {"DECIMAL(11,2)", "-0.5", C, "-0.50"},
    {"DECIMAL(11,2)", "0", P, "0.00"},
    {"DECIMAL(5,0)", "7", P, "7"},
    {"DECIMAL(38,10)", "0.0000000001", C, "0.0000000001"},
    {"DECIMAL(11,2)", "10", J, "10.00"},
    {"DECIMAL(38,0)", "99999999999999999999999999999999999999", J,
     "99999999999999999999999999999999999999"},
    {"DOUBLE", "1e10", P, "1.0E10"},
    {"DOUBLE", "0.1", P, "0.1"},
    {"DOUBLE", "100", C, "100.0"},
    {"DOUBLE", "1e-4", C, "1.0E-4"},
    {"DOUBLE", "0.001", C, "0.001"},
    {"DOUBLE", "1234567", C, "1234567.0"},
    {"DOUBLE", "12345678", C, "1.2345678E7"},
    {"DOUBLE", "-0.0", C, "-0.0"},
    {"DOUBLE", "0", C, "0.0"},
    {"DOUBLE", "NaN", C, "NaN"},
    {"DOUBLE", "-Infinity", P, "-Infinity"},
    {"DOUBLE", "NaN", J, "\"NaN\""},
    {"DOUBLE", "1.7976931348623157E308", C, "1.7976931348623157E308"},
    {"DOUBLE", "4.9E-324", C, "4.9E-324"},
    {"DOUBLE", "0.30000000000000004", C, "0.30000000000000004"},
    {"DOUBLE", "1.5", J, "1.5"},
    {"FLOAT", "0.1", C, "0.1"},
    {"FLOAT", "1e10", C, "1.0E10"},
    {"FLOAT", "3.4028235E38", C, "3.4028235E38"},
    {"FLOAT", "16777217", C, "1.6777216E7"},
    {"FLOAT", "1.1", P, "1.1"},
    {"BOOLEAN", "true", P, "TRUE"},
    {"BOOLEAN", "FALSE", C, "FALSE"},
    {"BOOLEAN", "true", J, "true"},
    {"STRING", "hello", P, "hello"},
    {"STRING", "", C, ""},
    {"STRING", "hello", J, "\"hello\""},
    {"STRING", "a\"b\\c\n\t\x01", J, "\"a\\\"b\\\\c\\n\\t\\u0001\""},
    {"STRING", "äö€", J, "\"äö€\""},
    {"CHAR(3)", "ab ", P, "ab "},
    {"BYTES", "AQID", P, "x'010203'"},
    {"BYTES", "aGk=", C, "hi"},
    {"BYTES", "AQID", J, "\"AQID\""},
    {"BYTES", "", P, "x''"},
    {"DATE", "2019-03-01", P, "2019-03-01"},
    {"DATE", "0001-01-01", C, "0001-01-01"},
    {"DATE", "2019-03-01", J, "\"2019-03-01\""},
    {"TIME(0)", "12:00:00", P, "12:00:00"},
    {"TIME(3)", "12:00:00.5", C, "12:00:00.500"},
    {"TIME(3)", "12:00:00.5", J, "\"12:00:00\""},
    {"TIME(3)", "12:00:00", J, "\"12:00:00\""},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00.123", P, "2019-03-01 12:00:00.123"},
    {"TIMESTAMP(0)", "2019-03-01T12:00:00", C, "2019-03-01 12:00:00"},
    {"TIMESTAMP(6)", "2019-03-01 12:00:00.1", C, "2019-03-01 12:00:00.100000"},
    {"TIMESTAMP(9)", "2019-03-01 12:00:00.123456789", C, "2019-03-01 12:00:00.123456789"},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00.120", J, "\"2019-03-01 12:00:00.12\""},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00", J, "\"2019-03-01 12:00:00\""},
    {"TIMESTAMP_LTZ(3)", "2019-03-01 12:00:00.123", P, "2019-03-01 12:00:00.123"},
    {"TIMESTAMP_LTZ(3)", "2019-03-01 12:00:00.123", J, "\"2019-03-01 12:00:00.123Z\""},
    {"INTERVAL_YM", "14", P, "+1-02"},
    {"INTERVAL_YM", "-14", C, "-1-02"},
    {"INTERVAL_DT", "600000", P, "+0 00:10:00.000"},
    {"INTERVAL_DT", "90061001", C, "+1 01:01:01.001"},
    {"INT", NULL, P, "<NULL>"},
    {"STRING", NULL, J, "null"},
    {"DATE", NULL, C, "NULL"},
    {"ARRAY<INT>", "[1,null,3]", P, "[1, null, 3]"},
    {"ARRAY<INT>", "[1,null,3]", J, "[1,null,3]"},
    {"ARRAY<INT>", "[]", P, "[]"},
    {"ARRAY<STRING>", "[a,b c]", C, "[a, b c]"},
    {"ARRAY<STRING>", "[a,b]", J, "[\"a\",\"b\"]"},
    {"ARRAY<BYTES>", "[AQ==]", P, "[x'01']"},
    {"MAP<STRING,INT>", "{a=1,b=null}", P, "{a=1, b=null}"},
    {"MAP<STRING,INT>", "{a=1,b=null}", J, "{\"a\":1,\"b\":null}"},
    {"MAP<INT,BOOLEAN>", "{1=true}", J, "{\"1\":true}"},
    {"ROW<a INT,b STRING>", "(1,x)", P, "(1, x)"},
    {"ROW<a INT,b STRING>", "(1,x)", J, "{\"a\":1,\"b\":\"x\"}"},
    {"ROW<a INT,b STRING>", "(null,null)", C, "(null, null)"},
    {"ARRAY<ROW<a INT,b DECIMAL(5,2)>>", "[(1,2.5),(2,null)]", C, "[(1, 2.50), (2, null)]"},
    {"ARRAY<ARRAY<INT>>", "[[1,2],[]]", J, "[[1,2],[]]"},
};

START_TEST(test_format_table)
{
    const fmt_case_t *k = &fmt_cases[_i];
    const sl_type_t *t = T(k->type);
    sl_value_t v = V(t, k->text);
    const char *got = fmt(&v, t, k->mode);
    ck_assert_msg(strcmp(got, k->want) == 0, "case %d: %s '%s' mode %d: got '%s' want '%s'",
                  _i, k->type, k->text ? k->text : "NULL", k->mode, got, k->want);
    /* the arena variant agrees */
    sl_value_t s;
    ck_assert_int_eq(sl_value_format_arena(&v, t, k->mode, &A, &s), 0);
    ck_assert_int_eq((int)s.len, (int)strlen(k->want));
    ck_assert(memcmp(s.str, k->want, s.len) == 0);
}
END_TEST

START_TEST(test_format_appends)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_puts(&sb, "x=");
    sl_value_t v = {0};
    v.i64 = 5;
    ck_assert_int_eq(sl_value_format(&sb, &v, &sl_type_int, SL_FMT_PRINT), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "x=5");
    /* an out-of-range timestamp fails and leaves the buffer as it was */
    sl_value_t ts = {0};
    ts.ts.millis = INT64_MAX / 2;
    const sl_type_t *t = T("TIMESTAMP(3)");
    ck_assert_int_ne(sl_value_format(&sb, &ts, t, SL_FMT_PRINT), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "x=5");
    sl_strbuf_destroy(&sb);
}
END_TEST

typedef struct dbl_case {
    double v;
    bool single;
    const char *want;
} dbl_case_t;

static const dbl_case_t dbl_cases[] = {
    {1.0, false, "1.0"},
    {-1.5, false, "-1.5"},
    {1e7, false, "1.0E7"},
    {9999999.0, false, "9999999.0"},
    {0.001, false, "0.001"},
    {0.00099, false, "9.9E-4"},
    {123456789012.0, false, "1.23456789012E11"},
    {1e21, false, "1.0E21"},
    {1e-300, false, "1.0E-300"},
    {2.0 / 3.0, false, "0.6666666666666666"},
    {100.5, false, "100.5"},
    {0.1f, true, "0.1"},
    {(double)(float)(1.0 / 3.0), true, "0.33333334"},
    {(double)1e-10f, true, "1.0E-10"},
    {(double)123456.7f, true, "123456.7"},
};

START_TEST(test_double_format)
{
    const dbl_case_t *k = &dbl_cases[_i];
    char buf[SL_DOUBLE_STRLEN];
    int n = sl_double_format(k->v, k->single, buf, sizeof buf);
    ck_assert_int_eq(n, (int)strlen(k->want));
    ck_assert_str_eq(buf, k->want);
    char small[3];
    ck_assert_int_eq(sl_double_format(k->v, k->single, small, sizeof small), -SL_ERANGE);
    ck_assert_str_eq(small, "");
}
END_TEST

/* ---- parse ----------------------------------------------------------------------------- */

typedef struct parse_case {
    const char *type, *text;
    int rc;                 /* 0 or -SL_E* */
    const char *want;       /* CAST-mode text when rc == 0 */
} parse_case_t;

static const parse_case_t parse_cases[] = {
    {"INT", "42", 0, "42"},
    {"INT", " 42 ", 0, "42"},
    {"INT", "+7", 0, "7"},
    {"INT", "2147483647", 0, "2147483647"},
    {"INT", "-2147483648", 0, "-2147483648"},
    {"INT", "2147483648", -SL_EOVERFLOW, NULL},
    {"INT", "4x", -SL_EFORMAT, NULL},
    {"INT", "", -SL_EFORMAT, NULL},
    {"INT", "-", -SL_EFORMAT, NULL},
    {"INT", "1.5", -SL_EFORMAT, NULL},
    {"TINYINT", "127", 0, "127"},
    {"TINYINT", "128", -SL_EOVERFLOW, NULL},
    {"TINYINT", "-129", -SL_EOVERFLOW, NULL},
    {"SMALLINT", "-32768", 0, "-32768"},
    {"BIGINT", "9223372036854775807", 0, "9223372036854775807"},
    {"BIGINT", "-9223372036854775808", 0, "-9223372036854775808"},
    {"BIGINT", "9223372036854775808", -SL_EOVERFLOW, NULL},
    {"BIGINT", "99999999999999999999999", -SL_EOVERFLOW, NULL},
    {"DECIMAL(5,2)", "123.456", 0, "123.46"},
    {"DECIMAL(5,2)", "-1.005", 0, "-1.01"},
    {"DECIMAL(5,2)", "999.994", 0, "999.99"},
    {"DECIMAL(5,2)", "999.995", -SL_EOVERFLOW, NULL},
    {"DECIMAL(5,2)", "1e2", 0, "100.00"},
    {"DECIMAL(5,2)", "abc", -SL_EFORMAT, NULL},
    {"DOUBLE", "1.5", 0, "1.5"},
    {"DOUBLE", " -2.5e3 ", 0, "-2500.0"},
    {"DOUBLE", "1e400", 0, "Infinity"},
    {"DOUBLE", "1.5d", 0, "1.5"},
    {"DOUBLE", ".5", 0, "0.5"},
    {"DOUBLE", "NaN", 0, "NaN"},
    {"DOUBLE", "abc", -SL_EFORMAT, NULL},
    {"DOUBLE", "0x10", -SL_EFORMAT, NULL},
    {"DOUBLE", "1e", -SL_EFORMAT, NULL},
    {"DOUBLE", "inf", -SL_EFORMAT, NULL},
    {"FLOAT", "0.1", 0, "0.1"},
    {"BOOLEAN", "TRUE", 0, "TRUE"},
    {"BOOLEAN", " False ", 0, "FALSE"},
    {"BOOLEAN", "yes", -SL_EFORMAT, NULL},
    {"BOOLEAN", "1", -SL_EFORMAT, NULL},
    {"DATE", "2020-02-29", 0, "2020-02-29"},
    {"DATE", "2019-02-29", -SL_EFORMAT, NULL},
    {"DATE", "9999-12-31", 0, "9999-12-31"},
    {"DATE", "0001-01-01", 0, "0001-01-01"},
    {"DATE", "10000-01-01", -SL_EFORMAT, NULL},
    {"DATE", "2019-3-1", 0, "2019-03-01"},
    {"TIME(3)", "23:59:59.999", 0, "23:59:59.999"},
    {"TIME(0)", "24:00:00", -SL_EFORMAT, NULL},
    {"TIMESTAMP(3)", "2019-03-01T12:00:00.123Z", 0, "2019-03-01 12:00:00.123"},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00.123456", 0, "2019-03-01 12:00:00.123"},
    {"TIMESTAMP(3)", "2019-03-01", 0, "2019-03-01 00:00:00.000"},
    {"TIMESTAMP(3)", "2019-13-01 00:00:00", -SL_EFORMAT, NULL},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00 junk", -SL_EFORMAT, NULL},
    {"TIMESTAMP_LTZ(3)", "2019-03-01 12:00:00.5Z", 0, "2019-03-01 12:00:00.500"},
    {"STRING", "x y", 0, "x y"},
    {"STRING", "", 0, ""},
    {"CHAR(2)", "abc", 0, "abc"},
    {"BYTES", "aGk=", 0, "hi"},
    {"BYTES", "aGk", 0, "hi"},
    {"BYTES", "!!", -SL_EFORMAT, NULL},
    {"INTERVAL_DT", "1000", 0, "+0 00:00:01.000"},
    {"ARRAY<INT>", "[1]", -SL_EUNSUPPORTED, NULL},
};

START_TEST(test_parse_table)
{
    const parse_case_t *k = &parse_cases[_i];
    const sl_type_t *t = T(k->type);
    sl_value_t v;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_value_parse(k->text, strlen(k->text), t, &v, &A, &err);
    ck_assert_msg(rc == k->rc, "case %d: parse '%s' as %s: rc %s want %s (%s)", _i, k->text,
                  k->type, sl_err_name(rc), sl_err_name(k->rc), err.msg);
    if (rc == 0) {
        const char *got = fmt(&v, t, SL_FMT_CAST);
        ck_assert_msg(strcmp(got, k->want) == 0, "case %d: got '%s' want '%s'", _i, got, k->want);
    } else {
        ck_assert_msg(err.msg[0] != '\0', "case %d: no message", _i);
        ck_assert_int_eq(err.code, -rc);
    }
}
END_TEST

/* ---- cast ----------------------------------------------------------------------------- */

typedef struct cast_case {
    const char *from, *text, *to;
    bool try_;
    int rc;
    const char *want;       /* PRINT-mode text ("<NULL>" for NULL) */
} cast_case_t;

static const cast_case_t cast_cases[] = {
    /* integers */
    {"INT", "100", "TINYINT", false, 0, "100"},
    {"INT", "300", "TINYINT", false, -SL_EOVERFLOW, NULL},
    {"INT", "300", "TINYINT", true, 0, "<NULL>"},
    {"INT", "-129", "TINYINT", false, -SL_EOVERFLOW, NULL},
    {"BIGINT", "3000000000", "INT", false, -SL_EOVERFLOW, NULL},
    {"BIGINT", "-2147483648", "INT", false, 0, "-2147483648"},
    {"TINYINT", "-5", "BIGINT", false, 0, "-5"},
    {"DOUBLE", "1e10", "INT", false, -SL_EOVERFLOW, NULL},
    {"DOUBLE", "3.99", "INT", false, 0, "3"},
    {"DOUBLE", "-3.99", "INT", false, 0, "-3"},
    {"DOUBLE", "NaN", "INT", false, -SL_EOVERFLOW, NULL},
    {"DOUBLE", "9.2e18", "BIGINT", false, 0, "9200000000000000000"},
    {"DOUBLE", "9.3e18", "BIGINT", false, -SL_EOVERFLOW, NULL},
    {"FLOAT", "2.5", "SMALLINT", false, 0, "2"},
    {"DECIMAL(10,2)", "12.99", "INT", false, 0, "12"},
    {"DECIMAL(10,2)", "-12.99", "INT", false, 0, "-12"},
    {"DECIMAL(20,0)", "99999999999", "INT", false, -SL_EOVERFLOW, NULL},
    {"DECIMAL(20,0)", "99999999999", "INT", true, 0, "<NULL>"},
    {"BOOLEAN", "true", "INT", false, 0, "1"},
    {"BOOLEAN", "false", "BIGINT", false, 0, "0"},
    /* decimals */
    {"DECIMAL(6,4)", "1.2345", "DECIMAL(5,3)", false, 0, "1.235"},
    {"DECIMAL(6,4)", "-1.2345", "DECIMAL(5,3)", false, 0, "-1.235"},
    {"DECIMAL(6,4)", "1.0005", "DECIMAL(5,3)", false, 0, "1.001"},
    {"DECIMAL(6,2)", "9999.99", "DECIMAL(5,2)", false, -SL_EOVERFLOW, NULL},
    {"DECIMAL(6,2)", "9999.99", "DECIMAL(5,2)", true, 0, "<NULL>"},
    {"DECIMAL(6,2)", "9999.99", "DECIMAL(6,1)", false, 0, "10000.0"},
    {"DECIMAL(5,2)", "1.5", "DECIMAL(10,4)", false, 0, "1.5000"},
    {"INT", "5", "DECIMAL(3,2)", false, 0, "5.00"},
    {"INT", "50", "DECIMAL(3,2)", false, -SL_EOVERFLOW, NULL},
    {"BIGINT", "-9223372036854775808", "DECIMAL(19,0)", false, 0, "-9223372036854775808"},
    {"DOUBLE", "0.1", "DECIMAL(10,5)", false, 0, "0.10000"},
    {"DOUBLE", "2.675", "DECIMAL(5,2)", false, 0, "2.68"},
    {"DOUBLE", "1e20", "DECIMAL(10,0)", false, -SL_EOVERFLOW, NULL},
    {"DOUBLE", "Infinity", "DECIMAL(10,0)", false, -SL_EOVERFLOW, NULL},
    {"BOOLEAN", "true", "DECIMAL(3,1)", false, 0, "1.0"},
    /* floating point */
    {"INT", "16777217", "FLOAT", false, 0, "1.6777216E7"},
    {"BIGINT", "123", "DOUBLE", false, 0, "123.0"},
    {"DECIMAL(5,2)", "1.10", "DOUBLE", false, 0, "1.1"},
    {"DOUBLE", "0.1", "FLOAT", false, 0, "0.1"},
    {"FLOAT", "0.1", "DOUBLE", false, 0, "0.10000000149011612"},
    {"BOOLEAN", "true", "DOUBLE", false, 0, "1.0"},
    /* from strings */
    {"STRING", " 42 ", "INT", false, 0, "42"},
    {"STRING", "1.9", "INT", false, 0, "1"},
    {"STRING", "-1.9", "INT", false, 0, "-1"},
    {"STRING", "abc", "INT", false, -SL_EFORMAT, NULL},
    {"STRING", "abc", "INT", true, 0, "<NULL>"},
    {"STRING", "2147483648", "INT", false, -SL_EOVERFLOW, NULL},
    {"STRING", "", "BIGINT", false, -SL_EFORMAT, NULL},
    {"STRING", "1.5", "DOUBLE", false, 0, "1.5"},
    {"STRING", " 12.345 ", "DECIMAL(5,2)", false, 0, "12.35"},
    {"STRING", "1e3", "DECIMAL(6,1)", false, 0, "1000.0"},
    {"STRING", "x", "DECIMAL(6,1)", true, 0, "<NULL>"},
    {"STRING", "yes", "BOOLEAN", false, 0, "TRUE"},
    {"STRING", " T ", "BOOLEAN", false, 0, "TRUE"},
    {"STRING", "0", "BOOLEAN", false, 0, "FALSE"},
    {"STRING", "maybe", "BOOLEAN", false, -SL_EFORMAT, NULL},
    {"INT", "0", "BOOLEAN", false, 0, "FALSE"},
    {"DOUBLE", "0.5", "BOOLEAN", false, 0, "TRUE"},
    {"DECIMAL(5,2)", "0.00", "BOOLEAN", false, 0, "FALSE"},
    /* to strings */
    {"INT", "42", "STRING", false, 0, "42"},
    {"DOUBLE", "1e10", "STRING", false, 0, "1.0E10"},
    {"DECIMAL(5,2)", "1.5", "STRING", false, 0, "1.50"},
    {"BOOLEAN", "true", "STRING", false, 0, "TRUE"},
    {"DATE", "2019-03-01", "STRING", false, 0, "2019-03-01"},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00.1", "STRING", false, 0, "2019-03-01 12:00:00.100"},
    {"TIME(0)", "01:02:03", "STRING", false, 0, "01:02:03"},
    {"INTERVAL_YM", "14", "STRING", false, 0, "+1-02"},
    {"STRING", "abcdef", "VARCHAR(3)", false, 0, "abc"},
    {"STRING", "ab", "CHAR(4)", false, 0, "ab  "},
    {"STRING", "äöü", "VARCHAR(2)", false, 0, "äö"},
    {"STRING", "ab", "VARCHAR(5)", false, 0, "ab"},
    {"INT", "12345", "CHAR(3)", false, 0, "123"},
    {"INT", "1", "CHAR(3)", false, 0, "1  "},
    {"CHAR(3)", "ab ", "STRING", false, 0, "ab "},
    {"BYTES", "aGk=", "STRING", false, 0, "hi"},
    {"BYTES", "/w==", "STRING", false, -SL_EFORMAT, NULL},
    {"BYTES", "/w==", "STRING", true, 0, "<NULL>"},
    {"ARRAY<INT>", "[1,null]", "STRING", false, 0, "[1, null]"},
    {"ROW<a INT,b STRING>", "(1,x)", "STRING", false, 0, "(1, x)"},
    {"MAP<STRING,INT>", "{k=1}", "STRING", false, 0, "{k=1}"},
    {"ARRAY<INT>", "[1,2,3]", "VARCHAR(5)", false, 0, "[1, 2"},
    /* binary */
    {"STRING", "ab", "BINARY(4)", false, 0, "x'61620000'"},
    {"STRING", "abcdef", "VARBINARY(2)", false, 0, "x'6162'"},
    {"STRING", "ab", "BYTES", false, 0, "x'6162'"},
    {"BYTES", "AQID", "BINARY(2)", false, 0, "x'0102'"},
    /* dates and times */
    {"STRING", "2019-03-01", "DATE", false, 0, "2019-03-01"},
    {"STRING", " 2019-03-01 12:00:00 ", "DATE", false, 0, "2019-03-01"},
    {"STRING", "2019-03", "DATE", false, 0, "2019-03-01"},
    {"STRING", "2019", "DATE", false, 0, "2019-01-01"},
    {"STRING", "2019-02-30", "DATE", false, -SL_EFORMAT, NULL},
    {"STRING", "x", "DATE", true, 0, "<NULL>"},
    {"STRING", "12:34:56.789", "TIME(0)", false, 0, "12:34:56"},
    {"STRING", "12:34:56.789", "TIME(3)", false, 0, "12:34:56.789"},
    {"STRING", "2019-03-01 12:00:00.123456", "TIMESTAMP(3)", false, 0, "2019-03-01 12:00:00.123"},
    {"STRING", "2019-03-01T12:00:00", "TIMESTAMP(0)", false, 0, "2019-03-01 12:00:00"},
    {"STRING", "2019-03-01 25:00:00", "TIMESTAMP(0)", false, -SL_EFORMAT, NULL},
    {"STRING", "2019-03-01 12:00:00", "TIMESTAMP_LTZ(3)", false, 0, "2019-03-01 12:00:00.000"},
    {"DATE", "2019-03-01", "TIMESTAMP(3)", false, 0, "2019-03-01 00:00:00.000"},
    {"DATE", "2019-03-01", "TIMESTAMP_LTZ(0)", false, 0, "2019-03-01 00:00:00"},
    {"TIMESTAMP(3)", "2019-03-01 23:59:59.999", "DATE", false, 0, "2019-03-01"},
    {"TIMESTAMP(3)", "1969-12-31 23:59:59.999", "DATE", false, 0, "1969-12-31"},
    {"TIMESTAMP(6)", "2019-03-01 12:00:00.123456", "TIMESTAMP(3)", false, 0, "2019-03-01 12:00:00.123"},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00.999", "TIMESTAMP(0)", false, 0, "2019-03-01 12:00:00"},
    {"TIMESTAMP(3)", "2019-03-01 12:34:56.789", "TIME(0)", false, 0, "12:34:56"},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00", "TIMESTAMP_LTZ(3)", false, 0, "2019-03-01 12:00:00.000"},
    {"TIMESTAMP_LTZ(3)", "2019-03-01 12:00:00", "TIMESTAMP(3)", false, 0, "2019-03-01 12:00:00.000"},
    {"TIME(0)", "12:34:56", "TIMESTAMP(0)", false, 0, "1970-01-01 12:34:56"},
    {"TIME(3)", "12:34:56.789", "TIME(0)", false, 0, "12:34:56"},
    /* numbers and timestamps: rejected as Flink does, even by TRY_CAST */
    {"INT", "1", "TIMESTAMP(3)", false, -SL_ETYPE, NULL},
    {"INT", "1", "TIMESTAMP_LTZ(3)", true, -SL_ETYPE, NULL},
    {"TIMESTAMP(3)", "2019-03-01 12:00:00", "BIGINT", false, -SL_ETYPE, NULL},
    /* intervals */
    {"INT", "3", "INTERVAL_DT", false, 0, "+0 00:00:03.000"},
    {"INTERVAL_DT", "3500", "INT", false, 0, "3"},
    {"INTERVAL_DT", "3500", "DECIMAL(10,3)", false, 0, "3.500"},
    {"INT", "2", "INTERVAL_YEAR", false, 0, "+2-00"},
    {"INTERVAL_YEAR", "30", "INT", false, 0, "2"},
    {"STRING", "1 02:03:04", "INTERVAL_DAY_SECOND", false, 0, "+1 02:03:04.000"},
    {"STRING", "x", "INTERVAL_DAY_SECOND", false, -SL_EFORMAT, NULL},
    {"BIGINT", "9223372036854775807", "INTERVAL_DT", false, -SL_EOVERFLOW, NULL},
    {"DECIMAL(5,1)", "1.5", "INTERVAL_DT", false, 0, "+0 00:00:01.500"},
    /* nested */
    {"ARRAY<INT>", "[1,2]", "ARRAY<STRING>", false, 0, "[1, 2]"},
    {"ARRAY<STRING>", "[1,x]", "ARRAY<INT>", false, -SL_EFORMAT, NULL},
    {"ARRAY<STRING>", "[1,x]", "ARRAY<INT>", true, 0, "<NULL>"},
    {"ARRAY<STRING>", "[1,null]", "ARRAY<BIGINT>", false, 0, "[1, null]"},
    {"ROW<a INT,b STRING>", "(1,2.5)", "ROW<x BIGINT,y DECIMAL(3,1)>", false, 0, "(1, 2.5)"},
    {"MAP<STRING,INT>", "{a=1}", "MAP<STRING,DOUBLE>", false, 0, "{a=1.0}"},
    {"ROW<a INT>", "(1)", "ROW<a INT,b INT>", false, -SL_ETYPE, NULL},
    /* NULL */
    {"INT", NULL, "STRING", false, 0, "<NULL>"},
    {"NULL", NULL, "DATE", false, 0, "<NULL>"},
};

START_TEST(test_cast_table)
{
    const cast_case_t *k = &cast_cases[_i];
    const sl_type_t *from = T(k->from), *to = T(k->to);
    sl_value_t v = V(from, k->text), out;
    memset(&out, 0x5a, sizeof out);
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_value_cast(&v, from, &out, to, k->try_, &A, &err);
    ck_assert_msg(rc == k->rc, "case %d: CAST(%s '%s' AS %s): rc %s want %s (%s)", _i, k->from,
                  k->text ? k->text : "NULL", k->to, sl_err_name(rc), sl_err_name(k->rc), err.msg);
    if (rc == 0) {
        const char *got = fmt(&out, to, SL_FMT_PRINT);
        ck_assert_msg(strcmp(got, k->want) == 0, "case %d: CAST(%s '%s' AS %s) = '%s', want '%s'",
                      _i, k->from, k->text ? k->text : "NULL", k->to, got, k->want);
        if (k->try_ || out.null) ck_assert_str_eq(err.msg, "");
    } else {
        ck_assert_msg(err.msg[0], "case %d: empty error message", _i);
    }
}
END_TEST

START_TEST(test_cast_messages)
{
    sl_err_t err;
    sl_value_t out;
    sl_value_t v = V(&sl_type_string, "abc");
    ck_assert_int_eq(sl_value_cast(&v, &sl_type_string, &out, &sl_type_int, false, &A, &err),
                     -SL_EFORMAT);
    ck_assert_str_eq(err.msg, "cannot cast 'abc' to INT");
    v = V(&sl_type_int, "300");
    ck_assert_int_eq(sl_value_cast(&v, &sl_type_int, &out, &sl_type_tinyint, false, &A, &err),
                     -SL_EOVERFLOW);
    ck_assert_str_eq(err.msg, "value 300 of type INT is out of range for TINYINT");
    /* the output may alias the input */
    v = V(&sl_type_int, "7");
    ck_assert_int_eq(sl_value_cast(&v, &sl_type_int, &v, &sl_type_string, false, &A, &err), 0);
    ck_assert_int_eq((int)v.len, 1);
    ck_assert(v.str[0] == '7');
    /* string results live in the arena, not in the input */
    v = V(&sl_type_string, "xyz");
    ck_assert_int_eq(sl_value_cast(&v, &sl_type_string, &out, &sl_type_string, false, &A, &err), 0);
    ck_assert_ptr_ne(out.str, v.str);
}
END_TEST

/* ---- compare, equality, hash --------------------------------------------------------- */

typedef struct order_case {
    const char *type;
    const char *vals[12];   /* ascending; "=" before a value: equal to the previous */
} order_case_t;

static const order_case_t order_cases[] = {
    {"INT", {"-2147483648", "-1", "0", "1", "2147483647"}},
    {"BIGINT", {"-9223372036854775808", "0", "=0", "9223372036854775807"}},
    {"DECIMAL(10,2)", {"-99999999.99", "-0.01", "0", "=0.00", "0.5", "10"}},
    {"DOUBLE", {"-Infinity", "-1e300", "-0.0", "=0.0", "1e-300", "Infinity", "NaN", "=NaN"}},
    {"FLOAT", {"-1", "0", "0.5", "1e30"}},
    {"STRING", {"", "A", "B", "a", "ab", "b", "ä", "€"}},
    {"BYTES", {"", "AA==", "AAA=", "AQ==", "/w=="}},
    {"BOOLEAN", {"false", "true", "=true"}},
    {"DATE", {"0001-01-01", "1969-12-31", "1970-01-01", "9999-12-31"}},
    {"TIME(9)", {"00:00:00", "00:00:00.000000001", "12:00:00", "23:59:59.999999999"}},
    {"TIMESTAMP(9)", {"1969-12-31 23:59:59.999999999", "1970-01-01 00:00:00",
                      "1970-01-01 00:00:00.000000001", "1970-01-01 00:00:00.001"}},
    {"TIMESTAMP_LTZ(3)", {"2019-01-01 00:00:00", "2019-01-01 00:00:00.001"}},
    {"INTERVAL_DT", {"-1000", "0", "1"}},
    {"ARRAY<INT>", {"[]", "[null]", "[1]", "[1,null]", "[1,2]", "[2]"}},
    {"ROW<a INT,b STRING>", {"(null,x)", "(1,null)", "(1,a)", "(1,b)", "(2,a)"}},
};

START_TEST(test_order_table)
{
    const order_case_t *k = &order_cases[_i];
    const sl_type_t *t = T(k->type);
    sl_value_t v[13];
    int rank[13];
    int n = 0, r = 0;
    v[n] = sl_value_null();
    rank[n++] = r++;
    for (int i = 0; i < 12 && k->vals[i]; i++) {
        const char *s = k->vals[i];
        bool same = s[0] == '=';
        if (same) s++;
        else r++;
        v[n] = V(t, s);
        rank[n++] = r;
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            int want = (rank[i] > rank[j]) - (rank[i] < rank[j]);
            int c = sl_value_cmp(&v[i], &v[j], t);
            int got = (c > 0) - (c < 0);
            ck_assert_msg(got == want, "%s: cmp(#%d, #%d) = %d, want %d", k->type, i, j, c, want);
            bool eq = sl_value_eq(&v[i], &v[j], t);
            ck_assert_msg(eq == (want == 0), "%s: eq(#%d, #%d)", k->type, i, j);
            if (eq)
                ck_assert_msg(sl_value_hash(&v[i], t, 7) == sl_value_hash(&v[j], t, 7),
                              "%s: hash(#%d) != hash(#%d) for equal values", k->type, i, j);
        }
    }
    /* different seeds give different hashes (for a non-NULL value) */
    ck_assert(sl_value_hash(&v[1], t, 1) != sl_value_hash(&v[1], t, 2));
}
END_TEST

START_TEST(test_map_equality)
{
    const sl_type_t *t = T("MAP<STRING,INT>");
    sl_value_t a = V(t, "{a=1,b=2}"), b = V(t, "{b=2,a=1}"), c = V(t, "{a=1,b=3}"),
               d = V(t, "{a=1}"), e = V(t, "{a=null}"), f = V(t, "{a=null}");
    ck_assert(sl_value_eq(&a, &b, t));
    ck_assert_uint_eq(sl_value_hash(&a, t, 0), sl_value_hash(&b, t, 0));
    ck_assert(!sl_value_eq(&a, &c, t));
    ck_assert(!sl_value_eq(&a, &d, t));
    ck_assert(sl_value_eq(&e, &f, t));
    ck_assert_uint_eq(sl_value_hash(&e, t, 3), sl_value_hash(&f, t, 3));
    ck_assert_int_ne(sl_value_cmp(&a, &d, t), 0);
}
END_TEST

START_TEST(test_hash_spreads)
{
    /* 1000 distinct ints hash to (almost) 1000 distinct values */
    uint64_t h[1000];
    for (int i = 0; i < 1000; i++) {
        sl_value_t v = {0};
        v.i64 = i;
        h[i] = sl_value_hash(&v, &sl_type_bigint, 0);
    }
    int dup = 0;
    for (int i = 0; i < 1000; i++)
        for (int j = i + 1; j < 1000; j++) dup += h[i] == h[j];
    ck_assert_int_eq(dup, 0);
}
END_TEST

/* ---- copy ------------------------------------------------------------------------------- */

START_TEST(test_copy_deep)
{
    sl_arena_t src, dst;
    sl_arena_init(&src, 256);
    sl_arena_init(&dst, 256);
    const sl_type_t *t = T("ROW<s STRING,a ARRAY<STRING>,m MAP<STRING,BYTES>,d DECIMAL(20,2)>");
    /* build the value in src */
    sl_nested_t *arr = sl_arena_alloc(&src, sizeof *arr + 2 * sizeof(sl_value_t));
    arr->n = 2;
    memset(arr->v, 0, 2 * sizeof(sl_value_t));
    arr->v[0].str = sl_arena_strdup(&src, "one");
    arr->v[0].len = 3;
    arr->v[1] = sl_value_null();
    sl_nested_t *map = sl_arena_alloc(&src, sizeof *map + 2 * sizeof(sl_value_t));
    map->n = 1;
    memset(map->v, 0, 2 * sizeof(sl_value_t));
    map->v[0].str = sl_arena_strdup(&src, "k");
    map->v[0].len = 1;
    map->v[1].str = sl_arena_memdup(&src, "\x00\x01", 2);
    map->v[1].len = 2;
    sl_nested_t *row = sl_arena_alloc(&src, sizeof *row + 4 * sizeof(sl_value_t));
    row->n = 4;
    memset(row->v, 0, 4 * sizeof(sl_value_t));
    row->v[0].str = sl_arena_strdup(&src, "hello");
    row->v[0].len = 5;
    row->v[1].nested = arr;
    row->v[1].len = 2;
    row->v[2].nested = map;
    row->v[2].len = 1;
    row->v[3].dec = (__int128)123456789 * 1000000000 * 1000;
    sl_value_t v = {0}, c;
    v.nested = row;
    v.len = 4;
    const char *before = fmt(&v, t, SL_FMT_PRINT);
    ck_assert_int_eq(sl_value_copy(&c, &v, t, &dst), 0);
    ck_assert_ptr_ne(c.nested, v.nested);
    ck_assert_ptr_ne(c.nested->v[0].str, v.nested->v[0].str);
    ck_assert_ptr_ne(c.nested->v[1].nested, arr);
    ck_assert(sl_value_eq(&c, &v, t));
    sl_arena_destroy(&src);   /* the copy must not point into src */
    ck_assert_str_eq(fmt(&c, t, SL_FMT_PRINT), before);
    ck_assert_str_eq(before, "(hello, [one, null], {k=x'0001'}, 1234567890000000000.00)");
    /* scalars and NULL copy as is; empty strings get a valid pointer */
    sl_value_t e = {0}, ec;
    ck_assert_int_eq(sl_value_copy(&ec, &e, &sl_type_string, &dst), 0);
    ck_assert_ptr_nonnull(ec.str);
    ck_assert_int_eq((int)ec.len, 0);
    sl_value_t n = sl_value_null(), nc;
    ck_assert_int_eq(sl_value_copy(&nc, &n, t, &dst), 0);
    ck_assert(nc.null);
    sl_arena_destroy(&dst);
}
END_TEST

/* ---- batch ------------------------------------------------------------------------------- */

START_TEST(test_batch_growth)
{
    sl_batch_t b;
    ck_assert_int_eq(sl_batch_init(&b, 3, 4), 0);
    ck_assert_int_eq(b.cap, 4);
    const int N = 3000;
    for (int round = 0; round < 2; round++) {
        for (int r = 0; r < N; r++) {
            sl_value_t *row = sl_batch_add(&b, r % 4);
            ck_assert_ptr_nonnull(row);
            sl_value_t v = {0};
            v.i64 = r;
            row[0] = v;
            char tmp[32];
            int len = snprintf(tmp, sizeof tmp, "row-%d-%d", round, r);
            sl_value_t s = {0};
            s.str = tmp;
            s.len = (uint32_t)len;
            ck_assert_int_eq(sl_batch_set(&b, &row[1], &s, &sl_type_string), 0);
            row[2] = sl_value_null();
        }
        ck_assert_int_eq(b.nrows, N);
        ck_assert_int_ge(b.cap, N);
        for (int r = 0; r < N; r++) {
            const sl_value_t *row = sl_batch_row(&b, r);
            ck_assert_int_eq(row[0].i64, r);
            char tmp[32];
            int len = snprintf(tmp, sizeof tmp, "row-%d-%d", round, r);
            ck_assert_int_eq((int)row[1].len, len);
            ck_assert(memcmp(row[1].str, tmp, (size_t)len) == 0);
            ck_assert(row[2].null);
            ck_assert_int_eq(b.kinds[r], r % 4);
        }
        int cap = b.cap;
        sl_batch_reset(&b);
        ck_assert_int_eq(b.nrows, 0);
        ck_assert_int_eq(b.cap, cap);   /* allocations kept */
    }
    sl_batch_destroy(&b);
    ck_assert_ptr_null(b.vals);
}
END_TEST

START_TEST(test_batch_default_and_kinds)
{
    sl_batch_t b;
    ck_assert_int_eq(sl_batch_init(&b, 1, 0), 0);
    ck_assert_int_eq(b.cap, 0);
    for (int i = 0; i < SL_BATCH_DEFAULT_ROWS + 1; i++) ck_assert_ptr_nonnull(sl_batch_add(&b, SL_INSERT));
    ck_assert_int_eq(b.nrows, SL_BATCH_DEFAULT_ROWS + 1);
    sl_batch_destroy(&b);
    ck_assert_str_eq(sl_row_kind_str(SL_INSERT), "+I");
    ck_assert_str_eq(sl_row_kind_str(SL_UPDATE_BEFORE), "-U");
    ck_assert_str_eq(sl_row_kind_str(SL_UPDATE_AFTER), "+U");
    ck_assert_str_eq(sl_row_kind_str(SL_DELETE), "-D");
    ck_assert_str_eq(sl_row_kind_str(9), "?");
    ck_assert(sl_row_kind_is_add(SL_INSERT) && sl_row_kind_is_add(SL_UPDATE_AFTER));
    ck_assert(!sl_row_kind_is_add(SL_DELETE) && !sl_row_kind_is_add(SL_UPDATE_BEFORE));
    ck_assert_int_eq(sl_batch_init(&b, -1, 0), -SL_EINVAL);
    sl_batch_destroy(&b);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("value");
    TCase *tc = tcase_create("value");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_format_table, 0, N_OF(fmt_cases));
    tcase_add_test(tc, test_format_appends);
    tcase_add_loop_test(tc, test_double_format, 0, N_OF(dbl_cases));
    tcase_add_loop_test(tc, test_parse_table, 0, N_OF(parse_cases));
    tcase_add_loop_test(tc, test_cast_table, 0, N_OF(cast_cases));
    tcase_add_test(tc, test_cast_messages);
    tcase_add_loop_test(tc, test_order_table, 0, N_OF(order_cases));
    tcase_add_test(tc, test_map_equality);
    tcase_add_test(tc, test_hash_spreads);
    tcase_add_test(tc, test_copy_deep);
    tcase_add_test(tc, test_batch_growth);
    tcase_add_test(tc, test_batch_default_and_kinds);
    suite_add_tcase(s, tc);
    return sl_test_run_suite(s);
}
