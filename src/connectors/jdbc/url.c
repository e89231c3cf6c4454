/* url.c - JDBC URL parsing (see url.h). */
#include "connectors/jdbc/url.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int oom(sl_err_t *err) { return sl_err_set(err, SL_ENOMEM, "out of memory"); }

/* An error about url[off, off + len). */
static int bad(sl_err_t *err, int off, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(sl_err_t *err, int off, int len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sl_err_vat(err, SL_EINVAL, off, len, fmt, ap);
    va_end(ap);
    return rc;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* URL-decodes s[0, n) into the arena (as java.net.URLDecoder: %XX and '+'
 * for a blank). *bad_at is the offset of a malformed escape, or -1. */
static char *decode(sl_arena_t *a, const char *s, size_t n, bool plus, int *bad_at)
{
    char *d = sl_arena_alloc(a, n + 1);
    if (!d) return NULL;
    size_t k = 0;
    *bad_at = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n) {
                *bad_at = (int)i;
                return d;
            }
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) {
                *bad_at = (int)i;
                return d;
            }
            d[k++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (s[i] == '+' && plus) {
            d[k++] = ' ';
        } else {
            d[k++] = s[i];
        }
    }
    d[k] = '\0';
    return d;
}

static bool is_int(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10) return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

static int bool_of(const char *v)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !*v) return 1;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0")) return 0;
    return -1;
}

/* The parameters sluice honours; others are kept and ignored. */
static int apply_param(sl_jdbc_url_t *u, const sl_jdbc_param_t *p, sl_err_t *err)
{
    const char *k = p->key, *v = p->value;
    bool pg = u->dialect == SL_JDBC_POSTGRES;
    int64_t n;
    if (!strcmp(k, "user")) {
        u->user = v;
    } else if (!strcmp(k, "password")) {
        u->password = v;
    } else if (!strcmp(k, "connectTimeout") || (pg && !strcmp(k, "loginTimeout"))) {
        if (!is_int(v, &n))
            return bad(err, p->off, p->len,
                       "URL parameter '%s' expects a whole number of %s, got '%s'", k,
                       pg ? "seconds" : "milliseconds", v);
        u->connect_timeout_ms = pg ? n * 1000 : n;
    } else if (!strcmp(k, "socketTimeout")) {
        if (!is_int(v, &n))
            return bad(err, p->off, p->len,
                       "URL parameter '%s' expects a whole number of %s, got '%s'", k,
                       pg ? "seconds" : "milliseconds", v);
        u->socket_timeout_ms = pg ? n * 1000 : n;
    } else if (!pg && (!strcmp(k, "useSSL") || !strcmp(k, "useSsl") || !strcmp(k, "requireSSL"))) {
        int b = bool_of(v);
        if (b < 0)
            return bad(err, p->off, p->len, "URL parameter '%s' expects true or false, got '%s'",
                       k, v);
        if (!strcmp(k, "requireSSL")) {
            if (b && u->ssl < SL_JDBC_SSL_REQUIRE) u->ssl = SL_JDBC_SSL_REQUIRE;
        } else if (!b) {
            u->ssl = SL_JDBC_SSL_DISABLE;
        } else if (u->ssl < SL_JDBC_SSL_PREFER) {
            u->ssl = SL_JDBC_SSL_PREFER;
        }
    } else if (!pg && !strcmp(k, "sslMode")) {
        /* Connector/J: DISABLED PREFERRED REQUIRED VERIFY_CA VERIFY_IDENTITY;
         * MariaDB Connector/J: disable trust verify-ca verify-full. */
        static const struct { const char *name; uint8_t ssl; } m[] = {
            {"DISABLED", SL_JDBC_SSL_DISABLE}, {"PREFERRED", SL_JDBC_SSL_PREFER},
            {"REQUIRED", SL_JDBC_SSL_REQUIRE}, {"VERIFY_CA", SL_JDBC_SSL_VERIFY_CA},
            {"VERIFY_IDENTITY", SL_JDBC_SSL_VERIFY_FULL}, {"disable", SL_JDBC_SSL_DISABLE},
            {"trust", SL_JDBC_SSL_REQUIRE}, {"verify-ca", SL_JDBC_SSL_VERIFY_CA},
            {"verify-full", SL_JDBC_SSL_VERIFY_FULL},
        };
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
            if (!strcasecmp(v, m[i].name)) {
                u->ssl = m[i].ssl;
                return 0;
            }
        return bad(err, p->off, p->len,
                   "URL parameter 'sslMode' must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or "
                   "VERIFY_IDENTITY (MariaDB: disable, trust, verify-ca, verify-full), got '%s'",
                   v);
    } else if (pg && !strcmp(k, "sslmode")) {
        static const struct { const char *name; uint8_t ssl; } m[] = {
            {"disable", SL_JDBC_SSL_DISABLE}, {"allow", SL_JDBC_SSL_PREFER},
            {"prefer", SL_JDBC_SSL_PREFER}, {"require", SL_JDBC_SSL_REQUIRE},
            {"verify-ca", SL_JDBC_SSL_VERIFY_CA}, {"verify-full", SL_JDBC_SSL_VERIFY_FULL},
        };
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
            if (!strcmp(v, m[i].name)) {
                u->ssl = m[i].ssl;
                return 0;
            }
        return bad(err, p->off, p->len,
                   "URL parameter 'sslmode' must be disable, allow, prefer, require, verify-ca "
                   "or verify-full, got '%s'",
                   v);
    } else if (pg && !strcmp(k, "ssl")) {
        int b = bool_of(v);
        if (b < 0)
            return bad(err, p->off, p->len, "URL parameter 'ssl' expects true or false, got '%s'",
                       v);
        /* pgjdbc: ssl=true without sslmode verifies the certificate fully. */
        if (b && u->ssl == SL_JDBC_SSL_DEFAULT) u->ssl = SL_JDBC_SSL_VERIFY_FULL;
        if (!b) u->ssl = SL_JDBC_SSL_DISABLE;
    } else if (!pg && (!strcmp(k, "serverTimezone") || !strcmp(k, "connectionTimeZone"))) {
        if (strcmp(v, "LOCAL") && strcmp(v, "SERVER")) u->time_zone = v;
    } else if (pg && !strcmp(k, "currentSchema")) {
        u->search_path = v;
    } else if (pg && !strcmp(k, "ApplicationName")) {
        u->app_name = v;
    }
    return 0;
}

