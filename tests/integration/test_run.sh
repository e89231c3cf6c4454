#!/usr/bin/env bash
# test_run.sh - sluice run and explain end to end: the reference job on
# files, mini-batch on/off, planning and runtime errors with positions, and
# a clean stop of an unbounded job on SIGTERM.
set -uo pipefail
S=${SLUICE:?}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
cd "$top"

# The reference job's aggregation over debezium-json files: exact sums.
expected='+I[SC4000, 2019-03, yr_kk, Annual fee, 135.35]
+I[SC5000, 2019-04, zz_01, Service charge, 1.99]'
"$S" run examples/reference_job_files.sql > "$tmp/out" 2> "$tmp/err"; rc=$?
check "reference job (files) exits 0" test $rc -eq 0
check "reference job (files) result" test "$(cat "$tmp/out")" = "$expected"
for mb in false true; do
  "$S" run --set table.exec.mini-batch.enabled=$mb --set table.exec.mini-batch.size=1 \
    examples/reference_job_files.sql > "$tmp/out.$mb" 2>&1
done
# Without mini-batch every change is emitted; the final state is the same.
final() { # materialize a print changelog into its final rows
  awk '{k=substr($0,4)} /^\+I|^\+U/{c[k]++} /^-U|^-D/{c[k]--} END{for(k in c) for(i=0;i<c[k];i++) print k}' "$1" | sort
}
check "mini-batch off and on converge" test "$(final "$tmp/out.false")" = "$(final "$tmp/out.true")"

# EXPLAIN shows operators and changelog modes.
"$S" explain examples/reference_job_files.sql > "$tmp/plan" 2>&1
check "explain prints a group aggregate" grep -q 'GroupAggregate(groupBy=' "$tmp/plan"
check "explain prints changelog modes" grep -q 'changelogMode=\[I,UB,UA,D\]' "$tmp/plan"
check "explain shares the dimension scan" test "$(grep -c 'TableSourceScan(table=\[subject_info\]' "$tmp/plan")" -eq 2

# Split DISTINCT (table.optimizer.distinct-agg.split.enabled): two levels,
# the inner one grouped by a bucket of the distinct value, same results.
mkdir -p "$tmp/split"
cat > "$tmp/split/changes.json" <<'JSON'
{"before":null,"after":{"g":"hot","u":1,"x":10.50},"op":"c"}
{"before":null,"after":{"g":"hot","u":2,"x":3.25},"op":"c"}
{"before":null,"after":{"g":"hot","u":1,"x":1.00},"op":"c"}
{"before":null,"after":{"g":"cold","u":7,"x":null},"op":"c"}
{"before":{"g":"hot","u":1,"x":10.50},"after":{"g":"hot","u":3,"x":10.50},"op":"u"}
{"before":{"g":"hot","u":2,"x":3.25},"after":null,"op":"d"}
{"before":null,"after":{"g":"cold","u":7,"x":2.00},"op":"c"}
JSON
cat > "$tmp/split.sql" <<SQL
CREATE TABLE ev (g STRING, u INT, x DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = '$tmp/split/changes.json', 'format' = 'debezium-json');
CREATE TABLE out_t (g STRING, users BIGINT, total DECIMAL(38, 2), avg_u INT, lo DECIMAL(10, 2), n BIGINT)
  WITH ('connector' = 'print');
INSERT INTO out_t SELECT g, COUNT(DISTINCT u), SUM(x), AVG(DISTINCT u), MIN(x), COUNT(*) FROM ev GROUP BY g;
SQL
"$S" explain --set table.optimizer.distinct-agg.split.enabled=true "$tmp/split.sql" > "$tmp/split.plan" 2>&1
check "split distinct: inner level grouped by a bucket" grep -q 'GroupAggregate(groupBy=\[g, \$bucket\]' "$tmp/split.plan"
check "split distinct: outer level sums the partial counts" grep -q 'SUM0(COUNT(DISTINCT u))' "$tmp/split.plan"
"$S" run --set table.optimizer.distinct-agg.split.enabled=true "$tmp/split.sql" > "$tmp/split.on" 2>&1
"$S" run "$tmp/split.sql" > "$tmp/split.off" 2>&1
check "split distinct: exact final rows" test "$(final "$tmp/split.on")" = "cold, 1, 2.00, 7, 2.00, 2]
hot, 2, 11.50, 2, 1.00, 2]"
check "split distinct: same result as one level" test "$(final "$tmp/split.on")" = "$(final "$tmp/split.off")"

