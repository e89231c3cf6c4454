/* value.c - run-time SQL values: copy, compare, hash, format, cast, parse.
 *
 * Formatting follows Flink's cast-to-string rules (CastRuleProvider, non-
 * legacy behaviour), which are also what Flink's SQL client prints:
 * DECIMAL with exactly its scale digits (BigDecimal.toPlainString), DOUBLE
 * and FLOAT as Java's Double/Float.toString, TIMESTAMP(p) with a space and
 * exactly p fraction digits, BOOLEAN as TRUE/FALSE, ROW as (a, b), ARRAY as
 * [a, b], MAP as {k=v}, nested NULLs as "null". Print rows differ only in
 * NULL ("<NULL>") and BYTES (x'0a0b', Flink's printing context). JSON text
 * follows Flink's json format with 'SQL' timestamps.
 *
 * Casts follow Flink's rules too, with one deliberate difference: narrowing a
 * number into an integer type that cannot hold it is an error, where Java
 * would wrap (CAST(300 AS TINYINT)) or Flink would return NULL (DECIMAL
 * overflow). Strings into CHAR(n) are padded and into VARCHAR(n) truncated,
 * as Flink 1.16+ does.
 *
 * Nothing here allocates on the heap: variable-length results go to the
 * arena the caller passes (sl_value_format appends to the caller's strbuf).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "exec/value.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/arith.h"
#include "exec/fn.h"
#include "sql/ast.h"
#include "util/decimal.h"
#include "util/hashmap.h"

/* ---- small helpers ---------------------------------------------------------- */

static const char EMPTY[1] = "";

/* Java's String.trim(): every character <= ' '. */
static void trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    while (len && (unsigned char)p[0] <= ' ') {
        p++;
        len--;
    }
    while (len && (unsigned char)p[len - 1] <= ' ') len--;
    *s = p;
    *n = len;
}

static sl_decimal_t dec_of(const sl_value_t *v, const sl_type_t *t)
{
    sl_decimal_t d;
    d.unscaled = v->dec;
    d.precision = (uint8_t)(t->len >= 1 && t->len <= 38 ? t->len : 38);
    d.scale = (uint8_t)(t->scale >= 0 && t->scale <= 38 ? t->scale : 0);
    return d;
}

static bool is_nested(const sl_type_t *t)
{
    return t->id == SL_T_ROW || t->id == SL_T_ARRAY || t->id == SL_T_MAP ||
           t->id == SL_T_MULTISET;
}

static bool is_str(const sl_type_t *t)
{
    return t->id == SL_T_CHAR || t->id == SL_T_VARCHAR;
}

static bool is_bin(const sl_type_t *t)
{
    return t->id == SL_T_BINARY || t->id == SL_T_VARBINARY;
}

static bool is_int(const sl_type_t *t)
{
    return t->id >= SL_T_TINYINT && t->id <= SL_T_BIGINT;
}

/* Entries of a nested value's array (MAP: keys then values). */
static int nested_count(const sl_value_t *v, const sl_type_t *t)
{
    if (!v->nested) return 0;
    return t->id == SL_T_MAP ? 2 * v->nested->n : v->nested->n;
}

static const sl_type_t *child_type(const sl_type_t *t, int i, int n)
{
    const sl_type_t *c = NULL;
    switch (t->id) {
    case SL_T_ROW:
        c = i < t->nfields && t->fields ? t->fields[i].type : NULL;
        break;
    case SL_T_MAP:
        c = i < n ? t->key : t->elem;
        break;
    default:
        c = t->elem;
        break;
    }
    return c ? c : &sl_type_null;
}

static void int_range(int id, int64_t *lo, int64_t *hi)
{
    switch (id) {
    case SL_T_TINYINT: *lo = INT8_MIN; *hi = INT8_MAX; break;
    case SL_T_SMALLINT: *lo = INT16_MIN; *hi = INT16_MAX; break;
    case SL_T_INT: *lo = INT32_MIN; *hi = INT32_MAX; break;
    default: *lo = INT64_MIN; *hi = INT64_MAX; break;
    }
}

/* A short spelling of t for messages ("DECIMAL(5, 2)", "VARCHAR(3)"). */
static const char *tname(const sl_type_t *t, char *buf, size_t cap)
{
    static const char *const names[SL_T__COUNT] = {
        [SL_T_NULL] = "NULL", [SL_T_BOOLEAN] = "BOOLEAN",
        [SL_T_TINYINT] = "TINYINT", [SL_T_SMALLINT] = "SMALLINT",
        [SL_T_INT] = "INT", [SL_T_BIGINT] = "BIGINT", [SL_T_FLOAT] = "FLOAT",
        [SL_T_DOUBLE] = "DOUBLE", [SL_T_DATE] = "DATE",
        [SL_T_INTERVAL_YM] = "INTERVAL YEAR TO MONTH",
        [SL_T_INTERVAL_DT] = "INTERVAL DAY TO SECOND", [SL_T_ROW] = "ROW",
        [SL_T_ARRAY] = "ARRAY", [SL_T_MAP] = "MAP",
        [SL_T_MULTISET] = "MULTISET", [SL_T_RAW] = "RAW",
    };
    switch (t->id) {
    case SL_T_DECIMAL:
        snprintf(buf, cap, "DECIMAL(%d, %d)", t->len, t->scale);
        return buf;
    case SL_T_CHAR:
        snprintf(buf, cap, "CHAR(%d)", t->len);
        return buf;
    case SL_T_VARCHAR:
        if (t->len == SL_MAX_LENGTH) return "STRING";
        snprintf(buf, cap, "VARCHAR(%d)", t->len);
        return buf;
    case SL_T_BINARY:
        snprintf(buf, cap, "BINARY(%d)", t->len);
        return buf;
    case SL_T_VARBINARY:
        if (t->len == SL_MAX_LENGTH) return "BYTES";
        snprintf(buf, cap, "VARBINARY(%d)", t->len);
        return buf;
    case SL_T_TIME:
        snprintf(buf, cap, "TIME(%d)", t->len);
        return buf;
    case SL_T_TIMESTAMP:
        snprintf(buf, cap, "TIMESTAMP(%d)", t->len);
        return buf;
    case SL_T_TIMESTAMP_LTZ:
        snprintf(buf, cap, "TIMESTAMP_LTZ(%d)", t->len);
        return buf;
    default:
        return t->id < SL_T__COUNT && names[t->id] ? names[t->id] : "?";
    }
}

/* Value text for messages: at most 40 bytes, quoted. */
#define QUOTE_MAX 40
static int qlen(size_t n)
{
    return n > QUOTE_MAX ? QUOTE_MAX : (int)n;
}

/* ---- C-locale number conversion ------------------------------------------ */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static double strtod_c(const char *s, char **end, bool single)
{
    pthread_once(&c_locale_once, c_locale_init);
    if (c_locale)
        return single ? (double)strtof_l(s, end, c_locale)
                      : strtod_l(s, end, c_locale);
    return single ? (double)strtof(s, end) : strtod(s, end);
}

/* ---- Java's Double.toString ------------------------------------------------ */

