/* csv.c - the 'csv' format: RFC 4180 style rows, as Flink's CSV format
 * (Jackson's CSV mapper) reads and writes them.
 *
 * Columns are matched by position. A field may be quoted (default '"',
 * doubled inside a quoted field, or escaped with csv.escape-character) and
 * may then hold delimiters and line breaks, so a record can span lines.
 * NULL: an empty unquoted field, or csv.null-literal when set; an empty
 * string is written quoted ("") so that it reads back as a string, not as
 * NULL (Flink writes both as an empty field). Numbers and temporal values
 * are trimmed before parsing. ARRAY and ROW columns hold their elements
 * separated by csv.array-element-delimiter. Insert-only.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/formats/format.h"
#include "exec/fn.h"
#include "util/decimal.h"
#include "util/time.h"

typedef struct csv_format {
    int delim;                 /* field delimiter byte */
    int quote;                 /* quote byte, -1 when disabled */
    int escape;                /* escape byte, -1 when none */
    bool allow_comments;
    const char *null_literal;  /* NULL when unset */
    size_t null_len;
    const char *elem_delim;    /* csv.array-element-delimiter */
    size_t elem_len;
    sl_strbuf_t tmp;           /* encode: one field's text */
} csv_format_t;

typedef struct field {
    const char *s;
    size_t n;
    bool quoted;
} field_t;

/* ---- splitting records ---- */

static size_t csv_record_len(const sl_format_t *f, const char *buf, size_t n,
                             bool eof)
{
    const csv_format_t *c = f->cfg;
    bool in_quotes = false, field_start = true;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)buf[i];
        if (c->escape >= 0 && ch == c->escape) {
            i++;
            field_start = false;
            continue;
        }
        if (in_quotes) {
            if (ch == c->quote) {
                if (i + 1 < n && (unsigned char)buf[i + 1] == c->quote) {
                    i++;
                    continue;
                }
                if (i + 1 == n && !eof) return 0;   /* "" split across reads */
                in_quotes = false;
            }
            continue;
        }
        if (ch == '\n') return i + 1;
        if (field_start && ch == c->quote) {
            in_quotes = true;
            field_start = false;
            continue;
        }
        field_start = ch == c->delim;
    }
    return eof ? n : 0;
}

/* ---- reading ---- */

