#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (never for real data).
#
#   scripts/pg_test_cluster.sh start DIR   creates DIR, initdb + pg_ctl start
#                                          on a free loopback port; prints the
#                                          URL (postgresql://postgres@127.0.0.1:
#                                          PORT/postgres) on stdout
#   scripts/pg_test_cluster.sh stop DIR    stops it and removes DIR
#   scripts/pg_test_cluster.sh standby DIR PRIMARY_URL
#                                          a hot standby of that cluster
#                                          (streaming replication from a base
#                                          backup), on its own free port;
#                                          prints its URL; stop it like any
#
# The tests read the URL from MALCHIN_TEST_PG_URL (scripts/test.sh sets it).
# The cluster trusts loopback connections, except for the role malchin_pw,
# which must give its password (scram-sha-256): the tests use it to check
# that a password never appears in a message. Durability is off (fsync,
# synchronous_commit, full_page_writes): a crash loses the cluster, which is
# what a test cluster is for.
# Run as root, initdb and pg_ctl run as the `postgres` user (runuser) and DIR
# belongs to it; DIR's parent must then be readable by that user (/tmp is).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR, or $0 standby DIR PRIMARY_URL" >&2
  exit 2
}
[[ $# -eq 2 || ( $# -eq 3 && $1 == standby ) ]] || usage
action=$1
dir=$(realpath -m "$2")
primary=${3:-}

# initdb and pg_ctl: on PATH, else the newest Debian PostgreSQL.
bindir=""
if ! command -v initdb >/dev/null 2>&1; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$bindir" ]] || {
    echo "$0: PostgreSQL server binaries not found" \
      "(apt-get install postgresql-15)" >&2
    exit 1
  }
  bindir="$bindir/"
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Writes stdin to the file $1 of the cluster, as its owner ($2: -a appends).
write_file() {
  as_owner tee ${2:-} "$1" >/dev/null
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

configure() {
  write_file "$dir/data/malchin_test.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
}

start() {
  if [[ -e "$dir/data" ]]; then
    echo "$0: $dir/data exists; stop that cluster first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_owner "${bindir}initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  echo "include = 'malchin_test.conf'" | write_file "$dir/data/postgresql.conf" -a
  write_file "$dir/data/pg_hba.conf" <<EOF
local all all                     trust
host  all malchin_pw 127.0.0.1/32 scram-sha-256
host  all all        127.0.0.1/32 trust
host  replication all 127.0.0.1/32 trust
EOF
  start_on_free_port
}

# A free port: a few tries from random starts (another cluster may take the
# port between the check and the start; then the next one is tried).
start_on_free_port() {
  local port
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 20000))
    port_is_free "$port" || continue
    configure "$port"
    if as_owner "${bindir}pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -t 60 start >/dev/null; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
  done
  echo "$0: could not start PostgreSQL; see $dir/server.log" >&2
  exit 1
}

# A hot standby of the cluster at $primary: a base backup that streams what
# the primary writes (-R writes primary_conninfo and standby.signal), through
# a physical replication slot (-C -S) so the primary keeps every WAL segment
# the standby has not received yet: without one, a standby that falls behind
# while the whole suite writes (checkpoints recycle WAL) could never catch up.
standby() {
  if [[ -e "$dir/data" ]]; then
    echo "$0: $dir/data exists; stop that cluster first" >&2
    exit 1
  fi
  local hostport=${primary#*@}
  hostport=${hostport%%/*}
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_owner "${bindir}pg_basebackup" -h "${hostport%%:*}" -p "${hostport##*:}" \
    -U postgres -D "$dir/data" -R -X stream --no-sync \
    -C -S "malchin_standby_$$" \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  start_on_free_port
}

stop() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "${bindir}pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ||
      true
  fi
  rm -rf "$dir"
}

case "$action" in
  start) start ;;
  standby) standby ;;
  stop) stop ;;
  *) usage ;;
esac