/* Shortest digits of v (finite, nonzero, positive) that round-trip:
 * digits[] without a point, value = 0.d1d2.. * 10^(*exp10 + 1)... precisely:
 * v = d1.d2d3... * 10^(*e). Returns the digit count. */
static int shortest_digits(double v, bool single, char *digits, int *e)
{
    char tmp[48];
    int maxp = single ? 9 : 17;
    int prec;
    /* Java prints at least two significant digits ("4.9E-324", not
     * "5.0E-324"), so the search starts at two: among the shortest
     * decimals that round-trip, the closest one (which %.*e gives). */
    for (prec = 2; prec <= maxp; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        /* The radix character comes from the locale; make it '.'. */
        for (char *c = tmp; *c; c++)
            if (*c != 'e' && *c != '-' && *c != '+' && (*c < '0' || *c > '9'))
                *c = '.';
        double back = strtod_c(tmp, NULL, single);
        if (single ? (float)back == (float)v : back == v) break;
    }
    /* tmp is "d[.ddd]e[+-]XX" */
    int nd = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    *e = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    return nd;
}

int sl_double_format(double v, bool single, char *buf, size_t cap)
{
    char tmp[SL_DOUBLE_STRLEN + 8];
    char *o = tmp;
    if (isnan(v)) {
        o += sprintf(o, "NaN");
    } else if (isinf(v)) {
        o += sprintf(o, v < 0 ? "-Infinity" : "Infinity");
    } else if (v == 0) {
        o += sprintf(o, signbit(v) ? "-0.0" : "0.0");
    } else {
        if (v < 0) {
            *o++ = '-';
            v = -v;
        }
        char d[24];
        int e;
        int nd = shortest_digits(v, single, d, &e);
        if (e >= -3 && e < 7) {
            if (e >= 0) {
                for (int i = 0; i <= e; i++) *o++ = i < nd ? d[i] : '0';
                *o++ = '.';
                if (nd > e + 1) {
                    for (int i = e + 1; i < nd; i++) *o++ = d[i];
                } else {
                    *o++ = '0';
                }
            } else {
                *o++ = '0';
                *o++ = '.';
                for (int i = 0; i < -e - 1; i++) *o++ = '0';
                for (int i = 0; i < nd; i++) *o++ = d[i];
            }
        } else {
            *o++ = d[0];
            *o++ = '.';
            if (nd > 1) {
                for (int i = 1; i < nd; i++) *o++ = d[i];
            } else {
                *o++ = '0';
            }
            o += sprintf(o, "E%d", e);
        }
    }
    size_t len = (size_t)(o - tmp);
    if (len + 1 > cap) {
        if (cap) buf[0] = '\0';
        return -SL_ERANGE;
    }
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return (int)len;
}

/* Java's Double.parseDouble / Float.parseFloat on trimmed text: an optional
 * sign, then NaN, Infinity, or digits with an optional point and exponent,
 * and an optional type suffix (f, F, d, D). Hexadecimal floats are not
 * accepted. */
static int parse_java_double(const char *s, size_t n, bool single, double *out)
{
    trim(&s, &n);
    if (n == 0) return -SL_EFORMAT;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    if (n - i == 3 && memcmp(s + i, "NaN", 3) == 0) {
        *out = NAN;
        return 0;
    }
    if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (n && (s[n - 1] == 'f' || s[n - 1] == 'F' || s[n - 1] == 'd' ||
              s[n - 1] == 'D'))
        n--;
    size_t j = i, digits = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9') j++, digits++;
    if (j < n && s[j] == '.') {
        j++;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++, digits++;
    }
    if (!digits) return -SL_EFORMAT;
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < n && (s[j] == '+' || s[j] == '-')) j++;
        size_t k = j;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        if (j == k) return -SL_EFORMAT;
    }
    if (j != n) return -SL_EFORMAT;
    char buf[512];
    if (n >= sizeof buf) return -SL_EFORMAT; /* absurdly long number text */
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod_c(buf, NULL, single);
    return 0;
}

/* Flink's BinaryStringDataUtil.toLong on trimmed text: a sign, digits, and
 * optionally a '.' followed by digits that are ignored (CAST('1.9' AS INT)
 * is 1). -SL_EFORMAT for anything else, -SL_EOVERFLOW past int64. */
static int parse_int_cast(const char *s, size_t n, int64_t *out)
{
    trim(&s, &n);
    if (n == 0) return -SL_EFORMAT;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        if (++i == n) return -SL_EFORMAT;
    }
    uint64_t m = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n && s[i] != '.'; i++) {
        if (s[i] < '0' || s[i] > '9') return -SL_EFORMAT;
        unsigned d = (unsigned)(s[i] - '0');
        if (m > (limit - d) / 10) return -SL_EOVERFLOW;
        m = m * 10 + d;
    }
    if (i < n) {
        for (i++; i < n; i++)
            if (s[i] < '0' || s[i] > '9') return -SL_EFORMAT;
    }
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return 0;
}

/* Strict integer text for readers: [+-]digits, blanks around allowed. */
static int parse_int_strict(const char *s, size_t n, int64_t *out)
{
    trim(&s, &n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.') return -SL_EFORMAT;
    return parse_int_cast(s, n, out);
}

static bool ieq(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (wl != n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != w[i]) return false;
    }
    return true;
}

/* Flink's string-to-boolean: t/true/y/yes/1 and f/false/n/no/0, any case. */
static int parse_bool_cast(const char *s, size_t n, bool *out)
{
    trim(&s, &n);
    if (ieq(s, n, "t") || ieq(s, n, "true") || ieq(s, n, "y") ||
        ieq(s, n, "yes") || ieq(s, n, "1")) {
        *out = true;
        return 0;
    }
    if (ieq(s, n, "f") || ieq(s, n, "false") || ieq(s, n, "n") ||
        ieq(s, n, "no") || ieq(s, n, "0")) {
        *out = false;
        return 0;
    }
    return -SL_EFORMAT;
}

/* Flink's DateTimeUtils.parseDate: 'yyyy-mm-dd', also 'yyyy-mm' and 'yyyy'
 * (first day), and a timestamp's date part ('2017-12-12 09:30:00'). */
static int parse_date_cast(const char *s, size_t n, sl_date_t *out)
{
    trim(&s, &n);
    if (sl_date_parse(s, n, out) == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == 'T') {
            sl_timestamp_t ts;
            if (sl_timestamp_parse(s, n, 9, &ts) == 0) {
                *out = sl_timestamp_date(ts);
                return 0;
            }
            return sl_date_parse(s, i, out) == 0 ? 0 : -SL_EFORMAT;
        }
    }
    /* yyyy or yyyy-mm */
    int64_t y = 0, m = 1;
    size_t i = 0, k;
    for (k = i; i < n && s[i] >= '0' && s[i] <= '9' && i - k < 4; i++)
        y = y * 10 + (s[i] - '0');
    if (i == k) return -SL_EFORMAT;
    if (i < n) {
        if (s[i++] != '-') return -SL_EFORMAT;
        m = 0;
        for (k = i; i < n && s[i] >= '0' && s[i] <= '9' && i - k < 2; i++)
            m = m * 10 + (s[i] - '0');
        if (i == k || i != n) return -SL_EFORMAT;
    }
    return sl_date_make((int)y, (int)m, 1, out) == 0 ? 0 : -SL_EFORMAT;
}

