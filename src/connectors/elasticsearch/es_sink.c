/* es_sink.c - the elasticsearch sink: rows to bulk requests, sent with
 * libcurl's multi interface driven by the job's libuv loop (uv_poll per
 * socket, a uv_timer for curl's timeouts), so the loop thread never blocks
 * and no thread of its own is needed.
 *
 * Rows become actions in NDJSON bulk bodies, as Flink's sink makes them:
 *   +I/+U  {"index":{"_index":"i","_id":"k1_k2"}}\n{...the row...}\n
 *   -D     {"delete":{"_index":"i","_id":"k1_k2"}}\n
 *   -U     nothing (the +U that follows carries the row)
 * without a primary key every row is an index action without _id
 * (Elasticsearch assigns one). elasticsearch-6 adds "_type".
 *
 * Buffering: write() appends to the current bulk; the bulk is sealed when
 * it holds sink.bulk-flush.max-actions actions or max-size bytes, when
 * sink.bulk-flush.interval passes, or on flush() (end of job,
 * checkpoints). Sealed bulks go out one at a time, in order, so the last
 * change of a document is the one Elasticsearch keeps. Memory is bounded:
 * with a sealed bulk waiting behind the one in flight the sink reports
 * SL_OP_FULL and the job stops reading its sources (backpressure) - at
 * most two bulks plus the current one and one input batch are held.
 *
 * Responses are read item by item. An item rejected with 429 or 503 is
 * retried with the backoff policy (unless a later action of the same bulk
 * replaced the same document); other item errors go to the failure
 * handler: fail (the job fails naming the index, the document id and
 * Elasticsearch's reason, which names the field), ignore (logged, counted,
 * dropped), retry-rejected (429s retried without limit, other errors
 * fail). Whole-request failures: connection errors, timeouts and 502/503/
 * 504 move to the next host at once (failover, as Elasticsearch's
 * RestClient does); when every host failed, and on 429 and other 5xx, the
 * request is retried with the backoff policy; then the job fails naming
 * the hosts and the last error. 4xx answers (bad credentials, a bad
 * request) fail the job at once.
 *
 * Before the first bulk the sink asks GET / (Flink's client pings too) to
 * fail early on a wrong host or credentials, and before writing to an
 * index it has not seen it checks HEAD /index and, if missing, creates it
 * with the mapping from the table's columns (es_util.c), unless
 * index.create-with-mapping is false.
 *
 * Memory: everything belongs to the esink_t; close() starts closing the
 * uv handles and the last close callback frees it (the job runs the loop
 * once more after closing its sinks).
 */
#include "connectors/elasticsearch/es.h"

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "util/hashmap.h"
#include "util/log.h"
#include "util/strbuf.h"

#define MAX_RESPONSE (256u << 20)      /* bytes of a reply we accept */
#define UNLIMITED_BULK_BYTES (64u << 20) /* FULL threshold when no size limit */
#define LOGGED_ITEM_ERRORS 10          /* per bulk, with the ignore handler */

enum { ACT_INDEX = 0, ACT_DELETE = 1 };
enum { REQ_NONE = 0, REQ_PING, REQ_HEAD, REQ_PUT, REQ_BULK };

typedef struct act {
    uint32_t off, len;         /* the action's lines in the body */
    uint32_t idx_off, idx_len; /* "index" JSON string in the body */
    uint32_t id_off, id_len;   /* "id" JSON string in the body; len 0: none */
    uint8_t op;
} act_t;

typedef struct bulk {
    struct bulk *next;
    sl_strbuf_t body;
    act_t *acts;
    int n, cap;
    sl_strbuf_t ensure;        /* new index names, each NUL-terminated */
    uint64_t upto;             /* written rows when sealed */
    int attempt;               /* retries of rejected items so far */
} bulk_t;

typedef struct esink esink_t;

typedef struct sockctx {
    uv_poll_t poll;
    curl_socket_t fd;
    esink_t *s;
    bool closing;
    struct sockctx *prev, *next;
} sockctx_t;

struct esink {
    sl_es_config_t cfg;
    sl_arena_t arena;
    const char *label;         /* table name */
    int ncols;
    const char *const *names;
    const sl_type_t *const *types;
    int *pk;
    int npk;
    uv_loop_t *loop;
    void (*wakeup)(void *);
    void *wakeup_arg;

    CURLM *multi;
    CURL *easy;
    struct curl_slist *hdr_json, *hdr_ndjson;
    uv_timer_t curl_timer, flush_timer, retry_timer, done_timer;
    bool flush_timer_on;
    int nhandles;              /* open uv handles; the last close frees */
    bool closing;
    sockctx_t *socks;

    bulk_t *cur;               /* takes write()s */
    bulk_t *head, *tail;       /* sealed bulks in order; head goes next */
    int nsealed;
    bulk_t *spare;             /* recycled bulks */
    uint64_t written_rows, acked_rows;

    int req;                   /* REQ_* in flight */
    bool retry_wait;           /* the retry timer is armed */
    bool pinged;
    int host;                  /* the host requests go to */
    int hosts_tried;           /* hosts that failed in this attempt */
    int req_attempt;           /* backoff retries of the current request */
    long last_status;          /* HTTP status of the last failed request, 0: none */
    const char *ensure_name;   /* HEAD/PUT: the index */
    sl_strbuf_t url, resp, reqbody, keybuf, ixname, lasterr;
    char curl_err[CURL_ERROR_SIZE];
    sl_hmap_t known;           /* index names known to exist */
    const char *static_json;   /* the static index as a JSON string */
    sl_arena_t parse;          /* response trees */

    bool failed;
    sl_err_t err;
    uint64_t n_requests, n_retries, n_ignored, n_index, n_delete;
};

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* ---- failure ---- */

