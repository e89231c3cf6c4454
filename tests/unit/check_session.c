/* check_session.c - the engine behind the shell and the daemon
 * (src/session/session.h): statements and their JSON results, queries
 * fetched by token, background jobs, stop/cancel/checkpoint, metrics, and
 * a home directory that keeps the catalog and the jobs across engines. */
#include "session/session.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

static sl_engine_t *engine(const char *home)
{
    sl_engine_opts_t o = {0};
    o.home = home;
    sl_err_t err;
    sl_engine_t *e = sl_engine_new(&o, &err);
    ck_assert_msg(e != NULL, "%s", err.msg);
    return e;
}

/* Runs text; returns the results array (owner: the returned document). */
static json_t *run(sl_session_t *s, const char *text, json_t **doc)
{
    *doc = sl_session_exec(s, text, strlen(text), "<test>");
    ck_assert_ptr_nonnull(*doc);
    return json_object_get(*doc, "results");
}

static const char *kind_of(json_t *r) { return json_string_value(json_object_get(r, "kind")); }

/* Runs one statement and checks its kind. */
static void expect(sl_session_t *s, const char *text, const char *kind)
{
    json_t *doc;
    json_t *rs = run(s, text, &doc);
    json_t *last = json_array_get(rs, json_array_size(rs) - 1);
    char *dump = json_dumps(doc, 0);
    ck_assert_msg(last && !strcmp(kind_of(last), kind), "%s -> %s", text, dump);
    free(dump);
    json_decref(doc);
}

static const char *job_status(sl_engine_t *e, const char *id, char *buf, size_t cap)
{
    json_t *j = sl_engine_job(e, id);
    snprintf(buf, cap, "%s", j ? json_string_value(json_object_get(j, "status")) : "?");
    json_decref(j);
    return buf;
}

static void wait_status(sl_engine_t *e, const char *id, const char *want, int ms)
{
    char buf[64];
    for (int i = 0; i < ms / 20; i++) {
        if (!strcmp(job_status(e, id, buf, sizeof buf), want)) return;
        usleep(20000);
    }
    ck_abort_msg("job %s is %s, not %s", id, job_status(e, id, buf, sizeof buf), want);
}

/* Fetches a query's changes until it ends; counts them by kind. */
static int drain(sl_session_t *s, const char *qid, int counts[4], json_t **last_row)
{
    uint64_t token = 0;
    int total = 0;
    for (int guard = 0; guard < 500; guard++) {
        json_t *f = sl_session_fetch(s, qid, token, 1000, 200);
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(json_is_null(json_object_get(f, "error")), "%s",
                      json_string_value(json_object_get(f, "error")));
        json_t *ch = json_object_get(f, "changes");
        for (size_t i = 0; i < json_array_size(ch); i++) {
            const char *op = json_string_value(json_object_get(json_array_get(ch, i), "op"));
            int k = !strcmp(op, "+I") ? 0 : !strcmp(op, "-U") ? 1 : !strcmp(op, "+U") ? 2 : 3;
            counts[k]++;
            total++;
            if (last_row) {
                json_decref(*last_row);
                *last_row = json_incref(json_object_get(json_array_get(ch, i), "row"));
            }
        }
        token = (uint64_t)json_integer_value(json_object_get(f, "next_token"));
        bool end = json_is_true(json_object_get(f, "end"));
        json_decref(f);
        if (end) return total;
    }
    ck_abort_msg("query %s never ended", qid);
    return total;
}

START_TEST(test_ddl_show_describe)
{
    sl_engine_t *e = engine(NULL);
    sl_session_t *s = sl_session_new(e);
    expect(s,
           "CREATE TABLE orders (id BIGINT, amt DECIMAL(10, 2), ts AS PROCTIME(), "
           "PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc', "
           "'url' = 'jdbc:mysql://127.0.0.1:1/x', 'table-name' = 'o', 'username' = 'u', "
           "'password' = 'hunter2');",
           "ok");
    expect(s, "CREATE VIEW big AS SELECT id FROM orders WHERE amt > 10;", "ok");
    json_t *doc;
    json_t *rs = run(s, "SHOW TABLES; SHOW VIEWS; DESCRIBE orders; SHOW CREATE TABLE orders;", &doc);
    ck_assert_int_eq(json_array_size(rs), 4);
    json_t *t = json_array_get(rs, 0);
    ck_assert_str_eq(kind_of(t), "table");
    ck_assert_int_eq(json_array_size(json_object_get(t, "rows")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(json_object_get(t, "rows"), 0), 0)),
                     "orders");
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(json_object_get(json_array_get(rs, 1), "rows"), 0), 0)),
                     "big");
    json_t *d = json_object_get(json_array_get(rs, 2), "rows");
    ck_assert_int_eq(json_array_size(d), 3);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(d, 0), 3)), "PRI(id)");
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(d, 1), 1)), "DECIMAL(10, 2)");
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(d, 2), 4)), "AS PROCTIME()");
    const char *ddl = json_string_value(json_object_get(json_array_get(rs, 3), "text"));
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE TABLE orders"));
    ck_assert_ptr_null(strstr(ddl, "hunter2"));
    ck_assert_ptr_nonnull(strstr(ddl, "******"));
    json_decref(doc);
    /* the catalog listing masks it too */
    json_t *cat = sl_engine_catalog(e);
    char *dump = json_dumps(cat, 0);
    ck_assert_ptr_null(strstr(dump, "hunter2"));
    ck_assert_ptr_nonnull(strstr(dump, "\"connector\": \"jdbc\""));
    free(dump);
    json_decref(cat);
    expect(s, "DROP VIEW big;", "ok");
    rs = run(s, "SHOW VIEWS;", &doc);
    ck_assert_int_eq(json_array_size(json_object_get(json_array_get(rs, 0), "rows")), 0);
    json_decref(doc);
    sl_session_free(s);
    sl_engine_free(e);
}
END_TEST

