/* http.c - the daemon's HTTP/1.1 server (http.h). */
#include "server/http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

typedef struct conn conn_t;

struct sl_http_server {
    uv_loop_t *loop;
    uv_tcp_t tcp;
    sl_http_handler_t handler;
    void *arg;
    conn_t *conns;             /* open connections */
    int port;
    bool closing;
    int open_handles;          /* tcp + conns still closing */
};

struct conn {
    sl_http_server_t *srv;
    uv_tcp_t tcp;
    uv_timer_t timer;
    sl_strbuf_t in;            /* bytes read, not yet parsed */
    bool pending;              /* a request is with the handler */
    bool keep_alive;           /* of the pending request */
    bool closed;               /* the socket is closing or closed */
    int handles;               /* tcp + timer not yet closed */
    bool started;              /* first byte of the current request seen */
    conn_t *next, *prev;
};

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

/* ---- parsing ---- */

void sl_http_req_free(sl_http_req_t *req)
{
    if (!req) return;
    free(req->path);
    free(req->query);
    free(req->authorization);
    free(req->body);
    req->path = req->query = req->authorization = req->body = NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Percent-decodes src[0..n) into a new string; NULL on a bad escape or a
 * NUL byte. plus: '+' means a space (query strings). */
static char *pct_decode(const char *src, size_t n, bool plus)
{
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)src[i];
        if (c == '%') {
            int h = i + 2 < n ? hexval((unsigned char)src[i + 1]) : -1;
            int l = i + 2 < n ? hexval((unsigned char)src[i + 2]) : -1;
            if (h < 0 || l < 0) {
                free(out);
                return NULL;
            }
            c = h * 16 + l;
            i += 2;
        } else if (plus && c == '+') {
            c = ' ';
        }
        if (c == 0) {
            free(out);
            return NULL;
        }
        out[o++] = (char)c;
    }
    out[o] = 0;
    return out;
}

/* A decoded path that no handler may see: not absolute, a backslash, an
 * empty, "." or ".." segment. */
static bool path_ok(const char *p)
{
    if (p[0] != '/') return false;
    if (strchr(p, '\\')) return false;
    if (!strcmp(p, "/")) return true;
    const char *s = p + 1;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 && e) return false; /* "//" */
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return false;
        if (!e) return true;
        s = e + 1;
    }
}

