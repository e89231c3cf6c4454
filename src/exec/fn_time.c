/* fn_time.c - temporal built-ins: EXTRACT and friends, TIMESTAMPADD/DIFF,
 * FLOOR/CEIL TO unit, the current time, DATE_FORMAT / TO_TIMESTAMP /
 * UNIX_TIMESTAMP with Java date patterns, and time zones for CONVERT_TZ.
 *
 * Patterns: Flink formats timestamps with java.time's DateTimeFormatter
 * (DATE_FORMAT of a TIMESTAMP, TO_TIMESTAMP with a format) and strings with
 * SimpleDateFormat (DATE_FORMAT of a string, FROM_UNIXTIME, UNIX_TIMESTAMP,
 * TO_DATE with a format). Both are implemented over one pattern engine with
 * the common letters: G y Y u M L d D E a H k K h m s S n A Q q w z Z X x and
 * 'quoted text'; the two flavours differ where Java's do (S is a fraction in
 * DateTimeFormatter but milliseconds in SimpleDateFormat, u is the year in
 * one and the day of the week in the other; SimpleDateFormat parsing is
 * lenient about field widths and ignores trailing text). Names are English.
 * An unknown pattern letter is an error, as in Java.
 *
 * The session time zone is UTC. Named zones (CONVERT_TZ, TO_TIMESTAMP_LTZ
 * with a zone) are read from the system's tz database (/usr/share/zoneinfo);
 * offsets after the last transition in the file (2037 in "fat" files) stay
 * at the last one. An unknown zone is an error (Java would silently use
 * GMT).
 */
#include "exec/fn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/arith.h"
#include "util/decimal.h"

#define MS_DAY SL_MILLIS_PER_DAY

static int set_null(sl_value_t *out)
{
    *out = sl_value_null();
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* Any temporal value as a timestamp (DATE at midnight, TIME on 1970-01-01). */
static sl_timestamp_t as_ts(const sl_value_t *v, const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_DATE: return sl_timestamp_from_date(v->date);
    case SL_T_TIME: return sl_timestamp_make(0, v->time);
    default: return v->ts;
    }
}

/* ---- time zones -------------------------------------------------------------------- */

typedef struct tz {
    char name[64];
    int ntrans;
    int64_t *trans;         /* UTC seconds of transitions */
    uint8_t *idx;           /* local time type after each transition */
    int ntypes;
    int32_t *off;           /* UT offset of each type, seconds */
    int32_t fixed;          /* offset when there is no data */
    unsigned long stamp;
    bool used;
} tz_t;

#define TZ_CACHE 8
static __thread tz_t tzs[TZ_CACHE];
static __thread unsigned long tzclock;

static void tz_free(tz_t *z)
{
    free(z->trans);
    free(z->idx);
    free(z->off);
    memset(z, 0, sizeof *z);
}

void sl_fn_tz_cleanup(void)
{
    for (int i = 0; i < TZ_CACHE; i++)
        if (tzs[i].used) tz_free(&tzs[i]);
}

static int64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    if (n == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* Parses a TZif file (RFC 8536), version 1 or later. 0 or -SL_EFORMAT. */
static int tzif_parse(const unsigned char *d, size_t n, tz_t *z)
{
    if (n < 44 || memcmp(d, "TZif", 4) != 0) return -SL_EFORMAT;
    int ver = d[4];
    size_t pos = 0;
    int tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (pos + 44 > n || memcmp(d + pos, "TZif", 4) != 0) return -SL_EFORMAT;
        int64_t isut = be(d + pos + 20, 4), isstd = be(d + pos + 24, 4),
                leap = be(d + pos + 28, 4), timecnt = be(d + pos + 32, 4),
                typecnt = be(d + pos + 36, 4), charcnt = be(d + pos + 40, 4);
        if (isut < 0 || isstd < 0 || leap < 0 || timecnt < 0 || typecnt <= 0 ||
            charcnt < 0 || timecnt > 100000 || typecnt > 256)
            return -SL_EFORMAT;
        size_t body = (size_t)timecnt * (size_t)tsize + (size_t)timecnt +
                      (size_t)typecnt * 6 + (size_t)charcnt +
                      (size_t)leap * (size_t)(tsize + 4) + (size_t)isstd + (size_t)isut;
        pos += 44;
        if (pos + body > n) return -SL_EFORMAT;
        if (pass == 0 && ver >= '2') {
            pos += body;
            tsize = 8;
            continue;
        }
        z->ntrans = (int)timecnt;
        z->ntypes = (int)typecnt;
        z->trans = malloc(sizeof *z->trans * (size_t)(timecnt ? timecnt : 1));
        z->idx = malloc((size_t)(timecnt ? timecnt : 1));
        z->off = malloc(sizeof *z->off * (size_t)typecnt);
        if (!z->trans || !z->idx || !z->off) return -SL_ENOMEM;
        const unsigned char *p = d + pos;
        for (int64_t i = 0; i < timecnt; i++) z->trans[i] = be(p + i * tsize, tsize);
        p += timecnt * tsize;
        for (int64_t i = 0; i < timecnt; i++) {
            z->idx[i] = p[i];
            if (p[i] >= typecnt) return -SL_EFORMAT;
        }
        p += timecnt;
        for (int64_t i = 0; i < typecnt; i++) z->off[i] = (int32_t)be(p + i * 6, 4);
        return 0;
    }
    return -SL_EFORMAT;
}

/* "+08:00", "-0530", "+8" after an optional GMT/UTC/UT prefix. */
static bool parse_offset(const char *s, size_t n, int32_t *off)
{
    size_t i = 0;
    if (n >= 3 && (!strncasecmp(s, "GMT", 3) || !strncasecmp(s, "UTC", 3))) i = 3;
    else if (n >= 2 && !strncasecmp(s, "UT", 2)) i = 2;
    if (i == n) {
        *off = 0;
        return i > 0;
    }
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return true;
    }
    if (s[i] != '+' && s[i] != '-') return false;
    int sign = s[i] == '-' ? -1 : 1;
    i++;
    int h = 0, m = 0, k = 0;
    while (i < n && isdigit((unsigned char)s[i]) && k < 2) h = h * 10 + (s[i++] - '0'), k++;
    if (!k) return false;
    if (i < n && s[i] == ':') i++;
    k = 0;
    while (i < n && isdigit((unsigned char)s[i]) && k < 2) m = m * 10 + (s[i++] - '0'), k++;
    if (i != n || h > 18 || m > 59) return false;
    *off = sign * (h * 3600 + m * 60);
    return true;
}

