/* myjson.c - MySQL's binary JSON to the text MySQL's SELECT prints.
 *
 * The format (MySQL's sql-common/json_binary.h/.cc):
 *
 *   doc    := type value
 *   type   := 0x00 small object | 0x01 large object | 0x02 small array
 *           | 0x03 large array  | 0x04 literal      | 0x05 int16
 *           | 0x06 uint16       | 0x07 int32        | 0x08 uint32
 *           | 0x09 int64        | 0x0a uint64       | 0x0b double
 *           | 0x0c string       | 0x0f opaque
 *   object := count size key-entry* value-entry* key* value*
 *   array  := count size value-entry* value*
 *
 * count and size are 2 bytes (small) or 4 bytes (large), little-endian;
 * size covers the whole container from its count field on, and every
 * offset is relative to that same start. A key entry is an offset plus a
 * 2-byte length; a value entry is a type byte plus an offset, or the value
 * itself when it fits (literal, int16, uint16; int32 and uint32 too in the
 * large format). A string is a variable-length length (7 bits a byte, low
 * group first, high bit set on all but the last byte, at most 5 bytes)
 * and the bytes; an opaque value is a MySQL field-type byte, a
 * variable-length length and the bytes.
 *
 * The checks are MySQL's own (parse_binary, parse_array_or_object,
 * parse_scalar, Value::element, Value::key): a container's size may not
 * exceed what is left of its parent, its header must fit in its size, a
 * value entry's offset must lie past that entry and within the container,
 * a key must start past the last value entry and end within the
 * container. Bytes after the top-level value are ignored, as MySQL does.
 * Element offsets may share bytes (MySQL does not check); the text is
 * capped at TEXT_RATIO characters a document byte so that sharing cannot
 * blow it up exponentially.
 * In addition, to refuse values MySQL never writes rather than print
 * garbage: a DECIMAL must be canonical (each digit group in range), a
 * temporal value exactly 8 bytes.
 *
 * The text (Json_wrapper::to_string -> wrapper_to_string in json_dom.cc,
 * MySQL 8.0):
 *   - objects {"k": v, "k2": v2} in stored order, arrays [1, 2], ", " and
 *     ": " separators; nesting beyond 100 levels is an error (MySQL's
 *     JSON_DOCUMENT_MAX_DEPTH with check_json_depth(++depth));
 *   - strings double-quoted, escaping " \ \b \f \n \r \t and the other
 *     bytes < 0x20 as \u00xx (lower-case hex); every other byte as is;
 *   - integers in decimal;
 *   - doubles with my_gcvt(d, MY_GCVT_ARG_DOUBLE, MY_GCVT_MAX_FIELD_WIDTH)
 *     plus ".0" when that has neither '.' nor 'e' (see format_double);
 *   - opaque NEWDECIMAL (246): decimal2string of the value, all `scale`
 *     fraction digits kept ("1.50");
 *   - opaque DATE (10), TIME (11), DATETIME (12), TIMESTAMP (7): the
 *     packed longlong temporal printed with my_TIME_to_str(t, 6), quoted:
 *     "2015-01-15", "23:24:25.000000", "2015-01-15 23:24:25.000000";
 *   - opaque VAR_STRING (253): a plain JSON string (MySQL 8.0 treats
 *     strings saved in opaque as strings);
 *   - any other opaque: "base64:type<N>:<base64>" quoted, where MySQL's
 *     base64_encode breaks lines every 76 characters (so "\n" escapes
 *     appear in long values).
 */
#include "connectors/mysql/myjson.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    JB_SMALL_OBJECT = 0x00,
    JB_LARGE_OBJECT = 0x01,
    JB_SMALL_ARRAY = 0x02,
    JB_LARGE_ARRAY = 0x03,
    JB_LITERAL = 0x04,
    JB_INT16 = 0x05,
    JB_UINT16 = 0x06,
    JB_INT32 = 0x07,
    JB_UINT32 = 0x08,
    JB_INT64 = 0x09,
    JB_UINT64 = 0x0a,
    JB_DOUBLE = 0x0b,
    JB_STRING = 0x0c,
    JB_OPAQUE = 0x0f,
};

