/* check_util.c - unit tests for the small util modules: hash map, vector,
 * logging, plus the arena, string buffer and error helpers they sit beside. */
#include "util/arena.h"
#include "util/err.h"
#include "util/hashmap.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* For hot loops: Check's ck_assert records every passing assertion (a write
 * per call), which makes hundreds of thousands of them slow. */
#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);      \
    } while (0)

/* ---- hash ---------------------------------------------------------------- */

START_TEST(test_hash_basic)
{
    const char *s = "hello, sluice";
    ck_assert(sl_hash_bytes(s, strlen(s)) == sl_hash_bytes(s, strlen(s)));
    ck_assert(sl_hash_bytes(s, strlen(s)) != sl_hash_bytes(s, strlen(s) - 1));
    ck_assert(sl_hash_bytes("", 0) == sl_hash_bytes(NULL, 0));
    ck_assert(sl_hash_bytes("a", 1) != sl_hash_bytes("b", 1));
    ck_assert(sl_hash_bytes("a\0", 2) != sl_hash_bytes("a", 1));
    ck_assert(sl_hash_u64(1) != sl_hash_u64(2));
    /* every length 0..200 over the same buffer hashes differently, and a
     * one-byte change anywhere changes the hash */
    unsigned char buf[200];
    for (int i = 0; i < 200; i++) buf[i] = (unsigned char)(i * 7 + 3);
    uint64_t seen[201];
    for (int n = 0; n <= 200; n++) {
        seen[n] = sl_hash_bytes(buf, (size_t)n);
        for (int j = 0; j < n; j++) ck_assert(seen[j] != seen[n]);
    }
    for (int pos = 0; pos < 200; pos++) {
        buf[pos] ^= 1;
        ck_assert(sl_hash_bytes(buf, 200) != seen[200]);
        buf[pos] ^= 1;
    }
}
END_TEST

/* Sequential integer keys must spread evenly over both low and high bits,
 * and single-bit flips must change about half the output bits. */
START_TEST(test_hash_distribution)
{
    enum { N = 1 << 16, B = 64 };
    unsigned lo[B] = {0}, hi[B] = {0};
    for (uint32_t i = 0; i < N; i++) {
        uint64_t h = sl_hash_bytes(&i, sizeof i);
        lo[h & (B - 1)]++;
        hi[h >> 58]++;
    }
    double chi_lo = 0, chi_hi = 0, e = (double)N / B;
    for (int b = 0; b < B; b++) {
        chi_lo += (lo[b] - e) * (lo[b] - e) / e;
        chi_hi += (hi[b] - e) * (hi[b] - e) / e;
    }
    /* 63 degrees of freedom: p = 0.001 at about 103 */
    ck_assert_msg(chi_lo < 110 && chi_hi < 110, "chi2 lo %.1f hi %.1f", chi_lo, chi_hi);

    uint64_t total = 0;
    int trials = 0;
    for (uint64_t k = 0; k < 64; k++) {
        uint64_t key = k * 0x9e3779b97f4a7c15ull;
        uint64_t h0 = sl_hash_bytes(&key, 8);
        for (int bit = 0; bit < 64; bit++) {
            uint64_t k2 = key ^ (1ull << bit);
            total += (uint64_t)__builtin_popcountll(h0 ^ sl_hash_bytes(&k2, 8));
            trials++;
        }
    }
    double avg = (double)total / trials;
    ck_assert_msg(avg > 30 && avg < 34, "avalanche %.2f", avg);
}
END_TEST

/* ---- hash map ------------------------------------------------------------ */

START_TEST(test_hmap_empty)
{
    sl_hmap_t m;
    ck_assert_int_eq(sl_hmap_init(&m, 0), 0);
    ck_assert_ptr_null(m.slots);
    ck_assert_ptr_null(sl_hmap_get(&m, "x", 1));
    ck_assert_int_eq(sl_hmap_find(&m, "x", 1, NULL), 0);
    ck_assert_int_eq(sl_hmap_del(&m, "x", 1), -SL_ENOTFOUND);
    ck_assert_uint_eq(sl_hmap_count(&m), 0);
    size_t pos = 0;
    ck_assert_int_eq(sl_hmap_next(&m, &pos, NULL, NULL, NULL), 0);
    sl_hmap_destroy(&m);
    sl_hmap_destroy(&m);   /* idempotent */
}
END_TEST

