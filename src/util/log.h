/* log.h - leveled logging to stderr, one line per call.
 *
 * Each line reads `2026-11-23T13:00:00.123Z WARN [prefix] message`: the UTC
 * wall-clock time in milliseconds, the level, the calling thread's prefix
 * (omitted when unset) and the message. A line is built in a stack buffer
 * (messages longer than SL_LOG_LINE_MAX are cut and end in "...") and handed
 * to the kernel with a single write(), so lines from different threads never
 * interleave. No allocation happens on the logging path.
 *
 * The SL_LOG_* macros test the level before evaluating their arguments, so a
 * disabled DEBUG line costs one relaxed atomic load:
 *
 *     SL_LOG_DEBUG("row %zu: %s", i, expensive_describe(row));
 *
 * The level and the output fd are process-wide; the prefix is per thread.
 */
#ifndef SL_UTIL_LOG_H
#define SL_UTIL_LOG_H

#include <stdarg.h>
#include <stdatomic.h>

enum {
    SL_LOG_LEVEL_ERROR = 0,
    SL_LOG_LEVEL_WARN,
    SL_LOG_LEVEL_INFO,
    SL_LOG_LEVEL_DEBUG,
    SL_LOG_LEVEL_TRACE
};

#define SL_LOG_LINE_MAX 4096    /* bytes in one line, newline included */
#define SL_LOG_PREFIX_MAX 64    /* prefix bytes kept, NUL included */

/* Current level; read through sl_log_enabled. Default SL_LOG_LEVEL_INFO. */
extern _Atomic int sl__log_level;

static inline int sl_log_enabled(int level)
{
    return level <= atomic_load_explicit(&sl__log_level, memory_order_relaxed);
}

#define SL_LOG_AT(level, ...)                                              \
    do {                                                                   \
        if (sl_log_enabled(level)) sl_log_write((level), __VA_ARGS__);     \
    } while (0)

#define SL_LOG_ERROR(...) SL_LOG_AT(SL_LOG_LEVEL_ERROR, __VA_ARGS__)
#define SL_LOG_WARN(...)  SL_LOG_AT(SL_LOG_LEVEL_WARN, __VA_ARGS__)
#define SL_LOG_INFO(...)  SL_LOG_AT(SL_LOG_LEVEL_INFO, __VA_ARGS__)
#define SL_LOG_DEBUG(...) SL_LOG_AT(SL_LOG_LEVEL_DEBUG, __VA_ARGS__)
#define SL_LOG_TRACE(...) SL_LOG_AT(SL_LOG_LEVEL_TRACE, __VA_ARGS__)

/* Sets the process-wide level (clamped to ERROR..TRACE). Any thread. */
void sl_log_set_level(int level);
int sl_log_get_level(void);
/* "error", "warn"/"warning", "info", "debug", "trace" (any case) to a level,
 * or -SL_EINVAL for anything else (including NULL). */
int sl_log_level_from_name(const char *name);
/* "ERROR" ... "TRACE"; "?" for an unknown level. Static storage. */
const char *sl_log_level_name(int level);

/* Sets the calling thread's prefix (copied; cut to SL_LOG_PREFIX_MAX - 1
 * bytes). NULL or "" removes it. */
void sl_log_set_prefix(const char *prefix);
/* The calling thread's prefix, "" when unset. Thread-local storage. */
const char *sl_log_get_prefix(void);

/* Sends lines to fd instead of 2 (stderr); the caller keeps ownership of fd.
 * Meant for tests and daemon setup; returns the previous fd. */
int sl_log_set_fd(int fd);

/* Writes one line unconditionally (the macros check the level first). A
 * trailing newline in the message is dropped; one is always appended. */
void sl_log_write(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sl_log_vwrite(int level, const char *fmt, va_list ap);

#endif
