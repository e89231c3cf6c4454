/* myconv.c - MySQL values (text protocol or binlog) to Flink values.
 * See myconv.h for the mapping.
 */
#include "connectors/mysql/myconv.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/mysql/myjson.h"

#include <mysql.h>
#include "exec/fn.h"
#include "util/decimal.h"
#include "util/strbuf.h"
#include "util/time.h"

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* ---- text protocol ---- */

static bool is(const sl_mycol_t *c, const char *t) { return !strcmp(c->data_type, t); }

static int num(const char *s, size_t n, size_t *i, int digits, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < digits && s[*i] >= '0' && s[*i] <= '9') v = v * 10 + (s[(*i)++] - '0'), k++;
    if (!k) return -1;
    *out = v;
    return 0;
}

/* [.ffffff] into micro */
static void frac(const char *s, size_t n, size_t *i, uint32_t *micro)
{
    *micro = 0;
    if (*i < n && s[*i] == '.') {
        (*i)++;
        int k = 0;
        uint32_t v = 0;
        while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
            if (k < 6) v = v * 10 + (uint32_t)(s[*i] - '0'), k++;
            (*i)++;
        }
        while (k++ < 6) v *= 10;
        *micro = v;
    }
}

static int parse_datetime(const char *s, size_t n, sl_myval_t *v, bool with_time)
{
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (num(s, n, &i, 4, &y) || i >= n || s[i++] != '-' || num(s, n, &i, 2, &mo) ||
        i >= n || s[i++] != '-' || num(s, n, &i, 2, &d))
        return -1;
    v->micro = 0;
    if (with_time && i < n) {
        if (s[i] != ' ' && s[i] != 'T') return -1;
        i++;
        if (num(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || num(s, n, &i, 2, &mi) ||
            i >= n || s[i++] != ':' || num(s, n, &i, 2, &se))
            return -1;
        frac(s, n, &i, &v->micro);
    }
    if (i != n) return -1;
    v->year = (uint16_t)y;
    v->month = (uint8_t)mo;
    v->day = (uint8_t)d;
    v->hour = (uint8_t)h;
    v->minute = (uint8_t)mi;
    v->second = (uint8_t)se;
    return 0;
}

void sl_mycol_classify(sl_mycol_t *c)
{
    if (is(c, "tinyint") || is(c, "smallint") || is(c, "mediumint") || is(c, "int") ||
        is(c, "integer") || is(c, "bigint") || is(c, "year"))
        c->text_kind = SL_MV_INT;
    else if (is(c, "decimal") || is(c, "numeric"))
        c->text_kind = SL_MV_DECIMAL;
    else if (is(c, "float"))
        c->text_kind = SL_MV_FLOAT;
    else if (is(c, "double") || is(c, "real"))
        c->text_kind = SL_MV_DOUBLE;
    else if (is(c, "bit"))
        c->text_kind = SL_MV_BIT;
    else if (is(c, "date"))
        c->text_kind = SL_MV_DATE;
    else if (is(c, "datetime"))
        c->text_kind = SL_MV_DATETIME;
    else if (is(c, "timestamp"))
        c->text_kind = SL_MV_TIMESTAMP;
    else if (is(c, "time"))
        c->text_kind = SL_MV_TIME;
    else
        c->text_kind = SL_MV_STRING;
}

/* Integer text without strtoll's locale and errno work. */
static bool int_text(const char *s, size_t n, bool uns, sl_myval_t *v)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == n || n - i > 20) return false;
    unsigned __int128 x = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        x = x * 10 + (unsigned)(s[i] - '0');
    }
    if (uns) {
        if (neg && x) return false;
        if (x > UINT64_MAX) return false;
        v->u64 = (uint64_t)x;
    } else {
        if (x > (unsigned __int128)INT64_MAX + (neg ? 1 : 0)) return false;
        v->i64 = neg ? (int64_t)(0 - (uint64_t)x) : (int64_t)x;
    }
    return true;
}

