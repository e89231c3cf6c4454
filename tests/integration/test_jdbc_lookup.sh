#!/usr/bin/env bash
# test_jdbc_lookup.sh - lookup joins (JOIN dim FOR SYSTEM_TIME AS OF
# proctime) against jdbc dimension tables in a private MariaDB and a private
# PostgreSQL, driven by a mysql-cdc source so that time passes between
# lookups: hits, misses, LEFT join NULLs, the cache's TTL making a
# dimension update visible, caching of missing keys on and off, a
# retraction after the dimension changed, and the database killed and
# restarted mid-job.
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
  echo "  (timed out waiting for '$2' in $(basename "$1"))"; tail -5 "$tmp/job.err" 2>/dev/null
  return 1
}

mdb_start "$tmp/mdb" || { echo "FAIL jdbc lookup: MariaDB did not start"; exit 1; }
pg_start "$tmp/pg" -c synchronous_commit=on || { echo "FAIL jdbc lookup: PostgreSQL did not start"; exit 1; }

mdb_sql "CREATE TABLE app.facts (id INT PRIMARY KEY, dim_id INT);
         CREATE TABLE app.dim (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(10, 2));
         INSERT INTO app.dim VALUES (1, 'one', 1.50), (2, 'two', 2.25);
         GRANT SELECT ON app.dim TO 'sluice'@'127.0.0.1'"
pg_sql "CREATE TABLE dim (id INT PRIMARY KEY, name VARCHAR(20), price NUMERIC(10, 2));
        INSERT INTO dim VALUES (1, 'one', 1.50), (2, 'two', 2.25);
        GRANT SELECT ON dim TO sluice"

cat > "$tmp/job.sql" <<SQL
CREATE TABLE facts (id INT, dim_id INT, pt AS PROCTIME(), PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = 'facts');
-- PostgreSQL: a cache of 1 s that also remembers missing keys.
CREATE TABLE dim_pg (id INT, name STRING, price DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:$PG_PORT/app',
  'table-name' = 'dim', 'username' = 'sluice', 'password' = 'sluice-pw',
  'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100',
  'lookup.partial-cache.expire-after-write' = '1s', 'lookup.max-retries' = '10');
-- MariaDB: the legacy cache options, missing keys not cached.
CREATE TABLE dim_my (id INT, name STRING, price DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:mysql://127.0.0.1:$MDB_PORT/app',
  'table-name' = 'dim', 'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'lookup.cache.max-rows' = '100', 'lookup.cache.ttl' = '1s',
  'lookup.cache.caching-missing-key' = 'false');
CREATE TABLE out_pg (id INT, dim_id INT, name STRING, price DECIMAL(10, 2)) WITH ('connector' = 'print', 'print-identifier' = 'pg');
CREATE TABLE out_my (id INT, dim_id INT, name STRING, price DECIMAL(10, 2)) WITH ('connector' = 'print', 'print-identifier' = 'my');
EXECUTE STATEMENT SET BEGIN
INSERT INTO out_pg SELECT f.id, f.dim_id, d.name, d.price FROM facts AS f
  LEFT JOIN dim_pg FOR SYSTEM_TIME AS OF f.pt AS d ON f.dim_id = d.id;
INSERT INTO out_my SELECT f.id, f.dim_id, d.name, d.price FROM facts AS f
  LEFT JOIN dim_my FOR SYSTEM_TIME AS OF f.pt AS d ON f.dim_id = d.id;
END;
SQL
"$S" explain "$tmp/job.sql" > "$tmp/plan" 2>&1
check "explain shows both lookup joins" test "$(grep -c 'LookupJoin(table=\[dim_' "$tmp/plan")" -eq 2

"$S" run "$tmp/job.sql" > "$tmp/job.out" 2> "$tmp/job.err" &
jobpid=$!
wait_for "$tmp/job.err" "binlog from" 30 || true

# Hits and a miss.
mdb_sql "INSERT INTO app.facts VALUES (1, 1), (2, 2), (3, 9)"
wait_for "$tmp/job.out" "my> +I[3, 9, null, null]" || true
wait_for "$tmp/job.out" "pg> +I[3, 9, null, null]" || true
for db in pg my; do
  check "$db: hits" grep -qF -- "$db> +I[1, 1, one, 1.50]" "$tmp/job.out"
  check "$db: a second key" grep -qF -- "$db> +I[2, 2, two, 2.25]" "$tmp/job.out"
  check "$db: a miss is NULLs (LEFT JOIN)" grep -qF -- "$db> +I[3, 9, null, null]" "$tmp/job.out"
