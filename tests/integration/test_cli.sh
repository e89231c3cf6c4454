#!/usr/bin/env bash
# test_cli.sh - the sluice command line: help, exit statuses, stdin, error
# format with caret, and passwords never echoed.
set -uo pipefail
S=${SLUICE:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME COND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}

"$S" --help > "$tmp/help" 2>&1; rc=$?
check "sluice --help exits 0" test $rc -eq 0
check "sluice --help lists check" grep -q 'check' "$tmp/help"
"$S" check --help > "$tmp/chelp" 2>&1
check "sluice check --help explains --parse-only" grep -q -- '--parse-only' "$tmp/chelp"
"$S" frobnicate > /dev/null 2>&1; rc=$?
check "unknown command exits 1" test $rc -eq 1
"$S" check > /dev/null 2>&1; rc=$?
check "check without files exits 1" test $rc -eq 1
"$S" check "$tmp/missing.sql" > "$tmp/out" 2>&1; rc=$?
check "missing file exits 1" test $rc -eq 1
check "missing file is named" grep -q "missing.sql: error: cannot read file" "$tmp/out"

printf 'SELECT 1;\nSELECT 2 + ;\n' | "$S" check - > "$tmp/out" 2>&1; rc=$?
check "stdin with an error exits 1" test $rc -eq 1
check "stdin error is positioned" grep -q '^<stdin>:2:12: error: ' "$tmp/out"

cat > "$tmp/pw.sql" <<'SQL'
CREATE TABLE t (
  id INT,
  name STRING
) WITH ('connector' = 'jdbc', 'password' = 'hunter2' 'url' = 'x');
CREATE TABLE u (a INT) WITH ('connector' = 'x',
  'password' = 'swordfish', 'bad);
SQL
"$S" check "$tmp/pw.sql" > "$tmp/out" 2>&1; rc=$?
check "bad DDL exits 1" test $rc -eq 1
check "error points at the token after the password" grep -q "pw.sql:4:54: error: syntax error at ''url''" "$tmp/out"
check "password value is masked in the source line" grep -q "'password' = '\*\*\*\*\*\*'" "$tmp/out"
check "no password in any output" bash -c "! grep -q -e hunter2 -e swordfish '$tmp/out'"
# The caret sits under the offending token even after a masked value.
line=$(grep -n "pw.sql:4:54" "$tmp/out" | cut -d: -f1)
src=$(sed -n "$((line + 1))p" "$tmp/out"); caret=$(sed -n "$((line + 2))p" "$tmp/out")
pre=${caret%%^*}
check "caret under 'url'" test "${src:${#pre}:5}" = "'url'"

printf 'CREATE TABLE a (x INT) WITH ();\nSELECT y FROM a;\n' > "$tmp/b.sql"
"$S" check "$tmp/b.sql" > "$tmp/out" 2>&1; rc=$?
check "binder error exits 1" test $rc -eq 1
check "binder error names the column" grep -q "b.sql:2:8: error: column 'y' not found" "$tmp/out"
"$S" check --parse-only "$tmp/b.sql" > /dev/null 2>&1; rc=$?
check "--parse-only skips binding" test $rc -eq 0

[ $fails -eq 0 ]
