/* tokenize.c - the hand-written tokenizer of the Flink SQL dialect.
 *
 * A token is a slice of the source (offset, length); nothing is copied.
 * Keywords are case-insensitive. Words reserved by Flink's parser (Calcite's
 * reserved list) that no rule uses come back as TK_RESERVED, so using one
 * as a name is a syntax error at that word, as in Flink; reserved names of
 * built-in functions come back as TK_RFUNC and niladic functions
 * (CURRENT_TIMESTAMP, ...) as TK_NILADIC.
 */
#include "sql/parse.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql_parse.h"

typedef struct kw {
    const char *word;
    int type;
} kw_t;

/* Sorted by word (strcasecmp order) at first use. */
static kw_t keywords[] = {
    /* grammar keywords, reserved */
    {"ALL", TK_ALL}, {"AND", TK_AND}, {"ARRAY", TK_ARRAY}, {"AS", TK_AS},
    {"ASYMMETRIC", TK_ASYMMETRIC}, {"BEGIN", TK_BEGIN},
    {"BETWEEN", TK_BETWEEN}, {"BIGINT", TK_BIGINT}, {"BINARY", TK_BINARY},
    {"BOOLEAN", TK_BOOLEAN}, {"BOTH", TK_BOTH}, {"BY", TK_BY},
    {"CASE", TK_CASE}, {"CAST", TK_CAST}, {"CEIL", TK_CEIL},
    {"CEILING", TK_CEIL}, {"CHAR", TK_CHAR}, {"CHARACTER", TK_CHARACTER},
    {"COMMENT", TK_COMMENT}, {"CONSTRAINT", TK_CONSTRAINT},
    {"CREATE", TK_CREATE}, {"CROSS", TK_CROSS}, {"CUBE", TK_CUBE},
    {"CURRENT", TK_CURRENT}, {"DATE", TK_DATE}, {"DAY", TK_DAY},
    {"DEC", TK_DEC}, {"DECIMAL", TK_DECIMAL}, {"DESCRIBE", TK_DESCRIBE},
    {"DISTINCT", TK_DISTINCT}, {"DOUBLE", TK_DOUBLE}, {"DROP", TK_DROP},
    {"ELSE", TK_ELSE}, {"END", TK_END}, {"ESCAPE", TK_ESCAPE},
    {"EXCEPT", TK_EXCEPT}, {"EXECUTE", TK_EXECUTE}, {"EXISTS", TK_EXISTS},
    {"EXPLAIN", TK_EXPLAIN}, {"EXTENDED", TK_EXTENDED},
    {"EXTRACT", TK_EXTRACT}, {"FALSE", TK_FALSE}, {"FETCH", TK_FETCH},
    {"FILTER", TK_FILTER}, {"FLOAT", TK_FLOAT}, {"FLOOR", TK_FLOOR},
    {"FOR", TK_FOR}, {"FROM", TK_FROM}, {"FULL", TK_FULL},
    {"GROUP", TK_GROUP}, {"GROUPING", TK_GROUPING}, {"HAVING", TK_HAVING},
    {"HOUR", TK_HOUR}, {"IN", TK_IN}, {"INNER", TK_INNER},
    {"INSERT", TK_INSERT}, {"INT", TK_INT}, {"INTEGER", TK_INTEGER},
    {"INTERSECT", TK_INTERSECT}, {"INTERVAL", TK_INTERVAL},
    {"INTO", TK_INTO}, {"IS", TK_IS}, {"JOIN", TK_JOIN},
    {"LATERAL", TK_LATERAL}, {"LEADING", TK_LEADING}, {"LEFT", TK_LEFT},
    {"LIKE", TK_LIKE}, {"LIMIT", TK_LIMIT}, {"LOCAL", TK_LOCAL},
    {"MAP", TK_MAP}, {"MINUS", TK_MINUS_KW}, {"MINUTE", TK_MINUTE},
    {"MONTH", TK_MONTH}, {"MULTISET", TK_MULTISET},
    {"NATURAL", TK_NATURAL}, {"NOT", TK_NOT}, {"NULL", TK_NULL},
    {"NUMERIC", TK_NUMERIC}, {"OF", TK_OF}, {"OFFSET", TK_OFFSET},
    {"ON", TK_ON}, {"ONLY", TK_ONLY}, {"OR", TK_OR}, {"ORDER", TK_ORDER},
    {"OUTER", TK_OUTER}, {"OVER", TK_OVER}, {"OVERLAY", TK_OVERLAY},
    {"PARTITION", TK_PARTITION}, {"POSITION", TK_POSITION},
    {"PRECISION", TK_PRECISION}, {"PRIMARY", TK_PRIMARY},
    {"RANGE", TK_RANGE}, {"REAL", TK_REAL}, {"RESET", TK_RESET},
    {"RIGHT", TK_RIGHT}, {"ROLLUP", TK_ROLLUP}, {"ROW", TK_ROW},
    {"ROWS", TK_ROWS}, {"SAVEPOINT", TK_SAVEPOINT}, {"SECOND", TK_SECOND},
    {"SELECT", TK_SELECT}, {"SET", TK_SET}, {"SHOW", TK_SHOW},
    {"SIMILAR", TK_SIMILAR}, {"SMALLINT", TK_SMALLINT},
    {"SUBSTRING", TK_SUBSTRING}, {"SYMMETRIC", TK_SYMMETRIC},
    {"SYSTEM_TIME", TK_SYSTEM_TIME}, {"TABLE", TK_TABLE}, {"THEN", TK_THEN},
    {"TIME", TK_TIME}, {"TIMESTAMP", TK_TIMESTAMP}, {"TINYINT", TK_TINYINT},
    {"TO", TK_TO}, {"TRAILING", TK_TRAILING}, {"TRIM", TK_TRIM},
    {"TRUE", TK_TRUE}, {"UNION", TK_UNION}, {"UNKNOWN", TK_UNKNOWN},
    {"USE", TK_USE}, {"USER", TK_USER}, {"USING", TK_USING},
    {"VALUES", TK_VALUES}, {"VARBINARY", TK_VARBINARY},
    {"VARCHAR", TK_VARCHAR}, {"VARYING", TK_VARYING}, {"WHEN", TK_WHEN},
    {"WHERE", TK_WHERE}, {"WINDOW", TK_WINDOW}, {"WITH", TK_WITH},
    {"WITHOUT", TK_WITHOUT}, {"YEAR", TK_YEAR},
    /* grammar keywords, not reserved (%fallback ID) */
    {"ASC", TK_ASC}, {"BYTES", TK_BYTES}, {"CATALOG", TK_CATALOG},
    {"CATALOGS", TK_CATALOGS}, {"COLUMNS", TK_COLUMNS},
    {"DATABASE", TK_DATABASE}, {"DATABASES", TK_DATABASES},
    {"DAYS", TK_DAYS}, {"DESC", TK_DESC}, {"DESCRIPTOR", TK_DESCRIPTOR},
    {"ENFORCED", TK_ENFORCED}, {"EXCLUDING", TK_EXCLUDING},
    {"EXIT", TK_EXIT}, {"FIRST", TK_FIRST}, {"FOLLOWING", TK_FOLLOWING},
    {"FUNCTIONS", TK_FUNCTIONS}, {"HELP", TK_HELP}, {"HOURS", TK_HOURS},
    {"IF", TK_IF}, {"INCLUDING", TK_INCLUDING}, {"JOB", TK_JOB},
    {"JOBS", TK_JOBS}, {"KEY", TK_KEY}, {"LAST", TK_LAST},
    {"METADATA", TK_METADATA}, {"MINUTES", TK_MINUTES},
    {"MODULES", TK_MODULES}, {"MONTHS", TK_MONTHS}, {"NULLS", TK_NULLS},
    {"OVERWRITE", TK_OVERWRITE}, {"OVERWRITING", TK_OVERWRITING},
    {"PARTITIONED", TK_PARTITIONED}, {"PLACING", TK_PLACING},
    {"PLAN", TK_PLAN}, {"PRECEDING", TK_PRECEDING}, {"QUIT", TK_QUIT},
    {"RAW", TK_RAW}, {"SECONDS", TK_SECONDS}, {"SETS", TK_SETS},
    {"STATEMENT", TK_STATEMENT}, {"STOP", TK_STOP}, {"STRING", TK_STRING},
    {"TABLES", TK_TABLES}, {"TEMPORARY", TK_TEMPORARY},
    {"TIMESTAMP_LTZ", TK_TIMESTAMP_LTZ}, {"TRY_CAST", TK_TRY_CAST},
    {"UNBOUNDED", TK_UNBOUNDED}, {"VIEW", TK_VIEW}, {"VIEWS", TK_VIEWS},
    {"VIRTUAL", TK_VIRTUAL}, {"WATERMARK", TK_WATERMARK},
    {"YEARS", TK_YEARS}, {"ZONE", TK_ZONE},
    /* niladic functions: no parentheses */
    {"CURRENT_CATALOG", TK_NILADIC}, {"CURRENT_DATE", TK_NILADIC},
    {"CURRENT_PATH", TK_NILADIC}, {"CURRENT_ROLE", TK_NILADIC},
    {"CURRENT_SCHEMA", TK_NILADIC}, {"CURRENT_TIME", TK_NILADIC},
    {"CURRENT_TIMESTAMP", TK_NILADIC}, {"CURRENT_USER", TK_NILADIC},
    {"LOCALTIME", TK_NILADIC}, {"LOCALTIMESTAMP", TK_NILADIC},
    {"SESSION_USER", TK_NILADIC}, {"SYSTEM_USER", TK_NILADIC},
    /* reserved names of built-in functions */
    {"ABS", TK_RFUNC}, {"ANY", TK_RFUNC}, {"AVG", TK_RFUNC},
    {"CARDINALITY", TK_RFUNC}, {"CHAR_LENGTH", TK_RFUNC},
    {"CHARACTER_LENGTH", TK_RFUNC}, {"COALESCE", TK_RFUNC},
    {"COLLECT", TK_RFUNC}, {"CONVERT", TK_RFUNC}, {"CORR", TK_RFUNC},
    {"COUNT", TK_RFUNC}, {"COVAR_POP", TK_RFUNC}, {"COVAR_SAMP", TK_RFUNC},
    {"CUME_DIST", TK_RFUNC}, {"DENSE_RANK", TK_RFUNC},
    {"ELEMENT", TK_RFUNC}, {"EVERY", TK_RFUNC}, {"EXP", TK_RFUNC},
    {"FIRST_VALUE", TK_RFUNC}, {"FUSION", TK_RFUNC},
    {"INTERSECTION", TK_RFUNC}, {"JSON_ARRAY", TK_RFUNC},
    {"JSON_ARRAYAGG", TK_RFUNC}, {"JSON_EXISTS", TK_RFUNC},
    {"JSON_OBJECT", TK_RFUNC}, {"JSON_OBJECTAGG", TK_RFUNC},
    {"JSON_QUERY", TK_RFUNC}, {"JSON_VALUE", TK_RFUNC}, {"LAG", TK_RFUNC},
    {"LAST_VALUE", TK_RFUNC}, {"LEAD", TK_RFUNC}, {"LN", TK_RFUNC},
    {"LOWER", TK_RFUNC}, {"MAX", TK_RFUNC}, {"MIN", TK_RFUNC},
    {"MOD", TK_RFUNC}, {"NTH_VALUE", TK_RFUNC}, {"NTILE", TK_RFUNC},
    {"NULLIF", TK_RFUNC}, {"OCTET_LENGTH", TK_RFUNC},
    {"PERCENT_RANK", TK_RFUNC}, {"PERCENTILE_CONT", TK_RFUNC},
    {"PERCENTILE_DISC", TK_RFUNC}, {"POWER", TK_RFUNC}, {"RANK", TK_RFUNC},
    {"REGR_COUNT", TK_RFUNC}, {"REGR_SXX", TK_RFUNC},
    {"REGR_SYY", TK_RFUNC}, {"ROW_NUMBER", TK_RFUNC}, {"SOME", TK_RFUNC},
    {"SQRT", TK_RFUNC}, {"STDDEV_POP", TK_RFUNC}, {"STDDEV_SAMP", TK_RFUNC},
    {"SUM", TK_RFUNC}, {"TRANSLATE", TK_RFUNC}, {"TRUNCATE", TK_RFUNC},
    {"UPPER", TK_RFUNC}, {"VAR_POP", TK_RFUNC}, {"VAR_SAMP", TK_RFUNC},
    /* reserved words no rule uses: names only when back-quoted */
    {"ALLOCATE", TK_RESERVED}, {"ALTER", TK_RESERVED}, {"ARE", TK_RESERVED},
    {"ARRAY_MAX_CARDINALITY", TK_RESERVED}, {"ASENSITIVE", TK_RESERVED},
    {"AT", TK_RESERVED}, {"ATOMIC", TK_RESERVED},
    {"AUTHORIZATION", TK_RESERVED}, {"BEGIN_FRAME", TK_RESERVED},
    {"BEGIN_PARTITION", TK_RESERVED}, {"BLOB", TK_RESERVED},
    {"CALL", TK_RESERVED}, {"CALLED", TK_RESERVED},
    {"CASCADED", TK_RESERVED}, {"CHECK", TK_RESERVED},
    {"CLASSIFIER", TK_RESERVED}, {"CLOB", TK_RESERVED},
    {"CLOSE", TK_RESERVED}, {"COLLATE", TK_RESERVED},
    {"COLUMN", TK_RESERVED}, {"COMMIT", TK_RESERVED},
    {"CONDITION", TK_RESERVED}, {"CONNECT", TK_RESERVED},
    {"CONTAINS", TK_RESERVED}, {"CORRESPONDING", TK_RESERVED},
    {"CURRENT_ROW", TK_RESERVED}, {"CURSOR", TK_RESERVED},
    {"CYCLE", TK_RESERVED}, {"DEALLOCATE", TK_RESERVED},
    {"DECLARE", TK_RESERVED}, {"DEFAULT", TK_RESERVED},
    {"DEFINE", TK_RESERVED}, {"DELETE", TK_RESERVED},
    {"DEREF", TK_RESERVED}, {"DETERMINISTIC", TK_RESERVED},
    {"DISALLOW", TK_RESERVED}, {"DISCONNECT", TK_RESERVED},
    {"DYNAMIC", TK_RESERVED}, {"EACH", TK_RESERVED}, {"EMPTY", TK_RESERVED},
    {"END_FRAME", TK_RESERVED}, {"END_PARTITION", TK_RESERVED},
    {"EQUALS", TK_RESERVED}, {"EXEC", TK_RESERVED}, {"EXTEND", TK_RESERVED},
    {"EXTERNAL", TK_RESERVED}, {"FOREIGN", TK_RESERVED},
    {"FRAME_ROW", TK_RESERVED}, {"FREE", TK_RESERVED},
    {"FUNCTION", TK_RESERVED}, {"GET", TK_RESERVED},
    {"GLOBAL", TK_RESERVED}, {"GRANT", TK_RESERVED},
    {"GROUPS", TK_RESERVED}, {"HOLD", TK_RESERVED},
    {"IDENTITY", TK_RESERVED}, {"IMPORT", TK_RESERVED},
    {"INDICATOR", TK_RESERVED}, {"INITIAL", TK_RESERVED},
    {"INOUT", TK_RESERVED}, {"INSENSITIVE", TK_RESERVED},
    {"LANGUAGE", TK_RESERVED}, {"LARGE", TK_RESERVED},
    {"LIKE_REGEX", TK_RESERVED}, {"MATCH", TK_RESERVED},
    {"MATCH_NUMBER", TK_RESERVED}, {"MATCH_RECOGNIZE", TK_RESERVED},
    {"MATCHES", TK_RESERVED}, {"MEASURES", TK_RESERVED},
    {"MEMBER", TK_RESERVED}, {"MERGE", TK_RESERVED},
    {"METHOD", TK_RESERVED}, {"MODIFIES", TK_RESERVED},
    {"MODULE", TK_RESERVED}, {"NATIONAL", TK_RESERVED},
    {"NCHAR", TK_RESERVED}, {"NCLOB", TK_RESERVED}, {"NEW", TK_RESERVED},
    {"NEXT", TK_RESERVED}, {"NO", TK_RESERVED}, {"NONE", TK_RESERVED},
    {"NORMALIZE", TK_RESERVED}, {"OCCURRENCES_REGEX", TK_RESERVED},
    {"OLD", TK_RESERVED}, {"OMIT", TK_RESERVED}, {"ONE", TK_RESERVED},
    {"OPEN", TK_RESERVED}, {"OUT", TK_RESERVED}, {"OVERLAPS", TK_RESERVED},
    {"PARAMETER", TK_RESERVED}, {"PATTERN", TK_RESERVED},
    {"PER", TK_RESERVED}, {"PERCENT", TK_RESERVED},
    {"PERIOD", TK_RESERVED}, {"PERMUTE", TK_RESERVED},
    {"PORTION", TK_RESERVED}, {"POSITION_REGEX", TK_RESERVED},
    {"PRECEDES", TK_RESERVED}, {"PREPARE", TK_RESERVED},
    {"PREV", TK_RESERVED}, {"PROCEDURE", TK_RESERVED},
    {"READS", TK_RESERVED}, {"RECURSIVE", TK_RESERVED},
    {"REF", TK_RESERVED}, {"REFERENCES", TK_RESERVED},
    {"REFERENCING", TK_RESERVED}, {"RELEASE", TK_RESERVED},
    {"RESULT", TK_RESERVED}, {"RETURN", TK_RESERVED},
    {"RETURNS", TK_RESERVED}, {"REVOKE", TK_RESERVED},
    {"ROLLBACK", TK_RESERVED}, {"RUNNING", TK_RESERVED},
    {"SCOPE", TK_RESERVED}, {"SCROLL", TK_RESERVED},
    {"SEARCH", TK_RESERVED}, {"SEEK", TK_RESERVED},
    {"SENSITIVE", TK_RESERVED}, {"SKIP", TK_RESERVED},
    {"SPECIFIC", TK_RESERVED}, {"SPECIFICTYPE", TK_RESERVED},
    {"SQL", TK_RESERVED}, {"SQLEXCEPTION", TK_RESERVED},
    {"SQLSTATE", TK_RESERVED}, {"SQLWARNING", TK_RESERVED},
    {"START", TK_RESERVED}, {"STATIC", TK_RESERVED},
    {"STREAM", TK_RESERVED}, {"SUBMULTISET", TK_RESERVED},
    {"SUBSET", TK_RESERVED}, {"SUBSTRING_REGEX", TK_RESERVED},
    {"SUCCEEDS", TK_RESERVED}, {"SYSTEM", TK_RESERVED},
    {"TABLESAMPLE", TK_RESERVED}, {"TIMEZONE_HOUR", TK_RESERVED},
    {"TIMEZONE_MINUTE", TK_RESERVED}, {"TRANSLATE_REGEX", TK_RESERVED},
    {"TRANSLATION", TK_RESERVED}, {"TREAT", TK_RESERVED},
    {"TRIGGER", TK_RESERVED}, {"TRIM_ARRAY", TK_RESERVED},
    {"UESCAPE", TK_RESERVED}, {"UNIQUE", TK_RESERVED},
    {"UNNEST", TK_RESERVED}, {"UPDATE", TK_RESERVED},
    {"UPSERT", TK_RESERVED}, {"VALUE", TK_RESERVED},
    {"VALUE_OF", TK_RESERVED}, {"VERSIONING", TK_RESERVED},
    {"WHENEVER", TK_RESERVED}, {"WIDTH_BUCKET", TK_RESERVED},
    {"WITHIN", TK_RESERVED},
};

