/* check_codec.c - unit tests for the state codecs (state/codec.h): key and
 * row round trips for every type with its boundary values, memcomparable
 * order against a reference comparison written here, the prefix property
 * of composite keys (through a state table's prefix iteration), and
 * malformed input. */
#include "state/codec.h"
#include "state/state.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

typedef __int128 i128;

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static i128 pow10_128(int p)
{
    i128 x = 1;
    while (p-- > 0) x *= 10;
    return x;
}

/* ---- types --------------------------------------------------------------- */

static sl_arena_t type_arena;

typedef struct named {
    const char *name;
    const sl_type_t *t;
} named_t;

enum { NTYPES = 27 };
static named_t types[NTYPES];

static sl_type_t *mk(sl_type_id_t id, int len, int scale)
{
    sl_type_t *t = sl_type_new(&type_arena, id);
    REQUIRE(t);
    t->len = len;
    t->scale = (int16_t)scale;
    t->nullable = true;
    return t;
}

static const sl_type_t *mk_row(int n, const sl_type_t **ft)
{
    sl_type_t *t = mk(SL_T_ROW, 0, 0);
    sl_field_t *f = sl_arena_calloc(&type_arena, (size_t)n * sizeof *f);
    REQUIRE(f);
    for (int i = 0; i < n; i++) {
        f[i].name = "f";
        f[i].type = ft[i];
    }
    t->fields = f;
    t->nfields = (int16_t)n;
    return t;
}

static const sl_type_t *mk_array(const sl_type_t *elem)
{
    sl_type_t *t = mk(SL_T_ARRAY, 0, 0);
    t->elem = elem;
    return t;
}

static const sl_type_t *mk_map(const sl_type_t *k, const sl_type_t *v)
{
    sl_type_t *t = mk(SL_T_MAP, 0, 0);
    t->key = k;
    t->elem = v;
    return t;
}

static void types_setup(void)
{
    sl_arena_init(&type_arena, 0);
    int i = 0;
#define ADD(n, ty) types[i++] = (named_t){n, ty}
    ADD("BOOLEAN", &sl_type_boolean);
    ADD("TINYINT", &sl_type_tinyint);
    ADD("SMALLINT", &sl_type_smallint);
    ADD("INT", &sl_type_int);
    ADD("BIGINT", &sl_type_bigint);
    ADD("DECIMAL(10,2)", mk(SL_T_DECIMAL, 10, 2));
    ADD("DECIMAL(18,0)", mk(SL_T_DECIMAL, 18, 0));
    ADD("DECIMAL(19,4)", mk(SL_T_DECIMAL, 19, 4));
    ADD("DECIMAL(38,10)", mk(SL_T_DECIMAL, 38, 10));
    ADD("FLOAT", &sl_type_float);
    ADD("DOUBLE", &sl_type_double);
    ADD("CHAR(5)", mk(SL_T_CHAR, 5, 0));
    ADD("STRING", &sl_type_string);
    ADD("BINARY(4)", mk(SL_T_BINARY, 4, 0));
    ADD("BYTES", &sl_type_bytes);
    ADD("DATE", &sl_type_date);
    ADD("TIME(9)", mk(SL_T_TIME, 9, 0));
    ADD("TIMESTAMP(9)", mk(SL_T_TIMESTAMP, 9, 0));
    ADD("TIMESTAMP_LTZ(3)", mk(SL_T_TIMESTAMP_LTZ, 3, 0));
    ADD("INTERVAL YM", &sl_type_interval_ym);
    ADD("INTERVAL DT", &sl_type_interval_dt);
    const sl_type_t *rf[3] = {&sl_type_int, &sl_type_string, &sl_type_double};
    ADD("ROW<INT,STRING,DOUBLE>", mk_row(3, rf));
    ADD("ARRAY<STRING>", mk_array(&sl_type_string));
    ADD("ARRAY<ARRAY<INT>>", mk_array(mk_array(&sl_type_int)));
    ADD("MAP<STRING,BIGINT>", mk_map(&sl_type_string, &sl_type_bigint));
    const sl_type_t *rn[2] = {mk_array(mk(SL_T_DECIMAL, 38, 2)),
                              mk_row(3, rf)};
    ADD("ROW<ARRAY<DECIMAL(38,2)>,ROW<..>>", mk_row(2, rn));
    ADD("NULL", &sl_type_null);
#undef ADD
    REQUIRE(i == NTYPES);
}

