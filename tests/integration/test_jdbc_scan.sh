#!/usr/bin/env bash
# test_jdbc_scan.sh - the 'jdbc' scan source against a private MariaDB
# (lib/mariadb.sh) and a private PostgreSQL (lib/postgres.sh): every
# supported type with boundary values and NULLs (sluice's print output
# compared with the expected text), partitioned scans (Flink's BETWEEN
# ranges: rows inside [lower, upper] exactly once, rows outside and NULLs
# not read), scan.fetch-size, streaming in bounded memory, a stop while a
# read is blocked, schema-qualified names, and the errors that name their
# cause (missing table and column, wrong password, refused connection, a
# type that does not map, a bad URL pointed at in the SQL).
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/mariadb.sh"
have_pg=0
if [ -f "$here/lib/postgres.sh" ]; then
  . "$here/lib/postgres.sh"
  have_pg=1
fi
tmp=$(mktemp -d)
bg=()
cleanup() {
  local p
  for p in "${bg[@]}"; do kill -9 "$p" 2>/dev/null; done
  mdb_cleanup
  [ $have_pg = 1 ] && pg_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
# Peak memory bounds hold for normal builds; AddressSanitizer's quarantine
# and shadow memory (scripts/check sets ASAN_OPTIONS for that build) make
# RSS meaningless, so there only the rows are checked.
rss_ok() {
  [ -n "${ASAN_OPTIONS:-}" ] && return 0
  test "$1" -lt 61440
}
# same FILE EXPECTED: the file's lines, sorted, equal the expected text
# (sorted); a difference is shown.
same() {
  if diff <(sort "$1") <(printf '%s\n' "$2" | sort) > "$tmp/diff"; then return 0; fi
  sed 's/^/  /' "$tmp/diff" | head -20
  return 1
}
has() { grep -qF -- "$2" "$1" || { echo "  $(basename "$1"): no '$2' in:"; sed 's/^/    /' "$1" | head -5; return 1; }; }

# job NAME COLUMNS OPTIONS: a job printing the jdbc table src.
job() {
  cat > "$tmp/$1.sql" <<SQL
CREATE TABLE src ($2) WITH (
  'connector' = 'jdbc', $3);
CREATE TABLE out_t WITH ('connector' = 'print') LIKE src (EXCLUDING OPTIONS);
INSERT INTO out_t SELECT * FROM src;
SQL
}
run() { # run NAME: runs it, output in NAME.out / NAME.err, status in rc
  "$S" run "$tmp/$1.sql" > "$tmp/$1.out" 2> "$tmp/$1.err"; rc=$?
}

mdb_start "$tmp/mdb" || { echo "FAIL jdbc: MariaDB did not start"; exit 1; }
MY="'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/app?useSSL=false&autoReconnect=true&serverTimezone=UTC', 'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD'"

# ==== MariaDB ===============================================================

# ---- every type, boundaries and NULLs --------------------------------------
mdb_sql "CREATE TABLE app.types (
  id INT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
  bi BIGINT, biu BIGINT UNSIGNED, bool1 TINYINT(1), bo BOOLEAN,
  d1 DECIMAL(10,2), d2 DECIMAL(38,10), d3 DECIMAL(65,30), d4 DECIMAL(5,0),
  f FLOAT, dbl DOUBLE, bit1 BIT(1), bit64 BIT(64), bit5 BIT(5), yr YEAR,
  dt DATE, tm TIME, tm6 TIME(6), tmwide TIME(6), dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(3) NULL,
  ch CHAR(10), vc VARCHAR(40) CHARACTER SET latin1, tx TEXT, mb VARCHAR(20) CHARACTER SET utf8mb4,
  bn BINARY(4), vb VARBINARY(10), bl BLOB,
  en ENUM('small','medium','large'), st SET('a','b','c'), js JSON)" || exit 1
mdb_sql "INSERT INTO app.types VALUES
  (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
   -9223372036854775808, 18446744073709551615, 1, TRUE,
   -99999999.99, 1234567890123456789012345678.0123456789,
   -12345678901234567890123456789012345.123456789012345678901234567890, 99999,
   3.14159, -1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', b'10101', 2155,
   '9999-12-31', '23:59:59', '00:00:00.000001', '-838:59:59.000000', '9999-12-31 23:59:59.999999', '1000-01-01 00:00:00', '2038-01-19 03:14:07.499',
   'abc', 'café déjà vu €', REPEAT('x', 30), '日本語 ✓ 😀',
   x'00010203', x'ff00', x'deadbeef', 'large', 'a,c', '{\"k\": [1, 2.5, \"s\"], \"n\": null}'),
  (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0, FALSE,
   0.00, -0.0000000001, 0, -99999, 1.17549e-38, 4.9e-324, b'0', b'0', b'0', 1901,
   '1000-01-01', '00:00:00', '12:34:56.5', '838:59:59', '1000-01-01 00:00:00', '2000-02-29 12:00:00', '1970-01-01 00:00:01.000',
   '', '', '', '', x'00000000', x'', x'', 'small', '', '[]'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)" || exit 1
