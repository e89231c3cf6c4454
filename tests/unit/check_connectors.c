/* check_connectors.c - unit tests for the connector registry, option
 * checking (connectors/options.c), and the datagen, print, blackhole and
 * filesystem connectors. Files live in a fresh temporary directory per
 * test; print output is captured by pointing stdout/stderr at a file. */
#include "connectors/blackhole/blackhole.h"
#include "connectors/connector.h"
#include "exec/batch.h"
#include "exec/value.h"
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- tables: a schema, given options, and the connector context ---- */

#define MAXCOLS 16
#define MAXOPTS 24

typedef struct table {
    sl_arena_t a;
    int n;
    const char *names[MAXCOLS];
    const sl_type_t *types[MAXCOLS];
    sl_list_t given;           /* sl_option_t* */
    sl_options_t opts;
    sl_conn_ctx_t ctx;
    const sl_connector_type_t *ct;
} table_t;

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
    static const struct { const char *w; int id; } simple[] = {
        {"TIMESTAMP_LTZ", SL_T_TIMESTAMP_LTZ}, {"TIMESTAMP", SL_T_TIMESTAMP},
        {"TINYINT", SL_T_TINYINT}, {"SMALLINT", SL_T_SMALLINT}, {"INT", SL_T_INT},
        {"BIGINT", SL_T_BIGINT}, {"BOOLEAN", SL_T_BOOLEAN}, {"VARCHAR", SL_T_VARCHAR},
        {"CHAR", SL_T_CHAR}, {"VARBINARY", SL_T_VARBINARY}, {"BINARY", SL_T_BINARY},
        {"DECIMAL", SL_T_DECIMAL}, {"DOUBLE", SL_T_DOUBLE}, {"FLOAT", SL_T_FLOAT},
        {"DATE", SL_T_DATE}, {"TIME", SL_T_TIME}, {"ARRAY", SL_T_ARRAY},
        {"MAP", SL_T_MAP}, {"ROW", SL_T_ROW},
    };
    skip_sp(p);
    if (word(p, "STRING")) return &sl_type_string;
    if (word(p, "BYTES")) return &sl_type_bytes;
    sl_type_t *t = NULL;
    for (size_t i = 0; !t && i < sizeof simple / sizeof simple[0]; i++)
        if (word(p, simple[i].w)) t = sl_type_new(a, simple[i].id);
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

static void table_init(table_t *t, const char *conn, const char *schema)
{
    memset(t, 0, sizeof *t);
    sl_arena_init(&t->a, 0);
    const char *p = schema;
    while (*p) {
        skip_sp(&p);
        const char *st = p;
        while (*p != ' ') p++;
        t->names[t->n] = sl_arena_strndup(&t->a, st, (size_t)(p - st));
        t->types[t->n] = parse_type(&t->a, &p);
        t->n++;
        skip_sp(&p);
        if (*p == ',') p++;
    }
    t->ct = sl_connector_find(conn);
    ck_assert_msg(t->ct != NULL, "no connector '%s'", conn);
}

/* Option i: key at SQL offset 100 * (i + 1), value at 100 * (i + 1) + 50. */
static void table_opt(table_t *t, const char *k, const char *v)
{
    sl_option_t *o = sl_arena_calloc(&t->a, sizeof *o);
    int i = t->given.n;
    o->key = sl_arena_strdup(&t->a, k);
    o->value = sl_arena_strdup(&t->a, v);
    o->key_off = 100 * (i + 1);
    o->key_len = (int)strlen(k) + 2;
    o->val_off = 100 * (i + 1) + 50;
    o->val_len = (int)strlen(v) + 2;
    sl_list_push(&t->a, &t->given, o);
}

/* Options from "k=v" strings ... NULL. */
static void table_opts(table_t *t, const char *const *kv)
{
    for (int i = 0; kv && kv[i]; i++) {
        const char *eq = strchr(kv[i], '=');
        ck_assert(eq != NULL);
        char *k = sl_arena_strndup(&t->a, kv[i], (size_t)(eq - kv[i]));
        table_opt(t, k, eq + 1);
    }
}

/* sl_options_check and the type's validate(), as the planner calls them. */
static int table_check(table_t *t, sl_err_t *err)
{
    sl_err_clear(err);
    int rc = sl_options_check(t->ct, &t->given, t->n, t->names, &t->a, &t->opts, err);
    if (rc < 0) return rc;
    t->ctx = (sl_conn_ctx_t){
        .table = "default_catalog.default_database.t",
        .ncols = t->n,
        .names = t->names,
        .types = t->types,
        .opts = &t->opts,
        .job_name = "test",
        .arena = &t->a,
    };
    if (t->ct->validate) rc = t->ct->validate(&t->ctx, err);
    return rc;
}

static void table_destroy(table_t *t)
{
    sl_arena_destroy(&t->a);
}

static char *render_row(sl_arena_t *a, const sl_batch_t *b, int r,
                        const sl_type_t *const *types)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_printf(&sb, "%s[", sl_row_kind_str(b->kinds[r]));
    for (int c = 0; c < b->ncols; c++) {
        if (c) sl_strbuf_puts(&sb, ", ");
        sl_value_format(&sb, &sl_batch_row(b, r)[c], types[c], SL_FMT_CAST);
    }
    sl_strbuf_putc(&sb, ']');
    char *s = sl_arena_strdup(a, sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return s;
}

/* ---- registry ---- */

START_TEST(test_registry)
{
    static const char *const names[] = {"datagen", "print", "blackhole", "filesystem",
                                        "mysql-cdc", "jdbc", "elasticsearch-7",
                                        "elasticsearch-6", "sluice-collect"};
    for (size_t i = 0; i < 9; i++) {
        const sl_connector_type_t *ct = sl_connector_find(names[i]);
        ck_assert_ptr_nonnull(ct);
        ck_assert_str_eq(ct->name, names[i]);
        ck_assert_ptr_eq(sl_connector_at((int)i), ct);
        ck_assert_ptr_nonnull(ct->options);
    }
    ck_assert_ptr_null(sl_connector_at(9));
    ck_assert(sl_connector_find("mysql-cdc")->changelog);
    ck_assert_ptr_nonnull(sl_connector_find("mysql-cdc")->metadata);
    ck_assert_ptr_null(sl_connector_at(-1));
    ck_assert_ptr_null(sl_connector_find("Datagen"));   /* case-sensitive */
    ck_assert_ptr_null(sl_connector_find("kafka"));
    ck_assert_ptr_null(sl_connector_find(NULL));
    ck_assert(sl_connector_find("datagen")->roles == SL_CONN_SOURCE);
    ck_assert(sl_connector_find("print")->roles == SL_CONN_SINK);
    ck_assert(sl_connector_find("filesystem")->roles ==
              (SL_CONN_SOURCE | SL_CONN_SINK | SL_CONN_LOOKUP));
    ck_assert_ptr_nonnull(sl_connector_find("filesystem")->lookup_new);
}
END_TEST

/* ---- option checking ---- */

typedef struct opt_error_case {
    const char *conn;
    const char *schema;
    const char *opts[6];
    const char *error;         /* exact message */
    int off, len;              /* expected position */
} opt_error_case_t;