START_TEST(test_set_reset_errors)
{
    sl_engine_t *e = engine(NULL);
    sl_session_t *s = sl_session_new(e);
    expect(s, "SET 'table.exec.mini-batch.enabled' = 'true';", "ok");
    expect(s, "SET 'sql-client.execution.result-mode' = 'TABLEAU';", "ok");
    json_t *doc;
    json_t *rs = run(s, "SET;", &doc);
    char *dump = json_dumps(rs, 0);
    ck_assert_ptr_nonnull(strstr(dump, "[\"table.exec.mini-batch.enabled\", \"true\"]"));
    ck_assert_ptr_nonnull(strstr(dump, "[\"sql-client.execution.result-mode\", \"tableau\"]"));
    free(dump);
    json_decref(doc);
    /* a bad value: the position of the value */
    rs = run(s, "SET 'execution.checkpointing.interval' = 'soon';", &doc);
    json_t *err = json_array_get(rs, 0);
    ck_assert_str_eq(kind_of(err), "error");
    ck_assert_int_eq(json_integer_value(json_object_get(err, "line")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(err, "col")), 42);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(err, "text")), "^"));
    json_decref(doc);
    expect(s, "SET 'sql-client.execution.result-mode' = 'grid';", "error");
    expect(s, "RESET 'table.exec.mini-batch.enabled';", "ok");
    rs = run(s, "SET;", &doc);
    dump = json_dumps(rs, 0);
    ck_assert_ptr_null(strstr(dump, "mini-batch"));
    free(dump);
    json_decref(doc);
    /* statements before a syntax error run; the error carries its caret */
    rs = run(s, "CREATE TABLE a (x INT) WITH ('connector' = 'datagen');\nSELECT FROM;\nSHOW TABLES;", &doc);
    ck_assert_int_eq(json_array_size(rs), 2);
    ck_assert_str_eq(kind_of(json_array_get(rs, 0)), "ok");
    err = json_array_get(rs, 1);
    ck_assert_str_eq(kind_of(err), "error");
    ck_assert_int_eq(json_integer_value(json_object_get(err, "line")), 2);
    json_decref(doc);
    /* an unknown table: the position of its name */
    rs = run(s, "SELECT * FROM nowhere;", &doc);
    err = json_array_get(rs, 0);
    ck_assert_str_eq(kind_of(err), "error");
    ck_assert_int_eq(json_integer_value(json_object_get(err, "col")), 15);
    json_decref(doc);
    /* an unknown connector option is found when the job is planned */
    rs = run(s, "CREATE TABLE bad (x INT) WITH ('connector' = 'datagen', 'rows-per-sec' = '1');\n"
                "SELECT x FROM bad;", &doc);
    err = json_array_get(rs, 1);
    ck_assert_str_eq(kind_of(err), "error");
    ck_assert_int_eq(json_integer_value(json_object_get(err, "line")), 1);
    json_decref(doc);
    expect(s, "HELP;", "help");
    expect(s, "QUIT;", "quit");
    sl_session_free(s);
    sl_engine_free(e);
}
END_TEST

