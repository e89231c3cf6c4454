/* time.c - DATE, TIME, TIMESTAMP and INTERVAL parsing, formatting and
 * arithmetic; see time.h. Calendar conversions are Howard Hinnant's
 * days_from_civil / civil_from_days (proleptic Gregorian, exact for any
 * int64 year range we use). All divisions of possibly negative values go
 * through floor_div / floor_mod so dates before 1970 behave.
 */
#include "util/time.h"
#include "util/err.h"

#include <string.h>
#include <strings.h>

#define NANOS_PER_MILLI 1000000LL
#define NANOS_PER_SECOND 1000000000LL
#define MILLIS_PER_SECOND 1000LL
#define MILLIS_PER_MINUTE 60000LL
#define MILLIS_PER_HOUR 3600000LL
#define MILLIS_PER_WEEK (7 * SL_MILLIS_PER_DAY)

static const int64_t POW10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000,
                                  10000000, 100000000, 1000000000};

static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static inline int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

/* ---- units --------------------------------------------------------------- */

static const char *const unit_names[SL_TU_COUNT] = {
    "NANOSECOND", "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR",
    "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "DECADE", "CENTURY",
    "MILLENNIUM", "DOW", "ISODOW", "DOY", "ISOYEAR", "EPOCH",
};

const char *sl_time_unit_name(int unit)
{
    return unit >= 0 && unit < SL_TU_COUNT ? unit_names[unit] : "?";
}

int sl_time_unit_from_name(const char *name, size_t n)
{
    if (n > 8 && strncasecmp(name, "SQL_TSI_", 8) == 0) {
        name += 8;
        n -= 8;
    }
    for (int u = 0; u < SL_TU_COUNT; u++)
        if (strlen(unit_names[u]) == n && strncasecmp(name, unit_names[u], n) == 0)
            return u;
    return -SL_ENOTFOUND;
}

/* ---- calendar ------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                 /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                 /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                               /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int sl_is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sl_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && sl_is_leap_year(y) ? 29 : dim[m - 1];
}

static int civil_valid(int64_t y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= sl_days_in_month((int)y, m);
}

int sl_date_make(int y, int m, int d, sl_date_t *out)
{
    if (!civil_valid(y, m, d)) return -SL_ERANGE;
    *out = (sl_date_t)days_from_civil(y, m, d);
    return 0;
}

void sl_date_to_civil(sl_date_t date, int *y, int *m, int *d)
{
    int64_t yy;
    civil_from_days(date, &yy, m, d);
    *y = (int)yy;
}

static inline int date_in_range(int64_t d)
{
    return d >= SL_DATE_MIN && d <= SL_DATE_MAX;
}

static int days_in_month64(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

/* date + months with the day clamped; no range check (callers check). */
static int64_t add_months_days(int64_t date, int64_t months)
{
    int64_t y;
    int m, d;
    civil_from_days(date, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    y = floor_div(total, 12);
    m = (int)floor_mod(total, 12) + 1;
    int last = days_in_month64(y, m);
    if (d > last) d = last;
    return days_from_civil(y, m, d);
}

/* Calcite's subtractMonths(date0, date1): the largest m with
 * addMonths(date1, m) <= date0 (for date0 >= date1), computed from the month
 * numbers instead of Calcite's search; the answers are the same. */
static int64_t subtract_months_days(int64_t d0, int64_t d1)
{
    if (d0 < d1) return -subtract_months_days(d1, d0);
    int64_t y0, y1;
    int m0, m1, dd0, dd1;
    civil_from_days(d0, &y0, &m0, &dd0);
    civil_from_days(d1, &y1, &m1, &dd1);
    int64_t m = (y0 * 12 + m0) - (y1 * 12 + m1);
    if (add_months_days(d1, m) > d0) m--;
    return m;
}

/* ISO weekday (Monday = 1) of a day number; 1970-01-01 was a Thursday. */
static inline int iso_dow(int64_t days)
{
    return (int)floor_mod(days + 3, 7) + 1;
}

static void iso_week(int64_t days, int64_t *iso_year, int *week)
{
    int64_t thursday = days - iso_dow(days) + 4;
    int64_t y;
    int m, d;
    civil_from_days(thursday, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thursday - days_from_civil(y, 1, 1)) / 7 + 1);
}