static int tz_get(const char *name, size_t n, const tz_t **out, sl_err_t *err)
{
    if (n == 0 || n >= sizeof tzs[0].name)
        return sl_err_set(err, SL_EINVAL, "unknown time zone '%.*s'", (int)(n > 60 ? 60 : n), name);
    tz_t *victim = &tzs[0];
    for (int i = 0; i < TZ_CACHE; i++) {
        tz_t *z = &tzs[i];
        if (z->used && strlen(z->name) == n && memcmp(z->name, name, n) == 0) {
            z->stamp = ++tzclock;
            *out = z;
            return 0;
        }
        if (!z->used) {
            if (victim->used) victim = z;
        } else if (victim->used && z->stamp < victim->stamp) {
            victim = z;
        }
    }
    tz_t z;
    memset(&z, 0, sizeof z);
    memcpy(z.name, name, n);
    z.name[n] = '\0';
    int32_t off;
    if (parse_offset(name, n, &off)) {
        z.fixed = off;
    } else {
        for (size_t i = 0; i < n; i++) {
            char ch = name[i];
            if (!isalnum((unsigned char)ch) && ch != '/' && ch != '_' && ch != '-' &&
                ch != '+')
                return sl_err_set(err, SL_EINVAL, "unknown time zone '%.*s'", (int)n, name);
        }
        if (strstr(z.name, "..") || name[0] == '/')
            return sl_err_set(err, SL_EINVAL, "unknown time zone '%.*s'", (int)n, name);
        char path[128];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", z.name);
        FILE *f = fopen(path, "rb");
        if (!f) return sl_err_set(err, SL_EINVAL, "unknown time zone '%.*s'", (int)n, name);
        unsigned char *buf = malloc(1 << 17);
        if (!buf) {
            fclose(f);
            return sl_fn_oom(err);
        }
        size_t len = fread(buf, 1, 1 << 17, f);
        fclose(f);
        int rc = tzif_parse(buf, len, &z);
        free(buf);
        if (rc) {
            free(z.trans);
            free(z.idx);
            free(z.off);
            if (rc == -SL_ENOMEM) return sl_fn_oom(err);
            return sl_err_set(err, SL_EINVAL, "unknown time zone '%.*s'", (int)n, name);
        }
    }
    if (victim->used) tz_free(victim);
    *victim = z;
    victim->used = true;
    victim->stamp = ++tzclock;
    *out = victim;
    return 0;
}

/* UT offset (seconds) in zone z at the instant utc (seconds). */
static int32_t tz_offset(const tz_t *z, int64_t utc)
{
    if (!z->off) return z->fixed;
    if (z->ntrans == 0 || utc < z->trans[0]) return z->off[0];
    int lo = 0, hi = z->ntrans - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (z->trans[mid] <= utc) lo = mid;
        else hi = mid - 1;
    }
    return z->off[z->idx[lo]];
}

/* The instant (seconds) of a local wall-clock time (seconds) in z, as
 * java.time resolves it: the earlier instant in an overlap, shifted by the
 * gap's length in a gap. */
static int64_t tz_local_to_utc(const tz_t *z, int64_t local)
{
    int32_t before = tz_offset(z, local - 86400), after = tz_offset(z, local + 86400);
    bool ok_b = tz_offset(z, local - before) == before;
    bool ok_a = tz_offset(z, local - after) == after;
    if (ok_b && ok_a) return local - (before > after ? before : after);
    if (ok_b) return local - before;
    if (ok_a) return local - after;
    return local - before;
}

int sl_tz_to_utc(const char *zone, int64_t local_sec, int64_t *utc_sec,
                 sl_err_t *err)
{
    const tz_t *z;
    int rc = tz_get(zone, strlen(zone), &z, err);
    if (rc) return rc;
    *utc_sec = tz_local_to_utc(z, local_sec);
    return 0;
}

int sl_tz_to_local(const char *zone, int64_t utc_sec, int64_t *local_sec,
                   sl_err_t *err)
{
    const tz_t *z;
    int rc = tz_get(zone, strlen(zone), &z, err);
    if (rc) return rc;
    *local_sec = utc_sec + tz_offset(z, utc_sec);
    return 0;
}

/* ---- pattern engine ------------------------------------------------------------------- */

static const char *const MONTHS[12] = {"January", "February", "March", "April", "May", "June",
                                       "July", "August", "September", "October", "November",
                                       "December"};
static const char *const DAYS[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                    "Saturday", "Sunday"};

typedef struct dt {
    int64_t year;
    int month, day, hour, minute, second;
    int32_t nanos;                  /* of the second */
    int dow;                        /* ISO 1..7 */
    int doy, week;
    int32_t offset;                 /* zone offset, seconds */
    const char *zone;               /* zone label */
} dt_t;

static void dt_from_ts(sl_timestamp_t ts, int32_t offset, const char *zone, dt_t *d)
{
    sl_date_t date = (sl_date_t)floor_div(ts.millis, MS_DAY);
    int64_t ms = ts.millis - (int64_t)date * MS_DAY;
    int y, m, dd;
    sl_date_to_civil(date, &y, &m, &dd);
    d->year = y;
    d->month = m;
    d->day = dd;
    d->hour = (int)(ms / 3600000);
    d->minute = (int)(ms / 60000 % 60);
    d->second = (int)(ms / 1000 % 60);
    d->nanos = (int32_t)(ms % 1000) * 1000000 + ts.nanos;
    int64_t v;
    d->dow = sl_date_extract(date, SL_TU_ISODOW, &v) == 0 ? (int)v : 1;
    d->doy = sl_date_extract(date, SL_TU_DOY, &v) == 0 ? (int)v : 1;
    d->week = sl_date_extract(date, SL_TU_WEEK, &v) == 0 ? (int)v : 1;
    d->offset = offset;
    d->zone = zone;
}

