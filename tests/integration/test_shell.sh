#!/usr/bin/env bash
# test_shell.sh - `sluice sql`: files (-f, -i, stdin) and a real terminal
# (tmux: keys sent, the screen read back): multi-line statements, SHOW,
# DESCRIBE, SET/RESET, errors with their caret, Ctrl-C, the history, the
# three result modes (the table view refreshing as the source changes),
# INSERT jobs with SHOW JOBS and STOP JOB, QUIT and Ctrl-D; then the same
# shell driving a daemon (--endpoint).
set -uo pipefail
S=${SLUICE:?}
tmp=$(mktemp -d)
sock=sluice-test-$$-0
T() { tmux -L "$sock" "$@"; }
new_term() { # a fresh tmux server for each session: no race with the last one's exit
  T kill-server 2>/dev/null
  sock=sluice-test-$$-$((${sock##*-} + 1))
  T new-session -d -x 160 -y 48 "$1"
}
dpid=
cleanup() {
  T kill-server 2>/dev/null
  [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() { # check NAME COND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
export SLUICE_HISTORY=$tmp/history

# ---- files ----
cat > "$tmp/good.sql" <<'SQL'
CREATE TABLE nums (id INT, grp INT, name STRING) WITH (
  'connector' = 'datagen', 'number-of-rows' = '6',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '6',
  'fields.grp.min' = '0', 'fields.grp.max' = '0', 'fields.name.length' = '3');
SHOW TABLES;
SELECT id, grp FROM nums WHERE id > 3;
SELECT grp, COUNT(*) AS c FROM nums GROUP BY grp;
SQL
"$S" sql -f "$tmp/good.sql" > "$tmp/good.out" 2>&1; rc=$?
check "-f: a good file exits 0" test $rc -eq 0
check "-f: SHOW TABLES as a boxed table" grep -q '^|       nums |$' "$tmp/good.out"
check "-f: tableau rows with their kind" grep -Eq '^\| \+I \| +4 \| +0 \|$' "$tmp/good.out"
check "-f: the rows are counted" grep -q '^Received a total of 3 rows$' "$tmp/good.out"
check "-f: an updating query shows -U/+U" grep -Eq '^\| \+U \| +0 \| +6 \|$' "$tmp/good.out"
head -4 "$tmp/good.sql" > "$tmp/bad.sql"
printf 'SHOW TABLES;\nSELECT id FROM nums\n  WHERE nope > 1;\nSHOW TABLES;\n' >> "$tmp/bad.sql"
"$S" sql -f "$tmp/bad.sql" > "$tmp/bad.out" 2>&1; rc=$?
check "-f: a bad file exits 1" test $rc -eq 1
check "-f: the error names file:line:col" grep -q "bad.sql:7:9: error: .*nope" "$tmp/bad.out"
check "-f: a caret under the column" grep -q '^          \^~~~$' "$tmp/bad.out"
check "-f: nothing runs after the error" test "$(grep -c 'row in set' "$tmp/bad.out")" = 1
printf "INSERT INTO sink SELECT id FROM nums;\n" > "$tmp/job.sql"
printf "CREATE TABLE sink (id INT) WITH ('connector' = 'print');\n" > "$tmp/init.sql"
cat "$tmp/good.sql" | head -4 >> "$tmp/init.sql"
"$S" sql -i "$tmp/init.sql" -f "$tmp/job.sql" > "$tmp/ij.out" 2>&1; rc=$?
check "-i then -f: the INSERT job runs to its end before the shell exits" \
  test $rc -eq 0 -a "$(grep -c '^+I\[' "$tmp/ij.out")" = 6
printf "SHOW TABLES;\nQUIT;\nSHOW TABLES;\n" | "$S" sql -i "$tmp/init.sql" > "$tmp/stdin.out" 2>&1
check "stdin: QUIT ends the statements" test "$(grep -c 'rows in set' "$tmp/stdin.out")" = 1

# ---- a terminal ----
screen() { T capture-pane -p -J -S -200; }
wait_for() { # wait_for REGEX [SECONDS]
  local i
  for i in $(seq $((${2:-10} * 10))); do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.1
  done
  echo "---- screen (waiting for: $1)"; screen | grep -v '^$' | tail -25
  return 1
}
type_line() { # types one line; tmux reads a final ';' as its separator
  local s=$1
  [ "${s: -1}" = ";" ] && s="${s%;}\\;"
  T send-keys -l -- "$s"
  T send-keys Enter
}

new_term "$S sql 2> $tmp/shell.err; echo SHELL-EXIT-\$?; sleep 30"
check "the shell starts with its prompt" wait_for '^Flink SQL> $'
type_line "CREATE TABLE clicks ("
type_line "  uid INT, page STRING"
check "an unfinished statement waits with '> '" wait_for '^> $'
type_line ") WITH ('connector' = 'datagen', 'rows-per-second' = '40',"
type_line "  'fields.uid.min' = '1', 'fields.uid.max' = '3', 'fields.page.length' = '4');"
check "the multi-line CREATE TABLE runs" wait_for 'Execute statement succeed'
type_line "SHOW TABLES;"
check "SHOW TABLES" wait_for '^\|     clicks \|$'
type_line "DESCRIBE clicks;"
check "DESCRIBE" wait_for '^\| page \| STRING \| TRUE \|'
type_line "SET 'table.exec.mini-batch.enabled' = 'true';"
type_line "SET;"
check "SET lists the session's properties" wait_for '^\| table.exec.mini-batch.enabled \|  true \|$'
type_line "RESET 'table.exec.mini-batch.enabled';"
type_line "SELECT uid FROM clicks WHERE nosuch = 1;"
check "an error shows its position" wait_for "<shell>:1:30: error: .*nosuch"
check "... and a caret under it" wait_for '^ {31}\^~~~~~$'
T send-keys -l "SELECT half typed"
T send-keys C-c
type_line "SHOW VIEWS;"
check "Ctrl-C drops the statement being typed" wait_for '^Empty set$'
check "... which never ran" bash -c "! tmux -L $sock capture-pane -p -J -S -200 | grep -q 'half typed.*error'"
T send-keys Up
check "Up recalls the last statement" wait_for '^Flink SQL> SHOW VIEWS;$'
T send-keys C-u C-c

# table mode: a refreshing view of a GROUP BY over an unbounded source
type_line "SET 'sql-client.execution.result-mode' = 'table';"
type_line "SELECT uid, COUNT(*) AS n FROM clicks GROUP BY uid;"
check "the table view opens" wait_for 'Table result of q'
sleep 1.5
screen > "$tmp/view1"
sleep 2
screen > "$tmp/view2"
n1=$(awk '$1 ~ /^[1-3]$/ {s += $2} END {print s + 0}' "$tmp/view1")
n2=$(awk '$1 ~ /^[1-3]$/ {s += $2} END {print s + 0}' "$tmp/view2")
check "the table view holds one row per key" test "$(awk '$1 ~ /^[1-3]$/' "$tmp/view2" | wc -l)" = 3
check "the table view refreshes as the source changes ($n1 -> $n2 clicks)" test "$n2" -gt "$n1" -a "$n1" -gt 0
cp "$tmp/view2" "${ARTIFACTS:-/tmp}/sluice-shell-table-view.txt" 2>/dev/null &&
  echo "     (the table view as captured: ${ARTIFACTS:-/tmp}/sluice-shell-table-view.txt)"
T send-keys q
check "q leaves the view" wait_for '^Flink SQL> $'

type_line "SET 'sql-client.execution.result-mode' = 'changelog';"
type_line "SELECT uid, COUNT(*) AS n FROM clicks GROUP BY uid;"
check "the changelog view shows retractions" wait_for '^-U +[1-3] +[0-9]+ *$'
check "... and their updates" wait_for '^\+U +[1-3] +[0-9]+ *$'
T send-keys C-c
check "Ctrl-C leaves the view" wait_for 'Flink SQL> $'

type_line "SET 'sql-client.execution.result-mode' = 'tableau';"
type_line "SELECT uid, page FROM clicks WHERE uid = 2;"
check "tableau prints rows as they come" wait_for '^\| \+I \| +2 \|'
T send-keys C-c
check "Ctrl-C ends a tableau query" wait_for 'Query terminated, received a total of [0-9]+ rows'

# INSERT jobs
type_line "CREATE TABLE counts (uid INT, n BIGINT, PRIMARY KEY (uid) NOT ENFORCED) WITH ('connector' = 'blackhole');"
type_line "INSERT INTO counts SELECT uid, COUNT(*) FROM clicks GROUP BY uid;"
check "INSERT prints its job id" wait_for '^Job ID: [0-9a-f]{32}$'
job=$(screen | sed -n 's/^Job ID: \([0-9a-f]\{32\}\)$/\1/p' | tail -1)
type_line "SHOW JOBS;"
check "SHOW JOBS lists it running" wait_for "$job \| insert-into_default_catalog.default_d... \| +RUNNING"
type_line "STOP JOB '$job';"
type_line "SHOW JOBS;"
check "STOP JOB stops it" wait_for "$job \| insert-into_default_catalog.default_d... \| +FINISHED"
type_line "QUIT;"
check "QUIT; leaves with status 0" wait_for '^SHELL-EXIT-0$'
check "no errors on stderr" test ! -s "$tmp/shell.err"
check "the history file holds the multi-line statement as one entry" \
  grep -q 'CREATE\\040TABLE\\040clicks\\040(\\012' "$SLUICE_HISTORY"
new_term "$S sql; echo SHELL-EXIT-\$?; sleep 30"
wait_for '^Flink SQL> $' >/dev/null
T send-keys Up
check "the history survives the shell" wait_for "^Flink SQL> QUIT;$"
T send-keys C-u C-d
check "Ctrl-D on an empty line leaves" wait_for '^SHELL-EXIT-0$'
T kill-server 2>/dev/null

# ---- the same shell driving a daemon ----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'rest.port: %s\nsluice.home: %s/home\n' "$port" "$tmp" > "$tmp/d.yaml"
"$S" daemon --config "$tmp/d.yaml" 2> "$tmp/daemon.log" &
dpid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v1/overview" >/dev/null && break; sleep 0.1; done
cat > "$tmp/remote.sql" <<'SQL'
CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20');
CREATE TABLE sink2 (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sink2 SELECT id FROM ticks;
SQL
"$S" sql --endpoint "http://127.0.0.1:$port" -f "$tmp/remote.sql" > "$tmp/remote.out" 2>&1; rc=$?
check "--endpoint -f submits to the daemon and exits 0" test $rc -eq 0
check "... printing the job id" grep -Eq '^Job ID: [0-9a-f]{32}$' "$tmp/remote.out"
sleep 1
"$S" jobs --endpoint "http://127.0.0.1:$port" > "$tmp/jobs.out" 2>&1
check "the job runs on in the daemon after the shell left" grep -q "RUNNING .*sink2" "$tmp/jobs.out"
printf "SHOW TABLES;\nSELECT id FROM ticks WHERE id IS NULL;\n" > "$tmp/q.sql"
new_term "$S sql --endpoint http://127.0.0.1:$port; echo SHELL-EXIT-\$?; sleep 30"
check "--endpoint: the prompt" wait_for '^Flink SQL> $'
type_line "SHOW TABLES;"
check "--endpoint: the daemon's catalog" wait_for '^\|      ticks \|$'
type_line "SET 'sql-client.execution.result-mode' = 'table';"
type_line "SELECT COUNT(*) AS c FROM ticks;"
check "--endpoint: a table view of a daemon's query" wait_for 'Table result of q'
T send-keys q
wait_for 'Flink SQL> $' > /dev/null
type_line "QUIT;"
check "--endpoint: QUIT" wait_for '^SHELL-EXIT-0$'
T kill-server 2>/dev/null
kill -TERM "$dpid"; wait "$dpid"; rc=$?; dpid=
check "the daemon stops cleanly on SIGTERM" test $rc -eq 0
check "no sanitizer reports" bash -c "! cat '$tmp'/*.out '$tmp'/*.err '$tmp'/daemon.log 2>/dev/null | grep -Eq 'Sanitizer|runtime error:'"

[ $fails -eq 0 ]
