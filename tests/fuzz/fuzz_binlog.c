/* fuzz_binlog.c - libFuzzer harness for the binlog decoder
 * (connectors/mysql/binlog.c): a TABLE_MAP event and a ROWS event, both
 * wrapped into whole events (header, body, CRC32) and decoded to the last
 * row image; the small-event parsers and FORMAT_DESCRIPTION run on the
 * same bytes. Any crash, leak, sanitizer report or broken invariant of a
 * decoded value (__builtin_trap) is a bug. Build and run with
 * `make fuzz-run` (seeded from tests/fuzz/seeds_binlog/).
 *
 * Input format (also that of the seed files):
 *   byte 0     flags: bit 0 events carry CRC32 checksums; bit 1 the server
 *              is MariaDB; bit 2 4-byte table ids (post-header 6); bits
 *              3..5 the ROWS event type, an index into {23, 24, 25, 30,
 *              31, 32, 39, 166}; bit 6 unsigned_hint all true (else NULL);
 *              bit 7 with bit 0: corrupt the checksums, which must fail
 *   bytes 1-2  L, little-endian: the TABLE_MAP body's length (clamped to
 *              what is left)
 *   then       L bytes of TABLE_MAP body (after the 19-byte header, without
 *              checksum), and the ROWS body to the end
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/mysql/binlog.h"

static const uint8_t rows_types[8] = {
    SL_BL_WRITE_ROWS_V1, SL_BL_UPDATE_ROWS_V1, SL_BL_DELETE_ROWS_V1,
    SL_BL_WRITE_ROWS_V2, SL_BL_UPDATE_ROWS_V2, SL_BL_DELETE_ROWS_V2,
    SL_BL_MYSQL_PARTIAL_UPDATE_ROWS, SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1,
};

#define CHECK(c)                                                           \
    do {                                                                   \
        if (!(c)) __builtin_trap();                                        \
    } while (0)

static uint32_t crc32_bits(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* A whole event of `type` around body[0..n) (malloc'd; the caller frees):
 * header, body, CRC32 when crc (flipped when corrupt). */
static uint8_t *wrap(uint8_t type, const uint8_t *body, size_t n, bool crc,
                     bool corrupt, size_t *len)
{
    size_t total = 19 + n + (crc ? 4 : 0);
    uint8_t *e = malloc(total ? total : 1);
    if (!e) abort();
    memset(e, 0, 19);
    e[4] = type;
    e[5] = 9;                                           /* server id */
    for (int i = 0; i < 4; i++) e[9 + i] = (uint8_t)(total >> (8 * i));
    if (n) memcpy(e + 19, body, n);
    if (crc) {
        uint32_t c = crc32_bits(e, total - 4) ^ (corrupt ? 1u : 0u);
        for (int i = 0; i < 4; i++) e[total - 4 + i] = (uint8_t)(c >> (8 * i));
    }
    *len = total;
    return e;
}

/* The body of a wrapped event via the decoder's own header and checksum
 * checks; NULL when a corrupted checksum was (rightly) refused. */
static const uint8_t *unwrap(const sl_bl_format_t *f, const uint8_t *e,
                             size_t len, bool corrupt, size_t *blen)
{
    sl_err_t err;
    sl_bl_header_t h;
    CHECK(sl_bl_header_parse(e, len, &h, &err) == 0);
    CHECK(h.event_size == len);
    const uint8_t *body;
    int rc = sl_bl_body(f, e, len, &body, blen, &err);
    if (corrupt) {
        CHECK(rc == -SL_EINVAL);
        return NULL;
    }
    CHECK(rc == 0);
    CHECK(body == e + 19 && *blen == len - 19 - (f->checksum ? 4 : 0));
    return body;
}

/* Invariants of a decoded value; strings must lie in [lo, hi). */
static void check_value(const sl_myval_t *v, const uint8_t *lo, const uint8_t *hi)
{
    switch (v->kind) {
    case SL_MV_STRING:
    case SL_MV_JSON:
        CHECK((const uint8_t *)v->str >= lo && v->len <= (size_t)(hi - (const uint8_t *)v->str));
        break;
    case SL_MV_DECIMAL:
        CHECK(v->str && strlen(v->str) == v->len && v->len > 0 && v->len < 70);
        break;
    case SL_MV_TIME:
        CHECK(v->i64 >= 0 && v->i64 <= 838 && v->minute <= 59 && v->second <= 59 &&
              v->micro <= 999999 && v->fsp <= 6);
        break;
    case SL_MV_DATE:
    case SL_MV_DATETIME:
        CHECK(v->year <= 9999 && v->month <= 12 && v->day <= 31 && v->hour <= 23 &&
              v->minute <= 59 && v->second <= 59 && v->micro <= 999999);
        break;
    case SL_MV_TIMESTAMP:
        CHECK(v->micro <= 999999 && v->i64 >= 0 && v->i64 <= UINT32_MAX);
        break;
    default:
        CHECK(v->kind <= SL_MV_TIMESTAMP);
        break;
    }
}

