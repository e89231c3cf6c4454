/* binlog.c - decoding MySQL / MariaDB binlog events; see binlog.h.
 *
 * Every read goes through a cursor (cur_t) that knows the end of the bytes
 * it may read, so a malformed event is an -SL_EINVAL naming the event and
 * the field or column, never a read past the buffer. Nothing here keeps
 * state between calls; the only allocations are the caller's arena's.
 *
 * Format facts used (see the references in binlog.h):
 *  - packed integers (net_field_length): < 251 one byte; 252 + 2 bytes,
 *    253 + 3 bytes, 254 + 8 bytes (little-endian); 251 is SQL NULL and is
 *    not a valid length here.
 *  - bitmaps of columns are LSB first within each byte; the SIGNEDNESS
 *    optional metadata bitmap is MSB first.
 *  - integers are little-endian except the TIME2 / DATETIME2 / TIMESTAMP2
 *    parts, BIT values and packed decimals, which are big-endian.
 */
#include "connectors/mysql/binlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/strbuf.h"

/* ---- byte cursor ---- */

typedef struct cur {
    const uint8_t *p;
    const uint8_t *end;
} cur_t;

/* Bytes left to read. */
static size_t cur_left(const cur_t *c)
{
    return (size_t)(c->end - c->p);
}

/* The n-byte (n <= 8) little- / big-endian unsigned integer at p. */
static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint64_t get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 8) | p[i];
    return v;
}

/* Reads an n-byte little-endian integer; false when fewer bytes are left. */
static bool rd_le(cur_t *c, int n, uint64_t *v)
{
    if (cur_left(c) < (size_t)n) return false;
    *v = get_le(c->p, n);
    c->p += n;
    return true;
}

/* Takes n bytes: *out points into the cursor's buffer (the caller's);
 * false when fewer are left. */
static bool rd_bytes(cur_t *c, uint64_t n, const uint8_t **out)
{
    if (cur_left(c) < n) return false;
    *out = c->p;
    c->p += n;
    return true;
}

/* A packed (length-encoded) integer; false on truncation or the NULL
 * marker 251 / the reserved 255. */
static bool rd_packed(cur_t *c, uint64_t *v)
{
    if (cur_left(c) < 1) return false;
    uint8_t b = *c->p++;
    if (b < 251) {
        *v = b;
        return true;
    }
    switch (b) {
    case 252: return rd_le(c, 2, v);
    case 253: return rd_le(c, 3, v);
    case 254: return rd_le(c, 8, v);
    default: return false;   /* 251 NULL, 255 undefined */
    }
}

/* ---- CRC32 (zlib's: reflected polynomial 0xEDB88320) ----
 * zlib's crc32() works on 8 bytes at a time; a byte-at-a-time table loop
 * was a quarter of the decode time (scripts/bench/mysql_cdc.sh). */

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

static bool crc_ok(const uint8_t *buf, size_t len)
{
    return crc32_of(buf, len - 4) == (uint32_t)get_le(buf + len - 4, 4);
}

/* ---- names for messages ---- */

/* The event type's name for messages (a static string). */
static const char *event_name(uint8_t type)
{
    switch (type) {
    case SL_BL_QUERY: return "QUERY";
    case SL_BL_STOP: return "STOP";
    case SL_BL_ROTATE: return "ROTATE";
    case SL_BL_FORMAT_DESCRIPTION: return "FORMAT_DESCRIPTION";
    case SL_BL_XID: return "XID";
    case SL_BL_TABLE_MAP: return "TABLE_MAP";
    case SL_BL_WRITE_ROWS_V1: return "WRITE_ROWS_V1";
    case SL_BL_UPDATE_ROWS_V1: return "UPDATE_ROWS_V1";
    case SL_BL_DELETE_ROWS_V1: return "DELETE_ROWS_V1";
    case SL_BL_HEARTBEAT: return "HEARTBEAT";
    case SL_BL_WRITE_ROWS_V2: return "WRITE_ROWS";
    case SL_BL_UPDATE_ROWS_V2: return "UPDATE_ROWS";
    case SL_BL_DELETE_ROWS_V2: return "DELETE_ROWS";
    case SL_BL_MYSQL_GTID: return "GTID";
    case SL_BL_MYSQL_ANONYMOUS_GTID: return "ANONYMOUS_GTID";
    case SL_BL_MYSQL_PREVIOUS_GTIDS: return "PREVIOUS_GTIDS";
    case SL_BL_MYSQL_PARTIAL_UPDATE_ROWS: return "PARTIAL_UPDATE_ROWS";
    case SL_BL_MARIADB_ANNOTATE_ROWS: return "ANNOTATE_ROWS";
    case SL_BL_MARIADB_BINLOG_CHECKPOINT: return "BINLOG_CHECKPOINT";
    case SL_BL_MARIADB_GTID: return "MariaDB GTID";
    case SL_BL_MARIADB_GTID_LIST: return "GTID_LIST";
    case SL_BL_MARIADB_START_ENCRYPTION: return "START_ENCRYPTION";
    case SL_BL_MARIADB_QUERY_COMPRESSED: return "QUERY_COMPRESSED";
    case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1: return "WRITE_ROWS_COMPRESSED_V1";
    case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED_V1: return "UPDATE_ROWS_COMPRESSED_V1";
    case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED_V1: return "DELETE_ROWS_COMPRESSED_V1";
    case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED: return "WRITE_ROWS_COMPRESSED";
    case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED: return "UPDATE_ROWS_COMPRESSED";
    case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED: return "DELETE_ROWS_COMPRESSED";
    default: return "unknown";
    }
}

/* The column type's name for messages (a static string). */
static const char *type_name(uint8_t t)
{
    switch (t) {
    case SL_MYT_DECIMAL: return "DECIMAL";
    case SL_MYT_TINY: return "TINY";
    case SL_MYT_SHORT: return "SHORT";
    case SL_MYT_LONG: return "LONG";
    case SL_MYT_FLOAT: return "FLOAT";
    case SL_MYT_DOUBLE: return "DOUBLE";
    case SL_MYT_NULL: return "NULL";
    case SL_MYT_TIMESTAMP: return "TIMESTAMP";
    case SL_MYT_LONGLONG: return "LONGLONG";
    case SL_MYT_INT24: return "INT24";
    case SL_MYT_DATE: return "DATE";
    case SL_MYT_TIME: return "TIME";
    case SL_MYT_DATETIME: return "DATETIME";
    case SL_MYT_YEAR: return "YEAR";
    case SL_MYT_NEWDATE: return "NEWDATE";
    case SL_MYT_VARCHAR: return "VARCHAR";
    case SL_MYT_BIT: return "BIT";
    case SL_MYT_TIMESTAMP2: return "TIMESTAMP2";
    case SL_MYT_DATETIME2: return "DATETIME2";
    case SL_MYT_TIME2: return "TIME2";
    case SL_MYT_JSON: return "JSON";
    case SL_MYT_NEWDECIMAL: return "NEWDECIMAL";
    case SL_MYT_ENUM: return "ENUM";
    case SL_MYT_SET: return "SET";
    case SL_MYT_TINY_BLOB: return "TINY_BLOB";
    case SL_MYT_MEDIUM_BLOB: return "MEDIUM_BLOB";
    case SL_MYT_LONG_BLOB: return "LONG_BLOB";
    case SL_MYT_BLOB: return "BLOB";
    case SL_MYT_VAR_STRING: return "VAR_STRING";
    case SL_MYT_STRING: return "STRING";
    case SL_MYT_GEOMETRY: return "GEOMETRY";
    default: return "unknown type";
    }
}

/* ---- format description ---- */

/* Post-header lengths of binlog v4 as MySQL 5.6+ and MariaDB 10 write
 * them; types not listed are 0. */
static const struct { uint8_t type, len; } v4_post_headers[] = {
    {SL_BL_QUERY, 13}, {SL_BL_STOP, 0}, {SL_BL_ROTATE, 8},
    {5 /* INTVAR */, 0}, {6 /* LOAD */, 18}, {8 /* CREATE_FILE */, 4},
    {9 /* APPEND_BLOCK */, 4}, {10 /* EXEC_LOAD */, 4},
    {11 /* DELETE_FILE */, 4}, {12 /* NEW_LOAD */, 18}, {13 /* RAND */, 0},
    {14 /* USER_VAR */, 0}, {SL_BL_XID, 0}, {17 /* BEGIN_LOAD_QUERY */, 4},
    {18 /* EXECUTE_LOAD_QUERY */, 26}, {SL_BL_TABLE_MAP, 8},
    {SL_BL_WRITE_ROWS_V1, 8}, {SL_BL_UPDATE_ROWS_V1, 8},
    {SL_BL_DELETE_ROWS_V1, 8}, {26 /* INCIDENT */, 2}, {SL_BL_HEARTBEAT, 0},
    {SL_BL_WRITE_ROWS_V2, 10}, {SL_BL_UPDATE_ROWS_V2, 10},
    {SL_BL_DELETE_ROWS_V2, 10}, {SL_BL_MYSQL_GTID, 42},
    {SL_BL_MYSQL_ANONYMOUS_GTID, 42}, {SL_BL_MYSQL_PREVIOUS_GTIDS, 0},
    {SL_BL_MYSQL_PARTIAL_UPDATE_ROWS, 10},
    {SL_BL_MARIADB_ANNOTATE_ROWS, 0}, {SL_BL_MARIADB_BINLOG_CHECKPOINT, 4},
    {SL_BL_MARIADB_GTID, 19}, {SL_BL_MARIADB_GTID_LIST, 4},
    {SL_BL_MARIADB_START_ENCRYPTION, 0}, {SL_BL_MARIADB_QUERY_COMPRESSED, 13},
    {SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1, 8},
    {SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED_V1, 8},
    {SL_BL_MARIADB_DELETE_ROWS_COMPRESSED_V1, 8},
    {SL_BL_MARIADB_WRITE_ROWS_COMPRESSED, 10},
    {SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED, 10},
    {SL_BL_MARIADB_DELETE_ROWS_COMPRESSED, 10},
};

