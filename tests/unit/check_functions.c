/* check_functions.c - the built-in function table: lookup and typing. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/functions.h"
#include "testutil.h"

/* ---- argument fixtures ------------------------------------------------------
 * Arguments are named: a type name from the table below ("INT!" is NOT
 * NULL), "lit:N" for an integer literal (INT NOT NULL), "unit:DAY" for a
 * time-unit symbol, "sym:BOTH" for a keyword symbol. */

#define TY(ID, LEN) { .id = (ID), .nullable = true, .len = (LEN) }
#define TYNN(ID, LEN) { .id = (ID), .nullable = false, .len = (LEN) }

static const sl_type_t int_nn = TYNN(SL_T_INT, 0);
static const sl_type_t bigint_nn = TYNN(SL_T_BIGINT, 0);
static const sl_type_t tinyint_nn = TYNN(SL_T_TINYINT, 0);
static const sl_type_t double_nn = TYNN(SL_T_DOUBLE, 0);
static const sl_type_t bool_nn = TYNN(SL_T_BOOLEAN, 0);
static const sl_type_t date_nn = TYNN(SL_T_DATE, 0);
static const sl_type_t string_nn = TYNN(SL_T_VARCHAR, SL_MAX_LENGTH);
static const sl_type_t char5_nn = TYNN(SL_T_CHAR, 5);
static const sl_type_t varchar10 = TY(SL_T_VARCHAR, 10);
static const sl_type_t dec11_2 = { .id = SL_T_DECIMAL, .nullable = true,
                                   .len = 11, .scale = 2 };
static const sl_type_t dec11_2_nn = { .id = SL_T_DECIMAL, .len = 11,
                                      .scale = 2 };
static const sl_type_t dec38_10 = { .id = SL_T_DECIMAL, .nullable = true,
                                    .len = 38, .scale = 10 };
static const sl_type_t ts3 = TY(SL_T_TIMESTAMP, 3);
static const sl_type_t ts3_nn = TYNN(SL_T_TIMESTAMP, 3);
static const sl_type_t rowtime = { .id = SL_T_TIMESTAMP, .nullable = true,
                                   .len = 3, .time_attr = SL_TA_ROWTIME };
static const sl_type_t rowtime_ltz = { .id = SL_T_TIMESTAMP_LTZ, .len = 3,
                                       .time_attr = SL_TA_ROWTIME };
static const sl_type_t proctime = { .id = SL_T_TIMESTAMP_LTZ, .len = 3,
                                    .time_attr = SL_TA_PROCTIME };
static const sl_type_t idt_nn = { .id = SL_T_INTERVAL_DT, .len = 3,
                                  .nfields = 2 };
static const sl_type_t arr_int = { .id = SL_T_ARRAY, .nullable = true,
                                   .elem = &sl_type_int };
static const sl_type_t arr_int_nn = { .id = SL_T_ARRAY,
                                      .elem = &sl_type_int };
static const sl_type_t map_str_int = { .id = SL_T_MAP, .nullable = true,
                                       .key = &sl_type_string,
                                       .elem = &sl_type_int };
static const sl_type_t map_str_int_nn = { .id = SL_T_MAP,
                                          .key = &sl_type_string,
                                          .elem = &sl_type_int };

static const struct {
    const char *name;
    const sl_type_t *type;
} named_types[] = {
    {"INT", &sl_type_int},          {"INT!", &int_nn},
    {"TINYINT", &sl_type_tinyint},  {"TINYINT!", &tinyint_nn},
    {"BIGINT", &sl_type_bigint},    {"BIGINT!", &bigint_nn},
    {"DOUBLE", &sl_type_double},    {"DOUBLE!", &double_nn},
    {"DEC11_2", &dec11_2},          {"DEC11_2!", &dec11_2_nn},
    {"DEC38_10", &dec38_10},        {"BOOL", &sl_type_boolean},
    {"BOOL!", &bool_nn},            {"DATE", &sl_type_date},
    {"DATE!", &date_nn},            {"STRING", &sl_type_string},
    {"STRING!", &string_nn},        {"CHAR5!", &char5_nn},
    {"VARCHAR10", &varchar10},      {"BYTES", &sl_type_bytes},
    {"TS3", &ts3},                  {"TS3!", &ts3_nn},
    {"ROWTIME", &rowtime},          {"ROWTIME_LTZ", &rowtime_ltz},
    {"PROCTIME", &proctime},        {"IDT!", &idt_nn},
    {"ARRAY_INT", &arr_int},        {"ARRAY_INT!", &arr_int_nn},
    {"MAP_STR_INT", &map_str_int},  {"MAP_STR_INT!", &map_str_int_nn},
    {"NULL", &sl_type_null},        {"TABLE", &sl_type_table},
    {"DESC", &sl_type_descriptor},
};

static sl_arena_t arena;

static void setup(void) { sl_arena_init(&arena, 0); }
static void teardown(void) { sl_arena_destroy(&arena); }

