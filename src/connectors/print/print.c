/* print.c - the 'print' sink: every row as a line on stdout or stderr.
 *
 * Lines are what Flink's print connector writes: the external Row's
 * toString(), so "+I[1, abc, 10.00, 2020-01-01T12:00, null, true]"
 * (java.time toString for dates and times, BigDecimal.toString, Java's
 * Double.toString, byte arrays as [1, -2]), prefixed "<identifier>> " when
 * 'print-identifier' is set (Flink adds ":<subtask>" only with parallelism
 * > 1, which sluice never has). This is deliberately not the SQL client's
 * rendering of sl_value_format(SL_FMT_PRINT). Every row kind is accepted.
 *
 * Runs on the loop thread: a batch is rendered into one buffer and written
 * with as few write() calls as the kernel allows, so lines of concurrent
 * writers (logs) never interleave within a batch's line.
 */
#include "connectors/print/print.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/formats/format.h"
#include "util/strbuf.h"

static const sl_option_spec_t print_options[] = {
    {"print-identifier", SL_OPT_STRING, false, NULL, NULL,
     "prefix of each line: '<identifier>> '"},
    {"standard-error", SL_OPT_BOOL, false, "false", NULL,
     "print to stderr instead of stdout"},
    {"sink.parallelism", SL_OPT_INT, false, NULL, NULL,
     "accepted; a sink runs on the loop thread"},
    {NULL, 0, false, NULL, NULL, NULL},
};

typedef struct print_sink {
    int fd;                    /* 1 or 2 */
    char *prefix;              /* "id> " or "" (heap) */
    int ncols;
    const sl_type_t *const *types;
    sl_strbuf_t buf;           /* one batch's text */
} print_sink_t;

/* ---- Java's toString of Flink's external classes ---- */

static int put_value(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t);

/* LocalTime.toString: HH:mm, then :ss when seconds or nanos are set, then
 * the fraction in groups of three digits. */
