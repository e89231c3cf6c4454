/* url.h - JDBC URLs of MySQL, MariaDB and PostgreSQL, as their Java
 * drivers read them, and the 'driver' option's consistency with the URL.
 *
 *   jdbc:mysql://[user[:password]@]host[:port]/database[?key=value&...]
 *   jdbc:mariadb://host[:port]/database[?...]
 *   jdbc:postgresql://host[:port]/database[?...]
 *   jdbc:postgresql:database[?...]            (localhost:5432)
 *
 * host may be a name, an IPv4 address or a bracketed IPv6 address
 * ([::1]); an empty host is localhost. Ports default to 3306 (MySQL,
 * MariaDB) and 5432 (PostgreSQL). Parameter keys are case-sensitive as in
 * the drivers; values are URL-decoded (%2F, '+' for a blank). Parameters
 * sluice does not use (autoReconnect, serverTimezone's friends,
 * useUnicode, characterEncoding, rewriteBatchedStatements, ...) are
 * accepted and ignored, as a driver ignores what it does not know. The
 * ones read are listed with sl_jdbc_url_t's fields. Several hosts
 * (failover lists), load-balancing and replication sub-protocols and other
 * databases are refused with an error that says so.
 *
 * Pure functions: no I/O, no global state; memory in the caller's arena.
 */
#ifndef SL_CONNECTORS_JDBC_URL_H
#define SL_CONNECTORS_JDBC_URL_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/* The SQL dialect a URL speaks (MariaDB is the MySQL dialect). */
typedef enum sl_jdbc_dialect {
    SL_JDBC_MYSQL = 1,
    SL_JDBC_POSTGRES = 2,
} sl_jdbc_dialect_t;

/* The sub-protocol as written. */
typedef enum sl_jdbc_scheme {
    SL_JDBC_SCHEME_MYSQL = 1,    /* jdbc:mysql: */
    SL_JDBC_SCHEME_MARIADB,      /* jdbc:mariadb: */
    SL_JDBC_SCHEME_POSTGRESQL,   /* jdbc:postgresql: */
} sl_jdbc_scheme_t;

/* TLS wishes, from useSSL/requireSSL/sslMode (MySQL), useSsl/sslMode
 * (MariaDB), ssl/sslmode (PostgreSQL). */
typedef enum sl_jdbc_ssl {
    SL_JDBC_SSL_DEFAULT = 0,     /* nothing said: the client library's default */
    SL_JDBC_SSL_DISABLE,
    SL_JDBC_SSL_PREFER,
    SL_JDBC_SSL_REQUIRE,         /* encrypted, certificate not checked */
    SL_JDBC_SSL_VERIFY_CA,
    SL_JDBC_SSL_VERIFY_FULL,     /* CA and host name */
} sl_jdbc_ssl_t;

typedef struct sl_jdbc_param {
    const char *key, *value;     /* decoded */
    int off, len;                /* the "key=value" text in the URL */
} sl_jdbc_param_t;

typedef struct sl_jdbc_url {
    uint8_t scheme;              /* sl_jdbc_scheme_t */
    uint8_t dialect;             /* sl_jdbc_dialect_t */
    const char *host;            /* "localhost" when empty; IPv6 without [] */
    unsigned port;               /* given or the default */
    const char *database;        /* decoded, never empty */
    const char *user;            /* from user@ or ?user=, NULL if absent */
    const char *password;        /* from :password@ or ?password=, or NULL */
    int nparams;
    const sl_jdbc_param_t *params;
    /* Parameters sluice honours (0 / NULL when absent): */
    int64_t connect_timeout_ms;  /* MySQL/MariaDB connectTimeout (ms),
                                    PostgreSQL connectTimeout or loginTimeout (s) */
    int64_t socket_timeout_ms;   /* socketTimeout (MySQL ms, PostgreSQL s) */
    uint8_t ssl;                 /* sl_jdbc_ssl_t */
    const char *time_zone;       /* MySQL serverTimezone / connectionTimeZone:
                                    the zone for TIMESTAMP wall clocks */
    const char *search_path;     /* PostgreSQL currentSchema */
    const char *app_name;        /* PostgreSQL ApplicationName */
} sl_jdbc_url_t;

/* Parses url into *out (strings in arena a). On error returns a negative
 * code with err's message naming the problem, and err->off/err->len set to
 * the offending part as a byte range of url (the caller turns it into an
 * SQL position). */
int sl_jdbc_url_parse(const char *url, sl_arena_t *a, sl_jdbc_url_t *out, sl_err_t *err);

/* A parameter's decoded value (the last one given), or NULL. */
const char *sl_jdbc_url_param(const sl_jdbc_url_t *u, const char *key);

/* "MySQL", "MariaDB", "PostgreSQL" for the URL's sub-protocol; "MySQL" /
 * "PostgreSQL" for a dialect. Static storage. */
const char *sl_jdbc_scheme_name(int scheme);
const char *sl_jdbc_dialect_name(int dialect);

/* Checks the 'driver' option's class name against the URL:
 * com.mysql.cj.jdbc.Driver, com.mysql.jdbc.Driver and
 * org.mariadb.jdbc.Driver drive mysql and mariadb URLs,
 * org.postgresql.Driver postgresql ones. A mismatch names both; an
 * unknown class lists the known ones. 0 or -SL_EINVAL. */
int sl_jdbc_driver_check(const char *driver, const sl_jdbc_url_t *u, sl_err_t *err);

#endif