/* ---- text helpers -------------------------------------------------------- */

typedef struct cursor {
    const char *s;
    size_t i, n;
} cursor_t;

static inline int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static inline int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void cursor_init(cursor_t *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) i++;
    while (n > i && is_space(s[n - 1])) n--;
    c->s = s;
    c->i = i;
    c->n = n;
}

static inline int eat(cursor_t *c, char ch)
{
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return 1;
    }
    return 0;
}

/* Reads min..max decimal digits (max <= 18). */
static int number(cursor_t *c, int min, int max, int64_t *out)
{
    int64_t v = 0;
    int k = 0;
    while (c->i < c->n && is_digit(c->s[c->i]) && k < max) {
        v = v * 10 + (c->s[c->i++] - '0');
        k++;
    }
    if (k < min || (c->i < c->n && is_digit(c->s[c->i]))) return -SL_EFORMAT;
    *out = v;
    return 0;
}

/* '.' then 1..9 digits as nanoseconds; nothing when there is no '.'. */
static int fraction(cursor_t *c, int64_t *nanos)
{
    *nanos = 0;
    if (!eat(c, '.')) return 0;
    size_t start = c->i;
    int64_t f;
    if (number(c, 1, 9, &f)) return -SL_EFORMAT;
    *nanos = f * POW10[9 - (c->i - start)];
    return 0;
}

static int parse_date_part(cursor_t *c, int64_t *days)
{
    int64_t y, m, d;
    if (number(c, 1, 4, &y) || !eat(c, '-') || number(c, 1, 2, &m) ||
        !eat(c, '-') || number(c, 1, 2, &d))
        return -SL_EFORMAT;
    if (!civil_valid(y, (int)m, (int)d)) return -SL_EFORMAT;
    *days = days_from_civil(y, (int)m, (int)d);
    return 0;
}

static int parse_time_part(cursor_t *c, int64_t *nanos_of_day)
{
    int64_t h, m, s = 0, f = 0;
    if (number(c, 1, 2, &h) || !eat(c, ':') || number(c, 1, 2, &m))
        return -SL_EFORMAT;
    if (eat(c, ':')) {
        if (number(c, 1, 2, &s) || fraction(c, &f)) return -SL_EFORMAT;
    }
    if (h > 23 || m > 59 || s > 59) return -SL_EFORMAT;
    *nanos_of_day = ((h * 60 + m) * 60 + s) * NANOS_PER_SECOND + f;
    return 0;
}

/* Writes v as exactly `width` digits (v >= 0, fits). */
static char *put_digits(char *o, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

/* "YYYY-MM-DD" (10 bytes, no NUL); the date must be in range. */
static char *put_date(char *o, int64_t days)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    o = put_digits(o, y, 4);
    *o++ = '-';
    o = put_digits(o, m, 2);
    *o++ = '-';
    return put_digits(o, d, 2);
}

/* "HH:MM:SS[.f]" (8 or 9 + precision bytes, no NUL). */
static char *put_time(char *o, int64_t nanos, int precision)
{
    int64_t secs = nanos / NANOS_PER_SECOND;
    o = put_digits(o, secs / 3600, 2);
    *o++ = ':';
    o = put_digits(o, secs / 60 % 60, 2);
    *o++ = ':';
    o = put_digits(o, secs % 60, 2);
    if (precision > 0) {
        *o++ = '.';
        o = put_digits(o, nanos % NANOS_PER_SECOND / POW10[9 - precision],
                       precision);
    }
    return o;
}

static int finish_text(char *buf, size_t cap, const char *tmp, size_t len)
{
    if (len + 1 > cap) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return (int)len;
}

/* ---- DATE ---------------------------------------------------------------- */