static void fail(esink_t *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(esink_t *s, int code, const char *fmt, ...)
{
    if (s->failed) return;
    char msg[SL_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_err_set(&s->err, code, "elasticsearch sink '%s': %s", s->label, msg);
    s->failed = true;
    if (s->wakeup) s->wakeup(s->wakeup_arg);
}

/* ---- bulks ---- */

static bulk_t *bulk_get(esink_t *s)
{
    bulk_t *b = s->spare;
    if (b) {
        s->spare = b->next;
    } else {
        b = calloc(1, sizeof *b);
        if (!b) return NULL;
    }
    b->next = NULL;
    sl_strbuf_clear(&b->body);
    sl_strbuf_clear(&b->ensure);
    b->n = 0;
    b->upto = 0;
    b->attempt = 0;
    return b;
}

static void bulk_put(esink_t *s, bulk_t *b)
{
    /* Keep a couple for reuse; give back what one huge batch grew. */
    int nspare = 0;
    for (bulk_t *x = s->spare; x; x = x->next) nspare++;
    if (nspare >= 3) {
        sl_strbuf_destroy(&b->body);
        sl_strbuf_destroy(&b->ensure);
        free(b->acts);
        free(b);
        return;
    }
    b->next = s->spare;
    s->spare = b;
}

static void bulk_free(bulk_t *b)
{
    sl_strbuf_destroy(&b->body);
    sl_strbuf_destroy(&b->ensure);
    free(b->acts);
    free(b);
}

static act_t *bulk_act(bulk_t *b)
{
    if (b->n == b->cap) {
        int nc = b->cap ? b->cap * 2 : 256;
        act_t *na = realloc(b->acts, (size_t)nc * sizeof *na);
        if (!na) return NULL;
        b->acts = na;
        b->cap = nc;
    }
    return &b->acts[b->n++];
}

/* Moves the current bulk to the send queue. */
static int seal(esink_t *s)
{
    if (!s->cur || s->cur->n == 0) return 0;
    bulk_t *nb = bulk_get(s);
    if (!nb) return -SL_ENOMEM;
    bulk_t *b = s->cur;
    b->upto = s->written_rows;
    if (s->tail) s->tail->next = b;
    else s->head = b;
    s->tail = b;
    s->nsealed++;
    s->cur = nb;
    return 0;
}

static bool bulk_full(const esink_t *s, const bulk_t *b)
{
    return (s->cfg.max_actions && b->n >= s->cfg.max_actions) ||
           (s->cfg.max_bytes && b->body.len >= (size_t)s->cfg.max_bytes) ||
           b->body.len >= 0x7fff0000u;
}

/* ---- curl on the uv loop ---- */

static void free_sink(esink_t *s);
static void check_done(esink_t *s);

static void sock_closed(uv_handle_t *h)
{
    sockctx_t *c = h->data;
    esink_t *s = c->s;
    if (c->prev) c->prev->next = c->next;
    else s->socks = c->next;
    if (c->next) c->next->prev = c->prev;
    free(c);
    if (--s->nhandles == 0 && s->closing) free_sink(s);
}

static void sock_close(sockctx_t *c)
{
    if (c->closing) return;
    c->closing = true;
    uv_poll_stop(&c->poll);
    uv_close((uv_handle_t *)&c->poll, sock_closed);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
    sockctx_t *c = h->data;
    esink_t *s = c->s;
    int flags = 0;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(s->multi, c->fd, flags, &running);
    check_done(s);
}

static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
    (void)e;
    esink_t *s = userp;
    sockctx_t *c = sockp;
    if (what == CURL_POLL_REMOVE) {
        if (c) {
            curl_multi_assign(s->multi, fd, NULL);
            sock_close(c);
        }
        return 0;
    }
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) return -1;
        if (uv_poll_init_socket(s->loop, &c->poll, fd)) {
            free(c);
            return -1;
        }
        c->fd = fd;
        c->s = s;
        c->poll.data = c;
        c->next = s->socks;
        if (s->socks) s->socks->prev = c;
        s->socks = c;
        s->nhandles++;
        curl_multi_assign(s->multi, fd, c);
    }
    int ev = 0;
    if (what & CURL_POLL_IN) ev |= UV_READABLE;
    if (what & CURL_POLL_OUT) ev |= UV_WRITABLE;
    uv_poll_start(&c->poll, ev, on_poll);
    return 0;
}

static void on_curl_timeout(uv_timer_t *t)
{
    esink_t *s = t->data;
    int running;
    curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(s);
}

static int on_curl_timer(CURLM *m, long timeout_ms, void *userp)
{
    (void)m;
    esink_t *s = userp;
    if (s->closing) return 0;
    if (timeout_ms < 0) uv_timer_stop(&s->curl_timer);
    else uv_timer_start(&s->curl_timer, on_curl_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

static size_t on_data(char *p, size_t size, size_t n, void *userp)
{
    esink_t *s = userp;
    size_t len = size * n;
    if (s->resp.len + len > MAX_RESPONSE) return 0;
    if (sl_strbuf_append(&s->resp, p, len)) return 0;
    return len;
}

static void on_done_timer(uv_timer_t *t)
{
    check_done(t->data);
}

/* Starts a request to the current host. body may be NULL. */
static void start_request(esink_t *s, int kind, const char *method, const char *path,
                          const char *body, size_t blen, struct curl_slist *hdr)
{
    sl_strbuf_clear(&s->url);
    sl_strbuf_clear(&s->resp);
    if (sl_strbuf_puts(&s->url, s->cfg.hosts[s->host].url) || sl_strbuf_puts(&s->url, path)) {
        fail(s, SL_ENOMEM, "out of memory");
        return;
    }
    CURL *e = s->easy;
    curl_easy_reset(e);
    curl_easy_setopt(e, CURLOPT_URL, s->url.buf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_err);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)s->cfg.connect_timeout_ms);
    /* socket.timeout: no byte for that long (curl counts whole seconds). */
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                     (long)((s->cfg.socket_timeout_ms + 999) / 1000));
    if (s->cfg.request_timeout_ms)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)s->cfg.request_timeout_ms);
    if (s->cfg.user) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, s->cfg.user);
        curl_easy_setopt(e, CURLOPT_PASSWORD, s->cfg.password);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
    if (!strcmp(method, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(method, "GET")) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(method, "POST")) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? blen : 0));
    }
    s->curl_err[0] = 0;
    s->req = kind;
    s->n_requests++;
    CURLMcode mc = curl_multi_add_handle(s->multi, e);
    if (mc != CURLM_OK) {
        s->req = REQ_NONE;
        fail(s, SL_EIO, "cannot start a request to %s: %s", s->cfg.hosts[s->host].label,
             curl_multi_strerror(mc));
        return;
    }
    /* Send now, not at the next turn of the loop: the job is about to
     * spend a while filling the next bulk, and the server should work
     * meanwhile. (Never called from inside a curl callback.) A transfer
     * this finishes at once is collected by the done timer. */
    int running;
    curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    uv_timer_start(&s->done_timer, on_done_timer, 0, 0);
}

