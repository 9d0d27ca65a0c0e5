#!/bin/sh
# Load test of the HTTP API with wrk against a national register:
# household lookup by a member's register number, and a soum search, at
# many concurrent keep-alive connections. Prints wrk's req/s and latency
# percentiles, the CPU time wrk itself used, and the server's peak memory.
#
#   bench/http_load.sh --malchin BIN --db FILE [--connections N]
#                      [--duration 30s] [--workers 2] [--port 18090]
#                      [--rate R] [--busy B [--idle-every S]]
#                      [--io-threads 2] [--no-search] [--servers 1|2]
#
# --db is a SQLite file or a postgresql:// URL. With --servers 2 two app
# servers serve the same database (ports PORT and PORT+1, --workers each)
# and the connections are split between them, one wrk per server, run at
# once; each wrk reports its half (add the two req/s). (--busy is for one
# server only.)
#
# Without --rate every connection sends its next request as soon as the last
# is answered (closed loop): that measures the most the server can answer,
# and latency is then just connections / throughput. With --rate R the
# connections together send about R requests a second (each waits a random
# 0..2*N/R seconds between requests, wrk's delay()), which is how 10,000
# officers use it: that measures latency at a given load.
#
# With --busy B, B of the N connections send lookups as fast as they are
# answered (or together at --rate R) and the other N-B stay open and idle,
# each sending one lookup every S seconds on average (default 4: wrk waits
# before a connection's first request too, and the server closes a new
# connection that sends no request head within 10 s); the two groups run at
# once (two wrk processes) and are reported separately.
# wrk's own CPU per paced request grows with the number of paced
# connections, and it runs on the same 2 cores as the server, so this shape
# leaves more of the machine to the server for the same 10,000 connections.
# (wrk scans all its pending timers at each step, so the idle group runs on
# four wrk threads to keep that scan short.)
#
# The database is opened read-write (the server migrates it and records
# reads in its audit trail): give it a copy, never a register in use.
set -eu
MALCHIN=build/release/src/cli/malchin
DB=""
CONNS=10000
DURATION=30s
WORKERS=2
THREADS=2
PORT=18090
RATE=0
BUSY=0
IO_THREADS=2
SEARCH=1
IDLE_EVERY=4
SERVERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --malchin) MALCHIN=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --busy) BUSY=$2; shift 2 ;;
    --io-threads) IO_THREADS=$2; shift 2 ;;
    --no-search) SEARCH=0; shift ;;
    --idle-every) IDLE_EVERY=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -n "$DB" ] || { echo "give --db FILE|URL (a copy of a national register)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/setup.sh --bench" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
trap 'kill $SERVER_PIDS 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$MALCHIN" init --db "$DB" >/dev/null
printf 'bench-password-1\n' | "$MALCHIN" user add --db "$DB" \
  --username bench_load --role national_officer >/dev/null 2>&1 || true
SERVER_PIDS=""
start_server() {  # start_server PORT CONNECTIONS
  "$MALCHIN" serve --db "$DB" --port "$1" --workers "$WORKERS" \
    --io-threads "$IO_THREADS" \
    --max-connections $(($2 + 100)) --queue-per-worker $(($2 / WORKERS + 1)) \
    --log-level warn 2>>"$WORK/server.log" &
  SERVER_PIDS="$SERVER_PIDS $!"
  for i in $(seq 50); do
    curl -fs "http://127.0.0.1:$1/ready" >/dev/null && break
    sleep 0.2
  done
}
PER_SERVER=$((CONNS / SERVERS))
for i in $(seq 0 $((SERVERS - 1))); do
  start_server $((PORT + i)) "$PER_SERVER"
done
SERVER=${SERVER_PIDS# }
SERVER=${SERVER%% *}
TOKEN=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/session" \
  -d '{"username":"bench_load","password":"bench-password-1"}' |
  sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

# 20,000 register numbers and the soums, sampled from the register.
query() {  # query SQL: the rows, one per line, on either engine
  case "$DB" in
    postgresql://*|postgres://*) psql -Atq "$DB" -c "$1" ;;
    *) sqlite3 -readonly "${DB#sqlite:}" "$1" ;;
  esac
}
query "SELECT register_no FROM persons ORDER BY random() LIMIT 20000" \
  >"$WORK/rns.txt"
query "SELECT DISTINCT soum_code FROM households" >"$WORK/soums.txt"

# Pacing (see --rate): the mean wait between one connection's requests, ms.
pace() {  # pace CONNECTIONS RATE > lua
  if [ "$2" -gt 0 ]; then
    echo "local pace = $(($1 * 1000 / $2))"
  else
    echo "local pace = 0"
  fi
  cat <<'LUA'
if pace > 0 then
  math.randomseed(os.time())
  delay = function() return math.random(0, 2 * pace) end
end
LUA
}
if [ "$BUSY" -gt 0 ]; then
  pace "$BUSY" "$RATE" >"$WORK/pace.lua"
  IDLE=$((CONNS - BUSY))
  IDLE_RATE=$((IDLE / IDLE_EVERY))
  [ "$IDLE_RATE" -gt 0 ] || IDLE_RATE=1
  pace "$IDLE" "$IDLE_RATE" >"$WORK/pace_idle.lua"
else
  pace "$CONNS" "$RATE" >"$WORK/pace.lua"
fi
pace "$CONNS" "$RATE" >"$WORK/pace_all.lua"  # The soum search: all of them.

# The requests are formatted once, so that wrk spends its CPU (the same two
# cores as the server) on sending them, not on building them.
lookup_lua() {  # lookup_lua PACE_FILE > lua
  cat <<LUA
dofile("$1")
-- Percent-encoded: the numbers start with Cyrillic letters.
local function enc(s)
  return (s:gsub("[^%w]", function(c)
    return string.format("%%%02X", string.byte(c)) end))
end
local reqs = {}
for line in io.lines("$WORK/rns.txt") do
  reqs[#reqs + 1] = wrk.format("GET", "/api/v1/persons/" .. enc(line), {
    ["Authorization"] = "Bearer $TOKEN" })
end
local n = 0
request = function()
  n = n + 1
  return reqs[(n % #reqs) + 1]
end
LUA
}
lookup_lua "$WORK/pace.lua" >"$WORK/lookup.lua"
lookup_lua "$WORK/pace_idle.lua" >"$WORK/lookup_idle.lua"
cat >"$WORK/search.lua" <<LUA
dofile("$WORK/pace_all.lua")
local soums = {}
for line in io.lines("$WORK/soums.txt") do soums[#soums + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/households?soum=" ..
    soums[(n % #soums) + 1] .. "&page=" .. ((n % 5) + 1), {
    ["Authorization"] = "Bearer $TOKEN" })
end
LUA

# Runs wrk and prints its report and the CPU time it used itself.
# With two servers, one wrk per server with half the connections, at once.
run_wrk() {  # run_wrk LABEL wrk-args... (the last: -c CONNECTIONS given as -cN)
  label=$1
  shift
  if [ "$SERVERS" = 1 ]; then
    /usr/bin/time -f "wrk CPU ($label): %U s user + %S s system" \
      wrk --timeout 10s --latency "$@" "http://127.0.0.1:$PORT"
    return
  fi
  args=$(echo "$*" | sed "s/-c[0-9]*/-c$PER_SERVER/")
  for i in $(seq 0 $((SERVERS - 1))); do
    /usr/bin/time -f "wrk CPU ($label, server $((i + 1))): %U s user + %S s system" \
      wrk --timeout 10s --latency $args "http://127.0.0.1:$((PORT + i))" \
      >"$WORK/wrk$i.txt" 2>&1 &
    wrks="${wrks:-} $!"
  done
  for pid in $wrks; do wait "$pid" || true; done
  wrks=""
  for i in $(seq 0 $((SERVERS - 1))); do
    echo "-- server $((i + 1)) (port $((PORT + i))), $PER_SERVER connections"
    cat "$WORK/wrk$i.txt"
  done
}
if [ "$BUSY" -gt 0 ]; then
  echo "== lookup by register number: $CONNS connections, $DURATION:" \
    "$BUSY busy (rate ${RATE}/s, 0: closed loop) and $IDLE idle (one request every ~${IDLE_EVERY} s each)"
  run_wrk idle -t4 -c"$IDLE" -d"$DURATION" -s "$WORK/lookup_idle.lua" \
    >"$WORK/idle.txt" 2>&1 &
  IDLE_WRK=$!
  sleep 2  # The idle connections are open before the busy ones start.
  echo "-- busy connections"
  run_wrk busy -t"$THREADS" -c"$BUSY" -d"$DURATION" -s "$WORK/lookup.lua"
  wait "$IDLE_WRK" || true
  echo "-- idle connections"
  cat "$WORK/idle.txt"
else
  echo "== lookup by register number: $CONNS connections, $DURATION, rate ${RATE:-0}/s (0: closed loop)"
  run_wrk lookup -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$WORK/lookup.lua"
fi
if [ "$SEARCH" = 1 ]; then
  echo "== soum search (page 1-5 of 50): $CONNS connections, $DURATION, rate ${RATE}/s"
  run_wrk search -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$WORK/search.lua"
fi
echo "== server memory"
for pid in $SERVER_PIDS; do
  grep -E 'VmHWM|VmRSS|RssAnon|RssFile' "/proc/$pid/status"
done
curl -fs "http://127.0.0.1:$PORT/ready"; echo
kill -TERM $SERVER_PIDS
for pid in $SERVER_PIDS; do wait "$pid" || true; done
grep -c '"level":"error"' "$WORK/server.log" | sed 's/^/server errors logged: /'
