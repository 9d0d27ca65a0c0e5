#!/usr/bin/env bash
# The worked example of README.md, from the command line: replays the 2019-20
# Zavkhan dzud pilot (phase 1: children 0-5 in four soums, MNT 40,000 once;
# phase 2: children 0-5 in the 23 soums outside Uliastai, 3 x MNT 20,000) and
# the April 2020 national Child Money top-up (+MNT 80,000 for every child
# 0-17), with two officers: "national" prepares, "checker" approves.
#
#   scripts/example_zavkhan.sh [--db FILE] [--out DIR]
#
# Default register: var/malchin.db, made by scripts/start.sh (its demo
# accounts are used; missing ones are created). The example writes into the
# register (an event, plans, payrolls, payments): use a copy if it matters.
# Payment files and the simulated bank answer go to --out (var/example).
# Running it again changes nothing: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
M=${MALCHIN_BIN:-build/release/src/cli/malchin}
DB=var/malchin.db
OUT=var/example
while (($#)); do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "example_zavkhan.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
mkdir -p "$OUT"
step() { printf '\n$ malchin %s\n' "$*"; "$M" "$@"; }

for u in national checker; do
  if ! "$M" user list --db "$DB" | grep -qw "$u"; then
    printf '%s-demo\n' "$u" | "$M" user add --db "$DB" --username "$u" \
      --role national_officer >/dev/null
  fi
done

# The event: the four phase-1 soums very high, the other 19 soums of Zavkhan
# (aimag 181) high; Uliastai (18101), the aimag centre, is not affected.
{
  echo "soum_code,severity"
  awk -F, '$2 == "soum" && $3 == "181" && $1 != "18101" {
    print $1 "," (($1 == 18110 || $1 == 18125 || $1 == 18140 || $1 == 18149) ? "very_high" : "high")
  }' data/mn_admin_units.csv
} >"$OUT/zavkhan-soums.csv"

step event create --db "$DB" --user national --event zavkhan-dzud-2019 \
  --type dzud --name "Zavkhan dzud 2019-20" --source "NAMEM dzud risk map" \
  --reference "Zavkhan emergency commission" --declared 2019-12-01 \
  --start 2019-12-01 --end 2020-04-30 --soums "$OUT/zavkhan-soums.csv"

# Phase 1.
step plan create --db "$DB" --user national --plan zavkhan-phase1 \
  --event zavkhan-dzud-2019 --programme child_money \
  --name "Zavkhan pilot phase 1" \
  --eligibility 'age < 6 and event.severity == very_high' --amount 40000 \
  --cutoff 2019-12-01 --installments 2019-12-20
step plan preview --db "$DB" --plan zavkhan-phase1
echo "(the officer who prepared it may not approve it:)"
"$M" plan approve --db "$DB" --user national --plan zavkhan-phase1 || true
step plan approve --db "$DB" --user checker --plan zavkhan-phase1
step payroll generate --db "$DB" --user national --plan zavkhan-phase1 --installment 1
step payroll approve --db "$DB" --user checker --plan zavkhan-phase1 --installment 1
step payroll export --db "$DB" --user national --plan zavkhan-phase1 --installment 1 --out "$OUT/payments"

# The banks answer: every payment paid except one in 40, which failed.
for f in "$OUT"/payments/zavkhan-phase1-i1-b1-*.csv; do
  awk -F, 'NR == 1 { print "reference,status,amount,reason"; next }
           $1 == "TOTAL" { next }
           { print $1 "," ((NR % 40 == 0) ? "failed,"  $6 ",account closed" : "paid," $6 ",") }' \
    "$f" >"${f%.csv}.result.csv"
  step reconcile import --db "$DB" --user national --file "${f%.csv}.result.csv"
done
step reconcile report --db "$DB" --plan zavkhan-phase1 --installment 1

# Phase 2.
step plan create --db "$DB" --user national --plan zavkhan-phase2 \
  --event zavkhan-dzud-2019 --programme child_money \
  --name "Zavkhan pilot phase 2" \
  --eligibility 'age < 6 and event.severity >= high' --amount 20000 \
  --cutoff 2020-02-01 --installments 2020-02-15,2020-03-16,2020-04-15
step plan preview --db "$DB" --plan zavkhan-phase2
# Phase 1's children are phase 2's too: paid again on purpose, said so.
step plan approve --db "$DB" --user checker --plan zavkhan-phase2 \
  --overlap accept \
  --overlap-reason "phase 2 pays phase 1's children again on purpose"

# The April 2020 national top-up: every child 0-17, the Child Money amount in
# force (100,000 from April 2020, a dated parameter) minus the regular 20,000.
step event create --db "$DB" --user national --event covid-2020 \
  --type epidemic --name "COVID-19 economic relief" --start 2020-04-01
step plan create --db "$DB" --user national --plan child-money-topup-2020-04 \
  --event covid-2020 --programme child_money --eligibility true \
  --amount 'param("child_money.monthly") - 20000' \
  --cutoff 2020-04-01 --installments 2020-04-20
step plan preview --db "$DB" --plan child-money-topup-2020-04