enum { FL_DTF = 0, FL_SDF = 1 };

static int bad_pattern(const char *pat, size_t pn, char letter, sl_err_t *err)
{
    return sl_err_set(err, SL_EFORMAT, "invalid date format pattern '%.*s': unknown pattern "
                      "letter '%c'", (int)(pn > 60 ? 60 : pn), pat, letter);
}

static int put_num(sl_abuf_t *b, int64_t v, int width)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%0*lld", width > 20 ? 20 : width, (long long)v);
    return sl_abuf_put(b, tmp, (size_t)n);
}

static int put_offset(sl_abuf_t *b, int32_t off, int style, int count)
{
    /* style 'Z': +HHMM; 'X' / 'x': +HH, +HHMM, +HH:MM by count ('X' writes Z for 0) */
    if (style == 'X' && off == 0) return sl_abuf_putc(b, 'Z');
    char tmp[16];
    int a = off < 0 ? -off : off;
    char sign = off < 0 ? '-' : '+';
    int n;
    if (style == 'Z') n = snprintf(tmp, sizeof tmp, "%c%02d%02d", sign, a / 3600, a / 60 % 60);
    else if (count == 1) n = a % 3600 ? snprintf(tmp, sizeof tmp, "%c%02d%02d", sign, a / 3600, a / 60 % 60)
                                      : snprintf(tmp, sizeof tmp, "%c%02d", sign, a / 3600);
    else if (count == 2) n = snprintf(tmp, sizeof tmp, "%c%02d%02d", sign, a / 3600, a / 60 % 60);
    else n = snprintf(tmp, sizeof tmp, "%c%02d:%02d", sign, a / 3600, a / 60 % 60);
    return sl_abuf_put(b, tmp, (size_t)n);
}

/* Checks the pattern's letters and quotes up front, as Java rejects a bad
 * pattern before looking at any value. */
static int check_pattern(const char *pat, size_t pn, int flavour, sl_err_t *err)
{
    static const char dtf[] = "GyYuMLdDEaHkKhmsSnAQqwWFzVZXx";
    static const char sdf[] = "GyYuMLdDEaHkKhmsSwWFzZX";
    for (size_t i = 0; i < pn; i++) {
        char ch = pat[i];
        if (ch == '\'') {
            size_t j = i + 1;
            while (j < pn && pat[j] != '\'') j++;
            if (j >= pn)
                return sl_err_set(err, SL_EFORMAT, "invalid date format pattern '%.*s': "
                                  "unterminated quote", (int)(pn > 60 ? 60 : pn), pat);
            i = j;
            continue;
        }
        if (isalpha((unsigned char)ch) && !strchr(flavour == FL_SDF ? sdf : dtf, ch))
            return bad_pattern(pat, pn, ch, err);
    }
    return 0;
}

