/* parse.c - splits a script into statements and drives the lemon parser.
 *
 * The driver tokenizes the whole script once, cuts it at ';' outside
 * strings, comments and `EXECUTE STATEMENT SET BEGIN ... END` blocks, and
 * parses each statement with a fresh parser run. The first error of a
 * statement ends that statement; the driver goes on with the next one, so a
 * report covers the whole file. The legacy SQL-client form
 * `SET key = value` (unquoted) is recognized here, as Flink's
 * ExtendedParser does before its grammar runs.
 */
#include "sql/parse.h"
#include "sql/sql.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql_parse.h"

static bool key_is_secret(const char *src, const sl_token_t *t);

/* ---- errors raised while parsing ---- */

void sl_parse_error(sl_parse_ctx_t *P, int off, int len, const char *fmt, ...)
{
    if (P->failed) return;
    va_list ap;
    va_start(ap, fmt);
    sl_err_vat(&P->err, SL_ESYNTAX, off, len, fmt, ap);
    va_end(ap);
    P->failed = true;
}

void sl_parse_oom(sl_parse_ctx_t *P)
{
    P->nomem = true;
    if (!P->failed) {
        sl_err_at(&P->err, SL_ENOMEM, P->stmt_off, 0, "out of memory");
        P->failed = true;
    }
}

void sl_parse_overflow(sl_parse_ctx_t *P)
{
    sl_parse_error(P, P->stmt_off, 0,
                   "statement is nested too deeply for the parser");
}

/* Words that start SQL sluice does not implement, with what to say. */
static const struct {
    const char *word;
    const char *what;
} unsupported[] = {
    {"FUNCTION", "user-defined functions are not supported by sluice"},
    {"MATCH_RECOGNIZE", "MATCH_RECOGNIZE is not supported by sluice"},
    {"UNNEST", "UNNEST is not supported by sluice"},
    {"ALTER", "ALTER statements are not supported by sluice yet: drop and "
              "re-create the table"},
    {"CALL", "CALL statements are not supported by sluice"},
    {"DELETE", "DELETE statements are not supported on streaming tables"},
    {"UPDATE", "UPDATE statements are not supported on streaming tables"},
    {"TRUNCATE", "TRUNCATE statements are not supported on streaming tables"},
    {"PATTERN", "MATCH_RECOGNIZE is not supported by sluice"},
    {"DISTRIBUTED", "DISTRIBUTED BY is not supported by sluice"},
    {"LOAD", "modules are not supported by sluice"},
    {"UNLOAD", "modules are not supported by sluice"},
    {"ADD", "ADD JAR is not supported by sluice: there is no JVM"},
    {"REMOVE", "REMOVE JAR is not supported by sluice"},
    {"ANALYZE", "ANALYZE TABLE is not supported by sluice"},
};

/* ", expected X, Y or Z" for a short list of expected tokens; "" when the
 * list is long (anything could follow) or says nothing useful. */
static void describe_expected(char *buf, size_t cap, const int *exp, int n)
{
    buf[0] = '\0';
    const char *names[12];
    int k = 0;
    bool expr = false;
    for (int i = 0; i < n; i++)
        if (exp[i] == TK_INTLIT || exp[i] == TK_NILADIC) expr = true;
    for (int i = 0; i < n && k < 12; i++) {
        if (expr && (exp[i] == TK_ID || exp[i] == TK_QSTR || exp[i] == TK_INTLIT ||
                     exp[i] == TK_LP))
            continue;
        const char *s = sl_sql_token_spelling(exp[i]);
        if (!s) continue;
        bool dup = false;
        for (int j = 0; j < k; j++)
            if (!strcmp(names[j], s)) dup = true;
        if (!dup) names[k++] = s;
    }
    if (expr && k > 3) k = 0; /* an expression, or many keywords */
    if (k > 6) return;
    size_t o = 0;
    if (expr) {
        o += (size_t)snprintf(buf + o, cap - o, ", expected an expression");
        if (k == 0) return;
        o += (size_t)snprintf(buf + o, cap - o, " or ");
    } else if (k) {
        o += (size_t)snprintf(buf + o, cap - o, ", expected ");
    }
    for (int i = 0; i < k && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s",
                              i == 0 ? "" : (i == k - 1 ? " or " : ", "),
                              names[i]);
}

