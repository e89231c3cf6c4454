/* log.c - leveled, thread-safe line logging; see log.h. */
#include "util/log.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

_Atomic int sl__log_level = SL_LOG_LEVEL_INFO;
static _Atomic int log_fd = 2;
static _Thread_local char log_prefix[SL_LOG_PREFIX_MAX];

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG",
                                          "TRACE"};

void sl_log_set_level(int level)
{
    if (level < SL_LOG_LEVEL_ERROR) level = SL_LOG_LEVEL_ERROR;
    if (level > SL_LOG_LEVEL_TRACE) level = SL_LOG_LEVEL_TRACE;
    atomic_store_explicit(&sl__log_level, level, memory_order_relaxed);
}

int sl_log_get_level(void)
{
    return atomic_load_explicit(&sl__log_level, memory_order_relaxed);
}

int sl_log_level_from_name(const char *name)
{
    if (!name) return -SL_EINVAL;
    for (int i = SL_LOG_LEVEL_ERROR; i <= SL_LOG_LEVEL_TRACE; i++)
        if (strcasecmp(name, level_names[i]) == 0) return i;
    if (strcasecmp(name, "warning") == 0) return SL_LOG_LEVEL_WARN;
    return -SL_EINVAL;
}

const char *sl_log_level_name(int level)
{
    if (level < SL_LOG_LEVEL_ERROR || level > SL_LOG_LEVEL_TRACE) return "?";
    return level_names[level];
}

void sl_log_set_prefix(const char *prefix)
{
    if (!prefix) prefix = "";
    size_t n = strlen(prefix);
    if (n > sizeof log_prefix - 1) n = sizeof log_prefix - 1;
    memcpy(log_prefix, prefix, n);
    log_prefix[n] = '\0';
}

const char *sl_log_get_prefix(void)
{
    return log_prefix;
}

int sl_log_set_fd(int fd)
{
    return atomic_exchange(&log_fd, fd);
}

/* Appends at most what fits, keeping room for the final newline. */
static size_t put(char *line, size_t len, const char *s, size_t n)
{
    size_t room = SL_LOG_LINE_MAX - 1 - len;
    if (n > room) n = room;
    memcpy(line + len, s, n);
    return len + n;
}

void sl_log_vwrite(int level, const char *fmt, va_list ap)
{
    int saved_errno = errno;   /* logging must not disturb the caller's errno */
    char line[SL_LOG_LINE_MAX];
    size_t len = 0;

    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
                     sl_log_level_name(level));
    len = n > 0 ? (size_t)n : 0;
    if (log_prefix[0]) {
        len = put(line, len, "[", 1);
        len = put(line, len, log_prefix, strlen(log_prefix));
        len = put(line, len, "] ", 2);
    }

    size_t room = SL_LOG_LINE_MAX - 1 - len;   /* bytes before the newline */
    n = vsnprintf(line + len, room + 1, fmt, ap);
    if (n < 0) n = 0;
    if ((size_t)n > room) {
        len += room;
        memcpy(line + len - 3, "...", 3);
    } else {
        len += (size_t)n;
        if (len && line[len - 1] == '\n') len--;
    }
    line[len++] = '\n';

    int fd = atomic_load_explicit(&log_fd, memory_order_relaxed);
    const char *p = line;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            break;   /* nowhere to report a failed log write */
        }
        p += w;
        len -= (size_t)w;
    }
    errno = saved_errno;
}

void sl_log_write(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_log_vwrite(level, fmt, ap);
    va_end(ap);
}
