/* debezium.c - the 'debezium-json' changelog format.
 *
 * Reads Debezium change events, one JSON object per line:
 *   {"before": {...} | null, "after": {...} | null, "op": "c|r|u|d", ...}
 * optionally inside the Kafka Connect envelope {"schema": ..., "payload":
 * {...}} ('debezium-json.schema-include'; the envelope is recognised either
 * way, so a file mixing both reads fine). Row kinds, as Flink maps them:
 *   c, r  ->  +I after
 *   u     ->  -U before, +U after
 *   d     ->  -D before
 * A null line or a null payload (a Kafka tombstone) yields no row.
 *
 * Writes one event per row, as Flink's DebeziumJsonSerializationSchema:
 *   +I, +U  ->  {"before":null,"after":{...},"op":"c"}
 *   -U, -D  ->  {"before":{...},"after":null,"op":"d"}
 * (an update becomes a delete and an insert; no schema envelope is written).
 */
#include <stdlib.h>
#include <string.h>

#include "connectors/formats/format.h"
#include "connectors/formats/json.h"

typedef struct dbz_format {
    sl_json_cfg_t cfg;
} dbz_format_t;

static bool blank(const char **rec, size_t *n)
{
    while (*n > 0 && ((*rec)[*n - 1] == '\n' || (*rec)[*n - 1] == '\r' ||
                      (*rec)[*n - 1] == ' ' || (*rec)[*n - 1] == '\t'))
        (*n)--;
    while (*n > 0 && (**rec == ' ' || **rec == '\t')) { (*rec)++; (*n)--; }
    return *n == 0;
}

static int add_row(sl_format_t *f, const sl_json_t *obj, int kind,
                   const char *which, sl_batch_t *out, sl_err_t *err)
{
    dbz_format_t *d = f->cfg;
    sl_value_t *row = sl_batch_add(out, kind);
    if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
    int rc = sl_json_decode_row(&d->cfg, obj, f->ncols, f->names, f->types, row,
                                &out->arena, err);
    if (rc < 0 && rc != -SL_ENOMEM) {
        char msg[SL_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        sl_err_set(err, -rc, "\"%s\": %s", which, msg);
    }
    return rc;
}

static int dbz_event(sl_format_t *f, const sl_json_t *root, sl_batch_t *out,
                     sl_err_t *err)
{
    if (root->type == SL_JSON_NULL) return 0;
    if (root->type != SL_JSON_OBJECT)
        return sl_err_set(err, SL_EFORMAT, "expected a JSON object");
    const sl_json_t *msg = root;
    const sl_json_t *payload = sl_json_get(root, "payload");
    if (payload && !sl_json_get(root, "op")) {
        if (payload->type == SL_JSON_NULL) return 0;    /* tombstone */
        msg = payload;
    }
    const sl_json_t *op = sl_json_get(msg, "op");
    if (!op || op->type != SL_JSON_STRING)
        return sl_err_set(err, SL_EFORMAT,
                          "not a Debezium event: no \"op\" field%s",
                          payload ? "" : " (if the events carry a schema, set "
                                         "'debezium-json.schema-include' = 'true')");
    const sl_json_t *before = sl_json_get(msg, "before");
    const sl_json_t *after = sl_json_get(msg, "after");
    bool has_before = before && before->type == SL_JSON_OBJECT;
    bool has_after = after && after->type == SL_JSON_OBJECT;
    if (op->n == 1 && (op->s[0] == 'c' || op->s[0] == 'r')) {
        if (!has_after)
            return sl_err_set(err, SL_EFORMAT, "the \"after\" field of a '%c' "
                              "event is null", op->s[0]);
        int rc = add_row(f, after, SL_INSERT, "after", out, err);
        return rc < 0 ? rc : 1;
    }
    if (op->n == 1 && op->s[0] == 'u') {
        if (!has_before)
            return sl_err_set(err, SL_EFORMAT,
                              "the \"before\" field of an update event is null; "
                              "the source must log full rows (MySQL "
                              "binlog_row_image=FULL, PostgreSQL REPLICA "
                              "IDENTITY FULL)");
        if (!has_after)
            return sl_err_set(err, SL_EFORMAT,
                              "the \"after\" field of an update event is null");
        int rc = add_row(f, before, SL_UPDATE_BEFORE, "before", out, err);
        if (rc == 0) rc = add_row(f, after, SL_UPDATE_AFTER, "after", out, err);
        return rc < 0 ? rc : 2;
    }
    if (op->n == 1 && op->s[0] == 'd') {
        if (!has_before)
            return sl_err_set(err, SL_EFORMAT,
                              "the \"before\" field of a delete event is null; "
                              "the source must log full rows (MySQL "
                              "binlog_row_image=FULL, PostgreSQL REPLICA "
                              "IDENTITY FULL)");
        int rc = add_row(f, before, SL_DELETE, "before", out, err);
        return rc < 0 ? rc : 1;
    }
    return sl_err_set(err, SL_EFORMAT, "unknown \"op\" value \"%.*s\"",
                      (int)(op->n > 32 ? 32 : op->n), op->s);
}

static int dbz_decode(sl_format_t *f, const char *rec, size_t n,
                      sl_batch_t *out, sl_err_t *err)
{
    if (blank(&rec, &n)) return 0;
    sl_arena_reset(&f->scratch);
    sl_json_t *root;
    int before = out->nrows;
    int rc = sl_json_parse(rec, n, &f->scratch, &root, err);
    if (rc == 0) rc = dbz_event(f, root, out, err);
    if (rc < 0) {
        sl_format_rollback(out, before);
        if (rc != -SL_ENOMEM && f->ignore_parse_errors) return 0;
        return rc;
    }
    return rc;
}

static int dbz_encode(sl_format_t *f, const sl_value_t *row, int kind,
                      sl_strbuf_t *sb, sl_err_t *err)
{
    dbz_format_t *d = f->cfg;
    size_t mark = sb->len;
    bool add = sl_row_kind_is_add(kind);
    int rc;
    if (add) {
        sl_strbuf_puts(sb, "{\"before\":null,\"after\":");
        rc = sl_json_encode_row(&d->cfg, sb, row, f->ncols, f->names, f->types, err);
        if (rc == 0) rc = sl_strbuf_puts(sb, ",\"op\":\"c\"}\n");
    } else {
        sl_strbuf_puts(sb, "{\"before\":");
        rc = sl_json_encode_row(&d->cfg, sb, row, f->ncols, f->names, f->types, err);
        if (rc == 0) rc = sl_strbuf_puts(sb, ",\"after\":null,\"op\":\"d\"}\n");
    }
    if (rc < 0) {
        sb->len = mark;
        if (sb->buf) sb->buf[mark] = 0;
    }
    return rc;
}

static const sl_format_ops_t dbz_ops = {
    .name = "debezium-json",
    .changelog = true,
    .record_len = sl_format_line_len,
    .decode = dbz_decode,
    .encode = dbz_encode,
};

int sl_debezium_format_new(sl_format_t *f, const sl_options_t *opts,
                           sl_err_t *err)
{
    int rc = sl_json_check_types(f->ncols, f->names, f->types, err);
    if (rc < 0) return rc;
    dbz_format_t *d = calloc(1, sizeof *d);
    if (!d) return sl_err_set(err, SL_ENOMEM, "out of memory");
    sl_json_cfg_from_options(&d->cfg, "debezium-json", opts);
    f->cfg = d;
    f->ops = &dbz_ops;
    f->ignore_parse_errors =
        sl_options_int(opts, "debezium-json.ignore-parse-errors", 0) != 0;
    return 0;
}