/* Argument i of every call sits at offset 100 * (i + 1); the call at 0. */
static sl_expr_t *make_arg(const char *spec, int i, const sl_type_t **type)
{
    sl_expr_t *x = sl_arena_calloc(&arena, sizeof *x);
    ck_assert_ptr_nonnull(x);
    x->off = 100 * (i + 1);
    x->len = 3;
    x->kind = SL_X_COLUMN;
    if (strncmp(spec, "lit:", 4) == 0) {
        const char *num = spec + 4;
        sl_expr_t *lit = x;
        if (*num == '-') {
            /* -N parses as a negation of the literal N. */
            x->kind = SL_X_UNARY;
            x->op = SL_OP_NEG;
            lit = x->a = sl_arena_calloc(&arena, sizeof *lit);
            ck_assert_ptr_nonnull(lit);
            num++;
        }
        lit->kind = SL_X_LITERAL;
        lit->op = SL_LIT_INT;
        lit->str = num;
        lit->slen = (int)strlen(num);
        *type = &int_nn;
        return x;
    }
    if (strncmp(spec, "unit:", 5) == 0 || strncmp(spec, "sym:", 4) == 0) {
        const char *word = strchr(spec, ':') + 1;
        static const char *const units[] = {
            "", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE",
            "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND", "DOW",
            "DOY", "ISODOW", "ISOYEAR", "EPOCH", "DECADE"};
        x->kind = SL_X_SYMBOL;
        x->str = word;
        x->slen = (int)strlen(word);
        for (int u = 1; u < (int)(sizeof units / sizeof units[0]); u++)
            if (strcmp(units[u], word) == 0) x->op = (uint8_t)u;
        *type = &sl_type_symbol;
        return x;
    }
    for (size_t k = 0; k < sizeof named_types / sizeof named_types[0]; k++) {
        if (strcmp(named_types[k].name, spec) == 0) {
            *type = named_types[k].type;
            return x;
        }
    }
    ck_abort_msg("unknown argument fixture %s", spec);
    return NULL;
}

enum { STAR = 1, DISTINCT = 2 };

typedef struct call_case {
    const char *name;
    int kind;                  /* 0: sl_func_lookup, else lookup_kind */
    const char *args[6];       /* NULL-terminated */
    const char *want;          /* result type, or "!fragment" of an error */
    int err_arg;               /* error offset: argument index, -1 the call */
    int flags;                 /* STAR, DISTINCT */
} call_case_t;

/* Types the call; returns the result or NULL with err filled. */
static const sl_type_t *run_call(const call_case_t *c, sl_err_t *err)
{
    const sl_func_t *f = c->kind
        ? sl_func_lookup_kind(c->name, (int)strlen(c->name), c->kind)
        : sl_func_lookup(c->name, (int)strlen(c->name));
    ck_assert_msg(f != NULL, "no function %s", c->name);
    int n = 0;
    while (n < 6 && c->args[n]) n++;
    const sl_type_t **types = sl_arena_calloc(&arena, sizeof *types * 7);
    const sl_expr_t **argx = sl_arena_calloc(&arena, sizeof *argx * 7);
    sl_expr_t *call = sl_arena_calloc(&arena, sizeof *call);
    ck_assert(types && argx && call);
    call->kind = SL_X_CALL;
    call->off = 0;
    call->len = 50;
    for (int i = 0; i < n; i++) argx[i] = make_arg(c->args[i], i, &types[i]);
    sl_func_call_t fc = {
        .arena = &arena,
        .call = call,
        .nargs = n,
        .args = types,
        .argx = argx,
        .distinct = (c->flags & DISTINCT) != 0,
        .star = (c->flags & STAR) != 0,
    };
    sl_err_clear(err);
    return f->infer(&fc, err);
}

#define A(...) {__VA_ARGS__, NULL}
#define NOARGS {NULL}