static const opt_error_case_t opt_errors[] = {
    {"datagen", "id INT", {"rows-per-sec=5", NULL},
     "unsupported option 'rows-per-sec' for connector 'datagen'; supported options: "
     "number-of-rows, rows-per-second, scan.parallelism, fields.#.kind, fields.#.min, "
     "fields.#.max, fields.#.max-past, fields.#.length, fields.#.var-len, fields.#.start, "
     "fields.#.end, fields.#.null-rate", 100, 14},
    {"datagen", "id INT", {"rows-per-second=abc", NULL},
     "option 'rows-per-second' expects an integer, got 'abc'", 150, 5},
    {"datagen", "id INT", {"number-of-rows=1e3", NULL},
     "option 'number-of-rows' expects an integer, got '1e3'", 150, 5},
    {"datagen", "id INT", {"number-of-rows=99999999999999999999", NULL},
     "option 'number-of-rows' expects an integer, got '99999999999999999999'", 150, 22},
    {"datagen", "id INT, name STRING", {"number-of-rows=1", "fields.nme.kind=random", NULL},
     "option 'fields.nme.kind' refers to column 'nme', which the table does not have "
     "(columns: id, name)", 200, 17},
    {"datagen", "id INT", {"fields.id.kind=seq", NULL},
     "option 'fields.id.kind' expects one of 'random', 'sequence', got 'seq'", 150, 5},
    {"datagen", "id INT", {"fields.id.null-rate=x", NULL},
     "option 'fields.id.null-rate' expects a number, got 'x'", 150, 3},
    {"datagen", "id INT", {"fields.id.kind=random", "fields.id.kind=sequence", NULL},
     "option 'fields.id.kind' is given more than once", 200, 16},
    {"print", "id INT", {"standard-error=yes", NULL},
     "option 'standard-error' expects a boolean (true or false), got 'yes'", 150, 5},
    {"print", "id INT", {"identifier=x", NULL},
     "unsupported option 'identifier' for connector 'print'; supported options: "
     "print-identifier, standard-error, sink.parallelism", 100, 12},
    {"blackhole", "id INT", {"foo=bar", NULL},
     "unsupported option 'foo' for connector 'blackhole'; it takes no options besides "
     "'connector'", 100, 5},
    {"filesystem", "id INT", {"format=csv", NULL},
     "missing required option 'path' for connector 'filesystem'", -1, 0},
    {"filesystem", "id INT", {"path=/tmp/x", "format=xml", NULL},
     "option 'format' expects one of csv, json, debezium-json, canal-json, got 'xml'",
     250, 5},
    {"filesystem", "id INT", {"path=/tmp/x", "format=CSV", NULL},
     "option 'format' expects one of csv, json, debezium-json, canal-json, got 'CSV'",
     250, 5},
    {"filesystem", "id INT", {"path=/tmp/x", "format=csv", "sink.rolling-policy.file-size=2 parsecs", NULL},
     "option 'sink.rolling-policy.file-size' expects a memory size such as '64 kb', '2 mb' or "
     "'1 gb', got '2 parsecs'", 350, 11},
    {"filesystem", "id INT", {"path=/tmp/x", "format=csv", "sink.rolling-policy.rollover-interval=1.5s", NULL},
     "option 'sink.rolling-policy.rollover-interval' expects a duration such as '10 s', "
     "'500 ms', '2 min' or '1 h', got '1.5s'", 350, 6},
    {"filesystem", "id INT", {"path=/tmp/x", "format=csv", "sink.paralelism=2", NULL},
     "unsupported option 'sink.paralelism' for connector 'filesystem'; supported sink.* "
     "options: sink.rolling-policy.file-size, sink.rolling-policy.rollover-interval, "
     "sink.rolling-policy.check-interval, sink.rolling-policy.inactivity-interval, "
     "sink.shuffle-by-partition.enable, sink.parallelism", 300, 17},
    {"filesystem", "id INT", {"path=/tmp/x", "format=csv", "scan.foo=1", NULL},
     "unsupported option 'scan.foo' for connector 'filesystem'; supported options: path, "
     "format, source.monitor-interval, partition.default-name, sink.*, auto-compaction, "
     "compaction.file-size, lookup.join.cache.ttl, csv.*, json.*, debezium-json.*, "
     "canal-json.*", 300, 10},
    {"filesystem", "id INT", {"path=hdfs://nn:8020/data", "format=csv", NULL},
     "option 'path': only local files are supported ('hdfs://' is not a file:// URI)",
     150, 21},
    {"filesystem", "id INT", {"path=/tmp/x", "format=csv", "source.monitor-interval=1 min", NULL},
     "option 'source.monitor-interval' (a continuously monitoring source) is not supported; "
     "the filesystem source reads its files once", 300, 25},
};

START_TEST(test_option_errors)
{
    const opt_error_case_t *c = &opt_errors[_i];
    table_t t;
    table_init(&t, c->conn, c->schema);
    table_opt(&t, "connector", c->conn);
    table_opts(&t, c->opts);
    /* shift: the 'connector' option is option 0 */
    sl_err_t err;
    int rc = table_check(&t, &err);
    ck_assert_msg(rc < 0, "case %d: no error", _i);
    ck_assert_msg(strcmp(err.msg, c->error) == 0, "case %d:\n got: %s\nwant: %s", _i,
                  err.msg, c->error);
    int off = c->off < 0 ? -1 : c->off + 100;
    ck_assert_msg(err.off == off && err.len == c->len, "case %d: at %d+%d, want %d+%d",
                  _i, err.off, err.len, off, c->len);
    table_destroy(&t);
}
END_TEST

/* A made-up connector type covering every option type, and secrets. */
static const sl_option_spec_t test_specs[] = {
    {"i", SL_OPT_INT, false, "-5", NULL, ""},
    {"b", SL_OPT_BOOL, false, "TRUE", NULL, ""},
    {"d", SL_OPT_DOUBLE, false, "0.25", NULL, ""},
    {"dur", SL_OPT_DURATION, false, "1 min", NULL, ""},
    {"mem", SL_OPT_MEMSIZE, false, "2mb", NULL, ""},
    {"e", SL_OPT_ENUM, false, "b", "a|b|c", ""},
    {"s", SL_OPT_STRING, false, NULL, NULL, ""},
    {"password", SL_OPT_INT, false, NULL, NULL, ""},
    {"sink.token", SL_OPT_DURATION, false, NULL, NULL, ""},
    {"properties.*", SL_OPT_STRING, false, NULL, NULL, ""},
    {"req", SL_OPT_STRING, true, NULL, NULL, ""},
    {NULL, 0, false, NULL, NULL, NULL},
};
static const sl_connector_type_t test_type = {.name = "test", .options = test_specs};

static int check_test_opts(table_t *t, const char *const *kv, sl_err_t *err)
{
    memset(t, 0, sizeof *t);
    sl_arena_init(&t->a, 0);
    t->ct = &test_type;
    table_opt(t, "req", "x");
    table_opts(t, kv);
    return sl_options_check(&test_type, &t->given, 0, NULL, &t->a, &t->opts, err);
}

