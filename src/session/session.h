/* session.h - the engine behind `sluice sql` and `sluice daemon`.
 *
 * An engine holds the catalog (tables and views, as the text of the DDL
 * that made them), the jobs it runs (each on a thread of its own, with its
 * own state directory, restart strategy, metrics and log prefix) and the
 * defaults every session starts from (the daemon's sluice.yaml). A session
 * is one user's view of it: its SET properties and its running queries.
 * The embedded shell has one engine and one session in its own process;
 * the daemon has one engine, a session per client, and the REST API
 * (docs/REST.md) returns exactly the JSON documents below, so that the
 * shell renders the same thing whichever way it is connected.
 *
 * Thread safety: every function may be called from any thread; the engine
 * serializes them with its own lock and never holds it while a job runs,
 * a query waits for rows or a statement is planned against a database.
 * Functions that return json_t* hand the caller a new reference (owner:
 * the caller, json_decref), never NULL except when out of memory.
 *
 * Statement results (sl_session_exec), one JSON object per statement:
 *   {"kind":"ok",     "message":"[INFO] Execute statement succeed."}
 *   {"kind":"table",  "columns":["name",...], "rows":[["v",...|null],...]}
 *   {"kind":"job",    "job_id":"8f3a...", "message":"[INFO] Submitting ..."}
 *   {"kind":"query",  "query_id":"q1", "columns":[{"name":..,"type":..}],
 *                     "mode":"table"|"changelog"|"tableau", "unique_key":[i,..]}
 *   {"kind":"explain","text":"== Physical Execution Plan ==\n..."}
 *   {"kind":"quit"}  (QUIT; EXIT;)   {"kind":"help", "text":"..."}
 *   {"kind":"error",  "message":"...", "line":L, "col":C,
 *                     "text":"<origin>:L:C: error: ...\n<source line>\n   ^"}
 * sl_session_exec returns {"results":[...]}: statements run in order and
 * the first error ends the list.
 */
#ifndef SL_SESSION_SESSION_H
#define SL_SESSION_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

typedef struct sl_engine sl_engine_t;
typedef struct sl_session sl_session_t;

typedef struct sl_engine_opts {
    /* Where the engine keeps what outlives it: catalog.sql (the DDL of
     * every table and view, replayed at start), jobs/<id>/ (each job's
     * SQL, status and checkpoints). NULL: nothing persists (the embedded
     * shell); jobs then checkpoint under a temporary directory if at all. */
    const char *home;
    /* Defaults of every session (sluice.yaml, Flink's key names): pairs
     * key, value; n pairs. Copied. */
    const char *const *defaults;
    int ndefaults;
    /* Log prefix of the engine's own messages ("sluice daemon"). */
    const char *name;
} sl_engine_opts_t;

/* Creates an engine; with opts->home, replays its catalog (errors in it
 * are logged and the statement skipped, never fatal). NULL with err set. */
sl_engine_t *sl_engine_new(const sl_engine_opts_t *opts, sl_err_t *err);
/* Restarts the jobs that were running when the engine (daemon) last
 * stopped or died, each from its newest checkpoint. Returns how many. */
int sl_engine_resume_jobs(sl_engine_t *e);
/* Replaces the session defaults (SIGHUP: sluice.yaml read again); running
 * jobs keep theirs, new sessions and jobs get these. */
int sl_engine_set_defaults(sl_engine_t *e, const char *const *kv, int npairs);
/* Stops every job (keeping their checkpoints, so that a persistent engine
 * resumes them on its next start: a daemon's shutdown is not a cancel)
 * and frees the engine. Sessions must be freed first. */
void sl_engine_free(sl_engine_t *e);

/* ---- sessions ---- */

sl_session_t *sl_session_new(sl_engine_t *e);
/* Cancels the session's queries (not its jobs: INSERT jobs belong to the
 * engine) and frees it. */
void sl_session_free(sl_session_t *s);
/* A stable id ("s1", ...) for the REST API, and the lookup. */
const char *sl_session_id(const sl_session_t *s);
sl_session_t *sl_engine_session(sl_engine_t *e, const char *id);

/* Executes the statements in text (origin names it in error messages:
 * a file name, "<stdin>" or "<shell>"). See the top comment for the
 * result. DDL changes the engine's catalog (persisted with a home); SET
 * and RESET the session's properties; INSERT and statement sets start a
 * job in the background; a SELECT starts a query whose changes are
 * fetched with sl_session_fetch. */
json_t *sl_session_exec(sl_session_t *s, const char *text, size_t len, const char *origin);

/* The changes of a query after token (0 for the first call), waiting up to
 * wait_ms for at least one, at most max_rows:
 *   {"changes":[{"op":"+I"|"-U"|"+U"|"-D","row":["text"|null,...]},...],
 *    "next_token":N, "end":bool, "error":"..."|null, "rows_total":N}
 * Values are rendered as Flink's SQL client prints them (DECIMAL with its
 * scale, TIMESTAMP as 2024-01-02 03:04:05.678, NULL as JSON null). The
 * query's changes stay fetchable until the next fetch acknowledges them
 * (tokens below the newest are forgotten). {"error":"no such query"} for
 * an unknown id. */
json_t *sl_session_fetch(sl_session_t *s, const char *query_id, uint64_t token,
                         int max_rows, int wait_ms);
/* Stops a query and forgets it. 0, or -SL_ENOTFOUND. */
int sl_session_close_query(sl_session_t *s, const char *query_id);

/* ---- jobs ---- */

/* {"jobs":[{"id","name","status","start_time","duration_ms","restarts",
 *           "records_in","records_out","error"}]}
 * status: "INITIALIZING" | "RUNNING" | "RESTARTING" (between two runs of
 * its restart strategy) | "FINISHED" (bounded input read, or STOP JOB, with
 * or without a savepoint) | "FAILED" | "CANCELED". "query": a SELECT's job. */
json_t *sl_engine_jobs(sl_engine_t *e);
/* One job in detail (docs/REST.md): its SQL (secrets masked), the
 * operator graph with per-operator metrics, sources' lag and snapshot
 * progress, checkpoint counts and history, state size, and a history of
 * throughput and lag samples (one every 2 s, the last 10 minutes).
 * NULL when there is no such job. */
json_t *sl_engine_job(sl_engine_t *e, const char *id);
/* Cancels a job (its checkpoints are dropped unless retained). */
int sl_engine_job_cancel(sl_engine_t *e, const char *id, sl_err_t *err);
/* Stops a job with a final savepoint in dir (NULL: the job's own
 * savepoints directory); waits until it is written (at most timeout_ms)
 * and puts its path in path_out. */
int sl_engine_job_stop(sl_engine_t *e, const char *id, const char *dir, int timeout_ms,
                       sl_strbuf_t *path_out, sl_err_t *err);
/* Asks a job for a checkpoint now; its id in *ckpt_id. */
int sl_engine_job_checkpoint(sl_engine_t *e, const char *id, int64_t *ckpt_id, sl_err_t *err);

/* {"tables":[{"name","kind":"TABLE"|"VIEW","connector","columns":
 *   [{"name","type"}],"primary_key":[..],"ddl":"CREATE ... (secrets masked)"}]} */
json_t *sl_engine_catalog(sl_engine_t *e);

/* Appends every job's metrics in Prometheus text format (docs/REST.md):
 * Flink's names (flink_taskmanager_job_task_operator_numRecordsIn, ...)
 * labelled job_id, job_name, operator_id, operator_name. */
void sl_engine_metrics(sl_engine_t *e, sl_strbuf_t *out);

#endif
