/* session.c - the engine behind `sluice sql` and `sluice daemon`
 * (session.h).
 *
 * The catalog is kept twice: bound (sl_catalog_t, for checking statements
 * as they are typed) and as text (the DDL of each table and view, in the
 * order it was given). A job is a self-contained SQL script: the catalog's
 * DDL, the session's SET statements and the job's INSERTs. The job's
 * thread parses, binds and plans that script on its own, so a running job
 * shares no memory with the sessions, survives a DROP of its tables, and a
 * daemon restarts it from the text it persisted (home/jobs/<id>/job.sql).
 * Before a job is started its script is planned once on the caller's
 * thread, and an error is reported at the position of the statement the
 * user typed.
 *
 * A bare SELECT is a job too: its rows go to a 'sluice-collect' table
 * (src/connectors/collect/) from which sl_session_fetch reads them.
 *
 * Locking: e->mu guards the catalog, the session list, the job list and
 * every job's status fields; it is released while waiting on a job
 * (STOP JOB, query close) and never held while a job runs.
 */
#include "session/session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "connectors/collect/collect.h"
#include "exec/op.h"
#include "plan/plan.h"
#include "sql/bind.h"
#include "sql/functions.h"
#include "sql/sql.h"
#include "sql/types.h"
#include "util/log.h"

#define HIST_SAMPLES 300       /* throughput history: 10 minutes at 2 s */
#define SAMPLE_MS 2000

enum { J_INITIALIZING = 0, J_RUNNING, J_FINISHED, J_FAILED, J_CANCELED };
static const char *const status_names[] = {"INITIALIZING", "RUNNING", "FINISHED", "FAILED",
                                           "CANCELED"};

/* One table or view of the catalog, as text. */
typedef struct entry {
    char *name;
    bool temporary;
    bool is_view;
    sl_strbuf_t text;          /* its CREATE statement, with a ';' */
    sl_script_t *sc;           /* the script holding its AST */
    int off;                   /* where the statement starts in sc */
} entry_t;

typedef struct sample {
    int64_t t;
    double in_ps, out_ps;
    int64_t lag_ms;
} sample_t;

typedef struct vert {
    char *name;
    const char *kind;
    char *desc;
    int *inputs;
    int ninputs;
} vert_t;

typedef struct job {
    sl_engine_t *e;
    char id[33];
    char *name;
    char *sql;                 /* the job's script */
    char *dir;                 /* home/jobs/<id>, NULL without a home */
    char *state_dir;           /* checkpoints, NULL for none */
    bool is_query;
    sl_collector_t *coll;      /* queries */
    pthread_t thread;
    bool started, joined;
    sl_job_ctl_t ctl;
    int status;                /* J_* */
    bool stopped;              /* ended by STOP JOB */
    bool shutdown;             /* stopped because the engine is going */
    int64_t start_ms, end_ms;
    char *error;
    int64_t restarts;
    vert_t *verts;
    int nverts;
    /* sampler */
    sl_job_snapshot_t prev;
    bool has_prev;
    double *in_ps, *out_ps;    /* per vertex, last sample */
    int64_t *active_ms;        /* per vertex: when rows last came out */
    sample_t hist[HIST_SAMPLES];
    int hhead, hn;
    char *savepoint;           /* the last stop-with-savepoint's path */
    int fetching;              /* sl_session_fetch calls in progress */
} job_t;

typedef struct kvp {
    char *key, *value;
} kvp_t;

struct sl_session {
    sl_engine_t *e;
    char id[16];
    kvp_t *sets;
    int nsets, capsets;
    bool in_set;               /* between BEGIN STATEMENT SET and END */
    sl_strbuf_t set_text;      /* the INSERTs of the open statement set */
    int set_count;
};

struct sl_engine {
    pthread_mutex_t mu;
    pthread_cond_t cv;         /* fetches ending (query close waits) */
    char *home;
    char *name;
    kvp_t *defaults;
    int ndefaults;
    sl_catalog_t *cat;
    entry_t *entries;
    int nentries, capentries;
    sl_script_t **scripts;     /* every script the catalog points into */
    int nscripts, capscripts;
    job_t **jobs;
    int njobs, capjobs;
    sl_session_t **sessions;
    int nsessions, capsessions;
    int next_session, next_query;
    int64_t started_ms;
    pthread_t sampler;
    bool sampler_on, closing;
    pthread_cond_t sampler_cv;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Grows a heap array of elements of size sz to hold one more. */
static int grow(void **items, int n, int *cap, size_t sz)
{
    if (n < *cap) return 0;
    int nc = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, (size_t)nc * sz);
    if (!p) return -SL_ENOMEM;
    *items = p;
    *cap = nc;
    return 0;
}

/* ---- small JSON helpers ---- */

static json_t *msg_result(const char *kind, const char *msg)
{
    return json_pack("{s:s, s:s}", "kind", kind, "message", msg);
}

static json_t *ok_result(void)
{
    return msg_result("ok", "[INFO] Execute statement succeed.");
}

static json_t *error_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *error_plain(const char *fmt, ...)
{
    char buf[SL_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return json_pack("{s:s, s:s, s:s}", "kind", "error", "message", buf, "text", buf);
}

/* An error result from a diagnostic of sc (text with the caret). */
static json_t *error_diag(const sl_script_t *sc, const sl_diag_t *d)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    if (f) {
        sl_diag_print(f, sc, d);
        fclose(f);
    }
    int line = 0, col = 0;
    if (d->off >= 0) sl_script_linecol(sc, d->off, &line, &col);
    if (text && tlen && text[tlen - 1] == '\n') text[tlen - 1] = 0;
    json_t *r = json_pack("{s:s, s:s, s:i, s:i, s:s}", "kind", "error", "message", d->msg,
                          "line", line, "col", col, "text", text ? text : d->msg);
    free(text);
    return r;
}

/* The newest error diagnostic of sc as a result. */
static json_t *error_last(const sl_script_t *sc)
{
    for (int i = sc->diags.n - 1; i >= 0; i--) {
        const sl_diag_t *d = sc->diags.items[i];
        if (d->level == SL_DIAG_ERROR) return error_diag(sc, d);
    }
    return error_plain("%s", sc->nomem ? "out of memory" : "error");
}

/* Records err at its position in sc (or the statement's) and returns it. */
static json_t *error_at(sl_script_t *sc, const sl_stmt_t *st, const sl_err_t *err)
{
    int off = err->off >= 0 ? err->off : st->off;
    int len = err->off >= 0 && err->len > 0 ? err->len : 1;
    sl_script_diag(sc, SL_DIAG_ERROR, err->code ? err->code : SL_EINVAL, off, len, "%s",
                   err->msg);
    return error_last(sc);
}

static json_t *table_result(const char *const *cols, int ncols)
{
    json_t *c = json_array();
    for (int i = 0; i < ncols; i++) json_array_append_new(c, json_string(cols[i]));
    return json_pack("{s:s, s:o, s:[]}", "kind", "table", "columns", c, "rows");
}

static void table_row(json_t *t, int n, ...)
{
    json_t *row = json_array();
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *v = va_arg(ap, const char *);
        json_array_append_new(row, v ? json_string(v) : json_null());
    }
    va_end(ap);
    json_array_append_new(json_object_get(t, "rows"), row);
}

/* ---- files ---- */

/* Writes data to path atomically (a temporary file, fsync, rename). */
static int write_file(const char *path, const char *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -errno;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            return -e;
        }
        off += (size_t)w;
    }
    if (fsync(fd)) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return -e;
    }
    close(fd);
    if (rename(tmp, path)) {
        int e = errno;
        unlink(tmp);
        return -e;
    }
    return 0;
}

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0700) && errno != EEXIST) return -errno;
            *p = '/';
        }
    if (mkdir(buf, 0700) && errno != EEXIST) return -errno;
    return 0;
}

/* home/catalog.sql: the DDL of every table and view that is not
 * TEMPORARY. Caller holds e->mu. */
static void persist_catalog(sl_engine_t *e)
{
    if (!e->home) return;
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_strbuf_puts(&sb, "-- sluice catalog: the tables and views of the daemon, in the order "
                        "they were created. Written by sluice; do not edit while it runs.\n\n");
    for (int i = 0; i < e->nentries; i++)
        if (!e->entries[i].temporary) {
            sl_strbuf_append(&sb, e->entries[i].text.buf, e->entries[i].text.len);
            sl_strbuf_puts(&sb, "\n\n");
        }
    char path[4200];
    snprintf(path, sizeof path, "%s/catalog.sql", e->home);
    int rc = write_file(path, sb.buf ? sb.buf : "", sb.len);
    if (rc) SL_LOG_ERROR("cannot write the catalog to %s: %s", path, strerror(-rc));
    sl_strbuf_destroy(&sb);
}

/* home/jobs/<id>/job.json. Caller holds e->mu. */
static void persist_job(job_t *j)
{
    if (!j->dir || j->is_query) return;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "id", j->id, "name", j->name, "status",
                          status_names[j->status], "start_time", (json_int_t)j->start_ms);
    if (!o) return;
    if (j->error) json_object_set_new(o, "error", json_string(j->error));
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (!text) return;
    char path[4200];
    snprintf(path, sizeof path, "%s/job.json", j->dir);
    int rc = write_file(path, text, strlen(text));
    if (rc) SL_LOG_ERROR("cannot write %s: %s", path, strerror(-rc));
    free(text);
}

/* ---- catalog entries ---- */

static int entry_find(const sl_engine_t *e, const char *name)
{
    for (int i = 0; i < e->nentries; i++)
        if (!strcasecmp(e->entries[i].name, name)) return i;
    return -1;
}

static void entry_remove(sl_engine_t *e, int i)
{
    free(e->entries[i].name);
    sl_strbuf_destroy(&e->entries[i].text);
    memmove(&e->entries[i], &e->entries[i + 1], (size_t)(e->nentries - i - 1) * sizeof *e->entries);
    e->nentries--;
}

static int entry_set(sl_engine_t *e, sl_script_t *sc, const sl_stmt_t *st)
{
    const char *name = st->name.parts[st->name.n - 1].name;
    int i = entry_find(e, name);
    if (i >= 0) entry_remove(e, i);
    if (grow((void **)&e->entries, e->nentries, &e->capentries, sizeof *e->entries))
        return -SL_ENOMEM;
    entry_t *en = &e->entries[e->nentries];
    memset(en, 0, sizeof *en);
    if (!(en->name = strdup(name))) return -SL_ENOMEM;
    en->temporary = st->temporary;
    en->is_view = st->kind == SL_S_CREATE_VIEW;
    en->sc = sc;
    en->off = st->off;
    if (sl_strbuf_append(&en->text, sc->src + st->off, (size_t)st->len) ||
        sl_strbuf_puts(&en->text, ";")) {
        free(en->name);
        sl_strbuf_destroy(&en->text);
        return -SL_ENOMEM;
    }
    e->nentries++;
    return 0;
}

/* Keeps sc alive as long as the engine (the catalog points into it). */
static int keep_script(sl_engine_t *e, sl_script_t *sc)
{
    for (int i = 0; i < e->nscripts; i++)
        if (e->scripts[i] == sc) return 0;
    if (grow((void **)&e->scripts, e->nscripts, &e->capscripts, sizeof *e->scripts))
        return -SL_ENOMEM;
    e->scripts[e->nscripts++] = sc;
    return 0;
}

/* ---- session properties ---- */

static const char *prop_get(const sl_session_t *s, const char *key)
{
    for (int i = s->nsets - 1; i >= 0; i--)
        if (!strcmp(s->sets[i].key, key)) return s->sets[i].value;
    for (int i = 0; i < s->e->ndefaults; i++)
        if (!strcmp(s->e->defaults[i].key, key)) return s->e->defaults[i].value;
    return NULL;
}

