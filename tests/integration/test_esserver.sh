#!/usr/bin/env bash
# test_esserver.sh - the self-test of the Elasticsearch-compatible test
# server (tests/es/test_esserver.sh), which the elasticsearch sink's tests
# rely on. It does not use sluice; the sanitizer pass skips it.
set -uo pipefail
case "${ASAN_OPTIONS:-}" in *detect_leaks*) echo "ok   esserver self-test (run by the release pass)"; exit 0 ;; esac
exec bash "$(cd "$(dirname "$0")/../es" && pwd)/test_esserver.sh"
