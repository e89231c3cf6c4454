/* check_binlog.c - unit tests for connectors/mysql/binlog: event headers,
 * checksums, FORMAT_DESCRIPTION, the small events, TABLE_MAP with and
 * without optional metadata, ROWS v1/v2 and every column value format.
 *
 * Events are built byte by byte here. Expected packed bytes were derived
 * from the format descriptions (MySQL decimal.c's decimal2bin, my_time.c's
 * *_to_binary functions) independently of the decoder; the TIME2 cases
 * include rows of the table in my_time.c's comment on negative fractions
 * (7FFFFE.FF is -00:00:01.01, 7FFFFF.FF is -00:00:00.01).
 *
 * With SL_BINLOG_SEEDS=DIR in the environment, every table-map + rows pair
 * built here is also written to DIR as a seed for tests/fuzz/fuzz_binlog.c
 * (file format described there). */
#include "connectors/mysql/binlog.h"
#include "testutil.h"
#include "util/strbuf.h"

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sl_arena_t A;

static void setup(void)
{
    sl_arena_init(&A, 0);
}

static void teardown(void)
{
    sl_arena_destroy(&A);
}

/* ---- byte writer ---- */

typedef struct wb {
    uint8_t b[16384];
    size_t n;
} wb_t;

static void put(wb_t *w, const void *p, size_t n)
{
    ck_assert_uint_le(w->n + n, sizeof w->b);
    if (n) memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void u8(wb_t *w, unsigned v)
{
    uint8_t b = (uint8_t)v;
    put(w, &b, 1);
}

static void le(wb_t *w, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) u8(w, (unsigned)(v >> (8 * i)) & 0xff);
}

static void packed(wb_t *w, uint64_t v)
{
    if (v < 251) {
        u8(w, (unsigned)v);
    } else if (v < 65536) {
        u8(w, 252);
        le(w, v, 2);
    } else if (v < 16777216) {
        u8(w, 253);
        le(w, v, 3);
    } else {
        u8(w, 254);
        le(w, v, 8);
    }
}

/* packed length + bytes */
static void lpstr(wb_t *w, const char *s)
{
    packed(w, strlen(s));
    put(w, s, strlen(s));
}

#define PUT(w, ...)                                                        \
    do {                                                                   \
        static const uint8_t b_[] = {__VA_ARGS__};                         \
        put((w), b_, sizeof b_);                                           \
    } while (0)

/* An optional-metadata TLV: type, packed length, value. */
static void tlv(wb_t *w, unsigned type, const wb_t *v)
{
    u8(w, type);
    packed(w, v->n);
    put(w, v->b, v->n);
}

/* zlib's CRC32, bit by bit (independent of the decoder's table). */
static uint32_t crc32_bits(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* A whole event of `type` around body into out: 19-byte header, body,
 * CRC32 trailer when crc. */
static void event(wb_t *out, unsigned type, const wb_t *body, bool crc)
{
    out->n = 0;
    le(out, 1700000000, 4);
    u8(out, type);
    le(out, 7, 4);                                      /* server id */
    le(out, 19 + body->n + (crc ? 4 : 0), 4);
    le(out, 4096, 4);                                   /* log_pos */
    le(out, 0, 2);
    put(out, body->b, body->n);
    if (crc) le(out, crc32_bits(out->b, out->n), 4);
}

/* ---- fuzz seeds ---- */

/* Writes DIR/unit-<hash> in the fuzz harness's format when SL_BINLOG_SEEDS
 * is set: flags, table-map length (2 bytes LE), table-map body, rows body. */
static void seed(unsigned flags, const wb_t *tm, const wb_t *rows)
{
    const char *dir = getenv("SL_BINLOG_SEEDS");
    if (!dir || tm->n > 65535) return;
    static wb_t s;
    s.n = 0;
    u8(&s, flags);
    le(&s, tm->n, 2);
    put(&s, tm->b, tm->n);
    put(&s, rows->b, rows->n);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.n; i++) h = (h ^ s.b[i]) * 1099511628211ull;
    char path[4096];
    snprintf(path, sizeof path, "%s/unit-%016llx", dir, (unsigned long long)h);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(s.b, 1, s.n, f);
    fclose(f);
}

/* fuzz flags: bit 0 checksum, bit 1 MariaDB, bits 3..5 the rows event
 * type's index in {23, 24, 25, 30, 31, 32, 39, 166} */
static unsigned seed_flags(unsigned rows_type, bool mariadb)
{
    static const uint8_t types[8] = {23, 24, 25, 30, 31, 32, 39, 166};
    unsigned k = 0;
    for (unsigned i = 0; i < 8; i++)
        if (types[i] == rows_type) k = i;
    return 1u | (mariadb ? 2u : 0u) | (k << 3);
}

/* ---- header, checksum, format ---- */

START_TEST(test_crc_and_header)
{
    ck_assert_uint_eq(crc32_bits((const uint8_t *)"123456789", 9), 0xcbf43926u);

    sl_bl_format_t f;
    sl_bl_format_default(&f);
    f.checksum = true;
    wb_t body = {0}, ev;
    le(&body, 0x1122334455667788ull, 8);
    event(&ev, SL_BL_XID, &body, true);

    sl_err_t err;
    sl_bl_header_t h;
    ck_assert_int_eq(sl_bl_header_parse(ev.b, ev.n, &h, &err), 0);
    ck_assert_uint_eq(h.timestamp, 1700000000);
    ck_assert_uint_eq(h.type, SL_BL_XID);
    ck_assert_uint_eq(h.server_id, 7);
    ck_assert_uint_eq(h.event_size, ev.n);
    ck_assert_uint_eq(h.log_pos, 4096);
    ck_assert_uint_eq(h.flags, 0);

    const uint8_t *b;
    size_t bl;
    ck_assert_int_eq(sl_bl_body(&f, ev.b, ev.n, &b, &bl, &err), 0);
    ck_assert_ptr_eq(b, ev.b + 19);
    ck_assert_uint_eq(bl, 8);
    uint64_t xid;
    ck_assert_int_eq(sl_bl_xid_parse(b, bl, &xid, &err), 0);
    ck_assert_uint_eq(xid, 0x1122334455667788ull);

    /* every single-bit flip is caught */
    for (size_t i = 0; i < ev.n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            ev.b[i] ^= (uint8_t)(1 << bit);
            int rc = sl_bl_body(&f, ev.b, ev.n, &b, &bl, &err);
            ck_assert_int_eq(rc, -SL_EINVAL);
            ev.b[i] ^= (uint8_t)(1 << bit);
        }
    }
    ck_assert_int_eq(sl_bl_body(&f, ev.b, ev.n, &b, &bl, &err), 0);
    ev.b[20] ^= 1;
    ck_assert_int_eq(sl_bl_body(&f, ev.b, ev.n, &b, &bl, &err), -SL_EINVAL);
    ck_assert_str_eq(err.msg, "XID event: checksum mismatch");
    ev.b[20] ^= 1;

    /* without checksums the trailer is body */
    f.checksum = false;
    ck_assert_int_eq(sl_bl_body(&f, ev.b, ev.n, &b, &bl, &err), 0);
    ck_assert_uint_eq(bl, 12);

    /* short events */
    f.checksum = true;
    for (size_t n = 0; n < 23; n++)
        ck_assert_int_eq(sl_bl_body(&f, ev.b, n, &b, &bl, &err), -SL_EINVAL);
    for (size_t n = 0; n < ev.n; n++)
        ck_assert_int_eq(sl_bl_header_parse(ev.b, n, &h, &err), -SL_EINVAL);
    ck_assert_int_eq(sl_bl_header_parse(ev.b, 19, &h, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "header says 31 bytes, got 19"));
}
END_TEST

START_TEST(test_format_default)
{
    sl_bl_format_t f;
    memset(&f, 0xab, sizeof f);
    sl_bl_format_default(&f);
    ck_assert_uint_eq(f.binlog_version, 4);
    ck_assert(!f.checksum);
    ck_assert(!f.mariadb);
    ck_assert_str_eq(f.server_version, "");
    ck_assert_uint_eq(f.post_header_len[SL_BL_QUERY], 13);
    ck_assert_uint_eq(f.post_header_len[SL_BL_ROTATE], 8);
    ck_assert_uint_eq(f.post_header_len[SL_BL_XID], 0);
    ck_assert_uint_eq(f.post_header_len[SL_BL_TABLE_MAP], 8);
    ck_assert_uint_eq(f.post_header_len[SL_BL_WRITE_ROWS_V1], 8);
    ck_assert_uint_eq(f.post_header_len[SL_BL_DELETE_ROWS_V1], 8);
    ck_assert_uint_eq(f.post_header_len[SL_BL_UPDATE_ROWS_V2], 10);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MYSQL_GTID], 42);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MARIADB_GTID], 19);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MARIADB_GTID_LIST], 4);
    ck_assert_uint_eq(f.post_header_len[200], 0);
}
END_TEST

/* A FORMAT_DESCRIPTION event: version, nlens post-header lengths (type i+1
 * gets lens[i]), then alg (when alg >= 0) and a 4-byte CRC (or room). */
static void fde(wb_t *ev, const char *version, const uint8_t *lens, int nlens,
                int alg)
{
    wb_t body = {0};
    le(&body, 4, 2);
    char v[50] = {0};
    memcpy(v, version, strlen(version) < 50 ? strlen(version) : 50);
    put(&body, v, 50);
    le(&body, 1700000000, 4);
    u8(&body, 19);
    put(&body, lens, (size_t)nlens);
    if (alg < 0) {
        event(ev, SL_BL_FORMAT_DESCRIPTION, &body, false);
        return;
    }
    u8(&body, (unsigned)alg);
    if (alg == 1) {
        event(ev, SL_BL_FORMAT_DESCRIPTION, &body, true);
    } else {
        le(&body, 0, 4);
        event(ev, SL_BL_FORMAT_DESCRIPTION, &body, false);
    }
}