START_TEST(test_query_fetch)
{
    sl_engine_t *e = engine(NULL);
    sl_session_t *s = sl_session_new(e);
    expect(s,
           "CREATE TABLE g (id INT, k INT) WITH ('connector' = 'datagen', 'number-of-rows' = '500', "
           "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '500', "
           "'fields.k.min' = '0', 'fields.k.max' = '4');",
           "ok");
    json_t *doc;
    json_t *rs = run(s, "SELECT id, k, CAST(NULL AS STRING) AS n FROM g;", &doc);
    json_t *q = json_array_get(rs, 0);
    ck_assert_str_eq(kind_of(q), "query");
    ck_assert_int_eq(json_array_size(json_object_get(q, "columns")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(q, "columns"), 2), "name")), "n");
    char qid[32];
    snprintf(qid, sizeof qid, "%s", json_string_value(json_object_get(q, "query_id")));
    json_decref(doc);
    int counts[4] = {0};
    json_t *last = NULL;
    ck_assert_int_eq(drain(s, qid, counts, &last), 500);
    ck_assert_int_eq(counts[0], 500);
    ck_assert(json_is_null(json_array_get(last, 2)));
    json_decref(last);
    ck_assert_int_eq(sl_session_close_query(s, qid), 0);
    ck_assert_int_eq(sl_session_close_query(s, qid), -SL_ENOTFOUND);

    /* an updating query: per k the count, retracted as it grows */
    rs = run(s, "SELECT k, COUNT(*) AS c FROM g GROUP BY k;", &doc);
    snprintf(qid, sizeof qid, "%s", json_string_value(json_object_get(json_array_get(rs, 0), "query_id")));
    json_decref(doc);
    memset(counts, 0, sizeof counts);
    drain(s, qid, counts, NULL);
    ck_assert_int_eq(counts[0], 5);
    ck_assert_int_eq(counts[1], counts[2]);
    ck_assert_int_eq(counts[0] + counts[2] - counts[1], 5);
    json_t *f = sl_session_fetch(s, "q999", 0, 10, 0);
    ck_assert_str_eq(json_string_value(json_object_get(f, "error")), "no such query");
    json_decref(f);
    sl_session_free(s); /* closes the open query */
    sl_engine_free(e);
}
END_TEST

START_TEST(test_jobs)
{
    sl_engine_t *e = engine(NULL);
    sl_session_t *s = sl_session_new(e);
    expect(s,
           "CREATE TABLE src (id INT, k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '2000', "
           "'fields.k.min' = '0', 'fields.k.max' = '9');"
           "CREATE TABLE sink (k INT, c BIGINT) WITH ('connector' = 'blackhole');",
           "ok");
    json_t *doc;
    json_t *rs = run(s, "INSERT INTO sink SELECT k, COUNT(*) FROM src GROUP BY k;", &doc);
    json_t *r = json_array_get(rs, 0);
    ck_assert_str_eq(kind_of(r), "job");
    char id[64];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r, "job_id")));
    ck_assert_int_eq(strlen(id), 32);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r, "message")), id));
    json_decref(doc);
    wait_status(e, id, "RUNNING", 5000);
    rs = run(s, "SHOW JOBS;", &doc);
    char *dump = json_dumps(rs, 0);
    ck_assert_ptr_nonnull(strstr(dump, id));
    ck_assert_ptr_nonnull(strstr(dump, "insert-into_default_catalog.default_database.sink"));
    free(dump);
    json_decref(doc);
    /* metrics arrive (refreshed every second, sampled every two) */
    usleep(4500000);
    json_t *j = sl_engine_job(e, id);
    ck_assert_ptr_nonnull(j);
    json_t *vs = json_object_get(j, "vertices");
    ck_assert_int_ge(json_array_size(vs), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(vs, 0), "kind")), "source");
    ck_assert_int_gt(json_integer_value(json_object_get(json_array_get(vs, 0), "records_out")), 1000);
    ck_assert(json_real_value(json_object_get(json_array_get(vs, 0), "records_out_per_s")) > 500);
    ck_assert_int_ge(json_array_size(json_object_get(j, "history")), 1);
    json_decref(j);
    sl_strbuf_t prom = SL_STRBUF_INIT;
    sl_engine_metrics(e, &prom);
    ck_assert_ptr_nonnull(strstr(prom.buf, "flink_taskmanager_job_task_operator_numRecordsIn{job_id=\""));
    ck_assert_ptr_nonnull(strstr(prom.buf, id));
    ck_assert_ptr_nonnull(strstr(prom.buf, "# TYPE flink_jobmanager_job_numberOfCompletedCheckpoints counter"));
    sl_strbuf_destroy(&prom);
    /* a checkpoint needs a state directory */
    int64_t ck = 0;
    sl_err_t err;
    ck_assert_int_ne(sl_engine_job_checkpoint(e, id, &ck, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "state directory"));
    /* STOP JOB */
    char stop[128];
    snprintf(stop, sizeof stop, "STOP JOB '%s';", id);
    expect(s, stop, "ok");
    wait_status(e, id, "FINISHED", 5000);
    expect(s, stop, "error"); /* not running any more */
    expect(s, "STOP JOB 'nope';", "error");
    /* a bounded job finishes by itself; cancel of an ended job fails */
    expect(s,
           "CREATE TABLE few (id INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10');"
           "CREATE TABLE p (id INT) WITH ('connector' = 'blackhole');",
           "ok");
    rs = run(s, "INSERT INTO p SELECT id FROM few;", &doc);
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(json_array_get(rs, 0), "job_id")));
    json_decref(doc);
    wait_status(e, id, "FINISHED", 5000);
    ck_assert_int_ne(sl_engine_job_cancel(e, id, &err), 0);
    /* statement sets make one job */
    expect(s, "BEGIN STATEMENT SET;", "ok");
    expect(s, "INSERT INTO p SELECT id FROM few;", "ok");
    expect(s, "SHOW TABLES;", "error");
    expect(s, "INSERT INTO sink SELECT k, COUNT(*) FROM src GROUP BY k;", "ok");
    rs = run(s, "END;", &doc);
    ck_assert_str_eq(kind_of(json_array_get(rs, 0)), "job");
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(json_array_get(rs, 0), "job_id")));
    json_decref(doc);
    wait_status(e, id, "RUNNING", 5000);
    ck_assert_int_eq(sl_engine_job_cancel(e, id, &err), 0);
    wait_status(e, id, "CANCELED", 5000);
    sl_session_free(s);
    sl_engine_free(e);
}
END_TEST

