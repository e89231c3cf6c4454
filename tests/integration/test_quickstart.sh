#!/usr/bin/env bash
# test_quickstart.sh - the README's first command, scripts/quickstart, in
# its --check form: private MariaDB, PostgreSQL and Elasticsearch test
# server, the daemon running the reference job while rows change, and the
# index compared with MariaDB's own answer until they are equal.
set -uo pipefail
S=${SLUICE:?}
top=$(cd "$(dirname "$0")/../.." && pwd)
if QUICKSTART_WRITE_SECONDS=6 "$top/scripts/quickstart" --check "$S" > /tmp/quickstart-test.$$ 2>&1; then
  grep -E "index: |equals" /tmp/quickstart-test.$$ | tail -2 | sed 's/^/     /'
  echo "ok   scripts/quickstart --check: the reference job's index equals MariaDB's answer"
  rm -f /tmp/quickstart-test.$$
  exit 0
fi
tail -30 /tmp/quickstart-test.$$
rm -f /tmp/quickstart-test.$$
echo "FAIL scripts/quickstart --check"
exit 1
