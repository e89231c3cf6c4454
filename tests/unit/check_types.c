/* check_types.c - Flink logical types: spelling, common types, casts. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sql/ast.h"
#include "sql/types.h"
#include "testutil.h"

/* ---- fixtures: types built by hand ------------------------------------- */

#define TY(ID, LEN) { .id = (ID), .nullable = true, .len = (LEN) }
#define TYNN(ID, LEN) { .id = (ID), .nullable = false, .len = (LEN) }

static const sl_type_t int_nn = TYNN(SL_T_INT, 0);
static const sl_type_t tinyint_nn = TYNN(SL_T_TINYINT, 0);
static const sl_type_t smallint_nn = TYNN(SL_T_SMALLINT, 0);
static const sl_type_t bigint_nn = TYNN(SL_T_BIGINT, 0);
static const sl_type_t bool_nn = TYNN(SL_T_BOOLEAN, 0);
static const sl_type_t dec11_2 = { .id = SL_T_DECIMAL, .nullable = true,
                                   .len = 11, .scale = 2 };
static const sl_type_t dec11_2_nn = { .id = SL_T_DECIMAL, .len = 11,
                                      .scale = 2 };
static const sl_type_t dec11_3 = { .id = SL_T_DECIMAL, .nullable = true,
                                   .len = 11, .scale = 3 };
static const sl_type_t dec5_2 = { .id = SL_T_DECIMAL, .nullable = true,
                                  .len = 5, .scale = 2 };
static const sl_type_t dec5_3 = { .id = SL_T_DECIMAL, .nullable = true,
                                  .len = 5, .scale = 3 };
static const sl_type_t dec38_10 = { .id = SL_T_DECIMAL, .nullable = true,
                                    .len = 38, .scale = 10 };
static const sl_type_t dec30_10 = { .id = SL_T_DECIMAL, .nullable = true,
                                    .len = 30, .scale = 10 };
static const sl_type_t dec38_0 = { .id = SL_T_DECIMAL, .nullable = true,
                                   .len = 38, .scale = 0 };
static const sl_type_t char3 = TY(SL_T_CHAR, 3);
static const sl_type_t char5 = TY(SL_T_CHAR, 5);
static const sl_type_t char10 = TY(SL_T_CHAR, 10);
static const sl_type_t char2 = TY(SL_T_CHAR, 2);
static const sl_type_t varchar5 = TY(SL_T_VARCHAR, 5);
static const sl_type_t varchar10 = TY(SL_T_VARCHAR, 10);
static const sl_type_t varchar32 = TY(SL_T_VARCHAR, 32);
static const sl_type_t varchar3 = TY(SL_T_VARCHAR, 3);
static const sl_type_t string_nn = TYNN(SL_T_VARCHAR, SL_MAX_LENGTH);
static const sl_type_t binary2 = TY(SL_T_BINARY, 2);
static const sl_type_t binary3 = TY(SL_T_BINARY, 3);
static const sl_type_t binary4 = TY(SL_T_BINARY, 4);
static const sl_type_t varbinary4 = TY(SL_T_VARBINARY, 4);
static const sl_type_t varbinary8 = TY(SL_T_VARBINARY, 8);
static const sl_type_t time0 = TY(SL_T_TIME, 0);
static const sl_type_t time3 = TY(SL_T_TIME, 3);
static const sl_type_t ts3 = TY(SL_T_TIMESTAMP, 3);
static const sl_type_t ts3_nn = TYNN(SL_T_TIMESTAMP, 3);
static const sl_type_t ts6 = TY(SL_T_TIMESTAMP, 6);
static const sl_type_t ltz3 = TY(SL_T_TIMESTAMP_LTZ, 3);
static const sl_type_t ltz6_nn = TYNN(SL_T_TIMESTAMP_LTZ, 6);
static const sl_type_t rowtime = { .id = SL_T_TIMESTAMP, .nullable = true,
                                   .len = 3, .time_attr = SL_TA_ROWTIME };
static const sl_type_t rowtime_nn = { .id = SL_T_TIMESTAMP, .len = 3,
                                      .time_attr = SL_TA_ROWTIME };
