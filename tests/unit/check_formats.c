/* check_formats.c - unit tests for connectors/formats: csv, json,
 * debezium-json and canal-json decoding and encoding, the JSON parser, and
 * the format options. Cases are tables of {schema, options, input,
 * expected rows or error}; rows render as "+I[1, abc, 10.00]" with values
 * cast to strings (NULL for SQL NULL). */
#include "connectors/connector.h"
#include "connectors/filesystem/filesystem.h"
#include "connectors/formats/format.h"
#include "connectors/formats/json.h"
#include "exec/batch.h"
#include "exec/value.h"
#include "testutil.h"

#include <stdarg.h>
#include <string.h>

/* ---- schemas: "id INT, name STRING, amt DECIMAL(10, 2)" ---- */

#define MAXCOLS 16

typedef struct schema {
    sl_arena_t a;
    int n;
    const char *names[MAXCOLS];
    const sl_type_t *types[MAXCOLS];
} schema_t;

static void skip_sp(const char **p)
{
    while (**p == ' ') (*p)++;
}

static int num(const char **p)
{
    int v = 0;
    skip_sp(p);
    while (**p >= '0' && **p <= '9') v = v * 10 + (*(*p)++ - '0');
    skip_sp(p);
    return v;
}

static bool word(const char **p, const char *w)
{
    skip_sp(p);
    size_t l = strlen(w);
    if (strncmp(*p, w, l) != 0) return false;
    char c = (*p)[l];
    if ((c >= 'A' && c <= 'Z') || c == '_') return false;
    *p += l;
    return true;
}

static const sl_type_t *parse_type(sl_arena_t *a, const char **p)
{
    sl_type_t *t = NULL;
    skip_sp(p);
    if (word(p, "TIMESTAMP_LTZ")) t = sl_type_new(a, SL_T_TIMESTAMP_LTZ);
    else if (word(p, "TIMESTAMP")) t = sl_type_new(a, SL_T_TIMESTAMP);
    else if (word(p, "TINYINT")) t = sl_type_new(a, SL_T_TINYINT);
    else if (word(p, "SMALLINT")) t = sl_type_new(a, SL_T_SMALLINT);
    else if (word(p, "INT")) t = sl_type_new(a, SL_T_INT);
    else if (word(p, "BIGINT")) t = sl_type_new(a, SL_T_BIGINT);
    else if (word(p, "BOOLEAN")) t = sl_type_new(a, SL_T_BOOLEAN);
    else if (word(p, "STRING")) return &sl_type_string;
    else if (word(p, "BYTES")) return &sl_type_bytes;
    else if (word(p, "VARCHAR")) t = sl_type_new(a, SL_T_VARCHAR);
    else if (word(p, "CHAR")) t = sl_type_new(a, SL_T_CHAR);
    else if (word(p, "BINARY")) t = sl_type_new(a, SL_T_BINARY);
    else if (word(p, "DECIMAL")) t = sl_type_new(a, SL_T_DECIMAL);
    else if (word(p, "DOUBLE")) t = sl_type_new(a, SL_T_DOUBLE);
    else if (word(p, "FLOAT")) t = sl_type_new(a, SL_T_FLOAT);
    else if (word(p, "DATE")) t = sl_type_new(a, SL_T_DATE);
    else if (word(p, "TIME")) t = sl_type_new(a, SL_T_TIME);
    else if (word(p, "ARRAY")) t = sl_type_new(a, SL_T_ARRAY);
    else if (word(p, "MAP")) t = sl_type_new(a, SL_T_MAP);
    else if (word(p, "ROW")) t = sl_type_new(a, SL_T_ROW);
    ck_assert_msg(t != NULL, "bad type at '%s'", *p);
    skip_sp(p);
    if (t->id == SL_T_ARRAY || t->id == SL_T_MAP || t->id == SL_T_ROW) {
        ck_assert(**p == '<');
        (*p)++;
        if (t->id == SL_T_ARRAY) {
            t->elem = parse_type(a, p);
        } else if (t->id == SL_T_MAP) {
            t->key = parse_type(a, p);
            skip_sp(p);
            ck_assert(**p == ',');
            (*p)++;
            t->elem = parse_type(a, p);
        } else {
            sl_field_t *f = sl_arena_calloc(a, sizeof *f * 8);
            int n = 0;
            for (;;) {
                skip_sp(p);
                const char *st = *p;
                while (**p != ' ') (*p)++;
                f[n].name = sl_arena_strndup(a, st, (size_t)(*p - st));
                f[n].type = parse_type(a, p);
                n++;
                skip_sp(p);
                if (**p != ',') break;
                (*p)++;
            }
            t->fields = f;
            t->nfields = (int16_t)n;
        }
        skip_sp(p);
        ck_assert(**p == '>');
        (*p)++;
        return t;
    }
    if (**p == '(') {
        (*p)++;
        t->len = num(p);
        if (**p == ',') {
            (*p)++;
            t->scale = (int16_t)num(p);
        } else if (t->id == SL_T_DECIMAL) {
            t->scale = 0;
        }
        ck_assert(**p == ')');
        (*p)++;
    }
    return t;
}

static void schema_init(schema_t *s, const char *spec)
{
    memset(s, 0, sizeof *s);
    sl_arena_init(&s->a, 0);
    const char *p = spec;
    while (*p) {
        skip_sp(&p);
        const char *st = p;
        while (*p != ' ') p++;
        ck_assert(s->n < MAXCOLS);
        s->names[s->n] = sl_arena_strndup(&s->a, st, (size_t)(p - st));
        s->types[s->n] = parse_type(&s->a, &p);
        s->n++;
        skip_sp(&p);
        if (*p == ',') p++;
    }
}

/* ---- options: checked through the filesystem connector's table ---- */

#define MAXOPTS 16

/* kv: "key", "value", ... NULL. Option i has its key at SQL offset
 * 1000 + 100 * i and its value at 1050 + 100 * i. */