static const call_case_t calls[] = {
    /* aggregates */
    {"COUNT", 0, NOARGS, "BIGINT NOT NULL", 0, STAR},
    {"count", 0, A("STRING"), "BIGINT NOT NULL", 0, 0},
    {"COUNT", 0, A("INT", "STRING"), "BIGINT NOT NULL", 0, DISTINCT},
    {"COUNT", 0, NOARGS, "!function COUNT expects (* | ANY, ANY...)", -1, 0},
    {"SUM", 0, A("INT"), "INT", 0, 0},
    {"SUM", 0, A("INT!"), "INT", 0, 0},
    {"SUM", 0, A("TINYINT!"), "TINYINT", 0, 0},
    {"SUM", 0, A("DEC11_2"), "DECIMAL(38, 2)", 0, DISTINCT},
    {"SUM", 0, A("NULL"), "INT", 0, 0},
    {"SUM", 0, A("STRING"), "!SUM does not accept an argument of type STRING",
     0, 0},
    {"SUM", 0, NOARGS, "!does not accept * as its argument", -1, STAR},
    {"AVG", 0, A("DEC11_2"), "DECIMAL(38, 6)", 0, 0},
    {"AVG", 0, A("DEC38_10"), "DECIMAL(38, 10)", 0, 0},
    {"AVG", 0, A("INT!"), "INT", 0, 0},
    {"AVG", 0, A("BOOL"), "!AVG does not accept an argument of type BOOLEAN",
     0, 0},
    {"MIN", 0, A("STRING!"), "STRING", 0, 0},
    {"MAX", 0, A("ROWTIME"), "TIMESTAMP(3)", 0, 0},
    {"MAX", 0, A("MAP_STR_INT"),
     "!MAX does not accept an argument of type MAP<STRING, INT>", 0, 0},
    {"STDDEV_POP", 0, A("DOUBLE"), "DOUBLE", 0, 0},
    {"VAR_SAMP", 0, A("DEC11_2"), "DECIMAL(38, 6)", 0, 0},
    {"COLLECT", 0, A("INT"), "MULTISET<INT> NOT NULL", 0, 0},
    {"LISTAGG", 0, A("STRING!", "STRING!"), "STRING", 0, 0},
    {"ARRAY_AGG", 0, A("INT!"), "ARRAY<INT NOT NULL>", 0, 0},
    {"FIRST_VALUE", 0, A("BIGINT!"), "BIGINT", 0, 0},
    {"LAST_VALUE", 0, A("PROCTIME"), "TIMESTAMP_LTZ(3)", 0, 0},
    {"JSON_OBJECTAGG", 0, A("STRING!", "INT"), "STRING NOT NULL", 0, 0},
    {"GROUPING", 0, A("INT", "STRING"), "BIGINT NOT NULL", 0, 0},
    /* ranking */
    {"ROW_NUMBER", 0, NOARGS, "BIGINT NOT NULL", 0, 0},
    {"RANK", 0, A("INT"), "!function RANK expects () but got (INT)", -1, 0},
    {"DENSE_RANK", 0, NOARGS, "BIGINT NOT NULL", 0, 0},
    {"PERCENT_RANK", 0, NOARGS, "DOUBLE NOT NULL", 0, 0},
    {"NTILE", 0, A("lit:4"), "BIGINT NOT NULL", 0, 0},
    {"LAG", 0, A("INT!"), "INT", 0, 0},
    {"LAG", 0, A("INT!", "lit:1", "INT!"), "INT NOT NULL", 0, 0},
    {"LAG", 0, A("INT!", "lit:1", "BIGINT"), "BIGINT", 0, 0},
    {"LEAD", 0, A("INT!", "lit:1", "STRING!"),
     "!function LEAD expects a default of the expression's type but got "
     "(INT, INT, STRING)", 2, 0},
    {"LEAD", 0, A("STRING!", "lit:2", "NULL"), "STRING", 0, 0},
    {"LEAD", 0, A("STRING!", "STRING!"), "!expects (ANY [, INT [, ANY]])", 1,
     0},
    /* strings */
    {"CONCAT", 0, A("STRING!", "CHAR5!"), "STRING NOT NULL", 0, 0},
    {"Concat", 0, A("STRING!", "STRING"), "STRING", 0, 0},
    {"CONCAT", 0, A("BYTES", "BYTES"), "BYTES", 0, 0},
    {"CONCAT", 0, A("STRING", "INT"),
     "!function CONCAT expects (STRING, STRING... | BINARY, BINARY...) but "
     "got (STRING, INT)", 1, 0},
    {"CONCAT_WS", 0, A("STRING!", "STRING", "STRING!"), "STRING", 0, 0},
    {"SUBSTRING", 0, A("STRING!", "lit:1", "lit:3"), "STRING", 0, 0},
    {"SUBSTRING", 0, A("CHAR5!", "lit:2"), "VARCHAR(5)", 0, 0},
    {"SUBSTRING", 0, A("INT"),
     "!function SUBSTRING expects (STRING, INT [, INT]) but got (INT)", -1, 0},
    {"SUBSTR", 0, A("INT!", "lit:1"),
     "!function SUBSTR expects (STRING, INT [, INT]) but got (INT, INT)", 0,
     0},
    {"SUBSTRING", 0, A("STRING", "DOUBLE"), "!but got (STRING, DOUBLE)", 1, 0},
    {"CHAR_LENGTH", 0, A("STRING!"), "INT NOT NULL", 0, 0},
    {"UPPER", 0, A("CHAR5!"), "CHAR(5) NOT NULL", 0, 0},
    {"LOWER", 0, A("NULL"), "STRING", 0, 0},
    {"UPPER", 0, A("STRING"), "!DISTINCT is only allowed in aggregate", -1,
     DISTINCT},
    {"TRIM", 0, A("sym:BOTH", "STRING!", "VARCHAR10"), "VARCHAR(10)", 0, 0},
    {"TRIM", 0, A("STRING!"), "STRING NOT NULL", 0, 0},
    {"LTRIM", 0, A("CHAR5!"), "VARCHAR(5) NOT NULL", 0, 0},
    {"REGEXP_REPLACE", 0, A("STRING!", "STRING!", "STRING!"), "STRING", 0, 0},
    {"REGEXP_EXTRACT", 0, A("STRING!", "STRING!", "lit:1"), "STRING", 0, 0},
    {"OVERLAY", 0, A("VARCHAR10", "CHAR5!", "lit:1"), "VARCHAR(15)", 0, 0},
    {"LPAD", 0, A("STRING!", "lit:5", "STRING!"), "STRING NOT NULL", 0, 0},
    {"LOCATE", 0, A("STRING!", "STRING!"), "INT NOT NULL", 0, 0},
    {"ENCODE", 0, A("STRING!", "STRING!"), "BYTES", 0, 0},
    {"DECODE", 0, A("BYTES", "STRING"), "STRING", 0, 0},
    {"SPLIT", 0, A("STRING!", "STRING!"), "ARRAY<STRING> NOT NULL", 0, 0},
    {"STR_TO_MAP", 0, A("STRING!"), "MAP<STRING, STRING>", 0, 0},
    {"ELT", 0, A("lit:1", "STRING!", "VARCHAR10"), "STRING", 0, 0},
    {"MD5", 0, A("STRING!"), "CHAR(32) NOT NULL", 0, 0},
    {"SHA2", 0, A("STRING", "lit:256"), "VARCHAR(128)", 0, 0},
    {"HEX", 0, A("BOOL"),
     "!function HEX expects (INT | STRING) but got (BOOLEAN)", 0, 0},
    /* arithmetic */
    {"ABS", 0, A("DEC11_2!"), "DECIMAL(11, 2) NOT NULL", 0, 0},
    {"ABS", 0, A("IDT!"), "INTERVAL SECOND(3) NOT NULL", 0, 0},
    {"ABS", 0, A("STRING"),
     "!function ABS expects (NUMERIC | INTERVAL) but got (STRING)", 0, 0},
    {"MOD", 0, A("BIGINT!", "INT!"), "INT NOT NULL", 0, 0},
    {"MOD", 0, A("DEC11_2", "INT!"), "DECIMAL(11, 2)", 0, 0},
    {"MOD", 0, A("DOUBLE", "INT"),
     "!function MOD expects (EXACT_NUMERIC, EXACT_NUMERIC) but got (DOUBLE, "
     "INT)", 0, 0},
    {"POWER", 0, A("INT!", "lit:2"), "DOUBLE NOT NULL", 0, 0},
    {"LOG", 0, A("INT!", "INT!"), "DOUBLE NOT NULL", 0, 0},
    {"SQRT", 0, A("DEC11_2"), "DOUBLE", 0, 0},
    {"ROUND", 0, A("DEC11_2", "lit:1"), "DECIMAL(11, 1)", 0, 0},
    {"ROUND", 0, A("DEC11_2"), "DECIMAL(10, 0)", 0, 0},
    {"ROUND", 0, A("DEC11_2", "INT"), "DECIMAL(11, 2)", 0, 0},
    {"ROUND", 0, A("DOUBLE!", "lit:2"), "DOUBLE NOT NULL", 0, 0},
    {"TRUNCATE", 0, A("DEC11_2!", "lit:-1"), "DECIMAL(10, 0) NOT NULL", 0, 0},
    {"FLOOR", 0, A("DEC11_2!"), "DECIMAL(10, 0) NOT NULL", 0, 0},
    {"CEIL", 0, A("TS3!", "unit:DAY"), "TIMESTAMP(3) NOT NULL", 0, 0},
    {"FLOOR", 0, A("ROWTIME", "unit:HOUR"), "TIMESTAMP(3)", 0, 0},
    {"CEILING", 0, A("DOUBLE"), "DOUBLE", 0, 0},
    {"SIGN", 0, A("INT"), "INT", 0, 0},
    {"RAND", 0, NOARGS, "DOUBLE NOT NULL", 0, 0},
    {"RAND_INTEGER", 0, A("lit:1", "INT"), "INT NOT NULL", 0, 0},
    {"UUID", 0, NOARGS, "CHAR(36) NOT NULL", 0, 0},
    {"PI", 0, NOARGS, "DOUBLE NOT NULL", 0, 0},
    {"E", 0, A("INT"), "!function E expects () but got (INT)", -1, 0},
    /* conditional */
    {"COALESCE", 0, A("INT", "BIGINT!"), "BIGINT NOT NULL", 0, 0},
    {"COALESCE", 0, A("INT", "BIGINT"), "BIGINT", 0, 0},
    {"COALESCE", 0, A("NULL", "STRING!"), "STRING NOT NULL", 0, 0},
    {"COALESCE", 0, A("INT", "STRING"),
     "!function COALESCE expects arguments of a common type but got (INT, "
     "STRING)", 1, 0},
    {"IFNULL", 0, A("INT", "lit:5"), "INT NOT NULL", 0, 0},
    {"IFNULL", 0, A("INT!", "BIGINT"), "BIGINT", 0, 0},
    {"IF", 0, A("BOOL!", "INT!", "DEC11_2!"), "DECIMAL(12, 2) NOT NULL", 0, 0},
    {"IF", 0, A("INT!", "INT!", "INT!"),
     "!function IF expects (BOOLEAN, ANY, ANY) but got (INT, INT, INT)", 0, 0},
    {"NULLIF", 0, A("INT!", "lit:0"), "INT", 0, 0},
    {"NULLIF", 0, A("INT!", "DATE"), "!comparable arguments", 1, 0},
    {"GREATEST", 0, A("INT!", "BIGINT!", "TINYINT!"), "BIGINT NOT NULL", 0, 0},
    {"LEAST", 0, A("INT!", "BIGINT"), "BIGINT", 0, 0},
    {"IS_DIGIT", 0, A("STRING"), "BOOLEAN NOT NULL", 0, 0},
    {"TYPEOF", 0, A("INT!"), "STRING", 0, 0},
    /* temporal */
    {"DATE_FORMAT", 0, A("TS3!", "STRING!"), "STRING", 0, 0},
    {"DATE_FORMAT", 0, A("INT", "STRING"), "!function DATE_FORMAT expects", 0,
     0},
    {"TIMESTAMPDIFF", 0, A("unit:DAY", "TS3!", "TS3!"), "INT NOT NULL", 0, 0},
    {"TIMESTAMPDIFF", 0, A("unit:DECADE", "TS3", "TS3"),
     "!function TIMESTAMPDIFF does not support the time unit DECADE", 0, 0},
    {"TIMESTAMPDIFF", 0, A("INT", "TS3", "TS3"),
     "!expects (UNIT, DATETIME, DATETIME) but got (INT, TIMESTAMP(3), "
     "TIMESTAMP(3))", 0, 0},
    {"TIMESTAMPADD", 0, A("unit:HOUR", "lit:1", "DATE!"),
     "TIMESTAMP(6) NOT NULL", 0, 0},
    {"TIMESTAMPADD", 0, A("unit:DAY", "lit:1", "TS3"), "TIMESTAMP(3)", 0, 0},
    {"EXTRACT", 0, A("unit:YEAR", "DATE!"), "BIGINT NOT NULL", 0, 0},
    {"EXTRACT", 0, A("DATE!", "unit:YEAR"), "!but got (DATE, YEAR)", 0, 0},
    {"YEAR", 0, A("TS3"), "BIGINT", 0, 0},
    {"HOUR", 0, A("STRING"), "!function HOUR expects (DATETIME)", 0, 0},
    {"CURRENT_TIMESTAMP", 0, NOARGS, "TIMESTAMP_LTZ(3) NOT NULL", 0, 0},
    {"NOW", 0, NOARGS, "TIMESTAMP_LTZ(3) NOT NULL", 0, 0},
    {"LOCALTIMESTAMP", 0, NOARGS, "TIMESTAMP(3) NOT NULL", 0, 0},
    {"CURRENT_DATE", 0, NOARGS, "DATE NOT NULL", 0, 0},
    {"CURRENT_TIME", 0, NOARGS, "TIME(0) NOT NULL", 0, 0},
    {"PROCTIME", 0, NOARGS, "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*", 0, 0},
    {"CURRENT_ROW_TIMESTAMP", 0, NOARGS, "TIMESTAMP_LTZ(3) NOT NULL", 0, 0},
    {"TO_TIMESTAMP", 0, A("STRING!"), "TIMESTAMP(3)", 0, 0},
    {"TO_TIMESTAMP_LTZ", 0, A("BIGINT!", "lit:3"), "TIMESTAMP_LTZ(3)", 0, 0},
    {"TO_DATE", 0, A("STRING!", "STRING!"), "DATE", 0, 0},
    {"UNIX_TIMESTAMP", 0, NOARGS, "BIGINT NOT NULL", 0, 0},
    {"UNIX_TIMESTAMP", 0, A("STRING"), "BIGINT", 0, 0},
    {"FROM_UNIXTIME", 0, A("BIGINT!"), "STRING", 0, 0},
    {"CURRENT_WATERMARK", 0, A("ROWTIME"), "TIMESTAMP(3)", 0, 0},
    {"CURRENT_WATERMARK", 0, A("ROWTIME_LTZ"), "TIMESTAMP_LTZ(3)", 0, 0},
    {"CURRENT_WATERMARK", 0, A("TS3"),
     "!function CURRENT_WATERMARK expects (ROWTIME) but got (TIMESTAMP(3))", 0,
     0},
    /* collections, JSON */
    {"CARDINALITY", 0, A("ARRAY_INT!"), "INT NOT NULL", 0, 0},
    {"CARDINALITY", 0, A("MAP_STR_INT"), "INT", 0, 0},
    {"ELEMENT", 0, A("ARRAY_INT!"), "INT", 0, 0},
    {"ARRAY_CONTAINS", 0, A("ARRAY_INT!", "lit:1"), "BOOLEAN NOT NULL", 0, 0},
    {"ARRAY_CONTAINS", 0, A("ARRAY_INT", "STRING"),
     "!expects (ARRAY, ELEMENT) but got (ARRAY<INT>, STRING)", 1, 0},
    {"ARRAY_APPEND", 0, A("ARRAY_INT!", "BIGINT!"), "ARRAY<BIGINT> NOT NULL",
     0, 0},
    {"ARRAY_MAX", 0, A("ARRAY_INT!"), "INT", 0, 0},
    {"ARRAY_CONCAT", 0, A("ARRAY_INT!", "ARRAY_INT"), "ARRAY<INT>", 0, 0},
    {"MAP_KEYS", 0, A("MAP_STR_INT"), "ARRAY<STRING>", 0, 0},
    {"MAP_VALUES", 0, A("MAP_STR_INT!"), "ARRAY<INT> NOT NULL", 0, 0},
    {"MAP_ENTRIES", 0, A("MAP_STR_INT"),
     "ARRAY<ROW<`key` STRING, `value` INT> NOT NULL>", 0, 0},
    {"MAP_FROM_ARRAYS", 0, A("ARRAY_INT!", "ARRAY_INT!"),
     "MAP<INT, INT> NOT NULL", 0, 0},
    {"JSON_VALUE", 0, A("STRING!", "STRING!"), "STRING", 0, 0},
    {"JSON_EXISTS", 0, A("STRING", "STRING"), "BOOLEAN", 0, 0},
    {"JSON_OBJECT", 0, NOARGS, "STRING NOT NULL", 0, 0},
    {"JSON_STRING", 0, A("ARRAY_INT!"), "STRING NOT NULL", 0, 0},
    /* windows */
    {"TUMBLE", SL_FN_WINDOW_TVF, A("TABLE", "DESC", "IDT!"), "TABLE", 0, 0},
    {"TUMBLE", 0, A("TABLE", "DESC", "IDT!", "IDT!"), "TABLE", 0, 0},
    {"TUMBLE", SL_FN_WINDOW_TVF, A("TABLE", "DESC"),
     "!function TUMBLE expects (TABLE, DESCRIPTOR, INTERVAL [, INTERVAL])", -1,
     0},
    {"HOP", SL_FN_WINDOW_TVF, A("TABLE", "DESC", "IDT!", "STRING"),
     "!but got (TABLE, DESCRIPTOR, INTERVAL SECOND(3), STRING)", 3, 0},
    {"CUMULATE", 0, A("TABLE", "DESC", "IDT!", "IDT!"), "TABLE", 0, 0},
    {"SESSION", SL_FN_WINDOW_TVF, A("TABLE", "DESC", "IDT!"), "TABLE", 0, 0},
    {"TUMBLE", SL_FN_GROUP_WINDOW, A("ROWTIME", "IDT!"), "TIMESTAMP(3)", 0, 0},
    {"HOP", SL_FN_GROUP_WINDOW, A("PROCTIME", "IDT!", "IDT!"),
     "TIMESTAMP_LTZ(3) NOT NULL", 0, 0},
    {"SESSION", SL_FN_GROUP_WINDOW, A("STRING", "IDT!"),
     "!function SESSION expects (TIMESTAMP, INTERVAL [, TIME])", 0, 0},
    {"TUMBLE_START", 0, A("ROWTIME", "IDT!"), "TIMESTAMP(3) NOT NULL", 0, 0},
    {"TUMBLE_END", 0, A("PROCTIME", "IDT!"), "TIMESTAMP(3) NOT NULL", 0, 0},
    {"TUMBLE_ROWTIME", 0, A("ROWTIME", "IDT!"),
     "TIMESTAMP(3) NOT NULL *ROWTIME*", 0, 0},
    {"TUMBLE_ROWTIME", 0, A("PROCTIME", "IDT!"),
     "!function TUMBLE_ROWTIME expects (ROWTIME, INTERVAL [, TIME])", 0, 0},
    {"TUMBLE_PROCTIME", 0, A("PROCTIME", "IDT!"),
     "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*", 0, 0},
    {"HOP_ROWTIME", 0, A("ROWTIME_LTZ", "IDT!", "IDT!"),
     "TIMESTAMP_LTZ(3) NOT NULL *ROWTIME*", 0, 0},
    {"SESSION_END", 0, A("PROCTIME", "IDT!"), "TIMESTAMP(3) NOT NULL", 0, 0},
};

