/* arena.c - bump allocator; see arena.h. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_BLOCK (64 * 1024)

struct sl_arena_block {
    sl_arena_block_t *next;   /* older block */
    size_t size;              /* usable bytes in data[] */
    size_t used;              /* bytes handed out from data[] */
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void sl_arena_init(sl_arena_t *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    a->total = 0;
}

void sl_arena_destroy(sl_arena_t *a)
{
    sl_arena_block_t *b = a->head;
    while (b) {
        sl_arena_block_t *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void sl_arena_reset(sl_arena_t *a)
{
    sl_arena_block_t *b = a->head;
    if (!b) return;
    /* Keep the oldest block of the default size; free the rest. */
    sl_arena_block_t *keep = NULL;
    while (b) {
        sl_arena_block_t *next = b->next;
        if (!keep && b->size == a->block_size && !next) {
            keep = b;
        } else {
            free(b);
        }
        b = next;
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->total = 0;
}

void *sl_arena_alloc(sl_arena_t *a, size_t n)
{
    if (n == 0) n = 1;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n) return NULL; /* overflow */
    sl_arena_block_t *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = a->block_size;
        if (need > size / 4) {
            /* Large request: its own block, linked behind the current one so
             * the current block keeps filling. */
            sl_arena_block_t *big = malloc(sizeof *big + need);
            if (!big) return NULL;
            big->size = need;
            big->used = need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            a->total += need;
            return big->data;
        }
        sl_arena_block_t *nb = malloc(sizeof *nb + size);
        if (!nb) return NULL;
        nb->size = size;
        nb->used = 0;
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

void *sl_arena_calloc(sl_arena_t *a, size_t n)
{
    void *p = sl_arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *sl_arena_strndup(sl_arena_t *a, const char *s, size_t n)
{
    char *p = sl_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sl_arena_strdup(sl_arena_t *a, const char *s)
{
    return sl_arena_strndup(a, s, strlen(s));
}

void *sl_arena_memdup(sl_arena_t *a, const void *p, size_t n)
{
    void *q = sl_arena_alloc(a, n);
    if (q && n) memcpy(q, p, n);
    return q;
}

char *sl_arena_printf(sl_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = sl_arena_alloc(a, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
