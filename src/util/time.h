/* time.h - DATE, TIME(p), TIMESTAMP(p) and INTERVAL values as Flink SQL has them.
 *
 * Representations (all zone-less, proleptic Gregorian calendar):
 *   DATE          sl_date_t, int32 days since 1970-01-01.
 *   TIME(p)       sl_time_t, int64 nanoseconds of the day, [0, 86400 * 10^9).
 *                 (Flink stores TIME as milliseconds; nanoseconds cover every
 *                 precision 0..9 it accepts.)
 *   TIMESTAMP(p)  sl_timestamp_t {millis since 1970-01-01T00:00, nanos of the
 *                 millisecond 0..999999}, the layout of Flink's TimestampData:
 *                 exact for every precision 0..9 over the whole range.
 *   INTERVAL      year-month intervals are int64 months, day-time intervals
 *                 int64 milliseconds, as in Flink.
 * Supported range is 0001-01-01 .. 9999-12-31 (SL_DATE_MIN .. SL_DATE_MAX);
 * parsing and arithmetic that leave it fail with -SL_ERANGE.
 *
 * Text: parsers trim leading/trailing ASCII whitespace (as Flink's CAST does)
 * and accept
 *   date       Y{1,4}-M{1,2}-D{1,2}
 *   time       H{1,2}:M{1,2}[:S{1,2}[.f{1,9}]]
 *   timestamp  date[(' '|'T')time]
 * with fields validated (month 1-12, day within the month incl. leap years,
 * hour < 24, minute and second < 60); malformed or invalid input is
 * -SL_EFORMAT. Fractions beyond the target precision are truncated, as Flink
 * does. Formatters print what Flink prints: 2019-03-01, 12:00:00 for TIME(0),
 * 2019-03-01 12:00:00.123 for TIMESTAMP(3) (exactly p fractional digits),
 * and return the length written (NUL excluded) or -SL_ERANGE when cap is too
 * small or the value is outside the supported range.
 *
 * Pure functions: no allocation, no global state, thread-safe.
 */
#ifndef SL_UTIL_TIME_H
#define SL_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t sl_date_t;
typedef int64_t sl_time_t;

typedef struct sl_timestamp {
    int64_t millis;     /* milliseconds since 1970-01-01T00:00:00 (floor) */
    int32_t nanos;      /* nanoseconds within the millisecond, 0..999999 */
} sl_timestamp_t;

#define SL_DATE_MIN (-719162)               /* 0001-01-01 */
#define SL_DATE_MAX 2932896                 /* 9999-12-31 */
#define SL_MILLIS_PER_DAY 86400000LL
#define SL_NANOS_PER_DAY 86400000000000LL
#define SL_TS_MILLIS_MIN (SL_DATE_MIN * SL_MILLIS_PER_DAY)
#define SL_TS_MILLIS_MAX ((SL_DATE_MAX + 1) * SL_MILLIS_PER_DAY - 1)
#define SL_TIME_MAX_PRECISION 9

#define SL_DATE_STRLEN 11        /* "9999-12-31" + NUL */
#define SL_TIME_STRLEN 19        /* "23:59:59.999999999" + NUL */
#define SL_TIMESTAMP_STRLEN 30   /* date ' ' time + NUL */
#define SL_INTERVAL_STRLEN 32    /* "-106751991167 07:12:55.808" + NUL */

/* Time units for EXTRACT, FLOOR/CEIL, TIMESTAMPDIFF and INTERVAL qualifiers.
 * Ordered from the finest to the coarsest calendar unit; the field-style
 * units after SL_TU_MILLENNIUM are only for EXTRACT. */
typedef enum sl_time_unit {
    SL_TU_NANOSECOND,
    SL_TU_MICROSECOND,
    SL_TU_MILLISECOND,
    SL_TU_SECOND,
    SL_TU_MINUTE,
    SL_TU_HOUR,
    SL_TU_DAY,
    SL_TU_WEEK,
    SL_TU_MONTH,
    SL_TU_QUARTER,
    SL_TU_YEAR,
    SL_TU_DECADE,
    SL_TU_CENTURY,
    SL_TU_MILLENNIUM,
    SL_TU_DOW,          /* day of week, Sunday = 1 .. Saturday = 7 */
    SL_TU_ISODOW,       /* Monday = 1 .. Sunday = 7 */
    SL_TU_DOY,          /* day of year, 1..366 */
    SL_TU_ISOYEAR,      /* ISO 8601 week-numbering year */
    SL_TU_EPOCH,        /* seconds since 1970-01-01 */
    SL_TU_COUNT
} sl_time_unit_t;