static void types_teardown(void)
{
    sl_arena_destroy(&type_arena);
}

/* ---- the reference order ------------------------------------------------- */

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

#define CMP3(a, b) ((a) < (b) ? -1 : (a) > (b))

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return sgn(c);
    return CMP3(an, bn);
}

/* SQL order for keys: NULL first; NaN after every number and equal to
 * itself; -0.0 equal to 0.0; strings as bytes; arrays and maps element by
 * element, a proper prefix first. */
static int ref_cmp(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t)
{
    if (a->null || b->null) return CMP3(!a->null, !b->null);
    switch (t->id) {
    case SL_T_BOOLEAN: return CMP3(a->b, b->b);
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT: return CMP3(a->i64, b->i64);
    case SL_T_DECIMAL: return CMP3(a->dec, b->dec);
    case SL_T_FLOAT:
    case SL_T_DOUBLE:
        if (isnan(a->f64) || isnan(b->f64))
            return CMP3(isnan(a->f64), isnan(b->f64));
        return CMP3(a->f64, b->f64);
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY: return bytes_cmp(a->str, a->len, b->str, b->len);
    case SL_T_DATE: return CMP3(a->date, b->date);
    case SL_T_TIME: return CMP3(a->time, b->time);
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if (a->ts.millis != b->ts.millis) return CMP3(a->ts.millis, b->ts.millis);
        return CMP3(a->ts.nanos, b->ts.nanos);
    case SL_T_ROW:
        for (int i = 0; i < t->nfields; i++) {
            int c = ref_cmp(&a->nested->v[i], &b->nested->v[i], t->fields[i].type);
            if (c) return c;
        }
        return 0;
    case SL_T_ARRAY: {
        int an = a->nested->n, bn = b->nested->n;
        for (int i = 0; i < an && i < bn; i++) {
            int c = ref_cmp(&a->nested->v[i], &b->nested->v[i], t->elem);
            if (c) return c;
        }
        return CMP3(an, bn);
    }
    case SL_T_MAP: {
        int an = a->nested->n, bn = b->nested->n;
        for (int i = 0; i < an && i < bn; i++) {
            int c = ref_cmp(&a->nested->v[i], &b->nested->v[i], t->key);
            if (!c) c = ref_cmp(&a->nested->v[an + i], &b->nested->v[bn + i], t->elem);
            if (c) return c;
        }
        return CMP3(an, bn);
    }
    default: return 0;
    }
}

/* Round-trip equality: exact, except what the key encoding canonicalizes
 * (keys: -0.0 -> 0.0, NaN payloads); rows keep the bits of -0.0. */
static int same(const sl_value_t *a, const sl_value_t *b, const sl_type_t *t,
                int row)
{
    if (a->null != b->null) return 0;
    if (a->null) return 1;
    switch (t->id) {
    case SL_T_FLOAT:
    case SL_T_DOUBLE:
        if (isnan(a->f64)) return isnan(b->f64);
        if (row && signbit(a->f64) != signbit(b->f64)) return 0;
        if (!row && b->f64 == 0 && signbit(b->f64)) return 0;
        return a->f64 == b->f64;
    case SL_T_ROW:
        if (b->len != (uint32_t)t->nfields) return 0;
        for (int i = 0; i < t->nfields; i++)
            if (!same(&a->nested->v[i], &b->nested->v[i], t->fields[i].type, row))
                return 0;
        return 1;
    case SL_T_ARRAY:
        if (a->nested->n != b->nested->n || b->len != (uint32_t)b->nested->n)
            return 0;
        for (int i = 0; i < a->nested->n; i++)
            if (!same(&a->nested->v[i], &b->nested->v[i], t->elem, row)) return 0;
        return 1;
    case SL_T_MAP: {
        int n = a->nested->n;
        if (n != b->nested->n) return 0;
        for (int i = 0; i < n; i++)
            if (!same(&a->nested->v[i], &b->nested->v[i], t->key, row) ||
                !same(&a->nested->v[n + i], &b->nested->v[n + i], t->elem, row))
                return 0;
        return 1;
    }
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        return a->len == b->len && (a->len == 0 || memcmp(a->str, b->str, a->len) == 0);
    default:
        return ref_cmp(a, b, t) == 0;
    }
}

