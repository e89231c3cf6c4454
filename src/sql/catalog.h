/* catalog.h - internals of the catalog shared by catalog.c and bind.c; the
 * public face is in bind.h. */
#ifndef SL_SQL_CATALOG_H
#define SL_SQL_CATALOG_H

#include "sql/bind.h"
#include "util/arena.h"
#include "util/err.h"

struct sl_catalog {
    sl_arena_t arena;          /* table entries, copied names */
    sl_table_t **tables;       /* heap array of entries in the arena */
    int n, cap;
};

/* Index of a table by name (exact case first), or -1. */
int sl_catalog_find(const sl_catalog_t *c, const char *name);
/* Adds an entry allocated in c->arena. 0 or -SL_ENOMEM. */
int sl_catalog_add(sl_catalog_t *c, sl_table_t *t);
void sl_catalog_remove(sl_catalog_t *c, int i);

#endif
