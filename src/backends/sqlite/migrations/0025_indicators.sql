-- Migration 25: the results framework (issue #19). Indicators the ministry
-- loads (each load a new row; the latest per code counts) and the values
-- frozen by period and area, append-only, once per (indicator, period,
-- area).
CREATE TABLE indicator_definitions (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL,
  definition TEXT NOT NULL,
  source     TEXT NOT NULL,
  loaded_by  TEXT NOT NULL,
  loaded_at  TEXT NOT NULL
);
CREATE INDEX indicator_definitions_code ON indicator_definitions (code, id);

CREATE TABLE indicator_values (
  id                 INTEGER PRIMARY KEY,
  indicator          TEXT    NOT NULL,
  period             TEXT    NOT NULL,
  area               INTEGER NOT NULL,
  value_json         TEXT    NOT NULL,
  register_version   TEXT    NOT NULL,
  parameters_version TEXT    NOT NULL,
  definition         TEXT    NOT NULL,
  frozen_by          TEXT    NOT NULL,
  frozen_at          TEXT    NOT NULL,
  UNIQUE (indicator, period, area)
);

CREATE TRIGGER indicator_definitions_frozen BEFORE UPDATE ON
  indicator_definitions
BEGIN
  SELECT RAISE(ABORT, 'loaded indicator definitions are never changed');
END;
CREATE TRIGGER indicator_definitions_kept BEFORE DELETE ON
  indicator_definitions
BEGIN
  SELECT RAISE(ABORT, 'loaded indicator definitions are never deleted');
END;
CREATE TRIGGER indicator_values_frozen BEFORE UPDATE ON indicator_values
BEGIN
  SELECT RAISE(ABORT, 'frozen indicator values are never changed');
END;
CREATE TRIGGER indicator_values_kept BEFORE DELETE ON indicator_values
BEGIN
  SELECT RAISE(ABORT, 'frozen indicator values are never deleted');
END;