/* ---- base64 --------------------------------------------------------------- */

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Standard base64 with padding into dst (4 * ceil(n / 3) bytes). */
size_t sl_base64_encode(const void *src, size_t n, char *dst)
{
    const unsigned char *s = src;
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        dst[o++] = B64[v >> 18];
        dst[o++] = B64[(v >> 12) & 63];
        dst[o++] = B64[(v >> 6) & 63];
        dst[o++] = B64[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
        dst[o++] = B64[v >> 18];
        dst[o++] = B64[(v >> 12) & 63];
        dst[o++] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        dst[o++] = '=';
    }
    return o;
}

/* Decodes base64 (Java's Base64.getDecoder(): padding optional at the end,
 * no other characters). Returns the length or -SL_EFORMAT; dst needs
 * 3 * n / 4 + 3 bytes. */
long sl_base64_decode(const char *s, size_t n, void *out)
{
    unsigned char *dst = out;
    while (n && s[n - 1] == '=') n--;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    if (n % 4 == 1) return -SL_EFORMAT;
    for (size_t i = 0; i < n; i++) {
        int v = b64_val((unsigned char)s[i]);
        if (v < 0) return -SL_EFORMAT;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            dst[o++] = (unsigned char)(acc >> bits);
        }
    }
    return (long)o;
}

/* ---- output sinks ----------------------------------------------------------- */

void sl_abuf_init(sl_abuf_t *b, sl_arena_t *a)
{
    b->a = a;
    b->p = NULL;
    b->len = b->cap = 0;
}

int sl_abuf_put(sl_abuf_t *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) return -SL_ENOMEM;
            cap *= 2;
        }
        char *np = sl_arena_alloc(b->a, cap);
        if (!np) return -SL_ENOMEM;
        if (b->len) memcpy(np, b->p, b->len);
        b->p = np;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int sl_abuf_putc(sl_abuf_t *b, char c)
{
    return sl_abuf_put(b, &c, 1);
}

void sl_abuf_value(sl_abuf_t *b, sl_value_t *out)
{
    memset(out, 0, sizeof *out);
    out->str = b->p ? b->p : EMPTY;
    out->len = (uint32_t)b->len;
}

/* Formatting writes to either a strbuf or an arena buffer. */
typedef struct sink {
    sl_strbuf_t *sb;
    sl_abuf_t *ab;
} sink_t;

static int put(sink_t *o, const void *p, size_t n)
{
    if (o->sb) return sl_strbuf_append(o->sb, p, n);
    return sl_abuf_put(o->ab, p, n);
}

static int puts_(sink_t *o, const char *s)
{
    return put(o, s, strlen(s));
}

/* ---- copy ------------------------------------------------------------------ */

int sl_value_copy(sl_value_t *dst, const sl_value_t *src, const sl_type_t *t,
                  sl_arena_t *a)
{
    sl_value_t v = *src;
    if (v.null || !t) {
        *dst = v;
        return 0;
    }
    if (is_str(t) || is_bin(t)) {
        if (v.len) {
            char *p = sl_arena_alloc(a, v.len);
            if (!p) return -SL_ENOMEM;
            memcpy(p, v.str, v.len);
            v.str = p;
        } else {
            v.str = EMPTY;
        }
    } else if (is_nested(t) && v.nested) {
        int cnt = nested_count(&v, t);
        sl_nested_t *n = sl_arena_alloc(a, sizeof *n + (size_t)cnt * sizeof(sl_value_t));
        if (!n) return -SL_ENOMEM;
        n->n = v.nested->n;
        for (int i = 0; i < cnt; i++) {
            int rc = sl_value_copy(&n->v[i], &v.nested->v[i],
                                   child_type(t, i, v.nested->n), a);
            if (rc) return rc;
        }
        v.nested = n;
    }
    *dst = v;
    return 0;
}

/* ---- compare and hash ------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Total order: -0.0 equals 0.0, NaN is above everything and equals NaN. */
static int cmp_double(double a, double b)
{
    if (a < b) return -1;
    if (a > b) return 1;
    if (a == b) return 0;
    return isnan(a) - isnan(b);
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return (an > bn) - (an < bn);
}

int sl_value_cmp(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t)
{
    if (a->null || b->null) return a->null && b->null ? 0 : a->null ? -1 : 1;
    switch (t->id) {
    case SL_T_NULL:
        return 0;
    case SL_T_BOOLEAN:
        return (int)a->b - (int)b->b;
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT: case SL_T_SYMBOL:
        return cmp_i64(a->i64, b->i64);
    case SL_T_DECIMAL:
        return (a->dec > b->dec) - (a->dec < b->dec);
    case SL_T_FLOAT: case SL_T_DOUBLE:
        return cmp_double(a->f64, b->f64);
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
    case SL_T_RAW:
        return cmp_bytes(a->str, a->len, b->str, b->len);
    case SL_T_DATE:
        return (a->date > b->date) - (a->date < b->date);
    case SL_T_TIME:
        return cmp_i64(a->time, b->time);
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return sl_timestamp_cmp(a->ts, b->ts);
    case SL_T_ROW: case SL_T_ARRAY: case SL_T_MAP: case SL_T_MULTISET: {
        int an = a->nested ? a->nested->n : 0;
        int bn = b->nested ? b->nested->n : 0;
        if (t->id == SL_T_MAP && an != bn) return an < bn ? -1 : 1;
        int n = an < bn ? an : bn;
        for (int i = 0; i < n; i++) {
            int c = sl_value_cmp(&a->nested->v[i], &b->nested->v[i],
                                 child_type(t, i, an));
            if (c) return c;
        }
        if (t->id == SL_T_MAP) {
            for (int i = 0; i < n; i++) {
                int c = sl_value_cmp(&a->nested->v[an + i], &b->nested->v[bn + i],
                                     t->elem ? t->elem : &sl_type_null);
                if (c) return c;
            }
        }
        return (an > bn) - (an < bn);
    }
    default:
        return 0;
    }
}

/* Maps compare as sets of entries: same size, and every key of a is in b
 * with an equal value. */
static bool map_eq(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t)
{
    int n = a->nested ? a->nested->n : 0;
    int m = b->nested ? b->nested->n : 0;
    if (n != m) return false;
    const sl_type_t *kt = t->key ? t->key : &sl_type_null;
    const sl_type_t *vt = t->elem ? t->elem : &sl_type_null;
    for (int i = 0; i < n; i++) {
        int j;
        for (j = 0; j < m; j++)
            if (sl_value_eq(&a->nested->v[i], &b->nested->v[j], kt)) break;
        if (j == m) return false;
        if (!sl_value_eq(&a->nested->v[n + i], &b->nested->v[m + j], vt))
            return false;
    }
    return true;
}