START_TEST(test_option_values)
{
    static const struct { const char *key, *text; int64_t want; } cases[] = {
        {"dur", "10 s", 10000}, {"dur", "10s", 10000}, {"dur", "1 min", 60000},
        {"dur", "2h", 7200000}, {"dur", "500 ms", 500}, {"dur", "100", 100},
        {"dur", "1d", 86400000}, {"dur", "3 mins", 180000}, {"dur", "7 SECONDS", 7000},
        {"dur", " 1 hour ", 3600000}, {"dur", "1500 us", 1}, {"dur", "5 ns", 0},
        {"dur", "2 m", 120000}, {"dur", "1 day", 86400000},
        {"mem", "2mb", 2 << 20}, {"mem", "64 kb", 64 << 10}, {"mem", "100", 100},
        {"mem", "1g", 1 << 30}, {"mem", "10 bytes", 10}, {"mem", "3 MB", 3 << 20},
        {"mem", "1 tb", 1LL << 40}, {"mem", "7 k", 7 << 10},
        {"i", "42", 42}, {"i", " -9223372036854775808 ", INT64_MIN}, {"i", "+7", 7},
        {"b", "true", 1}, {"b", "FALSE", 0}, {"b", "True", 1},
        {"e", "A", 0}, {"e", "c", 2},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        table_t t;
        sl_err_t err;
        char kv[128];
        snprintf(kv, sizeof kv, "%s=%s", cases[k].key, cases[k].text);
        const char *opts[] = {kv, NULL};
        int rc = check_test_opts(&t, opts, &err);
        ck_assert_msg(rc == 0, "%s: %s", kv, err.msg);
        const sl_optval_t *v = sl_options_get(&t.opts, cases[k].key);
        ck_assert_ptr_nonnull(v);
        ck_assert_msg(v->i == cases[k].want, "%s: %lld, want %lld", kv, (long long)v->i,
                      (long long)cases[k].want);
        ck_assert_ptr_nonnull(v->src);
        ck_assert_str_eq(v->text, cases[k].text);
        table_destroy(&t);
    }
    static const char *const bad[] = {
        "dur=1.5s", "dur=-1s", "dur=10 parsecs", "dur=", "dur=s", "dur=99999999999999999 d",
        "mem=1 xb", "mem=-1", "mem=1.5mb", "mem=99999999999 tb", "i=", "i=1 2", "i=0x10",
        "b=1", "b=yes", "d=abc", "d=nan", "d=1e999", "e=d",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        table_t t;
        sl_err_t err;
        const char *opts[] = {bad[k], NULL};
        int rc = check_test_opts(&t, opts, &err);
        ck_assert_msg(rc == -SL_EINVAL, "'%s' accepted", bad[k]);
        ck_assert_int_eq(err.off, 250);
        table_destroy(&t);
    }
}
END_TEST

START_TEST(test_option_credentials)
{
    char dir[] = "/tmp/sluice-cred-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/db-pass", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("s3cr3t\n", f);
    fclose(f);
    setenv("CREDENTIALS_DIRECTORY", dir, 1);
    table_t t;
    sl_err_t err;
    const char *opts[] = {"s=${credential:db-pass}", NULL};
    ck_assert_int_eq(check_test_opts(&t, opts, &err), 0);
    ck_assert_str_eq(sl_options_str(&t.opts, "s", NULL), "s3cr3t");
    table_destroy(&t);
    const char *opts2[] = {"s=user:${credential:db-pass}@host", NULL};
    ck_assert_int_eq(check_test_opts(&t, opts2, &err), 0);
    ck_assert_str_eq(sl_options_str(&t.opts, "s", NULL), "user:s3cr3t@host");
    table_destroy(&t);
    /* missing, malformed, escaping the directory: errors at the value */
    static const char *const bad[] = {"s=${credential:nope}", "s=${credential:../etc/passwd}",
                                      "s=${credential:..}", "s=${credential:x", "s=${credential:}"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *o[] = {bad[k], NULL};
        ck_assert_msg(check_test_opts(&t, o, &err) == -SL_EINVAL, "'%s' accepted", bad[k]);
        ck_assert_int_eq(err.off, 250);
        ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
        table_destroy(&t);
    }
    unsetenv("CREDENTIALS_DIRECTORY");
    ck_assert_int_eq(check_test_opts(&t, opts, &err), -SL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "CREDENTIALS_DIRECTORY"));
    table_destroy(&t);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_option_defaults)
{
    table_t t;
    sl_err_t err;
    const char *opts[] = {"properties.bootstrap.servers=h:9092", "d=1.5", NULL};
    ck_assert_int_eq(check_test_opts(&t, opts, &err), 0);
    /* given options first, then the defaults of the rest */
    ck_assert_str_eq(t.opts.v[0].key, "req");
    ck_assert_str_eq(t.opts.v[1].key, "properties.bootstrap.servers");
    ck_assert_str_eq(sl_options_str(&t.opts, "properties.bootstrap.servers", NULL), "h:9092");
    ck_assert(sl_options_get(&t.opts, "d")->d == 1.5);
    const sl_optval_t *v = sl_options_get(&t.opts, "i");
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_null(v->src);
    ck_assert_int_eq(v->i, -5);
    ck_assert_int_eq(sl_options_int(&t.opts, "b", 0), 1);
    ck_assert_int_eq(sl_options_int(&t.opts, "dur", 0), 60000);
    ck_assert_int_eq(sl_options_int(&t.opts, "mem", 0), 2 << 20);
    ck_assert_int_eq(sl_options_int(&t.opts, "e", -1), 1);
    ck_assert_ptr_null(sl_options_get(&t.opts, "s"));          /* no default */
    ck_assert_str_eq(sl_options_str(&t.opts, "s", "dflt"), "dflt");
    ck_assert_int_eq(sl_options_int(&t.opts, "password", 77), 77);
    ck_assert_ptr_null(sl_options_get(&t.opts, "properties.*"));
    table_destroy(&t);

    /* datagen: rows-per-second defaults to 10000, number-of-rows has none */
    table_init(&t, "datagen", "id INT");
    table_opt(&t, "connector", "datagen");
    ck_assert_int_eq(table_check(&t, &err), 0);
    ck_assert_int_eq(sl_options_int(&t.opts, "rows-per-second", 0), 10000);
    ck_assert_ptr_null(sl_options_get(&t.opts, "number-of-rows"));
    ck_assert_str_eq(sl_options_str(&t.opts, "connector", NULL), "datagen");
    table_destroy(&t);

    /* a required option missing */
    memset(&t, 0, sizeof t);
    sl_arena_init(&t.a, 0);
    ck_assert_int_eq(sl_options_check(&test_type, &t.given, 0, NULL, &t.a, &t.opts, &err),
                     -SL_EINVAL);
    ck_assert_str_eq(err.msg, "missing required option 'req' for connector 'test'");
    ck_assert_int_eq(err.off, -1);
    table_destroy(&t);
}
END_TEST

