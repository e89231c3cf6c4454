#!/usr/bin/env bash
# test_checkpoint.sh - checkpoints, recovery and savepoints of `sluice run`
# with both state backends: a GROUP BY over a rate-limited datagen sequence
# into the elasticsearch sink (esserver), kill -9 at seeded random moments
# and restarted each time; at the end every document must hold the exact
# COUNT(*) and SUM(id) of its group (nothing lost, nothing counted twice).
# Also: the state directory lock, a job whose plan changed refused,
# --fresh, stop with a savepoint and resume from it, restart strategies
# restarting a failing job in-process from its last checkpoint, and
# tolerable failed checkpoints.
set -uo pipefail
S=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../es/lib.sh"
tmp=$(mktemp -d)
jobpid=
trap '[ -n "$jobpid" ] && kill -9 $jobpid 2>/dev/null; es_cleanup; rm -rf "$tmp"' EXIT
fails=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
seed=${SEED:-$(( $(date +%s) % 100000 ))}
echo "     seed $seed (SEED=$seed to repeat)"
RANDOM=$seed

es_start "$tmp/es" || { echo "FAIL esserver did not start"; exit 1; }

N=40000
job() { # index backend [extra SET lines]
  cat <<EOF
SET 'execution.checkpointing.interval' = '300ms';
SET 'state.backend' = '$2';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '200ms';
SET 'table.exec.mini-batch.size' = '1000';
${3:-}
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '16000',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '$N');
CREATE TABLE es (k BIGINT, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)
  WITH ('connector' = 'elasticsearch-7', 'hosts' = '$ES_URL', 'index' = '$1',
        'sink.bulk-flush.interval' = '100ms', 'sink.bulk-flush.backoff.strategy' = 'CONSTANT',
        'sink.bulk-flush.backoff.delay' = '20ms');
INSERT INTO es SELECT id % ${MOD:-97}, COUNT(*), SUM(id)
  FROM (SELECT id FROM src UNION ALL SELECT v FROM (VALUES (CAST(1000000 AS BIGINT))) AS t (v))
  GROUP BY id % ${MOD:-97};
EOF
}
want() { # modulus
  python3 -c "
import json
d = {}
for i in list(range(1, $N + 1)) + [1000000]:   # the job's literal row too
    n, s = d.get(i % $1, (0, 0)); d[i % $1] = (n + 1, s + i)
print(json.dumps({str(k): {'k': k, 'n': v[0], 's': v[1]} for k, v in d.items()}, sort_keys=True))
" > "$tmp/want.json"
}
want 97
exact() { # index
  es_dump "$1" | python3 -c "
import json, sys
got = {k: json.loads(v) for k, v in json.load(sys.stdin).get('raw', {}).items()}
want = json.load(open('$tmp/want.json'))
bad = [k for k in want if got.get(k) != want[k]]
if bad or len(got) != len(want):
    print('  %d documents differ, e.g. %s: got %s want %s' % (len(bad), bad[:1], got.get(bad[0]) if bad else None, want[bad[0]] if bad else None))
    sys.exit(1)"
}

ok_and_exact() { [ "$1" -eq 0 ] && exact "$2"; }

# ---- crash matrix: kill -9 at random moments, restart, exact ----
crash_matrix() { # backend kills
  local be=$1 kills=$2 ix="crash-$1" dir="$tmp/state-$1"
  job "$ix" "$be" > "$tmp/$ix.sql"
  local k restored=0
  for k in $(seq 1 "$kills"); do
    "$S" run --state-dir "$dir" "$tmp/$ix.sql" > /dev/null 2>> "$tmp/$ix.err" &
    jobpid=$!
    sleep "0.$((3 + RANDOM % 7))"
    kill -9 $jobpid 2>/dev/null; wait $jobpid 2>/dev/null; jobpid=
  done
  "$S" run --verbose --state-dir "$dir" "$tmp/$ix.sql" > /dev/null 2>> "$tmp/$ix.err"
  local rc=$?
  [ $rc -eq 0 ] || { tail -5 "$tmp/$ix.err"; return 1; }
  grep -q "restoring the job from" "$tmp/$ix.err" || { echo "  never restored"; return 1; }
  exact "$ix"
}
check "hashmap: killed 6 times with kill -9 and restarted, every group exact" crash_matrix hashmap 6
check "rocksdb: killed 6 times with kill -9 and restarted, every group exact" crash_matrix rocksdb 6
check "checkpoints completed and were reported" grep -q "checkpoint [0-9]* complete" "$tmp/crash-hashmap.err"