enum { JB_LIT_NULL = 0x00, JB_LIT_TRUE = 0x01, JB_LIT_FALSE = 0x02 };

/* MySQL field types that have their own text form inside JSON. */
enum {
    MYT_TIMESTAMP = 7,
    MYT_DATE = 10,
    MYT_TIME = 11,
    MYT_DATETIME = 12,
    MYT_NEWDECIMAL = 246,
    MYT_VAR_STRING = 253,
};

#define JB_MAX_DEPTH 100

/* No document whose values are laid out one after another (as MySQL
 * writes them) prints more than 6 characters a byte (a control character
 * in a string becomes \u00xx; everything else prints shorter). Element
 * offsets may point at the same bytes, though, and a few hundred bytes of
 * such sharing would print exponentially much text, so the text is capped
 * at TEXT_RATIO characters per document byte (plus a little). */
#define TEXT_RATIO 8

typedef struct jctx {
    sl_strbuf_t *out;
    sl_err_t *err;
    size_t limit; /* out->len may not grow past this */
} jctx_t;

static int bad(jctx_t *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bad(jctx_t *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sl_err_vat(c->err, SL_EINVAL, -1, 0, fmt, ap);
    va_end(ap);
    return rc;
}

static int nomem(jctx_t *c)
{
    return sl_err_set(c->err, SL_ENOMEM, "JSON value: out of memory");
}

static int put(jctx_t *c, const void *p, size_t n)
{
    if (n > c->limit - c->out->len)
        return bad(c, "JSON value: text longer than %d times the document "
                      "(values shared between elements?)", TEXT_RATIO);
    return sl_strbuf_append(c->out, p, n) ? nomem(c) : 0;
}

static int puts_(jctx_t *c, const char *s)
{
    return put(c, s, strlen(s));
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Reads a variable-length length (json_binary.cc read_variable_length):
 * at most 5 bytes, at most n available, the value must fit 32 bits.
 * Returns false when malformed. */
static bool read_varlen(const uint8_t *p, size_t n, uint32_t *val, size_t *used)
{
    uint64_t v = 0;
    size_t max = n < 5 ? n : 5;
    for (size_t i = 0; i < max; i++) {
        v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            if (v > UINT32_MAX) return false;
            *val = (uint32_t)v;
            *used = i + 1;
            return true;
        }
    }
    return false;
}

/* ---- strings --------------------------------------------------------------- */

/* Appends s[0..n) double-quoted with MySQL's escapes (json_dom.cc
 * double_quote / escape_character). */
static int put_quoted(jctx_t *c, const uint8_t *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (sl_strbuf_reserve(c->out, n + 2)) return nomem(c);
    int rc = put(c, "\"", 1);
    size_t run = 0; /* start of the pending unescaped run */
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint8_t ch = s[i];
        if (ch > 0x1f && ch != '"' && ch != '\\') continue;
        rc = put(c, s + run, i - run);
        run = i + 1;
        if (rc) break;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t k = 2;
        switch (ch) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[ch >> 4];
            esc[5] = hex[ch & 0xf];
            k = 6;
        }
        rc = put(c, esc, k);
    }
    if (rc == 0) rc = put(c, s + run, n - run);
    if (rc == 0) rc = put(c, "\"", 1);
    return rc;
}

/* ---- doubles --------------------------------------------------------------- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod independent of the process locale. */
static double strtod_c(const char *s)
{
    pthread_once(&c_locale_once, c_locale_init);
    return c_locale ? strtod_l(s, NULL, c_locale) : strtod(s, NULL);
}

/* Does the decimal 0.DIG * 10^decpt (nd digits) read back as v? */
static bool reads_back(const char *dig, int nd, int decpt, double v)
{
    char s[48];
    int k = 0;
    s[k++] = dig[0];
    if (nd > 1) {
        s[k++] = '.';
        memcpy(s + k, dig + 1, (size_t)nd - 1);
        k += nd - 1;
    }
    snprintf(s + k, sizeof s - (size_t)k, "e%d", decpt - 1);
    return strtod_c(s) == v;
}

/* The p significant digits of v (> 0, finite) correctly rounded (glibc's
 * printf is exact and rounds half to even): dig gets p digits, *decpt is
 * such that the decimal is 0.DIG * 10^decpt. */
