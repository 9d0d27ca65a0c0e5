#!/usr/bin/env bash
# Configures and builds one flavour of Malchin.
#   scripts/build.sh release   -> build/release (optimised; what start.sh runs)
#   scripts/build.sh asan      -> build/asan    (AddressSanitizer + UBSan)
#   scripts/build.sh fuzz      -> build/fuzz    (clang, the libFuzzer targets
#                                 only: every malchin_fuzzer(), listed in
#                                 build/fuzz/fuzzers.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  # -O1 -g1: quick to compile, line tables for sanitizer stack traces.
  asan) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo
              "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DMALCHIN_SANITIZE=ON
              -DMALCHIN_BENCHMARKS=OFF) ;;
  fuzz) export CC=clang CXX=clang++
        args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo
              "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DMALCHIN_SANITIZE=ON
              -DMALCHIN_FUZZ=ON -DMALCHIN_BENCHMARKS=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release|asan|fuzz)" >&2; exit 1 ;;
esac
dir="build/$flavour"
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
if [[ "$flavour" == fuzz ]]; then
  ninja -C "$dir" -j"$(nproc)" fuzzers
else
  ninja -C "$dir" -j"$(nproc)"
fi
