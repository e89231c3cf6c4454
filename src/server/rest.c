/* rest.c - the REST API of docs/REST.md (rest.h). */
#include "server/rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "server/assets.h"
#include "util/log.h"

struct sl_rest {
    uv_loop_t *loop;
    sl_engine_t *e;
    sl_session_t *session;     /* for statements that name none */
    char *token;
    int busy;
    int64_t started_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sl_rest_t *sl_rest_new(uv_loop_t *loop, sl_engine_t *e, const char *token)
{
    sl_rest_t *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->loop = loop;
    r->e = e;
    r->started_ms = now_ms();
    r->session = sl_session_new(e);
    if (!r->session || sl_rest_set_token(r, token)) {
        if (r->session) sl_session_free(r->session);
        free(r);
        return NULL;
    }
    return r;
}

int sl_rest_set_token(sl_rest_t *r, const char *token)
{
    char *t = token && *token ? strdup(token) : NULL;
    if (token && *token && !t) return -SL_ENOMEM;
    if (r->token) explicit_bzero(r->token, strlen(r->token));
    free(r->token);
    r->token = t;
    return 0;
}

int sl_rest_busy(const sl_rest_t *r) { return r->busy; }

void sl_rest_free(sl_rest_t *r)
{
    if (!r) return;
    if (r->session) sl_session_free(r->session);
    if (r->token) explicit_bzero(r->token, strlen(r->token));
    free(r->token);
    free(r);
}

/* Constant-time comparison of the Authorization header with the token. */
static bool authorized(const sl_rest_t *r, const char *auth)
{
    if (!r->token) return true;
    if (!auth || strncasecmp(auth, "Bearer ", 7)) return false;
    const char *given = auth + 7;
    size_t a = strlen(given), b = strlen(r->token);
    unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++) diff |= (unsigned char)(given[i < a ? i : 0] ^ r->token[i]);
    return diff == 0;
}

/* ---- work on the thread pool ---- */

enum {
    R_OVERVIEW = 1, R_SESSION_NEW, R_SESSION_DEL, R_STATEMENTS, R_FETCH, R_QUERY_DEL, R_JOBS,
    R_JOB, R_CANCEL, R_STOP, R_CHECKPOINT, R_CATALOG, R_METRICS,
};

typedef struct work {
    uv_work_t w;
    sl_rest_t *r;
    sl_http_server_t *srv;
    sl_http_req_t *req;
    int route;
    char a[64], b[64];         /* path parameters */
    int status;
    const char *ctype;
    sl_strbuf_t out;
} work_t;

static void set_json(work_t *w, int status, json_t *o)
{
    w->status = status;
    w->ctype = "application/json";
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    sl_strbuf_clear(&w->out);
    if (s) sl_strbuf_puts(&w->out, s);
    else {
        w->status = 500;
        sl_strbuf_puts(&w->out, "{\"error\":\"out of memory\"}");
    }
    free(s);
    json_decref(o);
}

static void set_error(work_t *w, int status, const char *msg)
{
    set_json(w, status, json_pack("{s:s}", "error", msg));
}

static int err_status(const sl_err_t *err)
{
    return err->code == SL_ENOTFOUND ? 404 : err->code == SL_EINVAL ? 409 : 500;
}

static json_t *body_json(work_t *w)
{
    if (!w->req->body_len) return json_object();
    json_error_t je;
    json_t *o = json_loadb(w->req->body, w->req->body_len, 0, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        char msg[300];
        snprintf(msg, sizeof msg, "the body is not a JSON object: %s", o ? "not an object" : je.text);
        set_error(w, 400, msg);
        return NULL;
    }
    return o;
}

