/* codec.c - memcomparable key encoding and compact row encoding of SQL
 * values for state; see codec.h.
 *
 * Keys. Every value starts with a tag byte, 0x00 for NULL (so NULL sorts
 * first) and 0x01 for a value, which follows:
 *   BOOLEAN              1 byte, 0 or 1
 *   TINYINT..BIGINT      1, 2, 4, 8 bytes (the declared width): two's
 *                        complement big-endian with the sign bit flipped
 *   INTERVAL YM / DT     8 bytes, the same
 *   DECIMAL(p,s)         the unscaled integer the same way, 8 bytes when
 *                        p <= 18, else 16 (one column has one type)
 *   FLOAT / DOUBLE       the IEEE bits of a float / double, big-endian;
 *                        positive: sign bit set, negative: all bits flipped.
 *                        -0.0 is written as 0.0 and every NaN as one
 *                        positive quiet NaN, which sorts after +inf
 *   DATE                 4 bytes, TIME 8 bytes (nanos), both sign-flipped
 *   TIMESTAMP(_LTZ)      millis 8 bytes, then nanos of milli 4 bytes
 *   CHAR..VARBINARY      the bytes with 0x00 written as 0x00 0xFF, then
 *                        the terminator 0x00 0x01: order is kept and no
 *                        encoding is a prefix of another
 *   ROW                  the fields one after another (a fixed count)
 *   ARRAY                0x01 before every element, 0x00 after the last,
 *                        so a shorter array that is a prefix sorts first
 *   MAP                  the same over (key, value) pairs, in the stored
 *                        order (maps compare by it, not as sets)
 * A NULL-typed value is its tag alone. MULTISET, RAW and the internal
 * types are -SL_EUNSUPPORTED.
 *
 * Rows. A bitmap of NULLs (bit i of byte i/8), then each non-NULL value:
 * fixed-width numbers little-endian at the widths above (FLOAT as a float,
 * -0.0 and NaN payloads kept), strings as a LEB128 length and the bytes,
 * ROW as a nested row, ARRAY as a LEB128 count and a row of the elements,
 * MAP as a count, a row of the keys and a row of the values.
 *
 * Encoders restore the buffer's length when they fail (-SL_ENOMEM,
 * -SL_ERANGE for an integer outside its declared width, -SL_EINVAL for a
 * ROW value with the wrong field count). Decoders check every length
 * against the buffer and return -SL_EFORMAT for anything malformed, and
 * -SL_ENOMEM when the arena is exhausted. Pure functions: thread-safe.
 */
#include "state/codec.h"

#include <endian.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#define TAG_NULL 0x00
#define TAG_VALUE 0x01
#define ELEM_MORE 0x01
#define ELEM_END 0x00
#define CANON_NAN64 0x7ff8000000000000ULL
#define CANON_NAN32 0x7fc00000U

typedef unsigned __int128 u128;

/* Bytes a fixed-width integer-like type takes; 0 for other types. */
static int int_width(const sl_type_t *t)
{
    switch (t->id) {
    case SL_T_TINYINT: return 1;
    case SL_T_SMALLINT: return 2;
    case SL_T_INT: return 4;
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT: return 8;
    default: return 0;
    }
}

static bool fits_width(int64_t x, int w)
{
    if (w == 8) return true;
    int64_t lim = (int64_t)1 << (8 * w - 1);
    return x >= -lim && x < lim;
}

static bool dec_wide(const sl_type_t *t)
{
    return !(t->len >= 1 && t->len <= 18);
}

/* Writes the low w bytes of x big-endian. */
static int put_be(sl_strbuf_t *out, uint64_t x, int w)
{
    unsigned char b[8];
    for (int i = w - 1; i >= 0; i--) {
        b[i] = (unsigned char)x;
        x >>= 8;
    }
    return sl_strbuf_append(out, b, (size_t)w);
}

static uint64_t get_be(const unsigned char *p, int w)
{
    uint64_t x = 0;
    for (int i = 0; i < w; i++) x = x << 8 | p[i];
    return x;
}