static void round_digits(double v, int p, char *dig, int *decpt)
{
    char s[48];
    snprintf(s, sizeof s, "%.*e", p - 1, v);
    /* "d[<radix>ddd]e[+-]XX"; the radix character depends on the locale,
     * so collect the digits before the 'e' whatever separates them. */
    int nd = 0;
    const char *q = s;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < p) dig[nd++] = *q;
    *decpt = atoi(q + 1) + 1;
}

/* The shortest digit string that reads back as v (> 0, finite) and, of
 * the shortest ones, the nearest to v: what dtoa() returns in mode 0, and
 * in mode 4 with ndigits >= 17 as my_gcvt calls it. For each length p the
 * two p-digit neighbours of v are candidates (the nearer first); the
 * farther one matters only where the rounding interval is lopsided (v a
 * power of two, whose lower neighbour is twice as close). Returns the
 * digit count (no trailing zeros). */
static int shortest_digits(double v, char *dig, int *decpt)
{
    for (int p = 1; p <= 17; p++) {
        char d[24];
        int e;
        round_digits(v, p, d, &e);
        if (reads_back(d, p, e, v)) {
            memcpy(dig, d, (size_t)p);
            *decpt = e;
            goto trim;
        }
        /* the neighbour on the other side of v */
        char s[48];
        s[0] = '0';
        s[1] = '.';
        memcpy(s + 2, d, (size_t)p);
        snprintf(s + 2 + p, sizeof s - 2 - (size_t)p, "e%d", e);
        bool up = strtod_c(s) < v;
        char a[24];
        int ae = e;
        memcpy(a, d, (size_t)p);
        int i = p - 1;
        if (up) {
            while (i >= 0 && a[i] == '9') a[i--] = '0';
            if (i < 0) { /* 99..9 -> 100..0, one more decimal place */
                a[0] = '1';
                ae++;
            } else {
                a[i]++;
            }
        } else {
            while (i >= 0 && a[i] == '0') a[i--] = '9';
            a[i]--; /* d has a nonzero leading digit, so i >= 0 */
            if (a[0] == '0') { /* 100..0 -> 99..9 at one place lower */
                memset(a, '9', (size_t)p);
                ae--;
            }
        }
        if (reads_back(a, p, ae, v)) {
            memcpy(dig, a, (size_t)p);
            *decpt = ae;
            goto trim;
        }
        continue;
    trim:
        while (p > 1 && dig[p - 1] == '0') p--;
        return p;
    }
    /* unreachable: 17 digits always read back */
    round_digits(v, 17, dig, decpt);
    int p = 17;
    while (p > 1 && dig[p - 1] == '0') p--;
    return p;
}

/* Formats d as MySQL 8.0 prints a JSON double (json_dom.cc
 * wrapper_to_string, J_DOUBLE): my_gcvt(d, MY_GCVT_ARG_DOUBLE,
 * MY_GCVT_MAX_FIELD_WIDTH = 34, ...) then ".0" appended when the result
 * has neither '.' nor 'e'.
 *
 * my_gcvt takes dtoa's shortest round-trip digits D (n <= 17 of them,
 * value 0.D * 10^decpt) and, with a 34-character field (33 for a negative
 * number) every such number fits, so its format choice reduces to:
 *   fixed when decpt >= -14 and (decpt <= 15 or decpt < n), that is
 *       1e-15 <= |d| < 1e15 or |d| >= 1e15 with a fraction (only
 *       possible with 17 digits): "0.000ddd", "ddd.ddd", "ddd000";
 *   otherwise exponent form: first digit, "." and the rest if n > 1,
 *       "e", "-" for a negative exponent, the exponent without padding:
 *       "1e300", "1.5e-20", "1e15".
 * Zero is "0" (and "-0" for negative zero: dtoa keeps the sign), NaN and
 * infinities, which dtoa reports as overflow, are "0"; all get ".0". So
 * 0.1 -> 0.1, 100 -> 100.0, 1.5e-7 -> 0.00000015, 1e15 -> 1e15.
 * Writes at most 36 characters and a NUL to buf; returns the length. */
