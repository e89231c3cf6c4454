/* check_server.c - the daemon's pieces that need no network: the HTTP
 * request parser (fed whole and byte by byte), query parameters, the
 * configuration file, the compiled-in dashboard files, sd_notify, and the
 * shell's rendering of results. */
#include "server/assets.h"
#include "server/config.h"
#include "server/http.h"
#include "server/sdnotify.h"
#include "shell/render.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static long parse(const char *s, sl_http_req_t *req)
{
    return sl_http_parse(s, strlen(s), req);
}

START_TEST(test_http_parse)
{
    sl_http_req_t r;
    const char *get = "GET /v1/jobs/abc?token=5&wait_ms=10 HTTP/1.1\r\nHost: x\r\n"
                      "authorization: Bearer s3cret\r\n\r\n";
    ck_assert_int_eq(parse(get, &r), (long)strlen(get));
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(r.path, "/v1/jobs/abc");
    ck_assert_str_eq(r.query, "token=5&wait_ms=10");
    ck_assert_str_eq(r.authorization, "Bearer s3cret");
    ck_assert(!r.close);
    char buf[32];
    ck_assert_str_eq(sl_http_query_param(r.query, "wait_ms", buf, sizeof buf), "10");
    ck_assert_ptr_null(sl_http_query_param(r.query, "wait", buf, sizeof buf));
    sl_http_req_free(&r);
    /* a body by Content-Length, fed a byte at a time: nothing until whole */
    const char *post = "POST /v1/statements HTTP/1.1\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
                       "{\"a\":\"b c\"}GET / HTTP/1.1\r\n\r\n";
    size_t first = strlen(post) - strlen("GET / HTTP/1.1\r\n\r\n");
    for (size_t n = 0; n < first; n++) ck_assert_int_eq(sl_http_parse(post, n, &r), 0);
    ck_assert_int_eq(sl_http_parse(post, strlen(post), &r), (long)first);
    ck_assert_str_eq(r.body, "{\"a\":\"b c\"}");
    ck_assert_int_eq(r.body_len, 11);
    ck_assert(r.close);
    sl_http_req_free(&r);
    /* the pipelined request after it */
    ck_assert_int_eq(parse(post + first, &r), (long)strlen(post + first));
    ck_assert_str_eq(r.path, "/");
    sl_http_req_free(&r);
    /* percent-decoding */
    ck_assert_int_gt(parse("GET /assets/app%2Ejs HTTP/1.1\r\n\r\n", &r), 0);
    ck_assert_str_eq(r.path, "/assets/app.js");
    sl_http_req_free(&r);
    ck_assert_int_gt(parse("GET / HTTP/1.0\r\n\r\n", &r), 0);
    ck_assert(r.close);
    sl_http_req_free(&r);
}
END_TEST

