/* types.c - Flink's logical types: constructors, spelling, casts, merging.
 *
 * The rules mirror Flink's LogicalTypeCasts (implicit and explicit cast
 * tables), LogicalTypeMerging (least restrictive common type) and the
 * asSummaryString() spelling that DESCRIBE and TYPEOF print. Types are
 * immutable once built: every function that "changes" a type returns either
 * its argument (when nothing changes) or a new copy in the arena.
 *
 * INTERVAL types keep Flink's resolution in fields that other types use
 * differently (see sl_type_interval in types.h): scale holds the resolution
 * (from_unit * 32 + to_unit, 0 = INTERVAL SECOND / INTERVAL MONTH, which is
 * what Flink SQL gives every interval expression), nfields the leading
 * (day / year) precision and len the fractional-second precision.
 */
#include "sql/types.h"

#include <string.h>

#include "sql/ast.h"
#include "util/decimal.h"
#include "util/err.h"

/* ---- shared singletons -------------------------------------------------- */

#define SIMPLE(ID) { .id = (ID), .nullable = true }

const sl_type_t sl_type_null = SIMPLE(SL_T_NULL);
const sl_type_t sl_type_boolean = SIMPLE(SL_T_BOOLEAN);
const sl_type_t sl_type_tinyint = SIMPLE(SL_T_TINYINT);
const sl_type_t sl_type_smallint = SIMPLE(SL_T_SMALLINT);
const sl_type_t sl_type_int = SIMPLE(SL_T_INT);
const sl_type_t sl_type_bigint = SIMPLE(SL_T_BIGINT);
const sl_type_t sl_type_float = SIMPLE(SL_T_FLOAT);
const sl_type_t sl_type_double = SIMPLE(SL_T_DOUBLE);
const sl_type_t sl_type_string = {
    .id = SL_T_VARCHAR, .nullable = true, .len = SL_MAX_LENGTH };
const sl_type_t sl_type_bytes = {
    .id = SL_T_VARBINARY, .nullable = true, .len = SL_MAX_LENGTH };
const sl_type_t sl_type_date = SIMPLE(SL_T_DATE);
const sl_type_t sl_type_symbol = SIMPLE(SL_T_SYMBOL);
const sl_type_t sl_type_descriptor = SIMPLE(SL_T_DESCRIPTOR);
const sl_type_t sl_type_table = SIMPLE(SL_T_TABLE);
/* What Flink SQL types interval expressions as: INTERVAL MONTH and
 * INTERVAL SECOND(3) (day precision 2). */
const sl_type_t sl_type_interval_ym = {
    .id = SL_T_INTERVAL_YM, .nullable = true, .len = 0, .nfields = 2 };
const sl_type_t sl_type_interval_dt = {
    .id = SL_T_INTERVAL_DT, .nullable = true, .len = 3, .nfields = 2 };

/* ---- constructors -------------------------------------------------------- */

sl_type_t *sl_type_new(sl_arena_t *a, sl_type_id_t id)
{
    sl_type_t *t = sl_arena_calloc(a, sizeof *t);
    if (!t) return NULL;
    t->id = (uint8_t)id;
    t->nullable = true;
    /* Flink's defaults for a type written without parameters. */
    switch (id) {
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
        t->len = 1;
        break;
    case SL_T_DECIMAL:
        t->len = 10;
        break;
    case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        t->len = 6;
        break;
    case SL_T_INTERVAL_DT:
        t->len = 3;
        t->nfields = 2;
        break;
    case SL_T_INTERVAL_YM:
        t->nfields = 2;
        break;
    default:
        break;
    }
    return t;
}

sl_type_t *sl_type_copy(sl_arena_t *a, const sl_type_t *t)
{
    return sl_arena_memdup(a, t, sizeof *t);
}

const sl_type_t *sl_type_with_nullable(sl_arena_t *a, const sl_type_t *t,
                                       bool nullable)
{
    if (t->nullable == nullable || t->id == SL_T_NULL) return t;
    sl_type_t *c = sl_type_copy(a, t);
    if (!c) return NULL;
    c->nullable = nullable;
    return c;
}

