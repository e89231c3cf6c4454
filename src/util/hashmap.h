/* hashmap.h - open-addressing hash map from byte-string keys to void *.
 *
 * Linear probing with backward-shift deletion (no tombstones), so lookups stay
 * short after many deletes, as happens with per-key operator state that comes
 * and goes. The table is a power of two and grows at a load factor of 0.7.
 *
 * Ownership: the map copies every key it stores (keys of up to
 * SL_HMAP_INLINE_KEY bytes live inside the slot, so no allocation is made for
 * them; longer keys get one heap copy, freed when the key is deleted or the
 * map destroyed). Values are opaque pointers the map never frees.
 *
 * Not thread-safe: one owner at a time. The map must not be modified while it
 * is being iterated with sl_hmap_next (deleting can shift later entries into
 * slots already visited); collect the keys first, then delete.
 */
#ifndef SL_UTIL_HASHMAP_H
#define SL_UTIL_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#define SL_HMAP_INLINE_KEY 24   /* keys up to this many bytes are not malloced */

typedef struct sl_hmap_slot {
    uint64_t hash;              /* full hash of the key; 0 marks an empty slot */
    size_t klen;                /* key length in bytes */
    void *val;                  /* caller's value, not owned */
    union {
        unsigned char inl[SL_HMAP_INLINE_KEY];  /* klen <= SL_HMAP_INLINE_KEY */
        unsigned char *heap;                    /* owned copy otherwise */
    } key;
} sl_hmap_slot_t;

typedef struct sl_hmap {
    sl_hmap_slot_t *slots;      /* cap slots, NULL until the first put */
    size_t cap;                 /* power of two, or 0 */
    size_t count;               /* live entries */
} sl_hmap_t;

/* 64-bit hash of n bytes (a wyhash-style multiply-fold mix). Never fails,
 * stable across runs and platforms of the same endianness, so it may be used
 * for partitioning. Not cryptographic. */
uint64_t sl_hash_bytes(const void *p, size_t n);
/* Mixes one 64-bit integer (for hashing fixed-width keys cheaply). */
uint64_t sl_hash_u64(uint64_t x);

/* Prepares an empty map sized for cap_hint entries without growing (0: no
 * allocation until the first put). Returns 0 or -SL_ENOMEM. On failure the
 * map is still valid and empty. */
int sl_hmap_init(sl_hmap_t *m, size_t cap_hint);
/* Frees the slots and every key copy; values are not touched. The map may be
 * reused after sl_hmap_init. */
void sl_hmap_destroy(sl_hmap_t *m);
/* Removes every entry (frees key copies) but keeps the table. */
void sl_hmap_clear(sl_hmap_t *m);

/* The value stored under key, or NULL when absent (store non-NULL values if
 * you need to tell "absent" from "NULL"; see sl_hmap_find). */
void *sl_hmap_get(const sl_hmap_t *m, const void *key, size_t klen);
/* 1 and *val set when key is present, else 0. val may be NULL. */
int sl_hmap_find(const sl_hmap_t *m, const void *key, size_t klen, void **val);
/* Inserts key -> val, copying the key, or replaces the value of an existing
 * key (the stored key copy is kept). Returns 0 or -SL_ENOMEM (the map is then
 * unchanged). */
int sl_hmap_put(sl_hmap_t *m, const void *key, size_t klen, void *val);
/* Removes key (freeing the map's key copy). Returns 0, or -SL_ENOTFOUND when
 * it is absent. */
int sl_hmap_del(sl_hmap_t *m, const void *key, size_t klen);
/* Like sl_hmap_del, and hands the removed value to the caller through *old
 * (old may be NULL), so the caller can free it. */
int sl_hmap_take(sl_hmap_t *m, const void *key, size_t klen, void **old);
size_t sl_hmap_count(const sl_hmap_t *m);

/* Iteration: start with *pos = 0; each call yields the next entry and returns
 * 1, or returns 0 at the end. *key points into the map (valid until the entry
 * is deleted or the map grows); key, klen, val may each be NULL. Order is
 * unspecified. */
int sl_hmap_next(const sl_hmap_t *m, size_t *pos, const void **key,
                 size_t *klen, void **val);

#endif
