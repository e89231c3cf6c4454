/* check_jdbc.c - unit tests for the jdbc connector's pure parts: JDBC URL
 * parsing (src/connectors/jdbc/url.c), the driver/URL consistency check,
 * option validation with SQL positions, Flink's partition ranges, and the
 * conversion of PostgreSQL text values (pgconv.c). The connector against
 * real servers: tests/integration/test_jdbc_scan.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/connector.h"
#include "connectors/jdbc/conn.h"
#include "connectors/jdbc/jdbc.h"
#include "connectors/jdbc/pgconv.h"
#include "connectors/jdbc/url.h"
#include "exec/value.h"
#include "testutil.h"

static sl_arena_t A;

#include "typespec.h"

/* ---- URLs ---- */

typedef struct url_ok {
    const char *url;
    int scheme, dialect;
    const char *host;
    unsigned port;
    const char *db;
} url_ok_t;

static const url_ok_t urls_ok[] = {
    {"jdbc:mysql://h:3306/db?useSSL=false&connectTimeout=2000", SL_JDBC_SCHEME_MYSQL,
     SL_JDBC_MYSQL, "h", 3306, "db"},
    {"jdbc:mariadb://h/db", SL_JDBC_SCHEME_MARIADB, SL_JDBC_MYSQL, "h", 3306, "db"},
    {"jdbc:postgresql://h:5432/db?sslmode=disable", SL_JDBC_SCHEME_POSTGRESQL, SL_JDBC_POSTGRES,
     "h", 5432, "db"},
    {"jdbc:postgresql://db.example.com/app", SL_JDBC_SCHEME_POSTGRESQL, SL_JDBC_POSTGRES,
     "db.example.com", 5432, "app"},
    {"jdbc:postgresql:app", SL_JDBC_SCHEME_POSTGRESQL, SL_JDBC_POSTGRES, "localhost", 5432, "app"},
    {"jdbc:mysql://[::1]:3307/db", SL_JDBC_SCHEME_MYSQL, SL_JDBC_MYSQL, "::1", 3307, "db"},
    {"jdbc:mysql:///db", SL_JDBC_SCHEME_MYSQL, SL_JDBC_MYSQL, "localhost", 3306, "db"},
    {"jdbc:mysql://127.0.0.1:1/my%20db", SL_JDBC_SCHEME_MYSQL, SL_JDBC_MYSQL, "127.0.0.1", 1,
     "my db"},
    {"jdbc:mariadb://10.0.0.7:65535/x?", SL_JDBC_SCHEME_MARIADB, SL_JDBC_MYSQL, "10.0.0.7", 65535,
     "x"},
};

START_TEST(test_url_ok)
{
    const url_ok_t *c = &urls_ok[_i];
    sl_jdbc_url_t u;
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_msg(sl_jdbc_url_parse(c->url, &A, &u, &err) == 0, "%s: %s", c->url, err.msg);
    ck_assert_int_eq(u.scheme, c->scheme);
    ck_assert_int_eq(u.dialect, c->dialect);
    ck_assert_str_eq(u.host, c->host);
    ck_assert_uint_eq(u.port, c->port);
    ck_assert_str_eq(u.database, c->db);
}
END_TEST

START_TEST(test_url_params)
{
    sl_jdbc_url_t u;
    sl_err_t err;
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mysql://h:3306/db?useSSL=false&connectTimeout=2000",
                                       &A, &u, &err), 0);
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_DISABLE);
    ck_assert_int_eq(u.connect_timeout_ms, 2000);
    ck_assert_int_eq(u.nparams, 2);
    ck_assert_str_eq(sl_jdbc_url_param(&u, "useSSL"), "false");
    ck_assert_ptr_null(sl_jdbc_url_param(&u, "usessl")); /* keys are case-sensitive */

    /* Unknown parameters are accepted and kept. */
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mysql://h/db?autoReconnect=true&serverTimezone=Asia/"
                                       "Shanghai&useUnicode=true&characterEncoding=utf8&"
                                       "rewriteBatchedStatements=true&zeroDateTimeBehavior="
                                       "convertToNull",
                                       &A, &u, &err),
                     0);
    ck_assert_int_eq(u.nparams, 6);
    ck_assert_str_eq(sl_jdbc_url_param(&u, "autoReconnect"), "true");
    ck_assert_str_eq(u.time_zone, "Asia/Shanghai");
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_DEFAULT);

    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:postgresql://h/db?sslmode=disable&connectTimeout=5&"
                                       "currentSchema=my%20schema&ApplicationName=a+b&"
                                       "prepareThreshold=0&user=bob&password=p%26w",
                                       &A, &u, &err),
                     0);
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_DISABLE);
    ck_assert_int_eq(u.connect_timeout_ms, 5000); /* pgjdbc counts seconds */
    ck_assert_str_eq(u.search_path, "my schema");
    ck_assert_str_eq(u.app_name, "a b");
    ck_assert_str_eq(u.user, "bob");
    ck_assert_str_eq(u.password, "p&w");

    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:postgresql://h/db?ssl=true", &A, &u, &err), 0);
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_VERIFY_FULL);
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mysql://h/db?sslMode=VERIFY_CA", &A, &u, &err), 0);
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_VERIFY_CA);
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mariadb://h/db?useSsl=true", &A, &u, &err), 0);
    ck_assert_int_eq(u.ssl, SL_JDBC_SSL_PREFER);

    /* user:password@ in a MySQL URL. */
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mysql://me:p%40ss@h:3310/db", &A, &u, &err), 0);
    ck_assert_str_eq(u.user, "me");
    ck_assert_str_eq(u.password, "p@ss");
    ck_assert_str_eq(u.host, "h");
    ck_assert_uint_eq(u.port, 3310);
}
END_TEST