START_TEST(test_hmap_basic)
{
    sl_hmap_t m;
    ck_assert_int_eq(sl_hmap_init(&m, 4), 0);
    int a = 1, b = 2, c = 3;
    ck_assert_int_eq(sl_hmap_put(&m, "alpha", 5, &a), 0);
    ck_assert_int_eq(sl_hmap_put(&m, "beta", 4, &b), 0);
    ck_assert_ptr_eq(sl_hmap_get(&m, "alpha", 5), &a);
    ck_assert_ptr_eq(sl_hmap_get(&m, "beta", 4), &b);
    ck_assert_ptr_null(sl_hmap_get(&m, "alph", 4));
    ck_assert_ptr_null(sl_hmap_get(&m, "alphaa", 6));
    /* replace keeps the count */
    ck_assert_int_eq(sl_hmap_put(&m, "alpha", 5, &c), 0);
    ck_assert_ptr_eq(sl_hmap_get(&m, "alpha", 5), &c);
    ck_assert_uint_eq(sl_hmap_count(&m), 2);
    /* NULL values are distinguishable through find */
    ck_assert_int_eq(sl_hmap_put(&m, "nil", 3, NULL), 0);
    void *v = &a;
    ck_assert_int_eq(sl_hmap_find(&m, "nil", 3, &v), 1);
    ck_assert_ptr_null(v);
    /* zero-length and embedded-NUL keys */
    ck_assert_int_eq(sl_hmap_put(&m, "", 0, &a), 0);
    ck_assert_int_eq(sl_hmap_put(&m, "a\0b", 3, &b), 0);
    ck_assert_int_eq(sl_hmap_put(&m, "a", 1, &c), 0);
    ck_assert_ptr_eq(sl_hmap_get(&m, "", 0), &a);
    ck_assert_ptr_eq(sl_hmap_get(&m, "a\0b", 3), &b);
    ck_assert_ptr_eq(sl_hmap_get(&m, "a", 1), &c);
    ck_assert_uint_eq(sl_hmap_count(&m), 6);
    /* the key is copied */
    char key[64];
    memset(key, 'k', sizeof key);
    ck_assert_int_eq(sl_hmap_put(&m, key, sizeof key, &a), 0);   /* heap key */
    ck_assert_int_eq(sl_hmap_put(&m, key, 8, &b), 0);            /* inline key */
    memset(key, 'z', sizeof key);
    ck_assert_ptr_null(sl_hmap_get(&m, key, sizeof key));
    memset(key, 'k', sizeof key);
    ck_assert_ptr_eq(sl_hmap_get(&m, key, sizeof key), &a);
    ck_assert_ptr_eq(sl_hmap_get(&m, key, 8), &b);
    /* take hands back the value */
    void *old = NULL;
    ck_assert_int_eq(sl_hmap_take(&m, key, sizeof key, &old), 0);
    ck_assert_ptr_eq(old, &a);
    ck_assert_int_eq(sl_hmap_take(&m, key, sizeof key, &old), -SL_ENOTFOUND);
    ck_assert_int_eq(sl_hmap_del(&m, "beta", 4), 0);
    ck_assert_ptr_null(sl_hmap_get(&m, "beta", 4));
    ck_assert_uint_eq(sl_hmap_count(&m), 6);
    sl_hmap_clear(&m);
    ck_assert_uint_eq(sl_hmap_count(&m), 0);
    ck_assert_ptr_null(sl_hmap_get(&m, "alpha", 5));
    ck_assert_int_eq(sl_hmap_put(&m, "alpha", 5, &a), 0);
    ck_assert_ptr_eq(sl_hmap_get(&m, "alpha", 5), &a);
    sl_hmap_destroy(&m);
}
END_TEST

