/* fuzz_sql.c - libFuzzer harness for the SQL front end: tokenizer, parser
 * and binder over arbitrary bytes. Any crash, leak, hang or sanitizer report
 * is a bug. Build and run with `make fuzz-run` (seeded from tests/sql/cases
 * and tests/fuzz/seeds). */
#include <stddef.h>
#include <stdint.h>

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
        /* Exercise position and masking code on every diagnostic. */
        for (int i = 0; i < sc.diags.n; i++) {
            const sl_diag_t *d = sc.diags.items[i];
            int line, col;
            sl_script_linecol(&sc, d->off, &line, &col);
        }
    }
    sl_script_destroy(&sc);
    return 0;
}