static int prop_set(sl_session_t *s, const char *key, const char *value)
{
    for (int i = 0; i < s->nsets; i++)
        if (!strcmp(s->sets[i].key, key)) {
            char *v = strdup(value);
            if (!v) return -SL_ENOMEM;
            free(s->sets[i].value);
            s->sets[i].value = v;
            return 0;
        }
    if (grow((void **)&s->sets, s->nsets, &s->capsets, sizeof *s->sets)) return -SL_ENOMEM;
    kvp_t *p = &s->sets[s->nsets];
    p->key = strdup(key);
    p->value = strdup(value);
    if (!p->key || !p->value) {
        free(p->key);
        free(p->value);
        return -SL_ENOMEM;
    }
    s->nsets++;
    return 0;
}

static void prop_reset(sl_session_t *s, const char *key)
{
    for (int i = 0; i < s->nsets; i++)
        if (!key || !strcmp(s->sets[i].key, key)) {
            free(s->sets[i].key);
            free(s->sets[i].value);
            memmove(&s->sets[i], &s->sets[i + 1], (size_t)(s->nsets - i - 1) * sizeof *s->sets);
            s->nsets--;
            i--;
        }
}

static void sql_quote(sl_strbuf_t *sb, const char *v)
{
    sl_strbuf_puts(sb, "'");
    for (const char *p = v; *p; p++) {
        if (*p == '\'') sl_strbuf_puts(sb, "'");
        sl_strbuf_append(sb, p, 1);
    }
    sl_strbuf_puts(sb, "'");
}

/* The job script's preamble: every table and view, then the properties
 * (engine defaults, then the session's). */
static void compose_preamble(const sl_session_t *s, sl_strbuf_t *sb)
{
    const sl_engine_t *e = s->e;
    for (int i = 0; i < e->nentries; i++) {
        sl_strbuf_append(sb, e->entries[i].text.buf, e->entries[i].text.len);
        sl_strbuf_puts(sb, "\n");
    }
    for (int pass = 0; pass < 2; pass++) {
        const kvp_t *kv = pass ? s->sets : e->defaults;
        int n = pass ? s->nsets : e->ndefaults;
        for (int i = 0; i < n; i++) {
            if (!strncmp(kv[i].key, "sql-client.", 11)) continue;
            sl_strbuf_puts(sb, "SET ");
            sql_quote(sb, kv[i].key);
            sl_strbuf_puts(sb, " = ");
            sql_quote(sb, kv[i].value);
            sl_strbuf_puts(sb, ";\n");
        }
    }
}

/* ---- building a job from its script ---- */

typedef struct built {
    sl_script_t sc;
    bool sc_ok;
    sl_catalog_t *cat;
    sl_plan_t plan;
    bool plan_ok;
} built_t;

static void built_free(built_t *b)
{
    if (b->plan_ok) sl_plan_free(&b->plan);
    if (b->cat) sl_catalog_free(b->cat);
    if (b->sc_ok) sl_script_destroy(&b->sc);
    memset(b, 0, sizeof *b);
}

/* Parses, binds and plans a job's script (as `sluice run` does a file).
 * On failure err holds the first error, err->off its offset in text. */
static int build_job(built_t *b, const char *origin, const char *text, sl_err_t *err)
{
    memset(b, 0, sizeof *b);
    sl_err_clear(err);
    if (sl_script_parse(&b->sc, origin, text, strlen(text)))
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    b->sc_ok = true;
    if (!(b->cat = sl_catalog_new())) return sl_err_set(err, SL_ENOMEM, "out of memory");
    if (!b->sc.nerrors && sl_bind_script(&b->sc, b->cat))
        return sl_err_set(err, SL_ENOMEM, "out of memory");
    if (b->sc.nerrors) {
        for (int i = 0; i < b->sc.diags.n; i++) {
            const sl_diag_t *d = b->sc.diags.items[i];
            if (d->level != SL_DIAG_ERROR) continue;
            sl_err_set(err, d->code ? d->code : SL_EINVAL, "%s", d->msg);
            err->off = d->off;
            err->len = d->len;
            return -err->code;
        }
        return sl_err_set(err, SL_EINVAL, "the job's SQL has errors");
    }
    sl_job_conf_t conf;
    sl_job_conf_init(&conf);
    sl_list_t inserts = {0};
    for (int i = 0; i < b->sc.stmts.n; i++) {
        sl_stmt_t *st = b->sc.stmts.items[i];
        if (st->kind == SL_S_SET && st->key) {
            if (sl_job_conf_set(&conf, st->key, st->value, err)) {
                err->off = st->val_off;
                err->len = st->val_len;
                return -err->code;
            }
        } else if (st->kind == SL_S_RESET && !st->key) {
            sl_job_conf_init(&conf);
        } else if (st->kind == SL_S_INSERT || st->kind == SL_S_STATEMENT_SET) {
            if (sl_list_push(&b->sc.arena, &inserts, st))
                return sl_err_set(err, SL_ENOMEM, "out of memory");
        }
    }
    b->plan_ok = true;
    return sl_plan_build(&b->plan, &b->sc, b->cat, &inserts, &conf, err);
}

/* The text of a job error: position (line:col in its script) and message. */
static char *job_error_text(const built_t *b, const sl_err_t *err)
{
    char buf[SL_ERR_MSG_MAX + 64];
    if (err->off >= 0 && b->sc_ok) {
        int line = 0, col = 0;
        sl_script_linecol(&b->sc, err->off, &line, &col);
        snprintf(buf, sizeof buf, "%s (the job's SQL, line %d, column %d)", err->msg, line, col);
    } else {
        snprintf(buf, sizeof buf, "%s", err->msg);
    }
    return strdup(buf);
}

static const char *vert_kind(int k)
{
    switch (k) {
    case SL_PN_SCAN: return "source";
    case SL_PN_VALUES: return "values";
    case SL_PN_CALC: return "calc";
    case SL_PN_AGG: return "aggregate";
    case SL_PN_JOIN: return "join";
    case SL_PN_UNION: return "union";
    case SL_PN_SINK: return "sink";
    case SL_PN_MATERIALIZE: return "materialize";
    case SL_PN_LOOKUP: return "lookup";
    default: return "operator";
    }
}

static const char *vert_title(int k)
{
    switch (k) {
    case SL_PN_SCAN: return "Source";
    case SL_PN_VALUES: return "Values";
    case SL_PN_CALC: return "Calc";
    case SL_PN_AGG: return "GroupAggregate";
    case SL_PN_JOIN: return "Join";
    case SL_PN_UNION: return "Union";
    case SL_PN_SINK: return "Sink";
    case SL_PN_MATERIALIZE: return "SinkMaterializer";
    case SL_PN_LOOKUP: return "LookupJoin";
    default: return "Operator";
    }
}

/* The operator graph of a plan, for the REST API. Caller holds e->mu. */
static void set_verts(job_t *j, const sl_plan_t *plan)
{
    int n = plan->nodes.n;
    vert_t *v = calloc((size_t)n + 1, sizeof *v);
    double *in = calloc((size_t)n + 1, sizeof *in), *out = calloc((size_t)n + 1, sizeof *out);
    int64_t *act = calloc((size_t)n + 1, sizeof *act);
    if (!v || !in || !out || !act) {
        free(v);
        free(in);
        free(out);
        free(act);
        return;
    }
    for (int i = 0; i < n; i++) {
        const sl_pnode_t *p = plan->nodes.items[i];
        char name[512];
        if ((p->kind == SL_PN_SCAN || p->kind == SL_PN_SINK || p->kind == SL_PN_LOOKUP) && p->table)
            snprintf(name, sizeof name, "%s: %s", vert_title(p->kind), p->table->name);
        else
            snprintf(name, sizeof name, "%s", vert_title(p->kind));
        v[i].name = strdup(name);
        v[i].kind = vert_kind(p->kind);
        v[i].desc = p->desc ? strdup(p->desc) : NULL;
        v[i].inputs = calloc((size_t)p->ninputs + 1, sizeof *v[i].inputs);
        if (v[i].inputs)
            for (int k = 0; k < p->ninputs; k++) {
                int idx = -1;
                for (int m = 0; m < n; m++)
                    if (plan->nodes.items[m] == p->inputs[k]) idx = m;
                v[i].inputs[v[i].ninputs++] = idx;
            }
    }
    for (int i = 0; i < j->nverts; i++) {
        free(j->verts[i].name);
        free(j->verts[i].desc);
        free(j->verts[i].inputs);
    }
    free(j->verts);
    free(j->in_ps);
    free(j->out_ps);
    free(j->active_ms);
    j->verts = v;
    j->nverts = n;
    j->in_ps = in;
    j->out_ps = out;
    j->active_ms = act;
    j->has_prev = false;
}

static void *job_main(void *arg)
{
    job_t *j = arg;
    sl_engine_t *e = j->e;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "job %.8s", j->id);
    sl_log_set_prefix(prefix);
    built_t b;
    sl_err_t err;
    int rc = build_job(&b, prefix, j->sql, &err);
    pthread_mutex_lock(&e->mu);
    if (rc) {
        j->status = J_FAILED;
        j->error = job_error_text(&b, &err);
        j->end_ms = now_ms();
        persist_job(j);
        pthread_mutex_unlock(&e->mu);
        SL_LOG_ERROR("the job cannot start: %s", j->error ? j->error : err.msg);
        if (j->coll) sl_collector_end(j->coll, j->error ? j->error : err.msg);
        built_free(&b);
        sl_log_set_prefix(NULL);
        return NULL;
    }
    set_verts(j, &b.plan);
    j->status = J_RUNNING;
    persist_job(j);
    pthread_mutex_unlock(&e->mu);
    if (!j->is_query) SL_LOG_INFO("job '%s' running", j->name);

    sl_run_opts_t o;
    memset(&o, 0, sizeof o);
    o.no_signals = true;
    o.ctl = &j->ctl;
    o.state_dir = j->state_dir;
    sl_job_stats_t stats;
    memset(&stats, 0, sizeof stats);
    sl_err_clear(&err);
    rc = sl_job_run_restarting(&b.plan, &o, &stats, &err);

    pthread_mutex_lock(&e->mu);
    j->restarts = stats.restarts;
    j->end_ms = now_ms();
    if (j->shutdown) {
        /* The engine is going: the job stays RUNNING on disk and resumes
         * from its checkpoints when the daemon starts again. */
        j->status = J_CANCELED;
    } else if (rc) {
        j->status = J_FAILED;
        j->error = job_error_text(&b, &err);
        persist_job(j);
    } else {
        j->status = stats.canceled ? J_CANCELED : J_FINISHED;
        persist_job(j);
    }
    char *errtext = j->error ? strdup(j->error) : NULL;
    int status = j->status;
    pthread_mutex_unlock(&e->mu);
    if (j->coll) sl_collector_end(j->coll, errtext);
    if (!j->is_query) {
        if (status == J_FAILED) SL_LOG_ERROR("job '%s' failed: %s", j->name, errtext ? errtext : "?");
        else SL_LOG_INFO("job '%s' %s", j->name, j->shutdown ? "stopped for the shutdown" : status_names[status]);
    }
    free(errtext);
    built_free(&b);
    sl_fn_thread_cleanup();
    sl_log_set_prefix(NULL);
    return NULL;
}

static void random_id(char out[33])
{
    unsigned char r[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
    if (fd >= 0) close(fd);
    if (got != (ssize_t)sizeof r) {
        uint64_t x = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)out;
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            r[i] = (unsigned char)(x >> 56);
        }
    }
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static void job_free(job_t *j)
{
    for (int i = 0; i < j->nverts; i++) {
        free(j->verts[i].name);
        free(j->verts[i].desc);
        free(j->verts[i].inputs);
    }
    free(j->verts);
    free(j->in_ps);
    free(j->out_ps);
    free(j->active_ms);
    sl_job_snapshot_free(&j->prev);
    sl_job_ctl_destroy(&j->ctl);
    if (j->coll) sl_collector_free(j->coll);
    free(j->name);
    free(j->sql);
    free(j->dir);
    free(j->state_dir);
    free(j->error);
    free(j->savepoint);
    free(j);
}

