-- Migration 28: the herders' own channel (issue #20). One-time sign-in
-- codes (hashed; requests for numbers not on the register are kept too,
-- with nothing sent), herders' sessions (token hashes), the dzud risk map
-- by soum and date, and the livestock prices the ministry imports.
CREATE TABLE herder_codes (
  id           INTEGER PRIMARY KEY,
  register_no  TEXT    NOT NULL,
  household_id TEXT    NOT NULL,
  soum_code    INTEGER NOT NULL,
  phone        TEXT    NOT NULL,
  salt         TEXT    NOT NULL,
  code_hash    TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  used_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX herder_codes_number ON herder_codes (register_no, id);
CREATE INDEX herder_codes_phone ON herder_codes (phone, created_at);

CREATE TABLE herder_sessions (
  token_hash   TEXT    NOT NULL PRIMARY KEY,
  household_id TEXT    NOT NULL,
  register_no  TEXT    NOT NULL,
  soum_code    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE herder_dzud_risk (
  soum_code   INTEGER NOT NULL,
  on_date     TEXT    NOT NULL,
  level       TEXT    NOT NULL
              CHECK (level IN ('low', 'medium', 'high', 'very_high')),
  source      TEXT    NOT NULL,
  imported_by TEXT    NOT NULL,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (soum_code, on_date)
);

CREATE TABLE herder_prices (
  item        TEXT    NOT NULL,
  unit        TEXT    NOT NULL CHECK (unit IN ('head', 'kg')),
  aimag_code  INTEGER NOT NULL,
  from_date   TEXT    NOT NULL,
  price       INTEGER NOT NULL CHECK (price > 0),
  source      TEXT    NOT NULL,
  imported_by TEXT    NOT NULL,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (item, aimag_code, from_date)
);