/* "YEAR" etc.; "?" when out of range. Static storage. */
const char *sl_time_unit_name(int unit);
/* Case-insensitive name (n bytes, also the SQL_TSI_ forms TIMESTAMPDIFF
 * accepts) to a unit, or -SL_ENOTFOUND. */
int sl_time_unit_from_name(const char *name, size_t n);

/* ---- calendar ------------------------------------------------------------ */

int sl_is_leap_year(int y);
/* 28..31, or 0 when m is not 1..12. */
int sl_days_in_month(int y, int m);
/* DATE from fields: -SL_ERANGE unless 1 <= y <= 9999 and m/d form a real
 * date. Days are computed with Howard Hinnant's days_from_civil. */
int sl_date_make(int y, int m, int d, sl_date_t *out);
/* Fields of a DATE (any int32 day number, not only the supported range). */
void sl_date_to_civil(sl_date_t date, int *y, int *m, int *d);

/* ---- DATE ---------------------------------------------------------------- */

int sl_date_parse(const char *text, size_t n, sl_date_t *out);
int sl_date_format(sl_date_t date, char *buf, size_t cap);
/* date + days / months. Months clamp the day to the target month's last day
 * (2020-01-31 + 1 month = 2020-02-29), as Flink and Calcite do. */
int sl_date_add_days(sl_date_t date, int64_t days, sl_date_t *out);
int sl_date_add_months(sl_date_t date, int64_t months, sl_date_t *out);
/* EXTRACT(unit FROM date): calendar units, DOW, ISODOW, DOY, ISOYEAR, EPOCH;
 * -SL_EINVAL for time-of-day units. */
int sl_date_extract(sl_date_t date, int unit, int64_t *out);
/* FLOOR/CEIL(date TO unit), DAY..MILLENNIUM (finer units leave the date as
 * is). See sl_timestamp_floor. */
int sl_date_floor(sl_date_t date, int unit, sl_date_t *out);
int sl_date_ceil(sl_date_t date, int unit, sl_date_t *out);

/* ---- TIME ---------------------------------------------------------------- */

/* -SL_ERANGE unless 0<=h<24, 0<=m<60, 0<=s<60, 0<=nanos<10^9. */
int sl_time_make(int h, int m, int s, int32_t nanos, sl_time_t *out);
/* Parses a time of day, truncated to `precision` (0..9) fractional digits. */
int sl_time_parse(const char *text, size_t n, int precision, sl_time_t *out);
/* HH:MM:SS plus '.' and exactly `precision` digits when precision > 0.
 * -SL_EINVAL for a precision outside 0..9. */
int sl_time_format(sl_time_t t, int precision, char *buf, size_t cap);
/* Drops fractional digits beyond precision (0..9). */
sl_time_t sl_time_truncate(sl_time_t t, int precision);
/* TIME + INTERVAL: wraps around midnight like Flink. */
sl_time_t sl_time_add_millis(sl_time_t t, int64_t millis);
/* EXTRACT HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, NANOSECOND (the
 * sub-second units count within the second, as in Flink); else -SL_EINVAL. */
int sl_time_extract(sl_time_t t, int unit, int64_t *out);
/* FLOOR/CEIL(time TO unit) for NANOSECOND..HOUR; CEIL past 23:00 wraps to
 * 00:00. -SL_EINVAL for other units. */
int sl_time_floor(sl_time_t t, int unit, sl_time_t *out);
int sl_time_ceil(sl_time_t t, int unit, sl_time_t *out);

/* ---- TIMESTAMP ----------------------------------------------------------- */

sl_timestamp_t sl_timestamp_from_millis(int64_t millis);
/* Microseconds since the epoch (e.g. from Avro/Parquet/Postgres) and back.
 * to_micros drops sub-microsecond digits (floor); ts must be valid. */
