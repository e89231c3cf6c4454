#!/usr/bin/env bash
# jdbc.sh - throughput of the jdbc connector's lookups and sink against a
# private PostgreSQL and a private MariaDB, beside plain clients of the same
# databases in the same run.
#
#   scripts/bench/jdbc.sh                          # 1M rows, 1M-row dimension, 6-9 minutes
#   ROWS=100000 scripts/bench/jdbc.sh              # quick run, about a minute
#   DBS=pg PEERS= RUNS=lookup scripts/bench/jdbc.sh    # sluice's lookups on PostgreSQL only
#
# Each database (DBS, "pg my") is a private instance (tests/integration/lib/
# postgres.sh and mariadb.sh: its own data directory and loopback port in a
# temporary directory, stopped and removed on exit; no system service is
# touched) holding
#   dim (id INT PRIMARY KEY, name VARCHAR(32), price DECIMAL(10,2))  DIM_ROWS rows
#   t   (id INT PRIMARY KEY, name VARCHAR(32), price DECIMAL(10,2))  the sink's table
# (loading is not timed). sluice connects over TCP to 127.0.0.1 as the user
# sluice, as every peer does.
#
# Lookups: ROWS probes from a datagen source (k INT, pt AS PROCTIME()) joined
#   JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.k = d.id
# into a blackhole sink:
#   - source only: the datagen alone into blackhole (the ceiling of the input);
#   - ~100% hits: keys uniform in [1, 1000], 'lookup.cache' = 'PARTIAL',
#     'lookup.partial-cache.max-rows' = '10000' (the first batch queries the
#     1,000 keys, every later probe is answered by the cache);
#   - ~0% hits: keys uniform in [1, DIM_ROWS], no cache: every input batch
#     (1,024 rows) becomes WHERE id IN (...) queries of up to 1,000 keys;
#   - ~1% hits: the same keys with the cache of the ~100% run (10,000 of
#     DIM_ROWS keys fit): what the cache costs when it does not help.
# Beside them (PEERS), a C program compiled here (libpq and libmariadb) on one
# connection, with the same number of keys uniform in [1, DIM_ROWS]:
#   - point: SELECT id, name, price FROM dim WHERE id = <literal>, one
#     statement per key, every row fetched (the plain point-select loop);
#   - in:    the same with WHERE id IN (<1,000 literals>), sluice's query shape.
# probes/s = probes / wall time of the whole process.
#
# Sink: ROWS rows of datagen (id a sequence 1..ROWS, so every row is a new
# key; name 16 random hex digits; price in [0, 1000]) through the jdbc sink
# (upserts on the primary key) into the truncated table t: with the defaults
# ('sink.buffer-flush.max-rows' = 100) and with max-rows = 5000. The row
# count of t is checked afterwards. Beside them (PEERS copy), the same rows
# (written to a CSV file by sluice's filesystem sink from the same datagen
# table, not timed) loaded into the truncated t by
#   - PostgreSQL: psql -c "\copy t FROM 'rows.csv' WITH (FORMAT csv)"
#   - MariaDB:    mariadb --local-infile=1 -e "LOAD DATA LOCAL INFILE ..."
# and COUNT(*), SUM(price), SUM(LENGTH(name)) of t compared with the sink's.
#
# Every run is timed with /usr/bin/time (wall, user+sys CPU, max RSS); the
# server's CPU during each run comes from /proc (mariadbd; every process of
# the PostgreSQL instance plus the exited backends its postmaster reaped),
# the statements it ran from its counters (MariaDB Com_select / Com_commit,
# PostgreSQL pg_stat_database.xact_commit of the database app).
#
# Environment: ROWS (probes and sink rows, 1000000), DIM_ROWS (1000000),
# HIT_KEYS (key range of the ~100% hit run, 1000), DBS ("pg my"), RUNS
# ("lookup sink"), PEERS ("point in copy"; empty skips them), SLUICE
# (build/sluice), TIMEOUT (seconds per run, 300), KEEP (1: keep the
# temporary directory with the instances' data, the jobs and their logs).
# Needs: postgresql-15, mariadb-server and mariadb-client (scripts/install-
# deps), cc, pkg-config, libpq-dev, libmariadb-dev, /usr/bin/time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ROWS=${ROWS:-1000000}
DIM_ROWS=${DIM_ROWS:-1000000}
HIT_KEYS=${HIT_KEYS:-1000}
DBS=${DBS-"pg my"}
RUNS=${RUNS-"lookup sink"}
PEERS=${PEERS-"point in copy"}
SLUICE=${SLUICE:-$root/build/sluice}
TIMEOUT=${TIMEOUT:-300}
KEEP=${KEEP:-0}
IN_KEYS=1000          # keys per IN list of the 'in' peer: sluice's LOOKUP_KEYS_PER_QUERY
MAXINT=9223372036854775807

