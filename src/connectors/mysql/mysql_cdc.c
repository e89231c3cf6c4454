/* mysql_cdc.c - the 'mysql-cdc' source (Flink CDC's options and semantics).
 *
 * One source instance captures every table whose database and name match
 * 'database-name' and 'table-name' (regular expressions, matched whole).
 * It runs on the engine's source thread and may block there.
 *
 * The algorithm (DBLog's watermarks, with binlog positions for watermarks
 * as Flink CDC 2.x does, but on one binlog stream):
 *
 *   S := SHOW MASTER STATUS; open the binlog stream at S.
 *   for each table, chunk after chunk in primary-key order:
 *     SELECT ... WHERE pk > last ORDER BY pk LIMIT chunk-size  -> buffer
 *       (in a read view that sees every transaction the stream has read:
 *       a transaction is in the binlog before its commit is visible, see
 *       chunk_view)
 *     H := SHOW MASTER STATUS
 *     read the stream up to H (and to the end of a transaction open
 *       there): events on keys of this chunk are applied
 *       to the buffer (full row images: applying an event the SELECT
 *       already saw is harmless, so the window starts wherever the stream
 *       is, at or before the SELECT); events on keys of finished chunks
 *       are emitted when they end after that chunk's H; events on keys no
 *       chunk has read yet are skipped (a later SELECT sees them)
 *     emit the buffer as +I; the chunk is done at H.
 *   then keep reading the stream: an event is emitted when it ends after
 *   the H of its key's chunk (every event, once past the last H).
 *
 * So the changelog is exactly the table's history from the snapshot on, no
 * lock is taken (no FLUSH TABLES WITH READ LOCK, no RELOAD), a chunk holds
 * at most chunk-size rows plus the changes of one chunk's read, and the
 * snapshot resumes at the next chunk (checkpoints, below). Chunks
 * are found by LIMIT, not by MIN/MAX splitting, so the last chunk is as
 * bounded as the others whatever writers add meanwhile.
 *
 * Keys are compared in the server's order: numbers, temporals and binary
 * strings exactly; strings of a case-insensitive collation by their ASCII
 * upper-case form without trailing spaces (utf8mb4_general_ci and friends
 * agree on ASCII; keys that differ only in non-ASCII case may be placed in
 * the wrong chunk - documented).
 *
 * Updates are -U/+U of the same key; an update that changes the primary
 * key is -D of the old key and +I of the new, as Debezium emits it. A
 * transaction's rows go downstream in one batch when it has at most
 * TXN_BATCH_CAP rows (bigger ones are cut, memory stays bounded).
 *
 * Memory: everything of the instance is owned by the mycdc_t, freed by
 * close(); per-chunk data in chunk_arena, per-event data in ev_arena, both
 * reset, never freed per row.
 *
 * Checkpoints. position() describes the changelog delivered so far:
 *
 *   committed    the end of the last whole transaction the stream read
 *                (file, offset), and skip: how many rows the stream
 *                emitted after it (the part of the open transaction that
 *                is out, 0 between transactions); the GTID state at
 *                committed when known (MariaDB: BINLOG_GTID_POS at the
 *                stream's start plus each GTID; MySQL: the executed set
 *                of SHOW MASTER STATUS or PREVIOUS_GTIDS plus each GTID);
 *   tables       per captured table what the emitted chunks cover: nothing,
 *                every key up to a boundary (the key column texts of the
 *                last row of the last finished chunk), or the whole table;
 *   checks       @@server_id (and MySQL's @@server_uuid), database-name,
 *                table-name, server-time-zone, the chunk key option, the
 *                timestamp mode's filter, the key columns of each table.
 *
 * Why that is enough: a chunk's +I rows go out in the batch that ends its
 * window, and the window ends between two transactions (at or after H), so
 * during the snapshot a batch boundary is at a chunk boundary with skip 0;
 * there every finished chunk's high watermark is <= committed, so every
 * later change of a finished key is emitted, of an unread key skipped.
 * Resuming rebuilds exactly that routing: one finished chunk (closed at
 * position 0) up to the boundary, done tables done, the next chunk read
 * after the boundary, and the stream opened at committed - which is at or
 * before that chunk's SELECT, as DBLog's window start must be. Changes the
 * dead run had applied to its pending chunk are applied again (the chunk
 * is read again), its emitted ones are emitted again by the same routing,
 * and the first `skip` of them are dropped. A batch may end inside a
 * transaction only in the binlog phase (transactions of more than a batch,
 * TXN_BATCH_CAP rows) or when the job stops mid-window (the pending chunk
 * is then not in the position and is read again); the same skip covers
 * both, and a reconnect inside such a transaction too. In the binlog phase
 * every change is emitted, so resuming is: open at committed, drop skip
 * rows. The format (text, so that it is readable in a checkpoint):
 *
 *   mysql-cdc-position 1
 *   phase snapshot|binlog
 *   binlog "mysql-bin.000003" 1234 <skip>
 *   gtid mariadb|mysql "<GTID list or set>"          (when known)
 *   server-id 1
 *   server-uuid "<uuid>"                             (MySQL)
 *   time-zone "UTC"
 *   database-name "<regex>"
 *   table-name "<regex>"
 *   chunk-key "<column or empty>"
 *   timestamp-filter <ms, 0 for none>
 *   tables <n>
 *   table "<db>" "<name>" <0|1|2> <chunks> <rows> <npk> "<key col>"... ["<key text>"...]
 *   end
 *
 * Strings are quoted, with '"', '\' and bytes outside printable ASCII
 * escaped (\", \\, \xNN); a reader of version N reads versions <= N.
 * Resuming checks the options when the source is built (source_new) and
 * the server when it starts: the server id, the same tables, the binlog
 * file still there and long enough, and the GTID state there (MariaDB:
 * BINLOG_GTID_POS equals the recorded list; MySQL: gtid_executed holds the
 * recorded set) - each failure says why and that starting without the
 * checkpoint/savepoint takes a new snapshot. 'scan.startup.mode' and its
 * options are ignored then (logged), except 'snapshot', which still ends
 * the source when the snapshot is done.
 *
 * Test hooks (environment variables, for tests/integration/
 * test_mysql_cdc_resume.sh; not for production use):
 *   SLUICE_TEST_CDC_POSITIONS=FILE   after every batch with rows, appends
 *                                    "ROWS PHASE HEX\n" to FILE in one
 *                                    write: the rows returned by next() so
 *                                    far, snapshot|binlog, and the position
 *                                    position() reports, in hexadecimal;
 *   SLUICE_TEST_CDC_RESTORE=HEX      when ctx->restore is NULL, resume from
 *                                    that position (every mysql-cdc source
 *                                    of the job: give such jobs one);
 *   SLUICE_TEST_CDC_BATCH_ROWS=N     batches of at most N rows, and
 *                                    transactions cut at N rows instead of
 *                                    TXN_BATCH_CAP (positions inside them).
 */
#include "connectors/mysql/mysql_cdc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>
#include <mariadb_rpl.h>
#include <ma_pvio.h>

#include "connectors/mysql/binlog.h"
#include "connectors/mysql/myconv.h"
#include "exec/fn.h"
#include "util/decimal.h"
#include "util/hashmap.h"
#include "util/log.h"
#include "util/strbuf.h"

#define TXN_BATCH_CAP 65536

/* ---- options ---- */

static const sl_option_spec_t cdc_options[] = {
    {"hostname", SL_OPT_STRING, true, NULL, NULL, "IP address or hostname of the MySQL server"},
    {"port", SL_OPT_INT, false, "3306", NULL, "port of the MySQL server"},
    {"username", SL_OPT_STRING, true, NULL, NULL, "user to connect as"},
    {"password", SL_OPT_STRING, true, NULL, NULL, "password of the user"},
    {"database-name", SL_OPT_STRING, true, NULL, NULL,
     "database name (a regular expression, matched whole)"},
    {"table-name", SL_OPT_STRING, true, NULL, NULL,
     "table name (a regular expression, matched whole, e.g. order_[0-9]+)"},
    {"server-id", SL_OPT_STRING, false, NULL, NULL,
     "replica server id, a number or a range 5400-5408 (the first is used); "
     "default: derived from the job and table names, within 5400-6400"},
    {"server-time-zone", SL_OPT_STRING, false, "UTC", NULL,
     "session time zone of the server, for TIMESTAMP <-> wall-clock conversions"},
    {"scan.startup.mode", SL_OPT_ENUM, false, "initial",
     "initial|earliest-offset|latest-offset|specific-offset|timestamp|snapshot",
     "where to start: snapshot then binlog, or a binlog position"},
    {"scan.startup.specific-offset.file", SL_OPT_STRING, false, NULL, NULL,
     "binlog file name for specific-offset"},
    {"scan.startup.specific-offset.pos", SL_OPT_INT, false, NULL, NULL,
     "binlog position for specific-offset"},
    {"scan.startup.specific-offset.gtid-set", SL_OPT_STRING, false, NULL, NULL,
     "GTID set for specific-offset"},
    {"scan.startup.specific-offset.skip-events", SL_OPT_INT, false, NULL, NULL, "accepted"},
    {"scan.startup.specific-offset.skip-rows", SL_OPT_INT, false, NULL, NULL, "accepted"},
    {"scan.startup.timestamp-millis", SL_OPT_INT, false, NULL, NULL,
     "start at the first binlog event at or after this time (timestamp mode)"},
    {"scan.incremental.snapshot.enabled", SL_OPT_BOOL, false, "true", NULL,
     "the chunked lock-free snapshot (the only kind sluice has)"},
    {"scan.incremental.snapshot.chunk.size", SL_OPT_INT, false, "8096", NULL,
     "rows per snapshot chunk"},
    {"scan.snapshot.fetch.size", SL_OPT_INT, false, "1024", NULL,
     "accepted; a chunk's rows are streamed as the server sends them (mysql_use_result)"},
    {"scan.incremental.snapshot.chunk.key-column", SL_OPT_STRING, false, NULL, NULL,
     "primary key column to order chunks by first (default: the key's order)"},
    {"scan.incremental.close-idle-reader.enabled", SL_OPT_BOOL, false, "false", NULL, "accepted"},
    {"scan.incremental.snapshot.backfill.skip", SL_OPT_BOOL, false, "false", NULL, "accepted"},
    {"scan.newly-added-table.enabled", SL_OPT_BOOL, false, "false", NULL,
     "accepted; tables are matched when the job starts"},
    {"connect.timeout", SL_OPT_DURATION, false, "30s", NULL, "connection timeout"},
    {"connect.max-retries", SL_OPT_INT, false, "3", NULL, "connection attempts before failing"},
    {"connection.pool.size", SL_OPT_INT, false, "20", NULL, "accepted (one query connection)"},
    {"heartbeat.interval", SL_OPT_DURATION, false, "30s", NULL,
     "server heartbeat period of the binlog stream"},
    {"chunk-meta.group.size", SL_OPT_INT, false, "1000", NULL, "accepted"},
    {"chunk-key.even-distribution.factor.upper-bound", SL_OPT_DOUBLE, false, "1000.0", NULL,
     "accepted (chunks are found by LIMIT)"},
    {"chunk-key.even-distribution.factor.lower-bound", SL_OPT_DOUBLE, false, "0.05", NULL,
     "accepted (chunks are found by LIMIT)"},
    {"jdbc.properties.*", SL_OPT_STRING, false, NULL, NULL, "accepted and ignored"},
    {"debezium.*", SL_OPT_STRING, false, NULL, NULL,
     "Debezium pass-through keys: accepted and ignored with a logged note"},
    {NULL, 0, false, NULL, NULL, NULL},
};

static const sl_meta_spec_t cdc_metadata[] = {
    {"database_name", "STRING NOT NULL", SL_T_VARCHAR, "database of the row"},
    {"table_name", "STRING NOT NULL", SL_T_VARCHAR, "table of the row"},
    {"op_ts", "TIMESTAMP_LTZ(3) NOT NULL", SL_T_TIMESTAMP_LTZ,
     "when the change was made (0 for snapshot rows)"},
    {"row_kind", "STRING NOT NULL", SL_T_VARCHAR, "+I, -U, +U or -D"},
    {NULL, NULL, 0, NULL},
};

enum { META_DB, META_TABLE, META_OP_TS, META_ROW_KIND };

enum { MODE_INITIAL, MODE_EARLIEST, MODE_LATEST, MODE_SPECIFIC, MODE_TIMESTAMP, MODE_SNAPSHOT };

/* ---- positions ---- */

typedef struct binpos {
    char file[128];
    long seq;                  /* the file name's number: mysql-bin.000042 */
    uint64_t pos;
} binpos_t;

static long file_seq(const char *f)
{
    const char *dot = strrchr(f, '.');
    return dot ? strtol(dot + 1, NULL, 10) : 0;
}

/* Sets the file (n bytes) and its number; every file change goes here so
 * comparisons (once per row) are two integer compares. */
static void pos_set_file(binpos_t *p, const char *f, size_t n)
{
    if (n > sizeof p->file - 1) n = sizeof p->file - 1;
    memmove(p->file, f, n);
    p->file[n] = '\0';
    p->seq = file_seq(p->file);
}

/* Files of one server share their base name, so their numbers order them. */
static int pos_cmp(const binpos_t *a, const binpos_t *b)
{
    if (a->seq != b->seq) return a->seq < b->seq ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* ---- captured tables ---- */

typedef struct chunk {
    void *hi;                  /* encoded key of the chunk's last row */
    size_t hilen;
    bool inf;                  /* the last chunk: no upper bound */
    bool pending;              /* being reconciled */
    binpos_t high;
} chunk_t;

typedef struct captab {
    char *db, *name;
    sl_mycol_t *cols;
    int ncols;
    int *pk;                   /* MySQL column indexes, chunk order */
    int npk;
    int *fmap;                 /* Flink physical column -> MySQL column */
    /* snapshot */
    int state;                 /* 0 not started, 1 chunking, 2 done */
    chunk_t *chunks;
    int nchunks, capchunks;
    binpos_t max_high;
    char **last;               /* text of the last row's key columns */
    size_t *lastlen;
    bool has_last;
    uint64_t est_rows, rows_read;
    /* What the emitted chunks cover, for positions: fin_state 0 nothing,
     * 1 every key up to fin_last (the key column texts of the last row of
     * the last finished chunk), 2 the whole table. A pending chunk is not
     * in it (its rows are not out yet). */
    int fin_state;
    char **fin_last;
    size_t *fin_lastlen;
    uint64_t fin_rows;
    int fin_chunks;
    int chunks_base;           /* chunks of earlier runs (resumed), metrics */
    /* binlog */
    uint64_t table_id;
    bool has_tm;
    sl_bl_table_t tm;
    sl_arena_t tm_arena;
    int *bmy;                  /* binlog column -> MySQL column, -1 */
} captab_t;

/* A position to resume from, decoded (see "positions (checkpoints)"). */
typedef struct rtab {
    char *db, *name;
    int state;                 /* fin_state */
    int64_t chunks, rows;      /* for metrics */
    int npk;
    char **pkcols;             /* key column names in chunk order */
    char **key;                /* state 1: key column texts */
    size_t *keylen;
} rtab_t;

typedef struct rpos {
    bool snapshot;             /* phase */
    binpos_t at;               /* committed: end of the last whole transaction */
    uint64_t skip;             /* rows of the transaction after it already out */
    bool has_gtid, gtid_mariadb;
    char *gtid;
    bool has_server_id;
    uint32_t server_id;
    char *server_uuid;         /* MySQL, or NULL */
    char *tz, *dbre, *tbre, *chunk_key; /* chunk_key "" for none */
    int64_t ts_filter;
    int ntabs;
    rtab_t *tabs;
} rpos_t;

typedef struct rowent {
    void *key;
    size_t klen;
    bool present;
    sl_value_t *vals;          /* nphys */
    struct rowent *next;       /* select order */
} rowent_t;

typedef struct mycdc {
    /* configuration */
    char *host, *user, *password, *tz, *table_label;
    unsigned port;
    regex_t dbre, tbre;
    bool re_ok;
    int mode;
    int64_t chunk_size, ts_millis;
    int64_t connect_timeout_ms, max_retries, heartbeat_ms;
    uint32_t server_id;
    char *spec_file;
    int64_t spec_pos;
    char *spec_gtid;           /* GTID set to start after: MariaDB's list
                                  (0-1-42) or MySQL's (uuid:1-42) */
    bool mariadb;              /* the server is MariaDB (else MySQL) */
    bool no_snapshot_pos;      /* no Binlog_snapshot_position (chunk_view) */
    int64_t view_waits;        /* chunk reads that waited for commits */
    binpos_t need;             /* end of the last transaction on a captured
                                  table the stream read (chunk_view) */
    bool need_pend;            /* such a transaction is open */
    char *chunk_key;
    char *dbre_text, *tbre_text;
    int64_t ts_filter;         /* timestamp mode: skip changes before (ms) */
    /* checkpoints */
    rpos_t *rp;                /* the position to resume from, or NULL */
    uint64_t skip;             /* rows the stream would emit that are dropped:
                                  out in an earlier run or batch */
    uint64_t txn_rows;         /* rows the stream emitted (or dropped) since
                                  committed: the open transaction's */
    uint32_t srv_id;           /* the server's @@server_id */
    char *srv_uuid;            /* MySQL's @@server_uuid */
    bool has_gtids;            /* gtids is the state at committed */
    sl_bl_gtids_t gtids;
    bool has_pend;             /* a transaction's GTID, added at its end */
    sl_bl_gtid_t pend;
    sl_strbuf_t posbuf;        /* test hook scratch */
    sl_strbuf_t gtidbuf;       /* scratch */
    sl_strbuf_t pos_tail;      /* pos_tail(), valid while pos_tail_ok */
    bool pos_tail_ok;
    int test_pos_fd;           /* SLUICE_TEST_CDC_POSITIONS, -1 */
    int test_batch;            /* SLUICE_TEST_CDC_BATCH_ROWS, 0 */
    uint64_t rows_out;         /* rows returned by next() */
    /* output */
    int nphys, nmeta;
    const sl_type_t *const *types;
    const char *const *names;
    int meta[8];               /* META_* per metadata column */
    /* connections */
    MYSQL *q;                  /* queries (snapshot) */
    MYSQL *b;                  /* binlog */
    MARIADB_RPL *rpl;
    MARIADB_RPL_EVENT *ev;
    atomic_bool stop;
    /* tables */
    captab_t *tabs;
    int ntabs;
    int cur_tab;               /* snapshotting this one */
    /* stream */
    sl_bl_format_t fmt;
    binpos_t cur;              /* end of the last event read */
    binpos_t committed;        /* end of the last whole transaction */
    bool in_txn;
    int64_t idle_ret_ms;      /* when an empty batch was last handed back */
    int txn_mark;              /* rows in the output before this transaction */
    int lost;                  /* reconnections since the last event read */
    bool started;              /* connected and positioned */
    bool snapshot_done;
    bool ended;
    /* chunk being read */
    sl_arena_t chunk_arena;
    sl_hmap_t chunk_map;
    rowent_t *first, *last_ent;
    bool indexed;              /* chunk_map holds the rows */
    int pending_tab;           /* -1 when no chunk is pending */
    /* scratch */
    sl_arena_t ev_arena;
    sl_strbuf_t kb, sql;
    sl_myval_t *mv;            /* one row image */
    int mvcap;
    sl_value_t *row;           /* nphys */
    /* metrics, published by the source thread at step ends */
    pthread_mutex_t mu;
    sl_source_metrics_t pub;
    int64_t last_event_ms;
} mycdc_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* ---- connections ---- */

static int my_fail(mycdc_t *c, MYSQL *m, const char *what, sl_err_t *err)
{
    return sl_err_set(err, SL_EIO, "mysql-cdc: %s on %s:%u: %s", what, c->host, c->port,
                      m ? mysql_error(m) : "out of memory");
}

static int connect_one(mycdc_t *c, MYSQL **out, sl_err_t *err)
{
    int attempts = c->max_retries > 0 ? (int)c->max_retries : 1;
    for (int a = 0; a < attempts; a++) {
        if (atomic_load(&c->stop)) return sl_err_set(err, SL_EIO, "stopped");
        MYSQL *m = mysql_init(NULL);
        if (!m) return oom(err);
        unsigned to = (unsigned)((c->connect_timeout_ms + 999) / 1000);
        mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &to);
        mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        if (mysql_real_connect(m, c->host, c->user, c->password, NULL, c->port, NULL, 0)) {
            *out = m;
            return 0;
        }
        unsigned e = mysql_errno(m);
        if (a + 1 == attempts || e == 1045 /* access denied */) {
            int rc = sl_err_set(err, SL_EIO,
                                "mysql-cdc: cannot connect to %s:%u as '%s' (attempt %d of %d): %s",
                                c->host, c->port, c->user, a + 1, attempts, mysql_error(m));
            mysql_close(m);
            return rc;
        }
        SL_LOG_WARN("mysql-cdc: connecting to %s:%u failed (attempt %d of %d): %s; retrying",
                    c->host, c->port, a + 1, attempts, mysql_error(m));
        mysql_close(m);
        struct timespec ts = {0, 200000000L * (a + 1)};
        nanosleep(&ts, NULL);
    }
    return sl_err_set(err, SL_EIO, "mysql-cdc: cannot connect to %s:%u", c->host, c->port);
}