static int put_le(sl_strbuf_t *out, uint64_t x, int w)
{
    unsigned char b[8];
    for (int i = 0; i < w; i++) {
        b[i] = (unsigned char)x;
        x >>= 8;
    }
    return sl_strbuf_append(out, b, (size_t)w);
}

static uint64_t get_le(const unsigned char *p, int w)
{
    uint64_t x = 0;
    for (int i = w - 1; i >= 0; i--) x = x << 8 | p[i];
    return x;
}

/* Sign-extends the low w bytes of x. */
static int64_t sext(uint64_t x, int w)
{
    if (w == 8) return (int64_t)x;
    int sh = 64 - 8 * w;
    return (int64_t)(x << sh) >> sh;
}

static int put_flipped(sl_strbuf_t *out, int64_t x, int w)
{
    return put_be(out, (uint64_t)x ^ ((uint64_t)1 << (8 * w - 1)), w);
}

static int64_t get_flipped(const unsigned char *p, int w)
{
    return sext(get_be(p, w) ^ ((uint64_t)1 << (8 * w - 1)), w);
}

static uint64_t f64_key(double d)
{
    uint64_t u;
    if (isnan(d)) return CANON_NAN64 | (1ULL << 63);
    if (d == 0) d = 0.0; /* -0.0 -> 0.0 */
    memcpy(&u, &d, 8);
    return (u >> 63) ? ~u : u | (1ULL << 63);
}

static double f64_unkey(uint64_t u)
{
    u = (u >> 63) ? u & ~(1ULL << 63) : ~u;
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static uint32_t f32_key(double d)
{
    uint32_t u;
    if (isnan(d)) return CANON_NAN32 | (1U << 31);
    float f = d == 0 ? 0.0f : (float)d;
    memcpy(&u, &f, 4);
    return (u >> 31) ? ~u : u | (1U << 31);
}

static double f32_unkey(uint32_t u)
{
    u = (u >> 31) ? u & ~(1U << 31) : ~u;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* ---- key encoding -------------------------------------------------------- */

static int kenc(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t);

static int kenc_str(sl_strbuf_t *out, const char *s, size_t n)
{
    static const unsigned char esc[2] = {0x00, 0xFF}, term[2] = {0x00, 0x01};
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *z = memchr(p, 0, (size_t)(end - p));
        size_t run = z ? (size_t)(z - p) : (size_t)(end - p);
        if (run && sl_strbuf_append(out, p, run)) return -SL_ENOMEM;
        if (!z) break;
        if (sl_strbuf_append(out, esc, 2)) return -SL_ENOMEM;
        p = z + 1;
    }
    return sl_strbuf_append(out, term, 2);
}

/* n elements of type t each preceded by ELEM_MORE, then ELEM_END. */
static int kenc_seq(sl_strbuf_t *out, const sl_value_t *v, int n,
                    const sl_type_t *t, int stride, int off)
{
    for (int i = 0; i < n; i++) {
        int rc = sl_strbuf_putc(out, ELEM_MORE);
        if (!rc) rc = kenc(out, &v[i * stride + off], t);
        if (rc) return rc;
    }
    return sl_strbuf_putc(out, ELEM_END);
}

static int kenc(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
    int rc, w;
    if (v->null) return sl_strbuf_putc(out, TAG_NULL);
    if (t->id == SL_T_NULL) return -SL_EINVAL; /* only NULL has that type */
    /* unsupported types fail after the tag; the caller rolls back */
    if ((rc = sl_strbuf_putc(out, TAG_VALUE))) return rc;
    switch (t->id) {
    case SL_T_BOOLEAN:
        return sl_strbuf_putc(out, v->b ? 1 : 0);
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        w = int_width(t);
        if (!fits_width(v->i64, w)) return -SL_ERANGE;
        return put_flipped(out, v->i64, w);
    case SL_T_DECIMAL:
        if (!dec_wide(t)) {
            if (v->dec < INT64_MIN || v->dec > INT64_MAX) return -SL_ERANGE;
            return put_flipped(out, (int64_t)v->dec, 8);
        } else {
            u128 u = (u128)v->dec ^ ((u128)1 << 127);
            if ((rc = put_be(out, (uint64_t)(u >> 64), 8))) return rc;
            return put_be(out, (uint64_t)u, 8);
        }
    case SL_T_FLOAT:
        return put_be(out, f32_key(v->f64), 4);
    case SL_T_DOUBLE:
        return put_be(out, f64_key(v->f64), 8);
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        return kenc_str(out, v->str, v->len);
    case SL_T_DATE:
        return put_flipped(out, v->date, 4);
    case SL_T_TIME:
        return put_flipped(out, v->time, 8);
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if ((rc = put_flipped(out, v->ts.millis, 8))) return rc;
        return put_flipped(out, v->ts.nanos, 4);
    case SL_T_ROW: {
        const sl_nested_t *r = v->nested;
        if (!r || r->n != t->nfields) return -SL_EINVAL;
        for (int i = 0; i < r->n; i++)
            if ((rc = kenc(out, &r->v[i], t->fields[i].type))) return rc;
        return 0;
    }
    case SL_T_ARRAY:
        if (!v->nested) return -SL_EINVAL;
        return kenc_seq(out, v->nested->v, v->nested->n, t->elem, 1, 0);
    case SL_T_MAP: {
        const sl_nested_t *m = v->nested;
        if (!m) return -SL_EINVAL;
        for (int i = 0; i < m->n; i++) {
            if ((rc = sl_strbuf_putc(out, ELEM_MORE))) return rc;
            if ((rc = kenc(out, &m->v[i], t->key))) return rc;
            if ((rc = kenc(out, &m->v[m->n + i], t->elem))) return rc;
        }
        return sl_strbuf_putc(out, ELEM_END);
    }
    default:
        return -SL_EUNSUPPORTED;
    }
}

/* Drops what a failed encoder appended. */
static int rollback(sl_strbuf_t *out, size_t len, int rc)
{
    if (rc && out->len > len) {
        out->len = len;
        out->buf[len] = '\0';
    }
    return rc;
}

int sl_key_encode(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
    size_t len = out->len;
    return rollback(out, len, kenc(out, v, t));
}

int sl_key_encode_row(sl_strbuf_t *out, const sl_value_t *vals,
                      const sl_type_t *const *types, int n)
{
    size_t len = out->len;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) rc = kenc(out, &vals[i], types[i]);
    return rollback(out, len, rc);
}

