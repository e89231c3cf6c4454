/* json.c - JSON tree parser, JSON <-> row conversions, and the 'json'
 * format (one object per line, insert-only). */
#include "connectors/formats/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/formats/format.h"
#include "exec/fn.h"
#include "util/decimal.h"
#include "util/time.h"

#define MAX_DEPTH 128

/* ---- parser ---- */

typedef struct parser {
    const char *s;
    size_t n, i;
    sl_arena_t *a;
    int depth;
    sl_err_t *err;
} parser_t;

static int perr(parser_t *p, const char *what)
{
    if (p->i >= p->n)
        return sl_err_set(p->err, SL_EFORMAT, "%s at the end of the input", what);
    unsigned char c = (unsigned char)p->s[p->i];
    if (c >= 0x20 && c < 0x7f)
        return sl_err_set(p->err, SL_EFORMAT, "%s at column %zu (found '%c')",
                          what, p->i + 1, c);
    return sl_err_set(p->err, SL_EFORMAT, "%s at column %zu (found byte 0x%02x)",
                      what, p->i + 1, c);
}

static void skip_ws(parser_t *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* At the opening quote. Sets *s and *len to the unescaped text. */
static int parse_string(parser_t *p, const char **s, uint32_t *len)
{
    size_t start = ++p->i;
    bool escapes = false;
    while (p->i < p->n && p->s[p->i] != '"') {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c < 0x20) return perr(p, "control character in a string");
        if (c == '\\') {
            escapes = true;
            p->i++;
        }
        p->i++;
    }
    if (p->i >= p->n) return perr(p, "unterminated string");
    size_t end = p->i++;
    if (!escapes) {
        *s = p->s + start;
        *len = (uint32_t)(end - start);
        return 0;
    }
    char *buf = sl_arena_alloc(p->a, end - start + 1);
    if (!buf) return sl_err_set(p->err, SL_ENOMEM, "out of memory");
    char *o = buf;
    for (size_t k = start; k < end; k++) {
        char c = p->s[k];
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = p->s[++k];
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp;
            if (k + 4 >= end) {
                p->i = k;
                return perr(p, "bad \\u escape");
            }
            if (hex4(p->s + k + 1, &cp) < 0) {
                p->i = k;
                return perr(p, "bad \\u escape");
            }
            k += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && k + 6 < end &&
                p->s[k + 1] == '\\' && p->s[k + 2] == 'u') {
                unsigned lo;
                if (hex4(p->s + k + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    k += 6;
                }
            }
            o = put_utf8(o, cp);
            break;
        }
        default:
            p->i = k;
            return perr(p, "bad escape");
        }
    }
    *o = 0;
    *s = buf;
    *len = (uint32_t)(o - buf);
    return 0;
}

static int parse_number(parser_t *p, sl_json_t *v)
{
    size_t st = p->i;
    const char *s = p->s;
    size_t n = p->n, i = p->i;
    if (i < n && s[i] == '-') i++;
    if (i < n && s[i] == '0') {
        i++;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    } else {
        p->i = i;
        return perr(p, "bad number");
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') { p->i = i; return perr(p, "bad number"); }
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') { p->i = i; return perr(p, "bad number"); }
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    v->type = SL_JSON_NUMBER;
    v->s = s + st;
    v->n = (uint32_t)(i - st);
    p->i = i;
    return 0;
}

static int parse_value(parser_t *p, sl_json_t *v);

/* Grows an arena array (old copies are left in the scratch arena). */
static void *grow(sl_arena_t *a, void *old, size_t elem, uint32_t n, uint32_t *cap)
{
    uint32_t nc = *cap ? *cap * 2 : 8;
    void *nw = sl_arena_alloc(a, elem * nc);
    if (!nw) return NULL;
    if (old && n) memcpy(nw, old, elem * n);
    *cap = nc;
    return nw;
}

static int parse_array(parser_t *p, sl_json_t *v)
{
    p->i++;
    v->type = SL_JSON_ARRAY;
    uint32_t cap = 0;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return 0;
    }
    for (;;) {
        if (v->n == cap) {
            v->items = grow(p->a, v->items, sizeof *v->items, v->n, &cap);
            if (!v->items) return sl_err_set(p->err, SL_ENOMEM, "out of memory");
        }
        int rc = parse_value(p, &v->items[v->n]);
        if (rc < 0) return rc;
        v->n++;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') { p->i++; continue; }
        if (p->i < p->n && p->s[p->i] == ']') { p->i++; return 0; }
        return perr(p, "expected ',' or ']'");
    }
}