int sl_date_parse(const char *text, size_t n, sl_date_t *out)
{
    cursor_t c;
    cursor_init(&c, text, n);
    int64_t days;
    if (parse_date_part(&c, &days) || c.i != c.n) return -SL_EFORMAT;
    *out = (sl_date_t)days;
    return 0;
}

int sl_date_format(sl_date_t date, char *buf, size_t cap)
{
    if (!date_in_range(date)) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    char tmp[SL_DATE_STRLEN];
    char *o = put_date(tmp, date);
    return finish_text(buf, cap, tmp, (size_t)(o - tmp));
}

int sl_date_add_days(sl_date_t date, int64_t days, sl_date_t *out)
{
    if (days > 2 * (int64_t)SL_DATE_MAX || days < 2 * (int64_t)SL_DATE_MIN)
        return -SL_ERANGE;
    int64_t r = (int64_t)date + days;
    if (!date_in_range(r)) return -SL_ERANGE;
    *out = (sl_date_t)r;
    return 0;
}

int sl_date_add_months(sl_date_t date, int64_t months, sl_date_t *out)
{
    if (months > 12 * 10000 || months < -12 * 10000) return -SL_ERANGE;
    int64_t r = add_months_days(date, months);
    if (!date_in_range(r)) return -SL_ERANGE;
    *out = (sl_date_t)r;
    return 0;
}

/* EXTRACT of a calendar unit from a day number. */
static int extract_days(int64_t days, int unit, int64_t *out)
{
    int64_t y, iy;
    int m, d, w;
    civil_from_days(days, &y, &m, &d);
    switch (unit) {
    case SL_TU_YEAR: *out = y; return 0;
    case SL_TU_MONTH: *out = m; return 0;
    case SL_TU_DAY: *out = d; return 0;
    case SL_TU_QUARTER: *out = (m + 2) / 3; return 0;
    case SL_TU_DECADE: *out = floor_div(y, 10); return 0;
    case SL_TU_CENTURY: *out = y > 0 ? (y + 99) / 100 : (y - 99) / 100; return 0;
    case SL_TU_MILLENNIUM: *out = y > 0 ? (y + 999) / 1000 : (y - 999) / 1000; return 0;
    case SL_TU_DOW: *out = floor_mod(days + 4, 7) + 1; return 0;
    case SL_TU_ISODOW: *out = iso_dow(days); return 0;
    case SL_TU_DOY: *out = days - days_from_civil(y, 1, 1) + 1; return 0;
    case SL_TU_WEEK: iso_week(days, &iy, &w); *out = w; return 0;
    case SL_TU_ISOYEAR: iso_week(days, &iy, &w); *out = iy; return 0;
    default: return -SL_EINVAL;
    }
}

int sl_date_extract(sl_date_t date, int unit, int64_t *out)
{
    if (unit == SL_TU_EPOCH) {
        *out = (int64_t)date * 86400;
        return 0;
    }
    return extract_days(date, unit, out);
}

/* FLOOR of a day number to a unit of DAY or coarser. */
static int floor_days(int64_t days, int unit, int64_t *out)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    switch (unit) {
    case SL_TU_DAY: *out = days; return 0;
    case SL_TU_WEEK: *out = days - floor_mod(days + 4, 7); return 0;  /* Sunday */
    case SL_TU_MONTH: *out = days_from_civil(y, m, 1); return 0;
    case SL_TU_QUARTER: *out = days_from_civil(y, (m - 1) / 3 * 3 + 1, 1); return 0;
    case SL_TU_YEAR: *out = days_from_civil(y, 1, 1); return 0;
    case SL_TU_DECADE: *out = days_from_civil(floor_div(y, 10) * 10, 1, 1); return 0;
    case SL_TU_CENTURY:
        *out = days_from_civil(floor_div(y - 1, 100) * 100 + 1, 1, 1);
        return 0;
    case SL_TU_MILLENNIUM:
        *out = days_from_civil(floor_div(y - 1, 1000) * 1000 + 1, 1, 1);
        return 0;
    default: return -SL_EINVAL;
    }
}