/* ---- key decoding -------------------------------------------------------- */

typedef struct rd {
    const unsigned char *b;
    size_t len, pos;
    sl_arena_t *a;
} rd_t;

static int kdec(rd_t *r, sl_value_t *v, const sl_type_t *t);

static int need(const rd_t *r, size_t n)
{
    return r->len - r->pos >= n ? 0 : -SL_EFORMAT;
}

static int kdec_str(rd_t *r, sl_value_t *v)
{
    /* pass 1: find the terminator and the decoded length */
    size_t i = r->pos, n = 0;
    for (;;) {
        const unsigned char *z = memchr(r->b + i, 0, r->len - i);
        if (!z || (size_t)(z - r->b) + 1 >= r->len) return -SL_EFORMAT;
        size_t zi = (size_t)(z - r->b);
        n += zi - i;
        if (r->b[zi + 1] == 0x01) {
            i = zi + 2;
            break;
        }
        if (r->b[zi + 1] != 0xFF) return -SL_EFORMAT;
        n++;
        i = zi + 2;
    }
    if (n > UINT32_MAX) return -SL_EFORMAT;
    size_t end = i;
    if (v) {
        char *s = sl_arena_alloc(r->a, n ? n : 1);
        if (!s) return -SL_ENOMEM;
        /* pass 2: copy, unescaping */
        size_t o = 0;
        for (i = r->pos; o < n;) {
            unsigned char c = r->b[i];
            s[o++] = (char)c;
            i += c == 0 ? 2 : 1;
        }
        v->str = s;
        v->len = (uint32_t)n;
    }
    r->pos = end;
    return 0;
}

/* Elements of a sequence (ARRAY, MAP): per element `per` values of the
 * given types. Counts them first (decoding into nothing), then decodes. */