/* Formats d with the pattern. 0, -SL_EFORMAT (bad pattern) or -SL_ENOMEM. */
static int dt_format(const char *pat, size_t pn, int flavour, const dt_t *d, sl_abuf_t *b,
                     sl_err_t *err)
{
    size_t i = 0;
    int rc = check_pattern(pat, pn, flavour, err);
    if (rc) return rc;
    while (i < pn && !rc) {
        char ch = pat[i];
        if (ch == '\'') {
            if (i + 1 < pn && pat[i + 1] == '\'') {
                rc = sl_abuf_putc(b, '\'');
                i += 2;
                continue;
            }
            size_t j = i + 1;
            while (j < pn) {
                if (pat[j] == '\'') {
                    if (j + 1 < pn && pat[j + 1] == '\'') {
                        rc = sl_abuf_putc(b, '\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                rc = sl_abuf_putc(b, pat[j]);
                j++;
                if (rc) break;
            }
            if (j >= pn)
                return sl_err_set(err, SL_EFORMAT, "invalid date format pattern '%.*s': "
                                  "unterminated quote", (int)(pn > 60 ? 60 : pn), pat);
            i = j + 1;
            continue;
        }
        if (!isalpha((unsigned char)ch)) {
            rc = sl_abuf_putc(b, ch);
            i++;
            continue;
        }
        int cnt = 0;
        while (i < pn && pat[i] == ch) i++, cnt++;
        int h12 = d->hour % 12;
        switch (ch) {
        case 'G': rc = sl_abuf_put(b, d->year > 0 ? "AD" : "BC", 2); break;
        case 'y': case 'Y':
            rc = cnt == 2 ? put_num(b, d->year % 100, 2) : put_num(b, d->year, cnt);
            break;
        case 'u':
            if (flavour == FL_SDF) rc = put_num(b, d->dow, cnt);
            else rc = cnt == 2 ? put_num(b, d->year % 100, 2) : put_num(b, d->year, cnt);
            break;
        case 'M': case 'L':
            if (cnt <= 2) rc = put_num(b, d->month, cnt);
            else if (cnt == 3) rc = sl_abuf_put(b, MONTHS[d->month - 1], 3);
            else if (cnt == 4) rc = sl_abuf_put(b, MONTHS[d->month - 1], strlen(MONTHS[d->month - 1]));
            else rc = sl_abuf_put(b, MONTHS[d->month - 1], 1);
            break;
        case 'd': rc = put_num(b, d->day, cnt); break;
        case 'D': rc = put_num(b, d->doy, cnt); break;
        case 'E':
            if (cnt <= 3) rc = sl_abuf_put(b, DAYS[d->dow - 1], 3);
            else rc = sl_abuf_put(b, DAYS[d->dow - 1], strlen(DAYS[d->dow - 1]));
            break;
        case 'a': rc = sl_abuf_put(b, d->hour < 12 ? "AM" : "PM", 2); break;
        case 'H': rc = put_num(b, d->hour, cnt); break;
        case 'k': rc = put_num(b, d->hour == 0 ? 24 : d->hour, cnt); break;
        case 'K': rc = put_num(b, h12, cnt); break;
        case 'h': rc = put_num(b, h12 == 0 ? 12 : h12, cnt); break;
        case 'm': rc = put_num(b, d->minute, cnt); break;
        case 's': rc = put_num(b, d->second, cnt); break;
        case 'S':
            if (flavour == FL_SDF) {
                rc = put_num(b, d->nanos / 1000000, cnt);
            } else {
                char f[10];
                snprintf(f, sizeof f, "%09d", d->nanos);
                if (cnt > 9)
                    return sl_err_set(err, SL_EFORMAT, "invalid date format pattern '%.*s': "
                                      "too many pattern letters 'S'", (int)(pn > 60 ? 60 : pn), pat);
                rc = sl_abuf_put(b, f, (size_t)cnt);
            }
            break;
        case 'n':
            if (flavour == FL_SDF) return bad_pattern(pat, pn, ch, err);
            rc = put_num(b, d->nanos, cnt);
            break;
        case 'A':
            if (flavour == FL_SDF) return bad_pattern(pat, pn, ch, err);
            rc = put_num(b, ((int64_t)d->hour * 3600 + d->minute * 60 + d->second) * 1000 +
                             d->nanos / 1000000, cnt);
            break;
        case 'Q': case 'q': {
            static const char *const QN[4] = {"1st quarter", "2nd quarter", "3rd quarter",
                                              "4th quarter"};
            int q = (d->month - 1) / 3 + 1;
            if (flavour == FL_SDF) return bad_pattern(pat, pn, ch, err);
            if (cnt <= 2) {
                rc = put_num(b, q, cnt);
            } else if (cnt == 3) {
                char qs[2] = {'Q', (char)('0' + q)};
                rc = sl_abuf_put(b, qs, 2);
            } else {
                rc = sl_abuf_put(b, QN[q - 1], strlen(QN[q - 1]));
            }
            break;
        }
        case 'w': rc = put_num(b, d->week, cnt); break;
        case 'W': rc = put_num(b, (d->day - 1) / 7 + 1, cnt); break;
        case 'F': rc = put_num(b, (d->day - 1) / 7 + 1, cnt); break;
        case 'z': rc = sl_abuf_put(b, d->zone, strlen(d->zone)); break;
        case 'V': rc = sl_abuf_put(b, d->zone, strlen(d->zone)); break;
        case 'Z': rc = put_offset(b, d->offset, 'Z', cnt); break;
        case 'X': rc = put_offset(b, d->offset, 'X', cnt); break;
        case 'x': rc = put_offset(b, d->offset, 'x', cnt); break;
        default:
            return bad_pattern(pat, pn, ch, err);
        }
    }
    if (rc) return sl_fn_oom(err);
    return 0;
}

/* Parsed fields; unset fields default as Flink's fromTemporalAccessor does
 * (1970-01-01 00:00:00). */
typedef struct pf {
    int64_t year;
    int month, day, hour, minute, second, ampm, hour12;
    int32_t nanos;
    bool has_offset;
    int32_t offset;
    int doy;
} pf_t;

static bool is_num_letter(char ch, int cnt, int flavour)
{
    switch (ch) {
    case 'y': case 'Y': case 'd': case 'D': case 'H': case 'k': case 'K': case 'h':
    case 'm': case 's': case 'S': case 'n': case 'A': case 'w': case 'W': case 'F':
        return true;
    case 'u':
        return true;
    case 'M': case 'L': case 'Q': case 'q':
        return cnt <= 2;
    default:
        (void)flavour;
        return false;
    }
}

/* Reads min..max digits. */
static bool read_num(const char *s, size_t n, size_t *i, int min, int max, int64_t *v)
{
    int k = 0;
    int64_t x = 0;
    bool neg = false;
    if (*i < n && (s[*i] == '-' || s[*i] == '+') && max > 4) {
        neg = s[*i] == '-';
        (*i)++;
    }
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
        x = x * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    if (k < min) return false;
    *v = neg ? -x : x;
    return true;
}

static bool read_name(const char *s, size_t n, size_t *i, const char *const *names, int count,
                      bool shortname, bool icase, int *out)
{
    for (int k = 0; k < count; k++) {
        size_t len = shortname ? 3 : strlen(names[k]);
        if (*i + len <= n &&
            (icase ? strncasecmp(s + *i, names[k], len) : strncmp(s + *i, names[k], len)) == 0) {
            *i += len;
            *out = k;
            return true;
        }
    }
    return false;
}

/* Parses s with the pattern. Returns 1 on success, 0 when s does not match,
 * or a negative code for a bad pattern (err filled). */
static int dt_parse(const char *pat, size_t pn, int flavour, const char *s, size_t n,
                    int64_t now_year, pf_t *f, sl_err_t *err)
{
    int prc = check_pattern(pat, pn, flavour, err);
    if (prc) return prc;
    memset(f, 0, sizeof *f);
    f->year = 1970;
    f->month = 1;
    f->day = 1;
    f->ampm = -1;
    f->hour12 = -1;
    bool lenient = flavour == FL_SDF;
    size_t i = 0, p = 0;
    while (p < pn) {
        char ch = pat[p];
        if (ch == '\'') {
            size_t j = p + 1;
            if (j < pn && pat[j] == '\'') {
                if (i >= n || s[i] != '\'') return 0;
                i++;
                p += 2;
                continue;
            }
            while (j < pn && pat[j] != '\'') {
                if (i >= n || s[i] != pat[j]) return 0;
                i++, j++;
            }
            if (j >= pn)
                return sl_err_set(err, SL_EFORMAT, "invalid date format pattern '%.*s': "
                                  "unterminated quote", (int)(pn > 60 ? 60 : pn), pat);
            p = j + 1;
            continue;
        }
        if (!isalpha((unsigned char)ch)) {
            if (i >= n || s[i] != ch) return 0;
            i++, p++;
            continue;
        }
        int cnt = 0;
        while (p < pn && pat[p] == ch) p++, cnt++;
        /* the next pattern element is a numeric field: fixed width */
        bool adjacent = p < pn && isalpha((unsigned char)pat[p]) &&
                        is_num_letter(pat[p], 1, flavour);
        int minw, maxw;
        if (adjacent) {
            minw = maxw = cnt;
        } else if (lenient) {
            minw = 1;
            maxw = 10;
        } else if (ch == 'y' || ch == 'Y' || ch == 'u') {
            minw = cnt == 2 ? 2 : cnt;
            maxw = cnt == 2 ? 2 : 10;
        } else {
            minw = cnt;
            maxw = cnt == 1 ? 10 : cnt;
        }
        int64_t v = 0;
        int k;
        switch (ch) {
        case 'y': case 'Y': case 'u':
            if (ch == 'u' && flavour == FL_SDF) {
                if (!read_num(s, n, &i, minw, maxw, &v)) return 0;
                break;
            }
            {
                size_t start = i;
                if (!read_num(s, n, &i, minw, maxw > 4 ? 9 : maxw, &v)) return 0;
                if (cnt == 2 && i - start == 2) {
                    /* two-digit year: SimpleDateFormat's window around now;
                     * DateTimeFormatter's base 2000 */
                    if (lenient) {
                        int64_t base = now_year - 80;
                        int64_t c = base / 100 * 100 + v;
                        if (c < base) c += 100;
                        v = c;
                    } else {
                        v += 2000;
                    }
                }
                f->year = v;
            }
            break;
        case 'M': case 'L':
            if (cnt >= 3) {
                if (!read_name(s, n, &i, MONTHS, 12, cnt == 3, lenient, &k)) return 0;
                f->month = k + 1;
            } else {
                if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
                f->month = (int)v;
            }
            break;
        case 'd':
            if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
            f->day = (int)v;
            break;
        case 'D':
            if (!read_num(s, n, &i, minw, maxw < 3 ? 3 : maxw, &v)) return 0;
            f->doy = (int)v;
            break;
        case 'E':
            if (!read_name(s, n, &i, DAYS, 7, cnt <= 3, lenient, &k)) return 0;
            break;
        case 'a':
            if (i + 2 <= n && !strncasecmp(s + i, "AM", 2)) f->ampm = 0;
            else if (i + 2 <= n && !strncasecmp(s + i, "PM", 2)) f->ampm = 1;
            else return 0;
            i += 2;
            break;
        case 'H': case 'k':
            if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
            if (ch == 'k' && v == 24) v = 0;
            f->hour = (int)v;
            break;
        case 'K': case 'h':
            if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
            if (ch == 'h' && v == 12) v = 0;
            f->hour12 = (int)v;
            break;
        case 'm':
            if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
            f->minute = (int)v;
            break;
        case 's':
            if (!read_num(s, n, &i, minw, lenient || adjacent ? maxw : 2, &v)) return 0;
            f->second = (int)v;
            break;
        case 'S':
            if (flavour == FL_SDF) {
                if (!read_num(s, n, &i, minw, maxw, &v)) return 0;
                f->nanos = (int32_t)(v % 1000) * 1000000;
                f->second += (int)(v / 1000);
            } else {
                size_t start = i;
                if (cnt > 9 || !read_num(s, n, &i, cnt, cnt, &v)) return 0;
                for (size_t z = i - start; z < 9; z++) v *= 10;
                f->nanos = (int32_t)v;
            }
            break;
        case 'n':
            if (flavour == FL_SDF) return bad_pattern(pat, pn, ch, err);
            if (!read_num(s, n, &i, 1, 9, &v)) return 0;
            f->nanos = (int32_t)v;
            break;
        case 'Z': case 'X': case 'x': {
            if (i < n && (s[i] == 'Z' || s[i] == 'z') && ch != 'x') {
                f->has_offset = true;
                f->offset = 0;
                i++;
                break;
            }
            size_t j = i;
            if (j < n && (s[j] == '+' || s[j] == '-')) j++;
            else return 0;
            while (j < n && (isdigit((unsigned char)s[j]) || s[j] == ':') && j - i < 6) j++;
            int32_t off;
            if (!parse_offset(s + i, j - i, &off)) return 0;
            f->has_offset = true;
            f->offset = off;
            i = j;
            break;
        }
        case 'z': case 'V': {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '/' || s[j] == '_' ||
                             s[j] == '+' || s[j] == '-' || s[j] == ':'))
                j++;
            int32_t off;
            if (j == i || !parse_offset(s + i, j - i, &off)) return 0;
            f->has_offset = true;
            f->offset = off;
            i = j;
            break;
        }
        case 'G':
            if (i + 2 <= n && (!strncmp(s + i, "AD", 2) || !strncmp(s + i, "BC", 2))) i += 2;
            else return 0;
            break;
        case 'w': case 'W': case 'F': case 'Q': case 'q':
            if (!read_num(s, n, &i, minw, maxw, &v)) return 0;
            break;
        default:
            return bad_pattern(pat, pn, ch, err);
        }
    }
    if (!lenient && i != n) return 0;
    if (f->hour12 >= 0) f->hour = f->hour12 + (f->ampm == 1 ? 12 : 0);
    else if (f->ampm == 1 && f->hour < 12) f->hour += 12;
    return 1;
}

/* Fields to a timestamp (wall clock); false when invalid. */
static bool pf_to_ts(const pf_t *f, sl_timestamp_t *ts)
{
    sl_date_t d;
    if (f->doy > 0) {
        if (sl_date_make((int)f->year, 1, 1, &d)) return false;
        d += f->doy - 1;
    } else if (f->year < 1 || f->year > 9999 || sl_date_make((int)f->year, f->month, f->day, &d)) {
        return false;
    }
    if (f->hour < 0 || f->hour > 23 || f->minute < 0 || f->minute > 59 || f->second < 0 ||
        f->second > 59)
        return false;
    sl_time_t tod = (((int64_t)f->hour * 60 + f->minute) * 60 + f->second) * 1000000000LL +
                    f->nanos;
    *ts = sl_timestamp_make(d, tod);
    if (f->has_offset) {
        sl_timestamp_t r;
        if (sl_timestamp_add_millis(*ts, -(int64_t)f->offset * 1000, &r)) return false;
        *ts = r;
    }
    return sl_timestamp_valid(*ts);
}

static int64_t year_of_ms(int64_t ms)
{
    int y, m, d;
    sl_date_to_civil((sl_date_t)floor_div(ms, MS_DAY), &y, &m, &d);
    return y;
}

/* Formats ts (wall clock) with a pattern into out. */
static int format_ts(const sl_fn_ctx_t *c, sl_timestamp_t ts, const sl_value_t *fmt,
                     int flavour, sl_value_t *out, sl_err_t *err)
{
    if (!sl_timestamp_valid(ts)) return set_null(out);
    dt_t d;
    dt_from_ts(ts, 0, "UTC", &d);
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    int rc = dt_format(fmt->str, fmt->len, flavour, &d, &b, err);
    if (rc) return rc;
    sl_abuf_value(&b, out);
    return 0;
}

static const char DEFAULT_FMT[] = "yyyy-MM-dd HH:mm:ss";

/* SimpleDateFormat parse in UTC; 1 parsed, 0 not, <0 error. */
static int sdf_parse(const sl_fn_ctx_t *c, const char *s, size_t n, const char *pat,
                     size_t pn, sl_timestamp_t *ts, sl_err_t *err)
{
    pf_t f;
    int rc = dt_parse(pat, pn, FL_SDF, s, n, year_of_ms(c->now_ms), &f, err);
    if (rc <= 0) return rc;
    return pf_to_ts(&f, ts) ? 1 : 0;
}

/* ---- functions ------------------------------------------------------------------------------ */

static int fn_date_format(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    const sl_type_t *t = c->argt[0];
    if (t->id == SL_T_CHAR || t->id == SL_T_VARCHAR) {
        sl_timestamp_t ts;
        int rc = sdf_parse(c, a[0].str, a[0].len, DEFAULT_FMT, sizeof DEFAULT_FMT - 1, &ts, err);
        if (rc < 0) return rc;
        if (rc == 0) return set_null(out);
        return format_ts(c, ts, &a[1], FL_SDF, out, err);
    }
    return format_ts(c, as_ts(&a[0], t), &a[1], FL_DTF, out, err);
}

static int fn_to_timestamp(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    sl_timestamp_t ts;
    if (c->nargs > 1) {
        pf_t f;
        int rc = dt_parse(a[1].str, a[1].len, FL_DTF, a[0].str, a[0].len,
                          year_of_ms(c->now_ms), &f, err);
        if (rc < 0) return rc;
        if (rc == 1 && pf_to_ts(&f, &ts)) {
            out->ts = sl_timestamp_truncate(ts, 3);
            return 0;
        }
        /* Flink falls back to java.sql.Timestamp / Date.valueOf */
    }
    if (sl_timestamp_parse(a[0].str, a[0].len, 3, &ts)) return set_null(out);
    out->ts = ts;
    return 0;
}

static int fn_to_date(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    if (c->nargs > 1) {
        sl_timestamp_t ts;
        int rc = sdf_parse(c, a[0].str, a[0].len, a[1].str, a[1].len, &ts, err);
        if (rc < 0) return rc;
        if (rc == 0) return set_null(out);
        out->date = sl_timestamp_date(ts);
        return 0;
    }
    sl_value_t d;
    sl_value_t in = a[0];
    int rc = sl_value_cast(&in, c->argt[0], &d, &sl_type_date, true, c->arena, err);
    if (rc) return rc;
    *out = d;
    return 0;
}

static bool ms_in_range(int64_t ms)
{
    return ms >= SL_TS_MILLIS_MIN && ms <= SL_TS_MILLIS_MAX;
}

static int fn_to_timestamp_ltz(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                               sl_err_t *err)
{
    const sl_type_t *t = c->argt[0];
    if (a[0].null) return set_null(out);
    if (t->id == SL_T_CHAR || t->id == SL_T_VARCHAR) {
        static const char LTZ_FMT[] = "yyyy-MM-dd HH:mm:ss.SSS";
        const char *pat = LTZ_FMT;
        size_t pn = sizeof LTZ_FMT - 1;
        if (c->nargs > 1) {
            if (a[1].null) return set_null(out);
            pat = a[1].str;
            pn = a[1].len;
        }
        pf_t f;
        int rc = dt_parse(pat, pn, FL_DTF, a[0].str, a[0].len, year_of_ms(c->now_ms), &f, err);
        if (rc < 0) return rc;
        sl_timestamp_t ts;
        if (rc == 0 || !pf_to_ts(&f, &ts)) return set_null(out);
        if (c->nargs > 2 && !f.has_offset) {
            if (a[2].null) return set_null(out);
            const tz_t *z;
            if ((rc = tz_get(a[2].str, a[2].len, &z, err))) return rc;
            int64_t local = floor_div(ts.millis, 1000);
            int64_t utc = tz_local_to_utc(z, local);
            ts.millis += (utc - local) * 1000;
            if (!sl_timestamp_valid(ts)) return set_null(out);
        }
        out->ts = sl_timestamp_truncate(ts, 3);
        return 0;
    }
    int64_t prec = 3;
    if (c->nargs > 1) {
        if (a[1].null) return set_null(out);
        prec = a[1].i64;
    }
    if (prec != 0 && prec != 3)
        return sl_err_set(err, SL_EINVAL, "the precision value '%lld' for function "
                          "TO_TIMESTAMP_LTZ(numeric, precision) is unsupported; the supported "
                          "values are 0 (seconds) and 3 (milliseconds)", (long long)prec);
    int64_t ms;
    switch (t->id) {
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        double v = a[0].f64;
        if (prec == 0) {
            if (!(v >= -62135596800.0 && v <= 253402300799.0)) return set_null(out);
            ms = (int64_t)(v * 1000);
        } else {
            if (!(v >= (double)SL_TS_MILLIS_MIN && v <= (double)SL_TS_MILLIS_MAX))
                return set_null(out);
            ms = (int64_t)v;
        }
        break;
    }
    default: {
        int64_t v = sl_fn_num_int(&a[0], t);
        if (prec == 0) {
            if (v < SL_TS_MILLIS_MIN / 1000 || v > SL_TS_MILLIS_MAX / 1000) return set_null(out);
            ms = v * 1000;
        } else {
            ms = v;
        }
        break;
    }
    }
    if (!ms_in_range(ms)) return set_null(out);
    out->ts = sl_timestamp_from_millis(ms);
    return 0;
}

