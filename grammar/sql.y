/* sql.y - lemon grammar of the Flink SQL dialect.
 *
 * One statement is parsed per run of the parser: the driver (src/sql/parse.c)
 * splits the script at top-level ';', feeds the statement's tokens, then the
 * end token. Actions only call sl_ast_* builders (src/sql/parse.h); all
 * meaning lives outside the grammar. Non-reserved keywords fall back to ID,
 * so `name`, `key` or `watermark` stay usable as identifiers; reserved words
 * (Calcite's list plus Flink's additions) must be back-quoted, as in Flink.
 */

%token_prefix TK_
%name sl_sql_parser
%extra_context {sl_parse_ctx_t *P}
%token_type {sl_token_t}
%default_type {void *}
%stack_size 400
%start_symbol input

%include {
#include <assert.h>
#include <stdlib.h>
#include "sql/parse.h"
#define YYNOERRORRECOVERY 1
#define YYPARSEFREENEVERNULL 1
}

%syntax_error {
    /* Which terminals would the parser have accepted here? Simulate the
     * automaton on a copy of the state stack for each one, following
     * reductions until a shift (accepted) or an error. */
    int expected[160], nexp = 0;
    int depth = (int)(yypParser->yytos - yypParser->yystack);
    int *st = malloc(sizeof(int) * (size_t)(depth + 64));
    if (st) {
        for (int t = 1; t < YYNTOKEN && nexp < 160; t++) {
#ifdef YYFALLBACK
            /* Non-reserved keywords are names too: listing them says nothing. */
            if (t < (int)(sizeof yyFallback / sizeof yyFallback[0]) && yyFallback[t])
                continue;
#endif
            for (int i = 0; i <= depth; i++) st[i] = yypParser->yystack[i].stateno;
            int sp = depth, act = st[sp], ok = 0;
            for (int guard = 0; guard < 2000; guard++) {
                act = yy_find_shift_action((YYCODETYPE)t, (YYACTIONTYPE)act);
                if (act >= YY_MIN_REDUCE) {
                    int rule = act - YY_MIN_REDUCE;
                    sp += yyRuleInfoNRhs[rule];
                    if (sp < 0 || sp + 1 >= depth + 64) break;
                    act = yy_find_reduce_action((YYACTIONTYPE)st[sp], yyRuleInfoLhs[rule]);
                    st[++sp] = act;
                } else {
                    ok = act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
                    break;
                }
            }
            if (ok) expected[nexp++] = t;
        }
        free(st);
    }
    sl_parse_syntax_error(P, &TOKEN, expected, nexp);
}
%stack_overflow {
    sl_parse_overflow(P);
}

/* Tokens the tokenizer produces that no rule names directly. */
%token ILLEGAL SPACE COMMENT_TOK RESERVED DQSTRING UNTERMINATED.

/* Non-reserved keywords: an identifier wherever the keyword is not expected. */
%fallback ID
  ASC DESC NULLS FIRST LAST KEY ENFORCED WATERMARK METADATA VIRTUAL PARTITIONED
  OVERWRITING INCLUDING EXCLUDING TEMPORARY TABLES VIEWS FUNCTIONS JOBS JOB
  CATALOGS DATABASES COLUMNS MODULES STATEMENT PLAN PRECEDING FOLLOWING
  UNBOUNDED DESCRIPTOR VIEW STOP QUIT EXIT HELP SETS ZONE CATALOG DATABASE
  STRING BYTES TIMESTAMP_LTZ RAW YEARS MONTHS DAYS HOURS MINUTES SECONDS
  OVERWRITE PLACING TRY_CAST IF
  .

%left OR.
%left AND.
%right NOT.
%left IS LIKE SIMILAR BETWEEN IN NE EQ.
%left GT LE LT GE.
%left PLUS MINUS.
%left STAR SLASH PERCENT CONCAT.
%right ESCAPE.
%right UNARY.
%right TO.
%left LBRACKET.

input ::= cmd(C).                          { sl_ast_finish(P, C); }

%type cmd {sl_stmt_t *}

/* ---------------- names ---------------- */
%type nm {sl_ident_t *}
nm(A) ::= ID(X).                           { A = sl_ast_ident(P, &X); }

%type qname {sl_qname_t *}
qname(A) ::= nm(X).                        { A = sl_ast_qname(P, NULL, X); }
qname(A) ::= qname(Q) DOT nm(X).           { A = sl_ast_qname(P, Q, X); }

%type idlist {sl_list_t *}
idlist(A) ::= nm(X).                       { A = sl_ast_list(P, NULL, X); }
idlist(A) ::= idlist(L) COMMA nm(X).       { A = sl_ast_list(P, L, X); }

%type string {sl_token_t}
string(A) ::= QSTR(X).                   { A = X; }

/* ---------------- CREATE TABLE ---------------- */
%type temp {int}
temp(A) ::= .                              { A = 0; }
temp(A) ::= TEMPORARY.                     { A = 1; }
%type ifnotexists {int}
ifnotexists(A) ::= .                       { A = 0; }
ifnotexists(A) ::= IF NOT EXISTS.          { A = 1; }
%type ifexists {int}
ifexists(A) ::= .                          { A = 0; }
ifexists(A) ::= IF EXISTS.                 { A = 1; }

cmd(A) ::= create_table_head(H) LP tblelems RP tbl_tail.   { A = H; }
cmd(A) ::= create_table_head(H) tbl_tail.                 { A = H; }

%type create_table_head {sl_stmt_t *}
create_table_head(A) ::= CREATE(C) temp(T) TABLE ifnotexists(E) qname(N).
    { A = sl_ast_create_table(P, &C, T, E, N); }

tblelems ::= tblelem.
tblelems ::= tblelems COMMA tblelem.

tblelem ::= coldef(C).                     { sl_ast_add_column(P, C); }
tblelem ::= pkey.
tblelem ::= WATERMARK(W) FOR nm(C) AS expr(E).  { sl_ast_watermark(P, &W, C, E); }

pkey ::= PRIMARY(K) KEY LP idlist(L) RP enforced(E).
    { sl_ast_primary_key(P, &K, NULL, L, E); }
pkey ::= CONSTRAINT(K) nm(N) PRIMARY KEY LP idlist(L) RP enforced(E).
    { sl_ast_primary_key(P, &K, N, L, E); }

%type enforced {int}
enforced(A) ::= .                          { A = 0; }
enforced(A) ::= NOT ENFORCED.              { A = 1; }
enforced(A) ::= ENFORCED.                  { A = 2; }

%type coldef {sl_coldef_t *}
coldef(A) ::= nm(N) type(T) colpk(K) colcomment(M).
    { A = sl_ast_coldef_physical(P, N, T, K, M); }
coldef(A) ::= nm(N) type(T) METADATA metafrom(F) virtual(V) colcomment(M).
    { A = sl_ast_coldef_metadata(P, N, T, F, V, M); }
coldef(A) ::= nm(N) AS expr(E) colcomment(M).
    { A = sl_ast_coldef_computed(P, N, E, M); }
/* A column called `watermark`: the token after it tells it from WATERMARK FOR. */
coldef(A) ::= WATERMARK(X) type(T) colpk(K) colcomment(M).
    { A = sl_ast_coldef_physical(P, sl_ast_ident(P, &X), T, K, M); }

%type colpk {sl_token_t *}
colpk(A) ::= .                             { A = NULL; }
colpk(A) ::= PRIMARY(K) KEY enforced(E).   { A = sl_ast_inline_pk(P, &K, E); }

%type colcomment {sl_token_t *}
colcomment(A) ::= .                        { A = NULL; }
colcomment(A) ::= COMMENT string(S).       { A = sl_ast_tokdup(P, &S); }