static int kdec_seq(rd_t *r, sl_value_t *v, const sl_type_t *t1,
                    const sl_type_t *t2)
{
    size_t start = r->pos;
    int n = 0, rc;
    for (;;) {
        if ((rc = need(r, 1))) return rc;
        unsigned char m = r->b[r->pos++];
        if (m == ELEM_END) break;
        if (m != ELEM_MORE || n == INT_MAX) return -SL_EFORMAT;
        if ((rc = kdec(r, NULL, t1))) return rc;
        if (t2 && (rc = kdec(r, NULL, t2))) return rc;
        n++;
    }
    if (!v) return 0;
    int per = t2 ? 2 : 1;
    sl_nested_t *nest =
        sl_arena_alloc(r->a, sizeof *nest + (size_t)n * per * sizeof(sl_value_t));
    if (!nest) return -SL_ENOMEM;
    nest->n = n;
    r->pos = start;
    for (int i = 0; i < n; i++) {
        r->pos++; /* ELEM_MORE */
        if ((rc = kdec(r, &nest->v[i], t1))) return rc;
        if (t2 && (rc = kdec(r, &nest->v[n + i], t2))) return rc;
    }
    r->pos++; /* ELEM_END */
    v->nested = nest;
    v->len = (uint32_t)n;
    return 0;
}

/* Decodes one value at r->pos into v, or skips it when v is NULL. */
static int kdec(rd_t *r, sl_value_t *v, const sl_type_t *t)
{
    int rc, w;
    if ((rc = need(r, 1))) return rc;
    unsigned char tag = r->b[r->pos];
    if (tag > TAG_VALUE) return -SL_EFORMAT;
    if (v) memset(v, 0, sizeof *v);
    if (tag == TAG_NULL) {
        r->pos++;
        if (v) v->null = 1;
        return 0;
    }
    if (t->id == SL_T_NULL) return -SL_EFORMAT;
    r->pos++;
    const unsigned char *p = r->b + r->pos;
    switch (t->id) {
    case SL_T_BOOLEAN:
        if ((rc = need(r, 1))) return rc;
        if (*p > 1) return -SL_EFORMAT;
        if (v) v->b = *p;
        r->pos += 1;
        return 0;
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        w = int_width(t);
        if ((rc = need(r, (size_t)w))) return rc;
        if (v) v->i64 = get_flipped(p, w);
        r->pos += (size_t)w;
        return 0;
    case SL_T_DECIMAL:
        if (!dec_wide(t)) {
            if ((rc = need(r, 8))) return rc;
            if (v) v->dec = get_flipped(p, 8);
            r->pos += 8;
        } else {
            if ((rc = need(r, 16))) return rc;
            u128 u = (u128)get_be(p, 8) << 64 | get_be(p + 8, 8);
            if (v) v->dec = (__int128)(u ^ ((u128)1 << 127));
            r->pos += 16;
        }
        return 0;
    case SL_T_FLOAT:
        if ((rc = need(r, 4))) return rc;
        if (v) v->f64 = f32_unkey((uint32_t)get_be(p, 4));
        r->pos += 4;
        return 0;
    case SL_T_DOUBLE:
        if ((rc = need(r, 8))) return rc;
        if (v) v->f64 = f64_unkey(get_be(p, 8));
        r->pos += 8;
        return 0;
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        return kdec_str(r, v);
    case SL_T_DATE:
        if ((rc = need(r, 4))) return rc;
        if (v) v->date = (sl_date_t)get_flipped(p, 4);
        r->pos += 4;
        return 0;
    case SL_T_TIME:
        if ((rc = need(r, 8))) return rc;
        if (v) v->time = get_flipped(p, 8);
        r->pos += 8;
        return 0;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if ((rc = need(r, 12))) return rc;
        if (v) {
            v->ts.millis = get_flipped(p, 8);
            v->ts.nanos = (int32_t)get_flipped(p + 8, 4);
        }
        r->pos += 12;
        return 0;
    case SL_T_ROW: {
        int n = t->nfields;
        sl_nested_t *nest = NULL;
        if (v) {
            nest = sl_arena_alloc(r->a, sizeof *nest + (size_t)n * sizeof(sl_value_t));
            if (!nest) return -SL_ENOMEM;
            nest->n = n;
        }
        for (int i = 0; i < n; i++)
            if ((rc = kdec(r, nest ? &nest->v[i] : NULL, t->fields[i].type)))
                return rc;
        if (v) {
            v->nested = nest;
            v->len = (uint32_t)n;
        }
        return 0;
    }
    case SL_T_ARRAY:
        return kdec_seq(r, v, t->elem, NULL);
    case SL_T_MAP:
        return kdec_seq(r, v, t->key, t->elem);
    default:
        return -SL_EUNSUPPORTED;
    }
}