/* Creates a job record (status INITIALIZING) and starts its thread.
 * id: a persisted job's id when resuming, else NULL for a new one.
 * Caller holds e->mu. The engine owns the job. */
static job_t *job_start(sl_engine_t *e, const char *id, const char *name, const char *sql,
                        const char *ckpt_dir, bool is_query, sl_collector_t *coll,
                        int64_t start_ms, sl_err_t *err)
{
    job_t *j = calloc(1, sizeof *j);
    if (!j) {
        sl_err_set(err, SL_ENOMEM, "out of memory");
        return NULL;
    }
    j->e = e;
    if (id) snprintf(j->id, sizeof j->id, "%s", id);
    else random_id(j->id);
    sl_job_ctl_init(&j->ctl);
    j->is_query = is_query;
    j->start_ms = start_ms ? start_ms : now_ms();
    j->name = strdup(name);
    j->sql = strdup(sql);
    if (!j->name || !j->sql || grow((void **)&e->jobs, e->njobs, &e->capjobs, sizeof *e->jobs)) {
        job_free(j);
        sl_err_set(err, SL_ENOMEM, "out of memory");
        return NULL;
    }
    char path[4200];
    if (e->home && !is_query) {
        snprintf(path, sizeof path, "%s/jobs/%s", e->home, j->id);
        int rc = mkdirs(path);
        if (rc) {
            job_free(j);
            sl_err_set(err, SL_EIO, "cannot create the job's directory %s: %s", path, strerror(-rc));
            return NULL;
        }
        j->dir = strdup(path);
        snprintf(path, sizeof path, "%s/jobs/%s/state", e->home, j->id);
        j->state_dir = strdup(path);
        snprintf(path, sizeof path, "%s/jobs/%s/job.sql", e->home, j->id);
        if (!j->dir || !j->state_dir || (rc = write_file(path, sql, strlen(sql)))) {
            if (rc) sl_err_set(err, SL_EIO, "cannot write %s: %s", path, strerror(-rc));
            else sl_err_set(err, SL_ENOMEM, "out of memory");
            job_free(j);
            return NULL;
        }
    } else if (ckpt_dir && *ckpt_dir && !is_query) {
        /* Flink's layout: state.checkpoints.dir/<job id>/chk-N */
        const char *d = !strncmp(ckpt_dir, "file://", 7) ? ckpt_dir + 7 : ckpt_dir;
        snprintf(path, sizeof path, "%s/%s", d, j->id);
        if (!(j->state_dir = strdup(path))) {
            job_free(j);
            sl_err_set(err, SL_ENOMEM, "out of memory");
            return NULL;
        }
    }
    j->coll = coll;
    persist_job(j);
    /* The job's threads take no signals: the shell and the daemon handle
     * them on their main thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int prc = pthread_create(&j->thread, NULL, job_main, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (prc) {
        j->coll = NULL; /* the caller still owns it */
        job_free(j);
        sl_err_set(err, SL_EINTERNAL, "cannot start the job's thread");
        return NULL;
    }
    j->started = true;
    e->jobs[e->njobs++] = j;
    return j;
}

static job_t *job_find(sl_engine_t *e, const char *id)
{
    if (!id || !*id) return NULL;
    job_t *found = NULL;
    size_t n = strlen(id);
    for (int i = 0; i < e->njobs; i++) {
        if (!strcmp(e->jobs[i]->id, id)) return e->jobs[i];
        if (n >= 4 && !strncmp(e->jobs[i]->id, id, n)) found = found ? NULL : e->jobs[i];
    }
    return found; /* a unique prefix of at least 4 characters will do */
}

static bool job_alive(const job_t *j)
{
    return j->status == J_INITIALIZING || j->status == J_RUNNING;
}

static const char *job_status(job_t *j)
{
    if (j->status == J_RUNNING) {
        pthread_mutex_lock(&j->ctl.mu);
        bool running = j->ctl.running != NULL;
        pthread_mutex_unlock(&j->ctl.mu);
        if (!running) return "RESTARTING";
    }
    return status_names[j->status];
}

/* ---- the sampler: throughput history of every running job ---- */

static void sample_job(job_t *j, int64_t t)
{
    sl_job_snapshot_t cur;
    if (sl_job_ctl_snapshot(&j->ctl, &cur) || !cur.taken_ms || cur.nops != j->nverts) {
        sl_job_snapshot_free(&cur);
        return;
    }
    double in_ps = 0, out_ps = 0;
    int64_t lag = 0;
    if (j->has_prev && j->prev.nops == cur.nops && cur.taken_ms > j->prev.taken_ms) {
        double dt = (double)(cur.taken_ms - j->prev.taken_ms) / 1000.0;
        for (int i = 0; i < cur.nops; i++) {
            const sl_op_metrics_t *a = &j->prev.ops[i], *b = &cur.ops[i];
            j->in_ps[i] = (double)(b->rows_in - a->rows_in) / dt;
            j->out_ps[i] = (double)(b->rows_out - a->rows_out) / dt;
            if (b->rows_out != a->rows_out) j->active_ms[i] = cur.taken_ms;
            if (!strcmp(j->verts[i].kind, "source")) in_ps += j->out_ps[i];
            if (!strcmp(j->verts[i].kind, "sink")) out_ps += j->in_ps[i];
        }
    }
    for (int i = 0; i < cur.nops; i++)
        if (cur.ops[i].is_source && cur.ops[i].src.last_event_ms > 0) {
            int64_t l = cur.taken_ms - cur.ops[i].src.last_event_ms;
            if (l > lag) lag = l;
        }
    if (j->has_prev) {
        sample_t *s = &j->hist[(j->hhead + j->hn) % HIST_SAMPLES];
        if (j->hn == HIST_SAMPLES) j->hhead = (j->hhead + 1) % HIST_SAMPLES;
        else j->hn++;
        s->t = t;
        s->in_ps = in_ps;
        s->out_ps = out_ps;
        s->lag_ms = lag;
    }
    sl_job_snapshot_free(&j->prev);
    j->prev = cur;
    j->has_prev = true;
}

