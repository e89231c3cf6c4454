/* state.h - keyed operator state: ordered maps of byte keys to byte values.
 *
 * A job opens one state backend; each stateful operator asks it for a named
 * table (its namespace). Keys are memcomparable encodings of SQL values
 * (state/codec.h), so byte order is SQL order and the same bytes serve the
 * in-memory backend and RocksDB (a later issue). Tables support point
 * get/put/delete, prefix iteration in key order, and optional time-to-live.
 *
 * Threading: a backend and its tables are used from the loop thread only.
 * Memory: the backend owns everything it stores (copies of keys and
 * values). A pointer returned by get or an iterator stays valid until the
 * next write to that table.
 */
#ifndef SL_STATE_STATE_H
#define SL_STATE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct sl_state sl_state_t;        /* a backend instance */
typedef struct sl_kv sl_kv_t;              /* one named table of it */
typedef struct sl_kv_iter sl_kv_iter_t;

/* The in-memory backend ("hashmap" in Flink's terms). */
sl_state_t *sl_state_memory_new(void);
void sl_state_free(sl_state_t *st);
/* Bytes of keys and values held, for metrics and memory limits. */
size_t sl_state_bytes(const sl_state_t *st);

/* Returns the table called name, creating it on first use; NULL when out of
 * memory. ttl_ms > 0 makes entries expire ttl_ms after their last write
 * (Flink's table.exec.state.ttl, OnCreateAndWrite); the clock is advanced by
 * sl_state_set_time(). */
sl_kv_t *sl_state_table(sl_state_t *st, const char *name, int64_t ttl_ms);
/* The current processing time (ms) used for TTL. */
void sl_state_set_time(sl_state_t *st, int64_t now_ms);

/* 0 and *val/*vlen set; -SL_ENOTFOUND when absent or expired. */
int sl_kv_get(sl_kv_t *kv, const void *key, size_t klen, const void **val,
              size_t *vlen);
/* Inserts or replaces (copies both). 0 or -SL_ENOMEM. */
int sl_kv_put(sl_kv_t *kv, const void *key, size_t klen, const void *val,
              size_t vlen);
/* 0, or -SL_ENOTFOUND when absent. */
int sl_kv_del(sl_kv_t *kv, const void *key, size_t klen);
size_t sl_kv_count(const sl_kv_t *kv);
/* Drops every entry whose TTL has passed; returns how many. */
size_t sl_kv_expire(sl_kv_t *kv);

/* Iterates keys starting with prefix (plen may be 0), ascending. The
 * iterator must be freed before the next write to the table. */
sl_kv_iter_t *sl_kv_iter_new(sl_kv_t *kv, const void *prefix, size_t plen);
/* 1 and the entry; 0 at the end. */
int sl_kv_iter_next(sl_kv_iter_t *it, const void **key, size_t *klen,
                    const void **val, size_t *vlen);
void sl_kv_iter_free(sl_kv_iter_t *it);

/* The first entry >= key within prefix (seek), for MIN/MAX: same contract
 * as an iterator positioned there. */
sl_kv_iter_t *sl_kv_iter_seek(sl_kv_t *kv, const void *prefix, size_t plen,
                              const void *key, size_t klen);
/* The last entry with the prefix (for MAX): 1 and the entry, 0 if none. */
int sl_kv_last(sl_kv_t *kv, const void *prefix, size_t plen, const void **key,
               size_t *klen, const void **val, size_t *vlen);

#endif