/* ---- value generators ---------------------------------------------------- */

static double pick_double(void)
{
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5,
                                     DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX,
                                     DBL_TRUE_MIN, -DBL_TRUE_MIN, 1e300,
                                     -1e-300, 3.0, 2.0};
    switch (rnd() % 6) {
    case 0: return special[rnd() % (sizeof special / sizeof *special)];
    case 1: return rnd() % 2 ? INFINITY : -INFINITY;
    case 2: return rnd() % 2 ? NAN : -NAN;
    case 3: return (double)((int64_t)(rnd() % 2001) - 1000);
    default: {
        uint64_t u = rnd(); /* any bit pattern, NaN payloads included */
        double d;
        memcpy(&d, &u, 8);
        return d;
    }
    }
}

static double pick_float(void)
{
    if (rnd() % 3) {
        uint32_t u = (uint32_t)rnd();
        float f;
        memcpy(&f, &u, 4);
        return f;
    }
    static const float special[] = {0.0f, -0.0f, 1.0f, -1.0f, FLT_MIN,
                                    -FLT_MAX, FLT_MAX, 1e-45f, INFINITY,
                                    -INFINITY, NAN};
    return special[rnd() % (sizeof special / sizeof *special)];
}

static int64_t pick_int(int bits)
{
    int64_t max = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
    int64_t min = -max - 1;
    switch (rnd() % 5) {
    case 0: {
        static const int off[] = {0, 1, 2};
        int k = off[rnd() % 3];
        return rnd() % 2 ? max - k : min + k;
    }
    case 1: return (int64_t)(rnd() % 5) - 2;
    default: {
        uint64_t u = rnd();
        if (bits < 64) return (int64_t)(u % ((uint64_t)max - (uint64_t)min + 1)) + min;
        return (int64_t)u;
    }
    }
}

static i128 pick_dec(int p)
{
    i128 lim = pow10_128(p) - 1;
    switch (rnd() % 5) {
    case 0: return rnd() % 2 ? lim : -lim;
    case 1: return rnd() % 2 ? lim - 1 : -lim + 1;
    case 2: return (i128)(rnd() % 5) - 2;
    default: {
        unsigned __int128 u = (unsigned __int128)rnd() << 64 | rnd();
        i128 x = (i128)(u % (unsigned __int128)(lim + 1));
        if (rnd() % (unsigned)(p > 18 ? 2 : 1)) x /= pow10_128((int)(rnd() % 20));
        return rnd() % 2 ? x : -x;
    }
    }
}

static void gen(sl_value_t *v, const sl_type_t *t, sl_arena_t *a, int depth);

static sl_nested_t *nested_new(sl_arena_t *a, int n)
{
    sl_nested_t *x = sl_arena_calloc(a, sizeof *x + (size_t)n * sizeof(sl_value_t));
    REQUIRE(x);
    x->n = n;
    return x;
}