/* The small-event parsers on arbitrary bodies: errors only. */
static void small_events(const sl_bl_format_t *f, const uint8_t *b, size_t n)
{
    sl_err_t err;
    sl_bl_query_t q;
    if (sl_bl_query_parse(f, b, n, &q, &err) == 0)
        CHECK((const uint8_t *)q.sql + q.sql_len == b + n && q.db_len <= n);
    sl_bl_rotate_t r;
    if (sl_bl_rotate_parse(f, b, n, &r, &err) == 0)
        CHECK((const uint8_t *)r.file + r.file_len == b + n);
    uint64_t xid;
    sl_bl_xid_parse(b, n, &xid, &err);
    sl_bl_gtid_t g;
    sl_bl_header_t h = {.type = SL_BL_MARIADB_GTID, .server_id = 1};
    sl_bl_gtid_parse(f, &h, b, n, &g, &err);
    h.type = SL_BL_MYSQL_GTID;
    sl_bl_gtid_parse(f, &h, b, n, &g, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 256 * 1024) return 0;
    uint8_t flags = data[0];
    size_t tm_len = (size_t)data[1] | (size_t)data[2] << 8;
    const uint8_t *tm = data + 3;
    size_t rest = size - 3;
    if (tm_len > rest) tm_len = rest;
    const uint8_t *rows = tm + tm_len;
    size_t rows_len = rest - tm_len;

    sl_bl_format_t f;
    sl_bl_format_default(&f);
    f.checksum = flags & 1;
    f.mariadb = (flags & 2) != 0;
    uint8_t rtype = rows_types[(flags >> 3) & 7];
    if (flags & 4) {
        f.post_header_len[SL_BL_TABLE_MAP] = 6;
        f.post_header_len[rtype] = 6;
    }
    bool corrupt = f.checksum && (flags & 0x80);
    static const bool all_unsigned[65536] = {[0 ... 65535] = true};
    const bool *hint = (flags & 0x40) ? all_unsigned : NULL;

    /* the whole input as a FORMAT_DESCRIPTION event */
    size_t elen;
    uint8_t *e = wrap(SL_BL_FORMAT_DESCRIPTION, data + 3, size - 3, f.checksum, corrupt, &elen);
    sl_bl_format_t f2;
    sl_err_t err;
    if (sl_bl_format_parse(e, elen, &f2, &err) == 0)
        CHECK(f2.binlog_version == 4 && strlen(f2.server_version) <= 50);
    free(e);

    sl_arena_t arena;
    sl_arena_init(&arena, 0);
    uint8_t *tm_ev = wrap(SL_BL_TABLE_MAP, tm, tm_len, f.checksum, corrupt, &elen);
    size_t blen;
    const uint8_t *body = unwrap(&f, tm_ev, elen, corrupt, &blen);
    sl_bl_table_t t;
    if (body && sl_bl_table_map_parse(&f, body, blen, &arena, &t, &err) == 0) {
        CHECK(t.db && t.table && t.ncols >= 0 && t.npk >= 0);
        for (int i = 0; i < t.npk; i++) CHECK(t.pk[i] >= 0 && t.pk[i] < t.ncols);
        for (int i = 0; i < t.ncols; i++)
            for (int k = 0; k < t.cols[i].nvalues; k++) CHECK(t.cols[i].values[k]);

        uint8_t *rows_ev = wrap(rtype, rows, rows_len, f.checksum, false, &elen);
        const uint8_t *rb = unwrap(&f, rows_ev, elen, false, &blen);
        sl_bl_rows_t r;
        if (sl_bl_rows_parse(&f, rtype, rb, blen, &r, &err) == 0) {
            /* the table map names the table; make the counts agree so the
             * images get decoded (a mismatch is tested once) */
            if (r.ncols != (uint32_t)t.ncols) {
                sl_myval_t one;
                CHECK(sl_bl_rows_next(&r, &t, false, hint, &one, &arena, &err) <= 0);
            } else {
                sl_myval_t *vals = sl_arena_alloc(&arena, (size_t)(t.ncols + 1) * sizeof *vals);
                if (!vals) abort();
                for (int img = 0; img < 100000; img++) {
                    bool after = r.kind == SL_BL_ROWS_UPDATE && img % 2 == 1;
                    const uint8_t *before = r.pos;
                    int rc = sl_bl_rows_next(&r, &t, after, hint, vals, &arena, &err);
                    if (rc != 1) {
                        CHECK(rc <= 0);
                        break;
                    }
                    CHECK(r.pos > before && r.pos <= r.end);
                    for (int i = 0; i < t.ncols; i++) check_value(&vals[i], rb, rb + blen);
                }
            }
        }
        free(rows_ev);
    }
    small_events(&f, rows, rows_len);
    free(tm_ev);
    sl_arena_destroy(&arena);
    return 0;
}
