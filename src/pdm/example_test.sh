#!/usr/bin/env bash
# ctest pdm_example_test: README.md's worked example cannot rot. Runs
# scripts/example_zavkhan.sh then scripts/example_pdm.sh on a small
# generated Zavkhan register and checks what the PDM steps print.
#   example_test.sh MALCHIN_BINARY SOURCE_DIR
set -euo pipefail
M=$1
ROOT=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$M" generate --db "$T/r.db" --aimag Zavkhan --scale 0.05 >/dev/null
MALCHIN_BIN=$M "$ROOT/scripts/example_zavkhan.sh" --db "$T/r.db" \
  --out "$T/out" >"$T/zavkhan.log" 2>&1 || { cat "$T/zavkhan.log"; exit 1; }
MALCHIN_BIN=$M "$ROOT/scripts/example_pdm.sh" --db "$T/r.db" \
  --out "$T/out" >"$T/pdm.log" 2>&1 || { cat "$T/pdm.log"; exit 1; }
fail() { echo "FAIL: $*"; cat "$T/pdm.log"; exit 1; }
grep -q "^sample 1  plan zavkhan-phase1 installment 1  drawn" "$T/pdm.log" ||
  fail "no sample drawn"
grep -q "may not approve\|drawn by national; expected another" "$T/pdm.log" ||
  fail "maker-checker not enforced"
grep -q "approved by checker" "$T/pdm.log" || fail "not approved"
test -s "$T/out/pdm/zavkhan-pdm.xlsx" || fail "no XLSForm"
test -s "$T/out/pdm/respondents.csv" || fail "no respondent list"
grep -Eq "^accepted [1-9][0-9]*, rejected 0, unchanged 0" "$T/pdm.log" ||
  fail "first ingest"
grep -Eq "^accepted 0, rejected 0, unchanged [1-9]" "$T/pdm.log" ||
  fail "re-ingest changed something"
grep -q "^all	received=yes	" "$T/pdm.log" || fail "no estimate"
grep -Eq "follow up \(bank vs respondent\): [1-9]" "$T/pdm.log" ||
  fail "no case to follow up"
grep -q "the respondent reports 20000" "$T/pdm.log" || fail "no shortfall case"
test -s "$T/out/pdm/report/estimates.csv" || fail "no estimates.csv"
echo "pdm example: ok"