static int query(mycdc_t *c, MYSQL *m, const char *sql, sl_err_t *err)
{
    if (mysql_query(m, sql)) {
        if (atomic_load(&c->stop)) return sl_err_set(err, SL_EIO, "stopped");
        return sl_err_set(err, SL_EIO, "mysql-cdc: query failed on %s:%u: %s (query: %.200s)",
                          c->host, c->port, mysql_error(m), sql);
    }
    return 0;
}

/* The first row of a query's result, as NUL-terminated strings copied into
 * out[0..n) (each cap bytes); 0 when a row came, 1 when none. */
static int query_row(mycdc_t *c, const char *sql, int n, char out[][256], sl_err_t *err)
{
    int rc = query(c, c->q, sql, err);
    if (rc) return rc;
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading a result", err);
    MYSQL_ROW r = mysql_fetch_row(res);
    if (!r) {
        mysql_free_result(res);
        return 1;
    }
    unsigned nf = mysql_num_fields(res);
    for (int i = 0; i < n; i++) {
        out[i][0] = '\0';
        if ((unsigned)i < nf && r[i]) snprintf(out[i], 256, "%s", r[i]);
    }
    mysql_free_result(res);
    return 0;
}

/* The server's binlog position now; with gtid (MySQL), its executed GTID
 * set at that position too (the same row of SHOW MASTER STATUS), *has_gtid
 * set when the server gives one. */
static int master_status(mycdc_t *c, binpos_t *p, sl_strbuf_t *gtid, bool *has_gtid,
                         sl_err_t *err)
{
    int rc = query(c, c->q, "SHOW MASTER STATUS", err);
    if (rc < 0 && mysql_errno(c->q) == 1064) /* MySQL 8.4 dropped it */
        rc = query(c, c->q, "SHOW BINARY LOG STATUS", err);
    if (rc < 0) {
        unsigned e = mysql_errno(c->q);
        if (e == 1227 || e == 1045)
            return sl_err_set(err, SL_EIO,
                              "mysql-cdc: user '%s' may not run SHOW MASTER STATUS on %s:%u: "
                              "grant REPLICATION CLIENT (MariaDB 10.5+: BINLOG MONITOR), e.g. "
                              "GRANT BINLOG MONITOR, REPLICATION SLAVE, SELECT ON *.* TO '%s'",
                              c->user, c->host, c->port, c->user);
        return rc;
    }
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading SHOW MASTER STATUS", err);
    MYSQL_ROW r = mysql_fetch_row(res);
    unsigned long *len = r ? mysql_fetch_lengths(res) : NULL;
    if (!r || !r[0] || !r[1]) {
        mysql_free_result(res);
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: the binary log is off on %s:%u: start the server with "
                          "log_bin (and binlog_format=ROW, binlog_row_image=FULL)",
                          c->host, c->port);
    }
    pos_set_file(p, r[0], len[0]);
    p->pos = strtoull(r[1], NULL, 10);
    if (gtid && mysql_num_fields(res) >= 5) {
        sl_strbuf_clear(gtid);
        if (r[4] && sl_strbuf_append(gtid, r[4], len[4])) {
            mysql_free_result(res);
            return oom(err);
        }
        *has_gtid = true;
    }
    mysql_free_result(res);
    return 0;
}

/* binlog_format=ROW and binlog_row_image=FULL, or an error saying how to
 * fix it. */
static int check_server(mycdc_t *c, sl_err_t *err)
{
    char v[3][256];
    int rc = query_row(c, "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image",
                       3, v, err);
    if (rc < 0) return rc;
    if (rc == 1 || strcmp(v[0], "1"))
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: the binary log is off on %s:%u (log_bin=%s): start the "
                          "server with log_bin, binlog_format=ROW and binlog_row_image=FULL",
                          c->host, c->port, v[0]);
    if (strcasecmp(v[1], "ROW"))
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: binlog_format is %s on %s:%u, but change data capture "
                          "needs ROW: SET GLOBAL binlog_format = 'ROW' (and in the server's "
                          "configuration) and restart the writers' sessions",
                          v[1], c->host, c->port);
    if (strcasecmp(v[2], "FULL"))
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: binlog_row_image is %s on %s:%u, but change data capture "
                          "needs FULL row images: SET GLOBAL binlog_row_image = 'FULL' (and "
                          "in the server's configuration)",
                          v[2], c->host, c->port);
    return 0;
}

/* ---- schema ---- */

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void lower(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* ENUM('a','b''c') / SET(...) labels. */
static int parse_labels(sl_mycol_t *col, const char *ct)
{
    const char *p = strchr(ct, '(');
    if (!p) return 0;
    p++;
    int cap = 8;
    col->values = calloc((size_t)cap, sizeof *col->values);
    if (!col->values) return -1;
    while (*p == '\'') {
        p++;
        char buf[1024];
        size_t k = 0;
        while (*p) {
            if (*p == '\'' && p[1] == '\'') {
                if (k < sizeof buf - 1) buf[k++] = '\'';
                p += 2;
            } else if (*p == '\'') {
                p++;
                break;
            } else if (*p == '\\' && p[1]) {
                if (k < sizeof buf - 1) buf[k++] = p[1];
                p += 2;
            } else {
                if (k < sizeof buf - 1) buf[k++] = *p;
                p++;
            }
        }
        if (col->nvalues == cap) {
            cap *= 2;
            char **nv = realloc(col->values, (size_t)cap * sizeof *nv);
            if (!nv) return -1;
            col->values = nv;
        }
        col->values[col->nvalues] = dupn(buf, k);
        if (!col->values[col->nvalues]) return -1;
        col->nvalues++;
        if (*p == ',') p++;
    }
    return 0;
}

static void escape_lit(mycdc_t *c, sl_strbuf_t *sb, const char *s)
{
    size_t n = strlen(s);
    char *tmp = malloc(2 * n + 1);
    if (!tmp) return;
    mysql_real_escape_string(c->q, tmp, s, (unsigned long)n);
    sl_strbuf_printf(sb, "'%s'", tmp);
    free(tmp);
}

static int load_columns(mycdc_t *c, captab_t *t, sl_err_t *err)
{
    sl_strbuf_clear(&c->sql);
    sl_strbuf_puts(&c->sql,
                   "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, "
                   "DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_KEY "
                   "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ");
    escape_lit(c, &c->sql, t->db);
    sl_strbuf_puts(&c->sql, " AND TABLE_NAME = ");
    escape_lit(c, &c->sql, t->name);
    sl_strbuf_puts(&c->sql, " ORDER BY ORDINAL_POSITION");
    int rc = query(c, c->q, sl_strbuf_cstr(&c->sql), err);
    if (rc) return rc;
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading columns", err);
    int n = (int)mysql_num_rows(res);
    t->cols = calloc((size_t)(n ? n : 1), sizeof *t->cols);
    if (!t->cols) {
        mysql_free_result(res);
        return oom(err);
    }
    MYSQL_ROW r;
    while ((r = mysql_fetch_row(res))) {
        sl_mycol_t *col = &t->cols[t->ncols++];
        col->name = strdup(r[0] ? r[0] : "");
        col->data_type = strdup(r[1] ? r[1] : "");
        if (!col->name || !col->data_type) {
            mysql_free_result(res);
            return oom(err);
        }
        lower(col->data_type);
        const char *ct = r[2] ? r[2] : "";
        col->is_unsigned = strstr(ct, "unsigned") != NULL;
        col->tinyint1 = !strncasecmp(ct, "tinyint(1)", 10);
        col->precision = r[3] ? atoi(r[3]) : 0;
        col->scale = r[4] ? atoi(r[4]) : r[5] ? atoi(r[5]) : 0;
        if (!strcmp(col->data_type, "bit")) {
            const char *p = strchr(ct, '(');
            col->bits = p ? atoi(p + 1) : 1;
        }
        const char *dt = col->data_type;
        col->binary = strstr(dt, "binary") || strstr(dt, "blob") || !strcmp(dt, "geometry") ||
                      (r[6] && !strcmp(r[6], "binary"));
        col->ci = r[7] && strstr(r[7], "_ci");
        sl_mycol_classify(col);
        if ((!strcmp(dt, "enum") || !strcmp(dt, "set")) && parse_labels(col, ct)) {
            mysql_free_result(res);
            return oom(err);
        }
    }
    mysql_free_result(res);
    if (t->ncols == 0)
        return sl_err_set(err, SL_EIO, "mysql-cdc: table %s.%s has no columns visible to '%s'",
                          t->db, t->name, c->user);
    /* Primary key in index order. */
    sl_strbuf_clear(&c->sql);
    sl_strbuf_puts(&c->sql, "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE "
                            "INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA = ");
    escape_lit(c, &c->sql, t->db);
    sl_strbuf_puts(&c->sql, " AND TABLE_NAME = ");
    escape_lit(c, &c->sql, t->name);
    sl_strbuf_puts(&c->sql, " ORDER BY SEQ_IN_INDEX");
    if ((rc = query(c, c->q, sl_strbuf_cstr(&c->sql), err))) return rc;
    res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading the primary key", err);
    t->pk = calloc((size_t)t->ncols, sizeof *t->pk);
    if (!t->pk) {
        mysql_free_result(res);
        return oom(err);
    }
    while ((r = mysql_fetch_row(res)))
        for (int i = 0; i < t->ncols; i++)
            if (r[0] && !strcmp(t->cols[i].name, r[0])) t->pk[t->npk++] = i;
    mysql_free_result(res);
    if (t->npk == 0)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "mysql-cdc: table %s.%s has no primary key; the lock-free snapshot "
                          "and exact changelog need one (add a PRIMARY KEY to the table)",
                          t->db, t->name);
    if (c->chunk_key) {
        int k = -1;
        for (int i = 0; i < t->npk; i++)
            if (!strcasecmp(t->cols[t->pk[i]].name, c->chunk_key)) k = i;
        if (k < 0)
            return sl_err_set(err, SL_EINVAL,
                              "mysql-cdc: scan.incremental.snapshot.chunk.key-column '%s' is not "
                              "a primary key column of %s.%s",
                              c->chunk_key, t->db, t->name);
        int first = t->pk[k];
        memmove(&t->pk[1], &t->pk[0], (size_t)k * sizeof *t->pk);
        t->pk[0] = first;
    }
    /* Flink columns by name. */
    t->fmap = calloc((size_t)(c->nphys ? c->nphys : 1), sizeof *t->fmap);
    if (!t->fmap) return oom(err);
    for (int f = 0; f < c->nphys; f++) {
        t->fmap[f] = -1;
        for (int i = 0; i < t->ncols; i++)
            if (!strcmp(t->cols[i].name, c->names[f])) t->fmap[f] = i;
        for (int i = 0; i < t->ncols && t->fmap[f] < 0; i++)
            if (!strcasecmp(t->cols[i].name, c->names[f])) t->fmap[f] = i;
        if (t->fmap[f] < 0) {
            sl_strbuf_t cols = SL_STRBUF_INIT;
            for (int i = 0; i < t->ncols; i++)
                sl_strbuf_printf(&cols, "%s%s", i ? ", " : "", t->cols[i].name);
            rc = sl_err_set(err, SL_EINVAL,
                            "mysql-cdc: column '%s' of table '%s' is not in %s.%s (its columns: %s)",
                            c->names[f], c->table_label, t->db, t->name,
                            cols.buf ? cols.buf : "");
            sl_strbuf_destroy(&cols);
            return rc;
        }
    }
    t->last = calloc((size_t)t->npk, sizeof *t->last);
    t->lastlen = calloc((size_t)t->npk, sizeof *t->lastlen);
    t->fin_last = calloc((size_t)t->npk, sizeof *t->fin_last);
    t->fin_lastlen = calloc((size_t)t->npk, sizeof *t->fin_lastlen);
    if (!t->last || !t->lastlen || !t->fin_last || !t->fin_lastlen) return oom(err);
    sl_arena_init(&t->tm_arena, 4096);
    return 0;
}

static int discover(mycdc_t *c, sl_err_t *err)
{
    int rc = query(c, c->q,
                   "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                   "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN "
                   "('mysql', 'information_schema', 'performance_schema', 'sys') "
                   "ORDER BY TABLE_SCHEMA, TABLE_NAME",
                   err);
    if (rc) return rc;
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "listing tables", err);
    int n = (int)mysql_num_rows(res);
    c->tabs = calloc((size_t)(n ? n : 1), sizeof *c->tabs);
    if (!c->tabs) {
        mysql_free_result(res);
        return oom(err);
    }
    MYSQL_ROW r;
    while ((r = mysql_fetch_row(res))) {
        if (!r[0] || !r[1]) continue;
        if (regexec(&c->dbre, r[0], 0, NULL, 0) || regexec(&c->tbre, r[1], 0, NULL, 0)) continue;
        captab_t *t = &c->tabs[c->ntabs++];
        t->db = strdup(r[0]);
        t->name = strdup(r[1]);
        t->est_rows = r[2] ? strtoull(r[2], NULL, 10) : 0;
        if (!t->db || !t->name) {
            mysql_free_result(res);
            return oom(err);
        }
    }
    mysql_free_result(res);
    if (c->ntabs == 0)
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: no table on %s:%u matches database-name and table-name "
                          "(regular expressions matched whole) visible to '%s'",
                          c->host, c->port, c->user);
    for (int i = 0; i < c->ntabs; i++)
        if ((rc = load_columns(c, &c->tabs[i], err))) return rc;
    return 0;
}

/* ---- keys ---- */

static void put_be64(sl_strbuf_t *sb, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, v >>= 8) b[i] = (unsigned char)v;
    sl_strbuf_append(sb, b, 8);
}

