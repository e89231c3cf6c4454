/* assets.h - the dashboard's files, compiled into the binary (assets.c
 * embeds src/server/assets/ with the assembler's .incbin), so the daemon
 * needs no files at run time and can serve nothing but these. */
#ifndef SL_SERVER_ASSETS_H
#define SL_SERVER_ASSETS_H

#include <stddef.h>

typedef struct sl_asset {
    const char *path;          /* "/assets/app.js" */
    const char *content_type;
    const unsigned char *data;
    size_t len;
} sl_asset_t;

/* The asset at exactly this request path ("/" and "/index.html" are the
 * page); NULL for anything else. A table lookup: no path reaches the file
 * system. */
const sl_asset_t *sl_asset_find(const char *path);

#endif