static int check_options(sl_arena_t *a, const schema_t *s, const char *format,
                         const char *const *kv, sl_options_t *out, sl_err_t *err)
{
    sl_list_t given = {0};
    const char *fk[] = {"connector", "filesystem", "path", "/nonexistent",
                        "format", format};
    for (int i = 0; i < 6 + MAXOPTS * 2; i += 2) {
        const char *k = i < 6 ? fk[i] : kv ? kv[i - 6] : NULL;
        if (!k) break;
        const char *v = i < 6 ? fk[i + 1] : kv[i - 5];
        sl_option_t *o = sl_arena_calloc(a, sizeof *o);
        o->key = k;
        o->value = v;
        o->key_off = 1000 + 50 * i;
        o->key_len = (int)strlen(k) + 2;
        o->val_off = 1050 + 50 * i;
        o->val_len = (int)strlen(v) + 2;
        sl_list_push(a, &given, o);
    }
    return sl_options_check(&sl_filesystem_connector, &given, s->n, s->names, a,
                            out, err);
}

/* ---- rendering rows ---- */

static void render(sl_strbuf_t *sb, const sl_batch_t *b, const schema_t *s)
{
    for (int r = 0; r < b->nrows; r++) {
        if (r) sl_strbuf_putc(sb, '\n');
        sl_strbuf_printf(sb, "%s[", sl_row_kind_str(b->kinds[r]));
        const sl_value_t *row = sl_batch_row(b, r);
        for (int c = 0; c < s->n; c++) {
            if (c) sl_strbuf_puts(sb, ", ");
            ck_assert_int_eq(sl_value_format(sb, &row[c], s->types[c], SL_FMT_CAST), 0);
        }
        sl_strbuf_putc(sb, ']');
    }
}

/* Decodes every record of input; "line N: msg" on error. */
static int decode_all(sl_format_t *f, const char *input, sl_batch_t *b,
                      sl_err_t *err)
{
    size_t pos = 0, len = strlen(input);
    int line = 1;
    while (pos < len) {
        size_t rl = sl_format_record_len(f, input + pos, len - pos, true);
        ck_assert(rl > 0);
        int rc = sl_format_decode(f, input + pos, rl, b, err);
        if (rc < 0) {
            char m[SL_ERR_MSG_MAX];
            snprintf(m, sizeof m, "%s", err->msg);
            return sl_err_set(err, -rc, "line %d: %s", line, m);
        }
        for (size_t i = pos; i < pos + rl; i++) line += input[i] == '\n';
        pos += rl;
    }
    return 0;
}

/* ---- decoding tables ---- */

typedef struct decode_case {
    const char *name;
    const char *format;
    const char *schema;
    const char *opts[8];       /* key, value, ..., NULL */
    const char *input;
    const char *want;          /* rows, or NULL when an error is expected */
    const char *error;         /* substring of the error */
} decode_case_t;