static int split_fields(sl_format_t *f, const char *s, size_t n, field_t **out,
                        int *nout, sl_err_t *err)
{
    const csv_format_t *c = f->cfg;
    int cap = f->ncols + 1, nf = 0;
    field_t *fs = sl_arena_alloc(&f->scratch, sizeof *fs * (size_t)cap);
    if (!fs) return sl_err_set(err, SL_ENOMEM, "out of memory");
    size_t i = 0;
    for (;;) {
        if (nf == cap) {
            field_t *nfs = sl_arena_alloc(&f->scratch, sizeof *fs * (size_t)cap * 2);
            if (!nfs) return sl_err_set(err, SL_ENOMEM, "out of memory");
            memcpy(nfs, fs, sizeof *fs * (size_t)nf);
            fs = nfs;
            cap *= 2;
        }
        field_t *fd = &fs[nf++];
        /* unescaped text can only be shorter than the source */
        char *o = NULL;
        size_t st = i;
        if (i < n && c->quote >= 0 && (unsigned char)s[i] == c->quote) {
            o = sl_arena_alloc(&f->scratch, n - i + 1);
            if (!o) return sl_err_set(err, SL_ENOMEM, "out of memory");
            fd->s = o;
            fd->quoted = true;
            i++;
            for (;;) {
                if (i >= n)
                    return sl_err_set(err, SL_EFORMAT,
                                      "field %d: missing closing quote", nf);
                int ch = (unsigned char)s[i];
                if (c->escape >= 0 && ch == c->escape && i + 1 < n) {
                    *o++ = s[i + 1];
                    i += 2;
                    continue;
                }
                if (ch == c->quote) {
                    if (i + 1 < n && (unsigned char)s[i + 1] == c->quote) {
                        *o++ = (char)ch;
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *o++ = (char)ch;
                i++;
            }
            fd->n = (size_t)(o - fd->s);
            if (i < n && (unsigned char)s[i] != c->delim)
                return sl_err_set(err, SL_EFORMAT,
                                  "field %d: unexpected '%c' after the closing quote",
                                  nf, s[i]);
        } else {
            fd->quoted = false;
            bool esc = false;
            while (i < n && (unsigned char)s[i] != c->delim) {
                if (c->escape >= 0 && (unsigned char)s[i] == c->escape && i + 1 < n) {
                    esc = true;
                    i++;
                }
                i++;
            }
            if (!esc) {
                fd->s = s + st;
                fd->n = i - st;
            } else {
                o = sl_arena_alloc(&f->scratch, i - st + 1);
                if (!o) return sl_err_set(err, SL_ENOMEM, "out of memory");
                fd->s = o;
                for (size_t k = st; k < i; k++) {
                    if ((unsigned char)s[k] == c->escape && k + 1 < i) k++;
                    *o++ = s[k];
                }
                fd->n = (size_t)(o - fd->s);
            }
        }
        if (i >= n) break;
        i++;   /* the delimiter */
    }
    *out = fs;
    *nout = nf;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) { (*s)++; (*n)--; }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

static int parse_error(sl_err_t *err, const char *s, size_t n, const sl_type_t *t)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_type_format(&sb, t);
    int rc = sl_err_set(err, SL_EFORMAT, "cannot parse '%.*s' as %s",
                        (int)(n > 64 ? 64 : n), s, sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return rc;
}

static int text_value(const csv_format_t *c, const sl_type_t *t, const char *s,
                      size_t n, sl_value_t *out, sl_arena_t *a, sl_err_t *err);

/* Splits an ARRAY/ROW field by the element delimiter. */
static int nested_value(const csv_format_t *c, const sl_type_t *t, const char *s,
                        size_t n, sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    int cnt = 1;
    for (size_t i = 0; i + c->elem_len <= n; i++)
        if (memcmp(s + i, c->elem_delim, c->elem_len) == 0) {
            cnt++;
            i += c->elem_len - 1;
        }
    if (n == 0) cnt = 0;
    int nvals = t->id == SL_T_ROW ? t->nfields : cnt;
    if (t->id == SL_T_ROW && cnt != t->nfields)
        return sl_err_set(err, SL_EFORMAT, "expected %d ROW fields, got %d",
                          t->nfields, cnt);
    sl_nested_t *nv = sl_arena_alloc(a, sizeof *nv + sizeof(sl_value_t) * (size_t)(nvals ? nvals : 1));
    if (!nv) return sl_err_set(err, SL_ENOMEM, "out of memory");
    nv->n = nvals;
    size_t st = 0;
    for (int k = 0; k < cnt; k++) {
        size_t e = st;
        while (e + c->elem_len <= n && memcmp(s + e, c->elem_delim, c->elem_len) != 0) e++;
        if (e + c->elem_len > n) e = n;
        const sl_type_t *et = t->id == SL_T_ROW ? t->fields[k].type : t->elem;
        if (e == st) {
            nv->v[k] = sl_value_null();
        } else {
            int rc = text_value(c, et, s + st, e - st, &nv->v[k], a, err);
            if (rc < 0) return rc;
        }
        st = e + c->elem_len;
    }
    memset(out, 0, sizeof *out);
    out->nested = nv;
    out->len = (uint32_t)nvals;
    return 0;
}

static int text_value(const csv_format_t *c, const sl_type_t *t, const char *s,
                      size_t n, sl_value_t *out, sl_arena_t *a, sl_err_t *err)
{
    memset(out, 0, sizeof *out);
    switch (t->id) {
    case SL_T_CHAR: case SL_T_VARCHAR: {
        char *p = sl_arena_memdup(a, s, n ? n : 1);
        if (!p) return sl_err_set(err, SL_ENOMEM, "out of memory");
        out->str = p;
        out->len = (uint32_t)n;
        return 0;
    }
    case SL_T_BINARY: case SL_T_VARBINARY: {
        trim(&s, &n);
        unsigned char *b = sl_arena_alloc(a, n / 4 * 3 + 3);
        if (!b) return sl_err_set(err, SL_ENOMEM, "out of memory");
        long l = sl_base64_decode(s, n, b);
        if (l < 0) return sl_err_set(err, SL_EFORMAT, "invalid base64 '%.*s'",
                                     (int)(n > 64 ? 64 : n), s);
        out->str = (const char *)b;
        out->len = (uint32_t)l;
        return 0;
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        bool z = t->id == SL_T_TIMESTAMP_LTZ;
        if (sl_format_parse_timestamp(s, n, ' ', z, t->len, &out->ts) == 0 ||
            sl_format_parse_timestamp(s, n, 'T', z, t->len, &out->ts) == 0)
            return 0;
        return parse_error(err, s, n, t);
    }
    case SL_T_DATE:
        trim(&s, &n);
        return sl_date_parse(s, n, &out->date) < 0 ? parse_error(err, s, n, t) : 0;
    case SL_T_TIME:
        trim(&s, &n);
        return sl_time_parse(s, n, t->len, &out->time) < 0 ? parse_error(err, s, n, t) : 0;
    case SL_T_ARRAY: case SL_T_ROW:
        return nested_value(c, t, s, n, out, a, err);
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        trim(&s, &n);
        return sl_value_parse(s, n, &sl_type_bigint, out, a, err) < 0
                   ? parse_error(err, s, n, t) : 0;
    default:
        trim(&s, &n);
        return sl_value_parse(s, n, t, out, a, err) < 0 ? parse_error(err, s, n, t) : 0;
    }
}

static int field_value(const csv_format_t *c, const sl_type_t *t,
                       const field_t *fd, sl_value_t *out, sl_arena_t *a,
                       sl_err_t *err)
{
    if ((c->null_literal && fd->n == c->null_len &&
         memcmp(fd->s, c->null_literal, fd->n) == 0) ||
        (!fd->quoted && fd->n == 0)) {
        *out = sl_value_null();
        return 0;
    }
    return text_value(c, t, fd->s, fd->n, out, a, err);
}

static int csv_decode(sl_format_t *f, const char *rec, size_t n,
                      sl_batch_t *out, sl_err_t *err)
{
    const csv_format_t *c = f->cfg;
    if (n > 0 && rec[n - 1] == '\n') n--;
    if (n > 0 && rec[n - 1] == '\r') n--;
    if (n == 0) return 0;                       /* blank line: no row */
    if (c->allow_comments && rec[0] == '#') return 0;
    sl_arena_reset(&f->scratch);
    field_t *fs = NULL;
    int nf = 0;
    int rc = split_fields(f, rec, n, &fs, &nf, err);
    if (rc < 0) return rc == -SL_ENOMEM || !f->ignore_parse_errors ? rc : 0;
    if (nf != f->ncols && !f->ignore_parse_errors)
        return sl_err_set(err, SL_EFORMAT, "expected %d fields, got %d",
                          f->ncols, nf);
    int before = out->nrows;
    sl_value_t *row = sl_batch_add(out, SL_INSERT);
    if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
    for (int k = 0; k < f->ncols; k++) {
        if (k >= nf) {
            row[k] = sl_value_null();
            continue;
        }
        rc = field_value(c, f->types[k], &fs[k], &row[k], &out->arena, err);
        if (rc < 0) {
            if (rc != -SL_ENOMEM && f->ignore_parse_errors) {
                /* Flink: a field that fails to parse becomes NULL */
                row[k] = sl_value_null();
                continue;
            }
            sl_format_rollback(out, before);
            if (rc == -SL_ENOMEM) return rc;
            char msg[SL_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return sl_err_set(err, -rc, "column '%s': %s", f->names[k], msg);
        }
    }
    return 1;
}

/* ---- writing ---- */

/* A value's text, unquoted. */
static int value_text(const csv_format_t *c, sl_strbuf_t *sb,
                      const sl_value_t *v, const sl_type_t *t, sl_err_t *err)
{
    char buf[SL_TIMESTAMP_STRLEN + 8];
    if (v->null) return 0;
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
    {
        char db[SL_DOUBLE_STRLEN];
        int n = sl_double_format(v->f64, t->id == SL_T_FLOAT, db, sizeof db);
        if (n < 0) return sl_err_set(err, SL_EINTERNAL, "bad FLOAT value");
        return sl_strbuf_append(sb, db, (size_t)n);
    }
    case SL_T_CHAR: case SL_T_VARCHAR:
        return sl_strbuf_append(sb, v->str, v->len);
    case SL_T_BINARY: case SL_T_VARBINARY:
        return sl_format_base64(sb, v->str, v->len);
    case SL_T_DATE: {
        int n = sl_date_format(v->date, buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "DATE out of range");
        return sl_strbuf_append(sb, buf, (size_t)n);
    }
    case SL_T_TIME: {
        int n = sl_format_time_text(v->time, buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "TIME out of range");
        return sl_strbuf_append(sb, buf, (size_t)n);
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        int n = sl_format_timestamp_text(v->ts, ' ', t->id == SL_T_TIMESTAMP_LTZ,
                                         buf, sizeof buf);
        if (n < 0) return sl_err_set(err, SL_ERANGE, "TIMESTAMP out of range");
        return sl_strbuf_append(sb, buf, (size_t)n);
    }
    case SL_T_ARRAY: case SL_T_ROW: {
        for (int i = 0; v->nested && i < v->nested->n; i++) {
            if (i) sl_strbuf_append(sb, c->elem_delim, c->elem_len);
            const sl_type_t *et = t->id == SL_T_ROW ? t->fields[i].type : t->elem;
            int rc = value_text(c, sb, &v->nested->v[i], et, err);
            if (rc < 0) return rc;
        }
        return 0;
    }
    default:
        return sl_err_set(err, SL_EUNSUPPORTED, "type not supported by CSV");
    }
}

static bool needs_quotes(const csv_format_t *c, const char *s, size_t n)
{
    if (n == 0) return true;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return true;
    if (s[0] == '#') return true;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == c->delim || ch == c->quote || ch == c->escape || ch == '\n' ||
            ch == '\r')
            return true;
    }
    return false;
}