/* Appends the order-preserving encoding of a key value. */
static int key_part(mycdc_t *c, const sl_mycol_t *col, const sl_myval_t *v, sl_strbuf_t *sb,
                    sl_err_t *err)
{
    (void)c;
    switch (v->kind) {
    case SL_MV_INT:
        put_be64(sb, v->is_unsigned ? v->u64 : (uint64_t)v->i64 ^ (1ull << 63));
        return 0;
    case SL_MV_FLOAT:
    case SL_MV_DOUBLE: {
        uint64_t b;
        double d = v->f64 == 0 ? 0.0 : v->f64;
        memcpy(&b, &d, 8);
        b = (b >> 63) ? ~b : b | (1ull << 63);
        put_be64(sb, b);
        return 0;
    }
    case SL_MV_DECIMAL: {
        sl_decimal_t d;
        if (sl_decimal_parse(v->str, v->len, 38, col->scale <= 38 ? col->scale : 38, &d))
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "mysql-cdc: key column '%s': DECIMAL key beyond 38 digits",
                              col->name);
        unsigned __int128 u = (unsigned __int128)d.unscaled ^ ((unsigned __int128)1 << 127);
        put_be64(sb, (uint64_t)(u >> 64));
        put_be64(sb, (uint64_t)u);
        return 0;
    }
    case SL_MV_DATE:
    case SL_MV_DATETIME:
        put_be64(sb, (uint64_t)v->year << 48 | (uint64_t)v->month << 40 | (uint64_t)v->day << 32 |
                         (uint64_t)v->hour << 24 | (uint64_t)v->minute << 16 |
                         (uint64_t)v->second << 8);
        put_be64(sb, v->micro);
        return 0;
    case SL_MV_TIMESTAMP:
        put_be64(sb, (uint64_t)(v->i64 * 1000000 + v->micro) ^ (1ull << 63));
        return 0;
    case SL_MV_TIME: {
        int64_t us = (v->i64 * 3600 + v->minute * 60 + v->second) * 1000000 + v->micro;
        put_be64(sb, (uint64_t)(v->neg ? -us : us) ^ (1ull << 63));
        return 0;
    }
    case SL_MV_BIT:
    case SL_MV_SET:
        put_be64(sb, v->u64);
        return 0;
    case SL_MV_STRING: {
        if (!strcmp(col->data_type, "enum")) {
            uint64_t idx = 0;
            for (int i = 0; i < col->nvalues; i++)
                if (strlen(col->values[i]) == v->len && !memcmp(col->values[i], v->str, v->len))
                    idx = (uint64_t)i + 1;
            put_be64(sb, idx);
            return 0;
        }
        size_t n = v->len;
        if (col->ci || !col->binary)
            while (n && v->str[n - 1] == ' ') n--; /* PAD SPACE */
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)v->str[i];
            if (col->ci) ch = (unsigned char)toupper(ch);
            if (ch == 0) {
                sl_strbuf_putc(sb, 0);
                sl_strbuf_putc(sb, (char)0xFF);
            } else {
                sl_strbuf_putc(sb, (char)ch);
            }
        }
        sl_strbuf_putc(sb, 0);
        sl_strbuf_putc(sb, 0);
        return 0;
    }
    default:
        return sl_err_set(err, SL_EUNSUPPORTED, "mysql-cdc: key column '%s' of type %s",
                          col->name, col->data_type);
    }
}

/* The key of a row image (vals indexed by MySQL column) into c->kb. */
static int row_key(mycdc_t *c, const captab_t *t, const sl_myval_t *vals, sl_err_t *err)
{
    sl_strbuf_clear(&c->kb);
    for (int i = 0; i < t->npk; i++) {
        const sl_myval_t *v = &vals[t->pk[i]];
        if (v->kind == SL_MV_ABSENT || v->kind == SL_MV_NULL)
            return sl_err_set(err, SL_EFORMAT,
                              "mysql-cdc: %s.%s: a row image without its primary key column '%s' "
                              "(binlog_row_image must be FULL)",
                              t->db, t->name, t->cols[t->pk[i]].name);
        int rc = key_part(c, &t->cols[t->pk[i]], v, &c->kb, err);
        if (rc) return rc;
    }
    if (!c->kb.buf && sl_strbuf_reserve(&c->kb, 1)) return oom(err);
    return 0;
}

static int key_cmp(const void *a, size_t an, const void *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int r = memcmp(a, b, m);
    if (r) return r;
    return an < bn ? -1 : an > bn;
}

/* ---- output ---- */

/* Flink values of a row (MySQL-indexed myvals) into c->row. */
static int to_flink(mycdc_t *c, const captab_t *t, const sl_myval_t *vals, sl_arena_t *a,
                    sl_err_t *err)
{
    for (int f = 0; f < c->nphys; f++) {
        const sl_myval_t *v = &vals[t->fmap[f]];
        if (v->kind == SL_MV_ABSENT)
            return sl_err_set(err, SL_EFORMAT,
                              "mysql-cdc: %s.%s: column '%s' missing from a row image "
                              "(binlog_row_image must be FULL)",
                              t->db, t->name, t->cols[t->fmap[f]].name);
        int rc = sl_myval_to_value(v, c->types[f], c->tz, c->names[f], &c->row[f], a, err);
        if (rc) {
            char m[SL_ERR_MSG_MAX];
            snprintf(m, sizeof m, "%s", err->msg);
            return sl_err_set(err, rc == -SL_ENOMEM ? SL_ENOMEM : SL_EFORMAT,
                              "mysql-cdc: %s.%s: %s", t->db, t->name, m);
        }
    }
    return 0;
}

static int emit(mycdc_t *c, sl_batch_t *out, int kind, const captab_t *t, const sl_value_t *row,
                int64_t op_ms, sl_err_t *err)
{
    sl_value_t *o = sl_batch_add(out, kind);
    if (!o) return oom(err);
    for (int f = 0; f < c->nphys; f++)
        if (sl_batch_set(out, &o[f], &row[f], c->types[f])) return oom(err);
    for (int m = 0; m < c->nmeta; m++) {
        sl_value_t v;
        memset(&v, 0, sizeof v);
        const char *s = NULL;
        switch (c->meta[m]) {
        case META_DB: s = t->db; break;
        case META_TABLE: s = t->name; break;
        case META_ROW_KIND: s = sl_row_kind_str(kind); break;
        case META_OP_TS: v.ts = sl_timestamp_from_millis(op_ms); break;
        }
        if (s) {
            v.str = s;
            v.len = (uint32_t)strlen(s);
        }
        if (sl_batch_set(out, &o[c->nphys + m], &v, c->types[c->nphys + m])) return oom(err);
    }
    return 0;
}

/* ---- chunk buffer ---- */

/* A row of the chunk's SELECT: keys are unique there, so no index is
 * built until a binlog change has to find a row (chunk_put). */
static int chunk_append(mycdc_t *c, const void *key, size_t klen, const sl_value_t *row,
                        sl_err_t *err)
{
    rowent_t *e = sl_arena_alloc(&c->chunk_arena, sizeof *e);
    if (!e) return oom(err);
    e->key = sl_arena_memdup(&c->chunk_arena, key, klen);
    e->klen = klen;
    e->present = true;
    e->next = NULL;
    e->vals = sl_arena_alloc(&c->chunk_arena, (size_t)(c->nphys ? c->nphys : 1) * sizeof *e->vals);
    if (!e->key || !e->vals) return oom(err);
    for (int f = 0; f < c->nphys; f++)
        if (sl_value_copy(&e->vals[f], &row[f], c->types[f], &c->chunk_arena)) return oom(err);
    if (c->last_ent) c->last_ent->next = e;
    else c->first = e;
    c->last_ent = e;
    return 0;
}

/* A binlog change to a key of the pending chunk: replaces, adds or
 * removes its row. */
static int chunk_put(mycdc_t *c, const void *key, size_t klen, const sl_value_t *row, bool present,
                     sl_err_t *err)
{
    if (!c->indexed) {
        for (rowent_t *x = c->first; x; x = x->next)
            if (sl_hmap_put(&c->chunk_map, x->key, x->klen, x)) return oom(err);
        c->indexed = true;
    }
    rowent_t *e = sl_hmap_get(&c->chunk_map, key, klen);
    if (!e) {
        e = sl_arena_calloc(&c->chunk_arena, sizeof *e);
        if (!e) return oom(err);
        e->key = sl_arena_memdup(&c->chunk_arena, key, klen);
        e->klen = klen;
        if (!e->key || sl_hmap_put(&c->chunk_map, e->key, klen, e)) return oom(err);
        if (c->last_ent) c->last_ent->next = e;
        else c->first = e;
        c->last_ent = e;
    }
    e->present = present;
    if (present) {
        e->vals = sl_arena_alloc(&c->chunk_arena, (size_t)(c->nphys ? c->nphys : 1) * sizeof *e->vals);
        if (!e->vals) return oom(err);
        for (int f = 0; f < c->nphys; f++)
            if (sl_value_copy(&e->vals[f], &row[f], c->types[f], &c->chunk_arena)) return oom(err);
    }
    return 0;
}

/* ---- routing of binlog changes ---- */

enum { R_SKIP, R_EMIT, R_APPLY };

static int route(mycdc_t *c, captab_t *t, const void *key, size_t klen)
{
    if (t->state == 2 && pos_cmp(&c->cur, &t->max_high) > 0) return R_EMIT;
    if (t->state == 0) return R_SKIP;
    /* First chunk whose upper bound is >= key. */
    int lo = 0, hi = t->nchunks;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const chunk_t *ch = &t->chunks[mid];
        if (ch->inf || key_cmp(key, klen, ch->hi, ch->hilen) <= 0) hi = mid;
        else lo = mid + 1;
    }
    if (lo == t->nchunks) return R_SKIP; /* no chunk has read it yet */
    const chunk_t *ch = &t->chunks[lo];
    if (ch->pending) return R_APPLY;
    return pos_cmp(&c->cur, &ch->high) > 0 ? R_EMIT : R_SKIP;
}

/* ---- binlog stream ---- */

static bool rpl_buffered(MYSQL *m)
{
    MARIADB_PVIO *p = m->net.pvio;
    return p && p->cache && p->cache_pos < p->cache + p->cache_size;
}

static int stream_open(mycdc_t *c, const binpos_t *at, sl_err_t *err)
{
    int rc = connect_one(c, &c->b, err);
    if (rc) return rc;
    char sql[128];
    if ((rc = query(c, c->b, "SET @master_binlog_checksum = @@global.binlog_checksum", err)) ||
        (rc = query(c, c->b, "SET @mariadb_slave_capability = 4", err)))
        return rc;
    snprintf(sql, sizeof sql, "SET @master_heartbeat_period = %lld",
             (long long)c->heartbeat_ms * 1000000LL);
    if ((rc = query(c, c->b, sql, err))) return rc;
    /* The artificial ROTATE comes before the FORMAT_DESCRIPTION and
     * already carries the checksum the server was asked for above. */
    if ((rc = query(c, c->b, "SELECT @@GLOBAL.binlog_checksum", err))) return rc;
    bool checksum = false;
    MYSQL_RES *res = mysql_store_result(c->b);
    if (res) {
        MYSQL_ROW r = mysql_fetch_row(res);
        checksum = r && r[0] && !strcasecmp(r[0], "CRC32");
        mysql_free_result(res);
    }
    if (!c->mariadb) {
        /* MySQL tells replicas with one server id apart by their UUID. */
        if ((rc = query(c, c->b, "SET @slave_uuid = UUID(), @replica_uuid = @slave_uuid", err)))
            return rc;
    }
    if (!at->file[0] && c->spec_gtid && !c->mariadb) {
        /* MySQL: COM_BINLOG_DUMP_GTID (MySQL's client/server protocol
         * manual): flags 2 (BINLOG_THROUGH_GTID 0x04), server id 4, file
         * name length 4 + name (empty), position 8 (4), data length 4 +
         * the encoded GTID set. libmariadb has no call for it, so the
         * command goes through the connection's own command method; the
         * events are then read with mariadb_rpl_fetch as usual. */
        sl_strbuf_t pk = SL_STRBUF_INIT;
        uint8_t h[22];
        memset(h, 0, sizeof h);
        h[0] = 0x04;
        for (int i = 0; i < 4; i++) h[2 + i] = (uint8_t)(c->server_id >> (8 * i));
        /* h[6..9] file name length 0; h[10..17] position 4 */
        h[10] = 4;
        int r2 = sl_strbuf_append(&pk, h, 18) ? -SL_ENOMEM : 0;
        size_t len_at = pk.len;
        if (!r2) r2 = sl_strbuf_append(&pk, h + 18, 4) ? -SL_ENOMEM : 0;
        if (!r2) r2 = sl_bl_mysql_gtid_encode(c->spec_gtid, strlen(c->spec_gtid), &pk, err);
        if (!r2) {
            uint32_t dl = (uint32_t)(pk.len - len_at - 4);
            for (int i = 0; i < 4; i++) ((uint8_t *)pk.buf)[len_at + i] = (uint8_t)(dl >> (8 * i));
            c->rpl = mariadb_rpl_init(c->b);
            if (!c->rpl) r2 = -SL_ENOMEM;
        }
        if (!r2 && c->b->methods->db_command(c->b, (enum enum_server_command)30, pk.buf,
                                             pk.len, 1, NULL))
            r2 = sl_err_set(err, SL_EIO,
                            "mysql-cdc: cannot read the binlog of %s:%u from GTID set %s: %s",
                            c->host, c->port, c->spec_gtid, mysql_error(c->b));
        sl_strbuf_destroy(&pk);
        if (r2 == -SL_ENOMEM) return oom(err);
        if (r2) return r2;
        c->cur = *at;
        c->committed = *at;
        c->txn_rows = 0;
        c->has_pend = false;
        c->need = *at;
        c->need_pend = false;
        sl_bl_format_default(&c->fmt);
        c->fmt.checksum = checksum;
        return 0;
    }
    if (!at->file[0] && c->spec_gtid) {
        /* MariaDB: the server finds the position of the GTID state. */
        sl_strbuf_t q = SL_STRBUF_INIT;
        sl_strbuf_puts(&q, "SET @slave_connect_state = ");
        MYSQL *saved = c->q;
        c->q = c->b; /* escape with this connection */
        escape_lit(c, &q, c->spec_gtid);
        c->q = saved;
        rc = q.buf ? query(c, c->b, q.buf, err) : oom(err);
        sl_strbuf_destroy(&q);
        if (rc) return rc;
        if ((rc = query(c, c->b, "SET @slave_gtid_strict_mode = 0", err))) return rc;
    }
    c->rpl = mariadb_rpl_init(c->b);
    if (!c->rpl) return oom(err);
    mariadb_rpl_optionsv(c->rpl, MARIADB_RPL_FILENAME, at->file, strlen(at->file));
    mariadb_rpl_optionsv(c->rpl, MARIADB_RPL_START, (unsigned long)at->pos);
    mariadb_rpl_optionsv(c->rpl, MARIADB_RPL_SERVER_ID, c->server_id);
    mariadb_rpl_optionsv(c->rpl, MARIADB_RPL_FLAGS, 0);
    if (mariadb_rpl_open(c->rpl)) {
        const char *m = mariadb_rpl_error(c->rpl);
        unsigned e = mysql_errno(c->b);
        if (e == 1227 || e == 1045 || (m && strstr(m, "privilege")))
            return sl_err_set(err, SL_EIO,
                              "mysql-cdc: user '%s' may not read the binlog of %s:%u: grant "
                              "REPLICATION SLAVE (%s)",
                              c->user, c->host, c->port, m ? m : "");
        return sl_err_set(err, SL_EIO, "mysql-cdc: cannot read the binlog of %s:%u at %s:%llu: %s",
                          c->host, c->port, at->file, (unsigned long long)at->pos,
                          m && *m ? m : mysql_error(c->b));
    }
    c->cur = *at;
    c->committed = *at;
    c->txn_rows = 0;
    c->has_pend = false;
    c->need = *at;
    c->need_pend = false;
    sl_bl_format_default(&c->fmt);
    c->fmt.checksum = checksum;
    return 0;
}

static int ensure_mv(mycdc_t *c, int n, sl_err_t *err)
{
    if (n <= c->mvcap) return 0;
    sl_myval_t *v = realloc(c->mv, (size_t)n * sizeof *v);
    if (!v) return oom(err);
    c->mv = v;
    c->mvcap = n;
    return 0;
}

static captab_t *tab_by_id(mycdc_t *c, uint64_t id)
{
    for (int i = 0; i < c->ntabs; i++)
        if (c->tabs[i].has_tm && c->tabs[i].table_id == id) return &c->tabs[i];
    return NULL;
}

static int on_table_map(mycdc_t *c, const uint8_t *body, size_t len, sl_err_t *err)
{
    sl_bl_table_t tm;
    sl_arena_reset(&c->ev_arena);
    int rc = sl_bl_table_map_parse(&c->fmt, body, len, &c->ev_arena, &tm, err);
    if (rc) return rc;
    captab_t *t = NULL;
    for (int i = 0; i < c->ntabs; i++)
        if (!strcmp(c->tabs[i].db, tm.db) && !strcmp(c->tabs[i].name, tm.table)) t = &c->tabs[i];
    if (!t) {
        /* Forget a stale id a captured table had. */
        for (int i = 0; i < c->ntabs; i++)
            if (c->tabs[i].table_id == tm.table_id) c->tabs[i].has_tm = false;
        return 0;
    }
    if (t->has_tm && t->table_id == tm.table_id && t->tm.ncols == tm.ncols) return 0;
    /* A new mapping (first sight, or after DDL): keep a copy. */
    sl_arena_reset(&t->tm_arena);
    if ((rc = sl_bl_table_map_parse(&c->fmt, body, len, &t->tm_arena, &t->tm, err))) return rc;
    t->table_id = tm.table_id;
    t->has_tm = true;
    t->bmy = sl_arena_calloc(&t->tm_arena, (size_t)(tm.ncols ? tm.ncols : 1) * sizeof *t->bmy);
    if (!t->bmy) return oom(err);
    bool named = tm.ncols && t->tm.cols[0].name;
    for (int i = 0; i < tm.ncols; i++) {
        t->bmy[i] = -1;
        if (named) {
            for (int k = 0; k < t->ncols; k++)
                if (!strcmp(t->cols[k].name, t->tm.cols[i].name)) t->bmy[i] = k;
        } else if (i < t->ncols) {
            t->bmy[i] = i;
        }
    }
    /* MariaDB's pre-5.6 temporal formats (mysql56_temporal_format=OFF)
     * log TIME(n)/DATETIME(n)/TIMESTAMP(n) under the old type codes without
     * their precision: refuse rather than misread. */
    for (int i = 0; i < tm.ncols; i++) {
        int k = t->bmy[i];
        uint8_t ty = t->tm.cols[i].type;
        if (k >= 0 && (ty == SL_MYT_TIME || ty == SL_MYT_DATETIME || ty == SL_MYT_TIMESTAMP) &&
            t->cols[k].scale > 0)
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "mysql-cdc: %s.%s: column '%s' is logged in the old temporal "
                              "format without its fractional precision; set "
                              "mysql56_temporal_format=ON on the server and rebuild the table "
                              "(ALTER TABLE ... FORCE)",
                              t->db, t->name, t->cols[k].name);
    }
    /* Every Flink column must still be there. */
    for (int f = 0; f < c->nphys; f++) {
        bool found = false;
        for (int i = 0; i < tm.ncols; i++)
            if (t->bmy[i] == t->fmap[f]) found = true;
        if (!found)
            return sl_err_set(err, SL_EFORMAT,
                              "mysql-cdc: %s.%s: column '%s' is no longer in the table's binlog "
                              "rows (dropped or renamed?)",
                              t->db, t->name, c->names[f]);
    }
    return 0;
}

