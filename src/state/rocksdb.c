/* rocksdb.c - the RocksDB state backend (state.h, rocksdb.h), through
 * RocksDB's C API.
 *
 * Key layout. One column family. Every key starts with a 4-byte big-endian
 * space id, so a table is one contiguous key range and its prefix scans are
 * RocksDB range scans:
 *
 *   [id][user key]                    -> value; a TTL table's value is
 *                                        [8-byte deadline][value]
 *   [0]'t'[name]                      -> [u32 id][i64 ttl]  table directory
 *   [0]'c'[u32 id]                    -> [u64 count][u64 bytes] counters
 *   [0]'n'                            -> [i64 now]          the TTL clock
 *   [0]'v'                            -> FORMAT             format marker
 *   [1][u32 id][u64 deadline][user key] -> [u32 vlen]       expiry index
 *
 * Integers are big-endian, deadlines with the sign bit flipped, so byte
 * order is numeric order. Space 0 is metadata, 1 the expiry index, tables
 * get ids from FIRST_ID up in creation order. The directory keeps
 * name -> id (and the TTL) inside the database, so a database opened from
 * a snapshot finds its tables by name again, TTL included.
 *
 * Writes. sl_state_begin/commit bracket every step; the step's writes go
 * into one WriteBatchWithIndex (kept and cleared, not recreated), and point
 * reads and iterators inside the step read through it (get_from_batch_and_db,
 * create_iterator_with_base), so they see the step's own writes. A write
 * outside a batch goes through the same batch and is written at once; a
 * step that outgrows a write buffer has its batch written early (spill).
 * Every write goes with the write-ahead log DISABLED: sluice never recovers
 * from the working directory. A crash restarts the job from its last
 * checkpoint, whose snapshot is self-contained (RocksDB's checkpoint flushes
 * the memtables into SST files first), so a WAL would only double every
 * write. For the same reason the working directory is wiped on open and
 * memtables are not flushed at close (avoid_flush_during_shutdown).
 *
 * TTL. A TTL table's entries carry their deadline (Flink's OnCreateAndWrite:
 * the write time plus the TTL); reads treat an entry past it as absent. To
 * drop expired entries without scanning the table, every TTL entry also has
 * a key in the expiry index, ordered by (table, deadline), written and
 * deleted in the same batch as the entry; sl_kv_expire walks the index from
 * its start up to the clock and touches only what is due (the index value
 * is the value's length, so no entry is read). Flink instead filters in
 * compaction and cannot count; we need exact counts and prompt expiry.
 *
 * Counts. count and bytes are exact counters per table, kept in memory.
 * Keeping them exact needs to know whether a put replaces an entry (and its
 * old deadline, for the index): each write reads the key first, except when
 * the table's one-entry cache already knows it: it holds the last key read
 * or written, which covers the operators' get-then-put/del on one key. The
 * counters and the clock are written into the metadata just before a
 * checkpoint, the only time the database on disk needs them.
 *
 * Pointers. A pointer handed out by get, an iterator or last points at a
 * copy in the table's read arena, valid until the next write to that table
 * (state.h) or the end of the step (commit), when the arena is reset; so
 * reads within a step cost no allocation of ours once the arena has grown,
 * and a table only read for many steps does not grow. The price: the arena
 * holds everything a step reads from a table between two writes to it
 * (operators read a key's few entries; a scan of a whole table outside a
 * step would hold the table). (RocksDB's C API itself mallocs the result
 * of every point read; that cannot be avoided without the C++ API.)
 * Iterators are pooled with their read options; one must be freed before
 * its step ends, since inside a step it reads through the batch that
 * commit clears (commit reports one left open as an internal error).
 *
 * Errors. An I/O error (or want of memory) in an operation whose contract
 * has no error code (an iterator step, expire) is kept as the backend's
 * sticky error and reported by the next begin, commit or snapshot, which
 * fails the job's step. After a failed flush (a full disk) RocksDB itself
 * refuses every later write, so the backend is done either way: the job
 * restarts from its last checkpoint. RocksDB aborts the process when its
 * own C++ code runs out of memory; that cannot be caught through the C API.
 *
 * Memory and threads: loop thread only; RocksDB runs flushes and
 * compactions on its own threads (background_threads).
 */
#include "state/rocksdb.h"

#include "util/arena.h"
#include "util/hashmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <rocksdb/c.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPACE_META 0u
#define SPACE_TTL 1u
#define FIRST_ID 16u                /* ids below are reserved spaces */
#define FORMAT "sluice-rocksdb-1"
#define EXPIRE_CHUNK 512            /* index entries per expire round */
#define READ_BLOCK (16 * 1024)      /* read arena block per table */

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf_t;

typedef struct rstate rstate_t;

typedef struct rtable {
    sl_kv_t base;
    rstate_t *st;
    uint32_t id;
    int64_t ttl;                    /* ms, 0 without TTL */
    uint64_t count, bytes;          /* entries (expired included), klen+vlen */
    sl_arena_t reads;               /* copies handed out by reads */
    /* The one-entry cache: what is stored under ckey (expired or not). */
    buf_t ckey;
    bool cvalid, cexists;
    int64_t cdl;                    /* its deadline (TTL tables) */
    uint32_t cvlen;                 /* its value's length */
} rtable_t;

typedef struct riter {
    sl_kv_iter_t base;
    rtable_t *t;
    rocksdb_iterator_t *it;
    rocksdb_readoptions_t *ro;      /* owned; its upper bound points at hi */
    buf_t lo;                       /* [id][prefix]: every key returned has it */
    buf_t hi;                       /* the first key above every such key */
    bool started, done;
    struct riter *next;             /* free list */
} riter_t;

struct rstate {
    sl_state_t base;
    rocksdb_t *db;
    rocksdb_options_t *opts;
    rocksdb_block_based_table_options_t *bbto;
    rocksdb_cache_t *cache;
    rocksdb_readoptions_t *ro;      /* point reads */
    rocksdb_readoptions_t *ro_scan; /* last() and expire(): bounds set per call */
    rocksdb_writeoptions_t *wo;     /* WAL disabled */
    rocksdb_writebatch_wi_t *wb;    /* the open step's writes */
    char *dir;
    int64_t now;                    /* ms, never decreases */
    uint32_t next_id;
    uint64_t bytes;                 /* sum of the tables' bytes */
    sl_hmap_t tables;               /* name -> rtable_t */
    buf_t k1, k2, v, b1, b2;        /* scratch: keys, value, bounds */
    riter_t *free_iters;
    int live_iters;                 /* handed out, not yet freed */
    size_t spill;                   /* batch bytes written early (see spill) */
    int fail;                       /* sticky error: SL_E* code or 0 */
    char fail_msg[384];
    bool incremental;               /* snapshots share SST files (hard links) */
};

static const sl_state_ops_t rocksdb_ops;

/* ---- small helpers ------------------------------------------------------- */

