/* rocksdb.h - the RocksDB state backend (Flink's EmbeddedRocksDBStateBackend).
 *
 * The same tables as the memory backend (state.h), kept in one RocksDB
 * database in a working directory on local disk, so the state may be far
 * bigger than memory: the block cache and the write buffers bound what it
 * keeps in RAM. The working directory is scratch space: a job never
 * recovers from it, only from a snapshot (sl_state_snapshot, a RocksDB
 * checkpoint), so it runs without a write-ahead log.
 *
 * Threading: the loop thread only, like every backend; RocksDB's own
 * flush and compaction threads are internal.
 */
#ifndef SL_STATE_ROCKSDB_H
#define SL_STATE_ROCKSDB_H

#include <stdbool.h>
#include <stdint.h>

#include "state/state.h"
#include "util/err.h"

/* Tuning, named after Flink's options. */
typedef struct sl_rocksdb_conf {
    int64_t block_cache_bytes;    /* state.backend.rocksdb.block.cache-size, Flink default 8 MB */
    int64_t write_buffer_bytes;   /* state.backend.rocksdb.writebuffer.size, default 64 MB */
    int write_buffer_count;       /* state.backend.rocksdb.writebuffer.count, default 2 */
    int64_t block_size;           /* state.backend.rocksdb.block.blocksize, default 4 KB */
    int background_threads;       /* state.backend.rocksdb.thread.num, default 2 */
    bool incremental;             /* state.backend.incremental, default false: whether a
                                     snapshot shares its SST files with the working
                                     database and earlier snapshots (hard links, only
                                     new files cost) or holds copies of its own */
} sl_rocksdb_conf_t;

/* Fills c with the defaults above. */
void sl_rocksdb_conf_init(sl_rocksdb_conf_t *c);

/* Opens the backend on working directory dir (created if missing, parents
 * too; whatever was in it is removed first: the working directory is never
 * recovered from). With from (may be NULL) the state starts as the snapshot
 * in directory from (made by sl_state_snapshot of a rocksdb backend): its
 * SST files are hard-linked (copied when linking fails, e.g. across file
 * systems) and its small metadata files copied into dir, then opened; from
 * is only read and may be deleted afterwards. from must not be dir or lie
 * inside it. conf may be NULL (the defaults). 0 and *out (the caller frees
 * it with sl_state_free, which closes the database and leaves dir on disk),
 * or -SL_E* with err naming the path and RocksDB's message. */
int sl_state_rocksdb_open(const char *dir, const char *from,
                          const sl_rocksdb_conf_t *conf, sl_state_t **out,
                          sl_err_t *err);

#endif
