#!/usr/bin/env bash
# mysql_cdc.sh - throughput of the mysql-cdc source against a private
# MariaDB, beside the programs that set the limits.
#
#   scripts/bench/mysql_cdc.sh                  # 10M rows, 4-6 minutes
#   ROWS=1000000 scripts/bench/mysql_cdc.sh     # quick run, under a minute
#   PEERS= RUNS=decode scripts/bench/mysql_cdc.sh   # sluice's decode run only
#
# A private MariaDB (tests/integration/lib/mariadb.sh: its own data
# directory, binlog and loopback port in a temporary directory, stopped and
# removed on exit; no system service is touched) gets a table app.bench of
# ROWS rows of about 150 bytes (BIGINT key, INT, INT, DECIMAL(12,2),
# VARCHAR status, DATETIME, DOUBLE, a VARCHAR name with 10% NULLs and a
# VARCHAR note), written by INSERT ... SELECT FROM seq_1_to_N in
# transactions of BATCH rows, so the binlog (ROW format, FULL row image,
# FULL row metadata) holds ROWS row images. Loading is not timed.
#
# Snapshot: a job with 'scan.startup.mode' = 'snapshot' (the chunked
# snapshot, then the job ends by itself) into a blackhole sink, beside a
# small C program compiled here that runs SELECT * FROM app.bench with
# mysql_use_result() and fetches every row (the physical limit of a client
# reading the table over the text protocol), timed before and after sluice;
# the faster of the two is the reference. Ratio = sluice rows/s / peer rows/s.
#
# Decode: a marker row goes into a second table app.bench_end (same
# columns), then a job reads the whole binlog from its first file
# ('scan.startup.mode' = 'earliest-offset', one source capturing both
# tables) into blackhole, and a second INSERT of the same statement set
# prints the marker (WHERE id = 0). The job is stopped with SIGTERM when
# the marker line arrives; its time runs from the start of the process to
# that line. Beside it, in the same run:
#   - mariadb-binlog --read-from-remote-server --verbose
#     --base64-output=DECODE-ROWS over every binlog file, into /dev/null
#     (MariaDB's own decoder printing each row as pseudo-SQL);
#   - the npm binlog client @vlasky/zongji (Node.js), counting the rows
#     of app.bench until ROWS (includeEvents tablemap and writerows),
#     installed with npm into NPM_DIR on first use.
# rows/s = rows / wall time, MB/s = binlog bytes (all files) / wall time.
#
# Every run is timed with /usr/bin/time (wall, user+sys CPU, max RSS); the
# server's CPU during each run comes from /proc/PID/stat of mariadbd.
#
# Environment: ROWS (10000000), BATCH (rows per load transaction, 100000),
# RUNS ("snapshot decode"), PEERS ("scan mariadb-binlog zongji"; empty
# skips them), CHUNK (scan.incremental.snapshot.chunk.size; empty: the
# connector's default), BUFFER_POOL (innodb buffer pool, 4G: the table
# stays in memory), SLUICE (build/sluice), TIMEOUT (seconds per run, 600),
# NPM_DIR (~/.cache/sluice-bench/npm), ZONGJI_VERSION (0.9.0), KEEP (1:
# keep the temporary directory). Needs: mariadb-server and mariadb-client
# (scripts/install-deps), libmariadb-dev, pkg-config, cc, /usr/bin/time;
# node and npm for zongji.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ROWS=${ROWS:-10000000}
BATCH=${BATCH:-100000}
RUNS=${RUNS-"snapshot decode"}
PEERS=${PEERS-"scan mariadb-binlog zongji"}
CHUNK=${CHUNK:-}
BUFFER_POOL=${BUFFER_POOL:-4G}
SLUICE=${SLUICE:-$root/build/sluice}
TIMEOUT=${TIMEOUT:-600}
NPM_DIR=${NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice-bench/npm}
ZONGJI_VERSION=${ZONGJI_VERSION:-0.9.0}
KEEP=${KEEP:-0}

die() { echo "mysql_cdc.sh: $*" >&2; exit 1; }
has() { [[ " $1 " == *" $2 "* ]]; }

