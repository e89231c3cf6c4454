/* myjson.h - MySQL's binary JSON (the storage and binlog format of JSON
 * columns in MySQL 5.7+) to JSON text, exactly as MySQL's SELECT prints
 * the same value, so a value from the binlog equals the snapshot's.
 *
 * MariaDB stores JSON as text (LONGTEXT); only MySQL needs this.
 * Reference: MySQL's sql-common/json_binary.h/.cc (format), json_dom.cc
 * (Json_wrapper::to_string: the text form), the MySQL manual "The JSON
 * Data Type".
 */
#ifndef SL_CONNECTORS_MYSQL_MYJSON_H
#define SL_CONNECTORS_MYSQL_MYJSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

/* Appends the text form of the binary JSON document p[0..len) to out.
 * An empty document (len 0, as MySQL writes for a JSON NULL-ish empty
 * value) is the JSON literal null. Returns 0, -SL_ENOMEM, or -SL_EINVAL
 * with err naming the problem for malformed input (never reads outside
 * p[0..len), never recurses more than 100 levels). */
int sl_myjson_to_text(const uint8_t *p, size_t len, sl_strbuf_t *out,
                      sl_err_t *err);

#endif
