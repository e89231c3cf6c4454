/* ast.c - builders the grammar actions call to make the syntax tree.
 *
 * Every builder allocates in the script arena (P->arena). On allocation
 * failure a builder records an out-of-memory error in P and returns a
 * static dummy node or NULL, never crashing; the driver discards the
 * statement. Spans are computed here so the grammar stays declarative.
 */
#include "sql/parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_parse.h" /* generated token codes */

/* ---- helpers ---- */

static void *alloc0(sl_pctx *P, size_t n)
{
    void *p = sl_arena_calloc(P->arena, n);
    if (!p) sl_parse_oom(P);
    return p;
}

#define NEW(P, T) ((T *)alloc0((P), sizeof(T)))

/* A zeroed node returned when allocation failed, so actions never
 * dereference NULL. Its contents are never used: the statement fails. */
static sl_expr_t dummy_expr;
static sl_query_t dummy_query;
static sl_stmt_t dummy_stmt;
static sl_tref_t dummy_tref;

static int tok_end(const sl_token_t *t) { return t->off + t->len; }
static int expr_end(const sl_expr_t *e) { return e->off + e->len; }

int sl_list_push(sl_arena_t *a, sl_list_t *l, void *item)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        void **items = sl_arena_alloc(a, (size_t)cap * sizeof *items);
        if (!items) return -SL_ENOMEM;
        if (l->n) memcpy(items, l->items, (size_t)l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = item;
    return 0;
}

sl_list_t *sl_ast_list(sl_pctx *P, sl_list_t *l, void *item)
{
    if (!l) {
        l = NEW(P, sl_list_t);
        if (!l) return NULL;
    }
    if (item && sl_list_push(P->arena, l, item)) sl_parse_oom(P);
    return l;
}

static sl_list_t list_of(sl_list_t *l)
{
    sl_list_t empty = {0};
    return l ? *l : empty;
}

sl_token_t *sl_ast_tokdup(sl_pctx *P, const sl_token_t *t)
{
    sl_token_t *c = NEW(P, sl_token_t);
    if (c) *c = *t;
    return c;
}

/* Decodes a quoted literal or identifier: strips the quote characters and
 * undoes doubled quotes. */
static char *unquote(sl_pctx *P, const char *z, int n, char q, int *outlen)
{
    char *s = sl_arena_alloc(P->arena, (size_t)n + 1);
    if (!s) {
        sl_parse_oom(P);
        if (outlen) *outlen = 0;
        return (char *)"";
    }
    int j = 0;
    for (int i = 1; i < n - 1; i++) {
        s[j++] = z[i];
        if (z[i] == q && i + 1 < n - 1 && z[i + 1] == q) i++;
    }
    s[j] = '\0';
    if (outlen) *outlen = j;
    return s;
}

/* The decoded value of a STRING token ('...', N'...', X'...'). */
static const char *tok_string(sl_pctx *P, const sl_token_t *t, int *len)
{
    const char *z = P->src + t->off;
    int n = t->len;
    if (n > 0 && (z[0] == 'N' || z[0] == 'n' || z[0] == 'X' || z[0] == 'x')) {
        z++;
        n--;
    }
    return unquote(P, z, n, '\'', len);
}

static const char *tok_text(sl_pctx *P, const sl_token_t *t)
{
    char *s = sl_arena_strndup(P->arena, P->src + t->off, (size_t)t->len);
    if (!s) {
        sl_parse_oom(P);
        return "";
    }
    return s;
}

static sl_expr_t *new_expr(sl_pctx *P, int kind, int off, int end)
{
    sl_expr_t *e = NEW(P, sl_expr_t);
    if (!e) return &dummy_expr;
    e->kind = (uint8_t)kind;
    e->off = off;
    e->len = end - off;
    return e;
}

static sl_stmt_t *new_stmt(sl_pctx *P, int kind, int off)
{
    sl_stmt_t *s = NEW(P, sl_stmt_t);
    if (!s) return &dummy_stmt;
    s->kind = (uint8_t)kind;
    s->off = off;
    return s;
}

static sl_query_t *new_query(sl_pctx *P, int kind, int off, int end)
{
    sl_query_t *q = NEW(P, sl_query_t);
    if (!q) return &dummy_query;
    q->kind = (uint8_t)kind;
    q->off = off;
    q->len = end - off;
    return q;
}

static int query_end(const sl_query_t *q) { return q->off + q->len; }

/* ---- names ---- */

sl_ident_t *sl_ast_ident(sl_pctx *P, const sl_token_t *t)
{
    sl_ident_t *id = NEW(P, sl_ident_t);
    if (!id) return NULL;
    const char *z = P->src + t->off;
    id->off = t->off;
    id->len = t->len;
    if (t->len >= 2 && z[0] == '`') {
        id->name = unquote(P, z, t->len, '`', NULL);
        id->quoted = true;
    } else {
        id->name = tok_text(P, t);
    }
    return id;
}

sl_qname_t *sl_ast_qname(sl_pctx *P, sl_qname_t *q, sl_ident_t *part)
{
    if (!part) return q;
    if (!q) {
        q = NEW(P, sl_qname_t);
        if (!q) return NULL;
        q->off = part->off;
    }
    sl_ident_t *parts = sl_arena_alloc(P->arena, (size_t)(q->n + 1) * sizeof *parts);
    if (!parts) {
        sl_parse_oom(P);
        return q;
    }
    if (q->n) memcpy(parts, q->parts, (size_t)q->n * sizeof *parts);
    parts[q->n++] = *part;
    q->parts = parts;
    q->len = part->off + part->len - q->off;
    return q;
}

static sl_qname_t qname_of(sl_qname_t *q)
{
    sl_qname_t empty = {0};
    return q ? *q : empty;
}

void sl_ast_finish(sl_pctx *P, sl_stmt_t *s)
{
    if (P->unsup_what) {
        sl_parse_error(P, P->unsup_off, P->unsup_len, "%s is not supported: %s",
                       P->unsup_what, P->unsup_why);
        return;
    }
    if (!s) return;
    s->off = P->stmt_off;
    s->len = P->end_off - P->stmt_off;
    P->result = s;
}

/* ---- CREATE TABLE ---- */

sl_stmt_t *sl_ast_create_table(sl_pctx *P, const sl_token_t *create, int temp,
                               int ifnotexists, sl_qname_t *name)
{
    sl_stmt_t *s = new_stmt(P, SL_S_CREATE_TABLE, create->off);
    s->temporary = temp;
    s->if_not_exists = ifnotexists;
    s->name = qname_of(name);
    s->pk_off = -1;
    s->wm_off = -1;
    s->with_off = -1;
    P->cur = s;
    return s;
}

void sl_ast_add_column(sl_pctx *P, sl_coldef_t *c)
{
    if (!c || !P->cur) return;
    if (c->inline_pk) {
        if (P->cur->pk.n) {
            sl_parse_error(P, c->pk_off, 7,
                           "a table can have only one PRIMARY KEY");
            return;
        }
        P->cur->pk_off = c->pk_off;
        sl_ast_list(P, &P->cur->pk, &c->name);
    }
    sl_ast_list(P, &P->cur->columns, c);
}

void sl_ast_watermark(sl_pctx *P, const sl_token_t *wm, sl_ident_t *col,
                      sl_expr_t *e)
{
    sl_stmt_t *s = P->cur;
    if (!s || !col) return;
    if (s->wm_expr) {
        sl_parse_error(P, wm->off, wm->len,
                       "Multiple WATERMARK statements is not supported yet");
        return;
    }
    s->wm_col = *col;
    s->wm_expr = e;
    s->wm_off = wm->off;
}

