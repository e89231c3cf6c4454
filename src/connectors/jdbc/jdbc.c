/* jdbc.c - the 'jdbc' connector: Flink's JDBC SQL connector options, their
 * validation, and the bounded scan source over MySQL/MariaDB and
 * PostgreSQL.
 *
 * The scan reads `SELECT <the table's Flink columns> FROM <table-name>`
 * (with "WHERE col BETWEEN lo AND hi" per partition when the
 * scan.partition.* options are set, one partition after the other, as
 * Flink's JdbcNumericBetweenParametersProvider splits the range) inside one
 * read-only REPEATABLE READ transaction, so the partitions see one
 * snapshot. Rows stream: MySQL with mysql_use_result, PostgreSQL through a
 * cursor FETCHed scan.fetch-size rows at a time (1000 when 0); the table
 * is never held in memory. It runs on the source thread; wakeup() shuts
 * the socket down so that a blocked read returns.
 *
 * Memory: the jscan_t and everything it points to are freed by close();
 * converted values live in a scratch arena reset per batch (the batch
 * copies them), so nothing is allocated per row.
 */
#include "connectors/jdbc/jdbc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "connectors/jdbc/conn.h"
#include "connectors/jdbc/schema.h"
#include "exec/fn.h"
#include "util/log.h"
#include "util/strbuf.h"

/* ---- options ---- */

static const sl_option_spec_t jdbc_options[] = {
    {"url", SL_OPT_STRING, true, NULL, NULL,
     "the JDBC URL: jdbc:mysql://host:3306/db, jdbc:mariadb://..., jdbc:postgresql://host:5432/db"},
    {"table-name", SL_OPT_STRING, true, NULL, NULL,
     "the table to read (PostgreSQL: may be schema.table; MySQL: may be database.table)"},
    {"driver", SL_OPT_STRING, false, NULL, NULL,
     "JDBC driver class; checked against the URL (derived from it when absent)"},
    {"username", SL_OPT_STRING, false, NULL, NULL, "user name (with 'password')"},
    {"password", SL_OPT_STRING, false, NULL, NULL, "password (with 'username')"},
    {"connection.max-retry-timeout", SL_OPT_DURATION, false, "60s", NULL,
     "how long to retry connecting (at least 1 s)"},
    {"scan.partition.column", SL_OPT_STRING, false, NULL, NULL,
     "numeric column to split the scan by (with num, lower-bound, upper-bound)"},
    {"scan.partition.num", SL_OPT_INT, false, NULL, NULL, "number of partitions"},
    {"scan.partition.lower-bound", SL_OPT_INT, false, NULL, NULL,
     "smallest value of the first partition"},
    {"scan.partition.upper-bound", SL_OPT_INT, false, NULL, NULL,
     "largest value of the last partition"},
    {"scan.fetch-size", SL_OPT_INT, false, "0", NULL,
     "rows per round trip while scanning (0: the connector's choice)"},
    {"scan.auto-commit", SL_OPT_BOOL, false, "true", NULL,
     "accepted: the scan always reads in one read-only transaction"},
    {"lookup.cache", SL_OPT_ENUM, false, "NONE", "NONE|PARTIAL",
     "lookup cache: NONE or PARTIAL (lookups come in a later issue)"},
    {"lookup.partial-cache.max-rows", SL_OPT_INT, false, NULL, NULL,
     "largest number of rows in the partial lookup cache"},
    {"lookup.partial-cache.expire-after-write", SL_OPT_DURATION, false, NULL, NULL,
     "a cached row expires this long after it was written"},
    {"lookup.partial-cache.expire-after-access", SL_OPT_DURATION, false, NULL, NULL,
     "a cached row expires this long after it was last read"},
    {"lookup.partial-cache.cache-missing-key", SL_OPT_BOOL, false, "true", NULL,
     "cache keys that found no row"},
    {"lookup.cache.max-rows", SL_OPT_INT, false, NULL, NULL,
     "deprecated: lookup.partial-cache.max-rows (with lookup.cache.ttl)"},
    {"lookup.cache.ttl", SL_OPT_DURATION, false, NULL, NULL,
     "deprecated: lookup.partial-cache.expire-after-write (with lookup.cache.max-rows)"},
    {"lookup.cache.caching-missing-key", SL_OPT_BOOL, false, "true", NULL,
     "deprecated: lookup.partial-cache.cache-missing-key"},
    {"lookup.max-retries", SL_OPT_INT, false, "3", NULL, "retries of a failed lookup query"},
    {"sink.buffer-flush.max-rows", SL_OPT_INT, false, "100", NULL,
     "rows buffered before a flush (0: no limit)"},
    {"sink.buffer-flush.interval", SL_OPT_DURATION, false, "1s", NULL,
     "flush buffered rows this often (0: only by max-rows)"},
    {"sink.max-retries", SL_OPT_INT, false, "3", NULL, "retries of a failed write"},
    {"sink.parallelism", SL_OPT_INT, false, NULL, NULL, "accepted; a sink runs on one thread"},
    {NULL, 0, false, NULL, NULL, NULL},
};

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* An option was given in the SQL (not a default). */
static const sl_optval_t *given(const sl_options_t *o, const char *key)
{
    const sl_optval_t *v = sl_options_get(o, key);
    return v && v->src ? v : NULL;
}