static int parse_object(parser_t *p, sl_json_t *v)
{
    p->i++;
    v->type = SL_JSON_OBJECT;
    uint32_t cap = 0, kcap = 0, lcap = 0;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        return 0;
    }
    for (;;) {
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != '"') return perr(p, "expected a field name");
        if (v->n == cap) {
            v->items = grow(p->a, v->items, sizeof *v->items, v->n, &cap);
            v->keys = grow(p->a, v->keys, sizeof *v->keys, v->n, &kcap);
            v->keylens = grow(p->a, v->keylens, sizeof *v->keylens, v->n, &lcap);
            if (!v->items || !v->keys || !v->keylens)
                return sl_err_set(p->err, SL_ENOMEM, "out of memory");
        }
        int rc = parse_string(p, &v->keys[v->n], &v->keylens[v->n]);
        if (rc < 0) return rc;
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != ':') return perr(p, "expected ':'");
        p->i++;
        rc = parse_value(p, &v->items[v->n]);
        if (rc < 0) return rc;
        v->n++;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') { p->i++; continue; }
        if (p->i < p->n && p->s[p->i] == '}') { p->i++; return 0; }
        return perr(p, "expected ',' or '}'");
    }
}

static bool word(parser_t *p, const char *w)
{
    size_t l = strlen(w);
    if (p->n - p->i < l || memcmp(p->s + p->i, w, l) != 0) return false;
    p->i += l;
    return true;
}

static int parse_value(parser_t *p, sl_json_t *v)
{
    memset(v, 0, sizeof *v);
    skip_ws(p);
    if (p->i >= p->n) return perr(p, "expected a value");
    size_t st = p->i;
    int rc = 0;
    if (++p->depth > MAX_DEPTH) return perr(p, "nesting too deep");
    switch (p->s[p->i]) {
    case '{': rc = parse_object(p, v); break;
    case '[': rc = parse_array(p, v); break;
    case '"':
        v->type = SL_JSON_STRING;
        rc = parse_string(p, &v->s, &v->n);
        break;
    case 't':
        if (!word(p, "true")) return perr(p, "unexpected token");
        v->type = SL_JSON_TRUE;
        break;
    case 'f':
        if (!word(p, "false")) return perr(p, "unexpected token");
        v->type = SL_JSON_FALSE;
        break;
    case 'n':
        if (!word(p, "null")) return perr(p, "unexpected token");
        v->type = SL_JSON_NULL;
        break;
    default:
        rc = parse_number(p, v);
        break;
    }
    p->depth--;
    v->raw = p->s + st;
    v->rawlen = p->i - st;
    return rc;
}

int sl_json_parse(const char *s, size_t n, sl_arena_t *a, sl_json_t **out,
                  sl_err_t *err)
{
    parser_t p = {.s = s, .n = n, .a = a, .err = err};
    sl_json_t *v = sl_arena_alloc(a, sizeof *v);
    if (!v) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int rc = parse_value(&p, v);
    if (rc < 0) return rc;
    skip_ws(&p);
    if (p.i < p.n) return perr(&p, "unexpected text after the value");
    *out = v;
    return 0;
}

const sl_json_t *sl_json_get(const sl_json_t *obj, const char *key)
{
    if (!obj || obj->type != SL_JSON_OBJECT) return NULL;
    size_t l = strlen(key);
    for (uint32_t i = obj->n; i-- > 0;)
        if (obj->keylens[i] == l && memcmp(obj->keys[i], key, l) == 0)
            return &obj->items[i];
    return NULL;
}

