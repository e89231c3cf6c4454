/* check_state.c - unit tests for keyed state (state/state.h) on both
 * backends, memory and RocksDB (each shared test runs once per backend, a
 * RocksDB one in a fresh temporary directory): a randomized model test
 * against a sorted array (with write batches opened and closed at random),
 * TTL with a fake clock, bulk ordered/unordered loads and drains, write
 * batch visibility; snapshots and restores of both backends (round trips
 * with TTL deadlines, refusals, damaged files, a full disk); RocksDB state
 * bigger than its cache, and snapshots that later writes cannot change;
 * allocation failure through the memory backend's test hook. */
#include "state/rocksdb.h"
#include "state/state.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* ck_assert records every passing assertion; too slow for hot loops. */
#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

/* Backends by index: 0 memory, 1 rocksdb. A test bed owns a temporary
 * directory (for RocksDB's working directory and for snapshots), removed
 * with everything in it by tb_close. */
#define NBACKENDS 2
#define B_MEMORY 0
#define B_ROCKSDB 1

typedef struct testbed {
    char root[256];
    int nwork;                  /* working directories handed out */
} testbed_t;

static int rm_one(const char *path, const struct stat *sb, int type,
                  struct FTW *f)
{
    (void)sb;
    (void)type;
    (void)f;
    remove(path);
    return 0;
}

static void rm_rf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void tb_init(testbed_t *tb)
{
    const char *t = getenv("TMPDIR");
    snprintf(tb->root, sizeof tb->root, "%s/sl-check-state-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tb->root));
    tb->nwork = 0;
}

static void tb_close(testbed_t *tb)
{
    rm_rf(tb->root);
}

/* root/name in buf. */
static const char *tb_path(const testbed_t *tb, const char *name, char *buf,
                           size_t n)
{
    snprintf(buf, n, "%s/%s", tb->root, name);
    return buf;
}

/* A new backend of kind which; RocksDB in a new working directory under
 * the test bed, started from snapshot from when not NULL, with conf (NULL:
 * defaults). */
static sl_state_t *tb_open_conf(testbed_t *tb, int which, const char *from,
                                const sl_rocksdb_conf_t *conf)
{
    sl_state_t *st = NULL;
    sl_err_t err;
    sl_err_clear(&err);
    if (which == B_MEMORY) {
        if (from) {
            int rc = sl_state_memory_restore(from, &st, &err);
            ck_assert_msg(rc == 0, "restore: %s", err.msg);
        } else {
            st = sl_state_memory_new();
        }
    } else {
        char dir[300];
        snprintf(dir, sizeof dir, "%s/work%d", tb->root, tb->nwork++);
        int rc = sl_state_rocksdb_open(dir, from, conf, &st, &err);
        ck_assert_msg(rc == 0, "rocksdb open: %s", err.msg);
    }
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(sl_state_backend(st), which == B_MEMORY ? "memory" : "rocksdb");
    return st;
}

static sl_state_t *tb_open(testbed_t *tb, int which)
{
    return tb_open_conf(tb, which, NULL, NULL);
}

static void begin(sl_state_t *st)
{
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_state_begin(st, &err);
    ck_assert_msg(rc == 0, "begin: %s", err.msg);
}

static void commit(sl_state_t *st)
{
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_state_commit(st, &err);
    ck_assert_msg(rc == 0, "commit: %s", err.msg);
}

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    const char *env = getenv("SL_TEST_SEED");
    rng_state = env ? strtoull(env, NULL, 0) : s;
    if (!rng_state) rng_state = 0x9e3779b97f4a7c15ULL;
}

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b,
                   size_t bn)
{
    size_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return an < bn ? -1 : an > bn;
}

static int has_prefix(const unsigned char *k, size_t kn, const unsigned char *p,
                      size_t pn)
{
    return kn >= pn && (pn == 0 || memcmp(k, p, pn) == 0);
}

/* ---- the reference model: a sorted array ------------------------------- */

typedef struct ment {
    unsigned char *k, *v;
    size_t kn, vn;
    int64_t exp;                /* INT64_MAX without TTL */
} ment_t;

typedef struct model {
    ment_t *e;
    size_t n, cap;
    int64_t ttl;
    size_t bytes;
} model_t;

static void m_init(model_t *m, int64_t ttl)
{
    memset(m, 0, sizeof *m);
    m->ttl = ttl;
}

static void m_destroy(model_t *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].k);
        free(m->e[i].v);
    }
    free(m->e);
}

/* first index with key >= k */
static size_t m_lb(const model_t *m, const unsigned char *k, size_t kn)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key_cmp(m->e[mid].k, m->e[mid].kn, k, kn) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* first index past every key starting with p */
static size_t m_ub_prefix(const model_t *m, const unsigned char *p, size_t pn)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const ment_t *e = &m->e[mid];
        size_t c = e->kn < pn ? e->kn : pn;
        int r = c ? memcmp(e->k, p, c) : 0;
        if (r == 0 && e->kn < pn) r = -1;
        if (r <= 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int m_find(const model_t *m, const unsigned char *k, size_t kn,
                  size_t *at)
{
    size_t i = m_lb(m, k, kn);
    *at = i;
    return i < m->n && key_cmp(m->e[i].k, m->e[i].kn, k, kn) == 0;
}

static int m_live(const model_t *m, size_t i, int64_t now)
{
    return m->e[i].exp > now;
}

static unsigned char *mdup(const void *p, size_t n)
{
    unsigned char *d = malloc(n ? n : 1);
    REQUIRE(d);
    if (n) memcpy(d, p, n);
    return d;
}

static void m_put(model_t *m, const unsigned char *k, size_t kn,
                  const unsigned char *v, size_t vn, int64_t now)
{
    size_t i;
    int64_t exp = m->ttl ? now + m->ttl : INT64_MAX;
    if (m_find(m, k, kn, &i)) {
        m->bytes = m->bytes - m->e[i].vn + vn;
        free(m->e[i].v);
        m->e[i].v = mdup(v, vn);
        m->e[i].vn = vn;
        m->e[i].exp = exp;
        return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->e = realloc(m->e, m->cap * sizeof *m->e);
        REQUIRE(m->e);
    }
    memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof *m->e);
    m->e[i] = (ment_t){mdup(k, kn), mdup(v, vn), kn, vn, exp};
    m->n++;
    m->bytes += kn + vn;
}

static void m_remove(model_t *m, size_t i)
{
    m->bytes -= m->e[i].kn + m->e[i].vn;
    free(m->e[i].k);
    free(m->e[i].v);
    memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof *m->e);
    m->n--;
}

static size_t m_expire(model_t *m, int64_t now)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n;) {
        if (!m_live(m, i, now)) {
            m_remove(m, i);
            n++;
        } else {
            i++;
        }
    }
    return n;
}

/* Checks up to limit entries of it against the model from index i on:
 * the live entries with the prefix, in order, then the end. */
static void check_iter(sl_kv_iter_t *it, const model_t *m, size_t i,
                       const unsigned char *p, size_t pn, int64_t now,
                       size_t limit)
{
    for (size_t got_n = 0; got_n < limit; got_n++) {
        while (i < m->n && has_prefix(m->e[i].k, m->e[i].kn, p, pn) &&
               !m_live(m, i, now))
            i++;
        int more = i < m->n && has_prefix(m->e[i].k, m->e[i].kn, p, pn);
        const void *k, *v;
        size_t kn, vn;
        int got = sl_kv_iter_next(it, &k, &kn, &v, &vn);
        REQUIRE(got == more);
        if (!got) {
            REQUIRE(sl_kv_iter_next(it, &k, &kn, &v, &vn) == 0);
            return;
        }
        REQUIRE(kn == m->e[i].kn && vn == m->e[i].vn);
        REQUIRE(kn == 0 || memcmp(k, m->e[i].k, kn) == 0);
        REQUIRE(vn == 0 || memcmp(v, m->e[i].v, vn) == 0);
        i++;
    }
}

static void check_full(sl_kv_t *kv, const model_t *m, int64_t now)
{
    REQUIRE(sl_kv_count(kv) == m->n);
    sl_kv_iter_t *it = sl_kv_iter_new(kv, NULL, 0);
    REQUIRE(it);
    check_iter(it, m, 0, NULL, 0, now, SIZE_MAX);
    sl_kv_iter_free(it);
}

static void check_last(sl_kv_t *kv, const model_t *m, const unsigned char *p,
                       size_t pn, int64_t now)
{
    size_t j = m_ub_prefix(m, p, pn);
    int want = 0;
    while (j > 0) {
        j--;
        if (!has_prefix(m->e[j].k, m->e[j].kn, p, pn)) break;
        if (m_live(m, j, now)) {
            want = 1;
            break;
        }
    }
    const void *k, *v;
    size_t kn, vn;
    int got = sl_kv_last(kv, p, pn, &k, &kn, &v, &vn);
    REQUIRE(got == want);
    if (got) {
        REQUIRE(kn == m->e[j].kn && vn == m->e[j].vn);
        REQUIRE(kn == 0 || memcmp(k, m->e[j].k, kn) == 0);
        REQUIRE(vn == 0 || memcmp(v, m->e[j].v, vn) == 0);
    }
}

/* ---- key and value generators ------------------------------------------ */

typedef struct key {
    unsigned char *p;
    size_t n;
} key_t_;

#define NPOOL 20000

static key_t_ *pool;

