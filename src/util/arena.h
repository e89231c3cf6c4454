/* arena.h - bump allocator for memory with one lifetime.
 *
 * An arena hands out memory from large blocks and frees it all at once
 * (sl_arena_reset / sl_arena_destroy). Used per statement by the SQL front end
 * and per batch by the engine. Not thread-safe: one owner at a time.
 * Allocation failure returns NULL; nothing aborts.
 */
#ifndef SL_UTIL_ARENA_H
#define SL_UTIL_ARENA_H

#include <stddef.h>

typedef struct sl_arena_block sl_arena_block_t;

typedef struct sl_arena {
    sl_arena_block_t *head;   /* block being filled; older blocks chained */
    size_t block_size;        /* default size of a new block */
    size_t total;             /* bytes handed out since the last reset */
} sl_arena_t;

/* block_size 0 picks a default (64 KiB). Allocates nothing until first use. */
void sl_arena_init(sl_arena_t *a, size_t block_size);
/* Frees every block. The arena can be reused after init. */
void sl_arena_destroy(sl_arena_t *a);
/* Forgets every allocation but keeps the first block for reuse. */
void sl_arena_reset(sl_arena_t *a);

/* 16-byte aligned memory, or NULL when out of memory. */
void *sl_arena_alloc(sl_arena_t *a, size_t n);
/* Zeroed memory. */
void *sl_arena_calloc(sl_arena_t *a, size_t n);
/* Copies of n bytes / a C string, NUL-terminated. */
char *sl_arena_strndup(sl_arena_t *a, const char *s, size_t n);
char *sl_arena_strdup(sl_arena_t *a, const char *s);
/* printf into the arena. */
char *sl_arena_printf(sl_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void *sl_arena_memdup(sl_arena_t *a, const void *p, size_t n);

#endif
