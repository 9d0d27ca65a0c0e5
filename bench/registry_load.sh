#!/usr/bin/env bash
# Generate and import throughput, and store size, at national scales.
#
#   bench/registry_load.sh [SCALE ...]      (default: 1 3)
#
# For each scale: generate the demo register into a new database (timed),
# export it to CSV, import the CSV into another new database (timed), and
# report persons/s, bytes per household and peak memory (max RSS, from
# /usr/bin/time). Needs a release build (scripts/build.sh release; another
# binary with MALCHIN=path). Writes to $BENCH_DIR (default /tmp/malchin-bench).
# The import streams the files (malchin import reads them in pieces).
set -euo pipefail
cd "$(dirname "$0")/.."
malchin="${MALCHIN:-build/release/src/cli/malchin}"
dir="${BENCH_DIR:-/tmp/malchin-bench}"
mkdir -p "$dir"
scales=("$@")
((${#scales[@]})) || scales=(1 3)

now() { date +%s.%N; }
printf "| scale | persons | households | generate s | generate persons/s | generate max RSS MB | db MB (gen) | bytes/household | export s | import s | import persons/s | import max RSS MB | db MB (import) |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for s in "${scales[@]}"; do
  gen="$dir/gen-$s.db"; imp="$dir/imp-$s.db"; csv="$dir/csv-$s"
  rm -rf "$gen"* "$imp"* "$csv"
  t0=$(now)
  /usr/bin/time -f %M -o "$dir/gen-$s.rss" "$malchin" generate --db "$gen" --scale "$s" --seed 1 >/dev/null
  t1=$(now)
  read -r hh persons < <("$malchin" stats --db "$gen" --by nation --json |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["households"], t["persons"])')
  gen_bytes=$(stat -c %s "$gen")
  t2=$(now); "$malchin" export --db "$gen" --out "$csv" >/dev/null; t3=$(now)
  "$malchin" init --db "$imp" >/dev/null
  t4=$(now)
  /usr/bin/time -f %M -o "$dir/imp-$s.rss" "$malchin" import --db "$imp" \
    --households "$csv/households.csv" --persons "$csv/persons.csv" >/dev/null
  t5=$(now)
  imp_bytes=$(stat -c %s "$imp")
  gen_rss=$(tail -1 "$dir/gen-$s.rss"); imp_rss=$(tail -1 "$dir/imp-$s.rss")
  python3 - "$s" "$persons" "$hh" "$t0" "$t1" "$gen_bytes" "$t2" "$t3" "$t4" "$t5" "$imp_bytes" "$gen_rss" "$imp_rss" <<'PY'
import sys
s, persons, hh, t0, t1, gb, t2, t3, t4, t5, ib, gr, ir = sys.argv[1:]
persons, hh = int(persons), int(hh)
g = float(t1) - float(t0); e = float(t3) - float(t2); i = float(t5) - float(t4)
print(f"| {s} | {persons:,} | {hh:,} | {g:.1f} | {persons/g:,.0f} | {int(gr)/1024:,.0f} | {int(gb)/1e6:,.0f} | {int(gb)/hh:.0f} | {e:.1f} | {i:.1f} | {persons/i:,.0f} | {int(ir)/1024:,.0f} | {int(ib)/1e6:,.0f} |")
PY
done
