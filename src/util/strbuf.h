/* strbuf.h - growable byte string, always NUL-terminated.
 *
 * Owns its heap buffer (free with sl_strbuf_destroy). Appends report
 * allocation failure by returning -SL_ENOMEM; after a failure the buffer
 * keeps its previous contents and stays usable.
 */
#ifndef SL_UTIL_STRBUF_H
#define SL_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct sl_strbuf {
    char *buf;      /* heap, NUL-terminated when cap > 0 */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
} sl_strbuf_t;

#define SL_STRBUF_INIT {NULL, 0, 0}

void sl_strbuf_init(sl_strbuf_t *sb);
void sl_strbuf_destroy(sl_strbuf_t *sb);
void sl_strbuf_clear(sl_strbuf_t *sb);           /* len = 0, keeps memory */
int sl_strbuf_reserve(sl_strbuf_t *sb, size_t extra);

/* Appends are inline: serialisers (JSON documents, SQL statements) call
 * them per value, and the common case is a copy into spare capacity. */
static inline int sl_strbuf_append(sl_strbuf_t *sb, const void *p, size_t n)
{
    if (sb->len + n + 1 > sb->cap || sb->len + n < sb->len) {
        int rc = sl_strbuf_reserve(sb, n);
        if (rc) return rc;
    }
    if (n) memcpy(sb->buf + sb->len, p, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

static inline int sl_strbuf_puts(sl_strbuf_t *sb, const char *s)
{
    return sl_strbuf_append(sb, s, strlen(s));
}

static inline int sl_strbuf_putc(sl_strbuf_t *sb, char c)
{
    if (sb->len + 2 > sb->cap) {
        int rc = sl_strbuf_reserve(sb, 1);
        if (rc) return rc;
    }
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
    return 0;
}
int sl_strbuf_printf(sl_strbuf_t *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sl_strbuf_vprintf(sl_strbuf_t *sb, const char *fmt, va_list ap);
/* The contents ("" when empty; never NULL). */
const char *sl_strbuf_cstr(const sl_strbuf_t *sb);
/* Hands the heap buffer to the caller (who frees it) and empties sb.
 * Returns NULL if nothing was ever allocated and allocation fails. */
char *sl_strbuf_detach(sl_strbuf_t *sb);

#endif
