/* sink.c - the jdbc connector's sink role: upserts (a primary key) or
 * appends into a MariaDB/MySQL or PostgreSQL table.
 *
 * write() runs on the loop thread and only copies the rows into a buffer
 * under a mutex; a writer thread of the sink takes the buffer when it has
 * 'sink.buffer-flush.max-rows' rows, when 'sink.buffer-flush.interval' has
 * passed since the last write, or when flush() asks (end of job,
 * checkpoints), and writes it in one transaction:
 *
 *   reduce per key (last change wins: +I/+U upsert, -D delete, -U ignored),
 *   DELETE FROM t WHERE (pk) IN (...)                       for deletes,
 *   INSERT INTO t (...) VALUES (...), (...)
 *     ON DUPLICATE KEY UPDATE c = VALUES(c), ...            (MariaDB/MySQL)
 *     ON CONFLICT (pk) DO UPDATE SET c = EXCLUDED.c, ...     (PostgreSQL)
 *   COMMIT
 *
 * (statements of up to 500 rows). Without a primary key rows are
 * appended. A failed write is retried on a new connection up to
 * 'sink.max-retries' times (the whole transaction again: upserts and
 * deletes by key are idempotent); then the job fails naming the table,
 * the host and the statement. Memory is bounded: while the buffer holds
 * 4 x max-rows rows the sink reports SL_OP_FULL and the job stops reading
 * its sources. durable_rows counts rows committed, for checkpoints.
 *
 * Memory: everything belongs to the jsink_t, freed by close after the
 * writer has stopped.
 */
#include "connectors/jdbc/jdbc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/jdbc/conn.h"
#include "connectors/jdbc/schema.h"
#include "state/codec.h"
#include "util/hashmap.h"
#include "util/log.h"
#include "util/strbuf.h"

#define ROWS_PER_STATEMENT 500

typedef struct jsink {
    sl_arena_t arena;
    sl_jdbc_config_t cfg;
    const char *label;
    int ncols;
    const char *const *names;
    const sl_type_t *const *types;
    int *pk;                   /* Flink columns of the primary key */
    int npk;
    int64_t max_rows, interval_ms, max_retries;
    void (*wakeup)(void *);
    void *wakeup_arg;
    /* shared with the writer, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool th_started, stop, flush_req, writing, failed;
    sl_batch_t buf[2];
    int cur;                   /* buf[cur] takes write()s */
    int64_t last_write_ms;
    uint64_t written_rows, durable_rows;
    sl_err_t err;
    /* the writer's own */
    sl_jdbc_conn_t conn;
    bool ready;
    sl_jdbc_table_t tab;
    bool tab_loaded;
    bool fatal;
    int *map;
    sl_strbuf_t sql, kb;
    sl_hmap_t last;            /* key -> index of the key's last row */
    sl_arena_t keys;
    int *order;                /* rows to write, in first-seen key order */
} jsink_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the writer ---- */

static int prepare(jsink_t *s, sl_err_t *err)
{
    int rc = sl_jdbc_conn_open(&s->conn, &s->cfg.url, s->cfg.user, s->cfg.password,
                               s->cfg.retry_timeout_ms, err);
    if (rc) return rc;
    if (!s->tab_loaded) {
        rc = sl_jdbc_table_load(&s->conn, s->cfg.table_name, s->cfg.url.time_zone, &s->tab, err);
        if (rc) {
            sl_jdbc_table_free(&s->tab);
            s->fatal = sl_jdbc_conn_alive(&s->conn);
            return rc;
        }
        s->tab_loaded = true;
        if ((rc = sl_jdbc_table_map(&s->tab, s->ncols, s->names, s->types, s->label, s->map,
                                    err))) {
            s->fatal = true;
            return rc;
        }
        /* An upsert needs the table's own key on the same columns. */
        if (s->npk) {
            bool same = s->tab.npk == s->npk;
            for (int i = 0; i < s->npk && same; i++) {
                bool found = false;
                for (int j = 0; j < s->tab.npk; j++)
                    if (s->tab.pk[j] == s->map[s->pk[i]]) found = true;
                same = found;
            }
            if (!same) {
                s->fatal = true;
                return sl_err_set(err, SL_EINVAL,
                                  "the PRIMARY KEY of '%s' is not the primary key of %s on %s: "
                                  "an upsert needs the same key in the database",
                                  s->label, s->tab.sql_name, s->conn.where);
            }
        }
    }
    s->ready = true;
    return 0;
}

