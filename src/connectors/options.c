/* options.c - checks a table's WITH options against a connector's table.
 *
 * One place reads every option table (Fluent Bit style): it rejects unknown
 * keys with the list of accepted ones, parses typed values the way Flink's
 * ConfigOption parsing does (TimeUtils durations, MemorySize sizes, case-
 * insensitive booleans and enums), resolves '#' patterns against the table's
 * columns, and appends the defaults of options not given. Errors carry the
 * SQL position of the offending key or value; the value of a secret option
 * (password, token, ...) never appears in a message.
 */
#include "connectors/connector.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/sql.h"
#include "util/strbuf.h"

/* Longest option list printed in an "unsupported option" message before it
 * is shortened (the whole message must fit SL_ERR_MSG_MAX). */
#define LIST_MAX 360
/* Longest value quoted in a message. */
#define VALUE_MAX 80

static const sl_option_spec_t connector_spec = {
    "connector", SL_OPT_STRING, true, NULL, NULL,
    "the connector type"};

/* ---- looking options up ---- */

const sl_optval_t *sl_options_get(const sl_options_t *o, const char *key)
{
    if (!o || !key) return NULL;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->v[i].key, key) == 0) return &o->v[i];
    return NULL;
}

const char *sl_options_str(const sl_options_t *o, const char *key,
                           const char *def)
{
    const sl_optval_t *v = sl_options_get(o, key);
    return v ? v->text : def;
}

int64_t sl_options_int(const sl_options_t *o, const char *key, int64_t def)
{
    const sl_optval_t *v = sl_options_get(o, key);
    return v ? v->i : def;
}

/* ---- value parsers (Flink's ConfigurationUtils / TimeUtils / MemorySize) ---- */

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

static int parse_int(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    trim(&s, &n);
    bool neg = false;
    if (n > 0 && (*s == '+' || *s == '-')) { neg = *s == '-'; s++; n--; }
    if (n == 0) return -1;
    uint64_t v = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static int parse_bool(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    trim(&s, &n);
    if (n == 4 && strncasecmp(s, "true", 4) == 0) { *out = 1; return 0; }
    if (n == 5 && strncasecmp(s, "false", 5) == 0) { *out = 0; return 0; }
    return -1;
}

static int parse_double(const char *s, double *out)
{
    size_t n = strlen(s);
    trim(&s, &n);
    if (n == 0 || n > 64) return -1;
    char buf[72];
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(d)) return -1;
    /* strtod takes hex floats and "nan"; Java's parseDouble does not */
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 'x' || buf[i] == 'X' || buf[i] == 'n' || buf[i] == 'N')
            return -1;
    *out = d;
    return 0;
}

/* Splits "<digits> [unit]" as TimeUtils / MemorySize do: a non-negative
 * number, optional blanks, an optional unit label (lower-cased). */
static int split_number_unit(const char *s, uint64_t *num, char *unit,
                             size_t unitcap)
{
    size_t n = strlen(s);
    trim(&s, &n);
    size_t i = 0;
    uint64_t v = 0;
    while (i < n && isdigit((unsigned char)s[i])) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
        i++;
    }
    if (i == 0) return -1;
    while (i < n && isspace((unsigned char)s[i])) i++;
    size_t ul = n - i;
    if (ul >= unitcap) return -1;
    for (size_t k = 0; k < ul; k++) unit[k] = (char)tolower((unsigned char)s[i + k]);
    unit[ul] = 0;
    *num = v;
    return 0;
}

/* Flink's TimeUnit labels (TimeUtils.TimeUnit), singular and plural. A bare
 * number is milliseconds. Units below a millisecond truncate. */
static const struct {
    const char *labels;        /* '|' separated */
    int64_t mul;               /* ms per unit, or -divisor below a ms */
} duration_units[] = {
    {"d|day|days", 86400000},
    {"h|hour|hours", 3600000},
    {"min|m|minute|minutes|mins", 60000},
    {"s|sec|secs|second|seconds", 1000},
    {"ms|milli|millis|millisecond|milliseconds", 1},
    {"\xc2\xb5s|us|micro|micros|microsecond|microseconds", -1000},
    {"ns|nano|nanos|nanosecond|nanoseconds", -1000000},
};

static bool label_in(const char *labels, const char *unit)
{
    size_t ul = strlen(unit);
    const char *p = labels;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == ul && memcmp(p, unit, l) == 0) return true;
        if (!bar) break;
        p = bar + 1;
    }
    return false;
}