static void *sampler_main(void *arg)
{
    sl_engine_t *e = arg;
    sl_log_set_prefix("sampler");
    pthread_mutex_lock(&e->mu);
    while (!e->closing) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SAMPLE_MS / 1000;
        pthread_cond_timedwait(&e->sampler_cv, &e->mu, &until);
        if (e->closing) break;
        int64_t t = now_ms();
        for (int i = 0; i < e->njobs; i++)
            if (e->jobs[i]->status == J_RUNNING) sample_job(e->jobs[i], t);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* ---- the engine ---- */

/* Replays home/catalog.sql into the catalog. Caller holds e->mu. */
static void load_catalog(sl_engine_t *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/catalog.sql", e->home);
    sl_strbuf_t text = SL_STRBUF_INIT;
    int rc = sl_cli_read_file(path, &text);
    if (rc) {
        if (rc != -ENOENT) SL_LOG_ERROR("cannot read the catalog %s: %s", path, strerror(-rc));
        sl_strbuf_destroy(&text);
        return;
    }
    sl_script_t *sc = calloc(1, sizeof *sc);
    if (!sc || sl_script_parse(sc, path, text.buf ? text.buf : "", text.len)) {
        free(sc);
        sl_strbuf_destroy(&text);
        return;
    }
    sl_strbuf_destroy(&text);
    int n = 0;
    for (int i = 0; i < sc->stmts.n; i++) {
        sl_stmt_t *st = sc->stmts.items[i];
        int before = sc->nerrors;
        if (sl_bind_stmt(sc, e->cat, st) || sc->nerrors > before) {
            const sl_diag_t *d = sc->diags.items[sc->diags.n - 1];
            int line = 0, col = 0;
            sl_script_linecol(sc, d->off, &line, &col);
            SL_LOG_ERROR("%s:%d:%d: %s (statement skipped)", path, line, col, d->msg);
            continue;
        }
        if ((st->kind == SL_S_CREATE_TABLE || st->kind == SL_S_CREATE_VIEW) && !entry_set(e, sc, st))
            n++;
    }
    if (sc->nerrors)
        for (int i = 0; i < sc->diags.n; i++) {
            const sl_diag_t *d = sc->diags.items[i];
            if (d->level != SL_DIAG_ERROR) continue;
            int line = 0, col = 0;
            sl_script_linecol(sc, d->off, &line, &col);
            SL_LOG_WARN("%s:%d:%d: %s", path, line, col, d->msg);
        }
    if (keep_script(e, sc)) {
        sl_script_destroy(sc);
        free(sc);
    }
    SL_LOG_INFO("catalog: %d tables and views from %s", n, path);
}

static int set_defaults(sl_engine_t *e, const char *const *kv, int npairs)
{
    kvp_t *d = calloc((size_t)npairs + 1, sizeof *d);
    if (!d) return -SL_ENOMEM;
    for (int i = 0; i < npairs; i++) {
        d[i].key = strdup(kv[2 * i]);
        d[i].value = strdup(kv[2 * i + 1] ? kv[2 * i + 1] : "");
        if (!d[i].key || !d[i].value) {
            for (int k = 0; k <= i; k++) {
                free(d[k].key);
                free(d[k].value);
            }
            free(d);
            return -SL_ENOMEM;
        }
    }
    for (int i = 0; i < e->ndefaults; i++) {
        free(e->defaults[i].key);
        free(e->defaults[i].value);
    }
    free(e->defaults);
    e->defaults = d;
    e->ndefaults = npairs;
    return 0;
}

sl_engine_t *sl_engine_new(const sl_engine_opts_t *opts, sl_err_t *err)
{
    sl_engine_t *e = calloc(1, sizeof *e);
    if (!e) {
        sl_err_set(err, SL_ENOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    pthread_cond_init(&e->sampler_cv, NULL);
    e->started_ms = now_ms();
    e->name = strdup(opts && opts->name ? opts->name : "sluice");
    e->cat = sl_catalog_new();
    if (!e->name || !e->cat ||
        (opts && set_defaults(e, opts->defaults, opts->ndefaults))) {
        sl_err_set(err, SL_ENOMEM, "out of memory");
        sl_engine_free(e);
        return NULL;
    }
    if (opts && opts->home) {
        int rc = mkdirs(opts->home);
        char jobs[4200];
        snprintf(jobs, sizeof jobs, "%s/jobs", opts->home);
        if (!rc) rc = mkdirs(jobs);
        if (rc) {
            sl_err_set(err, SL_EIO, "cannot create the home directory %s: %s", opts->home,
                       strerror(-rc));
            sl_engine_free(e);
            return NULL;
        }
        if (access(opts->home, W_OK)) {
            sl_err_set(err, SL_EIO, "the home directory %s is not writable: %s", opts->home,
                       strerror(errno));
            sl_engine_free(e);
            return NULL;
        }
        if (!(e->home = strdup(opts->home))) {
            sl_err_set(err, SL_ENOMEM, "out of memory");
            sl_engine_free(e);
            return NULL;
        }
        pthread_mutex_lock(&e->mu);
        load_catalog(e);
        pthread_mutex_unlock(&e->mu);
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    e->sampler_on = !pthread_create(&e->sampler, NULL, sampler_main, e);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

int sl_engine_resume_jobs(sl_engine_t *e)
{
    if (!e->home) return 0;
    char path[4200];
    snprintf(path, sizeof path, "%s/jobs", e->home);
    DIR *d = opendir(path);
    if (!d) return 0;
    int n = 0;
    struct dirent *de;
    pthread_mutex_lock(&e->mu);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strlen(de->d_name) != 32) continue;
        if (job_find(e, de->d_name)) continue;
        char jp[4400], sp[4400];
        snprintf(jp, sizeof jp, "%s/%s/job.json", path, de->d_name);
        snprintf(sp, sizeof sp, "%s/%s/job.sql", path, de->d_name);
        json_error_t jerr;
        json_t *meta = json_load_file(jp, 0, &jerr);
        if (!meta) {
            SL_LOG_WARN("job %s: cannot read %s: %s", de->d_name, jp, jerr.text);
            continue;
        }
        const char *status = json_string_value(json_object_get(meta, "status"));
        const char *name = json_string_value(json_object_get(meta, "name"));
        json_int_t start = json_integer_value(json_object_get(meta, "start_time"));
        sl_strbuf_t sql = SL_STRBUF_INIT;
        bool resume = status && (!strcmp(status, "RUNNING") || !strcmp(status, "INITIALIZING"));
        int rc = sl_cli_read_file(sp, &sql);
        if (rc) {
            SL_LOG_WARN("job %s: cannot read %s: %s", de->d_name, sp, strerror(-rc));
            resume = false;
        }
        sl_err_t err;
        if (resume) {
            job_t *j = job_start(e, de->d_name, name ? name : de->d_name, sql.buf ? sql.buf : "",
                                 NULL, false, NULL, (int64_t)start, &err);
            if (j) {
                SL_LOG_INFO("job %s ('%s') resumes from its latest checkpoint", j->id, j->name);
                n++;
            } else {
                SL_LOG_ERROR("job %s cannot be resumed: %s", de->d_name, err.msg);
            }
        } else if (status && !rc) {
            /* Ended jobs stay listed, as in Flink's history. */
            job_t *j = calloc(1, sizeof *j);
            if (j && !grow((void **)&e->jobs, e->njobs, &e->capjobs, sizeof *e->jobs)) {
                j->e = e;
                snprintf(j->id, sizeof j->id, "%s", de->d_name);
                sl_job_ctl_init(&j->ctl);
                j->name = strdup(name ? name : de->d_name);
                j->sql = sql.buf ? strdup(sql.buf) : strdup("");
                snprintf(jp, sizeof jp, "%s/%s", path, de->d_name);
                j->dir = strdup(jp);
                j->start_ms = (int64_t)start;
                j->status = !strcmp(status, "FAILED") ? J_FAILED
                            : !strcmp(status, "CANCELED") ? J_CANCELED : J_FINISHED;
                const char *er = json_string_value(json_object_get(meta, "error"));
                if (er) j->error = strdup(er);
                j->joined = true;
                e->jobs[e->njobs++] = j;
            } else {
                free(j);
            }
        }
        sl_strbuf_destroy(&sql);
        json_decref(meta);
    }
    pthread_mutex_unlock(&e->mu);
    closedir(d);
    return n;
}

int sl_engine_set_defaults(sl_engine_t *e, const char *const *kv, int npairs)
{
    pthread_mutex_lock(&e->mu);
    int rc = set_defaults(e, kv, npairs);
    pthread_mutex_unlock(&e->mu);
    return rc;
}

void sl_engine_free(sl_engine_t *e)
{
    if (!e) return;
    /* Sessions left open (a client that went away) close their queries
     * while the jobs are still there. */
    while (e->nsessions) sl_session_free(e->sessions[0]);
    pthread_mutex_lock(&e->mu);
    e->closing = true;
    pthread_cond_broadcast(&e->sampler_cv);
    for (int i = 0; i < e->njobs; i++) {
        job_t *j = e->jobs[i];
        if (j->started && !j->joined && job_alive(j)) {
            j->shutdown = e->home != NULL && !j->is_query;
            sl_job_ctl_request(&j->ctl, j->shutdown ? SL_CTL_SHUTDOWN : SL_CTL_CANCEL, NULL);
        }
    }
    pthread_mutex_unlock(&e->mu);
    if (e->sampler_on) pthread_join(e->sampler, NULL);
    for (int i = 0; i < e->njobs; i++) {
        job_t *j = e->jobs[i];
        if (j->started && !j->joined) pthread_join(j->thread, NULL);
        job_free(j);
    }
    free(e->jobs);
    e->jobs = NULL;
    e->njobs = 0;
    free(e->sessions);
    while (e->nentries) entry_remove(e, e->nentries - 1);
    free(e->entries);
    if (e->cat) sl_catalog_free(e->cat);
    for (int i = 0; i < e->nscripts; i++) {
        sl_script_destroy(e->scripts[i]);
        free(e->scripts[i]);
    }
    free(e->scripts);
    for (int i = 0; i < e->ndefaults; i++) {
        free(e->defaults[i].key);
        free(e->defaults[i].value);
    }
    free(e->defaults);
    free(e->home);
    free(e->name);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    pthread_cond_destroy(&e->sampler_cv);
    free(e);
}

/* ---- sessions ---- */

sl_session_t *sl_session_new(sl_engine_t *e)
{
    sl_session_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->e = e;
    pthread_mutex_lock(&e->mu);
    if (grow((void **)&e->sessions, e->nsessions, &e->capsessions, sizeof *e->sessions)) {
        pthread_mutex_unlock(&e->mu);
        free(s);
        return NULL;
    }
    snprintf(s->id, sizeof s->id, "s%d", ++e->next_session);
    e->sessions[e->nsessions++] = s;
    pthread_mutex_unlock(&e->mu);
    return s;
}

const char *sl_session_id(const sl_session_t *s) { return s->id; }

sl_session_t *sl_engine_session(sl_engine_t *e, const char *id)
{
    sl_session_t *found = NULL;
    pthread_mutex_lock(&e->mu);
    for (int i = 0; i < e->nsessions; i++)
        if (id && !strcmp(e->sessions[i]->id, id)) found = e->sessions[i];
    pthread_mutex_unlock(&e->mu);
    return found;
}

/* Stops a query's job and frees it. Called without e->mu. */
static void query_close(sl_engine_t *e, job_t *j)
{
    sl_job_ctl_request(&j->ctl, SL_CTL_CANCEL, NULL);
    pthread_mutex_lock(&e->mu);
    while (j->fetching) pthread_cond_wait(&e->cv, &e->mu);
    bool join = j->started && !j->joined;
    j->joined = true;
    pthread_mutex_unlock(&e->mu);
    if (join) pthread_join(j->thread, NULL);
    pthread_mutex_lock(&e->mu);
    if (j->coll) {
        sl_collector_free(j->coll);
        j->coll = NULL;
    }
    pthread_mutex_unlock(&e->mu);
}

/* Queries belong to sessions: their job records carry the session id in
 * their name ("collect s3/q7"). */
static bool query_of(const job_t *j, const sl_session_t *s)
{
    size_t n = strlen(s->id);
    return j->is_query && !strncmp(j->name, "collect ", 8) && !strncmp(j->name + 8, s->id, n) &&
           j->name[8 + n] == '/';
}

void sl_session_free(sl_session_t *s)
{
    if (!s) return;
    sl_engine_t *e = s->e;
    for (;;) {
        job_t *q = NULL;
        pthread_mutex_lock(&e->mu);
        for (int i = 0; i < e->njobs && !q; i++)
            if (query_of(e->jobs[i], s) && e->jobs[i]->coll) q = e->jobs[i];
        pthread_mutex_unlock(&e->mu);
        if (!q) break;
        query_close(e, q);
    }
    pthread_mutex_lock(&e->mu);
    for (int i = 0; i < e->nsessions; i++)
        if (e->sessions[i] == s) {
            memmove(&e->sessions[i], &e->sessions[i + 1],
                    (size_t)(e->nsessions - i - 1) * sizeof *e->sessions);
            e->nsessions--;
            break;
        }
    pthread_mutex_unlock(&e->mu);
    prop_reset(s, NULL);
    free(s->sets);
    sl_strbuf_destroy(&s->set_text);
    free(s);
}

/* ---- statements ---- */

static const char help_text[] =
    "The following commands are available:\n"
    "\n"
    "CLEAR            Clears the screen (Ctrl-L).\n"
    "HELP             Prints the available commands.\n"
    "QUIT/EXIT        Quits the SQL shell.\n"
    "RESET            Resets a session property: RESET 'key'; or all of them: RESET;\n"
    "SET              Sets a session property: SET 'key' = 'value'; lists them: SET;\n"
    "SHOW TABLES | VIEWS | FUNCTIONS | JOBS | CATALOGS | DATABASES | MODULES\n"
    "SHOW CREATE TABLE t | SHOW CREATE VIEW v | DESCRIBE t\n"
    "CREATE TABLE / CREATE VIEW / DROP TABLE / DROP VIEW\n"
    "EXPLAIN stmt     The plan of an INSERT or a query.\n"
    "INSERT INTO ...  Submits a job that runs in the background and prints its id.\n"
    "BEGIN STATEMENT SET; INSERT ...; END;   Several INSERTs as one job.\n"
    "SELECT ...       Runs a query and shows its result as it changes; the view is set by\n"
    "                 SET 'sql-client.execution.result-mode' = 'table' | 'changelog' | 'tableau';\n"
    "STOP JOB 'id' [WITH SAVEPOINT]   Stops a job (with a savepoint in state.savepoints.dir).\n"
    "\n"
    "Hint: end every statement with ';'. Up and down recall the history.";

static bool like_match(const char *pat, const char *s)
{
    if (!*pat) return !*s;
    if (*pat == '%') {
        for (const char *p = s;; p++) {
            if (like_match(pat + 1, p)) return true;
            if (!*p) return false;
        }
    }
    if (!*s) return false;
    if (*pat == '_' || *pat == *s) return like_match(pat + 1, s + 1);
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *show_tables(sl_session_t *s, const sl_stmt_t *st, bool views)
{
    sl_engine_t *e = s->e;
    int n = sl_catalog_count(e->cat), k = 0;
    const char **names = calloc((size_t)n + 1, sizeof *names);
    if (!names) return error_plain("out of memory");
    for (int i = 0; i < n; i++) {
        const sl_table_t *t = sl_catalog_at(e->cat, i);
        if (!t || t->is_view != views) continue;
        if (st->like_pattern && !like_match(st->like_pattern, t->name)) continue;
        names[k++] = t->name;
    }
    qsort(names, (size_t)k, sizeof *names, cmp_str);
    const char *col = views ? "view name" : "table name";
    json_t *r = table_result(&col, 1);
    for (int i = 0; i < k; i++) table_row(r, 1, names[i]);
    free(names);
    return r;
}

static json_t *show_jobs(sl_session_t *s)
{
    static const char *const cols[] = {"job id", "job name", "status", "start time"};
    json_t *r = table_result(cols, 4);
    sl_engine_t *e = s->e;
    for (int i = 0; i < e->njobs; i++) {
        job_t *j = e->jobs[i];
        char ts[64];
        time_t t = (time_t)(j->start_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        size_t w = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(ts + w, sizeof ts - w, ".%03dZ", (int)(j->start_ms % 1000));
        table_row(r, 4, j->id, j->name, job_status(j), ts);
    }
    return r;
}

/* The source text of an AST node of table t (its defining script). */
static const char *node_text(sl_engine_t *e, const sl_table_t *t, int off, int len, char *buf,
                             size_t cap)
{
    int i = entry_find(e, t->name);
    if (i < 0 || !e->entries[i].sc || off < 0 || off + len > e->entries[i].sc->srclen) return "";
    snprintf(buf, cap, "%.*s", len, e->entries[i].sc->src + off);
    return buf;
}

static json_t *describe(sl_session_t *s, const sl_table_t *t)
{
    static const char *const cols[] = {"name", "type", "null", "key", "extras", "watermark"};
    json_t *r = table_result(cols, 6);
    sl_arena_t a;
    sl_arena_init(&a, 0);
    for (int i = 0; i < t->rel.n; i++) {
        const sl_relcol_t *c = &t->rel.cols[i];
        const sl_type_t *plain = sl_type_with_nullable(&a, c->type, true);
        const char *type = sl_type_str(&a, plain ? plain : c->type);
        char key[256] = "", extras[1024] = "", wm[1024] = "", buf[900];
        for (int k = 0; k < t->npk; k++)
            if (t->pk[k] == i) {
                size_t w = (size_t)snprintf(key, sizeof key, "PRI(");
                for (int m = 0; m < t->npk && w < sizeof key; m++)
                    w += (size_t)snprintf(key + w, sizeof key - w, "%s%s", m ? ", " : "",
                                          t->rel.cols[t->pk[m]].name);
                if (w < sizeof key) snprintf(key + w, sizeof key - w, ")");
            }
        const sl_coldef_t *d = t->defs ? t->defs[i] : NULL;
        if (d && d->kind == SL_COL_COMPUTED && d->expr)
            snprintf(extras, sizeof extras, "AS %s",
                     node_text(s->e, t, d->expr->off, d->expr->len, buf, sizeof buf));
        else if (d && d->kind == SL_COL_METADATA)
            snprintf(extras, sizeof extras, "METADATA%s%s%s%s", d->meta_key ? " FROM '" : "",
                     d->meta_key ? d->meta_key : "", d->meta_key ? "'" : "",
                     d->is_virtual ? " VIRTUAL" : "");
        if (t->wm_col == i && t->wm_expr)
            snprintf(wm, sizeof wm, "%s",
                     node_text(s->e, t, t->wm_expr->off, t->wm_expr->len, buf, sizeof buf));
        table_row(r, 6, c->name, type ? type : "?", c->type->nullable ? "TRUE" : "FALSE", key,
                  extras, wm);
    }
    sl_arena_destroy(&a);
    return r;
}

static json_t *show_create(sl_session_t *s, const sl_table_t *t)
{
    sl_engine_t *e = s->e;
    int i = entry_find(e, t->name);
    if (i < 0) return error_plain("no definition of '%s'", t->name);
    sl_arena_t a;
    sl_arena_init(&a, 0);
    const char *masked = sl_sql_mask_secrets(&a, e->entries[i].text.buf, (int)e->entries[i].text.len);
    json_t *r = json_pack("{s:s, s:s}", "kind", "explain", "text", masked ? masked : "");
    sl_arena_destroy(&a);
    return r;
}

static json_t *show_set(sl_session_t *s)
{
    static const char *const cols[] = {"key", "value"};
    json_t *r = table_result(cols, 2);
    /* defaults overridden by the session's, sorted by key */
    int n = s->e->ndefaults + s->nsets, k = 0;
    const char **keys = calloc((size_t)n + 1, sizeof *keys);
    if (!keys) return r;
    for (int pass = 0; pass < 2; pass++) {
        const kvp_t *kv = pass ? s->sets : s->e->defaults;
        int m = pass ? s->nsets : s->e->ndefaults;
        for (int i = 0; i < m; i++) {
            bool dup = false;
            for (int q = 0; q < k; q++)
                if (!strcmp(keys[q], kv[i].key)) dup = true;
            if (!dup) keys[k++] = kv[i].key;
        }
    }
    qsort(keys, (size_t)k, sizeof *keys, cmp_str);
    for (int i = 0; i < k; i++) {
        const char *v = prop_get(s, keys[i]);
        bool secret = sl_sql_option_is_secret(keys[i]);
        table_row(r, 2, keys[i], secret ? "******" : v);
    }
    free(keys);
    return r;
}

/* Plans the job script text (whose last statement, at base, is the user's
 * statement st of sc) and reports an error at the user's position. NULL
 * when the job would start. */
static json_t *check_job(sl_session_t *s, sl_script_t *sc, const sl_stmt_t *st, const char *text,
                         int base, sl_plan_t **explain_plan, built_t *keep)
{
    built_t b;
    sl_err_t err;
    int rc = build_job(&b, sc->filename, text, &err);
    if (!rc && explain_plan && keep) {
        *keep = b;
        *explain_plan = &keep->plan;
        return NULL;
    }
    json_t *r = NULL;
    if (rc) {
        /* In the preamble: the table's own CREATE statement, where it was
         * typed (this script or an earlier one). */
        int at = 0, hit = -1;
        for (int i = 0; i < s->e->nentries && err.off >= 0 && err.off < base; i++) {
            int len = (int)s->e->entries[i].text.len;
            if (err.off >= at && err.off < at + len) hit = i;
            at += len + 1;
        }
        if (hit >= 0 && s->e->entries[hit].sc) {
            entry_t *en = &s->e->entries[hit];
            at = 0;
            for (int i = 0; i < hit; i++) at += (int)s->e->entries[i].text.len + 1;
            int eoff = en->off + (err.off - at);
            sl_script_diag(en->sc, SL_DIAG_ERROR, err.code ? err.code : SL_EINVAL, eoff,
                           err.len > 0 ? err.len : 1, "%s", err.msg);
            r = error_last(en->sc);
        } else if (err.off >= base && err.off - base < st->len + 2) {
            sl_err_t e2 = err;
            e2.off = st->off + (err.off - base);
            r = error_at(sc, st, &e2);
        } else {
            char *t = job_error_text(&b, &err);
            r = error_plain("%s", t ? t : err.msg);
            free(t);
        }
    }
    built_free(&b);
    return r;
}

static const char *job_name_of(sl_session_t *s, const sl_stmt_t *st)
{
    const char *pn = prop_get(s, "pipeline.name");
    if (pn) return pn;
    if (st->kind == SL_S_INSERT && st->name.n) {
        static __thread char buf[512];
        snprintf(buf, sizeof buf, "insert-into_default_catalog.default_database.%s",
                 st->name.parts[st->name.n - 1].name);
        return buf;
    }
    return "insert-into_statement-set";
}

static json_t *submit(sl_session_t *s, sl_script_t *sc, const sl_stmt_t *st, const char *body,
                      size_t body_len, const char *name)
{
    sl_strbuf_t text = SL_STRBUF_INIT;
    compose_preamble(s, &text);
    int base = (int)text.len;
    sl_strbuf_append(&text, body, body_len);
    sl_strbuf_puts(&text, ";\n");
    if (!text.buf) return error_plain("out of memory");
    json_t *r = check_job(s, sc, st, text.buf, base, NULL, NULL);
    if (r) {
        sl_strbuf_destroy(&text);
        return r;
    }
    sl_err_t err;
    job_t *j = job_start(s->e, NULL, name, text.buf, prop_get(s, "state.checkpoints.dir"), false,
                         NULL, 0, &err);
    sl_strbuf_destroy(&text);
    if (!j) return error_plain("%s", err.msg);
    char msg[256];
    snprintf(msg, sizeof msg,
             "[INFO] Submitting SQL update statement to the cluster...\n"
             "[INFO] SQL update statement has been successfully submitted to the cluster:\n"
             "Job ID: %s",
             j->id);
    return json_pack("{s:s, s:s, s:s}", "kind", "job", "job_id", j->id, "message", msg);
}

/* The script of a query job: a collect table shaped like the query, and
 * the INSERT of the query into it. base: where the query's text starts. */
static int compose_query(sl_session_t *s, const sl_stmt_t *st, const sl_script_t *sc,
                         const char *qid, sl_strbuf_t *text, int *base)
{
    compose_preamble(s, text);
    sl_arena_t a;
    sl_arena_init(&a, 0);
    sl_strbuf_puts(text, "CREATE TEMPORARY TABLE `__sluice_collect` (");
    const sl_rel_t *rel = st->rel;
    for (int i = 0; i < rel->n; i++) {
        const char *ty = sl_type_str(&a, rel->cols[i].type);
        sl_strbuf_printf(text, "%s`c%d` %s", i ? ", " : "", i, ty ? ty : "STRING");
    }
    sl_strbuf_printf(text, ") WITH ('connector' = 'sluice-collect', 'collector' = '%s');\n", qid);
    sl_strbuf_puts(text, "INSERT INTO `__sluice_collect` ");
    *base = (int)text->len;
    sl_strbuf_append(text, sc->src + st->off, (size_t)st->len);
    sl_strbuf_puts(text, ";\n");
    sl_arena_destroy(&a);
    return text->buf ? 0 : -SL_ENOMEM;
}

static json_t *run_query(sl_session_t *s, sl_script_t *sc, const sl_stmt_t *st)
{
    sl_engine_t *e = s->e;
    if (!st->rel) return error_plain("the query has no result columns");
    char qid[32], cid[64], name[96];
    snprintf(qid, sizeof qid, "q%d", ++e->next_query);
    snprintf(cid, sizeof cid, "%s/%s", s->id, qid);
    snprintf(name, sizeof name, "collect %s/%s", s->id, qid);
    sl_strbuf_t text = SL_STRBUF_INIT;
    int base = 0;
    if (compose_query(s, st, sc, cid, &text, &base)) {
        sl_strbuf_destroy(&text);
        return error_plain("out of memory");
    }
    json_t *r = check_job(s, sc, st, text.buf, base, NULL, NULL);
    if (r) {
        sl_strbuf_destroy(&text);
        return r;
    }
    sl_collector_t *coll = sl_collector_new(cid);
    sl_err_t err;
    job_t *j = coll ? job_start(e, NULL, name, text.buf, NULL, true, coll, 0, &err) : NULL;
    sl_strbuf_destroy(&text);
    if (!j) {
        sl_collector_free(coll);
        return error_plain("%s", coll ? err.msg : "out of memory");
    }
    json_t *cols = json_array();
    sl_arena_t a;
    sl_arena_init(&a, 0);
    for (int i = 0; i < st->rel->n; i++) {
        const char *ty = sl_type_str(&a, st->rel->cols[i].type);
        json_array_append_new(cols, json_pack("{s:s, s:s}", "name", st->rel->cols[i].name,
                                              "type", ty ? ty : "?"));
    }
    sl_arena_destroy(&a);
    const char *mode = prop_get(s, "sql-client.execution.result-mode");
    json_t *res = json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}", "kind", "query", "query_id", qid,
                            "job_id", j->id, "columns", cols, "mode",
                            mode ? mode : "table", "mode_set", mode != NULL);
    return res;
}

static json_t *explain(sl_session_t *s, sl_script_t *sc, const sl_stmt_t *st)
{
    const sl_stmt_t *in = st->stmts.n ? st->stmts.items[0] : NULL;
    if (!in || (in->kind != SL_S_INSERT && in->kind != SL_S_QUERY && in->kind != SL_S_STATEMENT_SET))
        return error_plain("EXPLAIN explains an INSERT, a statement set or a query");
    sl_strbuf_t text = SL_STRBUF_INIT;
    int base = 0;
    if (in->kind == SL_S_QUERY) {
        if (compose_query(s, in, sc, "explain", &text, &base)) {
            sl_strbuf_destroy(&text);
            return error_plain("out of memory");
        }
    } else {
        compose_preamble(s, &text);
        base = (int)text.len;
        sl_strbuf_append(&text, sc->src + in->off, (size_t)in->len);
        sl_strbuf_puts(&text, ";\n");
    }
    sl_plan_t *plan = NULL;
    built_t b;
    memset(&b, 0, sizeof b);
    json_t *r = check_job(s, sc, in, text.buf ? text.buf : "", base, &plan, &b);
    sl_strbuf_destroy(&text);
    if (r) return r;
    char *out = NULL;
    size_t olen = 0;
    FILE *f = open_memstream(&out, &olen);
    if (f) {
        fputs("== Physical Execution Plan ==\n", f);
        sl_plan_explain(f, plan);
        fclose(f);
    }
    r = json_pack("{s:s, s:s}", "kind", "explain", "text", out ? out : "");
    free(out);
    built_free(&b);
    return r;
}

static json_t *stop_job(sl_session_t *s, const sl_stmt_t *st)
{
    sl_engine_t *e = s->e;
    job_t *j = job_find(e, st->key);
    if (!j) return error_plain("could not find job '%s'", st->key ? st->key : "");
    if (!job_alive(j))
        return error_plain("job '%s' is not running (%s)", j->id, status_names[j->status]);
    if (!st->extended) {
        /* Stopped once what was read is written: wait for it, as Flink's
         * client does (at most a minute). */
        j->stopped = true;
        sl_job_ctl_request(&j->ctl, SL_CTL_STOP, NULL);
        for (int i = 0; i < 6000 && job_alive(j); i++) {
            pthread_mutex_unlock(&e->mu);
            usleep(10000);
            pthread_mutex_lock(&e->mu);
        }
        if (job_alive(j)) return error_plain("job %s did not stop within a minute", j->id);
        return ok_result();
    }
    char dir[4200];
    const char *sp = prop_get(s, "state.savepoints.dir");
    if (sp && !strncmp(sp, "file://", 7)) sp += 7;
    if (!sp && !j->dir)
        return error_plain("STOP JOB ... WITH SAVEPOINT needs a directory: SET "
                           "'state.savepoints.dir' = '/path'");
    char idbuf[33];
    snprintf(idbuf, sizeof idbuf, "%s", j->id);
    sl_strbuf_t path = SL_STRBUF_INIT;
    sl_err_t err;
    pthread_mutex_unlock(&e->mu);
    int rc = sl_engine_job_stop(e, idbuf, sp, 120000, &path, &err);
    pthread_mutex_lock(&e->mu);
    (void)dir;
    if (rc) {
        sl_strbuf_destroy(&path);
        return error_plain("%s", err.msg);
    }
    static const char *const cols[] = {"savepoint path"};
    json_t *r = table_result(cols, 1);
    table_row(r, 1, path.buf ? path.buf : "");
    sl_strbuf_destroy(&path);
    return r;
}

/* Runs one statement of sc. Caller holds e->mu. */
static json_t *exec_stmt(sl_session_t *s, sl_script_t *sc, sl_stmt_t *st, bool *keep)
{
    sl_engine_t *e = s->e;
    if (s->in_set && st->kind != SL_S_INSERT && st->kind != SL_S_END_SET)
        return error_plain("only INSERT statements can be added to a statement set; end it "
                           "with END;");
    int before = sc->nerrors;
    bool existed = false;
    if ((st->kind == SL_S_CREATE_TABLE || st->kind == SL_S_CREATE_VIEW) && st->name.n)
        existed = sl_catalog_lookup(e->cat, st->name.parts[st->name.n - 1].name) != NULL;
    if (st->kind != SL_S_BEGIN_SET && st->kind != SL_S_END_SET) {
        int rc = sl_bind_stmt(sc, e->cat, st);
        if (rc == -SL_ENOMEM) return error_plain("out of memory");
        if (rc || sc->nerrors > before) return error_last(sc);
    }
    switch (st->kind) {
    case SL_S_CREATE_TABLE:
    case SL_S_CREATE_VIEW:
        *keep = true;
        if (existed && st->if_not_exists) return ok_result();
        if (entry_set(e, sc, st)) return error_plain("out of memory");
        if (!st->temporary) persist_catalog(e);
        return ok_result();
    case SL_S_DROP_TABLE:
    case SL_S_DROP_VIEW: {
        int i = st->name.n ? entry_find(e, st->name.parts[st->name.n - 1].name) : -1;
        if (i >= 0) {
            bool temp = e->entries[i].temporary;
            entry_remove(e, i);
            if (!temp) persist_catalog(e);
        }
        return ok_result();
    }
    case SL_S_ALTER_TABLE:
        return error_plain("ALTER TABLE is not supported by sluice: DROP the table and CREATE it "
                           "again");
    case SL_S_INSERT:
        if (s->in_set) {
            if (sl_strbuf_append(&s->set_text, sc->src + st->off, (size_t)st->len) ||
                sl_strbuf_puts(&s->set_text, ";\n"))
                return error_plain("out of memory");
            s->set_count++;
            return msg_result("ok", "[INFO] Add SQL update statement to the statement set.");
        }
        return submit(s, sc, st, sc->src + st->off, (size_t)st->len, job_name_of(s, st));
    case SL_S_STATEMENT_SET:
        return submit(s, sc, st, sc->src + st->off, (size_t)st->len, job_name_of(s, st));
    case SL_S_BEGIN_SET:
        if (s->in_set) return error_plain("a statement set is already open: END it first");
        s->in_set = true;
        s->set_count = 0;
        sl_strbuf_clear(&s->set_text);
        return msg_result("ok", "[INFO] Begin a statement set.");
    case SL_S_END_SET: {
        if (!s->in_set) return error_plain("END without BEGIN STATEMENT SET");
        s->in_set = false;
        if (!s->set_count)
            return msg_result("ok", "[INFO] No statement in the statement set, skip submit.");
        sl_strbuf_t body = SL_STRBUF_INIT;
        sl_strbuf_puts(&body, "EXECUTE STATEMENT SET BEGIN\n");
        sl_strbuf_append(&body, s->set_text.buf, s->set_text.len);
        sl_strbuf_puts(&body, "END");
        json_t *r = body.buf ? submit(s, sc, st, body.buf, body.len, job_name_of(s, st))
                             : error_plain("out of memory");
        sl_strbuf_destroy(&body);
        sl_strbuf_clear(&s->set_text);
        return r;
    }
    case SL_S_SET: {
        if (!st->key) return show_set(s);
        if (strncmp(st->key, "sql-client.", 11)) {
            sl_job_conf_t conf;
            sl_job_conf_init(&conf);
            sl_err_t err;
            sl_err_clear(&err);
            if (sl_job_conf_set(&conf, st->key, st->value ? st->value : "", &err)) {
                err.off = st->val_off;
                err.len = st->val_len;
                return error_at(sc, st, &err);
            }
        } else if (!strcmp(st->key, "sql-client.execution.result-mode")) {
            const char *v = st->value ? st->value : "";
            if (strcasecmp(v, "table") && strcasecmp(v, "changelog") && strcasecmp(v, "tableau")) {
                sl_err_t err;
                sl_err_set(&err, SL_EINVAL,
                           "'%s' is not a result mode: table, changelog or tableau", v);
                err.off = st->val_off;
                err.len = st->val_len;
                return error_at(sc, st, &err);
            }
            char low[16];
            size_t n = strlen(v);
            for (size_t i = 0; i <= n && i < sizeof low; i++)
                low[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
            low[sizeof low - 1] = 0;
            return prop_set(s, st->key, low) ? error_plain("out of memory") : ok_result();
        }
        return prop_set(s, st->key, st->value ? st->value : "") ? error_plain("out of memory")
                                                                 : ok_result();
    }
    case SL_S_RESET:
        prop_reset(s, st->key);
        return ok_result();
    case SL_S_SHOW:
        switch (st->show) {
        case SL_SHOW_TABLES: return show_tables(s, st, false);
        case SL_SHOW_VIEWS: return show_tables(s, st, true);
        case SL_SHOW_JOBS: return show_jobs(s);
        case SL_SHOW_FUNCTIONS: {
            const char *col = "function name";
            json_t *r = table_result(&col, 1);
            for (int i = 0; sl_func_at(i); i++) {
                const char *n = sl_func_at(i)->name;
                if (st->like_pattern && !like_match(st->like_pattern, n)) continue;
                table_row(r, 1, n);
            }
            return r;
        }
        case SL_SHOW_CATALOGS: {
            const char *col = "catalog name";
            json_t *r = table_result(&col, 1);
            table_row(r, 1, "default_catalog");
            return r;
        }
        case SL_SHOW_DATABASES: {
            const char *col = "database name";
            json_t *r = table_result(&col, 1);
            table_row(r, 1, "default_database");
            return r;
        }
        case SL_SHOW_CURRENT_CATALOG: {
            const char *col = "current catalog name";
            json_t *r = table_result(&col, 1);
            table_row(r, 1, "default_catalog");
            return r;
        }
        case SL_SHOW_CURRENT_DATABASE: {
            const char *col = "current database name";
            json_t *r = table_result(&col, 1);
            table_row(r, 1, "default_database");
            return r;
        }
        case SL_SHOW_MODULES: {
            const char *col = "module name";
            json_t *r = table_result(&col, 1);
            table_row(r, 1, "core");
            return r;
        }
        case SL_SHOW_CREATE_TABLE:
        case SL_SHOW_CREATE_VIEW:
        case SL_SHOW_COLUMNS: {
            const sl_table_t *t = sl_catalog_lookup(e->cat, st->name.parts[st->name.n - 1].name);
            if (!t) return error_plain("table '%s' does not exist", st->name.parts[st->name.n - 1].name);
            return st->show == SL_SHOW_COLUMNS ? describe(s, t) : show_create(s, t);
        }
        default:
            return error_plain("this SHOW statement is not supported");
        }
    case SL_S_DESCRIBE: {
        const sl_table_t *t = sl_catalog_lookup(e->cat, st->name.parts[st->name.n - 1].name);
        if (!t) return error_plain("table '%s' does not exist", st->name.parts[st->name.n - 1].name);
        return describe(s, t);
    }
    case SL_S_EXPLAIN:
        return explain(s, sc, st);
    case SL_S_QUERY:
        *keep = true; /* a query's AST is referenced while it is described */
        return run_query(s, sc, st);
    case SL_S_USE:
        return ok_result();
    case SL_S_HELP:
        return json_pack("{s:s, s:s}", "kind", "help", "text", help_text);
    case SL_S_QUIT:
        return json_pack("{s:s}", "kind", "quit");
    case SL_S_STOP_JOB:
        return stop_job(s, st);
    default:
        return error_plain("this statement is not supported");
    }
}

json_t *sl_session_exec(sl_session_t *s, const char *text, size_t len, const char *origin)
{
    sl_engine_t *e = s->e;
    json_t *results = json_array();
    json_t *out = json_pack("{s:o}", "results", results);
    if (!out) return NULL;
    sl_script_t *sc = calloc(1, sizeof *sc);
    if (!sc || sl_script_parse(sc, origin ? origin : "<shell>", text, len)) {
        free(sc);
        json_array_append_new(results, error_plain("out of memory"));
        return out;
    }
    /* The first syntax error: statements before it run, then it is shown. */
    const sl_diag_t *perr = NULL;
    for (int i = 0; i < sc->diags.n; i++) {
        const sl_diag_t *d = sc->diags.items[i];
        if (d->level == SL_DIAG_ERROR && (!perr || d->off < perr->off)) perr = d;
    }
    bool keep = false, stopped = false;
    pthread_mutex_lock(&e->mu);
    for (int i = 0; i < sc->stmts.n; i++) {
        sl_stmt_t *st = sc->stmts.items[i];
        if (perr && st->off > perr->off) break;
        json_t *r = exec_stmt(s, sc, st, &keep);
        if (!r) r = error_plain("out of memory");
        const char *kind = json_string_value(json_object_get(r, "kind"));
        json_array_append_new(results, r);
        if (kind && (!strcmp(kind, "error") || !strcmp(kind, "quit"))) {
            stopped = true;
            break;
        }
    }
    if (!stopped && perr) json_array_append_new(results, error_diag(sc, perr));
    if (!keep || keep_script(e, sc)) {
        sl_script_destroy(sc);
        free(sc);
    }
    pthread_mutex_unlock(&e->mu);
    return out;
}

/* ---- query results ---- */

typedef struct fetch_ctx {
    json_t *changes;
} fetch_ctx_t;

static void on_change(void *arg, const sl_collected_t *row)
{
    fetch_ctx_t *f = arg;
    json_t *vals = json_array();
    for (int i = 0; i < row->ncols; i++)
        json_array_append_new(vals, row->vals[i] ? json_string(row->vals[i]) : json_null());
    json_array_append_new(f->changes, json_pack("{s:s, s:o}", "op", row->op, "row", vals));
}

static job_t *query_find(sl_session_t *s, const char *qid)
{
    char name[96];
    snprintf(name, sizeof name, "collect %s/%s", s->id, qid ? qid : "");
    for (int i = 0; i < s->e->njobs; i++)
        if (s->e->jobs[i]->is_query && !strcmp(s->e->jobs[i]->name, name)) return s->e->jobs[i];
    return NULL;
}

json_t *sl_session_fetch(sl_session_t *s, const char *query_id, uint64_t token, int max_rows,
                         int wait_ms)
{
    sl_engine_t *e = s->e;
    pthread_mutex_lock(&e->mu);
    job_t *j = query_find(s, query_id);
    if (!j || !j->coll) {
        pthread_mutex_unlock(&e->mu);
        return json_pack("{s:s}", "error", "no such query");
    }
    j->fetching++;
    sl_collector_t *coll = j->coll;
    pthread_mutex_unlock(&e->mu);
    fetch_ctx_t f = {json_array()};
    uint64_t next = token;
    bool ended = false;
    char errbuf[SL_ERR_MSG_MAX + 64];
    if (max_rows <= 0 || max_rows > 10000) max_rows = 10000;
    if (wait_ms < 0) wait_ms = 0;
    if (wait_ms > 10000) wait_ms = 10000;
    int n = sl_collector_fetch(coll, token, max_rows, wait_ms, on_change, &f, &next, &ended,
                               errbuf, sizeof errbuf);
    pthread_mutex_lock(&e->mu);
    j->fetching--;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    if (n < 0) {
        json_decref(f.changes);
        return json_pack("{s:s}", "error", "out of memory");
    }
    return json_pack("{s:o, s:I, s:b, s:o}", "changes", f.changes, "next_token", (json_int_t)next,
                     "end", ended, "error", errbuf[0] ? json_string(errbuf) : json_null());
}

int sl_session_close_query(sl_session_t *s, const char *query_id)
{
    pthread_mutex_lock(&s->e->mu);
    job_t *j = query_find(s, query_id);
    bool ok = j && j->coll;
    pthread_mutex_unlock(&s->e->mu);
    if (!ok) return -SL_ENOTFOUND;
    query_close(s->e, j);
    return 0;
}

/* ---- jobs ---- */

static void job_counts(job_t *j, const sl_job_snapshot_t *sn, uint64_t *in, uint64_t *out)
{
    *in = *out = 0;
    for (int i = 0; i < sn->nops && i < j->nverts; i++) {
        if (!strcmp(j->verts[i].kind, "source")) *in += sn->ops[i].rows_out;
        if (!strcmp(j->verts[i].kind, "sink")) *out += sn->ops[i].rows_in;
    }
}

json_t *sl_engine_jobs(sl_engine_t *e)
{
    json_t *arr = json_array();
    pthread_mutex_lock(&e->mu);
    int64_t now = now_ms();
    for (int i = 0; i < e->njobs; i++) {
        job_t *j = e->jobs[i];
        sl_job_snapshot_t sn;
        memset(&sn, 0, sizeof sn);
        sl_job_ctl_snapshot(&j->ctl, &sn);
        uint64_t in, out;
        job_counts(j, &sn, &in, &out);
        sl_job_snapshot_free(&sn);
        int64_t end = job_alive(j) ? now : (j->end_ms ? j->end_ms : now);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:b}", "id", j->id, "name",
                           j->name, "status", job_status(j), "start_time", (json_int_t)j->start_ms,
                           "duration_ms", (json_int_t)(end - j->start_ms), "restarts",
                           (json_int_t)j->restarts, "records_in", (json_int_t)in, "records_out",
                           (json_int_t)out, "error", j->error ? json_string(j->error) : json_null(),
                           "query", j->is_query));
    }
    pthread_mutex_unlock(&e->mu);
    return json_pack("{s:o}", "jobs", arr);
}

json_t *sl_engine_job(sl_engine_t *e, const char *id)
{
    pthread_mutex_lock(&e->mu);
    job_t *j = job_find(e, id);
    if (!j) {
        pthread_mutex_unlock(&e->mu);
        return NULL;
    }
    sl_job_snapshot_t sn;
    memset(&sn, 0, sizeof sn);
    sl_job_ctl_snapshot(&j->ctl, &sn);
    uint64_t in, out;
    job_counts(j, &sn, &in, &out);
    int64_t now = now_ms();
    sl_arena_t a;
    sl_arena_init(&a, 0);
    const char *masked = sl_sql_mask_secrets(&a, j->sql, (int)strlen(j->sql));
    json_t *verts = json_array();
    double window = 2.0;
    for (int i = 0; i < j->nverts; i++) {
        const vert_t *v = &j->verts[i];
        json_t *inputs = json_array();
        for (int k = 0; k < v->ninputs; k++) json_array_append_new(inputs, json_integer(v->inputs[k]));
        const sl_op_metrics_t *m = i < sn.nops ? &sn.ops[i] : NULL;
        const sl_op_metrics_t *pm = j->has_prev && i < j->prev.nops ? &j->prev.ops[i] : NULL;
        double busy = 0, bp = 0;
        if (m && pm && sn.taken_ms > j->prev.taken_ms) {
            window = (double)(sn.taken_ms - j->prev.taken_ms) / 1000.0;
            busy = (double)(m->busy_ns - pm->busy_ns) / 1e6 / window;
            bp = (double)(m->bp_ns - pm->bp_ns) / 1e6 / window;
        }
        if (busy > 1000) busy = 1000;
        if (bp > 1000) bp = 1000;
        if (busy < 0) busy = 0;
        if (bp < 0) bp = 0;
        double idle = 1000 - busy - bp;
        json_t *o = json_pack(
            "{s:i, s:s, s:s, s:s, s:o, s:I, s:I, s:f, s:f, s:f, s:f, s:f}", "id", i, "name",
            v->name ? v->name : "?", "kind", v->kind, "desc", v->desc ? v->desc : "", "inputs",
            inputs, "records_in", (json_int_t)(m ? m->rows_in : 0), "records_out",
            (json_int_t)(m ? m->rows_out : 0), "records_in_per_s", j->in_ps ? j->in_ps[i] : 0.0,
            "records_out_per_s", j->out_ps ? j->out_ps[i] : 0.0, "busy_ms_per_s", busy,
            "backpressured_ms_per_s", bp, "idle_ms_per_s", idle < 0 ? 0.0 : idle);
        if (m && m->is_source) {
            const sl_source_metrics_t *sm = &m->src;
            int64_t lag = sm->last_event_ms > 0 ? sn.taken_ms - sm->last_event_ms : -1;
            /* sourceIdleTime: 0 while rows come out, else since the last did */
            int64_t idle_t = j->out_ps && j->out_ps[i] > 0 ? 0
                             : j->active_ms && j->active_ms[i] ? now - j->active_ms[i]
                                                               : now - j->start_ms;
            json_object_set_new(
                o, "source",
                json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "snapshotting",
                          sm->snapshotting, "snapshot_rows", (json_int_t)sm->snapshot_rows,
                          "snapshot_rows_est", (json_int_t)sm->snapshot_rows_est,
                          "snapshot_tables_done", (json_int_t)sm->snapshot_tables_done,
                          "snapshot_tables", (json_int_t)sm->snapshot_tables, "fetch_lag_ms",
                          (json_int_t)lag, "emit_lag_ms", (json_int_t)lag, "idle_ms",
                          (json_int_t)idle_t, "records_behind", (json_int_t)0, "position",
                          sm->position));
        }
        json_array_append_new(verts, o);
    }
    json_t *hist = json_array();
    for (int i = 0; i < sn.nhist; i++) {
        const sl_ckpt_record_t *r = &sn.hist[i];
        const char *st = r->status == SL_CK_COMPLETED ? "COMPLETED"
                         : r->status == SL_CK_FAILED  ? "FAILED"
                                                      : "IN_PROGRESS";
        json_array_append_new(hist, json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}", "id",
                                              (json_int_t)r->id, "status", st, "trigger_time",
                                              (json_int_t)r->trigger_ms, "duration_ms",
                                              (json_int_t)r->duration_ms, "sync_ms",
                                              (json_int_t)r->sync_ms, "size_bytes",
                                              (json_int_t)r->bytes));
    }
    json_t *samples = json_array();
    for (int i = 0; i < j->hn; i++) {
        const sample_t *s = &j->hist[(j->hhead + i) % HIST_SAMPLES];
        json_array_append_new(samples, json_pack("{s:I, s:f, s:f, s:I}", "t", (json_int_t)s->t,
                                                 "records_in_per_s", s->in_ps,
                                                 "records_out_per_s", s->out_ps, "lag_ms",
                                                 (json_int_t)s->lag_ms));
    }
    int64_t end = job_alive(j) ? now : (j->end_ms ? j->end_ms : now);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:s, s:I, s:I, s:o, s:{s:I, s:I, s:b, s:I, s:o}, "
        "s:I, s:o, s:o, s:b}",
        "id", j->id, "name", j->name, "status", job_status(j), "start_time",
        (json_int_t)j->start_ms, "duration_ms", (json_int_t)(end - j->start_ms), "restarts",
        (json_int_t)j->restarts, "error", j->error ? json_string(j->error) : json_null(), "sql",
        masked ? masked : "", "records_in", (json_int_t)in, "records_out", (json_int_t)out,
        "vertices", verts, "checkpoints", "completed", (json_int_t)sn.ck_done, "failed",
        (json_int_t)sn.ck_failed, "in_progress", sn.ck_in_progress, "last_id",
        (json_int_t)sn.ck_last_id, "history", hist, "state_size_bytes",
        (json_int_t)sn.state_bytes, "history", samples, "savepoint",
        j->savepoint ? json_string(j->savepoint) : json_null(), "query", j->is_query);
    sl_arena_destroy(&a);
    sl_job_snapshot_free(&sn);
    pthread_mutex_unlock(&e->mu);
    return o;
}

