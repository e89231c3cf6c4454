/* binlog.h - decoding MySQL / MariaDB binlog events (binlog format v4) from
 * their raw bytes.
 *
 * The transport (libmariadb's mariadb_rpl_* API, or a binlog file read from
 * disk) hands over whole events: a 19-byte common header, the post-header
 * and body, and, when the FORMAT_DESCRIPTION_EVENT announced CRC32, a
 * 4-byte checksum trailer. Everything here is pure decoding: no I/O, no
 * globals, no allocation except from the caller's arena; safe on untrusted
 * bytes (every read is bounds-checked; a malformed event is an error
 * naming what is wrong, never a crash) - a libFuzzer harness
 * (tests/fuzz/fuzz_binlog.c) holds it to that.
 *
 * Values are decoded into sl_myval_t, the server's own view of a value
 * (before any mapping to Flink types, which the connector does, so that the
 * snapshot's text protocol and the binlog meet in one place).
 *
 * References: MySQL's libbinlogevents (rows_event.h, table_map event
 * optional metadata), MariaDB's log_event.h, the MySQL internals manual
 * ("Binary Log", "Row-based replication"), decimal.c (the packed decimal
 * format), my_time.c (TIME2/DATETIME2/TIMESTAMP2), json_binary.cc.
 */
#ifndef SL_CONNECTORS_MYSQL_BINLOG_H
#define SL_CONNECTORS_MYSQL_BINLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/* ---- event types (the values MySQL and MariaDB use) ---- */
enum {
    SL_BL_QUERY = 2,
    SL_BL_STOP = 3,
    SL_BL_ROTATE = 4,
    SL_BL_FORMAT_DESCRIPTION = 15,
    SL_BL_XID = 16,
    SL_BL_TABLE_MAP = 19,
    SL_BL_WRITE_ROWS_V1 = 23,
    SL_BL_UPDATE_ROWS_V1 = 24,
    SL_BL_DELETE_ROWS_V1 = 25,
    SL_BL_HEARTBEAT = 27,
    SL_BL_WRITE_ROWS_V2 = 30,
    SL_BL_UPDATE_ROWS_V2 = 31,
    SL_BL_DELETE_ROWS_V2 = 32,
    SL_BL_MYSQL_GTID = 33,
    SL_BL_MYSQL_ANONYMOUS_GTID = 34,
    SL_BL_MYSQL_PREVIOUS_GTIDS = 35,
    SL_BL_MYSQL_PARTIAL_UPDATE_ROWS = 39,
    SL_BL_MARIADB_ANNOTATE_ROWS = 160,
    SL_BL_MARIADB_BINLOG_CHECKPOINT = 161,
    SL_BL_MARIADB_GTID = 162,
    SL_BL_MARIADB_GTID_LIST = 163,
    SL_BL_MARIADB_START_ENCRYPTION = 164,
    SL_BL_MARIADB_QUERY_COMPRESSED = 165,
    SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1 = 166,
    SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED_V1 = 167,
    SL_BL_MARIADB_DELETE_ROWS_COMPRESSED_V1 = 168,
    SL_BL_MARIADB_WRITE_ROWS_COMPRESSED = 169,
    SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED = 170,
    SL_BL_MARIADB_DELETE_ROWS_COMPRESSED = 171,
};

