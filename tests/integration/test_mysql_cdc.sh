#!/usr/bin/env bash
# test_mysql_cdc.sh - the mysql-cdc source against a private MariaDB: the
# type matrix (snapshot and binlog give identical values), exactly-once
# while writers run during a chunked snapshot, startup modes, metadata
# columns, and the errors that name their cause.
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/mariadb.sh"
tmp=$(mktemp -d)
jobpid=
cleanup() {
  [ -n "$jobpid" ] && kill -9 "$jobpid" 2>/dev/null
  mdb_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}

mdb_start "$tmp/mdb" || { echo "FAIL mysql-cdc: MariaDB did not start"; exit 1; }

# job NAME TABLE_REGEX COLUMNS [EXTRA_OPTIONS]: a job printing the table.
job() {
  local name=$1 re=$2 cols=$3 extra=${4:-}
  local sink_cols
  sink_cols=$(printf '%s' "$cols" | sed -E "s/ METADATA FROM '[a-z_]+' VIRTUAL//g; s/, PRIMARY KEY \(id\) NOT ENFORCED//")
  cat > "$tmp/$name.sql" <<SQL
CREATE TABLE src ($cols) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = '$re'$extra);
CREATE TABLE out_t ($sink_cols) WITH ('connector' = 'print');
INSERT INTO out_t SELECT * FROM src;
SQL
}

start_job() { # start_job NAME: runs it in the background
  "$S" run "$tmp/$1.sql" > "$tmp/$1.out" 2> "$tmp/$1.err" &
  jobpid=$!
}

stop_job() {
  [ -n "$jobpid" ] || return 0
  kill -TERM "$jobpid" 2>/dev/null
  local i
  for i in $(seq 1 100); do kill -0 "$jobpid" 2>/dev/null || break; sleep 0.1; done
  wait "$jobpid" 2>/dev/null
  jobpid=
}

wait_for() { # wait_for FILE FIXED_STRING [SECONDS]
  local i n=$(( ${3:-30} * 10 ))
  for i in $(seq 1 $n); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "  (timed out waiting for '$2' in $(basename "$1"))"; tail -5 "${1%.out}.err" 2>/dev/null
  return 1
}

# ---- type matrix -----------------------------------------------------------
mdb_sql "CREATE TABLE app.types (
  id INT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
  bi BIGINT, biu BIGINT UNSIGNED, bool1 TINYINT(1),
  d1 DECIMAL(10,2), d2 DECIMAL(38,10), d3 DECIMAL(65,30), d4 DECIMAL(5,0),
  f FLOAT, dbl DOUBLE, bit1 BIT(1), bit64 BIT(64), bit5 BIT(5), yr YEAR,
  dt DATE, tm TIME, tm6 TIME(6), tmwide TIME(6), dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(3) NULL,
  ch CHAR(10), vc VARCHAR(40) CHARACTER SET latin1, tx TEXT, mb VARCHAR(20) CHARACTER SET utf8mb4,
  bn BINARY(4), vb VARBINARY(10), bl BLOB,
  en ENUM('small','medium','large'), st SET('a','b','c'), js JSON)" || exit 1
cols_types='id INT, ti TINYINT, tiu SMALLINT, si SMALLINT, siu INT, mi INT, miu INT, i INT, iu BIGINT,
  bi BIGINT, biu DECIMAL(20, 0), bool1 BOOLEAN,
  d1 DECIMAL(10, 2), d2 DECIMAL(38, 10), d3 STRING, d4 DECIMAL(5, 0),
  f FLOAT, dbl DOUBLE, bit1 BOOLEAN, bit64 BYTES, bit5 BYTES, yr INT,
  dt DATE, tm TIME(0), tm6 TIME(6), tmwide STRING, dtm TIMESTAMP(6), dtm0 TIMESTAMP(0), ts TIMESTAMP_LTZ(3),
  ch STRING, vc STRING, tx STRING, mb STRING,
  bn BYTES, vb BYTES, bl BYTES,
  en STRING, st STRING, js STRING, PRIMARY KEY (id) NOT ENFORCED'
