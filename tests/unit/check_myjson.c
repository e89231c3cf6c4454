/* check_myjson.c - unit tests for MySQL binary JSON to text
 * (connectors/mysql/myjson.h).
 *
 * Documents are built with a small encoder below that lays values out the
 * way MySQL's json_binary::serialize does (keys, then values, after the
 * entries; literals and 16-bit integers inlined, 32-bit ones too in the
 * large format). The expected texts are what MySQL 8.0's
 * Json_wrapper::to_string prints (json_dom.cc wrapper_to_string, my_gcvt,
 * decimal2string, my_TIME_to_str, base64_encode). Malformed input: every
 * truncation of every valid document, hand-made broken headers and
 * offsets, and random byte mutations must give -SL_EINVAL (never a crash)
 * and leave the output buffer as it was. */
#include "connectors/mysql/myjson.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

/* ---- encoder ------------------------------------------------------------- */

/* Encoded values live in a bump pool, reset before every test. */
static uint8_t pool[1 << 22];
static size_t pool_n;

static void pool_reset(void) { pool_n = 0; }

static uint8_t *palloc(size_t n)
{
    REQUIRE(pool_n + n <= sizeof pool);
    uint8_t *p = pool + pool_n;
    pool_n += n;
    return p;
}

/* A value: its type byte and its payload (what follows the type byte). */
typedef struct jv {
    uint8_t type;
    const uint8_t *p;
    size_t n;
} jv_t;

static void le(uint8_t *p, uint64_t v, int k)
{
    for (int i = 0; i < k; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static jv_t jv_raw(uint8_t type, const void *p, size_t n)
{
    uint8_t *q = palloc(n ? n : 1);
    if (n) memcpy(q, p, n);
    return (jv_t){type, q, n};
}

static jv_t jv_lit(uint8_t v) { return jv_raw(0x04, &v, 1); }

static jv_t jv_int(uint8_t type, uint64_t v)
{
    int k = type <= 0x06 ? 2 : type <= 0x08 ? 4 : 8;
    uint8_t b[8];
    le(b, v, k);
    return jv_raw(type, b, (size_t)k);
}

static jv_t jv_dbl(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    uint8_t b[8];
    le(b, u, 8);
    return jv_raw(0x0b, b, 8);
}

static size_t varlen(uint8_t *o, size_t v)
{
    size_t k = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v) b |= 0x80;
        o[k++] = b;
    } while (v);
    return k;
}

static jv_t jv_strn(const char *s, size_t n)
{
    uint8_t *q = palloc(n + 5);
    size_t k = varlen(q, n);
    memcpy(q + k, s, n);
    return (jv_t){0x0c, q, k + n};
}

static jv_t jv_str(const char *s) { return jv_strn(s, strlen(s)); }

static jv_t jv_opaque(uint8_t ftype, const void *d, size_t n)
{
    uint8_t *q = palloc(n + 6);
    q[0] = ftype;
    size_t k = 1 + varlen(q + 1, n);
    if (n) memcpy(q + k, d, n);
    return (jv_t){0x0f, q, k + n};
}

static bool inlined(uint8_t t, bool large)
{
    return t == 0x04 || t == 0x05 || t == 0x06 ||
           (large && (t == 0x07 || t == 0x08));
}

static jv_t jv_container(bool object, bool large, size_t cnt,
                         const char *const *keys, const jv_t *vals)
{
    size_t osz = large ? 4 : 2, kes = osz + 2, ves = 1 + osz;
    size_t header = 2 * osz + cnt * ((object ? kes : 0) + ves);
    size_t size = header;
    for (size_t i = 0; i < cnt; i++) {
        if (object) size += strlen(keys[i]);
        if (!inlined(vals[i].type, large)) size += vals[i].n;
    }
    uint8_t *q = palloc(size);
    memset(q, 0, size);
    le(q, cnt, (int)osz);
    le(q + osz, size, (int)osz);
    size_t at = header;
    if (object) {
        for (size_t i = 0; i < cnt; i++) {
            size_t kl = strlen(keys[i]);
            le(q + 2 * osz + i * kes, at, (int)osz);
            le(q + 2 * osz + i * kes + osz, kl, 2);
            memcpy(q + at, keys[i], kl);
            at += kl;
        }
    }
    size_t first = 2 * osz + (object ? cnt * kes : 0);
    for (size_t i = 0; i < cnt; i++) {
        size_t ve = first + i * ves;
        q[ve] = vals[i].type;
        if (inlined(vals[i].type, large)) {
            REQUIRE(vals[i].n <= ves - 1);
            memcpy(q + ve + 1, vals[i].p, vals[i].n);
        } else {
            le(q + ve + 1, at, (int)osz);
            memcpy(q + at, vals[i].p, vals[i].n);
            at += vals[i].n;
        }
    }
    REQUIRE(at == size);
    uint8_t type = object ? (large ? 0x01 : 0x00) : (large ? 0x03 : 0x02);
    return (jv_t){type, q, size};
}

#define ARR(large, ...)                                                     \
    jv_container(false, large,                                              \
                 sizeof((jv_t[]){__VA_ARGS__}) / sizeof(jv_t), NULL,        \
                 (jv_t[]){__VA_ARGS__})
#define OBJ(large, keys, ...)                                               \
    jv_container(true, large,                                               \
                 sizeof((jv_t[]){__VA_ARGS__}) / sizeof(jv_t),              \
                 (const char *const[])keys, (jv_t[]){__VA_ARGS__})
#define K(...) {__VA_ARGS__}

/* The document: type byte then payload. */
typedef struct doc {
    const uint8_t *p;
    size_t n;
} doc_t;

static doc_t mkdoc(jv_t v)
{
    uint8_t *q = palloc(v.n + 1);
    q[0] = v.type;
    memcpy(q + 1, v.p, v.n);
    return (doc_t){q, v.n + 1};
}

/* Packed binary DECIMAL (decimal.cc decimal2bin) of text such as "-12.50"
 * with exactly `scale` fraction digits, as a JSON opaque value. */