int sl_engine_job_cancel(sl_engine_t *e, const char *id, sl_err_t *err)
{
    pthread_mutex_lock(&e->mu);
    job_t *j = job_find(e, id);
    int rc = 0;
    if (!j) rc = sl_err_set(err, SL_ENOTFOUND, "no job '%s'", id ? id : "");
    else if (!job_alive(j))
        rc = sl_err_set(err, SL_EINVAL, "job %s is not running (%s)", j->id, status_names[j->status]);
    else
        sl_job_ctl_request(&j->ctl, SL_CTL_CANCEL, NULL);
    pthread_mutex_unlock(&e->mu);
    return rc;
}

int sl_engine_job_stop(sl_engine_t *e, const char *id, const char *dir, int timeout_ms,
                       sl_strbuf_t *path_out, sl_err_t *err)
{
    pthread_mutex_lock(&e->mu);
    job_t *j = job_find(e, id);
    if (!j) {
        pthread_mutex_unlock(&e->mu);
        return sl_err_set(err, SL_ENOTFOUND, "no job '%s'", id ? id : "");
    }
    if (!job_alive(j)) {
        pthread_mutex_unlock(&e->mu);
        return sl_err_set(err, SL_EINVAL, "job %s is not running (%s)", j->id,
                          status_names[j->status]);
    }
    char base[4200], sp[4400];
    if (dir && *dir) snprintf(base, sizeof base, "%s", !strncmp(dir, "file://", 7) ? dir + 7 : dir);
    else if (j->dir) snprintf(base, sizeof base, "%s/savepoints", j->dir);
    else {
        pthread_mutex_unlock(&e->mu);
        return sl_err_set(err, SL_EINVAL,
                          "no savepoint directory: give one, or SET 'state.savepoints.dir'");
    }
    int rc = mkdirs(base);
    if (rc) {
        pthread_mutex_unlock(&e->mu);
        return sl_err_set(err, SL_EIO, "cannot create %s: %s", base, strerror(-rc));
    }
    snprintf(sp, sizeof sp, "%s/savepoint-%.6s-%lld", base, j->id, (long long)now_ms());
    j->stopped = true;
    sl_job_ctl_request(&j->ctl, SL_CTL_STOP_SAVEPOINT, sp);
    /* Wait for the job to end (it writes the savepoint last). */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_unlock(&e->mu);
    pthread_mutex_lock(&j->ctl.mu);
    bool timed_out = false;
    while (j->ctl.running || !j->ctl.snap.taken_ms) {
        if (pthread_cond_timedwait(&j->ctl.cv, &j->ctl.mu, &until) == ETIMEDOUT) {
            timed_out = true;
            break;
        }
        if (!j->ctl.running && j->ctl.snap.taken_ms) break;
    }
    pthread_mutex_unlock(&j->ctl.mu);
    /* The thread sets the status right after its last run. */
    for (int i = 0; i < 200 && !timed_out; i++) {
        pthread_mutex_lock(&e->mu);
        bool alive = job_alive(j);
        pthread_mutex_unlock(&e->mu);
        if (!alive) break;
        usleep(10000);
    }
    pthread_mutex_lock(&e->mu);
    if (timed_out) rc = sl_err_set(err, SL_EIO, "the job did not stop within %d ms", timeout_ms);
    else if (j->status == J_FAILED)
        rc = sl_err_set(err, SL_EIO, "the job failed while stopping: %s", j->error ? j->error : "?");
    else if (access(sp, F_OK))
        rc = sl_err_set(err, SL_EIO, "the job ended without writing its savepoint %s", sp);
    else {
        free(j->savepoint);
        j->savepoint = strdup(sp);
        sl_strbuf_puts(path_out, sp);
    }
    pthread_mutex_unlock(&e->mu);
    return rc;
}