START_TEST(test_option_secrets)
{
    static const char *const cases[] = {"password=hunter2", "sink.token=hunter2"};
    for (int k = 0; k < 2; k++) {
        table_t t;
        sl_err_t err;
        const char *opts[] = {cases[k], NULL};
        ck_assert_int_eq(check_test_opts(&t, opts, &err), -SL_EINVAL);
        ck_assert_msg(strstr(err.msg, "hunter2") == NULL, "secret printed: %s", err.msg);
        ck_assert_msg(strstr(err.msg, "value not shown") != NULL, "%s", err.msg);
        ck_assert_int_eq(err.off, 250);   /* still points at the value */
        table_destroy(&t);
    }
    /* and an unknown secret key prints the key only */
    table_t t;
    sl_err_t err;
    table_init(&t, "print", "id INT");
    table_opt(&t, "password", "hunter2");
    ck_assert_int_lt(table_check(&t, &err), 0);
    ck_assert(strstr(err.msg, "hunter2") == NULL);
    table_destroy(&t);
}
END_TEST

/* ---- datagen ---- */

/* Runs a source to its end (at most limit rows), keeping every rendered
 * row. Returns the row count. */
static int drain_source(table_t *t, sl_source_t *src, int max_rows, int limit,
                        char ***rows_out)
{
    sl_batch_t b;
    sl_batch_init(&b, t->n, max_rows);
    char **rows = sl_arena_calloc(&t->a, sizeof *rows * (size_t)(limit + 1));
    int n = 0, idle = 0;
    for (;;) {
        sl_batch_reset(&b);
        sl_err_t err;
        int rc = src->ops->next(src, &b, max_rows, &err);
        ck_assert_msg(rc >= 0, "next: %s", err.msg);
        if (rc == SL_SOURCE_END) {
            ck_assert_int_eq(b.nrows, 0);
            break;
        }
        ck_assert_int_le(b.nrows, max_rows);
        idle = b.nrows ? 0 : idle + 1;
        ck_assert_msg(idle < 1000, "source idles forever");
        for (int r = 0; r < b.nrows; r++) {
            ck_assert_msg(n < limit, "more than %d rows", limit);
            rows[n++] = render_row(&t->a, &b, r, t->types);
        }
    }
    sl_batch_destroy(&b);
    if (rows_out) *rows_out = rows;
    return n;
}

static void make_source(table_t *t, sl_source_t *src)
{
    sl_err_t err;
    ck_assert_msg(table_check(t, &err) == 0, "check: %s", err.msg);
    memset(src, 0, sizeof *src);
    ck_assert_msg(t->ct->source_new(&t->ctx, src, &err) == 0, "source: %s", err.msg);
}

START_TEST(test_datagen_bounded)
{
    table_t t;
    table_init(&t, "datagen",
               "id INT, s STRING, v VARCHAR(5), c CHAR(3), d DECIMAL(6, 2), b BOOLEAN, "
               "f DOUBLE, dt DATE, tm TIME(3), ts TIMESTAMP(3), l TIMESTAMP_LTZ(3), "
               "by BYTES, a ARRAY<INT>, m MAP<STRING, INT>, r ROW<x INT, y STRING>, "
               "ti TINYINT");
    table_opts(&t, (const char *[]){"connector=datagen", "number-of-rows=2500",
                                    "rows-per-second=10000000", "fields.id.min=-3",
                                    "fields.id.max=3", "fields.s.length=7",
                                    "fields.d.min=-1.5", "fields.d.max=1.5",
                                    "fields.ts.max-past=1 h", "fields.a.length=2",
                                    "fields.a.element.min=10", "fields.a.element.max=12",
                                    "fields.r.y.length=1", "fields.f.min=-1",
                                    "fields.f.max=1", NULL});
    sl_source_t src;
    make_source(&t, &src);
    ck_assert(src.bounded);
    sl_batch_t b;
    sl_batch_init(&b, t.n, 1000);
    int total = 0, batches = 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    for (;;) {
        sl_batch_reset(&b);
        sl_err_t err;
        int rc = src.ops->next(&src, &b, 1000, &err);
        ck_assert_int_ge(rc, 0);
        if (rc == SL_SOURCE_END) break;
        batches++;
        for (int r = 0; r < b.nrows; r++) {
            const sl_value_t *row = sl_batch_row(&b, r);
            ck_assert_int_eq(b.kinds[r], SL_INSERT);
            ck_assert(row[0].i64 >= -3 && row[0].i64 <= 3);
            ck_assert_int_eq(row[1].len, 7);
            for (int k = 0; k < 7; k++) ck_assert(strchr("0123456789abcdef", row[1].str[k]));
            ck_assert_int_eq(row[2].len, 5);     /* min(VARCHAR(5), 100) */
            ck_assert_int_eq(row[3].len, 3);     /* CHAR(3) */
            ck_assert(row[4].dec >= -150 && row[4].dec <= 150);
            ck_assert(row[6].f64 >= -1 && row[6].f64 <= 1);
            ck_assert(row[9].ts.millis <= now_ms + 60000 &&
                      row[9].ts.millis >= now_ms - 3600000 - 60000);
            ck_assert_int_eq(row[11].len, 100);
            ck_assert_int_eq(row[12].nested->n, 2);
            for (int k = 0; k < 2; k++)
                ck_assert(row[12].nested->v[k].i64 >= 10 && row[12].nested->v[k].i64 <= 12);
            ck_assert_int_eq(row[13].nested->n, 3);
            ck_assert_int_eq(row[13].nested->v[0].len, 100);
            ck_assert_int_eq(row[14].nested->n, 2);
            ck_assert_int_eq(row[14].nested->v[1].len, 1);
            ck_assert(row[15].i64 >= -128 && row[15].i64 <= 127);
        }
        total += b.nrows;
    }
    ck_assert_int_eq(total, 2500);
    ck_assert_int_ge(batches, 3);
    /* stays ended */
    sl_err_t err;
    ck_assert_int_eq(src.ops->next(&src, &b, 1000, &err), SL_SOURCE_END);
    sl_batch_destroy(&b);
    src.ops->close(&src);
    table_destroy(&t);
}
END_TEST

START_TEST(test_datagen_sequence)
{
    table_t t;
    table_init(&t, "datagen", "id BIGINT, s STRING, d DECIMAL(5, 1), n INT");
    table_opts(&t, (const char *[]){"connector=datagen", "rows-per-second=1000000",
                                    "fields.id.kind=sequence", "fields.id.start=-2",
                                    "fields.id.end=97", "fields.s.kind=sequence",
                                    "fields.s.start=10", "fields.s.end=1000",
                                    "fields.d.kind=sequence", "fields.d.start=5",
                                    "fields.d.end=500", "fields.n.null-rate=1.0", NULL});
    sl_source_t src;
    make_source(&t, &src);
    ck_assert(src.bounded);
    char **rows;
    /* the shortest sequence (id: 100 values) ends the source */
    int n = drain_source(&t, &src, 7, 1000, &rows);
    ck_assert_int_eq(n, 100);
    ck_assert_str_eq(rows[0], "+I[-2, 10, 5.0, NULL]");
    ck_assert_str_eq(rows[1], "+I[-1, 11, 6.0, NULL]");
    ck_assert_str_eq(rows[99], "+I[97, 109, 104.0, NULL]");
    src.ops->close(&src);
    table_destroy(&t);

    /* number-of-rows ends it first; a sequence up to INT64_MAX does not wrap */
    table_init(&t, "datagen", "id BIGINT");
    table_opts(&t, (const char *[]){"connector=datagen", "number-of-rows=3",
                                    "rows-per-second=1000000", "fields.id.kind=sequence",
                                    "fields.id.start=9223372036854775806",
                                    "fields.id.end=9223372036854775807", NULL});
    make_source(&t, &src);
    n = drain_source(&t, &src, 10, 10, &rows);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(rows[1], "+I[9223372036854775807]");
    src.ops->close(&src);
    table_destroy(&t);
}
END_TEST