void sl_rocksdb_conf_init(sl_rocksdb_conf_t *c)
{
    c->block_cache_bytes = 8 << 20;
    c->write_buffer_bytes = 64 << 20;
    c->write_buffer_count = 2;
    c->block_size = 4 << 10;
    c->background_threads = 2;
    c->incremental = false;
}

/* Grows b to hold n bytes; keeps its contents. 0 or -SL_ENOMEM. */
static int buf_reserve(buf_t *b, size_t n)
{
    if (n <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < n) cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) return -SL_ENOMEM;
    b->p = p;
    b->cap = cap;
    return 0;
}

static void buf_free(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be64(unsigned char *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

static uint64_t get_be64(const unsigned char *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* A deadline as 8 bytes that sort like the number. */
static uint64_t dl_enc(int64_t d)
{
    return (uint64_t)d ^ (UINT64_C(1) << 63);
}

/* b = [space][key]. 0 or -SL_ENOMEM. */
static int make_key(buf_t *b, uint32_t space, const void *key, size_t klen)
{
    if (buf_reserve(b, 4 + klen)) return -SL_ENOMEM;
    put_be32(b->p, space);
    if (klen) memcpy(b->p + 4, key, klen);
    b->len = 4 + klen;
    return 0;
}

/* b = the expiry index key [1][id][deadline][key]. 0 or -SL_ENOMEM. */
static int index_key(buf_t *b, uint32_t id, int64_t dl, const void *key,
                     size_t klen)
{
    if (buf_reserve(b, 16 + klen)) return -SL_ENOMEM;
    put_be32(b->p, SPACE_TTL);
    put_be32(b->p + 4, id);
    put_be64(b->p + 8, dl_enc(dl));
    if (klen) memcpy(b->p + 16, key, klen);
    b->len = 16 + klen;
    return 0;
}

/* b = the smallest key above every key that starts with b's bytes: b cut
 * after its last byte below 0xFF, which is incremented. Every key here
 * starts with a space id below 0xFFFFFFFF, so there is always one. */
static void successor(buf_t *b)
{
    while (b->len && b->p[b->len - 1] == 0xFF) b->len--;
    if (b->len) b->p[b->len - 1]++;
}

/* Copies src into b (b's old contents are dropped). 0 or -SL_ENOMEM. */
static int buf_set(buf_t *b, const void *src, size_t n)
{
    if (buf_reserve(b, n ? n : 1)) return -SL_ENOMEM;
    if (n) memcpy(b->p, src, n);
    b->len = n;
    return 0;
}

/* Records the backend's first error of an operation that cannot return one
 * (see the top); returns -code. */
static int set_fail(rstate_t *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int set_fail(rstate_t *s, int code, const char *fmt, ...)
{
    if (!s->fail) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->fail_msg, sizeof s->fail_msg, fmt, ap);
        va_end(ap);
        s->fail = code;
    }
    return -code;
}

/* Takes RocksDB's malloc'd error string e (freed here). */
static int fail_rocks(rstate_t *s, const char *what, char *e)
{
    int rc = set_fail(s, SL_EIO, "state backend rocksdb (%s): %s: %s", s->dir, what, e);
    rocksdb_free(e);
    return rc;
}

static bool expired(const rtable_t *t, int64_t dl)
{
    return t->ttl > 0 && dl <= t->st->now;
}

static int64_t deadline_now(const rtable_t *t)
{
    int64_t now = t->st->now;
    return now > INT64_MAX - t->ttl ? INT64_MAX : now + t->ttl;
}

/* ---- the one-entry cache ------------------------------------------------- */

static bool cache_has(const rtable_t *t, const void *key, size_t klen)
{
    return t->cvalid && t->ckey.len == klen &&
           (klen == 0 || memcmp(t->ckey.p, key, klen) == 0);
}

/* Remembers what is stored under key; without memory for the key the cache
 * is just dropped. */
static void cache_set(rtable_t *t, const void *key, size_t klen, bool exists,
                      int64_t dl, uint32_t vlen)
{
    if (!cache_has(t, key, klen) && buf_set(&t->ckey, key, klen)) {
        t->cvalid = false;
        return;
    }
    t->cvalid = true;
    t->cexists = exists;
    t->cdl = dl;
    t->cvlen = vlen;
}

/* Splits a stored value: its deadline (TTL tables) and the user value. 0,
 * or -1 when too short to hold the deadline (a damaged database). */
static int split_value(const rtable_t *t, const char *p, size_t n, int64_t *dl,
                       const char **val, size_t *vlen)
{
    size_t off = t->ttl ? 8 : 0;
    if (n < off) return -1;
    *dl = t->ttl ? (int64_t)get_be64((const unsigned char *)p) : 0;
    *val = p + off;
    *vlen = n - off;
    return 0;
}

/* Whether the data key in s->k1 (for key) is stored in t, with deadline
 * and value length: from the cache when it holds key, else read through the
 * batch. 0 or -SL_EIO (sticky). */
static int stored(rtable_t *t, const void *key, size_t klen, bool *exists,
                  int64_t *dl, uint32_t *vlen)
{
    rstate_t *s = t->st;
    if (cache_has(t, key, klen)) {
        *exists = t->cexists;
        *dl = t->cdl;
        *vlen = t->cvlen;
        return 0;
    }
    char *e = NULL;
    size_t n = 0;
    char *p = rocksdb_writebatch_wi_get_from_batch_and_db(
        s->wb, s->db, s->ro, (const char *)s->k1.p, s->k1.len, &n, &e);
    if (e) return fail_rocks(s, "read", e);
    *exists = p != NULL;
    *dl = 0;
    *vlen = 0;
    if (p) {
        const char *v;
        size_t vn;
        if (split_value(t, p, n, dl, &v, &vn)) {
            rocksdb_free(p);
            return set_fail(s, SL_EIO, "state backend rocksdb (%s): damaged value",
                            s->dir);
        }
        *vlen = (uint32_t)vn;
        rocksdb_free(p);
    }
    return 0;
}

/* Writes the batch to the database (no WAL) and clears it: at commit, for
 * a write outside a step, or early (spill). 0 or -SL_EIO (sticky). */
static int write_batch(rstate_t *s)
{
    char *e = NULL;
    if (rocksdb_writebatch_wi_count(s->wb) > 0)
        rocksdb_write_writebatch_wi(s->db, s->wo, s->wb, &e);
    rocksdb_writebatch_wi_clear(s->wb);
    return e ? fail_rocks(s, "write", e) : 0;
}

/* A step's batch bigger than a write buffer is written early, so a step
 * that writes a lot (a TTL sweep dropping millions of entries) cannot hold
 * it all in memory. That is safe: nothing reads the database but this
 * thread, which sees the same state either way, and a checkpoint still
 * falls between steps. Not while an iterator reads through the batch.
 * 0 or -SL_EIO (sticky). */
static int spill(rstate_t *s)
{
    size_t n = 0;
    if (s->live_iters) return 0;
    rocksdb_writebatch_wi_data(s->wb, &n);
    return n >= s->spill ? write_batch(s) : 0;
}

/* After a write to t: pointers into its read arena are dead (state.h), and
 * outside a step the write goes to the database now. */
static int after_write(rtable_t *t)
{
    sl_arena_reset(&t->reads);
    return t->st->base.in_batch ? spill(t->st) : write_batch(t->st);
}

/* An iterator over ro's range that sees the open batch's writes. Owned by
 * the caller (rocksdb_iter_destroy). */
static rocksdb_iterator_t *new_iter(rstate_t *s, rocksdb_readoptions_t *ro)
{
    rocksdb_iterator_t *base = rocksdb_create_iterator(s->db, ro);
    if (rocksdb_writebatch_wi_count(s->wb) == 0) return base;
    return rocksdb_writebatch_wi_create_iterator_with_base(s->wb, base);
}

/* ---- reads --------------------------------------------------------------- */

static int rk_get(sl_kv_t *kv, const void *key, size_t klen, const void **val,
                  size_t *vlen)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    /* the cache answers "absent" (and "expired") without a read */
    if (cache_has(t, key, klen) && (!t->cexists || expired(t, t->cdl)))
        return -SL_ENOTFOUND;
    if (make_key(&s->k1, t->id, key, klen))
        return set_fail(s, SL_ENOMEM, "state backend rocksdb: out of memory");
    char *e = NULL;
    size_t n = 0;
    char *p = rocksdb_writebatch_wi_get_from_batch_and_db(
        s->wb, s->db, s->ro, (const char *)s->k1.p, s->k1.len, &n, &e);
    if (e) return fail_rocks(s, "read", e);
    if (!p) {
        cache_set(t, key, klen, false, 0, 0);
        return -SL_ENOTFOUND;
    }
    int64_t dl;
    const char *v;
    size_t vn;
    int rc = 0;
    if (split_value(t, p, n, &dl, &v, &vn)) {
        rc = set_fail(s, SL_EIO, "state backend rocksdb (%s): damaged value", s->dir);
    } else {
        cache_set(t, key, klen, true, dl, (uint32_t)vn);
        if (expired(t, dl)) {
            rc = -SL_ENOTFOUND;
        } else if (val) {
            void *c = sl_arena_memdup(&t->reads, v, vn);
            if (!c) rc = set_fail(s, SL_ENOMEM, "state backend rocksdb: out of memory");
            else *val = c;
        }
        if (!rc && vlen) *vlen = vn;
    }
    rocksdb_free(p);
    return rc;
}

static size_t rk_count(const sl_kv_t *kv)
{
    return (size_t)((const rtable_t *)kv)->count;
}

/* Iterators come from the backend's pool (rk_iter_free puts one back,
 * rk_free frees the pool), each with read options whose upper bound points
 * at its own hi. NULL without memory. */
static sl_kv_iter_t *rk_seek(sl_kv_t *kv, const void *prefix, size_t plen,
                             const void *key, size_t klen)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    riter_t *it = s->free_iters;
    if (it) {
        s->free_iters = it->next;
    } else {
        it = calloc(1, sizeof *it);
        if (!it) return NULL;
        it->base.ops = &rocksdb_ops;
        it->ro = rocksdb_readoptions_create();
    }
    it->t = t;
    it->started = it->done = false;
    if (make_key(&it->lo, t->id, prefix, plen) || buf_set(&it->hi, it->lo.p, it->lo.len)) {
        it->next = s->free_iters;
        s->free_iters = it;
        return NULL;
    }
    successor(&it->hi);
    /* start at max(key, prefix): keys with the prefix are one range */
    const buf_t *start = &it->lo;
    if (klen) {
        size_t m = klen < plen ? klen : plen;
        int c = m ? memcmp(key, prefix, m) : 0;
        if (c > 0 || (c == 0 && klen > plen)) {
            if (make_key(&s->k1, t->id, key, klen)) {
                it->next = s->free_iters;
                s->free_iters = it;
                return NULL;
            }
            start = &s->k1;
        }
    }
    /* The bound stops the base iterator at the end of the range instead of
     * stepping through tombstones beyond it. */
    rocksdb_readoptions_set_iterate_upper_bound(it->ro, (const char *)it->hi.p, it->hi.len);
    it->it = new_iter(s, it->ro);
    rocksdb_iter_seek(it->it, (const char *)start->p, start->len);
    s->live_iters++;
    return &it->base;
}

