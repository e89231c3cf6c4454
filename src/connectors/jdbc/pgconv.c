/* pgconv.c - PostgreSQL text values to Flink values (see pgconv.h). */
#include "connectors/jdbc/pgconv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/decimal.h"
#include "util/strbuf.h"
#include "util/time.h"

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static uint8_t kind_of(uint32_t oid, bool is_enum)
{
    if (is_enum) return SL_PGK_TEXT;
    switch (oid) {
    case SL_PG_BOOL: return SL_PGK_BOOL;
    case SL_PG_INT2: case SL_PG_INT4: case SL_PG_INT8: case SL_PG_OID: return SL_PGK_INT;
    case SL_PG_NUMERIC: return SL_PGK_NUMERIC;
    case SL_PG_FLOAT4: return SL_PGK_FLOAT4;
    case SL_PG_FLOAT8: return SL_PGK_FLOAT8;
    case SL_PG_TEXT: case SL_PG_VARCHAR: case SL_PG_BPCHAR: case SL_PG_NAME: case SL_PG_CHAR:
    case SL_PG_JSON: case SL_PG_JSONB: case SL_PG_UUID: case SL_PG_INET: case SL_PG_CIDR:
    case SL_PG_MACADDR: case SL_PG_XML:
        return SL_PGK_TEXT;
    case SL_PG_BYTEA: return SL_PGK_BYTEA;
    case SL_PG_DATE: return SL_PGK_DATE;
    case SL_PG_TIME: return SL_PGK_TIME;
    case SL_PG_TIMESTAMP: return SL_PGK_TIMESTAMP;
    case SL_PG_TIMESTAMPTZ: return SL_PGK_TIMESTAMPTZ;
    case SL_PG_INTERVAL: return SL_PGK_INTERVAL;
    case SL_PG_TIMETZ: return SL_PGK_TIMETZ;
    }
    return SL_PGK_OTHER;
}

void sl_pgcol_classify(sl_pgcol_t *c)
{
    if (c->elem_oid) {
        c->kind = SL_PGK_ARRAY;
        c->elem_kind = kind_of(c->elem_oid, c->is_enum);
    } else {
        c->kind = kind_of(c->oid, c->is_enum);
        c->elem_kind = 0;
    }
}

/* ---- type compatibility ---- */

static bool readable(uint8_t kind, uint8_t elem_kind, const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_CHAR:
    case SL_T_VARCHAR:
        return true;
    case SL_T_BOOLEAN:
        return kind == SL_PGK_BOOL;
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
        return kind == SL_PGK_INT || kind == SL_PGK_NUMERIC;
    case SL_T_DECIMAL:
    case SL_T_FLOAT:
    case SL_T_DOUBLE:
        return kind == SL_PGK_INT || kind == SL_PGK_NUMERIC || kind == SL_PGK_FLOAT4 ||
               kind == SL_PGK_FLOAT8;
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        return kind == SL_PGK_BYTEA;
    case SL_T_DATE:
        return kind == SL_PGK_DATE;
    case SL_T_TIME:
        return kind == SL_PGK_TIME;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        return kind == SL_PGK_TIMESTAMP || kind == SL_PGK_TIMESTAMPTZ ||
               (kind == SL_PGK_DATE && t->id == SL_T_TIMESTAMP);
    case SL_T_ARRAY:
        if (kind != SL_PGK_ARRAY || !t->elem) return false;
        if (t->elem->id == SL_T_ARRAY) return readable(SL_PGK_ARRAY, elem_kind, t->elem);
        return readable(elem_kind, 0, t->elem);
    }
    return false;
}

static const char *flink_names(uint8_t kind)
{
    switch (kind) {
    case SL_PGK_BOOL: return "BOOLEAN or STRING";
    case SL_PGK_INT: return "TINYINT, SMALLINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE or STRING";
    case SL_PGK_NUMERIC: return "DECIMAL, FLOAT, DOUBLE, an integer type or STRING";
    case SL_PGK_FLOAT4:
    case SL_PGK_FLOAT8: return "FLOAT, DOUBLE, DECIMAL or STRING";
    case SL_PGK_BYTEA: return "BYTES or STRING";
    case SL_PGK_DATE: return "DATE, TIMESTAMP or STRING";
    case SL_PGK_TIME: return "TIME or STRING";
    case SL_PGK_TIMESTAMP:
    case SL_PGK_TIMESTAMPTZ: return "TIMESTAMP, TIMESTAMP_LTZ or STRING";
    case SL_PGK_ARRAY: return "ARRAY of a type its elements can be read as, or STRING";
    }
    return "STRING";
}

