/* typespec.h - test helpers shared by the value and function suites: types
 * and values written as text ("DECIMAL(10, 2)", "ARRAY<INT>", "[1, null]").
 * The including file defines `static sl_arena_t A;` before including it;
 * everything built here lives in that arena. */
#ifndef SL_TEST_TYPESPEC_H
#define SL_TEST_TYPESPEC_H

#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exec/value.h"
#include "sql/types.h"
#include "util/arena.h"
#include "util/err.h"

/* ---- type specs ------------------------------------------------------------------ */

static const sl_type_t *parse_type(const char **pp);

static void skip_ws(const char **pp)
{
    while (**pp == ' ') (*pp)++;
}

static int read_int(const char **pp)
{
    skip_ws(pp);
    int v = (int)strtol(*pp, (char **)pp, 10);
    skip_ws(pp);
    return v;
}

static const sl_type_t *parse_type(const char **pp)
{
    skip_ws(pp);
    const char *p = *pp;
    char word[32];
    int n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_') {
        word[n] = p[n];
        n++;
    }
    word[n] = '\0';
    p += n;
    *pp = p;
    static const struct {
        const char *w;
        sl_type_id_t id;
        int len;
    } simple[] = {
        {"NULL", SL_T_NULL, 0}, {"BOOLEAN", SL_T_BOOLEAN, 0}, {"TINYINT", SL_T_TINYINT, 0},
        {"SMALLINT", SL_T_SMALLINT, 0}, {"INT", SL_T_INT, 0}, {"BIGINT", SL_T_BIGINT, 0},
        {"FLOAT", SL_T_FLOAT, 0}, {"DOUBLE", SL_T_DOUBLE, 0}, {"DATE", SL_T_DATE, 0},
        {"STRING", SL_T_VARCHAR, SL_MAX_LENGTH}, {"BYTES", SL_T_VARBINARY, SL_MAX_LENGTH},
        {"SYM", SL_T_SYMBOL, 0},
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (strcmp(word, simple[i].w) == 0) {
            sl_type_t *t = sl_type_new(&A, simple[i].id);
            t->len = simple[i].len;
            return t;
        }
    }
    if (!strcmp(word, "INTERVAL_YM")) return &sl_type_interval_ym;
    if (!strcmp(word, "INTERVAL_DT")) return &sl_type_interval_dt;
    if (!strcmp(word, "INTERVAL_DAY_SECOND"))
        return sl_type_interval(&A, SL_T_INTERVAL_DT, SL_U_DAY, SL_U_SECOND, 2, 3, true);
    if (!strcmp(word, "INTERVAL_YEAR"))
        return sl_type_interval(&A, SL_T_INTERVAL_YM, SL_U_YEAR, SL_U_NONE, 2, 0, true);
    static const struct {
        const char *w;
        sl_type_id_t id;
    } param[] = {
        {"DECIMAL", SL_T_DECIMAL}, {"CHAR", SL_T_CHAR}, {"VARCHAR", SL_T_VARCHAR},
        {"BINARY", SL_T_BINARY}, {"VARBINARY", SL_T_VARBINARY}, {"TIME", SL_T_TIME},
        {"TIMESTAMP", SL_T_TIMESTAMP}, {"TIMESTAMP_LTZ", SL_T_TIMESTAMP_LTZ},
    };
    for (size_t i = 0; i < sizeof param / sizeof param[0]; i++) {
        if (strcmp(word, param[i].w) == 0) {
            sl_type_t *t = sl_type_new(&A, param[i].id);
            if (**pp == '(') {
                (*pp)++;
                t->len = read_int(pp);
                if (**pp == ',') {
                    (*pp)++;
                    t->scale = (int16_t)read_int(pp);
                }
                ck_assert_int_eq(**pp, ')');
                (*pp)++;
            } else if (t->id == SL_T_DECIMAL) {
                t->len = 10;
            } else if (t->id == SL_T_TIME) {
                t->len = 0;
            }
            return t;
        }
    }
    if (!strcmp(word, "ARRAY") || !strcmp(word, "MULTISET")) {
        sl_type_t *t = sl_type_new(&A, word[0] == 'A' ? SL_T_ARRAY : SL_T_MULTISET);
        ck_assert_int_eq(**pp, '<');
        (*pp)++;
        t->elem = parse_type(pp);
        skip_ws(pp);
        ck_assert_int_eq(**pp, '>');
        (*pp)++;
        return t;
    }
    if (!strcmp(word, "MAP")) {
        sl_type_t *t = sl_type_new(&A, SL_T_MAP);
        ck_assert_int_eq(**pp, '<');
        (*pp)++;
        t->key = parse_type(pp);
        skip_ws(pp);
        ck_assert_int_eq(**pp, ',');
        (*pp)++;
        t->elem = parse_type(pp);
        skip_ws(pp);
        ck_assert_int_eq(**pp, '>');
        (*pp)++;
        return t;
    }
    if (!strcmp(word, "ROW")) {
        sl_type_t *t = sl_type_new(&A, SL_T_ROW);
        sl_field_t *f = sl_arena_calloc(&A, 16 * sizeof *f);
        ck_assert_int_eq(**pp, '<');
        (*pp)++;
        int k = 0;
        for (;;) {
            skip_ws(pp);
            const char *b = *pp;
            while (isalnum((unsigned char)**pp) || **pp == '_') (*pp)++;
            f[k].name = sl_arena_strndup(&A, b, (size_t)(*pp - b));
            f[k].type = parse_type(pp);
            k++;
            skip_ws(pp);
            if (**pp == ',') {
                (*pp)++;
                continue;
            }
            ck_assert_int_eq(**pp, '>');
            (*pp)++;
            break;
        }
        t->fields = f;
        t->nfields = (int16_t)k;
        return t;
    }
    ck_abort_msg("unknown type spec '%s'", word);
    return NULL;
}