/* The next boundary after a floored day number. */
static int64_t next_boundary_days(int64_t floored, int unit)
{
    switch (unit) {
    case SL_TU_DAY: return floored + 1;
    case SL_TU_WEEK: return floored + 7;
    case SL_TU_MONTH: return add_months_days(floored, 1);
    case SL_TU_QUARTER: return add_months_days(floored, 3);
    case SL_TU_YEAR: return add_months_days(floored, 12);
    case SL_TU_DECADE: return add_months_days(floored, 120);
    case SL_TU_CENTURY: return add_months_days(floored, 1200);
    default: return add_months_days(floored, 12000);   /* MILLENNIUM */
    }
}

int sl_date_floor(sl_date_t date, int unit, sl_date_t *out)
{
    if (unit >= SL_TU_NANOSECOND && unit < SL_TU_DAY) {
        *out = date;
        return 0;
    }
    int64_t r;
    int rc = floor_days(date, unit, &r);
    if (rc) return rc;
    if (!date_in_range(r)) return -SL_ERANGE;
    *out = (sl_date_t)r;
    return 0;
}

int sl_date_ceil(sl_date_t date, int unit, sl_date_t *out)
{
    if (unit >= SL_TU_NANOSECOND && unit <= SL_TU_DAY) {
        *out = date;
        return 0;
    }
    int64_t r;
    int rc = floor_days(date, unit, &r);
    if (rc) return rc;
    if (r != date) r = next_boundary_days(r, unit);
    if (!date_in_range(r)) return -SL_ERANGE;
    *out = (sl_date_t)r;
    return 0;
}

/* ---- TIME ---------------------------------------------------------------- */

int sl_time_make(int h, int m, int s, int32_t nanos, sl_time_t *out)
{
    if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || nanos < 0 ||
        nanos >= NANOS_PER_SECOND)
        return -SL_ERANGE;
    *out = (((int64_t)h * 60 + m) * 60 + s) * NANOS_PER_SECOND + nanos;
    return 0;
}

static inline int precision_ok(int p)
{
    return p >= 0 && p <= SL_TIME_MAX_PRECISION;
}

sl_time_t sl_time_truncate(sl_time_t t, int precision)
{
    if (!precision_ok(precision)) return t;
    return t - floor_mod(t, POW10[9 - precision]);
}

int sl_time_parse(const char *text, size_t n, int precision, sl_time_t *out)
{
    if (!precision_ok(precision)) return -SL_EINVAL;
    cursor_t c;
    cursor_init(&c, text, n);
    int64_t t;
    if (parse_time_part(&c, &t) || c.i != c.n) return -SL_EFORMAT;
    *out = sl_time_truncate(t, precision);
    return 0;
}

int sl_time_format(sl_time_t t, int precision, char *buf, size_t cap)
{
    if (!precision_ok(precision)) {
        if (cap) buf[0] = '\0';
        return -SL_EINVAL;
    }
    if (t < 0 || t >= SL_NANOS_PER_DAY) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    char tmp[SL_TIME_STRLEN];
    char *o = put_time(tmp, t, precision);
    return finish_text(buf, cap, tmp, (size_t)(o - tmp));
}

sl_time_t sl_time_add_millis(sl_time_t t, int64_t millis)
{
    int64_t ms = floor_mod(millis, SL_MILLIS_PER_DAY);
    return floor_mod(t + ms * NANOS_PER_MILLI, SL_NANOS_PER_DAY);
}

/* EXTRACT of a time-of-day unit from nanoseconds of the day. */
static int extract_tod(int64_t nanos, int unit, int64_t *out)
{
    switch (unit) {
    case SL_TU_HOUR: *out = nanos / (3600 * NANOS_PER_SECOND); return 0;
    case SL_TU_MINUTE: *out = nanos / (60 * NANOS_PER_SECOND) % 60; return 0;
    case SL_TU_SECOND: *out = nanos / NANOS_PER_SECOND % 60; return 0;
    case SL_TU_MILLISECOND: *out = nanos % NANOS_PER_SECOND / NANOS_PER_MILLI; return 0;
    case SL_TU_MICROSECOND: *out = nanos % NANOS_PER_SECOND / 1000; return 0;
    case SL_TU_NANOSECOND: *out = nanos % NANOS_PER_SECOND; return 0;
    default: return -SL_EINVAL;
    }
}