static void gen(sl_value_t *v, const sl_type_t *t, sl_arena_t *a, int depth)
{
    memset(v, 0, sizeof *v);
    if (t->id == SL_T_NULL || rnd() % 10 == 0) {
        v->null = 1;
        return;
    }
    switch (t->id) {
    case SL_T_BOOLEAN: v->b = rnd() & 1; break;
    case SL_T_TINYINT: v->i64 = pick_int(8); break;
    case SL_T_SMALLINT: v->i64 = pick_int(16); break;
    case SL_T_INT: v->i64 = pick_int(32); break;
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT: v->i64 = pick_int(64); break;
    case SL_T_DECIMAL: v->dec = pick_dec(t->len); break;
    case SL_T_FLOAT: v->f64 = pick_float(); break;
    case SL_T_DOUBLE: v->f64 = pick_double(); break;
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY: {
        static const unsigned char alpha[] = {0x00, 0x01, 0x02, 0xFE, 0xFF, 'a'};
        size_t n = rnd() % 8 == 0 ? rnd() % 3000 : rnd() % 6;
        char *s = sl_arena_alloc(a, n ? n : 1);
        REQUIRE(s);
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(rnd() % 4 ? alpha[rnd() % sizeof alpha] : (unsigned char)rnd());
        v->str = s;
        v->len = (uint32_t)n;
        break;
    }
    case SL_T_DATE:
        switch (rnd() % 4) {
        case 0: v->date = SL_DATE_MIN; break;
        case 1: v->date = SL_DATE_MAX; break;
        default: v->date = SL_DATE_MIN + (int32_t)(rnd() % (SL_DATE_MAX - SL_DATE_MIN + 1));
        }
        break;
    case SL_T_TIME:
        switch (rnd() % 4) {
        case 0: v->time = 0; break;
        case 1: v->time = SL_NANOS_PER_DAY - 1; break;
        default: v->time = (int64_t)(rnd() % SL_NANOS_PER_DAY);
        }
        break;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        switch (rnd() % 5) {
        case 0: v->ts.millis = SL_TS_MILLIS_MIN; break;
        case 1: v->ts.millis = SL_TS_MILLIS_MAX; break;
        case 2: v->ts.millis = (int64_t)(rnd() % 5) - 2; break;
        default:
            v->ts.millis = SL_TS_MILLIS_MIN +
                (int64_t)(rnd() % (uint64_t)(SL_TS_MILLIS_MAX - SL_TS_MILLIS_MIN + 1));
        }
        v->ts.nanos = rnd() % 3 ? (int32_t)(rnd() % 1000000) : (rnd() % 2 ? 999999 : 0);
        break;
    case SL_T_ROW: {
        sl_nested_t *x = nested_new(a, t->nfields);
        for (int i = 0; i < t->nfields; i++) gen(&x->v[i], t->fields[i].type, a, depth + 1);
        v->nested = x;
        v->len = (uint32_t)x->n;
        break;
    }
    case SL_T_ARRAY: {
        int n = depth > 2 ? 0 : (int)(rnd() % 5);
        sl_nested_t *x = nested_new(a, n);
        for (int i = 0; i < n; i++) gen(&x->v[i], t->elem, a, depth + 1);
        v->nested = x;
        v->len = (uint32_t)n;
        break;
    }
    case SL_T_MAP: {
        int n = (int)(rnd() % 4);
        sl_nested_t *x = nested_new(a, 2 * n);
        x->n = n;
        for (int i = 0; i < n; i++) {
            gen(&x->v[i], t->key, a, depth + 1);
            gen(&x->v[n + i], t->elem, a, depth + 1);
        }
        v->nested = x;
        v->len = (uint32_t)n;
        break;
    }
    default: REQUIRE(0);
    }
}

/* ---- tests --------------------------------------------------------------- */

static int key_cmp(const sl_strbuf_t *a, const sl_strbuf_t *b)
{
    return bytes_cmp(a->buf, a->len, b->buf, b->len);
}

