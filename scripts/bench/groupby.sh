#!/usr/bin/env bash
# groupby.sh - streaming GROUP BY throughput of sluice, beside PostgreSQL 15.
#
#   scripts/bench/groupby.sh                 # 10M rows, 5-7 minutes
#   ROWS=1000000 scripts/bench/groupby.sh    # quick run
#
# For each key count (KEYS, default 1K, 100K and 10M: the keys are uniform
# in [1, N]) sluice runs, on ROWS rows of datagen (k BIGINT, amt
# DECIMAL(10,2)) into a blackhole sink:
#   - the source alone:  INSERT INTO bh SELECT * FROM src
#   - SELECT k, COUNT(*), SUM(amt) FROM src GROUP BY k, mini-batch off
#   - the same with table.exec.mini-batch.enabled=true, allow-latency=2s,
#     size=5000
# each timed with /usr/bin/time (wall clock, user+sys CPU, max RSS). The
# datagen source is not rate-limited: rows-per-second is 2^63-1, so every
# batch is due at once (see src/connectors/datagen/datagen.c).
#
# Then a private PostgreSQL 15 (initdb into a temporary directory, its own
# loopback port and socket directory, stopped and removed on exit; no
# system service is touched) gets the same number of rows with the same
# key and value ranges from generate_series() and random() (loading is not
# timed), and the same GROUP BY is timed with EXPLAIN (ANALYZE, TIMING OFF)
# ("Execution Time", so no result rows travel to a client), median of
# PG_REPS (3) runs (fewer once a setting has run 20 s), with
# max_parallel_workers_per_gather = 0 and = 2.
#
# A changelog variant (CDC_LINES lines, default ROWS/5, 0 skips it): a
# debezium-json file of creates, updates and deletes (groupby/gen_debezium.awk,
# 100K keys) read by the filesystem source, alone and into the GROUP BY.
# It is reported separately: JSON parsing is part of its cost.
#
# Environment: ROWS, KEYS ("1000 100000 10000000"), CDC_LINES, CDC_KEYS
# (100000), PG (1; 0 skips PostgreSQL), PG_BIN (/usr/lib/postgresql/15/bin),
# SLUICE (build/sluice), TIMEOUT (seconds per sluice run, 240), PG_REPS (3).
# Needs: /usr/bin/time, postgresql-15 (apt-get install -y postgresql).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ROWS=${ROWS:-10000000}
KEYS=${KEYS:-"1000 100000 10000000"}
CDC_LINES=${CDC_LINES:-$((ROWS / 5))}
CDC_KEYS=${CDC_KEYS:-100000}
PG=${PG:-1}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_REPS=${PG_REPS:-3}
SLUICE=${SLUICE:-$root/build/sluice}
TIMEOUT=${TIMEOUT:-240}
MB_OPTS=(--set table.exec.mini-batch.enabled=true
         --set table.exec.mini-batch.allow-latency=2s
         --set table.exec.mini-batch.size=5000)

die() { echo "groupby.sh: $*" >&2; exit 1; }

[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "ROWS must be a positive integer"
[[ $CDC_LINES =~ ^[0-9]+$ ]] || die "CDC_LINES must be an integer"
[[ -x $SLUICE ]] || die "$SLUICE is missing: cd $root && make build/sluice"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install -y time"
if [[ $PG != 0 && ! -x $PG_BIN/postgres ]]; then
    die "$PG_BIN/postgres is missing: apt-get install -y postgresql (or PG=0)"
fi

tmp=$(mktemp -d /tmp/sluice-bench-groupby.XXXXXX)
chmod 755 "$tmp"
pg_started=0

as_pg() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ $pg_started == 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private copy: a rebuild of build/sluice during the run changes nothing.
cp "$SLUICE" "$tmp/sluice"
SLUICE=$tmp/sluice

# ---- helpers ----------------------------------------------------------------

fmt_int() { # 12345678 -> 12,345,678
    awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o }'
}
fmt_keys() { # 1000 -> 1K, 100000 -> 100K, 10000000 -> 10M
    awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) print n / 1e6 "M";
        else if (n >= 1e3 && n % 1e3 == 0) print n / 1e3 "K"; else print n }'
}
calc() { awk "BEGIN { printf \"%s\", $* }"; }