done

# The dimension changes; within the TTL the cache still answers.
mdb_sql "UPDATE app.dim SET name = 'uno' WHERE id = 1; INSERT INTO app.dim VALUES (9, 'nine', 9.00)"
pg_sql "UPDATE dim SET name = 'uno' WHERE id = 1; INSERT INTO dim VALUES (9, 'nine', 9.00)"
mdb_sql "INSERT INTO app.facts VALUES (4, 1), (5, 9)"
wait_for "$tmp/job.out" "my> +I[5, 9," || true
wait_for "$tmp/job.out" "pg> +I[5, 9," || true
check "pg: within the TTL the cached row answers" grep -qF -- "pg> +I[4, 1, one, 1.50]" "$tmp/job.out"
check "pg: a cached missing key stays missing (cache-missing-key)" grep -qF -- "pg> +I[5, 9, null, null]" "$tmp/job.out"
check "my: within the TTL the cached row answers" grep -qF -- "my> +I[4, 1, one, 1.50]" "$tmp/job.out"
check "my: missing keys are not cached (caching-missing-key false)" grep -qF -- "my> +I[5, 9, nine, 9.00]" "$tmp/job.out"

# After the TTL the update is visible.
sleep 1.5
mdb_sql "INSERT INTO app.facts VALUES (6, 1), (7, 9)"
wait_for "$tmp/job.out" "my> +I[7, 9," || true
wait_for "$tmp/job.out" "pg> +I[7, 9," || true
for db in pg my; do
  check "$db: after the TTL the update is visible" grep -qF -- "$db> +I[6, 1, uno, 1.50]" "$tmp/job.out"
  check "$db: after the TTL the new key is found" grep -qF -- "$db> +I[7, 9, nine, 9.00]" "$tmp/job.out"
done

# Retracting a fact joined before the dimension changed retracts what was
# emitted for it.
mdb_sql "DELETE FROM app.facts WHERE id = 1; UPDATE app.facts SET dim_id = 2 WHERE id = 4"
wait_for "$tmp/job.out" "my> +U[4, 2," || true
wait_for "$tmp/job.out" "pg> +U[4, 2," || true
for db in pg my; do
  check "$db: a delete retracts the row emitted then" grep -qF -- "$db> -D[1, 1, one, 1.50]" "$tmp/job.out"
  check "$db: an update retracts the old join" grep -qF -- "$db> -U[4, 1, one, 1.50]" "$tmp/job.out"
  check "$db: an update joins the new key" grep -qF -- "$db> +U[4, 2, two, 2.25]" "$tmp/job.out"
done

# The dimension database is killed and restarted: lookups reconnect.
pg_kill
sleep 1.2
mdb_sql "INSERT INTO app.facts VALUES (8, 2)"
sleep 0.5
pg_restart || echo "  (PostgreSQL restart failed)"
wait_for "$tmp/job.out" "pg> +I[8, 2, two, 2.25]" 60 || true
check "pg: a lookup survives the database's restart" grep -qF -- "pg> +I[8, 2, two, 2.25]" "$tmp/job.out"
check "pg: the failed attempts are logged" grep -q "jdbc: lookup in table 'dim_pg' failed (attempt" "$tmp/job.err"

kill -TERM "$jobpid"; wait "$jobpid"; rc=$?; jobpid=
check "the job stops cleanly" test $rc -eq 0
check "no sanitizer reports" bash -c "! grep -q Sanitizer '$tmp/job.err'"

# Errors name their cause.
cat > "$tmp/bad.sql" <<SQL
CREATE TABLE facts (id INT, dim_id INT, pt AS PROCTIME()) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '$MDB_PORT',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = 'facts', 'scan.startup.mode' = 'snapshot');
CREATE TABLE dim_pg (id INT, nom STRING) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:$PG_PORT/app',
  'table-name' = 'dim', 'username' = 'sluice', 'password' = 'sluice-pw');
CREATE TABLE o (id INT, nom STRING) WITH ('connector' = 'print');
INSERT INTO o SELECT f.id, d.nom FROM facts AS f JOIN dim_pg FOR SYSTEM_TIME AS OF f.pt AS d ON f.dim_id = d.id;
SQL
"$S" run "$tmp/bad.sql" > /dev/null 2> "$tmp/bad.err"; rc=$?
check "a missing dimension column fails the job" test $rc -eq 1
check "a missing dimension column is named" grep -q "column 'nom'" "$tmp/bad.err"

pg_stop
mdb_stop
[ $fails -eq 0 ]
