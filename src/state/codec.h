/* codec.h - byte encodings of SQL values for state.
 *
 * Key encoding is memcomparable: comparing two encodings with memcmp gives
 * the SQL order of the values (NULL first), and an encoding is never a
 * prefix of another encoding of the same type, so composite keys
 * (group key + value, for MIN/MAX) order and prefix-match correctly.
 * Row encoding is compact and self-delimiting, for state values.
 * Both append to a caller-owned strbuf and never allocate per value beyond
 * its growth.
 */
#ifndef SL_STATE_CODEC_H
#define SL_STATE_CODEC_H

#include <stddef.h>

#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/strbuf.h"

int sl_key_encode(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t);
/* Encodes n values as one composite key. */
int sl_key_encode_row(sl_strbuf_t *out, const sl_value_t *vals,
                      const sl_type_t *const *types, int n);
/* Decodes one value at *pos (advanced past it); strings go to arena a. */
int sl_key_decode(const void *buf, size_t len, size_t *pos, sl_value_t *v,
                  const sl_type_t *t, sl_arena_t *a);

int sl_row_encode(sl_strbuf_t *out, const sl_value_t *vals,
                  const sl_type_t *const *types, int n);
int sl_row_decode(const void *buf, size_t len, sl_value_t *vals,
                  const sl_type_t *const *types, int n, sl_arena_t *a);

#endif
