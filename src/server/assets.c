/* assets.c - the dashboard's files, embedded at build time (assets.h).
 * The Makefile compiles from the repository root, so the .incbin paths
 * are relative to it; it also makes this object depend on the files. */
#include "server/assets.h"

#include <string.h>

#define EMBED(sym, file)                                                   \
    __asm__(".section .rodata\n"                                           \
            ".global " #sym "_start\n"                                     \
            ".global " #sym "_end\n"                                       \
            ".balign 16\n" #sym "_start:\n"                                \
            ".incbin \"" file "\"\n" #sym "_end:\n"                        \
            ".byte 0\n"                                                    \
            ".previous\n");                                                \
    extern const unsigned char sym##_start[], sym##_end[]

EMBED(sl_asset_index_html, "src/server/assets/index.html");
EMBED(sl_asset_app_js, "src/server/assets/app.js");
EMBED(sl_asset_app_css, "src/server/assets/app.css");
EMBED(sl_asset_favicon, "src/server/assets/favicon.svg");

const sl_asset_t *sl_asset_find(const char *path)
{
    static sl_asset_t table[4];
    static const char *const paths[] = {"/index.html", "/assets/app.js", "/assets/app.css",
                                        "/assets/favicon.svg"};
    static const char *const types[] = {"text/html; charset=utf-8",
                                        "text/javascript; charset=utf-8",
                                        "text/css; charset=utf-8", "image/svg+xml"};
    const unsigned char *starts[] = {sl_asset_index_html_start, sl_asset_app_js_start,
                                     sl_asset_app_css_start, sl_asset_favicon_start};
    const unsigned char *ends[] = {sl_asset_index_html_end, sl_asset_app_js_end,
                                   sl_asset_app_css_end, sl_asset_favicon_end};
    if (!path) return NULL;
    if (!strcmp(path, "/")) path = "/index.html";
    if (!strcmp(path, "/favicon.ico")) path = "/assets/favicon.svg";
    for (int i = 0; i < 4; i++)
        if (!strcmp(path, paths[i])) {
            table[i].path = paths[i];
            table[i].content_type = types[i];
            table[i].data = starts[i];
            table[i].len = (size_t)(ends[i] - starts[i]);
            return &table[i];
        }
    return NULL;
}