void sl_ast_primary_key(sl_pctx *P, const sl_token_t *kw, sl_ident_t *name,
                        sl_list_t *cols, int enforced)
{
    sl_stmt_t *s = P->cur;
    if (!s) return;
    if (s->pk.n) {
        sl_parse_error(P, kw->off, kw->len,
                       "a table can have only one PRIMARY KEY");
        return;
    }
    if (enforced != 1) {
        sl_parse_error(P, kw->off, kw->len,
                       "Flink doesn't support ENFORCED mode for PRIMARY KEY "
                       "constraint: write PRIMARY KEY (...) NOT ENFORCED");
        return;
    }
    s->pk = list_of(cols);
    s->pk_off = kw->off;
    if (name) s->pk_name = *name;
}

sl_token_t *sl_ast_inline_pk(sl_pctx *P, const sl_token_t *kw, int enforced)
{
    if (enforced != 1) {
        sl_parse_error(P, kw->off, kw->len,
                       "Flink doesn't support ENFORCED mode for PRIMARY KEY "
                       "constraint: write PRIMARY KEY NOT ENFORCED");
    }
    return sl_ast_tokdup(P, kw);
}

static const char *comment_of(sl_pctx *P, const sl_token_t *t)
{
    return t ? tok_string(P, t, NULL) : NULL;
}

static sl_coldef_t *new_col(sl_pctx *P, sl_ident_t *n, int kind)
{
    sl_coldef_t *c = NEW(P, sl_coldef_t);
    if (!c) return NULL;
    if (n) c->name = *n;
    c->kind = (uint8_t)kind;
    c->off = n ? n->off : 0;
    return c;
}

sl_coldef_t *sl_ast_coldef_physical(sl_pctx *P, sl_ident_t *n,
                                    const sl_type_t *t, sl_token_t *pk,
                                    sl_token_t *comment)
{
    sl_coldef_t *c = new_col(P, n, SL_COL_PHYSICAL);
    if (!c) return NULL;
    c->type = t;
    if (pk) {
        c->inline_pk = true;
        c->pk_off = pk->off;
    }
    c->comment = comment_of(P, comment);
    return c;
}

sl_coldef_t *sl_ast_coldef_metadata(sl_pctx *P, sl_ident_t *n,
                                    const sl_type_t *t, sl_token_t *from,
                                    int is_virtual, sl_token_t *comment)
{
    sl_coldef_t *c = new_col(P, n, SL_COL_METADATA);
    if (!c) return NULL;
    c->type = t;
    c->meta_key = from ? tok_string(P, from, NULL) : NULL;
    c->is_virtual = is_virtual;
    c->comment = comment_of(P, comment);
    return c;
}

sl_coldef_t *sl_ast_coldef_computed(sl_pctx *P, sl_ident_t *n, sl_expr_t *e,
                                    sl_token_t *comment)
{
    sl_coldef_t *c = new_col(P, n, SL_COL_COMPUTED);
    if (!c) return NULL;
    c->expr = e;
    c->comment = comment_of(P, comment);
    return c;
}

void sl_ast_table_comment(sl_pctx *P, const sl_token_t *s)
{
    if (P->cur) P->cur->comment = tok_string(P, s, NULL);
}

void sl_ast_partitioned(sl_pctx *P, sl_list_t *cols)
{
    if (P->cur) P->cur->partitioned_by = list_of(cols);
}

void sl_ast_with(sl_pctx *P, const sl_token_t *with, sl_list_t *opts)
{
    if (!P->cur) return;
    P->cur->options = list_of(opts);
    P->cur->with_off = with->off;
    /* Duplicate keys are an error in Flink too. */
    for (int i = 0; i < P->cur->options.n; i++) {
        sl_option_t *a = P->cur->options.items[i];
        for (int j = 0; j < i; j++) {
            sl_option_t *b = P->cur->options.items[j];
            if (strcmp(a->key, b->key) == 0) {
                sl_parse_error(P, a->key_off, a->key_len,
                               "option '%s' is given twice", a->key);
                return;
            }
        }
    }
}

sl_option_t *sl_ast_option(sl_pctx *P, const sl_token_t *k,
                           const sl_token_t *v)
{
    sl_option_t *o = NEW(P, sl_option_t);
    if (!o) return NULL;
    o->key = tok_string(P, k, NULL);
    o->key_off = k->off;
    o->key_len = k->len;
    if (v) {
        o->value = tok_string(P, v, NULL);
        o->val_off = v->off;
        o->val_len = v->len;
    }
    return o;
}

void sl_ast_like(sl_pctx *P, sl_qname_t *src, sl_list_t *opts)
{
    if (!P->cur) return;
    P->cur->like = qname_of(src);
    P->cur->like_opts = list_of(opts);
}

sl_ident_t *sl_ast_like_option(sl_pctx *P, sl_ident_t *mode, sl_ident_t *what)
{
    if (!mode || !what) return NULL;
    static const char *const feats[] = {"ALL", "CONSTRAINTS", "GENERATED",
                                        "OPTIONS", "PARTITIONS", "WATERMARKS",
                                        "METADATA", "DISTRIBUTION", NULL};
    int ok = 0;
    for (int i = 0; feats[i]; i++)
        if (strcasecmp(what->name, feats[i]) == 0) ok = 1;
    if (!ok) {
        sl_parse_error(P, what->off, what->len,
                       "unknown LIKE option '%s': expected ALL, CONSTRAINTS, "
                       "GENERATED, OPTIONS, PARTITIONS, WATERMARKS or METADATA",
                       what->name);
        return NULL;
    }
    sl_ident_t *r = NEW(P, sl_ident_t);
    if (!r) return NULL;
    *r = *mode;
    r->name = sl_arena_printf(P->arena, "%s %s", mode->name, what->name);
    r->len = what->off + what->len - mode->off;
    if (!r->name) sl_parse_oom(P);
    return r;
}

void sl_ast_ctas(sl_pctx *P, sl_query_t *q)
{
    if (P->cur) P->cur->query = q;
}

/* ---- types ---- */

static int tok_int(sl_pctx *P, const sl_token_t *t, long long max,
                   const char *what)
{
    const char *z = P->src + t->off;
    long long v = 0;
    for (int i = 0; i < t->len; i++) {
        if (!isdigit((unsigned char)z[i])) break;
        v = v * 10 + (z[i] - '0');
        if (v > max) {
            sl_parse_error(P, t->off, t->len, "%s must be at most %lld", what,
                           max);
            return (int)max;
        }
    }
    return (int)v;
}

sl_type_t *sl_ast_type(sl_pctx *P, int id, int len, int scale)
{
    sl_type_t *t = NEW(P, sl_type_t);
    if (!t) return NULL;
    t->id = (uint8_t)id;
    t->nullable = true;
    t->len = len;
    t->scale = (int16_t)scale;
    return t;
}

const sl_type_t *sl_ast_type_nullable(sl_pctx *P, sl_type_t *t, int nullable)
{
    (void)P;
    if (t) t->nullable = nullable;
    return t;
}

