#!/usr/bin/env bash
# Regenerates the two small extra reference cases from the shared R reference
# script (not copied here: it is edited on the fly with sed and run from /tmp).
#   src/poverty/testdata/generate.sh [SHARED_DIR]   (default ../shared beside the repo)
# Needs Rscript with r-cran-laeken 0.5.2 and r-cran-survey 4.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${1:-$here/../../../../shared}"
ref="$shared/reference/poverty/poverty_reference.R"
small=(-e 's/^HH_PER_PSU     <- 16L/HH_PER_PSU     <- 2L/'
       -e 's/HH_PER_PSU == 20000)/HH_PER_PSU == 2500)/'
       -e 's/nrow(H) == 20000L)/nrow(H) == 2500L)/')
# case_a: other seed, other poverty line, more dispersed weights (sd 0.25).
sed "${small[@]}" \
  -e 's/set.seed(20240601L)/set.seed(7L)/' -e 's/seed 20240601"/seed 7"/' \
  -e 's/^POVERTY_LINE   <- 200000/POVERTY_LINE   <- 180000/' \
  -e 's/exp(rnorm(nH, 0, 0.05)), 4)/exp(rnorm(nH, 0, 0.25)), 4)/' \
  "$ref" > /tmp/poverty_case_a.R
# case_b: other seed, other poverty line, unit household weights (exact
# ties in the cumulative weight shares: exercises the quantile tie rule).
sed "${small[@]}" \
  -e 's/set.seed(20240601L)/set.seed(99L)/' -e 's/seed 20240601"/seed 99"/' \
  -e 's/^POVERTY_LINE   <- 200000/POVERTY_LINE   <- 250000/' \
  -e 's/^hh\$weight <- round(base_w \* hh\$nr_adj \* exp(rnorm(nH, 0, 0.05)), 4)/hh$weight <- rep(1, nH)/' \
  "$ref" > /tmp/poverty_case_b.R
for c in a b; do
  grep -q 'HH_PER_PSU     <- 2L' /tmp/poverty_case_$c.R
done
grep -q 'exp(rnorm(nH, 0, 0.25)), 4)' /tmp/poverty_case_a.R
grep -q 'hh\$weight <- rep(1, nH)' /tmp/poverty_case_b.R
Rscript /tmp/poverty_case_a.R "$here/case_a"
Rscript /tmp/poverty_case_b.R "$here/case_b"