int sl_time_extract(sl_time_t t, int unit, int64_t *out)
{
    return extract_tod(floor_mod(t, SL_NANOS_PER_DAY), unit, out);
}

/* Length of a unit no coarser than DAY in nanoseconds, or 0. */
static int64_t unit_nanos(int unit)
{
    switch (unit) {
    case SL_TU_NANOSECOND: return 1;
    case SL_TU_MICROSECOND: return 1000;
    case SL_TU_MILLISECOND: return NANOS_PER_MILLI;
    case SL_TU_SECOND: return NANOS_PER_SECOND;
    case SL_TU_MINUTE: return 60 * NANOS_PER_SECOND;
    case SL_TU_HOUR: return 3600 * NANOS_PER_SECOND;
    case SL_TU_DAY: return SL_NANOS_PER_DAY;
    default: return 0;
    }
}

int sl_time_floor(sl_time_t t, int unit, sl_time_t *out)
{
    int64_t u = unit_nanos(unit);
    if (!u || unit == SL_TU_DAY) return -SL_EINVAL;
    *out = t - floor_mod(t, u);
    return 0;
}

int sl_time_ceil(sl_time_t t, int unit, sl_time_t *out)
{
    int64_t u = unit_nanos(unit);
    if (!u || unit == SL_TU_DAY) return -SL_EINVAL;
    int64_t f = t - floor_mod(t, u);
    *out = f == t ? t : floor_mod(f + u, SL_NANOS_PER_DAY);
    return 0;
}

/* ---- TIMESTAMP ----------------------------------------------------------- */

sl_timestamp_t sl_timestamp_from_millis(int64_t millis)
{
    sl_timestamp_t ts = {millis, 0};
    return ts;
}

sl_timestamp_t sl_timestamp_from_micros(int64_t micros)
{
    sl_timestamp_t ts = {floor_div(micros, 1000),
                         (int32_t)(floor_mod(micros, 1000) * 1000)};
    return ts;
}

int64_t sl_timestamp_to_micros(sl_timestamp_t ts)
{
    return ts.millis * 1000 + ts.nanos / 1000;
}

sl_timestamp_t sl_timestamp_from_date(sl_date_t date)
{
    sl_timestamp_t ts = {(int64_t)date * SL_MILLIS_PER_DAY, 0};
    return ts;
}

sl_timestamp_t sl_timestamp_make(sl_date_t date, sl_time_t time)
{
    sl_timestamp_t ts = {(int64_t)date * SL_MILLIS_PER_DAY + time / NANOS_PER_MILLI,
                         (int32_t)(time % NANOS_PER_MILLI)};
    return ts;
}

sl_date_t sl_timestamp_date(sl_timestamp_t ts)
{
    return (sl_date_t)floor_div(ts.millis, SL_MILLIS_PER_DAY);
}

sl_time_t sl_timestamp_time(sl_timestamp_t ts)
{
    return floor_mod(ts.millis, SL_MILLIS_PER_DAY) * NANOS_PER_MILLI + ts.nanos;
}

static inline int millis_in_range(int64_t ms)
{
    return ms >= SL_TS_MILLIS_MIN && ms <= SL_TS_MILLIS_MAX;
}

int sl_timestamp_valid(sl_timestamp_t ts)
{
    return millis_in_range(ts.millis) && ts.nanos >= 0 && ts.nanos < NANOS_PER_MILLI;
}

int sl_timestamp_cmp(sl_timestamp_t a, sl_timestamp_t b)
{
    if (a.millis != b.millis) return a.millis < b.millis ? -1 : 1;
    return (a.nanos > b.nanos) - (a.nanos < b.nanos);
}