typedef struct url_bad {
    const char *url;
    const char *msg;           /* substring of the message */
    int off, len;              /* the offending part of the URL */
} url_bad_t;

static const url_bad_t urls_bad[] = {
    {"jdbc:mysql://h:3306", "names no database", 18, 1},
    {"jdbc:mysql://h:3306/", "names no database", 19, 1},
    {"jdbc:postgresql://h/?sslmode=disable", "names no database", 19, 1},
    {"jdbc:mariadb://h", "names no database", 15, 1},
    {"mysql://h/db", "is not a JDBC URL", 0, 6},
    {"jdbc:oracle:thin:@h:1521:db", "'oracle' are not supported", 5, 6},
    {"jdbc:sqlserver://h;databaseName=x", "'sqlserver' are not supported", 5, 9},
    {"jdbc:foo://h/db", "unknown JDBC sub-protocol 'foo'", 5, 3},
    {"jdbc:MySQL://h/db", "unknown JDBC sub-protocol 'MySQL'", 5, 5},
    {"jdbc:mysql+srv://h/db", "unknown JDBC sub-protocol 'mysql+srv'", 5, 9},
    {"jdbc:mysql:loadbalance://h1,h2/db", "load balancing", 5, 17},
    {"jdbc:mysql:h/db", "must continue with //host", 11, 1},
    {"jdbc:mysql://h:99999/db", "'99999' is not a port number", 15, 5},
    {"jdbc:mysql://h:0/db", "'0' is not a port number", 15, 1},
    {"jdbc:mysql://h:33a/db", "'33a' is not a port number", 15, 3},
    {"jdbc:mysql://h1:3306,h2:3306/db", "several hosts", 13, 15},
    {"jdbc:postgresql://h1,h2/db", "several hosts", 18, 5},
    {"jdbc:mysql://::1/db", "write it in brackets", 13, 3},
    {"jdbc:mysql://[::1/db", "lacks its closing ']'", 13, 4},
    {"jdbc:mysql://[::1]x/db", "unexpected 'x'", 18, 1},
    {"jdbc:mysql://h%/db", "invalid character '%'", 14, 1},
    {"jdbc:mysql://h/a/b", "contains '/'", 15, 3},
    {"jdbc:mysql://h/db?connectTimeout=abc", "'connectTimeout' expects a whole number of "
                                             "milliseconds, got 'abc'", 18, 18},
    {"jdbc:postgresql://h/db?a=1&connectTimeout=1.5", "whole number of seconds", 27, 18},
    {"jdbc:postgresql://h/db?sslmode=maybe", "'sslmode' must be disable", 23, 13},
    {"jdbc:mysql://h/db?sslMode=SOMETIMES", "'sslMode' must be DISABLED", 18, 17},
    {"jdbc:mysql://h/db?useSSL=perhaps", "'useSSL' expects true or false", 18, 14},
    {"jdbc:mysql://h/db?x=%zz", "malformed %-escape", 20, 3},
    {"jdbc:mysql://h/db?=1", "has no name", 18, 2},
};

START_TEST(test_url_errors)
{
    const url_bad_t *c = &urls_bad[_i];
    sl_jdbc_url_t u;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_jdbc_url_parse(c->url, &A, &u, &err);
    ck_assert_msg(rc < 0, "%s: parsed", c->url);
    ck_assert_msg(strstr(err.msg, c->msg) != NULL, "%s: message '%s' lacks '%s'", c->url, err.msg,
                  c->msg);
    ck_assert_msg(err.off == c->off && err.len == c->len, "%s: at %d+%d, want %d+%d ('%.*s')",
                  c->url, err.off, err.len, c->off, c->len, err.len > 0 ? err.len : 0,
                  err.off >= 0 ? c->url + err.off : "");
}
END_TEST

