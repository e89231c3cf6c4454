/* memory.c - the in-memory state backend: one B+tree per table.
 *
 * Tree. Each table is a B+tree ordered by memcmp of the keys (a proper
 * prefix sorts first). Leaves hold up to LEAF_CAP slots, inner nodes up to
 * INNER_CAP children. A slot is the first 8 key bytes as a big-endian
 * integer beside the pointer, so a binary search compares integers and
 * touches an entry only when two 8-byte prefixes tie. Leaves are doubly
 * linked for scans and for stepping back (sl_kv_last). Separators in inner
 * nodes are the shortest prefix of a right leaf's first key that is above
 * the left leaf's last key (suffix truncation), so they stay short.
 *
 * Why a B+tree: the state needs order (prefix scans, seek, last), O(log n)
 * with few cache misses (wide nodes, the prefix integers), and low overhead
 * per entry: one 16-byte slot at 2/3..1 fill, where a skiplist or a
 * red-black tree costs 2..4 pointers and a node allocation per entry.
 *
 * Memory. An entry is one block [TTL links][klen vlen][key][value] taken
 * from the backend's size-class slabs (8-byte steps up to 128 bytes, then 8
 * steps per doubling up to SMALL_MAX); bigger entries are malloc'd and kept
 * on a list. Tree nodes come from two pools of the same kind. A freed block
 * goes to its class's free list and is reused by later writes to any table
 * of the backend; memory returns to the system only in sl_state_free, which
 * frees slabs wholesale without walking the trees. Every allocation may
 * fail: a failed write returns -SL_ENOMEM and leaves a valid tree.
 * Inserting splits full nodes on the way down, and each split allocates
 * all it needs before changing anything, so a failure may leave a split
 * done but never half a split. Deleting merges or redistributes underfull
 * nodes on the way back up; only redistributing two leaves allocates (a new
 * separator), and when that fails the leaf stays underfull, which is legal.
 *
 * TTL. A table with a TTL keeps its entries on a list in write order. Time
 * never goes back and the TTL is one per table, so that is also expiry
 * order, and sl_kv_expire pops expired entries from the head instead of
 * scanning: O(expired * log n). Reads skip expired entries but never remove
 * them (a read may happen while an iterator is live).
 *
 * Snapshots (sl_state_snapshot, sl_state_memory_restore): one file with
 * every table, entry and deadline, written through a buffer, checksummed,
 * fsynced and renamed into place; see the section "snapshots" below.
 *
 * Threading: none. A backend and everything it hands out belong to one
 * thread at a time; backends share nothing (no globals but the CRC table,
 * built once under pthread_once and constant after), so several may live
 * on different threads.
 */
#include "state/state.h"
#include "util/hashmap.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEAF_CAP 64                 /* slots per leaf */
#define INNER_CAP 64                /* children per inner node */
#define LEAF_MIN (LEAF_CAP / 3)     /* below this a leaf is underfull */
#define INNER_MIN (INNER_CAP / 3)
#define MAX_HEIGHT 48               /* inner levels; (INNER_MIN)^48 >> 2^64 */

#define NCLASS 64                   /* size classes, see size_class() */
#define SMALL_MAX 8192              /* larger blocks are malloc'd */
#define CHUNK_MIN 4096              /* first slab of a class */
#define CHUNK_MAX (256 * 1024)      /* slabs double up to this */

/* ---- allocation ---------------------------------------------------------- */

typedef struct chunk {
    struct chunk *next;             /* all slabs of the backend */
    size_t size;                    /* bytes after the header */
} chunk_t;

typedef struct pool {
    void *free;                     /* freed blocks, linked by first word */
    char *cur, *end;                /* uncarved tail of the newest slab */
    size_t size;                    /* block size, a multiple of 8 */
    size_t next_chunk;              /* bytes of the next slab */
} pool_t;

typedef struct large {
    struct large *prev, *next;      /* every block above SMALL_MAX */
    size_t size;                    /* bytes after the header */
} large_t;

/* ---- tree ---------------------------------------------------------------- */

typedef struct tlink {
    struct tlink *prev, *next;      /* the table's write (= expiry) order */
    int64_t expire;                 /* ms; expired when <= now */
} tlink_t;

typedef struct entry {
    uint32_t klen, vlen;
    unsigned char data[];           /* key, then value */
} entry_t;

typedef struct sepkey {
    uint32_t len;
    unsigned char data[];
} sepkey_t;

/* The first 16 key bytes as one big-endian integer: a BIGINT group key is a
 * tag byte and 8 value bytes, so 8 bytes would tie for every 256
 * consecutive keys and make each search step dereference an entry. */
typedef unsigned __int128 pfx_t;

typedef struct slot {
    pfx_t pfx;                      /* first 16 key bytes, big-endian, 0-padded */
    void *p;                        /* entry_t in leaves, sepkey_t in inner */
} slot_t;

typedef struct leaf {
    uint32_t n;                     /* slots used */
    struct leaf *prev, *next;       /* neighbours in key order */
    slot_t s[LEAF_CAP];
} leaf_t;

/* child[i] holds the keys k with s[i-1] <= k < s[i]. */
typedef struct inner {
    uint32_t n;                     /* children; n - 1 separators */
    slot_t s[INNER_CAP - 1];
    void *child[INNER_CAP];
} inner_t;

typedef struct mstate {
    sl_state_t base;
    pool_t cls[NCLASS];             /* entries and separators by size */
    pool_t leaves, inners;
    chunk_t *chunks;
    large_t *large;
    size_t chunk_bytes;             /* slabs incl. headers */
    size_t large_bytes;             /* large blocks incl. headers */
    size_t bytes;                   /* klen + vlen of every entry */
    int64_t now;                    /* ms, never decreases */
    long fail_after;                /* test hook; < 0 off */
    sl_hmap_t tables;               /* name -> mtable_t */
} mstate_t;

typedef struct mtable {
    sl_kv_t base;
    mstate_t *st;
    int64_t ttl;                    /* ms, 0 without TTL */
    size_t hdr;                     /* sizeof(tlink_t) with a TTL, else 0 */
    void *root;                     /* NULL when empty */
    int height;                     /* inner levels above the leaves */
    size_t count;
    tlink_t *head, *tail;           /* oldest and newest write (TTL only) */
} mtable_t;

typedef struct miter {
    sl_kv_iter_t base;
    mtable_t *t;
    leaf_t *l;                      /* NULL once finished */
    unsigned pos;
    size_t plen;
    unsigned char prefix[];
} miter_t;