die() { echo "jdbc.sh: $*" >&2; exit 1; }
has() { [[ " $1 " == *" $2 "* ]]; }

[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "ROWS must be a positive integer"
[[ $DIM_ROWS =~ ^[0-9]+$ && $DIM_ROWS -gt 0 ]] || die "DIM_ROWS must be a positive integer"
[[ $HIT_KEYS =~ ^[0-9]+$ && $HIT_KEYS -gt 0 && $HIT_KEYS -le $DIM_ROWS ]] ||
    die "HIT_KEYS must be a positive integer, at most DIM_ROWS"
for d in $DBS; do [[ $d == pg || $d == my ]] || die "DBS: unknown database '$d' (pg, my)"; done
[[ -n $DBS ]] || die "DBS is empty"
[[ -x $SLUICE ]] || die "$SLUICE is missing: cd $root && make -j2"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install -y time"
if has "$PEERS" point || has "$PEERS" in; then
    command -v cc >/dev/null && pkg-config --exists libmariadb libpq ||
        die "the point/in peers need cc, libpq and libmariadb (apt-get install -y gcc pkg-config libpq-dev libmariadb-dev), or PEERS without them"
fi

# shellcheck source=../../tests/integration/lib/mariadb.sh
. "$root/tests/integration/lib/mariadb.sh"
# shellcheck source=../../tests/integration/lib/postgres.sh
. "$root/tests/integration/lib/postgres.sh"
if has "$DBS" my; then
    command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] ||
        die "mariadbd is missing: scripts/install-deps (or apt-get install -y mariadb-server)"
fi
if has "$DBS" pg; then
    [[ -x $PG_BIN/postgres ]] || die "$PG_BIN/postgres is missing: apt-get install -y postgresql"
fi

tmp=$(mktemp -d /tmp/sluice-bench-jdbc.XXXXXX)
chmod 755 "$tmp"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    mdb_cleanup
    pg_cleanup
    if [[ $KEEP == 1 ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# A private copy: a rebuild of build/sluice during the run changes nothing.
cp "$SLUICE" "$tmp/sluice"
SLUICE_SRC=$SLUICE
SLUICE=$tmp/sluice

# ---- helpers ----------------------------------------------------------------

fmt_int() { # 12345678 -> 12,345,678
    awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o }'
}
calc() { awk "BEGIN { printf \"%s\", $* }"; }
f1() { awk -v x="$1" 'BEGIN { printf "%.1f", x }'; }
f2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
now() { echo "$EPOCHREALTIME"; }
dbname() { [[ $1 == pg ]] && echo PostgreSQL || echo MariaDB; }

# CPU seconds (user + sys) the current server has used so far: mariadbd, or
# every live process of the PostgreSQL instance plus what its postmaster
# reaped from exited backends (cutime + cstime).
server_cpu() { # pg|my
    local hz
    hz=$(getconf CLK_TCK)
    if [[ $1 == my ]]; then
        awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$MDB_PID/stat"
        return
    fi
    local p files=()
    for p in $(_pg_procs "$PG_DIR"); do files+=("/proc/$p/stat"); done
    # (cat: a process may end between the listing and the read)
    cat "${files[@]}" 2>/dev/null | awk -v hz="$hz" -v pm="$PG_PID" '{ pid = $1; sub(/^.*\) /, "");
            t += $12 + $13; if (pid == pm) t += $14 + $15 }
        END { printf "%.2f", t / hz }'
}

# The postmaster's children, zombies included.
pg_children() { cat "/proc/$PG_PID/task/"*/children 2>/dev/null | wc -w; }

