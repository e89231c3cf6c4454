/* conn.h - connections of the jdbc connector: MySQL/MariaDB (libmariadb)
 * or PostgreSQL (libpq), opened from a parsed JDBC URL, with the sessions
 * set up so that values read back in one spelling, and a small query API
 * shared by the scan source, lookups and sinks.
 *
 * Sessions: MySQL/MariaDB over TCP (also for localhost, as a JDBC driver
 * does), character set utf8mb4, time_zone '+00:00'; PostgreSQL with
 * client_encoding UTF8, TimeZone 'UTC', DateStyle 'ISO, YMD', IntervalStyle
 * 'postgres', extra_float_digits 3, bytea_output 'hex', and search_path
 * from the URL's currentSchema.
 *
 * Opening retries what may pass (connection refused or timed out, too many
 * connections, a server starting or shutting down) with a backoff of
 * 0.25 s doubling to 5 s until 'connection.max-retry-timeout' has passed,
 * logging each failed attempt; what will not pass (authentication, an
 * unknown database or host, TLS) fails at once. Errors name host:port, the
 * database kind and the user, never the password.
 *
 * Threads: a connection is used by one thread at a time, except
 * sl_jdbc_conn_interrupt, which any thread may call at any time (between
 * sl_jdbc_conn_init and sl_jdbc_conn_destroy) to make a blocked call on the
 * owner thread return with an error (the socket is shut down; the
 * connection is unusable afterwards until it is reopened, and opening
 * refuses while the interrupt flag is set).
 *
 * Memory: the sl_jdbc_conn_t is the caller's (embedded or allocated);
 * everything it points to is owned by it and freed by
 * sl_jdbc_conn_destroy. Results (sl_jdbc_rows_t) are owned by the caller
 * and released with sl_jdbc_rows_close; the strings sl_jdbc_get returns
 * live until the next sl_jdbc_next or sl_jdbc_rows_close.
 */
#ifndef SL_CONNECTORS_JDBC_CONN_H
#define SL_CONNECTORS_JDBC_CONN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "connectors/jdbc/url.h"
#include "util/err.h"
#include "util/strbuf.h"

typedef struct st_mysql MYSQL;
typedef struct st_mysql_res MYSQL_RES;
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

typedef struct sl_jdbc_conn {
    uint8_t dialect;           /* sl_jdbc_dialect_t */
    bool mariadb;              /* MySQL dialect and the server is MariaDB */
    char version[64];          /* the server's version text */
    MYSQL *my;                 /* the open connection (one of the two) */
    PGconn *pg;
    /* What sl_jdbc_conn_open was given (copies), for reopening and
     * messages. */
    char *host, *database, *user, *password, *time_zone, *search_path, *app_name;
    unsigned port;
    uint8_t ssl;
    int64_t connect_timeout_ms, socket_timeout_ms, retry_timeout_ms;
    char where[160];           /* "host:port", IPv6 bracketed, for messages */
    /* interrupt */
    pthread_mutex_t mu;        /* guards the socket against close */
    int fd;                    /* the open socket, -1 */
    atomic_bool interrupted;
} sl_jdbc_conn_t;

/* A streamed (or stored) query result. */
typedef struct sl_jdbc_rows {
    sl_jdbc_conn_t *c;
    int ncols;
    /* MySQL */
    MYSQL_RES *my;
    char **my_row;
    unsigned long *my_lens;
    /* PostgreSQL: a whole result, or a cursor fetched fetch rows at a time */
    PGresult *pg;
    int pg_row, pg_nrows;
    bool cursor, own_txn, done;
    int64_t fetch;
    char cursor_name[32];
} sl_jdbc_rows_t;

/* Zeroes c and sets up its mutex; must precede any other call. */
void sl_jdbc_conn_init(sl_jdbc_conn_t *c);
/* Closes the connection (if open) and frees everything c owns. */
void sl_jdbc_conn_destroy(sl_jdbc_conn_t *c);

/* Opens a connection to u's server and database as user/password (NULL:
 * the URL's, else none), retrying as described above for up to
 * retry_timeout_ms. Closes a connection c already had. */
int sl_jdbc_conn_open(sl_jdbc_conn_t *c, const sl_jdbc_url_t *u, const char *user,
                      const char *password, int64_t retry_timeout_ms, sl_err_t *err);
/* Closes and opens again with the same settings (lookups and sinks after a
 * broken connection). */
int sl_jdbc_conn_reopen(sl_jdbc_conn_t *c, sl_err_t *err);
/* Closes the connection; c can be reopened. */
void sl_jdbc_conn_close(sl_jdbc_conn_t *c);
/* Is the connection open and alive (a round trip: mysql_ping / SELECT 1)? */
bool sl_jdbc_conn_alive(sl_jdbc_conn_t *c);
/* Any thread: make a blocked call return, refuse further opens. */
void sl_jdbc_conn_interrupt(sl_jdbc_conn_t *c);

/* Runs a statement that returns no rows (SET, BEGIN, COMMIT, DML), or
 * whose rows are discarded. Errors name host:port and the statement. */
int sl_jdbc_exec(sl_jdbc_conn_t *c, const char *sql, sl_err_t *err);

/* Runs a query. fetch > 0 streams the result: MySQL reads rows as they
 * come (mysql_use_result; fetch itself is not used), PostgreSQL declares a
 * cursor and FETCHes fetch rows at a time (inside the open transaction, or
 * one it begins and ends itself). fetch == 0 reads the whole result first
 * (small results: schemas, lookups). While a MySQL result is streamed the
 * connection runs no other statement. */
int sl_jdbc_query(sl_jdbc_conn_t *c, const char *sql, int64_t fetch, sl_jdbc_rows_t *r,
                  sl_err_t *err);
/* Advances to the next row: 1 when there is one, 0 at the end, or a
 * negative error. */
int sl_jdbc_next(sl_jdbc_rows_t *r, sl_err_t *err);
/* Column i of the current row, its length in *len; NULL for SQL NULL. */
const char *sl_jdbc_get(const sl_jdbc_rows_t *r, int i, size_t *len);
/* Releases the result (reading or discarding what is left; closing the
 * cursor and its own transaction). Safe on a zeroed or closed r. */
void sl_jdbc_rows_close(sl_jdbc_rows_t *r);

/* Appends name quoted as an identifier of the dialect: `a``b`, "a""b". */
int sl_jdbc_quote_ident(int dialect, sl_strbuf_t *sb, const char *name);
/* Appends s[0, n) as a string literal for c's server ('...' escaped with
 * the connection's character set rules). */
int sl_jdbc_quote_literal(sl_jdbc_conn_t *c, sl_strbuf_t *sb, const char *s, size_t n);

/* "MariaDB" / "MySQL" / "PostgreSQL" for the open connection. */
const char *sl_jdbc_conn_kind(const sl_jdbc_conn_t *c);

/* Appends the Flink value v of type t as an SQL literal for c's server:
 * numbers as digits, booleans TRUE/FALSE, strings quoted and escaped,
 * bytes X'..' / '\x..'::bytea, temporal values as quoted text, NULL. */
struct sl_value;
struct sl_type;
int sl_jdbc_literal(sl_jdbc_conn_t *c, const struct sl_value *v, const struct sl_type *t,
                    sl_strbuf_t *sb, sl_err_t *err);

#endif
