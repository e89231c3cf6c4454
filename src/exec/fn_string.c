/* fn_string.c - string, regular-expression, hash and encoding built-ins.
 *
 * Positions and lengths count characters (UTF-8 code points), as Flink
 * counts Java chars; the two differ only for characters outside the Basic
 * Multilingual Plane. Semantics follow Flink's SqlFunctionUtils and
 * BinaryStringDataUtil: SUBSTRING with a negative start counts from the end,
 * LPAD/RPAD with an empty pad or a negative length give NULL, REPLACE with an
 * empty search string inserts the replacement between characters (Java's
 * String.replace), REGEXP_REPLACE takes its replacement literally.
 * Regular expressions use Java syntax translated to POSIX (arith.h).
 */
#include "exec/fn.h"

#include <ctype.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "exec/arith.h"

static int set_null(sl_value_t *out)
{
    *out = sl_value_null();
    return 0;
}

/* Clamps an integer argument to int32 like Flink's int parameters. */
static int64_t iarg(const sl_value_t *v)
{
    return v->i64;
}

/* Byte offset of the first occurrence of (p, pn) in s at or after byte
 * `from`, or -1. */
static long find_bytes(const char *s, size_t n, size_t from, const char *p,
                       size_t pn)
{
    if (pn == 0) return from <= n ? (long)from : -1;
    if (from > n || n - from < pn) return -1;
    const char *r = memmem(s + from, n - from, p, pn);
    return r ? (long)(r - s) : -1;
}

/* BinaryStringData.indexOf(sub, fromIndex) in characters: 0 for an empty
 * sub (Flink's quirk), -1 when not found. */
static long index_of(const char *s, size_t n, const char *p, size_t pn, long from)
{
    if (pn == 0) return 0;
    if (from < 0) from = 0;
    size_t off = sl_utf8_offset(s, n, (size_t)from);
    if (sl_utf8_count(s, off) < (size_t)from) return -1;
    long b = find_bytes(s, n, off, p, pn);
    if (b < 0) return -1;
    return (long)sl_utf8_count(s, (size_t)b);
}

/* ---- case mapping -------------------------------------------------------------- */

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static unsigned decode_cp(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    size_t k = sl_utf8_len(c);
    if (*i + k > n) k = n - *i;
    unsigned cp = k == 1 ? c : k == 2 ? c & 0x1fu : k == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t j = 1; j < k; j++) cp = cp << 6 | ((unsigned char)s[*i + j] & 0x3fu);
    *i += k;
    return cp;
}