static const sl_state_ops_t memory_ops;

/* Size classes: 8, 16, .., 128, then 8 steps per doubling up to 8192. */
static int size_class(size_t n)
{
    if (n <= 128) return (int)((n + 7) / 8) - 1;
    unsigned p = 63 - (unsigned)__builtin_clzll((unsigned long long)(n - 1));
    return 16 + (int)(p - 7) * 8 + (int)((n - 1 - ((size_t)1 << p)) >> (p - 3));
}

static size_t class_size(int c)
{
    if (c < 16) return (size_t)(c + 1) * 8;
    unsigned p = 7 + (unsigned)(c - 16) / 8, sub = (unsigned)(c - 16) % 8;
    return ((size_t)1 << p) + (sub + 1) * ((size_t)1 << (p - 3));
}

static void pool_init(pool_t *p, size_t size)
{
    p->free = NULL;
    p->cur = p->end = NULL;
    p->size = (size + 7) & ~(size_t)7;
    p->next_chunk = CHUNK_MIN;
}

static bool fail_now(mstate_t *s)
{
    if (s->fail_after < 0) return false;
    if (s->fail_after == 0) return true;
    s->fail_after--;
    return false;
}

static void *pool_alloc(mstate_t *s, pool_t *p)
{
    if (fail_now(s)) return NULL;
    if (p->free) {
        void *b = p->free;
        p->free = *(void **)b;
        return b;
    }
    if ((size_t)(p->end - p->cur) < p->size) {
        size_t nblk = p->next_chunk / p->size;
        if (nblk < 4) nblk = 4;
        size_t sz = nblk * p->size;
        chunk_t *c = malloc(sizeof *c + sz);
        if (!c) return NULL;
        c->next = s->chunks;
        c->size = sz;
        s->chunks = c;
        s->chunk_bytes += sizeof *c + sz;
        p->cur = (char *)(c + 1);
        p->end = p->cur + sz;
        if (p->next_chunk < CHUNK_MAX) p->next_chunk *= 2;
    }
    void *b = p->cur;
    p->cur += p->size;
    return b;
}

static void pool_free(pool_t *p, void *b)
{
    *(void **)b = p->free;
    p->free = b;
}

static void *mem_alloc(mstate_t *s, size_t n)
{
    if (n <= SMALL_MAX) return pool_alloc(s, &s->cls[size_class(n)]);
    if (fail_now(s)) return NULL;
    large_t *l = malloc(sizeof *l + n);
    if (!l) return NULL;
    l->size = n;
    l->prev = NULL;
    l->next = s->large;
    if (s->large) s->large->prev = l;
    s->large = l;
    s->large_bytes += sizeof *l + n;
    return l + 1;
}

/* n is the size the block was allocated with. */
static void mem_free(mstate_t *s, void *b, size_t n)
{
    if (n <= SMALL_MAX) {
        pool_free(&s->cls[size_class(n)], b);
        return;
    }
    large_t *l = (large_t *)b - 1;
    if (l->prev) l->prev->next = l->next;
    else s->large = l->next;
    if (l->next) l->next->prev = l->prev;
    s->large_bytes -= sizeof *l + l->size;
    free(l);
}

/* Would a block of size a serve for size b too? */
static bool same_block(size_t a, size_t b)
{
    return a <= SMALL_MAX && b <= SMALL_MAX && size_class(a) == size_class(b);
}

/* ---- keys ---------------------------------------------------------------- */

static inline pfx_t key_pfx(const unsigned char *k, size_t n)
{
    uint64_t hi = 0, lo = 0;
    if (n >= 16) {
        memcpy(&hi, k, 8);
        memcpy(&lo, k + 8, 8);
    } else if (n > 8) {
        memcpy(&hi, k, 8);
        memcpy(&lo, k + 8, n - 8);
    } else if (n) {
        memcpy(&hi, k, n);
    }
    return (pfx_t)be64toh(hi) << 64 | be64toh(lo);
}

static inline int key_cmp(const unsigned char *a, size_t an,
                          const unsigned char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return an < bn ? -1 : an > bn;
}

/* Compares k with prefix p on p's length only: 0 when k starts with p. */
static inline int key_cmp_prefix(const unsigned char *k, size_t kn,
                                 const unsigned char *p, size_t pn)
{
    size_t m = kn < pn ? kn : pn;
    int c = m ? memcmp(k, p, m) : 0;
    if (c) return c;
    return kn < pn ? -1 : 0;
}

static inline int cmp_entry(const slot_t *s, const unsigned char *k, size_t kn,
                            pfx_t kp)
{
    if (s->pfx != kp) return s->pfx < kp ? -1 : 1;
    const entry_t *e = s->p;
    return key_cmp(e->data, e->klen, k, kn);
}

static inline int cmp_sep(const slot_t *s, const unsigned char *k, size_t kn,
                          pfx_t kp)
{
    if (s->pfx != kp) return s->pfx < kp ? -1 : 1;
    const sepkey_t *x = s->p;
    return key_cmp(x->data, x->len, k, kn);
}

/* First slot >= k; *eq when it equals k. */
static unsigned leaf_lb(const leaf_t *l, const unsigned char *k, size_t kn,
                        pfx_t kp, bool *eq)
{
    unsigned lo = 0, hi = l->n;
    *eq = false;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        int c = cmp_entry(&l->s[mid], k, kn, kp);
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
            if (c == 0) *eq = true;
        }
    }
    return lo;
}