# run_sluice NAME FILE [ARGS...]: sets R_WALL R_CPU R_RSS R_READ R_WRITTEN
run_sluice() {
    local name=$1 file=$2
    shift 2
    local tf=$tmp/$name.time ef=$tmp/$name.err
    if ! /usr/bin/time -o "$tf" -f '%e %U %S %M' \
            timeout --foreground -k 5 "$TIMEOUT" "$SLUICE" run --verbose "$@" "$file" >"$ef" 2>&1; then
        echo "  $name: FAILED (timeout ${TIMEOUT}s or error):" >&2
        tail -5 "$ef" >&2
        R_WALL=NaN R_CPU=NaN R_RSS=0 R_READ=0 R_WRITTEN=0
        return 0
    fi
    read -r R_WALL u s R_RSS < <(tail -1 "$tf")
    R_CPU=$(calc "$u + $s")
    R_READ=$(sed -n 's/.*job finished: \([0-9]*\) rows read.*/\1/p' "$ef")
    R_WRITTEN=$(sed -n 's/.*rows read, \([0-9]*\) rows written.*/\1/p' "$ef")
    [[ -n $R_READ ]] || die "$name: no 'job finished' line from sluice run --verbose"
    printf '  %-22s %7.2f s wall  %7.2f s cpu  %8s rows/s  %7s MB max RSS  (%s read, %s written)\n' \
        "$name" "$R_WALL" "$R_CPU" "$(fmt_int "$(calc "$R_READ / $R_WALL")")" \
        "$(calc "$R_RSS / 1024" | awk '{ printf "%.0f", $1 }')" "$R_READ" "$R_WRITTEN"
}

datagen_ddl() { # N
    cat <<EOF
CREATE TABLE src (k BIGINT, amt DECIMAL(10,2)) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '$ROWS',
  'rows-per-second' = '9223372036854775807',
  'fields.k.min' = '1', 'fields.k.max' = '$1',
  'fields.amt.min' = '0', 'fields.amt.max' = '1000');
EOF
}

write_jobs() { # N
    { datagen_ddl "$1"
      echo "CREATE TABLE bh (k BIGINT, amt DECIMAL(10,2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO bh SELECT * FROM src;"; } > "$tmp/src-$1.sql"
    { datagen_ddl "$1"
      echo "CREATE TABLE sink (k BIGINT, c BIGINT, s DECIMAL(38,2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO sink SELECT k, COUNT(*), SUM(amt) FROM src GROUP BY k;"; } > "$tmp/gb-$1.sql"
}

psql_q() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$tmp/sock" -p "$pg_port" -U bench -d postgres "$@"; }

free_port() {
    local p
    for p in $(seq 55432 55532); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free loopback port in 55432..55532"
}

pg_start() {
    mkdir -p "$tmp/pg" "$tmp/sock"
    chown postgres: "$tmp/pg" "$tmp/sock" 2>/dev/null || true
    as_pg "$PG_BIN/initdb" -D "$tmp/pg" -U bench -A trust --no-sync -E UTF8 --locale=C \
        >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
    pg_port=$(free_port)
    pg_started=1
    # Private, throwaway instance: no durability, everything in memory.
    as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -l "$tmp/sock/pg.log" -w \
        -o "-p $pg_port -k $tmp/sock -c listen_addresses=127.0.0.1 -c shared_buffers=2GB \
            -c work_mem=4GB -c max_parallel_workers=2 -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 \
            -c statement_timeout=${TIMEOUT}s" start >/dev/null \
        || { cat "$tmp/sock/pg.log" >&2; die "PostgreSQL did not start"; }
}

