#!/usr/bin/env bash
# The post-distribution monitoring part of README.md's worked example: after
# scripts/example_zavkhan.sh has paid phase 1 of the Zavkhan pilot, draw the
# PDM sample of that payroll, have a second officer approve it, write the
# XLSForm and its respondent list, ingest a simulated KoBoToolbox export
# (twice: the second time changes nothing) and read the report.
#
#   scripts/example_pdm.sh [--db FILE] [--out DIR]
#
# The simulated export: every selected respondent but one in ten answers;
# the payment arrived, in full, except one in 25 who says nothing arrived
# and one in 30 who reports MNT 20,000 of the 40,000 (both to follow up).
# `pdm_example_test` (ctest) runs this script on a small register.
set -euo pipefail
cd "$(dirname "$0")/.."
M=${MALCHIN_BIN:-build/release/src/cli/malchin}
DB=var/malchin.db
OUT=var/example
while (($#)); do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "example_pdm.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
mkdir -p "$OUT/pdm"
step() { printf '\n$ malchin %s\n' "$*"; "$M" "$@"; }

step pdm sample --db "$DB" --user national --plan zavkhan-phase1 \
  --installment 1 --margin 0.10 --response-rate 0.85 --deff 1 \
  --seed 20200115 | tee "$OUT/pdm/sample.txt"
ID=$(awk '/^sample / { print $2; exit }' "$OUT/pdm/sample.txt")
echo "(who drew the sample may not approve it:)"
"$M" pdm approve --db "$DB" --user national --sample "$ID" || true
step pdm approve --db "$DB" --user checker --sample "$ID"
step pdm form --db "$DB" --sample "$ID" --out "$OUT/pdm/zavkhan-pdm.xlsx"

# The simulated KoBoToolbox export (CSV, XML headers, "," separator).
awk -F, 'NR > 1 && $9 == 0 {
  n++
  if (n % 10 == 0) next
  received = (n % 25 == 0) ? "no" : "yes"
  amount = (n % 30 == 7) ? 20000 : 40000
  if (received == "no")
    print $1 ",yes,no,,,,,,,,,not_received,yes,1," n ",pdm-" n ",2020-01-15T04:00:00"
  else
    print $1 ",yes,yes," amount ",2020-01-05," 30 + n % 90 "," (n % 4) * 5000 \
      ",self,jointly,food fodder,,none,yes," 3 + n % 3 "," n ",pdm-" n \
      ",2020-01-15T04:00:00"
}
BEGIN {
  print "respondent,consent,received,amount_received,date_received," \
        "collect_minutes,collect_cost,payee,decided_use,uses,uses_other," \
        "problems,knows_complaint,satisfaction,_id,_uuid,_submission_time"
}' "$OUT/pdm/respondents.csv" >"$OUT/pdm/kobo-export.csv"

step pdm ingest --db "$DB" --user national --sample "$ID" \
  --file "$OUT/pdm/kobo-export.csv"
step pdm ingest --db "$DB" --user national --sample "$ID" \
  --file "$OUT/pdm/kobo-export.csv"
step pdm report --db "$DB" --sample "$ID" --csv "$OUT/pdm/report"
