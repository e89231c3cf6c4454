# postgres.sh - private PostgreSQL instances for integration tests (bash library).
#
# Source it from a test; every instance is private: its data directory,
# Unix socket directory, pid file and log live under a directory the test
# owns, it listens on 127.0.0.1 only, on a free port from 54321 upward
# (never 5432, never /var/run/postgresql), and every server setting is
# given on the command line, so /etc/postgresql, /var/lib/postgresql and
# the Debian cluster tools (pg_ctlcluster, pg_lsclusters) are never
# touched and no system service is needed. PostgreSQL 15 from the Debian
# package `postgresql` (binaries in /usr/lib/postgresql/15/bin).
#
#   . "$(dirname "$0")/lib/postgres.sh"
#   tmp=$(mktemp -d)
#   trap 'pg_cleanup; rm -rf "$tmp"' EXIT     # or: pg_trap 'rm -rf "$tmp"'
#   pg_start "$tmp/pg" || exit 1              # role sluice, database app
#   pg_sql --user sluice --password sluice-pw \
#     "CREATE TABLE t (id INT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a')"
#   pg_sql "SELECT id, v FROM t"              # superuser postgres: 1<TAB>a
#   pg_kill; pg_restart                       # crash and recover
#   pg_stop
#
# Functions (each returns non-zero on failure, after a message on stderr):
#   pg_start DIR [postgres args...]   create (first time) and start an
#                                     instance in DIR; extra args come last
#                                     and win (-c wal_level=logical)
#   pg_sql [--user U] [--password P] [--database D] ["SQL"]
#                                     run SQL (or stdin) with psql in database
#                                     app (PG_DB) by default: -X -q -A -t,
#                                     ON_ERROR_STOP=1, fields tab-separated,
#                                     no header, NULL as the empty string.
#                                     Superuser postgres by default, over the
#                                     instance's Unix socket (trust); any
#                                     other user, or a --password, goes over
#                                     TCP to 127.0.0.1 with that password
#                                     (scram-sha-256; never a prompt)
#   pg_stop [DIR]                     clean fast shutdown (SIGINT; kill -9
#                                     after PG_STOP_TIMEOUT s, default 30);
#                                     never fails
#   pg_kill [DIR]                     kill -9 the server and its backends
#                                     (crash tests); data stays
#   pg_restart [DIR]                  start again: same DIR, port and args
#                                     (crash recovery first after pg_kill)
#   pg_running [DIR]                  status 0 when the server process lives
#   pg_use DIR                        make DIR's instance the current one
#                                     (sets the PG_* variables below)
#   pg_cleanup                        stop every instance this shell started
#                                     (for EXIT traps; never fails)
#   pg_trap ['CMD']                   trap EXIT (and HUP/INT/TERM) to run
#                                     pg_cleanup, then CMD
#
# After pg_start / pg_restart / pg_use these are exported:
#   PG_DIR       the instance directory (absolute)
#   PG_PORT      TCP port on 127.0.0.1
#   PG_HOST      127.0.0.1
#   PG_PID       the postmaster's process id
#   PG_LOG       $PG_DIR/postgres.log (the server's log, appended to)
#   PG_DATADIR   $PG_DIR/data
#   PG_SOCKDIR   $PG_DIR/run: the Unix socket is $PG_SOCKDIR/.s.PGSQL.$PG_PORT
#   PG_USER / PG_PASSWORD / PG_DB   sluice / sluice-pw / app
# (not libpq's PGHOST, PGPORT, ...: nothing here changes what a bare psql
# or a sluice under test connects to). A libpq URL for the application:
#   postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB
#
# Accounts: the superuser `postgres` (no password; trust over the socket
# only) and the role `sluice` (LOGIN, password sluice-pw stored as
# SCRAM-SHA-256, no other attribute) that owns the database `app`, and with
# it app's schema public (PostgreSQL 15: pg_database_owner), so it creates
# and writes tables there. pg_hba.conf (written by the harness):
#   local  all, replication  all                 trust
#   host   all, replication  all  127.0.0.1/32  scram-sha-256
#
# Server settings (postgres -c, before the extra arguments, which win):
# listen_addresses=127.0.0.1, unix_socket_directories=$PG_DIR/run,
# max_connections=50, shared_buffers=64MB, fsync=off,
# synchronous_commit=off, full_page_writes=off, huge_pages=off,
# dynamic_shared_memory_type=mmap (segments are files in the data
# directory, nothing in /dev/shm), timezone and log_timezone UTC, the log on
# stderr into $PG_LOG. Cluster: initdb -E UTF8 --locale=C.UTF-8 -U postgres.
# Note that synchronous_commit=off lets a commit return before its WAL is
# written: after pg_kill, the last ~0.6 s of commits (3 x wal_writer_delay)
# may be gone. A crash test that needs every acknowledged commit back passes
# -c synchronous_commit=on (nearly free with fsync=off: a write(), no fsync).
#
# One shell can run several instances: each pg_start makes its instance the
# current one; pg_use DIR switches back, and pg_stop/pg_kill/pg_restart
# take an optional DIR. Call pg_start in the test's main shell, not in a
# $(...) or (...) subshell: the PG_* variables would be lost there.
#
# Users: PostgreSQL refuses to run as root. As root, initdb and postgres
# run as the system user `postgres` (made by the Debian package; PG_RUN_USER
# names another), which owns $PG_DIR/data and $PG_DIR/run, and DIR and the
# directories above it are made searchable for it (chmod o+x where it
# could not pass, e.g. on a mktemp -d directory; nothing is made readable).
# As any other user everything runs as that user. Clients (psql, sluice)
# run as the caller either way.
#
# Ports: a port is claimed in /tmp/sluice-pg-ports-UID/PORT (under a lock;
# the claim lives as long as the test's shell or its server) and then bound
# by postgres itself; if something else took it in between, pg_start tries
# the next one. The claim outlives pg_stop/pg_kill, so pg_restart gets the
# same port back.
#
# Cleanup: `trap 'pg_cleanup; rm -rf "$tmp"' EXIT` (every instance of the
# shell) or, with one instance, `trap 'pg_stop; rm -rf "$tmp"' EXIT`; both
# are harmless when nothing was started. pg_trap also turns HUP, INT and
# TERM into an exit, so the EXIT trap runs on those too. Stopping or
# killing an instance also removes its System V shared memory segment (56
# bytes; PostgreSQL's interlock) if a kill left it behind.
#
# A watchdog process stops the server (SIGQUIT, immediate shutdown; kill -9
# after 5 s) if the test's shell dies without running its EXIT trap
# (SIGKILL); PG_WATCHDOG=0 turns it off. PG_VERBOSE=1 prints the port and
# start time on stderr. PG_START_TIMEOUT (default 60) bounds the wait for
# the server to accept connections (its log tail is printed on failure).
# PG_INITDB_ARGS adds arguments to initdb (settings fixed at creation, e.g.
# --data-checksums). PG_BIN is the binaries' directory.
#
# A new instance's data directory is a copy of a pristine one that initdb
# made and the harness set up (role sluice, database app, pg_hba.conf) once
# per user, server version, PG_INITDB_ARGS and harness setup, in
# /tmp/sluice-pg-template-UID/ (46 MB, 1,270 files): pg_start takes 0.2-0.5
# s instead of 1.4-2 s (on a busy ext4 disk creating the files dominates:
# up to 1.5 s). PG_TEMPLATE=0 runs initdb and the setup for each instance.
# pg_restart of an existing instance takes ~0.15 s, pg_stop ~0.06 s.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_FIRST_PORT=${PG_FIRST_PORT:-54321}
PG_HOST=127.0.0.1
PG_USER=sluice
PG_PASSWORD=sluice-pw
PG_DB=app
export PG_HOST PG_USER PG_PASSWORD PG_DB
_PG_DIRS=()            # instances started by this shell, for pg_cleanup
_PG_OWNER=$$           # the test's shell: its death stops our servers
_PG_AS=()              # prefix that runs a command as the server's user