static int format_double(double d, char *buf)
{
    char dig[24];
    int n, decpt;
    bool neg = signbit(d) != 0;
    char *o = buf;
    if (!isfinite(d)) {
        neg = false;
        dig[0] = '0';
        n = 1;
        decpt = 1;
    } else if (d == 0) {
        dig[0] = '0';
        n = 1;
        decpt = 1;
    } else {
        n = shortest_digits(fabs(d), dig, &decpt);
    }
    if (neg) *o++ = '-';
    if (decpt >= -14 && (decpt <= 15 || decpt < n)) {
        if (decpt <= 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = decpt; i < 0; i++) *o++ = '0';
            memcpy(o, dig, (size_t)n);
            o += n;
        } else {
            for (int i = 0; i < n; i++) {
                *o++ = dig[i];
                if (i + 1 == decpt && i + 1 < n) *o++ = '.';
            }
            for (int i = n; i < decpt; i++) *o++ = '0';
            if (decpt >= n) {
                *o++ = '.';
                *o++ = '0';
            }
        }
    } else {
        *o++ = dig[0];
        if (n > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)n - 1);
            o += n - 1;
        }
        o += sprintf(o, "e%d", decpt - 1);
    }
    *o = '\0';
    return (int)(o - buf);
}

/* ---- opaque values -------------------------------------------------------- */

/* DECIMAL: precision byte, scale byte, then MySQL's packed binary decimal
 * (decimal.cc decimal2bin/bin2decimal), printed as decimal2string does. */
static int put_decimal(jctx_t *c, const uint8_t *p, size_t n)
{
    static const int dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    static const uint32_t pow10[10] = {1,      10,      100,      1000,
                                       10000,  100000,  1000000,  10000000,
                                       100000000, 1000000000};
    if (n < 2) return bad(c, "JSON value: DECIMAL of %zu bytes", n);
    int prec = (int8_t)p[0], scale = (int8_t)p[1];
    if (prec < 1 || scale < 0 || scale > prec)
        return bad(c, "JSON value: DECIMAL with precision %d and scale %d",
                   prec, scale);
    int intg = prec - scale;
    int intg0 = intg / 9, intg0x = intg % 9;
    int frac0 = scale / 9, frac0x = scale % 9;
    /* MySQL's decimal buffer holds 9 groups of 9 digits */
    if (intg0 + (intg0x > 0) + frac0 + (frac0x > 0) > 9)
        return bad(c, "JSON value: DECIMAL with precision %d and scale %d",
                   prec, scale);
    size_t size = (size_t)intg0 * 4 + (size_t)dig2bytes[intg0x] +
                  (size_t)frac0 * 4 + (size_t)dig2bytes[frac0x];
    if (size != n - 2)
        return bad(c, "JSON value: DECIMAL(%d,%d) of %zu bytes, expected %zu",
                   prec, scale, n - 2, size);
    const uint8_t *b = p + 2;
    uint8_t mask = (b[0] & 0x80) ? 0 : 0xff; /* negative: all bits inverted */
    size_t at = 0;

    char digits[96]; /* intg digits then scale digits */
    int nd = 0;
    /* reads k bytes big-endian, undoing the sign bit and the inversion */
#define DEC_READ(k, out)                                                    \
    do {                                                                    \
        uint32_t v_ = 0;                                                    \
        for (int j_ = 0; j_ < (k); j_++) {                                  \
            uint8_t byte_ = b[at] ^ mask;                                   \
            if (at == 0) byte_ ^= 0x80;                                     \
            v_ = v_ << 8 | byte_;                                           \
            at++;                                                           \
        }                                                                   \
        (out) = v_;                                                         \
    } while (0)
    uint32_t g;
    if (intg0x) {
        DEC_READ(dig2bytes[intg0x], g);
        if (g >= pow10[intg0x]) goto bad_digits;
        nd += sprintf(digits + nd, "%0*" PRIu32, intg0x, g);
    }
    for (int i = 0; i < intg0; i++) {
        DEC_READ(4, g);
        if (g > 999999999) goto bad_digits;
        nd += sprintf(digits + nd, "%09" PRIu32, g);
    }
    for (int i = 0; i < frac0; i++) {
        DEC_READ(4, g);
        if (g > 999999999) goto bad_digits;
        nd += sprintf(digits + nd, "%09" PRIu32, g);
    }
    if (frac0x) {
        DEC_READ(dig2bytes[frac0x], g);
        if (g >= pow10[frac0x]) goto bad_digits;
        nd += sprintf(digits + nd, "%0*" PRIu32, frac0x, g);
    }
#undef DEC_READ
    {
        char text[100];
        int k = 0;
        if (mask) text[k++] = '-';
        int lead = 0;
        while (lead < intg && digits[lead] == '0') lead++;
        if (lead == intg) {
            text[k++] = '0';
        } else {
            memcpy(text + k, digits + lead, (size_t)(intg - lead));
            k += intg - lead;
        }
        if (scale) {
            text[k++] = '.';
            memcpy(text + k, digits + intg, (size_t)scale);
            k += scale;
        }
        return put(c, text, (size_t)k);
    }
bad_digits:
    return bad(c, "JSON value: DECIMAL(%d,%d) digit group out of range",
               prec, scale);
}

