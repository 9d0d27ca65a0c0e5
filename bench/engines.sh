#!/bin/sh
# SQLite against PostgreSQL on the same machine, side by side (issue #13):
# the national register generated and loaded, its size, then the national
# Child Money top-up (preview cold and warm, approval with its snapshot,
# payroll, payment files, reconciliation of one bank row per payment) on
# each engine through bench/response_benchmark.
#
#   bench/engines.sh --pg postgresql://postgres@127.0.0.1:PORT/postgres
#                    [--malchin BIN] [--bench DIR] [--scale 1] [--runs 2]
#                    [--dir /tmp/malchin-engines] [--skip-generate]
#
# --pg names a cluster (any database in it): the benchmark makes its own
# database malchin_bench_s<SCALE> there, dropping one of that name first.
# The SQLite register is DIR/nat_s<SCALE>.db. Generation is timed by
# farm-bench, PostgreSQL (A) against SQLite (B), run by run in turn.
set -eu
MALCHIN=build/release/src/cli/malchin
BENCH=build/release/bench
PG=""
SCALE=1
RUNS=2
DIR=/tmp/malchin-engines
GENERATE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) PG=$2; shift 2 ;;
    --malchin) MALCHIN=$2; shift 2 ;;
    --bench) BENCH=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --skip-generate) GENERATE=0; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -n "$PG" ] || { echo "give --pg URL (a PostgreSQL cluster)" >&2; exit 1; }
mkdir -p "$DIR"
NAME=malchin_bench_s$(echo "$SCALE" | tr . _)
PGDB="${PG%/*}/$NAME"
LITE="$DIR/nat_s$SCALE.db"
MALCHIN=$(realpath "$MALCHIN")

cat >"$DIR/gen_pg.sh" <<SH
psql -q "$PG" -c "DROP DATABASE IF EXISTS $NAME" -c "CREATE DATABASE $NAME"
exec "$MALCHIN" generate --db "$PGDB" --scale $SCALE --seed 1
SH
cat >"$DIR/gen_lite.sh" <<SH
rm -f "$LITE" "$LITE-wal" "$LITE-shm"
exec "$MALCHIN" generate --db "$LITE" --scale $SCALE --seed 1
SH
echo "== $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$GENERATE" = 1 ]; then
  echo "== generate and load, scale $SCALE: A = PostgreSQL, B = SQLite"
  farm-bench -n "$RUNS" --warmup 0 --timeout 3600 \
    --vs "sh $DIR/gen_lite.sh" -- sh "$DIR/gen_pg.sh"
fi
echo "== size at scale $SCALE"
echo "SQLite: $(du -b "$LITE" | cut -f1) bytes ($LITE)"
echo "PostgreSQL: $(psql -Atq "$PGDB" -c "SELECT pg_database_size(current_database())") bytes ($NAME, tables and indexes)"
psql -Atq "$PGDB" -c "SELECT count(*) FROM persons" | sed 's/^/persons: /'

for engine in sqlite postgresql; do
  if [ $engine = sqlite ]; then db=$LITE; else db=$PGDB; fi
  echo "== national Child Money top-up on $engine ($db)"
  MALCHIN_RESPONSE_BENCH_DB=$db "$BENCH/response_benchmark" \
    --benchmark_counters_tabular=true 2>&1 | grep -v '^\*\*\*'
done