# ---- the state directory is locked ----
job locked hashmap > "$tmp/locked.sql"
"$S" run --state-dir "$tmp/state-lock" "$tmp/locked.sql" > /dev/null 2> "$tmp/lock1.err" &
jobpid=$!
sleep 0.5
"$S" run --state-dir "$tmp/state-lock" "$tmp/locked.sql" > /dev/null 2> "$tmp/lock2.err"
rc=$?
kill -9 $jobpid; wait $jobpid 2>/dev/null; jobpid=
check "a second process on the same state directory is refused" \
  bash -c "[ $rc -ne 0 ] && grep -q 'is in use by another sluice process (pid' '$tmp/lock2.err'"

# ---- an incompatible job is refused; --fresh starts over ----
sed 's/id % 97, COUNT(\*), SUM(id)/id % 97, COUNT(*), MAX(id)/' \
  "$tmp/locked.sql" > "$tmp/changed.sql"
"$S" run --state-dir "$tmp/state-lock" "$tmp/changed.sql" > /dev/null 2> "$tmp/changed.err"
check "a checkpoint of a job whose plan changed is refused, naming the difference" \
  bash -c "grep -q 'was taken by a different job: its operator plan differs at line' '$tmp/changed.err' && grep -q -- '--fresh' '$tmp/changed.err'"
"$S" run --fresh --state-dir "$tmp/state-lock" "$tmp/locked.sql" > /dev/null 2> "$tmp/fresh.err"
check "--fresh discards the old checkpoints and runs" \
  bash -c "[ $? -eq 0 ] && ! grep -q 'restoring the job' '$tmp/fresh.err'"
check "... exact" exact locked

# ---- stop with a savepoint, resume from it ----
job savepoint rocksdb > "$tmp/sp.sql"
"$S" run --state-dir "$tmp/state-sp" --savepoint-on-stop "$tmp/sp1" "$tmp/sp.sql" > /dev/null 2> "$tmp/sp.err" &
jobpid=$!
sleep 1
kill -TERM $jobpid; wait $jobpid; rc=$?; jobpid=
check "SIGTERM with --savepoint-on-stop stops cleanly with a savepoint" \
  bash -c "[ $rc -eq 0 ] && [ -f '$tmp/sp1/_metadata' ] && grep -q 'savepoint written to' '$tmp/sp.err'"
"$S" run --fresh --state-dir "$tmp/state-sp2" --from-savepoint "$tmp/sp1" "$tmp/sp.sql" > /dev/null 2> "$tmp/sp2.err"
check "a new job resumes from the savepoint and finishes exact" \
  bash -c "[ $? -eq 0 ] && grep -q 'restoring the job from $tmp/sp1' '$tmp/sp2.err'"
check "... exact" exact savepoint

# ---- restart strategies ----
# The sink fails the job (backoff DISABLED in this index's table) while
# the server answers 500; fixed-delay restarts it from its checkpoint.
job restart hashmap "SET 'restart-strategy' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '5';
SET 'restart-strategy.fixed-delay.delay' = '100ms';" |
  sed "s/'sink.bulk-flush.backoff.strategy' = 'CONSTANT'/'sink.bulk-flush.backoff.strategy' = 'DISABLED'/" > "$tmp/restart.sql"
( sleep 1; es_fault '[{"kind":"request_status","status":500,"count":2}]' >/dev/null ) &
fp=$!
"$S" run --state-dir "$tmp/state-restart" "$tmp/restart.sql" > /dev/null 2> "$tmp/restart.err"
rc=$?
wait $fp
check "restart-strategy fixed-delay restarts a failed job in-process from its checkpoint" \
  bash -c "[ $rc -eq 0 ] && grep -q 'restart 1 (restart-strategy fixed-delay)' '$tmp/restart.err'"
check "... exact" exact restart
job nostart hashmap "SET 'restart-strategy' = 'none';" |
  sed "s/'sink.bulk-flush.backoff.strategy' = 'CONSTANT'/'sink.bulk-flush.backoff.strategy' = 'DISABLED'/" > "$tmp/none.sql"
( sleep 1; es_fault '[{"kind":"request_status","status":500,"count":1}]' >/dev/null ) &
fp=$!
"$S" run --state-dir "$tmp/state-none" "$tmp/none.sql" > /dev/null 2> "$tmp/none.err"
rc=$?
wait $fp
check "restart-strategy none: the job fails with exit status 1 and its cause" \
  bash -c "[ $rc -eq 1 ] && grep -q 'HTTP 500' '$tmp/none.err'"