START_TEST(test_infer)
{
    const call_case_t *c = &calls[_i];
    sl_err_t err;
    const sl_type_t *t = run_call(c, &err);
    if (c->want[0] == '!') {
        ck_assert_msg(t == NULL, "case %d %s: want error '%s', got %s", _i,
                      c->name, c->want + 1, t ? sl_type_str(&arena, t) : "");
        ck_assert_msg(err.code != 0, "case %d %s: no error code", _i, c->name);
        ck_assert_msg(strstr(err.msg, c->want + 1) != NULL,
                      "case %d %s: error '%s' lacks '%s'", _i, c->name,
                      err.msg, c->want + 1);
        int want_off = c->err_arg < 0 ? 0 : 100 * (c->err_arg + 1);
        ck_assert_msg(err.off == want_off,
                      "case %d %s: error at %d, want %d (%s)", _i, c->name,
                      err.off, want_off, err.msg);
        return;
    }
    ck_assert_msg(t != NULL, "case %d %s: error %s", _i, c->name, err.msg);
    const char *got = sl_type_str(&arena, t);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(strcmp(got, c->want) == 0, "case %d %s: got '%s', want '%s'",
                  _i, c->name, got, c->want);
}
END_TEST

/* ---- lookup ------------------------------------------------------------------ */

