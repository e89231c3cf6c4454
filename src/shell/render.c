/* render.c - the shell's result rendering (render.h). */
#include "shell/render.h"

#include <stdlib.h>
#include <string.h>

int sl_render_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) w++;
    return w;
}

/* Bytes of s that fit in w columns. */
static size_t prefix_bytes(const char *s, int w)
{
    const unsigned char *p = (const unsigned char *)s;
    int cols = 0;
    size_t i = 0;
    while (p[i]) {
        if ((p[i] & 0xC0) != 0x80) {
            if (cols == w) break;
            cols++;
        }
        i++;
    }
    return i;
}

void sl_render_cell(sl_strbuf_t *out, const char *s, int width, bool left_align)
{
    int w = sl_render_width(s);
    if (w > width) {
        int keep = width > 3 ? width - 3 : 0;
        sl_strbuf_append(out, s, prefix_bytes(s, keep));
        sl_strbuf_append(out, "...", (size_t)(width - keep < 3 ? width - keep : 3));
        return;
    }
    if (!left_align)
        for (int i = w; i < width; i++) sl_strbuf_append(out, " ", 1);
    sl_strbuf_puts(out, s);
    if (left_align)
        for (int i = w; i < width; i++) sl_strbuf_append(out, " ", 1);
}

static const char *cell_text(json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "<NULL>";
}

static void rule(sl_strbuf_t *out, int n, const int *widths, int first)
{
    sl_strbuf_puts(out, "+");
    if (first > 0) {
        for (int k = 0; k < first + 2; k++) sl_strbuf_append(out, "-", 1);
        sl_strbuf_puts(out, "+");
    }
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < widths[i] + 2; k++) sl_strbuf_append(out, "-", 1);
        sl_strbuf_puts(out, "+");
    }
    sl_strbuf_puts(out, "\n");
}

void sl_render_table(sl_strbuf_t *out, json_t *columns, json_t *rows)
{
    int n = (int)json_array_size(columns);
    size_t nrows = json_array_size(rows);
    if (nrows == 0) {
        sl_strbuf_puts(out, "Empty set\n");
        return;
    }
    int *w = calloc((size_t)n + 1, sizeof *w);
    if (!w) return;
    for (int i = 0; i < n; i++) {
        const char *name = json_string_value(json_array_get(columns, i));
        w[i] = name ? sl_render_width(name) : 0;
    }
    for (size_t r = 0; r < nrows; r++)
        for (int i = 0; i < n; i++) {
            int cw = sl_render_width(cell_text(json_array_get(json_array_get(rows, r), (size_t)i)));
            if (cw > SL_RENDER_MAX_WIDTH) cw = SL_RENDER_MAX_WIDTH;
            if (cw > w[i]) w[i] = cw;
        }
    rule(out, n, w, 0);
    sl_strbuf_puts(out, "|");
    for (int i = 0; i < n; i++) {
        sl_strbuf_puts(out, " ");
        const char *name = json_string_value(json_array_get(columns, i));
        sl_render_cell(out, name ? name : "", w[i], false);
        sl_strbuf_puts(out, " |");
    }
    sl_strbuf_puts(out, "\n");
    rule(out, n, w, 0);
    for (size_t r = 0; r < nrows; r++) {
        sl_strbuf_puts(out, "|");
        for (int i = 0; i < n; i++) {
            sl_strbuf_puts(out, " ");
            sl_render_cell(out, cell_text(json_array_get(json_array_get(rows, r), (size_t)i)), w[i],
                           false);
            sl_strbuf_puts(out, " |");
        }
        sl_strbuf_puts(out, "\n");
    }
    rule(out, n, w, 0);
    sl_strbuf_printf(out, "%zu row%s in set\n", nrows, nrows == 1 ? "" : "s");
    free(w);
}

/* The width a column's values need, from its type (tableau rows are
 * printed as they come, so widths are fixed before the first). */
