/* json.h - a small JSON tree parser and the JSON <-> row conversions shared
 * by the json, debezium-json and canal-json formats.
 *
 * Why not jansson: jansson turns every number into a long long or a double,
 * so 12345678901234567890.12 cannot reach a DECIMAL column exactly. This
 * parser keeps each number's literal text (and each value's source span),
 * so DECIMAL and BIGINT values are parsed exactly from what was written.
 * Trees live in a caller's arena (a format's per-record scratch arena);
 * strings without escapes point into the input, which must outlive the tree.
 *
 * The conversions follow Flink's JsonToRowDataConverters /
 * RowDataToJsonConverters: numbers may also come as strings ("12"),
 * a STRING column takes any JSON value as its text, timestamps follow the
 * configured standard (SQL 'yyyy-MM-dd HH:mm:ss.s' or ISO-8601 with 'T';
 * TIMESTAMP_LTZ with a trailing 'Z'), BYTES are base64.
 */
#ifndef SL_CONNECTORS_FORMATS_JSON_H
#define SL_CONNECTORS_FORMATS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connectors/connector.h"
#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

typedef enum sl_json_type {
    SL_JSON_NULL = 0,
    SL_JSON_FALSE,
    SL_JSON_TRUE,
    SL_JSON_NUMBER,
    SL_JSON_STRING,
    SL_JSON_ARRAY,
    SL_JSON_OBJECT,
} sl_json_type_t;

typedef struct sl_json sl_json_t;
struct sl_json {
    uint8_t type;              /* sl_json_type_t */
    uint32_t n;                /* STRING/NUMBER: bytes of s; ARRAY/OBJECT: members */
    const char *s;             /* STRING: unescaped UTF-8; NUMBER: the literal */
    const char *raw;           /* the value's text in the input */
    size_t rawlen;
    sl_json_t *items;          /* ARRAY elements, OBJECT values */
    const char **keys;         /* OBJECT keys (unescaped), keylens bytes */
    uint32_t *keylens;
};

/* Parses exactly one JSON value (surrounding blanks allowed). Errors:
 * -SL_EFORMAT, err->msg "unexpected 'x' at column 12" style. */
int sl_json_parse(const char *s, size_t n, sl_arena_t *a, sl_json_t **out,
                  sl_err_t *err);
/* The value of key in an object (the last one if repeated), NULL if absent
 * or obj is not an object. */
const sl_json_t *sl_json_get(const sl_json_t *obj, const char *key);

/* How a JSON-based format reads and writes values. */
typedef struct sl_json_cfg {
    bool iso8601;              /* timestamp-format.standard = ISO-8601 */
    bool fail_on_missing;      /* json.fail-on-missing-field */
    bool ignore_null_fields;   /* json.encode.ignore-null-fields */
    int null_key_mode;         /* SL_JSON_NULL_KEY_* */
    const char *null_key_literal;
} sl_json_cfg_t;

enum { SL_JSON_NULL_KEY_FAIL = 0, SL_JSON_NULL_KEY_DROP, SL_JSON_NULL_KEY_LITERAL };

/* Fills cfg from the '<prefix>.*' options (prefix "json", "debezium-json",
 * "canal-json"). */
void sl_json_cfg_from_options(sl_json_cfg_t *cfg, const char *prefix,
                              const sl_options_t *opts);

/* Is the type readable and writable as JSON? Errors name the column. */
int sl_json_check_types(int ncols, const char *const *names,
                        const sl_type_t *const *types, sl_err_t *err);

/* An object's fields, by column name, into row (ncols values). A missing
 * field is NULL unless cfg->fail_on_missing. Variable-length data goes to
 * arena a (the batch's). err->msg: "field 'amount': cannot parse ...". */
int sl_json_decode_row(const sl_json_cfg_t *cfg, const sl_json_t *obj,
                       int ncols, const char *const *names,
                       const sl_type_t *const *types, sl_value_t *row,
                       sl_arena_t *a, sl_err_t *err);

/* One JSON value as a value of type t (JSON null is SQL NULL). */
int sl_json_decode_value(const sl_json_cfg_t *cfg, const sl_json_t *v,
                         const sl_type_t *t, sl_value_t *out, sl_arena_t *a,
                         sl_err_t *err);

/* Appends {"col":value,...} (compact, columns in table order). */
int sl_json_encode_row(const sl_json_cfg_t *cfg, sl_strbuf_t *sb,
                       const sl_value_t *row, int ncols,
                       const char *const *names, const sl_type_t *const *types,
                       sl_err_t *err);

/* Appends s as a quoted JSON string. */
int sl_json_encode_string(sl_strbuf_t *sb, const char *s, size_t n);

#endif