/* ---- configuration ---- */

void sl_json_cfg_from_options(sl_json_cfg_t *cfg, const char *prefix,
                              const sl_options_t *opts)
{
    char k[96];
    memset(cfg, 0, sizeof *cfg);
    snprintf(k, sizeof k, "%s.timestamp-format.standard", prefix);
    cfg->iso8601 = sl_options_int(opts, k, 0) == 1;
    snprintf(k, sizeof k, "%s.fail-on-missing-field", prefix);
    cfg->fail_on_missing = sl_options_int(opts, k, 0) != 0;
    snprintf(k, sizeof k, "%s.encode.ignore-null-fields", prefix);
    cfg->ignore_null_fields = sl_options_int(opts, k, 0) != 0;
    snprintf(k, sizeof k, "%s.map-null-key.mode", prefix);
    cfg->null_key_mode = (int)sl_options_int(opts, k, SL_JSON_NULL_KEY_FAIL);
    snprintf(k, sizeof k, "%s.map-null-key.literal", prefix);
    cfg->null_key_literal = sl_options_str(opts, k, "null");
}

static int check_type(const char *col, const sl_type_t *t, sl_err_t *err)
{
    switch (t->id) {
    case SL_T_ARRAY:
        return check_type(col, t->elem, err);
    case SL_T_MAP:
        if (!sl_type_is_string(t->key))
            return sl_err_set(err, SL_EUNSUPPORTED,
                              "column '%s': JSON supports only MAP types with "
                              "string keys", col);
        return check_type(col, t->elem, err);
    case SL_T_ROW:
        for (int i = 0; i < t->nfields; i++) {
            int rc = check_type(col, t->fields[i].type, err);
            if (rc < 0) return rc;
        }
        return 0;
    case SL_T_MULTISET: case SL_T_RAW: case SL_T_NULL: case SL_T_SYMBOL:
    case SL_T_DESCRIPTOR: case SL_T_TABLE: {
        char tn[128];
        sl_strbuf_t sb = SL_STRBUF_INIT;
        sl_type_format(&sb, t);
        snprintf(tn, sizeof tn, "%s", sl_strbuf_cstr(&sb));
        sl_strbuf_destroy(&sb);
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "column '%s': type %s is not supported by JSON formats",
                          col, tn);
    }
    default:
        return 0;
    }
}

int sl_json_check_types(int ncols, const char *const *names,
                        const sl_type_t *const *types, sl_err_t *err)
{
    for (int c = 0; c < ncols; c++) {
        int rc = check_type(names[c], types[c], err);
        if (rc < 0) return rc;
    }
    return 0;
}

/* ---- JSON -> values ---- */

static const char *jtype_name(int t)
{
    static const char *const n[] = {"null", "false", "true", "a number",
                                    "a string", "an array", "an object"};
    return t >= 0 && t <= SL_JSON_OBJECT ? n[t] : "?";
}

/* Compact JSON text of a tree (a STRING column fed a non-string value). */
static int write_tree(sl_strbuf_t *sb, const sl_json_t *v)
{
    switch (v->type) {
    case SL_JSON_NULL: return sl_strbuf_puts(sb, "null");
    case SL_JSON_FALSE: return sl_strbuf_puts(sb, "false");
    case SL_JSON_TRUE: return sl_strbuf_puts(sb, "true");
    case SL_JSON_NUMBER: return sl_strbuf_append(sb, v->s, v->n);
    case SL_JSON_STRING: return sl_json_encode_string(sb, v->s, v->n);
    case SL_JSON_ARRAY:
        sl_strbuf_putc(sb, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) sl_strbuf_putc(sb, ',');
            write_tree(sb, &v->items[i]);
        }
        return sl_strbuf_putc(sb, ']');
    default:
        sl_strbuf_putc(sb, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) sl_strbuf_putc(sb, ',');
            sl_json_encode_string(sb, v->keys[i], v->keylens[i]);
            sl_strbuf_putc(sb, ':');
            write_tree(sb, &v->items[i]);
        }
        return sl_strbuf_putc(sb, '}');
    }
}