static int exec_sql(jsink_t *s, sl_err_t *err)
{
    return sl_jdbc_exec(&s->conn, sl_strbuf_cstr(&s->sql), err);
}

static int col_list(jsink_t *s, sl_strbuf_t *sb)
{
    for (int f = 0; f < s->ncols; f++) {
        if (f) sl_strbuf_puts(sb, ", ");
        if (sl_jdbc_quote_ident(s->tab.dialect, sb, s->tab.cols[s->map[f]].name)) return -1;
    }
    return 0;
}

/* INSERT of rows idx[from, to) of b. */
static int insert_rows(jsink_t *s, const sl_batch_t *b, const int *idx, int from, int to,
                       sl_err_t *err)
{
    bool pg = s->tab.dialect == SL_JDBC_POSTGRES;
    sl_strbuf_t *q = &s->sql;
    sl_strbuf_clear(q);
    sl_strbuf_printf(q, "INSERT INTO %s (", s->tab.sql_name);
    if (col_list(s, q)) return oom(err);
    sl_strbuf_puts(q, ") VALUES ");
    for (int i = from; i < to; i++) {
        const sl_value_t *row = sl_batch_row(b, idx[i]);
        sl_strbuf_puts(q, i > from ? ", (" : "(");
        for (int f = 0; f < s->ncols; f++) {
            if (f) sl_strbuf_puts(q, ", ");
            int rc = sl_jdbc_literal(&s->conn, &row[f], s->types[f], q, err);
            if (rc) return rc;
        }
        sl_strbuf_putc(q, ')');
    }
    if (s->npk) {
        bool any = false;
        if (pg) {
            sl_strbuf_puts(q, " ON CONFLICT (");
            for (int i = 0; i < s->npk; i++) {
                if (i) sl_strbuf_puts(q, ", ");
                sl_jdbc_quote_ident(s->tab.dialect, q, s->tab.cols[s->map[s->pk[i]]].name);
            }
            sl_strbuf_puts(q, ") DO UPDATE SET ");
        } else {
            sl_strbuf_puts(q, " ON DUPLICATE KEY UPDATE ");
        }
        for (int f = 0; f < s->ncols; f++) {
            bool key = false;
            for (int i = 0; i < s->npk; i++) key |= s->pk[i] == f;
            if (key) continue;
            const char *name = s->tab.cols[s->map[f]].name;
            if (any) sl_strbuf_puts(q, ", ");
            any = true;
            sl_jdbc_quote_ident(s->tab.dialect, q, name);
            sl_strbuf_puts(q, pg ? " = EXCLUDED." : " = VALUES(");
            sl_jdbc_quote_ident(s->tab.dialect, q, name);
            if (!pg) sl_strbuf_putc(q, ')');
        }
        if (!any) {
            /* Only key columns: nothing to update. */
            q->len -= pg ? strlen(" DO UPDATE SET ") : strlen(" ON DUPLICATE KEY UPDATE ");
            if (pg) sl_strbuf_puts(q, " DO NOTHING");
            else {
                q->buf[q->len] = '\0';
                /* MySQL: INSERT IGNORE would hide other errors; update the
                 * first key column to itself instead. */
                const char *k0 = s->tab.cols[s->map[s->pk[0]]].name;
                sl_strbuf_puts(q, " ON DUPLICATE KEY UPDATE ");
                sl_jdbc_quote_ident(s->tab.dialect, q, k0);
                sl_strbuf_puts(q, " = ");
                sl_jdbc_quote_ident(s->tab.dialect, q, k0);
            }
        }
    }
    if (!q->buf) return oom(err);
    return exec_sql(s, err);
}

