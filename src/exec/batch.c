/* batch.c - growable batches of changelog rows.
 *
 * The row arrays (kinds, values) grow by doubling, so appending n rows costs
 * O(log n) reallocations and never one malloc per row; variable-length data
 * goes to the batch's arena, which sl_batch_reset empties wholesale.
 */
#include "exec/batch.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

const char *sl_row_kind_str(int kind)
{
    switch (kind) {
    case SL_INSERT: return "+I";
    case SL_UPDATE_BEFORE: return "-U";
    case SL_UPDATE_AFTER: return "+U";
    case SL_DELETE: return "-D";
    default: return "?";
    }
}

/* Arena blocks sized for typical rows of strings. */
#define BATCH_ARENA_BLOCK (64 * 1024)

/* Makes room for `need` rows: exactly `need` when exact (init), else by
 * doubling (at least 16). */
static int grow(sl_batch_t *b, int need, bool exact)
{
    if (need <= b->cap) return 0;
    size_t cap = exact ? (size_t)need : b->cap > 0 ? (size_t)b->cap * 2 : 16;
    while (cap < (size_t)need) cap *= 2;
    if (cap > (size_t)INT32_MAX) return -SL_ENOMEM;
    size_t ncols = b->ncols > 0 ? (size_t)b->ncols : 1;
    if (cap > SIZE_MAX / sizeof(sl_value_t) / ncols) return -SL_ENOMEM;
    uint8_t *kinds = realloc(b->kinds, cap);
    if (!kinds) return -SL_ENOMEM;
    b->kinds = kinds;
    sl_value_t *vals = realloc(b->vals, cap * ncols * sizeof(sl_value_t));
    if (!vals) return -SL_ENOMEM;
    b->vals = vals;
    b->cap = (int)cap;
    return 0;
}

int sl_batch_init(sl_batch_t *b, int ncols, int cap)
{
    memset(b, 0, sizeof *b);
    if (ncols < 0 || cap < 0) return -SL_EINVAL;
    b->ncols = ncols;
    sl_arena_init(&b->arena, BATCH_ARENA_BLOCK);
    if (cap > 0 && grow(b, cap, true)) {
        sl_batch_destroy(b);
        b->ncols = ncols;
        return -SL_ENOMEM;
    }
    return 0;
}

void sl_batch_destroy(sl_batch_t *b)
{
    free(b->kinds);
    free(b->vals);
    b->kinds = NULL;
    b->vals = NULL;
    b->cap = b->nrows = 0;
    sl_arena_destroy(&b->arena);
}

void sl_batch_reset(sl_batch_t *b)
{
    b->nrows = 0;
    sl_arena_reset(&b->arena);
}

sl_value_t *sl_batch_add(sl_batch_t *b, int kind)
{
    if (b->nrows == INT32_MAX || grow(b, b->nrows + 1, false)) return NULL;
    b->kinds[b->nrows] = (uint8_t)kind;
    return sl_batch_row(b, b->nrows++);
}

int sl_batch_set(sl_batch_t *b, sl_value_t *slot, const sl_value_t *v,
                 const sl_type_t *t)
{
    return sl_value_copy(slot, v, t, &b->arena);
}
