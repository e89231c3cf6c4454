/* daemon.c - `sluice daemon`: the service. Reads the configuration
 * (config.h), opens the engine on its home directory (the catalog and the
 * jobs of the last run: running jobs resume from their checkpoints), serves
 * the REST API, /metrics and the dashboard (rest.h), and speaks systemd's
 * notification protocol (sdnotify.h): READY once the API listens and the
 * jobs were restarted, WATCHDOG pings from the loop, RELOADING/READY around
 * SIGHUP (the configuration read again), STOPPING on SIGTERM/SIGINT. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cli/cli.h"
#include "server/config.h"
#include "server/http.h"
#include "server/rest.h"
#include "server/sdnotify.h"
#include "session/session.h"
#include "util/log.h"

typedef struct daemon_ctx {
    uv_loop_t loop;
    const char *config_path;
    bool config_given;
    sl_engine_t *engine;
    sl_rest_t *rest;
    sl_http_server_t *http;
    uv_signal_t sighup, sigterm, sigint;
    uv_timer_t watchdog;
    bool watchdog_on;
    bool stopping;
    char *token_fingerprint;   /* to log "token changed", never the token */
} daemon_ctx_t;

static void usage(FILE *f)
{
    fputs("usage: sluice daemon [--config FILE] [--home DIR] [--port N]\n"
          "\n"
          "Runs sluice as a service: the REST API, /metrics and the web dashboard\n"
          "on rest.address:rest.port (default 127.0.0.1:8081), jobs submitted\n"
          "through them, and a catalog kept in the home directory. Jobs that were\n"
          "running when the daemon stopped or died resume from their latest\n"
          "checkpoints when it starts again.\n"
          "\n"
          "  --config FILE  configuration in flink-conf.yaml form (default:\n"
          "                 conf/sluice.yaml if present, else /etc/sluice/sluice.yaml)\n"
          "  --home DIR     where the catalog and the jobs live (default: sluice.home,\n"
          "                 else $STATE_DIRECTORY under systemd, else ./sluice-home)\n"
          "  --port N       rest.port\n"
          "\n"
          "SIGHUP reads the configuration again; SIGTERM stops (jobs keep their\n"
          "checkpoints). See docs/DAEMON.md and sluice(1).\n",
          f);
}

/* The token: rest.auth.token, or the file rest.auth.token-file, or the
 * systemd credential rest-token. Owner: the caller. err set on a
 * configured file that cannot be read. */
static char *read_token(const sl_config_t *c, sl_err_t *err)
{
    const char *t = sl_config_get(c, "rest.auth.token", NULL);
    if (t && *t) return strdup(t);
    const char *file = sl_config_get(c, "rest.auth.token-file", NULL);
    char path[4200];
    if (!file) {
        const char *cred = getenv("CREDENTIALS_DIRECTORY");
        if (!cred) return NULL;
        snprintf(path, sizeof path, "%s/rest-token", cred);
        if (access(path, R_OK)) return NULL;
        file = path;
    }
    sl_strbuf_t sb = SL_STRBUF_INIT;
    int rc = sl_cli_read_file(file, &sb);
    if (rc) {
        sl_err_set(err, SL_EIO, "cannot read the token file %s: %s", file, strerror(-rc));
        sl_strbuf_destroy(&sb);
        return NULL;
    }
    while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r')) sb.len--;
    char *tok = sb.len ? strndup(sb.buf, sb.len) : NULL;
    explicit_bzero(sb.buf, sb.len);
    sl_strbuf_destroy(&sb);
    if (!tok) sl_err_set(err, SL_EINVAL, "the token file %s is empty", file);
    return tok;
}