static size_t encode_cp(unsigned cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    b[0] = (char)(0xf0 | cp >> 18);
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    b[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static int map_case(const sl_fn_ctx_t *c, const sl_value_t *v, sl_value_t *out,
                    sl_err_t *err, bool upper)
{
    pthread_once(&utf8_once, utf8_init);
    size_t n = v->len;
    /* A case mapping changes a character's UTF-8 length by at most 1 byte. */
    char *p = sl_arena_alloc(c->arena, n * 2 + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)v->str[i];
        if (ch < 0x80) {
            p[o++] = (char)(upper ? toupper(ch) : tolower(ch));
            i++;
            continue;
        }
        size_t start = i;
        unsigned cp = decode_cp(v->str, n, &i);
        if (utf8_locale) {
            wint_t m = upper ? towupper_l((wint_t)cp, utf8_locale)
                             : towlower_l((wint_t)cp, utf8_locale);
            char b[4];
            size_t k = encode_cp((unsigned)m, b);
            if (k <= 2 * (i - start)) {
                memcpy(p + o, b, k);
                o += k;
                continue;
            }
        }
        memcpy(p + o, v->str + start, i - start);
        o += i - start;
    }
    p[o] = '\0';
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

static int fn_upper(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    return map_case(c, &a[0], out, err, true);
}

static int fn_lower(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    return map_case(c, &a[0], out, err, false);
}

/* Calcite's initcap: ASCII letters and digits form words. */
static int fn_initcap(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    int rc = sl_fn_set_str(c, out, a[0].str, a[0].len, err);
    if (rc) return rc;
    char *p = (char *)out->str;
    bool start = true;
    for (size_t i = 0; i < out->len; i++) {
        unsigned char ch = (unsigned char)p[i];
        bool digit = ch >= '0' && ch <= '9';
        bool up = ch >= 'A' && ch <= 'Z', lo = ch >= 'a' && ch <= 'z';
        if (start) {
            if (digit || up) start = false;
            else if (lo) {
                start = false;
                p[i] = (char)(ch - 32);
            }
        } else if (up) {
            p[i] = (char)(ch + 32);
        } else if (!digit && !lo) {
            start = true;
        }
    }
    return 0;
}

/* ---- concatenation, length -------------------------------------------------------- */

static int fn_concat(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    size_t total = 0;
    for (int i = 0; i < c->nargs; i++) total += a[i].len;
    if (total > UINT32_MAX) return sl_err_set(err, SL_ERANGE, "CONCAT result too long");
    char *p = sl_arena_alloc(c->arena, total + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    for (int i = 0; i < c->nargs; i++) {
        if (a[i].len) memcpy(p + o, a[i].str, a[i].len);
        o += a[i].len;
    }
    p[o] = '\0';
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

static int fn_concat_ws(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    if (a[0].null) return set_null(out);
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    bool first = true;
    for (int i = 1; i < c->nargs; i++) {
        if (a[i].null) continue;
        if (!first && sl_abuf_put(&b, a[0].str, a[0].len)) return sl_fn_oom(err);
        if (sl_abuf_put(&b, a[i].str, a[i].len)) return sl_fn_oom(err);
        first = false;
    }
    sl_abuf_value(&b, out);
    return 0;
}

static int fn_char_length(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    (void)c, (void)err;
    out->i64 = (int64_t)sl_utf8_count(a[0].str, a[0].len);
    return 0;
}

/* ---- substrings --------------------------------------------------------------------- */

/* Characters [from, from + count) of v as the result (no copy: the result
 * aliases the argument, like Flink's BinaryStringData.substring). */
static void sub_chars(const sl_value_t *v, size_t from, size_t count, sl_value_t *out)
{
    size_t b0 = sl_utf8_offset(v->str, v->len, from);
    size_t b1 = b0 + sl_utf8_offset(v->str + b0, v->len - b0, count);
    memset(out, 0, sizeof *out);
    out->str = v->str + b0;
    out->len = (uint32_t)(b1 - b0);
}

static int fn_substring(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    (void)err;
    int64_t start = iarg(&a[1]);
    int64_t len = c->nargs > 2 ? iarg(&a[2]) : INT32_MAX;
    if (len < 0 || len > INT32_MAX || start > INT32_MAX) return set_null(out);
    int64_t n = (int64_t)sl_utf8_count(a[0].str, a[0].len);
    int64_t sp;
    if (start > 0) {
        sp = start - 1;
        if (sp >= n) {
            sub_chars(&a[0], 0, 0, out);
            return 0;
        }
    } else if (start < 0) {
        sp = n + start;
        if (sp < 0) {
            sub_chars(&a[0], 0, 0, out);
            return 0;
        }
    } else {
        sp = 0;
    }
    int64_t ep = n - sp < len ? n : sp + len;
    sub_chars(&a[0], (size_t)sp, (size_t)(ep - sp), out);
    return 0;
}

static int fn_left(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    (void)c, (void)err;
    int64_t k = iarg(&a[1]);
    if (k <= 0) k = 0;
    sub_chars(&a[0], 0, (size_t)k, out);
    return 0;
}

static int fn_right(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)c, (void)err;
    int64_t k = iarg(&a[1]);
    int64_t n = (int64_t)sl_utf8_count(a[0].str, a[0].len);
    if (k <= 0) k = 0;
    if (k > n) k = n;
    sub_chars(&a[0], (size_t)(n - k), (size_t)k, out);
    return 0;
}

static int fn_overlay(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    int64_t n = (int64_t)sl_utf8_count(a[0].str, a[0].len);
    int64_t start = iarg(&a[2]);
    int64_t len = c->nargs > 3 ? iarg(&a[3]) : (int64_t)sl_utf8_count(a[1].str, a[1].len);
    if (start <= 0 || start > n) return sl_fn_set_str(c, out, a[0].str, a[0].len, err);
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    size_t head = sl_utf8_offset(a[0].str, a[0].len, (size_t)(start - 1));
    if (sl_abuf_put(&b, a[0].str, head) || sl_abuf_put(&b, a[1].str, a[1].len))
        return sl_fn_oom(err);
    if (start + len <= n && len > 0) {
        size_t tail = sl_utf8_offset(a[0].str, a[0].len, (size_t)(start - 1 + len));
        if (sl_abuf_put(&b, a[0].str + tail, a[0].len - tail)) return sl_fn_oom(err);
    }
    sl_abuf_value(&b, out);
    return 0;
}

/* ---- trimming ------------------------------------------------------------------------- */

/* Is the character at s[i] (k bytes) one of the characters of set? */
static bool in_set(const char *ch, size_t k, const char *set, size_t sn)
{
    for (size_t j = 0; j < sn;) {
        size_t m = sl_utf8_len((unsigned char)set[j]);
        if (m == k && j + m <= sn && memcmp(set + j, ch, k) == 0) return true;
        j += m;
    }
    return false;
}

static void trim_span(const char *s, size_t n, const char *set, size_t sn,
                      bool lead, bool trail, size_t *b, size_t *e)
{
    size_t i = 0, end = n;
    if (lead) {
        while (i < end) {
            size_t k = sl_utf8_len((unsigned char)s[i]);
            if (i + k > end || !in_set(s + i, k, set, sn)) break;
            i += k;
        }
    }
    if (trail) {
        while (end > i) {
            size_t j = end - 1;
            while (j > i && ((unsigned char)s[j] & 0xc0) == 0x80) j--;
            if (!in_set(s + j, end - j, set, sn)) break;
            end = j;
        }
    }
    *b = i;
    *e = end;
}

static int trim_out(const sl_value_t *v, const char *set, size_t sn, bool lead,
                    bool trail, sl_value_t *out)
{
    size_t b, e;
    trim_span(v->str, v->len, set, sn, lead, trail, &b, &e);
    memset(out, 0, sizeof *out);
    out->str = v->str + b;
    out->len = (uint32_t)(e - b);
    return 0;
}

static int fn_trim(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    (void)err;
    if (c->nargs == 1) return trim_out(&a[0], " ", 1, true, true, out);
    int mode = SL_TRIM_BOTH;
    const sl_value_t *chars = &a[0], *s = &a[1];
    if (c->nargs == 3) {
        mode = (int)a[0].i64;
        chars = &a[1];
        s = &a[2];
    }
    return trim_out(s, chars->str, chars->len, mode != SL_TRIM_TRAILING,
                    mode != SL_TRIM_LEADING, out);
}

static int fn_ltrim(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)err;
    return c->nargs > 1 ? trim_out(&a[0], a[1].str, a[1].len, true, false, out)
                        : trim_out(&a[0], " ", 1, true, false, out);
}

static int fn_rtrim(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)err;
    return c->nargs > 1 ? trim_out(&a[0], a[1].str, a[1].len, false, true, out)
                        : trim_out(&a[0], " ", 1, false, true, out);
}

static int fn_btrim(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)err;
    return c->nargs > 1 ? trim_out(&a[0], a[1].str, a[1].len, true, true, out)
                        : trim_out(&a[0], " ", 1, true, true, out);
}

/* ---- replace, repeat, reverse, pad ------------------------------------------------------ */

static int fn_replace(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    const sl_value_t *s = &a[0], *f = &a[1], *r = &a[2];
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    if (f->len == 0) {
        /* Java: "abc".replace("", "-") is "-a-b-c-". */
        if (sl_abuf_put(&b, r->str, r->len)) return sl_fn_oom(err);
        for (size_t i = 0; i < s->len;) {
            size_t k = sl_utf8_len((unsigned char)s->str[i]);
            if (i + k > s->len) k = s->len - i;
            if (sl_abuf_put(&b, s->str + i, k) || sl_abuf_put(&b, r->str, r->len))
                return sl_fn_oom(err);
            i += k;
        }
    } else {
        size_t pos = 0;
        for (;;) {
            long m = find_bytes(s->str, s->len, pos, f->str, f->len);
            if (m < 0) break;
            if (sl_abuf_put(&b, s->str + pos, (size_t)m - pos) ||
                sl_abuf_put(&b, r->str, r->len))
                return sl_fn_oom(err);
            pos = (size_t)m + f->len;
        }
        if (sl_abuf_put(&b, s->str + pos, s->len - pos)) return sl_fn_oom(err);
    }
    sl_abuf_value(&b, out);
    return 0;
}

#define MAX_RESULT ((size_t)SL_MAX_LENGTH)