static int fn_unix_timestamp(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                             sl_err_t *err)
{
    if (c->nargs == 0) {
        out->i64 = floor_div(c->now_ms, 1000);
        return 0;
    }
    const char *pat = DEFAULT_FMT;
    size_t pn = sizeof DEFAULT_FMT - 1;
    if (c->nargs > 1) {
        pat = a[1].str;
        pn = a[1].len;
    }
    sl_timestamp_t ts;
    int rc = sdf_parse(c, a[0].str, a[0].len, pat, pn, &ts, err);
    if (rc < 0) return rc;
    /* Flink returns Long.MIN_VALUE when the text does not parse. */
    out->i64 = rc ? floor_div(ts.millis, 1000) : INT64_MIN;
    return 0;
}

static int fn_from_unixtime(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                            sl_err_t *err)
{
    int64_t secs = sl_fn_num_int(&a[0], c->argt[0]);
    if (secs < SL_TS_MILLIS_MIN / 1000 || secs > SL_TS_MILLIS_MAX / 1000) return set_null(out);
    sl_value_t fmt = {0};
    fmt.str = DEFAULT_FMT;
    fmt.len = sizeof DEFAULT_FMT - 1;
    return format_ts(c, sl_timestamp_from_millis(secs * 1000), c->nargs > 1 ? &a[1] : &fmt,
                     FL_SDF, out, err);
}