void sl_bl_format_default(sl_bl_format_t *f)
{
    memset(f, 0, sizeof *f);
    f->binlog_version = 4;
    for (size_t i = 0; i < sizeof v4_post_headers / sizeof v4_post_headers[0]; i++)
        f->post_header_len[v4_post_headers[i].type] = v4_post_headers[i].len;
}

/* The post-header length of `type` in f, or `dflt` when f does not
 * announce one. */
static size_t post_header(const sl_bl_format_t *f, uint8_t type, size_t dflt)
{
    uint8_t n = f ? f->post_header_len[type] : 0;
    return n ? n : dflt;
}

int sl_bl_header_parse(const uint8_t *buf, size_t len, sl_bl_header_t *h,
                       sl_err_t *err)
{
    if (len < SL_BL_HEADER_LEN)
        return sl_err_set(err, SL_EINVAL,
                          "binlog event of %zu bytes is shorter than its "
                          "19-byte header", len);
    h->timestamp = (uint32_t)get_le(buf, 4);
    h->type = buf[4];
    h->server_id = (uint32_t)get_le(buf + 5, 4);
    h->event_size = (uint32_t)get_le(buf + 9, 4);
    h->log_pos = (uint32_t)get_le(buf + 13, 4);
    h->flags = (uint16_t)get_le(buf + 17, 2);
    if (h->event_size != len)
        return sl_err_set(err, SL_EINVAL,
                          "%s event: header says %u bytes, got %zu",
                          event_name(h->type), h->event_size, len);
    return 0;
}

int sl_bl_body(const sl_bl_format_t *f, const uint8_t *buf, size_t len,
               const uint8_t **body, size_t *blen, sl_err_t *err)
{
    size_t trailer = f->checksum ? 4 : 0;
    if (len < SL_BL_HEADER_LEN + trailer)
        return sl_err_set(err, SL_EINVAL,
                          "binlog event of %zu bytes is shorter than its "
                          "header%s", len, trailer ? " and checksum" : "");
    if (trailer && !crc_ok(buf, len))
        return sl_err_set(err, SL_EINVAL, "%s event: checksum mismatch",
                          event_name(buf[4]));
    *body = buf + SL_BL_HEADER_LEN;
    *blen = len - SL_BL_HEADER_LEN - trailer;
    return 0;
}

/* Leading "X.Y.Z" of a server version as X*10000 + Y*100 + Z (each part
 * clamped to 99), 0 if it does not start with a digit. */
static unsigned version_product(const char *v)
{
    unsigned part[3] = {0, 0, 0};
    const char *s = v;
    if (*s < '0' || *s > '9') return 0;
    for (int i = 0; i < 3; i++) {
        unsigned n = 0;
        while (*s >= '0' && *s <= '9') {
            if (n < 99) n = n * 10 + (unsigned)(*s - '0');
            if (n > 99) n = 99;
            s++;
        }
        part[i] = n;
        if (*s != '.') break;
        s++;
    }
    return part[0] * 10000 + part[1] * 100 + part[2];
}

/* FORMAT_DESCRIPTION body: binlog_version(2) server_version(50)
 * create_timestamp(4) header_len(1) post_header_lens(n)
 * [checksum_alg(1) checksum(4)]. */
#define FDE_FIXED (2 + 50 + 4 + 1)

int sl_bl_format_parse(const uint8_t *buf, size_t len, sl_bl_format_t *f,
                       sl_err_t *err)
{
    sl_bl_header_t h;
    int rc = sl_bl_header_parse(buf, len, &h, err);
    if (rc < 0) return rc;
    if (h.type != SL_BL_FORMAT_DESCRIPTION)
        return sl_err_set(err, SL_EINVAL,
                          "expected a FORMAT_DESCRIPTION event, got type %u (%s)",
                          h.type, event_name(h.type));
    if (len < SL_BL_HEADER_LEN + FDE_FIXED)
        return sl_err_set(err, SL_EINVAL,
                          "FORMAT_DESCRIPTION event: %zu bytes, truncated", len);
    const uint8_t *b = buf + SL_BL_HEADER_LEN;
    memset(f, 0, sizeof *f);
    f->binlog_version = (uint16_t)get_le(b, 2);
    if (f->binlog_version != 4)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "FORMAT_DESCRIPTION event: binlog version %u "
                          "(only version 4, MySQL 5.0+ / MariaDB, is supported)",
                          f->binlog_version);
    size_t vlen = 0;
    while (vlen < 50 && b[2 + vlen]) vlen++;
    memcpy(f->server_version, b + 2, vlen);
    f->server_version[vlen] = '\0';
    f->mariadb = strstr(f->server_version, "MariaDB") != NULL;
    uint8_t common_len = b[2 + 50 + 4];
    if (common_len != SL_BL_HEADER_LEN)
        return sl_err_set(err, SL_EINVAL,
                          "FORMAT_DESCRIPTION event: common header length %u, "
                          "expected 19", common_len);
    unsigned vp = version_product(f->server_version);
    bool has_alg = f->mariadb ? vp >= 50300 : vp >= 50601;
    size_t n = len - SL_BL_HEADER_LEN - FDE_FIXED;
    if (has_alg) {
        if (n < 5)
            return sl_err_set(err, SL_EINVAL,
                              "FORMAT_DESCRIPTION event: no room for the "
                              "checksum algorithm of server %s",
                              f->server_version);
        n -= 5;
        uint8_t alg = buf[len - 5];
        if (alg == 1) {
            if (!crc_ok(buf, len))
                return sl_err_set(err, SL_EINVAL,
                                  "FORMAT_DESCRIPTION event: checksum mismatch");
            f->checksum = true;
        } else if (alg != 0 && alg != 255) {   /* 255: undefined = none */
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "FORMAT_DESCRIPTION event: checksum algorithm %u "
                              "(only CRC32 or none are supported)", alg);
        }
    }
    if (n > 255) n = 255;
    /* post_header_lens[i] is the length for event type i + 1 */
    memcpy(f->post_header_len + 1, b + FDE_FIXED, n);
    return 0;
}

/* ---- small events ---- */

int sl_bl_rotate_parse(const sl_bl_format_t *f, const uint8_t *body,
                       size_t len, sl_bl_rotate_t *out, sl_err_t *err)
{
    size_t ph = post_header(f, SL_BL_ROTATE, 8);
    if (ph < 8 || len < ph)
        return sl_err_set(err, SL_EINVAL,
                          "ROTATE event: %zu bytes, truncated post-header", len);
    out->pos = get_le(body, 8);
    out->file = (const char *)body + ph;
    out->file_len = len - ph;
    return 0;
}

int sl_bl_query_parse(const sl_bl_format_t *f, const uint8_t *body,
                      size_t len, sl_bl_query_t *out, sl_err_t *err)
{
    size_t ph = post_header(f, SL_BL_QUERY, 13);
    if (ph < 13)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "QUERY event: post-header of %zu bytes (pre-v4 binlog)",
                          ph);
    if (len < ph)
        return sl_err_set(err, SL_EINVAL,
                          "QUERY event: %zu bytes, truncated post-header", len);
    out->thread_id = (uint32_t)get_le(body, 4);
    out->exec_time = (uint32_t)get_le(body + 4, 4);
    size_t db_len = body[8];
    out->error_code = (uint16_t)get_le(body + 9, 2);
    size_t status_len = (size_t)get_le(body + 11, 2);
    cur_t c = {body + ph, body + len};
    const uint8_t *status, *db, *nul;
    if (!rd_bytes(&c, status_len, &status))
        return sl_err_set(err, SL_EINVAL,
                          "QUERY event: status variables (%zu bytes) truncated",
                          status_len);
    if (!rd_bytes(&c, db_len, &db) || !rd_bytes(&c, 1, &nul))
        return sl_err_set(err, SL_EINVAL,
                          "QUERY event: database name (%zu bytes) truncated",
                          db_len);
    if (*nul != 0)
        return sl_err_set(err, SL_EINVAL,
                          "QUERY event: database name not NUL-terminated");
    out->db = (const char *)db;
    out->db_len = db_len;
    out->sql = (const char *)c.p;
    out->sql_len = cur_left(&c);
    return 0;
}

int sl_bl_xid_parse(const uint8_t *body, size_t len, uint64_t *xid,
                    sl_err_t *err)
{
    if (len < 8)
        return sl_err_set(err, SL_EINVAL,
                          "XID event: %zu bytes, expected 8", len);
    *xid = get_le(body, 8);
    return 0;
}

