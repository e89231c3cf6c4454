/* checkpoint.c - checkpoint/state/restart configuration and the state
 * directory (see checkpoint.h). */
#include "exec/checkpoint.h"

#include <ctype.h>
#include <stddef.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- configuration ---- */

void sl_ckpt_conf_init(sl_ckpt_conf_t *c)
{
    memset(c, 0, sizeof *c);
    c->backend = SL_BACKEND_HASHMAP;
    c->rocks_block_cache = 8 << 20;
    c->rocks_write_buffer = 64 << 20;
    c->rocks_write_buffers = 2;
    c->rocks_block_size = 4096;
    c->rocks_threads = 2;
    c->timeout_ms = 10 * 60 * 1000;
    c->retain = true;
    c->retained = 1;
    c->fd_attempts = 1;
    c->fd_delay_ms = 1000;
    c->fr_max = 1;
    c->fr_interval_ms = 60000;
    c->fr_delay_ms = 1000;
    c->exp_initial_ms = 1000;
    c->exp_max_ms = 60000;
    c->exp_reset_ms = 3600000;
    c->exp_multiplier = 1.5;
    c->exp_jitter = 0.1;
}

static int duration(const char *s, int64_t *ms)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return -1;
    while (*end == ' ') end++;
    static const struct { const char *u; double f; } units[] = {
        {"ms", 1}, {"milli", 1}, {"millis", 1}, {"millisecond", 1}, {"milliseconds", 1},
        {"s", 1000}, {"sec", 1000}, {"secs", 1000}, {"second", 1000}, {"seconds", 1000},
        {"min", 60000}, {"m", 60000}, {"minute", 60000}, {"minutes", 60000},
        {"h", 3600000}, {"hour", 3600000}, {"hours", 3600000},
        {"d", 86400000}, {"day", 86400000}, {"days", 86400000},
    };
    if (!*end) {
        *ms = (int64_t)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcasecmp(end, units[i].u)) {
            *ms = (int64_t)(v * units[i].f);
            return 0;
        }
    return -1;
}

static int memsize(const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return -1;
    while (*end == ' ') end++;
    static const struct { const char *u; double f; } units[] = {
        {"", 1}, {"b", 1}, {"bytes", 1}, {"k", 1024}, {"kb", 1024}, {"kibibytes", 1024},
        {"m", 1 << 20}, {"mb", 1 << 20}, {"mebibytes", 1 << 20},
        {"g", 1 << 30}, {"gb", 1 << 30}, {"gibibytes", 1 << 30},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcasecmp(end, units[i].u)) {
            *out = (int64_t)(v * units[i].f);
            return 0;
        }
    return -1;
}

static int integer(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < 0) return -1;
    *out = v;
    return 0;
}

