/* datagen.c - the 'datagen' source: random or sequential rows, rate-limited.
 *
 * As Flink's DataGen connector: each column has a generator, 'random' by
 * default or 'sequence' ('fields.<col>.kind'). Random values are uniform in
 * [min, max] (numbers; the type's range by default, and Flink's quirky
 * [Float/Double.MIN_VALUE, MAX_VALUE] for FLOAT/DOUBLE), strings of 'length'
 * random hex digits, DATE and TIME of now (local time), TIMESTAMPs of now
 * minus up to 'max-past' (UTC wall clock, as TimestampData.fromEpochMillis),
 * collections of 'length' elements whose element options are named
 * 'fields.<col>.element.*' (ARRAY), '.key.*' / '.value.*' (MAP) and
 * '.<field>.*' (ROW). A sequence emits start..end once, in order, and ends
 * the source when exhausted; 'number-of-rows' bounds the source too.
 *
 * Rows are produced straight into the batch (strings in its arena). The
 * source sleeps on its own thread to hold 'rows-per-second', in slices, so
 * wakeup() makes next() return within SLICE_NS.
 *
 * Reproducibility (a sluice addition, no option): each column's random
 * stream is seeded from the table name and the column's index, so the same
 * table yields the same values on every run (except for DATE/TIME/TIMESTAMP,
 * which follow the clock).
 */
#include "connectors/datagen/datagen.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/decimal.h"
#include "util/strbuf.h"
#include "util/time.h"

#define SLICE_NS 50000000LL            /* longest uninterrupted sleep */
#define DEFAULT_STRING_LENGTH 100      /* Flink's RANDOM_STRING_LENGTH_DEFAULT */
#define DEFAULT_COLLECTION_LENGTH 3    /* RANDOM_COLLECTION_LENGTH_DEFAULT */

static const sl_option_spec_t datagen_options[] = {
    {"number-of-rows", SL_OPT_INT, false, NULL, NULL,
     "total rows to emit; unbounded when unset"},
    {"rows-per-second", SL_OPT_INT, false, "10000", NULL,
     "rows emitted per second"},
    {"scan.parallelism", SL_OPT_INT, false, NULL, NULL,
     "accepted; a source runs on one thread"},
    {"fields.#.kind", SL_OPT_ENUM, false, "random", "random|sequence",
     "generator of the column"},
    {"fields.#.min", SL_OPT_STRING, false, NULL, NULL,
     "smallest random value (numeric types); the type's minimum"},
    {"fields.#.max", SL_OPT_STRING, false, NULL, NULL,
     "largest random value (numeric types); the type's maximum"},
    {"fields.#.max-past", SL_OPT_DURATION, false, "0", NULL,
     "random TIMESTAMPs lie up to this far before now"},
    {"fields.#.length", SL_OPT_INT, false, "100", NULL,
     "length of random strings and bytes, size of collections (3)"},
    {"fields.#.var-len", SL_OPT_BOOL, false, "false", NULL,
     "random strings and bytes of length 1..length"},
    {"fields.#.start", SL_OPT_STRING, false, NULL, NULL,
     "first value of a sequence"},
    {"fields.#.end", SL_OPT_STRING, false, NULL, NULL,
     "last value of a sequence"},
    {"fields.#.null-rate", SL_OPT_DOUBLE, false, "0", NULL,
     "fraction of NULL values, 0..1"},
    {NULL, 0, false, NULL, NULL, NULL},
};

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

