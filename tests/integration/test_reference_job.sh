#!/usr/bin/env bash
# test_reference_job.sh - the reference job (examples/reference_job.sql)
# end to end: its two mysql-cdc sources and the jdbc lookup of the subject
# dimension in a private MariaDB, its two GROUP BYs over a UNION ALL, the
# result upserted
#   1. into PostgreSQL through the jdbc sink (in place of the Elasticsearch
#      index), and
#   2. into Elasticsearch (esserver, tests/es/), the job verbatim but for
#      hosts and credentials,
# each while a writer changes the source tables. The sink must equal the
# same query computed by MariaDB over the final tables: every row, every
# document (id, fields, the amounts' digits).
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib/mariadb.sh"
. "$here/lib/postgres.sh"
. "$here/../es/lib.sh"
tmp=$(mktemp -d)
jobpid=
cleanup() {
  [ -n "$jobpid" ] && kill -9 "$jobpid" 2>/dev/null
  mdb_cleanup
  pg_cleanup
  es_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}

mdb_start "$tmp/mdb" || { echo "FAIL reference job: MariaDB did not start"; exit 1; }
pg_start "$tmp/pg" || { echo "FAIL reference job: PostgreSQL did not start"; exit 1; }

mdb_sql "CREATE DATABASE cdc; CREATE DATABASE spd;
  CREATE TABLE cdc.bill_info (billCode VARCHAR(32) PRIMARY KEY, serviceCode VARCHAR(16), accountPeriod VARCHAR(8),
    subjectName VARCHAR(64), subjectCode VARCHAR(32), occurDate DATETIME, amt DECIMAL(11,2), status VARCHAR(4));
  CREATE TABLE cdc.order_info (orderCode VARCHAR(32) PRIMARY KEY, serviceCode VARCHAR(16), accountPeriod VARCHAR(8),
    subjectName VARCHAR(64), subjectCode VARCHAR(32), occurDate DATETIME, amt DECIMAL(11,2), status VARCHAR(4));
  CREATE TABLE spd.subject (code VARCHAR(32) PRIMARY KEY, name VARCHAR(64) NOT NULL);
  CREATE TABLE cdc.done (id INT PRIMARY KEY);
  GRANT SELECT ON *.* TO 'sluice'@'127.0.0.1'"
# The dimension: 40 subjects (codes 0..39; the facts also use 40..44, which
# have no subject and drop out of the INNER lookup join).
mdb_sql --database spd "INSERT INTO subject SELECT CONCAT('S', seq), CONCAT('subject ', seq) FROM seq_0_to_39"
python3 - "$tmp/initial.sql" "$tmp/writer.sql" "$tmp/writer2.sql" <<'PY'
import random, sys
r = random.Random(2024)
def row(code):
    return "('%s', 'SC%d', '2019-%02d', 'x', 'S%d', '2019-03-01 10:00:00', %d.%02d, '%s')" % (
        code, r.randint(1, 6), r.randint(1, 4), r.randint(0, 44), r.randint(0, 999), r.randint(0, 99),
        r.choice(['0', '1']))
live = {'bill_info': [], 'order_info': []}
with open(sys.argv[1], 'w') as f:
    for t, p in (('bill_info', 'B'), ('order_info', 'O')):
        for i in range(0, 3000, 500):
            vals = []
            for k in range(i, i + 500):
                code = '%s%05d' % (p, k)
                live[t].append(code)
                vals.append(row(code))
            f.write('INSERT INTO cdc.%s VALUES %s;\n' % (t, ', '.join(vals)))
n = 100000
for out in sys.argv[2:]:
  with open(out, 'w') as f:
    for tx in range(400):
          f.write('BEGIN;\n')
          for s in range(r.randint(1, 5)):
              t = r.choice(['bill_info', 'order_info'])
              op = r.random()
              if op < 0.4 or not live[t]:
                  n += 1
                  code = ('B' if t == 'bill_info' else 'O') + str(n)
                  live[t].append(code)
                  f.write('INSERT INTO cdc.%s VALUES %s;\n' % (t, row(code)))
              elif op < 0.8:
                  code = r.choice(live[t])
                  f.write("UPDATE cdc.%s SET amt = amt + %d.%02d, subjectCode = 'S%d' WHERE %s = '%s';\n" % (
                      t, r.randint(0, 9), r.randint(0, 99), r.randint(0, 44),
                      'billCode' if t == 'bill_info' else 'orderCode', code))
              else:
                  code = r.choice(live[t]); live[t].remove(code)
                  f.write("DELETE FROM cdc.%s WHERE %s = '%s';\n" % (
                      t, 'billCode' if t == 'bill_info' else 'orderCode', code))
          f.write('COMMIT;\n')