/* Appends v as exactly `width` digits (the low ones), as my_time.cc's
 * write_digits does. */
static char *digits_n(char *o, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

/* my_time.cc format_two_digits: out-of-range values print as "00". */
static char *two(char *o, uint64_t v)
{
    return digits_n(o, v < 100 ? v : 0, 2);
}

/* DATE / TIME / DATETIME / TIMESTAMP: an 8-byte little-endian packed
 * temporal (my_time.cc TIME_from_longlong_{date,time,datetime}_packed),
 * printed with my_TIME_to_str(t, 6) in double quotes. */
static int put_temporal(jctx_t *c, unsigned ftype, const uint8_t *p, size_t n)
{
    if (n != 8)
        return bad(c, "JSON value: temporal value (type %u) of %zu bytes, "
                      "expected 8", ftype, n);
    int64_t packed = (int64_t)rd64(p);
    bool neg = packed < 0;
    uint64_t t = neg ? 0 - (uint64_t)packed : (uint64_t)packed;
    uint64_t frac = t % (1u << 24);
    uint64_t ipart = t >> 24;
    char buf[64];
    char *o = buf;
    *o++ = '"';
    if (ftype == MYT_TIME) {
        uint64_t hour = (ipart >> 12) % (1 << 10);
        uint64_t minute = (ipart >> 6) % (1 << 6);
        uint64_t second = ipart % (1 << 6);
        if (neg) *o++ = '-';
        int hd = 2;
        for (uint64_t h = hour; h >= 100; h /= 10) hd++;
        o = digits_n(o, hour, hd);
        *o++ = ':';
        o = two(o, minute);
        *o++ = ':';
        o = two(o, second);
        *o++ = '.';
        o = digits_n(o, frac, 6);
    } else {
        /* the sign of a date/datetime is dropped by its printer */
        uint64_t ymd = ipart >> 17, hms = ipart % (1 << 17);
        uint64_t ym = ymd >> 5;
        uint64_t day = ymd % (1 << 5), month = ym % 13, year = ym / 13;
        o = two(o, year / 100);
        o = two(o, year % 100);
        *o++ = '-';
        o = two(o, month);
        *o++ = '-';
        o = two(o, day);
        if (ftype != MYT_DATE) {
            *o++ = ' ';
            o = two(o, hms >> 12);
            *o++ = ':';
            o = two(o, (hms >> 6) % (1 << 6));
            *o++ = ':';
            o = two(o, hms % (1 << 6));
            *o++ = '.';
            o = digits_n(o, frac, 6);
        }
    }
    *o++ = '"';
    return put(c, buf, (size_t)(o - buf));
}

/* Any other opaque value: "base64:type<N>:<data in base64>", with MySQL's
 * base64_encode line breaks (a '\n' before every 77th, 153rd, ... output
 * character), escaped like any string. */
static int put_opaque_base64(jctx_t *c, unsigned ftype, const uint8_t *p,
                             size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t chars = (n + 2) / 3 * 4;
    size_t cap = 32 + chars + (chars ? (chars - 1) / 76 : 0);
    char *s = malloc(cap);
    if (!s) return nomem(c);
    size_t k = (size_t)snprintf(s, cap, "base64:type%u:", ftype);
    size_t line = 0;
    for (size_t i = 0; i < n; i += 3, line += 4) {
        if (line == 76) {
            line = 0;
            s[k++] = '\n';
        }
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        s[k++] = tab[(v >> 18) & 0x3f];
        s[k++] = tab[(v >> 12) & 0x3f];
        s[k++] = i + 1 < n ? tab[(v >> 6) & 0x3f] : '=';
        s[k++] = i + 2 < n ? tab[v & 0x3f] : '=';
    }
    int rc = put_quoted(c, (const uint8_t *)s, k);
    free(s);
    return rc;
}

/* ---- values --------------------------------------------------------------- */

static int put_value(jctx_t *c, uint8_t type, const uint8_t *p, size_t n,
                     int depth);

/* A scalar of the given type at p, with at most n bytes available
 * (json_binary.cc parse_scalar). */
static int put_scalar(jctx_t *c, uint8_t type, const uint8_t *p, size_t n)
{
    char num[48];
    switch (type) {
    case JB_LITERAL:
        if (n < 1) return bad(c, "JSON value: literal beyond the document");
        switch (p[0]) {
        case JB_LIT_NULL: return puts_(c, "null");
        case JB_LIT_TRUE: return puts_(c, "true");
        case JB_LIT_FALSE: return puts_(c, "false");
        default: return bad(c, "JSON value: unknown literal 0x%02x", p[0]);
        }
    case JB_INT16:
    case JB_UINT16:
        if (n < 2) return bad(c, "JSON value: integer beyond the document");
        if (type == JB_INT16)
            snprintf(num, sizeof num, "%d", (int)(int16_t)rd16(p));
        else
            snprintf(num, sizeof num, "%u", (unsigned)rd16(p));
        return puts_(c, num);
    case JB_INT32:
    case JB_UINT32:
        if (n < 4) return bad(c, "JSON value: integer beyond the document");
        if (type == JB_INT32)
            snprintf(num, sizeof num, "%" PRId32, (int32_t)rd32(p));
        else
            snprintf(num, sizeof num, "%" PRIu32, rd32(p));
        return puts_(c, num);
    case JB_INT64:
    case JB_UINT64:
        if (n < 8) return bad(c, "JSON value: integer beyond the document");
        if (type == JB_INT64)
            snprintf(num, sizeof num, "%" PRId64, (int64_t)rd64(p));
        else
            snprintf(num, sizeof num, "%" PRIu64, rd64(p));
        return puts_(c, num);
    case JB_DOUBLE: {
        if (n < 8) return bad(c, "JSON value: double beyond the document");
        uint64_t bits = rd64(p);
        double d;
        memcpy(&d, &bits, sizeof d);
        int k = format_double(d, num);
        return put(c, num, (size_t)k);
    }
    case JB_STRING: {
        uint32_t slen;
        size_t used;
        if (!read_varlen(p, n, &slen, &used))
            return bad(c, "JSON value: bad string length");
        if (slen > n - used)
            return bad(c, "JSON value: string of %" PRIu32
                          " bytes beyond the document", slen);
        return put_quoted(c, p + used, slen);
    }
    case JB_OPAQUE: {
        if (n < 1) return bad(c, "JSON value: opaque value beyond the document");
        unsigned ftype = p[0];
        uint32_t dlen;
        size_t used;
        if (!read_varlen(p + 1, n - 1, &dlen, &used))
            return bad(c, "JSON value: bad opaque value length");
        if (dlen > n - 1 - used)
            return bad(c, "JSON value: opaque value of %" PRIu32
                          " bytes beyond the document", dlen);
        const uint8_t *d = p + 1 + used;
        switch (ftype) {
        case MYT_NEWDECIMAL: return put_decimal(c, d, dlen);
        case MYT_DATE:
        case MYT_TIME:
        case MYT_DATETIME:
        case MYT_TIMESTAMP: return put_temporal(c, ftype, d, dlen);
        case MYT_VAR_STRING: return put_quoted(c, d, dlen);
        default: return put_opaque_base64(c, ftype, d, dlen);
        }
    }
    default:
        return bad(c, "JSON value: unknown type 0x%02x", type);
    }
}

/* An object or array at p with at most n bytes available
 * (json_binary.cc parse_array_or_object, Value::element, Value::key). */
static int put_container(jctx_t *c, bool object, bool large, const uint8_t *p,
                         size_t n, int depth)
{
    if (depth > JB_MAX_DEPTH)
        return bad(c, "JSON value: nested deeper than %d levels", JB_MAX_DEPTH);
    size_t osz = large ? 4 : 2;
    if (n < 2 * osz)
        return bad(c, "JSON value: %s header beyond the document",
                   object ? "object" : "array");
    uint64_t count = large ? rd32(p) : rd16(p);
    uint64_t size = large ? rd32(p + osz) : rd16(p + osz);
    if (size > n)
        return bad(c, "JSON value: %s of %" PRIu64 " bytes beyond the document"
                      " (%zu left)", object ? "object" : "array", size, n);
    size_t kes = osz + 2; /* key entry: offset, 2-byte length */
    size_t ves = 1 + osz; /* value entry: type, offset or inlined value */
    uint64_t header = 2 * osz + count * ((object ? kes : 0) + ves);
    if (header > size)
        return bad(c, "JSON value: %s of %" PRIu64 " elements does not fit "
                      "its %" PRIu64 " bytes", object ? "object" : "array",
                   count, size);
    size_t first_value = 2 * osz + (object ? (size_t)count * kes : 0);
    int rc = put(c, object ? "{" : "[", 1);
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (i > 0 && (rc = put(c, ", ", 2))) break;
        if (object) {
            size_t ke = 2 * osz + i * kes;
            uint64_t koff = large ? rd32(p + ke) : rd16(p + ke);
            uint64_t klen = rd16(p + ke + osz);
            if (koff < header || koff + klen > size) {
                rc = bad(c, "JSON value: key %zu at offset %" PRIu64
                            " (%" PRIu64 " bytes) outside its object", i,
                         koff, klen);
                break;
            }
            if ((rc = put_quoted(c, p + koff, (size_t)klen))) break;
            if ((rc = put(c, ": ", 2))) break;
        }
        size_t ve = first_value + i * ves;
        uint8_t type = p[ve];
        bool inlined = type == JB_LITERAL || type == JB_INT16 ||
                       type == JB_UINT16 ||
                       (large && (type == JB_INT32 || type == JB_UINT32));
        if (inlined) {
            rc = put_scalar(c, type, p + ve + 1, ves - 1);
        } else {
            uint64_t voff = large ? rd32(p + ve + 1) : rd16(p + ve + 1);
            if (voff > size || voff < ve + ves) {
                rc = bad(c, "JSON value: element %zu at offset %" PRIu64
                            " outside its %s", i, voff,
                         object ? "object" : "array");
                break;
            }
            rc = put_value(c, type, p + voff, (size_t)(size - voff), depth);
        }
    }
    if (rc == 0) rc = put(c, object ? "}" : "]", 1);
    return rc;
}

