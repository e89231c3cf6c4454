# mariadb.sh - private MariaDB instances for integration tests (bash library).
#
# Source it from a test; every instance is private: its data directory,
# binlog, socket, pid file and error log live under a directory the test
# owns, it listens on 127.0.0.1 only, on a free port from 33061 upward
# (never 3306, never the default socket), and no configuration file is read
# (--no-defaults comes first on every command line), so /etc/mysql and
# /var/lib/mysql are never touched and no system service is needed.
#
#   . "$(dirname "$0")/lib/mariadb.sh"
#   tmp=$(mktemp -d)
#   trap 'mdb_cleanup; rm -rf "$tmp"' EXIT    # or: mdb_trap 'rm -rf "$tmp"'
#   mdb_start "$tmp/mdb" || exit 1            # ROW binlog, user sluice, db app
#   mdb_sql "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(10))"
#   mdb_sql "INSERT INTO app.t VALUES (1, 'a')"
#   mdb_sql --user sluice --password sluice-pw "SHOW MASTER STATUS"
#   mdb_kill; mdb_restart                     # crash and recover
#   mdb_stop
#
# Functions (each returns non-zero on failure, after a message on stderr):
#   mdb_start DIR [mariadbd args...]  create (first time) and start an
#                                     instance in DIR; extra args come last
#                                     and win (--binlog-format=STATEMENT)
#   mdb_sql [--user U] [--password P] [--database D] ["SQL"]
#                                     run SQL (or stdin) over TCP, root by
#                                     default, -N -B: tab-separated, no header
#   mdb_stop [DIR]                    clean shutdown (SHUTDOWN, else SIGTERM;
#                                     kill -9 after MDB_STOP_TIMEOUT s,
#                                     default 30); never fails
#   mdb_kill [DIR]                    kill -9 (crash tests); data stays
#   mdb_restart [DIR]                 start again: same DIR, port and args
#   mdb_running [DIR]                 status 0 when the server process lives
#   mdb_use DIR                       make DIR's instance the current one
#                                     (sets the MDB_* variables below)
#   mdb_cleanup                       stop every instance this shell started
#                                     (for EXIT traps; never fails)
#   mdb_trap ['CMD']                  trap EXIT (and HUP/INT/TERM) to run
#                                     mdb_cleanup, then CMD
#   mdb_binlog_files                  the binlog files, oldest first, full paths
#
# After mdb_start / mdb_restart / mdb_use these are exported:
#   MDB_DIR      the instance directory (absolute)
#   MDB_PORT     TCP port on 127.0.0.1
#   MDB_SOCK     Unix socket ($MDB_DIR/mysql.sock)
#   MDB_PID      mariadbd's process id
#   MDB_DATADIR  $MDB_DIR/data
#   MDB_BINLOG_DIR  $MDB_DIR/binlog (files mysql-bin.000001..., mysql-bin.index)
#   MDB_ERRLOG   $MDB_DIR/error.log
#   MDB_USER / MDB_PASSWORD   sluice / sluice-pw, the CDC account
#
# The CDC account 'sluice'@'127.0.0.1' and 'sluice'@'localhost' has exactly
# what a binlog reader needs on MariaDB 10.11: SELECT (snapshots) and SHOW
# VIEW on *.*, BINLOG MONITOR (SHOW MASTER STATUS, SHOW BINARY LOGS, SHOW
# BINLOG EVENTS; REPLICATION CLIENT is an alias of it since 10.5.2) and
# REPLICATION SLAVE (COM_BINLOG_DUMP, the binlog stream). It cannot write:
# tests change data as root. The account, the database `app` and the grants
# are created with sql_log_bin=0, so the binlog holds only the test's own
# events (after the format description, gtid list and checkpoint events).
#
# Server settings: binlog ROW / FULL row image / FULL row metadata,
# server-id 1, CRC32 checksums (the default), utf8mb4 server character set,
# time zone +00:00, 64M buffer pool, 8M redo log. Any of them can be
# overridden by extra arguments to mdb_start.
#
# One shell can run several instances: each mdb_start makes its instance the
# current one; mdb_use DIR switches back, and mdb_stop/mdb_kill/mdb_restart
# take an optional DIR. Call mdb_start in the test's main shell, not in a
# $(...) or (...) subshell: the MDB_* variables would be lost there.
#
# Ports: a port is claimed in /tmp/sluice-mdb-ports-UID/PORT (under a lock;
# the claim lives as long as the test's shell or its server) and then bound
# by mariadbd itself; if something else took it in between, mdb_start tries
# the next one. The claim outlives mdb_stop/mdb_kill, so mdb_restart gets
# the same port back.
#
# Cleanup: `trap 'mdb_cleanup; rm -rf "$tmp"' EXIT` (every instance of the
# shell) or, with one instance, `trap 'mdb_stop; rm -rf "$tmp"' EXIT`; both
# are harmless when nothing was started. mdb_trap also turns HUP, INT and
# TERM into an exit, so the EXIT trap runs on those too.
#
# A watchdog process kills the server with -9 if the test's shell dies
# without running its EXIT trap (SIGKILL); MDB_WATCHDOG=0 turns it off.
# MDB_VERBOSE=1 prints the port and start time on stderr. MDB_START_TIMEOUT
# (default 60) bounds the wait for the server to accept connections.
# MDB_INSTALL_ARGS adds arguments to mariadb-install-db (settings fixed at
# creation, e.g. --innodb-page-size).
#
# A new instance's data directory is a copy of a pristine one that
# mariadb-install-db made once (per user, server version and
# MDB_INSTALL_ARGS) in /tmp/sluice-mdb-template-UID/ (26 MB): 0.1 s instead
# of 1 s. MDB_TEMPLATE=0 runs mariadb-install-db for each instance instead.

