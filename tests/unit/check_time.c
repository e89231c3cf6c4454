/* check_time.c - unit tests for util/time: calendar conversion, DATE / TIME /
 * TIMESTAMP parsing and formatting, arithmetic, EXTRACT, FLOOR/CEIL,
 * TIMESTAMPDIFF and interval literals. Expected day numbers and ISO weeks
 * were cross-checked with Python's datetime. */
#include "util/time.h"
#include "util/err.h"
#include "testutil.h"

#include <string.h>

#define MS_DAY SL_MILLIS_PER_DAY

/* For hot loops: Check's ck_assert records every passing assertion (a write
 * per call), which makes millions of them slow. */
#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

static sl_date_t DT(const char *s)
{
    sl_date_t d;
    int rc = sl_date_parse(s, strlen(s), &d);
    ck_assert_msg(rc == 0, "date '%s': %s", s, sl_err_name(rc));
    return d;
}

static sl_timestamp_t TS(const char *s)
{
    sl_timestamp_t ts;
    int rc = sl_timestamp_parse(s, strlen(s), 9, &ts);
    ck_assert_msg(rc == 0, "timestamp '%s': %s", s, sl_err_name(rc));
    return ts;
}

static sl_time_t TM(const char *s)
{
    sl_time_t t;
    int rc = sl_time_parse(s, strlen(s), 9, &t);
    ck_assert_msg(rc == 0, "time '%s': %s", s, sl_err_name(rc));
    return t;
}

static void assert_date(sl_date_t d, const char *want)
{
    char buf[SL_DATE_STRLEN];
    ck_assert_int_eq(sl_date_format(d, buf, sizeof buf), (int)strlen(want));
    ck_assert_str_eq(buf, want);
}

static void assert_ts(sl_timestamp_t ts, int p, const char *want)
{
    char buf[SL_TIMESTAMP_STRLEN];
    ck_assert_int_eq(sl_timestamp_format(ts, p, buf, sizeof buf), (int)strlen(want));
    ck_assert_str_eq(buf, want);
}

static void assert_time(sl_time_t t, int p, const char *want)
{
    char buf[SL_TIME_STRLEN];
    ck_assert_int_eq(sl_time_format(t, p, buf, sizeof buf), (int)strlen(want));
    ck_assert_str_eq(buf, want);
}

/* ---- calendar ------------------------------------------------------------ */

