/* check_es.c - unit tests for the elasticsearch sink's pure parts
 * (src/connectors/elasticsearch/es_util.c) and its option validation:
 * Java date patterns, index patterns as Flink's IndexGeneratorFactory,
 * document ids as Flink's KeyExtractor, mappings, hosts. The sink against
 * a server: tests/integration/test_es_sink.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/connector.h"
#include "connectors/elasticsearch/es.h"
#include "connectors/elasticsearch/es_util.h"
#include "exec/value.h"
#include "testutil.h"

static sl_arena_t A;

#include "typespec.h"

static sl_date_t D(int y, int m, int d)
{
    sl_date_t x;
    ck_assert_int_eq(sl_date_make(y, m, d, &x), 0);
    return x;
}

/* ---- date patterns ---- */

START_TEST(test_datefmt)
{
    static const struct { const char *pat; int y, mo, d, h, mi, s; int32_t ns; const char *want; } c[] = {
        {"yyyy-MM-dd", 2020, 3, 27, 12, 25, 55, 0, "2020-03-27"},
        {"yyyy_MM_dd_HH_mm_ss", 2020, 3, 27, 12, 25, 55, 0, "2020_03_27_12_25_55"},
        {"yyyyMMdd", 999, 1, 2, 0, 0, 0, 0, "09990102"},
        {"yy.M.d", 2007, 1, 2, 0, 0, 0, 0, "07.1.2"},
        {"uuuu 'week' D", 2021, 2, 1, 0, 0, 0, 0, "2021 week 32"},
        {"DDD", 2021, 1, 5, 0, 0, 0, 0, "005"},
        {"HH:mm:ss.SSS", 2021, 1, 5, 7, 8, 9, 123456789, "07:08:09.123"},
        {"ss.SSSSSSSSS", 2021, 1, 5, 7, 8, 9, 5, "09.000000005"},
        {"h a", 2021, 1, 5, 0, 0, 0, 0, "12 AM"},
        {"hh a", 2021, 1, 5, 13, 0, 0, 0, "01 PM"},
        {"EEE, d MMM yyyy", 2020, 3, 27, 0, 0, 0, 0, "Fri, 27 Mar 2020"},
        {"EEEE MMMM", 1970, 1, 1, 0, 0, 0, 0, "Thursday January"},
        {"''yyyy''", 2020, 1, 1, 0, 0, 0, 0, "'2020'"},
        {"'it''s' yyyy", 2020, 1, 1, 0, 0, 0, 0, "it's 2020"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        sl_es_datefmt_t f;
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_msg(sl_es_datefmt_compile(c[i].pat, strlen(c[i].pat), &A, &f, &err) == 0,
                      "%s: %s", c[i].pat, err.msg);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        int64_t ns = ((int64_t)c[i].h * 3600 + c[i].mi * 60 + c[i].s) * 1000000000LL + c[i].ns;
        ck_assert_int_eq(sl_es_datefmt_format(&f, D(c[i].y, c[i].mo, c[i].d), ns, &sb), 0);
        ck_assert_msg(!strcmp(sb.buf ? sb.buf : "", c[i].want), "%s: got '%s', want '%s'",
                      c[i].pat, sb.buf, c[i].want);
        sl_strbuf_destroy(&sb);
    }
    static const struct { const char *pat, *msg; int off; } bad[] = {
        {"yyyy-ww", "pattern letter 'w'", 5},
        {"yyyy-MM-dd'T", "unterminated quote", 10},
        {"MMMMM", "too many pattern letters 'M'", 0},
        {"yyyy[MM]", "'[' in date pattern", 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_es_datefmt_t f;
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_msg(sl_es_datefmt_compile(bad[i].pat, strlen(bad[i].pat), &A, &f, &err) < 0,
                      "%s accepted", bad[i].pat);
        ck_assert_msg(strstr(err.msg, bad[i].msg), "%s: '%s' lacks '%s'", bad[i].pat, err.msg,
                      bad[i].msg);
        ck_assert_int_eq(err.off, bad[i].off);
    }
}
END_TEST

/* ---- index patterns ---- */

static const char *ix_names[] = {"id", "name", "log_ts", "d", "t", "amt", "ltz", "tags"};

static const sl_type_t **ix_types(void)
{
    static const sl_type_t *t[8];
    t[0] = T("INT");
    t[1] = T("STRING");
    t[2] = T("TIMESTAMP(3)");
    t[3] = T("DATE");
    t[4] = T("TIME(0)");
    t[5] = T("DOUBLE");
    t[6] = T("TIMESTAMP_LTZ(3)");
    t[7] = T("ARRAY<STRING>");
    return t;
}

START_TEST(test_index_patterns)
{
    const sl_type_t **types = ix_types();
    sl_value_t row[8];
    row[0] = V(types[0], "42");
    row[1] = V(types[1], "Alice");
    row[2] = V(types[2], "2020-03-27 12:25:55.123");
    row[3] = V(types[3], "2021-12-31");
    row[4] = V(types[4], "08:09:10");
    row[5] = V(types[5], "1.5");
    row[6] = sl_value_null();
    row[7] = sl_value_null();
    static const struct { const char *pat, *want; } c[] = {
        {"users", "users"},
        {"users-{id}", "users-42"},
        {"users-{name}-x", "users-Alice-x"},
        {"users_{log_ts|yyyy-MM-dd}", "users_2020-03-27"},
        {"users_{log_ts}", "users_2020_03_27_12_25_55"},
        {"users_{log_ts|}", "users_2020_03_27_12_25_55"},
        {"d{d|yyyy.MM}", "d2021.12"},
        {"d{d}", "d2021_12_31"},
        {"t{t|HH}", "t08"},
        {"t{t}", "t08_09_10"},
        {"users-{ltz|yyyy}", "users-null"},
        {"a{}b", "a{}b"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        sl_es_index_t ix;
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_msg(sl_es_index_parse(c[i].pat, 8, ix_names, types, &A, &ix, &err) == 0,
                      "%s: %s", c[i].pat, err.msg);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        ck_assert_int_eq(sl_es_index_format(&ix, row, 0, &sb), 0);
        ck_assert_msg(!strcmp(sb.buf, c[i].want), "%s: got '%s'", c[i].pat, sb.buf);
        sl_strbuf_destroy(&sb);
    }
    /* now(): today's date in the local zone, whatever it is. */
    sl_es_index_t ix;
    sl_err_t err;
    ck_assert_int_eq(sl_es_index_parse("logs-{now()|yyyy}", 8, ix_names, types, &A, &ix, &err), 0);
    ck_assert_int_eq(ix.kind, SL_ES_INDEX_NOW);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_es_index_format(&ix, row, 1600000000000LL, &sb), 0);
    ck_assert_str_eq(sb.buf, "logs-2020");
    sl_strbuf_destroy(&sb);
    ck_assert_int_eq(sl_es_index_parse("l-{ NOW( ) |yyyy}", 8, ix_names, types, &A, &ix, &err), 0);
    ck_assert_int_eq(sl_es_index_parse("l-{CURRENT_TIMESTAMP|yyyy}", 8, ix_names, types, &A, &ix,
                                       &err),
                     0);

    static const struct { const char *pat, *msg; int off; } bad[] = {
        {"a-{id}-{name}", "two dynamic parts", 7},
        {"a-{nope}", "unknown field 'nope'", 3},
        {"a-{amt}", "field 'amt' of index pattern 'a-{amt}' is DOUBLE", 3},
        {"a-{tags}", "is ARRAY<STRING>", 3},
        {"a-{id|yyyy}", "a format applies to DATE, TIME and TIMESTAMP", 5},
        {"a-{d|HH}", "is a DATE, the format asks for a time of day", 5},
        {"a-{t|yyyy}", "is a TIME, the format asks for a date", 5},
        {"a-{log_ts|yyyy-ww}", "pattern letter 'w'", 15},
        {"a-{now()|}", "now() needs a format", 3},
        {"", "option 'index' is empty", -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_err_clear(&err);
        ck_assert_msg(sl_es_index_parse(bad[i].pat, 8, ix_names, types, &A, &ix, &err) < 0,
                      "%s accepted", bad[i].pat);
        ck_assert_msg(strstr(err.msg, bad[i].msg), "%s: '%s' lacks '%s'", bad[i].pat, err.msg,
                      bad[i].msg);
        ck_assert_msg(err.off == bad[i].off, "%s: off %d, want %d", bad[i].pat, err.off,
                      bad[i].off);
    }
}
END_TEST

/* ---- document ids: what Java's toString() prints ---- */

START_TEST(test_key_text)
{
    static const struct { const char *type, *val, *want; } c[] = {
        {"STRING", "SC4000", "SC4000"},
        {"INT", "-7", "-7"},
        {"BIGINT", "9223372036854775807", "9223372036854775807"},
        {"BOOLEAN", "true", "true"},
        {"DECIMAL(13, 2)", "10.10", "10.10"},
        {"DECIMAL(5, 0)", "12", "12"},
        {"DOUBLE", "1.0", "1.0"},
        {"DOUBLE", "10000000", "1.0E7"},
        {"FLOAT", "0.1", "0.1"},
        {"DATE", "2019-03-01", "2019-03-01"},
        {"DATE", "0099-01-01", "0099-01-01"},
        {"TIME(0)", "12:00:00", "12:00"},
        {"TIME(0)", "12:00:05", "12:00:05"},
        {"TIME(3)", "12:00:00.5", "12:00:00.500"},
        {"TIME(9)", "12:00:00.000001", "12:00:00.000001"},
        {"TIME(9)", "12:00:00.000000001", "12:00:00.000000001"},
        {"TIMESTAMP(3)", "2019-03-01 12:00:00", "2019-03-01T12:00"},
        {"TIMESTAMP(3)", "2019-03-01 12:00:00.123", "2019-03-01T12:00:00.123"},
        {"TIMESTAMP(6)", "2019-03-01 00:00:01.000010", "2019-03-01T00:00:01.000010"},
        {"TIMESTAMP_LTZ(3)", "2019-03-01 12:30:00", "2019-03-01T12:30"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        const sl_type_t *t = T(c[i].type);
        sl_value_t v = V(t, c[i].val);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        ck_assert_int_eq(sl_es_key_append(&sb, &v, t), 0);
        ck_assert_msg(!strcmp(sb.buf, c[i].want), "%s %s: got '%s', want '%s'", c[i].type,
                      c[i].val, sb.buf, c[i].want);
        sl_strbuf_destroy(&sb);
    }
    /* Intervals: Period.ofDays(months) and Duration.ofMillis(ms). */
    static const struct { int ym; int64_t v; const char *want; } iv[] = {
        {1, 14, "P14D"}, {1, 0, "P0D"}, {0, 0, "PT0S"}, {0, 29172345, "PT8H6M12.345S"},
        {0, 60000, "PT1M"}, {0, 3600000, "PT1H"}, {0, 1, "PT0.001S"}, {0, -1, "PT-0.001S"},
        {0, -61500, "PT-1M-1.5S"}, {0, 86400000LL * 2, "PT48H"},
    };
    for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++) {
        sl_type_t t = {.id = iv[i].ym ? SL_T_INTERVAL_YM : SL_T_INTERVAL_DT, .nullable = true};
        sl_value_t v = {0};
        v.i64 = iv[i].v;
        sl_strbuf_t sb = SL_STRBUF_INIT;
        ck_assert_int_eq(sl_es_key_append(&sb, &v, &t), 0);
        ck_assert_msg(!strcmp(sb.buf, iv[i].want), "%lld: got '%s', want '%s'",
                      (long long)iv[i].v, sb.buf, iv[i].want);
        sl_strbuf_destroy(&sb);
    }
    ck_assert(!sl_es_key_type_ok(T("BYTES")));
    ck_assert(!sl_es_key_type_ok(T("ARRAY<INT>")));
    ck_assert(sl_es_key_type_ok(T("TIMESTAMP(3)")));
}
END_TEST

/* ---- mappings ---- */

START_TEST(test_mapping)
{
    const char *names[] = {"serviceCode", "amt", "n", "big", "ts", "ltz", "d", "ok", "r", "tags", "raw"};
    const sl_type_t *types[] = {T("STRING"), T("DECIMAL(13, 2)"), T("DECIMAL(10, 0)"),
                                T("DECIMAL(38, 4)"), T("TIMESTAMP(2)"), T("TIMESTAMP_LTZ(0)"),
                                T("DATE"), T("BOOLEAN"), T("ROW<a INT, b STRING>"),
                                T("ARRAY<BIGINT>"), T("BYTES")};
    sl_json_cfg_t cfg = {0};
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_es_mapping_json(&sb, 11, names, types, &cfg, NULL), 0);
    ck_assert_str_eq(
        sb.buf,
        "{\"mappings\":{\"properties\":{"
        "\"serviceCode\":{\"type\":\"keyword\"},"
        "\"amt\":{\"type\":\"scaled_float\",\"scaling_factor\":100},"
        "\"n\":{\"type\":\"long\"},"
        "\"big\":{\"type\":\"double\"},"
        "\"ts\":{\"type\":\"date\",\"format\":\"yyyy-MM-dd HH:mm:ss||yyyy-MM-dd HH:mm:ss.S||"
        "yyyy-MM-dd HH:mm:ss.SS\"},"
        "\"ltz\":{\"type\":\"date\",\"format\":\"yyyy-MM-dd HH:mm:ss'Z'\"},"
        "\"d\":{\"type\":\"date\",\"format\":\"yyyy-MM-dd\"},"
        "\"ok\":{\"type\":\"boolean\"},"
        "\"r\":{\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"keyword\"}}},"
        "\"tags\":{\"type\":\"long\"},"
        "\"raw\":{\"type\":\"binary\"}}}}");
    sl_strbuf_clear(&sb);
    cfg.iso8601 = true;
    ck_assert_int_eq(sl_es_mapping_json(&sb, 1, names + 4, types + 4, &cfg, "_doc"), 0);
    ck_assert_str_eq(sb.buf, "{\"mappings\":{\"_doc\":{\"properties\":{\"ts\":{\"type\":\"date\","
                             "\"format\":\"yyyy-MM-dd'T'HH:mm:ss||yyyy-MM-dd'T'HH:mm:ss.S||"
                             "yyyy-MM-dd'T'HH:mm:ss.SS\"}}}}}");
    sl_strbuf_destroy(&sb);
}
END_TEST

/* ---- hosts ---- */

START_TEST(test_hosts)
{
    sl_es_host_t *h;
    int n;
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_int_eq(sl_es_hosts_parse("http://a:9200; https://b:9201/ ;", "v1", &A, &h, &n, &err), 0);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(h[0].label, "http://a:9200");
    ck_assert_str_eq(h[0].url, "http://a:9200/v1");
    ck_assert_str_eq(h[1].label, "https://b:9201");
    ck_assert_str_eq(h[1].url, "https://b:9201/v1");
    ck_assert_int_eq(sl_es_hosts_parse("http://[::1]:9200", NULL, &A, &h, &n, &err), 0);
    ck_assert_str_eq(h[0].url, "http://[::1]:9200");
    static const struct { const char *text, *msg; int off; } bad[] = {
        {"localhost:9200", "missing scheme", 0},
        {"http://a:9200;http://b", "missing port", 14},
        {"http://a:92x0", "bad port", 0},
        {"ftp://a:21", "must be http or https", 0},
        {"http://a:9200/es", "has a path", 0},
        {" ; ", "names no host", -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_err_clear(&err);
        ck_assert_msg(sl_es_hosts_parse(bad[i].text, NULL, &A, &h, &n, &err) < 0, "%s accepted",
                      bad[i].text);
        ck_assert_msg(strstr(err.msg, bad[i].msg), "%s: '%s'", bad[i].text, err.msg);
        ck_assert_int_eq(err.off, bad[i].off);
    }
}
END_TEST

/* ---- options, through the connector type ---- */

typedef struct opt_case {
    const char *opts[8];
    const char *msg;           /* NULL: accepted */
    int opt;                   /* whose position the error has (-1: none) */
} opt_case_t;

#define H "hosts=http://127.0.0.1:9200"
#define I "index=idx"
static const opt_case_t opt_cases[] = {
    {{H, I, NULL}, NULL, -1},
    {{H, I, "sink.bulk-flush.backoff.strategy=EXPONENTIAL", "failure-handler=retry-rejected", NULL},
     NULL, -1},
    {{"hosts=127.0.0.1:9200", I, NULL}, "should follow the format 'http://host_name:port'", 0},
    {{H, "index=a-{nope|yyyy}", NULL}, "unknown field 'nope'", 1},
    {{H, I, "username=elastic", NULL}, "'username' and 'password' must be set at the same time", 2},
    {{H, I, "password=pw", NULL}, "got a password and no username", 2},
    {{H, I, "failure-handler=com.acme.MyHandler", NULL}, "is not one of fail, ignore, retry-rejected", 2},
    {{H, I, "sink.bulk-flush.max-size=1500kb", NULL}, "must be in MB granularity", 2},
    {{H, I, "sink.bulk-flush.max-actions=-5", NULL}, "must be at least 1", 2},
    {{H, I, "sink.bulk-flush.backoff.strategy=CONSTANT", "sink.bulk-flush.backoff.max-retries=0", NULL},
     "'sink.bulk-flush.backoff.max-retries' must be at least 1", 3},
    {{H, I, "sink.bulk-flush.backoff.strategy=LINEAR", NULL}, "sink.bulk-flush.backoff.strategy", 2},
    {{H, I, "format=csv", NULL}, "writes 'json', not 'csv'", 2},
    {{H, I, "csv.field-delimiter=;", NULL}, "unsupported option 'csv.field-delimiter'", 2},
    {{H, I, "document-type=_doc", NULL}, "unsupported option", 2},
    {{H, I, "socket.timeout=0s", NULL}, "'socket.timeout' must be positive", 2},
    {{I, NULL}, "missing required option 'hosts'", -1},
};

START_TEST(test_options)
{
    const opt_case_t *c = &opt_cases[_i];
    const sl_connector_type_t *ct = sl_connector_find("elasticsearch-7");
    ck_assert_ptr_nonnull(ct);
    ck_assert_int_eq(ct->roles, SL_CONN_SINK);
    const char *names[] = {"id", "name", "amt"};
    const sl_type_t *types[] = {T("INT"), T("STRING"), T("DECIMAL(10, 2)")};
    int pk[] = {0};
    sl_list_t given = {0};
    sl_option_t *opts[8];
    for (int i = 0; c->opts[i]; i++) {
        const char *eq = strchr(c->opts[i], '=');
        sl_option_t *o = sl_arena_calloc(&A, sizeof *o);
        o->key = sl_arena_strndup(&A, c->opts[i], (size_t)(eq - c->opts[i]));
        o->value = sl_arena_strdup(&A, eq + 1);
        o->key_off = 1000 * (i + 1);
        o->key_len = (int)strlen(o->key) + 2;
        o->val_off = 1000 * (i + 1) + 500;
        o->val_len = (int)strlen(o->value) + 2;
        opts[i] = o;
        sl_list_push(&A, &given, o);
    }
    sl_options_t checked;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_options_check(ct, &given, 3, names, &A, &checked, &err);
    if (rc == 0) {
        sl_conn_ctx_t ctx = {.table = "out", .ncols = 3, .names = names, .types = types,
                             .pk = pk, .npk = 1, .opts = &checked, .job_name = "t", .arena = &A};
        rc = ct->validate(&ctx, &err);
    }
    if (!c->msg) {
        ck_assert_msg(rc == 0, "case %d: %s", _i, err.msg);
        return;
    }
    ck_assert_msg(rc < 0, "case %d: no error", _i);
    ck_assert_msg(strstr(err.msg, c->msg) != NULL, "case %d: '%s' lacks '%s'", _i, err.msg, c->msg);
    if (c->opt >= 0) {
        const sl_option_t *o = opts[c->opt];
        ck_assert_msg(err.off >= o->key_off && err.off < o->val_off + o->val_len,
                      "case %d: at %d, want within option %d (%s)", _i, err.off, c->opt, err.msg);
    }
    ck_assert_ptr_null(strstr(err.msg, "=pw"));
}
END_TEST

START_TEST(test_config)
{
    const sl_connector_type_t *ct = sl_connector_find("elasticsearch-6");
    ck_assert_ptr_nonnull(ct);
    const char *names[] = {"k1", "k2", "v", "b"};
    const sl_type_t *types[] = {T("STRING"), T("DATE"), T("DOUBLE"), T("BYTES")};
    const char *kv[][2] = {{"hosts", "http://h1:9200;http://h2:9201"},
                           {"index", "i-{k2|yyyy}"},
                           {"document-type", "doc"},
                           {"document-id.key-delimiter", "$"},
                           {"sink.bulk-flush.backoff.strategy", "EXPONENTIAL"},
                           {"sink.bulk-flush.max-size", "5mb"},
                           {"connection.path-prefix", "/es"}};
    sl_list_t given = {0};
    for (int i = 0; i < 7; i++) {
        sl_option_t *o = sl_arena_calloc(&A, sizeof *o);
        o->key = kv[i][0];
        o->value = kv[i][1];
        o->val_len = (int)strlen(kv[i][1]) + 2;
        sl_list_push(&A, &given, o);
    }
    sl_options_t checked;
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_msg(sl_options_check(ct, &given, 4, names, &A, &checked, &err) == 0, "%s", err.msg);
    int pk[] = {0, 1};
    sl_conn_ctx_t ctx = {.table = "out", .ncols = 4, .names = names, .types = types,
                         .pk = pk, .npk = 2, .opts = &checked, .job_name = "t", .arena = &A};
    sl_es_config_t cfg;
    ck_assert_msg(sl_es_config_read(&ctx, 6, &A, &cfg, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(cfg.nhosts, 2);
    ck_assert_str_eq(cfg.hosts[1].url, "http://h2:9201/es");
    ck_assert_str_eq(cfg.doc_type, "doc");
    ck_assert_str_eq(cfg.delim, "$");
    ck_assert_int_eq(cfg.backoff, SL_ES_BACKOFF_EXPONENTIAL);
    ck_assert_int_eq(cfg.max_retries, 8);
    ck_assert_int_eq(cfg.delay_ms, 50);
    ck_assert_int_eq(cfg.max_bytes, 5 << 20);
    ck_assert_int_eq(cfg.max_actions, 1000);
    ck_assert_int_eq(cfg.interval_ms, 1000);
    ck_assert_int_eq(cfg.failure, SL_ES_FAIL);
    ck_assert(cfg.flush_on_checkpoint);
    ck_assert(cfg.create_index);
    ck_assert_int_eq(cfg.index.kind, SL_ES_INDEX_FIELD_TIME);
    /* A BYTES key cannot make an id. */
    pk[1] = 3;
    ck_assert(sl_es_config_read(&ctx, 6, &A, &cfg, &err) < 0);
    ck_assert_msg(strstr(err.msg, "primary key column 'b' is BYTES"), "%s", err.msg);
}
END_TEST

static Suite *es_suite(void)
{
    Suite *s = suite_create("elasticsearch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_datefmt);
    tcase_add_test(tc, test_index_patterns);
    tcase_add_test(tc, test_key_text);
    tcase_add_test(tc, test_mapping);
    tcase_add_test(tc, test_hosts);
    tcase_add_loop_test(tc, test_options, 0, (int)(sizeof opt_cases / sizeof opt_cases[0]));
    tcase_add_test(tc, test_config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    sl_arena_init(&A, 0);
    int rc = sl_test_run_suite(es_suite());
    sl_arena_destroy(&A);
    return rc;
}