int sl_bl_gtid_parse(const sl_bl_format_t *f, const sl_bl_header_t *h,
                     const uint8_t *body, size_t len, sl_bl_gtid_t *out,
                     sl_err_t *err)
{
    (void)f;
    memset(out, 0, sizeof *out);
    if (h->type == SL_BL_MARIADB_GTID) {
        /* seq_no(8) domain_id(4) flags2(1) [commit_id(8)] */
        if (len < 13)
            return sl_err_set(err, SL_EINVAL,
                              "MariaDB GTID event: %zu bytes, truncated", len);
        out->mariadb = true;
        out->seq_no = get_le(body, 8);
        out->domain_id = (uint32_t)get_le(body + 8, 4);
        out->flags = body[12];
        out->server_id = h->server_id;
        return 0;
    }
    if (h->type == SL_BL_MYSQL_GTID || h->type == SL_BL_MYSQL_ANONYMOUS_GTID) {
        /* gtid_flags(1) sid(16) gno(8) [logical clock, ...] */
        if (len < 25)
            return sl_err_set(err, SL_EINVAL,
                              "%s event: %zu bytes, truncated",
                              event_name(h->type), len);
        out->flags = body[0];
        memcpy(out->sid, body + 1, 16);
        out->gno = get_le(body + 17, 8);
        out->server_id = h->server_id;
        return 0;
    }
    return sl_err_set(err, SL_EINVAL, "event type %u (%s) is not a GTID event",
                      h->type, event_name(h->type));
}

/* ---- TABLE_MAP ---- */

/* Optional metadata field types (Table_map_event::Optional_metadata_field_type). */
enum {
    OM_SIGNEDNESS = 1, OM_DEFAULT_CHARSET, OM_COLUMN_CHARSET, OM_COLUMN_NAME,
    OM_SET_STR_VALUE, OM_ENUM_STR_VALUE, OM_GEOMETRY_TYPE,
    OM_SIMPLE_PRIMARY_KEY, OM_PRIMARY_KEY_WITH_PREFIX,
    OM_ENUM_AND_SET_DEFAULT_CHARSET, OM_ENUM_AND_SET_COLUMN_CHARSET,
};

/* Columns the SIGNEDNESS bitmap covers (is_numeric_type in MySQL's and
 * MariaDB's log_event.cc). */
static bool is_numeric(uint8_t t)
{
    switch (t) {
    case SL_MYT_TINY: case SL_MYT_SHORT: case SL_MYT_INT24: case SL_MYT_LONG:
    case SL_MYT_LONGLONG: case SL_MYT_NEWDECIMAL: case SL_MYT_FLOAT:
    case SL_MYT_DOUBLE:
        return true;
    default:
        return false;
    }
}

/* Columns the (DEFAULT_|COLUMN_)CHARSET fields cover, by real type (ENUM
 * and SET have fields of their own). MariaDB counts GEOMETRY (a BLOB with
 * the binary charset there), MySQL does not. */
static bool is_character(uint8_t t, bool mariadb)
{
    switch (t) {
    case SL_MYT_STRING: case SL_MYT_VAR_STRING: case SL_MYT_VARCHAR:
    case SL_MYT_BLOB: case SL_MYT_TINY_BLOB: case SL_MYT_MEDIUM_BLOB:
    case SL_MYT_LONG_BLOB:
        return true;
    case SL_MYT_GEOMETRY:
        return mariadb;
    default:
        return false;
    }
}

/* Columns the ENUM_AND_SET_*_CHARSET fields cover, by real type. */
static bool is_enum_or_set(uint8_t t)
{
    return t == SL_MYT_ENUM || t == SL_MYT_SET;
}

/* Decodes the type metadata of column i (type t) from c into col (type
 * becomes the real type: STRING metadata may say ENUM or SET); returns 0
 * or an error naming the column. Allocates nothing. */
static int read_column_meta(cur_t *c, int i, uint8_t t, sl_bl_column_t *col,
                            sl_err_t *err)
{
    uint64_t v;
    col->type = t;
    col->meta = 0;
    switch (t) {
    case SL_MYT_TINY: case SL_MYT_SHORT: case SL_MYT_INT24: case SL_MYT_LONG:
    case SL_MYT_LONGLONG: case SL_MYT_NULL: case SL_MYT_TIMESTAMP:
    case SL_MYT_DATE: case SL_MYT_TIME: case SL_MYT_DATETIME: case SL_MYT_YEAR:
    case SL_MYT_NEWDATE:
        return 0;
    case SL_MYT_DECIMAL:
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "TABLE_MAP event: column %d has the pre-5.0 DECIMAL "
                          "type (ALTER the column to rebuild it)", i);
    case SL_MYT_FLOAT: case SL_MYT_DOUBLE:
        if (!rd_le(c, 1, &v)) goto trunc;
        col->meta = (uint16_t)v;
        return 0;
    case SL_MYT_TINY_BLOB: case SL_MYT_MEDIUM_BLOB: case SL_MYT_LONG_BLOB:
    case SL_MYT_BLOB: case SL_MYT_GEOMETRY: case SL_MYT_JSON:
        if (!rd_le(c, 1, &v)) goto trunc;
        if (v < 1 || v > 4)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: column %d (%s): length size %u "
                              "not in 1..4", i, type_name(t), (unsigned)v);
        col->meta = (uint16_t)v;
        return 0;
    case SL_MYT_TIME2: case SL_MYT_DATETIME2: case SL_MYT_TIMESTAMP2:
        if (!rd_le(c, 1, &v)) goto trunc;
        if (v > 6)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: column %d (%s): fractional "
                              "precision %u not in 0..6", i, type_name(t),
                              (unsigned)v);
        col->meta = (uint16_t)v;
        return 0;
    case SL_MYT_VARCHAR: case SL_MYT_VAR_STRING:
        if (!rd_le(c, 2, &v)) goto trunc;
        col->meta = (uint16_t)v;
        return 0;
    case SL_MYT_NEWDECIMAL: {
        if (cur_left(c) < 2) goto trunc;
        unsigned prec = c->p[0], scale = c->p[1];
        c->p += 2;
        if (prec < 1 || prec > 65 || scale > prec)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: column %d: DECIMAL(%u,%u) is "
                              "not a valid precision and scale", i, prec, scale);
        col->meta = (uint16_t)(prec << 8 | scale);
        return 0;
    }
    case SL_MYT_BIT: {
        if (cur_left(c) < 2) goto trunc;
        unsigned last = c->p[0], bytes = c->p[1];
        c->p += 2;
        unsigned bits = bytes * 8 + last;
        if (last > 7 || bits > 64)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: column %d: BIT metadata "
                              "(%u bytes + %u bits) is more than 64 bits",
                              i, bytes, last);
        col->meta = (uint16_t)bits;
        return 0;
    }
    case SL_MYT_STRING: case SL_MYT_ENUM: case SL_MYT_SET: {
        if (cur_left(c) < 2) goto trunc;
        unsigned b0 = c->p[0], b1 = c->p[1];
        c->p += 2;
        unsigned real = t, length = b1;
        if (b0 != 0) {
            if ((b0 & 0x30) != 0x30) {   /* CHAR longer than 255 bytes */
                length = (((b0 & 0x30) ^ 0x30) << 4) | b1;
                real = b0 | 0x30;
            } else {
                real = b0;
            }
        }
        if (real == SL_MYT_ENUM ? length < 1 || length > 2
            : real == SL_MYT_SET ? length < 1 || length > 8
            : real != SL_MYT_STRING)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: column %d (%s): bad metadata "
                              "0x%02x 0x%02x", i, type_name(t), b0, b1);
        col->type = (uint8_t)real;
        col->meta = (uint16_t)length;
        return 0;
    }
    default:
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "TABLE_MAP event: column %d has unsupported type %u",
                          i, t);
    }
trunc:
    return sl_err_set(err, SL_EINVAL,
                      "TABLE_MAP event: metadata of column %d (%s) truncated",
                      i, type_name(t));
}

/* Whether a charset field covers a column of real type ty: `which` 0 for
 * the character columns, 1 for the ENUM and SET columns. */
static bool charset_covers(int which, uint8_t ty, bool mariadb)
{
    return which == 0 ? is_character(ty, mariadb) : is_enum_or_set(ty);
}

/* Index of the k-th (0-based) column a charset field covers, -1 if none. */
static int nth_column(const sl_bl_table_t *t, bool mariadb, int which,
                      uint64_t k)
{
    for (int i = 0; i < t->ncols; i++)
        if (charset_covers(which, t->cols[i].type, mariadb) && k-- == 0)
            return i;
    return -1;
}

/* DEFAULT_CHARSET / ENUM_AND_SET_DEFAULT_CHARSET: default collation, then
 * (index among the covered columns, collation) pairs. `which` 0: character
 * columns, 1: ENUM and SET columns. */
static int om_default_charset(cur_t *c, sl_bl_table_t *t, bool mariadb,
                              int which, const char *what, sl_err_t *err)
{
    uint64_t dflt, idx, coll;
    if (!rd_packed(c, &dflt))
        return sl_err_set(err, SL_EINVAL, "TABLE_MAP event: %s truncated", what);
    for (int i = 0; i < t->ncols; i++)
        if (charset_covers(which, t->cols[i].type, mariadb))
            t->cols[i].charset = (uint32_t)dflt;
    while (cur_left(c) > 0) {
        if (!rd_packed(c, &idx) || !rd_packed(c, &coll))
            return sl_err_set(err, SL_EINVAL, "TABLE_MAP event: %s truncated",
                              what);
        int col = nth_column(t, mariadb, which, idx);
        if (col < 0)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s names column %llu of a kind "
                              "the table has fewer of", what,
                              (unsigned long long)idx);
        t->cols[col].charset = (uint32_t)coll;
    }
    return 0;
}

/* COLUMN_CHARSET / ENUM_AND_SET_COLUMN_CHARSET: one collation per covered
 * column, in column order. */