/* ---- column types (MySQL's enum_field_types) ---- */
enum {
    SL_MYT_DECIMAL = 0, SL_MYT_TINY = 1, SL_MYT_SHORT = 2, SL_MYT_LONG = 3,
    SL_MYT_FLOAT = 4, SL_MYT_DOUBLE = 5, SL_MYT_NULL = 6, SL_MYT_TIMESTAMP = 7,
    SL_MYT_LONGLONG = 8, SL_MYT_INT24 = 9, SL_MYT_DATE = 10, SL_MYT_TIME = 11,
    SL_MYT_DATETIME = 12, SL_MYT_YEAR = 13, SL_MYT_NEWDATE = 14,
    SL_MYT_VARCHAR = 15, SL_MYT_BIT = 16, SL_MYT_TIMESTAMP2 = 17,
    SL_MYT_DATETIME2 = 18, SL_MYT_TIME2 = 19, SL_MYT_JSON = 245,
    SL_MYT_NEWDECIMAL = 246, SL_MYT_ENUM = 247, SL_MYT_SET = 248,
    SL_MYT_TINY_BLOB = 249, SL_MYT_MEDIUM_BLOB = 250, SL_MYT_LONG_BLOB = 251,
    SL_MYT_BLOB = 252, SL_MYT_VAR_STRING = 253, SL_MYT_STRING = 254,
    SL_MYT_GEOMETRY = 255,
};

/* ---- the common header ---- */
#define SL_BL_HEADER_LEN 19

typedef struct sl_bl_header {
    uint32_t timestamp;        /* seconds since the epoch (0 for artificial) */
    uint8_t type;              /* SL_BL_* */
    uint32_t server_id;
    uint32_t event_size;       /* header + body + checksum */
    uint32_t log_pos;          /* position of the NEXT event (0: artificial) */
    uint16_t flags;
} sl_bl_header_t;

/* What the FORMAT_DESCRIPTION_EVENT of a binlog says; needed to decode
 * every later event. Before one is seen, use sl_bl_format_default(). */
typedef struct sl_bl_format {
    uint16_t binlog_version;   /* 4 */
    char server_version[51];   /* "10.11.6-MariaDB-log", "8.0.36" */
    bool mariadb;              /* server_version contains "MariaDB" */
    uint8_t post_header_len[256]; /* per event type; 0 when not announced */
    bool checksum;             /* events end in a 4-byte CRC32 */
} sl_bl_format_t;

void sl_bl_format_default(sl_bl_format_t *f);

/* Parses the header of the event in buf[0..len). -SL_EINVAL (err says why)
 * when len < 19 or event_size is not len (a whole event is expected). */
int sl_bl_header_parse(const uint8_t *buf, size_t len, sl_bl_header_t *h,
                       sl_err_t *err);

/* The body of an event: after the header, without the checksum trailer.
 * Verifies the CRC32 when f->checksum (-SL_EINVAL "checksum mismatch"). */
int sl_bl_body(const sl_bl_format_t *f, const uint8_t *buf, size_t len,
               const uint8_t **body, size_t *blen, sl_err_t *err);

/* A FORMAT_DESCRIPTION_EVENT (whole event in buf): fills f, including the
 * checksum algorithm (the byte before the 4-byte trailer when the server
 * version is >= 5.6.1 / MariaDB 5.3; 1 = CRC32, 0 = none). */
int sl_bl_format_parse(const uint8_t *buf, size_t len, sl_bl_format_t *f,
                       sl_err_t *err);

/* ---- small events (bodies from sl_bl_body) ---- */

typedef struct sl_bl_rotate {
    uint64_t pos;              /* position in the next file */
    const char *file;          /* not NUL-terminated: file_len bytes */
    size_t file_len;
} sl_bl_rotate_t;
int sl_bl_rotate_parse(const sl_bl_format_t *f, const uint8_t *body,
                       size_t len, sl_bl_rotate_t *out, sl_err_t *err);

typedef struct sl_bl_query {
    uint32_t thread_id;
    uint32_t exec_time;
    uint16_t error_code;
    const char *db;            /* db_len bytes, the default database */
    size_t db_len;
    const char *sql;           /* sql_len bytes */
    size_t sql_len;
} sl_bl_query_t;
int sl_bl_query_parse(const sl_bl_format_t *f, const uint8_t *body,
                      size_t len, sl_bl_query_t *out, sl_err_t *err);

/* XID: the transaction's commit. */
int sl_bl_xid_parse(const uint8_t *body, size_t len, uint64_t *xid,
                    sl_err_t *err);

