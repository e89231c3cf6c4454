/* client.h - the REST client of the command-line tools (`sluice jobs`,
 * `submit`, `cancel`, `stop`, and `sluice sql --endpoint`): blocking
 * libcurl calls, JSON in and out. */
#ifndef SL_SERVER_CLIENT_H
#define SL_SERVER_CLIENT_H

#include <jansson.h>

#include "util/err.h"

/* Calls method path on endpoint ("http://127.0.0.1:8081") with body (NULL
 * for none) and the bearer token (NULL for none). *out gets the answer's
 * JSON (owner: the caller; NULL when it was not JSON), *http_status its
 * status. Errors: -SL_EIO when the daemon cannot be reached (err names the
 * endpoint), -SL_EINVAL for a 4xx/5xx answer (err holds its "error"). */
int sl_rest_call(const char *endpoint, const char *token, const char *method, const char *path,
                 const json_t *body, long timeout_ms, json_t **out, long *http_status,
                 sl_err_t *err);
/* $SLUICE_ENDPOINT, or http://127.0.0.1:8081. */
const char *sl_rest_endpoint_default(void);
/* $SLUICE_TOKEN, or NULL. */
const char *sl_rest_token_default(void);

#endif
