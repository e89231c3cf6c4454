#!/usr/bin/env bash
# es.sh - throughput of the elasticsearch-7 sink, beside curl posting the
# same bulk bodies, against the test server with indexing off.
#
#   scripts/bench/es.sh                  # 1M documents, about a minute
#   ROWS=200000 scripts/bench/es.sh      # quick run
#
# The job: a datagen source that is not rate-limited (a blackhole-speed
# source: rows-per-second 2^63-1, sequence ids) into an upsert table shaped
# like the reference job's (five columns, a three-column primary key, a
# DECIMAL(13,2) amount), so each row becomes one index action with a
# composite id:
#   INSERT INTO es SELECT 'SC' || id % 50, '2019-03', CAST(id AS STRING),
#                         'subject ' || id % 40, amt FROM src
# The server is tests/es/esserver.py with --no-index: it parses every
# action line and answers a correct per-item response but stores nothing,
# so what is measured is the client side (serialisation, HTTP).
#
#  1. capture: the job runs once against a server started with
#     --save-bodies, which keeps every bulk body sluice sent;
#  2. sluice: the job again, timed (wall clock, user+sys CPU of sluice, max
#     RSS), REPS times;
#  3. curl -K: one curl process posting the captured bodies one after the
#     other over a kept-alive connection (the best a shell loop can do);
#  4. curl loop: `for f in bodies; do curl --data-binary @f ...; done`, one
#     process per bulk, the plain loop.
# The server's own CPU time is reported per run too (it is the same Python
# server for every client, so its share bounds what any client can reach).
#
# Environment: ROWS (1000000), REPS (3), ACTIONS (sink.bulk-flush.max-actions,
# 1000), SLUICE (build/sluice). Needs: curl, /usr/bin/time, python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ROWS=${ROWS:-1000000}
REPS=${REPS:-3}
ACTIONS=${ACTIONS:-1000}
SLUICE=${SLUICE:-$root/build/sluice}

die() { echo "es.sh: $*" >&2; exit 1; }
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "ROWS must be a positive integer"
[[ -x $SLUICE ]] || die "$SLUICE is missing: cd $root && make build/sluice"
command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install -y time"

. "$root/tests/es/lib.sh"
tmp=$(mktemp -d)
trap 'es_cleanup; rm -rf "$tmp"' EXIT

job() { # URL
  cat <<EOF
CREATE TABLE src (id BIGINT, amt DECIMAL(13, 2)) WITH ('connector' = 'datagen',
  'rows-per-second' = '9223372036854775807', 'number-of-rows' = '$ROWS',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '$ROWS',
  'fields.amt.min' = '0', 'fields.amt.max' = '100000');
CREATE TABLE es (serviceCode STRING, accountPeriod STRING, subjectCode STRING,
  subjectName STRING, amt DECIMAL(13, 2),
  PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$1', 'index' = 'income_distribution',
        'index.create-with-mapping' = 'false', 'sink.bulk-flush.max-actions' = '$ACTIONS',
        'sink.bulk-flush.max-size' = '64mb');
INSERT INTO es SELECT 'SC' || CAST(id % 50 AS STRING), '2019-03', CAST(id AS STRING),
  'subject ' || CAST(id % 40 AS STRING), amt FROM src;
EOF
}

cpu_of() { # pid -> user+sys clock ticks so far
  awk '{print $14 + $15}' "/proc/$1/stat"
}
tck=$(getconf CLK_TCK)

echo "== capture: $ROWS documents, bulks of $ACTIONS actions"
mkdir -p "$tmp/bodies"
es_start "$tmp/cap" --no-index --save-bodies "$tmp/bodies" >/dev/null || die "esserver did not start"
job "$ES_URL" > "$tmp/job.sql"
"$SLUICE" run "$tmp/job.sql" 2> "$tmp/cap.err" || { tail -5 "$tmp/cap.err"; die "the capture run failed"; }
es_stop "$tmp/cap" || true
nb=$(ls "$tmp/bodies" | wc -l)
bytes=$(cat "$tmp/bodies"/* | wc -c)
echo "   $nb bulk bodies, $((bytes / 1048576)) MB, $((bytes / ROWS)) bytes per document"

es_start "$tmp/es" --no-index >/dev/null || die "esserver did not start"
job "$ES_URL" > "$tmp/job.sql"
srv=$ES_PID

report() { # name wall_s cpu_s srv_s [rss_kb]
  awk -v n="$1" -v w="$2" -v c="$3" -v s="$4" -v r="${5:-}" -v rows="$ROWS" 'BEGIN {
    printf "%-28s %8.2f s  %9.0f docs/s  client CPU %6.2f s (%5.2f us/doc)  server CPU %6.2f s%s\n",
      n, w, rows / w, c, c * 1e6 / rows, s, r != "" ? sprintf("  max RSS %d MB", r / 1024) : "" }'
}

echo "== sluice, the same job into blackhole (the source and projection alone)"
python3 - "$tmp/job.sql" "$tmp/bh.sql" <<'PY'
import re, sys
sql = open(sys.argv[1]).read()
sql = re.sub(r"WITH \('connector' = 'elasticsearch-7'.*?'64mb'\)", "WITH ('connector' = 'blackhole')", sql, flags=re.S)
open(sys.argv[2], 'w').write(sql)
PY
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$SLUICE" run "$tmp/bh.sql" 2> "$tmp/run.err" ||
  { tail -5 "$tmp/run.err"; die "sluice failed"; }
read -r w u sy rss < "$tmp/time"
report "sluice into blackhole" "$w" "$(echo "$u + $sy" | bc -l)" 0 "$rss"

echo "== sluice (elasticsearch-7 sink), $REPS runs"
for i in $(seq 1 "$REPS"); do
  s0=$(cpu_of "$srv")
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$SLUICE" run "$tmp/job.sql" 2> "$tmp/run.err" ||
    { tail -5 "$tmp/run.err"; die "sluice failed"; }
  s1=$(cpu_of "$srv")
  read -r w u sy rss < "$tmp/time"
  report "sluice run $i" "$w" "$(echo "$u + $sy" | bc -l)" "$(echo "($s1 - $s0) / $tck" | bc -l)" "$rss"
done

echo "== curl -K: one process, keep-alive, the same $nb bodies, $REPS runs"
first=1
for f in "$tmp"/bodies/*; do
  [ $first = 1 ] || echo next
  first=0
  printf 'url = "%s/_bulk"\ndata-binary = "@%s"\nheader = "Content-Type: application/x-ndjson"\noutput = "/dev/null"\n' \
    "$ES_URL" "$f"
done > "$tmp/curl.cfg"
for i in $(seq 1 "$REPS"); do
  s0=$(cpu_of "$srv")
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" curl -s -K "$tmp/curl.cfg" || die "curl failed"
  s1=$(cpu_of "$srv")
  read -r w u sy rss < "$tmp/time"
  report "curl -K run $i" "$w" "$(echo "$u + $sy" | bc -l)" "$(echo "($s1 - $s0) / $tck" | bc -l)"
done

echo "== curl loop: one process per bulk"
cat > "$tmp/loop.sh" <<EOF
for f in "$tmp"/bodies/*; do
  curl -s -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary "@\$f" "$ES_URL/_bulk" || exit 1
done
EOF
s0=$(cpu_of "$srv")
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" bash "$tmp/loop.sh" || die "the curl loop failed"
s1=$(cpu_of "$srv")
read -r w u sy rss < "$tmp/time"
report "curl loop" "$w" "$(echo "$u + $sy" | bc -l)" "$(echo "($s1 - $s0) / $tck" | bc -l)"