/* Copies an entry into t's read arena and hands it out. 1, or 0 (sticky
 * -SL_ENOMEM) without memory. */
static int hand_out(rtable_t *t, const char *k, size_t kn, const char *v,
                    size_t vn, const void **key, size_t *klen, const void **val,
                    size_t *vlen)
{
    char *c = sl_arena_alloc(&t->reads, kn + vn);
    if (!c) {
        set_fail(t->st, SL_ENOMEM, "state backend rocksdb: out of memory");
        return 0;
    }
    if (kn) memcpy(c, k, kn);
    if (vn) memcpy(c + kn, v, vn);
    if (key) *key = c;
    if (klen) *klen = kn;
    if (val) *val = c + kn;
    if (vlen) *vlen = vn;
    return 1;
}

static int rk_next(sl_kv_iter_t *base, const void **key, size_t *klen,
                   const void **val, size_t *vlen)
{
    riter_t *it = (riter_t *)base;
    rtable_t *t = it->t;
    while (!it->done) {
        if (it->started) rocksdb_iter_next(it->it);
        it->started = true;
        if (!rocksdb_iter_valid(it->it)) {
            char *e = NULL;
            rocksdb_iter_get_error(it->it, &e);
            if (e) fail_rocks(t->st, "scan", e);
            break;
        }
        size_t kn, vn;
        const char *k = rocksdb_iter_key(it->it, &kn);
        if (kn < it->lo.len || memcmp(k, it->lo.p, it->lo.len) != 0) break;
        const char *v = rocksdb_iter_value(it->it, &vn), *uv;
        int64_t dl;
        if (split_value(t, v, vn, &dl, &uv, &vn)) {
            set_fail(t->st, SL_EIO, "state backend rocksdb (%s): damaged value",
                     t->st->dir);
            break;
        }
        if (expired(t, dl)) continue;
        if (!hand_out(t, k + 4, kn - 4, uv, vn, key, klen, val, vlen)) break;
        return 1;
    }
    it->done = true;
    return 0;
}

static void rk_iter_free(sl_kv_iter_t *base)
{
    riter_t *it = (riter_t *)base;
    rstate_t *s = it->t->st;
    rocksdb_iter_destroy(it->it);
    it->it = NULL;
    it->next = s->free_iters;
    s->free_iters = it;
    s->live_iters--;
}