int sl_ckpt_conf_set(sl_ckpt_conf_t *c, const char *key, const char *value, sl_err_t *err)
{
    static const struct { const char *key; int kind; size_t off; } keys[] = {
#define F(k, kind, field) {k, kind, offsetof(sl_ckpt_conf_t, field)}
        F("state.backend.rocksdb.block.cache-size", 'M', rocks_block_cache),
        F("state.backend.rocksdb.writebuffer.size", 'M', rocks_write_buffer),
        F("state.backend.rocksdb.writebuffer.count", 'I', rocks_write_buffers),
        F("state.backend.rocksdb.block.blocksize", 'M', rocks_block_size),
        F("state.backend.rocksdb.thread.num", 'I', rocks_threads),
        F("execution.checkpointing.interval", 'D', interval_ms),
        F("execution.checkpointing.timeout", 'D', timeout_ms),
        F("execution.checkpointing.min-pause", 'D', min_pause_ms),
        F("execution.checkpointing.tolerable-failed-checkpoints", 'I', tolerable),
        F("state.checkpoints.num-retained", 'I', retained),
        F("restart-strategy.fixed-delay.attempts", 'I', fd_attempts),
        F("restart-strategy.fixed-delay.delay", 'D', fd_delay_ms),
        F("restart-strategy.failure-rate.max-failures-per-interval", 'I', fr_max),
        F("restart-strategy.failure-rate.failure-rate-interval", 'D', fr_interval_ms),
        F("restart-strategy.failure-rate.delay", 'D', fr_delay_ms),
        F("restart-strategy.exponential-delay.initial-backoff", 'D', exp_initial_ms),
        F("restart-strategy.exponential-delay.max-backoff", 'D', exp_max_ms),
        F("restart-strategy.exponential-delay.reset-backoff-threshold", 'D', exp_reset_ms),
#undef F
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(key, keys[i].key)) continue;
        int64_t *f = (int64_t *)((char *)c + keys[i].off);
        int bad = keys[i].kind == 'D' ? duration(value, f)
                  : keys[i].kind == 'M' ? memsize(value, f)
                                        : integer(value, f);
        if (bad)
            return sl_err_set(err, SL_EINVAL, "'%s' expects %s, got '%s'", key,
                              keys[i].kind == 'D'   ? "a duration such as 10 s"
                              : keys[i].kind == 'M' ? "a memory size such as 64mb"
                                                    : "a non-negative integer",
                              value);
        if (!strcmp(key, "state.checkpoints.num-retained") && *f < 1)
            return sl_err_set(err, SL_EINVAL, "'%s' must be at least 1, got '%s'", key, value);
        return 1;
    }
    if (!strcmp(key, "state.backend") || !strcmp(key, "state.backend.type")) {
        if (!strcasecmp(value, "rocksdb")) c->backend = SL_BACKEND_ROCKSDB;
        else if (!strcasecmp(value, "hashmap") || !strcasecmp(value, "filesystem") ||
                 !strcasecmp(value, "jobmanager"))
            c->backend = SL_BACKEND_HASHMAP;
        else
            return sl_err_set(err, SL_EINVAL, "'%s' expects hashmap or rocksdb, got '%s'", key,
                              value);
        return 1;
    }
    if (!strcmp(key, "state.backend.incremental")) {
        c->incremental = !strcasecmp(value, "true");
        return 1;
    }
    if (!strcmp(key, "execution.checkpointing.max-concurrent-checkpoints")) {
        if (strcmp(value, "1"))
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "'%s' = '%s': sluice takes one checkpoint at a time (1)", key,
                              value);
        return 1;
    }
    if (!strcmp(key, "execution.checkpointing.externalized-checkpoint-retention") ||
        !strcmp(key, "execution.checkpointing.externalized-checkpoint-retention")) {
        if (!strcasecmp(value, "RETAIN_ON_CANCELLATION")) c->retain = true;
        else if (!strcasecmp(value, "DELETE_ON_CANCELLATION") ||
                 !strcasecmp(value, "NO_EXTERNALIZED_CHECKPOINTS"))
            c->retain = false;
        else
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects RETAIN_ON_CANCELLATION or DELETE_ON_CANCELLATION, "
                              "got '%s'",
                              key, value);
        return 1;
    }
    if (!strcmp(key, "state.checkpoints.dir")) {
        c->dir = !strncmp(value, "file://", 7) ? value + 7 : value;
        if (strstr(value, "://") && strncmp(value, "file://", 7))
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "'%s' = '%s': only local directories (or file://) are supported",
                              key, value);
        return 1;
    }
    if (!strcmp(key, "restart-strategy") || !strcmp(key, "restart-strategy.type")) {
        char v[32];
        size_t k = 0;
        for (const char *p = value; *p && k + 1 < sizeof v; p++)
            if (*p != '-' && *p != '_') v[k++] = (char)tolower((unsigned char)*p);
        v[k] = 0;
        if (!strcmp(v, "none") || !strcmp(v, "off") || !strcmp(v, "disable"))
            c->restart = SL_RESTART_NONE;
        else if (!strcmp(v, "fixeddelay") || !strcmp(v, "fixed"))
            c->restart = SL_RESTART_FIXED_DELAY;
        else if (!strcmp(v, "failurerate"))
            c->restart = SL_RESTART_FAILURE_RATE;
        else if (!strcmp(v, "exponentialdelay") || !strcmp(v, "exponential"))
            c->restart = SL_RESTART_EXPONENTIAL;
        else
            return sl_err_set(err, SL_EINVAL,
                              "'%s' expects none, fixed-delay, failure-rate or "
                              "exponential-delay, got '%s'",
                              key, value);
        return 1;
    }
    if (!strcmp(key, "restart-strategy.exponential-delay.backoff-multiplier") ||
        !strcmp(key, "restart-strategy.exponential-delay.jitter-factor")) {
        char *end;
        double d = strtod(value, &end);
        if (end == value || *end || d < 0)
            return sl_err_set(err, SL_EINVAL, "'%s' expects a number, got '%s'", key, value);
        if (strstr(key, "multiplier")) c->exp_multiplier = d;
        else c->exp_jitter = d;
        return 1;
    }
    return 0;
}