static int fn_repeat(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    int64_t k = iarg(&a[1]);
    if (k <= 0 || a[0].len == 0) return sl_fn_set_str(c, out, "", 0, err);
    if ((uint64_t)k > MAX_RESULT / a[0].len)
        return sl_err_set(err, SL_ERANGE, "REPEAT result would exceed %zu bytes",
                          MAX_RESULT);
    size_t total = (size_t)k * a[0].len;
    char *p = sl_arena_alloc(c->arena, total + 1);
    if (!p) return sl_fn_oom(err);
    for (int64_t i = 0; i < k; i++) memcpy(p + (size_t)i * a[0].len, a[0].str, a[0].len);
    p[total] = '\0';
    out->str = p;
    out->len = (uint32_t)total;
    return 0;
}

static int fn_reverse(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                      sl_err_t *err)
{
    size_t n = a[0].len;
    char *p = sl_arena_alloc(c->arena, n + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = n;
    for (size_t i = 0; i < n;) {
        size_t k = sl_utf8_len((unsigned char)a[0].str[i]);
        if (i + k > n) k = n - i;
        o -= k;
        memcpy(p + o, a[0].str + i, k);
        i += k;
    }
    p[n] = '\0';
    out->str = p;
    out->len = (uint32_t)n;
    return 0;
}

static int pad(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
               sl_err_t *err, bool left)
{
    int64_t len = iarg(&a[1]);
    const sl_value_t *s = &a[0], *p = &a[2];
    if (len < 0 || p->len == 0) return set_null(out);
    if (len == 0) return sl_fn_set_str(c, out, "", 0, err);
    if (len > INT32_MAX) return sl_err_set(err, SL_ERANGE, "pad length too large");
    size_t n = sl_utf8_count(s->str, s->len);
    size_t pn = sl_utf8_count(p->str, p->len);
    size_t want = (size_t)len;
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    size_t keep = n < want ? n : want;          /* characters of s kept */
    size_t padn = want - keep;                  /* characters of padding */
    size_t sbytes = sl_utf8_offset(s->str, s->len, keep);
    if (!left && sl_abuf_put(&b, s->str, sbytes)) return sl_fn_oom(err);
    for (size_t done = 0; done < padn;) {
        size_t take = padn - done < pn ? padn - done : pn;
        if (sl_abuf_put(&b, p->str, sl_utf8_offset(p->str, p->len, take)))
            return sl_fn_oom(err);
        done += take;
    }
    if (left && sl_abuf_put(&b, s->str, sbytes)) return sl_fn_oom(err);
    sl_abuf_value(&b, out);
    return 0;
}

static int fn_lpad(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    return pad(c, a, out, err, true);
}

static int fn_rpad(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    return pad(c, a, out, err, false);
}

/* ---- searching ---------------------------------------------------------------------- */

/* POSITION(seek IN s [FROM from]) and LOCATE(seek, s [, from]). */
static int fn_position(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    (void)err;
    int64_t from = c->nargs > 2 ? iarg(&a[2]) : 1;
    if (from > INT32_MAX) from = INT32_MAX;
    if (from < INT32_MIN) from = INT32_MIN;
    out->i64 = index_of(a[1].str, a[1].len, a[0].str, a[0].len, (long)from - 1) + 1;
    return 0;
}

/* Reverses the characters of v into the arena. */
static int reversed(const sl_fn_ctx_t *c, const sl_value_t *v, sl_value_t *r,
                    sl_err_t *err)
{
    return fn_reverse(c, v, r, err);
}

static int fn_instr(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    int64_t start = c->nargs > 2 ? iarg(&a[2]) : 1;
    int64_t nth = c->nargs > 3 ? iarg(&a[3]) : 1;
    if (nth <= 0)
        return sl_err_set(err, SL_EINVAL,
                          "INSTR's occurrence argument must be positive, got %lld",
                          (long long)nth);
    const sl_value_t *s = &a[0], *sub = &a[1];
    sl_value_t rs, rsub;
    bool back = start < 0;
    if (start == 0) {
        out->i64 = 0;
        return 0;
    }
    if (back) {
        int rc = reversed(c, s, &rs, err);
        if (!rc) rc = reversed(c, sub, &rsub, err);
        if (rc) return rc;
        s = &rs;
        sub = &rsub;
        start = -start;
    }
    int64_t idx = 0, si = start;
    for (int64_t i = 0; i < nth; i++) {
        long f = index_of(s->str, s->len, sub->str, sub->len, (long)(si - 1));
        idx = f + 1;
        if (idx == 0) {
            out->i64 = 0;
            return 0;
        }
        si = idx + 1;
    }
    if (back)
        idx = (int64_t)sl_utf8_count(a[0].str, a[0].len) + 2 - idx -
              (int64_t)sl_utf8_count(a[1].str, a[1].len);
    out->i64 = idx;
    return 0;
}

static int fn_startswith(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    (void)c, (void)err;
    out->b = a[1].len <= a[0].len && memcmp(a[0].str, a[1].str, a[1].len) == 0;
    return 0;
}

static int fn_endswith(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                       sl_err_t *err)
{
    (void)c, (void)err;
    out->b = a[1].len <= a[0].len &&
             memcmp(a[0].str + a[0].len - a[1].len, a[1].str, a[1].len) == 0;
    return 0;
}

/* commons-lang splitByWholeSeparatorPreserveAllTokens: an empty separator
 * splits on whitespace. Calls cb for each token; stops when cb returns
 * nonzero. */
typedef int (*tok_cb)(void *ctx, const char *s, size_t n);

static bool java_ws(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

static int split_whole(const char *s, size_t n, const char *sep, size_t sn,
                       tok_cb cb, void *ctx)
{
    if (n == 0) return 0;
    int rc;
    if (sn == 0) {
        size_t beg = 0;
        for (size_t i = 0; i < n; i++) {
            if (java_ws((unsigned char)s[i])) {
                if ((rc = cb(ctx, s + beg, i - beg))) return rc;
                beg = i + 1;
            }
        }
        return cb(ctx, s + beg, n - beg);
    }
    size_t beg = 0;
    for (;;) {
        long m = find_bytes(s, n, beg, sep, sn);
        if (m < 0) return cb(ctx, s + beg, n - beg);
        if ((rc = cb(ctx, s + beg, (size_t)m - beg))) return rc;
        beg = (size_t)m + sn;
    }
}

typedef struct pick {
    int64_t want, at;
    const char *s;
    size_t n;
    bool found;
} pick_t;

static int pick_cb(void *ctx, const char *s, size_t n)
{
    pick_t *p = ctx;
    if (p->at++ == p->want) {
        p->s = s;
        p->n = n;
        p->found = true;
        return 1;
    }
    return 0;
}

static int fn_split_index(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    (void)c, (void)err;
    int64_t idx = iarg(&a[2]);
    if (idx < 0) return set_null(out);
    pick_t p = {idx, 0, NULL, 0, false};
    split_whole(a[0].str, a[0].len, a[1].str, a[1].len, pick_cb, &p);
    if (!p.found) return set_null(out);
    out->str = p.s;
    out->len = (uint32_t)p.n;
    return 0;
}

/* SPLIT(str, delim): ARRAY<STRING>; an empty delimiter splits into
 * characters. */
typedef struct collect {
    const sl_fn_ctx_t *c;
    sl_value_t *items;
    int n, cap;
    bool oom;
} collect_t;

static int collect_cb(void *ctx, const char *s, size_t n)
{
    collect_t *k = ctx;
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 8;
        sl_value_t *ni = sl_arena_alloc(k->c->arena, (size_t)cap * sizeof *ni);
        if (!ni) {
            k->oom = true;
            return 1;
        }
        if (k->n) memcpy(ni, k->items, (size_t)k->n * sizeof *ni);
        k->items = ni;
        k->cap = cap;
    }
    sl_value_t *v = &k->items[k->n++];
    memset(v, 0, sizeof *v);
    v->str = s;
    v->len = (uint32_t)n;
    return 0;
}

static int collect_array(collect_t *k, sl_value_t *out, sl_err_t *err)
{
    if (k->oom) return sl_fn_oom(err);
    sl_nested_t *nv = sl_arena_alloc(k->c->arena, sizeof *nv + (size_t)k->n * sizeof(sl_value_t));
    if (!nv) return sl_fn_oom(err);
    nv->n = k->n;
    if (k->n) memcpy(nv->v, k->items, (size_t)k->n * sizeof(sl_value_t));
    memset(out, 0, sizeof *out);
    out->nested = nv;
    out->len = (uint32_t)k->n;
    return 0;
}

static int fn_split(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    collect_t k = {c, NULL, 0, 0, false};
    if (a[1].len == 0) {
        for (size_t i = 0; i < a[0].len;) {
            size_t m = sl_utf8_len((unsigned char)a[0].str[i]);
            if (i + m > a[0].len) m = a[0].len - i;
            if (collect_cb(&k, a[0].str + i, m)) break;
            i += m;
        }
    } else {
        size_t beg = 0;
        for (;;) {
            long m = find_bytes(a[0].str, a[0].len, beg, a[1].str, a[1].len);
            size_t end = m < 0 ? a[0].len : (size_t)m;
            if (collect_cb(&k, a[0].str + beg, end - beg)) break;
            if (m < 0) break;
            beg = (size_t)m + a[1].len;
        }
    }
    return collect_array(&k, out, err);
}

static int fn_translate(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    if (a[0].null) return set_null(out);
    if (a[1].null || a[2].null) return sl_fn_set_str(c, out, a[0].str, a[0].len, err);
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    const sl_value_t *s = &a[0], *from = &a[1], *to = &a[2];
    for (size_t i = 0; i < s->len;) {
        size_t k = sl_utf8_len((unsigned char)s->str[i]);
        if (i + k > s->len) k = s->len - i;
        /* index of this character in `from` */
        long idx = -1, ci = 0;
        for (size_t j = 0; j < from->len; ci++) {
            size_t m = sl_utf8_len((unsigned char)from->str[j]);
            if (m == k && j + m <= from->len && memcmp(from->str + j, s->str + i, k) == 0) {
                idx = ci;
                break;
            }
            j += m;
        }
        int rc = 0;
        if (idx < 0) {
            rc = sl_abuf_put(&b, s->str + i, k);
        } else {
            size_t off = sl_utf8_offset(to->str, to->len, (size_t)idx);
            if (off < to->len) {
                size_t m = sl_utf8_len((unsigned char)to->str[off]);
                if (off + m > to->len) m = to->len - off;
                rc = sl_abuf_put(&b, to->str + off, m);
            }
        }
        if (rc) return sl_fn_oom(err);
        i += k;
    }
    sl_abuf_value(&b, out);
    return 0;
}

static int fn_ascii(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    (void)c, (void)err;
    size_t i = 0;
    out->i64 = a[0].len ? (int64_t)decode_cp(a[0].str, a[0].len, &i) : 0;
    return 0;
}

static int fn_chr(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    int64_t v = iarg(&a[0]);
    if (v < 0) return sl_fn_set_str(c, out, "", 0, err);
    char b[4];
    size_t k = encode_cp((unsigned)(v & 0xff), b);
    return sl_fn_set_str(c, out, b, k, err);
}

/* ---- regular expressions ------------------------------------------------------------------ */

static int get_re(const sl_value_t *pat, const sl_regex_t **re, sl_err_t *err)
{
    return sl_regex_get(pat->str, pat->len, SL_RE_JAVA, re, err);
}

/* Next match at or after *pos, with Java's rule that an empty match moves
 * the search on by one character. Returns 1 and m[0..nm) or 0. */
static int next_match(const sl_regex_t *re, const char *s, size_t n, size_t *pos,
                      regmatch_t *m, size_t nm)
{
    if (*pos > n) return 0;
    if (!sl_regex_find(re, s, n, *pos, m, nm)) return 0;
    size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
    if (eo == so) *pos = so < n ? so + sl_utf8_len((unsigned char)s[so]) : n + 1;
    else *pos = eo;
    return 1;
}

static int fn_regexp(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    (void)c;
    if (a[1].len == 0) {
        out->b = false;
        return 0;
    }
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    out->b = sl_regex_find(re, a[0].str, a[0].len, 0, NULL, 0) == 1;
    return 0;
}

static int fn_regexp_extract(const sl_fn_ctx_t *c, const sl_value_t *a,
                             sl_value_t *out, sl_err_t *err)
{
    int64_t idx = c->nargs > 2 ? iarg(&a[2]) : 0;
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    if (idx < 0 || idx > re->ngroups || idx > SL_REGEX_MAX_GROUPS) return set_null(out);
    regmatch_t m[SL_REGEX_MAX_GROUPS + 1];
    if (!sl_regex_find(re, a[0].str, a[0].len, 0, m, (size_t)idx + 1))
        return set_null(out);
    if (m[idx].rm_so < 0) return set_null(out);
    out->str = a[0].str + m[idx].rm_so;
    out->len = (uint32_t)(m[idx].rm_eo - m[idx].rm_so);
    return 0;
}

static int fn_regexp_extract_all(const sl_fn_ctx_t *c, const sl_value_t *a,
                                 sl_value_t *out, sl_err_t *err)
{
    int64_t idx = c->nargs > 2 ? iarg(&a[2]) : 1;
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    if (idx < 0 || idx > re->ngroups)
        return sl_err_set(err, SL_EINVAL,
                          "REGEXP_EXTRACT_ALL: group %lld does not exist in '%.*s'",
                          (long long)idx, (int)(a[1].len > 60 ? 60 : a[1].len), a[1].str);
    collect_t k = {c, NULL, 0, 0, false};
    regmatch_t m[SL_REGEX_MAX_GROUPS + 1];
    size_t pos = 0;
    while (next_match(re, a[0].str, a[0].len, &pos, m, (size_t)idx + 1)) {
        if (collect_cb(&k, "", 0)) break;
        if (m[idx].rm_so < 0) {
            k.items[k.n - 1] = sl_value_null();
        } else {
            k.items[k.n - 1].str = a[0].str + m[idx].rm_so;
            k.items[k.n - 1].len = (uint32_t)(m[idx].rm_eo - m[idx].rm_so);
        }
    }
    return collect_array(&k, out, err);
}

static int fn_regexp_replace(const sl_fn_ctx_t *c, const sl_value_t *a,
                             sl_value_t *out, sl_err_t *err)
{
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    const char *s = a[0].str;
    size_t n = a[0].len, pos = 0, copied = 0;
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    regmatch_t m[1];
    while (next_match(re, s, n, &pos, m, 1)) {
        size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
        if (sl_abuf_put(&b, s + copied, so - copied) || sl_abuf_put(&b, a[2].str, a[2].len))
            return sl_fn_oom(err);
        copied = eo;
        if (eo == so && so < n) {
            size_t k = sl_utf8_len((unsigned char)s[so]);
            if (so + k > n) k = n - so;
            if (sl_abuf_put(&b, s + so, k)) return sl_fn_oom(err);
            copied = so + k;
        }
    }
    if (copied < n && sl_abuf_put(&b, s + copied, n - copied)) return sl_fn_oom(err);
    sl_abuf_value(&b, out);
    return 0;
}

static int fn_regexp_count(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    (void)c;
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    regmatch_t m[1];
    size_t pos = 0;
    int64_t k = 0;
    while (next_match(re, a[0].str, a[0].len, &pos, m, 1)) k++;
    out->i64 = k;
    return 0;
}

static int fn_regexp_instr(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                           sl_err_t *err)
{
    (void)c;
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    regmatch_t m[1];
    if (!sl_regex_find(re, a[0].str, a[0].len, 0, m, 1)) {
        out->i64 = 0;
        return 0;
    }
    out->i64 = (int64_t)sl_utf8_count(a[0].str, (size_t)m[0].rm_so) + 1;
    return 0;
}

static int fn_regexp_substr(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                            sl_err_t *err)
{
    (void)c;
    const sl_regex_t *re;
    int rc = get_re(&a[1], &re, err);
    if (rc) return rc;
    regmatch_t m[1];
    if (!sl_regex_find(re, a[0].str, a[0].len, 0, m, 1)) return set_null(out);
    out->str = a[0].str + m[0].rm_so;
    out->len = (uint32_t)(m[0].rm_eo - m[0].rm_so);
    return 0;
}

/* STR_TO_MAP(text [, listDelimiter, keyValueDelimiter]): both delimiters
 * are Java regexes (String.split), defaults ',' and '='. */
static int fn_str_to_map(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    sl_value_t ld = {0}, kd = {0};
    ld.str = ",";
    ld.len = 1;
    kd.str = "=";
    kd.len = 1;
    if (c->nargs == 3) {
        ld = a[1];
        kd = a[2];
    }
    const char *s = a[0].str;
    size_t n = a[0].len;
    collect_t keys = {c, NULL, 0, 0, false}, vals = {c, NULL, 0, 0, false};
    if (n > 0) {
        const sl_regex_t *re;
        regmatch_t m[1];
        size_t pos = 0, beg = 0;
        /* pairs: split on ld (Java drops trailing empty strings) */
        for (;;) {
            int rc = get_re(&ld, &re, err);
            if (rc) return rc;
            size_t end;
            bool more = next_match(re, s, n, &pos, m, 1) == 1;
            /* Java's split ignores a zero-width match at the start. */
            if (more && m[0].rm_eo == 0) continue;
            end = more ? (size_t)m[0].rm_so : n;
            const char *ps = s + beg;
            size_t pn = end - beg;
            rc = get_re(&kd, &re, err);
            if (rc) return rc;
            regmatch_t km[1];
            size_t kpos = 0;
            bool kv = false;
            while (next_match(re, ps, pn, &kpos, km, 1)) {
                if (km[0].rm_eo == 0 && km[0].rm_so == 0) continue;
                kv = true;
                break;
            }
            if (collect_cb(&keys, ps, kv ? (size_t)km[0].rm_so : pn) ||
                collect_cb(&vals, kv ? ps + km[0].rm_eo : "", kv ? pn - (size_t)km[0].rm_eo : 0))
                return sl_fn_oom(err);
            if (!kv) vals.items[vals.n - 1] = sl_value_null();
            if (!more) break;
            beg = (size_t)m[0].rm_eo;
        }
        /* trailing empty pairs are dropped by String.split */
        while (keys.n > 0 && keys.items[keys.n - 1].len == 0 &&
               vals.items[vals.n - 1].null) {
            keys.n--;
            vals.n--;
        }
    }
    /* later duplicates win (HashMap.put) */
    int n2 = 0;
    for (int i = 0; i < keys.n; i++) {
        int j;
        for (j = 0; j < n2; j++)
            if (keys.items[j].len == keys.items[i].len &&
                memcmp(keys.items[j].str, keys.items[i].str, keys.items[i].len) == 0)
                break;
        keys.items[j] = keys.items[i];
        vals.items[j] = vals.items[i];
        if (j == n2) n2++;
    }
    sl_nested_t *nv = sl_arena_alloc(c->arena, sizeof *nv + (size_t)(2 * n2) * sizeof(sl_value_t));
    if (!nv) return sl_fn_oom(err);
    nv->n = n2;
    for (int i = 0; i < n2; i++) {
        nv->v[i] = keys.items[i];
        nv->v[n2 + i] = vals.items[i];
    }
    out->nested = nv;
    out->len = (uint32_t)n2;
    return 0;
}

/* ---- hashes ------------------------------------------------------------------------------ */

typedef struct md5 {
    uint32_t h[4];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
} md5_t;

static uint32_t rol(uint32_t x, int c)
{
    return (x << c) | (x >> (32 - c));
}

static void md5_block(md5_t *m, const unsigned char *p)
{
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
        0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
        0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
        0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
        0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
        0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
        0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
        0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static const int R[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                              5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rol(a + f + K[i] + w[g], R[i]);
        a = t;
    }
    m->h[0] += a;
    m->h[1] += b;
    m->h[2] += c;
    m->h[3] += d;
}

static void md5(const void *data, size_t n, unsigned char out[16])
{
    md5_t m = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}, 0};
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) md5_block(&m, p + i);
    unsigned char tail[128] = {0};
    size_t r = n - i;
    if (r) memcpy(tail, p + i, r);
    tail[r] = 0x80;
    size_t tl = r + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++) tail[tl - 8 + k] = (unsigned char)(bits >> (8 * k));
    md5_block(&m, tail);
    if (tl == 128) md5_block(&m, tail + 64);
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 4; j++) out[4 * k + j] = (unsigned char)(m.h[k] >> (8 * j));
}