START_TEST(test_datagen_nulls_and_determinism)
{
    char *first[2][5];
    for (int run = 0; run < 2; run++) {
        table_t t;
        table_init(&t, "datagen", "a INT, b STRING, c INT");
        table_opts(&t, (const char *[]){"connector=datagen", "number-of-rows=500",
                                        "rows-per-second=1000000", "fields.a.null-rate=1",
                                        "fields.b.length=4", "fields.c.null-rate=0.5", NULL});
        sl_source_t src;
        make_source(&t, &src);
        char **rows;
        int n = drain_source(&t, &src, 100, 500, &rows);
        ck_assert_int_eq(n, 500);
        int cnull = 0;
        for (int i = 0; i < n; i++) {
            ck_assert_msg(strncmp(rows[i], "+I[NULL, ", 9) == 0, "%s", rows[i]);
            cnull += strstr(rows[i], ", NULL]") != NULL;
        }
        ck_assert_msg(cnull > 150 && cnull < 350, "%d NULLs of 500 at rate 0.5", cnull);
        for (int i = 0; i < 5; i++) first[run][i] = strdup(rows[i]);
        src.ops->close(&src);
        table_destroy(&t);
    }
    /* the same table yields the same rows */
    for (int i = 0; i < 5; i++) {
        ck_assert_str_eq(first[0][i], first[1][i]);
        free(first[0][i]);
        free(first[1][i]);
    }
}
END_TEST

START_TEST(test_datagen_rate_limit)
{
    /* 60 rows at 200 per second: several sleeps; no timing assertion, it
     * just has to end */
    table_t t;
    table_init(&t, "datagen", "id INT");
    table_opts(&t, (const char *[]){"connector=datagen", "number-of-rows=60",
                                    "rows-per-second=200", NULL});
    sl_source_t src;
    make_source(&t, &src);
    ck_assert_int_eq(drain_source(&t, &src, 1000, 60, NULL), 60);
    src.ops->close(&src);
    table_destroy(&t);

    /* unbounded; wakeup() makes a sleeping next() return */
    table_init(&t, "datagen", "id INT");
    table_opts(&t, (const char *[]){"connector=datagen", "rows-per-second=1", NULL});
    make_source(&t, &src);
    ck_assert(!src.bounded);
    sl_batch_t b;
    sl_batch_init(&b, 1, 16);
    sl_err_t err;
    ck_assert_int_eq(src.ops->next(&src, &b, 16, &err), 0);
    ck_assert_int_eq(b.nrows, 1);            /* the first row is due at once */
    sl_batch_reset(&b);
    src.ops->wakeup(&src);                   /* the next is due in a second */
    ck_assert_int_eq(src.ops->next(&src, &b, 16, &err), 0);
    ck_assert_int_eq(b.nrows, 0);
    sl_batch_destroy(&b);
    src.ops->close(&src);
    table_destroy(&t);
}
END_TEST

static const opt_error_case_t datagen_errors[] = {
    {"datagen", "id INT", {"fields.id.length=5", NULL},
     "option 'fields.id.length' does not apply to its column (wrong type, generator kind or "
     "field path)", 100, 18},
    {"datagen", "s STRING", {"fields.s.min=5", NULL},
     "option 'fields.s.min' does not apply to its column (wrong type, generator kind or "
     "field path)", 100, 14},
    {"datagen", "id INT", {"fields.id.start=5", NULL},
     "option 'fields.id.start' does not apply to its column (wrong type, generator kind or "
     "field path)", 100, 17},
    {"datagen", "id INT", {"fields.id.kind=sequence", "fields.id.start=1", NULL},
     "a sequence needs 'fields.id.start' and 'fields.id.end'", 150, 10},
    {"datagen", "id TINYINT", {"fields.id.kind=sequence", "fields.id.start=1",
                               "fields.id.end=1000", NULL},
     "option 'fields.id.end' expects TINYINT, got '1000'", 350, 6},
    {"datagen", "id INT", {"fields.id.kind=sequence", "fields.id.start=10",
                           "fields.id.end=1", NULL},
     "option 'fields.id.end' (1) is below 'fields.id.start' (10)", 350, 3},
    {"datagen", "d DATE", {"fields.d.kind=sequence", NULL},
     "the sequence generator cannot produce DATE (column 'd'); it supports numbers and "
     "strings", 150, 10},
    {"datagen", "id INT", {"fields.id.min=10", "fields.id.max=1", NULL},
     "'fields.id.min' is greater than 'fields.id.max'", 250, 3},
    {"datagen", "id SMALLINT", {"fields.id.max=40000", NULL},
     "option 'fields.id.max' expects a SMALLINT value, got '40000'", 150, 7},
    {"datagen", "d DECIMAL(4, 2)", {"fields.d.max=100", NULL},
     "option 'fields.d.max' expects a DECIMAL(4, 2) value, got '100'", 150, 5},
    {"datagen", "id INT", {"fields.id.null-rate=1.5", NULL},
     "option 'fields.id.null-rate' must be between 0 and 1, got '1.5'", 150, 5},
    {"datagen", "v VARCHAR(10)", {"fields.v.length=11", NULL},
     "option 'fields.v.length' must be between 0 and the declared length 10 of column 'v'",
     150, 4},
    {"datagen", "c CHAR(10)", {"fields.c.length=5", NULL},
     "option 'fields.c.length' is not supported for the fixed-length type CHAR(10) of "
     "column 'c'", 100, 17},
    {"datagen", "a ARRAY<INT>", {"fields.a.elem.min=1", NULL},
     "option 'fields.a.elem.min' does not apply to its column (wrong type, generator kind "
     "or field path)", 100, 19},
    {"datagen", "id INT", {"rows-per-second=0", NULL},
     "option 'rows-per-second' must be positive, got '0'", 150, 3},
    {"datagen", "id INT", {"number-of-rows=-1", NULL},
     "option 'number-of-rows' cannot be negative, got '-1'", 150, 4},
};

START_TEST(test_datagen_errors)
{
    const opt_error_case_t *c = &datagen_errors[_i];
    table_t t;
    table_init(&t, c->conn, c->schema);
    table_opts(&t, c->opts);
    sl_err_t err;
    ck_assert_msg(table_check(&t, &err) < 0, "case %d: no error", _i);
    ck_assert_msg(strcmp(err.msg, c->error) == 0, "case %d:\n got: %s\nwant: %s", _i,
                  err.msg, c->error);
    ck_assert_msg(err.off == c->off && err.len == c->len, "case %d: at %d+%d, want %d+%d",
                  _i, err.off, err.len, c->off, c->len);
    table_destroy(&t);
}
END_TEST