static int fn_convert_tz(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    const tz_t *from, *to;
    int rc = tz_get(a[1].str, a[1].len, &from, err);
    if (rc) return rc;
    sl_timestamp_t ts;
    rc = sdf_parse(c, a[0].str, a[0].len, DEFAULT_FMT, sizeof DEFAULT_FMT - 1, &ts, err);
    if (rc < 0) return rc;
    if (rc == 0) return set_null(out);
    int64_t local = floor_div(ts.millis, 1000);
    int64_t utc = tz_local_to_utc(from, local);
    if ((rc = tz_get(a[2].str, a[2].len, &to, err))) return rc;
    int64_t dst = utc + tz_offset(to, utc);
    sl_timestamp_t r = sl_timestamp_from_millis(dst * 1000);
    sl_value_t fmt = {0};
    fmt.str = DEFAULT_FMT;
    fmt.len = sizeof DEFAULT_FMT - 1;
    return format_ts(c, r, &fmt, FL_SDF, out, err);
}

/* EXTRACT(unit FROM interval), Calcite's way. */
static int extract_interval(int unit, const sl_value_t *v, const sl_type_t *t, int64_t *out)
{
    int64_t x = v->i64;
    if (t->id == SL_T_INTERVAL_YM) {
        switch (unit) {
        case SL_TU_YEAR: *out = x / 12; return 0;
        case SL_TU_MONTH: *out = x % 12; return 0;
        case SL_TU_QUARTER: *out = x % 12 / 3 + 1; return 0;
        default: *out = 0; return 0;
        }
    }
    switch (unit) {
    case SL_TU_DAY: *out = x / MS_DAY; return 0;
    case SL_TU_HOUR: *out = x / 3600000 % 24; return 0;
    case SL_TU_MINUTE: *out = x / 60000 % 60; return 0;
    case SL_TU_SECOND: *out = x / 1000 % 60; return 0;
    case SL_TU_MILLISECOND: *out = x % 60000; return 0;
    case SL_TU_MICROSECOND: *out = x % 60000 * 1000; return 0;
    case SL_TU_NANOSECOND: *out = x % 60000 * 1000000; return 0;
    case SL_TU_EPOCH: *out = x / 1000; return 0;
    default: *out = 0; return 0;
    }
}

