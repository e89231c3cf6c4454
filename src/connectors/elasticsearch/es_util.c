/* es_util.c - index patterns, date patterns, document ids, mappings and
 * hosts for the elasticsearch sink (see es_util.h). */
#include "connectors/elasticsearch/es_util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/decimal.h"
#include "util/time.h"

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* ---- date patterns ---- */

static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_long[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
static const char *const day_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const day_long[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};

static int add_part(sl_es_datefmt_t *f, int *cap, sl_arena_t *a, sl_es_dfpart_t p)
{
    if (f->n == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        sl_es_dfpart_t *np = sl_arena_alloc(a, (size_t)nc * sizeof *np);
        if (!np) return -SL_ENOMEM;
        if (f->n) memcpy(np, f->parts, (size_t)f->n * sizeof *np);
        f->parts = np;
        *cap = nc;
    }
    f->parts[f->n++] = p;
    return 0;
}

int sl_es_datefmt_compile(const char *pat, size_t n, sl_arena_t *a, sl_es_datefmt_t *out,
                          sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    int cap = 0;
    sl_strbuf_t lit = SL_STRBUF_INIT;
    int rc = 0;
    size_t i = 0;
#define FLUSH_LIT()                                                                       \
    do {                                                                                  \
        if (lit.len) {                                                                    \
            char *s = sl_arena_strndup(a, lit.buf, lit.len);                              \
            if (!s || add_part(out, &cap, a,                                              \
                               (sl_es_dfpart_t){SL_ES_DF_LIT, 0, s, (uint32_t)lit.len})) { \
                rc = oom(err);                                                            \
                goto done;                                                                \
            }                                                                             \
            sl_strbuf_clear(&lit);                                                        \
        }                                                                                 \
    } while (0)
    while (i < n) {
        char c = pat[i];
        if (c == '\'') {
            if (i + 1 < n && pat[i + 1] == '\'') {
                sl_strbuf_putc(&lit, '\'');
                i += 2;
                continue;
            }
            size_t j = i + 1;
            for (;;) {
                if (j >= n) {
                    rc = sl_err_at(err, SL_EINVAL, (int)i, 1,
                                   "unterminated quote in date pattern '%.*s'", (int)n, pat);
                    goto done;
                }
                if (pat[j] == '\'') {
                    if (j + 1 < n && pat[j + 1] == '\'') {
                        sl_strbuf_putc(&lit, '\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                sl_strbuf_putc(&lit, pat[j]);
                j++;
            }
            i = j + 1;
            continue;
        }
        if (!isalpha((unsigned char)c)) {
            if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
                rc = sl_err_at(err, SL_EINVAL, (int)i, 1,
                               "'%c' in date pattern '%.*s' is reserved; quote it ('%c')", c,
                               (int)n, pat, c);
                goto done;
            }
            sl_strbuf_putc(&lit, c);
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && pat[j] == c) j++;
        int w = (int)(j - i);
        sl_es_dfpart_t p = {0, (uint8_t)(w > 255 ? 255 : w), NULL, 0};
        bool date = false;
        switch (c) {
        case 'y': case 'u': p.kind = SL_ES_DF_YEAR; date = true; break;
        case 'M': case 'L': p.kind = SL_ES_DF_MONTH; date = true; break;
        case 'd': p.kind = SL_ES_DF_DAY; date = true; break;
        case 'D': p.kind = SL_ES_DF_DOY; date = true; break;
        case 'E': p.kind = SL_ES_DF_WEEKDAY; date = true; break;
        case 'H': p.kind = SL_ES_DF_HOUR; break;
        case 'h': p.kind = SL_ES_DF_HOUR12; break;
        case 'a': p.kind = SL_ES_DF_AMPM; break;
        case 'm': p.kind = SL_ES_DF_MINUTE; break;
        case 's': p.kind = SL_ES_DF_SECOND; break;
        case 'S': p.kind = SL_ES_DF_FRACTION; break;
        default:
            rc = sl_err_at(err, SL_EUNSUPPORTED, (int)i, w,
                           "pattern letter '%c' in date pattern '%.*s' is not supported "
                           "(supported: y u M d D E H h a m s S, and 'quoted text')",
                           c, (int)n, pat);
            goto done;
        }
        bool bad = (p.kind == SL_ES_DF_MONTH && w > 4) || (p.kind == SL_ES_DF_DAY && w > 2) ||
                   (p.kind == SL_ES_DF_DOY && w > 3) || (p.kind == SL_ES_DF_WEEKDAY && w > 4) ||
                   ((p.kind == SL_ES_DF_HOUR || p.kind == SL_ES_DF_HOUR12 ||
                     p.kind == SL_ES_DF_MINUTE || p.kind == SL_ES_DF_SECOND) &&
                    w > 2) ||
                   (p.kind == SL_ES_DF_AMPM && w > 1) || (p.kind == SL_ES_DF_FRACTION && w > 9) ||
                   (p.kind == SL_ES_DF_YEAR && w > 9);
        if (bad) {
            rc = sl_err_at(err, SL_EINVAL, (int)i, w, "too many pattern letters '%c' in '%.*s'",
                           c, (int)n, pat);
            goto done;
        }
        if (date) out->has_date = true;
        else out->has_time = true;
        FLUSH_LIT();
        if (add_part(out, &cap, a, p)) {
            rc = oom(err);
            goto done;
        }
        i = j;
    }
    FLUSH_LIT();
#undef FLUSH_LIT
done:
    sl_strbuf_destroy(&lit);
    return rc;
}

static int put_num(sl_strbuf_t *sb, long long v, int width)
{
    char b[32];
    int k = snprintf(b, sizeof b, "%0*lld", width < 1 ? 1 : width, v);
    return sl_strbuf_append(sb, b, (size_t)k);
}

int sl_es_datefmt_format(const sl_es_datefmt_t *f, int32_t date, int64_t nanos,
                         sl_strbuf_t *sb)
{
    int y, mo, d;
    sl_date_to_civil(date, &y, &mo, &d);
    int64_t secs = nanos / 1000000000LL;
    int32_t frac = (int32_t)(nanos % 1000000000LL);
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
    int rc = 0;
    for (int i = 0; i < f->n && !rc; i++) {
        const sl_es_dfpart_t *p = &f->parts[i];
        switch (p->kind) {
        case SL_ES_DF_LIT: rc = sl_strbuf_append(sb, p->lit, p->litlen); break;
        case SL_ES_DF_YEAR:
            if (p->width == 2) rc = put_num(sb, ((y % 100) + 100) % 100, 2);
            else rc = put_num(sb, y, p->width);
            break;
        case SL_ES_DF_MONTH:
            if (p->width == 3) rc = sl_strbuf_puts(sb, month_short[mo - 1]);
            else if (p->width == 4) rc = sl_strbuf_puts(sb, month_long[mo - 1]);
            else rc = put_num(sb, mo, p->width);
            break;
        case SL_ES_DF_DAY: rc = put_num(sb, d, p->width); break;
        case SL_ES_DF_DOY: {
            sl_date_t jan1;
            sl_date_make(y, 1, 1, &jan1);
            rc = put_num(sb, date - jan1 + 1, p->width);
            break;
        }
        case SL_ES_DF_WEEKDAY: {
            /* 1970-01-01 was a Thursday (index 3 from Monday). */
            int wd = (int)((((int64_t)date % 7) + 7 + 3) % 7);
            rc = sl_strbuf_puts(sb, p->width == 4 ? day_long[wd] : day_short[wd]);
            break;
        }
        case SL_ES_DF_HOUR: rc = put_num(sb, h, p->width); break;
        case SL_ES_DF_HOUR12: rc = put_num(sb, h % 12 == 0 ? 12 : h % 12, p->width); break;
        case SL_ES_DF_AMPM: rc = sl_strbuf_puts(sb, h < 12 ? "AM" : "PM"); break;
        case SL_ES_DF_MINUTE: rc = put_num(sb, mi, p->width); break;
        case SL_ES_DF_SECOND: rc = put_num(sb, s, p->width); break;
        case SL_ES_DF_FRACTION: {
            char b[16];
            snprintf(b, sizeof b, "%09d", (int)frac);
            rc = sl_strbuf_append(sb, b, p->width);
            break;
        }
        }
    }
    return rc;
}

/* ---- index names ---- */

static bool is_now(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n == 17 && (!memcmp(s, "current_timestamp", 17) || !memcmp(s, "CURRENT_TIMESTAMP", 17)))
        return true;
    if (n < 5 || (memcmp(s, "now", 3) && memcmp(s, "NOW", 3))) return false;
    size_t i = 3;
    if (s[i++] != '(') return false;
    while (i < n && isspace((unsigned char)s[i])) i++;
    return i + 1 == n && s[i] == ')';
}

int sl_es_index_parse(const char *pattern, int ncols, const char *const *names,
                      const sl_type_t *const *types, sl_arena_t *a, sl_es_index_t *out,
                      sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    out->col = -1;
    size_t n = strlen(pattern);
    const char *open = strchr(pattern, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!open || !close || close == open + 1) {
        if (n == 0) return sl_err_at(err, SL_EINVAL, -1, 0, "option 'index' is empty");
        out->kind = SL_ES_INDEX_STATIC;
        out->prefix = sl_arena_strdup(a, pattern);
        out->suffix = "";
        return out->prefix ? 0 : oom(err);
    }
    const char *again = strchr(close + 1, '{');
    if (again && strchr(again, '}'))
        return sl_err_at(err, SL_EINVAL, (int)(again - pattern), 1,
                         "index pattern '%s' has two dynamic parts; only one {field} or "
                         "{field|format} is supported (as in Flink)",
                         pattern);
    out->prefix = sl_arena_strndup(a, pattern, (size_t)(open - pattern));
    out->suffix = sl_arena_strdup(a, close + 1);
    if (!out->prefix || !out->suffix) return oom(err);
    const char *body = open + 1;
    size_t blen = (size_t)(close - body);
    const char *bar = memchr(body, '|', blen);
    size_t flen = bar ? (size_t)(bar - body) : blen;
    const char *fmt = bar ? bar + 1 : NULL;
    size_t fmtlen = bar ? (size_t)(close - fmt) : 0;
    int fmt_off = fmt ? (int)(fmt - pattern) : -1;
    if (bar && is_now(body, flen)) {
        out->kind = SL_ES_INDEX_NOW;
        if (fmtlen == 0)
            return sl_err_at(err, SL_EINVAL, (int)(body - pattern), (int)blen,
                             "index pattern '%s': now() needs a format, e.g. {now()|yyyy-MM-dd}",
                             pattern);
        int rc = sl_es_datefmt_compile(fmt, fmtlen, a, &out->fmt, err);
        if (rc && err && err->off >= 0) err->off += fmt_off;
        return rc;
    }
    int col = -1;
    for (int i = 0; i < ncols; i++)
        if (strlen(names[i]) == flen && !memcmp(names[i], body, flen)) col = i;
    if (col < 0)
        return sl_err_at(err, SL_EINVAL, (int)(body - pattern), (int)flen,
                         "unknown field '%.*s' in index pattern '%s'", (int)flen, body, pattern);
    const sl_type_t *t = types[col];
    out->col = col;
    out->type = t;
    bool timey = t->id == SL_T_DATE || t->id == SL_T_TIME || t->id == SL_T_TIMESTAMP ||
                 t->id == SL_T_TIMESTAMP_LTZ;
    bool general = t->id == SL_T_CHAR || t->id == SL_T_VARCHAR || t->id == SL_T_SMALLINT ||
                   t->id == SL_T_INT || t->id == SL_T_BIGINT || t->id == SL_T_TINYINT ||
                   t->id == SL_T_BOOLEAN || t->id == SL_T_DECIMAL;
    if (!timey && !general) {
        sl_strbuf_t tb = SL_STRBUF_INIT;
        sl_type_format(&tb, t);
        sl_err_at(err, SL_EUNSUPPORTED, (int)(body - pattern), (int)flen,
                  "field '%s' of index pattern '%s' is %s; an index field must be a "
                  "string, an integer, a DECIMAL, a BOOLEAN, DATE, TIME or TIMESTAMP",
                  names[col], pattern, tb.buf ? tb.buf : "?");
        sl_strbuf_destroy(&tb);
        return -SL_EUNSUPPORTED;
    }
    if (!bar) {
        out->kind = timey ? SL_ES_INDEX_FIELD_TIME : SL_ES_INDEX_FIELD;
        if (!timey) return 0;
        /* A time field without a format: Flink's defaults. */
        fmt = t->id == SL_T_DATE ? "yyyy_MM_dd" : t->id == SL_T_TIME ? "HH_mm_ss"
                                                                    : "yyyy_MM_dd_HH_mm_ss";
        return sl_es_datefmt_compile(fmt, strlen(fmt), a, &out->fmt, err);
    }
    if (!timey)
        return sl_err_at(err, SL_EUNSUPPORTED, (int)(bar - pattern), (int)fmtlen + 1,
                         "index pattern '%s': a format applies to DATE, TIME and TIMESTAMP "
                         "fields, '%s' is not one",
                         pattern, names[col]);
    out->kind = SL_ES_INDEX_FIELD_TIME;
    if (fmtlen == 0) {
        fmt = t->id == SL_T_DATE ? "yyyy_MM_dd" : t->id == SL_T_TIME ? "HH_mm_ss"
                                                                    : "yyyy_MM_dd_HH_mm_ss";
        fmtlen = strlen(fmt);
        fmt_off = -1;
    }
    int rc = sl_es_datefmt_compile(fmt, fmtlen, a, &out->fmt, err);
    if (rc) {
        if (err && err->off >= 0 && fmt_off >= 0) err->off += fmt_off;
        return rc;
    }
    if (t->id == SL_T_DATE && out->fmt.has_time)
        return sl_err_at(err, SL_EINVAL, fmt_off, (int)fmtlen,
                         "index pattern '%s': field '%s' is a DATE, the format asks for a time "
                         "of day",
                         pattern, names[col]);
    if (t->id == SL_T_TIME && out->fmt.has_date)
        return sl_err_at(err, SL_EINVAL, fmt_off, (int)fmtlen,
                         "index pattern '%s': field '%s' is a TIME, the format asks for a date",
                         pattern, names[col]);
    return 0;
}

/* Local date and time of day of a UTC instant (the process's zone). */
static void local_of(int64_t millis, int32_t *date, int64_t *nanos)
{
    time_t secs = (time_t)(millis >= 0 ? millis / 1000 : (millis - 999) / 1000);
    int64_t ms = millis - (int64_t)secs * 1000;
    struct tm tm;
    localtime_r(&secs, &tm);
    sl_date_t d = 0;
    sl_date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d);
    *date = d;
    *nanos = ((int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) * 1000000000LL +
             ms * 1000000LL;
}

int sl_es_index_format(const sl_es_index_t *ix, const sl_value_t *row, int64_t now_ms,
                       sl_strbuf_t *sb)
{
    if (ix->kind == SL_ES_INDEX_STATIC) return sl_strbuf_puts(sb, ix->prefix);
    int rc = sl_strbuf_puts(sb, ix->prefix);
    if (rc) return rc;
    if (ix->kind == SL_ES_INDEX_NOW) {
        int32_t d;
        int64_t ns;
        local_of(now_ms, &d, &ns);
        rc = sl_es_datefmt_format(&ix->fmt, d, ns, sb);
    } else {
        const sl_value_t *v = &row[ix->col];
        if (v->null) {
            rc = sl_strbuf_puts(sb, "null");
        } else if (ix->kind == SL_ES_INDEX_FIELD) {
            rc = sl_es_key_append(sb, v, ix->type);
        } else {
            switch (ix->type->id) {
            case SL_T_DATE: rc = sl_es_datefmt_format(&ix->fmt, v->date, 0, sb); break;
            case SL_T_TIME: rc = sl_es_datefmt_format(&ix->fmt, 0, v->time, sb); break;
            case SL_T_TIMESTAMP:
                rc = sl_es_datefmt_format(&ix->fmt, sl_timestamp_date(v->ts),
                                          sl_timestamp_time(v->ts), sb);
                break;
            default: {
                int32_t d;
                int64_t ns;
                local_of(v->ts.millis, &d, &ns);
                rc = sl_es_datefmt_format(&ix->fmt, d, ns + v->ts.nanos, sb);
                break;
            }
            }
        }
    }
    if (!rc) rc = sl_strbuf_puts(sb, ix->suffix);
    return rc;
}

/* ---- document ids ---- */

bool sl_es_key_type_ok(const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_ARRAY: case SL_T_MAP: case SL_T_MULTISET: case SL_T_ROW: case SL_T_RAW:
    case SL_T_BINARY: case SL_T_VARBINARY:
        return false;
    default:
        return true;
    }
}

/* java.time.LocalTime.toString(): HH:mm, then :ss when seconds or nanos,
 * then .SSS, .SSSSSS or .SSSSSSSSS as needed. */
static int local_time_str(sl_strbuf_t *sb, int64_t nanos)
{
    int64_t secs = nanos / 1000000000LL;
    int32_t frac = (int32_t)(nanos % 1000000000LL);
    char b[40];
    int k = snprintf(b, sizeof b, "%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60));
    int s = (int)(secs % 60);
    if (s || frac) {
        k += snprintf(b + k, sizeof b - (size_t)k, ":%02d", s);
        if (frac) {
            if (frac % 1000000 == 0) k += snprintf(b + k, sizeof b - (size_t)k, ".%03d", frac / 1000000);
            else if (frac % 1000 == 0) k += snprintf(b + k, sizeof b - (size_t)k, ".%06d", frac / 1000);
            else k += snprintf(b + k, sizeof b - (size_t)k, ".%09d", frac);
        }
    }
    return sl_strbuf_append(sb, b, (size_t)k);
}

/* java.time.LocalDate.toString(): yyyy-MM-dd (years beyond 9999 get a '+'). */
static int local_date_str(sl_strbuf_t *sb, int32_t date)
{
    int y, m, d;
    sl_date_to_civil(date, &y, &m, &d);
    char b[32];
    int k = y > 9999 ? snprintf(b, sizeof b, "+%d-%02d-%02d", y, m, d)
                     : snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
    return sl_strbuf_append(sb, b, (size_t)k);
}

/* java.time.Duration.ofMillis(ms).toString(): PT8H6M12.345S, PT0S. */
static int duration_str(sl_strbuf_t *sb, int64_t ms)
{
    if (ms == 0) return sl_strbuf_puts(sb, "PT0S");
    int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t nanos = (ms - seconds * 1000) * 1000000LL;
    int64_t eff = seconds;
    if (seconds < 0 && nanos > 0) eff++;
    int64_t hours = eff / 3600;
    int minutes = (int)((eff % 3600) / 60);
    int secs = (int)(eff % 60);
    char b[64];
    int k = snprintf(b, sizeof b, "PT");
    if (hours) k += snprintf(b + k, sizeof b - (size_t)k, "%lldH", (long long)hours);
    if (minutes) k += snprintf(b + k, sizeof b - (size_t)k, "%dM", minutes);
    if (secs == 0 && nanos == 0 && k > 2) return sl_strbuf_append(sb, b, (size_t)k);
    if (seconds < 0 && nanos > 0) {
        if (secs == 0) k += snprintf(b + k, sizeof b - (size_t)k, "-0");
        else k += snprintf(b + k, sizeof b - (size_t)k, "%d", secs);
    } else {
        k += snprintf(b + k, sizeof b - (size_t)k, "%d", secs);
    }
    if (nanos > 0) {
        int pos = k;
        long long f = seconds < 0 ? 2 * 1000000000LL - nanos : nanos + 1000000000LL;
        k += snprintf(b + k, sizeof b - (size_t)k, "%lld", f);
        while (b[k - 1] == '0') k--;
        b[pos] = '.';
    }
    b[k++] = 'S';
    return sl_strbuf_append(sb, b, (size_t)k);
}

int sl_es_key_append(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t)
{
    char b[64];
    switch (t->id) {
    case SL_T_BOOLEAN: return sl_strbuf_puts(sb, v->b ? "true" : "false");
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT: {
        int k = snprintf(b, sizeof b, "%lld", (long long)v->i64);
        return sl_strbuf_append(sb, b, (size_t)k);
    }
    case SL_T_DECIMAL: {
        sl_decimal_t d = {.unscaled = v->dec, .precision = (uint8_t)t->len,
                          .scale = (uint8_t)t->scale};
        char db[SL_DECIMAL_STRLEN];
        int k = sl_decimal_format(&d, db, sizeof db);
        if (k < 0) return k;
        return sl_strbuf_append(sb, db, (size_t)k);
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        int k = sl_double_format(v->f64, t->id == SL_T_FLOAT, b, sizeof b);
        if (k < 0) return k;
        return sl_strbuf_append(sb, b, (size_t)k);
    }
    case SL_T_CHAR: case SL_T_VARCHAR: return sl_strbuf_append(sb, v->str, v->len);
    case SL_T_DATE: return local_date_str(sb, v->date);
    case SL_T_TIME: return local_time_str(sb, v->time);
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        /* TimestampData.toString(): LocalDateTime.toString() (for LTZ the
         * UTC date and time). */
        int rc = local_date_str(sb, sl_timestamp_date(v->ts));
        if (!rc) rc = sl_strbuf_putc(sb, 'T');
        if (!rc) rc = local_time_str(sb, sl_timestamp_time(v->ts));
        return rc;
    }
    case SL_T_INTERVAL_YM: {
        /* Flink prints a year-month interval through Period.ofDays(months). */
        int k = snprintf(b, sizeof b, "P%lldD", (long long)v->i64);
        return sl_strbuf_append(sb, b, (size_t)k);
    }
    case SL_T_INTERVAL_DT: return duration_str(sb, v->i64);
    default: return -SL_EUNSUPPORTED;
    }
}

/* ---- mappings ---- */

static int ts_formats(sl_strbuf_t *sb, int precision, bool iso, bool ltz)
{
    const char *base = iso ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss";
    for (int p = 0; p <= precision; p++) {
        if (p) sl_strbuf_puts(sb, "||");
        sl_strbuf_puts(sb, base);
        if (p) {
            sl_strbuf_putc(sb, '.');
            for (int i = 0; i < p; i++) sl_strbuf_putc(sb, 'S');
        }
        if (ltz) sl_strbuf_puts(sb, "'Z'");
    }
    return 0;
}

static int field_mapping(sl_strbuf_t *sb, const sl_type_t *t, const sl_json_cfg_t *cfg);

static int properties(sl_strbuf_t *sb, int n, const char *const *names,
                      const sl_type_t *const *types, const sl_field_t *fields,
                      const sl_json_cfg_t *cfg)
{
    sl_strbuf_puts(sb, "{\"properties\":{");
    for (int i = 0; i < n; i++) {
        if (i) sl_strbuf_putc(sb, ',');
        const char *name = fields ? fields[i].name : names[i];
        const sl_type_t *t = fields ? fields[i].type : types[i];
        sl_json_encode_string(sb, name, strlen(name));
        sl_strbuf_putc(sb, ':');
        int rc = field_mapping(sb, t, cfg);
        if (rc) return rc;
    }
    return sl_strbuf_puts(sb, "}}");
}

static int field_mapping(sl_strbuf_t *sb, const sl_type_t *t, const sl_json_cfg_t *cfg)
{
    switch (t->id) {
    case SL_T_BOOLEAN: return sl_strbuf_puts(sb, "{\"type\":\"boolean\"}");
    case SL_T_TINYINT: return sl_strbuf_puts(sb, "{\"type\":\"byte\"}");
    case SL_T_SMALLINT: return sl_strbuf_puts(sb, "{\"type\":\"short\"}");
    case SL_T_INT: return sl_strbuf_puts(sb, "{\"type\":\"integer\"}");
    case SL_T_BIGINT: case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        return sl_strbuf_puts(sb, "{\"type\":\"long\"}");
    case SL_T_FLOAT: return sl_strbuf_puts(sb, "{\"type\":\"float\"}");
    case SL_T_DOUBLE: return sl_strbuf_puts(sb, "{\"type\":\"double\"}");
    case SL_T_DECIMAL:
        if (t->len > 18) return sl_strbuf_puts(sb, "{\"type\":\"double\"}");
        if (t->scale == 0) return sl_strbuf_puts(sb, "{\"type\":\"long\"}");
        sl_strbuf_puts(sb, "{\"type\":\"scaled_float\",\"scaling_factor\":1");
        for (int i = 0; i < t->scale; i++) sl_strbuf_putc(sb, '0');
        return sl_strbuf_putc(sb, '}');
    case SL_T_CHAR: case SL_T_VARCHAR: return sl_strbuf_puts(sb, "{\"type\":\"keyword\"}");
    case SL_T_BINARY: case SL_T_VARBINARY: return sl_strbuf_puts(sb, "{\"type\":\"binary\"}");
    case SL_T_DATE: return sl_strbuf_puts(sb, "{\"type\":\"date\",\"format\":\"yyyy-MM-dd\"}");
    case SL_T_TIME: return sl_strbuf_puts(sb, "{\"type\":\"keyword\"}");
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        sl_strbuf_puts(sb, "{\"type\":\"date\",\"format\":\"");
        ts_formats(sb, t->len, cfg && cfg->iso8601, t->id == SL_T_TIMESTAMP_LTZ);
        return sl_strbuf_puts(sb, "\"}");
    case SL_T_ROW:
        return properties(sb, t->nfields, NULL, NULL, t->fields, cfg);
    case SL_T_ARRAY: case SL_T_MULTISET:
        if (t->id == SL_T_ARRAY && t->elem) return field_mapping(sb, t->elem, cfg);
        return sl_strbuf_puts(sb, "{\"type\":\"object\"}");
    default: return sl_strbuf_puts(sb, "{\"type\":\"object\"}");
    }
}

int sl_es_mapping_json(sl_strbuf_t *sb, int ncols, const char *const *names,
                       const sl_type_t *const *types, const sl_json_cfg_t *cfg,
                       const char *doc_type)
{
    sl_strbuf_puts(sb, "{\"mappings\":");
    if (doc_type) {
        sl_strbuf_putc(sb, '{');
        sl_json_encode_string(sb, doc_type, strlen(doc_type));
        sl_strbuf_putc(sb, ':');
    }
    int rc = properties(sb, ncols, names, types, NULL, cfg);
    if (rc) return rc;
    if (doc_type) sl_strbuf_putc(sb, '}');
    return sl_strbuf_putc(sb, '}');
}

/* ---- hosts ---- */

int sl_es_hosts_parse(const char *text, const char *prefix, sl_arena_t *a, sl_es_host_t **out,
                      int *n, sl_err_t *err)
{
    int cap = 1;
    for (const char *p = text; *p; p++) cap += *p == ';';
    sl_es_host_t *h = sl_arena_calloc(a, (size_t)cap * sizeof *h);
    if (!h) return oom(err);
    int k = 0;
    const char *p = text;
    size_t plen = prefix ? strlen(prefix) : 0;
    while (plen && prefix[plen - 1] == '/') plen--;
    for (;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *s = p;
        size_t sl = len;
        while (sl && isspace((unsigned char)*s)) s++, sl--;
        while (sl && isspace((unsigned char)s[sl - 1])) sl--;
        int off = (int)(s - text);
        if (sl) {
            const char *sep = NULL;
            for (size_t i = 0; i + 2 < sl; i++)
                if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
                    sep = s + i;
                    break;
                }
            if (!sep)
                return sl_err_at(err, SL_EINVAL, off, (int)sl,
                                 "could not parse host '%.*s' in option 'hosts': it should "
                                 "follow the format 'http://host_name:port' (missing scheme)",
                                 (int)sl, s);
            size_t schl = (size_t)(sep - s);
            if (!((schl == 4 && !strncasecmp(s, "http", 4)) ||
                  (schl == 5 && !strncasecmp(s, "https", 5))))
                return sl_err_at(err, SL_EINVAL, off, (int)schl,
                                 "host '%.*s' in option 'hosts': the scheme must be http or "
                                 "https",
                                 (int)sl, s);
            const char *hp = sep + 3;
            size_t hl = sl - schl - 3;
            while (hl && hp[hl - 1] == '/') hl--;
            if (memchr(hp, '/', hl))
                return sl_err_at(err, SL_EINVAL, off, (int)sl,
                                 "host '%.*s' in option 'hosts' has a path; give it in "
                                 "'connection.path-prefix'",
                                 (int)sl, s);
            const char *colon = NULL;
            if (hl && hp[0] == '[') {
                const char *rb = memchr(hp, ']', hl);
                if (rb && rb + 1 < hp + hl && rb[1] == ':') colon = rb + 1;
            } else {
                colon = memchr(hp, ':', hl);
            }
            bool port_ok = colon && colon + 1 < hp + hl;
            for (const char *q = colon ? colon + 1 : hp; port_ok && q < hp + hl; q++)
                if (!isdigit((unsigned char)*q)) port_ok = false;
            if (!colon || colon == hp || !port_ok)
                return sl_err_at(err, SL_EINVAL, off, (int)sl,
                                 "could not parse host '%.*s' in option 'hosts': it should "
                                 "follow the format 'http://host_name:port' (%s)",
                                 (int)sl, s, !colon || colon == hp ? "missing port" : "bad port");
            size_t labl = schl + 3 + hl;
            h[k].label = sl_arena_strndup(a, s, labl);
            h[k].url = sl_arena_printf(a, "%.*s%s%.*s", (int)labl, s,
                                       plen && prefix[0] != '/' ? "/" : "", (int)plen,
                                       prefix ? prefix : "");
            if (!h[k].label || !h[k].url) return oom(err);
            k++;
        }
        if (!e) break;
        p = e + 1;
    }
    if (k == 0) return sl_err_at(err, SL_EINVAL, -1, 0, "option 'hosts' names no host");
    *out = h;
    *n = k;
    return 0;
}