const sl_type_t *sl_type_plain(sl_arena_t *a, const sl_type_t *t)
{
    if (t->time_attr == SL_TA_NONE) return t;
    sl_type_t *c = sl_type_copy(a, t);
    if (!c) return NULL;
    c->time_attr = SL_TA_NONE;
    return c;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

const sl_type_t *sl_type_decimal(sl_arena_t *a, int p, int s, bool nullable)
{
    sl_type_t *t = sl_type_new(a, SL_T_DECIMAL);
    if (!t) return NULL;
    t->len = clampi(p, 1, SL_MAX_DECIMAL_PRECISION);
    t->scale = (int16_t)clampi(s, 0, t->len);
    t->nullable = nullable;
    return t;
}

const sl_type_t *sl_type_varchar(sl_arena_t *a, int32_t len, bool nullable)
{
    if (len == SL_MAX_LENGTH && nullable) return &sl_type_string;
    sl_type_t *t = sl_type_new(a, SL_T_VARCHAR);
    if (!t) return NULL;
    t->len = len < 0 ? 0 : len;
    t->nullable = nullable;
    return t;
}

const sl_type_t *sl_type_timestamp(sl_arena_t *a, sl_type_id_t id, int p,
                                   bool nullable)
{
    sl_type_t *t = sl_type_new(a, id);
    if (!t) return NULL;
    t->len = clampi(p, 0, 9);
    t->nullable = nullable;
    return t;
}

const sl_type_t *sl_type_interval(sl_arena_t *a, sl_type_id_t id, int from,
                                  int to, int lead, int frac, bool nullable)
{
    sl_type_t *t = sl_type_new(a, id);
    if (!t) return NULL;
    t->scale = (int16_t)(from * 32 + to);
    t->nfields = (int16_t)lead;
    t->len = frac;
    t->nullable = nullable;
    return t;
}

/* ---- intervals ----------------------------------------------------------- */

/* Resolution of an interval type as (from, to) units; to is SL_U_NONE for a
 * single field. */
static void interval_res(const sl_type_t *t, int *from, int *to)
{
    if (t->scale == 0) {
        *from = t->id == SL_T_INTERVAL_YM ? SL_U_MONTH : SL_U_SECOND;
        *to = SL_U_NONE;
    } else {
        *from = t->scale / 32;
        *to = t->scale % 32;
    }
}

static bool interval_single_field(const sl_type_t *t)
{
    int from, to;
    interval_res(t, &from, &to);
    return to == SL_U_NONE || to == from;
}

static const char *unit_word(int u)
{
    switch (u) {
    case SL_U_YEAR: return "YEAR";
    case SL_U_MONTH: return "MONTH";
    case SL_U_DAY: return "DAY";
    case SL_U_HOUR: return "HOUR";
    case SL_U_MINUTE: return "MINUTE";
    case SL_U_SECOND: return "SECOND";
    default: return "?";
    }
}

/* Flink's DayTimeIntervalType / YearMonthIntervalType summary strings:
 * the leading field of DAY and YEAR carries its precision, SECOND its
 * fractional precision, other fields none. */
static int format_interval(sl_strbuf_t *sb, const sl_type_t *t)
{
    int from, to, rc;
    interval_res(t, &from, &to);
    if ((rc = sl_strbuf_puts(sb, "INTERVAL "))) return rc;
    int units[2] = {from, to};
    for (int i = 0; i < 2 && units[i] != SL_U_NONE; i++) {
        int u = units[i];
        if (i == 1 && (rc = sl_strbuf_puts(sb, " TO "))) return rc;
        if ((rc = sl_strbuf_puts(sb, unit_word(u)))) return rc;
        if (i == 0 && (u == SL_U_DAY || u == SL_U_YEAR))
            rc = sl_strbuf_printf(sb, "(%d)", t->nfields);
        else if (u == SL_U_SECOND)
            rc = sl_strbuf_printf(sb, "(%d)", (int)t->len);
        if (rc) return rc;
    }
    return 0;
}

/* ---- formatting ---------------------------------------------------------- */

/* `name` with back-quotes doubled, as Flink's EncodingUtils.escapeIdentifier. */
static int put_quoted(sl_strbuf_t *sb, const char *s, char q)
{
    int rc = sl_strbuf_putc(sb, q);
    for (const char *p = s ? s : ""; !rc && *p; p++) {
        if (*p == q) rc = sl_strbuf_putc(sb, q);
        if (!rc) rc = sl_strbuf_putc(sb, *p);
    }
    if (!rc) rc = sl_strbuf_putc(sb, q);
    return rc;
}

static int format_body(sl_strbuf_t *sb, const sl_type_t *t)
{
    int rc = 0;
    switch ((sl_type_id_t)t->id) {
    case SL_T_NULL: return sl_strbuf_puts(sb, "NULL");
    case SL_T_BOOLEAN: return sl_strbuf_puts(sb, "BOOLEAN");
    case SL_T_TINYINT: return sl_strbuf_puts(sb, "TINYINT");
    case SL_T_SMALLINT: return sl_strbuf_puts(sb, "SMALLINT");
    case SL_T_INT: return sl_strbuf_puts(sb, "INT");
    case SL_T_BIGINT: return sl_strbuf_puts(sb, "BIGINT");
    case SL_T_DECIMAL:
        return sl_strbuf_printf(sb, "DECIMAL(%d, %d)", (int)t->len,
                                (int)t->scale);
    case SL_T_FLOAT: return sl_strbuf_puts(sb, "FLOAT");
    case SL_T_DOUBLE: return sl_strbuf_puts(sb, "DOUBLE");
    case SL_T_CHAR: return sl_strbuf_printf(sb, "CHAR(%d)", (int)t->len);
    case SL_T_VARCHAR:
        if (t->len == SL_MAX_LENGTH) return sl_strbuf_puts(sb, "STRING");
        return sl_strbuf_printf(sb, "VARCHAR(%d)", (int)t->len);
    case SL_T_BINARY: return sl_strbuf_printf(sb, "BINARY(%d)", (int)t->len);
    case SL_T_VARBINARY:
        if (t->len == SL_MAX_LENGTH) return sl_strbuf_puts(sb, "BYTES");
        return sl_strbuf_printf(sb, "VARBINARY(%d)", (int)t->len);
    case SL_T_DATE: return sl_strbuf_puts(sb, "DATE");
    case SL_T_TIME: return sl_strbuf_printf(sb, "TIME(%d)", (int)t->len);
    case SL_T_TIMESTAMP:
        return sl_strbuf_printf(sb, "TIMESTAMP(%d)", (int)t->len);
    case SL_T_TIMESTAMP_LTZ:
        return sl_strbuf_printf(sb, "TIMESTAMP_LTZ(%d)", (int)t->len);
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        return format_interval(sb, t);
    case SL_T_ROW:
        if ((rc = sl_strbuf_puts(sb, "ROW<"))) return rc;
        for (int i = 0; i < t->nfields; i++) {
            const sl_field_t *f = &t->fields[i];
            if (i && (rc = sl_strbuf_puts(sb, ", "))) return rc;
            if ((rc = put_quoted(sb, f->name, '`'))) return rc;
            if ((rc = sl_strbuf_putc(sb, ' '))) return rc;
            if ((rc = sl_type_format(sb, f->type))) return rc;
            if (f->comment) {
                if ((rc = sl_strbuf_putc(sb, ' '))) return rc;
                if ((rc = put_quoted(sb, f->comment, '\''))) return rc;
            }
        }
        return sl_strbuf_putc(sb, '>');
    case SL_T_ARRAY:
    case SL_T_MULTISET:
        if ((rc = sl_strbuf_puts(sb, t->id == SL_T_ARRAY ? "ARRAY<"
                                                         : "MULTISET<")))
            return rc;
        if ((rc = sl_type_format(sb, t->elem))) return rc;
        return sl_strbuf_putc(sb, '>');
    case SL_T_MAP:
        if ((rc = sl_strbuf_puts(sb, "MAP<"))) return rc;
        if ((rc = sl_type_format(sb, t->key))) return rc;
        if ((rc = sl_strbuf_puts(sb, ", "))) return rc;
        if ((rc = sl_type_format(sb, t->elem))) return rc;
        return sl_strbuf_putc(sb, '>');
    case SL_T_RAW: return sl_strbuf_puts(sb, "RAW('?', '...')");
    case SL_T_SYMBOL: return sl_strbuf_puts(sb, "SYMBOL");
    case SL_T_DESCRIPTOR: return sl_strbuf_puts(sb, "DESCRIPTOR");
    case SL_T_TABLE: return sl_strbuf_puts(sb, "TABLE");
    case SL_T__COUNT: break;
    }
    return sl_strbuf_puts(sb, "UNKNOWN");
}

int sl_type_format(sl_strbuf_t *sb, const sl_type_t *t)
{
    if (!t) return sl_strbuf_puts(sb, "NULL");
    int rc = format_body(sb, t);
    if (!rc && !t->nullable && t->id != SL_T_NULL)
        rc = sl_strbuf_puts(sb, " NOT NULL");
    /* Flink: TimestampType.asSummaryString() appends the kind after the
     * serializable string (which includes NOT NULL). */
    if (!rc && t->time_attr == SL_TA_ROWTIME)
        rc = sl_strbuf_puts(sb, " *ROWTIME*");
    else if (!rc && t->time_attr == SL_TA_PROCTIME)
        rc = sl_strbuf_puts(sb, " *PROCTIME*");
    return rc;
}

const char *sl_type_str(sl_arena_t *a, const sl_type_t *t)
{
    sl_strbuf_t sb = SL_STRBUF_INIT;
    const char *s = NULL;
    if (sl_type_format(&sb, t) == 0)
        s = sl_arena_strndup(a, sl_strbuf_cstr(&sb), sb.len);
    sl_strbuf_destroy(&sb);
    return s;
}

/* ---- predicates ---------------------------------------------------------- */

bool sl_type_is_integer(const sl_type_t *t)
{
    return t && t->id >= SL_T_TINYINT && t->id <= SL_T_BIGINT;
}

bool sl_type_is_exact(const sl_type_t *t)
{
    return t && t->id >= SL_T_TINYINT && t->id <= SL_T_DECIMAL;
}

bool sl_type_is_numeric(const sl_type_t *t)
{
    return t && t->id >= SL_T_TINYINT && t->id <= SL_T_DOUBLE;
}

bool sl_type_is_string(const sl_type_t *t)
{
    return t && (t->id == SL_T_CHAR || t->id == SL_T_VARCHAR);
}

bool sl_type_is_binary(const sl_type_t *t)
{
    return t && (t->id == SL_T_BINARY || t->id == SL_T_VARBINARY);
}

bool sl_type_is_temporal(const sl_type_t *t)
{
    return t && t->id >= SL_T_DATE && t->id <= SL_T_TIMESTAMP_LTZ;
}

bool sl_type_is_timestamp(const sl_type_t *t)
{
    return t && (t->id == SL_T_TIMESTAMP || t->id == SL_T_TIMESTAMP_LTZ);
}

bool sl_type_is_interval(const sl_type_t *t)
{
    return t && (t->id == SL_T_INTERVAL_YM || t->id == SL_T_INTERVAL_DT);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

bool sl_type_equal(const sl_type_t *a, const sl_type_t *b)
{
    if (a == b) return true;
    if (!a || !b || a->id != b->id) return false;
    switch ((sl_type_id_t)a->id) {
    case SL_T_DECIMAL:
        return a->len == b->len && a->scale == b->scale;
    case SL_T_CHAR: case SL_T_VARCHAR: case SL_T_BINARY: case SL_T_VARBINARY:
    case SL_T_TIME: case SL_T_TIMESTAMP: case SL_T_TIMESTAMP_LTZ:
        return a->len == b->len;
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT: {
        int fa, ta, fb, tb;
        interval_res(a, &fa, &ta);
        interval_res(b, &fb, &tb);
        return fa == fb && ta == tb && a->nfields == b->nfields &&
               a->len == b->len;
    }
    case SL_T_ROW:
        if (a->nfields != b->nfields) return false;
        for (int i = 0; i < a->nfields; i++) {
            if (!str_eq(a->fields[i].name, b->fields[i].name) ||
                !sl_type_equal(a->fields[i].type, b->fields[i].type))
                return false;
        }
        return true;
    case SL_T_ARRAY:
    case SL_T_MULTISET:
        return sl_type_equal(a->elem, b->elem);
    case SL_T_MAP:
        return sl_type_equal(a->key, b->key) &&
               sl_type_equal(a->elem, b->elem);
    default:
        return true;
    }
}

void sl_type_decimal_of(const sl_type_t *t, int *p, int *s)
{
    *p = 0;
    *s = 0;
    if (!t) return;
    switch ((sl_type_id_t)t->id) {
    case SL_T_TINYINT: *p = 3; break;
    case SL_T_SMALLINT: *p = 5; break;
    case SL_T_INT: *p = 10; break;
    case SL_T_BIGINT: *p = 19; break;
    case SL_T_DECIMAL:
        *p = t->len;
        *s = t->scale;
        break;
    default:
        break;
    }
}

/* ---- common type --------------------------------------------------------- */

/* base with the given nullability and no time attribute: base itself when it
 * already is that, else a copy. */
static const sl_type_t *finish(sl_arena_t *a, const sl_type_t *base,
                               bool nullable)
{
    if (!base) return NULL;
    if (base->id == SL_T_NULL) return base;
    if (base->nullable == nullable && base->time_attr == SL_TA_NONE)
        return base;
    sl_type_t *c = sl_type_copy(a, base);
    if (!c) return NULL;
    c->nullable = nullable;
    c->time_attr = SL_TA_NONE;
    return c;
}

/* A type like proto (same id) with length/precision len: proto itself when it
 * already has it. */
static const sl_type_t *with_len(sl_arena_t *a, const sl_type_t *proto,
                                 int32_t len)
{
    if (proto->len == len) return proto;
    sl_type_t *c = sl_type_copy(a, proto);
    if (!c) return NULL;
    c->len = len;
    return c;
}

static const sl_type_t *of_id(sl_arena_t *a, sl_type_id_t id, int32_t len)
{
    sl_type_t *t = sl_type_new(a, id);
    if (!t) return NULL;
    t->len = len;
    return t;
}

static int32_t max32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

/* Element-wise common type of two children (nullability merged). */
static const sl_type_t *common_child(sl_arena_t *a, const sl_type_t *x,
                                     const sl_type_t *y)
{
    return sl_type_common(a, x, y);
}

static const sl_type_t *common_numeric(sl_arena_t *a, const sl_type_t *x,
                                       const sl_type_t *y)
{
    if (x->id == SL_T_DOUBLE) return x;
    if (y->id == SL_T_DOUBLE) return y;
    if (x->id == SL_T_FLOAT || y->id == SL_T_FLOAT) {
        /* Flink: FLOAT with DECIMAL widens to DOUBLE; with integers FLOAT. */
        if (x->id == SL_T_DECIMAL || y->id == SL_T_DECIMAL)
            return &sl_type_double;
        return x->id == SL_T_FLOAT ? x : y;
    }
    if (x->id == SL_T_DECIMAL || y->id == SL_T_DECIMAL) {
        int p1, s1, p2, s2, p, s;
        sl_type_decimal_of(x, &p1, &s1);
        sl_type_decimal_of(y, &p2, &s2);
        sl_decimal_type_common(p1, s1, p2, s2, &p, &s);
        if (x->id == SL_T_DECIMAL && x->len == p && x->scale == s) return x;
        if (y->id == SL_T_DECIMAL && y->len == p && y->scale == s) return y;
        return sl_type_decimal(a, p, s, true);
    }
    return x->id >= y->id ? x : y; /* integers: the wider one */
}

/* Interval types of one family: the resolution spanning both, the larger
 * precisions. */
static const sl_type_t *common_interval(sl_arena_t *a, const sl_type_t *x,
                                        const sl_type_t *y)
{
    if (sl_type_equal(x, y)) return x;
    int fx, tx, fy, ty;
    interval_res(x, &fx, &tx);
    interval_res(y, &fy, &ty);
    if (tx == SL_U_NONE) tx = fx;
    if (ty == SL_U_NONE) ty = fy;
    /* Units are ordered coarse to fine (YEAR < MONTH, DAY < ... < SECOND). */
    int from = fx < fy ? fx : fy, to = tx > ty ? tx : ty;
    sl_type_t *t = sl_type_copy(a, x);
    if (!t) return NULL;
    t->scale = (int16_t)(from * 32 + (to == from ? SL_U_NONE : to));
    if (x->id == SL_T_INTERVAL_DT && from == SL_U_SECOND && to == SL_U_SECOND)
        t->scale = 0; /* plain INTERVAL SECOND(p) */
    if (x->id == SL_T_INTERVAL_YM && from == SL_U_MONTH && to == SL_U_MONTH)
        t->scale = 0;
    t->nfields = x->nfields > y->nfields ? x->nfields : y->nfields;
    t->len = max32(x->len, y->len);
    return t;
}

static const sl_type_t *common_row(sl_arena_t *a, const sl_type_t *x,
                                   const sl_type_t *y)
{
    if (x->nfields != y->nfields) return NULL;
    sl_field_t *f = NULL;
    for (int i = 0; i < x->nfields; i++) {
        const sl_type_t *ft = common_child(a, x->fields[i].type,
                                           y->fields[i].type);
        if (!ft) return NULL;
        if (ft == x->fields[i].type && !f) continue;
        if (!f) {
            f = sl_arena_memdup(a, x->fields, sizeof *f * (size_t)x->nfields);
            if (!f) return NULL;
        }
        f[i].type = ft;
    }
    if (!f) return x;
    sl_type_t *t = sl_type_copy(a, x);
    if (!t) return NULL;
    t->fields = f;
    return t;
}

static const sl_type_t *common_body(sl_arena_t *a, const sl_type_t *x,
                                    const sl_type_t *y)
{
    if (sl_type_is_numeric(x) && sl_type_is_numeric(y))
        return common_numeric(a, x, y);
    if (sl_type_is_string(x) && sl_type_is_string(y)) {
        if (x->id == SL_T_CHAR && y->id == SL_T_CHAR && x->len == y->len)
            return x;
        int32_t len = max32(x->len, y->len);
        if (x->id == SL_T_VARCHAR && x->len == len) return x;
        if (y->id == SL_T_VARCHAR && y->len == len) return y;
        return sl_type_varchar(a, len, true);
    }
    if (sl_type_is_binary(x) && sl_type_is_binary(y)) {
        if (x->id == SL_T_BINARY && y->id == SL_T_BINARY && x->len == y->len)
            return x;
        int32_t len = max32(x->len, y->len);
        if (x->id == SL_T_VARBINARY && x->len == len) return x;
        if (y->id == SL_T_VARBINARY && y->len == len) return y;
        if (len == SL_MAX_LENGTH) return &sl_type_bytes;
        return of_id(a, SL_T_VARBINARY, len);
    }
    if (sl_type_is_temporal(x) && sl_type_is_temporal(y)) {
        if (x->id == y->id) {
            if (x->id == SL_T_DATE) return x;
            return x->len >= y->len ? x : y;
        }
        if (x->id == SL_T_TIME || y->id == SL_T_TIME) return NULL;
        if (x->id == SL_T_DATE) return y; /* DATE with a timestamp */
        if (y->id == SL_T_DATE) return x;
        /* TIMESTAMP with TIMESTAMP_LTZ: implicit both ways; LTZ wins. */
        const sl_type_t *ltz = x->id == SL_T_TIMESTAMP_LTZ ? x : y;
        return with_len(a, ltz, max32(x->len, y->len));
    }
    if (x->id != y->id) return NULL;
    switch ((sl_type_id_t)x->id) {
    case SL_T_BOOLEAN:
    case SL_T_SYMBOL:
    case SL_T_DESCRIPTOR:
    case SL_T_TABLE:
        return x;
    case SL_T_INTERVAL_YM:
    case SL_T_INTERVAL_DT:
        return common_interval(a, x, y);
    case SL_T_ROW:
        return common_row(a, x, y);
    case SL_T_ARRAY:
    case SL_T_MULTISET: {
        const sl_type_t *e = common_child(a, x->elem, y->elem);
        if (!e) return NULL;
        if (e == x->elem) return x;
        sl_type_t *t = sl_type_copy(a, x);
        if (!t) return NULL;
        t->elem = e;
        return t;
    }
    case SL_T_MAP: {
        const sl_type_t *k = common_child(a, x->key, y->key);
        const sl_type_t *v = k ? common_child(a, x->elem, y->elem) : NULL;
        if (!v) return NULL;
        if (k == x->key && v == x->elem) return x;
        sl_type_t *t = sl_type_copy(a, x);
        if (!t) return NULL;
        t->key = k;
        t->elem = v;
        return t;
    }
    case SL_T_RAW:
        return sl_type_equal(x, y) ? x : NULL;
    default:
        return NULL;
    }
}

const sl_type_t *sl_type_common(sl_arena_t *a, const sl_type_t *x,
                                const sl_type_t *y)
{
    if (!x || !y) return NULL;
    bool nullable = x->nullable || y->nullable;
    if (x->id == SL_T_NULL) return finish(a, y, true);
    if (y->id == SL_T_NULL) return finish(a, x, true);
    return finish(a, common_body(a, x, y), nullable);
}

/* ---- casts --------------------------------------------------------------- */

#define B(id) (1u << (id))
#define INTEGERS (B(SL_T_TINYINT) | B(SL_T_SMALLINT) | B(SL_T_INT) | \
                  B(SL_T_BIGINT))
#define NUMERIC (INTEGERS | B(SL_T_DECIMAL) | B(SL_T_FLOAT) | B(SL_T_DOUBLE))
#define CHARS (B(SL_T_CHAR) | B(SL_T_VARCHAR))
#define BINARIES (B(SL_T_BINARY) | B(SL_T_VARBINARY))
#define TIMESTAMPS (B(SL_T_TIMESTAMP) | B(SL_T_TIMESTAMP_LTZ))
#define DATETIMES (B(SL_T_DATE) | B(SL_T_TIME) | TIMESTAMPS)
#define INTERVALS (B(SL_T_INTERVAL_YM) | B(SL_T_INTERVAL_DT))
#define PREDEFINED (B(SL_T_NULL) | B(SL_T_BOOLEAN) | NUMERIC | CHARS | \
                    BINARIES | DATETIMES | INTERVALS)