int sl_engine_job_checkpoint(sl_engine_t *e, const char *id, int64_t *ckpt_id, sl_err_t *err)
{
    pthread_mutex_lock(&e->mu);
    job_t *j = job_find(e, id);
    if (!j || !job_alive(j)) {
        pthread_mutex_unlock(&e->mu);
        return sl_err_set(err, j ? SL_EINVAL : SL_ENOTFOUND, j ? "job %s is not running" : "no job '%s'",
                          j ? j->id : (id ? id : ""));
    }
    pthread_mutex_unlock(&e->mu);
    pthread_mutex_lock(&j->ctl.mu);
    int64_t before = j->ctl.ckpt_triggered;
    j->ctl.ckpt_error[0] = 0;
    pthread_mutex_unlock(&j->ctl.mu);
    sl_job_ctl_request(&j->ctl, SL_CTL_CHECKPOINT, NULL);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    int rc = 0;
    pthread_mutex_lock(&j->ctl.mu);
    while (j->ctl.ckpt_triggered == before && !j->ctl.ckpt_error[0] && j->ctl.running)
        if (pthread_cond_timedwait(&j->ctl.cv, &j->ctl.mu, &until) == ETIMEDOUT) break;
    if (j->ctl.ckpt_triggered != before) *ckpt_id = j->ctl.ckpt_triggered;
    else if (j->ctl.ckpt_error[0]) rc = sl_err_set(err, SL_EINVAL, "%s", j->ctl.ckpt_error);
    else rc = sl_err_set(err, SL_EIO, "the job did not take the checkpoint request");
    pthread_mutex_unlock(&j->ctl.mu);
    return rc;
}

