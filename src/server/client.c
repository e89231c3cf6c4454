/* client.c - the command-line tools' REST client (client.h). */
#include "server/client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    sl_strbuf_t *sb = arg;
    return sl_strbuf_append(sb, p, size * n) ? 0 : size * n;
}

const char *sl_rest_endpoint_default(void)
{
    const char *e = getenv("SLUICE_ENDPOINT");
    return e && *e ? e : "http://127.0.0.1:8081";
}

const char *sl_rest_token_default(void)
{
    const char *t = getenv("SLUICE_TOKEN");
    return t && *t ? t : NULL;
}

int sl_rest_call(const char *endpoint, const char *token, const char *method, const char *path,
                 const json_t *body, long timeout_ms, json_t **out, long *http_status,
                 sl_err_t *err)
{
    *out = NULL;
    *http_status = 0;
    pthread_once(&curl_once, curl_init);
    CURL *c = curl_easy_init();
    if (!c) return sl_err_set(err, SL_ENOMEM, "out of memory");
    char url[2048];
    size_t el = strlen(endpoint);
    while (el && endpoint[el - 1] == '/') el--;
    snprintf(url, sizeof url, "%.*s%s", (int)el, endpoint, path);
    sl_strbuf_t resp = SL_STRBUF_INIT;
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Accept: application/json");
    if (payload) h = curl_slist_append(h, "Content-Type: application/json");
    char auth[1024];
    if (token && *token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
        explicit_bzero(auth, sizeof auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    if (timeout_ms > 0) curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (payload) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    } else if (!strcmp(method, "POST")) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
    CURLcode cc = curl_easy_perform(c);
    int rc = 0;
    if (cc != CURLE_OK) {
        rc = sl_err_set(err, SL_EIO, "cannot reach the sluice daemon at %.*s: %s (is `sluice daemon` "
                        "running? --endpoint or $SLUICE_ENDPOINT choose another)",
                        (int)el, endpoint, curl_easy_strerror(cc));
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http_status);
        json_error_t je;
        *out = resp.len ? json_loadb(resp.buf, resp.len, 0, &je) : NULL;
        if (*http_status >= 400) {
            const char *msg = *out ? json_string_value(json_object_get(*out, "error")) : NULL;
            rc = sl_err_set(err, SL_EINVAL, "%s %s: HTTP %ld: %s", method, path, *http_status,
                            msg ? msg : "no details");
        } else if (!*out) {
            rc = sl_err_set(err, SL_EIO, "%s %s: the answer is not JSON", method, path);
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(payload);
    sl_strbuf_destroy(&resp);
    return rc;
}