/* Flink's LogicalTypeCasts: for each target type, the source types it can be
 * cast from implicitly (safe widening) ... */
static const uint32_t implicit_from[SL_T__COUNT] = {
    [SL_T_CHAR] = B(SL_T_CHAR),
    [SL_T_VARCHAR] = CHARS,
    [SL_T_BOOLEAN] = B(SL_T_BOOLEAN),
    [SL_T_BINARY] = B(SL_T_BINARY),
    [SL_T_VARBINARY] = BINARIES,
    [SL_T_DECIMAL] = NUMERIC,
    [SL_T_TINYINT] = B(SL_T_TINYINT),
    [SL_T_SMALLINT] = B(SL_T_TINYINT) | B(SL_T_SMALLINT),
    [SL_T_INT] = B(SL_T_TINYINT) | B(SL_T_SMALLINT) | B(SL_T_INT),
    [SL_T_BIGINT] = INTEGERS,
    [SL_T_FLOAT] = INTEGERS | B(SL_T_FLOAT) | B(SL_T_DECIMAL),
    [SL_T_DOUBLE] = NUMERIC,
    [SL_T_DATE] = B(SL_T_DATE) | B(SL_T_TIMESTAMP),
    [SL_T_TIME] = B(SL_T_TIME) | B(SL_T_TIMESTAMP),
    [SL_T_TIMESTAMP] = TIMESTAMPS,
    [SL_T_TIMESTAMP_LTZ] = TIMESTAMPS,
    [SL_T_INTERVAL_YM] = B(SL_T_INTERVAL_YM),
    [SL_T_INTERVAL_DT] = B(SL_T_INTERVAL_DT),
};

