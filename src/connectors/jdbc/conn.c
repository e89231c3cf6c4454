/* conn.c - connections and queries of the jdbc connector (see conn.h). */
#include "connectors/jdbc/conn.h"

#include "exec/value.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <mysql.h>
#include <errmsg.h>

#include "util/log.h"

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *sl_jdbc_conn_kind(const sl_jdbc_conn_t *c)
{
    if (c->dialect == SL_JDBC_POSTGRES) return "PostgreSQL";
    return c->mariadb ? "MariaDB" : "MySQL";
}

void sl_jdbc_conn_init(sl_jdbc_conn_t *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->fd = -1;
    atomic_init(&c->interrupted, false);
}

static void set_fd(sl_jdbc_conn_t *c, int fd)
{
    pthread_mutex_lock(&c->mu);
    c->fd = fd;
    if (fd >= 0 && atomic_load(&c->interrupted)) shutdown(fd, SHUT_RDWR);
    pthread_mutex_unlock(&c->mu);
}

void sl_jdbc_conn_close(sl_jdbc_conn_t *c)
{
    set_fd(c, -1);
    if (c->my) mysql_close(c->my);
    if (c->pg) PQfinish(c->pg);
    c->my = NULL;
    c->pg = NULL;
}

void sl_jdbc_conn_destroy(sl_jdbc_conn_t *c)
{
    sl_jdbc_conn_close(c);
    free(c->host);
    free(c->database);
    free(c->user);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
        free(c->password);
    }
    free(c->time_zone);
    free(c->search_path);
    free(c->app_name);
    pthread_mutex_destroy(&c->mu);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

void sl_jdbc_conn_interrupt(sl_jdbc_conn_t *c)
{
    atomic_store(&c->interrupted, true);
    pthread_mutex_lock(&c->mu);
    if (c->fd >= 0) shutdown(c->fd, SHUT_RDWR);
    pthread_mutex_unlock(&c->mu);
}

/* ---- opening ---- */

/* The first line of a libpq message, without its "connection to server
 * at ... failed: " preamble (the caller names the server itself). */
static void pg_reason(const char *m, char *out, size_t cap)
{
    if (!m) m = "";
    const char *f = strstr(m, "failed: ");
    if (f && strncmp(m, "connection to server", 20) == 0) m = f + 8;
    size_t n = strcspn(m, "\n");
    while (n && (m[n - 1] == ' ' || m[n - 1] == '\r')) n--;
    snprintf(out, cap, "%.*s", (int)n, m);
}

/* libmariadb's message, with the system's words for a trailing "(errno)". */
static void my_reason(MYSQL *m, char *out, size_t cap)
{
    const char *e = m ? mysql_error(m) : "out of memory";
    size_t n = strlen(e);
    int code = 0;
    if (n > 3 && e[n - 1] == ')') {
        size_t i = n - 1;
        while (i > 0 && e[i - 1] >= '0' && e[i - 1] <= '9') i--;
        if (i > 1 && e[i - 1] == '(' && i < n - 1) code = atoi(e + i);
    }
    if (code > 0 && code < 200)
        snprintf(out, cap, "%s: %s", e, strerror(code));
    else
        snprintf(out, cap, "%s", e);
}

/* Why a TCP connection to host:port fails: 0 when it succeeds, else the
 * errno (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ...). libmariadb's
 * non-blocking connect reports EINPROGRESS (115) for all of them. */
static int tcp_probe(const char *host, unsigned port, int64_t timeout_ms)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%u", port);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, ps, &hints, &ai) || !ai) return EHOSTUNREACH;
    int e = ETIMEDOUT;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            e = 0;
        } else if (errno != EINPROGRESS) {
            e = errno;
        } else {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int r = poll(&p, 1, (int)(timeout_ms > 0 ? timeout_ms : 1000));
            if (r == 0) {
                e = ETIMEDOUT;
            } else {
                int so = 0;
                socklen_t sl = sizeof so;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl);
                e = so;
            }
        }
        close(fd);
        if (e == 0) break;
    }
    freeaddrinfo(ai);
    return e;
}

