/* sdnotify.h - systemd's notification protocol (sd_notify(3)), written
 * here so that sluice needs no libsystemd: one datagram per message to the
 * AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an abstract name when
 * it starts with '@'). Without $NOTIFY_SOCKET every call does nothing. */
#ifndef SL_SERVER_SDNOTIFY_H
#define SL_SERVER_SDNOTIFY_H

#include <stdint.h>

/* Sends "READY=1", "STATUS=...", "WATCHDOG=1", "RELOADING=1\nMONOTONIC_USEC=..."
 * or "STOPPING=1". 1 sent, 0 no socket, -errno on failure. */
int sl_sd_notify(const char *state);
/* printf-style. */
int sl_sd_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The watchdog interval asked by $WATCHDOG_USEC (for this process, when
 * $WATCHDOG_PID is unset or ours), in microseconds; 0 when none. */
uint64_t sl_sd_watchdog_usec(void);

#endif