static int is_prefix(const sl_strbuf_t *a, const sl_strbuf_t *b)
{
    return a->len <= b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

START_TEST(test_key_roundtrip_order)
{
    const sl_type_t *t = types[_i].t;
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_strbuf_t ea = SL_STRBUF_INIT, eb = SL_STRBUF_INIT;
    int orders[3] = {0, 0, 0};
    for (int it = 0; it < 4000; it++) {
        sl_value_t va, vb, da, db;
        gen(&va, t, &a, 0);
        gen(&vb, t, &a, 0);
        if (it % 3 == 0) vb = va; /* equal values too */
        sl_strbuf_clear(&ea);
        sl_strbuf_clear(&eb);
        REQUIRE(sl_key_encode(&ea, &va, t) == 0);
        REQUIRE(sl_key_encode(&eb, &vb, t) == 0);
        /* round trip, and pos lands right after the value */
        size_t pos = 0;
        REQUIRE(sl_key_decode(ea.buf, ea.len, &pos, &da, t, &a) == 0);
        REQUIRE(pos == ea.len);
        REQUIRE(same(&va, &da, t, 0));
        /* order, and no encoding a prefix of another */
        int want = ref_cmp(&va, &vb, t), got = sgn(key_cmp(&ea, &eb));
        if (got != want)
            ck_abort_msg("%s: order %d, want %d (iteration %d)", types[_i].name,
                         got, want, it);
        if (want) REQUIRE(!is_prefix(&ea, &eb) && !is_prefix(&eb, &ea));
        orders[want + 1]++;
        /* two keys back to back decode one after the other */
        size_t la = ea.len;
        REQUIRE(sl_strbuf_append(&ea, eb.buf, eb.len) == 0);
        pos = 0;
        REQUIRE(sl_key_decode(ea.buf, ea.len, &pos, &da, t, &a) == 0);
        REQUIRE(pos == la);
        REQUIRE(sl_key_decode(ea.buf, ea.len, &pos, &db, t, &a) == 0);
        REQUIRE(pos == ea.len);
        REQUIRE(same(&vb, &db, t, 0));
        if (it % 64 == 63) sl_arena_reset(&a);
    }
    if (t->id != SL_T_NULL && t->id != SL_T_BOOLEAN) {
        ck_assert_int_gt(orders[0], 100);
        ck_assert_int_gt(orders[2], 100);
    }
    ck_assert_int_gt(orders[1], 100);
    sl_strbuf_destroy(&ea);
    sl_strbuf_destroy(&eb);
    sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_row_roundtrip)
{
    enum { N = NTYPES };
    const sl_type_t *ts[N];
    for (int i = 0; i < N; i++) ts[i] = types[i].t;
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_strbuf_t enc = SL_STRBUF_INIT;
    sl_value_t in[N], out[N];
    for (int it = 0; it < 3000; it++) {
        int n = (int)(rnd() % (N + 1)); /* rows of 0..N leading columns */
        for (int i = 0; i < n; i++) gen(&in[i], ts[i], &a, 0);
        sl_strbuf_clear(&enc);
        REQUIRE(sl_row_encode(&enc, in, ts, n) == 0);
        REQUIRE(sl_row_decode(enc.buf, enc.len, out, ts, n, &a) == 0);
        for (int i = 0; i < n; i++)
            if (!same(&in[i], &out[i], ts[i], 1))
                ck_abort_msg("row column %s differs (iteration %d)", types[i].name, it);
        /* every truncation and a trailing byte are malformed, never a crash */
        if (it % 10 == 0) {
            for (size_t cut = 0; cut < enc.len; cut += 1 + enc.len / 64) {
                int rc = sl_row_decode(enc.buf, cut, out, ts, n, &a);
                REQUIRE(rc == -SL_EFORMAT);
            }
            REQUIRE(sl_strbuf_putc(&enc, 0) == 0);
            REQUIRE(sl_row_decode(enc.buf, enc.len, out, ts, n, &a) == -SL_EFORMAT);
        }
        if (it % 32 == 31) sl_arena_reset(&a);
    }
    sl_strbuf_destroy(&enc);
    sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_boundaries)
{
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_strbuf_t e = SL_STRBUF_INIT;
    sl_value_t v = {0}, d;
    size_t pos;
    /* fixed encodings of a few values */
    v.i64 = INT64_MIN;
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_bigint), 0);
    ck_assert_int_eq(e.len, 9);
    ck_assert_mem_eq(e.buf, "\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9);
    sl_strbuf_clear(&e);
    v.i64 = -1;
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_int), 0);
    ck_assert_mem_eq(e.buf, "\x01\x7f\xff\xff\xff", 5);
    sl_strbuf_clear(&e);
    v.str = "a\0\xff";
    v.len = 3;
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_string), 0);
    ck_assert_int_eq(e.len, 7);
    ck_assert_mem_eq(e.buf, "\x01" "a\x00\xff\xff\x00\x01", 7);
    sl_strbuf_clear(&e);
    v = sl_value_null();
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_string), 0);
    ck_assert_int_eq(e.len, 1);
    ck_assert_int_eq(e.buf[0], 0);

    /* -0.0 and 0.0 encode alike; every NaN alike and above +inf */
    sl_strbuf_t z = SL_STRBUF_INIT;
    v = (sl_value_t){0};
    v.f64 = -0.0;
    sl_strbuf_clear(&e);
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_double), 0);
    v.f64 = 0.0;
    ck_assert_int_eq(sl_key_encode(&z, &v, &sl_type_double), 0);
    ck_assert(e.len == z.len && memcmp(e.buf, z.buf, e.len) == 0);
    pos = 0;
    ck_assert_int_eq(sl_key_decode(e.buf, e.len, &pos, &d, &sl_type_double, &a), 0);
    ck_assert(d.f64 == 0 && !signbit(d.f64));
    uint64_t bits = 0x7ff0000000000123ULL; /* a signalling NaN payload */
    memcpy(&v.f64, &bits, 8);
    sl_strbuf_clear(&e);
    sl_strbuf_clear(&z);
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_double), 0);
    v.f64 = -NAN;
    ck_assert_int_eq(sl_key_encode(&z, &v, &sl_type_double), 0);
    ck_assert(e.len == z.len && memcmp(e.buf, z.buf, e.len) == 0);
    sl_strbuf_clear(&z);
    v.f64 = INFINITY;
    ck_assert_int_eq(sl_key_encode(&z, &v, &sl_type_double), 0);
    ck_assert_int_gt(memcmp(e.buf, z.buf, 9), 0);
    sl_strbuf_destroy(&z);

    /* DECIMAL(38) extremes round trip in both encodings */
    const sl_type_t *d38 = sl_type_decimal(&a, 38, 0, true);
    const sl_type_t *const row_t[1] = {d38};
    i128 lim = pow10_128(38) - 1;
    for (int s = -1; s <= 1; s += 2) {
        v = (sl_value_t){0};
        v.dec = s * lim;
        sl_strbuf_clear(&e);
        ck_assert_int_eq(sl_key_encode(&e, &v, d38), 0);
        ck_assert_int_eq(e.len, 17);
        pos = 0;
        ck_assert_int_eq(sl_key_decode(e.buf, e.len, &pos, &d, d38, &a), 0);
        ck_assert(d.dec == v.dec);
        sl_strbuf_clear(&e);
        ck_assert_int_eq(sl_row_encode(&e, &v, row_t, 1), 0);
        ck_assert_int_eq(sl_row_decode(e.buf, e.len, &d, row_t, 1, &a), 0);
        ck_assert(d.dec == v.dec);
    }

    /* errors leave the buffer as it was */
    sl_strbuf_clear(&e);
    ck_assert_int_eq(sl_strbuf_puts(&e, "abc"), 0);
    v = (sl_value_t){0};
    v.i64 = 128;
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_tinyint), -SL_ERANGE);
    ck_assert_int_eq(sl_row_encode(&e, &v, (const sl_type_t *const[]){&sl_type_tinyint}, 1),
                     -SL_ERANGE);
    ck_assert_int_eq(e.len, 3);
    sl_type_t *ms = sl_type_new(&a, SL_T_MULTISET);
    ms->elem = &sl_type_int;
    ck_assert_int_eq(sl_key_encode(&e, &v, ms), -SL_EUNSUPPORTED);
    ck_assert_int_eq(e.len, 3);
    const sl_type_t *vals_t[3] = {&sl_type_int, &sl_type_int, types[21].t};
    sl_value_t vals[3] = {{0}, {0}, {0}};
    vals[2].nested = nested_new(&a, 2); /* ROW of 3 fields with 2 values */
    ck_assert_int_eq(sl_key_encode_row(&e, vals, vals_t, 3), -SL_EINVAL);
    ck_assert_int_eq(sl_row_encode(&e, vals, vals_t, 3), -SL_EINVAL);
    ck_assert_int_eq(e.len, 3);
    ck_assert_str_eq(e.buf, "abc");
    /* a non-NULL value of the NULL type */
    ck_assert_int_eq(sl_key_encode(&e, &v, &sl_type_null), -SL_EINVAL);

    /* malformed keys */
    static const struct {
        const char *b;
        size_t n;
        const sl_type_t *t;
    } bad[] = {
        {"", 0, &sl_type_int},
        {"\x02", 1, &sl_type_int},
        {"\x01\x00\x00", 3, &sl_type_int},
        {"\x01" "abc", 4, &sl_type_string},
        {"\x01" "ab\x00", 4, &sl_type_string},
        {"\x01" "ab\x00\x02", 5, &sl_type_string},
        {"\x01\x02", 2, &sl_type_boolean},
        {"\x01\x01\x01\x80\x00\x00\x01", 7, NULL}, /* ARRAY<INT> cut */
        {"\x01\x02", 2, NULL},
    };
    const sl_type_t *arr = mk_array(&sl_type_int);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pos = 0;
        int rc = sl_key_decode(bad[i].b, bad[i].n, &pos, &d,
                               bad[i].t ? bad[i].t : arr, &a);
        if (rc != -SL_EFORMAT) ck_abort_msg("bad key %zu: %d", i, rc);
        ck_assert_uint_eq(pos, 0);
    }
    sl_strbuf_destroy(&e);
    sl_arena_destroy(&a);
}
END_TEST