job mytypes "id INT, ti TINYINT, tiu SMALLINT, si SMALLINT, siu INT, mi INT, miu INT, i INT, iu BIGINT,
  bi BIGINT, biu DECIMAL(20, 0), bool1 BOOLEAN, bo BOOLEAN,
  d1 DECIMAL(10, 2), d2 DECIMAL(38, 10), d3 STRING, d4 DECIMAL(5, 0),
  f FLOAT, dbl DOUBLE, bit1 BOOLEAN, bit64 BYTES, bit5 BYTES, yr INT,
  dt DATE, tm TIME(0), tm6 TIME(6), tmwide STRING, dtm TIMESTAMP(6), dtm0 TIMESTAMP(0), ts TIMESTAMP(3),
  ch STRING, vc STRING, tx STRING, mb STRING, bn BYTES, vb BYTES, bl BYTES,
  en STRING, st STRING, js STRING" "$MY, 'table-name' = 'types'"
run mytypes
check "mysql types: exits 0" test $rc -eq 0
check "mysql types: every value" same "$tmp/mytypes.out" '+I[1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, true, true, -99999999.99, 1234567890123456789012345678.0123456789, -12345678901234567890123456789012345.123456789012345678901234567890, 99999, 3.14159, -1.7976931348623157E308, true, [-1, -1, -1, -1, -1, -1, -1, -1], [21], 2155, 9999-12-31, 23:59:59, 00:00:00.000001, -838:59:59.000000, 9999-12-31T23:59:59.999999, 1000-01-01T00:00, 2038-01-19T03:14:07.499, abc, café déjà vu €, xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, 日本語 ✓ 😀, [0, 1, 2, 3], [-1, 0], [-34, -83, -66, -17], large, a,c, {"k": [1, 2.5, "s"], "n": null}]
+I[2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, false, false, 0.00, -1E-10, 0.000000000000000000000000000000, -99999, 1.17549E-38, 4.9E-324, false, [0, 0, 0, 0, 0, 0, 0, 0], [0], 1901, 1000-01-01, 00:00, 12:34:56.500, 838:59:59.000000, 1000-01-01T00:00, 2000-02-29T12:00, 1970-01-01T00:00:01, , , , , [0, 0, 0, 0], [], [], small, , []]
+I[3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]'
check "mysql types: the end is logged" has "$tmp/mytypes.err" 'jdbc: read 3 rows of `app`.`types`'

# Columns by name in any order, a subset, names in another case; TIMESTAMP
# as a wall clock in the URL's serverTimezone; database.table names.
mdb_sql "CREATE DATABASE other; CREATE TABLE other.t2 (Id INT PRIMARY KEY, v VARCHAR(5)); INSERT INTO other.t2 VALUES (7, 'seven')"
job myorder "ts TIMESTAMP(3), id INT, DT DATE" "'url' = 'jdbc:mariadb://127.0.0.1:$MDB_PORT/app?serverTimezone=Asia/Shanghai', 'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD', 'driver' = 'org.mariadb.jdbc.Driver', 'table-name' = 'app.types'"
run myorder
check "mysql: columns by name, a subset, another case" same "$tmp/myorder.out" '+I[2038-01-19T11:14:07.499, 1, 9999-12-31]
+I[1970-01-01T08:00:01, 2, 1000-01-01]
+I[null, 3, null]'
job myother "id INT, v STRING" "$MY, 'table-name' = 'other.t2', 'driver' = 'com.mysql.cj.jdbc.Driver'"
run myother
check "mysql: a table of another database (database.table)" same "$tmp/myother.out" '+I[7, seven]'

# ---- partitioned scans -------------------------------------------------------
# k: -20..119 and NULLs; Flink reads "k BETWEEN lo AND hi" per partition, so
# only the rows with lower <= k <= upper, each once.
mdb_sql --database app "CREATE TABLE app.p (id INT PRIMARY KEY, k INT NULL, v VARCHAR(10));
  INSERT INTO app.p SELECT seq, IF(seq % 10 = 0, NULL, CAST(seq AS SIGNED) - 21), CONCAT('v', seq) FROM seq_1_to_140"