bool sl_value_eq(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t)
{
    if (a->null || b->null) return a->null && b->null;
    if (t->id == SL_T_MAP) return map_eq(a, b, t);
    if (t->id == SL_T_ROW || t->id == SL_T_ARRAY || t->id == SL_T_MULTISET) {
        int an = a->nested ? a->nested->n : 0;
        int bn = b->nested ? b->nested->n : 0;
        if (an != bn) return false;
        for (int i = 0; i < an; i++)
            if (!sl_value_eq(&a->nested->v[i], &b->nested->v[i],
                             child_type(t, i, an)))
                return false;
        return true;
    }
    return sl_value_cmp(a, b, t) == 0;
}

static uint64_t mix(uint64_t seed, uint64_t x)
{
    return sl_hash_u64(seed ^ (x + 0x9e3779b97f4a7c15ull + (seed << 6) +
                               (seed >> 2)));
}

uint64_t sl_value_hash(const sl_value_t *v, const sl_type_t *t, uint64_t seed)
{
    if (v->null) return mix(seed, 0x6e756c6cull);
    switch (t->id) {
    case SL_T_NULL:
        return mix(seed, 0x6e756c6cull);
    case SL_T_BOOLEAN:
        return mix(seed, v->b);
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT: case SL_T_SYMBOL:
        return mix(seed, (uint64_t)v->i64);
    case SL_T_DECIMAL: {
        unsigned __int128 u = (unsigned __int128)v->dec;
        return mix(mix(seed, (uint64_t)u), (uint64_t)(u >> 64));
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        double d = v->f64;
        if (d == 0) d = 0.0;          /* -0.0 equals 0.0 */
        if (isnan(d)) d = NAN;
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        if (isnan(d)) bits = 0x7ff8000000000000ull;
        return mix(seed, bits);
    }
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
    case SL_T_RAW:
        return mix(seed, sl_hash_bytes(v->len ? v->str : EMPTY, v->len));
    case SL_T_DATE:
        return mix(seed, (uint64_t)(int64_t)v->date);
    case SL_T_TIME:
        return mix(seed, (uint64_t)v->time);
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return mix(mix(seed, (uint64_t)v->ts.millis), (uint64_t)v->ts.nanos);
    case SL_T_MAP: {
        /* Order-independent: the sum of the entries' hashes. */
        int n = v->nested ? v->nested->n : 0;
        uint64_t sum = 0;
        const sl_type_t *kt = t->key ? t->key : &sl_type_null;
        const sl_type_t *vt = t->elem ? t->elem : &sl_type_null;
        for (int i = 0; i < n; i++)
            sum += sl_value_hash(&v->nested->v[n + i], vt,
                                 sl_value_hash(&v->nested->v[i], kt, 0x4d4150));
        return mix(mix(seed, (uint64_t)n), sum);
    }
    case SL_T_ROW: case SL_T_ARRAY: case SL_T_MULTISET: {
        int n = v->nested ? v->nested->n : 0;
        uint64_t h = mix(seed, (uint64_t)n);
        for (int i = 0; i < n; i++)
            h = sl_value_hash(&v->nested->v[i], child_type(t, i, n), h);
        return h;
    }
    default:
        return seed;
    }
}

/* ---- format ----------------------------------------------------------------- */

static int put_json_string(sink_t *o, const char *s, size_t n)
{
    int rc = put(o, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            }
            break;
        }
        if (esc) {
            rc = put(o, s + start, i - start);
            if (!rc) rc = puts_(o, esc);
            start = i + 1;
        }
    }
    if (!rc) rc = put(o, s + start, n - start);
    if (!rc) rc = put(o, "\"", 1);
    return rc;
}

/* Drops trailing zeros of the fraction (and the point when none remain):
 * Flink's JSON 'SQL' formats use appendFraction(NANO_OF_SECOND, 0, 9). */
static int strip_fraction(char *buf, int len)
{
    char *dot = memchr(buf, '.', (size_t)len);
    if (!dot) return len;
    while (len > 0 && buf[len - 1] == '0') len--;
    if (buf + len - 1 == dot) len--;
    buf[len] = '\0';
    return len;
}

static int fmt_rec(sink_t *o, const sl_value_t *v, const sl_type_t *t, int mode,
                   bool top);

static int fmt_nested(sink_t *o, const sl_value_t *v, const sl_type_t *t,
                      int mode)
{
    bool json = mode == SL_FMT_JSON;
    int n = v->nested ? v->nested->n : 0;
    int rc = 0;
    const char *sep = json ? "," : ", ";
    switch (t->id) {
    case SL_T_ROW:
        rc = puts_(o, json ? "{" : "(");
        for (int i = 0; !rc && i < n; i++) {
            if (i) rc = puts_(o, sep);
            if (!rc && json) {
                const char *name = i < t->nfields && t->fields && t->fields[i].name
                                       ? t->fields[i].name : "";
                char tmp[24];
                if (!*name) {
                    snprintf(tmp, sizeof tmp, "f%d", i);
                    name = tmp;
                }
                rc = put_json_string(o, name, strlen(name));
                if (!rc) rc = puts_(o, ":");
            }
            if (!rc) rc = fmt_rec(o, &v->nested->v[i], child_type(t, i, n), mode, false);
        }
        if (!rc) rc = puts_(o, json ? "}" : ")");
        return rc;
    case SL_T_MAP: {
        const sl_type_t *kt = t->key ? t->key : &sl_type_null;
        const sl_type_t *vt = t->elem ? t->elem : &sl_type_null;
        rc = puts_(o, "{");
        for (int i = 0; !rc && i < n; i++) {
            if (i) rc = puts_(o, sep);
            if (rc) break;
            if (json) {
                const sl_value_t *k = &v->nested->v[i];
                if (k->null) {
                    rc = puts_(o, "\"null\"");
                } else if (is_str(kt)) {
                    rc = put_json_string(o, k->str, k->len);
                } else {
                    sl_strbuf_t tmp = SL_STRBUF_INIT;
                    sl_abuf_t ab;
                    sink_t ko = {o->sb ? &tmp : NULL, NULL};
                    if (!o->sb) {
                        sl_abuf_init(&ab, o->ab->a);
                        ko.ab = &ab;
                    }
                    rc = fmt_rec(&ko, k, kt, SL_FMT_CAST, false);
                    if (!rc) {
                        const char *ks = o->sb ? sl_strbuf_cstr(&tmp) : (ab.p ? ab.p : EMPTY);
                        size_t kn = o->sb ? tmp.len : ab.len;
                        rc = put_json_string(o, ks, kn);
                    }
                    sl_strbuf_destroy(&tmp);
                }
                if (!rc) rc = puts_(o, ":");
            } else {
                rc = fmt_rec(o, &v->nested->v[i], kt, mode, false);
                if (!rc) rc = puts_(o, "=");
            }
            if (!rc) rc = fmt_rec(o, &v->nested->v[n + i], vt, mode, false);
        }
        if (!rc) rc = puts_(o, "}");
        return rc;
    }
    default: {
        const sl_type_t *et = t->elem ? t->elem : &sl_type_null;
        rc = puts_(o, "[");
        for (int i = 0; !rc && i < n; i++) {
            if (i) rc = puts_(o, sep);
            if (!rc) rc = fmt_rec(o, &v->nested->v[i], et, mode, false);
        }
        if (!rc) rc = puts_(o, "]");
        return rc;
    }
    }
}