/* ---- scheduling ---- */

static void pump(esink_t *s);

static void on_retry(uv_timer_t *t)
{
    esink_t *s = t->data;
    s->retry_wait = false;
    pump(s);
}

/* The n-th (0-based) backoff delay: CONSTANT the delay, EXPONENTIAL
 * Elasticsearch's BulkProcessor formula delay + 10 ms * (e^(0.8 n) - 1). */
static int64_t backoff_ms(const esink_t *s, int n)
{
    if (s->cfg.backoff == SL_ES_BACKOFF_EXPONENTIAL) {
        double x = exp(0.8 * (n > 30 ? 30 : n));
        int64_t extra = (int64_t)x;
        int64_t d = s->cfg.delay_ms + 10 * (extra - 1);
        return d > 3600000 ? 3600000 : d;
    }
    if (s->cfg.backoff == SL_ES_BACKOFF_CONSTANT) return s->cfg.delay_ms;
    return 50;
}

static void retry_after(esink_t *s, int64_t ms)
{
    s->retry_wait = true;
    s->n_retries++;
    uv_timer_start(&s->retry_timer, on_retry, (uint64_t)(ms < 0 ? 0 : ms), 0);
}

static void url_escape(sl_strbuf_t *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            sl_strbuf_putc(sb, (char)*p);
        } else {
            sl_strbuf_putc(sb, '%');
            sl_strbuf_putc(sb, hex[*p >> 4]);
            sl_strbuf_putc(sb, hex[*p & 15]);
        }
    }
}

static void start_index_request(esink_t *s, int kind, const char *name)
{
    sl_strbuf_t path = SL_STRBUF_INIT;
    sl_strbuf_putc(&path, '/');
    url_escape(&path, name);
    s->ensure_name = name;
    if (kind == REQ_HEAD) {
        start_request(s, REQ_HEAD, "HEAD", path.buf, NULL, 0, s->hdr_json);
    } else {
        sl_strbuf_clear(&s->reqbody);
        if (sl_es_mapping_json(&s->reqbody, s->ncols, s->names, s->types, &s->cfg.json,
                               s->cfg.doc_type))
            fail(s, SL_ENOMEM, "out of memory");
        else
            start_request(s, REQ_PUT, "PUT", path.buf, s->reqbody.buf, s->reqbody.len,
                          s->hdr_json);
    }
    sl_strbuf_destroy(&path);
}

/* The next index of b that must be checked first, or NULL. */
static const char *next_unknown(esink_t *s, bulk_t *b)
{
    size_t off = 0;
    while (off < b->ensure.len) {
        const char *name = b->ensure.buf + off;
        size_t n = strlen(name);
        if (!sl_hmap_get(&s->known, name, n)) return name;
        off += n + 1;
    }
    return NULL;
}

/* Starts whatever comes next, when nothing is in flight. */
static void pump(esink_t *s)
{
    if (s->failed || s->closing || s->req != REQ_NONE || s->retry_wait) return;
    if (!s->pinged) {
        start_request(s, REQ_PING, "GET", "/", NULL, 0, s->hdr_json);
        return;
    }
    bulk_t *b = s->head;
    if (!b) return;
    if (s->cfg.create_index) {
        const char *name = s->static_json ? s->cfg.index.prefix : next_unknown(s, b);
        if (name && s->static_json && sl_hmap_get(&s->known, name, strlen(name))) name = NULL;
        if (name) {
            start_index_request(s, REQ_HEAD, name);
            return;
        }
    }
    start_request(s, REQ_BULK, "POST", "/_bulk", b->body.buf, b->body.len, s->hdr_ndjson);
}

/* ---- responses ---- */

/* "type: reason" of an Elasticsearch error object (or string). */
static void describe_error(sl_strbuf_t *out, const sl_json_t *e)
{
    if (!e) return;
    if (e->type == SL_JSON_STRING) {
        sl_strbuf_append(out, e->s, e->n);
        return;
    }
    const sl_json_t *t = sl_json_get(e, "type"), *r = sl_json_get(e, "reason");
    if (t && t->type == SL_JSON_STRING) sl_strbuf_append(out, t->s, t->n);
    if (r && r->type == SL_JSON_STRING) {
        if (t) sl_strbuf_puts(out, ": ");
        sl_strbuf_append(out, r->s, r->n);
    }
    const sl_json_t *c = sl_json_get(e, "caused_by");
    if (c && c->type == SL_JSON_OBJECT) {
        sl_strbuf_puts(out, " (caused by ");
        describe_error(out, c);
        sl_strbuf_putc(out, ')');
    }
}

/* What went wrong with a whole request, into s->lasterr. */
static void request_error(esink_t *s, CURLcode rc, long status)
{
    s->last_status = rc == CURLE_OK ? status : 0;
    sl_strbuf_clear(&s->lasterr);
    sl_strbuf_printf(&s->lasterr, "%s: ", s->cfg.hosts[s->host].label);
    if (rc != CURLE_OK) {
        sl_strbuf_puts(&s->lasterr, s->curl_err[0] ? s->curl_err : curl_easy_strerror(rc));
        return;
    }
    sl_strbuf_printf(&s->lasterr, "HTTP %ld", status);
    sl_arena_reset(&s->parse);
    sl_json_t *j = NULL;
    sl_err_t e;
    if (s->resp.len && !sl_json_parse(s->resp.buf, s->resp.len, &s->parse, &j, &e) &&
        j->type == SL_JSON_OBJECT) {
        const sl_json_t *er = sl_json_get(j, "error");
        if (er) {
            sl_strbuf_puts(&s->lasterr, " ");
            describe_error(&s->lasterr, er);
        }
    } else if (s->resp.len) {
        sl_strbuf_printf(&s->lasterr, " %.*s", s->resp.len > 200 ? 200 : (int)s->resp.len,
                         s->resp.buf);
    }
}