/* A GTID event, MariaDB's (domain-server-seq) or MySQL's (uuid:gno). */
typedef struct sl_bl_gtid {
    bool mariadb;
    /* MariaDB */
    uint32_t domain_id;
    uint32_t server_id;        /* from the event header */
    uint64_t seq_no;
    uint8_t flags;             /* FL_STANDALONE 0x01: no COMMIT/XID follows */
    /* MySQL */
    uint8_t sid[16];
    uint64_t gno;
} sl_bl_gtid_t;
int sl_bl_gtid_parse(const sl_bl_format_t *f, const sl_bl_header_t *h,
                     const uint8_t *body, size_t len, sl_bl_gtid_t *out,
                     sl_err_t *err);
#define SL_BL_GTID_STANDALONE 0x01

/* ---- TABLE_MAP ---- */

typedef struct sl_bl_column {
    uint8_t type;              /* SL_MYT_*: the real type (for STRING columns
                                  the metadata may say ENUM or SET) */
    uint16_t meta;             /* type metadata, decoded per type:
                                  FLOAT/DOUBLE: byte length
                                  NEWDECIMAL: precision << 8 | scale
                                  VARCHAR/VAR_STRING: max byte length
                                  STRING: max byte length (0..1023)
                                  ENUM/SET: packed length (1, 2 / 1..8)
                                  BIT: bits (1..64)
                                  BLOB/GEOMETRY/JSON: length bytes (1..4)
                                  TIME2/DATETIME2/TIMESTAMP2: fsp (0..6) */
    bool nullable;
    int8_t is_unsigned;        /* 1/0 from SIGNEDNESS metadata, -1 unknown */
    uint32_t charset;          /* collation id; 63 = binary; 0 unknown */
    const char *name;          /* COLUMN_NAME metadata, NUL-terminated, or NULL */
    int nvalues;               /* ENUM/SET strings from metadata, 0 if none */
    const char *const *values; /* NUL-terminated */
} sl_bl_column_t;

typedef struct sl_bl_table {
    uint64_t table_id;
    const char *db;            /* NUL-terminated */
    const char *table;
    int ncols;
    sl_bl_column_t *cols;
    int npk;                   /* SIMPLE_PRIMARY_KEY / PRIMARY_KEY_WITH_PREFIX */
    int *pk;                   /* column indexes; npk 0 if not in metadata */
} sl_bl_table_t;

/* Parses a TABLE_MAP body, including the optional metadata block
 * (binlog_row_metadata=MINIMAL or FULL: signedness, default and per-column
 * charsets, column names, ENUM/SET values, primary key). Everything is
 * allocated in arena (strings copied), so the table outlives the event. */
int sl_bl_table_map_parse(const sl_bl_format_t *f, const uint8_t *body,
                          size_t len, sl_arena_t *arena, sl_bl_table_t *out,
                          sl_err_t *err);

/* ---- ROWS events ---- */

enum { SL_BL_ROWS_WRITE = 1, SL_BL_ROWS_UPDATE, SL_BL_ROWS_DELETE };

typedef struct sl_bl_rows {
    uint8_t kind;              /* SL_BL_ROWS_* */
    uint64_t table_id;
    uint16_t flags;            /* 0x01 STMT_END_F */
    uint32_t ncols;
    const uint8_t *cols1;      /* present-columns bitmap (before image, or
                                  the only image) */
    const uint8_t *cols2;      /* after image of UPDATE, else NULL */
    const uint8_t *pos, *end;  /* the row images not decoded yet */
} sl_bl_rows_t;

/* Parses a ROWS event body of type `type` (v1 or v2, WRITE/UPDATE/DELETE;
 * v2's extra-data block is skipped). MariaDB's compressed row events and
 * MySQL's PARTIAL_UPDATE_ROWS are -SL_EUNSUPPORTED with a message naming
 * the event and the server setting to change (log_bin_compress /
 * binlog_row_value_options). */
