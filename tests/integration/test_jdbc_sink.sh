#!/usr/bin/env bash
# test_jdbc_sink.sh - the jdbc sink against a private MariaDB and a private
# PostgreSQL: a GROUP BY over a mysql-cdc changelog upserted (and deleted)
# by key while a writer changes the source, compared with the same query
# computed by MariaDB over the final table; a composite key; every
# supported type; append mode; startup errors.
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/mariadb.sh"
. "$here/lib/postgres.sh"
tmp=$(mktemp -d)
jobpid=
cleanup() {
  [ -n "$jobpid" ] && kill -9 "$jobpid" 2>/dev/null
  mdb_cleanup
  pg_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
wait_for() { # wait_for FILE FIXED_STRING [SECONDS]
  local i n=$(( ${3:-30} * 10 ))
  for i in $(seq 1 $n); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "  (timed out waiting for '$2' in $(basename "$1"))"
  return 1
}

mdb_start "$tmp/mdb" || { echo "FAIL jdbc sink: MariaDB did not start"; exit 1; }
pg_start "$tmp/pg" || { echo "FAIL jdbc sink: PostgreSQL did not start"; exit 1; }
mdb_sql --database app "CREATE TABLE orders (id INT PRIMARY KEY, cust INT NOT NULL, region VARCHAR(8) NOT NULL, amt DECIMAL(10, 2) NOT NULL);
         INSERT INTO orders SELECT seq, seq % 50, ELT(1 + seq % 3, 'n', 's', 'e'), (seq % 997) / 10 FROM seq_1_to_5000;
         CREATE TABLE done (id INT PRIMARY KEY);
         CREATE TABLE totals (cust INT PRIMARY KEY, total DECIMAL(38, 2), n BIGINT);
         CREATE TABLE by_region (cust INT, region VARCHAR(8), total DECIMAL(38, 2), PRIMARY KEY (cust, region));
         GRANT INSERT, UPDATE, DELETE ON app.totals TO 'sluice'@'127.0.0.1';
         GRANT INSERT, UPDATE, DELETE ON app.by_region TO 'sluice'@'127.0.0.1'"
pg_sql "CREATE TABLE totals (cust INT PRIMARY KEY, total NUMERIC(38, 2), n BIGINT);
        CREATE TABLE by_region (cust INT, region VARCHAR(8), total NUMERIC(38, 2), PRIMARY KEY (cust, region));
        GRANT ALL ON totals, by_region TO sluice"

src="'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD', 'database-name' = 'app'"
my="'connector' = 'jdbc', 'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/app', 'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD'"
pg="'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:$PG_PORT/app', 'username' = 'sluice', 'password' = 'sluice-pw'"
cat > "$tmp/job.sql" <<SQL
CREATE TABLE orders (id INT, cust INT, region STRING, amt DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED)
  WITH ($src, 'table-name' = 'orders', 'scan.incremental.snapshot.chunk.size' = '700');
CREATE TABLE done (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ($src, 'table-name' = 'done');
CREATE TABLE totals_my (cust INT, total DECIMAL(38, 2), n BIGINT, PRIMARY KEY (cust) NOT ENFORCED)
  WITH ($my, 'table-name' = 'totals', 'sink.buffer-flush.max-rows' = '50', 'sink.buffer-flush.interval' = '200ms');
CREATE TABLE totals_pg (cust INT, total DECIMAL(38, 2), n BIGINT, PRIMARY KEY (cust) NOT ENFORCED)
  WITH ($pg, 'table-name' = 'totals', 'sink.buffer-flush.max-rows' = '50', 'sink.buffer-flush.interval' = '200ms');
CREATE TABLE region_my (cust INT, region STRING, total DECIMAL(38, 2), PRIMARY KEY (cust, region) NOT ENFORCED)
  WITH ($my, 'table-name' = 'by_region');
CREATE TABLE region_pg (cust INT, region STRING, total DECIMAL(38, 2), PRIMARY KEY (cust, region) NOT ENFORCED)
  WITH ($pg, 'table-name' = 'by_region');
CREATE TABLE marker (id INT) WITH ('connector' = 'print', 'print-identifier' = 'done');
EXECUTE STATEMENT SET BEGIN
INSERT INTO totals_my SELECT cust, SUM(amt), COUNT(*) FROM orders GROUP BY cust;
INSERT INTO totals_pg SELECT cust, SUM(amt), COUNT(*) FROM orders GROUP BY cust;
INSERT INTO region_my SELECT cust, region, SUM(amt) FROM orders GROUP BY cust, region;
INSERT INTO region_pg SELECT cust, region, SUM(amt) FROM orders GROUP BY cust, region;
INSERT INTO marker SELECT id FROM done;
END;
SQL
"$S" run "$tmp/job.sql" > "$tmp/job.out" 2> "$tmp/job.err" &
jobpid=$!
python3 - "$tmp/writer.sql" <<'PY'
import random, sys
r = random.Random(11)
live = set(range(1, 5001)); nxt = 10000
with open(sys.argv[1], 'w') as f:
    for t in range(300):
        f.write('BEGIN;\n')
        for s in range(r.randint(1, 6)):
            op = r.random()
            if op < 0.4:
                nxt += 1; live.add(nxt)
                f.write("INSERT INTO app.orders VALUES (%d, %d, '%s', %d.%02d);\n" % (nxt, r.randint(0, 60), r.choice('nse'), r.randint(0, 99), r.randint(0, 99)))
            elif op < 0.75:
                i = r.choice(sorted(live))
                f.write("UPDATE app.orders SET cust = %d, amt = amt + 1 WHERE id = %d;\n" % (r.randint(0, 60), i))
            else:
                i = r.choice(sorted(live)); live.discard(i)
                f.write("DELETE FROM app.orders WHERE id = %d;\n" % i)
        f.write('COMMIT;\n')
    # a whole customer disappears: its row must be deleted from the sinks
    f.write("DELETE FROM app.orders WHERE cust = 7;\n")
PY
sleep 0.3
mdb_sql < "$tmp/writer.sql" || echo "  (writer failed)"
mdb_sql "INSERT INTO app.done VALUES (1)"
wait_for "$tmp/job.out" "done> +I[1]" 60 || true
kill -TERM "$jobpid"; wait "$jobpid"; rc=$?; jobpid=
check "the job stops cleanly, flushing the sinks" test $rc -eq 0

mdb_sql "SELECT cust, SUM(amt), COUNT(*) FROM app.orders GROUP BY cust ORDER BY cust" > "$tmp/want"
mdb_sql "SELECT cust, total, n FROM app.totals ORDER BY cust" > "$tmp/got_my"
pg_sql "SELECT cust, total, n FROM totals ORDER BY cust" > "$tmp/got_pg"
check "MariaDB sink equals the query over the final table" diff "$tmp/want" "$tmp/got_my"
check "PostgreSQL sink equals the query over the final table" diff "$tmp/want" "$tmp/got_pg"
check "a vanished group was deleted" bash -c "! grep -q '^7	' '$tmp/got_pg'"
mdb_sql "SELECT cust, region, SUM(amt) FROM app.orders GROUP BY cust, region ORDER BY cust, region" > "$tmp/want2"
mdb_sql "SELECT cust, region, total FROM app.by_region ORDER BY cust, region" > "$tmp/got2_my"
pg_sql "SELECT cust, region, total FROM by_region ORDER BY cust, region" > "$tmp/got2_pg"
check "composite key, MariaDB" diff "$tmp/want2" "$tmp/got2_my"
check "composite key, PostgreSQL" diff "$tmp/want2" "$tmp/got2_pg"
check "no sanitizer reports" bash -c "! grep -q Sanitizer '$tmp/job.err'"

# Every supported type, and append mode (no key), into both databases.
cat > "$tmp/rows.json" <<'JSON'
{"id": 1, "b": true, "i": -2147483648, "big": 9223372036854775807, "d": -12345.67, "f": 0.1, "s": "it's \"quoted\" é 😀", "dt": "2024-02-29", "ts": "2024-02-29 23:59:59.123", "tm": "12:34:56", "by": "AQL/"}
{"id": 2, "b": false, "i": 0, "big": 0, "d": 0.00, "f": -1.5e300, "s": "", "dt": "1970-01-01", "ts": "1970-01-01 00:00:00", "tm": "00:00:00", "by": ""}
{"id": 3, "b": null, "i": null, "big": null, "d": null, "f": null, "s": null, "dt": null, "ts": null, "tm": null, "by": null}
JSON
mdb_sql "CREATE TABLE app.typed (id INT PRIMARY KEY, b BOOLEAN, i INT, big BIGINT, d DECIMAL(10, 2), f DOUBLE, s VARCHAR(40), dt DATE, ts DATETIME(3), tm TIME, \`by\` VARBINARY(10));
         CREATE TABLE app.appended (id INT, s VARCHAR(40));
         GRANT INSERT, UPDATE, DELETE ON app.typed TO 'sluice'@'127.0.0.1';
         GRANT INSERT ON app.appended TO 'sluice'@'127.0.0.1'"
pg_sql "CREATE TABLE typed (id INT PRIMARY KEY, b BOOLEAN, i INT, big BIGINT, d NUMERIC(10, 2), f DOUBLE PRECISION, s VARCHAR(40), dt DATE, ts TIMESTAMP(3), tm TIME, \"by\" BYTEA);
        CREATE TABLE appended (id INT, s VARCHAR(40));
        GRANT ALL ON typed, appended TO sluice"
cols="id INT, b BOOLEAN, i INT, big BIGINT, d DECIMAL(10, 2), f DOUBLE, s STRING, dt DATE, ts TIMESTAMP(3), tm TIME(0), \`by\` BYTES"
cat > "$tmp/types.sql" <<SQL
CREATE TABLE src ($cols) WITH ('connector' = 'filesystem', 'path' = '$tmp/rows.json', 'format' = 'json');
CREATE TABLE t_my ($cols, PRIMARY KEY (id) NOT ENFORCED) WITH ($my, 'table-name' = 'typed');
CREATE TABLE t_pg ($cols, PRIMARY KEY (id) NOT ENFORCED) WITH ($pg, 'table-name' = 'typed');
CREATE TABLE a_my (id INT, s STRING) WITH ($my, 'table-name' = 'appended');
CREATE TABLE a_pg (id INT, s STRING) WITH ($pg, 'table-name' = 'appended');
EXECUTE STATEMENT SET BEGIN
INSERT INTO t_my SELECT * FROM src;
INSERT INTO t_pg SELECT * FROM src;
INSERT INTO a_my SELECT id, s FROM src;
INSERT INTO a_my SELECT id, s FROM src;
INSERT INTO a_pg SELECT id, s FROM src;
END;
SQL
"$S" run "$tmp/types.sql" > "$tmp/types.out" 2> "$tmp/types.err"; rc=$?
check "types job succeeds" test $rc -eq 0
[ $rc -eq 0 ] || tail -3 "$tmp/types.err"
got_my=$(mdb_sql "SELECT id, b, i, big, d, f, s, dt, ts, tm, HEX(\`by\`) FROM app.typed ORDER BY id")
got_pg=$(pg_sql "SELECT id, b, i, big, d, f, s, dt, ts, tm, encode(\"by\", 'hex') FROM typed ORDER BY id")
check "types into MariaDB" test "$got_my" = "1	1	-2147483648	9223372036854775807	-12345.67	0.1	it's \"quoted\" é 😀	2024-02-29	2024-02-29 23:59:59.123	12:34:56	0102FF
2	0	0	0	0.00	-1.5e300		1970-01-01	1970-01-01 00:00:00.000	00:00:00	
3	NULL	NULL	NULL	NULL	NULL	NULL	NULL	NULL	NULL	NULL"
check "types into PostgreSQL" test "$got_pg" = "1	t	-2147483648	9223372036854775807	-12345.67	0.1	it's \"quoted\" é 😀	2024-02-29	2024-02-29 23:59:59.123	12:34:56	0102ff
2	f	0	0	0.00	-1.5e+300		1970-01-01	1970-01-01 00:00:00	00:00:00	
3										"
check "append mode writes every row (MariaDB)" test "$(mdb_sql "SELECT COUNT(*) FROM app.appended")" = 6
check "append mode writes every row (PostgreSQL)" test "$(pg_sql "SELECT COUNT(*) FROM appended")" = 3

# Startup errors.
cat > "$tmp/bad.sql" <<SQL
CREATE TABLE src (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '$tmp/rows.json', 'format' = 'json');
CREATE TABLE nope (id INT, s STRING) WITH ($pg, 'table-name' = 'no_such_table');
INSERT INTO nope SELECT * FROM src;
SQL
"$S" run "$tmp/bad.sql" > /dev/null 2> "$tmp/bad.err"; rc=$?
check "a missing target table fails at start" test $rc -eq 1
check "a missing target table is named" grep -q "sink table 'nope'.*no_such_table" "$tmp/bad.err"
cat > "$tmp/bad2.sql" <<SQL
CREATE TABLE src (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '$tmp/rows.json', 'format' = 'json');
CREATE TABLE t (id INT, missing STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ($my, 'table-name' = 'typed');
INSERT INTO t SELECT * FROM src;
SQL
"$S" run "$tmp/bad2.sql" > /dev/null 2> "$tmp/bad2.err"
check "a mismatched column is named" grep -q "column 'missing'" "$tmp/bad2.err"

pg_stop
mdb_stop
[ $fails -eq 0 ]
