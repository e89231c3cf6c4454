/* parse.h - internals shared by the tokenizer, the lemon grammar and the
 * statement driver. Not a public header: the rest of sluice uses sql.h.
 */
#ifndef SL_SQL_PARSE_H
#define SL_SQL_PARSE_H

#include <stdbool.h>

#include "sql/ast.h"
#include "util/arena.h"
#include "util/err.h"

/* A token is a slice of the source: type TK_* (from the generated sql.h),
 * byte offset and length. String and identifier values are decoded on
 * demand by the builders. */
typedef struct sl_token {
    int type;
    int off;
    int len;
} sl_token_t;

/* Tokenizer. Scans one token starting at src[off]; returns its type and
 * length in *len. Whitespace and comments come back as TK_SPACE /
 * TK_COMMENT_TOK; lexical errors as TK_ILLEGAL / TK_UNTERMINATED /
 * TK_DQSTRING with the offending span. in_hint says whether we are inside
 * a hint block, where `*\/` closes the hint. */
int sl_sql_token(const char *src, int n, int off, bool in_hint, int *len);
/* Keyword lookup: TK_* for a reserved or grammar keyword, or TK_ID. */
int sl_sql_keyword(const char *z, int n);
/* Is this word reserved (must be back-quoted to be a name)? */
bool sl_sql_is_reserved(const char *z, int n);
/* Display name of a token type for messages ("','", "identifier", ...). */
const char *sl_sql_token_desc(int type);
/* How an expected token is spelled in messages: "')'", "AS", "a name";
 * NULL for tokens not worth listing. */
const char *sl_sql_token_spelling(int type);

/* Parse state of one statement, shared with grammar actions. */
struct sl_parse_ctx {
    sl_arena_t *arena;         /* the script's arena: AST memory */
    const char *src;           /* whole script text */
    int srclen;
    sl_stmt_t *result;         /* set by the start rule */
    sl_stmt_t *cur;            /* CREATE TABLE being built */
    int stmt_off;              /* offset of the statement's first token */
    int end_off;               /* offset of the statement end (';' or EOF) */
    int prev_type;             /* token fed before the current one */
    sl_token_t prev[2];        /* the two tokens fed before the current one */
    const char *unsup_what;    /* a parsed but unsupported statement, */
    const char *unsup_why;     /* reported when the statement is complete */
    int unsup_off, unsup_len;
    const sl_token_t *toks;    /* the statement's tokens, while parsing */
    int ntoks, tok_index;      /* ... and the one being fed */
    bool failed;               /* first error recorded in err */
    bool nomem;
    sl_err_t err;
};

/* Helper nonterminal payloads. */
typedef struct sl_talias {
    sl_ident_t *name;
    sl_list_t *cols;
} sl_talias_t;

typedef struct sl_fbound {
    int kind;                  /* enum sl_frame_bound */
    sl_expr_t *expr;
} sl_fbound_t;

typedef struct sl_hintarg {
    sl_option_t *opt;          /* 'k' = 'v' */
    sl_ident_t *ident;         /* name or 'string' alone */
} sl_hintarg_t;

typedef struct sl_setop_tok {
    int op;                    /* sl_setop_t */
    int all;
    int off;
} sl_setop_tok_t;