PY
mdb_sql < "$tmp/initial.sql" || echo "  (initial load failed)"
pg_sql "CREATE TABLE income_distribution (serviceCode VARCHAR(16), accountPeriod VARCHAR(8), subjectCode VARCHAR(32),
          subjectName VARCHAR(64), amt NUMERIC(13, 2), PRIMARY KEY (serviceCode, accountPeriod, subjectCode));
        GRANT ALL ON income_distribution TO sluice"

# The reference job as it is, pointed at the private servers, with the
# Elasticsearch sink replaced by PostgreSQL, and a marker for the end.
python3 - "$top/examples/reference_job.sql" "$tmp/job.sql" "$MDB_PORT" "$PG_PORT" <<'PY'
import re, sys
src, dst, mport, pport = sys.argv[1:]
sql = open(src).read()
sql = sql.replace("'port' = '3307'", "'port' = '%s'" % mport)
sql = sql.replace("127.0.0.1:3307/spd", "127.0.0.1:%s/spd" % mport)
sql = re.sub(r"'username' = '(cdc|spd)'", "'username' = 'sluice'", sql)
sql = re.sub(r"'password' = '(cdc-secret|spd-secret)'", "'password' = 'sluice-pw'", sql)
sink = """'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://127.0.0.1:%s/app',
  'table-name' = 'income_distribution',
  'username' = 'sluice',
  'password' = 'sluice-pw'""" % pport
sql = re.sub(r"'connector' = 'elasticsearch-7',.*?'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL'",
             sink, sql, flags=re.S)
assert 'elasticsearch' not in sql
body = sql.index('INSERT INTO income_distribution')
sql = (sql[:body] + """CREATE TABLE done (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '%s',
  'username' = 'sluice', 'password' = 'sluice-pw', 'database-name' = 'cdc', 'table-name' = 'done');
CREATE TABLE marker (id INT) WITH ('connector' = 'print', 'print-identifier' = 'done');
EXECUTE STATEMENT SET BEGIN
INSERT INTO marker SELECT id FROM done;
""" % mport + sql[body:].rstrip().rstrip(';') + ";\nEND;\n")
open(dst, 'w').write(sql)
PY
"$S" check "$tmp/job.sql" > "$tmp/check.out" 2>&1
check "the adapted reference job checks" test $? -eq 0
"$S" run "$tmp/job.sql" > "$tmp/job.out" 2> "$tmp/job.err" &
jobpid=$!
sleep 0.5
mdb_sql < "$tmp/writer.sql" || echo "  (writer failed)"
mdb_sql "INSERT INTO cdc.done VALUES (1)"
for i in $(seq 1 600); do grep -qF "done> +I[1]" "$tmp/job.out" && break; sleep 0.1; done
# The marker passes before the last mini-batch (2 s latency) is folded.
sleep 3
kill -TERM "$jobpid"; wait "$jobpid"; rc=$?; jobpid=
check "the job ran and stopped cleanly" test $rc -eq 0
[ $rc -eq 0 ] || tail -5 "$tmp/job.err"

mdb_sql "SELECT serviceCode, accountPeriod, subjectCode, subjectName, SUM(amt) FROM (
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
    FROM cdc.bill_info b JOIN spd.subject s ON b.subjectCode = s.code
    GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
  UNION ALL
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
    FROM cdc.order_info b JOIN spd.subject s ON b.subjectCode = s.code
    GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name) t
  GROUP BY serviceCode, accountPeriod, subjectCode, subjectName
  ORDER BY serviceCode, accountPeriod, subjectCode" > "$tmp/want"
pg_sql "SELECT serviceCode, accountPeriod, subjectCode, subjectName, amt FROM income_distribution
        ORDER BY serviceCode COLLATE \"C\", accountPeriod COLLATE \"C\", subjectCode COLLATE \"C\"" > "$tmp/got"