/* Points err at the option's value. */
static int at_value(sl_err_t *err, const sl_optval_t *v, int rc)
{
    if (v && v->src) {
        err->off = v->src->val_off;
        err->len = v->src->val_len;
    }
    return rc;
}

static int at_key(sl_err_t *err, const sl_optval_t *v, int rc)
{
    if (v && v->src) {
        err->off = v->src->key_off;
        err->len = v->src->key_len;
    }
    return rc;
}

/* Parses the url option; an error points inside the SQL literal at the
 * offending part when the literal is the plain text ('...' without
 * escapes), else at the whole value. */
static int parse_url(const sl_optval_t *v, sl_arena_t *a, sl_jdbc_url_t *u, sl_err_t *err)
{
    sl_err_t e;
    sl_err_clear(&e);
    int rc = sl_jdbc_url_parse(v->text, a, u, &e);
    if (!rc) return 0;
    if (rc == -SL_ENOMEM) return oom(err);
    sl_err_set(err, SL_EINVAL, "option 'url': %s", e.msg);
    if (v->src && v->src->val_len == (int)strlen(v->text) + 2 && e.off >= 0) {
        err->off = v->src->val_off + 1 + e.off;
        err->len = e.len > 0 ? e.len : 1;
        return -SL_EINVAL;
    }
    return at_value(err, v, -SL_EINVAL);
}

static bool numeric_type(const sl_type_t *t)
{
    return sl_type_is_numeric(t);
}

/* Flink's dialect check (AbstractDialect.validate with MySqlDialect's and
 * PostgresDialect's supported types and TIMESTAMP precision ranges), so a
 * table sluice accepts is one Flink accepts: both take CHAR, VARCHAR,
 * BOOLEAN, BYTES, DECIMAL, the integers, FLOAT, DOUBLE, DATE, TIME and
 * TIMESTAMP (MySQL precision 0-6, PostgreSQL 1-6); PostgreSQL also
 * TIMESTAMP_LTZ and ARRAY. */
static int dialect_types(const sl_conn_ctx_t *ctx, const sl_jdbc_url_t *u, sl_err_t *err)
{
    bool pg = u->dialect == SL_JDBC_POSTGRES;
    const char *dn = sl_jdbc_dialect_name(u->dialect);
    for (int i = 0; i < ctx->ncols; i++) {
        const sl_type_t *t = ctx->types[i];
        const char *hint = NULL;
        bool ok;
        switch (t->id) {
        case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BOOLEAN: case SL_T_DECIMAL:
        case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        case SL_T_FLOAT: case SL_T_DOUBLE: case SL_T_DATE: case SL_T_TIME:
            ok = true;
            break;
        case SL_T_VARBINARY:
            ok = t->len == SL_MAX_LENGTH;
            hint = "declare it BYTES";
            break;
        case SL_T_BINARY:
            ok = false;
            hint = "declare it BYTES";
            break;
        case SL_T_TIMESTAMP: {
            int lo = pg ? 1 : 0;
            if (t->len < lo || t->len > 6)
                return sl_err_set(err, SL_EUNSUPPORTED,
                                  "the precision of column '%s' is out of the TIMESTAMP precision "
                                  "range [%d, 6] supported by Flink's %s dialect",
                                  ctx->names[i], lo, dn);
            ok = true;
            break;
        }
        case SL_T_TIMESTAMP_LTZ:
            ok = pg;
            hint = "declare it TIMESTAMP(p): MySQL TIMESTAMP and DATETIME values are read as "
                   "wall clocks (TIMESTAMP in UTC, or in the URL's serverTimezone)";
            break;
        case SL_T_ARRAY:
            ok = pg;
            hint = "declare it STRING";
            break;
        default:
            ok = false;
            break;
        }
        if (ok) continue;
        sl_strbuf_t tb = SL_STRBUF_INIT;
        sl_type_format(&tb, t);
        int rc = sl_err_set(err, SL_EUNSUPPORTED,
                            "column '%s': the %s dialect of Flink's JDBC connector does not support "
                            "type %s%s%s",
                            ctx->names[i], dn, tb.buf ? tb.buf : "?", hint ? "; " : "",
                            hint ? hint : "");
        sl_strbuf_destroy(&tb);
        return rc;
    }
    return 0;
}