json_t *sl_engine_catalog(sl_engine_t *e)
{
    json_t *arr = json_array();
    pthread_mutex_lock(&e->mu);
    sl_arena_t a;
    sl_arena_init(&a, 0);
    for (int i = 0; i < e->nentries; i++) {
        const entry_t *en = &e->entries[i];
        const sl_table_t *t = sl_catalog_lookup(e->cat, en->name);
        if (!t) continue;
        json_t *cols = json_array(), *pk = json_array();
        for (int k = 0; k < t->rel.n; k++) {
            const char *ty = sl_type_str(&a, t->rel.cols[k].type);
            json_array_append_new(cols, json_pack("{s:s, s:s}", "name", t->rel.cols[k].name,
                                                  "type", ty ? ty : "?"));
        }
        for (int k = 0; k < t->npk; k++) json_array_append_new(pk, json_string(t->rel.cols[t->pk[k]].name));
        const char *conn = NULL;
        for (int k = 0; k < t->options.n; k++) {
            const sl_option_t *op = t->options.items[k];
            if (!strcmp(op->key, "connector")) conn = op->value;
        }
        const char *masked = sl_sql_mask_secrets(&a, en->text.buf, (int)en->text.len);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:b}", "name", t->name, "kind",
                           t->is_view ? "VIEW" : "TABLE", "connector",
                           conn ? json_string(conn) : json_null(), "columns", cols, "primary_key",
                           pk, "ddl", masked ? masked : "", "temporary", en->temporary));
    }
    sl_arena_destroy(&a);
    pthread_mutex_unlock(&e->mu);
    return json_pack("{s:o}", "tables", arr);
}