int sl_key_decode(const void *buf, size_t len, size_t *pos, sl_value_t *v,
                  const sl_type_t *t, sl_arena_t *a)
{
    rd_t r = {buf, len, *pos, a};
    if (r.pos > len) return -SL_EFORMAT;
    int rc = kdec(&r, v, t);
    if (!rc) *pos = r.pos;
    return rc;
}

/* ---- row encoding -------------------------------------------------------- */

/* Where the types of a row's values come from: a list, ROW fields, or one
 * type for all (array elements). */
typedef struct tsrc {
    const sl_type_t *const *list;
    const sl_field_t *fields;
    const sl_type_t *one;
} tsrc_t;

static const sl_type_t *type_at(const tsrc_t *ts, int i)
{
    if (ts->list) return ts->list[i];
    if (ts->fields) return ts->fields[i].type;
    return ts->one;
}

static int put_varint(sl_strbuf_t *out, uint64_t x)
{
    unsigned char b[10];
    int n = 0;
    do {
        b[n] = (unsigned char)(x & 0x7F);
        x >>= 7;
        if (x) b[n] |= 0x80;
        n++;
    } while (x);
    return sl_strbuf_append(out, b, (size_t)n);
}

static int get_varint(rd_t *r, uint64_t *x)
{
    uint64_t v = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        if (r->pos >= r->len) return -SL_EFORMAT;
        unsigned char c = r->b[r->pos++];
        v |= (uint64_t)(c & 0x7F) << sh;
        if (!(c & 0x80)) {
            *x = v;
            return 0;
        }
    }
    return -SL_EFORMAT;
}

static int renc_values(sl_strbuf_t *out, const sl_value_t *v, int n,
                       const tsrc_t *ts);

static int renc(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
    int rc, w;
    switch (t->id) {
    case SL_T_BOOLEAN:
        return sl_strbuf_putc(out, v->b ? 1 : 0);
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        w = int_width(t);
        if (!fits_width(v->i64, w)) return -SL_ERANGE;
        return put_le(out, (uint64_t)v->i64, w);
    case SL_T_DECIMAL:
        if (!dec_wide(t)) {
            if (v->dec < INT64_MIN || v->dec > INT64_MAX) return -SL_ERANGE;
            return put_le(out, (uint64_t)(int64_t)v->dec, 8);
        }
        if ((rc = put_le(out, (uint64_t)(u128)v->dec, 8))) return rc;
        return put_le(out, (uint64_t)((u128)v->dec >> 64), 8);
    case SL_T_FLOAT: {
        float f = (float)v->f64;
        uint32_t u;
        memcpy(&u, &f, 4);
        return put_le(out, u, 4);
    }
    case SL_T_DOUBLE: {
        uint64_t u;
        memcpy(&u, &v->f64, 8);
        return put_le(out, u, 8);
    }
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        if ((rc = put_varint(out, v->len))) return rc;
        return v->len ? sl_strbuf_append(out, v->str, v->len) : 0;
    case SL_T_DATE:
        return put_le(out, (uint64_t)(int64_t)v->date, 4);
    case SL_T_TIME:
        return put_le(out, (uint64_t)v->time, 8);
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if ((rc = put_le(out, (uint64_t)v->ts.millis, 8))) return rc;
        return put_le(out, (uint64_t)(int64_t)v->ts.nanos, 4);
    case SL_T_ROW: {
        const sl_nested_t *r = v->nested;
        if (!r || r->n != t->nfields) return -SL_EINVAL;
        tsrc_t ts = {NULL, t->fields, NULL};
        return renc_values(out, r->v, r->n, &ts);
    }
    case SL_T_ARRAY: {
        const sl_nested_t *r = v->nested;
        if (!r || r->n < 0) return -SL_EINVAL;
        tsrc_t ts = {NULL, NULL, t->elem};
        if ((rc = put_varint(out, (uint64_t)r->n))) return rc;
        return renc_values(out, r->v, r->n, &ts);
    }
    case SL_T_MAP: {
        const sl_nested_t *r = v->nested;
        if (!r || r->n < 0) return -SL_EINVAL;
        tsrc_t tk = {NULL, NULL, t->key}, tv = {NULL, NULL, t->elem};
        if ((rc = put_varint(out, (uint64_t)r->n))) return rc;
        if ((rc = renc_values(out, r->v, r->n, &tk))) return rc;
        return renc_values(out, r->v + r->n, r->n, &tv);
    }
    case SL_T_NULL:
        return -SL_EINVAL; /* only NULL has that type */
    default:
        return -SL_EUNSUPPORTED;
    }
}