START_TEST(test_home_persists)
{
    char home[] = "/tmp/sluice-check-session-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(home));
    sl_engine_t *e = engine(home);
    sl_session_t *s = sl_session_new(e);
    expect(s,
           "CREATE TABLE src (id INT, k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '500', "
           "'fields.k.min' = '0', 'fields.k.max' = '9');"
           "CREATE TEMPORARY TABLE tmp (x INT) WITH ('connector' = 'blackhole');"
           "CREATE TABLE sink (k INT, c BIGINT) WITH ('connector' = 'blackhole');",
           "ok");
    expect(s, "SET 'execution.checkpointing.interval' = '300ms';", "ok");
    json_t *doc;
    json_t *rs = run(s, "INSERT INTO sink SELECT k, COUNT(*) FROM src GROUP BY k;", &doc);
    char id[64];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(json_array_get(rs, 0), "job_id")));
    json_decref(doc);
    wait_status(e, id, "RUNNING", 5000);
    int64_t ck = 0;
    sl_err_t err;
    usleep(300000);
    ck_assert_msg(sl_engine_job_checkpoint(e, id, &ck, &err) == 0, "%s", err.msg);
    ck_assert_int_gt(ck, 0);
    usleep(1500000);
    json_t *j = sl_engine_job(e, id);
    ck_assert_int_gt(json_integer_value(json_object_get(json_object_get(j, "checkpoints"), "completed")), 0);
    ck_assert_int_gt(json_array_size(json_object_get(json_object_get(j, "checkpoints"), "history")), 0);
    json_decref(j);
    sl_session_free(s);
    sl_engine_free(e); /* a shutdown: the job resumes with the next engine */

    e = engine(home);
    ck_assert_int_eq(sl_engine_resume_jobs(e), 1);
    s = sl_session_new(e);
    rs = run(s, "SHOW TABLES;", &doc);
    char *dump = json_dumps(rs, 0);
    ck_assert_ptr_nonnull(strstr(dump, "\"src\""));
    ck_assert_ptr_nonnull(strstr(dump, "\"sink\""));
    ck_assert_ptr_null(strstr(dump, "\"tmp\"")); /* temporary: not kept */
    free(dump);
    json_decref(doc);
    wait_status(e, id, "RUNNING", 5000);
    /* stop with a savepoint: its path, under the job's directory */
    sl_strbuf_t path = SL_STRBUF_INIT;
    ck_assert_msg(sl_engine_job_stop(e, id, NULL, 20000, &path, &err) == 0, "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(path.buf, home));
    char meta[4300];
    snprintf(meta, sizeof meta, "%s/_metadata", path.buf);
    ck_assert_int_eq(access(meta, F_OK), 0);
    sl_strbuf_destroy(&path);
    wait_status(e, id, "FINISHED", 5000);
    sl_session_free(s);
    sl_engine_free(e);
    /* an ended job is listed but not resumed */
    e = engine(home);
    ck_assert_int_eq(sl_engine_resume_jobs(e), 0);
    json_t *jobs = sl_engine_jobs(e);
    ck_assert_int_eq(json_array_size(json_object_get(jobs, "jobs")), 1);
    json_decref(jobs);
    sl_engine_free(e);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ddl_show_describe);
    tcase_add_test(tc, test_set_reset_errors);
    tcase_add_test(tc, test_query_fetch);
    tcase_add_test(tc, test_jobs);
    tcase_add_test(tc, test_home_persists);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    sl_log_set_level(SL_LOG_LEVEL_WARN);
    return sl_test_run_suite(session_suite());
}
