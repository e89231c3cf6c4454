/* check_fn.c - unit tests for the scalar built-ins (exec/fn*.c) and the
 * arithmetic / comparison / pattern helpers (exec/arith.c).
 *
 * Function cases are rows {name, arguments, expected}: each argument is
 * "TYPE|text" ("INT|42", "STRING|a,b", "INT|\N" for NULL, "SYM|DAY" for a
 * time unit, "SYM|1" for TRIM's LEADING). The result type is not written in
 * the table: it is computed by the binder's own inference for the call
 * (sql/functions.c), so every case also checks that the implementation
 * produces a value of exactly that type (range, length, precision). NULL
 * arguments of functions that are not SL_FN_NULL_AWARE yield NULL without a
 * call, as the evaluator does. Expected results are PRINT-mode text
 * ("<NULL>" for NULL), or an error code.
 */
#include "exec/arith.h"
#include "exec/fn.h"
#include "exec/value.h"
#include "sql/ast.h"
#include "sql/functions.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "testutil.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sl_arena_t A;

static void setup(void)
{
    sl_arena_init(&A, 0);
}

static void teardown(void)
{
    sl_fn_thread_cleanup();
    sl_arena_destroy(&A);
}

#include "typespec.h"

static const char *fmt(const sl_value_t *v, const sl_type_t *t)
{
    sl_value_t s;
    ck_assert_int_eq(sl_value_format_arena(v, t, SL_FMT_PRINT, &A, &s), 0);
    return s.str;
}

/* ---- calls ------------------------------------------------------------------------ */

#define NOW_MS 1551443696789LL   /* 2019-03-01 12:34:56.789 UTC */

static const struct {
    const char *name;
    int unit;
} units[] = {
    {"YEAR", SL_U_YEAR}, {"QUARTER", SL_U_QUARTER}, {"MONTH", SL_U_MONTH},
    {"WEEK", SL_U_WEEK}, {"DAY", SL_U_DAY}, {"HOUR", SL_U_HOUR}, {"MINUTE", SL_U_MINUTE},
    {"SECOND", SL_U_SECOND}, {"MILLISECOND", SL_U_MILLISECOND}, {"DOW", SL_U_DOW},
    {"DOY", SL_U_DOY}, {"EPOCH", SL_U_EPOCH}, {"ISODOW", SL_U_ISODOW},
};

typedef struct call {
    int nargs;
    const sl_type_t *argt[8];
    sl_value_t args[8];
    sl_expr_t argx[8];
    const sl_expr_t *argxp[8];
    sl_expr_t callx;
    const sl_type_t *rt;
} call_t;

/* Builds the arguments from "TYPE|text" specs and types the call with the
 * binder. Returns false (with the binder's message) when the binder rejects
 * it. */
static bool build(const char *name, const char *const *specs, call_t *c, sl_err_t *err)
{
    memset(c, 0, sizeof *c);
    c->callx.kind = SL_X_CALL;
    for (int i = 0; i < 8 && specs[i]; i++) {
        const char *bar = strchr(specs[i], '|');
        ck_assert_msg(bar != NULL, "bad arg spec '%s'", specs[i]);
        char ty[64];
        memcpy(ty, specs[i], (size_t)(bar - specs[i]));
        ty[bar - specs[i]] = '\0';
        const char *text = bar + 1;
        sl_expr_t *x = &c->argx[i];
        x->kind = SL_X_COLUMN;
        if (!strcmp(ty, "SYM")) {
            c->argt[i] = &sl_type_symbol;
            memset(&c->args[i], 0, sizeof c->args[i]);
            x->kind = SL_X_SYMBOL;
            x->str = text;
            x->slen = (int)strlen(text);
            if (isdigit((unsigned char)text[0])) {
                c->args[i].i64 = atoi(text);
            } else {
                int u = -1;
                for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
                    if (!strcmp(units[k].name, text)) u = units[k].unit;
                ck_assert_msg(u >= 0, "unknown unit %s", text);
                c->args[i].i64 = u;
                x->op = (uint8_t)u;
            }
        } else {
            const sl_type_t *t = T(ty);
            bool null = !strcmp(text, "\\N");
            c->argt[i] = t;
            c->args[i] = V(t, null ? NULL : text);
            if (!null && sl_type_is_integer(t)) {
                x->kind = SL_X_LITERAL;
                x->op = SL_LIT_INT;
                x->str = text[0] == '-' ? text + 1 : text;
                x->slen = (int)strlen(x->str);
                if (text[0] == '-') {
                    /* -n: a unary minus over the literal */
                    sl_expr_t *lit = sl_arena_calloc(&A, sizeof *lit);
                    *lit = *x;
                    memset(x, 0, sizeof *x);
                    x->kind = SL_X_UNARY;
                    x->op = SL_OP_NEG;
                    x->a = lit;
                }
            }
        }
        c->argxp[i] = x;
        c->nargs = i + 1;
    }
    const sl_func_t *f = sl_func_lookup(name, -1);
    ck_assert_msg(f != NULL, "no built-in %s", name);
    sl_func_call_t fc = {
        .arena = &A, .call = &c->callx, .nargs = c->nargs, .args = c->argt,
        .argx = c->argxp,
    };
    c->rt = f->infer(&fc, err);
    return c->rt != NULL;
}

/* Does v have exactly type rt (width, length, precision, nullability)? */
static void check_fits(const char *name, const sl_value_t *v, const sl_type_t *rt)
{
    if (v->null) {
        ck_assert_msg(rt->nullable, "%s returned NULL for a NOT NULL result type", name);
        return;
    }
    switch (rt->id) {
    case SL_T_TINYINT: ck_assert(v->i64 >= INT8_MIN && v->i64 <= INT8_MAX); break;
    case SL_T_SMALLINT: ck_assert(v->i64 >= INT16_MIN && v->i64 <= INT16_MAX); break;
    case SL_T_INT: ck_assert_msg(v->i64 >= INT32_MIN && v->i64 <= INT32_MAX, "%s: INT range", name); break;
    case SL_T_DECIMAL: {
        __int128 lim = 1;
        for (int i = 0; i < rt->len; i++) lim *= 10;
        ck_assert_msg(v->dec < lim && v->dec > -lim, "%s: DECIMAL(%d, %d) overflow", name,
                      rt->len, rt->scale);
        break;
    }
    case SL_T_FLOAT:
        ck_assert(isnan(v->f64) || (double)(float)v->f64 == v->f64);
        break;
    case SL_T_CHAR: case SL_T_VARCHAR: {
        size_t chars = sl_utf8_count(v->str, v->len);
        if (rt->len < SL_MAX_LENGTH) {
            if (rt->id == SL_T_CHAR)
                ck_assert_msg(chars == (size_t)rt->len, "%s: CHAR(%d) value has %zu chars", name,
                              rt->len, chars);
            else
                ck_assert_msg(chars <= (size_t)rt->len, "%s: VARCHAR(%d) value has %zu chars",
                              name, rt->len, chars);
        }
        break;
    }
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ: {
        sl_timestamp_t t = sl_timestamp_truncate(v->ts, rt->len);
        ck_assert_msg(sl_timestamp_valid(v->ts) && t.millis == v->ts.millis && t.nanos == v->ts.nanos,
                      "%s: not a TIMESTAMP(%d) value", name, rt->len);
        break;
    }
    case SL_T_TIME:
        ck_assert_msg(sl_time_truncate(v->time, rt->len) == v->time, "%s: not TIME(%d)", name, rt->len);
        break;
    default:
        break;
    }
}

/* Calls fn as the evaluator does. Returns the rc; *out the result. */
static int invoke(const char *name, call_t *c, sl_value_t *out, sl_err_t *err)
{
    unsigned flags = 0;
    sl_fn_impl_t fn = sl_fn_find(name, &flags);
    ck_assert_msg(fn != NULL, "%s is not implemented", name);
    if (!(flags & SL_FN_NULL_AWARE)) {
        for (int i = 0; i < c->nargs; i++)
            if (c->args[i].null && c->argt[i]->id != SL_T_SYMBOL) {
                *out = sl_value_null();
                return 0;
            }
    }
    sl_fn_ctx_t fc = {
        .arena = &A, .nargs = c->nargs, .argt = c->argt, .rt = c->rt, .call = &c->callx,
        .now_ms = NOW_MS,
    };
    memset(out, 0, sizeof *out);
    sl_err_clear(err);
    return fn(&fc, c->args, out, err);
}

typedef struct fcase {
    const char *fn;
    const char *args[7];
    const char *want;    /* PRINT text; NULL when rc != 0 */
    int rc;
} fcase_t;

#define OK(...) __VA_ARGS__

#define TS "TIMESTAMP(3)|2019-03-01 12:34:56.789"
#define E0 0