/* A request failed as a whole: try the next host, then back off, then
 * fail. transient: the kind of failure another node may not have. */
static void request_failed(esink_t *s, bool failover, const char *what)
{
    if (failover && s->hosts_tried + 1 < s->cfg.nhosts) {
        s->hosts_tried++;
        int from = s->host;
        s->host = (s->host + 1) % s->cfg.nhosts;
        SL_LOG_WARN("elasticsearch sink '%s': %s; trying %s", s->label, s->lasterr.buf,
                    s->cfg.hosts[s->host].label);
        (void)from;
        pump(s);
        return;
    }
    /* retry-rejected: a whole request rejected with 429 is retried
     * without limit too. */
    bool rejected = s->last_status == 429 && s->cfg.failure == SL_ES_RETRY_REJECTED;
    if (s->req_attempt < s->cfg.max_retries || rejected) {
        int n = s->req_attempt < s->cfg.max_retries
                    ? s->req_attempt
                    : (int)(s->cfg.max_retries ? s->cfg.max_retries - 1 : 0);
        int64_t d = backoff_ms(s, n);
        s->req_attempt++;
        s->hosts_tried = 0;
        if (s->cfg.nhosts > 1 && failover) s->host = (s->host + 1) % s->cfg.nhosts;
        if (s->req_attempt <= s->cfg.max_retries)
            SL_LOG_WARN("elasticsearch sink '%s': %s failed: %s; retry %d of %lld in %lld ms",
                        s->label, what, s->lasterr.buf, s->req_attempt,
                        (long long)s->cfg.max_retries, (long long)d);
        else
            SL_LOG_WARN("elasticsearch sink '%s': %s failed: %s; retry %d (retry-rejected) in "
                        "%lld ms",
                        s->label, what, s->lasterr.buf, s->req_attempt, (long long)d);
        retry_after(s, d);
        return;
    }
    sl_strbuf_t hosts = SL_STRBUF_INIT;
    for (int i = 0; i < s->cfg.nhosts; i++) {
        if (i) sl_strbuf_puts(&hosts, ", ");
        sl_strbuf_puts(&hosts, s->cfg.hosts[i].label);
    }
    if (s->cfg.max_retries)
        fail(s, SL_EIO, "%s failed after %lld retries (hosts %s): %s", what,
             (long long)s->cfg.max_retries, hosts.buf ? hosts.buf : "", s->lasterr.buf);
    else
        fail(s, SL_EIO,
             "%s failed (hosts %s): %s (sink.bulk-flush.backoff.strategy is DISABLED: no "
             "retries)",
             what, hosts.buf ? hosts.buf : "", s->lasterr.buf);
    sl_strbuf_destroy(&hosts);
}

/* A request went through (whatever its answer). */
static void request_ok(esink_t *s)
{
    s->req_attempt = 0;
    s->hosts_tried = 0;
}

static bool transient_status(long status) { return status == 502 || status == 503 || status == 504; }

static bool retryable_status(long status) { return status == 429 || status >= 500; }

static void done_ping(esink_t *s, CURLcode rc, long status)
{
    if (rc != CURLE_OK || transient_status(status)) {
        request_error(s, rc, status);
        request_failed(s, true, "connecting to Elasticsearch");
        return;
    }
    if (status != 200) {
        request_error(s, rc, status);
        if (retryable_status(status)) {
            request_failed(s, false, "connecting to Elasticsearch");
            return;
        }
        fail(s, SL_EIO, "%s%s", s->lasterr.buf,
             status == 401 ? " (check 'username' and 'password')" : "");
        return;
    }
    request_ok(s);
    s->pinged = true;
    sl_arena_reset(&s->parse);
    sl_json_t *j = NULL;
    sl_err_t e;
    const char *ver = "?";
    int vlen = 1;
    if (!sl_json_parse(s->resp.buf, s->resp.len, &s->parse, &j, &e)) {
        const sl_json_t *v = sl_json_get(sl_json_get(j, "version"), "number");
        if (v && v->type == SL_JSON_STRING) {
            ver = v->s;
            vlen = (int)v->n;
            int major = atoi(v->s);
            if (major && major != s->cfg.version)
                SL_LOG_WARN("elasticsearch sink '%s': %s runs Elasticsearch %.*s, the "
                            "connector is elasticsearch-%d",
                            s->label, s->cfg.hosts[s->host].label, vlen, ver, s->cfg.version);
        }
    }
    SL_LOG_INFO("elasticsearch sink '%s': connected to %s (Elasticsearch %.*s)", s->label,
                s->cfg.hosts[s->host].label, vlen, ver);
}

static void mark_known(esink_t *s, const char *name)
{
    if (sl_hmap_put(&s->known, name, strlen(name), (void *)1)) fail(s, SL_ENOMEM, "out of memory");
}

static void done_index(esink_t *s, int kind, CURLcode rc, long status)
{
    const char *name = s->ensure_name;
    if (rc != CURLE_OK || transient_status(status)) {
        request_error(s, rc, status);
        request_failed(s, true, kind == REQ_HEAD ? "checking the index" : "creating the index");
        return;
    }
    if (kind == REQ_HEAD) {
        if (status == 200) {
            request_ok(s);
            mark_known(s, name);
            return;
        }
        if (status == 404) {
            request_ok(s);
            start_index_request(s, REQ_PUT, name);
            return;
        }
    } else {
        if (status == 200 || status == 201) {
            request_ok(s);
            mark_known(s, name);
            SL_LOG_INFO("elasticsearch sink '%s': created index '%s' with a mapping from the "
                        "table's columns",
                        s->label, name);
            return;
        }
        if (status == 400 && s->resp.len &&
            strstr(s->resp.buf, "resource_already_exists_exception")) {
            request_ok(s); /* created meanwhile by someone else */
            mark_known(s, name);
            return;
        }
    }
    request_error(s, rc, status);
    if (retryable_status(status)) {
        request_failed(s, false, kind == REQ_HEAD ? "checking the index" : "creating the index");
        return;
    }
    fail(s, SL_EIO, "%s index '%s': %s%s", kind == REQ_HEAD ? "checking" : "creating", name,
         s->lasterr.buf, status == 401 ? " (check 'username' and 'password')" : "");
}