START_TEST(test_format_parse)
{
    /* post-header lengths for types 1..41, like MySQL 8.0's */
    static const uint8_t mysql8[41] = {
        0, 13, 0, 8, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 98, 0, 4, 26, 8, 0,
        0, 0, 8, 8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0};
    sl_bl_format_t f;
    sl_err_t err;
    wb_t ev;

    fde(&ev, "8.0.36", mysql8, 41, 1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert_str_eq(f.server_version, "8.0.36");
    ck_assert(!f.mariadb);
    ck_assert(f.checksum);
    ck_assert_uint_eq(f.binlog_version, 4);
    for (int i = 0; i < 41; i++) ck_assert_uint_eq(f.post_header_len[i + 1], mysql8[i]);
    ck_assert_uint_eq(f.post_header_len[42], 0);
    ck_assert_uint_eq(f.post_header_len[0], 0);

    /* each bit of the event matters to the CRC (but the version's first
     * digit: "(.0.36" has no version number, so no checksum algorithm
     * byte); every truncation fails */
    for (size_t i = 0; i < ev.n; i++) {
        if (i == 19 + 2) continue;
        ev.b[i] ^= 0x10;
        ck_assert_int_lt(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
        ev.b[i] ^= 0x10;
    }
    for (size_t n = 0; n < ev.n; n++)
        ck_assert_int_lt(sl_bl_format_parse(ev.b, n, &f, &err), 0);

    /* checksum off: alg 0 and 4 bytes of room */
    fde(&ev, "8.0.36-debug", mysql8, 41, 0);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert(!f.checksum);
    ck_assert_uint_eq(f.post_header_len[SL_BL_WRITE_ROWS_V2], 10);
    ck_assert_uint_eq(f.post_header_len[41], 0);

    /* MariaDB, with lengths of its own events */
    static uint8_t maria[170];
    for (int i = 0; i < 170; i++) maria[i] = 0;
    maria[SL_BL_TABLE_MAP - 1] = 8;
    maria[SL_BL_WRITE_ROWS_V1 - 1] = 8;
    maria[SL_BL_MARIADB_GTID - 1] = 19;
    maria[SL_BL_MARIADB_WRITE_ROWS_COMPRESSED - 1] = 10;
    fde(&ev, "10.11.6-MariaDB-log", maria, 170, 1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert(f.mariadb);
    ck_assert(f.checksum);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MARIADB_GTID], 19);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MARIADB_WRITE_ROWS_COMPRESSED], 10);
    ck_assert_uint_eq(f.post_header_len[171], 0);

    fde(&ev, "5.5.5-10.1.48-MariaDB", maria, 170, 0);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert(f.mariadb);
    ck_assert(!f.checksum);
    ck_assert_uint_eq(f.post_header_len[SL_BL_MARIADB_GTID], 19);

    /* MySQL 5.5 has no checksum algorithm byte: all of it is lengths */
    fde(&ev, "5.5.62-log", mysql8, 27, -1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert(!f.checksum);
    ck_assert_uint_eq(f.post_header_len[27], mysql8[26]);
    ck_assert_uint_eq(f.post_header_len[SL_BL_TABLE_MAP], 8);
    /* 5.6.0 neither; 5.6.1 has it */
    fde(&ev, "5.6.0", mysql8, 35, -1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert_uint_eq(f.post_header_len[35], mysql8[34]);
    fde(&ev, "5.6.1", mysql8, 35, 1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert(f.checksum);
    ck_assert_uint_eq(f.post_header_len[35], mysql8[34]);
    ck_assert_uint_eq(f.post_header_len[36], 0);

    /* a 50-byte version string without NUL is kept whole */
    fde(&ev, "8.0.36-0123456789012345678901234567890123456789012", mysql8, 41, 1);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), 0);
    ck_assert_uint_eq(strlen(f.server_version), 50);

    /* errors */
    fde(&ev, "8.0.36", mysql8, 41, 7);
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), -SL_EUNSUPPORTED);
    fde(&ev, "8.0.36", mysql8, 41, 1);
    ev.b[4] = SL_BL_QUERY;
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected a FORMAT_DESCRIPTION"));
    fde(&ev, "8.0.36", mysql8, 41, 1);
    ev.b[19] = 3;   /* binlog v3 */
    ck_assert_int_eq(sl_bl_format_parse(ev.b, ev.n, &f, &err), -SL_EUNSUPPORTED);
}
END_TEST

/* ---- small events ---- */

START_TEST(test_small_events)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t b = {0};

    /* QUERY */
    le(&b, 42, 4);            /* thread id */
    le(&b, 3, 4);             /* exec time */
    u8(&b, 4);                /* db len */
    le(&b, 0, 2);             /* error code */
    le(&b, 5, 2);             /* status vars */
    PUT(&b, 0x00, 0x00, 0x00, 0x00, 0x00);
    put(&b, "shop", 4);
    u8(&b, 0);
    put(&b, "BEGIN", 5);
    sl_bl_query_t q;
    ck_assert_int_eq(sl_bl_query_parse(&f, b.b, b.n, &q, &err), 0);
    ck_assert_uint_eq(q.thread_id, 42);
    ck_assert_uint_eq(q.exec_time, 3);
    ck_assert_uint_eq(q.error_code, 0);
    ck_assert_uint_eq(q.db_len, 4);
    ck_assert(memcmp(q.db, "shop", 4) == 0);
    ck_assert_uint_eq(q.sql_len, 5);
    ck_assert(memcmp(q.sql, "BEGIN", 5) == 0);
    for (size_t n = 0; n < b.n - 5; n++)
        ck_assert_int_eq(sl_bl_query_parse(&f, b.b, n, &q, &err), -SL_EINVAL);
    b.b[13 + 5 + 4] = 'x';   /* no NUL after the db name */
    ck_assert_int_eq(sl_bl_query_parse(&f, b.b, b.n, &q, &err), -SL_EINVAL);

    /* ROTATE */
    b.n = 0;
    le(&b, 4, 8);
    put(&b, "mysql-bin.000002", 16);
    sl_bl_rotate_t rot;
    ck_assert_int_eq(sl_bl_rotate_parse(&f, b.b, b.n, &rot, &err), 0);
    ck_assert_uint_eq(rot.pos, 4);
    ck_assert_uint_eq(rot.file_len, 16);
    ck_assert(memcmp(rot.file, "mysql-bin.000002", 16) == 0);
    for (size_t n = 0; n < 8; n++)
        ck_assert_int_eq(sl_bl_rotate_parse(&f, b.b, n, &rot, &err), -SL_EINVAL);

    /* XID */
    uint64_t xid;
    for (size_t n = 0; n < 8; n++)
        ck_assert_int_eq(sl_bl_xid_parse(b.b, n, &xid, &err), -SL_EINVAL);

    /* MariaDB GTID: seq_no 8, domain 4, flags 1, padding */
    sl_bl_header_t h = {.type = SL_BL_MARIADB_GTID, .server_id = 11};
    b.n = 0;
    le(&b, 987654321, 8);
    le(&b, 2, 4);
    u8(&b, SL_BL_GTID_STANDALONE | 0x08);
    le(&b, 0, 6);
    sl_bl_gtid_t g;
    ck_assert_int_eq(sl_bl_gtid_parse(&f, &h, b.b, b.n, &g, &err), 0);
    ck_assert(g.mariadb);
    ck_assert_uint_eq(g.seq_no, 987654321);
    ck_assert_uint_eq(g.domain_id, 2);
    ck_assert_uint_eq(g.server_id, 11);
    ck_assert_uint_eq(g.flags, 0x09);
    for (size_t n = 0; n < 13; n++)
        ck_assert_int_eq(sl_bl_gtid_parse(&f, &h, b.b, n, &g, &err), -SL_EINVAL);

    /* MySQL GTID: flags 1, sid 16, gno 8, logical clock */
    h.type = SL_BL_MYSQL_GTID;
    b.n = 0;
    u8(&b, 1);
    for (int i = 0; i < 16; i++) u8(&b, 0xa0 + (unsigned)i);
    le(&b, 77, 8);
    u8(&b, 2);
    le(&b, 5, 8);
    le(&b, 6, 8);
    ck_assert_int_eq(sl_bl_gtid_parse(&f, &h, b.b, b.n, &g, &err), 0);
    ck_assert(!g.mariadb);
    ck_assert_uint_eq(g.flags, 1);
    ck_assert_uint_eq(g.sid[0], 0xa0);
    ck_assert_uint_eq(g.sid[15], 0xaf);
    ck_assert_uint_eq(g.gno, 77);
    for (size_t n = 0; n < 25; n++)
        ck_assert_int_eq(sl_bl_gtid_parse(&f, &h, b.b, n, &g, &err), -SL_EINVAL);
    h.type = SL_BL_XID;
    ck_assert_int_eq(sl_bl_gtid_parse(&f, &h, b.b, b.n, &g, &err), -SL_EINVAL);
}
END_TEST

/* ---- TABLE_MAP ---- */

static void tm_head(wb_t *w, uint64_t tid, const char *db, const char *tbl)
{
    le(w, tid, 6);
    le(w, 1, 2);
    u8(w, (unsigned)strlen(db));
    put(w, db, strlen(db) + 1);
    u8(w, (unsigned)strlen(tbl));
    put(w, tbl, strlen(tbl) + 1);
}

/* The 10-column table of the metadata tests:
 *   0 id BIGINT UNSIGNED NOT NULL     LONGLONG
 *   1 name VARCHAR(100) utf8mb4       VARCHAR 400
 *   2 price DECIMAL(10,2)             NEWDECIMAL
 *   3 status ENUM('a','bb','ccc')     STRING -> ENUM, 1 byte
 *   4 tags SET('x','y')               STRING -> SET, 1 byte
 *   5 data BLOB                       BLOB 2
 *   6 qty INT UNSIGNED                LONG
 *   7 g GEOMETRY                      GEOMETRY 4
 *   8 t TEXT latin1                   BLOB 2
 *   9 c CHAR(255) utf8mb4             STRING 1020 (the long-CHAR trick)
 */