/* ---- print ---- */

/* Runs fn with fd (1 or 2) redirected to a file; returns what was written. */
static char *capture(int fd, void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/sluice-print-XXXXXX";
    int tmp = mkstemp(path);
    ck_assert_int_ge(tmp, 0);
    fflush(NULL);
    int saved = dup(fd);
    dup2(tmp, fd);
    fn(arg);
    dup2(saved, fd);
    close(saved);
    off_t n = lseek(tmp, 0, SEEK_END);
    char *out = calloc(1, (size_t)n + 1);
    ck_assert_int_eq(pread(tmp, out, (size_t)n, 0), n);
    close(tmp);
    unlink(path);
    return out;
}

typedef struct print_run {
    table_t *t;
    const char *const *rows;   /* "+I" / "-U" ... then values, by make_rows */
} print_run_t;

static void fill_rows(table_t *t, sl_batch_t *b, const char *const *rows)
{
    for (int i = 0; rows[i]; i++) {
        const char *p = rows[i];
        int kind = strncmp(p, "+I", 2) == 0 ? SL_INSERT
                 : strncmp(p, "-U", 2) == 0 ? SL_UPDATE_BEFORE
                 : strncmp(p, "+U", 2) == 0 ? SL_UPDATE_AFTER : SL_DELETE;
        p += 3;
        sl_value_t *row = sl_batch_add(b, kind);
        for (int c = 0; c < t->n; c++) {
            const char *e = strchr(p, '|');
            if (!e) e = p + strlen(p);
            if (e - p == 4 && strncmp(p, "NULL", 4) == 0) {
                row[c] = sl_value_null();
            } else {
                sl_err_t err;
                int rc = sl_value_parse(p, (size_t)(e - p), t->types[c], &row[c], &b->arena,
                                        &err);
                ck_assert_msg(rc == 0, "value '%.*s': %s", (int)(e - p), p, err.msg);
            }
            p = *e ? e + 1 : e;
        }
    }
}

static void print_batch(void *arg)
{
    print_run_t *r = arg;
    sl_sink_t snk = {0};
    sl_err_t err;
    ck_assert_msg(r->t->ct->sink_new(&r->t->ctx, &snk, &err) == 0, "%s", err.msg);
    ck_assert(snk.changelog);
    sl_batch_t b;
    sl_batch_init(&b, r->t->n, 4);
    fill_rows(r->t, &b, r->rows);
    ck_assert_int_eq(snk.ops->write(&snk, &b, &err), 0);
    ck_assert_int_eq(snk.ops->flush(&snk, &err), 0);
    snk.ops->close(&snk);
    sl_batch_destroy(&b);
}

static char *stdout_text;

static void print_to_stdout(void *arg)
{
    stdout_text = capture(1, print_batch, arg);
}

START_TEST(test_print)
{
    static const char *const rows[] = {
        "+I 1|abc|10.5|NULL|true|2020-01-01 12:00:00|2020-01-01 12:00:00.123|12:30:00|aGk=",
        "-U 2|x, y|-0.01|2.5|false|2020-01-01 12:00:01.5|1999-12-31 23:59:59|00:00:00.5|",
        "+U 3||0|1e10|NULL|2020-01-01 00:00:00|2020-01-01 00:00:00|23:59:59|/w==",
        "-D NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL",
        NULL,
    };
    table_t t;
    table_init(&t, "print",
               "id INT, s STRING, amt DECIMAL(10, 2), f DOUBLE, ok BOOLEAN, ts TIMESTAMP(3), "
               "l TIMESTAMP_LTZ(3), tm TIME(3), b BYTES");
    table_opt(&t, "connector", "print");
    sl_err_t err;
    ck_assert_int_eq(table_check(&t, &err), 0);
    print_run_t run = {&t, rows};
    char *out = capture(1, print_batch, &run);
    ck_assert_str_eq(out,
        "+I[1, abc, 10.50, null, true, 2020-01-01T12:00, 2020-01-01T12:00:00.123Z, 12:30, [104, 105]]\n"
        "-U[2, x, y, -0.01, 2.5, false, 2020-01-01T12:00:01.500, 1999-12-31T23:59:59Z, 00:00:00.500, []]\n"
        "+U[3, , 0.00, 1.0E10, null, 2020-01-01T00:00, 2020-01-01T00:00:00Z, 23:59:59, [-1]]\n"
        "-D[null, null, null, null, null, null, null, null, null]\n");
    free(out);
    table_destroy(&t);

    /* identifier prefix, standard error */
    static const char *const one[] = {"+I 7", NULL};
    table_init(&t, "print", "id INT");
    table_opts(&t, (const char *[]){"connector=print", "print-identifier=sink-1",
                                    "standard-error=true", "sink.parallelism=4", NULL});
    ck_assert_int_eq(table_check(&t, &err), 0);
    run = (print_run_t){&t, one};
    out = capture(2, print_batch, &run);
    ck_assert_str_eq(out, "sink-1> +I[7]\n");
    free(out);
    out = capture(2, print_to_stdout, &run);     /* stderr muted */
    ck_assert_str_eq(out, "sink-1> +I[7]\n");
    free(out);
    ck_assert_str_eq(stdout_text, "");
    free(stdout_text);
    table_destroy(&t);
}
END_TEST

START_TEST(test_print_nested_and_decimals)
{
    static const char *const rows[] = {"+I 0.0000001|0.0000000|1", NULL};
    table_t t;
    table_init(&t, "print", "a DECIMAL(10, 7), b DECIMAL(10, 7), c DECIMAL(3, 0)");
    table_opt(&t, "connector", "print");
    sl_err_t err;
    ck_assert_int_eq(table_check(&t, &err), 0);
    print_run_t run = {&t, rows};
    char *out = capture(1, print_batch, &run);
    /* BigDecimal.toString turns scientific below 1E-6 */
    ck_assert_str_eq(out, "+I[1E-7, 0E-7, 1]\n");
    free(out);
    table_destroy(&t);
}
END_TEST

/* ---- blackhole ---- */

START_TEST(test_blackhole)
{
    table_t t;
    table_init(&t, "blackhole", "id INT");
    table_opt(&t, "connector", "blackhole");
    sl_err_t err;
    ck_assert_int_eq(table_check(&t, &err), 0);
    sl_sink_t snk = {0};
    ck_assert_int_eq(t.ct->sink_new(&t.ctx, &snk, &err), 0);
    ck_assert(snk.changelog);
    sl_batch_t b;
    sl_batch_init(&b, 1, 8);
    fill_rows(&t, &b, (const char *[]){"+I 1", "+I 2", "-U 2", "+U 3", "-D 1", NULL});
    for (int i = 0; i < 3; i++) ck_assert_int_eq(snk.ops->write(&snk, &b, &err), 0);
    ck_assert_int_eq(snk.ops->flush(&snk, &err), 0);
    ck_assert_uint_eq(sl_blackhole_count(&snk, -1), 15);
    ck_assert_uint_eq(sl_blackhole_count(&snk, SL_INSERT), 6);
    ck_assert_uint_eq(sl_blackhole_count(&snk, SL_UPDATE_BEFORE), 3);
    ck_assert_uint_eq(sl_blackhole_count(&snk, SL_UPDATE_AFTER), 3);
    ck_assert_uint_eq(sl_blackhole_count(&snk, SL_DELETE), 3);
    snk.ops->close(&snk);
    sl_blackhole_count(NULL, -1);
    sl_batch_destroy(&b);
    table_destroy(&t);
}
END_TEST