START_TEST(test_hmap_cap_hint)
{
    sl_hmap_t m;
    ck_assert_int_eq(sl_hmap_init(&m, 1000), 0);
    size_t cap = m.cap;
    ck_assert_uint_ge(cap * 7 / 10, 1000);
    for (uintptr_t i = 0; i < 1000; i++)
        ck_assert_int_eq(sl_hmap_put(&m, &i, sizeof i, (void *)(i + 1)), 0);
    ck_assert_uint_eq(m.cap, cap);   /* no growth up to the hint */
    ck_assert_uint_eq(sl_hmap_count(&m), 1000);
    for (uintptr_t i = 0; i < 1000; i++)
        ck_assert_ptr_eq(sl_hmap_get(&m, &i, sizeof i), (void *)(i + 1));
    /* load factor stays at or below 0.7 while growing */
    for (uintptr_t i = 1000; i < 20000; i++) {
        ck_assert_int_eq(sl_hmap_put(&m, &i, sizeof i, (void *)(i + 1)), 0);
        ck_assert_uint_le(sl_hmap_count(&m) * 10, m.cap * 7);
    }
    sl_hmap_destroy(&m);
}
END_TEST

/* Keys "key-<n>" padded to varied lengths so both inline and heap keys occur. */
static size_t make_key(char *buf, unsigned n)
{
    int len = snprintf(buf, 64, "key-%u", n);
    size_t extra = n % 40;   /* lengths up to ~50 bytes */
    memset(buf + len, '#', extra);
    return (size_t)len + extra;
}

/* Random puts / deletes / lookups against a plain array model: exercises
 * growth, backward-shift deletion across wrap-around, and iteration. */
START_TEST(test_hmap_model)
{
    enum { KEYS = 3000, OPS = 200000 };
    static void *model[KEYS];
    memset(model, 0, sizeof model);
    size_t live = 0;
    sl_hmap_t m;
    ck_assert_int_eq(sl_hmap_init(&m, 0), 0);
    uint64_t seed = 42;
    char key[64];
    for (int op = 0; op < OPS; op++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned k = (unsigned)((seed >> 33) % KEYS);
        unsigned what = (unsigned)((seed >> 20) % 10);
        size_t kl = make_key(key, k);
        if (what < 4) {
            void *v = (void *)(uintptr_t)(op + 1);
            REQUIRE(sl_hmap_put(&m, key, kl, v) == 0);
            if (!model[k]) live++;
            model[k] = v;
        } else if (what < 7) {
            int rc = sl_hmap_del(&m, key, kl);
            REQUIRE(rc == (model[k] ? 0 : -SL_ENOTFOUND));
            if (model[k]) live--;
            model[k] = NULL;
        } else {
            REQUIRE(sl_hmap_get(&m, key, kl) == model[k]);
        }
        REQUIRE(sl_hmap_count(&m) == live);
    }
    for (unsigned k = 0; k < KEYS; k++) {
        size_t kl = make_key(key, k);
        REQUIRE(sl_hmap_get(&m, key, kl) == model[k]);
    }
    /* iteration yields each live key exactly once with its value */
    static unsigned char seen[KEYS];
    memset(seen, 0, sizeof seen);
    size_t pos = 0, n = 0, klen;
    const void *kp;
    void *v;
    while (sl_hmap_next(&m, &pos, &kp, &klen, &v)) {
        unsigned k;
        ck_assert_int_eq(sscanf((const char *)kp, "key-%u", &k), 1);
        ck_assert_uint_lt(k, KEYS);
        ck_assert(!seen[k]);
        seen[k] = 1;
        ck_assert_uint_eq(klen, make_key(key, k));
        ck_assert(memcmp(kp, key, klen) == 0);
        ck_assert_ptr_eq(v, model[k]);
        n++;
    }
    ck_assert_uint_eq(n, live);
    ck_assert_int_eq(sl_hmap_next(&m, &pos, NULL, NULL, NULL), 0);   /* stays done */
    /* delete everything through the collected keys */
    for (unsigned k = 0; k < KEYS; k++) {
        size_t kl = make_key(key, k);
        ck_assert_int_eq(sl_hmap_del(&m, key, kl), model[k] ? 0 : -SL_ENOTFOUND);
    }
    ck_assert_uint_eq(sl_hmap_count(&m), 0);
    for (size_t i = 0; i < m.cap; i++) ck_assert(m.slots[i].hash == 0);
    sl_hmap_destroy(&m);
}
END_TEST

/* ---- vector -------------------------------------------------------------- */

typedef struct pt {
    int x, y;
} pt_t;

