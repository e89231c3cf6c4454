/* render.h - how the shell shows results, as Flink's SQL client does:
 * boxed tables for SHOW/DESCRIBE/SET, tableau rows with their kinds, and
 * the materialized result of the table view. Pure functions over the JSON
 * documents of session.h, testable without a terminal. */
#ifndef SL_SHELL_RENDER_H
#define SL_SHELL_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/strbuf.h"

#define SL_RENDER_MAX_WIDTH 40 /* longer values are cut and end in "..." */

/* Display width of a UTF-8 string (code points; no wide-char tables). */
int sl_render_width(const char *s);
/* Appends s cut to width columns (ending in "..." when cut), padded on the
 * left (right-aligned, as Flink prints) or on the right. */
void sl_render_cell(sl_strbuf_t *out, const char *s, int width, bool left_align);

/* A statement's table result: +---+ boxes, right-aligned values, NULL as
 * <NULL>, then "N rows in set" or "Empty set". */
void sl_render_table(sl_strbuf_t *out, json_t *columns, json_t *rows);

/* Tableau mode: the header (with the op column), one line per change, and
 * the closing rule. widths: one per column (sl_render_widths). */
void sl_render_widths(json_t *columns, int *widths);
void sl_render_tableau_header(sl_strbuf_t *out, json_t *columns, const int *widths);
void sl_render_tableau_row(sl_strbuf_t *out, const char *op, json_t *row, const int *widths);
void sl_render_tableau_rule(sl_strbuf_t *out, int ncols, const int *widths);

/* The materialized result of the table mode: rows in the order they were
 * first inserted; -U/-D remove one equal row, +I adds one at the end, and
 * a +U right after a -U takes the removed row's place. */
typedef struct sl_mview {
    json_t *rows;              /* array of row arrays (owned) */
    long changes;
    long hole;                 /* where the last -U removed a row, or -1 */
} sl_mview_t;

void sl_mview_init(sl_mview_t *v);
void sl_mview_free(sl_mview_t *v);
/* Applies one change; false when a retraction found no equal row. */
bool sl_mview_apply(sl_mview_t *v, const char *op, json_t *row);

#endif