sl_type_t *sl_ast_type_decimal(sl_pctx *P, const sl_token_t *kw,
                               sl_list_t *args)
{
    int p = 10, s = 0;
    if (args && args->n > 2) {
        sl_parse_error(P, kw->off, kw->len,
                       "DECIMAL takes a precision and a scale, not %d arguments",
                       args->n);
        return NULL;
    }
    if (args && args->n >= 1) {
        sl_token_t *pt = args->items[0];
        p = tok_int(P, pt, 38, "DECIMAL precision");
        if (p < 1) {
            sl_parse_error(P, pt->off, pt->len,
                           "DECIMAL precision must be between 1 and 38");
            return NULL;
        }
    }
    if (args && args->n == 2) {
        sl_token_t *st = args->items[1];
        s = tok_int(P, st, 38, "DECIMAL scale");
        if (s > p) {
            sl_parse_error(P, st->off, st->len,
                           "DECIMAL scale %d is larger than its precision %d",
                           s, p);
            return NULL;
        }
    }
    return sl_ast_type(P, SL_T_DECIMAL, p, s);
}

sl_type_t *sl_ast_type_len(sl_pctx *P, const sl_token_t *kw, int id,
                           sl_list_t *args)
{
    int len;
    int maxv = SL_MAX_LENGTH, minv = 1;
    const char *what = "length";
    switch (id) {
    case SL_T_CHAR: case SL_T_BINARY: len = 1; break;
    case SL_T_VARCHAR: case SL_T_VARBINARY: len = SL_MAX_LENGTH; break;
    case SL_T_TIME: len = 0; maxv = 9; minv = 0; what = "precision"; break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        len = 6; maxv = 9; minv = 0; what = "precision"; break;
    default: len = -1; break;
    }
    if (args && args->n > 1) {
        sl_parse_error(P, kw->off, kw->len, "%.*s takes one %s argument",
                       kw->len, P->src + kw->off, what);
        return NULL;
    }
    if (args && args->n == 1) {
        sl_token_t *lt = args->items[0];
        len = tok_int(P, lt, maxv, what);
        if (len < minv) {
            sl_parse_error(P, lt->off, lt->len, "%s must be between %d and %d",
                           what, minv, maxv);
            return NULL;
        }
    }
    return sl_ast_type(P, id, len, -1);
}

static sl_unit_t unit_of_tok(sl_pctx *P, const sl_token_t *t)
{
    if (!t) return SL_U_NONE;
    sl_unit_t u = sl_unit_from_name(P->src + t->off, t->len);
    if (u == SL_U_NONE)
        sl_parse_error(P, t->off, t->len,
                       "'%.*s' is not a time unit: expected YEAR, MONTH, DAY, "
                       "HOUR, MINUTE or SECOND",
                       t->len, P->src + t->off);
    return u;
}

sl_type_t *sl_ast_type_interval(sl_pctx *P, sl_token_t *from, sl_token_t *to)
{
    sl_unit_t f = unit_of_tok(P, from);
    if (to) unit_of_tok(P, to);
    int id = (f == SL_U_YEAR || f == SL_U_MONTH || f == SL_U_QUARTER)
                 ? SL_T_INTERVAL_YM : SL_T_INTERVAL_DT;
    return sl_ast_type(P, id, -1, -1);
}

sl_type_t *sl_ast_type_row(sl_pctx *P, const sl_token_t *kw, sl_list_t *fields)
{
    (void)kw;
    sl_type_t *t = sl_ast_type(P, SL_T_ROW, -1, -1);
    if (!t) return NULL;
    int n = fields ? fields->n : 0;
    if (n) {
        sl_field_t *f = sl_arena_alloc(P->arena, (size_t)n * sizeof *f);
        if (!f) {
            sl_parse_oom(P);
            return t;
        }
        for (int i = 0; i < n; i++) {
            sl_field_t *fi = fields->items[i];
            f[i] = *fi;
            for (int j = 0; j < i; j++)
                if (strcasecmp(f[j].name, f[i].name) == 0)
                    sl_parse_error(P, kw->off, kw->len,
                                   "ROW field '%s' is declared twice", f[i].name);
        }
        t->fields = f;
    }
    t->nfields = (int16_t)n;
    return t;
}

sl_type_t *sl_ast_type_coll(sl_pctx *P, int id, const void *key,
                            const void *elem)
{
    sl_type_t *t = sl_ast_type(P, id, -1, -1);
    if (!t) return NULL;
    t->key = key;
    t->elem = elem;
    return t;
}

sl_field_t *sl_ast_field(sl_pctx *P, sl_ident_t *n, const sl_type_t *t,
                         const sl_token_t *comment)
{
    sl_field_t *f = NEW(P, sl_field_t);
    if (!f || !n) return f;
    f->name = n->name;
    f->type = t;
    f->comment = comment ? tok_string(P, comment, NULL) : NULL;
    return f;
}

/* ---- other statements ---- */

sl_stmt_t *sl_ast_create_view(sl_pctx *P, const sl_token_t *create, int temp,
                              int ifnotexists, sl_qname_t *name,
                              sl_list_t *cols, sl_token_t *comment,
                              sl_query_t *q)
{
    sl_stmt_t *s = new_stmt(P, SL_S_CREATE_VIEW, create->off);
    s->temporary = temp;
    s->if_not_exists = ifnotexists;
    s->name = qname_of(name);
    s->col_names = list_of(cols);
    s->comment = comment ? tok_string(P, comment, NULL) : NULL;
    s->query = q;
    return s;
}

sl_stmt_t *sl_ast_drop(sl_pctx *P, const sl_token_t *kw, int kind, int temp,
                       int ifexists, sl_qname_t *name)
{
    sl_stmt_t *s = new_stmt(P, kind, kw->off);
    s->temporary = temp;
    s->if_exists = ifexists;
    s->name = qname_of(name);
    return s;
}

sl_stmt_t *sl_ast_insert(sl_pctx *P, const sl_token_t *kw, int overwrite,
                         sl_qname_t *name, sl_list_t *hints, sl_list_t *part,
                         sl_list_t *cols, sl_query_t *q)
{
    sl_stmt_t *s = new_stmt(P, SL_S_INSERT, kw->off);
    s->overwrite = overwrite;
    s->name = qname_of(name);
    s->hints = list_of(hints);
    s->partition = list_of(part);
    s->col_names = list_of(cols);
    s->query = q;
    if (q) s->len = query_end(q) - s->off;
    return s;
}

sl_option_t *sl_ast_partspec(sl_pctx *P, sl_ident_t *k, sl_expr_t *v)
{
    sl_option_t *o = NEW(P, sl_option_t);
    if (!o || !k || !v) return o;
    o->key = k->name;
    o->key_off = k->off;
    o->key_len = k->len;
    o->value = v->str ? v->str : sl_arena_strndup(P->arena, P->src + v->off, (size_t)v->len);
    o->val_off = v->off;
    o->val_len = v->len;
    return o;
}

sl_stmt_t *sl_ast_statement_set(sl_pctx *P, const sl_token_t *kw,
                                sl_list_t *inserts)
{
    sl_stmt_t *s = new_stmt(P, SL_S_STATEMENT_SET, kw->off);
    s->stmts = list_of(inserts);
    return s;
}

sl_stmt_t *sl_ast_simple(sl_pctx *P, const sl_token_t *kw, int kind)
{
    return new_stmt(P, kind, kw->off);
}