static int delete_rows(jsink_t *s, const sl_batch_t *b, const int *idx, int from, int to,
                       sl_err_t *err)
{
    sl_strbuf_t *q = &s->sql;
    sl_strbuf_clear(q);
    sl_strbuf_printf(q, "DELETE FROM %s WHERE ", s->tab.sql_name);
    if (s->npk > 1) sl_strbuf_putc(q, '(');
    for (int i = 0; i < s->npk; i++) {
        if (i) sl_strbuf_puts(q, ", ");
        sl_jdbc_quote_ident(s->tab.dialect, q, s->tab.cols[s->map[s->pk[i]]].name);
    }
    sl_strbuf_puts(q, s->npk > 1 ? ") IN (" : " IN (");
    for (int i = from; i < to; i++) {
        const sl_value_t *row = sl_batch_row(b, idx[i]);
        if (i > from) sl_strbuf_puts(q, ", ");
        if (s->npk > 1) sl_strbuf_putc(q, '(');
        for (int k = 0; k < s->npk; k++) {
            if (k) sl_strbuf_puts(q, ", ");
            int rc = sl_jdbc_literal(&s->conn, &row[s->pk[k]], s->types[s->pk[k]], q, err);
            if (rc) return rc;
        }
        if (s->npk > 1) sl_strbuf_putc(q, ')');
    }
    if (sl_strbuf_putc(q, ')')) return oom(err);
    return exec_sql(s, err);
}

/* Writes batch b in one transaction. */
static int write_batch(jsink_t *s, const sl_batch_t *b, sl_err_t *err)
{
    int n = b->nrows, nup = 0, ndel = 0;
    int *ups = s->order, *dels = s->order + n;
    if (s->npk) {
        /* The last change of each key. */
        sl_hmap_clear(&s->last);
        sl_arena_reset(&s->keys);
        int *lastidx = sl_arena_alloc(&s->keys, (size_t)(n ? n : 1) * sizeof *lastidx);
        int nkeys = 0;
        if (!lastidx) return oom(err);
        for (int r = 0; r < n; r++) {
            if (b->kinds[r] == SL_UPDATE_BEFORE) continue;
            const sl_value_t *row = sl_batch_row(b, r);
            sl_strbuf_clear(&s->kb);
            for (int k = 0; k < s->npk; k++)
                if (sl_key_encode(&s->kb, &row[s->pk[k]], s->types[s->pk[k]])) return oom(err);
            int *slot = sl_hmap_get(&s->last, s->kb.buf, s->kb.len);
            if (slot) {
                *slot = r;
                continue;
            }
            void *key = sl_arena_memdup(&s->keys, s->kb.buf, s->kb.len);
            lastidx[nkeys] = r;
            if (!key || sl_hmap_put(&s->last, key, s->kb.len, &lastidx[nkeys])) return oom(err);
            nkeys++;
        }
        for (int k = 0; k < nkeys; k++) {
            int r = lastidx[k];
            if (b->kinds[r] == SL_DELETE) dels[ndel++] = r;
            else ups[nup++] = r;
        }
    } else {
        for (int r = 0; r < n; r++)
            if (sl_row_kind_is_add(b->kinds[r])) ups[nup++] = r;
    }
    if (nup == 0 && ndel == 0) return 0;
    int rc = sl_jdbc_exec(&s->conn, "BEGIN", err);
    for (int i = 0; !rc && i < ndel; i += ROWS_PER_STATEMENT)
        rc = delete_rows(s, b, dels, i, i + ROWS_PER_STATEMENT < ndel ? i + ROWS_PER_STATEMENT : ndel,
                         err);
    for (int i = 0; !rc && i < nup; i += ROWS_PER_STATEMENT)
        rc = insert_rows(s, b, ups, i, i + ROWS_PER_STATEMENT < nup ? i + ROWS_PER_STATEMENT : nup,
                         err);
    if (!rc) rc = sl_jdbc_exec(&s->conn, "COMMIT", err);
    if (rc) {
        sl_err_t e2;
        sl_jdbc_exec(&s->conn, "ROLLBACK", &e2);
    }
    return rc;
}

