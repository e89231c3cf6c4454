#!/usr/bin/env bash
# test_mariadb_harness.sh - the private MariaDB harness (lib/mariadb.sh):
# start, ROW binlog that advances, the sluice CDC account and its grants
# (SHOW MASTER STATUS, binlog dump, no writes), crash and restart on the
# same port, a second instance side by side with --binlog-format=STATEMENT,
# clean stop, and no server left behind, even when the test's shell is
# killed with SIGKILL.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/mariadb.sh"
tmp=$(mktemp -d)
mdb_trap 'rm -rf "$tmp"'
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   mariadb harness: $name"; else echo "FAIL mariadb harness: $name"; fails=$((fails + 1)); fi
}
not() { ! "$@"; }
# mariadbd processes whose command line names a directory under $1.
servers_in() {
  local p c
  for p in /proc/[0-9]*; do
    c=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") || continue
    [[ $c == *mariadbd*" --datadir=$1/"* ]] && echo "${p#/proc/}"
  done
  return 0
}

t0=$(date +%s%N)
mdb_start "$tmp/a"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "mdb_start succeeds (${ms} ms)" test $rc -eq 0
if [ $rc -ne 0 ]; then exit 1; fi
check "private port, not 3306" test "$MDB_PORT" -ge 1024 -a "$MDB_PORT" -ne 3306
check "socket, pid and binlog under DIR" test -S "$tmp/a/mysql.sock" -a "$MDB_SOCK" = "$tmp/a/mysql.sock" \
  -a -f "$tmp/a/binlog/mysql-bin.000001" -a -f "$tmp/a/error.log"
check "MDB_PID is the server" test "$(cat "$tmp/a/data/../mariadbd.pid")" = "$MDB_PID"
check "binlog_format ROW" test "$(mdb_sql "SHOW VARIABLES LIKE 'binlog_format'")" = "binlog_format	ROW"
check "row image and metadata FULL, server id 1, CRC32" \
  test "$(mdb_sql "SELECT @@binlog_row_image, @@binlog_row_metadata, @@server_id, @@binlog_checksum")" = "FULL	FULL	1	CRC32"

pos0=$(mdb_sql "SHOW MASTER STATUS" | cut -f2)
mdb_sql "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20)) DEFAULT CHARSET utf8mb4;
         INSERT INTO app.t VALUES (1, 'één'), (2, NULL)"
check "insert into app" test "$(mdb_sql "SELECT COUNT(*) FROM app.t")" = 2
pos1=$(mdb_sql "SHOW MASTER STATUS" | cut -f2)
check "SHOW MASTER STATUS advances ($pos0 -> $pos1)" test "$pos1" -gt "$pos0"
check "utf8mb4 round trip" test "$(mdb_sql "SELECT v FROM app.t WHERE id = 1")" = "één"

S=(--user sluice --password sluice-pw)
check "sluice: SHOW MASTER STATUS" test "$(mdb_sql "${S[@]}" "SHOW MASTER STATUS" | cut -f2)" = "$pos1"
check "sluice: SHOW BINARY LOGS" test "$(mdb_sql "${S[@]}" "SHOW BINARY LOGS" | cut -f1)" = mysql-bin.000001
check "sluice: SELECT" test "$(mdb_sql "${S[@]}" "SELECT id FROM app.t ORDER BY id" | tr '\n' ,)" = "1,2,"
check "sluice: cannot write" not mdb_sql "${S[@]}" "INSERT INTO app.t VALUES (3, 'x')" 2>/dev/null
check "wrong password refused" not mdb_sql --user sluice --password nope "SELECT 1" 2>/dev/null
check "sluice: grants are exactly the CDC ones" \
  test "$(mdb_sql "${S[@]}" "SHOW GRANTS" | head -1 | sed 's/ IDENTIFIED.*//')" = \
       'GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `sluice`@`127.0.0.1`'
# The binlog stream (COM_BINLOG_DUMP) as sluice: REPLICATION SLAVE.
MYSQL_PWD=sluice-pw mariadb-binlog --no-defaults --read-from-remote-server --protocol=TCP \
  -h 127.0.0.1 -P "$MDB_PORT" -u sluice -v mysql-bin.000001 > "$tmp/dump" 2> "$tmp/dump.err"
check "sluice: binlog dump carries the insert as rows" grep -q '^### INSERT INTO `app`.`t`' "$tmp/dump"
check "harness setup is not in the binlog" not grep -qiE 'CREATE USER|GRANT|CREATE DATABASE' "$tmp/dump"

# Crash and restart: same port, committed rows kept, a new binlog file.
port=$MDB_PORT pid=$MDB_PID
mdb_kill
check "mdb_kill kills" test -z "$(servers_in "$tmp/a")"
mdb_restart; rc=$?
check "mdb_restart after a crash" test $rc -eq 0 -a "$MDB_PORT" = "$port" -a "$MDB_PID" != "$pid"
check "committed rows survive the crash" test "$(mdb_sql "SELECT COUNT(*) FROM app.t")" = 2
check "restart opens a new binlog file" test "$(mdb_sql "SHOW MASTER STATUS" | cut -f1)" = mysql-bin.000002

# A second instance side by side, with extra arguments.
mdb_start "$tmp/b" --binlog-format=STATEMENT; rc=$?
check "second instance starts" test $rc -eq 0
check "second instance has its own port" test "$MDB_PORT" != "$port"
check "extra arguments win (STATEMENT)" test "$(mdb_sql "SELECT @@binlog_format")" = STATEMENT
mdb_stop "$tmp/b"
check "mdb_stop DIR stops that one only" test -z "$(servers_in "$tmp/b")" -a -n "$(servers_in "$tmp/a")"
mdb_use "$tmp/a"
check "mdb_use switches back" test "$(mdb_sql "SELECT @@binlog_format")" = ROW

mdb_stop
check "mdb_stop stops cleanly" grep -q 'mariadbd: Shutdown complete' "$tmp/a/error.log"
check "no server of ours remains" test -z "$(servers_in "$tmp")"
check "mdb_stop again is harmless" mdb_stop

# The watchdog: a test shell killed with SIGKILL (no EXIT trap) leaves no
# server behind.
( bash -c '. "$1"; mdb_start "$2" || exit 1; echo "$MDB_PID" > "$2.pid"; kill -9 $$' _ \
    "$here/lib/mariadb.sh" "$tmp/c"; true ) >/dev/null 2>&1
for _ in $(seq 50); do [ -z "$(servers_in "$tmp/c")" ] && break; sleep 0.1; done
check "a SIGKILLed test leaves no server" test -s "$tmp/c.pid" -a -z "$(servers_in "$tmp/c")"

[ $fails -eq 0 ]