sl_stmt_t *sl_ast_set(sl_pctx *P, const sl_token_t *kw, const sl_token_t *k,
                      const sl_token_t *v)
{
    sl_stmt_t *s = new_stmt(P, SL_S_SET, kw->off);
    if (k) {
        s->key = tok_string(P, k, NULL);
        s->key_off = k->off;
        s->key_len = k->len;
    }
    if (v) {
        s->value = tok_string(P, v, NULL);
        s->val_off = v->off;
        s->val_len = v->len;
    }
    return s;
}

sl_stmt_t *sl_ast_reset(sl_pctx *P, const sl_token_t *kw, const sl_token_t *k)
{
    sl_stmt_t *s = new_stmt(P, SL_S_RESET, kw->off);
    if (k) {
        s->key = tok_string(P, k, NULL);
        s->key_off = k->off;
        s->key_len = k->len;
    }
    return s;
}

sl_stmt_t *sl_ast_show(sl_pctx *P, const sl_token_t *kw, int what,
                       sl_qname_t *name, sl_token_t *like)
{
    sl_stmt_t *s = new_stmt(P, SL_S_SHOW, kw->off);
    s->show = (uint8_t)what;
    s->name = qname_of(name);
    s->like_pattern = like ? tok_string(P, like, NULL) : NULL;
    return s;
}

sl_stmt_t *sl_ast_describe(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n,
                           int extended)
{
    sl_stmt_t *s = new_stmt(P, SL_S_DESCRIBE, kw->off);
    s->name = qname_of(n);
    s->extended = extended;
    return s;
}

sl_stmt_t *sl_ast_explain(sl_pctx *P, const sl_token_t *kw, sl_list_t *details,
                          sl_stmt_t *inner)
{
    sl_stmt_t *s = new_stmt(P, SL_S_EXPLAIN, kw->off);
    s->explain_details = list_of(details);
    static const char *const known[] = {"ESTIMATED_COST", "CHANGELOG_MODE",
                                        "JSON_EXECUTION_PLAN", "PLAN_ADVICE",
                                        NULL};
    for (int i = 0; i < s->explain_details.n; i++) {
        sl_ident_t *d = s->explain_details.items[i];
        int ok = 0;
        for (int j = 0; known[j]; j++)
            if (strcasecmp(d->name, known[j]) == 0) ok = 1;
        if (!ok)
            sl_parse_error(P, d->off, d->len,
                           "unknown EXPLAIN detail '%s': expected "
                           "ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN "
                           "or PLAN_ADVICE",
                           d->name);
    }
    if (inner) sl_ast_list(P, &s->stmts, inner);
    return s;
}

sl_stmt_t *sl_ast_use(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n,
                      int catalog)
{
    sl_stmt_t *s = new_stmt(P, SL_S_USE, kw->off);
    s->name = qname_of(n);
    s->extended = catalog;
    return s;
}

sl_stmt_t *sl_ast_stop_job(sl_pctx *P, const sl_token_t *kw,
                           const sl_token_t *id, int savepoint)
{
    sl_stmt_t *s = new_stmt(P, SL_S_STOP_JOB, kw->off);
    s->key = tok_string(P, id, NULL);
    s->key_off = id->off;
    s->key_len = id->len;
    s->extended = savepoint;
    return s;
}

sl_stmt_t *sl_ast_unsupported(sl_pctx *P, const sl_token_t *kw,
                              const char *what, const char *why)
{
    /* Reported by sl_ast_finish once the whole statement parsed, so a
     * syntax error later in it is reported instead, where it is. */
    P->unsup_what = what;
    P->unsup_why = why;
    P->unsup_off = kw->off;
    P->unsup_len = kw->len;
    return NULL;
}

sl_stmt_t *sl_ast_query_stmt(sl_pctx *P, sl_query_t *q)
{
    sl_stmt_t *s = new_stmt(P, SL_S_QUERY, q ? q->off : 0);
    s->query = q;
    if (q) s->len = q->len;
    return s;
}

/* ---- queries ---- */

sl_query_t *sl_ast_query_finish(sl_pctx *P, sl_list_t *ctes, sl_query_t *body,
                                sl_list_t *order, sl_expr_t **limit)
{
    if (!body) return &dummy_query;
    if (!ctes && !order && !limit) return body;
    /* ORDER BY / LIMIT over a set operation or a query that already has
     * them apply to the whole: wrap it. */
    sl_query_t *q = body;
    if ((order || limit) &&
        (body->order_by.n || body->limit || body->kind == SL_Q_SETOP)) {
        if (body->kind == SL_Q_SETOP && !body->order_by.n && !body->limit) {
            q = body; /* a set operation holds its own ORDER BY */
        } else {
            q = new_query(P, SL_Q_SELECT, body->off, query_end(body));
            /* SELECT * FROM (body) */
            sl_tref_t *t = NEW(P, sl_tref_t);
            if (t) {
                t->kind = SL_TR_QUERY;
                t->query = body;
                t->off = body->off;
                t->len = body->len;
            }
            sl_select_item_t *it = NEW(P, sl_select_item_t);
            if (it) {
                it->expr = new_expr(P, SL_X_STAR, body->off, body->off);
                sl_ast_list(P, &q->items, it);
            }
            q->from = t;
        }
    }
    if (ctes) q->ctes = *ctes;
    if (order) q->order_by = *order;
    if (limit) {
        q->limit = limit[0];
        q->offset = limit[1];
    }
    int end = query_end(q);
    if (limit && limit[0] && expr_end(limit[0]) > end) end = expr_end(limit[0]);
    if (limit && limit[1] && expr_end(limit[1]) > end) end = expr_end(limit[1]);
    if (order && order->n) {
        sl_order_item_t *last = order->items[order->n - 1];
        if (last->expr && expr_end(last->expr) > end) end = expr_end(last->expr);
    }
    q->len = end - q->off;
    return q;
}

sl_cte_t *sl_ast_cte(sl_pctx *P, sl_ident_t *n, sl_list_t *cols, sl_query_t *q)
{
    sl_cte_t *c = NEW(P, sl_cte_t);
    if (!c || !n) return c;
    c->name = *n;
    c->columns = list_of(cols);
    c->query = q;
    return c;
}

sl_setop_tok_t *sl_ast_setop_tok(sl_pctx *P, const sl_token_t *kw, int op,
                                 int all)
{
    sl_setop_tok_t *s = NEW(P, sl_setop_tok_t);
    if (!s) return NULL;
    s->op = op;
    s->all = all;
    s->off = kw->off;
    return s;
}

sl_query_t *sl_ast_setop(sl_pctx *P, sl_setop_tok_t *op, sl_query_t *l,
                         sl_query_t *r)
{
    if (!op || !l || !r) return &dummy_query;
    sl_query_t *q = new_query(P, SL_Q_SETOP, l->off, query_end(r));
    q->setop = (uint8_t)op->op;
    q->all = op->all;
    q->op_off = op->off;
    q->left = l;
    q->right = r;
    return q;
}

sl_query_t *sl_ast_values(sl_pctx *P, const sl_token_t *kw, sl_list_t *rows)
{
    int end = tok_end(kw);
    if (rows && rows->n) end = expr_end(rows->items[rows->n - 1]);
    sl_query_t *q = new_query(P, SL_Q_VALUES, kw->off, end);
    q->rows = list_of(rows);
    return q;
}

sl_query_t *sl_ast_query_paren(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                               const sl_token_t *rp)
{
    (void)P;
    if (!q) return &dummy_query;
    /* Keep the inner node; widen its span to cover the parentheses so
     * errors about the whole operand point at '('. */
    q->off = lp->off;
    q->len = tok_end(rp) - lp->off;
    return q;
}