/* Is the i-th action replaced by a later action of b on the same
 * document? */
static bool superseded(const bulk_t *b, int i)
{
    const act_t *a = &b->acts[i];
    if (!a->id_len) return false;
    const char *body = b->body.buf;
    for (int j = i + 1; j < b->n; j++) {
        const act_t *x = &b->acts[j];
        if (x->id_len == a->id_len && x->idx_len == a->idx_len &&
            !memcmp(body + x->id_off, body + a->id_off, a->id_len) &&
            !memcmp(body + x->idx_off, body + a->idx_off, a->idx_len))
            return true;
    }
    return false;
}

static void bulk_finished(esink_t *s, bulk_t *b)
{
    s->head = b->next;
    if (!s->head) s->tail = NULL;
    s->nsealed--;
    s->acked_rows = b->upto;
    bulk_put(s, b);
    if (s->wakeup) s->wakeup(s->wakeup_arg);
}

static void item_text(sl_strbuf_t *sb, const sl_json_t *res, const char *op, int oplen)
{
    const sl_json_t *ix = sl_json_get(res, "_index"), *id = sl_json_get(res, "_id");
    sl_strbuf_printf(sb, "%.*s of document ", oplen, op);
    if (id && id->type == SL_JSON_STRING) sl_strbuf_printf(sb, "'%.*s'", (int)id->n, id->s);
    else sl_strbuf_puts(sb, "(no id)");
    if (ix && ix->type == SL_JSON_STRING) sl_strbuf_printf(sb, " in index '%.*s'", (int)ix->n, ix->s);
}

static void done_bulk(esink_t *s, CURLcode rc, long status)
{
    bulk_t *b = s->head;
    if (rc != CURLE_OK || transient_status(status)) {
        request_error(s, rc, status);
        request_failed(s, true, "a bulk request");
        return;
    }
    if (status != 200) {
        request_error(s, rc, status);
        if (retryable_status(status)) {
            request_failed(s, false, "a bulk request");
            return;
        }
        fail(s, SL_EIO, "bulk request of %d actions refused: %s%s", b->n, s->lasterr.buf,
             status == 413 ? " (lower 'sink.bulk-flush.max-size' or raise Elasticsearch's "
                             "http.max_content_length)"
             : status == 401 ? " (check 'username' and 'password')"
                             : "");
        return;
    }
    request_ok(s);
    /* Fast path: Elasticsearch writes "errors" right after "took". */
    const char *r = s->resp.buf ? s->resp.buf : "";
    if (!strncmp(r, "{\"took\":", 8)) {
        const char *p = r + 8;
        while (*p >= '0' && *p <= '9') p++;
        if (!strncmp(p, ",\"errors\":false", 15)) {
            for (int i = 0; i < b->n; i++) {
                if (b->acts[i].op == ACT_DELETE) s->n_delete++;
                else s->n_index++;
            }
            bulk_finished(s, b);
            pump(s);
            return;
        }
    }
    sl_arena_reset(&s->parse);
    sl_json_t *j = NULL;
    sl_err_t e;
    sl_err_clear(&e);
    if (sl_json_parse(s->resp.buf ? s->resp.buf : "", s->resp.len, &s->parse, &j, &e) ||
        j->type != SL_JSON_OBJECT) {
        fail(s, SL_EFORMAT, "%s answered a bulk request with something that is not JSON: %s",
             s->cfg.hosts[s->host].label, e.msg);
        return;
    }
    const sl_json_t *items = sl_json_get(j, "items");
    if (!items || items->type != SL_JSON_ARRAY || (int)items->n != b->n) {
        fail(s, SL_EFORMAT, "%s answered a bulk request of %d actions with %d items",
             s->cfg.hosts[s->host].label, b->n,
             items && items->type == SL_JSON_ARRAY ? (int)items->n : -1);
        return;
    }
    /* Retry rejected items, in order, ahead of everything else. */
    bulk_t *rb = NULL;
    int rejected = 0, dropped = 0, logged = 0;
    const char *first_reject = NULL;
    sl_strbuf_t msg = SL_STRBUF_INIT;
    for (int i = 0; i < b->n; i++) {
        const sl_json_t *it = &items->items[i];
        const sl_json_t *res = it->type == SL_JSON_OBJECT && it->n == 1 ? &it->items[0] : NULL;
        bool one = it->type == SL_JSON_OBJECT && it->n == 1;
        const char *op = one ? it->keys[0] : "?";
        int oplen = one ? (int)it->keylens[0] : 1;
        const sl_json_t *st = res ? sl_json_get(res, "status") : NULL;
        long code = st && st->type == SL_JSON_NUMBER ? strtol(st->s, NULL, 10) : 0;
        bool is_delete = b->acts[i].op == ACT_DELETE;
        if ((code >= 200 && code < 300) || (is_delete && code == 404)) {
            if (is_delete) s->n_delete++;
            else s->n_index++;
            continue;
        }
        if (code == 429 || code == 503) {
            if (superseded(b, i)) continue;
            if (!first_reject) {
                sl_strbuf_clear(&s->lasterr);
                item_text(&s->lasterr, res, op, oplen);
                sl_strbuf_printf(&s->lasterr, ": status %ld ", code);
                describe_error(&s->lasterr, sl_json_get(res, "error"));
                first_reject = s->lasterr.buf;
            }
            if (!rb && !(rb = bulk_get(s))) goto nomem;
            act_t *a = bulk_act(rb);
            if (!a) goto nomem;
            *a = b->acts[i];
            uint32_t base = (uint32_t)rb->body.len;
            if (sl_strbuf_append(&rb->body, b->body.buf + a->off, a->len)) goto nomem;
            a->idx_off = a->idx_off - a->off + base;
            a->id_off = a->id_off - a->off + base;
            a->off = base;
            rejected++;
            continue;
        }
        /* Any other error: the failure handler. */
        sl_strbuf_clear(&msg);
        item_text(&msg, res, op, oplen);
        sl_strbuf_printf(&msg, " failed with status %ld: ", code);
        describe_error(&msg, res ? sl_json_get(res, "error") : NULL);
        if (s->cfg.failure == SL_ES_IGNORE) {
            s->n_ignored++;
            dropped++;
            if (logged++ < LOGGED_ITEM_ERRORS)
                SL_LOG_WARN("elasticsearch sink '%s': dropped (failure-handler 'ignore'): %s",
                            s->label, msg.buf);
            continue;
        }
        bool mapping = strstr(msg.buf, "mapper_parsing_exception") ||
                       strstr(msg.buf, "illegal_argument_exception");
        fail(s, SL_EIO, "%s%s", msg.buf,
             mapping ? " - the index's mapping does not fit the table's column; an index "
                       "created by sluice has a mapping from the table "
                       "(index.create-with-mapping)"
                     : "");
        sl_strbuf_destroy(&msg);
        if (rb) bulk_free(rb);
        return;
    }
    if (logged > LOGGED_ITEM_ERRORS)
        SL_LOG_WARN("elasticsearch sink '%s': %d more documents dropped in that bulk", s->label,
                    logged - LOGGED_ITEM_ERRORS);
    (void)dropped;
    sl_strbuf_destroy(&msg);
    if (!rb) {
        bulk_finished(s, b);
        pump(s);
        return;
    }
    rb->upto = b->upto;
    rb->attempt = b->attempt;
    /* rb replaces b at the head of the queue. */
    rb->next = b->next;
    s->head = rb;
    if (s->tail == b) s->tail = rb;
    bulk_put(s, b);
    b = rb;
    if (b->attempt < s->cfg.max_retries || s->cfg.failure == SL_ES_RETRY_REJECTED) {
        int n = b->attempt < s->cfg.max_retries ? b->attempt
                                                : (int)(s->cfg.max_retries ? s->cfg.max_retries - 1 : 0);
        int64_t d = backoff_ms(s, n);
        b->attempt++;
        SL_LOG_WARN("elasticsearch sink '%s': %d actions rejected (%s); retry %d%s in %lld ms",
                    s->label, rejected, first_reject, b->attempt,
                    b->attempt <= s->cfg.max_retries ? "" : " (retry-rejected)", (long long)d);
        retry_after(s, d);
        return;
    }
    if (s->cfg.failure == SL_ES_IGNORE) {
        s->n_ignored += (uint64_t)rejected;
        SL_LOG_WARN("elasticsearch sink '%s': dropped %d rejected actions (failure-handler "
                    "'ignore') after %lld retries: %s",
                    s->label, rejected, (long long)s->cfg.max_retries, first_reject);
        bulk_finished(s, b);
        pump(s);
        return;
    }
    fail(s, SL_EIO,
         "%d actions rejected by Elasticsearch%s%s: %s (raise "
         "'sink.bulk-flush.backoff.max-retries', or use failure-handler 'retry-rejected')",
         rejected, s->cfg.max_retries ? " after retries: " : "",
         s->cfg.max_retries ? "" : " and sink.bulk-flush.backoff.strategy is DISABLED",
         first_reject);
    return;
nomem:
    sl_strbuf_destroy(&msg);
    if (rb) bulk_free(rb);
    fail(s, SL_ENOMEM, "out of memory");
}