static const decode_case_t decode_cases[] = {
    /* ---- csv ---- */
    {"csv basic", "csv", "id INT, name STRING, amt DECIMAL(10, 2)", {NULL},
     "1,abc,10.5\n2,\"x,y\",-3.25\n",
     "+I[1, abc, 10.50]\n+I[2, x,y, -3.25]", NULL},
    {"csv no final newline, CRLF", "csv", "id INT, name STRING", {NULL},
     "1,a\r\n2,b", "+I[1, a]\n+I[2, b]", NULL},
    {"csv doubled quotes and a line break in quotes", "csv", "id INT, s STRING, n INT",
     {NULL}, "1,\"say \"\"hi\"\"\nthere\",7\n2,x,8\n",
     "+I[1, say \"hi\"\nthere, 7]\n+I[2, x, 8]", NULL},
    {"csv empty field is NULL, quoted empty is ''", "csv", "id INT, s STRING, n INT",
     {NULL}, "1,,\n2,\"\",5\n", "+I[1, NULL, NULL]\n+I[2, , 5]", NULL},
    {"csv blank lines are skipped", "csv", "id INT", {NULL}, "1\n\n\r\n2\n",
     "+I[1]\n+I[2]", NULL},
    {"csv delimiter ;", "csv", "id INT, s STRING", {"csv.field-delimiter", ";", NULL},
     "1;a,b\n", "+I[1, a,b]", NULL},
    {"csv delimiter \\t", "csv", "id INT, s STRING", {"csv.field-delimiter", "\\t", NULL},
     "1\ta b\n", "+I[1, a b]", NULL},
    {"csv quote character '", "csv", "id INT, s STRING",
     {"csv.quote-character", "'", NULL}, "1,'a,b'\n2,\"c\"\n",
     "+I[1, a,b]\n+I[2, \"c\"]", NULL},
    {"csv disable quote character", "csv", "id INT, s STRING",
     {"csv.disable-quote-character", "true", NULL}, "1,\"a\"\n", "+I[1, \"a\"]", NULL},
    {"csv escape character", "csv", "id INT, s STRING",
     {"csv.escape-character", "\\\\", NULL}, "1,a\\,b\n2,\"q\\\"q\"\n",
     "+I[1, a,b]\n+I[2, q\"q]", NULL},
    {"csv null literal", "csv", "id INT, s STRING", {"csv.null-literal", "n/a", NULL},
     "1,n/a\nn/a,\"n/a\"\n3,\n", "+I[1, NULL]\n+I[NULL, NULL]\n+I[3, NULL]", NULL},
    {"csv comments", "csv", "id INT", {"csv.allow-comments", "true", NULL},
     "# header\n1\n#2\n3\n", "+I[1]\n+I[3]", NULL},
    {"csv comment without allow-comments", "csv", "id INT", {NULL}, "# x\n",
     NULL, "line 1: column 'id': cannot parse '# x' as INT"},
    {"csv numbers are trimmed, strings are not", "csv", "id INT, s STRING, d DOUBLE",
     {NULL}, " 7 , a , 1.5e3 \n", "+I[7,  a , 1500.0]", NULL},
    {"csv temporal types", "csv",
     "d DATE, t TIME(3), ts TIMESTAMP(3), l TIMESTAMP_LTZ(3), b BOOLEAN", {NULL},
     "2020-02-29,12:34:56.789,2020-01-01 12:00:00.123,2020-01-01 12:00:00Z,true\n"
     "2021-01-01,00:00:00,2021-01-01T01:02:03,2021-01-01 00:00:00.5Z,FALSE\n",
     "+I[2020-02-29, 12:34:56.789, 2020-01-01 12:00:00.123, 2020-01-01 12:00:00.000, TRUE]\n"
     "+I[2021-01-01, 00:00:00.000, 2021-01-01 01:02:03.000, 2021-01-01 00:00:00.500, FALSE]",
     NULL},
    {"csv exact decimal", "csv", "amt DECIMAL(22, 2)", {NULL},
     "12345678901234567890.12\n-0.005\n", "+I[12345678901234567890.12]\n+I[-0.01]", NULL},
    {"csv bytes are base64", "csv", "b BYTES", {NULL}, "AQID\n", "+I[\x01\x02\x03]", NULL},
    {"csv arrays and rows", "csv", "a ARRAY<INT>, r ROW<x INT, y STRING>", {NULL},
     "1;2;3,7;q\n,\n", "+I[[1, 2, 3], (7, q)]\n+I[NULL, NULL]", NULL},
    {"csv array element delimiter", "csv", "a ARRAY<STRING>",
     {"csv.array-element-delimiter", "|", NULL}, "a|b\n", "+I[[a, b]]", NULL},
    {"csv bad value names column and line", "csv", "id INT, amt DECIMAL(5, 2)", {NULL},
     "1,1.00\n2,abc\n", NULL, "line 2: column 'amt': cannot parse 'abc' as DECIMAL(5, 2)"},
    {"csv decimal overflow", "csv", "amt DECIMAL(5, 2)", {NULL}, "1234.5\n", NULL,
     "line 1: column 'amt'"},
    {"csv int out of range", "csv", "t TINYINT", {NULL}, "300\n", NULL,
     "line 1: column 't'"},
    {"csv too many fields", "csv", "id INT, s STRING", {NULL}, "1,a\n2,b,c\n", NULL,
     "line 2: expected 2 fields, got 3"},
    {"csv too few fields", "csv", "id INT, s STRING", {NULL}, "1\n", NULL,
     "line 1: expected 2 fields, got 1"},
    {"csv missing closing quote", "csv", "id INT, s STRING", {NULL}, "1,\"abc\n", NULL,
     "line 1: field 2: missing closing quote"},
    {"csv text after closing quote", "csv", "s STRING, t STRING", {NULL}, "\"a\"b,c\n",
     NULL, "line 1: field 1: unexpected 'b' after the closing quote"},
    {"csv ignore-parse-errors nulls bad fields and pads short rows", "csv",
     "id INT, s STRING", {"csv.ignore-parse-errors", "true", NULL},
     "x,a\n2,b\n3\n4,\"unterminated\n",
     "+I[NULL, a]\n+I[2, b]\n+I[3, NULL]", NULL},

    /* ---- json ---- */
    {"json scalar types", "json",
     "id BIGINT, name STRING, amt DECIMAL(22, 2), ok BOOLEAN, d DATE, t TIME(0), "
     "ts TIMESTAMP(3), f DOUBLE",
     {NULL},
     "{\"id\":9223372036854775807,\"name\":\"abc\",\"amt\":12345678901234567890.12,"
     "\"ok\":true,\"d\":\"2020-01-01\",\"t\":\"12:30:00\","
     "\"ts\":\"2020-01-01 12:00:00.123\",\"f\":1.5e300}\n",
     "+I[9223372036854775807, abc, 12345678901234567890.12, TRUE, 2020-01-01, "
     "12:30:00, 2020-01-01 12:00:00.123, 1.5E300]", NULL},
    {"json exact decimals round half up, never via double", "json",
     "a DECIMAL(38, 18), b DECIMAL(10, 2)", {NULL},
     "{\"a\":0.100000000000000000000001,\"b\":2.675}\n"
     "{\"a\":-12345678901234567890.123456789012345678,\"b\":\"-2.675\"}\n",
     "+I[0.100000000000000000, 2.68]\n"
     "+I[-12345678901234567890.123456789012345678, -2.68]", NULL},
    {"json numbers and booleans as strings", "json", "id INT, amt DECIMAL(5, 1), ok BOOLEAN",
     {NULL}, "{\"id\":\"7\",\"amt\":\" 1.5 \",\"ok\":\"TRUE\"}\n", "+I[7, 1.5, TRUE]", NULL},
    {"json missing fields are NULL, extra fields ignored", "json", "id INT, s STRING",
     {NULL}, "{\"id\":1,\"zzz\":[1,2]}\n{}\n", "+I[1, NULL]\n+I[NULL, NULL]", NULL},
    {"json explicit null", "json", "id INT, s STRING", {NULL},
     "{\"id\":null,\"s\":null}\n", "+I[NULL, NULL]", NULL},
    {"json fail-on-missing-field", "json", "id INT, s STRING",
     {"json.fail-on-missing-field", "true", NULL}, "{\"id\":1,\"s\":\"a\"}\n{\"id\":2}\n",
     NULL, "line 2: field 's' is missing"},
    {"json string escapes", "json", "s STRING", {NULL},
     "{\"s\":\"q\\\"b\\\\s\\/\\u00e9\\ud83d\\ude00\\n\\t\"}\n",
     "+I[q\"b\\s/\xc3\xa9\xf0\x9f\x98\x80\n\t]", NULL},
    {"json non-string into STRING is its JSON text", "json", "s STRING, t STRING, u STRING",
     {NULL}, "{\"s\":{\"a\": [1, 2.50, true]},\"t\":12.30,\"u\":false}\n",
     "+I[{\"a\":[1,2.50,true]}, 12.30, false]", NULL},
    {"json SQL timestamps refuse ISO", "json", "ts TIMESTAMP(3)", {NULL},
     "{\"ts\":\"2020-01-01T12:00:00\"}\n", NULL,
     "line 1: field 'ts': cannot parse '2020-01-01T12:00:00' as TIMESTAMP(3)"},
    {"json ISO-8601 timestamps", "json", "ts TIMESTAMP(3), l TIMESTAMP_LTZ(6)",
     {"json.timestamp-format.standard", "ISO-8601", NULL},
     "{\"ts\":\"2020-01-01T12:00:00.5\",\"l\":\"2020-01-01T12:00:00.123456Z\"}\n",
     "+I[2020-01-01 12:00:00.500, 2020-01-01 12:00:00.123456]", NULL},
    {"json ISO-8601 refuses SQL", "json", "ts TIMESTAMP(3)",
     {"json.timestamp-format.standard", "iso-8601", NULL},
     "{\"ts\":\"2020-01-01 12:00:00\"}\n", NULL, "expected yyyy-MM-ddTHH:mm:ss[.s]"},
    {"json LTZ needs Z", "json", "l TIMESTAMP_LTZ(3)", {NULL},
     "{\"l\":\"2020-01-01 12:00:00Z\"}\n{\"l\":\"2020-01-01 12:00:00\"}\n", NULL,
     "line 2: field 'l'"},
    {"json nested types", "json",
     "a ARRAY<INT>, m MAP<STRING, INT>, r ROW<x INT, y STRING>", {NULL},
     "{\"a\":[1,null,3],\"m\":{\"k\":1,\"z\":null},\"r\":{\"y\":\"q\",\"x\":5}}\n",
     "+I[[1, null, 3], {k=1, z=null}, (5, q)]", NULL},
    {"json bytes", "json", "b BYTES", {NULL}, "{\"b\":\"aGk=\"}\n", "+I[hi]", NULL},
    {"json duplicate keys: the last wins", "json", "id INT", {NULL},
     "{\"id\":1,\"id\":2}\n", "+I[2]", NULL},
    {"json bigint overflow", "json", "id BIGINT", {NULL},
     "{\"id\":9223372036854775808}\n", NULL, "line 1: field 'id'"},
    {"json type mismatch", "json", "id INT", {NULL}, "{\"id\":[1]}\n", NULL,
     "line 1: field 'id': expected INT value, got an array"},
    {"json syntax error", "json", "id INT", {NULL}, "{\"id\":1}\n{\"id\":1,}\n", NULL,
     "line 2: expected a field name at column 9"},
    {"json not an object", "json", "id INT", {NULL}, "[1]\n", NULL,
     "line 1: expected a JSON object, got an array"},
    {"json trailing text", "json", "id INT", {NULL}, "{\"id\":1} x\n", NULL,
     "line 1: unexpected text after the value"},
    {"json bad number", "json", "id INT", {NULL}, "{\"id\":01}\n", NULL,
     "line 1: expected ',' or '}'"},
    {"json ignore-parse-errors skips the record", "json", "id INT",
     {"json.ignore-parse-errors", "true", NULL},
     "{\"id\":1}\n{\"id\":\n{\"id\":\"x\"}\n{\"id\":4}\n", "+I[1]\n+I[4]", NULL},

    /* ---- debezium-json ---- */
    {"debezium c r u d", "debezium-json", "id INT, amt DECIMAL(10, 2)", {NULL},
     "{\"before\":null,\"after\":{\"id\":1,\"amt\":1.50},\"op\":\"c\"}\n"
     "{\"before\":null,\"after\":{\"id\":2,\"amt\":2},\"op\":\"r\",\"ts_ms\":1}\n"
     "{\"before\":{\"id\":1,\"amt\":1.50},\"after\":{\"id\":1,\"amt\":9.99},\"op\":\"u\"}\n"
     "{\"before\":{\"id\":2,\"amt\":2},\"after\":null,\"op\":\"d\"}\n",
     "+I[1, 1.50]\n+I[2, 2.00]\n-U[1, 1.50]\n+U[1, 9.99]\n-D[2, 2.00]", NULL},
    {"debezium payload envelope", "debezium-json", "id INT",
     {"debezium-json.schema-include", "true", NULL},
     "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"before\":null,"
     "\"after\":{\"id\":1},\"op\":\"c\"}}\n"
     "{\"schema\":{},\"payload\":{\"before\":{\"id\":1},\"after\":{\"id\":2},\"op\":\"u\"}}\n",
     "+I[1]\n-U[1]\n+U[2]", NULL},
    {"debezium envelope recognised without schema-include", "debezium-json", "id INT",
     {NULL}, "{\"schema\":null,\"payload\":{\"after\":{\"id\":3},\"op\":\"r\"}}\n",
     "+I[3]", NULL},
    {"debezium tombstones", "debezium-json", "id INT", {NULL},
     "null\n{\"schema\":null,\"payload\":null}\n\n{\"after\":{\"id\":1},\"op\":\"c\"}\n",
     "+I[1]", NULL},
    {"debezium update without before", "debezium-json", "id INT", {NULL},
     "{\"before\":null,\"after\":{\"id\":1},\"op\":\"u\"}\n", NULL,
     "line 1: the \"before\" field of an update event is null"},
    {"debezium delete without before", "debezium-json", "id INT", {NULL},
     "{\"after\":null,\"op\":\"d\"}\n", NULL, "the \"before\" field of a delete event is null"},
    {"debezium unknown op", "debezium-json", "id INT", {NULL},
     "{\"after\":{\"id\":1},\"op\":\"t\"}\n", NULL, "unknown \"op\" value \"t\""},
    {"debezium no op", "debezium-json", "id INT", {NULL}, "{\"id\":1}\n", NULL,
     "no \"op\" field (if the events carry a schema"},
    {"debezium bad field names the side", "debezium-json", "id INT", {NULL},
     "{\"before\":{\"id\":1},\"after\":{\"id\":\"x\"},\"op\":\"u\"}\n", NULL,
     "line 1: \"after\": field 'id': cannot parse 'x' as INT"},
    {"debezium ignore-parse-errors drops the whole event", "debezium-json", "id INT",
     {"debezium-json.ignore-parse-errors", "true", NULL},
     "{\"before\":{\"id\":1},\"after\":{\"id\":\"x\"},\"op\":\"u\"}\n{\"op\":\"c\",\"after\":{\"id\":5}}\n",
     "+I[5]", NULL},
    {"debezium ISO timestamps", "debezium-json", "ts TIMESTAMP(3)",
     {"debezium-json.timestamp-format.standard", "ISO-8601", NULL},
     "{\"after\":{\"ts\":\"2020-01-01T00:00:01\"},\"op\":\"c\"}\n",
     "+I[2020-01-01 00:00:01.000]", NULL},

    /* ---- canal-json ---- */
    {"canal insert with two rows", "canal-json", "id INT, name STRING", {NULL},
     "{\"data\":[{\"id\":\"1\",\"name\":\"a\"},{\"id\":\"2\",\"name\":\"b\"}],"
     "\"database\":\"inv\",\"table\":\"t\",\"isDdl\":false,\"type\":\"INSERT\"}\n",
     "+I[1, a]\n+I[2, b]", NULL},
    {"canal update overlays old on data", "canal-json",
     "id INT, name STRING, amt DECIMAL(10, 2)", {NULL},
     "{\"data\":[{\"id\":\"1\",\"name\":\"new\",\"amt\":\"5.00\"},"
     "{\"id\":\"2\",\"name\":\"b\",\"amt\":\"7.25\"}],"
     "\"old\":[{\"name\":\"old\"},{\"amt\":null}],\"type\":\"UPDATE\"}\n",
     "-U[1, old, 5.00]\n+U[1, new, 5.00]\n-U[2, b, NULL]\n+U[2, b, 7.25]", NULL},
    {"canal delete", "canal-json", "id INT", {NULL},
     "{\"data\":[{\"id\":1},{\"id\":2}],\"old\":null,\"type\":\"DELETE\"}\n",
     "-D[1]\n-D[2]", NULL},
    {"canal DDL messages are skipped", "canal-json", "id INT", {NULL},
     "{\"data\":null,\"type\":\"CREATE\",\"isDdl\":true,\"sql\":\"create table t\"}\n"
     "{\"data\":null,\"type\":\"ALTER\",\"isDdl\":true}\n"
     "{\"data\":[{\"id\":1}],\"type\":\"INSERT\"}\n", "+I[1]", NULL},
    {"canal database and table filters", "canal-json", "id INT",
     {"canal-json.database.include", "inv.*", "canal-json.table.include", "orders|items",
      NULL},
     "{\"data\":[{\"id\":1}],\"database\":\"inventory\",\"table\":\"orders\",\"type\":\"INSERT\"}\n"
     "{\"data\":[{\"id\":2}],\"database\":\"other\",\"table\":\"orders\",\"type\":\"INSERT\"}\n"
     "{\"data\":[{\"id\":3}],\"database\":\"inv\",\"table\":\"orders_x\",\"type\":\"INSERT\"}\n"
     "{\"data\":[{\"id\":4}],\"database\":\"inv\",\"table\":\"items\",\"type\":\"DELETE\"}\n",
     "+I[1]\n-D[4]", NULL},
    {"canal unknown type", "canal-json", "id INT", {NULL},
     "{\"data\":[{\"id\":1}],\"type\":\"UPSERT\"}\n", NULL,
     "line 1: unknown \"type\" value \"UPSERT\""},
    {"canal update without old", "canal-json", "id INT", {NULL},
     "{\"data\":[{\"id\":1}],\"type\":\"UPDATE\"}\n", NULL,
     "the \"old\" field of an UPDATE message"},
    {"canal insert without data", "canal-json", "id INT", {NULL},
     "{\"type\":\"INSERT\"}\n", NULL, "the \"data\" field of an INSERT message is missing"},
    {"canal bad value names row and field", "canal-json", "id INT", {NULL},
     "{\"data\":[{\"id\":1},{\"id\":\"y\"}],\"type\":\"INSERT\"}\n", NULL,
     "line 1: \"data\"[1]: field 'id': cannot parse 'y' as INT"},
    {"canal ignore-parse-errors", "canal-json", "id INT",
     {"canal-json.ignore-parse-errors", "true", NULL},
     "{\"data\":[{\"id\":1},{\"id\":\"y\"}],\"type\":\"INSERT\"}\nnot json\n"
     "{\"data\":[{\"id\":3}],\"type\":\"INSERT\"}\n", "+I[3]", NULL},
};

