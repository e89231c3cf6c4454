/* vec.c - growable array of fixed-size elements; see vec.h. */
#include "util/vec.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define VEC_MIN_CAP 8

void sl_vec_init(sl_vec_t *v, size_t elem_size)
{
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
    v->elem_size = elem_size ? elem_size : 1;
}

void sl_vec_destroy(sl_vec_t *v)
{
    free(v->data);
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
}

void sl_vec_clear(sl_vec_t *v)
{
    v->len = 0;
}

int sl_vec_reserve(sl_vec_t *v, size_t n)
{
    if (n <= v->cap) return 0;
    size_t max = ((size_t)-1) / v->elem_size;
    if (n > max) return -SL_ENOMEM;
    size_t cap = v->cap ? v->cap : VEC_MIN_CAP;
    while (cap < n) cap = cap > max / 2 ? max : cap * 2;
    void *p = realloc(v->data, cap * v->elem_size);
    if (!p) return -SL_ENOMEM;
    v->data = p;
    v->cap = cap;
    return 0;
}

int sl_vec_resize(sl_vec_t *v, size_t n)
{
    if (n > v->len) {
        int rc = sl_vec_reserve(v, n);
        if (rc) return rc;
        memset((char *)v->data + v->len * v->elem_size, 0,
               (n - v->len) * v->elem_size);
    }
    v->len = n;
    return 0;
}

int sl_vec_append(sl_vec_t *v, const void *elems, size_t n)
{
    if (n == 0) return 0;
    if (v->len + n < v->len) return -SL_ENOMEM;
    int rc = sl_vec_reserve(v, v->len + n);
    if (rc) return rc;
    memcpy((char *)v->data + v->len * v->elem_size, elems, n * v->elem_size);
    v->len += n;
    return 0;
}

int sl_vec_push(sl_vec_t *v, const void *elem)
{
    if (v->len == v->cap) {
        int rc = sl_vec_reserve(v, v->len + 1);
        if (rc) return rc;
    }
    memcpy((char *)v->data + v->len * v->elem_size, elem, v->elem_size);
    v->len++;
    return 0;
}

void *sl_vec_push_slot(sl_vec_t *v)
{
    if (v->len == v->cap && sl_vec_reserve(v, v->len + 1)) return NULL;
    void *p = (char *)v->data + v->len * v->elem_size;
    memset(p, 0, v->elem_size);
    v->len++;
    return p;
}

int sl_vec_pop(sl_vec_t *v, void *out)
{
    if (v->len == 0) return -SL_ERANGE;
    v->len--;
    if (out) memcpy(out, (char *)v->data + v->len * v->elem_size, v->elem_size);
    return 0;
}

void *sl_vec_get(const sl_vec_t *v, size_t i)
{
    if (i >= v->len) return NULL;
    return (char *)v->data + i * v->elem_size;
}

int sl_vec_remove(sl_vec_t *v, size_t i)
{
    if (i >= v->len) return -SL_ERANGE;
    char *p = (char *)v->data + i * v->elem_size;
    memmove(p, p + v->elem_size, (v->len - i - 1) * v->elem_size);
    v->len--;
    return 0;
}