sl_expr_t *sl_ast_row(sl_pctx *P, const sl_token_t *b, sl_list_t *l,
                      const sl_token_t *r)
{
    sl_expr_t *e = new_expr(P, SL_X_ROW, b->off, tok_end(r));
    e->args = list_of(l);
    return e;
}

sl_query_t *sl_ast_select(sl_pctx *P, const sl_token_t *kw, sl_list_t *hints,
                          int distinct, sl_list_t *items, sl_tref_t *from,
                          sl_expr_t *where, sl_list_t *group,
                          sl_expr_t *having, sl_list_t *windows)
{
    int end = tok_end(kw);
    sl_query_t *q = new_query(P, SL_Q_SELECT, kw->off, end);
    q->hints = list_of(hints);
    q->distinct = distinct;
    q->items = list_of(items);
    q->from = from;
    q->where = where;
    q->group_by = list_of(group);
    q->having = having;
    q->windows = list_of(windows);
    /* The span ends at the last element we know the end of. */
    if (items && items->n) {
        sl_select_item_t *it = items->items[items->n - 1];
        if (it->expr) end = expr_end(it->expr);
        if (it->alias.name) end = it->alias.off + it->alias.len;
    }
    if (from && from->off + from->len > end) end = from->off + from->len;
    if (where && expr_end(where) > end) end = expr_end(where);
    if (group && group->n) {
        sl_group_item_t *g = group->items[group->n - 1];
        if (g->off + g->len > end) end = g->off + g->len;
    }
    if (having && expr_end(having) > end) end = expr_end(having);
    q->len = end - q->off;
    return q;
}

sl_select_item_t *sl_ast_selitem(sl_pctx *P, sl_expr_t *e, sl_ident_t *alias)
{
    sl_select_item_t *it = NEW(P, sl_select_item_t);
    if (!it) return NULL;
    it->expr = e;
    if (alias) it->alias = *alias;
    return it;
}

sl_expr_t *sl_ast_star(sl_pctx *P, const sl_token_t *star, sl_qname_t *q)
{
    sl_expr_t *e = new_expr(P, SL_X_STAR, q ? q->off : star->off, tok_end(star));
    e->name = qname_of(q);
    return e;
}

sl_tref_t *sl_ast_join(sl_pctx *P, const sl_token_t *kw, int kind, int natural,
                       sl_tref_t *l, sl_tref_t *r, sl_expr_t *on,
                       sl_list_t *using_cols)
{
    if (!l || !r) return &dummy_tref;
    sl_tref_t *t = NEW(P, sl_tref_t);
    if (!t) return &dummy_tref;
    t->kind = SL_TR_JOIN;
    t->join = (uint8_t)kind;
    t->natural = natural;
    t->left = l;
    t->right = r;
    t->on = on;
    t->using_cols = list_of(using_cols);
    t->off = l->off;
    int end = r->off + r->len;
    if (on && expr_end(on) > end) end = expr_end(on);
    t->len = end - t->off;
    t->systime_off = kw->off; /* the JOIN keyword, for messages */
    return t;
}

static void apply_alias(sl_tref_t *t, sl_talias_t *a)
{
    if (!a || !a->name) return;
    t->alias = *a->name;
    if (a->cols) t->col_aliases = *a->cols;
    int end = a->name->off + a->name->len;
    if (end > t->off + t->len) t->len = end - t->off;
}

sl_tref_t *sl_ast_tref_table(sl_pctx *P, sl_qname_t *n, sl_list_t *hints,
                             sl_expr_t *systime, sl_talias_t *alias)
{
    sl_tref_t *t = NEW(P, sl_tref_t);
    if (!t || !n) return &dummy_tref;
    t->kind = SL_TR_TABLE;
    t->name = *n;
    t->hints = list_of(hints);
    t->off = n->off;
    t->len = n->len;
    if (systime) {
        t->systime = systime->a;
        t->systime_off = systime->off;
        if (expr_end(systime) > t->off + t->len) t->len = expr_end(systime) - t->off;
    }
    apply_alias(t, alias);
    return t;
}

sl_tref_t *sl_ast_tref_query(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                             sl_talias_t *alias)
{
    sl_tref_t *t = NEW(P, sl_tref_t);
    if (!t) return &dummy_tref;
    t->kind = SL_TR_QUERY;
    t->query = q;
    t->off = lp->off;
    t->len = q ? query_end(q) + 1 - lp->off : 1;
    apply_alias(t, alias);
    return t;
}

sl_tref_t *sl_ast_tref_func(sl_pctx *P, const sl_token_t *kw, int lateral,
                            sl_expr_t *call, sl_talias_t *alias)
{
    sl_tref_t *t = NEW(P, sl_tref_t);
    if (!t) return &dummy_tref;
    t->kind = SL_TR_FUNC;
    t->lateral = lateral;
    t->call = call;
    t->off = kw->off;
    t->len = call ? expr_end(call) + 1 - kw->off : kw->len;
    apply_alias(t, alias);
    return t;
}

sl_expr_t *sl_ast_systime(sl_pctx *P, const sl_token_t *kw, sl_expr_t *e)
{
    /* A carrier node: a = the time expression, span from FOR. */
    sl_expr_t *c = new_expr(P, SL_X_UNARY, kw->off, e ? expr_end(e) : tok_end(kw));
    c->a = e;
    return c;
}

sl_talias_t *sl_ast_talias(sl_pctx *P, sl_ident_t *n, sl_list_t *cols)
{
    sl_talias_t *a = NEW(P, sl_talias_t);
    if (!a) return NULL;
    a->name = n;
    a->cols = cols;
    return a;
}

sl_group_item_t *sl_ast_group_expr(sl_pctx *P, sl_expr_t *e)
{
    sl_group_item_t *g = NEW(P, sl_group_item_t);
    if (!g || !e) return g;
    g->kind = SL_G_EXPR;
    g->expr = e;
    g->off = e->off;
    g->len = e->len;
    return g;
}

sl_group_item_t *sl_ast_group_set(sl_pctx *P, const sl_token_t *kw, int kind,
                                  sl_list_t *items)
{
    sl_group_item_t *g = NEW(P, sl_group_item_t);
    if (!g) return NULL;
    g->kind = kind;
    g->items = list_of(items);
    g->off = kw->off;
    g->len = kw->len;
    if (items && items->n) {
        sl_group_item_t *last = items->items[items->n - 1];
        if (last) g->len = last->off + last->len + 1 - kw->off;
    }
    return g;
}

sl_window_t *sl_ast_window_name(sl_pctx *P, sl_window_t *w, sl_ident_t *n,
                                const sl_token_t *lp, const sl_token_t *rp)
{
    (void)P;
    if (!w || !n) return w;
    /* Named window definition: the name goes into ref, its own reference
     * (WINDOW w2 AS (w1 ...)) is not supported by Flink either. */
    w->ref = *n;
    w->off = lp->off;
    w->len = tok_end(rp) - lp->off;
    return w;
}

sl_order_item_t *sl_ast_order_item(sl_pctx *P, sl_expr_t *e, int desc,
                                   int nulls)
{
    sl_order_item_t *o = NEW(P, sl_order_item_t);
    if (!o) return NULL;
    o->expr = e;
    o->desc = desc;
    o->nulls = nulls;
    return o;
}

sl_expr_t **sl_ast_limit(sl_pctx *P, sl_expr_t *limit, sl_expr_t *offset)
{
    sl_expr_t **l = alloc0(P, 2 * sizeof *l);
    if (!l) return NULL;
    l[0] = limit;
    l[1] = offset;
    return l;
}

