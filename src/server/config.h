/* config.h - the daemon's configuration file (conf/sluice.yaml).
 *
 * The format of Flink's flink-conf.yaml: `key: value` lines with Flink's
 * key names, read with libyaml, so nested maps are accepted too (their keys
 * are joined with '.'). Every value is kept as its text. Keys the daemon
 * knows: its own (rest.*, sluice.home, log.level) and every job key (those
 * of SET: execution.checkpointing.*, state.*, restart-strategy*,
 * table.exec.*, table.optimizer.*, pipeline.*, sql-client.*), whose values
 * are checked here as SET would check them; they become the defaults of
 * every session and job. Other keys are warned about (file:line), never
 * fatal, so a flink-conf.yaml can be reused as it is.
 */
#ifndef SL_SERVER_CONFIG_H
#define SL_SERVER_CONFIG_H

#include <stdbool.h>

#include "util/err.h"

typedef struct sl_config {
    char **keys, **values;     /* every key: value read, in file order */
    int n, cap, capv;
    char **warnings;           /* "file:line: unknown key 'x' (ignored)" */
    int nwarnings, capwarnings;
} sl_config_t;

/* Reads path into c (zeroed first). A missing file with missing_ok is an
 * empty configuration. Errors name file:line:column. c must be freed with
 * sl_config_free either way. */
int sl_config_load(sl_config_t *c, const char *path, bool missing_ok, sl_err_t *err);
void sl_config_free(sl_config_t *c);
/* The value of key (the last one given), or def. */
const char *sl_config_get(const sl_config_t *c, const char *key, const char *def);
/* The job keys (defaults of sessions) as key, value pairs: an array of
 * 2 * *n pointers into c (owner: the caller frees the array only). */
const char **sl_config_job_pairs(const sl_config_t *c, int *n);
/* Is key one of the daemon's own keys? */
bool sl_config_is_daemon_key(const char *key);

#endif