/* The child whose range holds k: the number of separators <= k. */
static unsigned inner_route(const inner_t *x, const unsigned char *k,
                            size_t kn, pfx_t kp)
{
    unsigned lo = 0, hi = x->n - 1;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (cmp_sep(&x->s[mid], k, kn, kp) <= 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static leaf_t *find_leaf(const mtable_t *t, const unsigned char *k, size_t kn,
                         pfx_t kp)
{
    void *node = t->root;
    for (int h = t->height; h > 0; h--) {
        const inner_t *x = node;
        node = x->child[inner_route(x, k, kn, kp)];
    }
    return node;
}

/* ---- entries ------------------------------------------------------------- */

static inline tlink_t *tlink_of(entry_t *e)
{
    return (tlink_t *)((char *)e - sizeof(tlink_t));
}

static inline size_t entry_size(const mtable_t *t, size_t klen, size_t vlen)
{
    return t->hdr + sizeof(entry_t) + klen + vlen;
}

static inline bool expired(const mtable_t *t, entry_t *e)
{
    return t->ttl > 0 && tlink_of(e)->expire <= t->st->now;
}

/* The deadline of an entry written now. */
static inline int64_t deadline_now(const mtable_t *t)
{
    int64_t now = t->st->now;
    return now > INT64_MAX - t->ttl ? INT64_MAX : now + t->ttl;
}

/* Appends x with deadline dl; dl is never below the tail's (the list stays
 * in expiry order). */
static void ttl_append(mtable_t *t, tlink_t *x, int64_t dl)
{
    x->expire = dl;
    x->next = NULL;
    x->prev = t->tail;
    if (t->tail) t->tail->next = x;
    else t->head = x;
    t->tail = x;
}

static void ttl_unlink(mtable_t *t, tlink_t *x)
{
    if (x->prev) x->prev->next = x->next;
    else t->head = x->next;
    if (x->next) x->next->prev = x->prev;
    else t->tail = x->prev;
}

/* A new entry holding copies of key and val, on the TTL list with deadline
 * dl, not yet in the tree or the counts. NULL when out of memory. */
static entry_t *entry_new(mtable_t *t, const void *key, size_t klen,
                          const void *val, size_t vlen, int64_t dl)
{
    char *b = mem_alloc(t->st, entry_size(t, klen, vlen));
    if (!b) return NULL;
    entry_t *e = (entry_t *)(b + t->hdr);
    e->klen = (uint32_t)klen;
    e->vlen = (uint32_t)vlen;
    if (klen) memcpy(e->data, key, klen);
    if (vlen) memcpy(e->data + klen, val, vlen);
    if (t->ttl) ttl_append(t, (tlink_t *)b, dl);
    return e;
}

/* Unlinks e from the TTL list, uncounts and frees it (not from the tree). */
static void entry_free(mtable_t *t, entry_t *e)
{
    mstate_t *s = t->st;
    size_t n = entry_size(t, e->klen, e->vlen);
    s->bytes -= (size_t)e->klen + e->vlen;
    t->count--;
    void *b = e;
    if (t->ttl) {
        tlink_t *x = tlink_of(e);
        ttl_unlink(t, x);
        b = x;
    }
    mem_free(s, b, n);
}

/* The shortest key k with a < k <= b, given a < b: b cut one byte past the
 * common prefix. As a slot; -SL_ENOMEM. */
static int make_sep(mstate_t *s, const slot_t *sa, const slot_t *sb,
                    slot_t *out)
{
    const entry_t *a = sa->p, *b = sb->p;
    size_t m = a->klen < b->klen ? a->klen : b->klen, l = 0;
    while (l < m && a->data[l] == b->data[l]) l++;
    size_t len = l + 1; /* l < b->klen because a < b */
    sepkey_t *k = mem_alloc(s, sizeof *k + len);
    if (!k) return -SL_ENOMEM;
    k->len = (uint32_t)len;
    memcpy(k->data, b->data, len);
    out->pfx = key_pfx(k->data, len);
    out->p = k;
    return 0;
}

static void sep_free(mstate_t *s, slot_t *sl)
{
    sepkey_t *k = sl->p;
    mem_free(s, k, sizeof *k + k->len);
}

/* ---- insert -------------------------------------------------------------- */

static bool node_full(const void *node, int h)
{
    return h == 0 ? ((const leaf_t *)node)->n == LEAF_CAP
                  : ((const inner_t *)node)->n == INNER_CAP;
}

/* Splits p's full child i (at height h) in two; p has room for one more
 * child. k is the key being inserted: a leaf that k would append to keeps
 * all but one entry (and symmetrically for a key before all), so keys
 * written in order fill leaves instead of leaving them half empty. */
static int split_child(mtable_t *t, inner_t *p, unsigned i, int h,
                       const unsigned char *k, size_t kn, pfx_t kp)
{
    mstate_t *s = t->st;
    slot_t up;
    void *right;
    if (h == 0) {
        leaf_t *l = p->child[i];
        bool eq;
        unsigned pos = leaf_lb(l, k, kn, kp, &eq);
        unsigned m = l->n / 2; /* entries the left leaf keeps */
        if (pos == l->n) m = l->n - 1;
        else if (pos == 0 && !eq) m = 1;
        leaf_t *r = pool_alloc(s, &s->leaves);
        if (!r) return -SL_ENOMEM;
        if (make_sep(s, &l->s[m - 1], &l->s[m], &up)) {
            pool_free(&s->leaves, r);
            return -SL_ENOMEM;
        }
        r->n = l->n - m;
        memcpy(r->s, l->s + m, r->n * sizeof(slot_t));
        l->n = m;
        r->prev = l;
        r->next = l->next;
        if (l->next) l->next->prev = r;
        l->next = r;
        right = r;
    } else {
        inner_t *c = p->child[i];
        inner_t *r = pool_alloc(s, &s->inners);
        if (!r) return -SL_ENOMEM;
        unsigned m = c->n / 2; /* children the left node keeps */
        up = c->s[m - 1];
        r->n = c->n - m;
        memcpy(r->child, c->child + m, r->n * sizeof(void *));
        memcpy(r->s, c->s + m, (r->n - 1) * sizeof(slot_t));
        c->n = m;
        right = r;
    }
    memmove(&p->s[i + 1], &p->s[i], (p->n - 1 - i) * sizeof(slot_t));
    memmove(&p->child[i + 2], &p->child[i + 1], (p->n - 1 - i) * sizeof(void *));
    p->s[i] = up;
    p->child[i + 1] = right;
    p->n++;
    return 0;
}

static int replace(mtable_t *t, leaf_t *l, unsigned pos, const void *val,
                   size_t vlen, int64_t dl)
{
    mstate_t *s = t->st;
    entry_t *e = l->s[pos].p;
    size_t old = entry_size(t, e->klen, e->vlen);
    size_t need = entry_size(t, e->klen, vlen);
    if (same_block(old, need)) {
        if (vlen) memmove(e->data + e->klen, val, vlen);
        s->bytes = s->bytes - e->vlen + vlen;
        e->vlen = (uint32_t)vlen;
        if (t->ttl) {
            ttl_unlink(t, tlink_of(e));
            ttl_append(t, tlink_of(e), dl);
        }
        return 0;
    }
    /* val may point into e: copy before freeing e */
    entry_t *ne = entry_new(t, e->data, e->klen, val, vlen, dl);
    if (!ne) return -SL_ENOMEM;
    l->s[pos].p = ne;
    s->bytes += (size_t)ne->klen + vlen;
    t->count++;
    entry_free(t, e);
    return 0;
}

/* mem_put with the entry's deadline given: a restore puts entries back
 * with the deadlines they had (dl is ignored without a TTL). */
static int tree_put(mtable_t *t, const void *key, size_t klen, const void *val,
                    size_t vlen, int64_t dl)
{
    mstate_t *s = t->st;
    const unsigned char *k = key;
    if (klen > UINT32_MAX || vlen > UINT32_MAX) return -SL_EINVAL;
    pfx_t kp = key_pfx(k, klen);

    if (!t->root) {
        leaf_t *l = pool_alloc(s, &s->leaves);
        if (!l) return -SL_ENOMEM;
        l->n = 0;
        l->prev = l->next = NULL;
        t->root = l;
        t->height = 0;
    }
    if (node_full(t->root, t->height)) {
        if (t->height + 1 >= MAX_HEIGHT) return -SL_ENOMEM;
        inner_t *r = pool_alloc(s, &s->inners);
        if (!r) return -SL_ENOMEM;
        r->n = 1;
        r->child[0] = t->root;
        int rc = split_child(t, r, 0, t->height, k, klen, kp);
        if (rc) {
            pool_free(&s->inners, r);
            return rc;
        }
        t->root = r;
        t->height++;
    }
    void *node = t->root;
    for (int h = t->height; h > 0; h--) {
        inner_t *x = node;
        unsigned i = inner_route(x, k, klen, kp);
        if (node_full(x->child[i], h - 1)) {
            int rc = split_child(t, x, i, h - 1, k, klen, kp);
            if (rc) return rc;
            if (cmp_sep(&x->s[i], k, klen, kp) <= 0) i++;
        }
        node = x->child[i];
    }

    leaf_t *l = node;
    bool eq;
    unsigned pos = leaf_lb(l, k, klen, kp, &eq);
    if (eq) return replace(t, l, pos, val, vlen, dl);
    entry_t *e = entry_new(t, key, klen, val, vlen, dl);
    if (!e) return -SL_ENOMEM;
    memmove(&l->s[pos + 1], &l->s[pos], (l->n - pos) * sizeof(slot_t));
    l->s[pos].pfx = kp;
    l->s[pos].p = e;
    l->n++;
    t->count++;
    s->bytes += klen + vlen;
    return 0;
}

static int mem_put(sl_kv_t *kv, const void *key, size_t klen, const void *val,
                   size_t vlen)
{
    mtable_t *t = (mtable_t *)kv;
    return tree_put(t, key, klen, val, vlen, t->ttl ? deadline_now(t) : 0);
}

/* ---- delete -------------------------------------------------------------- */

/* Removes separator i of p and the child right of it (p->child[i + 1]). */
static void remove_sep(inner_t *p, unsigned i)
{
    memmove(&p->s[i], &p->s[i + 1], (p->n - 2 - i) * sizeof(slot_t));
    memmove(&p->child[i + 1], &p->child[i + 2],
            (p->n - 2 - i) * sizeof(void *));
    p->n--;
}

/* Evens out two adjacent leaves a, b (children li, li+1 of p). Needs a new
 * separator; without memory it does nothing. */
static void redistribute_leaves(mstate_t *s, inner_t *p, unsigned li,
                                leaf_t *a, leaf_t *b)
{
    unsigned an = a->n, bn = b->n, target = (an + bn) / 2;
    slot_t sep;
    if (an > target) {
        unsigned m = an - target;
        if (make_sep(s, &a->s[target - 1], &a->s[target], &sep)) return;
        memmove(b->s + m, b->s, bn * sizeof(slot_t));
        memcpy(b->s, a->s + target, m * sizeof(slot_t));
        b->n = bn + m;
    } else if (an < target) {
        unsigned m = target - an;
        if (make_sep(s, &b->s[m - 1], &b->s[m], &sep)) return;
        memcpy(a->s + an, b->s, m * sizeof(slot_t));
        memmove(b->s, b->s + m, (bn - m) * sizeof(slot_t));
        b->n = bn - m;
    } else {
        return;
    }
    a->n = target;
    sep_free(s, &p->s[li]);
    p->s[li] = sep;
}

/* The same for inner nodes: children rotate through p's separator. */
static void redistribute_inners(inner_t *p, unsigned li, inner_t *a,
                                inner_t *b)
{
    unsigned an = a->n, bn = b->n, target = (an + bn) / 2;
    if (an > target) {
        unsigned m = an - target;
        memmove(b->child + m, b->child, bn * sizeof(void *));
        memmove(b->s + m, b->s, (bn - 1) * sizeof(slot_t));
        memcpy(b->child, a->child + target, m * sizeof(void *));
        memcpy(b->s, a->s + target, (m - 1) * sizeof(slot_t));
        b->s[m - 1] = p->s[li];
        p->s[li] = a->s[target - 1];
        b->n = bn + m;
    } else if (an < target) {
        unsigned m = target - an;
        memcpy(a->child + an, b->child, m * sizeof(void *));
        a->s[an - 1] = p->s[li];
        memcpy(a->s + an, b->s, (m - 1) * sizeof(slot_t));
        p->s[li] = b->s[m - 1];
        memmove(b->child, b->child + m, (bn - m) * sizeof(void *));
        memmove(b->s, b->s + m, (bn - 1 - m) * sizeof(slot_t));
        b->n = bn - m;
    } else {
        return;
    }
    a->n = target;
}

/* Restores fill after a delete from leaf `node`; path[d] is the inner node
 * at depth d and idx[d] the child taken there. */
static void rebalance(mtable_t *t, inner_t **path, const unsigned *idx,
                      void *node)
{
    mstate_t *s = t->st;
    int d = t->height - 1; /* depth of node's parent */
    for (int h = 0;; h++, d--) {
        if (d < 0) { /* node is the root */
            if (h == 0) {
                leaf_t *l = node;
                if (l->n == 0) {
                    pool_free(&s->leaves, l);
                    t->root = NULL;
                    t->height = 0;
                }
            } else {
                inner_t *x = node;
                if (x->n == 1) {
                    t->root = x->child[0];
                    t->height--;
                    pool_free(&s->inners, x);
                }
            }
            return;
        }
        inner_t *p = path[d];
        unsigned li = idx[d] > 0 ? idx[d] - 1 : 0;
        if (h == 0) {
            if (((leaf_t *)node)->n >= LEAF_MIN) return;
            leaf_t *a = p->child[li], *b = p->child[li + 1];
            if (a->n + b->n > LEAF_CAP) {
                redistribute_leaves(s, p, li, a, b);
                return;
            }
            memcpy(a->s + a->n, b->s, b->n * sizeof(slot_t));
            a->n += b->n;
            a->next = b->next;
            if (b->next) b->next->prev = a;
            pool_free(&s->leaves, b);
            sep_free(s, &p->s[li]);
        } else {
            if (((inner_t *)node)->n >= INNER_MIN) return;
            inner_t *a = p->child[li], *b = p->child[li + 1];
            if (a->n + b->n > INNER_CAP) {
                redistribute_inners(p, li, a, b);
                return;
            }
            a->s[a->n - 1] = p->s[li]; /* the separator moves down */
            memcpy(a->s + a->n, b->s, (b->n - 1) * sizeof(slot_t));
            memcpy(a->child + a->n, b->child, b->n * sizeof(void *));
            a->n += b->n;
            pool_free(&s->inners, b);
        }
        remove_sep(p, li);
        node = p;
    }
}

/* Deletes key k; *live (may be NULL) tells whether it had not expired. */
static int tree_del(mtable_t *t, const unsigned char *k, size_t kn, bool *live)
{
    if (!t->root) return -SL_ENOTFOUND;
    inner_t *path[MAX_HEIGHT];
    unsigned idx[MAX_HEIGHT];
    pfx_t kp = key_pfx(k, kn);
    void *node = t->root;
    for (int h = t->height, d = 0; h > 0; h--, d++) {
        inner_t *x = node;
        unsigned i = inner_route(x, k, kn, kp);
        path[d] = x;
        idx[d] = i;
        node = x->child[i];
    }
    leaf_t *l = node;
    bool eq;
    unsigned pos = leaf_lb(l, k, kn, kp, &eq);
    if (!eq) return -SL_ENOTFOUND;
    entry_t *e = l->s[pos].p;
    if (live) *live = !expired(t, e);
    memmove(&l->s[pos], &l->s[pos + 1], (l->n - pos - 1) * sizeof(slot_t));
    l->n--;
    entry_free(t, e); /* k may point into e: not used after this */
    rebalance(t, path, idx, l);
    return 0;
}

/* An expired entry is absent: deleting one drops it and says so. */
static int mem_del(sl_kv_t *kv, const void *key, size_t klen)
{
    bool live = false;
    int rc = tree_del((mtable_t *)kv, key, klen, &live);
    if (rc) return rc;
    return live ? 0 : -SL_ENOTFOUND;
}

static size_t mem_expire(sl_kv_t *kv)
{
    mtable_t *t = (mtable_t *)kv;
    size_t n = 0;
    while (t->head && t->head->expire <= t->st->now) {
        entry_t *e = (entry_t *)(t->head + 1);
        if (tree_del(t, e->data, e->klen, NULL)) break; /* cannot happen */
        n++;
    }
    return n;
}

/* ---- reads --------------------------------------------------------------- */

static int mem_get(sl_kv_t *kv, const void *key, size_t klen, const void **val,
                   size_t *vlen)
{
    mtable_t *t = (mtable_t *)kv;
    if (!t->root) return -SL_ENOTFOUND;
    pfx_t kp = key_pfx(key, klen);
    leaf_t *l = find_leaf(t, key, klen, kp);
    bool eq;
    unsigned pos = leaf_lb(l, key, klen, kp, &eq);
    if (!eq) return -SL_ENOTFOUND;
    entry_t *e = l->s[pos].p;
    if (expired(t, e)) return -SL_ENOTFOUND;
    if (val) *val = e->data + e->klen;
    if (vlen) *vlen = e->vlen;
    return 0;
}

static size_t mem_count(const sl_kv_t *kv)
{
    return ((const mtable_t *)kv)->count;
}

static sl_kv_iter_t *mem_seek(sl_kv_t *kv, const void *prefix, size_t plen,
                              const void *key, size_t klen)
{
    mtable_t *t = (mtable_t *)kv;
    if (fail_now(t->st)) return NULL;
    miter_t *it = malloc(sizeof *it + plen);
    if (!it) return NULL;
    it->base.ops = &memory_ops;
    it->t = t;
    it->l = NULL;
    it->pos = 0;
    it->plen = plen;
    if (plen) memcpy(it->prefix, prefix, plen);
    if (t->root) {
        /* start at max(key, prefix): keys with the prefix are one range */
        const unsigned char *k = prefix;
        size_t kn = plen;
        if (klen && key_cmp(key, klen, prefix, plen) > 0) {
            k = key;
            kn = klen;
        }
        pfx_t kp = key_pfx(k, kn);
        bool eq;
        it->l = find_leaf(t, k, kn, kp);
        it->pos = leaf_lb(it->l, k, kn, kp, &eq);
    }
    return &it->base;
}

static int mem_next(sl_kv_iter_t *base, const void **key, size_t *klen,
                    const void **val, size_t *vlen)
{
    miter_t *it = (miter_t *)base;
    while (it->l) {
        if (it->pos >= it->l->n) {
            it->l = it->l->next;
            it->pos = 0;
            continue;
        }
        entry_t *e = it->l->s[it->pos].p;
        if (key_cmp_prefix(e->data, e->klen, it->prefix, it->plen) != 0) {
            it->l = NULL;
            break;
        }
        it->pos++;
        if (expired(it->t, e)) continue;
        if (key) *key = e->data;
        if (klen) *klen = e->klen;
        if (val) *val = e->data + e->klen;
        if (vlen) *vlen = e->vlen;
        return 1;
    }
    return 0;
}

static void mem_iter_free(sl_kv_iter_t *it)
{
    free(it);
}

static int mem_last(sl_kv_t *kv, const void *prefix, size_t plen,
                    const void **key, size_t *klen, const void **val,
                    size_t *vlen)
{
    mtable_t *t = (mtable_t *)kv;
    const unsigned char *p = prefix;
    if (!t->root) return 0;
    /* Descend to the first key above every key with the prefix (the keys
     * compare above p on p's length); the answer is just before it. */
    void *node = t->root;
    for (int h = t->height; h > 0; h--) {
        inner_t *x = node;
        unsigned lo = 0, hi = x->n - 1;
        while (lo < hi) {
            unsigned mid = (lo + hi) / 2;
            const sepkey_t *sk = x->s[mid].p;
            if (key_cmp_prefix(sk->data, sk->len, p, plen) <= 0) lo = mid + 1;
            else hi = mid;
        }
        node = x->child[lo];
    }
    leaf_t *l = node;
    unsigned lo = 0, hi = l->n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const entry_t *e = l->s[mid].p;
        if (key_cmp_prefix(e->data, e->klen, p, plen) <= 0) lo = mid + 1;
        else hi = mid;
    }
    for (unsigned pos = lo;;) {
        if (pos == 0) {
            l = l->prev;
            if (!l) return 0;
            pos = l->n;
            continue;
        }
        entry_t *e = l->s[--pos].p;
        if (key_cmp_prefix(e->data, e->klen, p, plen) != 0) return 0;
        if (expired(t, e)) continue;
        if (key) *key = e->data;
        if (klen) *klen = e->klen;
        if (val) *val = e->data + e->klen;
        if (vlen) *vlen = e->vlen;
        return 1;
    }
}

/* ---- backend ------------------------------------------------------------- */

static sl_kv_t *mem_table(sl_state_t *st, const char *name, int64_t ttl_ms)
{
    mstate_t *s = (mstate_t *)st;
    size_t nl = strlen(name);
    void *v;
    if (sl_hmap_find(&s->tables, name, nl, &v)) return v;
    if (fail_now(s)) return NULL;
    mtable_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->base.ops = &memory_ops;
    t->st = s;
    t->ttl = ttl_ms > 0 ? ttl_ms : 0;
    t->hdr = t->ttl ? sizeof(tlink_t) : 0;
    if (sl_hmap_put(&s->tables, name, nl, t)) {
        free(t);
        return NULL;
    }
    return &t->base;
}

static void mem_set_time(sl_state_t *st, int64_t now_ms)
{
    mstate_t *s = (mstate_t *)st;
    if (now_ms > s->now) s->now = now_ms;
}

static size_t mem_bytes(const sl_state_t *st)
{
    return ((const mstate_t *)st)->bytes;
}

static size_t mem_footprint(const sl_state_t *st)
{
    const mstate_t *s = (const mstate_t *)st;
    return sizeof *s + s->chunk_bytes + s->large_bytes +
           s->tables.cap * sizeof(sl_hmap_slot_t) +
           sl_hmap_count(&s->tables) * sizeof(mtable_t);
}

static void mem_free_state(sl_state_t *st)
{
    mstate_t *s = (mstate_t *)st;
    size_t pos = 0;
    void *v;
    while (sl_hmap_next(&s->tables, &pos, NULL, NULL, &v)) free(v);
    sl_hmap_destroy(&s->tables);
    for (chunk_t *c = s->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    for (large_t *l = s->large, *next; l; l = next) {
        next = l->next;
        free(l);
    }
    free(s);
}

sl_state_t *sl_state_memory_new(void)
{
    mstate_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &memory_ops;
    for (int c = 0; c < NCLASS; c++) pool_init(&s->cls[c], class_size(c));
    pool_init(&s->leaves, sizeof(leaf_t));
    pool_init(&s->inners, sizeof(inner_t));
    s->fail_after = -1;
    sl_hmap_init(&s->tables, 0);
    return &s->base;
}

void sl_state_memory_fail_after(sl_state_t *st, long n)
{
    if (st->ops == &memory_ops) ((mstate_t *)st)->fail_after = n < 0 ? -1 : n;
}

/* ---- snapshots -----------------------------------------------------------
 *
 * File dir/state.bin, every integer little-endian:
 *
 *   header   "SLMEMST\0" | u32 version (1) | u32 flags (0) | i64 now (ms)
 *            | u32 tables
 *   table    u32 name length | name | i64 ttl (ms, 0 none) | u64 entries
 *   entry    u32 klen | u32 vlen | i64 deadline (TTL tables only) | key
 *            | value
 *   trailer  u32 CRC32C of every byte before it
 *
 * A TTL table's entries are in its list order (write order, which is
 * deadline order), so a restore appends them to the list as it inserts
 * them and the list comes back in expiry order; a table without TTL is
 * written in key order, which fills the restored tree's leaves (the split
 * rule keeps appended leaves full). The clock is saved so deadlines keep
 * their meaning: a restored entry expires when it would have.
 *
 * Writing goes through one 1 MiB buffer (a write(2) per MiB, not per
 * entry), to a temporary name that is renamed once it is complete and
 * fsynced, so a crash never leaves a state.bin that looks whole but is not.
 * Reading uses the same buffer size; every length read is checked against
 * what is left of the file before anything is allocated for it, so a
 * damaged length cannot ask for gigabytes. */

#define SNAP_FILE "state.bin"
#define SNAP_MAGIC "SLMEMST"            /* 8 bytes with its NUL */
#define SNAP_VERSION 1u
#define SNAP_BUF (1u << 20)

/* CRC32C (Castagnoli), slice-by-8: about 2 GB/s in software, so it costs
 * little beside the write. The tables are constant once built. */
static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_tab[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int k = 1; k < 8; k++)
            crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^ crc_tab[0][crc_tab[k - 1][i] & 0xff];
}

/* Continues crc (0 to start) over n bytes at p. */
static uint32_t crc32c(uint32_t crc, const void *p, size_t n)
{
    const unsigned char *b = p;
    crc = ~crc;
    while (n && ((uintptr_t)b & 7)) {
        crc = (crc >> 8) ^ crc_tab[0][(crc ^ *b++) & 0xff];
        n--;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        w = le64toh(w) ^ crc;
        crc = crc_tab[7][w & 0xff] ^ crc_tab[6][(w >> 8) & 0xff] ^
              crc_tab[5][(w >> 16) & 0xff] ^ crc_tab[4][(w >> 24) & 0xff] ^
              crc_tab[3][(w >> 32) & 0xff] ^ crc_tab[2][(w >> 40) & 0xff] ^
              crc_tab[1][(w >> 48) & 0xff] ^ crc_tab[0][w >> 56];
        b += 8;
        n -= 8;
    }
    while (n--) crc = (crc >> 8) ^ crc_tab[0][(crc ^ *b++) & 0xff];
    return ~crc;
}

/* 0 or an errno. */
static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n > ((size_t)1 << 30) ? (size_t)1 << 30 : n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (w == 0) return EIO;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* fsync of a directory, so a rename or a new entry in it is durable. 0 or
 * an errno. */
static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = fsync(fd) ? errno : 0;
    close(fd);
    return rc;
}

