/* format.c - the list of formats and the helpers they share: record
 * splitting by lines, full writes, base64, temporal text. */
#include "connectors/formats/format.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/fn.h"
#include "util/time.h"

typedef struct format_entry {
    const char *name;
    bool changelog;
    int (*init)(sl_format_t *f, const sl_options_t *opts, sl_err_t *err);
} format_entry_t;

static const format_entry_t formats[] = {
    {"csv", false, sl_csv_format_new},
    {"json", false, sl_json_format_new},
    {"debezium-json", true, sl_debezium_format_new},
    {"canal-json", true, sl_canal_format_new},
};

#define NFORMATS (sizeof formats / sizeof formats[0])

static const format_entry_t *find(const char *name)
{
    for (size_t i = 0; name && i < NFORMATS; i++)
        if (strcmp(formats[i].name, name) == 0) return &formats[i];
    return NULL;
}

bool sl_format_exists(const char *name)
{
    return find(name) != NULL;
}

bool sl_format_is_changelog(const char *name)
{
    const format_entry_t *e = find(name);
    return e && e->changelog;
}

const char *sl_format_names(void)
{
    return "csv, json, debezium-json, canal-json";
}

int sl_format_new(const char *name, const sl_options_t *opts, int ncols,
                  const char *const *names, const sl_type_t *const *types,
                  sl_format_t **out, sl_err_t *err)
{
    *out = NULL;
    const format_entry_t *e = find(name);
    if (!e)
        return sl_err_set(err, SL_EINVAL, "unknown format '%s'; formats: %s",
                          name ? name : "", sl_format_names());
    sl_format_t *f = calloc(1, sizeof *f);
    if (!f) return sl_err_set(err, SL_ENOMEM, "out of memory");
    f->ncols = ncols;
    f->names = names;
    f->types = types;
    sl_arena_init(&f->scratch, 0);
    int rc = e->init(f, opts, err);
    if (rc < 0) {
        sl_format_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

void sl_format_free(sl_format_t *f)
{
    if (!f) return;
    if (f->ops && f->ops->destroy) f->ops->destroy(f);
    else free(f->cfg);
    sl_arena_destroy(&f->scratch);
    free(f);
}

int sl_format_check_foreign_options(const char *name, const sl_options_t *opts,
                                    sl_err_t *err)
{
    for (int i = 0; i < opts->n; i++) {
        const sl_optval_t *v = &opts->v[i];
        if (!v->src) continue;               /* a default */
        for (size_t k = 0; k < NFORMATS; k++) {
            size_t l = strlen(formats[k].name);
            if (strncmp(v->key, formats[k].name, l) != 0 || v->key[l] != '.')
                continue;
            if (strcmp(formats[k].name, name) == 0) break;
            return sl_err_at(err, SL_EINVAL, v->src->key_off, v->src->key_len,
                             "option '%s' belongs to format '%s', but the "
                             "table's format is '%s'",
                             v->key, formats[k].name, name);
        }
    }
    return 0;
}

/* ---- records ---- */

size_t sl_format_line_len(const sl_format_t *f, const char *buf, size_t n,
                          bool eof)
{
    (void)f;
    const char *nl = memchr(buf, '\n', n);
    if (nl) return (size_t)(nl - buf) + 1;
    return eof ? n : 0;
}

/* ---- output ---- */

int sl_write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* a non-blocking stdout (a pipe shared with a terminal
                 * program): wait until it drains */
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                if (poll(&pfd, 1, -1) < 0 && errno != EINTR) return -errno;
                continue;
            }
            return -errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- base64 ---- */

int sl_format_base64(sl_strbuf_t *sb, const void *p, size_t n)
{
    int rc = sl_strbuf_reserve(sb, (n + 2) / 3 * 4 + 1);
    if (rc < 0) return rc;
    sb->len += sl_base64_encode(p, n, sb->buf + sb->len);
    sb->buf[sb->len] = 0;
    return 0;
}

/* ---- temporal text ---- */

/* Cuts the fraction of "...ss.fffffffff" to the digits needed. */
static int trim_fraction(char *buf, int len)
{
    char *dot = memchr(buf, '.', (size_t)len);
    if (!dot) return len;
    while (len > 0 && buf[len - 1] == '0') len--;
    if (&buf[len - 1] == dot) len--;
    buf[len] = 0;
    return len;
}

int sl_format_time_text(sl_time_t t, char *buf, size_t cap)
{
    int n = sl_time_format(t, 9, buf, cap);
    if (n < 0) return n;
    return trim_fraction(buf, n);
}

int sl_format_timestamp_text(sl_timestamp_t ts, char sep, bool zulu,
                             char *buf, size_t cap)
{
    if (cap < SL_TIMESTAMP_STRLEN + 2) return -SL_ERANGE;
    int n = sl_timestamp_format(ts, 9, buf, cap);
    if (n < 0) return n;
    n = trim_fraction(buf, n);
    char *sp = memchr(buf, ' ', (size_t)n);
    if (sp) *sp = sep;
    if (zulu) {
        buf[n++] = 'Z';
        buf[n] = 0;
    }
    return n;
}

int sl_format_parse_timestamp(const char *s, size_t n, char sep, bool zulu,
                              int precision, sl_timestamp_t *out)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    while (n > 0 && (*s == ' ' || *s == '\t')) { s++; n--; }
    if (zulu) {
        if (n == 0 || (s[n - 1] != 'Z' && s[n - 1] != 'z')) return -SL_EFORMAT;
        n--;
    }
    /* the date ends at the first ' ' or 'T' */
    size_t i = 0;
    while (i < n && s[i] != ' ' && s[i] != 'T' && s[i] != 't') i++;
    if (i == n) return -SL_EFORMAT;
    char c = s[i] == 't' ? 'T' : s[i];
    if (c != sep) return -SL_EFORMAT;
    if (precision < 0 || precision > 9) precision = 9;
    int rc = sl_timestamp_parse(s, n, precision, out);
    return rc < 0 ? -SL_EFORMAT : 0;
}

int sl_format_option_char(const char *t)
{
    size_t n = strlen(t);
    if (n == 1) return (unsigned char)t[0];
    if (n < 2 || t[0] != '\\') return -1;
    if (n == 2) {
        switch (t[1]) {
        case 't': return '\t';
        case 'n': return '\n';
        case 'r': return '\r';
        case 'b': return '\b';
        case 'f': return '\f';
        case '0': return 0;
        case '\\': return '\\';
        case '\'': return '\'';
        case '"': return '"';
        default: return -1;
        }
    }
    if (t[1] == 'u' && n == 6) {
        unsigned v = 0;
        for (int i = 2; i < 6; i++) {
            char c = t[i];
            int d = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return -1;
            v = v * 16 + (unsigned)d;
        }
        /* one byte of the record: the ASCII range only */
        return v < 0x80 ? (int)v : -1;
    }
    if (n <= 4) {   /* octal \NNN, as Java's unescape */
        unsigned v = 0;
        for (size_t i = 1; i < n; i++) {
            if (t[i] < '0' || t[i] > '7') return -1;
            v = v * 8 + (unsigned)(t[i] - '0');
        }
        return v < 0x80 ? (int)v : -1;
    }
    return -1;
}