/* ---- files ---- */

int sl_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st)) return errno == ENOENT ? 0 : -errno;
    if (!S_ISDIR(st.st_mode)) return unlink(path) ? -errno : 0;
    DIR *d = opendir(path);
    if (!d) return -errno;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -ENOMEM;
            break;
        }
        snprintf(p, n, "%s/%s", path, e->d_name);
        int r = sl_rmtree(p);
        free(p);
        if (r && !rc) rc = r;
    }
    closedir(d);
    if (!rc && rmdir(path)) rc = -errno;
    return rc;
}

static int mkdirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf) return -ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != 0) continue;
        char c = buf[i];
        buf[i] = 0;
        if (mkdir(buf, 0755) && errno != EEXIST) return -errno;
        buf[i] = c;
    }
    return 0;
}

int sl_state_dir_open(const char *path, sl_state_dir_t *d, sl_err_t *err)
{
    memset(d, 0, sizeof *d);
    d->lock_fd = -1;
    int rc = mkdirs(path);
    if (rc)
        return sl_err_set(err, SL_EIO, "cannot create the state directory %s: %s", path,
                          strerror(-rc));
    d->path = strdup(path);
    if (!d->path) return sl_err_set(err, SL_ENOMEM, "out of memory");
    char lp[4200];
    snprintf(lp, sizeof lp, "%s/lock", path);
    d->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (d->lock_fd < 0) {
        rc = sl_err_set(err, SL_EIO, "cannot open %s: %s", lp, strerror(errno));
        sl_state_dir_close(d);
        return rc;
    }
    if (flock(d->lock_fd, LOCK_EX | LOCK_NB)) {
        char pid[32] = "?";
        ssize_t k = pread(d->lock_fd, pid, sizeof pid - 1, 0);
        if (k > 0) {
            pid[k] = 0;
            pid[strcspn(pid, "\n")] = 0;
        }
        rc = sl_err_set(err, SL_EIO,
                        "the state directory %s is in use by another sluice process (pid %s); "
                        "two jobs cannot share one",
                        path, pid);
        sl_state_dir_close(d);
        return rc;
    }
    char pid[32];
    int k = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (ftruncate(d->lock_fd, 0) == 0 && pwrite(d->lock_fd, pid, (size_t)k, 0) < 0) {
        /* the pid is only informative */
    }
    return 0;
}

void sl_state_dir_close(sl_state_dir_t *d)
{
    if (d->lock_fd >= 0) close(d->lock_fd);
    d->lock_fd = -1;
    free(d->path);
    d->path = NULL;
}