static const sl_type_t proctime = { .id = SL_T_TIMESTAMP_LTZ, .len = 3,
                                    .time_attr = SL_TA_PROCTIME };
static const sl_type_t idt_nn = { .id = SL_T_INTERVAL_DT, .len = 3,
                                  .nfields = 2 };
/* INTERVAL DAY(2) TO SECOND(6) */
static const sl_type_t idt_day_sec = {
    .id = SL_T_INTERVAL_DT, .nullable = true, .len = 6, .nfields = 2,
    .scale = SL_U_DAY * 32 + SL_U_SECOND };
/* INTERVAL YEAR(4) TO MONTH */
static const sl_type_t iym_year_month = {
    .id = SL_T_INTERVAL_YM, .nullable = true, .nfields = 4,
    .scale = SL_U_YEAR * 32 + SL_U_MONTH };
/* INTERVAL HOUR TO MINUTE */
static const sl_type_t idt_hour_min = {
    .id = SL_T_INTERVAL_DT, .nullable = true, .len = 6, .nfields = 2,
    .scale = SL_U_HOUR * 32 + SL_U_MINUTE };
/* INTERVAL DAY(3) */
static const sl_type_t idt_day = {
    .id = SL_T_INTERVAL_DT, .nullable = true, .len = 6, .nfields = 3,
    .scale = SL_U_DAY * 32 };

static const sl_type_t arr_int = { .id = SL_T_ARRAY, .nullable = true,
                                   .elem = &sl_type_int };
static const sl_type_t arr_int_nn = { .id = SL_T_ARRAY, .elem = &int_nn };
static const sl_type_t arr_bigint_nn_elem = { .id = SL_T_ARRAY,
                                              .nullable = true,
                                              .elem = &bigint_nn };
static const sl_type_t arr_bigint = { .id = SL_T_ARRAY, .nullable = true,
                                      .elem = &sl_type_bigint };
static const sl_type_t arr_string = { .id = SL_T_ARRAY, .nullable = true,
                                      .elem = &sl_type_string };
static const sl_type_t mset_string = { .id = SL_T_MULTISET, .nullable = true,
                                       .elem = &sl_type_string };
static const sl_type_t map_str_int = { .id = SL_T_MAP, .nullable = true,
                                       .key = &sl_type_string,
                                       .elem = &sl_type_int };
static const sl_type_t map_char3_bigint = { .id = SL_T_MAP, .nullable = true,
                                            .key = &char3,
                                            .elem = &sl_type_bigint };
static const sl_type_t map_str_bigint = { .id = SL_T_MAP, .nullable = true,
                                          .key = &sl_type_string,
                                          .elem = &sl_type_bigint };
static const sl_type_t arr_dec5_2 = { .id = SL_T_ARRAY, .nullable = true,
                                      .elem = &dec5_2 };
static const sl_type_t map_str_arr = { .id = SL_T_MAP, .nullable = true,
                                       .key = &sl_type_string,
                                       .elem = &arr_dec5_2 };
static const sl_field_t ab_fields[] = {
    {"a", &sl_type_int, NULL}, {"b", &sl_type_string, NULL}};
static const sl_type_t row_ab = { .id = SL_T_ROW, .nullable = true,
                                  .nfields = 2, .fields = ab_fields };
static const sl_field_t xy_fields[] = {
    {"x", &sl_type_bigint, NULL}, {"y", &char2, NULL}};
static const sl_type_t row_xy = { .id = SL_T_ROW, .nullable = true,
                                  .nfields = 2, .fields = xy_fields };
static const sl_field_t bs_fields[] = {
    {"a", &sl_type_bigint, NULL}, {"b", &sl_type_string, NULL}};
static const sl_type_t row_bs = { .id = SL_T_ROW, .nullable = true,
                                  .nfields = 2, .fields = bs_fields };
static const sl_field_t one_field[] = {{"a", &sl_type_int, NULL}};
static const sl_type_t row_one = { .id = SL_T_ROW, .nullable = true,
                                   .nfields = 1, .fields = one_field };