static int put_field(const csv_format_t *c, sl_strbuf_t *sb, const char *s,
                     size_t n)
{
    if (c->quote < 0 || !needs_quotes(c, s, n)) {
        if (c->escape < 0) return sl_strbuf_append(sb, s, n);
        for (size_t i = 0; i < n; i++) {
            int ch = (unsigned char)s[i];
            if (ch == c->delim || ch == c->escape || ch == '\n' || ch == '\r')
                sl_strbuf_putc(sb, (char)c->escape);
            sl_strbuf_putc(sb, s[i]);
        }
        return 0;
    }
    sl_strbuf_putc(sb, (char)c->quote);
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == c->quote || (c->escape >= 0 && ch == c->escape))
            sl_strbuf_putc(sb, c->escape >= 0 ? (char)c->escape : (char)c->quote);
        sl_strbuf_putc(sb, s[i]);
    }
    return sl_strbuf_putc(sb, (char)c->quote);
}

static int csv_encode(sl_format_t *f, const sl_value_t *row, int kind,
                      sl_strbuf_t *sb, sl_err_t *err)
{
    csv_format_t *c = f->cfg;
    if (kind != SL_INSERT)
        return sl_err_set(err, SL_EUNSUPPORTED,
                          "format 'csv' writes only inserts, got a %s row "
                          "(use 'debezium-json' or 'canal-json' for changelogs)",
                          sl_row_kind_str(kind));
    size_t mark = sb->len;
    int rc = 0;
    for (int k = 0; k < f->ncols && rc == 0; k++) {
        if (k) sl_strbuf_putc(sb, (char)c->delim);
        if (row[k].null) {
            if (c->null_literal) sl_strbuf_append(sb, c->null_literal, c->null_len);
            continue;
        }
        sl_strbuf_clear(&c->tmp);
        rc = value_text(c, &c->tmp, &row[k], f->types[k], err);
        if (rc == 0) rc = put_field(c, sb, c->tmp.buf ? c->tmp.buf : "", c->tmp.len);
    }
    if (rc == 0) rc = sl_strbuf_putc(sb, '\n');
    if (rc < 0) {
        sb->len = mark;
        if (sb->buf) sb->buf[mark] = 0;
    }
    return rc;
}