# Statements the server has run so far: MariaDB SELECTs and COMMITs (the
# sink's transactions), PostgreSQL's committed transactions in app (each
# autocommitted statement is one).
server_stmts() { # pg|my select|commit
    if [[ $1 == my ]]; then
        local v=Com_select
        [[ $2 == commit ]] && v=Com_commit
        mdb_sql "SHOW GLOBAL STATUS LIKE '$v'" | cut -f2
    else
        pg_sql "SELECT pg_stat_force_next_flush(); SELECT xact_commit FROM pg_stat_database WHERE datname = 'app'" |
            tail -1
    fi
}

# Results, one line per run: DB;SECTION;NAME;ROWS;WALL;CPU;RSS_KB;SERVER_CPU;STMTS
results=$tmp/results
: > "$results"
record() { local IFS=';'; echo "$*" >> "$results"; }

# timed DB NAME STMTKIND CMD...: runs CMD under /usr/bin/time and a timeout;
# sets T_WALL T_CPU T_RSS T_SRV (server CPU) T_STMTS and T_OUT/T_ERR.
timed() {
    local db=$1 name=$2 kind=$3; shift 3
    local tf=$tmp/$db-$name.time s0 q0 c0 rc=0
    T_OUT=$tmp/$db-$name.out T_ERR=$tmp/$db-$name.err
    q0=$(server_stmts "$db" "$kind")
    s0=$(server_cpu "$db")
    [[ $db == pg ]] && c0=$(pg_children)
    /usr/bin/time -o "$tf" -f '%e %U %S %M' timeout -k 5 "$TIMEOUT" "$@" \
        >"$T_OUT" 2>"$T_ERR" || rc=$?
    # The client's backends end after it does; until the postmaster has
    # reaped them their CPU is neither theirs (gone from /proc) nor its own.
    if [[ $db == pg ]]; then
        local i
        for ((i = 0; i < 250 && $(pg_children) > c0; i++)); do sleep 0.02; done
    fi
    T_SRV=$(calc "$(server_cpu "$db") - $s0")
    [[ -n $T_SRV ]] || T_SRV=NaN
    # (minus what reading the counter itself counts, STMT_OFF)
    T_STMTS=$(( $(server_stmts "$db" "$kind") - q0 - ${STMT_OFF[$db-$kind]:-0} ))
    if [[ $rc != 0 ]]; then
        echo "  $db $name: FAILED (exit $rc; timeout ${TIMEOUT}s?):" >&2
        tail -5 "$T_ERR" >&2
        T_WALL=NaN T_CPU=NaN T_RSS=0
        return 1
    fi
    local u s
    read -r T_WALL u s T_RSS < <(tail -1 "$tf")
    T_CPU=$(calc "$u + $s")
}

report() { # NAME ROWS WALL CPU RSS_KB SERVER_CPU STMTS [UNIT]
    local rate="-"
    [[ $3 != NaN ]] && rate=$(fmt_int "$(calc "$2 / $3")")
    printf '  %-26s %7s s wall %7s s cpu %12s %s/s  %5s MB max RSS  server cpu %6s s  %s statements\n' \
        "$1" "$(f2 "$3")" "$(f2 "$4")" "$rate" "${8:-rows}" \
        "$(calc "$5 / 1024" | awk '{ printf "%.0f", $1 }')" "$(f2 "$6")" "$(fmt_int "$7")"
}

# sluice_run DB NAME ROWS_EXPECTED FILE KIND: a timed `sluice run --verbose`;
# checks "rows written" against ROWS_EXPECTED; records the run.
sluice_run() {
    local db=$1 name=$2 want=$3 file=$4 kind=$5 section=$6 unit=${7:-rows}
    timed "$db" "$name" "$kind" "$SLUICE" run --verbose "$file" || return 0
    local rd wr
    rd=$(sed -n 's/.*job finished: \([0-9]*\) rows read.*/\1/p' "$T_ERR")
    wr=$(sed -n 's/.*rows read, \([0-9]*\) rows written.*/\1/p' "$T_ERR")
    [[ -n $rd ]] || { echo "  $db $name: no 'job finished' line from sluice run --verbose" >&2; return 0; }
    [[ $wr == "$want" ]] || echo "  WARNING: $db $name wrote ${wr:-?} rows, not $want" >&2
    record "$db" "$section" "$name" "$rd" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS"
    report "$name" "$rd" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS" "$unit"
}

# ---- the machine -------------------------------------------------------------

