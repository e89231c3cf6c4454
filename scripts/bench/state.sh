#!/usr/bin/env bash
# state.sh - the GROUP BY benchmark (scripts/bench/groupby.sh's job) with
# each state backend, with and without checkpoints.
#
#   scripts/bench/state.sh                     # 1M and 10M keys, about 20 minutes
#   KEYS=1000000 scripts/bench/state.sh        # 1M keys only, about 3 minutes
#
# For each key count N (KEYS, default "1000000 10000000") sluice runs
#   SELECT k, COUNT(*), SUM(amt) FROM src GROUP BY k
# over ROWS rows of datagen (k uniform in [1, N], amt DECIMAL(10,2); not
# rate-limited) into a blackhole sink, with mini-batches (allow-latency 2s,
# size 5000, as the reference job), four times:
#   hashmap, no checkpoints | hashmap, checkpoints every CKPT (10s)
#   rocksdb, no checkpoints | rocksdb, checkpoints every CKPT
# rocksdb with state.backend.rocksdb.block.cache-size = CACHE (8mb), so
# the state is far bigger than RocksDB's cache at 10M keys. Each run is
# timed with /usr/bin/time (wall, user+sys CPU, max RSS); runs with
# checkpoints use a fresh state directory and report the number of
# checkpoints, the longest one (start to complete, including waiting for
# the sink), the longest synchronous part (mini-batch flush + snapshot) and
# the longest time the sources were held (waiting for in-flight work + the
# synchronous part), from `sluice run --verbose`.
#
# ROWS defaults to 2N for N <= 1M and N beyond (10M rows over 10M keys
# leave about 6.3M distinct keys in state). A run with checkpoints gets
# more rows when needed to last at least 3.3 intervals at the rate of the
# run without, which is then repeated with as many rows (the rows column
# says how many); CKPT is in seconds ("10s").
#
# Environment: KEYS, ROWS, CKPT (10s), CACHE (8mb), SLUICE (build/sluice),
# TIMEOUT (seconds per run, 1800), TMPDIR (the state directories; local
# disk). Needs /usr/bin/time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
S=${SLUICE:-$root/build/sluice}
KEYS=${KEYS:-"1000000 10000000"}
CKPT=${CKPT:-10s}
CACHE=${CACHE:-8mb}
TIMEOUT=${TIMEOUT:-1800}
[ -x "$S" ] || { echo "state.sh: no sluice binary at $S (make first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "state.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

job() { # keys rows backend ckpt(0|interval)
  {
    echo "SET 'state.backend' = '$3';"
    echo "SET 'state.backend.rocksdb.block.cache-size' = '$CACHE';"
    echo "SET 'table.exec.mini-batch.enabled' = 'true';"
    echo "SET 'table.exec.mini-batch.allow-latency' = '2s';"
    echo "SET 'table.exec.mini-batch.size' = '5000';"
    [ "$4" != 0 ] && echo "SET 'execution.checkpointing.interval' = '$4';"
    cat <<EOF
CREATE TABLE src (k BIGINT, amt DECIMAL(10,2)) WITH (
  'connector' = 'datagen', 'number-of-rows' = '$2',
  'rows-per-second' = '9223372036854775807',
  'fields.k.min' = '1', 'fields.k.max' = '$1',
  'fields.amt.min' = '0', 'fields.amt.max' = '1000');
CREATE TABLE sink (k BIGINT, c BIGINT, s DECIMAL(38,2)) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT k, COUNT(*), SUM(amt) FROM src GROUP BY k;
EOF
  }
}

# run keys rows backend ckpt: prints one table line; sets RATE
run() {
  local keys=$1 rows=$2 be=$3 ck=$4 sd="$tmp/state" out="$tmp/run.err"
  rm -rf "$sd"
  job "$keys" "$rows" "$be" "$ck" > "$tmp/job.sql"
  local args=(run --verbose)
  [ "$ck" != 0 ] && args+=(--state-dir "$sd")
  if ! timeout "$TIMEOUT" /usr/bin/time -f "TIME %e %U %S %M" "$S" "${args[@]}" "$tmp/job.sql" \
       > /dev/null 2> "$out"; then
    echo "state.sh: $be keys=$keys ckpt=$ck failed:" >&2
    tail -5 "$out" >&2
    RATE=0
    return
  fi
  local t; t=$(grep '^TIME ' "$out" | tail -1)
  local wall cpu rss
  wall=$(echo "$t" | awk '{print $2}')
  cpu=$(echo "$t" | awk '{printf "%.1f", $3 + $4}')
  rss=$(echo "$t" | awk '{printf "%.0f", $5 / 1024}')
  RATE=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')
  local n=- longest=- sync=- pause=- size=-
  if [ "$ck" != 0 ]; then
    n=$(grep -c "checkpoint [0-9]* complete" "$out" || true)
    if [ "$n" -gt 0 ]; then
      longest=$(grep -o "state, [0-9]* ms" "$out" | awk '{ if ($2 > m) m = $2 } END { print m }')
      sync=$(grep -o "([0-9]* ms synchronous" "$out" | tr -d '(' | awk '{ if ($1 > m) m = $1 } END { print m }')
      pause=$(grep -o "sources held [0-9]* ms" "$out" | awk '{ if ($3 > m) m = $3 } END { print m }')
      size=$(grep -o "complete: [0-9]* bytes" "$out" | tail -1 | awk '{ printf "%.0f", $2 / 1048576 }')
    fi
  fi
  printf "%-8s %9s %6s %10s %9s %7s %7s %6s %9s %8s %8s %8s\n" "$be" "$keys" "$ck" "$rows" "$RATE" \
    "$wall" "$cpu" "$rss" "$n" "$longest" "$sync" "$pause"
  [ "$size" != - ] && echo "         (last checkpoint: $size MB of state)"
  return 0
}

ck_rows() { # rows rate: rows for a run of at least 3 checkpoint intervals
  local secs=${CKPT%s}
  awk -v r="$1" -v rate="$2" -v s="$secs" 'BEGIN { n = rate * s * 3.3; printf "%d", (n > r ? n : r) }'
}

echo "sluice $("$S" --version 2>/dev/null | head -1 || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%d)"
printf "%-8s %9s %6s %10s %9s %7s %7s %6s %9s %8s %8s %8s\n" backend keys ckpt rows rows/s wall_s cpu_s rss_MB \
  ckpts longest sync_ms paused_ms
for keys in $KEYS; do
  rows=${ROWS:-$(( keys <= 1000000 ? 2 * keys : keys ))}
  # A run with checkpoints lasts at least 3.3 intervals (more rows at the
  # rate just measured without), so that it takes some; the run without
  # is then repeated with as many rows, so that the two compare.
  both() { # backend: sets B (rows/s on ROWS rows), R0 and R1 (without and with checkpoints)
    run "$keys" "$rows" "$1" 0; R0=$RATE B=$RATE
    local n; n=$(ck_rows "$rows" "$R0")
    [ "$n" != "$rows" ] && { run "$keys" "$n" "$1" 0; R0=$RATE; }
    run "$keys" "$n" "$1" "$CKPT"; R1=$RATE
  }
  both hashmap; hb=$B h0=$R0 h1=$R1
  both rocksdb; rb=$B r0=$R0 r1=$R1
  awk -v k="$keys" -v hb="$hb" -v rb="$rb" -v h0="$h0" -v h1="$h1" -v r0="$r0" -v r1="$r1" 'BEGIN {
    printf "keys %d: rocksdb/hashmap throughput %.3f (same rows, no checkpoints); ", k, hb ? rb / hb : 0
    printf "with checkpoints / without (same rows): hashmap %.3f, rocksdb %.3f\n", h0 ? h1 / h0 : 0, r0 ? r1 / r0 : 0 }'
done