static int rk_last(sl_kv_t *kv, const void *prefix, size_t plen,
                   const void **key, size_t *klen, const void **val,
                   size_t *vlen)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    if (make_key(&s->b1, t->id, prefix, plen) || buf_set(&s->b2, s->b1.p, s->b1.len)) {
        set_fail(s, SL_ENOMEM, "state backend rocksdb: out of memory");
        return 0;
    }
    successor(&s->b2);
    rocksdb_readoptions_set_iterate_upper_bound(s->ro_scan, NULL, 0);
    rocksdb_readoptions_set_iterate_lower_bound(s->ro_scan, (const char *)s->b1.p, s->b1.len);
    rocksdb_iterator_t *it = new_iter(s, s->ro_scan);
    /* the last key <= the successor, stepping back off the successor */
    rocksdb_iter_seek_for_prev(it, (const char *)s->b2.p, s->b2.len);
    int found = 0;
    for (; rocksdb_iter_valid(it); rocksdb_iter_prev(it)) {
        size_t kn, vn;
        const char *k = rocksdb_iter_key(it, &kn);
        if (kn == s->b2.len && memcmp(k, s->b2.p, kn) == 0) continue;
        if (kn < s->b1.len || memcmp(k, s->b1.p, s->b1.len) != 0) break;
        const char *v = rocksdb_iter_value(it, &vn), *uv;
        int64_t dl;
        if (split_value(t, v, vn, &dl, &uv, &vn)) {
            set_fail(s, SL_EIO, "state backend rocksdb (%s): damaged value", s->dir);
            break;
        }
        if (expired(t, dl)) continue;
        found = hand_out(t, k + 4, kn - 4, uv, vn, key, klen, val, vlen);
        break;
    }
    if (!found) {
        char *e = NULL;
        rocksdb_iter_get_error(it, &e);
        if (e) fail_rocks(s, "scan", e);
    }
    rocksdb_iter_destroy(it);
    rocksdb_readoptions_set_iterate_lower_bound(s->ro_scan, NULL, 0);
    return found;
}

/* ---- writes -------------------------------------------------------------- */

static int rk_put(sl_kv_t *kv, const void *key, size_t klen, const void *val,
                  size_t vlen)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    /* RocksDB's lengths are 32-bit; leave room for the prefixes */
    if (klen > UINT32_MAX - 32 || vlen > UINT32_MAX - 32) return -SL_EINVAL;
    /* Every buffer is reserved before anything is written, so a write is
     * whole or absent; the value is copied first: val may point into the
     * read arena or anywhere. */
    size_t off = t->ttl ? 8 : 0;
    int64_t dl = t->ttl ? deadline_now(t) : 0;
    if (buf_reserve(&s->v, off + vlen + 1) || buf_reserve(&s->k2, 16 + klen) ||
        make_key(&s->k1, t->id, key, klen))
        return -SL_ENOMEM;
    if (t->ttl) put_be64(s->v.p, (uint64_t)dl);
    if (vlen) memcpy(s->v.p + off, val, vlen);
    bool exists;
    int64_t odl;
    uint32_t ovlen;
    int rc = stored(t, key, klen, &exists, &odl, &ovlen);
    if (rc) return rc;
    if (t->ttl) {
        /* index_key cannot fail: k2 is reserved */
        unsigned char iv[4];
        put_be32(iv, (uint32_t)vlen);
        if (exists && odl != dl) {
            index_key(&s->k2, t->id, odl, key, klen);
            rocksdb_writebatch_wi_delete(s->wb, (const char *)s->k2.p, s->k2.len);
        }
        index_key(&s->k2, t->id, dl, key, klen);
        rocksdb_writebatch_wi_put(s->wb, (const char *)s->k2.p, s->k2.len,
                                  (const char *)iv, 4);
    }
    rocksdb_writebatch_wi_put(s->wb, (const char *)s->k1.p, s->k1.len,
                              (const char *)s->v.p, off + vlen);
    if (exists) {
        t->bytes -= klen + ovlen;
        s->bytes -= klen + ovlen;
    } else {
        t->count++;
    }
    t->bytes += klen + vlen;
    s->bytes += klen + vlen;
    cache_set(t, key, klen, true, dl, (uint32_t)vlen);
    return after_write(t);
}

static int rk_del(sl_kv_t *kv, const void *key, size_t klen)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    /* del has no -SL_ENOMEM in its contract: a failure is sticky */
    if (buf_reserve(&s->k2, 16 + klen) || make_key(&s->k1, t->id, key, klen))
        return set_fail(s, SL_ENOMEM, "state backend rocksdb: out of memory");
    bool exists;
    int64_t odl;
    uint32_t ovlen;
    int rc = stored(t, key, klen, &exists, &odl, &ovlen);
    if (rc) return rc;
    if (!exists) return -SL_ENOTFOUND;
    if (t->ttl) {
        index_key(&s->k2, t->id, odl, key, klen); /* reserved: cannot fail */
        rocksdb_writebatch_wi_delete(s->wb, (const char *)s->k2.p, s->k2.len);
    }
    rocksdb_writebatch_wi_delete(s->wb, (const char *)s->k1.p, s->k1.len);
    t->count--;
    t->bytes -= klen + ovlen;
    s->bytes -= klen + ovlen;
    bool live = !expired(t, odl);
    cache_set(t, key, klen, false, 0, 0);
    rc = after_write(t);
    if (rc) return rc;
    return live ? 0 : -SL_ENOTFOUND;
}

/* Walks the expiry index from the table's earliest deadline up to now in
 * rounds of EXPIRE_CHUNK: each round copies the due index keys out, drops
 * the iterator, deletes them and their entries, and the next round seeks
 * past the last one (deleting under a live batch iterator is unsafe). */
