/* state.h - keyed operator state: ordered maps of byte keys to byte values.
 *
 * A job opens one state backend; each stateful operator asks it for a named
 * table (its namespace). Keys are memcomparable encodings of SQL values
 * (state/codec.h), so byte order is SQL order and the same bytes serve the
 * in-memory backend (state/memory.c) and RocksDB (state/rocksdb.c). Tables
 * support point get/put/delete, prefix iteration in key order, and optional
 * time-to-live. Writes are grouped in steps (sl_state_begin/commit); a
 * checkpoint snapshots the state between steps (sl_state_snapshot).
 *
 * Threading: a backend and its tables are used from the loop thread only.
 * Memory: the backend owns everything it stores (copies of keys and
 * values). A pointer returned by get or an iterator stays valid until the
 * next write to that table or the step's commit, whichever comes first.
 */
#ifndef SL_STATE_STATE_H
#define SL_STATE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct sl_state sl_state_t;        /* a backend instance */
typedef struct sl_kv sl_kv_t;              /* one named table of it */
typedef struct sl_kv_iter sl_kv_iter_t;

/* The in-memory backend ("hashmap" in Flink's terms): one B+tree per table,
 * entries packed in size-class slabs (state/memory.c). NULL when out of
 * memory. */
sl_state_t *sl_state_memory_new(void);
void sl_state_free(sl_state_t *st);
/* Bytes of keys and values held, for metrics and memory limits. */
size_t sl_state_bytes(const sl_state_t *st);
/* Bytes the backend has allocated for them: slabs (including freed slots
 * kept for reuse), tree nodes, bookkeeping. Always >= sl_state_bytes. */
size_t sl_state_footprint(const sl_state_t *st);
/* The backend's name: "memory", "rocksdb". */
const char *sl_state_backend(const sl_state_t *st);

/* Returns the table called name, creating it on first use; NULL when out of
 * memory. ttl_ms > 0 makes entries expire ttl_ms after their last write
 * (Flink's table.exec.state.ttl, OnCreateAndWrite); the clock is advanced by
 * sl_state_set_time(). */
sl_kv_t *sl_state_table(sl_state_t *st, const char *name, int64_t ttl_ms);
/* The current processing time (ms) used for TTL. Time never goes back: a
 * value below the current one is ignored (so the write order of a table is
 * also its expiry order). */
void sl_state_set_time(sl_state_t *st, int64_t now_ms);

/* 0 and *val, *vlen set (either may be NULL); -SL_ENOTFOUND when absent
 * or expired. */
int sl_kv_get(sl_kv_t *kv, const void *key, size_t klen, const void **val,
              size_t *vlen);
/* Inserts or replaces (copies both) and restarts the entry's TTL. 0,
 * -SL_ENOMEM (nothing written), or -SL_EINVAL for a key or value of 4 GiB
 * or more. */
int sl_kv_put(sl_kv_t *kv, const void *key, size_t klen, const void *val,
              size_t vlen);
/* 0, or -SL_ENOTFOUND when absent (an expired entry is dropped and counts
 * as absent). Never fails for want of memory. */
int sl_kv_del(sl_kv_t *kv, const void *key, size_t klen);
/* Entries stored, including expired ones sl_kv_expire has not dropped yet. */
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

/* Write batches. The job brackets every step that moves rows through the
 * operators (one input batch, one mini-batch flush, one TTL sweep) with
 * begin/commit, so a backend can apply the step's writes together (RocksDB:
 * one WriteBatch per step instead of a write per put) and a checkpoint
 * always falls between two steps, never inside one. Within a batch, reads
 * and iterators see the batch's own writes. Batches do not nest: begin
 * inside a batch is -SL_EINVAL. commit returns 0 or a negative -SL_E* code
 * with err filled (an I/O error of the backend); the memory backend writes
 * in place and only tracks the bracket. */
int sl_state_begin(sl_state_t *st, sl_err_t *err);
int sl_state_commit(sl_state_t *st, sl_err_t *err);
/* Whether a write batch is open. */
int sl_state_in_batch(const sl_state_t *st);