/* The buffered writer. buf is owned (freed by the caller of snap_write). */
typedef struct snapw {
    int fd;
    unsigned char *buf;
    size_t len;
    uint32_t crc;                   /* of every byte handed to write() */
    uint64_t total;                 /* bytes handed to write() */
    int err;                        /* first errno; later calls do nothing */
} snapw_t;

static void sw_flush(snapw_t *w)
{
    if (w->err || !w->len) return;
    w->crc = crc32c(w->crc, w->buf, w->len);
    w->err = write_all(w->fd, w->buf, w->len);
    w->total += w->len;
    w->len = 0;
}

static void sw_put(snapw_t *w, const void *p, size_t n)
{
    if (w->err) return;
    if (n > SNAP_BUF - w->len) {
        sw_flush(w);
        if (w->err) return;
        if (n >= SNAP_BUF) { /* a big value: straight from the entry */
            w->crc = crc32c(w->crc, p, n);
            w->err = write_all(w->fd, p, n);
            w->total += n;
            return;
        }
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void sw_u32(snapw_t *w, uint32_t v)
{
    v = htole32(v);
    sw_put(w, &v, 4);
}

static void sw_u64(snapw_t *w, uint64_t v)
{
    v = htole64(v);
    sw_put(w, &v, 8);
}

static void sw_entry(snapw_t *w, const mtable_t *t, const entry_t *e)
{
    sw_u32(w, e->klen);
    sw_u32(w, e->vlen);
    if (t->ttl) sw_u64(w, (uint64_t)((const tlink_t *)e - 1)->expire);
    sw_put(w, e->data, (size_t)e->klen + e->vlen);
}

static void sw_table(snapw_t *w, const char *name, size_t nl, const mtable_t *t)
{
    sw_u32(w, (uint32_t)nl);
    sw_put(w, name, nl);
    sw_u64(w, (uint64_t)t->ttl);
    sw_u64(w, t->count);
    if (t->ttl) {
        for (const tlink_t *x = t->head; x; x = x->next)
            sw_entry(w, t, (const entry_t *)(x + 1));
    } else if (t->root) {
        const void *node = t->root;
        for (int h = t->height; h > 0; h--) node = ((const inner_t *)node)->child[0];
        for (const leaf_t *l = node; l; l = l->next)
            for (unsigned i = 0; i < l->n; i++) sw_entry(w, t, l->s[i].p);
    }
}

/* "dir/name" in a new malloc'd string (the caller frees it); NULL when out
 * of memory. */
static char *path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p) return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

/* The parent of dir, fsynced so that dir's own entry is durable. 0 or an
 * errno. */
static int fsync_parent(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy) return ENOMEM;
    int rc = fsync_dir(dirname(copy));
    free(copy);
    return rc;
}