static int jdbc_validate(const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const sl_options_t *o = ctx->opts;
    const sl_optval_t *uv = sl_options_get(o, "url");
    if (!uv) return sl_err_set(err, SL_EINVAL, "missing required option 'url' for connector 'jdbc'");
    sl_arena_t a;
    sl_arena_init(&a, 4096);
    sl_jdbc_url_t u;
    int rc = parse_url(uv, &a, &u, err);
    if (rc) goto done;
    if ((rc = dialect_types(ctx, &u, err))) goto done;
    const sl_optval_t *dv = given(o, "driver");
    if (dv && (rc = sl_jdbc_driver_check(dv->text, &u, err))) {
        rc = at_value(err, dv, rc);
        goto done;
    }
    if (u.time_zone) {
        int64_t x;
        sl_err_t e2;
        if (sl_tz_to_utc(u.time_zone, 0, &x, &e2)) {
            rc = sl_err_set(err, SL_EINVAL,
                            "option 'url': unknown time zone '%s' in serverTimezone / "
                            "connectionTimeZone",
                            u.time_zone);
            rc = at_value(err, uv, rc);
            goto done;
        }
        sl_fn_thread_cleanup();
    }
    const sl_optval_t *tn = sl_options_get(o, "table-name");
    if (tn && !tn->text[0]) {
        rc = at_value(err, tn, sl_err_set(err, SL_EINVAL, "option 'table-name' is empty"));
        goto done;
    }
    /* Either all or none, as Flink's checkAllOrNone. */
    static const char *const userpass[] = {"username", "password", NULL};
    static const char *const parts[] = {"scan.partition.column", "scan.partition.num",
                                        "scan.partition.lower-bound",
                                        "scan.partition.upper-bound", NULL};
    static const char *const legacy[] = {"lookup.cache.max-rows", "lookup.cache.ttl", NULL};
    const char *const *groups[] = {userpass, parts, legacy};
    for (int g = 0; g < 3; g++) {
        int n = 0, k = 0;
        const sl_optval_t *first = NULL;
        sl_strbuf_t missing = SL_STRBUF_INIT, all = SL_STRBUF_INIT;
        for (; groups[g][k]; k++) {
            const sl_optval_t *v = given(o, groups[g][k]);
            sl_strbuf_printf(&all, "%s'%s'", k ? ", " : "", groups[g][k]);
            if (v) {
                n++;
                if (!first || (v->src->key_off < first->src->key_off)) first = v;
            } else {
                sl_strbuf_printf(&missing, "%s'%s'", missing.len ? ", " : "", groups[g][k]);
            }
        }
        if (n && n < k)
            rc = at_key(err, first,
                        sl_err_set(err, SL_EINVAL,
                                   "either all or none of the options %s must be given; missing "
                                   "%s",
                                   all.buf, missing.buf));
        sl_strbuf_destroy(&missing);
        sl_strbuf_destroy(&all);
        if (rc) goto done;
    }
    const sl_optval_t *lo = given(o, "scan.partition.lower-bound");
    const sl_optval_t *hi = given(o, "scan.partition.upper-bound");
    const sl_optval_t *num = given(o, "scan.partition.num");
    const sl_optval_t *pc = given(o, "scan.partition.column");
    if (lo && hi && lo->i > hi->i) {
        rc = at_value(err, lo,
                      sl_err_set(err, SL_EINVAL,
                                 "'scan.partition.lower-bound'='%lld' must not be larger than "
                                 "'scan.partition.upper-bound'='%lld'",
                                 (long long)lo->i, (long long)hi->i));
        goto done;
    }
    if (num && (num->i < 1 || num->i > 2147483647)) {
        rc = at_value(err, num,
                      sl_err_set(err, SL_EINVAL,
                                 "option 'scan.partition.num' must be a positive integer, got %lld",
                                 (long long)num->i));
        goto done;
    }
    if (pc) {
        for (int i = 0; i < ctx->ncols; i++) {
            if (strcasecmp(ctx->names[i], pc->text)) continue;
            if (!numeric_type(ctx->types[i])) {
                sl_strbuf_t tb = SL_STRBUF_INIT;
                sl_type_format(&tb, ctx->types[i]);
                rc = at_value(err, pc,
                              sl_err_set(err, SL_EUNSUPPORTED,
                                         "option 'scan.partition.column': column '%s' is %s; "
                                         "partitioned scans need a numeric column (the bounds "
                                         "are integers)",
                                         ctx->names[i], tb.buf ? tb.buf : "?"));
                sl_strbuf_destroy(&tb);
                goto done;
            }
        }
    }
    static const struct { const char *key; int64_t min; const char *what; } mins[] = {
        {"scan.fetch-size", 0, "must not be negative"},
        {"lookup.max-retries", 0, "must not be negative"},
        {"sink.max-retries", 0, "must not be negative"},
        {"sink.buffer-flush.max-rows", 0, "must not be negative"},
        {"connection.max-retry-timeout", 1000, "must be at least 1 second"},
    };
    for (size_t i = 0; i < sizeof mins / sizeof mins[0]; i++) {
        const sl_optval_t *v = given(o, mins[i].key);
        if (v && v->i < mins[i].min) {
            rc = at_value(err, v,
                          sl_err_set(err, SL_EINVAL, "option '%s' %s, got '%s'", mins[i].key,
                                     mins[i].what, v->text));
            goto done;
        }
    }
    const sl_optval_t *fs = given(o, "scan.fetch-size");
    if (fs && fs->i > 2147483647) {
        rc = at_value(err, fs, sl_err_set(err, SL_EINVAL, "option 'scan.fetch-size' is too large"));
        goto done;
    }
done:
    sl_arena_destroy(&a);
    return rc;
}