static void csv_destroy(sl_format_t *f)
{
    csv_format_t *c = f->cfg;
    if (!c) return;
    sl_strbuf_destroy(&c->tmp);
    free(c);
    f->cfg = NULL;
}

static const sl_format_ops_t csv_ops = {
    .name = "csv",
    .changelog = false,
    .record_len = csv_record_len,
    .decode = csv_decode,
    .encode = csv_encode,
    .destroy = csv_destroy,
};

/* ---- options ---- */

static int opt_error(sl_err_t *err, const sl_optval_t *v, const char *fmt,
                     const char *arg)
{
    int off = v && v->src ? v->src->val_off : -1;
    int len = v && v->src ? v->src->val_len : 0;
    return sl_err_at(err, SL_EINVAL, off, len, fmt, arg);
}

static int char_option(const sl_options_t *opts, const char *key, int def,
                       int *out, sl_err_t *err)
{
    const sl_optval_t *v = sl_options_get(opts, key);
    *out = def;
    if (!v) return 0;
    int ch = sl_format_option_char(v->text);
    if (ch < 0)
        return opt_error(err, v, "option '%s' must be a single character", key);
    *out = ch;
    return 0;
}

static int check_csv_type(const char *col, const sl_type_t *t, bool nested,
                          sl_err_t *err)
{
    switch (t->id) {
    case SL_T_ARRAY: case SL_T_ROW:
        if (nested) break;
        if (t->id == SL_T_ARRAY) return check_csv_type(col, t->elem, true, err);
        for (int i = 0; i < t->nfields; i++) {
            int rc = check_csv_type(col, t->fields[i].type, true, err);
            if (rc < 0) return rc;
        }
        return 0;
    case SL_T_MAP: case SL_T_MULTISET: case SL_T_RAW: case SL_T_NULL:
    case SL_T_SYMBOL: case SL_T_DESCRIPTOR: case SL_T_TABLE:
        break;
    default:
        return 0;
    }
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_type_format(&sb, t);
    int rc = sl_err_set(err, SL_EUNSUPPORTED,
                        "column '%s': type %s is not supported by the CSV format",
                        col, sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return rc;
}

int sl_csv_format_new(sl_format_t *f, const sl_options_t *opts, sl_err_t *err)
{
    for (int k = 0; k < f->ncols; k++) {
        int rc = check_csv_type(f->names[k], f->types[k], false, err);
        if (rc < 0) return rc;
    }
    csv_format_t *c = calloc(1, sizeof *c);
    if (!c) return sl_err_set(err, SL_ENOMEM, "out of memory");
    f->cfg = c;
    f->ops = &csv_ops;
    int rc = char_option(opts, "csv.field-delimiter", ',', &c->delim, err);
    if (rc == 0) rc = char_option(opts, "csv.quote-character", '"', &c->quote, err);
    if (rc == 0) rc = char_option(opts, "csv.escape-character", -1, &c->escape, err);
    if (rc < 0) return rc;
    const sl_optval_t *dv = sl_options_get(opts, "csv.field-delimiter");
    if (c->delim == '\n' || c->delim == '\r')
        return opt_error(err, dv, "option '%s' cannot be a line break",
                         "csv.field-delimiter");
    const sl_optval_t *dq = sl_options_get(opts, "csv.disable-quote-character");
    const sl_optval_t *qv = sl_options_get(opts, "csv.quote-character");
    if (dq && dq->i) {
        if (qv && qv->src)
            return sl_err_at(err, SL_EINVAL, qv->src->key_off, qv->src->key_len,
                             "'csv.quote-character' cannot be set when "
                             "'csv.disable-quote-character' is true");
        c->quote = -1;
    }
    if (c->quote >= 0 && c->quote == c->delim)
        return opt_error(err, qv && qv->src ? qv : dv,
                         "the quote character and the field delimiter must "
                         "differ%s", "");
    c->allow_comments = sl_options_int(opts, "csv.allow-comments", 0) != 0;
    f->ignore_parse_errors = sl_options_int(opts, "csv.ignore-parse-errors", 0) != 0;
    const sl_optval_t *nl = sl_options_get(opts, "csv.null-literal");
    if (nl) {
        c->null_literal = nl->text;
        c->null_len = strlen(nl->text);
    }
    const sl_optval_t *ed = sl_options_get(opts, "csv.array-element-delimiter");
    c->elem_delim = ed ? ed->text : ";";
    c->elem_len = strlen(c->elem_delim);
    if (c->elem_len == 0)
        return opt_error(err, ed, "option '%s' cannot be empty",
                         "csv.array-element-delimiter");
    return 0;
}