%type metafrom {sl_token_t *}
metafrom(A) ::= .                          { A = NULL; }
metafrom(A) ::= FROM string(S).            { A = sl_ast_tokdup(P, &S); }

%type virtual {int}
virtual(A) ::= .                           { A = 0; }
virtual(A) ::= VIRTUAL.                    { A = 1; }

tbl_tail ::= tblcomment partitioned with_opt like_or_as.

tblcomment ::= .
tblcomment ::= COMMENT string(S).          { sl_ast_table_comment(P, &S); }

partitioned ::= .
partitioned ::= PARTITIONED BY LP idlist(L) RP.  { sl_ast_partitioned(P, L); }

with_opt ::= .
with_opt ::= WITH(W) LP options(L) RP.      { sl_ast_with(P, &W, L); }

%type options {sl_list_t *}
options(A) ::= .                           { A = sl_ast_list(P, NULL, NULL); }
options(A) ::= optlist(L).                 { A = L; }
%type optlist {sl_list_t *}
optlist(A) ::= option(O).                  { A = sl_ast_list(P, NULL, O); }
optlist(A) ::= optlist(L) COMMA option(O). { A = sl_ast_list(P, L, O); }
%type option {sl_option_t *}
option(A) ::= string(K) EQ string(V).      { A = sl_ast_option(P, &K, &V); }

like_or_as ::= .
like_or_as ::= LIKE qname(N) likeopts(L).  { sl_ast_like(P, N, L); }
like_or_as ::= AS query(Q).                { sl_ast_ctas(P, Q); }

%type likeopts {sl_list_t *}
likeopts(A) ::= .                          { A = NULL; }
likeopts(A) ::= LP likeoptlist(L) RP.      { A = L; }
%type likeoptlist {sl_list_t *}
likeoptlist(A) ::= likeopt(O).             { A = sl_ast_list(P, NULL, O); }
likeoptlist(A) ::= likeoptlist(L) likeopt(O). { A = sl_ast_list(P, L, O); }
%type likeopt {sl_ident_t *}
likeopt(A) ::= likemode(M) likewhat(W).    { A = sl_ast_like_option(P, M, W); }
%type likemode {sl_ident_t *}
likemode(A) ::= INCLUDING(X).              { A = sl_ast_ident(P, &X); }
likemode(A) ::= EXCLUDING(X).              { A = sl_ast_ident(P, &X); }
likemode(A) ::= OVERWRITING(X).            { A = sl_ast_ident(P, &X); }
%type likewhat {sl_ident_t *}
likewhat(A) ::= ALL(X).                    { A = sl_ast_ident(P, &X); }
likewhat(A) ::= nm(X).                     { A = X; }

/* ---------------- types ---------------- */
%type type {const sl_type_t *}
type(A) ::= typebase(T) nullable(N).       { A = sl_ast_type_nullable(P, T, N); }

%type nullable {int}
nullable(A) ::= .                          { A = 1; }
nullable(A) ::= NULL.                      { A = 1; }
nullable(A) ::= NOT NULL.                  { A = 0; }

%type typebase {sl_type_t *}
typebase(A) ::= BOOLEAN.                   { A = sl_ast_type(P, SL_T_BOOLEAN, -1, -1); }
typebase(A) ::= TINYINT.                   { A = sl_ast_type(P, SL_T_TINYINT, -1, -1); }
typebase(A) ::= SMALLINT.                  { A = sl_ast_type(P, SL_T_SMALLINT, -1, -1); }
typebase(A) ::= INT.                       { A = sl_ast_type(P, SL_T_INT, -1, -1); }
typebase(A) ::= INTEGER.                   { A = sl_ast_type(P, SL_T_INT, -1, -1); }
typebase(A) ::= BIGINT.                    { A = sl_ast_type(P, SL_T_BIGINT, -1, -1); }
typebase(A) ::= decname(D) typeargs(X).    { A = sl_ast_type_decimal(P, &D, X); }
typebase(A) ::= FLOAT.                     { A = sl_ast_type(P, SL_T_FLOAT, -1, -1); }
typebase(A) ::= REAL.                      { A = sl_ast_type(P, SL_T_FLOAT, -1, -1); }
typebase(A) ::= DOUBLE.                    { A = sl_ast_type(P, SL_T_DOUBLE, -1, -1); }
typebase(A) ::= DOUBLE PRECISION.          { A = sl_ast_type(P, SL_T_DOUBLE, -1, -1); }
typebase(A) ::= CHAR(T) typeargs(X).       { A = sl_ast_type_len(P, &T, SL_T_CHAR, X); }
typebase(A) ::= CHARACTER(T) typeargs(X).  { A = sl_ast_type_len(P, &T, SL_T_CHAR, X); }
typebase(A) ::= CHAR(T) VARYING typeargs(X).      { A = sl_ast_type_len(P, &T, SL_T_VARCHAR, X); }
typebase(A) ::= CHARACTER(T) VARYING typeargs(X). { A = sl_ast_type_len(P, &T, SL_T_VARCHAR, X); }
typebase(A) ::= VARCHAR(T) typeargs(X).    { A = sl_ast_type_len(P, &T, SL_T_VARCHAR, X); }
typebase(A) ::= STRING.                    { A = sl_ast_type(P, SL_T_VARCHAR, SL_MAX_LENGTH, -1); }
typebase(A) ::= BINARY(T) typeargs(X).     { A = sl_ast_type_len(P, &T, SL_T_BINARY, X); }
typebase(A) ::= VARBINARY(T) typeargs(X).  { A = sl_ast_type_len(P, &T, SL_T_VARBINARY, X); }
typebase(A) ::= BYTES.                     { A = sl_ast_type(P, SL_T_VARBINARY, SL_MAX_LENGTH, -1); }
typebase(A) ::= DATE.                      { A = sl_ast_type(P, SL_T_DATE, -1, -1); }
typebase(A) ::= TIME(T) typeargs(X) tzsuffix.  { A = sl_ast_type_len(P, &T, SL_T_TIME, X); }
typebase(A) ::= TIMESTAMP(T) typeargs(X) tzsuffix.
    { A = sl_ast_type_len(P, &T, SL_T_TIMESTAMP, X); }
typebase(A) ::= TIMESTAMP(T) typeargs(X) WITH LOCAL TIME ZONE.
    { A = sl_ast_type_len(P, &T, SL_T_TIMESTAMP_LTZ, X); }
typebase(A) ::= TIMESTAMP_LTZ(T) typeargs(X).
    { A = sl_ast_type_len(P, &T, SL_T_TIMESTAMP_LTZ, X); }
typebase(A) ::= INTERVAL iunit(F).         { A = sl_ast_type_interval(P, F, NULL); }
typebase(A) ::= INTERVAL iunit(F) TO iunit(T). { A = sl_ast_type_interval(P, F, T); }
typebase(A) ::= ROW(T) LT fields(F) GT.    { A = sl_ast_type_row(P, &T, F); }
typebase(A) ::= ROW(T) LT GT.              { A = sl_ast_type_row(P, &T, NULL); }
typebase(A) ::= ROW(T) LP fields(F) RP.    { A = sl_ast_type_row(P, &T, F); }
typebase(A) ::= ARRAY LT type(E) GT.       { A = sl_ast_type_coll(P, SL_T_ARRAY, NULL, E); }
typebase(A) ::= MULTISET LT type(E) GT.    { A = sl_ast_type_coll(P, SL_T_MULTISET, NULL, E); }
typebase(A) ::= MAP LT type(K) COMMA type(V) GT. { A = sl_ast_type_coll(P, SL_T_MAP, K, V); }
typebase(A) ::= typebase(E) ARRAY.         { A = sl_ast_type_coll(P, SL_T_ARRAY, NULL, E); }
typebase(A) ::= typebase(E) MULTISET.      { A = sl_ast_type_coll(P, SL_T_MULTISET, NULL, E); }
typebase(A) ::= RAW LP string RP.          { A = sl_ast_type(P, SL_T_RAW, -1, -1); }
typebase(A) ::= RAW LP string COMMA string RP. { A = sl_ast_type(P, SL_T_RAW, -1, -1); }