static int extract(const sl_fn_ctx_t *c, int unit, const sl_value_t *v, const sl_type_t *t,
                   sl_value_t *out, sl_err_t *err, bool date_as_ts)
{
    int rc;
    const char *un = sl_time_unit_name(unit);
    (void)c;
    switch (t->id) {
    case SL_T_DATE:
        if (date_as_ts) rc = sl_timestamp_extract(sl_timestamp_from_date(v->date), unit, &out->i64);
        else rc = sl_date_extract(v->date, unit, &out->i64);
        break;
    case SL_T_TIME:
        rc = sl_time_extract(v->time, unit, &out->i64);
        break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        rc = sl_timestamp_extract(v->ts, unit, &out->i64);
        break;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        rc = extract_interval(unit, v, t, &out->i64);
        break;
    default:
        rc = -SL_EINVAL;
        break;
    }
    if (rc)
        return sl_err_set(err, SL_EINVAL, "cannot extract %s from a %s value", un,
                          t->id == SL_T_DATE ? "DATE" : t->id == SL_T_TIME ? "TIME" : "temporal");
    return 0;
}

static int fn_extract(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    int unit = sl_unit_time_unit((int)a[0].i64);
    if (unit < 0) return sl_err_set(err, SL_EINVAL, "EXTRACT: unknown time unit");
    return extract(c, unit, &a[1], c->argt[1], out, err, false);
}

#define EXTRACT_FN(NAME, UNIT)                                                       \
    static int NAME(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,       \
                    sl_err_t *err)                                                   \
    {                                                                                \
        return extract(c, UNIT, &a[0], c->argt[0], out, err, true);                  \
    }
EXTRACT_FN(fn_year, SL_TU_YEAR)
EXTRACT_FN(fn_quarter, SL_TU_QUARTER)
EXTRACT_FN(fn_month, SL_TU_MONTH)
EXTRACT_FN(fn_week, SL_TU_WEEK)
EXTRACT_FN(fn_dayofyear, SL_TU_DOY)
EXTRACT_FN(fn_dayofmonth, SL_TU_DAY)
EXTRACT_FN(fn_dayofweek, SL_TU_DOW)
EXTRACT_FN(fn_hour, SL_TU_HOUR)
EXTRACT_FN(fn_minute, SL_TU_MINUTE)
EXTRACT_FN(fn_second, SL_TU_SECOND)