static int parse_duration(const char *s, int64_t *ms)
{
    uint64_t v;
    char unit[32];
    if (split_number_unit(s, &v, unit, sizeof unit) < 0) return -1;
    if (!unit[0]) {
        if (v > INT64_MAX) return -1;
        *ms = (int64_t)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
        if (!label_in(duration_units[i].labels, unit)) continue;
        int64_t m = duration_units[i].mul;
        if (m < 0) {
            *ms = (int64_t)(v / (uint64_t)(-m));
            return 0;
        }
        if (v > (uint64_t)INT64_MAX / (uint64_t)m) return -1;
        *ms = (int64_t)v * m;
        return 0;
    }
    return -1;
}

/* MemorySize.parse: binary multiples, case-insensitive units. */
static int parse_memsize(const char *s, int64_t *bytes)
{
    static const struct { const char *labels; int shift; } units[] = {
        {"b|bytes", 0},
        {"k|kb|kibibytes", 10},
        {"m|mb|mebibytes", 20},
        {"g|gb|gibibytes", 30},
        {"t|tb|tebibytes", 40},
    };
    uint64_t v;
    char unit[32];
    if (split_number_unit(s, &v, unit, sizeof unit) < 0) return -1;
    int shift = -1;
    if (!unit[0]) {
        shift = 0;
    } else {
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (label_in(units[i].labels, unit)) shift = units[i].shift;
    }
    if (shift < 0) return -1;
    if (v > ((uint64_t)INT64_MAX >> shift)) return -1;
    *bytes = (int64_t)(v << shift);
    return 0;
}

static int parse_enum(const char *values, const char *s, int64_t *idx)
{
    size_t n = strlen(s);
    trim(&s, &n);
    int i = 0;
    const char *p = values;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == n && strncasecmp(p, s, n) == 0) {
            *idx = i;
            return 0;
        }
        i++;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* ---- errors ---- */

/* ", got 'value'" unless the key is a secret. */
static void got_suffix(char *buf, size_t cap, const char *key, const char *val)
{
    if (sl_sql_option_is_secret(key)) {
        snprintf(buf, cap, " (value not shown: '%s' is a secret)", key);
        return;
    }
    size_t n = strlen(val);
    if (n > VALUE_MAX)
        snprintf(buf, cap, ", got '%.*s...'", VALUE_MAX, val);
    else
        snprintf(buf, cap, ", got '%s'", val);
}

static int value_error(sl_err_t *err, const sl_optval_t *v, const char *what)
{
    char got[VALUE_MAX + 64];
    got_suffix(got, sizeof got, v->key, v->text);
    int off = v->src ? v->src->val_off : -1;
    int len = v->src ? v->src->val_len : 0;
    return sl_err_at(err, SL_EINVAL, off, len, "option '%s' expects %s%s",
                     v->key, what, got);
}

/* Parses v->text by the spec's type into v->i / v->d. */
static int parse_value(const sl_option_spec_t *spec, sl_optval_t *v,
                       sl_err_t *err)
{
    switch (spec->type) {
    case SL_OPT_STRING:
        return 0;
    case SL_OPT_INT:
        if (parse_int(v->text, &v->i) < 0)
            return value_error(err, v, "an integer");
        v->d = (double)v->i;
        return 0;
    case SL_OPT_BOOL:
        if (parse_bool(v->text, &v->i) < 0)
            return value_error(err, v, "a boolean (true or false)");
        return 0;
    case SL_OPT_DOUBLE:
        if (parse_double(v->text, &v->d) < 0)
            return value_error(err, v, "a number");
        v->i = fabs(v->d) < 9.2e18 ? (int64_t)v->d : v->d < 0 ? INT64_MIN : INT64_MAX;
        return 0;
    case SL_OPT_DURATION:
        if (parse_duration(v->text, &v->i) < 0)
            return value_error(err, v,
                               "a duration such as '10 s', '500 ms', '2 min' or '1 h'");
        return 0;
    case SL_OPT_MEMSIZE:
        if (parse_memsize(v->text, &v->i) < 0)
            return value_error(err, v, "a memory size such as '64 kb', '2 mb' or '1 gb'");
        return 0;
    case SL_OPT_ENUM: {
        if (parse_enum(spec->enum_values, v->text, &v->i) == 0) return 0;
        char what[256];
        size_t o = (size_t)snprintf(what, sizeof what, "one of ");
        for (const char *p = spec->enum_values; p && *p && o < sizeof what - 8;) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            o += (size_t)snprintf(what + o, sizeof what - o, "%s'%.*s'",
                                  p == spec->enum_values ? "" : ", ", (int)l, p);
            p = bar ? bar + 1 : NULL;
        }
        return value_error(err, v, what);
    }
    default:
        return sl_err_set(err, SL_EINTERNAL, "option '%s' has an unknown type %d",
                          spec->key, spec->type);
    }
}