/* Random bytes never crash the decoders (ASan/UBSan watch). */
START_TEST(test_garbage)
{
    sl_arena_t a;
    sl_arena_init(&a, 0);
    const sl_type_t *ts[NTYPES];
    for (int i = 0; i < NTYPES; i++) ts[i] = types[i].t;
    unsigned char buf[64];
    sl_value_t out[NTYPES];
    for (int it = 0; it < 20000; it++) {
        size_t n = rnd() % sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = rnd() % 3 ? (unsigned char)(rnd() % 3) : (unsigned char)rnd();
        int ti = (int)(rnd() % NTYPES);
        size_t pos = 0;
        int rc = sl_key_decode(buf, n, &pos, &out[0], ts[ti], &a);
        REQUIRE(rc == 0 || rc == -SL_EFORMAT);
        REQUIRE(pos <= n);
        int cols = 1 + (int)(rnd() % 4);
        if (ti + cols > NTYPES) cols = NTYPES - ti;
        rc = sl_row_decode(buf, n, out, ts + ti, cols, &a);
        REQUIRE(rc == 0 || rc == -SL_EFORMAT);
        if (it % 256 == 255) sl_arena_reset(&a);
    }
    sl_arena_destroy(&a);
}
END_TEST

/* Composite keys (STRING, BIGINT, DOUBLE) in a state table: encoding the
 * first column alone gives a prefix that selects exactly the rows with that
 * value, in SQL order of the rest; the first two columns give MAX through
 * sl_kv_last. */
