/* filesystem.c - the 'filesystem' connector: a bounded source and an
 * appending sink over local files, in one of the formats of
 * connectors/formats/.
 *
 * 'path' is a local path or a file:// URI.
 *
 * Source: 'path' is a file, or a directory read file by file in name order
 * (byte order, recursing into subdirectories; names starting with '.' or
 * '_' are hidden, as Flink skips them). Files are read through a fixed-size
 * buffer that only grows for a single record longer than it (up to
 * MAX_RECORD), never the whole file. Each record is decoded by the format;
 * an error reads "FILE:LINE: cannot parse <format> record: reason", unless
 * the format's ignore-parse-errors option is set. The source ends after the
 * last file (Flink's continuous 'source.monitor-interval' is refused).
 *
 * Sink: rows are encoded into a memory buffer and appended with large
 * write()s to one file: 'path' itself, or 'path'/part-0-0 when 'path' is a
 * directory (or ends with '/', and is then created). flush() writes the
 * buffer and fdatasync()s. Rolling, partitioning and compaction options are
 * accepted for compatibility and ignored: there is one part file.
 */
#include "connectors/filesystem/filesystem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "connectors/formats/format.h"
#include "state/codec.h"
#include "util/hashmap.h"
#include "util/log.h"
#include "util/strbuf.h"

#define READ_BUF (64 * 1024)            /* source read buffer */
#define MAX_RECORD (64 * 1024 * 1024)   /* longest record a source accepts */
#define WRITE_CHUNK (1024 * 1024)       /* sink buffer size that triggers a write */
#define PART_FILE "part-0-0"

static const sl_option_spec_t fs_options[] = {
    {"path", SL_OPT_STRING, true, NULL, NULL,
     "file or directory to read; file (or directory for part-0-0) to write"},
    /* a string, not an enum: format identifiers are case-sensitive */
    {"format", SL_OPT_STRING, true, NULL, NULL,
     "record format: csv, json, debezium-json or canal-json"},
    {"source.monitor-interval", SL_OPT_DURATION, false, NULL, NULL,
     "not supported: the source reads the files once and ends"},
    {"partition.default-name", SL_OPT_STRING, false, "__DEFAULT_PARTITION__", NULL,
     "accepted; partitioned tables are not supported"},
    {"sink.rolling-policy.file-size", SL_OPT_MEMSIZE, false, "128mb", NULL,
     "accepted; the sink writes one file"},
    {"sink.rolling-policy.rollover-interval", SL_OPT_DURATION, false, "30 min", NULL,
     "accepted; the sink writes one file"},
    {"sink.rolling-policy.check-interval", SL_OPT_DURATION, false, "1 min", NULL,
     "accepted; the sink writes one file"},
    {"sink.rolling-policy.inactivity-interval", SL_OPT_DURATION, false, NULL, NULL,
     "accepted; the sink writes one file"},
    {"sink.shuffle-by-partition.enable", SL_OPT_BOOL, false, "false", NULL,
     "accepted; partitioned tables are not supported"},
    {"auto-compaction", SL_OPT_BOOL, false, "false", NULL,
     "accepted; there is nothing to compact"},
    {"compaction.file-size", SL_OPT_MEMSIZE, false, NULL, NULL,
     "accepted; there is nothing to compact"},
    {"sink.parallelism", SL_OPT_INT, false, NULL, NULL,
     "accepted; a sink runs on the loop thread"},
    {"lookup.join.cache.ttl", SL_OPT_DURATION, false, "60 min", NULL,
     "lookup joins: how long the loaded table serves before it is read again"},
    SL_FORMAT_CSV_OPTIONS,
    SL_FORMAT_JSON_OPTIONS,
    SL_FORMAT_DEBEZIUM_JSON_OPTIONS,
    SL_FORMAT_CANAL_JSON_OPTIONS,
    {NULL, 0, false, NULL, NULL, NULL},
};

static const char *format_of(const sl_options_t *o)
{
    return sl_options_str(o, "format", "");
}

/* The local path of the 'path' option: "file:///x" is "/x"; other URI
 * schemes (hdfs://, s3://) are refused by fs_validate. */
static const char *local_path(const sl_options_t *o)
{
    const char *p = sl_options_str(o, "path", "");
    return strncmp(p, "file://", 7) == 0 ? p + 7 : p;
}