# Lookup joins (FOR SYSTEM_TIME AS OF a processing-time attribute) against
# a filesystem table: LEFT and INNER with a residual condition, on a
# changelog input whose retractions come from the operator's state.
mkdir -p "$tmp/lk"
printf 'SC4000,yr_kk,Annual fee\nSC5000,zz_01,Service charge\nSC6000,xx,Other\n' > "$tmp/lk/dim.csv"
cat > "$tmp/lk/ch.json" <<'JSON'
{"before":null,"after":{"id":1,"code":"SC4000"},"op":"c"}
{"before":null,"after":{"id":2,"code":"SC9999"},"op":"c"}
{"before":{"id":1,"code":"SC4000"},"after":{"id":1,"code":"SC5000"},"op":"u"}
{"before":{"id":2,"code":"SC9999"},"after":null,"op":"d"}
{"before":{"id":1,"code":"SC5000"},"after":null,"op":"d"}
JSON
cat > "$tmp/lk.sql" <<SQL
CREATE TABLE facts (id INT, code STRING, pt AS PROCTIME())
  WITH ('connector' = 'filesystem', 'path' = '$tmp/lk/ch.json', 'format' = 'debezium-json');
CREATE TABLE dim (code STRING, sub STRING, name STRING)
  WITH ('connector' = 'filesystem', 'path' = '$tmp/lk/dim.csv', 'format' = 'csv');
CREATE TABLE o_left (id INT, code STRING, sub STRING) WITH ('connector' = 'print');
CREATE TABLE o_inner (id INT, code STRING, sub STRING) WITH ('connector' = 'print', 'print-identifier' = 'inner');
INSERT INTO o_left SELECT f.id, f.code, d.sub FROM facts AS f
  LEFT JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.code = d.code;
INSERT INTO o_inner SELECT f.id, f.code, d.sub FROM facts AS f
  JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.code = d.code AND d.name <> 'Service charge';
SQL
"$S" run "$tmp/lk.sql" > "$tmp/lk.out" 2>&1
check "lookup join: LEFT with retractions" test "$(grep -v '^inner' "$tmp/lk.out")" = "+I[1, SC4000, yr_kk]
+I[2, SC9999, null]
-U[1, SC4000, yr_kk]
+U[1, SC5000, zz_01]
-D[2, SC9999, null]
-D[1, SC5000, zz_01]"
check "lookup join: INNER with a residual condition" test "$(grep '^inner' "$tmp/lk.out")" = "inner> +I[1, SC4000, yr_kk]
inner> -U[1, SC4000, yr_kk]"
"$S" explain "$tmp/lk.sql" > "$tmp/lk.plan" 2>&1
check "lookup join: explain" grep -q 'LookupJoin(table=\[dim\], connector=\[filesystem\], joinType=\[LeftOuterJoin\], lookup=\[code=code\])' "$tmp/lk.plan"
cat > "$tmp/lk_bad.sql" <<SQL
CREATE TABLE facts (id INT, code STRING, pt AS PROCTIME())
  WITH ('connector' = 'filesystem', 'path' = '$tmp/lk/ch.json', 'format' = 'debezium-json');
CREATE TABLE dim (code STRING, sub STRING, name STRING)
  WITH ('connector' = 'filesystem', 'path' = '$tmp/lk/dim.csv', 'format' = 'csv');
CREATE TABLE o_left (id INT, code STRING, sub STRING) WITH ('connector' = 'print');
INSERT INTO o_left SELECT f.id, f.code, d.sub FROM facts AS f
  JOIN dim FOR SYSTEM_TIME AS OF f.pt AS d ON f.code <> d.code;
SQL
"$S" run "$tmp/lk_bad.sql" > "$tmp/lk_bad.out" 2>&1
check "lookup join without an equality is a positioned error" grep -q "lk_bad.sql:7:.*a lookup join needs ON conditions that equate columns of 'dim'" "$tmp/lk_bad.out"