START_TEST(test_lookup)
{
    const sl_func_t *f = sl_func_lookup("substring", 9);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->name, "SUBSTRING");
    ck_assert_ptr_eq(sl_func_lookup("SubString", 9), f);
    /* The name is len bytes, not NUL-terminated. */
    ck_assert_ptr_eq(sl_func_lookup("SUBSTRINGX", 9), f);
    ck_assert_ptr_null(sl_func_lookup("SUBSTRIN", 8));
    ck_assert_ptr_null(sl_func_lookup("no_such_function", 16));
    ck_assert_ptr_null(sl_func_lookup("", 0));
    ck_assert_str_eq(f->signature, "SUBSTRING(STRING, INT [, INT])");
    ck_assert_int_eq(f->kind, SL_FN_SCALAR);
    ck_assert_int_eq(f->min_args, 2);
    ck_assert_int_eq(f->max_args, 3);

    const sl_func_t *count = sl_func_lookup("COUNT", 5);
    ck_assert_ptr_nonnull(count);
    ck_assert(count->star_ok);
    ck_assert_int_eq(count->kind, SL_FN_AGG);
    ck_assert(!sl_func_lookup("SUM", 3)->star_ok);
    ck_assert(!sl_func_lookup("NOW", 3)->deterministic);
    ck_assert(!sl_func_lookup("PROCTIME", 8)->deterministic);
    ck_assert(sl_func_lookup("UPPER", 5)->deterministic);
    ck_assert_int_eq(sl_func_lookup("ROW_NUMBER", 10)->kind, SL_FN_RANK);
    ck_assert_int_eq(sl_func_lookup("TUMBLE_START", 12)->kind,
                     SL_FN_GROUP_AUX);

    /* TUMBLE, HOP and SESSION exist twice. */
    const char *dual[] = {"tumble", "HOP", "Session"};
    for (int i = 0; i < 3; i++) {
        int n = (int)strlen(dual[i]);
        const sl_func_t *tvf = sl_func_lookup_kind(dual[i], n,
                                                   SL_FN_WINDOW_TVF);
        const sl_func_t *gw = sl_func_lookup_kind(dual[i], n,
                                                  SL_FN_GROUP_WINDOW);
        ck_assert_ptr_nonnull(tvf);
        ck_assert_ptr_nonnull(gw);
        ck_assert_ptr_ne(tvf, gw);
        ck_assert_str_eq(tvf->name, gw->name);
        ck_assert_int_eq(tvf->kind, SL_FN_WINDOW_TVF);
        ck_assert_int_eq(gw->kind, SL_FN_GROUP_WINDOW);
        ck_assert_ptr_eq(sl_func_lookup(dual[i], n), tvf);
    }
    ck_assert_ptr_nonnull(sl_func_lookup_kind("CUMULATE", 8, SL_FN_WINDOW_TVF));
    ck_assert_ptr_null(sl_func_lookup_kind("CUMULATE", 8, SL_FN_GROUP_WINDOW));
    ck_assert_ptr_null(sl_func_lookup_kind("UPPER", 5, SL_FN_AGG));
}
END_TEST