/* One row image of t into c->mv (indexed by the MySQL column of the
 * information schema). 1 decoded, 0 end. */
static int image(mycdc_t *c, captab_t *t, sl_bl_rows_t *r, bool after, sl_err_t *err)
{
    int nb = t->tm.ncols;
    int rc = ensure_mv(c, nb + t->ncols + 1, err);
    if (rc) return rc;
    sl_myval_t *bv = c->mv + t->ncols;
    bool hint[4096];
    bool *h = NULL;
    if (nb <= 4096) {
        for (int i = 0; i < nb; i++) hint[i] = t->bmy[i] >= 0 && t->cols[t->bmy[i]].is_unsigned;
        h = hint;
    }
    rc = sl_bl_rows_next(r, &t->tm, after, h, bv, &c->ev_arena, err);
    if (rc <= 0) return rc;
    for (int k = 0; k < t->ncols; k++) c->mv[k].kind = SL_MV_ABSENT;
    for (int i = 0; i < nb; i++) {
        int k = t->bmy[i];
        if (k < 0) continue;
        c->mv[k] = bv[i];
        if ((rc = sl_myval_labels(&c->mv[k], &t->tm.cols[i], &t->cols[k], &c->ev_arena, err)))
            return rc;
        if (c->mv[k].kind == SL_MV_BIT) c->mv[k].fsp = (uint8_t)((t->cols[k].bits + 7) / 8);
        /* BINARY(n) is stored without its trailing 0x00 padding; SELECT
         * returns all n bytes. */
        if (c->mv[k].kind == SL_MV_STRING && !strcmp(t->cols[k].data_type, "binary") &&
            c->mv[k].len < t->tm.cols[i].meta) {
            char *p = sl_arena_calloc(&c->ev_arena, t->tm.cols[i].meta);
            if (!p) return oom(err);
            memcpy(p, c->mv[k].str, c->mv[k].len);
            c->mv[k].str = p;
            c->mv[k].len = t->tm.cols[i].meta;
        }
    }
    return 1;
}

/* A change of one key: emit it, apply it to the pending chunk, or skip. */
static int change(mycdc_t *c, sl_batch_t *out, captab_t *t, int kind, int64_t op_ms,
                  sl_err_t *err)
{
    int rc = row_key(c, t, c->mv, err);
    if (rc) return rc;
    int r = route(c, t, c->kb.buf, c->kb.len);
    if (r == R_SKIP) return 0;
    if (r == R_EMIT) {
        /* Counted for positions; dropped when already out (resumed in the
         * middle of a transaction, or reconnected after part of it went
         * downstream). */
        c->txn_rows++;
        if (c->skip) {
            c->skip--;
            return 0;
        }
    }
    if ((rc = to_flink(c, t, c->mv, &c->ev_arena, err))) return rc;
    if (r == R_APPLY)
        return chunk_put(c, c->kb.buf, c->kb.len, c->row, sl_row_kind_is_add(kind), err);
    return emit(c, out, kind, t, c->row, op_ms, err);
}

static int on_rows(mycdc_t *c, sl_batch_t *out, const sl_bl_header_t *h, const uint8_t *body,
                   size_t len, sl_err_t *err)
{
    sl_bl_rows_t r;
    int rc = sl_bl_rows_parse(&c->fmt, h->type, body, len, &r, err);
    if (rc) return rc;
    captab_t *t = tab_by_id(c, r.table_id);
    if (!t) return 0;
    c->need_pend = true;
    if (c->ts_filter && (int64_t)h->timestamp * 1000 < c->ts_filter) return 0;
    int64_t op_ms = (int64_t)h->timestamp * 1000;
    c->last_event_ms = op_ms;
    if (r.ncols != (uint32_t)t->tm.ncols)
        return sl_err_set(err, SL_EFORMAT, "mysql-cdc: %s.%s: rows event with %u columns, table map has %d",
                          t->db, t->name, r.ncols, t->tm.ncols);
    for (;;) {
        if (r.kind == SL_BL_ROWS_UPDATE) {
            rc = image(c, t, &r, false, err);
            if (rc <= 0) return rc;
            /* Keep the before image's key and values. */
            if ((rc = row_key(c, t, c->mv, err))) return rc;
            size_t bk = c->kb.len;
            void *bkey = sl_arena_memdup(&c->ev_arena, c->kb.buf, bk);
            sl_myval_t *before = sl_arena_alloc(&c->ev_arena, (size_t)t->ncols * sizeof *before);
            if (!bkey || !before) return oom(err);
            memcpy(before, c->mv, (size_t)t->ncols * sizeof *before);
            rc = image(c, t, &r, true, err);
            if (rc < 0) return rc;
            if (rc == 0)
                return sl_err_set(err, SL_EFORMAT, "mysql-cdc: %s.%s: update without an after image",
                                  t->db, t->name);
            if ((rc = row_key(c, t, c->mv, err))) return rc;
            bool same = c->kb.len == bk && !memcmp(c->kb.buf, bkey, bk);
            sl_myval_t *after = sl_arena_alloc(&c->ev_arena, (size_t)t->ncols * sizeof *after);
            if (!after) return oom(err);
            memcpy(after, c->mv, (size_t)t->ncols * sizeof *after);
            memcpy(c->mv, before, (size_t)t->ncols * sizeof *before);
            if ((rc = change(c, out, t, same ? SL_UPDATE_BEFORE : SL_DELETE, op_ms, err))) return rc;
            memcpy(c->mv, after, (size_t)t->ncols * sizeof *after);
            if ((rc = change(c, out, t, same ? SL_UPDATE_AFTER : SL_INSERT, op_ms, err))) return rc;
        } else {
            rc = image(c, t, &r, false, err);
            if (rc <= 0) return rc;
            rc = change(c, out, t, r.kind == SL_BL_ROWS_WRITE ? SL_INSERT : SL_DELETE, op_ms, err);
            if (rc) return rc;
        }
    }
}

/* A statement that is not BEGIN/COMMIT: DDL. With binlog_row_metadata=FULL
 * the table maps carry column names and rows are mapped by name, so a
 * captured table's ALTER (columns added anywhere, dropped, retyped) needs
 * only a fresh mapping at the next table map. Without names (MINIMAL
 * metadata) columns map by position as the information schema showed them
 * at start, so an ALTER that moves columns needs a restart. */
static void on_ddl(mycdc_t *c, const sl_bl_query_t *q)
{
    for (int i = 0; i < c->ntabs; i++) {
        captab_t *t = &c->tabs[i];
        size_t n = strlen(t->name);
        bool hit = false;
        for (size_t k = 0; k + n <= q->sql_len && !hit; k++)
            hit = !strncasecmp(q->sql + k, t->name, n) &&
                  (k == 0 || !(isalnum((unsigned char)q->sql[k - 1]) || q->sql[k - 1] == '_')) &&
                  (k + n == q->sql_len ||
                   !(isalnum((unsigned char)q->sql[k + n]) || q->sql[k + n] == '_'));
        if (!hit) continue;
        SL_LOG_INFO("mysql-cdc: DDL at %s:%llu may concern %s.%s: %.*s", c->cur.file,
                    (unsigned long long)c->cur.pos, t->db, t->name,
                    (int)(q->sql_len > 300 ? 300 : q->sql_len), q->sql);
        /* Force a fresh column mapping with the next table map. */
        t->has_tm = false;
    }
}

/* The binlog connection broke: drop the rows of the unfinished
 * transaction from the batch, reopen the stream at the end of the last
 * whole transaction with backoff (each attempt logged), and go on; rows
 * of the transaction that went downstream in earlier batches (a
 * transaction bigger than a batch) are skipped when they come again. */
static int reconnect(mycdc_t *c, sl_batch_t *out, const char *why_in, sl_err_t *err)
{
    /* why_in may be mysql_error() of the connection closed below: a copy */
    char why[256];
    snprintf(why, sizeof why, "%s", why_in ? why_in : "?");
    if (c->in_txn) {
        int in_batch = out->nrows > c->txn_mark ? out->nrows - c->txn_mark : 0;
        /* sl_batch has no truncate: the rows past the mark are forgotten
         * by rewinding the count (their arena bytes stay until reset). */
        out->nrows -= in_batch;
        c->skip += c->txn_rows - (uint64_t)in_batch;
        c->txn_rows = 0;
    }
    SL_LOG_WARN("mysql-cdc: binlog stream from %s:%u lost at %s:%llu (%s); reconnecting from "
                "%s:%llu",
                c->host, c->port, c->cur.file, (unsigned long long)c->cur.pos, why,
                c->committed.file, (unsigned long long)c->committed.pos);
    binpos_t at = c->committed;
    int attempts = c->max_retries > 0 ? (int)c->max_retries : 1;
    if (++c->lost > attempts)
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: the binlog stream of %s:%u at %s:%llu broke %d times in a "
                          "row without delivering an event: %s",
                          c->host, c->port, at.file, (unsigned long long)at.pos, c->lost - 1, why);
    int64_t delay = 500;
    for (int a = 1; a <= attempts; a++) {
        if (c->ev) {
            mariadb_free_rpl_event(c->ev);
            c->ev = NULL;
        }
        if (c->rpl) mariadb_rpl_close(c->rpl);
        c->rpl = NULL;
        if (c->b) mysql_close(c->b);
        c->b = NULL;
        for (int64_t slept = 0; slept < delay && !atomic_load(&c->stop); slept += 100) {
            struct timespec ts = {0, 100000000L};
            nanosleep(&ts, NULL);
        }
        if (atomic_load(&c->stop)) return 0;
        sl_err_t e2;
        sl_err_clear(&e2);
        int64_t saved = c->max_retries;
        c->max_retries = 1; /* the backoff is here */
        int rc = stream_open(c, &at, &e2);
        c->max_retries = saved;
        if (rc == 0) {
            c->in_txn = false;
            SL_LOG_INFO("mysql-cdc: reconnected to %s:%u (attempt %d of %d), binlog from %s:%llu",
                        c->host, c->port, a, attempts, at.file, (unsigned long long)at.pos);
            return 0;
        }
        SL_LOG_WARN("mysql-cdc: reconnect attempt %d of %d to %s:%u failed: %s", a, attempts,
                    c->host, c->port, e2.msg);
        if (strstr(e2.msg, "purged") || strstr(e2.msg, "REPLICATION")) {
            *err = e2;
            return -SL_EIO;
        }
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
    }
    return sl_err_set(err, SL_EIO,
                      "mysql-cdc: lost the binlog stream of %s:%u at %s:%llu and could not "
                      "reconnect in %d attempts ('connect.max-retries'): %s",
                      c->host, c->port, c->committed.file, (unsigned long long)c->committed.pos,
                      attempts, why);
}

/* The stream is between transactions: the position of checkpoints moves
 * here, and the GTID of the transaction that ended joins the state. */
static int commit_point(mycdc_t *c, sl_err_t *err)
{
    c->committed = c->cur;
    c->txn_rows = 0;
    if (c->need_pend) {
        c->need = c->cur;
        c->need_pend = false;
    }
    if (c->has_pend) {
        c->has_pend = false;
        if (c->has_gtids && sl_bl_gtids_add(&c->gtids, &c->pend)) return oom(err);
    }
    return 0;
}

/* A transaction ends: rows still to skip mean the binlog is not the one
 * the position (or the stream before a reconnect) saw. */
static int txn_end(mycdc_t *c, sl_err_t *err)
{
    if (!c->skip) return 0;
    return sl_err_set(err, SL_EIO,
                      "mysql-cdc: the transaction at %s:%llu on %s:%u has %llu row(s) fewer for "
                      "the captured tables than were delivered from it before: the binlog "
                      "differs from the one the position was taken from; start the job without "
                      "the checkpoint/savepoint (a fresh state) to take a new snapshot",
                      c->committed.file, (unsigned long long)c->committed.pos, c->host, c->port,
                      (unsigned long long)c->skip);
}

/* Reads and handles one event. */
static int stream_step(mycdc_t *c, sl_batch_t *out, sl_err_t *err)
{
    c->ev = mariadb_rpl_fetch(c->rpl, c->ev);
    if (!c->ev) {
        if (atomic_load(&c->stop)) return 0;
        const char *m = mariadb_rpl_error(c->rpl);
        unsigned e = mysql_errno(c->b);
        if (!m || !*m) m = mysql_error(c->b);
        if (m && strstr(m, "same server"))
            return sl_err_set(err, SL_EIO,
                              "mysql-cdc: server-id %u is used by another replica of %s:%u "
                              "(%s): give each job and replica its own 'server-id'",
                              c->server_id, c->host, c->port, m);
        if (e == 1236)
            return sl_err_set(err, SL_EIO,
                              "mysql-cdc: %s:%u cannot send the binlog from %s:%llu: %s; the "
                              "position may have been purged: restart the job with a new "
                              "snapshot ('scan.startup.mode' = 'initial' and a fresh state)",
                              c->host, c->port, c->cur.file, (unsigned long long)c->cur.pos,
                              m && *m ? m : mysql_error(c->b));
        return reconnect(c, out, m && *m ? m : mysql_error(c->b), err);
    }
    const uint8_t *buf = c->ev->raw_data + c->ev->raw_data_ofs;
    size_t len = c->ev->raw_data_size - c->ev->raw_data_ofs;
    sl_bl_header_t h;
    int rc = sl_bl_header_parse(buf, len, &h, err);
    if (rc) return rc;
    if (h.log_pos && !(h.flags & 0x20) && h.type != SL_BL_FORMAT_DESCRIPTION &&
        h.type != SL_BL_HEARTBEAT)
        c->lost = 0; /* a real event: the stream works */
    if (h.type == SL_BL_FORMAT_DESCRIPTION) return sl_bl_format_parse(buf, len, &c->fmt, err);
    const uint8_t *body;
    size_t blen;
    if ((rc = sl_bl_body(&c->fmt, buf, len, &body, &blen, err))) return rc;
    switch (h.type) {
    case SL_BL_ROTATE: {
        sl_bl_rotate_t r;
        if ((rc = sl_bl_rotate_parse(&c->fmt, body, blen, &r, err))) return rc;
        pos_set_file(&c->cur, r.file, r.file_len);
        c->cur.pos = r.pos;
        return c->in_txn ? 0 : commit_point(c, err);
    }
    case SL_BL_TABLE_MAP:
        rc = on_table_map(c, body, blen, err);
        break;
    case SL_BL_WRITE_ROWS_V1: case SL_BL_UPDATE_ROWS_V1: case SL_BL_DELETE_ROWS_V1:
    case SL_BL_WRITE_ROWS_V2: case SL_BL_UPDATE_ROWS_V2: case SL_BL_DELETE_ROWS_V2:
    case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED_V1: case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED_V1:
    case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED_V1: case SL_BL_MARIADB_WRITE_ROWS_COMPRESSED:
    case SL_BL_MARIADB_UPDATE_ROWS_COMPRESSED: case SL_BL_MARIADB_DELETE_ROWS_COMPRESSED:
    case SL_BL_MYSQL_PARTIAL_UPDATE_ROWS:
        /* Positions compare on the event's end. */
        if (h.log_pos) c->cur.pos = h.log_pos;
        rc = on_rows(c, out, &h, body, blen, err);
        sl_arena_reset(&c->ev_arena);
        return rc;
    case SL_BL_MARIADB_GTID:
    case SL_BL_MYSQL_GTID: {
        sl_bl_gtid_t g;
        if ((rc = sl_bl_gtid_parse(&c->fmt, &h, body, blen, &g, err))) return rc;
        c->in_txn = h.type == SL_BL_MYSQL_GTID || !(g.flags & SL_BL_GTID_STANDALONE);
        c->txn_mark = out->nrows;
        /* Joins the GTID state once the transaction is whole. */
        c->pend = g;
        c->has_pend = true;
        break;
    }
    case SL_BL_MYSQL_ANONYMOUS_GTID:
        c->in_txn = true;
        c->txn_mark = out->nrows;
        break;
    case SL_BL_MYSQL_PREVIOUS_GTIDS:
        /* The GTID set before this file: the state here when the stream
         * reads the file from its start (not for an event sent ahead of
         * a position inside the file). */
        if (!c->mariadb && !c->in_txn && h.log_pos >= h.event_size &&
            h.log_pos - h.event_size == c->cur.pos) {
            sl_err_t e2;
            c->has_gtids = sl_bl_gtids_decode(&c->gtids, body, blen, &e2) == 0;
            if (!c->has_gtids) SL_LOG_DEBUG("mysql-cdc: PREVIOUS_GTIDS not read: %s", e2.msg);
        }
        break;
    case SL_BL_XID:
        if ((rc = txn_end(c, err))) return rc;
        c->in_txn = false;
        break;
    case SL_BL_QUERY: {
        sl_bl_query_t q;
        if ((rc = sl_bl_query_parse(&c->fmt, body, blen, &q, err))) return rc;
        if (q.sql_len == 5 && !strncasecmp(q.sql, "BEGIN", 5)) {
            if (!c->in_txn) c->txn_mark = out->nrows;
            c->in_txn = true;
        } else {
            /* COMMIT, or DDL (which commits implicitly). */
            if (!(q.sql_len == 6 && !strncasecmp(q.sql, "COMMIT", 6))) on_ddl(c, &q);
            if ((rc = txn_end(c, err))) return rc;
            c->in_txn = false;
        }
        break;
    }
    default:
        break;
    }
    if (rc) return rc;
    if (h.log_pos && !(h.flags & 0x20 /* artificial */)) c->cur.pos = h.log_pos;
    return c->in_txn ? 0 : commit_point(c, err);
}