es_faults_clear
# failure-rate: more failures within the interval than allowed gives up.
job frate hashmap "SET 'restart-strategy' = 'failure-rate';
SET 'restart-strategy.failure-rate.max-failures-per-interval' = '2';
SET 'restart-strategy.failure-rate.failure-rate-interval' = '1 min';
SET 'restart-strategy.failure-rate.delay' = '50 ms';" |
  sed "s/'sink.bulk-flush.backoff.strategy' = 'CONSTANT'/'sink.bulk-flush.backoff.strategy' = 'DISABLED'/" > "$tmp/frate.sql"
( sleep 1; es_fault '[{"kind":"request_status","status":500,"count":-1}]' >/dev/null ) &
fp=$!
"$S" run --state-dir "$tmp/state-frate" "$tmp/frate.sql" > /dev/null 2> "$tmp/frate.err"
rc=$?
wait $fp
es_faults_clear
check "restart-strategy failure-rate restarts twice, then gives up with exit status 1" \
  bash -c "[ $rc -eq 1 ] && grep -q 'restart 2 (restart-strategy failure-rate)' '$tmp/frate.err' &&
           ! grep -q 'restart 3 ' '$tmp/frate.err' && grep -q 'restart-strategy failure-rate gives up after 2 restarts' '$tmp/frate.err'"
# A checkpoint whose sink acknowledgements take longer than the timeout
# fails; with no failure tolerated the job fails.
job ctimeout hashmap "SET 'execution.checkpointing.timeout' = '400 ms';
SET 'restart-strategy' = 'none';" > "$tmp/ctimeout.sql"
( sleep 1; es_fault '[{"kind":"delay","ms":1500,"count":-1,"path":"_bulk"}]' >/dev/null ) &
fp=$!
"$S" run --state-dir "$tmp/state-ctimeout" "$tmp/ctimeout.sql" > /dev/null 2> "$tmp/ctimeout.err"
rc=$?
wait $fp
es_faults_clear
check "a checkpoint past execution.checkpointing.timeout fails and, beyond tolerance, fails the job" \
  bash -c "[ $rc -eq 1 ] && grep -q 'timed out after [0-9]* ms (execution.checkpointing.timeout)' '$tmp/ctimeout.err'"

# ---- disk full: failed checkpoints, tolerated or not ----
# The state directory on a 1 MB tmpfs; 20000 groups make each checkpoint
# of the hashmap backend about 0.6 MB, so a second copy does not fit.
mkdir -p "$tmp/small"
if mount -t tmpfs -o size=1m tmpfs "$tmp/small" 2>/dev/null; then
  want 20000
  MOD=20000 job diskfull hashmap "SET 'execution.checkpointing.tolerable-failed-checkpoints' = '0';
SET 'restart-strategy' = 'none';" > "$tmp/df0.sql"
  "$S" run --state-dir "$tmp/small/s0" "$tmp/df0.sql" > /dev/null 2> "$tmp/df0.err"
  rc=$?
  check "disk full: a failed checkpoint beyond tolerable-failed-checkpoints (0) fails the job" \
    bash -c "[ $rc -ne 0 ] && grep -q 'tolerable-failed-checkpoints (0)' '$tmp/df0.err' && grep -qi 'no space left' '$tmp/df0.err'"
  rm -rf "$tmp/small/s0"
  MOD=20000 job diskfull2 hashmap "SET 'execution.checkpointing.tolerable-failed-checkpoints' = '1000';" > "$tmp/df.sql"
  "$S" run --state-dir "$tmp/small/s1" "$tmp/df.sql" > /dev/null 2> "$tmp/df.err" &
  jobpid=$!
  sleep 1.2
  mount -o remount,size=64m "$tmp/small"   # space returns
  sleep 0.8
  kill -9 $jobpid; wait $jobpid 2>/dev/null; jobpid=
  "$S" run --state-dir "$tmp/small/s1" "$tmp/df.sql" > /dev/null 2>> "$tmp/df.err"
  rc=$?
  check "disk full with failures tolerated: checkpoints fail cleanly, then succeed when space returns" \
    bash -c "grep -q 'checkpoint [0-9]* failed' '$tmp/df.err' && grep -q 'checkpoint [0-9]* complete' '$tmp/df.err'"
  check "... and after kill -9 and a restart every group is exact" ok_and_exact $rc diskfull2
  umount "$tmp/small"
else
  echo "ok   disk full: skipped (cannot mount a tmpfs here)"
fi

check "no sanitizer reports" bash -c "! grep -q Sanitizer '$tmp'/*.err"
[ $fails -eq 0 ]