MDB_MARIADBD=${MDB_MARIADBD:-$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)}
MDB_FIRST_PORT=${MDB_FIRST_PORT:-33061}
MDB_USER=sluice
MDB_PASSWORD=sluice-pw
export MDB_USER MDB_PASSWORD
_MDB_DIRS=()            # instances started by this shell, for mdb_cleanup
_MDB_OWNER=$$           # the test's shell: its death stops our servers

_mdb_err() { echo "mariadb.sh: $*" >&2; }

_mdb_now() { date +%s.%N; }
_mdb_since() { awk -v a="$1" -v b="$(_mdb_now)" 'BEGIN { printf "%.2f", b - a }'; }

# Alive and not a zombie (a killed child stays a zombie until reaped).
_mdb_alive() {
  local pid=$1 st
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  st=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Is pid a mariadbd of the instance in dir?
_mdb_is_ours() {
  local pid=$1 dir=$2
  _mdb_alive "$pid" || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$dir/data"
}

_mdb_reap() { # wait for a child (no-op for a non-child)
  wait "$1" 2>/dev/null || true
}

# Something listens on 127.0.0.1:port?
_mdb_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The port registry: one file per port claimed by a harness of this user,
# holding the pids that keep the claim alive (the test's shell, the server).
# Claims are made under a lock, so parallel tests never pick the same port;
# a foreign process that takes the port is caught by the retry in mdb_start.
_mdb_registry() {
  local r
  r=/tmp/sluice-mdb-ports-$(id -u)
  mkdir -p "$r" 2>/dev/null && echo "$r"
}

_mdb_claim_alive() { # file
  local p
  [ -f "$1" ] || return 1
  for p in $(cut -d' ' -f1,2 "$1" 2>/dev/null); do
    # (0: no server yet; kill -0 0 would signal our own process group)
    [[ $p =~ ^[1-9][0-9]*$ ]] && kill -0 "$p" 2>/dev/null && return 0
  done
  return 1
}

# Claim a free port >= $1 for dir $2; prints it.
_mdb_claim_port() {
  local from=$1 dir=$2 reg p fd
  reg=$(_mdb_registry) || { _mdb_err "cannot create the port registry in /tmp"; return 1; }
  exec {fd}>"$reg/.lock" || return 1
  flock -w 30 "$fd" || { exec {fd}>&-; _mdb_err "port registry lock timed out"; return 1; }
  for ((p = from; p < from + 2000 && p < 65536; p++)); do
    if [ -f "$reg/$p" ]; then
      if [ "$(cut -d' ' -f3- "$reg/$p" 2>/dev/null)" = "$dir" ]; then :   # ours
      elif _mdb_claim_alive "$reg/$p"; then continue
      fi
    fi
    _mdb_port_busy "$p" && continue
    echo "$_MDB_OWNER 0 $dir" > "$reg/$p"
    exec {fd}>&-
    echo "$p"
    return 0
  done
  exec {fd}>&-
  _mdb_err "no free port in $from..$((p - 1))"
  return 1
}

_mdb_claim_set_pid() { # port dir pid
  local reg
  reg=$(_mdb_registry) || return 0
  echo "$_MDB_OWNER $3 $2" > "$reg/$1"
}

_mdb_unclaim() { # port dir
  local reg
  reg=$(_mdb_registry) || return 0
  [ "$(cut -d' ' -f3- "$reg/$1" 2>/dev/null)" = "$2" ] && rm -f "$reg/$1"
  return 0
}

# Load the state of the instance in dir into the MDB_* variables.
mdb_use() {
  local dir=${1:?mdb_use DIR}
  dir=$(cd "$dir" 2>/dev/null && pwd) || { _mdb_err "mdb_use: no directory $1"; return 1; }
  [ -f "$dir/port" ] || { _mdb_err "mdb_use: $dir holds no instance"; return 1; }
  MDB_DIR=$dir
  MDB_PORT=$(cat "$dir/port")
  MDB_SOCK=$dir/mysql.sock
  MDB_DATADIR=$dir/data
  MDB_BINLOG_DIR=$dir/binlog
  MDB_ERRLOG=$dir/error.log
  MDB_PID=$(cat "$dir/server.pid" 2>/dev/null || true)
  export MDB_DIR MDB_PORT MDB_SOCK MDB_DATADIR MDB_BINLOG_DIR MDB_ERRLOG MDB_PID
}

mdb_running() {
  local dir=${1:-${MDB_DIR:-}} pid
  [ -n "$dir" ] || return 1
  pid=$(cat "$dir/server.pid" 2>/dev/null) || return 1
  _mdb_is_ours "$pid" "$dir"
}

_mdb_user_args() {
  # As root mariadbd refuses to run without --user; root keeps the files
  # readable by the test. A normal user runs it as itself (no --user).
  [ "$(id -u)" -eq 0 ] && echo --user=root
  return 0
}

# Kills the server (-9) when the test's shell is gone. Detached from the
# test's output so that it never holds a pipe open.
_mdb_watchdog() { # owner pid dir
  [ "${MDB_WATCHDOG:-1}" = 0 ] && return 0
  (
    s=
    trap '' INT HUP
    trap '[ -n "$s" ] && kill "$s" 2>/dev/null; exit 0' TERM
    while kill -0 "$1" 2>/dev/null && _mdb_alive "$2"; do sleep 1 & s=$!; wait "$s"; s=; done
    if _mdb_is_ours "$2" "$3"; then kill -9 "$2" 2>/dev/null; fi
  ) </dev/null >/dev/null 2>&1 &
  echo $! > "$3/watchdog.pid"
  disown $! 2>/dev/null || true
}

_mdb_stop_watchdog() { # dir
  local w
  w=$(cat "$1/watchdog.pid" 2>/dev/null) || return 0
  rm -f "$1/watchdog.pid"
  # Only if it is still our subshell (same command line as this bash).
  if _mdb_alive "$w" && [ "$(readlink "/proc/$w/exe" 2>/dev/null)" = "$(readlink /proc/$$/exe)" ]; then
    kill "$w" 2>/dev/null || true
    _mdb_reap "$w"
  fi
  return 0
}

# One attempt to run mariadbd on port; 0 ready, 1 failed, 2 port taken.
_mdb_launch() { # dir port [args]
  local dir=$1 port=$2; shift 2
  local log=$dir/error.log off pid deadline new
  off=$(( $(stat -c %s "$log" 2>/dev/null || echo 0) + 1 ))
  rm -f "$dir/server.pid"
  # shellcheck disable=SC2046 # _mdb_user_args: nothing or --user=root
  "$MDB_MARIADBD" --no-defaults $(_mdb_user_args) \
    --datadir="$dir/data" --tmpdir="$dir/tmp" \
    --port="$port" --bind-address=127.0.0.1 \
    --socket="$dir/mysql.sock" --pid-file="$dir/mariadbd.pid" \
    --log-error="$log" \
    --log-bin="$dir/binlog/mysql-bin" --binlog-format=ROW \
    --binlog-row-image=FULL --binlog-row-metadata=FULL --server-id=1 \
    --skip-name-resolve --innodb-buffer-pool-size=64M \
    --innodb-log-file-size=8M --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci --default-time-zone=+00:00 \
    "$@" </dev/null >>"$dir/mariadbd.out" 2>&1 &
  pid=$!
  # Not a job of the test's shell: bash still reaps it, but prints no
  # "Killed" line when a test kills it.
  disown "$pid" 2>/dev/null || true
  echo "$pid" > "$dir/server.pid"
  deadline=$(( $(date +%s) + ${MDB_START_TIMEOUT:-60} ))
  while :; do
    if ! _mdb_alive "$pid"; then
      _mdb_reap "$pid"
      new=$(tail -c +"$off" "$log" 2>/dev/null || true)
      if grep -qE 'Bind on TCP/IP port|Address already in use' <<<"$new"; then
        return 2
      fi
      _mdb_err "mariadbd exited during start-up ($dir); error log tail:"
      tail -n 30 "$log" >&2 || true
      cat "$dir/mariadbd.out" >&2 2>/dev/null || true
      return 1
    fi
    # The socket exists only once the server has bound its TCP port too.
    if [ -S "$dir/mysql.sock" ] && mariadb-admin --no-defaults --socket="$dir/mysql.sock" \
         -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      _mdb_err "mariadbd did not accept connections within ${MDB_START_TIMEOUT:-60} s ($dir); error log tail:"
      tail -n 30 "$log" >&2 || true
      kill -9 "$pid" 2>/dev/null || true
      _mdb_reap "$pid"
      return 1
    fi
    sleep 0.05
  done
  MDB_PID=$pid
  return 0
}

# mariadb-install-db into $1/data (log in $1/install.log).
_mdb_install_db() {
  # shellcheck disable=SC2046,SC2086
  if ! mariadb-install-db --no-defaults --auth-root-authentication-method=normal \
       --skip-test-db --datadir="$1/data" $(_mdb_user_args) \
       --innodb-log-file-size=8M --innodb-buffer-pool-size=64M \
       ${MDB_INSTALL_ARGS:-} > "$1/install.log" 2>&1; then
    _mdb_err "mariadb-install-db failed ($1/install.log):"
    tail -n 30 "$1/install.log" >&2
    return 1
  fi
}

# A fresh data directory for $1: a copy of a pristine one made once per
# user, server version and MDB_INSTALL_ARGS (0.1 s instead of 1 s for
# mariadb-install-db), or mariadb-install-db itself with MDB_TEMPLATE=0.
_mdb_install() {
  local dir=$1 base key t fd
  if [ "${MDB_TEMPLATE:-1}" != 0 ]; then
    base=/tmp/sluice-mdb-template-$(id -u)
    key=$(printf '%s\n' "$("$MDB_MARIADBD" --no-defaults --version 2>&1)" "${MDB_INSTALL_ARGS:-}" |
          md5sum | cut -c1-16)
    t=$base/$key
    if [ ! -f "$t/complete" ] && mkdir -p "$base" 2>/dev/null && exec {fd}>"$base/.lock"; then
      if flock -w 120 "$fd" && [ ! -f "$t/complete" ]; then
        rm -rf "$base/new.$$" "$t"
        if mkdir -p "$base/new.$$" && _mdb_install_db "$base/new.$$" &&
           touch "$base/new.$$/complete"; then
          mv "$base/new.$$" "$t" || true
        fi
        rm -rf "$base/new.$$"
      fi
      exec {fd}>&-
    fi
    if [ -f "$t/complete" ] && cp -a "$t/data" "$dir/data" 2>/dev/null; then
      cp "$t/install.log" "$dir/install.log" 2>/dev/null || true
      return 0
    fi
    rm -rf "$dir/data"
  fi
  _mdb_install_db "$dir"
}

mdb_start() {
  local dir=${1:?mdb_start DIR [mariadbd args...]} t0 port from rc tries setup
  shift
  t0=$(_mdb_now)
  [ -x "$MDB_MARIADBD" ] || { _mdb_err "no mariadbd ($MDB_MARIADBD): run scripts/install-deps (mariadb-server)"; return 1; }
  command -v mariadb-install-db >/dev/null && command -v mariadb >/dev/null &&
    command -v mariadb-admin >/dev/null ||
    { _mdb_err "mariadb-install-db / mariadb / mariadb-admin missing: run scripts/install-deps"; return 1; }
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || { _mdb_err "cannot create $dir"; return 1; }
  if [ ${#dir} -gt 90 ]; then   # sun_path holds 108 bytes
    _mdb_err "directory path too long for a Unix socket: $dir"; return 1
  fi
  if mdb_running "$dir"; then _mdb_err "an instance is already running in $dir"; return 1; fi
  mkdir -p "$dir/binlog" "$dir/tmp" || return 1
  if [ $# -gt 0 ]; then printf '%q ' "$@"; fi > "$dir/args"

  setup=0
  if [ ! -d "$dir/data/mysql" ]; then
    rm -rf "$dir/data"
    _mdb_install "$dir" || return 1
    setup=1
  fi

  # A free port: claimed in the registry, then bound by mariadbd itself; if
  # another process took it in between, try the next one.
  from=$MDB_FIRST_PORT
  for ((tries = 0; tries < 10; tries++)); do
    port=$(_mdb_claim_port "$from" "$dir") || return 1
    rc=0
    _mdb_launch "$dir" "$port" "$@" || rc=$?
    [ $rc -eq 0 ] && break
    _mdb_unclaim "$port" "$dir"
    [ $rc -eq 2 ] || return 1
    from=$((port + 1))
  done
  [ $rc -eq 0 ] || { _mdb_err "no port could be bound after $tries tries"; return 1; }
  echo "$port" > "$dir/port"
  _mdb_claim_set_pid "$port" "$dir" "$MDB_PID"
  _mdb_watchdog "$_MDB_OWNER" "$MDB_PID" "$dir"
  [[ " ${_MDB_DIRS[*]} " == *" $dir "* ]] || _MDB_DIRS+=("$dir")
  mdb_use "$dir" || return 1

  if [ $setup -eq 1 ]; then
    if ! mdb_sql "SET sql_log_bin = 0;
        CREATE DATABASE IF NOT EXISTS app;
        CREATE USER IF NOT EXISTS 'sluice'@'127.0.0.1' IDENTIFIED BY 'sluice-pw';
        CREATE USER IF NOT EXISTS 'sluice'@'localhost' IDENTIFIED BY 'sluice-pw';
        GRANT SELECT, SHOW VIEW, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'sluice'@'127.0.0.1';
        GRANT SELECT, SHOW VIEW, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'sluice'@'localhost';"; then
      _mdb_err "creating the sluice account and database app failed"
      mdb_stop "$dir"
      return 1
    fi
  fi
  if [ "${MDB_VERBOSE:-0}" = 1 ]; then
    _mdb_err "started $dir on 127.0.0.1:$MDB_PORT (pid $MDB_PID) in $(_mdb_since "$t0") s"
  fi
  return 0
}

mdb_restart() {
  local dir=${1:-${MDB_DIR:-}} port rc args=()
  [ -n "$dir" ] || { _mdb_err "mdb_restart: no instance"; return 1; }
  dir=$(cd "$dir" 2>/dev/null && pwd) && [ -f "$dir/port" ] && [ -d "$dir/data/mysql" ] ||
    { _mdb_err "mdb_restart: $1 holds no instance"; return 1; }
  if mdb_running "$dir"; then mdb_stop "$dir" || return 1; fi
  _mdb_stop_watchdog "$dir"
  port=$(cat "$dir/port")
  eval "args=($(cat "$dir/args" 2>/dev/null))"
  # The port stays claimed while the test runs; --port-open-timeout rides
  # out a socket still being released.
  rc=0
  _mdb_launch "$dir" "$port" --port-open-timeout=10 "${args[@]}" || rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 2 ] && _mdb_err "mdb_restart: port $port is taken"
    return 1
  fi
  _mdb_claim_set_pid "$port" "$dir" "$MDB_PID"
  _mdb_watchdog "$_MDB_OWNER" "$MDB_PID" "$dir"
  [[ " ${_MDB_DIRS[*]} " == *" $dir "* ]] || _MDB_DIRS+=("$dir")
  mdb_use "$dir"
}

mdb_sql() {
  local user=root pass='' db='' sql
  while [ $# -gt 0 ]; do
    case $1 in
      --user) user=$2; shift 2 ;;
      --password) pass=$2; shift 2 ;;
      --database) db=$2; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [ -n "${MDB_PORT:-}" ] || { _mdb_err "mdb_sql: no instance (mdb_start first)"; return 1; }
  # The password goes through the environment, not the command line;
  # standard input is streamed (scripts may be larger than an argument).
  if [ $# -gt 0 ]; then
    sql=$1
    MYSQL_PWD=$pass mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MDB_PORT" \
      -u "$user" --default-character-set=utf8mb4 --connect-timeout=10 \
      -N -B ${db:+-D "$db"} -e "$sql"
  else
    MYSQL_PWD=$pass mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MDB_PORT" \
      -u "$user" --default-character-set=utf8mb4 --connect-timeout=10 \
      -N -B ${db:+-D "$db"}
  fi
}

mdb_stop() {
  local dir=${1:-${MDB_DIR:-}} pid deadline
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(cat "$dir/server.pid" 2>/dev/null || true)
  if _mdb_is_ours "$pid" "$dir"; then
    # SHUTDOWN as root (what mariadb-admin shutdown sends, without its
    # one-second polling of the pid file); SIGTERM, also a clean shutdown,
    # if the server does not answer.
    mariadb --no-defaults --socket="$dir/mysql.sock" -uroot --connect-timeout=5 \
      -e SHUTDOWN >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    deadline=$(( $(date +%s) + ${MDB_STOP_TIMEOUT:-30} ))
    while _mdb_alive "$pid"; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        _mdb_err "mdb_stop: mariadbd $pid did not stop in ${MDB_STOP_TIMEOUT:-30} s; killing it"
        kill -9 "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.05
    done
  fi
  [ -n "$pid" ] && _mdb_reap "$pid"
  _mdb_stop_watchdog "$dir"
  return 0
}

mdb_kill() {
  local dir=${1:-${MDB_DIR:-}} pid
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(cat "$dir/server.pid" 2>/dev/null || true)
  if _mdb_is_ours "$pid" "$dir"; then
    kill -9 "$pid" 2>/dev/null || true
    while _mdb_alive "$pid"; do sleep 0.02; done
  fi
  [ -n "$pid" ] && _mdb_reap "$pid"
  _mdb_stop_watchdog "$dir"
  return 0
}

mdb_cleanup() {
  local d
  for d in "${_MDB_DIRS[@]}"; do mdb_stop "$d"; done
  return 0
}

mdb_trap() {
  local extra=${1:-}
  # shellcheck disable=SC2064
  trap "mdb_cleanup; $extra" EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

mdb_binlog_files() {
  local dir=${MDB_DIR:?no instance} f
  while read -r f; do
    case $f in /*) echo "$f" ;; *) echo "$dir/data/$f" ;; esac
  done < "$dir/binlog/mysql-bin.index"
}