static void sha1(const void *data, size_t n, unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const unsigned char *p = data;
    size_t total = ((n + 8) / 64 + 1) * 64;
    for (size_t off = 0; off < total; off += 64) {
        unsigned char blk[64];
        for (size_t k = 0; k < 64; k++) {
            size_t i = off + k;
            if (i < n) blk[k] = p[i];
            else if (i == n) blk[k] = 0x80;
            else if (i >= total - 8) blk[k] = (unsigned char)(((uint64_t)n * 8) >> (8 * (total - 1 - i)));
            else blk[k] = 0;
        }
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
                   (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
        for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
            else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rol(b, 30);
            b = a;
            a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}

static uint32_t ror32(uint32_t x, int c)
{
    return (x >> c) | (x << (32 - c));
}

/* SHA-256 (bits 256) and SHA-224 (bits 224). */
static void sha256(const void *data, size_t n, int bits, unsigned char *out)
{
    static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
        0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
        0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t h[8];
    static const uint32_t H256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    static const uint32_t H224[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                     0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
    memcpy(h, bits == 224 ? H224 : H256, sizeof h);
    const unsigned char *p = data;
    size_t total = ((n + 8) / 64 + 1) * 64;
    for (size_t off = 0; off < total; off += 64) {
        unsigned char blk[64];
        for (size_t k = 0; k < 64; k++) {
            size_t i = off + k;
            if (i < n) blk[k] = p[i];
            else if (i == n) blk[k] = 0x80;
            else if (i >= total - 8) blk[k] = (unsigned char)(((uint64_t)n * 8) >> (8 * (total - 1 - i)));
            else blk[k] = 0;
        }
        uint32_t w[64];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
                   (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6],
                 hh = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = hh + S1 + ch + K[i] + w[i];
            uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
            uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + mj;
            hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g,
            h[7] += hh;
    }
    int words = bits / 32;
    for (int i = 0; i < words; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}

static uint64_t ror64(uint64_t x, int c)
{
    return (x >> c) | (x << (64 - c));
}

/* SHA-512 (bits 512) and SHA-384 (bits 384). */
static void sha512(const void *data, size_t n, int bits, unsigned char *out)
{
    static const uint64_t K[80] = {
        0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
        0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
        0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
        0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
        0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
        0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
        0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
        0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
        0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
        0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
        0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
        0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
        0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
        0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
        0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
        0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
        0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
        0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
        0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
        0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
        0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
        0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
        0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
        0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
        0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
        0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
        0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL};
    static const uint64_t H512[8] = {
        0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
        0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
        0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
    static const uint64_t H384[8] = {
        0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL,
        0x152fecd8f70e5939ULL, 0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
        0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL};
    uint64_t h[8];
    memcpy(h, bits == 384 ? H384 : H512, sizeof h);
    const unsigned char *p = data;
    size_t total = ((n + 16) / 128 + 1) * 128;
    for (size_t off = 0; off < total; off += 128) {
        unsigned char blk[128];
        for (size_t k = 0; k < 128; k++) {
            size_t i = off + k;
            if (i < n) blk[k] = p[i];
            else if (i == n) blk[k] = 0x80;
            else if (i >= total - 8) blk[k] = (unsigned char)(((uint64_t)n * 8) >> (8 * (total - 1 - i)));
            else blk[k] = 0;
        }
        uint64_t w[80];
        for (int i = 0; i < 16; i++) {
            w[i] = 0;
            for (int j = 0; j < 8; j++) w[i] = w[i] << 8 | blk[8 * i + j];
        }
        for (int i = 16; i < 80; i++) {
            uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
            uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6],
                 hh = h[7];
        for (int i = 0; i < 80; i++) {
            uint64_t S1 = ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41);
            uint64_t ch = (e & f) ^ (~e & g);
            uint64_t t1 = hh + S1 + ch + K[i] + w[i];
            uint64_t S0 = ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39);
            uint64_t mj = (a & b) ^ (a & c) ^ (b & c);
            uint64_t t2 = S0 + mj;
            hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g,
            h[7] += hh;
    }
    int words = bits / 64;
    for (int i = 0; i < words; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = (unsigned char)(h[i] >> (56 - 8 * j));
}

static int hex_out(const sl_fn_ctx_t *c, const unsigned char *d, size_t n,
                   sl_value_t *out, sl_err_t *err)
{
    static const char hex[] = "0123456789abcdef";
    char s[128];
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = hex[d[i] >> 4];
        s[2 * i + 1] = hex[d[i] & 15];
    }
    return sl_fn_set_str(c, out, s, 2 * n, err);
}

static int digest(const sl_fn_ctx_t *c, const sl_value_t *v, int algo,
                  sl_value_t *out, sl_err_t *err)
{
    unsigned char d[64];
    size_t n;
    switch (algo) {
    case 5: md5(v->str, v->len, d); n = 16; break;
    case 1: sha1(v->str, v->len, d); n = 20; break;
    case 224: case 256: sha256(v->str, v->len, algo, d); n = (size_t)algo / 8; break;
    default: sha512(v->str, v->len, algo, d); n = (size_t)algo / 8; break;
    }
    return hex_out(c, d, n, out, err);
}

#define HASHFN(NAME, ALGO)                                                        \
    static int NAME(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,    \
                    sl_err_t *err)                                                \
    {                                                                             \
        return digest(c, &a[0], ALGO, out, err);                                  \
    }
HASHFN(fn_md5, 5)
HASHFN(fn_sha1, 1)
HASHFN(fn_sha224, 224)
HASHFN(fn_sha256, 256)
HASHFN(fn_sha384, 384)
HASHFN(fn_sha512, 512)

static int fn_sha2(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                   sl_err_t *err)
{
    int64_t bits = iarg(&a[1]);
    if (bits != 224 && bits != 256 && bits != 384 && bits != 512) return set_null(out);
    return digest(c, &a[0], (int)bits, out, err);
}

/* ---- encodings ------------------------------------------------------------------------------ */

static int fn_to_base64(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    size_t n = a[0].len;
    char *p = sl_arena_alloc(c->arena, (n + 2) / 3 * 4 + 1);
    if (!p) return sl_fn_oom(err);
    size_t k = sl_base64_encode(a[0].str, n, p);
    p[k] = '\0';
    out->str = p;
    out->len = (uint32_t)k;
    return 0;
}

static int fn_from_base64(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                          sl_err_t *err)
{
    char *p = sl_arena_alloc(c->arena, a[0].len / 4 * 3 + 4);
    if (!p) return sl_fn_oom(err);
    long k = sl_base64_decode(a[0].str, a[0].len, p);
    if (k < 0)
        return sl_err_set(err, SL_EFORMAT, "FROM_BASE64: '%.*s' is not valid base64",
                          (int)(a[0].len > 60 ? 60 : a[0].len), a[0].str);
    p[k] = '\0';
    out->str = p;
    out->len = (uint32_t)k;
    return 0;
}

static int hexv(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int fn_unhex(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                    sl_err_t *err)
{
    size_t n = a[0].len;
    const char *s = a[0].str;
    unsigned char *p = sl_arena_alloc(c->arena, n / 2 + 2);
    if (!p) return sl_fn_oom(err);
    size_t o = 0, i = 0;
    if (n % 2) {
        int v = hexv(s[0]);
        if (v < 0) return set_null(out);
        p[o++] = (unsigned char)v;
        i = 1;
    }
    for (; i < n; i += 2) {
        int hi = hexv(s[i]), lo = hexv(s[i + 1]);
        if (hi < 0 || lo < 0) return set_null(out);
        p[o++] = (unsigned char)(hi << 4 | lo);
    }
    out->str = (const char *)p;
    out->len = (uint32_t)o;
    return 0;
}

/* Java's URLEncoder.encode(s, UTF-8). */
static int fn_url_encode(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    static const char hex[] = "0123456789ABCDEF";
    sl_abuf_t b;
    sl_abuf_init(&b, c->arena);
    for (size_t i = 0; i < a[0].len; i++) {
        unsigned char ch = (unsigned char)a[0].str[i];
        int rc;
        if (isalnum(ch) || ch == '.' || ch == '-' || ch == '*' || ch == '_') {
            rc = sl_abuf_putc(&b, (char)ch);
        } else if (ch == ' ') {
            rc = sl_abuf_putc(&b, '+');
        } else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            rc = sl_abuf_put(&b, e, 3);
        }
        if (rc) return sl_fn_oom(err);
    }
    sl_abuf_value(&b, out);
    return 0;
}

static int fn_url_decode(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                         sl_err_t *err)
{
    size_t n = a[0].len;
    const char *s = a[0].str;
    char *p = sl_arena_alloc(c->arena, n + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            p[o++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n) return set_null(out);
            int hi = hexv(s[i + 1]), lo = hexv(s[i + 2]);
            if (hi < 0 || lo < 0) return set_null(out);
            p[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            p[o++] = s[i];
        }
    }
    p[o] = '\0';
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

/* PARSE_URL(url, part [, key]) with java.net.URL's parts. */
static int fn_parse_url(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                        sl_err_t *err)
{
    (void)err;
    const char *s = a[0].str;
    size_t n = a[0].len;
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s) return set_null(out);
    for (const char *q = s; q < colon; q++)
        if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
            return set_null(out);
    size_t proto_n = (size_t)(colon - s);
    size_t i = proto_n + 1;
    size_t auth_b = i, auth_e = i;
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        auth_b = i + 2;
        auth_e = auth_b;
        while (auth_e < n && s[auth_e] != '/' && s[auth_e] != '?' && s[auth_e] != '#') auth_e++;
        i = auth_e;
    }
    size_t path_b = i, path_e = i;
    while (path_e < n && s[path_e] != '?' && s[path_e] != '#') path_e++;
    size_t q_b = path_e, q_e = path_e;
    bool has_q = false, has_ref = false;
    if (q_b < n && s[q_b] == '?') {
        has_q = true;
        q_b++;
        q_e = q_b;
        while (q_e < n && s[q_e] != '#') q_e++;
    }
    size_t r_b = q_e;
    if (r_b < n && s[r_b] == '#') {
        has_ref = true;
        r_b++;
    }
    /* host: authority minus userinfo and port */
    size_t h_b = auth_b, h_e = auth_e;
    const char *at = memchr(s + auth_b, '@', auth_e - auth_b);
    bool has_ui = at != NULL;
    size_t ui_e = has_ui ? (size_t)(at - s) : auth_b;
    if (has_ui) h_b = ui_e + 1;
    for (size_t k = h_b; k < h_e; k++)
        if (s[k] == ':') {
            h_e = k;
            break;
        }
    char part[16];
    size_t pl = a[1].len < sizeof part - 1 ? a[1].len : sizeof part - 1;
    memcpy(part, a[1].str, pl);
    part[pl] = '\0';
    const char *rs = NULL;
    size_t rn = 0;
    bool null = false;
    if (c->nargs > 2) {
        if (strcmp(part, "QUERY") != 0 || !has_q) return set_null(out);
        /* (&|^)key=([^&]*) */
        const char *qs = s + q_b;
        size_t qn = q_e - q_b;
        for (size_t k = 0; k <= qn;) {
            size_t e = k;
            while (e < qn && qs[e] != '&') e++;
            if (e - k > a[2].len && memcmp(qs + k, a[2].str, a[2].len) == 0 &&
                qs[k + a[2].len] == '=') {
                out->str = qs + k + a[2].len + 1;
                out->len = (uint32_t)(e - k - a[2].len - 1);
                return 0;
            }
            k = e + 1;
        }
        return set_null(out);
    }
    if (!strcmp(part, "HOST")) rs = s + h_b, rn = h_e - h_b;
    else if (!strcmp(part, "PATH")) rs = s + path_b, rn = path_e - path_b;
    else if (!strcmp(part, "QUERY")) rs = s + q_b, rn = q_e - q_b, null = !has_q;
    else if (!strcmp(part, "REF")) rs = s + r_b, rn = n - r_b, null = !has_ref;
    else if (!strcmp(part, "PROTOCOL")) rs = s, rn = proto_n;
    else if (!strcmp(part, "FILE")) rs = s + path_b, rn = (has_q ? q_e : path_e) - path_b;
    else if (!strcmp(part, "AUTHORITY")) rs = s + auth_b, rn = auth_e - auth_b;
    else if (!strcmp(part, "USERINFO")) rs = s + auth_b, rn = ui_e - auth_b, null = !has_ui;
    else null = true;
    if (null) return set_null(out);
    out->str = rs;
    out->len = (uint32_t)rn;
    return 0;
}

static int fn_elt(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                  sl_err_t *err)
{
    (void)err;
    if (a[0].null) return set_null(out);
    int64_t k = a[0].i64;
    if (k < 1 || k >= c->nargs) return set_null(out);
    *out = a[k];
    return 0;
}

/* Supported charsets of ENCODE / DECODE. */
static int charset(const sl_value_t *v)
{
    if (v->len == 5 && !strncasecmp(v->str, "UTF-8", 5)) return 8;
    if (v->len == 4 && !strncasecmp(v->str, "UTF8", 4)) return 8;
    if (v->len == 8 && !strncasecmp(v->str, "US-ASCII", 8)) return 7;
    if (v->len == 10 && !strncasecmp(v->str, "ISO-8859-1", 10)) return 1;
    return 0;
}

static int bad_charset(const sl_value_t *v, sl_err_t *err)
{
    return sl_err_set(err, SL_EINVAL,
                      "unsupported charset '%.*s' (supported: UTF-8, US-ASCII, "
                      "ISO-8859-1)",
                      (int)(v->len > 40 ? 40 : v->len), v->str);
}

static int fn_encode(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    int cs = charset(&a[1]);
    if (!cs) return bad_charset(&a[1], err);
    if (cs == 8) return sl_fn_set_str(c, out, a[0].str, a[0].len, err);
    char *p = sl_arena_alloc(c->arena, a[0].len + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    for (size_t i = 0; i < a[0].len;) {
        unsigned cp = decode_cp(a[0].str, a[0].len, &i);
        p[o++] = (char)((cs == 7 && cp > 0x7f) || (cs == 1 && cp > 0xff) ? '?' : cp);
    }
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

static int fn_decode(const sl_fn_ctx_t *c, const sl_value_t *a, sl_value_t *out,
                     sl_err_t *err)
{
    int cs = charset(&a[1]);
    if (!cs) return bad_charset(&a[1], err);
    if (cs == 8) return sl_fn_set_str(c, out, a[0].str, a[0].len, err);
    char *p = sl_arena_alloc(c->arena, a[0].len * 3 + 1);
    if (!p) return sl_fn_oom(err);
    size_t o = 0;
    for (size_t i = 0; i < a[0].len; i++) {
        unsigned ch = (unsigned char)a[0].str[i];
        if (cs == 7 && ch > 0x7f) ch = 0xfffd;
        o += encode_cp(ch, p + o);
    }
    out->str = p;
    out->len = (uint32_t)o;
    return 0;
}

const sl_fn_entry_t sl_fn_string_table[] = {
    {"UPPER", fn_upper, 0},
    {"LOWER", fn_lower, 0},
    {"INITCAP", fn_initcap, 0},
    {"CONCAT", fn_concat, 0},
    {"CONCAT_WS", fn_concat_ws, SL_FN_NULL_AWARE},
    {"CHAR_LENGTH", fn_char_length, 0},
    {"CHARACTER_LENGTH", fn_char_length, 0},
    {"SUBSTRING", fn_substring, 0},
    {"SUBSTR", fn_substring, 0},
    {"LEFT", fn_left, 0},
    {"RIGHT", fn_right, 0},
    {"OVERLAY", fn_overlay, 0},
    {"TRIM", fn_trim, 0},
    {"LTRIM", fn_ltrim, 0},
    {"RTRIM", fn_rtrim, 0},
    {"BTRIM", fn_btrim, 0},
    {"REPLACE", fn_replace, 0},
    {"REPEAT", fn_repeat, 0},
    {"REVERSE", fn_reverse, 0},
    {"LPAD", fn_lpad, 0},
    {"RPAD", fn_rpad, 0},
    {"POSITION", fn_position, 0},
    {"LOCATE", fn_position, 0},
    {"INSTR", fn_instr, 0},
    {"STARTSWITH", fn_startswith, 0},
    {"ENDSWITH", fn_endswith, 0},
    {"SPLIT_INDEX", fn_split_index, 0},
    {"SPLIT", fn_split, 0},
    {"TRANSLATE", fn_translate, SL_FN_NULL_AWARE},
    {"ASCII", fn_ascii, 0},
    {"CHR", fn_chr, 0},
    {"REGEXP", fn_regexp, 0},
    {"REGEXP_EXTRACT", fn_regexp_extract, 0},
    {"REGEXP_EXTRACT_ALL", fn_regexp_extract_all, 0},
    {"REGEXP_REPLACE", fn_regexp_replace, 0},
    {"REGEXP_COUNT", fn_regexp_count, 0},
    {"REGEXP_INSTR", fn_regexp_instr, 0},
    {"REGEXP_SUBSTR", fn_regexp_substr, 0},
    {"STR_TO_MAP", fn_str_to_map, 0},
    {"MD5", fn_md5, 0},
    {"SHA1", fn_sha1, 0},
    {"SHA224", fn_sha224, 0},
    {"SHA256", fn_sha256, 0},
    {"SHA384", fn_sha384, 0},
    {"SHA512", fn_sha512, 0},
    {"SHA2", fn_sha2, 0},
    {"TO_BASE64", fn_to_base64, 0},
    {"FROM_BASE64", fn_from_base64, 0},
    {"UNHEX", fn_unhex, 0},
    {"URL_ENCODE", fn_url_encode, 0},
    {"URL_DECODE", fn_url_decode, 0},
    {"PARSE_URL", fn_parse_url, 0},
    {"ELT", fn_elt, SL_FN_NULL_AWARE},
    {"ENCODE", fn_encode, 0},
    {"DECODE", fn_decode, 0},
    {NULL, NULL, 0},
};