static int mismatch(sl_err_t *err, const sl_json_t *v, const sl_type_t *t)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_type_format(&sb, t);
    int rc = sl_err_set(err, SL_EFORMAT, "expected %s value, got %s",
                        sl_strbuf_cstr(&sb), jtype_name(v->type));
    sl_strbuf_destroy(&sb);
    return rc;
}

static int text_error(sl_err_t *err, const char *s, size_t n, const sl_type_t *t)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_type_format(&sb, t);
    int rc = sl_err_set(err, SL_EFORMAT, "cannot parse '%.*s' as %s",
                        (int)(n > 64 ? 64 : n), s, sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return rc;
}

static int decode_value(const sl_json_cfg_t *cfg, const sl_json_t *v,
                        const sl_type_t *t, sl_value_t *out, sl_arena_t *a,
                        sl_err_t *err);

static sl_nested_t *nested_new(sl_arena_t *a, int n)
{
    sl_nested_t *nv = sl_arena_alloc(a, sizeof *nv + sizeof(sl_value_t) * (size_t)(n ? n : 1));
    if (nv) nv->n = n;
    return nv;
}

static int decode_fields(const sl_json_cfg_t *cfg, const sl_json_t *obj,
                         int n, const char *const *names,
                         const sl_type_t *const *types, const sl_field_t *fields,
                         sl_value_t *row, sl_arena_t *a, sl_err_t *err)
{
    for (int c = 0; c < n; c++) {
        const char *name = names ? names[c] : fields[c].name;
        const sl_type_t *t = types ? types[c] : fields[c].type;
        const sl_json_t *f = sl_json_get(obj, name);
        if (!f) {
            if (cfg->fail_on_missing)
                return sl_err_set(err, SL_EFORMAT, "field '%s' is missing", name);
            row[c] = sl_value_null();
            continue;
        }
        int rc = decode_value(cfg, f, t, &row[c], a, err);
        if (rc < 0) {
            if (rc == -SL_ENOMEM) return rc;
            char msg[SL_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return sl_err_set(err, -rc, "field '%s': %s", name, msg);
        }
    }
    return 0;
}

static int decode_value(const sl_json_cfg_t *cfg, const sl_json_t *v,
                        const sl_type_t *t, sl_value_t *out, sl_arena_t *a,
                        sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (v->type == SL_JSON_NULL) {
        out->null = 1;
        return 0;
    }
    switch (t->id) {
    case SL_T_BOOLEAN:
        if (v->type == SL_JSON_TRUE || v->type == SL_JSON_FALSE) {
            out->b = v->type == SL_JSON_TRUE;
            return 0;
        }
        if (v->type != SL_JSON_STRING) return mismatch(err, v, t);
        return sl_value_parse(v->s, v->n, t, out, a, err) < 0
                   ? text_error(err, v->s, v->n, t) : 0;
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_DECIMAL: case SL_T_FLOAT: case SL_T_DOUBLE:
        if (v->type != SL_JSON_NUMBER && v->type != SL_JSON_STRING)
            return mismatch(err, v, t);
        return sl_value_parse(v->s, v->n, t, out, a, err) < 0
                   ? text_error(err, v->s, v->n, t) : 0;
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        if (v->type != SL_JSON_NUMBER && v->type != SL_JSON_STRING)
            return mismatch(err, v, t);
        return sl_value_parse(v->s, v->n, &sl_type_bigint, out, a, err) < 0
                   ? text_error(err, v->s, v->n, t) : 0;
    case SL_T_CHAR: case SL_T_VARCHAR: {
        if (v->type == SL_JSON_STRING) {
            char *s = sl_arena_memdup(a, v->s, v->n ? v->n : 1);
            if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
            out->str = s;
            out->len = v->n;
            return 0;
        }
        sl_strbuf_t sb = SL_STRBUF_INIT;
        write_tree(&sb, v);
        char *s = sl_arena_memdup(a, sb.buf ? sb.buf : "", sb.len + 1);
        out->len = (uint32_t)sb.len;
        sl_strbuf_destroy(&sb);
        if (!s) return sl_err_set(err, SL_ENOMEM, "out of memory");
        out->str = s;
        return 0;
    }
    case SL_T_BINARY: case SL_T_VARBINARY: {
        if (v->type != SL_JSON_STRING) return mismatch(err, v, t);
        unsigned char *b = sl_arena_alloc(a, v->n / 4 * 3 + 3);
        if (!b) return sl_err_set(err, SL_ENOMEM, "out of memory");
        long l = sl_base64_decode(v->s, v->n, b);
        if (l < 0) return sl_err_set(err, SL_EFORMAT, "invalid base64 for %s",
                                     t->id == SL_T_BINARY ? "BINARY" : "BYTES");
        out->str = (const char *)b;
        out->len = (uint32_t)l;
        return 0;
    }
    case SL_T_DATE:
        if (v->type != SL_JSON_STRING) return mismatch(err, v, t);
        return sl_date_parse(v->s, v->n, &out->date) < 0
                   ? text_error(err, v->s, v->n, t) : 0;
    case SL_T_TIME:
        if (v->type != SL_JSON_STRING) return mismatch(err, v, t);
        return sl_time_parse(v->s, v->n, t->len, &out->time) < 0
                   ? text_error(err, v->s, v->n, t) : 0;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        if (v->type != SL_JSON_STRING) return mismatch(err, v, t);
        bool ltz = t->id == SL_T_TIMESTAMP_LTZ;
        if (sl_format_parse_timestamp(v->s, v->n, cfg->iso8601 ? 'T' : ' ', ltz,
                                      t->len, &out->ts) < 0) {
            text_error(err, v->s, v->n, t);
            char msg[SL_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return sl_err_set(err, SL_EFORMAT, "%s (expected %s)", msg,
                              cfg->iso8601 ? (ltz ? "yyyy-MM-ddTHH:mm:ss[.s]Z"
                                                  : "yyyy-MM-ddTHH:mm:ss[.s]")
                                           : (ltz ? "yyyy-MM-dd HH:mm:ss[.s]Z"
                                                  : "yyyy-MM-dd HH:mm:ss[.s]"));
        }
        return 0;
    }
    case SL_T_ARRAY: {
        if (v->type != SL_JSON_ARRAY) return mismatch(err, v, t);
        sl_nested_t *nv = nested_new(a, (int)v->n);
        if (!nv) return sl_err_set(err, SL_ENOMEM, "out of memory");
        for (uint32_t i = 0; i < v->n; i++) {
            int rc = decode_value(cfg, &v->items[i], t->elem, &nv->v[i], a, err);
            if (rc < 0) return rc;
        }
        out->nested = nv;
        out->len = v->n;
        return 0;
    }
    case SL_T_MAP: {
        if (v->type != SL_JSON_OBJECT) return mismatch(err, v, t);
        sl_nested_t *nv = nested_new(a, (int)v->n * 2);
        if (!nv) return sl_err_set(err, SL_ENOMEM, "out of memory");
        nv->n = (int)v->n;
        for (uint32_t i = 0; i < v->n; i++) {
            sl_json_t k = {.type = SL_JSON_STRING, .s = v->keys[i], .n = v->keylens[i]};
            int rc = decode_value(cfg, &k, t->key, &nv->v[i], a, err);
            if (rc == 0) rc = decode_value(cfg, &v->items[i], t->elem,
                                           &nv->v[v->n + i], a, err);
            if (rc < 0) return rc;
        }
        out->nested = nv;
        out->len = v->n;
        return 0;
    }
    case SL_T_ROW: {
        if (v->type != SL_JSON_OBJECT) return mismatch(err, v, t);
        sl_nested_t *nv = nested_new(a, t->nfields);
        if (!nv) return sl_err_set(err, SL_ENOMEM, "out of memory");
        int rc = decode_fields(cfg, v, t->nfields, NULL, NULL, t->fields,
                               nv->v, a, err);
        if (rc < 0) return rc;
        out->nested = nv;
        out->len = (uint32_t)t->nfields;
        return 0;
    }
    default:
        return mismatch(err, v, t);
    }
}

int sl_json_decode_value(const sl_json_cfg_t *cfg, const sl_json_t *v,
                         const sl_type_t *t, sl_value_t *out, sl_arena_t *a,
                         sl_err_t *err)
{
    return decode_value(cfg, v, t, out, a, err);
}

int sl_json_decode_row(const sl_json_cfg_t *cfg, const sl_json_t *obj,
                       int ncols, const char *const *names,
                       const sl_type_t *const *types, sl_value_t *row,
                       sl_arena_t *a, sl_err_t *err)
{
    if (obj->type != SL_JSON_OBJECT)
        return sl_err_set(err, SL_EFORMAT, "expected a JSON object, got %s",
                          jtype_name(obj->type));
    return decode_fields(cfg, obj, ncols, names, types, NULL, row, a, err);
}

/* ---- values -> JSON ---- */

/* Bytes that need an escape in a JSON string: controls, '"', '\\'. */
static const unsigned char json_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

int sl_json_encode_string(sl_strbuf_t *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* Room for the common case (nothing to escape) in one go. */
    int rc = sl_strbuf_reserve(sb, n + 2);
    if (rc < 0) return rc;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !json_esc[u[i]]) i++;
    if (i == n) {
        char *d = sb->buf + sb->len;
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        d[n + 2] = '\0';
        sb->len += n + 2;
        return 0;
    }
    sl_strbuf_putc(sb, '"');
    size_t run = 0;
    for (; i < n; i++) {
        unsigned char c = u[i];
        if (!json_esc[c]) continue;
        sl_strbuf_append(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': sl_strbuf_puts(sb, "\\\""); break;
        case '\\': sl_strbuf_puts(sb, "\\\\"); break;
        case '\n': sl_strbuf_puts(sb, "\\n"); break;
        case '\r': sl_strbuf_puts(sb, "\\r"); break;
        case '\t': sl_strbuf_puts(sb, "\\t"); break;
        case '\b': sl_strbuf_puts(sb, "\\b"); break;
        case '\f': sl_strbuf_puts(sb, "\\f"); break;
        default: {
            char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            sl_strbuf_puts(sb, e);
        }
        }
    }
    sl_strbuf_append(sb, s + run, n - run);
    return sl_strbuf_putc(sb, '"');
}