static bool my_transient(unsigned e)
{
    return e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST ||
           e == CR_SERVER_GONE_ERROR || e == 1040 /* too many connections */ ||
           e == 1053 /* server shutdown */ || e == 1203 /* max_user_connections */;
}

static bool pg_transient(const char *m)
{
    static const char *const permanent[] = {
        "authentication failed", "does not exist", "pg_hba.conf", "permission denied",
        "SSL", "certificate", "could not translate host name", "invalid ", "no password supplied",
        "password is required", "unsupported frontend protocol", NULL};
    for (int i = 0; permanent[i]; i++)
        if (strstr(m, permanent[i])) return false;
    return true;
}

/* One attempt. 0, or -1 with reason filled and *transient set. */
static int attempt_my(sl_jdbc_conn_t *c, int64_t timeout_ms, char *reason, size_t cap,
                      bool *transient)
{
    MYSQL *m = mysql_init(NULL);
    if (!m) {
        snprintf(reason, cap, "out of memory");
        *transient = false;
        return -1;
    }
    unsigned to = (unsigned)((timeout_ms + 999) / 1000);
    if (to == 0) to = 1;
    unsigned proto = MYSQL_PROTOCOL_TCP;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &to);
    mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (c->socket_timeout_ms > 0) {
        unsigned rt = (unsigned)((c->socket_timeout_ms + 999) / 1000);
        mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
        mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rt);
    }
    if (c->ssl >= SL_JDBC_SSL_REQUIRE) {
        my_bool yes = 1;
        mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
        my_bool verify = c->ssl >= SL_JDBC_SSL_VERIFY_CA;
        mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    } else if (c->ssl == SL_JDBC_SSL_DISABLE) {
        my_bool no = 0;
        mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &no);
        mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
    }
    if (!mysql_real_connect(m, c->host, c->user, c->password, c->database, c->port, NULL, 0)) {
        unsigned e = mysql_errno(m);
        int pe = e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR
                     ? tcp_probe(c->host, c->port, timeout_ms) : 0;
        if (pe)
            snprintf(reason, cap, "%s", strerror(pe));
        else
            my_reason(m, reason, cap);
        *transient = my_transient(e);
        mysql_close(m);
        return -1;
    }
    if (mysql_query(m, "SET SESSION time_zone = '+00:00'")) {
        my_reason(m, reason, cap);
        *transient = false;
        mysql_close(m);
        return -1;
    }
    const char *v = mysql_get_server_info(m);
    snprintf(c->version, sizeof c->version, "%s", v ? v : "");
    c->mariadb = strstr(c->version, "MariaDB") != NULL;
    c->my = m;
    set_fd(c, (int)mysql_get_socket(m));
    return 0;
}