[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "ROWS must be a positive integer"
[[ $BATCH =~ ^[0-9]+$ && $BATCH -gt 0 ]] || die "BATCH must be a positive integer"
[[ -z $CHUNK || $CHUNK =~ ^[0-9]+$ ]] || die "CHUNK must be a positive integer"
[[ -x $SLUICE ]] || die "$SLUICE is missing: cd $root && make -j2"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install -y time"
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] ||
    die "mariadbd is missing: scripts/install-deps (or apt-get install -y mariadb-server)"
if has "$PEERS" mariadb-binlog; then
    command -v mariadb-binlog >/dev/null || die "mariadb-binlog is missing: apt-get install -y mariadb-client"
fi
if has "$PEERS" scan; then
    command -v cc >/dev/null && pkg-config --exists libmariadb ||
        die "the scan peer needs cc and libmariadb (apt-get install -y gcc pkg-config libmariadb-dev), or PEERS without scan"
fi
if has "$PEERS" zongji && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "mysql_cdc.sh: node/npm missing, for the zongji peer: apt-get install -y nodejs npm" >&2
        apt-get install -y nodejs npm >/dev/null || die "apt-get install -y nodejs npm failed (or run with PEERS without zongji)"
    else
        die "the zongji peer needs node and npm: apt-get install -y nodejs npm (or PEERS without zongji)"
    fi
fi

# shellcheck source=../../tests/integration/lib/mariadb.sh
. "$root/tests/integration/lib/mariadb.sh"

tmp=$(mktemp -d /tmp/sluice-bench-cdc.XXXXXX)
jobpid=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [[ -n $jobpid ]] && kill -0 "$jobpid" 2>/dev/null; then kill -TERM "$jobpid" 2>/dev/null || true; fi
    if [[ -s $tmp/job.pid ]]; then kill -KILL "$(cat "$tmp/job.pid")" 2>/dev/null || true; fi
    mdb_cleanup
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

# CPU seconds (user + sys) mariadbd has used so far.
server_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
        "/proc/$MDB_PID/stat"
}

# Results, one line per run: NAME ROWS WALL CPU RSS_KB SERVER_CPU
results=$tmp/results
: > "$results"
record() { local IFS=$'\t'; echo "$*" >> "$results"; }

# timed NAME CMD...: runs CMD under /usr/bin/time and a timeout; sets
# T_WALL T_CPU T_RSS T_SRV (server CPU) and T_OUT (its stdout file).
timed() {
    local name=$1; shift
    local tf=$tmp/$name.time s0 rc=0
    T_OUT=$tmp/$name.out
    s0=$(server_cpu)
    /usr/bin/time -o "$tf" -f '%e %U %S %M' timeout -k 5 "$TIMEOUT" "$@" \
        >"$T_OUT" 2>"$tmp/$name.err" || rc=$?
    T_SRV=$(calc "$(server_cpu) - $s0")
    if [[ $rc != 0 ]]; then
        echo "  $name: FAILED (exit $rc; timeout ${TIMEOUT}s?):" >&2
        tail -5 "$tmp/$name.err" >&2
        T_WALL=NaN T_CPU=NaN T_RSS=0
        return 1
    fi
    local u s
    read -r T_WALL u s T_RSS < <(tail -1 "$tf")
    T_CPU=$(calc "$u + $s")
}

report() { # NAME ROWS WALL CPU RSS_KB SERVER_CPU [BYTES]
    local rate="-" mbs=""
    [[ $3 != NaN ]] && rate=$(fmt_int "$(calc "$2 / $3")")
    [[ -n ${7:-} && $3 != NaN ]] && mbs="  $(f1 "$(calc "$7 / 1e6 / $3")") MB/s"
    printf '  %-16s %8s s wall %8s s cpu %12s rows/s%s  %5s MB max RSS  server cpu %s s\n' \
        "$1" "$(f2 "$3")" "$(f2 "$4")" "$rate" "$mbs" "$(calc "$5 / 1024" | awk '{ printf "%.0f", $1 }')" \
        "$(f2 "$6")"
}

# ---- the machine -------------------------------------------------------------

echo "== mysql-cdc benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:    $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
     "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
     "$(uname -sr)$(lscpu | grep -q '^Hypervisor' && echo ", virtual machine")"