/* ---- snapshot ---- */

static bool numeric_type(const sl_mycol_t *col)
{
    static const char *const t[] = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint",
                                    "decimal", "numeric", "float", "double", "real", "year", NULL};
    for (int i = 0; t[i]; i++)
        if (!strcmp(col->data_type, t[i])) return true;
    return false;
}

static void lit(mycdc_t *c, const sl_mycol_t *col, const char *v, size_t n)
{
    if (numeric_type(col)) {
        sl_strbuf_append(&c->sql, v, n);
    } else if (col->binary || !strcmp(col->data_type, "bit")) {
        sl_strbuf_puts(&c->sql, "X'");
        for (size_t i = 0; i < n; i++) sl_strbuf_printf(&c->sql, "%02X", (unsigned char)v[i]);
        sl_strbuf_putc(&c->sql, '\'');
    } else {
        char *tmp = malloc(2 * n + 1);
        if (!tmp) return;
        mysql_real_escape_string(c->q, tmp, v, (unsigned long)n);
        sl_strbuf_printf(&c->sql, "'%s'", tmp);
        free(tmp);
    }
}

static void ident(sl_strbuf_t *sb, const char *s)
{
    sl_strbuf_putc(sb, '`');
    for (; *s; s++) {
        if (*s == '`') sl_strbuf_putc(sb, '`');
        sl_strbuf_putc(sb, *s);
    }
    sl_strbuf_putc(sb, '`');
}

static int build_chunk_sql(mycdc_t *c, captab_t *t)
{
    sl_strbuf_t *s = &c->sql;
    sl_strbuf_clear(s);
    sl_strbuf_puts(s, "SELECT ");
    for (int i = 0; i < t->ncols; i++) {
        if (i) sl_strbuf_puts(s, ", ");
        /* FLOAT as DOUBLE: the text of a FLOAT is rounded to 6 digits,
         * the double widening is exact (as the binlog's value). */
        if (!strcmp(t->cols[i].data_type, "float")) {
            sl_strbuf_putc(s, '(');
            ident(s, t->cols[i].name);
            sl_strbuf_puts(s, " + 0e0)");
        } else {
            ident(s, t->cols[i].name);
        }
    }
    sl_strbuf_puts(s, " FROM ");
    ident(s, t->db);
    sl_strbuf_putc(s, '.');
    ident(s, t->name);
    if (t->has_last) {
        /* (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... */
        sl_strbuf_puts(s, " WHERE ");
        for (int i = 0; i < t->npk; i++) {
            sl_strbuf_puts(s, i ? " OR (" : "(");
            for (int j = 0; j <= i; j++) {
                const sl_mycol_t *col = &t->cols[t->pk[j]];
                if (j) sl_strbuf_puts(s, " AND ");
                ident(s, col->name);
                sl_strbuf_puts(s, j < i ? " = " : " > ");
                lit(c, col, t->last[j], t->lastlen[j]);
            }
            sl_strbuf_putc(s, ')');
        }
    }
    sl_strbuf_puts(s, " ORDER BY ");
    for (int i = 0; i < t->npk; i++) {
        if (i) sl_strbuf_puts(s, ", ");
        ident(s, t->cols[t->pk[i]].name);
    }
    sl_strbuf_printf(s, " LIMIT %lld", (long long)c->chunk_size);
    return s->buf ? 0 : -1;
}

/* START TRANSACTION WITH CONSISTENT SNAPSHOT and the binlog position it
 * corresponds to (MariaDB's Binlog_snapshot_file/_position: the end of the
 * last transaction the view sees, taken in commit order). 0 with *sp set;
 * 1 when the server does not tell (MySQL: c->no_snapshot_pos is set and
 * the transaction committed); <0 on errors. */
