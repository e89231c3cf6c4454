/* hashmap.c - open-addressing hash map with linear probing; see hashmap.h. */
#include "util/hashmap.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAP 8
#define NOT_FOUND ((size_t)-1)

/* ---- hash ---------------------------------------------------------------- */

#define K0 0xa0761d6478bd642full
#define K1 0xe7037ed1a0b428dbull
#define K2 0x8ebc6af09c88c6e3ull
#define K3 0x589965cc75374cc3ull

/* 64x64 -> 128 multiply folded to 64 bits: the mixing step. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

uint64_t sl_hash_bytes(const void *key, size_t n)
{
    const unsigned char *p = key;
    uint64_t seed = K0 ^ mum(K0 ^ 0x2d358dccaa6c78a5ull, K1);
    uint64_t a, b;
    if (n <= 16) {
        if (n >= 4) {
            size_t mid = (n >> 3) << 2;     /* 0 for 4..7 bytes, 4 for 8..16 */
            a = (rd32(p) << 32) | rd32(p + mid);
            b = (rd32(p + n - 4) << 32) | rd32(p + n - 4 - mid);
        } else if (n > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = n;
        if (i > 48) {
            uint64_t s1 = seed, s2 = seed;
            do {
                seed = mum(rd64(p) ^ K1, rd64(p + 8) ^ seed);
                s1 = mum(rd64(p + 16) ^ K2, rd64(p + 24) ^ s1);
                s2 = mum(rd64(p + 32) ^ K3, rd64(p + 40) ^ s2);
                p += 48;
                i -= 48;
            } while (i > 48);
            seed ^= s1 ^ s2;
        }
        while (i > 16) {
            seed = mum(rd64(p) ^ K1, rd64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        }
        /* The last 16 bytes, overlapping already-mixed ones when i < 16;
         * valid because n > 16. */
        a = rd64(p + i - 16);
        b = rd64(p + i - 8);
    }
    a ^= K1;
    b ^= seed;
    unsigned __int128 r = (unsigned __int128)a * b;
    a = (uint64_t)r;
    b = (uint64_t)(r >> 64);
    return mum(a ^ K0 ^ (uint64_t)n, b ^ K1);
}

uint64_t sl_hash_u64(uint64_t x)
{
    return mum(x ^ K0, K1 ^ 0x9e3779b97f4a7c15ull);
}

/* ---- table --------------------------------------------------------------- */

static inline uint64_t key_hash(const void *key, size_t klen)
{
    uint64_t h = sl_hash_bytes(key, klen);
    return h ? h : 1;   /* 0 marks empty slots */
}

static inline const unsigned char *slot_key(const sl_hmap_slot_t *s)
{
    return s->klen <= SL_HMAP_INLINE_KEY ? s->key.inl : s->key.heap;
}

static inline void slot_free_key(sl_hmap_slot_t *s)
{
    if (s->klen > SL_HMAP_INLINE_KEY) free(s->key.heap);
}

/* Entries a table of cap slots may hold: 70% of cap. */
static inline size_t load_limit(size_t cap)
{
    return cap / 10 * 7 + (cap % 10) * 7 / 10;
}

/* Smallest power-of-two capacity holding n entries under the load limit, or
 * 0 if that would overflow. */
static size_t cap_for(size_t n)
{
    size_t cap = MIN_CAP;
    while (load_limit(cap) < n) {
        if (cap > ((size_t)-1) / 4 / sizeof(sl_hmap_slot_t)) return 0;
        cap <<= 1;
    }
    return cap;
}

static size_t find_slot(const sl_hmap_t *m, const void *key, size_t klen,
                        uint64_t h)
{
    if (!m->cap) return NOT_FOUND;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const sl_hmap_slot_t *s = &m->slots[i];
        if (s->hash == 0) return NOT_FOUND;
        if (s->hash == h && s->klen == klen &&
            (klen == 0 || memcmp(slot_key(s), key, klen) == 0))
            return i;
    }
}