START_TEST(test_vec_basic)
{
    sl_vec_t v;
    sl_vec_init(&v, sizeof(int));
    ck_assert_ptr_null(sl_vec_get(&v, 0));
    int x;
    ck_assert_int_eq(sl_vec_pop(&v, &x), -SL_ERANGE);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(sl_vec_push(&v, &i), 0);
    ck_assert_uint_eq(v.len, 1000);
    ck_assert_uint_ge(v.cap, 1000);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(*(int *)sl_vec_get(&v, (size_t)i), i);
    ck_assert_ptr_null(sl_vec_get(&v, 1000));
    ck_assert_int_eq(sl_vec_pop(&v, &x), 0);
    ck_assert_int_eq(x, 999);
    ck_assert_int_eq(sl_vec_pop(&v, NULL), 0);
    ck_assert_uint_eq(v.len, 998);
    ck_assert_int_eq(SL_VEC_AT(&v, int, 997), 997);
    ck_assert_int_eq(sl_vec_remove(&v, 0), 0);
    ck_assert_int_eq(SL_VEC_AT(&v, int, 0), 1);
    ck_assert_int_eq(SL_VEC_AT(&v, int, 996), 997);
    ck_assert_int_eq(sl_vec_remove(&v, 997), -SL_ERANGE);
    ck_assert_int_eq(sl_vec_remove(&v, 996), 0);
    ck_assert_uint_eq(v.len, 996);
    size_t cap = v.cap;
    sl_vec_clear(&v);
    ck_assert_uint_eq(v.len, 0);
    ck_assert_uint_eq(v.cap, cap);
    ck_assert_ptr_null(sl_vec_get(&v, 0));
    sl_vec_destroy(&v);
    ck_assert_ptr_null(v.data);
    sl_vec_destroy(&v);
}
END_TEST

START_TEST(test_vec_reserve_resize_append)
{
    sl_vec_t v;
    SL_VEC_INIT(&v, pt_t);
    ck_assert_int_eq(sl_vec_reserve(&v, 100), 0);
    ck_assert_uint_ge(v.cap, 100);
    void *data = v.data;
    for (int i = 0; i < 100; i++) ck_assert_int_eq(SL_VEC_PUSH(&v, pt_t, ((pt_t){i, -i})), 0);
    ck_assert_ptr_eq(v.data, data);   /* no reallocation within the reservation */
    ck_assert_int_eq(SL_VEC_AT(&v, pt_t, 42).y, -42);
    ck_assert_int_eq(sl_vec_resize(&v, 150), 0);
    ck_assert_int_eq(SL_VEC_AT(&v, pt_t, 149).x, 0);   /* zero-filled */
    ck_assert_int_eq(SL_VEC_AT(&v, pt_t, 99).x, 99);
    ck_assert_int_eq(sl_vec_resize(&v, 10), 0);
    ck_assert_uint_eq(v.len, 10);
    pt_t more[3] = {{1, 2}, {3, 4}, {5, 6}};
    ck_assert_int_eq(sl_vec_append(&v, more, 3), 0);
    ck_assert_int_eq(sl_vec_append(&v, NULL, 0), 0);
    ck_assert_uint_eq(v.len, 13);
    ck_assert_int_eq(SL_VEC_DATA(&v, pt_t)[12].y, 6);
    pt_t *slot = sl_vec_push_slot(&v);
    ck_assert_ptr_nonnull(slot);
    ck_assert(slot->x == 0 && slot->y == 0);
    slot->x = 77;
    ck_assert_int_eq(SL_VEC_AT(&v, pt_t, 13).x, 77);
    /* absurd sizes fail cleanly and leave the vector intact */
    ck_assert_int_eq(sl_vec_reserve(&v, (size_t)-1 / 4), -SL_ENOMEM);
    ck_assert_int_eq(sl_vec_append(&v, more, (size_t)-1), -SL_ENOMEM);
    ck_assert_uint_eq(v.len, 14);
    ck_assert_int_eq(SL_VEC_AT(&v, pt_t, 10).x, 1);
    sl_vec_destroy(&v);
}
END_TEST

/* ---- logging ------------------------------------------------------------- */

/* Runs fn with log output captured into a temporary file; returns the text
 * (caller frees). */