static int open_view(mycdc_t *c, binpos_t *sp, sl_err_t *err)
{
    int rc = query(c, c->q, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", err);
    if (rc) return rc;
    if ((rc = query(c, c->q, "SHOW STATUS LIKE 'binlog_snapshot_%'", err))) return rc;
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading the snapshot's binlog position", err);
    memset(sp, 0, sizeof *sp);
    int have = 0;
    MYSQL_ROW r;
    while ((r = mysql_fetch_row(res))) {
        if (!r[0] || !r[1]) continue;
        if (!strcasecmp(r[0], "Binlog_snapshot_file") && r[1][0]) {
            pos_set_file(sp, r[1], strlen(r[1]));
            have |= 1;
        } else if (!strcasecmp(r[0], "Binlog_snapshot_position")) {
            sp->pos = strtoull(r[1], NULL, 10);
            have |= 2;
        }
    }
    mysql_free_result(res);
    if (have == 3) return 0;
    c->no_snapshot_pos = true;
    rc = query(c, c->q, "COMMIT", err);
    return rc ? rc : 1;
}

/* Opens the read view of a chunk's SELECT so that it sees every
 * transaction on the captured tables the stream has read (c->need: the
 * end of the last one). The server writes a transaction to the binlog
 * (and may send it to the stream) before its storage engine commit makes
 * it visible; a change the stream routed as "not read yet" for a key of
 * this chunk, still invisible to the SELECT, would be lost. The view is
 * taken again until its binlog position reaches c->need (microseconds:
 * the commit is under way). Servers that do not tell a view's position
 * (MySQL) read without the check - a documented limitation: a commit
 * slower than a chunk's window can be missed there. */
static int chunk_view(mycdc_t *c, sl_err_t *err)
{
    if (c->no_snapshot_pos) return 0;
    for (int attempt = 0;; attempt++) {
        binpos_t sp;
        int rc = open_view(c, &sp, err);
        if (rc) return rc < 0 ? rc : 0;
        if (pos_cmp(&sp, &c->need) >= 0) return 0;
        if ((rc = query(c, c->q, "COMMIT", err))) return rc;
        c->view_waits++;
        if (attempt >= 10000)
            return sl_err_set(err, SL_EIO,
                              "mysql-cdc: %s:%u: the transaction ending at binlog %s:%llu did "
                              "not become visible to a snapshot (it stays at %s:%llu)",
                              c->host, c->port, c->need.file, (unsigned long long)c->need.pos,
                              sp.file, (unsigned long long)sp.pos);
        if (atomic_load(&c->stop)) return sl_err_set(err, SL_EIO, "stopped");
        struct timespec ts = {0, attempt < 10 ? 20000L : 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Reads one chunk of table t into the chunk buffer and appends its chunk
 * (pending). */
static int read_chunk(mycdc_t *c, captab_t *t, sl_err_t *err)
{
    if (build_chunk_sql(c, t)) return oom(err);
    int rc = chunk_view(c, err);
    if (rc) return rc;
    if ((rc = query(c, c->q, sl_strbuf_cstr(&c->sql), err))) return rc;
    MYSQL_RES *res = mysql_use_result(c->q);
    if (!res) return my_fail(c, c->q, "reading a snapshot chunk", err);
    if ((rc = ensure_mv(c, t->ncols + 1, err))) {
        mysql_free_result(res);
        return rc;
    }
    int64_t n = 0;
    MYSQL_ROW r;
    unsigned long *lens;
    while ((r = mysql_fetch_row(res))) {
        lens = mysql_fetch_lengths(res);
        for (int k = 0; k < t->ncols && !rc; k++) {
            if (!r[k]) {
                memset(&c->mv[k], 0, sizeof c->mv[k]);
                c->mv[k].kind = SL_MV_NULL;
            } else {
                rc = sl_myval_from_text(&t->cols[k], r[k], lens[k], &c->mv[k], err);
            }
        }
        if (!rc) rc = row_key(c, t, c->mv, err);
        if (!rc) rc = to_flink(c, t, c->mv, &c->chunk_arena, err);
        if (!rc) rc = chunk_append(c, c->kb.buf, c->kb.len, c->row, err);
        if (rc) break;
        n++;
        /* The last row's key text, for the next chunk's WHERE. */
        for (int j = 0; j < t->npk; j++) {
            int k = t->pk[j];
            char *cp = realloc(t->last[j], lens[k] + 1);
            if (!cp) {
                rc = oom(err);
                break;
            }
            memcpy(cp, r[k], lens[k]);
            cp[lens[k]] = '\0';
            t->last[j] = cp;
            t->lastlen[j] = lens[k];
        }
        if (rc) break;
    }
    if (!rc && mysql_errno(c->q)) rc = my_fail(c, c->q, "reading a snapshot chunk", err);
    mysql_free_result(res);
    /* (the read-only transaction ends with the next chunk's START
     * TRANSACTION, or the snapshot's end: one round trip less) */
    if (rc) return rc;
    if (t->nchunks == t->capchunks) {
        int cap = t->capchunks ? 2 * t->capchunks : 16;
        chunk_t *v = realloc(t->chunks, (size_t)cap * sizeof *v);
        if (!v) return oom(err);
        t->chunks = v;
        t->capchunks = cap;
    }
    chunk_t *ch = &t->chunks[t->nchunks++];
    memset(ch, 0, sizeof *ch);
    ch->pending = true;
    if (n < c->chunk_size) {
        ch->inf = true;
    } else {
        ch->hi = malloc(c->kb.len ? c->kb.len : 1);
        if (!ch->hi) return oom(err);
        memcpy(ch->hi, c->kb.buf, c->kb.len);
        ch->hilen = c->kb.len;
        t->has_last = true;
    }
    t->rows_read += (uint64_t)n;
    t->state = 1;
    return 0;
}

static void chunk_reset(mycdc_t *c)
{
    if (c->indexed) sl_hmap_clear(&c->chunk_map);
    c->indexed = false;
    sl_arena_reset(&c->chunk_arena);
    c->first = c->last_ent = NULL;
    c->pending_tab = -1;
}

static int copy_texts(char **dst, size_t *dlen, char *const *src, const size_t *slen, int n);

/* Emits the reconciled chunk and closes it at high. */
static int finish_chunk(mycdc_t *c, sl_batch_t *out, const binpos_t *high, sl_err_t *err)
{
    captab_t *t = &c->tabs[c->pending_tab];
    for (rowent_t *e = c->first; e; e = e->next)
        if (e->present) {
            int rc = emit(c, out, SL_INSERT, t, e->vals, 0, err);
            if (rc) return rc;
        }
    chunk_t *ch = &t->chunks[t->nchunks - 1];
    ch->pending = false;
    ch->high = *high;
    /* The rows are out: positions from now on cover the chunk. */
    c->pos_tail_ok = false;
    t->fin_rows = t->rows_read;
    t->fin_chunks = t->nchunks;
    if (ch->inf) {
        t->fin_state = 2;
    } else {
        t->fin_state = 1;
        if (copy_texts(t->fin_last, t->fin_lastlen, t->last, t->lastlen, t->npk)) return oom(err);
    }
    if (ch->inf) {
        t->state = 2;
        t->max_high = *high;
        SL_LOG_INFO("mysql-cdc: snapshot of %s.%s done: %llu rows in %d chunks", t->db, t->name,
                    (unsigned long long)t->rows_read, t->chunks_base + t->nchunks);
    } else if (t->nchunks % 50 == 0) {
        uint64_t total = t->est_rows / (uint64_t)c->chunk_size + 1;
        SL_LOG_INFO("mysql-cdc: snapshot of %s.%s: %d chunks of about %llu, %llu rows read "
                    "(estimate %llu)",
                    t->db, t->name, t->nchunks, (unsigned long long)total,
                    (unsigned long long)t->rows_read, (unsigned long long)t->est_rows);
    }
    chunk_reset(c);
    return 0;
}

/* One snapshot step: a chunk read, reconciled and emitted. */
static int snapshot_step(mycdc_t *c, sl_batch_t *out, sl_err_t *err)
{
    while (c->cur_tab < c->ntabs && c->tabs[c->cur_tab].state == 2) c->cur_tab++;
    if (c->cur_tab >= c->ntabs) {
        c->snapshot_done = true;
        if (!c->no_snapshot_pos) {
            int rc = query(c, c->q, "COMMIT", err); /* the last chunk's read view */
            if (rc) return rc;
        }
        if (c->view_waits)
            SL_LOG_INFO("mysql-cdc: %lld chunk read(s) waited for transactions of the binlog to "
                        "become visible",
                        (long long)c->view_waits);
        if (c->mode == MODE_SNAPSHOT)
            SL_LOG_INFO("mysql-cdc: snapshot of %d table(s) done; the source ends "
                        "('scan.startup.mode' = 'snapshot')",
                        c->ntabs);
        else
            SL_LOG_INFO("mysql-cdc: snapshot of %d table(s) done; reading the binlog from %s:%llu",
                        c->ntabs, c->cur.file, (unsigned long long)c->cur.pos);
        return 0;
    }
    captab_t *t = &c->tabs[c->cur_tab];
    c->pending_tab = c->cur_tab;
    int rc = read_chunk(c, t, err);
    if (rc) return rc;
    binpos_t high;
    if ((rc = master_status(c, &high, NULL, NULL, err))) return rc;
    /* H is between transactions; the window also ends between two, so
     * that a batch never ends inside one during the snapshot. */
    while (pos_cmp(&c->cur, &high) < 0 || c->in_txn) {
        if (atomic_load(&c->stop)) return 0;
        if ((rc = stream_step(c, out, err))) return rc;
    }
    binpos_t end = c->cur; /* H, or the end of the transaction open at H */
    return finish_chunk(c, out, &end, err);
}

/* domain-server-sequence[,...] */
static bool mariadb_gtid_list(const char *p)
{
    bool ok = *p != '\0';
    while (ok && *p) {
        for (int part = 0; part < 3 && ok; part++) {
            while (*p == ' ') p++;
            if (!isdigit((unsigned char)*p)) ok = false;
            while (isdigit((unsigned char)*p)) p++;
            if (part < 2 && ok) ok = *p++ == '-';
        }
        while (*p == ' ') p++;
        if (ok && *p == ',') p++;
        else if (*p) ok = false;
    }
    return ok;
}

/* ---- positions (checkpoints) ----
 *
 * position() describes the changelog delivered so far; see the file
 * header for the format and why resuming from it is exact. */

#define POS_MAGIC "mysql-cdc-position"
#define POS_VERSION 1

/* A quoted string: printable ASCII as is but '"' and '\' escaped, every
 * other byte as \xNN. */
static int put_q(sl_strbuf_t *sb, const char *s, size_t n)
{
    if (sl_strbuf_putc(sb, ' ') || sl_strbuf_putc(sb, '"')) return -SL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int rc;
        if (ch == '"' || ch == '\\') rc = sl_strbuf_putc(sb, '\\') || sl_strbuf_putc(sb, (char)ch);
        else if (ch < 0x20 || ch >= 0x7f) rc = sl_strbuf_printf(sb, "\\x%02x", ch);
        else rc = sl_strbuf_putc(sb, (char)ch);
        if (rc) return -SL_ENOMEM;
    }
    return sl_strbuf_putc(sb, '"') ? -SL_ENOMEM : 0;
}

static int put_qs(sl_strbuf_t *sb, const char *s)
{
    return put_q(sb, s ? s : "", s ? strlen(s) : 0);
}

/* True while some table has rows the snapshot has not emitted. */
static bool pos_snapshotting(const mycdc_t *c)
{
    for (int i = 0; i < c->ntabs; i++)
        if (c->tabs[i].fin_state != 2) return true;
    return false;
}

/* The part of a position after the binlog and GTID lines: what changes
 * only when a chunk finishes (cached in c->pos_tail, rebuilt when
 * c->pos_tail_ok is cleared), so that a position per batch costs little
 * even with many tables. */
static int pos_tail(mycdc_t *c, sl_strbuf_t *out)
{
#define P(x) do { if (x) return -SL_ENOMEM; } while (0)
    P(sl_strbuf_printf(out, "server-id %u\n", c->srv_id));
    if (c->srv_uuid) {
        P(sl_strbuf_puts(out, "server-uuid"));
        P(put_qs(out, c->srv_uuid));
        P(sl_strbuf_putc(out, '\n'));
    }
    P(sl_strbuf_puts(out, "time-zone"));
    P(put_qs(out, c->tz));
    P(sl_strbuf_puts(out, "\ndatabase-name"));
    P(put_qs(out, c->dbre_text));
    P(sl_strbuf_puts(out, "\ntable-name"));
    P(put_qs(out, c->tbre_text));
    P(sl_strbuf_puts(out, "\nchunk-key"));
    P(put_qs(out, c->chunk_key));
    P(sl_strbuf_printf(out, "\ntimestamp-filter %lld\ntables %d\n", (long long)c->ts_filter,
                       c->ntabs));
    for (int i = 0; i < c->ntabs; i++) {
        const captab_t *t = &c->tabs[i];
        P(sl_strbuf_puts(out, "table"));
        P(put_qs(out, t->db));
        P(put_qs(out, t->name));
        P(sl_strbuf_printf(out, " %d %d %llu %d", t->fin_state, t->chunks_base + t->fin_chunks,
                           (unsigned long long)t->fin_rows, t->npk));
        for (int k = 0; k < t->npk; k++) P(put_qs(out, t->cols[t->pk[k]].name));
        if (t->fin_state == 1)
            for (int k = 0; k < t->npk; k++) P(put_q(out, t->fin_last[k], t->fin_lastlen[k]));
        P(sl_strbuf_putc(out, '\n'));
    }
    P(sl_strbuf_puts(out, "end\n"));
    return 0;
}

/* Appends the position after the rows delivered so far. */
static int pos_encode(mycdc_t *c, sl_strbuf_t *out)
{
    bool snap = pos_snapshotting(c);
    P(sl_strbuf_printf(out, POS_MAGIC " %d\nphase %s\nbinlog", POS_VERSION,
                       snap ? "snapshot" : "binlog"));
    P(put_qs(out, c->committed.file));
    /* Rows of the open transaction already out: those passed in this run
     * (txn_rows counts emitted and dropped ones) and those still to drop
     * (skip: out before a restore or reconnect, not yet read again), so a
     * position taken before the transaction is read again keeps them. */
    P(sl_strbuf_printf(out, " %llu %llu\n", (unsigned long long)c->committed.pos,
                       (unsigned long long)(c->txn_rows + c->skip)));
    if (c->has_gtids) {
        sl_strbuf_clear(&c->gtidbuf);
        P(sl_bl_gtids_format(&c->gtids, &c->gtidbuf));
        P(sl_strbuf_printf(out, "gtid %s", c->gtids.mariadb ? "mariadb" : "mysql"));
        P(put_q(out, sl_strbuf_cstr(&c->gtidbuf), c->gtidbuf.len));
        P(sl_strbuf_putc(out, '\n'));
    }
    if (!c->pos_tail_ok) {
        sl_strbuf_clear(&c->pos_tail);
        P(pos_tail(c, &c->pos_tail));
        c->pos_tail_ok = true;
    }
    P(sl_strbuf_append(out, c->pos_tail.buf, c->pos_tail.len));
    return 0;
#undef P
}

static void rpos_free(rpos_t *rp)
{
    if (!rp) return;
    for (int i = 0; i < rp->ntabs; i++) {
        rtab_t *t = &rp->tabs[i];
        for (int k = 0; k < t->npk; k++) {
            if (t->pkcols) free(t->pkcols[k]);
            if (t->key) free(t->key[k]);
        }
        free(t->pkcols);
        free(t->key);
        free(t->keylen);
        free(t->db);
        free(t->name);
    }
    free(rp->tabs);
    free(rp->gtid);
    free(rp->server_uuid);
    free(rp->tz);
    free(rp->dbre);
    free(rp->tbre);
    free(rp->chunk_key);
    free(rp);
}

/* The position's reader: one token at a time, every read bounds-checked. */
typedef struct prd {
    const char *p, *end;
    int line;
    bool oom;
} prd_t;

/* " " then a bare word (no blank, quote or newline) into buf. */
static bool rd_word(prd_t *r, bool lead, char *buf, size_t cap)
{
    if (lead) {
        if (r->p >= r->end || *r->p != ' ') return false;
        r->p++;
    }
    size_t n = 0;
    while (r->p < r->end && *r->p != ' ' && *r->p != '\n' && *r->p != '"') {
        if (n + 1 >= cap) return false;
        buf[n++] = *r->p++;
    }
    buf[n] = '\0';
    return n > 0;
}

static bool rd_u64(prd_t *r, uint64_t *v)
{
    char w[24];
    if (!rd_word(r, true, w, sizeof w)) return false;
    uint64_t x = 0;
    for (const char *s = w; *s; s++) {
        if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10) return false;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = x;
    return true;
}

static bool rd_int(prd_t *r, int64_t lo, int64_t hi, int64_t *v)
{
    uint64_t x;
    if (!rd_u64(r, &x) || x > (uint64_t)hi || (int64_t)x < lo) return false;
    *v = (int64_t)x;
    return true;
}

static int hexdig(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* " " then a quoted string, unescaped into a new NUL-terminated copy. */
static bool rd_str(prd_t *r, char **out, size_t *len)
{
    if (r->end - r->p < 2 || r->p[0] != ' ' || r->p[1] != '"') return false;
    r->p += 2;
    sl_strbuf_t sb = SL_STRBUF_INIT;
    bool ok = false;
    while (r->p < r->end && *r->p != '\n') {
        char ch = *r->p++;
        if (ch == '"') {
            ok = true;
            break;
        }
        if (ch == '\\') {
            if (r->p >= r->end) break;
            char e = *r->p++;
            if (e == 'x') {
                if (r->end - r->p < 2) break;
                int a = hexdig((unsigned char)r->p[0]), b = hexdig((unsigned char)r->p[1]);
                if (a < 0 || b < 0) break;
                ch = (char)(a << 4 | b);
                r->p += 2;
            } else if (e == '"' || e == '\\') {
                ch = e;
            } else {
                break;
            }
        }
        if (sl_strbuf_putc(&sb, ch)) {
            r->oom = true;
            break;
        }
    }
    char *cp = ok ? malloc(sb.len + 1) : NULL;
    if (ok && !cp) r->oom = true;
    if (cp) {
        if (sb.len) memcpy(cp, sb.buf, sb.len);
        cp[sb.len] = '\0';
        if (len) *len = sb.len;
        *out = cp;
    }
    sl_strbuf_destroy(&sb);
    return cp != NULL;
}

static bool rd_eol(prd_t *r)
{
    if (r->p >= r->end || *r->p != '\n') return false;
    r->p++;
    r->line++;
    return true;
}

/* Decodes a position (bytes of pos_encode) into rp (fields allocated).
 * Checks its form only; what it must agree with is checked by
 * pos_check_options (options) and restore_start (the server). */
static int pos_decode(const void *buf, size_t len, rpos_t *rp, sl_err_t *err)
{
    prd_t r = {(const char *)buf, (const char *)buf + len, 1, false};
    char key[32], w[32];
    int64_t version = 0, v = 0;
    bool have_phase = false, have_binlog = false, have_tables = false, ended = false;
    bool have_tz = false, have_db = false, have_tb = false, have_ck = false;
    if (!rd_word(&r, false, key, sizeof key) || strcmp(key, POS_MAGIC)) {
        char head[24];
        size_t n = len < 20 ? len : 20;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = ((const unsigned char *)buf)[i];
            head[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
        }
        head[n] = '\0';
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: the position to resume from is not a mysql-cdc position "
                          "(%zu bytes starting \"%s\"): was it taken from another source?",
                          len, head);
    }
    if (!rd_int(&r, 1, 1000000, &version) || !rd_eol(&r)) goto bad;
    if (version > POS_VERSION)
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: the position to resume from has version %lld, written by "
                          "a newer sluice (this one reads version %d): resume with that version",
                          (long long)version, POS_VERSION);
    while (!ended) {
        if (!rd_word(&r, false, key, sizeof key)) goto bad;
        if (!strcmp(key, "phase")) {
            if (!rd_word(&r, true, w, sizeof w)) goto bad;
            if (!strcmp(w, "snapshot")) rp->snapshot = true;
            else if (strcmp(w, "binlog")) goto bad;
            have_phase = true;
        } else if (!strcmp(key, "binlog")) {
            char *f = NULL;
            size_t fl = 0;
            uint64_t pos, skip;
            if (!rd_str(&r, &f, &fl)) goto bad;
            pos_set_file(&rp->at, f, fl);
            free(f);
            if (fl >= sizeof rp->at.file || !rd_u64(&r, &pos) || !rd_u64(&r, &skip)) goto bad;
            rp->at.pos = pos;
            rp->skip = skip;
            have_binlog = true;
        } else if (!strcmp(key, "gtid")) {
            if (rp->gtid || !rd_word(&r, true, w, sizeof w)) goto bad;
            rp->gtid_mariadb = !strcmp(w, "mariadb");
            if (!rp->gtid_mariadb && strcmp(w, "mysql")) goto bad;
            if (!rd_str(&r, &rp->gtid, NULL)) goto bad;
            rp->has_gtid = true;
        } else if (!strcmp(key, "server-id")) {
            if (!rd_int(&r, 0, UINT32_MAX, &v)) goto bad;
            rp->server_id = (uint32_t)v;
            rp->has_server_id = true;
        } else if (!strcmp(key, "server-uuid")) {
            if (rp->server_uuid || !rd_str(&r, &rp->server_uuid, NULL)) goto bad;
        } else if (!strcmp(key, "time-zone")) {
            if (have_tz || !rd_str(&r, &rp->tz, NULL)) goto bad;
            have_tz = true;
        } else if (!strcmp(key, "database-name")) {
            if (have_db || !rd_str(&r, &rp->dbre, NULL)) goto bad;
            have_db = true;
        } else if (!strcmp(key, "table-name")) {
            if (have_tb || !rd_str(&r, &rp->tbre, NULL)) goto bad;
            have_tb = true;
        } else if (!strcmp(key, "chunk-key")) {
            if (have_ck || !rd_str(&r, &rp->chunk_key, NULL)) goto bad;
            have_ck = true;
        } else if (!strcmp(key, "timestamp-filter")) {
            if (!rd_int(&r, 0, INT64_MAX, &rp->ts_filter)) goto bad;
        } else if (!strcmp(key, "tables")) {
            if (have_tables || !rd_int(&r, 1, 1000000, &v) || !rd_eol(&r)) goto bad;
            have_tables = true;
            rp->tabs = calloc((size_t)v, sizeof *rp->tabs);
            if (!rp->tabs) return oom(err);
            for (int i = 0; i < v; i++) {
                rtab_t *t = &rp->tabs[i];
                int64_t st, npk;
                if (!rd_word(&r, false, key, sizeof key) || strcmp(key, "table")) goto bad;
                rp->ntabs++;
                if (!rd_str(&r, &t->db, NULL) || !rd_str(&r, &t->name, NULL) ||
                    !rd_int(&r, 0, 2, &st) || !rd_int(&r, 0, INT32_MAX, &t->chunks) ||
                    !rd_int(&r, 0, INT64_MAX, &t->rows) || !rd_int(&r, 1, 4096, &npk))
                    goto bad;
                t->state = (int)st;
                t->pkcols = calloc((size_t)npk, sizeof *t->pkcols);
                t->key = calloc((size_t)npk, sizeof *t->key);
                t->keylen = calloc((size_t)npk, sizeof *t->keylen);
                if (!t->pkcols || !t->key || !t->keylen) return oom(err);
                t->npk = (int)npk;
                for (int k = 0; k < t->npk; k++)
                    if (!rd_str(&r, &t->pkcols[k], NULL)) goto bad;
                if (t->state == 1)
                    for (int k = 0; k < t->npk; k++)
                        if (!rd_str(&r, &t->key[k], &t->keylen[k])) goto bad;
                if (!rd_eol(&r)) goto bad;
            }
            continue;
        } else if (!strcmp(key, "end")) {
            ended = true;
        } else {
            goto bad;
        }
        if (!rd_eol(&r)) goto bad;
    }
    if (r.p != r.end) goto bad;
    if (!have_phase || !have_binlog || !have_tables || !have_tz || !have_db || !have_tb ||
        !have_ck || !rp->has_server_id) {
        r.line = 0;
        goto bad;
    }
    return 0;
bad:
    if (r.oom) return oom(err);
    if (r.line == 0)
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: the position to resume from is not valid: a field is "
                          "missing");
    return sl_err_set(err, SL_EINVAL,
                      "mysql-cdc: the position to resume from is not valid (line %d is "
                      "malformed or truncated)",
                      r.line);
}

/* What the position says against the table's options. */
static int pos_check_options(mycdc_t *c, const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const rpos_t *rp = c->rp;
    const char *what = NULL, *was = NULL, *now = NULL;
    if (strcmp(rp->dbre, c->dbre_text)) what = "database-name", was = rp->dbre, now = c->dbre_text;
    else if (strcmp(rp->tbre, c->tbre_text)) what = "table-name", was = rp->tbre, now = c->tbre_text;
    else if (strcmp(rp->tz, c->tz))
        what = "server-time-zone", was = rp->tz, now = c->tz;
    else if (rp->snapshot && strcmp(rp->chunk_key, c->chunk_key ? c->chunk_key : ""))
        what = "scan.incremental.snapshot.chunk.key-column", was = rp->chunk_key,
        now = c->chunk_key ? c->chunk_key : "";
    if (what)
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: table '%s' cannot resume from the position of the "
                          "checkpoint or savepoint: it was taken with '%s' = '%s', the table "
                          "now has '%s'; restore with the options it was taken with, or start "
                          "the job without the checkpoint/savepoint (a fresh state) to take a "
                          "new snapshot",
                          ctx->table, what, was, now);
    const sl_optval_t *mode = sl_options_get(ctx->opts, "scan.startup.mode");
    SL_LOG_INFO("mysql-cdc: table '%s' resumes from the position of the checkpoint or savepoint "
                "(%s phase, binlog %s:%llu, %llu row(s) of the transaction there already out); "
                "'scan.startup.mode' ('%s') and its options are ignored",
                ctx->table, rp->snapshot ? "snapshot" : "binlog", rp->at.file,
                (unsigned long long)rp->at.pos, (unsigned long long)rp->skip,
                mode ? mode->text : "initial");
    return 0;
}

/* The order-preserving key of key column texts (as a chunk's SELECT
 * returned them) into c->kb. */
static int key_from_texts(mycdc_t *c, const captab_t *t, char *const *txt, const size_t *len,
                          sl_err_t *err)
{
    int rc = ensure_mv(c, t->ncols + 1, err);
    if (rc) return rc;
    sl_strbuf_clear(&c->kb);
    for (int j = 0; j < t->npk; j++) {
        const sl_mycol_t *col = &t->cols[t->pk[j]];
        sl_myval_t v;
        memset(&v, 0, sizeof v);
        if ((rc = sl_myval_from_text(col, txt[j], len[j], &v, err))) return rc;
        if ((rc = key_part(c, col, &v, &c->kb, err))) return rc;
    }
    if (!c->kb.buf && sl_strbuf_reserve(&c->kb, 1)) return oom(err);
    return 0;
}

/* Copies n key texts (src may equal neither dst). */
static int copy_texts(char **dst, size_t *dlen, char *const *src, const size_t *slen, int n)
{
    for (int j = 0; j < n; j++) {
        char *cp = realloc(dst[j], slen[j] + 1);
        if (!cp) return -SL_ENOMEM;
        memcpy(cp, src[j], slen[j]);
        cp[slen[j]] = '\0';
        dst[j] = cp;
        dlen[j] = slen[j];
    }
    return 0;
}

/* The binlog file of the position must still be on the server, and hold
 * the position: a clear error otherwise (purged, reset, another server). */
static int check_binlog_file(mycdc_t *c, sl_err_t *err)
{
    const rpos_t *rp = c->rp;
    int rc = query(c, c->q, "SHOW BINARY LOGS", err);
    if (rc) return rc;
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "listing binary logs", err);
    char first[128] = "", last[128] = "";
    bool found = false;
    uint64_t size = 0;
    MYSQL_ROW r;
    while ((r = mysql_fetch_row(res))) {
        if (!r[0]) continue;
        if (!first[0]) snprintf(first, sizeof first, "%s", r[0]);
        snprintf(last, sizeof last, "%s", r[0]);
        if (!strcmp(r[0], rp->at.file)) {
            found = true;
            size = r[1] ? strtoull(r[1], NULL, 10) : 0;
        }
    }
    mysql_free_result(res);
    if (!found)
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: cannot resume table '%s' at binlog position %s:%llu of the "
                          "checkpoint or savepoint: %s:%u no longer has the binlog file %s "
                          "(purged? its binlog files are %s to %s), so the changes since that "
                          "position are gone; start the job without the checkpoint/savepoint (a "
                          "fresh state) to take a new snapshot ('scan.startup.mode' = 'initial')",
                          c->table_label, rp->at.file, (unsigned long long)rp->at.pos, c->host,
                          c->port, rp->at.file, first[0] ? first : "-", last[0] ? last : "-");
    if (size && rp->at.pos > size)
        return sl_err_set(err, SL_EIO,
                          "mysql-cdc: cannot resume table '%s' at binlog position %s:%llu of the "
                          "checkpoint or savepoint: %s on %s:%u has only %llu bytes (the binlog "
                          "was reset, or this is another server); start the job without the "
                          "checkpoint/savepoint (a fresh state) to take a new snapshot",
                          c->table_label, rp->at.file, (unsigned long long)rp->at.pos,
                          rp->at.file, c->host, c->port, (unsigned long long)size);
    if (!rp->has_gtid || !rp->gtid[0]) return 0;
    /* The GTID state there must be the one the position recorded. */
    sl_strbuf_clear(&c->sql);
    if (c->mariadb) {
        sl_strbuf_puts(&c->sql, "SELECT BINLOG_GTID_POS(");
        escape_lit(c, &c->sql, rp->at.file);
        sl_strbuf_printf(&c->sql, ", %llu)", (unsigned long long)rp->at.pos);
    } else {
        sl_strbuf_puts(&c->sql, "SELECT GTID_SUBSET(");
        escape_lit(c, &c->sql, rp->gtid);
        sl_strbuf_puts(&c->sql, ", @@GLOBAL.gtid_executed)");
    }
    if (!c->sql.buf) return oom(err);
    if ((rc = query(c, c->q, c->sql.buf, err))) return rc;
    res = mysql_store_result(c->q);
    if (!res) return my_fail(c, c->q, "reading the GTID state", err);
    r = mysql_fetch_row(res);
    char *got = r && r[0] ? strdup(r[0]) : NULL;
    bool null = !r || !r[0];
    mysql_free_result(res);
    if (!null && !got) return oom(err);
    bool same = false;
    if (!c->mariadb) {
        same = got && !strcmp(got, "1");
    } else if (got) {
        sl_bl_gtids_t a, b;
        sl_bl_gtids_init(&a, true);
        sl_bl_gtids_init(&b, true);
        sl_err_t e2;
        same = !sl_bl_gtids_parse(&a, got, strlen(got), &e2) &&
               !sl_bl_gtids_parse(&b, rp->gtid, strlen(rp->gtid), &e2) && sl_bl_gtids_equal(&a, &b);
        sl_bl_gtids_free(&a);
        sl_bl_gtids_free(&b);
    }
    if (!same) {
        char says[300];
        if (!c->mariadb) snprintf(says, sizeof says, "has not executed all of it");
        else if (null) snprintf(says, sizeof says, "has no event boundary there");
        else snprintf(says, sizeof says, "has '%.200s' there", got);
        rc = sl_err_set(err, SL_EIO,
                        "mysql-cdc: cannot resume table '%s' at binlog position %s:%llu of the "
                        "checkpoint or savepoint: the GTID state there was '%s', but %s:%u %s "
                        "(the binlog was reset or rewritten, or this is another server); start "
                        "the job without the checkpoint/savepoint (a fresh state) to take a new "
                        "snapshot",
                        c->table_label, rp->at.file, (unsigned long long)rp->at.pos, rp->gtid,
                        c->host, c->port, says);
    }
    free(got);
    return rc;
}