%type decname {sl_token_t}
decname(A) ::= DECIMAL(X).                 { A = X; }
decname(A) ::= DEC(X).                     { A = X; }
decname(A) ::= NUMERIC(X).                 { A = X; }

tzsuffix ::= .
tzsuffix ::= WITHOUT TIME ZONE.

%type typeargs {sl_list_t *}
typeargs(A) ::= .                          { A = NULL; }
typeargs(A) ::= LP intlist(L) RP.          { A = L; }
%type intlist {sl_list_t *}
intlist(A) ::= INTLIT(X).                 { A = sl_ast_list(P, NULL, sl_ast_tokdup(P, &X)); }
intlist(A) ::= intlist(L) COMMA INTLIT(X).{ A = sl_ast_list(P, L, sl_ast_tokdup(P, &X)); }

%type fields {sl_list_t *}
fields(A) ::= field(F).                    { A = sl_ast_list(P, NULL, F); }
fields(A) ::= fields(L) COMMA field(F).    { A = sl_ast_list(P, L, F); }
%type field {sl_field_t *}
field(A) ::= nm(N) type(T).                { A = sl_ast_field(P, N, T, NULL); }
field(A) ::= nm(N) type(T) COMMENT string(S). { A = sl_ast_field(P, N, T, &S); }

/* ---------------- CREATE VIEW, DROP ---------------- */
cmd(A) ::= CREATE(C) temp(T) VIEW ifnotexists(E) qname(N) viewcols(L) viewcomment(M) AS query(Q).
    { A = sl_ast_create_view(P, &C, T, E, N, L, M, Q); }
%type viewcols {sl_list_t *}
viewcols(A) ::= .                          { A = NULL; }
viewcols(A) ::= LP idlist(L) RP.           { A = L; }
%type viewcomment {sl_token_t *}
viewcomment(A) ::= .                       { A = NULL; }
viewcomment(A) ::= COMMENT string(S).      { A = sl_ast_tokdup(P, &S); }

cmd(A) ::= DROP(D) temp(T) TABLE ifexists(E) qname(N).
    { A = sl_ast_drop(P, &D, SL_S_DROP_TABLE, T, E, N); }
cmd(A) ::= DROP(D) temp(T) VIEW ifexists(E) qname(N).
    { A = sl_ast_drop(P, &D, SL_S_DROP_VIEW, T, E, N); }

/* ---------------- INSERT and statement sets ---------------- */
cmd(A) ::= insert(I).                      { A = I; }
cmd(A) ::= EXECUTE insert(I).              { A = I; }

%type insert {sl_stmt_t *}
insert(A) ::= INSERT(I) intoover(O) qname(N) hints(H) inspart(S) query(Q).
    { A = sl_ast_insert(P, &I, O, N, H, S, NULL, Q); }
insert(A) ::= INSERT(I) intoover(O) qname(N) hints(H) inspart(S) LP idlist(C) RP query(Q).
    { A = sl_ast_insert(P, &I, O, N, H, S, C, Q); }
%type intoover {int}
intoover(A) ::= INTO.                      { A = 0; }
intoover(A) ::= OVERWRITE.                 { A = 1; }
%type inspart {sl_list_t *}
inspart(A) ::= .                           { A = NULL; }
inspart(A) ::= PARTITION LP partspecs(L) RP.  { A = L; }
%type partspecs {sl_list_t *}
partspecs(A) ::= partspec(O).              { A = sl_ast_list(P, NULL, O); }
partspecs(A) ::= partspecs(L) COMMA partspec(O). { A = sl_ast_list(P, L, O); }
%type partspec {sl_option_t *}
partspec(A) ::= nm(K) EQ literal(V).       { A = sl_ast_partspec(P, K, V); }

cmd(A) ::= EXECUTE(E) STATEMENT SET BEGIN setinserts(L) END.
    { A = sl_ast_statement_set(P, &E, L); }
cmd(A) ::= STATEMENT(E) SET BEGIN setinserts(L) END.
    { A = sl_ast_statement_set(P, &E, L); }
%type setinserts {sl_list_t *}
setinserts(A) ::= insert(I) SEMI.          { A = sl_ast_list(P, NULL, I); }
setinserts(A) ::= setinserts(L) insert(I) SEMI. { A = sl_ast_list(P, L, I); }

cmd(A) ::= BEGIN(B) STATEMENT SET.         { A = sl_ast_simple(P, &B, SL_S_BEGIN_SET); }
cmd(A) ::= END(B).                         { A = sl_ast_simple(P, &B, SL_S_END_SET); }

/* ---------------- SET / RESET / SHOW / DESCRIBE / EXPLAIN / USE ---------------- */
cmd(A) ::= SET(S).                         { A = sl_ast_set(P, &S, NULL, NULL); }
cmd(A) ::= SET(S) string(K) EQ string(V).  { A = sl_ast_set(P, &S, &K, &V); }
cmd(A) ::= RESET(S).                       { A = sl_ast_reset(P, &S, NULL); }
cmd(A) ::= RESET(S) string(K).             { A = sl_ast_reset(P, &S, &K); }

cmd(A) ::= SHOW(S) showwhat(W) showlike(L).  { A = sl_ast_show(P, &S, W, NULL, L); }
cmd(A) ::= SHOW(S) CREATE TABLE qname(N).  { A = sl_ast_show(P, &S, SL_SHOW_CREATE_TABLE, N, NULL); }
cmd(A) ::= SHOW(S) CREATE VIEW qname(N).   { A = sl_ast_show(P, &S, SL_SHOW_CREATE_VIEW, N, NULL); }
cmd(A) ::= SHOW(S) COLUMNS fromin qname(N) showlike(L).
    { A = sl_ast_show(P, &S, SL_SHOW_COLUMNS, N, L); }
fromin ::= FROM.
fromin ::= IN.
%type showwhat {int}
showwhat(A) ::= TABLES.                    { A = SL_SHOW_TABLES; }
showwhat(A) ::= VIEWS.                     { A = SL_SHOW_VIEWS; }
showwhat(A) ::= FUNCTIONS.                 { A = SL_SHOW_FUNCTIONS; }
showwhat(A) ::= USER FUNCTIONS.            { A = SL_SHOW_FUNCTIONS; }
showwhat(A) ::= JOBS.                      { A = SL_SHOW_JOBS; }
showwhat(A) ::= CATALOGS.                  { A = SL_SHOW_CATALOGS; }
showwhat(A) ::= DATABASES.                 { A = SL_SHOW_DATABASES; }
showwhat(A) ::= MODULES.                   { A = SL_SHOW_MODULES; }
showwhat(A) ::= CURRENT CATALOG.           { A = SL_SHOW_CURRENT_CATALOG; }
showwhat(A) ::= CURRENT DATABASE.          { A = SL_SHOW_CURRENT_DATABASE; }
%type showlike {sl_token_t *}
showlike(A) ::= .                          { A = NULL; }
showlike(A) ::= LIKE string(S).            { A = sl_ast_tokdup(P, &S); }

cmd(A) ::= DESCRIBE(D) qname(N).           { A = sl_ast_describe(P, &D, N, 0); }
cmd(A) ::= DESCRIBE(D) EXTENDED qname(N).  { A = sl_ast_describe(P, &D, N, 1); }
cmd(A) ::= DESC(D) qname(N).               { A = sl_ast_describe(P, &D, N, 0); }

cmd(A) ::= EXPLAIN(E) explainfor explaindetails(D) explainable(S).
    { A = sl_ast_explain(P, &E, D, S); }