static int om_column_charset(cur_t *c, sl_bl_table_t *t, bool mariadb,
                             int which, const char *what, sl_err_t *err)
{
    int i = 0;
    while (cur_left(c) > 0) {
        uint64_t coll;
        if (!rd_packed(c, &coll))
            return sl_err_set(err, SL_EINVAL, "TABLE_MAP event: %s truncated",
                              what);
        while (i < t->ncols && !charset_covers(which, t->cols[i].type, mariadb))
            i++;
        if (i >= t->ncols)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s has more entries than the "
                              "table has such columns", what);
        t->cols[i++].charset = (uint32_t)coll;
    }
    return 0;
}

/* A packed length and that many bytes, copied NUL-terminated into arena. */
static int om_string(cur_t *c, sl_arena_t *arena, const char **out)
{
    uint64_t n;
    const uint8_t *s;
    if (!rd_packed(c, &n) || !rd_bytes(c, n, &s)) return -SL_EINVAL;
    char *copy = sl_arena_strndup(arena, (const char *)s, (size_t)n);
    if (!copy) return -SL_ENOMEM;
    *out = copy;
    return 0;
}

/* COLUMN_NAME: a packed length and the name per column, in column order;
 * the names are copied into arena. */
static int om_column_names(cur_t *c, sl_bl_table_t *t, sl_arena_t *arena,
                           sl_err_t *err)
{
    for (int i = 0; cur_left(c) > 0; i++) {
        if (i >= t->ncols)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: COLUMN_NAME has more names than "
                              "the table's %d columns", t->ncols);
        int rc = om_string(c, arena, &t->cols[i].name);
        if (rc == -SL_ENOMEM) return sl_err_set(err, SL_ENOMEM, "out of memory");
        if (rc < 0)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: COLUMN_NAME of column %d "
                              "truncated", i);
    }
    return 0;
}

/* SET_STR_VALUE / ENUM_STR_VALUE: for each column of type `ty`, a count of
 * strings and the length-prefixed strings; array and strings in arena. */
static int om_str_values(cur_t *c, sl_bl_table_t *t, uint8_t ty,
                         sl_arena_t *arena, sl_err_t *err)
{
    const char *what = ty == SL_MYT_ENUM ? "ENUM_STR_VALUE" : "SET_STR_VALUE";
    int i = 0;
    while (cur_left(c) > 0) {
        while (i < t->ncols && t->cols[i].type != ty) i++;
        if (i >= t->ncols)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s has more entries than the "
                              "table has %s columns", what, type_name(ty));
        uint64_t n;
        if (!rd_packed(c, &n) || n > cur_left(c))   /* >= 1 byte per string */
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s of column %d truncated",
                              what, i);
        const char **vals = NULL;
        if (n > 0) {
            vals = sl_arena_alloc(arena, (size_t)n * sizeof *vals);
            if (!vals) return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
        for (uint64_t k = 0; k < n; k++) {
            int rc = om_string(c, arena, &vals[k]);
            if (rc == -SL_ENOMEM)
                return sl_err_set(err, SL_ENOMEM, "out of memory");
            if (rc < 0)
                return sl_err_set(err, SL_EINVAL,
                                  "TABLE_MAP event: %s of column %d truncated",
                                  what, i);
        }
        t->cols[i].nvalues = (int)n;
        t->cols[i].values = vals;
        i++;
    }
    return 0;
}

/* SIMPLE_PRIMARY_KEY (indexes) / PRIMARY_KEY_WITH_PREFIX ((index, prefix)
 * pairs, the prefix dropped); t->pk is allocated in arena. */
static int om_primary_key(cur_t *c, sl_bl_table_t *t, bool with_prefix,
                          sl_arena_t *arena, sl_err_t *err)
{
    const char *what = with_prefix ? "PRIMARY_KEY_WITH_PREFIX"
                                   : "SIMPLE_PRIMARY_KEY";
    size_t max = cur_left(c);   /* at least one byte per entry */
    int *pk = max ? sl_arena_alloc(arena, max * sizeof *pk) : NULL;
    if (max && !pk) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int n = 0;
    while (cur_left(c) > 0) {
        uint64_t idx, prefix;
        if (!rd_packed(c, &idx) || (with_prefix && !rd_packed(c, &prefix)))
            return sl_err_set(err, SL_EINVAL, "TABLE_MAP event: %s truncated",
                              what);
        if (idx >= (uint64_t)t->ncols)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s names column %llu of %d",
                              what, (unsigned long long)idx, t->ncols);
        pk[n++] = (int)idx;
    }
    t->pk = pk;
    t->npk = n;
    return 0;
}

/* SIGNEDNESS: one bit per numeric column, most significant bit first, 1
 * for UNSIGNED. */
static int om_signedness(cur_t *c, sl_bl_table_t *t, sl_err_t *err)
{
    int k = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (!is_numeric(t->cols[i].type)) continue;
        if ((size_t)(k / 8) >= cur_left(c))
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: SIGNEDNESS bitmap shorter than "
                              "the numeric columns");
        t->cols[i].is_unsigned = (c->p[k / 8] & (0x80 >> (k % 8))) ? 1 : 0;
        k++;
    }
    return 0;
}

int sl_bl_table_map_parse(const sl_bl_format_t *f, const uint8_t *body,
                          size_t len, sl_arena_t *arena, sl_bl_table_t *out,
                          sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    bool mariadb = f && f->mariadb;
    size_t ph = post_header(f, SL_BL_TABLE_MAP, 8);
    if (ph != 6 && ph < 8)
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event: post-header of %zu bytes", ph);
    if (len < ph)
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event: %zu bytes, truncated post-header",
                          len);
    out->table_id = ph == 6 ? get_le(body, 4) : get_le(body, 6);
    cur_t c = {body + ph, body + len};

    /* db and table: length byte, name, NUL */
    const char **names[2] = {&out->db, &out->table};
    for (int k = 0; k < 2; k++) {
        uint64_t n;
        const uint8_t *s, *nul;
        if (!rd_le(&c, 1, &n) || !rd_bytes(&c, n, &s) || !rd_bytes(&c, 1, &nul))
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s name truncated",
                              k ? "table" : "database");
        if (*nul != 0)
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event: %s name not NUL-terminated",
                              k ? "table" : "database");
        char *copy = sl_arena_strndup(arena, (const char *)s, (size_t)n);
        if (!copy) return sl_err_set(err, SL_ENOMEM, "out of memory");
        *names[k] = copy;
    }

    uint64_t ncols;
    if (!rd_packed(&c, &ncols))
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event for %s.%s: column count truncated",
                          out->db, out->table);
    const uint8_t *types;
    if (ncols > 65535 || !rd_bytes(&c, ncols, &types))
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event for %s.%s: %llu column types, "
                          "truncated", out->db, out->table,
                          (unsigned long long)ncols);
    out->ncols = (int)ncols;
    if (ncols > 0) {
        out->cols = sl_arena_calloc(arena, (size_t)ncols * sizeof *out->cols);
        if (!out->cols) return sl_err_set(err, SL_ENOMEM, "out of memory");
    }

    uint64_t mlen;
    const uint8_t *meta;
    if (!rd_packed(&c, &mlen) || !rd_bytes(&c, mlen, &meta))
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event for %s.%s: metadata block truncated",
                          out->db, out->table);
    cur_t mc = {meta, meta + mlen};
    for (int i = 0; i < out->ncols; i++) {
        sl_bl_column_t *col = &out->cols[i];
        int rc = read_column_meta(&mc, i, types[i], col, err);
        if (rc < 0) return rc;
        col->is_unsigned = -1;
    }
    if (cur_left(&mc) != 0)
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event for %s.%s: metadata block has %zu "
                          "bytes more than the column types use",
                          out->db, out->table, cur_left(&mc));

    const uint8_t *nulls;
    if (!rd_bytes(&c, (ncols + 7) / 8, &nulls))
        return sl_err_set(err, SL_EINVAL,
                          "TABLE_MAP event for %s.%s: null bitmap truncated",
                          out->db, out->table);
    for (int i = 0; i < out->ncols; i++)
        out->cols[i].nullable = (nulls[i / 8] >> (i % 8)) & 1;

    /* optional metadata: type(1) length(packed) value */
    while (cur_left(&c) > 0) {
        uint64_t ty, vlen;
        const uint8_t *v;
        ty = *c.p++;
        if (!rd_packed(&c, &vlen) || !rd_bytes(&c, vlen, &v))
            return sl_err_set(err, SL_EINVAL,
                              "TABLE_MAP event for %s.%s: optional metadata "
                              "field %u truncated", out->db, out->table,
                              (unsigned)ty);
        cur_t vc = {v, v + vlen};
        int rc = 0;
        switch (ty) {
        case OM_SIGNEDNESS:
            rc = om_signedness(&vc, out, err);
            break;
        case OM_DEFAULT_CHARSET:
            rc = om_default_charset(&vc, out, mariadb, 0, "DEFAULT_CHARSET", err);
            break;
        case OM_COLUMN_CHARSET:
            rc = om_column_charset(&vc, out, mariadb, 0, "COLUMN_CHARSET", err);
            break;
        case OM_COLUMN_NAME:
            rc = om_column_names(&vc, out, arena, err);
            break;
        case OM_SET_STR_VALUE:
            rc = om_str_values(&vc, out, SL_MYT_SET, arena, err);
            break;
        case OM_ENUM_STR_VALUE:
            rc = om_str_values(&vc, out, SL_MYT_ENUM, arena, err);
            break;
        case OM_SIMPLE_PRIMARY_KEY:
            rc = om_primary_key(&vc, out, false, arena, err);
            break;
        case OM_PRIMARY_KEY_WITH_PREFIX:
            rc = om_primary_key(&vc, out, true, arena, err);
            break;
        case OM_ENUM_AND_SET_DEFAULT_CHARSET:
            rc = om_default_charset(&vc, out, mariadb, 1,
                                    "ENUM_AND_SET_DEFAULT_CHARSET", err);
            break;
        case OM_ENUM_AND_SET_COLUMN_CHARSET:
            rc = om_column_charset(&vc, out, mariadb, 1,
                                   "ENUM_AND_SET_COLUMN_CHARSET", err);
            break;
        default:   /* GEOMETRY_TYPE and fields of later servers */
            break;
        }
        if (rc < 0) return rc;
    }
    return 0;
}