START_TEST(test_calendar_known)
{
    static const struct { int y, m, d; sl_date_t days; } known[] = {
        {1970, 1, 1, 0}, {1969, 12, 31, -1}, {2000, 2, 29, 11016},
        {1900, 3, 1, -25508}, {1900, 2, 28, -25509}, {2019, 3, 1, 17956},
        {1, 1, 1, SL_DATE_MIN}, {9999, 12, 31, SL_DATE_MAX},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        sl_date_t d;
        ck_assert_int_eq(sl_date_make(known[i].y, known[i].m, known[i].d, &d), 0);
        ck_assert_int_eq(d, known[i].days);
        int y, m, dd;
        sl_date_to_civil(known[i].days, &y, &m, &dd);
        ck_assert(y == known[i].y && m == known[i].m && dd == known[i].d);
    }
    sl_date_t d;
    ck_assert_int_eq(sl_date_make(1900, 2, 29, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_make(2000, 2, 30, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_make(0, 1, 1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_make(10000, 1, 1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_make(2000, 13, 1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_make(2000, 1, 0, &d), -SL_ERANGE);

    ck_assert(sl_is_leap_year(2000));
    ck_assert(sl_is_leap_year(2024));
    ck_assert(!sl_is_leap_year(1900));
    ck_assert(!sl_is_leap_year(2023));
    ck_assert_int_eq(sl_days_in_month(2000, 2), 29);
    ck_assert_int_eq(sl_days_in_month(1900, 2), 28);
    ck_assert_int_eq(sl_days_in_month(2019, 4), 30);
    ck_assert_int_eq(sl_days_in_month(2019, 12), 31);
    ck_assert_int_eq(sl_days_in_month(2019, 0), 0);
    ck_assert_int_eq(sl_days_in_month(2019, 13), 0);
}
END_TEST

/* Every day of the supported range round-trips and follows the previous. */
START_TEST(test_calendar_exhaustive)
{
    int py = 0, pm = 12, pd = 31;
    for (sl_date_t d = SL_DATE_MIN; d <= SL_DATE_MAX; d++) {
        int y, m, dd;
        sl_date_to_civil(d, &y, &m, &dd);
        if (dd == 1) {
            REQUIRE(pd == sl_days_in_month(py, pm));
            REQUIRE(m == pm % 12 + 1);
            REQUIRE(y == (m == 1 ? py + 1 : py));
        } else {
            REQUIRE(dd == pd + 1 && m == pm && y == py);
        }
        sl_date_t back;
        REQUIRE(sl_date_make(y, m, dd, &back) == 0 && back == d);
        py = y;
        pm = m;
        pd = dd;
    }
    ck_assert(py == 9999 && pm == 12 && pd == 31);
}
END_TEST

/* ---- DATE ---------------------------------------------------------------- */

static const struct date_case {
    const char *text;
    int rc;
    const char *want;
} date_cases[] = {
    {"2000-02-29", 0, "2000-02-29"},
    {"1900-02-28", 0, "1900-02-28"},
    {"0001-01-01", 0, "0001-01-01"},
    {"9999-12-31", 0, "9999-12-31"},
    {"1970-01-01", 0, "1970-01-01"},
    {"2019-3-1", 0, "2019-03-01"},
    {"  2019-03-01\t", 0, "2019-03-01"},
    {"1-1-1", 0, "0001-01-01"},
    {"1900-02-29", -SL_EFORMAT, NULL},
    {"2019-02-29", -SL_EFORMAT, NULL},
    {"2019-13-01", -SL_EFORMAT, NULL},
    {"2019-00-10", -SL_EFORMAT, NULL},
    {"2019-01-00", -SL_EFORMAT, NULL},
    {"2019-01-32", -SL_EFORMAT, NULL},
    {"2019-04-31", -SL_EFORMAT, NULL},
    {"0000-01-01", -SL_EFORMAT, NULL},
    {"10000-01-01", -SL_EFORMAT, NULL},
    {"2019-01", -SL_EFORMAT, NULL},
    {"2019/01/01", -SL_EFORMAT, NULL},
    {"2019-01-01x", -SL_EFORMAT, NULL},
    {"2019-01-01 12:00:00", -SL_EFORMAT, NULL},
    {"-2019-01-01", -SL_EFORMAT, NULL},
    {"2019-001-01", -SL_EFORMAT, NULL},
    {"2019--01", -SL_EFORMAT, NULL},
    {"", -SL_EFORMAT, NULL},
    {"   ", -SL_EFORMAT, NULL},
    {"abcd-ef-gh", -SL_EFORMAT, NULL},
};

START_TEST(test_date_parse_table)
{
    const struct date_case *c = &date_cases[_i];
    sl_date_t d = 12345;
    int rc = sl_date_parse(c->text, strlen(c->text), &d);
    ck_assert_msg(rc == c->rc, "'%s': %s", c->text, sl_err_name(rc));
    if (rc == 0) assert_date(d, c->want);
    else ck_assert_int_eq(d, 12345);   /* untouched on error */
}
END_TEST

START_TEST(test_date_format_errors)
{
    char buf[SL_DATE_STRLEN];
    ck_assert_int_eq(sl_date_format(SL_DATE_MIN - 1, buf, sizeof buf), -SL_ERANGE);
    ck_assert_int_eq(sl_date_format(SL_DATE_MAX + 1, buf, sizeof buf), -SL_ERANGE);
    ck_assert_int_eq(sl_date_format(0, buf, 10), -SL_ERANGE);   /* no room for NUL */
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(sl_date_format(0, buf, 11), 10);
    ck_assert_str_eq(buf, "1970-01-01");
    /* only n bytes are read */
    sl_date_t d;
    ck_assert_int_eq(sl_date_parse("2019-03-01garbage", 10, &d), 0);
    assert_date(d, "2019-03-01");
}
END_TEST

START_TEST(test_date_arith)
{
    sl_date_t d;
    ck_assert_int_eq(sl_date_add_days(DT("2000-02-28"), 1, &d), 0);
    assert_date(d, "2000-02-29");
    ck_assert_int_eq(sl_date_add_days(DT("1900-02-28"), 1, &d), 0);
    assert_date(d, "1900-03-01");
    ck_assert_int_eq(sl_date_add_days(DT("1970-01-01"), -1, &d), 0);
    assert_date(d, "1969-12-31");
    ck_assert_int_eq(sl_date_add_days(SL_DATE_MAX, 1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_days(SL_DATE_MIN, -1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_days(0, INT64_MAX, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_days(0, INT64_MIN, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_days(SL_DATE_MIN, SL_DATE_MAX - SL_DATE_MIN, &d), 0);
    ck_assert_int_eq(d, SL_DATE_MAX);

    static const struct { const char *from; int64_t months; const char *want; } mc[] = {
        {"2020-01-31", 1, "2020-02-29"},
        {"2019-01-31", 1, "2019-02-28"},
        {"2020-03-31", -1, "2020-02-29"},
        {"2020-02-29", 12, "2021-02-28"},
        {"2020-02-29", 48, "2024-02-29"},
        {"2019-05-31", 1, "2019-06-30"},
        {"2019-12-15", 1, "2020-01-15"},
        {"2019-01-15", -1, "2018-12-15"},
        {"2019-01-15", -13, "2017-12-15"},
        {"2019-01-15", 0, "2019-01-15"},
        {"0001-01-31", 119987, "9999-12-31"},
    };
    for (size_t i = 0; i < sizeof mc / sizeof mc[0]; i++) {
        ck_assert_int_eq(sl_date_add_months(DT(mc[i].from), mc[i].months, &d), 0);
        assert_date(d, mc[i].want);
    }
    ck_assert_int_eq(sl_date_add_months(DT("9999-12-01"), 1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_months(DT("0001-01-31"), -1, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_months(0, INT64_MAX, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_add_months(0, INT64_MIN, &d), -SL_ERANGE);
}
END_TEST

START_TEST(test_date_extract)
{
    static const struct { const char *date; int unit; int64_t want; } ec[] = {
        {"2019-03-01", SL_TU_YEAR, 2019},
        {"2019-03-01", SL_TU_QUARTER, 1},
        {"2019-03-01", SL_TU_MONTH, 3},
        {"2019-03-01", SL_TU_DAY, 1},
        {"2019-03-01", SL_TU_DOW, 6},         /* Friday, Sunday = 1 */
        {"2019-03-01", SL_TU_ISODOW, 5},
        {"2019-03-01", SL_TU_DOY, 60},
        {"2019-03-01", SL_TU_WEEK, 9},
        {"2019-03-01", SL_TU_ISOYEAR, 2019},
        {"2019-03-01", SL_TU_DECADE, 201},
        {"2019-03-01", SL_TU_CENTURY, 21},
        {"2000-12-31", SL_TU_CENTURY, 20},
        {"2001-01-01", SL_TU_CENTURY, 21},
        {"2019-03-01", SL_TU_MILLENNIUM, 3},
        {"2000-06-01", SL_TU_MILLENNIUM, 2},
        {"2019-03-01", SL_TU_EPOCH, 17956LL * 86400},
        {"1969-12-31", SL_TU_EPOCH, -86400},
        {"2021-01-03", SL_TU_WEEK, 53},       /* Sunday of ISO 2020-W53 */
        {"2021-01-03", SL_TU_ISOYEAR, 2020},
        {"2021-01-03", SL_TU_DOW, 1},
        {"2021-01-03", SL_TU_ISODOW, 7},
        {"2019-12-30", SL_TU_WEEK, 1},
        {"2019-12-30", SL_TU_ISOYEAR, 2020},
        {"2000-01-01", SL_TU_WEEK, 52},
        {"2000-01-01", SL_TU_ISOYEAR, 1999},
        {"2020-12-31", SL_TU_DOY, 366},
        {"2020-12-31", SL_TU_QUARTER, 4},
        {"0001-01-01", SL_TU_WEEK, 1},
        {"0001-01-01", SL_TU_ISODOW, 1},
        {"0001-01-01", SL_TU_YEAR, 1},
        {"9999-12-31", SL_TU_DOY, 365},
        {"9999-12-31", SL_TU_YEAR, 9999},
    };
    for (size_t i = 0; i < sizeof ec / sizeof ec[0]; i++) {
        int64_t v = -999;
        ck_assert_int_eq(sl_date_extract(DT(ec[i].date), ec[i].unit, &v), 0);
        ck_assert_msg(v == ec[i].want, "EXTRACT(%s FROM %s) = %lld, want %lld",
                      sl_time_unit_name(ec[i].unit), ec[i].date, (long long)v,
                      (long long)ec[i].want);
    }
    int64_t v;
    ck_assert_int_eq(sl_date_extract(0, SL_TU_HOUR, &v), -SL_EINVAL);
    ck_assert_int_eq(sl_date_extract(0, SL_TU_SECOND, &v), -SL_EINVAL);
    ck_assert_int_eq(sl_date_extract(0, -1, &v), -SL_EINVAL);
    ck_assert_int_eq(sl_date_extract(0, SL_TU_COUNT, &v), -SL_EINVAL);
}
END_TEST

START_TEST(test_date_floor_ceil)
{
    static const struct { const char *date; int unit; const char *floor, *ceil; } fc[] = {
        {"2019-03-01", SL_TU_WEEK, "2019-02-24", "2019-03-03"},
        {"2019-03-03", SL_TU_WEEK, "2019-03-03", "2019-03-03"},   /* a Sunday */
        {"2019-03-15", SL_TU_MONTH, "2019-03-01", "2019-04-01"},
        {"2019-03-01", SL_TU_MONTH, "2019-03-01", "2019-03-01"},
        {"2019-05-15", SL_TU_QUARTER, "2019-04-01", "2019-07-01"},
        {"2019-12-15", SL_TU_QUARTER, "2019-10-01", "2020-01-01"},
        {"2019-05-15", SL_TU_YEAR, "2019-01-01", "2020-01-01"},
        {"2019-01-01", SL_TU_YEAR, "2019-01-01", "2019-01-01"},
        {"2019-05-15", SL_TU_DECADE, "2010-01-01", "2020-01-01"},
        {"2019-05-15", SL_TU_CENTURY, "2001-01-01", "2101-01-01"},
        {"2000-05-15", SL_TU_CENTURY, "1901-01-01", "2001-01-01"},
        {"2019-05-15", SL_TU_MILLENNIUM, "2001-01-01", "3001-01-01"},
        {"2019-05-15", SL_TU_DAY, "2019-05-15", "2019-05-15"},
        {"2019-05-15", SL_TU_HOUR, "2019-05-15", "2019-05-15"},
    };
    for (size_t i = 0; i < sizeof fc / sizeof fc[0]; i++) {
        sl_date_t f, c;
        ck_assert_int_eq(sl_date_floor(DT(fc[i].date), fc[i].unit, &f), 0);
        assert_date(f, fc[i].floor);
        ck_assert_int_eq(sl_date_ceil(DT(fc[i].date), fc[i].unit, &c), 0);
        assert_date(c, fc[i].ceil);
    }
    sl_date_t d;
    ck_assert_int_eq(sl_date_floor(SL_DATE_MIN, SL_TU_WEEK, &d), -SL_ERANGE); /* a Monday */
    ck_assert_int_eq(sl_date_floor(SL_DATE_MIN, SL_TU_DECADE, &d), -SL_ERANGE); /* year 0 */
    ck_assert_int_eq(sl_date_floor(SL_DATE_MIN, SL_TU_MILLENNIUM, &d), 0);
    ck_assert_int_eq(d, SL_DATE_MIN);
    ck_assert_int_eq(sl_date_ceil(SL_DATE_MAX, SL_TU_MONTH, &d), -SL_ERANGE);
    ck_assert_int_eq(sl_date_ceil(DT("9999-12-01"), SL_TU_MONTH, &d), 0);
    ck_assert_int_eq(sl_date_floor(0, SL_TU_DOW, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_date_ceil(0, SL_TU_EPOCH, &d), -SL_EINVAL);
    ck_assert_int_eq(sl_date_floor(0, -1, &d), -SL_EINVAL);
}
END_TEST

/* ---- TIME ---------------------------------------------------------------- */

START_TEST(test_time_parse_format)
{
    static const struct { const char *text; int p; int rc; const char *want; int fp; } tc[] = {
        {"12:00:00", 0, 0, "12:00:00", 0},
        {"00:00:00", 0, 0, "00:00:00", 0},
        {"23:59:59.999999999", 9, 0, "23:59:59.999999999", 9},
        {"23:59:59.999999999", 3, 0, "23:59:59.999", 3},
        {"23:59:59.999999999", 3, 0, "23:59:59.999000000", 9},   /* truncated */
        {"23:59:59.999999999", 0, 0, "23:59:59", 0},
        {"12:34:56.5", 9, 0, "12:34:56.500", 3},
        {"12:34:56.5", 9, 0, "12:34:56.5", 1},
        {"12:34", 0, 0, "12:34:00", 0},
        {"1:2:3", 0, 0, "01:02:03", 0},
        {" 12:00:00 ", 0, 0, "12:00:00", 0},
        {"24:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"12:60:00", 0, -SL_EFORMAT, NULL, 0},
        {"12:00:60", 0, -SL_EFORMAT, NULL, 0},
        {"12:00:00.", 9, -SL_EFORMAT, NULL, 0},
        {"12:00:00.1234567890", 9, -SL_EFORMAT, NULL, 0},
        {"12", 0, -SL_EFORMAT, NULL, 0},
        {"12:", 0, -SL_EFORMAT, NULL, 0},
        {"123:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"T12:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"12:00:00Z", 0, -SL_EFORMAT, NULL, 0},
        {"-1:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"", 0, -SL_EFORMAT, NULL, 0},
        {"12:00:00", 10, -SL_EINVAL, NULL, 0},
        {"12:00:00", -1, -SL_EINVAL, NULL, 0},
    };
    for (size_t i = 0; i < sizeof tc / sizeof tc[0]; i++) {
        sl_time_t t;
        int rc = sl_time_parse(tc[i].text, strlen(tc[i].text), tc[i].p, &t);
        ck_assert_msg(rc == tc[i].rc, "'%s': %s", tc[i].text, sl_err_name(rc));
        if (rc == 0) assert_time(t, tc[i].fp, tc[i].want);
    }
    ck_assert(TM("23:59:59.999999999") == SL_NANOS_PER_DAY - 1);
    char buf[SL_TIME_STRLEN];
    ck_assert_int_eq(sl_time_format(0, 10, buf, sizeof buf), -SL_EINVAL);
    ck_assert_int_eq(sl_time_format(-1, 0, buf, sizeof buf), -SL_ERANGE);
    ck_assert_int_eq(sl_time_format(SL_NANOS_PER_DAY, 0, buf, sizeof buf), -SL_ERANGE);
    ck_assert_int_eq(sl_time_format(0, 3, buf, 12), -SL_ERANGE);
    ck_assert_int_eq(sl_time_format(0, 3, buf, 13), 12);
    ck_assert_str_eq(buf, "00:00:00.000");
}
END_TEST

START_TEST(test_time_make_arith)
{
    sl_time_t t;
    ck_assert_int_eq(sl_time_make(23, 59, 59, 999999999, &t), 0);
    ck_assert(t == SL_NANOS_PER_DAY - 1);
    ck_assert_int_eq(sl_time_make(24, 0, 0, 0, &t), -SL_ERANGE);
    ck_assert_int_eq(sl_time_make(0, 60, 0, 0, &t), -SL_ERANGE);
    ck_assert_int_eq(sl_time_make(0, 0, 60, 0, &t), -SL_ERANGE);
    ck_assert_int_eq(sl_time_make(0, 0, 0, 1000000000, &t), -SL_ERANGE);
    ck_assert_int_eq(sl_time_make(-1, 0, 0, 0, &t), -SL_ERANGE);
    ck_assert_int_eq(sl_time_make(0, 0, 0, -1, &t), -SL_ERANGE);

    assert_time(sl_time_add_millis(TM("23:00:00"), 2 * 3600000), 0, "01:00:00");
    assert_time(sl_time_add_millis(TM("01:00:00"), -2 * 3600000), 0, "23:00:00");
    assert_time(sl_time_add_millis(TM("12:00:00.5"), MS_DAY), 3, "12:00:00.500");
    assert_time(sl_time_add_millis(TM("12:00:00"), INT64_MIN), 3, "04:47:04.192");
    assert_time(sl_time_add_millis(TM("00:00:00"), -1), 3, "23:59:59.999");
    assert_time(sl_time_truncate(TM("12:34:56.123456789"), 4), 9, "12:34:56.123400000");
    assert_time(sl_time_truncate(TM("12:34:56.123456789"), 99), 9, "12:34:56.123456789");

    static const struct { int unit; int64_t want; } ec[] = {
        {SL_TU_HOUR, 12}, {SL_TU_MINUTE, 34}, {SL_TU_SECOND, 56},
        {SL_TU_MILLISECOND, 123}, {SL_TU_MICROSECOND, 123456},
        {SL_TU_NANOSECOND, 123456789},
    };
    for (size_t i = 0; i < sizeof ec / sizeof ec[0]; i++) {
        int64_t v;
        ck_assert_int_eq(sl_time_extract(TM("12:34:56.123456789"), ec[i].unit, &v), 0);
        ck_assert(v == ec[i].want);
    }
    int64_t v;
    ck_assert_int_eq(sl_time_extract(0, SL_TU_DAY, &v), -SL_EINVAL);
    ck_assert_int_eq(sl_time_extract(0, SL_TU_YEAR, &v), -SL_EINVAL);

    ck_assert_int_eq(sl_time_floor(TM("12:34:56.7"), SL_TU_MINUTE, &t), 0);
    assert_time(t, 3, "12:34:00.000");
    ck_assert_int_eq(sl_time_ceil(TM("12:34:56.7"), SL_TU_MINUTE, &t), 0);
    assert_time(t, 3, "12:35:00.000");
    ck_assert_int_eq(sl_time_ceil(TM("12:34:00"), SL_TU_MINUTE, &t), 0);
    assert_time(t, 3, "12:34:00.000");
    ck_assert_int_eq(sl_time_ceil(TM("23:30:00"), SL_TU_HOUR, &t), 0);
    assert_time(t, 0, "00:00:00");
    ck_assert_int_eq(sl_time_floor(TM("12:34:56.123456789"), SL_TU_MICROSECOND, &t), 0);
    assert_time(t, 9, "12:34:56.123456000");
    ck_assert_int_eq(sl_time_floor(0, SL_TU_DAY, &t), -SL_EINVAL);
    ck_assert_int_eq(sl_time_ceil(0, SL_TU_WEEK, &t), -SL_EINVAL);
}
END_TEST

/* ---- TIMESTAMP ----------------------------------------------------------- */

START_TEST(test_timestamp_parse_format)
{
    static const struct { const char *text; int p; int rc; const char *want; int fp; } tc[] = {
        {"2019-03-01 12:00:00.123", 3, 0, "2019-03-01 12:00:00.123", 3},
        {"2019-03-01T12:00:00.123", 3, 0, "2019-03-01 12:00:00.123", 3},
        {"2019-03-01 12:00:00.1", 3, 0, "2019-03-01 12:00:00.100", 3},
        {"2019-03-01 12:00:00.123456", 3, 0, "2019-03-01 12:00:00.123", 3},
        {"2019-03-01 12:00:00.123456", 6, 0, "2019-03-01 12:00:00.123456", 6},
        {"2019-03-01 12:00:00.123456", 0, 0, "2019-03-01 12:00:00", 0},
        {"2019-03-01 12:00:00", 9, 0, "2019-03-01 12:00:00.000000000", 9},
        {"2019-03-01", 3, 0, "2019-03-01 00:00:00.000", 3},
        {"2019-03-01 12:00", 0, 0, "2019-03-01 12:00:00", 0},
        {" 2019-3-1 1:2:3 ", 0, 0, "2019-03-01 01:02:03", 0},
        {"1969-12-31 23:59:59.999999999", 9, 0, "1969-12-31 23:59:59.999999999", 9},
        {"1969-12-31 23:59:59.999999999", 3, 0, "1969-12-31 23:59:59.999", 3},
        {"1969-12-31 23:59:59.5", 0, 0, "1969-12-31 23:59:59", 0},
        {"0001-01-01 00:00:00", 0, 0, "0001-01-01 00:00:00", 0},
        {"9999-12-31 23:59:59.999999999", 9, 0, "9999-12-31 23:59:59.999999999", 9},
        {"2000-02-29 00:00:00", 0, 0, "2000-02-29 00:00:00", 0},
        {"1900-02-29 00:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01  12:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01X12:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01 25:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01 12:00:00 x", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01 12:00:00Z", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01T", 0, -SL_EFORMAT, NULL, 0},
        {"12:00:00", 0, -SL_EFORMAT, NULL, 0},
        {"", 0, -SL_EFORMAT, NULL, 0},
        {"2019-03-01 12:00:00", 10, -SL_EINVAL, NULL, 0},
    };
    for (size_t i = 0; i < sizeof tc / sizeof tc[0]; i++) {
        sl_timestamp_t ts;
        int rc = sl_timestamp_parse(tc[i].text, strlen(tc[i].text), tc[i].p, &ts);
        ck_assert_msg(rc == tc[i].rc, "'%s': %s", tc[i].text, sl_err_name(rc));
        if (rc == 0) {
            ck_assert(sl_timestamp_valid(ts));
            assert_ts(ts, tc[i].fp, tc[i].want);
        }
    }
    sl_timestamp_t lo = TS("0001-01-01 00:00:00"), hi = TS("9999-12-31 23:59:59.999999999");
    ck_assert(lo.millis == SL_TS_MILLIS_MIN && lo.nanos == 0);
    ck_assert(hi.millis == SL_TS_MILLIS_MAX && hi.nanos == 999999);
    sl_timestamp_t neg = TS("1969-12-31 23:59:59.999999999");
    ck_assert(neg.millis == -1 && neg.nanos == 999999);

    char buf[SL_TIMESTAMP_STRLEN];
    sl_timestamp_t bad = {SL_TS_MILLIS_MAX + 1, 0};
    ck_assert_int_eq(sl_timestamp_format(bad, 3, buf, sizeof buf), -SL_ERANGE);
    bad.millis = 0;
    bad.nanos = 1000000;
    ck_assert(!sl_timestamp_valid(bad));
    ck_assert_int_eq(sl_timestamp_format(bad, 3, buf, sizeof buf), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_format(hi, 10, buf, sizeof buf), -SL_EINVAL);
    ck_assert_int_eq(sl_timestamp_format(hi, 9, buf, 29), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_format(hi, 9, buf, 30), 29);
}
END_TEST

START_TEST(test_timestamp_conversions)
{
    sl_timestamp_t ts = TS("1969-12-31 23:59:59.999999");
    ck_assert(sl_timestamp_to_micros(ts) == -1);
    sl_timestamp_t back = sl_timestamp_from_micros(-1);
    ck_assert_int_eq(sl_timestamp_cmp(ts, back), 0);
    ck_assert(sl_timestamp_from_micros(1551443696789123LL).millis == 1551443696789LL);
    assert_ts(sl_timestamp_from_micros(1551443696789123LL), 6, "2019-03-01 12:34:56.789123");
    assert_ts(sl_timestamp_from_millis(-1), 3, "1969-12-31 23:59:59.999");
    assert_ts(sl_timestamp_from_date(DT("2019-03-01")), 0, "2019-03-01 00:00:00");

    ts = TS("1969-12-31 12:34:56.789123456");
    ck_assert_int_eq(sl_timestamp_date(ts), -1);
    assert_time(sl_timestamp_time(ts), 9, "12:34:56.789123456");
    sl_timestamp_t m = sl_timestamp_make(sl_timestamp_date(ts), sl_timestamp_time(ts));
    ck_assert_int_eq(sl_timestamp_cmp(m, ts), 0);

    sl_timestamp_t a = TS("2019-03-01 00:00:00.000000001"), b = TS("2019-03-01 00:00:00.000000002");
    ck_assert_int_eq(sl_timestamp_cmp(a, b), -1);
    ck_assert_int_eq(sl_timestamp_cmp(b, a), 1);
    ck_assert_int_eq(sl_timestamp_cmp(TS("1969-12-31 23:59:59.999"), TS("1970-01-01 00:00:00")), -1);

    assert_ts(sl_timestamp_truncate(TS("1969-12-31 23:59:59.987654321"), 2), 9,
              "1969-12-31 23:59:59.980000000");
    assert_ts(sl_timestamp_truncate(TS("1969-12-31 23:59:59.987654321"), 5), 9,
              "1969-12-31 23:59:59.987650000");
    assert_ts(sl_timestamp_truncate(TS("1969-12-31 23:59:59.987654321"), -1), 9,
              "1969-12-31 23:59:59.987654321");
}
END_TEST

START_TEST(test_timestamp_arith)
{
    sl_timestamp_t r;
    ck_assert_int_eq(sl_timestamp_add_millis(TS("2019-03-01 23:59:59.999000001"), 1, &r), 0);
    assert_ts(r, 9, "2019-03-02 00:00:00.000000001");
    ck_assert_int_eq(sl_timestamp_add_millis(TS("1970-01-01 00:00:00"), -1, &r), 0);
    assert_ts(r, 3, "1969-12-31 23:59:59.999");
    ck_assert_int_eq(sl_timestamp_add_millis(TS("9999-12-31 23:59:59.999"), 1, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_add_millis(TS("0001-01-01 00:00:00"), -1, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_add_millis(TS("9999-12-31 00:00:00"), INT64_MAX, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_add_millis(TS("0001-01-01 00:00:00"), INT64_MIN, &r), -SL_ERANGE);

    ck_assert_int_eq(sl_timestamp_add_months(TS("2020-01-31 10:00:00.5"), 1, &r), 0);
    assert_ts(r, 3, "2020-02-29 10:00:00.500");
    ck_assert_int_eq(sl_timestamp_add_months(TS("1969-12-31 23:00:00"), 2, &r), 0);
    assert_ts(r, 0, "1970-02-28 23:00:00");
    ck_assert_int_eq(sl_timestamp_add_months(TS("9999-12-31 10:00:00"), 1, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_add_months(TS("0001-01-01 10:00:00"), -1, &r), -SL_ERANGE);
}
END_TEST

START_TEST(test_timestamp_diff)
{
    static const struct { int unit; const char *from, *to; int64_t want; } dc[] = {
        {SL_TU_SECOND, "2019-03-01 12:00:00", "2019-03-01 12:00:01.999", 1},
        {SL_TU_SECOND, "2019-03-01 12:00:01.999", "2019-03-01 12:00:00", -1},
        {SL_TU_MILLISECOND, "2019-03-01 12:00:00", "2019-03-01 12:00:01.999999", 1999},
        {SL_TU_MINUTE, "2019-03-01 12:00:00", "2019-03-01 13:30:00", 90},
        {SL_TU_HOUR, "2019-03-01 12:00:00", "2019-03-01 13:59:59", 1},
        {SL_TU_DAY, "2019-03-01 00:00:00", "2019-03-02 23:59:00", 1},
        {SL_TU_DAY, "1970-01-02 00:00:00", "1969-12-30 12:00:00", -2},
        {SL_TU_WEEK, "2019-03-01", "2019-03-15", 2},
        {SL_TU_WEEK, "2019-03-01", "2019-03-14", 1},
        {SL_TU_MONTH, "2019-01-31", "2019-02-28", 1},
        {SL_TU_MONTH, "2019-01-31 10:00:00", "2019-02-28 09:00:00", 0},
        {SL_TU_MONTH, "2019-01-15", "2019-02-14", 0},
        {SL_TU_MONTH, "2019-01-15", "2019-02-15", 1},
        {SL_TU_MONTH, "2019-02-15", "2019-01-15", -1},
        {SL_TU_MONTH, "2019-02-15", "2019-01-16", 0},
        {SL_TU_MONTH, "1969-11-30 12:00:00", "1970-01-30 12:00:00", 2},
        {SL_TU_QUARTER, "2019-01-01", "2019-12-31", 3},
        {SL_TU_QUARTER, "2019-01-01", "2020-01-01", 4},
        {SL_TU_YEAR, "2000-02-29", "2001-02-28", 1},
        {SL_TU_YEAR, "2019-01-01", "2019-12-31 23:59:59.999", 0},
        {SL_TU_YEAR, "2020-01-01", "2019-01-01", -1},
        {SL_TU_YEAR, "0001-01-01", "9999-12-31 23:59:59.999", 9998},
        {SL_TU_MONTH, "0001-01-01", "9999-12-31", 119987},
        {SL_TU_DAY, "0001-01-01", "9999-12-31", SL_DATE_MAX - SL_DATE_MIN},
    };
    for (size_t i = 0; i < sizeof dc / sizeof dc[0]; i++) {
        int64_t v = -12345;
        ck_assert_int_eq(sl_timestamp_diff(dc[i].unit, TS(dc[i].from), TS(dc[i].to), &v), 0);
        ck_assert_msg(v == dc[i].want, "TIMESTAMPDIFF(%s, %s, %s) = %lld want %lld",
                      sl_time_unit_name(dc[i].unit), dc[i].from, dc[i].to,
                      (long long)v, (long long)dc[i].want);
    }
    int64_t v;
    ck_assert_int_eq(sl_timestamp_diff(SL_TU_DOW, TS("2019-01-01"), TS("2019-01-02"), &v), -SL_EINVAL);
    sl_timestamp_t bad = {INT64_MAX, 0};
    ck_assert_int_eq(sl_timestamp_diff(SL_TU_DAY, bad, TS("2019-01-02"), &v), -SL_ERANGE);
}
END_TEST

START_TEST(test_timestamp_extract)
{
    sl_timestamp_t ts = TS("2019-03-01 12:34:56.789123456");
    static const struct { int unit; int64_t want; } ec[] = {
        {SL_TU_YEAR, 2019}, {SL_TU_MONTH, 3}, {SL_TU_DAY, 1}, {SL_TU_HOUR, 12},
        {SL_TU_MINUTE, 34}, {SL_TU_SECOND, 56}, {SL_TU_MILLISECOND, 789},
        {SL_TU_MICROSECOND, 789123}, {SL_TU_NANOSECOND, 789123456},
        {SL_TU_QUARTER, 1}, {SL_TU_WEEK, 9}, {SL_TU_DOW, 6}, {SL_TU_ISODOW, 5},
        {SL_TU_DOY, 60}, {SL_TU_ISOYEAR, 2019}, {SL_TU_DECADE, 201},
        {SL_TU_CENTURY, 21}, {SL_TU_MILLENNIUM, 3}, {SL_TU_EPOCH, 1551443696},
    };
    for (size_t i = 0; i < sizeof ec / sizeof ec[0]; i++) {
        int64_t v = -1;
        ck_assert_int_eq(sl_timestamp_extract(ts, ec[i].unit, &v), 0);
        ck_assert_msg(v == ec[i].want, "%s: %lld", sl_time_unit_name(ec[i].unit), (long long)v);
    }
    /* before the epoch: fields use floor semantics, EPOCH truncates (Flink) */
    ts = TS("1969-12-31 23:59:59.5");
    int64_t v;
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_SECOND, &v), 0);
    ck_assert_int_eq(v, 59);
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_MILLISECOND, &v), 0);
    ck_assert_int_eq(v, 500);
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_HOUR, &v), 0);
    ck_assert_int_eq(v, 23);
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_YEAR, &v), 0);
    ck_assert_int_eq(v, 1969);
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_EPOCH, &v), 0);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(sl_timestamp_extract(TS("1969-12-31 23:59:58"), SL_TU_EPOCH, &v), 0);
    ck_assert_int_eq(v, -2);
    ck_assert_int_eq(sl_timestamp_extract(ts, -1, &v), -SL_EINVAL);
    ck_assert_int_eq(sl_timestamp_extract(ts, SL_TU_COUNT, &v), -SL_EINVAL);
}
END_TEST

START_TEST(test_timestamp_floor_ceil)
{
    static const struct { const char *ts; int unit; const char *floor, *ceil; } fc[] = {
        {"2019-03-01 12:34:56.789123456", SL_TU_NANOSECOND,
         "2019-03-01 12:34:56.789123456", "2019-03-01 12:34:56.789123456"},
        {"2019-03-01 12:34:56.789123456", SL_TU_MICROSECOND,
         "2019-03-01 12:34:56.789123000", "2019-03-01 12:34:56.789124000"},
        {"2019-03-01 12:34:56.789999500", SL_TU_MICROSECOND,
         "2019-03-01 12:34:56.789999000", "2019-03-01 12:34:56.790000000"},
        {"2019-03-01 12:34:56.789123456", SL_TU_MILLISECOND,
         "2019-03-01 12:34:56.789000000", "2019-03-01 12:34:56.790000000"},
        {"2019-03-01 12:34:56.789", SL_TU_SECOND,
         "2019-03-01 12:34:56.000000000", "2019-03-01 12:34:57.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_MINUTE,
         "2019-03-01 12:34:00.000000000", "2019-03-01 12:35:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_HOUR,
         "2019-03-01 12:00:00.000000000", "2019-03-01 13:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_DAY,
         "2019-03-01 00:00:00.000000000", "2019-03-02 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_WEEK,
         "2019-02-24 00:00:00.000000000", "2019-03-03 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_MONTH,
         "2019-03-01 00:00:00.000000000", "2019-04-01 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_QUARTER,
         "2019-01-01 00:00:00.000000000", "2019-04-01 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_YEAR,
         "2019-01-01 00:00:00.000000000", "2020-01-01 00:00:00.000000000"},
        {"2019-01-01 00:00:00.000000001", SL_TU_YEAR,
         "2019-01-01 00:00:00.000000000", "2020-01-01 00:00:00.000000000"},
        {"2019-01-01 00:00:00", SL_TU_YEAR,
         "2019-01-01 00:00:00.000000000", "2019-01-01 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_DECADE,
         "2010-01-01 00:00:00.000000000", "2020-01-01 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_CENTURY,
         "2001-01-01 00:00:00.000000000", "2101-01-01 00:00:00.000000000"},
        {"2019-03-01 12:34:56.789", SL_TU_MILLENNIUM,
         "2001-01-01 00:00:00.000000000", "3001-01-01 00:00:00.000000000"},
        {"1969-12-31 23:59:59.5", SL_TU_SECOND,
         "1969-12-31 23:59:59.000000000", "1970-01-01 00:00:00.000000000"},
        {"1969-12-31 23:59:59.5", SL_TU_MONTH,
         "1969-12-01 00:00:00.000000000", "1970-01-01 00:00:00.000000000"},
        {"1969-12-31 23:59:59.5", SL_TU_HOUR,
         "1969-12-31 23:00:00.000000000", "1970-01-01 00:00:00.000000000"},
    };
    for (size_t i = 0; i < sizeof fc / sizeof fc[0]; i++) {
        sl_timestamp_t f, c;
        ck_assert_int_eq(sl_timestamp_floor(TS(fc[i].ts), fc[i].unit, &f), 0);
        assert_ts(f, 9, fc[i].floor);
        ck_assert_int_eq(sl_timestamp_ceil(TS(fc[i].ts), fc[i].unit, &c), 0);
        assert_ts(c, 9, fc[i].ceil);
    }
    sl_timestamp_t r;
    ck_assert_int_eq(sl_timestamp_ceil(TS("9999-12-31 23:59:59.999"), SL_TU_DAY, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_ceil(TS("9999-12-31 23:59:59.999"), SL_TU_SECOND, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_ceil(TS("9999-12-31 23:59:59.999"), SL_TU_MILLISECOND, &r), 0);
    ck_assert_int_eq(sl_timestamp_floor(TS("0001-01-01 10:00:00"), SL_TU_WEEK, &r), -SL_ERANGE);
    ck_assert_int_eq(sl_timestamp_floor(TS("0001-01-01 10:00:00"), SL_TU_YEAR, &r), 0);
    ck_assert_int_eq(sl_timestamp_floor(TS("2019-01-01"), SL_TU_DOW, &r), -SL_EINVAL);
    ck_assert_int_eq(sl_timestamp_ceil(TS("2019-01-01"), SL_TU_EPOCH, &r), -SL_EINVAL);
    sl_timestamp_t bad = {SL_TS_MILLIS_MAX + 1, 0};
    ck_assert_int_eq(sl_timestamp_floor(bad, SL_TU_DAY, &r), -SL_ERANGE);
}
END_TEST

/* ---- INTERVAL ------------------------------------------------------------ */

static const struct interval_case {
    const char *text;
    int from, to;
    int rc;
    int64_t value;
    int months;
} interval_cases[] = {
    {"10", SL_TU_MINUTE, SL_TU_MINUTE, 0, 600000, 0},
    {"1 10:00:00", SL_TU_DAY, SL_TU_SECOND, 0, 122400000, 0},
    {"1-2", SL_TU_YEAR, SL_TU_MONTH, 0, 14, 1},
    {"-1-2", SL_TU_YEAR, SL_TU_MONTH, 0, -14, 1},
    {"+1-02", SL_TU_YEAR, SL_TU_MONTH, 0, 14, 1},
    {"2", SL_TU_YEAR, SL_TU_YEAR, 0, 24, 1},
    {"13", SL_TU_MONTH, SL_TU_MONTH, 0, 13, 1},
    {"1 2", SL_TU_DAY, SL_TU_HOUR, 0, 93600000, 0},
    {"1 2:03", SL_TU_DAY, SL_TU_MINUTE, 0, 93780000, 0},
    {"-1 2:03:04.5", SL_TU_DAY, SL_TU_SECOND, 0, -93784500, 0},
    {"10:30", SL_TU_HOUR, SL_TU_MINUTE, 0, 37800000, 0},
    {"1:02:03.5", SL_TU_HOUR, SL_TU_SECOND, 0, 3723500, 0},
    {"90.25", SL_TU_SECOND, SL_TU_SECOND, 0, 90250, 0},
    {"5:30.123456789", SL_TU_MINUTE, SL_TU_SECOND, 0, 330123, 0},
    {"+3", SL_TU_DAY, SL_TU_DAY, 0, 3 * 86400000LL, 0},
    {"100", SL_TU_DAY, SL_TU_DAY, 0, 100 * 86400000LL, 0},
    {"48", SL_TU_HOUR, SL_TU_HOUR, 0, 48 * 3600000LL, 0},
    {" 7 ", SL_TU_SECOND, SL_TU_SECOND, 0, 7000, 0},
    {"1-12", SL_TU_YEAR, SL_TU_MONTH, -SL_EFORMAT, 0, 0},
    {"1 24", SL_TU_DAY, SL_TU_HOUR, -SL_EFORMAT, 0, 0},
    {"10:60", SL_TU_HOUR, SL_TU_MINUTE, -SL_EFORMAT, 0, 0},
    {"1:2:60", SL_TU_HOUR, SL_TU_SECOND, -SL_EFORMAT, 0, 0},
    {"1 10:00", SL_TU_DAY, SL_TU_SECOND, -SL_EFORMAT, 0, 0},
    {"1 10:00:00:00", SL_TU_DAY, SL_TU_SECOND, -SL_EFORMAT, 0, 0},
    {"", SL_TU_DAY, SL_TU_DAY, -SL_EFORMAT, 0, 0},
    {"-", SL_TU_DAY, SL_TU_DAY, -SL_EFORMAT, 0, 0},
    {"abc", SL_TU_DAY, SL_TU_DAY, -SL_EFORMAT, 0, 0},
    {"1.5", SL_TU_MINUTE, SL_TU_MINUTE, -SL_EFORMAT, 0, 0},
    {"1-2", SL_TU_DAY, SL_TU_HOUR, -SL_EFORMAT, 0, 0},
    {"1.1234567891", SL_TU_SECOND, SL_TU_SECOND, -SL_EFORMAT, 0, 0},
    {"1 100", SL_TU_DAY, SL_TU_HOUR, -SL_EFORMAT, 0, 0},
    {"1", SL_TU_YEAR, SL_TU_DAY, -SL_EINVAL, 0, 0},
    {"1", SL_TU_MONTH, SL_TU_YEAR, -SL_EINVAL, 0, 0},
    {"1", SL_TU_DAY, SL_TU_MONTH, -SL_EINVAL, 0, 0},
    {"1", SL_TU_WEEK, SL_TU_WEEK, -SL_EINVAL, 0, 0},
    {"1", SL_TU_SECOND, SL_TU_MINUTE, -SL_EINVAL, 0, 0},
    {"1", SL_TU_MILLISECOND, SL_TU_MILLISECOND, -SL_EINVAL, 0, 0},
    {"9999999999999999999", SL_TU_DAY, SL_TU_DAY, -SL_EOVERFLOW, 0, 0},
    {"999999999999999999", SL_TU_DAY, SL_TU_DAY, -SL_EOVERFLOW, 0, 0},
    {"999999999999999999", SL_TU_YEAR, SL_TU_YEAR, -SL_EOVERFLOW, 0, 0},
    {"999999999999999999", SL_TU_MONTH, SL_TU_MONTH, 0, 999999999999999999LL, 1},
};

START_TEST(test_interval_parse_table)
{
    const struct interval_case *c = &interval_cases[_i];
    int64_t v = -7;
    int months = -7;
    int rc = sl_interval_parse(c->text, strlen(c->text), c->from, c->to, &v, &months);
    ck_assert_msg(rc == c->rc, "'%s' %s TO %s: %s", c->text, sl_time_unit_name(c->from),
                  sl_time_unit_name(c->to), sl_err_name(rc));
    if (rc == 0) {
        ck_assert_msg(v == c->value, "'%s': %lld want %lld", c->text, (long long)v,
                      (long long)c->value);
        ck_assert_int_eq(months, c->months);
    }
}
END_TEST

START_TEST(test_interval_format)
{
    char buf[SL_INTERVAL_STRLEN];
    ck_assert_int_eq(sl_interval_format_months(14, buf, sizeof buf), 5);
    ck_assert_str_eq(buf, "+1-02");
    sl_interval_format_months(-14, buf, sizeof buf);
    ck_assert_str_eq(buf, "-1-02");
    sl_interval_format_months(0, buf, sizeof buf);
    ck_assert_str_eq(buf, "+0-00");
    sl_interval_format_months(INT64_MIN, buf, sizeof buf);
    ck_assert_str_eq(buf, "-768614336404564650-08");
    sl_interval_format_millis(600000, buf, sizeof buf);
    ck_assert_str_eq(buf, "+0 00:10:00.000");
    sl_interval_format_millis(-122400000, buf, sizeof buf);
    ck_assert_str_eq(buf, "-1 10:00:00.000");
    sl_interval_format_millis(90250, buf, sizeof buf);
    ck_assert_str_eq(buf, "+0 00:01:30.250");
    ck_assert_int_eq(sl_interval_format_millis(INT64_MIN, buf, sizeof buf), 26);
    ck_assert_str_eq(buf, "-106751991167 07:12:55.808");
    ck_assert_int_eq(sl_interval_format_millis(600000, buf, 15), -SL_ERANGE);
    ck_assert_int_eq(sl_interval_format_millis(600000, buf, 16), 15);
    ck_assert_int_eq(sl_interval_format_months(14, buf, 5), -SL_ERANGE);
}
END_TEST

START_TEST(test_units)
{
    ck_assert_int_eq(sl_time_unit_from_name("minute", 6), SL_TU_MINUTE);
    ck_assert_int_eq(sl_time_unit_from_name("YEAR", 4), SL_TU_YEAR);
    ck_assert_int_eq(sl_time_unit_from_name("Millennium", 10), SL_TU_MILLENNIUM);
    ck_assert_int_eq(sl_time_unit_from_name("SQL_TSI_HOUR", 12), SL_TU_HOUR);
    ck_assert_int_eq(sl_time_unit_from_name("dowx", 3), SL_TU_DOW);   /* n bytes only */
    ck_assert_int_eq(sl_time_unit_from_name("dowx", 4), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_time_unit_from_name("", 0), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_time_unit_from_name("SQL_TSI_", 8), -SL_ENOTFOUND);
    for (int u = 0; u < SL_TU_COUNT; u++) {
        const char *n = sl_time_unit_name(u);
        ck_assert_int_eq(sl_time_unit_from_name(n, strlen(n)), u);
    }
    ck_assert_str_eq(sl_time_unit_name(-1), "?");
    ck_assert_str_eq(sl_time_unit_name(SL_TU_COUNT), "?");
}
END_TEST

static Suite *time_suite(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_calendar_known);
    tcase_add_test(tc, test_calendar_exhaustive);
    tcase_add_loop_test(tc, test_date_parse_table, 0, sizeof date_cases / sizeof date_cases[0]);
    tcase_add_test(tc, test_date_format_errors);
    tcase_add_test(tc, test_date_arith);
    tcase_add_test(tc, test_date_extract);
    tcase_add_test(tc, test_date_floor_ceil);
    tcase_add_test(tc, test_time_parse_format);
    tcase_add_test(tc, test_time_make_arith);
    tcase_add_test(tc, test_timestamp_parse_format);
    tcase_add_test(tc, test_timestamp_conversions);
    tcase_add_test(tc, test_timestamp_arith);
    tcase_add_test(tc, test_timestamp_diff);
    tcase_add_test(tc, test_timestamp_extract);
    tcase_add_test(tc, test_timestamp_floor_ceil);
    tcase_add_loop_test(tc, test_interval_parse_table, 0,
                        sizeof interval_cases / sizeof interval_cases[0]);
    tcase_add_test(tc, test_interval_format);
    tcase_add_test(tc, test_units);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(time_suite());
}
