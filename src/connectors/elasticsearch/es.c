/* es.c - the 'elasticsearch-7' and 'elasticsearch-6' connector types:
 * options with Flink's names and defaults, their validation (messages as
 * Flink words them where it has one), and the config the sink reads.
 *
 * Defaults Flink leaves to Elasticsearch's client are taken from it: with
 * a backoff strategy and no max-retries/delay, 8 retries from 50 ms (the
 * BulkProcessor's default policy); connection.timeout 1 s and
 * socket.timeout 30 s (the RestClient's defaults).
 */
#include "connectors/elasticsearch/es.h"

#include <string.h>
#include <strings.h>

#include "connectors/formats/format.h"

#define ES_COMMON_OPTIONS                                                                 \
    {"hosts", SL_OPT_STRING, true, NULL, NULL,                                            \
     "one or more Elasticsearch hosts, ';'-separated: 'http://host:9200;http://h2:9200'"}, \
    {"index", SL_OPT_STRING, true, NULL, NULL,                                            \
     "index for every row: 'name', 'name-{field}', 'name-{field|yyyy-MM-dd}', "          \
     "'name-{now()|yyyy-MM-dd}'"},                                                        \
    {"document-id.key-delimiter", SL_OPT_STRING, false, "_", NULL,                        \
     "joins the primary key's fields into the document id"},                              \
    {"username", SL_OPT_STRING, false, NULL, NULL, "basic auth user (with 'password')"},  \
    {"password", SL_OPT_STRING, false, NULL, NULL, "basic auth password"},                \
    {"failure-handler", SL_OPT_STRING, false, "fail", NULL,                               \
     "a rejected document: fail (the job), ignore (log and drop), retry-rejected "        \
     "(retry 429s without limit, fail on other errors)"},                                 \
    {"sink.flush-on-checkpoint", SL_OPT_BOOL, false, "true", NULL,                        \
     "a checkpoint waits until every buffered action is acknowledged"},                   \
    {"sink.bulk-flush.max-actions", SL_OPT_INT, false, "1000", NULL,                      \
     "actions per bulk request (0: no limit)"},                                           \
    {"sink.bulk-flush.max-size", SL_OPT_MEMSIZE, false, "2mb", NULL,                      \
     "bytes per bulk request, in whole MB (0: no limit)"},                                \
    {"sink.bulk-flush.interval", SL_OPT_DURATION, false, "1s", NULL,                      \
     "send buffered actions this often (0: only by size)"},                               \
    {"sink.bulk-flush.backoff.strategy", SL_OPT_ENUM, false, "DISABLED",                  \
     "DISABLED|CONSTANT|EXPONENTIAL",                                                     \
     "retries of rejected actions and failed requests: DISABLED, CONSTANT, EXPONENTIAL"}, \
    {"sink.bulk-flush.backoff.max-retries", SL_OPT_INT, false, NULL, NULL,                \
     "retries with a backoff strategy (default 8)"},                                      \
    {"sink.bulk-flush.backoff.delay", SL_OPT_DURATION, false, NULL, NULL,                 \
     "delay of a CONSTANT backoff, first delay of an EXPONENTIAL one (default 50ms)"},    \
    {"connection.path-prefix", SL_OPT_STRING, false, NULL, NULL,                          \
     "prefix of every request path, e.g. '/v1'"},                                         \
    {"connection.request-timeout", SL_OPT_DURATION, false, NULL, NULL,                    \
     "longest time a whole request may take (sluice has no connection pool to wait on)"}, \
    {"connection.timeout", SL_OPT_DURATION, false, "1s", NULL,                            \
     "timeout to establish a connection"},                                                \
    {"socket.timeout", SL_OPT_DURATION, false, "30s", NULL,                               \
     "longest wait for data on a connection (whole seconds)"},                            \
    {"format", SL_OPT_STRING, false, "json", NULL, "document format: json"},              \
    {"sink.parallelism", SL_OPT_INT, false, NULL, NULL,                                   \
     "accepted; the sink runs on the loop thread"},                                       \
    {"index.create-with-mapping", SL_OPT_BOOL, false, "true", NULL,                       \
     "sluice: create a missing index with a mapping from the table's columns"},           \
    SL_FORMAT_JSON_OPTIONS

static const sl_option_spec_t es7_options[] = {
    ES_COMMON_OPTIONS,
    {NULL, 0, false, NULL, NULL, NULL},
};

static const sl_option_spec_t es6_options[] = {
    ES_COMMON_OPTIONS,
    {"document-type", SL_OPT_STRING, true, NULL, NULL, "Elasticsearch 6 document type"},
    {NULL, 0, false, NULL, NULL, NULL},
};

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static const sl_optval_t *given(const sl_options_t *o, const char *key)
{
    const sl_optval_t *v = sl_options_get(o, key);
    return v && v->src ? v : NULL;
}