/* Places a filled slot into a table known to have room and not to hold it. */
static void place(sl_hmap_slot_t *slots, size_t cap, const sl_hmap_slot_t *s)
{
    size_t mask = cap - 1;
    size_t i = (size_t)s->hash & mask;
    while (slots[i].hash != 0) i = (i + 1) & mask;
    slots[i] = *s;
}

static int resize(sl_hmap_t *m, size_t cap)
{
    sl_hmap_slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return -SL_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].hash) place(slots, cap, &m->slots[i]);
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int sl_hmap_init(sl_hmap_t *m, size_t cap_hint)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    if (cap_hint == 0) return 0;
    size_t cap = cap_for(cap_hint);
    if (!cap) return -SL_ENOMEM;
    return resize(m, cap);
}

void sl_hmap_clear(sl_hmap_t *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].hash) {
            slot_free_key(&m->slots[i]);
            m->slots[i].hash = 0;
        }
    }
    m->count = 0;
}

void sl_hmap_destroy(sl_hmap_t *m)
{
    sl_hmap_clear(m);
    free(m->slots);
    m->slots = NULL;
    m->cap = 0;
}

int sl_hmap_find(const sl_hmap_t *m, const void *key, size_t klen, void **val)
{
    size_t i = find_slot(m, key, klen, key_hash(key, klen));
    if (i == NOT_FOUND) return 0;
    if (val) *val = m->slots[i].val;
    return 1;
}

void *sl_hmap_get(const sl_hmap_t *m, const void *key, size_t klen)
{
    void *v = NULL;
    sl_hmap_find(m, key, klen, &v);
    return v;
}

int sl_hmap_put(sl_hmap_t *m, const void *key, size_t klen, void *val)
{
    uint64_t h = key_hash(key, klen);
    size_t i = find_slot(m, key, klen, h);
    if (i != NOT_FOUND) {
        m->slots[i].val = val;
        return 0;
    }
    if (m->count + 1 > load_limit(m->cap)) {
        size_t cap = m->cap ? m->cap * 2 : MIN_CAP;
        if (cap < m->cap || cap > ((size_t)-1) / sizeof(sl_hmap_slot_t))
            return -SL_ENOMEM;
        int rc = resize(m, cap);
        if (rc) return rc;
    }
    sl_hmap_slot_t s;
    memset(&s, 0, sizeof s);
    s.hash = h;
    s.klen = klen;
    s.val = val;
    if (klen <= SL_HMAP_INLINE_KEY) {
        if (klen) memcpy(s.key.inl, key, klen);
    } else {
        s.key.heap = malloc(klen);
        if (!s.key.heap) return -SL_ENOMEM;
        memcpy(s.key.heap, key, klen);
    }
    place(m->slots, m->cap, &s);
    m->count++;
    return 0;
}

int sl_hmap_take(sl_hmap_t *m, const void *key, size_t klen, void **old)
{
    size_t i = find_slot(m, key, klen, key_hash(key, klen));
    if (i == NOT_FOUND) return -SL_ENOTFOUND;
    if (old) *old = m->slots[i].val;
    slot_free_key(&m->slots[i]);
    /* Backward shift: pull later members of the probe run into the hole
     * unless their home slot lies cyclically in (hole, j]. */
    size_t mask = m->cap - 1;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (m->slots[j].hash == 0) break;
        size_t home = (size_t)m->slots[j].hash & mask;
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        m->slots[i] = m->slots[j];
        i = j;
    }
    m->slots[i].hash = 0;
    m->count--;
    return 0;
}

int sl_hmap_del(sl_hmap_t *m, const void *key, size_t klen)
{
    return sl_hmap_take(m, key, klen, NULL);
}

size_t sl_hmap_count(const sl_hmap_t *m)
{
    return m->count;
}

int sl_hmap_next(const sl_hmap_t *m, size_t *pos, const void **key,
                 size_t *klen, void **val)
{
    for (size_t i = *pos; i < m->cap; i++) {
        const sl_hmap_slot_t *s = &m->slots[i];
        if (!s->hash) continue;
        if (key) *key = slot_key(s);
        if (klen) *klen = s->klen;
        if (val) *val = s->val;
        *pos = i + 1;
        return 1;
    }
    *pos = m->cap;
    return 0;
}