/* Writes b, reconnecting and retrying as configured. */
static int write_retrying(jsink_t *s, const sl_batch_t *b, sl_err_t *err)
{
    int64_t delay = 200;
    int *o = realloc(s->order, (size_t)(2 * b->nrows + 1) * sizeof *o);
    if (!o) return oom(err);
    s->order = o;
    for (int64_t attempt = 0;; attempt++) {
        int rc = s->ready ? 0 : prepare(s, err);
        if (!rc) rc = write_batch(s, b, err);
        if (!rc) return 0;
        if (rc == -SL_ENOMEM || s->fatal || attempt >= s->max_retries) {
            char m[SL_ERR_MSG_MAX];
            snprintf(m, sizeof m, "%s", err->msg);
            return sl_err_set(err, err->code ? err->code : SL_EIO,
                              "jdbc: writing to table '%s' failed%s: %s", s->label,
                              attempt ? " after retries" : "", m);
        }
        SL_LOG_WARN("jdbc: writing to table '%s' failed (attempt %lld of %lld): %s; reconnecting",
                    s->label, (long long)attempt + 1, (long long)s->max_retries + 1, err->msg);
        s->ready = false;
        sl_jdbc_conn_close(&s->conn);
        struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
    }
}

static void *writer_main(void *arg)
{
    jsink_t *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        /* Wait for enough rows, the interval, a flush request or stop. */
        while (!s->stop && !s->failed) {
            int n = s->buf[s->cur].nrows;
            if (n > 0 && (s->flush_req || n >= s->max_rows)) break;
            if (n > 0 && s->interval_ms > 0 && mono_ms() - s->last_write_ms >= s->interval_ms)
                break;
            if (n == 0) s->flush_req = false;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t wait = s->interval_ms > 0 ? s->interval_ms : 1000;
            if (wait > 100) wait = 100;
            ts.tv_nsec += wait * 1000000L;
            ts.tv_sec += ts.tv_nsec / 1000000000L;
            ts.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&s->cv, &s->mu, &ts);
        }
        if (s->stop || s->failed) break;
        sl_batch_t *b = &s->buf[s->cur];
        s->cur ^= 1;
        s->writing = true;
        s->flush_req = false;
        pthread_mutex_unlock(&s->mu);
        sl_err_t err;
        sl_err_clear(&err);
        int rc = write_retrying(s, b, &err);
        pthread_mutex_lock(&s->mu);
        s->writing = false;
        s->last_write_ms = mono_ms();
        if (rc) {
            s->failed = true;
            s->err = err;
        } else {
            s->durable_rows += (uint64_t)b->nrows;
        }
        sl_batch_reset(b);
        if (s->wakeup) s->wakeup(s->wakeup_arg);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- sink ops (loop thread) ---- */