static const sl_field_t odd_fields[] = {{"a`b", &int_nn, "it's"}};
static const sl_type_t row_odd = { .id = SL_T_ROW, .nfields = 1,
                                   .fields = odd_fields };
static const sl_type_t raw = TY(SL_T_RAW, 0);

static sl_arena_t arena;

static void setup(void) { sl_arena_init(&arena, 0); }
static void teardown(void) { sl_arena_destroy(&arena); }

static const char *fmt(const sl_type_t *t)
{
    const char *s = sl_type_str(&arena, t);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ---- formatting ----------------------------------------------------------- */

static const struct {
    const sl_type_t *t;
    const char *want;
} fmt_cases[] = {
    {&sl_type_null, "NULL"},
    {&sl_type_boolean, "BOOLEAN"},
    {&bool_nn, "BOOLEAN NOT NULL"},
    {&sl_type_tinyint, "TINYINT"},
    {&sl_type_smallint, "SMALLINT"},
    {&sl_type_int, "INT"},
    {&int_nn, "INT NOT NULL"},
    {&sl_type_bigint, "BIGINT"},
    {&dec11_2, "DECIMAL(11, 2)"},
    {&dec11_2_nn, "DECIMAL(11, 2) NOT NULL"},
    {&sl_type_float, "FLOAT"},
    {&sl_type_double, "DOUBLE"},
    {&char3, "CHAR(3)"},
    {&varchar32, "VARCHAR(32)"},
    {&sl_type_string, "STRING"},
    {&string_nn, "STRING NOT NULL"},
    {&binary4, "BINARY(4)"},
    {&varbinary8, "VARBINARY(8)"},
    {&sl_type_bytes, "BYTES"},
    {&sl_type_date, "DATE"},
    {&time0, "TIME(0)"},
    {&ts3, "TIMESTAMP(3)"},
    {&ltz6_nn, "TIMESTAMP_LTZ(6) NOT NULL"},
    {&rowtime, "TIMESTAMP(3) *ROWTIME*"},
    {&rowtime_nn, "TIMESTAMP(3) NOT NULL *ROWTIME*"},
    {&proctime, "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*"},
    {&sl_type_interval_dt, "INTERVAL SECOND(3)"},
    {&idt_nn, "INTERVAL SECOND(3) NOT NULL"},
    {&sl_type_interval_ym, "INTERVAL MONTH"},
    {&idt_day_sec, "INTERVAL DAY(2) TO SECOND(6)"},
    {&idt_hour_min, "INTERVAL HOUR TO MINUTE"},
    {&idt_day, "INTERVAL DAY(3)"},
    {&iym_year_month, "INTERVAL YEAR(4) TO MONTH"},
    {&row_ab, "ROW<`a` INT, `b` STRING>"},
    {&row_odd, "ROW<`a``b` INT NOT NULL 'it''s'> NOT NULL"},
    {&arr_int, "ARRAY<INT>"},
    {&arr_int_nn, "ARRAY<INT NOT NULL> NOT NULL"},
    {&mset_string, "MULTISET<STRING>"},
    {&map_str_int, "MAP<STRING, INT>"},
    {&map_str_arr, "MAP<STRING, ARRAY<DECIMAL(5, 2)>>"},
    {&sl_type_symbol, "SYMBOL"},
    {&sl_type_descriptor, "DESCRIPTOR"},
    {&sl_type_table, "TABLE"},
};

START_TEST(test_format)
{
    const char *got = fmt(fmt_cases[_i].t);
    ck_assert_msg(strcmp(got, fmt_cases[_i].want) == 0,
                  "case %d: got '%s', want '%s'", _i, got, fmt_cases[_i].want);
}
END_TEST

START_TEST(test_format_appends)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    ck_assert_int_eq(sl_strbuf_puts(&sb, "x: "), 0);
    ck_assert_int_eq(sl_type_format(&sb, &dec11_2_nn), 0);
    ck_assert_str_eq(sl_strbuf_cstr(&sb), "x: DECIMAL(11, 2) NOT NULL");
    sl_strbuf_destroy(&sb);
}
END_TEST