int sl_pgcol_check(const sl_pgcol_t *c, const sl_type_t *t, const char *col, sl_err_t *err)
{
    if (readable(c->kind, c->elem_kind, t)) return 0;
    sl_strbuf_t tb = SL_STRBUF_INIT;
    sl_type_format(&tb, t);
    const char *tn = tb.buf ? tb.buf : "?";
    int rc;
    if (c->kind == SL_PGK_INTERVAL)
        rc = sl_err_set(err, SL_EUNSUPPORTED,
                        "column '%s': PostgreSQL type %s cannot be read as %s: Flink's JDBC "
                        "connector maps no interval type; declare the column STRING to read "
                        "its text (e.g. '1 year 2 mons 3 days 04:05:06'), or convert it in the "
                        "database (EXTRACT(EPOCH FROM ...) in a view)",
                        col, c->type_name, tn);
    else if (c->kind == SL_PGK_TIMETZ)
        rc = sl_err_set(err, SL_EUNSUPPORTED,
                        "column '%s': PostgreSQL type %s cannot be read as %s: Flink has no "
                        "time-with-time-zone type; declare the column STRING (e.g. "
                        "'12:00:00+02'), or use time or timestamptz in the database",
                        col, c->type_name, tn);
    else if (c->kind == SL_PGK_ARRAY && t->id == SL_T_ARRAY)
        rc = sl_err_set(err, SL_EUNSUPPORTED,
                        "column '%s': PostgreSQL type %s cannot be read as %s (its elements "
                        "read as %s)",
                        col, c->type_name, tn, flink_names(c->elem_kind));
    else
        rc = sl_err_set(err, SL_EUNSUPPORTED,
                        "column '%s': PostgreSQL type %s cannot be read as %s (it reads as %s)",
                        col, c->type_name, tn, flink_names(c->kind));
    sl_strbuf_destroy(&tb);
    return rc;
}

/* ---- values ---- */

static int bad(const char *col, const char *s, size_t n, const sl_type_t *t, const char *why,
               sl_err_t *err)
{
    sl_strbuf_t tb = SL_STRBUF_INIT;
    sl_type_format(&tb, t);
    int rc = sl_err_set(err, SL_ERANGE, "column '%s': PostgreSQL value '%.*s'%s %s %s", col,
                        (int)(n > 80 ? 80 : n), s, n > 80 ? "..." : "", why,
                        tb.buf ? tb.buf : "?");
    sl_strbuf_destroy(&tb);
    return rc;
}

/* A NUL-terminated copy for strtod & co: buf when it fits, else the arena. */
static const char *cstr(const char *s, size_t n, char *buf, size_t cap, sl_arena_t *a)
{
    if (n < cap) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        return buf;
    }
    return sl_arena_strndup(a, s, n);
}

static bool parse_int64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == n || n - i > 19) return false;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* A numeric's text as an integer when it has no fraction (trailing zeros
 * after the point are fine). */
static bool numeric_int(const char *s, size_t n, int64_t *out)
{
    size_t k = 0;
    while (k < n && s[k] != '.') k++;
    for (size_t i = k + 1; i < n; i++)
        if (s[i] != '0') return false;
    return parse_int64(s, k, out);
}

static int to_int(const sl_pgcol_t *c, uint8_t kind, const char *s, size_t n, const sl_type_t *t,
                  const char *col, sl_value_t *out, sl_err_t *err)
{
    (void)c;
    static const int64_t lim[] = {[SL_T_TINYINT] = 127, [SL_T_SMALLINT] = 32767,
                                  [SL_T_INT] = 2147483647, [SL_T_BIGINT] = INT64_MAX};
    int64_t x;
    if (kind == SL_PGK_INT) {
        if (!parse_int64(s, n, &x)) return bad(col, s, n, t, "cannot be read as", err);
    } else if (!numeric_int(s, n, &x)) {
        bool digits = n && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'));
        return bad(col, s, n, t, digits ? "is not a whole number in the range of" : "cannot be read as",
                   err);
    }
    if (x > lim[t->id] || x < -lim[t->id] - 1) return bad(col, s, n, t, "is out of the range of", err);
    out->i64 = x;
    return 0;
}

