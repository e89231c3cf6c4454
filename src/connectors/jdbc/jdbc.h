/* jdbc.h - the 'jdbc' connector (Flink's JDBC SQL connector) for
 * MySQL/MariaDB and PostgreSQL: options, their validation, and the bounded
 * scan source. Lookups (lookup.c) and the sink (sink.c) build on the same
 * pieces: sl_jdbc_config_read for the options, conn.h for connections,
 * schema.h for the table and its values.
 */
#ifndef SL_CONNECTORS_JDBC_JDBC_H
#define SL_CONNECTORS_JDBC_JDBC_H

#include "connectors/connector.h"
#include "connectors/jdbc/url.h"

extern const sl_connector_type_t sl_jdbc_connector;

/* The options every role needs, read from checked options. */
typedef struct sl_jdbc_config {
    sl_jdbc_url_t url;         /* parsed 'url' */
    const char *table_name;    /* 'table-name' as given */
    const char *user;          /* 'username', else the URL's user, else NULL */
    const char *password;      /* 'password', else the URL's, else NULL */
    int64_t retry_timeout_ms;  /* 'connection.max-retry-timeout' */
} sl_jdbc_config_t;

/* Fills cfg from ctx->opts (already validated by the type's validate);
 * strings in arena a (or the options'). */
int sl_jdbc_config_read(const sl_conn_ctx_t *ctx, sl_arena_t *a, sl_jdbc_config_t *cfg,
                        sl_err_t *err);

/* Flink's JdbcNumericBetweenParametersProvider.ofBatchNum: [lower, upper]
 * split into min(num, upper - lower + 1) ranges of nearly equal size (the
 * first ones one larger), each read as "column BETWEEN lo AND hi".
 * sl_jdbc_partition_count is the number of ranges (0 when lower > upper or
 * num < 1); sl_jdbc_partition_range the i-th (0-based) range. */
int64_t sl_jdbc_partition_count(int64_t lower, int64_t upper, int64_t num);
void sl_jdbc_partition_range(int64_t lower, int64_t upper, int64_t num, int64_t i, int64_t *lo,
                             int64_t *hi);

/* The lookup role (lookup.c): a lookup source over the table, keyed by
 * the columns key_cols[0, nk) of ctx. */
int sl_jdbc_lookup_new(const sl_conn_ctx_t *ctx, const int *key_cols, int nk, sl_lookup_t *out,
                       sl_err_t *err);

/* The sink role (sink.c): upserts by the primary key, or appends. */
int sl_jdbc_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err);

#endif