#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))

static int kw_cmp(const void *a, const void *b)
{
    return strcasecmp(((const kw_t *)a)->word, ((const kw_t *)b)->word);
}

static void sort_keywords_once(void)
{
    qsort(keywords, NKEYWORDS, sizeof keywords[0], kw_cmp);
}

/* The table is written in groups for readers and sorted once, on first
 * use, from whichever thread gets there first. */
static void sort_keywords(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sort_keywords_once);
}

int sl_sql_keyword(const char *z, int n)
{
    if (n <= 0 || n > 32) return TK_ID;
    char buf[33];
    memcpy(buf, z, (size_t)n);
    buf[n] = '\0';
    sort_keywords();
    kw_t key = {buf, 0};
    kw_t *k = bsearch(&key, keywords, NKEYWORDS, sizeof keywords[0], kw_cmp);
    return k ? k->type : TK_ID;
}

bool sl_sql_is_reserved(const char *z, int n)
{
    int t = sl_sql_keyword(z, n);
    if (t == TK_ID) return false;
    return sl_sql_parserFallback(t) != TK_ID;
}

static int is_id_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_id_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Scans a quoted run starting at z[0] == q; doubled quotes escape.
 * Returns the length including both quotes, or -1 if unterminated. */
static int scan_quoted(const char *z, int n, char q)
{
    for (int i = 1; i < n; i++) {
        if (z[i] == q) {
            if (i + 1 < n && z[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return -1;
}

int sl_sql_token(const char *src, int n, int off, bool in_hint, int *len)
{
    const char *z = src + off;
    int rem = n - off;
    unsigned char c = (unsigned char)z[0];
    int i;

    if (isspace(c)) {
        for (i = 1; i < rem && isspace((unsigned char)z[i]); i++) {}
        *len = i;
        return TK_SPACE;
    }
    switch (c) {
    case '-':
        if (rem > 1 && z[1] == '-') {
            for (i = 2; i < rem && z[i] != '\n'; i++) {}
            *len = i;
            return TK_COMMENT_TOK;
        }
        *len = 1;
        return TK_MINUS;
    case '/':
        if (rem > 1 && z[1] == '*') {
            if (rem > 2 && z[2] == '+' && !in_hint) {
                *len = 3;
                return TK_HINT_BEGIN;
            }
            for (i = 2; i + 1 < rem; i++) {
                if (z[i] == '*' && z[i + 1] == '/') {
                    *len = i + 2;
                    return TK_COMMENT_TOK;
                }
            }
            *len = rem;
            return TK_UNTERMINATED;
        }
        *len = 1;
        return TK_SLASH;
    case '*':
        if (in_hint && rem > 1 && z[1] == '/') {
            *len = 2;
            return TK_HINT_END;
        }
        *len = 1;
        return TK_STAR;
    case '(': *len = 1; return TK_LP;
    case ')': *len = 1; return TK_RP;
    case '[': *len = 1; return TK_LBRACKET;
    case ']': *len = 1; return TK_RBRACKET;
    case ',': *len = 1; return TK_COMMA;
    case ';': *len = 1; return TK_SEMI;
    case '+': *len = 1; return TK_PLUS;
    case '%': *len = 1; return TK_PERCENT;
    case '?': *len = 1; return TK_QUESTION;
    case '=':
        if (rem > 1 && z[1] == '>') { *len = 2; return TK_ARROW; }
        if (rem > 1 && z[1] == '=') { *len = 2; return TK_EQ; }
        *len = 1;
        return TK_EQ;
    case '<':
        if (rem > 1 && z[1] == '=') { *len = 2; return TK_LE; }
        if (rem > 1 && z[1] == '>') { *len = 2; return TK_NE; }
        *len = 1;
        return TK_LT;
    case '>':
        if (rem > 1 && z[1] == '=') { *len = 2; return TK_GE; }
        *len = 1;
        return TK_GT;
    case '!':
        if (rem > 1 && z[1] == '=') { *len = 2; return TK_NE; }
        *len = 1;
        return TK_ILLEGAL;
    case '|':
        if (rem > 1 && z[1] == '|') { *len = 2; return TK_CONCAT; }
        *len = 1;
        return TK_ILLEGAL;
    case '\'': {
        int l = scan_quoted(z, rem, '\'');
        if (l < 0) { *len = rem; return TK_UNTERMINATED; }
        *len = l;
        return TK_QSTR;
    }
    case '"': {
        int l = scan_quoted(z, rem, '"');
        if (l < 0) { *len = rem; return TK_UNTERMINATED; }
        *len = l;
        return TK_DQSTRING;
    }
    case '`': {
        int l = scan_quoted(z, rem, '`');
        if (l < 0) { *len = rem; return TK_UNTERMINATED; }
        if (l == 2) { *len = 2; return TK_ILLEGAL; } /* empty identifier */
        *len = l;
        return TK_ID;
    }
    case '.':
        if (rem > 1 && isdigit((unsigned char)z[1])) break; /* .5 */
        *len = 1;
        return TK_DOT;
    default:
        break;
    }
    if (isdigit(c) || c == '.') {
        int type = TK_INTLIT;
        i = 0;
        while (i < rem && isdigit((unsigned char)z[i])) i++;
        if (i < rem && z[i] == '.') {
            type = TK_DECIMAL_LIT;
            i++;
            while (i < rem && isdigit((unsigned char)z[i])) i++;
        }
        if (i < rem && (z[i] == 'e' || z[i] == 'E')) {
            int j = i + 1;
            if (j < rem && (z[j] == '+' || z[j] == '-')) j++;
            if (j < rem && isdigit((unsigned char)z[j])) {
                while (j < rem && isdigit((unsigned char)z[j])) j++;
                i = j;
                type = TK_FLOAT_LIT;
            }
        }
        *len = i;
        return type;
    }
    /* X'0A1B' binary and N'...' national string literals. */
    if ((c == 'X' || c == 'x' || c == 'N' || c == 'n') && rem > 1 &&
        z[1] == '\'') {
        int l = scan_quoted(z + 1, rem - 1, '\'');
        if (l < 0) { *len = rem; return TK_UNTERMINATED; }
        *len = l + 1;
        return (c == 'X' || c == 'x') ? TK_BLOB : TK_QSTR;
    }
    if (is_id_start(c)) {
        for (i = 1; i < rem && is_id_char((unsigned char)z[i]); i++) {}
        *len = i;
        return sl_sql_keyword(z, i);
    }
    /* One UTF-8 sequence or byte that cannot start a token. */
    *len = 1;
    return TK_ILLEGAL;
}

const char *sl_sql_token_spelling(int type)
{
    switch (type) {
    case TK_ID: return "a name";
    case TK_QSTR: return "a string";
    case TK_INTLIT: return "an integer";
    case TK_LP: return "'('";
    case TK_RP: return "')'";
    case TK_COMMA: return "','";
    case TK_SEMI: return "';'";
    case TK_DOT: return "'.'";
    case TK_EQ: return "'='";
    case TK_LT: return "'<'";
    case TK_GT: return "'>'";
    case TK_LBRACKET: return "'['";
    case TK_RBRACKET: return "']'";
    case TK_STAR: return "'*'";
    case TK_HINT_END: return "'*/'";
    case TK_RESERVED: case TK_RFUNC: case TK_NILADIC: case TK_ILLEGAL:
    case TK_SPACE: case TK_COMMENT_TOK: case TK_DQSTRING:
    case TK_UNTERMINATED: case TK_HINT_BEGIN: case TK_POSITION_IN:
        return NULL;
    default:
        break;
    }
    sort_keywords();
    for (int i = 0; i < NKEYWORDS; i++)
        if (keywords[i].type == type) return keywords[i].word;
    return NULL;
}

const char *sl_sql_token_desc(int type)
{
    switch (type) {
    case 0: return "end of statement";
    case TK_ID: return "identifier";
    case TK_QSTR: return "string literal";
    case TK_INTLIT: case TK_DECIMAL_LIT: case TK_FLOAT_LIT: return "number";
    case TK_LP: return "'('";
    case TK_RP: return "')'";
    case TK_COMMA: return "','";
    case TK_SEMI: return "';'";
    case TK_DOT: return "'.'";
    default: return "token";
    }
}