START_TEST(test_decode)
{
    const decode_case_t *c = &decode_cases[_i];
    schema_t s;
    schema_init(&s, c->schema);
    sl_options_t o;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = check_options(&s.a, &s, c->format, c->opts, &o, &err);
    ck_assert_msg(rc == 0, "%s: options: %s", c->name, err.msg);
    sl_format_t *f;
    rc = sl_format_new(c->format, &o, s.n, s.names, s.types, &f, &err);
    ck_assert_msg(rc == 0, "%s: format: %s", c->name, err.msg);
    sl_batch_t b;
    ck_assert_int_eq(sl_batch_init(&b, s.n, 2), 0);
    rc = decode_all(f, c->input, &b, &err);
    if (c->want) {
        ck_assert_msg(rc == 0, "%s: %s", c->name, err.msg);
        sl_strbuf_t sb = SL_STRBUF_INIT;
        render(&sb, &b, &s);
        ck_assert_msg(strcmp(sl_strbuf_cstr(&sb), c->want) == 0,
                      "%s:\n got: %s\nwant: %s", c->name, sl_strbuf_cstr(&sb), c->want);
        sl_strbuf_destroy(&sb);
    } else {
        ck_assert_msg(rc < 0, "%s: expected an error", c->name);
        ck_assert_msg(strstr(err.msg, c->error) != NULL, "%s:\n got: %s\nwant: ...%s...",
                      c->name, err.msg, c->error);
    }
    sl_batch_destroy(&b);
    sl_format_free(f);
    sl_arena_destroy(&s.a);
}
END_TEST

