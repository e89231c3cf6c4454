/* lookup.c - the jdbc connector's lookup role: the dimension side of
 * `JOIN dim FOR SYSTEM_TIME AS OF t.proc_time`.
 *
 * The lookup operator (src/operators/lookup_join.c) calls query() on its
 * worker thread with a batch of distinct keys; they become one statement
 * per LOOKUP_KEYS_PER_QUERY keys:
 *
 *   SELECT <columns> FROM <table> WHERE k IN (v1, v2, ...)
 *   SELECT <columns> FROM <table> WHERE (k1, k2) IN ((a, b), (c, d), ...)
 *
 * (row constructors work alike on MariaDB/MySQL and PostgreSQL), read whole
 * (a batch's answer is small) and converted with the scan's value
 * conversion, so a looked-up value equals a scanned one. Caching is the
 * operator's (lookup.cache / lookup.partial-cache.* / lookup.cache.*).
 *
 * A failed query is retried on a fresh connection up to
 * 'lookup.max-retries' times (backoff 0.2 s doubling to 5 s, each attempt
 * logged); then the job fails naming the host and the query.
 *
 * Memory: the jlookup_t and everything in it, freed by close.
 */
#include "connectors/jdbc/jdbc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/jdbc/conn.h"
#include "connectors/jdbc/schema.h"
#include "util/log.h"
#include "util/strbuf.h"

#define LOOKUP_KEYS_PER_QUERY 4096

typedef struct jlookup {
    sl_arena_t arena;
    sl_jdbc_config_t cfg;
    const char *label;         /* the Flink table, for messages */
    sl_jdbc_conn_t conn;
    bool ready;                /* connected, table loaded and mapped */
    sl_jdbc_table_t tab;
    bool tab_loaded;
    bool fatal;                /* the table does not fit: no retry helps */
    int ncols;
    const char *const *names;
    const sl_type_t *const *types;
    int *map;                  /* Flink column -> table column */
    int *keys;                 /* Flink columns of the key */
    int nk;
    int64_t max_retries;
    sl_strbuf_t select;        /* "SELECT ... FROM t WHERE " */
    sl_strbuf_t sql;
    sl_arena_t scratch;        /* values of one result */
} jlookup_t;

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static int prepare(jlookup_t *l, sl_err_t *err)
{
    int rc = sl_jdbc_conn_open(&l->conn, &l->cfg.url, l->cfg.user, l->cfg.password,
                               l->cfg.retry_timeout_ms, err);
    if (rc) return rc;
    if (!l->tab_loaded) {
        rc = sl_jdbc_table_load(&l->conn, l->cfg.table_name, l->cfg.url.time_zone, &l->tab, err);
        if (rc) {
            sl_jdbc_table_free(&l->tab);
            l->fatal = sl_jdbc_conn_alive(&l->conn); /* not a lost connection */
            return rc;
        }
        l->tab_loaded = true;
        if ((rc = sl_jdbc_table_map(&l->tab, l->ncols, l->names, l->types, l->label, l->map, err))) {
            l->fatal = true;
            return rc;
        }
        sl_strbuf_puts(&l->select, "SELECT ");
        if (sl_jdbc_select_list(&l->tab, l->map, l->ncols, &l->select) ||
            sl_strbuf_printf(&l->select, " FROM %s WHERE ", l->tab.sql_name))
            return oom(err);
        if (l->nk > 1) sl_strbuf_putc(&l->select, '(');
        for (int k = 0; k < l->nk; k++) {
            if (k) sl_strbuf_puts(&l->select, ", ");
            if (sl_jdbc_quote_ident(l->tab.dialect, &l->select,
                                    l->tab.cols[l->map[l->keys[k]]].name))
                return oom(err);
        }
        if (l->nk > 1) sl_strbuf_putc(&l->select, ')');
        if (sl_strbuf_puts(&l->select, " IN (")) return oom(err);
    }
    l->ready = true;
    return 0;
}