static void tm_ten(wb_t *w)
{
    tm_head(w, 0x0000123456789aull, "shop", "items");
    packed(w, 10);
    PUT(w, SL_MYT_LONGLONG, SL_MYT_VARCHAR, SL_MYT_NEWDECIMAL, SL_MYT_STRING,
        SL_MYT_STRING, SL_MYT_BLOB, SL_MYT_LONG, SL_MYT_GEOMETRY, SL_MYT_BLOB,
        SL_MYT_STRING);
    wb_t m = {0};
    PUT(&m, 0x90, 0x01);          /* VARCHAR 400 */
    PUT(&m, 10, 2);               /* DECIMAL(10,2) */
    PUT(&m, 0xf7, 1);             /* ENUM, 1 byte */
    PUT(&m, 0xf8, 1);             /* SET, 1 byte */
    PUT(&m, 2);                   /* BLOB */
    PUT(&m, 4);                   /* GEOMETRY */
    PUT(&m, 2);                   /* TEXT */
    PUT(&m, 0xce, 0xfc);          /* CHAR(1020 bytes): 0xfe ^ 0x30, 0x3fc & 0xff */
    packed(w, m.n);
    put(w, m.b, m.n);
    PUT(w, 0xfe, 0x03);           /* all nullable but id */
}

/* Optional metadata as MySQL 8 writes it for tm_ten with FULL. */
static void tm_ten_full(wb_t *w)
{
    wb_t v = {0};
    PUT(&v, 0xa0);                /* numeric: id U, price S, qty U */
    tlv(w, 1, &v);
    v.n = 0;                      /* DEFAULT_CHARSET 255; data 63, t 8 */
    packed(&v, 255);
    packed(&v, 1), packed(&v, 63);
    packed(&v, 2), packed(&v, 8);
    tlv(w, 2, &v);
    v.n = 0;
    static const char *const names[10] = {"id", "name", "price", "status", "tags",
                                          "data", "qty", "g", "t", "c"};
    for (int i = 0; i < 10; i++) lpstr(&v, names[i]);
    tlv(w, 4, &v);
    v.n = 0;
    packed(&v, 2), lpstr(&v, "x"), lpstr(&v, "y");
    tlv(w, 5, &v);
    v.n = 0;
    packed(&v, 3), lpstr(&v, "a"), lpstr(&v, "bb"), lpstr(&v, "ccc");
    tlv(w, 6, &v);
    v.n = 0;
    packed(&v, 0);                /* GEOMETRY_TYPE: geometry */
    tlv(w, 7, &v);
    v.n = 0;
    packed(&v, 0);
    tlv(w, 8, &v);
    v.n = 0;
    packed(&v, 45);               /* ENUM_AND_SET_DEFAULT_CHARSET */
    tlv(w, 10, &v);
    v.n = 0;
    PUT(&v, 1, 2, 3);             /* a field of a later server */
    tlv(w, 99, &v);
}

START_TEST(test_table_map_minimal)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t w = {0};
    tm_ten(&w);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), 0);
    ck_assert_uint_eq(t.table_id, 0x123456789aull);
    ck_assert_str_eq(t.db, "shop");
    ck_assert_str_eq(t.table, "items");
    ck_assert_int_eq(t.ncols, 10);
    ck_assert_int_eq(t.npk, 0);
    static const uint8_t types[10] = {
        SL_MYT_LONGLONG, SL_MYT_VARCHAR, SL_MYT_NEWDECIMAL, SL_MYT_ENUM,
        SL_MYT_SET, SL_MYT_BLOB, SL_MYT_LONG, SL_MYT_GEOMETRY, SL_MYT_BLOB,
        SL_MYT_STRING};
    static const uint16_t metas[10] = {0, 400, 10 << 8 | 2, 1, 1, 2, 0, 4, 2, 1020};
    for (int i = 0; i < 10; i++) {
        ck_assert_uint_eq(t.cols[i].type, types[i]);
        ck_assert_uint_eq(t.cols[i].meta, metas[i]);
        ck_assert_int_eq(t.cols[i].nullable, i != 0);
        ck_assert_int_eq(t.cols[i].is_unsigned, -1);
        ck_assert_uint_eq(t.cols[i].charset, 0);
        ck_assert_ptr_null(t.cols[i].name);
        ck_assert_int_eq(t.cols[i].nvalues, 0);
    }
    /* every truncation fails: nothing optional is left to cut off */
    for (size_t n = 0; n < w.n; n++)
        ck_assert_int_lt(sl_bl_table_map_parse(&f, w.b, n, &A, &t, &err), 0);

    /* 4-byte table ids when the post-header is 6 bytes */
    f.post_header_len[SL_BL_TABLE_MAP] = 6;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b + 2, w.n - 2, &A, &t, &err), 0);
    ck_assert_uint_eq(t.table_id, 0x123456ull);
    ck_assert_str_eq(t.table, "items");
}
END_TEST

START_TEST(test_table_map_types)
{
    /* every type's metadata */
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t w = {0};
    tm_head(&w, 5, "d", "t");
    static const uint8_t types[] = {
        SL_MYT_TINY, SL_MYT_SHORT, SL_MYT_INT24, SL_MYT_LONG, SL_MYT_LONGLONG,
        SL_MYT_FLOAT, SL_MYT_DOUBLE, SL_MYT_NULL, SL_MYT_TIMESTAMP, SL_MYT_DATE,
        SL_MYT_TIME, SL_MYT_DATETIME, SL_MYT_YEAR, SL_MYT_NEWDATE, SL_MYT_VARCHAR,
        SL_MYT_BIT, SL_MYT_TIMESTAMP2, SL_MYT_DATETIME2, SL_MYT_TIME2,
        SL_MYT_JSON, SL_MYT_NEWDECIMAL, SL_MYT_TINY_BLOB, SL_MYT_MEDIUM_BLOB,
        SL_MYT_LONG_BLOB, SL_MYT_BLOB, SL_MYT_VAR_STRING, SL_MYT_STRING,
        SL_MYT_GEOMETRY, SL_MYT_STRING, SL_MYT_STRING, SL_MYT_ENUM, SL_MYT_SET};
    enum { N = sizeof types };
    packed(&w, N);
    put(&w, types, N);
    wb_t m = {0};
    PUT(&m, 4, 8);                 /* FLOAT, DOUBLE */
    PUT(&m, 0x2c, 0x01);           /* VARCHAR 300 */
    PUT(&m, 2, 1);                 /* BIT(10) */
    PUT(&m, 3, 6, 1);              /* TIMESTAMP2(3) DATETIME2(6) TIME2(1) */
    PUT(&m, 4);                    /* JSON */
    PUT(&m, 65, 30);               /* DECIMAL(65,30) */
    PUT(&m, 1, 3, 4, 2);           /* blobs */
    PUT(&m, 0x10, 0x00);           /* VAR_STRING 16 */
    PUT(&m, 0xfe, 0x0a);           /* CHAR(10) */
    PUT(&m, 4);                    /* GEOMETRY */
    PUT(&m, 0xf7, 0x02);           /* ENUM, 2 bytes */
    PUT(&m, 0xf8, 0x08);           /* SET, 8 bytes */
    PUT(&m, 0xf7, 0x01);           /* ENUM type byte itself */
    PUT(&m, 0xf8, 0x03);           /* SET type byte itself */
    packed(&w, m.n);
    put(&w, m.b, m.n);
    PUT(&w, 0, 0, 0, 0);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), 0);
    ck_assert_int_eq(t.ncols, N);
    static const struct { uint8_t type; uint16_t meta; } want[N] = {
        {SL_MYT_TINY, 0}, {SL_MYT_SHORT, 0}, {SL_MYT_INT24, 0}, {SL_MYT_LONG, 0},
        {SL_MYT_LONGLONG, 0}, {SL_MYT_FLOAT, 4}, {SL_MYT_DOUBLE, 8},
        {SL_MYT_NULL, 0}, {SL_MYT_TIMESTAMP, 0}, {SL_MYT_DATE, 0},
        {SL_MYT_TIME, 0}, {SL_MYT_DATETIME, 0}, {SL_MYT_YEAR, 0},
        {SL_MYT_NEWDATE, 0}, {SL_MYT_VARCHAR, 300}, {SL_MYT_BIT, 10},
        {SL_MYT_TIMESTAMP2, 3}, {SL_MYT_DATETIME2, 6}, {SL_MYT_TIME2, 1},
        {SL_MYT_JSON, 4}, {SL_MYT_NEWDECIMAL, 65 << 8 | 30},
        {SL_MYT_TINY_BLOB, 1}, {SL_MYT_MEDIUM_BLOB, 3}, {SL_MYT_LONG_BLOB, 4},
        {SL_MYT_BLOB, 2}, {SL_MYT_VAR_STRING, 16}, {SL_MYT_STRING, 10},
        {SL_MYT_GEOMETRY, 4}, {SL_MYT_ENUM, 2}, {SL_MYT_SET, 8},
        {SL_MYT_ENUM, 1}, {SL_MYT_SET, 3}};
    for (int i = 0; i < N; i++) {
        ck_assert_msg(t.cols[i].type == want[i].type && t.cols[i].meta == want[i].meta,
                      "column %d: type %u meta %u", i, t.cols[i].type, t.cols[i].meta);
        ck_assert(!t.cols[i].nullable);
    }
    for (size_t n = 0; n < w.n; n++)
        ck_assert_int_lt(sl_bl_table_map_parse(&f, w.b, n, &A, &t, &err), 0);
}
END_TEST

/* Parses a one-column table map with type and metadata bytes; returns the
 * rc. */
static int tm_one(uint8_t type, const uint8_t *meta, size_t nmeta, sl_err_t *err)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    wb_t w = {0};
    tm_head(&w, 1, "d", "t");
    packed(&w, 1);
    u8(&w, type);
    packed(&w, nmeta);
    put(&w, meta, nmeta);
    u8(&w, 0);
    sl_bl_table_t t;
    return sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, err);
}

#define M(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

START_TEST(test_table_map_bad_meta)
{
    sl_err_t err;
    ck_assert_int_eq(tm_one(SL_MYT_NEWDECIMAL, M(66, 2), &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "DECIMAL(66,2)"));
    ck_assert_int_eq(tm_one(SL_MYT_NEWDECIMAL, M(5, 6), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_NEWDECIMAL, M(0, 0), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_NEWDECIMAL, M(65, 30), &err), 0);
    ck_assert_int_eq(tm_one(SL_MYT_TIME2, M(7), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_BLOB, M(5), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_BLOB, M(0), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_BIT, M(0, 8), &err), 0);
    ck_assert_int_eq(tm_one(SL_MYT_BIT, M(1, 8), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_BIT, M(8, 0), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_STRING, M(0xf7, 3), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_STRING, M(0xf8, 9), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_STRING, M(0xfd, 9), &err), -SL_EINVAL);
    ck_assert_int_eq(tm_one(SL_MYT_STRING, M(0x00, 9), &err), 0);
    /* metadata block longer than the types use */
    ck_assert_int_eq(tm_one(SL_MYT_LONG, M(1), &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "1 bytes more"));
    /* types it cannot decode */
    ck_assert_int_eq(tm_one(SL_MYT_DECIMAL, NULL, 0, &err), -SL_EUNSUPPORTED);
    ck_assert_int_eq(tm_one(242, M(4), &err), -SL_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.msg, "column 0 has unsupported type 242"));
}
END_TEST