START_TEST(test_composite_prefix)
{
    const sl_type_t *kt[3] = {&sl_type_string, &sl_type_bigint, &sl_type_double};
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_state_t *st = sl_state_memory_new();
    sl_kv_t *kv = sl_state_table(st, "minmax", 0);
    sl_strbuf_t k = SL_STRBUF_INIT, p = SL_STRBUF_INIT;
    enum { NROWS = 20000, NGROUPS = 40 };
    sl_value_t *rows = calloc(NROWS * 3, sizeof *rows);
    sl_value_t groups[NGROUPS];
    for (int g = 0; g < NGROUPS; g++) {
        gen(&groups[g], &sl_type_string, &a, 0);
        if (g < 3) { /* groups that are prefixes of each other as strings */
            groups[g] = (sl_value_t){0};
            groups[g].str = "ab\0\0\0";
            groups[g].len = (uint32_t)g + 2;
        }
    }
    for (int r = 0; r < NROWS; r++) {
        sl_value_t *row = &rows[r * 3];
        row[0] = groups[rnd() % NGROUPS];
        row[1] = (sl_value_t){0};
        row[1].i64 = (int64_t)(rnd() % 7) - 3;
        if (rnd() % 10 == 0) row[1].null = 1;
        gen(&row[2], &sl_type_double, &a, 0);
        sl_strbuf_clear(&k);
        REQUIRE(sl_key_encode_row(&k, row, kt, 3) == 0);
        sl_strbuf_clear(&p);
        REQUIRE(sl_key_encode(&p, &row[0], kt[0]) == 0);
        REQUIRE(is_prefix(&p, &k));
        REQUIRE(sl_kv_put(kv, k.buf, k.len, &r, sizeof r) == 0);
    }
    for (int g = 0; g < NGROUPS; g++) {
        /* distinct (a, b, c) triples of the group, by the reference order */
        int want = 0;
        sl_strbuf_clear(&p);
        REQUIRE(sl_key_encode(&p, &groups[g], kt[0]) == 0);
        sl_kv_iter_t *it = sl_kv_iter_new(kv, p.buf, p.len);
        const void *kb, *vb;
        size_t kn, vn;
        int prev = -1, got = 0;
        while (sl_kv_iter_next(it, &kb, &kn, &vb, &vn)) {
            int r;
            memcpy(&r, vb, sizeof r);
            sl_value_t *row = &rows[r * 3];
            REQUIRE(ref_cmp(&row[0], &groups[g], kt[0]) == 0);
            /* the key decodes back to the row */
            size_t pos = 0;
            sl_value_t dv[3];
            for (int c = 0; c < 3; c++) {
                REQUIRE(sl_key_decode(kb, kn, &pos, &dv[c], kt[c], &a) == 0);
                REQUIRE(same(&row[c], &dv[c], kt[c], 0));
            }
            REQUIRE(pos == kn);
            if (prev >= 0) {
                sl_value_t *pr = &rows[prev * 3];
                int c = ref_cmp(&pr[1], &row[1], kt[1]);
                if (!c) c = ref_cmp(&pr[2], &row[2], kt[2]);
                REQUIRE(c < 0);
            }
            prev = r;
            got++;
        }
        sl_kv_iter_free(it);
        /* the distinct keys of the group: rows whose key still maps to
         * them (the last write of equal keys wins) */
        for (int r = 0; r < NROWS; r++) {
            sl_value_t *row = &rows[r * 3];
            if (ref_cmp(&row[0], &groups[g], kt[0])) continue;
            sl_strbuf_clear(&k);
            REQUIRE(sl_key_encode_row(&k, row, kt, 3) == 0);
            int owner;
            REQUIRE(sl_kv_get(kv, k.buf, k.len, &vb, &vn) == 0);
            memcpy(&owner, vb, sizeof owner);
            want += owner == r;
        }
        ck_assert_int_eq(got, want);
        /* MAX(c) for (g, b): last with the two-column prefix */
        for (int64_t b = -3; b <= 3; b++) {
            sl_value_t pv[2] = {groups[g], {0}};
            pv[1].i64 = b;
            sl_strbuf_clear(&p);
            REQUIRE(sl_key_encode_row(&p, pv, kt, 2) == 0);
            int best = -1;
            for (int r = 0; r < NROWS; r++) {
                sl_value_t *row = &rows[r * 3];
                if (ref_cmp(&row[0], &pv[0], kt[0]) || ref_cmp(&row[1], &pv[1], kt[1]))
                    continue;
                if (best < 0 || ref_cmp(&row[2], &rows[best * 3 + 2], kt[2]) > 0) best = r;
            }
            int found = sl_kv_last(kv, p.buf, p.len, &kb, &kn, &vb, &vn);
            REQUIRE(found == (best >= 0));
            if (found) {
                int r;
                memcpy(&r, vb, sizeof r);
                REQUIRE(ref_cmp(&rows[r * 3 + 2], &rows[best * 3 + 2], kt[2]) == 0);
            }
        }
    }
    free(rows);
    sl_strbuf_destroy(&k);
    sl_strbuf_destroy(&p);
    sl_state_free(st);
    sl_arena_destroy(&a);
}
END_TEST

static Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("codec");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, types_setup, types_teardown);
    tcase_add_loop_test(tc, test_key_roundtrip_order, 0, NTYPES);
    tcase_add_test(tc, test_row_roundtrip);
    tcase_add_test(tc, test_boundaries);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_composite_prefix);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(codec_suite());
}