static int type_width(const char *type)
{
    if (!type) return 20;
    if (!strncmp(type, "BOOLEAN", 7)) return 7;
    if (!strncmp(type, "TINYINT", 7)) return 4;
    if (!strncmp(type, "SMALLINT", 8)) return 6;
    if (!strncmp(type, "INT", 3) && (type[3] == 0 || type[3] == ' ')) return 11;
    if (!strncmp(type, "BIGINT", 6)) return 20;
    if (!strncmp(type, "DECIMAL", 7)) {
        int p = 10;
        sscanf(type, "DECIMAL(%d", &p);
        return p + 2 < 40 ? p + 2 : 40;
    }
    if (!strncmp(type, "DATE", 4)) return 10;
    if (!strncmp(type, "TIMESTAMP", 9)) {
        int p = 6;
        sscanf(type, "TIMESTAMP(%d", &p);
        return 20 + p;
    }
    if (!strncmp(type, "TIME", 4)) return 12;
    if (!strncmp(type, "VARCHAR(", 8) || !strncmp(type, "CHAR(", 5)) {
        int n = 20;
        sscanf(strchr(type, '(') + 1, "%d", &n);
        return n < SL_RENDER_MAX_WIDTH ? n : SL_RENDER_MAX_WIDTH;
    }
    return 20;
}

void sl_render_widths(json_t *columns, int *widths)
{
    for (size_t i = 0; i < json_array_size(columns); i++) {
        json_t *c = json_array_get(columns, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        int w = type_width(json_string_value(json_object_get(c, "type")));
        int nw = name ? sl_render_width(name) : 0;
        widths[i] = nw > w ? nw : w;
    }
}

void sl_render_tableau_rule(sl_strbuf_t *out, int ncols, const int *widths)
{
    rule(out, ncols, widths, 2);
}

void sl_render_tableau_header(sl_strbuf_t *out, json_t *columns, const int *widths)
{
    int n = (int)json_array_size(columns);
    rule(out, n, widths, 2);
    sl_strbuf_puts(out, "| op |");
    for (int i = 0; i < n; i++) {
        const char *name = json_string_value(json_object_get(json_array_get(columns, i), "name"));
        sl_strbuf_puts(out, " ");
        sl_render_cell(out, name ? name : "", widths[i], false);
        sl_strbuf_puts(out, " |");
    }
    sl_strbuf_puts(out, "\n");
    rule(out, n, widths, 2);
}

void sl_render_tableau_row(sl_strbuf_t *out, const char *op, json_t *row, const int *widths)
{
    sl_strbuf_printf(out, "| %s |", op);
    for (size_t i = 0; i < json_array_size(row); i++) {
        sl_strbuf_puts(out, " ");
        sl_render_cell(out, cell_text(json_array_get(row, i)), widths[i], false);
        sl_strbuf_puts(out, " |");
    }
    sl_strbuf_puts(out, "\n");
}

void sl_mview_init(sl_mview_t *v)
{
    v->rows = json_array();
    v->changes = 0;
    v->hole = -1;
}

void sl_mview_free(sl_mview_t *v)
{
    json_decref(v->rows);
    v->rows = NULL;
}

bool sl_mview_apply(sl_mview_t *v, const char *op, json_t *row)
{
    v->changes++;
    if (op[0] == '+') {
        /* +U takes the place of the row its -U removed */
        if (op[1] == 'U' && v->hole >= 0 && (size_t)v->hole <= json_array_size(v->rows))
            json_array_insert(v->rows, (size_t)v->hole, row);
        else
            json_array_append(v->rows, row);
        v->hole = -1;
        return true;
    }
    /* a retraction removes the newest equal row */
    v->hole = -1;
    for (size_t i = json_array_size(v->rows); i-- > 0;)
        if (json_equal(json_array_get(v->rows, i), row)) {
            json_array_remove(v->rows, i);
            if (op[1] == 'U') v->hole = (long)i;
            return true;
        }
    return false;
}