static void check_done(esink_t *s)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(s->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        CURLcode rc = m->data.result;
        long status = 0;
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(s->multi, m->easy_handle);
        int kind = s->req;
        s->req = REQ_NONE;
        if (s->closing) continue;
        switch (kind) {
        case REQ_PING: done_ping(s, rc, status); break;
        case REQ_HEAD: case REQ_PUT: done_index(s, kind, rc, status); break;
        case REQ_BULK: done_bulk(s, rc, status); break;
        default: break;
        }
        pump(s);
    }
}

/* ---- the sink ops ---- */

static int append_key(esink_t *s, const sl_value_t *row)
{
    sl_strbuf_clear(&s->keybuf);
    for (int i = 0; i < s->npk; i++) {
        const sl_value_t *v = &row[s->pk[i]];
        if (v->null) {
            fail(s, SL_EINVAL,
                 "primary key column '%s' is NULL in a row; a document id cannot be made "
                 "from it",
                 s->names[s->pk[i]]);
            return -SL_EINVAL;
        }
        if (i) sl_strbuf_puts(&s->keybuf, s->cfg.delim);
        if (sl_es_key_append(&s->keybuf, v, s->types[s->pk[i]])) return -SL_ENOMEM;
    }
    return 0;
}

static int add_row(esink_t *s, const sl_value_t *row, int op, int64_t now, sl_err_t *err)
{
    bulk_t *b = s->cur;
    sl_strbuf_t *sb = &b->body;
    size_t start = sb->len, ensure_len = b->ensure.len;
    int nact = b->n;
    act_t *a = bulk_act(b);
    int rc = a ? 0 : -SL_ENOMEM;
    if (!rc) {
        a->op = (uint8_t)op;
        a->off = (uint32_t)start;
        rc = sl_strbuf_puts(sb, op == ACT_DELETE ? "{\"delete\":{\"_index\":"
                                                 : "{\"index\":{\"_index\":");
        a->idx_off = (uint32_t)sb->len;
    }
    if (!rc && s->static_json) {
        rc = sl_strbuf_puts(sb, s->static_json);
    } else if (!rc) {
        sl_strbuf_clear(&s->ixname);
        rc = sl_es_index_format(&s->cfg.index, row, now, &s->ixname);
        if (!rc) rc = sl_json_encode_string(sb, s->ixname.buf, s->ixname.len);
        if (!rc && s->cfg.create_index && !sl_hmap_get(&s->known, s->ixname.buf, s->ixname.len)) {
            /* Once per bulk and index. */
            bool seen = false;
            for (size_t off = 0; off < b->ensure.len && !seen;) {
                size_t n = strlen(b->ensure.buf + off);
                seen = n == s->ixname.len && !memcmp(b->ensure.buf + off, s->ixname.buf, n);
                off += n + 1;
            }
            if (!seen) rc = sl_strbuf_append(&b->ensure, s->ixname.buf, s->ixname.len + 1);
        }
    }
    if (!rc) {
        a->idx_len = (uint32_t)(sb->len - a->idx_off);
        if (s->cfg.doc_type) {
            rc = sl_strbuf_puts(sb, ",\"_type\":");
            if (!rc) rc = sl_json_encode_string(sb, s->cfg.doc_type, strlen(s->cfg.doc_type));
        }
        a->id_off = (uint32_t)sb->len;
        a->id_len = 0;
    }
    if (!rc && s->npk) {
        rc = append_key(s, row);
        if (!rc) rc = sl_strbuf_puts(sb, ",\"_id\":");
        a->id_off = (uint32_t)sb->len;
        if (!rc) rc = sl_json_encode_string(sb, s->keybuf.buf ? s->keybuf.buf : "", s->keybuf.len);
        a->id_len = (uint32_t)(sb->len - a->id_off);
    }
    if (!rc) rc = sl_strbuf_puts(sb, "}}\n");
    if (!rc && op != ACT_DELETE) {
        rc = sl_json_encode_row(&s->cfg.json, sb, row, s->ncols, s->names, s->types, err);
        if (!rc) rc = sl_strbuf_putc(sb, '\n');
    }
    if (!rc) {
        a->len = (uint32_t)(sb->len - start);
        return 0;
    }
    /* Roll the half-written action back. */
    if (sb->buf) {
        sb->len = start;
        sb->buf[start] = 0;
    }
    if (b->ensure.buf) {
        b->ensure.len = ensure_len;
        b->ensure.buf[ensure_len] = 0;
    }
    b->n = nact;
    if (rc == -SL_ENOMEM) return oom(err);
    if (s->failed) *err = s->err;
    return rc;
}