echo "== jdbc benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:    $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
     "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
     "$(uname -sr)$(lscpu | grep -q '^Hypervisor' && echo ", virtual machine")"
echo "sluice:     $("$SLUICE" --version) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ', modified tree')), CFLAGS $(sed -n 's/^SL_CFLAGS = //p' "$root/config.mk" 2>/dev/null), $SLUICE_SRC"
echo "binary:     built $(date -u -r "$SLUICE_SRC" '+%Y-%m-%d %H:%M:%S UTC')$(
    [[ -n $(find "$root/src" -newer "$SLUICE_SRC" -name '*.[ch]' -print -quit 2>/dev/null) ]] &&
    echo ', OLDER than files in src/ (make -j2?)')"
has "$DBS" pg && echo "postgresql: $("$PG_BIN/postgres" --version), libpq $(pkg-config --modversion libpq 2>/dev/null || echo '?')"
has "$DBS" my && echo "mariadb:    $(mariadbd --no-defaults --version 2>/dev/null | sed 's/^.*Ver //'), libmariadb $(pkg-config --modversion libmariadb 2>/dev/null || echo '?')"
echo "rows:       $(fmt_int "$ROWS") probes and sink rows per run; dimension $(fmt_int "$DIM_ROWS") rows;" \
     "databases: $DBS; runs: $RUNS; peers: ${PEERS:-none}"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load:       $load (1, 5, 15 min)"
if awk -v l="${load%% *}" 'BEGIN { exit !(l > 0.5) }'; then
    echo "WARNING: the machine is busy (load ${load%% *}): other processes share the $(nproc) cores;"
    echo "         wall-clock rates will be low and noisy (the CPU columns much less so)."
fi
echo

# ---- the peer program (not timed) ---------------------------------------------

if has "$PEERS" point || has "$PEERS" in; then
    cat > "$tmp/probe.c" <<'EOF'
/* probe.c - point selects (or IN lists of B keys) on one connection, keys
 * uniform in [1, MAX] from a fixed-seed xorshift; every row fetched and its
 * values touched. Text protocol with literals, as sluice sends them.
 *   probe pg|my HOST PORT USER PASSWORD DB N MAX B
 * prints: rows found, statements. */
#include <libpq-fe.h>
#include <mysql.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s = 88172645463325252ULL;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

int main(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "usage: probe pg|my HOST PORT USER PASSWORD DB N MAX B\n");
        return 2;
    }
    int pg = strcmp(argv[1], "pg") == 0;
    long long n = atoll(argv[7]), max = atoll(argv[8]), b = atoll(argv[9]);
    if (b < 1) b = 1;
    MYSQL *m = NULL;
    PGconn *c = NULL;
    if (pg) {
        const char *k[] = {"host", "port", "user", "password", "dbname", NULL};
        const char *v[] = {argv[2], argv[3], argv[4], argv[5], argv[6], NULL};
        c = PQconnectdbParams(k, v, 0);
        if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "probe: %s", PQerrorMessage(c)); return 1; }
    } else {
        m = mysql_init(NULL);
        mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        if (!mysql_real_connect(m, argv[2], argv[4], argv[5], argv[6], (unsigned)atoi(argv[3]), NULL, 0)) {
            fprintf(stderr, "probe: %s\n", mysql_error(m));
            return 1;
        }
    }
    size_t cap = 64 + (size_t)b * 22;
    char *q = malloc(cap);
    unsigned long long rows = 0, stmts = 0, bytes = 0;
    for (long long done = 0; done < n; done += b) {
        long long cnt = n - done < b ? n - done : b;
        size_t len;
        if (cnt == 1 && b == 1)
            len = (size_t)snprintf(q, cap, "SELECT id, name, price FROM dim WHERE id = %llu",
                                   (unsigned long long)(1 + rnd() % (uint64_t)max));
        else {
            len = (size_t)snprintf(q, cap, "SELECT id, name, price FROM dim WHERE id IN (");
            for (long long i = 0; i < cnt; i++)
                len += (size_t)snprintf(q + len, cap - len, i ? ", %llu" : "%llu",
                                        (unsigned long long)(1 + rnd() % (uint64_t)max));
            q[len++] = ')';
            q[len] = '\0';
        }
        stmts++;
        if (pg) {
            PGresult *r = PQexec(c, q);
            if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                fprintf(stderr, "probe: %s", PQerrorMessage(c));
                return 1;
            }
            int nr = PQntuples(r);
            for (int i = 0; i < nr; i++)
                for (int f = 0; f < 3; f++) bytes += (unsigned long long)PQgetlength(r, i, f);
            rows += (unsigned long long)nr;
            PQclear(r);
        } else {
            if (mysql_real_query(m, q, len)) { fprintf(stderr, "probe: %s\n", mysql_error(m)); return 1; }
            MYSQL_RES *r = mysql_store_result(m);
            if (!r) { fprintf(stderr, "probe: %s\n", mysql_error(m)); return 1; }
            MYSQL_ROW row;
            while ((row = mysql_fetch_row(r))) {
                unsigned long *l = mysql_fetch_lengths(r);
                bytes += l[0] + l[1] + l[2];
                rows++;
            }
            mysql_free_result(r);
        }
    }
    if (pg) PQfinish(c);
    else mysql_close(m);
    printf("%llu %llu %llu\n", rows, stmts, bytes);
    return 0;
}
EOF
    # shellcheck disable=SC2046
    cc -O2 -o "$tmp/probe" "$tmp/probe.c" $(pkg-config --cflags --libs libpq libmariadb) ||
        die "compiling the probe peer failed"