START_TEST(test_table_map_optional)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t w = {0};
    tm_ten(&w);
    size_t base = w.n;
    tm_ten_full(&w);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), 0);
    ck_assert_int_eq(t.ncols, 10);
    static const int8_t uns[10] = {1, -1, 0, -1, -1, -1, 1, -1, -1, -1};
    /* MySQL: GEOMETRY is not a character column */
    static const uint32_t cs[10] = {0, 255, 0, 45, 45, 63, 0, 0, 8, 255};
    static const char *const names[10] = {"id", "name", "price", "status", "tags",
                                          "data", "qty", "g", "t", "c"};
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(t.cols[i].is_unsigned, uns[i]);
        ck_assert_uint_eq(t.cols[i].charset, cs[i]);
        ck_assert_str_eq(t.cols[i].name, names[i]);
    }
    ck_assert_int_eq(t.cols[3].nvalues, 3);
    ck_assert_str_eq(t.cols[3].values[0], "a");
    ck_assert_str_eq(t.cols[3].values[1], "bb");
    ck_assert_str_eq(t.cols[3].values[2], "ccc");
    ck_assert_int_eq(t.cols[4].nvalues, 2);
    ck_assert_str_eq(t.cols[4].values[0], "x");
    ck_assert_str_eq(t.cols[4].values[1], "y");
    ck_assert_int_eq(t.npk, 1);
    ck_assert_int_eq(t.pk[0], 0);

    /* truncations never crash; those inside the required part or inside a
     * field fail (cutting whole fields off is a valid shorter event) */
    for (size_t n = 0; n < w.n; n++) {
        int rc = sl_bl_table_map_parse(&f, w.b, n, &A, &t, &err);
        if (n < base) ck_assert_int_lt(rc, 0);
    }

    /* MariaDB: COLUMN_CHARSET over the character columns, GEOMETRY
     * included; PRIMARY_KEY_WITH_PREFIX; ENUM_AND_SET_COLUMN_CHARSET */
    f.mariadb = true;
    w.n = 0;
    tm_ten(&w);
    wb_t v = {0};
    packed(&v, 224), packed(&v, 63), packed(&v, 63), packed(&v, 8), packed(&v, 33);
    tlv(&w, 3, &v);
    v.n = 0;
    packed(&v, 1), packed(&v, 10), packed(&v, 0), packed(&v, 0);
    tlv(&w, 9, &v);
    v.n = 0;
    packed(&v, 8), packed(&v, 83);
    tlv(&w, 11, &v);
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), 0);
    static const uint32_t mcs[10] = {0, 224, 0, 8, 83, 63, 0, 63, 8, 33};
    for (int i = 0; i < 10; i++) {
        ck_assert_uint_eq(t.cols[i].charset, mcs[i]);
        ck_assert_int_eq(t.cols[i].is_unsigned, -1);
        ck_assert_ptr_null(t.cols[i].name);
    }
    ck_assert_int_eq(t.npk, 2);
    ck_assert_int_eq(t.pk[0], 1);
    ck_assert_int_eq(t.pk[1], 0);

    /* the same COLUMN_CHARSET on MySQL has one entry too many */
    f.mariadb = false;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "COLUMN_CHARSET"));
}
END_TEST

/* A table map with tm_ten and one malformed optional field. */
static int tm_bad_field(unsigned type, const wb_t *v, sl_err_t *err)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    wb_t w = {0};
    tm_ten(&w);
    tlv(&w, type, v);
    sl_bl_table_t t;
    return sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, err);
}

START_TEST(test_table_map_bad_optional)
{
    sl_err_t err;
    wb_t v = {0};
    /* SIGNEDNESS: 3 numeric columns need 1 byte */
    ck_assert_int_eq(tm_bad_field(1, &v, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "SIGNEDNESS"));
    /* DEFAULT_CHARSET naming a 5th character column of 4 */
    packed(&v, 8), packed(&v, 4), packed(&v, 9);
    ck_assert_int_eq(tm_bad_field(2, &v, &err), -SL_EINVAL);
    v.n = 0;
    packed(&v, 8), packed(&v, 3);   /* a pair cut in half */
    ck_assert_int_eq(tm_bad_field(2, &v, &err), -SL_EINVAL);
    /* 11 column names */
    v.n = 0;
    for (int i = 0; i < 11; i++) lpstr(&v, "n");
    ck_assert_int_eq(tm_bad_field(4, &v, &err), -SL_EINVAL);
    /* a name longer than the field */
    v.n = 0;
    packed(&v, 5), put(&v, "ab", 2);
    ck_assert_int_eq(tm_bad_field(4, &v, &err), -SL_EINVAL);
    /* ENUM values for two ENUM columns, the table has one */
    v.n = 0;
    packed(&v, 1), lpstr(&v, "a"), packed(&v, 1), lpstr(&v, "b");
    ck_assert_int_eq(tm_bad_field(6, &v, &err), -SL_EINVAL);
    /* a huge count of strings */
    v.n = 0;
    packed(&v, 1000000000), lpstr(&v, "a");
    ck_assert_int_eq(tm_bad_field(5, &v, &err), -SL_EINVAL);
    /* primary key column out of range */
    v.n = 0;
    packed(&v, 10);
    ck_assert_int_eq(tm_bad_field(8, &v, &err), -SL_EINVAL);
    v.n = 0;
    packed(&v, 1);   /* prefix missing */
    ck_assert_int_eq(tm_bad_field(9, &v, &err), -SL_EINVAL);
    /* a packed integer with the NULL marker */
    v.n = 0;
    u8(&v, 251);
    ck_assert_int_eq(tm_bad_field(8, &v, &err), -SL_EINVAL);
    /* unknown fields are skipped whatever they hold */
    v.n = 0;
    u8(&v, 251), u8(&v, 255);
    ck_assert_int_eq(tm_bad_field(200, &v, &err), 0);
    /* a field longer than the event */
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    wb_t w = {0};
    tm_ten(&w);
    u8(&w, 4), u8(&w, 100), u8(&w, 1);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "optional metadata field 4 truncated"));
}
END_TEST

/* ---- ROWS: one value at a time ---- */

static wb_t g_tm, g_rows, g_ev;

/* Builds a one-column table (type, metadata; SIGNEDNESS metadata when
 * sign >= 0, a 1 bit meaning UNSIGNED) and a WRITE_ROWS v2 event with one
 * row holding val, both as checksummed events; decodes the row with
 * unsigned_hint {hint}. Asserts that every shorter row fails. The
 * returned value's strings point into static buffers valid until the next
 * call (decimal text: the arena A). */
static sl_myval_t one_(uint8_t type, const uint8_t *meta, size_t nmeta,
                       const uint8_t *val, size_t nval, int sign, bool hint)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    f.checksum = true;
    sl_err_t err;
    g_tm.n = 0;
    tm_head(&g_tm, 77, "db", "t1");
    packed(&g_tm, 1);
    u8(&g_tm, type);
    packed(&g_tm, nmeta);
    put(&g_tm, meta, nmeta);
    u8(&g_tm, 1);
    if (sign >= 0) {
        wb_t v = {0};
        u8(&v, sign ? 0x80 : 0);
        tlv(&g_tm, 1, &v);
    }
    event(&g_ev, SL_BL_TABLE_MAP, &g_tm, true);
    const uint8_t *body;
    size_t blen;
    ck_assert_int_eq(sl_bl_body(&f, g_ev.b, g_ev.n, &body, &blen, &err), 0);
    sl_bl_table_t t;
    int rc = sl_bl_table_map_parse(&f, body, blen, &A, &t, &err);
    ck_assert_msg(rc == 0, "table map: %s", err.msg);

    g_rows.n = 0;
    le(&g_rows, 77, 6);
    le(&g_rows, 1, 2);            /* STMT_END_F */
    le(&g_rows, 2, 2);            /* no extra data */
    packed(&g_rows, 1);
    u8(&g_rows, 1);               /* column present */
    u8(&g_rows, 0);               /* not NULL */
    size_t row_start = g_rows.n - 1;
    put(&g_rows, val, nval);
    seed(seed_flags(SL_BL_WRITE_ROWS_V2, false), &g_tm, &g_rows);
    static wb_t rows_ev;
    event(&rows_ev, SL_BL_WRITE_ROWS_V2, &g_rows, true);
    sl_bl_header_t h;
    ck_assert_int_eq(sl_bl_header_parse(rows_ev.b, rows_ev.n, &h, &err), 0);
    ck_assert_int_eq(sl_bl_body(&f, rows_ev.b, rows_ev.n, &body, &blen, &err), 0);
    sl_bl_rows_t r;
    ck_assert_int_eq(sl_bl_rows_parse(&f, h.type, body, blen, &r, &err), 0);
    ck_assert_uint_eq(r.kind, SL_BL_ROWS_WRITE);
    ck_assert_uint_eq(r.table_id, 77);
    ck_assert_uint_eq(r.flags, 1);
    ck_assert_ptr_null(r.cols2);
    sl_myval_t v;
    memset(&v, 0x5a, sizeof v);
    bool hints[1] = {hint};
    rc = sl_bl_rows_next(&r, &t, false, hints, &v, &A, &err);
    ck_assert_msg(rc == 1, "decode: %s", err.msg);
    sl_myval_t extra;
    ck_assert_int_eq(sl_bl_rows_next(&r, &t, false, hints, &extra, &A, &err), 0);

    /* a row cut short anywhere after its null bitmap is an error */
    for (size_t n = row_start + 1; n < g_rows.n; n++) {
        sl_bl_rows_t rr;
        ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V2, g_rows.b, n, &rr, &err), 0);
        sl_myval_t tv;
        rc = sl_bl_rows_next(&rr, &t, false, hints, &tv, &A, &err);
        ck_assert_msg(rc < 0, "row cut at %zu of %zu decoded", n, g_rows.n);
        ck_assert_ptr_nonnull(strstr(err.msg, "WRITE_ROWS event, db.t1 column 0"));
    }
    return v;
}