int sl_jdbc_config_read(const sl_conn_ctx_t *ctx, sl_arena_t *a, sl_jdbc_config_t *cfg,
                        sl_err_t *err)
{
    memset(cfg, 0, sizeof *cfg);
    const sl_options_t *o = ctx->opts;
    const sl_optval_t *uv = sl_options_get(o, "url");
    if (!uv) return sl_err_set(err, SL_EINVAL, "missing required option 'url' for connector 'jdbc'");
    int rc = parse_url(uv, a, &cfg->url, err);
    if (rc) return rc;
    cfg->table_name = sl_options_str(o, "table-name", "");
    const sl_optval_t *user = sl_options_get(o, "username");
    const sl_optval_t *pw = sl_options_get(o, "password");
    cfg->user = user ? user->text : cfg->url.user;
    cfg->password = pw ? pw->text : cfg->url.password;
    cfg->retry_timeout_ms = sl_options_int(o, "connection.max-retry-timeout", 60000);
    return 0;
}

/* ---- partitions (JdbcNumericBetweenParametersProvider.ofBatchNum) ---- */

int64_t sl_jdbc_partition_count(int64_t lower, int64_t upper, int64_t num)
{
    if (lower > upper || num < 1) return 0;
    __int128 count = (__int128)upper - lower + 1;
    return count < num ? (int64_t)count : num;
}

void sl_jdbc_partition_range(int64_t lower, int64_t upper, int64_t num, int64_t i, int64_t *lo,
                             int64_t *hi)
{
    __int128 count = (__int128)upper - lower + 1;
    __int128 b = sl_jdbc_partition_count(lower, upper, num);
    __int128 size = (count + b - 1) / b;           /* ceil(count / b) */
    __int128 big = count - (size - 1) * b;         /* partitions of full size */
    __int128 start = lower + (__int128)i * size - (i > big ? i - big : 0);
    __int128 end = start + size - 1 - (i >= big ? 1 : 0);
    *lo = (int64_t)start;
    *hi = (int64_t)end;
}

