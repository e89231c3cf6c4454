/* check_state.c - unit tests for keyed state (state/state.h) on the memory
 * backend: a randomized model test against a sorted array, TTL with a fake
 * clock, bulk ordered/unordered loads and drains, and allocation failure
 * through the backend's test hook. */
#include "state/state.h"
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ck_assert records every passing assertion; too slow for hot loops. */
#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

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

static unsigned char *dup(const void *p, size_t n)
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
        m->e[i].v = dup(v, vn);
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
    m->e[i] = (ment_t){dup(k, kn), dup(v, vn), kn, vn, exp};
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

START_TEST(test_model_random)
{
    rng_seed(12345);
    pool_make();
    sl_state_t *st = sl_state_memory_new();
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(sl_state_backend(st), "memory");
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

    for (int op = 0; op < 100000; op++) {
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
        REQUIRE(sl_state_footprint(st) >= bytes);
        if (op % 20000 == 19999)
            for (int j = 0; j < NTABLES; j++) check_full(kv[j], &m[j], now);
    }
    for (int j = 0; j < NTABLES; j++) check_full(kv[j], &m[j], now);
    ck_assert_uint_gt(hits, 1000);
    ck_assert_uint_gt(expired_total, 100);
    ck_assert_uint_gt(max_n, 5000);
    for (int j = 0; j < NTABLES; j++) m_destroy(&m[j]);
    sl_state_free(st);
    pool_free();
}
END_TEST

/* Loads of n keys in ascending, descending and random order, drained in
 * random order, with full scans between: splits, merges and redistribution
 * at every level of a tree 3-4 levels high. */
static void bulk(int order, size_t n, int shared_prefix)
{
    sl_state_t *st = sl_state_memory_new();
    ck_assert_ptr_nonnull(st);
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
        uint32_t id = order == 1 ? (uint32_t)(n - 1 - i) : ids[i];
        key[off] = (unsigned char)(id >> 24);
        key[off + 1] = (unsigned char)(id >> 16);
        key[off + 2] = (unsigned char)(id >> 8);
        key[off + 3] = (unsigned char)id;
        REQUIRE(sl_kv_put(kv, key, kn, &id, sizeof id) == 0);
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
    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        key[off] = (unsigned char)(id >> 24);
        key[off + 1] = (unsigned char)(id >> 16);
        key[off + 2] = (unsigned char)(id >> 8);
        key[off + 3] = (unsigned char)id;
        REQUIRE(sl_kv_del(kv, key, kn) == 0);
        REQUIRE(sl_kv_get(kv, key, kn, &v, &vl) == -SL_ENOTFOUND);
        if (i % 4096 == 0) {
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
    free(ids);
    sl_state_free(st);
}

START_TEST(test_bulk_orders)
{
    rng_seed(777);
    bulk(0, 300000, 0);
    bulk(1, 300000, 1);
    bulk(2, 300000, 1);
    bulk(2, 100000, 0);
}
END_TEST

START_TEST(test_ttl)
{
    sl_state_t *st = sl_state_memory_new();
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
    sl_state_free(st);
}
END_TEST

/* The write-batch bracket: no nesting, commit only when open, reads see
 * the batch's own writes, and writes outside a batch still work. */
START_TEST(test_write_batch)
{
    sl_state_t *st = sl_state_memory_new();
    sl_kv_t *kv = sl_state_table(st, "b", 0);
    sl_err_t err;
    sl_err_clear(&err);
    const void *v;
    size_t vn;
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
    sl_state_free(st);
}
END_TEST

START_TEST(test_edges)
{
    sl_state_t *st = sl_state_memory_new();
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
    /* seek below the prefix starts at the prefix; above it, nothing */
    it = sl_kv_iter_seek(kv, "\xff\xff", 2, "\x01", 1);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 1);
    ck_assert(kn == 2);
    sl_kv_iter_free(it);
    it = sl_kv_iter_seek(kv, "\xfe", 1, "\xff", 1);
    ck_assert_int_eq(sl_kv_iter_next(it, &k, &kn, &v, &vn), 0);
    sl_kv_iter_free(it);
    ck_assert_int_eq(sl_kv_put(kv, "k", 1, "v", (size_t)UINT32_MAX + 1),
                     -SL_EINVAL);
    sl_state_free(st);
    sl_state_free(NULL);
    sl_kv_iter_free(NULL);
}
END_TEST

/* Every put with a budget of 0..3 allocations: failures return -SL_ENOMEM
 * and change nothing; deletes never fail; the tree stays equal to the
 * model throughout. */
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

static Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("memory");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_edges);
    tcase_add_test(tc, test_write_batch);
    tcase_add_test(tc, test_ttl);
    tcase_add_test(tc, test_model_random);
    tcase_add_test(tc, test_bulk_orders);
    tcase_add_test(tc, test_alloc_failure);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(state_suite());
}