static int put_local_time(sl_strbuf_t *sb, sl_time_t t)
{
    int64_t sec = t / 1000000000LL, nano = t % 1000000000LL;
    sl_strbuf_printf(sb, "%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
    if (sec % 60 == 0 && nano == 0) return 0;
    sl_strbuf_printf(sb, ":%02d", (int)(sec % 60));
    if (nano == 0) return 0;
    if (nano % 1000000 == 0) return sl_strbuf_printf(sb, ".%03d", (int)(nano / 1000000));
    if (nano % 1000 == 0) return sl_strbuf_printf(sb, ".%06d", (int)(nano / 1000));
    return sl_strbuf_printf(sb, ".%09d", (int)nano);
}

static int put_date(sl_strbuf_t *sb, sl_date_t d)
{
    char buf[SL_DATE_STRLEN + 8];
    int n = sl_date_format(d, buf, sizeof buf);
    if (n < 0) return n;
    return sl_strbuf_append(sb, buf, (size_t)n);
}

/* BigDecimal.toString: plain unless the adjusted exponent is below -6. */
static int put_big_decimal(sl_strbuf_t *sb, __int128 unscaled, int scale)
{
    char digits[48];
    int nd = 0;
    unsigned __int128 u = unscaled < 0 ? -(unsigned __int128)unscaled
                                       : (unsigned __int128)unscaled;
    do {
        digits[nd++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    int adjusted = nd - 1 - scale;
    if (unscaled < 0) sl_strbuf_putc(sb, '-');
    if (adjusted >= -6) {
        if (scale >= nd) {
            sl_strbuf_puts(sb, "0.");
            for (int i = 0; i < scale - nd; i++) sl_strbuf_putc(sb, '0');
            for (int i = nd - 1; i >= 0; i--) sl_strbuf_putc(sb, digits[i]);
            return 0;
        }
        for (int i = nd - 1; i >= 0; i--) {
            sl_strbuf_putc(sb, digits[i]);
            if (i == scale && i > 0) sl_strbuf_putc(sb, '.');
        }
        return 0;
    }
    sl_strbuf_putc(sb, digits[nd - 1]);
    if (nd > 1) {
        sl_strbuf_putc(sb, '.');
        for (int i = nd - 2; i >= 0; i--) sl_strbuf_putc(sb, digits[i]);
    }
    return sl_strbuf_printf(sb, "E%d", adjusted);
}

/* Period.toString of a normalized year-month interval: P1Y2M, P0D. */
static int put_period(sl_strbuf_t *sb, int64_t months)
{
    if (months == 0) return sl_strbuf_puts(sb, "P0D");
    sl_strbuf_putc(sb, 'P');
    if (months / 12) sl_strbuf_printf(sb, "%lldY", (long long)(months / 12));
    if (months % 12) sl_strbuf_printf(sb, "%lldM", (long long)(months % 12));
    return 0;
}

/* Duration.toString of milliseconds: PT8H6M12.345S, PT0S. */
static int put_duration(sl_strbuf_t *sb, int64_t ms)
{
    if (ms == 0) return sl_strbuf_puts(sb, "PT0S");
    const char *sign = ms < 0 ? "-" : "";
    uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
    uint64_t h = a / 3600000, m = a / 60000 % 60, s = a / 1000 % 60, f = a % 1000;
    sl_strbuf_puts(sb, "PT");
    if (h) sl_strbuf_printf(sb, "%s%lluH", sign, (unsigned long long)h);
    if (m) sl_strbuf_printf(sb, "%s%lluM", sign, (unsigned long long)m);
    if (s || f) {
        sl_strbuf_printf(sb, "%s%llu", sign, (unsigned long long)s);
        if (f) {
            char fb[8];
            snprintf(fb, sizeof fb, ".%03u", (unsigned)f);
            size_t l = strlen(fb);
            while (fb[l - 1] == '0') l--;
            sl_strbuf_append(sb, fb, l);
        }
        sl_strbuf_putc(sb, 'S');
    }
    return 0;
}

static int put_value(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t)
{
    if (v->null) return sl_strbuf_puts(sb, "null");
    switch (t->id) {
    case SL_T_BOOLEAN:
        return sl_strbuf_puts(sb, v->b ? "true" : "false");
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
        return sl_strbuf_printf(sb, "%lld", (long long)v->i64);
    case SL_T_DECIMAL:
        return put_big_decimal(sb, v->dec, t->scale);
    case SL_T_FLOAT: case SL_T_DOUBLE: {
        char buf[SL_DOUBLE_STRLEN];
        int n = sl_double_format(v->f64, t->id == SL_T_FLOAT, buf, sizeof buf);
        if (n < 0) return n;
        return sl_strbuf_append(sb, buf, (size_t)n);
    }
    case SL_T_CHAR: case SL_T_VARCHAR:
        return sl_strbuf_append(sb, v->str, v->len);
    case SL_T_BINARY: case SL_T_VARBINARY:
        /* Arrays.toString(byte[]): signed bytes */
        sl_strbuf_putc(sb, '[');
        for (uint32_t i = 0; i < v->len; i++)
            sl_strbuf_printf(sb, "%s%d", i ? ", " : "", (int)(signed char)v->str[i]);
        return sl_strbuf_putc(sb, ']');
    case SL_T_DATE:
        return put_date(sb, v->date);
    case SL_T_TIME:
        return put_local_time(sb, v->time);
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        /* LocalDateTime.toString / Instant.toString (seconds always, 'Z') */
        int rc = put_date(sb, sl_timestamp_date(v->ts));
        if (rc < 0) return rc;
        sl_strbuf_putc(sb, 'T');
        sl_time_t tm = sl_timestamp_time(v->ts);
        if (t->id == SL_T_TIMESTAMP) return put_local_time(sb, tm);
        int64_t sec = tm / 1000000000LL, nano = tm % 1000000000LL;
        sl_strbuf_printf(sb, "%02d:%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60),
                         (int)(sec % 60));
        if (nano % 1000000 == 0 && nano) sl_strbuf_printf(sb, ".%03d", (int)(nano / 1000000));
        else if (nano % 1000 == 0 && nano) sl_strbuf_printf(sb, ".%06d", (int)(nano / 1000));
        else if (nano) sl_strbuf_printf(sb, ".%09d", (int)nano);
        return sl_strbuf_putc(sb, 'Z');
    }
    case SL_T_INTERVAL_YM:
        return put_period(sb, v->i64);
    case SL_T_INTERVAL_DT:
        return put_duration(sb, v->i64);
    case SL_T_ARRAY: {
        sl_strbuf_putc(sb, '[');
        for (int i = 0; v->nested && i < v->nested->n; i++) {
            if (i) sl_strbuf_puts(sb, ", ");
            int rc = put_value(sb, &v->nested->v[i], t->elem);
            if (rc < 0) return rc;
        }
        return sl_strbuf_putc(sb, ']');
    }
    case SL_T_MAP: case SL_T_MULTISET: {
        /* java.util.Map.toString, in stored order */
        int n = v->nested ? v->nested->n : 0;
        const sl_type_t *kt = t->id == SL_T_MAP ? t->key : t->elem;
        sl_strbuf_putc(sb, '{');
        for (int i = 0; i < n; i++) {
            if (i) sl_strbuf_puts(sb, ", ");
            int rc = put_value(sb, &v->nested->v[i], kt);
            if (rc == 0) rc = sl_strbuf_putc(sb, '=');
            if (rc == 0) rc = put_value(sb, &v->nested->v[n + i],
                                        t->id == SL_T_MAP ? t->elem : &sl_type_int);
            if (rc < 0) return rc;
        }
        return sl_strbuf_putc(sb, '}');
    }
    case SL_T_ROW: {
        /* a nested Row prints with its kind too */
        sl_strbuf_puts(sb, "+I[");
        for (int i = 0; v->nested && i < v->nested->n && i < t->nfields; i++) {
            if (i) sl_strbuf_puts(sb, ", ");
            int rc = put_value(sb, &v->nested->v[i], t->fields[i].type);
            if (rc < 0) return rc;
        }
        return sl_strbuf_putc(sb, ']');
    }
    default:
        return sl_value_format(sb, v, t, SL_FMT_PRINT);
    }
}

static int render_row(print_sink_t *p, const sl_value_t *row, int kind)
{
    sl_strbuf_t *sb = &p->buf;
    sl_strbuf_puts(sb, p->prefix);
    sl_strbuf_puts(sb, sl_row_kind_str(kind));
    sl_strbuf_putc(sb, '[');
    for (int c = 0; c < p->ncols; c++) {
        if (c) sl_strbuf_puts(sb, ", ");
        int rc = put_value(sb, &row[c], p->types[c]);
        if (rc < 0) return rc;
    }
    return sl_strbuf_puts(sb, "]\n");
}

static int print_write(sl_sink_t *snk, const sl_batch_t *b, sl_err_t *err)
{
    print_sink_t *p = snk->ctx;
    sl_strbuf_clear(&p->buf);
    for (int r = 0; r < b->nrows; r++) {
        int rc = render_row(p, sl_batch_row(b, r), b->kinds[r]);
        if (rc < 0)
            return sl_err_set(err, -rc, "print: cannot format a row: %s",
                              sl_err_str(rc));
    }
    if (p->buf.len == 0) return 0;
    int rc = sl_write_full(p->fd, p->buf.buf, p->buf.len);
    if (rc < 0)
        return sl_err_set(err, SL_EIO, "print: cannot write to %s: %s",
                          p->fd == 2 ? "stderr" : "stdout", strerror(-rc));
    return 0;
}

static int print_flush(sl_sink_t *snk, sl_err_t *err)
{
    (void)snk;
    (void)err;
    return 0;       /* every batch was written whole by write() */
}

static void print_close(sl_sink_t *snk)
{
    print_sink_t *p = snk->ctx;
    if (!p) return;
    sl_strbuf_destroy(&p->buf);
    free(p->prefix);
    free(p);
    snk->ctx = NULL;
}

static const sl_sink_ops_t print_sink_ops = {
    .write = print_write,
    .flush = print_flush,
    .close = print_close,
};

static int print_sink_new(const sl_conn_ctx_t *ctx, sl_sink_t *out,
                          sl_err_t *err)
{
    print_sink_t *p = calloc(1, sizeof *p);
    if (!p) return sl_err_set(err, SL_ENOMEM, "out of memory");
    const char *id = sl_options_str(ctx->opts, "print-identifier", NULL);
    size_t n = id ? strlen(id) : 0;
    p->prefix = malloc(n + 3);
    if (!p->prefix) {
        free(p);
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    }
    if (n) snprintf(p->prefix, n + 3, "%s> ", id);
    else p->prefix[0] = 0;
    p->fd = sl_options_int(ctx->opts, "standard-error", 0) ? STDERR_FILENO
                                                           : STDOUT_FILENO;
    p->ncols = ctx->ncols;
    p->types = ctx->types;
    sl_strbuf_init(&p->buf);
    out->ops = &print_sink_ops;
    out->ctx = p;
    out->upsert = false;
    out->changelog = true;
    out->flush_on_checkpoint = true;
    return 0;
}

const sl_connector_type_t sl_print_connector = {
    .name = "print",
    .roles = SL_CONN_SINK,
    .options = print_options,
    .validate = NULL,
    .source_new = NULL,
    .sink_new = print_sink_new,
};