#define NOMETA NULL, 0
#define one(type, meta, ...) one_((type), meta, M(__VA_ARGS__), -1, false)
#define one_s(type, sign, hint, meta, ...) one_((type), meta, M(__VA_ARGS__), (sign), (hint))

static void assert_int(sl_myval_t v, int64_t want)
{
    ck_assert_uint_eq(v.kind, SL_MV_INT);
    ck_assert(!v.is_unsigned);
    ck_assert_int_eq(v.i64, want);
}

static void assert_uint(sl_myval_t v, uint64_t want)
{
    ck_assert_uint_eq(v.kind, SL_MV_INT);
    ck_assert(v.is_unsigned);
    ck_assert_uint_eq(v.u64, want);
}

START_TEST(test_integers)
{
    assert_int(one(SL_MYT_TINY, NOMETA, 0x80), -128);
    assert_int(one(SL_MYT_TINY, NOMETA, 0x7f), 127);
    assert_uint(one_s(SL_MYT_TINY, -1, true, NOMETA, 0xff), 255);
    assert_int(one(SL_MYT_SHORT, NOMETA, 0x00, 0x80), -32768);
    assert_uint(one_s(SL_MYT_SHORT, 1, false, NOMETA, 0xff, 0xff), 65535);
    assert_int(one(SL_MYT_INT24, NOMETA, 0x00, 0x00, 0x80), -8388608);
    assert_int(one(SL_MYT_INT24, NOMETA, 0xff, 0xff, 0x7f), 8388607);
    assert_uint(one_s(SL_MYT_INT24, 1, false, NOMETA, 0xff, 0xff, 0xff), 16777215);
    assert_int(one(SL_MYT_LONG, NOMETA, 0xfe, 0xff, 0xff, 0xff), -2);
    assert_int(one(SL_MYT_LONG, NOMETA, 0x00, 0x00, 0x00, 0x80), INT32_MIN);
    assert_uint(one_s(SL_MYT_LONG, -1, true, NOMETA, 0xff, 0xff, 0xff, 0xff), 4294967295u);
    assert_int(one(SL_MYT_LONGLONG, NOMETA, 0, 0, 0, 0, 0, 0, 0, 0x80), INT64_MIN);
    assert_int(one(SL_MYT_LONGLONG, NOMETA, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f),
               INT64_MAX);
    assert_int(one(SL_MYT_LONGLONG, NOMETA, 0x15, 0xcd, 0x5b, 0x07, 0, 0, 0, 0), 123456789);
    /* BIGINT UNSIGNED max */
    assert_uint(one_s(SL_MYT_LONGLONG, 1, false, NOMETA,
                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
                UINT64_MAX);
    /* SIGNEDNESS metadata wins over the hint, both ways */
    assert_int(one_s(SL_MYT_LONGLONG, 0, true, NOMETA,
                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), -1);
    assert_uint(one_s(SL_MYT_TINY, 1, false, NOMETA, 0x80), 128);
    /* YEAR */
    assert_int(one(SL_MYT_YEAR, NOMETA, 0), 0);
    assert_int(one(SL_MYT_YEAR, NOMETA, 1), 1901);
    assert_int(one(SL_MYT_YEAR, NOMETA, 124), 2024);
    assert_int(one(SL_MYT_YEAR, NOMETA, 255), 2155);
}
END_TEST

START_TEST(test_floats)
{
    sl_myval_t v = one(SL_MYT_FLOAT, M(4), 0x00, 0x00, 0xc0, 0x3f);   /* 1.5f */
    ck_assert_uint_eq(v.kind, SL_MV_FLOAT);
    ck_assert(v.f64 == 1.5);
    v = one(SL_MYT_FLOAT, M(4), 0xcd, 0xcc, 0xcc, 0x3d);              /* 0.1f */
    ck_assert(v.f64 == (double)0.1f);
    v = one(SL_MYT_FLOAT, M(4), 0xff, 0xff, 0x7f, 0xff);              /* -FLT_MAX */
    ck_assert(v.f64 == -(double)FLT_MAX);
    v = one(SL_MYT_DOUBLE, M(8), 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f);
    ck_assert_uint_eq(v.kind, SL_MV_DOUBLE);
    ck_assert(v.f64 == 0.1);
    v = one(SL_MYT_DOUBLE, M(8), 0, 0, 0, 0, 0, 0, 0, 0x80);
    ck_assert(v.f64 == 0.0);
}
END_TEST

static void assert_dec(sl_myval_t v, const char *want)
{
    ck_assert_uint_eq(v.kind, SL_MV_DECIMAL);
    ck_assert_uint_eq(v.len, strlen(want));
    ck_assert_str_eq(v.str, want);
}

START_TEST(test_decimals)
{
    /* DECIMAL(10,2): 8 integer digits in 4 bytes, 2 fraction digits in 1 */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(10, 2), 0x80, 0x00, 0x04, 0xd2, 0x38), "1234.56");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(10, 2), 0x7f, 0xff, 0xfb, 0x2d, 0xc7), "-1234.56");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(10, 2), 0x80, 0x00, 0x00, 0x00, 0x00), "0.00");
    /* the MySQL manual's example */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(14, 4), 0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2),
               "1234567890.1234");
    /* DECIMAL(65,30): 35 integer digits (8 + 3 * 9), 30 fraction (3 * 9 + 3) */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(65, 30),
                   0x7f, 0x43, 0x9e, 0xb1, 0xca, 0x48, 0x40, 0x78, 0xca, 0xf1, 0xcb,
                   0x3f, 0xd0, 0xf8, 0xa0, 0x86, 0xf8, 0xa4, 0x32, 0xea, 0xff, 0x43,
                   0x9e, 0xb1, 0xca, 0x48, 0x40, 0x78, 0xfc, 0x85),
               "-12345678901234567890123456789012345.123456789012345678901234567890");
    /* DECIMAL(65,0) all nines */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(65, 0),
                   0xe3, 0x3b, 0x9a, 0xc9, 0xff, 0x3b, 0x9a, 0xc9, 0xff, 0x3b, 0x9a,
                   0xc9, 0xff, 0x3b, 0x9a, 0xc9, 0xff, 0x3b, 0x9a, 0xc9, 0xff, 0x3b,
                   0x9a, 0xc9, 0xff, 0x3b, 0x9a, 0xc9, 0xff),
               "99999999999999999999999999999999999999999999999999999999999999999");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(4, 3), 0x7f, 0xff, 0xfe), "-0.001");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(1, 0), 0x78), "-7");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(3, 1), 0x8c, 0x05), "12.5");
    assert_dec(one(SL_MYT_NEWDECIMAL, M(2, 1), 0x7f, 0xfa), "-0.5");
    /* DECIMAL(9,9): no integer digits at all */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(9, 9), 0x80, 0x00, 0x00, 0x07), "0.000000007");
    /* a negative zero prints without its sign */
    assert_dec(one(SL_MYT_NEWDECIMAL, M(10, 2), 0x7f, 0xff, 0xff, 0xff, 0xff), "0.00");
}
END_TEST

START_TEST(test_decimal_malformed)
{
    /* a 4-byte group of 10^9 is not 9 digits */
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t w = {0};
    tm_head(&w, 1, "d", "t");
    PUT(&w, 1, SL_MYT_NEWDECIMAL, 2, 18, 0, 0);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, &err), 0);
    wb_t r = {0};
    le(&r, 1, 6), le(&r, 0, 2);
    PUT(&r, 1, 1, 0, 0xbb, 0x9a, 0xca, 0x00, 0x00, 0x00, 0x00, 0x00);
    sl_bl_rows_t rows;
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    sl_myval_t v;
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, &v, &A, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "column 0 (NEWDECIMAL)"));
    ck_assert_ptr_nonnull(strstr(err.msg, "out of range"));
    /* the leading partial group: DECIMAL(2,0) is one byte, 0..99 */
    r.n = 0;
    le(&r, 1, 6), le(&r, 0, 2);
    PUT(&r, 1, 1, 0, 0x80 | 100);
    t.cols[0].meta = 2 << 8;
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, &v, &A, &err), -SL_EINVAL);
}
END_TEST

static void assert_time(sl_myval_t v, bool neg, int h, int m, int s, int us, int fsp)
{
    ck_assert_uint_eq(v.kind, SL_MV_TIME);
    ck_assert_int_eq(v.neg, neg);
    ck_assert_int_eq(v.i64, h);
    ck_assert_uint_eq(v.hour, h > 255 ? 255 : h);
    ck_assert_uint_eq(v.minute, m);
    ck_assert_uint_eq(v.second, s);
    ck_assert_uint_eq(v.micro, us);
    ck_assert_uint_eq(v.fsp, fsp);
}

static void assert_dt(sl_myval_t v, int kind, int y, int mo, int d, int h, int mi,
                      int s, int us)
{
    ck_assert_uint_eq(v.kind, kind);
    ck_assert_uint_eq(v.year, y);
    ck_assert_uint_eq(v.month, mo);
    ck_assert_uint_eq(v.day, d);
    ck_assert_uint_eq(v.hour, h);
    ck_assert_uint_eq(v.minute, mi);
    ck_assert_uint_eq(v.second, s);
    ck_assert_uint_eq(v.micro, us);
}