static int attempt_pg(sl_jdbc_conn_t *c, int64_t timeout_ms, char *reason, size_t cap,
                      bool *transient)
{
    static const char *const ssl_modes[] = {
        [SL_JDBC_SSL_DEFAULT] = "prefer", [SL_JDBC_SSL_DISABLE] = "disable",
        [SL_JDBC_SSL_PREFER] = "prefer", [SL_JDBC_SSL_REQUIRE] = "require",
        [SL_JDBC_SSL_VERIFY_CA] = "verify-ca", [SL_JDBC_SSL_VERIFY_FULL] = "verify-full"};
    char port[16], to[24];
    snprintf(port, sizeof port, "%u", c->port);
    /* libpq counts whole seconds and takes 1 as 2. */
    int64_t sec = (timeout_ms + 999) / 1000;
    snprintf(to, sizeof to, "%lld", (long long)(sec < 2 ? 2 : sec));
    const char *keys[12], *vals[12];
    int k = 0;
    keys[k] = "host", vals[k++] = c->host;
    keys[k] = "port", vals[k++] = port;
    keys[k] = "dbname", vals[k++] = c->database;
    if (c->user) keys[k] = "user", vals[k++] = c->user;
    if (c->password) keys[k] = "password", vals[k++] = c->password;
    keys[k] = "connect_timeout", vals[k++] = to;
    keys[k] = "sslmode", vals[k++] = ssl_modes[c->ssl <= SL_JDBC_SSL_VERIFY_FULL ? c->ssl : 0];
    keys[k] = "client_encoding", vals[k++] = "UTF8";
    keys[k] = "application_name", vals[k++] = c->app_name ? c->app_name : "sluice";
    keys[k] = NULL, vals[k] = NULL;
    PGconn *pg = PQconnectdbParams(keys, vals, 0);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        pg_reason(pg ? PQerrorMessage(pg) : "out of memory", reason, cap);
        *transient = pg && pg_transient(reason);
        PQfinish(pg);
        return -1;
    }
    c->pg = pg;
    set_fd(c, PQsocket(pg));
    sl_strbuf_t sql = SL_STRBUF_INIT;
    sl_strbuf_puts(&sql, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
                         "SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; "
                         "SET bytea_output = 'hex'");
    if (c->search_path) {
        sl_strbuf_puts(&sql, "; SET search_path = ");
        sl_jdbc_quote_literal(c, &sql, c->search_path, strlen(c->search_path));
    }
    PGresult *r = PQexec(pg, sl_strbuf_cstr(&sql));
    sl_strbuf_destroy(&sql);
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) pg_reason(r ? PQresultErrorMessage(r) : PQerrorMessage(pg), reason, cap);
    PQclear(r);
    if (!ok) {
        *transient = false;
        sl_jdbc_conn_close(c);
        return -1;
    }
    int v = PQserverVersion(pg);
    snprintf(c->version, sizeof c->version, "%d.%d", v / 10000, v % 10000);
    c->mariadb = false;
    return 0;
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *fail = true;
    return d;
}

int sl_jdbc_conn_open(sl_jdbc_conn_t *c, const sl_jdbc_url_t *u, const char *user,
                      const char *password, int64_t retry_timeout_ms, sl_err_t *err)
{
    sl_jdbc_conn_close(c);
    free(c->host);
    free(c->database);
    free(c->user);
    free(c->password);
    free(c->time_zone);
    free(c->search_path);
    free(c->app_name);
    bool fail = false;
    c->dialect = u->dialect;
    c->host = dup_or_null(u->host, &fail);
    c->database = dup_or_null(u->database, &fail);
    c->user = dup_or_null(user ? user : u->user, &fail);
    c->password = dup_or_null(password ? password : u->password, &fail);
    c->time_zone = dup_or_null(u->time_zone, &fail);
    c->search_path = dup_or_null(u->search_path, &fail);
    c->app_name = dup_or_null(u->app_name, &fail);
    if (fail) return oom(err);
    c->port = u->port;
    c->ssl = u->ssl;
    c->connect_timeout_ms = u->connect_timeout_ms;
    c->socket_timeout_ms = u->socket_timeout_ms;
    c->retry_timeout_ms = retry_timeout_ms;
    if (strchr(c->host, ':'))
        snprintf(c->where, sizeof c->where, "[%.100s]:%u", c->host, c->port);
    else
        snprintf(c->where, sizeof c->where, "%.120s:%u", c->host, c->port);
    return sl_jdbc_conn_reopen(c, err);
}

