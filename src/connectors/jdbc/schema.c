/* schema.c - tables, columns and keys of the jdbc connector (see schema.h). */
#include "connectors/jdbc/schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static char *adup(sl_jdbc_table_t *t, const char *s) { return sl_arena_strdup(&t->arena, s ? s : ""); }

void sl_jdbc_table_free(sl_jdbc_table_t *t)
{
    sl_arena_destroy(&t->arena);
    memset(t, 0, sizeof *t);
}

int sl_jdbc_table_find(const sl_jdbc_table_t *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name)) return i;
    for (int i = 0; i < t->ncols; i++)
        if (!strcasecmp(t->cols[i].name, name)) return i;
    return -1;
}

/* Runs sql (a small result) and returns the rows; the caller closes. */
static int small_query(sl_jdbc_conn_t *c, sl_strbuf_t *sql, sl_jdbc_rows_t *r, sl_err_t *err)
{
    if (!sql->buf) return oom(err);
    return sl_jdbc_query(c, sql->buf, 0, r, err);
}

static const char *col_text(sl_jdbc_rows_t *r, int i)
{
    size_t n;
    const char *s = sl_jdbc_get(r, i, &n);
    return s;
}

static int set_sql_name(sl_jdbc_table_t *t)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    int rc = sl_jdbc_quote_ident(t->dialect, &sb, t->schema);
    if (!rc) rc = sl_strbuf_putc(&sb, '.');
    if (!rc) rc = sl_jdbc_quote_ident(t->dialect, &sb, t->name);
    if (!rc) t->sql_name = sl_arena_strdup(&t->arena, sb.buf);
    sl_strbuf_destroy(&sb);
    return rc || !t->sql_name ? -SL_ENOMEM : 0;
}

/* The list of column names, for messages. */
static void col_list(const sl_jdbc_table_t *t, sl_strbuf_t *sb)
{
    for (int i = 0; i < t->ncols; i++) sl_strbuf_printf(sb, "%s%s", i ? ", " : "", t->cols[i].name);
}

/* ---- MySQL / MariaDB ---- */

