/* format.h - row formats of file-like connectors: csv, json, debezium-json,
 * canal-json.
 *
 * A format turns records (a CSV row, a JSON line) into rows of a table's
 * physical columns and back. It knows nothing of files: the filesystem
 * connector (later Kafka) splits its input into records with
 * sl_format_record_len(), decodes each one into a batch, and encodes rows
 * into a buffer it writes itself. The pure parts are thus testable on
 * strings (tests/unit/check_formats.c).
 *
 * Options are Flink's, prefixed by the format name ('csv.field-delimiter',
 * 'json.ignore-parse-errors', ...). The SL_FORMAT_*_OPTIONS macros expand to
 * option-table rows so a connector's table can include them.
 *
 * A format instance is used by one thread at a time (a source's thread or
 * the loop thread); it owns a scratch arena reset for every record.
 */
#ifndef SL_CONNECTORS_FORMATS_FORMAT_H
#define SL_CONNECTORS_FORMATS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "connectors/connector.h"
#include "exec/batch.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

/* ---- option table rows ---- */

#define SL_FORMAT_CSV_OPTIONS                                                   \
    {"csv.field-delimiter", SL_OPT_STRING, false, ",", NULL,                    \
     "field delimiter, one character ('\\t' and U&'\\0001' forms allowed)"},   \
    {"csv.disable-quote-character", SL_OPT_BOOL, false, "false", NULL,          \
     "no quoting at all (csv.quote-character must then be unset)"},             \
    {"csv.quote-character", SL_OPT_STRING, false, "\"", NULL,                   \
     "quote character around field values"},                                    \
    {"csv.allow-comments", SL_OPT_BOOL, false, "false", NULL,                   \
     "skip lines starting with '#'"},                                           \
    {"csv.ignore-parse-errors", SL_OPT_BOOL, false, "false", NULL,              \
     "null fields that fail to parse, skip malformed rows"},                    \
    {"csv.array-element-delimiter", SL_OPT_STRING, false, ";", NULL,            \
     "separator of ARRAY elements and ROW fields inside one field"},            \
    {"csv.escape-character", SL_OPT_STRING, false, NULL, NULL,                  \
     "escape character (off by default)"},                                      \
    {"csv.null-literal", SL_OPT_STRING, false, NULL, NULL,                      \
     "text that stands for NULL (read and written)"},                           \
    {"csv.write-bigdecimal-in-scientific-notation", SL_OPT_BOOL, false, "true", \
     NULL, "accepted; decimals are always written as plain numbers"}

#define SL_FORMAT_JSON_COMMON_OPTIONS(P)                                        \
    {P ".ignore-parse-errors", SL_OPT_BOOL, false, "false", NULL,               \
     "skip records that fail to parse instead of failing"},                     \
    {P ".timestamp-format.standard", SL_OPT_ENUM, false, "SQL", "SQL|ISO-8601", \
     "timestamp text: 'yyyy-MM-dd HH:mm:ss.s' (SQL) or 'yyyy-MM-ddTHH:mm:ss.s'"}, \
    {P ".map-null-key.mode", SL_OPT_ENUM, false, "FAIL", "FAIL|DROP|LITERAL",   \
     "writing a MAP with a NULL key: fail, drop the entry, or use the literal"}, \
    {P ".map-null-key.literal", SL_OPT_STRING, false, "null", NULL,             \
     "key text for NULL map keys in LITERAL mode"},                             \
    {P ".encode.decimal-as-plain-number", SL_OPT_BOOL, false, "false", NULL,    \
     "accepted; decimals are always written as plain numbers"}

#define SL_FORMAT_JSON_OPTIONS                                                  \
    {"json.fail-on-missing-field", SL_OPT_BOOL, false, "false", NULL,           \
     "fail when a column is missing from a record (else NULL)"},                \
    SL_FORMAT_JSON_COMMON_OPTIONS("json"),                                      \
    {"json.encode.ignore-null-fields", SL_OPT_BOOL, false, "false", NULL,       \
     "leave NULL fields out of written records"},                               \
    {"json.decode.json-parser.enabled", SL_OPT_BOOL, false, "true", NULL,       \
     "accepted; sluice has one JSON parser"}

#define SL_FORMAT_DEBEZIUM_JSON_OPTIONS                                         \
    {"debezium-json.schema-include", SL_OPT_BOOL, false, "false", NULL,         \
     "records carry the Kafka Connect {\"schema\":..., \"payload\":...} envelope"}, \
    SL_FORMAT_JSON_COMMON_OPTIONS("debezium-json")

#define SL_FORMAT_CANAL_JSON_OPTIONS                                            \
    SL_FORMAT_JSON_COMMON_OPTIONS("canal-json"),                                \
    {"canal-json.database.include", SL_OPT_STRING, false, NULL, NULL,           \
     "regular expression: read only records of matching databases"},           \
    {"canal-json.table.include", SL_OPT_STRING, false, NULL, NULL,              \
     "regular expression: read only records of matching tables"}

/* ---- instances ---- */