# pg_query N WORKERS: sets P_MS (median Execution Time) P_PLAN P_GROUPS P_MEM
pg_query() {
    local n=$1 w=$2 i out times=()
    local q="SELECT k, COUNT(*), SUM(amt) FROM t$n GROUP BY k"
    local spent=0
    # PG_REPS runs, fewer when they are long (the whole script stays < 10 min)
    for ((i = 0; i < PG_REPS && spent < 20000; i++)); do
        out=$(psql_q -c "SET max_parallel_workers_per_gather = $w" \
            -c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $q")
        times+=("$(sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' <<<"$out")")
        spent=$((spent + ${times[-1]%.*}))
    done
    P_MS=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    # The top node (Finalize HashAggregate, HashAggregate, GroupAggregate...)
    P_PLAN=$(head -1 <<<"$out" | sed 's/ *(actual.*//')
    P_GROUPS=$(head -1 <<<"$out" | sed -n 's/.*actual rows=\([0-9]*\).*/\1/p')
    P_MEM=$(grep -m1 -o 'Memory Usage: [0-9]*kB' <<<"$out" | grep -o '[0-9]*' || echo 0)
    P_DISK=$(grep -o 'Disk Usage: [0-9]*kB' <<<"$out" | head -1 | grep -o '[0-9]*' || true)
    if grep -q '^JIT:' <<<"$out"; then P_PLAN+=" +JIT"; fi
    printf '  %-22s %7.2f s  %12s rows/s  (%s; median of %s: %s ms)%s\n' \
        "PostgreSQL workers=$w" "$(calc "$P_MS / 1000")" \
        "$(fmt_int "$(calc "$n_rows / ($P_MS / 1000)")")" "$P_PLAN" "${#times[@]}" "${times[*]}" \
        "${P_DISK:+  SPILLED ${P_DISK}kB to disk}"
}

# ---- the machine -------------------------------------------------------------

n_rows=$ROWS
echo "== GROUP BY benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:    $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
     "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
     "$(uname -sr)$(lscpu | grep -q '^Hypervisor' && echo ", virtual machine")"
echo "sluice:     $("$SLUICE" --version) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ', modified tree')), CFLAGS $(sed -n 's/^SL_CFLAGS = //p' "$root/config.mk" 2>/dev/null)"
if [[ $PG != 0 ]]; then echo "postgresql: $("$PG_BIN/postgres" --version)"; fi
echo "rows:       $(fmt_int "$ROWS") per run; keys: $KEYS; mini-batch on = allow-latency 2s, size 5000"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load:       $load (1, 5, 15 min)"
if awk -v l="${load%% *}" 'BEGIN { exit !(l > 0.5) }'; then
    echo "WARNING: the machine is busy (load ${load%% *}): other processes share the $(nproc) cores;"
    echo "         wall-clock rates will be low and noisy (the CPU-time columns much less so)."
fi
echo

# ---- sluice ------------------------------------------------------------------

declare -A S_SRC S_OFF S_ON C_SRC C_OFF C_ON M_OFF M_ON G_PG0 G_PG2 PLAN0 PLAN2 MEM0 NGROUPS
for n in $KEYS; do
    write_jobs "$n"
    echo "-- sluice, keys in [1, $(fmt_int "$n")]"
    run_sluice "source only" "$tmp/src-$n.sql"
    S_SRC[$n]=$R_WALL C_SRC[$n]=$R_CPU
    run_sluice "GROUP BY, mini-batch off" "$tmp/gb-$n.sql"
    S_OFF[$n]=$R_WALL C_OFF[$n]=$R_CPU M_OFF[$n]=$R_RSS
    run_sluice "GROUP BY, mini-batch on" "$tmp/gb-$n.sql" "${MB_OPTS[@]}"
    S_ON[$n]=$R_WALL C_ON[$n]=$R_CPU M_ON[$n]=$R_RSS
done

# ---- PostgreSQL --------------------------------------------------------------

if [[ $PG != 0 ]]; then
    echo
    echo "-- PostgreSQL: starting a private instance in $tmp/pg"
    pg_start
    for n in $KEYS; do
        t0=$SECONDS
        psql_q <<EOF
CREATE UNLOGGED TABLE t$n (k BIGINT NOT NULL, amt NUMERIC(10,2) NOT NULL);
INSERT INTO t$n
  SELECT 1 + floor(random() * $n)::bigint, (floor(random() * 100001) / 100)::numeric(10,2)
  FROM generate_series(1, $ROWS);
VACUUM (FREEZE, ANALYZE) t$n;
EOF
        echo "-- PostgreSQL, keys in [1, $(fmt_int "$n")]: loaded $(fmt_int "$ROWS") rows in $((SECONDS - t0)) s (not timed)"
        pg_query "$n" 0
        G_PG0[$n]=$P_MS PLAN0[$n]=$P_PLAN MEM0[$n]=$P_MEM NGROUPS[$n]=$P_GROUPS
        pg_query "$n" 2
        G_PG2[$n]=$P_MS PLAN2[$n]=$P_PLAN
        psql_q -c "DROP TABLE t$n"
    done
fi

# ---- changelog ---------------------------------------------------------------

if [[ $CDC_LINES -gt 0 ]]; then
    echo
    echo "-- changelog: generating $(fmt_int "$CDC_LINES") debezium-json lines, keys in [1, $(fmt_int "$CDC_KEYS")] (not timed)"
    awk -v lines="$CDC_LINES" -v keys="$CDC_KEYS" -v seed=42 \
        -f "$here/groupby/gen_debezium.awk" > "$tmp/cdc.json"
    cdc_ddl="CREATE TABLE cdc (id BIGINT, k BIGINT, amt DECIMAL(10,2)) WITH (
  'connector' = 'filesystem', 'path' = '$tmp/cdc.json', 'format' = 'debezium-json');"
    { echo "$cdc_ddl"
      echo "CREATE TABLE bh (id BIGINT, k BIGINT, amt DECIMAL(10,2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO bh SELECT * FROM cdc;"; } > "$tmp/cdc-src.sql"
    { echo "$cdc_ddl"
      echo "CREATE TABLE sink (k BIGINT, c BIGINT, s DECIMAL(38,2)) WITH ('connector' = 'blackhole');"
      echo "INSERT INTO sink SELECT k, COUNT(*), SUM(amt) FROM cdc GROUP BY k;"; } > "$tmp/cdc-gb.sql"
    run_sluice "cdc source only" "$tmp/cdc-src.sql"
    CW_SRC=$R_WALL CC_SRC=$R_CPU CM_SRC=$R_RSS CDC_ROWS=$R_READ
    run_sluice "cdc GROUP BY, mb off" "$tmp/cdc-gb.sql"
    CW_OFF=$R_WALL CC_OFF=$R_CPU CM_OFF=$R_RSS
    run_sluice "cdc GROUP BY, mb on" "$tmp/cdc-gb.sql" "${MB_OPTS[@]}"
    CW_ON=$R_WALL CC_ON=$R_CPU CM_ON=$R_RSS
