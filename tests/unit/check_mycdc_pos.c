/* check_mycdc_pos.c - unit tests for the parts of mysql-cdc checkpoints
 * that need no server: the GTID states of connectors/mysql/binlog.h
 * (MariaDB GTID lists, MySQL GTID sets: text, binary, adding transactions)
 * and the decoding and option checks of a position given to the source
 * (ctx->restore, or the SLUICE_TEST_CDC_RESTORE hook). source_new does
 * not connect, so every malformed, truncated or mismatching position is
 * refused (or accepted) here without a server; the integration test
 * tests/integration/test_mysql_cdc_resume.sh resumes real ones. */
#include "connectors/connector.h"
#include "connectors/mysql/binlog.h"
#include "testutil.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- GTID states ---- */

static char *fmt(const sl_bl_gtids_t *g)
{
    static char buf[1024];
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_bl_gtids_format(g, &sb), 0);
    snprintf(buf, sizeof buf, "%s", sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return buf;
}

static void parse_ok(sl_bl_gtids_t *g, const char *text)
{
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_msg(sl_bl_gtids_parse(g, text, strlen(text), &err) == 0, "%s: %s", text, err.msg);
}

START_TEST(test_mariadb_list)
{
    sl_bl_gtids_t g, h;
    sl_bl_gtids_init(&g, true);
    sl_bl_gtids_init(&h, true);
    parse_ok(&g, "");
    ck_assert_str_eq(fmt(&g), "");
    parse_ok(&g, " 1-2-7, 0-1-42 ");
    ck_assert_str_eq(fmt(&g), "0-1-42,1-2-7");
    sl_bl_gtid_t t = {.mariadb = true, .domain_id = 1, .server_id = 3, .seq_no = 8};
    ck_assert_int_eq(sl_bl_gtids_add(&g, &t), 0);
    ck_assert_str_eq(fmt(&g), "0-1-42,1-3-8");
    t.domain_id = 5;
    t.seq_no = 1;
    ck_assert_int_eq(sl_bl_gtids_add(&g, &t), 0);
    t.domain_id = 0;
    t.seq_no = 43;
    t.server_id = 1;
    ck_assert_int_eq(sl_bl_gtids_add(&g, &t), 0);
    ck_assert_str_eq(fmt(&g), "0-1-43,1-3-8,5-3-1");
    parse_ok(&h, "5-3-1,0-1-43,1-3-8");
    ck_assert(sl_bl_gtids_equal(&g, &h));
    parse_ok(&h, "5-3-1,0-1-43,1-3-9");
    ck_assert(!sl_bl_gtids_equal(&g, &h));
    ck_assert_int_eq(sl_bl_gtids_copy(&h, &g), 0);
    ck_assert(sl_bl_gtids_equal(&g, &h));
    const char *bad[] = {"0-1", "0-1-", "a-1-2", "0-1-2;", "0-1-2,,1-1-1", "99999999999-1-1", NULL};
    for (int i = 0; bad[i]; i++) {
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_msg(sl_bl_gtids_parse(&h, bad[i], strlen(bad[i]), &err) < 0, "%s", bad[i]);
        ck_assert(err.msg[0] != '\0');
        ck_assert_int_eq(h.n, 0);
    }
    sl_bl_gtids_free(&g);
    sl_bl_gtids_free(&h);
}
END_TEST

static void add_gno(sl_bl_gtids_t *g, uint8_t first, uint64_t gno)
{
    sl_bl_gtid_t t;
    memset(&t, 0, sizeof t);
    t.sid[0] = first;
    t.sid[15] = 1;
    t.gno = gno;
    ck_assert_int_eq(sl_bl_gtids_add(g, &t), 0);
}