/* ---- ROWS events ---- */

int sl_bl_rows_parse(const sl_bl_format_t *f, uint8_t type,
                     const uint8_t *body, size_t len, sl_bl_rows_t *out,
                     sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    bool v2 = false;
    switch (type) {
    case SL_BL_WRITE_ROWS_V1: out->kind = SL_BL_ROWS_WRITE; break;
    case SL_BL_UPDATE_ROWS_V1: out->kind = SL_BL_ROWS_UPDATE; break;
    case SL_BL_DELETE_ROWS_V1: out->kind = SL_BL_ROWS_DELETE; break;
    case SL_BL_WRITE_ROWS_V2: out->kind = SL_BL_ROWS_WRITE; v2 = true; break;
    case SL_BL_UPDATE_ROWS_V2: out->kind = SL_BL_ROWS_UPDATE; v2 = true; break;
    case SL_BL_DELETE_ROWS_V2: out->kind = SL_BL_ROWS_DELETE; v2 = true; break;
    case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1:
    case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED_V1:
    case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED_V1:
    case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED:
    case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED:
    case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED:
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "%s event: compressed binlog events are not "
                          "supported; set log_bin_compress=OFF on the server",
                          event_name(type));
    case SL_BL_MYSQL_PARTIAL_UPDATE_ROWS:
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "PARTIAL_UPDATE_ROWS event: partial JSON updates are "
                          "not supported; set binlog_row_value_options='' on "
                          "the server");
    default:
        return sl_err_set(err, SL_EINVAL,
                          "event type %u (%s) is not a rows event", type,
                          event_name(type));
    }
    const char *name = event_name(type);
    size_t ph = post_header(f, type, v2 ? 10 : 8);
    if (ph != 6 && ph < (v2 ? 10u : 8u))
        return sl_err_set(err, SL_EINVAL, "%s event: post-header of %zu bytes",
                          name, ph);
    if (len < ph)
        return sl_err_set(err, SL_EINVAL,
                          "%s event: %zu bytes, truncated post-header", name,
                          len);
    size_t idlen = ph == 6 ? 4 : 6;
    out->table_id = get_le(body, (int)idlen);
    out->flags = (uint16_t)get_le(body + idlen, 2);
    cur_t c = {body + ph, body + len};
    if (v2 && ph >= 10) {
        size_t extra = (size_t)get_le(body + 8, 2);   /* includes itself */
        const uint8_t *skip;
        if (extra < 2 || !rd_bytes(&c, extra - 2, &skip))
            return sl_err_set(err, SL_EINVAL,
                              "%s event: extra data length %zu is wrong",
                              name, extra);
    }
    uint64_t ncols;
    if (!rd_packed(&c, &ncols))
        return sl_err_set(err, SL_EINVAL, "%s event: column count truncated",
                          name);
    if (ncols > 65535)
        return sl_err_set(err, SL_EINVAL, "%s event: %llu columns", name,
                          (unsigned long long)ncols);
    out->ncols = (uint32_t)ncols;
    size_t bm = (size_t)(ncols + 7) / 8;
    if (!rd_bytes(&c, bm, &out->cols1) ||
        (out->kind == SL_BL_ROWS_UPDATE && !rd_bytes(&c, bm, &out->cols2)))
        return sl_err_set(err, SL_EINVAL, "%s event: column bitmap truncated",
                          name);
    out->pos = c.p;
    out->end = c.end;
    return 0;
}

/* s, or "?" for NULL (for messages). */
static const char *nz(const char *s)
{
    return s ? s : "?";
}

/* The rows event kind's name for messages (a static string). */
static const char *rows_name(uint8_t kind)
{
    return kind == SL_BL_ROWS_WRITE ? "WRITE_ROWS"
         : kind == SL_BL_ROWS_UPDATE ? "UPDATE_ROWS" : "DELETE_ROWS";
}

/* Fills err with "<EVENT> event, <db>.<table> column <i> `<name>`
 * (<TYPE>): <message>" and returns -code. */