START_TEST(test_interval_ctor)
{
    const sl_type_t *t = sl_type_interval(&arena, SL_T_INTERVAL_DT, SL_U_DAY,
                                          SL_U_SECOND, 2, 3, false);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(fmt(t), "INTERVAL DAY(2) TO SECOND(3) NOT NULL");
    t = sl_type_interval(&arena, SL_T_INTERVAL_DT, SL_U_MINUTE, SL_U_NONE, 2,
                         0, true);
    ck_assert_str_eq(fmt(t), "INTERVAL MINUTE");
    t = sl_type_interval(&arena, SL_T_INTERVAL_YM, SL_U_YEAR, SL_U_NONE, 2, 0,
                         true);
    ck_assert_str_eq(fmt(t), "INTERVAL YEAR(2)");
    /* An explicit SECOND resolution is the same type as the default. */
    t = sl_type_interval(&arena, SL_T_INTERVAL_DT, SL_U_SECOND, SL_U_NONE, 2,
                         3, true);
    ck_assert(sl_type_equal(t, &sl_type_interval_dt));
    ck_assert(!sl_type_equal(&idt_day_sec, &sl_type_interval_dt));
}
END_TEST

/* ---- constructors --------------------------------------------------------- */

START_TEST(test_constructors)
{
    sl_type_t *t = sl_type_new(&arena, SL_T_VARCHAR);
    ck_assert_ptr_nonnull(t);
    ck_assert(t->nullable);
    ck_assert_str_eq(fmt(t), "VARCHAR(1)");
    ck_assert_str_eq(fmt(sl_type_new(&arena, SL_T_DECIMAL)), "DECIMAL(10, 0)");
    ck_assert_str_eq(fmt(sl_type_new(&arena, SL_T_TIMESTAMP)), "TIMESTAMP(6)");
    ck_assert_str_eq(fmt(sl_type_new(&arena, SL_T_TIME)), "TIME(0)");
    ck_assert_str_eq(fmt(sl_type_new(&arena, SL_T_INTERVAL_DT)),
                     "INTERVAL SECOND(3)");

    ck_assert_ptr_eq(sl_type_varchar(&arena, SL_MAX_LENGTH, true),
                     &sl_type_string);
    ck_assert_str_eq(fmt(sl_type_varchar(&arena, 20, false)),
                     "VARCHAR(20) NOT NULL");
    ck_assert_str_eq(fmt(sl_type_decimal(&arena, 19, 4, true)),
                     "DECIMAL(19, 4)");
    ck_assert_str_eq(fmt(sl_type_timestamp(&arena, SL_T_TIMESTAMP_LTZ, 3,
                                           false)),
                     "TIMESTAMP_LTZ(3) NOT NULL");

    /* No copy when nothing changes; a copy that leaves the original alone
     * when something does. */
    ck_assert_ptr_eq(sl_type_with_nullable(&arena, &sl_type_int, true),
                     &sl_type_int);
    const sl_type_t *nn = sl_type_with_nullable(&arena, &sl_type_int, false);
    ck_assert_ptr_ne(nn, &sl_type_int);
    ck_assert_str_eq(fmt(nn), "INT NOT NULL");
    ck_assert(sl_type_int.nullable);
    ck_assert_ptr_eq(sl_type_with_nullable(&arena, &sl_type_null, false),
                     &sl_type_null);

    ck_assert_ptr_eq(sl_type_plain(&arena, &ts3), &ts3);
    const sl_type_t *p = sl_type_plain(&arena, &rowtime_nn);
    ck_assert_str_eq(fmt(p), "TIMESTAMP(3) NOT NULL");
    ck_assert_int_eq(rowtime_nn.time_attr, SL_TA_ROWTIME);

    sl_type_t *c = sl_type_copy(&arena, &row_ab);
    ck_assert_ptr_nonnull(c);
    ck_assert(sl_type_equal(c, &row_ab));
}
END_TEST