START_TEST(test_temporal)
{
    /* DATE: day 5 bits, month 4, year the rest */
    assert_dt(one(SL_MYT_DATE, NOMETA, 0x5d, 0xd0, 0x0f), SL_MV_DATE, 2024, 2, 29, 0, 0, 0, 0);
    assert_dt(one(SL_MYT_DATE, NOMETA, 0, 0, 0), SL_MV_DATE, 0, 0, 0, 0, 0, 0, 0);
    assert_dt(one(SL_MYT_NEWDATE, NOMETA, 0x9f, 0x1f, 0x4e), SL_MV_DATE, 9999, 12, 31, 0, 0, 0, 0);

    /* TIME2, fsp 6: '-838:59:59.000000' */
    assert_time(one(SL_MYT_TIME2, M(6), 0x4b, 0x91, 0x05, 0x00, 0x00, 0x00),
                true, 838, 59, 59, 0, 6);
    assert_time(one(SL_MYT_TIME2, M(0), 0x4b, 0x91, 0x05), true, 838, 59, 59, 0, 0);
    assert_time(one(SL_MYT_TIME2, M(5), 0xb4, 0x6e, 0xfb, 0x0f, 0x42, 0x3f),
                false, 838, 59, 59, 999999, 5);
    /* '-00:00:01.5' with fsp 1: integer part one lower, fraction 0x100 - 50 */
    assert_time(one(SL_MYT_TIME2, M(1), 0x7f, 0xff, 0xfe, 0xce), true, 0, 0, 1, 500000, 1);
    /* my_time.c's table: 7FFFFE.FF is -00:00:01.01, 7FFFFF.FF -00:00:00.01 */
    assert_time(one(SL_MYT_TIME2, M(2), 0x7f, 0xff, 0xfe, 0xff), true, 0, 0, 1, 10000, 2);
    assert_time(one(SL_MYT_TIME2, M(2), 0x7f, 0xff, 0xff, 0xff), true, 0, 0, 0, 10000, 2);
    assert_time(one(SL_MYT_TIME2, M(2), 0x7f, 0xff, 0xff, 0x00), true, 0, 0, 1, 0, 2);
    assert_time(one(SL_MYT_TIME2, M(2), 0x80, 0x00, 0x00, 0x00), false, 0, 0, 0, 0, 2);
    assert_time(one(SL_MYT_TIME2, M(3), 0x7f, 0xef, 0x7c, 0xee, 0x30), true, 1, 2, 3, 456000, 3);
    assert_time(one(SL_MYT_TIME2, M(4), 0x80, 0xc8, 0xb8, 0x1e, 0xd2), false, 12, 34, 56, 789000, 4);
    assert_time(one(SL_MYT_TIME2, M(6), 0x7f, 0x3f, 0xff, 0xff, 0xff, 0xff),
                true, 12, 0, 0, 1, 6);
    /* old TIME: HHMMSS as a signed integer */
    assert_time(one(SL_MYT_TIME, NOMETA, 0x59, 0x0a, 0x80), true, 838, 59, 59, 0, 0);
    assert_time(one(SL_MYT_TIME, NOMETA, 0x40, 0xe2, 0x01), false, 12, 34, 56, 0, 0);

    /* DATETIME2(6) '9999-12-31 23:59:59.999999' */
    sl_myval_t v = one(SL_MYT_DATETIME2, M(6), 0xfe, 0xf3, 0xff, 0x7e, 0xfb, 0x0f, 0x42, 0x3f);
    assert_dt(v, SL_MV_DATETIME, 9999, 12, 31, 23, 59, 59, 999999);
    ck_assert_uint_eq(v.fsp, 6);
    assert_dt(one(SL_MYT_DATETIME2, M(0), 0x99, 0xb2, 0xba, 0xdb, 0x47),
              SL_MV_DATETIME, 2024, 2, 29, 13, 45, 7, 0);
    assert_dt(one(SL_MYT_DATETIME2, M(0), 0x80, 0, 0, 0, 0), SL_MV_DATETIME, 0, 0, 0, 0, 0, 0, 0);
    assert_dt(one(SL_MYT_DATETIME2, M(2), 0x99, 0xb2, 0xba, 0xdb, 0x47, 0x63),
              SL_MV_DATETIME, 2024, 2, 29, 13, 45, 7, 990000);
    assert_dt(one(SL_MYT_DATETIME2, M(4), 0x99, 0xb2, 0xba, 0xdb, 0x47, 0x27, 0x0f),
              SL_MV_DATETIME, 2024, 2, 29, 13, 45, 7, 999900);
    /* old DATETIME: 20240229134507 */
    assert_dt(one(SL_MYT_DATETIME, NOMETA, 0xab, 0xf0, 0xaa, 0x8b, 0x68, 0x12, 0, 0),
              SL_MV_DATETIME, 2024, 2, 29, 13, 45, 7, 0);
    assert_dt(one(SL_MYT_DATETIME, NOMETA, 0, 0, 0, 0, 0, 0, 0, 0),
              SL_MV_DATETIME, 0, 0, 0, 0, 0, 0, 0);

    /* TIMESTAMP2(3): 1700000000.123 */
    v = one(SL_MYT_TIMESTAMP2, M(3), 0x65, 0x53, 0xf1, 0x00, 0x04, 0xce);
    ck_assert_uint_eq(v.kind, SL_MV_TIMESTAMP);
    ck_assert_int_eq(v.i64, 1700000000);
    ck_assert_uint_eq(v.micro, 123000);
    ck_assert_uint_eq(v.fsp, 3);
    v = one(SL_MYT_TIMESTAMP2, M(6), 0x65, 0x53, 0xf1, 0x00, 0x0f, 0x42, 0x3f);
    ck_assert_uint_eq(v.micro, 999999);
    v = one(SL_MYT_TIMESTAMP2, M(0), 0, 0, 0, 0);
    ck_assert_int_eq(v.i64, 0);
    ck_assert_uint_eq(v.micro, 0);
    v = one(SL_MYT_TIMESTAMP, NOMETA, 0x00, 0xf1, 0x53, 0x65);
    ck_assert_uint_eq(v.kind, SL_MV_TIMESTAMP);
    ck_assert_int_eq(v.i64, 1700000000);
}
END_TEST

/* A one-column value that must not decode: returns the error. */
static int bad_one(uint8_t type, const uint8_t *meta, size_t nmeta,
                   const uint8_t *val, size_t nval, sl_err_t *err)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    wb_t w = {0};
    tm_head(&w, 1, "db", "tt");
    packed(&w, 1);
    u8(&w, type);
    packed(&w, nmeta);
    put(&w, meta, nmeta);
    u8(&w, 1);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, w.b, w.n, &A, &t, err), 0);
    wb_t r = {0};
    le(&r, 1, 6), le(&r, 0, 2);
    PUT(&r, 1, 1, 0);
    put(&r, val, nval);
    sl_bl_rows_t rows;
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, err), 0);
    sl_myval_t v;
    return sl_bl_rows_next(&rows, &t, false, NULL, &v, &A, err);
}

#define BAD(type, meta, ...) bad_one((type), meta, M(__VA_ARGS__), &err)

START_TEST(test_temporal_out_of_range)
{
    sl_err_t err;
    ck_assert_int_eq(BAD(SL_MYT_DATE, NOMETA, 0xbf, 0xd1, 0x0f), -SL_EINVAL);   /* month 13 */
    ck_assert_ptr_nonnull(strstr(err.msg, "db.tt column 0 (DATE)"));
    /* TIME2 839:00:00 */
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(0), 0xb4, 0x70, 0x00), -SL_EINVAL);
    /* minute 60 */
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(0), 0x80, 0x0f, 0x00), -SL_EINVAL);
    /* 7FFFFF.01: a negative time whose fraction, complemented (0x100 - 1
     * hundredths), is more than a second */
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(2), 0x7f, 0xff, 0xff, 0x01), -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(1), 0x80, 0x00, 0x00, 0xff), -SL_EINVAL);
    /* fraction of 4 digits > 9999 */
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(4), 0x80, 0x00, 0x00, 0xff, 0xff), -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_TIME2, M(6), 0x80, 0x00, 0x00, 0x0f, 0x42, 0x40), -SL_EINVAL);
    /* DATETIME2 before the offset, hour 24, fraction too big */
    ck_assert_int_eq(BAD(SL_MYT_DATETIME2, M(0), 0x7f, 0xff, 0xff, 0xff, 0xff), -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_DATETIME2, M(0), 0x99, 0xb2, 0xbb, 0x80, 0x00), -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_DATETIME2, M(6), 0x99, 0xb2, 0xba, 0xdb, 0x47, 0xff, 0xff, 0xff),
                     -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_TIMESTAMP2, M(2), 0, 0, 0, 1, 100), -SL_EINVAL);
    /* old DATETIME month 13, old TIME minute 60 */
    ck_assert_int_eq(BAD(SL_MYT_DATETIME, NOMETA, 0xab, 0x9b, 0x3b, 0xcd, 0x68, 0x12, 0, 0),
                     -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_TIME, NOMETA, 0x70, 0x17, 0x00), -SL_EINVAL);
}
END_TEST

static void assert_str(sl_myval_t v, int kind, const char *want, size_t n)
{
    ck_assert_uint_eq(v.kind, kind);
    ck_assert_uint_eq(v.len, n);
    ck_assert(memcmp(v.str, want, n) == 0);
}