fi

# ---- the databases and the data (not timed) -----------------------------------

start_db() { # pg|my
    local t0
    t0=$(now)
    if [[ $1 == pg ]]; then
        # The harness's settings (fsync=off, synchronous_commit=off) plus room
        # for the dimension and the sink's WAL without checkpoints.
        pg_start "$tmp/pg" -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min \
            -c autovacuum=off -c statement_timeout="${TIMEOUT}s" || die "PostgreSQL did not start"
        pg_sql <<EOF || die "loading PostgreSQL failed"
CREATE TABLE dim (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL, price NUMERIC(10, 2) NOT NULL);
INSERT INTO dim SELECT g, 'name ' || g, (g::bigint * 37 % 100000) / 100.0 FROM generate_series(1, $DIM_ROWS) g;
CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32), price NUMERIC(10, 2));
GRANT SELECT ON dim TO sluice;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON t TO sluice;
VACUUM ANALYZE dim;
EOF
    else
        # No binlog (the tables are not captured); the buffer pool holds both
        # tables; commits are not flushed (as the harness's PostgreSQL).
        mdb_start "$tmp/mdb" --skip-log-bin --innodb-buffer-pool-size=1G --innodb-log-file-size=1G \
            --innodb-flush-log-at-trx-commit=0 --max-allowed-packet=64M --local-infile=1 ||
            die "MariaDB did not start"
        mdb_sql --database app >/dev/null <<EOF || die "loading MariaDB failed"
CREATE TABLE app.dim (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL, price DECIMAL(10, 2) NOT NULL) ENGINE=InnoDB;
INSERT INTO app.dim SELECT seq, CONCAT('name ', seq), (seq * 37 % 100000) / 100 FROM seq_1_to_$DIM_ROWS;
CREATE TABLE app.t (id INT PRIMARY KEY, name VARCHAR(32), price DECIMAL(10, 2)) ENGINE=InnoDB;
GRANT SELECT ON app.dim TO 'sluice'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON app.t TO 'sluice'@'127.0.0.1';
ANALYZE TABLE app.dim;
EOF
    fi
    # What reading the counters counts by itself.
    local k q0
    for k in select commit; do
        q0=$(server_stmts "$1" "$k")
        STMT_OFF[$1-$k]=$(( $(server_stmts "$1" "$k") - q0 ))
    done
    echo "-- $(dimension_info "$1") (loaded in $(f1 "$(calc "$(now) - $t0")") s, not timed)"
}

dimension_info() { # pg|my
    if [[ $1 == pg ]]; then
        echo "PostgreSQL on 127.0.0.1:$PG_PORT: dim $(fmt_int "$DIM_ROWS") rows," \
             "$(pg_sql "SELECT pg_size_pretty(pg_table_size('dim')) || ' + index ' || pg_size_pretty(pg_indexes_size('dim'))")"
    else
        echo "MariaDB on 127.0.0.1:$MDB_PORT: dim $(fmt_int "$DIM_ROWS") rows," \
             "$(mdb_sql "SELECT CONCAT(ROUND(DATA_LENGTH / 1048576), ' MB') FROM information_schema.TABLES
                         WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'dim'") (clustered by id)"
    fi
}