static jv_t jv_decimal(int prec, int scale, const char *text)
{
    static const int dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    bool neg = text[0] == '-';
    if (neg) text++;
    const char *dot = strchr(text, '.');
    size_t il = dot ? (size_t)(dot - text) : strlen(text);
    size_t fl = dot ? strlen(dot + 1) : 0;
    int intg = prec - scale;
    REQUIRE((int)il <= intg && (int)fl == scale);
    char digits[100];
    memset(digits, '0', (size_t)intg - il);
    memcpy(digits + intg - il, text, il);
    if (fl) memcpy(digits + intg, dot + 1, fl);
    uint8_t b[64];
    size_t k = 0;
    const char *d = digits;
    int groups[4] = {intg % 9, intg / 9, scale / 9, scale % 9};
    for (int part = 0; part < 4; part++) {
        int reps = (part == 1 || part == 2) ? groups[part] : 1;
        int width = (part == 1 || part == 2) ? 9 : groups[part];
        for (int r = 0; r < reps && width; r++) {
            uint32_t v = 0;
            for (int i = 0; i < width; i++) v = v * 10 + (uint32_t)(*d++ - '0');
            int nb = dig2bytes[width];
            for (int i = nb - 1; i >= 0; i--) {
                b[k + (size_t)i] = (uint8_t)v;
                v >>= 8;
            }
            k += (size_t)nb;
        }
    }
    if (neg)
        for (size_t i = 0; i < k; i++) b[i] = (uint8_t)~b[i];
    b[0] ^= 0x80;
    uint8_t payload[66];
    payload[0] = (uint8_t)prec;
    payload[1] = (uint8_t)scale;
    memcpy(payload + 2, b, k);
    return jv_opaque(246, payload, k + 2);
}

/* Packed temporals (my_time.cc TIME_to_longlong_*_packed). */
static int64_t pk_datetime(unsigned y, unsigned mo, unsigned d, unsigned h,
                           unsigned mi, unsigned s, unsigned us)
{
    int64_t ymd = (int64_t)((y * 13 + mo) << 5 | d);
    int64_t hms = (int64_t)(h << 12 | mi << 6 | s);
    return ((ymd << 17 | hms) << 24) + us;
}

static int64_t pk_time(bool neg, unsigned h, unsigned mi, unsigned s,
                       unsigned us)
{
    int64_t hms = (int64_t)(h << 12 | mi << 6 | s);
    int64_t v = (hms << 24) + us;
    return neg ? -v : v;
}

static jv_t jv_temporal(uint8_t ftype, int64_t packed)
{
    uint8_t b[8];
    le(b, (uint64_t)packed, 8);
    return jv_opaque(ftype, b, 8);
}

/* ---- checking ------------------------------------------------------------ */

/* Converts with "<" already in the buffer, so appending is checked too. */
static void expect_text_at(int line, doc_t d, const char *want)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_err_t err;
    sl_err_clear(&err);
    REQUIRE(sl_strbuf_puts(&sb, "<") == 0);
    int rc = sl_myjson_to_text(d.p, d.n, &sb, &err);
    if (rc != 0)
        ck_abort_msg("line %d: rc %d (%s), want %s", line, rc, err.msg, want);
    const char *got = sl_strbuf_cstr(&sb) + 1;
    if (strcmp(got, want) != 0)
        ck_abort_msg("line %d: got  %s\n want %s", line, got, want);
    REQUIRE(sb.len == strlen(want) + 1);
    sl_strbuf_destroy(&sb);
}
#define EXPECT(d, want) expect_text_at(__LINE__, d, want)
#define EXPECT_V(v, want) expect_text_at(__LINE__, mkdoc(v), want)

/* Must fail with SL_EINVAL, a "JSON value:" message, out unchanged. */
static void expect_error_at(int line, const uint8_t *p, size_t n,
                            const char *msg_part)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_err_t err;
    sl_err_clear(&err);
    REQUIRE(sl_strbuf_puts(&sb, "keep") == 0);
    int rc = sl_myjson_to_text(p, n, &sb, &err);
    if (rc != -SL_EINVAL)
        ck_abort_msg("line %d: rc %d, out %s", line, rc, sl_strbuf_cstr(&sb));
    if (err.code != SL_EINVAL || strncmp(err.msg, "JSON value: ", 12) != 0)
        ck_abort_msg("line %d: err %d %s", line, err.code, err.msg);
    if (msg_part && !strstr(err.msg, msg_part))
        ck_abort_msg("line %d: message '%s' lacks '%s'", line, err.msg,
                     msg_part);
    if (strcmp(sl_strbuf_cstr(&sb), "keep") != 0 || sb.len != 4)
        ck_abort_msg("line %d: output changed to %s", line,
                     sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
}
#define EXPECT_ERR(d, part) expect_error_at(__LINE__, (d).p, (d).n, part)
#define EXPECT_ERR_BYTES(part, ...)                                         \
    expect_error_at(__LINE__, (const uint8_t[]){__VA_ARGS__},               \
                    sizeof((const uint8_t[]){__VA_ARGS__}), part)

/* Every proper prefix of a valid document but the empty one is an error
 * (the empty one is null). */
static void expect_truncations_fail_at(int line, doc_t d)
{
    for (size_t n = 1; n < d.n; n++) {
        uint8_t *copy = malloc(n); /* exact size: overreads show up */
        REQUIRE(copy);
        memcpy(copy, d.p, n);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        sl_err_t err;
        int rc = sl_myjson_to_text(copy, n, &sb, &err);
        if (rc != -SL_EINVAL)
            ck_abort_msg("line %d: prefix of %zu of %zu bytes gave %d (%s)",
                         line, n, d.n, rc, sl_strbuf_cstr(&sb));
        REQUIRE(sb.len == 0);
        sl_strbuf_destroy(&sb);
        free(copy);
    }
}
#define EXPECT_TRUNCATIONS_FAIL(d) expect_truncations_fail_at(__LINE__, d)

/* ---- scalars ------------------------------------------------------------- */

START_TEST(test_empty_is_null)
{
    EXPECT(((doc_t){(const uint8_t *)"", 0}), "null");
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_myjson_to_text(NULL, 0, &sb, NULL), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "null");
    sl_strbuf_destroy(&sb);
}
END_TEST

START_TEST(test_literals)
{
    EXPECT_V(jv_lit(0), "null");
    EXPECT_V(jv_lit(1), "true");
    EXPECT_V(jv_lit(2), "false");
    EXPECT_ERR_BYTES("literal", 0x04, 0x03);
    EXPECT_ERR_BYTES("literal", 0x04, 0xff);
}
END_TEST