static int my_table_exists(sl_jdbc_conn_t *c, const char *db, const char *name, bool *found,
                           sl_err_t *err)
{
    sl_strbuf_t sql = SL_STRBUF_INIT;
    sl_strbuf_puts(&sql, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
    sl_jdbc_quote_literal(c, &sql, db, strlen(db));
    sl_strbuf_puts(&sql, " AND TABLE_NAME = ");
    sl_jdbc_quote_literal(c, &sql, name, strlen(name));
    sl_jdbc_rows_t r;
    int rc = small_query(c, &sql, &r, err);
    sl_strbuf_destroy(&sql);
    if (rc) return rc;
    *found = false;
    while ((rc = sl_jdbc_next(&r, err)) == 1) *found = true;
    sl_jdbc_rows_close(&r);
    return rc < 0 ? rc : 0;
}

static int my_load(sl_jdbc_conn_t *c, const char *table_name, sl_jdbc_table_t *t, sl_err_t *err)
{
    const char *db = c->database, *name = table_name;
    bool found = false;
    int rc = my_table_exists(c, db, name, &found, err);
    if (rc) return rc;
    const char *dot = strchr(table_name, '.');
    char *d = NULL;
    if (!found && dot && dot != table_name && dot[1]) {
        d = sl_arena_strndup(&t->arena, table_name, (size_t)(dot - table_name));
        if (!d) return oom(err);
        if ((rc = my_table_exists(c, d, dot + 1, &found, err))) return rc;
        if (found) db = d, name = dot + 1;
    }
    if (!found && d)
        return sl_err_set(err, SL_ENOTFOUND,
                          "table '%s' does not exist on %s (%s): neither a table '%s' in database "
                          "'%s' nor a table '%s' in database '%s' (or user '%s' may not see it)",
                          table_name, c->where, sl_jdbc_conn_kind(c), table_name, c->database,
                          dot + 1, d, c->user ? c->user : "");
    if (!found)
        return sl_err_set(err, SL_ENOTFOUND,
                          "table '%s' does not exist in database '%s' on %s (%s), or user '%s' "
                          "may not see it",
                          table_name, c->database, c->where, sl_jdbc_conn_kind(c),
                          c->user ? c->user : "");
    t->schema = adup(t, db);
    t->name = adup(t, name);
    if (!t->schema || !t->name || set_sql_name(t)) return oom(err);

    sl_strbuf_t sql = SL_STRBUF_INIT;
    sl_strbuf_puts(&sql,
                   "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, "
                   "DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, IS_NULLABLE "
                   "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ");
    sl_jdbc_quote_literal(c, &sql, t->schema, strlen(t->schema));
    sl_strbuf_puts(&sql, " AND TABLE_NAME = ");
    sl_jdbc_quote_literal(c, &sql, t->name, strlen(t->name));
    sl_strbuf_puts(&sql, " ORDER BY ORDINAL_POSITION");
    sl_jdbc_rows_t r;
    rc = small_query(c, &sql, &r, err);
    if (rc) {
        sl_strbuf_destroy(&sql);
        return rc;
    }
    int cap = 16;
    t->cols = sl_arena_calloc(&t->arena, (size_t)cap * sizeof *t->cols);
    while (t->cols && (rc = sl_jdbc_next(&r, err)) == 1) {
        if (t->ncols == cap) {
            sl_jdbc_column_t *nc = sl_arena_calloc(&t->arena, (size_t)cap * 2 * sizeof *nc);
            if (!nc) break;
            memcpy(nc, t->cols, (size_t)cap * sizeof *nc);
            t->cols = nc;
            cap *= 2;
        }
        sl_jdbc_column_t *col = &t->cols[t->ncols];
        sl_mycol_t *m = &col->my;
        const char *dt = col_text(&r, 1), *ct = col_text(&r, 2);
        m->name = adup(t, col_text(&r, 0));
        m->data_type = adup(t, dt);
        col->name = m->name;
        col->type_name = adup(t, ct);
        if (!m->name || !m->data_type || !col->type_name) break;
        for (char *p = m->data_type; *p; p++) *p = (char)tolower((unsigned char)*p);
        ct = ct ? ct : "";
        m->is_unsigned = strstr(ct, "unsigned") != NULL;
        m->tinyint1 = !strncasecmp(ct, "tinyint(1)", 10);
        m->precision = col_text(&r, 3) ? atoi(col_text(&r, 3)) : 0;
        m->scale = col_text(&r, 4) ? atoi(col_text(&r, 4)) : col_text(&r, 5) ? atoi(col_text(&r, 5)) : 0;
        if (!strcmp(m->data_type, "bit")) {
            const char *p = strchr(ct, '(');
            m->bits = p ? atoi(p + 1) : 1;
        }
        const char *cs = col_text(&r, 6), *coll = col_text(&r, 7), *nul = col_text(&r, 8);
        m->binary = strstr(m->data_type, "binary") || strstr(m->data_type, "blob") ||
                    !strcmp(m->data_type, "geometry") || (cs && !strcmp(cs, "binary"));
        m->ci = coll && strstr(coll, "_ci");
        col->not_null = nul && !strcmp(nul, "NO");
        sl_mycol_classify(m);
        t->ncols++;
    }
    sl_jdbc_rows_close(&r);
    if (rc < 0) {
        sl_strbuf_destroy(&sql);
        return rc;
    }
    if (rc == 1 || !t->cols) {
        sl_strbuf_destroy(&sql);
        return oom(err);
    }
    if (t->ncols == 0) {
        sl_strbuf_destroy(&sql);
        return sl_err_set(err, SL_ENOTFOUND, "table %s.%s on %s has no columns visible to '%s'",
                          t->schema, t->name, c->where, c->user ? c->user : "");
    }
    /* Primary key, in key order. */
    sl_strbuf_clear(&sql);
    sl_strbuf_puts(&sql, "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE "
                         "INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA = ");
    sl_jdbc_quote_literal(c, &sql, t->schema, strlen(t->schema));
    sl_strbuf_puts(&sql, " AND TABLE_NAME = ");
    sl_jdbc_quote_literal(c, &sql, t->name, strlen(t->name));
    sl_strbuf_puts(&sql, " ORDER BY SEQ_IN_INDEX");
    rc = small_query(c, &sql, &r, err);
    sl_strbuf_destroy(&sql);
    if (rc) return rc;
    t->pk = sl_arena_calloc(&t->arena, (size_t)t->ncols * sizeof *t->pk);
    if (!t->pk) {
        sl_jdbc_rows_close(&r);
        return oom(err);
    }
    while ((rc = sl_jdbc_next(&r, err)) == 1) {
        const char *k = col_text(&r, 0);
        for (int i = 0; k && i < t->ncols && t->npk < t->ncols; i++)
            if (!strcmp(t->cols[i].name, k)) t->pk[t->npk++] = i;
    }
    sl_jdbc_rows_close(&r);
    return rc < 0 ? rc : 0;
}

/* ---- PostgreSQL ---- */

/* The relation's oid, schema and name; *oid 0 when there is none. */
static int pg_find(sl_jdbc_conn_t *c, const char *schema, const char *name, bool fold,
                   sl_jdbc_table_t *t, char *oid, size_t oidcap, sl_err_t *err)
{
    sl_strbuf_t sql = SL_STRBUF_INIT;
    sl_strbuf_puts(&sql, "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND c.relname = ");
    if (fold) sl_strbuf_puts(&sql, "lower(");
    sl_jdbc_quote_literal(c, &sql, name, strlen(name));
    if (fold) sl_strbuf_putc(&sql, ')');
    if (schema) {
        sl_strbuf_puts(&sql, " AND n.nspname = ");
        if (fold) sl_strbuf_puts(&sql, "lower(");
        sl_jdbc_quote_literal(c, &sql, schema, strlen(schema));
        if (fold) sl_strbuf_putc(&sql, ')');
    } else {
        sl_strbuf_puts(&sql, " AND n.nspname = ANY (pg_catalog.current_schemas(false)) ORDER BY "
                             "array_position(pg_catalog.current_schemas(false), n.nspname)");
    }
    sl_strbuf_puts(&sql, " LIMIT 1");
    sl_jdbc_rows_t r;
    int rc = small_query(c, &sql, &r, err);
    sl_strbuf_destroy(&sql);
    if (rc) return rc;
    oid[0] = '\0';
    if ((rc = sl_jdbc_next(&r, err)) == 1) {
        snprintf(oid, oidcap, "%s", col_text(&r, 0));
        t->schema = adup(t, col_text(&r, 1));
        t->name = adup(t, col_text(&r, 2));
        if (!t->schema || !t->name) rc = oom(err);
    }
    sl_jdbc_rows_close(&r);
    return rc < 0 ? rc : 0;
}

static int pg_load(sl_jdbc_conn_t *c, const char *table_name, sl_jdbc_table_t *t, sl_err_t *err)
{
    char oid[32];
    int rc = pg_find(c, NULL, table_name, false, t, oid, sizeof oid, err);
    if (!rc && !oid[0]) rc = pg_find(c, NULL, table_name, true, t, oid, sizeof oid, err);
    const char *dot = strchr(table_name, '.');
    char *sch = NULL;
    if (!rc && !oid[0] && dot && dot != table_name && dot[1]) {
        sch = sl_arena_strndup(&t->arena, table_name, (size_t)(dot - table_name));
        if (!sch) return oom(err);
        rc = pg_find(c, sch, dot + 1, false, t, oid, sizeof oid, err);
        if (!rc && !oid[0]) rc = pg_find(c, sch, dot + 1, true, t, oid, sizeof oid, err);
    }
    if (rc) return rc;
    if (!oid[0]) {
        if (sch)
            return sl_err_set(err, SL_ENOTFOUND,
                              "table '%s' does not exist in schema '%s' of database '%s' on %s "
                              "(PostgreSQL), or user '%s' may not see it",
                              dot + 1, sch, c->database, c->where, c->user ? c->user : "");
        return sl_err_set(err, SL_ENOTFOUND,
                          "table '%s' does not exist in database '%s' on %s (PostgreSQL; schemas "
                          "searched: the search_path), or user '%s' may not see it",
                          table_name, c->database, c->where, c->user ? c->user : "");
    }
    if (set_sql_name(t)) return oom(err);
    sl_strbuf_t sql = SL_STRBUF_INIT;
    sl_strbuf_printf(&sql,
                     "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
                     "a.atttypmod, a.attnotnull, bt.oid, bt.typtype, bt.typcategory, "
                     "CASE WHEN et.typtype = 'd' THEN et.typbasetype ELSE et.oid END, et.typtype "
                     "FROM pg_catalog.pg_attribute a "
                     "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                     "JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' "
                     "THEN t.typbasetype ELSE t.oid END "
                     "LEFT JOIN pg_catalog.pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem "
                     "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped "
                     "ORDER BY a.attnum",
                     oid);
    sl_jdbc_rows_t r;
    rc = small_query(c, &sql, &r, err);
    sl_strbuf_destroy(&sql);
    if (rc) return rc;
    int n = r.pg_nrows;
    t->cols = sl_arena_calloc(&t->arena, (size_t)(n ? n : 1) * sizeof *t->cols);
    if (!t->cols) {
        sl_jdbc_rows_close(&r);
        return oom(err);
    }
    while ((rc = sl_jdbc_next(&r, err)) == 1 && t->ncols < n) {
        sl_jdbc_column_t *col = &t->cols[t->ncols];
        sl_pgcol_t *p = &col->pg;
        col->name = p->name = adup(t, col_text(&r, 0));
        col->type_name = p->type_name = adup(t, col_text(&r, 1));
        if (!col->name || !col->type_name) break;
        const char *tm = col_text(&r, 2), *nn = col_text(&r, 3), *cat = col_text(&r, 6);
        const char *ty = col_text(&r, 5), *eo = col_text(&r, 7), *ety = col_text(&r, 8);
        p->typmod = tm ? atoi(tm) : -1;
        col->not_null = nn && nn[0] == 't';
        p->oid = (uint32_t)strtoul(col_text(&r, 4) ? col_text(&r, 4) : "0", NULL, 10);
        if (cat && cat[0] == 'A' && eo) {
            p->elem_oid = (uint32_t)strtoul(eo, NULL, 10);
            p->is_enum = ety && ety[0] == 'e';
        } else {
            p->is_enum = ty && ty[0] == 'e';
        }
        sl_pgcol_classify(p);
        t->ncols++;
    }
    sl_jdbc_rows_close(&r);
    if (rc < 0) return rc;
    if (rc == 1) return oom(err);
    if (t->ncols == 0)
        return sl_err_set(err, SL_ENOTFOUND, "table %s.%s on %s has no columns", t->schema, t->name,
                          c->where);
    sl_strbuf_init(&sql);
    sl_strbuf_printf(&sql,
                     "SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a "
                     "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                     "WHERE i.indrelid = %s AND i.indisprimary "
                     "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                     oid);
    rc = small_query(c, &sql, &r, err);
    sl_strbuf_destroy(&sql);
    if (rc) return rc;
    t->pk = sl_arena_calloc(&t->arena, (size_t)t->ncols * sizeof *t->pk);
    if (!t->pk) {
        sl_jdbc_rows_close(&r);
        return oom(err);
    }
    while ((rc = sl_jdbc_next(&r, err)) == 1) {
        const char *k = col_text(&r, 0);
        for (int i = 0; k && i < t->ncols && t->npk < t->ncols; i++)
            if (!strcmp(t->cols[i].name, k)) t->pk[t->npk++] = i;
    }
    sl_jdbc_rows_close(&r);
    return rc < 0 ? rc : 0;
}

int sl_jdbc_table_load(sl_jdbc_conn_t *c, const char *table_name, const char *time_zone,
                       sl_jdbc_table_t *t, sl_err_t *err)
{
    memset(t, 0, sizeof *t);
    sl_arena_init(&t->arena, 8192);
    t->dialect = c->dialect;
    t->time_zone = adup(t, time_zone ? time_zone : "UTC");
    if (!t->time_zone) return oom(err);
    if (!table_name[0]) return sl_err_set(err, SL_EINVAL, "option 'table-name' is empty");
    return c->dialect == SL_JDBC_POSTGRES ? pg_load(c, table_name, t, err)
                                          : my_load(c, table_name, t, err);
}

/* ---- mapping ---- */

static bool my_readable(const sl_mycol_t *m, const sl_type_t *t)
{
    uint8_t k = m->text_kind;
    switch (t->id) {
    case SL_T_CHAR:
    case SL_T_VARCHAR:
        return true;
    case SL_T_BOOLEAN:
    case SL_T_TINYINT:
    case SL_T_SMALLINT:
    case SL_T_INT:
    case SL_T_BIGINT:
        return k == SL_MV_INT || k == SL_MV_BIT;
    case SL_T_DECIMAL:
    case SL_T_FLOAT:
    case SL_T_DOUBLE:
        return k == SL_MV_INT || k == SL_MV_DECIMAL || k == SL_MV_FLOAT || k == SL_MV_DOUBLE;
    case SL_T_BINARY:
    case SL_T_VARBINARY:
        return k == SL_MV_STRING || k == SL_MV_BIT;
    case SL_T_DATE:
        return k == SL_MV_DATE || k == SL_MV_DATETIME;
    case SL_T_TIME:
        return k == SL_MV_TIME;
    case SL_T_TIMESTAMP:
    case SL_T_TIMESTAMP_LTZ:
        return k == SL_MV_DATE || k == SL_MV_DATETIME || k == SL_MV_TIMESTAMP;
    case SL_T_ARRAY:
        return !strcmp(m->data_type, "set") && t->elem &&
               (t->elem->id == SL_T_VARCHAR || t->elem->id == SL_T_CHAR);
    }
    return false;
}

int sl_jdbc_table_map(const sl_jdbc_table_t *t, int n, const char *const *names,
                      const sl_type_t *const *types, const char *flink_table, int *map,
                      sl_err_t *err)
{
    for (int f = 0; f < n; f++) {
        int i = sl_jdbc_table_find(t, names[f]);
        map[f] = i;
        if (i < 0) {
            sl_strbuf_t cols = SL_STRBUF_INIT;
            col_list(t, &cols);
            int rc = sl_err_set(err, SL_EINVAL,
                                "column '%s' of table '%s' is not in %s.%s (its columns: %s)",
                                names[f], flink_table, t->schema, t->name,
                                cols.buf ? cols.buf : "");
            sl_strbuf_destroy(&cols);
            return rc;
        }
        const sl_jdbc_column_t *col = &t->cols[i];
        if (t->dialect == SL_JDBC_POSTGRES) {
            int rc = sl_pgcol_check(&col->pg, types[f], names[f], err);
            if (rc) return rc;
        } else if (!my_readable(&col->my, types[f])) {
            sl_strbuf_t tb = SL_STRBUF_INIT;
            sl_type_format(&tb, types[f]);
            int rc = sl_err_set(err, SL_EUNSUPPORTED,
                                "column '%s': MySQL type %s of %s.%s cannot be read as %s",
                                names[f], col->type_name, t->schema, t->name,
                                tb.buf ? tb.buf : "?");
            sl_strbuf_destroy(&tb);
            return rc;
        }
    }
    return 0;
}

int sl_jdbc_select_list(const sl_jdbc_table_t *t, const int *map, int n, sl_strbuf_t *sb)
{
    int rc = 0;
    for (int f = 0; f < n && !rc; f++) {
        const sl_jdbc_column_t *col = &t->cols[map[f]];
        if (f) rc = sl_strbuf_puts(sb, ", ");
        bool widen = t->dialect == SL_JDBC_MYSQL && col->my.text_kind == SL_MV_FLOAT;
        if (!rc && widen) rc = sl_strbuf_putc(sb, '(');
        if (!rc) rc = sl_jdbc_quote_ident(t->dialect, sb, col->name);
        if (!rc && widen) rc = sl_strbuf_puts(sb, " + 0e0)");
    }
    return rc;
}

int sl_jdbc_value(const sl_jdbc_table_t *t, int col, const char *text, size_t len,
                  const sl_type_t *type, const char *flink_col, sl_value_t *out, sl_arena_t *a,
                  sl_err_t *err)
{
    if (!text) {
        *out = sl_value_null();
        return 0;
    }
    const sl_jdbc_column_t *c = &t->cols[col];
    if (t->dialect == SL_JDBC_POSTGRES)
        return sl_pgval_to_value(&c->pg, text, len, type, flink_col, out, a, err);
    sl_myval_t v;
    int rc = sl_myval_from_text(&c->my, text, len, &v, err);
    if (rc) return rc;
    return sl_myval_to_value(&v, type, t->time_zone, flink_col, out, a, err);
}