sl_timestamp_t sl_timestamp_from_micros(int64_t micros);
int64_t sl_timestamp_to_micros(sl_timestamp_t ts);
/* Midnight of date; date plus time of day. */
sl_timestamp_t sl_timestamp_from_date(sl_date_t date);
sl_timestamp_t sl_timestamp_make(sl_date_t date, sl_time_t time);
/* CAST(ts AS DATE) and CAST(ts AS TIME). */
sl_date_t sl_timestamp_date(sl_timestamp_t ts);
sl_time_t sl_timestamp_time(sl_timestamp_t ts);
/* 1 when ts lies in 0001-01-01 .. 9999-12-31 and nanos is in range. */
int sl_timestamp_valid(sl_timestamp_t ts);
int sl_timestamp_cmp(sl_timestamp_t a, sl_timestamp_t b);
sl_timestamp_t sl_timestamp_truncate(sl_timestamp_t ts, int precision);

int sl_timestamp_parse(const char *text, size_t n, int precision,
                       sl_timestamp_t *out);
int sl_timestamp_format(sl_timestamp_t ts, int precision, char *buf,
                        size_t cap);

/* ts + a day-time interval (milliseconds) / a year-month interval (months,
 * day clamped to the month's end, time of day kept). */
int sl_timestamp_add_millis(sl_timestamp_t ts, int64_t millis,
                            sl_timestamp_t *out);
int sl_timestamp_add_months(sl_timestamp_t ts, int64_t months,
                            sl_timestamp_t *out);
/* TIMESTAMPDIFF(unit, from, to), Flink's way: units SECOND..WEEK divide the
 * millisecond difference truncating toward zero (sub-millisecond digits are
 * ignored); MONTH, QUARTER and YEAR count whole months as Calcite's
 * subtractMonths does (Jan 31 -> Feb 29 is one month; a month is complete
 * only when the time of day is reached too), then divide by 3 or 12. Also
 * MILLISECOND. -SL_EINVAL for other units. */
int sl_timestamp_diff(int unit, sl_timestamp_t from, sl_timestamp_t to,
                      int64_t *out);
/* EXTRACT(unit FROM ts) for every unit. DAY is the day of the month, WEEK the
 * ISO 8601 week, SECOND the second of the minute; MILLISECOND, MICROSECOND,
 * NANOSECOND count within the second (Flink); EPOCH is seconds truncated
 * toward zero (Flink); DECADE is year/10, CENTURY and MILLENNIUM start at
 * years ...01. */
int sl_timestamp_extract(sl_timestamp_t ts, int unit, int64_t *out);
/* FLOOR/CEIL(ts TO unit), NANOSECOND..MILLENNIUM. Weeks start on Sunday,
 * centuries on years ending in 01 and millennia in 001, as in Calcite; CEIL
 * of a value already on a boundary is the value itself. -SL_ERANGE if the
 * result leaves the supported range, -SL_EINVAL for EXTRACT-only units. */
int sl_timestamp_floor(sl_timestamp_t ts, int unit, sl_timestamp_t *out);
int sl_timestamp_ceil(sl_timestamp_t ts, int unit, sl_timestamp_t *out);

/* ---- INTERVAL ------------------------------------------------------------ */

/* Parses the string of an interval literal, INTERVAL 'text' from [TO to]
 * (pass to == from for a single field). Qualifiers: YEAR, YEAR TO MONTH,
 * MONTH, DAY, DAY TO HOUR/MINUTE/SECOND, HOUR, HOUR TO MINUTE/SECOND,
 * MINUTE, MINUTE TO SECOND, SECOND. Text: an optional sign, then the fields
 * in order, e.g. '1-2' (YEAR TO MONTH), '1 10:00:00.5' (DAY TO SECOND),
 * '10:30' (HOUR TO MINUTE), '90.25' (SECOND). The leading field may have any
 * number of digits (its declared leading precision is not checked); trailing
 * fields have one or two digits within their range (month < 12, hour < 24,
 * minute and second < 60); second fractions take 1..9 digits, truncated to
 * milliseconds. Sets *is_months and *value to months (year-month
 * qualifiers) or milliseconds (day-time). Returns 0, -SL_EINVAL (qualifier),
 * -SL_EFORMAT (text) or -SL_EOVERFLOW. */
int sl_interval_parse(const char *text, size_t n, int from_unit, int to_unit,
                      int64_t *value, int *is_months);
/* Flink's text for intervals: "+1-02" (year-month), "+0 00:10:00.000"
 * (day-time, as INTERVAL DAY TO SECOND(3)). */
int sl_interval_format_months(int64_t months, char *buf, size_t cap);
int sl_interval_format_millis(int64_t millis, char *buf, size_t cap);

#endif