# Planning errors point at the SQL.
cat > "$tmp/append.sql" <<'SQL'
CREATE TABLE src (k STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3');
CREATE TABLE out1 (k STRING, c BIGINT) WITH ('connector' = 'filesystem', 'path' = '/dev/null', 'format' = 'csv');
INSERT INTO out1 SELECT k, COUNT(*) FROM src GROUP BY k;
SQL
"$S" run "$tmp/append.sql" > "$tmp/out" 2>&1; rc=$?
check "append-only sink fed updates exits 1" test $rc -eq 1
check "append-only sink error names the sink and operator" grep -q 'append.sql:3:13: error: table .out1. .*append-only sink.*GroupAggregate at line 3' "$tmp/out"

printf "CREATE TABLE s (a INT) WITH ('connector'='nope');\nCREATE TABLE o (a INT) WITH ('connector'='print');\nINSERT INTO o SELECT a FROM s;\n" > "$tmp/conn.sql"
"$S" run "$tmp/conn.sql" > "$tmp/out" 2>&1; rc=$?
check "unknown connector exits 1" test $rc -eq 1
check "unknown connector is positioned and lists the known ones" grep -q "conn.sql:1:42: error: unknown connector 'nope'; available connectors: .*datagen" "$tmp/out"

printf "CREATE TABLE s (a INT) WITH ('connector'='datagen', 'rows-per-secnd'='1');\nCREATE TABLE o (a INT) WITH ('connector'='print');\nINSERT INTO o SELECT a FROM s;\n" > "$tmp/opt.sql"
"$S" run "$tmp/opt.sql" > "$tmp/out" 2>&1
check "unknown option is positioned and lists the known ones" grep -q "opt.sql:1:53: error: unsupported option 'rows-per-secnd' for connector 'datagen'; supported options: number-of-rows" "$tmp/out"

# Runtime errors name the expression's position.
cat > "$tmp/div.sql" <<'SQL'
CREATE TABLE src (id BIGINT, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '5', 'fields.v.min' = '0', 'fields.v.max' = '0');
CREATE TABLE out2 (id BIGINT, r INT) WITH ('connector' = 'blackhole');
INSERT INTO out2 SELECT id, 10 / v FROM src;
SQL
"$S" run "$tmp/div.sql" > "$tmp/out" 2>&1; rc=$?
check "division by zero fails the job" test $rc -eq 1
check "division by zero is positioned" grep -q 'div.sql:3:29: error: division by zero' "$tmp/out"

# An unbounded job stops cleanly on SIGTERM and flushes what it read.
cat > "$tmp/unb.sql" <<SQL
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1000', 'fields.id.min' = '1', 'fields.id.max' = '3');
CREATE TABLE out3 (id BIGINT, c BIGINT) WITH ('connector' = 'filesystem', 'path' = '$tmp/unb.json', 'format' = 'debezium-json');
INSERT INTO out3 SELECT id, COUNT(*) FROM src GROUP BY id;
SQL
"$S" run --set table.exec.mini-batch.enabled=true --set table.exec.mini-batch.allow-latency=100ms "$tmp/unb.sql" > "$tmp/out" 2>&1 &
pid=$!
sleep 1.5
kill -TERM $pid
wait $pid; rc=$?
check "unbounded job exits 0 on SIGTERM" test $rc -eq 0
check "unbounded job wrote its aggregates" grep -q '"op"' "$tmp/unb.json"

# Upsert materializer: two upstream groups share one sink key; retracting
# the later one must bring the earlier one back, not delete the key.
cat > "$tmp/mat.json" <<'JSON'
{"before":null,"after":{"k":1,"name":"a","v":10},"op":"c"}
{"before":null,"after":{"k":1,"name":"b","v":5},"op":"c"}
{"before":{"k":1,"name":"b","v":5},"after":null,"op":"d"}
JSON
cat > "$tmp/mat.sql" <<SQL
CREATE TABLE src (k INT, name STRING, v INT) WITH ('connector'='filesystem','path'='$tmp/mat.json','format'='debezium-json');
CREATE TABLE out4 (k INT, name STRING, total INT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='print');
INSERT INTO out4 SELECT k, name, SUM(v) FROM src GROUP BY k, name;
SQL
"$S" run --set table.exec.sink.upsert-materialize=FORCE "$tmp/mat.sql" > "$tmp/out" 2>&1
check "materializer restores the earlier row" test "$(tail -1 "$tmp/out")" = "+U[1, a, 10]"
check "materializer never deletes the key" bash -c "! grep -q '^-D' '$tmp/out'"
"$S" explain --set table.exec.sink.upsert-materialize=FORCE "$tmp/mat.sql" > "$tmp/plan" 2>&1
check "explain shows the materializer" grep -q 'SinkMaterializer(pk=\[k\])' "$tmp/plan"

[ $fails -eq 0 ]
