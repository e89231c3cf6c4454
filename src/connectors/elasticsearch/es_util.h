/* es_util.h - the pure parts of the elasticsearch sink: index name
 * patterns, Java date-time patterns, document ids, the explicit mapping
 * derived from a table, and the hosts list. No I/O; unit-tested in
 * tests/unit/check_es.c.
 *
 * Everything follows Flink's elasticsearch-6/7 connectors, so a job moved
 * between Flink and sluice writes the same documents under the same ids
 * into the same indexes:
 *   - index: 'name', 'name-{field}', 'name-{field|yyyy-MM-dd}',
 *     'name-{now()|yyyy-MM-dd}' (Flink's IndexGeneratorFactory: one
 *     dynamic part; a field of STRING, SMALLINT, INT, BIGINT or a
 *     DATE/TIME/TIMESTAMP type; a NULL field reads "null"; a time field
 *     without a format uses yyyy_MM_dd_HH_mm_ss, yyyy_MM_dd or HH_mm_ss);
 *   - id: the primary key's fields as Java prints them (LocalDate,
 *     LocalTime, LocalDateTime, BigDecimal.toPlainString, Double.toString,
 *     Period/Duration for intervals), joined by the key delimiter (Flink's
 *     KeyExtractor).
 */
#ifndef SL_CONNECTORS_ELASTICSEARCH_ES_UTIL_H
#define SL_CONNECTORS_ELASTICSEARCH_ES_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "connectors/formats/json.h"
#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

/* ---- Java DateTimeFormatter patterns (the subset index names use) ---- */

enum {
    SL_ES_DF_LIT = 0,          /* literal text */
    SL_ES_DF_YEAR,             /* y/u: width 2 = two digits, else padded to width */
    SL_ES_DF_MONTH,            /* M, MM; MMM Jan; MMMM January */
    SL_ES_DF_DAY,              /* d, dd */
    SL_ES_DF_DOY,              /* D, DDD */
    SL_ES_DF_HOUR,             /* H, HH (0-23) */
    SL_ES_DF_HOUR12,           /* h, hh (1-12) */
    SL_ES_DF_AMPM,             /* a: AM/PM */
    SL_ES_DF_MINUTE,           /* m, mm */
    SL_ES_DF_SECOND,           /* s, ss */
    SL_ES_DF_FRACTION,         /* S..S: that many digits, truncated */
    SL_ES_DF_WEEKDAY,          /* E, EE, EEE Mon; EEEE Monday */
};

typedef struct sl_es_dfpart {
    uint8_t kind;
    uint8_t width;
    const char *lit;           /* SL_ES_DF_LIT: text (arena) */
    uint32_t litlen;
} sl_es_dfpart_t;

typedef struct sl_es_datefmt {
    int n;
    sl_es_dfpart_t *parts;     /* arena */
    bool has_date, has_time;   /* uses date fields / time-of-day fields */
} sl_es_datefmt_t;

/* Compiles a pattern ("yyyy-MM-dd", "yyyy_MM_dd_HH_mm_ss", "yyyy.MM'w'").
 * Letters other than y u M d D H h a m s S E are errors naming the letter
 * (err->off: its offset in pat); 'quoted' text and other characters are
 * literal; '' is a quote. */
int sl_es_datefmt_compile(const char *pat, size_t n, sl_arena_t *a,
                          sl_es_datefmt_t *out, sl_err_t *err);
/* Appends date (days since epoch) and time of day (nanoseconds). */
int sl_es_datefmt_format(const sl_es_datefmt_t *f, int32_t date, int64_t nanos,
                         sl_strbuf_t *sb);

/* ---- index names ---- */

enum { SL_ES_INDEX_STATIC = 0, SL_ES_INDEX_FIELD, SL_ES_INDEX_FIELD_TIME, SL_ES_INDEX_NOW };

typedef struct sl_es_index {
    int kind;
    const char *prefix;        /* whole name when STATIC */
    const char *suffix;
    int col;                   /* FIELD*: the column */
    const sl_type_t *type;     /* FIELD*: its type */
    sl_es_datefmt_t fmt;       /* FIELD_TIME, NOW */
} sl_es_index_t;

/* Parses the 'index' option against the table's columns. Errors (err->off
 * is the offset in pattern, -1 when the whole pattern is at fault): two
 * dynamic parts, an unknown field, an unsupported field type, a bad
 * format, a format letter the field's type has not (HH on a DATE).
 * Memory in a. */
int sl_es_index_parse(const char *pattern, int ncols, const char *const *names,
                      const sl_type_t *const *types, sl_arena_t *a, sl_es_index_t *out,
                      sl_err_t *err);
/* Appends the index name for row. now_ms: the wall clock, for now()
 * (formatted in the process's local time zone, as Flink's system
 * default zone); TIMESTAMP_LTZ fields are formatted in it too. */
int sl_es_index_format(const sl_es_index_t *ix, const sl_value_t *row, int64_t now_ms,
                       sl_strbuf_t *sb);

/* ---- document ids ---- */

/* Can a primary key column of this type make an id? (Flink refuses ARRAY,
 * MAP, MULTISET, ROW, RAW, BINARY and VARBINARY.) */
bool sl_es_key_type_ok(const sl_type_t *t);
/* Appends a key field as Flink's KeyExtractor prints it (v not NULL). */
int sl_es_key_append(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t);

/* ---- explicit mappings ---- */

/* Appends the body of PUT /index creating it with properties derived
 * from the columns: {"mappings":{"properties":{...}}}, or with doc_type
 * (elasticsearch-6) {"mappings":{"<doc_type>":{"properties":{...}}}}.
 *   BOOLEAN boolean; TINYINT byte; SMALLINT short; INT integer; BIGINT
 *   long; FLOAT float; DOUBLE double; DECIMAL(p,0) long and DECIMAL(p,s)
 *   scaled_float with scaling_factor 10^s while p <= 18 (the scaled value
 *   fits a long), double beyond; CHAR/VARCHAR keyword; BINARY/VARBINARY
 *   binary; DATE date "yyyy-MM-dd"; TIME keyword (Elasticsearch has no
 *   time type; "HH:mm:ss" sorts as text); TIMESTAMP(p) and TIMESTAMP_LTZ(p)
 *   date with the formats the json format writes (fraction of 0..p
 *   digits, ' ' or 'T' per cfg->iso8601, a trailing 'Z' for LTZ);
 *   INTERVALs long; ROW object with properties; ARRAY its element's
 *   mapping; MAP/MULTISET object. */
int sl_es_mapping_json(sl_strbuf_t *sb, int ncols, const char *const *names,
                       const sl_type_t *const *types, const sl_json_cfg_t *cfg,
                       const char *doc_type);

/* ---- hosts ---- */

typedef struct sl_es_host {
    const char *url;           /* "http://h:9200" + path prefix, no trailing '/' */
    const char *label;         /* "http://h:9200", for messages */
} sl_es_host_t;

/* Parses 'hosts' ("http://a:9200;https://b:9201"): each must be
 * scheme://host:port (http or https; a path is not allowed, use
 * connection.path-prefix). prefix (may be NULL or "") is appended to each
 * url. Errors name the host and err->off its offset in the text. */
int sl_es_hosts_parse(const char *text, const char *prefix, sl_arena_t *a, sl_es_host_t **out,
                      int *n, sl_err_t *err);

#endif
