/* canal.c - the 'canal-json' changelog format.
 *
 * Reads Canal's JSON messages, one per line:
 *   {"data":[{...},...], "old":[{...},...] | null, "type":"INSERT|UPDATE|DELETE",
 *    "database":"db", "table":"t", "isDdl":false, ...}
 * Each element of "data" is a row. Row kinds, as Flink maps them:
 *   INSERT  ->  +I data[i]
 *   UPDATE  ->  -U before, +U data[i], where before is data[i] with the
 *               fields present in old[i] (the changed ones) taken from old[i]
 *   DELETE  ->  -D data[i]
 * DDL messages ("isDdl": true, or type CREATE) yield no rows. The
 * 'canal-json.database.include' / 'table.include' regular expressions
 * (POSIX extended, matched against the whole name) filter messages.
 *
 * Writes one message per row, as Flink's CanalJsonSerializationSchema:
 *   +I, +U  ->  {"data":[{...}],"type":"INSERT"}
 *   -U, -D  ->  {"data":[{...}],"type":"DELETE"}
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/formats/format.h"
#include "connectors/formats/json.h"

typedef struct canal_format {
    sl_json_cfg_t cfg;
    bool has_db, has_table;
    regex_t db_re, table_re;
} canal_format_t;

static bool blank(const char **rec, size_t *n)
{
    while (*n > 0 && ((*rec)[*n - 1] == '\n' || (*rec)[*n - 1] == '\r' ||
                      (*rec)[*n - 1] == ' ' || (*rec)[*n - 1] == '\t'))
        (*n)--;
    while (*n > 0 && (**rec == ' ' || **rec == '\t')) { (*rec)++; (*n)--; }
    return *n == 0;
}

static bool name_matches(sl_format_t *f, const regex_t *re, const sl_json_t *v)
{
    if (!v || v->type != SL_JSON_STRING) return false;
    char *s = sl_arena_strndup(&f->scratch, v->s, v->n);
    return s && regexec(re, s, 0, NULL, 0) == 0;
}

static bool str_is(const sl_json_t *v, const char *s)
{
    return v && v->type == SL_JSON_STRING && v->n == strlen(s) &&
           memcmp(v->s, s, v->n) == 0;
}

static int decode_into(sl_format_t *f, const sl_json_t *obj, int kind,
                       sl_value_t **row_out, sl_batch_t *out, int idx,
                       sl_err_t *err)
{
    canal_format_t *c = f->cfg;
    if (obj->type != SL_JSON_OBJECT)
        return sl_err_set(err, SL_EFORMAT, "\"data\"[%d] is not an object", idx);
    sl_value_t *row = sl_batch_add(out, kind);
    if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int rc = sl_json_decode_row(&c->cfg, obj, f->ncols, f->names, f->types, row,
                                &out->arena, err);
    if (rc < 0 && rc != -SL_ENOMEM) {
        char msg[SL_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        sl_err_set(err, -rc, "\"data\"[%d]: %s", idx, msg);
    }
    if (row_out) *row_out = row;
    return rc;
}

static int canal_message(sl_format_t *f, const sl_json_t *root, sl_batch_t *out,
                         sl_err_t *err)
{
    canal_format_t *c = f->cfg;
    if (root->type == SL_JSON_NULL) return 0;
    if (root->type != SL_JSON_OBJECT)
        return sl_err_set(err, SL_EFORMAT, "expected a JSON object");
    const sl_json_t *ddl = sl_json_get(root, "isDdl");
    if (ddl && ddl->type == SL_JSON_TRUE) return 0;
    if (c->has_db && !name_matches(f, &c->db_re, sl_json_get(root, "database")))
        return 0;
    if (c->has_table && !name_matches(f, &c->table_re, sl_json_get(root, "table")))
        return 0;
    const sl_json_t *type = sl_json_get(root, "type");
    if (!type || type->type != SL_JSON_STRING)
        return sl_err_set(err, SL_EFORMAT, "not a Canal message: no \"type\" field");
    if (str_is(type, "CREATE")) return 0;
    bool ins = str_is(type, "INSERT"), upd = str_is(type, "UPDATE"),
         del = str_is(type, "DELETE");
    if (!ins && !upd && !del)
        return sl_err_set(err, SL_EFORMAT, "unknown \"type\" value \"%.*s\"",
                          (int)(type->n > 32 ? 32 : type->n), type->s);
    const sl_json_t *data = sl_json_get(root, "data");
    if (!data || data->type != SL_JSON_ARRAY)
        return sl_err_set(err, SL_EFORMAT, "the \"data\" field of a%s %.*s "
                          "message is %s", ins ? "n" : "", (int)type->n, type->s,
                          data ? "not an array" : "missing");
    int added = 0;
    if (!upd) {
        for (uint32_t i = 0; i < data->n; i++) {
            int rc = decode_into(f, &data->items[i], ins ? SL_INSERT : SL_DELETE,
                                 NULL, out, (int)i, err);
            if (rc < 0) return rc;
            added++;
        }
        return added;
    }
    const sl_json_t *old = sl_json_get(root, "old");
    if (!old || old->type != SL_JSON_ARRAY || old->n < data->n)
        return sl_err_set(err, SL_EFORMAT, "the \"old\" field of an UPDATE "
                          "message must hold one object per \"data\" row");
    for (uint32_t i = 0; i < data->n; i++) {
        const sl_json_t *o = &old->items[i];
        if (o->type != SL_JSON_OBJECT)
            return sl_err_set(err, SL_EFORMAT, "\"old\"[%u] is not an object", i);
        sl_value_t *before;
        int rc = decode_into(f, &data->items[i], SL_UPDATE_BEFORE, &before, out,
                             (int)i, err);
        if (rc < 0) return rc;
        /* "old" holds the previous values of the changed fields only */
        for (int k = 0; k < f->ncols; k++) {
            const sl_json_t *fv = sl_json_get(o, f->names[k]);
            if (!fv) continue;
            rc = sl_json_decode_value(&c->cfg, fv, f->types[k], &before[k],
                                      &out->arena, err);
            if (rc < 0) {
                if (rc == -SL_ENOMEM) return rc;
                char msg[SL_ERR_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", err->msg);
                return sl_err_set(err, -rc, "\"old\"[%u]: field '%s': %s", i,
                                  f->names[k], msg);
            }
        }
        rc = decode_into(f, &data->items[i], SL_UPDATE_AFTER, NULL, out, (int)i, err);
        if (rc < 0) return rc;
        added += 2;
    }
    return added;
}