typedef struct rng {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* [0, 1) */
static double rng_double(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(rng_t *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX) return (int64_t)rng_next(r);
    return (int64_t)((uint64_t)lo + rng_next(r) % (span + 1));
}

static __int128 rng_range128(rng_t *r, __int128 lo, __int128 hi)
{
    unsigned __int128 span = (unsigned __int128)(hi - lo);
    unsigned __int128 x = ((unsigned __int128)rng_next(r) << 64) | rng_next(r);
    if (span == ~(unsigned __int128)0) return (__int128)x;
    return lo + (__int128)(x % (span + 1));
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* ---- generators ---- */

typedef struct gen gen_t;
struct gen {
    const sl_type_t *t;
    rng_t rng;
    bool sequence;
    double null_rate;
    int64_t imin, imax;        /* integers, intervals, sequences */
    double dmin, dmax;         /* FLOAT, DOUBLE */
    __int128 umin, umax;       /* DECIMAL, unscaled */
    int64_t max_past;          /* TIMESTAMP, ms */
    int length;                /* strings, bytes, collections */
    bool var_len;
    int64_t seq_next;          /* sequence: next value */
    bool seq_done;             /* sequence: imax was emitted */
    gen_t *kids;               /* ARRAY element / MAP key, value / ROW fields */
    int nkids;
};

/* Builds generators from the options, marking those it reads. */
typedef struct build {
    const sl_options_t *opts;
    bool *used;                /* per opts->v entry */
    sl_arena_t *a;
    sl_err_t *err;
} build_t;

static const sl_optval_t *take(build_t *b, const char *path, const char *opt)
{
    char key[512];
    snprintf(key, sizeof key, "fields.%s.%s", path, opt);
    for (int i = 0; i < b->opts->n; i++) {
        if (strcmp(b->opts->v[i].key, key) != 0) continue;
        b->used[i] = true;
        return &b->opts->v[i];
    }
    return NULL;
}

static int opt_err(build_t *b, const sl_optval_t *v, bool at_value,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int opt_err(build_t *b, const sl_optval_t *v, bool at_value,
                   const char *fmt, ...)
{
    char msg[SL_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int off = -1, len = 0;
    if (v && v->src) {
        off = at_value ? v->src->val_off : v->src->key_off;
        len = at_value ? v->src->val_len : v->src->key_len;
    }
    return sl_err_at(b->err, SL_EINVAL, off, len, "%s", msg);
}

static const char *type_name(build_t *b, const sl_type_t *t)
{
    const char *s = sl_type_str(b->a, t);
    return s ? s : "?";
}

static void int_range(const sl_type_t *t, int64_t *lo, int64_t *hi)
{
    switch (t->id) {
    case SL_T_TINYINT: *lo = INT8_MIN; *hi = INT8_MAX; break;
    case SL_T_SMALLINT: *lo = INT16_MIN; *hi = INT16_MAX; break;
    case SL_T_INT: *lo = INT32_MIN; *hi = INT32_MAX; break;
    case SL_T_INTERVAL_YM: *lo = 0; *hi = 120000; break;   /* Flink's Period max */
    default: *lo = INT64_MIN; *hi = INT64_MAX; break;
    }
}

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    while (*s == ' ') s++;
    long long v = strtoll(s, &end, 10);
    while (*end == ' ') end++;
    if (end == s || *end || errno) return -1;
    *out = v;
    return 0;
}

static int parse_f64(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ') end++;
    if (end == s || *end || errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static __int128 pow10_128(int n)
{
    __int128 v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

/* A min/max/start/end option as a value of the column's number type. */
static int number_opt(build_t *b, const sl_optval_t *v, const sl_type_t *t,
                      int64_t *i, double *d, __int128 *u)
{
    switch (t->id) {
    case SL_T_FLOAT: case SL_T_DOUBLE:
        if (parse_f64(v->text, d) < 0) break;
        if (t->id == SL_T_FLOAT && fabs(*d) > 3.40282346638528860e+38) break;
        return 0;
    case SL_T_DECIMAL: {
        sl_decimal_t dec;
        if (sl_decimal_parse(v->text, strlen(v->text), t->len, t->scale, &dec) < 0)
            break;
        *u = dec.unscaled;
        return 0;
    }
    default: {
        int64_t lo, hi;
        int_range(t, &lo, &hi);
        if (parse_i64(v->text, i) < 0 || *i < lo || *i > hi) break;
        return 0;
    }
    }
    return opt_err(b, v, true, "option '%s' expects a %s value, got '%s'",
                   v->key, type_name(b, t), v->text);
}

static bool is_number(const sl_type_t *t)
{
    return sl_type_is_numeric(t) || sl_type_is_interval(t);
}

static int build_gen(build_t *b, gen_t *g, const sl_type_t *t, const char *path,
                     uint64_t seed, bool top);

static int build_sequence(build_t *b, gen_t *g, const sl_type_t *t,
                          const char *path, const sl_optval_t *kind)
{
    if (!sl_type_is_integer(t) && !sl_type_is_string(t) && t->id != SL_T_DECIMAL &&
        t->id != SL_T_FLOAT && t->id != SL_T_DOUBLE)
        return opt_err(b, kind, true,
                       "the sequence generator cannot produce %s (column '%s'); "
                       "it supports numbers and strings", type_name(b, t), path);
    const sl_optval_t *s = take(b, path, "start"), *e = take(b, path, "end");
    if (!s || !e)
        return opt_err(b, kind, true,
                       "a sequence needs 'fields.%s.start' and 'fields.%s.end'",
                       path, path);
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (sl_type_is_integer(t)) int_range(t, &lo, &hi);
    const sl_optval_t *ends[2] = {s, e};
    int64_t vals[2];
    for (int k = 0; k < 2; k++) {
        double d;
        if (parse_i64(ends[k]->text, &vals[k]) == 0 && vals[k] >= lo && vals[k] <= hi)
            continue;
        /* Flink's sequences count in longs; fractional bounds truncate */
        if ((t->id == SL_T_FLOAT || t->id == SL_T_DOUBLE || t->id == SL_T_DECIMAL) &&
            parse_f64(ends[k]->text, &d) == 0 && fabs(d) < 9.2e18) {
            vals[k] = (int64_t)d;
            continue;
        }
        return opt_err(b, ends[k], true, "option '%s' expects %s, got '%s'",
                       ends[k]->key,
                       sl_type_is_integer(t) ? type_name(b, t) : "an integer",
                       ends[k]->text);
    }
    if (vals[0] > vals[1])
        return opt_err(b, e, true, "option '%s' (%lld) is below 'fields.%s.start' (%lld)",
                       e->key, (long long)vals[1], path, (long long)vals[0]);
    if (t->id == SL_T_DECIMAL) {
        __int128 lim = pow10_128(t->len - t->scale);
        if (vals[0] <= -lim || vals[1] >= lim)
            return opt_err(b, vals[1] >= lim ? e : s, true,
                           "the sequence does not fit %s", type_name(b, t));
    }
    g->sequence = true;
    g->imin = vals[0];
    g->imax = vals[1];
    g->seq_next = vals[0];
    return 0;
}

static int build_random(build_t *b, gen_t *g, const sl_type_t *t,
                        const char *path, uint64_t seed)
{
    if (is_number(t)) {
        const sl_optval_t *mn = take(b, path, "min"), *mx = take(b, path, "max");
        int_range(t, &g->imin, &g->imax);
        if (t->id == SL_T_FLOAT) {
            g->dmin = 1.40129846432481707e-45;   /* Float.MIN_VALUE */
            g->dmax = 3.40282346638528860e+38;   /* Float.MAX_VALUE */
        } else {
            g->dmin = 4.9e-324;                  /* Double.MIN_VALUE */
            g->dmax = 1.7976931348623157e308;
        }
        if (t->id == SL_T_DECIMAL) {
            /* Flink draws from [min, max] clipped to the type's range,
             * which by default is [0, 10^(p-s)) */
            g->umin = 0;
            g->umax = pow10_128(t->len) - 1;
        }
        int64_t i = 0;
        double d = 0;
        __int128 u = 0;
        if (mn) {
            int rc = number_opt(b, mn, t, &i, &d, &u);
            if (rc < 0) return rc;
            g->imin = i; g->dmin = d; g->umin = u;
        }
        if (mx) {
            int rc = number_opt(b, mx, t, &i, &d, &u);
            if (rc < 0) return rc;
            g->imax = i; g->dmax = d; g->umax = u;
        }
        bool bad = t->id == SL_T_DECIMAL ? g->umin > g->umax
                 : (t->id == SL_T_FLOAT || t->id == SL_T_DOUBLE) ? g->dmin > g->dmax
                 : g->imin > g->imax;
        if (bad)
            return opt_err(b, mx ? mx : mn, true,
                           "'fields.%s.min' is greater than 'fields.%s.max'", path, path);
        return 0;
    }
    switch (t->id) {
    case SL_T_BOOLEAN: case SL_T_DATE: case SL_T_TIME:
        return 0;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        const sl_optval_t *mp = take(b, path, "max-past");
        g->max_past = mp ? mp->i : 0;
        return 0;
    }
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY: {
        const sl_optval_t *len = take(b, path, "length");
        const sl_optval_t *vl = take(b, path, "var-len");
        bool fixed = t->id == SL_T_CHAR || t->id == SL_T_BINARY;
        if (fixed) {
            if (len)
                return opt_err(b, len, false, "option '%s' is not supported for "
                               "the fixed-length type %s of column '%s'",
                               len->key, type_name(b, t), path);
            if (vl && vl->i)
                return opt_err(b, vl, false, "option '%s' is not supported for "
                               "the fixed-length type %s of column '%s'",
                               vl->key, type_name(b, t), path);
            g->length = t->len;
            return 0;
        }
        int64_t l = len ? len->i : (t->len < DEFAULT_STRING_LENGTH ? t->len
                                                                   : DEFAULT_STRING_LENGTH);
        if (len && (l < 0 || l > t->len))
            return opt_err(b, len, true, "option '%s' must be between 0 and the "
                           "declared length %d of column '%s'",
                           len->key, (int)t->len, path);
        if (l > 1 << 24)
            return opt_err(b, len, true, "option '%s' is too large", len->key);
        g->length = (int)l;
        g->var_len = vl && vl->i;
        return 0;
    }
    case SL_T_ARRAY: case SL_T_MAP: case SL_T_ROW: {
        if (t->id != SL_T_ROW) {
            const sl_optval_t *len = take(b, path, "length");
            g->length = len ? (int)len->i : DEFAULT_COLLECTION_LENGTH;
            if (len && (len->i < 0 || len->i > 1 << 20))
                return opt_err(b, len, true, "option '%s' must be between 0 and %d",
                               len->key, 1 << 20);
        }
        g->nkids = t->id == SL_T_ARRAY ? 1 : t->id == SL_T_MAP ? 2 : t->nfields;
        g->kids = sl_arena_calloc(b->a, sizeof *g->kids * (size_t)(g->nkids ? g->nkids : 1));
        if (!g->kids) return sl_err_set(b->err, SL_ENOMEM, "out of memory");
        for (int k = 0; k < g->nkids; k++) {
            const char *sub = t->id == SL_T_ARRAY ? "element"
                            : t->id == SL_T_MAP ? (k == 0 ? "key" : "value")
                            : t->fields[k].name;
            const sl_type_t *st = t->id == SL_T_ARRAY ? t->elem
                                : t->id == SL_T_MAP ? (k == 0 ? t->key : t->elem)
                                : t->fields[k].type;
            char *kp = sl_arena_printf(b->a, "%s.%s", path, sub);
            if (!kp) return sl_err_set(b->err, SL_ENOMEM, "out of memory");
            int rc = build_gen(b, &g->kids[k], st, kp, seed * 31 + (uint64_t)k + 1, false);
            if (rc < 0) return rc;
        }
        return 0;
    }
    default:
        return sl_err_set(b->err, SL_EUNSUPPORTED,
                          "datagen cannot generate values of type %s (column '%s')",
                          type_name(b, t), path);
    }
}

static int build_gen(build_t *b, gen_t *g, const sl_type_t *t, const char *path,
                     uint64_t seed, bool top)
{
    memset(g, 0, sizeof *g);
    g->t = t;
    rng_seed(&g->rng, seed);
    const sl_optval_t *kind = take(b, path, "kind");
    const sl_optval_t *nr = take(b, path, "null-rate");
    if (nr) {
        if (!(nr->d >= 0 && nr->d <= 1))
            return opt_err(b, nr, true, "option '%s' must be between 0 and 1, got '%s'",
                           nr->key, nr->text);
        g->null_rate = nr->d;
    }
    if (kind && kind->i == 1) {
        if (!top)
            return opt_err(b, kind, true, "sequences are supported for top-level "
                           "columns only ('%s')", kind->key);
        return build_sequence(b, g, t, path, kind);
    }
    return build_random(b, g, t, path, seed);
}

/* Generators for every column; an option no generator read is an error
 * (Flink's "Unsupported options"), e.g. 'fields.id.length' on an INT. */
static int build_all(const sl_conn_ctx_t *ctx, sl_arena_t *a, gen_t **out,
                     sl_err_t *err)
{
    const sl_options_t *o = ctx->opts;
    build_t b = {.opts = o, .a = a, .err = err};
    b.used = sl_arena_calloc(a, sizeof *b.used * (size_t)(o->n ? o->n : 1));
    gen_t *gens = sl_arena_calloc(a, sizeof *gens * (size_t)(ctx->ncols ? ctx->ncols : 1));
    if (!b.used || !gens) return sl_err_set(err, SL_ENOMEM, "out of memory");
    uint64_t base = fnv1a(ctx->table);
    for (int c = 0; c < ctx->ncols; c++) {
        uint64_t x = base ^ ((uint64_t)(c + 1) * 0x9e3779b97f4a7c15ULL);
        int rc = build_gen(&b, &gens[c], ctx->types[c], ctx->names[c],
                           splitmix64(&x), true);
        if (rc < 0) return rc;
    }
    for (int i = 0; i < o->n; i++) {
        const sl_optval_t *v = &o->v[i];
        if (b.used[i] || strncmp(v->key, "fields.", 7) != 0) continue;
        return opt_err(&b, v, false,
                       "option '%s' does not apply to its column (wrong type, "
                       "generator kind or field path)", v->key);
    }
    *out = gens;
    return 0;
}

/* ---- producing values ---- */

typedef struct clock_now {
    int64_t utc_ms;            /* for TIMESTAMPs */
    sl_date_t local_date;      /* for DATE */
    sl_time_t local_time;      /* for TIME, ns of the day */
} clock_now_t;

static void now_fill(clock_now_t *c)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    c->utc_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    struct tm tm;
    time_t sec = ts.tv_sec;
    localtime_r(&sec, &tm);
    sl_date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &c->local_date);
    c->local_time = ((int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) *
                        1000000000LL + ts.tv_nsec;
}

static const char hexdigits[] = "0123456789abcdef";

static int gen_value(gen_t *g, sl_value_t *v, sl_arena_t *a, const clock_now_t *now)
{
    memset(v, 0, sizeof *v);
    const sl_type_t *t = g->t;
    if (g->sequence) {
        int64_t x = g->seq_next;
        if (x == g->imax) g->seq_done = true;
        else g->seq_next++;
        if (g->null_rate > 0 && rng_double(&g->rng) < g->null_rate) {
            v->null = 1;
            return 0;
        }
        switch (t->id) {
        case SL_T_FLOAT: case SL_T_DOUBLE: v->f64 = (double)x; break;
        case SL_T_DECIMAL: v->dec = (__int128)x * pow10_128(t->scale); break;
        case SL_T_CHAR: case SL_T_VARCHAR: {
            char *s = sl_arena_printf(a, "%lld", (long long)x);
            if (!s) return -SL_ENOMEM;
            v->str = s;
            v->len = (uint32_t)strlen(s);
            break;
        }
        default: v->i64 = x; break;
        }
        return 0;
    }
    if (g->null_rate > 0 && rng_double(&g->rng) < g->null_rate) {
        v->null = 1;
        return 0;
    }
    switch (t->id) {
    case SL_T_BOOLEAN:
        v->b = rng_next(&g->rng) & 1;
        return 0;
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_INTERVAL_YM: case SL_T_INTERVAL_DT:
        v->i64 = rng_range(&g->rng, g->imin, g->imax);
        return 0;
    case SL_T_FLOAT: {
        double u = rng_double(&g->rng);
        v->f64 = (double)(float)(g->dmin * (1 - u) + g->dmax * u);
        return 0;
    }
    case SL_T_DOUBLE: {
        /* a weighted mean: no overflow for ranges wider than DBL_MAX */
        double u = rng_double(&g->rng);
        v->f64 = g->dmin * (1 - u) + g->dmax * u;
        return 0;
    }
    case SL_T_DECIMAL:
        v->dec = rng_range128(&g->rng, g->umin, g->umax);
        return 0;
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY: {
        int n = g->length;
        if (g->var_len && n > 0) n = (int)rng_range(&g->rng, 1, n);
        char *s = sl_arena_alloc(a, (size_t)n + 1);
        if (!s) return -SL_ENOMEM;
        bool text = t->id == SL_T_CHAR || t->id == SL_T_VARCHAR;
        for (int i = 0; i < n;) {
            uint64_t r = rng_next(&g->rng);
            for (int k = 0; k < 8 && i < n; k++, i++, r >>= 8)
                s[i] = text ? hexdigits[r & 15] : (char)(r & 0xff);
        }
        s[n] = 0;
        v->str = s;
        v->len = (uint32_t)n;
        return 0;
    }
    case SL_T_DATE:
        v->date = now->local_date;
        return 0;
    case SL_T_TIME:
        v->time = sl_time_truncate(now->local_time, t->len);
        return 0;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        int64_t back = g->max_past > 0 ? rng_range(&g->rng, 0, g->max_past) : 0;
        v->ts = sl_timestamp_from_millis(now->utc_ms - back);
        return 0;
    }
    case SL_T_ARRAY: case SL_T_MAP: case SL_T_ROW: {
        int n = t->id == SL_T_ROW ? g->nkids : g->length;
        int slots = t->id == SL_T_MAP ? 2 * n : n;
        sl_nested_t *nv = sl_arena_alloc(a, sizeof *nv + sizeof(sl_value_t) * (size_t)(slots ? slots : 1));
        if (!nv) return -SL_ENOMEM;
        nv->n = n;
        for (int i = 0; i < slots; i++) {
            gen_t *k = t->id == SL_T_ARRAY ? &g->kids[0]
                     : t->id == SL_T_MAP ? &g->kids[i < n ? 0 : 1] : &g->kids[i];
            int rc = gen_value(k, &nv->v[i], a, now);
            if (rc < 0) return rc;
        }
        v->nested = nv;
        v->len = (uint32_t)n;
        return 0;
    }
    default:
        return -SL_EUNSUPPORTED;
    }
}

/* ---- the source ---- */

typedef struct datagen_src {
    int ncols;
    gen_t *gens;
    sl_arena_t arena;          /* generators */
    int64_t total;             /* number-of-rows, -1 when unbounded */
    int64_t emitted;
    int64_t resumed;           /* emitted when restored (the rate counts from it) */
    int64_t rps;
    int64_t t0_ns;             /* CLOCK_MONOTONIC of the first next() */
    bool started;
    atomic_bool wake;          /* set by wakeup(): return from sleeps */
} datagen_src_t;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleeps until the monotonic deadline; false if woken up first. */
static bool sleep_until(datagen_src_t *d, int64_t deadline)
{
    for (;;) {
        if (atomic_exchange(&d->wake, false)) return false;
        int64_t now = mono_ns();
        if (now >= deadline) return true;
        int64_t until = deadline - now > SLICE_NS ? now + SLICE_NS : deadline;
        struct timespec ts = {.tv_sec = until / 1000000000LL,
                              .tv_nsec = until % 1000000000LL};
        int rc;
        do {
            rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        } while (rc == EINTR);
    }
}

static bool sequences_left(const datagen_src_t *d)
{
    for (int c = 0; c < d->ncols; c++)
        if (d->gens[c].sequence && d->gens[c].seq_done) return false;
    return true;
}

static int datagen_next(sl_source_t *src, sl_batch_t *out, int max_rows,
                        sl_err_t *err)
{
    datagen_src_t *d = src->ctx;
    if ((d->total >= 0 && d->emitted >= d->total) || !sequences_left(d))
        return SL_SOURCE_END;
    if (!d->started) {
        d->started = true;
        d->t0_ns = mono_ns();
    }
    int64_t k = max_rows > 0 ? max_rows : 1;
    if (d->total >= 0 && d->total - d->emitted < k) k = d->total - d->emitted;
    /* a batch covers at most a tenth of a second of rows */
    int64_t per_tick = d->rps / 10 > 0 ? d->rps / 10 : 1;
    if (k > per_tick) k = per_tick;
    int64_t due = d->t0_ns + (int64_t)((__int128)(d->emitted - d->resumed) * 1000000000 / d->rps);
    if (!sleep_until(d, due)) return 0;
    clock_now_t now;
    now_fill(&now);
    for (int64_t r = 0; r < k && sequences_left(d); r++) {
        sl_value_t *row = sl_batch_add(out, SL_INSERT);
        if (!row) return sl_err_set(err, SL_ENOMEM, "out of memory");
        for (int c = 0; c < d->ncols; c++) {
            int rc = gen_value(&d->gens[c], &row[c], &out->arena, &now);
            if (rc < 0) return sl_err_set(err, -rc, "datagen: %s", sl_err_str(rc));
        }
        d->emitted++;
    }
    return 0;
}

static void datagen_wakeup(sl_source_t *src)
{
    datagen_src_t *d = src->ctx;
    atomic_store(&d->wake, true);
}

static void datagen_close(sl_source_t *src)
{
    datagen_src_t *d = src->ctx;
    if (!d) return;
    sl_arena_destroy(&d->arena);
    free(d);
    src->ctx = NULL;
}

/* The position is the number of rows emitted ("dg1 N"): sequences go on
 * from start + N, number-of-rows counts on, random fields are random. */
static int datagen_position(sl_source_t *src, sl_strbuf_t *out)
{
    datagen_src_t *d = src->ctx;
    return sl_strbuf_printf(out, "dg1 %lld", (long long)d->emitted);
}

static int datagen_restore(datagen_src_t *d, const char *p, size_t n, sl_err_t *err)
{
    char buf[64];
    long long v;
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    if (sscanf(buf, "dg1 %lld", &v) != 1 || v < 0)
        return sl_err_set(err, SL_EFORMAT, "datagen: the checkpoint's position '%s' is not one of "
                          "a datagen source", buf);
    d->emitted = d->resumed = v;
    for (int c = 0; c < d->ncols; c++) {
        gen_t *g = &d->gens[c];
        if (!g->sequence || v == 0) continue;
        /* start..start+v-1 were emitted */
        if ((uint64_t)v > (uint64_t)g->imax - (uint64_t)g->seq_next) {
            g->seq_next = g->imax;
            g->seq_done = true;
        } else {
            g->seq_next += v;
        }
    }
    return 0;
}

static const sl_source_ops_t datagen_source_ops = {
    .next = datagen_next,
    .wakeup = datagen_wakeup,
    .close = datagen_close,
    .position = datagen_position,
};

static int check_rates(const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    const sl_optval_t *rps = sl_options_get(ctx->opts, "rows-per-second");
    if (rps && rps->i <= 0)
        return sl_err_at(err, SL_EINVAL, rps->src ? rps->src->val_off : -1,
                         rps->src ? rps->src->val_len : 0,
                         "option 'rows-per-second' must be positive, got '%s'",
                         rps->text);
    const sl_optval_t *nr = sl_options_get(ctx->opts, "number-of-rows");
    if (nr && nr->i < 0)
        return sl_err_at(err, SL_EINVAL, nr->src ? nr->src->val_off : -1,
                         nr->src ? nr->src->val_len : 0,
                         "option 'number-of-rows' cannot be negative, got '%s'",
                         nr->text);
    return 0;
}

static int datagen_validate(const sl_conn_ctx_t *ctx, sl_err_t *err)
{
    int rc = check_rates(ctx, err);
    if (rc < 0) return rc;
    sl_arena_t a;
    sl_arena_init(&a, 0);
    gen_t *gens;
    rc = build_all(ctx, &a, &gens, err);
    sl_arena_destroy(&a);
    return rc;
}

static int datagen_source_new(const sl_conn_ctx_t *ctx, sl_source_t *out,
                              sl_err_t *err)
{
    int rc = check_rates(ctx, err);
    if (rc < 0) return rc;
    datagen_src_t *d = calloc(1, sizeof *d);
    if (!d) return sl_err_set(err, SL_ENOMEM, "out of memory");
    sl_arena_init(&d->arena, 0);
    rc = build_all(ctx, &d->arena, &d->gens, err);
    if (rc < 0) {
        sl_arena_destroy(&d->arena);
        free(d);
        return rc;
    }
    d->ncols = ctx->ncols;
    d->total = sl_options_int(ctx->opts, "number-of-rows", -1);
    d->rps = sl_options_int(ctx->opts, "rows-per-second", 10000);
    atomic_init(&d->wake, false);
    if (ctx->restore && (rc = datagen_restore(d, ctx->restore, ctx->restore_len, err)) < 0) {
        sl_arena_destroy(&d->arena);
        free(d);
        return rc;
    }
    bool seq = false;
    for (int c = 0; c < d->ncols; c++) seq = seq || d->gens[c].sequence;
    out->ops = &datagen_source_ops;
    out->ctx = d;
    out->bounded = d->total >= 0 || seq;
    return 0;
}

const sl_connector_type_t sl_datagen_connector = {
    .name = "datagen",
    .roles = SL_CONN_SOURCE,
    .options = datagen_options,
    .validate = datagen_validate,
    .source_new = datagen_source_new,
    .sink_new = NULL,
};