static int mem_snapshot(sl_state_t *st, const char *dir, uint64_t *bytes,
                        sl_err_t *err)
{
    mstate_t *s = (mstate_t *)st;
    pthread_once(&crc_once, crc_init);
    if (mkdir(dir, 0755))
        return sl_err_set(err, errno == EEXIST ? SL_EEXISTS : SL_EIO,
                          "state snapshot: cannot create directory %s: %s", dir,
                          strerror(errno));
    char *tmp = path_join(dir, SNAP_FILE ".tmp");
    char *fin = path_join(dir, SNAP_FILE);
    snapw_t w = {.fd = -1, .buf = malloc(SNAP_BUF)};
    const char *what = "write";
    if (!tmp || !fin || !w.buf) {
        w.err = ENOMEM;
        goto fail;
    }
    w.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (w.fd < 0) {
        w.err = errno;
        what = "create";
        goto fail;
    }
    sw_put(&w, SNAP_MAGIC, 8);
    sw_u32(&w, SNAP_VERSION);
    sw_u32(&w, 0);
    sw_u64(&w, (uint64_t)s->now);
    sw_u32(&w, (uint32_t)sl_hmap_count(&s->tables));
    size_t pos = 0;
    const void *name;
    size_t nl;
    void *v;
    while (!w.err && sl_hmap_next(&s->tables, &pos, &name, &nl, &v))
        sw_table(&w, name, nl, v);
    sw_flush(&w);
    if (!w.err) {
        uint32_t c = htole32(w.crc);
        w.err = write_all(w.fd, &c, 4);
        w.total += 4;
    }
    if (!w.err && fsync(w.fd)) w.err = errno;
    int fd = w.fd;
    w.fd = -1;
    if (close(fd) && !w.err) w.err = errno;
    if (w.err) goto fail;
    what = "rename";
    if (rename(tmp, fin)) {
        w.err = errno;
        goto fail;
    }
    what = "sync";
    if ((w.err = fsync_dir(dir)) || (w.err = fsync_parent(dir))) goto fail;
    if (bytes) *bytes = w.total;
    free(w.buf);
    free(tmp);
    free(fin);
    return 0;

fail:
    if (w.fd >= 0) close(w.fd);
    if (tmp) unlink(tmp);
    if (fin) unlink(fin);
    rmdir(dir);
    int rc = sl_err_set(err, w.err == ENOMEM ? SL_ENOMEM : SL_EIO,
                        "state snapshot: cannot %s %s: %s", what,
                        fin ? fin : dir, strerror(w.err));
    free(w.buf);
    free(tmp);
    free(fin);
    return rc;
}

