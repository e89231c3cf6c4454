/* config.c - conf/sluice.yaml (config.h). */
#include "server/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "plan/plan.h"

static const char *const daemon_keys[] = {
    "rest.address", "rest.bind-address", "rest.port", "rest.bind-port",
    "rest.auth.token", "rest.auth.token-file", "sluice.home", "log.level", NULL,
};

/* Keys of a Flink cluster that mean nothing on one machine: accepted, with
 * a note, so a flink-conf.yaml can be reused. */
static const char *const cluster_prefixes[] = {
    "jobmanager.", "taskmanager.", "parallelism.", "high-availability", "kubernetes.",
    "yarn.", "akka.", "pekko.", "blob.", "web.", "metrics.", "env.", "security.",
    "cluster.", "io.tmp.dirs", "classloader.", "heartbeat.", NULL,
};

static const char *const job_prefixes[] = {
    "execution.checkpointing.", "state.", "restart-strategy", "table.exec.", "table.optimizer.",
    "pipeline.", "sql-client.", "table.local-time-zone", "table.dml-sync", NULL,
};

bool sl_config_is_daemon_key(const char *key)
{
    for (int i = 0; daemon_keys[i]; i++)
        if (!strcmp(daemon_keys[i], key)) return true;
    return false;
}

static bool has_prefix(const char *const *list, const char *key)
{
    for (int i = 0; list[i]; i++)
        if (!strncmp(key, list[i], strlen(list[i]))) return true;
    return false;
}

static int push(char ***arr, int *n, int *cap, char *s)
{
    if (!s) return -SL_ENOMEM;
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        char **p = realloc(*arr, (size_t)nc * sizeof *p);
        if (!p) {
            free(s);
            return -SL_ENOMEM;
        }
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = s;
    return 0;
}

static int warn(sl_config_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int warn(sl_config_t *c, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return push(&c->warnings, &c->nwarnings, &c->capwarnings, strdup(buf));
}

/* One key: value read at line (1-based). */
static int add(sl_config_t *c, const char *path, int line, const char *key, const char *value,
               sl_err_t *err)
{
    if (!sl_config_is_daemon_key(key)) {
        if (has_prefix(job_prefixes, key)) {
            if (strncmp(key, "sql-client.", 11)) {
                sl_job_conf_t conf;
                sl_job_conf_init(&conf);
                sl_err_t e2;
                sl_err_clear(&e2);
                if (sl_job_conf_set(&conf, key, value, &e2))
                    return sl_err_set(err, SL_EINVAL, "%s:%d: %s", path, line, e2.msg);
            }
        } else if (has_prefix(cluster_prefixes, key)) {
            if (warn(c, "%s:%d: '%s' is a Flink cluster setting; sluice runs on one machine and "
                        "ignores it", path, line, key))
                return sl_err_set(err, SL_ENOMEM, "out of memory");
        } else if (warn(c, "%s:%d: unknown key '%s' (ignored)", path, line, key)) {
            return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    } else if (!strcmp(key, "rest.port") || !strcmp(key, "rest.bind-port")) {
        char *end;
        long p = strtol(value, &end, 10);
        if (*end || end == value || p < 0 || p > 65535)
            return sl_err_set(err, SL_EINVAL, "%s:%d: %s must be a port number (0-65535), got '%s'",
                              path, line, key, value);
    }
    if (push(&c->keys, &c->n, &c->cap, strdup(key))) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int nv = c->n - 1;
    if (push(&c->values, &nv, &c->capv, strdup(value))) {
        free(c->keys[--c->n]);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    return 0;
}

int sl_config_load(sl_config_t *c, const char *path, bool missing_ok, sl_err_t *err)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "re");
    if (!f) {
        if (missing_ok && errno == ENOENT) return 0;
        return sl_err_set(err, SL_EIO, "cannot read the configuration %s: %s", path,
                          strerror(errno));
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_file(&p, f);
    /* a stack of map key prefixes */
    char prefix[16][256];
    int depth = 0;
    char key[512] = "";
    bool have_key = false;
    int key_line = 0;
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = sl_err_set(err, SL_EINVAL, "%s:%zu:%zu: bad YAML: %s", path,
                            p.problem_mark.line + 1, p.problem_mark.column + 1,
                            p.problem ? p.problem : "syntax error");
            break;
        }
        int type = ev.type;
        if (type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (type == YAML_MAPPING_START_EVENT) {
            if (depth > 0 && !have_key) {
                rc = sl_err_set(err, SL_EINVAL, "%s:%zu:%zu: a map where a key was expected",
                                path, ev.start_mark.line + 1, ev.start_mark.column + 1);
            } else if (depth >= 15) {
                rc = sl_err_set(err, SL_EINVAL, "%s:%zu: maps nested too deeply", path,
                                ev.start_mark.line + 1);
            } else {
                snprintf(prefix[depth], sizeof prefix[depth], "%s", depth ? key : "");
                depth++;
                have_key = false;
            }
        } else if (type == YAML_MAPPING_END_EVENT) {
            depth--;
            have_key = false;
        } else if (type == YAML_SEQUENCE_START_EVENT) {
            rc = sl_err_set(err, SL_EINVAL, "%s:%zu:%zu: lists are not accepted: write the value "
                            "as a string", path, ev.start_mark.line + 1, ev.start_mark.column + 1);
        } else if (type == YAML_SCALAR_EVENT) {
            const char *v = (const char *)ev.data.scalar.value;
            if (depth == 0) {
                if (*v)
                    rc = sl_err_set(err, SL_EINVAL, "%s:%zu: expected 'key: value' lines", path,
                                    ev.start_mark.line + 1);
            } else if (!have_key) {
                const char *pre = prefix[depth - 1];
                snprintf(key, sizeof key, "%s%s%s", pre, *pre ? "." : "", v);
                have_key = true;
                key_line = (int)ev.start_mark.line + 1;
            } else {
                rc = add(c, path, key_line, key, v, err);
                have_key = false;
            }
        }
        yaml_event_delete(&ev);
        if (rc) break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}

void sl_config_free(sl_config_t *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    for (int i = 0; i < c->nwarnings; i++) free(c->warnings[i]);
    free(c->keys);
    free(c->values);
    free(c->warnings);
    memset(c, 0, sizeof *c);
}

const char *sl_config_get(const sl_config_t *c, const char *key, const char *def)
{
    for (int i = c->n - 1; i >= 0; i--)
        if (!strcmp(c->keys[i], key)) return c->values[i];
    return def;
}

const char **sl_config_job_pairs(const sl_config_t *c, int *n)
{
    const char **kv = calloc((size_t)c->n * 2 + 2, sizeof *kv);
    *n = 0;
    if (!kv) return NULL;
    for (int i = 0; i < c->n; i++) {
        if (sl_config_is_daemon_key(c->keys[i]) || !has_prefix(job_prefixes, c->keys[i])) continue;
        kv[2 * *n] = c->keys[i];
        kv[2 * *n + 1] = c->values[i];
        (*n)++;
    }
    return kv;
}