/* Applies the position to resume from: the server must be the one it was
 * taken on, with the same tables and its binlog still there; finished
 * tables are not read again, the table in progress continues after the
 * stored boundary, and the stream starts where the position says. */
static int restore_start(mycdc_t *c, binpos_t *at, sl_err_t *err)
{
    rpos_t *rp = c->rp;
    if (rp->server_id != c->srv_id ||
        (rp->server_uuid && c->srv_uuid && strcmp(rp->server_uuid, c->srv_uuid)))
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: cannot resume table '%s' from the position of the "
                          "checkpoint or savepoint: it was taken on the server with server_id "
                          "%u%s%s, but %s:%u has server_id %u%s%s; a binlog position belongs "
                          "to one server: point 'hostname'/'port' at that server, or start the "
                          "job without the checkpoint/savepoint (a fresh state) to take a new "
                          "snapshot",
                          c->table_label, rp->server_id, rp->server_uuid ? " and uuid " : "",
                          rp->server_uuid ? rp->server_uuid : "", c->host, c->port, c->srv_id,
                          c->srv_uuid ? " and uuid " : "", c->srv_uuid ? c->srv_uuid : "");
    /* The same tables. */
    for (int i = 0; i < rp->ntabs; i++) {
        bool found = false;
        for (int k = 0; k < c->ntabs && !found; k++)
            found = !strcmp(c->tabs[k].db, rp->tabs[i].db) &&
                    !strcmp(c->tabs[k].name, rp->tabs[i].name);
        if (!found)
            return sl_err_set(err, SL_EINVAL,
                              "mysql-cdc: cannot resume table '%s' from the position of the "
                              "checkpoint or savepoint: it captures %s.%s, which %s:%u no "
                              "longer has (or user '%s' cannot see); start the job without the "
                              "checkpoint/savepoint (a fresh state) to take a new snapshot",
                              c->table_label, rp->tabs[i].db, rp->tabs[i].name, c->host, c->port,
                              c->user);
    }
    for (int k = 0; k < c->ntabs; k++) {
        captab_t *t = &c->tabs[k];
        rtab_t *s = NULL;
        for (int i = 0; i < rp->ntabs && !s; i++)
            if (!strcmp(t->db, rp->tabs[i].db) && !strcmp(t->name, rp->tabs[i].name))
                s = &rp->tabs[i];
        if (!s)
            return sl_err_set(err, SL_EINVAL,
                              "mysql-cdc: cannot resume table '%s' from the position of the "
                              "checkpoint or savepoint: %s.%s matches 'database-name' and "
                              "'table-name' now but was not captured when the position was "
                              "taken (its changes until now are not in the changelog); start "
                              "the job without the checkpoint/savepoint (a fresh state) to take "
                              "a new snapshot, or exclude the table in 'table-name'",
                              c->table_label, t->db, t->name);
        int state = rp->snapshot ? s->state : 2;
        t->chunks_base = (int)s->chunks - (state == 1 && s->chunks > 0); /* state 1: + the one below */
        t->fin_chunks = state == 1;
        t->rows_read = t->fin_rows = (uint64_t)s->rows;
        t->fin_state = state;
        if (state == 2) {
            t->state = 2;
            memset(&t->max_high, 0, sizeof t->max_high); /* every change is emitted */
            continue;
        }
        if (state == 0) continue;
        /* In progress: the keys up to the boundary are out; one finished
         * chunk stands for them, closed before any change to come. */
        bool same = s->npk == t->npk;
        for (int j = 0; j < t->npk && same; j++)
            same = !strcmp(s->pkcols[j], t->cols[t->pk[j]].name);
        if (!same) {
            sl_strbuf_t was = SL_STRBUF_INIT, now = SL_STRBUF_INIT;
            for (int j = 0; j < s->npk; j++) sl_strbuf_printf(&was, "%s%s", j ? ", " : "", s->pkcols[j]);
            for (int j = 0; j < t->npk; j++)
                sl_strbuf_printf(&now, "%s%s", j ? ", " : "", t->cols[t->pk[j]].name);
            int rc = sl_err_set(err, SL_EINVAL,
                                "mysql-cdc: cannot resume the snapshot of %s.%s (table '%s'): "
                                "its chunks were read in the order of (%s), the table's key is "
                                "now (%s); start the job without the checkpoint/savepoint (a "
                                "fresh state) to take a new snapshot",
                                t->db, t->name, c->table_label, sl_strbuf_cstr(&was),
                                sl_strbuf_cstr(&now));
            sl_strbuf_destroy(&was);
            sl_strbuf_destroy(&now);
            return rc;
        }
        if (copy_texts(t->last, t->lastlen, s->key, s->keylen, t->npk) ||
            copy_texts(t->fin_last, t->fin_lastlen, s->key, s->keylen, t->npk))
            return oom(err);
        int rc = key_from_texts(c, t, s->key, s->keylen, err);
        if (rc) {
            char m[SL_ERR_MSG_MAX];
            snprintf(m, sizeof m, "%s", err->msg);
            return sl_err_set(err, SL_EINVAL,
                              "mysql-cdc: the position's snapshot boundary of %s.%s does not "
                              "read as its key: %s",
                              t->db, t->name, m);
        }
        t->chunks = calloc(16, sizeof *t->chunks);
        if (!t->chunks) return oom(err);
        t->capchunks = 16;
        t->nchunks = 1;
        t->chunks[0].hi = malloc(c->kb.len ? c->kb.len : 1);
        if (!t->chunks[0].hi) return oom(err);
        memcpy(t->chunks[0].hi, c->kb.buf, c->kb.len);
        t->chunks[0].hilen = c->kb.len;
        t->has_last = true;
        t->state = 1;
    }
    int rc = check_binlog_file(c, err);
    if (rc) return rc;
    if (rp->has_gtid && rp->gtid_mariadb == c->mariadb) {
        sl_err_t e2;
        if (sl_bl_gtids_parse(&c->gtids, rp->gtid, strlen(rp->gtid), &e2) == 0)
            c->has_gtids = true;
    }
    c->ts_filter = rp->ts_filter;
    c->snapshot_done = !rp->snapshot;
    c->cur_tab = 0;
    *at = rp->at;
    return 0;
}

/* ---- start ---- */

/* @@server_id, and MySQL's @@server_uuid: what a position is checked
 * against. */
static int server_identity(mycdc_t *c, sl_err_t *err)
{
    char v[1][256];
    int rc = query_row(c, "SELECT @@GLOBAL.server_id", 1, v, err);
    if (rc < 0) return rc;
    c->srv_id = rc == 0 ? (uint32_t)strtoul(v[0], NULL, 10) : 0;
    if (!c->mariadb) {
        rc = query_row(c, "SELECT @@GLOBAL.server_uuid", 1, v, err);
        if (rc < 0) return rc;
        free(c->srv_uuid);
        c->srv_uuid = rc == 0 && v[0][0] ? strdup(v[0]) : NULL;
    }
    return 0;
}

/* The GTID state at a new stream's start `at` (not a resumed one): the
 * state SHOW MASTER STATUS gave with it (MySQL), the GTID set the stream
 * starts after, or the server's BINLOG_GTID_POS (MariaDB); unknown (no
 * GTIDs in positions until a MySQL PREVIOUS_GTIDS event) otherwise. */
static int initial_gtids(mycdc_t *c, const binpos_t *at, const sl_strbuf_t *ms_gtid,
                         bool has_ms_gtid, sl_err_t *err)
{
    sl_err_t e2;
    c->has_gtids = false;
    if (c->mode == MODE_SPECIFIC && c->spec_gtid) {
        c->has_gtids = sl_bl_gtids_parse(&c->gtids, c->spec_gtid, strlen(c->spec_gtid), &e2) == 0;
        return 0;
    }
    if (!c->mariadb) {
        if (has_ms_gtid && (c->mode == MODE_INITIAL || c->mode == MODE_SNAPSHOT ||
                            c->mode == MODE_LATEST))
            c->has_gtids = sl_bl_gtids_parse(&c->gtids, sl_strbuf_cstr(ms_gtid), ms_gtid->len,
                                             &e2) == 0;
        return 0;
    }
    if (!at->file[0]) return 0;
    sl_strbuf_clear(&c->sql);
    sl_strbuf_puts(&c->sql, "SELECT BINLOG_GTID_POS(");
    escape_lit(c, &c->sql, at->file);
    sl_strbuf_printf(&c->sql, ", %llu)", (unsigned long long)at->pos);
    if (!c->sql.buf) return oom(err);
    if (mysql_query(c->q, c->sql.buf)) {
        SL_LOG_DEBUG("mysql-cdc: %s: %s", c->sql.buf, mysql_error(c->q));
        return 0;
    }
    MYSQL_RES *res = mysql_store_result(c->q);
    if (!res) return 0;
    MYSQL_ROW r = mysql_fetch_row(res);
    if (r && r[0]) c->has_gtids = sl_bl_gtids_parse(&c->gtids, r[0], strlen(r[0]), &e2) == 0;
    mysql_free_result(res);
    return 0;
}

static int start(mycdc_t *c, sl_err_t *err)
{
    int rc = connect_one(c, &c->q, err);
    if (rc) return rc;
    if ((rc = query(c, c->q, "SET SESSION time_zone = '+00:00'", err))) return rc;
    char ver[1][256];
    if ((rc = query_row(c, "SELECT VERSION()", 1, ver, err)) < 0) return rc;
    c->mariadb = strstr(ver[0], "MariaDB") != NULL;
    if (!c->rp && c->mode == MODE_SPECIFIC && c->spec_gtid &&
        c->mariadb != mariadb_gtid_list(c->spec_gtid))
        return sl_err_set(err, SL_EINVAL,
                          "mysql-cdc: %s:%u is %s, but 'scan.startup.specific-offset.gtid-set' "
                          "'%s' is a %s GTID set",
                          c->host, c->port, c->mariadb ? "MariaDB" : "MySQL", c->spec_gtid,
                          c->mariadb ? "MySQL" : "MariaDB");
    if ((rc = check_server(c, err))) return rc;
    if ((rc = server_identity(c, err))) return rc;
    sl_bl_gtids_free(&c->gtids);
    sl_bl_gtids_init(&c->gtids, c->mariadb);
    if ((rc = discover(c, err))) return rc;
    binpos_t at;
    memset(&at, 0, sizeof at);
    if (c->rp) {
        if ((rc = restore_start(c, &at, err))) return rc;
        if ((rc = stream_open(c, &at, err))) return rc;
        c->skip = c->rp->skip;
        /* 'snapshot' mode: the source ends once the snapshot is done. */
        if (c->snapshot_done && c->mode == MODE_SNAPSHOT) c->ended = true;
        int done = 0;
        for (int i = 0; i < c->ntabs; i++) done += c->tabs[i].fin_state == 2;
        SL_LOG_INFO("mysql-cdc: %d table(s) of %s:%u resumed (%s; %d of them snapshotted), "
                    "binlog from %s:%llu%s%s, %llu row(s) there already out, server id %u",
                    c->ntabs, c->host, c->port,
                    c->snapshot_done ? "binlog phase" : "snapshot phase", done, at.file,
                    (unsigned long long)at.pos, c->has_gtids ? " at GTIDs " : "",
                    c->has_gtids ? c->rp->gtid : "", (unsigned long long)c->skip, c->server_id);
        c->started = true;
        return 0;
    }
    sl_strbuf_t msg = SL_STRBUF_INIT;
    bool has_msg = false;
    rc = master_status(c, &at, c->mariadb ? NULL : &msg, &has_msg, err);
    if (rc) {
        sl_strbuf_destroy(&msg);
        return rc;
    }
    switch (c->mode) {
    case MODE_INITIAL:
    case MODE_SNAPSHOT: {
        /* Where the snapshot starts: the end of the last transaction a
         * read view sees (MariaDB), so that the first chunk's view can see
         * all before it; the end of the binlog otherwise. */
        binpos_t sp;
        rc = open_view(c, &sp, err);
        if (rc == 0) {
            at = sp;
            rc = query(c, c->q, "COMMIT", err);
        }
        if (rc < 0) {
            sl_strbuf_destroy(&msg);
            return rc;
        }
        rc = 0;
        break;
    }
    case MODE_LATEST:
        break;
    case MODE_EARLIEST:
    case MODE_TIMESTAMP: {
        if ((rc = query(c, c->q, "SHOW BINARY LOGS", err))) {
            sl_strbuf_destroy(&msg);
            return rc;
        }
        MYSQL_RES *res = mysql_store_result(c->q);
        MYSQL_ROW r = res ? mysql_fetch_row(res) : NULL;
        if (r && r[0]) {
            pos_set_file(&at, r[0], strlen(r[0]));
            at.pos = 4;
        }
        if (res) mysql_free_result(res);
        break;
    }
    case MODE_SPECIFIC:
        if (c->spec_gtid) {
            pos_set_file(&at, "", 0);
            at.pos = 4;
        } else {
            pos_set_file(&at, c->spec_file, strlen(c->spec_file));
            at.pos = (uint64_t)c->spec_pos;
        }
        break;
    }
    rc = initial_gtids(c, &at, &msg, has_msg, err);
    sl_strbuf_destroy(&msg);
    if (rc) return rc;
    if (c->mode != MODE_INITIAL && c->mode != MODE_SNAPSHOT) {
        for (int i = 0; i < c->ntabs; i++) {
            c->tabs[i].state = 2;
            c->tabs[i].fin_state = 2;
            c->tabs[i].max_high = at;
            c->tabs[i].max_high.pos = 0;
        }
        c->snapshot_done = true;
    }
    if ((rc = stream_open(c, &at, err))) return rc;
    SL_LOG_INFO("mysql-cdc: %d table(s) of %s:%u, binlog from %s:%llu, server id %u", c->ntabs,
                c->host, c->port, at.file, (unsigned long long)at.pos, c->server_id);
    c->started = true;
    return 0;
}

/* ---- source ops ---- */

/* Copies the progress into the published metrics (source thread). */
static void publish(mycdc_t *c)
{
    sl_source_metrics_t m;
    memset(&m, 0, sizeof m);
    m.snapshotting = c->started && !c->snapshot_done;
    m.snapshot_tables = c->ntabs;
    for (int i = 0; i < c->ntabs; i++) {
        const captab_t *t = &c->tabs[i];
        if (t->state == 2 && t->nchunks + t->chunks_base) m.snapshot_tables_done++;
        m.snapshot_chunks_done += t->nchunks + t->chunks_base;
        m.snapshot_chunks_est += (int64_t)(t->est_rows / (uint64_t)c->chunk_size) + 1;
        m.snapshot_rows += (int64_t)t->rows_read;
        m.snapshot_rows_est += (int64_t)t->est_rows;
    }
    m.last_event_ms = c->last_event_ms;
    if (c->cur.file[0])
        snprintf(m.position, sizeof m.position, "%.160s:%llu", c->cur.file,
                 (unsigned long long)c->cur.pos);
    pthread_mutex_lock(&c->mu);
    c->pub = m;
    pthread_mutex_unlock(&c->mu);
}

static void cdc_metrics(sl_source_t *src, sl_source_metrics_t *out)
{
    mycdc_t *c = src->ctx;
    pthread_mutex_lock(&c->mu);
    *out = c->pub;
    pthread_mutex_unlock(&c->mu);
}

static int cdc_step(mycdc_t *c, sl_batch_t *out, int max_rows, sl_err_t *err);

/* Test hook: appends "ROWS PHASE HEX\n" (see the file header). */
static void test_record_position(mycdc_t *c)
{
    sl_strbuf_clear(&c->posbuf);
    if (pos_encode(c, &c->posbuf)) return;
    size_t n = c->posbuf.len;
    char *line = malloc(2 * n + 64);
    if (!line) return;
    int k = snprintf(line, 64, "%llu %s ", (unsigned long long)c->rows_out,
                     pos_snapshotting(c) ? "snapshot" : "binlog");
    for (size_t i = 0; i < n; i++) {
        static const char hx[] = "0123456789abcdef";
        line[k++] = hx[(unsigned char)c->posbuf.buf[i] >> 4];
        line[k++] = hx[(unsigned char)c->posbuf.buf[i] & 15];
    }
    line[k++] = '\n';
    /* one write with O_APPEND: a line is whole or absent after a kill -9 */
    ssize_t w = write(c->test_pos_fd, line, (size_t)k);
    (void)w;
    free(line);
}

