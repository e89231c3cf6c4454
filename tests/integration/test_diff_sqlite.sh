#!/usr/bin/env bash
# test_diff_sqlite.sh - differential test of `sluice run` against SQLite:
# random changelog histories and random queries (filters, CASE, GROUP BY,
# HAVING, DISTINCT aggregates, SELECT DISTINCT, UNION ALL, two-level
# aggregation, joins), run with mini-batch off and on, compared with SQLite's
# answer over the final tables. See diff_sqlite.py and README.md.
#
#   DIFF_CASES   number of cases (default 300, about 20 s)
#   DIFF_SEED    seed of the first case (default: from today's date, so the
#                cases change every day and a failure names its seed)
#
# Reproduce one failing case: tests/integration/diff_sqlite.py --sluice
# build/sluice --seed N --cases 1
set -uo pipefail
S=${SLUICE:?SLUICE must name the sluice binary}
here=$(cd "$(dirname "$0")" && pwd)
cases=${DIFF_CASES:-300}
seed=${DIFF_SEED:-$(date -u +%Y%m%d)000}

if ! command -v python3 > /dev/null 2>&1; then
  echo "FAIL diff: python3 is not installed (scripts/install-deps installs it)"
  echo "diff: 0 passed, $cases failed"
  exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 "$here/diff_sqlite.py" --sluice "$S" --seed "$seed" --cases "$cases" \
  2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if ! grep -q '^diff: [0-9]* passed, [0-9]* failed$' "$out"; then
  # the script died before its summary
  echo "diff: 0 passed, $cases failed"
  exit 1
fi
[ "$rc" -eq 0 ]