START_TEST(test_strings)
{
    /* VARCHAR(60) latin1: 1-byte length */
    assert_str(one(SL_MYT_VARCHAR, M(60, 0), 3, 'a', 'b', 'c'), SL_MV_STRING, "abc", 3);
    assert_str(one(SL_MYT_VARCHAR, M(60, 0), 0), SL_MV_STRING, "", 0);
    /* VARCHAR(100) utf8mb4 = 400 bytes: 2-byte length */
    assert_str(one(SL_MYT_VARCHAR, M(0x90, 0x01), 2, 0, 0xc3, 0xa9), SL_MV_STRING, "\xc3\xa9", 2);
    assert_str(one(SL_MYT_VAR_STRING, M(0x10, 0x00), 1, 'z'), SL_MV_STRING, "z", 1);
    /* the length size switches at a maximum of 256 bytes */
    assert_str(one(SL_MYT_VARCHAR, M(0xff, 0x00), 1, 'a'), SL_MV_STRING, "a", 1);
    assert_str(one(SL_MYT_VARCHAR, M(0x00, 0x01), 1, 0, 'a'), SL_MV_STRING, "a", 1);
    assert_str(one(SL_MYT_STRING, M(0xfe, 0xff), 1, 'a'), SL_MV_STRING, "a", 1);
    assert_str(one(SL_MYT_STRING, M(0xee, 0x00), 1, 0, 'a'), SL_MV_STRING, "a", 1);
    /* CHAR(10): 1-byte length, no padding */
    assert_str(one(SL_MYT_STRING, M(0xfe, 10), 2, 'h', 'i'), SL_MV_STRING, "hi", 2);
    /* CHAR(255) utf8mb4 (1020 bytes): 2-byte length */
    assert_str(one(SL_MYT_STRING, M(0xce, 0xfc), 3, 0, 'x', 'y', 'z'), SL_MV_STRING, "xyz", 3);
    /* BINARY(4) keeps its bytes */
    assert_str(one(SL_MYT_STRING, M(0xfe, 4), 4, 0, 1, 0, 2), SL_MV_STRING, "\0\1\0\2", 4);
    /* blobs by length size */
    assert_str(one(SL_MYT_BLOB, M(1), 2, 'o', 'k'), SL_MV_STRING, "ok", 2);
    assert_str(one(SL_MYT_BLOB, M(2), 2, 0, 'o', 'k'), SL_MV_STRING, "ok", 2);
    assert_str(one(SL_MYT_BLOB, M(3), 2, 0, 0, 'o', 'k'), SL_MV_STRING, "ok", 2);
    assert_str(one(SL_MYT_BLOB, M(4), 2, 0, 0, 0, 'o', 'k'), SL_MV_STRING, "ok", 2);
    assert_str(one(SL_MYT_GEOMETRY, M(4), 5, 0, 0, 0, 0, 0, 0, 0, 1), SL_MV_STRING,
               "\0\0\0\0\1", 5);
    /* MySQL's binary JSON, as stored; MariaDB's JSON is a BLOB of text */
    assert_str(one(SL_MYT_JSON, M(4), 3, 0, 0, 0, 0x04, 0x01, 0x00), SL_MV_JSON,
               "\x04\x01\x00", 3);
    assert_str(one(SL_MYT_BLOB, M(4), 2, 0, 0, 0, '{', '}'), SL_MV_STRING, "{}", 2);
    sl_myval_t v = one(SL_MYT_JSON, M(4), 0, 0, 0, 0);
    ck_assert_uint_eq(v.kind, SL_MV_JSON);
    ck_assert_uint_eq(v.len, 0);

    /* ENUM, SET, BIT */
    v = one(SL_MYT_STRING, M(0xf7, 1), 3);
    ck_assert_uint_eq(v.kind, SL_MV_ENUM);
    ck_assert_uint_eq(v.u64, 3);
    v = one(SL_MYT_STRING, M(0xf7, 2), 0x2c, 0x01);
    ck_assert_uint_eq(v.kind, SL_MV_ENUM);
    ck_assert_uint_eq(v.u64, 300);
    v = one(SL_MYT_STRING, M(0xf8, 1), 0x05);
    ck_assert_uint_eq(v.kind, SL_MV_SET);
    ck_assert_uint_eq(v.u64, 5);
    v = one(SL_MYT_STRING, M(0xf8, 8), 1, 0, 0, 0, 0, 0, 0, 0x80);
    ck_assert_uint_eq(v.kind, SL_MV_SET);
    ck_assert_uint_eq(v.u64, 0x8000000000000001ull);
    v = one(SL_MYT_BIT, M(2, 1), 0x02, 0x01);      /* BIT(10) b'1000000001' */
    ck_assert_uint_eq(v.kind, SL_MV_BIT);
    ck_assert_uint_eq(v.u64, 0x201);
    v = one(SL_MYT_BIT, M(1, 0), 0x01);            /* BIT(1) */
    ck_assert_uint_eq(v.u64, 1);
    v = one(SL_MYT_BIT, M(0, 8), 0x80, 0, 0, 0, 0, 0, 0, 0x01);
    ck_assert_uint_eq(v.u64, 0x8000000000000001ull);
}
END_TEST

START_TEST(test_string_truncated)
{
    sl_err_t err;
    ck_assert_int_eq(BAD(SL_MYT_VARCHAR, M(60, 0), 4, 'a', 'b', 'c'), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "value of 4 bytes truncated"));
    ck_assert_int_eq(BAD(SL_MYT_BLOB, M(4), 0xff, 0xff, 0xff, 0xff, 'x'), -SL_EINVAL);
    ck_assert_int_eq(BAD(SL_MYT_STRING, M(0xce, 0xfc), 4), -SL_EINVAL);
}
END_TEST

/* ---- ROWS: whole events ---- */

/* UPDATE_ROWS v2 on tm_ten with full metadata: extra data skipped, a full
 * before image with NULLs, a partial after image (binlog_row_image=MINIMAL
 * style), charsets and signedness from the table map. */
START_TEST(test_update_rows_v2)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    f.checksum = true;
    sl_err_t err;
    wb_t tm = {0};
    tm_ten(&tm);
    tm_ten_full(&tm);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, tm.b, tm.n, &A, &t, &err), 0);

    wb_t r = {0};
    le(&r, 0x123456789aull, 6);
    le(&r, 1, 2);
    le(&r, 2 + 4, 2);               /* extra data: 4 bytes */
    PUT(&r, 0x00, 0x04, 0xaa, 0xbb);
    packed(&r, 10);
    PUT(&r, 0xff, 0x03);            /* before image: every column */
    PUT(&r, 0x46, 0x00);            /* after image: name, price, qty */
    /* before image: status, data, g NULL (present index 3, 5, 7) */
    PUT(&r, 0xa8, 0x00);
    PUT(&r, 0x2a, 0, 0, 0, 0, 0, 0, 0);               /* id 42 */
    PUT(&r, 3, 0, 'f', 'o', 'o');                     /* name, 2-byte length */
    PUT(&r, 0x7f, 0xff, 0xfb, 0x2d, 0xc7);            /* price -1234.56 */
    PUT(&r, 0x03);                                    /* tags {x, y} */
    PUT(&r, 0xff, 0xff, 0xff, 0xff);                  /* qty 4294967295 */
    PUT(&r, 2, 0, 0xe9, 'e');                         /* t latin1 */
    PUT(&r, 2, 0, 'c', 'c');                          /* c, 2-byte length */
    /* after image: price NULL */
    PUT(&r, 0x02);
    PUT(&r, 3, 0, 'b', 'a', 'r');
    PUT(&r, 0x07, 0x00, 0x00, 0x00);                  /* qty 7 */
    seed(seed_flags(SL_BL_UPDATE_ROWS_V2, false), &tm, &r);

    wb_t ev;
    event(&ev, SL_BL_UPDATE_ROWS_V2, &r, true);
    sl_bl_header_t h;
    ck_assert_int_eq(sl_bl_header_parse(ev.b, ev.n, &h, &err), 0);
    const uint8_t *body;
    size_t blen;
    ck_assert_int_eq(sl_bl_body(&f, ev.b, ev.n, &body, &blen, &err), 0);
    sl_bl_rows_t rows;
    ck_assert_int_eq(sl_bl_rows_parse(&f, h.type, body, blen, &rows, &err), 0);
    ck_assert_uint_eq(rows.kind, SL_BL_ROWS_UPDATE);
    ck_assert_uint_eq(rows.table_id, 0x123456789aull);
    ck_assert_uint_eq(rows.ncols, 10);
    ck_assert_ptr_nonnull(rows.cols2);

    sl_myval_t v[10];
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 1);
    assert_uint(v[0], 42);
    assert_str(v[1], SL_MV_STRING, "foo", 3);
    ck_assert_uint_eq(v[1].charset, 255);
    assert_dec(v[2], "-1234.56");
    ck_assert_uint_eq(v[3].kind, SL_MV_NULL);
    ck_assert_uint_eq(v[4].kind, SL_MV_SET);
    ck_assert_uint_eq(v[4].u64, 3);
    ck_assert_uint_eq(v[5].kind, SL_MV_NULL);
    assert_uint(v[6], 4294967295u);
    ck_assert_uint_eq(v[7].kind, SL_MV_NULL);
    assert_str(v[8], SL_MV_STRING, "\xe9" "e", 2);
    ck_assert_uint_eq(v[8].charset, 8);
    assert_str(v[9], SL_MV_STRING, "cc", 2);
    ck_assert_uint_eq(v[9].charset, 255);

    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, true, NULL, v, &A, &err), 1);
    for (int i = 0; i < 10; i++)
        if (i != 1 && i != 2 && i != 6) ck_assert_uint_eq(v[i].kind, SL_MV_ABSENT);
    assert_str(v[1], SL_MV_STRING, "bar", 3);
    ck_assert_uint_eq(v[2].kind, SL_MV_NULL);
    assert_uint(v[6], 7);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 0);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 0);

    /* every truncation of the body: an error or fewer images, never more */
    for (size_t n = 0; n < blen; n++) {
        sl_bl_rows_t rr;
        int rc = sl_bl_rows_parse(&f, h.type, body, n, &rr, &err);
        int images = 0;
        while (rc == 0) {
            rc = sl_bl_rows_next(&rr, &t, images % 2 == 1, NULL, v, &A, &err);
            if (rc == 1) {
                images++;
                rc = 0;
            } else if (rc == 0) {
                break;
            }
        }
        ck_assert_msg(rc < 0 || images < 2, "cut at %zu: %d images", n, images);
        /* after the bitmaps, only a cut between the images is no error */
        if (n >= 20 && n != blen - 10) ck_assert_msg(rc < 0, "cut at %zu: no error", n);
    }

    /* extra data length below 2 */
    r.b[8] = 1;
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_UPDATE_ROWS_V2, r.b, r.n, &rows, &err),
                     -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "UPDATE_ROWS event: extra data length 1"));
}
END_TEST

