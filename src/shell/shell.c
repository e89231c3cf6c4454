/* shell.c - `sluice sql`: the interactive SQL shell, like Flink's
 * `sql-client.sh embedded`.
 *
 * Statements go to an engine (session/session.h): one in this process
 * (embedded, the default) or a daemon's through its REST API
 * (--endpoint). Both answer with the same JSON documents, which the shell
 * renders (render.h). Lines are edited with libedit (history in
 * $SLUICE_HISTORY or ~/.sluice_history; a multi-line statement is one
 * entry); a statement ends with ';' outside quotes and comments (found with
 * the project's tokenizer). Ctrl-C drops the statement being typed or ends
 * the result being shown; Ctrl-D on an empty line leaves.
 *
 * Query results follow 'sql-client.execution.result-mode': tableau prints
 * rows as they come; table and changelog are full-screen views redrawn as
 * the result changes ('q' or Ctrl-C leaves them). Without a terminal (or
 * with -f) the default is tableau.
 */
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server/client.h"
#include "session/session.h"
#include "shell/render.h"
#include "sql/parse.h"
#include "sql_parse.h"
#include "util/log.h"
#include "util/strbuf.h"

/* ---- the two backends ---- */

typedef struct backend {
    sl_engine_t *engine;       /* embedded */
    sl_session_t *session;
    const char *endpoint;      /* remote */
    const char *token;
    char sid[64];
} backend_t;

static json_t *be_exec(backend_t *b, const char *text, const char *origin)
{
    if (b->session) return sl_session_exec(b->session, text, strlen(text), origin);
    json_t *body = json_pack("{s:s, s:s, s:s}", "statement", text, "session_id", b->sid, "origin",
                             origin);
    json_t *out = NULL;
    long st = 0;
    sl_err_t err;
    int rc = sl_rest_call(b->endpoint, b->token, "POST", "/v1/statements", body, 0, &out, &st, &err);
    json_decref(body);
    if (rc) {
        json_decref(out);
        return json_pack("{s:[{s:s, s:s, s:s}]}", "results", "kind", "error", "message", err.msg,
                         "text", err.msg);
    }
    return out;
}

static json_t *be_fetch(backend_t *b, const char *qid, uint64_t token, int wait_ms)
{
    if (b->session) return sl_session_fetch(b->session, qid, token, 2000, wait_ms);
    char path[256];
    snprintf(path, sizeof path, "/v1/sessions/%s/queries/%s?token=%llu&max_rows=2000&wait_ms=%d",
             b->sid, qid, (unsigned long long)token, wait_ms);
    json_t *out = NULL;
    long st = 0;
    sl_err_t err;
    if (sl_rest_call(b->endpoint, b->token, "GET", path, NULL, wait_ms + 30000, &out, &st, &err)) {
        json_decref(out);
        return json_pack("{s:s}", "error", err.msg);
    }
    return out;
}

static void be_close(backend_t *b, const char *qid)
{
    if (b->session) {
        sl_session_close_query(b->session, qid);
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "/v1/sessions/%s/queries/%s", b->sid, qid);
    json_t *out = NULL;
    long st = 0;
    sl_err_t err;
    sl_rest_call(b->endpoint, b->token, "DELETE", path, NULL, 30000, &out, &st, &err);
    json_decref(out);
}

/* ---- signals and the terminal ---- */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void install_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
    sigaction(SIGINT, &sa, NULL);
}

static void term_size(int *rows, int *cols)
{
    struct winsize ws;
    if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    } else {
        *rows = 24;
        *cols = 80;
    }
}

static void out_write(const sl_strbuf_t *sb)
{
    if (sb->len) fwrite(sb->buf, 1, sb->len, stdout);
    fflush(stdout);
}

/* ---- showing query results ---- */

typedef struct shell {
    backend_t be;
    bool interactive;          /* a terminal: prompts, editing, views */
    EditLine *el;
    History *hist;
    HistEvent hev;
    char history_path[4096];
    bool continuation;
} shell_t;