static size_t rk_expire(sl_kv_t *kv)
{
    rtable_t *t = (rtable_t *)kv;
    rstate_t *s = t->st;
    if (!t->ttl) return 0;
    size_t n = 0;
    unsigned char pre[8]; /* every index key of t starts with it */
    put_be32(pre, SPACE_TTL);
    put_be32(pre + 4, t->id);
    /* b2 = the bound: the index keys of t with deadline <= now */
    if (buf_reserve(&s->b2, 16) || buf_reserve(&s->b1, 16)) goto oom;
    put_be32(s->b2.p, SPACE_TTL);
    put_be32(s->b2.p + 4, t->id);
    s->b2.len = 8;
    if (dl_enc(s->now) != UINT64_MAX) {
        put_be64(s->b2.p + 8, dl_enc(s->now) + 1);
        s->b2.len = 16;
    } else {
        successor(&s->b2);
    }
    memcpy(s->b1.p, pre, 8); /* b1 = where a round starts */
    s->b1.len = 8;
    rocksdb_readoptions_set_iterate_upper_bound(s->ro_scan, (const char *)s->b2.p, s->b2.len);
    for (;;) {
        /* k2 collects [u32 len][index key][u32 vlen] records */
        s->k2.len = 0;
        size_t got = 0;
        rocksdb_iterator_t *it = new_iter(s, s->ro_scan);
        rocksdb_iter_seek(it, (const char *)s->b1.p, s->b1.len);
        for (; got < EXPIRE_CHUNK && rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
            size_t kn, vn;
            const char *k = rocksdb_iter_key(it, &kn);
            const char *v = rocksdb_iter_value(it, &vn);
            /* the batch's part is not bounded: check the range here */
            if (kn < 16 || memcmp(k, pre, 8) != 0 || memcmp(k, s->b2.p, s->b2.len) >= 0)
                break;
            if (buf_reserve(&s->k2, s->k2.len + kn + 8)) {
                rocksdb_iter_destroy(it);
                goto oom;
            }
            put_be32(s->k2.p + s->k2.len, (uint32_t)kn);
            memcpy(s->k2.p + s->k2.len + 4, k, kn);
            put_be32(s->k2.p + s->k2.len + 4 + kn, vn == 4 ? get_be32((const unsigned char *)v) : 0);
            s->k2.len += kn + 8;
            got++;
        }
        char *e = NULL;
        rocksdb_iter_get_error(it, &e);
        rocksdb_iter_destroy(it);
        if (e) {
            fail_rocks(s, "expire", e);
            break;
        }
        const unsigned char *last = NULL;
        size_t lastn = 0;
        for (size_t pos = 0; pos < s->k2.len;) {
            size_t kn = get_be32(s->k2.p + pos);
            const unsigned char *k = s->k2.p + pos + 4;
            uint32_t vn = get_be32(k + kn);
            rocksdb_writebatch_wi_delete(s->wb, (const char *)k, kn);
            /* the entry's key: [id] and the user key after the index prefix */
            if (make_key(&s->k1, t->id, k + 16, kn - 16)) goto oom;
            rocksdb_writebatch_wi_delete(s->wb, (const char *)s->k1.p, s->k1.len);
            t->count--;
            t->bytes -= kn - 16 + vn;
            s->bytes -= kn - 16 + vn;
            last = k;
            lastn = kn;
            pos += kn + 8;
        }
        n += got;
        if (got < EXPIRE_CHUNK) break;
        /* next round: just past the last key (it + a zero byte) */
        if (buf_reserve(&s->b1, lastn + 1)) goto oom;
        memcpy(s->b1.p, last, lastn);
        s->b1.p[lastn] = 0;
        s->b1.len = lastn + 1;
        if (s->base.in_batch ? spill(s) : write_batch(s)) break;
    }
    rocksdb_readoptions_set_iterate_upper_bound(s->ro_scan, NULL, 0);
    t->cvalid = false;
    after_write(t);
    return n;
oom:
    rocksdb_readoptions_set_iterate_upper_bound(s->ro_scan, NULL, 0);
    set_fail(s, SL_ENOMEM, "state backend rocksdb: out of memory in expire");
    t->cvalid = false;
    after_write(t);
    return n;
}

/* ---- backend ------------------------------------------------------------- */

/* A table object for id, owned by the caller until it is put in the map
 * (freed then by rk_free; else with table_free). NULL without memory. */
static rtable_t *table_new(rstate_t *s, uint32_t id, int64_t ttl)
{
    rtable_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->base.ops = &rocksdb_ops;
    t->st = s;
    t->id = id;
    t->ttl = ttl > 0 ? ttl : 0;
    sl_arena_init(&t->reads, READ_BLOCK);
    return t;
}

static void table_free(rtable_t *t)
{
    sl_arena_destroy(&t->reads);
    buf_free(&t->ckey);
    free(t);
}

/* The directory record goes straight to the database (not the step's
 * batch): it is metadata, and creating a table is never undone. */
static sl_kv_t *rk_table(sl_state_t *st, const char *name, int64_t ttl_ms)
{
    rstate_t *s = (rstate_t *)st;
    size_t nl = strlen(name);
    void *v;
    if (sl_hmap_find(&s->tables, name, nl, &v)) return v;
    if (s->next_id == UINT32_MAX) return NULL;
    rtable_t *t = table_new(s, s->next_id, ttl_ms);
    if (!t) return NULL;
    unsigned char rec[12];
    put_be32(rec, t->id);
    put_be64(rec + 4, (uint64_t)t->ttl);
    char *e = NULL;
    if (make_key(&s->b1, SPACE_META, "t", 1) || buf_reserve(&s->b1, 5 + nl)) {
        table_free(t);
        return NULL;
    }
    memcpy(s->b1.p + 5, name, nl);
    rocksdb_put(s->db, s->wo, (const char *)s->b1.p, 5 + nl, (const char *)rec, sizeof rec, &e);
    if (e) {
        fail_rocks(s, "create table", e);
        table_free(t);
        return NULL;
    }
    if (sl_hmap_put(&s->tables, name, nl, t)) {
        table_free(t);
        return NULL;
    }
    s->next_id++;
    return &t->base;
}

static void rk_set_time(sl_state_t *st, int64_t now_ms)
{
    rstate_t *s = (rstate_t *)st;
    if (now_ms > s->now) s->now = now_ms;
}

static size_t rk_bytes(const sl_state_t *st)
{
    return (size_t)((const rstate_t *)st)->bytes;
}

/* RocksDB's estimate of the live data in its SST files plus its memtables,
 * plus the open batch: the state's size as stored (compressed on disk, so
 * it may be below the logical bytes; the contract's floor is kept). The
 * block cache is not counted: it is a cache bounded by configuration. */
static size_t rk_footprint(const sl_state_t *st)
{
    const rstate_t *s = (const rstate_t *)st;
    uint64_t live = 0, mem = 0;
    if (rocksdb_property_int(s->db, "rocksdb.estimate-live-data-size", &live)) live = 0;
    if (rocksdb_property_int(s->db, "rocksdb.cur-size-all-mem-tables", &mem)) mem = 0;
    size_t wb = 0;
    rocksdb_writebatch_wi_data(s->wb, &wb);
    uint64_t total = live + mem + wb + sizeof *s +
                     sl_hmap_count(&s->tables) * (sizeof(rtable_t) + READ_BLOCK);
    return (size_t)(total > s->bytes ? total : s->bytes);
}

static int rk_begin(sl_state_t *st, sl_err_t *err)
{
    rstate_t *s = (rstate_t *)st;
    if (s->fail) return sl_err_set(err, s->fail, "%s", s->fail_msg);
    return 0;
}

/* The step's writes go in one write, without the WAL; then every table's
 * read arena is reset (pointers do not outlive the step). */
static int rk_commit(sl_state_t *st, sl_err_t *err)
{
    rstate_t *s = (rstate_t *)st;
    /* an iterator reading through the batch would dangle once it is
     * cleared: a caller's bug, reported instead of left to crash later */
    if (s->live_iters)
        set_fail(s, SL_EINTERNAL, "state backend rocksdb: %d iterator(s) still open at "
                 "the end of a step", s->live_iters);
    write_batch(s);
    size_t pos = 0;
    void *v;
    while (sl_hmap_next(&s->tables, &pos, NULL, NULL, &v))
        sl_arena_reset(&((rtable_t *)v)->reads);
    if (s->fail) return sl_err_set(err, s->fail, "%s", s->fail_msg);
    return 0;
}