# Every server gets these; extra arguments of pg_start come after them.
_PG_SETTINGS=(
  -c listen_addresses=127.0.0.1 -c max_connections=50 -c shared_buffers=64MB
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off
  -c huge_pages=off -c dynamic_shared_memory_type=mmap
  -c timezone=UTC -c log_timezone=UTC
  -c logging_collector=off -c log_destination=stderr
)
_PG_HBA='# Written by tests/integration/lib/postgres.sh.
# TYPE  DATABASE     USER  ADDRESS       METHOD
local   all          all                 trust
local   replication  all                 trust
host    all          all   127.0.0.1/32  scram-sha-256
host    replication  all   127.0.0.1/32  scram-sha-256'
_PG_SETUP_SQL="CREATE ROLE sluice LOGIN PASSWORD 'sluice-pw';
CREATE DATABASE app OWNER sluice;"

_pg_err() { echo "postgres.sh: $*" >&2; }

_pg_now() { date +%s.%N; }
_pg_since() { awk -v a="$1" -v b="$(_pg_now)" 'BEGIN { printf "%.2f", b - a }'; }

# Alive and not a zombie (a killed child stays a zombie until reaped).
_pg_alive() {
  local pid=$1 st
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  st=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Is pid a postgres process (postmaster or backend) of the instance in dir?
# Every one of them runs in its data directory. (-ef compares the inodes:
# no process is forked, and a pid reused by anything else does not match.)
_pg_is_ours() {
  local pid=$1 dir=$2
  _pg_alive "$pid" && [ "/proc/$pid/cwd" -ef "$dir/data" ] &&
    [ "/proc/$pid/exe" -ef "$PG_BIN/postgres" ]
}

# The pids of every process of the instance in dir (postmaster, backends,
# auxiliary processes, also after their postmaster died).
_pg_procs() {
  local dir=$1 p
  [ -d "$dir/data" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$p/cwd" -ef "$dir/data" ] && [ "$p/exe" -ef "$PG_BIN/postgres" ] && echo "${p#/proc/}"
  done
  return 0
}

_pg_reap() { # wait for a child (no-op for a non-child)
  wait "$1" 2>/dev/null || true
}

# Something listens on 127.0.0.1:port?
_pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The user the server runs as, and _PG_AS, the prefix that runs a command
# as that user: setpriv execs it (no process in between, so $! of a
# background launch is the postmaster itself).
_pg_setup_user() {
  local u
  if [ "$(id -u)" -ne 0 ]; then _PG_AS=(); return 0; fi
  u=${PG_RUN_USER:-postgres}
  if ! id -u "$u" >/dev/null 2>&1 || [ "$(id -u "$u")" -eq 0 ]; then
    _pg_err "as root the server runs as the user '$u', which does not exist or is root (the postgresql package creates 'postgres'; or set PG_RUN_USER)"
    return 1
  fi
  _PG_AS=(setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" --init-groups --)
}

# Give files to the server's user (as root).
_pg_chown() {
  [ ${#_PG_AS[@]} -eq 0 ] && return 0
  chown "${PG_RUN_USER:-postgres}:$(id -gn "${PG_RUN_USER:-postgres}")" "$@"
}

# Make dir reachable for the server's user (as root): o+x on each directory
# on the way that it cannot pass (a mktemp -d directory is 0700).
_pg_reach() {
  local dir=$1 p='' c parts
  [ ${#_PG_AS[@]} -eq 0 ] && return 0
  "${_PG_AS[@]}" test -x "$dir" 2>/dev/null && return 0
  IFS=/ read -ra parts <<<"${dir#/}"
  for c in "${parts[@]}"; do
    [ -n "$c" ] || continue
    p=$p/$c
    "${_PG_AS[@]}" test -x "$p" 2>/dev/null || chmod o+x "$p" ||
      { _pg_err "cannot make $p searchable for ${PG_RUN_USER:-postgres}"; return 1; }
  done
}

# The port registry: one file per port claimed by a harness of this user,
# holding the pids that keep the claim alive (the test's shell, the server).
# Claims are made under a lock, so parallel tests never pick the same port;
# a foreign process that takes the port is caught by the retry in pg_start.
_pg_registry() {
  local r
  r=/tmp/sluice-pg-ports-$(id -u)
  mkdir -p "$r" 2>/dev/null && echo "$r"
}

_pg_claim_alive() { # file
  local p
  [ -f "$1" ] || return 1
  for p in $(cut -d' ' -f1,2 "$1" 2>/dev/null); do
    # (0: no server yet; kill -0 0 would signal our own process group)
    [[ $p =~ ^[1-9][0-9]*$ ]] && kill -0 "$p" 2>/dev/null && return 0
  done
  return 1
}

# Claim a free port >= $1 for dir $2; prints it.
_pg_claim_port() {
  local from=$1 dir=$2 reg p fd
  reg=$(_pg_registry) || { _pg_err "cannot create the port registry in /tmp"; return 1; }
  exec {fd}>"$reg/.lock" || return 1
  flock -w 30 "$fd" || { exec {fd}>&-; _pg_err "port registry lock timed out"; return 1; }
  for ((p = from; p < from + 2000 && p < 65536; p++)); do
    [ "$p" -eq 5432 ] && continue
    if [ -f "$reg/$p" ]; then
      if [ "$(cut -d' ' -f3- "$reg/$p" 2>/dev/null)" = "$dir" ]; then :   # ours
      elif _pg_claim_alive "$reg/$p"; then continue
      fi
    fi
    _pg_port_busy "$p" && continue
    echo "$_PG_OWNER 0 $dir" > "$reg/$p"
    exec {fd}>&-
    echo "$p"
    return 0
  done
  exec {fd}>&-
  _pg_err "no free port in $from..$((p - 1))"
  return 1
}

_pg_claim_set_pid() { # port dir pid
  local reg
  reg=$(_pg_registry) || return 0
  echo "$_PG_OWNER $3 $2" > "$reg/$1"
}

_pg_unclaim() { # port dir
  local reg
  reg=$(_pg_registry) || return 0
  [ "$(cut -d' ' -f3- "$reg/$1" 2>/dev/null)" = "$2" ] && rm -f "$reg/$1"
  return 0
}

# Load the state of the instance in dir into the PG_* variables.
pg_use() {
  local dir=${1:?pg_use DIR}
  dir=$(cd "$dir" 2>/dev/null && pwd) || { _pg_err "pg_use: no directory $1"; return 1; }
  [ -f "$dir/port" ] || { _pg_err "pg_use: $dir holds no instance"; return 1; }
  PG_DIR=$dir
  PG_PORT=$(cat "$dir/port")
  PG_DATADIR=$dir/data
  PG_SOCKDIR=$dir/run
  PG_LOG=$dir/postgres.log
  PG_PID=$(cat "$dir/server.pid" 2>/dev/null || true)
  export PG_DIR PG_PORT PG_DATADIR PG_SOCKDIR PG_LOG PG_PID
}

pg_running() {
  local dir=${1:-${PG_DIR:-}} pid
  [ -n "$dir" ] || return 1
  dir=$(cd "$dir" 2>/dev/null && pwd) || return 1
  pid=$(cat "$dir/server.pid" 2>/dev/null) || return 1
  _pg_is_ours "$pid" "$dir"
}

# Remove the System V segment (PostgreSQL's 56-byte interlock) that a
# killed postmaster left, once no process is attached: its key and id are
# on line 7 of postmaster.pid, which only a killed server leaves behind.
_pg_shm_cleanup() { # dir
  local key id line
  [ -f "$1/data/postmaster.pid" ] || return 0
  line=$(sed -n 7p "$1/data/postmaster.pid" 2>/dev/null)
  read -r key id <<<"$line"
  [[ $key =~ ^[0-9]+$ && $id =~ ^[0-9]+$ ]] || return 0
  key=$(printf '0x%08x' "$key")
  if ipcs -m 2>/dev/null | awk -v k="$key" -v i="$id" '$1 == k && $2 == i && $6 == 0 { f = 1 } END { exit !f }'; then
    ipcrm -m "$id" 2>/dev/null || true
  fi
  return 0
}

# Bring the instance in dir down: signal its postmaster pid (INT fast
# shutdown, QUIT immediate, 9 kill), wait up to timeout s for it, then
# kill -9 whatever process of the instance is left. 1 if it had to kill.
_pg_down() { # dir pid signal timeout
  local dir=$1 pid=$2 sig=$3 deadline left i rc=0
  if [ -n "$pid" ] && _pg_is_ours "$pid" "$dir"; then
    kill -"$sig" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + $4))
    while _pg_alive "$pid"; do
      if [ $SECONDS -ge "$deadline" ]; then
        kill -9 "$pid" 2>/dev/null || true
        rc=1
        break
      fi
      sleep 0.02
    done
  fi
  # Backends outlive a killed postmaster for a moment; a crash kills them.
  for ((i = 0; i < 500; i++)); do
    left=$(_pg_procs "$dir")
    [ -n "$left" ] || break
    # shellcheck disable=SC2086
    kill -9 $left 2>/dev/null || true
    sleep 0.02
  done
  _pg_shm_cleanup "$dir"
  return $rc
}

# Stops the server when the test's shell is gone. Detached from the test's
# output so that it never holds a pipe open.
_pg_watchdog() { # owner pid dir
  [ "${PG_WATCHDOG:-1}" = 0 ] && return 0
  (
    s=
    trap '' INT HUP
    trap '[ -n "$s" ] && kill "$s" 2>/dev/null; exit 0' TERM
    while kill -0 "$1" 2>/dev/null && _pg_alive "$2"; do sleep 1 & s=$!; wait "$s"; s=; done
    if _pg_is_ours "$2" "$3"; then _pg_down "$3" "$2" QUIT 5; fi
  ) </dev/null >/dev/null 2>&1 &
  echo $! > "$3/watchdog.pid"
  disown $! 2>/dev/null || true
}

_pg_stop_watchdog() { # dir
  local w
  w=$(cat "$1/watchdog.pid" 2>/dev/null) || return 0
  rm -f "$1/watchdog.pid"
  # Only if it is still our subshell (same executable as this bash).
  if _pg_alive "$w" && [ "$(readlink "/proc/$w/exe" 2>/dev/null)" = "$(readlink /proc/$$/exe)" ]; then
    kill "$w" 2>/dev/null || true
    _pg_reap "$w"
  fi
  return 0
}

# One attempt to run postgres in dir on port; 0 ready (pid in _PG_LAUNCHED),
# 1 failed, 2 port taken.
_pg_launch() { # dir port [args]
  local dir=$1 port=$2; shift 2
  local log=$dir/postgres.log off pid deadline new lines
  off=$(( $(stat -c %s "$log" 2>/dev/null || echo 0) + 1 ))
  rm -f "$dir/server.pid"
  # From DIR: postgres needs a current directory it may enter. The subshell
  # execs setpriv, which execs postgres: $! is the postmaster.
  ( cd "$dir" && exec "${_PG_AS[@]}" "$PG_BIN/postgres" -D "$dir/data" -p "$port" \
      -c unix_socket_directories="$dir/run" "${_PG_SETTINGS[@]}" "$@" ) \
    </dev/null >>"$log" 2>&1 &
  pid=$!
  # Not a job of the test's shell: bash still reaps it, but prints no
  # "Killed" line when a test kills it.
  disown "$pid" 2>/dev/null || true
  echo "$pid" > "$dir/server.pid"
  deadline=$((SECONDS + ${PG_START_TIMEOUT:-60}))
  while :; do
    if ! _pg_alive "$pid"; then
      _pg_reap "$pid"
      _pg_down "$dir" "" 9 0 || true     # backends of a half-started server
      new=$(tail -c +"$off" "$log" 2>/dev/null || true)
      if grep -q 'could not bind IPv4 address.*Address already in use' <<<"$new"; then
        return 2
      fi
      _pg_err "postgres exited during start-up ($dir); log tail:"
      tail -n 30 "$log" >&2 || true
      return 1
    fi
    # pg_ctl's test: line 8 of postmaster.pid says "ready" once connections
    # are accepted (after crash recovery, and the TCP socket is bound
    # before); line 1 is the postmaster's pid.
    lines=()
    { mapfile -t -n 8 lines < "$dir/data/postmaster.pid"; } 2>/dev/null || true
    if [ "${lines[0]:-}" = "$pid" ] && [[ ${lines[7]:-} == ready* ]]; then
      break
    fi
    if [ $SECONDS -ge "$deadline" ]; then
      _pg_err "postgres did not accept connections within ${PG_START_TIMEOUT:-60} s ($dir); log tail:"
      tail -n 30 "$log" >&2 || true
      _pg_down "$dir" "$pid" 9 0 || true
      _pg_reap "$pid"
      return 1
    fi
    sleep 0.02
  done
  _PG_LAUNCHED=$pid
  return 0
}

# initdb into $1/data, then one run of the server (Unix socket only) to
# create the role sluice and the database app; stopped cleanly. Log in
# $1/setup.log, the server's in $1/postgres.log.
_pg_make_data() {
  local t=$1 pid
  mkdir -p "$t/data" "$t/run" && chmod 700 "$t/data" && _pg_chown "$t/data" "$t/run" &&
    _pg_reach "$t/run" || { _pg_err "cannot prepare $t"; return 1; }
  # shellcheck disable=SC2086
  if ! ( cd "$t" && exec "${_PG_AS[@]}" "$PG_BIN/initdb" -D "$t/data" -U postgres \
         -E UTF8 --locale=C.UTF-8 -A trust --no-sync --no-instructions \
         ${PG_INITDB_ARGS:-} ) > "$t/setup.log" 2>&1; then
    _pg_err "initdb failed ($t/setup.log):"
    tail -n 30 "$t/setup.log" >&2
    return 1
  fi
  printf '%s\n' "$_PG_HBA" > "$t/data/pg_hba.conf" && _pg_chown "$t/data/pg_hba.conf" &&
    chmod 600 "$t/data/pg_hba.conf" || return 1
  _pg_launch "$t" "$PG_FIRST_PORT" -c listen_addresses= || return 1
  pid=$_PG_LAUNCHED
  _pg_watchdog "$_PG_OWNER" "$pid" "$t"
  if ! PGPASSFILE=$t/no-pgpass "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -w -h "$t/run" \
       -p "$PG_FIRST_PORT" -U postgres -d postgres <<<"$_PG_SETUP_SQL" >> "$t/setup.log" 2>&1; then
    _pg_err "creating the role sluice and the database app failed ($t/setup.log):"
    tail -n 30 "$t/setup.log" >&2
    _pg_down "$t" "$pid" 9 0 || true
    _pg_reap "$pid"
    _pg_stop_watchdog "$t"
    return 1
  fi
  if ! _pg_down "$t" "$pid" INT 60 || [ -f "$t/data/postmaster.pid" ]; then
    _pg_reap "$pid"
    _pg_stop_watchdog "$t"
    _pg_err "the set-up server did not shut down cleanly ($t/postgres.log)"
    return 1
  fi
  _pg_reap "$pid"
  _pg_stop_watchdog "$t"
  rm -rf "$t/run"
}

# A fresh data directory for $1: a copy of a pristine one made once per
# user, server version, PG_INITDB_ARGS and setup (no initdb, no set-up
# server run), or _pg_make_data itself with PG_TEMPLATE=0.
_pg_install() {
  local dir=$1 base key t fd s
  if [ "${PG_TEMPLATE:-1}" != 0 ]; then
    base=/tmp/sluice-pg-template-$(id -u)
    key=$(printf '%s\n' "$("$PG_BIN/postgres" --version 2>&1)" "${_PG_AS[*]}" \
            "${PG_INITDB_ARGS:-}" "$_PG_HBA" "$_PG_SETUP_SQL" | md5sum | cut -c1-16)
    t=$base/$key
    if [ ! -f "$t/complete" ] && mkdir -p "$base" 2>/dev/null && exec {fd}>"$base/.lock"; then
      if flock -w 120 "$fd" && [ ! -f "$t/complete" ]; then
        # Under the lock every new.* is left by a builder that died.
        for s in "$base"/new.*; do
          [ -d "$s" ] || continue
          _pg_down "$s" "$(cat "$s/server.pid" 2>/dev/null)" 9 0 || true
          rm -rf "$s"
        done
        rm -rf "$t"
        # The lock is not handed down to the set-up server.
        if ( exec {fd}>&-; _pg_make_data "$base/new.$$" ) && touch "$base/new.$$/complete"; then
          mv "$base/new.$$" "$t" || true
        fi
        rm -rf "$base/new.$$"
      fi
      exec {fd}>&-
    fi
    if [ -f "$t/complete" ] && cp -a "$t/data" "$dir/data.new" 2>/dev/null &&
       mv "$dir/data.new" "$dir/data"; then
      cp "$t/setup.log" "$dir/setup.log" 2>/dev/null || true
      return 0
    fi
    rm -rf "$dir/data.new"
  fi
  rm -rf "$dir/new"
  _pg_make_data "$dir/new" && mv "$dir/new/data" "$dir/data" &&
    mv "$dir/new/setup.log" "$dir/setup.log" || { rm -rf "$dir/new"; return 1; }
  cat "$dir/new/postgres.log" >> "$dir/postgres.log" 2>/dev/null
  rm -rf "$dir/new"
}

_pg_check_env() {
  local b
  for b in postgres initdb psql; do
    [ -x "$PG_BIN/$b" ] ||
      { _pg_err "no $PG_BIN/$b: run scripts/install-deps (postgresql)"; return 1; }
  done
  command -v setpriv >/dev/null && command -v ipcs >/dev/null ||
    { _pg_err "setpriv / ipcs missing (util-linux)"; return 1; }
  _pg_setup_user
}

pg_start() {
  local dir=${1:?pg_start DIR [postgres args...]} t0 port from rc tries
  shift
  t0=$(_pg_now)
  _pg_check_env || return 1
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || { _pg_err "cannot create $dir"; return 1; }
  if [ ${#dir} -gt 80 ]; then   # sun_path holds 108 bytes: DIR/run/.s.PGSQL.PORT
    _pg_err "directory path too long for a Unix socket: $dir"; return 1
  fi
  if pg_running "$dir"; then _pg_err "an instance is already running in $dir"; return 1; fi
  mkdir -p "$dir/run" && _pg_chown "$dir/run" && _pg_reach "$dir/run" || return 1
  if [ $# -gt 0 ]; then printf '%q ' "$@"; fi > "$dir/args"

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    _pg_install "$dir" || return 1
  fi

  # A free port: claimed in the registry, then bound by postgres itself; if
  # another process took it in between, try the next one.
  from=$PG_FIRST_PORT
  for ((tries = 0; tries < 10; tries++)); do
    port=$(_pg_claim_port "$from" "$dir") || return 1
    rc=0
    _pg_launch "$dir" "$port" "$@" || rc=$?
    [ $rc -eq 0 ] && break
    _pg_unclaim "$port" "$dir"
    [ $rc -eq 2 ] || return 1
    from=$((port + 1))
  done
  [ $rc -eq 0 ] || { _pg_err "no port could be bound after $tries tries"; return 1; }
  echo "$port" > "$dir/port"
  _pg_claim_set_pid "$port" "$dir" "$_PG_LAUNCHED"
  _pg_watchdog "$_PG_OWNER" "$_PG_LAUNCHED" "$dir"
  [[ " ${_PG_DIRS[*]} " == *" $dir "* ]] || _PG_DIRS+=("$dir")
  pg_use "$dir" || return 1
  if [ "${PG_VERBOSE:-0}" = 1 ]; then
    _pg_err "started $dir on 127.0.0.1:$PG_PORT (pid $PG_PID) in $(_pg_since "$t0") s"
  fi
  return 0
}

pg_restart() {
  local dir=${1:-${PG_DIR:-}} port rc args=()
  [ -n "$dir" ] || { _pg_err "pg_restart: no instance"; return 1; }
  dir=$(cd "$dir" 2>/dev/null && pwd) && [ -f "$dir/port" ] && [ -f "$dir/data/PG_VERSION" ] ||
    { _pg_err "pg_restart: $1 holds no instance"; return 1; }
  _pg_check_env || return 1
  if pg_running "$dir"; then pg_stop "$dir" || return 1; fi
  _pg_stop_watchdog "$dir"
  _pg_down "$dir" "" 9 0 || true   # leftovers of a killed server
  port=$(cat "$dir/port")
  eval "args=($(cat "$dir/args" 2>/dev/null))"
  # The port stays claimed while the test runs; postgres binds it with
  # SO_REUSEADDR, so a killed server's connections do not block it.
  rc=0
  _pg_launch "$dir" "$port" "${args[@]}" || rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 2 ] && _pg_err "pg_restart: port $port is taken"
    return 1
  fi
  _pg_claim_set_pid "$port" "$dir" "$_PG_LAUNCHED"
  _pg_watchdog "$_PG_OWNER" "$_PG_LAUNCHED" "$dir"
  [[ " ${_PG_DIRS[*]} " == *" $dir "* ]] || _PG_DIRS+=("$dir")
  pg_use "$dir"
}

pg_sql() {
  local user=postgres pass='' havepass=0 db=${PG_DB:-app} host env
  while [ $# -gt 0 ]; do
    case $1 in
      --user) user=$2; shift 2 ;;
      --password) pass=$2; havepass=1; shift 2 ;;
      --database) db=$2; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [ -n "${PG_PORT:-}" ] && [ -n "${PG_DIR:-}" ] || { _pg_err "pg_sql: no instance (pg_start first)"; return 1; }
  # The superuser over the socket (trust); the rest over TCP with a password
  # that goes through the environment, not the command line. No password
  # file, no prompt (-w).
  host=127.0.0.1
  if [ "$user" = postgres ] && [ $havepass -eq 0 ]; then host=$PG_DIR/run; fi
  env=(PGPASSFILE="$PG_DIR/no-pgpass" PGCONNECT_TIMEOUT=10 PGCLIENTENCODING=UTF8)
  [ $havepass -eq 1 ] && env+=(PGPASSWORD="$pass")
  # SQL through stdin, not -c: statements run one by one (each printing its
  # rows) as in a script, and CREATE DATABASE or VACUUM work.
  if [ $# -gt 0 ]; then printf '%s\n' "$1"; else cat; fi |
    env -u PGPASSWORD -u PGOPTIONS -u PGSERVICE "${env[@]}" "$PG_BIN/psql" -X -q -A -t \
      -v ON_ERROR_STOP=1 -F $'\t' -w -h "$host" -p "$PG_PORT" -U "$user" -d "$db"
}

pg_stop() {
  local dir=${1:-${PG_DIR:-}} pid
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(cat "$dir/server.pid" 2>/dev/null || true)
  # SIGINT: fast shutdown (connections are ended, a checkpoint, exit).
  if ! _pg_down "$dir" "$pid" INT "${PG_STOP_TIMEOUT:-30}"; then
    _pg_err "pg_stop: postgres $pid did not stop in ${PG_STOP_TIMEOUT:-30} s; killed it"
  fi
  [ -n "$pid" ] && _pg_reap "$pid"
  _pg_stop_watchdog "$dir"
  return 0
}

pg_kill() {
  local dir=${1:-${PG_DIR:-}} pid
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(cat "$dir/server.pid" 2>/dev/null || true)
  # The postmaster first (it would restart killed backends), then the rest.
  _pg_down "$dir" "$pid" 9 5 || true
  [ -n "$pid" ] && _pg_reap "$pid"
  _pg_stop_watchdog "$dir"
  return 0
}

pg_cleanup() {
  local d
  for d in "${_PG_DIRS[@]}"; do pg_stop "$d"; done
  return 0
}

pg_trap() {
  local extra=${1:-}
  # shellcheck disable=SC2064
  trap "pg_cleanup; $extra" EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