/* ---- filesystem ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sluice-fs-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), n);
    fclose(f);
    return s;
}

static void fs_table(table_t *t, const char *schema, const char *path,
                     const char *format, const char *const *extra)
{
    table_init(t, "filesystem", schema);
    table_opt(t, "connector", "filesystem");
    table_opt(t, "path", path);
    table_opt(t, "format", format);
    table_opts(t, extra);
    sl_err_t err;
    ck_assert_msg(table_check(t, &err) == 0, "%s", err.msg);
}

static const char *const fs_schema =
    "id INT, name STRING, amt DECIMAL(14, 2), ts TIMESTAMP(3), ok BOOLEAN";

static const char *const fs_rows[] = {
    "+I 1|Alice|10.50|2020-01-01 12:00:00.123|true",
    "-U 1|Alice|10.50|2020-01-01 12:00:00.123|true",
    "+U 1|Alice, \"the\" 2nd|12345678901.99|2020-01-01 12:00:01|false",
    "-D 2|NULL|NULL|NULL|NULL",
    "+I 3||0.00|1970-01-01 00:00:00|NULL",
    NULL,
};

START_TEST(test_filesystem_round_trip)
{
    static const char *const formats[] = {"csv", "json", "debezium-json", "canal-json"};
    const char *fmt = formats[_i];
    bool changelog = _i >= 2;
    make_tmpdir();
    char path[128];
    snprintf(path, sizeof path, "%s/out.%s", tmpdir, fmt);
    table_t t;
    fs_table(&t, fs_schema, path, fmt, NULL);
    sl_sink_t snk = {0};
    sl_err_t err;
    ck_assert_msg(t.ct->sink_new(&t.ctx, &snk, &err) == 0, "%s", err.msg);
    ck_assert(snk.changelog == changelog);
    ck_assert(!snk.upsert);
    sl_batch_t b;
    sl_batch_init(&b, t.n, 8);
    fill_rows(&t, &b, fs_rows);
    if (!changelog) {
        /* an insert-only format refuses the first retraction */
        ck_assert_int_lt(snk.ops->write(&snk, &b, &err), 0);
        ck_assert_msg(strstr(err.msg, "writes only inserts, got a -U row") != NULL, "%s",
                      err.msg);
        for (int r = 0; r < b.nrows; r++) b.kinds[r] = SL_INSERT;
        snk.ops->close(&snk);
        unlink(path);
        ck_assert_int_eq(t.ct->sink_new(&t.ctx, &snk, &err), 0);
    }
    /* two writes, a flush in between: appends */
    ck_assert_int_eq(snk.ops->write(&snk, &b, &err), 0);
    ck_assert_int_eq(snk.ops->flush(&snk, &err), 0);
    ck_assert_int_eq(snk.ops->write(&snk, &b, &err), 0);
    snk.ops->close(&snk);                    /* close writes what is buffered */

    sl_source_t src = {0};
    ck_assert_msg(t.ct->source_new(&t.ctx, &src, &err) == 0, "%s", err.msg);
    ck_assert(src.bounded);
    char **rows;
    int n = drain_source(&t, &src, 3, 100, &rows);
    src.ops->close(&src);
    ck_assert_int_eq(n, 2 * b.nrows);
    for (int r = 0; r < n; r++) {
        int kind = b.kinds[r % b.nrows];
        /* an update is written as a delete and an insert */
        if (changelog) kind = sl_row_kind_is_add(kind) ? SL_INSERT : SL_DELETE;
        char *want = render_row(&t.a, &b, r % b.nrows, t.types);
        memcpy(want, sl_row_kind_str(kind), 2);
        ck_assert_msg(strcmp(rows[r], want) == 0, "%s row %d:\n got: %s\nwant: %s", fmt, r,
                      rows[r], want);
    }
    sl_batch_destroy(&b);
    table_destroy(&t);
    rm_tmpdir();
}
END_TEST