static int js_write(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err)
{
    jsink_t *s = snk->ctx;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (s->failed) {
        *err = s->err;
        rc = -(s->err.code ? s->err.code : SL_EIO);
    }
    sl_batch_t *dst = &s->buf[s->cur];
    for (int r = 0; !rc && r < b->nrows; r++) {
        sl_value_t *o = sl_batch_add(dst, b->kinds[r]);
        if (!o) {
            rc = oom(err);
            break;
        }
        const sl_value_t *in = sl_batch_row(b, r);
        for (int c = 0; c < s->ncols && !rc; c++)
            if (sl_batch_set(dst, &o[c], &in[c], s->types[c])) rc = oom(err);
    }
    if (!rc) s->written_rows += (uint64_t)b->nrows;
    if (!rc && dst->nrows >= s->max_rows) pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int js_flush(sl_sink_t *snk, sl_err_t *err)
{
    jsink_t *s = snk->ctx;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (s->failed) {
        *err = s->err;
        rc = -(s->err.code ? s->err.code : SL_EIO);
    } else if (s->buf[s->cur].nrows) {
        s->flush_req = true;
        pthread_cond_signal(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int js_poll(sl_sink_t *snk, sl_err_t *err)
{
    jsink_t *s = snk->ctx;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (s->failed) {
        *err = s->err;
        rc = -(s->err.code ? s->err.code : SL_EIO);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int js_pending(sl_sink_t *snk)
{
    jsink_t *s = snk->ctx;
    pthread_mutex_lock(&s->mu);
    int n = s->buf[s->cur].nrows;
    int p = s->failed ? SL_OP_IDLE
          : n >= 4 * s->max_rows ? SL_OP_FULL
          : (n > 0 || s->writing) ? SL_OP_BUSY : SL_OP_IDLE;
    pthread_mutex_unlock(&s->mu);
    return p;
}

static uint64_t js_progress(sl_sink_t *snk, uint64_t *acked)
{
    jsink_t *s = snk->ctx;
    pthread_mutex_lock(&s->mu);
    uint64_t w = s->written_rows;
    *acked = s->durable_rows;
    pthread_mutex_unlock(&s->mu);
    return w;
}

static void js_close(sl_sink_t *snk)
{
    jsink_t *s = snk->ctx;
    if (!s) return;
    if (s->th_started) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->th, NULL);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    sl_jdbc_conn_destroy(&s->conn);
    if (s->tab_loaded) sl_jdbc_table_free(&s->tab);
    sl_batch_destroy(&s->buf[0]);
    sl_batch_destroy(&s->buf[1]);
    sl_hmap_destroy(&s->last);
    sl_arena_destroy(&s->keys);
    sl_strbuf_destroy(&s->sql);
    sl_strbuf_destroy(&s->kb);
    free(s->order);
    free(s->map);
    free(s->pk);
    sl_arena_destroy(&s->arena);
    free(s);
    snk->ctx = NULL;
}

static const sl_sink_ops_t js_ops = {
    .write = js_write,
    .flush = js_flush,
    .close = js_close,
    .poll = js_poll,
    .pending = js_pending,
    .progress = js_progress,
};

int sl_jdbc_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    jsink_t *s = calloc(1, sizeof *s);
    if (!s) return oom(err);
    out->ctx = s;
    out->ops = &js_ops;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    sl_arena_init(&s->arena, 1024);
    sl_arena_init(&s->keys, 0);
    sl_jdbc_conn_init(&s->conn);
    int rc = sl_jdbc_config_read(ctx, &s->arena, &s->cfg, err);
    if (rc) return rc;
    s->label = sl_arena_strdup(&s->arena, ctx->table ? ctx->table : "?");
    s->ncols = ctx->ncols;
    s->names = ctx->names;
    s->types = ctx->types;
    s->npk = ctx->npk;
    s->pk = malloc((size_t)(ctx->npk + 1) * sizeof *s->pk);
    s->map = calloc((size_t)(ctx->ncols + 1), sizeof *s->map);
    if (!s->label || !s->pk || !s->map || sl_batch_init(&s->buf[0], s->ncols, 0) ||
        sl_batch_init(&s->buf[1], s->ncols, 0) || sl_hmap_init(&s->last, 64))
        return oom(err);
    if (ctx->npk) memcpy(s->pk, ctx->pk, (size_t)ctx->npk * sizeof *s->pk);
    s->max_rows = sl_options_int(ctx->opts, "sink.buffer-flush.max-rows", 100);
    if (s->max_rows < 1) s->max_rows = 1;
    s->interval_ms = sl_options_int(ctx->opts, "sink.buffer-flush.interval", 1000);
    s->max_retries = sl_options_int(ctx->opts, "sink.max-retries", 3);
    if (s->max_retries < 0) s->max_retries = 0;
    s->wakeup = ctx->wakeup;
    s->wakeup_arg = ctx->wakeup_arg;
    s->last_write_ms = mono_ms();
    out->upsert = s->npk > 0;
    out->changelog = false;
    out->flush_on_checkpoint = true;
    /* Connect and check the table now: a missing table or column is a
     * startup error (the loop does not run yet). */
    if ((rc = prepare(s, err))) {
        char m[SL_ERR_MSG_MAX];
        snprintf(m, sizeof m, "%s", err->msg);
        return sl_err_set(err, err->code ? err->code : SL_EIO, "jdbc: sink table '%s': %s",
                          s->label, m);
    }
    if (pthread_create(&s->th, NULL, writer_main, s))
        return sl_err_set(err, SL_EINTERNAL, "jdbc: cannot start the sink's writer thread");
    s->th_started = true;
    return 0;
}