static int to_decimal(uint8_t kind, const char *s, size_t n, const sl_type_t *t, const char *col,
                      sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    sl_decimal_t d;
    int rc;
    if (kind == SL_PGK_FLOAT4 || kind == SL_PGK_FLOAT8) {
        char buf[64];
        const char *z = cstr(s, n, buf, sizeof buf, a);
        if (!z) return oom(err);
        char *end;
        double v = kind == SL_PGK_FLOAT4 ? (double)strtof(z, &end) : strtod(z, &end);
        if (*end || end == z) return bad(col, s, n, t, "cannot be read as", err);
        if (!isfinite(v)) return bad(col, s, n, t, "is not a number that fits", err);
        rc = sl_decimal_from_double(v, t->len, t->scale, &d);
    } else {
        rc = sl_decimal_parse(s, n, t->len, t->scale, &d);
        if (rc == -SL_EFORMAT) {
            bool special = (n == 3 && !memcmp(s, "NaN", 3)) || (n == 8 && !memcmp(s, "Infinity", 8)) ||
                           (n == 9 && !memcmp(s, "-Infinity", 9));
            return bad(col, s, n, t, special ? "is not a number that fits" : "cannot be read as",
                       err);
        }
    }
    if (rc) return bad(col, s, n, t, "does not fit", err);
    out->dec = d.unscaled;
    return 0;
}

static int to_double(uint8_t kind, const char *s, size_t n, const sl_type_t *t, const char *col,
                     sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    char buf[64];
    const char *z = cstr(s, n, buf, sizeof buf, a);
    if (!z) return oom(err);
    char *end;
    /* float4 text is the shortest that reads back as the same float. */
    double v = kind == SL_PGK_FLOAT4 ? (double)strtof(z, &end) : strtod(z, &end);
    if (*end || end == z) return bad(col, s, n, t, "cannot be read as", err);
    out->f64 = t->id == SL_T_FLOAT ? (double)(float)v : v;
    return 0;
}

static int to_bytes(const char *s, size_t n, const sl_type_t *t, const char *col, sl_value_t *out,
                    sl_arena_t *a, sl_err_t *err)
{
    static const signed char hx[256] = {
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
        ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
        ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
        ['F'] = 16};
    if (n >= 2 && s[0] == '\\' && s[1] == 'x') {
        if ((n - 2) % 2) return bad(col, s, n, t, "(odd hex digits) cannot be read as", err);
        size_t m = (n - 2) / 2;
        char *d = sl_arena_alloc(a, m ? m : 1);
        if (!d) return oom(err);
        for (size_t i = 0; i < m; i++) {
            int h = hx[(unsigned char)s[2 + 2 * i]], l = hx[(unsigned char)s[3 + 2 * i]];
            if (!h || !l) return bad(col, s, n, t, "cannot be read as", err);
            d[i] = (char)((h - 1) << 4 | (l - 1));
        }
        out->str = d;
        out->len = (uint32_t)m;
        return 0;
    }
    /* The escape format (bytea_output = 'escape'): \\ and \ooo. */
    char *d = sl_arena_alloc(a, n ? n : 1);
    if (!d) return oom(err);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            d[k++] = s[i];
        } else if (i + 1 < n && s[i + 1] == '\\') {
            d[k++] = '\\';
            i++;
        } else if (i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                   s[i + 3] >= '0' && s[i + 3] <= '7') {
            d[k++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
            i += 3;
        } else {
            return bad(col, s, n, t, "cannot be read as", err);
        }
    }
    out->str = d;
    out->len = (uint32_t)k;
    return 0;
}

/* 'infinity', '-infinity' or a BC date: outside Flink's range. */
static bool out_of_range_text(const char *s, size_t n)
{
    if ((n == 8 && !memcmp(s, "infinity", 8)) || (n == 9 && !memcmp(s, "-infinity", 9)))
        return true;
    if (n > 3 && !memcmp(s + n - 3, " BC", 3)) return true;
    /* Years past 9999 have 5 or more digits. */
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    return i > 4;
}

static int to_date(const char *s, size_t n, const sl_type_t *t, const char *col, sl_value_t *out,
                   sl_err_t *err)
{
    if (out_of_range_text(s, n)) return bad(col, s, n, t, "is outside the range of", err);
    if (sl_date_parse(s, n, &out->date)) return bad(col, s, n, t, "cannot be read as", err);
    return 0;
}

static int to_time(const char *s, size_t n, const sl_type_t *t, const char *col, sl_value_t *out,
                   sl_err_t *err)
{
    int p = t->len >= 0 && t->len <= 9 ? t->len : 9;
    size_t k = 0;
    while (k < n && s[k] != '.') k++;
    if (k == 8 && !memcmp(s, "24:00:00", 8)) {
        /* pgjdbc reads 24:00:00 as LocalTime.MAX. */
        out->time = sl_time_truncate(SL_NANOS_PER_DAY - 1, p);
        return 0;
    }
    if (sl_time_parse(s, n, p, &out->time)) return bad(col, s, n, t, "cannot be read as", err);
    return 0;
}

