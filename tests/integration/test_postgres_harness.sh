#!/usr/bin/env bash
# test_postgres_harness.sh - the private PostgreSQL harness (lib/postgres.sh):
# start, the server's settings and user, the role sluice that owns the
# database app (a table created and read over TCP with the password, a
# wrong or missing password refused), psql's output format and errors, a
# clean restart and a kill -9 with crash recovery on the same port, a
# second instance side by side with extra -c arguments, clean stop, and no
# server left behind, even when the test's shell is killed with SIGKILL.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/postgres.sh"
tmp=$(mktemp -d)
pg_trap 'rm -rf "$tmp"'
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   postgres harness: $name"; else echo "FAIL postgres harness: $name"; fails=$((fails + 1)); fi
}
not() { ! "$@"; }
# postgres processes (postmasters, backends) running in a directory under $1.
servers_in() {
  local p
  find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$1/*" -printf '%h\n' 2>/dev/null |
    while read -r p; do [ "$p/exe" -ef "$PG_BIN/postgres" ] && echo "${p#/proc/}"; done
  return 0
}
shm_key() { # the System V key of a running instance, as ipcs prints it
  printf '0x%08x' "$(sed -n 7p "$1/data/postmaster.pid" | awk '{ print $1 }')"
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
if [ "$(id -u)" -eq 0 ]; then runs_as=postgres; else runs_as=$(id -un); fi

t0=$(date +%s%N)
pg_start "$tmp/a"; rc=$?
check "pg_start succeeds ($(ms_since "$t0") ms)" test $rc -eq 0
if [ $rc -ne 0 ]; then exit 1; fi
check "private port, not 5432" test "$PG_PORT" -ge 1024 -a "$PG_PORT" -ne 5432
check "PG_* variables" test "$PG_DIR|$PG_HOST|$PG_USER|$PG_PASSWORD|$PG_DB|$PG_LOG" = \
  "$tmp/a|127.0.0.1|sluice|sluice-pw|app|$tmp/a/postgres.log"
check "socket, data and log under DIR" test -S "$tmp/a/run/.s.PGSQL.$PG_PORT" \
  -a -f "$tmp/a/data/PG_VERSION" -a -s "$PG_LOG" -a "$PG_SOCKDIR" = "$tmp/a/run"
check "PG_PID is the postmaster" test "$(head -1 "$tmp/a/data/postmaster.pid")" = "$PG_PID"
check "pg_running" pg_running
check "the server runs as $runs_as" test "$(stat -c %U "/proc/$PG_PID")" = "$runs_as" \
  -a "$(stat -c %U "$tmp/a/data")" = "$runs_as"
check "PostgreSQL 15" test "$(pg_sql "SHOW server_version_num" | cut -c1-2)" = 15
check "settings: 127.0.0.1, fsync/synchronous_commit/full_page_writes off, 64MB, 50" \
  test "$(pg_sql "SELECT current_setting('listen_addresses'), current_setting('fsync'),
                         current_setting('synchronous_commit'), current_setting('full_page_writes'),
                         current_setting('shared_buffers'), current_setting('max_connections')")" = \
       $'127.0.0.1\toff\toff\toff\t64MB\t50'
check "UTF8, UTC, DSM in the data directory" \
  test "$(pg_sql "SELECT current_setting('server_encoding'), current_setting('TimeZone'),
                         current_setting('dynamic_shared_memory_type')")" = $'UTF8\tUTC\tmmap'
check "superuser postgres over the socket by default" \
  test "$(pg_sql "SELECT current_user, inet_server_addr() IS NULL, usesuper FROM pg_user WHERE usename = current_user")" = \
       $'postgres\tt\tt'

S=(--user sluice --password sluice-pw)
check "sluice: over TCP to 127.0.0.1 with the password, in app" \
  test "$(pg_sql "${S[@]}" "SELECT current_user, inet_server_addr(), current_database()")" = $'sluice\t127.0.0.1\tapp'
pg_sql "${S[@]}" "CREATE TABLE t (id INT PRIMARY KEY, v TEXT);
                  INSERT INTO t VALUES (1, 'één'), (2, NULL)"; rc=$?
check "sluice: creates a table in app and inserts" test $rc -eq 0
check "sluice: select (tab-separated, NULL empty, UTF-8)" \
  test "$(pg_sql "${S[@]}" "SELECT id, v FROM t ORDER BY id" | tr '\n' ,)" = $'1\téén,2\t,'
check "sluice owns app and t" \
  test "$(pg_sql "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'app';
                  SELECT tableowner FROM pg_tables WHERE tablename = 't'" | tr '\n' ,)" = sluice,sluice,
check "sluice: LOGIN only (no superuser, createdb, createrole, replication)" \
  test "$(pg_sql "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication
                  FROM pg_roles WHERE rolname = 'sluice'")" = $'t\tf\tf\tf\tf'
check "sluice: password stored as SCRAM-SHA-256" \
  test "$(pg_sql "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = 'sluice'")" = t
check "sluice: cannot create a database" not pg_sql "${S[@]}" "CREATE DATABASE nope" 2>/dev/null
check "wrong password refused" not pg_sql --user sluice --password nope "SELECT 1" 2>/dev/null
check "wrong password logged" grep -q 'password authentication failed for user "sluice"' "$PG_LOG"
check "no password refused, no prompt" not pg_sql --user sluice "SELECT 1" </dev/null 2>/dev/null
check "postgres over TCP needs a password it does not have" \
  not pg_sql --user postgres --password x "SELECT 1" 2>/dev/null

out=$(pg_sql "INSERT INTO t VALUES (3, 'x'); SELECT 1 / 0; INSERT INTO t VALUES (4, 'y')" 2>&1); rc=$?
check "an error stops the script, non-zero" test $rc -ne 0 -a "$(pg_sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM t")" = 1,2,3
check "the error is on stderr" grep -q 'division by zero' <<<"$out"
check "SQL from stdin, several statements and results" \
  test "$(printf 'SELECT count(*)\n  FROM t;\nSELECT 1, %s, NULL, 2\n' "'a b'" | pg_sql | tr '\n' ,)" = $'3,1\ta b\t\t2,'
check "--database" test "$(pg_sql --database postgres "SELECT current_database()")" = postgres
check "CREATE DATABASE and VACUUM work (not in a transaction)" \
  pg_sql "CREATE DATABASE scratch; DROP DATABASE scratch; VACUUM t"

# Clean restart: same port, data kept.
port=$PG_PORT pid=$PG_PID
t0=$(date +%s%N)
pg_restart; rc=$?
check "pg_restart ($(ms_since "$t0") ms): same port, new pid" \
  test $rc -eq 0 -a "$PG_PORT" = "$port" -a "$PG_PID" != "$pid"
check "restart keeps the data" test "$(pg_sql "${S[@]}" "SELECT count(*) FROM t")" = 3

# Crash: kill -9 with a query running, then crash recovery on the same port.
pg_sql "${S[@]}" "SELECT pg_sleep(60)" >/dev/null 2>&1 & client=$!
for _ in $(seq 100); do
  [ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")" = 1 ] && break
  sleep 0.05
done
key=$(shm_key "$tmp/a") pid=$PG_PID
t0=$(date +%s%N)
pg_kill
check "pg_kill ($(ms_since "$t0") ms) kills the server and its backends" \
  test -z "$(servers_in "$tmp/a")"
check "not pg_running after pg_kill" not pg_running
wait "$client"; rc=$?
check "the client's connection is gone" test $rc -ne 0
check "pg_kill frees the shared memory segment ($key)" not grep -q "^$key " <(ipcs -m)
t0=$(date +%s%N)
pg_restart; rc=$?
check "pg_restart after a crash ($(ms_since "$t0") ms): same port" \
  test $rc -eq 0 -a "$PG_PORT" = "$port" -a "$PG_PID" != "$pid"
check "crash recovery ran" grep -q 'database system was interrupted' "$PG_LOG"
check "committed rows survive the crash" test "$(pg_sql "SELECT count(*) FROM t")" = 3

# A second instance side by side, with extra arguments (which win).
t0=$(date +%s%N)
pg_start "$tmp/b" -c synchronous_commit=on -c work_mem=7MB; rc=$?
check "second instance starts ($(ms_since "$t0") ms)" test $rc -eq 0
check "second instance has its own port and data" \
  test "$PG_PORT" != "$port" -a "$PG_DIR" = "$tmp/b" -a "$(pg_sql "SELECT to_regclass('t') IS NULL")" = t
check "extra arguments win" \
  test "$(pg_sql "SELECT current_setting('synchronous_commit'), current_setting('work_mem')")" = $'on\t7MB'
pg_sql "${S[@]}" "CREATE TABLE u (id INT); INSERT INTO u VALUES (42)"
pg_kill "$tmp/b"
pg_restart "$tmp/b"; rc=$?
check "with synchronous_commit=on the last commit survives a kill -9" \
  test $rc -eq 0 -a "$(pg_sql "SELECT id FROM u")" = 42
pg_stop "$tmp/b"
check "pg_stop DIR stops that one only" test -z "$(servers_in "$tmp/b")" -a -n "$(servers_in "$tmp/a")"
pg_use "$tmp/a"
check "pg_use switches back" test "$PG_PORT" = "$port" -a "$(pg_sql "SELECT count(*) FROM t")" = 3

watchdog=$(cat "$tmp/a/watchdog.pid")
t0=$(date +%s%N)
pg_stop
check "pg_stop ($(ms_since "$t0") ms) stops cleanly" \
  test "$(tail -n 1 "$PG_LOG" | sed 's/.*LOG: *//')" = "database system is shut down" \
  -a ! -e "$tmp/a/data/postmaster.pid"
check "no server of ours remains" test -z "$(servers_in "$tmp")"
check "no watchdog remains" not _pg_alive "$watchdog"
check "not pg_running after pg_stop" not pg_running
check "pg_stop again is harmless" pg_stop

# The watchdog: a test shell killed with SIGKILL (no EXIT trap), a query
# running, leaves no server behind. Without the template this time
# (initdb and the setup in DIR).
t0=$(date +%s%N)
( PG_TEMPLATE=0 bash -c '. "$1"; pg_start "$2" || exit 1; echo "$PG_PID" > "$2.pid"
    pg_sql --user sluice --password sluice-pw "SELECT 1" > "$2.out"
    pg_sql "SELECT pg_sleep(60)" & sleep 0.5; kill -9 $$' _ \
    "$here/lib/postgres.sh" "$tmp/c"; true ) >/dev/null 2>&1
ms=$(ms_since "$t0")
for _ in $(seq 100); do [ -z "$(servers_in "$tmp/c")" ] && break; sleep 0.1; done
check "without the template (pg_start + kill: $ms ms)" test -s "$tmp/c.pid" -a "$(cat "$tmp/c.out")" = 1
check "a SIGKILLed test leaves no server" test -s "$tmp/c.pid" -a -z "$(servers_in "$tmp/c")"
check "nothing of ours is left running" test -z "$(servers_in "$tmp")"

[ $fails -eq 0 ]