/* Keys with shared prefixes of 0..14 bytes (so the 8-byte prefix integers
 * often tie), bytes 0x00 and 0xFF, the empty key, and a few keys longer than
 * the slab limit. */
static void pool_make(void)
{
    static const char *pre[] = {"", "\x00", "user:", "user:000000000",
                                "\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                                "grp\x00\x01"};
    static const size_t pre_n[] = {0, 1, 5, 14, 9, 5};
    static const unsigned char alpha[] = {0x00, 0x01, 'a', 'b', 0x7f, 0xfe,
                                          0xff};
    pool = calloc(NPOOL, sizeof *pool);
    REQUIRE(pool);
    for (int i = 0; i < NPOOL; i++) {
        int w = (int)(rnd() % 6);
        size_t sn = rnd() % 12;
        if (i % 1000 == 999) sn = 9000 + rnd() % 100; /* large entry */
        size_t n = pre_n[w] + sn;
        unsigned char *p = malloc(n ? n : 1);
        REQUIRE(p);
        memcpy(p, pre[w], pre_n[w]);
        for (size_t j = pre_n[w]; j < n; j++)
            p[j] = rnd() & 1 ? alpha[rnd() % sizeof alpha] : (unsigned char)rnd();
        pool[i].p = p;
        pool[i].n = n;
    }
}

static void pool_free(void)
{
    for (int i = 0; i < NPOOL; i++) free(pool[i].p);
    free(pool);
    pool = NULL;
}

static unsigned char valbuf[20000];

static size_t make_val(void)
{
    int r = (int)(rnd() % 1000);
    size_t n = r < 900 ? rnd() % 40 : r < 995 ? rnd() % 1000 : 8000 + rnd() % 10000;
    for (size_t i = 0; i < n; i++) valbuf[i] = (unsigned char)rnd();
    return n;
}

/* A prefix: a pool key cut to a random length. */
static size_t make_prefix(const unsigned char **p)
{
    const key_t_ *k = &pool[rnd() % NPOOL];
    *p = k->p;
    size_t n = rnd() % 4 == 0 ? 0 : rnd() % (k->n + 1);
    return n > 20 ? 20 : n;
}

/* ---- tests --------------------------------------------------------------- */

#define NTABLES 3

/* Random operations on three tables against the model. Write batches open
 * and close at random, so reads and scans run both inside batches (through
 * RocksDB's batch index) and outside. */
START_TEST(test_model_random)
{
    rng_seed(12345 + (uint64_t)_i);
    pool_make();
    testbed_t tb;
    tb_init(&tb);
    sl_state_t *st = tb_open(&tb, _i);
    static const int64_t ttls[NTABLES] = {0, 1000, 0};
    static const char *names[NTABLES] = {"plain", "ttl", "other"};
    sl_kv_t *kv[NTABLES];
    model_t m[NTABLES];
    for (int i = 0; i < NTABLES; i++) {
        kv[i] = sl_state_table(st, names[i], ttls[i]);
        ck_assert_ptr_nonnull(kv[i]);
        m_init(&m[i], ttls[i]);
    }
    ck_assert_ptr_eq(sl_state_table(st, "ttl", 5), kv[1]);
    int64_t now = 0;
    size_t hits = 0, expired_total = 0, max_n = 0;
    int nops = _i == B_MEMORY ? 100000 : 30000; /* RocksDB: ~10x the cost */

    for (int op = 0; op < nops; op++) {
        if (rnd() % 64 == 0) {
            if (sl_state_in_batch(st)) commit(st);
            else begin(st);
        }
        int ti = (int)(rnd() % NTABLES);
        sl_kv_t *t = kv[ti];
        model_t *mm = &m[ti];
        const key_t_ *k = &pool[rnd() % NPOOL];
        int r = (int)(rnd() % 100);
        size_t i;
        if (r < 40) {
            size_t vn = make_val();
            REQUIRE(sl_kv_put(t, k->p, k->n, valbuf, vn) == 0);
            m_put(mm, k->p, k->n, valbuf, vn, now);
        } else if (r < 58) {
            int found = m_find(mm, k->p, k->n, &i);
            int live = found && m_live(mm, i, now);
            int rc = sl_kv_del(t, k->p, k->n);
            REQUIRE(rc == (live ? 0 : -SL_ENOTFOUND));
            if (found) m_remove(mm, i);
        } else if (r < 78) {
            const void *v;
            size_t vn;
            int found = m_find(mm, k->p, k->n, &i) && m_live(mm, i, now);
            int rc = sl_kv_get(t, k->p, k->n, &v, &vn);
            REQUIRE(rc == (found ? 0 : -SL_ENOTFOUND));
            if (found) {
                hits++;
                REQUIRE(vn == mm->e[i].vn);
                REQUIRE(vn == 0 || memcmp(v, mm->e[i].v, vn) == 0);
            }
        } else if (r < 84) {
            const unsigned char *p;
            size_t pn = make_prefix(&p);
            sl_kv_iter_t *it = sl_kv_iter_new(t, p, pn);
            REQUIRE(it);
            check_iter(it, mm, m_lb(mm, p, pn), p, pn, now,
                       rnd() % 50 == 0 ? SIZE_MAX : 200);
            sl_kv_iter_free(it);
        } else if (r < 90) {
            const unsigned char *p;
            size_t pn = make_prefix(&p);
            /* the seek key: often a pool key with that prefix, else any */
            const unsigned char *sk = k->p;
            size_t skn = k->n;
            unsigned char buf[64];
            if (rnd() % 2 && pn + 4 <= sizeof buf) {
                memcpy(buf, p, pn);
                for (int j = 0; j < 4; j++) buf[pn + j] = (unsigned char)rnd();
                sk = buf;
                skn = pn + rnd() % 5;
            }
            const unsigned char *start = p;
            size_t sn = pn;
            if (skn && key_cmp(sk, skn, p, pn) > 0) {
                start = sk;
                sn = skn;
            }
            sl_kv_iter_t *it = sl_kv_iter_seek(t, p, pn, sk, skn);
            REQUIRE(it);
            check_iter(it, mm, m_lb(mm, start, sn), p, pn, now, 100);
            sl_kv_iter_free(it);
        } else if (r < 95) {
            const unsigned char *p;
            size_t pn = make_prefix(&p);
            check_last(t, mm, p, pn, now);
        } else if (r < 98) {
            now += (int64_t)(rnd() % 300);
            sl_state_set_time(st, now);
        } else {
            size_t n = sl_kv_expire(t);
            REQUIRE(n == m_expire(mm, now));
            expired_total += n;
        }
        REQUIRE(sl_kv_count(t) == mm->n);
        if (mm->n > max_n) max_n = mm->n;
        size_t bytes = 0;
        for (int j = 0; j < NTABLES; j++) bytes += m[j].bytes;
        REQUIRE(sl_state_bytes(st) == bytes);
        if (op % 1000 == 0) REQUIRE(sl_state_footprint(st) >= bytes);
        if (op % 20000 == 19999)
            for (int j = 0; j < NTABLES; j++) check_full(kv[j], &m[j], now);
    }
    if (sl_state_in_batch(st)) commit(st);
    for (int j = 0; j < NTABLES; j++) check_full(kv[j], &m[j], now);
    ck_assert_uint_gt(hits, _i == B_MEMORY ? 1000 : 300);
    ck_assert_uint_gt(expired_total, 100);
    ck_assert_uint_gt(max_n, _i == B_MEMORY ? 5000 : 1500);
    for (int j = 0; j < NTABLES; j++) m_destroy(&m[j]);
    sl_state_free(st);
    tb_close(&tb);
    pool_free();
}
END_TEST

static void set_key(unsigned char *key, size_t off, uint32_t id)
{
    key[off] = (unsigned char)(id >> 24);
    key[off + 1] = (unsigned char)(id >> 16);
    key[off + 2] = (unsigned char)(id >> 8);
    key[off + 3] = (unsigned char)id;
}

/* Loads of n keys in ascending, descending and random order, drained in
 * random order, with full scans between: splits, merges and redistribution
 * at every level of a tree 3-4 levels high. batch > 0 brackets every batch
 * writes with begin/commit (scans run between batches). */
static void bulk(sl_state_t *st, int order, size_t n, int shared_prefix,
                 int batch)
{
    sl_kv_t *kv = sl_state_table(st, "bulk", 0);
    uint32_t *ids = malloc(n * sizeof *ids);
    REQUIRE(ids);
    for (size_t i = 0; i < n; i++) ids[i] = (uint32_t)i;
    for (size_t i = n - 1; order == 2 && i > 0; i--) {
        size_t j = rnd() % (i + 1);
        uint32_t x = ids[i];
        ids[i] = ids[j];
        ids[j] = x;
    }
    unsigned char key[16] = "prefix-0123456:";
    size_t off = shared_prefix ? 12 : 0, kn = off + 4;
    for (size_t i = 0; i < n; i++) {
        if (batch && i % (size_t)batch == 0) begin(st);
        uint32_t id = order == 1 ? (uint32_t)(n - 1 - i) : ids[i];
        set_key(key, off, id);
        REQUIRE(sl_kv_put(kv, key, kn, &id, sizeof id) == 0);
        if (batch && (i % (size_t)batch == (size_t)batch - 1 || i == n - 1)) commit(st);
    }
    REQUIRE(sl_kv_count(kv) == n);
    REQUIRE(sl_state_bytes(st) == n * (kn + 4));
    /* full scan in order */
    sl_kv_iter_t *it = sl_kv_iter_new(kv, NULL, 0);
    const void *k, *v;
    size_t kl, vl;
    for (uint32_t i = 0; i < n; i++) {
        REQUIRE(sl_kv_iter_next(it, &k, &kl, &v, &vl) == 1);
        uint32_t got;
        memcpy(&got, v, 4);
        REQUIRE(kl == kn && got == i);
    }
    REQUIRE(sl_kv_iter_next(it, &k, &kl, &v, &vl) == 0);
    sl_kv_iter_free(it);
    REQUIRE(sl_kv_last(kv, NULL, 0, &k, &kl, &v, &vl) == 1);
    uint32_t lastv;
    memcpy(&lastv, v, 4);
    REQUIRE(lastv == n - 1);
    /* drain in random order, verifying neighbours now and then */
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rnd() % (i + 1);
        uint32_t x = ids[i];
        ids[i] = ids[j];
        ids[j] = x;
    }
    size_t every = n / 64 > 4096 ? 4096 : n / 64;
    for (size_t i = 0; i < n; i++) {
        if (batch && i % (size_t)batch == 0) begin(st);
        uint32_t id = ids[i];
        set_key(key, off, id);
        REQUIRE(sl_kv_del(kv, key, kn) == 0);
        REQUIRE(sl_kv_get(kv, key, kn, &v, &vl) == -SL_ENOTFOUND);
        if (batch && (i % (size_t)batch == (size_t)batch - 1 || i == n - 1)) commit(st);
        if (i % every == 0 && !sl_state_in_batch(st)) {
            /* the scan must be ordered and complete */
            it = sl_kv_iter_new(kv, NULL, 0);
            size_t c = 0;
            unsigned char prev[16];
            while (sl_kv_iter_next(it, &k, &kl, &v, &vl)) {
                REQUIRE(c == 0 || key_cmp(prev, kn, k, kl) < 0);
                memcpy(prev, k, kl);
                c++;
            }
            REQUIRE(c == n - i - 1);
            sl_kv_iter_free(it);
        }
    }
    REQUIRE(sl_kv_count(kv) == 0);
    REQUIRE(sl_state_bytes(st) == 0);
    REQUIRE(sl_kv_last(kv, NULL, 0, &k, &kl, &v, &vl) == 0);
    /* reusable after draining */
    REQUIRE(sl_kv_put(kv, "x", 1, "y", 1) == 0);
    REQUIRE(sl_kv_get(kv, "x", 1, &v, &vl) == 0 && vl == 1);
    REQUIRE(sl_kv_del(kv, "x", 1) == 0);
    free(ids);
}