int sl_myval_from_text(const sl_mycol_t *c, const char *s, size_t n, sl_myval_t *v,
                       sl_err_t *err)
{
    memset(v, 0, sizeof *v);
    v->fsp = (uint8_t)(c->scale >= 0 && c->scale <= 6 ? c->scale : 0);
    if (c->text_kind == SL_MV_INT) {
        v->kind = SL_MV_INT;
        v->is_unsigned = c->is_unsigned;
        if (!int_text(s, n, c->is_unsigned, v)) goto bad;
        return 0;
    }
    if (c->text_kind == SL_MV_STRING) {
        v->kind = SL_MV_STRING;
        v->str = s;
        v->len = (uint32_t)n;
        v->charset = c->binary ? 63 : 45;
        return 0;
    }
    if (c->text_kind == SL_MV_DECIMAL) {
        v->kind = SL_MV_DECIMAL;
        v->str = s;
        v->len = (uint32_t)n;
        return 0;
    }
    if (c->text_kind == SL_MV_FLOAT || c->text_kind == SL_MV_DOUBLE) {
        char buf[64];
        if (n == 0 || n >= sizeof buf) goto bad;
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        v->kind = c->text_kind;
        v->f64 = strtod(buf, &end);
        if (*end) goto bad;
        return 0;
    }
    if (c->text_kind == SL_MV_BIT) {
        v->kind = SL_MV_BIT;
        if (n > 8) goto bad;
        v->fsp = (uint8_t)n; /* byte width, for BYTES */
        for (size_t i = 0; i < n; i++) v->u64 = v->u64 << 8 | (unsigned char)s[i];
        return 0;
    }
    if (c->text_kind == SL_MV_DATE) {
        v->kind = SL_MV_DATE;
        if (parse_datetime(s, n, v, false)) goto bad;
        return 0;
    }
    if (c->text_kind == SL_MV_DATETIME) {
        v->kind = SL_MV_DATETIME;
        if (parse_datetime(s, n, v, true)) goto bad;
        return 0;
    }
    if (c->text_kind == SL_MV_TIMESTAMP) {
        sl_myval_t f;
        memset(&f, 0, sizeof f);
        if (parse_datetime(s, n, &f, true)) goto bad;
        v->kind = SL_MV_TIMESTAMP;
        v->micro = f.micro;
        if (f.year == 0) {
            v->i64 = 0;
            return 0;
        }
        sl_date_t d;
        if (sl_date_make(f.year, f.month, f.day, &d)) goto bad;
        v->i64 = (int64_t)d * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
        return 0;
    }
    if (c->text_kind == SL_MV_TIME) {
        size_t i = 0;
        v->kind = SL_MV_TIME;
        if (i < n && s[i] == '-') v->neg = true, i++;
        int h, mi, se;
        if (num(s, n, &i, 3, &h) || i >= n || s[i++] != ':' || num(s, n, &i, 2, &mi) ||
            i >= n || s[i++] != ':' || num(s, n, &i, 2, &se))
            goto bad;
        frac(s, n, &i, &v->micro);
        if (i != n) goto bad;
        v->i64 = h;
        v->hour = (uint8_t)(h > 255 ? 255 : h);
        v->minute = (uint8_t)mi;
        v->second = (uint8_t)se;
        return 0;
    }
    /* Strings of every kind, ENUM and SET labels, JSON text, binary data,
     * geometry. The connection's character set is utf8mb4, so text columns
     * arrive in UTF-8 whatever their own charset. */
    v->kind = SL_MV_STRING;
    v->str = s;
    v->len = (uint32_t)n;
    v->charset = c->binary ? 63 : 45;
    return 0;
bad:
    return sl_err_set(err, SL_EFORMAT, "column '%s': cannot read %s value '%.*s'",
                      c->name, c->data_type, (int)(n > 64 ? 64 : n), s);
}

/* ---- ENUM / SET labels ---- */