/* Tableau: rows as they come, until the query ends or Ctrl-C. */
static int show_tableau(shell_t *sh, json_t *q)
{
    const char *qid = json_string_value(json_object_get(q, "query_id"));
    json_t *cols = json_object_get(q, "columns");
    int n = (int)json_array_size(cols);
    int *w = calloc((size_t)n + 1, sizeof *w);
    if (!w) return 1;
    sl_render_widths(cols, w);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    sl_render_tableau_header(&sb, cols, w);
    out_write(&sb);
    uint64_t token = 0;
    long total = 0;
    int status = 0;
    interrupted = 0;
    for (;;) {
        if (interrupted) {
            sl_strbuf_clear(&sb);
            sl_render_tableau_rule(&sb, n, w);
            sl_strbuf_printf(&sb, "Query terminated, received a total of %ld row%s\n", total,
                             total == 1 ? "" : "s");
            out_write(&sb);
            break;
        }
        json_t *f = be_fetch(&sh->be, qid, token, 200);
        const char *err = json_string_value(json_object_get(f, "error"));
        json_t *ch = json_object_get(f, "changes");
        sl_strbuf_clear(&sb);
        for (size_t i = 0; i < json_array_size(ch); i++) {
            json_t *c = json_array_get(ch, i);
            sl_render_tableau_row(&sb, json_string_value(json_object_get(c, "op")),
                                  json_object_get(c, "row"), w);
            total++;
        }
        out_write(&sb);
        token = (uint64_t)json_integer_value(json_object_get(f, "next_token"));
        bool end = json_is_true(json_object_get(f, "end"));
        if (err || end) {
            sl_strbuf_clear(&sb);
            sl_render_tableau_rule(&sb, n, w);
            if (err) {
                sl_strbuf_printf(&sb, "[ERROR] Could not execute SQL statement. Reason:\n%s\n", err);
                status = 1;
            } else {
                sl_strbuf_printf(&sb, "Received a total of %ld row%s\n", total, total == 1 ? "" : "s");
            }
            out_write(&sb);
            json_decref(f);
            break;
        }
        json_decref(f);
    }
    be_close(&sh->be, qid);
    sl_strbuf_destroy(&sb);
    free(w);
    interrupted = 0;
    return status;
}