/* ---- predicates, equality ------------------------------------------------- */

START_TEST(test_predicates)
{
    ck_assert(sl_type_is_integer(&sl_type_tinyint));
    ck_assert(sl_type_is_integer(&bigint_nn));
    ck_assert(!sl_type_is_integer(&dec11_2));
    ck_assert(sl_type_is_exact(&dec11_2));
    ck_assert(!sl_type_is_exact(&sl_type_double));
    ck_assert(sl_type_is_numeric(&sl_type_float));
    ck_assert(!sl_type_is_numeric(&sl_type_boolean));
    ck_assert(sl_type_is_string(&char3));
    ck_assert(!sl_type_is_string(&sl_type_bytes));
    ck_assert(sl_type_is_binary(&binary4));
    ck_assert(sl_type_is_temporal(&sl_type_date));
    ck_assert(sl_type_is_temporal(&proctime));
    ck_assert(!sl_type_is_temporal(&idt_nn));
    ck_assert(sl_type_is_timestamp(&ltz3));
    ck_assert(!sl_type_is_timestamp(&time0));
    ck_assert(sl_type_is_interval(&iym_year_month));
    ck_assert(!sl_type_is_interval(&sl_type_bigint));
    ck_assert(!sl_type_is_numeric(NULL));
}
END_TEST

START_TEST(test_equal)
{
    ck_assert(sl_type_equal(&dec11_2, &dec11_2_nn));
    ck_assert(!sl_type_equal(&dec11_2, &dec11_3));
    ck_assert(sl_type_equal(&rowtime, &ts3));
    ck_assert(!sl_type_equal(&char3, &varchar3));
    ck_assert(!sl_type_equal(&ts3, &ts6));
    ck_assert(!sl_type_equal(&row_ab, &row_bs));
    ck_assert(!sl_type_equal(&row_ab, &row_one));
    ck_assert(sl_type_equal(&arr_int, &arr_int_nn));
    ck_assert(!sl_type_equal(&arr_int, &arr_bigint));
    ck_assert(!sl_type_equal(&map_str_int, &map_str_bigint));
    ck_assert(!sl_type_equal(&sl_type_int, NULL));
}
END_TEST

