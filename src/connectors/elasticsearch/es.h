/* es.h - the 'elasticsearch-7' and 'elasticsearch-6' connectors (Flink's
 * Elasticsearch SQL connectors): sink role only, upserts by the primary
 * key or appends. es.c holds the options and their validation, es_sink.c
 * the sink (bulk requests with libcurl's multi interface on the job's
 * libuv loop), es_util.c the pure parts.
 */
#ifndef SL_CONNECTORS_ELASTICSEARCH_ES_H
#define SL_CONNECTORS_ELASTICSEARCH_ES_H

#include "connectors/connector.h"
#include "connectors/elasticsearch/es_util.h"
#include "connectors/formats/json.h"

extern const sl_connector_type_t sl_elasticsearch7_connector;
extern const sl_connector_type_t sl_elasticsearch6_connector;

enum { SL_ES_FAIL = 0, SL_ES_IGNORE, SL_ES_RETRY_REJECTED };
enum { SL_ES_BACKOFF_DISABLED = 0, SL_ES_BACKOFF_CONSTANT, SL_ES_BACKOFF_EXPONENTIAL };

/* A table's checked options, ready for the sink. Strings live in the
 * arena given to sl_es_config_read (or in the options). */
typedef struct sl_es_config {
    int version;                 /* 6 or 7 */
    sl_es_host_t *hosts;
    int nhosts;
    sl_es_index_t index;
    const char *index_text;      /* the 'index' option as given */
    const char *doc_type;        /* elasticsearch-6's document-type, else NULL */
    const char *delim;           /* document-id.key-delimiter */
    const char *user, *password; /* NULL when not given */
    int failure;                 /* SL_ES_FAIL / IGNORE / RETRY_REJECTED */
    bool flush_on_checkpoint;
    int64_t max_actions;         /* 0: no limit */
    int64_t max_bytes;           /* 0: no limit */
    int64_t interval_ms;         /* 0: no periodic flush */
    int backoff;                 /* SL_ES_BACKOFF_* */
    int64_t max_retries;         /* with a backoff strategy */
    int64_t delay_ms;
    int64_t connect_timeout_ms;  /* connection.timeout */
    int64_t socket_timeout_ms;   /* socket.timeout */
    int64_t request_timeout_ms;  /* connection.request-timeout, 0: none */
    bool create_index;           /* index.create-with-mapping */
    sl_json_cfg_t json;
} sl_es_config_t;

/* Reads ctx->opts (checked by the type's validate) into cfg. */
int sl_es_config_read(const sl_conn_ctx_t *ctx, int version, sl_arena_t *a,
                      sl_es_config_t *cfg, sl_err_t *err);

/* The sink (es_sink.c). ctx->loop must be the job's loop. */
int sl_es_sink_new(const sl_conn_ctx_t *ctx, int version, sl_sink_t *out, sl_err_t *err);

#endif