/* The buffered reader: left counts the file's bytes not consumed yet, so
 * a length can be checked against it before anything is allocated. */
typedef struct snapr {
    int fd;
    unsigned char *buf;
    size_t pos, len;                /* unread bytes are buf[pos, len) */
    uint64_t left;
    uint32_t crc;                   /* of every byte consumed */
    int err;                        /* errno of a failed read, else 0 */
} snapr_t;

/* Reads n bytes into dst: 0, or -1 past the end or on a read error. */
static int sr_get(snapr_t *r, void *dst, size_t n)
{
    unsigned char *d = dst;
    if (n > r->left) return -1;
    size_t have = r->len - r->pos;
    if (have >= n) {
        memcpy(d, r->buf + r->pos, n);
        r->pos += n;
    } else {
        memcpy(d, r->buf + r->pos, have);
        r->pos = r->len = 0;
        size_t got = have;
        while (got < n) {
            /* refill for small reads, straight into dst for big ones */
            bool direct = n - got >= SNAP_BUF;
            ssize_t k = direct ? read(r->fd, d + got, n - got)
                               : read(r->fd, r->buf, SNAP_BUF);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) {
                r->err = k < 0 ? errno : 0;
                return -1;
            }
            if (direct) {
                got += (size_t)k;
                continue;
            }
            size_t take = (size_t)k < n - got ? (size_t)k : n - got;
            memcpy(d + got, r->buf, take);
            got += take;
            r->pos = take;
            r->len = (size_t)k;
        }
    }
    r->left -= n;
    r->crc = crc32c(r->crc, d, n);
    return 0;
}