/* key=value&key=value ... starting at url[off]. */
static int parse_params(const char *url, int off, sl_arena_t *a, sl_jdbc_url_t *u, sl_err_t *err)
{
    int cap = 8, n = 0;
    sl_jdbc_param_t *ps = sl_arena_alloc(a, (size_t)cap * sizeof *ps);
    if (!ps) return oom(err);
    const char *s = url + off;
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t len = amp ? (size_t)(amp - s) : strlen(s);
        if (len) {
            const char *eq = memchr(s, '=', len);
            size_t klen = eq ? (size_t)(eq - s) : len;
            int p_off = (int)(s - url);
            if (klen == 0)
                return bad(err, p_off, (int)len, "URL parameter '%.*s' has no name", (int)len, s);
            if (n == cap) {
                sl_jdbc_param_t *np = sl_arena_alloc(a, (size_t)cap * 2 * sizeof *np);
                if (!np) return oom(err);
                memcpy(np, ps, (size_t)n * sizeof *np);
                ps = np;
                cap *= 2;
            }
            int bk, bv;
            sl_jdbc_param_t *p = &ps[n];
            p->key = decode(a, s, klen, true, &bk);
            p->value = eq ? decode(a, eq + 1, len - klen - 1, true, &bv) : sl_arena_strdup(a, "");
            if (!eq) bv = -1;
            if (!p->key || !p->value) return oom(err);
            if (bk >= 0 || bv >= 0)
                return bad(err, bk >= 0 ? p_off + bk : (int)(eq + 1 - url) + bv, 3,
                           "malformed %%-escape in URL parameter '%.*s'", (int)klen, s);
            p->off = p_off;
            p->len = (int)len;
            n++;
        }
        s += len;
        if (*s == '&') s++;
    }
    u->params = ps;
    u->nparams = n;
    for (int i = 0; i < n; i++) {
        int rc = apply_param(u, &ps[i], err);
        if (rc) return rc;
    }
    return 0;
}