echo "sluice:     $("$SLUICE" --version) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ', modified tree')), CFLAGS $(sed -n 's/^SL_CFLAGS = //p' "$root/config.mk" 2>/dev/null), $SLUICE_SRC"
echo "mariadb:    $(mariadbd --no-defaults --version 2>/dev/null | sed 's/^.*Ver //')"
has "$PEERS" mariadb-binlog && echo "peer:       $(mariadb-binlog --no-defaults --version | head -1)"
has "$PEERS" zongji && echo "peer:       node $(node --version), @vlasky/zongji $ZONGJI_VERSION ($NPM_DIR)"
echo "rows:       $(fmt_int "$ROWS") in transactions of $(fmt_int "$BATCH"); runs: $RUNS; peers: ${PEERS:-none}"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load:       $load (1, 5, 15 min)"
if awk -v l="${load%% *}" 'BEGIN { exit !(l > 0.5) }'; then
    echo "WARNING: the machine is busy (load ${load%% *}): other processes share the $(nproc) cores;"
    echo "         wall-clock rates will be low and noisy (the CPU columns much less so)."
fi
echo

# ---- peers: build and install (not timed) ------------------------------------

if has "$PEERS" scan; then
    cat > "$tmp/scan.c" <<'EOF'
/* scan.c - SELECT * with mysql_use_result, every row fetched: the physical
 * limit of reading a table over the text protocol. */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 6) { fprintf(stderr, "usage: scan HOST PORT USER PASSWORD QUERY\n"); return 2; }
    MYSQL *m = mysql_init(NULL);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(m, argv[1], argv[3], argv[4], NULL, (unsigned)atoi(argv[2]), NULL, 0) ||
        mysql_query(m, argv[5])) {
        fprintf(stderr, "scan: %s\n", mysql_error(m));
        return 1;
    }
    MYSQL_RES *res = mysql_use_result(m);
    if (!res) { fprintf(stderr, "scan: %s\n", mysql_error(m)); return 1; }
    unsigned nf = mysql_num_fields(res);
    unsigned long long rows = 0, bytes = 0, nulls = 0;
    MYSQL_ROW r;
    while ((r = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        for (unsigned i = 0; i < nf; i++) {
            if (r[i]) bytes += len[i];
            else nulls++;
        }
        rows++;
    }
    if (mysql_errno(m)) { fprintf(stderr, "scan: %s\n", mysql_error(m)); return 1; }
    mysql_free_result(res);
    mysql_close(m);
    printf("%llu %llu %llu\n", rows, bytes, nulls);
    return 0;
}
EOF
    # shellcheck disable=SC2046
    cc -O2 -o "$tmp/scan" "$tmp/scan.c" $(pkg-config --cflags --libs libmariadb) ||
        die "compiling the scan peer failed"
fi

if has "$PEERS" zongji; then
    zj=$NPM_DIR/node_modules/@vlasky/zongji/index.js
    if [[ ! -f $zj ]] || ! grep -q "\"version\": \"$ZONGJI_VERSION\"" "$NPM_DIR/node_modules/@vlasky/zongji/package.json"; then
        echo "-- installing @vlasky/zongji@$ZONGJI_VERSION with npm into $NPM_DIR (not timed)"
        mkdir -p "$NPM_DIR"
        (cd "$NPM_DIR" && npm install --no-audit --no-fund --silent "@vlasky/zongji@$ZONGJI_VERSION" 2>&1 |
            grep -v 'Unknown user config' || true)
        [[ -f $zj ]] || die "npm install @vlasky/zongji failed (or run with PEERS without zongji)"
    fi
    cat > "$tmp/zongji-count.mjs" <<EOF
// Counts the rows of app.bench in WRITE_ROWS events from the first binlog
// file on, and exits at N.
import ZongJi from '$zj';
const [host, port, user, password, file, want] = process.argv.slice(2);
const N = Number(want);
let rows = 0, events = 0;
const z = new ZongJi({ host, port: Number(port), user, password });
z.on('error', (e) => { console.error('zongji error:', e); process.exit(1); });
z.on('binlog', (evt) => {
  if (evt.getEventName() !== 'writerows') return;
  events++;
  rows += evt.rows.length;
  if (rows >= N) {
    console.log(rows + ' ' + events);
    process.exit(0);
  }
});
z.start({ serverId: 5999, filename: file, position: 4,
          includeEvents: ['tablemap', 'writerows'], includeSchema: { app: ['bench'] } });
EOF
fi

