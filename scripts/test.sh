#!/usr/bin/env bash
# The second command: runs every test. Sets up the machine if needed, builds
# the release and the sanitizer (ASan+UBSan) flavours, runs ctest on both,
# and checks formatting.
#   MALCHIN_SKIP_ASAN=1 scripts/test.sh   (quicker local runs)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== format check (clang-format, Google style)"
mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 'bench/*.h')
if ((${#sources[@]})); then
  clang-format --dry-run --Werror "${sources[@]}"
fi

jobs=$(nproc)
# A throwaway PostgreSQL cluster for the PostgreSQL engine's tests (ctest
# label "postgres"; without MALCHIN_TEST_PG_URL they skip), stopped and
# removed on every exit.
# A hot standby of it (streaming replication) for serve --read-db
# (src/api/replica_test.cpp).
pg_dir=$(mktemp -d /tmp/malchin-pg.XXXXXX)
pg_standby_dir="$pg_dir-standby"
trap 'scripts/pg_test_cluster.sh stop "$pg_standby_dir" || true
      scripts/pg_test_cluster.sh stop "$pg_dir"' EXIT
MALCHIN_TEST_PG_URL=$(scripts/pg_test_cluster.sh start "$pg_dir")
export MALCHIN_TEST_PG_URL
MALCHIN_TEST_PG_STANDBY_URL=$(scripts/pg_test_cluster.sh standby \
  "$pg_standby_dir" "$MALCHIN_TEST_PG_URL")
export MALCHIN_TEST_PG_STANDBY_URL
echo "== PostgreSQL test cluster: $MALCHIN_TEST_PG_URL," \
  "standby $MALCHIN_TEST_PG_STANDBY_URL"

echo "== release build and tests"
scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j"$jobs" --timeout 600
echo "== the same tests with PostgreSQL as the engine under the API and CLI tests"
# (MALCHIN_TEST_ENGINE: every TestServer and CLI test database is a new
# PostgreSQL database in the test cluster instead of a SQLite file.)
MALCHIN_TEST_ENGINE=postgresql \
  ctest --test-dir build/release --output-on-failure -j"$jobs" --timeout 600

if [[ "${MALCHIN_SKIP_ASAN:-0}" != "1" ]]; then
  echo "== sanitizer build (ASan+UBSan) and tests"
  scripts/build.sh asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan --output-on-failure -j"$jobs" --timeout 900
fi
if [[ "${MALCHIN_SKIP_FUZZ:-0}" != "1" ]]; then
  seconds="${MALCHIN_FUZZ_SECONDS:-20}"
  echo "== libFuzzer (clang, ASan+UBSan): every parser of outside input (build/fuzz/fuzzers.txt); ${seconds} s each"
  scripts/build.sh fuzz
  for f in $(cat build/fuzz/fuzzers.txt); do
    bin=$(find build/fuzz -name "$f" -type f -perm -u+x | head -1)
    corpus=$(mktemp -d)
    # Any crash, leak, sanitizer report or timeout fails the run (exit != 0).
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 "$corpus" 2>build/fuzz/"$f".log ||
      { tail -40 build/fuzz/"$f".log; exit 1; }
    grep -E "stat::number_of_executed_units|stat::peak_rss" build/fuzz/"$f".log | tr '\n' ' '
    echo "($f)"
    rm -rf "$corpus"
  done
fi
echo "== web front end: unit tests, build, end-to-end in headless Chromium"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm test)
scripts/web_e2e.sh --malchin "$PWD/build/release/src/cli/malchin"
echo "== all tests passed"