/* Inside WITH (...) or OPTIONS(...), keys and values are string literals;
 * an unquoted key (`connector = 'x'`, `rows-per-second = '1'`) gets a
 * message that says so, quoting what was written up to '='. */
static bool option_list_error(sl_parse_ctx_t *P, const sl_token_t *tok)
{
    if (!P->toks || tok->type == 0 || tok->type == TK_QSTR ||
        tok->type == TK_RP || tok->type == TK_COMMA || tok->type == TK_EQ)
        return false;
    int i = P->tok_index, depth = 0, j;
    for (j = i - 1; j >= 0; j--) {
        int t = P->toks[j].type;
        if (t == TK_RP) depth++;
        else if (t == TK_LP && depth-- == 0) break;
    }
    if (j <= 0) return false;
    const sl_token_t *before = &P->toks[j - 1];
    bool opts = before->type == TK_WITH ||
                (before->type == TK_ID && before->len == 7 &&
                 strncasecmp(P->src + before->off, "OPTIONS", 7) == 0);
    if (!opts) return false;
    int prev = P->toks[i - 1].type;
    if (prev != TK_LP && prev != TK_COMMA && prev != TK_EQ) return false;
    /* Quote the text up to the next '=' or ',' (or the token alone). */
    int end = tok->off + tok->len;
    for (int k = i + 1; k < P->ntoks; k++) {
        int t = P->toks[k].type;
        if (t == TK_EQ || t == TK_COMMA || t == TK_RP) break;
        end = P->toks[k].off + P->toks[k].len;
    }
    int n = end - tok->off;
    if (n > 60) n = 60;
    sl_parse_error(P, tok->off, tok->len,
                   "syntax error at '%.*s': option %s must be single-quoted "
                   "strings: write '%.*s'",
                   tok->len, P->src + tok->off,
                   prev == TK_EQ ? "values" : "keys", n, P->src + tok->off);
    return true;
}

void sl_parse_syntax_error(sl_parse_ctx_t *P, const sl_token_t *tok,
                           const int *expected, int nexpected)
{
    if (P->failed) return;
    char exp[256];
    describe_expected(exp, sizeof exp, expected, nexpected);
    const char *z = P->src + tok->off;
    int n = tok->len;
    if (tok->type == 0) {
        sl_parse_error(P, tok->off, n, "unexpected end of statement%s", exp);
        return;
    }
    if (tok->type == TK_QSTR && P->prev[0].type == TK_EQ &&
        P->prev[1].type == TK_QSTR && key_is_secret(P->src, &P->prev[1])) {
        sl_parse_error(P, tok->off, n, "syntax error at the value of %.*s",
                       P->prev[1].len, P->src + P->prev[1].off);
        return;
    }
    if (option_list_error(P, tok)) return;
    if (tok->type == TK_HINT_BEGIN) {
        sl_parse_error(P, tok->off, n,
                       "a hint /*+ ... */ may only follow SELECT, a table name, "
                       "or INSERT INTO table");
        return;
    }
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        if ((int)strlen(unsupported[i].word) == n &&
            strncasecmp(unsupported[i].word, z, (size_t)n) == 0) {
            sl_parse_error(P, tok->off, n, "syntax error at '%.*s': %s", n, z,
                           unsupported[i].what);
            return;
        }
    }
    /* A reserved word where a name was expected (after '(' ',' '.' or AS):
     * most likely a column called `user`, `timestamp`, `value`... */
    int pt = P->prev_type;
    bool name_pos = pt == TK_LP || pt == TK_COMMA || pt == TK_DOT ||
                    pt == TK_AS || pt == TK_SELECT || pt == TK_BY ||
                    pt == TK_TABLE || pt == TK_FROM || pt == TK_INTO;
    if (name_pos && sl_sql_is_reserved(z, n) &&
        tok->type != TK_SELECT && tok->type != TK_FROM &&
        tok->type != TK_WHERE && tok->type != TK_GROUP &&
        tok->type != TK_ORDER && tok->type != TK_AS && tok->type != TK_END &&
        tok->type != TK_WITH && tok->type != TK_VALUES) {
        sl_parse_error(P, tok->off, n,
                       "syntax error at '%.*s': %.*s is a reserved word; "
                       "write `%.*s` to use it as a name",
                       n, z, n, z, n, z);
        return;
    }
    if (n > 60) n = 60;
    sl_parse_error(P, tok->off, tok->len, "syntax error at '%.*s'%s", n, z, exp);
}

