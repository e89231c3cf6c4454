/* catalog.c - the in-memory catalog of tables and views.
 *
 * One catalog holds the tables and views of default_catalog.default_database.
 * Entries are allocated in the catalog's arena; a dropped entry leaves the
 * list (its memory stays until the catalog is freed, which is fine for the
 * handful of DDL statements a session runs). Names compare
 * case-insensitively, but an exact-case match wins, so `Orders` and
 * `orders` can coexist as in Flink.
 */
#include "sql/catalog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

sl_catalog_t *sl_catalog_new(void)
{
    sl_catalog_t *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    sl_arena_init(&c->arena, 16 * 1024);
    return c;
}

void sl_catalog_free(sl_catalog_t *c)
{
    if (!c) return;
    free(c->tables);
    sl_arena_destroy(&c->arena);
    free(c);
}

int sl_catalog_find(const sl_catalog_t *c, const char *name)
{
    int ci = -1;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->tables[i]->name, name) == 0) return i;
        if (ci < 0 && strcasecmp(c->tables[i]->name, name) == 0) ci = i;
    }
    return ci;
}

const sl_table_t *sl_catalog_lookup(const sl_catalog_t *c, const char *name)
{
    int i = sl_catalog_find(c, name);
    return i < 0 ? NULL : c->tables[i];
}

int sl_catalog_count(const sl_catalog_t *c) { return c->n; }

const sl_table_t *sl_catalog_at(const sl_catalog_t *c, int i)
{
    return i >= 0 && i < c->n ? c->tables[i] : NULL;
}

int sl_catalog_add(sl_catalog_t *c, sl_table_t *t)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 16;
        sl_table_t **v = realloc(c->tables, (size_t)cap * sizeof *v);
        if (!v) return -SL_ENOMEM;
        c->tables = v;
        c->cap = cap;
    }
    c->tables[c->n++] = t;
    return 0;
}

void sl_catalog_remove(sl_catalog_t *c, int i)
{
    if (i < 0 || i >= c->n) return;
    memmove(c->tables + i, c->tables + i + 1,
            (size_t)(c->n - i - 1) * sizeof *c->tables);
    c->n--;
}