/* ... and in addition with an explicit CAST. */
static const uint32_t explicit_from[SL_T__COUNT] = {
    [SL_T_CHAR] = PREDEFINED,
    [SL_T_VARCHAR] = PREDEFINED,
    [SL_T_BOOLEAN] = CHARS | NUMERIC,
    [SL_T_BINARY] = CHARS | B(SL_T_VARBINARY),
    [SL_T_VARBINARY] = CHARS | B(SL_T_BINARY),
    [SL_T_DECIMAL] = CHARS | INTERVALS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_TINYINT] = NUMERIC | CHARS | INTERVALS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_SMALLINT] = NUMERIC | CHARS | INTERVALS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_INT] = NUMERIC | CHARS | INTERVALS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_BIGINT] = NUMERIC | CHARS | INTERVALS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_FLOAT] = NUMERIC | CHARS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_DOUBLE] = NUMERIC | CHARS | B(SL_T_BOOLEAN) | TIMESTAMPS,
    [SL_T_DATE] = TIMESTAMPS | CHARS | BINARIES,
    [SL_T_TIME] = B(SL_T_TIME) | TIMESTAMPS | CHARS | BINARIES,
    [SL_T_TIMESTAMP] = DATETIMES | CHARS | BINARIES | NUMERIC,
    [SL_T_TIMESTAMP_LTZ] = DATETIMES | CHARS | BINARIES | NUMERIC,
    [SL_T_INTERVAL_YM] = INTEGERS | B(SL_T_DECIMAL) | CHARS,
    [SL_T_INTERVAL_DT] = INTEGERS | B(SL_T_DECIMAL) | CHARS,
};