sl_timestamp_t sl_timestamp_truncate(sl_timestamp_t ts, int precision)
{
    if (!precision_ok(precision)) return ts;
    if (precision <= 3) {
        ts.millis -= floor_mod(ts.millis, POW10[3 - precision]);
        ts.nanos = 0;
    } else {
        ts.nanos -= ts.nanos % (int32_t)POW10[9 - precision];
    }
    return ts;
}

int sl_timestamp_parse(const char *text, size_t n, int precision,
                       sl_timestamp_t *out)
{
    if (!precision_ok(precision)) return -SL_EINVAL;
    cursor_t c;
    cursor_init(&c, text, n);
    int64_t days, tod = 0;
    if (parse_date_part(&c, &days)) return -SL_EFORMAT;
    if (c.i < c.n) {
        if (!eat(&c, ' ') && !eat(&c, 'T')) return -SL_EFORMAT;
        if (parse_time_part(&c, &tod) || c.i != c.n) return -SL_EFORMAT;
    }
    sl_timestamp_t ts = {days * SL_MILLIS_PER_DAY + tod / NANOS_PER_MILLI,
                         (int32_t)(tod % NANOS_PER_MILLI)};
    *out = sl_timestamp_truncate(ts, precision);
    return 0;
}

int sl_timestamp_format(sl_timestamp_t ts, int precision, char *buf, size_t cap)
{
    if (!precision_ok(precision)) {
        if (cap) buf[0] = '\0';
        return -SL_EINVAL;
    }
    if (!sl_timestamp_valid(ts)) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    char tmp[SL_TIMESTAMP_STRLEN];
    char *o = put_date(tmp, sl_timestamp_date(ts));
    *o++ = ' ';
    o = put_time(o, sl_timestamp_time(ts), precision);
    return finish_text(buf, cap, tmp, (size_t)(o - tmp));
}

int sl_timestamp_add_millis(sl_timestamp_t ts, int64_t millis,
                            sl_timestamp_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(ts.millis, millis, &r) || !millis_in_range(r))
        return -SL_ERANGE;
    out->millis = r;
    out->nanos = ts.nanos;
    return 0;
}

int sl_timestamp_add_months(sl_timestamp_t ts, int64_t months,
                            sl_timestamp_t *out)
{
    if (!millis_in_range(ts.millis)) return -SL_ERANGE;
    sl_date_t d;
    int rc = sl_date_add_months(sl_timestamp_date(ts), months, &d);
    if (rc) return rc;
    out->millis = (int64_t)d * SL_MILLIS_PER_DAY + floor_mod(ts.millis, SL_MILLIS_PER_DAY);
    out->nanos = ts.nanos;
    return 0;
}

/* Calcite's subtractMonths(t0, t1) on epoch milliseconds. */
static int64_t subtract_months_millis(int64_t t0, int64_t t1)
{
    int64_t ms0 = floor_mod(t0, SL_MILLIS_PER_DAY), d0 = floor_div(t0, SL_MILLIS_PER_DAY);
    int64_t ms1 = floor_mod(t1, SL_MILLIS_PER_DAY), d1 = floor_div(t1, SL_MILLIS_PER_DAY);
    int64_t x = subtract_months_days(d0, d1);
    if (add_months_days(d1, x) == d0 && ms0 < ms1) x--;
    return x;
}

int sl_timestamp_diff(int unit, sl_timestamp_t from, sl_timestamp_t to,
                      int64_t *out)
{
    if (!millis_in_range(from.millis) || !millis_in_range(to.millis))
        return -SL_ERANGE;
    int64_t ms = to.millis - from.millis;
    switch (unit) {
    case SL_TU_MILLISECOND: *out = ms; return 0;
    case SL_TU_SECOND: *out = ms / MILLIS_PER_SECOND; return 0;
    case SL_TU_MINUTE: *out = ms / MILLIS_PER_MINUTE; return 0;
    case SL_TU_HOUR: *out = ms / MILLIS_PER_HOUR; return 0;
    case SL_TU_DAY: *out = ms / SL_MILLIS_PER_DAY; return 0;
    case SL_TU_WEEK: *out = ms / MILLIS_PER_WEEK; return 0;
    case SL_TU_MONTH: *out = subtract_months_millis(to.millis, from.millis); return 0;
    case SL_TU_QUARTER: *out = subtract_months_millis(to.millis, from.millis) / 3; return 0;
    case SL_TU_YEAR: *out = subtract_months_millis(to.millis, from.millis) / 12; return 0;
    default: return -SL_EINVAL;
    }
}