int sl_myval_labels(sl_myval_t *v, const sl_bl_column_t *bc, const sl_mycol_t *c,
                    sl_arena_t *arena, sl_err_t *err)
{
    if (v->kind != SL_MV_ENUM && v->kind != SL_MV_SET) return 0;
    int n = bc && bc->nvalues ? bc->nvalues : c ? c->nvalues : 0;
    const char *const *vals = bc && bc->nvalues ? bc->values
                            : c ? (const char *const *)c->values : NULL;
    if (v->kind == SL_MV_ENUM) {
        uint64_t i = v->u64;
        v->kind = SL_MV_STRING;
        v->charset = 45;
        if (i == 0) {
            v->str = "";
            v->len = 0;
            return 0;
        }
        if (i > (uint64_t)n)
            return sl_err_set(err, SL_EFORMAT, "column '%s': ENUM index %llu beyond its %d values",
                              c ? c->name : "?", (unsigned long long)i, n);
        v->str = vals[i - 1];
        v->len = (uint32_t)strlen(vals[i - 1]);
        return 0;
    }
    sl_strbuf_t sb = SL_STRBUF_INIT;
    uint64_t m = v->u64;
    int rc = 0;
    for (int i = 0; i < 64 && m; i++, m >>= 1) {
        if (!(m & 1)) continue;
        if (i >= n) {
            rc = sl_err_set(err, SL_EFORMAT, "column '%s': SET bit %d beyond its %d values",
                            c ? c->name : "?", i, n);
            break;
        }
        if ((sb.len && sl_strbuf_putc(&sb, ',')) || sl_strbuf_puts(&sb, vals[i])) {
            rc = oom(err);
            break;
        }
    }
    if (!rc) {
        char *s = sl_arena_memdup(arena, sb.buf ? sb.buf : "", sb.len);
        if (!s) rc = oom(err);
        v->kind = SL_MV_STRING;
        v->charset = 45;
        v->str = s;
        v->len = (uint32_t)sb.len;
    }
    sl_strbuf_destroy(&sb);
    return rc;
}

/* ---- character sets ---- */

/* MySQL's latin1 is Windows-1252; 0x81, 0x8D, 0x8F, 0x90, 0x9D map to the
 * C1 controls of the same code. */
static const uint16_t cp1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static bool is_latin1(uint32_t cs)
{
    switch (cs) {
    case 5: case 8: case 15: case 31: case 47: case 48: case 49: case 94:
        return true;
    }
    return false;
}

static int to_utf8(const sl_myval_t *v, sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    if (!is_latin1(v->charset)) {
        out->str = v->str;
        out->len = v->len;
        return 0;
    }
    char *d = sl_arena_alloc(a, (size_t)v->len * 3 + 1);
    if (!d) return oom(err);
    size_t k = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        unsigned c = (unsigned char)v->str[i];
        unsigned u = c >= 0x80 && c < 0xA0 ? cp1252[c - 0x80] : c;
        if (u < 0x80) {
            d[k++] = (char)u;
        } else if (u < 0x800) {
            d[k++] = (char)(0xC0 | u >> 6);
            d[k++] = (char)(0x80 | (u & 0x3F));
        } else {
            d[k++] = (char)(0xE0 | u >> 12);
            d[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
            d[k++] = (char)(0x80 | (u & 0x3F));
        }
    }
    out->str = d;
    out->len = (uint32_t)k;
    return 0;
}

/* ---- to Flink ---- */