sort "$tmp/want" > "$tmp/want.s"; sort "$tmp/got" > "$tmp/got.s"
check "the sink table equals MariaDB's answer over the final tables ($(wc -l < "$tmp/want") groups)" diff "$tmp/want.s" "$tmp/got.s"
check "no sanitizer reports" bash -c "! grep -q Sanitizer '$tmp/job.err'"

pg_stop

# 2. The job as it is, into Elasticsearch: only hosts and credentials change.
es_start "$tmp/es" || { echo "FAIL reference job: esserver did not start"; exit 1; }
python3 - "$top/examples/reference_job.sql" "$tmp/job_es.sql" "$MDB_PORT" "$ES_URL" <<'PY'
import re, sys
src, dst, mport, es = sys.argv[1:]
sql = open(src).read()
sql = sql.replace("'port' = '3307'", "'port' = '%s'" % mport)
sql = sql.replace("127.0.0.1:3307/spd", "127.0.0.1:%s/spd" % mport)
sql = re.sub(r"'username' = '(cdc|spd)'", "'username' = 'sluice'", sql)
sql = re.sub(r"'password' = '(cdc-secret|spd-secret)'", "'password' = 'sluice-pw'", sql)
assert "'hosts' = 'http://127.0.0.1:9200'" in sql
sql = sql.replace("'hosts' = 'http://127.0.0.1:9200'", "'hosts' = '%s'" % es)
open(dst, 'w').write(sql)
PY
"$S" run --verbose "$tmp/job_es.sql" > "$tmp/job_es.out" 2> "$tmp/job_es.err" &
jobpid=$!
sleep 0.5
mdb_sql < "$tmp/writer2.sql" || echo "  (second writer failed)"
mdb_sql "SELECT CONCAT_WS('_', serviceCode, accountPeriod, subjectCode), serviceCode, accountPeriod,
  subjectCode, subjectName, SUM(amt) FROM (
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
    FROM cdc.bill_info b JOIN spd.subject s ON b.subjectCode = s.code
    GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
  UNION ALL
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
    FROM cdc.order_info b JOIN spd.subject s ON b.subjectCode = s.code
    GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name) t
  GROUP BY serviceCode, accountPeriod, subjectCode, subjectName" > "$tmp/want_es"
# Every document: its id, and its source as Flink's json format writes the
# row (the amounts with their two digits), against MariaDB's answer.
same_docs() {
  es_dump income_distribution | python3 -c "
import json, sys
got = json.load(sys.stdin).get('raw', {})
want = {}
for line in open('$tmp/want_es'):
    i, svc, per, sub, name, amt = line.rstrip('\\n').split('\\t')
    want[i] = '{\"serviceCode\":%s,\"accountPeriod\":%s,\"subjectCode\":%s,\"subjectName\":%s,\"amt\":%s}' % (
        json.dumps(svc), json.dumps(per), json.dumps(sub), json.dumps(name, ensure_ascii=False), amt)
if got != want:
    bad = sorted(set(got) ^ set(want))[:3] + [k for k in sorted(want) if k in got and got[k] != want[k]][:3]
    print('  %d documents, %d wanted; e.g. %s' % (len(got), len(want), [(k, got.get(k), want.get(k)) for k in bad]), file=open('$tmp/es_diff', 'w'))
    sys.exit(1)"
}
ok=1
for i in $(seq 1 120); do same_docs && { ok=0; break; }; sleep 0.5; done
kill -TERM "$jobpid"; wait "$jobpid"; rc=$?; jobpid=
check "the reference job, verbatim but for hosts and credentials, ran into Elasticsearch" test $rc -eq 0
[ $rc -eq 0 ] || tail -5 "$tmp/job_es.err"
[ $ok -eq 0 ] && { same_docs || ok=1; } # still, after the job stopped
check "every document equals MariaDB's answer over the final tables ($(wc -l < "$tmp/want_es") documents)" test $ok -eq 0
[ $ok -eq 0 ] || cat "$tmp/es_diff"
check "the index was created with the table's mapping (amt scaled_float)" \
  test "$(es_curl GET /income_distribution/_mapping | es_json 'd["income_distribution"]["mappings"]["properties"]["amt"]["type"]')" = scaled_float
check "no sanitizer reports (Elasticsearch run)" bash -c "! grep -q Sanitizer '$tmp/job_es.err'"
es_stop
mdb_stop
[ $fails -eq 0 ]