static int col_err(sl_err_t *err, int code, const sl_bl_rows_t *r,
                   const sl_bl_table_t *t, int i, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int col_err(sl_err_t *err, int code, const sl_bl_rows_t *r,
                   const sl_bl_table_t *t, int i, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const sl_bl_column_t *col = &t->cols[i];
    return sl_err_set(err, code, "%s event, %s.%s column %d%s%s%s (%s): %s",
                      rows_name(r->kind), nz(t->db), nz(t->table), i,
                      col->name ? " `" : "",
                      col->name ? col->name : "", col->name ? "`" : "",
                      type_name(col->type), msg);
}

static const uint8_t dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
static const uint32_t pow10_9[10] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

/* Bytes of a packed DECIMAL(prec, scale). */
static size_t decimal_size(int prec, int scale)
{
    int intg = prec - scale;
    return (size_t)(intg / 9 * 4 + dig2bytes[intg % 9] + scale / 9 * 4 +
                    dig2bytes[scale % 9]);
}

/* Appends the `digits`-digit zero-padded decimal form of v to *o. */
static void put_digits(char **o, uint32_t v, int digits)
{
    for (int k = digits - 1; k >= 0; k--) {
        (*o)[k] = (char)('0' + v % 10);
        v /= 10;
    }
    *o += digits;
}

/* Decodes the packed decimal p[0..decimal_size) (MySQL's decimal2bin
 * format) into text in the caller's out (70 bytes, NUL-terminated):
 * returns its length, or -1 if a digit group is out of range. The sign is
 * the inverted top bit of the first byte; a negative number has all bytes
 * inverted; then big-endian groups of 9 digits in 4 bytes, the leading
 * integer and trailing fraction groups shorter (dig2bytes). */
static int decimal_text(const uint8_t *p, int prec, int scale, char *out,
                        __int128 *unscaled)
{
    uint8_t b[40];
    size_t n = decimal_size(prec, scale);
    memcpy(b, p, n);
    bool neg = !(b[0] & 0x80);
    b[0] ^= 0x80;
    if (neg)
        for (size_t i = 0; i < n; i++) b[i] ^= 0xff;
    int intg = prec - scale;
    int intg0 = intg / 9, intg0x = intg % 9;
    int frac0 = scale / 9, frac0x = scale % 9;
    char digits[80];
    char *o = digits;
    const uint8_t *q = b;
    if (intg0x) {
        uint32_t v = (uint32_t)get_be(q, dig2bytes[intg0x]);
        q += dig2bytes[intg0x];
        if (v >= pow10_9[intg0x]) return -1;
        put_digits(&o, v, intg0x);
    }
    for (int k = 0; k < intg0 + frac0; k++) {
        uint32_t v = (uint32_t)get_be(q, 4);
        q += 4;
        if (v >= pow10_9[9]) return -1;
        put_digits(&o, v, 9);
    }
    if (frac0x) {
        uint32_t v = (uint32_t)get_be(q, dig2bytes[frac0x]);
        if (v >= pow10_9[frac0x]) return -1;
        put_digits(&o, v, frac0x);
    }
    /* digits[0..intg) integer part, digits[intg..intg+scale) fraction */
    if (unscaled && prec <= 38) {
        __int128 u = 0;
        for (int k = 0; k < intg + scale; k++) u = u * 10 + (digits[k] - '0');
        *unscaled = neg ? -u : u;
    }
    int lead = 0;
    while (lead < intg && digits[lead] == '0') lead++;
    bool zero = true;
    for (int k = lead; k < intg + scale; k++)
        if (digits[k] != '0') zero = false;
    char *w = out;
    if (neg && !zero) *w++ = '-';
    if (lead == intg) {
        *w++ = '0';
    } else {
        memcpy(w, digits + lead, (size_t)(intg - lead));
        w += intg - lead;
    }
    if (scale > 0) {
        *w++ = '.';
        memcpy(w, digits + intg, (size_t)scale);
        w += scale;
    }
    *w = '\0';
    return (int)(w - out);
}

/* Fractional seconds of fsp digits stored big-endian in (fsp + 1) / 2
 * bytes at p, as microseconds (unsigned read: values that would be
 * negative come out >= 1000000 and are rejected by the caller). */
static uint32_t frac_micro(const uint8_t *p, int fsp)
{
    switch ((fsp + 1) / 2) {
    case 1: return (uint32_t)p[0] * 10000;
    case 2: return (uint32_t)get_be(p, 2) * 100;
    case 3: return (uint32_t)get_be(p, 3);
    default: return 0;
    }
}

/* Whether the date / time-of-day parts of v are ones MySQL can store
 * (zero parts allowed). */
static bool date_ok(const sl_myval_t *v)
{
    return v->year <= 9999 && v->month <= 12 && v->day <= 31;
}

static bool time_ok(const sl_myval_t *v)
{
    return v->hour <= 23 && v->minute <= 59 && v->second <= 59 &&
           v->micro <= 999999;
}

/* Decodes the value of column i (present, not NULL) at c into v. Strings
 * and JSON point into c's buffer (the caller's event); decimal text is
 * allocated in arena. */
static int decode_value(const sl_bl_rows_t *r, const sl_bl_table_t *t, int i,
                        bool uns, cur_t *c, sl_myval_t *v, sl_arena_t *arena,
                        sl_err_t *err)
{
    const sl_bl_column_t *col = &t->cols[i];
    uint16_t meta = col->meta;
    uint64_t u;
    const uint8_t *p;
    int n;

    switch (col->type) {
    case SL_MYT_TINY: n = 1; goto integer;
    case SL_MYT_SHORT: n = 2; goto integer;
    case SL_MYT_INT24: n = 3; goto integer;
    case SL_MYT_LONG: n = 4; goto integer;
    case SL_MYT_LONGLONG: n = 8;
    integer:
        if (!rd_le(c, n, &u)) goto trunc;
        v->kind = SL_MV_INT;
        v->is_unsigned = uns;
        if (uns) {
            v->u64 = u;
        } else if (n < 8 && (u >> (n * 8 - 1)) & 1) {
            v->i64 = (int64_t)(u | ~((UINT64_C(1) << (n * 8)) - 1));
        } else {
            v->i64 = (int64_t)u;
        }
        return 0;

    case SL_MYT_YEAR:
        if (!rd_le(c, 1, &u)) goto trunc;
        v->kind = SL_MV_INT;
        v->i64 = u ? 1900 + (int64_t)u : 0;
        return 0;

    case SL_MYT_FLOAT: {
        if (!rd_le(c, 4, &u)) goto trunc;
        uint32_t bits = (uint32_t)u;
        float fl;
        memcpy(&fl, &bits, sizeof fl);
        v->kind = SL_MV_FLOAT;
        v->f64 = fl;
        return 0;
    }
    case SL_MYT_DOUBLE: {
        if (!rd_le(c, 8, &u)) goto trunc;
        double d;
        memcpy(&d, &u, sizeof d);
        v->kind = SL_MV_DOUBLE;
        v->f64 = d;
        return 0;
    }

    case SL_MYT_NEWDECIMAL: {
        int prec = meta >> 8, scale = meta & 0xff;
        char text[80];
        if (!rd_bytes(c, decimal_size(prec, scale), &p)) goto trunc;
        __int128 un = 0;
        int tl = decimal_text(p, prec, scale, text, &un);
        if (tl < 0)
            return col_err(err, SL_EINVAL, r, t, i,
                           "packed DECIMAL(%d,%d) has a digit group out of range",
                           prec, scale);
        char *s = sl_arena_strndup(arena, text, (size_t)tl);
        if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
        v->kind = SL_MV_DECIMAL;
        v->str = s;
        v->len = (uint32_t)tl;
        v->scale = (uint8_t)scale;
        if (prec <= 38) {
            v->has_unscaled = true;
            v->unscaled = un;
        }
        return 0;
    }

    case SL_MYT_DATE: case SL_MYT_NEWDATE:
        if (!rd_le(c, 3, &u)) goto trunc;
        v->kind = SL_MV_DATE;
        v->day = u & 31;
        v->month = (u >> 5) & 15;
        v->year = (uint16_t)(u >> 9);
        if (!date_ok(v))
            return col_err(err, SL_EINVAL, r, t, i,
                           "DATE value %04u-%02u-%02u out of range", v->year,
                           v->month, v->day);
        return 0;


    case SL_MYT_TIME: {   /* pre-5.6: HHMMSS as a signed 3-byte integer */
        if (!rd_le(c, 3, &u)) goto trunc;
        int32_t s = (int32_t)(u & 0x800000 ? u | 0xff000000u : u);
        uint32_t a = s < 0 ? (uint32_t)-s : (uint32_t)s;
        uint32_t h = a / 10000, m = a / 100 % 100, sec = a % 100;
        if (h > 838 || m > 59 || sec > 59)
            return col_err(err, SL_EINVAL, r, t, i,
                           "TIME value %ld out of range", (long)s);
        v->kind = SL_MV_TIME;
        v->neg = s < 0;
        v->i64 = h;
        v->hour = (uint8_t)(h > 255 ? 255 : h);
        v->minute = (uint8_t)m;
        v->second = (uint8_t)sec;
        return 0;
    }

    case SL_MYT_TIME2: {
        /* my_time.c: 3 bytes big-endian, offset 0x800000, of 1 sign bit,
         * 1 unused, hour 10, minute 6, second 6; then the fraction. A
         * negative time with a fraction stores the fraction's complement
         * and the integer part one lower. In memory ("packed"): intpart
         * << 24 | microseconds, negated for negative times. */
        int fsp = meta;
        if (!rd_bytes(c, 3 + (size_t)(fsp + 1) / 2, &p)) goto trunc;
        int64_t intpart = (int64_t)get_be(p, 3) - 0x800000;
        int64_t packed, frac;
        switch ((fsp + 1) / 2) {
        case 0:
            packed = intpart * (INT64_C(1) << 24);
            break;
        case 1:
            frac = p[3];
            if (intpart < 0 && frac) intpart++, frac -= 0x100;
            packed = intpart * (INT64_C(1) << 24) + frac * 10000;
            break;
        case 2:
            frac = (int64_t)get_be(p + 3, 2);
            if (intpart < 0 && frac) intpart++, frac -= 0x10000;
            packed = intpart * (INT64_C(1) << 24) + frac * 100;
            break;
        default:
            packed = (int64_t)get_be(p, 6) - INT64_C(0x800000000000);
            break;
        }
        uint64_t a = packed < 0 ? (uint64_t)-packed : (uint64_t)packed;
        uint64_t hms = a >> 24, micro = a & 0xffffff;
        uint64_t h = hms >> 12, m = (hms >> 6) & 63, sec = hms & 63;
        if (h > 838 || m > 59 || sec > 59 || micro > 999999)
            return col_err(err, SL_EINVAL, r, t, i,
                           "TIME2 value out of range (%02x%02x%02x)",
                           p[0], p[1], p[2]);
        v->kind = SL_MV_TIME;
        v->neg = packed < 0;
        v->fsp = (uint8_t)fsp;
        v->i64 = (int64_t)h;
        v->hour = (uint8_t)(h > 255 ? 255 : h);
        v->minute = (uint8_t)m;
        v->second = (uint8_t)sec;
        v->micro = (uint32_t)micro;
        return 0;
    }

    case SL_MYT_DATETIME: {   /* pre-5.6: YYYYMMDDhhmmss, 8 bytes */
        if (!rd_le(c, 8, &u)) goto trunc;
        uint64_t d = u / 1000000, tm = u % 1000000;
        v->kind = SL_MV_DATETIME;
        v->year = (uint16_t)(d / 10000 > 9999 ? 10000 : d / 10000);
        v->month = (uint8_t)(d / 100 % 100);
        v->day = (uint8_t)(d % 100);
        v->hour = (uint8_t)(tm / 10000);
        v->minute = (uint8_t)(tm / 100 % 100);
        v->second = (uint8_t)(tm % 100);
        if (!date_ok(v) || !time_ok(v))
            return col_err(err, SL_EINVAL, r, t, i,
                           "DATETIME value %llu out of range",
                           (unsigned long long)u);
        return 0;
    }

    case SL_MYT_DATETIME2: {
        /* 5 bytes big-endian, offset 0x8000000000: sign 1, year*13+month
         * 17, day 5, hour 5, minute 6, second 6; then the fraction. */
        int fsp = meta;
        if (!rd_bytes(c, 5 + (size_t)(fsp + 1) / 2, &p)) goto trunc;
        int64_t intpart = (int64_t)get_be(p, 5) - INT64_C(0x8000000000);
        if (intpart < 0)
            return col_err(err, SL_EINVAL, r, t, i, "negative DATETIME2 value");
        uint64_t ymd = (uint64_t)intpart >> 17, hms = (uint64_t)intpart & 0x1ffff;
        uint64_t ym = ymd >> 5;
        v->kind = SL_MV_DATETIME;
        v->fsp = (uint8_t)fsp;
        v->year = (uint16_t)(ym / 13);
        v->month = (uint8_t)(ym % 13);
        v->day = (uint8_t)(ymd & 31);
        v->hour = (uint8_t)(hms >> 12);
        v->minute = (uint8_t)((hms >> 6) & 63);
        v->second = (uint8_t)(hms & 63);
        v->micro = frac_micro(p + 5, fsp);
        if (!date_ok(v) || !time_ok(v))
            return col_err(err, SL_EINVAL, r, t, i, "DATETIME2 value out of range");
        return 0;
    }

    case SL_MYT_TIMESTAMP:   /* pre-5.6: seconds, 4 bytes little-endian */
        if (!rd_le(c, 4, &u)) goto trunc;
        v->kind = SL_MV_TIMESTAMP;
        v->i64 = (int64_t)u;
        return 0;

    case SL_MYT_TIMESTAMP2: {   /* seconds, 4 bytes big-endian; fraction */
        int fsp = meta;
        if (!rd_bytes(c, 4 + (size_t)(fsp + 1) / 2, &p)) goto trunc;
        v->kind = SL_MV_TIMESTAMP;
        v->fsp = (uint8_t)fsp;
        v->i64 = (int64_t)get_be(p, 4);
        v->micro = frac_micro(p + 4, fsp);
        if (v->micro > 999999)
            return col_err(err, SL_EINVAL, r, t, i,
                           "TIMESTAMP2 fraction out of range");
        return 0;
    }

    case SL_MYT_VARCHAR: case SL_MYT_VAR_STRING: case SL_MYT_STRING:
        /* a 1-byte length when the column's maximum fits, else 2 bytes */
        n = meta < 256 ? 1 : 2;
        goto string;
    case SL_MYT_TINY_BLOB: case SL_MYT_MEDIUM_BLOB: case SL_MYT_LONG_BLOB:
    case SL_MYT_BLOB: case SL_MYT_GEOMETRY: case SL_MYT_JSON:
        n = meta;
    string:
        if (!rd_le(c, n, &u)) goto trunc;
        if (!rd_bytes(c, u, &p))
            return col_err(err, SL_EINVAL, r, t, i,
                           "value of %llu bytes truncated",
                           (unsigned long long)u);
        v->kind = col->type == SL_MYT_JSON ? SL_MV_JSON : SL_MV_STRING;
        v->str = (const char *)p;
        v->len = (uint32_t)u;
        return 0;

    case SL_MYT_ENUM: case SL_MYT_SET:
        if (!rd_le(c, meta, &u)) goto trunc;
        v->kind = col->type == SL_MYT_ENUM ? SL_MV_ENUM : SL_MV_SET;
        v->u64 = u;
        return 0;

    case SL_MYT_BIT:
        if (!rd_bytes(c, (size_t)(meta + 7) / 8, &p)) goto trunc;
        v->kind = SL_MV_BIT;
        v->u64 = get_be(p, (meta + 7) / 8);
        return 0;

    case SL_MYT_NULL:   /* a NULL-typed column has no bytes */
        v->kind = SL_MV_NULL;
        return 0;

    default:
        return col_err(err, SL_EUNSUPPORTED, r, t, i, "cannot decode type %u",
                       col->type);
    }
trunc:
    return col_err(err, SL_EINVAL, r, t, i, "value truncated");
}

/* Set bits among the first nbits of the LSB-first bitmap bm. */
static int popcount_bitmap(const uint8_t *bm, uint32_t nbits)
{
    int n = 0;
    for (uint32_t i = 0; i < nbits; i++) n += (bm[i / 8] >> (i % 8)) & 1;
    return n;
}

int sl_bl_rows_next(sl_bl_rows_t *r, const sl_bl_table_t *t, bool after,
                    const bool *unsigned_hint, sl_myval_t *vals,
                    sl_arena_t *arena, sl_err_t *err)
{
    if (!r->pos || r->pos >= r->end) return 0;
    if ((uint32_t)t->ncols != r->ncols)
        return sl_err_set(err, SL_EINVAL,
                          "%s event for table id %llu has %u columns, its "
                          "table map (%s.%s) %d", rows_name(r->kind),
                          (unsigned long long)r->table_id, r->ncols,
                          nz(t->db), nz(t->table), t->ncols);
    const uint8_t *present = after && r->cols2 ? r->cols2 : r->cols1;
    int npresent = popcount_bitmap(present, r->ncols);
    cur_t c = {r->pos, r->end};
    const uint8_t *nulls;
    if (!rd_bytes(&c, (size_t)(npresent + 7) / 8, &nulls))
        return sl_err_set(err, SL_EINVAL, "%s event, %s.%s: row null bitmap "
                          "truncated", rows_name(r->kind), nz(t->db), nz(t->table));
    if (npresent == 0)
        return sl_err_set(err, SL_EINVAL, "%s event, %s.%s: %zu bytes after "
                          "the rows, but the image has no columns",
                          rows_name(r->kind), nz(t->db), nz(t->table),
                          cur_left(&c));
    int k = 0;   /* index among the present columns */
    for (int i = 0; i < t->ncols; i++) {
        sl_myval_t *v = &vals[i];
        memset(v, 0, sizeof *v);
        if (!((present[i / 8] >> (i % 8)) & 1)) {
            v->kind = SL_MV_ABSENT;
            continue;
        }
        bool is_null = (nulls[k / 8] >> (k % 8)) & 1;
        k++;
        if (is_null) {
            v->kind = SL_MV_NULL;
            continue;
        }
        const sl_bl_column_t *col = &t->cols[i];
        bool uns = col->is_unsigned >= 0 ? col->is_unsigned == 1
                 : unsigned_hint ? unsigned_hint[i] : false;
        int rc = decode_value(r, t, i, uns, &c, v, arena, err);
        if (rc < 0) return rc;
        v->charset = col->charset;
    }
    r->pos = c.p;
    return 1;
}

/* ---- MySQL GTID sets ---- */

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8) p[i] = (uint8_t)v;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