static int canal_decode(sl_format_t *f, const char *rec, size_t n,
                        sl_batch_t *out, sl_err_t *err)
{
    if (blank(&rec, &n)) return 0;
    sl_arena_reset(&f->scratch);
    sl_json_t *root;
    int before = out->nrows;
    int rc = sl_json_parse(rec, n, &f->scratch, &root, err);
    if (rc == 0) rc = canal_message(f, root, out, err);
    if (rc < 0) {
        sl_format_rollback(out, before);
        if (rc != -SL_ENOMEM && f->ignore_parse_errors) return 0;
        return rc;
    }
    return rc;
}

static int canal_encode(sl_format_t *f, const sl_value_t *row, int kind,
                        sl_strbuf_t *sb, sl_err_t *err)
{
    canal_format_t *c = f->cfg;
    size_t mark = sb->len;
    sl_strbuf_puts(sb, "{\"data\":[");
    int rc = sl_json_encode_row(&c->cfg, sb, row, f->ncols, f->names, f->types, err);
    if (rc == 0)
        rc = sl_strbuf_puts(sb, sl_row_kind_is_add(kind) ? "],\"type\":\"INSERT\"}\n"
                                                         : "],\"type\":\"DELETE\"}\n");
    if (rc < 0) {
        sb->len = mark;
        if (sb->buf) sb->buf[mark] = 0;
    }
    return rc;
}

static void canal_destroy(sl_format_t *f)
{
    canal_format_t *c = f->cfg;
    if (!c) return;
    if (c->has_db) regfree(&c->db_re);
    if (c->has_table) regfree(&c->table_re);
    free(c);
    f->cfg = NULL;
}

static const sl_format_ops_t canal_ops = {
    .name = "canal-json",
    .changelog = true,
    .record_len = sl_format_line_len,
    .decode = canal_decode,
    .encode = canal_encode,
    .destroy = canal_destroy,
};

static int compile(const sl_options_t *opts, const char *key, regex_t *re,
                   bool *has, sl_err_t *err)
{
    const sl_optval_t *v = sl_options_get(opts, key);
    if (!v) return 0;
    size_t n = strlen(v->text);
    char *pat = malloc(n + 5);
    if (!pat) return sl_err_set(err, SL_ENOMEM, "out of memory");
    snprintf(pat, n + 5, "^(%s)$", v->text);
    int rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
    free(pat);
    if (rc != 0) {
        char why[128];
        regerror(rc, re, why, sizeof why);
        return sl_err_at(err, SL_EINVAL, v->src ? v->src->val_off : -1,
                         v->src ? v->src->val_len : 0,
                         "option '%s' is not a valid regular expression: %s",
                         key, why);
    }
    *has = true;
    return 0;
}

int sl_canal_format_new(sl_format_t *f, const sl_options_t *opts, sl_err_t *err)
{
    int rc = sl_json_check_types(f->ncols, f->names, f->types, err);
    if (rc < 0) return rc;
    canal_format_t *c = calloc(1, sizeof *c);
    if (!c) return sl_err_set(err, SL_ENOMEM, "out of memory");
    f->cfg = c;
    f->ops = &canal_ops;
    sl_json_cfg_from_options(&c->cfg, "canal-json", opts);
    f->ignore_parse_errors =
        sl_options_int(opts, "canal-json.ignore-parse-errors", 0) != 0;
    rc = compile(opts, "canal-json.database.include", &c->db_re, &c->has_db, err);
    if (rc == 0)
        rc = compile(opts, "canal-json.table.include", &c->table_re, &c->has_table, err);
    return rc;
}
