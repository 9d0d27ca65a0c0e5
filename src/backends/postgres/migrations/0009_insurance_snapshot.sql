-- Migration 7 (PostgreSQL): the insurance snapshot of the whole country
-- (coverage rates of every herder) without reading a table. Its herders
-- come with their households' soum from two covering indexes, both in
-- household order, so the server merge-joins them from the indexes alone
-- (index-only scans) instead of hashing the country's 900,000 households:
-- about a quarter of the server's time (docs/insurance.md#benchmarks).
-- SQLite's migration of the same name has nothing to do: its snapshot reads
-- households from households_soum, whose rowid is hh.
CREATE INDEX insurance_herders_by_household ON persons (hh)
  INCLUDE (pid, born, sex, disability)
  WHERE herder AND deactivated_on IS NULL;
CREATE INDEX households_active_soum ON households (hh) INCLUDE (soum_code)
  WHERE deactivated_on IS NULL;