static int make_format(const sl_conn_ctx_t *ctx, sl_format_t **out, sl_err_t *err)
{
    const char *fmt = format_of(ctx->opts);
    int rc = sl_format_check_foreign_options(fmt, ctx->opts, err);
    if (rc < 0) return rc;
    return sl_format_new(fmt, ctx->opts, ctx->ncols, ctx->names, ctx->types, out, err);
}

static int fs_validate(const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const sl_optval_t *fv = sl_options_get(ctx->opts, "format");
    if (fv && !sl_format_exists(fv->text))
        return sl_err_at(err, SL_EINVAL, fv->src ? fv->src->val_off : -1,
                         fv->src ? fv->src->val_len : 0,
                         "option 'format' expects one of %s, got '%s'",
                         sl_format_names(), fv->text);
    const sl_optval_t *mi = sl_options_get(ctx->opts, "source.monitor-interval");
    if (mi && mi->src)
        return sl_err_at(err, SL_EUNSUPPORTED, mi->src->key_off, mi->src->key_len,
                         "option 'source.monitor-interval' (a continuously "
                         "monitoring source) is not supported; the filesystem "
                         "source reads its files once");
    const sl_optval_t *p = sl_options_get(ctx->opts, "path");
    if (p && !local_path(ctx->opts)[0])
        return sl_err_at(err, SL_EINVAL, p->src ? p->src->val_off : -1,
                         p->src ? p->src->val_len : 0, "option 'path' is empty");
    const char *colon = p ? strstr(p->text, "://") : NULL;
    if (colon && strncmp(p->text, "file://", 7) != 0)
        return sl_err_at(err, SL_EUNSUPPORTED, p->src ? p->src->val_off : -1,
                         p->src ? p->src->val_len : 0,
                         "option 'path': only local files are supported ('%.*s' "
                         "is not a file:// URI)", (int)(colon - p->text + 3), p->text);
    sl_format_t *f;
    int rc = make_format(ctx, &f, err);
    if (rc == 0) sl_format_free(f);
    return rc;
}

/* ---- source ---- */

typedef struct fs_src {
    sl_format_t *fmt;
    char **files;              /* heap paths, in reading order */
    int nfiles, next_file;
    const char *cur;           /* file being read */
    int fd;                    /* -1 between files */
    char *buf;                 /* data at buf[start .. start + len) */
    size_t cap, start, len;
    bool eof;
    long long line;            /* line of the next record's start, 1-based */
    long long records;         /* records read so far (the position) */
    long long skip;            /* records still to skip (restored) */
} fs_src_t;

typedef struct file_list {
    char **v;
    int n, cap;
} file_list_t;

static int list_push(file_list_t *l, const char *path)
{
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, sizeof *nv * (size_t)nc);
        if (!nv) return -SL_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n] = strdup(path);
    if (!l->v[l->n]) return -SL_ENOMEM;
    l->n++;
    return 0;
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.' && d->d_name[0] != '_';
}