/* STATEMENT is also a name, so the statement-set form is spelled out: with
 * an optional detail list in front, the parser could not tell them apart. */
cmd(A) ::= EXPLAIN(E) explainfor STATEMENT(T) SET BEGIN setinserts(L) END.
    { A = sl_ast_explain(P, &E, NULL, sl_ast_statement_set(P, &T, L)); }
cmd(A) ::= EXPLAIN(E) explainfor idlist(D) STATEMENT(T) SET BEGIN setinserts(L) END.
    { A = sl_ast_explain(P, &E, D, sl_ast_statement_set(P, &T, L)); }
explainfor ::= .
explainfor ::= PLAN FOR.
%type explaindetails {sl_list_t *}
explaindetails(A) ::= .                    { A = NULL; }
explaindetails(A) ::= idlist(L).           { A = L; }
%type explainable {sl_stmt_t *}
explainable(A) ::= query(Q).               { A = sl_ast_query_stmt(P, Q); }
explainable(A) ::= insert(I).              { A = I; }
explainable(A) ::= EXECUTE insert(I).      { A = I; }
explainable(A) ::= EXECUTE(E) STATEMENT SET BEGIN setinserts(L) END.
    { A = sl_ast_statement_set(P, &E, L); }

cmd(A) ::= USE(U) qname(N).                { A = sl_ast_use(P, &U, N, 0); }
cmd(A) ::= USE(U) CATALOG qname(N).        { A = sl_ast_use(P, &U, N, 1); }

/* Catalogs and databases: parsed so the error names the feature. sluice has
 * one catalog (default_catalog) with one database (default_database). */
cmd(A) ::= CREATE(C) CATALOG nm with_unsup.
    { A = sl_ast_unsupported(P, &C, "CREATE CATALOG", "sluice has one built-in catalog, default_catalog"); }
cmd(A) ::= CREATE(C) DATABASE ifnotexists qname dbcomment with_unsup.
    { A = sl_ast_unsupported(P, &C, "CREATE DATABASE", "sluice has one database, default_database"); }
cmd(A) ::= DROP(C) CATALOG ifexists nm.
    { A = sl_ast_unsupported(P, &C, "DROP CATALOG", "sluice has one built-in catalog, default_catalog"); }
cmd(A) ::= DROP(C) DATABASE ifexists qname dropmode.
    { A = sl_ast_unsupported(P, &C, "DROP DATABASE", "sluice has one database, default_database"); }
dbcomment ::= .
dbcomment ::= COMMENT string.
dropmode ::= .
dropmode ::= ID.
with_unsup ::= .
with_unsup ::= WITH LP options RP.

cmd(A) ::= HELP(H).                        { A = sl_ast_simple(P, &H, SL_S_HELP); }
cmd(A) ::= QUIT(H).                        { A = sl_ast_simple(P, &H, SL_S_QUIT); }
cmd(A) ::= EXIT(H).                        { A = sl_ast_simple(P, &H, SL_S_QUIT); }
cmd(A) ::= STOP(S) JOB string(J) stopsave(W). { A = sl_ast_stop_job(P, &S, &J, W); }
%type stopsave {int}
stopsave(A) ::= .                          { A = 0; }
stopsave(A) ::= WITH SAVEPOINT.            { A = 1; }

/* ---------------- queries ---------------- */
cmd(A) ::= query(Q).                       { A = sl_ast_query_stmt(P, Q); }

%type query {sl_query_t *}
query(A) ::= qbody(B) orderby(O) limit(L).
    { A = sl_ast_query_finish(P, NULL, B, O, L); }
query(A) ::= WITH ctes(W) qbody(B) orderby(O) limit(L).
    { A = sl_ast_query_finish(P, W, B, O, L); }
%type ctes {sl_list_t *}
ctes(A) ::= cte(C).                        { A = sl_ast_list(P, NULL, C); }
ctes(A) ::= ctes(L) COMMA cte(C).          { A = sl_ast_list(P, L, C); }
%type cte {sl_cte_t *}
cte(A) ::= nm(N) viewcols(C) AS LP query(Q) RP. { A = sl_ast_cte(P, N, C, Q); }

/* A query body whose first operand is not parenthesized (sbody) is kept apart
 * from one that starts with '(' (pbody): in an expression, '(' + query is a
 * subquery, and `((SELECT 1))` must have one parse only. */
%type qbody {sl_query_t *}
qbody(A) ::= sbody(X).                     { A = X; }
qbody(A) ::= pbody(X).                     { A = X; }
%type pbody {sl_query_t *}
pbody(A) ::= LP(L) query(Q) RP(R).         { A = sl_ast_query_paren(P, &L, Q, &R); }
pbody(A) ::= pbody(L) setop(S) qprimary(R). { A = sl_ast_setop(P, S, L, R); }
%type sbody {sl_query_t *}
sbody(A) ::= select(S).                    { A = S; }
sbody(A) ::= VALUES(V) rows(L).            { A = sl_ast_values(P, &V, L); }
sbody(A) ::= sbody(L) setop(S) qprimary(R). { A = sl_ast_setop(P, S, L, R); }

%type squery {sl_query_t *}
squery(A) ::= sbody(B) orderby(O) limit(L).
    { A = sl_ast_query_finish(P, NULL, B, O, L); }
squery(A) ::= WITH ctes(W) qbody(B) orderby(O) limit(L).
    { A = sl_ast_query_finish(P, W, B, O, L); }

%type setop {sl_setop_tok_t *}
setop(A) ::= UNION(T) setall(S).           { A = sl_ast_setop_tok(P, &T, SL_SET_UNION, S); }
setop(A) ::= EXCEPT(T) setall(S).          { A = sl_ast_setop_tok(P, &T, SL_SET_EXCEPT, S); }
setop(A) ::= MINUS_KW(T) setall(S).        { A = sl_ast_setop_tok(P, &T, SL_SET_EXCEPT, S); }
setop(A) ::= INTERSECT(T) setall(S).       { A = sl_ast_setop_tok(P, &T, SL_SET_INTERSECT, S); }
%type setall {int}
setall(A) ::= .                            { A = 0; }
setall(A) ::= ALL.                         { A = 1; }
setall(A) ::= DISTINCT.                    { A = 0; }

%type qprimary {sl_query_t *}
qprimary(A) ::= select(S).                 { A = S; }
qprimary(A) ::= VALUES(V) rows(L).         { A = sl_ast_values(P, &V, L); }
qprimary(A) ::= LP(L) query(Q) RP(R).      { A = sl_ast_query_paren(P, &L, Q, &R); }

%type rows {sl_list_t *}
rows(A) ::= row(R).                        { A = sl_ast_list(P, NULL, R); }
rows(A) ::= rows(L) COMMA row(R).          { A = sl_ast_list(P, L, R); }
%type row {sl_expr_t *}
row(A) ::= LP(L) exprlist(E) RP(R).        { A = sl_ast_row(P, &L, E, &R); }
row(A) ::= ROW(L) LP exprlist(E) RP(R).    { A = sl_ast_row(P, &L, E, &R); }

%type select {sl_query_t *}
select(A) ::= SELECT(S) hints(H) distinct(D) selitems(I) from(F) where(W) groupby(G) having(HV) windowdefs(WD).
    { A = sl_ast_select(P, &S, H, D, I, F, W, G, HV, WD); }

%type distinct {int}
distinct(A) ::= .                          { A = 0; }
distinct(A) ::= DISTINCT.                  { A = 1; }
distinct(A) ::= ALL.                       { A = 0; }