/* ---- matching keys against the table ---- */

static bool is_pattern(const char *pat)
{
    size_t n = strlen(pat);
    return strchr(pat, '#') || (n > 0 && pat[n - 1] == '*');
}

/* Does key match the pattern? For '#', *mid and *midlen receive the varying
 * segment (a column name, possibly followed by a nested path). */
static bool pattern_match(const char *pat, const char *key, const char **mid,
                          size_t *midlen)
{
    size_t pl = strlen(pat), kl = strlen(key);
    const char *hash = strchr(pat, '#');
    if (!hash) {
        if (pl == 0 || pat[pl - 1] != '*') return strcmp(pat, key) == 0;
        return kl >= pl && strncmp(pat, key, pl - 1) == 0;
    }
    size_t pre = (size_t)(hash - pat), post = pl - pre - 1;
    if (kl < pre + post + 1) return false;
    if (strncmp(pat, key, pre) != 0) return false;
    if (strcmp(key + kl - post, hash + 1) != 0) return false;
    *mid = key + pre;
    *midlen = kl - pre - post;
    return true;
}

/* The column a '#' segment names: the whole segment, or its first part
 * before a nested path ("arr.element" for ARRAY column "arr"). -1 if none. */
static int column_of(const char *mid, size_t n, int ncols,
                     const char *const *names)
{
    int best = -1;
    size_t bestlen = 0;
    for (int c = 0; c < ncols; c++) {
        size_t l = strlen(names[c]);
        if (l > n || memcmp(names[c], mid, l) != 0) continue;
        if (l < n && mid[l] != '.') continue;
        if (l >= bestlen) { best = c; bestlen = l; }
    }
    return best;
}

/* ---- the list of supported options in an "unsupported" message ---- */

static void list_all(sl_strbuf_t *sb, const sl_option_spec_t *specs)
{
    for (const sl_option_spec_t *s = specs; s && s->key; s++) {
        if (sb->len) sl_strbuf_puts(sb, ", ");
        sl_strbuf_puts(sb, s->key);
    }
}

/* Keys sharing the first segment `seg` (e.g. "csv"). */
static int list_family(sl_strbuf_t *sb, const sl_option_spec_t *specs,
                       const char *seg, size_t segl)
{
    int n = 0;
    for (const sl_option_spec_t *s = specs; s && s->key; s++) {
        if (strncmp(s->key, seg, segl) != 0 || s->key[segl] != '.') continue;
        if (sb->len) sl_strbuf_puts(sb, ", ");
        sl_strbuf_puts(sb, s->key);
        n++;
    }
    return n;
}

static int family_size(const sl_option_spec_t *specs, const char *seg,
                       size_t segl)
{
    int n = 0;
    for (const sl_option_spec_t *s = specs; s && s->key; s++)
        if (strncmp(s->key, seg, segl) == 0 && s->key[segl] == '.') n++;
    return n;
}

/* Every key, with families of four or more collapsed to "seg.*". */
static void list_collapsed(sl_strbuf_t *sb, const sl_option_spec_t *specs)
{
    for (const sl_option_spec_t *s = specs; s && s->key; s++) {
        const char *dot = strchr(s->key, '.');
        size_t segl = dot ? (size_t)(dot - s->key) : 0;
        if (dot && family_size(specs, s->key, segl) >= 4) {
            /* print the family once, at its first member */
            bool first = true;
            for (const sl_option_spec_t *q = specs; q < s; q++)
                if (strncmp(q->key, s->key, segl) == 0 && q->key[segl] == '.')
                    first = false;
            if (!first) continue;
            if (sb->len) sl_strbuf_puts(sb, ", ");
            sl_strbuf_printf(sb, "%.*s.*", (int)segl, s->key);
            continue;
        }
        if (sb->len) sl_strbuf_puts(sb, ", ");
        sl_strbuf_puts(sb, s->key);
    }
}