mdb_sql "SELECT CONCAT('+I[', id, ', ', v, ']') FROM app.p WHERE k BETWEEN 0 AND 99" > "$tmp/p.want"
job mypart "id INT, v STRING" "$MY, 'table-name' = 'p', 'scan.partition.column' = 'k',
  'scan.partition.num' = '4', 'scan.partition.lower-bound' = '0', 'scan.partition.upper-bound' = '99'"
run mypart
check "mysql partitions: exits 0" test $rc -eq 0 -a "$(wc -l < "$tmp/p.want")" -eq 90
check "mysql partitions: the rows within the bounds, each once" same "$tmp/mypart.out" "$(cat "$tmp/p.want")"
check "mysql partitions: $(wc -l < "$tmp/p.want") rows, none outside [0, 99], no NULL keys" test "$(wc -l < "$tmp/mypart.out")" -eq "$(wc -l < "$tmp/p.want")"
check "mysql partitions: logged" has "$tmp/mypart.err" 'jdbc: reading `app`.`p` in 4 partitions of k from 0 to 99'
job mypart2 "id INT, k INT" "$MY, 'table-name' = 'p', 'scan.partition.column' = 'k',
  'scan.partition.num' = '1000', 'scan.partition.lower-bound' = '-3', 'scan.partition.upper-bound' = '-1', 'scan.fetch-size' = '1'"
run mypart2
check "mysql partitions: more partitions than values (k = -1 is NULL)" same "$tmp/mypart2.out" '+I[18, -3]
+I[19, -2]'
check "mysql partitions: 3 partitions of one value" has "$tmp/mypart2.err" 'in 3 partitions of k from -3 to -1'

# ---- big tables: fetch-size, bounded memory, a stop while blocked ------------
mdb_sql --database app "CREATE TABLE app.big (id INT PRIMARY KEY, pad VARCHAR(600));
  INSERT INTO app.big SELECT seq, REPEAT(MD5(seq), 16) FROM seq_1_to_150000"