%type selitems {sl_list_t *}
selitems(A) ::= selitem(X).                { A = sl_ast_list(P, NULL, X); }
selitems(A) ::= selitems(L) COMMA selitem(X). { A = sl_ast_list(P, L, X); }
%type selitem {sl_select_item_t *}
selitem(A) ::= expr(E) alias(N).           { A = sl_ast_selitem(P, E, N); }
selitem(A) ::= STAR(S).                    { A = sl_ast_selitem(P, sl_ast_star(P, &S, NULL), NULL); }
selitem(A) ::= qname(Q) DOT STAR(S).       { A = sl_ast_selitem(P, sl_ast_star(P, &S, Q), NULL); }

%type alias {sl_ident_t *}
alias(A) ::= .                             { A = NULL; }
alias(A) ::= AS nm(N).                     { A = N; }
alias(A) ::= nm(N).                        { A = N; }

%type from {sl_tref_t *}
from(A) ::= .                              { A = NULL; }
from(A) ::= FROM treflist(T).              { A = T; }

%type treflist {sl_tref_t *}
treflist(A) ::= tref(T).                   { A = T; }
treflist(A) ::= treflist(L) COMMA(C) tref(R).
    { A = sl_ast_join(P, &C, SL_JOIN_COMMA, 0, L, R, NULL, NULL); }

%type tref {sl_tref_t *}
tref(A) ::= tprimary(T).                   { A = T; }
tref(A) ::= tref(L) jointype(J) JOIN(K) tprimary(R) ON expr(E).
    { A = sl_ast_join(P, &K, J, 0, L, R, E, NULL); }
tref(A) ::= tref(L) jointype(J) JOIN(K) tprimary(R) USING LP idlist(U) RP.
    { A = sl_ast_join(P, &K, J, 0, L, R, NULL, U); }
tref(A) ::= tref(L) CROSS JOIN(K) tprimary(R).
    { A = sl_ast_join(P, &K, SL_JOIN_CROSS, 0, L, R, NULL, NULL); }
tref(A) ::= tref(L) NATURAL jointype(J) JOIN(K) tprimary(R).
    { A = sl_ast_join(P, &K, J, 1, L, R, NULL, NULL); }

%type jointype {int}
jointype(A) ::= .                          { A = SL_JOIN_INNER; }
jointype(A) ::= INNER.                     { A = SL_JOIN_INNER; }
jointype(A) ::= LEFT.                      { A = SL_JOIN_LEFT; }
jointype(A) ::= LEFT OUTER.                { A = SL_JOIN_LEFT; }
jointype(A) ::= RIGHT.                     { A = SL_JOIN_RIGHT; }
jointype(A) ::= RIGHT OUTER.               { A = SL_JOIN_RIGHT; }
jointype(A) ::= FULL.                      { A = SL_JOIN_FULL; }
jointype(A) ::= FULL OUTER.                { A = SL_JOIN_FULL; }

%type tprimary {sl_tref_t *}
tprimary(A) ::= qname(N) hints(H) systime(S) talias(L).
    { A = sl_ast_tref_table(P, N, H, S, L); }
tprimary(A) ::= LP(B) query(Q) RP talias(L).
    { A = sl_ast_tref_query(P, &B, Q, L); }
tprimary(A) ::= TABLE(T) LP funccall(F) RP talias(L).
    { A = sl_ast_tref_func(P, &T, 0, F, L); }
tprimary(A) ::= LATERAL(T) TABLE LP funccall(F) RP talias(L).
    { A = sl_ast_tref_func(P, &T, 1, F, L); }

%type systime {sl_expr_t *}
systime(A) ::= .                           { A = NULL; }
systime(A) ::= FOR(F) SYSTEM_TIME AS OF expr(E). { A = sl_ast_systime(P, &F, E); }

%type talias {sl_talias_t *}
talias(A) ::= .                            { A = NULL; }
talias(A) ::= nm(N).                       { A = sl_ast_talias(P, N, NULL); }
talias(A) ::= AS nm(N).                    { A = sl_ast_talias(P, N, NULL); }
talias(A) ::= nm(N) LP idlist(L) RP.       { A = sl_ast_talias(P, N, L); }
talias(A) ::= AS nm(N) LP idlist(L) RP.    { A = sl_ast_talias(P, N, L); }

%type where {sl_expr_t *}
where(A) ::= .                             { A = NULL; }
where(A) ::= WHERE expr(E).                { A = E; }

%type groupby {sl_list_t *}
groupby(A) ::= .                           { A = NULL; }
groupby(A) ::= GROUP BY groupitems(L).     { A = L; }
%type groupitems {sl_list_t *}
groupitems(A) ::= groupitem(G).            { A = sl_ast_list(P, NULL, G); }
groupitems(A) ::= groupitems(L) COMMA groupitem(G). { A = sl_ast_list(P, L, G); }
%type groupitem {sl_group_item_t *}
groupitem(A) ::= expr(E).                  { A = sl_ast_group_expr(P, E); }
groupitem(A) ::= GROUPING(G) SETS LP groupitems(L) RP.
    { A = sl_ast_group_set(P, &G, SL_G_GROUPING_SETS, L); }
groupitem(A) ::= ROLLUP(G) LP groupitems(L) RP. { A = sl_ast_group_set(P, &G, SL_G_ROLLUP, L); }
groupitem(A) ::= CUBE(G) LP groupitems(L) RP.   { A = sl_ast_group_set(P, &G, SL_G_CUBE, L); }
groupitem(A) ::= LP(G) RP.                 { A = sl_ast_group_set(P, &G, SL_G_EMPTY, NULL); }

%type having {sl_expr_t *}
having(A) ::= .                            { A = NULL; }
having(A) ::= HAVING expr(E).              { A = E; }

%type windowdefs {sl_list_t *}
windowdefs(A) ::= .                        { A = NULL; }
windowdefs(A) ::= WINDOW windowdeflist(L). { A = L; }
%type windowdeflist {sl_list_t *}
windowdeflist(A) ::= windowdef(W).         { A = sl_ast_list(P, NULL, W); }
windowdeflist(A) ::= windowdeflist(L) COMMA windowdef(W). { A = sl_ast_list(P, L, W); }
%type windowdef {sl_window_t *}
windowdef(A) ::= nm(N) AS LP(B) winspec(W) RP(E). { A = sl_ast_window_name(P, W, N, &B, &E); }

%type orderby {sl_list_t *}
orderby(A) ::= .                           { A = NULL; }
orderby(A) ::= ORDER BY orderitems(L).     { A = L; }
%type orderitems {sl_list_t *}
orderitems(A) ::= orderitem(O).            { A = sl_ast_list(P, NULL, O); }
orderitems(A) ::= orderitems(L) COMMA orderitem(O). { A = sl_ast_list(P, L, O); }
%type orderitem {sl_order_item_t *}
orderitem(A) ::= expr(E) ascdesc(D) nullsorder(N). { A = sl_ast_order_item(P, E, D, N); }
%type ascdesc {int}
ascdesc(A) ::= .                           { A = 0; }
ascdesc(A) ::= ASC.                        { A = 0; }
ascdesc(A) ::= DESC.                       { A = 1; }
%type nullsorder {int}
nullsorder(A) ::= .                        { A = 0; }
nullsorder(A) ::= NULLS FIRST.             { A = 1; }
nullsorder(A) ::= NULLS LAST.              { A = 2; }

%type limit {sl_expr_t **}
limit(A) ::= .                             { A = NULL; }
limit(A) ::= LIMIT expr(E).                { A = sl_ast_limit(P, E, NULL); }
limit(A) ::= LIMIT expr(E) OFFSET expr(O). { A = sl_ast_limit(P, E, O); }
limit(A) ::= FETCH FIRST expr(E) rowsword ONLY. { A = sl_ast_limit(P, E, NULL); }
rowsword ::= ROW.
rowsword ::= ROWS.