START_TEST(test_mysql_set)
{
    sl_bl_gtids_t g, h;
    sl_bl_gtids_init(&g, false);
    sl_bl_gtids_init(&h, false);
    parse_ok(&g, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7,\n"
                 "00000000-0000-0000-0000-000000000001:3");
    ck_assert_str_eq(fmt(&g),
                     "00000000-0000-0000-0000-000000000001:3,"
                     "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
    /* the common case: the next number */
    add_gno(&g, 0, 4);
    add_gno(&g, 0, 5);
    ck_assert_str_eq(fmt(&g),
                     "00000000-0000-0000-0000-000000000001:3-5,"
                     "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
    add_gno(&g, 0, 2);  /* joins before */
    add_gno(&g, 0, 9);  /* a gap */
    add_gno(&g, 0, 3);  /* already there */
    ck_assert_str_eq(fmt(&g), "00000000-0000-0000-0000-000000000001:2-5:9,"
                              "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
    add_gno(&g, 0, 7);
    add_gno(&g, 0, 8);  /* 7-9 */
    add_gno(&g, 0, 6);  /* merges 2-5 and 7-9 */
    ck_assert_str_eq(fmt(&g), "00000000-0000-0000-0000-000000000001:2-9,"
                              "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
    add_gno(&g, 0xff, 1);  /* a new UUID, sorted last */
    add_gno(&g, 0x10, 4);  /* one between */
    ck_assert_str_eq(fmt(&g), "00000000-0000-0000-0000-000000000001:2-9,"
                              "10000000-0000-0000-0000-000000000001:4,"
                              "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,"
                              "ff000000-0000-0000-0000-000000000001:1");
    sl_bl_gtid_t zero;
    memset(&zero, 0, sizeof zero);
    ck_assert_int_eq(sl_bl_gtids_add(&g, &zero), 0); /* anonymous: nothing */
    ck_assert_int_eq(g.n, 4);
    /* binary form (PREVIOUS_GTIDS) */
    sl_strbuf_t b = SL_STRBUF_INIT;
    sl_err_t err;
    sl_err_clear(&err);
    const char *txt = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7:9-12,"
                      "00000000-0000-0000-0000-000000000001:3";
    ck_assert_int_eq(sl_bl_mysql_gtid_encode(txt, strlen(txt), &b, &err), 0);
    ck_assert_int_eq(sl_bl_gtids_decode(&h, (const uint8_t *)b.buf, b.len, &err), 0);
    ck_assert_str_eq(fmt(&h), "00000000-0000-0000-0000-000000000001:3,"
                              "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7:9-12");
    for (size_t n = 0; n < b.len; n++) {
        ck_assert_int_lt(sl_bl_gtids_decode(&h, (const uint8_t *)b.buf, n, &err), 0);
        ck_assert_int_eq(h.n, 0);
    }
    sl_strbuf_destroy(&b);
    parse_ok(&h, "");
    ck_assert_str_eq(fmt(&h), "");
    ck_assert_int_eq(sl_bl_gtids_copy(&h, &g), 0);
    ck_assert(sl_bl_gtids_equal(&g, &h));
    add_gno(&h, 0, 20);
    ck_assert(!sl_bl_gtids_equal(&g, &h));
    ck_assert_int_lt(sl_bl_gtids_parse(&h, "nonsense", 8, &err), 0);
    sl_bl_gtids_free(&g);
    sl_bl_gtids_free(&h);
}
END_TEST

/* ---- positions given to the source ---- */

typedef struct tab {
    sl_arena_t a;
    const char *names[2];
    const sl_type_t *types[2];
    sl_list_t given;
    sl_options_t opts;
    sl_conn_ctx_t ctx;
    const sl_connector_type_t *ct;
} tab_t;

static void tab_opt(tab_t *t, const char *k, const char *v)
{
    sl_option_t *o = sl_arena_calloc(&t->a, sizeof *o);
    o->key = sl_arena_strdup(&t->a, k);
    o->value = sl_arena_strdup(&t->a, v);
    o->key_len = (int)strlen(k) + 2;
    o->val_len = (int)strlen(v) + 2;
    sl_list_push(&t->a, &t->given, o);
}

/* A table of mysql-cdc with the options of the positions below, then
 * extra "k=v" pairs. */
static void tab_init(tab_t *t, const char *const *extra)
{
    memset(t, 0, sizeof *t);
    sl_arena_init(&t->a, 0);
    t->names[0] = "id";
    t->names[1] = "s";
    t->types[0] = sl_type_new(&t->a, SL_T_INT);
    t->types[1] = &sl_type_string;
    t->ct = sl_connector_find("mysql-cdc");
    ck_assert(t->ct != NULL);
    tab_opt(t, "hostname", "127.0.0.1");
    tab_opt(t, "username", "u");
    tab_opt(t, "password", "p");
    tab_opt(t, "database-name", "app");
    for (int i = 0; extra && extra[i]; i++) {
        const char *eq = strchr(extra[i], '=');
        tab_opt(t, sl_arena_strndup(&t->a, extra[i], (size_t)(eq - extra[i])), eq + 1);
    }
    bool has_tn = false;
    for (int i = 0; extra && extra[i]; i++) has_tn |= !strncmp(extra[i], "table-name=", 11);
    if (!has_tn) tab_opt(t, "table-name", "t|u");
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_msg(sl_options_check(t->ct, &t->given, 2, t->names, &t->a, &t->opts, &err) == 0,
                  "%s", err.msg);
    t->ctx = (sl_conn_ctx_t){
        .table = "src", .ncols = 2, .names = t->names, .types = t->types,
        .opts = &t->opts, .job_name = "test", .arena = &t->a,
    };
}

/* source_new with restore bytes; the error message ("" when accepted). */
static const char *try_restore(tab_t *t, const void *pos, size_t len)
{
    static char msg[SL_ERR_MSG_MAX];
    sl_source_t src;
    memset(&src, 0, sizeof src);
    sl_err_t err;
    sl_err_clear(&err);
    t->ctx.restore = pos;
    t->ctx.restore_len = len;
    int rc = t->ct->source_new(&t->ctx, &src, &err);
    snprintf(msg, sizeof msg, "%s", rc ? err.msg : "");
    if (rc) ck_assert_msg(msg[0] != '\0', "an error without a message");
    if (src.ops && src.ops->close) src.ops->close(&src);
    return msg;
}

static const char POS[] =
    "mysql-cdc-position 1\n"
    "phase snapshot\n"
    "binlog \"mysql-bin.000003\" 1234 2\n"
    "gtid mariadb \"0-1-42\"\n"
    "server-id 1\n"
    "time-zone \"UTC\"\n"
    "database-name \"app\"\n"
    "table-name \"t|u\"\n"
    "chunk-key \"\"\n"
    "timestamp-filter 0\n"
    "tables 2\n"
    "table \"app\" \"t\" 1 3 300 2 \"id\" \"s\" \"100\" \"a\\\"b\\\\c\\x00d\"\n"
    "table \"app\" \"u\" 2 1 5 1 \"id\"\n"
    "end\n";

START_TEST(test_restore_valid)
{
    tab_t t;
    tab_init(&t, NULL);
    ck_assert_str_eq(try_restore(&t, POS, strlen(POS)), "");
    /* startup options are ignored with a position */
    sl_arena_destroy(&t.a);
    const char *lat[] = {"scan.startup.mode=latest-offset", NULL};
    tab_init(&t, lat);
    ck_assert_str_eq(try_restore(&t, POS, strlen(POS)), "");
    sl_arena_destroy(&t.a);
}
END_TEST

START_TEST(test_restore_options)
{
    struct { const char *opt, *want; } cases[] = {
        {"table-name=t", "it was taken with 'table-name' = 't|u', the table now has 't'"},
        {"server-time-zone=Asia/Tokyo",
         "'server-time-zone' = 'UTC', the table now has 'Asia/Tokyo'"},
        {"scan.incremental.snapshot.chunk.key-column=s",
         "'scan.incremental.snapshot.chunk.key-column' = '', the table now has 's'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tab_t t;
        const char *extra[] = {cases[i].opt, NULL};
        tab_init(&t, extra);
        const char *m = try_restore(&t, POS, strlen(POS));
        ck_assert_msg(strstr(m, cases[i].want) && strstr(m, "take a new snapshot"), "%s", m);
        sl_arena_destroy(&t.a);
    }
}
END_TEST

START_TEST(test_restore_malformed)
{
    tab_t t;
    tab_init(&t, NULL);
    size_t n = strlen(POS);
    /* every truncation is refused */
    for (size_t k = 0; k < n; k++) {
        const char *m = try_restore(&t, POS, k);
        ck_assert_msg(m[0] != '\0', "a position cut at %zu bytes was accepted", k);
    }
    /* every byte replaced: never a crash (ASan), refused or accepted */
    char *p = malloc(n);
    ck_assert(p != NULL);
    const char subst[] = {'X', '\n', '"', ' ', '\\', '\0', '9'};
    for (size_t k = 0; k < n; k++)
        for (size_t s = 0; s < sizeof subst; s++) {
            memcpy(p, POS, n);
            p[k] = subst[s];
            try_restore(&t, p, n);
        }
    free(p);
    ck_assert_ptr_nonnull(strstr(try_restore(&t, "\x01\x02garbage", 9),
                                 "not a mysql-cdc position"));
    const char *v2 = "mysql-cdc-position 2\nphase binlog\nsomething new\nend\n";
    ck_assert_ptr_nonnull(strstr(try_restore(&t, v2, strlen(v2)), "has version 2, written by a newer"));
    const char *extra = "mysql-cdc-position 1\nphase binlog\nunknown-field 1\nend\n";
    ck_assert_ptr_nonnull(strstr(try_restore(&t, extra, strlen(extra)), "line 3"));
    sl_arena_destroy(&t.a);
}
END_TEST

START_TEST(test_restore_hook)
{
    tab_t t;
    tab_init(&t, NULL);
    size_t n = strlen(POS);
    char *hex = malloc(2 * n + 1);
    ck_assert(hex != NULL);
    for (size_t i = 0; i < n; i++) sprintf(hex + 2 * i, "%02x", (unsigned char)POS[i]);
    setenv("SLUICE_TEST_CDC_RESTORE", hex, 1);
    ck_assert_str_eq(try_restore(&t, NULL, 0), "");
    hex[2 * n - 1] = '\0';
    setenv("SLUICE_TEST_CDC_RESTORE", hex, 1);
    ck_assert_ptr_nonnull(strstr(try_restore(&t, NULL, 0), "odd number of digits"));
    setenv("SLUICE_TEST_CDC_RESTORE", "zz", 1);
    ck_assert_ptr_nonnull(strstr(try_restore(&t, NULL, 0), "not hexadecimal"));
    /* a real restore wins over the hook */
    ck_assert_str_eq(try_restore(&t, POS, n), "");
    unsetenv("SLUICE_TEST_CDC_RESTORE");
    free(hex);
    sl_arena_destroy(&t.a);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("mycdc_pos");
    TCase *tc = tcase_create("gtids");
    tcase_add_test(tc, test_mariadb_list);
    tcase_add_test(tc, test_mysql_set);
    suite_add_tcase(s, tc);
    tc = tcase_create("restore");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_restore_valid);
    tcase_add_test(tc, test_restore_options);
    tcase_add_test(tc, test_restore_malformed);
    tcase_add_test(tc, test_restore_hook);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    sl_log_set_level(SL_LOG_LEVEL_WARN); /* no "resumes from" line per case */
    return sl_test_run_suite(suite());
}
