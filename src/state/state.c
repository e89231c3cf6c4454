/* state.c - the backend-neutral state API: thin wrappers over a backend's
 * sl_state_ops_t (see state.h for every contract).
 *
 * Operators call only these functions, so the memory backend (memory.c) and
 * the RocksDB backend can be swapped per job without touching an operator.
 * Nothing here allocates or keeps state; threading and memory rules are the
 * backend's (both backends: loop thread only, pointers valid until the next
 * write to the table).
 */
#include "state/state.h"

void sl_state_free(sl_state_t *st)
{
    if (st) st->ops->free(st);
}

size_t sl_state_bytes(const sl_state_t *st)
{
    return st->ops->bytes(st);
}

size_t sl_state_footprint(const sl_state_t *st)
{
    return st->ops->footprint(st);
}

const char *sl_state_backend(const sl_state_t *st)
{
    return st->ops->name;
}

sl_kv_t *sl_state_table(sl_state_t *st, const char *name, int64_t ttl_ms)
{
    return st->ops->table(st, name, ttl_ms);
}

void sl_state_set_time(sl_state_t *st, int64_t now_ms)
{
    st->ops->set_time(st, now_ms);
}

int sl_kv_get(sl_kv_t *kv, const void *key, size_t klen, const void **val,
              size_t *vlen)
{
    return kv->ops->get(kv, key, klen, val, vlen);
}

int sl_kv_put(sl_kv_t *kv, const void *key, size_t klen, const void *val,
              size_t vlen)
{
    return kv->ops->put(kv, key, klen, val, vlen);
}

int sl_kv_del(sl_kv_t *kv, const void *key, size_t klen)
{
    return kv->ops->del(kv, key, klen);
}

size_t sl_kv_count(const sl_kv_t *kv)
{
    return kv->ops->count(kv);
}

size_t sl_kv_expire(sl_kv_t *kv)
{
    return kv->ops->expire(kv);
}

sl_kv_iter_t *sl_kv_iter_new(sl_kv_t *kv, const void *prefix, size_t plen)
{
    return kv->ops->seek(kv, prefix, plen, NULL, 0);
}

sl_kv_iter_t *sl_kv_iter_seek(sl_kv_t *kv, const void *prefix, size_t plen,
                              const void *key, size_t klen)
{
    return kv->ops->seek(kv, prefix, plen, key, klen);
}

int sl_kv_iter_next(sl_kv_iter_t *it, const void **key, size_t *klen,
                    const void **val, size_t *vlen)
{
    return it->ops->next(it, key, klen, val, vlen);
}

void sl_kv_iter_free(sl_kv_iter_t *it)
{
    if (it) it->ops->iter_free(it);
}

int sl_kv_last(sl_kv_t *kv, const void *prefix, size_t plen, const void **key,
               size_t *klen, const void **val, size_t *vlen)
{
    return kv->ops->last(kv, prefix, plen, key, klen, val, vlen);
}

int sl_state_begin(sl_state_t *st, sl_err_t *err)
{
    if (st->in_batch)
        return sl_err_set(err, SL_EINVAL, "state write batch already open");
    if (st->ops->begin) {
        int rc = st->ops->begin(st, err);
        if (rc) return rc;
    }
    st->in_batch = 1;
    return 0;
}

int sl_state_commit(sl_state_t *st, sl_err_t *err)
{
    if (!st->in_batch)
        return sl_err_set(err, SL_EINVAL, "no state write batch is open");
    st->in_batch = 0;
    return st->ops->commit ? st->ops->commit(st, err) : 0;
}

int sl_state_in_batch(const sl_state_t *st)
{
    return st->in_batch;
}

/* A snapshot inside a batch would catch half a step (and miss RocksDB's
 * unwritten batch): a checkpoint falls between steps. Checked here once for
 * every backend. */
int sl_state_snapshot(sl_state_t *st, const char *dir, uint64_t *bytes,
                      sl_err_t *err)
{
    if (st->in_batch)
        return sl_err_set(err, SL_EINVAL,
                          "state snapshot %s: a write batch is open", dir);
    if (!st->ops->snapshot)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "state snapshot %s: the %s backend cannot snapshot",
                          dir, st->ops->name);
    return st->ops->snapshot(st, dir, bytes, err);
}