int sl_bl_rows_parse(const sl_bl_format_t *f, uint8_t type,
                     const uint8_t *body, size_t len, sl_bl_rows_t *out,
                     sl_err_t *err);

/* A value as the server stores it. */
typedef enum sl_myval_kind {
    SL_MV_ABSENT = 0,          /* column not in this image (partial image) */
    SL_MV_NULL,
    SL_MV_INT,                 /* i64, or u64 when is_unsigned: TINY, SHORT,
                                  INT24, LONG, LONGLONG; YEAR (1901..2155,
                                  0 for 0000) */
    SL_MV_FLOAT,               /* f64 holds the FLOAT widened exactly */
    SL_MV_DOUBLE,
    SL_MV_DECIMAL,             /* str: exact text, "-" sign, all `scale`
                                  fraction digits, no leading zeros beyond
                                  one: "-12.50", "0.001", "123" */
    SL_MV_STRING,              /* str/len: bytes as stored (CHAR, VARCHAR,
                                  TEXT, BLOB, BINARY, GEOMETRY, MariaDB JSON);
                                  charset from the table map (column or
                                  default); CHAR is not padded */
    SL_MV_JSON,                /* str/len: MySQL's binary JSON as stored
                                  (type JSON, MySQL 5.7+); myjson.h turns it
                                  into MySQL's text form */
    SL_MV_BIT,                 /* u64 holds the bits, meta: bit count */
    SL_MV_ENUM,                /* u64: 1-based index, 0 for the '' error value */
    SL_MV_SET,                 /* u64: bit mask of members */
    SL_MV_DATE,                /* year, month, day (zero dates: 0s) */
    SL_MV_TIME,                /* neg, i64 = hours (0..838; `hour` holds them
                                  capped at 255), minute, second, micro */
    SL_MV_DATETIME,            /* year..second, micro (zero dates: 0s) */
    SL_MV_TIMESTAMP,           /* epoch seconds in i64, micro; 0 = zero ts */
} sl_myval_kind_t;

typedef struct sl_myval {
    uint8_t kind;              /* sl_myval_kind_t */
    bool is_unsigned;          /* SL_MV_INT */
    bool neg;                  /* SL_MV_TIME */
    uint8_t fsp;               /* fractional digits declared (0..6) */
    bool has_unscaled;         /* SL_MV_DECIMAL of precision <= 38: also
                                  unscaled (value * 10^scale) */
    uint8_t scale;             /* SL_MV_DECIMAL: digits after the point */
    union {
        int64_t i64;
        uint64_t u64;
        double f64;
        __int128 unscaled;
    };
    uint16_t year;
    uint8_t month, day, hour, minute, second;
    uint32_t micro;            /* 0..999999 */
    const char *str;           /* STRING/JSON/DECIMAL: into the event buffer
                                  or the arena */
    uint32_t len;
    uint32_t charset;          /* STRING: collation id (63 binary), 0 unknown */
} sl_myval_t;

/* Decodes the next row image of r into vals[0..t->ncols): the image is the
 * before image (cols1) or the after image (cols2) per `after`. Columns
 * whose bit is clear are SL_MV_ABSENT. Unsigned-ness comes from the table
 * map's SIGNEDNESS metadata when present, else from unsigned_hint[col]
 * (may be NULL: signed). Decimal text goes to arena; strings and JSON point
 * into the event. Returns 1 when an image was decoded, 0 at the end
 * of the event, <0 on a malformed image (err names the column). The table
 * must be the one whose id r->table_id names, with r->ncols columns. For
 * a WRITE or DELETE event (one image per row) `after` is ignored. */
int sl_bl_rows_next(sl_bl_rows_t *r, const sl_bl_table_t *t, bool after,
                    const bool *unsigned_hint, sl_myval_t *vals,
                    sl_arena_t *arena, sl_err_t *err);