static int es_write(sl_sink_t *snk, const sl_batch_t *in, sl_err_t *err)
{
    esink_t *s = snk->ctx;
    if (s->failed) {
        *err = s->err;
        return -(s->err.code ? s->err.code : SL_EIO);
    }
    int64_t now = s->cfg.index.kind == SL_ES_INDEX_NOW ? wall_ms() : 0;
    for (int r = 0; r < in->nrows; r++) {
        int kind = in->kinds[r];
        s->written_rows++;
        if (kind == SL_UPDATE_BEFORE) continue;
        int op = kind == SL_DELETE ? ACT_DELETE : ACT_INDEX;
        if (op == ACT_DELETE && !s->npk)
            return sl_err_set(err, SL_EINVAL,
                              "elasticsearch sink '%s': a DELETE row reached a table without "
                              "a primary key (append mode cannot delete)",
                              s->label);
        int rc = add_row(s, sl_batch_row(in, r), op, now, err);
        if (rc) {
            if (err->msg[0] && !strstr(err->msg, "elasticsearch sink")) {
                char m[SL_ERR_MSG_MAX];
                snprintf(m, sizeof m, "%s", err->msg);
                sl_err_set(err, -rc, "elasticsearch sink '%s': %s", s->label, m);
            }
            return rc;
        }
        if (bulk_full(s, s->cur) && seal(s)) return oom(err);
    }
    pump(s);
    return 0;
}

static int es_flush(sl_sink_t *snk, sl_err_t *err)
{
    esink_t *s = snk->ctx;
    if (s->failed) {
        *err = s->err;
        return -(s->err.code ? s->err.code : SL_EIO);
    }
    if (seal(s)) return oom(err);
    pump(s);
    return 0;
}

static int es_poll(sl_sink_t *snk, sl_err_t *err)
{
    esink_t *s = snk->ctx;
    if (s->failed) {
        *err = s->err;
        return -(s->err.code ? s->err.code : SL_EIO);
    }
    return 0;
}

static int es_pending(sl_sink_t *snk)
{
    esink_t *s = snk->ctx;
    if (s->failed) return SL_OP_IDLE; /* poll() reports it */
    if (s->nsealed >= 2) return SL_OP_FULL;
    if (!s->cfg.max_actions && !s->cfg.max_bytes && s->cur->body.len >= UNLIMITED_BULK_BYTES)
        return SL_OP_FULL;
    if (s->cur->n || s->head || s->req != REQ_NONE || s->retry_wait) return SL_OP_BUSY;
    return SL_OP_IDLE;
}

static uint64_t es_progress(sl_sink_t *snk, uint64_t *acked)
{
    esink_t *s = snk->ctx;
    bool idle = !s->cur->n && !s->head;
    *acked = idle ? s->written_rows : s->acked_rows;
    return s->written_rows;
}

static void es_stats(sl_sink_t *snk, char *buf, size_t cap)
{
    esink_t *s = snk->ctx;
    uint64_t acked;
    es_progress(snk, &acked);
    snprintf(buf, cap,
             "elasticsearch %s: %llu rows, %llu acknowledged; %llu documents indexed, %llu "
             "deleted, %llu requests, %llu retries, %llu dropped by failure-handler",
             s->label, (unsigned long long)s->written_rows, (unsigned long long)acked,
             (unsigned long long)s->n_index, (unsigned long long)s->n_delete,
             (unsigned long long)s->n_requests, (unsigned long long)s->n_retries,
             (unsigned long long)s->n_ignored);
}

static void on_flush_timer(uv_timer_t *t)
{
    esink_t *s = t->data;
    if (s->failed) return;
    if (s->cur->n && !s->head) {
        if (seal(s)) {
            fail(s, SL_ENOMEM, "out of memory");
            return;
        }
        pump(s);
    }
}

static void free_sink(esink_t *s)
{
    bulk_t *lists[] = {s->cur, s->head, s->spare};
    for (int k = 0; k < 3; k++)
        for (bulk_t *b = lists[k]; b;) {
            bulk_t *n = k == 0 ? NULL : b->next;
            bulk_free(b);
            b = n;
        }
    sl_strbuf_destroy(&s->url);
    sl_strbuf_destroy(&s->resp);
    sl_strbuf_destroy(&s->reqbody);
    sl_strbuf_destroy(&s->keybuf);
    sl_strbuf_destroy(&s->ixname);
    sl_strbuf_destroy(&s->lasterr);
    sl_hmap_destroy(&s->known);
    sl_arena_destroy(&s->parse);
    sl_arena_destroy(&s->arena);
    free(s);
}