static int encode_value(const sl_json_cfg_t *cfg, sl_strbuf_t *sb,
                        const sl_value_t *v, const sl_type_t *t, sl_err_t *err);

static int encode_fields(const sl_json_cfg_t *cfg, sl_strbuf_t *sb,
                         const sl_value_t *row, int n, const char *const *names,
                         const sl_type_t *const *types, const sl_field_t *fields,
                         sl_err_t *err)
{
    sl_strbuf_putc(sb, '{');
    bool first = true;
    for (int c = 0; c < n; c++) {
        if (row[c].null && cfg->ignore_null_fields) continue;
        const char *name = names ? names[c] : fields[c].name;
        if (!first) sl_strbuf_putc(sb, ',');
        first = false;
        sl_json_encode_string(sb, name, strlen(name));
        sl_strbuf_putc(sb, ':');
        int rc = encode_value(cfg, sb, &row[c], types ? types[c] : fields[c].type, err);
        if (rc < 0) return rc;
    }
    return sl_strbuf_putc(sb, '}');
}

static int encode_value(const sl_json_cfg_t *cfg, sl_strbuf_t *sb,
                        const sl_value_t *v, const sl_type_t *t, sl_err_t *err)
{
    char buf[SL_TIMESTAMP_STRLEN + 8];
    if (v->null) return sl_strbuf_puts(sb, "null");
    switch (t->id) {
    case SL_T_BOOLEAN:
        return sl_strbuf_puts(sb, v->b ? "true" : "false");
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        return sl_strbuf_printf(sb, "%lld", (long long)v->i64);
    case SL_T_DECIMAL: {
        sl_decimal_t d = {.unscaled = v->dec, .precision = (uint8_t)t->len,
                          .scale = (uint8_t)t->scale};
        char db[SL_DECIMAL_STRLEN];
        int n = sl_decimal_format(&d, db, sizeof db);
        if (n < 0) return sl_err_set(err, SL_EINTERNAL, "bad DECIMAL value");
        return sl_strbuf_append(sb, db, (size_t)n);
    }
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if (isnan(v->f64)) return sl_strbuf_puts(sb, "\"NaN\"");
        if (isinf(v->f64)) return sl_strbuf_puts(sb, v->f64 > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    {
        char db[SL_DOUBLE_STRLEN];
        int n = sl_double_format(v->f64, t->id == SL_T_FLOAT, db, sizeof db);
        if (n < 0) return sl_err_set(err, SL_EINTERNAL, "bad FLOAT value");
        return sl_strbuf_append(sb, db, (size_t)n);
    }
    case SL_T_CHAR: case SL_T_VARCHAR:
        return sl_json_encode_string(sb, v->str, v->len);
    case SL_T_BINARY: case SL_T_VARBINARY:
        sl_strbuf_putc(sb, '"');
        sl_format_base64(sb, v->str, v->len);
        return sl_strbuf_putc(sb, '"');
    case SL_T_DATE: {
        int n = sl_date_format(v->date, buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "DATE out of range");
        return sl_strbuf_printf(sb, "\"%s\"", buf);
    }
    case SL_T_TIME: {
        int n = sl_format_time_text(v->time, buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "TIME out of range");
        return sl_strbuf_printf(sb, "\"%s\"", buf);
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        int n = sl_format_timestamp_text(v->ts, cfg->iso8601 ? 'T' : ' ',
                                         t->id == SL_T_TIMESTAMP_LTZ, buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "TIMESTAMP out of range");
        return sl_strbuf_printf(sb, "\"%s\"", buf);
    }
    case SL_T_ARRAY: {
        sl_strbuf_putc(sb, '[');
        for (int i = 0; v->nested && i < v->nested->n; i++) {
            if (i) sl_strbuf_putc(sb, ',');
            int rc = encode_value(cfg, sb, &v->nested->v[i], t->elem, err);
            if (rc < 0) return rc;
        }
        return sl_strbuf_putc(sb, ']');
    }
    case SL_T_MAP: {
        int n = v->nested ? v->nested->n : 0;
        sl_strbuf_putc(sb, '{');
        bool first = true;
        for (int i = 0; i < n; i++) {
            const sl_value_t *k = &v->nested->v[i];
            const char *ks;
            size_t kl;
            if (k->null) {
                if (cfg->null_key_mode == SL_JSON_NULL_KEY_DROP) continue;
                if (cfg->null_key_mode == SL_JSON_NULL_KEY_FAIL)
                    return sl_err_set(err, SL_EFORMAT,
                                      "a MAP has a NULL key; set "
                                      "'map-null-key.mode' to DROP or LITERAL");
                ks = cfg->null_key_literal;
                kl = strlen(ks);
            } else {
                ks = k->str;
                kl = k->len;
            }
            if (!first) sl_strbuf_putc(sb, ',');
            first = false;
            sl_json_encode_string(sb, ks, kl);
            sl_strbuf_putc(sb, ':');
            int rc = encode_value(cfg, sb, &v->nested->v[n + i], t->elem, err);
            if (rc < 0) return rc;
        }
        return sl_strbuf_putc(sb, '}');
    }
    case SL_T_ROW:
        return encode_fields(cfg, sb, v->nested->v, t->nfields, NULL, NULL,
                             t->fields, err);
    default:
        return sl_err_set(err, SL_EUNSUPPORTED, "type not supported by JSON");
    }
}

int sl_json_encode_row(const sl_json_cfg_t *cfg, sl_strbuf_t *sb,
                       const sl_value_t *row, int ncols,
                       const char *const *names, const sl_type_t *const *types,
                       sl_err_t *err)
{
    return encode_fields(cfg, sb, row, ncols, names, types, NULL, err);
}

/* ---- the 'json' format ---- */

typedef struct json_format {
    sl_json_cfg_t cfg;
} json_format_t;

/* A record without its line terminator and surrounding blanks; false when
 * nothing is left (a blank line). */
static bool strip_record(const char **rec, size_t *n)
{
    while (*n > 0 && ((*rec)[*n - 1] == '\n' || (*rec)[*n - 1] == '\r' ||
                      (*rec)[*n - 1] == ' ' || (*rec)[*n - 1] == '\t'))
        (*n)--;
    while (*n > 0 && (**rec == ' ' || **rec == '\t')) { (*rec)++; (*n)--; }
    return *n > 0;
}

static int json_decode(sl_format_t *f, const char *rec, size_t n,
                       sl_batch_t *out, sl_err_t *err)
{
    json_format_t *jf = f->cfg;
    if (!strip_record(&rec, &n)) return 0;
    sl_arena_reset(&f->scratch);
    sl_json_t *root;
    int before = out->nrows;
    int rc = sl_json_parse(rec, n, &f->scratch, &root, err);
    if (rc == 0) {
        sl_value_t *row = sl_batch_add(out, SL_INSERT);
        if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
        rc = sl_json_decode_row(&jf->cfg, root, f->ncols, f->names, f->types,
                                row, &out->arena, err);
    }
    if (rc < 0) {
        sl_format_rollback(out, before);
        if (rc != -SL_ENOMEM && f->ignore_parse_errors) return 0;
        return rc;
    }
    return 1;
}

static int json_encode(sl_format_t *f, const sl_value_t *row, int kind,
                       sl_strbuf_t *sb, sl_err_t *err)
{
    json_format_t *jf = f->cfg;
    if (kind != SL_INSERT)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "format 'json' writes only inserts, got a %s row "
                          "(use 'debezium-json' or 'canal-json' for changelogs)",
                          sl_row_kind_str(kind));
    size_t mark = sb->len;
    int rc = sl_json_encode_row(&jf->cfg, sb, row, f->ncols, f->names, f->types, err);
    if (rc == 0) rc = sl_strbuf_putc(sb, '\n');
    if (rc < 0) {
        sb->len = mark;
        if (sb->buf) sb->buf[mark] = 0;
    }
    return rc;
}

static const sl_format_ops_t json_ops = {
    .name = "json",
    .changelog = false,
    .record_len = sl_format_line_len,
    .decode = json_decode,
    .encode = json_encode,
};

int sl_json_format_new(sl_format_t *f, const sl_options_t *opts, sl_err_t *err)
{
    int rc = sl_json_check_types(f->ncols, f->names, f->types, err);
    if (rc < 0) return rc;
    const sl_optval_t *fm = sl_options_get(opts, "json.fail-on-missing-field");
    const sl_optval_t *ig = sl_options_get(opts, "json.ignore-parse-errors");
    if (fm && ig && fm->i && ig->i)
        return sl_err_at(err, SL_EINVAL, fm->src ? fm->src->key_off : -1,
                         fm->src ? fm->src->key_len : 0,
                         "'json.fail-on-missing-field' and "
                         "'json.ignore-parse-errors' cannot both be true");
    json_format_t *jf = calloc(1, sizeof *jf);
    if (!jf) return sl_err_set(err, SL_ENOMEM, "out of memory");
    sl_json_cfg_from_options(&jf->cfg, "json", opts);
    f->cfg = jf;
    f->ops = &json_ops;
    f->ignore_parse_errors = ig && ig->i;
    return 0;
}
