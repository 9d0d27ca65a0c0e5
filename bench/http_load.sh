#!/bin/sh
# Load test of the HTTP API with wrk against a national register:
# household lookup by a member's register number, and a soum search, at
# many concurrent keep-alive connections. Prints wrk's req/s and latency
# percentiles and the server's peak memory (VmHWM).
#
#   bench/http_load.sh --malchin BIN --db FILE [--connections N]
#                      [--duration 30s] [--workers 4] [--port 18090]
#                      [--rate R]
#
# Without --rate every connection sends its next request as soon as the last
# is answered (closed loop): that measures the most the server can answer,
# and latency is then just connections / throughput. With --rate R the
# connections together send about R requests a second (each waits a random
# 0..2*N/R seconds between requests, wrk's delay()), which is how 10,000
# officers use it: that measures latency at a given load.
#
# The database is opened read-write (the server migrates it and records
# reads in its audit trail): give it a copy, never a register in use.
set -eu
MALCHIN=build/release/src/cli/malchin
DB=""
CONNS=10000
DURATION=30s
WORKERS=4
THREADS=2
PORT=18090
RATE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --malchin) MALCHIN=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -n "$DB" ] || { echo "give --db FILE (a copy of a national register)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/setup.sh --bench" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$MALCHIN" init --db "$DB" >/dev/null
printf 'bench-password-1\n' | "$MALCHIN" user add --db "$DB" \
  --username bench_load --role national_officer >/dev/null 2>&1 || true
"$MALCHIN" serve --db "$DB" --port "$PORT" --workers "$WORKERS" \
  --max-connections $((CONNS + 100)) --queue-per-worker 4096 \
  --log-level warn 2>"$WORK/server.log" &
SERVER=$!
for i in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null && break
  sleep 0.2
done
TOKEN=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/session" \
  -d '{"username":"bench_load","password":"bench-password-1"}' |
  sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

# 20,000 register numbers and the soums, sampled from the register.
sqlite3 -readonly "$DB" \
  "SELECT register_no FROM persons ORDER BY random() LIMIT 20000" \
  >"$WORK/rns.txt"
sqlite3 -readonly "$DB" "SELECT DISTINCT soum_code FROM households" \
  >"$WORK/soums.txt"

# Pacing (see --rate): the mean wait between one connection's requests, ms.
if [ "$RATE" -gt 0 ]; then
  PACE_MS=$((CONNS * 1000 / RATE))
else
  PACE_MS=0
fi
cat >"$WORK/pace.lua" <<LUA
local pace = $PACE_MS
if pace > 0 then
  math.randomseed(os.time())
  delay = function() return math.random(0, 2 * pace) end
end
LUA

cat >"$WORK/lookup.lua" <<LUA
dofile("$WORK/pace.lua")
-- Percent-encoded: the numbers start with Cyrillic letters.
local function enc(s)
  return (s:gsub("[^%w]", function(c)
    return string.format("%%%02X", string.byte(c)) end))
end
local ids = {}
for line in io.lines("$WORK/rns.txt") do ids[#ids + 1] = enc(line) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/persons/" .. ids[(n % #ids) + 1], {
    ["Authorization"] = "Bearer $TOKEN" })
end
LUA
cat >"$WORK/search.lua" <<LUA
dofile("$WORK/pace.lua")
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

echo "== lookup by register number: $CONNS connections, $DURATION, rate ${RATE:-0}/s (0: closed loop)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency \
  -s "$WORK/lookup.lua" "http://127.0.0.1:$PORT"
echo "== soum search (page 1-5 of 50): $CONNS connections, $DURATION, rate ${RATE}/s"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency \
  -s "$WORK/search.lua" "http://127.0.0.1:$PORT"
echo "== server memory"
grep -E 'VmHWM|VmRSS' "/proc/$SERVER/status"
curl -fs "http://127.0.0.1:$PORT/ready"; echo
kill -TERM "$SERVER"
wait "$SERVER" || true
grep -c '"level":"error"' "$WORK/server.log" | sed 's/^/server errors logged: /'