/* chk-N with N > 0; *tmp for chk-N.tmp. */
static int64_t chk_id(const char *name, bool *tmp)
{
    if (strncmp(name, "chk-", 4)) return 0;
    char *end;
    long long v = strtoll(name + 4, &end, 10);
    if (end == name + 4 || v <= 0) return 0;
    *tmp = *end != 0;
    return (*end == 0 || !strcmp(end, ".tmp")) ? v : 0;
}

static bool has_meta(const char *dir, const char *name)
{
    char p[4300];
    snprintf(p, sizeof p, "%s/%s/_metadata", dir, name);
    return access(p, R_OK) == 0;
}

int64_t sl_state_dir_latest(const sl_state_dir_t *d)
{
    DIR *dh = opendir(d->path);
    if (!dh) return 0;
    int64_t best = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        bool tmp = false;
        int64_t id = chk_id(e->d_name, &tmp);
        if (!id) continue;
        if (tmp || !has_meta(d->path, e->d_name)) {
            char p[4300];
            snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
            sl_rmtree(p); /* an unfinished checkpoint */
            continue;
        }
        if (id > best) best = id;
    }
    closedir(dh);
    return best;
}

int sl_state_dir_clear(const sl_state_dir_t *d, sl_err_t *err)
{
    DIR *dh = opendir(d->path);
    if (!dh) return 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(dh))) {
        bool tmp;
        if (!chk_id(e->d_name, &tmp) && strcmp(e->d_name, "work")) continue;
        char p[4300];
        snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
        int r = sl_rmtree(p);
        if (r && !rc) rc = sl_err_set(err, SL_EIO, "cannot remove %s: %s", p, strerror(-r));
    }
    closedir(dh);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void sl_state_dir_prune(const sl_state_dir_t *d, int64_t keep)
{
    DIR *dh = opendir(d->path);
    if (!dh) return;
    int64_t ids[4096];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) && n < 4096) {
        bool tmp = false;
        int64_t id = chk_id(e->d_name, &tmp);
        if (id && !tmp) ids[n++] = id;
    }
    closedir(dh);
    qsort(ids, (size_t)n, sizeof ids[0], cmp_i64);
    for (int i = 0; i + keep < n; i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s/chk-%lld", d->path, (long long)ids[i]);
        sl_rmtree(p);
    }
}

/* ---- metadata ---- */

uint64_t sl_ckpt_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void sl_ckpt_meta_free(sl_ckpt_meta_t *m)
{
    for (int i = 0; i < m->nsources; i++) sl_strbuf_destroy(&m->sources[i]);
    free(m->sources);
    m->sources = NULL;
    m->nsources = 0;
    sl_strbuf_destroy(&m->plan);
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int rc = fsync(fd) ? -errno : 0;
    close(fd);
    return rc;
}