fi

# ---- tables ------------------------------------------------------------------

rate() { [[ -n ${1:-} && $1 != NaN ]] && fmt_int "$(calc "$2 / $1")" || echo "-"; }
rate_ms() { [[ -n ${1:-} ]] && fmt_int "$(calc "$2 / ($1 / 1000)")" || echo "-"; }
ratio() { # sluice wall s, pg ms
    [[ -n ${1:-} && $1 != NaN && -n ${2:-} ]] && calc "($2 / 1000) / $1" | awk '{ printf "%.2f", $1 }' || echo "-"
}
nsrow() { # cpu s - cpu s, per row
    [[ $1 != NaN && $2 != NaN ]] && calc "($1 - $2) * 1e9 / $ROWS" | awk '{ printf "%.0f", $1 }' || echo "-"
}
mb() { calc "$1 / 1024" | awk '{ printf "%.0f", $1 }'; }

echo
echo "== Results: $(fmt_int "$ROWS") rows, rows/s = rows / wall time (sluice: whole process; PostgreSQL: Execution Time)"
echo
printf '| %-5s | %-16s | %-16s | %-16s | %-17s | %-17s | %-15s | %-15s | %-15s |\n' \
    keys "sluice mb off" "sluice mb on" "source only" "PostgreSQL 1 core" "PostgreSQL 2 wkrs" \
    "off / PG 1 core" "on / PG 1 core" "max RSS off/on"
echo "|-------|------------------|------------------|------------------|-------------------|-------------------|-----------------|-----------------|-----------------|"
for n in $KEYS; do
    printf '| %-5s | %16s | %16s | %16s | %17s | %17s | %15s | %15s | %15s |\n' \
        "$(fmt_keys "$n")" "$(rate "${S_OFF[$n]}" "$ROWS")" "$(rate "${S_ON[$n]}" "$ROWS")" \
        "$(rate "${S_SRC[$n]}" "$ROWS")" "$(rate_ms "${G_PG0[$n]:-}" "$ROWS")" \
        "$(rate_ms "${G_PG2[$n]:-}" "$ROWS")" "$(ratio "${S_OFF[$n]}" "${G_PG0[$n]:-}")" \
        "$(ratio "${S_ON[$n]}" "${G_PG0[$n]:-}")" "$(mb "${M_OFF[$n]}")/$(mb "${M_ON[$n]}") MB"