# ---- MariaDB and the data ------------------------------------------------------

echo "-- MariaDB: a private instance in $tmp/mdb (buffer pool $BUFFER_POOL)"
# Loading speed only: no durability (the data are thrown away).
mdb_start "$tmp/mdb" --innodb-buffer-pool-size="$BUFFER_POOL" --innodb-log-file-size=1G \
    --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --binlog-cache-size=32M \
    --max-allowed-packet=64M || die "MariaDB did not start"

cols_my="id BIGINT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, qty INT NOT NULL,
  amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL, created DATETIME NOT NULL,
  ratio DOUBLE NOT NULL, name VARCHAR(64), note VARCHAR(255) NOT NULL"
cols_flink="id BIGINT, customer_id INT, qty INT, amount DECIMAL(12, 2), status STRING,
  created TIMESTAMP(0), ratio DOUBLE, name STRING, note STRING"
# Row seq: values of every type, 10% NULL names, notes of 54-93 bytes.
row_expr="seq, seq * 7919 % 100000, seq % 100, (seq * 37 % 10000000) / 100,
  ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),
  TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, seq / 7,
  IF(seq % 10 = 0, NULL, CONCAT('customer ', seq * 7919 % 100000, ' of region ', seq % 17)),
  CONCAT('order ', seq, ' for customer ', seq * 7919 % 100000, ' ', REPEAT('x', 20 + seq % 40))"

mdb_sql "CREATE TABLE app.bench ($cols_my) ENGINE=InnoDB;
         CREATE TABLE app.bench_end LIKE app.bench" || die "CREATE TABLE failed"
t0=$(now)
for ((lo = 1; lo <= ROWS; lo += BATCH)); do
    hi=$((lo + BATCH - 1 < ROWS ? lo + BATCH - 1 : ROWS))
    echo "INSERT INTO app.bench SELECT $row_expr FROM seq_${lo}_to_${hi};"