int sl_jdbc_conn_reopen(sl_jdbc_conn_t *c, sl_err_t *err)
{
    sl_jdbc_conn_close(c);
    const char *kind = c->dialect == SL_JDBC_POSTGRES ? "PostgreSQL" : "MySQL/MariaDB";
    int64_t start = now_ms(), deadline = start + (c->retry_timeout_ms > 0 ? c->retry_timeout_ms : 0);
    int64_t backoff = 250;
    char reason[400];
    for (int n = 1;; n++) {
        if (atomic_load(&c->interrupted))
            return sl_err_set(err, SL_EIO, "connecting to %s (%s): interrupted", c->where, kind);
        int64_t left = deadline - now_ms();
        int64_t to = c->connect_timeout_ms > 0 ? c->connect_timeout_ms : 10000;
        if (left > 0 && to > left) to = left;
        if (to < 1000) to = 1000;
        bool transient = false;
        int rc = c->dialect == SL_JDBC_POSTGRES
                     ? attempt_pg(c, to, reason, sizeof reason, &transient)
                     : attempt_my(c, to, reason, sizeof reason, &transient);
        if (rc == 0) {
            if (n > 1)
                SL_LOG_INFO("jdbc: connected to %s (%s %s) at attempt %d", c->where,
                            sl_jdbc_conn_kind(c), c->version, n);
            return 0;
        }
        int64_t t = now_ms();
        if (!transient || atomic_load(&c->interrupted) || t + backoff > deadline) {
            char as[160] = "";
            if (c->user) snprintf(as, sizeof as, " as '%.120s'", c->user);
            if (n > 1)
                return sl_err_set(err, SL_EIO,
                                  "cannot connect to %s (%s)%s after %d attempts in %.1f s "
                                  "('connection.max-retry-timeout'): %s",
                                  c->where, kind, as, n, (double)(t - start) / 1000.0, reason);
            return sl_err_set(err, SL_EIO, "cannot connect to %s (%s)%s to database '%s': %s",
                              c->where, kind, as, c->database, reason);
        }
        SL_LOG_WARN("jdbc: connecting to %s (%s) failed (attempt %d): %s; retrying in %.2f s",
                    c->where, kind, n, reason, (double)backoff / 1000.0);
        for (int64_t slept = 0; slept < backoff && !atomic_load(&c->interrupted); slept += 50) {
            struct timespec ts = {0, 50 * 1000000L};
            nanosleep(&ts, NULL);
        }
        backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
    }
}

bool sl_jdbc_conn_alive(sl_jdbc_conn_t *c)
{
    if (c->my) return mysql_ping(c->my) == 0;
    if (c->pg) {
        if (PQstatus(c->pg) != CONNECTION_OK) return false;
        PGresult *r = PQexec(c->pg, "SELECT 1");
        bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        return ok;
    }
    return false;
}

/* ---- statements ---- */

static int q_fail(sl_jdbc_conn_t *c, const char *what, const char *msg, const char *sql,
                  sl_err_t *err)
{
    char reason[400];
    pg_reason(msg, reason, sizeof reason);
    if (atomic_load(&c->interrupted))
        return sl_err_set(err, SL_EIO, "%s on %s: interrupted", what, c->where);
    return sl_err_set(err, SL_EIO, "%s on %s (%s): %s%s%.200s%s", what, c->where,
                      sl_jdbc_conn_kind(c), reason, sql ? " (query: " : "", sql ? sql : "",
                      sql ? (strlen(sql) > 200 ? "...)" : ")") : "");
}

static int not_open(sl_jdbc_conn_t *c, sl_err_t *err)
{
    return sl_err_set(err, SL_EIO, "no open connection to %s", c->where[0] ? c->where : "the database");
}

int sl_jdbc_exec(sl_jdbc_conn_t *c, const char *sql, sl_err_t *err)
{
    if (c->my) {
        if (mysql_query(c->my, sql)) return q_fail(c, "statement failed", mysql_error(c->my), sql, err);
        /* Discard any result sets. */
        do {
            MYSQL_RES *res = mysql_store_result(c->my);
            if (res) mysql_free_result(res);
        } while (mysql_next_result(c->my) == 0);
        if (mysql_errno(c->my)) return q_fail(c, "statement failed", mysql_error(c->my), sql, err);
        return 0;
    }
    if (c->pg) {
        PGresult *r = PQexec(c->pg, sql);
        ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        int rc = 0;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            rc = q_fail(c, "statement failed", r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg),
                        sql, err);
        PQclear(r);
        return rc;
    }
    return not_open(c, err);
}