done
echo
echo "Derived: the GROUP BY's own CPU cost = (CPU of the GROUP BY run - CPU of the source-only run) / rows"
echo "(CPU = user + sys of the whole process; the source runs on its own thread, beside the operators)."
echo
printf '| %-5s | %-14s | %-14s | %-14s | %-14s | %-14s | %-30s | %-16s |\n' \
    keys "distinct keys" "agg ns/row off" "agg ns/row on" "CPU% off/on" "src ns/row" "PostgreSQL plan (1 core)" "PG hash memory"
echo "|-------|----------------|----------------|----------------|----------------|----------------|--------------------------------|------------------|"
for n in $KEYS; do
    exp=$(calc "$n * (1 - exp($ROWS * log(1 - 1 / $n)))" | awk '{ printf "%.0f", $1 }')
    cpu_pct="-"
    if [[ ${S_OFF[$n]} != NaN && ${S_ON[$n]} != NaN ]]; then
        cpu_pct="$(calc "100 * ${C_OFF[$n]} / ${S_OFF[$n]}" | awk '{ printf "%.0f", $1 }')/$(calc "100 * ${C_ON[$n]} / ${S_ON[$n]}" | awk '{ printf "%.0f", $1 }')%"
    fi
    printf '| %-5s | %14s | %14s | %14s | %14s | %14s | %-30s | %16s |\n' \
        "$(fmt_keys "$n")" "$(fmt_int "${NGROUPS[$n]:-$exp}")" \
        "$(nsrow "${C_OFF[$n]}" "${C_SRC[$n]}")" "$(nsrow "${C_ON[$n]}" "${C_SRC[$n]}")" \
        "$cpu_pct" "$(nsrow "${C_SRC[$n]}" 0)" "${PLAN0[$n]:--}" \
        "$( [[ -n ${MEM0[$n]:-} ]] && echo "$(mb "${MEM0[$n]}") MB" || echo -)"
done
if [[ $PG != 0 ]]; then
    echo
    echo "PostgreSQL with 2 workers: $(for n in $KEYS; do printf '%s: %s; ' "$(fmt_keys "$n")" "${PLAN2[$n]}"; done)"
fi

if [[ $CDC_LINES -gt 0 ]]; then
    echo
    echo "== Changelog: $(fmt_int "$CDC_LINES") debezium-json lines = $(fmt_int "${CDC_ROWS:-0}") rows (+I, -U/+U, -D), keys in [1, $(fmt_int "$CDC_KEYS")]"
    echo
    echo "| run                        | rows/s       | lines/s      | max RSS | agg CPU ns/row |"
    echo "|----------------------------|--------------|--------------|---------|----------------|"
    printf '| %-26s | %12s | %12s | %4s MB | %14s |\n' "source only (JSON parsing)" \
        "$(rate "$CW_SRC" "${CDC_ROWS:-0}")" "$(rate "$CW_SRC" "$CDC_LINES")" "$(mb "$CM_SRC")" "-"
    printf '| %-26s | %12s | %12s | %4s MB | %14s |\n' "GROUP BY, mini-batch off" \
        "$(rate "$CW_OFF" "${CDC_ROWS:-0}")" "$(rate "$CW_OFF" "$CDC_LINES")" "$(mb "$CM_OFF")" \
        "$(ROWS=${CDC_ROWS:-1} nsrow "$CC_OFF" "$CC_SRC")"
    printf '| %-26s | %12s | %12s | %4s MB | %14s |\n' "GROUP BY, mini-batch on" \
        "$(rate "$CW_ON" "${CDC_ROWS:-0}")" "$(rate "$CW_ON" "$CDC_LINES")" "$(mb "$CM_ON")" \
        "$(ROWS=${CDC_ROWS:-1} nsrow "$CC_ON" "$CC_SRC")"
fi
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); total time: ${SECONDS} s"