sl_hint_t *sl_ast_hint(sl_pctx *P, sl_ident_t *n, sl_list_t *args)
{
    sl_hint_t *h = NEW(P, sl_hint_t);
    if (!h || !n) return h;
    h->name = *n;
    if (args) {
        for (int i = 0; i < args->n; i++) {
            sl_hintarg_t *a = args->items[i];
            if (!a) continue;
            if (a->opt) sl_ast_list(P, &h->options, a->opt);
            else if (a->ident) sl_ast_list(P, &h->args, a->ident);
        }
    }
    return h;
}

sl_hintarg_t *sl_ast_hintarg(sl_pctx *P, const sl_token_t *k,
                             const sl_token_t *v, sl_qname_t *n)
{
    sl_hintarg_t *a = NEW(P, sl_hintarg_t);
    if (!a) return NULL;
    if (k && v) {
        a->opt = sl_ast_option(P, k, v);
    } else if (k) {
        sl_ident_t *id = NEW(P, sl_ident_t);
        if (!id) return a;
        id->name = tok_string(P, k, NULL);
        id->off = k->off;
        id->len = k->len;
        id->quoted = true;
        a->ident = id;
    } else if (n && n->n) {
        sl_ident_t *id = NEW(P, sl_ident_t);
        if (!id) return a;
        *id = n->parts[n->n - 1];
        a->ident = id;
    }
    return a;
}

/* ---- expressions ---- */

sl_expr_t *sl_ast_literal(sl_pctx *P, const sl_token_t *t, int kind)
{
    sl_expr_t *e = new_expr(P, SL_X_LITERAL, t->off, tok_end(t));
    e->op = (uint8_t)kind;
    switch (kind) {
    case SL_LIT_STRING:
        e->str = tok_string(P, t, &e->slen);
        break;
    case SL_LIT_BINARY: {
        e->str = tok_string(P, t, &e->slen);
        for (int i = 0; i < e->slen; i++) {
            if (!isxdigit((unsigned char)e->str[i])) {
                sl_parse_error(P, t->off, t->len,
                               "binary literal X'...' holds a non-hex digit");
                break;
            }
        }
        if (e->slen % 2)
            sl_parse_error(P, t->off, t->len,
                           "binary literal X'...' needs an even number of hex digits");
        break;
    }
    case SL_LIT_BOOL:
        e->str = (t->type == TK_TRUE) ? "TRUE" : "FALSE";
        e->slen = (int)strlen(e->str);
        break;
    case SL_LIT_NULL:
        e->str = NULL;
        break;
    default:
        e->str = tok_text(P, t);
        e->slen = t->len;
        break;
    }
    return e;
}

sl_expr_t *sl_ast_typed_literal(sl_pctx *P, const sl_token_t *kw,
                                const sl_token_t *s, int kind)
{
    sl_expr_t *e = new_expr(P, SL_X_LITERAL, kw->off, tok_end(s));
    e->op = (uint8_t)kind;
    e->str = tok_string(P, s, &e->slen);
    return e;
}

sl_expr_t *sl_ast_column(sl_pctx *P, sl_qname_t *n)
{
    if (!n) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_COLUMN, n->off, n->off + n->len);
    e->name = *n;
    return e;
}

sl_expr_t *sl_ast_paren(sl_pctx *P, const sl_token_t *lp, sl_expr_t *e,
                        const sl_token_t *rp)
{
    (void)P; (void)lp; (void)rp;
    if (e) e->flags |= SL_XF_PAREN;
    return e;
}

sl_expr_t *sl_ast_row_paren(sl_pctx *P, const sl_token_t *lp, sl_expr_t *first,
                            sl_list_t *rest, const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, SL_X_ROW, lp->off, tok_end(rp));
    sl_ast_list(P, &e->args, first);
    if (rest)
        for (int i = 0; i < rest->n; i++) sl_ast_list(P, &e->args, rest->items[i]);
    return e;
}

sl_expr_t *sl_ast_subquery(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                           const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, SL_X_SUBQUERY, lp->off, tok_end(rp));
    e->query = q;
    return e;
}

sl_expr_t *sl_ast_param(sl_pctx *P, const sl_token_t *t)
{
    return new_expr(P, SL_X_PARAM, t->off, tok_end(t));
}

sl_expr_t *sl_ast_binary(sl_pctx *P, int op, sl_expr_t *a, sl_expr_t *b)
{
    if (!a || !b) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_BINARY, a->off, expr_end(b));
    e->op = (uint8_t)op;
    e->a = a;
    e->b = b;
    return e;
}

sl_expr_t *sl_ast_unary(sl_pctx *P, const sl_token_t *kw, int op, sl_expr_t *a)
{
    if (!a) return &dummy_expr;
    /* Fold a minus sign into a numeric literal: -128 is one TINYINT-range
     * literal, and the binder sees the exact text. */
    if (op == SL_OP_NEG && a->kind == SL_X_LITERAL && !(a->flags & SL_XF_PAREN) &&
        (a->op == SL_LIT_INT || a->op == SL_LIT_DECIMAL || a->op == SL_LIT_DOUBLE) &&
        a->str && a->str[0] != '-') {
        char *s = sl_arena_printf(P->arena, "-%s", a->str);
        if (!s) {
            sl_parse_oom(P);
            return a;
        }
        a->str = s;
        a->slen++;
        a->len = expr_end(a) - kw->off;
        a->off = kw->off;
        return a;
    }
    sl_expr_t *e = new_expr(P, SL_X_UNARY, kw->off, expr_end(a));
    e->op = (uint8_t)op;
    e->a = a;
    return e;
}

sl_expr_t *sl_ast_is(sl_pctx *P, sl_expr_t *a, int op, int negated,
                     const sl_token_t *last)
{
    if (!a) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_IS, a->off, tok_end(last));
    e->op = (uint8_t)op;
    e->a = a;
    if (negated) e->flags |= SL_XF_NOT;
    return e;
}

sl_expr_t *sl_ast_is_distinct(sl_pctx *P, sl_expr_t *a, int negated,
                              sl_expr_t *b)
{
    if (!a || !b) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_IS_DISTINCT, a->off, expr_end(b));
    e->a = a;
    e->b = b;
    if (negated) e->flags |= SL_XF_NOT;
    return e;
}

sl_expr_t *sl_ast_between(sl_pctx *P, sl_expr_t *a, int negated, int symmetric,
                          sl_expr_t *lo, sl_expr_t *hi)
{
    if (!a || !lo || !hi) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_BETWEEN, a->off, expr_end(hi));
    e->a = a;
    e->b = lo;
    e->c = hi;
    if (negated) e->flags |= SL_XF_NOT;
    if (symmetric) e->flags |= SL_XF_SYMMETRIC;
    return e;
}

sl_expr_t *sl_ast_in_list(sl_pctx *P, sl_expr_t *a, int negated, sl_list_t *l,
                          const sl_token_t *rp)
{
    if (!a) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_IN_LIST, a->off, tok_end(rp));
    e->a = a;
    e->args = list_of(l);
    if (negated) e->flags |= SL_XF_NOT;
    return e;
}

sl_expr_t *sl_ast_in_query(sl_pctx *P, sl_expr_t *a, int negated,
                           sl_query_t *q, const sl_token_t *rp)
{
    if (!a) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_IN_QUERY, a->off, tok_end(rp));
    e->a = a;
    e->query = q;
    if (negated) e->flags |= SL_XF_NOT;
    return e;
}