/* ---------------- hints ---------------- */
%type hints {sl_list_t *}
hints(A) ::= .                             { A = NULL; }
hints(A) ::= HINT_BEGIN hintlist(L) HINT_END. { A = L; }
%type hintlist {sl_list_t *}
hintlist(A) ::= hint(H).                   { A = sl_ast_list(P, NULL, H); }
hintlist(A) ::= hintlist(L) hint(H).       { A = sl_ast_list(P, L, H); }
hintlist(A) ::= hintlist(L) COMMA hint(H). { A = sl_ast_list(P, L, H); }
%type hint {sl_hint_t *}
hint(A) ::= nm(N).                         { A = sl_ast_hint(P, N, NULL); }
hint(A) ::= nm(N) LP hintargs(L) RP.       { A = sl_ast_hint(P, N, L); }
%type hintargs {sl_list_t *}
hintargs(A) ::= hintarg(X).                { A = sl_ast_list(P, NULL, X); }
hintargs(A) ::= hintargs(L) COMMA hintarg(X). { A = sl_ast_list(P, L, X); }
%type hintarg {sl_hintarg_t *}
hintarg(A) ::= string(K) EQ string(V).     { A = sl_ast_hintarg(P, &K, &V, NULL); }
hintarg(A) ::= string(K).                  { A = sl_ast_hintarg(P, &K, NULL, NULL); }
hintarg(A) ::= qname(N).                   { A = sl_ast_hintarg(P, NULL, NULL, N); }

/* ---------------- expressions ---------------- */
%type expr {sl_expr_t *}
%type exprlist {sl_list_t *}
exprlist(A) ::= expr(E).                   { A = sl_ast_list(P, NULL, E); }
exprlist(A) ::= exprlist(L) COMMA expr(E). { A = sl_ast_list(P, L, E); }

expr(A) ::= literal(X).                    { A = X; }
expr(A) ::= qname(N).                      { A = sl_ast_column(P, N); }
expr(A) ::= LP(B) expr(E) RP(R).           { A = sl_ast_paren(P, &B, E, &R); }
expr(A) ::= LP(B) expr(E) COMMA exprlist(L) RP(R). { A = sl_ast_row_paren(P, &B, E, L, &R); }
expr(A) ::= LP(B) squery(Q) RP(R).         { A = sl_ast_subquery(P, &B, Q, &R); }
expr(A) ::= QUESTION(Q).                   { A = sl_ast_param(P, &Q); }

expr(A) ::= expr(X) OR expr(Y).            { A = sl_ast_binary(P, SL_OP_OR, X, Y); }
expr(A) ::= expr(X) AND expr(Y).           { A = sl_ast_binary(P, SL_OP_AND, X, Y); }
expr(A) ::= NOT(N) expr(X).                { A = sl_ast_unary(P, &N, SL_OP_NOT, X); }
expr(A) ::= expr(X) EQ expr(Y).            { A = sl_ast_binary(P, SL_OP_EQ, X, Y); }
expr(A) ::= expr(X) NE expr(Y).            { A = sl_ast_binary(P, SL_OP_NE, X, Y); }
expr(A) ::= expr(X) LT expr(Y).            { A = sl_ast_binary(P, SL_OP_LT, X, Y); }
expr(A) ::= expr(X) LE expr(Y).            { A = sl_ast_binary(P, SL_OP_LE, X, Y); }
expr(A) ::= expr(X) GT expr(Y).            { A = sl_ast_binary(P, SL_OP_GT, X, Y); }
expr(A) ::= expr(X) GE expr(Y).            { A = sl_ast_binary(P, SL_OP_GE, X, Y); }
expr(A) ::= expr(X) PLUS expr(Y).          { A = sl_ast_binary(P, SL_OP_ADD, X, Y); }
expr(A) ::= expr(X) MINUS expr(Y).         { A = sl_ast_binary(P, SL_OP_SUB, X, Y); }
expr(A) ::= expr(X) STAR expr(Y).          { A = sl_ast_binary(P, SL_OP_MUL, X, Y); }
expr(A) ::= expr(X) SLASH expr(Y).         { A = sl_ast_binary(P, SL_OP_DIV, X, Y); }
expr(A) ::= expr(X) PERCENT expr(Y).       { A = sl_ast_binary(P, SL_OP_MOD, X, Y); }
expr(A) ::= expr(X) CONCAT expr(Y).        { A = sl_ast_binary(P, SL_OP_CONCAT, X, Y); }
expr(A) ::= MINUS(M) expr(X). [UNARY]      { A = sl_ast_unary(P, &M, SL_OP_NEG, X); }
expr(A) ::= PLUS(M) expr(X). [UNARY]       { A = sl_ast_unary(P, &M, SL_OP_POS, X); }

expr(A) ::= expr(X) IS NULL(E).            { A = sl_ast_is(P, X, SL_OP_IS_NULL, 0, &E); }
expr(A) ::= expr(X) IS NOT NULL(E).        { A = sl_ast_is(P, X, SL_OP_IS_NULL, 1, &E); }
expr(A) ::= expr(X) IS TRUE(E).            { A = sl_ast_is(P, X, SL_OP_IS_TRUE, 0, &E); }
expr(A) ::= expr(X) IS NOT TRUE(E).        { A = sl_ast_is(P, X, SL_OP_IS_TRUE, 1, &E); }
expr(A) ::= expr(X) IS FALSE(E).           { A = sl_ast_is(P, X, SL_OP_IS_FALSE, 0, &E); }
expr(A) ::= expr(X) IS NOT FALSE(E).       { A = sl_ast_is(P, X, SL_OP_IS_FALSE, 1, &E); }
expr(A) ::= expr(X) IS UNKNOWN(E).         { A = sl_ast_is(P, X, SL_OP_IS_UNKNOWN, 0, &E); }
expr(A) ::= expr(X) IS NOT UNKNOWN(E).     { A = sl_ast_is(P, X, SL_OP_IS_UNKNOWN, 1, &E); }
expr(A) ::= expr(X) IS DISTINCT FROM expr(Y). [IS]     { A = sl_ast_is_distinct(P, X, 0, Y); }
expr(A) ::= expr(X) IS NOT DISTINCT FROM expr(Y). [IS] { A = sl_ast_is_distinct(P, X, 1, Y); }

expr(A) ::= expr(X) BETWEEN expr(Y) AND expr(Z). [BETWEEN]
    { A = sl_ast_between(P, X, 0, 0, Y, Z); }
expr(A) ::= expr(X) NOT BETWEEN expr(Y) AND expr(Z). [BETWEEN]
    { A = sl_ast_between(P, X, 1, 0, Y, Z); }
expr(A) ::= expr(X) BETWEEN SYMMETRIC expr(Y) AND expr(Z). [BETWEEN]
    { A = sl_ast_between(P, X, 0, 1, Y, Z); }
expr(A) ::= expr(X) BETWEEN ASYMMETRIC expr(Y) AND expr(Z). [BETWEEN]
    { A = sl_ast_between(P, X, 0, 0, Y, Z); }
expr(A) ::= expr(X) NOT BETWEEN SYMMETRIC expr(Y) AND expr(Z). [BETWEEN]
    { A = sl_ast_between(P, X, 1, 1, Y, Z); }

expr(A) ::= expr(X) IN LP exprlist(L) RP(R). [IN]       { A = sl_ast_in_list(P, X, 0, L, &R); }
expr(A) ::= expr(X) NOT IN LP exprlist(L) RP(R). [IN]   { A = sl_ast_in_list(P, X, 1, L, &R); }
expr(A) ::= expr(X) IN LP squery(Q) RP(R). [IN]         { A = sl_ast_in_query(P, X, 0, Q, &R); }
expr(A) ::= expr(X) NOT IN LP squery(Q) RP(R). [IN]     { A = sl_ast_in_query(P, X, 1, Q, &R); }
expr(A) ::= EXISTS(E) LP query(Q) RP(R).   { A = sl_ast_exists(P, &E, Q, &R); }