/* host[:port] of url[off, end): one host. */
static int parse_hostport(const char *url, int off, int end, sl_arena_t *a, sl_jdbc_url_t *u,
                          sl_err_t *err)
{
    const char *s = url + off;
    int n = end - off;
    for (int i = 0; i < n; i++)
        if (s[i] == ',')
            return bad(err, off, n,
                       "URL lists several hosts ('%.*s'): failover and load-balancing host lists "
                       "are not supported; give one host",
                       n, s);
    int hend = n, port_at = -1;
    const char *h = s;
    int hlen;
    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', (size_t)n);
        if (!rb) return bad(err, off, n, "URL host '%.*s' lacks its closing ']'", n, s);
        h = s + 1;
        hlen = (int)(rb - s - 1);
        hend = (int)(rb - s) + 1;
        if (hend < n && s[hend] != ':')
            return bad(err, off + hend, n - hend, "unexpected '%.*s' after the URL host", n - hend,
                       s + hend);
        if (hend < n) port_at = hend + 1;
        if (hlen == 0) return bad(err, off, hend, "URL host '[]' is empty");
    } else {
        const char *colon = memchr(s, ':', (size_t)n);
        hlen = colon ? (int)(colon - s) : n;
        if (colon) port_at = hlen + 1;
        if (colon && memchr(colon + 1, ':', (size_t)(n - hlen - 1)))
            return bad(err, off, n,
                       "URL host '%.*s' looks like an IPv6 address: write it in brackets, "
                       "[::1]:port",
                       n, s);
    }
    u->host = hlen ? sl_arena_strndup(a, h, (size_t)hlen) : sl_arena_strdup(a, "localhost");
    if (!u->host) return oom(err);
    for (int i = 0; s[0] != '[' && i < hlen; i++) {
        unsigned char c = (unsigned char)h[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c == '_'))
            return bad(err, off + i, 1, "URL host '%.*s' has an invalid character '%c'", hlen, h,
                       c);
    }
    if (port_at >= 0) {
        int plen = n - port_at;
        unsigned long p = 0;
        bool ok = plen > 0 && plen <= 5;
        for (int i = 0; ok && i < plen; i++) {
            if (!isdigit((unsigned char)s[port_at + i])) ok = false;
            else p = p * 10 + (unsigned long)(s[port_at + i] - '0');
        }
        if (!ok || p == 0 || p > 65535)
            return bad(err, off + port_at, plen > 0 ? plen : 1,
                       "URL port '%.*s' is not a port number (1-65535)", plen, s + port_at);
        u->port = (unsigned)p;
    }
    return 0;
}

const char *sl_jdbc_scheme_name(int scheme)
{
    switch (scheme) {
    case SL_JDBC_SCHEME_MYSQL: return "MySQL";
    case SL_JDBC_SCHEME_MARIADB: return "MariaDB";
    case SL_JDBC_SCHEME_POSTGRESQL: return "PostgreSQL";
    }
    return "?";
}

const char *sl_jdbc_dialect_name(int dialect)
{
    return dialect == SL_JDBC_POSTGRES ? "PostgreSQL" : dialect == SL_JDBC_MYSQL ? "MySQL" : "?";
}