/* ---- the scan source ---- */

typedef struct jscan {
    sl_arena_t arena;          /* configuration: lives as long as the source */
    sl_jdbc_config_t cfg;
    char *label;               /* the Flink table, for messages */
    int64_t fetch;
    /* partitions */
    const char *pcol;
    int64_t lower, upper, num, nparts, part;
    /* output */
    int ncols;
    const char *const *names;
    const sl_type_t *const *types;
    int *map;
    /* runtime */
    sl_jdbc_conn_t conn;
    sl_jdbc_table_t tab;
    bool tab_loaded;
    sl_jdbc_rows_t rows;
    bool rows_open, started, in_txn, ended;
    atomic_bool stop;
    sl_strbuf_t select, sql;
    sl_arena_t scratch;
    sl_value_t *row;
    int64_t rows_read;
    pthread_mutex_t mu;
    sl_source_metrics_t pub;
} jscan_t;

static void publish(jscan_t *s)
{
    sl_source_metrics_t m;
    memset(&m, 0, sizeof m);
    m.snapshotting = s->started && !s->ended;
    m.snapshot_tables = 1;
    m.snapshot_tables_done = s->ended ? 1 : 0;
    m.snapshot_chunks_done = s->part;
    m.snapshot_chunks_est = s->nparts;
    m.snapshot_rows = s->rows_read;
    pthread_mutex_lock(&s->mu);
    s->pub = m;
    pthread_mutex_unlock(&s->mu);
}

static void scan_metrics(sl_source_t *src, sl_source_metrics_t *out)
{
    jscan_t *s = src->ctx;
    pthread_mutex_lock(&s->mu);
    *out = s->pub;
    pthread_mutex_unlock(&s->mu);
}

/* Prefixes err's message with the connector and what it was doing. */
static int ctx_err(jscan_t *s, int rc, sl_err_t *err)
{
    char m[SL_ERR_MSG_MAX];
    snprintf(m, sizeof m, "%s", err->msg);
    int code = err->code ? err->code : SL_EIO;
    if (s->tab_loaded)
        sl_err_set(err, code, "jdbc: table '%s' (%s): %s", s->label, s->tab.sql_name, m);
    else
        sl_err_set(err, code, "jdbc: table '%s': %s", s->label, m);
    return rc;
}

