#!/usr/bin/env bash
# The national top-up (children 0-17 on 2020-04-01, +80,000 MNT) through
# Malchin and through plain SQL on the same SQLite store, side by side.
#
#   bench/response_vs_sql.sh REGISTER.db [BUILD_DIR]
#
# REGISTER.db is a generated register (malchin generate); it is copied twice
# into $BENCH_DIR (default /tmp/malchin-response-bench) and left unchanged.
# The plain-SQL steps do the least that could be called the same job: one
# query per step, no rule language, no caregiver choice, no audit trail, no
# maker-checker; the payee's account is the child's own or else the female
# then male head or spouse's; bank = first four digits of the account.
set -euo pipefail
src="$1"
build="${2:-$(dirname "$0")/../build/release}"
dir="${BENCH_DIR:-/tmp/malchin-response-bench}"
mkdir -p "$dir"
rm -f "$dir"/a.db* "$dir"/b.db*
sqlite3 "$src" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$src" "$dir/a.db"
cp "$src" "$dir/b.db"

MALCHIN_RESPONSE_BENCH_DB="$dir/a.db" "$build/bench/response_benchmark" \
  --benchmark_format=json >"$dir/malchin.json"

now() { date +%s.%N; }
sql() { sqlite3 -bail "$dir/b.db" "$@"; }
step() {  # step NAME SQL...
  local name="$1"; shift
  local t0 t1; t0=$(now); sql "$@" >/dev/null; t1=$(now)
  echo "$name $(echo "($t1 - $t0) * 1000" | bc -l)"
}
elig="p.deactivated_on IS NULL AND h.deactivated_on IS NULL AND
  p.birth_date > '2002-04-01' AND p.birth_date <= '2020-04-01'"
{
step load_and_preview "SELECT h.soum_code, p.sex, count(*), count(*) * 80000
  FROM persons p JOIN households h ON h.hh = p.hh WHERE $elig GROUP BY 1, 2;"
step snapshot "BEGIN IMMEDIATE;
  CREATE TABLE snap (id INTEGER PRIMARY KEY, register_no TEXT NOT NULL UNIQUE,
    household_id TEXT, soum_code INTEGER, sex TEXT, birth_date TEXT,
    disability INTEGER, amount INTEGER, account TEXT);
  INSERT INTO snap (register_no, household_id, soum_code, sex, birth_date,
    disability, amount, account)
  SELECT p.register_no, h.id, h.soum_code, p.sex, p.birth_date, p.disability,
    80000, coalesce(nullif(p.bank_account, ''), (SELECT q.bank_account
      FROM persons q WHERE q.hh = p.hh AND q.relation IN ('head', 'spouse')
      AND q.bank_account <> '' ORDER BY q.sex, q.pid LIMIT 1), '')
  FROM persons p JOIN households h ON h.hh = p.hh
  WHERE $elig ORDER BY p.pid;
  COMMIT;"
step payroll "BEGIN IMMEDIATE;
  CREATE TABLE lines (id INTEGER PRIMARY KEY, snap_id INTEGER NOT NULL,
    installment INTEGER NOT NULL, amount INTEGER NOT NULL,
    UNIQUE (snap_id, installment));
  INSERT INTO lines (snap_id, installment, amount)
    SELECT id, 1, amount FROM snap ORDER BY id;
  COMMIT;"
step export "BEGIN IMMEDIATE;
  CREATE TABLE pay (id INTEGER PRIMARY KEY, line_id INTEGER NOT NULL,
    reference TEXT NOT NULL UNIQUE, bank TEXT, amount INTEGER,
    status TEXT NOT NULL);
  INSERT INTO pay (line_id, reference, bank, amount, status)
    SELECT l.id, 'R-' || l.id, substr(s.account, 1, 4), l.amount, 'pending'
    FROM lines l JOIN snap s ON s.id = l.snap_id WHERE s.account <> '';
  COMMIT;" ".mode csv" ".once $dir/sql-payments.csv" "
  SELECT p.reference, s.register_no, s.account, p.amount FROM pay p
    JOIN lines l ON l.id = p.line_id JOIN snap s ON s.id = l.snap_id
    ORDER BY p.bank, p.id;"
sql ".mode csv" ".headers on" ".once $dir/sql-result.csv" \
  "SELECT reference, 'paid' AS status, amount, '' AS reason FROM pay;"
step reconcile ".mode csv" "BEGIN IMMEDIATE;" \
  "CREATE TEMP TABLE res (reference TEXT, status TEXT, amount INTEGER, reason TEXT);" \
  ".import --skip 1 $dir/sql-result.csv res" \
  "UPDATE pay SET status = res.status FROM res WHERE pay.reference =
     res.reference AND pay.amount = res.amount AND pay.status = 'pending';" \
  "COMMIT;"
} >"$dir/sql.txt"

python3 - "$dir/malchin.json" "$dir/sql.txt" <<'PY'
import json, sys
m = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
s = dict(l.split() for l in open(sys.argv[2]))
def ms(name):
    b = m[name]
    t = b["real_time"]
    return t if b["time_unit"] == "ms" else t / 1e6
rows = [
    ("load register + preview", ms("BM_LoadPopulation") + ms("BM_PreviewLoadedRegister"), "load_and_preview"),
    ("approval + frozen snapshot", ms("BM_ApprovePlanWithSnapshot"), "snapshot"),
    ("payroll generation", ms("BM_GeneratePayroll"), "payroll"),
    ("payment files", ms("BM_ExportPaymentFiles"), "export"),
    ("reconciliation import", ms("BM_ReconcileBankFile"), "reconcile"),
]
n = m["BM_ApprovePlanWithSnapshot"].get("entitlements", 0)
print(f"entitlements: {n:.0f}; preview alone (register in memory, frame rebuilt): {ms('BM_PreviewLoadedRegister'):.0f} ms")
print(f"preview through the frame cache: cold (load + frame + rule) {ms('BM_PreviewCold'):.0f} ms, warm (register unchanged) {ms('BM_PreviewWarm'):.1f} ms")
print("| step | Malchin ms | plain SQL ms | ratio |")
print("|---|---|---|---|")
for name, a, key in rows:
    b = float(s[key])
    print(f"| {name} | {a:.0f} | {b:.0f} | {a / b:.2f} |")
PY