/* ---- encoding tables: rows given as text ---- */

/* rows: "+I 1|abc|NULL" per line; '|' separates values, NULL is SQL NULL,
 * values are parsed with sl_value_parse; in strings a backslash-n stands
 * for a line break. */
static void make_rows(sl_batch_t *b, const schema_t *s, const char *rows)
{
    const char *p = rows;
    while (*p) {
        int kind = strncmp(p, "+I", 2) == 0 ? SL_INSERT
                 : strncmp(p, "-U", 2) == 0 ? SL_UPDATE_BEFORE
                 : strncmp(p, "+U", 2) == 0 ? SL_UPDATE_AFTER : SL_DELETE;
        p += 3;
        sl_value_t *row = sl_batch_add(b, kind);
        for (int c = 0; c < s->n; c++) {
            const char *e = p;
            while (*e && *e != '|' && *e != '\n') e++;
            if (e - p == 4 && strncmp(p, "NULL", 4) == 0) {
                row[c] = sl_value_null();
            } else if (sl_type_is_string(s->types[c])) {
                char *t = sl_arena_alloc(&b->arena, (size_t)(e - p) + 1);
                size_t n = 0;
                for (const char *q = p; q < e; q++) {
                    if (q[0] == '\\' && q + 1 < e && q[1] == 'n') {
                        t[n++] = '\n';
                        q++;
                    } else {
                        t[n++] = *q;
                    }
                }
                row[c] = (sl_value_t){.len = (uint32_t)n, .str = t};
            } else {
                sl_err_t err;
                int rc = sl_value_parse(p, (size_t)(e - p), s->types[c], &row[c],
                                        &b->arena, &err);
                ck_assert_msg(rc == 0, "row value '%.*s': %s", (int)(e - p), p, err.msg);
            }
            p = *e == '|' ? e + 1 : e;
        }
        if (*p == '\n') p++;
    }
}