static int sr_u32(snapr_t *r, uint32_t *v)
{
    if (sr_get(r, v, 4)) return -1;
    *v = le32toh(*v);
    return 0;
}

static int sr_u64(snapr_t *r, uint64_t *v)
{
    if (sr_get(r, v, 8)) return -1;
    *v = le64toh(*v);
    return 0;
}

/* Reads the tables into s. 0, -1 when the file ends early (or a read
 * fails: r->err), or a -SL_E* code with *why saying what is wrong. */
static int read_tables(snapr_t *r, mstate_t *s, uint32_t ntables,
                       const char **why)
{
    unsigned char *kv = NULL;       /* one entry's key and value */
    size_t kvcap = 0;
    char *name = NULL;
    int rc = 0;
    for (uint32_t ti = 0; ti < ntables && !rc; ti++) {
        uint32_t nl;
        uint64_t ttl, n;
        if (sr_u32(r, &nl) || nl > r->left) {
            rc = -1;
            break;
        }
        free(name);
        name = malloc((size_t)nl + 1);
        if (!name) {
            rc = -SL_ENOMEM;
            break;
        }
        if (sr_get(r, name, nl) || sr_u64(r, &ttl) || sr_u64(r, &n)) {
            rc = -1;
            break;
        }
        name[nl] = '\0';
        if (memchr(name, '\0', nl) || (int64_t)ttl < 0) {
            *why = "bad table header";
            rc = -SL_EFORMAT;
            break;
        }
        if (sl_hmap_find(&s->tables, name, nl, NULL)) {
            *why = "a table appears twice";
            rc = -SL_EFORMAT;
            break;
        }
        mtable_t *t = (mtable_t *)mem_table(&s->base, name, (int64_t)ttl);
        if (!t) {
            rc = -SL_ENOMEM;
            break;
        }
        int64_t prev = INT64_MIN;
        for (uint64_t i = 0; i < n; i++) {
            uint32_t klen, vlen;
            uint64_t dl = 0;
            if (sr_u32(r, &klen) || sr_u32(r, &vlen) || (t->ttl && sr_u64(r, &dl)) ||
                (uint64_t)klen + vlen > r->left) {
                rc = -1;
                break;
            }
            if (t->ttl && (int64_t)dl < prev) {
                *why = "deadlines out of order";
                rc = -SL_EFORMAT;
                break;
            }
            prev = (int64_t)dl;
            size_t need = (size_t)klen + vlen;
            if (need > kvcap) {
                size_t cap = kvcap ? kvcap : 256;
                while (cap < need) cap *= 2;
                unsigned char *nb = realloc(kv, cap);
                if (!nb) {
                    rc = -SL_ENOMEM;
                    break;
                }
                kv = nb;
                kvcap = cap;
            }
            if (sr_get(r, kv, need)) {
                rc = -1;
                break;
            }
            if (tree_put(t, kv, klen, kv + klen, vlen, (int64_t)dl)) {
                rc = -SL_ENOMEM;
                break;
            }
        }
        if (!rc && t->count != n) {
            *why = "a key appears twice";
            rc = -SL_EFORMAT;
        }
    }
    free(name);
    free(kv);
    return rc;
}