START_TEST(test_http_refuses)
{
    static const struct { const char *req; long want; } bad[] = {
        {"GET /../etc/passwd HTTP/1.1\r\n\r\n", -400},
        {"GET /assets/../../etc/passwd HTTP/1.1\r\n\r\n", -400},
        {"GET /%2e%2e/etc/passwd HTTP/1.1\r\n\r\n", -400},
        {"GET /assets/%2F..%2Fx HTTP/1.1\r\n\r\n", -400},
        {"GET //etc/passwd HTTP/1.1\r\n\r\n", -400},
        {"GET /a/./b HTTP/1.1\r\n\r\n", -400},
        {"GET /a%5cb HTTP/1.1\r\n\r\n", -400},
        {"GET /a%00b HTTP/1.1\r\n\r\n", -400},
        {"GET /a%zz HTTP/1.1\r\n\r\n", -400},
        {"GET /a% HTTP/1.1\r\n\r\n", -400},
        {"GET http://x/ HTTP/1.1\r\n\r\n", -400},
        {"get / HTTP/1.1\r\n\r\n", -400},
        {"GET / HTTP/2.0\r\n\r\n", -400},
        {"GET / HTTP/1.2\r\n\r\n", -505},
        {"GET /\r\n\r\n", -400},
        {"garbage\r\n\r\n", -400},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", -501},
        {"POST / HTTP/1.1\r\nContent-Length: 5242880\r\n\r\n", -413},
        {"POST / HTTP/1.1\r\nContent-Length: x1\r\n\r\n", -400},
        {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", -400},
        {"GET / HTTP/1.1\r\nno colon here\r\n\r\n", -400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_http_req_t r;
        long got = parse(bad[i].req, &r);
        ck_assert_msg(got == bad[i].want, "%s: %ld, want %ld", bad[i].req, got, bad[i].want);
    }
    /* headers past 8 KiB */
    char *big = malloc(SL_HTTP_MAX_HEAD + 100);
    memset(big, 'a', SL_HTTP_MAX_HEAD + 99);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    big[SL_HTTP_MAX_HEAD + 99] = 0;
    sl_http_req_t r;
    ck_assert_int_eq(parse(big, &r), -431);
    free(big);
}
END_TEST

START_TEST(test_assets)
{
    const sl_asset_t *a = sl_asset_find("/");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->path, "/index.html");
    ck_assert(a->len > 100);
    ck_assert_ptr_nonnull(memmem(a->data, a->len, "/assets/app.js", 14));
    ck_assert_str_eq(sl_asset_find("/assets/app.js")->content_type, "text/javascript; charset=utf-8");
    ck_assert(sl_asset_find("/assets/app.css")->len > 100);
    ck_assert(sl_asset_find("/assets/app.js")->data[sl_asset_find("/assets/app.js")->len] == 0);
    static const char *const none[] = {"", "/assets/", "/assets/../x", "/../etc/passwd",
                                       "//etc/passwd", "/assets/app.js/", "/index.htm", "/ASSETS/app.js"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        ck_assert_msg(sl_asset_find(none[i]) == NULL, "%s found", none[i]);
    ck_assert_ptr_null(sl_asset_find(NULL));
}
END_TEST

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/sluice-conf-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

START_TEST(test_config)
{
    char *p = write_tmp("# comment\nrest.port: 9090\nrest:\n  address: 0.0.0.0\n"
                        "execution.checkpointing.interval: 10 s\ntaskmanager.numberOfTaskSlots: 4\n"
                        "mystery.key: 1\nstate.backend: rocksdb\n");
    sl_config_t c;
    sl_err_t err;
    ck_assert_msg(sl_config_load(&c, p, false, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(sl_config_get(&c, "rest.port", NULL), "9090");
    ck_assert_str_eq(sl_config_get(&c, "rest.address", NULL), "0.0.0.0");
    ck_assert_str_eq(sl_config_get(&c, "nope", "def"), "def");
    ck_assert_int_eq(c.nwarnings, 2);
    ck_assert_ptr_nonnull(strstr(c.warnings[0], ":6:"));
    ck_assert_ptr_nonnull(strstr(c.warnings[1], "unknown key 'mystery.key'"));
    ck_assert_ptr_nonnull(strstr(c.warnings[1], ":7:"));
    int n = 0;
    const char **kv = sl_config_job_pairs(&c, &n);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(kv[0], "execution.checkpointing.interval");
    ck_assert_str_eq(kv[3], "rocksdb");
    free(kv);
    sl_config_free(&c);
    unlink(p);
    free(p);
    /* a bad job value, bad YAML, a bad port: errors with file:line */
    static const char *const bad[] = {"execution.checkpointing.interval: soon\n",
                                      "a: [1, 2]\n", "rest.port: 99999\n", "a: b: c\n", "- x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = write_tmp(bad[i]);
        ck_assert_msg(sl_config_load(&c, p, false, &err) != 0, "'%s' accepted", bad[i]);
        ck_assert_msg(strstr(err.msg, p) != NULL && strstr(err.msg, ":1"), "%s", err.msg);
        sl_config_free(&c);
        unlink(p);
        free(p);
    }
    ck_assert_int_ne(sl_config_load(&c, "/nonexistent/sluice.yaml", false, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/sluice.yaml"));
    sl_config_free(&c);
    ck_assert_int_eq(sl_config_load(&c, "/nonexistent/sluice.yaml", true, &err), 0);
    sl_config_free(&c);
}
END_TEST

START_TEST(test_sdnotify)
{
    unsetenv("NOTIFY_SOCKET");
    ck_assert_int_eq(sl_sd_notify("READY=1"), 0);
    char path[] = "/tmp/sluice-notify-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(path));
    char sock[100];
    snprintf(sock, sizeof sock, "%s/notify", path);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", sock, 1);
    ck_assert_int_eq(sl_sd_notifyf("STATUS=%d jobs", 3), 1);
    char buf[100];
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    ck_assert_int_gt(n, 0);
    buf[n] = 0;
    ck_assert_str_eq(buf, "STATUS=3 jobs");
    setenv("WATCHDOG_USEC", "300000", 1);
    unsetenv("WATCHDOG_PID");
    ck_assert_int_eq(sl_sd_watchdog_usec(), 300000);
    setenv("WATCHDOG_PID", "1", 1);
    ck_assert_int_eq(sl_sd_watchdog_usec(), 0);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    close(fd);
    unlink(sock);
    rmdir(path);
}
END_TEST

START_TEST(test_render_table)
{
    json_t *cols = json_pack("[s, s]", "name", "value");
    json_t *rows = json_pack("[[s, s], [s, n]]", "a", "1", "long-name", NULL);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_render_table(&sb, cols, rows);
    ck_assert_str_eq(sb.buf, "+-----------+--------+\n"
                             "|      name |  value |\n"
                             "+-----------+--------+\n"
                             "|         a |      1 |\n"
                             "| long-name | <NULL> |\n"
                             "+-----------+--------+\n"
                             "2 rows in set\n");
    sl_strbuf_clear(&sb);
    json_t *empty = json_array();
    sl_render_table(&sb, cols, empty);
    ck_assert_str_eq(sb.buf, "Empty set\n");
    sl_strbuf_clear(&sb);
    sl_render_cell(&sb, "abcdefghij", 6, true);
    ck_assert_str_eq(sb.buf, "abc...");
    sl_strbuf_clear(&sb);
    sl_render_cell(&sb, "äöü", 5, true); /* widths count characters, not bytes */
    ck_assert_str_eq(sb.buf, "äöü  ");
    json_decref(cols);
    json_decref(rows);
    json_decref(empty);
    /* tableau */
    json_t *qcols = json_pack("[{s:s, s:s}, {s:s, s:s}]", "name", "k", "type", "INT", "name", "c",
                              "type", "BIGINT NOT NULL");
    int w[2];
    sl_render_widths(qcols, w);
    ck_assert_int_eq(w[0], 11);
    ck_assert_int_eq(w[1], 20);
    sl_strbuf_clear(&sb);
    json_t *row = json_pack("[s, n]", "7");
    sl_render_tableau_row(&sb, "+I", row, w);
    ck_assert_str_eq(sb.buf, "| +I |           7 |               <NULL> |\n");
    json_decref(row);
    json_decref(qcols);
    sl_strbuf_destroy(&sb);
}
END_TEST

START_TEST(test_mview)
{
    sl_mview_t v;
    sl_mview_init(&v);
    json_t *a1 = json_pack("[s, s]", "a", "1"), *b1 = json_pack("[s, s]", "b", "1");
    json_t *a2 = json_pack("[s, s]", "a", "2"), *c1 = json_pack("[s, s]", "c", "1");
    ck_assert(sl_mview_apply(&v, "+I", a1));
    ck_assert(sl_mview_apply(&v, "+I", b1));
    ck_assert(sl_mview_apply(&v, "-U", a1));
    ck_assert(sl_mview_apply(&v, "+U", a2)); /* takes a1's place */
    ck_assert_int_eq(json_array_size(v.rows), 2);
    ck_assert(json_equal(json_array_get(v.rows, 0), a2));
    ck_assert(json_equal(json_array_get(v.rows, 1), b1));
    ck_assert(!sl_mview_apply(&v, "-D", c1)); /* nothing to retract */
    ck_assert(sl_mview_apply(&v, "-D", b1));
    ck_assert(sl_mview_apply(&v, "+I", c1));
    ck_assert_int_eq(json_array_size(v.rows), 2);
    ck_assert(json_equal(json_array_get(v.rows, 1), c1));
    ck_assert_int_eq(v.changes, 7);
    json_decref(a1);
    json_decref(b1);
    json_decref(a2);
    json_decref(c1);
    sl_mview_free(&v);
}
END_TEST

static Suite *server_suite(void)
{
    Suite *s = suite_create("server");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_http_parse);
    tcase_add_test(tc, test_http_refuses);
    tcase_add_test(tc, test_assets);
    tcase_add_test(tc, test_config);
    tcase_add_test(tc, test_sdnotify);
    tcase_add_test(tc, test_render_table);
    tcase_add_test(tc, test_mview);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(server_suite());
}