/* ---- diagnostics ---- */

void sl_script_diag(sl_script_t *sc, int level, int code, int off, int len,
                    const char *fmt, ...)
{
    sl_diag_t *d = sl_arena_calloc(&sc->arena, sizeof *d);
    if (!d) {
        sc->nomem = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->level = level;
    d->code = code;
    d->off = off;
    d->len = len;
    d->msg = sl_arena_strdup(&sc->arena, buf);
    if (!d->msg || sl_list_push(&sc->arena, &sc->diags, d)) {
        sc->nomem = true;
        return;
    }
    if (level == SL_DIAG_ERROR) sc->nerrors++;
}

void sl_script_linecol(const sl_script_t *sc, int off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > sc->srclen) off = sc->srclen;
    for (int i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)sc->src[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* The secret span containing byte i, or NULL. */
static const sl_span_t *secret_at(const sl_script_t *sc, int i)
{
    for (int k = 0; k < sc->nsecrets; k++)
        if (i >= sc->secrets[k].off && i < sc->secrets[k].off + sc->secrets[k].len)
            return &sc->secrets[k];
    return NULL;
}

#define MASK "'******'"

/* Prints src[from, to) with secret values replaced by MASK; returns the
 * number of characters printed (or that would be, if f is NULL), with
 * tabs kept as tabs when blank is set, everything else as spaces. */
static int print_masked(FILE *f, const sl_script_t *sc, int from, int to,
                        bool blank)
{
    int chars = 0;
    for (int i = from; i < to;) {
        const sl_span_t *sp = secret_at(sc, i);
        if (sp) {
            int m = (int)strlen(MASK);
            if (f) {
                if (blank) fprintf(f, "%*s", m, "");
                else fputs(MASK, f);
            }
            chars += m;
            i = sp->off + sp->len;
            continue;
        }
        unsigned char ch = (unsigned char)sc->src[i];
        if (f) {
            if (!blank) fputc(ch, f);
            else if ((ch & 0xC0) != 0x80) fputc(ch == '\t' ? '\t' : ' ', f);
        }
        if ((ch & 0xC0) != 0x80) chars++;
        i++;
    }
    return chars;
}

void sl_diag_print(FILE *f, const sl_script_t *sc, const sl_diag_t *d)
{
    static const char *const lv[] = {"error", "warning", "note"};
    const char *level = lv[d->level < 3 ? d->level : 0];
    const char *fn = sc->filename ? sc->filename : "<input>";
    if (d->off < 0) {
        fprintf(f, "%s: %s: %s\n", fn, level, d->msg);
        return;
    }
    int line, col;
    sl_script_linecol(sc, d->off, &line, &col);
    fprintf(f, "%s:%d:%d: %s: %s\n", fn, line, col, level, d->msg);
    /* The source line, secrets masked, and a caret under the token. */
    int off = d->off > sc->srclen ? sc->srclen : d->off;
    int bol = off;
    while (bol > 0 && sc->src[bol - 1] != '\n') bol--;
    int eol = off;
    while (eol < sc->srclen && sc->src[eol] != '\n') eol++;
    if (eol > bol && sc->src[eol - 1] == '\r') eol--;
    if (off > eol) off = eol;
    fputs("  ", f);
    print_masked(f, sc, bol, eol, false);
    fputs("\n  ", f);
    print_masked(f, sc, bol, off, true);
    fputc('^', f);
    int end = d->off + d->len;
    if (end > eol) end = eol;
    int chars = end > off + 1 ? print_masked(NULL, sc, off + 1, end, true) : 0;
    for (int i = 0; i < chars && i < 200; i++) fputc('~', f);
    fputc('\n', f);
}

static int diag_cmp(const void *a, const void *b)
{
    const sl_diag_t *x = *(sl_diag_t *const *)a;
    const sl_diag_t *y = *(sl_diag_t *const *)b;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    return 0;
}

void sl_script_print_diags(FILE *f, const sl_script_t *sc)
{
    int n = sc->diags.n;
    if (!n) return;
    sl_diag_t **v = malloc((size_t)n * sizeof *v);
    if (!v) {
        for (int i = 0; i < n; i++) sl_diag_print(f, sc, sc->diags.items[i]);
        return;
    }
    memcpy(v, sc->diags.items, (size_t)n * sizeof *v);
    /* Stable enough: diagnostics of one statement never share an offset. */
    qsort(v, (size_t)n, sizeof *v, diag_cmp);
    for (int i = 0; i < n; i++) sl_diag_print(f, sc, v[i]);
    free(v);
}

/* ---- secrets ---- */

bool sl_sql_option_is_secret(const char *key)
{
    size_t n = strlen(key);
    static const char *const suffixes[] = {"password", "secret", "token",
                                           "credentials", "passwd"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t m = strlen(suffixes[i]);
        if (n >= m && strcasecmp(key + n - m, suffixes[i]) == 0) return true;
    }
    return false;
}

const char *sl_sql_mask_secrets(sl_arena_t *a, const char *text, int len)
{
    /* Find 'key' = 'value' pairs whose key is a secret and replace the
     * value by '******'. Works on raw text so it also covers statements
     * that failed to parse. */
    char *out = sl_arena_alloc(a, (size_t)len * 2 + 16);
    if (!out) return NULL;
    int o = 0, i = 0;
    while (i < len) {
        if (text[i] == '\'') {
            int l;
            int j = i + 1;
            while (j < len) {
                if (text[j] == '\'') {
                    if (j + 1 < len && text[j + 1] == '\'') { j += 2; continue; }
                    break;
                }
                j++;
            }
            l = (j < len) ? j + 1 - i : len - i;
            /* key literal [i, i+l) */
            char key[128];
            int kl = l - 2 < (int)sizeof key - 1 ? l - 2 : (int)sizeof key - 1;
            if (kl < 0) kl = 0;
            memcpy(key, text + i + 1, (size_t)kl);
            key[kl] = '\0';
            memcpy(out + o, text + i, (size_t)l);
            o += l;
            i += l;
            if (sl_sql_option_is_secret(key)) {
                int k = i;
                while (k < len && isspace((unsigned char)text[k])) k++;
                if (k < len && text[k] == '=') {
                    k++;
                    while (k < len && isspace((unsigned char)text[k])) k++;
                    if (k < len && text[k] == '\'') {
                        int e = k + 1;
                        while (e < len) {
                            if (text[e] == '\'') {
                                if (e + 1 < len && text[e + 1] == '\'') { e += 2; continue; }
                                break;
                            }
                            e++;
                        }
                        memcpy(out + o, text + i, (size_t)(k - i));
                        o += k - i;
                        memcpy(out + o, "'******'", 8);
                        o += 8;
                        i = e < len ? e + 1 : len;
                    }
                }
            }
            continue;
        }
        out[o++] = text[i++];
    }
    out[o] = '\0';
    return out;
}

/* ---- the driver ---- */

typedef struct tokvec {
    sl_token_t *v;
    int n, cap;
} tokvec_t;

static int tokvec_push(tokvec_t *tv, sl_token_t t)
{
    if (tv->n == tv->cap) {
        int cap = tv->cap ? tv->cap * 2 : 256;
        sl_token_t *v = realloc(tv->v, (size_t)cap * sizeof *v);
        if (!v) return -SL_ENOMEM;
        tv->v = v;
        tv->cap = cap;
    }
    tv->v[tv->n++] = t;
    return 0;
}

static int is_space(const char *s, int n, int *i)
{
    /* Skips whitespace and comments from *i; returns 1 if anything but
     * whitespace/comments remains before n. */
    while (*i < n) {
        unsigned char c = (unsigned char)s[*i];
        if (isspace(c)) {
            (*i)++;
        } else if (c == '-' && *i + 1 < n && s[*i + 1] == '-') {
            while (*i < n && s[*i] != '\n') (*i)++;
        } else if (c == '/' && *i + 1 < n && s[*i + 1] == '*' &&
                   !(*i + 2 < n && s[*i + 2] == '+')) {
            int j = *i + 2;
            while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/')) j++;
            *i = j + 2 > n ? n : j + 2;
        } else {
            return 1;
        }
    }
    return 0;
}

/* Flink's legacy SQL-client SET: `SET key = value` with an unquoted key, the
 * value quoted or not. [from, to) is the statement text after SET. */
static sl_stmt_t *parse_legacy_set(sl_parse_ctx_t *P, int set_off, int from,
                                   int to)
{
    const char *s = P->src;
    int i = from;
    is_space(s, to, &i);
    int k0 = i;
    while (i < to && !isspace((unsigned char)s[i]) && s[i] != '=' &&
           s[i] != '\'')
        i++;
    int k1 = i;
    if (k1 == k0) {
        sl_parse_error(P, i, 1, "invalid SET statement: expected SET 'key' = "
                                "'value' or SET key = value");
        return NULL;
    }
    while (i < to && isspace((unsigned char)s[i])) i++;
    if (i >= to || s[i] != '=') {
        sl_parse_error(P, i < to ? i : k1, 1,
                       "invalid SET statement: expected '=' after the key "
                       "'%.*s'", k1 - k0, s + k0);
        return NULL;
    }
    i++;
    while (i < to && isspace((unsigned char)s[i])) i++;
    int v0 = i, v1;
    const char *val;
    int vlen;
    if (i < to && s[i] == '\'') {
        int j = i + 1;
        while (j < to && s[j] != '\'') j++;
        if (j >= to) {
            sl_parse_error(P, i, 1, "unterminated string literal");
            return NULL;
        }
        v1 = j + 1;
        val = s + i + 1;
        vlen = j - i - 1;
    } else {
        while (i < to && !isspace((unsigned char)s[i]) && s[i] != ';') i++;
        v1 = i;
        val = s + v0;
        vlen = v1 - v0;
        if (vlen == 0) {
            sl_parse_error(P, v0 < to ? v0 : to, 1,
                           "invalid SET statement: the value of '%.*s' is "
                           "missing", k1 - k0, s + k0);
            return NULL;
        }
    }
    int r = v1;
    if (is_space(s, to, &r)) {
        sl_parse_error(P, r, 1,
                       "invalid SET statement: unexpected text after the value");
        return NULL;
    }
    sl_stmt_t *st = sl_arena_calloc(P->arena, sizeof *st);
    if (!st) {
        sl_parse_oom(P);
        return NULL;
    }
    st->kind = SL_S_SET;
    st->legacy = true;
    st->off = set_off;
    st->len = v1 - set_off;
    st->key = sl_arena_strndup(P->arena, s + k0, (size_t)(k1 - k0));
    st->value = sl_arena_strndup(P->arena, val, (size_t)vlen);
    if (!st->key || !st->value) {
        sl_parse_oom(P);
        return NULL;
    }
    st->key_off = k0;
    st->key_len = k1 - k0;
    st->val_off = v0;
    st->val_len = v1 - v0;
    return st;
}

/* The SQL client's `RESET key` with an unquoted key. */
static sl_stmt_t *parse_legacy_reset(sl_parse_ctx_t *P, int reset_off, int from,
                                     int to)
{
    const char *s = P->src;
    int i = from;
    is_space(s, to, &i);
    int k0 = i;
    while (i < to && !isspace((unsigned char)s[i]) && s[i] != '\'' && s[i] != ';')
        i++;
    int k1 = i;
    int r = k1;
    if (k1 == k0 || is_space(s, to, &r)) {
        sl_parse_error(P, k1 == k0 ? k0 : r, 1,
                       "invalid RESET statement: expected RESET 'key', RESET "
                       "key or RESET");
        return NULL;
    }
    sl_stmt_t *st = sl_arena_calloc(P->arena, sizeof *st);
    if (!st) {
        sl_parse_oom(P);
        return NULL;
    }
    st->kind = SL_S_RESET;
    st->legacy = true;
    st->off = reset_off;
    st->len = k1 - reset_off;
    st->key = sl_arena_strndup(P->arena, s + k0, (size_t)(k1 - k0));
    if (!st->key) {
        sl_parse_oom(P);
        return NULL;
    }
    st->key_off = k0;
    st->key_len = k1 - k0;
    return st;
}

static void lexical_error(sl_parse_ctx_t *P, const sl_token_t *t)
{
    const char *z = P->src + t->off;
    switch (t->type) {
    case TK_UNTERMINATED:
        if (z[0] == '/')
            sl_parse_error(P, t->off, 2, "unterminated comment: '/*' is never "
                                         "closed by '*/'");
        else if (z[0] == '`')
            sl_parse_error(P, t->off, 1, "unterminated quoted identifier");
        else
            sl_parse_error(P, t->off, 1, "unterminated string literal");
        break;
    case TK_DQSTRING:
        sl_parse_error(P, t->off, t->len,
                       "syntax error at %.*s: double quotes do not make a "
                       "string in Flink SQL; write '%.*s' for a string or "
                       "`%.*s` for a name",
                       t->len, z, t->len - 2, z + 1, t->len - 2, z + 1);
        break;
    default:
        if (t->len == 2 && z[0] == '`')
            sl_parse_error(P, t->off, 2, "empty quoted identifier ``");
        else
            sl_parse_error(P, t->off, t->len, "illegal character '%.*s'",
                           t->len, z);
        break;
    }
}

/* Is the string token a password-like option key? */
static bool key_is_secret(const char *src, const sl_token_t *t)
{
    char key[128];
    int n = t->len - 2;
    if (n <= 0 || n >= (int)sizeof key) return false;
    memcpy(key, src + t->off + 1, (size_t)n);
    key[n] = '\0';
    return sl_sql_option_is_secret(key);
}

static int add_secret(sl_script_t *sc, sl_token_t t)
{
    if (sc->nsecrets == sc->capsecrets) {
        int cap = sc->capsecrets ? sc->capsecrets * 2 : 8;
        sl_span_t *v = sl_arena_alloc(&sc->arena, (size_t)cap * sizeof *v);
        if (!v) return -SL_ENOMEM;
        if (sc->nsecrets) memcpy(v, sc->secrets, (size_t)sc->nsecrets * sizeof *v);
        sc->secrets = v;
        sc->capsecrets = cap;
    }
    sc->secrets[sc->nsecrets].off = t.off;
    sc->secrets[sc->nsecrets].len = t.len;
    sc->nsecrets++;
    return 0;
}

/* POSITION(a IN b): the IN directly inside POSITION's parentheses is not
 * the IN predicate; give it its own token so the grammar stays LALR(1). */
static void retag_position_in(sl_token_t *toks, int n)
{
    for (int i = 0; i + 1 < n; i++) {
        if (toks[i].type != TK_POSITION || toks[i + 1].type != TK_LP) continue;
        int depth = 0;
        for (int j = i + 1; j < n; j++) {
            if (toks[j].type == TK_LP) depth++;
            else if (toks[j].type == TK_RP && --depth == 0) break;
            else if (toks[j].type == TK_IN && depth == 1) {
                toks[j].type = TK_POSITION_IN;
                break;
            }
        }
    }
}

/* Parses one statement whose significant tokens are toks[0..n). */
static void parse_statement(sl_script_t *sc, sl_parse_ctx_t *P,
                            const sl_token_t *toks, int n, int end_off,
                            int eof_off, const sl_token_t *lex_err)
{
    P->result = NULL;
    P->cur = NULL;
    P->unsup_what = NULL;
    P->toks = NULL;
    P->ntoks = 0;
    P->failed = false;
    P->nomem = false;
    sl_err_clear(&P->err);
    P->stmt_off = toks[0].off;
    P->end_off = end_off;
    sc->nstatements++;

    if (lex_err) {
        lexical_error(P, lex_err);
    } else if (toks[0].type == TK_SET && n > 1 && toks[1].type != TK_QSTR) {
        sl_stmt_t *st = parse_legacy_set(P, toks[0].off, toks[0].off + toks[0].len,
                                         end_off);
        if (st && !P->failed) P->result = st;
    } else if (toks[0].type == TK_RESET && n > 1 && toks[1].type != TK_QSTR) {
        sl_stmt_t *st = parse_legacy_reset(P, toks[0].off,
                                           toks[0].off + toks[0].len, end_off);
        if (st && !P->failed) P->result = st;
    } else {
        retag_position_in((sl_token_t *)toks, n);
        void *parser = sl_sql_parserAlloc(malloc, P);
        if (!parser) {
            sl_parse_oom(P);
        } else {
            P->prev_type = 0;
            memset(P->prev, 0, sizeof P->prev);
            P->toks = toks;
            P->ntoks = n;
            for (int i = 0; i < n && !P->failed; i++) {
                P->tok_index = i;
                sl_sql_parser(parser, toks[i].type, toks[i]);
                P->prev_type = toks[i].type;
                P->prev[1] = P->prev[0];
                P->prev[0] = toks[i];
            }
            if (!P->failed) {
                sl_token_t eof = {0, eof_off, eof_off < sc->srclen ? 1 : 0};
                sl_sql_parser(parser, 0, eof);
            }
            sl_sql_parserFree(parser, free);
        }
    }
    if (P->nomem) sc->nomem = true;
    if (P->failed) {
        sl_script_diag(sc, SL_DIAG_ERROR, P->err.code, P->err.off, P->err.len,
                       "%s", P->err.msg);
        return;
    }
    if (P->result && sl_list_push(&sc->arena, &sc->stmts, P->result))
        sc->nomem = true;
}

int sl_script_parse(sl_script_t *sc, const char *filename, const char *src,
                    size_t len)
{
    memset(sc, 0, sizeof *sc);
    sl_arena_init(&sc->arena, 0);
    if (len > 0x7fffffff) return -SL_EINVAL;
    sc->filename = strdup(filename ? filename : "<input>");
    sc->src = malloc(len + 1);
    if (!sc->filename || !sc->src) return -SL_ENOMEM;
    memcpy(sc->src, src, len);
    sc->src[len] = '\0';
    sc->srclen = (int)len;

    sl_parse_ctx_t P;
    memset(&P, 0, sizeof P);
    P.arena = &sc->arena;
    P.src = sc->src;
    P.srclen = sc->srclen;

    tokvec_t tv = {0};
    int off = 0, n = sc->srclen;
    bool in_hint = false;
    int rc = 0;
    while (off < n) {
        /* Collect one statement. */
        tv.n = 0;
        bool block = false;     /* inside STATEMENT SET BEGIN ... END */
        int case_depth = 0;
        sl_token_t lex_err = {0, 0, 0};
        bool have_lex_err = false;
        int semi_off = -1;
        while (off < n) {
            int tl;
            int type = sl_sql_token(sc->src, n, off, in_hint, &tl);
            sl_token_t t = {type, off, tl};
            off += tl;
            if (type == TK_SPACE || type == TK_COMMENT_TOK) continue;
            if (type == TK_HINT_BEGIN) in_hint = true;
            if (type == TK_HINT_END) in_hint = false;
            if (type == TK_ILLEGAL || type == TK_UNTERMINATED ||
                type == TK_DQSTRING) {
                if (!have_lex_err) {
                    lex_err = t;
                    have_lex_err = true;
                }
                if (type == TK_UNTERMINATED) continue; /* consumed the rest */
            }
            if (type == TK_SEMI && !block) {
                semi_off = t.off;
                break;
            }
            if (type == TK_BEGIN && tv.n >= 2 && tv.v[tv.n - 1].type == TK_SET &&
                tv.v[tv.n - 2].type == TK_STATEMENT)
                block = true;
            else if (type == TK_CASE)
                case_depth++;
            else if (type == TK_END) {
                if (case_depth > 0) case_depth--;
                else if (block) block = false;
            }
            if (type == TK_QSTR && tv.n >= 2 && tv.v[tv.n - 1].type == TK_EQ &&
                tv.v[tv.n - 2].type == TK_QSTR &&
                key_is_secret(sc->src, &tv.v[tv.n - 2]) && add_secret(sc, t)) {
                rc = -SL_ENOMEM;
                goto done;
            }
            if (tokvec_push(&tv, t)) {
                rc = -SL_ENOMEM;
                goto done;
            }
        }
        in_hint = false;
        if (tv.n == 0 && !have_lex_err) continue; /* empty statement */
        if (tv.n == 0) tokvec_push(&tv, lex_err);
        int end_off = tv.v[tv.n - 1].off + tv.v[tv.n - 1].len;
        int eof_off = semi_off >= 0 ? semi_off : n;
        parse_statement(sc, &P, tv.v, tv.n, end_off, eof_off,
                        have_lex_err ? &lex_err : NULL);
        if (sc->nomem) {
            rc = -SL_ENOMEM;
            goto done;
        }
    }
done:
    free(tv.v);
    return rc;
}

void sl_script_destroy(sl_script_t *sc)
{
    sl_arena_destroy(&sc->arena);
    free(sc->filename);
    free(sc->src);
    sc->filename = NULL;
    sc->src = NULL;
}