int sl_jdbc_query(sl_jdbc_conn_t *c, const char *sql, int64_t fetch, sl_jdbc_rows_t *r,
                  sl_err_t *err)
{
    memset(r, 0, sizeof *r);
    r->c = c;
    if (c->my) {
        if (mysql_query(c->my, sql)) return q_fail(c, "query failed", mysql_error(c->my), sql, err);
        r->my = fetch > 0 ? mysql_use_result(c->my) : mysql_store_result(c->my);
        if (!r->my) return q_fail(c, "query failed", mysql_error(c->my), sql, err);
        r->ncols = (int)mysql_num_fields(r->my);
        return 0;
    }
    if (!c->pg) return not_open(c, err);
    if (fetch <= 0) {
        PGresult *res = PQexec(c->pg, sql);
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            int rc = q_fail(c, "query failed", res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg),
                            sql, err);
            PQclear(res);
            return rc;
        }
        r->pg = res;
        r->pg_nrows = PQntuples(res);
        r->pg_row = -1;
        r->ncols = PQnfields(res);
        r->done = true;
        return 0;
    }
    /* A cursor needs a transaction block. */
    int rc;
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        if ((rc = sl_jdbc_exec(c, "BEGIN READ ONLY", err))) return rc;
        r->own_txn = true;
    }
    static atomic_uint seq;
    snprintf(r->cursor_name, sizeof r->cursor_name, "sluice_c%u", atomic_fetch_add(&seq, 1));
    sl_strbuf_t q = SL_STRBUF_INIT;
    sl_strbuf_printf(&q, "DECLARE %s NO SCROLL CURSOR FOR %s", r->cursor_name, sql);
    if (!q.buf) return oom(err);
    PGresult *res = PQexec(c->pg, q.buf);
    sl_strbuf_destroy(&q);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = q_fail(c, "query failed", res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), sql,
                    err);
        PQclear(res);
        if (r->own_txn && c->pg) {
            PQclear(PQexec(c->pg, "ROLLBACK"));
            r->own_txn = false;
        }
        return rc;
    }
    PQclear(res);
    r->cursor = true;
    r->fetch = fetch;
    r->pg_row = -1;
    r->ncols = -1;
    return 0;
}

static int pg_fetch(sl_jdbc_rows_t *r, sl_err_t *err)
{
    sl_jdbc_conn_t *c = r->c;
    PQclear(r->pg);
    r->pg = NULL;
    if (!c->pg) return not_open(c, err);
    char q[96];
    snprintf(q, sizeof q, "FETCH %lld FROM %s", (long long)r->fetch, r->cursor_name);
    PGresult *res = PQexec(c->pg, q);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        int rc = q_fail(c, "reading rows failed", res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg),
                        NULL, err);
        PQclear(res);
        return rc;
    }
    r->pg = res;
    r->pg_nrows = PQntuples(res);
    r->pg_row = -1;
    r->ncols = PQnfields(res);
    if (r->pg_nrows < r->fetch) r->done = true;
    return 0;
}

int sl_jdbc_next(sl_jdbc_rows_t *r, sl_err_t *err)
{
    if (r->my) {
        r->my_row = mysql_fetch_row(r->my);
        if (r->my_row) {
            r->my_lens = mysql_fetch_lengths(r->my);
            return 1;
        }
        if (r->c->my && mysql_errno(r->c->my))
            return q_fail(r->c, "reading rows failed", mysql_error(r->c->my), NULL, err);
        return 0;
    }
    if (r->pg || r->cursor) {
        if (r->pg && r->pg_row + 1 < r->pg_nrows) {
            r->pg_row++;
            return 1;
        }
        if (r->done || !r->cursor) return 0;
        int rc = pg_fetch(r, err);
        if (rc) return rc;
        if (r->pg_nrows == 0) return 0;
        r->pg_row = 0;
        return 1;
    }
    return 0;
}

const char *sl_jdbc_get(const sl_jdbc_rows_t *r, int i, size_t *len)
{
    if (r->my) {
        if (!r->my_row || i < 0 || i >= r->ncols || !r->my_row[i]) {
            *len = 0;
            return NULL;
        }
        *len = r->my_lens[i];
        return r->my_row[i];
    }
    if (r->pg && r->pg_row >= 0 && i >= 0 && i < r->ncols && !PQgetisnull(r->pg, r->pg_row, i)) {
        *len = (size_t)PQgetlength(r->pg, r->pg_row, i);
        return PQgetvalue(r->pg, r->pg_row, i);
    }
    *len = 0;
    return NULL;
}