/* Seconds east of UTC of a trailing +HH[:MM[:SS]] / -HH..., and the length
 * of the text before it; -1 when there is none. */
static int tz_suffix(const char *s, size_t n, size_t *body, int32_t *east)
{
    size_t i = n;
    while (i > 10 && s[i - 1] != '+' && s[i - 1] != '-') i--;
    if (i <= 10) return -1;
    size_t at = i - 1;
    int parts[3] = {0, 0, 0}, np = 0;
    size_t j = i;
    while (j < n && np < 3) {
        if (j + 2 > n || s[j] < '0' || s[j] > '9' || s[j + 1] < '0' || s[j + 1] > '9') return -1;
        parts[np++] = (s[j] - '0') * 10 + (s[j + 1] - '0');
        j += 2;
        if (j < n) {
            if (s[j] != ':') return -1;
            j++;
        }
    }
    if (j != n || np == 0) return -1;
    int32_t sec = parts[0] * 3600 + parts[1] * 60 + parts[2];
    *east = s[at] == '-' ? -sec : sec;
    *body = at;
    return 0;
}

static int to_timestamp(uint8_t kind, const char *s, size_t n, const sl_type_t *t,
                        const char *col, sl_value_t *out, sl_err_t *err)
{
    int p = t->len >= 0 && t->len <= 9 ? t->len : 6;
    if (kind == SL_PGK_DATE) {
        sl_value_t d;
        int rc = to_date(s, n, t, col, &d, err);
        if (rc) return rc;
        out->ts = sl_timestamp_from_date(d.date);
        return 0;
    }
    if (out_of_range_text(s, n)) return bad(col, s, n, t, "is outside the range of", err);
    size_t body = n;
    int32_t east = 0;
    if (kind == SL_PGK_TIMESTAMPTZ && tz_suffix(s, n, &body, &east))
        return bad(col, s, n, t, "(no UTC offset) cannot be read as", err);
    sl_timestamp_t ts;
    if (sl_timestamp_parse(s, body, p, &ts)) return bad(col, s, n, t, "cannot be read as", err);
    if (east) {
        ts.millis -= (int64_t)east * 1000;
        if (!sl_timestamp_valid(ts)) return bad(col, s, n, t, "is outside the range of", err);
    }
    out->ts = ts;
    return 0;
}

static int convert(const sl_pgcol_t *c, uint8_t kind, uint8_t elem_kind, const char *s, size_t n,
                   const sl_type_t *t, const char *col, sl_value_t *out, sl_arena_t *a,
                   sl_err_t *err);

/* Skips one array element at s[i] (quoted, nested or plain); returns the
 * index after it, or -1 when malformed. */
static long skip_elem(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == '"') {
        for (i++; i < n; i++) {
            if (s[i] == '\\') i++;
            else if (s[i] == '"') return (long)i + 1;
        }
        return -1;
    }
    if (i < n && s[i] == '{') {
        int depth = 0;
        bool q = false;
        for (; i < n; i++) {
            if (q) {
                if (s[i] == '\\') i++;
                else if (s[i] == '"') q = false;
            } else if (s[i] == '"') {
                q = true;
            } else if (s[i] == '{') {
                depth++;
            } else if (s[i] == '}' && --depth == 0) {
                return (long)i + 1;
            }
        }
        return -1;
    }
    while (i < n && s[i] != ',' && s[i] != '}') i++;
    return (long)i;
}