done | mdb_sql --database app || die "loading app.bench failed"
t_load=$(calc "$(now) - $t0")
mapfile -t binlogs < <(mdb_sql "SHOW BINARY LOGS" | cut -f1)
binlog_bytes=$(mdb_sql "SHOW BINARY LOGS" | awk '{ s += $2 } END { printf "%.0f", s }')
read -r data_mb avg_row < <(mdb_sql "SET sql_log_bin = 0; ANALYZE TABLE app.bench" >/dev/null;
    mdb_sql "SELECT ROUND(DATA_LENGTH / 1048576), AVG_ROW_LENGTH FROM information_schema.TABLES
             WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'bench'")
echo "-- loaded $(fmt_int "$ROWS") rows in $(f1 "$t_load") s (not timed): InnoDB $data_mb MB" \
     "($avg_row bytes/row), binlog $(fmt_int "$binlog_bytes") bytes in ${#binlogs[@]} file(s)" \
     "($(f1 "$(calc "$binlog_bytes / $ROWS")") bytes/row)"
echo

src_opts="'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD', 'database-name' = 'app', 'server-id' = '5401'"

# ---- snapshot ----------------------------------------------------------------

scan_peer() { # NAME
    timed "$1" "$tmp/scan" 127.0.0.1 "$MDB_PORT" "$MDB_USER" "$MDB_PASSWORD" "SELECT * FROM app.bench" || return 0
    local n bytes
    read -r n bytes _ < "$T_OUT"
    [[ $n == "$ROWS" ]] || echo "  WARNING: $1 fetched $n rows, not $ROWS" >&2
    SCAN_BYTES=$bytes
    record "$1" "$n" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$bytes"
    report "$1" "$n" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$bytes"
}

if has "$RUNS" snapshot; then
    cat > "$tmp/snapshot.sql" <<EOF
CREATE TABLE src ($cols_flink, PRIMARY KEY (id) NOT ENFORCED) WITH (
  $src_opts, 'table-name' = 'bench',
  'scan.startup.mode' = 'snapshot'${CHUNK:+, 'scan.incremental.snapshot.chunk.size' = '$CHUNK'});
CREATE TABLE bh ($cols_flink) WITH ('connector' = 'blackhole');
INSERT INTO bh SELECT * FROM src;
EOF
    echo "-- snapshot: $(fmt_int "$ROWS") rows (chunk size ${CHUNK:-8096, the default})"
    SCAN_BYTES=
    has "$PEERS" scan && scan_peer "use_result scan 1"
    if timed "sluice snapshot" "$SLUICE" run --verbose "$tmp/snapshot.sql"; then
        n=$(sed -n 's/.*job finished: \([0-9]*\) rows read.*/\1/p' "$tmp/sluice snapshot.err")
        [[ $n == "$ROWS" ]] || echo "  WARNING: sluice read ${n:-?} rows, not $ROWS" >&2
        record "sluice snapshot" "${n:-0}" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$SCAN_BYTES"
        report "sluice snapshot" "${n:-0}" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$SCAN_BYTES"
    fi
    has "$PEERS" scan && scan_peer "use_result scan 2"
    echo
fi

# ---- decode ------------------------------------------------------------------

if has "$RUNS" decode; then
    # The marker: the last event of the binlog, in a second captured table.
    mdb_sql "INSERT INTO app.bench_end SELECT 0, customer_id, qty, amount, status, created, ratio, name, note
             FROM app.bench WHERE id = 1" || die "inserting the marker failed"
    mapfile -t binlogs < <(mdb_sql "SHOW BINARY LOGS" | cut -f1)
    binlog_bytes=$(mdb_sql "SHOW BINARY LOGS" | awk '{ s += $2 } END { printf "%.0f", s }')
    cat > "$tmp/decode.sql" <<EOF
CREATE TABLE src ($cols_flink, PRIMARY KEY (id) NOT ENFORCED) WITH (
  $src_opts, 'table-name' = 'bench|bench_end',
  'scan.startup.mode' = 'earliest-offset');
CREATE TABLE bh ($cols_flink) WITH ('connector' = 'blackhole');
CREATE TABLE marker (id BIGINT, note STRING) WITH ('connector' = 'print');
EXECUTE STATEMENT SET BEGIN
INSERT INTO bh SELECT * FROM src;
INSERT INTO marker SELECT id, note FROM src WHERE id = 0;
END;
EOF
    echo "-- decode: $(fmt_int "$ROWS") row images, binlog $(fmt_int "$binlog_bytes") bytes in ${#binlogs[@]} file(s) (${binlogs[*]})"

    # sluice: from the start of the process to the marker line.
    rm -f "$tmp/job.pid" "$tmp/decode.mark"
    s0=$(server_cpu)
    t0=$(now)
    { /usr/bin/time -o "$tmp/decode.time" -f '%e %U %S %M' timeout -k 5 "$TIMEOUT" \
          sh -c 'echo $$ > "$0"; exec "$@"' "$tmp/job.pid" "$SLUICE" run --verbose "$tmp/decode.sql" \
          2>"$tmp/decode.err" || true; } |
        { if IFS= read -r line; then printf '%s %s\n' "$EPOCHREALTIME" "$line" > "$tmp/decode.mark"; fi
          cat > /dev/null; } &
    jobpid=$!
    while [[ ! -s $tmp/decode.mark ]] && kill -0 "$jobpid" 2>/dev/null; do sleep 0.01; done
    t_srv=$(calc "$(server_cpu) - $s0")
    [[ -s $tmp/job.pid ]] && kill -TERM "$(cat "$tmp/job.pid")" 2>/dev/null || true
    wait "$jobpid" || true
    jobpid=
    rm -f "$tmp/job.pid"
    if [[ -s $tmp/decode.mark ]] && read -r t1 line < "$tmp/decode.mark" && [[ $line == "+I[0,"* ]]; then
        wall=$(calc "$t1 - $t0")
        read -r _ u s rss < <(tail -1 "$tmp/decode.time")
        n=$(sed -n 's/.*job finished: \([0-9]*\) rows read.*/\1/p' "$tmp/decode.err")
        [[ $n == "$((ROWS + 1))" ]] || echo "  WARNING: sluice read ${n:-?} rows, not $ROWS + the marker" >&2
        record "sluice decode" "$ROWS" "$wall" "$(calc "$u + $s")" "$rss" "$t_srv" "$binlog_bytes"
        report "sluice decode" "$ROWS" "$wall" "$(calc "$u + $s")" "$rss" "$t_srv" "$binlog_bytes"
    else
        echo "  sluice decode: FAILED (no marker line):" >&2
        tail -5 "$tmp/decode.err" >&2
    fi

    if has "$PEERS" mariadb-binlog; then
        if timed "mariadb-binlog" mariadb-binlog --no-defaults --read-from-remote-server \
                --host=127.0.0.1 --port="$MDB_PORT" --user=root --verbose \
                --base64-output=DECODE-ROWS --result-file=/dev/null "${binlogs[@]}"; then
            record "mariadb-binlog" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$binlog_bytes"
            report "mariadb-binlog" "$ROWS" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$binlog_bytes"
        fi
    fi

    if has "$PEERS" zongji; then
        if timed "zongji" node "$tmp/zongji-count.mjs" 127.0.0.1 "$MDB_PORT" "$MDB_USER" "$MDB_PASSWORD" \
                "${binlogs[0]}" "$ROWS"; then
            read -r n _ < "$T_OUT"
            [[ $n == "$ROWS" ]] || echo "  WARNING: zongji counted $n rows, not $ROWS" >&2
            record "zongji" "$n" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$binlog_bytes"
            report "zongji" "$n" "$T_WALL" "$T_CPU" "$T_RSS" "$T_SRV" "$binlog_bytes"
        fi
    fi
    echo
fi

# ---- table -------------------------------------------------------------------

echo "== Results: $(fmt_int "$ROWS") rows; rows/s = rows / wall time of the whole process"
echo "   (sluice decode: process start to the marker line); CPU = user + sys of the process;"
echo "   server = mariadbd's CPU during the run; ratio = rows/s / sluice's rows/s of the same run."
echo
printf '| %-18s | %8s | %12s | %8s | %10s | %10s | %9s | %10s | %11s |\n' \
    run "wall s" "rows/s" "MB/s" "CPU s" "CPU ns/row" "max RSS" "server s" "vs sluice"
echo "|--------------------|----------|--------------|----------|------------|------------|-----------|------------|-------------|"
snap_wall=$(awk -F'\t' '$1 == "sluice snapshot" { print $3 }' "$results")
dec_wall=$(awk -F'\t' '$1 == "sluice decode" { print $3 }' "$results")
best_scan=$(awk -F'\t' '$1 ~ /^use_result/ && $3 != "NaN" { if (b == "" || $3 < b) b = $3 } END { print b }' "$results")
while IFS=$'\t' read -r name n wall cpu rss srv bytes; do
    [[ $wall == NaN ]] && continue
    case $name in
        *snapshot*|use_result*) ref=$snap_wall ;;
        *) ref=$dec_wall ;;
    esac
    mbs="-"
    [[ -n ${bytes:-} ]] && mbs=$(f1 "$(calc "$bytes / 1e6 / $wall")")
    vs="-"
    [[ -n $ref && $name != sluice* ]] && vs="$(f2 "$(calc "$ref / $wall")")x"
    printf '| %-18s | %8s | %12s | %8s | %10s | %10s | %6s MB | %10s | %11s |\n' \
        "$name" "$(f2 "$wall")" "$(fmt_int "$(calc "$n / $wall")")" "$mbs" "$(f2 "$cpu")" \
        "$(calc "$cpu * 1e9 / $n" | awk '{ printf "%.0f", $1 }')" \
        "$(calc "$rss / 1024" | awk '{ printf "%.0f", $1 }')" "$(f2 "$srv")" "$vs"
done < "$results"
echo
if [[ -n $snap_wall && -n $best_scan ]]; then
    echo "snapshot: sluice / use_result scan (the faster of the two) = $(f2 "$(calc "$best_scan / $snap_wall")") (goal >= 0.8)"
fi
if [[ -n $dec_wall ]]; then
    dec_cpu=$(awk -F'\t' '$1 == "sluice decode" { print $4 }' "$results")
    echo "decode:   sluice $(fmt_int "$(calc "$ROWS / $dec_wall")") rows/s, $(fmt_int "$(calc "$ROWS / $dec_cpu")") rows per CPU second" \
         "(goal >= 1,000,000 on one core; the source thread does the decoding)"
fi
echo "MB/s: decode = binlog bytes (all files, $(fmt_int "$binlog_bytes")) / wall;" \
     "snapshot = bytes of the result's text values${SCAN_BYTES:+ ($(fmt_int "$SCAN_BYTES"))} / wall"
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); total time: ${SECONDS} s"
