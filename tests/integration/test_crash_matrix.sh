#!/usr/bin/env bash
# test_crash_matrix.sh - the reference job (examples/reference_job.sql:
# two mysql-cdc sources, the jdbc lookup of the subject dimension, two
# GROUP BYs over a UNION ALL) with checkpoints, killed with kill -9 at
# seeded random moments of its snapshot and of its binlog phase while a
# writer inserts, updates and deletes, restarted after each kill from its
# last checkpoint. Its result goes to three sinks at once:
#   - PostgreSQL (jdbc sink): the reference query, SUM(amt) per group;
#   - Elasticsearch (esserver): the same, as the reference job writes it;
#   - PostgreSQL: COUNT(*) and SUM of the numeric part of the line codes
#     per group, so that a lost or doubled contribution shows even where
#     an amount is zero.
# At the end, with the writer stopped, each sink must equal the same query
# computed by MariaDB over the final tables. One matrix per state backend
# (rocksdb incremental, rocksdb full, hashmap).
#
#   SEED=N      repeat a run's random choices (printed first)
#   KILLS=N     kills per backend (default 20)
#   BACKENDS="rocksdb-incremental rocksdb hashmap"
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib/mariadb.sh"
. "$here/lib/postgres.sh"
. "$here/../es/lib.sh"
tmp=$(mktemp -d)
jobpid= writerpid=
cleanup() {
  [ -n "$jobpid" ] && kill -9 "$jobpid" 2>/dev/null
  [ -n "$writerpid" ] && kill "$writerpid" 2>/dev/null
  mdb_cleanup
  pg_cleanup
  es_cleanup
  [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
seed=${SEED:-$(( $(date +%s) % 100000 ))}
echo "     seed $seed (SEED=$seed to repeat)"
RANDOM=$seed
KILLS=${KILLS:-20}
BACKENDS=${BACKENDS:-"rocksdb-incremental rocksdb hashmap"}
INITIAL=${INITIAL:-100000}
# Under the sanitizers (scripts/check's first pass) one backend on a
# smaller snapshot: the pass is there for memory errors, the release pass
# runs the whole matrix.
case "${ASAN_OPTIONS:-}" in
  *detect_leaks*) BACKENDS=${ASAN_BACKENDS:-rocksdb-incremental}; INITIAL=${ASAN_INITIAL:-40000} ;;
esac

mdb_start "$tmp/mdb" || { echo "FAIL crash matrix: MariaDB did not start"; exit 1; }
pg_start "$tmp/pg" || { echo "FAIL crash matrix: PostgreSQL did not start"; exit 1; }
es_start "$tmp/es" || { echo "FAIL crash matrix: esserver did not start"; exit 1; }
mdb_sql "CREATE DATABASE spd;
  CREATE TABLE spd.subject (code VARCHAR(32) PRIMARY KEY, name VARCHAR(64) NOT NULL);
  GRANT SELECT ON *.* TO 'sluice'@'127.0.0.1'"
mdb_sql --database spd "INSERT INTO subject SELECT CONCAT('S', seq), CONCAT('subject ', seq) FROM seq_0_to_39"

# The data of one run: a database per backend, INITIAL lines per table
# (subjects 0..44; 40..44 have no subject and drop out of the INNER join),
# then writer chunks of transactions that insert, update (amounts and
# subjects) and delete.
gen_data() { # database dir
  mkdir -p "$2"
  python3 - "$1" "$2" "$seed" "$INITIAL" <<'PY'
import random, sys
db, d, seed, initial = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
r = random.Random(seed * 7 + len(db))
def row(code):
    return "('%s', 'SC%d', '2019-%02d', 'x', 'S%d', '2019-03-01 10:00:00', %d.%02d, '%s')" % (
        code, r.randint(1, 6), r.randint(1, 4), r.randint(0, 44), r.randint(0, 99), r.randint(0, 99),
        r.choice(['0', '1']))
tabs = {'bill_info': ('B', 'billCode'), 'order_info': ('O', 'orderCode')}
live = {t: [] for t in tabs}
with open(d + '/initial.sql', 'w') as f:
    f.write('CREATE DATABASE %s;\n' % db)
    for t in tabs:
        f.write("""CREATE TABLE %s.%s (%s VARCHAR(32) PRIMARY KEY, serviceCode VARCHAR(16),
          accountPeriod VARCHAR(8), subjectName VARCHAR(64), subjectCode VARCHAR(32), occurDate DATETIME,
          amt DECIMAL(11,2), status VARCHAR(4));\n""" % (db, t, tabs[t][1]))
    f.write('CREATE TABLE %s.done (id INT PRIMARY KEY);\n' % db)
    for t, (p, _) in tabs.items():
        for i in range(0, initial, 1000):
            vals = []
            for k in range(i, min(i + 1000, initial)):
                code = '%s%d' % (p, k + 1)
                live[t].append(code)
                vals.append(row(code))
            f.write('INSERT INTO %s.%s VALUES %s;\n' % (db, t, ', '.join(vals)))
n = 1000000
for c in range(400):
    with open('%s/w%03d.sql' % (d, c), 'w') as f:
        for tx in range(15):
            f.write('BEGIN;\n')
            for s in range(r.randint(1, 6)):
                t = r.choice(list(tabs))
                p, col = tabs[t]
                op = r.random()
                if op < 0.35 or not live[t]:
                    n += 1
                    code = p + str(n)
                    live[t].append(code)
                    f.write('INSERT INTO %s.%s VALUES %s;\n' % (db, t, row(code)))
                elif op < 0.6:
                    code = r.choice(live[t])
                    f.write("UPDATE %s.%s SET amt = amt + %d.%02d WHERE %s = '%s';\n" % (
                        db, t, r.randint(0, 9), r.randint(0, 99), col, code))
                elif op < 0.8:
                    code = r.choice(live[t])
                    f.write("UPDATE %s.%s SET subjectCode = 'S%d', accountPeriod = '2019-%02d' WHERE %s = '%s';\n" % (
                        db, t, r.randint(0, 44), r.randint(1, 4), col, code))
                else:
                    code = r.choice(live[t]); live[t].remove(code)
                    f.write("DELETE FROM %s.%s WHERE %s = '%s';\n" % (db, t, col, code))
            f.write('COMMIT;\n')
PY
}

# The reference job pointed at the private servers: rocksdb or hashmap,
# checkpoints every 500 ms, small snapshot chunks (so kills land between
# chunks), and besides its Elasticsearch index two PostgreSQL tables and
# a marker for the end.
make_job() { # database backend incremental out
  python3 - "$top/examples/reference_job.sql" "$4" "$MDB_PORT" "$PG_PORT" "$ES_URL" "$1" "$2" "$3" <<'PY'
import re, sys
src, dst, mport, pport, es, db, backend, incr = sys.argv[1:]
sql = open(src).read()
sql = sql.replace("'port' = '3307'", "'port' = '%s'" % mport)
sql = sql.replace("127.0.0.1:3307/spd", "127.0.0.1:%s/spd" % mport)
sql = re.sub(r"'username' = '(cdc|spd)'", "'username' = 'sluice'", sql)
sql = re.sub(r"'password' = '(cdc-secret|spd-secret)'", "'password' = 'sluice-pw'", sql)
sql = sql.replace("'database-name' = 'cdc'", "'database-name' = '%s',\n  'scan.incremental.snapshot.chunk.size' = '400'" % db)
sql = sql.replace("'hosts' = 'http://127.0.0.1:9200'", "'hosts' = '%s'" % es)
sql = sql.replace("'index' = 'income_distribution'", "'index' = '%s'" % db)
sql = sql.replace("SET 'state.backend' = 'rocksdb';",
                  "SET 'state.backend' = '%s';\nSET 'state.backend.incremental' = '%s';" % (backend, incr))
sql = sql.replace("SET 'execution.checkpointing.interval' = '10min';",
                  "SET 'execution.checkpointing.interval' = '500ms';")
assert "'500ms'" in sql and db in sql and es in sql
body = sql.index('INSERT INTO income_distribution')
pg = """'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:%s/app',
  'username' = 'sluice', 'password' = 'sluice-pw', 'table-name'""" % pport
union = """FROM (
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, b.amt,
         CAST(SUBSTR(b.billCode, 2) AS BIGINT) AS id
  FROM bill_info AS b JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s ON b.subjectCode = s.code
  UNION ALL
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, b.amt,
         CAST(SUBSTR(b.orderCode, 2) AS BIGINT) AS id
  FROM order_info AS b JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s ON b.subjectCode = s.code
) AS u GROUP BY serviceCode, accountPeriod, subjectCode"""
insert = sql[body:].rstrip().rstrip(';')
sql = (sql[:body] + """CREATE TABLE income_pg (serviceCode STRING, accountPeriod STRING, subjectCode STRING,
  subjectName STRING, amt DECIMAL(13,2), PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED)
  WITH (%s = '%s_income');
CREATE TABLE contrib_pg (serviceCode STRING, accountPeriod STRING, subjectCode STRING, n BIGINT, ids BIGINT,
  PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED) WITH (%s = '%s_contrib');
CREATE TABLE done (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '%s',
  'username' = 'sluice', 'password' = 'sluice-pw', 'database-name' = '%s', 'table-name' = 'done');
CREATE TABLE marker (id INT) WITH ('connector' = 'print', 'print-identifier' = 'done');
EXECUTE STATEMENT SET BEGIN
INSERT INTO marker SELECT id FROM done;
%s;
%s;
INSERT INTO contrib_pg SELECT serviceCode, accountPeriod, subjectCode, COUNT(*), SUM(id)
%s;
END;
""" % (pg, db, pg, db, mport, db, insert, insert.replace('INSERT INTO income_distribution', 'INSERT INTO income_pg'), union))
open(dst, 'w').write(sql)
PY
}

want_query() { # database: the reference query and the contributions, by MariaDB
  mdb_sql "SELECT serviceCode, accountPeriod, subjectCode, subjectName, SUM(amt) FROM (
    SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
      FROM $1.bill_info b JOIN spd.subject s ON b.subjectCode = s.code
      GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
    UNION ALL
    SELECT b.serviceCode, b.accountPeriod, b.subjectCode, s.name AS subjectName, SUM(amt) AS amt
      FROM $1.order_info b JOIN spd.subject s ON b.subjectCode = s.code
      GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name) t
    GROUP BY serviceCode, accountPeriod, subjectCode, subjectName" | sort > "$tmp/$1.want_amt"
  mdb_sql "SELECT serviceCode, accountPeriod, subjectCode, COUNT(*), SUM(id) FROM (
    SELECT b.serviceCode, b.accountPeriod, b.subjectCode, CAST(SUBSTR(billCode, 2) AS UNSIGNED) AS id
      FROM $1.bill_info b JOIN spd.subject s ON b.subjectCode = s.code
    UNION ALL
    SELECT b.serviceCode, b.accountPeriod, b.subjectCode, CAST(SUBSTR(orderCode, 2) AS UNSIGNED) AS id
      FROM $1.order_info b JOIN spd.subject s ON b.subjectCode = s.code) t
    GROUP BY serviceCode, accountPeriod, subjectCode" | sort > "$tmp/$1.want_contrib"
}
got_pg() { # database
  pg_sql "SELECT serviceCode, accountPeriod, subjectCode, subjectName, amt FROM $1_income" | sort > "$tmp/$1.got_amt"
  pg_sql "SELECT serviceCode, accountPeriod, subjectCode, n, ids FROM $1_contrib" | sort > "$tmp/$1.got_contrib"
}
same_pg() { got_pg "$1"; cmp -s "$tmp/$1.want_amt" "$tmp/$1.got_amt" && cmp -s "$tmp/$1.want_contrib" "$tmp/$1.got_contrib"; }
same_es() { # database: every document (id and source) against MariaDB's answer
  es_dump "$1" | python3 -c "
import json, sys
got = json.load(sys.stdin).get('raw', {})
want = {}
for line in open('$tmp/$1.want_amt'):
    svc, per, sub, name, amt = line.rstrip('\\n').split('\\t')
    want['_'.join((svc, per, sub))] = '{\"serviceCode\":%s,\"accountPeriod\":%s,\"subjectCode\":%s,\"subjectName\":%s,\"amt\":%s}' % (
        json.dumps(svc), json.dumps(per), json.dumps(sub), json.dumps(name), amt)
if got != want:
    bad = sorted(set(got) ^ set(want))[:3] + [k for k in sorted(want) if k in got and got[k] != want[k]][:3]
    print('  %d documents, %d wanted; e.g. %s' % (len(got), len(want), [(k, got.get(k), want.get(k)) for k in bad]), file=open('$tmp/$1.es_diff', 'w'))
    sys.exit(1)"
}