static int at_value(sl_err_t *err, const sl_optval_t *v, int rc)
{
    if (v && v->src) {
        err->off = v->src->val_off;
        err->len = v->src->val_len;
    }
    return rc;
}

/* An error inside an option's text at byte off (of the unescaped value):
 * points into the SQL literal when it is written plainly. */
static int at_inside(sl_err_t *err, const sl_optval_t *v, int rc)
{
    if (v && v->src && err->off >= 0 && v->src->val_len == (int)strlen(v->text) + 2) {
        err->off = v->src->val_off + 1 + err->off;
        if (err->len <= 0) err->len = 1;
        return rc;
    }
    return at_value(err, v, rc);
}

static int config_read(const sl_conn_ctx_t *ctx, int version, sl_arena_t *a,
                       sl_es_config_t *cfg, sl_err_t *err)
{
    memset(cfg, 0, sizeof *cfg);
    const sl_options_t *o = ctx->opts;
    cfg->version = version;
    int rc;
    const sl_optval_t *fv = sl_options_get(o, "format");
    if (fv && strcmp(fv->text, "json"))
        return at_value(err, fv,
                        sl_err_set(err, SL_EUNSUPPORTED,
                                   "option 'format': the elasticsearch sink writes 'json', "
                                   "not '%s'",
                                   fv->text));
    if ((rc = sl_format_check_foreign_options("json", o, err))) return rc;

    const sl_optval_t *hv = sl_options_get(o, "hosts");
    const sl_optval_t *pv = sl_options_get(o, "connection.path-prefix");
    if (!hv) return sl_err_set(err, SL_EINVAL, "missing required option 'hosts'");
    if ((rc = sl_es_hosts_parse(hv->text, pv ? pv->text : NULL, a, &cfg->hosts, &cfg->nhosts,
                                err)))
        return at_inside(err, hv, rc);

    const sl_optval_t *iv = sl_options_get(o, "index");
    if (!iv) return sl_err_set(err, SL_EINVAL, "missing required option 'index'");
    cfg->index_text = iv->text;
    if ((rc = sl_es_index_parse(iv->text, ctx->ncols, ctx->names, ctx->types, a, &cfg->index,
                                err)))
        return at_inside(err, iv, rc);
    if (version == 6) cfg->doc_type = sl_options_str(o, "document-type", "_doc");
    cfg->delim = sl_options_str(o, "document-id.key-delimiter", "_");

    const sl_optval_t *uv = given(o, "username"), *pw = given(o, "password");
    if ((uv && uv->text[0]) && !(pw && pw->text[0]))
        return at_value(err, uv,
                        sl_err_set(err, SL_EINVAL,
                                   "'username' and 'password' must be set at the same time; "
                                   "got username '%s' and no password",
                                   uv->text));
    if (!(uv && uv->text[0]) && (pw && pw->text[0]))
        return at_value(err, pw,
                        sl_err_set(err, SL_EINVAL,
                                   "'username' and 'password' must be set at the same time; "
                                   "got a password and no username"));
    cfg->user = uv && uv->text[0] ? uv->text : NULL;
    cfg->password = cfg->user ? pw->text : NULL;

    const sl_optval_t *fh = sl_options_get(o, "failure-handler");
    const char *fht = fh ? fh->text : "fail";
    if (!strcasecmp(fht, "fail")) cfg->failure = SL_ES_FAIL;
    else if (!strcasecmp(fht, "ignore")) cfg->failure = SL_ES_IGNORE;
    else if (!strcasecmp(fht, "retry-rejected")) cfg->failure = SL_ES_RETRY_REJECTED;
    else
        return at_value(err, fh,
                        sl_err_set(err, SL_EUNSUPPORTED,
                                   "option 'failure-handler': '%s' is not one of fail, ignore, "
                                   "retry-rejected (custom ActionRequestFailureHandler classes "
                                   "are Java; sluice has the three built-in ones)",
                                   fht));
    cfg->flush_on_checkpoint = sl_options_int(o, "sink.flush-on-checkpoint", 1) != 0;

    const sl_optval_t *ma = sl_options_get(o, "sink.bulk-flush.max-actions");
    cfg->max_actions = ma ? ma->i : 1000;
    if (cfg->max_actions == -1) cfg->max_actions = 0;
    if (cfg->max_actions < 0)
        return at_value(err, ma,
                        sl_err_set(err, SL_EINVAL,
                                   "'sink.bulk-flush.max-actions' must be at least 1, or 0 to "
                                   "disable it; got %lld",
                                   (long long)cfg->max_actions));
    const sl_optval_t *ms = sl_options_get(o, "sink.bulk-flush.max-size");
    cfg->max_bytes = ms ? ms->i : 2 << 20;
    if (cfg->max_bytes < 0 || cfg->max_bytes % (1 << 20))
        return at_value(err, ms,
                        sl_err_set(err, SL_EINVAL,
                                   "'sink.bulk-flush.max-size' must be in MB granularity "
                                   "(as in Flink); got %lld bytes",
                                   (long long)cfg->max_bytes));
    const sl_optval_t *in = sl_options_get(o, "sink.bulk-flush.interval");
    cfg->interval_ms = in ? in->i : 1000;
    if (cfg->interval_ms < 0) cfg->interval_ms = 0;

    const sl_optval_t *bs = sl_options_get(o, "sink.bulk-flush.backoff.strategy");
    const char *bst = bs ? bs->text : "DISABLED";
    cfg->backoff = !strcasecmp(bst, "CONSTANT")      ? SL_ES_BACKOFF_CONSTANT
                   : !strcasecmp(bst, "EXPONENTIAL") ? SL_ES_BACKOFF_EXPONENTIAL
                                                     : SL_ES_BACKOFF_DISABLED;
    const sl_optval_t *mr = given(o, "sink.bulk-flush.backoff.max-retries");
    const sl_optval_t *dl = given(o, "sink.bulk-flush.backoff.delay");
    cfg->max_retries = mr ? mr->i : 8;
    cfg->delay_ms = dl ? dl->i : 50;
    if (mr && mr->i < 1)
        return at_value(err, mr,
                        sl_err_set(err, SL_EINVAL,
                                   "'sink.bulk-flush.backoff.max-retries' must be at least 1; "
                                   "got %lld",
                                   (long long)mr->i));
    if (dl && dl->i < 0)
        return at_value(err, dl,
                        sl_err_set(err, SL_EINVAL,
                                   "'sink.bulk-flush.backoff.delay' must not be negative"));
    if (cfg->backoff == SL_ES_BACKOFF_DISABLED) cfg->max_retries = 0;

    cfg->connect_timeout_ms = sl_options_int(o, "connection.timeout", 1000);
    cfg->socket_timeout_ms = sl_options_int(o, "socket.timeout", 30000);
    cfg->request_timeout_ms = sl_options_int(o, "connection.request-timeout", 0);
    static const char *const timeouts[] = {"connection.timeout", "socket.timeout",
                                           "connection.request-timeout"};
    for (int i = 0; i < 3; i++) {
        const sl_optval_t *t = given(o, timeouts[i]);
        if (t && t->i <= 0)
            return at_value(err, t,
                            sl_err_set(err, SL_EINVAL, "option '%s' must be positive, got '%s'",
                                       timeouts[i], t->text));
    }
    cfg->create_index = sl_options_int(o, "index.create-with-mapping", 1) != 0;
    sl_json_cfg_from_options(&cfg->json, "json", o);

    /* The document id: Flink refuses keys it cannot print. */
    for (int i = 0; i < ctx->npk; i++) {
        const sl_type_t *t = ctx->types[ctx->pk[i]];
        if (!sl_es_key_type_ok(t)) {
            sl_strbuf_t tb = SL_STRBUF_INIT;
            sl_type_format(&tb, t);
            sl_err_set(err, SL_EUNSUPPORTED,
                       "table '%s': primary key column '%s' is %s; an Elasticsearch document "
                       "id cannot be made from ARRAY, MAP, MULTISET, ROW, RAW, BINARY or "
                       "VARBINARY columns",
                       ctx->table, ctx->names[ctx->pk[i]], tb.buf ? tb.buf : "?");
            sl_strbuf_destroy(&tb);
            return -SL_EUNSUPPORTED;
        }
    }
    return sl_json_check_types(ctx->ncols, ctx->names, ctx->types, err);
}