int sl_state_memory_restore(const char *dir, sl_state_t **out, sl_err_t *err)
{
    pthread_once(&crc_once, crc_init);
    char *path = path_join(dir, SNAP_FILE);
    if (!path) return sl_err_set(err, SL_ENOMEM, "out of memory");
    snapr_t r = {.fd = -1};
    sl_state_t *st = NULL;
    int rc;
    r.fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (r.fd < 0 || fstat(r.fd, &sb)) {
        rc = sl_err_set(err, errno == ENOENT ? SL_ENOTFOUND : SL_EIO,
                        "state restore: cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    r.left = (uint64_t)sb.st_size;
    r.buf = malloc(SNAP_BUF);
    st = sl_state_memory_new();
    if (!r.buf || !st) {
        rc = sl_err_set(err, SL_ENOMEM, "state restore %s: out of memory", path);
        goto out;
    }
    mstate_t *s = (mstate_t *)st;
    char magic[8];
    uint32_t version, flags, ntables, want, got;
    uint64_t now;
    const char *why = "damaged";
    if (sr_get(&r, magic, 8) || memcmp(magic, SNAP_MAGIC, 8)) {
        rc = sl_err_set(err, SL_EFORMAT,
                        "state restore: %s is not a memory state snapshot (bad header)",
                        path);
        goto out;
    }
    if (sr_u32(&r, &version) || sr_u32(&r, &flags) || sr_u64(&r, &now) ||
        sr_u32(&r, &ntables)) {
        rc = -1;
    } else if (version != SNAP_VERSION) {
        rc = sl_err_set(err, SL_EFORMAT,
                        "state restore: %s has format version %u; this build reads "
                        "version %u", path, version, SNAP_VERSION);
        goto out;
    } else {
        s->now = (int64_t)now;
        rc = read_tables(&r, s, ntables, &why);
    }
    if (!rc) {
        want = r.crc;
        if (sr_u32(&r, &got)) rc = -1;
        else if (got != want || r.left != 0) {
            why = r.left ? "data after the checksum" : "checksum mismatch";
            rc = -SL_EFORMAT;
        }
    }
    if (rc == -1) {
        rc = r.err ? sl_err_set(err, SL_EIO, "state restore: cannot read %s: %s",
                                path, strerror(r.err))
                   : sl_err_set(err, SL_EFORMAT,
                                "state restore: %s is truncated or damaged "
                                "(it ends inside the data)", path);
    } else if (rc == -SL_ENOMEM) {
        rc = sl_err_set(err, SL_ENOMEM, "state restore %s: out of memory", path);
    } else if (rc) {
        rc = sl_err_set(err, SL_EFORMAT, "state restore: %s is damaged (%s)", path,
                        why);
    }
out:
    if (r.fd >= 0) close(r.fd);
    free(r.buf);
    free(path);
    if (rc) {
        sl_state_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

static const sl_state_ops_t memory_ops = {
    .name = "memory",
    .free = mem_free_state,
    .bytes = mem_bytes,
    .footprint = mem_footprint,
    .table = mem_table,
    .set_time = mem_set_time,
    .get = mem_get,
    .put = mem_put,
    .del = mem_del,
    .count = mem_count,
    .expire = mem_expire,
    .seek = mem_seek,
    .next = mem_next,
    .iter_free = mem_iter_free,
    .last = mem_last,
    .snapshot = mem_snapshot,
};