void sl_jdbc_rows_close(sl_jdbc_rows_t *r)
{
    if (r->my) mysql_free_result(r->my);
    r->my = NULL;
    PQclear(r->pg);
    r->pg = NULL;
    sl_jdbc_conn_t *c = r->c;
    if (c && c->pg && r->cursor && !atomic_load(&c->interrupted)) {
        char q[64];
        snprintf(q, sizeof q, "CLOSE %s", r->cursor_name);
        PQclear(PQexec(c->pg, q));
        if (r->own_txn) PQclear(PQexec(c->pg, "COMMIT"));
    }
    r->cursor = false;
    r->own_txn = false;
}

/* ---- quoting ---- */

int sl_jdbc_quote_ident(int dialect, sl_strbuf_t *sb, const char *name)
{
    char q = dialect == SL_JDBC_POSTGRES ? '"' : '`';
    int rc = sl_strbuf_putc(sb, q);
    for (const char *s = name; *s && !rc; s++) {
        if (*s == q) rc = sl_strbuf_putc(sb, q);
        if (!rc) rc = sl_strbuf_putc(sb, *s);
    }
    return rc ? rc : sl_strbuf_putc(sb, q);
}

int sl_jdbc_quote_literal(sl_jdbc_conn_t *c, sl_strbuf_t *sb, const char *s, size_t n)
{
    int rc = sl_strbuf_reserve(sb, 2 * n + 3);
    if (rc) return rc;
    char *d = sb->buf + sb->len;
    *d++ = '\'';
    size_t k;
    if (c->my) {
        k = mysql_real_escape_string(c->my, d, s, (unsigned long)n);
    } else if (c->pg) {
        int e = 0;
        k = PQescapeStringConn(c->pg, d, s, n, &e);
    } else {
        /* Standard SQL: double the quotes (no connection to ask). */
        k = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\'') d[k++] = '\'';
            d[k++] = s[i];
        }
    }
    d[k] = '\'';
    sb->len += k + 2;
    sb->buf[sb->len] = '\0';
    return 0;
}

/* See conn.h. */
int sl_jdbc_literal(sl_jdbc_conn_t *c, const sl_value_t *v, const sl_type_t *t, sl_strbuf_t *sb,
                    sl_err_t *err)
{
    if (v->null) return sl_strbuf_puts(sb, "NULL") ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
    bool pg = c->dialect == SL_JDBC_POSTGRES;
    switch (t->id) {
    case SL_T_TINYINT: case SL_T_SMALLINT: case SL_T_INT: case SL_T_BIGINT:
    case SL_T_DECIMAL: case SL_T_FLOAT: case SL_T_DOUBLE:
        return sl_value_format(sb, v, t, SL_FMT_CAST) ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
    case SL_T_BOOLEAN:
        return sl_strbuf_puts(sb, v->b ? "TRUE" : "FALSE") ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
    case SL_T_BINARY: case SL_T_VARBINARY:
        if (sl_strbuf_puts(sb, pg ? "'\\x" : "X'")) return sl_err_set(err, SL_ENOMEM, "out of memory");
        for (uint32_t i = 0; i < v->len; i++)
            if (sl_strbuf_printf(sb, "%02x", (unsigned char)v->str[i])) return sl_err_set(err, SL_ENOMEM, "out of memory");
        return sl_strbuf_puts(sb, pg ? "'::bytea" : "'") ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
    case SL_T_CHAR: case SL_T_VARCHAR:
        return sl_jdbc_quote_literal(c, sb, v->str, v->len) ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
    default: {
        /* Dates, times, timestamps: their text, quoted (the server casts
         * it to the column's type). */
        sl_strbuf_t tx = SL_STRBUF_INIT;
        int rc = sl_value_format(&tx, v, t, SL_FMT_CAST) ? sl_err_set(err, SL_ENOMEM, "out of memory") : 0;
        if (!rc && sl_jdbc_quote_literal(c, sb, tx.buf ? tx.buf : "", tx.len))
            rc = sl_err_set(err, SL_ENOMEM, "out of memory");
        sl_strbuf_destroy(&tx);
        return rc;
    }
    }
}