START_TEST(test_driver)
{
    sl_jdbc_url_t my, maria, pg;
    sl_err_t err;
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mysql://h/db", &A, &my, &err), 0);
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:mariadb://h/db", &A, &maria, &err), 0);
    ck_assert_int_eq(sl_jdbc_url_parse("jdbc:postgresql://h/db", &A, &pg, &err), 0);
    const char *mysqls[] = {"com.mysql.cj.jdbc.Driver", "com.mysql.jdbc.Driver",
                            "org.mariadb.jdbc.Driver"};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(sl_jdbc_driver_check(mysqls[i], &my, &err), 0);
        ck_assert_int_eq(sl_jdbc_driver_check(mysqls[i], &maria, &err), 0);
        ck_assert_int_eq(sl_jdbc_driver_check(mysqls[i], &pg, &err), -SL_EINVAL);
        ck_assert_msg(strstr(err.msg, mysqls[i]) && strstr(err.msg, "but option 'url' is a "
                                                                    "PostgreSQL URL"),
                      "%s", err.msg);
    }
    ck_assert_int_eq(sl_jdbc_driver_check("org.postgresql.Driver", &pg, &err), 0);
    ck_assert_int_eq(sl_jdbc_driver_check("org.postgresql.Driver", &my, &err), -SL_EINVAL);
    ck_assert_str_eq(err.msg, "option 'driver' 'org.postgresql.Driver' is a PostgreSQL driver, but "
                              "option 'url' is a MySQL URL (jdbc:mysql:); use "
                              "com.mysql.cj.jdbc.Driver or org.mariadb.jdbc.Driver");
    ck_assert_int_eq(sl_jdbc_driver_check("org.postgresql.Driver", &maria, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a MariaDB URL (jdbc:mariadb:)"));
    ck_assert_int_eq(sl_jdbc_driver_check("oracle.jdbc.OracleDriver", &my, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown JDBC driver class 'oracle.jdbc.OracleDriver'"));
    ck_assert_int_eq(sl_jdbc_driver_check("com.mysql.cj.jdbc.driver", &my, &err), -SL_EINVAL);
}
END_TEST

/* ---- options, as the planner checks them ---- */

typedef struct opt_case {
    const char *opts[8];       /* "key=value", NULL-terminated; url first */
    const char *msg;           /* NULL: valid */
    int opt;                   /* the option the error points at (-1: none) */
    int at;                    /* 0: its value, 1: its key, 2 + k: k bytes into the value text */
    int len;                   /* expected length when at >= 2 */
} opt_case_t;

#define URL "url=jdbc:mysql://h:3306/app"

static const opt_case_t opt_cases[] = {
    {{URL, "table-name=t", NULL}, NULL, -1, 0, 0},
    {{"url=jdbc:postgresql://h/app?sslmode=disable", "table-name=public.t", "driver=org.postgresql.Driver",
      "username=u", "password=p", "scan.fetch-size=500", NULL},
     NULL, -1, 0, 0},
    {{URL, "table-name=t", "scan.partition.column=id", "scan.partition.num=4",
      "scan.partition.lower-bound=-10", "scan.partition.upper-bound=10", NULL},
     NULL, -1, 0, 0},
    {{URL, "table-name=t", "lookup.cache=PARTIAL", "lookup.partial-cache.max-rows=100",
      "lookup.partial-cache.expire-after-write=10 min", "lookup.max-retries=0",
      "sink.buffer-flush.interval=0", NULL},
     NULL, -1, 0, 0},
    {{URL, "table-name=t", "lookup.cache.max-rows=10", "lookup.cache.ttl=1s", "sink.parallelism=2",
      "connection.max-retry-timeout=1s", NULL},
     NULL, -1, 0, 0},
    /* the URL error points into the literal: "jdbc:mysql://h:3306/app" is at +1 */
    {{"url=jdbc:mysql://h:70000/app", "table-name=t", NULL}, "'70000' is not a port number", 0,
     2 + 15, 5},
    {{"url=jdbc:mysql://h:3306", "table-name=t", NULL}, "option 'url': URL 'jdbc:mysql://h:3306' "
                                                        "names no database", 0, 2 + 18, 1},
    {{"url=jdbc:db2://h/x", "table-name=t", NULL}, "'db2' are not supported", 0, 2 + 5, 3},
    {{URL, "table-name=t", "driver=org.postgresql.Driver", NULL}, "is a PostgreSQL driver", 2, 0, 0},
    {{URL, "table-name=t", "username=u", NULL},
     "either all or none of the options 'username', 'password' must be given; missing 'password'",
     2, 1, 0},
    {{URL, "table-name=t", "password=p", NULL}, "missing 'username'", 2, 1, 0},
    {{URL, "table-name=t", "scan.partition.num=4", "scan.partition.column=id", NULL},
     "missing 'scan.partition.lower-bound', 'scan.partition.upper-bound'", 2, 1, 0},
    {{URL, "table-name=t", "scan.partition.column=id", "scan.partition.num=4",
      "scan.partition.lower-bound=10", "scan.partition.upper-bound=9", NULL},
     "'scan.partition.lower-bound'='10' must not be larger than 'scan.partition.upper-bound'='9'",
     4, 0, 0},
    {{URL, "table-name=t", "scan.partition.column=id", "scan.partition.num=0",
      "scan.partition.lower-bound=1", "scan.partition.upper-bound=9", NULL},
     "'scan.partition.num' must be a positive integer", 3, 0, 0},
    {{URL, "table-name=t", "scan.partition.column=name", "scan.partition.num=2",
      "scan.partition.lower-bound=1", "scan.partition.upper-bound=9", NULL},
     "column 'name' is STRING; partitioned scans need a numeric column", 2, 0, 0},
    {{URL, "table-name=t", "lookup.cache.ttl=1 min", NULL}, "missing 'lookup.cache.max-rows'", 2,
     1, 0},
    {{URL, "table-name=t", "scan.fetch-size=-1", NULL}, "'scan.fetch-size' must not be negative",
     2, 0, 0},
    {{URL, "table-name=t", "sink.max-retries=-2", NULL}, "'sink.max-retries' must not be negative",
     2, 0, 0},
    {{URL, "table-name=t", "connection.max-retry-timeout=500ms", NULL},
     "'connection.max-retry-timeout' must be at least 1 second", 2, 0, 0},
    {{URL, "table-name=", NULL}, "option 'table-name' is empty", 1, 0, 0},
    {{"url=jdbc:mysql://h/app?serverTimezone=Mars/Olympus", "table-name=t", NULL},
     "unknown time zone 'Mars/Olympus'", 0, 0, 0},
    {{URL, "table-name=t", "lookup.cache=FULL", NULL}, "lookup.cache", 2, 0, 0},
    {{URL, "table-name=t", "scan.partition.colum=id", NULL}, "unsupported option", 2, 1, 0},
    {{URL, NULL}, "missing required option 'table-name'", -1, 0, 0},
};

START_TEST(test_options)
{
    const opt_case_t *c = &opt_cases[_i];
    const sl_connector_type_t *ct = sl_connector_find("jdbc");
    ck_assert_ptr_nonnull(ct);
    ck_assert(ct->roles & SL_CONN_SOURCE);
    const char *names[] = {"id", "name", "amt"};
    const sl_type_t *types[] = {T("INT"), T("STRING"), T("DECIMAL(10, 2)")};
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
        sl_conn_ctx_t ctx = {.table = "src", .ncols = 3, .names = names, .types = types,
                             .opts = &checked, .job_name = "t", .arena = &A};
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
        int off = c->at == 1 ? o->key_off : c->at == 0 ? o->val_off : o->val_off + 1 + (c->at - 2);
        int len = c->at == 1 ? o->key_len : c->at == 0 ? o->val_len : c->len;
        ck_assert_msg(err.off == off && err.len == len, "case %d: at %d+%d, want %d+%d (%s)", _i,
                      err.off, err.len, off, len, err.msg);
    }
    /* Secrets never show. */
    ck_assert_ptr_null(strstr(err.msg, "password=p"));
}
END_TEST

START_TEST(test_config_read)
{
    const sl_connector_type_t *ct = sl_connector_find("jdbc");
    const char *names[] = {"id"};
    const sl_type_t *types[] = {T("INT")};
    const char *kv[][2] = {{"url", "jdbc:mysql://me:secret@h:3307/app?connectTimeout=1500"},
                           {"table-name", "orders"},
                           {"connection.max-retry-timeout", "5 s"}};
    sl_list_t given = {0};
    for (int i = 0; i < 3; i++) {
        sl_option_t *o = sl_arena_calloc(&A, sizeof *o);
        o->key = kv[i][0];
        o->value = kv[i][1];
        o->val_off = 100 * i;
        o->val_len = (int)strlen(kv[i][1]) + 2;
        sl_list_push(&A, &given, o);
    }
    sl_options_t checked;
    sl_err_t err;
    ck_assert_int_eq(sl_options_check(ct, &given, 1, names, &A, &checked, &err), 0);
    sl_conn_ctx_t ctx = {.table = "src", .ncols = 1, .names = names, .types = types,
                         .opts = &checked, .job_name = "t", .arena = &A};
    sl_jdbc_config_t cfg;
    ck_assert_int_eq(sl_jdbc_config_read(&ctx, &A, &cfg, &err), 0);
    ck_assert_str_eq(cfg.table_name, "orders");
    ck_assert_str_eq(cfg.user, "me");
    ck_assert_str_eq(cfg.password, "secret");
    ck_assert_int_eq(cfg.retry_timeout_ms, 5000);
    ck_assert_int_eq(cfg.url.connect_timeout_ms, 1500);
    ck_assert_uint_eq(cfg.url.port, 3307);
    /* The sources of the three roles are bounded scans, for now. */
    sl_source_t src = {0};
    ck_assert_int_eq(ct->source_new(&ctx, &src, &err), 0);
    ck_assert(src.bounded);
    src.ops->wakeup(&src); /* before any connection: harmless */
    src.ops->close(&src);
}
END_TEST

/* Flink's dialect check: the types each dialect takes. */
START_TEST(test_dialect_types)
{
    static const struct { const char *url, *type, *msg; } c[] = {
        {"jdbc:mysql://h/app", "TIMESTAMP(0)", NULL},
        {"jdbc:mysql://h/app", "TIMESTAMP(6)", NULL},
        {"jdbc:mysql://h/app", "TIMESTAMP(9)", "out of the TIMESTAMP precision range [0, 6] supported by Flink's MySQL dialect"},
        {"jdbc:mysql://h/app", "TIMESTAMP_LTZ(3)", "the MySQL dialect of Flink's JDBC connector does not support type TIMESTAMP_LTZ(3); declare it TIMESTAMP(p)"},
        {"jdbc:mysql://h/app", "ARRAY<STRING>", "does not support type ARRAY<STRING>; declare it STRING"},
        {"jdbc:mysql://h/app", "BYTES", NULL},
        {"jdbc:mysql://h/app", "VARBINARY(10)", "does not support type VARBINARY(10); declare it BYTES"},
        {"jdbc:mariadb://h/app", "BINARY(4)", "the MySQL dialect of Flink's JDBC connector does not support type BINARY(4)"},
        {"jdbc:mysql://h/app", "TIME(3)", NULL},
        {"jdbc:mysql://h/app", "DECIMAL(38, 10)", NULL},
        {"jdbc:mysql://h/app", "MAP<STRING, INT>", "does not support type MAP<STRING, INT>"},
        {"jdbc:postgresql://h/app", "TIMESTAMP(0)", "out of the TIMESTAMP precision range [1, 6] supported by Flink's PostgreSQL dialect"},
        {"jdbc:postgresql://h/app", "TIMESTAMP(1)", NULL},
        {"jdbc:postgresql://h/app", "TIMESTAMP_LTZ(3)", NULL},
        {"jdbc:postgresql://h/app", "ARRAY<ARRAY<INT>>", NULL},
        {"jdbc:postgresql://h/app", "INTERVAL_DT", "the PostgreSQL dialect of Flink's JDBC connector does not support type"},
        {"jdbc:postgresql://h/app", "ROW<a INT>", "does not support type ROW"},
    };
    const sl_connector_type_t *ct = sl_connector_find("jdbc");
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        const char *names[] = {"id", "x"};
        const sl_type_t *types[] = {T("INT"), T(c[i].type)};
        sl_list_t given = {0};
        const char *kv[][2] = {{"url", c[i].url}, {"table-name", "t"}};
        for (int k = 0; k < 2; k++) {
            sl_option_t *o = sl_arena_calloc(&A, sizeof *o);
            o->key = kv[k][0];
            o->value = kv[k][1];
            o->val_len = (int)strlen(kv[k][1]) + 2;
            sl_list_push(&A, &given, o);
        }
        sl_options_t checked;
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_int_eq(sl_options_check(ct, &given, 2, names, &A, &checked, &err), 0);
        sl_conn_ctx_t ctx = {.table = "src", .ncols = 2, .names = names, .types = types,
                             .opts = &checked, .job_name = "t", .arena = &A};
        int rc = ct->validate(&ctx, &err);
        if (!c[i].msg) {
            ck_assert_msg(rc == 0, "%s %s: %s", c[i].url, c[i].type, err.msg);
        } else {
            ck_assert_msg(rc < 0, "%s %s: accepted", c[i].url, c[i].type);
            ck_assert_msg(strstr(err.msg, c[i].msg) && strstr(err.msg, "'x'"), "%s %s: '%s' lacks '%s'",
                          c[i].url, c[i].type, err.msg, c[i].msg);
        }
    }
}
END_TEST

/* ---- partitions, as JdbcNumericBetweenParametersProvider.ofBatchNum ---- */

START_TEST(test_partitions)
{
    static const struct { int64_t lo, hi, num; const char *want; } c[] = {
        {0, 9, 3, "[0,3] [4,6] [7,9]"},
        {1, 10, 4, "[1,3] [4,6] [7,8] [9,10]"},
        {0, 2, 5, "[0,0] [1,1] [2,2]"},
        {5, 5, 1, "[5,5]"},
        {5, 5, 3, "[5,5]"},
        {-5, 4, 2, "[-5,-1] [0,4]"},
        {0, 99, 1, "[0,99]"},
        {0, 100, 3, "[0,33] [34,67] [68,100]"},
        {INT64_MIN, INT64_MAX, 2, "[-9223372036854775808,-1] [0,9223372036854775807]"},
        {INT64_MAX - 2, INT64_MAX, 2, "[9223372036854775805,9223372036854775806] "
                                      "[9223372036854775807,9223372036854775807]"},
        {1, 0, 3, ""},
        {0, 10, 0, ""},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char buf[256] = "";
        size_t k = 0;
        int64_t n = sl_jdbc_partition_count(c[i].lo, c[i].hi, c[i].num);
        int64_t prev = 0;
        for (int64_t p = 0; p < n; p++) {
            int64_t lo, hi;
            sl_jdbc_partition_range(c[i].lo, c[i].hi, c[i].num, p, &lo, &hi);
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s[%lld,%lld]", p ? " " : "",
                                  (long long)lo, (long long)hi);
            /* contiguous, every value exactly once */
            if (p) ck_assert(lo == prev + 1);
            ck_assert(lo <= hi);
            prev = hi;
        }
        ck_assert_msg(!strcmp(buf, c[i].want), "[%lld, %lld] / %lld: %s, want %s",
                      (long long)c[i].lo, (long long)c[i].hi, (long long)c[i].num, buf, c[i].want);
    }
}
END_TEST