int sl_jdbc_url_parse(const char *url, sl_arena_t *a, sl_jdbc_url_t *u, sl_err_t *err)
{
    memset(u, 0, sizeof *u);
    int len = (int)strlen(url);
    static const char *const others[] = {
        "oracle", "sqlserver", "db2", "derby", "h2", "hsqldb", "sqlite", "clickhouse",
        "trino", "presto", "snowflake", "redshift", "jtds", "sap", "informix", "cockroach",
        "oceanbase", "dm", "kingbase", "gaussdb", "opengauss", "vertica", "teradata", NULL};
    if (strncmp(url, "jdbc:", 5)) {
        int n = 0;
        while (n < len && url[n] != ':') n++;
        return bad(err, 0, n < len ? n + 1 : len,
                   "URL '%.60s' is not a JDBC URL: it must start with jdbc:mysql://, "
                   "jdbc:mariadb:// or jdbc:postgresql://",
                   url);
    }
    const char *p = url + 5;
    int sub_len = 0;
    while (p[sub_len] && p[sub_len] != ':') sub_len++;
    if (sub_len == 5 && !strncmp(p, "mysql", 5)) {
        u->scheme = SL_JDBC_SCHEME_MYSQL;
        u->dialect = SL_JDBC_MYSQL;
        u->port = 3306;
    } else if (sub_len == 7 && !strncmp(p, "mariadb", 7)) {
        u->scheme = SL_JDBC_SCHEME_MARIADB;
        u->dialect = SL_JDBC_MYSQL;
        u->port = 3306;
    } else if (sub_len == 10 && !strncmp(p, "postgresql", 10)) {
        u->scheme = SL_JDBC_SCHEME_POSTGRESQL;
        u->dialect = SL_JDBC_POSTGRES;
        u->port = 5432;
    } else {
        for (int i = 0; others[i]; i++)
            if ((int)strlen(others[i]) == sub_len && !strncasecmp(p, others[i], (size_t)sub_len))
                return bad(err, 5, sub_len,
                           "JDBC URLs of '%.*s' are not supported: sluice speaks MySQL, MariaDB "
                           "and PostgreSQL (jdbc:mysql:, jdbc:mariadb:, jdbc:postgresql:)",
                           sub_len, p);
        return bad(err, 5, sub_len ? sub_len : 1,
                   "unknown JDBC sub-protocol '%.*s': sluice speaks jdbc:mysql:, jdbc:mariadb: "
                   "and jdbc:postgresql:",
                   sub_len, p);
    }
    int off = 5 + sub_len;
    if (url[off] != ':')
        return bad(err, 5, sub_len, "URL '%.60s' ends after its sub-protocol", url);
    off++;
    const char *rest = url + off;
    bool pg = u->dialect == SL_JDBC_POSTGRES;
    int auth_off, auth_end, db_off;
    if (!strncmp(rest, "//", 2)) {
        auth_off = off + 2;
        auth_end = auth_off;
        while (url[auth_end] && url[auth_end] != '/' && url[auth_end] != '?') auth_end++;
        db_off = url[auth_end] == '/' ? auth_end + 1 : auth_end;
    } else if (pg && *rest != '/') {
        /* jdbc:postgresql:database */
        auth_off = auth_end = off;
        db_off = off;
    } else {
        int n = 0;
        while (rest[n] && rest[n] != '/' && rest[n] != '?') n++;
        bool known_sub = !pg && n > 0 && rest[n] == '/' && rest[n + 1] == '/';
        const char *sub = u->scheme == SL_JDBC_SCHEME_MYSQL     ? "mysql"
                        : u->scheme == SL_JDBC_SCHEME_MARIADB ? "mariadb"
                                                              : "postgresql";
        if (known_sub)
            return bad(err, 5, sub_len + n,
                       "%s URLs of the form 'jdbc:%.*s//' (load balancing, replication, "
                       "failover) are not supported; use jdbc:%s://host:port/database",
                       sl_jdbc_scheme_name(u->scheme), sub_len + 1 + n, url + 5, sub);
        return bad(err, off, n ? n : 1,
                   "%s URL must continue with //host after jdbc:%s: (e.g. "
                   "jdbc:%s://localhost:%u/app)",
                   sl_jdbc_scheme_name(u->scheme), sub, sub, u->port);
    }
    /* [user[:password]@]host[:port] */
    u->host = "localhost";
    if (auth_end > auth_off) {
        int at = -1;
        for (int i = auth_off; i < auth_end; i++)
            if (url[i] == '@') at = i;
        int hoff = auth_off;
        if (at >= 0) {
            const char *colon = memchr(url + auth_off, ':', (size_t)(at - auth_off));
            int ulen = colon ? (int)(colon - url - auth_off) : at - auth_off;
            int b1 = -1, b2 = -1;
            u->user = decode(a, url + auth_off, (size_t)ulen, false, &b1);
            if (colon) u->password = decode(a, colon + 1, (size_t)(at - (colon + 1 - url)), false, &b2);
            if (!u->user || (colon && !u->password)) return oom(err);
            if (b1 >= 0 || b2 >= 0)
                return bad(err, auth_off, at - auth_off, "malformed %%-escape in the URL's user");
            hoff = at + 1;
        }
        int rc = parse_hostport(url, hoff, auth_end, a, u, err);
        if (rc) return rc;
    }
    /* database */
    int db_end = db_off;
    while (url[db_end] && url[db_end] != '?') db_end++;
    if (db_end == db_off)
        return bad(err, db_off > 0 ? db_off - 1 : 0, 1,
                   "URL '%.*s' names no database: add /DATABASE after the host (e.g. "
                   "jdbc:%s://%s:%u/app)",
                   db_end > 80 ? 80 : db_end, url, pg ? "postgresql" : u->scheme == SL_JDBC_SCHEME_MARIADB ? "mariadb" : "mysql",
                   u->host, u->port);
    for (int i = db_off; i < db_end; i++)
        if (url[i] == '/')
            return bad(err, db_off, db_end - db_off,
                       "URL database '%.*s' contains '/': give one database name", db_end - db_off,
                       url + db_off);
    int bd;
    u->database = decode(a, url + db_off, (size_t)(db_end - db_off), false, &bd);
    if (!u->database) return oom(err);
    if (bd >= 0) return bad(err, db_off + bd, 3, "malformed %%-escape in the URL's database");
    if (url[db_end] == '?') return parse_params(url, db_end + 1, a, u, err);
    return 0;
}