jdbc_opts() { # pg|my
    if [[ $1 == pg ]]; then
        echo "'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:$PG_PORT/app', 'username' = '$PG_USER', 'password' = '$PG_PASSWORD'"
    else
        echo "'connector' = 'jdbc', 'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/app', 'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD'"
    fi
}

truncate_t() { # pg|my
    if [[ $1 == pg ]]; then pg_sql "TRUNCATE t; CHECKPOINT"; else mdb_sql "TRUNCATE TABLE app.t"; fi
}

# COUNT(*), SUM(price), SUM(LENGTH(name)) of t: the same rows went in?
t_summary() { # pg|my
    if [[ $1 == pg ]]; then
        pg_sql "SELECT COUNT(*), SUM(price), SUM(LENGTH(name)) FROM t" | tr '\t' ' '
    else
        mdb_sql "SELECT COUNT(*), SUM(price), SUM(LENGTH(name)) FROM app.t" | tr '\t' ' '
    fi
}

# ---- the jobs --------------------------------------------------------------------

probe_src() { # MAXKEY
    cat <<EOF
CREATE TABLE f (k INT, pt AS PROCTIME()) WITH (
  'connector' = 'datagen', 'number-of-rows' = '$ROWS', 'rows-per-second' = '$MAXINT',
  'fields.k.min' = '1', 'fields.k.max' = '$1');
EOF
}
write_lookup_jobs() { # pg|my
    local db=$1 o
    o=$(jdbc_opts "$db")
    { probe_src "$DIM_ROWS"
      echo "CREATE TABLE bh (k INT) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO bh SELECT k FROM f;"; } > "$tmp/$db-source.sql"
    { probe_src "$HIT_KEYS"
      echo "CREATE TABLE dim (id INT, name STRING, price DECIMAL(10, 2)) WITH ("
      echo "  $o, 'table-name' = 'dim',"
      echo "  'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '10000');"
      echo "CREATE TABLE bh (k INT, name STRING, price DECIMAL(10, 2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO bh SELECT f.k, d.name, d.price FROM f JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.k = d.id;"
    } > "$tmp/$db-hit.sql"
    { probe_src "$DIM_ROWS"
      echo "CREATE TABLE dim (id INT, name STRING, price DECIMAL(10, 2)) WITH ("
      echo "  $o, 'table-name' = 'dim');"
      echo "CREATE TABLE bh (k INT, name STRING, price DECIMAL(10, 2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO bh SELECT f.k, d.name, d.price FROM f JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.k = d.id;"
    } > "$tmp/$db-miss.sql"
    sed "s/'table-name' = 'dim');/'table-name' = 'dim', 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '10000');/" \
        "$tmp/$db-miss.sql" > "$tmp/$db-misscache.sql"
    grep -q "lookup.cache" "$tmp/$db-misscache.sql" || die "writing the ~1% hits job failed"
}

sink_src() {
    cat <<EOF
CREATE TABLE src (id INT, name VARCHAR(32), price DECIMAL(10, 2)) WITH (
  'connector' = 'datagen', 'number-of-rows' = '$ROWS', 'rows-per-second' = '$MAXINT',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '$ROWS',
  'fields.name.length' = '16', 'fields.price.min' = '0', 'fields.price.max' = '1000');
EOF
}
write_sink_jobs() { # pg|my
    local db=$1 o
    o=$(jdbc_opts "$db")
    { sink_src
      echo "CREATE TABLE t (id INT, name STRING, price DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH ("
      echo "  $o, 'table-name' = 't');"
      echo "INSERT INTO t SELECT * FROM src;"; } > "$tmp/$db-sink.sql"
    { sink_src
      echo "CREATE TABLE t (id INT, name STRING, price DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH ("
      echo "  $o, 'table-name' = 't', 'sink.buffer-flush.max-rows' = '5000');"
      echo "INSERT INTO t SELECT * FROM src;"; } > "$tmp/$db-sink5000.sql"
}