static void rk_free(sl_state_t *st)
{
    rstate_t *s = (rstate_t *)st;
    for (riter_t *it = s->free_iters, *next; it; it = next) {
        next = it->next;
        rocksdb_readoptions_destroy(it->ro);
        buf_free(&it->lo);
        buf_free(&it->hi);
        free(it);
    }
    size_t pos = 0;
    void *v;
    while (sl_hmap_next(&s->tables, &pos, NULL, NULL, &v)) table_free(v);
    sl_hmap_destroy(&s->tables);
    if (s->wb) rocksdb_writebatch_wi_destroy(s->wb);
    if (s->db) rocksdb_close(s->db);
    if (s->opts) rocksdb_options_destroy(s->opts);
    if (s->bbto) rocksdb_block_based_options_destroy(s->bbto);
    if (s->cache) rocksdb_cache_destroy(s->cache);
    if (s->ro) rocksdb_readoptions_destroy(s->ro);
    if (s->ro_scan) rocksdb_readoptions_destroy(s->ro_scan);
    if (s->wo) rocksdb_writeoptions_destroy(s->wo);
    buf_free(&s->k1);
    buf_free(&s->k2);
    buf_free(&s->v);
    buf_free(&s->b1);
    buf_free(&s->b2);
    free(s->dir);
    free(s);
}

/* ---- files --------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
    (void)sb;
    (void)type;
    (void)f;
    return remove(path) && errno != ENOENT ? -1 : 0;
}

/* Removes path and everything below it (symlinks are removed, not
 * followed). 0 or an errno. */
static int remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb)) return errno == ENOENT ? 0 : errno;
    if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS)) return errno ? errno : EIO;
    return lstat(path, &sb) == 0 ? ENOTEMPTY : 0;
}

/* mkdir -p. 0 or an errno. */
static int mkdir_p(const char *path)
{
    if (!*path) return ENOENT;
    char *p = strdup(path);
    if (!p) return ENOMEM;
    int rc = 0;
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c) continue;
        char save = *c;
        *c = '\0';
        if (mkdir(p, 0755) && errno != EEXIST) rc = errno;
        *c = save;
        if (rc || !save) break;
    }
    free(p);
    if (!rc) {
        struct stat sb;
        if (stat(path, &sb)) rc = errno;
        else if (!S_ISDIR(sb.st_mode)) rc = ENOTDIR;
    }
    return rc;
}

/* Copies file src to new file dst with buffer b (SL_COPY_BUF bytes). 0 or
 * an errno; a partial dst is removed. */
#define SL_COPY_BUF (1 << 20)
static int copy_file(const char *src, const char *dst, char *b, bool sync)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) return errno;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        int rc = errno;
        close(in);
        return rc;
    }
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, b, SL_COPY_BUF);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) rc = errno;
        if (n <= 0) break;
        for (ssize_t off = 0; off < n && !rc;) {
            ssize_t w = write(out, b + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) rc = errno;
            else off += w;
        }
        if (rc) break;
    }
    close(in);
    if (!rc && sync && fsync(out)) rc = errno;
    if (close(out) && !rc) rc = errno;
    if (rc) unlink(dst);
    return rc;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* Puts the snapshot's files into dir: SST (and blob) files are immutable,
 * so a hard link shares them with the snapshot at no cost; the others
 * (CURRENT, MANIFEST, OPTIONS, WAL) are small and RocksDB may rewrite or
 * append to them, which through a link would change the snapshot, so they
 * are copied. A link that fails (another file system) falls back to a
 * copy. 0 or -SL_E* with err set. */
static int link_snapshot(const char *from, const char *dir, sl_err_t *err)
{
    DIR *d = opendir(from);
    if (!d)
        return sl_err_set(err, errno == ENOENT ? SL_ENOTFOUND : SL_EIO,
                          "state backend rocksdb: cannot read snapshot %s: %s", from,
                          strerror(errno));
    char *b = malloc(SL_COPY_BUF);
    size_t fl = strlen(from), dl = strlen(dir);
    char *src = malloc(fl + NAME_MAX + 2), *dst = malloc(dl + NAME_MAX + 2);
    int rc = 0;
    if (!b || !src || !dst) rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    struct dirent *de;
    while (!rc && (errno = 0, de = readdir(d))) {
        const char *nm = de->d_name;
        if (nm[0] == '.' || !strncmp(nm, "LOG", 3) || !strcmp(nm, "LOCK")) continue;
        sprintf(src, "%s/%s", from, nm);
        sprintf(dst, "%s/%s", dir, nm);
        struct stat sb;
        if (lstat(src, &sb) || !S_ISREG(sb.st_mode)) continue;
        int e = 0;
        if (!(has_suffix(nm, ".sst") || has_suffix(nm, ".blob")) || link(src, dst))
            e = copy_file(src, dst, b, false);
        if (e)
            rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot copy %s to %s: %s",
                            src, dst, strerror(e));
    }
    if (!rc && errno)
        rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot read snapshot %s: %s",
                        from, strerror(errno));
    closedir(d);
    free(b);
    free(src);
    free(dst);
    return rc;
}

/* A full (not incremental) snapshot: RocksDB's checkpoint hard-linked the
 * SST and blob files, which the working database and earlier snapshots
 * share; each shared one is replaced by a synced copy of its own, so the
 * snapshot holds every byte of the state itself (as Flink's full
 * checkpoints do) and survives damage to the others' files. The directory
 * is synced by the caller. 0 or -SL_E* with err naming the file. */
static int unshare_snapshot(const char *dir, sl_err_t *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sl_err_set(err, SL_EIO, "state snapshot: cannot read %s: %s", dir,
                          strerror(errno));
    char *b = malloc(SL_COPY_BUF);
    size_t dl = strlen(dir);
    char *src = malloc(dl + NAME_MAX + 2), *tmp = malloc(dl + NAME_MAX + 8);
    int rc = 0;
    if (!b || !src || !tmp) rc = sl_err_set(err, SL_ENOMEM, "out of memory");
    struct dirent *de;
    while (!rc && (de = readdir(d))) {
        const char *nm = de->d_name;
        if (!(has_suffix(nm, ".sst") || has_suffix(nm, ".blob"))) continue;
        sprintf(src, "%s/%s", dir, nm);
        sprintf(tmp, "%s/%s.copy", dir, nm);
        struct stat sb;
        if (lstat(src, &sb) || !S_ISREG(sb.st_mode) || sb.st_nlink < 2) continue;
        int e = copy_file(src, tmp, b, true);
        if (!e && rename(tmp, src)) {
            e = errno;
            unlink(tmp);
        }
        if (e)
            rc = sl_err_set(err, SL_EIO, "state snapshot: cannot copy %s: %s", src,
                            strerror(e));
    }
    closedir(d);
    free(b);
    free(src);
    free(tmp);
    return rc;
}

/* Total size of the regular files in dir. */
static uint64_t dir_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    uint64_t n = 0;
    struct dirent *de;
    struct stat sb;
    while ((de = readdir(d)))
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
            n += (uint64_t)sb.st_size;
    closedir(d);
    return n;
}

/* ---- snapshots ----------------------------------------------------------- */

