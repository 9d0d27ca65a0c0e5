-- Migration 12: nothing on SQLite. The PostgreSQL migration of the same
-- name adds two covering indexes for the national insurance snapshot;
-- SQLite's snapshot already reads households as (hh, soum_code) from
-- households_soum (hh is the rowid) and herders from insurance_herders.
-- Kept so that both engines' migrations keep the same names.
SELECT 1;