START_TEST(test_table)
{
    int n = 0;
    while (sl_func_at(n)) n++;
    ck_assert_int_ge(n, 200);
    ck_assert_ptr_null(sl_func_at(-1));
    for (int i = 0; i < n; i++) {
        const sl_func_t *f = sl_func_at(i);
        ck_assert_ptr_nonnull(f->name);
        ck_assert_ptr_nonnull(f->infer);
        for (const char *p = f->name; *p; p++)
            ck_assert_msg(isupper((unsigned char)*p) || isdigit((unsigned char)*p) ||
                          *p == '_', "%s is not upper case", f->name);
        size_t len = strlen(f->name);
        ck_assert_msg(strncmp(f->signature, f->name, len) == 0 &&
                      f->signature[len] == '(' &&
                      f->signature[strlen(f->signature) - 1] == ')',
                      "%s: bad signature %s", f->name, f->signature);
        ck_assert_msg(f->min_args >= 0 &&
                      (f->max_args == -1 || f->max_args >= f->min_args),
                      "%s: arity %d..%d", f->name, f->min_args, f->max_args);
        ck_assert_msg(f->kind >= SL_FN_SCALAR && f->kind <= SL_FN_TABLE,
                      "%s: kind %d", f->name, f->kind);
        /* Each (name, kind) pair appears once. */
        for (int j = 0; j < i; j++) {
            const sl_func_t *g = sl_func_at(j);
            ck_assert_msg(strcmp(f->name, g->name) != 0 || f->kind != g->kind,
                          "%s listed twice", f->name);
        }
    }
}
END_TEST