static int unsupported_error(sl_err_t *err, const sl_connector_type_t *ct,
                             const sl_option_t *o)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    const char *what = "supported options";
    char fam[64];
    list_all(&sb, ct->options);
    if (sb.len > LIST_MAX) {
        sl_strbuf_clear(&sb);
        const char *dot = strchr(o->key, '.');
        size_t segl = dot ? (size_t)(dot - o->key) : 0;
        if (dot && segl < 40 && family_size(ct->options, o->key, segl) > 0) {
            list_family(&sb, ct->options, o->key, segl);
            snprintf(fam, sizeof fam, "supported %.*s.* options", (int)segl, o->key);
            what = fam;
        } else {
            list_collapsed(&sb, ct->options);
        }
    }
    int rc;
    if (sb.len == 0)
        rc = sl_err_at(err, SL_EINVAL, o->key_off, o->key_len,
                       "unsupported option '%s' for connector '%s'; it takes "
                       "no options besides 'connector'", o->key, ct->name);
    else
        rc = sl_err_at(err, SL_EINVAL, o->key_off, o->key_len,
                       "unsupported option '%s' for connector '%s'; %s: %s",
                       o->key, ct->name, what, sl_strbuf_cstr(&sb));
    sl_strbuf_destroy(&sb);
    return rc;
}

static int unknown_column_error(sl_err_t *err, const sl_option_t *o,
                                const char *mid, size_t midlen, int ncols,
                                const char *const *names)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    for (int c = 0; c < ncols; c++) {
        if (c) sl_strbuf_puts(&sb, ", ");
        sl_strbuf_puts(&sb, names[c]);
    }
    int rc = sl_err_at(err, SL_EINVAL, o->key_off, o->key_len,
                       "option '%s' refers to column '%.*s', which the table "
                       "does not have (columns: %s)",
                       o->key, (int)midlen, mid, ncols ? sl_strbuf_cstr(&sb) : "none");
    sl_strbuf_destroy(&sb);
    return rc;
}

/* ---- the check ---- */

/* Replaces each ${credential:NAME} in an option value by the content of
 * the file NAME in $CREDENTIALS_DIRECTORY (systemd's LoadCredential=; a
 * final newline dropped), so that secrets reach SQL options without being
 * written in the SQL, the catalog or the job's files. The result lives in
 * arena a; errors name the option and the credential, never its content. */
static int expand_credentials(const sl_option_t *o, sl_arena_t *a, const char **text,
                              sl_err_t *err)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    sl_strbuf_t sb = SL_STRBUF_INIT;
    const char *p = *text;
    int rc = 0;
    while (!rc && *p) {
        const char *at = strstr(p, "${credential:");
        if (!at) {
            rc = sl_strbuf_puts(&sb, p);
            break;
        }
        rc = sl_strbuf_append(&sb, p, (size_t)(at - p));
        const char *name = at + 13, *end = strchr(name, '}');
        size_t n = end ? (size_t)(end - name) : 0;
        bool ok = end && n > 0 && n < 200;
        for (size_t k = 0; ok && k < n; k++)
            ok = isalnum((unsigned char)name[k]) || name[k] == '_' || name[k] == '-' ||
                 name[k] == '.';
        if (!ok || (n == 1 && name[0] == '.') || (n == 2 && !strncmp(name, "..", 2))) {
            rc = sl_err_at(err, SL_EINVAL, o->val_off, o->val_len,
                           "option '%s': malformed ${credential:NAME} (NAME: letters, digits, "
                           "'_', '-', '.')",
                           o->key);
            break;
        }
        if (!dir || !*dir) {
            rc = sl_err_at(err, SL_EINVAL, o->val_off, o->val_len,
                           "option '%s' uses credential '%.*s' but $CREDENTIALS_DIRECTORY is not "
                           "set (systemd's LoadCredential= sets it)",
                           o->key, (int)n, name);
            break;
        }
        char path[4300];
        snprintf(path, sizeof path, "%s/%.*s", dir, (int)n, name);
        FILE *f = fopen(path, "re");
        if (!f) {
            rc = sl_err_at(err, SL_EINVAL, o->val_off, o->val_len,
                           "option '%s': cannot read credential '%.*s' in %s: %s", o->key, (int)n,
                           name, dir, strerror(errno));
            break;
        }
        char buf[4096];
        size_t got = fread(buf, 1, sizeof buf, f);
        bool more = got == sizeof buf && fgetc(f) != EOF;
        fclose(f);
        if (more) {
            rc = sl_err_at(err, SL_EINVAL, o->val_off, o->val_len,
                           "option '%s': credential '%.*s' is longer than 4 KiB", o->key, (int)n,
                           name);
            break;
        }
        while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r')) got--;
        rc = sl_strbuf_append(&sb, buf, got);
        explicit_bzero(buf, sizeof buf);
        p = end + 1;
    }
    if (!rc) {
        char *copy = sl_arena_alloc(a, sb.len + 1);
        if (!copy) rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        else {
            memcpy(copy, sb.buf ? sb.buf : "", sb.len);
            copy[sb.len] = 0;
            *text = copy;
        }
    } else if (rc > 0 || rc == -SL_ENOMEM) {
        if (!err->code) sl_err_set(err, SL_ENOMEM, "out of memory");
        rc = -err->code;
    }
    if (sb.buf) explicit_bzero(sb.buf, sb.len);
    sl_strbuf_destroy(&sb);
    return rc;
}