/* The counters and the clock go into the metadata (they live in memory
 * otherwise), then RocksDB's checkpoint: it flushes the memtables
 * (log_size_for_flush 0) and hard-links the SST files into dir, which it
 * builds under a temporary name and renames. */
static int rk_snapshot(sl_state_t *st, const char *dir, uint64_t *bytes,
                       sl_err_t *err)
{
    rstate_t *s = (rstate_t *)st;
    if (s->fail) return sl_err_set(err, s->fail, "%s", s->fail_msg);
    struct stat sb;
    if (lstat(dir, &sb) == 0)
        return sl_err_set(err, SL_EEXISTS, "state snapshot: %s exists already", dir);
    size_t pos = 0;
    void *v;
    unsigned char rec[16], key[9];
    while (sl_hmap_next(&s->tables, &pos, NULL, NULL, &v)) {
        const rtable_t *t = v;
        put_be32(key, SPACE_META);
        key[4] = 'c';
        put_be32(key + 5, t->id);
        put_be64(rec, t->count);
        put_be64(rec + 8, t->bytes);
        rocksdb_writebatch_wi_put(s->wb, (const char *)key, 9, (const char *)rec, 16);
    }
    put_be32(key, SPACE_META);
    key[4] = 'n';
    put_be64(rec, (uint64_t)s->now);
    rocksdb_writebatch_wi_put(s->wb, (const char *)key, 5, (const char *)rec, 8);
    if (write_batch(s)) return sl_err_set(err, s->fail, "%s", s->fail_msg);
    char *e = NULL;
    rocksdb_checkpoint_t *cp = rocksdb_checkpoint_object_create(s->db, &e);
    if (!e) {
        rocksdb_checkpoint_create(cp, dir, 0, &e);
        rocksdb_checkpoint_object_destroy(cp);
    }
    if (e) {
        int rc = sl_err_set(err, SL_EIO, "state snapshot: cannot create checkpoint %s: %s",
                            dir, e);
        rocksdb_free(e);
        remove_tree(dir);
        return rc;
    }
    if (!s->incremental) {
        int rc = unshare_snapshot(dir, err);
        int dfd = rc ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (!rc && (dfd < 0 || fsync(dfd)))
            rc = sl_err_set(err, SL_EIO, "state snapshot: cannot sync %s: %s", dir,
                            strerror(errno));
        if (dfd >= 0) close(dfd);
        if (rc) {
            remove_tree(dir);
            return rc;
        }
    }
    /* RocksDB syncs the checkpoint's files and directory; its entry in the
     * parent is ours to sync */
    char *copy = strdup(dir);
    int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    int serr = fd < 0 || fsync(fd) ? (copy ? errno : ENOMEM) : 0;
    if (fd >= 0) close(fd);
    free(copy);
    if (serr) {
        remove_tree(dir);
        return sl_err_set(err, SL_EIO, "state snapshot: cannot sync the directory of %s: %s",
                          dir, strerror(serr));
    }
    if (bytes) *bytes = dir_bytes(dir);
    return 0;
}

/* ---- open ---------------------------------------------------------------- */

/* Loads the table directory, counters and clock of a database opened from
 * a snapshot. 0 or -SL_E* with err set. */
static int load_meta(rstate_t *s, const char *from, sl_err_t *err)
{
    char *e = NULL;
    size_t n = 0;
    unsigned char key[9];
    put_be32(key, SPACE_META);
    key[4] = 'v';
    char *p = rocksdb_get(s->db, s->ro, (const char *)key, 5, &n, &e);
    if (e) {
        int rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot read %s: %s", from, e);
        rocksdb_free(e);
        return rc;
    }
    bool ok = p && n == strlen(FORMAT) && memcmp(p, FORMAT, n) == 0;
    rocksdb_free(p);
    if (!ok)
        return sl_err_set(err, SL_EFORMAT,
                          "state backend rocksdb: %s is not a snapshot of sluice's rocksdb "
                          "backend (format marker missing)", from);
    key[4] = 'n';
    p = rocksdb_get(s->db, s->ro, (const char *)key, 5, &n, &e);
    if (p && n == 8) s->now = (int64_t)get_be64((unsigned char *)p);
    rocksdb_free(p);
    if (e) {
        rocksdb_free(e);
        return sl_err_set(err, SL_EIO, "state backend rocksdb: cannot read %s", from);
    }
    key[4] = 't';
    rocksdb_iterator_t *it = rocksdb_create_iterator(s->db, s->ro);
    int rc = 0;
    for (rocksdb_iter_seek(it, (const char *)key, 5); !rc && rocksdb_iter_valid(it);
         rocksdb_iter_next(it)) {
        size_t kn, vn;
        const char *k = rocksdb_iter_key(it, &kn);
        if (kn < 5 || memcmp(k, key, 5) != 0) break;
        const unsigned char *val = (const unsigned char *)rocksdb_iter_value(it, &vn);
        uint32_t id = vn == 12 ? get_be32(val) : 0;
        if (id < FIRST_ID || id == UINT32_MAX || memchr(k + 5, 0, kn - 5)) {
            rc = sl_err_set(err, SL_EFORMAT,
                            "state backend rocksdb: %s: damaged table directory", from);
            break;
        }
        rtable_t *t = table_new(s, id, (int64_t)get_be64(val + 4));
        if (!t || sl_hmap_put(&s->tables, k + 5, kn - 5, t)) {
            if (t) table_free(t);
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
            break;
        }
        if (id >= s->next_id) s->next_id = id + 1;
        unsigned char ck[9];
        put_be32(ck, SPACE_META);
        ck[4] = 'c';
        put_be32(ck + 5, id);
        char *c = rocksdb_get(s->db, s->ro, (const char *)ck, 9, &n, &e);
        if (c && n == 16) {
            t->count = get_be64((unsigned char *)c);
            t->bytes = get_be64((unsigned char *)c + 8);
            s->bytes += t->bytes;
        }
        rocksdb_free(c);
        if (e) {
            rocksdb_free(e);
            rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot read %s", from);
        }
    }
    if (!rc) {
        rocksdb_iter_get_error(it, &e);
        if (e) {
            rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot read %s: %s", from, e);
            rocksdb_free(e);
        }
    }
    rocksdb_iter_destroy(it);
    return rc;
}

/* Whether path a is b or lies inside it (both resolved). */
static bool path_within(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!realpath(a, ra) || !realpath(b, rb)) return false;
    size_t n = strlen(rb);
    return strncmp(ra, rb, n) == 0 && (ra[n] == '/' || ra[n] == '\0' || n == 1);
}

/* The options: an LRU block cache of the configured size, 10-bit bloom
 * filters (a get of an absent key, the common case of a first write,
 * mostly skips the SST files), the configured write buffers, level
 * compaction with dynamic level sizes, LZ4 (lz4 true) or no compression,
 * background_threads for flushes and compactions. */
