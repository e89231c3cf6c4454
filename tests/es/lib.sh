# lib.sh - esserver (tests/es/esserver.py) from bash tests: start, stop, query.
#
# esserver is an in-memory stand-in for an Elasticsearch 7 node (Python 3
# standard library only); its header comment says what it covers and what it
# does not, and describes the fault API under /_esserver/.
#
#   . "$(dirname "$0")/../es/lib.sh"          # from tests/integration/
#   tmp=$(mktemp -d)
#   trap 'es_cleanup; rm -rf "$tmp"' EXIT
#   es_start "$tmp/es" || exit 1              # extra esserver args may follow
#   es_curl PUT /orders '{"mappings":{"properties":{"amt":{"type":"long"}}}}'
#   ... run the job against "$ES_URL" ...
#   es_refresh orders
#   [ "$(es_count orders)" = 3 ] || fail
#   es_get orders 42                          # the _source, byte for byte
#
# Functions (all `set -u` safe; each returns non-zero on failure):
#   es_start DIR [esserver args...]  start a server on a free 127.0.0.1 port;
#                  its files live in DIR (esserver.log: one line per request,
#                  esserver.out: stdout/stderr, port, pid, args); waits up to
#                  ES_START_TIMEOUT (10) s for the port file; exports ES_PORT,
#                  ES_URL (http://127.0.0.1:PORT), ES_PID, ES_DIR. Several
#                  servers may run at once (one DIR each); the last started
#                  is the current one. The server exits by itself when the
#                  shell that started it dies (--watch-pid), so a SIGKILLed
#                  test leaves nothing behind.
#   es_use DIR     make DIR's server the current one (sets the ES_* variables)
#   es_stop [DIR]  SIGTERM, SIGKILL after 5 s; never fails. Only a live
#                  esserver process is signalled (the pid file goes when the
#                  server is gone, so later calls and es_cleanup do nothing)
#   es_kill [DIR]  SIGKILL (a crashed node); never fails
#   es_restart [DIR]  start again on the same port with the same arguments
#                  (all data is gone: the server keeps everything in memory)
#   es_running [DIR]  status 0 when the server process lives
#   es_cleanup     stop every server this shell started (for EXIT traps)
#   es_curl METHOD PATH [BODY]  curl -s against the current server with
#                  ES_USER/ES_PASSWORD (Basic auth) when set; prints the reply
#                  body (for HEAD: the status code); BODY "@FILE" sends a file;
#                  Content-Type application/json (x-ndjson for _bulk paths);
#                  status non-zero only when curl failed (no connection,
#                  reset, empty reply)
#   es_status METHOD PATH [BODY]  like es_curl but prints the HTTP status code
#   es_fault 'JSON'   add fault rules (a JSON list or one rule); es_faults_clear
#   es_stats [KEY]    the /_esserver/stats JSON, or one value of it
#                  (es_stats bulk_requests; es_stats faults_fired.item_status)
#   es_reset        drop all indices, rules and stats
#   es_refresh INDEX          POST /INDEX/_refresh
#   es_get INDEX ID           print the document's _source verbatim (no newline
#                             added); status 1 when there is no such document
#   es_count INDEX [QUERY]    print the number of searchable documents (after
#                             a refresh) matching QUERY (a query object such as
#                             '{"term":{"k":"a"}}'; default match_all)
#   es_dump INDEX             /_esserver/dump/INDEX: every document, also
#                             unrefreshed ones, with its version and raw text
#   es_json EXPR              read JSON on stdin, print the Python expression
#                             EXPR of it (d is the document): es_curl GET
#                             /i/_doc/1 | es_json 'd["_version"]'. Strings
#                             print bare, other values as compact JSON.

ES_SERVER=${ES_SERVER:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/esserver.py}
# The interpreter itself, not a wrapper (a pyenv shim costs 100 ms a call).
ES_PYTHON=${ES_PYTHON:-$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || echo python3)}
_ES_DIRS=()