static char *fingerprint(const char *tok)
{
    if (!tok) return strdup("none");
    uint64_t h = 1469598103934665603ull;
    for (const char *p = tok; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    char buf[32];
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
    return strdup(buf);
}

static void log_warnings(const sl_config_t *c)
{
    for (int i = 0; i < c->nwarnings; i++) SL_LOG_WARN("%s", c->warnings[i]);
}

static void on_watchdog(uv_timer_t *t)
{
    (void)t;
    sl_sd_notify("WATCHDOG=1");
}

static void reload(daemon_ctx_t *d)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    sl_sd_notifyf("RELOADING=1\nMONOTONIC_USEC=%llu",
                  (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000);
    SL_LOG_INFO("SIGHUP: reading %s again", d->config_path);
    sl_config_t c;
    sl_err_t err;
    sl_err_clear(&err);
    if (sl_config_load(&c, d->config_path, !d->config_given, &err)) {
        SL_LOG_ERROR("reload failed, the previous configuration stays: %s", err.msg);
    } else {
        log_warnings(&c);
        int n = 0;
        const char **kv = sl_config_job_pairs(&c, &n);
        if (kv && !sl_engine_set_defaults(d->engine, kv, n))
            SL_LOG_INFO("reload: %d job defaults (new sessions and jobs use them)", n);
        free(kv);
        const char *lvl = sl_config_get(&c, "log.level", NULL);
        if (lvl) {
            int l = sl_log_level_from_name(lvl);
            if (l >= 0) sl_log_set_level(l);
            else SL_LOG_WARN("log.level '%s' is not a level (error, warn, info, debug, trace)", lvl);
        }
        char *tok = read_token(&c, &err);
        if (err.code) {
            SL_LOG_ERROR("reload: %s; the previous token stays", err.msg);
        } else {
            char *fp = fingerprint(tok);
            if (fp && d->token_fingerprint && strcmp(fp, d->token_fingerprint))
                SL_LOG_INFO("reload: the REST token changed (%s)", tok ? "set" : "removed");
            free(d->token_fingerprint);
            d->token_fingerprint = fp;
            sl_rest_set_token(d->rest, tok);
        }
        if (tok) explicit_bzero(tok, strlen(tok));
        free(tok);
        if (sl_config_get(&c, "rest.port", NULL) || sl_config_get(&c, "rest.address", NULL))
            SL_LOG_INFO("reload: rest.address and rest.port apply at the next start");
    }
    sl_config_free(&c);
    sl_sd_notify("READY=1");
}

static void on_closed(uv_handle_t *h) { (void)h; }

static void stop(daemon_ctx_t *d)
{
    if (d->stopping) return;
    d->stopping = true;
    sl_sd_notify("STOPPING=1");
    SL_LOG_INFO("stopping: the jobs keep their checkpoints and resume at the next start");
    sl_http_close(d->http);
    uv_close((uv_handle_t *)&d->sighup, on_closed);
    uv_close((uv_handle_t *)&d->sigterm, on_closed);
    uv_close((uv_handle_t *)&d->sigint, on_closed);
    if (d->watchdog_on) uv_close((uv_handle_t *)&d->watchdog, on_closed);
}

static void on_signal(uv_signal_t *h, int sig)
{
    daemon_ctx_t *d = h->data;
    if (sig == SIGHUP) reload(d);
    else stop(d);
}

int sl_cmd_daemon(int argc, char **argv)
{
    daemon_ctx_t d;
    memset(&d, 0, sizeof d);
    const char *home = NULL, *port_arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if ((!strcmp(a, "--config") || !strcmp(a, "--home") || !strcmp(a, "--port")) && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(a, "--config")) {
                d.config_path = v;
                d.config_given = true;
            } else if (!strcmp(a, "--home")) home = v;
            else port_arg = v;
            continue;
        }
        fprintf(stderr, "sluice daemon: %s '%s'\n",
                a[0] == '-' && (i + 1 >= argc) ? "option needs a value:" : "unknown argument", a);
        usage(stderr);
        return 1;
    }
    if (!d.config_path) d.config_path = access("conf/sluice.yaml", R_OK) ? "/etc/sluice/sluice.yaml"
                                                                        : "conf/sluice.yaml";
    sl_config_t conf;
    sl_err_t err;
    sl_err_clear(&err);
    if (sl_config_load(&conf, d.config_path, !d.config_given, &err)) {
        fprintf(stderr, "sluice daemon: %s\n", err.msg);
        sl_config_free(&conf);
        return 1;
    }
    const char *lvl = sl_config_get(&conf, "log.level", NULL);
    if (lvl && sl_log_level_from_name(lvl) >= 0) sl_log_set_level(sl_log_level_from_name(lvl));
    sl_log_set_prefix("daemon");
    log_warnings(&conf);
    if (!home) home = sl_config_get(&conf, "sluice.home", NULL);
    char homebuf[4200], homecopy[4200];
    if (!home && getenv("STATE_DIRECTORY") && *getenv("STATE_DIRECTORY")) {
        /* systemd's StateDirectory=: a colon-separated list, the first is ours */
        snprintf(homebuf, sizeof homebuf, "%s", getenv("STATE_DIRECTORY"));
        char *colon = strchr(homebuf, ':');
        if (colon) *colon = 0;
        home = homebuf;
    }
    if (!home) home = "sluice-home";
    snprintf(homecopy, sizeof homecopy, "%s", home); /* the configuration is freed below */
    home = homecopy;
    char host[256];
    snprintf(host, sizeof host, "%s",
             sl_config_get(&conf, "rest.bind-address", sl_config_get(&conf, "rest.address", "127.0.0.1")));
    const char *port_s = port_arg ? port_arg
                                  : sl_config_get(&conf, "rest.bind-port",
                                                  sl_config_get(&conf, "rest.port", "8081"));
    char *end;
    long port = strtol(port_s, &end, 10);
    if (*end || end == port_s || port < 0 || port > 65535) {
        fprintf(stderr, "sluice daemon: the port must be a number from 0 to 65535, got '%s'\n", port_s);
        sl_config_free(&conf);
        return 1;
    }
    char *token = read_token(&conf, &err);
    if (err.code) {
        fprintf(stderr, "sluice daemon: %s\n", err.msg);
        sl_config_free(&conf);
        return 1;
    }
    d.token_fingerprint = fingerprint(token);

    /* libuv's pool runs the REST requests (long polls among them). */
    if (!getenv("UV_THREADPOOL_SIZE")) setenv("UV_THREADPOOL_SIZE", "16", 1);
    int n = 0;
    const char **kv = sl_config_job_pairs(&conf, &n);
    sl_engine_opts_t eo = {.home = home, .defaults = kv, .ndefaults = n, .name = "sluice daemon"};
    SL_LOG_INFO("sluice %s daemon starting: config %s, home %s", SL_VERSION, d.config_path, home);
    d.engine = kv ? sl_engine_new(&eo, &err) : NULL;
    free(kv);
    sl_config_free(&conf);
    if (!d.engine) {
        fprintf(stderr, "sluice daemon: %s\n", err.code ? err.msg : "out of memory");
        free(token);
        free(d.token_fingerprint);
        return 1;
    }
    uv_loop_init(&d.loop);
    d.rest = sl_rest_new(&d.loop, d.engine, token);
    if (token) explicit_bzero(token, strlen(token));
    free(token);
    if (!d.rest) {
        fprintf(stderr, "sluice daemon: out of memory\n");
        sl_engine_free(d.engine);
        return 2;
    }
    d.http = sl_http_listen(&d.loop, host, (int)port, sl_rest_handle, d.rest, &err);
    if (!d.http) {
        fprintf(stderr, "sluice daemon: %s\n", err.msg);
        sl_rest_free(d.rest);
        sl_engine_free(d.engine);
        uv_loop_close(&d.loop);
        free(d.token_fingerprint);
        return 1;
    }
    int resumed = sl_engine_resume_jobs(d.engine);
    uv_signal_init(&d.loop, &d.sighup);
    uv_signal_init(&d.loop, &d.sigterm);
    uv_signal_init(&d.loop, &d.sigint);
    d.sighup.data = d.sigterm.data = d.sigint.data = &d;
    uv_signal_start(&d.sighup, on_signal, SIGHUP);
    uv_signal_start(&d.sigterm, on_signal, SIGTERM);
    uv_signal_start(&d.sigint, on_signal, SIGINT);
    uint64_t wd = sl_sd_watchdog_usec();
    if (wd) {
        uv_timer_init(&d.loop, &d.watchdog);
        d.watchdog.data = &d;
        uint64_t ms = wd / 2000 ? wd / 2000 : 1;
        uv_timer_start(&d.watchdog, on_watchdog, ms, ms);
        d.watchdog_on = true;
    }
    SL_LOG_INFO("REST API, metrics and dashboard on http://%s:%d/ (%s); %d jobs resumed", host,
                sl_http_port(d.http), strcmp(d.token_fingerprint, "none") ? "bearer token required"
                                                                          : "no token",
                resumed);
    sl_sd_notifyf("READY=1\nSTATUS=serving on %s:%d, %d jobs resumed", host, sl_http_port(d.http),
                  resumed);
    uv_run(&d.loop, UV_RUN_DEFAULT);
    /* Requests still on the thread pool finish before the engine goes. */
    while (sl_rest_busy(d.rest)) uv_run(&d.loop, UV_RUN_ONCE);
    sl_rest_free(d.rest);
    sl_engine_free(d.engine);
    uv_run(&d.loop, UV_RUN_DEFAULT);
    uv_loop_close(&d.loop);
    free(d.token_fingerprint);
    SL_LOG_INFO("stopped");
    return 0;
}