START_TEST(test_filesystem_directory)
{
    make_tmpdir();
    char sub[128];
    snprintf(sub, sizeof sub, "%s/b-dir", tmpdir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    snprintf(sub, sizeof sub, "%s/_tmp", tmpdir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    write_file("c.csv", "5,e\n");
    write_file("a.csv", "1,a\n2,b");
    write_file("b-dir/x.csv", "3,c\n\n4,d\n");
    write_file(".hidden.csv", "99,hidden\n");
    write_file("_tmp/y.csv", "98,hidden\n");
    write_file("_SUCCESS", "");
    write_file("empty.csv", "");
    table_t t;
    char uri[128];
    snprintf(uri, sizeof uri, "file://%s", tmpdir);     /* a file:// URI works too */
    fs_table(&t, "id INT, s STRING", uri, "csv", NULL);
    sl_source_t src = {0};
    sl_err_t err;
    ck_assert_int_eq(t.ct->source_new(&t.ctx, &src, &err), 0);
    char **rows;
    ck_assert_int_eq(drain_source(&t, &src, 2, 100, &rows), 5);
    ck_assert_str_eq(rows[0], "+I[1, a]");
    ck_assert_str_eq(rows[1], "+I[2, b]");
    ck_assert_str_eq(rows[2], "+I[3, c]");
    ck_assert_str_eq(rows[3], "+I[4, d]");
    ck_assert_str_eq(rows[4], "+I[5, e]");
    src.ops->close(&src);
    table_destroy(&t);

    /* a sink on a directory writes part-0-0 inside it; a path ending in '/'
     * is created */
    char dir[160];
    snprintf(dir, sizeof dir, "%s/new/out/", tmpdir);
    fs_table(&t, "id INT", dir, "json", NULL);
    sl_sink_t snk = {0};
    ck_assert_msg(t.ct->sink_new(&t.ctx, &snk, &err) == 0, "%s", err.msg);
    sl_batch_t b;
    sl_batch_init(&b, 1, 2);
    fill_rows(&t, &b, (const char *[]){"+I 1", "+I 2", NULL});
    ck_assert_int_eq(snk.ops->write(&snk, &b, &err), 0);
    ck_assert_int_eq(snk.ops->flush(&snk, &err), 0);
    char part[200];
    snprintf(part, sizeof part, "%spart-0-0", dir);
    char *text = read_file(part);
    ck_assert_str_eq(text, "{\"id\":1}\n{\"id\":2}\n");
    free(text);
    snk.ops->close(&snk);
    sl_batch_destroy(&b);
    table_destroy(&t);
    rm_tmpdir();
}
END_TEST

START_TEST(test_filesystem_errors)
{
    make_tmpdir();
    write_file("bad.csv", "1,a\n2,b\n\"3\nx\",c\nz,d\n");
    char path[128];
    snprintf(path, sizeof path, "%s/bad.csv", tmpdir);
    table_t t;
    fs_table(&t, "id INT, s STRING", path, "csv", NULL);
    sl_source_t src = {0};
    sl_err_t err;
    ck_assert_int_eq(t.ct->source_new(&t.ctx, &src, &err), 0);
    sl_batch_t b;
    sl_batch_init(&b, 2, 16);
    int rc = src.ops->next(&src, &b, 16, &err);
    ck_assert_int_lt(rc, 0);
    /* the record starting on line 3 spans two lines */
    char want[300];
    snprintf(want, sizeof want,
             "%s:3: cannot parse csv record: column 'id': cannot parse '3\nx' as INT", path);
    ck_assert_str_eq(err.msg, want);
    src.ops->close(&src);
    table_destroy(&t);

    /* ignore-parse-errors: keeps going, line numbers stay right */
    fs_table(&t, "id INT, s STRING", path, "csv",
             (const char *[]){"csv.ignore-parse-errors=true", NULL});
    ck_assert_int_eq(t.ct->source_new(&t.ctx, &src, &err), 0);
    char **rows;
    ck_assert_int_eq(drain_source(&t, &src, 16, 100, &rows), 4);
    ck_assert_str_eq(rows[2], "+I[NULL, c]");
    ck_assert_str_eq(rows[3], "+I[NULL, d]");
    src.ops->close(&src);
    table_destroy(&t);

    write_file("bad.json", "{\"id\":1}\n\n{\"id\":2}\n{\"id\":\"x\"}\n");
    snprintf(path, sizeof path, "%s/bad.json", tmpdir);
    fs_table(&t, "id INT", path, "json", NULL);
    ck_assert_int_eq(t.ct->source_new(&t.ctx, &src, &err), 0);
    sl_batch_reset(&b);
    ck_assert_int_lt(src.ops->next(&src, &b, 16, &err), 0);
    char w2[300];
    snprintf(w2, sizeof w2, "%s:4: cannot parse json record: field 'id': cannot parse 'x' as INT",
             path);
    ck_assert_str_eq(err.msg, w2);
    src.ops->close(&src);
    table_destroy(&t);

    /* a path that does not exist */
    snprintf(path, sizeof path, "%s/nope", tmpdir);
    fs_table(&t, "id INT", path, "csv", NULL);
    ck_assert_int_lt(t.ct->source_new(&t.ctx, &src, &err), 0);
    ck_assert(strstr(err.msg, "cannot read path") != NULL);
    table_destroy(&t);

    /* a sink whose directory does not exist */
    snprintf(path, sizeof path, "%s/nope/x.csv", tmpdir);
    fs_table(&t, "id INT", path, "csv", NULL);
    sl_sink_t snk = {0};
    ck_assert_int_lt(t.ct->sink_new(&t.ctx, &snk, &err), 0);
    ck_assert(strstr(err.msg, "cannot open") != NULL);
    table_destroy(&t);

    /* format options of another format; a type the format cannot hold */
    table_init(&t, "filesystem", "id INT");
    table_opts(&t, (const char *[]){"connector=filesystem", "path=/x", "format=json",
                                    "csv.field-delimiter=;", NULL});
    ck_assert_int_lt(table_check(&t, &err), 0);
    ck_assert_str_eq(err.msg, "option 'csv.field-delimiter' belongs to format 'csv', but "
                              "the table's format is 'json'");
    ck_assert_int_eq(err.off, 400);
    table_destroy(&t);
    table_init(&t, "filesystem", "m MAP<STRING, INT>");
    table_opts(&t, (const char *[]){"connector=filesystem", "path=/x", "format=csv", NULL});
    ck_assert_int_lt(table_check(&t, &err), 0);
    ck_assert(strstr(err.msg, "column 'm'") != NULL);
    table_destroy(&t);
    sl_batch_destroy(&b);
    rm_tmpdir();
}
END_TEST

START_TEST(test_filesystem_large)
{
    /* more than the 64 KiB read buffer, and one record longer than it */
    make_tmpdir();
    char path[128];
    snprintf(path, sizeof path, "%s/big.csv", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 20000; i++) fprintf(f, "%d,row number %d\n", i, i);
    fputs("20000,\"", f);
    for (int i = 0; i < 200000; i++) fputc(i % 1000 == 999 ? '\n' : 'x', f);
    fputs("\"\n20001,end", f);
    fclose(f);
    table_t t;
    fs_table(&t, "id INT, s STRING", path, "csv", NULL);
    sl_source_t src = {0};
    sl_err_t err;
    ck_assert_int_eq(t.ct->source_new(&t.ctx, &src, &err), 0);
    sl_batch_t b;
    sl_batch_init(&b, 2, 1024);
    int n = 0;
    for (;;) {
        sl_batch_reset(&b);
        int rc = src.ops->next(&src, &b, 1024, &err);
        ck_assert_msg(rc >= 0, "%s", err.msg);
        if (rc == SL_SOURCE_END) break;
        for (int r = 0; r < b.nrows; r++, n++) {
            const sl_value_t *row = sl_batch_row(&b, r);
            ck_assert_int_eq(row[0].i64, n);
            if (n == 20000) ck_assert_int_eq(row[1].len, 200000);
            else if (n == 20001) ck_assert(row[1].len == 3 && memcmp(row[1].str, "end", 3) == 0);
            else {
                char want[32];
                snprintf(want, sizeof want, "row number %d", n);
                ck_assert(row[1].len == strlen(want) && memcmp(row[1].str, want, row[1].len) == 0);
            }
        }
    }
    ck_assert_int_eq(n, 20002);
    sl_batch_destroy(&b);
    src.ops->close(&src);
    table_destroy(&t);
    rm_tmpdir();
}
END_TEST

static Suite *connectors_suite(void)
{
    Suite *s = suite_create("connectors");
    TCase *tc = tcase_create("connectors");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_registry);
    tcase_add_loop_test(tc, test_option_errors, 0,
                        (int)(sizeof opt_errors / sizeof opt_errors[0]));
    tcase_add_test(tc, test_option_values);
    tcase_add_test(tc, test_option_defaults);
    tcase_add_test(tc, test_option_credentials);
    tcase_add_test(tc, test_option_secrets);
    tcase_add_test(tc, test_datagen_bounded);
    tcase_add_test(tc, test_datagen_sequence);
    tcase_add_test(tc, test_datagen_nulls_and_determinism);
    tcase_add_test(tc, test_datagen_rate_limit);
    tcase_add_loop_test(tc, test_datagen_errors, 0,
                        (int)(sizeof datagen_errors / sizeof datagen_errors[0]));
    tcase_add_test(tc, test_print);
    tcase_add_test(tc, test_print_nested_and_decimals);
    tcase_add_test(tc, test_blackhole);
    tcase_add_loop_test(tc, test_filesystem_round_trip, 0, 4);
    tcase_add_test(tc, test_filesystem_directory);
    tcase_add_test(tc, test_filesystem_errors);
    tcase_add_test(tc, test_filesystem_large);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(connectors_suite());
}