START_TEST(test_decimal_of)
{
    static const struct {
        const sl_type_t *t;
        int p, s;
    } cases[] = {
        {&sl_type_tinyint, 3, 0}, {&sl_type_smallint, 5, 0},
        {&sl_type_int, 10, 0},    {&sl_type_bigint, 19, 0},
        {&dec11_2, 11, 2},        {&sl_type_double, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int p = -1, s = -1;
        sl_type_decimal_of(cases[i].t, &p, &s);
        ck_assert_int_eq(p, cases[i].p);
        ck_assert_int_eq(s, cases[i].s);
    }
}
END_TEST

/* ---- common type ----------------------------------------------------------- */

static const struct {
    const sl_type_t *x, *y;
    const char *want;          /* NULL: no common type */
} common_cases[] = {
    {&sl_type_int, &sl_type_bigint, "BIGINT"},
    {&tinyint_nn, &smallint_nn, "SMALLINT NOT NULL"},
    {&int_nn, &sl_type_bigint, "BIGINT"},
    {&sl_type_int, &dec11_2, "DECIMAL(12, 2)"},
    {&sl_type_bigint, &dec5_3, "DECIMAL(22, 3)"},
    {&dec38_10, &sl_type_bigint, "DECIMAL(38, 10)"},
    {&dec30_10, &dec38_0, "DECIMAL(38, 0)"},
    {&dec11_2, &dec11_2_nn, "DECIMAL(11, 2)"},
    {&sl_type_int, &sl_type_double, "DOUBLE"},
    {&sl_type_int, &sl_type_float, "FLOAT"},
    {&dec11_2, &sl_type_float, "DOUBLE"},
    {&char3, &char3, "CHAR(3)"},
    {&char3, &char5, "VARCHAR(5)"},
    {&char10, &varchar5, "VARCHAR(10)"},
    {&sl_type_string, &char3, "STRING"},
    {&binary2, &varbinary4, "VARBINARY(4)"},
    {&sl_type_bytes, &binary3, "BYTES"},
    {&sl_type_date, &ts3, "TIMESTAMP(3)"},
    {&ts3, &ts6, "TIMESTAMP(6)"},
    {&ts6, &ltz3, "TIMESTAMP_LTZ(6)"},
    {&time0, &time3, "TIME(3)"},
    {&time0, &ts3, NULL},
    {&sl_type_null, &int_nn, "INT"},
    {&int_nn, &sl_type_null, "INT"},
    {&sl_type_null, &sl_type_null, "NULL"},
    {&rowtime_nn, &ts3_nn, "TIMESTAMP(3) NOT NULL"},
    {&proctime, &proctime, "TIMESTAMP_LTZ(3) NOT NULL"},
    {&sl_type_boolean, &bool_nn, "BOOLEAN"},
    {&sl_type_int, &sl_type_string, NULL},
    {&sl_type_boolean, &sl_type_int, NULL},
    {&sl_type_date, &sl_type_int, NULL},
    {&sl_type_string, &sl_type_bytes, NULL},
    {&arr_int, &arr_bigint_nn_elem, "ARRAY<BIGINT>"},
    {&arr_int_nn, &arr_int_nn, "ARRAY<INT NOT NULL> NOT NULL"},
    {&map_str_int, &map_char3_bigint, "MAP<STRING, BIGINT>"},
    {&row_ab, &row_xy, "ROW<`a` BIGINT, `b` STRING>"},
    {&row_ab, &row_one, NULL},
    {&arr_int, &arr_string, NULL},
    {&sl_type_interval_dt, &idt_day_sec, "INTERVAL DAY(2) TO SECOND(6)"},
    {&idt_nn, &idt_nn, "INTERVAL SECOND(3) NOT NULL"},
    {&sl_type_interval_ym, &sl_type_interval_dt, NULL},
    {&raw, &sl_type_int, NULL},
};

START_TEST(test_common)
{
    const sl_type_t *got = sl_type_common(&arena, common_cases[_i].x,
                                          common_cases[_i].y);
    const char *want = common_cases[_i].want;
    if (!want) {
        ck_assert_msg(got == NULL, "case %d: want no common type, got %s", _i,
                      got ? fmt(got) : "");
        return;
    }
    ck_assert_msg(got != NULL, "case %d: no common type, want %s", _i, want);
    ck_assert_msg(strcmp(fmt(got), want) == 0, "case %d: got '%s', want '%s'",
                  _i, fmt(got), want);
    /* Symmetric up to field names. */
    const sl_type_t *rev = sl_type_common(&arena, common_cases[_i].y,
                                          common_cases[_i].x);
    ck_assert_msg(rev && sl_type_equal(sl_type_plain(&arena, rev),
                                       sl_type_plain(&arena, got)) ==
                             (common_cases[_i].x->id != SL_T_ROW),
                  "case %d: not symmetric", _i);
    ck_assert_int_eq(rev->nullable, got->nullable);
}
END_TEST

/* ---- casts ---------------------------------------------------------------- */

static const struct {
    const sl_type_t *from, *to;
    bool assignable;           /* implicit, as INSERT INTO allows */
    bool castable;             /* explicit CAST */
} cast_cases[] = {
    {&sl_type_int, &sl_type_bigint, true, true},
    {&sl_type_bigint, &sl_type_int, false, true},
    {&sl_type_tinyint, &sl_type_smallint, true, true},
    {&sl_type_int, &dec5_2, true, true},
    {&dec11_2, &sl_type_int, false, true},
    {&dec11_2, &sl_type_double, true, true},
    {&dec11_2, &sl_type_float, true, true},
    {&sl_type_double, &sl_type_float, false, true},
    {&sl_type_int, &sl_type_float, true, true},
    {&varchar10, &varchar5, true, true},
    {&sl_type_string, &char3, false, true},
    {&char3, &sl_type_string, true, true},
    {&binary3, &sl_type_bytes, true, true},
    {&sl_type_bytes, &binary3, false, true},
    {&sl_type_string, &sl_type_bytes, false, true},
    {&sl_type_bytes, &sl_type_string, false, true},
    {&sl_type_int, &sl_type_string, false, true},
    {&sl_type_string, &sl_type_int, false, true},
    {&sl_type_string, &sl_type_boolean, false, true},
    {&sl_type_int, &sl_type_boolean, false, true},
    {&sl_type_boolean, &sl_type_int, false, true},
    {&sl_type_boolean, &sl_type_date, false, false},
    {&ts3, &ltz3, true, true},
    {&ltz3, &ts3, true, true},
    {&ts3, &sl_type_date, true, true},
    {&sl_type_date, &ts3, false, true},
    {&ts3, &time0, true, true},
    {&time0, &ts3, false, true},
    {&sl_type_date, &time0, false, false},
    {&time0, &sl_type_date, false, false},
    {&sl_type_int, &ts3, false, true},
    {&sl_type_int, &sl_type_date, false, false},
    {&dec11_2, &ts3, false, true},
    {&ts3, &dec11_2, false, true},
    {&sl_type_null, &sl_type_int, true, true},
    {&sl_type_null, &int_nn, false, true},
    {&sl_type_int, &int_nn, true, true},
    {&rowtime, &ts3, true, true},
    {&arr_int, &arr_bigint, true, true},
    {&arr_bigint, &arr_int, false, true},
    {&arr_int, &arr_string, false, true},
    {&arr_int, &sl_type_string, false, false},
    {&row_ab, &row_bs, true, true},
    {&row_ab, &row_one, false, false},
    {&map_str_int, &map_str_bigint, true, true},
    {&idt_nn, &sl_type_bigint, true, true},
    {&idt_day_sec, &sl_type_bigint, false, false},
    {&sl_type_bigint, &idt_day, true, true},
    {&sl_type_string, &sl_type_interval_dt, false, true},
    {&sl_type_interval_dt, &sl_type_double, false, false},
    {&sl_type_interval_ym, &sl_type_interval_dt, false, false},
    {&sl_type_symbol, &sl_type_int, false, false},
    {&raw, &raw, true, true},
};

START_TEST(test_casts)
{
    bool a = sl_type_assignable(cast_cases[_i].from, cast_cases[_i].to);
    bool c = sl_type_castable(cast_cases[_i].from, cast_cases[_i].to);
    ck_assert_msg(a == cast_cases[_i].assignable,
                  "case %d: %s -> %s assignable %d, want %d", _i,
                  fmt(cast_cases[_i].from), fmt(cast_cases[_i].to), a,
                  cast_cases[_i].assignable);
    ck_assert_msg(c == cast_cases[_i].castable,
                  "case %d: %s -> %s castable %d, want %d", _i,
                  fmt(cast_cases[_i].from), fmt(cast_cases[_i].to), c,
                  cast_cases[_i].castable);
}
END_TEST

START_TEST(test_cast_identity)
{
    /* Every type of the format table can be assigned and cast to itself. */
    for (size_t i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
        const sl_type_t *t = fmt_cases[i].t;
        const sl_type_t *to = sl_type_with_nullable(&arena, t, true);
        ck_assert_msg(sl_type_assignable(t, to), "%s", fmt(t));
        ck_assert_msg(sl_type_castable(t, to), "%s", fmt(t));
    }
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *types_suite(void)
{
    Suite *s = suite_create("types");
    TCase *tc = tcase_create("types");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_format, 0, N(fmt_cases));
    tcase_add_test(tc, test_format_appends);
    tcase_add_test(tc, test_interval_ctor);
    tcase_add_test(tc, test_constructors);
    tcase_add_test(tc, test_predicates);
    tcase_add_test(tc, test_equal);
    tcase_add_test(tc, test_decimal_of);
    tcase_add_loop_test(tc, test_common, 0, N(common_cases));
    tcase_add_loop_test(tc, test_casts, 0, N(cast_cases));
    tcase_add_test(tc, test_cast_identity);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(types_suite());
}