sl_expr_t *sl_ast_exists(sl_pctx *P, const sl_token_t *kw, sl_query_t *q,
                         const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, SL_X_EXISTS, kw->off, tok_end(rp));
    e->query = q;
    return e;
}

sl_expr_t *sl_ast_like_expr(sl_pctx *P, sl_expr_t *a, int op, int negated,
                            sl_expr_t *pattern, sl_expr_t *escape)
{
    if (!a || !pattern) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_LIKE, a->off,
                            expr_end(escape ? escape : pattern));
    e->op = (uint8_t)op;
    e->a = a;
    e->b = pattern;
    e->c = escape;
    if (negated) e->flags |= SL_XF_NOT;
    return e;
}

sl_expr_t *sl_ast_item(sl_pctx *P, sl_expr_t *a, sl_expr_t *idx,
                       const sl_token_t *rb)
{
    if (!a || !idx) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_ITEM, a->off, tok_end(rb));
    e->a = a;
    e->b = idx;
    return e;
}

sl_expr_t *sl_ast_case(sl_pctx *P, const sl_token_t *kw, sl_expr_t *operand,
                       sl_list_t *whens, sl_expr_t *els, const sl_token_t *end)
{
    sl_expr_t *e = new_expr(P, SL_X_CASE, kw->off, tok_end(end));
    e->a = operand;
    e->args = list_of(whens);
    e->c = els;
    return e;
}

sl_expr_t *sl_ast_cast(sl_pctx *P, const sl_token_t *kw, sl_expr_t *a,
                       const sl_type_t *t, int try_cast, const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, SL_X_CAST, kw->off, tok_end(rp));
    e->a = a;
    e->cast_type = t;
    if (try_cast) e->flags |= SL_XF_TRY;
    return e;
}

sl_expr_t *sl_ast_interval(sl_pctx *P, const sl_token_t *kw, int negative,
                           const sl_token_t *s, sl_token_t *from,
                           sl_token_t *to)
{
    sl_expr_t *e = new_expr(P, SL_X_INTERVAL, kw->off,
                            tok_end(to ? to : from ? from : s));
    const char *v = tok_string(P, s, &e->slen);
    if (negative) {
        char *nv = sl_arena_printf(P->arena, "-%s", v);
        if (!nv) sl_parse_oom(P);
        else {
            v = nv;
            e->slen++;
        }
    }
    e->str = v;
    e->unit_from = unit_of_tok(P, from);
    e->unit_to = to ? unit_of_tok(P, to) : SL_U_NONE;
    if (to && e->unit_to != SL_U_NONE && e->unit_from != SL_U_NONE &&
        e->unit_to <= e->unit_from)
        sl_parse_error(P, to->off, to->len,
                       "interval range %s TO %s is not valid: the second unit "
                       "must be smaller",
                       sl_unit_name(e->unit_from), sl_unit_name(e->unit_to));
    /* The literal text itself is checked here so a bad interval is a syntax
     * error at the string, as in Flink. */
    int i = 0, digits = 0;
    if (v[i] == '-' || v[i] == '+') i++;
    for (; v[i]; i++) {
        char c = v[i];
        if (isdigit((unsigned char)c)) digits++;
        else if (!(c == ' ' || c == ':' || c == '.' || c == '-')) {
            digits = -1;
            break;
        }
    }
    if (digits <= 0)
        sl_parse_error(P, s->off, s->len,
                       "interval literal '%s' is not a number of %s", v,
                       from ? sl_unit_name(e->unit_from) : "units");
    return e;
}

sl_expr_t *sl_ast_call(sl_pctx *P, sl_qname_t *name, int flags, sl_list_t *args,
                       const sl_token_t *rp)
{
    if (!name) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_CALL, name->off, tok_end(rp));
    e->name = *name;
    e->flags = (uint16_t)flags;
    e->args = list_of(args);
    return e;
}

sl_expr_t *sl_ast_call_tok(sl_pctx *P, const sl_token_t *name, sl_list_t *args,
                           const sl_token_t *rp)
{
    return sl_ast_call(P, sl_ast_qname(P, NULL, sl_ast_ident(P, name)), 0, args,
                       rp);
}

sl_expr_t *sl_ast_call_filter(sl_pctx *P, sl_expr_t *call, sl_expr_t *where,
                              const sl_token_t *rp)
{
    (void)P;
    if (!call) return &dummy_expr;
    call->filter = where;
    call->len = tok_end(rp) - call->off;
    return call;
}

sl_expr_t *sl_ast_call_over(sl_pctx *P, sl_expr_t *call, sl_window_t *w,
                            const sl_token_t *lp, const sl_token_t *rp)
{
    (void)P;
    if (!call) return &dummy_expr;
    if (w) {
        w->off = lp->off;
        w->len = tok_end(rp) - lp->off;
    }
    call->over = w;
    call->len = tok_end(rp) - call->off;
    return call;
}

sl_expr_t *sl_ast_call_over_ref(sl_pctx *P, sl_expr_t *call, sl_ident_t *w)
{
    if (!call || !w) return &dummy_expr;
    sl_window_t *win = NEW(P, sl_window_t);
    if (!win) return call;
    win->ref = *w;
    win->off = w->off;
    win->len = w->len;
    call->over = win;
    call->len = w->off + w->len - call->off;
    return call;
}

sl_expr_t *sl_ast_symbol(sl_pctx *P, sl_token_t *t)
{
    if (!t) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_SYMBOL, t->off, tok_end(t));
    e->str = tok_text(P, t);
    e->slen = t->len;
    e->op = (uint8_t)sl_unit_from_name(P->src + t->off, t->len);
    return e;
}

sl_expr_t *sl_ast_unit(sl_pctx *P, sl_token_t *t)
{
    sl_expr_t *e = sl_ast_symbol(P, t);
    if (t && e->op == SL_U_NONE)
        sl_parse_error(P, t->off, t->len,
                       "'%.*s' is not a time unit: expected YEAR, QUARTER, MONTH, "
                       "WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, "
                       "MICROSECOND, DOW, DOY, EPOCH, ...",
                       t->len, P->src + t->off);
    return e;
}

sl_expr_t *sl_ast_table_arg_partitioned(sl_pctx *P, const sl_token_t *kw,
                                        sl_qname_t *n, sl_expr_t *keys)
{
    sl_expr_t *e = sl_ast_table_arg(P, kw, n);
    if (!keys) return e;
    /* (k1, k2) arrives as a ROW: keep its elements. */
    if (keys->kind == SL_X_ROW && (keys->flags & SL_XF_PAREN) == 0 &&
        keys->args.n > 1) {
        e->args = keys->args;
    } else {
        sl_ast_list(P, &e->args, keys);
    }
    e->len = expr_end(keys) - e->off;
    return e;
}

sl_expr_t *sl_ast_table_arg(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n)
{
    if (!n) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_TABLE_ARG, kw->off, n->off + n->len);
    e->name = *n;
    return e;
}

sl_expr_t *sl_ast_descriptor(sl_pctx *P, const sl_token_t *kw, sl_list_t *cols,
                             const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, SL_X_DESCRIPTOR, kw->off, tok_end(rp));
    if (cols) {
        for (int i = 0; i < cols->n; i++) {
            sl_ident_t *id = cols->items[i];
            sl_qname_t *q = sl_ast_qname(P, NULL, id);
            sl_ast_list(P, &e->args, sl_ast_column(P, q));
        }
    }
    return e;
}