/* The argument specification agrees with min_args/max_args: one argument
 * too few or too many is an error naming the function, even when every
 * argument is an untyped NULL (which fits any value position). */
START_TEST(test_arity)
{
    int n = 0;
    while (sl_func_at(n)) n++;
    const sl_type_t *types[20];
    for (int i = 0; i < 20; i++) types[i] = &sl_type_null;
    sl_expr_t call = {.kind = SL_X_CALL, .off = 7, .len = 3};
    for (int i = 0; i < n; i++) {
        const sl_func_t *f = sl_func_at(i);
        int counts[2] = {f->min_args - 1, f->max_args + 1};
        for (int k = 0; k < 2; k++) {
            if (counts[k] < 0 || (k == 1 && f->max_args < 0)) continue;
            sl_func_call_t fc = {.arena = &arena, .call = &call,
                                 .nargs = counts[k], .args = types};
            sl_err_t err;
            sl_err_clear(&err);
            ck_assert_msg(f->infer(&fc, &err) == NULL,
                          "%s accepts %d arguments", f->name, counts[k]);
            ck_assert_msg(strstr(err.msg, f->name) != NULL, "%s: %s", f->name,
                          err.msg);
            ck_assert_int_eq(err.off, 7);
        }
        /* And for functions whose positions all take values, the minimum
         * number of untyped NULLs is accepted. */
        if (strstr(f->signature, "UNIT") || strstr(f->signature, "FLAG") ||
            strstr(f->signature, "TABLE") || strstr(f->signature, "ROWTIME") ||
            strstr(f->signature, "PROCTIME") || strstr(f->signature, "*"))
            continue;
        sl_func_call_t fc = {.arena = &arena, .call = &call,
                             .nargs = f->min_args, .args = types};
        sl_err_t err;
        sl_err_clear(&err);
        ck_assert_msg(f->infer(&fc, &err) != NULL, "%s(NULL x %d): %s",
                      f->name, f->min_args, err.msg);
    }
}
END_TEST