int sl_timestamp_extract(sl_timestamp_t ts, int unit, int64_t *out)
{
    if (unit == SL_TU_EPOCH) {
        *out = ts.millis / MILLIS_PER_SECOND;
        return 0;
    }
    if (unit <= SL_TU_HOUR && unit >= SL_TU_NANOSECOND)
        return extract_tod(sl_timestamp_time(ts), unit, out);
    return extract_days(sl_timestamp_date(ts), unit, out);
}

int sl_timestamp_floor(sl_timestamp_t ts, int unit, sl_timestamp_t *out)
{
    if (!sl_timestamp_valid(ts)) return -SL_ERANGE;
    sl_timestamp_t r = ts;
    switch (unit) {
    case SL_TU_NANOSECOND: break;
    case SL_TU_MICROSECOND: r.nanos -= r.nanos % 1000; break;
    case SL_TU_MILLISECOND: r.nanos = 0; break;
    case SL_TU_SECOND:
    case SL_TU_MINUTE:
    case SL_TU_HOUR:
    case SL_TU_DAY: {
        int64_t u = unit_nanos(unit) / NANOS_PER_MILLI;
        r.millis -= floor_mod(r.millis, u);
        r.nanos = 0;
        break;
    }
    default: {
        int64_t days;
        int rc = floor_days(sl_timestamp_date(ts), unit, &days);
        if (rc) return rc;
        if (!date_in_range(days)) return -SL_ERANGE;
        r.millis = days * SL_MILLIS_PER_DAY;
        r.nanos = 0;
    }
    }
    *out = r;
    return 0;
}

int sl_timestamp_ceil(sl_timestamp_t ts, int unit, sl_timestamp_t *out)
{
    sl_timestamp_t f;
    int rc = sl_timestamp_floor(ts, unit, &f);
    if (rc) return rc;
    if (sl_timestamp_cmp(f, ts) == 0) {
        *out = ts;
        return 0;
    }
    if (unit == SL_TU_MICROSECOND) {
        f.nanos += 1000;
        if (f.nanos == NANOS_PER_MILLI) {
            f.nanos = 0;
            f.millis++;
        }
    } else if (unit <= SL_TU_DAY) {
        f.millis += unit_nanos(unit) / NANOS_PER_MILLI;
    } else {
        f.millis = next_boundary_days(sl_timestamp_date(f), unit) * SL_MILLIS_PER_DAY;
    }
    if (!millis_in_range(f.millis)) return -SL_ERANGE;
    *out = f;
    return 0;
}

/* ---- INTERVAL ------------------------------------------------------------ */

/* Fields of a qualifier, in text order. */
static int qualifier_fields(int from, int to, int *fields)
{
    static const int order[] = {SL_TU_YEAR, SL_TU_MONTH, SL_TU_DAY, SL_TU_HOUR,
                                SL_TU_MINUTE, SL_TU_SECOND};
    int fi = -1, ti = -1;
    for (int i = 0; i < 6; i++) {
        if (order[i] == from) fi = i;
        if (order[i] == to) ti = i;
    }
    if (fi < 0 || ti < fi) return -SL_EINVAL;
    if (fi <= 1 && ti >= 2) return -SL_EINVAL;   /* YEAR TO DAY etc. */
    int n = 0;
    for (int i = fi; i <= ti; i++) fields[n++] = order[i];
    return n;
}