/* ---- PostgreSQL values ---- */

static sl_pgcol_t pgcol(uint32_t oid, uint32_t elem, const char *type_name)
{
    sl_pgcol_t c = {.name = "c", .type_name = type_name, .oid = oid, .elem_oid = elem,
                    .typmod = -1};
    sl_pgcol_classify(&c);
    return c;
}

typedef struct pg_case {
    uint32_t oid, elem;
    const char *pgtype;
    const char *text;
    const char *flink;         /* Flink type spec */
    const char *want;          /* the value as CAST(x AS STRING), or "ERR:substring" */
} pg_case_t;

static const pg_case_t pg_cases[] = {
    {SL_PG_BOOL, 0, "boolean", "t", "BOOLEAN", "TRUE"},
    {SL_PG_BOOL, 0, "boolean", "f", "BOOLEAN", "FALSE"},
    {SL_PG_BOOL, 0, "boolean", "t", "STRING", "t"},
    {SL_PG_INT2, 0, "smallint", "-32768", "SMALLINT", "-32768"},
    {SL_PG_INT2, 0, "smallint", "32767", "TINYINT", "ERR:'32767' is out of the range of TINYINT"},
    {SL_PG_INT4, 0, "integer", "-2147483648", "INT", "-2147483648"},
    {SL_PG_INT4, 0, "integer", "2147483647", "BIGINT", "2147483647"},
    {SL_PG_INT8, 0, "bigint", "-9223372036854775808", "BIGINT", "-9223372036854775808"},
    {SL_PG_INT8, 0, "bigint", "9223372036854775807", "BIGINT", "9223372036854775807"},
    {SL_PG_INT8, 0, "bigint", "9223372036854775807", "INT", "ERR:is out of the range of INT"},
    {SL_PG_INT8, 0, "bigint", "9223372036854775807", "DECIMAL(20, 0)", "9223372036854775807"},
    {SL_PG_INT4, 0, "integer", "7", "DOUBLE", "7.0"},
    {SL_PG_OID, 0, "oid", "4294967295", "BIGINT", "4294967295"},
    {SL_PG_NUMERIC, 0, "numeric(10,3)", "12345.675", "DECIMAL(10, 2)", "12345.68"},
    {SL_PG_NUMERIC, 0, "numeric", "-0.005", "DECIMAL(10, 2)", "-0.01"},
    {SL_PG_NUMERIC, 0, "numeric", "0", "DECIMAL(5, 5)", "0.00000"},
    {SL_PG_NUMERIC, 0, "numeric(38,0)", "99999999999999999999999999999999999999", "DECIMAL(38, 0)",
     "99999999999999999999999999999999999999"},
    {SL_PG_NUMERIC, 0, "numeric", "99999999999.5", "DECIMAL(10, 2)", "ERR:does not fit DECIMAL(10, 2)"},
    {SL_PG_NUMERIC, 0, "numeric", "NaN", "DECIMAL(10, 2)", "ERR:'NaN' is not a number that fits"},
    {SL_PG_NUMERIC, 0, "numeric", "Infinity", "DECIMAL(10, 2)", "ERR:is not a number that fits"},
    {SL_PG_NUMERIC, 0, "numeric", "NaN", "DOUBLE", "NaN"},
    {SL_PG_NUMERIC, 0, "numeric", "42.000", "BIGINT", "42"},
    {SL_PG_NUMERIC, 0, "numeric", "42.5", "BIGINT", "ERR:is not a whole number"},
    {SL_PG_NUMERIC, 0, "numeric", "1234567890.0123456789", "STRING", "1234567890.0123456789"},
    {SL_PG_NUMERIC, 0, "numeric", "0.1", "DOUBLE", "0.1"},
    {SL_PG_FLOAT8, 0, "double precision", "NaN", "DOUBLE", "NaN"},
    {SL_PG_FLOAT8, 0, "double precision", "Infinity", "DOUBLE", "Infinity"},
    {SL_PG_FLOAT8, 0, "double precision", "-Infinity", "DOUBLE", "-Infinity"},
    {SL_PG_FLOAT8, 0, "double precision", "1.7976931348623157e+308", "DOUBLE",
     "1.7976931348623157E308"},
    {SL_PG_FLOAT8, 0, "double precision", "5e-324", "DOUBLE", "4.9E-324"},
    {SL_PG_FLOAT8, 0, "double precision", "-0", "DOUBLE", "-0.0"},
    {SL_PG_FLOAT8, 0, "double precision", "0.1", "DECIMAL(5, 3)", "0.100"},
    {SL_PG_FLOAT8, 0, "double precision", "Infinity", "DECIMAL(5, 3)", "ERR:is not a number that fits"},
    {SL_PG_FLOAT4, 0, "real", "3.4028235e+38", "FLOAT", "3.4028235E38"},
    {SL_PG_FLOAT4, 0, "real", "1.1", "FLOAT", "1.1"},
    {SL_PG_FLOAT4, 0, "real", "-Infinity", "FLOAT", "-Infinity"},
    {SL_PG_FLOAT4, 0, "real", "1.4e-45", "FLOAT", "1.4E-45"},
    {SL_PG_TEXT, 0, "text", "h\xc3\xa9llo, \xe2\x82\xac", "STRING", "h\xc3\xa9llo, \xe2\x82\xac"},
    {SL_PG_BPCHAR, 0, "character(5)", "ab   ", "STRING", "ab   "},
    {SL_PG_VARCHAR, 0, "character varying(3)", "", "STRING", ""},
    {SL_PG_UUID, 0, "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "STRING",
     "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
    {SL_PG_JSONB, 0, "jsonb", "{\"a\": [1, 2]}", "STRING", "{\"a\": [1, 2]}"},
    {SL_PG_INET, 0, "inet", "::1/128", "STRING", "::1/128"},
    {SL_PG_TEXT, 0, "text", "12", "INT", "ERR:PostgreSQL type text cannot be read as INT"},
    {SL_PG_BYTEA, 0, "bytea", "\\x00ff10", "BYTES", "[0, -1, 16]"},
    {SL_PG_BYTEA, 0, "bytea", "\\x", "BYTES", "[]"},
    {SL_PG_BYTEA, 0, "bytea", "a\\\\b\\001", "BYTES", "[97, 92, 98, 1]"},
    {SL_PG_BYTEA, 0, "bytea", "\\x0", "BYTES", "ERR:odd hex digits"},
    {SL_PG_BYTEA, 0, "bytea", "\\x00ff", "STRING", "\\x00ff"},
    {SL_PG_DATE, 0, "date", "2020-02-29", "DATE", "2020-02-29"},
    {SL_PG_DATE, 0, "date", "0001-01-01", "DATE", "0001-01-01"},
    {SL_PG_DATE, 0, "date", "9999-12-31", "DATE", "9999-12-31"},
    {SL_PG_DATE, 0, "date", "10000-01-01", "DATE", "ERR:'10000-01-01' is outside the range of DATE"},
    {SL_PG_DATE, 0, "date", "0044-03-15 BC", "DATE", "ERR:is outside the range of DATE"},
    {SL_PG_DATE, 0, "date", "infinity", "DATE", "ERR:'infinity' is outside the range"},
    {SL_PG_DATE, 0, "date", "2020-02-29", "TIMESTAMP(3)", "2020-02-29 00:00:00.000"},
    {SL_PG_TIME, 0, "time(6) without time zone", "23:59:59.999999", "TIME(6)", "23:59:59.999999"},
    {SL_PG_TIME, 0, "time(6) without time zone", "23:59:59.999999", "TIME(0)", "23:59:59"},
    {SL_PG_TIME, 0, "time without time zone", "00:00:00", "TIME(0)", "00:00:00"},
    {SL_PG_TIME, 0, "time without time zone", "24:00:00", "TIME(3)", "23:59:59.999"},
    {SL_PG_TIMESTAMP, 0, "timestamp(6) without time zone", "2020-01-01 12:00:00.123456",
     "TIMESTAMP(6)", "2020-01-01 12:00:00.123456"},
    {SL_PG_TIMESTAMP, 0, "timestamp(6) without time zone", "2020-01-01 12:00:00.123456",
     "TIMESTAMP(3)", "2020-01-01 12:00:00.123"},
    {SL_PG_TIMESTAMP, 0, "timestamp without time zone", "9999-12-31 23:59:59.999999",
     "TIMESTAMP(6)", "9999-12-31 23:59:59.999999"},
    {SL_PG_TIMESTAMP, 0, "timestamp without time zone", "0001-01-01 00:00:00", "TIMESTAMP(0)",
     "0001-01-01 00:00:00"},
    {SL_PG_TIMESTAMP, 0, "timestamp without time zone", "-infinity", "TIMESTAMP(3)",
     "ERR:'-infinity' is outside the range of TIMESTAMP(3)"},
    {SL_PG_TIMESTAMP, 0, "timestamp without time zone", "2020-01-01 12:00:00", "TIMESTAMP_LTZ(3)",
     "2020-01-01 12:00:00.000"},
    {SL_PG_TIMESTAMPTZ, 0, "timestamp with time zone", "2020-01-01 12:00:00+00", "TIMESTAMP_LTZ(3)",
     "2020-01-01 12:00:00.000"},
    {SL_PG_TIMESTAMPTZ, 0, "timestamp with time zone", "2020-01-01 12:00:00.5+05:30",
     "TIMESTAMP_LTZ(3)", "2020-01-01 06:30:00.500"},
    {SL_PG_TIMESTAMPTZ, 0, "timestamp with time zone", "1970-01-01 00:00:00-01", "TIMESTAMP(0)",
     "1970-01-01 01:00:00"},
    {SL_PG_TIMESTAMPTZ, 0, "timestamp with time zone", "1900-01-01 00:00:00+00:09:21",
     "TIMESTAMP(0)", "1899-12-31 23:50:39"},
    {SL_PG_TIMESTAMPTZ, 0, "timestamp with time zone", "2020-01-01 12:00:00", "TIMESTAMP_LTZ(3)",
     "ERR:no UTC offset"},
    {SL_PG_TIMETZ, 0, "time with time zone", "12:00:00+02", "STRING", "12:00:00+02"},
    {SL_PG_TIMETZ, 0, "time with time zone", "12:00:00+02", "TIME(0)",
     "ERR:Flink has no time-with-time-zone type"},
    {SL_PG_INTERVAL, 0, "interval", "1 year 2 mons", "STRING", "1 year 2 mons"},
    {SL_PG_INTERVAL, 0, "interval", "1 year 2 mons", "INTERVAL_YEAR",
     "ERR:Flink's JDBC connector maps no interval type; declare the column STRING"},
    {SL_PG_INTERVAL, 0, "interval", "00:00:01", "BIGINT", "ERR:PostgreSQL type interval"},
    {SL_PG_MONEY, 0, "money", "$1,000.00", "DECIMAL(10, 2)", "ERR:(it reads as STRING)"},
    {SL_PG_INT4, 0, "integer", "1", "BOOLEAN", "ERR:PostgreSQL type integer cannot be read as BOOLEAN "
                                               "(it reads as TINYINT, SMALLINT, INT, BIGINT"},
    /* arrays */
    {1007, SL_PG_INT4, "integer[]", "{1,2,NULL,-3}", "ARRAY<INT>", "[1, 2, NULL, -3]"},
    {1007, SL_PG_INT4, "integer[]", "{}", "ARRAY<INT>", "[]"},
    {1007, SL_PG_INT4, "integer[]", "[0:1]={5,6}", "ARRAY<INT>", "[5, 6]"},
    {1007, SL_PG_INT4, "integer[]", "{{1,2},{3,NULL}}", "ARRAY<ARRAY<INT>>", "[[1, 2], [3, NULL]]"},
    {1007, SL_PG_INT4, "integer[]", "{{1,2},{3,4}}", "ARRAY<INT>", "ERR:multi-dimensional"},
    {1007, SL_PG_INT4, "integer[]", "{1,2}", "ARRAY<ARRAY<INT>>", "ERR:one-dimensional"},
    {1007, SL_PG_INT4, "integer[]", "{1,2}", "STRING", "{1,2}"},
    {1007, SL_PG_INT4, "integer[]", "{1,99999999999}", "ARRAY<INT>", "ERR:'99999999999' is out of the range of INT"},
    {1009, SL_PG_TEXT, "text[]", "{\"a,b\",\"q\\\"x\",NULL,\"NULL\",plain,\"\"}", "ARRAY<STRING>",
     "[a,b, q\"x, NULL, NULL, plain, ]"},
    {1009, SL_PG_TEXT, "text[]", "{x}", "ARRAY<INT>", "ERR:its elements read as STRING"},
    {1001, SL_PG_BYTEA, "bytea[]", "{\"\\\\x01ff\",NULL}", "ARRAY<BYTES>", "[[1, -1], NULL]"},
    {1022, SL_PG_FLOAT8, "double precision[]", "{NaN,Infinity,-1.5}", "ARRAY<DOUBLE>",
     "[NaN, Infinity, -1.5]"},
    {1231, SL_PG_NUMERIC, "numeric[]", "{1.005,-2}", "ARRAY<DECIMAL(5, 2)>", "[1.01, -2.00]"},
    {1115, SL_PG_TIMESTAMP, "timestamp without time zone[]", "{\"2020-01-01 00:00:00\"}",
     "ARRAY<TIMESTAMP(0)>", "[2020-01-01 00:00:00]"},
    {1000, SL_PG_BOOL, "boolean[]", "{t,f}", "ARRAY<BOOLEAN>", "[TRUE, FALSE]"},
    {1007, SL_PG_INT4, "integer[]", "{1,2", "ARRAY<INT>", "ERR:cannot be read as"},
};

/* BYTES as a Java byte array, as the print connector shows them. */
static void bytes_text(const sl_value_t *v, sl_strbuf_t *sb)
{
    sl_strbuf_putc(sb, '[');
    for (uint32_t i = 0; i < v->len; i++)
        sl_strbuf_printf(sb, "%s%d", i ? ", " : "", (int)(signed char)v->str[i]);
    sl_strbuf_putc(sb, ']');
}

static void value_text(const sl_value_t *v, const sl_type_t *t, sl_strbuf_t *sb)
{
    if (v->null) {
        sl_strbuf_puts(sb, "NULL");
    } else if (t->id == SL_T_VARBINARY || t->id == SL_T_BINARY) {
        bytes_text(v, sb);
    } else if (t->id == SL_T_ARRAY) {
        sl_strbuf_putc(sb, '[');
        for (int i = 0; i < v->nested->n; i++) {
            if (i) sl_strbuf_puts(sb, ", ");
            value_text(&v->nested->v[i], t->elem, sb);
        }
        sl_strbuf_putc(sb, ']');
    } else if ((t->id == SL_T_FLOAT || t->id == SL_T_DOUBLE)) {
        char buf[SL_DOUBLE_STRLEN];
        sl_double_format(v->f64, t->id == SL_T_FLOAT, buf, sizeof buf);
        sl_strbuf_puts(sb, buf);
    } else {
        sl_value_format(sb, v, t, SL_FMT_CAST);
    }
}

START_TEST(test_pg_values)
{
    const pg_case_t *c = &pg_cases[_i];
    sl_pgcol_t col = pgcol(c->oid, c->elem, c->pgtype);
    const sl_type_t *t = T(c->flink);
    sl_err_t err;
    sl_err_clear(&err);
    bool want_err = !strncmp(c->want, "ERR:", 4);
    int rc = sl_pgcol_check(&col, t, "c", &err);
    sl_value_t v;
    if (rc == 0) rc = sl_pgval_to_value(&col, c->text, strlen(c->text), t, "c", &v, &A, &err);
    if (want_err) {
        ck_assert_msg(rc < 0, "%s '%s' as %s: no error", c->pgtype, c->text, c->flink);
        ck_assert_msg(strstr(err.msg, c->want + 4) != NULL, "%s '%s' as %s: '%s' lacks '%s'",
                      c->pgtype, c->text, c->flink, err.msg, c->want + 4);
        ck_assert_msg(strstr(err.msg, "column 'c'") != NULL, "%s", err.msg);
        return;
    }
    ck_assert_msg(rc == 0, "%s '%s' as %s: %s", c->pgtype, c->text, c->flink, err.msg);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    value_text(&v, t, &sb);
    ck_assert_msg(!strcmp(sl_strbuf_cstr(&sb), c->want), "%s '%s' as %s: got '%s', want '%s'",
                  c->pgtype, c->text, c->flink, sl_strbuf_cstr(&sb), c->want);
    sl_strbuf_destroy(&sb);
}
END_TEST

START_TEST(test_pg_exact_floats)
{
    /* float4 text reads back as the same float, float8 as the same double. */
    sl_pgcol_t f4 = pgcol(SL_PG_FLOAT4, 0, "real"), f8 = pgcol(SL_PG_FLOAT8, 0, "double precision");
    sl_value_t v;
    sl_err_t err;
    ck_assert_int_eq(sl_pgval_to_value(&f4, "0.1", 3, T("FLOAT"), "c", &v, &A, &err), 0);
    ck_assert(v.f64 == (double)0.1f);
    ck_assert_int_eq(sl_pgval_to_value(&f4, "0.1", 3, T("DOUBLE"), "c", &v, &A, &err), 0);
    ck_assert(v.f64 == (double)0.1f);
    ck_assert_int_eq(sl_pgval_to_value(&f8, "0.30000000000000004", 19, T("DOUBLE"), "c", &v, &A,
                                       &err), 0);
    ck_assert(v.f64 == 0.1 + 0.2);
    ck_assert_int_eq(sl_pgval_to_value(&f8, "NaN", 3, T("DOUBLE"), "c", &v, &A, &err), 0);
    ck_assert(isnan(v.f64));
    /* Values inside a longer buffer (array elements) are not read past. */
    ck_assert_int_eq(sl_pgval_to_value(&f8, "12345", 2, T("DOUBLE"), "c", &v, &A, &err), 0);
    ck_assert(v.f64 == 12.0);
    sl_pgcol_t i8 = pgcol(SL_PG_INT8, 0, "bigint");
    ck_assert_int_eq(sl_pgval_to_value(&i8, "12345", 3, T("BIGINT"), "c", &v, &A, &err), 0);
    ck_assert_int_eq(v.i64, 123);
}
END_TEST

START_TEST(test_quoting)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_jdbc_quote_ident(SL_JDBC_MYSQL, &sb, "we`ird"), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "`we``ird`");
    sl_strbuf_clear(&sb);
    ck_assert_int_eq(sl_jdbc_quote_ident(SL_JDBC_POSTGRES, &sb, "Mixed\"Case"), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "\"Mixed\"\"Case\"");
    /* Without a connection: standard SQL doubling. */
    sl_jdbc_conn_t c;
    sl_jdbc_conn_init(&c);
    sl_strbuf_clear(&sb);
    ck_assert_int_eq(sl_jdbc_quote_literal(&c, &sb, "it's", 4), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "'it''s'");
    sl_jdbc_conn_interrupt(&c); /* nothing open: harmless */
    sl_err_t err;
    ck_assert_int_lt(sl_jdbc_exec(&c, "SELECT 1", &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "no open connection"));
    sl_jdbc_conn_destroy(&c);
    sl_strbuf_destroy(&sb);
}
END_TEST

static Suite *jdbc_suite(void)
{
    Suite *s = suite_create("jdbc");
    TCase *tc = tcase_create("jdbc");
    tcase_add_loop_test(tc, test_url_ok, 0, (int)(sizeof urls_ok / sizeof urls_ok[0]));
    tcase_add_test(tc, test_url_params);
    tcase_add_loop_test(tc, test_url_errors, 0, (int)(sizeof urls_bad / sizeof urls_bad[0]));
    tcase_add_test(tc, test_driver);
    tcase_add_loop_test(tc, test_options, 0, (int)(sizeof opt_cases / sizeof opt_cases[0]));
    tcase_add_test(tc, test_config_read);
    tcase_add_test(tc, test_dialect_types);
    tcase_add_test(tc, test_partitions);
    tcase_add_test(tc, test_quoting);
    tcase_add_loop_test(tc, test_pg_values, 0, (int)(sizeof pg_cases / sizeof pg_cases[0]));
    tcase_add_test(tc, test_pg_exact_floats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    (void)V; /* typespec.h's value parser: not needed here */
    sl_arena_init(&A, 0);
    int rc = sl_test_run_suite(jdbc_suite());
    sl_arena_destroy(&A);
    return rc;
}
