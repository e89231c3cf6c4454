#!/usr/bin/env bash
# test_es_sink.sh - the elasticsearch-7 (and -6) sink against esserver, the
# Elasticsearch-compatible test server of tests/es/: upserts and deletes by
# composite ids, Flink's JSON values, dynamic index names, indexes created
# with a mapping from the table (and the long/fraction conflict when that
# is off), every fault kind with each failure handler, failover between
# hosts, basic auth, append mode, backpressure with bounded memory, and
# elasticsearch-6's document types. Every exact check compares documents
# with answers computed here from the input.
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../es/lib.sh"
tmp=$(mktemp -d)
trap 'es_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT; [ -n "${KEEP:-}" ] && echo "keeping $tmp"
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
asan=0
"$S" --version 2>/dev/null | grep -qi sanitizer && asan=1
case "${ASAN_OPTIONS:-}" in *detect_leaks*) asan=1 ;; esac

es_start "$tmp/es" || { echo "FAIL esserver did not start"; exit 1; }

# run NAME SQL: runs the job, stdout/stderr in $tmp/NAME.out/.err; its status.
run() {
  local name=$1 sql=$2
  printf '%s\n' "$sql" > "$tmp/$name.sql"
  "$S" run --verbose "$tmp/$name.sql" > "$tmp/$name.out" 2> "$tmp/$name.err"
}
err_has() { grep -qF -- "$2" "$tmp/$1.err"; }
show() { echo "  --- $1.err:"; tail -n 5 "$tmp/$1.err" | sed 's/^/  /'; }
cnt() { es_refresh "$1"; es_count "$@"; }
no_reports() { ! grep -q Sanitizer "$tmp"/*.err; }

# ---- upserts, deletes, composite ids, Flink's JSON ----
cat > "$tmp/changes.json" <<'EOF'
{"before":null,"after":{"svc":"SC4000","accountPeriod":"2019-03","occurDay":"2019-03-01","amt":10.00},"op":"c"}
{"before":null,"after":{"svc":"SC4000","accountPeriod":"2019-04","occurDay":"2019-04-01","amt":5.50},"op":"c"}
{"before":null,"after":{"svc":"SC5000","accountPeriod":"2019-03","occurDay":"2019-03-02","amt":1.00},"op":"c"}
{"before":{"svc":"SC4000","accountPeriod":"2019-03","occurDay":"2019-03-01","amt":10.00},"after":{"svc":"SC4000","accountPeriod":"2019-03","occurDay":"2019-03-01","amt":10.10},"op":"u"}
{"before":{"svc":"SC5000","accountPeriod":"2019-03","occurDay":"2019-03-02","amt":1.00},"after":null,"op":"d"}
{"before":{"svc":"SC4000","accountPeriod":"2019-04","occurDay":"2019-04-01","amt":5.50},"after":{"svc":"SC4000","accountPeriod":"2019-04","occurDay":"2019-04-01","amt":7.25},"op":"u"}
EOF
run upsert "
CREATE TABLE src (svc STRING, accountPeriod STRING, occurDay DATE, amt DECIMAL(13, 2),
  PRIMARY KEY (svc, accountPeriod, occurDay) NOT ENFORCED)
  WITH ('connector' = 'filesystem', 'path' = '$tmp/changes.json', 'format' = 'debezium-json');
CREATE TABLE es (svc STRING, accountPeriod STRING, occurDay DATE, amt DECIMAL(13, 2),
  PRIMARY KEY (svc, accountPeriod, occurDay) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = 'income',
        'document-id.key-delimiter' = '\$');
INSERT INTO es SELECT * FROM src;"
check "a changelog upserts and deletes by the primary key" test $? -eq 0 || show upsert
check "+U replaces the document: id 'SC4000\$2019-03\$2019-03-01', DECIMAL with its digits" \
  test "$(es_get income 'SC4000$2019-03$2019-03-01')" = '{"svc":"SC4000","accountPeriod":"2019-03","occurDay":"2019-03-01","amt":10.10}'
check "a second update of another document" \
  test "$(es_get income 'SC4000$2019-04$2019-04-01')" = '{"svc":"SC4000","accountPeriod":"2019-04","occurDay":"2019-04-01","amt":7.25}'
check "-D deletes the document" bash -c "! es_get income 'SC5000\$2019-03\$2019-03-02' >/dev/null 2>&1"
check "two documents remain" test "$(cnt income)" = 2
check "-U is not sent: 2 versions for an updated document" \
  test "$(es_curl GET '/income/_doc/SC4000$2019-03$2019-03-01' | es_json 'd["_version"]')" = 2
check "the sink reports every row acknowledged" err_has upsert "6 rows, 6 acknowledged; 5 documents indexed, 1 deleted"

# ---- the values as Flink's json format writes them; the created mapping ----
run types "
CREATE TABLE t (id INT, amt DECIMAL(13, 2), big DECIMAL(22, 2), n DECIMAL(10, 0), ts TIMESTAMP(3),
  ltz TIMESTAMP_LTZ(3), d DATE, tm TIME(0), ok BOOLEAN, s STRING, f DOUBLE, arr ARRAY<STRING>,
  r ROW<a INT, b STRING>, b BYTES, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = 'types');
INSERT INTO t SELECT 1, CAST(10.10 AS DECIMAL(13, 2)), CAST(12345678901234567890.12 AS DECIMAL(22, 2)),
  CAST(42 AS DECIMAL(10, 0)), TIMESTAMP '2019-03-01 12:00:00.123',
  CAST(TIMESTAMP '2019-03-01 12:00:00.5' AS TIMESTAMP_LTZ(3)), DATE '2019-03-01', TIME '12:34:56',
  TRUE, CAST(NULL AS STRING), 1.5E0, ARRAY['a', 'b'], ROW(1, 'x'), X'0102';"
check "a row of every kind of value is accepted by the index" test $? -eq 0 || show types
check "values are written as Flink's json format writes them" \
  test "$(es_get types 1)" = '{"id":1,"amt":10.10,"big":12345678901234567890.12,"n":42,"ts":"2019-03-01 12:00:00.123","ltz":"2019-03-01 12:00:00.5Z","d":"2019-03-01","tm":"12:34:56","ok":true,"s":null,"f":1.5,"arr":["a","b"],"r":{"a":1,"b":"x"},"b":"AQI="}'
es_curl GET /types/_mapping > "$tmp/types.mapping"
check "DECIMAL(13, 2) is scaled_float x100, DECIMAL(22, 2) double, DECIMAL(10, 0) long" \
  test "$(es_json 'd["types"]["mappings"]["properties"]["amt"], d["types"]["mappings"]["properties"]["big"]["type"], d["types"]["mappings"]["properties"]["n"]["type"]' < "$tmp/types.mapping")" \
    = '[{"type":"scaled_float","scaling_factor":100},"double","long"]'
check "strings are keyword, timestamps date with the written format" \
  test "$(es_json 'd["types"]["mappings"]["properties"]["s"]["type"], d["types"]["mappings"]["properties"]["ts"]["format"]' < "$tmp/types.mapping")" \
    = '["keyword","yyyy-MM-dd HH:mm:ss||yyyy-MM-dd HH:mm:ss.S||yyyy-MM-dd HH:mm:ss.SS||yyyy-MM-dd HH:mm:ss.SSS"]'
check "a term query finds the keyword" test "$(cnt types '{"term":{"arr":"b"}}')" = 1

# ---- dynamic index names ----
run dynamic "
CREATE TABLE ev (id INT, d DATE, v STRING, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = 'logs-{d|yyyy.MM}');
CREATE TABLE ev2 (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = 'now-{now()|yyyy}');
EXECUTE STATEMENT SET BEGIN
INSERT INTO ev VALUES (1, DATE '2019-03-01', 'a'), (2, DATE '2019-03-31', 'b'), (3, DATE '2019-04-01', 'c');
INSERT INTO ev2 VALUES (1, 'x');
END;"
check "a dynamic index pattern runs" test $? -eq 0 || show dynamic
check "rows go to the index of their month" \
  test "$(cnt logs-2019.03)/$(cnt logs-2019.04)" = 2/1
check "each new index is created with the table's mapping" \
  test "$(es_curl GET /logs-2019.04/_mapping | es_json 'd["logs-2019.04"]["mappings"]["properties"]["d"]["format"]')" = yyyy-MM-dd
check "{now()|yyyy} names this year's index" test "$(cnt "now-$(date +%Y)")" = 1

# ---- the long/fraction conflict: with and without the mapping ----
conflict_sql() { # index create-with-mapping [failure-handler [amt type]]
  echo "
CREATE TABLE c (k STRING, amt ${4:-DECIMAL(13, 2)}, PRIMARY KEY (k) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = '$1',
        'index.create-with-mapping' = '$2', 'failure-handler' = '${3:-fail}',
        'sink.bulk-flush.max-actions' = '1');
INSERT INTO c VALUES ('a', CAST(10 AS ${4:-DECIMAL(13, 2)})), ('b', CAST(10.1 AS ${4:-DECIMAL(13, 2)}));"
}
sum_of() { es_refresh "$1"; es_curl POST "/$1/_search" '{"size":0,"aggs":{"s":{"sum":{"field":"amt"}}}}' | es_json 'd["aggregations"]["s"]["value"]'; }
amt_type() { es_curl GET "/$1/_mapping" | es_json "d['$1']['mappings']['properties']['amt']['type']"; }
run conflict_off "$(conflict_sql guessed false)"
check "without a mapping from the table Elasticsearch guesses 'amt' from the first value: float" \
  test "$(amt_type guessed)" = float
# An index first written when the column was a BIGINT: Elasticsearch made
# it long, and later fractions are truncated in what it aggregates.
run conflict_long1 "$(conflict_sql guessed_long false fail BIGINT | sed '/VALUES/s/, (.b.*)//; s/)), *$/));/')"
run conflict_long2 "$(conflict_sql guessed_long false | sed "s/('a', CAST(10 AS DECIMAL(13, 2))), //")"
check "a first 10 makes 'amt' long" test "$(amt_type guessed_long)" = long
check "... then 10.1 is accepted and summed as 10 (coerced into the long field)" test "$(sum_of guessed_long)" = 20.0
run conflict_on "$(conflict_sql exact true)"
check "with the table's mapping 'amt' is scaled_float and the sum is exact" \
  test "$(amt_type exact)/$(sum_of exact)" = scaled_float/20.1
es_curl PUT /strict '{"mappings":{"properties":{"k":{"type":"keyword"},"amt":{"type":"long","coerce":false}}}}' >/dev/null
run conflict_fail "$(conflict_sql strict true fail)"
check "an existing index is left as it is, and a mapping conflict fails the job" test $? -ne 0
check "... naming the index, the document, the field and Elasticsearch's reason" \
  bash -c "grep -F \"document 'b' in index 'strict'\" '$tmp/conflict_fail.err' | grep -F mapper_parsing_exception | grep -qF '[amt]'"
run conflict_ignore "$(conflict_sql strict true ignore)"
check "failure-handler 'ignore' logs the dropped document and goes on" \
  bash -c "grep -q \"dropped (failure-handler 'ignore'): index of document 'b'\" '$tmp/conflict_ignore.err'"
check "... and counts it" err_has conflict_ignore "1 dropped by failure-handler"
run conflict_rr "$(conflict_sql strict true retry-rejected)"
check "failure-handler 'retry-rejected' fails on a mapping error" test $? -ne 0

# ---- faults: a GROUP BY whose 2000 updates hit 37 documents ----
# Expected documents: k = id % 37, n = COUNT(*), s = SUM(id) over 1..2000.
python3 -c "
import json
d = {}
for i in range(1, 2001):
    n, s = d.get(i % 37, (0, 0)); d[i % 37] = (n + 1, s + i)
print(json.dumps({str(k): {'k': k, 'n': v[0], 's': v[1]} for k, v in sorted(d.items())}, sort_keys=True))
" > "$tmp/agg.want"
agg_sql() { # index, then extra WITH options
  local ix=$1; shift
  local extra=""
  for o in "$@"; do extra="$extra, $o"; done
  echo "
CREATE TABLE src (id INT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',
  'fields.id.start' = '1', 'fields.id.end' = '2000');
CREATE TABLE es (k INT, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = '$ix',
        'sink.bulk-flush.max-actions' = '${MAXA:-100}' $extra);
INSERT INTO es SELECT id % 37, COUNT(*), SUM(CAST(id AS BIGINT)) FROM src GROUP BY id % 37;"
}
exact() { # index: its documents equal agg.want
  es_dump "$1" | python3 -c "
import json, sys
d = json.load(sys.stdin)
got = {k: json.loads(v) for k, v in d.get('raw', {}).items()}
want = json.load(open('$tmp/agg.want'))
sys.exit(0 if got == want else 1)"
}
fault_case() { # name expect(ok|fail) 'fault JSON' options...
  local name=$1 expect=$2 fault=$3; shift 3
  es_faults_clear
  [ -n "$fault" ] && es_fault "$fault" >/dev/null
  run "$name" "$(agg_sql "$name" "$@")"
  local rc=$?
  es_faults_clear
  if [ "$expect" = any ]; then
    return 0
  elif [ "$expect" = ok ]; then
    [ $rc -eq 0 ] || { show "$name"; return 1; }
    exact "$name" || { echo "  $name: documents differ"; return 1; }
  else
    [ $rc -ne 0 ] || { echo "  $name: the job did not fail"; return 1; }
  fi
}
B="'sink.bulk-flush.backoff.strategy'"
one_per_bulk() { local MAXA=1; "$@"; }
check "no fault: 37 exact documents" fault_case f_none ok ""
check "item 429s (every 3rd item, 30 of them) retried with EXPONENTIAL backoff: exact" \
  fault_case f_429_exp ok '[{"kind":"item_status","status":429,"every":3,"count":30}]' "$B = 'EXPONENTIAL'"
check "... the retries are logged and counted" \
  bash -c "grep -q 'actions rejected' '$tmp/f_429_exp.err' && ! grep -q ' 0 retries' '$tmp/f_429_exp.err'"
check "item 503s retried with CONSTANT backoff: exact" \
  fault_case f_503_const ok '[{"kind":"item_status","status":503,"every":2,"count":20}]' "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'"
# One action per bulk: no later action of the bulk replaces the rejected one.
check "item 429 with backoff DISABLED and failure-handler 'fail': the job fails" \
  one_per_bulk fault_case f_429_fail fail '[{"kind":"item_status","status":429,"count":1}]'
check "... saying so" err_has f_429_fail "actions rejected by Elasticsearch and sink.bulk-flush.backoff.strategy is DISABLED"
MAXA=1 fault_case f_429_ignore any '[{"kind":"item_status","status":429,"count":1}]' "'failure-handler' = 'ignore'"
check "item 429 with failure-handler 'ignore': the job goes on" test "$(tail -n 1 "$tmp/f_429_ignore.err" | grep -c 'job finished')" = 1
check "... the document is dropped, logged and counted" \
  bash -c "grep -q '1 dropped by failure-handler' '$tmp/f_429_ignore.err' && grep -q \"dropped 1 rejected actions (failure-handler 'ignore')\" '$tmp/f_429_ignore.err'"
check "item 429s with failure-handler 'retry-rejected' and no backoff: retried until written, exact" \
  fault_case f_429_rr ok '[{"kind":"item_status","status":429,"every":2,"count":40}]' "'failure-handler' = 'retry-rejected'"
check "whole-request 500s retried with CONSTANT backoff: exact" \
  fault_case f_500 ok '[{"kind":"request_status","status":500,"count":2}]' "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'"
check "whole-request 429s retried with EXPONENTIAL backoff: exact" \
  fault_case f_req429 ok '[{"kind":"request_status","status":429,"count":3}]' "$B = 'EXPONENTIAL'"
check "500 on every request: the job fails after the retries" \
  fault_case f_500_always fail '[{"kind":"request_status","status":500,"count":-1}]' "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'" "'sink.bulk-flush.backoff.max-retries' = '2'"
check "... naming the host and the answer" \
  bash -c "grep -F 'failed after 2 retries (hosts $ES_URL)' '$tmp/f_500_always.err' | grep -q 'HTTP 500'"
check "whole-request 429s with failure-handler 'retry-rejected' and no backoff: retried until written, exact" \
  fault_case f_req429_rr ok '[{"kind":"request_status","status":429,"count":12}]' "'failure-handler' = 'retry-rejected'"
check "500 on every request with failure-handler 'ignore': nothing is dropped, the job fails" \
  fault_case f_500_ignore fail '[{"kind":"request_status","status":500,"count":-1}]' "'failure-handler' = 'ignore'" "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'" "'sink.bulk-flush.backoff.max-retries' = '1'"
check "a slow reply past socket.timeout is retried: exact" \
  fault_case f_slow ok '[{"kind":"delay","ms":2500,"count":1}]' "'socket.timeout' = '1s'" "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'"
check "connection resets are retried: exact" \
  fault_case f_reset ok '[{"kind":"reset","count":2}]' "$B = 'CONSTANT'" "'sink.bulk-flush.backoff.delay' = '10ms'"
check "connections closed before the reply are retried: exact" \
  fault_case f_close ok '[{"kind":"close","count":2}]' "$B = 'EXPONENTIAL'"
check "a reset with backoff DISABLED fails the job" fault_case f_reset_fail fail '[{"kind":"reset","count":1}]'
check "... naming the host" err_has f_reset_fail "hosts $ES_URL"

# ---- failover ----
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run failover "$(agg_sql failover | sed "s#'hosts' = '$ES_URL'#'hosts' = 'http://127.0.0.1:$dead;$ES_URL'#")"
check "a dead first host: the requests fail over to the second" test $? -eq 0 || show failover
check "... exact" exact failover
check "... and the log names both" err_has failover "http://127.0.0.1:$dead: "
run alldead "$(agg_sql alldead | sed "s#'hosts' = '$ES_URL'#'hosts' = 'http://127.0.0.1:$dead;http://127.0.0.1:$((dead + 1))'#")"
check "every host dead: the job fails naming them" \
  bash -c "grep -qF 'hosts http://127.0.0.1:$dead, http://127.0.0.1:$((dead + 1))' '$tmp/alldead.err'"

# ---- basic auth ----
es_start "$tmp/es_auth" --user elastic --password 'pw-s3cret' || { echo "FAIL auth server"; exit 1; }
run auth_none "$(agg_sql auth)"
check "no credentials: the job fails with Elasticsearch's 401" \
  bash -c "grep -q 'HTTP 401' '$tmp/auth_none.err' && grep -q \"check 'username' and 'password'\" '$tmp/auth_none.err'"
run auth_bad "$(agg_sql auth "'username' = 'elastic'" "'password' = 'wrong'")"
check "a wrong password fails too" test $? -ne 0
run auth_ok "$(agg_sql auth "'username' = 'elastic'" "'password' = 'pw-s3cret'")"
check "the right credentials write" test $? -eq 0 || show auth_ok
check "... exact" exact auth
check "passwords never appear in the output" bash -c "! grep -q 'pw-s3cret\|wrong' '$tmp'/auth_*.err '$tmp'/auth_*.out"
es_stop "$tmp/es_auth"
es_use "$tmp/es"

# ---- append mode and backpressure: a slow Elasticsearch slows the job ----
es_fault '[{"kind":"delay","ms":60,"count":-1,"path":"_bulk"}]' >/dev/null
printf '%s\n' "
CREATE TABLE src (id INT, pad STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '60000',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '60000',
  'fields.pad.length' = '1000');
CREATE TABLE logs (id INT, pad STRING)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = 'append',
        'sink.bulk-flush.max-actions' = '500');
INSERT INTO logs SELECT * FROM src;" > "$tmp/append.sql"
"$S" run --verbose "$tmp/append.sql" > "$tmp/append.out" 2> "$tmp/append.err" &
pid=$!
peak=0
while kill -0 $pid 2>/dev/null; do
  r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  [ "${r:-0}" -gt "$peak" ] && peak=$r
  sleep 0.1
done
wait $pid
check "append mode (no key) through a slow server" test $? -eq 0 || show append
es_faults_clear
check "Elasticsearch assigned an id to each of the 60000 documents" test "$(cnt append)" = 60000
if [ $asan = 0 ]; then
  # 60 MB of rows; the buffer holds about 3 bulks of 0.5 MB.
  check "memory stays bounded while the server is slow (peak RSS ${peak} kB < 60 MB)" test "$peak" -lt 61440
fi

# ---- elasticsearch-6: document types ----
es_start "$tmp/es6" --version 6.8.23 || { echo "FAIL es6 server"; exit 1; }
run es6 "
CREATE TABLE t6 (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-6', 'hosts' = '$ES_URL', 'index' = 'six', 'document-type' = 'doc');
INSERT INTO t6 VALUES (1, 'a'), (2, 'b');"
check "elasticsearch-6 writes with its document type" test $? -eq 0 || show es6
check "... both documents" test "$(cnt six)" = 2
check "... created with a typed mapping" \
  test "$(es_curl GET /six/_mapping | es_json 'sorted(d["six"]["mappings"])')" = '["doc"]'
es_stop "$tmp/es6"

check "no sanitizer reports" no_reports
[ $fails -eq 0 ]