START_TEST(test_integers)
{
    EXPECT_V(jv_int(0x05, 0), "0");
    EXPECT_V(jv_int(0x05, (uint16_t)-1), "-1");
    EXPECT_V(jv_int(0x05, 0x8000), "-32768");
    EXPECT_V(jv_int(0x05, 32767), "32767");
    EXPECT_V(jv_int(0x06, 65535), "65535");
    EXPECT_V(jv_int(0x07, 0x80000000u), "-2147483648");
    EXPECT_V(jv_int(0x07, 2147483647), "2147483647");
    EXPECT_V(jv_int(0x08, 4294967295u), "4294967295");
    EXPECT_V(jv_int(0x09, (uint64_t)INT64_MIN), "-9223372036854775808");
    EXPECT_V(jv_int(0x09, INT64_MAX), "9223372036854775807");
    EXPECT_V(jv_int(0x09, (uint64_t)-42), "-42");
    EXPECT_V(jv_int(0x0a, UINT64_MAX), "18446744073709551615");
    EXPECT_V(jv_int(0x0a, 0), "0");
    /* little-endian */
    EXPECT_ERR_BYTES(NULL, 0x05, 0x01);
    EXPECT(((doc_t){(const uint8_t[]){0x07, 0x01, 0x02, 0x03, 0x04}, 5}),
           "67305985");
    /* bytes after the top-level value are ignored, as MySQL does */
    EXPECT(((doc_t){(const uint8_t[]){0x05, 0x07, 0x00, 0xff, 0xff}, 5}), "7");
}
END_TEST

static const struct dcase {
    double d;
    const char *want;
} dcases[] = {
    {0.1, "0.1"},
    {-2.5, "-2.5"},
    {1e300, "1e300"},
    {-1e300, "-1e300"},
    {1.5e-7, "0.00000015"},
    {100.0, "100.0"},
    {-100.0, "-100.0"},
    {1.0, "1.0"},
    {0.0, "0.0"},
    {-0.0, "-0.0"},
    {3.14, "3.14"},
    {123.456, "123.456"},
    {1.0 / 3, "0.3333333333333333"},
    {2.0 / 3, "0.6666666666666666"},
    {1e14, "100000000000000.0"},
    {123456789012345.0, "123456789012345.0"},
    {1e15, "1e15"},
    {-1e15, "-1e15"},
    {1.5e15, "1.5e15"},
    {1234567890123456.7, "1234567890123456.8"},
    {9007199254740992.0, "9.007199254740992e15"},
    {12345678901234567890.0, "1.2345678901234567e19"},
    {1e-15, "0.000000000000001"},
    {-1.5e-15, "-0.0000000000000015"},
    {1e-16, "1e-16"},
    {1.25e-16, "1.25e-16"},
    {5.684341886080802e-14, "0.00000000000005684341886080802"},
    {1152921504606846976.0, "1.152921504606847e18"},
    {4.9406564584124654e-324, "5e-324"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {DBL_MAX, "1.7976931348623157e308"},
    {-DBL_MAX, "-1.7976931348623157e308"},
    {0.30000000000000004, "0.30000000000000004"},
    {1e22, "1e22"},
    {1e23, "1e23"},
    {5e-5, "0.00005"},
    {0.001, "0.001"},
    {12.0, "12.0"},
    {1e100, "1e100"},
    {1.7e-100, "1.7e-100"},
    {999999999999999.9, "999999999999999.9"},
    {999999999999999.0, "999999999999999.0"},
};

START_TEST(test_double_table)
{
    pool_reset();
    const struct dcase *c = &dcases[_i];
    EXPECT_V(jv_dbl(c->d), c->want);
}
END_TEST

START_TEST(test_double_special)
{
    /* dtoa reports NaN and infinities as overflow, my_gcvt prints "0" */
    EXPECT_V(jv_dbl(NAN), "0.0");
    EXPECT_V(jv_dbl(INFINITY), "0.0");
    EXPECT_V(jv_dbl(-INFINITY), "0.0");
    /* the output reads back as the same double for many values */
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (!isfinite(d)) continue;
        uint8_t b[9] = {0x0b};
        le(b + 1, x, 8);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        REQUIRE(sl_myjson_to_text(b, 9, &sb, NULL) == 0);
        REQUIRE(strtod(sl_strbuf_cstr(&sb), NULL) == d);
        REQUIRE(strlen(sl_strbuf_cstr(&sb)) <= 34);
        sl_strbuf_destroy(&sb);
    }
    EXPECT_ERR_BYTES("double", 0x0b, 0, 0, 0, 0, 0, 0, 0xf0);
}
END_TEST

START_TEST(test_strings)
{
    EXPECT_V(jv_str(""), "\"\"");
    EXPECT_V(jv_str("hello"), "\"hello\"");
    static const char esc[] = "a\"b\\c\b\f\n\r\t\x01\x1f\x7f/";
    EXPECT_V(jv_strn(esc, sizeof esc - 1),
             "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/\"");
    EXPECT_V(jv_strn("x\0y", 3), "\"x\\u0000y\"");
    EXPECT_V(jv_strn("\x1b", 1), "\"\\u001b\"");
    /* multi-byte UTF-8 passes through, so do bytes that are not UTF-8 */
    EXPECT_V(jv_str("h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\xad"),
             "\"h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\xad\"");
    EXPECT_V(jv_strn("\xff\xfe", 2), "\"\xff\xfe\"");
}
END_TEST

START_TEST(test_string_lengths)
{
    /* 127 (one length byte), 128 and 200 (two), 20000 (three), 70000 */
    size_t lens[] = {127, 128, 200, 16383, 16384, 20000, 70000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        char *s = malloc(n);
        char *want = malloc(n + 3);
        REQUIRE(s && want);
        for (size_t i = 0; i < n; i++) s[i] = (char)('a' + i % 26);
        want[0] = '"';
        memcpy(want + 1, s, n);
        want[n + 1] = '"';
        want[n + 2] = '\0';
        jv_t v = jv_strn(s, n);
        size_t lb = v.n - n;
        REQUIRE(lb == (n < 128 ? 1u : n < 16384 ? 2u : 3u));
        EXPECT_V(v, want);
        free(s);
        free(want);
    }
    /* 7 bits a byte, low group first: 200 is 0xc8 0x01 */
    char s200[200];
    memset(s200, 'x', sizeof s200);
    jv_t v200 = jv_strn(s200, sizeof s200);
    REQUIRE(v200.p[0] == 0xc8 && v200.p[1] == 0x01);
    /* a non-minimal length encoding is accepted, as by MySQL */
    EXPECT(((doc_t){(const uint8_t[]){0x0c, 0x83, 0x00, 'a', 'b', 'c'}, 6}),
           "\"abc\"");
    EXPECT(((doc_t){(const uint8_t[]){0x0c, 0x82, 0x80, 0x80, 0x80, 0x00, 'h',
                                      'i'}, 8}),
           "\"hi\"");
    /* more than 5 length bytes, or a length beyond 32 bits */
    EXPECT_ERR_BYTES("string length", 0x0c, 0x80, 0x80, 0x80, 0x80, 0x80,
                     0x00);
    EXPECT_ERR_BYTES("string length", 0x0c, 0xff, 0xff, 0xff, 0xff, 0x1f);
    EXPECT_ERR_BYTES("string length", 0x0c, 0x80);
    EXPECT_ERR_BYTES("string length", 0x0c);
    EXPECT_ERR_BYTES("beyond", 0x0c, 0x05, 'a', 'b');
    EXPECT_ERR_BYTES("beyond", 0x0c, 0xff, 0xff, 0xff, 0xff, 0x0f, 'a');
}
END_TEST