static int fn_timestampadd(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    int unit = sl_unit_time_unit((int)a[0].i64);
    int64_t n = a[1].i64, mult = 0, months = 0;
    switch (unit) {
    case SL_TU_YEAR: months = 12; break;
    case SL_TU_QUARTER: months = 3; break;
    case SL_TU_MONTH: months = 1; break;
    case SL_TU_WEEK: mult = 7 * MS_DAY; break;
    case SL_TU_DAY: mult = MS_DAY; break;
    case SL_TU_HOUR: mult = 3600000; break;
    case SL_TU_MINUTE: mult = 60000; break;
    case SL_TU_SECOND: mult = 1000; break;
    case SL_TU_MILLISECOND: mult = 1; break;
    default:
        return sl_err_set(err, SL_EINVAL, "TIMESTAMPADD does not support the unit %s",
                          sl_time_unit_name(unit));
    }
    int64_t amount;
    if (__builtin_mul_overflow(n, months ? months : mult, &amount))
        return sl_err_set(err, SL_ERANGE, "TIMESTAMPADD result out of range");
    const sl_type_t *t = c->argt[2];
    if (t->id == SL_T_TIME) {
        out->time = months ? a[2].time : sl_time_add_millis(a[2].time, amount);
        return 0;
    }
    sl_timestamp_t ts = as_ts(&a[2], t);
    int rc = months ? sl_timestamp_add_months(ts, amount, &ts)
                    : sl_timestamp_add_millis(ts, amount, &ts);
    if (rc) return sl_err_set(err, SL_ERANGE, "TIMESTAMPADD result out of range");
    if (c->rt->id == SL_T_DATE) out->date = sl_timestamp_date(ts);
    else out->ts = ts;
    return 0;
}

static int fn_timestampdiff(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                            sl_err_t *err)
{
    int unit = sl_unit_time_unit((int)a[0].i64);
    sl_timestamp_t x = as_ts(&a[1], c->argt[1]), y = as_ts(&a[2], c->argt[2]);
    int64_t r;
    if (sl_timestamp_diff(unit, x, y, &r))
        return sl_err_set(err, SL_EINVAL, "TIMESTAMPDIFF does not support the unit %s",
                          sl_time_unit_name(unit));
    out->i64 = (int32_t)(uint32_t)(uint64_t)r;   /* Java's (int) */
    return 0;
}

int sl_fn_floor_ceil_temporal(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                              sl_err_t *err, bool up)
{
    int unit = sl_unit_time_unit((int)a[1].i64);
    const sl_type_t *t = c->argt[0];
    int rc;
    switch (t->id) {
    case SL_T_DATE:
        rc = up ? sl_date_ceil(a[0].date, unit, &out->date) : sl_date_floor(a[0].date, unit, &out->date);
        break;
    case SL_T_TIME:
        rc = up ? sl_time_ceil(a[0].time, unit, &out->time) : sl_time_floor(a[0].time, unit, &out->time);
        break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        rc = up ? sl_timestamp_ceil(a[0].ts, unit, &out->ts)
                : sl_timestamp_floor(a[0].ts, unit, &out->ts);
        break;
    default:
        *out = a[0];
        return 0;
    }
    if (rc == -SL_ERANGE)
        return sl_err_set(err, SL_ERANGE, "%s(... TO %s) is out of range", up ? "CEIL" : "FLOOR",
                          sl_time_unit_name(unit));
    if (rc)
        return sl_err_set(err, SL_EINVAL, "%s(... TO %s) is not supported for this type",
                          up ? "CEIL" : "FLOOR", unit >= 0 ? sl_time_unit_name(unit) : "?");
    return 0;
}

static int fn_now_ltz(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    (void)a, (void)err;
    out->ts = sl_timestamp_from_millis(c->now_ms);
    return 0;
}

static int fn_current_date(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    (void)a, (void)err;
    out->date = (sl_date_t)floor_div(c->now_ms, MS_DAY);
    return 0;
}

static int fn_current_time(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    (void)a, (void)err;
    int64_t ms = c->now_ms - floor_div(c->now_ms, MS_DAY) * MS_DAY;
    int p = c->rt->id == SL_T_TIME ? c->rt->len : 0;
    out->time = sl_time_truncate(ms * 1000000, p >= 0 && p <= 9 ? p : 0);
    return 0;
}

static int fn_current_database(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                               sl_err_t *err)
{
    (void)a;
    return sl_fn_set_str(c, out, "default_database", 16, err);
}

const sl_fn_entry_t sl_fn_time_table[] = {
    {"DATE_FORMAT", fn_date_format, 0},
    {"TO_TIMESTAMP", fn_to_timestamp, 0},
    {"TO_DATE", fn_to_date, 0},
    {"TO_TIMESTAMP_LTZ", fn_to_timestamp_ltz, SL_FN_NULL_AWARE},
    {"UNIX_TIMESTAMP", fn_unix_timestamp, 0},
    {"FROM_UNIXTIME", fn_from_unixtime, 0},
    {"CONVERT_TZ", fn_convert_tz, 0},
    {"EXTRACT", fn_extract, 0},
    {"YEAR", fn_year, 0},
    {"QUARTER", fn_quarter, 0},
    {"MONTH", fn_month, 0},
    {"WEEK", fn_week, 0},
    {"DAYOFYEAR", fn_dayofyear, 0},
    {"DAYOFMONTH", fn_dayofmonth, 0},
    {"DAYOFWEEK", fn_dayofweek, 0},
    {"HOUR", fn_hour, 0},
    {"MINUTE", fn_minute, 0},
    {"SECOND", fn_second, 0},
    {"TIMESTAMPADD", fn_timestampadd, 0},
    {"TIMESTAMPDIFF", fn_timestampdiff, 0},
    {"CURRENT_TIMESTAMP", fn_now_ltz, 0},
    {"NOW", fn_now_ltz, 0},
    {"CURRENT_ROW_TIMESTAMP", fn_now_ltz, 0},
    {"PROCTIME", fn_now_ltz, 0},
    {"LOCALTIMESTAMP", fn_now_ltz, 0},
    {"CURRENT_DATE", fn_current_date, 0},
    {"CURRENT_TIME", fn_current_time, 0},
    {"LOCALTIME", fn_current_time, 0},
    {"CURRENT_DATABASE", fn_current_database, 0},
    {NULL, NULL, 0},
};