static void do_work(uv_work_t *uw)
{
    work_t *w = uw->data;
    sl_rest_t *r = w->r;
    sl_err_t err;
    sl_err_clear(&err);
    switch (w->route) {
    case R_OVERVIEW: {
        json_t *jobs = sl_engine_jobs(r->e);
        int run = 0, fin = 0, fail = 0, canc = 0;
        json_t *l = json_object_get(jobs, "jobs");
        for (size_t i = 0; i < json_array_size(l); i++) {
            const char *st = json_string_value(json_object_get(json_array_get(l, i), "status"));
            if (!st) continue;
            if (!strcmp(st, "RUNNING") || !strcmp(st, "RESTARTING") || !strcmp(st, "INITIALIZING")) run++;
            else if (!strcmp(st, "FINISHED")) fin++;
            else if (!strcmp(st, "FAILED")) fail++;
            else canc++;
        }
        json_decref(jobs);
        set_json(w, 200, json_pack("{s:s, s:I, s:i, s:i, s:i, s:i}", "version", SL_VERSION,
                                   "uptime_ms", (json_int_t)(now_ms() - r->started_ms),
                                   "jobs_running", run, "jobs_finished", fin, "jobs_failed", fail,
                                   "jobs_canceled", canc));
        break;
    }
    case R_SESSION_NEW: {
        sl_session_t *s = sl_session_new(r->e);
        if (!s) set_error(w, 500, "out of memory");
        else set_json(w, 201, json_pack("{s:s}", "session_id", sl_session_id(s)));
        break;
    }
    case R_SESSION_DEL: {
        sl_session_t *s = sl_engine_session(r->e, w->a);
        if (!s || s == r->session) set_error(w, 404, "no such session");
        else {
            sl_session_free(s);
            set_json(w, 200, json_object());
        }
        break;
    }
    case R_STATEMENTS: {
        json_t *b = body_json(w);
        if (!b) break;
        const char *sql = json_string_value(json_object_get(b, "statement"));
        const char *sid = json_string_value(json_object_get(b, "session_id"));
        sl_session_t *s = sid ? sl_engine_session(r->e, sid) : r->session;
        if (!sql) set_error(w, 400, "the body needs \"statement\": the SQL text");
        else if (!s) set_error(w, 404, "no such session");
        else {
            const char *origin = json_string_value(json_object_get(b, "origin"));
            set_json(w, 200, sl_session_exec(s, sql, strlen(sql), origin ? origin : "<rest>"));
        }
        json_decref(b);
        break;
    }
    case R_FETCH: {
        sl_session_t *s = sl_engine_session(r->e, w->a);
        if (!s) {
            set_error(w, 404, "no such session");
            break;
        }
        char buf[32];
        const char *q = w->req->query;
        uint64_t token = strtoull(sl_http_query_param(q, "token", buf, sizeof buf) ? buf : "0", NULL, 10);
        int max = atoi(sl_http_query_param(q, "max_rows", buf, sizeof buf) ? buf : "1000");
        int wait = atoi(sl_http_query_param(q, "wait_ms", buf, sizeof buf) ? buf : "0");
        json_t *o = sl_session_fetch(s, w->b, token, max, wait);
        const char *e = json_string_value(json_object_get(o, "error"));
        set_json(w, e && !strcmp(e, "no such query") ? 404 : 200, o);
        break;
    }
    case R_QUERY_DEL: {
        sl_session_t *s = sl_engine_session(r->e, w->a);
        if (!s || sl_session_close_query(s, w->b)) set_error(w, 404, "no such query");
        else set_json(w, 200, json_object());
        break;
    }
    case R_JOBS:
        set_json(w, 200, sl_engine_jobs(r->e));
        break;
    case R_JOB: {
        json_t *j = sl_engine_job(r->e, w->a);
        if (!j) set_error(w, 404, "no such job");
        else set_json(w, 200, j);
        break;
    }
    case R_CANCEL:
        if (sl_engine_job_cancel(r->e, w->a, &err)) set_error(w, err_status(&err), err.msg);
        else set_json(w, 202, json_pack("{s:s, s:s}", "id", w->a, "status", "CANCELING"));
        break;
    case R_STOP: {
        json_t *b = body_json(w);
        if (!b) break;
        const char *dir = json_string_value(json_object_get(b, "savepoint_dir"));
        sl_strbuf_t path = SL_STRBUF_INIT;
        if (sl_engine_job_stop(r->e, w->a, dir, 120000, &path, &err))
            set_error(w, err_status(&err), err.msg);
        else
            set_json(w, 200, json_pack("{s:s, s:s, s:s}", "id", w->a, "status", "FINISHED",
                                       "savepoint", path.buf ? path.buf : ""));
        sl_strbuf_destroy(&path);
        json_decref(b);
        break;
    }
    case R_CHECKPOINT: {
        int64_t id = 0;
        if (sl_engine_job_checkpoint(r->e, w->a, &id, &err)) set_error(w, err_status(&err), err.msg);
        else set_json(w, 202, json_pack("{s:s, s:I}", "id", w->a, "checkpoint_id", (json_int_t)id));
        break;
    }
    case R_CATALOG:
        set_json(w, 200, sl_engine_catalog(r->e));
        break;
    case R_METRICS:
        w->status = 200;
        w->ctype = "text/plain; version=0.0.4; charset=utf-8";
        sl_engine_metrics(r->e, &w->out);
        break;
    default:
        set_error(w, 500, "no route");
    }
}

static void after_work(uv_work_t *uw, int status)
{
    (void)status;
    work_t *w = uw->data;
    w->r->busy--;
    sl_http_respond(w->srv, w->req, w->status, w->ctype, w->out.buf ? w->out.buf : "", w->out.len,
                    NULL);
    sl_strbuf_destroy(&w->out);
    free(w);
}

