#!/usr/bin/env bash
# The poverty engine against the R reference tools, side by side in one
# run: every measure (43) with linearised and delete-one-PSU jackknife
# standard errors, national, on the 20,000-household reference survey.
#
#   bench/poverty_vs_r.sh [BUILD_DIR]      (default build/release)
#
# R: bench/poverty_vs_r.R (laeken 0.5.2 + survey 4.1; needs Rscript and
# r-cran-laeken r-cran-survey). C++: poverty_benchmark's
# BM_SurveyNationalAllMeasuresWithSe/1 (one thread). Both report CPU time
# (user + system), which is what to compare on a shared machine; elapsed
# times are printed too. Also checks that both computed the same headline
# values.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bench="$build/bench/poverty_benchmark"
ref="${MALCHIN_SHARED_DIR:-../shared}/reference/poverty"
[[ -x "$bench" ]] || { echo "no $bench (build with -DMALCHIN_BENCHMARKS=ON)" >&2; exit 1; }
command -v Rscript >/dev/null || { echo "Rscript not found (apt-get install r-base-core r-cran-laeken r-cran-survey)" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
r_out=$(Rscript bench/poverty_vs_r.R "$ref/households.csv" "$ref/persons.csv" 200000)
echo "$r_out"
cpp_out=$("$bench" --benchmark_filter='SurveyNationalAllMeasuresWithSe/1$' \
  --benchmark_min_time=2 --benchmark_format=json 2>/dev/null)
cli_out=$("$build/src/cli/malchin" poverty measures --households "$ref/households.csv" \
  --persons "$ref/persons.csv" --line 200000 --json)
python3 - "$r_out" "$cpp_out" "$cli_out" <<'PY'
import json, sys
r = dict(l.split() for l in sys.argv[1].strip().splitlines())
b = json.loads(sys.argv[2])["benchmarks"][0]
nat = json.loads(sys.argv[3])["estimates"]["domains"][0]
checks = [("fgt0", nat["values"]["fgt0"], r["r_fgt0"]),
          ("se_lin_fgt0", nat["se_lin"]["fgt0"], r["r_se_lin_fgt0"]),
          ("se_lin_gini", nat["se_lin"]["gini_midpoint"], r["r_se_lin_gini"]),
          ("se_jkn_gini", nat["se_jkn"]["gini_midpoint"], r["r_se_jkn_gini"]),
          ("se_jkn_median", nat["se_jkn"]["median_pc"], r["r_se_jkn_median"])]
bad = 0
for name, c, rv in checks:
    rel = abs(c - float(rv)) / abs(float(rv))
    bad += rel > 1e-7
    print(f"check {name}: C++ {c:.15g}  R {float(rv):.15g}  rel.diff {rel:.1e}")
unit = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[b["time_unit"]]
cpp_cpu, cpp_real = b["cpu_time"] * unit, b["real_time"] * unit
r_cpu, r_real = float(r["r_total_cpu_seconds"]), float(r["r_total_seconds"])
print()
print("| what | R (laeken + survey) | Malchin C++ | ratio |")
print("|---|---|---|---|")
print(f"| all 43 measures + lin + JKn SEs, CPU s | {r_cpu:.2f} | {cpp_cpu:.4f} | {r_cpu / cpp_cpu:,.0f}x |")
print(f"| same, elapsed s | {r_real:.2f} | {cpp_real:.4f} | {r_real / cpp_real:,.0f}x |")
print(f"| R jackknife alone, CPU s | {float(r['r_jackknife_cpu_seconds']):.2f} | | |")
print(f"| R point estimates alone, CPU s | {float(r['r_point_cpu_seconds']):.3f} | | |")
sys.exit(1 if bad else 0)
PY