int sl_bl_mysql_gtid_encode(const char *s, size_t n, struct sl_strbuf *out, sl_err_t *err)
{
    size_t i = 0, start = out->len;
    uint64_t nsids = 0;
    uint8_t b[16];
    put_le64(b, 0);
    if (sl_strbuf_append(out, b, 8)) return sl_err_set(err, SL_ENOMEM, "out of memory");
#define WS() while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
    WS();
    while (i < n) {
        /* uuid: 32 hex digits, dashes anywhere */
        uint8_t uuid[16];
        int k = 0;
        size_t u0 = i;
        while (i < n && s[i] != ':' && k < 32) {
            if (s[i] == '-') {
                i++;
                continue;
            }
            int h = hexval((unsigned char)s[i]);
            if (h < 0) break;
            if (k % 2 == 0) uuid[k / 2] = (uint8_t)(h << 4);
            else uuid[k / 2] |= (uint8_t)h;
            k++;
            i++;
        }
        if (k != 32 || i >= n || s[i] != ':') {
            out->len = start;
            return sl_err_set(err, SL_EINVAL, "GTID set: '%.*s' does not start with a server UUID and ':'",
                              (int)(n - u0 > 40 ? 40 : n - u0), s + u0);
        }
        if (sl_strbuf_append(out, uuid, 16)) return sl_err_set(err, SL_ENOMEM, "out of memory");
        size_t count_at = out->len;
        put_le64(b, 0);
        if (sl_strbuf_append(out, b, 8)) return sl_err_set(err, SL_ENOMEM, "out of memory");
        uint64_t nint = 0, prev_end = 0;
        while (i < n && s[i] == ':') {
            i++;
            uint64_t a = 0, z;
            size_t d0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9' && a < (1ull << 60)) a = a * 10 + (uint64_t)(s[i++] - '0');
            z = a;
            if (i < n && s[i] == '-') {
                i++;
                size_t d1 = i;
                z = 0;
                while (i < n && s[i] >= '0' && s[i] <= '9' && z < (1ull << 60)) z = z * 10 + (uint64_t)(s[i++] - '0');
                if (i == d1) a = 0;
            }
            if (i == d0 || a == 0 || z < a || a < prev_end) {
                out->len = start;
                return sl_err_set(err, SL_EINVAL,
                                  "GTID set: bad interval '%.*s' (intervals are n or a-b, "
                                  "1 <= a <= b, ascending)",
                                  (int)(i - d0 > 40 ? 40 : i - d0), s + d0);
            }
            put_le64(b, a);
            put_le64(b + 8, z + 1);
            if (sl_strbuf_append(out, b, 16)) return sl_err_set(err, SL_ENOMEM, "out of memory");
            nint++;
            prev_end = z + 1;
        }
        if (nint == 0) {
            out->len = start;
            return sl_err_set(err, SL_EINVAL, "GTID set: a server UUID without intervals");
        }
        put_le64((uint8_t *)out->buf + count_at, nint);
        nsids++;
        WS();
        if (i < n) {
            if (s[i] != ',') {
                out->len = start;
                return sl_err_set(err, SL_EINVAL, "GTID set: unexpected '%c'", s[i]);
            }
            i++;
            WS();
        }
    }
#undef WS
    if (nsids == 0) {
        out->len = start;
        return sl_err_set(err, SL_EINVAL, "GTID set: empty");
    }
    put_le64((uint8_t *)out->buf + start, nsids);
    return 0;
}

/* ---- GTID states ---- */

void sl_bl_gtids_init(sl_bl_gtids_t *g, bool mariadb)
{
    memset(g, 0, sizeof *g);
    g->mariadb = mariadb;
}

void sl_bl_gtids_clear(sl_bl_gtids_t *g)
{
    if (g->sid)
        for (int i = 0; i < g->n; i++) free(g->sid[i].iv);
    g->n = 0;
}

void sl_bl_gtids_free(sl_bl_gtids_t *g)
{
    sl_bl_gtids_clear(g);
    free(g->dom);
    free(g->sid);
    bool m = g->mariadb;
    memset(g, 0, sizeof *g);
    g->mariadb = m;
}

/* Room for one more domain or UUID at index at (entries move up). */
static int gtids_insert(sl_bl_gtids_t *g, int at)
{
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 4;
        if (g->mariadb) {
            sl_bl_gtid_dom_t *d = realloc(g->dom, (size_t)cap * sizeof *d);
            if (!d) return -SL_ENOMEM;
            g->dom = d;
        } else {
            sl_bl_gtid_sid_t *d = realloc(g->sid, (size_t)cap * sizeof *d);
            if (!d) return -SL_ENOMEM;
            g->sid = d;
        }
        g->cap = cap;
    }
    if (g->mariadb) {
        memmove(&g->dom[at + 1], &g->dom[at], (size_t)(g->n - at) * sizeof *g->dom);
        memset(&g->dom[at], 0, sizeof *g->dom);
    } else {
        memmove(&g->sid[at + 1], &g->sid[at], (size_t)(g->n - at) * sizeof *g->sid);
        memset(&g->sid[at], 0, sizeof *g->sid);
    }
    g->n++;
    return 0;
}