static void timer_closed(uv_handle_t *h)
{
    esink_t *s = h->data;
    if (--s->nhandles == 0) free_sink(s);
}

static void es_close(sl_sink_t *snk)
{
    esink_t *s = snk->ctx;
    if (!s) return;
    snk->ctx = NULL;
    if (s->cur && (s->cur->n || s->head) && !s->failed)
        SL_LOG_WARN("elasticsearch sink '%s': closing with %llu rows not acknowledged",
                    s->label, (unsigned long long)(s->written_rows - s->acked_rows));
    s->closing = true;
    if (s->req != REQ_NONE) curl_multi_remove_handle(s->multi, s->easy);
    s->req = REQ_NONE;
    curl_easy_cleanup(s->easy);
    curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->hdr_json);
    curl_slist_free_all(s->hdr_ndjson);
    for (sockctx_t *c = s->socks; c; c = c->next) sock_close(c);
    uv_timer_stop(&s->curl_timer);
    uv_timer_stop(&s->retry_timer);
    uv_timer_stop(&s->done_timer);
    uv_close((uv_handle_t *)&s->curl_timer, timer_closed);
    uv_close((uv_handle_t *)&s->retry_timer, timer_closed);
    uv_close((uv_handle_t *)&s->done_timer, timer_closed);
    if (s->flush_timer_on) {
        uv_timer_stop(&s->flush_timer);
        uv_close((uv_handle_t *)&s->flush_timer, timer_closed);
    }
}

static const sl_sink_ops_t es_ops = {
    .write = es_write,
    .flush = es_flush,
    .close = es_close,
    .poll = es_poll,
    .pending = es_pending,
    .progress = es_progress,
    .stats = es_stats,
};

int sl_es_sink_new(const sl_conn_ctx_t *ctx, int version, sl_sink_t *out, sl_err_t *err)
{
    if (!ctx->loop)
        return sl_err_set(err, SL_EINTERNAL, "elasticsearch sink without an event loop");
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK)
        return sl_err_set(err, SL_EINTERNAL, "cannot initialise libcurl: %s",
                          curl_easy_strerror(curl_init_rc));
    esink_t *s = calloc(1, sizeof *s);
    if (!s) return oom(err);
    sl_arena_init(&s->arena, 4096);
    sl_arena_init(&s->parse, 64 * 1024);
    int rc = sl_es_config_read(ctx, version, &s->arena, &s->cfg, err);
    if (rc) goto fail;
    rc = -SL_ENOMEM;
    s->label = sl_arena_strdup(&s->arena, ctx->table ? ctx->table : "?");
    s->ncols = ctx->ncols;
    s->names = ctx->names;
    s->types = ctx->types;
    s->npk = ctx->npk;
    s->pk = sl_arena_alloc(&s->arena, (size_t)(ctx->npk + 1) * sizeof *s->pk);
    if (!s->label || !s->pk) goto nomem;
    for (int i = 0; i < ctx->npk; i++) s->pk[i] = ctx->pk[i];
    s->loop = ctx->loop;
    s->wakeup = ctx->wakeup;
    s->wakeup_arg = ctx->wakeup_arg;
    if (sl_hmap_init(&s->known, 16)) goto nomem;
    if (s->cfg.index.kind == SL_ES_INDEX_STATIC) {
        sl_strbuf_t j = SL_STRBUF_INIT;
        if (sl_json_encode_string(&j, s->cfg.index.prefix, strlen(s->cfg.index.prefix))) {
            sl_strbuf_destroy(&j);
            goto nomem;
        }
        s->static_json = sl_arena_strdup(&s->arena, j.buf);
        sl_strbuf_destroy(&j);
        if (!s->static_json) goto nomem;
    }
    if (!(s->cur = bulk_get(s))) goto nomem;
    s->multi = curl_multi_init();
    s->easy = curl_easy_init();
    s->hdr_json = curl_slist_append(NULL, "Content-Type: application/json");
    if (s->hdr_json) s->hdr_json = curl_slist_append(s->hdr_json, "Expect:");
    s->hdr_ndjson = curl_slist_append(NULL, "Content-Type: application/x-ndjson");
    if (s->hdr_ndjson) s->hdr_ndjson = curl_slist_append(s->hdr_ndjson, "Expect:");
    if (!s->multi || !s->easy || !s->hdr_json || !s->hdr_ndjson) goto nomem;
    curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
    curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
    /* Nothing below fails: the uv handles. */
    uv_timer_init(s->loop, &s->curl_timer);
    uv_timer_init(s->loop, &s->retry_timer);
    uv_timer_init(s->loop, &s->done_timer);
    s->curl_timer.data = s->retry_timer.data = s->done_timer.data = s;
    s->nhandles = 3;
    if (s->cfg.interval_ms > 0) {
        uv_timer_init(s->loop, &s->flush_timer);
        s->flush_timer.data = s;
        uv_timer_start(&s->flush_timer, on_flush_timer, (uint64_t)s->cfg.interval_ms,
                       (uint64_t)s->cfg.interval_ms);
        s->flush_timer_on = true;
        s->nhandles++;
    }
    out->ops = &es_ops;
    out->ctx = s;
    out->upsert = s->npk > 0;
    out->changelog = false;
    out->flush_on_checkpoint = s->cfg.flush_on_checkpoint;
    pump(s); /* the ping: a wrong host or password fails the job early */
    return 0;
nomem:
    rc = oom(err);
fail:
    if (s->easy) curl_easy_cleanup(s->easy);
    if (s->multi) curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->hdr_json);
    curl_slist_free_all(s->hdr_ndjson);
    if (s->cur) bulk_free(s->cur);
    sl_hmap_destroy(&s->known);
    sl_arena_destroy(&s->parse);
    sl_arena_destroy(&s->arena);
    free(s);
    return rc;
}