static bool is_constructed(const sl_type_t *t)
{
    return t->id == SL_T_ROW || t->id == SL_T_ARRAY || t->id == SL_T_MAP ||
           t->id == SL_T_MULTISET;
}

/* LogicalTypeCasts.supportsCasting with nullability ignored (the caller
 * decides about NOT NULL). */
static bool castable(const sl_type_t *s, const sl_type_t *t, bool explicit_ok)
{
    if (!s || !t) return false;
    if (s->id == SL_T_NULL) return true;
    if (sl_type_equal(s, t)) return true;
    if (t->id == SL_T_NULL) return false;
    if (sl_type_is_interval(s) && sl_type_is_exact(t))
        return interval_single_field(s);
    if (sl_type_is_exact(s) && sl_type_is_interval(t))
        return interval_single_field(t);
    if (is_constructed(s) || is_constructed(t)) {
        if (s->id != t->id) return false;
        switch ((sl_type_id_t)s->id) {
        case SL_T_ROW:
            if (s->nfields != t->nfields) return false;
            for (int i = 0; i < s->nfields; i++) {
                if (!castable(s->fields[i].type, t->fields[i].type,
                              explicit_ok))
                    return false;
            }
            return true;
        case SL_T_MAP:
            return castable(s->key, t->key, explicit_ok) &&
                   castable(s->elem, t->elem, explicit_ok);
        default:
            return castable(s->elem, t->elem, explicit_ok);
        }
    }
    if (s->id >= SL_T__COUNT || t->id >= SL_T__COUNT) return false;
    if (implicit_from[t->id] & B(s->id)) return true;
    return explicit_ok && (explicit_from[t->id] & B(s->id));
}

bool sl_type_assignable(const sl_type_t *from, const sl_type_t *to)
{
    if (!from || !to) return false;
    /* A NULL literal can never go into a NOT NULL column; any other
     * nullable value may (Flink checks NOT NULL at runtime). */
    if (from->id == SL_T_NULL && !to->nullable) return false;
    return castable(from, to, false);
}

bool sl_type_castable(const sl_type_t *from, const sl_type_t *to)
{
    return castable(from, to, true);
}