static const char *find_crlfcrlf(const char *buf, size_t len)
{
    for (size_t i = 0; i + 3 < len; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n')
            return buf + i;
    return NULL;
}

long sl_http_parse(const char *buf, size_t len, sl_http_req_t *req)
{
    memset(req, 0, sizeof *req);
    const char *end = find_crlfcrlf(buf, len < SL_HTTP_MAX_HEAD + 4 ? len : SL_HTTP_MAX_HEAD + 4);
    if (!end) return len > SL_HTTP_MAX_HEAD ? -431 : 0;
    size_t head = (size_t)(end - buf) + 4;
    /* request line */
    const char *le = memchr(buf, '\r', head);
    const char *sp1 = memchr(buf, ' ', (size_t)(le - buf));
    if (!sp1 || sp1 == buf || sp1 - buf >= (long)sizeof req->method) return -400;
    const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(le - sp1 - 1));
    if (!sp2 || sp2 == sp1 + 1) return -400;
    for (const char *p = buf; p < sp1; p++)
        if (*p < 'A' || *p > 'Z') return -400;
    memcpy(req->method, buf, (size_t)(sp1 - buf));
    req->method[sp1 - buf] = 0;
    size_t vlen = (size_t)(le - sp2 - 1);
    if (vlen != 8 || strncmp(sp2 + 1, "HTTP/1.", 7)) return -400;
    if (sp2[8] != '0' && sp2[8] != '1') return -505;
    bool http10 = sp2[8] == '0';
    const char *target = sp1 + 1;
    size_t tlen = (size_t)(sp2 - target);
    if (target[0] != '/') return -400;
    const char *q = memchr(target, '?', tlen);
    size_t plen = q ? (size_t)(q - target) : tlen;
    for (size_t i = 0; i < tlen; i++)
        if ((unsigned char)target[i] <= 0x20 || target[i] == 0x7f) return -400;
    req->path = pct_decode(target, plen, false);
    req->query = q ? strndup(q + 1, tlen - plen - 1) : strdup("");
    if (!req->path || !req->query || !path_ok(req->path)) {
        sl_http_req_free(req);
        return -400;
    }
    /* headers */
    long clen = -1;
    bool close = http10, chunked = false;
    const char *p = le + 2;
    while (p < end + 2) {
        const char *e = memchr(p, '\r', (size_t)(end + 2 - p));
        if (!e || e[1] != '\n') break;
        if (e == p) break;
        const char *colon = memchr(p, ':', (size_t)(e - p));
        if (!colon || colon == p) {
            sl_http_req_free(req);
            return -400;
        }
        size_t nlen = (size_t)(colon - p);
        const char *v = colon + 1;
        while (v < e && (*v == ' ' || *v == '\t')) v++;
        const char *ve = e;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
        size_t vl = (size_t)(ve - v);
        if (nlen == 14 && !strncasecmp(p, "Content-Length", 14)) {
            if (!vl || clen >= 0) {
                sl_http_req_free(req);
                return -400;
            }
            long n = 0;
            for (size_t i = 0; i < vl; i++) {
                if (!isdigit((unsigned char)v[i]) || n > SL_HTTP_MAX_BODY) {
                    sl_http_req_free(req);
                    return isdigit((unsigned char)v[i]) ? -413 : -400;
                }
                n = n * 10 + (v[i] - '0');
            }
            if (n > SL_HTTP_MAX_BODY) {
                sl_http_req_free(req);
                return -413;
            }
            clen = n;
        } else if (nlen == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) {
            chunked = true;
        } else if (nlen == 10 && !strncasecmp(p, "Connection", 10)) {
            if (vl == 5 && !strncasecmp(v, "close", 5)) close = true;
            if (vl == 10 && !strncasecmp(v, "keep-alive", 10)) close = false;
        } else if (nlen == 13 && !strncasecmp(p, "Authorization", 13)) {
            free(req->authorization);
            req->authorization = strndup(v, vl);
            if (!req->authorization) {
                sl_http_req_free(req);
                return -500;
            }
        }
        p = e + 2;
    }
    if (chunked) {
        sl_http_req_free(req);
        return -501;
    }
    if (clen < 0) clen = 0;
    if (len - head < (size_t)clen) {
        sl_http_req_free(req);
        return 0;
    }
    req->body = malloc((size_t)clen + 1);
    if (!req->body) {
        sl_http_req_free(req);
        return -500;
    }
    memcpy(req->body, buf + head, (size_t)clen);
    req->body[clen] = 0;
    req->body_len = (size_t)clen;
    req->close = close;
    return (long)(head + (size_t)clen);
}

