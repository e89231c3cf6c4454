/* checkpoint.h - configuration of state backends, checkpoints and restart
 * strategies (Flink's keys), and the state directory: its lock, the
 * checkpoints in it and their metadata.
 *
 * A state directory holds
 *   lock            flock()ed by the process using the directory (its pid inside)
 *   work/           the RocksDB backend's live database (never recovered from)
 *   chk-N/          a complete checkpoint: state/ (the backend's snapshot)
 *                   and _metadata (written last; a chk-N without it, or a
 *                   chk-N.tmp, is an unfinished checkpoint and is ignored
 *                   and removed)
 * A savepoint directory has the same layout as one chk-N.
 *
 * _metadata is text, one "key value" per line:
 *   sluice-checkpoint 1
 *   id N / time_ms T / backend hashmap|rocksdb
 *   plan-hash H          (FNV-1a of the operator plan as EXPLAIN prints it)
 *   source I HEX         (the I-th source's position, hex of its bytes)
 *   plan LINE            (the plan text, for messages when it differs)
 */
#ifndef SL_EXEC_CHECKPOINT_H
#define SL_EXEC_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

enum { SL_BACKEND_HASHMAP = 0, SL_BACKEND_ROCKSDB = 1 };
enum {
    SL_RESTART_DEFAULT = 0,    /* none without checkpoints, else exponential-delay */
    SL_RESTART_NONE,
    SL_RESTART_FIXED_DELAY,
    SL_RESTART_FAILURE_RATE,
    SL_RESTART_EXPONENTIAL,
};

typedef struct sl_ckpt_conf {
    int backend;                   /* state.backend(.type) */
    int64_t rocks_block_cache;     /* state.backend.rocksdb.block.cache-size */
    int64_t rocks_write_buffer;    /* state.backend.rocksdb.writebuffer.size */
    int64_t rocks_write_buffers;   /* state.backend.rocksdb.writebuffer.count */
    int64_t rocks_block_size;      /* state.backend.rocksdb.block.blocksize */
    int64_t rocks_threads;         /* state.backend.rocksdb.thread.num */
    bool incremental;              /* state.backend.incremental (rocksdb: shared SST files) */
    int64_t interval_ms;           /* execution.checkpointing.interval; 0 off */
    int64_t timeout_ms;            /* .timeout, 10 min */
    int64_t min_pause_ms;          /* .min-pause */
    int64_t tolerable;             /* .tolerable-failed-checkpoints */
    bool retain;                   /* .externalized-checkpoint-retention */
    const char *dir;               /* state.checkpoints.dir (file:// stripped) */
    int64_t retained;              /* state.checkpoints.num-retained */
    int restart;                   /* restart-strategy(.type) */
    int64_t fd_attempts, fd_delay_ms;
    int64_t fr_max, fr_interval_ms, fr_delay_ms;
    int64_t exp_initial_ms, exp_max_ms, exp_reset_ms;
    double exp_multiplier, exp_jitter;
} sl_ckpt_conf_t;

void sl_ckpt_conf_init(sl_ckpt_conf_t *c);
/* 1 when key is one of these (value parsed into c), 0 when it is not, or
 * a negative error naming the key and what it expects. value must
 * outlive c (strings are kept). */
int sl_ckpt_conf_set(sl_ckpt_conf_t *c, const char *key, const char *value, sl_err_t *err);

/* The state directory. */
typedef struct sl_state_dir {
    char *path;
    int lock_fd;
} sl_state_dir_t;

/* Creates dir if needed and locks it (flock, not waiting): a second
 * process gets an error naming the directory and the holder's pid. */
int sl_state_dir_open(const char *path, sl_state_dir_t *d, sl_err_t *err);
void sl_state_dir_close(sl_state_dir_t *d);
/* The id of the newest complete checkpoint, 0 if none. Unfinished ones
 * are removed. */
int64_t sl_state_dir_latest(const sl_state_dir_t *d);
/* Removes every checkpoint (--fresh) / all but the newest n. */
int sl_state_dir_clear(const sl_state_dir_t *d, sl_err_t *err);
void sl_state_dir_prune(const sl_state_dir_t *d, int64_t keep);
/* rm -rf path (no symlinks followed); 0 or -errno. */
int sl_rmtree(const char *path);

/* Metadata of a checkpoint. */
typedef struct sl_ckpt_meta {
    int64_t id, time_ms;
    int backend;
    uint64_t plan_hash;
    int nsources;
    sl_strbuf_t *sources;      /* positions, nsources of them */
    sl_strbuf_t plan;          /* the plan text */
} sl_ckpt_meta_t;

void sl_ckpt_meta_free(sl_ckpt_meta_t *m);
/* Writes dir/_metadata (temporary name, fsync, rename, fsync dir). */
int sl_ckpt_meta_write(const char *dir, const sl_ckpt_meta_t *m, sl_err_t *err);
/* Reads dir/_metadata; errors name the file. */
int sl_ckpt_meta_read(const char *dir, sl_ckpt_meta_t *m, sl_err_t *err);

uint64_t sl_ckpt_hash(const char *s, size_t n);

#endif