static int text_of(const sl_myval_t *v, const char *tz, sl_strbuf_t *sb, sl_err_t *err)
{
    (void)tz;
    char buf[64];
    switch (v->kind) {
    case SL_MV_INT:
        if (v->is_unsigned) snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->u64);
        else snprintf(buf, sizeof buf, "%lld", (long long)v->i64);
        return sl_strbuf_puts(sb, buf) ? oom(err) : 0;
    case SL_MV_FLOAT:
    case SL_MV_DOUBLE:
        for (int p = 1; p <= 17; p++) {
            snprintf(buf, sizeof buf, "%.*g", p, v->f64);
            if (strtod(buf, NULL) == v->f64) break;
        }
        return sl_strbuf_puts(sb, buf) ? oom(err) : 0;
    case SL_MV_DECIMAL:
    case SL_MV_STRING:
        return sl_strbuf_append(sb, v->str, v->len) ? oom(err) : 0;
    case SL_MV_JSON:
        return sl_myjson_to_text((const uint8_t *)v->str, v->len, sb, err);
    case SL_MV_DATE:
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", v->year, v->month, v->day);
        return sl_strbuf_puts(sb, buf) ? oom(err) : 0;
    case SL_MV_TIME:
        snprintf(buf, sizeof buf, "%s%02lld:%02d:%02d", v->neg ? "-" : "", (long long)v->i64,
                 v->minute, v->second);
        if (sl_strbuf_puts(sb, buf)) return oom(err);
        break;
    case SL_MV_DATETIME:
        snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", v->year, v->month, v->day,
                 v->hour, v->minute, v->second);
        if (sl_strbuf_puts(sb, buf)) return oom(err);
        break;
    case SL_MV_TIMESTAMP: {
        int64_t local = v->i64;
        if (v->i64 && sl_tz_to_local(tz, v->i64, &local, err)) return -SL_EINVAL;
        sl_timestamp_t ts = sl_timestamp_from_millis(local * 1000);
        sl_timestamp_format(ts, 0, buf, sizeof buf);
        if (sl_strbuf_puts(sb, buf)) return oom(err);
        break;
    }
    case SL_MV_BIT:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->u64);
        return sl_strbuf_puts(sb, buf) ? oom(err) : 0;
    default:
        return sl_err_set(err, SL_EINTERNAL, "value kind %d has no text", v->kind);
    }
    if (v->fsp) {
        snprintf(buf, sizeof buf, ".%06u", v->micro);
        buf[1 + v->fsp] = '\0';
        if (sl_strbuf_puts(sb, buf)) return oom(err);
    }
    return 0;
}

static int bad(const sl_myval_t *v, const sl_type_t *t, const char *col, const char *why,
               sl_err_t *err)
{
    sl_strbuf_t sb = SL_STRBUF_INIT, tb = SL_STRBUF_INIT;
    sl_err_t e2;
    text_of(v, "UTC", &sb, &e2);
    sl_type_format(&tb, t);
    int rc = sl_err_set(err, SL_ERANGE, "column '%s': MySQL value '%.*s' %s %s", col,
                        (int)(sb.len > 80 ? 80 : sb.len), sb.buf ? sb.buf : "", why,
                        tb.buf ? tb.buf : "?");
    sl_strbuf_destroy(&sb);
    sl_strbuf_destroy(&tb);
    return rc;
}

/* Epoch seconds and micro of a DATETIME/TIMESTAMP value seen as an instant
 * (DATETIME wall clock in tz). */
static int instant(const sl_myval_t *v, const char *tz, int64_t *sec, sl_err_t *err)
{
    if (v->kind == SL_MV_TIMESTAMP) {
        *sec = v->i64;
        return 0;
    }
    sl_date_t d;
    if (sl_date_make(v->year, v->month, v->day, &d))
        return sl_err_set(err, SL_EFORMAT, "invalid date %04d-%02d-%02d", v->year, v->month,
                          v->day);
    int64_t local = (int64_t)d * 86400 + v->hour * 3600 + v->minute * 60 + v->second;
    if (v->kind == SL_MV_DATE) local = (int64_t)d * 86400;
    return sl_tz_to_utc(tz, local, sec, err);
}

static bool zero_date(const sl_myval_t *v)
{
    if (v->kind == SL_MV_TIMESTAMP) return v->i64 == 0 && v->micro == 0;
    if (v->kind == SL_MV_DATE || v->kind == SL_MV_DATETIME)
        return v->year == 0 || v->month == 0 || v->day == 0;
    return false;
}