static char *capture(void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/sluice-log-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    int prev = sl_log_set_fd(fd);
    fn(arg);
    sl_log_set_fd(prev);
    off_t size = lseek(fd, 0, SEEK_END);
    char *text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(pread(fd, text, (size_t)size, 0), size);
    text[size] = '\0';
    close(fd);
    return text;
}

static void assert_matches(const char *text, const char *pattern)
{
    regex_t re;
    ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    int rc = regexec(&re, text, 0, NULL, 0);
    regfree(&re);
    ck_assert_msg(rc == 0, "'%s' does not match /%s/", text, pattern);
}

#define TS_RE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "

static int evaluated;
static int side_effect(void)
{
    return ++evaluated;
}

static void log_levels(void *arg)
{
    (void)arg;
    sl_log_set_level(SL_LOG_LEVEL_INFO);
    SL_LOG_INFO("hello %d", 42);
    SL_LOG_DEBUG("hidden %d", side_effect());
    SL_LOG_TRACE("hidden %d", side_effect());
    SL_LOG_WARN("careful\n");
    SL_LOG_ERROR("bad");
    sl_log_set_level(SL_LOG_LEVEL_TRACE);
    SL_LOG_TRACE("shown %d", side_effect());
    sl_log_set_level(SL_LOG_LEVEL_ERROR);
    SL_LOG_WARN("hidden");
    SL_LOG_ERROR("still");
}

START_TEST(test_log_levels)
{
    evaluated = 0;
    char *text = capture(log_levels, NULL);
    ck_assert_int_eq(evaluated, 1);   /* disabled lines never evaluate args */
    assert_matches(text,
                   TS_RE "INFO hello 42\n"
                   "[0-9T:.Z-]+ WARN careful\n"
                   "[0-9T:.Z-]+ ERROR bad\n"
                   "[0-9T:.Z-]+ TRACE shown 1\n"
                   "[0-9T:.Z-]+ ERROR still\n$");
    free(text);
    sl_log_set_level(SL_LOG_LEVEL_INFO);
}
END_TEST

START_TEST(test_log_level_names)
{
    ck_assert_int_eq(sl_log_level_from_name("info"), SL_LOG_LEVEL_INFO);
    ck_assert_int_eq(sl_log_level_from_name("ERROR"), SL_LOG_LEVEL_ERROR);
    ck_assert_int_eq(sl_log_level_from_name("Warn"), SL_LOG_LEVEL_WARN);
    ck_assert_int_eq(sl_log_level_from_name("warning"), SL_LOG_LEVEL_WARN);
    ck_assert_int_eq(sl_log_level_from_name("debug"), SL_LOG_LEVEL_DEBUG);
    ck_assert_int_eq(sl_log_level_from_name("trace"), SL_LOG_LEVEL_TRACE);
    ck_assert_int_eq(sl_log_level_from_name("verbose"), -SL_EINVAL);
    ck_assert_int_eq(sl_log_level_from_name(""), -SL_EINVAL);
    ck_assert_int_eq(sl_log_level_from_name(NULL), -SL_EINVAL);
    ck_assert_str_eq(sl_log_level_name(SL_LOG_LEVEL_DEBUG), "DEBUG");
    ck_assert_str_eq(sl_log_level_name(99), "?");
    ck_assert_str_eq(sl_log_level_name(-1), "?");
    sl_log_set_level(99);
    ck_assert_int_eq(sl_log_get_level(), SL_LOG_LEVEL_TRACE);
    sl_log_set_level(-5);
    ck_assert_int_eq(sl_log_get_level(), SL_LOG_LEVEL_ERROR);
    sl_log_set_level(SL_LOG_LEVEL_INFO);
    ck_assert(sl_log_enabled(SL_LOG_LEVEL_WARN));
    ck_assert(!sl_log_enabled(SL_LOG_LEVEL_DEBUG));
}
END_TEST

static void *other_thread(void *arg)
{
    (void)arg;
    /* a fresh thread has no prefix, whatever the main thread set */
    SL_LOG_INFO("from thread");
    sl_log_set_prefix("job-2");
    SL_LOG_INFO("with own prefix");
    return NULL;
}