static int gtids_set_domain(sl_bl_gtids_t *g, uint32_t domain, uint32_t server, uint64_t seq)
{
    int i = 0;
    while (i < g->n && g->dom[i].domain < domain) i++;
    if (i == g->n || g->dom[i].domain != domain) {
        if (gtids_insert(g, i)) return -SL_ENOMEM;
        g->dom[i].domain = domain;
    }
    g->dom[i].server = server;
    g->dom[i].seq = seq;
    return 0;
}

static sl_bl_gtid_sid_t *gtids_sid(sl_bl_gtids_t *g, const uint8_t sid[16])
{
    int i = 0;
    while (i < g->n && memcmp(g->sid[i].sid, sid, 16) < 0) i++;
    if (i == g->n || memcmp(g->sid[i].sid, sid, 16)) {
        if (gtids_insert(g, i)) return NULL;
        memcpy(g->sid[i].sid, sid, 16);
    }
    return &g->sid[i];
}

/* Adds [a, z) to the intervals of s, merging neighbours. */
static int sid_add(sl_bl_gtid_sid_t *s, uint64_t a, uint64_t z)
{
    if (a >= z) return 0;
    /* The common case: the next number of the last interval. */
    if (s->n && s->iv[s->n - 1].end >= a && s->iv[s->n - 1].start <= a) {
        if (z > s->iv[s->n - 1].end) s->iv[s->n - 1].end = z;
        return 0;
    }
    int i = 0;
    while (i < s->n && s->iv[i].end < a) i++;      /* first that may touch [a, z) */
    int j = i;
    while (j < s->n && s->iv[j].start <= z) j++;   /* past the last that touches */
    if (i < j) {                                   /* merge iv[i..j) with [a, z) */
        uint64_t lo = s->iv[i].start < a ? s->iv[i].start : a;
        uint64_t hi = s->iv[j - 1].end > z ? s->iv[j - 1].end : z;
        s->iv[i].start = lo;
        s->iv[i].end = hi;
        memmove(&s->iv[i + 1], &s->iv[j], (size_t)(s->n - j) * sizeof *s->iv);
        s->n -= j - i - 1;
        return 0;
    }
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 2;
        sl_bl_gtid_iv_t *v = realloc(s->iv, (size_t)cap * sizeof *v);
        if (!v) return -SL_ENOMEM;
        s->iv = v;
        s->cap = cap;
    }
    memmove(&s->iv[i + 1], &s->iv[i], (size_t)(s->n - i) * sizeof *s->iv);
    s->iv[i].start = a;
    s->iv[i].end = z;
    s->n++;
    return 0;
}

int sl_bl_gtids_add(sl_bl_gtids_t *g, const sl_bl_gtid_t *gtid)
{
    if (g->mariadb) return gtids_set_domain(g, gtid->domain_id, gtid->server_id, gtid->seq_no);
    if (gtid->gno == 0 || gtid->gno == UINT64_MAX) return 0;
    sl_bl_gtid_sid_t *s = gtids_sid(g, gtid->sid);
    if (!s) return -SL_ENOMEM;
    return sid_add(s, gtid->gno, gtid->gno + 1);
}

int sl_bl_gtids_decode(sl_bl_gtids_t *g, const uint8_t *p, size_t len, sl_err_t *err)
{
    sl_bl_gtids_clear(g);
    cur_t c = {p, p + len};
    uint64_t nsids;
    if (!rd_le(&c, 8, &nsids)) goto trunc;
    for (uint64_t k = 0; k < nsids; k++) {
        const uint8_t *sid;
        uint64_t nint;
        if (!rd_bytes(&c, 16, &sid) || !rd_le(&c, 8, &nint)) goto trunc;
        if (nint > cur_left(&c) / 16) goto trunc;
        sl_bl_gtid_sid_t *s = gtids_sid(g, sid);
        if (!s) goto oom;
        for (uint64_t i = 0; i < nint; i++) {
            uint64_t a = 0, z = 0;
            rd_le(&c, 8, &a);
            rd_le(&c, 8, &z);
            if (a == 0 || z <= a) {
                sl_bl_gtids_clear(g);
                return sl_err_set(err, SL_EINVAL,
                                  "GTID set: interval [%llu, %llu) of a server UUID is empty or "
                                  "starts at 0",
                                  (unsigned long long)a, (unsigned long long)z);
            }
            if (sid_add(s, a, z)) goto oom;
        }
    }
    return 0;
trunc:
    sl_bl_gtids_clear(g);
    return sl_err_set(err, SL_EINVAL, "GTID set: %zu bytes, truncated", len);
oom:
    sl_bl_gtids_clear(g);
    return sl_err_set(err, SL_ENOMEM, "out of memory");
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
    return true;
}

int sl_bl_gtids_parse(sl_bl_gtids_t *g, const char *s, size_t n, sl_err_t *err)
{
    sl_bl_gtids_clear(g);
    if (blank(s, n)) return 0;
    if (!g->mariadb) {
        sl_strbuf_t b = SL_STRBUF_INIT;
        int rc = sl_bl_mysql_gtid_encode(s, n, &b, err);
        if (!rc) rc = sl_bl_gtids_decode(g, (const uint8_t *)b.buf, b.len, err);
        sl_strbuf_destroy(&b);
        return rc;
    }
    /* domain-server-seq[,...] */
    size_t i = 0;
    while (i < n) {
        uint64_t v[3] = {0, 0, 0};
        size_t p0 = i;
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        for (int part = 0; part < 3; part++) {
            size_t d0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9' && v[part] < (1ull << 60))
                v[part] = v[part] * 10 + (uint64_t)(s[i++] - '0');
            bool ok = i > d0 && (part == 2 || (i < n && s[i] == '-'));
            if (ok && part < 2 && v[part] > UINT32_MAX) ok = false;
            if (!ok) {
                sl_bl_gtids_clear(g);
                return sl_err_set(err, SL_EINVAL,
                                  "GTID list: '%.*s' is not domain-server-sequence (e.g. 0-1-42)",
                                  (int)(n - p0 > 40 ? 40 : n - p0), s + p0);
            }
            if (part < 2) i++;
        }
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        if (i < n && s[i] != ',') {
            sl_bl_gtids_clear(g);
            return sl_err_set(err, SL_EINVAL, "GTID list: unexpected '%c'", s[i]);
        }
        if (i < n) i++;
        if (gtids_set_domain(g, (uint32_t)v[0], (uint32_t)v[1], v[2])) {
            sl_bl_gtids_clear(g);
            return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    }
    return 0;
}

int sl_bl_gtids_format(const sl_bl_gtids_t *g, struct sl_strbuf *out)
{
    int rc = 0;
    for (int i = 0; i < g->n && !rc; i++) {
        if (i) rc = sl_strbuf_putc(out, ',');
        if (g->mariadb) {
            rc = rc ? rc : sl_strbuf_printf(out, "%u-%u-%llu", g->dom[i].domain, g->dom[i].server,
                                            (unsigned long long)g->dom[i].seq);
            continue;
        }
        const uint8_t *u = g->sid[i].sid;
        for (int k = 0; k < 16 && !rc; k++) {
            if (k == 4 || k == 6 || k == 8 || k == 10) rc = sl_strbuf_putc(out, '-');
            if (!rc) rc = sl_strbuf_printf(out, "%02x", u[k]);
        }
        for (int k = 0; k < g->sid[i].n && !rc; k++) {
            const sl_bl_gtid_iv_t *v = &g->sid[i].iv[k];
            if (v->end - v->start == 1)
                rc = sl_strbuf_printf(out, ":%llu", (unsigned long long)v->start);
            else
                rc = sl_strbuf_printf(out, ":%llu-%llu", (unsigned long long)v->start,
                                      (unsigned long long)(v->end - 1));
        }
    }
    return rc ? -SL_ENOMEM : 0;
}

int sl_bl_gtids_copy(sl_bl_gtids_t *dst, const sl_bl_gtids_t *src)
{
    sl_bl_gtids_free(dst);
    sl_bl_gtids_init(dst, src->mariadb);
    for (int i = 0; i < src->n; i++) {
        if (gtids_insert(dst, i)) goto oom;
        if (src->mariadb) {
            dst->dom[i] = src->dom[i];
            continue;
        }
        memcpy(dst->sid[i].sid, src->sid[i].sid, 16);
        for (int k = 0; k < src->sid[i].n; k++)
            if (sid_add(&dst->sid[i], src->sid[i].iv[k].start, src->sid[i].iv[k].end)) goto oom;
    }
    return 0;
oom:
    sl_bl_gtids_clear(dst);
    return -SL_ENOMEM;
}

bool sl_bl_gtids_equal(const sl_bl_gtids_t *a, const sl_bl_gtids_t *b)
{
    if (a->mariadb != b->mariadb || a->n != b->n) return false;
    for (int i = 0; i < a->n; i++) {
        if (a->mariadb) {
            if (a->dom[i].domain != b->dom[i].domain || a->dom[i].server != b->dom[i].server ||
                a->dom[i].seq != b->dom[i].seq)
                return false;
            continue;
        }
        if (memcmp(a->sid[i].sid, b->sid[i].sid, 16) || a->sid[i].n != b->sid[i].n) return false;
        for (int k = 0; k < a->sid[i].n; k++)
            if (a->sid[i].iv[k].start != b->sid[i].iv[k].start ||
                a->sid[i].iv[k].end != b->sid[i].iv[k].end)
                return false;
    }
    return true;
}