/* Table and changelog views: full screen, redrawn as the result changes. */
static int show_view(shell_t *sh, json_t *q, bool changelog)
{
    const char *qid = json_string_value(json_object_get(q, "query_id"));
    json_t *cols = json_object_get(q, "columns");
    int n = (int)json_array_size(cols);
    struct termios saved, raw;
    bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        raw = saved;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
        raw.c_cc[VMIN] = 0;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    fputs("\033[?1049h\033[?25l", stdout); /* alternate screen, no cursor */
    fflush(stdout);
    sl_mview_t mv;
    sl_mview_init(&mv);
    json_t *log = json_array(); /* changelog: the newest changes */
    uint64_t token = 0;
    bool ended = false, dirty = true;
    char error[1024] = "";
    long total = 0;
    struct timespec last = {0, 0};
    char refreshed[32] = "";
    int status = 0;
    int *w = calloc((size_t)n + 2, sizeof *w);
    sl_strbuf_t sb = SL_STRBUF_INIT;
    interrupted = 0;
    for (;;) {
        /* keys: q, Q, Ctrl-C leave */
        char key = 0;
        bool quit = interrupted;
        while (!quit && read(STDIN_FILENO, &key, 1) == 1) /* leaves typed-ahead lines alone */
            if (key == 'q' || key == 'Q' || key == 3) quit = true;
        if (quit) break;
        if (!ended) {
            json_t *f = be_fetch(&sh->be, qid, token, 150);
            const char *err = json_string_value(json_object_get(f, "error"));
            json_t *ch = json_object_get(f, "changes");
            for (size_t i = 0; i < json_array_size(ch); i++) {
                json_t *c = json_array_get(ch, i);
                const char *op = json_string_value(json_object_get(c, "op"));
                json_t *row = json_object_get(c, "row");
                total++;
                if (changelog) {
                    json_array_append_new(log, json_pack("{s:s, s:O}", "op", op, "row", row));
                    while (json_array_size(log) > 500) json_array_remove(log, 0);
                } else {
                    sl_mview_apply(&mv, op, row);
                }
                dirty = true;
            }
            token = (uint64_t)json_integer_value(json_object_get(f, "next_token"));
            if (json_is_true(json_object_get(f, "end")) || err) {
                ended = true;
                dirty = true;
                if (err) {
                    snprintf(error, sizeof error, "%s", err);
                    status = 1;
                }
            }
            json_decref(f);
        } else {
            struct pollfd p = {STDIN_FILENO, POLLIN, 0};
            poll(&p, 1, 200);
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long since = (now.tv_sec - last.tv_sec) * 1000 + (now.tv_nsec - last.tv_nsec) / 1000000;
        if (!dirty || since < 250) continue;
        last = now;
        dirty = false;
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(refreshed, sizeof refreshed, "%H:%M:%S", &tm);
        int rows, tcols;
        term_size(&rows, &tcols);
        json_t *shown = changelog ? log : mv.rows;
        size_t nshown = json_array_size(shown);
        int room = rows - 6 > 1 ? rows - 6 : 1;
        size_t from = changelog && nshown > (size_t)room ? nshown - (size_t)room : 0;
        size_t to = changelog ? nshown : (nshown < (size_t)room ? nshown : (size_t)room);
        /* column widths from the header and the rows on screen */
        int off = changelog ? 1 : 0;
        if (changelog) w[0] = 2;
        for (int i = 0; i < n; i++) {
            const char *name = json_string_value(json_object_get(json_array_get(cols, i), "name"));
            w[i + off] = name ? sl_render_width(name) : 1;
        }
        for (size_t r = from; r < to; r++) {
            json_t *row = changelog ? json_object_get(json_array_get(shown, r), "row")
                                    : json_array_get(shown, r);
            for (int i = 0; i < n; i++) {
                json_t *v = json_array_get(row, (size_t)i);
                int cw = sl_render_width(json_is_string(v) ? json_string_value(v) : "<NULL>");
                if (cw > SL_RENDER_MAX_WIDTH) cw = SL_RENDER_MAX_WIDTH;
                if (cw > w[i + off]) w[i + off] = cw;
            }
        }
        sl_strbuf_clear(&sb);
        sl_strbuf_puts(&sb, "\033[H\033[2J");
        sl_strbuf_printf(&sb, "\033[7m %s result of %s \033[0m\n\n",
                         changelog ? "Changelog" : "Table", qid);
        if (changelog) {
            sl_render_cell(&sb, "op", 2, true);
            sl_strbuf_puts(&sb, " ");
        }
        for (int i = 0; i < n; i++) {
            const char *name = json_string_value(json_object_get(json_array_get(cols, i), "name"));
            sl_strbuf_puts(&sb, "\033[1m");
            sl_render_cell(&sb, name ? name : "", w[i + off], false);
            sl_strbuf_puts(&sb, "\033[0m ");
        }
        sl_strbuf_puts(&sb, "\n");
        for (size_t r = from; r < to; r++) {
            json_t *row = changelog ? json_object_get(json_array_get(shown, r), "row")
                                    : json_array_get(shown, r);
            if (changelog) {
                sl_render_cell(&sb, json_string_value(json_object_get(json_array_get(shown, r), "op")),
                               2, true);
                sl_strbuf_puts(&sb, " ");
            }
            for (int i = 0; i < n; i++) {
                json_t *v = json_array_get(row, (size_t)i);
                sl_render_cell(&sb, json_is_string(v) ? json_string_value(v) : "<NULL>", w[i + off],
                               false);
                sl_strbuf_puts(&sb, " ");
            }
            sl_strbuf_puts(&sb, "\n");
        }
        if (!changelog && nshown > to) sl_strbuf_printf(&sb, "... %zu more rows\n", nshown - to);
        sl_strbuf_printf(&sb, "\n\033[7m %s: %zu rows, %ld changes, refreshed %s%s  Q quit \033[0m\n",
                         ended ? (error[0] ? "Failed" : "Ended") : "Running",
                         changelog ? (size_t)total : nshown, total, refreshed,
                         ended && !error[0] ? " (the query ended)" : "");
        if (error[0]) sl_strbuf_printf(&sb, "%s\n", error);
        out_write(&sb);
    }
    fputs("\033[?25h\033[?1049l", stdout);
    fflush(stdout);
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    be_close(&sh->be, qid);
    if (error[0]) printf("[ERROR] Could not execute SQL statement. Reason:\n%s\n", error);
    sl_strbuf_destroy(&sb);
    sl_mview_free(&mv);
    json_decref(log);
    free(w);
    interrupted = 0;
    return status;
}

/* ---- statements ---- */

/* Prints the results of one exec; 1 if one was an error, 2 for QUIT. */
static int show_results(shell_t *sh, json_t *doc)
{
    json_t *rs = json_object_get(doc, "results");
    int status = 0;
    sl_strbuf_t sb = SL_STRBUF_INIT;
    for (size_t i = 0; i < json_array_size(rs); i++) {
        json_t *r = json_array_get(rs, i);
        const char *kind = json_string_value(json_object_get(r, "kind"));
        sl_strbuf_clear(&sb);
        if (!kind) continue;
        if (!strcmp(kind, "ok") || !strcmp(kind, "job")) {
            sl_strbuf_printf(&sb, "%s\n", json_string_value(json_object_get(r, "message")));
        } else if (!strcmp(kind, "table")) {
            sl_render_table(&sb, json_object_get(r, "columns"), json_object_get(r, "rows"));
        } else if (!strcmp(kind, "explain") || !strcmp(kind, "help")) {
            sl_strbuf_printf(&sb, "%s\n", json_string_value(json_object_get(r, "text")));
        } else if (!strcmp(kind, "error")) {
            sl_strbuf_printf(&sb, "[ERROR] Could not execute SQL statement. Reason:\n%s\n",
                             json_string_value(json_object_get(r, "text")));
            status = 1;
        } else if (!strcmp(kind, "quit")) {
            status = 2;
        } else if (!strcmp(kind, "query")) {
            const char *mode = json_string_value(json_object_get(r, "mode"));
            bool set = json_is_true(json_object_get(r, "mode_set"));
            if (!set) mode = sh->interactive ? "table" : "tableau";
            if (!sh->interactive) mode = "tableau";
            int rc = !strcmp(mode, "tableau") ? show_tableau(sh, r)
                                               : show_view(sh, r, !strcmp(mode, "changelog"));
            if (rc) status = 1;
            continue;
        }
        if (sh->interactive && i + 1 < json_array_size(rs)) sl_strbuf_puts(&sb, "\n");
        out_write(&sb);
        if (status == 2) break;
    }
    sl_strbuf_destroy(&sb);
    return status;
}

/* Does text hold a complete statement: a ';' outside quotes and comments
 * with only blanks and comments after it? */
static bool complete(const char *text)
{
    int n = (int)strlen(text), off = 0;
    bool ended = false;
    while (off < n) {
        int len = 0;
        int type = sl_sql_token(text, n, off, false, &len);
        if (len <= 0 || type == TK_UNTERMINATED) return false; /* a string or comment goes on */
        if (type == TK_SPACE || type == TK_COMMENT_TOK) {
            off += len;
            continue;
        }
        ended = type == TK_SEMI;
        off += len;
    }
    return ended;
}

static int run_text(shell_t *sh, const char *text, const char *origin)
{
    json_t *doc = be_exec(&sh->be, text, origin);
    if (!doc) {
        fputs("[ERROR] out of memory\n", stdout);
        return 1;
    }
    int rc = show_results(sh, doc);
    json_decref(doc);
    return rc;
}

/* Runs a file: 0, 1 at the first failing statement (its error shown). */
static int run_file(shell_t *sh, const char *path)
{
    sl_strbuf_t text = SL_STRBUF_INIT;
    int rc = sl_cli_read_file(path, &text);
    if (rc) {
        fprintf(stderr, "%s: error: cannot read file: %s\n", path, strerror(-rc));
        sl_strbuf_destroy(&text);
        return 1;
    }
    rc = run_text(sh, text.buf ? text.buf : "", path);
    sl_strbuf_destroy(&text);
    return rc;
}

/* Embedded -f: the jobs live in this process; wait for them. */
static int wait_jobs(shell_t *sh)
{
    if (!sh->be.engine) return 0;
    int status = 0;
    interrupted = 0;
    for (;;) {
        json_t *jobs = sl_engine_jobs(sh->be.engine);
        json_t *l = json_object_get(jobs, "jobs");
        int alive = 0;
        status = 0;
        for (size_t i = 0; i < json_array_size(l); i++) {
            const char *st = json_string_value(json_object_get(json_array_get(l, i), "status"));
            if (!strcmp(st, "RUNNING") || !strcmp(st, "RESTARTING") || !strcmp(st, "INITIALIZING"))
                alive++;
            else if (!strcmp(st, "FAILED")) {
                status = 1;
                if (!alive && interrupted) break;
            }
        }
        if (!alive || interrupted) {
            for (size_t i = 0; i < json_array_size(l); i++) {
                json_t *j = json_array_get(l, i);
                const char *e = json_string_value(json_object_get(j, "error"));
                if (e && !strcmp(json_string_value(json_object_get(j, "status")), "FAILED"))
                    fprintf(stderr, "[ERROR] job %s failed: %s\n",
                            json_string_value(json_object_get(j, "id")), e);
            }
            json_decref(jobs);
            return status;
        }
        json_decref(jobs);
        usleep(100000);
    }
}

/* ---- the interactive loop ---- */

static char *prompt_fn(EditLine *el)
{
    shell_t *sh = NULL;
    el_get(el, EL_CLIENTDATA, &sh);
    return sh && sh->continuation ? "> " : "Flink SQL> ";
}

static int interactive(shell_t *sh)
{
    sl_strbuf_t stmt = SL_STRBUF_INIT;
    int status = 0;
    printf("sluice %s SQL shell (%s). Statements end with ';'. HELP; lists the commands,\n"
           "QUIT; or Ctrl-D leaves; Ctrl-C drops the statement being typed.\n\n",
           SL_VERSION, sh->be.session ? "embedded" : sh->be.endpoint);
    for (;;) {
        sh->continuation = stmt.len > 0;
        int count = 0;
        interrupted = 0;
        const char *line = el_gets(sh->el, &count);
        if (interrupted || (!line && count == -1 && errno == EINTR)) {
            /* Ctrl-C: drop what was typed */
            printf("\n");
            sl_strbuf_clear(&stmt);
            el_reset(sh->el);
            continue;
        }
        if (!line) { /* Ctrl-D */
            if (stmt.len) {
                sl_strbuf_clear(&stmt);
                printf("\n");
                continue;
            }
            printf("\nBye!\n");
            break;
        }
        sl_strbuf_puts(&stmt, line);
        const char *text = stmt.buf ? stmt.buf : "";
        bool blank = true;
        for (const char *p = text; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') blank = false;
        if (blank) {
            sl_strbuf_clear(&stmt);
            continue;
        }
        if (!complete(text)) continue;
        /* one history entry per statement, newlines kept */
        sl_strbuf_t h = SL_STRBUF_INIT;
        sl_strbuf_append(&h, text, stmt.len && text[stmt.len - 1] == '\n' ? stmt.len - 1 : stmt.len);
        if (h.buf) history(sh->hist, &sh->hev, H_ENTER, h.buf);
        if (sh->history_path[0]) history(sh->hist, &sh->hev, H_SAVE, sh->history_path);
        sl_strbuf_destroy(&h);
        int rc = run_text(sh, text, "<shell>");
        sl_strbuf_clear(&stmt);
        if (rc == 2) {
            printf("Bye!\n");
            break;
        }
        printf("\n");
    }
    sl_strbuf_destroy(&stmt);
    return status;
}

static void usage(FILE *f)
{
    fputs("usage: sluice sql [-i FILE] [-f FILE] [--endpoint URL] [--token TOKEN] [--history FILE]\n"
          "\n"
          "The interactive SQL shell. Statements end with ';'. By default the engine\n"
          "runs inside the shell (jobs end when it does); --endpoint drives a running\n"
          "`sluice daemon` instead (its catalog and jobs).\n"
          "\n"
          "  -i FILE           run FILE first (stops at its first error)\n"
          "  -f FILE           run FILE and exit with its status; embedded INSERT jobs\n"
          "                    are waited for\n"
          "  --endpoint URL    the daemon's REST API (or $SLUICE_ENDPOINT with --remote)\n"
          "  --token TOKEN     its bearer token (default $SLUICE_TOKEN)\n"
          "  --history FILE    the history file (default $SLUICE_HISTORY or ~/.sluice_history)\n"
          "\n"
          "Query results: SET 'sql-client.execution.result-mode' = 'table' (a refreshing\n"
          "view of the result), 'changelog' (its changes) or 'tableau' (printed rows,\n"
          "the default without a terminal). Views: q or Ctrl-C leaves.\n",
          f);
}

int sl_cmd_sql(int argc, char **argv)
{
    shell_t sh;
    memset(&sh, 0, sizeof sh);
    const char *init = NULL, *file = NULL, *hist = NULL;
    char *token_copy = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--remote")) {
            sh.be.endpoint = sl_rest_endpoint_default();
            continue;
        }
        if ((!strcmp(a, "-i") || !strcmp(a, "--init") || !strcmp(a, "-f") || !strcmp(a, "--file") ||
             !strcmp(a, "--endpoint") || !strcmp(a, "--token") || !strcmp(a, "--history")) &&
            i + 1 < argc) {
            const char *v = argv[++i];
            if (a[1] == 'i' || !strcmp(a, "--init")) init = v;
            else if (a[1] == 'f' || !strcmp(a, "--file")) file = v;
            else if (!strcmp(a, "--endpoint")) sh.be.endpoint = v;
            else if (!strcmp(a, "--token")) {
                /* kept in a copy; the argument is blanked so that ps and
                 * /proc/PID/cmdline do not show it */
                if (!(token_copy = strdup(v))) return 2;
                memset(argv[i], '*', strlen(argv[i]));
                sh.be.token = token_copy;
            }
            else hist = v;
            continue;
        }
        fprintf(stderr, "sluice sql: %s '%s'\n", a[0] == '-' ? "unknown option or missing value:"
                                                              : "unexpected argument", a);
        usage(stderr);
        return 1;
    }
    if (!sh.be.token) sh.be.token = sl_rest_token_default();
    sh.interactive = !file && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (sh.be.endpoint) {
        json_t *out = NULL;
        long st = 0;
        sl_err_t err;
        if (sl_rest_call(sh.be.endpoint, sh.be.token, "POST", "/v1/sessions", NULL, 10000, &out, &st,
                         &err)) {
            fprintf(stderr, "sluice sql: %s\n", err.msg);
            json_decref(out);
            return 1;
        }
        snprintf(sh.be.sid, sizeof sh.be.sid, "%s",
                 json_string_value(json_object_get(out, "session_id")));
        json_decref(out);
    } else {
        sl_log_set_level(sh.interactive ? SL_LOG_LEVEL_WARN : sl_log_get_level());
        sl_engine_opts_t eo = {.name = "sluice sql"};
        sl_err_t err;
        sh.be.engine = sl_engine_new(&eo, &err);
        if (!sh.be.engine || !(sh.be.session = sl_session_new(sh.be.engine))) {
            fprintf(stderr, "sluice sql: %s\n", sh.be.engine ? "out of memory" : err.msg);
            sl_engine_free(sh.be.engine);
            return 2;
        }
    }
    install_sigint();
    int status = 0;
    if (init) {
        int rc = run_file(&sh, init);
        if (rc == 1) {
            fprintf(stderr, "sluice sql: %s failed; the shell stops\n", init);
            status = 1;
            goto out;
        }
    }
    if (file) {
        status = run_file(&sh, file) == 1 ? 1 : 0;
        if (!status) status = wait_jobs(&sh);
    } else if (sh.interactive) {
        sh.el = el_init("sluice", stdin, stdout, stderr);
        sh.hist = history_init();
        if (!sh.el || !sh.hist) {
            fprintf(stderr, "sluice sql: cannot start line editing\n");
            status = 2;
            goto out;
        }
        history(sh.hist, &sh.hev, H_SETSIZE, 2000);
        history(sh.hist, &sh.hev, H_SETUNIQUE, 1);
        const char *hp = hist ? hist : getenv("SLUICE_HISTORY");
        if (hp && *hp) snprintf(sh.history_path, sizeof sh.history_path, "%s", hp);
        else if (getenv("HOME"))
            snprintf(sh.history_path, sizeof sh.history_path, "%s/.sluice_history", getenv("HOME"));
        if (sh.history_path[0]) history(sh.hist, &sh.hev, H_LOAD, sh.history_path);
        el_set(sh.el, EL_CLIENTDATA, &sh);
        el_set(sh.el, EL_PROMPT, prompt_fn);
        el_set(sh.el, EL_EDITOR, "emacs");
        el_set(sh.el, EL_HIST, history, sh.hist);
        el_set(sh.el, EL_SIGNAL, 1);
        el_source(sh.el, NULL);
        status = interactive(&sh);
    } else {
        /* statements from standard input, without prompts */
        sl_strbuf_t text = SL_STRBUF_INIT;
        int rc = sl_cli_read_file("-", &text);
        if (rc) {
            fprintf(stderr, "sluice sql: cannot read standard input: %s\n", strerror(-rc));
            status = 1;
        } else {
            status = run_text(&sh, text.buf ? text.buf : "", "<stdin>") == 1 ? 1 : 0;
            if (!status) status = wait_jobs(&sh);
        }
        sl_strbuf_destroy(&text);
    }
out:
    if (sh.el) el_end(sh.el);
    if (sh.hist) history_end(sh.hist);
    if (sh.be.session) sl_session_free(sh.be.session);
    if (sh.be.engine) sl_engine_free(sh.be.engine);
    if (sh.be.endpoint && sh.be.sid[0]) {
        char path[128];
        snprintf(path, sizeof path, "/v1/sessions/%s", sh.be.sid);
        json_t *out = NULL;
        long st = 0;
        sl_err_t err;
        sl_rest_call(sh.be.endpoint, sh.be.token, "DELETE", path, NULL, 5000, &out, &st, &err);
        json_decref(out);
    }
    free(token_copy);
    return status;
}