expr(A) ::= expr(X) LIKE expr(Y). [LIKE]   { A = sl_ast_like_expr(P, X, SL_OP_LIKE, 0, Y, NULL); }
expr(A) ::= expr(X) NOT LIKE expr(Y). [LIKE] { A = sl_ast_like_expr(P, X, SL_OP_LIKE, 1, Y, NULL); }
expr(A) ::= expr(X) LIKE expr(Y) ESCAPE expr(Z). [LIKE]
    { A = sl_ast_like_expr(P, X, SL_OP_LIKE, 0, Y, Z); }
expr(A) ::= expr(X) NOT LIKE expr(Y) ESCAPE expr(Z). [LIKE]
    { A = sl_ast_like_expr(P, X, SL_OP_LIKE, 1, Y, Z); }
expr(A) ::= expr(X) SIMILAR TO expr(Y). [LIKE]
    { A = sl_ast_like_expr(P, X, SL_OP_SIMILAR, 0, Y, NULL); }
expr(A) ::= expr(X) NOT SIMILAR TO expr(Y). [LIKE]
    { A = sl_ast_like_expr(P, X, SL_OP_SIMILAR, 1, Y, NULL); }

expr(A) ::= expr(X) LBRACKET expr(Y) RBRACKET(R). { A = sl_ast_item(P, X, Y, &R); }

/* CASE */
expr(A) ::= CASE(C) caseop(O) whens(W) caseelse(E) END(R). { A = sl_ast_case(P, &C, O, W, E, &R); }
%type caseop {sl_expr_t *}
caseop(A) ::= .                            { A = NULL; }
caseop(A) ::= expr(X).                     { A = X; }
%type whens {sl_list_t *}
whens(A) ::= WHEN expr(W) THEN expr(T).    { A = sl_ast_list(P, sl_ast_list(P, NULL, W), T); }
whens(A) ::= whens(L) WHEN expr(W) THEN expr(T). { A = sl_ast_list(P, sl_ast_list(P, L, W), T); }
%type caseelse {sl_expr_t *}
caseelse(A) ::= .                          { A = NULL; }
caseelse(A) ::= ELSE expr(X).              { A = X; }

/* CAST */
expr(A) ::= CAST(C) LP expr(X) AS type(T) RP(R).     { A = sl_ast_cast(P, &C, X, T, 0, &R); }
expr(A) ::= TRY_CAST(C) LP expr(X) AS type(T) RP(R). { A = sl_ast_cast(P, &C, X, T, 1, &R); }