/* ---- containers ---------------------------------------------------------- */

START_TEST(test_arrays)
{
    EXPECT_V(ARR(false, ), "[]");
    EXPECT_V(ARR(true, ), "[]");
    EXPECT_V(ARR(false, jv_int(0x05, 1), jv_int(0x05, 2), jv_int(0x05, 3)),
             "[1, 2, 3]");
    EXPECT_V(ARR(false, jv_lit(1), jv_lit(2), jv_lit(0), jv_str("x"),
                 jv_dbl(2.5), jv_int(0x07, 100000), jv_int(0x08, 4000000000u),
                 jv_int(0x09, (uint64_t)-5), jv_int(0x0a, 5),
                 jv_int(0x06, 65535)),
             "[true, false, null, \"x\", 2.5, 100000, 4000000000, -5, 5, "
             "65535]");
    /* the small format stores int32 out of line, the large one inline */
    jv_t small = ARR(false, jv_int(0x07, (uint32_t)-7));
    ck_assert_uint_eq(small.n, 2 + 2 + 3 + 4);
    EXPECT_V(small, "[-7]");
    jv_t large = ARR(true, jv_int(0x07, (uint32_t)-7), jv_int(0x08, 7),
                     jv_int(0x05, 8), jv_lit(1), jv_int(0x09, 9));
    ck_assert_uint_eq(large.n, 4 + 4 + 5 * 5 + 8);
    EXPECT_V(large, "[-7, 7, 8, true, 9]");
    EXPECT_V(ARR(false, ARR(false, ), ARR(false, ARR(false, jv_lit(0)))),
             "[[], [[null]]]");
}
END_TEST

START_TEST(test_objects)
{
    EXPECT_V(OBJ(false, K(), ), "{}");
    EXPECT_V(OBJ(true, K(), ), "{}");
    EXPECT_V(OBJ(false, K("a", "b", "bb", "abc"), jv_int(0x05, 1),
                 jv_str("two"), ARR(false, jv_lit(1), jv_lit(0)),
                 OBJ(false, K("x"), jv_dbl(-0.5))),
             "{\"a\": 1, \"b\": \"two\", \"bb\": [true, null], "
             "\"abc\": {\"x\": -0.5}}");
    /* keys print in stored order and with string escapes */
    EXPECT_V(OBJ(false, K("", "k\"", "\xc3\xa9t\xc3\xa9", "tab\tkey"),
                 jv_lit(0), jv_lit(1), jv_lit(2), jv_int(0x05, 4)),
             "{\"\": null, \"k\\\"\": true, \"\xc3\xa9t\xc3\xa9\": false, "
             "\"tab\\tkey\": 4}");
    EXPECT_V(OBJ(true, K("id", "name", "tags"), jv_int(0x07, 123456),
                 jv_str("sluice"), ARR(true, jv_str("a"), jv_int(0x08, 1))),
             "{\"id\": 123456, \"name\": \"sluice\", \"tags\": [\"a\", 1]}");
    /* a small document inside a large one and the reverse */
    EXPECT_V(ARR(true, OBJ(false, K("a"), ARR(true, jv_int(0x05, 1)))),
             "[{\"a\": [1]}]");
}
END_TEST

START_TEST(test_large_offsets)
{
    /* values past 64 KiB need the large format's 4-byte offsets */
    size_t n = 70000;
    char *str = malloc(n);
    char *want = malloc(n + 64);
    REQUIRE(str && want);
    memset(str, 'z', n);
    jv_t v = OBJ(true, K("big", "end"), jv_strn(str, n), jv_int(0x09, 77));
    REQUIRE(v.n > 65535);
    memcpy(want, "{\"big\": \"", 9);
    memcpy(want + 9, str, n);
    strcpy(want + 9 + n, "\", \"end\": 77}");
    EXPECT_V(v, want);
    /* same in an array, the int64 stored after the long string */
    v = ARR(true, jv_strn(str, n), jv_int(0x09, (uint64_t)-1));
    REQUIRE(v.n > 65535);
    want[0] = '[';
    want[1] = '"';
    memcpy(want + 2, str, n);
    strcpy(want + 2 + n, "\", -1]");
    EXPECT_V(v, want);
    free(str);
    free(want);
}
END_TEST

static jv_t nest(int levels, bool objects)
{
    jv_t v = objects ? OBJ(false, K(), ) : ARR(false, );
    for (int i = 1; i < levels; i++)
        v = objects ? OBJ(i % 2 == 0, K("k"), v) : ARR(i % 2 == 0, v);
    return v;
}

START_TEST(test_depth)
{
    char want[512];
    int k = 0;
    for (int i = 0; i < 100; i++) want[k++] = '[';
    for (int i = 0; i < 100; i++) want[k++] = ']';
    want[k] = '\0';
    EXPECT_V(nest(100, false), want);
    EXPECT_ERR(mkdoc(nest(101, false)), "deeper than 100");
    EXPECT_ERR(mkdoc(nest(150, false)), "deeper than 100");
    jv_t o = nest(100, true);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    doc_t d = mkdoc(o);
    REQUIRE(sl_myjson_to_text(d.p, d.n, &sb, NULL) == 0);
    REQUIRE(strncmp(sl_strbuf_cstr(&sb), "{\"k\": {\"k\": ", 12) == 0);
    sl_strbuf_destroy(&sb);
    EXPECT_ERR(mkdoc(nest(101, true)), "deeper than 100");
    /* scalars at the innermost level do not count as a level */
    jv_t v = ARR(false, jv_int(0x05, 1));
    for (int i = 1; i < 100; i++) v = ARR(false, v);
    d = mkdoc(v);
    sl_strbuf_clear(&sb);
    REQUIRE(sl_myjson_to_text(d.p, d.n, &sb, NULL) == 0);
    REQUIRE(strstr(sl_strbuf_cstr(&sb), "[1]") != NULL);
    sl_strbuf_destroy(&sb);
}
END_TEST