typedef struct sl_format sl_format_t;

typedef struct sl_format_ops {
    const char *name;          /* 'format' option value */
    bool changelog;            /* reads and writes -U/+U/-D rows */
    /* Bytes of the first complete record in buf[0..n), terminator
     * included; 0 when more input is needed. At eof the rest is a record. */
    size_t (*record_len)(const sl_format_t *f, const char *buf, size_t n,
                         bool eof);
    /* Appends the rows of one record (without terminator) to out. Returns
     * the number of rows appended (0: skipped, e.g. a blank line or an
     * ignored parse error) or a negative error, err->msg the reason. */
    int (*decode)(sl_format_t *f, const char *rec, size_t n, sl_batch_t *out,
                  sl_err_t *err);
    /* Appends one row as a record, terminator included. */
    int (*encode)(sl_format_t *f, const sl_value_t *row, int kind,
                  sl_strbuf_t *sb, sl_err_t *err);
    void (*destroy)(sl_format_t *f);
} sl_format_ops_t;

struct sl_format {
    const sl_format_ops_t *ops;
    int ncols;
    const char *const *names;  /* the table's, outlive the format */
    const sl_type_t *const *types;
    bool ignore_parse_errors;
    sl_arena_t scratch;        /* per record: JSON trees, unquoted fields */
    void *cfg;                 /* the format's own settings (heap) */
};

/* Is there a format of that name? Is it a changelog format? */
bool sl_format_exists(const char *name);
bool sl_format_is_changelog(const char *name);
/* "csv, json, debezium-json, canal-json" */
const char *sl_format_names(void);

/* Builds a format from the checked options of the table (keys prefixed by
 * the format name). Checks the options against each other and the column
 * types; errors point at the option's SQL position. */
int sl_format_new(const char *name, const sl_options_t *opts, int ncols,
                  const char *const *names, const sl_type_t *const *types,
                  sl_format_t **out, sl_err_t *err);
void sl_format_free(sl_format_t *f);

/* Options of another format given by the user ('csv.*' with format
 * 'json') are an error, as Flink reports them unconsumed. */
int sl_format_check_foreign_options(const char *name, const sl_options_t *opts,
                                    sl_err_t *err);

static inline size_t sl_format_record_len(const sl_format_t *f,
                                          const char *buf, size_t n, bool eof)
{
    return f->ops->record_len(f, buf, n, eof);
}

static inline int sl_format_decode(sl_format_t *f, const char *rec, size_t n,
                                   sl_batch_t *out, sl_err_t *err)
{
    return f->ops->decode(f, rec, n, out, err);
}

static inline int sl_format_encode(sl_format_t *f, const sl_value_t *row,
                                   int kind, sl_strbuf_t *sb, sl_err_t *err)
{
    return f->ops->encode(f, row, kind, sb, err);
}

/* ---- shared helpers ---- */

/* Newline-terminated records (JSON lines). */
size_t sl_format_line_len(const sl_format_t *f, const char *buf, size_t n,
                          bool eof);

/* Writes all n bytes to fd, retrying on EINTR, partial writes and EAGAIN
 * (waiting with poll). 0 or -errno. */
int sl_write_full(int fd, const void *buf, size_t n);

/* Appends standard padded base64 of n bytes (exec/fn.h's encoder). */
int sl_format_base64(sl_strbuf_t *sb, const void *p, size_t n);

/* Temporal text as Flink's formats write it: fractions with as many digits
 * as needed (none when zero), 'T' or ' ' between date and time. Return the
 * length; buf holds at least SL_TIMESTAMP_STRLEN + 2 bytes. */
int sl_format_time_text(sl_time_t t, char *buf, size_t cap);
int sl_format_timestamp_text(sl_timestamp_t ts, char sep, bool zulu,
                             char *buf, size_t cap);

/* Parses a TIMESTAMP written "date<sep>time" (the separator must be sep;
 * a date alone is refused) with an optional trailing 'Z' when zulu, and
 * truncates to precision. 0 or -SL_EFORMAT. */
int sl_format_parse_timestamp(const char *s, size_t n, char sep, bool zulu,
                              int precision, sl_timestamp_t *out);

/* Java-style unescaping of a one-character option ('\t', '\u0001', ';')
 * as Flink's CSV options are read: the character, or -1 when the text is
 * not exactly one character. */
int sl_format_option_char(const char *text);

/* Drops the rows a failed record had appended to b (count before it). */
static inline void sl_format_rollback(sl_batch_t *b, int nrows_before)
{
    b->nrows = nrows_before;
}

/* Formats: constructors (format.c dispatches on the name). */
int sl_csv_format_new(sl_format_t *f, const sl_options_t *opts, sl_err_t *err);
int sl_json_format_new(sl_format_t *f, const sl_options_t *opts, sl_err_t *err);
int sl_debezium_format_new(sl_format_t *f, const sl_options_t *opts,
                           sl_err_t *err);
int sl_canal_format_new(sl_format_t *f, const sl_options_t *opts,
                        sl_err_t *err);

#endif