static const fcase_t fn_cases[] = {
    /* conditional */
    {"COALESCE", {"INT|\\N", "INT|5"}, "5", E0},
    {"COALESCE", {"INT|\\N", "BIGINT|\\N"}, "<NULL>", E0},
    {"COALESCE", {"STRING|a", "STRING|b"}, "a", E0},
    {"COALESCE", {"INT|\\N", "DECIMAL(5,2)|1.5"}, "1.50", E0},
    {"COALESCE", {"INT|7", "DECIMAL(5,2)|1.5"}, "7.00", E0},
    {"COALESCE", {"CHAR(2)|ab", "CHAR(4)|abcd"}, "ab", E0},
    {"IF", {"BOOLEAN|true", "INT|1", "INT|2"}, "1", E0},
    {"IF", {"BOOLEAN|\\N", "INT|1", "INT|2"}, "2", E0},
    {"IF", {"BOOLEAN|false", "STRING|x", "STRING|\\N"}, "<NULL>", E0},
    {"IF", {"BOOLEAN|true", "INT|1", "BIGINT|2"}, "1", E0},
    {"IFNULL", {"INT|\\N", "INT|7"}, "7", E0},
    {"IFNULL", {"STRING|v", "STRING|d"}, "v", E0},
    {"NULLIF", {"INT|1", "INT|1"}, "<NULL>", E0},
    {"NULLIF", {"INT|1", "INT|2"}, "1", E0},
    {"NULLIF", {"INT|\\N", "INT|2"}, "<NULL>", E0},
    {"NULLIF", {"INT|5", "DECIMAL(3,1)|5.0"}, "<NULL>", E0},
    {"NULLIF", {"STRING|a", "STRING|\\N"}, "a", E0},
    {"GREATEST", {"INT|1", "INT|3", "INT|2"}, "3", E0},
    {"GREATEST", {"INT|1", "INT|\\N"}, "<NULL>", E0},
    {"GREATEST", {"INT|1", "DOUBLE|1.5"}, "1.5", E0},
    {"LEAST", {"STRING|b", "STRING|a"}, "a", E0},
    {"LEAST", {"DATE|2020-01-01", "DATE|2019-12-31"}, "2019-12-31", E0},
    {"LEAST", {"DECIMAL(5,2)|1.50", "INT|1"}, "1.00", E0},
    {"IS_ALPHA", {"STRING|abc"}, "TRUE", E0},
    {"IS_ALPHA", {"STRING|äbc"}, "TRUE", E0},
    {"IS_ALPHA", {"STRING|ab1"}, "FALSE", E0},
    {"IS_ALPHA", {"STRING|\\N"}, "FALSE", E0},
    {"IS_ALPHA", {"STRING|"}, "FALSE", E0},
    {"IS_DIGIT", {"STRING|123"}, "TRUE", E0},
    {"IS_DIGIT", {"STRING|12.3"}, "FALSE", E0},
    {"IS_DIGIT", {"INT|5"}, "TRUE", E0},
    {"IS_DIGIT", {"DOUBLE|5"}, "FALSE", E0},
    {"IS_DECIMAL", {"STRING|12.3"}, "TRUE", E0},
    {"IS_DECIMAL", {"STRING|1e5"}, "TRUE", E0},
    {"IS_DECIMAL", {"STRING|abc"}, "FALSE", E0},
    {"IS_DECIMAL", {"DECIMAL(5,2)|1"}, "TRUE", E0},
    {"TYPEOF", {"DECIMAL(5,2)|1"}, "DECIMAL(5, 2)", E0},
    /* numeric */
    {"ABS", {"INT|-5"}, "5", E0},
    {"ABS", {"INT|-2147483648"}, "-2147483648", E0},
    {"ABS", {"DECIMAL(5,2)|-1.50"}, "1.50", E0},
    {"ABS", {"DOUBLE|-0.5"}, "0.5", E0},
    {"ABS", {"TINYINT|-128"}, "-128", E0},
    {"MOD", {"INT|7", "INT|3"}, "1", E0},
    {"MOD", {"INT|-7", "INT|3"}, "-1", E0},
    {"MOD", {"INT|7", "INT|-3"}, "1", E0},
    {"MOD", {"INT|7", "INT|0"}, NULL, -SL_EDIVZERO},
    {"MOD", {"DECIMAL(5,2)|7.50", "INT|2"}, "1.50", E0},
    {"MOD", {"BIGINT|10", "INT|4"}, "2", E0},
    {"ROUND", {"DECIMAL(5,3)|1.235", "INT|2"}, "1.24", E0},
    {"ROUND", {"DECIMAL(5,3)|-1.235", "INT|2"}, "-1.24", E0},
    {"ROUND", {"DECIMAL(5,2)|99.95", "INT|1"}, "100.0", E0},
    {"ROUND", {"DECIMAL(6,2)|1250.00", "INT|-2"}, "1300", E0},
    {"ROUND", {"DECIMAL(6,2)|1249.99", "INT|-2"}, "1200", E0},
    {"ROUND", {"DECIMAL(5,2)|1.25"}, "1", E0},
    {"ROUND", {"DECIMAL(5,2)|-2.50"}, "-3", E0},
    {"ROUND", {"DOUBLE|2.675", "INT|2"}, "2.68", E0},
    {"ROUND", {"DOUBLE|1.5"}, "2.0", E0},
    {"ROUND", {"DOUBLE|-2.5"}, "-3.0", E0},
    {"ROUND", {"DOUBLE|1234.5678", "INT|-2"}, "1200.0", E0},
    {"ROUND", {"DOUBLE|0.004", "INT|2"}, "0.0", E0},
    {"ROUND", {"DOUBLE|9.995", "INT|2"}, "10.0", E0},
    {"ROUND", {"DOUBLE|-0.004", "INT|2"}, "0.0", E0},
    {"ROUND", {"INT|1250", "INT|-2"}, "1300", E0},
    {"ROUND", {"INT|-1250", "INT|-2"}, "-1300", E0},
    {"ROUND", {"INT|1249", "INT|-2"}, "1200", E0},
    {"ROUND", {"INT|7", "INT|2"}, "7", E0},
    {"ROUND", {"FLOAT|1.25", "INT|1"}, "1.3", E0},
    {"TRUNCATE", {"DOUBLE|2.679", "INT|2"}, "2.67", E0},
    {"TRUNCATE", {"DECIMAL(5,3)|-1.239", "INT|2"}, "-1.23", E0},
    {"TRUNCATE", {"DECIMAL(7,2)|12345.67", "INT|-2"}, "12300", E0},
    {"TRUNCATE", {"INT|1259", "INT|-2"}, "1200", E0},
    {"TRUNCATE", {"INT|-1259", "INT|-2"}, "-1200", E0},
    {"TRUNCATE", {"DOUBLE|-1.99"}, "-1.0", E0},
    {"FLOOR", {"DECIMAL(5,2)|-1.50"}, "-2", E0},
    {"FLOOR", {"DECIMAL(5,2)|1.99"}, "1", E0},
    {"CEIL", {"DECIMAL(5,2)|1.01"}, "2", E0},
    {"CEIL", {"DECIMAL(5,2)|-1.99"}, "-1", E0},
    {"CEILING", {"DECIMAL(5,2)|999.01"}, "1000", E0},
    {"FLOOR", {"DOUBLE|-0.5"}, "-1.0", E0},
    {"CEIL", {"DOUBLE|0.2"}, "1.0", E0},
    {"FLOOR", {"INT|7"}, "7", E0},
    {"FLOOR", {TS, "SYM|HOUR"}, "2019-03-01 12:00:00.000", E0},
    {"CEIL", {TS, "SYM|DAY"}, "2019-03-02 00:00:00.000", E0},
    {"FLOOR", {TS, "SYM|WEEK"}, "2019-02-24 00:00:00.000", E0},
    {"CEIL", {"TIMESTAMP(3)|2019-03-01 00:00:00", "SYM|DAY"}, "2019-03-01 00:00:00.000", E0},
    {"FLOOR", {"DATE|2019-03-15", "SYM|MONTH"}, "2019-03-01", E0},
    {"CEIL", {"DATE|2019-03-15", "SYM|YEAR"}, "2020-01-01", E0},
    {"FLOOR", {"TIME(0)|12:34:56", "SYM|MINUTE"}, "12:34:00", E0},
    {"FLOOR", {"TIME(0)|12:34:56", "SYM|YEAR"}, NULL, -SL_EINVAL},
    {"POWER", {"INT|2", "INT|10"}, "1024.0", E0},
    {"POWER", {"DOUBLE|2", "DOUBLE|0.5"}, "1.4142135623730951", E0},
    {"POWER", {"DECIMAL(3,1)|0.5", "INT|2"}, "0.25", E0},
    {"SQRT", {"INT|16"}, "4.0", E0},
    {"SQRT", {"INT|-1"}, "NaN", E0},
    {"EXP", {"INT|0"}, "1.0", E0},
    {"LN", {"DOUBLE|1"}, "0.0", E0},
    {"LN", {"INT|0"}, "-Infinity", E0},
    {"LOG10", {"INT|1000"}, "3.0", E0},
    {"LOG2", {"INT|8"}, "3.0", E0},
    {"LOG", {"INT|10", "INT|100"}, "2.0", E0},
    {"LOG", {"DOUBLE|1"}, "0.0", E0},
    {"SIN", {"INT|0"}, "0.0", E0},
    {"COS", {"INT|0"}, "1.0", E0},
    {"ATAN2", {"INT|1", "INT|1"}, "0.7853981633974483", E0},
    {"DEGREES", {"DOUBLE|3.141592653589793"}, "180.0", E0},
    {"RADIANS", {"INT|180"}, "3.141592653589793", E0},
    {"SIGN", {"INT|-5"}, "-1", E0},
    {"SIGN", {"BIGINT|0"}, "0", E0},
    {"SIGN", {"DECIMAL(5,2)|3.50"}, "1.00", E0},
    {"SIGN", {"DOUBLE|-0.25"}, "-1.0", E0},
    {"PI", {NULL}, "3.141592653589793", E0},
    {"E", {NULL}, "2.718281828459045", E0},
    {"RAND", {"INT|42"}, "0.7275636800328681", E0},
    {"RAND_INTEGER", {"INT|42", "INT|10"}, "0", E0},
    {"RAND_INTEGER", {"INT|42", "INT|100"}, "30", E0},
    {"RAND_INTEGER", {"INT|42", "INT|16"}, "11", E0},
    {"RAND_INTEGER", {"INT|0"}, NULL, -SL_EINVAL},
    {"UUID", {NULL}, "~uuid", E0},
    {"BIN", {"INT|5"}, "101", E0},
    {"BIN", {"BIGINT|-1"}, "1111111111111111111111111111111111111111111111111111111111111111", E0},
    {"BIN", {"INT|0"}, "0", E0},
    {"HEX", {"INT|255"}, "FF", E0},
    {"HEX", {"BIGINT|-1"}, "FFFFFFFFFFFFFFFF", E0},
    {"HEX", {"STRING|abc"}, "616263", E0},
    /* strings */
    {"CONCAT", {"STRING|a", "STRING|b", "STRING|c"}, "abc", E0},
    {"CONCAT", {"STRING|a", "STRING|\\N"}, "<NULL>", E0},
    {"CONCAT", {"BYTES|AQ==", "BYTES|Ag=="}, "x'0102'", E0},
    {"CONCAT_WS", {"STRING|-", "STRING|a", "STRING|\\N", "STRING|b"}, "a-b", E0},
    {"CONCAT_WS", {"STRING|\\N", "STRING|a"}, "<NULL>", E0},
    {"CONCAT_WS", {"STRING|-", "STRING|\\N"}, "", E0},
    {"SUBSTRING", {"STRING|hello", "INT|2"}, "ello", E0},
    {"SUBSTRING", {"STRING|hello", "INT|2", "INT|3"}, "ell", E0},
    {"SUBSTRING", {"STRING|hello", "INT|0", "INT|2"}, "he", E0},
    {"SUBSTRING", {"STRING|hello", "INT|-3"}, "llo", E0},
    {"SUBSTRING", {"STRING|hello", "INT|-3", "INT|2"}, "ll", E0},
    {"SUBSTRING", {"STRING|hello", "INT|10"}, "", E0},
    {"SUBSTRING", {"STRING|hello", "INT|-10"}, "", E0},
    {"SUBSTRING", {"STRING|hello", "INT|2", "INT|-1"}, "<NULL>", E0},
    {"SUBSTRING", {"STRING|hello", "INT|2", "INT|100"}, "ello", E0},
    {"SUBSTRING", {"VARCHAR(5)|hello", "INT|2", "INT|2"}, "el", E0},
    {"SUBSTR", {"STRING|äöü", "INT|2", "INT|1"}, "ö", E0},
    {"UPPER", {"STRING|abc äö"}, "ABC ÄÖ", E0},
    {"UPPER", {"CHAR(3)|ab "}, "AB ", E0},
    {"LOWER", {"STRING|ABC ÄÖ"}, "abc äö", E0},
    {"INITCAP", {"STRING|hello wORLD-foo 1st"}, "Hello World-Foo 1st", E0},
    {"TRIM", {"SYM|0", "STRING| ", "STRING|  ab  "}, "ab", E0},
    {"TRIM", {"SYM|1", "STRING|x", "STRING|xxabxx"}, "abxx", E0},
    {"TRIM", {"SYM|2", "STRING|xy", "STRING|xyabyx"}, "xyab", E0},
    {"TRIM", {"SYM|0", "STRING|ä", "STRING|äaä"}, "a", E0},
    {"TRIM", {"STRING|  ab "}, "ab", E0},
    {"TRIM", {"SYM|0", "STRING| ", "STRING|\\N"}, "<NULL>", E0},
    {"LTRIM", {"STRING|  ab "}, "ab ", E0},
    {"RTRIM", {"STRING|  ab "}, "  ab", E0},
    {"RTRIM", {"STRING|abxx", "STRING|x"}, "ab", E0},
    {"BTRIM", {"STRING|xxaxx", "STRING|x"}, "a", E0},
    {"CHAR_LENGTH", {"STRING|äöü"}, "3", E0},
    {"CHARACTER_LENGTH", {"STRING|"}, "0", E0},
    {"REPLACE", {"STRING|aXbXc", "STRING|X", "STRING|--"}, "a--b--c", E0},
    {"REPLACE", {"STRING|abc", "STRING|", "STRING|-"}, "-a-b-c-", E0},
    {"REPLACE", {"STRING|aaa", "STRING|aa", "STRING|b"}, "ba", E0},
    {"REPEAT", {"STRING|ab", "INT|3"}, "ababab", E0},
    {"REPEAT", {"STRING|ab", "INT|-1"}, "", E0},
    {"REVERSE", {"STRING|aäb"}, "bäa", E0},
    {"LPAD", {"STRING|hi", "INT|5", "STRING|xy"}, "xyxhi", E0},
    {"LPAD", {"STRING|hello", "INT|3", "STRING|x"}, "hel", E0},
    {"LPAD", {"STRING|hi", "INT|4", "STRING|"}, "<NULL>", E0},
    {"LPAD", {"STRING|hi", "INT|0", "STRING|x"}, "", E0},
    {"RPAD", {"STRING|hi", "INT|5", "STRING|xy"}, "hixyx", E0},
    {"RPAD", {"STRING|hi", "INT|-1", "STRING|x"}, "<NULL>", E0},
    {"RPAD", {"STRING|ä", "INT|3", "STRING|ö"}, "äöö", E0},
    {"LEFT", {"STRING|hello", "INT|2"}, "he", E0},
    {"LEFT", {"STRING|hello", "INT|-1"}, "", E0},
    {"RIGHT", {"STRING|hello", "INT|2"}, "lo", E0},
    {"RIGHT", {"STRING|hello", "INT|10"}, "hello", E0},
    {"POSITION", {"STRING|ll", "STRING|hello"}, "3", E0},
    {"POSITION", {"STRING|z", "STRING|hello"}, "0", E0},
    {"POSITION", {"STRING|", "STRING|hello"}, "1", E0},
    {"LOCATE", {"STRING|l", "STRING|hello", "INT|4"}, "4", E0},
    {"LOCATE", {"STRING|ö", "STRING|äöü"}, "2", E0},
    {"LOCATE", {"STRING|l", "STRING|hello", "INT|9"}, "0", E0},
    {"INSTR", {"STRING|hello hello", "STRING|ll"}, "3", E0},
    {"INSTR", {"STRING|hello hello", "STRING|ll", "INT|1", "INT|2"}, "9", E0},
    {"INSTR", {"STRING|hello hello", "STRING|ll", "INT|-1"}, "9", E0},
    {"INSTR", {"STRING|hello hello", "STRING|ll", "INT|-1", "INT|2"}, "3", E0},
    {"INSTR", {"STRING|hello", "STRING|ll", "INT|0"}, "0", E0},
    {"INSTR", {"STRING|hello", "STRING|l", "INT|1", "INT|0"}, NULL, -SL_EINVAL},
    {"STARTSWITH", {"STRING|hello", "STRING|he"}, "TRUE", E0},
    {"ENDSWITH", {"STRING|hello", "STRING|he"}, "FALSE", E0},
    {"SPLIT_INDEX", {"STRING|a,b,,c", "STRING|,", "INT|2"}, "", E0},
    {"SPLIT_INDEX", {"STRING|a,b,,c", "STRING|,", "INT|3"}, "c", E0},
    {"SPLIT_INDEX", {"STRING|a,b,c", "STRING|,", "INT|3"}, "<NULL>", E0},
    {"SPLIT_INDEX", {"STRING|a::b", "STRING|::", "INT|1"}, "b", E0},
    {"SPLIT_INDEX", {"STRING|a,b", "STRING|,", "INT|-1"}, "<NULL>", E0},
    {"SPLIT_INDEX", {"STRING|a b", "STRING|", "INT|1"}, "b", E0},
    {"SPLIT_INDEX", {"STRING|", "STRING|,", "INT|0"}, "<NULL>", E0},
    {"SPLIT", {"STRING|a,b,,c", "STRING|,"}, "[a, b, , c]", E0},
    {"SPLIT", {"STRING|abc", "STRING|"}, "[a, b, c]", E0},
    {"TRANSLATE", {"STRING|abcabc", "STRING|ab", "STRING|x"}, "xcxc", E0},
    {"OVERLAY", {"STRING|abcdefg", "STRING|XY", "INT|3"}, "abXYefg", E0},
    {"OVERLAY", {"STRING|abcdefg", "STRING|XY", "INT|3", "INT|0"}, "abXY", E0},
    {"OVERLAY", {"STRING|abcdefg", "STRING|XY", "INT|3", "INT|1"}, "abXYdefg", E0},
    {"ASCII", {"STRING|abc"}, "97", E0},
    {"ASCII", {"STRING|"}, "0", E0},
    {"CHR", {"INT|65"}, "A", E0},
    {"CHR", {"INT|233"}, "é", E0},
    {"REGEXP_EXTRACT", {"STRING|foothebar", "STRING|foo(.*)(bar)", "INT|2"}, "bar", E0},
    {"REGEXP_EXTRACT", {"STRING|foothebar", "STRING|foo(.*)(bar)", "INT|1"}, "the", E0},
    {"REGEXP_EXTRACT", {"STRING|abc123def", "STRING|\\d+"}, "123", E0},
    {"REGEXP_EXTRACT", {"STRING|abc", "STRING|(\\d+)", "INT|1"}, "<NULL>", E0},
    {"REGEXP_EXTRACT", {"STRING|abc", "STRING|(b)", "INT|2"}, "<NULL>", E0},
    {"REGEXP_EXTRACT", {"STRING|abc", "STRING|(", "INT|1"}, NULL, -SL_EFORMAT},
    {"REGEXP_EXTRACT", {"STRING|a1b22", "STRING|(?:[a-z])(\\d\\d)", "INT|1"}, "22", E0},
    {"REGEXP_EXTRACT", {"STRING|k=v; x=y", "STRING|(\\w+)=(\\w+)", "INT|2"}, "v", E0},
    {"REGEXP_EXTRACT", {"STRING|axb", "STRING|a(.*?)b", "INT|1"}, NULL, -SL_EFORMAT},
    {"REGEXP_EXTRACT", {"STRING|a.b", "STRING|\\Q.\\E(b)", "INT|1"}, "b", E0},
    {"REGEXP_EXTRACT_ALL", {"STRING|a1b22c333", "STRING|(\\d+)"}, "[1, 22, 333]", E0},
    {"REGEXP_REPLACE", {"STRING|a1b22c", "STRING|\\d+", "STRING|#"}, "a#b#c", E0},
    {"REGEXP_REPLACE", {"STRING|abc", "STRING|b*", "STRING|-"}, "-a--c-", E0},
    {"REGEXP_REPLACE", {"STRING|a.b", "STRING|\\.", "STRING|$1"}, "a$1b", E0},
    {"REGEXP_REPLACE", {"STRING|äöü", "STRING|ö", "STRING|o"}, "äoü", E0},
    {"REGEXP_REPLACE", {"STRING|x", "STRING|[", "STRING|y"}, NULL, -SL_EFORMAT},
    {"REGEXP", {"STRING|abc123", "STRING|[0-9]{3}$"}, "TRUE", E0},
    {"REGEXP", {"STRING|abc", "STRING|"}, "FALSE", E0},
    {"REGEXP", {"STRING|ABC", "STRING|^abc"}, "FALSE", E0},
    {"REGEXP", {"STRING|ABC", "STRING|(?i)^abc"}, "TRUE", E0},
    {"REGEXP", {"STRING|a b", "STRING|\\s"}, "TRUE", E0},
    {"REGEXP", {"STRING|ab", "STRING|[\\d]"}, "FALSE", E0},
    {"REGEXP_COUNT", {"STRING|aXbXc", "STRING|X"}, "2", E0},
    {"REGEXP_INSTR", {"STRING|äbc1", "STRING|\\d"}, "4", E0},
    {"REGEXP_SUBSTR", {"STRING|ab12cd", "STRING|\\d+"}, "12", E0},
    {"STR_TO_MAP", {"STRING|a=1,b=2"}, "{a=1, b=2}", E0},
    {"STR_TO_MAP", {"STRING|a:1;b", "STRING|;", "STRING|:"}, "{a=1, b=null}", E0},
    {"MD5", {"STRING|"}, "d41d8cd98f00b204e9800998ecf8427e", E0},
    {"MD5", {"STRING|abc"}, "900150983cd24fb0d6963f7d28e17f72", E0},
    {"MD5", {"STRING|12345678901234567890123456789012345678901234567890123456789012345678901234567890"},
     "57edf4a22be3c955ac49da2e2107b67a", E0},
    {"MD5", {"BYTES|YWJj"}, "900150983cd24fb0d6963f7d28e17f72", E0},
    {"SHA1", {"STRING|abc"}, "a9993e364706816aba3e25717850c26c9cd0d89d", E0},
    {"SHA224", {"STRING|abc"}, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", E0},
    {"SHA256", {"STRING|abc"}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", E0},
    {"SHA256", {"STRING|abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"},
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", E0},
    {"SHA384", {"STRING|abc"},
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", E0},
    {"SHA512", {"STRING|abc"},
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", E0},
    {"SHA2", {"STRING|abc", "INT|256"}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", E0},
    {"SHA2", {"STRING|abc", "INT|100"}, "<NULL>", E0},
    {"TO_BASE64", {"STRING|hello world"}, "aGVsbG8gd29ybGQ=", E0},
    {"TO_BASE64", {"BYTES|AQID"}, "AQID", E0},
    {"TO_BASE64", {"STRING|"}, "", E0},
    {"FROM_BASE64", {"STRING|aGVsbG8gd29ybGQ="}, "hello world", E0},
    {"FROM_BASE64", {"STRING|!!!"}, NULL, -SL_EFORMAT},
    {"UNHEX", {"STRING|616263"}, "x'616263'", E0},
    {"UNHEX", {"STRING|zz"}, "<NULL>", E0},
    {"URL_ENCODE", {"STRING|a b&c=ä"}, "a+b%26c%3D%C3%A4", E0},
    {"URL_DECODE", {"STRING|a+b%26c%3D%C3%A4"}, "a b&c=ä", E0},
    {"URL_DECODE", {"STRING|%zz"}, "<NULL>", E0},
    {"PARSE_URL", {"STRING|http://user@host.com:8080/p/a?x=1&y=2#frag", "STRING|HOST"}, "host.com", E0},
    {"PARSE_URL", {"STRING|http://host.com/p/a?x=1&y=2#frag", "STRING|QUERY"}, "x=1&y=2", E0},
    {"PARSE_URL", {"STRING|http://host.com/p/a?x=1&y=2#frag", "STRING|QUERY", "STRING|y"}, "2", E0},
    {"PARSE_URL", {"STRING|http://host.com/p/a?x=1", "STRING|PATH"}, "/p/a", E0},
    {"PARSE_URL", {"STRING|http://host.com/p?x=1#r", "STRING|REF"}, "r", E0},
    {"PARSE_URL", {"STRING|not a url", "STRING|HOST"}, "<NULL>", E0},
    {"ELT", {"INT|2", "STRING|a", "STRING|b"}, "b", E0},
    {"ELT", {"INT|3", "STRING|a", "STRING|b"}, "<NULL>", E0},
    {"ENCODE", {"STRING|ä", "STRING|ISO-8859-1"}, "x'e4'", E0},
    {"DECODE", {"BYTES|5A==", "STRING|ISO-8859-1"}, "ä", E0},
    {"DECODE", {"BYTES|5A==", "STRING|KOI8-R"}, NULL, -SL_EINVAL},
    /* temporal; now is 2019-03-01 12:34:56.789 UTC */
    {"DATE_FORMAT", {TS, "STRING|yyyy-MM-dd HH:mm:ss"}, "2019-03-01 12:34:56", E0},
    {"DATE_FORMAT", {TS, "STRING|yyyyMMdd HH:mm:ss.SSS"}, "20190301 12:34:56.789", E0},
    {"DATE_FORMAT", {TS, "STRING|EEE, d MMM yyyy h:mm a"}, "Fri, 1 Mar 2019 12:34 PM", E0},
    {"DATE_FORMAT", {TS, "STRING|EEEE MMMM dd yy"}, "Friday March 01 19", E0},
    {"DATE_FORMAT", {TS, "STRING|'Day' D 'of' yyyy, ''Q''Q"}, "Day 60 of 2019, '1'1", E0},
    {"DATE_FORMAT", {TS, "STRING|yyyy-MM-dd'T'HH:mm:ssXXX"}, "2019-03-01T12:34:56Z", E0},
    {"DATE_FORMAT", {TS, "STRING|HH:mm:ss.S Z"}, "12:34:56.7 +0000", E0},
    {"DATE_FORMAT", {TS, "STRING|bbb"}, NULL, -SL_EFORMAT},
    {"DATE_FORMAT", {TS, "STRING|'unterminated"}, NULL, -SL_EFORMAT},
    {"DATE_FORMAT", {"TIMESTAMP(3)|2019-03-01 00:05:00", "STRING|hh:mm a k K H"}, "12:05 AM 24 0 0", E0},
    {"DATE_FORMAT", {"TIMESTAMP(6)|2019-03-01 00:00:00.123456", "STRING|SSSSSS"}, "123456", E0},
    {"DATE_FORMAT", {"STRING|2019-03-01 12:34:56", "STRING|MM/dd/yyyy"}, "03/01/2019", E0},
    {"DATE_FORMAT", {"STRING|2019-03-01 12:34:56.5", "STRING|S"}, "0", E0},
    {"DATE_FORMAT", {"STRING|not a date", "STRING|yyyy"}, "<NULL>", E0},
    {"DATE_FORMAT", {"DATE|2019-03-01", "STRING|yyyy/MM/dd"}, "2019/03/01", E0},
    {"DATE_FORMAT", {"TIMESTAMP_LTZ(3)|2019-03-01 12:34:56.789", "STRING|yyyy-MM-dd HH"}, "2019-03-01 12", E0},
    {"TO_TIMESTAMP", {"STRING|2019-03-01 12:34:56"}, "2019-03-01 12:34:56.000", E0},
    {"TO_TIMESTAMP", {"STRING|01/03/2019 12:34", "STRING|dd/MM/yyyy HH:mm"}, "2019-03-01 12:34:00.000", E0},
    {"TO_TIMESTAMP", {"STRING|20190301", "STRING|yyyyMMdd"}, "2019-03-01 00:00:00.000", E0},
    {"TO_TIMESTAMP", {"STRING|garbage"}, "<NULL>", E0},
    {"TO_TIMESTAMP", {"STRING|2019-03-01 12:34:56.123456", "STRING|yyyy-MM-dd HH:mm:ss.SSSSSS"},
     "2019-03-01 12:34:56.123", E0},
    {"TO_TIMESTAMP", {"STRING|2019-3-1 1:2:3", "STRING|yyyy-MM-dd HH:mm:ss"}, "2019-03-01 01:02:03.000", E0},
    {"TO_TIMESTAMP", {"STRING|12 PM 2019-03-01", "STRING|hh a yyyy-MM-dd"}, "2019-03-01 12:00:00.000", E0},
    {"TO_TIMESTAMP", {"STRING|x", "STRING|yyyy-bb"}, NULL, -SL_EFORMAT},
    {"TO_DATE", {"STRING|2019-03-01"}, "2019-03-01", E0},
    {"TO_DATE", {"STRING|01.03.2019", "STRING|dd.MM.yyyy"}, "2019-03-01", E0},
    {"TO_DATE", {"STRING|xx"}, "<NULL>", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|1551443696789", "INT|3"}, "2019-03-01 12:34:56.789", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|1551443696", "INT|0"}, "2019-03-01 12:34:56.000", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|1551443696789"}, "2019-03-01 12:34:56.789", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|1", "INT|6"}, NULL, -SL_EINVAL},
    {"TO_TIMESTAMP_LTZ", {"DOUBLE|1551443696.5", "INT|0"}, "2019-03-01 12:34:56.500", E0},
    {"TO_TIMESTAMP_LTZ", {"DECIMAL(15,3)|1551443696.789", "INT|0"}, "2019-03-01 12:34:56.000", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|\\N", "INT|3"}, "<NULL>", E0},
    {"TO_TIMESTAMP_LTZ", {"BIGINT|253402300800000", "INT|3"}, "<NULL>", E0},
    {"TO_TIMESTAMP_LTZ", {"STRING|2019-03-01 12:34:56.789"}, "2019-03-01 12:34:56.789", E0},
    {"TO_TIMESTAMP_LTZ", {"STRING|2019-03-01 20:00:00", "STRING|yyyy-MM-dd HH:mm:ss",
                          "STRING|Asia/Shanghai"}, "2019-03-01 12:00:00.000", E0},
    {"UNIX_TIMESTAMP", {NULL}, "1551443696", E0},
    {"UNIX_TIMESTAMP", {"STRING|2019-03-01 12:34:56"}, "1551443696", E0},
    {"UNIX_TIMESTAMP", {"STRING|2019-03-01 12:34:56.999 trailing"}, "1551443696", E0},
    {"UNIX_TIMESTAMP", {"STRING|20190301", "STRING|yyyyMMdd"}, "1551398400", E0},
    {"UNIX_TIMESTAMP", {"STRING|bad"}, "-9223372036854775808", E0},
    {"FROM_UNIXTIME", {"BIGINT|1551443696"}, "2019-03-01 12:34:56", E0},
    {"FROM_UNIXTIME", {"BIGINT|0", "STRING|yyyy-MM-dd"}, "1970-01-01", E0},
    {"FROM_UNIXTIME", {"BIGINT|-1"}, "1969-12-31 23:59:59", E0},
    {"EXTRACT", {"SYM|YEAR", TS}, "2019", E0},
    {"EXTRACT", {"SYM|DOW", "DATE|2019-03-01"}, "6", E0},
    {"EXTRACT", {"SYM|HOUR", "TIME(0)|12:34:56"}, "12", E0},
    {"EXTRACT", {"SYM|DAY", "INTERVAL_DT|90061001"}, "1", E0},
    {"EXTRACT", {"SYM|HOUR", "INTERVAL_DT|90061001"}, "1", E0},
    {"EXTRACT", {"SYM|MONTH", "INTERVAL_YM|14"}, "2", E0},
    {"EXTRACT", {"SYM|HOUR", "DATE|2019-03-01"}, NULL, -SL_EINVAL},
    {"EXTRACT", {"SYM|EPOCH", TS}, "1551443696", E0},
    {"YEAR", {"DATE|2019-03-01"}, "2019", E0},
    {"QUARTER", {"DATE|2019-08-01"}, "3", E0},
    {"MONTH", {TS}, "3", E0},
    {"WEEK", {"DATE|2019-12-30"}, "1", E0},
    {"DAYOFYEAR", {"DATE|2019-03-01"}, "60", E0},
    {"DAYOFMONTH", {"DATE|2019-03-01"}, "1", E0},
    {"DAYOFWEEK", {"DATE|2019-03-03"}, "1", E0},
    {"HOUR", {TS}, "12", E0},
    {"MINUTE", {TS}, "34", E0},
    {"SECOND", {TS}, "56", E0},
    {"HOUR", {"DATE|2019-03-01"}, "0", E0},
    {"HOUR", {"TIMESTAMP(3)|\\N"}, "<NULL>", E0},
    {"TIMESTAMPADD", {"SYM|DAY", "INT|1", "TIMESTAMP(3)|2019-02-28 10:00:00"}, "2019-03-01 10:00:00.000", E0},
    {"TIMESTAMPADD", {"SYM|MONTH", "INT|1", "DATE|2020-01-31"}, "2020-02-29", E0},
    {"TIMESTAMPADD", {"SYM|HOUR", "INT|-25", "TIMESTAMP(3)|2019-03-01 00:00:00"}, "2019-02-27 23:00:00.000", E0},
    {"TIMESTAMPADD", {"SYM|WEEK", "INT|2", "DATE|2019-03-01"}, "2019-03-15", E0},
    {"TIMESTAMPADD", {"SYM|HOUR", "INT|3", "DATE|2019-03-01"}, "2019-03-01 03:00:00.000000", E0},
    {"TIMESTAMPADD", {"SYM|QUARTER", "INT|1", "DATE|2019-11-30"}, "2020-02-29", E0},
    {"TIMESTAMPADD", {"SYM|YEAR", "INT|1", "TIMESTAMP(3)|9999-06-01 00:00:00"}, NULL, -SL_ERANGE},
    {"TIMESTAMPDIFF", {"SYM|DAY", "TIMESTAMP(3)|2019-03-01 00:00:00", "TIMESTAMP(3)|2019-03-03 12:00:00"}, "2", E0},
    {"TIMESTAMPDIFF", {"SYM|MONTH", "DATE|2020-01-31", "DATE|2020-02-29"}, "1", E0},
    {"TIMESTAMPDIFF", {"SYM|SECOND", "TIMESTAMP(3)|2019-03-01 00:00:01", "TIMESTAMP(3)|2019-03-01 00:00:00"}, "-1", E0},
    {"TIMESTAMPDIFF", {"SYM|YEAR", "DATE|2000-02-29", "DATE|2019-02-28"}, "19", E0},
    {"TIMESTAMPDIFF", {"SYM|YEAR", "DATE|2000-03-01", "DATE|2019-02-28"}, "18", E0},
    {"TIMESTAMPDIFF", {"SYM|SECOND", "TIMESTAMP(3)|1900-01-01 00:00:00", "TIMESTAMP(3)|2000-01-01 00:00:00"},
     "-1139293696", E0},
    {"CURRENT_TIMESTAMP", {NULL}, "2019-03-01 12:34:56.789", E0},
    {"NOW", {NULL}, "2019-03-01 12:34:56.789", E0},
    {"LOCALTIMESTAMP", {NULL}, "2019-03-01 12:34:56.789", E0},
    {"CURRENT_DATE", {NULL}, "2019-03-01", E0},
    {"CURRENT_TIME", {NULL}, "12:34:56", E0},
    {"LOCALTIME", {NULL}, "12:34:56", E0},
    {"PROCTIME", {NULL}, "2019-03-01 12:34:56.789", E0},
    {"CURRENT_ROW_TIMESTAMP", {NULL}, "2019-03-01 12:34:56.789", E0},
    {"CURRENT_DATABASE", {NULL}, "default_database", E0},
    {"CONVERT_TZ", {"STRING|2019-03-01 12:00:00", "STRING|UTC", "STRING|Asia/Shanghai"}, "2019-03-01 20:00:00", E0},
    {"CONVERT_TZ", {"STRING|2019-07-01 12:00:00", "STRING|America/New_York", "STRING|UTC"}, "2019-07-01 16:00:00", E0},
    {"CONVERT_TZ", {"STRING|2019-01-01 12:00:00", "STRING|America/New_York", "STRING|GMT+01:00"},
     "2019-01-01 18:00:00", E0},
    {"CONVERT_TZ", {"STRING|2019-03-10 02:30:00", "STRING|America/New_York", "STRING|UTC"},
     "2019-03-10 07:30:00", E0},
    {"CONVERT_TZ", {"STRING|2019-01-01 12:00:00", "STRING|Mars/Olympus", "STRING|UTC"}, NULL, -SL_EINVAL},
    {"CONVERT_TZ", {"STRING|2019-01-01 12:00:00", "STRING|../../etc/passwd", "STRING|UTC"}, NULL, -SL_EINVAL},
    {"CONVERT_TZ", {"STRING|nope", "STRING|UTC", "STRING|UTC"}, "<NULL>", E0},
    /* collections */
    {"CARDINALITY", {"ARRAY<INT>|[1,2,3]"}, "3", E0},
    {"CARDINALITY", {"MAP<STRING,INT>|{a=1}"}, "1", E0},
    {"ELEMENT", {"ARRAY<INT>|[7]"}, "7", E0},
    {"ELEMENT", {"ARRAY<INT>|[]"}, "<NULL>", E0},
    {"ELEMENT", {"ARRAY<INT>|[1,2]"}, NULL, -SL_EINVAL},
    {"ARRAY_CONTAINS", {"ARRAY<INT>|[1,2]", "INT|2"}, "TRUE", E0},
    {"ARRAY_CONTAINS", {"ARRAY<INT>|[1,null]", "INT|\\N"}, "TRUE", E0},
    {"ARRAY_CONTAINS", {"ARRAY<INT>|[1,2]", "INT|\\N"}, "FALSE", E0},
    {"ARRAY_CONTAINS", {"ARRAY<INT>|\\N", "INT|1"}, "<NULL>", E0},
    {"ARRAY_CONTAINS", {"ARRAY<STRING>|[a,b]", "STRING|c"}, "FALSE", E0},
    {"ARRAY_CONTAINS", {"ARRAY<BIGINT>|[5]", "INT|5"}, "TRUE", E0},
    {"ARRAY_POSITION", {"ARRAY<INT>|[5,6,6]", "INT|6"}, "2", E0},
    {"ARRAY_REMOVE", {"ARRAY<INT>|[1,2,1,null]", "INT|1"}, "[2, null]", E0},
    {"ARRAY_APPEND", {"ARRAY<INT>|[1]", "INT|\\N"}, "[1, null]", E0},
    {"ARRAY_PREPEND", {"ARRAY<INT>|[1]", "BIGINT|2"}, "[2, 1]", E0},
    {"ARRAY_REVERSE", {"ARRAY<INT>|[1,2,3]"}, "[3, 2, 1]", E0},
    {"ARRAY_DISTINCT", {"ARRAY<INT>|[1,null,1,null,2]"}, "[1, null, 2]", E0},
    {"ARRAY_SLICE", {"ARRAY<INT>|[1,2,3,4]", "INT|2", "INT|3"}, "[2, 3]", E0},
    {"ARRAY_SLICE", {"ARRAY<INT>|[1,2,3,4]", "INT|-2"}, "[3, 4]", E0},
    {"ARRAY_SLICE", {"ARRAY<INT>|[1,2,3,4]", "INT|3", "INT|2"}, "[]", E0},
    {"ARRAY_CONCAT", {"ARRAY<INT>|[1]", "ARRAY<INT>|[2,3]"}, "[1, 2, 3]", E0},
    {"ARRAY_UNION", {"ARRAY<INT>|[1,2]", "ARRAY<INT>|[2,3]"}, "[1, 2, 3]", E0},
    {"ARRAY_INTERSECT", {"ARRAY<INT>|[1,2,2]", "ARRAY<INT>|[2,3]"}, "[2]", E0},
    {"ARRAY_EXCEPT", {"ARRAY<INT>|[1,2,1]", "ARRAY<INT>|[2]"}, "[1]", E0},
    {"ARRAY_MAX", {"ARRAY<INT>|[1,null,3]"}, "3", E0},
    {"ARRAY_MIN", {"ARRAY<STRING>|[b,a]"}, "a", E0},
    {"ARRAY_MAX", {"ARRAY<INT>|[]"}, "<NULL>", E0},
    {"ARRAY_JOIN", {"ARRAY<STRING>|[a,null,b]", "STRING|-"}, "a-b", E0},
    {"ARRAY_JOIN", {"ARRAY<STRING>|[a,null,b]", "STRING|-", "STRING|?"}, "a-?-b", E0},
    {"ARRAY_SORT", {"ARRAY<INT>|[3,null,1,2]"}, "[null, 1, 2, 3]", E0},
    {"ARRAY_SORT", {"ARRAY<INT>|[3,null,1,2]", "BOOLEAN|false"}, "[3, 2, 1, null]", E0},
    {"MAP_KEYS", {"MAP<STRING,INT>|{a=1,b=2}"}, "[a, b]", E0},
    {"MAP_VALUES", {"MAP<STRING,INT>|{a=1,b=2}"}, "[1, 2]", E0},
    {"MAP_ENTRIES", {"MAP<STRING,INT>|{a=1}"}, "[(a, 1)]", E0},
    {"MAP_FROM_ARRAYS", {"ARRAY<STRING>|[a,b,a]", "ARRAY<INT>|[1,2,3]"}, "{a=3, b=2}", E0},
    {"MAP_FROM_ARRAYS", {"ARRAY<STRING>|[a]", "ARRAY<INT>|[1,2]"}, NULL, -SL_EINVAL},
    {"MAP_UNION", {"MAP<STRING,INT>|{a=1,b=2}", "MAP<STRING,INT>|{b=3}"}, "{a=1, b=3}", E0},
    /* JSON */
    {"JSON_VALUE", {"STRING|{\"a\":{\"b\":[1,2,\"x\"]}}", "STRING|$.a.b[2]"}, "x", E0},
    {"JSON_VALUE", {"STRING|{\"a\":{\"b\":[1,2.5e1]}}", "STRING|$.a.b[1]"}, "25.0", E0},
    {"JSON_VALUE", {"STRING|{\"a\":1}", "STRING|$.b"}, "<NULL>", E0},
    {"JSON_VALUE", {"STRING|{\"a\":{\"c\":1}}", "STRING|$.a"}, "<NULL>", E0},
    {"JSON_VALUE", {"STRING|{\"a\":null}", "STRING|$.a"}, "<NULL>", E0},
    {"JSON_VALUE", {"STRING|not json", "STRING|$.a"}, "<NULL>", E0},
    {"JSON_VALUE", {"STRING|{\"a\":1}", "STRING|a"}, "<NULL>", E0},
    {"JSON_VALUE", {"STRING|{\"a\":\"\\u00e4\\\"\"}", "STRING|$.a"}, "ä\"", E0},
    {"JSON_VALUE", {"STRING|{\"a\":true}", "STRING|lax $.a"}, "true", E0},
    {"JSON_VALUE", {"STRING| [10, 20] ", "STRING|$[1]"}, "20", E0},
    {"JSON_VALUE", {"STRING|{\"a b\":3}", "STRING|$['a b']"}, "3", E0},
    {"JSON_VALUE", {"STRING|\\N", "STRING|$.a"}, "<NULL>", E0},
    {"JSON_QUERY", {"STRING|{\"a\":{\"b\": [1, \"x y\"]}}", "STRING|$.a"}, "{\"b\":[1,\"x y\"]}", E0},
    {"JSON_QUERY", {"STRING|{\"a\":1}", "STRING|$.a"}, "<NULL>", E0},
    {"JSON_EXISTS", {"STRING|{\"a\":null}", "STRING|$.a"}, "TRUE", E0},
    {"JSON_EXISTS", {"STRING|{\"a\":null}", "STRING|$.b"}, "FALSE", E0},
    {"JSON_STRING", {"INT|1"}, "1", E0},
    {"JSON_STRING", {"STRING|a\"b"}, "\"a\\\"b\"", E0},
    {"JSON_STRING", {"ARRAY<INT>|[1,null]"}, "[1,null]", E0},
    {"JSON_QUOTE", {"STRING|a\nb"}, "\"a\\nb\"", E0},
    {"JSON_UNQUOTE", {"STRING|\"a\\nb\""}, "a\nb", E0},
    {"JSON_UNQUOTE", {"STRING|abc"}, "abc", E0},
};

START_TEST(test_fn_table)
{
    const fcase_t *k = &fn_cases[_i];
    call_t c;
    sl_err_t err;
    sl_err_clear(&err);
    ck_assert_msg(build(k->fn, k->args, &c, &err), "case %d: binder rejects %s: %s", _i, k->fn,
                  err.msg);
    sl_value_t out;
    int rc = invoke(k->fn, &c, &out, &err);
    ck_assert_msg(rc == k->rc, "case %d: %s: rc %s want %s (%s)", _i, k->fn, sl_err_name(rc),
                  sl_err_name(k->rc), err.msg);
    if (rc) {
        ck_assert_msg(err.msg[0] != '\0', "case %d: %s: no error message", _i, k->fn);
        ck_assert_int_eq(err.off, -1);
        return;
    }
    check_fits(k->fn, &out, c.rt);
    const char *got = fmt(&out, c.rt);
    if (!strcmp(k->want, "~uuid")) {
        ck_assert_int_eq((int)strlen(got), 36);
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) ck_assert_int_eq(got[i], '-');
            else ck_assert(isxdigit((unsigned char)got[i]) && !isupper((unsigned char)got[i]));
        }
        ck_assert_int_eq(got[14], '4');
        return;
    }
    ck_assert_msg(strcmp(got, k->want) == 0, "case %d: %s = '%s', want '%s'", _i, k->fn, got,
                  k->want);
}
END_TEST

START_TEST(test_fn_registry)
{
    unsigned flags = 99;
    ck_assert_ptr_nonnull(sl_fn_find("coalesce", &flags));
    ck_assert_uint_eq(flags, SL_FN_NULL_AWARE);
    ck_assert_ptr_nonnull(sl_fn_find("Upper", &flags));
    ck_assert_uint_eq(flags, 0);
    ck_assert_ptr_null(sl_fn_find("NO_SUCH_FUNCTION", &flags));
    ck_assert_ptr_null(sl_fn_find(NULL, NULL));
    ck_assert_ptr_nonnull(sl_fn_find("MD5", NULL));
    /* every implementation is keyed by a scalar built-in the binder knows */
    int n = 0;
    for (const char *name; (name = sl_fn_name_at(n)); n++) {
        const sl_func_t *f = sl_func_lookup_kind(name, -1, SL_FN_SCALAR);
        ck_assert_msg(f != NULL, "%s is not a scalar built-in of the binder", name);
        ck_assert_ptr_eq(sl_fn_find(name, NULL), sl_fn_find(f->name, NULL));
    }
    ck_assert_int_ge(n, 150);
    ck_assert_ptr_null(sl_fn_name_at(-1));
    /* the functions the brief requires */
    static const char *const required[] = {
        "COALESCE", "IF", "IFNULL", "NULLIF", "GREATEST", "LEAST", "CONCAT", "CONCAT_WS",
        "SUBSTRING", "SUBSTR", "UPPER", "LOWER", "INITCAP", "TRIM", "LTRIM", "RTRIM", "BTRIM",
        "CHAR_LENGTH", "CHARACTER_LENGTH", "REPLACE", "REPEAT", "REVERSE", "LPAD", "RPAD",
        "LEFT", "RIGHT", "POSITION", "LOCATE", "INSTR", "SPLIT_INDEX", "REGEXP_EXTRACT",
        "REGEXP_REPLACE", "REGEXP", "MD5", "SHA1", "SHA256", "TO_BASE64", "FROM_BASE64", "ABS",
        "MOD", "ROUND", "TRUNCATE", "FLOOR", "CEIL", "POWER", "SQRT", "EXP", "LN", "LOG10",
        "LOG2", "LOG", "SIGN", "PI", "E", "RAND", "RAND_INTEGER", "UUID", "DATE_FORMAT",
        "TO_TIMESTAMP", "TO_DATE", "TO_TIMESTAMP_LTZ", "UNIX_TIMESTAMP", "FROM_UNIXTIME",
        "EXTRACT", "YEAR", "QUARTER", "MONTH", "WEEK", "DAYOFYEAR", "DAYOFMONTH", "DAYOFWEEK",
        "HOUR", "MINUTE", "SECOND", "TIMESTAMPADD", "TIMESTAMPDIFF", "CURRENT_TIMESTAMP", "NOW",
        "LOCALTIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "PROCTIME",
        "CURRENT_ROW_TIMESTAMP", "CONVERT_TZ", "CARDINALITY", "ELEMENT", "ARRAY_CONTAINS",
        "MAP_KEYS", "MAP_VALUES", "JSON_VALUE", "HEX", "TYPEOF",
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        ck_assert_msg(sl_fn_find(required[i], NULL) != NULL, "%s missing", required[i]);
}
END_TEST

START_TEST(test_rand_sequences)
{
    /* RAND(seed) continues one java.util.Random per call site */
    call_t c;
    sl_err_t err;
    const char *args[] = {"INT|42", NULL};
    ck_assert(build("RAND", args, &c, &err));
    static const char *const want[] = {"0.7275636800328681", "0.6832234717598454",
                                       "0.30871945533265976"};
    for (int i = 0; i < 3; i++) {
        sl_value_t out;
        ck_assert_int_eq(invoke("RAND", &c, &out, &err), 0);
        ck_assert_str_eq(fmt(&out, c.rt), want[i]);
    }
    /* another call site starts over */
    call_t c2;
    ck_assert(build("RAND", args, &c2, &err));
    sl_value_t out;
    ck_assert_int_eq(invoke("RAND", &c2, &out, &err), 0);
    ck_assert_str_eq(fmt(&out, c2.rt), want[0]);
    /* unseeded values are in [0, 1) and vary */
    const char *none[] = {NULL};
    ck_assert(build("RAND", none, &c, &err));
    double prev = -1;
    int same = 0;
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(invoke("RAND", &c, &out, &err), 0);
        ck_assert(out.f64 >= 0 && out.f64 < 1);
        same += out.f64 == prev;
        prev = out.f64;
    }
    ck_assert_int_lt(same, 3);
    const char *bound[] = {"INT|7", NULL};
    ck_assert(build("RAND_INTEGER", bound, &c, &err));
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(invoke("RAND_INTEGER", &c, &out, &err), 0);
        ck_assert(out.i64 >= 0 && out.i64 < 7);
    }
}
END_TEST

/* ---- arithmetic --------------------------------------------------------------------- */

typedef struct acase {
    int op;
    const char *a, *b, *rt;   /* "TYPE|text"; rt a type spec */
    const char *want;
    int rc;
} acase_t;

static const acase_t arith_cases[] = {
    {SL_OP_ADD, "INT|2147483647", "INT|1", "INT", "-2147483648", 0},
    {SL_OP_ADD, "BIGINT|9223372036854775807", "BIGINT|1", "BIGINT", "-9223372036854775808", 0},
    {SL_OP_MUL, "INT|65536", "INT|65536", "INT", "0", 0},
    {SL_OP_MUL, "BIGINT|4294967296", "BIGINT|4294967296", "BIGINT", "0", 0},
    {SL_OP_SUB, "TINYINT|-128", "TINYINT|1", "TINYINT", "127", 0},
    {SL_OP_ADD, "SMALLINT|32767", "SMALLINT|1", "SMALLINT", "-32768", 0},
    {SL_OP_ADD, "INT|2147483647", "BIGINT|1", "BIGINT", "2147483648", 0},
    {SL_OP_DIV, "INT|7", "INT|2", "INT", "3", 0},
    {SL_OP_DIV, "INT|-7", "INT|2", "INT", "-3", 0},
    {SL_OP_DIV, "INT|7", "INT|0", "INT", NULL, -SL_EDIVZERO},
    {SL_OP_DIV, "BIGINT|-9223372036854775808", "BIGINT|-1", "BIGINT", "-9223372036854775808", 0},
    {SL_OP_DIV, "INT|-2147483648", "INT|-1", "INT", "-2147483648", 0},
    {SL_OP_MOD, "INT|-7", "INT|3", "INT", "-1", 0},
    {SL_OP_MOD, "INT|7", "INT|0", "INT", NULL, -SL_EDIVZERO},
    {SL_OP_MOD, "BIGINT|-9223372036854775808", "BIGINT|-1", "BIGINT", "0", 0},
    {SL_OP_ADD, "DECIMAL(5,2)|1.25", "DECIMAL(5,3)|0.125", "DECIMAL(7,3)", "1.375", 0},
    {SL_OP_SUB, "DECIMAL(5,2)|1.25", "DECIMAL(5,2)|2.50", "DECIMAL(6,2)", "-1.25", 0},
    {SL_OP_ADD, "DECIMAL(38,0)|99999999999999999999999999999999999999", "DECIMAL(38,0)|1",
     "DECIMAL(38,0)", NULL, -SL_EOVERFLOW},
    {SL_OP_DIV, "DECIMAL(5,2)|10.00", "DECIMAL(5,2)|3.00", "DECIMAL(13,8)", "3.33333333", 0},
    {SL_OP_DIV, "DECIMAL(5,2)|2.00", "DECIMAL(5,2)|3.00", "DECIMAL(13,8)", "0.66666667", 0},
    {SL_OP_DIV, "DECIMAL(5,2)|10.00", "DECIMAL(5,2)|0.00", "DECIMAL(13,8)", NULL, -SL_EDIVZERO},
    {SL_OP_MUL, "DECIMAL(5,2)|1.10", "DECIMAL(5,2)|1.10", "DECIMAL(11,4)", "1.2100", 0},
    {SL_OP_MUL, "DECIMAL(20,0)|10000000000000000000", "DECIMAL(20,0)|10000000000000000000",
     "DECIMAL(38,0)", NULL, -SL_EOVERFLOW},
    {SL_OP_MOD, "DECIMAL(5,2)|7.50", "DECIMAL(3,1)|2.0", "DECIMAL(3,2)", "1.50", 0},
    {SL_OP_ADD, "INT|5", "DECIMAL(5,2)|1.5", "DECIMAL(13,2)", "6.50", 0},
    {SL_OP_MUL, "BIGINT|3", "DECIMAL(5,2)|1.5", "DECIMAL(25,2)", "4.50", 0},
    {SL_OP_DIV, "DOUBLE|1", "DOUBLE|0", "DOUBLE", "Infinity", 0},
    {SL_OP_DIV, "DOUBLE|0", "DOUBLE|0", "DOUBLE", "NaN", 0},
    {SL_OP_ADD, "DOUBLE|0.1", "DOUBLE|0.2", "DOUBLE", "0.30000000000000004", 0},
    {SL_OP_ADD, "FLOAT|0.1", "FLOAT|0.2", "FLOAT", "0.3", 0},
    {SL_OP_MOD, "DOUBLE|5.5", "INT|2", "DOUBLE", "1.5", 0},
    {SL_OP_MUL, "DECIMAL(5,2)|1.5", "DOUBLE|2", "DOUBLE", "3.0", 0},
    {SL_OP_ADD, "TIMESTAMP(3)|2019-01-31 10:00:00", "INTERVAL_YM|1", "TIMESTAMP(3)",
     "2019-02-28 10:00:00.000", 0},
    {SL_OP_ADD, "TIMESTAMP(3)|2019-03-01 00:00:00", "INTERVAL_DT|86400000", "TIMESTAMP(3)",
     "2019-03-02 00:00:00.000", 0},
    {SL_OP_ADD, "INTERVAL_DT|1", "TIMESTAMP(3)|2019-03-01 00:00:00", "TIMESTAMP(3)",
     "2019-03-01 00:00:00.001", 0},
    {SL_OP_SUB, "TIMESTAMP_LTZ(3)|2019-03-01 00:00:00", "INTERVAL_DT|1000", "TIMESTAMP_LTZ(3)",
     "2019-02-28 23:59:59.000", 0},
    {SL_OP_ADD, "DATE|2019-03-01", "INTERVAL_DT|172800000", "DATE", "2019-03-03", 0},
    {SL_OP_SUB, "DATE|2019-03-01", "INTERVAL_YM|12", "DATE", "2018-03-01", 0},
    {SL_OP_ADD, "DATE|2019-03-01", "INTERVAL_DT|3600000", "DATE", "2019-03-01", 0},
    {SL_OP_SUB, "DATE|2019-03-01", "INTERVAL_DT|3600000", "DATE", "2019-02-28", 0},
    {SL_OP_ADD, "DATE|2019-03-01", "INTERVAL_DT|3600000", "TIMESTAMP(3)", "2019-03-01 01:00:00.000", 0},
    {SL_OP_ADD, "TIME(0)|23:00:00", "INTERVAL_DT|7200000", "TIME(0)", "01:00:00", 0},
    {SL_OP_SUB, "TIME(0)|01:00:00", "INTERVAL_DT|7200000", "TIME(0)", "23:00:00", 0},
    {SL_OP_ADD, "INTERVAL_DT|1000", "INTERVAL_DT|500", "INTERVAL_DT", "+0 00:00:01.500", 0},
    {SL_OP_SUB, "INTERVAL_YM|1", "INTERVAL_YM|13", "INTERVAL_YM", "-1-00", 0},
    {SL_OP_MUL, "INTERVAL_DT|1000", "INT|3", "INTERVAL_DT", "+0 00:00:03.000", 0},
    {SL_OP_MUL, "INT|3", "INTERVAL_YM|2", "INTERVAL_YM", "+0-06", 0},
    {SL_OP_MUL, "INTERVAL_DT|1000", "DOUBLE|1.5", "INTERVAL_DT", "+0 00:00:01.500", 0},
    {SL_OP_DIV, "INTERVAL_DT|3000", "INT|2", "INTERVAL_DT", "+0 00:00:01.500", 0},
    {SL_OP_DIV, "INTERVAL_DT|3000", "INT|0", "INTERVAL_DT", NULL, -SL_EDIVZERO},
    {SL_OP_SUB, "TIMESTAMP(3)|2019-03-02 00:00:00", "TIMESTAMP(3)|2019-03-01 00:00:00",
     "INTERVAL_DT", "+1 00:00:00.000", 0},
    {SL_OP_ADD, "TIMESTAMP(3)|9999-12-31 00:00:00", "INTERVAL_DT|86400000", "TIMESTAMP(3)",
     NULL, -SL_ERANGE},
    {SL_OP_ADD, "DATE|0001-01-01", "INTERVAL_YM|-1", "DATE", NULL, -SL_ERANGE},
    {SL_OP_ADD, "STRING|a", "INT|1", "INT", NULL, -SL_ETYPE},
    {SL_OP_SUB, "INTERVAL_DT|1", "TIMESTAMP(3)|2019-03-01 00:00:00", "TIMESTAMP(3)", NULL, -SL_ETYPE},
};

static void arg_of(const char *spec, const sl_type_t **t, sl_value_t *v)
{
    const char *bar = strchr(spec, '|');
    char ty[64];
    memcpy(ty, spec, (size_t)(bar - spec));
    ty[bar - spec] = '\0';
    *t = T(ty);
    *v = V(*t, strcmp(bar + 1, "\\N") ? bar + 1 : NULL);
}

START_TEST(test_arith_table)
{
    const acase_t *k = &arith_cases[_i];
    const sl_type_t *at, *bt, *rt = T(k->rt);
    sl_value_t a, b, out;
    arg_of(k->a, &at, &a);
    arg_of(k->b, &bt, &b);
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_arith(k->op, &a, at, &b, bt, &out, rt, &err);
    ck_assert_msg(rc == k->rc, "case %d: rc %s want %s (%s)", _i, sl_err_name(rc),
                  sl_err_name(k->rc), err.msg);
    if (rc) {
        ck_assert(err.msg[0]);
        return;
    }
    const char *got = fmt(&out, rt);
    ck_assert_msg(strcmp(got, k->want) == 0, "case %d: %s op %s = '%s', want '%s'", _i, k->a,
                  k->b, got, k->want);
    /* the output may alias an operand */
    ck_assert_int_eq(sl_arith(k->op, &a, at, &b, bt, &a, rt, &err), 0);
    ck_assert_str_eq(fmt(&a, rt), k->want);
}
END_TEST

START_TEST(test_arith_messages)
{
    const sl_type_t *dt = T("DECIMAL(38,0)");
    sl_value_t a = V(dt, "99999999999999999999999999999999999999"), b = V(dt, "1"), out;
    sl_err_t err;
    ck_assert_int_eq(sl_arith(SL_OP_ADD, &a, dt, &b, dt, &out, dt, &err), -SL_EOVERFLOW);
    ck_assert_str_eq(err.msg, "DECIMAL(38, 0) overflow in 99999999999999999999999999999999999999 + 1");
    sl_value_t x = V(&sl_type_int, "1"), z = V(&sl_type_int, "0");
    ck_assert_int_eq(sl_arith(SL_OP_DIV, &x, &sl_type_int, &z, &sl_type_int, &out, &sl_type_int, &err),
                     -SL_EDIVZERO);
    ck_assert_str_eq(err.msg, "division by zero");
    ck_assert_int_eq(err.off, -1);
}
END_TEST

typedef struct ncase {
    const char *a, *rt, *want;
} ncase_t;

static const ncase_t neg_cases[] = {
    {"INT|-2147483648", "INT", "-2147483648"},
    {"INT|5", "INT", "-5"},
    {"TINYINT|-128", "TINYINT", "-128"},
    {"DECIMAL(5,2)|1.50", "DECIMAL(5,2)", "-1.50"},
    {"DOUBLE|0.0", "DOUBLE", "-0.0"},
    {"FLOAT|1.5", "FLOAT", "-1.5"},
    {"INTERVAL_DT|1000", "INTERVAL_DT", "-0 00:00:01.000"},
    {"INTERVAL_YM|-14", "INTERVAL_YM", "+1-02"},
};

START_TEST(test_neg_table)
{
    const ncase_t *k = &neg_cases[_i];
    const sl_type_t *at, *rt = T(k->rt);
    sl_value_t a, out;
    arg_of(k->a, &at, &a);
    sl_err_t err;
    ck_assert_int_eq(sl_arith_neg(&a, at, &out, rt, &err), 0);
    ck_assert_str_eq(fmt(&out, rt), k->want);
    const sl_type_t *st = T("STRING");
    sl_value_t s = V(st, "x");
    ck_assert_int_eq(sl_arith_neg(&s, st, &out, st, &err), -SL_ETYPE);
}
END_TEST

/* ---- mixed comparison ------------------------------------------------------------------ */

typedef struct ccase {
    const char *a, *b;
    int want;      /* -1, 0, 1 */
    int rc;        /* of sl_cmp_mixed_err */
} ccase_t;

static const ccase_t cmp_cases[] = {
    {"INT|1", "BIGINT|1", 0, 0},
    {"TINYINT|-1", "BIGINT|1", -1, 0},
    {"INT|1", "DECIMAL(5,2)|1.00", 0, 0},
    {"INT|2", "DECIMAL(5,2)|1.99", 1, 0},
    {"DECIMAL(5,2)|1.5", "DECIMAL(10,4)|1.5000", 0, 0},
    {"DECIMAL(38,0)|99999999999999999999999999999999999999", "BIGINT|9223372036854775807", 1, 0},
    {"DOUBLE|0.1", "DECIMAL(5,1)|0.1", 0, 0},
    {"DOUBLE|0.5", "INT|1", -1, 0},
    {"BIGINT|9007199254740993", "DOUBLE|9007199254740992", 0, 0},
    {"DOUBLE|NaN", "DOUBLE|1", 1, 0},
    {"STRING|10", "INT|9", 1, 0},
    {"STRING| 1.50 ", "DECIMAL(5,2)|1.5", 0, 0},
    {"INT|9", "STRING|10", -1, 0},
    {"STRING| 2019-03-01", "DATE|2019-03-01", 0, 0},
    {"DATE|2019-03-01", "TIMESTAMP(3)|2019-03-01 00:00:00", 0, 0},
    {"DATE|2019-03-01", "TIMESTAMP(3)|2019-03-01 00:00:00.001", -1, 0},
    {"TIMESTAMP(3)|2019-03-01 00:00:00", "TIMESTAMP_LTZ(3)|2019-03-01 00:00:00", 0, 0},
    {"TIMESTAMP(6)|2019-03-01 00:00:00.000001", "TIMESTAMP(3)|2019-03-01 00:00:00", 1, 0},
    {"STRING|2019-03-01 10:00:00", "TIMESTAMP(3)|2019-03-01 09:00:00", 1, 0},
    {"STRING|a", "STRING|b", -1, 0},
    {"CHAR(3)|ab ", "STRING|ab", 1, 0},
    {"BOOLEAN|true", "STRING|true", 0, 0},
    {"STRING|TRUE", "BOOLEAN|false", 1, 0},
    {"TIME(0)|10:00:00", "STRING|09:59:59", 1, 0},
    {"INTERVAL_DT|1000", "INTERVAL_DT|999", 1, 0},
    {"ARRAY<INT>|[1,2]", "ARRAY<INT>|[1,3]", -1, 0},
    {"STRING|abc", "INT|1", 1, -SL_EFORMAT},
    {"INT|1", "STRING|abc", -1, -SL_EFORMAT},
    {"TIME(0)|10:00:00", "DATE|2019-03-01", 0, -SL_ETYPE},
};

START_TEST(test_cmp_table)
{
    const ccase_t *k = &cmp_cases[_i];
    const sl_type_t *at, *bt;
    sl_value_t a, b;
    arg_of(k->a, &at, &a);
    arg_of(k->b, &bt, &b);
    int c = sl_cmp_mixed(&a, at, &b, bt);
    int got = (c > 0) - (c < 0);
    if (k->rc != -SL_ETYPE)
        ck_assert_msg(got == k->want, "case %d: cmp(%s, %s) = %d, want %d", _i, k->a, k->b, c, k->want);
    int c2 = 99;
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_cmp_mixed_err(&a, at, &b, bt, &c2, &err);
    ck_assert_msg(rc == k->rc, "case %d: rc %s want %s", _i, sl_err_name(rc), sl_err_name(k->rc));
    if (rc == 0) {
        ck_assert_int_eq((c2 > 0) - (c2 < 0), k->want);
        /* antisymmetric */
        int r = sl_cmp_mixed(&b, bt, &a, at);
        ck_assert_int_eq((r > 0) - (r < 0), -k->want);
    } else {
        ck_assert(err.msg[0]);
    }
}
END_TEST

/* ---- LIKE, SIMILAR TO, regex cache ---------------------------------------------------- */

typedef struct lcase {
    const char *s, *pat;
    char esc;
    int want;      /* 1 / 0; -1: malformed pattern */
} lcase_t;

static const lcase_t like_cases[] = {
    {"abc", "a%", 0, 1},
    {"abc", "%c", 0, 1},
    {"abc", "%b%", 0, 1},
    {"abc", "a_c", 0, 1},
    {"abc", "a_", 0, 0},
    {"", "%", 0, 1},
    {"", "", 0, 1},
    {"", "_", 0, 0},
    {"abc", "abc", 0, 1},
    {"abc", "ABC", 0, 0},
    {"abc", "ab", 0, 0},
    {"a%c", "a\\%c", '\\', 1},
    {"abc", "a\\%c", '\\', 0},
    {"a_c", "a!_c", '!', 1},
    {"abc", "a!_c", '!', 0},
    {"a\\b", "a\\\\b", '\\', 1},
    {"a!b", "a!!b", '!', 1},
    {"äbc", "_bc", 0, 1},
    {"äbc", "__bc", 0, 0},
    {"日本語", "%本%", 0, 1},
    {"日本語", "日_語", 0, 1},
    {"aaa", "%a%a%a%", 0, 1},
    {"aa", "%a%a%a%", 0, 0},
    {"abc", "a%%c", 0, 1},
    {"mississippi", "%iss%ppi", 0, 1},
    {"abcbc", "a%bc", 0, 1},
    {"abcbd", "a%bc", 0, 0},
    {"x", "%%%", 0, 1},
    {"ab", "a\\", '\\', -1},
    {"ab", "a\\b", '\\', -1},
};

START_TEST(test_like_table)
{
    const lcase_t *k = &like_cases[_i];
    bool m = sl_like(k->s, strlen(k->s), k->pat, strlen(k->pat), k->esc);
    sl_err_t err;
    sl_err_clear(&err);
    int rc = sl_like_check(k->pat, strlen(k->pat), k->esc, &err);
    if (k->want < 0) {
        ck_assert(!m);
        ck_assert_int_eq(rc, -SL_EFORMAT);
        ck_assert(strstr(err.msg, "escape") != NULL);
    } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_msg(m == (k->want == 1), "case %d: '%s' LIKE '%s' = %d", _i, k->s, k->pat, m);
    }
}
END_TEST

typedef struct scase {
    const char *s, *pat;
    char esc;
    int want;      /* 1, 0 or -SL_E* */
} scase_t;

static const scase_t similar_cases[] = {
    {"abc", "abc", 0, 1},
    {"abc", "a%", 0, 1},
    {"abc", "(a|b)+c", 0, 1},
    {"abd", "a[b-c]c", 0, 0},
    {"abc", "a_c", 0, 1},
    {"a.c", "a.c", 0, 1},
    {"abc", "a.c", 0, 0},
    {"aaa", "a{3}", 0, 1},
    {"aaaa", "a{3}", 0, 0},
    {"ABC", "abc", 0, 0},
    {"", "", 0, 1},
    {"a+b", "a#+b", '#', 1},
    {"a%", "a\\%", '\\', 1},
    {"ab", "a\\%", '\\', 0},
    {"x$", "x$", 0, 1},
    {"abc", "(ab", 0, -SL_EFORMAT},
    {"abc", "[ab", 0, -SL_EFORMAT},
};

START_TEST(test_similar_table)
{
    const scase_t *k = &similar_cases[_i];
    sl_err_t err;
    sl_err_clear(&err);
    int r = sl_similar_escape(k->s, strlen(k->s), k->pat, strlen(k->pat), k->esc, &err);
    ck_assert_msg(r == k->want, "case %d: '%s' SIMILAR TO '%s' = %d, want %d (%s)", _i, k->s,
                  k->pat, r, k->want, err.msg);
    if (!k->esc) ck_assert_int_eq(sl_similar(k->s, strlen(k->s), k->pat, strlen(k->pat), &err), k->want);
}
END_TEST

START_TEST(test_regex_cache)
{
    /* more distinct patterns than the cache holds, twice over */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 40; i++) {
            char pat[32], subj[32];
            snprintf(pat, sizeof pat, "^x%dy$", i);
            snprintf(subj, sizeof subj, "x%dy", i);
            const sl_regex_t *re;
            sl_err_t err;
            ck_assert_int_eq(sl_regex_get(pat, strlen(pat), SL_RE_JAVA, &re, &err), 0);
            ck_assert_int_eq(sl_regex_find(re, subj, strlen(subj), 0, NULL, 0), 1);
            ck_assert_int_eq(sl_regex_find(re, "x", 1, 0, NULL, 0), 0);
        }
    }
    /* group mapping past a non-capturing group, and groups that did not match */
    const sl_regex_t *re;
    sl_err_t err;
    const char *pat = "(?:a)(b)?(c)";
    ck_assert_int_eq(sl_regex_get(pat, strlen(pat), SL_RE_JAVA, &re, &err), 0);
    ck_assert_int_eq(re->ngroups, 2);
    regmatch_t m[4];
    ck_assert_int_eq(sl_regex_find(re, "zac", 3, 0, m, 4), 1);
    ck_assert_int_eq((int)m[0].rm_so, 1);
    ck_assert_int_eq((int)m[1].rm_so, -1);
    ck_assert_int_eq((int)m[2].rm_so, 2);
    ck_assert_int_eq((int)m[3].rm_so, -1);
    /* errors name the pattern */
    ck_assert_int_eq(sl_regex_get("a(?=b)", 6, SL_RE_JAVA, &re, &err), -SL_EFORMAT);
    ck_assert(strstr(err.msg, "a(?=b)") != NULL);
    sl_regex_cache_clear();
    sl_regex_cache_clear();
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("fn");
    TCase *tc = tcase_create("fn");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_fn_table, 0, N_OF(fn_cases));
    tcase_add_test(tc, test_fn_registry);
    tcase_add_test(tc, test_rand_sequences);
    tcase_add_loop_test(tc, test_arith_table, 0, N_OF(arith_cases));
    tcase_add_test(tc, test_arith_messages);
    tcase_add_loop_test(tc, test_neg_table, 0, N_OF(neg_cases));
    tcase_add_loop_test(tc, test_cmp_table, 0, N_OF(cmp_cases));
    tcase_add_loop_test(tc, test_like_table, 0, N_OF(like_cases));
    tcase_add_loop_test(tc, test_similar_table, 0, N_OF(similar_cases));
    tcase_add_test(tc, test_regex_cache);
    suite_add_tcase(s, tc);
    return sl_test_run_suite(s);
}