/* A value of the given type at p, at most n bytes available; depth is the
 * number of containers around it. */
static int put_value(jctx_t *c, uint8_t type, const uint8_t *p, size_t n,
                     int depth)
{
    switch (type) {
    case JB_SMALL_OBJECT: return put_container(c, true, false, p, n, depth + 1);
    case JB_LARGE_OBJECT: return put_container(c, true, true, p, n, depth + 1);
    case JB_SMALL_ARRAY: return put_container(c, false, false, p, n, depth + 1);
    case JB_LARGE_ARRAY: return put_container(c, false, true, p, n, depth + 1);
    default: return put_scalar(c, type, p, n);
    }
}

/* Appends the text of p[0..len) to out (which the caller owns); on error
 * out is left as it was. Only reads p; keeps no reference to it. */
int sl_myjson_to_text(const uint8_t *p, size_t len, sl_strbuf_t *out,
                      sl_err_t *err)
{
    size_t mark = out->len;
    size_t room = len < (SIZE_MAX - 64 - mark) / TEXT_RATIO
                      ? len * TEXT_RATIO + 64
                      : SIZE_MAX - mark;
    jctx_t c = {out, err, mark + room};
    if (len == 0) return puts_(&c, "null");
    int rc = put_value(&c, p[0], p + 1, len - 1, 0);
    if (rc && out->buf) {
        out->len = mark;
        out->buf[mark] = '\0';
    }
    return rc;
}