START_TEST(test_bulk_orders)
{
    rng_seed(777);
    testbed_t tb;
    tb_init(&tb);
    sl_state_t *st = tb_open(&tb, _i);
    if (_i == B_MEMORY) {
        bulk(st, 0, 300000, 0, 0);
        bulk(st, 1, 300000, 1, 0);
        bulk(st, 2, 300000, 1, 0);
        bulk(st, 2, 100000, 0, 0);
    } else {
        /* RocksDB: the same shapes, smaller, mostly in batches */
        bulk(st, 0, 10000, 0, 1000);
        bulk(st, 1, 10000, 1, 1000);
        bulk(st, 2, 10000, 1, 500);
        bulk(st, 2, 3000, 0, 0);
    }
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

START_TEST(test_ttl)
{
    testbed_t tb;
    tb_init(&tb);
    sl_state_t *st = tb_open(&tb, _i);
    sl_kv_t *kv = sl_state_table(st, "t", 100);
    sl_kv_t *plain = sl_state_table(st, "p", 0);
    const void *v, *k;
    size_t vn, kn;
    sl_state_set_time(st, 1000);
    ck_assert_int_eq(sl_kv_put(kv, "a", 1, "1", 1), 0);
    ck_assert_int_eq(sl_kv_put(plain, "a", 1, "1", 1), 0);
    sl_state_set_time(st, 1050);
    ck_assert_int_eq(sl_kv_put(kv, "b", 1, "2", 1), 0);
    sl_state_set_time(st, 1099);
    ck_assert_int_eq(sl_kv_get(kv, "a", 1, &v, &vn), 0);
    sl_state_set_time(st, 1100); /* a expires at exactly 1000 + 100 */
    ck_assert_int_eq(sl_kv_get(kv, "a", 1, &v, &vn), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_get(plain, "a", 1, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_get(kv, "b", 1, &v, &vn), 0);
    sl_state_set_time(st, 500); /* time never goes back */
    ck_assert_int_eq(sl_kv_get(kv, "a", 1, &v, &vn), -SL_ENOTFOUND);
    /* iteration and last skip the expired entry; count still holds it */
    sl_kv_iter_t *it = sl_kv_iter_new(kv, NULL, 0);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
    ck_assert_int_eq(kn, 1);
    ck_assert_int_eq(((const char *)k)[0], 'b');
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    sl_kv_iter_free(it);
    ck_assert_int_eq(sl_kv_last(kv, "a", 1, &k, &kn, &v, &vn), 0);
    ck_assert_uint_eq(sl_kv_count(kv), 2);
    /* rewriting b restarts its TTL */
    sl_state_set_time(st, 1140);
    ck_assert_int_eq(sl_kv_put(kv, "b", 1, "22", 2), 0);
    sl_state_set_time(st, 1200);
    ck_assert_int_eq(sl_kv_get(kv, "b", 1, &v, &vn), 0);
    ck_assert_int_eq(vn, 2);
    ck_assert_uint_eq(sl_kv_expire(kv), 1);
    ck_assert_uint_eq(sl_kv_count(kv), 1);
    ck_assert_uint_eq(sl_kv_expire(plain), 0);
    /* an expired key is gone for put (a fresh entry) and for del */
    sl_state_set_time(st, 1240);
    ck_assert_int_eq(sl_kv_get(kv, "b", 1, &v, &vn), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_del(kv, "b", 1), -SL_ENOTFOUND);
    ck_assert_uint_eq(sl_kv_count(kv), 0);
    ck_assert_int_eq(sl_kv_del(kv, "b", 1), -SL_ENOTFOUND);
    ck_assert_uint_eq(sl_state_bytes(st), 2);

    /* many entries written over time expire in write order */
    for (int i = 0; i < 10000; i++) {
        if (i == 6000) {
            /* now 2599: the writes until 2499 (the first 5000) are due */
            ck_assert_uint_eq(sl_kv_expire(kv), 5000);
            ck_assert_uint_eq(sl_kv_count(kv), 1000);
        }
        sl_state_set_time(st, 2000 + i / 10);
        char key[8];
        int n = snprintf(key, sizeof key, "%05d", (i * 7919) % 10000);
        ck_assert_int_eq(sl_kv_put(kv, key, (size_t)n, &i, sizeof i), 0);
    }
    sl_state_set_time(st, 1000000);
    ck_assert_uint_eq(sl_kv_expire(kv), 5000);
    ck_assert_uint_eq(sl_kv_count(kv), 0);
    ck_assert_uint_eq(sl_state_bytes(st), 2);
    ck_assert_uint_eq(sl_kv_expire(kv), 0);

    /* the same inside a write batch, rewrites included: expire sees the
     * batch's writes and drops more than one round of the index */
    sl_kv_t *t2 = sl_state_table(st, "t2", 50);
    begin(st);
    for (int i = 0; i < 3000; i++) {
        sl_state_set_time(st, 2000000 + i / 100);
        char key[8];
        int n = snprintf(key, sizeof key, "%05d", (i * 7919) % 2000);
        ck_assert_int_eq(sl_kv_put(t2, key, (size_t)n, &i, sizeof i), 0);
    }
    ck_assert_uint_eq(sl_kv_count(t2), 2000);
    sl_state_set_time(st, 2000000 + 10 + 50); /* writes before +10 are due */
    size_t due = 0;
    for (int key = 0; key < 2000; key++) { /* the last write of each key */
        int last = -1;
        for (int i = 0; i < 3000; i++)
            if ((i * 7919) % 2000 == key) last = i;
        if (last / 100 <= 10) due++;
    }
    ck_assert_uint_eq(due, 100);
    ck_assert_uint_eq(sl_kv_expire(t2), due);
    ck_assert_uint_eq(sl_kv_count(t2), 2000 - due);
    commit(st);
    sl_state_set_time(st, 3000000);
    begin(st);
    ck_assert_uint_eq(sl_kv_expire(t2), 2000 - due);
    commit(st);
    ck_assert_uint_eq(sl_kv_count(t2), 0);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

/* The write-batch bracket: no nesting, commit only when open, reads,
 * scans, last and count see the batch's own writes (RocksDB reads through
 * its batch index), the data is there after commit, and writes outside a
 * batch still work. */
START_TEST(test_write_batch)
{
    testbed_t tb;
    tb_init(&tb);
    sl_state_t *st = tb_open(&tb, _i);
    sl_kv_t *kv = sl_state_table(st, "b", 0);
    sl_kv_t *other = sl_state_table(st, "o", 0);
    sl_err_t err;
    sl_err_clear(&err);
    const void *v, *k;
    size_t vn, kn;
    ck_assert_int_eq(sl_state_in_batch(st), 0);
    ck_assert_int_eq(sl_state_commit(st, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no state write batch"));
    ck_assert_int_eq(sl_state_begin(st, &err), 0);
    ck_assert_int_eq(sl_state_in_batch(st), 1);
    ck_assert_int_eq(sl_state_begin(st, &err), -SL_EINVAL);
    ck_assert_int_eq(sl_kv_put(kv, "k", 1, "v1", 2), 0);
    ck_assert_int_eq(sl_kv_get(kv, "k", 1, &v, &vn), 0);
    ck_assert_int_eq((int)vn, 2);
    ck_assert_int_eq(memcmp(v, "v1", 2), 0);
    ck_assert_int_eq(sl_state_commit(st, &err), 0);
    ck_assert_int_eq(sl_state_in_batch(st), 0);
    ck_assert_int_eq(sl_kv_get(kv, "k", 1, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_del(kv, "k", 1), 0);
    ck_assert_int_eq(sl_kv_get(kv, "k", 1, &v, &vn), -SL_ENOTFOUND);

    /* committed entries, then a batch over them */
    char key[8], val[16];
    for (int i = 0; i < 100; i += 2) { /* even keys committed */
        snprintf(key, sizeof key, "k%03d", i);
        ck_assert_int_eq(sl_kv_put(kv, key, 4, "old", 3), 0);
    }
    begin(st);
    for (int i = 1; i < 100; i += 2) { /* odd keys in the batch */
        snprintf(key, sizeof key, "k%03d", i);
        snprintf(val, sizeof val, "new%d", i);
        ck_assert_int_eq(sl_kv_put(kv, key, 4, val, strlen(val)), 0);
    }
    ck_assert_int_eq(sl_kv_put(kv, "k000", 4, "over", 4), 0);  /* overwrite */
    ck_assert_int_eq(sl_kv_del(kv, "k050", 4), 0);             /* committed */
    ck_assert_int_eq(sl_kv_del(kv, "k051", 4), 0);             /* batch's */
    ck_assert_int_eq(sl_kv_del(kv, "k051", 4), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_put(other, "x", 1, "y", 1), 0);
    ck_assert_uint_eq(sl_kv_count(kv), 98);
    ck_assert_uint_eq(sl_kv_count(other), 1);
    ck_assert_int_eq(sl_kv_get(kv, "k000", 4, &v, &vn), 0);
    ck_assert(vn == 4 && memcmp(v, "over", 4) == 0);
    ck_assert_int_eq(sl_kv_get(kv, "k050", 4, &v, &vn), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_get(kv, "k099", 4, &v, &vn), 0);
    ck_assert(vn == 5 && memcmp(v, "new99", 5) == 0);
    for (int pass = 0; pass < 2; pass++) {
        /* the full scan merges committed and batch entries in order */
        sl_kv_iter_t *it = sl_kv_iter_new(kv, "k", 1);
        int n = 0, prev = -1;
        while (sl_kv_iter_next(it, &k, &kn, &v, &vn)) {
            ck_assert_uint_eq(kn, 4);
            int id = atoi((const char *)k + 1);
            ck_assert_int_gt(id, prev);
            ck_assert(id != 50 && id != 51);
            if (id == 0) ck_assert(vn == 4 && memcmp(v, "over", 4) == 0);
            else if (id % 2 == 0) ck_assert(vn == 3 && memcmp(v, "old", 3) == 0);
            else ck_assert(vn >= 4 && memcmp(v, "new", 3) == 0);
            prev = id;
            n++;
        }
        ck_assert_int_eq(n, 98);
        sl_kv_iter_free(it);
        /* seek into the middle, and last of a prefix */
        it = sl_kv_iter_seek(kv, "k0", 2, "k049", 4);
        ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
        ck_assert_int_eq(memcmp(k, "k049", 4), 0);
        ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
        ck_assert_int_eq(memcmp(k, "k052", 4), 0);
        sl_kv_iter_free(it);
        ck_assert_int_eq(sl_kv_last(kv, "k05", 3, &k, &kn, &v, &vn), 1);
        ck_assert_int_eq(memcmp(k, "k059", 4), 0);
        ck_assert_int_eq(sl_kv_last(kv, "k", 1, &k, &kn, &v, &vn), 1);
        ck_assert_int_eq(memcmp(k, "k099", 4), 0);
        ck_assert_int_eq(sl_kv_last(other, NULL, 0, &k, &kn, &v, &vn), 1);
        if (pass == 0) commit(st); /* the same after commit */
    }
    /* writes outside a batch are durable at once and visible to a batch */
    ck_assert_int_eq(sl_kv_put(kv, "z", 1, "1", 1), 0);
    begin(st);
    ck_assert_int_eq(sl_kv_get(kv, "z", 1, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_del(kv, "z", 1), 0);
    ck_assert_int_eq(sl_kv_last(kv, NULL, 0, &k, &kn, &v, &vn), 1);
    ck_assert_int_eq(memcmp(k, "k099", 4), 0);
    commit(st);
    ck_assert_int_eq(sl_kv_get(kv, "z", 1, &v, &vn), -SL_ENOTFOUND);
    ck_assert_uint_eq(sl_kv_count(kv), 98);
    /* a pointer from get survives reads and writes of other tables */
    ck_assert_int_eq(sl_kv_get(kv, "k000", 4, &v, &vn), 0);
    const void *v2;
    size_t vn2;
    ck_assert_int_eq(sl_kv_get(kv, "k002", 4, &v2, &vn2), 0);
    ck_assert_int_eq(sl_kv_put(other, "q", 1, "r", 1), 0);
    ck_assert(vn == 4 && memcmp(v, "over", 4) == 0);
    ck_assert(vn2 == 3 && memcmp(v2, "old", 3) == 0);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

START_TEST(test_edges)
{
    testbed_t tb;
    tb_init(&tb);
    sl_state_t *st = tb_open(&tb, _i);
    sl_kv_t *kv = sl_state_table(st, "e", 0);
    const void *v, *k;
    size_t vn, kn;
    /* empty table */
    ck_assert_int_eq(sl_kv_get(kv, "", 0, &v, &vn), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_del(kv, "x", 1), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_last(kv, NULL, 0, &k, &kn, &v, &vn), 0);
    sl_kv_iter_t *it = sl_kv_iter_seek(kv, "a", 1, "ab", 2);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    sl_kv_iter_free(it);
    /* empty key and empty value; NULL out-pointers */
    ck_assert_int_eq(sl_kv_put(kv, NULL, 0, NULL, 0), 0);
    ck_assert_int_eq(sl_kv_get(kv, NULL, 0, NULL, NULL), 0);
    ck_assert_int_eq(sl_kv_get(kv, "", 0, &v, &vn), 0);
    ck_assert_uint_eq(vn, 0);
    /* a value growing across size classes and into a large block, and
     * back, replaced in place or moved; the get pointer may move */
    static unsigned char big[100000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 31);
    static const size_t sizes[] = {1, 7, 8, 100, 120, 129, 5000, 8183, 8184,
                                   50000, 100000, 3, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        ck_assert_int_eq(sl_kv_put(kv, "key", 3, big, sizes[i]), 0);
        ck_assert_int_eq(sl_kv_get(kv, "key", 3, &v, &vn), 0);
        ck_assert_uint_eq(vn, sizes[i]);
        ck_assert(vn == 0 || memcmp(v, big, vn) == 0);
        ck_assert_uint_eq(sl_state_bytes(st), 3 + sizes[i]);
    }
    /* a value taken from the table itself (overlapping in-place copy) */
    ck_assert_int_eq(sl_kv_put(kv, "key", 3, big, 50), 0);
    ck_assert_int_eq(sl_kv_get(kv, "key", 3, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_put(kv, "key", 3, (const char *)v + 10, 40), 0);
    ck_assert_int_eq(sl_kv_get(kv, "key", 3, &v, &vn), 0);
    ck_assert(vn == 40 && memcmp(v, big + 10, 40) == 0);
    ck_assert_int_eq(sl_kv_put(kv, "key", 3, v, vn), 0); /* itself */
    ck_assert_int_eq(sl_kv_get(kv, "key", 3, &v, &vn), 0);
    ck_assert(vn == 40 && memcmp(v, big + 10, 40) == 0);
    ck_assert_int_eq(sl_kv_put(kv, "key", 3, v, vn), 0);
    /* prefixes with 0xFF bytes: last() must not wrap */
    ck_assert_int_eq(sl_kv_put(kv, "\xff\xff", 2, "A", 1), 0);
    ck_assert_int_eq(sl_kv_put(kv, "\xff\xff\xff", 3, "B", 1), 0);
    ck_assert_int_eq(sl_kv_put(kv, "\xff\xfe\xff", 3, "C", 1), 0);
    ck_assert_int_eq(sl_kv_last(kv, "\xff", 1, &k, &kn, &v, &vn), 1);
    ck_assert(kn == 3 && memcmp(v, "B", 1) == 0);
    ck_assert_int_eq(sl_kv_last(kv, "\xff\xfe", 2, &k, &kn, &v, &vn), 1);
    ck_assert(memcmp(v, "C", 1) == 0);
    ck_assert_int_eq(sl_kv_last(kv, "\xff\xfd", 2, &k, &kn, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_last(kv, NULL, 0, &k, &kn, &v, &vn), 1);
    ck_assert(memcmp(v, "B", 1) == 0);
    /* a table whose keys are all 0xFF next to one after it: its range
     * must end before the other table's keys */
    sl_kv_t *next = sl_state_table(st, "e2", 0);
    ck_assert_int_eq(sl_kv_put(next, "\x00", 1, "N", 1), 0);
    ck_assert_int_eq(sl_kv_last(kv, "\xff\xff\xff", 3, &k, &kn, &v, &vn), 1);
    ck_assert(memcmp(v, "B", 1) == 0);
    /* seek below the prefix starts at the prefix; above it, nothing */
    it = sl_kv_iter_seek(kv, "\xff\xff", 2, "\x01", 1);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
    ck_assert(kn == 2);
    sl_kv_iter_free(it);
    it = sl_kv_iter_seek(kv, "\xfe", 1, "\xff", 1);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    sl_kv_iter_free(it);
    it = sl_kv_iter_new(kv, "\xff\xff\xff", 3);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    sl_kv_iter_free(it);
    ck_assert_int_eq(sl_kv_put(kv, "k", 1, "v", (size_t)UINT32_MAX + 1),
                     -SL_EINVAL);
    sl_state_free(st);
    sl_state_free(NULL);
    sl_kv_iter_free(NULL);
    tb_close(&tb);
}
END_TEST

/* Every put with a budget of 0..3 allocations: failures return -SL_ENOMEM
 * and change nothing; deletes never fail; the tree stays equal to the
 * model throughout. (The memory backend's test hook.) */
START_TEST(test_alloc_failure)
{
    rng_seed(4242);
    pool_make();
    sl_state_t *st = sl_state_memory_new();
    sl_kv_t *kv[2] = {sl_state_table(st, "f", 0), sl_state_table(st, "g", 700)};
    model_t m[2];
    m_init(&m[0], 0);
    m_init(&m[1], 700);
    int64_t now = 0;
    size_t fails = 0, oks = 0;
    for (int op = 0; op < 40000; op++) {
        int ti = (int)(rnd() % 2);
        const key_t_ *k = &pool[rnd() % NPOOL];
        int r = (int)(rnd() % 100);
        size_t i;
        if (r < 65) {
            size_t vn = make_val();
            sl_state_memory_fail_after(st, (long)(rnd() % 4));
            int rc = sl_kv_put(kv[ti], k->p, k->n, valbuf, vn);
            sl_state_memory_fail_after(st, -1);
            if (rc == 0) {
                oks++;
                m_put(&m[ti], k->p, k->n, valbuf, vn, now);
            } else {
                REQUIRE(rc == -SL_ENOMEM);
                fails++;
            }
            const void *v;
            size_t gvn;
            int found = m_find(&m[ti], k->p, k->n, &i) && m_live(&m[ti], i, now);
            REQUIRE(sl_kv_get(kv[ti], k->p, k->n, &v, &gvn) ==
                    (found ? 0 : -SL_ENOTFOUND));
            if (found) REQUIRE(gvn == m[ti].e[i].vn);
        } else if (r < 95) {
            int found = m_find(&m[ti], k->p, k->n, &i);
            int live = found && m_live(&m[ti], i, now);
            sl_state_memory_fail_after(st, 0);
            int rc = sl_kv_del(kv[ti], k->p, k->n);
            sl_state_memory_fail_after(st, -1);
            REQUIRE(rc == (live ? 0 : -SL_ENOTFOUND));
            if (found) m_remove(&m[ti], i);
        } else if (r < 97) {
            sl_state_memory_fail_after(st, 0);
            REQUIRE(sl_kv_iter_new(kv[ti], NULL, 0) == NULL);
            REQUIRE(sl_kv_expire(kv[ti]) == m_expire(&m[ti], now));
            sl_state_memory_fail_after(st, -1);
        } else {
            now += (int64_t)(rnd() % 100);
            sl_state_set_time(st, now);
        }
        REQUIRE(sl_kv_count(kv[ti]) == m[ti].n);
        REQUIRE(sl_state_bytes(st) == m[0].bytes + m[1].bytes);
        if (op % 4000 == 3999) {
            check_full(kv[0], &m[0], now);
            check_full(kv[1], &m[1], now);
        }
    }
    check_full(kv[0], &m[0], now);
    check_full(kv[1], &m[1], now);
    ck_assert_uint_gt(fails, 1000);
    ck_assert_uint_gt(oks, 1000);
    /* tables: a lookup needs no memory, a new table does */
    sl_state_memory_fail_after(st, 0);
    ck_assert_ptr_eq(sl_state_table(st, "f", 0), kv[0]);
    ck_assert_ptr_null(sl_state_table(st, "new", 0));
    sl_state_memory_fail_after(st, -1);
    ck_assert_ptr_nonnull(sl_state_table(st, "new", 0));
    m_destroy(&m[0]);
    m_destroy(&m[1]);
    sl_state_free(st);
    pool_free();
}
END_TEST

/* ---- snapshots ----------------------------------------------------------- */

static int snapshot(sl_state_t *st, const char *dir, uint64_t *bytes,
                    sl_err_t *err)
{
    sl_err_clear(err);
    return sl_state_snapshot(st, dir, bytes, err);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* The state of the round-trip test: a table without TTL (some values past
 * the memory backend's slab limit), a TTL table holding entries already
 * expired but not dropped and live ones, an empty table. */
typedef struct rt_state {
    model_t plain, ttl;
} rt_state_t;

static void rt_fill(sl_state_t *st, rt_state_t *rs)
{
    rng_seed(99);
    sl_kv_t *plain = sl_state_table(st, "plain", 0);
    sl_kv_t *ttl = sl_state_table(st, "ttl", 500);
    ck_assert_ptr_nonnull(sl_state_table(st, "empty", 0));
    m_init(&rs->plain, 0);
    m_init(&rs->ttl, 500);
    unsigned char key[12];
    sl_state_set_time(st, 1000);
    begin(st);
    for (int i = 0; i < 3000; i++) {
        size_t kn = 1 + rnd() % sizeof key;
        for (size_t j = 0; j < kn; j++) key[j] = (unsigned char)rnd();
        size_t vn = make_val();
        REQUIRE(sl_kv_put(plain, key, kn, valbuf, vn) == 0);
        m_put(&rs->plain, key, kn, valbuf, vn, 1000);
        if (i % 7 == 0 && rs->plain.n > 10) {
            size_t at = rnd() % rs->plain.n;
            REQUIRE(sl_kv_del(plain, rs->plain.e[at].k, rs->plain.e[at].kn) == 0);
            m_remove(&rs->plain, at);
        }
    }
    commit(st);
    /* ttl: "a..." written at 1000..1099 (due by 1600), "b..." at
     * 1600..1699; the snapshot is taken at 1700 */
    for (int i = 0; i < 2000; i++) {
        int64_t now = i < 1000 ? 1000 + i / 10 : 1600 + (i - 1000) / 10;
        sl_state_set_time(st, now);
        int kn = snprintf((char *)key, sizeof key, "%c%05d", i < 1000 ? 'a' : 'b',
                          (i * 7919) % 1000);
        REQUIRE(sl_kv_put(ttl, key, (size_t)kn, &i, sizeof i) == 0);
        m_put(&rs->ttl, key, (size_t)kn, (unsigned char *)&i, sizeof i, now);
    }
    sl_state_set_time(st, 1700);
}

static void rt_check(sl_state_t *st, rt_state_t *rs)
{
    sl_kv_t *plain = sl_state_table(st, "plain", 0);
    sl_kv_t *ttl = sl_state_table(st, "ttl", 0); /* the TTL comes back */
    sl_kv_t *empty = sl_state_table(st, "empty", 0);
    ck_assert_uint_eq(sl_kv_count(empty), 0);
    ck_assert_uint_eq(sl_kv_count(ttl), 2000);
    check_full(plain, &rs->plain, 1700);
    check_full(ttl, &rs->ttl, 1700);
    ck_assert_uint_eq(sl_state_bytes(st), rs->plain.bytes + rs->ttl.bytes);
    const void *v;
    size_t vn;
    ck_assert_int_eq(sl_kv_get(ttl, "a00000", 6, &v, &vn), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_kv_get(ttl, "b00000", 6, &v, &vn), 0);
}

/* Snapshot, change the original, restore: the restored state is the state
 * at the snapshot, tables found by name with their TTL, deadlines kept:
 * an entry due after the restore expires then, expired ones count until
 * dropped. A restored state snapshots again. */
START_TEST(test_snapshot_roundtrip)
{
    testbed_t tb;
    tb_init(&tb);
    char snap[400], snap2[400];
    tb_path(&tb, "snap", snap, sizeof snap);
    tb_path(&tb, "snap2", snap2, sizeof snap2);
    sl_state_t *st = tb_open(&tb, _i);
    rt_state_t rs;
    pool_make();
    rt_fill(st, &rs);
    sl_err_t err;
    uint64_t bytes = 0;
    ck_assert_msg(snapshot(st, snap, &bytes, &err) == 0, "%s", err.msg);
    ck_assert_uint_gt(bytes, rs.plain.bytes / 4);
    /* the directory must not exist */
    ck_assert_int_eq(snapshot(st, snap, NULL, &err), -SL_EEXISTS);
    ck_assert_ptr_nonnull(strstr(err.msg, snap));
    /* changes after the snapshot are not in it */
    sl_kv_t *plain = sl_state_table(st, "plain", 0);
    ck_assert_int_eq(sl_kv_put(plain, "after", 5, "x", 1), 0);
    ck_assert_int_eq(sl_kv_del(plain, rs.plain.e[0].k, rs.plain.e[0].kn), 0);
    sl_state_set_time(st, 5000);
    ck_assert_uint_eq(sl_kv_expire(sl_state_table(st, "ttl", 0)), 2000);
    sl_state_free(st);

    sl_state_t *r = tb_open_conf(&tb, _i, snap, NULL);
    rt_check(r, &rs);
    /* the deadlines came back: "b..." written at 1600 + i/10 live until
     * 2100 + i/10; the clock came back too (1700, not 0) */
    sl_kv_t *ttl = sl_state_table(r, "ttl", 0);
    const void *v;
    size_t vn;
    sl_state_set_time(r, 2099);
    ck_assert_int_eq(sl_kv_get(ttl, "b00000", 6, &v, &vn), 0);
    ck_assert_uint_eq(sl_kv_expire(ttl), 1000); /* all "a..." */
    sl_state_set_time(r, 2150);
    size_t due = m_expire(&rs.ttl, 2150);
    ck_assert_uint_eq(due, 1510); /* 1000 "a" dropped above, 510 "b" */
    ck_assert_uint_eq(sl_kv_expire(ttl), 510);
    check_full(ttl, &rs.ttl, 2150);
    /* new tables and writes after the restore */
    sl_kv_t *fresh = sl_state_table(r, "fresh", 0);
    ck_assert_int_eq(sl_kv_put(fresh, "k", 1, "v", 1), 0);
    ck_assert_int_eq(sl_kv_put(ttl, "c", 1, "v", 1), 0);
    m_put(&rs.ttl, (const unsigned char *)"c", 1, (const unsigned char *)"v", 1, 2150);
    check_full(sl_state_table(r, "plain", 0), &rs.plain, 2150);
    check_full(ttl, &rs.ttl, 2150);
    /* a restored state snapshots again, and that restores */
    ck_assert_msg(snapshot(r, snap2, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(r);
    r = tb_open_conf(&tb, _i, snap2, NULL);
    check_full(sl_state_table(r, "ttl", 0), &rs.ttl, 2150);
    ck_assert_uint_eq(sl_kv_count(sl_state_table(r, "fresh", 0)), 1);
    sl_state_set_time(r, 2650);
    ck_assert_uint_eq(sl_kv_expire(sl_state_table(r, "ttl", 0)), 491);
    sl_state_free(r);
    /* the first snapshot is still the same (restorable again) */
    r = tb_open_conf(&tb, _i, snap, NULL);
    m_destroy(&rs.ttl);
    m_destroy(&rs.plain);
    sl_state_t *scratch = sl_state_memory_new(); /* rebuilds the models */
    rt_fill(scratch, &rs);
    sl_state_free(scratch);
    rt_check(r, &rs);
    sl_state_free(r);
    m_destroy(&rs.ttl);
    m_destroy(&rs.plain);
    pool_free();
    tb_close(&tb);
}
END_TEST

/* A snapshot inside a write batch is refused and writes nothing; one into
 * a directory whose parent does not exist fails naming it, leaves nothing
 * behind, and the backend works on. */
START_TEST(test_snapshot_refused)
{
    testbed_t tb;
    tb_init(&tb);
    char snap[400], bad[400];
    tb_path(&tb, "snap", snap, sizeof snap);
    tb_path(&tb, "no/such/parent/snap", bad, sizeof bad);
    sl_state_t *st = tb_open(&tb, _i);
    sl_kv_t *kv = sl_state_table(st, "t", 0);
    sl_err_t err;
    begin(st);
    ck_assert_int_eq(sl_kv_put(kv, "a", 1, "b", 1), 0);
    ck_assert_int_eq(snapshot(st, snap, NULL, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "write batch is open"));
    ck_assert(!exists(snap));
    commit(st);
    int rc = snapshot(st, bad, NULL, &err);
    ck_assert_int_lt(rc, 0);
    ck_assert_msg(strstr(err.msg, bad) != NULL, "%s", err.msg);
    ck_assert(!exists(bad));
    tb_path(&tb, "no", bad, sizeof bad);
    ck_assert(!exists(bad));
    /* works on */
    ck_assert_int_eq(sl_kv_put(kv, "c", 1, "d", 1), 0);
    ck_assert_msg(snapshot(st, snap, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(st);
    st = tb_open_conf(&tb, _i, snap, NULL);
    ck_assert_uint_eq(sl_kv_count(sl_state_table(st, "t", 0)), 2);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

/* A full disk, simulated with a file size limit (EFBIG instead of ENOSPC:
 * the same paths through write(2), RocksDB's flush included): the snapshot
 * fails with an error naming the directory, removes what it wrote, and
 * the process goes on. The memory backend then snapshots fine; RocksDB
 * refuses further writes after a failed flush (its background error),
 * which the next commit reports: an error, never a crash. */
START_TEST(test_snapshot_disk_full)
{
    testbed_t tb;
    tb_init(&tb);
    char snap[400];
    tb_path(&tb, "snap", snap, sizeof snap);
    sl_state_t *st = tb_open(&tb, _i);
    sl_kv_t *kv = sl_state_table(st, "t", 0);
    static unsigned char val[1000];
    rng_seed(5);
    begin(st);
    for (uint32_t i = 0; i < 3000; i++) {
        for (size_t j = 0; j < sizeof val; j++) val[j] = (unsigned char)rnd();
        ck_assert_int_eq(sl_kv_put(kv, &i, sizeof i, val, sizeof val), 0);
    }
    commit(st);
    struct rlimit old, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 256 * 1024;
    void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    sl_err_t err;
    int rc = snapshot(st, snap, NULL, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, oldsig);
    ck_assert_int_eq(rc, -SL_EIO);
    ck_assert_msg(strstr(err.msg, snap) && strstr(err.msg, "too large"), "%s", err.msg);
    if (_i == B_MEMORY) ck_assert_msg(strstr(err.msg, "state.bin"), "%s", err.msg);
    ck_assert(!exists(snap));
    if (_i == B_MEMORY) {
        uint64_t bytes = 0;
        ck_assert_msg(snapshot(st, snap, &bytes, &err) == 0, "%s", err.msg);
        ck_assert_uint_gt(bytes, 3000 * 1000);
    } else {
        begin(st);
        ck_assert_int_eq(sl_kv_put(kv, "x", 1, "y", 1), 0);
        sl_err_clear(&err);
        ck_assert_int_eq(sl_state_commit(st, &err), -SL_EIO);
        ck_assert_msg(strstr(err.msg, "too large"), "%s", err.msg);
    }
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void write_snapshot_file(const char *dir, const unsigned char *b, size_t n)
{
    char path[500];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/state.bin", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* A memory restore of a damaged file fails with a message naming it:
 * truncated anywhere, any byte changed, data after the checksum, an
 * unknown version, no file at all; nor does either backend take the other
 * backend's snapshot. */
START_TEST(test_restore_damaged)
{
    testbed_t tb;
    tb_init(&tb);
    char snap[400], bad[400], path[500];
    tb_path(&tb, "snap", snap, sizeof snap);
    tb_path(&tb, "bad", bad, sizeof bad);
    snprintf(path, sizeof path, "%s/state.bin", bad);
    sl_state_t *st = sl_state_memory_new();
    sl_kv_t *a = sl_state_table(st, "a", 0), *t = sl_state_table(st, "t", 100);
    for (int i = 0; i < 40; i++) {
        char k[8];
        int n = snprintf(k, sizeof k, "k%d", i);
        ck_assert_int_eq(sl_kv_put(i % 2 ? a : t, k, (size_t)n, k, (size_t)n), 0);
    }
    sl_err_t err;
    ck_assert_msg(snapshot(st, snap, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(st);
    char file[500];
    snprintf(file, sizeof file, "%s/state.bin", snap);
    size_t n;
    unsigned char *b = read_file(file, &n);
    sl_state_t *r = NULL;
    /* intact */
    write_snapshot_file(bad, b, n);
    ck_assert_int_eq(sl_state_memory_restore(bad, &r, &err), 0);
    ck_assert_uint_eq(sl_kv_count(sl_state_table(r, "t", 0)), 20);
    sl_state_free(r);
    /* every truncation */
    for (size_t len = 0; len < n; len++) {
        write_snapshot_file(bad, b, len);
        r = NULL;
        sl_err_clear(&err);
        ck_assert_int_eq(sl_state_memory_restore(bad, &r, &err), -SL_EFORMAT);
        ck_assert_ptr_null(r);
        ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
        if (len >= 8)
            ck_assert_msg(strstr(err.msg, "truncated") || strstr(err.msg, "damaged"), "%s",
                          err.msg);
    }
    /* every byte changed */
    for (size_t pos = 0; pos < n; pos++) {
        b[pos] ^= 0x10;
        write_snapshot_file(bad, b, n);
        b[pos] ^= 0x10;
        sl_err_clear(&err);
        int rc = sl_state_memory_restore(bad, &r, &err);
        ck_assert_msg(rc == -SL_EFORMAT, "byte %zu: rc %d", pos, rc);
        ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
    }
    /* a flipped byte of the last value is caught by the checksum */
    b[n - 5] ^= 1;
    write_snapshot_file(bad, b, n);
    b[n - 5] ^= 1;
    ck_assert_int_eq(sl_state_memory_restore(bad, &r, &err), -SL_EFORMAT);
    ck_assert_msg(strstr(err.msg, "checksum mismatch"), "%s", err.msg);
    /* data after the checksum */
    unsigned char *longer = malloc(n + 1);
    memcpy(longer, b, n);
    longer[n] = 0;
    write_snapshot_file(bad, longer, n + 1);
    free(longer);
    ck_assert_int_eq(sl_state_memory_restore(bad, &r, &err), -SL_EFORMAT);
    ck_assert_msg(strstr(err.msg, "after the checksum"), "%s", err.msg);
    /* another version */
    b[8] = 2;
    write_snapshot_file(bad, b, n);
    b[8] = 1;
    ck_assert_int_eq(sl_state_memory_restore(bad, &r, &err), -SL_EFORMAT);
    ck_assert_msg(strstr(err.msg, "version 2"), "%s", err.msg);
    /* no file; a RocksDB snapshot; a memory snapshot to RocksDB */
    char none[400];
    tb_path(&tb, "none", none, sizeof none);
    ck_assert_int_eq(sl_state_memory_restore(none, &r, &err), -SL_ENOTFOUND);
    ck_assert_msg(strstr(err.msg, none), "%s", err.msg);
    char work[400], rsnap[400];
    tb_path(&tb, "work", work, sizeof work);
    tb_path(&tb, "rsnap", rsnap, sizeof rsnap);
    ck_assert_int_eq(sl_state_rocksdb_open(work, snap, NULL, &r, &err), -SL_ENOTFOUND);
    ck_assert_msg(strstr(err.msg, "not a RocksDB snapshot") && strstr(err.msg, snap), "%s",
                  err.msg);
    ck_assert_int_eq(sl_state_rocksdb_open(work, none, NULL, &r, &err), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_state_rocksdb_open(work, NULL, NULL, &r, &err), 0);
    ck_assert_msg(snapshot(r, rsnap, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(r);
    ck_assert_int_eq(sl_state_memory_restore(rsnap, &r, &err), -SL_ENOTFOUND);
    /* the working directory must not hold the snapshot (it is wiped) */
    char inside[400];
    tb_path(&tb, "work/snap", inside, sizeof inside);
    ck_assert_int_eq(sl_state_rocksdb_open(work, NULL, NULL, &r, &err), 0);
    ck_assert_msg(snapshot(r, inside, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(r);
    ck_assert_int_eq(sl_state_rocksdb_open(work, inside, NULL, &r, &err), -SL_EINVAL);
    ck_assert(exists(inside));
    free(b);
    tb_close(&tb);
}
END_TEST

/* ---- rocksdb only -------------------------------------------------------- */

/* A fingerprint of dir: FNV-1a of each file's name, size and contents,
 * summed (readdir's order does not matter), and the number of files, so
 * any change to the directory shows. */
static uint64_t dir_print(const char *dir, int *nfiles)
{
    uint64_t sum = 0;
    *nfiles = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t n;
        unsigned char *b = read_file(path, &n);
        uint64_t h = 1469598103934665603ULL;
        for (const char *c = de->d_name; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        h = (h ^ n) * 1099511628211ULL;
        for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
        free(b);
        sum += h;
        (*nfiles)++;
    }
    closedir(d);
    return sum;
}

/* How many files whose name contains part are the same file (inode) in
 * directories a and b; fails on a file of that name in both that is not. */
static int same_files(const char *a, const char *b, const char *part)
{
    DIR *d = opendir(a);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    int same = 0;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, part)) continue;
        char pa[700], pb[700];
        snprintf(pa, sizeof pa, "%s/%s", a, de->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, de->d_name);
        struct stat sa, sb;
        if (stat(pa, &sa) || stat(pb, &sb)) continue;
        if (sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev) same++;
        else ck_assert(strstr(part, "sst") == NULL); /* an SST was copied */
    }
    closedir(d);
    return same;
}

/* The first *.sst file in dir (path in buf), whether its link count is
 * above one in *shared; 0 when there is none. */
static int first_sst(const char *dir, char *buf, size_t n, int *shared)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 4, ".sst")) continue;
        snprintf(buf, n, "%s/%s", dir, de->d_name);
        struct stat sb;
        ck_assert_int_eq(stat(buf, &sb), 0);
        *shared = sb.st_nlink > 1;
        found = 1;
    }
    closedir(d);
    return found;
}

static void put_u32_key(unsigned char *k, uint32_t i)
{
    set_key(k, 1, i);
    k[0] = 'k';
}

/* A restore hard-links the snapshot's SST files; writes, flushes and
 * compactions of the restored database must leave the snapshot as it was,
 * and it restores again to the same state. */
START_TEST(test_rocksdb_snapshot_immutable)
{
    testbed_t tb;
    tb_init(&tb);
    char snap[400], snap2[400];
    tb_path(&tb, "snap", snap, sizeof snap);
    tb_path(&tb, "snap2", snap2, sizeof snap2);
    sl_rocksdb_conf_t small;
    sl_rocksdb_conf_init(&small);
    small.write_buffer_bytes = 64 << 10;
    small.block_cache_bytes = 1 << 20;
    sl_state_t *st = tb_open_conf(&tb, B_ROCKSDB, NULL, &small);
    sl_kv_t *kv = sl_state_table(st, "t", 0);
    unsigned char k[5], v[64];
    for (uint32_t i = 0; i < 20000; i++) {
        if (i % 1000 == 0) begin(st);
        put_u32_key(k, i);
        memset(v, (int)(i & 0xff), sizeof v);
        ck_assert_int_eq(sl_kv_put(kv, k, 5, v, sizeof v), 0);
        if (i % 1000 == 999) commit(st);
    }
    sl_err_t err;
    ck_assert_msg(snapshot(st, snap, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(st);
    int nfiles;
    uint64_t before = dir_print(snap, &nfiles);
    ck_assert_int_gt(nfiles, 3);

    st = tb_open_conf(&tb, B_ROCKSDB, snap, &small);
    /* the SST files are shared with the working directory, not copied
     * (each one still there: a compaction may already have dropped some) */
    char work[400];
    snprintf(work, sizeof work, "%s/work%d", tb.root, tb.nwork - 1);
    ck_assert_int_gt(same_files(snap, work, ".sst"), 0);
    ck_assert_int_eq(same_files(snap, work, "CURRENT"), 0);
    ck_assert_int_eq(same_files(snap, work, "MANIFEST"), 0);
    kv = sl_state_table(st, "t", 0);
    ck_assert_uint_eq(sl_kv_count(kv), 20000);
    /* overwrite everything twice and delete half: flushes and compactions
     * replace every file the restore linked */
    for (int round = 0; round < 2; round++)
        for (uint32_t i = 0; i < 20000; i++) {
            if (i % 1000 == 0) begin(st);
            put_u32_key(k, i);
            memset(v, 0xEE, sizeof v);
            if (round == 1 && i % 2) ck_assert_int_eq(sl_kv_del(kv, k, 5), 0);
            else ck_assert_int_eq(sl_kv_put(kv, k, 5, v, sizeof v), 0);
            if (i % 1000 == 999) commit(st);
        }
    ck_assert_msg(snapshot(st, snap2, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(st);
    int nfiles2;
    ck_assert(dir_print(snap, &nfiles2) == before);
    ck_assert_int_eq(nfiles2, nfiles);

    st = tb_open_conf(&tb, B_ROCKSDB, snap, NULL);
    kv = sl_state_table(st, "t", 0);
    ck_assert_uint_eq(sl_kv_count(kv), 20000);
    for (uint32_t i = 0; i < 20000; i += 7) {
        const void *gv;
        size_t gn;
        put_u32_key(k, i);
        ck_assert_int_eq(sl_kv_get(kv, k, 5, &gv, &gn), 0);
        ck_assert(gn == 64 && ((const unsigned char *)gv)[63] == (i & 0xff));
    }
    sl_state_free(st);
    st = tb_open_conf(&tb, B_ROCKSDB, snap2, NULL);
    ck_assert_uint_eq(sl_kv_count(sl_state_table(st, "t", 0)), 10000);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

/* State far bigger than RocksDB's memory: a 1 MB block cache and 64 KB
 * write buffers holding 300k keys (about 14 MB, in SST files across
 * several levels), written in scattered order in batches. A scan reads
 * every key and value back in order; point reads of every third key, in
 * another scattered order, go through the bloom filters and a cache that
 * cannot hold the data. */
/* state.backend.incremental: true shares the snapshot's SST files with the
 * working database (hard links); false (the default) gives the snapshot
 * copies of its own, and both restore the same state. */
START_TEST(test_rocksdb_incremental)
{
    for (int incr = 0; incr < 2; incr++) {
        testbed_t tb;
        tb_init(&tb);
        char snap[400], sst[600];
        tb_path(&tb, "snap", snap, sizeof snap);
        sl_rocksdb_conf_t c;
        sl_rocksdb_conf_init(&c);
        ck_assert(!c.incremental);
        c.incremental = incr;
        sl_state_t *st = tb_open_conf(&tb, B_ROCKSDB, NULL, &c);
        sl_kv_t *kv = sl_state_table(st, "t", 0);
        unsigned char k[5], v[32];
        begin(st);
        for (uint32_t i = 0; i < 5000; i++) {
            put_u32_key(k, i);
            memset(v, (int)(i & 0xff), sizeof v);
            ck_assert_int_eq(sl_kv_put(kv, k, 5, v, sizeof v), 0);
        }
        commit(st);
        sl_err_t err;
        ck_assert_msg(snapshot(st, snap, NULL, &err) == 0, "%s", err.msg);
        int shared = -1;
        ck_assert(first_sst(snap, sst, sizeof sst, &shared));
        ck_assert_int_eq(shared, incr);
        sl_state_free(st);
        st = tb_open_conf(&tb, B_ROCKSDB, snap, &c);
        kv = sl_state_table(st, "t", 0);
        ck_assert_uint_eq(sl_kv_count(kv), 5000);
        sl_state_free(st);
        tb_close(&tb);
    }
}
END_TEST

START_TEST(test_rocksdb_bigger_than_memory)
{
    testbed_t tb;
    tb_init(&tb);
    sl_rocksdb_conf_t c;
    sl_rocksdb_conf_init(&c);
    c.block_cache_bytes = 1 << 20;
    c.write_buffer_bytes = 64 << 10;
    sl_state_t *st = tb_open_conf(&tb, B_ROCKSDB, NULL, &c);
    sl_kv_t *kv = sl_state_table(st, "big", 0);
    const uint32_t n = 300000;
    unsigned char k[5], v[40];
    for (uint32_t j = 0; j < n; j++) {
        if (j % 1000 == 0) begin(st);
        uint32_t i = (uint32_t)((uint64_t)j * 2654435761u % n);
        put_u32_key(k, i);
        for (int b = 0; b < 40; b++) v[b] = (unsigned char)(i * 7 + (uint32_t)b);
        REQUIRE(sl_kv_put(kv, k, 5, v, sizeof v) == 0);
        if (j % 1000 == 999) commit(st);
    }
    ck_assert_uint_eq(sl_kv_count(kv), n);
    ck_assert_uint_eq(sl_state_bytes(st), (size_t)n * 45);
    ck_assert_uint_ge(sl_state_footprint(st), (size_t)n * 45);
    sl_kv_iter_t *it = sl_kv_iter_new(kv, "k", 1);
    const void *ik, *iv;
    size_t ikn, ivn;
    uint32_t count = 0;
    while (sl_kv_iter_next(it, &ik, &ikn, &iv, &ivn)) {
        put_u32_key(k, count);
        const unsigned char *g = iv;
        REQUIRE(ikn == 5 && memcmp(ik, k, 5) == 0 && ivn == 40);
        REQUIRE(g[0] == (unsigned char)(count * 7) && g[39] == (unsigned char)(count * 7 + 39));
        count++;
    }
    sl_kv_iter_free(it);
    ck_assert_uint_eq(count, n);
    for (uint32_t j = 0; j < n; j += 3) {
        uint32_t i = (uint32_t)((uint64_t)j * 40503u % n);
        const void *gv;
        size_t gn;
        put_u32_key(k, i);
        REQUIRE(sl_kv_get(kv, k, 5, &gv, &gn) == 0);
        REQUIRE(gn == 40);
        const unsigned char *g = gv;
        REQUIRE(g[0] == (unsigned char)(i * 7) && g[39] == (unsigned char)(i * 7 + 39));
    }
    put_u32_key(k, n); /* absent */
    ck_assert_int_eq(sl_kv_get(kv, k, 5, &ik, &ikn), -SL_ENOTFOUND);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

/* One step writing far more than a write buffer (the batch is written
 * early, not held whole): reads and scans in the step see everything, an
 * iterator open over the step's batch stays valid while other tables are
 * written, and a TTL sweep of every entry in one step works. */
START_TEST(test_rocksdb_big_step)
{
    testbed_t tb;
    tb_init(&tb);
    sl_rocksdb_conf_t c;
    sl_rocksdb_conf_init(&c);
    c.write_buffer_bytes = 64 << 10; /* early writes from 1 MB on */
    sl_state_t *st = tb_open_conf(&tb, B_ROCKSDB, NULL, &c);
    sl_kv_t *kv = sl_state_table(st, "t", 1000), *other = sl_state_table(st, "o", 0);
    unsigned char k[5], v[100];
    const uint32_t n = 30000;
    sl_state_set_time(st, 1);
    begin(st);
    for (uint32_t i = 0; i < n; i++) {
        put_u32_key(k, i);
        memset(v, (int)(i & 0xff), sizeof v);
        REQUIRE(sl_kv_put(kv, k, 5, v, sizeof v) == 0);
    }
    for (uint32_t i = 0; i < n; i += 3) {
        const void *gv;
        size_t gn;
        put_u32_key(k, i);
        REQUIRE(sl_kv_get(kv, k, 5, &gv, &gn) == 0 && gn == 100);
        REQUIRE(((const unsigned char *)gv)[99] == (i & 0xff));
    }
    sl_kv_iter_t *it = sl_kv_iter_new(kv, NULL, 0);
    const void *ik, *iv;
    size_t ikn, ivn;
    uint32_t cnt = 0;
    while (sl_kv_iter_next(it, &ik, &ikn, &iv, &ivn)) {
        put_u32_key(k, cnt);
        REQUIRE(ikn == 5 && memcmp(ik, k, 5) == 0);
        /* writes elsewhere while the iterator reads through the batch */
        if (cnt % 3 == 0) REQUIRE(sl_kv_put(other, k, 5, v, sizeof v) == 0);
        cnt++;
    }
    sl_kv_iter_free(it);
    ck_assert_uint_eq(cnt, n);
    commit(st);
    ck_assert_uint_eq(sl_kv_count(kv), n);
    ck_assert_uint_eq(sl_kv_count(other), n / 3);
    sl_state_set_time(st, 2000);
    begin(st);
    ck_assert_uint_eq(sl_kv_expire(kv), n);
    ck_assert_uint_eq(sl_kv_count(kv), 0);
    ck_assert_int_eq(sl_kv_last(kv, NULL, 0, &ik, &ikn, &iv, &ivn), 0);
    commit(st);
    it = sl_kv_iter_new(kv, NULL, 0);
    ck_assert_int_eq(sl_kv_iter_next(it, &ik, &ikn, &iv, &ivn), 0);
    sl_kv_iter_free(it);
    ck_assert_uint_eq(sl_state_bytes(st), (size_t)(n / 3) * 105);
    sl_state_free(st);
    tb_close(&tb);
}
END_TEST

/* Opening wipes the working directory; bad configuration is refused. */
START_TEST(test_rocksdb_open)
{
    testbed_t tb;
    tb_init(&tb);
    char work[400], junk[500];
    tb_path(&tb, "deep/er/work", work, sizeof work);
    sl_state_t *st;
    sl_err_t err;
    ck_assert_msg(sl_state_rocksdb_open(work, NULL, NULL, &st, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(sl_kv_put(sl_state_table(st, "t", 0), "a", 1, "b", 1), 0);
    sl_state_free(st);
    snprintf(junk, sizeof junk, "%s/junk", work);
    FILE *f = fopen(junk, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_msg(sl_state_rocksdb_open(work, NULL, NULL, &st, &err) == 0, "%s", err.msg);
    ck_assert(!exists(junk));
    ck_assert_uint_eq(sl_kv_count(sl_state_table(st, "t", 0)), 0);
    sl_state_free(st);
    sl_rocksdb_conf_t c;
    sl_rocksdb_conf_init(&c);
    ck_assert_int_eq(c.block_cache_bytes, 8 << 20);
    ck_assert_int_eq(c.write_buffer_bytes, 64 << 20);
    ck_assert_int_eq(c.write_buffer_count, 2);
    ck_assert_int_eq(c.block_size, 4096);
    ck_assert_int_eq(c.background_threads, 2);
    c.background_threads = 0;
    ck_assert_int_eq(sl_state_rocksdb_open(work, NULL, &c, &st, &err), -SL_EINVAL);
    /* a snapshot missing a file is refused, naming it */
    char snap[400];
    tb_path(&tb, "snap", snap, sizeof snap);
    ck_assert_msg(sl_state_rocksdb_open(work, NULL, NULL, &st, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(sl_kv_put(sl_state_table(st, "t", 0), "a", 1, "b", 1), 0);
    ck_assert_msg(snapshot(st, snap, NULL, &err) == 0, "%s", err.msg);
    sl_state_free(st);
    char sst[700];
    int shared;
    ck_assert(first_sst(snap, sst, sizeof sst, &shared));
    ck_assert_int_eq(unlink(sst), 0);
    ck_assert_int_eq(sl_state_rocksdb_open(work, snap, NULL, &st, &err), -SL_EIO);
    ck_assert_msg(strstr(err.msg, snap) && strstr(err.msg, "No such file"), "%s", err.msg);
    tb_close(&tb);
}
END_TEST

static Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    /* _i: 0 memory, 1 rocksdb */
    TCase *tc = tcase_create("both");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_edges, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_write_batch, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_ttl, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_model_random, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_bulk_orders, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_snapshot_roundtrip, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_snapshot_refused, 0, NBACKENDS);
    tcase_add_loop_test(tc, test_snapshot_disk_full, 0, NBACKENDS);
    suite_add_tcase(s, tc);
    tc = tcase_create("memory");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_alloc_failure);
    tcase_add_test(tc, test_restore_damaged);
    suite_add_tcase(s, tc);
    tc = tcase_create("rocksdb");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_rocksdb_open);
    tcase_add_test(tc, test_rocksdb_big_step);
    tcase_add_test(tc, test_rocksdb_snapshot_immutable);
    tcase_add_test(tc, test_rocksdb_incremental);
    tcase_add_test(tc, test_rocksdb_bigger_than_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(state_suite());
}