typedef struct encode_case {
    const char *name;
    const char *format;
    const char *schema;
    const char *opts[8];
    const char *rows;
    const char *want;          /* output, or NULL for an error */
    const char *error;
} encode_case_t;

static const encode_case_t encode_cases[] = {
    {"csv quoting", "csv", "id INT, s STRING", {NULL},
     "+I 1|plain\n+I 2|a,b\n+I 3|say \"hi\"\n+I 4|\n+I 5|NULL\n+I 6| pad\n+I 7|#x\n",
     "1,plain\n2,\"a,b\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n5,\n6,\" pad\"\n7,\"#x\"\n", NULL},
    {"csv line breaks are quoted", "csv", "s STRING", {NULL}, "+I a\\nb\n+I c\rd\n",
     "\"a\nb\"\n\"c\rd\"\n", NULL},
    {"csv types", "csv",
     "b BOOLEAN, d DECIMAL(10, 2), f DOUBLE, dt DATE, t TIME(3), ts TIMESTAMP(6), "
     "l TIMESTAMP_LTZ(3), by BYTES, a ARRAY<INT>", {NULL},
     "+I true|-1.5|1e10|2020-01-01|12:00:00.120|2020-01-01 12:00:00.100200|"
     "2020-01-01 00:00:00|aGk=|NULL\n",
     "true,-1.50,1.0E10,2020-01-01,12:00:00.12,2020-01-01 12:00:00.1002,"
     "2020-01-01 00:00:00Z,aGk=,\n", NULL},
    {"csv delimiter, null literal, quote", "csv", "id INT, s STRING",
     {"csv.field-delimiter", ";", "csv.null-literal", "\\N", "csv.quote-character", "'",
      NULL},
     "+I 1|a;b\n+I NULL|it's\n", "1;'a;b'\n\\N;'it''s'\n", NULL},
    {"csv escape character", "csv", "s STRING, t STRING",
     {"csv.escape-character", "\\\\", "csv.disable-quote-character", "true", NULL},
     "+I a,b|c\\d\n", "a\\,b,c\\\\d\n", NULL},
    {"csv refuses deletes", "csv", "id INT", {NULL}, "-D 1\n", NULL,
     "format 'csv' writes only inserts, got a -D row"},
    {"json types", "json",
     "id INT, s STRING, d DECIMAL(22, 2), b BOOLEAN, f DOUBLE, dt DATE, t TIME(3), "
     "ts TIMESTAMP(3), l TIMESTAMP_LTZ(3), by BYTES, n INT", {NULL},
     "+I 1|a\"b|12345678901234567890.12|false|0.1|2020-01-01|01:02:03.500|"
     "2020-01-01 12:00:00|2020-01-01 12:00:00.5|aGk=|NULL\n",
     "{\"id\":1,\"s\":\"a\\\"b\",\"d\":12345678901234567890.12,\"b\":false,\"f\":0.1,"
     "\"dt\":\"2020-01-01\",\"t\":\"01:02:03.5\",\"ts\":\"2020-01-01 12:00:00\","
     "\"l\":\"2020-01-01 12:00:00.5Z\",\"by\":\"aGk=\",\"n\":null}\n", NULL},
    {"json ISO timestamps and ignore-null-fields", "json", "id INT, ts TIMESTAMP(3), n STRING",
     {"json.timestamp-format.standard", "ISO-8601", "json.encode.ignore-null-fields", "true",
      NULL},
     "+I 1|2020-01-01 12:00:00.123|NULL\n", "{\"id\":1,\"ts\":\"2020-01-01T12:00:00.123\"}\n",
     NULL},
    {"json non-finite doubles are strings", "json", "f DOUBLE", {NULL},
     "+I NaN\n+I -Infinity\n", "{\"f\":\"NaN\"}\n{\"f\":\"-Infinity\"}\n", NULL},
    {"json control characters", "json", "s STRING", {NULL}, "+I a\tb\x01\n",
     "{\"s\":\"a\\tb\\u0001\"}\n", NULL},
    {"json refuses updates", "json", "id INT", {NULL}, "+U 1\n", NULL,
     "format 'json' writes only inserts, got a +U row"},
    {"debezium kinds", "debezium-json", "id INT, s STRING", {NULL},
     "+I 1|a\n-U 1|a\n+U 1|b\n-D 1|b\n",
     "{\"before\":null,\"after\":{\"id\":1,\"s\":\"a\"},\"op\":\"c\"}\n"
     "{\"before\":{\"id\":1,\"s\":\"a\"},\"after\":null,\"op\":\"d\"}\n"
     "{\"before\":null,\"after\":{\"id\":1,\"s\":\"b\"},\"op\":\"c\"}\n"
     "{\"before\":{\"id\":1,\"s\":\"b\"},\"after\":null,\"op\":\"d\"}\n", NULL},
    {"canal kinds", "canal-json", "id INT, amt DECIMAL(5, 2)", {NULL},
     "+I 1|1.5\n-U 1|1.5\n+U 1|2\n-D 1|2\n",
     "{\"data\":[{\"id\":1,\"amt\":1.50}],\"type\":\"INSERT\"}\n"
     "{\"data\":[{\"id\":1,\"amt\":1.50}],\"type\":\"DELETE\"}\n"
     "{\"data\":[{\"id\":1,\"amt\":2.00}],\"type\":\"INSERT\"}\n"
     "{\"data\":[{\"id\":1,\"amt\":2.00}],\"type\":\"DELETE\"}\n", NULL},
};