START_TEST(test_no_argx)
{
    /* Without argument nodes errors point at the call, and literal-driven
     * rules fall back to the argument types. */
    const sl_type_t *types[] = {&dec11_2, &int_nn};
    sl_expr_t call = {.kind = SL_X_CALL, .off = 42, .len = 5};
    sl_func_call_t fc = {.arena = &arena, .call = &call, .nargs = 2,
                         .args = types};
    sl_err_t err;
    const sl_type_t *t = sl_func_lookup("ROUND", 5)->infer(&fc, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(sl_type_str(&arena, t), "DECIMAL(11, 2)");
    types[0] = &sl_type_string;
    sl_err_clear(&err);
    ck_assert_ptr_null(sl_func_lookup("ROUND", 5)->infer(&fc, &err));
    ck_assert_int_eq(err.off, 42);
    ck_assert_int_eq(err.code, SL_ETYPE);
}
END_TEST

START_TEST(test_suggest)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"SUBSTRNG", "SUBSTRING"}, {"countt", "COUNT"},
        {"CONCAT_W", "CONCAT_WS"}, {"TIMESTAMP_DIFF", "TIMESTAMPDIFF"},
        {"DATEFORMAT", "DATE_FORMAT"}, {"sum", "SUM"},
        {"XYZZY", NULL},           {"Q", NULL},
        {"LENGTH", NULL},          {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = sl_func_suggest(cases[i].in, (int)strlen(cases[i].in));
        if (!cases[i].want)
            ck_assert_msg(got == NULL, "%s -> %s", cases[i].in, got);
        else
            ck_assert_msg(got && strcmp(got, cases[i].want) == 0,
                          "%s -> %s, want %s", cases[i].in,
                          got ? got : "(null)", cases[i].want);
    }
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *functions_suite(void)
{
    Suite *s = suite_create("functions");
    TCase *tc = tcase_create("functions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_infer, 0, N(calls));
    tcase_add_test(tc, test_lookup);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_arity);
    tcase_add_test(tc, test_no_argx);
    tcase_add_test(tc, test_suggest);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(functions_suite());
}
