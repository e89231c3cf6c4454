/* vec.h - growable array of fixed-size elements.
 *
 * The vector owns one heap buffer (data) of cap elements of elem_size bytes;
 * elements are copied in and out by value. Growth doubles the capacity, so a
 * push is amortised O(1) and makes no allocation while len < cap. Pointers
 * returned by sl_vec_get are invalidated by anything that may grow the
 * buffer (push, reserve, resize). After a failed allocation the vector keeps
 * its previous contents and stays usable. Not thread-safe.
 */
#ifndef SL_UTIL_VEC_H
#define SL_UTIL_VEC_H

#include <stddef.h>

typedef struct sl_vec {
    void *data;         /* heap buffer of cap * elem_size bytes, or NULL */
    size_t len;         /* elements in use */
    size_t cap;         /* elements allocated */
    size_t elem_size;   /* bytes per element, > 0 */
} sl_vec_t;

/* Empty vector of elem_size-byte elements; allocates nothing. */
void sl_vec_init(sl_vec_t *v, size_t elem_size);
/* Frees the buffer (not anything the elements point to); the vector is
 * left empty and reusable. */
void sl_vec_destroy(sl_vec_t *v);
/* len = 0; keeps the buffer. */
void sl_vec_clear(sl_vec_t *v);
/* Ensures room for at least n elements in total. 0 or -SL_ENOMEM. */
int sl_vec_reserve(sl_vec_t *v, size_t n);
/* Sets len to n; new elements are zero-filled. 0 or -SL_ENOMEM. */
int sl_vec_resize(sl_vec_t *v, size_t n);
/* Appends a copy of the elem_size bytes at elem. 0 or -SL_ENOMEM. */
int sl_vec_push(sl_vec_t *v, const void *elem);
/* Appends n elements copied from elems. 0 or -SL_ENOMEM. */
int sl_vec_append(sl_vec_t *v, const void *elems, size_t n);
/* Appends one zero-filled element and returns a pointer to it (owned by the
 * vector), or NULL when out of memory. */
void *sl_vec_push_slot(sl_vec_t *v);
/* Removes the last element, copying it to out (may be NULL). Returns 0, or
 * -SL_ERANGE when the vector is empty. */
int sl_vec_pop(sl_vec_t *v, void *out);
/* Pointer to element i (owned by the vector), or NULL when i >= len. */
void *sl_vec_get(const sl_vec_t *v, size_t i);
/* Removes element i, shifting the tail down (order kept). 0 or -SL_ERANGE. */
int sl_vec_remove(sl_vec_t *v, size_t i);

/* Typed conveniences. T must be the element type the vector was made for;
 * SL_VEC_PUSH copies the value through a compound literal, so it takes any
 * expression convertible to T. */
#define SL_VEC_INIT(v, T)      sl_vec_init((v), sizeof(T))
#define SL_VEC_AT(v, T, i)     (((T *)(v)->data)[(i)])
#define SL_VEC_PUSH(v, T, val) sl_vec_push((v), (T[1]){val})
#define SL_VEC_DATA(v, T)      ((T *)(v)->data)

#endif