START_TEST(test_encode)
{
    const encode_case_t *c = &encode_cases[_i];
    schema_t s;
    schema_init(&s, c->schema);
    sl_options_t o;
    sl_err_t err;
    int rc = check_options(&s.a, &s, c->format, c->opts, &o, &err);
    ck_assert_msg(rc == 0, "%s: options: %s", c->name, err.msg);
    sl_format_t *f;
    rc = sl_format_new(c->format, &o, s.n, s.names, s.types, &f, &err);
    ck_assert_msg(rc == 0, "%s: format: %s", c->name, err.msg);
    sl_batch_t b;
    ck_assert_int_eq(sl_batch_init(&b, s.n, 4), 0);
    make_rows(&b, &s, c->rows);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    rc = 0;
    for (int r = 0; r < b.nrows && rc == 0; r++)
        rc = sl_format_encode(f, sl_batch_row(&b, r), b.kinds[r], &sb, &err);
    if (c->want) {
        ck_assert_msg(rc == 0, "%s: %s", c->name, err.msg);
        ck_assert_msg(strcmp(sl_strbuf_cstr(&sb), c->want) == 0,
                      "%s:\n got: %s\nwant: %s", c->name, sl_strbuf_cstr(&sb), c->want);
    } else {
        ck_assert_msg(rc < 0, "%s: expected an error", c->name);
        ck_assert_msg(strstr(err.msg, c->error) != NULL, "%s:\n got: %s\nwant: ...%s...",
                      c->name, err.msg, c->error);
    }
    sl_strbuf_destroy(&sb);
    sl_batch_destroy(&b);
    sl_format_free(f);
    sl_arena_destroy(&s.a);
}
END_TEST

/* ---- round trips: encode then decode every row kind ---- */

static const char *const rt_schema =
    "id INT, s STRING, amt DECIMAL(20, 4), f DOUBLE, ok BOOLEAN, d DATE, "
    "ts TIMESTAMP(6), b BYTES";
static const char *const rt_rows =
    "+I 1|plain|12345678901234.5678|1.5|true|2020-02-29|2020-02-29 23:59:59.999999|aGk=\n"
    "-U 2|a,b \"q\"\\nline|-0.0001|-1e-5|false|1970-01-01|1970-01-01 00:00:00|\n"
    "+U 3||0|0.0|true|9999-12-31|9999-12-31 23:59:59.5|AA==\n"
    "-D 4|NULL|NULL|NULL|NULL|NULL|NULL|NULL\n"
    "+I 5| lead & trail |1|1e300|false|0001-01-01|0001-01-01 00:00:00.000001|////\n";

START_TEST(test_round_trip)
{
    static const char *const formats[] = {"csv", "json", "debezium-json", "canal-json"};
    const char *fmt = formats[_i];
    bool changelog = sl_format_is_changelog(fmt);
    schema_t s;
    schema_init(&s, rt_schema);
    sl_options_t o;
    sl_err_t err;
    ck_assert_int_eq(check_options(&s.a, &s, fmt, NULL, &o, &err), 0);
    sl_format_t *f;
    ck_assert_msg(sl_format_new(fmt, &o, s.n, s.names, s.types, &f, &err) == 0, "%s", err.msg);
    sl_batch_t in, out;
    sl_batch_init(&in, s.n, 2);
    sl_batch_init(&out, s.n, 2);
    make_rows(&in, &s, rt_rows);
    sl_strbuf_t text = SL_STRBUF_INIT;
    for (int r = 0; r < in.nrows; r++) {
        if (!changelog) in.kinds[r] = SL_INSERT;
        ck_assert_msg(sl_format_encode(f, sl_batch_row(&in, r), in.kinds[r], &text, &err) == 0,
                      "%s: %s", fmt, err.msg);
    }
    ck_assert_msg(decode_all(f, sl_strbuf_cstr(&text), &out, &err) == 0, "%s: %s\n%s", fmt,
                  err.msg, sl_strbuf_cstr(&text));
    /* changelog formats write an update as a delete and an insert */
    for (int r = 0; r < in.nrows; r++)
        in.kinds[r] = sl_row_kind_is_add(in.kinds[r]) ? SL_INSERT : SL_DELETE;
    sl_strbuf_t a = SL_STRBUF_INIT, b = SL_STRBUF_INIT;
    render(&a, &in, &s);
    render(&b, &out, &s);
    ck_assert_msg(strcmp(a.buf, b.buf) == 0, "%s:\n got: %s\nwant: %s\ntext: %s", fmt,
                  b.buf, a.buf, text.buf);
    sl_strbuf_destroy(&a);
    sl_strbuf_destroy(&b);
    sl_strbuf_destroy(&text);
    sl_batch_destroy(&in);
    sl_batch_destroy(&out);
    sl_format_free(f);
    sl_arena_destroy(&s.a);
}
END_TEST

/* ---- records split across reads ---- */

START_TEST(test_record_len_partial)
{
    schema_t s;
    schema_init(&s, "a STRING, b STRING");
    sl_options_t o;
    sl_err_t err;
    ck_assert_int_eq(check_options(&s.a, &s, "csv", NULL, &o, &err), 0);
    sl_format_t *f;
    ck_assert_int_eq(sl_format_new("csv", &o, s.n, s.names, s.types, &f, &err), 0);
    const char *in = "\"x\ny\",\"p\"\"\"\nnext\n";
    /* incomplete until the newline after the closing quote */
    ck_assert_uint_eq(sl_format_record_len(f, in, 3, false), 0);
    ck_assert_uint_eq(sl_format_record_len(f, in, 10, false), 0);   /* ends in a quote */
    ck_assert_uint_eq(sl_format_record_len(f, in, 12, false), 12);
    ck_assert_uint_eq(sl_format_record_len(f, in, 11, false), 0);
    ck_assert_uint_eq(sl_format_record_len(f, in, 4, true), 4);
    ck_assert_uint_eq(sl_format_record_len(f, in + 12, 2, false), 0);
    ck_assert_uint_eq(sl_format_record_len(f, in + 12, 5, false), 5);
    sl_format_free(f);
    ck_assert_int_eq(check_options(&s.a, &s, "json", NULL, &o, &err), 0);
    ck_assert_int_eq(sl_format_new("json", &o, s.n, s.names, s.types, &f, &err), 0);
    ck_assert_uint_eq(sl_format_record_len(f, "{\"a\":1}", 7, false), 0);
    ck_assert_uint_eq(sl_format_record_len(f, "{\"a\":1}", 7, true), 7);
    ck_assert_uint_eq(sl_format_record_len(f, "{}\n{}", 5, false), 3);
    sl_format_free(f);
    sl_arena_destroy(&s.a);
}
END_TEST