static int cdc_next(sl_source_t *src, sl_batch_t *out, int max_rows, sl_err_t *err)
{
    mycdc_t *c = src->ctx;
    int rc = cdc_step(c, out, max_rows, err);
    if (rc >= 0 && out->nrows > 0) {
        c->rows_out += (uint64_t)out->nrows;
        if (c->test_pos_fd >= 0) test_record_position(c);
    }
    publish(c);
    return rc;
}

static int cdc_position(sl_source_t *src, sl_strbuf_t *out)
{
    return pos_encode(src->ctx, out);
}

static int cdc_step(mycdc_t *c, sl_batch_t *out, int max_rows, sl_err_t *err)
{
    if (c->ended) return SL_SOURCE_END;
    if (!c->started) {
        int rc = start(c, err);
        if (rc) return atomic_load(&c->stop) ? SL_SOURCE_END : rc;
        if (c->ended) return SL_SOURCE_END;
    }
    int txn_cap = TXN_BATCH_CAP;
    if (c->test_batch > 0) {
        txn_cap = c->test_batch;
        if (max_rows > c->test_batch) max_rows = c->test_batch;
    }
    /* The batch is new: an open transaction continues from row 0, and
     * what came before went downstream. */
    c->txn_mark = 0;
    while (!atomic_load(&c->stop)) {
        int rc;
        if (!c->snapshot_done) {
            rc = snapshot_step(c, out, err);
            if (rc) return atomic_load(&c->stop) ? SL_SOURCE_END : rc;
            if (c->snapshot_done && c->mode == MODE_SNAPSHOT) {
                c->ended = true;
                return out->nrows ? 0 : SL_SOURCE_END;
            }
            if (out->nrows >= max_rows) return 0;
            continue;
        }
        /* Hand over whole transactions once there is something, unless the
         * stream has more right away. */
        if (out->nrows && !c->in_txn && !rpl_buffered(c->b)) {
            struct pollfd p = {.fd = (int)mysql_get_socket(c->b), .events = POLLIN};
            if (poll(&p, 1, 0) <= 0) return 0;
        }
        if (out->nrows >= max_rows && (!c->in_txn || out->nrows >= txn_cap)) return 0;
        /* Nothing of ours for a while, between transactions: an empty
         * batch, so the engine learns the position moved on (a checkpoint
         * then holds it, and a restart does not reread what passed). */
        if (!out->nrows && !c->in_txn) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
            if (now - c->idle_ret_ms >= 200) {
                c->idle_ret_ms = now;
                return 0;
            }
        }
        rc = stream_step(c, out, err);
        if (rc) return atomic_load(&c->stop) ? SL_SOURCE_END : rc;
    }
    return out->nrows ? 0 : SL_SOURCE_END;
}

static void cdc_wakeup(sl_source_t *src)
{
    mycdc_t *c = src->ctx;
    atomic_store(&c->stop, true);
    /* Unblock a read: the connection is not used again. */
    if (c->b) shutdown((int)mysql_get_socket(c->b), SHUT_RDWR);
    if (c->q) shutdown((int)mysql_get_socket(c->q), SHUT_RDWR);
}

static void cdc_close(sl_source_t *src)
{
    mycdc_t *c = src->ctx;
    if (!c) return;
    if (c->ev) mariadb_free_rpl_event(c->ev);
    if (c->rpl) mariadb_rpl_close(c->rpl);
    if (c->b) mysql_close(c->b);
    if (c->q) mysql_close(c->q);
    for (int i = 0; i < c->ntabs; i++) {
        captab_t *t = &c->tabs[i];
        for (int k = 0; k < t->ncols; k++) {
            free(t->cols[k].name);
            free(t->cols[k].data_type);
            for (int v = 0; v < t->cols[k].nvalues; v++) free(t->cols[k].values[v]);
            free(t->cols[k].values);
        }
        free(t->cols);
        free(t->pk);
        free(t->fmap);
        for (int k = 0; k < t->npk && t->last; k++) free(t->last[k]);
        free(t->last);
        free(t->lastlen);
        for (int k = 0; k < t->npk && t->fin_last; k++) free(t->fin_last[k]);
        free(t->fin_last);
        free(t->fin_lastlen);
        for (int k = 0; k < t->nchunks; k++) free(t->chunks[k].hi);
        free(t->chunks);
        sl_arena_destroy(&t->tm_arena);
        free(t->db);
        free(t->name);
    }
    free(c->tabs);
    if (c->re_ok) {
        regfree(&c->dbre);
        regfree(&c->tbre);
    }
    sl_arena_destroy(&c->chunk_arena);
    sl_arena_destroy(&c->ev_arena);
    sl_hmap_destroy(&c->chunk_map);
    sl_strbuf_destroy(&c->kb);
    sl_strbuf_destroy(&c->sql);
    free(c->mv);
    free(c->row);
    free(c->host);
    free(c->user);
    free(c->password);
    free(c->tz);
    free(c->spec_file);
    free(c->spec_gtid);
    free(c->chunk_key);
    free(c->table_label);
    free(c->dbre_text);
    free(c->tbre_text);
    free(c->srv_uuid);
    rpos_free(c->rp);
    sl_bl_gtids_free(&c->gtids);
    sl_strbuf_destroy(&c->posbuf);
    sl_strbuf_destroy(&c->gtidbuf);
    sl_strbuf_destroy(&c->pos_tail);
    if (c->test_pos_fd >= 0) close(c->test_pos_fd);
    pthread_mutex_destroy(&c->mu);
    free(c);
    src->ctx = NULL;
}

static const sl_source_ops_t cdc_ops = {cdc_next, cdc_wakeup, cdc_close, cdc_metrics,
                                        cdc_position};

/* ---- construction ---- */

static int compile_whole(regex_t *re, const char *pat, const char *opt, sl_err_t *err)
{
    size_t n = strlen(pat);
    char *anch = malloc(n + 5);
    if (!anch) return oom(err);
    snprintf(anch, n + 5, "^(%s)$", pat);
    int rc = regcomp(re, anch, REG_EXTENDED | REG_NOSUB);
    free(anch);
    if (rc) {
        char m[128];
        regerror(rc, re, m, sizeof m);
        return sl_err_set(err, SL_EINVAL, "option '%s': invalid regular expression '%s': %s", opt,
                          pat, m);
    }
    return 0;
}

static int parse_server_id(const char *s, uint32_t *out, sl_err_t *err)
{
    char *end;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || errno) goto bad;
    if (*end == '-') {
        const char *b = end + 1;
        unsigned long z = strtoul(b, &end, 10);
        if (end == b || z < a) goto bad;
    }
    if (*end || a == 0 || a > 4294967295UL) goto bad;
    *out = (uint32_t)a;
    return 0;
bad:
    return sl_err_set(err, SL_EINVAL,
                      "option 'server-id': '%s' is not a server id (1..4294967295) or a range "
                      "such as 5400-5408",
                      s);
}

static int cdc_validate(const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const sl_options_t *o = ctx->opts;
    regex_t re;
    const char *keys[] = {"database-name", "table-name"};
    for (int i = 0; i < 2; i++) {
        const sl_optval_t *v = sl_options_get(o, keys[i]);
        if (!v) continue;
        int rc = compile_whole(&re, v->text, keys[i], err);
        if (rc) {
            if (v->src) { err->off = v->src->val_off; err->len = v->src->val_len; }
            return rc;
        }
        regfree(&re);
    }
    const sl_optval_t *sid = sl_options_get(o, "server-id");
    uint32_t id;
    if (sid && parse_server_id(sid->text, &id, err)) {
        if (sid->src) { err->off = sid->src->val_off; err->len = sid->src->val_len; }
        return -SL_EINVAL;
    }
    const char *mode = sl_options_str(o, "scan.startup.mode", "initial");
    const sl_optval_t *mv = sl_options_get(o, "scan.startup.mode");
    if (!strcasecmp(mode, "specific-offset")) {
        const sl_optval_t *g = sl_options_get(o, "scan.startup.specific-offset.gtid-set");
        if (g) {
            /* MariaDB's domain-server-sequence list, or MySQL's uuid:intervals. */
            sl_strbuf_t enc = SL_STRBUF_INIT;
            sl_err_t e2;
            bool ok = mariadb_gtid_list(g->text) ||
                      sl_bl_mysql_gtid_encode(g->text, strlen(g->text), &enc, &e2) == 0;
            sl_strbuf_destroy(&enc);
            if (!ok) {
                sl_err_set(err, SL_EINVAL,
                           "option 'scan.startup.specific-offset.gtid-set': '%s' is neither a "
                           "MariaDB GTID list (domain-server-sequence, e.g. 0-1-42) nor a MySQL "
                           "GTID set (uuid:1-42:50, ...)",
                           g->text);
                if (g->src) { err->off = g->src->val_off; err->len = g->src->val_len; }
                return -SL_EINVAL;
            }
        } else if (!sl_options_get(o, "scan.startup.specific-offset.file") ||
            !sl_options_get(o, "scan.startup.specific-offset.pos")) {
            sl_err_set(err, SL_EINVAL,
                       "'scan.startup.mode' = 'specific-offset' needs "
                       "'scan.startup.specific-offset.file' and "
                       "'scan.startup.specific-offset.pos'");
            if (mv && mv->src) { err->off = mv->src->val_off; err->len = mv->src->val_len; }
            return -SL_EINVAL;
        }
    }
    if (!strcasecmp(mode, "timestamp") && !sl_options_get(o, "scan.startup.timestamp-millis")) {
        sl_err_set(err, SL_EINVAL,
                   "'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'");
        if (mv && mv->src) { err->off = mv->src->val_off; err->len = mv->src->val_len; }
        return -SL_EINVAL;
    }
    const sl_optval_t *cs = sl_options_get(o, "scan.incremental.snapshot.chunk.size");
    if (cs && cs->i < 1) {
        sl_err_set(err, SL_EINVAL, "option 'scan.incremental.snapshot.chunk.size' must be positive");
        if (cs->src) { err->off = cs->src->val_off; err->len = cs->src->val_len; }
        return -SL_EINVAL;
    }
    const sl_optval_t *tz = sl_options_get(o, "server-time-zone");
    if (tz) {
        int64_t x;
        if (sl_tz_to_utc(tz->text, 0, &x, err)) {
            sl_err_set(err, SL_EINVAL, "option 'server-time-zone': unknown time zone '%s'",
                       tz->text);
            if (tz->src) { err->off = tz->src->val_off; err->len = tz->src->val_len; }
            return -SL_EINVAL;
        }
        sl_fn_thread_cleanup();
    }
    return 0;
}

/* The test hooks (file header) and the position to resume from. */
static int restore_init(mycdc_t *c, const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const char *f = getenv("SLUICE_TEST_CDC_POSITIONS");
    if (f && *f) {
        c->test_pos_fd = open(f, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (c->test_pos_fd < 0)
            return sl_err_set(err, SL_EIO, "SLUICE_TEST_CDC_POSITIONS: cannot open %s: %s", f,
                              strerror(errno));
    }
    const char *b = getenv("SLUICE_TEST_CDC_BATCH_ROWS");
    if (b && *b) c->test_batch = atoi(b);
    const void *rb = ctx->restore;
    size_t rl = ctx->restore_len;
    unsigned char *hex = NULL;
    const char *h = getenv("SLUICE_TEST_CDC_RESTORE");
    if (!rb && h && *h) {
        size_t n = strlen(h);
        hex = malloc(n / 2 + 1);
        if (!hex) return oom(err);
        for (size_t i = 0; i < n / 2; i++) {
            int hi = hexdig((unsigned char)h[2 * i]), lo = hexdig((unsigned char)h[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                free(hex);
                return sl_err_set(err, SL_EINVAL, "SLUICE_TEST_CDC_RESTORE: not hexadecimal");
            }
            hex[i] = (unsigned char)(hi << 4 | lo);
        }
        if (n % 2) {
            free(hex);
            return sl_err_set(err, SL_EINVAL, "SLUICE_TEST_CDC_RESTORE: odd number of digits");
        }
        rb = hex;
        rl = n / 2;
    }
    if (!rb) return 0;
    int rc = 0;
    c->rp = calloc(1, sizeof *c->rp);
    if (!c->rp) rc = oom(err);
    if (!rc) rc = pos_decode(rb, rl, c->rp, err);
    free(hex);
    if (!rc) rc = pos_check_options(c, ctx, err);
    return rc;
}

static uint32_t derived_server_id(const char *job, const char *table)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *s = job ? job : ""; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (const char *s = table; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return 5400 + (uint32_t)(h % 1001);
}

static int cdc_source_new(const sl_conn_ctx_t *ctx, sl_source_t *out, sl_err_t *err)
{
    int rc = cdc_validate(ctx, err);
    if (rc) return rc;
    if ((rc = sl_mysql_library_init("mysql-cdc", err))) return rc;
    const sl_options_t *o = ctx->opts;
    mycdc_t *c = calloc(1, sizeof *c);
    if (!c) return oom(err);
    pthread_mutex_init(&c->mu, NULL);
    out->ctx = c;
    out->ops = &cdc_ops;
    out->bounded = false;
    c->pending_tab = -1;
    c->test_pos_fd = -1;
    sl_bl_gtids_init(&c->gtids, true);
    sl_arena_init(&c->chunk_arena, 0);
    sl_arena_init(&c->ev_arena, 0);
    c->host = strdup(sl_options_str(o, "hostname", ""));
    c->user = strdup(sl_options_str(o, "username", ""));
    c->password = strdup(sl_options_str(o, "password", ""));
    c->tz = strdup(sl_options_str(o, "server-time-zone", "UTC"));
    c->table_label = strdup(ctx->table);
    if (sl_hmap_init(&c->chunk_map, 1024) || !c->host || !c->user || !c->password || !c->tz ||
        !c->table_label)
        return oom(err);
    c->port = (unsigned)sl_options_int(o, "port", 3306);
    if ((rc = compile_whole(&c->dbre, sl_options_str(o, "database-name", ""), "database-name", err)))
        return rc;
    if ((rc = compile_whole(&c->tbre, sl_options_str(o, "table-name", ""), "table-name", err))) {
        regfree(&c->dbre);
        return rc;
    }
    c->re_ok = true;
    c->dbre_text = strdup(sl_options_str(o, "database-name", ""));
    c->tbre_text = strdup(sl_options_str(o, "table-name", ""));
    if (!c->dbre_text || !c->tbre_text) return oom(err);
    const char *mode = sl_options_str(o, "scan.startup.mode", "initial");
    static const char *const modes[] = {"initial", "earliest-offset", "latest-offset",
                                        "specific-offset", "timestamp", "snapshot"};
    for (int i = 0; i < 6; i++)
        if (!strcasecmp(mode, modes[i])) c->mode = i;
    c->chunk_size = sl_options_int(o, "scan.incremental.snapshot.chunk.size", 8096);
    c->ts_millis = sl_options_int(o, "scan.startup.timestamp-millis", 0);
    c->connect_timeout_ms = sl_options_int(o, "connect.timeout", 30000);
    c->max_retries = sl_options_int(o, "connect.max-retries", 3);
    c->heartbeat_ms = sl_options_int(o, "heartbeat.interval", 30000);
    if (c->heartbeat_ms <= 0) c->heartbeat_ms = 30000;
    const sl_optval_t *sf = sl_options_get(o, "scan.startup.specific-offset.file");
    if (sf && !(c->spec_file = strdup(sf->text))) return oom(err);
    c->spec_pos = sl_options_int(o, "scan.startup.specific-offset.pos", 4);
    const sl_optval_t *sg = sl_options_get(o, "scan.startup.specific-offset.gtid-set");
    if (sg && !(c->spec_gtid = strdup(sg->text))) return oom(err);
    const sl_optval_t *ck = sl_options_get(o, "scan.incremental.snapshot.chunk.key-column");
    if (ck && !(c->chunk_key = strdup(ck->text))) return oom(err);
    const sl_optval_t *sid = sl_options_get(o, "server-id");
    if (sid) parse_server_id(sid->text, &c->server_id, err);
    else c->server_id = derived_server_id(ctx->job_name, ctx->table);
    for (int i = 0; i < o->n; i++)
        if (!strncmp(o->v[i].key, "debezium.", 9))
            SL_LOG_INFO("mysql-cdc: option '%s' is a Debezium pass-through key; sluice has no "
                        "Debezium and ignores it",
                        o->v[i].key);
    c->nphys = ctx->ncols;
    c->nmeta = ctx->nmeta;
    c->types = ctx->types;
    c->names = ctx->names;
    if (c->nmeta > 8) return sl_err_set(err, SL_EINVAL, "mysql-cdc: too many metadata columns");
    for (int m = 0; m < c->nmeta; m++) {
        const char *k = ctx->meta_keys[m];
        c->meta[m] = !strcmp(k, "database_name") ? META_DB
                   : !strcmp(k, "table_name")    ? META_TABLE
                   : !strcmp(k, "op_ts")         ? META_OP_TS
                                                 : META_ROW_KIND;
    }
    c->row = calloc((size_t)(c->nphys + 1), sizeof *c->row);
    if (!c->row) return oom(err);
    if (c->mode == MODE_TIMESTAMP) c->ts_filter = c->ts_millis;
    return restore_init(c, ctx, err);
}

const sl_connector_type_t sl_mysql_cdc_connector = {
    .name = "mysql-cdc",
    .roles = SL_CONN_SOURCE,
    .options = cdc_options,
    .metadata = cdc_metadata,
    .changelog = true,
    .validate = cdc_validate,
    .source_new = cdc_source_new,
    .sink_new = NULL,
};