int sl_interval_parse(const char *text, size_t n, int from_unit, int to_unit,
                      int64_t *value, int *is_months)
{
    int fields[6];
    int nf = qualifier_fields(from_unit, to_unit, fields);
    if (nf < 0) return nf;
    cursor_t c;
    cursor_init(&c, text, n);
    int neg = 0;
    if (c.i < c.n && (c.s[c.i] == '+' || c.s[c.i] == '-')) neg = c.s[c.i++] == '-';

    int64_t total = 0;      /* months or milliseconds */
    for (int k = 0; k < nf; k++) {
        int unit = fields[k];
        if (k > 0) {
            char sep = unit == SL_TU_MONTH ? '-' : unit == SL_TU_HOUR ? ' ' : ':';
            if (!eat(&c, sep)) return -SL_EFORMAT;
        }
        int64_t v, limit = 0, mult = 1;
        if (k == 0) {
            size_t start = c.i;
            if (number(&c, 1, 18, &v)) {
                /* more than 18 digits: too large for any interval */
                size_t j = start;
                while (j < c.n && is_digit(c.s[j])) j++;
                return j - start > 18 ? -SL_EOVERFLOW : -SL_EFORMAT;
            }
        } else if (number(&c, 1, 2, &v)) {
            return -SL_EFORMAT;
        }
        switch (unit) {
        case SL_TU_YEAR: mult = 12; break;
        case SL_TU_MONTH: limit = 11; break;
        case SL_TU_DAY: mult = SL_MILLIS_PER_DAY; break;
        case SL_TU_HOUR: limit = 23; mult = MILLIS_PER_HOUR; break;
        case SL_TU_MINUTE: limit = 59; mult = MILLIS_PER_MINUTE; break;
        case SL_TU_SECOND: limit = 59; mult = MILLIS_PER_SECOND; break;
        }
        if (k > 0 && v > limit) return -SL_EFORMAT;
        if (__builtin_mul_overflow(v, mult, &v) || __builtin_add_overflow(total, v, &total))
            return -SL_EOVERFLOW;
        if (unit == SL_TU_SECOND) {
            int64_t f;
            if (fraction(&c, &f)) return -SL_EFORMAT;
            if (__builtin_add_overflow(total, f / NANOS_PER_MILLI, &total))
                return -SL_EOVERFLOW;
        }
    }
    if (c.i != c.n) return -SL_EFORMAT;
    *value = neg ? -total : total;
    *is_months = fields[0] == SL_TU_YEAR || fields[0] == SL_TU_MONTH;
    return 0;
}

int sl_interval_format_months(int64_t months, char *buf, size_t cap)
{
    char tmp[SL_INTERVAL_STRLEN];
    char *o = tmp;
    uint64_t m = months < 0 ? (uint64_t)0 - (uint64_t)months : (uint64_t)months;
    *o++ = months < 0 ? '-' : '+';
    char digits[24];
    int nd = 0;
    uint64_t y = m / 12;
    do {
        digits[nd++] = (char)('0' + y % 10);
        y /= 10;
    } while (y);
    while (nd) *o++ = digits[--nd];
    *o++ = '-';
    o = put_digits(o, (int64_t)(m % 12), 2);
    return finish_text(buf, cap, tmp, (size_t)(o - tmp));
}

int sl_interval_format_millis(int64_t millis, char *buf, size_t cap)
{
    char tmp[SL_INTERVAL_STRLEN];
    char *o = tmp;
    uint64_t v = millis < 0 ? (uint64_t)0 - (uint64_t)millis : (uint64_t)millis;
    *o++ = millis < 0 ? '-' : '+';
    char digits[24];
    int nd = 0;
    uint64_t days = v / (uint64_t)SL_MILLIS_PER_DAY;
    do {
        digits[nd++] = (char)('0' + days % 10);
        days /= 10;
    } while (days);
    while (nd) *o++ = digits[--nd];
    *o++ = ' ';
    uint64_t rest = v % (uint64_t)SL_MILLIS_PER_DAY;
    o = put_time(o, (int64_t)rest * NANOS_PER_MILLI, 3);
    return finish_text(buf, cap, tmp, (size_t)(o - tmp));
}