static int fmt_rec(sink_t *o, const sl_value_t *v, const sl_type_t *t, int mode,
                   bool top)
{
    bool json = mode == SL_FMT_JSON;
    char buf[64];
    int n;
    if (v->null || t->id == SL_T_NULL) {
        if (json) return puts_(o, "null");
        if (top) return puts_(o, mode == SL_FMT_PRINT ? "<NULL>" : "NULL");
        return puts_(o, "null");
    }
    switch (t->id) {
    case SL_T_BOOLEAN:
        if (json) return puts_(o, v->b ? "true" : "false");
        return puts_(o, v->b ? "TRUE" : "FALSE");
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        n = snprintf(buf, sizeof buf, "%lld", (long long)v->i64);
        return put(o, buf, (size_t)n);
    case SL_T_DECIMAL: {
        sl_decimal_t d = dec_of(v, t);
        n = sl_decimal_format(&d, buf, sizeof buf);
        if (n < 0) return n;
        return put(o, buf, (size_t)n);
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        n = sl_double_format(v->f64, t->id == SL_T_FLOAT, buf, sizeof buf);
        if (n < 0) return n;
        if (json && !isfinite(v->f64)) return put_json_string(o, buf, (size_t)n);
        return put(o, buf, (size_t)n);
    }
    case SL_T_CHAR: case SL_T_VARCHAR:
        if (json) return put_json_string(o, v->str, v->len);
        return put(o, v->len ? v->str : EMPTY, v->len);
    case SL_T_BINARY: case SL_T_VARBINARY:
        if (json) {
            int rc = puts_(o, "\"");
            for (size_t i = 0; !rc && i < v->len; i += 48) {
                char enc[64 + 4];
                size_t k = v->len - i < 48 ? v->len - i : 48;
                size_t en = sl_base64_encode(v->str + i, k, enc);
                rc = put(o, enc, en);
            }
            if (!rc) rc = puts_(o, "\"");
            return rc;
        }
        if (mode == SL_FMT_PRINT) {
            static const char hex[] = "0123456789abcdef";
            int rc = puts_(o, "x'");
            for (size_t i = 0; !rc && i < v->len; i++) {
                unsigned char c = (unsigned char)v->str[i];
                char h[2] = {hex[c >> 4], hex[c & 15]};
                rc = put(o, h, 2);
            }
            if (!rc) rc = puts_(o, "'");
            return rc;
        }
        return put(o, v->len ? v->str : EMPTY, v->len);
    case SL_T_DATE:
        n = sl_date_format(v->date, buf, sizeof buf);
        if (n < 0) return n;
        if (json) return put_json_string(o, buf, (size_t)n);
        return put(o, buf, (size_t)n);
    case SL_T_TIME: {
        int p = t->len >= 0 && t->len <= 9 ? t->len : 0;
        /* Flink's JSON format writes LocalTime.ofSecondOfDay(millis / 1000):
         * whole seconds. */
        n = sl_time_format(v->time, json ? 0 : p, buf, sizeof buf);
        if (n < 0) return n;
        if (json) return put_json_string(o, buf, (size_t)n);
        return put(o, buf, (size_t)n);
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        int p = t->len >= 0 && t->len <= 9 ? t->len : 6;
        n = sl_timestamp_format(v->ts, json ? 9 : p, buf, sizeof buf);
        if (n < 0) return n;
        if (json) {
            n = strip_fraction(buf, n);
            if (t->id == SL_T_TIMESTAMP_LTZ) buf[n++] = 'Z';
            return put_json_string(o, buf, (size_t)n);
        }
        return put(o, buf, (size_t)n);
    }
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        n = t->id == SL_T_INTERVAL_YM
                ? sl_interval_format_months(v->i64, buf, sizeof buf)
                : sl_interval_format_millis(v->i64, buf, sizeof buf);
        if (n < 0) return n;
        if (json) return put_json_string(o, buf, (size_t)n);
        return put(o, buf, (size_t)n);
    case SL_T_ROW: case SL_T_ARRAY: case SL_T_MAP: case SL_T_MULTISET:
        return fmt_nested(o, v, t, mode);
    case SL_T_SYMBOL:
        n = snprintf(buf, sizeof buf, "%lld", (long long)v->i64);
        return put(o, buf, (size_t)n);
    default:
        if (json) return puts_(o, "null");
        return put(o, v->len ? v->str : EMPTY, v->str ? v->len : 0);
    }
}

int sl_value_format(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t,
                    int mode)
{
    sink_t o = {sb, NULL};
    size_t old = sb->len;
    int rc = fmt_rec(&o, v, t, mode, true);
    if (rc && sb->buf) {
        /* Leave the buffer as it was. */
        sb->len = old;
        sb->buf[old] = '\0';
    }
    return rc;
}

int sl_value_format_arena(const sl_value_t *v, const sl_type_t *t, int mode,
                          sl_arena_t *a, sl_value_t *out)
{
    sl_abuf_t ab;
    sl_abuf_init(&ab, a);
    sink_t o = {NULL, &ab};
    int rc = fmt_rec(&o, v, t, mode, true);
    if (rc) return rc;
    sl_abuf_value(&ab, out);
    return 0;
}

/* ---- cast ------------------------------------------------------------------- */

/* UTF-8 well-formedness (no overlongs, surrogates or code points past
 * U+10FFFF), as Java's strict decoder checks it. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n) return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) return false;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

/* s (n bytes, maybe already in the arena) as a value of the character type
 * `to`: truncated to to->len characters, and for CHAR padded with spaces. */
static int fit_string(const char *s, size_t n, const sl_type_t *to, bool copy,
                      sl_arena_t *a, sl_value_t *out)
{
    size_t limit = to->len > 0 ? (size_t)to->len : 0;
    bool bounded = to->len < SL_MAX_LENGTH;
    size_t chars = 0, off = 0;
    if (bounded) {
        while (off < n && chars < limit) {
            off += sl_utf8_len((unsigned char)s[off]);
            chars++;
        }
        if (off > n) off = n;
        n = off;   /* truncated when longer */
    }
    size_t pad = to->id == SL_T_CHAR && bounded && chars < limit ? limit - chars : 0;
    memset(out, 0, sizeof *out);
    if (!copy && !pad) {
        out->str = n ? s : EMPTY;
        out->len = (uint32_t)n;
        return 0;
    }
    if (n + pad > UINT32_MAX) return -SL_ENOMEM;
    char *p = sl_arena_alloc(a, n + pad + 1);
    if (!p) return -SL_ENOMEM;
    if (n) memcpy(p, s, n);
    memset(p + n, ' ', pad);
    p[n + pad] = '\0';
    out->str = p;
    out->len = (uint32_t)(n + pad);
    return 0;
}

/* Bytes as BINARY(n) (zero-padded, truncated) or VARBINARY(n) (truncated). */
static int fit_bytes(const char *s, size_t n, const sl_type_t *to,
                     sl_arena_t *a, sl_value_t *out)
{
    bool bounded = to->len < SL_MAX_LENGTH;
    size_t limit = to->len > 0 ? (size_t)to->len : 0;
    if (bounded && n > limit) n = limit;
    size_t pad = to->id == SL_T_BINARY && bounded && n < limit ? limit - n : 0;
    char *p = sl_arena_alloc(a, n + pad + 1);
    if (!p) return -SL_ENOMEM;
    if (n) memcpy(p, s, n);
    memset(p + n, 0, pad + 1);
    memset(out, 0, sizeof *out);
    out->str = p;
    out->len = (uint32_t)(n + pad);
    return 0;
}