static void log_prefix(void *arg)
{
    (void)arg;
    sl_log_set_prefix("job-1");
    ck_assert_str_eq(sl_log_get_prefix(), "job-1");
    SL_LOG_WARN("message");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
    pthread_join(t, NULL);
    ck_assert_str_eq(sl_log_get_prefix(), "job-1");   /* untouched by the thread */
    SL_LOG_INFO("again");
    sl_log_set_prefix(NULL);
    SL_LOG_INFO("none");
    char longp[200];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    sl_log_set_prefix(longp);
    ck_assert_uint_eq(strlen(sl_log_get_prefix()), SL_LOG_PREFIX_MAX - 1);
    sl_log_set_prefix("");
}

START_TEST(test_log_prefix)
{
    sl_log_set_level(SL_LOG_LEVEL_INFO);
    char *text = capture(log_prefix, NULL);
    assert_matches(text,
                   TS_RE "WARN \\[job-1\\] message\n"
                   "[0-9T:.Z-]+ INFO from thread\n"
                   "[0-9T:.Z-]+ INFO \\[job-2\\] with own prefix\n"
                   "[0-9T:.Z-]+ INFO \\[job-1\\] again\n"
                   "[0-9T:.Z-]+ INFO none\n$");
    free(text);
}
END_TEST

static void log_long(void *arg)
{
    const char *msg = arg;
    errno = 1234;
    SL_LOG_ERROR("%s", msg);
    ck_assert_int_eq(errno, 1234);   /* logging preserves errno */
}

START_TEST(test_log_truncation)
{
    char *msg = malloc(10000);
    ck_assert_ptr_nonnull(msg);
    memset(msg, 'x', 9999);
    msg[9999] = '\0';
    char *text = capture(log_long, msg);
    size_t n = strlen(text);
    ck_assert_uint_eq(n, SL_LOG_LINE_MAX);
    ck_assert(text[n - 1] == '\n');
    ck_assert(memcmp(text + n - 4, "...", 3) == 0);
    ck_assert(strchr(text, '\n') == text + n - 1);   /* one line only */
    free(text);
    free(msg);
}
END_TEST

enum { LOG_THREADS = 8, LOG_LINES = 500 };

static void *log_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "t%d", id);
    sl_log_set_prefix(prefix);
    char pad[300];
    memset(pad, 'a' + id, sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 0; i < LOG_LINES; i++) SL_LOG_INFO("line %d %s end", i, pad);
    return NULL;
}

static void log_threads(void *arg)
{
    (void)arg;
    pthread_t t[LOG_THREADS];
    for (intptr_t i = 0; i < LOG_THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, log_worker, (void *)i), 0);
    for (int i = 0; i < LOG_THREADS; i++) pthread_join(t[i], NULL);
}

/* Concurrent lines never interleave: every line is whole and well-formed. */
START_TEST(test_log_threads)
{
    sl_log_set_level(SL_LOG_LEVEL_INFO);
    char *text = capture(log_threads, NULL);
    int count[LOG_THREADS] = {0};
    int lines = 0;
    regex_t re;
    ck_assert_int_eq(regcomp(&re, TS_RE "INFO \\[t([0-7])\\] line [0-9]+ ([a-h]+) end$",
                             REG_EXTENDED), 0);
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        regmatch_t mt[3];
        ck_assert_msg(regexec(&re, line, 3, mt, 0) == 0, "bad line: %.80s", line);
        int id = line[mt[1].rm_so] - '0';
        ck_assert_int_eq(mt[2].rm_eo - mt[2].rm_so, 299);
        ck_assert_int_eq(line[mt[2].rm_so], 'a' + id);
        count[id]++;
        lines++;
    }
    regfree(&re);
    ck_assert_int_eq(lines, LOG_THREADS * LOG_LINES);
    for (int i = 0; i < LOG_THREADS; i++) ck_assert_int_eq(count[i], LOG_LINES);
    free(text);
}
END_TEST

/* ---- arena, strbuf, err -------------------------------------------------- */

