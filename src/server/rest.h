/* rest.h - the daemon's REST API, /metrics and dashboard (docs/REST.md)
 * on top of the HTTP server (http.h) and the engine (session/session.h).
 *
 * Requests are handled on the loop thread up to the engine call, which
 * runs on libuv's thread pool (uv_queue_work) so that the loop never waits
 * on a job, a query's long poll or the disk; the answer is sent from the
 * work's completion callback, on the loop thread again. */
#ifndef SL_SERVER_REST_H
#define SL_SERVER_REST_H

#include <uv.h>

#include "server/http.h"
#include "session/session.h"

typedef struct sl_rest sl_rest_t;

/* A REST front for engine e on loop; token (copied; NULL or "" for none)
 * is the bearer token every API request must carry. */
sl_rest_t *sl_rest_new(uv_loop_t *loop, sl_engine_t *e, const char *token);
/* Replaces the token (SIGHUP). 0 or -SL_ENOMEM. */
int sl_rest_set_token(sl_rest_t *r, const char *token);
/* The handler to give sl_http_listen, with r as its argument. */
void sl_rest_handle(sl_http_server_t *srv, sl_http_req_t *req, void *r);
/* Requests still being worked on. */
int sl_rest_busy(const sl_rest_t *r);
/* Frees r (no request may be in flight: see sl_rest_busy). */
void sl_rest_free(sl_rest_t *r);

#endif
