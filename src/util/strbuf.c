/* strbuf.c - growable string buffer; see strbuf.h. */
#include "util/strbuf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sl_strbuf_init(sl_strbuf_t *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->cap = 0;
}

void sl_strbuf_destroy(sl_strbuf_t *sb)
{
    free(sb->buf);
    sl_strbuf_init(sb);
}

void sl_strbuf_clear(sl_strbuf_t *sb)
{
    sb->len = 0;
    if (sb->buf) sb->buf[0] = '\0';
}

int sl_strbuf_reserve(sl_strbuf_t *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need < sb->len) return -SL_ENOMEM;
    if (need <= sb->cap) return 0;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need) {
        if (cap > ((size_t)-1) / 2) { cap = need; break; }
        cap *= 2;
    }
    char *p = realloc(sb->buf, cap);
    if (!p) return -SL_ENOMEM;
    sb->buf = p;
    sb->cap = cap;
    return 0;
}

int sl_strbuf_vprintf(sl_strbuf_t *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return -SL_EINVAL;
    if (sl_strbuf_reserve(sb, (size_t)n)) return -SL_ENOMEM;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return 0;
}

int sl_strbuf_printf(sl_strbuf_t *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sl_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

const char *sl_strbuf_cstr(const sl_strbuf_t *sb)
{
    return sb->buf ? sb->buf : "";
}

char *sl_strbuf_detach(sl_strbuf_t *sb)
{
    if (!sb->buf && sl_strbuf_reserve(sb, 0)) return NULL;
    char *p = sb->buf;
    sl_strbuf_init(sb);
    return p;
}