/* ---- opaque values ------------------------------------------------------- */

START_TEST(test_decimal_bytes)
{
    /* decimal.cc's own example: 1234567890.1234 as DECIMAL(14,4) */
    jv_t v = jv_decimal(14, 4, "1234567890.1234");
    static const uint8_t pos[] = {0xf6, 0x09, 14, 4, 0x81, 0x0d, 0xfb,
                                  0x38, 0xd2, 0x04, 0xd2};
    ck_assert_uint_eq(v.n, sizeof pos);
    REQUIRE(memcmp(v.p, pos, sizeof pos) == 0);
    EXPECT_V(v, "1234567890.1234");
    jv_t n = jv_decimal(14, 4, "-1234567890.1234");
    static const uint8_t neg[] = {0xf6, 0x09, 14, 4, 0x7e, 0xf2, 0x04,
                                  0xc7, 0x2d, 0xfb, 0x2d};
    REQUIRE(memcmp(n.p, neg, sizeof neg) == 0);
    EXPECT_V(n, "-1234567890.1234");
}
END_TEST

static const struct deccase {
    int prec, scale;
    const char *in, *want;
} deccases[] = {
    {1, 0, "0", "0"},
    {1, 0, "7", "7"},
    {1, 0, "-7", "-7"},
    {3, 2, "1.50", "1.50"},
    {3, 2, "0.05", "0.05"},
    {3, 2, "-0.05", "-0.05"},
    {2, 2, ".25", "0.25"},
    {10, 2, "5.00", "5.00"},
    {10, 2, "0.00", "0.00"},
    {10, 0, "42", "42"},
    {9, 0, "123456789", "123456789"},
    {10, 0, "1234567890", "1234567890"},
    {18, 9, "123456789.123456789", "123456789.123456789"},
    {19, 9, "-1.000000001", "-1.000000001"},
    {20, 10, "0.0000000001", "0.0000000001"},
    {38, 9, "12345678901234567890123456789.123456789",
     "12345678901234567890123456789.123456789"},
    {65, 0, "99999999999999999999999999999999999999999999999999999999999999999",
     "99999999999999999999999999999999999999999999999999999999999999999"},
    {65, 30, "-12345678901234567890123456789012345.123456789012345678901234567890",
     "-12345678901234567890123456789012345.123456789012345678901234567890"},
    {30, 30, ".000000000000000000000000000001", "0.000000000000000000000000000001"},
    {5, 3, "10.001", "10.001"},
    {7, 7, "-.1234567", "-0.1234567"},
};

START_TEST(test_decimal_table)
{
    pool_reset();
    const struct deccase *c = &deccases[_i];
    jv_t v = jv_decimal(c->prec, c->scale, c->in);
    EXPECT_V(v, c->want);
    EXPECT_TRUNCATIONS_FAIL(mkdoc(v));
    /* inside an array too */
    char want[200];
    snprintf(want, sizeof want, "[%s]", c->want);
    EXPECT_V(ARR(false, v), want);
}
END_TEST

START_TEST(test_decimal_malformed)
{
    /* layout: 0x0f, 246, data length, precision, scale, packed digits */
    /* fewer than 2 bytes */
    EXPECT_ERR_BYTES("DECIMAL of 0 bytes", 0x0f, 246, 0x00);
    EXPECT_ERR_BYTES("DECIMAL of 1 bytes", 0x0f, 246, 0x01, 0x05);
    /* scale above precision, precision 0, negative precision */
    EXPECT_ERR_BYTES("precision 1 and scale 2", 0x0f, 246, 0x03, 0x01, 0x02,
                     0x80);
    EXPECT_ERR_BYTES("precision 0", 0x0f, 246, 0x02, 0x00, 0x00);
    EXPECT_ERR_BYTES("precision -127", 0x0f, 246, 0x03, 0x81, 0x00, 0x80);
    /* 82 digits do not fit MySQL's 9 groups of 9; 81 do */
    EXPECT_ERR_BYTES("precision 82", 0x0f, 246, 0x02, 0x52, 0x00);
    EXPECT_ERR_BYTES("precision 81 and scale 1", 0x0f, 246, 0x02, 0x51, 0x01);
    char nines[82];
    memset(nines, '9', 81);
    nines[81] = '\0';
    EXPECT_V(jv_decimal(81, 0, nines), nines);
    /* size does not match precision and scale */
    EXPECT_ERR_BYTES("of 4 bytes, expected 3", 0x0f, 246, 0x06, 0x04, 0x01,
                     0x80, 0x00, 0x00, 0x00);
    EXPECT_ERR_BYTES("of 1 bytes, expected 2", 0x0f, 246, 0x03, 0x03, 0x01,
                     0x80);
    /* a digit group out of range: 10 in a 1-digit slot (integer part,
     * fraction, negative), 1000000000 in a 9-digit group */
    EXPECT_ERR_BYTES("out of range", 0x0f, 246, 0x03, 0x01, 0x00, 0x8a);
    EXPECT_ERR_BYTES("out of range", 0x0f, 246, 0x03, 0x01, 0x01, 0x8a);
    EXPECT_ERR_BYTES("out of range", 0x0f, 246, 0x03, 0x01, 0x00, 0x75);
    EXPECT_ERR_BYTES("out of range", 0x0f, 246, 0x06, 0x09, 0x09, 0xbb, 0x9a,
                     0xca, 0x00);
    EXPECT_ERR_BYTES("out of range", 0x0f, 246, 0x06, 0x09, 0x00, 0xbb, 0x9a,
                     0xca, 0x00);
    /* the largest groups are fine */
    EXPECT(((doc_t){(const uint8_t[]){0x0f, 246, 0x03, 0x01, 0x00, 0x89}, 6}),
           "9");
    EXPECT(((doc_t){(const uint8_t[]){0x0f, 246, 0x06, 0x09, 0x09, 0xbb, 0x9a,
                                      0xc9, 0xff}, 10}),
           "0.999999999");
}
END_TEST