int sl_options_check(const sl_connector_type_t *ct, const sl_list_t *given,
                     int ncols, const char *const *names, sl_arena_t *a,
                     sl_options_t *out, sl_err_t *err)
{
    out->n = 0;
    out->v = NULL;
    int ngiven = given ? given->n : 0;
    int nspecs = 0;
    for (const sl_option_spec_t *s = ct->options; s && s->key; s++) nspecs++;

    /* specs[k] matched by given[i]: for duplicates and defaults */
    const sl_option_spec_t **spec_of = sl_arena_calloc(
        a, sizeof *spec_of * (size_t)(ngiven ? ngiven : 1));
    sl_optval_t *v = sl_arena_calloc(
        a, sizeof *v * (size_t)(ngiven + nspecs + 1));
    if (!spec_of || !v) return sl_err_set(err, SL_ENOMEM, "out of memory");

    for (int i = 0; i < ngiven; i++) {
        const sl_option_t *o = SL_LIST_AT(*given, i, const sl_option_t *);
        for (int j = 0; j < i; j++) {
            const sl_option_t *p = SL_LIST_AT(*given, j, const sl_option_t *);
            if (strcmp(p->key, o->key) == 0)
                return sl_err_at(err, SL_EINVAL, o->key_off, o->key_len,
                                 "option '%s' is given more than once", o->key);
        }
        const sl_option_spec_t *spec = NULL;
        if (strcmp(o->key, connector_spec.key) == 0) spec = &connector_spec;
        /* exact keys win over patterns */
        for (const sl_option_spec_t *s = ct->options; !spec && s && s->key; s++)
            if (!is_pattern(s->key) && strcmp(s->key, o->key) == 0) spec = s;
        const char *bad_mid = NULL;
        size_t bad_midlen = 0;
        for (const sl_option_spec_t *s = ct->options; !spec && s && s->key; s++) {
            if (!is_pattern(s->key)) continue;
            const char *mid = NULL;
            size_t midlen = 0;
            if (!pattern_match(s->key, o->key, &mid, &midlen)) continue;
            if (mid && column_of(mid, midlen, ncols, names) < 0) {
                if (!bad_mid) { bad_mid = mid; bad_midlen = midlen; }
                continue;
            }
            spec = s;
        }
        if (!spec && bad_mid)
            return unknown_column_error(err, o, bad_mid, bad_midlen, ncols, names);
        if (!spec) return unsupported_error(err, ct, o);

        sl_optval_t *ov = &v[out->n++];
        ov->key = o->key;
        ov->text = o->value ? o->value : "";
        ov->src = o;
        if (strstr(ov->text, "${credential:")) {
            int rc = expand_credentials(o, a, &ov->text, err);
            if (rc < 0) return rc;
        }
        spec_of[i] = spec;
        int rc = parse_value(spec, ov, err);
        if (rc < 0) return rc;
    }

    /* required options, then defaults of the rest */
    for (const sl_option_spec_t *s = ct->options; s && s->key; s++) {
        if (is_pattern(s->key)) continue;
        bool present = false;
        for (int i = 0; i < ngiven && !present; i++) present = spec_of[i] == s;
        if (present) continue;
        if (s->required)
            return sl_err_at(err, SL_EINVAL, -1, 0,
                             "missing required option '%s' for connector '%s'",
                             s->key, ct->name);
        if (!s->def) continue;
        sl_optval_t *ov = &v[out->n++];
        ov->key = s->key;
        ov->text = s->def;
        ov->src = NULL;
        int rc = parse_value(s, ov, err);
        if (rc < 0) return rc;   /* a bad default is a bug in the table */
    }
    out->v = v;
    return 0;
}
