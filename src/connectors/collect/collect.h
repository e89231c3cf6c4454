/* collect.h - the 'sluice-collect' sink: the rows of a bare SELECT, kept
 * for the shell (sl_session_fetch) instead of written anywhere, as Flink's
 * collect sink feeds its SQL client.
 *
 * A collector is created by the session before the query's job starts and
 * registered under an id; the job's sink ('collector' = id) finds it and
 * appends every change (its kind and its values rendered as Flink's client
 * prints them) under the collector's lock. Changes are numbered from 0;
 * the reader fetches from a token and thereby acknowledges everything
 * before it, which is then dropped. Past SL_COLLECT_MAX_PENDING unread
 * changes the sink reports itself full, so a query nobody reads stops its
 * sources instead of filling memory.
 *
 * Memory: changes live in one growing buffer per collector (no allocation
 * per row); the collector is owned by whoever created it (the session),
 * which frees it only after the job that writes into it has ended.
 */
#ifndef SL_CONNECTORS_COLLECT_H
#define SL_CONNECTORS_COLLECT_H

#include <stdbool.h>
#include <stdint.h>

#include "connectors/connector.h"

#define SL_COLLECT_MAX_PENDING 20000

extern const sl_connector_type_t sl_collect_connector;

typedef struct sl_collector sl_collector_t;

/* A collector registered under id (copied); NULL when out of memory. */
sl_collector_t *sl_collector_new(const char *id);
/* Unregisters and frees it (its job must have ended). */
void sl_collector_free(sl_collector_t *c);
/* The job ended: err (NULL for success) is what the reader sees. */
void sl_collector_end(sl_collector_t *c, const char *err);

/* One fetched change: kind ("+I"...) and ncols values (NULL for SQL NULL),
 * pointing into the collector until the next fetch. */
typedef struct sl_collected {
    const char *op;
    int ncols;
    const char **vals;
} sl_collected_t;

/* Calls fn for each change numbered token.., at most max, waiting up to
 * wait_ms for the first. Changes below token are acknowledged (dropped).
 * *next is the token after the last change given; *ended tells whether
 * the job ended and every change has been given; *errbuf gets the job's
 * error (empty if none). Returns the number of changes given, or
 * -SL_ENOMEM. Runs fn under the collector's lock: fn must not block. */
int sl_collector_fetch(sl_collector_t *c, uint64_t token, int max, int wait_ms,
                       void (*fn)(void *arg, const sl_collected_t *row), void *arg,
                       uint64_t *next, bool *ended, char *errbuf, size_t errcap);

#endif
