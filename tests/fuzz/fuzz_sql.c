/* fuzz_sql.c - libFuzzer harness for the SQL front end: tokenizer, parser
 * and binder over arbitrary bytes. Any crash, leak, hang or sanitizer report
 * is a bug. Build and run with `make fuzz-run` (seeded from tests/sql/cases
 * and tests/fuzz/seeds). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sql/bind.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024) return 0;
    sl_script_t sc;
    if (sl_script_parse(&sc, "fuzz.sql", (const char *)data, size) == 0) {
        sl_catalog_t *cat = sl_catalog_new();
        if (cat) {
            sl_bind_script(&sc, cat);
            sl_catalog_free(cat);
        }
        /* Exercise the printer (line/column, caret, secret masking) on
         * every diagnostic. */
        static FILE *devnull;
        if (!devnull) devnull = fopen("/dev/null", "w");
        if (devnull) sl_script_print_diags(devnull, &sc);
    }
    sl_script_destroy(&sc);
    return 0;
}
