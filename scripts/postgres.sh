#!/usr/bin/env bash
# A private PostgreSQL server for the tests: its own data folder, loopback only, a free port, trust auth.
# Usage: bash scripts/postgres.sh start|stop|env
#   start  installs PostgreSQL when missing (Debian, as root), starts the server if it is not running yet and
#          prints its connection string
#   env    prints `export UTENDAJI_TEST_POSTGRES=...` for a running server (eval "$(bash scripts/postgres.sh env)")
#   stop   stops the server and deletes its data folder
# The data folder is $UTENDAJI_PG_DIR, or one per checkout under the temp folder, so worktrees do not share a server.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${UTENDAJI_PG_DIR:-${TMPDIR:-/tmp}/utendaji-postgres-$(printf '%s' "$repo" | md5sum | cut -c1-12)}
data=$dir/data
role=utendaji

bin_dir() {
  # Newest installed major version; never /usr/local or the distribution's wrapper scripts.
  local initdb
  initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$initdb" ]] && dirname "$initdb"
}

install() {
  if [[ -n "$(bin_dir)" ]]; then return; fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "postgres.sh: PostgreSQL is not installed and installing it needs root (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "postgres.sh: installing PostgreSQL (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # The package starts a cluster of its own on 5432; ours does not need it, and leaving it is harmless.
  [[ -n "$(bin_dir)" ]] || { echo "postgres.sh: apt-get installed no initdb" >&2; exit 1; }
}

# Runs a command as the postgres user: the server refuses to run as root.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

connection() { cat "$dir/connection"; }

running() {
  local bin
  bin=$(bin_dir) || return 1
  [[ -f "$dir/connection" && -f "$data/postmaster.pid" ]] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

port_free() {
  # A connection that succeeds means something listens there.
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  install
  if running; then connection; return; fi
  local bin port started=no
  bin=$(bin_dir)
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Loopback TCP only; the socket lives in our own folder, not /var/run/postgresql.
  cat >"$data/pg_hba.conf" <<'EOF'
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    if as_postgres "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
        start >/dev/null 2>&1; then
      started=yes
      break
    fi
  done
  if [[ $started != yes ]]; then
    echo "postgres.sh: the server did not start; log follows" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
  fi
  for _ in $(seq 1 60); do
    as_postgres "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  as_postgres "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $role SUPERUSER LOGIN" >/dev/null
  printf 'Host=127.0.0.1;Port=%s;Username=%s;Database=postgres\n' "$port" "$role" >"$dir/connection"
  connection
}

stop() {
  local bin
  bin=$(bin_dir) || true
  if [[ -n "${bin:-}" && -f "$data/postmaster.pid" ]]; then
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    if running; then printf "export UTENDAJI_TEST_POSTGRES='%s'\n" "$(connection)"
    else echo "postgres.sh: no server running; run: bash scripts/postgres.sh start" >&2; exit 1; fi ;;
  *) echo "usage: bash scripts/postgres.sh start|stop|env" >&2; exit 2 ;;
esac