/* INTERVAL '...' unit [TO unit] */
expr(A) ::= INTERVAL(I) string(S) iunit(F). [OR]     { A = sl_ast_interval(P, &I, 0, &S, F, NULL); }
expr(A) ::= INTERVAL(I) string(S) iunit(F) TO iunit(T). { A = sl_ast_interval(P, &I, 0, &S, F, T); }
expr(A) ::= INTERVAL(I) MINUS string(S) iunit(F).    { A = sl_ast_interval(P, &I, 1, &S, F, NULL); }
%type iunit {sl_token_t *}
iunit(A) ::= unitkw(U).                    { A = U; }
iunit(A) ::= unitkw(U) LP INTLIT RP.      { A = U; }
iunit(A) ::= YEARS(X).                     { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= MONTHS(X).                    { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= DAYS(X).                      { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= HOURS(X).                     { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= MINUTES(X).                   { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= SECONDS(X).                   { A = sl_ast_tokdup(P, &X); }
iunit(A) ::= ID(X).                        { A = sl_ast_tokdup(P, &X); }
%type unitkw {sl_token_t *}
unitkw(A) ::= YEAR(X).                     { A = sl_ast_tokdup(P, &X); }
unitkw(A) ::= MONTH(X).                    { A = sl_ast_tokdup(P, &X); }
unitkw(A) ::= DAY(X).                      { A = sl_ast_tokdup(P, &X); }
unitkw(A) ::= HOUR(X).                     { A = sl_ast_tokdup(P, &X); }
unitkw(A) ::= MINUTE(X).                   { A = sl_ast_tokdup(P, &X); }
unitkw(A) ::= SECOND(X).                   { A = sl_ast_tokdup(P, &X); }

/* Function calls. */
expr(A) ::= funccall(F).                   { A = F; }
expr(A) ::= funccall(F) FILTER LP WHERE expr(W) RP(R). { A = sl_ast_call_filter(P, F, W, &R); }
expr(A) ::= funccall(F) OVER LP(B) winspec(W) RP(R). { A = sl_ast_call_over(P, F, W, &B, &R); }
expr(A) ::= funccall(F) OVER nm(N).        { A = sl_ast_call_over_ref(P, F, N); }
expr(A) ::= funccall(F) FILTER LP WHERE expr(W) RP OVER LP(B) winspec(O) RP(R).
    { A = sl_ast_call_over(P, sl_ast_call_filter(P, F, W, &R), O, &B, &R); }

%type funccall {sl_expr_t *}
funccall(A) ::= fname(N) LP RP(R).         { A = sl_ast_call(P, N, 0, NULL, &R); }
funccall(A) ::= fname(N) LP STAR RP(R).    { A = sl_ast_call(P, N, SL_XF_STAR, NULL, &R); }
funccall(A) ::= fname(N) LP args(L) RP(R). { A = sl_ast_call(P, N, 0, L, &R); }
funccall(A) ::= fname(N) LP DISTINCT args(L) RP(R). { A = sl_ast_call(P, N, SL_XF_DISTINCT, L, &R); }
funccall(A) ::= fname(N) LP ALL args(L) RP(R).      { A = sl_ast_call(P, N, 0, L, &R); }

%type fname {sl_qname_t *}
fname(A) ::= qname(N).                     { A = N; }
fname(A) ::= RFUNC(X).                     { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= LEFT(X).                      { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= RIGHT(X).                     { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= IF(X).                        { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= GROUPING(X).                  { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= unitkw(X).                    { A = sl_ast_qname(P, NULL, sl_ast_ident(P, X)); }
fname(A) ::= MAP(X).                       { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }
fname(A) ::= ARRAY(X).                     { A = sl_ast_qname(P, NULL, sl_ast_ident(P, &X)); }

%type args {sl_list_t *}
args(A) ::= arg(X).                        { A = sl_ast_list(P, NULL, X); }
args(A) ::= args(L) COMMA arg(X).          { A = sl_ast_list(P, L, X); }
%type arg {sl_expr_t *}
arg(A) ::= expr(X).                        { A = X; }
arg(A) ::= unitkw(U).                      { A = sl_ast_unit(P, U); }
arg(A) ::= TABLE(T) qname(N).              { A = sl_ast_table_arg(P, &T, N); }
/* PARTITION BY k or PARTITION BY (k1, k2), as Calcite spells table arguments. */
arg(A) ::= TABLE(T) qname(N) PARTITION BY expr(K).
    { A = sl_ast_table_arg_partitioned(P, &T, N, K); }
arg(A) ::= OFFSET(N) ARROW arg(X).         { A = sl_ast_named_arg(P, sl_ast_ident(P, &N), X); }
arg(A) ::= DESCRIPTOR(D) LP idlist(L) RP(R). { A = sl_ast_descriptor(P, &D, L, &R); }
arg(A) ::= nm(N) ARROW arg(X).             { A = sl_ast_named_arg(P, N, X); }

/* Functions with special syntax, called the ordinary way. */
expr(A) ::= SUBSTRING(N) LP args(L) RP(R).  { A = sl_ast_call_tok(P, &N, L, &R); }
expr(A) ::= TRIM(N) LP args(L) RP(R).       { A = sl_ast_call_tok(P, &N, L, &R); }
expr(A) ::= FLOOR(N) LP args(L) RP(R).      { A = sl_ast_call_tok(P, &N, L, &R); }
expr(A) ::= CEIL(N) LP args(L) RP(R).       { A = sl_ast_call_tok(P, &N, L, &R); }
expr(A) ::= POSITION(N) LP args(L) RP(R).   { A = sl_ast_call_tok(P, &N, L, &R); }

/* Special syntaxes of SQL functions. */
expr(A) ::= EXTRACT(F) LP iunit(U) FROM expr(X) RP(R).
    { A = sl_ast_special(P, &F, sl_ast_unit(P, U), X, NULL, &R); }
expr(A) ::= FLOOR(F) LP expr(X) TO iunit(U) RP(R).
    { A = sl_ast_special(P, &F, X, sl_ast_unit(P, U), NULL, &R); }
expr(A) ::= CEIL(F) LP expr(X) TO iunit(U) RP(R).
    { A = sl_ast_special(P, &F, X, sl_ast_unit(P, U), NULL, &R); }
expr(A) ::= SUBSTRING(F) LP expr(X) FROM expr(Y) RP(R).
    { A = sl_ast_special(P, &F, X, Y, NULL, &R); }
expr(A) ::= SUBSTRING(F) LP expr(X) FROM expr(Y) FOR expr(Z) RP(R).
    { A = sl_ast_special(P, &F, X, Y, Z, &R); }
/* The driver retags the IN of POSITION(a IN b) as POSITION_IN, so it can
 * never be read as the IN predicate. */
expr(A) ::= POSITION(F) LP expr(X) POSITION_IN expr(Y) RP(R).
    { A = sl_ast_special(P, &F, X, Y, NULL, &R); }
expr(A) ::= OVERLAY(F) LP expr(X) PLACING expr(Y) FROM expr(Z) RP(R).
    { A = sl_ast_special4(P, &F, X, Y, Z, NULL, &R); }
expr(A) ::= OVERLAY(F) LP expr(X) PLACING expr(Y) FROM expr(Z) FOR expr(W) RP(R).
    { A = sl_ast_special4(P, &F, X, Y, Z, W, &R); }
expr(A) ::= TRIM(F) LP trimspec(S) FROM expr(X) RP(R).
    { A = sl_ast_trim(P, &F, S, NULL, X, &R); }
expr(A) ::= TRIM(F) LP trimspec(S) expr(C) FROM expr(X) RP(R).
    { A = sl_ast_trim(P, &F, S, C, X, &R); }
expr(A) ::= TRIM(F) LP expr(C) FROM expr(X) RP(R).
    { A = sl_ast_trim(P, &F, NULL, C, X, &R); }
%type trimspec {sl_token_t *}
trimspec(A) ::= BOTH(X).                   { A = sl_ast_tokdup(P, &X); }
trimspec(A) ::= LEADING(X).                { A = sl_ast_tokdup(P, &X); }
trimspec(A) ::= TRAILING(X).               { A = sl_ast_tokdup(P, &X); }

/* Constructors. */
expr(A) ::= ROW(B) LP RP(R).               { A = sl_ast_ctor(P, &B, SL_X_ROW, NULL, &R); }
expr(A) ::= ROW(B) LP exprlist(L) RP(R).   { A = sl_ast_ctor(P, &B, SL_X_ROW, L, &R); }
expr(A) ::= ARRAY(B) LBRACKET exprlist(L) RBRACKET(R). { A = sl_ast_ctor(P, &B, SL_X_ARRAY, L, &R); }
expr(A) ::= ARRAY(B) LBRACKET RBRACKET(R). { A = sl_ast_ctor(P, &B, SL_X_ARRAY, NULL, &R); }
expr(A) ::= MAP(B) LBRACKET exprlist(L) RBRACKET(R).   { A = sl_ast_ctor(P, &B, SL_X_MAP, L, &R); }

/* Niladic functions: CURRENT_TIMESTAMP, LOCALTIMESTAMP, USER, ... */
expr(A) ::= NILADIC(X).                    { A = sl_ast_niladic(P, &X); }
expr(A) ::= USER(X).                       { A = sl_ast_niladic(P, &X); }

/* Window specification of OVER (...). */
%type winspec {sl_window_t *}
winspec(A) ::= winpart(PB) winorder(OB) winframe(F). { A = sl_ast_window(P, NULL, PB, OB, F); }
winspec(A) ::= nm(N) winpart(PB) winorder(OB) winframe(F). { A = sl_ast_window(P, N, PB, OB, F); }
%type winpart {sl_list_t *}
winpart(A) ::= .                           { A = NULL; }
winpart(A) ::= PARTITION BY exprlist(L).   { A = L; }
%type winorder {sl_list_t *}
winorder(A) ::= .                          { A = NULL; }
winorder(A) ::= ORDER BY orderitems(L).    { A = L; }
%type winframe {sl_window_t *}
winframe(A) ::= .                          { A = NULL; }
winframe(A) ::= ROWS fbound(L).            { A = sl_ast_frame(P, 1, L, NULL); }
winframe(A) ::= RANGE fbound(L).           { A = sl_ast_frame(P, 2, L, NULL); }
winframe(A) ::= ROWS BETWEEN fbound(L) AND fbound(H).  { A = sl_ast_frame(P, 1, L, H); }
winframe(A) ::= RANGE BETWEEN fbound(L) AND fbound(H). { A = sl_ast_frame(P, 2, L, H); }
%type fbound {sl_fbound_t *}
fbound(A) ::= UNBOUNDED PRECEDING.         { A = sl_ast_fbound(P, SL_FB_UNBOUNDED_PRECEDING, NULL); }
fbound(A) ::= UNBOUNDED FOLLOWING.         { A = sl_ast_fbound(P, SL_FB_UNBOUNDED_FOLLOWING, NULL); }
fbound(A) ::= CURRENT ROW.                 { A = sl_ast_fbound(P, SL_FB_CURRENT_ROW, NULL); }
fbound(A) ::= expr(X) PRECEDING.           { A = sl_ast_fbound(P, SL_FB_PRECEDING, X); }
fbound(A) ::= expr(X) FOLLOWING.           { A = sl_ast_fbound(P, SL_FB_FOLLOWING, X); }

/* Literals. */
%type literal {sl_expr_t *}
literal(A) ::= INTLIT(X).                 { A = sl_ast_literal(P, &X, SL_LIT_INT); }
literal(A) ::= DECIMAL_LIT(X).             { A = sl_ast_literal(P, &X, SL_LIT_DECIMAL); }
literal(A) ::= FLOAT_LIT(X).               { A = sl_ast_literal(P, &X, SL_LIT_DOUBLE); }
literal(A) ::= string(X).                  { A = sl_ast_literal(P, &X, SL_LIT_STRING); }
literal(A) ::= BLOB(X).                    { A = sl_ast_literal(P, &X, SL_LIT_BINARY); }
literal(A) ::= TRUE(X).                    { A = sl_ast_literal(P, &X, SL_LIT_BOOL); }
literal(A) ::= FALSE(X).                   { A = sl_ast_literal(P, &X, SL_LIT_BOOL); }
literal(A) ::= NULL(X).                    { A = sl_ast_literal(P, &X, SL_LIT_NULL); }
literal(A) ::= DATE(K) string(X).          { A = sl_ast_typed_literal(P, &K, &X, SL_LIT_DATE); }
literal(A) ::= TIME(K) string(X).          { A = sl_ast_typed_literal(P, &K, &X, SL_LIT_TIME); }
literal(A) ::= TIMESTAMP(K) string(X).     { A = sl_ast_typed_literal(P, &K, &X, SL_LIT_TIMESTAMP); }
literal(A) ::= TIMESTAMP_LTZ(K) string(X). { A = sl_ast_typed_literal(P, &K, &X, SL_LIT_TIMESTAMP_LTZ); }