START_TEST(test_arena)
{
    sl_arena_t a;
    sl_arena_init(&a, 1024);
    char *p = sl_arena_alloc(&a, 10);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    memset(p, 1, 10);
    char *q = sl_arena_calloc(&a, 100);
    for (int i = 0; i < 100; i++) ck_assert_int_eq(q[i], 0);
    char *big = sl_arena_alloc(&a, 5000);            /* own block */
    ck_assert_ptr_nonnull(big);
    memset(big, 2, 5000);
    ck_assert_str_eq(sl_arena_strdup(&a, "sluice"), "sluice");
    ck_assert_str_eq(sl_arena_strndup(&a, "sluiceway", 6), "sluice");
    ck_assert_str_eq(sl_arena_printf(&a, "%d-%s", 7, "x"), "7-x");
    int arr[3] = {1, 2, 3};
    int *dup = sl_arena_memdup(&a, arr, sizeof arr);
    ck_assert(dup[2] == 3);
    for (int i = 0; i < 1000; i++) ck_assert_ptr_nonnull(sl_arena_alloc(&a, 48));
    ck_assert_ptr_null(sl_arena_alloc(&a, (size_t)-8));   /* overflow */
    sl_arena_reset(&a);
    ck_assert_uint_eq(a.total, 0);
    ck_assert_ptr_nonnull(sl_arena_alloc(&a, 16));
    sl_arena_destroy(&a);
    sl_arena_init(&a, 0);
    ck_assert_ptr_nonnull(sl_arena_alloc(&a, 0));
    sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_strbuf_err)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "");
    ck_assert_int_eq(sl_strbuf_puts(&sb, "a"), 0);
    ck_assert_int_eq(sl_strbuf_putc(&sb, 'b'), 0);
    ck_assert_int_eq(sl_strbuf_printf(&sb, "%d", 123), 0);
    ck_assert_int_eq(sl_strbuf_append(&sb, "\0z", 2), 0);
    ck_assert_uint_eq(sb.len, 7);
    ck_assert(memcmp(sb.buf, "ab123\0z", 8) == 0);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(sl_strbuf_putc(&sb, 'x'), 0);
    ck_assert_uint_eq(sb.len, 1007);
    sl_strbuf_clear(&sb);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "");
    ck_assert_int_eq(sl_strbuf_printf(&sb, "%s", ""), 0);
    char *s = sl_strbuf_detach(&sb);
    ck_assert_str_eq(s, "");
    free(s);
    ck_assert_ptr_null(sb.buf);
    s = sl_strbuf_detach(&sb);   /* never allocated: allocates "" */
    ck_assert_ptr_nonnull(s);
    free(s);
    sl_strbuf_destroy(&sb);

    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_int_eq(err.code, 0);
    ck_assert_int_eq(err.off, -1);
    ck_assert_int_eq(sl_err_set(&err, SL_EOVERFLOW, "x=%d", 5), -SL_EOVERFLOW);
    ck_assert_int_eq(err.code, SL_EOVERFLOW);
    ck_assert_str_eq(err.msg, "x=5");
    ck_assert_int_eq(sl_err_at(&err, -SL_ESYNTAX, 12, 3, "near"), -SL_ESYNTAX);
    ck_assert_int_eq(err.off, 12);
    ck_assert_int_eq(err.len, 3);
    ck_assert_int_eq(sl_err_set(NULL, SL_EIO, "ignored"), -SL_EIO);
    ck_assert_str_eq(sl_err_name(-SL_EDIVZERO), "DIVZERO");
    ck_assert_str_eq(sl_err_str(SL_ENOTFOUND), "not found");
    ck_assert_str_eq(sl_err_name(999), "UNKNOWN");
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hash_basic);
    tcase_add_test(tc, test_hash_distribution);
    tcase_add_test(tc, test_hmap_empty);
    tcase_add_test(tc, test_hmap_basic);
    tcase_add_test(tc, test_hmap_cap_hint);
    tcase_add_test(tc, test_hmap_model);
    tcase_add_test(tc, test_vec_basic);
    tcase_add_test(tc, test_vec_reserve_resize_append);
    tcase_add_test(tc, test_log_levels);
    tcase_add_test(tc, test_log_level_names);
    tcase_add_test(tc, test_log_prefix);
    tcase_add_test(tc, test_log_truncation);
    tcase_add_test(tc, test_log_threads);
    tcase_add_test(tc, test_arena);
    tcase_add_test(tc, test_strbuf_err);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(util_suite());
}
