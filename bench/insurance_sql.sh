#!/bin/sh
# Plain-SQL reference for `malchin insurance coverage --by soum --split sex,age`
# on the benchmark register written by insurance_benchmark
# (BM_StoreLoadAndCoverage). Prints the SQL's time and totals, then
# Malchin's time and totals for the same month, so both can be compared in
# one run.
#   bench/insurance_sql.sh [DB] [MALCHIN_BINARY]
set -eu
DB=${1:-/tmp/malchin_insurance_bench.db}
MALCHIN=${2:-build/release/src/cli/malchin}
MONTH=24305  # 2025-06 = 2025 * 12 + 5
SQL="
WITH p AS (
  SELECT h.soum_code AS soum, p.sex AS sex, p.pid AS pid,
         2025 - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
           - (substr(p.birth_date, 6, 5) > '06-01') AS age
  FROM persons p JOIN households h ON h.hh = p.hh
  WHERE p.deactivated_on IS NULL AND h.deactivated_on IS NULL
    AND p.herder = 1),
cells AS (
  SELECT soum, sex,
         CASE WHEN age < 30 THEN 4 WHEN age < 45 THEN 5 WHEN age < 60 THEN 6
              ELSE 7 END AS band,
         count(*) AS persons,
         sum(EXISTS (SELECT 1 FROM insurance_coverage c WHERE c.pid = p.pid
               AND c.scheme = 'social' AND c.first_month <= $MONTH
               AND c.last_month >= $MONTH)) AS social,
         sum(EXISTS (SELECT 1 FROM insurance_coverage c WHERE c.pid = p.pid
               AND c.scheme = 'health' AND c.first_month <= $MONTH
               AND c.last_month >= $MONTH)) AS health
  FROM p
  WHERE age >= 18 AND age < CASE sex WHEN 'M' THEN 60 ELSE 55 END
  GROUP BY soum, sex, band)
SELECT count(*) AS cells, sum(persons), sum(social), sum(health) FROM cells;"
echo "plain SQL (sqlite3 $(sqlite3 --version | cut -d' ' -f1)):"
s=$(date +%s.%N)
sqlite3 "$DB" "$SQL"
e=$(date +%s.%N)
echo "  wall $(echo "$e - $s" | bc) s"
echo "malchin insurance coverage --by soum --split sex,age --month 2025-06:"
s=$(date +%s.%N)
"$MALCHIN" insurance coverage --db "$DB" --by soum --split sex,age \
  --month 2025-06 --json |
  python3 -c 'import json,sys; c=json.load(sys.stdin)["cells"]; print(len(c), sum(x["persons"] for x in c), sum(x["social_insured"] for x in c), sum(x["health_insured"] for x in c), sep="|")'
e=$(date +%s.%N)
echo "  wall $(echo "$e - $s" | bc) s (process start, open, load, compute, JSON)"