cat > "$tmp/mybig.sql" <<SQL
CREATE TABLE src (id BIGINT, pad STRING) WITH ('connector' = 'jdbc', $MY, 'table-name' = 'big', 'scan.fetch-size' = '7');
CREATE TABLE o (n BIGINT, s BIGINT, l BIGINT) WITH ('connector' = 'print');
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '10 s';
SET 'table.exec.mini-batch.size' = '1000000';
INSERT INTO o SELECT COUNT(*), SUM(id), SUM(CHAR_LENGTH(pad)) FROM src;
SQL
/usr/bin/time -f '%M' -o "$tmp/mybig.rss" "$S" run "$tmp/mybig.sql" > "$tmp/mybig.out" 2> "$tmp/mybig.err"
check "mysql big table: every row once" has "$tmp/mybig.out" '+I[150000, 11250075000, 76800000]'
rss=$(tail -1 "$tmp/mybig.rss")
check "mysql big table (77 MB): streamed, peak RSS ${rss} kB < 60 MB" rss_ok "$rss"
# Checkpoints: a jdbc scan has no position; read to its end before a
# checkpoint, it is not read again after a restore (its rows are in the
# state), so a restarted job reads only the datagen rows.
cat > "$tmp/myckpt.sql" <<SQL
SET 'execution.checkpointing.interval' = '200 ms';
CREATE TABLE src (id BIGINT, pad STRING) WITH ('connector' = 'jdbc', $MY, 'table-name' = 'big');
CREATE TABLE dg (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE o (n BIGINT, s BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO o SELECT COUNT(*), SUM(id) FROM (SELECT id FROM src UNION ALL SELECT id FROM dg WHERE id > 0 AND id < 0);
SQL
"$S" run --state-dir "$tmp/myckpt.state" "$tmp/myckpt.sql" > /dev/null 2> "$tmp/myckpt.err" &
jp=$!
sleep 4
kill -9 $jp; wait $jp 2>/dev/null
"$S" run --verbose --state-dir "$tmp/myckpt.state" "$tmp/myckpt.sql" > /dev/null 2> "$tmp/myckpt2.err" &
jp=$!
sleep 2
kill -TERM $jp; wait $jp
read_again=$(sed -n 's/.*job finished: \([0-9]*\) rows read.*/\1/p' "$tmp/myckpt2.err")
check "mysql: a scan read to its end before a checkpoint is not read again after a restore (${read_again:-?} rows read)" \
  bash -c "grep -q 'restoring the job from' '$tmp/myckpt2.err' && [ -n '$read_again' ] && [ '${read_again:-0}' -lt 1000 ]"
# A read blocked by a lock returns on SIGTERM.
mdb_sql "SELECT 1" >/dev/null
( MYSQL_PWD= mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MDB_PORT" -u root -N -B \
    -e "LOCK TABLES app.big WRITE; SELECT SLEEP(15)" > /dev/null 2>&1 ) &
bg+=($!)
sleep 0.5
job myblocked "id BIGINT, pad STRING" "$MY, 'table-name' = 'big'"
"$S" run "$tmp/myblocked.sql" > "$tmp/myblocked.out" 2> "$tmp/myblocked.err" &
jp=$!
sleep 1.5
t0=$(date +%s%N)
kill -TERM $jp
wait $jp; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "mysql: a blocked read returns on SIGTERM (exit $rc in $ms ms)" test $rc -eq 0 -a $ms -lt 3000
check "mysql: nothing read while blocked" test ! -s "$tmp/myblocked.out"
kill -9 "${bg[@]}" 2>/dev/null; wait 2>/dev/null; bg=()
mdb_sql "UNLOCK TABLES" >/dev/null 2>&1

# ---- errors ------------------------------------------------------------------
job mynotable "id INT" "$MY, 'table-name' = 'nope'"
run mynotable
check "mysql missing table fails" test $rc -eq 1
check "mysql missing table: table, database, host" has "$tmp/mynotable.err" "error: jdbc: table 'src': table 'nope' does not exist in database 'app' on 127.0.0.1:$MDB_PORT (MariaDB), or user 'sluice' may not see it"
job mynocol "id INT, price DECIMAL(10, 2)" "$MY, 'table-name' = 'p'"
run mynocol
check "mysql missing column: named with the table's columns" has "$tmp/mynocol.err" "jdbc: table 'src' (\`app\`.\`p\`): column 'price' of table 'src' is not in app.p (its columns: id, k, v)"
job mybadtype "id INT, v INT" "$MY, 'table-name' = 'p'"
run mybadtype
check "mysql type that does not map: both types" has "$tmp/mybadtype.err" "column 'v': MySQL type varchar(10) of app.p cannot be read as INT"
# Types Flink's MySQL dialect does not take are refused as Flink refuses them.
job myltz "id INT, ts TIMESTAMP_LTZ(3)" "$MY, 'table-name' = 'types'"
run myltz
check "mysql dialect: TIMESTAMP_LTZ refused as by Flink" has "$tmp/myltz.err" "column 'ts': the MySQL dialect of Flink's JDBC connector does not support type TIMESTAMP_LTZ(3); declare it TIMESTAMP(p)"
job mybadpart "id INT" "$MY, 'table-name' = 'p', 'scan.partition.column' = 'v', 'scan.partition.num' = '2', 'scan.partition.lower-bound' = '0', 'scan.partition.upper-bound' = '9'"
run mybadpart
check "mysql partition column must be numeric" has "$tmp/mybadpart.err" "option 'scan.partition.column': column 'v' is varchar(10); partitioned scans need a numeric column"
job mypw "id INT" "'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/app', 'username' = 'sluice', 'password' = 'wrong', 'table-name' = 'p'"
t0=$(date +%s)
run mypw
check "mysql wrong password fails at once" test $rc -eq 1 -a $(( $(date +%s) - t0 )) -lt 5
check "mysql wrong password: host, user, the server's words" has "$tmp/mypw.err" "cannot connect to 127.0.0.1:$MDB_PORT (MySQL/MariaDB) as 'sluice' to database 'app': Access denied for user 'sluice'"
check "mysql wrong password: the password is not shown" bash -c "! grep -q wrong '$tmp/mypw.err'"
job mynodb "id INT" "'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/nodb', 'username' = 'sluice', 'password' = 'sluice-pw', 'table-name' = 'p'"
run mynodb
check "mysql unknown database: named" has "$tmp/mynodb.err" "as 'sluice' to database 'nodb': Unknown database 'nodb'"
job myrefused "id INT" "'url' = 'jdbc:mysql://127.0.0.1:1/app', 'table-name' = 'p', 'connection.max-retry-timeout' = '2s'"
t0=$(date +%s%N)
run myrefused
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "mysql refused connection: retried for connection.max-retry-timeout (${ms} ms)" test $rc -eq 1 -a $ms -ge 1500 -a $ms -lt 6000
check "mysql refused connection: host:port and the reason" grep -q "cannot connect to 127.0.0.1:1 (MySQL/MariaDB) after [0-9]* attempts in [0-9.]* s ('connection.max-retry-timeout'): Connection refused" "$tmp/myrefused.err"
check "mysql refused connection: attempts logged" grep -q "WARN jdbc: connecting to 127.0.0.1:1 (MySQL/MariaDB) failed (attempt 1): Connection refused; retrying" "$tmp/myrefused.err"
# A bad URL is pointed at in the SQL: line 2, the port inside the literal.
printf "CREATE TABLE src (id INT) WITH ('connector' = 'jdbc',\n  'table-name' = 'p', 'url' = 'jdbc:mysql://127.0.0.1:99999/app');\nCREATE TABLE o (id INT) WITH ('connector' = 'print');\nINSERT INTO o SELECT * FROM src;\n" > "$tmp/badurl.sql"
run badurl
check "bad URL: fails before connecting" test $rc -eq 1
check "bad URL: positioned at the port in the literal" has "$tmp/badurl.err" "badurl.sql:2:55: error: option 'url': URL port '99999' is not a port number (1-65535)"
check "bad URL: caret under the port" grep -qxE ' {56}\^~{4}' "$tmp/badurl.err"
printf "CREATE TABLE src (id INT) WITH ('connector' = 'jdbc', 'table-name' = 'p',\n  'url' = 'jdbc:mysql://h/app?connectTimeout=soon');\nCREATE TABLE o (id INT) WITH ('connector' = 'print');\nINSERT INTO o SELECT * FROM src;\n" > "$tmp/badparam.sql"
run badparam
check "bad URL parameter: positioned at the parameter" has "$tmp/badparam.err" "badparam.sql:2:31: error: option 'url': URL parameter 'connectTimeout' expects a whole number of milliseconds, got 'soon'"
printf "CREATE TABLE src (id INT) WITH ('connector' = 'jdbc', 'table-name' = 'p',\n  'url' = 'jdbc:mysql://h/app', 'driver' = 'org.postgresql.Driver');\nCREATE TABLE o (id INT) WITH ('connector' = 'print');\nINSERT INTO o SELECT * FROM src;\n" > "$tmp/baddriver.sql"
run baddriver
check "driver mismatch: names both, positioned" has "$tmp/baddriver.err" "baddriver.sql:2:44: error: option 'driver' 'org.postgresql.Driver' is a PostgreSQL driver, but option 'url' is a MySQL URL"
printf "CREATE TABLE src (id INT) WITH ('connector' = 'jdbc', 'table-name' = 'p', 'url' = 'jdbc:mysql://h/app',\n  'scan.partition.column' = 'id', 'scan.partition.num' = '2');\nCREATE TABLE o (id INT) WITH ('connector' = 'print');\nINSERT INTO o SELECT * FROM src;\n" > "$tmp/badparts.sql"
run badparts
check "partition options: all or none, as Flink" has "$tmp/badparts.err" "badparts.sql:2:3: error: either all or none of the options 'scan.partition.column', 'scan.partition.num', 'scan.partition.lower-bound', 'scan.partition.upper-bound' must be given; missing 'scan.partition.lower-bound', 'scan.partition.upper-bound'"

# ==== PostgreSQL ==============================================================

if [ $have_pg = 0 ]; then
  echo "FAIL jdbc: PostgreSQL part not run: tests/integration/lib/postgres.sh is missing"
  fails=$((fails + 1))
  echo "jdbc scan: $fails failed"
  [ $fails -eq 0 ]
  exit
fi
pg_start "$tmp/pg" || { echo "FAIL jdbc: PostgreSQL did not start"; exit 1; }
PG="'url' = 'jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?sslmode=disable&ApplicationName=sluice-test&prepareThreshold=0', 'username' = '$PG_USER', 'password' = '$PG_PASSWORD'"

# ---- every type, boundaries and NULLs --------------------------------------
pg_sql "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
  CREATE TABLE types (
    id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, n1 numeric(10,2), n2 numeric(38,10), n3 numeric,
    f4 float4, f8 float8, tx text, vc varchar(10), bc char(5), nm name, ch \"char\", by bytea,
    d date, t time(6), t0 time(0), ts timestamp(6), tz timestamptz(3), js json, jb jsonb, u uuid, ip inet,
    ai int4[], at text[], af float8[], a2 int4[], an numeric[], ab bytea[], ats timestamp[],
    iv interval, ttz timetz, m mood, dm posint);
  INSERT INTO types VALUES
   (1, true, -32768, -2147483648, -9223372036854775808, -99999999.99, 1234567890123456789012345678.0123456789,
    3.14159265358979323846264338327950288419716939937510,
    3.4028235e38, 1.7976931348623157e308, 'héllo €', 'abc', 'ab', 'pg_name', 'x', '\\x00ff10'::bytea,
    '0001-01-01', '23:59:59.999999', '12:30:45', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.499+00',
    '{\"a\": [1, 2.5]}', '{\"b\": null, \"a\": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24',
    '{1,NULL,-3}', '{\"a,b\",\"q\\\"x\",NULL,\"NULL\",plain,\"\"}', '{NaN,Infinity,-Infinity,0.1}',
    '{{1,2},{3,4}}', '{1.5,-2}', ARRAY['\\x01ff'::bytea, NULL], '{\"2020-02-29 12:00:00.5\"}',
    '1 year 2 mons 3 days 04:05:06', '12:00:00+02', 'happy', 42),
   (2, false, 32767, 2147483647, 9223372036854775807, 99999999.99, 0, 'NaN', '-Infinity', 'NaN', '', '', '', '', '', '\\x',
    '9999-12-31', '24:00:00', '00:00:00', '0001-01-01 00:00:00', '1970-01-01 00:00:00+00', '[]', '[]',
    '00000000-0000-0000-0000-000000000000', '::1', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
    '-1 days', '00:00:00-12', 'sad', 1),
   (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO $PG_USER" > /dev/null || { echo "FAIL jdbc: creating the PostgreSQL types table"; exit 1; }
job pgtypes "id INT, b BOOLEAN, i2 SMALLINT, i4 INT, i8 BIGINT, n1 DECIMAL(10, 2), n2 DECIMAL(38, 10), n3 STRING,
  f4 FLOAT, f8 DOUBLE, tx STRING, vc STRING, bc STRING, nm STRING, ch STRING, \`by\` BYTES,
  d DATE, t TIME(6), t0 TIME(0), ts TIMESTAMP(6), tz TIMESTAMP_LTZ(3), js STRING, jb STRING, u STRING, ip STRING,
  ai ARRAY<INT>, \`at\` ARRAY<STRING>, af ARRAY<DOUBLE>, a2 ARRAY<ARRAY<INT>>, an ARRAY<DECIMAL(5, 1)>,
  ab ARRAY<BYTES>, ats ARRAY<TIMESTAMP(3)>, iv STRING, ttz STRING, m STRING, dm INT" "$PG, 'table-name' = 'types'"
run pgtypes
check "postgres types: exits 0" test $rc -eq 0
check "postgres types: every value" same "$tmp/pgtypes.out" '+I[1, true, -32768, -2147483648, -9223372036854775808, -99999999.99, 1234567890123456789012345678.0123456789, 3.14159265358979323846264338327950288419716939937510, 3.4028235E38, 1.7976931348623157E308, héllo €, abc, ab   , pg_name, x, [0, -1, 16], 0001-01-01, 23:59:59.999999, 12:30:45, 9999-12-31T23:59:59.999999, 2038-01-19T03:14:07.499Z, {"a": [1, 2.5]}, {"a": 1, "b": null}, a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11, 192.168.0.1/24, [1, null, -3], [a,b, q"x, null, NULL, plain, ], [NaN, Infinity, -Infinity, 0.1], [[1, 2], [3, 4]], [1.5, -2.0], [[1, -1], null], [2020-02-29T12:00:00.500], 1 year 2 mons 3 days 04:05:06, 12:00:00+02, happy, 42]
+I[2, false, 32767, 2147483647, 9223372036854775807, 99999999.99, 0E-10, NaN, -Infinity, NaN, , ,      , , , [], 9999-12-31, 23:59:59.999999, 00:00, 0001-01-01T00:00, 1970-01-01T00:00:00Z, [], [], 00000000-0000-0000-0000-000000000000, ::1, [], [], [], [], [], [], [], -1 days, 00:00:00-12, sad, 1]
+I[3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]'

# Schema-qualified, mixed-case names folded as PostgreSQL folds unquoted
# ones, currentSchema in the URL.
pg_sql "CREATE SCHEMA s2; CREATE TABLE s2.orders (id int PRIMARY KEY, amt numeric(10,2)); INSERT INTO s2.orders VALUES (1, 1.50), (2, -0.01);
  GRANT USAGE ON SCHEMA s2 TO $PG_USER; GRANT SELECT ON ALL TABLES IN SCHEMA s2 TO $PG_USER" > /dev/null
job pgqual "ID INT, Amt DECIMAL(10, 2)" "$PG, 'table-name' = 'S2.Orders', 'driver' = 'org.postgresql.Driver'"
run pgqual
check "postgres: schema.table, names folded to lower case" same "$tmp/pgqual.out" '+I[1, 1.50]
+I[2, -0.01]'
job pgcur "id INT, amt DOUBLE" "'url' = 'jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=s2', 'username' = '$PG_USER', 'password' = '$PG_PASSWORD', 'table-name' = 'orders'"
run pgcur
check "postgres: currentSchema in the URL" same "$tmp/pgcur.out" '+I[1, 1.5]
+I[2, -0.01]'

# ---- partitioned scans ---------------------------------------------------------
pg_sql "CREATE TABLE p (id int PRIMARY KEY, k bigint, v text);
  INSERT INTO p SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g - 21 END, 'v' || g FROM generate_series(1, 140) g;
  GRANT SELECT ON p TO $PG_USER" > /dev/null
pg_sql "SELECT '+I[' || id || ', ' || v || ']' FROM p WHERE k BETWEEN 0 AND 99" | sed '/^$/d' > "$tmp/pgp.want"
job pgpart "id INT, v STRING" "$PG, 'table-name' = 'p', 'scan.partition.column' = 'k',
  'scan.partition.num' = '3', 'scan.partition.lower-bound' = '0', 'scan.partition.upper-bound' = '99', 'scan.fetch-size' = '5'"
run pgpart
check "postgres partitions: exits 0" test $rc -eq 0 -a "$(wc -l < "$tmp/pgp.want")" -eq 90
check "postgres partitions: the rows within the bounds, each once" same "$tmp/pgpart.out" "$(cat "$tmp/pgp.want")"
check "postgres partitions: logged" has "$tmp/pgpart.err" 'jdbc: reading "public"."p" in 3 partitions of k from 0 to 99'

# ---- big table: a cursor FETCHed scan.fetch-size rows at a time ---------------
pg_sql "CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 16) AS pad FROM generate_series(1, 150000) g;
  GRANT SELECT ON big TO $PG_USER" > /dev/null
for fs in 0 7; do
  cat > "$tmp/pgbig$fs.sql" <<SQL
CREATE TABLE src (id BIGINT, pad STRING) WITH ('connector' = 'jdbc', $PG, 'table-name' = 'big', 'scan.fetch-size' = '$fs');
CREATE TABLE o (n BIGINT, s BIGINT, l BIGINT) WITH ('connector' = 'print');
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '10 s';
SET 'table.exec.mini-batch.size' = '1000000';
INSERT INTO o SELECT COUNT(*), SUM(id), SUM(CHAR_LENGTH(pad)) FROM src;
SQL
  /usr/bin/time -f '%M' -o "$tmp/pgbig$fs.rss" "$S" run "$tmp/pgbig$fs.sql" > "$tmp/pgbig$fs.out" 2> "$tmp/pgbig$fs.err"
  check "postgres big table, fetch-size $fs: every row once" has "$tmp/pgbig$fs.out" '+I[150000, 11250075000, 76800000]'
  rss=$(tail -1 "$tmp/pgbig$fs.rss")
  check "postgres big table (77 MB), fetch-size $fs: streamed, peak RSS ${rss} kB < 60 MB" rss_ok "$rss"
done
# A read blocked by a lock returns on SIGTERM.
pg_sql "BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(15); COMMIT" > /dev/null 2>&1 &
bg+=($!)
sleep 0.5
job pgblocked "id BIGINT, pad STRING" "$PG, 'table-name' = 'big'"
"$S" run "$tmp/pgblocked.sql" > "$tmp/pgblocked.out" 2> "$tmp/pgblocked.err" &
jp=$!
sleep 1.5
t0=$(date +%s%N)
kill -TERM $jp
wait $jp; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "postgres: a blocked read returns on SIGTERM (exit $rc in $ms ms)" test $rc -eq 0 -a $ms -lt 3000
check "postgres: nothing read while blocked" test ! -s "$tmp/pgblocked.out"
kill "${bg[@]}" 2>/dev/null; wait 2>/dev/null; bg=()
pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(15)%' AND pid <> pg_backend_pid()" > /dev/null 2>&1

# ---- errors ------------------------------------------------------------------
job pgts0 "id INT, ts TIMESTAMP(0)" "$PG, 'table-name' = 'types'"
run pgts0
check "postgres dialect: TIMESTAMP(0) refused as by Flink" has "$tmp/pgts0.err" "the precision of column 'ts' is out of the TIMESTAMP precision range [1, 6] supported by Flink's PostgreSQL dialect"
job pgnotable "id INT" "$PG, 'table-name' = 'nope'"
run pgnotable
check "postgres missing table: table, database, host" has "$tmp/pgnotable.err" "table 'nope' does not exist in database '$PG_DB' on $PG_HOST:$PG_PORT (PostgreSQL; schemas searched: the search_path), or user '$PG_USER' may not see it"
job pgnoschema "id INT" "$PG, 'table-name' = 'nos.t'"
run pgnoschema
check "postgres missing schema.table: schema named" has "$tmp/pgnoschema.err" "table 't' does not exist in schema 'nos' of database '$PG_DB' on $PG_HOST:$PG_PORT (PostgreSQL)"
job pgnocol "id INT, price DECIMAL(10, 2)" "$PG, 'table-name' = 'p'"
run pgnocol
check "postgres missing column: named with the table's columns" has "$tmp/pgnocol.err" "column 'price' of table 'src' is not in public.p (its columns: id, k, v)"
job pginterval "id INT, iv BIGINT" "$PG, 'table-name' = 'types'"
run pginterval
check "postgres interval: refused with what to do" has "$tmp/pginterval.err" "column 'iv': PostgreSQL type interval cannot be read as BIGINT: Flink's JDBC connector maps no interval type; declare the column STRING"
job pginterval2 "id INT, iv INTERVAL DAY TO SECOND" "$PG, 'table-name' = 'types'"
run pginterval2
check "postgres dialect: INTERVAL types refused as by Flink" has "$tmp/pginterval2.err" "column 'iv': the PostgreSQL dialect of Flink's JDBC connector does not support type INTERVAL"
job pgtimetz "id INT, ttz TIME" "$PG, 'table-name' = 'types'"
run pgtimetz
check "postgres timetz: refused with what to do" has "$tmp/pgtimetz.err" "column 'ttz': PostgreSQL type time with time zone cannot be read as TIME(0): Flink has no time-with-time-zone type"
job pgarr "id INT, at ARRAY<INT>" "$PG, 'table-name' = 'types'"
sed -i 's/ at ARRAY/ `at` ARRAY/' "$tmp/pgarr.sql"
run pgarr
check "postgres array of another element type: refused" has "$tmp/pgarr.err" "column 'at': PostgreSQL type text[] cannot be read as ARRAY<INT> (its elements read as STRING)"
job pgrange "id INT, i8 INT" "$PG, 'table-name' = 'types'"
run pgrange
check "postgres value out of range: column and value" has "$tmp/pgrange.err" "column 'i8': PostgreSQL value '-9223372036854775808' is out of the range of INT"
job pgpw "id INT" "'url' = 'jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB', 'username' = '$PG_USER', 'password' = 'wrong', 'table-name' = 'p'"
t0=$(date +%s)
run pgpw
check "postgres wrong password fails at once" test $rc -eq 1 -a $(( $(date +%s) - t0 )) -lt 5
check "postgres wrong password: host, user, the server's words" has "$tmp/pgpw.err" "cannot connect to $PG_HOST:$PG_PORT (PostgreSQL) as '$PG_USER' to database '$PG_DB': FATAL:  password authentication failed for user \"$PG_USER\""
check "postgres wrong password: the password is not shown" bash -c "! grep -q wrong '$tmp/pgpw.err'"
job pgrefused "id INT" "'url' = 'jdbc:postgresql://127.0.0.1:1/$PG_DB', 'table-name' = 'p', 'username' = 'u', 'password' = 'p', 'connection.max-retry-timeout' = '2 s'"
t0=$(date +%s%N)
run pgrefused
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "postgres refused connection: retried for connection.max-retry-timeout (${ms} ms)" test $rc -eq 1 -a $ms -ge 1500 -a $ms -lt 6000
check "postgres refused connection: host:port and the reason" grep -q "cannot connect to 127.0.0.1:1 (PostgreSQL) as 'u' after [0-9]* attempts in [0-9.]* s ('connection.max-retry-timeout'): Connection refused" "$tmp/pgrefused.err"

echo "jdbc scan: $fails failed"
[ $fails -eq 0 ]