static int start(jscan_t *s, sl_err_t *err)
{
    s->started = true;
    int rc = sl_jdbc_conn_open(&s->conn, &s->cfg.url, s->cfg.user, s->cfg.password,
                               s->cfg.retry_timeout_ms, err);
    if (rc) return rc;
    rc = sl_jdbc_table_load(&s->conn, s->cfg.table_name, s->cfg.url.time_zone, &s->tab, err);
    s->tab_loaded = rc == 0;
    if (rc) return rc;
    if ((rc = sl_jdbc_table_map(&s->tab, s->ncols, s->names, s->types, s->label, s->map, err)))
        return rc;
    sl_strbuf_puts(&s->select, "SELECT ");
    if (s->ncols == 0) sl_strbuf_puts(&s->select, "1"); /* rows without columns */
    if (sl_jdbc_select_list(&s->tab, s->map, s->ncols, &s->select) ||
        sl_strbuf_printf(&s->select, " FROM %s", s->tab.sql_name))
        return oom(err);
    bool pg = s->conn.dialect == SL_JDBC_POSTGRES;
    if (s->pcol) {
        int k = sl_jdbc_table_find(&s->tab, s->pcol);
        if (k < 0) {
            sl_strbuf_t cols = SL_STRBUF_INIT;
            for (int i = 0; i < s->tab.ncols; i++)
                sl_strbuf_printf(&cols, "%s%s", i ? ", " : "", s->tab.cols[i].name);
            rc = sl_err_set(err, SL_EINVAL,
                            "option 'scan.partition.column': '%s' is not a column of %s.%s (its "
                            "columns: %s)",
                            s->pcol, s->tab.schema, s->tab.name, cols.buf ? cols.buf : "");
            sl_strbuf_destroy(&cols);
            return rc;
        }
        const sl_jdbc_column_t *c = &s->tab.cols[k];
        bool numeric = pg ? (c->pg.kind == SL_PGK_INT || c->pg.kind == SL_PGK_NUMERIC ||
                             c->pg.kind == SL_PGK_FLOAT4 || c->pg.kind == SL_PGK_FLOAT8)
                          : (c->my.text_kind == SL_MV_INT || c->my.text_kind == SL_MV_DECIMAL ||
                             c->my.text_kind == SL_MV_FLOAT || c->my.text_kind == SL_MV_DOUBLE);
        if (!numeric)
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "option 'scan.partition.column': column '%s' is %s; partitioned "
                              "scans need a numeric column (the bounds are integers)",
                              c->name, c->type_name);
        sl_strbuf_puts(&s->select, " WHERE ");
        sl_jdbc_quote_ident(s->conn.dialect, &s->select, c->name);
        sl_strbuf_puts(&s->select, " BETWEEN ");
        if (!s->select.buf) return oom(err);
        SL_LOG_INFO("jdbc: reading %s in %lld partitions of %s from %lld to %lld", s->tab.sql_name,
                    (long long)s->nparts, c->name, (long long)s->lower, (long long)s->upper);
    }
    /* One snapshot for every partition. */
    if (pg) {
        rc = sl_jdbc_exec(&s->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
    } else {
        rc = sl_jdbc_exec(&s->conn, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", err);
        if (!rc) rc = sl_jdbc_exec(&s->conn, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", err);
    }
    if (rc) return rc;
    s->in_txn = true;
    return 0;
}

/* Opens the query of the current partition. */
static int open_part(jscan_t *s, sl_err_t *err)
{
    const char *sql = s->select.buf;
    if (s->pcol) {
        int64_t lo, hi;
        sl_jdbc_partition_range(s->lower, s->upper, s->num, s->part, &lo, &hi);
        sl_strbuf_clear(&s->sql);
        if (sl_strbuf_printf(&s->sql, "%s%lld AND %lld", s->select.buf, (long long)lo,
                             (long long)hi))
            return oom(err);
        sql = s->sql.buf;
    }
    int rc = sl_jdbc_query(&s->conn, sql, s->fetch, &s->rows, err);
    if (rc) return rc;
    s->rows_open = true;
    return 0;
}

static int finish(jscan_t *s, sl_err_t *err)
{
    if (s->in_txn) {
        s->in_txn = false;
        int rc = sl_jdbc_exec(&s->conn, "COMMIT", err);
        if (rc) return rc;
    }
    s->ended = true;
    SL_LOG_INFO("jdbc: read %lld rows of %s", (long long)s->rows_read, s->tab.sql_name);
    sl_jdbc_conn_close(&s->conn);
    return 0;
}

static int step(jscan_t *s, sl_batch_t *out, int max_rows, sl_err_t *err)
{
    if (s->ended) return SL_SOURCE_END;
    int rc;
    if (!s->started && (rc = start(s, err))) return rc;
    sl_arena_reset(&s->scratch);
    while (out->nrows < max_rows && !atomic_load(&s->stop)) {
        if (!s->rows_open) {
            if (s->part >= s->nparts) {
                if ((rc = finish(s, err))) return rc;
                return out->nrows ? 0 : SL_SOURCE_END;
            }
            if ((rc = open_part(s, err))) return rc;
        }
        rc = sl_jdbc_next(&s->rows, err);
        if (rc < 0) return rc;
        if (rc == 0) {
            sl_jdbc_rows_close(&s->rows);
            s->rows_open = false;
            s->part++;
            continue;
        }
        for (int f = 0; f < s->ncols; f++) {
            size_t len;
            const char *text = sl_jdbc_get(&s->rows, f, &len);
            if ((rc = sl_jdbc_value(&s->tab, s->map[f], text, len, s->types[f], s->names[f],
                                    &s->row[f], &s->scratch, err)))
                return rc;
        }
        sl_value_t *o = sl_batch_add(out, SL_INSERT);
        if (!o) return oom(err);
        for (int f = 0; f < s->ncols; f++)
            if (sl_batch_set(out, &o[f], &s->row[f], s->types[f])) return oom(err);
        s->rows_read++;
    }
    return 0;
}

static int scan_next(sl_source_t *src, sl_batch_t *out, int max_rows, sl_err_t *err)
{
    jscan_t *s = src->ctx;
    int rc = step(s, out, max_rows, err);
    publish(s);
    if (atomic_load(&s->stop)) return out->nrows && rc >= 0 ? 0 : SL_SOURCE_END;
    if (rc < 0) return ctx_err(s, rc, err);
    return rc;
}

static void scan_wakeup(sl_source_t *src)
{
    jscan_t *s = src->ctx;
    atomic_store(&s->stop, true);
    sl_jdbc_conn_interrupt(&s->conn);
}

static void scan_close(sl_source_t *src)
{
    jscan_t *s = src->ctx;
    if (!s) return;
    if (s->rows_open) {
        /* An abandoned scan: shut the socket first, or releasing a MySQL
         * result would read the rest of the table. */
        sl_jdbc_conn_interrupt(&s->conn);
        sl_jdbc_rows_close(&s->rows);
    }
    sl_jdbc_conn_destroy(&s->conn);
    if (s->tab_loaded || s->started) sl_jdbc_table_free(&s->tab);
    sl_strbuf_destroy(&s->select);
    sl_strbuf_destroy(&s->sql);
    sl_arena_destroy(&s->scratch);
    sl_arena_destroy(&s->arena);
    pthread_mutex_destroy(&s->mu);
    free(s->row);
    free(s->map);
    free(s);
    src->ctx = NULL;
}

static const sl_source_ops_t scan_ops = {scan_next, scan_wakeup, scan_close, scan_metrics, NULL};

static int jdbc_source_new(const sl_conn_ctx_t *ctx, sl_source_t *out, sl_err_t *err)
{
    int rc = jdbc_validate(ctx, err);
    if (rc) return rc;
    if ((rc = sl_mysql_library_init("jdbc", err))) return rc;
    jscan_t *s = calloc(1, sizeof *s);
    if (!s) return oom(err);
    pthread_mutex_init(&s->mu, NULL);
    sl_jdbc_conn_init(&s->conn);
    sl_arena_init(&s->arena, 4096);
    sl_arena_init(&s->scratch, 0);
    atomic_init(&s->stop, false);
    out->ctx = s;
    out->ops = &scan_ops;
    out->bounded = true;
    if ((rc = sl_jdbc_config_read(ctx, &s->arena, &s->cfg, err))) return rc;
    const sl_options_t *o = ctx->opts;
    s->label = sl_arena_strdup(&s->arena, ctx->table);
    int64_t fs = sl_options_int(o, "scan.fetch-size", 0);
    s->fetch = fs > 0 ? fs : 1000;
    const sl_optval_t *pc = given(o, "scan.partition.column");
    if (pc) {
        s->pcol = pc->text;
        s->lower = sl_options_int(o, "scan.partition.lower-bound", 0);
        s->upper = sl_options_int(o, "scan.partition.upper-bound", 0);
        s->num = sl_options_int(o, "scan.partition.num", 1);
        s->nparts = sl_jdbc_partition_count(s->lower, s->upper, s->num);
    } else {
        s->nparts = 1;
    }
    s->ncols = ctx->ncols;
    s->names = ctx->names;
    s->types = ctx->types;
    s->map = calloc((size_t)(s->ncols + 1), sizeof *s->map);
    s->row = calloc((size_t)(s->ncols + 1), sizeof *s->row);
    if (!s->label || !s->map || !s->row) return oom(err);
    return 0;
}

static int jdbc_lookup_new(const sl_conn_ctx_t *ctx, const int *key_cols, int nk,
                           sl_lookup_t *out, sl_err_t *err)
{
    int rc = jdbc_validate(ctx, err);
    if (rc) return rc;
    if ((rc = sl_mysql_library_init("jdbc", err))) return rc;
    return sl_jdbc_lookup_new(ctx, key_cols, nk, out, err);
}

static int jdbc_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    int rc = jdbc_validate(ctx, err);
    if (rc) return rc;
    if ((rc = sl_mysql_library_init("jdbc", err))) return rc;
    return sl_jdbc_sink_new(ctx, out, err);
}

const sl_connector_type_t sl_jdbc_connector = {
    .name = "jdbc",
    .roles = SL_CONN_SOURCE | SL_CONN_LOOKUP | SL_CONN_SINK,
    .lookup_new = jdbc_lookup_new,
    .lookup_inflight = 2,
    .options = jdbc_options,
    .metadata = NULL,
    .changelog = false,
    .validate = jdbc_validate,
    .source_new = jdbc_source_new,
    .sink_new = jdbc_sink_new,
};