es_start() {
  local dir=${1:?es_start DIR [args...]}
  shift
  mkdir -p "$dir" || return 1
  dir=$(cd "$dir" && pwd)
  rm -f "$dir/port"
  if [ $# -gt 0 ]; then printf '%s\n' "$@" >"$dir/args"; else : >"$dir/args"; fi
  _es_launch "$dir" 0 "$@"
}

# _es_launch DIR PORT ARGS...: start the process and wait for its port file.
_es_launch() {
  local dir=$1 port=$2 i
  shift 2
  "$ES_PYTHON" -I -S "$ES_SERVER" --port "$port" --port-file "$dir/port" \
    --log "$dir/esserver.log" --watch-pid $$ "$@" >>"$dir/esserver.out" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  local tries=$(( ${ES_START_TIMEOUT:-10} * 20 ))
  for ((i = 0; i < tries; i++)); do
    [ -s "$dir/port" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "es_start: esserver exited; its output:" >&2
      tail -n 20 "$dir/esserver.out" >&2
      return 1
    fi
    sleep 0.05
  done
  if [ ! -s "$dir/port" ]; then
    echo "es_start: no port file after ${ES_START_TIMEOUT:-10} s" >&2
    kill -KILL "$pid" 2>/dev/null || true
    return 1
  fi
  local d found=0
  for d in "${_ES_DIRS[@]+"${_ES_DIRS[@]}"}"; do
    [ "$d" = "$dir" ] && found=1
  done
  [ $found = 1 ] || _ES_DIRS+=("$dir")
  es_use "$dir"
}

es_use() {
  local dir=${1:?es_use DIR}
  dir=$(cd "$dir" 2>/dev/null && pwd) || { echo "es_use: no directory $1" >&2; return 1; }
  [ -s "$dir/port" ] || { echo "es_use: no server in $dir" >&2; return 1; }
  ES_DIR=$dir
  ES_PORT=$(cat "$dir/port")
  ES_PID=$(cat "$dir/pid" 2>/dev/null)
  ES_URL=http://127.0.0.1:$ES_PORT
  export ES_DIR ES_PORT ES_PID ES_URL
}

_es_dir() {
  if [ $# -gt 0 ] && [ -n "$1" ]; then
    (cd "$1" 2>/dev/null && pwd)
  else
    echo "${ES_DIR:-}"
  fi
}

# _es_pid DIR: the pid of DIR's server if that process is alive and is an
# esserver (a stale pid file never gets another process signalled).
_es_pid() {
  local pid
  [ -n "$1" ] && [ -s "$1/pid" ] || return 1
  pid=$(cat "$1/pid")
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q esserver || return 1
  fi
  echo "$pid"
}

es_running() {
  _es_pid "$(_es_dir "$@")" >/dev/null
}

es_stop() {
  local dir pid i
  dir=$(_es_dir "$@")
  pid=$(_es_pid "$dir") || { [ -z "$dir" ] || rm -f "$dir/pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
  return 0
}

es_kill() {
  local dir pid
  dir=$(_es_dir "$@")
  pid=$(_es_pid "$dir") || { [ -z "$dir" ] || rm -f "$dir/pid"; return 0; }
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
  return 0
}

es_restart() {
  local dir port
  dir=$(_es_dir "$@")
  if [ -z "$dir" ] || [ ! -s "$dir/port" ]; then echo "es_restart: no server to restart" >&2; return 1; fi
  es_running "$dir" && es_stop "$dir"
  port=$(cat "$dir/port")
  rm -f "$dir/port"
  local args=()
  if [ -s "$dir/args" ]; then
    mapfile -t args <"$dir/args"
  fi
  _es_launch "$dir" "$port" "${args[@]+"${args[@]}"}"
}

es_cleanup() {
  local d
  for d in "${_ES_DIRS[@]+"${_ES_DIRS[@]}"}"; do
    es_stop "$d"
  done
  return 0
}

# _es_curl_args METHOD PATH [BODY]: the curl arguments for a request.
_es_curl_args() {
  local method=$1 path=$2
  _ES_ARGS=(-s -X "$method" -H 'Expect:')
  [ "$method" = HEAD ] && _ES_ARGS=(-s -I -H 'Expect:')
  if [ -n "${ES_USER:-}" ]; then
    _ES_ARGS+=(-u "$ES_USER:${ES_PASSWORD:-}")
  fi
  if [ $# -ge 3 ]; then
    case $path in
      *_bulk*) _ES_ARGS+=(-H 'Content-Type: application/x-ndjson') ;;
      *) _ES_ARGS+=(-H 'Content-Type: application/json') ;;
    esac
    _ES_ARGS+=(--data-binary "$3")
  fi
  _ES_ARGS+=("${ES_URL:?no current esserver (es_start first)}$path")
}

es_curl() {
  _es_curl_args "$@" || return 1
  if [ "$1" = HEAD ]; then
    curl "${_ES_ARGS[@]}" -o /dev/null -w '%{http_code}\n'
  else
    curl "${_ES_ARGS[@]}"
  fi
}

es_status() {
  _es_curl_args "$@" || return 1
  if [ "$1" = HEAD ]; then
    curl "${_ES_ARGS[@]}" -o /dev/null -w '%{http_code}\n'
  else
    curl "${_ES_ARGS[@]}" -o /dev/null -w '%{http_code}\n'
  fi
}

es_json() {
  "$ES_PYTHON" -I -S -c '
import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1], {"d": d, "json": json})
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
' "${1:?es_json EXPR}"
}

es_fault() {
  local out
  out=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "${1:?es_fault JSON}" \
    "${ES_URL:?no current esserver}/_esserver/faults") || return 1
  case $out in
    *'"acknowledged":true'*) return 0 ;;
    *) echo "es_fault: $out" >&2; return 1 ;;
  esac
}