rows="(1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
   -9223372036854775808, 18446744073709551615, 1,
   -99999999.99, 1234567890123456789012345678.0123456789, -12345678901234567890123456789012345.123456789012345678901234567890, 99999,
   3.14159, -1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', b'10101', 2155,
   '9999-12-31', '23:59:59', '00:00:00.000001', '-838:59:59.000000', '9999-12-31 23:59:59.999999', '1000-01-01 00:00:00', '2038-01-19 03:14:07.499',
   'abc', 'café déjà vu €', REPEAT('x', 300), '日本語 ✓ 😀',
   x'00010203', x'ff00', x'deadbeef',
   'large', 'a,c', '{\"k\": [1, 2.5, \"s\"], \"n\": null}'),
  (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
   0.00, 0, 0, 0, 0, 0, b'0', b'0', b'0', 1901,
   '1000-01-01', '00:00:00', '12:34:56.5', '00:00:00', '1000-01-01 00:00:00', '2000-02-29 12:00:00', '1970-01-01 00:00:01.000',
   '', '', '', '', x'00000000', x'', x'', 'small', '', '[]'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
mdb_sql "INSERT INTO app.types VALUES $rows" || exit 1
# A zero date, as old applications write them.
mdb_sql "SET SESSION sql_mode = ''; INSERT INTO app.types (id, dt, dtm) VALUES (4, '0000-00-00', '0000-00-00 00:00:00')" || exit 1
job types types "$cols_types"
start_job types
wait_for "$tmp/types.out" "+I[4," || true
# The same values again through the binlog.
mdb_sql "INSERT INTO app.types SELECT id + 1000, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, bool1, d1, d2, d3, d4,
  f, dbl, bit1, bit64, bit5, yr, dt, tm, tm6, tmwide, dtm, dtm0, ts, ch, vc, tx, mb, bn, vb, bl, en, st, js FROM app.types"
wait_for "$tmp/types.out" "+I[1004," || true
mdb_sql "UPDATE app.types SET vc = 'updated', d1 = 1.05 WHERE id = 1001; DELETE FROM app.types WHERE id = 1002"
wait_for "$tmp/types.out" "-D[1002," || true
stop_job
check "type matrix: snapshot rows" test "$(grep -c '^+I\[[0-9],' "$tmp/types.out")" -eq 4
check "type matrix: BIT and BINARY bytes" grep -qF -- '[-1, -1, -1, -1, -1, -1, -1, -1], [21]' <<< "$(grep '^+I\[1,' "$tmp/types.out")"
check "type matrix: binlog rows" test "$(grep -c '^+I\[100[0-9],' "$tmp/types.out")" -eq 4
# Snapshot row N and binlog row 1000+N print the same.
same_values() {
  python3 - "$tmp/types.out" <<'PY'
import sys
snap, binl = {}, {}
for line in open(sys.argv[1], encoding='utf-8'):
    if not line.startswith('+I['):
        continue
    k, rest = line[3:].split(', ', 1)
    k = int(k)
    (binl if k > 1000 else snap)[k % 1000] = rest
bad = [k for k in snap if snap[k] != binl.get(k)]
for k in bad:
    print('  snapshot %d: %s  binlog   %d: %s' % (k, snap[k].strip()[:300], k + 1000, (binl.get(k) or '').strip()[:300]))
sys.exit(1 if bad or len(snap) != 4 else 0)
PY
}
check "type matrix: binlog values equal snapshot values" same_values
row1=$(grep '^+I\[1,' "$tmp/types.out")
for want in '-128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295' \
            '-9223372036854775808, 18446744073709551615, true' \
            '-99999999.99, 1234567890123456789012345678.0123456789, -12345678901234567890123456789012345.123456789012345678901234567890, 99999' \
            '3.14159, -1.7976931348623157E308, true' \
            '2155, 9999-12-31, 23:59:59, 00:00:00.000001, -838:59:59.000000, 9999-12-31T23:59:59.999999, 1000-01-01T00:00, 2038-01-19T03:14:07.499Z' \
            "abc, café déjà vu €, " '日本語 ✓ 😀' \
            "large, a,c, {\"k\": [1, 2.5, \"s\"], \"n\": null}"; do
  check "type matrix: row 1 has $want" grep -qF -- "$want" <<< "$row1"
done
check "type matrix: NULLs" grep -qF -- '+I[3, null, null, null' "$tmp/types.out"
check "type matrix: zero date is NULL" grep -qE -- '^\+I\[4, .*null' "$tmp/types.out"
check "type matrix: update is -U/+U" grep -qF -- '+U[1001, ' "$tmp/types.out"
check "type matrix: updated value" grep -F -- '+U[1001, ' "$tmp/types.out" | grep -qF 'updated'
check "type matrix: delete is -D" grep -qF -- '-D[1002, 0, 0' "$tmp/types.out"

# ---- metadata columns and startup modes ------------------------------------
mdb_sql "CREATE TABLE app.orders_1 (id INT PRIMARY KEY, amt DECIMAL(10,2));
         CREATE TABLE app.orders_2 (id INT PRIMARY KEY, amt DECIMAL(10,2));
         CREATE TABLE app.orders_x (id INT PRIMARY KEY, amt DECIMAL(10,2));
         INSERT INTO app.orders_1 VALUES (1, 1.00), (2, 2.00);
         INSERT INTO app.orders_2 VALUES (1, 10.00);
         INSERT INTO app.orders_x VALUES (7, 7.00)"
job shards 'orders_[0-9]+' "id INT, amt DECIMAL(10, 2), db STRING METADATA FROM 'database_name' VIRTUAL,
  tbl STRING METADATA FROM 'table_name' VIRTUAL, kind STRING METADATA FROM 'row_kind' VIRTUAL,
  ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL" ", 'scan.startup.mode' = 'snapshot'"
"$S" run --verbose "$tmp/shards.sql" > "$tmp/shards.out" 2> "$tmp/shards.err"; rc=$?
check "snapshot mode ends by itself" test $rc -eq 0
check "sharded tables matched by regex" test "$(grep -c '^+I' "$tmp/shards.out")" -eq 3
check "metadata columns" grep -qF -- '+I[1, 10.00, app, orders_2, +I, 1970-01-01T00:00:00Z]' "$tmp/shards.out"
check "snapshot progress is reported" grep -q 'source src: snapshot not running, 2/2 tables, 2 chunks (of about [0-9]*), 3 rows' "$tmp/shards.err"
check "regex is matched whole" bash -c "! grep -q orders_x '$tmp/shards.out'"

job latest 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'latest-offset'"
start_job latest
wait_for "$tmp/latest.err" "binlog from" 20 || true
mdb_sql "INSERT INTO app.orders_1 VALUES (3, 3.00)"
wait_for "$tmp/latest.out" "+I[3, 3.00]" || true
stop_job
check "latest-offset: only new changes" test "$(cat "$tmp/latest.out")" = "+I[3, 3.00]"

gtid=$(mdb_sql "SELECT @@gtid_binlog_pos")
mdb_sql "INSERT INTO app.orders_1 VALUES (4, 4.00); DELETE FROM app.orders_1 WHERE id = 1"
job gtid 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'specific-offset', 'scan.startup.specific-offset.gtid-set' = '$gtid'"
start_job gtid
wait_for "$tmp/gtid.out" "-D[1, 1.00]" || true
stop_job
check "specific-offset from a MariaDB GTID" test "$(cat "$tmp/gtid.out")" = "+I[4, 4.00]
-D[1, 1.00]"
pos=$(mdb_sql "SHOW MASTER STATUS" | cut -f1,2)
mdb_sql "INSERT INTO app.orders_1 VALUES (5, 5.00)"
job fpos 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'specific-offset', 'scan.startup.specific-offset.file' = '${pos%%	*}', 'scan.startup.specific-offset.pos' = '${pos##*	}'"
start_job fpos
wait_for "$tmp/fpos.out" "+I[5, 5.00]" || true
stop_job
check "specific-offset from a file and position" test "$(cat "$tmp/fpos.out")" = "+I[5, 5.00]"
job earliest 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'earliest-offset'"
start_job earliest
wait_for "$tmp/earliest.out" "+I[5, 5.00]" || true
stop_job
check "earliest-offset replays the whole binlog" test "$(head -2 "$tmp/earliest.out")" = "+I[1, 1.00]
+I[2, 2.00]"

sleep 1.1
ts_ms=$(( $(date +%s) * 1000 ))
sleep 1.1
mdb_sql "INSERT INTO app.orders_1 VALUES (6, 6.00)"
job tsmode 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '$ts_ms'"
start_job tsmode
wait_for "$tmp/tsmode.out" "+I[6, 6.00]" || true
stop_job
check "timestamp mode skips older changes" test "$(cat "$tmp/tsmode.out")" = "+I[6, 6.00]"

# ---- exactly once while writers run during the snapshot --------------------
mdb_sql --database app "CREATE TABLE app.big (id INT PRIMARY KEY, k INT NOT NULL, v VARCHAR(20) NOT NULL);
         INSERT INTO app.big SELECT seq, seq % 97, CONCAT('v', seq) FROM seq_1_to_200000;
         CREATE TABLE app.done (id INT PRIMARY KEY)"
python3 - "$tmp/writer" <<'PY'
import random, sys
r = random.Random(7)
live = set(range(1, 200001))
nxt = 300000
for b in range(20):
    with open('%s.%d.sql' % (sys.argv[1], b), 'w') as f:
        for t in range(25):
            f.write('BEGIN;\n')
            for s in range(r.randint(1, 8)):
                op = r.random()
                if op < 0.35:
                    nxt += 1; live.add(nxt)
                    f.write("INSERT INTO app.big VALUES (%d, %d, 'n%d');\n" % (nxt, r.randint(0, 96), nxt))
                elif op < 0.75:
                    i = r.choice(sorted(live)[:: max(1, len(live) // 5000)])
                    f.write("UPDATE app.big SET k = k + 1, v = 'u%d' WHERE id = %d;\n" % (r.randint(0, 999), i))
                elif op < 0.85:
                    i = r.choice(sorted(live)[:: max(1, len(live) // 5000)])
                    nxt += 1
                    f.write("UPDATE app.big SET id = %d WHERE id = %d;\n" % (nxt, i))
                    live.discard(i); live.add(nxt)
                else:
                    i = r.choice(sorted(live)[:: max(1, len(live) // 5000)])
                    f.write("DELETE FROM app.big WHERE id = %d;\n" % i)
                    live.discard(i)
            f.write('COMMIT;\n')
PY
cat > "$tmp/big.sql" <<SQL
CREATE TABLE big (id INT, k INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = 'big|done',
  'scan.incremental.snapshot.chunk.size' = '2000');
CREATE TABLE done_t (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = 'done', 'scan.startup.mode' = 'latest-offset');
CREATE TABLE out_big (id INT, k INT, v STRING) WITH ('connector' = 'print');
CREATE TABLE out_done (id INT) WITH ('connector' = 'print', 'print-identifier' = 'done');
EXECUTE STATEMENT SET BEGIN
INSERT INTO out_big SELECT * FROM big /*+ OPTIONS('table-name' = 'big') */;
INSERT INTO out_done SELECT * FROM done_t;
END;
SQL
start_job big
( for b in $(seq 0 19); do mdb_sql < "$tmp/writer.$b.sql" || echo "writer batch $b failed" >&2; sleep 0.1; done
  mdb_sql "INSERT INTO app.done VALUES (1)" ) 2> "$tmp/writer.err"
wait_for "$tmp/big.out" "done> +I[1]" 120 || true
stop_job
mdb_sql "SELECT id, k, v FROM app.big ORDER BY id" > "$tmp/big.expected"
apply_changelog() {
  python3 - "$tmp/big.out" "$tmp/big.expected" <<'PY'
import sys
rows, errors = {}, []
for n, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    if line.startswith('done>') or not line[:2] in ('+I', '-U', '+U', '-D'):
        continue
    f = line.strip()[3:-1].split(', ')
    key, val = int(f[0]), (f[1], f[2])
    if line[0] == '+':
        if key in rows:
            errors.append('line %d: %s adds key %d twice' % (n, line[:2], key))
        rows[key] = val
    else:
        if rows.get(key) != val:
            errors.append('line %d: %s retracts %s, state has %s' % (n, line[:2], f, rows.get(key)))
        rows.pop(key, None)
want = {}
for line in open(sys.argv[2], encoding='utf-8'):
    i, k, v = line.rstrip('\n').split('\t')
    want[int(i)] = (k, v)
for k in sorted(set(want) | set(rows)):
    if want.get(k) != rows.get(k):
        errors.append('key %d: table %s, changelog %s' % (k, want.get(k), rows.get(k)))
for e in errors[:10]:
    print('  ' + e)
print('  %d rows in the table, %d from the changelog, %d problems' % (len(want), len(rows), len(errors)))
sys.exit(1 if errors else 0)
PY
}
check "exactly once: writers during a chunked snapshot" apply_changelog
check "exactly once: the writers ran" test ! -s "$tmp/writer.err"
check "snapshot progress is logged" grep -Eq 'snapshot of app.big done: [0-9]{6} rows in [0-9]+ chunks' "$tmp/big.err"

# ---- into a filesystem sink as a debezium-json changelog ----------------------
mdb_sql "CREATE TABLE app.fs (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO app.fs VALUES (1, 'a'), (2, 'b')"
cat > "$tmp/fs.sql" <<SQL
CREATE TABLE src (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = 'fs');
CREATE TABLE out_fs (id INT, v STRING) WITH (
  'connector' = 'filesystem', 'path' = '$tmp/fs.json', 'format' = 'debezium-json');
INSERT INTO out_fs SELECT * FROM src;
SQL
start_job fs
wait_for "$tmp/fs.err" "binlog from" 20 || true
mdb_sql "UPDATE app.fs SET v = 'c' WHERE id = 1; DELETE FROM app.fs WHERE id = 2"
sleep 1
stop_job
fs_ops=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["op"], json.dumps(d["before"]), json.dumps(d["after"]))
' "$tmp/fs.json" 2>&1)
check "into filesystem: the exact debezium-json changelog" test "$fs_ops" = 'c null {"id": 1, "v": "a"}
c null {"id": 2, "v": "b"}
d {"id": 1, "v": "a"} null
c null {"id": 1, "v": "c"}
d {"id": 2, "v": "b"} null'

# ---- a 100k-row transaction ---------------------------------------------------
mdb_sql "CREATE TABLE app.bulk (id INT PRIMARY KEY, v INT)"
job bulk 'bulk' "id INT, v INT, PRIMARY KEY (id) NOT ENFORCED"
start_job bulk
wait_for "$tmp/bulk.err" "binlog from" 20 || true
mdb_sql --database app "BEGIN; INSERT INTO app.bulk SELECT seq, seq FROM seq_1_to_100000; UPDATE app.bulk SET v = -1 WHERE id = 1; COMMIT"
wait_for "$tmp/bulk.out" "+U[1, -1]" 60 || true
stop_job
check "a 100k-row transaction arrives whole" test "$(grep -c '^+I' "$tmp/bulk.out")" -eq 100000

# ---- DDL while streaming: columns added anywhere, dropped, retyped ----------
mdb_sql "CREATE TABLE app.ddl (id INT PRIMARY KEY, a VARCHAR(10), b INT, c INT); INSERT INTO app.ddl VALUES (1, 'one', 10, 100)"
job ddl 'ddl' "id INT, a STRING, c BIGINT, PRIMARY KEY (id) NOT ENFORCED"
start_job ddl
wait_for "$tmp/ddl.out" "+I[1, one, 100]" || true
mdb_sql "ALTER TABLE app.ddl ADD COLUMN z INT FIRST; ALTER TABLE app.ddl DROP COLUMN b;
         ALTER TABLE app.ddl MODIFY c BIGINT; INSERT INTO app.ddl (z, id, a, c) VALUES (7, 2, 'two', 3000000000)"
wait_for "$tmp/ddl.out" "+I[2, two, 3000000000]" || true
stop_job
check "DDL: rows after ALTERs decode by column name" grep -qF -- '+I[2, two, 3000000000]' "$tmp/ddl.out"
check "DDL: logged" grep -q 'DDL at .* may concern app.ddl' "$tmp/ddl.err"

# ---- a lost connection: the server is killed and restarted ------------------
mdb_sql "CREATE TABLE app.rc (id INT PRIMARY KEY, v INT); INSERT INTO app.rc VALUES (1, 1)"
job rc 'rc' "id INT, v INT, PRIMARY KEY (id) NOT ENFORCED" ", 'connect.max-retries' = '30'"
start_job rc
wait_for "$tmp/rc.out" "+I[1, 1]" || true
mdb_sql "INSERT INTO app.rc VALUES (2, 2)"
wait_for "$tmp/rc.out" "+I[2, 2]" || true
mdb_kill
mdb_restart || echo "  (restart failed)"
mdb_sql "INSERT INTO app.rc VALUES (3, 3); UPDATE app.rc SET v = 20 WHERE id = 2"
wait_for "$tmp/rc.out" "+U[2, 20]" 60 || true
stop_job
check "lost connection: reconnects and logs each attempt" grep -q 'reconnected to 127.0.0.1' "$tmp/rc.err"
check "lost connection: nothing lost or repeated" test "$(cat "$tmp/rc.out")" = "+I[1, 1]
+I[2, 2]
+I[3, 3]
-U[2, 2]
+U[2, 20]"

# ---- a server id used twice ---------------------------------------------------
job sid1 'rc' "id INT, v INT" ", 'server-id' = '5555-5560'"
start_job sid1
wait_for "$tmp/sid1.err" "binlog from" 20 || true
pid1=$jobpid
"$S" run "$tmp/sid1.sql" > /dev/null 2> "$tmp/sid2.err" &
pid2=$!
wait "$pid1"; rc1=$?
kill -TERM "$pid2" 2>/dev/null; wait "$pid2" 2>/dev/null
jobpid=
check "server-id conflict fails the job" test "$rc1" -eq 1
check "server-id conflict is named" grep -q "server-id 5555 is used by another replica" "$tmp/sid1.err"

# ---- errors name their cause -----------------------------------------------
job nomatch 'nothing_[0-9]+' "id INT"
"$S" run "$tmp/nomatch.sql" > /dev/null 2> "$tmp/nomatch.err"; rc=$?
check "no matching table fails" test $rc -eq 1
check "no matching table is named" grep -q 'no table on 127.0.0.1:.* matches database-name and table-name' "$tmp/nomatch.err"

job badcol 'orders_1' "id INT, price DECIMAL(10, 2)"
"$S" run "$tmp/badcol.sql" > /dev/null 2> "$tmp/badcol.err"
check "unknown column is named" grep -q "column 'price' of table 'src' is not in app.orders_1 (its columns: id, amt)" "$tmp/badcol.err"

mdb_sql "CREATE USER 'weak'@'127.0.0.1' IDENTIFIED BY 'weak-pw'; GRANT SELECT ON app.* TO 'weak'@'127.0.0.1'"
job weak 'orders_1' "id INT, amt DECIMAL(10, 2)"
sed -i "s/'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD'/'username' = 'weak', 'password' = 'weak-pw'/" "$tmp/weak.sql"
"$S" run "$tmp/weak.sql" > /dev/null 2> "$tmp/weak.err"; rc=$?
check "missing grant fails" test $rc -eq 1
check "missing grant is named" grep -q "user 'weak' may not run SHOW MASTER STATUS.*BINLOG MONITOR" "$tmp/weak.err"

sed -i "s/'password' = 'weak-pw'/'password' = 'wrong'/" "$tmp/weak.sql"
"$S" run "$tmp/weak.sql" > /dev/null 2> "$tmp/weak2.err"
check "bad password names host and user" grep -q "cannot connect to 127.0.0.1:$MDB_PORT as 'weak'" "$tmp/weak2.err"

mdb_sql "SET GLOBAL binlog_format = 'STATEMENT'"
job stmt 'orders_1' "id INT, amt DECIMAL(10, 2)"
"$S" run "$tmp/stmt.sql" > /dev/null 2> "$tmp/stmt.err"; rc=$?
mdb_sql "SET GLOBAL binlog_format = 'ROW'"
check "statement binlog fails" test $rc -eq 1
check "statement binlog names the setting" grep -q "binlog_format is STATEMENT on 127.0.0.1:$MDB_PORT, but change data capture needs ROW" "$tmp/stmt.err"

job mygtid 'orders_1' "id INT" ", 'scan.startup.mode' = 'specific-offset', 'scan.startup.specific-offset.gtid-set' = '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5'"
"$S" run "$tmp/mygtid.sql" > /dev/null 2> "$tmp/mygtid.err"
check "a MySQL GTID set on MariaDB is refused" grep -q "is MariaDB, but 'scan.startup.specific-offset.gtid-set' '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5' is a MySQL GTID set" "$tmp/mygtid.err"
job badgtid 'orders_1' "id INT" ", 'scan.startup.mode' = 'specific-offset', 'scan.startup.specific-offset.gtid-set' = '0-1'"
"$S" run "$tmp/badgtid.sql" > /dev/null 2> "$tmp/badgtid.err"
check "a malformed GTID set is positioned" grep -q "badgtid.sql:4:.*is neither a MariaDB GTID list" "$tmp/badgtid.err"

cat > "$tmp/badopt.sql" <<'SQL'
CREATE TABLE src (id INT) WITH ('connector' = 'mysql-cdc', 'hostname' = 'h', 'username' = 'u',
  'password' = 'p', 'database-name' = 'app', 'table-name' = 't', 'server-id' = '12-3x');
CREATE TABLE o (id INT) WITH ('connector' = 'print');
INSERT INTO o SELECT * FROM src;
SQL
"$S" run "$tmp/badopt.sql" > /dev/null 2> "$tmp/badopt.err"
check "bad server-id is positioned" grep -q "badopt.sql:2:.*option 'server-id': '12-3x' is not a server id" "$tmp/badopt.err"

# binlog_row_metadata=MINIMAL (MySQL 8.0's default): no column names or
# ENUM/SET labels in the binlog; the information schema supplies them.
mdb_start "$tmp/mdb_min" --binlog-row-metadata=MINIMAL || echo "  (second instance failed)"
mdb_sql "CREATE TABLE app.m (id INT PRIMARY KEY, u BIGINT UNSIGNED, e ENUM('x','y','z'), s SET('p','q'), t TINYINT UNSIGNED);
         INSERT INTO app.m VALUES (1, 18446744073709551615, 'z', 'p,q', 255)"
job minimal 'm' "id INT, u DECIMAL(20, 0), e STRING, s STRING, t SMALLINT, PRIMARY KEY (id) NOT ENFORCED"
start_job minimal
wait_for "$tmp/minimal.out" "+I[1," || true
mdb_sql "INSERT INTO app.m SELECT id + 1, u, e, s, t FROM app.m"
wait_for "$tmp/minimal.out" "+I[2," || true
stop_job
mdb_stop "$tmp/mdb_min"
mdb_use "$tmp/mdb"
check "MINIMAL row metadata: snapshot row" grep -qF -- '+I[1, 18446744073709551615, z, p,q, 255]' "$tmp/minimal.out"
check "MINIMAL row metadata: binlog row" grep -qF -- '+I[2, 18446744073709551615, z, p,q, 255]' "$tmp/minimal.out"

# A position the server has purged.
old_file=$(mdb_sql "SHOW MASTER STATUS" | cut -f1)
mdb_sql "FLUSH BINARY LOGS"
new_file=$(mdb_sql "SHOW MASTER STATUS" | cut -f1)
# (a dump thread of a job that just stopped may hold the file a moment)
for i in $(seq 1 50); do
  mdb_sql "PURGE BINARY LOGS TO '$new_file'"
  mdb_sql "SHOW BINARY LOGS" | grep -qF "$old_file" || break
  sleep 0.2
done
job purged 'orders_1' "id INT, amt DECIMAL(10, 2)" ", 'scan.startup.mode' = 'specific-offset', 'scan.startup.specific-offset.file' = '$old_file', 'scan.startup.specific-offset.pos' = '4'"
timeout 30 "$S" run "$tmp/purged.sql" > /dev/null 2> "$tmp/purged.err"; rc=$?
check "purged binlog fails" test $rc -eq 1
check "purged binlog names the position and the way out" grep -q "cannot send the binlog from $old_file:4: .*purged: restart the job with a new snapshot" "$tmp/purged.err"

mdb_stop
# Under AddressSanitizer (scripts/check), no job may leak or misbehave.
check "no sanitizer reports" bash -c "! grep -l 'Sanitizer' '$tmp'/*.err"
[ $fails -eq 0 ]