static int renc_values(sl_strbuf_t *out, const sl_value_t *v, int n,
                       const tsrc_t *ts)
{
    size_t nb = ((size_t)n + 7) / 8;
    int rc = sl_strbuf_reserve(out, nb);
    if (rc) return rc;
    unsigned char *bm = (unsigned char *)out->buf + out->len;
    memset(bm, 0, nb);
    for (int i = 0; i < n; i++)
        if (v[i].null) bm[i / 8] |= (unsigned char)(1u << (i % 8));
    out->len += nb;
    out->buf[out->len] = '\0';
    for (int i = 0; i < n; i++)
        if (!v[i].null && (rc = renc(out, &v[i], type_at(ts, i)))) return rc;
    return 0;
}

int sl_row_encode(sl_strbuf_t *out, const sl_value_t *vals,
                  const sl_type_t *const *types, int n)
{
    if (n < 0) return -SL_EINVAL;
    size_t len = out->len;
    tsrc_t ts = {types, NULL, NULL};
    return rollback(out, len, renc_values(out, vals, n, &ts));
}

/* ---- row decoding -------------------------------------------------------- */

static int rdec_values(rd_t *r, sl_value_t *v, int n, const tsrc_t *ts);

static int rdec_nested(rd_t *r, sl_value_t *v, int n, const tsrc_t *ts1,
                       const tsrc_t *ts2)
{
    int per = ts2 ? 2 : 1;
    sl_nested_t *nest =
        sl_arena_alloc(r->a, sizeof *nest + (size_t)n * per * sizeof(sl_value_t));
    if (!nest) return -SL_ENOMEM;
    nest->n = n;
    int rc = rdec_values(r, nest->v, n, ts1);
    if (!rc && ts2) rc = rdec_values(r, nest->v + n, n, ts2);
    if (rc) return rc;
    v->nested = nest;
    v->len = (uint32_t)n;
    return 0;
}

/* A count of nested values: each takes at least a bitmap bit. */
static int get_count(rd_t *r, int *n)
{
    uint64_t x;
    int rc = get_varint(r, &x);
    if (rc) return rc;
    if (x > INT_MAX || x / 8 > r->len - r->pos) return -SL_EFORMAT;
    *n = (int)x;
    return 0;
}