static const sl_type_t *T(const char *spec)
{
    const char *p = spec;
    const sl_type_t *t = parse_type(&p);
    skip_ws(&p);
    ck_assert_msg(*p == '\0', "trailing text in type spec '%s'", spec);
    return t;
}

/* ---- value literals -------------------------------------------------------------- */

static void parse_val(const sl_type_t *t, const char **pp, sl_value_t *out, bool key);

/* Text of a nested element: up to a top-level ',' (or '=' after a map key)
 * or the closing bracket. */
static size_t elem_len(const char *p, bool key)
{
    int depth = 0;
    size_t i = 0;
    for (; p[i]; i++) {
        char c = p[i];
        if (c == '[' || c == '{' || c == '(') depth++;
        else if (c == ']' || c == '}' || c == ')') {
            if (depth == 0) break;
            depth--;
        } else if ((c == ',' || (key && c == '=')) && depth == 0) {
            break;
        }
    }
    return i;
}

static void parse_val(const sl_type_t *t, const char **pp, sl_value_t *out, bool key)
{
    const char *p = *pp;
    if (!strncmp(p, "null", 4) && (p[4] == '\0' || p[4] == ',' || p[4] == ']' ||
                                    p[4] == '}' || p[4] == ')' || p[4] == '=')) {
        *out = sl_value_null();
        *pp = p + 4;
        return;
    }
    memset(out, 0, sizeof *out);
    if (t->id == SL_T_ARRAY || t->id == SL_T_MULTISET || t->id == SL_T_ROW ||
        t->id == SL_T_MAP) {
        char open = *p++;
        sl_value_t items[64];
        int n = 0;
        while (*p && *p != ']' && *p != '}' && *p != ')') {
            const sl_type_t *et = t->id == SL_T_ROW ? t->fields[n].type
                                : t->id == SL_T_MAP ? ((n % 2) ? t->elem : t->key)
                                                    : t->elem;
            parse_val(et, &p, &items[n], t->id == SL_T_MAP && n % 2 == 0);
            n++;
            if (*p == ',' || *p == '=') p++;
            while (*p == ' ') p++;
        }
        ck_assert(*p);
        p++;
        (void)open;
        int cnt = t->id == SL_T_MAP ? n / 2 : n;
        sl_nested_t *nv = sl_arena_alloc(&A, sizeof *nv + (size_t)n * sizeof(sl_value_t));
        nv->n = cnt;
        if (t->id == SL_T_MAP) {
            for (int i = 0; i < cnt; i++) {
                nv->v[i] = items[2 * i];
                nv->v[cnt + i] = items[2 * i + 1];
            }
        } else {
            memcpy(nv->v, items, (size_t)n * sizeof(sl_value_t));
        }
        out->nested = nv;
        out->len = (uint32_t)cnt;
        *pp = p;
        return;
    }
    size_t n = elem_len(p, key);
    sl_err_t err;
    int rc = sl_value_parse(p, n, t, out, &A, &err);
    ck_assert_msg(rc == 0, "parse '%.*s': %s", (int)n, p, err.msg);
    *pp = p + n;
}

/* A value of type t from text (NULL text: SQL NULL; whole text, no nesting
 * syntax, for scalars). */
static sl_value_t V(const sl_type_t *t, const char *text)
{
    sl_value_t v;
    if (!text) return sl_value_null();
    if (t->id == SL_T_ARRAY || t->id == SL_T_MULTISET || t->id == SL_T_ROW ||
        t->id == SL_T_MAP || !strcmp(text, "null")) {
        const char *p = text;
        parse_val(t, &p, &v, false);
        return v;
    }
    sl_err_t err;
    int rc = sl_value_parse(text, strlen(text), t, &v, &A, &err);
    ck_assert_msg(rc == 0, "parse '%s': %s", text, err.msg);
    return v;
}

#endif