/* ---- Prometheus ---- */

static void prom_label(sl_strbuf_t *out, const char *v)
{
    for (const char *p = v; *p; p++) {
        if (*p == '\\' || *p == '"') sl_strbuf_append(out, "\\", 1);
        if (*p == '\n') {
            sl_strbuf_puts(out, "\\n");
            continue;
        }
        sl_strbuf_append(out, p, 1);
    }
}

typedef struct prom_metric {
    const char *name;
    const char *help;
    const char *type;
} prom_metric_t;

static const prom_metric_t op_metrics[] = {
    {"flink_taskmanager_job_task_operator_numRecordsIn", "rows received by the operator", "counter"},
    {"flink_taskmanager_job_task_operator_numRecordsOut", "rows emitted by the operator", "counter"},
    {"flink_taskmanager_job_task_operator_numRecordsInPerSecond", "rows received per second", "gauge"},
    {"flink_taskmanager_job_task_operator_numRecordsOutPerSecond", "rows emitted per second", "gauge"},
    {"flink_taskmanager_job_task_busyTimeMsPerSecond", "ms per second the operator worked", "gauge"},
    {"flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
     "ms per second the operator waited for room downstream", "gauge"},
    {"flink_taskmanager_job_task_idleTimeMsPerSecond", "ms per second the operator had nothing to do", "gauge"},
    {"flink_taskmanager_job_task_operator_currentFetchEventTimeLag",
     "ms between the newest change read and its commit in the source database", "gauge"},
    {"flink_taskmanager_job_task_operator_currentEmitEventTimeLag",
     "ms between the newest change emitted and its commit in the source database", "gauge"},
    {"flink_taskmanager_job_task_operator_sourceIdleTime", "ms since the source last emitted a row", "gauge"},
    {"flink_taskmanager_job_task_operator_isSnapshotting", "1 while the source reads its snapshot", "gauge"},
};

static const prom_metric_t job_metrics[] = {
    {"flink_jobmanager_job_numberOfCompletedCheckpoints", "checkpoints completed", "counter"},
    {"flink_jobmanager_job_numberOfFailedCheckpoints", "checkpoints failed", "counter"},
    {"flink_jobmanager_job_numberOfInProgressCheckpoints", "checkpoints in progress", "gauge"},
    {"flink_jobmanager_job_lastCheckpointDuration", "ms the last complete checkpoint took", "gauge"},
    {"flink_jobmanager_job_lastCheckpointSize", "bytes of state in the last complete checkpoint", "gauge"},
    {"flink_jobmanager_job_numRestarts", "restarts of the job", "counter"},
    {"flink_jobmanager_job_uptime", "ms since the job started", "gauge"},
    {"sluice_job_state_size_bytes", "bytes of state in the last complete checkpoint", "gauge"},
};

void sl_engine_metrics(sl_engine_t *e, sl_strbuf_t *out)
{
    json_t *jobs = sl_engine_jobs(e);
    json_t *list = json_object_get(jobs, "jobs");
    size_t n = json_array_size(list);
    json_t **details = calloc(n + 1, sizeof *details);
    if (!details) {
        json_decref(jobs);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *st = json_string_value(json_object_get(json_array_get(list, i), "status"));
        if (st && (!strcmp(st, "RUNNING") || !strcmp(st, "RESTARTING")))
            details[i] = sl_engine_job(e, json_string_value(json_object_get(json_array_get(list, i), "id")));
    }
    for (size_t m = 0; m < sizeof op_metrics / sizeof *op_metrics; m++) {
        sl_strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", op_metrics[m].name, op_metrics[m].help,
                         op_metrics[m].name, op_metrics[m].type);
        for (size_t i = 0; i < n; i++) {
            if (!details[i]) continue;
            json_t *d = details[i];
            json_t *vs = json_object_get(d, "vertices");
            for (size_t k = 0; k < json_array_size(vs); k++) {
                json_t *v = json_array_get(vs, k);
                json_t *src = json_object_get(v, "source");
                double val;
                switch (m) {
                case 0: val = (double)json_integer_value(json_object_get(v, "records_in")); break;
                case 1: val = (double)json_integer_value(json_object_get(v, "records_out")); break;
                case 2: val = json_real_value(json_object_get(v, "records_in_per_s")); break;
                case 3: val = json_real_value(json_object_get(v, "records_out_per_s")); break;
                case 4: val = json_real_value(json_object_get(v, "busy_ms_per_s")); break;
                case 5: val = json_real_value(json_object_get(v, "backpressured_ms_per_s")); break;
                case 6: val = json_real_value(json_object_get(v, "idle_ms_per_s")); break;
                default:
                    if (!src) continue;
                    if (m == 7 || m == 8) {
                        json_int_t l = json_integer_value(json_object_get(src, "fetch_lag_ms"));
                        if (l < 0) continue;
                        val = (double)l;
                    } else if (m == 9) {
                        val = (double)json_integer_value(json_object_get(src, "idle_ms"));
                    } else {
                        val = json_is_true(json_object_get(src, "snapshotting")) ? 1 : 0;
                    }
                }
                sl_strbuf_printf(out, "%s{job_id=\"", op_metrics[m].name);
                prom_label(out, json_string_value(json_object_get(d, "id")));
                sl_strbuf_puts(out, "\",job_name=\"");
                prom_label(out, json_string_value(json_object_get(d, "name")));
                sl_strbuf_printf(out, "\",operator_id=\"%d\",operator_name=\"",
                                 (int)json_integer_value(json_object_get(v, "id")));
                prom_label(out, json_string_value(json_object_get(v, "name")));
                sl_strbuf_printf(out, "\"} %.17g\n", val);
            }
        }
    }
    for (size_t m = 0; m < sizeof job_metrics / sizeof *job_metrics; m++) {
        sl_strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", job_metrics[m].name, job_metrics[m].help,
                         job_metrics[m].name, job_metrics[m].type);
        for (size_t i = 0; i < n; i++) {
            if (!details[i]) continue;
            json_t *d = details[i];
            json_t *ck = json_object_get(d, "checkpoints");
            json_t *h = json_object_get(ck, "history");
            double last_dur = 0;
            for (size_t k = 0; k < json_array_size(h); k++) {
                json_t *r = json_array_get(h, k);
                if (!strcmp(json_string_value(json_object_get(r, "status")), "COMPLETED"))
                    last_dur = (double)json_integer_value(json_object_get(r, "duration_ms"));
            }
            double val;
            switch (m) {
            case 0: val = (double)json_integer_value(json_object_get(ck, "completed")); break;
            case 1: val = (double)json_integer_value(json_object_get(ck, "failed")); break;
            case 2: val = json_is_true(json_object_get(ck, "in_progress")) ? 1 : 0; break;
            case 3: val = last_dur; break;
            case 4:
            case 7: val = (double)json_integer_value(json_object_get(d, "state_size_bytes")); break;
            case 5: val = (double)json_integer_value(json_object_get(d, "restarts")); break;
            default: val = (double)json_integer_value(json_object_get(d, "duration_ms")); break;
            }
            sl_strbuf_printf(out, "%s{job_id=\"", job_metrics[m].name);
            prom_label(out, json_string_value(json_object_get(d, "id")));
            sl_strbuf_puts(out, "\",job_name=\"");
            prom_label(out, json_string_value(json_object_get(d, "name")));
            sl_strbuf_printf(out, "\"} %.17g\n", val);
        }
    }
    for (size_t i = 0; i < n; i++) json_decref(details[i]);
    free(details);
    json_decref(jobs);
}