const char *sl_http_query_param(const char *query, const char *name, char *buf, size_t cap)
{
    size_t nl = strlen(name);
    const char *p = query;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (n > nl && p[nl] == '=' && !strncmp(p, name, nl)) {
            char *d = pct_decode(p + nl + 1, n - nl - 1, true);
            if (!d) return NULL;
            snprintf(buf, cap, "%s", d);
            free(d);
            return buf;
        }
        if (n == nl && !strncmp(p, name, nl)) {
            if (cap) buf[0] = 0;
            return buf;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

/* ---- connections ---- */

static void srv_maybe_done(sl_http_server_t *srv)
{
    if (srv->closing && srv->open_handles == 0) free(srv);
}

static void conn_free(conn_t *c)
{
    sl_http_server_t *srv = c->srv;
    sl_strbuf_destroy(&c->in);
    free(c);
    srv->open_handles--;
    srv_maybe_done(srv);
}

static void on_conn_handle_closed(uv_handle_t *h)
{
    conn_t *c = h->data;
    if (--c->handles == 0 && !c->pending) conn_free(c);
}

static void conn_close(conn_t *c)
{
    if (c->closed) return;
    c->closed = true;
    sl_http_server_t *srv = c->srv;
    if (c->prev) c->prev->next = c->next;
    else srv->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->next = c->prev = NULL;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
}

typedef struct wreq {
    uv_write_t w;
    conn_t *c;
    char *data;
    bool close;
} wreq_t;

static void try_parse(conn_t *c);

static void on_written(uv_write_t *w, int status)
{
    wreq_t *r = (wreq_t *)w;
    conn_t *c = r->c;
    free(r->data);
    bool close = r->close || status < 0;
    free(r);
    if (c->closed) return;
    if (close) {
        conn_close(c);
        return;
    }
    try_parse(c); /* a pipelined request may be waiting */
}

/* Writes a response on c (loop thread). */
static void conn_send(conn_t *c, int status, const char *ctype, const char *body, size_t len,
                      const char *extra, bool close)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_printf(&sb,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                     "Connection: %s\r\n%s\r\n",
                     status, reason(status), ctype ? ctype : "application/json", len,
                     close ? "close" : "keep-alive", extra ? extra : "");
    if (len) sl_strbuf_append(&sb, body, len);
    wreq_t *r = calloc(1, sizeof *r);
    if (!r || !sb.buf) {
        free(r);
        sl_strbuf_destroy(&sb);
        conn_close(c);
        return;
    }
    r->c = c;
    r->data = sb.buf;
    r->close = close;
    uv_buf_t b = uv_buf_init(sb.buf, (unsigned)sb.len);
    if (uv_write(&r->w, (uv_stream_t *)&c->tcp, &b, 1, on_written)) {
        free(r->data);
        free(r);
        conn_close(c);
    }
}

static void send_error(conn_t *c, int status, const char *msg)
{
    char body[256];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}", msg);
    conn_send(c, status, "application/json", body, (size_t)n, NULL, true);
}

static void on_timeout(uv_timer_t *t)
{
    conn_t *c = t->data;
    if (c->pending || c->closed) return;
    if (c->started || c->in.len) send_error(c, 408, "the request did not arrive in time");
    else conn_close(c);
}

static void try_parse(conn_t *c)
{
    if (c->pending || c->closed) return;
    if (!c->in.len) {
        c->started = false;
        uv_timer_start(&c->timer, on_timeout, SL_HTTP_IDLE_TIMEOUT_MS, 0);
        return;
    }
    if (!c->started) {
        c->started = true;
        uv_timer_start(&c->timer, on_timeout, SL_HTTP_REQUEST_TIMEOUT_MS, 0);
    }
    sl_http_req_t *req = calloc(1, sizeof *req);
    if (!req) {
        conn_close(c);
        return;
    }
    long n = sl_http_parse(c->in.buf, c->in.len, req);
    if (n == 0) {
        free(req);
        return;
    }
    if (n < 0) {
        free(req);
        int st = (int)-n;
        send_error(c, st,
                   st == 413   ? "the request body is larger than 4 MiB"
                   : st == 431 ? "the request headers are larger than 8 KiB"
                   : st == 501 ? "chunked request bodies are not supported: send Content-Length"
                   : st == 505 ? "only HTTP/1.0 and HTTP/1.1 are served"
                               : "malformed request");
        c->in.len = 0;
        return;
    }
    memmove(c->in.buf, c->in.buf + n, c->in.len - (size_t)n);
    c->in.len -= (size_t)n;
    c->keep_alive = !req->close;
    req->conn = c;
    c->pending = true;
    c->started = false;
    uv_timer_stop(&c->timer);
    c->srv->handler(c->srv, req, c->srv->arg);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    conn_t *c = h->data;
    if (sl_strbuf_reserve(&c->in, 65536)) {
        buf->base = NULL;
        buf->len = 0;
        return;
    }
    buf->base = c->in.buf + c->in.len;
    buf->len = 65536;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    conn_t *c = s->data;
    if (n < 0) {
        if (!c->pending) conn_close(c);
        else {
            uv_read_stop(s);
            conn_close(c); /* the response goes nowhere; freed when it comes */
        }
        return;
    }
    c->in.len += (size_t)n;
    if (c->in.len > SL_HTTP_MAX_HEAD + SL_HTTP_MAX_BODY + 65536) {
        if (!c->pending) send_error(c, 413, "the request is too large");
        else conn_close(c);
        return;
    }
    try_parse(c);
}