static int walk(file_list_t *l, const char *dir, int depth, sl_err_t *err)
{
    if (depth > 32)
        return sl_err_set(err, SL_EIO, "directory '%s' is nested too deeply", dir);
    struct dirent **ents;
    int n = scandir(dir, &ents, skip_hidden, cmp_names);
    if (n < 0)
        return sl_err_set(err, SL_EIO, "cannot list directory '%s': %s", dir,
                          strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0) {
            char *p = NULL;
            if (asprintf(&p, "%s/%s", dir, ents[i]->d_name) < 0) {
                rc = sl_err_set(err, SL_ENOMEM, "out of memory");
            } else {
                struct stat st;
                if (stat(p, &st) < 0)
                    rc = sl_err_set(err, SL_EIO, "cannot read '%s': %s", p,
                                    strerror(errno));
                else if (S_ISDIR(st.st_mode))
                    rc = walk(l, p, depth + 1, err);
                else if (S_ISREG(st.st_mode) && list_push(l, p) < 0)
                    rc = sl_err_set(err, SL_ENOMEM, "out of memory");
                free(p);
            }
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

static void close_file(fs_src_t *s)
{
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
    s->start = s->len = 0;
    s->eof = false;
}

/* Reads more of the current file into the buffer; a full buffer grows. */
static int fill(fs_src_t *s, sl_err_t *err)
{
    if (s->start > 0) {
        memmove(s->buf, s->buf + s->start, s->len);
        s->start = 0;
    }
    if (s->len == s->cap) {
        if (s->cap >= MAX_RECORD)
            return sl_err_set(err, SL_EFORMAT, "%s:%lld: record longer than %d MiB",
                              s->cur, s->line, MAX_RECORD >> 20);
        char *nb = realloc(s->buf, s->cap * 2);
        if (!nb) return sl_err_set(err, SL_ENOMEM, "out of memory");
        s->buf = nb;
        s->cap *= 2;
    }
    for (;;) {
        ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0)
            return sl_err_set(err, SL_EIO, "cannot read '%s': %s", s->cur,
                              strerror(errno));
        if (r == 0) s->eof = true;
        s->len += (size_t)r;
        return 0;
    }
}

static int fs_next(sl_source_t *src, sl_batch_t *out, int max_rows,
                   sl_err_t *err)
{
    fs_src_t *s = src->ctx;
    /* a record's rows are never split across batches, so a batch may end
     * up to (rows of one record - 1) past max_rows */
    while (out->nrows < max_rows) {
        if (s->fd < 0) {
            if (s->next_file >= s->nfiles) break;
            s->cur = s->files[s->next_file++];
            s->fd = open(s->cur, O_RDONLY | O_CLOEXEC);
            if (s->fd < 0)
                return sl_err_set(err, SL_EIO, "cannot open '%s': %s", s->cur,
                                  strerror(errno));
            s->line = 1;
            s->start = s->len = 0;
            s->eof = false;
        }
        size_t rl = s->len || s->eof
                        ? sl_format_record_len(s->fmt, s->buf + s->start, s->len, s->eof)
                        : 0;
        if (rl == 0) {
            if (s->eof) {
                close_file(s);
                continue;
            }
            int rc = fill(s, err);
            if (rc < 0) return rc;
            continue;
        }
        const char *rec = s->buf + s->start;
        int rc = 0;
        if (s->skip > 0) s->skip--; /* read before the checkpoint */
        else rc = sl_format_decode(s->fmt, rec, rl, out, err);
        s->records++;
        if (rc < 0) {
            char msg[SL_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return sl_err_set(err, -rc, "%s:%lld: cannot parse %s record: %s",
                              s->cur, s->line, s->fmt->ops->name, msg);
        }
        for (const char *p = rec; (p = memchr(p, '\n', (size_t)(rec + rl - p))); p++)
            s->line++;
        s->start += rl;
        s->len -= rl;
    }
    if (out->nrows == 0 && s->fd < 0 && s->next_file >= s->nfiles)
        return SL_SOURCE_END;
    return 0;
}

static void fs_wakeup(sl_source_t *src)
{
    (void)src;   /* reads of local files do not block for long */
}

static void fs_src_free(fs_src_t *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    for (int i = 0; i < s->nfiles; i++) free(s->files[i]);
    free(s->files);
    free(s->buf);
    sl_format_free(s->fmt);
    free(s);
}

static void fs_src_close(sl_source_t *src)
{
    fs_src_free(src->ctx);
    src->ctx = NULL;
}

/* The position: records read, in file order ("fs1 N"); a restored
 * source skips that many (the files are read again, not their rows). */
static int fs_position(sl_source_t *src, sl_strbuf_t *out)
{
    fs_src_t *s = src->ctx;
    return sl_strbuf_printf(out, "fs1 %lld", s->records);
}

static const sl_source_ops_t fs_source_ops = {
    .next = fs_next,
    .wakeup = fs_wakeup,
    .close = fs_src_close,
    .position = fs_position,
};

static int fs_source_new(const sl_conn_ctx_t *ctx, sl_source_t *out,
                         sl_err_t *err)
{
    int rc = fs_validate(ctx, err);
    if (rc < 0) return rc;
    const char *path = local_path(ctx->opts);
    fs_src_t *s = calloc(1, sizeof *s);
    if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
    s->fd = -1;
    rc = make_format(ctx, &s->fmt, err);
    if (rc < 0) goto done;
    struct stat st;
    if (stat(path, &st) < 0) {
        rc = sl_err_set(err, SL_EIO, "table '%s': cannot read path '%s': %s",
                        ctx->table ? ctx->table : "?", path, strerror(errno));
        goto done;
    }
    file_list_t l = {0};
    if (S_ISDIR(st.st_mode)) {
        rc = walk(&l, path, 0, err);
    } else if (list_push(&l, path) < 0) {
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    s->files = l.v;
    s->nfiles = l.n;
    if (rc < 0) goto done;
    s->cap = READ_BUF;
    s->buf = malloc(s->cap);
    if (!s->buf) {
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        goto done;
    }
    if (ctx->restore) {
        char pb[64];
        size_t pn = ctx->restore_len < sizeof pb - 1 ? ctx->restore_len : sizeof pb - 1;
        memcpy(pb, ctx->restore, pn);
        pb[pn] = 0;
        if (sscanf(pb, "fs1 %lld", &s->skip) != 1 || s->skip < 0) {
            rc = sl_err_set(err, SL_EFORMAT,
                            "table '%s': the checkpoint's position '%s' is not one of a "
                            "filesystem source",
                            ctx->table ? ctx->table : "?", pb);
            goto done;
        }
    }
    out->ops = &fs_source_ops;
    out->ctx = s;
    out->bounded = true;
    s = NULL;
done:
    fs_src_free(s);
    return rc;
}

/* ---- sink ---- */

typedef struct fs_sink {
    sl_format_t *fmt;
    int fd;
    char *file;                /* heap */
    sl_strbuf_t buf;           /* encoded, not yet written */
} fs_sink_t;

static int drain(fs_sink_t *k, sl_err_t *err)
{
    if (k->buf.len == 0) return 0;
    int rc = sl_write_full(k->fd, k->buf.buf, k->buf.len);
    if (rc < 0)
        return sl_err_set(err, SL_EIO, "cannot write '%s': %s", k->file,
                          strerror(-rc));
    sl_strbuf_clear(&k->buf);
    return 0;
}

static int fs_write(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err)
{
    fs_sink_t *k = snk->ctx;
    for (int r = 0; r < b->nrows; r++) {
        int rc = sl_format_encode(k->fmt, sl_batch_row(b, r), b->kinds[r],
                                  &k->buf, err);
        if (rc < 0) {
            char msg[SL_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return sl_err_set(err, -rc, "'%s': %s", k->file, msg);
        }
        if (k->buf.len >= WRITE_CHUNK) {
            rc = drain(k, err);
            if (rc < 0) return rc;
        }
    }
    return 0;
}

static int fs_flush(sl_sink_t *snk, sl_err_t *err)
{
    fs_sink_t *k = snk->ctx;
    int rc = drain(k, err);
    if (rc < 0) return rc;
    /* pipes and character devices cannot be synced: not an error */
    if (fdatasync(k->fd) < 0 && errno != EINVAL && errno != EROFS)
        return sl_err_set(err, SL_EIO, "cannot sync '%s': %s", k->file,
                          strerror(errno));
    return 0;
}

static void fs_sink_free(fs_sink_t *k)
{
    if (!k) return;
    if (k->fd >= 0) close(k->fd);
    sl_strbuf_destroy(&k->buf);
    sl_format_free(k->fmt);
    free(k->file);
    free(k);
}

static void fs_sink_close(sl_sink_t *snk)
{
    fs_sink_t *k = snk->ctx;
    if (!k) return;
    sl_err_t err;
    if (drain(k, &err) < 0) SL_LOG_ERROR("filesystem sink: %s", err.msg);
    fs_sink_free(k);
    snk->ctx = NULL;
}

static const sl_sink_ops_t fs_sink_ops = {
    .write = fs_write,
    .flush = fs_flush,
    .close = fs_sink_close,
};

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc < 0 && errno != EEXIST) return -1;
    }
    if (mkdir(path, 0755) < 0 && errno != EEXIST) return -1;
    return 0;
}

static int fs_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out, sl_err_t *err)
{
    int rc = fs_validate(ctx, err);
    if (rc < 0) return rc;
    const char *path = local_path(ctx->opts);
    fs_sink_t *k = calloc(1, sizeof *k);
    if (!k) return sl_err_set(err, SL_ENOMEM, "out of memory");
    k->fd = -1;
    sl_strbuf_init(&k->buf);
    rc = make_format(ctx, &k->fmt, err);
    if (rc < 0) goto done;
    size_t pl = strlen(path);
    struct stat st;
    bool dir = (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) ||
               (pl > 0 && path[pl - 1] == '/');
    if (dir) {
        char *d = strdup(path);
        if (!d) {
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
            goto done;
        }
        while (strlen(d) > 1 && d[strlen(d) - 1] == '/') d[strlen(d) - 1] = 0;
        int mrc = mkdirs(d);
        int e = errno;
        if (mrc == 0 && asprintf(&k->file, "%s/%s", d, PART_FILE) < 0) k->file = NULL;
        free(d);
        if (mrc < 0) {
            rc = sl_err_set(err, SL_EIO, "cannot create directory '%s': %s",
                            path, strerror(e));
            goto done;
        }
    } else {
        k->file = strdup(path);
    }
    if (!k->file) {
        rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        goto done;
    }
    k->fd = open(k->file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (k->fd < 0) {
        rc = sl_err_set(err, SL_EIO, "cannot open '%s' for writing: %s", k->file,
                        strerror(errno));
        goto done;
    }
    out->ops = &fs_sink_ops;
    out->ctx = k;
    out->upsert = false;
    out->changelog = k->fmt->ops->changelog;
    out->flush_on_checkpoint = true;
    k = NULL;
done:
    fs_sink_free(k);
    return rc;
}

/* ---- lookup (Flink's FileSystemLookupFunction): the whole table is read
 * into memory, indexed by the key columns, and read again once
 * 'lookup.join.cache.ttl' has passed (on the next query). Insert-only
 * formats only. The lookup operator calls query() on its worker thread. */

typedef struct fs_lookup {
    sl_conn_ctx_t ctx;
    int *keys;
    int nk;
    int64_t ttl_ms, loaded_ms;
    bool loaded;
    sl_batch_t rows;           /* the table */
    sl_hmap_t idx;             /* key -> first row (int in heads) */
    int *next, *heads;
    int cap;
    sl_arena_t keys_arena;
    sl_strbuf_t kb;
} fs_lookup_t;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fs_key(fs_lookup_t *f, const sl_value_t *v, int stride_key, sl_err_t *err)
{
    sl_strbuf_clear(&f->kb);
    for (int k = 0; k < f->nk; k++) {
        const sl_value_t *x = stride_key ? &v[k] : &v[f->keys[k]];
        if (x->null) return 1;
        if (sl_key_encode(&f->kb, x, f->ctx.types[f->keys[k]]))
            return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    return 0;
}

/* Reads the whole table and indexes it. */
static int fs_lookup_load(fs_lookup_t *f, sl_err_t *err)
{
    sl_source_t src;
    memset(&src, 0, sizeof src);
    int rc = fs_source_new(&f->ctx, &src, err);
    if (rc) return rc;
    sl_batch_t tmp;
    if (sl_batch_init(&tmp, f->ctx.ncols, 0)) {
        src.ops->close(&src);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    sl_batch_reset(&f->rows);
    for (;;) {
        sl_batch_reset(&tmp);
        rc = src.ops->next(&src, &tmp, 4096, err);
        if (rc < 0) break;
        for (int r = 0; r < tmp.nrows; r++) {
            sl_value_t *o = sl_batch_add(&f->rows, SL_INSERT);
            const sl_value_t *in = sl_batch_row(&tmp, r);
            if (!o) goto oom;
            for (int c = 0; c < f->ctx.ncols; c++)
                if (sl_batch_set(&f->rows, &o[c], &in[c], f->ctx.types[c])) goto oom;
        }
        if (rc == SL_SOURCE_END) {
            rc = 0;
            break;
        }
    }
    sl_batch_destroy(&tmp);
    src.ops->close(&src);
    if (rc) return rc;
    /* Index: rows of one key chained in file order. */
    sl_hmap_clear(&f->idx);
    sl_arena_reset(&f->keys_arena);
    int n = f->rows.nrows;
    if (n > f->cap) {
        int *nx = realloc(f->next, (size_t)n * sizeof *nx);
        if (nx) f->next = nx;
        int *hd = nx ? realloc(f->heads, (size_t)n * sizeof *hd) : NULL;
        if (hd) f->heads = hd;
        if (!nx || !hd) return sl_err_set(err, SL_ENOMEM, "out of memory");
        f->cap = n;
    }
    for (int r = n - 1; r >= 0; r--) {
        f->next[r] = -1;
        int k = fs_key(f, sl_batch_row(&f->rows, r), 0, err);
        if (k < 0) return k;
        if (k > 0) continue;
        int *h = sl_hmap_get(&f->idx, f->kb.buf, f->kb.len);
        if (h) {
            f->next[r] = *h;
            *h = r;
        } else {
            void *key = sl_arena_memdup(&f->keys_arena, f->kb.buf, f->kb.len);
            f->heads[r] = r;
            if (!key || sl_hmap_put(&f->idx, key, f->kb.len, &f->heads[r]))
                return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    }
    f->loaded = true;
    f->loaded_ms = mono_ms();
    return 0;
oom:
    sl_batch_destroy(&tmp);
    src.ops->close(&src);
    return sl_err_set(err, SL_ENOMEM, "out of memory");
}

static int fs_lookup_query(sl_lookup_t *lk, const sl_value_t *keys, int nkeys, sl_batch_t *out,
                           sl_err_t *err)
{
    fs_lookup_t *f = lk->ctx;
    if (!f->loaded || (f->ttl_ms > 0 && mono_ms() - f->loaded_ms >= f->ttl_ms)) {
        int rc = fs_lookup_load(f, err);
        if (rc) return rc;
    }
    for (int i = 0; i < nkeys; i++) {
        int k = fs_key(f, &keys[(size_t)i * (size_t)f->nk], 1, err);
        if (k < 0) return k;
        if (k > 0) continue;
        int *h = sl_hmap_get(&f->idx, f->kb.buf, f->kb.len);
        for (int r = h ? *h : -1; r >= 0; r = f->next[r]) {
            sl_value_t *o = sl_batch_add(out, SL_INSERT);
            const sl_value_t *in = sl_batch_row(&f->rows, r);
            if (!o) return sl_err_set(err, SL_ENOMEM, "out of memory");
            for (int c = 0; c < f->ctx.ncols; c++)
                if (sl_batch_set(out, &o[c], &in[c], f->ctx.types[c]))
                    return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static void fs_lookup_close(sl_lookup_t *lk)
{
    fs_lookup_t *f = lk->ctx;
    if (!f) return;
    sl_batch_destroy(&f->rows);
    sl_hmap_destroy(&f->idx);
    sl_arena_destroy(&f->keys_arena);
    sl_strbuf_destroy(&f->kb);
    free(f->next);
    free(f->heads);
    free(f->keys);
    free(f);
    lk->ctx = NULL;
}

static const sl_lookup_ops_t fs_lookup_ops = {fs_lookup_query, fs_lookup_close};

static int fs_lookup_new(const sl_conn_ctx_t *ctx, const int *key_cols, int nk,
                         sl_lookup_t *out, sl_err_t *err)
{
    int rc = fs_validate(ctx, err);
    if (rc < 0) return rc;
    const char *fmt = sl_options_str(ctx->opts, "format", "");
    if (sl_format_is_changelog(fmt))
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "table '%s': a lookup join reads an insert-only table; format '%s' "
                          "is a changelog (use csv or json, or a jdbc table)",
                          ctx->table ? ctx->table : "?", fmt);
    fs_lookup_t *f = calloc(1, sizeof *f);
    if (!f) return sl_err_set(err, SL_ENOMEM, "out of memory");
    f->ctx = *ctx;
    f->nk = nk;
    f->keys = malloc((size_t)nk * sizeof *f->keys);
    sl_arena_init(&f->keys_arena, 0);
    if (!f->keys || sl_batch_init(&f->rows, ctx->ncols, 0) || sl_hmap_init(&f->idx, 64)) {
        out->ctx = f;
        fs_lookup_close(out);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    memcpy(f->keys, key_cols, (size_t)nk * sizeof *f->keys);
    f->ttl_ms = sl_options_int(ctx->opts, "lookup.join.cache.ttl", 3600000);
    out->ops = &fs_lookup_ops;
    out->ctx = f;
    return 0;
}

const sl_connector_type_t sl_filesystem_connector = {
    .name = "filesystem",
    .roles = SL_CONN_SOURCE | SL_CONN_SINK | SL_CONN_LOOKUP,
    .options = fs_options,
    .validate = fs_validate,
    .source_new = fs_source_new,
    .sink_new = fs_sink_new,
    .lookup_new = fs_lookup_new,
};
