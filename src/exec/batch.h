/* batch.h - a batch of changelog rows, the unit operators exchange.
 *
 * Rows are stored row-major: row r's values are vals[r * ncols .. + ncols).
 * Each row carries a kind (+I, -U, +U, -D). Variable-length data of the
 * values lives in the batch's arena, which is reset when the batch is
 * reused: a consumer that keeps anything past push() returning copies it
 * (sl_value_copy). A batch is filled by one producer and read by one
 * consumer at a time; it is not thread-safe.
 */
#ifndef SL_EXEC_BATCH_H
#define SL_EXEC_BATCH_H

#include <stdint.h>

#include "exec/value.h"
#include "util/arena.h"

typedef enum sl_row_kind {
    SL_INSERT = 0,         /* +I */
    SL_UPDATE_BEFORE = 1,  /* -U */
    SL_UPDATE_AFTER = 2,   /* +U */
    SL_DELETE = 3,         /* -D */
} sl_row_kind_t;

/* "+I", "-U", "+U", "-D" */
const char *sl_row_kind_str(int kind);
/* +I and +U add a row; -U and -D retract one. */
static inline int sl_row_kind_is_add(int kind)
{
    return kind == SL_INSERT || kind == SL_UPDATE_AFTER;
}

#define SL_BATCH_DEFAULT_ROWS 1024

typedef struct sl_batch {
    int ncols;
    int nrows;
    int cap;                   /* rows allocated */
    uint8_t *kinds;            /* heap, cap entries */
    sl_value_t *vals;          /* heap, cap * ncols entries */
    sl_arena_t arena;          /* strings and nested values of the rows */
} sl_batch_t;

/* init/destroy an embedded batch of ncols columns; cap rows preallocated. */
int sl_batch_init(sl_batch_t *b, int ncols, int cap);
void sl_batch_destroy(sl_batch_t *b);
/* Empties the batch and its arena; keeps the allocations. */
void sl_batch_reset(sl_batch_t *b);
/* Appends a row and returns its value slots (ncols, uninitialised), or NULL
 * when out of memory. Grows the batch as needed. */
sl_value_t *sl_batch_add(sl_batch_t *b, int kind);
static inline sl_value_t *sl_batch_row(const sl_batch_t *b, int r)
{
    return b->vals + (size_t)r * (size_t)b->ncols;
}
/* Copies a value into row slot, moving variable-length data into the
 * batch's arena. */
int sl_batch_set(sl_batch_t *b, sl_value_t *slot, const sl_value_t *v,
                 const sl_type_t *t);

#endif