START_TEST(test_rows_v1)
{
    /* MariaDB writes v1 rows events: WRITE two rows, DELETE one; a table
     * with TINY, VARCHAR, DATETIME2(0), and the hint making TINY unsigned */
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    f.mariadb = true;
    sl_err_t err;
    wb_t tm = {0};
    tm_head(&tm, 300, "app", "ev");
    PUT(&tm, 3, SL_MYT_TINY, SL_MYT_VARCHAR, SL_MYT_DATETIME2, 3, 20, 0, 0, 0x06);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, tm.b, tm.n, &A, &t, &err), 0);
    ck_assert_int_eq(t.cols[1].nullable, 1);
    ck_assert_int_eq(t.cols[0].nullable, 0);

    wb_t r = {0};
    le(&r, 300, 6), le(&r, 1, 2);
    PUT(&r, 3, 0x07);
    PUT(&r, 0x00, 0xc8, 2, 'h', 'i', 0x99, 0xb2, 0xba, 0xdb, 0x47);
    PUT(&r, 0x06, 0x01);            /* VARCHAR and DATETIME2 NULL */
    seed(seed_flags(SL_BL_WRITE_ROWS_V1, true), &tm, &r);
    sl_bl_rows_t rows;
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_uint_eq(rows.kind, SL_BL_ROWS_WRITE);
    ck_assert_uint_eq(rows.table_id, 300);
    ck_assert_ptr_null(rows.cols2);
    static const bool hint[3] = {true, false, false};
    sl_myval_t v[3];
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, hint, v, &A, &err), 1);
    assert_uint(v[0], 200);
    assert_str(v[1], SL_MV_STRING, "hi", 2);
    assert_dt(v[2], SL_MV_DATETIME, 2024, 2, 29, 13, 45, 7, 0);
    /* `after` on a single-image event reads that image */
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, true, hint, v, &A, &err), 1);
    assert_uint(v[0], 1);
    ck_assert_uint_eq(v[1].kind, SL_MV_NULL);
    ck_assert_uint_eq(v[2].kind, SL_MV_NULL);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, hint, v, &A, &err), 0);

    /* DELETE v1 with a 4-byte table id (post-header 6) */
    f.post_header_len[SL_BL_DELETE_ROWS_V1] = 6;
    r.n = 0;
    le(&r, 300, 4), le(&r, 0, 2);
    PUT(&r, 3, 0x01, 0x00, 0x05);
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_DELETE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_uint_eq(rows.kind, SL_BL_ROWS_DELETE);
    ck_assert_uint_eq(rows.table_id, 300);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 1);
    assert_int(v[0], 5);
    ck_assert_uint_eq(v[1].kind, SL_MV_ABSENT);
    ck_assert_uint_eq(v[2].kind, SL_MV_ABSENT);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 0);

    /* UPDATE v1 has two bitmaps */
    r.n = 0;
    le(&r, 300, 6), le(&r, 0, 2);
    PUT(&r, 3, 0x01, 0x02, 0x00, 0x05, 0x00, 0x01, 'q');
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_UPDATE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_uint_eq(rows.kind, SL_BL_ROWS_UPDATE);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 1);
    assert_int(v[0], 5);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, true, NULL, v, &A, &err), 1);
    ck_assert_uint_eq(v[0].kind, SL_MV_ABSENT);
    assert_str(v[1], SL_MV_STRING, "q", 1);
    ck_assert_uint_eq(v[2].kind, SL_MV_ABSENT);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 0);
}
END_TEST

START_TEST(test_rows_errors)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    sl_bl_rows_t rows;
    wb_t r = {0};
    le(&r, 1, 6), le(&r, 0, 2);
    PUT(&r, 1, 0x01, 0x00, 0x05);

    static const uint8_t compressed[] = {166, 167, 168, 169, 170, 171};
    for (size_t i = 0; i < sizeof compressed; i++) {
        ck_assert_int_eq(sl_bl_rows_parse(&f, compressed[i], r.b, r.n, &rows, &err),
                         -SL_EUNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(err.msg, "log_bin_compress"));
    }
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_MYSQL_PARTIAL_UPDATE_ROWS, r.b, r.n, &rows,
                                      &err), -SL_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.msg, "binlog_row_value_options"));
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_QUERY, r.b, r.n, &rows, &err), -SL_EINVAL);

    /* a table map with another column count */
    wb_t tm = {0};
    tm_head(&tm, 1, "d", "t");
    PUT(&tm, 2, SL_MYT_TINY, SL_MYT_TINY, 0, 0);
    sl_bl_table_t t;
    ck_assert_int_eq(sl_bl_table_map_parse(&f, tm.b, tm.n, &A, &t, &err), 0);
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    sl_myval_t v[2];
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "has 1 columns, its table map (d.t) 2"));

    /* an image without columns cannot be followed by bytes (no endless
     * zero-length images) */
    r.n = 0;
    le(&r, 1, 6), le(&r, 0, 2);
    PUT(&r, 2, 0x00, 0x01);
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), -SL_EINVAL);
    /* an event without rows */
    r.n = 0;
    le(&r, 1, 6), le(&r, 1, 2);
    PUT(&r, 2, 0x03);
    ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, r.n, &rows, &err), 0);
    ck_assert_int_eq(sl_bl_rows_next(&rows, &t, false, NULL, v, &A, &err), 0);
    /* truncated post-header, count, bitmaps */
    for (size_t n = 0; n < r.n; n++)
        ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V1, r.b, n, &rows, &err),
                         -SL_EINVAL);
    /* v2 needs the extra-data length */
    for (size_t n = 0; n < 11; n++)
        ck_assert_int_eq(sl_bl_rows_parse(&f, SL_BL_WRITE_ROWS_V2, r.b, n, &rows, &err),
                         -SL_EINVAL);
}
END_TEST

/* Random bytes and random mutations of valid events: only errors, never
 * crashes (the sanitizer build of scripts/check watches reads). */
START_TEST(test_random_bytes)
{
    sl_bl_format_t f;
    sl_bl_format_default(&f);
    sl_err_t err;
    wb_t tm = {0};
    tm_ten(&tm);
    tm_ten_full(&tm);
    wb_t r = {0};
    le(&r, 0x123456789aull, 6), le(&r, 1, 2), le(&r, 2, 2);
    packed(&r, 10);
    PUT(&r, 0xff, 0x03, 0xff, 0x03, 0xff, 0x03);
    for (int i = 0; i < 64; i++) u8(&r, (unsigned)i * 37u);
    uint64_t s = 88172645463325252ull;
    static uint8_t buf[2][16384];
    for (int iter = 0; iter < 20000; iter++) {
        sl_arena_reset(&A);
        memcpy(buf[0], tm.b, tm.n);
        memcpy(buf[1], r.b, r.n);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            size_t which = (s >> 40) & 1;
            size_t at = (s >> 8) % (which ? r.n : tm.n);
            buf[which][at] = (uint8_t)s;
        }
        sl_bl_table_t t;
        if (sl_bl_table_map_parse(&f, buf[0], tm.n, &A, &t, &err) < 0) continue;
        sl_bl_rows_t rows;
        if (sl_bl_rows_parse(&f, SL_BL_UPDATE_ROWS_V2, buf[1], r.n, &rows, &err) < 0)
            continue;
        sl_myval_t v[64];
        if ((uint32_t)t.ncols != rows.ncols || t.ncols > 64) continue;
        for (int img = 0; img < 100; img++)
            if (sl_bl_rows_next(&rows, &t, img % 2, NULL, v, &A, &err) != 1) break;
    }
}
END_TEST

/* MySQL GTID sets as COM_BINLOG_DUMP_GTID carries them. */
START_TEST(test_mysql_gtid_encode)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_err_t err;
    sl_err_clear(&err);
    const char *set = "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7,\n"
                      " 00000000-0000-0000-0000-000000000001:10";
    ck_assert_int_eq(sl_bl_mysql_gtid_encode(set, strlen(set), &sb, &err), 0);
    /* 8 + 2 * (16 + 8) + 3 * 16 */
    ck_assert_uint_eq(sb.len, 8 + 2 * 24 + 3 * 16);
    const uint8_t *p = (const uint8_t *)sb.buf;
    ck_assert_uint_eq(p[0], 2);
    ck_assert_uint_eq(p[8], 0x3E);
    ck_assert_uint_eq(p[9], 0x11);
    ck_assert_uint_eq(p[23], 0x62);
    ck_assert_uint_eq(p[24], 2);           /* intervals of the first sid */
    ck_assert_uint_eq(p[32], 1);           /* [1, 6) */
    ck_assert_uint_eq(p[40], 6);
    ck_assert_uint_eq(p[48], 7);           /* [7, 8) */
    ck_assert_uint_eq(p[56], 8);
    ck_assert_uint_eq(p[64 + 15], 1);      /* second uuid's last byte */
    ck_assert_uint_eq(p[80], 1);
    ck_assert_uint_eq(p[88], 10);
    ck_assert_uint_eq(p[96], 11);
    static const char *const bad[] = {"", "abc:1", "3E11FA47-71CA-11E1-9E33-C80AA9429562",
                                      "3E11FA47-71CA-11E1-9E33-C80AA9429562:5-3",
                                      "3E11FA47-71CA-11E1-9E33-C80AA9429562:0",
                                      "3E11FA47-71CA-11E1-9E33-C80AA9429562:3:2",
                                      "3E11FA47-71CA-11E1-9E33-C80AA9429562:1;x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_strbuf_clear(&sb);
        ck_assert_int_eq(sl_bl_mysql_gtid_encode(bad[i], strlen(bad[i]), &sb, &err), -SL_EINVAL);
        ck_assert_uint_eq(sb.len, 0);
        ck_assert_ptr_nonnull(strstr(err.msg, "GTID set"));
    }
    sl_strbuf_destroy(&sb);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("binlog");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_crc_and_header);
    tcase_add_test(tc, test_format_default);
    tcase_add_test(tc, test_format_parse);
    tcase_add_test(tc, test_small_events);
    tcase_add_test(tc, test_table_map_minimal);
    tcase_add_test(tc, test_table_map_types);
    tcase_add_test(tc, test_table_map_bad_meta);
    tcase_add_test(tc, test_table_map_optional);
    tcase_add_test(tc, test_table_map_bad_optional);
    tcase_add_test(tc, test_integers);
    tcase_add_test(tc, test_floats);
    tcase_add_test(tc, test_decimals);
    tcase_add_test(tc, test_decimal_malformed);
    tcase_add_test(tc, test_temporal);
    tcase_add_test(tc, test_temporal_out_of_range);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_string_truncated);
    tcase_add_test(tc, test_update_rows_v2);
    tcase_add_test(tc, test_rows_v1);
    tcase_add_test(tc, test_rows_errors);
    tcase_add_test(tc, test_random_bytes);
    tcase_add_test(tc, test_mysql_gtid_encode);
    suite_add_tcase(s, tc);
    return sl_test_run_suite(s);
}