sl_expr_t *sl_ast_named_arg(sl_pctx *P, sl_ident_t *n, sl_expr_t *a)
{
    if (!n || !a) return &dummy_expr;
    sl_expr_t *e = new_expr(P, SL_X_NAMED_ARG, n->off, expr_end(a));
    e->str = n->name;
    e->slen = (int)strlen(n->name);
    e->a = a;
    return e;
}

static sl_expr_t *special_call(sl_pctx *P, const sl_token_t *fn,
                               const sl_token_t *rp)
{
    sl_qname_t *q = sl_ast_qname(P, NULL, sl_ast_ident(P, fn));
    return sl_ast_call(P, q, 0, NULL, rp);
}

sl_expr_t *sl_ast_special(sl_pctx *P, const sl_token_t *fn, sl_expr_t *a,
                          sl_expr_t *b, sl_expr_t *c, const sl_token_t *rp)
{
    sl_expr_t *e = special_call(P, fn, rp);
    if (a) sl_ast_list(P, &e->args, a);
    if (b) sl_ast_list(P, &e->args, b);
    if (c) sl_ast_list(P, &e->args, c);
    return e;
}

sl_expr_t *sl_ast_special4(sl_pctx *P, const sl_token_t *fn, sl_expr_t *a,
                           sl_expr_t *b, sl_expr_t *c, sl_expr_t *d,
                           const sl_token_t *rp)
{
    sl_expr_t *e = sl_ast_special(P, fn, a, b, c, rp);
    if (d) sl_ast_list(P, &e->args, d);
    return e;
}

sl_expr_t *sl_ast_trim(sl_pctx *P, const sl_token_t *fn, sl_token_t *spec,
                       sl_expr_t *chars, sl_expr_t *a, const sl_token_t *rp)
{
    /* TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) becomes
     * TRIM(symbol, chars, s) with defaults BOTH and ' '. */
    sl_expr_t *e = special_call(P, fn, rp);
    sl_expr_t *sym;
    if (spec) {
        sym = sl_ast_symbol(P, spec);
    } else {
        sym = new_expr(P, SL_X_SYMBOL, fn->off, tok_end(fn));
        sym->str = "BOTH";
        sym->slen = 4;
    }
    if (!chars) {
        chars = new_expr(P, SL_X_LITERAL, fn->off, tok_end(fn));
        chars->op = SL_LIT_STRING;
        chars->str = " ";
        chars->slen = 1;
    }
    sl_ast_list(P, &e->args, sym);
    sl_ast_list(P, &e->args, chars);
    sl_ast_list(P, &e->args, a);
    return e;
}

sl_expr_t *sl_ast_ctor(sl_pctx *P, const sl_token_t *kw, int kind,
                       sl_list_t *l, const sl_token_t *rp)
{
    sl_expr_t *e = new_expr(P, kind, kw->off, tok_end(rp));
    e->args = list_of(l);
    if (kind == SL_X_MAP && e->args.n % 2)
        sl_parse_error(P, kw->off, kw->len,
                       "MAP[...] needs key/value pairs: an even number of "
                       "expressions");
    return e;
}

sl_expr_t *sl_ast_niladic(sl_pctx *P, const sl_token_t *t)
{
    sl_expr_t *e = new_expr(P, SL_X_CALL, t->off, tok_end(t));
    sl_qname_t *q = sl_ast_qname(P, NULL, sl_ast_ident(P, t));
    if (q) e->name = *q;
    e->flags |= SL_XF_NILADIC;
    return e;
}

sl_window_t *sl_ast_window(sl_pctx *P, sl_ident_t *ref, sl_list_t *partition,
                           sl_list_t *order, sl_window_t *frame)
{
    sl_window_t *w = frame ? frame : NEW(P, sl_window_t);
    if (!w) return NULL;
    if (ref) w->ref = *ref;
    w->partition = list_of(partition);
    w->order = list_of(order);
    return w;
}

sl_window_t *sl_ast_frame(sl_pctx *P, int kind, sl_fbound_t *lo,
                          sl_fbound_t *hi)
{
    sl_window_t *w = NEW(P, sl_window_t);
    if (!w) return NULL;
    w->frame = kind;
    if (lo) {
        w->lo_kind = lo->kind;
        w->lo = lo->expr;
    }
    if (hi) {
        w->hi_kind = hi->kind;
        w->hi = hi->expr;
    } else {
        w->hi_kind = SL_FB_CURRENT_ROW;
    }
    return w;
}

sl_fbound_t *sl_ast_fbound(sl_pctx *P, int kind, sl_expr_t *e)
{
    sl_fbound_t *b = NEW(P, sl_fbound_t);
    if (!b) return NULL;
    b->kind = kind;
    b->expr = e;
    return b;
}

/* ---- units ---- */

static const struct {
    const char *name;
    sl_unit_t unit;
} unit_names[] = {
    {"YEAR", SL_U_YEAR}, {"YEARS", SL_U_YEAR},
    {"QUARTER", SL_U_QUARTER}, {"QUARTERS", SL_U_QUARTER},
    {"MONTH", SL_U_MONTH}, {"MONTHS", SL_U_MONTH},
    {"WEEK", SL_U_WEEK}, {"WEEKS", SL_U_WEEK},
    {"DAY", SL_U_DAY}, {"DAYS", SL_U_DAY},
    {"HOUR", SL_U_HOUR}, {"HOURS", SL_U_HOUR},
    {"MINUTE", SL_U_MINUTE}, {"MINUTES", SL_U_MINUTE},
    {"SECOND", SL_U_SECOND}, {"SECONDS", SL_U_SECOND},
    {"MILLISECOND", SL_U_MILLISECOND}, {"MILLISECONDS", SL_U_MILLISECOND},
    {"MICROSECOND", SL_U_MICROSECOND}, {"MICROSECONDS", SL_U_MICROSECOND},
    {"NANOSECOND", SL_U_NANOSECOND}, {"NANOSECONDS", SL_U_NANOSECOND},
    {"DOW", SL_U_DOW}, {"DOY", SL_U_DOY}, {"ISODOW", SL_U_ISODOW},
    {"ISOYEAR", SL_U_ISOYEAR}, {"EPOCH", SL_U_EPOCH},
    {"DECADE", SL_U_DECADE}, {"CENTURY", SL_U_CENTURY},
    {"MILLENNIUM", SL_U_MILLENNIUM},
    {"SQL_TSI_YEAR", SL_U_YEAR}, {"SQL_TSI_QUARTER", SL_U_QUARTER},
    {"SQL_TSI_MONTH", SL_U_MONTH}, {"SQL_TSI_WEEK", SL_U_WEEK},
    {"SQL_TSI_DAY", SL_U_DAY}, {"SQL_TSI_HOUR", SL_U_HOUR},
    {"SQL_TSI_MINUTE", SL_U_MINUTE}, {"SQL_TSI_SECOND", SL_U_SECOND},
};

sl_unit_t sl_unit_from_name(const char *s, int n)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        const char *u = unit_names[i].name;
        if ((int)strlen(u) == n && strncasecmp(u, s, (size_t)n) == 0)
            return unit_names[i].unit;
    }
    return SL_U_NONE;
}

const char *sl_unit_name(sl_unit_t u)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
        if (unit_names[i].unit == u) return unit_names[i].name;
    return "?";
}