/* The resolution (from, to) of an interval type as SQL units; see types.h. */
static void interval_units(const sl_type_t *t, int *from, int *to)
{
    if (t->scale == 0) {
        *from = t->id == SL_T_INTERVAL_YM ? SL_U_MONTH : SL_U_SECOND;
        *to = SL_U_NONE;
    } else {
        *from = t->scale / 32;
        *to = t->scale % 32;
    }
}

/* Months or milliseconds per unit of a single-field interval. */
static int64_t interval_mult(const sl_type_t *t)
{
    int from, to;
    interval_units(t, &from, &to);
    switch (from) {
    case SL_U_YEAR: return 12;
    case SL_U_MONTH: return 1;
    case SL_U_DAY: return SL_MILLIS_PER_DAY;
    case SL_U_HOUR: return 3600000;
    case SL_U_MINUTE: return 60000;
    case SL_U_SECOND: return 1000;
    default: return 1;
    }
}

typedef struct cast_ctx {
    sl_arena_t *a;
    sl_err_t *err;
} cast_ctx_t;

static int cast_fail(const cast_ctx_t *c, const sl_value_t *v,
                     const sl_type_t *from, const sl_type_t *to, int code)
{
    char b1[48], b2[48];
    if (is_str(from) || is_bin(from))
        return sl_err_set(c->err, code, "cannot cast '%.*s'%s to %s",
                          qlen(v->len), v->len ? v->str : "",
                          v->len > QUOTE_MAX ? "..." : "", tname(to, b2, sizeof b2));
    if (code == SL_EOVERFLOW || code == SL_ERANGE) {
        sl_strbuf_t sb = SL_STRBUF_INIT;
        int rc = sl_value_format(&sb, v, from, SL_FMT_CAST);
        int r = sl_err_set(c->err, code, "value %s of type %s is out of range for %s",
                           rc ? "?" : sl_strbuf_cstr(&sb), tname(from, b1, sizeof b1),
                           tname(to, b2, sizeof b2));
        sl_strbuf_destroy(&sb);
        return r;
    }
    return sl_err_set(c->err, code, "cannot cast %s to %s", tname(from, b1, sizeof b1),
                      tname(to, b2, sizeof b2));
}

static int flink_forbidden(const cast_ctx_t *c, const sl_type_t *from,
                           const sl_type_t *to)
{
    if (sl_type_is_timestamp(to))
        return sl_err_set(c->err, SL_ETYPE,
                          "the cast from a numeric type to %s is not allowed; "
                          "use %s instead",
                          to->id == SL_T_TIMESTAMP ? "TIMESTAMP" : "TIMESTAMP_LTZ",
                          to->id == SL_T_TIMESTAMP
                              ? "TO_TIMESTAMP(FROM_UNIXTIME(numeric_col)) (seconds)"
                              : "TO_TIMESTAMP_LTZ(numeric_col, precision)");
    (void)to;
    return sl_err_set(c->err, SL_ETYPE,
                      "the cast from %s to a numeric type is not allowed%s",
                      from->id == SL_T_TIMESTAMP ? "TIMESTAMP" : "TIMESTAMP_LTZ",
                      from->id == SL_T_TIMESTAMP
                          ? "; use UNIX_TIMESTAMP(CAST(timestamp_col AS STRING)) instead"
                          : "");
}

static int cast_rec(const sl_value_t *v, const sl_type_t *from, sl_value_t *out,
                    const sl_type_t *to, const cast_ctx_t *c);

/* Any value to an integer as int64 (range of the target checked by the
 * caller). */