matrix() { # backend-variant
  local variant=$1 backend=$1 incr=false db log
  case $variant in
    rocksdb-incremental) backend=rocksdb incr=true ;;
  esac
  db=$(echo "cm_$variant" | tr - _)
  log="$tmp/$db.err"
  gen_data "$db" "$tmp/$db"
  mdb_sql < "$tmp/$db/initial.sql" || { echo "  (initial load failed)"; return 1; }
  pg_sql "CREATE TABLE ${db}_income (serviceCode VARCHAR(16), accountPeriod VARCHAR(8), subjectCode VARCHAR(32),
            subjectName VARCHAR(64), amt NUMERIC(13, 2), PRIMARY KEY (serviceCode, accountPeriod, subjectCode));
          CREATE TABLE ${db}_contrib (serviceCode VARCHAR(16), accountPeriod VARCHAR(8), subjectCode VARCHAR(32),
            n BIGINT, ids BIGINT, PRIMARY KEY (serviceCode, accountPeriod, subjectCode));
          GRANT ALL ON ${db}_income, ${db}_contrib TO sluice" > /dev/null
  make_job "$db" "$backend" "$incr" "$tmp/$db.sql"
  # The writer: a chunk of 15 transactions every 0.1-0.3 s until told to stop.
  ( for f in "$tmp/$db"/w*.sql; do
      [ -e "$tmp/$db.stop" ] && break
      mdb_sql < "$f" || echo "writer: $f failed" >> "$tmp/$db.writer_err"
      echo "$f" >> "$tmp/$db.applied"
      sleep "0.$((1 + RANDOM % 3))"
    done ) &
  writerpid=$!
  local k t
  for k in $(seq 1 "$KILLS"); do
    "$S" run --state-dir "$tmp/$db.state" "$tmp/$db.sql" > "$tmp/$db.out" 2>> "$log" &
    jobpid=$!
    # The first kills come while the snapshot runs (after the first
    # checkpoints, so each run gets further), the later ones anywhere.
    if [ "$k" -le $((KILLS / 3)) ]; then t="$((1 + RANDOM % 2)).$((RANDOM % 10))"
    else t="$((RANDOM % 3)).$((RANDOM % 10))"; fi
    sleep "$t"
    kill -9 "$jobpid" 2>/dev/null; wait "$jobpid" 2>/dev/null; jobpid=
  done
  touch "$tmp/$db.stop"; wait "$writerpid"; writerpid=
  if [ "$variant" = "${BACKENDS%% *}" ]; then
    # A lost database: MariaDB killed under the running job and started
    # again; the job reconnects, or fails and restarts from its checkpoint
    # (fixed-delay), and the end must still be exact.
    "$S" run --set restart-strategy=fixed-delay --set restart-strategy.fixed-delay.attempts=40 \
      --set restart-strategy.fixed-delay.delay=500ms --state-dir "$tmp/$db.state" "$tmp/$db.sql" \
      > "$tmp/$db.out" 2> "$tmp/$db.outage" &
    jobpid=$!
    sleep 1.5
    mdb_kill "$tmp/mdb"
    sleep 6   # longer than mysql-cdc's own reconnect attempts
    mdb_restart "$tmp/mdb" > /dev/null || echo "  (MariaDB did not restart)"
    for i in $(seq 1 60); do
      grep -qE "reconnected to|restart [0-9]+ \(restart-strategy fixed-delay\)" "$tmp/$db.outage" && break
      sleep 0.5
    done
    sleep 2
    kill -9 "$jobpid" 2>/dev/null; wait "$jobpid" 2>/dev/null; jobpid=
    check "$variant: MariaDB killed and restarted under the job: it reconnected or restarted from its checkpoint" \
      grep -qE "reconnected to|restart [0-9]+ \(restart-strategy fixed-delay\)" "$tmp/$db.outage"
    grep -E "restart [0-9]+ \(|reconnected to" "$tmp/$db.outage" | head -2 | cut -c1-200 | sed 's/^/     /'
    cat "$tmp/$db.outage" >> "$log"
  fi
  mdb_sql "INSERT INTO $db.done VALUES (1)"
  "$S" run --verbose --state-dir "$tmp/$db.state" "$tmp/$db.sql" > "$tmp/$db.out" 2>> "$log" &
  jobpid=$!
  want_query "$db"
  local ok=1 i why="not equal after 240 checks"
  for i in $(seq 1 240); do
    if grep -qF "done> +I[1]" "$tmp/$db.out" && same_pg "$db" && same_es "$db"; then
      ok=0 why="equal at check $i"; break
    fi
    kill -0 "$jobpid" 2>/dev/null || { why="the job exited at check $i"; break; }
    sleep 0.5
  done
  echo "     $variant: final run: sinks $why"
  kill -TERM "$jobpid"; wait "$jobpid"; local rc=$?; jobpid=
  check "$variant: killed $KILLS times (kill -9), restarted, stopped cleanly" test $rc -eq 0
  [ $rc -eq 0 ] || tail -5 "$log"
  local snap bin
  snap=$(grep -c "resumed (snapshot phase" "$log")
  bin=$(grep -c "resumed (binlog phase" "$log")
  echo "     $variant: $(grep -c 'restoring the job from' "$log") restores; sources resumed $snap times in the snapshot phase, $bin in the binlog phase; $(grep -c . "$tmp/$db.applied") writer chunks of 15 transactions, $(grep -c . "$tmp/$db.want_amt") groups"
  check "$variant: kills landed in the snapshot and in the binlog phase" test "$snap" -gt 0 -a "$bin" -gt 0
  check "$variant: the writer ran without errors" test ! -s "$tmp/$db.writer_err"
  same_pg "$db"
  check "$variant: PostgreSQL: every group's SUM(amt) equals MariaDB's answer" cmp -s "$tmp/$db.want_amt" "$tmp/$db.got_amt"
  check "$variant: PostgreSQL: every group's COUNT(*) and SUM(id) equal MariaDB's (nothing lost, nothing twice)" \
    cmp -s "$tmp/$db.want_contrib" "$tmp/$db.got_contrib"
  [ $ok -eq 0 ] || { diff "$tmp/$db.want_contrib" "$tmp/$db.got_contrib" | head -5; }
  rm -f "$tmp/$db.es_diff"
  check "$variant: Elasticsearch: every document equals MariaDB's answer" same_es "$db"
  [ -f "$tmp/$db.es_diff" ] && cat "$tmp/$db.es_diff"
  check "$variant: no sanitizer reports" bash -c "! grep -q Sanitizer '$log'"
}

for b in $BACKENDS; do matrix "$b"; done
es_stop
pg_stop
mdb_stop
[ $fails -eq 0 ]
