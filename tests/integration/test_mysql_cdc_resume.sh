#!/usr/bin/env bash
# test_mysql_cdc_resume.sh - mysql-cdc positions (checkpoints) against a
# private MariaDB: a job is killed with -9 at a random moment of its
# chunked snapshot while a writer changes the tables, resumed from the last
# position whose rows reached the output, killed again at a random moment
# of its binlog phase, resumed again, and the three outputs cut at those
# positions, applied as one changelog to empty tables, must equal the
# tables exactly: no key added twice without a retraction between, no
# retraction of a row the changelog does not hold, no row missing. Then
# the errors of a position that cannot be resumed: other table options,
# another server, a new table, garbage, a newer version, a purged binlog.
#
# The engine's checkpoints are not used: the source's test hooks are
# (src/connectors/mysql/mysql_cdc.c, "Test hooks"):
#   SLUICE_TEST_CDC_POSITIONS=FILE  every position the source reports is
#                                   appended to FILE as "ROWS PHASE HEX"
#   SLUICE_TEST_CDC_RESTORE=HEX     resume from that position
#   SLUICE_TEST_CDC_BATCH_ROWS=N    batches of at most N rows, transactions
#                                   cut at N rows (positions inside them)
#
# Random choices (chunk sizes, batch sizes, the writer, the moments of the
# kills) come from one seed, printed first; TEST_SEED=N makes the same
# choices again (the timing of the jobs and the writer still varies).
# ITERATIONS (default 5) sets how many kill -9 rounds run; one more round
# stops the jobs gracefully (SIGTERM) instead, and a last check resumes
# inside a transaction bigger than a batch. KEEP_TMP=1 keeps the files.
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/mariadb.sh"
tmp=$(mktemp -d)
jobpid=
wpid=
cleanup() {
  [ -n "$jobpid" ] && kill -9 "$jobpid" 2>/dev/null
  [ -n "$wpid" ] && { touch "$tmp/stop.writer"; kill "$wpid" 2>/dev/null; }
  mdb_cleanup
  [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
t_start=$(date +%s)
seed=${TEST_SEED:-$(( $(date +%s%N) % 1000000 ))}
iterations=${ITERATIONS:-5}
echo "seed $seed (TEST_SEED=$seed repeats this run)"

mdb_start "$tmp/mdb" || { echo "FAIL mysql-cdc resume: MariaDB did not start"; exit 1; }

# r1: an INT key; r2: a (case-insensitive string, INT) key; r3: small;
# done: the end marker of each round. Same columns, one source for all.
mdb_sql --database app "
  CREATE TABLE r1 (id INT PRIMARY KEY, s VARCHAR(20) NOT NULL, k INT NOT NULL, v VARCHAR(40) NOT NULL);
  CREATE TABLE r2 (s VARCHAR(20) NOT NULL, id INT NOT NULL, k INT NOT NULL, v VARCHAR(40) NOT NULL,
                   PRIMARY KEY (s, id)) COLLATE utf8mb4_general_ci;
  CREATE TABLE r3 (id INT PRIMARY KEY, s VARCHAR(20) NOT NULL, k INT NOT NULL, v VARCHAR(40) NOT NULL);
  CREATE TABLE done (id INT PRIMARY KEY, s VARCHAR(20) NOT NULL, k INT NOT NULL, v VARCHAR(40) NOT NULL);
  INSERT INTO r1 SELECT seq, CONCAT('s', seq % 10), seq % 97, CONCAT('v', seq) FROM seq_1_to_30000;
  INSERT INTO r2 SELECT w.s, seq, seq % 13, CONCAT('w', seq) FROM seq_1_to_400,
    (SELECT CONCAT(CHAR(97 + a.seq), CHAR(65 + b.seq)) s FROM seq_0_to_5 a, seq_0_to_5 b) w;
  INSERT INTO r3 SELECT seq, 'x', seq, CONCAT('t', seq) FROM seq_1_to_1500" || exit 1

# The writer: transactions of 1-4 or 5-25 statements (inserts, updates of
# key ranges, key changes, case-only key changes, deletes) until
# $tmp/stop.writer exists.
cat > "$tmp/writer.py" <<'PY'
import os, random, sys, time
r = random.Random(int(sys.argv[1]))
nxt = 1000000 * (int(sys.argv[2]) + 1)
stop = sys.argv[3]
out = sys.stdout
def word():
    return ''.join(r.choice('abcdefAB') for _ in range(2))
def r1key():
    return r.randint(1, 30000) if r.random() < 0.8 else r.randint(1000000, nxt + 1)
while not os.path.exists(stop):
    n = r.randint(5, 25) if r.random() < 0.5 else r.randint(1, 4)
    out.write('BEGIN;\n')
    for _ in range(n):
        t, op = r.random(), r.random()
        if t < 0.55:
            x = r1key()
            if op < 0.3:
                nxt += 1
                out.write("INSERT IGNORE INTO app.r1 VALUES (%d, 's%d', %d, 'n%d');\n" % (nxt, nxt % 10, r.randint(0, 99), nxt))
            elif op < 0.65:
                out.write("UPDATE app.r1 SET k = k + 1, v = 'u%d' WHERE id BETWEEN %d AND %d;\n" % (r.randint(0, 9999), x, x + r.randint(0, 6)))
            elif op < 0.75:
                nxt += 1
                out.write("UPDATE IGNORE app.r1 SET id = %d WHERE id = %d;\n" % (nxt, x))
            elif op < 0.95:
                out.write("DELETE FROM app.r1 WHERE id BETWEEN %d AND %d;\n" % (x, x + r.randint(0, 2)))
            else:
                out.write("INSERT IGNORE INTO app.r1 VALUES (%d, 'h', 1, 'hole');\n" % x)
        elif t < 0.9:
            s, i = word(), r.randint(1, 420)
            if op < 0.25:
                out.write("INSERT IGNORE INTO app.r2 VALUES ('%s', %d, %d, 'n%d');\n" % (s, i, r.randint(0, 99), r.randint(0, 9999)))
            elif op < 0.55:
                out.write("UPDATE app.r2 SET k = k + 1, v = 'u%d' WHERE s = '%s' AND id BETWEEN %d AND %d;\n" % (r.randint(0, 9999), s, i, i + r.randint(0, 5)))
            elif op < 0.65:
                out.write("UPDATE IGNORE app.r2 SET s = '%s', id = %d WHERE s = '%s' AND id = %d;\n" % (word(), r.randint(1, 420), s, i))
            elif op < 0.75:
                # the same key under the case-insensitive collation: -U/+U
                out.write("UPDATE app.r2 SET s = '%s' WHERE s = '%s' AND id = %d;\n" % (s.swapcase(), s, i))
            else:
                out.write("DELETE FROM app.r2 WHERE s = '%s' AND id BETWEEN %d AND %d;\n" % (s, i, i + r.randint(0, 2)))
        else:
            x = r.randint(1, 1600)
            if op < 0.4:
                out.write("UPDATE app.r3 SET k = k + 1 WHERE id = %d;\n" % x)
            elif op < 0.7:
                out.write("DELETE FROM app.r3 WHERE id = %d;\n" % x)
            else:
                out.write("INSERT IGNORE INTO app.r3 VALUES (%d, 'y', 0, 'r%d');\n" % (x, x))
    out.write('COMMIT;\n')
    out.flush()
    time.sleep(r.uniform(0, 0.004))
PY

job() { # job NAME CHUNK_SIZE [TABLE_REGEX] [PORT]
  cat > "$tmp/$1.sql" <<SQL
CREATE TABLE src (id INT, s STRING, k INT, v STRING, tbl STRING METADATA FROM 'table_name' VIRTUAL) WITH (
  'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '${4:-$MDB_PORT}',
  'username' = '$MDB_USER', 'password' = '$MDB_PASSWORD',
  'database-name' = 'app', 'table-name' = '${3:-r[0-9]|done}',
  'scan.incremental.snapshot.chunk.size' = '$2');
CREATE TABLE out_t (id INT, s STRING, k INT, v STRING, tbl STRING) WITH ('connector' = 'print');
INSERT INTO out_t SELECT id, s, k, v, tbl FROM src;
SQL
}

# The rows count of the last position in FILE (0 if none).
last_rows() { local l; l=$(tail -n 1 "$1" 2>/dev/null | cut -d' ' -f1); [[ $l =~ ^[0-9]+$ ]] && echo "$l" || echo 0; }

# wait_rows POSFILE N [PHASE]: until a position of at least N rows (in PHASE)
# is recorded; 1 if the job ended or 30 s passed.
wait_rows() {
  local f=$1 n=$2 ph=${3:-} l
  for _ in $(seq 1 3000); do
    if [ -n "$ph" ]; then
      l=$(grep -m1 " $ph " "$f" 2>/dev/null | cut -d' ' -f1)
      [[ $l =~ ^[0-9]+$ ]] && [ "$l" -ge "$n" ] && return 0
    elif [ "$(last_rows "$f")" -ge "$n" ]; then
      return 0
    fi
    kill -0 "$jobpid" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

kill_job() { kill -9 "$jobpid" 2>/dev/null; wait "$jobpid" 2>/dev/null; jobpid=; }

# choose POSFILE OUTFILE: "ROWS PHASE SKIP HEX" of the last position whose
# rows are all (whole lines) in OUTFILE.
choose() {
  python3 - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[2], 'rb').read()
have = data.count(b'\n')
best = None
for line in open(sys.argv[1]):
    f = line.split()
    if not line.endswith('\n') or len(f) != 3 or not f[0].isdigit():
        continue
    if int(f[0]) <= have:
        best = f
if best is None:
    print('0 none 0 -')
else:
    text = bytes.fromhex(best[2]).decode('utf-8', 'replace')
    skip = [l.split()[-1] for l in text.split('\n') if l.startswith('binlog ')][0]
    print(best[0], best[1], skip, best[2])
PY
}

# verify EXPECTED OUT:ROWS...: the outputs (each cut to ROWS lines, or all
# whole lines with ROWS -1) applied in order as one changelog must give
# exactly the rows of EXPECTED (tab-separated tbl, id, s, k, v).
verify() {
  python3 - "$@" <<'PY'
import sys
rows, errors, n = {}, [], 0
def key(tbl, id_, s):
    return (tbl, s.upper(), id_) if tbl == 'r2' else (tbl, id_)
for arg in sys.argv[2:]:
    path, limit = arg.rsplit(':', 1)
    limit = int(limit)
    lines = open(path, encoding='utf-8').read().split('\n')[:-1]
    if limit >= 0:
        lines = lines[:limit]
    for ln, line in enumerate(lines, 1):
        n += 1
        kind = line[:2]
        if kind not in ('+I', '-U', '+U', '-D') or not line.endswith(']'):
            errors.append('%s:%d: not a row: %r' % (path, ln, line[:80]))
            continue
        f = line[3:-1].split(', ')
        if len(f) != 5:
            errors.append('%s:%d: %d fields' % (path, ln, len(f)))
            continue
        id_, s, k, v, tbl = f
        kk, val = key(tbl, int(id_), s), (id_, s, k, v)
        if kind[0] == '+':
            if kk in rows:
                errors.append('%s:%d: %s adds %s again (holds %s)' % (path, ln, kind, kk, rows[kk]))
            rows[kk] = val
        else:
            if rows.get(kk) != val:
                errors.append('%s:%d: %s retracts %s, the changelog holds %s' % (path, ln, kind, val, rows.get(kk)))
            rows.pop(kk, None)
want = {}
for line in open(sys.argv[1], encoding='utf-8'):
    tbl, id_, s, k, v = line.rstrip('\n').split('\t')
    want[key(tbl, int(id_), s)] = (id_, s, k, v)
for kk in sorted(set(want) | set(rows), key=str):
    if want.get(kk) != rows.get(kk):
        errors.append('%s: table %s, changelog %s' % (kk, want.get(kk), rows.get(kk)))
for e in errors[:8]:
    print('    ' + e)
print('    %d changelog rows, %d table rows, %d problems' % (n, len(want), len(errors)))
sys.exit(1 if errors else 0)
PY
}

snapshot_rows() { mdb_sql "SELECT (SELECT COUNT(*) FROM app.r1) + (SELECT COUNT(*) FROM app.r2) + (SELECT COUNT(*) FROM app.r3) + (SELECT COUNT(*) FROM app.done)"; }

# stop_job SIGNAL: -9 (a crash), or TERM (the job flushes what it read).
stop_job() {
  if [ "$1" = TERM ]; then
    kill -TERM "$jobpid" 2>/dev/null; wait "$jobpid" 2>/dev/null; jobpid=
  else
    kill_job
  fi
}

mid_txn=0
for it in $(seq 1 $((iterations + 1))); do
  si=$((seed * 100 + it))
  RANDOM=$si
  sig=-9
  [ "$it" -gt "$iterations" ] && sig=TERM
  chunk_a=$((10 + RANDOM % 31)) chunk_b=$((10 + RANDOM % 31)) cap=$((3 + RANDOM % 18))
  total=$(snapshot_rows)
  kill_a=$((50 + (RANDOM * 32768 + RANDOM) % (total * 6 / 10)))
  kill_b=$((20 + RANDOM % 600))
  echo "round $it (seed $si): chunk sizes $chunk_a/$chunk_b, batches of $cap rows, $total rows;" \
       "kill $sig after $kill_a snapshot rows and $kill_b binlog-phase rows"
  rm -f "$tmp/stop.writer"
  python3 "$tmp/writer.py" "$si" "$it" "$tmp/stop.writer" | mdb_sql 2> "$tmp/writer.$it.err" &
  wpid=$!
  export SLUICE_TEST_CDC_BATCH_ROWS=$cap

  # A: a new snapshot, killed during it.
  job a "$chunk_a"
  SLUICE_TEST_CDC_POSITIONS=$tmp/pos.a.$it "$S" run "$tmp/a.sql" > "$tmp/out.a.$it" 2> "$tmp/err.a.$it" &
  jobpid=$!
  wait_rows "$tmp/pos.a.$it" "$kill_a" || echo "    (job A: no position of $kill_a rows)"
  stop_job $sig
  read -r rows_a phase_a _ hex_a < <(choose "$tmp/pos.a.$it" "$tmp/out.a.$it")
  check "round $it: A killed ($sig) during the snapshot, after $rows_a rows out" test "$phase_a" = snapshot
  if [ $sig = TERM ]; then
    check "round $it: a stopped job's last position covers all its output" \
      test "$rows_a" = "$(last_rows "$tmp/pos.a.$it")" -a "$rows_a" = "$(wc -l < "$tmp/out.a.$it")"
  fi

  # B: resumes the snapshot, killed in the binlog phase.
  job b "$chunk_b"
  SLUICE_TEST_CDC_RESTORE=$hex_a SLUICE_TEST_CDC_POSITIONS=$tmp/pos.b.$it \
    "$S" run "$tmp/b.sql" > "$tmp/out.b.$it" 2> "$tmp/err.b.$it" &
  jobpid=$!
  if wait_rows "$tmp/pos.b.$it" 1 binlog; then
    b0=$(grep -m1 ' binlog ' "$tmp/pos.b.$it" | cut -d' ' -f1)
    wait_rows "$tmp/pos.b.$it" $((b0 + kill_b)) || echo "    (job B: no position of $((b0 + kill_b)) rows)"
  else
    echo "    (job B never reached the binlog phase)"; tail -3 "$tmp/err.b.$it"
  fi
  stop_job $sig
  read -r rows_b phase_b skip_b hex_b < <(choose "$tmp/pos.b.$it" "$tmp/out.b.$it")
  check "round $it: B resumed the snapshot, killed ($sig) in the binlog phase after $rows_b rows out (skip $skip_b)" \
    test "$phase_b" = binlog
  [ "$skip_b" != 0 ] && mid_txn=$((mid_txn + 1))

  # C: resumes the binlog phase and runs until the end marker.
  job c "$chunk_a"
  SLUICE_TEST_CDC_RESTORE=$hex_b SLUICE_TEST_CDC_POSITIONS=$tmp/pos.c.$it \
    "$S" run "$tmp/c.sql" > "$tmp/out.c.$it" 2> "$tmp/err.c.$it" &
  jobpid=$!
  sleep 0.$((RANDOM % 5))
  touch "$tmp/stop.writer"
  wait "$wpid"; wpid=
  mdb_sql "INSERT INTO app.done VALUES ($it, 'end', $it, 'end')"
  for _ in $(seq 1 300); do
    grep -qF -- "+I[$it, end, $it, end, done]" "$tmp/out.c.$it" && break
    kill -0 "$jobpid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$jobpid" 2>/dev/null; wait "$jobpid" 2>/dev/null; jobpid=
  check "round $it: C resumed the binlog phase and saw the end" grep -qF -- "+I[$it, end, $it, end, done]" "$tmp/out.c.$it"
  check "round $it: the writer ran without errors" test ! -s "$tmp/writer.$it.err"
  mdb_sql "SELECT 'r1', id, s, k, v FROM app.r1 UNION ALL SELECT 'r2', id, s, k, v FROM app.r2 UNION ALL
           SELECT 'r3', id, s, k, v FROM app.r3 UNION ALL SELECT 'done', id, s, k, v FROM app.done" > "$tmp/expected.$it"
  check "round $it: A[:$rows_a] + B[:$rows_b] + C is exactly the tables" \
    verify "$tmp/expected.$it" "$tmp/out.a.$it:$rows_a" "$tmp/out.b.$it:$rows_b" "$tmp/out.c.$it:-1"
done
unset SLUICE_TEST_CDC_BATCH_ROWS
echo "    ($mid_txn of $((iterations + 1)) binlog-phase resumes were inside a transaction)"
check "resumes log that they resume and ignore the startup mode" \
  grep -q "resumes from the position of the checkpoint or savepoint (snapshot phase.*'scan.startup.mode' ('initial') and its options are ignored" "$tmp/err.b.1"

# ---- inside a transaction bigger than a batch --------------------------------
# D reads r3 and one 3000-row transaction in batches of 7 rows; E resumes
# from a position in the middle of that transaction.
job d 50 r3
SLUICE_TEST_CDC_BATCH_ROWS=7 SLUICE_TEST_CDC_POSITIONS=$tmp/pos.d \
  "$S" run "$tmp/d.sql" > "$tmp/out.d" 2> "$tmp/err.d" &
jobpid=$!
wait_rows "$tmp/pos.d" 1 binlog || echo "    (job D never reached the binlog phase)"
mdb_sql "UPDATE app.r3 SET k = k + 1000 WHERE id <= 1500; INSERT INTO app.r3 VALUES (5000, 'd', 0, 'd')"
for _ in $(seq 1 300); do grep -qF -- "+I[5000, d, 0, d, r3]" "$tmp/out.d" && break; sleep 0.1; done
stop_job TERM
mid=$(awk '$2 == "binlog" { print $1, $3 }' "$tmp/pos.d" | python3 -c '
import sys
c = []
for l in sys.stdin:
    r, h = l.split()
    skip = int([x for x in bytes.fromhex(h).decode().split("\n") if x.startswith("binlog ")][0].split()[-1])
    if skip > 0:
        c.append((skip, r, h))
if c:
    skip, r, h = c[len(c) // 2]
    print(r, skip, h)
')
read -r rows_d skip_d hex_d <<< "${mid:-0 0 -}"
check "D: positions inside the transaction (one of $skip_d rows in)" test "$skip_d" -gt 0
job e 50 r3
SLUICE_TEST_CDC_RESTORE=$hex_d "$S" run "$tmp/e.sql" > "$tmp/out.e" 2> "$tmp/err.e" &
jobpid=$!
sleep 0.3
mdb_sql "INSERT INTO app.r3 VALUES (5001, 'e', 0, 'e')"
for _ in $(seq 1 300); do grep -qF -- "+I[5001, e, 0, e, r3]" "$tmp/out.e" && break; sleep 0.1; done
stop_job TERM
mdb_sql "SELECT 'r3', id, s, k, v FROM app.r3" > "$tmp/expected.d"
check "resumed inside a transaction: D[:$rows_d] + E is exactly the table" \
  verify "$tmp/expected.d" "$tmp/out.d:$rows_d" "$tmp/out.e:-1"

# ---- positions that cannot be resumed -------------------------------------
fail_with() { # fail_with NAME HEX PATTERN [job args...]: the job fails naming PATTERN
  local name=$1 hex=$2 pat=$3; shift 3
  [ $# -gt 0 ] || set -- 16
  job bad "$@"
  SLUICE_TEST_CDC_RESTORE=$hex timeout 30 "$S" run "$tmp/bad.sql" > /dev/null 2> "$tmp/bad.$name.err"
  local rc=$?
  if [ $rc -ne 1 ] || ! grep -qE -- "$pat" "$tmp/bad.$name.err"; then
    echo "    exit $rc: $(tail -2 "$tmp/bad.$name.err")"
    return 1
  fi
}
check "other table-name: refused, naming the option" \
  fail_with opts "$hex_b" "taken with 'table-name' = 'r\[0-9\]\|done', the table now has 'r\[12\]\|done'.*new snapshot" 16 'r[12]|done'
check "not a position: refused" \
  fail_with garbage 00ff10 "not a mysql-cdc position"
check "a truncated position: refused" \
  fail_with truncated "${hex_b:0:$(( ${#hex_b} / 4 * 2 ))}" "position to resume from is not valid"
newer=$(printf 'mysql-cdc-position 2\nphase binlog\nend\n' | od -An -tx1 | tr -d ' \n')
check "a newer version: refused" \
  fail_with newer "$newer" "has version 2, written by a newer sluice"

mdb_sql "CREATE TABLE app.r7 (id INT PRIMARY KEY, s VARCHAR(20), k INT, v VARCHAR(40))"
check "a new table matching table-name: refused" \
  fail_with newtable "$hex_b" "app.r7 matches 'database-name' and 'table-name' now but was not captured"
mdb_sql "DROP TABLE app.r7"

main_dir=$MDB_DIR
mdb_start "$tmp/mdb2" --server-id=2 || echo "    (second instance failed)"
mdb_sql --database app "CREATE TABLE r1 (id INT PRIMARY KEY, s VARCHAR(20), k INT, v VARCHAR(40));
  CREATE TABLE r2 (s VARCHAR(20), id INT, k INT, v VARCHAR(40), PRIMARY KEY (s, id));
  CREATE TABLE r3 (id INT PRIMARY KEY, s VARCHAR(20), k INT, v VARCHAR(40));
  CREATE TABLE done (id INT PRIMARY KEY, s VARCHAR(20), k INT, v VARCHAR(40))"
check "another server: refused, naming both server ids" \
  fail_with server "$hex_b" "taken on the server with server_id 1, but 127.0.0.1:$MDB_PORT has server_id 2" 16 'r[0-9]|done' "$MDB_PORT"
mdb_stop "$tmp/mdb2"
mdb_use "$main_dir"

# Last: purge the binlog the positions point into.
pos_file=$(python3 -c 'import sys; print(bytes.fromhex(sys.argv[1]).decode())' "$hex_b" |
           sed -n 's/^binlog "\([^"]*\)".*/\1/p')
mdb_sql "FLUSH BINARY LOGS"
new_file=$(mdb_sql "SHOW MASTER STATUS" | cut -f1)
for _ in $(seq 1 50); do
  mdb_sql "PURGE BINARY LOGS TO '$new_file'"
  mdb_sql "SHOW BINARY LOGS" | grep -qF "$pos_file" || break
  sleep 0.2
done
check "a purged binlog: refused, naming file and position and the way out" \
  fail_with purged "$hex_b" "cannot resume table 'src' at binlog position $pos_file:[0-9]+ .*no longer has the binlog file $pos_file \(purged.*start the job without the checkpoint/savepoint \(a fresh state\) to take a new snapshot"

mdb_stop
check "no sanitizer reports" bash -c "! grep -l 'Sanitizer' '$tmp'/err.* '$tmp'/bad.*.err"
echo "    ($(( $(date +%s) - t_start )) s)"
[ $fails -eq 0 ]