/* Errors raised by actions and the grammar. Only the first one counts. */
void sl_parse_error(sl_parse_ctx_t *P, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* expected: the terminals the parser would have accepted instead. */
void sl_parse_syntax_error(sl_parse_ctx_t *P, const sl_token_t *tok,
                           const int *expected, int nexpected);
void sl_parse_overflow(sl_parse_ctx_t *P);
void sl_parse_oom(sl_parse_ctx_t *P);

/* The lemon parser (grammar/sql.y). */
void *sl_sql_parserAlloc(void *(*mallocProc)(size_t), sl_parse_ctx_t *P);
void sl_sql_parserFree(void *p, void (*freeProc)(void *));
void sl_sql_parser(void *p, int major, sl_token_t minor);
int sl_sql_parserFallback(int token);

/* ---- AST builders called from grammar actions (ast.c) ---- */
typedef sl_parse_ctx_t sl_pctx;

void sl_ast_finish(sl_pctx *P, sl_stmt_t *s);
sl_token_t *sl_ast_tokdup(sl_pctx *P, const sl_token_t *t);
sl_list_t *sl_ast_list(sl_pctx *P, sl_list_t *l, void *item);
sl_ident_t *sl_ast_ident(sl_pctx *P, const sl_token_t *t);
sl_qname_t *sl_ast_qname(sl_pctx *P, sl_qname_t *q, sl_ident_t *part);

/* CREATE TABLE */
sl_stmt_t *sl_ast_create_table(sl_pctx *P, const sl_token_t *create, int temp,
                               int ifnotexists, sl_qname_t *name);
void sl_ast_add_column(sl_pctx *P, sl_coldef_t *c);
void sl_ast_watermark(sl_pctx *P, const sl_token_t *wm, sl_ident_t *col,
                      sl_expr_t *e);
void sl_ast_primary_key(sl_pctx *P, const sl_token_t *kw, sl_ident_t *name,
                        sl_list_t *cols, int enforced);
sl_token_t *sl_ast_inline_pk(sl_pctx *P, const sl_token_t *kw, int enforced);
sl_coldef_t *sl_ast_coldef_physical(sl_pctx *P, sl_ident_t *n,
                                    const sl_type_t *t, sl_token_t *pk,
                                    sl_token_t *comment);
sl_coldef_t *sl_ast_coldef_metadata(sl_pctx *P, sl_ident_t *n,
                                    const sl_type_t *t, sl_token_t *from,
                                    int is_virtual, sl_token_t *comment);
sl_coldef_t *sl_ast_coldef_computed(sl_pctx *P, sl_ident_t *n, sl_expr_t *e,
                                    sl_token_t *comment);
void sl_ast_table_comment(sl_pctx *P, const sl_token_t *s);
void sl_ast_partitioned(sl_pctx *P, sl_list_t *cols);
void sl_ast_with(sl_pctx *P, const sl_token_t *with, sl_list_t *opts);
sl_option_t *sl_ast_option(sl_pctx *P, const sl_token_t *k,
                           const sl_token_t *v);
void sl_ast_like(sl_pctx *P, sl_qname_t *src, sl_list_t *opts);
sl_ident_t *sl_ast_like_option(sl_pctx *P, sl_ident_t *mode,
                               sl_ident_t *what);
void sl_ast_ctas(sl_pctx *P, sl_query_t *q);

/* types */
sl_type_t *sl_ast_type(sl_pctx *P, int id, int len, int scale);
const sl_type_t *sl_ast_type_nullable(sl_pctx *P, sl_type_t *t, int nullable);
sl_type_t *sl_ast_type_decimal(sl_pctx *P, const sl_token_t *kw,
                               sl_list_t *args);
sl_type_t *sl_ast_type_len(sl_pctx *P, const sl_token_t *kw, int id,
                           sl_list_t *args);
sl_type_t *sl_ast_type_interval(sl_pctx *P, sl_token_t *from, sl_token_t *to);
sl_type_t *sl_ast_type_row(sl_pctx *P, const sl_token_t *kw, sl_list_t *fields);
sl_type_t *sl_ast_type_coll(sl_pctx *P, int id, const void *key,
                            const void *elem);
sl_field_t *sl_ast_field(sl_pctx *P, sl_ident_t *n, const sl_type_t *t,
                         const sl_token_t *comment);

/* other statements */
sl_stmt_t *sl_ast_create_view(sl_pctx *P, const sl_token_t *create, int temp,
                              int ifnotexists, sl_qname_t *name,
                              sl_list_t *cols, sl_token_t *comment,
                              sl_query_t *q);
sl_stmt_t *sl_ast_drop(sl_pctx *P, const sl_token_t *kw, int kind, int temp,
                       int ifexists, sl_qname_t *name);
sl_stmt_t *sl_ast_insert(sl_pctx *P, const sl_token_t *kw, int overwrite,
                         sl_qname_t *name, sl_list_t *hints, sl_list_t *part,
                         sl_list_t *cols, sl_query_t *q);
sl_option_t *sl_ast_partspec(sl_pctx *P, sl_ident_t *k, sl_expr_t *v);
sl_stmt_t *sl_ast_statement_set(sl_pctx *P, const sl_token_t *kw,
                                sl_list_t *inserts);
sl_stmt_t *sl_ast_simple(sl_pctx *P, const sl_token_t *kw, int kind);
sl_stmt_t *sl_ast_set(sl_pctx *P, const sl_token_t *kw, const sl_token_t *k,
                      const sl_token_t *v);
sl_stmt_t *sl_ast_reset(sl_pctx *P, const sl_token_t *kw, const sl_token_t *k);
sl_stmt_t *sl_ast_show(sl_pctx *P, const sl_token_t *kw, int what,
                       sl_qname_t *name, sl_token_t *like);
sl_stmt_t *sl_ast_describe(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n,
                           int extended);
sl_stmt_t *sl_ast_explain(sl_pctx *P, const sl_token_t *kw, sl_list_t *details,
                          sl_stmt_t *inner);
sl_stmt_t *sl_ast_use(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n,
                      int catalog);
sl_stmt_t *sl_ast_stop_job(sl_pctx *P, const sl_token_t *kw,
                           const sl_token_t *id, int savepoint);
sl_stmt_t *sl_ast_query_stmt(sl_pctx *P, sl_query_t *q);
sl_stmt_t *sl_ast_unsupported(sl_pctx *P, const sl_token_t *kw,
                              const char *what, const char *why);

/* queries */
sl_query_t *sl_ast_query_finish(sl_pctx *P, sl_list_t *ctes, sl_query_t *body,
                                sl_list_t *order, sl_expr_t **limit);
sl_cte_t *sl_ast_cte(sl_pctx *P, sl_ident_t *n, sl_list_t *cols, sl_query_t *q);
sl_setop_tok_t *sl_ast_setop_tok(sl_pctx *P, const sl_token_t *kw, int op,
                                 int all);
sl_query_t *sl_ast_setop(sl_pctx *P, sl_setop_tok_t *op, sl_query_t *l,
                         sl_query_t *r);
sl_query_t *sl_ast_values(sl_pctx *P, const sl_token_t *kw, sl_list_t *rows);
sl_query_t *sl_ast_query_paren(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                               const sl_token_t *rp);
sl_expr_t *sl_ast_row(sl_pctx *P, const sl_token_t *b, sl_list_t *l,
                      const sl_token_t *r);
sl_query_t *sl_ast_select(sl_pctx *P, const sl_token_t *kw, sl_list_t *hints,
                          int distinct, sl_list_t *items, sl_tref_t *from,
                          sl_expr_t *where, sl_list_t *group,
                          sl_expr_t *having, sl_list_t *windows);
sl_select_item_t *sl_ast_selitem(sl_pctx *P, sl_expr_t *e, sl_ident_t *alias);
sl_expr_t *sl_ast_star(sl_pctx *P, const sl_token_t *star, sl_qname_t *q);
sl_tref_t *sl_ast_join(sl_pctx *P, const sl_token_t *kw, int kind, int natural,
                       sl_tref_t *l, sl_tref_t *r, sl_expr_t *on,
                       sl_list_t *using_cols);
sl_tref_t *sl_ast_tref_table(sl_pctx *P, sl_qname_t *n, sl_list_t *hints,
                             sl_expr_t *systime, sl_talias_t *alias);
sl_tref_t *sl_ast_tref_query(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                             sl_talias_t *alias);
sl_tref_t *sl_ast_tref_func(sl_pctx *P, const sl_token_t *kw, int lateral,
                            sl_expr_t *call, sl_talias_t *alias);
sl_expr_t *sl_ast_systime(sl_pctx *P, const sl_token_t *kw, sl_expr_t *e);
sl_talias_t *sl_ast_talias(sl_pctx *P, sl_ident_t *n, sl_list_t *cols);
sl_group_item_t *sl_ast_group_expr(sl_pctx *P, sl_expr_t *e);
sl_group_item_t *sl_ast_group_set(sl_pctx *P, const sl_token_t *kw, int kind,
                                  sl_list_t *items);
sl_window_t *sl_ast_window_name(sl_pctx *P, sl_window_t *w, sl_ident_t *n,
                                const sl_token_t *lp, const sl_token_t *rp);
sl_order_item_t *sl_ast_order_item(sl_pctx *P, sl_expr_t *e, int desc,
                                   int nulls);
sl_expr_t **sl_ast_limit(sl_pctx *P, sl_expr_t *limit, sl_expr_t *offset);
sl_hint_t *sl_ast_hint(sl_pctx *P, sl_ident_t *n, sl_list_t *args);
sl_hintarg_t *sl_ast_hintarg(sl_pctx *P, const sl_token_t *k,
                             const sl_token_t *v, sl_qname_t *n);

/* expressions */
sl_expr_t *sl_ast_literal(sl_pctx *P, const sl_token_t *t, int kind);
sl_expr_t *sl_ast_typed_literal(sl_pctx *P, const sl_token_t *kw,
                                const sl_token_t *s, int kind);
sl_expr_t *sl_ast_column(sl_pctx *P, sl_qname_t *n);
sl_expr_t *sl_ast_paren(sl_pctx *P, const sl_token_t *lp, sl_expr_t *e,
                        const sl_token_t *rp);
sl_expr_t *sl_ast_row_paren(sl_pctx *P, const sl_token_t *lp, sl_expr_t *first,
                            sl_list_t *rest, const sl_token_t *rp);
sl_expr_t *sl_ast_subquery(sl_pctx *P, const sl_token_t *lp, sl_query_t *q,
                           const sl_token_t *rp);
sl_expr_t *sl_ast_param(sl_pctx *P, const sl_token_t *t);
sl_expr_t *sl_ast_binary(sl_pctx *P, int op, sl_expr_t *a, sl_expr_t *b);
sl_expr_t *sl_ast_unary(sl_pctx *P, const sl_token_t *kw, int op, sl_expr_t *a);
sl_expr_t *sl_ast_is(sl_pctx *P, sl_expr_t *a, int op, int negated,
                     const sl_token_t *last);
sl_expr_t *sl_ast_is_distinct(sl_pctx *P, sl_expr_t *a, int negated,
                              sl_expr_t *b);
sl_expr_t *sl_ast_between(sl_pctx *P, sl_expr_t *a, int negated, int symmetric,
                          sl_expr_t *lo, sl_expr_t *hi);
sl_expr_t *sl_ast_in_list(sl_pctx *P, sl_expr_t *a, int negated, sl_list_t *l,
                          const sl_token_t *rp);
sl_expr_t *sl_ast_in_query(sl_pctx *P, sl_expr_t *a, int negated,
                           sl_query_t *q, const sl_token_t *rp);
sl_expr_t *sl_ast_exists(sl_pctx *P, const sl_token_t *kw, sl_query_t *q,
                         const sl_token_t *rp);
sl_expr_t *sl_ast_like_expr(sl_pctx *P, sl_expr_t *a, int op, int negated,
                            sl_expr_t *pattern, sl_expr_t *escape);
sl_expr_t *sl_ast_item(sl_pctx *P, sl_expr_t *a, sl_expr_t *idx,
                       const sl_token_t *rb);
sl_expr_t *sl_ast_case(sl_pctx *P, const sl_token_t *kw, sl_expr_t *operand,
                       sl_list_t *whens, sl_expr_t *els, const sl_token_t *end);
sl_expr_t *sl_ast_cast(sl_pctx *P, const sl_token_t *kw, sl_expr_t *a,
                       const sl_type_t *t, int try_cast, const sl_token_t *rp);
sl_expr_t *sl_ast_interval(sl_pctx *P, const sl_token_t *kw, int negative,
                           const sl_token_t *s, sl_token_t *from,
                           sl_token_t *to);
sl_expr_t *sl_ast_call(sl_pctx *P, sl_qname_t *name, int flags, sl_list_t *args,
                       const sl_token_t *rp);
sl_expr_t *sl_ast_call_tok(sl_pctx *P, const sl_token_t *name, sl_list_t *args,
                           const sl_token_t *rp);
sl_expr_t *sl_ast_call_filter(sl_pctx *P, sl_expr_t *call, sl_expr_t *where,
                              const sl_token_t *rp);
sl_expr_t *sl_ast_call_over(sl_pctx *P, sl_expr_t *call, sl_window_t *w,
                            const sl_token_t *lp, const sl_token_t *rp);
sl_expr_t *sl_ast_call_over_ref(sl_pctx *P, sl_expr_t *call, sl_ident_t *w);
sl_expr_t *sl_ast_symbol(sl_pctx *P, sl_token_t *t);
/* A time unit argument (EXTRACT, FLOOR ... TO, TIMESTAMPDIFF): an unknown
 * unit is a syntax error at it. */
sl_expr_t *sl_ast_unit(sl_pctx *P, sl_token_t *t);
sl_expr_t *sl_ast_table_arg_partitioned(sl_pctx *P, const sl_token_t *kw,
                                        sl_qname_t *n, sl_expr_t *keys);
sl_expr_t *sl_ast_table_arg(sl_pctx *P, const sl_token_t *kw, sl_qname_t *n);
sl_expr_t *sl_ast_descriptor(sl_pctx *P, const sl_token_t *kw, sl_list_t *cols,
                             const sl_token_t *rp);
sl_expr_t *sl_ast_named_arg(sl_pctx *P, sl_ident_t *n, sl_expr_t *a);
sl_expr_t *sl_ast_special(sl_pctx *P, const sl_token_t *fn, sl_expr_t *a,
                          sl_expr_t *b, sl_expr_t *c, const sl_token_t *rp);
sl_expr_t *sl_ast_special4(sl_pctx *P, const sl_token_t *fn, sl_expr_t *a,
                           sl_expr_t *b, sl_expr_t *c, sl_expr_t *d,
                           const sl_token_t *rp);
sl_expr_t *sl_ast_trim(sl_pctx *P, const sl_token_t *fn, sl_token_t *spec,
                       sl_expr_t *chars, sl_expr_t *a, const sl_token_t *rp);
sl_expr_t *sl_ast_ctor(sl_pctx *P, const sl_token_t *kw, int kind,
                       sl_list_t *l, const sl_token_t *rp);
sl_expr_t *sl_ast_niladic(sl_pctx *P, const sl_token_t *t);
sl_window_t *sl_ast_window(sl_pctx *P, sl_ident_t *ref, sl_list_t *partition,
                           sl_list_t *order, sl_window_t *frame);
sl_window_t *sl_ast_frame(sl_pctx *P, int kind, sl_fbound_t *lo,
                          sl_fbound_t *hi);
sl_fbound_t *sl_ast_fbound(sl_pctx *P, int kind, sl_expr_t *e);

#endif