static int rdec(rd_t *r, sl_value_t *v, const sl_type_t *t)
{
    int rc, w, n;
    const unsigned char *p = r->b + r->pos;
    switch (t->id) {
    case SL_T_BOOLEAN:
        if ((rc = need(r, 1))) return rc;
        if (*p > 1) return -SL_EFORMAT;
        v->b = *p;
        r->pos += 1;
        return 0;
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        w = int_width(t);
        if ((rc = need(r, (size_t)w))) return rc;
        v->i64 = sext(get_le(p, w), w);
        r->pos += (size_t)w;
        return 0;
    case SL_T_DECIMAL:
        if (!dec_wide(t)) {
            if ((rc = need(r, 8))) return rc;
            v->dec = (int64_t)get_le(p, 8);
            r->pos += 8;
        } else {
            if ((rc = need(r, 16))) return rc;
            v->dec = (__int128)((u128)get_le(p + 8, 8) << 64 | get_le(p, 8));
            r->pos += 16;
        }
        return 0;
    case SL_T_FLOAT: {
        if ((rc = need(r, 4))) return rc;
        uint32_t u = (uint32_t)get_le(p, 4);
        float f;
        memcpy(&f, &u, 4);
        v->f64 = f;
        r->pos += 4;
        return 0;
    }
    case SL_T_DOUBLE: {
        if ((rc = need(r, 8))) return rc;
        uint64_t u = get_le(p, 8);
        memcpy(&v->f64, &u, 8);
        r->pos += 8;
        return 0;
    }
    case SL_T_CHAR:
    case SL_T_VARCHAR:
    case SL_T_BINARY:
    case SL_T_VARBINARY: {
        uint64_t x;
        if ((rc = get_varint(r, &x))) return rc;
        if (x > UINT32_MAX || (rc = need(r, (size_t)x))) return -SL_EFORMAT;
        char *s = sl_arena_alloc(r->a, x ? (size_t)x : 1);
        if (!s) return -SL_ENOMEM;
        if (x) memcpy(s, r->b + r->pos, (size_t)x);
        v->str = s;
        v->len = (uint32_t)x;
        r->pos += (size_t)x;
        return 0;
    }
    case SL_T_DATE:
        if ((rc = need(r, 4))) return rc;
        v->date = (sl_date_t)sext(get_le(p, 4), 4);
        r->pos += 4;
        return 0;
    case SL_T_TIME:
        if ((rc = need(r, 8))) return rc;
        v->time = (int64_t)get_le(p, 8);
        r->pos += 8;
        return 0;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        if ((rc = need(r, 12))) return rc;
        v->ts.millis = (int64_t)get_le(p, 8);
        v->ts.nanos = (int32_t)sext(get_le(p + 8, 4), 4);
        r->pos += 12;
        return 0;
    case SL_T_ROW: {
        tsrc_t ts = {NULL, t->fields, NULL};
        return rdec_nested(r, v, t->nfields, &ts, NULL);
    }
    case SL_T_ARRAY: {
        tsrc_t ts = {NULL, NULL, t->elem};
        if ((rc = get_count(r, &n))) return rc;
        return rdec_nested(r, v, n, &ts, NULL);
    }
    case SL_T_MAP: {
        tsrc_t tk = {NULL, NULL, t->key}, tv = {NULL, NULL, t->elem};
        if ((rc = get_count(r, &n))) return rc;
        return rdec_nested(r, v, n, &tk, &tv);
    }
    case SL_T_NULL:
        return -SL_EFORMAT; /* a NULL-typed value is always NULL */
    default:
        return -SL_EUNSUPPORTED;
    }
}

static int rdec_values(rd_t *r, sl_value_t *v, int n, const tsrc_t *ts)
{
    size_t nb = ((size_t)n + 7) / 8;
    int rc = need(r, nb);
    if (rc) return rc;
    const unsigned char *bm = r->b + r->pos;
    r->pos += nb;
    for (int i = 0; i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        if (bm[i / 8] >> (i % 8) & 1) {
            v[i].null = 1;
            continue;
        }
        if ((rc = rdec(r, &v[i], type_at(ts, i)))) return rc;
    }
    /* bits past n must be clear, so each row has one encoding */
    if (n % 8 && bm[nb - 1] >> (n % 8)) return -SL_EFORMAT;
    return 0;
}

int sl_row_decode(const void *buf, size_t len, sl_value_t *vals,
                  const sl_type_t *const *types, int n, sl_arena_t *a)
{
    if (n < 0) return -SL_EINVAL;
    rd_t r = {buf, len, 0, a};
    tsrc_t ts = {types, NULL, NULL};
    int rc = rdec_values(&r, vals, n, &ts);
    if (rc) return rc;
    return r.pos == len ? 0 : -SL_EFORMAT;
}