START_TEST(test_temporals)
{
    EXPECT_V(jv_temporal(10, pk_datetime(2015, 1, 15, 0, 0, 0, 0)),
             "\"2015-01-15\"");
    EXPECT_V(jv_temporal(10, pk_datetime(1, 12, 31, 0, 0, 0, 0)),
             "\"0001-12-31\"");
    EXPECT_V(jv_temporal(10, pk_datetime(0, 0, 0, 0, 0, 0, 0)),
             "\"0000-00-00\"");
    EXPECT_V(jv_temporal(12, pk_datetime(2015, 1, 15, 23, 24, 25, 0)),
             "\"2015-01-15 23:24:25.000000\"");
    EXPECT_V(jv_temporal(12, pk_datetime(9999, 12, 31, 23, 59, 59, 999999)),
             "\"9999-12-31 23:59:59.999999\"");
    EXPECT_V(jv_temporal(12, pk_datetime(2000, 2, 29, 1, 2, 3, 4)),
             "\"2000-02-29 01:02:03.000004\"");
    EXPECT_V(jv_temporal(7, pk_datetime(2038, 1, 19, 3, 14, 7, 120000)),
             "\"2038-01-19 03:14:07.120000\"");
    EXPECT_V(jv_temporal(11, pk_time(false, 23, 24, 25, 0)),
             "\"23:24:25.000000\"");
    EXPECT_V(jv_temporal(11, pk_time(false, 0, 0, 0, 0)), "\"00:00:00.000000\"");
    EXPECT_V(jv_temporal(11, pk_time(false, 1, 2, 3, 4)), "\"01:02:03.000004\"");
    EXPECT_V(jv_temporal(11, pk_time(true, 838, 59, 59, 0)),
             "\"-838:59:59.000000\"");
    EXPECT_V(jv_temporal(11, pk_time(true, 0, 0, 1, 500000)),
             "\"-00:00:01.500000\"");
    EXPECT_V(jv_temporal(11, pk_time(false, 100, 0, 0, 0)),
             "\"100:00:00.000000\"");
    /* a date keeps only its date part */
    EXPECT_V(jv_temporal(10, pk_datetime(2015, 1, 15, 23, 24, 25, 6)),
             "\"2015-01-15\"");
    /* inside containers */
    EXPECT_V(OBJ(false, K("d", "t"), jv_temporal(10, pk_datetime(2020, 5, 6, 0, 0, 0, 0)),
                 jv_temporal(11, pk_time(false, 12, 0, 0, 0))),
             "{\"d\": \"2020-05-06\", \"t\": \"12:00:00.000000\"}");
    /* not 8 bytes */
    static const uint8_t seven[7] = {0};
    EXPECT_ERR(mkdoc(jv_opaque(12, seven, 7)), "expected 8");
    EXPECT_ERR(mkdoc(jv_opaque(10, seven, 0)), "expected 8");
    uint8_t nine[9] = {0};
    EXPECT_ERR(mkdoc(jv_opaque(11, nine, 9)), "expected 8");
}
END_TEST

START_TEST(test_opaque_other)
{
    EXPECT_V(jv_opaque(252, "abc", 3), "\"base64:type252:YWJj\"");
    EXPECT_V(jv_opaque(252, "ab", 2), "\"base64:type252:YWI=\"");
    EXPECT_V(jv_opaque(16, "a", 1), "\"base64:type16:YQ==\"");
    EXPECT_V(jv_opaque(15, "", 0), "\"base64:type15:\"");
    EXPECT_V(jv_opaque(0, "\xff\xfe\xfd", 3), "\"base64:type0://79\"");
    /* MySQL's base64_encode breaks the line after 76 characters */
    uint8_t b[60];
    for (int i = 0; i < 60; i++) b[i] = (uint8_t)i;
    EXPECT_V(jv_opaque(255, b, 60),
             "\"base64:type255:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gI"
             "SIjJCUmJygpKissLS4vMDEyMzQ1Njc4\\nOTo7\"");
    /* exactly 57 bytes = 76 characters: no line break */
    sl_strbuf_t sb = SL_STRBUF_INIT;
    doc_t d = mkdoc(jv_opaque(252, b, 57));
    REQUIRE(sl_myjson_to_text(d.p, d.n, &sb, NULL) == 0);
    REQUIRE(strstr(sl_strbuf_cstr(&sb), "\\n") == NULL);
    ck_assert_uint_eq(sb.len, strlen("\"base64:type252:\"") + 76);
    /* 300 bytes = 400 characters: breaks after 76, 152, 228, 304, 380 */
    uint8_t big[300];
    for (int i = 0; i < 300; i++) big[i] = (uint8_t)(i * 7);
    d = mkdoc(jv_opaque(252, big, 300));
    sl_strbuf_clear(&sb);
    REQUIRE(sl_myjson_to_text(d.p, d.n, &sb, NULL) == 0);
    const char *t = sl_strbuf_cstr(&sb) + strlen("\"base64:type252:");
    int breaks = 0;
    for (const char *q = t; (q = strstr(q, "\\n")); q += 2) {
        breaks++;
        REQUIRE((q - t) == breaks * 76 + (breaks - 1) * 2);
    }
    ck_assert_int_eq(breaks, 5);
    sl_strbuf_destroy(&sb);
    /* a string saved as opaque VAR_STRING prints as a string */
    EXPECT_V(jv_opaque(253, "a\"b", 3), "\"a\\\"b\"");
    /* old DECIMAL (0) and NEWDATE (14) are not special */
    EXPECT_V(jv_opaque(14, "\x01\x02\x03", 3), "\"base64:type14:AQID\"");
    /* malformed opaque headers */
    EXPECT_ERR_BYTES("opaque", 0x0f);
    EXPECT_ERR_BYTES("opaque", 0x0f, 252);
    EXPECT_ERR_BYTES("opaque", 0x0f, 252, 0x80);
    EXPECT_ERR_BYTES("beyond", 0x0f, 252, 0x05, 'a', 'b');
}
END_TEST

/* ---- malformed containers ------------------------------------------------ */

START_TEST(test_unknown_types)
{
    EXPECT_ERR_BYTES("unknown type 0x0d", 0x0d, 0x00);
    EXPECT_ERR_BYTES("unknown type 0x0e", 0x0e, 0x00);
    EXPECT_ERR_BYTES("unknown type 0x10", 0x10);
    EXPECT_ERR_BYTES("unknown type 0xff", 0xff, 1, 2, 3);
    /* in an array entry */
    EXPECT_ERR_BYTES("unknown type 0x0d", 0x02, 0x01, 0x00, 0x08, 0x00, 0x0d,
                     0x07, 0x00, 0x00);
}
END_TEST