int sl_es_config_read(const sl_conn_ctx_t *ctx, int version, sl_arena_t *a,
                      sl_es_config_t *cfg, sl_err_t *err)
{
    return config_read(ctx, version, a, cfg, err);
}

static int validate(const sl_conn_ctx_t *ctx, int version, sl_err_t *err)
{
    sl_arena_t a;
    sl_arena_init(&a, 4096);
    sl_es_config_t cfg;
    int rc = config_read(ctx, version, &a, &cfg, err);
    sl_arena_destroy(&a);
    return rc == -SL_ENOMEM ? oom(err) : rc;
}

static int es7_validate(const sl_conn_ctx_t *ctx, sl_err_t *err) { return validate(ctx, 7, err); }
static int es6_validate(const sl_conn_ctx_t *ctx, sl_err_t *err) { return validate(ctx, 6, err); }

static int es7_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    return sl_es_sink_new(ctx, 7, out, err);
}

static int es6_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    return sl_es_sink_new(ctx, 6, out, err);
}

const sl_connector_type_t sl_elasticsearch7_connector = {
    .name = "elasticsearch-7",
    .roles = SL_CONN_SINK,
    .options = es7_options,
    .validate = es7_validate,
    .sink_new = es7_sink_new,
};

const sl_connector_type_t sl_elasticsearch6_connector = {
    .name = "elasticsearch-6",
    .roles = SL_CONN_SINK,
    .options = es6_options,
    .validate = es6_validate,
    .sink_new = es6_sink_new,
};