# The CSV of the sink's rows: the same datagen table (same name and columns,
# so the same seeds and values) into sluice's filesystem sink.
write_csv() {
    [[ -s $tmp/rows.csv ]] && return 0
    { sink_src
      echo "CREATE TABLE csv_out (id INT, name VARCHAR(32), price DECIMAL(10, 2)) WITH ("
      echo "  'connector' = 'filesystem', 'path' = '$tmp/rows.csv', 'format' = 'csv');"
      echo "INSERT INTO csv_out SELECT * FROM src;"; } > "$tmp/csv.sql"
    "$SLUICE" run "$tmp/csv.sql" > "$tmp/csv.out" 2>&1 || { cat "$tmp/csv.out" >&2; die "writing the CSV failed"; }
    chmod 644 "$tmp/rows.csv"
    local n
    n=$(wc -l < "$tmp/rows.csv")
    [[ $n == "$ROWS" ]] || die "the CSV has $n lines, not $ROWS"
    echo "-- the sink's rows as CSV: $(fmt_int "$(stat -c %s "$tmp/rows.csv")") bytes, e.g. '$(head -1 "$tmp/rows.csv")' (not timed)"
}

# ---- runs --------------------------------------------------------------------------

probe_peer() { # DB NAME BATCH
    local db=$1 name=$2 b=$3 port
    if [[ $db == pg ]]; then port=$PG_PORT; else port=$MDB_PORT; fi
    timed "$db" "$name" select "$tmp/probe" "$db" 127.0.0.1 "$port" sluice sluice-pw app \
        "$ROWS" "$DIM_ROWS" "$b" || return 0
    local found stmts
    read -r found stmts _ < "$T_OUT"
    [[ $found -ge $((ROWS * 99 / 100)) ]] || echo "  WARNING: $db $name found $found rows for $ROWS keys" >&2
    record "$db" lookup "$name" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS"
    report "$name" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS" probes
}

bulk_peer() { # DB
    local db=$1 name
    truncate_t "$db"
    if [[ $db == pg ]]; then
        name="COPY FROM STDIN"
        timed pg "$name" commit env PGPASSWORD="$PG_PASSWORD" PGPASSFILE=/dev/null "$PG_BIN/psql" -X -q \
            -v ON_ERROR_STOP=1 -w -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d app \
            -c "\\copy t FROM '$tmp/rows.csv' WITH (FORMAT csv)" || return 0
    else
        name="LOAD DATA LOCAL"
        timed my "$name" commit mariadb --no-defaults --local-infile=1 -h 127.0.0.1 -P "$MDB_PORT" \
            -u "$MDB_USER" -p"$MDB_PASSWORD" app \
            -e "LOAD DATA LOCAL INFILE '$tmp/rows.csv' INTO TABLE t FIELDS TERMINATED BY ','
                OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\n' (id, name, price)" || return 0
    fi
    T_STMTS=1    # one statement (LOAD DATA is not counted as a COMMIT)
    local sum
    sum=$(t_summary "$db")
    [[ $sum == "${SINK_SUM[$db]:-$sum}" ]] ||
        echo "  WARNING: $db $name: t holds (count, sum, length) $sum, the sink wrote ${SINK_SUM[$db]}" >&2
    [[ ${sum%% *} == "$ROWS" ]] || echo "  WARNING: $db $name: t holds ${sum%% *} rows, not $ROWS" >&2
    record "$db" sink "$name" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS"
    report "$name" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$T_STMTS"
}

sink_run() { # DB NAME FILE
    local db=$1 name=$2 file=$3 sum
    truncate_t "$db"
    sluice_run "$db" "$name" "$ROWS" "$file" commit sink
    sum=$(t_summary "$db")
    [[ ${sum%% *} == "$ROWS" ]] || echo "  WARNING: $db $name: t holds ${sum%% *} rows, not $ROWS" >&2
    [[ -z ${SINK_SUM[$db]:-} || $sum == "${SINK_SUM[$db]}" ]] ||
        echo "  WARNING: $db $name: t holds (count, sum, length) $sum, not ${SINK_SUM[$db]}" >&2
    SINK_SUM[$db]=$sum
    echo "    t: $(fmt_int "${sum%% *}") rows (count, SUM(price), SUM(LENGTH(name)) = $sum)"
}