START_TEST(test_bad_headers)
{
    /* header fields cut short */
    EXPECT_ERR_BYTES("header", 0x02, 0x00);
    EXPECT_ERR_BYTES("header", 0x03, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00);
    EXPECT_ERR_BYTES("header", 0x00, 0x01, 0x00, 0x04);
    /* size beyond the document */
    EXPECT_ERR_BYTES("beyond", 0x02, 0x00, 0x00, 0x05, 0x00);
    EXPECT_ERR_BYTES("beyond", 0x02, 0x01, 0x00, 0x08, 0x00, 0x04, 0x01, 0x00);
    /* the entries do not fit the size: 3 elements in 4 bytes */
    EXPECT_ERR_BYTES("does not fit", 0x02, 0x03, 0x00, 0x04, 0x00, 0, 0, 0, 0,
                     0, 0, 0, 0, 0);
    EXPECT_ERR_BYTES("does not fit", 0x00, 0x01, 0x00, 0x08, 0x00, 0, 0, 0, 0,
                     0, 0, 0, 0);
    /* a huge count with a small size */
    EXPECT_ERR_BYTES("does not fit", 0x03, 0xff, 0xff, 0xff, 0xff, 0x10, 0x00,
                     0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
    /* a size smaller than what the values need: [1, "ab"] cut at 10 */
    EXPECT_ERR_BYTES("string length", 0x02, 0x02, 0x00, 0x0a, 0x00, 0x05, 0x01, 0x00,
                     0x0c, 0x0a, 0x00, 0x02, 'a', 'b');
}
END_TEST

START_TEST(test_bad_offsets)
{
    /* array [ "ab" ]: entry at 4..6, value at 7 */
    static const uint8_t good[] = {0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c,
                                   0x07, 0x00, 0x02, 'a', 'b'};
    EXPECT(((doc_t){good, sizeof good}), "[\"ab\"]");
    /* value offset inside its own entry, inside the header, at the end,
     * beyond the end */
    EXPECT_ERR_BYTES("outside", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c, 0x06,
                     0x00, 0x02, 'a', 'b');
    EXPECT_ERR_BYTES("outside", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c, 0x00,
                     0x00, 0x02, 'a', 'b');
    EXPECT_ERR_BYTES("string length", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c,
                     0x0a, 0x00, 0x02, 'a', 'b');
    EXPECT_ERR_BYTES("outside", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c, 0x0b,
                     0x00, 0x02, 'a', 'b');
    EXPECT_ERR_BYTES("outside", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c, 0xff,
                     0xff, 0x02, 'a', 'b');
    /* value length running past the container (but not the document) */
    EXPECT_ERR_BYTES("beyond", 0x02, 0x01, 0x00, 0x0a, 0x00, 0x0c, 0x07,
                     0x00, 0x03, 'a', 'b', 'c');
    /* object {"k": true}: key entry 4..7, value entry 8..10, key at 11 */
    static const uint8_t obj[] = {0x00, 0x01, 0x00, 0x0c, 0x00, 0x0b, 0x00,
                                  0x01, 0x00, 0x04, 0x01, 0x00, 'k'};
    EXPECT(((doc_t){obj, sizeof obj}), "{\"k\": true}");
    /* key offset inside the entries, key running past the end */
    EXPECT_ERR_BYTES("key 0", 0x00, 0x01, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x01,
                     0x00, 0x04, 0x01, 0x00, 'k');
    EXPECT_ERR_BYTES("key 0", 0x00, 0x01, 0x00, 0x0c, 0x00, 0x0b, 0x00, 0x02,
                     0x00, 0x04, 0x01, 0x00, 'k');
    EXPECT_ERR_BYTES("key 0", 0x00, 0x01, 0x00, 0x0c, 0x00, 0xff, 0xff, 0x01,
                     0x00, 0x04, 0x01, 0x00, 'k');
    /* a key of length 0 at the very end is fine */
    EXPECT(((doc_t){(const uint8_t[]){0x00, 0x01, 0x00, 0x0b, 0x00, 0x0b, 0x00,
                                      0x00, 0x00, 0x04, 0x00, 0x00}, 12}),
           "{\"\": null}");
    /* a bad inline literal in an entry */
    EXPECT_ERR_BYTES("literal", 0x02, 0x01, 0x00, 0x07, 0x00, 0x04, 0x09,
                     0x00);
    /* a nested container claiming more than its parent has left */
    EXPECT_ERR_BYTES("beyond", 0x02, 0x01, 0x00, 0x0b, 0x00, 0x02, 0x07, 0x00,
                     0x00, 0x00, 0x05, 0x00, 0x00);
}
END_TEST

/* ---- truncation and mutation --------------------------------------------- */

static doc_t rich_doc(bool large)
{
    uint8_t blob[100];
    for (int i = 0; i < 100; i++) blob[i] = (uint8_t)(i * 37);
    char s300[300];
    memset(s300, 'q', sizeof s300);
    return mkdoc(OBJ(large, K("a", "b", "n", "s", "arr", "big", "dec", "obj",
                              "time", "blob", "date"),
                     jv_int(0x05, (uint16_t)-3), jv_dbl(1.5e-7), jv_lit(0),
                     jv_str("h\xc3\xa9\n"),
                     ARR(!large, jv_int(0x07, 70000), jv_lit(1), jv_dbl(1e300),
                         ARR(false, ), OBJ(true, K(), )),
                     jv_strn(s300, sizeof s300),
                     jv_decimal(12, 3, "-123456789.125"),
                     OBJ(!large, K("x", "yy"), jv_int(0x0a, UINT64_MAX),
                         jv_int(0x08, 4000000000u)),
                     jv_temporal(11, pk_time(true, 1, 2, 3, 4)),
                     jv_opaque(252, blob, sizeof blob),
                     jv_temporal(12, pk_datetime(2024, 2, 29, 12, 0, 0, 5))));
}

static const char rich_text[] =
    "{\"a\": -3, \"b\": 0.00000015, \"n\": null, \"s\": \"h\xc3\xa9\\n\", "
    "\"arr\": [70000, true, 1e300, [], {}], \"big\": \"";

START_TEST(test_rich_document)
{
    for (int large = 0; large <= 1; large++) {
        doc_t d = rich_doc(large);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        REQUIRE(sl_myjson_to_text(d.p, d.n, &sb, NULL) == 0);
        const char *t = sl_strbuf_cstr(&sb);
        REQUIRE(strncmp(t, rich_text, strlen(rich_text)) == 0);
        REQUIRE(strstr(t, "\"dec\": -123456789.125, \"obj\": {\"x\": "
                          "18446744073709551615, \"yy\": 4000000000}, "
                          "\"time\": \"-01:02:03.000004\", \"blob\": "
                          "\"base64:type252:"));
        REQUIRE(strstr(t, "\", \"date\": \"2024-02-29 12:00:00.000005\"}"));
        sl_strbuf_destroy(&sb);
    }
}
END_TEST

START_TEST(test_truncations)
{
    EXPECT_TRUNCATIONS_FAIL(rich_doc(false));
    EXPECT_TRUNCATIONS_FAIL(rich_doc(true));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_lit(1)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_int(0x05, 1)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_int(0x08, 1)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_int(0x0a, 1)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_dbl(2.5)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_str("abc")));
    char s136[136]; /* a two-byte length */
    for (int i = 0; i < 136; i++) s136[i] = (char)('0' + i % 10);
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_strn(s136, sizeof s136)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_opaque(252, "abcd", 4)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(jv_temporal(12, pk_datetime(2015, 1, 1, 0, 0, 0, 0))));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(ARR(false, )));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(OBJ(true, K(), )));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(nest(100, false)));
    EXPECT_TRUNCATIONS_FAIL(mkdoc(nest(30, true)));
}
END_TEST