es_faults_clear() {
  curl -s -X DELETE "${ES_URL:?no current esserver}/_esserver/faults" >/dev/null
}

es_reset() {
  curl -s -X POST "${ES_URL:?no current esserver}/_esserver/reset" >/dev/null
}

es_stats() {
  local out
  out=$(curl -s "${ES_URL:?no current esserver}/_esserver/stats") || return 1
  if [ $# -eq 0 ]; then
    printf '%s\n' "$out"
  else
    printf '%s' "$out" | "$ES_PYTHON" -I -S -c '
import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d = d.get(k, 0) if isinstance(d, dict) else 0
print(d if not isinstance(d, (dict, list)) else json.dumps(d, separators=(",", ":")))
' "$1"
  fi
}

es_refresh() {
  es_curl POST "/${1:?es_refresh INDEX}/_refresh" >/dev/null
}

es_get() {
  local index=${1:?es_get INDEX ID} id=${2:?es_get INDEX ID} code
  if [[ ! $id =~ ^[A-Za-z0-9._~-]+$ ]]; then
    id=$("$ES_PYTHON" -I -S -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$id")
  fi
  _es_curl_args GET "/$index/_source/$id" || return 1
  local tmp
  tmp=$(mktemp) || return 1
  code=$(curl "${_ES_ARGS[@]}" -o "$tmp" -w '%{http_code}') || { rm -f "$tmp"; return 1; }
  if [ "$code" = 200 ]; then
    cat "$tmp"
    rm -f "$tmp"
    return 0
  fi
  rm -f "$tmp"
  return 1
}

es_count() {
  local index=${1:?es_count INDEX [QUERY]} q=${2:-'{"match_all":{}}'} out
  out=$(es_curl POST "/$index/_count" "{\"query\":$q}") || return 1
  if [[ $out =~ ^\{\"count\":([0-9]+), ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    printf '%s\n' "$out"  # the error
    return 1
  fi
}

es_dump() {
  curl -s "${ES_URL:?no current esserver}/_esserver/dump/${1:?es_dump INDEX}"
}