/* ---- the JSON parser on its own ---- */

START_TEST(test_json_parser)
{
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_err_t err;
    sl_json_t *v;
    const char *doc = " {\"a\": [1, -2.5e+3, \"x\", true, false, null, {}], \"b\\u0041\": {\"c\": []}} ";
    ck_assert_int_eq(sl_json_parse(doc, strlen(doc), &a, &v, &err), 0);
    ck_assert_int_eq(v->type, SL_JSON_OBJECT);
    ck_assert_int_eq(v->n, 2);
    const sl_json_t *arr = sl_json_get(v, "a");
    ck_assert_ptr_nonnull(arr);
    ck_assert_int_eq(arr->type, SL_JSON_ARRAY);
    ck_assert_int_eq(arr->n, 7);
    ck_assert_int_eq(arr->items[1].type, SL_JSON_NUMBER);
    ck_assert_int_eq(arr->items[1].n, 7);
    ck_assert(memcmp(arr->items[1].s, "-2.5e+3", 7) == 0);
    ck_assert_int_eq(arr->items[5].type, SL_JSON_NULL);
    ck_assert_ptr_nonnull(sl_json_get(v, "bA"));
    ck_assert_ptr_null(sl_json_get(v, "zz"));
    ck_assert_ptr_null(sl_json_get(arr, "a"));
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\" 1}", "tru", "nul", "01", "1.", "-", "1e", "\"abc",
        "\"a\\x\"", "\"a\\u12\"", "\"tab\there\"", "{} {}", "[1 2]", "{1:2}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl_arena_reset(&a);
        int rc = sl_json_parse(bad[i], strlen(bad[i]), &a, &v, &err);
        ck_assert_msg(rc == -SL_EFORMAT, "'%s' parsed", bad[i]);
    }
    /* deep nesting is refused, not a stack overflow */
    char deep[600];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    sl_arena_reset(&a);
    ck_assert_int_eq(sl_json_parse(deep, 600, &a, &v, &err), -SL_EFORMAT);
    ck_assert(strstr(err.msg, "nesting too deep") != NULL);
    sl_arena_destroy(&a);
}
END_TEST

/* ---- format options ---- */

typedef struct opt_case {
    const char *format;
    const char *schema;
    const char *opts[6];
    const char *error;
    int off;                   /* expected err.off, -2 to skip */
} opt_case_t;

static const opt_case_t opt_cases[] = {
    {"csv", "a INT", {"csv.field-delimiter", "ab", NULL},
     "option 'csv.field-delimiter' must be a single character", 1050 + 300},
    {"csv", "a INT", {"csv.field-delimiter", "\\n", NULL},
     "option 'csv.field-delimiter' cannot be a line break", 1050 + 300},
    {"csv", "a INT", {"csv.disable-quote-character", "true", "csv.quote-character", "'", NULL},
     "'csv.quote-character' cannot be set when 'csv.disable-quote-character' is true",
     1000 + 400},
    {"csv", "a INT", {"csv.quote-character", ",", NULL},
     "the quote character and the field delimiter must differ", 1050 + 300},
    {"csv", "a INT", {"csv.allow-comments", "yes", NULL},
     "option 'csv.allow-comments' expects a boolean (true or false), got 'yes'", 1050 + 300},
    {"csv", "m MAP<STRING, INT>", {NULL},
     "column 'm': type MAP<STRING, INT> is not supported by the CSV format", -2},
    {"json", "m MAP<INT, INT>", {NULL},
     "column 'm': JSON supports only MAP types with string keys", -2},
    {"json", "a INT", {"json.fail-on-missing-field", "true", "json.ignore-parse-errors", "true",
                       NULL},
     "'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true",
     1000 + 300},
    {"json", "a INT", {"json.timestamp-format.standard", "RFC", NULL},
     "option 'json.timestamp-format.standard' expects one of 'SQL', 'ISO-8601', got 'RFC'",
     1050 + 300},
    {"canal-json", "a INT", {"canal-json.table.include", "(", NULL},
     "option 'canal-json.table.include' is not a valid regular expression", 1050 + 300},
    {"json", "a INT", {"csv.field-delimiter", ";", NULL},
     "option 'csv.field-delimiter' belongs to format 'csv', but the table's format is 'json'",
     1000 + 300},
    {"csv", "a INT", {"json.nonexistent", "x", NULL},
     "unsupported option 'json.nonexistent' for connector 'filesystem'; supported json.* "
     "options: json.fail-on-missing-field, json.ignore-parse-errors", 1000 + 300},
};

START_TEST(test_format_options)
{
    const opt_case_t *c = &opt_cases[_i];
    schema_t s;
    schema_init(&s, c->schema);
    sl_options_t o;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = check_options(&s.a, &s, c->format, c->opts, &o, &err);
    if (rc == 0) {
        rc = sl_format_check_foreign_options(c->format, &o, &err);
        if (rc == 0) {
            sl_format_t *f = NULL;
            rc = sl_format_new(c->format, &o, s.n, s.names, s.types, &f, &err);
            sl_format_free(f);
        }
    }
    ck_assert_msg(rc < 0, "case %d: no error", _i);
    ck_assert_msg(strstr(err.msg, c->error) != NULL, "case %d:\n got: %s\nwant: ...%s...",
                  _i, err.msg, c->error);
    if (c->off != -2) ck_assert_int_eq(err.off, c->off);
    sl_arena_destroy(&s.a);
}
END_TEST

static Suite *formats_suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_loop_test(tc, test_decode, 0,
                        (int)(sizeof decode_cases / sizeof decode_cases[0]));
    tcase_add_loop_test(tc, test_encode, 0,
                        (int)(sizeof encode_cases / sizeof encode_cases[0]));
    tcase_add_loop_test(tc, test_round_trip, 0, 4);
    tcase_add_test(tc, test_record_len_partial);
    tcase_add_test(tc, test_json_parser);
    tcase_add_loop_test(tc, test_format_options, 0,
                        (int)(sizeof opt_cases / sizeof opt_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(formats_suite());
}
