/* http.h - a small HTTP/1.1 server on a libuv loop, for the daemon's REST
 * API, metrics and dashboard.
 *
 * What it accepts: a request line, headers (at most SL_HTTP_MAX_HEAD bytes,
 * names case-insensitive), a body given by Content-Length (at most
 * SL_HTTP_MAX_BODY bytes; chunked bodies are refused with 501),
 * keep-alive and pipelining (one request handled at a time per
 * connection). The path is percent-decoded and refused (400) when it holds
 * a NUL, a backslash, an empty segment ("//") or a "." or ".." segment, so
 * no handler ever sees a path that could climb out of anything. A request
 * must arrive whole within SL_HTTP_REQUEST_TIMEOUT_MS of its first byte
 * (slow clients are cut off); idle keep-alive connections close after
 * SL_HTTP_IDLE_TIMEOUT_MS.
 *
 * The handler is called on the loop thread and answers with
 * sl_http_respond(), then or later (after work on another thread), always
 * on the loop thread. Memory: the request lives until the response is
 * given; the server owns its connections.
 */
#ifndef SL_SERVER_HTTP_H
#define SL_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "util/err.h"
#include "util/strbuf.h"

#define SL_HTTP_MAX_HEAD (8 * 1024)
#define SL_HTTP_MAX_BODY (4 * 1024 * 1024)
#define SL_HTTP_REQUEST_TIMEOUT_MS 10000
#define SL_HTTP_IDLE_TIMEOUT_MS 60000

typedef struct sl_http_req {
    char method[16];
    char *path;                /* percent-decoded, no query */
    char *query;               /* raw query string after '?', "" if none */
    char *authorization;       /* the Authorization header, NULL if none */
    char *body;                /* NUL-terminated */
    size_t body_len;
    bool close;                /* Connection: close (or HTTP/1.0) */
    void *conn;                /* the connection (opaque) */
} sl_http_req_t;

typedef struct sl_http_server sl_http_server_t;

/* Called for every complete request; must eventually call sl_http_respond
 * exactly once for it. */
typedef void (*sl_http_handler_t)(sl_http_server_t *srv, sl_http_req_t *req, void *arg);

/* Parses one request from buf (len bytes). Returns the bytes it took (> 0)
 * with *req filled (its strings malloc'ed: free with sl_http_req_free), 0
 * when more bytes are needed, or a negative HTTP status (-400, -413, -431,
 * -501, -505) for a request that cannot be served. Exposed for tests. */
long sl_http_parse(const char *buf, size_t len, sl_http_req_t *req);
void sl_http_req_free(sl_http_req_t *req);
/* The value of parameter name in a query string (percent-decoded into buf),
 * or NULL when absent. */
const char *sl_http_query_param(const char *query, const char *name, char *buf, size_t cap);

/* Listens on host:port on loop. NULL with err naming the address. */
sl_http_server_t *sl_http_listen(uv_loop_t *loop, const char *host, int port,
                                 sl_http_handler_t handler, void *arg, sl_err_t *err);
/* The port actually bound (for port 0). */
int sl_http_port(const sl_http_server_t *srv);
/* Answers req (loop thread): status, content type, body (copied), and extra
 * header lines ("Name: value\r\n"..., or NULL). Frees req. */
void sl_http_respond(sl_http_server_t *srv, sl_http_req_t *req, int status, const char *ctype,
                     const char *body, size_t len, const char *extra_headers);
/* Stops listening and closes every connection (requests in flight are
 * answered into the void); the server is freed once its handles closed. */
void sl_http_close(sl_http_server_t *srv);

#endif