int sl_ckpt_meta_write(const char *dir, const sl_ckpt_meta_t *m, sl_err_t *err)
{
    static const char hex[] = "0123456789abcdef";
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_printf(&sb, "sluice-checkpoint 1\nid %lld\ntime_ms %lld\nbackend %s\nplan-hash %016llx\n",
                     (long long)m->id, (long long)m->time_ms,
                     m->backend == SL_BACKEND_ROCKSDB ? "rocksdb" : "hashmap",
                     (unsigned long long)m->plan_hash);
    for (int i = 0; i < m->nsources; i++) {
        sl_strbuf_printf(&sb, "source %d ", i);
        const unsigned char *p = (const unsigned char *)m->sources[i].buf;
        for (size_t k = 0; k < m->sources[i].len; k++) {
            sl_strbuf_putc(&sb, hex[p[k] >> 4]);
            sl_strbuf_putc(&sb, hex[p[k] & 15]);
        }
        if (!m->sources[i].len) sl_strbuf_putc(&sb, '-');
        sl_strbuf_putc(&sb, '\n');
    }
    const char *pl = m->plan.buf ? m->plan.buf : "";
    while (*pl) {
        size_t n = strcspn(pl, "\n");
        sl_strbuf_printf(&sb, "plan %.*s\n", (int)n, pl);
        pl += n + (pl[n] == '\n');
    }
    int rc = 0;
    char tmp[4300], fin[4300];
    snprintf(tmp, sizeof tmp, "%s/_metadata.tmp", dir);
    snprintf(fin, sizeof fin, "%s/_metadata", dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = sl_err_set(err, SL_EIO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < sb.len) {
        ssize_t w = write(fd, sb.buf + off, sb.len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            rc = sl_err_set(err, SL_EIO, "cannot write %s: %s", tmp, strerror(errno));
            break;
        }
        off += (size_t)w;
    }
    if (!rc && fsync(fd)) rc = sl_err_set(err, SL_EIO, "cannot write %s: %s", tmp, strerror(errno));
    close(fd);
    if (!rc && rename(tmp, fin))
        rc = sl_err_set(err, SL_EIO, "cannot write %s: %s", fin, strerror(errno));
    if (!rc) fsync_dir(dir);
    if (rc) unlink(tmp);
out:
    sl_strbuf_destroy(&sb);
    return rc;
}

static int unhex(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int sl_ckpt_meta_read(const char *dir, sl_ckpt_meta_t *m, sl_err_t *err)
{
    memset(m, 0, sizeof *m);
    char p[4300];
    snprintf(p, sizeof p, "%s/_metadata", dir);
    FILE *f = fopen(p, "r");
    if (!f) return sl_err_set(err, SL_EIO, "cannot read %s: %s", p, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0, lineno = 0;
    bool magic = false;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n && line[n - 1] == '\n') line[--n] = 0;
        if (lineno == 1) {
            magic = !strcmp(line, "sluice-checkpoint 1");
            if (!magic) break;
            continue;
        }
        if (!strncmp(line, "id ", 3)) m->id = strtoll(line + 3, NULL, 10);
        else if (!strncmp(line, "time_ms ", 8)) m->time_ms = strtoll(line + 8, NULL, 10);
        else if (!strncmp(line, "backend ", 8))
            m->backend = !strcmp(line + 8, "rocksdb") ? SL_BACKEND_ROCKSDB : SL_BACKEND_HASHMAP;
        else if (!strncmp(line, "plan-hash ", 10))
            m->plan_hash = strtoull(line + 10, NULL, 16);
        else if (!strncmp(line, "plan ", 5)) {
            sl_strbuf_puts(&m->plan, line + 5);
            sl_strbuf_putc(&m->plan, '\n');
        } else if (!strncmp(line, "source ", 7)) {
            char *sp;
            long i = strtol(line + 7, &sp, 10);
            if (i < 0 || i > 4096 || *sp != ' ') {
                rc = sl_err_set(err, SL_EFORMAT, "%s:%d: bad source line", p, lineno);
                break;
            }
            if (i >= m->nsources) {
                sl_strbuf_t *ns = realloc(m->sources, (size_t)(i + 1) * sizeof *ns);
                if (!ns) {
                    rc = sl_err_set(err, SL_ENOMEM, "out of memory");
                    break;
                }
                for (long k = m->nsources; k <= i; k++) sl_strbuf_init(&ns[k]);
                m->sources = ns;
                m->nsources = (int)i + 1;
            }
            const char *h = sp + 1;
            if (strcmp(h, "-")) {
                for (; h[0] && h[1]; h += 2) {
                    int a = unhex(h[0]), b = unhex(h[1]);
                    if (a < 0 || b < 0) break;
                    sl_strbuf_putc(&m->sources[i], (char)(a << 4 | b));
                }
                if (*h) {
                    rc = sl_err_set(err, SL_EFORMAT, "%s:%d: bad position", p, lineno);
                    break;
                }
            }
        }
    }
    free(line);
    fclose(f);
    if (!rc && !magic)
        rc = sl_err_set(err, SL_EFORMAT, "%s is not a sluice checkpoint's metadata", p);
    if (rc) sl_ckpt_meta_free(m);
    return rc;
}