static rocksdb_options_t *make_options(rstate_t *s, const sl_rocksdb_conf_t *c,
                                       bool lz4)
{
    rocksdb_options_t *o = rocksdb_options_create();
    rocksdb_options_increase_parallelism(o, c->background_threads);
    rocksdb_options_set_max_background_jobs(o, c->background_threads);
    rocksdb_options_set_create_if_missing(o, 1);
    rocksdb_options_set_write_buffer_size(o, (size_t)c->write_buffer_bytes);
    rocksdb_options_set_max_write_buffer_number(o, c->write_buffer_count);
    rocksdb_options_set_compaction_style(o, rocksdb_level_compaction);
    rocksdb_options_set_level_compaction_dynamic_level_bytes(o, 1);
    /* Level sizes follow the write buffer (RocksDB's tuning guide: the
     * base level about as big as L0 at its compaction trigger of 4 files);
     * at the 64 MB default these are RocksDB's own defaults (256 MB, 64 MB),
     * and a small buffer gets small files and levels instead of rewriting
     * one huge base level for every few flushes. */
    rocksdb_options_set_max_bytes_for_level_base(o, 4 * (uint64_t)c->write_buffer_bytes);
    rocksdb_options_set_target_file_size_base(o, (uint64_t)c->write_buffer_bytes);
    rocksdb_options_set_compression(o, lz4 ? rocksdb_lz4_compression
                                           : rocksdb_no_compression);
    rocksdb_options_set_block_based_table_factory(o, s->bbto);
    /* A bloom filter over the memtable's whole keys too: every put first
     * reads its key (see Counts) and most puts of new keys then miss the
     * memtable without walking its skiplist. */
    rocksdb_options_set_memtable_whole_key_filtering(o, 1);
    rocksdb_options_set_memtable_prefix_bloom_size_ratio(o, 0.05);
    rocksdb_options_set_keep_log_file_num(o, 2);
    rocksdb_options_set_max_log_file_size(o, 8 << 20);
    /* Memtables hold nothing worth keeping at close (see the top). A DB
     * option the C API has no setter for; a failure only costs a flush. */
    rocksdb_options_t *o2 = rocksdb_options_create();
    char *e = NULL;
    rocksdb_get_options_from_string(o, "avoid_flush_during_shutdown=true", o2, &e);
    if (e) {
        rocksdb_free(e);
        rocksdb_options_destroy(o2);
        return o;
    }
    rocksdb_options_destroy(o);
    return o2;
}

int sl_state_rocksdb_open(const char *dir, const char *from,
                          const sl_rocksdb_conf_t *conf, sl_state_t **out,
                          sl_err_t *err)
{
    sl_rocksdb_conf_t c;
    if (conf) c = *conf;
    else sl_rocksdb_conf_init(&c);
    if (c.block_cache_bytes <= 0 || c.write_buffer_bytes <= 0 || c.write_buffer_count <= 0 ||
        c.block_size <= 0 || c.background_threads <= 0)
        return sl_err_set(err, SL_EINVAL,
                          "state backend rocksdb: cache, write buffer, block size and "
                          "thread count must be positive");
    if (from) {
        if (path_within(from, dir))
            return sl_err_set(err, SL_EINVAL,
                              "state backend rocksdb: snapshot %s lies in the working "
                              "directory %s, which is wiped on open", from, dir);
        char *cur = malloc(strlen(from) + 16);
        if (!cur) return sl_err_set(err, SL_ENOMEM, "out of memory");
        sprintf(cur, "%s/CURRENT", from);
        struct stat sb;
        int missing = stat(cur, &sb) ? errno : 0;
        free(cur);
        if (missing)
            return sl_err_set(err, missing == ENOENT ? SL_ENOTFOUND : SL_EIO,
                              "state backend rocksdb: %s is not a RocksDB snapshot "
                              "(%s/CURRENT: %s)", from, from, strerror(missing));
    }
    int e1 = remove_tree(dir);
    if (e1 || (e1 = mkdir_p(dir)))
        return sl_err_set(err, SL_EIO, "state backend rocksdb: cannot prepare working "
                          "directory %s: %s", dir, strerror(e1));
    int rc;
    if (from && (rc = link_snapshot(from, dir, err))) return rc;

    rstate_t *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir))) {
        free(s);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    s->base.ops = &rocksdb_ops;
    s->next_id = FIRST_ID;
    s->incremental = c.incremental;
    sl_hmap_init(&s->tables, 0);
    s->cache = rocksdb_cache_create_lru((size_t)c.block_cache_bytes);
    s->bbto = rocksdb_block_based_options_create();
    rocksdb_block_based_options_set_block_cache(s->bbto, s->cache);
    rocksdb_block_based_options_set_block_size(s->bbto, (size_t)c.block_size);
    /* the table options own the policy */
    rocksdb_block_based_options_set_filter_policy(s->bbto,
                                                  rocksdb_filterpolicy_create_bloom_full(10));
    s->ro = rocksdb_readoptions_create();
    s->ro_scan = rocksdb_readoptions_create();
    s->wo = rocksdb_writeoptions_create();
    rocksdb_writeoptions_disable_WAL(s->wo, 1); /* why: see the top */
    s->wb = rocksdb_writebatch_wi_create(0, 1);
    s->spill = c.write_buffer_bytes < (1 << 20) ? 1 << 20 : (size_t)c.write_buffer_bytes;

    char *e = NULL;
    s->opts = make_options(s, &c, true);
    s->db = rocksdb_open(s->opts, dir, &e);
    if (e && strstr(e, "not linked")) { /* a RocksDB built without LZ4 */
        rocksdb_free(e);
        e = NULL;
        rocksdb_options_destroy(s->opts);
        s->opts = make_options(s, &c, false);
        s->db = rocksdb_open(s->opts, dir, &e);
    }
    if (e) {
        rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot open %s%s%s: %s", dir,
                        from ? " from snapshot " : "", from ? from : "", e);
        rocksdb_free(e);
        s->db = NULL;
        rk_free(&s->base);
        return rc;
    }
    if (from) {
        rc = load_meta(s, from, err);
    } else {
        unsigned char key[5];
        put_be32(key, SPACE_META);
        key[4] = 'v';
        rocksdb_put(s->db, s->wo, (const char *)key, 5, FORMAT, strlen(FORMAT), &e);
        rc = 0;
        if (e) {
            rc = sl_err_set(err, SL_EIO, "state backend rocksdb: cannot write %s: %s", dir, e);
            rocksdb_free(e);
        }
    }
    if (rc) {
        rk_free(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

static const sl_state_ops_t rocksdb_ops = {
    .name = "rocksdb",
    .free = rk_free,
    .bytes = rk_bytes,
    .footprint = rk_footprint,
    .table = rk_table,
    .set_time = rk_set_time,
    .get = rk_get,
    .put = rk_put,
    .del = rk_del,
    .count = rk_count,
    .expire = rk_expire,
    .seek = rk_seek,
    .next = rk_next,
    .iter_free = rk_iter_free,
    .last = rk_last,
    .begin = rk_begin,
    .commit = rk_commit,
    .snapshot = rk_snapshot,
};