/* One statement for keys [from, to). */
static int run(jlookup_t *l, const sl_value_t *keys, int from, int to, sl_batch_t *out,
               sl_err_t *err)
{
    sl_strbuf_clear(&l->sql);
    if (sl_strbuf_append(&l->sql, l->select.buf, l->select.len)) return oom(err);
    for (int i = from; i < to; i++) {
        if (i > from) sl_strbuf_puts(&l->sql, ", ");
        if (l->nk > 1) sl_strbuf_putc(&l->sql, '(');
        for (int k = 0; k < l->nk; k++) {
            if (k) sl_strbuf_puts(&l->sql, ", ");
            int rc = sl_jdbc_literal(&l->conn, &keys[(size_t)i * (size_t)l->nk + k],
                                     l->types[l->keys[k]], &l->sql, err);
            if (rc) return rc;
        }
        if (l->nk > 1) sl_strbuf_putc(&l->sql, ')');
    }
    if (sl_strbuf_putc(&l->sql, ')')) return oom(err);
    sl_jdbc_rows_t rows;
    memset(&rows, 0, sizeof rows);
    int rc = sl_jdbc_query(&l->conn, sl_strbuf_cstr(&l->sql), 0, &rows, err);
    if (rc) return rc;
    int start = out->nrows;
    while ((rc = sl_jdbc_next(&rows, err)) == 1) {
        sl_value_t *o = sl_batch_add(out, SL_INSERT);
        if (!o) {
            rc = oom(err);
            break;
        }
        for (int f = 0; f < l->ncols && rc >= 0; f++) {
            size_t len;
            const char *text = sl_jdbc_get(&rows, f, &len);
            sl_value_t v;
            rc = sl_jdbc_value(&l->tab, l->map[f], text, len, l->types[f], l->names[f], &v,
                               &l->scratch, err);
            if (rc >= 0 && sl_batch_set(out, &o[f], &v, l->types[f])) rc = oom(err);
        }
        sl_arena_reset(&l->scratch);
        if (rc < 0) break;
        rc = 0;
    }
    sl_jdbc_rows_close(&rows);
    if (rc < 0) out->nrows = start;
    return rc < 0 ? rc : 0;
}

static int jl_query(sl_lookup_t *lk, const sl_value_t *keys, int nkeys, sl_batch_t *out,
                    sl_err_t *err)
{
    jlookup_t *l = lk->ctx;
    int64_t delay = 200;
    for (int64_t attempt = 0;; attempt++) {
        int rc = l->ready ? 0 : prepare(l, err);
        for (int from = 0; !rc && from < nkeys; from += LOOKUP_KEYS_PER_QUERY) {
            int to = from + LOOKUP_KEYS_PER_QUERY < nkeys ? from + LOOKUP_KEYS_PER_QUERY : nkeys;
            rc = run(l, keys, from, to, out, err);
        }
        if (!rc) return 0;
        /* Schema problems do not heal by retrying. */
        if (rc == -SL_ENOMEM || l->fatal || attempt >= l->max_retries) {
            char m[SL_ERR_MSG_MAX];
            snprintf(m, sizeof m, "%s", err->msg);
            return sl_err_set(err, err->code ? err->code : SL_EIO,
                              "jdbc: lookup in table '%s' failed%s: %s%s%.200s", l->label,
                              attempt ? " after retries" : "", m,
                              l->sql.len ? " (query: " : "", l->sql.len ? l->sql.buf : "");
        }
        SL_LOG_WARN("jdbc: lookup in table '%s' failed (attempt %lld of %lld): %s; reconnecting",
                    l->label, (long long)attempt + 1, (long long)l->max_retries + 1, err->msg);
        l->ready = false;
        sl_jdbc_conn_close(&l->conn);
        struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
        out->nrows = 0;
    }
}

static void jl_close(sl_lookup_t *lk)
{
    jlookup_t *l = lk->ctx;
    if (!l) return;
    sl_jdbc_conn_destroy(&l->conn);
    if (l->tab_loaded) sl_jdbc_table_free(&l->tab);
    sl_strbuf_destroy(&l->select);
    sl_strbuf_destroy(&l->sql);
    sl_arena_destroy(&l->scratch);
    free(l->map);
    free(l->keys);
    sl_arena_destroy(&l->arena);
    free(l);
    lk->ctx = NULL;
}

static const sl_lookup_ops_t jl_ops = {jl_query, jl_close};

int sl_jdbc_lookup_new(const sl_conn_ctx_t *ctx, const int *key_cols, int nk, sl_lookup_t *out,
                       sl_err_t *err)
{
    jlookup_t *l = calloc(1, sizeof *l);
    if (!l) return oom(err);
    out->ctx = l;
    out->ops = &jl_ops;
    sl_arena_init(&l->arena, 1024);
    sl_arena_init(&l->scratch, 0);
    sl_jdbc_conn_init(&l->conn);
    int rc = sl_jdbc_config_read(ctx, &l->arena, &l->cfg, err);
    if (rc) return rc;
    l->label = sl_arena_strdup(&l->arena, ctx->table ? ctx->table : "?");
    l->ncols = ctx->ncols;
    l->names = ctx->names;
    l->types = ctx->types;
    l->nk = nk;
    l->map = calloc((size_t)(ctx->ncols + 1), sizeof *l->map);
    l->keys = malloc((size_t)(nk ? nk : 1) * sizeof *l->keys);
    if (!l->label || !l->map || !l->keys) return oom(err);
    memcpy(l->keys, key_cols, (size_t)nk * sizeof *l->keys);
    l->max_retries = sl_options_int(ctx->opts, "lookup.max-retries", 3);
    if (l->max_retries < 0) l->max_retries = 0;
    return 0;
}