const char *sl_jdbc_url_param(const sl_jdbc_url_t *u, const char *key)
{
    const char *v = NULL;
    for (int i = 0; i < u->nparams; i++)
        if (!strcmp(u->params[i].key, key)) v = u->params[i].value;
    return v;
}

int sl_jdbc_driver_check(const char *driver, const sl_jdbc_url_t *u, sl_err_t *err)
{
    static const struct { const char *cls; uint8_t dialect; const char *db; } drivers[] = {
        {"com.mysql.cj.jdbc.Driver", SL_JDBC_MYSQL, "MySQL"},
        {"com.mysql.jdbc.Driver", SL_JDBC_MYSQL, "MySQL"},
        {"org.mariadb.jdbc.Driver", SL_JDBC_MYSQL, "MariaDB"},
        {"org.postgresql.Driver", SL_JDBC_POSTGRES, "PostgreSQL"},
    };
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        if (strcmp(driver, drivers[i].cls)) continue;
        if (drivers[i].dialect == u->dialect) return 0;
        return sl_err_set(err, SL_EINVAL,
                          "option 'driver' '%s' is a %s driver, but option 'url' is a %s URL "
                          "(jdbc:%s:); use %s",
                          driver, drivers[i].db, sl_jdbc_scheme_name(u->scheme),
                          u->scheme == SL_JDBC_SCHEME_MYSQL     ? "mysql"
                          : u->scheme == SL_JDBC_SCHEME_MARIADB ? "mariadb"
                                                                : "postgresql",
                          u->dialect == SL_JDBC_POSTGRES
                              ? "org.postgresql.Driver"
                              : "com.mysql.cj.jdbc.Driver or org.mariadb.jdbc.Driver");
    }
    return sl_err_set(err, SL_EINVAL,
                      "option 'driver': unknown JDBC driver class '%s'; sluice speaks the "
                      "protocols of com.mysql.cj.jdbc.Driver, com.mysql.jdbc.Driver, "
                      "org.mariadb.jdbc.Driver and org.postgresql.Driver",
                      driver);
}