static void respond_error(sl_http_server_t *srv, sl_http_req_t *req, int status, const char *msg,
                          const char *extra)
{
    json_t *o = json_pack("{s:s}", "error", msg);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    sl_http_respond(srv, req, status, "application/json", s ? s : "{}", s ? strlen(s) : 2, extra);
    free(s);
    json_decref(o);
}

/* Splits path into at most 6 segments (pointers into buf). */
static int segments(const char *path, char *buf, size_t cap, char **seg)
{
    snprintf(buf, cap, "%s", path + 1);
    int n = 0;
    char *p = buf;
    while (*p && n < 6) {
        seg[n++] = p;
        char *s = strchr(p, '/');
        if (!s) break;
        *s = 0;
        p = s + 1;
    }
    return strchr(path + 1, '/') && n == 6 ? 7 : n;
}

void sl_rest_handle(sl_http_server_t *srv, sl_http_req_t *req, void *arg)
{
    sl_rest_t *r = arg;
    const char *m = req->method;
    bool get = !strcmp(m, "GET");
    /* The dashboard: compiled-in files, by exact name, without a token
     * (it asks for one when the API answers 401). */
    if (!strcmp(req->path, "/") || !strncmp(req->path, "/assets/", 8) ||
        !strcmp(req->path, "/index.html") || !strcmp(req->path, "/favicon.ico")) {
        const sl_asset_t *a = sl_asset_find(req->path);
        if (!a) respond_error(srv, req, 404, "no such file", NULL);
        else if (!get) respond_error(srv, req, 405, "only GET", "Allow: GET\r\n");
        else sl_http_respond(srv, req, 200, a->content_type, (const char *)a->data, a->len, NULL);
        return;
    }
    if (!authorized(r, req->authorization)) {
        respond_error(srv, req, 401, "a bearer token is needed (Authorization: Bearer TOKEN)",
                      "WWW-Authenticate: Bearer realm=\"sluice\"\r\n");
        return;
    }
    char buf[1024];
    char *seg[7] = {0};
    int n = segments(req->path, buf, sizeof buf, seg);
    int route = 0;
    const char *want = "GET";
    const char *a = NULL, *b = NULL;
    if (n == 1 && !strcmp(seg[0], "metrics")) route = R_METRICS;
    else if (n >= 2 && !strcmp(seg[0], "v1")) {
        const char *s1 = seg[1];
        if (n == 2 && !strcmp(s1, "overview")) route = R_OVERVIEW;
        else if (n == 2 && !strcmp(s1, "jobs")) route = R_JOBS;
        else if (n == 2 && !strcmp(s1, "catalog")) route = R_CATALOG;
        else if (n == 2 && !strcmp(s1, "statements")) route = R_STATEMENTS, want = "POST";
        else if (n == 2 && !strcmp(s1, "sessions")) route = R_SESSION_NEW, want = "POST";
        else if (n == 3 && !strcmp(s1, "sessions")) route = R_SESSION_DEL, want = "DELETE", a = seg[2];
        else if (n == 5 && !strcmp(s1, "sessions") && !strcmp(seg[3], "queries")) {
            a = seg[2];
            b = seg[4];
            if (!strcmp(m, "DELETE")) route = R_QUERY_DEL, want = "DELETE";
            else route = R_FETCH;
        } else if (n == 3 && !strcmp(s1, "jobs")) route = R_JOB, a = seg[2];
        else if (n == 4 && !strcmp(s1, "jobs")) {
            a = seg[2];
            want = "POST";
            if (!strcmp(seg[3], "cancel")) route = R_CANCEL;
            else if (!strcmp(seg[3], "stop")) route = R_STOP;
            else if (!strcmp(seg[3], "checkpoints")) route = R_CHECKPOINT;
        }
    }
    if (!route) {
        respond_error(srv, req, 404, "no such resource (see docs/REST.md)", NULL);
        return;
    }
    bool ok = !strcmp(want, "GET") ? get : !strcmp(m, want);
    if (!ok) {
        char allow[64];
        snprintf(allow, sizeof allow, "Allow: %s\r\n", want);
        respond_error(srv, req, 405, "method not allowed", allow);
        return;
    }
    work_t *w = calloc(1, sizeof *w);
    if (!w) {
        respond_error(srv, req, 503, "out of memory", NULL);
        return;
    }
    w->r = r;
    w->srv = srv;
    w->req = req;
    w->route = route;
    if (a) snprintf(w->a, sizeof w->a, "%s", a);
    if (b) snprintf(w->b, sizeof w->b, "%s", b);
    w->w.data = w;
    sl_strbuf_init(&w->out);
    if (uv_queue_work(r->loop, &w->w, do_work, after_work)) {
        free(w);
        respond_error(srv, req, 503, "cannot queue the request", NULL);
        return;
    }
    r->busy++;
}