static int to_int64(const sl_value_t *v, const sl_type_t *from,
                    const sl_type_t *to, const cast_ctx_t *c, int64_t *x)
{
    int rc;
    switch (from->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        *x = v->i64;
        return 0;
    case SL_T_BOOLEAN:
        *x = v->b;
        return 0;
    case SL_T_DECIMAL: {
        sl_decimal_t d = dec_of(v, from);
        if (sl_decimal_to_int64(&d, x)) return cast_fail(c, v, from, to, SL_EOVERFLOW);
        return 0;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        double d = trunc(v->f64);
        if (isnan(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return cast_fail(c, v, from, to, SL_EOVERFLOW);
        *x = (int64_t)d;
        return 0;
    }
    case SL_T_CHAR: case SL_T_VARCHAR:
        rc = parse_int_cast(v->str, v->len, x);
        if (rc) return cast_fail(c, v, from, to, rc == -SL_EOVERFLOW ? SL_EOVERFLOW : SL_EFORMAT);
        return 0;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        *x = v->i64 / interval_mult(from);
        return 0;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return flink_forbidden(c, from, to);
    default:
        return cast_fail(c, v, from, to, SL_ETYPE);
    }
}

static int to_decimal(const sl_value_t *v, const sl_type_t *from,
                      const sl_type_t *to, const cast_ctx_t *c, sl_decimal_t *d)
{
    int p = to->len, s = to->scale, rc;
    switch (from->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        rc = sl_decimal_from_int64(v->i64, p, s, d);
        break;
    case SL_T_BOOLEAN:
        rc = sl_decimal_from_int64(v->b, p, s, d);
        break;
    case SL_T_DECIMAL: {
        sl_decimal_t x = dec_of(v, from);
        rc = sl_decimal_rescale(&x, p, s, d);
        break;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if (!isfinite(v->f64)) return cast_fail(c, v, from, to, SL_EOVERFLOW);
        rc = sl_decimal_from_double(v->f64, p, s, d);
        break;
    case SL_T_CHAR: case SL_T_VARCHAR:
        rc = sl_decimal_parse(v->str, v->len, p, s, d);
        if (rc == -SL_EFORMAT) return cast_fail(c, v, from, to, SL_EFORMAT);
        break;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT: {
        sl_decimal_t x, m;
        rc = sl_decimal_from_int64(v->i64, 38, 0, &x);
        if (!rc) rc = sl_decimal_from_int64(interval_mult(from), 38, 0, &m);
        if (!rc) rc = sl_decimal_div_as(&x, &m, p, s, d);
        break;
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return flink_forbidden(c, from, to);
    default:
        return cast_fail(c, v, from, to, SL_ETYPE);
    }
    if (rc == -SL_EOVERFLOW) return cast_fail(c, v, from, to, SL_EOVERFLOW);
    if (rc) return cast_fail(c, v, from, to, rc == -SL_EINVAL ? SL_ETYPE : -rc);
    return 0;
}

static int to_double(const sl_value_t *v, const sl_type_t *from,
                     const sl_type_t *to, const cast_ctx_t *c, double *x)
{
    bool single = to->id == SL_T_FLOAT;
    switch (from->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        *x = single ? (double)(float)v->i64 : (double)v->i64;
        return 0;
    case SL_T_BOOLEAN:
        *x = v->b ? 1.0 : 0.0;
        return 0;
    case SL_T_DECIMAL: {
        sl_decimal_t d = dec_of(v, from);
        *x = sl_decimal_to_double(&d);
        break;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        *x = v->f64;
        break;
    case SL_T_CHAR: case SL_T_VARCHAR:
        if (parse_java_double(v->str, v->len, single, x))
            return cast_fail(c, v, from, to, SL_EFORMAT);
        break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return flink_forbidden(c, from, to);
    default:
        return cast_fail(c, v, from, to, SL_ETYPE);
    }
    if (single) *x = (double)(float)*x;
    return 0;
}

/* Formats v as CAST(v AS STRING) into the arena, then fits it to `to`. */
static int to_text(const sl_value_t *v, const sl_type_t *from,
                   const sl_type_t *to, const cast_ctx_t *c, sl_value_t *out)
{
    sl_abuf_t ab;
    sl_abuf_init(&ab, c->a);
    sink_t o = {NULL, &ab};
    int rc = fmt_rec(&o, v, from, SL_FMT_CAST, true);
    if (rc == -SL_ENOMEM) return sl_err_set(c->err, SL_ENOMEM, "out of memory");
    if (rc) return cast_fail(c, v, from, to, SL_ERANGE);
    rc = fit_string(ab.p ? ab.p : EMPTY, ab.len, to, false, c->a, out);
    if (rc) return sl_err_set(c->err, SL_ENOMEM, "out of memory");
    return 0;
}

static int cast_nested(const sl_value_t *v, const sl_type_t *from,
                       sl_value_t *out, const sl_type_t *to, const cast_ctx_t *c)
{
    if (from->id != to->id &&
        !(from->id == SL_T_ARRAY && to->id == SL_T_MULTISET) &&
        !(from->id == SL_T_MULTISET && to->id == SL_T_ARRAY))
        return cast_fail(c, v, from, to, SL_ETYPE);
    int n = v->nested ? v->nested->n : 0;
    int cnt = nested_count(v, from);
    if (to->id == SL_T_ROW && to->nfields != n && from->nfields == n)
        return cast_fail(c, v, from, to, SL_ETYPE);
    sl_nested_t *r = sl_arena_alloc(c->a, sizeof *r + (size_t)cnt * sizeof(sl_value_t));
    if (!r) return sl_err_set(c->err, SL_ENOMEM, "out of memory");
    r->n = n;
    for (int i = 0; i < cnt; i++) {
        const sl_value_t *e = &v->nested->v[i];
        const sl_type_t *ft = child_type(from, i, n), *tt = child_type(to, i, n);
        if (e->null || ft->id == SL_T_NULL) {
            r->v[i] = sl_value_null();
            continue;
        }
        int rc = cast_rec(e, ft, &r->v[i], tt, c);
        if (rc) return rc;
    }
    memset(out, 0, sizeof *out);
    out->nested = r;
    out->len = (uint32_t)n;
    return 0;
}

static int cast_rec(const sl_value_t *v, const sl_type_t *from, sl_value_t *out,
                    const sl_type_t *to, const cast_ctx_t *c)
{
    sl_value_t r;
    memset(&r, 0, sizeof r);
    int rc;
    if (v->null || from->id == SL_T_NULL || to->id == SL_T_NULL) {
        *out = sl_value_null();
        return 0;
    }
    switch (to->id) {
    case SL_T_BOOLEAN:
        switch (from->id) {
        case SL_T_BOOLEAN: r.b = v->b; break;
        case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
            r.b = v->i64 != 0;
            break;
        case SL_T_DECIMAL: r.b = v->dec != 0; break;
        case SL_T_FLOAT: case SL_T_DOUBLE: r.b = v->f64 != 0; break;
        case SL_T_CHAR: case SL_T_VARCHAR:
            if (parse_bool_cast(v->str, v->len, &r.b))
                return cast_fail(c, v, from, to, SL_EFORMAT);
            break;
        default:
            return cast_fail(c, v, from, to, SL_ETYPE);
        }
        break;
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT: {
        int64_t x, lo, hi;
        if ((rc = to_int64(v, from, to, c, &x))) return rc;
        int_range(to->id, &lo, &hi);
        if (x < lo || x > hi) return cast_fail(c, v, from, to, SL_EOVERFLOW);
        r.i64 = x;
        break;
    }
    case SL_T_DECIMAL: {
        if (!sl_decimal_type_valid(to->len, to->scale))
            return cast_fail(c, v, from, to, SL_ETYPE);
        sl_decimal_t d;
        if ((rc = to_decimal(v, from, to, c, &d))) return rc;
        r.dec = d.unscaled;
        break;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if ((rc = to_double(v, from, to, c, &r.f64))) return rc;
        break;
    case SL_T_CHAR: case SL_T_VARCHAR:
        if (is_str(from)) {
            rc = fit_string(v->str, v->len, to, true, c->a, &r);
        } else if (is_bin(from)) {
            if (!utf8_valid((const unsigned char *)v->str, v->len))
                return sl_err_set(c->err, SL_EFORMAT,
                                  "cannot cast BYTES to %s: not valid UTF-8",
                                  to->id == SL_T_CHAR ? "CHAR" : "VARCHAR");
            rc = fit_string(v->str, v->len, to, true, c->a, &r);
        } else {
            if ((rc = to_text(v, from, to, c, &r))) return rc;
        }
        if (rc) return sl_err_set(c->err, SL_ENOMEM, "out of memory");
        break;
    case SL_T_BINARY: case SL_T_VARBINARY:
        if (!is_str(from) && !is_bin(from)) return cast_fail(c, v, from, to, SL_ETYPE);
        if (fit_bytes(v->str, v->len, to, c->a, &r))
            return sl_err_set(c->err, SL_ENOMEM, "out of memory");
        break;
    case SL_T_DATE:
        switch (from->id) {
        case SL_T_DATE: r.date = v->date; break;
        case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
            r.date = sl_timestamp_date(v->ts);
            break;
        case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
            if (parse_date_cast(v->str, v->len, &r.date))
                return cast_fail(c, v, from, to, SL_EFORMAT);
            break;
        default:
            return cast_fail(c, v, from, to, SL_ETYPE);
        }
        break;
    case SL_T_TIME: {
        int p = to->len >= 0 && to->len <= 9 ? to->len : 0;
        switch (from->id) {
        case SL_T_TIME: r.time = sl_time_truncate(v->time, p); break;
        case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
            r.time = sl_time_truncate(sl_timestamp_time(v->ts), p);
            break;
        case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
            if (sl_time_parse(v->str, v->len, p, &r.time))
                return cast_fail(c, v, from, to, SL_EFORMAT);
            break;
        default:
            return cast_fail(c, v, from, to, SL_ETYPE);
        }
        break;
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        int p = to->len >= 0 && to->len <= 9 ? to->len : 6;
        switch (from->id) {
        case SL_T_DATE: r.ts = sl_timestamp_from_date(v->date); break;
        case SL_T_TIME:
            r.ts = sl_timestamp_truncate(sl_timestamp_make(0, v->time), p);
            break;
        case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
            /* UTC session time zone: the wall clock and the instant agree. */
            r.ts = sl_timestamp_truncate(v->ts, p);
            break;
        case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
            if (sl_timestamp_parse(v->str, v->len, p, &r.ts))
                return cast_fail(c, v, from, to, SL_EFORMAT);
            break;
        default:
            if (sl_type_is_numeric(from)) return flink_forbidden(c, from, to);
            return cast_fail(c, v, from, to, SL_ETYPE);
        }
        break;
    }
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT: {
        int64_t mult = interval_mult(to);
        if (from->id == to->id) {
            r.i64 = v->i64;
        } else if (is_int(from)) {
            if (__builtin_mul_overflow(v->i64, mult, &r.i64))
                return cast_fail(c, v, from, to, SL_EOVERFLOW);
        } else if (from->id == SL_T_DECIMAL) {
            sl_decimal_t d = dec_of(v, from), m, x;
            int64_t q;
            if (sl_decimal_from_int64(mult, 19, 0, &m) ||
                sl_decimal_mul_as(&d, &m, 38, 0, &x) || sl_decimal_to_int64(&x, &q))
                return cast_fail(c, v, from, to, SL_EOVERFLOW);
            r.i64 = q;
        } else if (is_str(from)) {
            int fu, tu, months;
            interval_units(to, &fu, &tu);
            int f = sl_unit_time_unit(fu);
            int t2 = tu == SL_U_NONE ? f : sl_unit_time_unit(tu);
            if (sl_interval_parse(v->str, v->len, f, t2, &r.i64, &months) ||
                months != (to->id == SL_T_INTERVAL_YM))
                return cast_fail(c, v, from, to, SL_EFORMAT);
        } else {
            return cast_fail(c, v, from, to, SL_ETYPE);
        }
        break;
    }
    case SL_T_ROW: case SL_T_ARRAY: case SL_T_MAP: case SL_T_MULTISET:
        return cast_nested(v, from, out, to, c);
    default:
        if (from->id == to->id) {
            *out = *v;
            return 0;
        }
        return cast_fail(c, v, from, to, SL_ETYPE);
    }
    *out = r;
    return 0;
}

int sl_value_cast(const sl_value_t *v, const sl_type_t *from, sl_value_t *out,
                  const sl_type_t *to, bool try_cast, sl_arena_t *a,
                  sl_err_t *err)
{
    sl_value_t r;
    cast_ctx_t c = {a, err};
    int rc = cast_rec(v, from, &r, to, &c);
    if (rc == 0) {
        *out = r;
        return 0;
    }
    /* TRY_CAST hides value errors, not casts Flink rejects outright. */
    if (try_cast && rc != -SL_ENOMEM && rc != -SL_ETYPE) {
        sl_err_clear(err);
        *out = sl_value_null();
        return 0;
    }
    return rc;
}

/* ---- parse ------------------------------------------------------------------ */

static int parse_fail(const char *s, size_t n, const sl_type_t *t, sl_err_t *err,
                      int code)
{
    char b[48];
    if (code == SL_EOVERFLOW || code == SL_ERANGE)
        return sl_err_set(err, code, "'%.*s'%s is out of range for %s", qlen(n), s,
                          n > QUOTE_MAX ? "..." : "", tname(t, b, sizeof b));
    return sl_err_set(err, code, "cannot parse '%.*s'%s as %s", qlen(n), s,
                      n > QUOTE_MAX ? "..." : "", tname(t, b, sizeof b));
}

int sl_value_parse(const char *s, size_t n, const sl_type_t *t, sl_value_t *out,
                   sl_arena_t *a, sl_err_t *err)
{
    sl_value_t r;
    memset(&r, 0, sizeof r);
    int rc;
    switch (t->id) {
    case SL_T_NULL:
        *out = sl_value_null();
        return 0;
    case SL_T_BOOLEAN: {
        const char *p = s;
        size_t m = n;
        trim(&p, &m);
        if (ieq(p, m, "true")) r.b = true;
        else if (ieq(p, m, "false")) r.b = false;
        else return parse_fail(s, n, t, err, SL_EFORMAT);
        break;
    }
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT: {
        int64_t lo, hi;
        rc = parse_int_strict(s, n, &r.i64);
        if (rc) return parse_fail(s, n, t, err, -rc);
        int_range(t->id, &lo, &hi);
        if (r.i64 < lo || r.i64 > hi) return parse_fail(s, n, t, err, SL_EOVERFLOW);
        break;
    }
    case SL_T_DECIMAL: {
        sl_decimal_t d;
        rc = sl_decimal_parse(s, n, t->len, t->scale, &d);
        if (rc) return parse_fail(s, n, t, err, rc == -SL_EINVAL ? SL_ETYPE : -rc);
        r.dec = d.unscaled;
        break;
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if (parse_java_double(s, n, t->id == SL_T_FLOAT, &r.f64))
            return parse_fail(s, n, t, err, SL_EFORMAT);
        break;
    case SL_T_CHAR: case SL_T_VARCHAR:
        if (n > UINT32_MAX) return parse_fail(s, n, t, err, SL_ERANGE);
        if (n) {
            char *p = sl_arena_alloc(a, n);
            if (!p) return sl_err_set(err, SL_ENOMEM, "out of memory");
            memcpy(p, s, n);
            r.str = p;
        } else {
            r.str = EMPTY;
        }
        r.len = (uint32_t)n;
        break;
    case SL_T_BINARY: case SL_T_VARBINARY: {
        const char *p = s;
        size_t m = n;
        trim(&p, &m);
        unsigned char *d = sl_arena_alloc(a, m / 4 * 3 + 4);
        if (!d) return sl_err_set(err, SL_ENOMEM, "out of memory");
        long len = sl_base64_decode(p, m, d);
        if (len < 0)
            return sl_err_set(err, SL_EFORMAT, "cannot parse '%.*s'%s as %s: not base64",
                              qlen(n), s, n > QUOTE_MAX ? "..." : "",
                              t->id == SL_T_BINARY ? "BINARY" : "BYTES");
        r.str = (const char *)d;
        r.len = (uint32_t)len;
        break;
    }
    case SL_T_DATE:
        if (sl_date_parse(s, n, &r.date)) return parse_fail(s, n, t, err, SL_EFORMAT);
        break;
    case SL_T_TIME:
        if (sl_time_parse(s, n, t->len >= 0 && t->len <= 9 ? t->len : 0, &r.time))
            return parse_fail(s, n, t, err, SL_EFORMAT);
        break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        const char *p = s;
        size_t m = n;
        trim(&p, &m);
        if (m && (p[m - 1] == 'Z' || p[m - 1] == 'z')) m--;
        if (sl_timestamp_parse(p, m, t->len >= 0 && t->len <= 9 ? t->len : 6, &r.ts))
            return parse_fail(s, n, t, err, SL_EFORMAT);
        break;
    }
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        rc = parse_int_strict(s, n, &r.i64);
        if (rc) return parse_fail(s, n, t, err, -rc);
        break;
    default: {
        char b[48];
        return sl_err_set(err, SL_EUNSUPPORTED, "cannot parse text as %s",
                          tname(t, b, sizeof b));
    }
    }
    *out = r;
    return 0;
}