static int to_array(const sl_pgcol_t *c, uint8_t elem_kind, const char *s, size_t n,
                    const sl_type_t *t, const char *col, sl_value_t *out, sl_arena_t *a,
                    sl_err_t *err)
{
    size_t i = 0;
    /* [1:3]={...}: explicit bounds. */
    if (i < n && s[i] == '[') {
        while (i < n && s[i] != '=') i++;
        i++;
    }
    if (i >= n || s[i] != '{' || s[n - 1] != '}')
        return bad(col, s, n, t, "cannot be read as", err);
    size_t start = i + 1, end = n - 1;
    /* Count the elements. */
    int cnt = 0;
    if (end > start) {
        for (size_t j = start;;) {
            long e = skip_elem(s, end, j);
            if (e < 0) return bad(col, s, n, t, "(malformed array) cannot be read as", err);
            cnt++;
            j = (size_t)e;
            if (j >= end) break;
            if (s[j] != ',') return bad(col, s, n, t, "(malformed array) cannot be read as", err);
            j++;
        }
    }
    sl_nested_t *nv = sl_arena_calloc(a, sizeof *nv + (size_t)(cnt ? cnt : 1) * sizeof(sl_value_t));
    if (!nv) return oom(err);
    nv->n = cnt;
    size_t j = start;
    for (int k = 0; k < cnt; k++) {
        long e = skip_elem(s, end, j);
        const char *es = s + j;
        size_t en = (size_t)e - j;
        sl_value_t *ev = &nv->v[k];
        memset(ev, 0, sizeof *ev);
        bool nested = en && es[0] == '{';
        if (t->elem->id == SL_T_ARRAY && !nested && !(en == 4 && !strncasecmp(es, "NULL", 4)))
            return bad(col, s, n, t, "(a one-dimensional array) cannot be read as", err);
        if (nested && t->elem->id != SL_T_ARRAY && t->elem->id != SL_T_VARCHAR &&
            t->elem->id != SL_T_CHAR)
            return bad(col, s, n, t, "(a multi-dimensional array) cannot be read as", err);
        if (en == 4 && !strncasecmp(es, "NULL", 4)) {
            ev->null = 1;
        } else if (nested && t->elem->id == SL_T_ARRAY) {
            int rc = to_array(c, elem_kind, es, en, t->elem, col, ev, a, err);
            if (rc) return rc;
        } else {
            if (en && es[0] == '"') {
                /* Unescape into the arena. */
                char *d = sl_arena_alloc(a, en);
                if (!d) return oom(err);
                size_t m = 0;
                for (size_t q = 1; q + 1 < en; q++) {
                    if (es[q] == '\\' && q + 2 < en) q++;
                    d[m++] = es[q];
                }
                es = d;
                en = m;
            }
            int rc = convert(c, elem_kind, 0, es, en, t->elem, col, ev, a, err);
            if (rc) return rc;
        }
        j = (size_t)e + 1;
    }
    out->nested = nv;
    out->len = (uint32_t)cnt;
    return 0;
}

static int convert(const sl_pgcol_t *c, uint8_t kind, uint8_t elem_kind, const char *s, size_t n,
                   const sl_type_t *t, const char *col, sl_value_t *out, sl_arena_t *a,
                   sl_err_t *err)
{
    switch (t->id) {
    case SL_T_CHAR:
    case SL_T_VARCHAR:
        out->str = s;
        out->len = (uint32_t)n;
        return 0;
    case SL_T_BOOLEAN:
        if (kind == SL_PGK_BOOL && n >= 1 && (s[0] == 't' || s[0] == 'f') &&
            (n == 1 || (n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)))) {
            out->b = s[0] == 't';
            return 0;
        }
        break;
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
        if (kind == SL_PGK_INT || kind == SL_PGK_NUMERIC)
            return to_int(c, kind, s, n, t, col, out, err);
        break;
    case SL_T_DECIMAL:
        if (kind == SL_PGK_INT || kind == SL_PGK_NUMERIC || kind == SL_PGK_FLOAT4 ||
            kind == SL_PGK_FLOAT8)
            return to_decimal(kind, s, n, t, col, out, a, err);
        break;
    case SL_T_FLOAT:
    case SL_T_DOUBLE:
        if (kind == SL_PGK_INT || kind == SL_PGK_NUMERIC || kind == SL_PGK_FLOAT4 ||
            kind == SL_PGK_FLOAT8)
            return to_double(kind, s, n, t, col, out, a, err);
        break;
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        if (kind == SL_PGK_BYTEA) return to_bytes(s, n, t, col, out, a, err);
        break;
    case SL_T_DATE:
        if (kind == SL_PGK_DATE) return to_date(s, n, t, col, out, err);
        break;
    case SL_T_TIME:
        if (kind == SL_PGK_TIME) return to_time(s, n, t, col, out, err);
        break;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if (kind == SL_PGK_TIMESTAMP || kind == SL_PGK_TIMESTAMPTZ ||
            (kind == SL_PGK_DATE && t->id == SL_T_TIMESTAMP))
            return to_timestamp(kind, s, n, t, col, out, err);
        break;
    case SL_T_ARRAY:
        if (kind == SL_PGK_ARRAY && t->elem) return to_array(c, elem_kind, s, n, t, col, out, a, err);
        break;
    }
    return bad(col, s, n, t, "cannot be read as", err);
}

int sl_pgval_to_value(const sl_pgcol_t *c, const char *text, size_t len, const sl_type_t *t,
                      const char *col, sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    return convert(c, c->kind, c->elem_kind, text, len, t, col, out, a, err);
}