static void on_connection(uv_stream_t *server, int status)
{
    sl_http_server_t *srv = server->data;
    if (status < 0 || srv->closing) return;
    conn_t *c = calloc(1, sizeof *c);
    if (!c) return;
    c->srv = srv;
    sl_strbuf_init(&c->in);
    uv_tcp_init(srv->loop, &c->tcp);
    uv_timer_init(srv->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    c->handles = 2;
    srv->open_handles++;
    c->next = srv->conns;
    if (srv->conns) srv->conns->prev = c;
    srv->conns = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read)) {
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_timer_start(&c->timer, on_timeout, SL_HTTP_IDLE_TIMEOUT_MS, 0);
}

void sl_http_respond(sl_http_server_t *srv, sl_http_req_t *req, int status, const char *ctype,
                     const char *body, size_t len, const char *extra_headers)
{
    (void)srv;
    conn_t *c = req->conn;
    sl_http_req_free(req);
    free(req);
    c->pending = false;
    if (c->closed) {
        if (c->handles == 0) conn_free(c);
        return;
    }
    conn_send(c, status, ctype, body, len, extra_headers, !c->keep_alive || c->srv->closing);
}

sl_http_server_t *sl_http_listen(uv_loop_t *loop, const char *host, int port,
                                 sl_http_handler_t handler, void *arg, sl_err_t *err)
{
    sl_http_server_t *srv = calloc(1, sizeof *srv);
    if (!srv) {
        sl_err_set(err, SL_ENOMEM, "out of memory");
        return NULL;
    }
    srv->loop = loop;
    srv->handler = handler;
    srv->arg = arg;
    struct sockaddr_storage ss;
    int rc;
    if (strchr(host, ':')) rc = uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss);
    else rc = uv_ip4_addr(host, port, (struct sockaddr_in *)&ss);
    if (rc) {
        sl_err_set(err, SL_EINVAL, "rest.address '%s' is not an IP address", host);
        free(srv);
        return NULL;
    }
    uv_tcp_init(loop, &srv->tcp);
    srv->tcp.data = srv;
    srv->open_handles = 1;
    rc = uv_tcp_bind(&srv->tcp, (const struct sockaddr *)&ss, 0);
    if (!rc) rc = uv_listen((uv_stream_t *)&srv->tcp, 128, on_connection);
    if (rc) {
        sl_err_set(err, SL_EIO, "cannot listen on %s:%d: %s", host, port, uv_strerror(rc));
        srv->closing = true;
        uv_close((uv_handle_t *)&srv->tcp, NULL);
        uv_run(loop, UV_RUN_NOWAIT);
        free(srv);
        return NULL;
    }
    struct sockaddr_storage got;
    int len = sizeof got;
    if (!uv_tcp_getsockname(&srv->tcp, (struct sockaddr *)&got, &len))
        srv->port = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                              : ntohs(((struct sockaddr_in *)&got)->sin_port);
    return srv;
}

int sl_http_port(const sl_http_server_t *srv) { return srv->port; }

static void on_srv_closed(uv_handle_t *h)
{
    sl_http_server_t *srv = h->data;
    srv->open_handles--;
    srv_maybe_done(srv);
}

void sl_http_close(sl_http_server_t *srv)
{
    if (!srv || srv->closing) return;
    srv->closing = true;
    while (srv->conns) conn_close(srv->conns);
    uv_close((uv_handle_t *)&srv->tcp, on_srv_closed);
}
