#!/bin/sh
# RIMA-II: Malchin's engine and the R reference (psych + lavaan) side by
# side in one run, on the reference survey of 10,024 households.
#   bench/rima_vs_r.sh [BUILD_DIR]     (default build/release)
# Needs Rscript with psych and lavaan (apt-get install r-cran-lavaan
# r-cran-psych) for the R half; the C++ half runs without it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
shared=$root/../shared/reference/rima
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
"$build/bench/rima_benchmark" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_format=console | tee "$tmp/cpp.txt"
if ! command -v Rscript >/dev/null 2>&1; then
  echo "Rscript not found: R side skipped"; exit 0
fi
for i in 1 2 3; do
  Rscript "$shared/rima_reference.R" "$tmp/r$i" >/dev/null 2>&1
  grep -E 'timing_s (pillars_fa|mimic|total)' "$tmp/r$i/run_info.txt" |
    tr '\n' ' '
  echo
done | tee "$tmp/r.txt"
# R's factor analysis + MIMIC (the part the C++ fit replaces), best of 3.
r_fit=$(awk '{fa=$4; mi=$8; s=fa+mi; if (NR==1 || s<best) best=s}
             END {printf "%.3f", best}' "$tmp/r.txt")
c_fit=$(awk '/BM_Fit\/1_median/ {print $2; exit}' "$tmp/cpp.txt")
c_read=$(awk '/BM_ReadAndFit_median/ {print $2; exit}' "$tmp/cpp.txt")
echo "R psych+lavaan (pillars FA + MIMIC, best of 3): ${r_fit} s"
echo "C++ fit (median): ${c_fit} ms; read CSV + fit: ${c_read} ms"
awk -v r="$r_fit" -v c="$c_fit" -v d="$c_read" 'BEGIN {
  printf "speed-up: %.0fx (fit), %.0fx (read + fit)\n", r*1000/c, r*1000/d }'