int sl_myval_to_value(const sl_myval_t *v, const sl_type_t *t, const char *tz,
                      const char *col, sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (v->kind == SL_MV_NULL) {
        out->null = 1;
        return 0;
    }
    if (zero_date(v) && t->id != SL_T_VARCHAR && t->id != SL_T_CHAR) {
        if (t->nullable) {
            out->null = 1;
            return 0;
        }
        return bad(v, t, col, "(a zero date) cannot be stored in NOT NULL", err);
    }
    switch (t->id) {
    case SL_T_BOOLEAN:
        if (v->kind == SL_MV_INT) out->b = v->u64 != 0;
        else if (v->kind == SL_MV_BIT) out->b = v->u64 != 0;
        else return bad(v, t, col, "cannot be read as", err);
        return 0;
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT: {
        static const int64_t lim[] = {[SL_T_TINYINT] = 127, [SL_T_SMALLINT] = 32767,
                                      [SL_T_INT] = 2147483647, [SL_T_BIGINT] = INT64_MAX};
        int64_t x;
        if (v->kind == SL_MV_INT) {
            if (v->is_unsigned && v->u64 > (uint64_t)INT64_MAX)
                return bad(v, t, col, "is out of the range of", err);
            x = v->i64;
        } else if (v->kind == SL_MV_BIT) {
            if (v->u64 > (uint64_t)INT64_MAX) return bad(v, t, col, "is out of the range of", err);
            x = (int64_t)v->u64;
        } else {
            return bad(v, t, col, "cannot be read as", err);
        }
        if (x > lim[t->id] || x < -lim[t->id] - 1) return bad(v, t, col, "is out of the range of", err);
        out->i64 = x;
        return 0;
    }
    case SL_T_DECIMAL: {
        sl_decimal_t d;
        int rc;
        char buf[32];
        if (v->kind == SL_MV_INT) {
            if (v->is_unsigned) snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->u64);
            else snprintf(buf, sizeof buf, "%lld", (long long)v->i64);
            rc = sl_decimal_parse(buf, strlen(buf), t->len, t->scale, &d);
        } else if (v->kind == SL_MV_DECIMAL && v->has_unscaled && t->scale >= v->scale &&
                   t->scale - v->scale <= 38) {
            /* The binlog's exact digits: rescale without text. */
            __int128 x = v->unscaled, lim = 1;
            for (int k = 0; k < t->len; k++) lim *= 10;
            for (int k = v->scale; k < t->scale; k++) {
                if (x >= lim / 10 || x <= -lim / 10) return bad(v, t, col, "does not fit", err);
                x *= 10;
            }
            if (x <= -lim || x >= lim) return bad(v, t, col, "does not fit", err);
            out->dec = x;
            return 0;
        } else if (v->kind == SL_MV_DECIMAL) {
            rc = sl_decimal_parse(v->str, v->len, t->len, t->scale, &d);
        } else if (v->kind == SL_MV_FLOAT || v->kind == SL_MV_DOUBLE) {
            rc = sl_decimal_from_double(v->f64, t->len, t->scale, &d);
        } else {
            return bad(v, t, col, "cannot be read as", err);
        }
        if (rc) return bad(v, t, col, "does not fit", err);
        out->dec = d.unscaled;
        return 0;
    }
    case SL_T_FLOAT:
    case SL_T_DOUBLE: {
        double x;
        if (v->kind == SL_MV_FLOAT || v->kind == SL_MV_DOUBLE) x = v->f64;
        else if (v->kind == SL_MV_INT) x = v->is_unsigned ? (double)v->u64 : (double)v->i64;
        else if (v->kind == SL_MV_DECIMAL) {
            char buf[128];
            size_t n = v->len < sizeof buf - 1 ? v->len : sizeof buf - 1;
            memcpy(buf, v->str, n);
            buf[n] = '\0';
            x = strtod(buf, NULL);
        } else {
            return bad(v, t, col, "cannot be read as", err);
        }
        out->f64 = t->id == SL_T_FLOAT ? (double)(float)x : x;
        return 0;
    }
    case SL_T_CHAR:
    case SL_T_VARCHAR: {
        if (v->kind == SL_MV_STRING) return to_utf8(v, out, a, err);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        int rc = text_of(v, tz, &sb, err);
        if (!rc) {
            char *s = sl_arena_memdup(a, sb.buf ? sb.buf : "", sb.len);
            if (!s) rc = oom(err);
            out->str = s;
            out->len = (uint32_t)sb.len;
        }
        sl_strbuf_destroy(&sb);
        return rc;
    }
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        if (v->kind == SL_MV_STRING || v->kind == SL_MV_JSON) {
            out->str = v->str;
            out->len = v->len;
            return 0;
        }
        if (v->kind == SL_MV_BIT) {
            /* Big-endian, as many bytes as the value has (BIT(n): (n+7)/8
             * from the binlog; the text protocol sends the same width). */
            int nb = v->fsp ? v->fsp : 8;
            char *s = sl_arena_alloc(a, (size_t)nb);
            if (!s) return oom(err);
            for (int i = 0; i < nb; i++) s[i] = (char)(v->u64 >> (8 * (nb - 1 - i)));
            out->str = s;
            out->len = (uint32_t)nb;
            return 0;
        }
        return bad(v, t, col, "cannot be read as", err);
    case SL_T_DATE:
        if (v->kind == SL_MV_DATE || v->kind == SL_MV_DATETIME) {
            if (sl_date_make(v->year, v->month, v->day, &out->date))
                return bad(v, t, col, "is not a valid", err);
            return 0;
        }
        return bad(v, t, col, "cannot be read as", err);
    case SL_T_TIME:
        if (v->kind == SL_MV_TIME) {
            if (v->neg || v->i64 > 23) return bad(v, t, col, "is outside the range of", err);
            out->time = ((int64_t)v->i64 * 3600 + v->minute * 60 + v->second) * 1000000000LL +
                        (int64_t)v->micro * 1000;
            return 0;
        }
        return bad(v, t, col, "cannot be read as", err);
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ: {
        int64_t sec;
        if (v->kind == SL_MV_DATETIME || v->kind == SL_MV_DATE) {
            if (t->id == SL_T_TIMESTAMP) {
                sl_date_t d;
                if (sl_date_make(v->year, v->month, v->day, &d))
                    return bad(v, t, col, "is not a valid", err);
                sec = (int64_t)d * 86400;
                if (v->kind == SL_MV_DATETIME) sec += v->hour * 3600 + v->minute * 60 + v->second;
            } else if (instant(v, tz, &sec, err)) {
                return -SL_EINVAL;
            }
        } else if (v->kind == SL_MV_TIMESTAMP) {
            sec = v->i64;
            if (t->id == SL_T_TIMESTAMP && sl_tz_to_local(tz, v->i64, &sec, err)) return -SL_EINVAL;
        } else {
            return bad(v, t, col, "cannot be read as", err);
        }
        int64_t us = sec * 1000000 + v->micro;
        out->ts = sl_timestamp_from_micros(us);
        return 0;
    }
    case SL_T_ARRAY: {
        /* SET as ARRAY<STRING>. */
        if (v->kind != SL_MV_STRING || !t->elem ||
            (t->elem->id != SL_T_VARCHAR && t->elem->id != SL_T_CHAR))
            return bad(v, t, col, "cannot be read as", err);
        int n = v->len ? 1 : 0;
        for (uint32_t i = 0; i < v->len; i++) n += v->str[i] == ',';
        sl_nested_t *nv = sl_arena_calloc(a, sizeof *nv + (size_t)(n ? n : 1) * sizeof(sl_value_t));
        if (!nv) return oom(err);
        nv->n = n;
        uint32_t start = 0;
        int k = 0;
        for (uint32_t i = 0; i <= v->len && n; i++)
            if (i == v->len || v->str[i] == ',') {
                nv->v[k].str = v->str + start;
                nv->v[k].len = i - start;
                k++;
                start = i + 1;
            }
        out->nested = nv;
        out->len = (uint32_t)n;
        return 0;
    }
    default:
        return bad(v, t, col, "has no mapping to", err);
    }
}

/* ---- the client library ---- */

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_rc;
static void lib_init(void) { lib_rc = mysql_library_init(0, NULL, NULL); }

int sl_mysql_library_init(const char *who, sl_err_t *err)
{
    pthread_once(&lib_once, lib_init);
    return lib_rc ? sl_err_set(err, SL_EINTERNAL, "%s: the MySQL client library failed to initialise",
                               who)
                  : 0;
}