START_TEST(test_mutations)
{
    /* random byte changes: any result but a crash, an overread or a
     * changed output on error */
    uint64_t x = 0x2545f4914f6cdd1dull;
    doc_t docs[2] = {rich_doc(false), rich_doc(true)};
    int ok = 0, bad = 0;
    for (int iter = 0; iter < 20000; iter++) {
        doc_t d = docs[iter & 1];
        uint8_t *copy = malloc(d.n);
        REQUIRE(copy);
        memcpy(copy, d.p, d.n);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int flips = 1 + (int)(x % 4);
        for (int f = 0; f < flips; f++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* favour the headers, where the offsets are */
            size_t at = (x >> 8) % (x & 1 ? 80 : d.n);
            copy[at] = (uint8_t)(x >> 32);
        }
        size_t n = (x >> 40) % 8 == 0 ? (size_t)((x >> 20) % d.n) : d.n;
        sl_strbuf_t sb = SL_STRBUF_INIT;
        sl_err_t err;
        REQUIRE(sl_strbuf_puts(&sb, "p") == 0);
        int rc = sl_myjson_to_text(copy, n, &sb, &err);
        if (rc == 0) {
            ok++;
            REQUIRE(sb.len > 1);
        } else {
            bad++;
            REQUIRE(rc == -SL_EINVAL);
            REQUIRE(err.code == SL_EINVAL);
            REQUIRE(sb.len == 1 && strcmp(sl_strbuf_cstr(&sb), "p") == 0);
        }
        sl_strbuf_destroy(&sb);
        free(copy);
    }
    ck_assert_int_gt(ok, 100);
    ck_assert_int_gt(bad, 100);
}
END_TEST

START_TEST(test_shared_values)
{
    /* [x, x] where x is [y, y] and so on: every level's two entries point
     * at the same nested array, so 40 levels (about 400 bytes) would print
     * 2^40 elements; the text cap stops it */
    size_t cap = 16 + 40 * 10;
    uint8_t *buf = palloc(cap);
    size_t at = cap;
    /* innermost: [] */
    at -= 4;
    memcpy(buf + at, (const uint8_t[]){0x00, 0x00, 0x04, 0x00}, 4);
    uint8_t inner_type = 0x02;
    for (int level = 0; level < 40; level++) {
        size_t sub = cap - at;
        at -= 10;
        le(buf + at, 2, 2);
        le(buf + at + 2, 10 + sub, 2);
        for (int e = 0; e < 2; e++) {
            buf[at + 4 + e * 3] = inner_type;
            le(buf + at + 5 + e * 3, 10, 2);
        }
    }
    at -= 1;
    buf[at] = 0x02;
    doc_t d = {buf + at, cap - at};
    EXPECT_ERR(d, "times the document");
    /* a little sharing still prints: two levels */
    static const uint8_t two[] = {0x02, 0x02, 0x00, 0x0e, 0x00,
                                  0x02, 0x0a, 0x00, 0x02, 0x0a, 0x00,
                                  0x00, 0x00, 0x04, 0x00};
    EXPECT(((doc_t){two, sizeof two}), "[[], []]");
}
END_TEST

START_TEST(test_null_err)
{
    /* err may be NULL */
    static const uint8_t b[] = {0x04, 0x07};
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_myjson_to_text(b, sizeof b, &sb, NULL), -SL_EINVAL);
    ck_assert_uint_eq(sb.len, 0);
    sl_strbuf_destroy(&sb);
}
END_TEST

static Suite *myjson_suite(void)
{
    Suite *s = suite_create("myjson");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, pool_reset, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_empty_is_null);
    tcase_add_test(tc, test_literals);
    tcase_add_test(tc, test_integers);
    tcase_add_loop_test(tc, test_double_table, 0,
                        sizeof dcases / sizeof dcases[0]);
    tcase_add_test(tc, test_double_special);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_string_lengths);
    tcase_add_test(tc, test_arrays);
    tcase_add_test(tc, test_objects);
    tcase_add_test(tc, test_large_offsets);
    tcase_add_test(tc, test_depth);
    tcase_add_test(tc, test_decimal_bytes);
    tcase_add_loop_test(tc, test_decimal_table, 0,
                        sizeof deccases / sizeof deccases[0]);
    tcase_add_test(tc, test_decimal_malformed);
    tcase_add_test(tc, test_temporals);
    tcase_add_test(tc, test_opaque_other);
    tcase_add_test(tc, test_unknown_types);
    tcase_add_test(tc, test_bad_headers);
    tcase_add_test(tc, test_bad_offsets);
    tcase_add_test(tc, test_rich_document);
    tcase_add_test(tc, test_truncations);
    tcase_add_test(tc, test_mutations);
    tcase_add_test(tc, test_shared_values);
    tcase_add_test(tc, test_null_err);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(myjson_suite());
}