declare -A SINK_SUM STMT_OFF
for db in $DBS; do
    echo "-- $(dbname "$db"): a private instance in $tmp/$db"
    start_db "$db"
    if has "$RUNS" lookup; then
        write_lookup_jobs "$db"
        echo "-- lookups, $(dbname "$db"): $(fmt_int "$ROWS") probes"
        sluice_run "$db" "source only" "$ROWS" "$tmp/$db-source.sql" select lookup probes
        sluice_run "$db" "sluice ~100% hits (cache)" "$ROWS" "$tmp/$db-hit.sql" select lookup probes
        sluice_run "$db" "sluice ~0% hits (no cache)" "$ROWS" "$tmp/$db-miss.sql" select lookup probes
        sluice_run "$db" "sluice ~1% hits (cache)" "$ROWS" "$tmp/$db-misscache.sql" select lookup probes
        has "$PEERS" point && probe_peer "$db" "point-select loop" 1
        has "$PEERS" in && probe_peer "$db" "IN ($IN_KEYS keys) loop" "$IN_KEYS"
    fi
    if has "$RUNS" sink; then
        write_sink_jobs "$db"
        echo "-- sink, $(dbname "$db"): $(fmt_int "$ROWS") rows"
        sink_run "$db" "sluice sink, max-rows 100" "$tmp/$db-sink.sql"
        sink_run "$db" "sluice sink, max-rows 5000" "$tmp/$db-sink5000.sql"
        if has "$PEERS" copy; then
            write_csv
            bulk_peer "$db"
        fi
    fi
    if [[ $db == pg ]]; then pg_stop; else mdb_stop; fi
    echo
done

# ---- tables ------------------------------------------------------------------

# The reference of each section: the point-select loop (lookups), COPY /
# LOAD DATA (sink).
ref_wall() { # DB SECTION
    awk -F';' -v d="$1" -v s="$2" '$1 == d && $2 == s && $5 != "NaN" &&
        ($3 ~ /^point/ || $3 ~ /^COPY/ || $3 ~ /^LOAD/) { print $5 }' "$results"
}

table() { # SECTION UNIT REFNAME STMTNAME
    echo
    printf '| %-10s | %-28s | %7s | %11s | %7s | %12s | %7s | %8s | %12s | %16s |\n' \
        db run "wall s" "$2s/s" "CPU s" "CPU us/$2" "max RSS" "server s" "$4" "vs $3"
    echo "|------------|------------------------------|---------|-------------|---------|--------------|---------|----------|--------------|------------------|"
    while IFS=';' read -r db section name n wall cpu rss srv stmts; do
        [[ $section == "$1" && $wall != NaN ]] || continue
        local ref vs="-"
        ref=$(ref_wall "$db" "$section")
        [[ -n $ref && $name != "source only" ]] && vs="$(f2 "$(calc "$ref / $wall")")x"
        printf '| %-10s | %-28s | %7s | %11s | %7s | %12s | %4s MB | %8s | %12s | %16s |\n' \
            "$(dbname "$db")" "$name" "$(f2 "$wall")" "$(fmt_int "$(calc "$n / $wall")")" "$(f2 "$cpu")" \
            "$(f2 "$(calc "$cpu * 1e6 / $n")")" "$(calc "$rss / 1024" | awk '{ printf "%.0f", $1 }')" \
            "$(f2 "$srv")" "$(fmt_int "$stmts")" "$vs"
    done < "$results"
}

echo "== Results: $(fmt_int "$ROWS") rows per run; rate = rows / wall time of the whole process;"
echo "   CPU = user + sys of the process; server = the database's CPU during the run;"
echo "   statements = SELECTs (lookups) or committed transactions (sink) the server counted;"
echo "   vs = rate / the rate of the reference run (point-select loop; COPY / LOAD DATA)."
if has "$RUNS" lookup; then
    echo
    echo "Lookups (dimension $(fmt_int "$DIM_ROWS") rows; ~100% hits: keys in [1, $(fmt_int "$HIT_KEYS")] with a cache;"
    echo "~0% hits and peers: keys in [1, $(fmt_int "$DIM_ROWS")], no cache):"
    table lookup probe "point-select" statements
fi
if has "$RUNS" sink; then
    echo
    echo "Sink (upserts of new keys into t; the peers load the same rows from a CSV):"
    table sink row "COPY/LOAD" transactions
fi
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); total time: ${SECONDS} s"