/* ---- checkpoints ---------------------------------------------------------
 * A checkpoint stores each backend's snapshot in a directory of its own; a
 * restarted job builds its state from the last complete one (memory:
 * sl_state_memory_restore; RocksDB: sl_state_rocksdb_open with from, see
 * state/rocksdb.h). A snapshot holds every table with its TTL, each entry
 * with its expiry deadline, the counters and the backend's clock, so an
 * entry due after the restore still expires then. */

/* Writes a consistent copy of the whole state (every table with its TTL and
 * deadlines) into directory dir, which must not exist yet (it is created).
 * Outside a write batch only (-SL_EINVAL inside). memory: one file
 * dir/state.bin written to a temporary name, fsynced, renamed, the directory
 * fsynced; rocksdb: a RocksDB checkpoint (hard links, memtables flushed
 * first). 0 or -SL_E* with err naming the path (a full disk is an error,
 * never a crash; a failed snapshot removes what it wrote). Reports the bytes
 * written (memory) or the checkpoint's total file size (rocksdb) in *bytes
 * when bytes is not NULL. The backend keeps nothing of dir: the caller owns
 * the directory and may move or delete it. */
int sl_state_snapshot(sl_state_t *st, const char *dir, uint64_t *bytes,
                      sl_err_t *err);
/* A memory backend holding the state of a snapshot made by a memory backend
 * in directory dir (dir/state.bin; the directory is only read). Checks a
 * version header and a CRC32C over the whole file and refuses a damaged or
 * truncated file naming it. 0 and *out (the caller frees it with
 * sl_state_free), or -SL_E* with err filled and *out untouched. */
int sl_state_memory_restore(const char *dir, sl_state_t **out, sl_err_t *err);

/* ---- backend interface ---------------------------------------------------
 * What a backend implements. Callers use the functions above (state.c),
 * never these pointers. A backend's instance, table and iterator structs
 * each start with the matching base struct below, so the wrappers can find
 * the ops; they are cast back inside the backend. Contracts are those of
 * the wrapper of the same name; seek with klen 0 is sl_kv_iter_new. */
typedef struct sl_state_ops {
    const char *name;
    void (*free)(sl_state_t *st);
    size_t (*bytes)(const sl_state_t *st);
    size_t (*footprint)(const sl_state_t *st);
    sl_kv_t *(*table)(sl_state_t *st, const char *name, int64_t ttl_ms);
    void (*set_time)(sl_state_t *st, int64_t now_ms);
    int (*get)(sl_kv_t *kv, const void *key, size_t klen, const void **val,
               size_t *vlen);
    int (*put)(sl_kv_t *kv, const void *key, size_t klen, const void *val,
               size_t vlen);
    int (*del)(sl_kv_t *kv, const void *key, size_t klen);
    size_t (*count)(const sl_kv_t *kv);
    size_t (*expire)(sl_kv_t *kv);
    sl_kv_iter_t *(*seek)(sl_kv_t *kv, const void *prefix, size_t plen,
                          const void *key, size_t klen);
    int (*next)(sl_kv_iter_t *it, const void **key, size_t *klen,
                const void **val, size_t *vlen);
    void (*iter_free)(sl_kv_iter_t *it);
    int (*last)(sl_kv_t *kv, const void *prefix, size_t plen,
                const void **key, size_t *klen, const void **val,
                size_t *vlen);
    /* Optional (NULL: writes apply in place). */
    int (*begin)(sl_state_t *st, sl_err_t *err);
    int (*commit)(sl_state_t *st, sl_err_t *err);
    /* Optional (NULL: sl_state_snapshot is -SL_EUNSUPPORTED). Called
     * outside a write batch only; state.c checks. */
    int (*snapshot)(sl_state_t *st, const char *dir, uint64_t *bytes,
                    sl_err_t *err);
} sl_state_ops_t;

struct sl_state {
    const sl_state_ops_t *ops;
    int in_batch;              /* managed by state.c */
};
struct sl_kv {
    const sl_state_ops_t *ops;
};
struct sl_kv_iter {
    const sl_state_ops_t *ops;
};

/* Test hook of the memory backend: after n more successful allocations
 * every allocation fails (-SL_ENOMEM / NULL) until the hook is turned off
 * with n < 0. Ignored by other backends. */
void sl_state_memory_fail_after(sl_state_t *st, long n);

#endif