/* ---- MySQL GTID sets (COM_BINLOG_DUMP_GTID) ---- */

/* Encodes a MySQL GTID set in text ("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7,
 * uuid2:1-3"; whitespace and newlines allowed around ',') into the binary
 * form COM_BINLOG_DUMP_GTID carries: u64 number of sids, then per sid 16
 * bytes of UUID, u64 number of intervals and per interval u64 start and
 * u64 end (exclusive), all little-endian. Appends to out (util/strbuf.h).
 * -SL_EINVAL with a message naming the bad part. */
struct sl_strbuf;
int sl_bl_mysql_gtid_encode(const char *text, size_t n, struct sl_strbuf *out,
                            sl_err_t *err);

/* ---- GTID states (the replication state at a point of the binlog) ----
 *
 * MariaDB: the last GTID of each replication domain, as @@gtid_binlog_pos
 * and BINLOG_GTID_POS() print it ("0-1-42,1-2-7", ascending domain).
 * MySQL: the executed GTID set, per source UUID the transaction numbers as
 * ascending disjoint intervals, as @@gtid_executed prints it
 * ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42:50", ascending UUID,
 * lower-case). A stream keeps one and adds each transaction's GTID once
 * the transaction is whole (mysql_cdc.c: positions of checkpoints).
 *
 * Unlike the rest of this file these allocate (malloc: a state lives as
 * long as a stream and grows with it); free with sl_bl_gtids_free. */
typedef struct sl_bl_gtid_dom {
    uint32_t domain, server;
    uint64_t seq;
} sl_bl_gtid_dom_t;

typedef struct sl_bl_gtid_iv {
    uint64_t start, end;       /* [start, end) */
} sl_bl_gtid_iv_t;

typedef struct sl_bl_gtid_sid {
    uint8_t sid[16];
    int n, cap;
    sl_bl_gtid_iv_t *iv;
} sl_bl_gtid_sid_t;

typedef struct sl_bl_gtids {
    bool mariadb;
    int n, cap;
    sl_bl_gtid_dom_t *dom;     /* MariaDB: n domains, ascending */
    sl_bl_gtid_sid_t *sid;     /* MySQL: n UUIDs, ascending */
} sl_bl_gtids_t;

void sl_bl_gtids_init(sl_bl_gtids_t *g, bool mariadb);
void sl_bl_gtids_free(sl_bl_gtids_t *g);
/* Empties g (keeps its flavour). */
void sl_bl_gtids_clear(sl_bl_gtids_t *g);
/* Replaces g's contents by the text form of its flavour ("" or only
 * blanks: empty). -SL_EINVAL with a message naming the bad part (g is
 * then empty), -SL_ENOMEM. */
int sl_bl_gtids_parse(sl_bl_gtids_t *g, const char *text, size_t n,
                      sl_err_t *err);
/* MySQL: replaces g's contents by a GTID set in the binary form of
 * PREVIOUS_GTIDS event bodies and COM_BINLOG_DUMP_GTID (see
 * sl_bl_mysql_gtid_encode). */
int sl_bl_gtids_decode(sl_bl_gtids_t *g, const uint8_t *p, size_t len,
                       sl_err_t *err);
/* Adds one transaction's GTID (of g's flavour; MySQL gno 0 is ignored).
 * 0 or -SL_ENOMEM. */
int sl_bl_gtids_add(sl_bl_gtids_t *g, const sl_bl_gtid_t *gtid);
/* Appends the text form to out. 0 or -SL_ENOMEM. */
int sl_bl_gtids_format(const sl_bl_gtids_t *g, struct sl_strbuf *out);
int sl_bl_gtids_copy(sl_bl_gtids_t *dst, const sl_bl_gtids_t *src);
bool sl_bl_gtids_equal(const sl_bl_gtids_t *a, const sl_bl_gtids_t *b);

#endif
